"""Settlement with the bases (结算): the trip of tests/test_rates.py (planned ¥4,260.00, actual ¥3,565.00 at
寿昌宾馆) invoiced with a difference, explained line by line, approved and paid, with every rule refusing what
it must (naming the batch, the base and the figures) and writing nothing then; the line comparison; the
overview's alerts; two desks paying at once; the migration up and down."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from recuperation.errors import RuleViolation, StaleEditError, ValidationError
from recuperation.models import AuditEntry, InvoiceState
from recuperation.money import tax_part
from recuperation.services import rates, settlement
from recuperation.services.alerts import collect_alerts
from recuperation.services.batch import batches
from recuperation.services.routes import RouteItemInput
from recuperation.services.settlement import AdjustmentInput, InvoiceInput
from recuperation.storage.database import Database, open_database
from tests.factories import audit_user, certified_base, confirm_orders
from tests.test_rates import _card, _complete, trip  # noqa: F401  (the fixture)

D = dt.date
TODAY = dt.date.today()
PLANNED, ACTUAL = 426000, 356500  # hand-computed in tests/test_rates.py
MEETING = AdjustmentInput(8000, "加用会议室半天")
MEAL_BACK = AdjustmentInput(-2000, "一餐未用，按实退")


def _invoice(number: str = "04512345", amount: int = ACTUAL + 6000, **changes: Any) -> InvoiceInput:
    values: dict[str, Any] = {"number": number, "issued_on": D(2021, 7, 5), "amount_fen": amount}
    values.update(changes)
    return InvoiceInput(**values)


def _row(db: Database, batch_id: int, base_id: int) -> settlement.SettlementRow:
    return next(r for r in settlement.settlements(db, batch_ids=[batch_id]) if r.base_id == base_id)


def _in_progress(
    db: Database,
    partner_id: int,
    base_id: int,
    arrival: D,
    people: int = 10,
    itinerary: tuple[RouteItemInput, ...] | None = None,
) -> batches.BatchRow:
    """A batch of one night at ``base_id``, confirmed by the base and under way."""
    row = batches.create_batch(
        db,
        batches.BatchInput(
            partner_id,
            arrival,
            arrival + dt.timedelta(days=1),
            people,
            lodging=(batches.LodgingInput(base_id, arrival, people),),
            itinerary=itinerary,
        ),
    )
    confirm_orders(db, row.id)
    for status in ("confirmed", "in_progress"):
        row = batches.set_status(db, row.id, batches.get_batch(db, row.id).version, status)
    return row


def _audit(db: Database, table: str) -> list[tuple[str, str, str | None, str | None]]:
    with db.session() as session:
        rows = session.exec(
            select(AuditEntry).where(AuditEntry.table_name == table).order_by(AuditEntry.id)
        ).all()
    return [(r.action, r.field, r.old, r.new) for r in rows]


# -- the whole way: a difference explained, approved, paid --------------------------------------------------------


def test_an_invoice_with_a_difference_is_explained_approved_and_paid(db: Database, trip) -> None:  # noqa: F811
    batch, base, _card_row, people = trip
    _complete(db, batch.id, people)
    row = _row(db, batch.id, base.id)
    assert (row.planned_fen, row.actual_fen, row.expected_fen, row.expected_source) == (
        PLANNED,
        ACTUAL,
        ACTUAL,
        "actual",
    )
    assert (row.state, row.invoice, row.difference_fen) == ("none", None, None)

    # ¥3,625.00 against ¥3,565.00 actual: ¥60.00 more, not yet explained
    invoice = settlement.record_invoice(db, batch.id, base.id, _invoice())
    assert (invoice.amount_fen, invoice.tax_bp, invoice.state) == (362500, 600, "received")
    # tax inside ¥3,625.00 at 6%: 362500 × 600 / 10600 = 20518.87 → 20519 fen
    assert invoice.tax_fen == 20519 == tax_part(362500, 600)
    row = _row(db, batch.id, base.id)
    assert (row.difference_fen, row.explained_fen, row.unexplained_fen) == (6000, 0, 6000)

    with pytest.raises(RuleViolation) as refused:
        settlement.approve(db, invoice.id, invoice.version, on=D(2021, 7, 10))
    message = refused.value.message
    assert refused.value.key == "settle.unexplained" and refused.value.field == "adjustments"
    for figure in (batch.code, "寿昌宾馆", "04512345", "3,625.00", "3,565.00", "+60.00", "补充"):
        assert figure in message, figure
    assert settlement.get_invoice(db, invoice.id) == invoice  # nothing written

    # +¥80.00 a meeting room, −¥20.00 a meal not taken: ¥60.00 explained
    explained = settlement.update_invoice(
        db, invoice.id, invoice.version, _invoice(adjustments=(MEETING, MEAL_BACK))
    )
    assert explained.version == invoice.version + 1
    assert [(a.amount_fen, a.reason) for a in explained.adjustments] == [
        (8000, "加用会议室半天"),
        (-2000, "一餐未用，按实退"),
    ]
    with pytest.raises(StaleEditError):  # a desk still showing the first version
        settlement.update_invoice(db, invoice.id, invoice.version, _invoice(notes="改"))
    row = _row(db, batch.id, base.id)
    assert (row.difference_fen, row.explained_fen, row.unexplained_fen) == (6000, 6000, 0)

    approved = settlement.approve(db, invoice.id, explained.version, on=D(2021, 7, 10))
    assert (approved.state, approved.approved_by, approved.approved_on) == (
        "approved",
        audit_user(db),
        D(2021, 7, 10),
    )
    with db.session() as session:
        known = settlement.known_costs(session, [batch.id])[(batch.id, base.id)]
    assert (known.fen, known.source) == (362500, "invoice")

    # paid in two parts; the payments never exceed the invoice
    with pytest.raises(ValidationError) as refused:
        settlement.pay(db, invoice.id, paid_on=D(2021, 7, 9), amount_fen=1000, reference="X")
    assert refused.value.key == "settle.pay_before_approval"
    first = settlement.pay(
        db, invoice.id, paid_on=D(2021, 7, 20), amount_fen=200000, reference="DZ20210720001"
    )
    assert (first.state, first.paid_fen, first.outstanding_fen) == ("approved", 200000, 162500)
    with pytest.raises(RuleViolation) as refused:
        settlement.pay(db, invoice.id, paid_on=D(2021, 8, 2), amount_fen=162501, reference="DZ2")
    assert refused.value.key == "settle.overpaid"
    assert "1,625.00" in refused.value.message and "1,625.01" in refused.value.message
    assert not settlement.batch_settled(db, batch.id)
    paid = settlement.pay(db, invoice.id, paid_on=D(2021, 8, 2), amount_fen=162500, reference="DZ20210802007")
    assert (paid.state, paid.paid_fen, paid.outstanding_fen) == ("paid", 362500, 0)
    assert [(p.paid_on, p.amount_fen, p.reference) for p in paid.payments] == [
        (D(2021, 7, 20), 200000, "DZ20210720001"),
        (D(2021, 8, 2), 162500, "DZ20210802007"),
    ]
    assert settlement.batch_settled(db, batch.id)
    row = _row(db, batch.id, base.id)
    assert (row.state, row.paid_fen, row.outstanding_fen, row.settled) == ("paid", 362500, 0, True)

    # a paid invoice is closed: no more payments, changes or deletion
    with pytest.raises(RuleViolation, match="已付清"):
        settlement.pay(db, invoice.id, paid_on=D(2021, 8, 3), amount_fen=1, reference="DZ3")
    with pytest.raises(RuleViolation) as refused:
        settlement.update_invoice(db, invoice.id, paid.version, _invoice(notes="迟到的备注"))
    assert refused.value.key == "settle.paid_locked"
    with pytest.raises(RuleViolation):
        settlement.delete_invoice(db, invoice.id, paid.version)

    # the audit log tells the story
    story = _audit(db, "base_invoice")
    assert story[0][:2] == ("create", "")
    assert ("update", "adjustments", "无", "+80.00元 加用会议室半天；-20.00元 一餐未用，按实退") in story
    assert ("update", "state", "received", "approved") in story
    assert ("update", "state", "approved", "paid") in story
    assert [new for _a, _f, _o, new in _audit(db, "payment")] == [
        "2021-07-20 2,000.00元 DZ20210720001",
        "2021-08-02 1,625.00元 DZ20210802007",
    ]


def test_what_is_expected_before_the_roll_call_is_the_plan(db: Database, trip) -> None:  # noqa: F811
    """In progress, the base may hand over its invoice; it is compared with the planned cost, and the
    approval waits until the batch is completed."""
    batch, base, _card_row, _people = trip
    confirm_orders(db, batch.id)
    for status in ("confirmed", "in_progress"):
        batches.set_status(db, batch.id, batches.get_batch(db, batch.id).version, status)
    invoice = settlement.record_invoice(
        db, batch.id, base.id, _invoice(amount=PLANNED, issued_on=D(2021, 7, 2))
    )
    row = _row(db, batch.id, base.id)
    assert (row.expected_fen, row.expected_source, row.actual_fen, row.difference_fen) == (
        PLANNED,
        "planned",
        None,
        0,
    )
    with pytest.raises(RuleViolation) as refused:
        settlement.approve(db, invoice.id, invoice.version)
    assert refused.value.key == "settle.approve_not_completed" and batch.code in refused.value.message
    # completed without a roll call: still the plan, and then it may be approved
    batches.set_status(db, batch.id, batches.get_batch(db, batch.id).version, "completed")
    assert _row(db, batch.id, base.id).expected_source == "planned"
    assert settlement.approve(db, invoice.id, invoice.version, on=D(2021, 7, 3)).state == "approved"


def test_approval_needs_every_price(db: Database, trip) -> None:  # noqa: F811
    batch, base, card, people = trip
    _complete(db, batch.id, people)
    invoice = settlement.record_invoice(db, batch.id, base.id, _invoice(amount=ACTUAL))
    # the card loses its lunch: the actual cost lacks a price, so no invoice can be checked against it
    lines = tuple(li for li in rates.get_card(db, card.id).as_input().lines if li.item != "lunch")
    rates.update_card(db, card.id, card.version, _card(base.id, lines=lines))
    with pytest.raises(RuleViolation) as refused:
        settlement.approve(db, invoice.id, invoice.version, on=D(2021, 7, 10))
    assert refused.value.key == "settle.incomplete"
    message = refused.value.message
    assert "实际费用" in message and "1 项价格" in message and "午餐" in message and "价目表" in message
    assert settlement.get_invoice(db, invoice.id).state == "received"


# -- what recording refuses ----------------------------------------------------------------------------------------


def test_recording_refuses_what_it_must_and_writes_nothing(db: Database, trip) -> None:  # noqa: F811
    batch, base, _card_row, people = trip
    # a planned batch is not invoiced yet
    with pytest.raises(RuleViolation) as refused:
        settlement.record_invoice(db, batch.id, base.id, _invoice())
    assert refused.value.key == "settle.batch_not_ready" and "计划" in refused.value.message
    _complete(db, batch.id, people)
    # a base the batch does not use
    other = certified_base(db, "大慈岩山庄")
    with pytest.raises(RuleViolation) as refused:
        settlement.record_invoice(db, batch.id, other.id, _invoice())
    assert refused.value.key == "settle.base_not_used"
    assert "大慈岩山庄" in refused.value.message and "这个批次的基地：寿昌宾馆" in refused.value.message
    for data, key, where in (
        (_invoice(issued_on=D(2021, 6, 29)), "settle.before_arrival", "issued_on"),
        (_invoice(issued_on=TODAY + dt.timedelta(days=1)), "settle.future_day", "issued_on"),
        (_invoice(amount=0), "settle.bad_amount", "amount"),
        (_invoice(number=""), "field.required", "invoice_number"),
        (_invoice(number="../etc/passwd"), "field.bad_code", "invoice_number"),
        (_invoice(tax_bp=10_001), "settle.bad_tax", "tax"),
        (_invoice(adjustments=(AdjustmentInput(6000, "  "),)), "settle.adjustment_reason", "adjustments"),
        (_invoice(adjustments=(AdjustmentInput(0, "无"),)), "settle.adjustment_amount", "adjustments"),
    ):
        with pytest.raises(ValidationError) as refused:
            settlement.record_invoice(db, batch.id, base.id, data)
        assert (refused.value.key, refused.value.field) == (key, where), key
        if key.startswith("settle."):
            assert batch.code in refused.value.message and "寿昌宾馆" in refused.value.message
    with pytest.raises(ValidationError) as refused:
        settlement.record_invoice(db, batch.id, base.id, _invoice(), scan=Path("/nowhere/scan.pdf"))
    assert refused.value.key == "settle.scan_missing"
    assert _row(db, batch.id, base.id).invoice is None and _audit(db, "base_invoice") == []

    first = settlement.record_invoice(db, batch.id, base.id, _invoice())
    # one invoice per batch and base
    with pytest.raises(RuleViolation) as refused:
        settlement.record_invoice(db, batch.id, base.id, _invoice(number="04512346"))
    assert refused.value.key == "settle.exists" and "04512345" in refused.value.message
    # a base's numbers never repeat, whatever the batch; another base may use the same number
    partner_id = batches.get_batch(db, batch.id).partner_id
    later = _in_progress(db, partner_id, base.id, D(2021, 9, 1))
    with pytest.raises(ValidationError) as refused:
        settlement.record_invoice(db, later.id, base.id, _invoice(issued_on=D(2021, 9, 2)))
    assert refused.value.key == "settle.duplicate_number" and batch.code in refused.value.message
    hall = certified_base(db, "新安江会堂")
    elsewhere = _in_progress(db, partner_id, hall.id, D(2021, 9, 10))
    copy = settlement.record_invoice(db, elsewhere.id, hall.id, _invoice(issued_on=D(2021, 9, 10)))
    assert copy.number == first.number
    # the tax rate follows the card valid on the arrival, else 6%
    assert copy.tax_bp == 600
    card = rates.list_cards(db, base.id)[0]
    rates.update_card(db, card.id, card.version, _card(base.id, tax_bp=300))
    third = settlement.record_invoice(
        db, later.id, base.id, _invoice(number="04519999", issued_on=D(2021, 9, 2))
    )
    assert third.tax_bp == 300


def test_an_approved_invoice_changed_is_approved_again_and_one_not_approved_may_be_deleted(
    db: Database,
    trip,  # noqa: F811
) -> None:
    batch, base, _card_row, people = trip
    _complete(db, batch.id, people)
    invoice = settlement.record_invoice(db, batch.id, base.id, _invoice(amount=ACTUAL))
    approved = settlement.approve(db, invoice.id, invoice.version, on=D(2021, 7, 10))
    # a note changes nothing the approval rests on
    noted = settlement.update_invoice(
        db, invoice.id, approved.version, _invoice(amount=ACTUAL, notes="原件已交财务")
    )
    assert (noted.state, noted.approved_by, noted.notes) == ("approved", audit_user(db), "原件已交财务")
    part = settlement.pay(db, invoice.id, paid_on=D(2021, 7, 12), amount_fen=100000, reference="DZ1")
    # the amount cannot drop below what was paid
    with pytest.raises(RuleViolation) as refused:
        settlement.update_invoice(db, invoice.id, part.version, _invoice(amount=99999))
    assert refused.value.key == "settle.below_paid" and "1,000.00" in refused.value.message
    # a new amount (with its explanation) withdraws the approval: approved again before the rest is paid
    changed = settlement.update_invoice(
        db, invoice.id, part.version, _invoice(amount=ACTUAL + 6000, adjustments=(MEETING, MEAL_BACK))
    )
    assert (changed.state, changed.approved_by, changed.approved_on, changed.paid_fen) == (
        "received",
        "",
        None,
        100000,
    )
    with pytest.raises(RuleViolation, match="待审批"):
        settlement.pay(db, invoice.id, paid_on=D(2021, 7, 12), amount_fen=1000, reference="DZ2")
    # an invoice with payments is not deleted; one never approved nor paid is, the audit log keeping it
    with pytest.raises(RuleViolation) as refused:
        settlement.delete_invoice(db, invoice.id, changed.version)
    assert refused.value.key == "settle.delete_approved"
    hall = certified_base(db, "新安江会堂")
    other = _in_progress(db, batches.get_batch(db, batch.id).partner_id, hall.id, D(2021, 9, 10))
    wrong = settlement.record_invoice(db, other.id, hall.id, _invoice(number="777", issued_on=D(2021, 9, 10)))
    settlement.delete_invoice(db, wrong.id, wrong.version)
    assert _row(db, other.id, hall.id).invoice is None
    deleted = [entry for entry in _audit(db, "base_invoice") if entry[0] == "delete"]
    assert deleted == [("delete", "invoice", "777 2021-09-10 3,625.00元 6%；无", None)]


def test_the_scan_is_a_private_copy_in_the_data_folder(db: Database, trip, tmp_path: Path) -> None:  # noqa: F811
    batch, base, _card_row, people = trip
    _complete(db, batch.id, people)
    source = tmp_path / "扫描 件.PDF"
    source.write_bytes(b"%PDF-1.4 invoice")
    invoice = settlement.record_invoice(db, batch.id, base.id, _invoice(), scan=source)
    copy = Path(invoice.scan_path)
    assert copy.parent == Path(os.environ["RECUPERATION_DATA_DIR"]).resolve() / "scans"
    assert copy.name == "发票-04512345-寿昌宾馆.pdf" and copy.read_bytes() == b"%PDF-1.4 invoice"
    if os.name == "posix":
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    source.unlink()  # the office's copy stays when the original goes
    again = tmp_path / "second.pdf"
    again.write_bytes(b"%PDF-1.4 the better scan")
    attached = settlement.attach_scan(db, invoice.id, invoice.version, again)
    assert Path(attached.scan_path).name == "发票-04512345-2-寿昌宾馆.pdf" and copy.exists()
    assert attached.version == invoice.version + 1


# -- the line comparison ---------------------------------------------------------------------------------------------


def test_the_line_comparison_puts_planned_beside_actual(db: Database, trip) -> None:  # noqa: F811
    batch, base, _card_row, people = trip
    sheet = rates.batch_costs(db, [batch.id])[(batch.id, base.id)]
    before = settlement.compare_lines(sheet)
    assert all(line.actual_qty is None and line.actual_fen is None for line in before)
    _complete(db, batch.id, people)
    sheet = rates.batch_costs(db, [batch.id])[(batch.id, base.id)]
    lines = settlement.compare_lines(sheet)
    assert [
        (li.day.isoformat(), li.item, li.staff, li.planned_qty, li.planned_fen, li.actual_qty, li.actual_fen)
        for li in lines
    ] == [
        ("2021-06-30", "twin", False, 2, 60000, 2, 60000),
        ("2021-06-30", "single", False, 1, 26000, 1, 26000),
        ("2021-06-30", "twin", True, 1, 30000, 1, 30000),
        ("2021-06-30", "dinner", False, 6, 36000, 5, 30000),
        ("2021-07-01", "twin", False, 2, 76000, 2, 76000),
        ("2021-07-01", "single", False, 1, 32000, 0, 0),  # 职工E left that day: room 103 not used
        ("2021-07-01", "twin", True, 1, 38000, 1, 38000),
        ("2021-07-01", "breakfast", False, 6, 15000, 5, 12500),
        ("2021-07-01", "lunch", False, 6, 36000, 5, 30000),
        ("2021-07-01", "dinner", False, 6, 42000, 4, 28000),
        ("2021-07-01", "古镇非遗体验", False, 5, 20000, 4, 16000),
        ("2021-07-02", "breakfast", False, 6, 15000, 4, 10000),
    ]
    assert (
        sum(li.planned_fen for li in lines) == PLANNED and sum(li.actual_fen or 0 for li in lines) == ACTUAL
    )
    assert lines[3].difference_fen == -6000 and lines[3].item_text() == "晚餐"
    assert not any(li.missing for li in lines)


# -- lists, states and the overview --------------------------------------------------------------------------------


def test_settlements_list_states_and_the_overviews_alerts(db: Database, trip) -> None:  # noqa: F811
    batch, base, _card_row, people = trip
    _complete(db, batch.id, people)
    partner_id = batches.get_batch(db, batch.id).partner_id
    scenic = certified_base(db, "大慈岩景区")  # no rate card: its walk is free there, nothing is owed
    walk = (RouteItemInput(1, "大慈岩登山", base_id=scenic.id),)
    later = _in_progress(db, partner_id, base.id, D(2021, 9, 1), itinerary=walk)
    rows = settlement.settlements(db)
    assert [(r.batch_code, r.base, r.state) for r in rows] == [
        (batch.code, "寿昌宾馆", "none"),
        (later.code, "大慈岩景区", "not_due"),
        (later.code, "寿昌宾馆", "none"),
    ]
    # later: 10 people, one night in twins (5 rooms + the guide's: no guide, none), ¥300 a room (September)
    assert rows[2].planned_fen == 5 * 30000 and rows[2].actual_fen is None
    assert settlement.settlements(db, year=2022) == []
    assert settlement.settled_batches(rows) == {batch.id: False, later.id: False}

    def settle_alerts(day: D) -> list[Any]:
        return [a for a in collect_alerts(db, day) if a.category == "settlement"]

    # the completed batch left on 2 July: its base is due to invoice 30 days on, on 1 August
    assert settle_alerts(D(2021, 7, 31)) == []
    [due] = settle_alerts(TODAY)
    assert (due.rule, due.table, due.key, due.day, due.severe) == (
        "settle_not_invoiced",
        "batch",
        batch.id,
        D(2021, 8, 1),
        False,
    )
    assert due.numbers == {"base": base.id, "days": (TODAY - D(2021, 7, 2)).days, "expected_fen": ACTUAL}
    assert "寿昌宾馆" in due.message and "3,565.00" in due.message and batch.code in due.message
    invoice = settlement.record_invoice(db, batch.id, base.id, _invoice())
    [waiting] = settle_alerts(TODAY)
    assert (waiting.rule, waiting.day, waiting.numbers["unexplained_fen"]) == (
        "settle_unapproved",
        D(2021, 7, 5),
        6000,
    )
    invoice = settlement.update_invoice(
        db, invoice.id, invoice.version, _invoice(adjustments=(MEETING, MEAL_BACK))
    )
    invoice = settlement.approve(db, invoice.id, invoice.version, on=D(2021, 7, 10))
    settlement.pay(db, invoice.id, paid_on=D(2021, 7, 20), amount_fen=300000, reference="DZ1")
    [unpaid] = settle_alerts(TODAY)
    assert (unpaid.rule, unpaid.day, unpaid.numbers["outstanding_fen"]) == (
        "settle_unpaid",
        D(2021, 7, 10),
        62500,
    )
    assert "625.00" in unpaid.message
    settlement.pay(db, invoice.id, paid_on=D(2021, 7, 21), amount_fen=62500, reference="DZ2")
    assert settle_alerts(TODAY) == []
    assert settlement.settlements(db, open_only=True) == [r for r in settlement.settlements(db) if r.open]
    assert [(r.batch_code, r.base) for r in settlement.settlements(db, open_only=True)] == [
        (later.code, "寿昌宾馆")
    ]
    # the batch is settled; the one in progress is not, whatever it has paid
    assert settlement.settled_batches(settlement.settlements(db)) == {batch.id: True, later.id: False}
    whole = settlement.batch_settlement(db, batch.id)
    assert whole.settled and [r.state for r in whole.rows] == [InvoiceState.PAID.value]
    assert sum(li.actual_fen or 0 for li in whole.lines[base.id]) == ACTUAL


def test_signed_amounts_are_read_exactly() -> None:
    assert settlement.parse_signed_yuan("+300") == 30000
    assert settlement.parse_signed_yuan("-180.50") == -18050
    assert settlement.parse_signed_yuan("−1,260.05") == -126005
    assert settlement.parse_signed_yuan(" 80 ") == 8000
    assert settlement.parse_signed_yuan("-1,500,000") == -150_000_000  # an invoice's amount, not a price
    from recuperation.money import MoneyError

    for slip in ("+-180", "--180", "-+180", "－－180"):
        with pytest.raises(MoneyError) as refused:
            settlement.parse_signed_yuan(slip)
        assert refused.value.key == "settle.adjust_signs"


# -- two desks paying at once ----------------------------------------------------------------------------------------


TRIALS = 10


def _pay_desk(url: str, invoice_id: int, amount: int, barrier: Any, results: Any, trials: int) -> None:
    """A desk in its own process: each round, wait, then pay ``amount`` at the same moment as the other."""
    from recuperation.errors import DomainError

    database = open_database(url)
    try:
        for trial in range(trials):
            barrier.wait(timeout=120)  # the parent has removed the payments
            barrier.wait(timeout=120)  # go
            try:
                settlement.pay(
                    database, invoice_id, paid_on=D(2021, 7, 20), amount_fen=amount, reference=f"R{trial}"
                )
                results.put((trial, "saved", ""))
            except DomainError as exc:
                results.put((trial, "refused", exc.key))
            barrier.wait(timeout=120)
    finally:
        database.close()


@pytest.mark.slow
def test_two_desks_paying_at_once_never_overpay(db: Database, trip) -> None:  # noqa: F811
    """¥3,625.00 approved; two desks each pay ¥2,000.00 at the same moment: one is saved, the other refused
    as an overpayment, every round, on both databases."""
    batch, base, _card_row, people = trip
    _complete(db, batch.id, people)
    invoice = settlement.record_invoice(db, batch.id, base.id, _invoice(adjustments=(MEETING, MEAL_BACK)))
    invoice = settlement.approve(db, invoice.id, invoice.version, on=D(2021, 7, 10))
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(3), context.Queue()
    workers = [
        context.Process(target=_pay_desk, args=(db.url, invoice.id, 200000, barrier, results, TRIALS))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    outcomes = []
    try:
        for _trial in range(TRIALS):
            with db.engine.begin() as conn:
                conn.execute(text("DELETE FROM payment"))
                conn.execute(text("UPDATE base_invoice SET state = 'approved'"))
            barrier.wait(timeout=120)
            barrier.wait(timeout=120)
            barrier.wait(timeout=120)
            got = sorted(results.get(timeout=60)[1:] for _ in workers)
            outcomes.append(got)
            assert settlement.get_invoice(db, invoice.id).paid_fen == 200000, got
    finally:
        for worker in workers:
            worker.join(timeout=60)
            if worker.is_alive():
                worker.kill()
    assert all(w.exitcode == 0 for w in workers)
    assert all(o == [("refused", "settle.overpaid"), ("saved", "")] for o in outcomes), outcomes


def _record_desk(url: str, batch_id: int, base_id: int, barrier: Any, results: Any, trials: int) -> None:
    """A desk in its own process: each round, record the base's invoice 04577777 for its batch at the same
    moment as the other desk does for another batch."""
    from recuperation.errors import DomainError

    database = open_database(url)
    try:
        for trial in range(trials):
            barrier.wait(timeout=120)  # the parent has removed the invoices
            barrier.wait(timeout=120)  # go
            try:
                settlement.record_invoice(
                    database, batch_id, base_id, _invoice("04577777", amount=52000, issued_on=D(2021, 8, 3))
                )
                results.put((trial, "saved", ""))
            except DomainError as exc:
                results.put((trial, "refused", exc.key))
            barrier.wait(timeout=120)
    finally:
        database.close()


@pytest.mark.slow
def test_two_desks_giving_one_invoice_number_to_two_batches_at_once(db: Database, trip) -> None:  # noqa: F811
    """The same number of the same base for two batches at the same moment: one is saved, the other refused
    as a duplicate (never a raw database error), every round, on both databases."""
    batch, base, _card_row, _people = trip
    first = _in_progress(db, batch.partner_id, base.id, D(2021, 8, 1), people=4)
    second = _in_progress(db, batch.partner_id, base.id, D(2021, 8, 1), people=4)
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(3), context.Queue()
    workers = [
        context.Process(target=_record_desk, args=(db.url, one.id, base.id, barrier, results, TRIALS))
        for one in (first, second)
    ]
    for worker in workers:
        worker.start()
    outcomes = []
    try:
        for _trial in range(TRIALS):
            with db.engine.begin() as conn:
                conn.execute(text("DELETE FROM base_invoice"))
            barrier.wait(timeout=120)
            barrier.wait(timeout=120)
            barrier.wait(timeout=120)
            outcomes.append(sorted(results.get(timeout=60)[1:] for _ in workers))
    finally:
        for worker in workers:
            worker.join(timeout=60)
            if worker.is_alive():
                worker.kill()
    assert all(w.exitcode == 0 for w in workers)
    assert all(o == [("refused", "settle.duplicate_number"), ("saved", "")] for o in outcomes), outcomes


# -- the migration ------------------------------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_the_migration_adds_the_settlement_tables_to_a_file_of_0005_and_takes_them_away(
    tmp_path: Path,
) -> None:
    from alembic import command

    from recuperation.storage.engine import create_db_engine
    from recuperation.storage.schema import alembic_config, upgrade

    path = tmp_path / "old.db"
    engine = create_db_engine("sqlite:///" + str(path), foreign_keys=False)
    upgrade(engine, "0005")
    engine.dispose()
    stamp = "2021-03-01 09:00:00"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO base (id, version, created_at, updated_at, updated_by, name, kind, township, address,"
            " contact_name, contact_phone, beds, rooms, dining_seats, meeting_seats, notes, archived)"
            " VALUES (1, 2, ?, ?, '王芳', '寿昌宾馆', 'hotel', '寿昌镇', '', '', '', 80, 40, 100, 60, '', 0)",
            (stamp, stamp),
        )
    database = open_database(path)  # migrates to the head
    try:
        assert settlement.settlements(database) == []
        rates.create_card(database, _card(1))
    finally:
        database.close()
    engine = create_db_engine("sqlite:///" + str(path), foreign_keys=False)
    try:
        with engine.connect() as conn:
            command.downgrade(alembic_config(conn), "0005")
            conn.commit()
            tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
            assert not tables & {"base_invoice", "invoice_adjustment", "payment"}
            assert {"base", "rate_card"} <= tables
            assert conn.execute(text("SELECT name, version FROM base")).one() == ("寿昌宾馆", 2)
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0005"
            command.upgrade(alembic_config(conn), "head")
            conn.commit()
            assert conn.execute(text("SELECT count(*) FROM base_invoice")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM rate_card")).scalar() == 1
    finally:
        engine.dispose()


@pytest.mark.pg_only
@pytest.mark.pg_owner  # a migration is the owner's
def test_the_settlement_migration_goes_down_and_up_on_postgresql(db: Database, trip) -> None:  # noqa: F811
    from alembic import command

    from recuperation.storage.schema import alembic_config

    batch, base, _card_row, people = trip
    _complete(db, batch.id, people)
    settlement.record_invoice(db, batch.id, base.id, _invoice(adjustments=(MEETING,)))
    with db.engine.connect() as conn:
        command.downgrade(alembic_config(conn), "0005")
        conn.commit()
        for table in ("base_invoice", "invoice_adjustment", "payment"):
            assert conn.execute(text(f"SELECT to_regclass('{table}')")).scalar() is None
        assert conn.execute(text("SELECT count(*) FROM rate_card")).scalar() == 1
        command.upgrade(alembic_config(conn), "head")
        conn.commit()
        assert conn.execute(text("SELECT count(*) FROM base_invoice")).scalar() == 0
    assert settlement.settlements(db, batch_ids=[batch.id])[0].state == "none"


def test_the_demos_settlement_adds_up_to_the_fen(demo_db: Database) -> None:
    """The demo's invoices (the actual cost, a few with explained differences) pass the approval rule to the
    fen, its payments never exceed them, and every line comparison adds up to its sheet's totals."""
    rows = settlement.settlements(demo_db)
    invoiced = [r for r in rows if r.invoice is not None]
    assert len(invoiced) > 1000
    assert [r for r in invoiced if r.unexplained_fen] == []
    assert any(r.difference_fen for r in invoiced)  # some differ, and are explained
    assert all(0 <= r.paid_fen <= r.invoice_fen for r in invoiced if r.invoice_fen is not None)
    assert all(r.paid_fen == r.invoice_fen for r in invoiced if r.state == "paid")
    assert {r.state for r in rows} <= set(settlement.STATES)
    batch_ids = sorted({r.batch_id for r in rows})[:200]
    sheets = rates.batch_costs(demo_db, batch_ids)
    for sheet in sheets.values():
        lines = settlement.compare_lines(sheet)
        assert sum(li.planned_fen for li in lines) == sheet.planned.total_fen
        if sheet.actual is not None:
            assert sum(li.actual_fen or 0 for li in lines) == sheet.actual.total_fen
    assert settlement.settlements(demo_db, open_only=True) == [r for r in rows if r.open]


def test_a_base_with_an_invoice_is_not_deleted(db: Database, trip) -> None:  # noqa: F811
    from recuperation.services import bases

    batch, base, _card_row, people = trip
    _complete(db, batch.id, people)
    settlement.record_invoice(db, batch.id, base.id, _invoice())
    current = next(b for b in bases.list_bases(db) if b.id == base.id)
    with pytest.raises(RuleViolation) as refused:
        bases.delete_base(db, base.id, current.version)
    assert "1 张结算发票" in refused.value.message and "1 份价目表" in refused.value.message
    assert len(settlement.settlements(db, batch_ids=[batch.id])) == 1  # nothing was removed


def test_what_an_adversary_found_holds(db: Database, trip, tmp_path: Path) -> None:  # noqa: F811
    """Payments that already cover a re-approved invoice make it paid; a batch with an invoice is not cancelled;
    a scan must be a scan (kind and size); a long base name never makes the copy's name loop."""
    batch, base, _card_row, people = trip
    _complete(db, batch.id, people)
    half = ACTUAL // 2
    invoice = settlement.record_invoice(db, batch.id, base.id, _invoice(amount=ACTUAL))
    invoice = settlement.approve(db, invoice.id, invoice.version, on=dt.date(2021, 7, 10))
    settlement.pay(db, invoice.id, paid_on=dt.date(2021, 7, 11), amount_fen=half, reference="R1")
    # corrected down to what was paid (approval withdrawn), its difference explained: approved again, it is paid
    fewer = _invoice(amount=half, adjustments=(AdjustmentInput(half - ACTUAL, "其余由单位直接支付"),))
    row = settlement.update_invoice(db, invoice.id, settlement.get_invoice(db, invoice.id).version, fewer)
    assert row.state == "received"
    row = settlement.approve(db, invoice.id, row.version, on=dt.date(2021, 7, 12))
    assert row.state == "paid" and row.outstanding_fen == 0
    under_way = _in_progress(db, batch.partner_id, base.id, dt.date(2021, 8, 1), people=4)
    settlement.record_invoice(
        db, under_way.id, base.id, _invoice("04599999", amount=52000, issued_on=dt.date(2021, 8, 2))
    )
    current = batches.get_batch(db, under_way.id)
    with pytest.raises(RuleViolation) as refused:
        batches.set_status(db, under_way.id, current.version, "cancelled", "不去了")
    assert "已有基地的发票，不能取消" in refused.value.message
    assert batches.get_batch(db, under_way.id).status == "in_progress"

    exe = tmp_path / "invoice.exe"
    exe.write_bytes(b"MZ")
    big = tmp_path / "invoice.pdf"
    with big.open("wb") as f:
        f.truncate(settlement.MAX_SCAN_BYTES + 1)
    for source, said in ((exe, "不是扫描件的文件类型"), (big, "超过 50 MB")):
        with pytest.raises(ValidationError) as bad:
            settlement.attach_scan(db, invoice.id, row.version, source)
        assert said in bad.value.message
    assert settlement.get_invoice(db, invoice.id).scan_path == ""


def test_a_long_base_name_never_loops_the_scan_copy(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RECUPERATION_DATA_DIR", str(tmp_path / "data"))
    source = tmp_path / "scan.PDF"
    source.write_bytes(b"%PDF-1.4")
    long = "建德市" + "新安江" * 30 + "酒店"
    made = set()
    for _ in range(3):
        target = settlement._scan_target(long, "04512345", source)
        target.write_bytes(b"x")
        made.add(target)
        assert "04512345" in target.name and target.suffix == ".pdf"
    assert len(made) == 3
