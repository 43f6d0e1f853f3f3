"""The demo's service orders (接待预订单) and departure notices (出团通知书), made once every batch, its
lodging, itinerary and roster are written (the orders' content is what :func:`recuperation.services.orders.contents`
derives from them, read back inside the demo's transaction).

Every state an order can be in is among the demo's orders, so that every screen shows something real:

- completed batches: their orders sent 10–30 days before arrival (printed, PDF, workbook or e-mail) and
  confirmed 1–5 days later by someone at the base with the base's reference (``SC2021-0412``); some confirmed
  with changes (``12月3日 只能提供 40 间房，原为 45 间…``, the figures those of the batch); a few first sent to
  a base that declined, the batch then lodged elsewhere; a handful whose roster grew by two after the bases
  confirmed (the content sent has two people fewer: "changed since sent");
- cancelled batches: most were cancelled after their orders went out (confirmed or still waiting): a
  cancellation notice is due ("withdrawn"); the others were cancelled before, and have none;
- the completed batches of the last three weeks (of the final demo year, or before today when the demo
  reaches it): some batches' orders never sent ("draft": no stored row, the list derives them) and some sent
  and never answered;
- batches still ahead of today (``--years`` up to the current year) are planned (drafts far ahead; within six
  weeks sent and waiting, or confirmed), or confirmed or in progress: every base confirmed, as the rule wants,
  and since then now and then an order sent again after a change and waiting for its answer, a base added
  and not sent yet, or a roster grown by two (the overview's alerts name these).

Built before the current year (``demo`` alone builds 2021) every batch is in the past, completed or
cancelled: the drafts and the unanswered orders are then those of the last weeks, whose answers the office
never recorded.

A separate random stream keeps the rest of the demo (rosters, lodging, the 2021 figures) exactly as it was.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from recuperation.demo import data
from recuperation.demo.helpers import SEED
from recuperation.labels import label

Content = dict[str, Any]
#: The contents of many batches' orders at once: (batch id, base id) → content.
ContentsOf = Callable[[list[int]], dict[tuple[int, int], Content]]

CHUNK = 400  # batches per contents() call
LAST_WEEKS = 21  # the final demo year's last weeks: drafts and unanswered orders
SEND_AHEAD = 42  # a planned batch's orders go out about six weeks before it arrives
SENT_HOW = (("printed", 35), ("pdf", 25), ("workbook", 15), ("email", 25))
TOWNSHIP_CODES = {
    "新安江街道": "XA",
    "寿昌镇": "SC",
    "梅城镇": "MC",
    "洋溪街道": "YX",
    "杨村桥镇": "YC",
    "大慈岩镇": "DC",
    "李家镇": "LJ",
    "三都镇": "SD",
    "大同镇": "DT",
    "乾潭镇": "QT",
    "下涯镇": "XY",
    "莲花镇": "LH",
    "更楼街道": "GL",
    "航头镇": "HT",
    "钦堂乡": "QD",
}
ROLES = ("销售部", "前台", "总经理办公室", "客房部", "餐饮部", "接待部")
DECLINE_REASONS = (
    "{day}已接待其他团队，客房已满",
    "酒店内部装修，{day}前后暂停接待团队",
    "{day}承接会议，餐厅与客房均已订满",
    "{day}当晚客房已被包场，无法接待",
)
INSURERS = (("人保财险", "PICC"), ("平安产险", "PAIC"), ("太平洋财险", "CPIC"))
GATHER_TIMES = ("6:50", "7:00", "7:30", "7:30", "8:00", "8:30")
#: The office's own numbers (invented), not a person's: the roster's people are never copied here.
CONTACTS = ("", "建德市总工会疗休养办公室 0571-64712301", "建德市总工会值班电话 0571-64712300")
GATHER_PLACES = ("{partner}门口", "{partner}大门口", "{partner}办公楼前广场", "{partner}东门停车场")


def _md(day: str) -> str:
    date = dt.date.fromisoformat(day)
    return f"{date.month}月{date.day}日"


def _dump(content: Content) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True)


def grown_by_two(content: Content) -> Content:
    """The content as it was before two more people joined the roster: what the bases were sent."""
    old = copy.deepcopy(content)
    group = old["people"]
    old["people"] = group - 2
    for night in old["nights"]:
        if night["people"] != group:
            continue  # a share of a night split between bases: it went to the other base
        night["people"] -= 2
        if "male" in night:
            sex = "female" if night["female"] >= 2 else "male"
            night[sex] -= 2
        if "twin" not in night:
            night["rooms"] = -(-night["people"] // 2) + night.get("staff_rooms", 0)
    for meal in old["meals"]:
        meal["people"] -= 2
    return old


@dataclass
class Made:
    orders: list[dict[str, object]] = field(default_factory=list)
    notices: list[dict[str, object]] = field(default_factory=list)


class OrderMaker:
    """Orders and notices for the generator's batches (``gen`` is the :class:`~recuperation.demo.generator.
    Generator` once its years are made)."""

    def __init__(self, gen: Any, today: dt.date):
        self.gen = gen
        self.today = today
        self.rng = random.Random(SEED + 20)  # its own stream: the rest of the demo is unchanged
        self.made = Made()
        self.base_rows = {int(b["id"]): b for b in gen.t.bases}
        self.references: dict[tuple[str, int], int] = {}
        self.partner_names = {pid: info[0] for pid, info in gen.partner_info.items()}

    # --- the pieces of one order ------------------------------------------------------------------------

    def how(self) -> str:
        return self.rng.choices([h for h, _ in SENT_HOW], [w for _, w in SENT_HOW])[0]

    def person(self) -> str:
        rng = self.rng
        return (
            rng.choice(data.SURNAMES)
            + rng.choice(data.GIVEN)
            + (rng.choice(data.GIVEN) if rng.random() < 0.6 else "")
        )

    def answerer(self, base_id: int) -> str:
        if self.rng.random() < 0.6:
            return str(self.base_rows[base_id]["contact_name"])
        return f"{self.rng.choice(ROLES)} {self.person()}"

    def reference(self, base_id: int, year: int) -> str:
        prefix = TOWNSHIP_CODES.get(str(self.base_rows[base_id]["township"]), "JD")
        key = (prefix, year)
        if key not in self.references:
            self.references[key] = self.rng.randint(100, 400)
        self.references[key] += self.rng.randint(1, 3)
        return f"{prefix}{year}-{self.references[key]:04d}"

    def amendment(self, content: Content) -> str:
        """What a base changed when confirming, in the figures of this batch's order."""
        rng = self.rng
        if content["nights"]:
            night = content["nights"][0]
            rooms = int(night["rooms"])
            if rooms >= 6:
                short = rng.randint(2, max(2, min(8, rooms // 5)))
                return (
                    f"{_md(night['night'])} 只能提供 {rooms - short} 间房，原为 {rooms} 间，"
                    f"其余 {short} 间改为标间加床"
                )
        if content["meals"]:
            meal = content["meals"][0]
            tables = -(-int(meal["people"]) // 10)
            return (
                f"{_md(meal['day'])} {label('item_kind', meal['meal'], 'zh')}改为桌餐，{meal['people']} 人共 "
                f"{tables} 桌，用餐时间提前半小时"
            )
        if content["activities"]:
            act = content["activities"][0]
            what = act["activity"] or act["place"] or "参观"
            later = {"上午": "下午", "下午": "上午"}.get(act["time"], "下午")
            return f"{_md(act['day'])} {what} 因场地维护改为{later}，人数不变（{content['people']} 人）"
        return f"领队到达后请先到前台登记，{content['people']} 人凭名单入住"

    def order(
        self,
        batch: dict[str, object],
        base_id: int,
        content: Content,
        *,
        answer: str | None,
        sent_on: dt.date,
        answered_on: dt.date | None = None,
        changes: str = "",
        reason: str = "",
    ) -> dict[str, object]:
        """One stored order: sent on ``sent_on`` with ``content``, then ``answer`` (None: still waiting)."""
        row: dict[str, object] = self.gen.versioned(
            batch_id=batch["id"],
            base_id=base_id,
            status=answer or "sent",
            edition=1,
            sent_on=sent_on,
            sent_how=self.how(),
            sent_content=_dump(content),
            answered_on=None,
            answered_by="",
            reference="",
            reason=reason,
            changes=changes,
            full_ids=bool(content["nights"]) and self.rng.random() < 0.2,
        )
        if answer is not None:
            day = answered_on or sent_on + dt.timedelta(days=self.rng.randint(1, 5))
            row["answered_on"] = day
            row["answered_by"] = self.answerer(base_id)
            if answer != "declined":
                row["reference"] = self.reference(base_id, day.year)
        self.made.orders.append(row)
        return row

    # --- each batch ---------------------------------------------------------------------------------------

    def make(self, contents_of: ContentsOf) -> Made:
        batches = self.gen.t.batches
        ids = [int(b["id"]) for b in batches]
        by_batch: dict[int, dict[int, Content]] = defaultdict(dict)
        for start in range(0, len(ids), CHUNK):
            for (batch_id, base_id), content in contents_of(ids[start : start + CHUNK]).items():
                by_batch[batch_id][base_id] = content
        # the last weeks of the final demo year, or of what is past when the demo reaches today
        last_weeks = min(self.today, self.gen.last_day) - dt.timedelta(days=LAST_WEEKS)
        for batch in batches:
            orders = dict(sorted(by_batch.get(int(batch["id"]), {}).items()))
            arrival: dt.date = batch["arrival"]
            status = str(batch["status"])
            if orders:
                if status == "cancelled":
                    self.cancelled(batch, orders)
                elif status == "planned":
                    self.planned(batch, orders)
                elif status == "completed" and arrival > last_weeks:
                    self.last_weeks(batch, orders)
                elif status == "completed":
                    self.answered(batch, orders)
                else:
                    self.live(batch, orders)
            if status != "cancelled" and (status != "completed" or self.rng.random() < 0.3):
                self.notice(batch)
        return self.made

    def send_day(self, arrival: dt.date) -> dt.date:
        """10–30 days before arrival, and never after the day before yesterday (answers take a day or more)."""
        day = arrival - dt.timedelta(days=self.rng.randint(10, 30))
        return min(day, self.today - dt.timedelta(days=self.rng.randint(2, 8)))

    def answer_day(self, sent: dt.date) -> dt.date:
        return min(sent + dt.timedelta(days=self.rng.randint(1, 5)), self.today - dt.timedelta(days=1))

    def answered(self, batch: dict[str, object], orders: dict[int, Content]) -> None:
        """A batch under way or done: every base confirmed (a few with changes); now and then a first choice
        of base declined; now and then the roster grew by two after the bases confirmed."""
        rng = self.rng
        arrival: dt.date = batch["arrival"]  # type: ignore[assignment]
        sent = self.send_day(arrival)
        if rng.random() < 0.04:
            self.declined(batch, orders, sent)
        grew = rng.random() < 0.02 and all(c["people"] > 4 for c in orders.values())
        for base_id, content in orders.items():
            amended = rng.random() < 0.07
            self.order(
                batch,
                base_id,
                grown_by_two(content) if grew else content,
                answer="amended" if amended else "confirmed",
                sent_on=sent,
                answered_on=self.answer_day(sent),
                changes=self.amendment(content) if amended else "",
            )

    def live(self, batch: dict[str, object], orders: dict[int, Content]) -> None:
        """Confirmed or under way: every base confirmed before the batch was (the rule); since then, now and
        then, an order sent again after a change and not yet answered, or a base added and not yet sent."""
        roll = self.rng.random()
        if roll < 0.06 and len(orders) > 1:
            added = max(orders)  # a base added to the itinerary since: its order not sent yet (a draft)
            self.answered(batch, {b: c for b, c in orders.items() if b != added})
        elif roll < 0.14 and batch["status"] == "confirmed":
            self.answered(batch, orders)
            resent = self.made.orders[-1]  # sent again (edition 2) after a change, waiting for the answer
            resent.update(
                status="sent",
                edition=2,
                sent_on=self.today - dt.timedelta(days=self.rng.randint(0, 6)),
                sent_how=self.how(),
                sent_content=_dump(orders[int(resent["base_id"])]),  # type: ignore[call-overload]
                answered_on=None,
                answered_by="",
                reference="",
                changes="",
            )
        else:
            self.answered(batch, orders)

    def declined(self, batch: dict[str, object], orders: dict[int, Content], sent: dt.date) -> None:
        """The first base asked for a night declined; the batch went to the base it now uses."""
        lodging = [(b, c) for b, c in orders.items() if c["nights"]]
        if not lodging:
            return
        used_id, used = lodging[0]
        arrival: dt.date = batch["arrival"]  # type: ignore[assignment]
        township = self.base_rows[used_id]["township"]
        others = [
            b for b in self.gen.lodging_bases if b not in orders and self.gen.base_valid_from[b] <= arrival
        ]
        nearby = [b for b in others if self.base_rows[b]["township"] == township] or others
        if not nearby:
            return
        asked = self.rng.choice(nearby)
        content = copy.deepcopy(used)
        content["base"] = self.base_rows[asked]["name"]
        first = sent - dt.timedelta(days=self.rng.randint(4, 8))
        reason = self.rng.choice(DECLINE_REASONS).format(day=_md(used["nights"][0]["night"]))
        self.order(
            batch,
            asked,
            content,
            answer="declined",
            sent_on=first,
            answered_on=first + dt.timedelta(days=self.rng.randint(1, 2)),
            reason=reason,
        )

    def cancelled(self, batch: dict[str, object], orders: dict[int, Content]) -> None:
        """Most were cancelled after the orders went out: a cancellation notice is due to each base."""
        if self.rng.random() < 0.35:
            return  # cancelled before anything was sent
        arrival: dt.date = batch["arrival"]  # type: ignore[assignment]
        sent = self.send_day(arrival)
        answered = self.rng.random() < 0.6
        for base_id, content in orders.items():
            self.order(
                batch,
                base_id,
                content,
                answer="confirmed" if answered else None,
                sent_on=sent,
                answered_on=self.answer_day(sent) if answered else None,
            )

    def planned(self, batch: dict[str, object], orders: dict[int, Content]) -> None:
        """Ahead: far ahead nothing sent yet; within six weeks sent and waiting, or already confirmed."""
        arrival: dt.date = batch["arrival"]  # type: ignore[assignment]
        if (arrival - self.today).days > SEND_AHEAD:
            return
        for base_id, content in orders.items():
            roll = self.rng.random()
            if roll < 0.3:
                continue  # not sent yet
            sent = self.today - dt.timedelta(days=self.rng.randint(0, 7))
            self.order(
                batch,
                base_id,
                content,
                answer="confirmed" if roll > 0.75 else None,
                sent_on=sent,
                answered_on=self.today if roll > 0.75 else None,
            )

    def last_weeks(self, batch: dict[str, object], orders: dict[int, Content]) -> None:
        """The final demo year's last weeks, all past: some answers never recorded, some never sent."""
        roll = self.rng.random()
        if roll < 0.2:
            return  # drafts
        if roll < 0.45:
            arrival: dt.date = batch["arrival"]  # type: ignore[assignment]
            sent = self.send_day(arrival)
            for base_id, content in orders.items():
                self.order(batch, base_id, content, answer=None, sent_on=sent)
            return
        self.answered(batch, orders)

    def notice(self, batch: dict[str, object]) -> None:
        rng = self.rng
        arrival: dt.date = batch["arrival"]  # type: ignore[assignment]
        partner = self.partner_names[int(batch["partner_id"])]  # type: ignore[call-overload]
        insurer, code = rng.choice(INSURERS)
        self.made.notices.append(
            self.gen.versioned(
                batch_id=batch["id"],
                gather_at=f"{arrival.month}月{arrival.day}日 {rng.choice(GATHER_TIMES)}",
                gather_place=rng.choice(GATHER_PLACES).format(partner=partner),
                bring="",
                conduct="",
                contacts=rng.choice(CONTACTS),
                insurance=f"{insurer} {code}-{arrival.year}-{rng.randrange(10**6):06d}",
            )
        )
