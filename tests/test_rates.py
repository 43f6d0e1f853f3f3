"""Rate cards and costs: a small batch whose planned and actual cost at its base are computed by hand, the
rules a card must keep, exact money and tax, the migration up and down."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from recuperation.errors import RuleViolation, StaleEditError, ValidationError
from recuperation.labels import labels
from recuperation.models import AuditEntry, RateKind, RateLine, RateUnit, RoomType
from recuperation.money import (
    MoneyError,
    parse_rate_bp,
    parse_yuan,
    rate_text,
    round_half_up,
    tax_part,
    yuan_text,
)
from recuperation.services import bases, rates
from recuperation.services.batch import attendance, batches, roster_moves, rosters
from recuperation.services.rates import CardInput, LineInput
from recuperation.services.routes import RouteItemInput
from recuperation.storage.database import Database, open_database
from tests.factories import certified_base, confirm_orders, partner, person_id, valid_uscc

D = dt.date
ROOM, MEAL, MEETING, ACTIVITY = (
    k.value for k in (RateKind.ROOM, RateKind.MEAL, RateKind.MEETING, RateKind.ACTIVITY)
)
NIGHT, PERSON, SESSION = (
    u.value for u in (RateUnit.PER_ROOM_NIGHT, RateUnit.PER_PERSON, RateUnit.PER_SESSION)
)
SUMMER = (D(2021, 7, 1), D(2021, 8, 31))


def _lines() -> tuple[LineInput, ...]:
    """2021 at 寿昌宾馆: the summer (7–8月) raises the rooms and the dinner."""
    return (
        LineInput(ROOM, "twin", NIGHT, 30000),
        LineInput(ROOM, "twin", NIGHT, 38000, *SUMMER),
        LineInput(ROOM, "single", NIGHT, 26000),
        LineInput(ROOM, "single", NIGHT, 32000, *SUMMER),
        LineInput(MEAL, "breakfast", PERSON, 2500),
        LineInput(MEAL, "lunch", PERSON, 6000),
        LineInput(MEAL, "dinner", PERSON, 6000),
        LineInput(MEAL, "dinner", PERSON, 7000, *SUMMER),
        LineInput(MEETING, "会议室（半天）", SESSION, 120000),
        LineInput(ACTIVITY, "古镇非遗体验", PERSON, 4000),
    )


def _card(base_id: int, **changes: object) -> CardInput:
    values: dict[str, object] = {
        "base_id": base_id,
        "name": "2021 年协议价",
        "valid_from": D(2021, 1, 1),
        "valid_to": D(2021, 12, 31),
        "invoice_title": "建德市寿昌宾馆有限公司",
        "uscc": valid_uscc(),
        "bank_name": "中国工商银行建德寿昌支行",
        "bank_account": "1202 0267 0900 0123 456",
        "tax_bp": 600,
        "lines": _lines(),
    }
    values.update(changes)
    return CardInput(**values)  # type: ignore[arg-type]


@pytest.fixture
def trip(db: Database):
    """Two nights (30 June, 1 July 2021) at 寿昌宾馆: five on the roster in two twins and a single — 职工A with
    his companion in 101, 职工C and 职工D in 102, 职工E alone in 103 — and the guide; dinner on the first day,
    breakfast, a workshop, lunch and dinner on the second, breakfast on the third."""
    p = partner(db)
    base = certified_base(db, "寿昌宾馆", beds=100)
    card = rates.create_card(db, _card(base.id))
    itinerary = (
        RouteItemInput(1, "入住", kind="lodging", base_id=base.id),
        RouteItemInput(1, "晚餐", kind="dinner", base_id=base.id),
        RouteItemInput(2, "早餐", kind="breakfast", base_id=base.id),
        RouteItemInput(2, "古镇非遗体验", time_of_day="上午", base_id=base.id),
        RouteItemInput(2, "午餐", kind="lunch", base_id=base.id),
        RouteItemInput(2, "晚餐", kind="dinner", base_id=base.id),
        RouteItemInput(2, "入住", kind="lodging", base_id=base.id),
        RouteItemInput(3, "早餐", kind="breakfast", base_id=base.id),
    )
    lodging = tuple(batches.LodgingInput(base.id, D(2021, 6, 30) + dt.timedelta(days=n), 5) for n in range(2))
    batch = batches.create_batch(
        db,
        batches.BatchInput(
            p.id, D(2021, 6, 30), D(2021, 7, 2), 4, guide="邵芳", lodging=lodging, itinerary=itinerary
        ),
    )
    people = []
    for n, (name, room) in enumerate(
        (("职工A", "101"), ("家属B", "101"), ("职工C", "102"), ("职工D", "102"), ("职工E", "103"))
    ):
        row, _warnings = rosters.add_participant(
            db, batch.id, rosters.ParticipantInput(name, person_id(200 + n), room=room)
        )
        people.append(row)
    people[1] = roster_moves.set_companion(db, people[1].id, people[1].version, True)
    return batch, base, card, people


def _complete(db: Database, batch_id: int, people: list[rosters.ParticipantRow]) -> None:
    """A no-show (职工D), one who left on the second day (职工E), the others attended; completed, roll closed."""
    marks = ("attended", "attended", "attended", "no_show", "left_early")
    for person, mark in zip(people, marks, strict=True):
        attendance.mark(
            db, person.id, person.version, mark, left_on=D(2021, 7, 1) if mark == "left_early" else None
        )
    confirm_orders(db, batch_id)
    for status in ("confirmed", "in_progress", "completed"):
        row = batches.get_batch(db, batch_id)
        batches.set_status(db, batch_id, row.version, status)
    attendance.close_roll_call(db, batch_id, D(2021, 7, 2))


def _lines_of(costing: rates.Costing) -> list[tuple[str, str, str, int, int, int, bool]]:
    return [
        (li.day.isoformat(), li.kind, li.item, li.quantity, li.unit_fen, li.amount_fen, li.staff)
        for li in costing.lines
    ]


def test_the_planned_cost_is_the_orders_nights_rooms_and_meals_at_the_days_prices(db: Database, trip) -> None:
    batch, base, card, _people = trip
    sheet = rates.batch_costs(db, [batch.id])[(batch.id, base.id)]
    assert (sheet.batch_code, sheet.base) == (batch.code, "寿昌宾馆")
    assert sheet.actual is None  # not completed: nothing actual yet
    # guide: one eater more and a room of her own (a twin); the companion lodges and eats
    assert _lines_of(sheet.planned) == [
        ("2021-06-30", ROOM, "twin", 2, 30000, 60000, False),
        ("2021-06-30", ROOM, "single", 1, 26000, 26000, False),
        ("2021-06-30", ROOM, "twin", 1, 30000, 30000, True),
        ("2021-06-30", MEAL, "dinner", 6, 6000, 36000, False),
        # the summer's prices from 1 July: the night, and that day's dinner
        ("2021-07-01", ROOM, "twin", 2, 38000, 76000, False),
        ("2021-07-01", ROOM, "single", 1, 32000, 32000, False),
        ("2021-07-01", ROOM, "twin", 1, 38000, 38000, True),
        ("2021-07-01", MEAL, "breakfast", 6, 2500, 15000, False),
        ("2021-07-01", MEAL, "lunch", 6, 6000, 36000, False),
        ("2021-07-01", MEAL, "dinner", 6, 7000, 42000, False),
        ("2021-07-01", ACTIVITY, "古镇非遗体验", 5, 4000, 20000, False),
        ("2021-07-02", MEAL, "breakfast", 6, 2500, 15000, False),
    ]
    assert sheet.planned.total_fen == 426000 == sum(li.amount_fen for li in sheet.planned.lines)
    # ¥4,260.00 including 6%: tax = 426000 × 600 / 10600 = 24113.2… → 24113 fen
    assert [(t.card_id, t.rate_bp, t.gross_fen, t.tax_fen) for t in sheet.planned.taxes] == [
        (card.id, 600, 426000, 24113)
    ]
    assert (sheet.planned.tax_fen, sheet.planned.net_fen, sheet.planned.complete) == (24113, 401887, True)


def test_the_actual_cost_follows_the_roll_call(db: Database, trip) -> None:
    batch, base, _card_row, people = trip
    _complete(db, batch.id, people)
    sheet = rates.batch_costs(db, [batch.id])[(batch.id, base.id)]
    assert sheet.planned.total_fen == 426000  # the plan does not change
    assert sheet.actual is not None
    assert _lines_of(sheet.actual) == [
        # night 1: 职工D did not come, 职工C slept in 102 alone (still a twin made up), 职工E in 103
        ("2021-06-30", ROOM, "twin", 2, 30000, 60000, False),
        ("2021-06-30", ROOM, "single", 1, 26000, 26000, False),
        ("2021-06-30", ROOM, "twin", 1, 30000, 30000, True),
        ("2021-06-30", MEAL, "dinner", 5, 6000, 30000, False),
        # night 2: 职工E left on 1 July: room 103 unused; she had that day's breakfast, lunch and workshop
        ("2021-07-01", ROOM, "twin", 2, 38000, 76000, False),
        ("2021-07-01", ROOM, "twin", 1, 38000, 38000, True),
        ("2021-07-01", MEAL, "breakfast", 5, 2500, 12500, False),
        ("2021-07-01", MEAL, "lunch", 5, 6000, 30000, False),
        ("2021-07-01", MEAL, "dinner", 4, 7000, 28000, False),
        ("2021-07-01", ACTIVITY, "古镇非遗体验", 4, 4000, 16000, False),
        ("2021-07-02", MEAL, "breakfast", 4, 2500, 10000, False),
    ]
    assert sheet.actual.total_fen == 356500
    # 356500 × 600 / 10600 = 20179.24… → 20179
    assert (sheet.actual.tax_fen, sheet.actual.net_fen) == (20179, 336321)


def test_a_missing_price_is_a_finding_never_zero(db: Database, trip) -> None:
    batch, base, card, _people = trip
    # the card loses its single room and its lunch: those needs have no price (the summer's dinner gone, the
    # whole card's dinner would price it: that is no finding)
    lines = tuple(li for li in _lines() if li.item not in ("single", "lunch"))
    rates.update_card(db, card.id, card.version, _card(base.id, lines=lines))
    sheet = rates.batch_costs(db, [batch.id])[(batch.id, base.id)]
    missing = [(m.day.isoformat(), m.item, m.quantity, m.card_id) for m in sheet.planned.missing]
    assert missing == [
        ("2021-06-30", "single", 1, card.id),
        ("2021-07-01", "single", 1, card.id),
        ("2021-07-01", "lunch", 6, card.id),
    ]
    assert not sheet.planned.complete
    assert sheet.planned.total_fen == 426000 - 26000 - 32000 - 36000
    assert "单人间" in sheet.planned.missing[0].message("寿昌宾馆")
    # no card at all on the days: every room and meal is a finding naming the missing card
    current = rates.get_card(db, card.id)
    rates.update_card(db, card.id, current.version, _card(base.id, valid_to=D(2021, 6, 29), lines=()))
    sheet = rates.batch_costs(db, [batch.id])[(batch.id, base.id)]
    assert sheet.planned.lines == () and len(sheet.planned.missing) == 11
    assert {m.card_id for m in sheet.planned.missing} == {None}
    assert "没有有效的价目表" in sheet.planned.missing[0].message("寿昌宾馆")


def test_costs_of_many_batches_take_a_fixed_number_of_queries(db: Database, trip) -> None:
    batch, _base, _card_row, people = trip
    _complete(db, batch.id, people)
    counted: list[str] = []
    from sqlalchemy import event

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        counted.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        rates.batch_costs(db, [batch.id])
        one = len(counted)
        counted.clear()
        rates.batch_costs(db, [batch.id, *range(10_000, 10_400)])  # 400 ids that are no batch
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(counted) == one


def test_price_on_takes_the_season_else_the_whole_card(db: Database) -> None:
    base = certified_base(db, "寿昌宾馆")
    card = rates.create_card(db, _card(base.id))
    assert rates.price_on(card, ROOM, "twin", D(2021, 6, 30)).price_fen == 30000  # type: ignore[union-attr]
    assert rates.price_on(card, ROOM, "twin", D(2021, 7, 1)).price_fen == 38000  # type: ignore[union-attr]
    assert rates.price_on(card, ROOM, "twin", D(2021, 8, 31)).price_fen == 38000  # type: ignore[union-attr]
    assert rates.price_on(card, ROOM, "twin", D(2021, 9, 1)).price_fen == 30000  # type: ignore[union-attr]
    assert rates.price_on(card, ROOM, "suite", D(2021, 7, 1)) is None
    assert rates.price_on(card, ROOM, "twin", D(2022, 1, 1)) is None  # outside the card


def test_a_bases_cards_may_not_overlap(db: Database) -> None:
    base = certified_base(db, "寿昌宾馆")
    rates.create_card(db, _card(base.id))
    with pytest.raises(RuleViolation) as refused:
        rates.create_card(
            db,
            _card(base.id, name="2021 下半年价", valid_from=D(2021, 7, 1), valid_to=D(2022, 6, 30), lines=()),
        )
    message = refused.value.message
    assert "2021 年协议价" in message and "2021 下半年价" in message and "寿昌宾馆" in message
    assert refused.value.field == "valid_from"
    # the day after the old one ends: accepted; another base's card may cover the same days
    rates.create_card(
        db, _card(base.id, name="2022 年协议价", valid_from=D(2022, 1, 1), valid_to=D(2022, 12, 31), lines=())
    )
    other = certified_base(db, "大慈岩山庄")
    rates.create_card(db, _card(other.id))
    with pytest.raises(ValidationError, match="已存在"):  # one name once per base
        rates.create_card(db, _card(base.id, valid_from=D(2023, 1, 1), valid_to=D(2023, 12, 31), lines=()))
    assert len(rates.list_cards(db, base.id)) == 2 and len(rates.list_cards(db)) == 3


@pytest.mark.parametrize(
    ("lines", "key", "where"),
    [
        # a season outside its card
        (
            (LineInput(ROOM, "twin", NIGHT, 30000, D(2021, 12, 1), D(2022, 2, 28)),),
            "rate.season_outside",
            "last_day",
        ),
        # two seasons of one item that overlap
        (
            (
                LineInput(ROOM, "twin", NIGHT, 38000, D(2021, 7, 1), D(2021, 8, 31)),
                LineInput(ROOM, "标间", NIGHT, 40000, D(2021, 8, 1), D(2021, 8, 15)),
            ),
            "rate.line_overlap",
            "first_day",
        ),
        # two prices of one item for the whole card
        (
            (LineInput(MEAL, "早餐", PERSON, 2500), LineInput(MEAL, "breakfast", PERSON, 3000)),
            "rate.line_overlap",
            "first_day",
        ),
        ((LineInput(ROOM, "twin", NIGHT, 30000, D(2021, 7, 1), None),), "rate.season_half", "last_day"),
        (
            (LineInput(ROOM, "twin", NIGHT, 30000, D(2021, 8, 1), D(2021, 7, 1)),),
            "rate.season_order",
            "last_day",
        ),
        ((LineInput(MEAL, "宵夜", PERSON, 3000),), "rate.meal_item", "item"),
        ((LineInput(ROOM, "twin", PERSON, 30000),), "rate.unit_for_kind", "unit"),
        ((LineInput(ROOM, "twin", NIGHT, -1),), "rate.bad_price", "unit_price"),
    ],
)
def test_a_cards_lines_are_checked(db: Database, lines, key: str, where: str) -> None:
    base = certified_base(db, "寿昌宾馆")
    with pytest.raises(ValidationError) as refused:
        rates.create_card(db, _card(base.id, lines=(LineInput(MEAL, "lunch", PERSON, 6000), *lines)))
    assert (refused.value.key, refused.value.field) == (key, where)
    assert refused.value.params["line"] >= 1  # the line at fault, for a form or a file to point at
    assert "寿昌宾馆" in refused.value.message and "2021 年协议价" in refused.value.message
    assert rates.list_cards(db) == []


def test_a_seasons_price_and_the_whole_cards_do_not_clash(db: Database) -> None:
    base = certified_base(db, "寿昌宾馆")
    card = rates.create_card(db, _card(base.id))
    assert len(card.lines) == len(_lines())
    # written by its label, a room type or a meal is stored as its code
    assert {li.item for li in card.lines if li.kind in (ROOM, MEAL)} == {
        "twin",
        "single",
        "breakfast",
        "lunch",
        "dinner",
    }


def test_the_invoice_details_are_checked(db: Database) -> None:
    base = certified_base(db, "寿昌宾馆")
    with pytest.raises(ValidationError) as refused:
        rates.create_card(db, _card(base.id, uscc="91330182MA2B0N5Q8A"))
    assert refused.value.field == "uscc" and "统一社会信用代码" in refused.value.message
    assert "寿昌宾馆" in refused.value.message
    with pytest.raises(ValidationError) as refused:
        rates.create_card(db, _card(base.id, tax_bp=10_001))
    assert refused.value.field == "tax_bp"
    with pytest.raises(ValidationError) as refused:
        rates.create_card(db, _card(base.id, valid_to=D(2020, 12, 31)))
    assert refused.value.field == "valid_to"
    # written in groups or full-width, the code is stored as its 18 characters
    code = valid_uscc()
    card = rates.create_card(db, _card(base.id, uscc=f"{code[:4]} {code[4:10]}-{code[10:]}".lower()))
    assert card.uscc == code


def test_a_card_names_a_realistic_tax_rate_and_dates_from_2000(db: Database) -> None:
    """China's VAT rates are 0–13%: above 30% is a slip (and 100% exported as 1.0 read back as 1%); a date
    before 2000 is a slip too (and 1899 cannot be a workbook's date cell).  The service refuses them, so a
    form, an import and the command line all do."""
    base = certified_base(db, "寿昌宾馆")
    for bp in (3001, 10_000):
        with pytest.raises(ValidationError) as refused:
            rates.create_card(db, _card(base.id, tax_bp=bp))
        assert refused.value.field == "tax_bp" and "2021 年协议价" in refused.value.message
        assert "0% 到 30%" in refused.value.message
    for changes, field in (
        ({"valid_from": D(1999, 12, 31)}, "valid_from"),
        ({"valid_from": D(1899, 12, 31), "valid_to": D(1899, 12, 31), "lines": ()}, "valid_from"),
    ):
        with pytest.raises(ValidationError) as refused:
            rates.create_card(db, _card(base.id, **changes))
        assert refused.value.key == "rate.card_early" and refused.value.field == field
        assert "早于 2000 年" in refused.value.message and "寿昌宾馆" in refused.value.message
    # a season before 2000 lies outside any card it may belong to
    season = (LineInput(ROOM, "twin", NIGHT, 30000, D(1999, 7, 1), D(1999, 8, 31)),)
    with pytest.raises(ValidationError) as refused:
        rates.create_card(db, _card(base.id, valid_from=D(2000, 1, 1), lines=season))
    assert refused.value.field == "first_day" and refused.value.params["line"] == 0
    card = rates.create_card(db, _card(base.id, valid_from=D(2000, 1, 1), tax_bp=3000))
    assert (card.valid_from, card.tax_bp) == (D(2000, 1, 1), 3000)  # the limits themselves are kept


def test_changes_are_versioned_audited_and_one_transaction(db: Database) -> None:
    base = certified_base(db, "寿昌宾馆")
    card = rates.create_card(db, _card(base.id))
    lines = tuple(
        LineInput(li.kind, li.item, li.unit, 42000, li.first_day, li.last_day)
        if (li.item, li.first_day) == ("twin", SUMMER[0])
        else li
        for li in _lines()
        if li.item != "古镇非遗体验"
    )
    changed = rates.update_card(db, card.id, card.version, _card(base.id, lines=lines, tax_bp=300))
    assert changed.version == card.version + 1 and changed.tax_bp == 300
    with pytest.raises(StaleEditError):
        rates.update_card(db, card.id, card.version, _card(base.id))
    with db.session() as session:
        rows = session.exec(
            select(AuditEntry).where(AuditEntry.table_name == "rate_card").order_by(AuditEntry.id)
        ).all()
    fields = [(r.action, r.field) for r in rows]
    assert ("create", "") in fields and ("create", "lines") in fields and ("update", "tax_bp") in fields
    [lines_row] = [r for r in rows if (r.action, r.field) == ("update", "lines")]
    assert "标准间 2021-07-01至2021-08-31 380.00元/每间每晚" in (lines_row.old or "")
    assert "420.00元" in (lines_row.new or "") and "古镇非遗体验" in (lines_row.old or "")
    # a refused change writes nothing, its lines neither
    bad = (*lines, LineInput(ROOM, "twin", NIGHT, 1, D(2021, 7, 15), D(2021, 7, 20)))
    with pytest.raises(ValidationError):
        rates.update_card(db, card.id, changed.version, _card(base.id, lines=bad))
    assert rates.get_card(db, card.id) == changed
    # deleting keeps the prices in the audit log; a base with cards is not deleted
    with pytest.raises(RuleViolation, match="价目表"):
        bases.delete_base(db, base.id, bases.list_bases(db)[0].version)
    rates.delete_card(db, card.id, changed.version)
    assert rates.list_cards(db) == []
    with db.session() as session:
        assert session.exec(select(RateLine)).all() == []
        deleted = session.exec(select(AuditEntry).where(AuditEntry.action == "delete")).one()
    assert deleted.field == "lines" and "420.00元" in (deleted.old or "")


# -- money ------------------------------------------------------------------------------------------------------


def test_tax_is_rounded_half_up_at_the_half_fen() -> None:
    # 6%: an exact half never happens (53 is odd); 20%: 1/6 of the total; 60%: 3/8; 100%: half
    assert tax_part(3, 2000) == 1  # 0.5 → 1
    assert tax_part(9, 2000) == 2  # 1.5 → 2
    assert tax_part(15, 2000) == 3  # 2.5 → 3 (half up, not to even)
    assert tax_part(4, 6000) == 2  # 1.5 → 2
    assert tax_part(12, 6000) == 5  # 4.5 → 5
    assert tax_part(1, 10_000) == 1  # 0.5 → 1
    assert tax_part(2, 2000) == 0  # 0.33 → 0
    assert tax_part(0, 600) == 0 and tax_part(10_600, 600) == 600
    assert round_half_up(-3, 2) == -2 and round_half_up(-5, 4) == -1  # halves away from zero
    for rate in (100, 300, 600, 900, 1300):  # the same as Decimal's half-up on exact values
        for gross in range(0, 200_000, 37):
            exact = (Decimal(gross) * rate / (10_000 + rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            assert tax_part(gross, rate) == int(exact), (gross, rate)


def test_money_is_read_exactly() -> None:
    assert parse_yuan("1,260.50") == 126050
    assert parse_yuan("￥380") == parse_yuan("380元") == parse_yuan(380) == parse_yuan(380.0) == 38000
    assert parse_yuan(0.07) == 7 and parse_yuan(123456.78) == 12345678
    assert parse_yuan(0.1 + 0.2) == 30  # a formula's 0.30000000000000004: the cell shows 0.30
    assert parse_yuan("３８０．５") == 38050  # full-width
    for bad, key in (
        ("380.125", "money.fraction_of_fen"),
        (380.125, "money.fraction_of_fen"),
        ("-1", "money.negative"),
        ("三百", "money.not_amount"),
        ("1,5", "money.not_amount"),
        (float("nan"), "money.not_amount"),
        ("2000000", "money.too_large"),
        (True, "money.not_amount"),
    ):
        with pytest.raises(MoneyError) as refused:
            parse_yuan(bad)
        assert refused.value.key == key, bad
    assert all(parse_yuan(f / 100) == f for f in range(0, 10_000_000, 997))
    assert parse_rate_bp("6%") == parse_rate_bp(6) == parse_rate_bp(0.06) == parse_rate_bp("6") == 600
    assert parse_rate_bp("1.5%") == 150 and parse_rate_bp(0) == 0 and parse_rate_bp(0.13) == 1300
    for bad in ("6.125%", "120%", "-1%", "六"):
        with pytest.raises(MoneyError):
            parse_rate_bp(bad)
    assert (yuan_text(126050), yuan_text(-5), yuan_text(100_000_000)) == ("1,260.50", "-0.05", "1,000,000.00")
    assert (rate_text(600), rate_text(150), rate_text(0)) == ("6%", "1.5%", "0%")


def test_every_new_code_has_both_labels() -> None:
    for name, enum in (("rate_kind", RateKind), ("rate_unit", RateUnit), ("room_type", RoomType)):
        assert set(labels(name)) == set(enum.values())
        assert all(labels(name, "zh")[c] != labels(name, "en")[c] for c in enum.values())


# -- the migration ------------------------------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_the_migration_adds_the_tables_to_a_file_of_0004_and_takes_them_away(tmp_path: Path) -> None:
    from recuperation.storage.engine import create_db_engine
    from recuperation.storage.schema import alembic_config, upgrade

    path = tmp_path / "old.db"
    engine = create_db_engine("sqlite:///" + str(path), foreign_keys=False)
    upgrade(engine, "0004")
    engine.dispose()
    now = "2021-03-01 09:00:00"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO base (id, version, created_at, updated_at, updated_by, name, kind, township, address,"
            " contact_name, contact_phone, beds, rooms, dining_seats, meeting_seats, notes, archived)"
            " VALUES (1, 2, ?, ?, '王芳', '寿昌宾馆', 'hotel', '寿昌镇', '', '', '', 80, 40, 100, 60, '', 0)",
            (now, now),
        )
    database = open_database(path)  # migrates to the head
    try:
        card = rates.create_card(database, _card(1))
        assert [c.name for c in rates.list_cards(database)] == [card.name]
    finally:
        database.close()
    assert list((tmp_path / "old-backups").glob("old-*-pre-migration.db"))  # a copy first
    engine = create_db_engine("sqlite:///" + str(path), foreign_keys=False)
    try:
        with engine.connect() as conn:
            from alembic import command

            command.downgrade(alembic_config(conn), "0004")
            conn.commit()
            tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
            assert "rate_card" not in tables and "rate_line" not in tables and "base" in tables
            assert conn.execute(text("SELECT name, version FROM base")).one() == ("寿昌宾馆", 2)
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0004"
            command.upgrade(alembic_config(conn), "head")
            conn.commit()
            assert conn.execute(text("SELECT count(*) FROM rate_card")).scalar() == 0
    finally:
        engine.dispose()


@pytest.mark.pg_only
@pytest.mark.pg_owner  # a migration is the owner's
def test_the_migration_goes_down_and_up_on_postgresql(db: Database) -> None:
    from alembic import command

    from recuperation.storage.schema import alembic_config

    base = certified_base(db, "寿昌宾馆")
    rates.create_card(db, _card(base.id))
    with db.engine.connect() as conn:
        command.downgrade(alembic_config(conn), "0004")
        conn.commit()
        assert conn.execute(text("SELECT to_regclass('rate_card')")).scalar() is None
        assert conn.execute(text("SELECT name FROM base")).scalar() == "寿昌宾馆"
        command.upgrade(alembic_config(conn), "head")
        conn.commit()
        assert conn.execute(text("SELECT count(*) FROM rate_line")).scalar() == 0


@pytest.mark.sqlite_only
def test_the_demos_rate_cards_are_deterministic(demo_file: Path, tmp_path: Path) -> None:
    from recuperation.demo import build_demo

    def cards(path: Path) -> list[tuple[object, ...]]:
        database = open_database(path)
        try:
            return [
                (c.base, c.name, c.valid_from, c.invoice_title, c.uscc, c.bank_account, c.tax_bp, c.lines)
                for c in rates.list_cards(database)
            ]
        finally:
            database.close()

    again = tmp_path / "again.db"
    database = open_database(again)
    build_demo(database, 1)
    database.close()
    assert cards(again) == cards(demo_file) and len(cards(again)) == 64
