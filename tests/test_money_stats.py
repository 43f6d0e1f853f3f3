"""Money figures (recuperation/services/money_stats.py) on a small hand-built year whose answers are computed
by hand below, and on the demo's year: every total is the sum of its lines, in fen.

The year (:func:`money_year`), 2021, with two rate cards (prices include 6% tax):

- 寿昌宾馆 (X): 标准间 ¥300.00 a night, 早餐 ¥25.00, 午餐 ¥60.00, 晚餐 ¥60.00 a person;
- 草莓小镇农庄 (Y): 午餐 ¥50.00 a person, 采摘 (an activity) ¥40.00 a person;
- 新安江大酒店 (Z): no rate card at all.

Batches:

- **A**, 宁波大学, 1–3 June (3 days), no route: three members and a companion, two nights at X (four lodged, two
  twins), dinner 1 June, breakfast, dinner 2 June and breakfast 3 June at X; lunch and 采摘 on 2 June at Y.
  Completed, roll call closed: everyone came but 职工丙, who left on 2 June (2 days).  Members' person-days
  3 + 3 + 2 = 8, the companion's 3.
  Actual at X: nights 2 × 2 twins × 300 = 1,200; dinner 4 × 60, breakfast 4 × 25, dinner 3 × 60 (丙 left
  before it), breakfast 3 × 25 = 240 + 100 + 180 + 75 → ¥1,795.00.  X invoiced ¥1,815.00 (a late checkout,
  +¥20.00), approved, ¥1,000.00 paid: the known cost is the invoice.  Actual at Y: lunch 4 × 50 + 采摘 4 × 40 =
  ¥360.00 (丙 was there at lunch), not invoiced.
  Members' part: X 181500 × 8 / 11 = 132000 fen; Y 36000 × 8 / 11 = 26181.8 → 26182 fen.
- **B**, 浙江海港集团, 10–11 June (2 days), route 草莓小镇研学线路: a headcount of ten, no roster, one night at X
  (five twins), dinner and breakfast: 1,500 + 600 + 250 = ¥2,350.00 planned.  Completed; X's invoice of
  ¥2,400.00 is received, not approved: the cost stays the planned one.  Person-days 10 × 2 = 20.
- **C**, 宁波大学, 20–21 July (2 days), no route: two members, one night at Z with dinner: no price for the
  room nor the dinner (incomplete, ¥0.00 of it known).  Person-days 2 × 2 = 4.
- **E**, 宁波大学, 1 September (1 day), a training class of twenty with no base: no cost known.  Person-days 20.
- **D**, 宁波大学, June, cancelled: never counted.

Totals: cost 181500 + 36000 + 235000 + 0 = 452500 fen; members' 132000 + 26182 + 235000 = 393182; person-days
8 + 20 + 4 + 20 = 52; per person-day 393182 / 52 = 7561.2 → ¥75.61.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from pypdf import PdfReader
from sqlalchemy import event
from sqlmodel import select

from recuperation.cli import main as cli_main
from recuperation.documents.render import render
from recuperation.models import BaseInvoice, InvoiceAdjustment, Payment, RateKind, RateUnit
from recuperation.services import money_stats, rates, routes
from recuperation.services.batch import attendance, batches, roster_moves, rosters
from recuperation.services.money_stats import MoneyFigures, MoneyLine, money_figures
from recuperation.services.rates import CardInput, LineInput
from recuperation.services.routes import RouteItemInput
from recuperation.services.statistics import Period, period_stats
from recuperation.storage.database import Database
from recuperation.workbooks import export_statistics
from tests.factories import certified_base, confirm_orders, partner, person_id, valid_uscc

D = dt.date
ROOM, MEAL, ACTIVITY = RateKind.ROOM.value, RateKind.MEAL.value, RateKind.ACTIVITY.value
NIGHT, PERSON = RateUnit.PER_ROOM_NIGHT.value, RateUnit.PER_PERSON.value


@dataclass(frozen=True)
class MoneyYear:
    a: str
    b: str
    c: str
    d: str
    e: str
    x: int  # the bases' ids
    y: int
    z: int


def _card(base_id: int, title: str, lines: tuple[LineInput, ...]) -> CardInput:
    return CardInput(
        base_id=base_id,
        name="2021 年协议价",
        valid_from=D(2021, 1, 1),
        valid_to=D(2021, 12, 31),
        invoice_title=title,
        uscc=valid_uscc(),
        bank_name="中国工商银行建德支行",
        bank_account="1202026709000123456",
        tax_bp=600,
        lines=lines,
    )


def _complete(db: Database, batch_id: int) -> None:
    confirm_orders(db, batch_id)
    for status in ("confirmed", "in_progress", "completed"):
        row = batches.get_batch(db, batch_id)
        batches.set_status(db, batch_id, row.version, status)


def _invoice(
    db: Database, batch_id: int, base_id: int, number: str, fen: int, state: str, **more: Any
) -> int:
    with db.session(write=True) as session:
        invoice = BaseInvoice(
            batch_id=batch_id,
            base_id=base_id,
            number=number,
            issued_on=D(2021, 6, 20),
            amount_fen=fen,
            state=state,
            approved_by="王主任" if state != "received" else "",
            approved_on=D(2021, 6, 25) if state != "received" else None,
        )
        session.add(invoice)
        session.flush()
        assert invoice.id is not None
        if more.get("adjustment"):
            session.add(
                InvoiceAdjustment(invoice_id=invoice.id, amount_fen=more["adjustment"], reason="延迟退房")
            )
        if more.get("paid"):
            session.add(Payment(invoice_id=invoice.id, paid_on=D(2021, 7, 1), amount_fen=more["paid"]))
        return invoice.id


def money_year(db: Database) -> MoneyYear:
    ningbo, port = partner(db, "宁波大学"), partner(db, "浙江海港集团")
    x = certified_base(db, "寿昌宾馆", beds=20)
    y = certified_base(db, "草莓小镇农庄", beds=0)
    z = certified_base(db, "新安江大酒店", beds=100)
    rates.create_card(
        db,
        _card(
            x.id,
            "建德市寿昌宾馆有限公司",
            (
                LineInput(ROOM, "twin", NIGHT, 30000),
                LineInput(MEAL, "breakfast", PERSON, 2500),
                LineInput(MEAL, "lunch", PERSON, 6000),
                LineInput(MEAL, "dinner", PERSON, 6000),
            ),
        ),
    )
    rates.create_card(
        db,
        _card(
            y.id,
            "建德市草莓小镇农庄",
            (LineInput(MEAL, "lunch", PERSON, 5000), LineInput(ACTIVITY, "采摘", PERSON, 4000)),
        ),
    )
    # A: three members and a companion, two nights at X, lunch and 采摘 at Y
    a = batches.create_batch(
        db,
        batches.BatchInput(
            ningbo.id,
            D(2021, 6, 1),
            D(2021, 6, 3),
            3,
            lodging=tuple(batches.LodgingInput(x.id, D(2021, 6, n), 4) for n in (1, 2)),
            itinerary=(
                RouteItemInput(1, "入住", kind="lodging", base_id=x.id),
                RouteItemInput(1, "晚餐", kind="dinner", base_id=x.id),
                RouteItemInput(2, "早餐", kind="breakfast", base_id=x.id),
                RouteItemInput(2, "午餐", kind="lunch", base_id=y.id),
                RouteItemInput(2, "采摘", time_of_day="下午", base_id=y.id),
                RouteItemInput(2, "晚餐", kind="dinner", base_id=x.id),
                RouteItemInput(2, "入住", kind="lodging", base_id=x.id),
                RouteItemInput(3, "早餐", kind="breakfast", base_id=x.id),
            ),
        ),
    )
    people = []
    for n, name in enumerate(("职工甲", "职工乙", "职工丙", "家属丁")):
        row, _ = rosters.add_participant(db, a.id, rosters.ParticipantInput(name, person_id(300 + n)))
        people.append(row)
    people[3] = roster_moves.set_companion(db, people[3].id, people[3].version, True)
    for person, mark in zip(people, ("attended", "attended", "left_early", "attended"), strict=True):
        attendance.mark(
            db, person.id, person.version, mark, left_on=D(2021, 6, 2) if mark == "left_early" else None
        )
    _complete(db, a.id)
    attendance.close_roll_call(db, a.id, D(2021, 6, 3))
    # B: ten by headcount, one night at X, on a route
    route = routes.create_route(db, routes.RouteInput("R-CM", "草莓小镇研学线路", "study", 2, 1, items=()))
    b = batches.create_batch(
        db,
        batches.BatchInput(
            port.id,
            D(2021, 6, 10),
            D(2021, 6, 11),
            10,
            route_id=route.id,
            lodging=(batches.LodgingInput(x.id, D(2021, 6, 10), 10),),
            itinerary=(
                RouteItemInput(1, "入住", kind="lodging", base_id=x.id),
                RouteItemInput(1, "晚餐", kind="dinner", base_id=x.id),
                RouteItemInput(2, "早餐", kind="breakfast", base_id=x.id),
            ),
        ),
    )
    _complete(db, b.id)
    # C: two members, a night at Z, which has no rate card
    c = batches.create_batch(
        db,
        batches.BatchInput(
            ningbo.id,
            D(2021, 7, 20),
            D(2021, 7, 21),
            2,
            lodging=(batches.LodgingInput(z.id, D(2021, 7, 20), 2),),
            itinerary=(
                RouteItemInput(1, "入住", kind="lodging", base_id=z.id),
                RouteItemInput(1, "晚餐", kind="dinner", base_id=z.id),
            ),
        ),
    )
    for n, name in enumerate(("职工戊", "职工己")):
        rosters.add_participant(db, c.id, rosters.ParticipantInput(name, person_id(310 + n)))
    # D: cancelled; E: a training class with no base
    d = batches.create_batch(
        db,
        batches.BatchInput(
            ningbo.id,
            D(2021, 6, 15),
            D(2021, 6, 16),
            8,
            lodging=(batches.LodgingInput(x.id, D(2021, 6, 15), 8),),
        ),
    )
    batches.set_status(db, d.id, batches.get_batch(db, d.id).version, "cancelled", reason="单位临时取消")
    e = batches.create_batch(
        db, batches.BatchInput(ningbo.id, D(2021, 9, 1), D(2021, 9, 1), 20, kind="training")
    )
    _invoice(db, a.id, x.id, "00012345", 181500, "approved", adjustment=2000, paid=100000)
    _invoice(db, b.id, x.id, "00012346", 240000, "received")
    return MoneyYear(a.code, b.code, c.code, d.code, e.code, x.id, y.id, z.id)


def _line(lines: tuple[MoneyLine, ...], name: str) -> tuple[object, ...]:
    line = next(li for li in lines if li.name == name)
    return (
        line.batches,
        line.person_days,
        line.companion_person_days,
        line.cost_fen,
        line.member_cost_fen,
        line.per_person_day_fen,
        line.incomplete,
    )


def assert_lines_add_up(money: MoneyFigures) -> None:
    """Every table's lines add up to the total in fen (and, but by base, in batches and person-days)."""
    total = money.total
    for lines in (money.by_kind, money.by_partner, money.by_route, money.by_month, money.by_base):
        assert sum(li.cost_fen for li in lines) == total.cost_fen
        assert sum(li.member_cost_fen for li in lines) == total.member_cost_fen
        assert sum(li.companion_cost_fen for li in lines) == total.companion_cost_fen
        assert sum(li.incomplete for li in lines) == total.incomplete
        if lines is not money.by_base:  # a batch counts in full at each base it cost at
            assert sum(li.batches for li in lines) == total.batches
            assert sum(li.person_days for li in lines) == total.person_days
            assert sum(li.companion_person_days for li in lines) == total.companion_person_days
    assert sum(s.fen for s in money.sources) == total.cost_fen
    assert sum(s.incomplete for s in money.sources) == total.incomplete == len(money.gaps)
    paid = money.paid
    for name in (
        "invoices",
        "invoiced_fen",
        "paid_fen",
        "awaiting_fen",
        "due_fen",
        "uninvoiced",
        "uninvoiced_fen",
    ):
        assert sum(getattr(li, name) for li in money.paid_by_base) == getattr(paid, name), name
    assert paid.outstanding_fen == paid.invoiced_fen - paid.paid_fen


def test_the_years_money_by_hand(db: Database) -> None:
    year = money_year(db)
    with db.session() as session:
        money = money_stats.year_money(session, 2021)
    assert (money.start, money.end) == (D(2021, 1, 1), D(2021, 12, 31))
    # (batches, person-days, companions' person-days, cost, members' cost, per person-day, incomplete)
    assert _line((money.total,), "") == (4, 52, 3, 452500, 393182, 7561, 1)
    assert money.total.companion_cost_fen == 49500 + 9818
    assert [li.name for li in money.by_kind] == ["疗休养", "培训班", "会议"]
    assert _line(money.by_kind, "疗休养") == (3, 32, 3, 452500, 393182, 12287, 1)  # 393182 / 32 = 12286.9
    assert _line(money.by_kind, "培训班") == (1, 20, 0, 0, 0, 0, 0)
    assert _line(money.by_kind, "会议") == (0, 0, 0, 0, 0, None, 0)  # no person-days: no figure, never 0
    # by partner: A, C and E are 宁波大学's (cost 181500 + 36000), B 浙江海港集团's; most cost first
    assert [li.name for li in money.by_partner] == ["浙江海港集团", "宁波大学"]
    assert _line(money.by_partner, "宁波大学") == (3, 32, 3, 217500, 158182, 4943, 1)  # 158182 / 32
    assert _line(money.by_partner, "浙江海港集团") == (1, 20, 0, 235000, 235000, 11750, 0)
    # by base: X has A's invoice and B's planned cost; each batch's person-days in full at each base
    assert [li.name for li in money.by_base] == ["寿昌宾馆", "草莓小镇农庄", "新安江大酒店", "（未安排基地）"]
    assert _line(money.by_base, "寿昌宾馆") == (2, 28, 3, 416500, 367000, 13107, 0)  # 367000 / 28 = 13107.1
    assert _line(money.by_base, "草莓小镇农庄") == (1, 8, 3, 36000, 26182, 3273, 0)  # 26182 / 8 = 3272.75
    assert _line(money.by_base, "新安江大酒店") == (1, 4, 0, 0, 0, 0, 1)
    assert _line(money.by_base, "（未安排基地）") == (1, 20, 0, 0, 0, 0, 0)
    assert _line(money.by_route, "草莓小镇研学线路") == (1, 20, 0, 235000, 235000, 11750, 0)
    assert _line(money.by_route, "（无线路）") == (3, 32, 3, 217500, 158182, 4943, 1)
    assert [li.name for li in money.by_month] == [f"2021-{m:02d}" for m in range(1, 13)]
    assert _line(money.by_month, "2021-06") == (2, 28, 3, 452500, 393182, 14042, 0)  # A and B
    assert _line(money.by_month, "2021-07") == (1, 4, 0, 0, 0, 0, 1)
    assert _line(money.by_month, "2021-01") == (0, 0, 0, 0, 0, None, 0)
    # where the costs come from: A at X invoiced, A at Y actual, B at X and C at Z planned (C's incomplete)
    assert [(s.source, s.costs, s.fen, s.incomplete) for s in money.sources] == [
        ("invoice", 1, 181500, 0),
        ("actual", 1, 36000, 0),
        ("planned", 2, 235000, 1),
    ]
    assert [(g.batch_code, g.base, g.source, g.missing, g.known_fen) for g in money.gaps] == [
        (year.c, "新安江大酒店", "planned", 2, 0)  # the room and the dinner
    ]
    assert money.no_base == (year.e,)
    assert not money.complete
    # paid and outstanding: A's invoice ¥1,815.00 approved, ¥1,000.00 paid; B's ¥2,400.00 received; A at Y
    # completed and not invoiced (¥360.00)
    paid = money.paid
    assert (paid.invoices, paid.invoiced_fen, paid.paid_fen) == (2, 421500, 100000)
    assert (paid.awaiting_fen, paid.due_fen, paid.outstanding_fen) == (240000, 81500, 321500)
    assert (paid.uninvoiced, paid.uninvoiced_fen) == (1, 36000)
    assert [
        (p.name, p.invoices, p.invoiced_fen, p.paid_fen, p.outstanding_fen, p.uninvoiced_fen)
        for p in money.paid_by_base
    ] == [
        ("寿昌宾馆", 2, 421500, 100000, 321500, 0),
        ("草莓小镇农庄", 0, 0, 0, 0, 36000),
    ]
    assert money.top_bases(1)[0].name == "寿昌宾馆"
    # A's invoice is its actual cost at X and the explained late checkout
    a = batches.find_batch(db, year.a)
    assert a is not None
    sheets = rates.batch_costs(db, [a.id])
    actual = sheets[(a.id, year.x)].actual
    assert actual is not None and actual.total_fen == 179500 == 181500 - 2000
    assert_lines_add_up(money)
    # the recuperation batches' person-days are the statistics' attended ones
    stats = period_stats(db, Period.year(2021))
    assert stats.attendance.attended_person_days == 32


def test_the_actual_cost_and_an_approved_invoice_take_over_from_the_plan(db: Database) -> None:
    money_year(db)
    period = Period.year(2021)
    before = money_figures(db, period)
    assert _line(before.by_base, "寿昌宾馆")[3] == 416500  # B planned ¥2,350.00
    # B's invoice is approved: its ¥2,400.00 is now B's cost at X; nothing else moves
    with db.session(write=True) as session:
        invoice = session.exec(select(BaseInvoice).where(BaseInvoice.number == "00012346")).one()
        invoice.state, invoice.approved_on, invoice.approved_by = "approved", D(2021, 6, 26), "王主任"
    after = money_figures(db, period)
    assert _line(after.by_base, "寿昌宾馆")[3] == 181500 + 240000
    assert after.total.cost_fen == before.total.cost_fen + 5000
    assert [(s.source, s.costs, s.fen) for s in after.sources] == [
        ("invoice", 2, 421500),
        ("actual", 1, 36000),
        ("planned", 1, 0),
    ]
    assert (after.paid.awaiting_fen, after.paid.due_fen) == (0, 81500 + 240000)
    assert_lines_add_up(after)


def test_a_period_counts_its_batches_by_arrival(db: Database) -> None:
    money_year(db)
    june = money_figures(db, Period.month(2021, 6))
    assert _line((june.total,), "") == (2, 28, 3, 452500, 393182, 14042, 0)
    assert [li.name for li in june.by_month] == ["2021-06"]
    assert (june.paid.invoices, june.no_base, june.gaps) == (2, (), ())
    assert_lines_add_up(june)
    empty = money_figures(db, Period.year(2020))
    assert _line((empty.total,), "") == (0, 0, 0, 0, 0, None, 0)
    assert empty.by_partner == () and empty.paid.invoices == 0
    assert_lines_add_up(empty)


def test_money_is_read_with_a_fixed_number_of_queries(db: Database) -> None:
    year = money_year(db)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    def queries() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            money_figures(db, Period.year(2021))
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    few = queries()
    # more batches of the same kinds (headcount only, on X; a roster at Z): the same queries
    b = batches.find_batch(db, year.b)
    assert b is not None
    for day in (5, 12, 19):
        batches.create_batch(
            db,
            batches.BatchInput(
                b.partner_id,
                D(2021, 8, day),
                D(2021, 8, day + 1),
                6,
                lodging=(batches.LodgingInput(year.x, D(2021, 8, day), 6),),
            ),
        )
    assert queries() == few


def test_the_demo_years_totals_are_the_sums_of_their_lines(demo_db: Database) -> None:
    money = money_figures(demo_db, Period.year(2021))
    assert money.total.batches > 1000 and money.total.cost_fen > 0
    assert_lines_add_up(money)
    stats = period_stats(demo_db, Period.year(2021))
    recuperation = next(li for li in money.by_kind if li.name == "疗休养")
    assert recuperation.batches == stats.batches
    assert recuperation.person_days == stats.attendance.attended_person_days
    # every invoice of the year's batches is counted, and what was paid on them
    with demo_db.engine.connect() as conn:
        from sqlalchemy import text

        invoiced, count = conn.execute(
            text(
                "SELECT COALESCE(SUM(i.amount_fen), 0), COUNT(*) FROM base_invoice i JOIN batch b ON b.id = "
                "i.batch_id WHERE b.status <> 'cancelled' AND b.arrival BETWEEN '2021-01-01' AND '2021-12-31'"
            )
        ).one()
    assert (money.paid.invoiced_fen, money.paid.invoices) == (int(invoiced), int(count))
    assert money.source("invoice").costs > 0.9 * money.paid.invoices


def test_stats_money_prints_the_figures_and_leaves_the_json_as_it_was(db: Database, capsys) -> None:
    year = money_year(db)
    assert cli_main(["--db", db.url, "stats", "--year", "2021", "--json"]) == 0
    plain = capsys.readouterr().out
    # without --money, byte for byte what the statistics have always printed
    assert (
        plain
        == json.dumps(period_stats(db, Period.year(2021)).to_json(), ensure_ascii=False, indent=2) + "\n"
    )
    assert cli_main(["--db", db.url, "stats", "--year", "2021", "--json", "--money"]) == 0
    data = json.loads(capsys.readouterr().out)
    money = data.pop("money")
    assert data == json.loads(plain)
    assert money["total"]["cost_fen"] == 452500 and money["total"]["per_person_day_fen"] == 7561
    assert money["paid"]["outstanding_fen"] == 321500
    assert money["no_base"] == [year.e] and money["gaps"][0]["batch"] == year.c
    assert money == json.loads(json.dumps(money_figures(db, Period.year(2021)).to_json()))
    assert cli_main(["--db", db.url, "stats", "--year", "2021", "--money"]) == 0
    out = capsys.readouterr().out
    assert "费用合计 ¥4,525.00（团员 ¥3,931.82，随行家属自费 ¥593.18）" in out
    assert "团员 52 人天，每人天费用 ¥75.61" in out
    assert "已审批发票 1 项 ¥1,815.00，按报到计算 1 项 ¥360.00，按计划计算 2 项 ¥2,350.00" in out
    assert f"1 项费用缺少价格，合计只含已定价的部分：{year.c} 新安江大酒店" in out
    assert f"1 个批次没有安排基地（住宿或行程），无法计算费用：{year.e}" in out
    assert (
        "基地发票 2 张，合计 ¥4,215.00：已付款 ¥1,000.00，未付 ¥3,215.00（待审批 ¥2,400.00，已审批未付 ¥815.00）"
        in out
    )
    assert "  寿昌宾馆：2 批次，28 人天，费用 ¥4,165.00，每人天 ¥131.07" in out
    assert "  会议：0 批次，0 人天，费用 ¥0.00，每人天 ¥—" in out
    assert cli_main(["--db", db.url, "--lang", "en", "stats", "--year", "2021", "--money"]) == 0
    assert "¥75.61 per person-day" in capsys.readouterr().out


def _block(sheet: Any, title: str) -> tuple[list[str], list[tuple[Any, ...]], tuple[Any, ...]]:
    """A block of the 费用 sheet: its header, its lines and its 合计 line (as values)."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == title) + 1
    end = next(i for i in range(start + 1, len(rows)) if rows[i][0] == "合计")
    return list(rows[start]), rows[start + 1 : end], rows[end]


def test_the_statistics_workbook_has_a_money_sheet(db: Database, tmp_path: Path) -> None:
    money_year(db)
    path = export_statistics(db, D(2021, 1, 1), D(2021, 12, 31), tmp_path / "s.xlsx").path
    book = openpyxl.load_workbook(path)
    sheet = book["费用"]
    assert sheet["A1"].value == "费用（2021-01-01 至 2021-12-31）"
    facts = {row[0].value: row[1] for row in sheet.iter_rows(min_row=4, max_row=16)}
    assert facts["费用合计（元）"].value == 4525 and facts["费用合计（元）"].number_format == "#,##0.00"
    assert (facts["团员费用（元）"].value, facts["每人天费用（元）"].value) == (3931.82, 75.61)
    assert (
        facts["团员人天"].value,
        facts["缺少价格的费用（项）"].value,
        facts["未安排基地的批次"].value,
    ) == (52, 1, 1)
    for cell in (c for row in sheet.iter_rows() for c in row):
        assert cell.data_type != "f"
        if isinstance(cell.value, float):
            assert cell.number_format == "#,##0.00"
    head, lines, total = _block(sheet, "按合作单位")
    assert head[:7] == [
        "合作单位",
        "批次",
        "团员人天",
        "费用（元）",
        "团员费用（元）",
        "随行家属自费（元）",
        "每人天费用（元）",
    ]
    assert [line[:7] for line in lines] == [
        ("浙江海港集团", 1, 20, 2350, 2350, 0, 117.5),
        ("宁波大学", 3, 32, 2175, 1581.82, 593.18, 49.43),
    ]
    assert total[:7] == ("合计", 4, 52, 4525, 3931.82, 593.18, 75.61)
    for title in ("按合作单位", "按基地", "按线路", "按月份", "按类型"):
        _head, lines, total = _block(sheet, title)
        for column in (3, 4, 5):  # amounts in fen add up exactly
            assert sum(round(line[column] * 100) for line in lines) == round(total[column] * 100), title
    _head, lines, total = _block(sheet, "按基地")
    assert total[1] is None and total[2] is None and total[6] is None  # a batch counts at each of its bases
    assert lines[-1][:4] == ("（未安排基地）", 1, 20, 0)
    _head, months, _total = _block(sheet, "按月份")
    assert months[5][:4] == ("2021年6月", 2, 28, 4525)
    head, paid, total = _block(sheet, "基地发票与付款")
    assert head[:7] == [
        "基地",
        "发票（张）",
        "已开票（元）",
        "已付款（元）",
        "待审批未付（元）",
        "已审批未付（元）",
        "未付合计（元）",
    ]
    assert paid == [
        ("寿昌宾馆", 2, 4215, 1000, 2400, 815, 3215, 0, 0),
        ("草莓小镇农庄", 0, 0, 0, 0, 0, 0, 1, 360),
    ]
    assert total == ("合计", 2, 4215, 1000, 2400, 815, 3215, 1, 360)


def test_the_annual_summary_has_a_money_section(db: Database, tmp_path: Path) -> None:
    money_year(db)
    result = render(db, "annual", 2021, tmp_path / "annual.pdf")
    body = (
        "".join(page.extract_text() for page in PdfReader(result.path).pages)
        .replace("\n", "")
        .replace(" ", "")
    )
    assert (
        "各批次在各基地的费用合计¥4,525.00（含税；按已审批发票1项¥1,815.00，按报到计算1项¥360.00，按计划计算2项"
        "¥2,350.00），其中团员¥3,931.82，随行家属自费¥593.18；团员52人天，每人天费用¥75.61。"
    ) in body
    assert (
        "基地发票2张，合计¥4,215.00，已付款¥1,000.00，未付¥3,215.00（待审批¥2,400.00，已审批未付¥815.00）；"
        "已完成、基地尚未开票1项，按计算¥360.00。另有1项费用缺少价格，以上合计只含已定价的部分。"
        "1个批次没有安排基地，未计费用。"
    ) in body
    # by kind, then the bases that cost most, the rest in one line, the total the sum of the lines
    assert "疗休养332¥4,525.00¥122.87培训班120¥0.00¥0.00会议00¥0.00—合计452¥4,525.00¥75.61" in body
    assert "寿昌宾馆2¥4,165.00¥131.07¥1,000.00¥3,215.00" in body
    assert "草莓小镇农庄1¥360.00¥32.73¥0.00¥0.00" in body
    assert "其他2个¥0.00¥0.00¥0.00合计¥4,525.00¥1,000.00¥3,215.00" in body
