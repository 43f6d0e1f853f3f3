"""Service orders (接待预订单): what each base must provide for a batch, sent to it and answered by it.

An order's *content* is derived from the batch whenever it is asked for (:func:`contents`): each night the
base lodges people (rooms, and people by sex when the base lodges the whole group), each meal it serves with
the dietary needs of the roster summed, the activities of the itinerary at that base, the coach, the leader
and the guide.  One order per base per batch; the bases are those of the batch's lodging and of its itinerary.

Its *life* is stored (:class:`recuperation.models.ServiceOrder`): draft → sent (date, how; the content as sent
is kept, and ``edition`` counts the sendings) → confirmed, confirmed with changes (what the base changed) or
declined (why).  Its *state* as a list shows it is derived (:func:`order_state`): an order sent or answered
whose batch changed since is "changed" with the exact difference (:func:`differences`); an order sent for a
base the batch no longer uses, or for a cancelled batch, is "withdrawn" and calls for a cancellation notice.

The rule (:func:`confirm_blockers`): a batch moves to confirmed only when every base has confirmed the current
content; the policy ``order_mode`` chooses "refuse" (the default) or "warn".  So the beds that capacity counts
as firm (those of confirmed batches) are beds the bases have confirmed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.errors import RuleViolation, ValidationError
from recuperation.labels import label
from recuperation.models import (
    Base,
    Batch,
    BatchItem,
    BatchStatus,
    DepartureNotice,
    ItemKind,
    Lodging,
    OrderStatus,
    Participant,
    SentHow,
    ServiceOrder,
    table_of,
)
from recuperation.services.batch.edit import ItineraryRow
from recuperation.services.batch.night_base import follow_lodging, night_bases
from recuperation.services.common import (
    audit,
    choice,
    clean_text,
    get_or_raise,
    refuse_stale,
    update_versioned,
)
from recuperation.storage.database import Database

MEALS = (ItemKind.BREAKFAST.value, ItemKind.LUNCH.value, ItemKind.DINNER.value)
#: Derived states beyond the stored ones.
CHANGED = "changed"  # sent or answered, and the batch changed since it was sent
WITHDRAWN = "withdrawn"  # sent, and the batch no longer uses the base (or was cancelled): notify it
CANCEL_SENT = "cancel_sent"  # withdrawn, and the cancellation notice went to the base
#: States in which an order holds up the batch's confirmation.
OPEN_STATES = frozenset(
    {OrderStatus.DRAFT.value, OrderStatus.SENT.value, OrderStatus.DECLINED.value, CHANGED}
)
ANSWERED = frozenset({OrderStatus.CONFIRMED.value, OrderStatus.AMENDED.value})
#: Batches whose orders still matter (a completed batch's orders are history; a cancelled one's need notices).
LIVE_BATCHES = frozenset(
    {BatchStatus.PLANNED.value, BatchStatus.CONFIRMED.value, BatchStatus.IN_PROGRESS.value}
)


def diet_kind(text: str) -> str:
    """The kitchen's word for a roster's dietary note: 清真 and 素食 summed as such, anything else (an
    allergy, 不吃辣) kept as written."""
    text = " ".join(text.split())
    if not text or text in ("无", "没有", "-", "—", "/"):
        return ""
    if "清真" in text or "回族" in text or "穆斯林" in text:
        return "清真"
    if "素" in text:
        return "素食"
    return text


def order_code(batch_code: str, base_id: int) -> str:
    """The order's code, printed on it and in its QR code with its edition: the batch's code and the base."""
    return f"{batch_code}-B{base_id:03d}"


# -- content ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _BatchHead:
    """The batch's own facts an order carries (read as columns, not as ORM objects: contents() is bulk)."""

    id: int
    code: str
    arrival: dt.date
    departure: dt.date
    headcount: int
    leader: str
    leader_phone: str
    guide: str
    vehicle: str


@dataclass
class _BatchFacts:
    batch: _BatchHead
    lodging: list[tuple[dt.date, int, str, int]] = field(default_factory=list)
    items: list[ItineraryRow] = field(default_factory=list)
    people: list[tuple[str | None, str, str]] = field(default_factory=list)  # sex, diet, room


def _gather(session: Session, batch_ids: Iterable[int]) -> dict[int, _BatchFacts]:
    ids = sorted(set(batch_ids))
    facts: dict[int, _BatchFacts] = {}
    batch, lodging, item, base, person = (
        table_of(Batch).c,
        table_of(Lodging).c,
        table_of(BatchItem).c,
        table_of(Base).c,
        table_of(Participant).c,
    )
    run = session.connection().execute
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        heads = sa_select(
            batch.id,
            batch.code,
            batch.arrival,
            batch.departure,
            batch.headcount,
            batch.leader,
            batch.leader_phone,
            batch.guide,
            batch.vehicle,
        ).where(batch.id.in_(chunk))
        for row in run(heads):
            facts[row[0]] = _BatchFacts(_BatchHead(*row))
        nights = (
            sa_select(lodging.batch_id, lodging.night, lodging.base_id, base.name, lodging.people)
            .join(table_of(Base), base.id == lodging.base_id)
            .where(lodging.batch_id.in_(chunk))
            .order_by(lodging.night, base.name)
        )
        for batch_id, night, base_id, name, people in run(nights):
            facts[batch_id].lodging.append((night, base_id, name, people))
        plan = (
            sa_select(
                item.batch_id,
                item.on_date,
                item.time_of_day,
                item.kind,
                item.activity,
                item.place,
                base.name,
                item.base_id,
            )
            .outerjoin(table_of(Base), base.id == item.base_id)
            .where(item.batch_id.in_(chunk))
            .order_by(item.batch_id, item.on_date, item.seq)
        )
        for batch_id, on_date, time_of_day, kind, activity, place, name, base_id in run(plan):
            facts[batch_id].items.append(
                ItineraryRow(on_date, time_of_day, kind, activity, place, name or "", base_id)
            )
        roster = sa_select(person.batch_id, person.sex, person.diet, person.room).where(
            person.batch_id.in_(chunk)
        )
        for batch_id, sex, diet, room in run(roster):
            facts[batch_id].people.append((sex, diet, room))
    return facts


def _day(day: dt.date) -> str:
    return day.isoformat()


def _contents_of(facts: _BatchFacts, townships: dict[int, str]) -> dict[int, dict[str, Any]]:
    """Each base's order content for one batch: base id → JSON-able dict."""
    batch = facts.batch
    nights = night_bases(
        facts.lodging,
        (
            (i.on_date, i.base_id, i.base)
            for i in facts.items
            if i.kind == ItemKind.LODGING.value and i.base_id
        ),
    )
    plan = follow_lodging(facts.items, nights, townships)
    staff = int(bool(batch.guide)) + int(bool(batch.vehicle))
    # the roster once it is whole; while it is being entered, the planned headcount still counts
    group = max(len(facts.people), batch.headcount)
    eaters = group + staff
    diets = Counter(kind for kind in (diet_kind(d) for _s, d, _r in facts.people) if kind)
    sexes = Counter(s for s, _d, _r in facts.people if s)
    rooms: dict[str, set[str]] = defaultdict(set)
    occupants: Counter[str] = Counter()
    for sex, _diet, room in facts.people:
        if room:
            rooms[sex or ""].add(room)
            occupants[room] += 1
    names: dict[int, str] = {}
    result: dict[int, dict[str, Any]] = {}

    def order(base_id: int, name: str) -> dict[str, Any]:
        names[base_id] = name
        if base_id not in result:
            result[base_id] = {
                "batch": batch.code,
                "base": name,
                "arrival": _day(batch.arrival),
                "departure": _day(batch.departure),
                "people": group,
                "leader": batch.leader,
                "leader_phone": batch.leader_phone,
                "guide": batch.guide,
                "vehicle": batch.vehicle,
                "nights": [],
                "meals": [],
                "activities": [],
            }
        return result[base_id]

    lodged: dict[dt.date, list[tuple[int, str, int]]] = defaultdict(list)
    for night, base_id, name, people in facts.lodging:
        if people > 0:
            lodged[night].append((base_id, name, people))
    for night, entry in sorted(nights.items()):
        rows = lodged.get(night) or [(entry.main[0], entry.main[1], group)]
        whole = len(rows) == 1
        for base_id, name, people in rows:
            extra = staff if base_id == entry.main[0] else 0
            line: dict[str, Any] = {"night": _day(night), "people": people, "rooms": -(-people // 2) + extra}
            if whole and rooms:  # rooms assigned: the base's own count, by sex and by type
                twin = sum(1 for _room, n in occupants.items() if n >= 2)
                single = sum(1 for _room, n in occupants.items() if n == 1)
                # everyone lodged that night without a room yet (not on the roster, or not paired): twins to come
                waiting = -(-max(people - sum(occupants.values()), 0) // 2)
                line["rooms"] = twin + single + waiting + extra
                line["twin"], line["single"] = twin, single
                if waiting:
                    line["unassigned_rooms"] = waiting
            if whole and sexes and len(facts.people) >= people:  # the roster covers the night's people
                line["male"], line["female"] = sexes.get("M", 0), sexes.get("F", 0)
            if extra:
                line["staff_rooms"] = extra
            order(base_id, name)["nights"].append(line)
    for item in plan:
        if item.base_id is None:
            continue
        content = order(item.base_id, item.base)
        if item.kind in MEALS:
            content["meals"].append(
                {
                    "day": _day(item.on_date),
                    "meal": item.kind,
                    "people": eaters,
                    "diets": dict(sorted(diets.items())),
                }
            )
        elif item.kind == ItemKind.ACTIVITY.value:
            content["activities"].append(
                {
                    "day": _day(item.on_date),
                    "time": item.time_of_day,
                    "activity": item.activity,
                    "place": item.place,
                }
            )
    for base_id, content in result.items():
        # the day the group reaches this base: its first night or first item there, and the time of day the
        # itinerary gives that day (a base on the third day is not reached on the batch's first)
        days = [n["night"] for n in content["nights"]] + [i["day"] for i in content["meals"]]
        days += [a["day"] for a in content["activities"]]
        first = min(days) if days else content["arrival"]
        content["arrival_day"] = first
        times = [
            i.time_of_day for i in plan if i.base_id == base_id and i.time_of_day and _day(i.on_date) == first
        ]
        content["arrival_time"] = times[0] if times else ""
    return result


def contents(session: Session, batch_ids: Iterable[int]) -> dict[tuple[int, int], dict[str, Any]]:
    """The current content of every order of ``batch_ids``: (batch id, base id) → content."""
    facts = _gather(session, batch_ids)
    base_ids = {b for f in facts.values() for _n, b, _name, _p in f.lodging} | {
        i.base_id for f in facts.values() for i in f.items if i.base_id is not None
    }
    townships = dict(session.exec(select(Base.id, Base.township).where(col(Base.id).in_(base_ids))).all())
    result: dict[tuple[int, int], dict[str, Any]] = {}
    for batch_id, each in facts.items():
        for base_id, content in _contents_of(each, townships).items():  # type: ignore[arg-type]
            result[(batch_id, base_id)] = content
    return result


def order_content(db: Database, batch_id: int, base_id: int) -> dict[str, Any] | None:
    """What the base must provide for the batch now (None when the batch no longer uses the base)."""
    with db.session() as session:
        return contents(session, [batch_id]).get((batch_id, base_id))


# -- differences ---------------------------------------------------------------------------------------------------


def _md(day: str) -> str:
    date = dt.date.fromisoformat(day)
    return f"{date.month}月{date.day}日"


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


def _meal_name(kind: str) -> str:
    return label("item_kind", kind, "zh")


def differences(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[str]:
    """What changed between the content sent (``old``) and now (``new``), one clause per change, in the
    words the change notice prints (documents are Chinese): ``人数 +3``, ``4月1日 晚餐 +3，清真 +1``,
    ``新增 4月2日 住宿 40 人``.  Empty when nothing the base provides changed."""
    if old == new:
        return []
    if new is None:
        return ["取消全部接待"]
    if old is None:
        return ["新增接待"]
    out: list[str] = []
    if old["people"] != new["people"]:
        out.append(f"人数 {_signed(new['people'] - old['people'])}")
    for key, word in (("arrival", "抵达"), ("departure", "离开")):
        if old[key] != new[key]:
            out.append(f"{word} {_md(old[key])} → {_md(new[key])}")
    if (
        old.get("arrival_day", old["arrival"]) != new.get("arrival_day", new["arrival"])
        and old["arrival"] == new["arrival"]
    ):
        out.append(
            f"到达本基地 {_md(old.get('arrival_day', old['arrival']))} → {_md(new.get('arrival_day', new['arrival']))}"
        )
    if old.get("arrival_time", "") != new.get("arrival_time", ""):
        out.append(f"到达时间 {old.get('arrival_time') or '未定'} → {new.get('arrival_time') or '未定'}")
    old_nights = {n["night"]: n for n in old["nights"]}
    new_nights = {n["night"]: n for n in new["nights"]}
    for night in sorted(old_nights.keys() | new_nights.keys()):
        before, after = old_nights.get(night), new_nights.get(night)
        if before is None and after is not None:
            out.append(f"新增 {_md(night)} 住宿 {after['people']} 人 {after['rooms']} 间")
        elif after is None and before is not None:
            out.append(f"取消 {_md(night)} 住宿")
        elif before != after and before is not None and after is not None:
            parts = []
            for key, word, unit in (
                ("people", "住宿", "人"),
                ("rooms", "房间", "间"),
                ("twin", "双人间", "间"),
                ("single", "单人间", "间"),
                ("unassigned_rooms", "待分房间", "间"),
                ("male", "男", "人"),
                ("female", "女", "人"),
            ):
                delta = after.get(key, 0) - before.get(key, 0)
                if delta:
                    parts.append(f"{word} {_signed(delta)}{unit}")
            if parts:
                out.append(f"{_md(night)} " + "，".join(parts))
    old_meals = {(m["day"], m["meal"]): m for m in old["meals"]}
    new_meals = {(m["day"], m["meal"]): m for m in new["meals"]}
    rank = {kind: i for i, kind in enumerate(MEALS)}
    for slot in sorted(old_meals.keys() | new_meals.keys(), key=lambda k: (k[0], rank.get(k[1], 9))):
        before, after = old_meals.get(slot), new_meals.get(slot)
        name = f"{_md(slot[0])} {_meal_name(slot[1])}"
        if before is None and after is not None:
            out.append(f"新增 {name} {after['people']} 人")
        elif after is None and before is not None:
            out.append(f"取消 {name}")
        elif before is not None and after is not None and before != after:
            parts = []
            if after["people"] != before["people"]:
                parts.append(_signed(after["people"] - before["people"]))
            diets = sorted(before["diets"].keys() | after["diets"].keys())
            for diet in diets:
                delta = after["diets"].get(diet, 0) - before["diets"].get(diet, 0)
                if delta:
                    parts.append(f"{diet} {_signed(delta)}")
            if parts:
                out.append(f"{name} " + "，".join(parts))

    def activity(a: dict[str, str]) -> str:
        text = " ".join(x for x in (_md(a["day"]), a["time"], a["activity"]) if x)
        return f"{text}（{a['place']}）" if a["place"] else text

    old_acts = Counter(activity(a) for a in old["activities"])
    new_acts = Counter(activity(a) for a in new["activities"])
    for text in sorted(old_acts - new_acts, key=list(old_acts).index):
        out += [f"取消活动 {text}"] * (old_acts[text] - new_acts[text])
    for text in sorted(new_acts - old_acts, key=list(new_acts).index):
        out += [f"新增活动 {text}"] * (new_acts[text] - old_acts[text])
    for key, word in (
        ("leader", "领队"),
        ("leader_phone", "领队电话"),
        ("guide", "导游"),
        ("vehicle", "车辆"),
    ):
        if old.get(key, "") != new.get(key, ""):
            out.append(f"{word} {old.get(key) or '无'} → {new.get(key) or '无'}")
    return out


def change_text(sent_on: dt.date | None, changes: list[str]) -> str:
    """The sentence a list and the notice print: 自 3月2日 发出后：人数 +3；…"""
    when = f"{sent_on.month}月{sent_on.day}日" if sent_on else ""
    return f"自 {when} 发出后：" + "；".join(changes)


# -- listing ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderRow:
    """An order as lists, documents and rules see it."""

    batch_id: int
    batch: str
    batch_status: str
    arrival: dt.date
    departure: dt.date
    partner: str
    base_id: int
    base: str
    code: str
    id: int | None  # None for a draft never stored
    version: int
    status: str  # stored: draft, sent, confirmed, amended, declined
    state: str  # derived: the status, or "changed", or "withdrawn"
    edition: int
    sent_on: dt.date | None
    sent_how: str
    answered_on: dt.date | None
    answered_by: str
    reference: str
    reason: str
    changes: str
    full_ids: bool
    content: dict[str, Any] | None  # now (None: the batch no longer uses the base)
    sent: dict[str, Any] | None  # as sent
    differences: tuple[str, ...]  # since sent

    @property
    def state_label(self) -> str:
        return label("order_state", self.state)

    @property
    def change_text(self) -> str:
        return change_text(self.sent_on, list(self.differences)) if self.differences else ""

    @property
    def open(self) -> bool:
        """The order holds up the batch's confirmation (a base the batch no longer uses never does)."""
        return self.content is not None and self.state in OPEN_STATES

    def waiting_days(self, today: dt.date) -> int:
        """Days the order has waited for the base's answer (0 when it is not waiting)."""
        if self.state != OrderStatus.SENT.value or self.sent_on is None:
            return 0
        return (today - self.sent_on).days


def order_state(stored: ServiceOrder | None, content: dict[str, Any] | None, batch_status: str) -> str:
    status = stored.status if stored is not None else OrderStatus.DRAFT.value
    sent = stored is not None and stored.edition > 0
    if batch_status == BatchStatus.CANCELLED.value or content is None:
        # a base that declined needs no cancellation notice
        if not sent or status == OrderStatus.DECLINED.value:
            return status
        if stored is not None and stored.cancel_sent_on is not None:
            return CANCEL_SENT
        return WITHDRAWN
    if status == OrderStatus.DRAFT.value or stored is None:
        return OrderStatus.DRAFT.value
    if status == OrderStatus.DECLINED.value:
        return status  # the base said no: what changed since does not matter to it
    if stored.sent_content and differences(json.loads(stored.sent_content), content):
        return CHANGED
    return status


def _rows(session: Session, batch_ids: list[int]) -> list[OrderRow]:
    from recuperation.models import Partner

    now = contents(session, batch_ids)
    stored: dict[tuple[int, int], ServiceOrder] = {}
    for start in range(0, len(batch_ids), 500):
        chunk = batch_ids[start : start + 500]
        for each in session.exec(select(ServiceOrder).where(col(ServiceOrder.batch_id).in_(chunk))).all():
            stored[(each.batch_id, each.base_id)] = each
    info: dict[int, tuple[str, str, dt.date, dt.date, str]] = {}
    base_names: dict[int, str] = {}
    for start in range(0, len(batch_ids), 500):
        chunk = batch_ids[start : start + 500]
        for batch, partner in session.exec(
            select(Batch, Partner.name)
            .join(Partner, col(Partner.id) == Batch.partner_id)
            .where(col(Batch.id).in_(chunk))
        ).all():
            assert batch.id is not None
            info[batch.id] = (batch.code, batch.status, batch.arrival, batch.departure, partner)
    wanted = {b for _batch, b in stored} | {b for _batch, b in now}
    if wanted:
        base_names = {
            i: n
            for i, n in session.exec(select(Base.id, Base.name).where(col(Base.id).in_(wanted))).all()
            if i
        }
    rows: list[OrderRow] = []
    for key in sorted(stored.keys() | now.keys()):
        batch_id, base_id = key
        if batch_id not in info:
            continue
        code, batch_status, arrival, departure, partner = info[batch_id]
        order, content = stored.get(key), now.get(key)
        if order is None and batch_status == BatchStatus.CANCELLED.value:
            continue  # a cancelled batch's bases that never had an order need nothing
        state = order_state(order, content, batch_status)
        if order is not None and order.edition == 0 and content is None:
            continue  # a draft for a base no longer used
        sent = json.loads(order.sent_content) if order is not None and order.sent_content else None
        changes = tuple(differences(sent, content)) if state == CHANGED else ()
        if state in (WITHDRAWN, CANCEL_SENT):
            changes = ("取消全部接待",)
        rows.append(
            OrderRow(
                batch_id=batch_id,
                batch=code,
                batch_status=batch_status,
                arrival=arrival,
                departure=departure,
                partner=partner,
                base_id=base_id,
                base=base_names.get(base_id, ""),
                code=order_code(code, base_id),
                id=order.id if order else None,
                version=order.version if order else 0,
                status=order.status if order else OrderStatus.DRAFT.value,
                state=state,
                edition=order.edition if order else 0,
                sent_on=order.sent_on if order else None,
                sent_how=order.sent_how if order else "",
                answered_on=order.answered_on if order else None,
                answered_by=order.answered_by if order else "",
                reference=order.reference if order else "",
                reason=order.reason if order else "",
                changes=order.changes if order else "",
                full_ids=order.full_ids if order else False,
                content=content,
                sent=sent,
                differences=changes,
            )
        )
    rows.sort(key=lambda r: (r.arrival, r.batch, r.base))
    return rows


def batch_orders(db: Database, batch_id: int) -> list[OrderRow]:
    """Every order of a batch, one per base, in base order."""
    with db.session() as session:
        get_or_raise(session, Batch, batch_id)
        return _rows(session, [batch_id])


def list_orders(
    db: Database,
    *,
    state: str | None = None,
    base: str | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    batch_states: frozenset[str] | None = None,
) -> list[OrderRow]:
    """Orders of the batches staying between ``first`` and ``last`` (any date when None), of one base (by
    name) and in one derived state when asked; of batches in ``batch_states`` (every status when None).
    A cancelled batch shows only the orders that were sent (withdrawn: a cancellation notice is due)."""
    wanted = batch_states if batch_states is not None else frozenset(BatchStatus.values())
    with db.session() as session:
        query = select(Batch.id).where(col(Batch.status).in_(sorted(wanted)))
        if first is not None:
            query = query.where(col(Batch.departure) >= first)
        if last is not None:
            query = query.where(col(Batch.arrival) <= last)
        if base is not None:
            base = base.strip()
            found = session.exec(select(Base.id).where(Base.name == base)).first()
            if found is None:
                raise ValidationError("order.unknown_base", field="base", base=base)
            used = (
                set(session.exec(select(Lodging.batch_id).where(Lodging.base_id == found)).all())
                | set(session.exec(select(BatchItem.batch_id).where(BatchItem.base_id == found)).all())
                | set(session.exec(select(ServiceOrder.batch_id).where(ServiceOrder.base_id == found)).all())
            )
            ids: list[int | None] = [i for i in session.exec(query).all() if i in used]
        else:
            ids = list(session.exec(query).all())
        rows = _rows(session, sorted(i for i in ids if i is not None))
    if base is not None:
        rows = [r for r in rows if r.base == base]
    if state is not None:
        rows = [r for r in rows if r.state == state]
    return rows


# -- its life --------------------------------------------------------------------------------------------------------


#: No order of this program was sent before this day: an earlier date is a typing slip (0001-01-01).
EARLIEST_DAY = dt.date(2000, 1, 1)


def _check_day(day: dt.date, field: str, batch: str, base: str, *, not_before: dt.date | None = None) -> None:
    """A day recorded for an order: not after today (a sending or an answer that has not happened), and for
    an answer not before the order was sent."""
    today = dt.date.today()
    if day > today or day < EARLIEST_DAY:
        raise ValidationError("order.future_day", field=field, batch=batch, base=base, day=day.isoformat())
    if not_before is not None and day < not_before:
        raise ValidationError(
            "order.day_before_sent",
            field=field,
            batch=batch,
            base=base,
            day=day.isoformat(),
            sent=not_before.isoformat(),
        )


def _lock_batch(session: Session, batch_id: int) -> None:
    """Serialise the changes of a batch's orders with the batch's own saves and its confirmation: on
    PostgreSQL the batch row is locked (``SELECT … FOR UPDATE``) until this transaction ends, as the
    batch's save and status change lock it by updating it; SQLite's ``BEGIN IMMEDIATE`` already serialises
    writers.  A state read by the confirming transaction is then the latest committed one.  (The derived
    states need no lock to stay true: "changed" is computed from the batch as it is whenever it is read.)"""
    session.exec(select(Batch.id).where(Batch.id == batch_id).with_for_update()).all()


def _stored(session: Session, batch: Batch, base_id: int) -> ServiceOrder:
    order = session.exec(
        select(ServiceOrder).where(ServiceOrder.batch_id == batch.id, ServiceOrder.base_id == base_id)
    ).first()
    if order is None:
        assert batch.id is not None
        order = ServiceOrder(batch_id=batch.id, base_id=base_id)
        session.add(order)
        session.flush()
    return order


def _find(session: Session, batch_code: str, base_name: str) -> tuple[Batch, Base]:
    batch_code, base_name = batch_code.strip(), base_name.strip()
    batch = session.exec(select(Batch).where(Batch.code == batch_code)).first()
    if batch is None:
        raise ValidationError("order.unknown_batch", field="batch", batch=batch_code)
    base = session.exec(select(Base).where(Base.name == base_name)).first()
    if base is None:
        raise ValidationError("order.unknown_base", field="base", base=base_name)
    return batch, base


def _label(batch: Batch, base: Base) -> str:
    return f"{batch.code} · {base.name}"


def _set(session: Session, user: str, order: ServiceOrder, record: str, changes: dict[str, object]) -> None:
    """Record a step of the order's life (sent, answered, cancellation sent): a new version each time, each
    changed field in the audit log but the content it was sent with (the edition's own row says it went)."""
    assert order.id is not None
    update_versioned(
        session,
        ServiceOrder,
        order.id,
        order.version,
        changes,
        user,
        record,
        force=True,
        quiet={"sent_content"},
    )


def mark_sent(
    db: Database,
    batch_id: int,
    base_id: int,
    how: str,
    *,
    on: dt.date | None = None,
    full_ids: bool | None = None,
) -> OrderRow:
    """The order goes to the base (again): its current content is what the base now has; any earlier answer
    is replaced by waiting for one.  Refused for a base the batch does not use and for a cancelled batch
    (that calls for a cancellation notice, :func:`mark_cancel_sent`).  Sending again clears an earlier
    cancellation notice: the base has the order again."""
    how = choice("service_order", "sent_how", how, SentHow.values())
    with db.session(write=True) as session:
        _lock_batch(session, batch_id)
        batch = get_or_raise(session, Batch, batch_id)
        base = get_or_raise(session, Base, base_id)
        content = contents(session, [batch_id]).get((batch_id, base_id))
        if content is None or batch.status == BatchStatus.CANCELLED.value:
            raise RuleViolation("order.not_used", field="base", batch=batch.code, base=base.name)
        day = on or dt.date.today()
        _check_day(day, "sent_on", batch.code, base.name)
        order = _stored(session, batch, base_id)
        record = _label(batch, base)
        changes: dict[str, object] = {
            "status": OrderStatus.SENT.value,
            "edition": order.edition + 1,
            "sent_on": day,
            "sent_how": how,
            "sent_content": json.dumps(content, ensure_ascii=False, sort_keys=True),
            "answered_on": None,
            "answered_by": "",
            "reference": "",
            "reason": "",
            "changes": "",
            "cancel_sent_on": None,
        }
        if full_ids is not None:
            changes["full_ids"] = full_ids
        _set(session, db.user, order, record, changes)
        audit(session, db.user, "send", "service_order", order.id, record, "edition", None, order.edition)
        audit(
            session,
            db.user,
            "send",
            "batch",
            batch.id,
            batch.code,
            "service_order",
            None,
            f"{base.name} 第 {order.edition} 版",
        )
        session.flush()
        return next(r for r in _rows(session, [batch_id]) if r.base_id == base_id)


def mark_answer(
    db: Database,
    batch_id: int,
    base_id: int,
    answer: str,
    *,
    by: str = "",
    reference: str = "",
    reason: str = "",
    changes: str = "",
    on: dt.date | None = None,
    edition: int | None = None,
    version: int | None = None,
) -> OrderRow:
    """The base's answer to the order it was sent: "confirmed", "amended" (confirmed with ``changes``) or
    "declined" (with a ``reason``).  An order never sent, or changed since it was sent, cannot be confirmed:
    the base must be sent the current one first.  ``edition``: the one the base answered (its QR code says
    which); an answer to an older edition than the last one sent is refused.  ``version``: the order as the
    desk showed it; a desk that recorded something since makes the save stale (refused, naming who).
    ``on``: the day of the answer (today by default), never before the order was sent nor after today."""
    answer = choice(
        "service_order",
        "status",
        answer,
        [s.value for s in (OrderStatus.CONFIRMED, OrderStatus.AMENDED, OrderStatus.DECLINED)],
    )
    by = clean_text("service_order", "answered_by", by, max_length=40)
    reference = clean_text("service_order", "reference", reference, max_length=60)
    reason = clean_text("service_order", "reason", reason, max_length=400)
    changes = clean_text("service_order", "changes", changes, max_length=400)
    with db.session(write=True) as session:
        _lock_batch(session, batch_id)
        batch = get_or_raise(session, Batch, batch_id)
        base = get_or_raise(session, Base, base_id)
        order = session.exec(
            select(ServiceOrder).where(ServiceOrder.batch_id == batch_id, ServiceOrder.base_id == base_id)
        ).first()
        record = _label(batch, base)
        if order is None or order.edition == 0:
            raise RuleViolation("order.not_sent", field="status", batch=batch.code, base=base.name)
        if version is not None:
            refuse_stale("service_order", record, order, version)
        if edition is not None and edition != order.edition:
            raise RuleViolation(
                "order.old_edition",
                field="edition",
                batch=batch.code,
                base=base.name,
                edition=edition,
                current=order.edition,
            )
        day = on or dt.date.today()
        _check_day(day, "answered_on", batch.code, base.name, not_before=order.sent_on)
        content = contents(session, [batch_id]).get((batch_id, base_id))
        state = order_state(order, content, batch.status)
        if state == CHANGED and answer != OrderStatus.DECLINED.value:
            raise RuleViolation("order.changed_since_sent", field="status", batch=batch.code, base=base.name)
        if state in (WITHDRAWN, CANCEL_SENT) or content is None:
            raise RuleViolation("order.no_answer_due", field="status", batch=batch.code, base=base.name)
        if answer != OrderStatus.DECLINED.value and not by:
            raise ValidationError("order.answer_by", field="answered_by", batch=batch.code, base=base.name)
        if answer == OrderStatus.DECLINED.value and not reason:
            raise ValidationError("order.decline_reason", field="reason", batch=batch.code, base=base.name)
        if answer == OrderStatus.AMENDED.value and not changes:
            raise ValidationError("order.amend_changes", field="changes", batch=batch.code, base=base.name)
        _set(
            session,
            db.user,
            order,
            record,
            {
                "status": answer,
                "answered_on": day,
                "answered_by": by,
                "reference": reference if answer != OrderStatus.DECLINED.value else "",
                "reason": reason if answer == OrderStatus.DECLINED.value else "",
                "changes": changes if answer == OrderStatus.AMENDED.value else "",
            },
        )
        audit(session, db.user, answer, "batch", batch.id, batch.code, "service_order", None, base.name)
        session.flush()
        return next(r for r in _rows(session, [batch_id]) if r.base_id == base_id)


def mark_by_names(db: Database, batch_code: str, base_name: str, what: str, **kwargs: Any) -> OrderRow:
    """``order mark BATCH BASE sent|confirmed|amended|declined`` by code and name (the command line)."""
    with db.session() as session:
        batch, base = _find(session, batch_code, base_name)
        assert batch.id is not None and base.id is not None
    if what == CANCEL_SENT:
        return mark_cancel_sent(db, batch.id, base.id, on=kwargs.get("on"))
    if what == OrderStatus.SENT.value:
        return mark_sent(
            db,
            batch.id,
            base.id,
            kwargs.get("how") or SentHow.PRINTED.value,
            on=kwargs.get("on"),
            full_ids=kwargs.get("full_ids"),
        )
    kwargs.pop("how", None)
    kwargs.pop("full_ids", None)
    return mark_answer(db, batch.id, base.id, what, **kwargs)


def mark_cancel_sent(db: Database, batch_id: int, base_id: int, *, on: dt.date | None = None) -> OrderRow:
    """The cancellation notice of a withdrawn order went to the base (the batch was cancelled, or no longer
    uses the base): the order stops asking for one."""
    with db.session(write=True) as session:
        _lock_batch(session, batch_id)
        batch = get_or_raise(session, Batch, batch_id)
        base = get_or_raise(session, Base, base_id)
        order = session.exec(
            select(ServiceOrder).where(ServiceOrder.batch_id == batch_id, ServiceOrder.base_id == base_id)
        ).first()
        content = contents(session, [batch_id]).get((batch_id, base_id))
        if order is None or order_state(order, content, batch.status) not in (WITHDRAWN, CANCEL_SENT):
            raise RuleViolation("order.no_cancellation", field="status", batch=batch.code, base=base.name)
        day = on or dt.date.today()
        _check_day(day, "cancel_sent_on", batch.code, base.name, not_before=order.sent_on)
        _set(session, db.user, order, _label(batch, base), {"cancel_sent_on": day})
        audit(session, db.user, "cancel", "batch", batch.id, batch.code, "service_order", None, base.name)
        session.flush()
        return next(r for r in _rows(session, [batch_id]) if r.base_id == base_id)


def record_notice(db: Database, row: OrderRow) -> None:
    """A change or cancellation notice was printed for the order ``row``: the audit log says so."""
    with db.session(write=True) as session:
        audit(session, db.user, "print", "batch", row.batch_id, row.batch, "notice", None, row.base)


# -- the rule ----------------------------------------------------------------------------------------------------------


def confirm_blockers(session: Session, batch: Batch) -> list[str]:
    """Why the batch's orders do not allow it to be confirmed: one clause per base (empty: they do)."""
    assert batch.id is not None
    out = []
    for row in _rows(session, [batch.id]):
        if row.open:
            out.append(messages.text("order.blocker", base=row.base, state=label("order_state", row.state)))
    return out


def refuse_unconfirmed(session: Session, batch: Batch, mode: str) -> None:
    """Inside the write transaction that confirms ``batch``: refuse when a base has not confirmed the
    current content and the policy says refuse."""
    if mode != "refuse":
        return
    blockers = confirm_blockers(session, batch)
    if blockers:
        raise RuleViolation(
            "order.confirm_refused",
            field="status",
            record="batch",
            batch=batch.code,
            detail=messages.join_clauses(blockers),
        )


# -- the departure notice (出团通知书) --------------------------------------------------------------------------------

NOTICE_FIELDS = ("gather_at", "gather_place", "bring", "conduct", "contacts", "insurance")
NOTICE_LIMITS = {
    "gather_at": 60,
    "gather_place": 200,
    "bring": 1000,
    "conduct": 1000,
    "contacts": 400,
    "insurance": 200,
}


def get_notice(db: Database, batch_id: int) -> DepartureNotice:
    """The batch's departure-notice details (an unsaved empty one when none were written)."""
    with db.session() as session:
        get_or_raise(session, Batch, batch_id)
        found = session.exec(select(DepartureNotice).where(DepartureNotice.batch_id == batch_id)).first()
        if found is None:
            return DepartureNotice(batch_id=batch_id, version=0)
        session.expunge(found)
        return found


def save_notice(db: Database, batch_id: int, version: int, values: dict[str, str]) -> DepartureNotice:
    """Store the departure-notice details given (a field not given keeps its value); ``version`` is the one
    read (0 for none yet), so that of two desks editing it the second is told."""
    unknown = set(values) - set(NOTICE_FIELDS)
    if unknown:
        raise ValueError(f"not a departure-notice field: {sorted(unknown)[0]}")
    cleaned = {
        key: clean_text("departure_notice", key, value, max_length=NOTICE_LIMITS[key], multiline=True)
        for key, value in values.items()
    }
    with db.session(write=True) as session:
        batch = get_or_raise(session, Batch, batch_id)
        found = session.exec(select(DepartureNotice).where(DepartureNotice.batch_id == batch_id)).first()
        if found is None:
            # not create_audited: the first save records each detail written (one "create" row a field,
            # under the batch), where create_audited records only that the record exists
            found = DepartureNotice(batch_id=batch_id, updated_by=db.user)
            for key, value in cleaned.items():
                setattr(found, key, value)
            session.add(found)
            for key, value in cleaned.items():
                if value:
                    audit(
                        session, db.user, "create", "departure_notice", batch_id, batch.code, key, None, value
                    )
        else:
            assert found.id is not None
            update_versioned(session, DepartureNotice, found.id, version, cleaned, db.user, batch.code)
        session.flush()
        session.refresh(found)
        session.expunge(found)
        return found
