"""The demo's money: two jurisdictions' spending rules, what each agreement charges, every batch's insurance,
and the bases' invoices and payments for the completed batches.

Drawn from a random stream of their own (``SEED + 41``) after everything else, so no figure of the demo
moves.

- **Spending rules** (开支标准), two packs with the sources the figures come from (docs/domain.md): 杭州市 (the
  province's ¥600 per person per day since 2020, the city's ¥3,000 per person per year for public bodies since
  2021, five days including travel) and 宁波市 (¥600 a day, ¥2,000 a year — the excess paid by the worker — five
  days, and from 2025 the insurance minimums of a Zhenhai tender: accident ¥1,000,000, medical ¥100,000).
  Partners in Hangzhou (and Jiande, a city of Hangzhou) follow the first, those in Ningbo the second; the others
  have no pack (their rules are not known).
- **Agreements**: most charge the agreed price per person per day; one in five charges at cost (据实结算).
  A no-show is credited in full, by half or not at all (as agreed).
- **Insurance**: every batch that is not cancelled has its group policy (团体意外险) covering the stay and the
  roster, from one of four insurers; a few are short (cover below a minimum, one person fewer insured).
- **Invoices and payments**: each completed batch's bases invoice what was actually used (the actual cost, from
  the rate cards and the closed roll call), a few days after the group left; about one in twelve differs (an
  extra meeting room, a room not made up, a late checkout), every difference explained line by line; approved
  and paid within weeks.  The last few batches to leave are still open (no invoice yet, received, approved) so
  the overview has settlement to show.  A base whose cost lacks a price (no card that day) is not invoiced.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, func, insert, select
from sqlmodel import Session

from recuperation.demo.helpers import SEED
from recuperation.models import (
    BaseInvoice,
    Batch,
    BatchStatus,
    InsurancePolicy,
    InvoiceAdjustment,
    Participant,
    Payment,
    RateCard,
    table_of,
)

HANGZHOU, NINGBO = 1, 2

_PROVINCE_DAY = "浙江省总工会：职工疗休养费用标准由每人每天 400 元提高到 600 元（2020 年起）"
_FIVE_DAYS = "职工疗休养时间一般不超过 5 天（含往返路途时间）"
#: (pack id, name, notes, rules: kind, amount, mode, valid from, source)
PACKS: list[tuple[int, str, str, list[tuple[str, int, str, dt.date | None, str]]]] = [
    (
        HANGZHOU,
        "杭州市",
        "杭州市（含建德市）的合作单位",
        [
            ("day_cap", 60_000, "warn", dt.date(2020, 1, 1), _PROVINCE_DAY),
            (
                "year_cap",
                300_000,
                "warn",
                dt.date(2021, 1, 1),
                "杭州市：机关事业单位职工疗休养每人每年不超过 3000 元（2021 年）",
            ),
            ("max_days", 5, "warn", None, _FIVE_DAYS),
        ],
    ),
    (
        NINGBO,
        "宁波市",
        "宁波市的合作单位",
        [
            ("day_cap", 60_000, "warn", dt.date(2020, 1, 1), _PROVINCE_DAY),
            (
                "year_cap",
                200_000,
                "warn",
                None,
                "宁波市：职工疗休养每人每年不超过 2000 元，超出部分由职工个人承担",
            ),
            ("max_days", 5, "warn", None, _FIVE_DAYS),
            (
                "accident_min",
                100_000_000,
                "warn",
                dt.date(2025, 1, 1),
                "镇海区职工疗休养服务采购（2025 年）：意外伤害保险保额不低于 100 万元",
            ),
            (
                "medical_min",
                10_000_000,
                "warn",
                dt.date(2025, 1, 1),
                "镇海区职工疗休养服务采购（2025 年）：意外医疗保险保额不低于 10 万元",
            ),
        ],
    ),
]

_INSURERS = (
    ("中国人民财产保险股份有限公司建德支公司", "PEAC"),
    ("中国平安财产保险股份有限公司杭州分公司", "PA"),
    ("中国太平洋财产保险股份有限公司建德支公司", "CPIC"),
    ("中国人寿财产保险股份有限公司杭州市中心支公司", "CLPC"),
)
_MORE = ("加用会议室半天", "延迟退房", "增加一桌晚餐", "加床")
_LESS = ("一间客房未入住，按实退", "一餐未用，按实退", "团队折扣")


def pack_of(region: str) -> int | None:
    if region.startswith(("杭州", "建德")):
        return HANGZHOU
    if region.startswith("宁波"):
        return NINGBO
    return None


def tables(stamp: dt.datetime) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The two packs and their rules as rows."""
    packs: list[dict[str, object]] = []
    rules: list[dict[str, object]] = []
    for pack_id, name, notes, pack_rules in PACKS:
        packs.append(
            {
                "id": pack_id,
                "name": name,
                "notes": notes,
                "version": 1,
                "created_at": stamp,
                "updated_at": stamp,
                "updated_by": "demo",
            }
        )
        for kind, amount, mode, valid_from, source in pack_rules:
            rules.append(
                {
                    "pack_id": pack_id,
                    "kind": kind,
                    "amount": amount,
                    "mode": mode,
                    "valid_from": valid_from,
                    "valid_to": None,
                    "source": source,
                    "notes": "",
                }
            )
    return packs, rules


def assign(partners: list[dict[str, object]], agreements: list[dict[str, object]]) -> None:
    """Each partner's pack, each agreement's charge basis and no-show credit (in place)."""
    rng = random.Random(SEED + 41)
    for partner in partners:
        partner["spending_pack_id"] = pack_of(str(partner["region"]))
    for agreement in agreements:
        agreement["charge_basis"] = "cost" if rng.random() < 0.2 else "price"
        agreement["no_show_credit_bp"] = rng.choice((10_000, 10_000, 5_000, 0))


def _versioned(stamp: dt.datetime, **values: object) -> dict[str, object]:
    return {"version": 1, "created_at": stamp, "updated_at": stamp, "updated_by": "demo", **values}


def settle(conn: Connection, stamp: dt.datetime, today: dt.date, chunk: int = 400) -> None:
    """Insurance for every batch, invoices and payments for the completed ones (rows written to ``conn``)."""
    from recuperation.services import rates

    rng = random.Random(SEED + 42)
    batch = table_of(Batch).c
    heads = conn.execute(
        select(batch.id, batch.code, batch.arrival, batch.departure, batch.status).order_by(batch.id)
    ).all()
    person = table_of(Participant).c
    people: dict[int, int] = {
        int(batch_id): int(count)
        for batch_id, count in conn.execute(select(person.batch_id, func.count()).group_by(person.batch_id))
    }
    card = table_of(RateCard).c
    cards_of: dict[int, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
    for base_id, first, last, bp in conn.execute(
        select(card.base_id, card.valid_from, card.valid_to, card.tax_bp)
    ):
        cards_of[base_id].append((first, last, bp))

    policies: list[dict[str, object]] = []
    for batch_id, _code, arrival, departure, status in heads:
        if status == BatchStatus.CANCELLED.value or not people.get(batch_id):
            continue
        insurer, short = rng.choice(_INSURERS)
        accident, medical = rng.choice(
            ((100_000_000, 10_000_000), (100_000_000, 20_000_000), (50_000_000, 5_000_000))
        )
        count = int(people[batch_id])
        if rng.random() < 0.02:
            count -= 1  # one person left off the insurer's list
        policies.append(
            _versioned(
                stamp,
                batch_id=batch_id,
                insurer=insurer,
                policy_no=f"{short}{arrival:%Y%m%d}{batch_id:06d}",
                accident_fen=accident,
                medical_fen=medical,
                first_day=arrival,
                last_day=departure,
                insured_count=count,
                notes="",
            )
        )
    if policies:
        conn.execute(insert(table_of(InsurancePolicy)), policies)

    done = sorted(
        ((departure, batch_id) for batch_id, _c, _a, departure, status in heads if status == "completed"),
    )
    if not done:
        return
    open_tail = {batch_id for _d, batch_id in done[-12:]}  # the last to leave are still being settled
    ids = [batch_id for _d, batch_id in done]
    arrivals = {batch_id: arrival for batch_id, _c, arrival, _d, _s in heads}
    departures = {batch_id: departure for batch_id, _c, _a, departure, _s in heads}
    numbers: dict[int, int] = defaultdict(int)
    invoices: list[dict[str, object]] = []
    pending_adjustments: list[list[tuple[int, str]]] = []
    pending_payments: list[list[dict[str, object]]] = []
    with Session(bind=conn) as session:
        for start in range(0, len(ids), chunk):
            sheets = rates.costs(session, ids[start : start + chunk])
            session.expunge_all()
            for (batch_id, base_id), sheet in sorted(sheets.items()):
                actual = sheet.actual
                if actual is None or not actual.complete or actual.total_fen == 0:
                    continue
                left = departures[batch_id]
                if batch_id in open_tail and rng.random() < 0.4:
                    continue  # not invoiced yet
                numbers[base_id] += 1
                issued = min(left + dt.timedelta(days=rng.randint(1, 10)), today)
                bp = next(
                    (b for first, last, b in cards_of[base_id] if first <= arrivals[batch_id] <= last), 600
                )
                amount = actual.total_fen
                lines: list[tuple[int, str]] = []
                if rng.random() < 1 / 12:
                    if rng.random() < 0.6:
                        lines.append(
                            (rng.choice((30_000, 45_000, 60_000, 80_000, 120_000)), rng.choice(_MORE))
                        )
                    else:
                        less = min(rng.choice((18_000, 26_000, 36_000)), amount)
                        lines.append((-less, rng.choice(_LESS)))
                    amount += sum(fen for fen, _why in lines)
                state, approved_on, pays = "paid", issued + dt.timedelta(days=rng.randint(2, 12)), True
                if batch_id in open_tail:
                    state = rng.choice(("received", "approved"))
                    pays = False
                if approved_on > today:
                    approved_on = today
                invoices.append(
                    _versioned(
                        stamp,
                        batch_id=batch_id,
                        base_id=base_id,
                        number=f"{issued:%y}{base_id:03d}{numbers[base_id]:05d}",
                        issued_on=issued,
                        amount_fen=amount,
                        tax_bp=bp,
                        scan_path="",
                        state=state,
                        approved_by="demo" if state != "received" else "",
                        approved_on=approved_on if state != "received" else None,
                        notes="",
                    )
                )
                pending_adjustments.append(lines)
                paid_on = min(approved_on + dt.timedelta(days=rng.randint(3, 25)), today)
                pending_payments.append(
                    [
                        {
                            "paid_on": paid_on,
                            "amount_fen": amount,
                            "reference": f"DZ{paid_on:%Y%m%d}{len(invoices):06d}",
                            "notes": "",
                            "created_at": stamp,
                            "created_by": "demo",
                        }
                    ]
                    if pays and amount > 0
                    else []
                )
    if not invoices:
        return
    table = table_of(BaseInvoice)
    first_id = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
    for offset, row in enumerate(invoices):
        row["id"] = first_id + offset
    conn.execute(insert(table), invoices)
    adjustments: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    for row, lines, paid in zip(invoices, pending_adjustments, pending_payments, strict=True):
        adjustments += [{"invoice_id": row["id"], "amount_fen": fen, "reason": why} for fen, why in lines]
        payments += [{**pay, "invoice_id": row["id"]} for pay in paid]
    if adjustments:
        conn.execute(insert(table_of(InvoiceAdjustment)), adjustments)
    if payments:
        conn.execute(insert(table_of(Payment)), payments)
