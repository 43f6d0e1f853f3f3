"""Settlement with the bases (结算): each batch's invoice per base, its difference from the expected cost
explained line by line, approval and payment.

:func:`known_costs` is the one rule every money figure uses for what a batch cost at a base: the invoice's
amount once it is approved (or paid); before that the actual cost when the roll call is closed; before that
the planned cost (:mod:`recuperation.services.rates`).

**The rules** (docs/domain.md, *Settlement with the bases*):

- A base invoices a batch **in progress or completed** (a base may hand the invoice over at check-out, on the
  last day); a planned, confirmed or cancelled batch is not invoiced.  Only a base the batch uses (lodging,
  meals, activities: the bases its cost sheet has) is invoiced; an invoice kept for a base the batch no
  longer uses can still be corrected, approved and paid (it is then expected to be explained whole).
- **One invoice per batch and base** (a second one is refused: correct the first).  Its number is unique per
  base; it is dated not in the future and not before the batch arrived; its amount (tax included) is more
  than 0; its tax rate defaults to that of the base's rate card valid on the batch's arrival (else 6%).
- **Expected** is the actual cost when it is known (a completed batch whose roll call is closed), else the
  planned cost.  The **difference** is the invoice's amount less the expected; **adjustment lines** (signed
  fen and a reason, the reason required) explain it.
- **Approval** waits until the batch is completed, and is refused unless the computed cost is complete (no
  missing prices) and the adjustments add up exactly to the difference; it records who (the desk's user) and
  when.  Changing an approved invoice's number, date, amount, tax rate or adjustments withdraws the approval
  (it is approved again); its notes and scan do not.  A paid invoice is not changed; only an invoice not
  yet approved (and without payments) is deleted.
- **Payments** (date not before the approval, amount above 0, the bank's reference) never add up to more than
  the invoice; when they reach it the invoice is **paid**.  Approval and payment check their rule inside the
  write transaction with the invoice's row locked (PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` serialises
  writers), so two desks paying at once can never overpay.
- A base whose expected cost is 0 and complete (a scenic spot whose activities the card does not price) owes
  nothing: **not due**.  A batch is **settled** when it is completed and every base is paid (or not due).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.errors import NotFoundError, RuleViolation, ValidationError
from recuperation.filenames import file_in
from recuperation.labels import label
from recuperation.models import (
    Base,
    BaseInvoice,
    Batch,
    BatchItem,
    BatchStatus,
    InvoiceAdjustment,
    InvoiceState,
    ItemKind,
    Lodging,
    Partner,
    Payment,
    RateCard,
    RateKind,
    RateLine,
    table_of,
)
from recuperation.money import MAX_TAX_BP, MoneyError, parse_yuan, rate_text, tax_part, yuan_text
from recuperation.private_files import private_copy
from recuperation.services import rates
from recuperation.services.common import (
    audit,
    clean_code,
    clean_text,
    create_audited,
    get_or_raise,
    now,
    refuse_stale,
    update_versioned,
)
from recuperation.storage.database import Database
from recuperation.storage.paths import data_dir

if TYPE_CHECKING:
    from recuperation.services.alerts import Alert

#: Where a known cost comes from, from the surest.
SOURCES = ("invoice", "actual", "planned")
#: The batches a base invoices: in progress (the invoice handed over at check-out) or completed.
INVOICEABLE = (BatchStatus.IN_PROGRESS.value, BatchStatus.COMPLETED.value)
#: A settlement's state: no invoice yet, nothing due (expected 0), or the invoice's own state.
NO_INVOICE = "none"
NOT_DUE = "not_due"
STATES = (NO_INVOICE, NOT_DUE, *InvoiceState.values())
#: The overview names a completed batch's base not invoiced this many days after the batch left.
INVOICE_DUE_DAYS = 30
#: The largest invoice or payment: ¥10,000,000 (far above any batch; inside both databases' INTEGER).
MAX_INVOICE_FEN = 1_000_000_000
#: No invoice of this program is dated before this day: an earlier date is a typing slip (0001-01-01).
EARLIEST_DAY = dt.date(2000, 1, 1)
#: What withdraws an approval when it changes (notes and the scan do not).
_MATERIAL = ("number", "issued_on", "amount_fen", "tax_bp")


# -- what a batch cost at a base ------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownCost:
    """What a batch cost at a base as far as it is known: ``fen`` (tax included), ``source`` (invoice, actual
    or planned) and ``complete`` (False when the computed cost lacks prices: then ``fen`` is a part)."""

    batch_id: int
    base_id: int
    fen: int
    source: str
    complete: bool
    sheet: rates.CostSheet | None = None


def expected_cost(sheet: rates.CostSheet | None) -> tuple[int, str, bool]:
    """What the base is expected to invoice, before any invoice: (fen, source, complete) — the actual cost
    when the roll call of the completed batch is closed, else the planned cost; no sheet (a base the batch no
    longer uses) expects nothing."""
    if sheet is None:
        return 0, "planned", True
    if sheet.actual is not None:
        return sheet.actual.total_fen, "actual", sheet.actual.complete
    return sheet.planned.total_fen, "planned", sheet.planned.complete


def known_costs(session: Session, batch_ids: Iterable[int]) -> dict[tuple[int, int], KnownCost]:
    """(batch id, base id) → :class:`KnownCost` for every base a batch uses and every base that invoiced it."""
    ids = sorted(set(batch_ids))
    sheets = rates.costs(session, ids)
    invoiced: dict[tuple[int, int], int] = {}
    inv = table_of(BaseInvoice).c
    settled = (InvoiceState.APPROVED.value, InvoiceState.PAID.value)
    for start in range(0, len(ids), rates.CHUNK):
        chunk = ids[start : start + rates.CHUNK]
        query = sa_select(inv.batch_id, inv.base_id, inv.amount_fen).where(
            inv.batch_id.in_(chunk), inv.state.in_(settled)
        )
        for batch_id, base_id, amount in session.connection().execute(query):
            invoiced[(batch_id, base_id)] = invoiced.get((batch_id, base_id), 0) + int(amount)
    result: dict[tuple[int, int], KnownCost] = {}
    for key in sorted(set(sheets) | set(invoiced)):
        sheet = sheets.get(key)
        if key in invoiced:
            result[key] = KnownCost(key[0], key[1], invoiced[key], "invoice", True, sheet)
        elif sheet is not None:
            fen, source, complete = expected_cost(sheet)
            result[key] = KnownCost(key[0], key[1], fen, source, complete, sheet)
    return result


# -- records --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdjustmentInput:
    """One line explaining the difference: signed fen (+30000 an extra meeting room, −18000 a room not made
    up) and why."""

    amount_fen: int
    reason: str


@dataclass(frozen=True)
class InvoiceInput:
    number: str
    issued_on: dt.date
    amount_fen: int  # tax included
    tax_bp: int | None = None  # None: the rate of the base's card valid on the batch's arrival
    notes: str = ""
    adjustments: tuple[AdjustmentInput, ...] = ()


@dataclass(frozen=True)
class AdjustmentRow:
    id: int
    amount_fen: int
    reason: str


@dataclass(frozen=True)
class PaymentRow:
    id: int
    paid_on: dt.date
    amount_fen: int
    reference: str
    notes: str
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class InvoiceRow:
    id: int
    batch_id: int
    base_id: int
    batch_code: str
    base: str
    number: str
    issued_on: dt.date
    amount_fen: int
    tax_bp: int
    scan_path: str
    state: str
    approved_by: str
    approved_on: dt.date | None
    notes: str
    version: int
    updated_by: str
    updated_at: dt.datetime
    adjustments: tuple[AdjustmentRow, ...] = ()
    payments: tuple[PaymentRow, ...] = ()

    @property
    def tax_fen(self) -> int:
        """The tax inside the amount (prices include tax; rounded half up once, on the whole amount)."""
        return tax_part(self.amount_fen, self.tax_bp)

    @property
    def explained_fen(self) -> int:
        return sum(a.amount_fen for a in self.adjustments)

    @property
    def paid_fen(self) -> int:
        return sum(p.amount_fen for p in self.payments)

    @property
    def outstanding_fen(self) -> int:
        return self.amount_fen - self.paid_fen

    def as_input(self) -> InvoiceInput:
        return InvoiceInput(
            self.number,
            self.issued_on,
            self.amount_fen,
            self.tax_bp,
            self.notes,
            tuple(AdjustmentInput(a.amount_fen, a.reason) for a in self.adjustments),
        )


@dataclass(frozen=True)
class SettlementRow:
    """One batch at one base: what was planned, what was used, what the base invoiced, what was paid."""

    batch_id: int
    batch_code: str
    batch_status: str
    partner: str
    arrival: dt.date
    departure: dt.date
    base_id: int
    base: str
    planned_fen: int
    planned_complete: bool
    actual_fen: int | None  # None until the roll call of the completed batch is closed
    actual_complete: bool | None
    expected_fen: int  # the actual cost when known, else the planned
    expected_source: str  # actual or planned
    expected_complete: bool
    state: str  # none, not_due, received, approved, paid
    invoice: InvoiceRow | None = None

    @property
    def invoice_fen(self) -> int | None:
        return self.invoice.amount_fen if self.invoice is not None else None

    @property
    def difference_fen(self) -> int | None:
        """The invoice less the expected cost (None without an invoice)."""
        return self.invoice.amount_fen - self.expected_fen if self.invoice is not None else None

    @property
    def explained_fen(self) -> int:
        return self.invoice.explained_fen if self.invoice is not None else 0

    @property
    def unexplained_fen(self) -> int:
        """What the adjustments do not yet explain (0: the difference is explained to the fen)."""
        difference = self.difference_fen
        return 0 if difference is None else difference - self.explained_fen

    @property
    def paid_fen(self) -> int:
        return self.invoice.paid_fen if self.invoice is not None else 0

    @property
    def outstanding_fen(self) -> int:
        return self.invoice.outstanding_fen if self.invoice is not None else 0

    @property
    def settled(self) -> bool:
        return self.state in (InvoiceState.PAID.value, NOT_DUE)

    @property
    def open(self) -> bool:
        return not self.settled

    def to_json(self) -> dict[str, Any]:
        invoice = self.invoice
        return {
            "batch": self.batch_code,
            "batch_status": self.batch_status,
            "partner": self.partner,
            "arrival": self.arrival.isoformat(),
            "departure": self.departure.isoformat(),
            "base": self.base,
            "planned_fen": self.planned_fen,
            "planned_complete": self.planned_complete,
            "actual_fen": self.actual_fen,
            "actual_complete": self.actual_complete,
            "expected_fen": self.expected_fen,
            "expected_source": self.expected_source,
            "invoice": None
            if invoice is None
            else {
                "number": invoice.number,
                "issued_on": invoice.issued_on.isoformat(),
                "amount_fen": invoice.amount_fen,
                "tax_bp": invoice.tax_bp,
                "tax_fen": invoice.tax_fen,
                "state": invoice.state,
                "approved_by": invoice.approved_by,
                "approved_on": invoice.approved_on.isoformat() if invoice.approved_on else None,
                "scan": bool(invoice.scan_path),
                "adjustments": [
                    {"amount_fen": a.amount_fen, "reason": a.reason} for a in invoice.adjustments
                ],
                "payments": [
                    {"paid_on": p.paid_on.isoformat(), "amount_fen": p.amount_fen, "reference": p.reference}
                    for p in invoice.payments
                ],
            },
            "difference_fen": self.difference_fen,
            "explained_fen": self.explained_fen,
            "unexplained_fen": self.unexplained_fen,
            "paid_fen": self.paid_fen,
            "outstanding_fen": self.outstanding_fen,
            "state": self.state,
        }


@dataclass(frozen=True)
class CompareLine:
    """One item of a batch at a base, planned beside actual: the night or day, the item, the quantity, the
    unit price and the amount on each side (``actual_*`` None until the actual is known; a side whose item
    has no price has its quantity, no unit price and an amount of 0, ``missing`` True)."""

    day: dt.date
    kind: str
    item: str
    staff: bool
    unit: str
    planned_qty: int
    planned_unit_fen: int | None
    planned_fen: int
    actual_qty: int | None
    actual_unit_fen: int | None
    actual_fen: int | None
    missing: bool = False

    @property
    def difference_fen(self) -> int | None:
        return None if self.actual_fen is None else self.actual_fen - self.planned_fen

    def item_text(self, language: str | None = None) -> str:
        return rates.item_label(self.kind, self.item, language)


@dataclass(frozen=True)
class BatchSettlement:
    """A batch's settlement as its page shows it: a row per base, and each base's line comparison."""

    batch_id: int
    batch_code: str
    batch_status: str
    rows: tuple[SettlementRow, ...]
    lines: dict[int, tuple[CompareLine, ...]] = field(default_factory=dict)

    @property
    def settled(self) -> bool:
        return settled_batches(self.rows).get(self.batch_id, False)


# -- checking ----------------------------------------------------------------------------------------------------


def _who(batch: Batch, base: Base) -> dict[str, str]:
    return {"batch": batch.code, "base": base.name}


def _label(batch_code: str, base: str, number: str) -> str:
    return f"{batch_code} · {base} · {number}"


def _check_not_future(day: dt.date, field_name: str, who: dict[str, str]) -> None:
    if day > dt.date.today() or day < EARLIEST_DAY:
        raise ValidationError(
            "settle.future_day",
            field=field_name,
            record="base_invoice",
            what=messages.field_label(field_name),
            day=day.isoformat(),
            **who,
        )


def default_tax_bp(session: Session, base_id: int, day: dt.date) -> int:
    """The tax rate of the base's rate card valid on ``day`` (a base's cards never overlap), else 6%."""
    found = session.exec(
        select(RateCard.tax_bp).where(
            RateCard.base_id == base_id, RateCard.valid_from <= day, RateCard.valid_to >= day
        )
    ).first()
    return int(found) if found is not None else rates.DEFAULT_TAX_BP


def parse_signed_yuan(value: object) -> int:
    """A signed amount of yuan (an adjustment: “+300”, “-180.50”, “−180”) as fen; MoneyError otherwise."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    sign = 1
    if text[:1] in ("+", "-", "−", "－"):
        sign = -1 if text[0] != "+" else 1
        text = text[1:].strip()
    if text[:1] in ("+", "-", "−", "－"):  # “+-180”: two signs are a slip, never read as one
        raise MoneyError("settle.adjust_signs", str(value))
    return sign * parse_yuan(text, most=MAX_INVOICE_FEN)


def _check_invoice(
    session: Session, batch: Batch, base: Base, data: InvoiceInput, own_id: int | None
) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """The invoice's values as stored and its adjustments, or the first refusal (naming the batch, the base,
    the field and what to do)."""
    who = _who(batch, base)
    number = clean_code("base_invoice", "invoice_number", data.number, number=True, required=True)
    # the base's row locked (PostgreSQL): two desks giving two batches the same number are checked in turn
    session.exec(select(Base.id).where(Base.id == base.id).with_for_update()).all()
    clash = session.exec(
        select(BaseInvoice.id, Batch.code)
        .join(Batch, col(Batch.id) == BaseInvoice.batch_id)
        .where(BaseInvoice.base_id == base.id, BaseInvoice.number == number)
    ).first()
    if clash is not None and clash[0] != own_id:
        raise ValidationError(
            "settle.duplicate_number",
            field="invoice_number",
            record="base_invoice",
            number=number,
            other=clash[1],
            **who,
        )
    _check_not_future(data.issued_on, "issued_on", who)
    if data.issued_on < batch.arrival:
        raise ValidationError(
            "settle.before_arrival",
            field="issued_on",
            record="base_invoice",
            day=data.issued_on.isoformat(),
            arrival=batch.arrival.isoformat(),
            **who,
        )
    amount = int(data.amount_fen)
    if not 0 < amount <= MAX_INVOICE_FEN:
        raise ValidationError(
            "settle.bad_amount",
            field="amount",
            record="base_invoice",
            value=yuan_text(amount),
            max=yuan_text(MAX_INVOICE_FEN),
            **who,
        )
    tax = default_tax_bp(session, base.id or 0, batch.arrival) if data.tax_bp is None else int(data.tax_bp)
    if not 0 <= tax <= MAX_TAX_BP:
        raise ValidationError(
            "settle.bad_tax", field="tax", record="base_invoice", value=f"{tax / 100:g}%", **who
        )
    notes = clean_text("base_invoice", "notes", data.notes, max_length=2000, multiline=True)
    adjustments: list[tuple[int, str]] = []
    for index, line in enumerate(data.adjustments, start=1):
        fen = int(line.amount_fen)
        if fen == 0 or abs(fen) > MAX_INVOICE_FEN:
            raise ValidationError(
                "settle.adjustment_amount",
                field="adjustments",
                record="invoice_adjustment",
                line=index,
                value=yuan_text(fen),
                **who,
            )
        reason = clean_text("invoice_adjustment", "reason", line.reason, max_length=400)
        if not reason:
            raise ValidationError(
                "settle.adjustment_reason",
                field="adjustments",
                record="invoice_adjustment",
                line=index,
                amount=_signed(fen),
                **who,
            )
        adjustments.append((fen, reason))
    values = {
        "number": number,
        "issued_on": data.issued_on,
        "amount_fen": amount,
        "tax_bp": tax,
        "notes": notes,
    }
    return values, adjustments


def _signed(fen: int) -> str:
    return f"+{yuan_text(fen)}" if fen > 0 else yuan_text(fen)


def adjustments_text(lines: Iterable[tuple[int, str]]) -> str:
    """Adjustments as the audit log keeps them: +300.00元 加用会议室半天；-180.00元 一间客房未入住."""
    return "；".join(f"{_signed(fen)}元 {why}" for fen, why in lines) or "无"


def _lock_invoice(session: Session, invoice_id: int) -> BaseInvoice:
    """The invoice, its row locked until the transaction ends (PostgreSQL; SQLite holds its write lock since
    BEGIN IMMEDIATE): two desks approving or paying it check their rule one after the other."""
    session.exec(select(BaseInvoice.id).where(BaseInvoice.id == invoice_id).with_for_update()).all()
    invoice = get_or_raise(session, BaseInvoice, invoice_id)
    session.refresh(invoice)  # what the other desk committed before the lock was ours
    return invoice


def _lock_batch(session: Session, batch_id: int) -> Batch:
    session.exec(select(Batch.id).where(Batch.id == batch_id).with_for_update()).all()
    return get_or_raise(session, Batch, batch_id)


def _heads(session: Session, invoice: BaseInvoice) -> tuple[Batch, Base]:
    return get_or_raise(session, Batch, invoice.batch_id), get_or_raise(session, Base, invoice.base_id)


def _stored_adjustments(session: Session, invoice_id: int) -> list[InvoiceAdjustment]:
    return list(
        session.exec(
            select(InvoiceAdjustment)
            .where(InvoiceAdjustment.invoice_id == invoice_id)
            .order_by(col(InvoiceAdjustment.id))
        ).all()
    )


def _paid(session: Session, invoice_id: int) -> int:
    return int(
        session.exec(
            select(func.coalesce(func.sum(Payment.amount_fen), 0)).where(Payment.invoice_id == invoice_id)
        ).one()
    )


def _payment_count(session: Session, invoice_id: int) -> int:
    return int(session.exec(select(func.count()).where(Payment.invoice_id == invoice_id)).one())


# -- the scan ----------------------------------------------------------------------------------------------------


#: A scan is a page or a few of an invoice: a PDF, a picture or an OFD (China's e-invoice).
SCAN_SUFFIXES = (".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".heic")
#: The most a scan may weigh (a phone photo is 3–8 MB, a scanned multi-page PDF 20 MB).
MAX_SCAN_BYTES = 50 * 1024 * 1024


def _scan_target(base: str, number: str, source: Path) -> Path:
    """A new file in the data folder's scans for this invoice (never one that exists: a copy that fails can
    be removed without losing an earlier one).  The invoice number and the counter come first, so a long
    base name shortened to fit a file name never cuts them off."""
    folder = data_dir() / "scans"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = source.suffix.lower()
    target = file_in(folder, "发票", number, base, suffix=suffix)
    for n in range(2, 10_000):
        if not target.exists():
            return target
        target = file_in(folder, "发票", number, str(n), base, suffix=suffix)
    raise ValidationError("settle.scan_missing", field="scan", path=str(source))  # 10,000 copies: not a scan


def _check_scan(source: Path | None, who: dict[str, str]) -> None:
    """A scan that is a file of a scan's kind and size, checked before anything is copied or written."""
    if source is None:
        return
    path = Path(source)
    if not path.is_file():
        raise ValidationError("settle.scan_missing", field="scan", path=str(source), **who)
    if path.suffix.lower() not in SCAN_SUFFIXES:
        raise ValidationError(
            "settle.scan_kind", field="scan", path=path.name, kinds=" ".join(SCAN_SUFFIXES), **who
        )
    size = path.stat().st_size
    if size > MAX_SCAN_BYTES:
        raise ValidationError(
            "settle.scan_too_big",
            field="scan",
            path=path.name,
            size=f"{size / 1024 / 1024:.0f}",
            most=f"{MAX_SCAN_BYTES // 1024 // 1024}",
            **who,
        )


class _Copies:
    """The scans copied by a transaction, removed again when it does not commit."""

    def __init__(self) -> None:
        self.made: list[Path] = []

    def copy(self, source: Path, base: str, number: str) -> Path:
        target = _scan_target(base, number, Path(source))
        private_copy(source, target)  # an invoice: the office's alone (0600)
        self.made.append(target)
        return target

    def undo(self) -> None:
        for path in self.made:
            path.unlink(missing_ok=True)


# -- writing -----------------------------------------------------------------------------------------------------


def record_invoice(
    db: Database, batch_id: int, base_id: int, data: InvoiceInput, *, scan: Path | None = None
) -> InvoiceRow:
    """Record the base's invoice for the batch (with its adjustments and, given ``scan``, a private copy of
    the scan in the data folder) in one transaction, audited; refused (nothing written) unless the batch is
    in progress or completed, uses the base and has no invoice from it yet."""
    copies = _Copies()
    try:
        with db.session(write=True) as session:
            batch = _lock_batch(session, batch_id)  # one invoice per batch and base, also with two desks
            base = get_or_raise(session, Base, base_id)
            who = _who(batch, base)
            existing = session.exec(
                select(BaseInvoice).where(BaseInvoice.batch_id == batch_id, BaseInvoice.base_id == base_id)
            ).first()
            if existing is not None:
                raise RuleViolation(
                    "settle.exists",
                    field="invoice_number",
                    record="base_invoice",
                    number=existing.number,
                    **who,
                )
            if batch.status not in INVOICEABLE:
                raise RuleViolation(
                    "settle.batch_not_ready",
                    record="batch",
                    status=label("batch_status", batch.status),
                    **who,
                )
            sheets = rates.costs(session, [batch_id])
            if (batch_id, base_id) not in sheets:
                used = sorted({sheet.base for sheet in sheets.values()})
                raise RuleViolation(
                    "settle.base_not_used",
                    field="base",
                    record="base_invoice",
                    bases=messages.join(used) if used else "—",
                    **who,
                )
            values, adjustments = _check_invoice(session, batch, base, data, None)
            _check_scan(scan, who)
            if scan is not None:
                values["scan_path"] = str(copies.copy(scan, base.name, values["number"]))
            record = _label(batch.code, base.name, values["number"])
            invoice = create_audited(
                session, db.user, BaseInvoice(batch_id=batch_id, base_id=base_id, **values), record
            )
            assert invoice.id is not None
            for fen, why in adjustments:
                session.add(InvoiceAdjustment(invoice_id=invoice.id, amount_fen=fen, reason=why))
            if adjustments:
                audit(
                    session,
                    db.user,
                    "create",
                    "base_invoice",
                    invoice.id,
                    record,
                    "adjustments",
                    None,
                    adjustments_text(adjustments),
                )
            session.flush()
            return _invoices(session, ids=[invoice.id])[0]
    except BaseException:
        copies.undo()
        raise


def update_invoice(
    db: Database, invoice_id: int, version: int, data: InvoiceInput, *, scan: Path | None = None
) -> InvoiceRow:
    """Correct an invoice that is not paid, only if it is still at ``version`` (audited: each field, and its
    adjustments as the field ``adjustments``).  A change of its number, date, amount, tax rate or adjustments
    withdraws an approval; its amount never goes below what was paid."""
    copies = _Copies()
    try:
        with db.session(write=True) as session:
            invoice = _lock_invoice(session, invoice_id)
            batch, base = _heads(session, invoice)
            who = _who(batch, base)
            refuse_stale("base_invoice", _label(batch.code, base.name, invoice.number), invoice, version)
            if invoice.state == InvoiceState.PAID.value:
                raise RuleViolation("settle.paid_locked", record="base_invoice", number=invoice.number, **who)
            values, adjustments = _check_invoice(session, batch, base, data, invoice_id)
            paid = _paid(session, invoice_id)
            if values["amount_fen"] < paid:
                raise RuleViolation(
                    "settle.below_paid",
                    field="amount",
                    record="base_invoice",
                    number=invoice.number,
                    value=yuan_text(values["amount_fen"]),
                    paid=yuan_text(paid),
                    **who,
                )
            _check_scan(scan, who)
            stored = _stored_adjustments(session, invoice_id)
            before = [(a.amount_fen, a.reason) for a in stored]
            lines_changed = before != adjustments
            material = lines_changed or any(getattr(invoice, f) != values[f] for f in _MATERIAL)
            if invoice.state == InvoiceState.APPROVED.value and material:
                values.update(state=InvoiceState.RECEIVED.value, approved_by="", approved_on=None)
            if scan is not None:
                values["scan_path"] = str(copies.copy(scan, base.name, values["number"]))
            record = _label(batch.code, base.name, values["number"])
            update_versioned(
                session, BaseInvoice, invoice_id, version, values, db.user, record, force=lines_changed
            )
            if lines_changed:
                for line in stored:
                    session.delete(line)
                session.flush()
                for fen, why in adjustments:
                    session.add(InvoiceAdjustment(invoice_id=invoice_id, amount_fen=fen, reason=why))
                audit(
                    session,
                    db.user,
                    "update",
                    "base_invoice",
                    invoice_id,
                    record,
                    "adjustments",
                    adjustments_text(before),
                    adjustments_text(adjustments),
                )
            session.flush()
            return _invoices(session, ids=[invoice_id])[0]
    except BaseException:
        copies.undo()
        raise


def attach_scan(db: Database, invoice_id: int, version: int, source: Path) -> InvoiceRow:
    """Copy the invoice's scan into the data folder (a private copy named after the base and the number, so
    the office keeps it when the original moves) and link it; allowed in any state (the paper comes late)."""
    copies = _Copies()
    try:
        with db.session(write=True) as session:
            invoice = _lock_invoice(session, invoice_id)
            batch, base = _heads(session, invoice)
            record = _label(batch.code, base.name, invoice.number)
            refuse_stale("base_invoice", record, invoice, version)
            _check_scan(source, _who(batch, base))
            target = copies.copy(source, base.name, invoice.number)
            update_versioned(
                session, BaseInvoice, invoice_id, version, {"scan_path": str(target)}, db.user, record
            )
            return _invoices(session, ids=[invoice_id])[0]
    except BaseException:
        copies.undo()
        raise


def delete_invoice(db: Database, invoice_id: int, version: int) -> None:
    """Delete an invoice not yet approved and without payments (entered for the wrong base, say); the audit
    log keeps what it said.  Its scan's copy stays in the data folder."""
    with db.session(write=True) as session:
        invoice = _lock_invoice(session, invoice_id)
        batch, base = _heads(session, invoice)
        who = _who(batch, base)
        record = _label(batch.code, base.name, invoice.number)
        refuse_stale("base_invoice", record, invoice, version)
        if invoice.state != InvoiceState.RECEIVED.value or _payment_count(session, invoice_id):
            raise RuleViolation(
                "settle.delete_approved",
                record="base_invoice",
                number=invoice.number,
                state=label("settlement_state", invoice.state),
                **who,
            )
        stored = _stored_adjustments(session, invoice_id)
        said = (
            f"{invoice.number} {invoice.issued_on.isoformat()} {yuan_text(invoice.amount_fen)}元 "
            f"{rate_text(invoice.tax_bp)}；{adjustments_text([(a.amount_fen, a.reason) for a in stored])}"
        )
        for line in stored:
            session.delete(line)
        session.delete(invoice)
        session.flush()
        audit(session, db.user, "delete", "base_invoice", invoice_id, record, "invoice", said)


def approve(db: Database, invoice_id: int, version: int, *, on: dt.date | None = None) -> InvoiceRow:
    """Approve an invoice (``on``: the day, default today; the approver is the desk's user): refused, naming
    the batch, the base and the figures, unless the batch is completed, its cost at the base is complete and
    the adjustments add up exactly to the invoice's difference from the expected cost."""
    with db.session(write=True) as session:
        invoice = _lock_invoice(session, invoice_id)
        batch, base = _heads(session, invoice)
        who = _who(batch, base)
        record = _label(batch.code, base.name, invoice.number)
        refuse_stale("base_invoice", record, invoice, version)
        if invoice.state != InvoiceState.RECEIVED.value:
            raise RuleViolation(
                "settle.approve_state",
                record="base_invoice",
                number=invoice.number,
                state=label("settlement_state", invoice.state),
                **who,
            )
        if batch.status != BatchStatus.COMPLETED.value:
            raise RuleViolation(
                "settle.approve_not_completed",
                record="batch",
                number=invoice.number,
                status=label("batch_status", batch.status),
                **who,
            )
        sheet = rates.costs(session, [batch.id or 0]).get((invoice.batch_id, invoice.base_id))
        expected, source, complete = expected_cost(sheet)
        source_text = messages.text(f"settle.source.{source}")
        if not complete and sheet is not None:
            costing = sheet.actual if source == "actual" and sheet.actual is not None else sheet.planned
            raise RuleViolation(
                "settle.incomplete",
                record="base_invoice",
                number=invoice.number,
                source=source_text,
                count=len(costing.missing),
                example=costing.missing[0].message(base.name),
                **who,
            )
        explained = sum(a.amount_fen for a in _stored_adjustments(session, invoice_id))
        difference = invoice.amount_fen - expected
        if explained != difference:
            raise RuleViolation(
                "settle.unexplained",
                field="adjustments",
                record="base_invoice",
                number=invoice.number,
                amount=yuan_text(invoice.amount_fen),
                source=source_text,
                expected=yuan_text(expected),
                difference=_signed(difference),
                explained=_signed(explained),
                rest=_signed(difference - explained),
                **who,
            )
        day = on or dt.date.today()
        _check_not_future(day, "approved_on", who)
        if day < invoice.issued_on:
            raise ValidationError(
                "settle.approve_before_issue",
                field="approved_on",
                record="base_invoice",
                number=invoice.number,
                day=day.isoformat(),
                issued=invoice.issued_on.isoformat(),
                **who,
            )
        update_versioned(
            session,
            BaseInvoice,
            invoice_id,
            version,
            {
                # payments recorded before a correction that withdrew the approval may already cover it
                "state": InvoiceState.PAID.value
                if _paid(session, invoice_id) >= invoice.amount_fen
                else InvoiceState.APPROVED.value,
                "approved_by": db.user,
                "approved_on": day,
            },
            db.user,
            record,
        )
        return _invoices(session, ids=[invoice_id])[0]


def pay(
    db: Database,
    invoice_id: int,
    *,
    paid_on: dt.date,
    amount_fen: int,
    reference: str,
    notes: str = "",
) -> InvoiceRow:
    """Record a payment of an approved invoice (audited).  The payments never add up to more than the invoice
    (checked with the invoice's row locked, so two desks paying at once cannot overpay); when they reach it
    the invoice is paid.  No version is asked: a payment is an event, and the rule is what protects it."""
    with db.session(write=True) as session:
        invoice = _lock_invoice(session, invoice_id)
        batch, base = _heads(session, invoice)
        who = _who(batch, base)
        record = _label(batch.code, base.name, invoice.number)
        if invoice.state != InvoiceState.APPROVED.value:
            raise RuleViolation(
                "settle.pay_state",
                record="base_invoice",
                number=invoice.number,
                state=label("settlement_state", invoice.state),
                **who,
            )
        _check_not_future(paid_on, "paid_on", who)
        if invoice.approved_on is not None and paid_on < invoice.approved_on:
            raise ValidationError(
                "settle.pay_before_approval",
                field="paid_on",
                record="payment",
                number=invoice.number,
                day=paid_on.isoformat(),
                approved=invoice.approved_on.isoformat(),
                **who,
            )
        amount = int(amount_fen)
        if not 0 < amount <= MAX_INVOICE_FEN:
            raise ValidationError(
                "settle.bad_payment", field="payment_amount", record="payment", value=yuan_text(amount), **who
            )
        text = clean_text("payment", "payment_reference", reference, max_length=60, required=True)
        notes = clean_text("payment", "notes", notes, max_length=400)
        paid = _paid(session, invoice_id)
        outstanding = invoice.amount_fen - paid
        if amount > outstanding:
            raise RuleViolation(
                "settle.overpaid",
                field="payment_amount",
                record="payment",
                number=invoice.number,
                amount=yuan_text(invoice.amount_fen),
                paid=yuan_text(paid),
                outstanding=yuan_text(outstanding),
                value=yuan_text(amount),
                **who,
            )
        payment = Payment(
            invoice_id=invoice_id,
            paid_on=paid_on,
            amount_fen=amount,
            reference=text,
            notes=notes,
            created_at=now(),
            created_by=db.user,
        )
        session.add(payment)
        session.flush()
        audit(
            session,
            db.user,
            "create",
            "payment",
            payment.id,
            record,
            "payment",
            None,
            f"{paid_on.isoformat()} {yuan_text(amount)}元 {text}",
        )
        changes = {"state": InvoiceState.PAID.value} if amount == outstanding else {}
        # a new version either way: a desk showing the invoice as it was is told it changed
        update_versioned(
            session, BaseInvoice, invoice_id, invoice.version, changes, db.user, record, force=True
        )
        return _invoices(session, ids=[invoice_id])[0]


# -- by the names people type (the command line) ------------------------------------------------------------------


def find_pair(db: Database, batch_code: str, base_name: str) -> tuple[int, int, InvoiceRow | None]:
    """The batch (by its code) and the base (by its name, spaces and full-width forms aside), and the
    invoice of the base for the batch if there is one; refused naming what was not found."""
    with db.session() as session:
        code = batch_code.strip()
        batch = session.exec(select(Batch).where(Batch.code == code)).first()
        if batch is None:
            raise NotFoundError("order.unknown_batch", field="batch", batch=code)
        wanted = rates.fold_name(base_name)
        base = session.exec(select(Base).where(Base.name == base_name.strip())).first()
        if base is None:
            base = next(
                (b for b in session.exec(select(Base)).all() if rates.fold_name(b.name) == wanted), None
            )
        if base is None:
            raise NotFoundError("order.unknown_base", field="base", base=base_name.strip())
        assert batch.id is not None and base.id is not None
        found = _invoices(session, batch_ids=[batch.id])
        invoice = next((i for i in found if i.base_id == base.id), None)
        return batch.id, base.id, invoice


def get_invoice(db: Database, invoice_id: int) -> InvoiceRow:
    with db.session() as session:
        found = _invoices(session, ids=[invoice_id])
        if not found:
            get_or_raise(session, BaseInvoice, invoice_id)
        return found[0]


# -- reading -----------------------------------------------------------------------------------------------------


def _invoices(
    session: Session, *, ids: Sequence[int] | None = None, batch_ids: Sequence[int] | None = None
) -> list[InvoiceRow]:
    """Invoices (by id, or of batches) with their adjustments and payments: three queries per chunk."""
    inv, batch, base = table_of(BaseInvoice).c, table_of(Batch).c, table_of(Base).c
    adj, pay_ = table_of(InvoiceAdjustment).c, table_of(Payment).c
    run = session.connection().execute
    query = (
        sa_select(
            inv.id,
            inv.batch_id,
            inv.base_id,
            batch.code,
            base.name,
            inv.number,
            inv.issued_on,
            inv.amount_fen,
            inv.tax_bp,
            inv.scan_path,
            inv.state,
            inv.approved_by,
            inv.approved_on,
            inv.notes,
            inv.version,
            inv.updated_by,
            inv.updated_at,
        )
        .join(table_of(Batch), batch.id == inv.batch_id)
        .join(table_of(Base), base.id == inv.base_id)
    )
    keys = sorted(set(ids if ids is not None else batch_ids or ()))
    column = inv.id if ids is not None else inv.batch_id
    heads: list[Any] = []
    for start in range(0, len(keys), rates.CHUNK):
        heads += list(run(query.where(column.in_(keys[start : start + rates.CHUNK]))))
    invoice_ids = [h[0] for h in heads]
    lines: dict[int, list[AdjustmentRow]] = defaultdict(list)
    payments: dict[int, list[PaymentRow]] = defaultdict(list)
    for start in range(0, len(invoice_ids), rates.CHUNK):
        chunk = invoice_ids[start : start + rates.CHUNK]
        for invoice_id, line_id, fen, why in run(
            sa_select(adj.invoice_id, adj.id, adj.amount_fen, adj.reason)
            .where(adj.invoice_id.in_(chunk))
            .order_by(adj.id)
        ):
            lines[invoice_id].append(AdjustmentRow(line_id, int(fen), why))
        for invoice_id, *rest in run(
            sa_select(
                pay_.invoice_id,
                pay_.id,
                pay_.paid_on,
                pay_.amount_fen,
                pay_.reference,
                pay_.notes,
                pay_.created_by,
                pay_.created_at,
            )
            .where(pay_.invoice_id.in_(chunk))
            .order_by(pay_.paid_on, pay_.id)
        ):
            payments[invoice_id].append(PaymentRow(*rest))
    rows = [
        replace(InvoiceRow(*head), adjustments=tuple(lines[head[0]]), payments=tuple(payments[head[0]]))
        for head in heads
    ]
    rows.sort(key=lambda r: (r.batch_code, r.base, r.id))
    return rows


def compare_lines(sheet: rates.CostSheet) -> list[CompareLine]:
    """The sheet's items, planned beside actual, one line per night or day, item and whether it is the staff's
    (the guide's and driver's rooms), in the sheet's order; an item with no price on a side is listed with
    its quantity and ``missing``.  The planned amounts add up to the planned total and the actual ones to the
    actual total (a missing price counts 0 on both)."""
    order: list[tuple[dt.date, str, str, bool]] = []
    sides: dict[tuple[dt.date, str, str, bool], dict[str, Any]] = {}

    def take(costing: rates.Costing | None, side: str) -> None:
        if costing is None:
            return
        for line in costing.lines:
            key = (line.day, line.kind, line.item, line.staff)
            if key not in sides:
                order.append(key)
                sides[key] = {"unit": line.unit}
            sides[key][side] = (line.quantity, line.unit_fen, line.amount_fen)
        for gap in costing.missing:
            key = (gap.day, gap.kind, gap.item, gap.staff)
            if key not in sides:
                order.append(key)
                sides[key] = {"unit": ""}
            sides[key][side] = (gap.quantity, None, 0)
            sides[key]["missing"] = True

    take(sheet.planned, "planned")
    take(sheet.actual, "actual")
    kinds = {kind: i for i, kind in enumerate(("room", "meal", "meeting", "activity", "other"))}
    order.sort(key=lambda k: (k[0], kinds.get(k[1], 9), k[3]))  # stable: each side's own order within
    known = sheet.actual is not None
    result = []
    for key in order:
        each = sides[key]
        planned = each.get("planned", (0, None, 0))
        actual = each.get("actual", (0, None, 0)) if known else (None, None, None)
        result.append(
            CompareLine(
                key[0],
                key[1],
                key[2],
                key[3],
                each["unit"],
                planned[0],
                planned[1],
                planned[2],
                actual[0],
                actual[1],
                actual[2],
                bool(each.get("missing")),
            )
        )
    return result


def _batch_heads(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, str, str, dt.date, dt.date]]:
    batch, partner = table_of(Batch).c, table_of(Partner).c
    found: dict[int, tuple[str, str, str, dt.date, dt.date]] = {}
    for start in range(0, len(ids), rates.CHUNK):
        query = (
            sa_select(batch.id, batch.code, batch.status, partner.name, batch.arrival, batch.departure)
            .join(table_of(Partner), partner.id == batch.partner_id)
            .where(batch.id.in_(ids[start : start + rates.CHUNK]))
        )
        for batch_id, *rest in session.connection().execute(query):
            found[batch_id] = tuple(rest)
    return found


def _rows(
    session: Session, ids: Sequence[int]
) -> tuple[list[SettlementRow], dict[tuple[int, int], rates.CostSheet]]:
    ids = sorted(set(ids))
    sheets = rates.costs(session, ids)
    invoices = {(i.batch_id, i.base_id): i for i in _invoices(session, batch_ids=ids)}
    heads = _batch_heads(session, ids)
    names = dict(
        session.exec(
            select(Base.id, Base.name).where(col(Base.id).in_(sorted({b for _i, b in invoices})))
        ).all()
    )
    rows: list[SettlementRow] = []
    for key in set(sheets) | set(invoices):
        batch_id, base_id = key
        if batch_id not in heads:
            continue
        code, status, partner, arrival, departure = heads[batch_id]
        sheet, invoice = sheets.get(key), invoices.get(key)
        expected, source, complete = expected_cost(sheet)
        if invoice is not None:
            state = invoice.state
        elif expected == 0 and complete:
            state = NOT_DUE
        else:
            state = NO_INVOICE
        rows.append(
            SettlementRow(
                batch_id,
                code,
                status,
                partner,
                arrival,
                departure,
                base_id,
                sheet.base if sheet is not None else names.get(base_id, str(base_id)),
                sheet.planned.total_fen if sheet is not None else 0,
                sheet.planned.complete if sheet is not None else True,
                sheet.actual.total_fen if sheet is not None and sheet.actual is not None else None,
                sheet.actual.complete if sheet is not None and sheet.actual is not None else None,
                expected,
                source,
                complete,
                state,
                invoice,
            )
        )
    # by arrival, then the batch and the base's name as Python orders text (the same on both backends)
    rows.sort(key=lambda r: (r.arrival, r.batch_code, r.base, r.base_id))
    return rows, sheets


def settlements(
    db: Database,
    *,
    batch_ids: Iterable[int] | None = None,
    year: int | None = None,
    open_only: bool = False,
) -> list[SettlementRow]:
    """A row per batch and base: every base of ``batch_ids`` (whatever the batch's status), or else of every
    batch that is invoiced (in progress or completed) and every batch a base has invoiced, arriving in
    ``year`` when given; ``open_only`` leaves out what is paid or not due.  By arrival, batch, base."""
    with db.session() as session:
        if batch_ids is not None:
            ids = sorted(set(batch_ids))
        elif open_only:  # only the batches that may have something open are costed
            ids = _open_batches(session, statuses=INVOICEABLE, year=year)
        else:
            batch, inv = table_of(Batch).c, table_of(BaseInvoice).c
            query = sa_select(batch.id).where(
                batch.status.in_(INVOICEABLE) | batch.id.in_(sa_select(inv.batch_id))
            )
            if year is not None:
                query = query.where(
                    batch.arrival >= dt.date(year, 1, 1), batch.arrival <= dt.date(year, 12, 31)
                )
            ids = [int(b) for b in session.connection().execute(query).scalars()]
        rows, _sheets = _rows(session, ids)
    return [r for r in rows if r.open] if open_only else rows


def settled_batches(rows: Iterable[SettlementRow]) -> dict[int, bool]:
    """Batch id → settled: completed, and every base paid (or owing nothing)."""
    found: dict[int, bool] = {}
    for row in rows:
        done = row.batch_status == BatchStatus.COMPLETED.value and row.settled
        found[row.batch_id] = found.get(row.batch_id, True) and done
    return found


def batch_settled(db: Database, batch_id: int) -> bool:
    """Whether the batch is settled: completed and every base paid (or owing nothing)."""
    return settled_batches(settlements(db, batch_ids=[batch_id])).get(batch_id, False)


def batch_settlement(db: Database, batch_id: int) -> BatchSettlement:
    """The batch's settlement for its page: a row per base and each base's line comparison."""
    with db.session() as session:
        batch = get_or_raise(session, Batch, batch_id)
        rows, sheets = _rows(session, [batch_id])
        lines = {
            base_id: tuple(compare_lines(sheet)) for (b, base_id), sheet in sheets.items() if b == batch_id
        }
        return BatchSettlement(batch_id, batch.code, batch.status, tuple(rows), lines)


# -- the overview ------------------------------------------------------------------------------------------------


def overview_alerts(db: Database, today: dt.date) -> list[Alert]:
    """The overview's settlement alerts as of ``today`` (``services.alerts``):

    - ``settle_not_invoiced``: a completed batch that left at least :data:`INVOICE_DUE_DAYS` days ago has a base
      that is owed money and has not invoiced it (dated on the day it became due);
    - ``settle_unapproved``: an invoice received, waiting for its approval (dated on its issue);
    - ``settle_unpaid``: an approved invoice not paid in full (dated on its approval).
    """
    from recuperation.services.alerts import Alert

    # 30 days before, or the calendar's first day (a check run “as of” 0001-01-01 finds nothing due)
    due_by = today - dt.timedelta(days=min(INVOICE_DUE_DAYS, (today - dt.date.min).days))
    with db.session() as session:
        wanted = _open_batches(
            session, statuses=(BatchStatus.COMPLETED.value,), left_by=due_by, issued_by=today
        )
        rows, _sheets = _rows(session, wanted)
    alerts: list[Alert] = []
    for row in rows:
        common = {"code": row.batch_code, "partner": row.partner, "base": row.base}
        invoice = row.invoice
        if invoice is None or invoice.issued_on > today:
            if (
                row.state == NO_INVOICE
                and row.batch_status == BatchStatus.COMPLETED.value
                and row.departure <= due_by
            ):
                days = (today - row.departure).days
                alerts.append(
                    Alert(
                        "settle_not_invoiced",
                        "batch",
                        row.batch_id,
                        row.batch_code,
                        row.departure + dt.timedelta(days=INVOICE_DUE_DAYS),
                        False,
                        messages.text(
                            "alert.settle_not_invoiced",
                            **common,
                            day=messages.day_text(row.departure),
                            days=days,
                            expected=yuan_text(row.expected_fen),
                        ),
                        {"base": row.base_id, "days": days, "expected_fen": row.expected_fen},
                    )
                )
            continue
        if invoice.state == InvoiceState.RECEIVED.value:
            alerts.append(
                Alert(
                    "settle_unapproved",
                    "batch",
                    row.batch_id,
                    row.batch_code,
                    invoice.issued_on,
                    False,
                    messages.text(
                        "alert.settle_unapproved",
                        **common,
                        number=invoice.number,
                        amount=yuan_text(invoice.amount_fen),
                        day=messages.day_text(invoice.issued_on),
                        unexplained=_signed(row.unexplained_fen),
                    ),
                    {
                        "base": row.base_id,
                        "amount_fen": invoice.amount_fen,
                        "unexplained_fen": row.unexplained_fen,
                    },
                )
            )
        elif invoice.state == InvoiceState.APPROVED.value and invoice.approved_on is not None:
            paid = sum(p.amount_fen for p in invoice.payments if p.paid_on <= today)
            alerts.append(
                Alert(
                    "settle_unpaid",
                    "batch",
                    row.batch_id,
                    row.batch_code,
                    invoice.approved_on,
                    False,
                    messages.text(
                        "alert.settle_unpaid",
                        **common,
                        number=invoice.number,
                        amount=yuan_text(invoice.amount_fen),
                        paid=yuan_text(paid),
                        outstanding=yuan_text(invoice.amount_fen - paid),
                        day=messages.day_text(invoice.approved_on),
                    ),
                    {
                        "base": row.base_id,
                        "amount_fen": invoice.amount_fen,
                        "outstanding_fen": invoice.amount_fen - paid,
                    },
                )
            )
    return alerts


def _open_batches(
    session: Session,
    *,
    statuses: Sequence[str],
    left_by: dt.date = dt.date.max,
    issued_by: dt.date = dt.date.max,
    year: int | None = None,
) -> list[int]:
    """The batches that may have something open, to be costed (the costs then decide): those with an invoice
    not paid, and those of ``statuses`` that left by ``left_by`` with a base that may be owed and has no
    invoice issued by ``issued_by`` — a base they lodge at or eat at, or have an activity at that a card of
    the base names (an activity no card names is free: such a base alone owes nothing, ``rates``).  The
    filter keeps the overview and ``settle list --open`` from costing every batch of every year."""
    batch, inv, lodging, item = (table_of(m).c for m in (Batch, BaseInvoice, Lodging, BatchItem))
    card, line = table_of(RateCard).c, table_of(RateLine).c
    run = session.connection().execute
    in_year = (
        (batch.arrival >= dt.date(year, 1, 1)) & (batch.arrival <= dt.date(year, 12, 31))
        if year is not None
        else batch.id.is_not(None)
    )
    unpaid = (
        sa_select(inv.batch_id)
        .join(table_of(Batch), batch.id == inv.batch_id)
        .where(inv.state != InvoiceState.PAID.value, in_year)
    )
    ids = {int(b) for b in run(unpaid).scalars()}
    done = batch.status.in_(statuses) & (batch.departure <= left_by) & in_year
    pairs: set[tuple[int, int]] = {
        (int(batch_id), int(base_id))
        for batch_id, base_id in run(
            sa_select(lodging.batch_id, lodging.base_id)
            .join(table_of(Batch), batch.id == lodging.batch_id)
            .where(done, lodging.people > 0)
        )
    }
    named = {
        (base_id, rates.fold_name(text))
        for base_id, text in run(
            sa_select(card.base_id, line.item)
            .join(table_of(RateLine), line.rate_card_id == card.id)
            .where(line.kind.in_((RateKind.ACTIVITY.value, RateKind.MEETING.value)))
            .distinct()
        )
    }
    charged = (*rates.MEALS, ItemKind.LODGING.value)
    for batch_id, base_id, kind, activity in run(
        sa_select(item.batch_id, item.base_id, item.kind, item.activity)
        .join(table_of(Batch), batch.id == item.batch_id)
        .where(done, item.base_id.is_not(None))
    ):
        if kind in charged or (base_id, rates.fold_name(activity)) in named:
            pairs.add((int(batch_id), int(base_id)))
    invoiced = {
        (int(batch_id), int(base_id))
        for batch_id, base_id in run(sa_select(inv.batch_id, inv.base_id).where(inv.issued_on <= issued_by))
    }
    ids |= {int(batch_id) for batch_id, base_id in pairs if (batch_id, base_id) not in invoiced}
    return sorted(ids)
