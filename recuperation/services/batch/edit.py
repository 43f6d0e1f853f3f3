"""Changing a batch after it was scheduled: its details, an edit, a move in the planner (checked first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlmodel import Session, col, delete, select

from recuperation import labels, messages
from recuperation.errors import RuleViolation, ValidationError
from recuperation.models import Base, Batch, BatchItem, BatchStatus, ItemKind, Lodging, Participant
from recuperation.services import spending
from recuperation.services.batch.batches import (
    BatchInput,
    BatchRow,
    LodgingInput,
    batch_row,
    copy_route_plan,
    refuse_broken_rules,
    validate_batch,
    write_itinerary,
)
from recuperation.services.batch.night_base import NightBase, follow_lodging, night_bases
from recuperation.services.batch.rosters import lock_people, refuse_closed_change, refuse_overlaps
from recuperation.services.batch.rules import Finding, batch_findings
from recuperation.services.common import audit, clean_code, clean_text, get_or_raise, update_versioned
from recuperation.storage.database import Database


@dataclass(frozen=True)
class LodgingRow:
    base_id: int
    base: str
    night: dt.date
    people: int


@dataclass(frozen=True)
class ItineraryRow:
    on_date: dt.date
    time_of_day: str
    kind: str
    activity: str
    place: str
    base: str
    base_id: int | None = None


@dataclass(frozen=True)
class BatchDetails:
    """A batch with its lodging per night and its own itinerary."""

    batch: BatchRow
    lodging: tuple[LodgingRow, ...]
    itinerary: tuple[ItineraryRow, ...]


def get_details(db: Database, batch_id: int, *, with_findings: bool = True) -> BatchDetails:
    with db.session() as session:
        batch = get_or_raise(session, Batch, batch_id)
        row = batch_row(session, batch, with_findings=with_findings)
        lodging = session.exec(
            select(Lodging, Base.name)
            .join(Base, col(Base.id) == Lodging.base_id)
            .where(Lodging.batch_id == batch_id)
            .order_by(col(Lodging.night), col(Base.name))
        ).all()
        items = session.exec(
            select(BatchItem, Base.name)
            .outerjoin(Base, col(Base.id) == BatchItem.base_id)
            .where(BatchItem.batch_id == batch_id)
            .order_by(col(BatchItem.on_date), col(BatchItem.seq))
        ).all()
        return BatchDetails(
            row,
            tuple(LodgingRow(lo.base_id, name, lo.night, lo.people) for lo, name in lodging),
            tuple(
                ItineraryRow(i.on_date, i.time_of_day, i.kind, i.activity, i.place, name or "", i.base_id)
                for i, name in items
            ),
        )


@dataclass(frozen=True)
class LodgedPlan:
    """A batch as its documents print it: where it sleeps each night (its lodging, else its itinerary's 入住
    base) and its itinerary with the 入住 items and the night's meals following the lodging (night_base)."""

    nights: dict[dt.date, NightBase]
    itinerary: tuple[ItineraryRow, ...]


def lodged_plan(db: Database, details: BatchDetails) -> LodgedPlan:
    """The one source of the night's base for the itinerary PDF, the rooming list and the meal counts."""
    nights = night_bases(
        ((lo.night, lo.base_id, lo.base, lo.people) for lo in details.lodging),
        (
            (i.on_date, i.base_id, i.base)
            for i in details.itinerary
            if i.kind == ItemKind.LODGING.value and i.base_id is not None
        ),
    )
    ids = {base_id for entry in nights.values() for base_id, _name in entry.bases}
    with db.session() as session:
        townships = dict(session.exec(select(Base.id, Base.township).where(col(Base.id).in_(ids))).all())
    return LodgedPlan(nights, tuple(follow_lodging(details.itinerary, nights, townships)))  # type: ignore[arg-type]


#: Batches that are over: changing one needs a reason, recorded in its history.
CLOSED_STATUSES = frozenset({"completed", "cancelled"})
#: The longest old or new text of a lodging or itinerary change in the audit log.
_CHANGE_TEXT_MAX = 600


def needs_reason(status: str) -> bool:
    """Whether changing a batch in ``status`` (completed, cancelled) needs a reason (:func:`update_batch`)."""
    return status in CLOSED_STATUSES


def update_batch(db: Database, batch_id: int, version: int, data: BatchInput, reason: str = "") -> BatchRow:
    """Change a batch loaded at ``version``: its facts, dates and lodging, in one transaction.

    The status does not change here (see :func:`set_status`).  A new route lays its plan on the dates again;
    the same route on new dates moves the batch's own itinerary with them, keeping its changes.  A batch
    that holds its beds firmly (confirmed or later) is refused any night that would overbook a base.

    Changes of the lodging and of the itinerary are written to the audit log as readable field changes
    (“lodging”, “itinerary”: only the nights and days that changed).  Changing anything of a completed or
    cancelled batch is refused without a ``reason``; the reason is recorded in its history (“change_reason”).
    """
    with db.session(write=True) as session:
        return batch_row(session, _update_in(session, db.user, batch_id, version, data, reason))


def _update_in(
    session: Session, user: str, batch_id: int, version: int, data: BatchInput, reason: str | None
) -> Batch:
    """The changes of :func:`update_batch` inside an open transaction (the caller commits or rolls back).

    ``reason`` None: a preview (:func:`check_move`), which does not ask for one."""
    batch = get_or_raise(session, Batch, batch_id)
    old_code, status = batch.code, batch.status
    held = status in (BatchStatus.CONFIRMED.value, BatchStatus.IN_PROGRESS.value)
    breaks_before = spending.refusing_keys(session, batch) if held else set()
    reason_text = "" if reason is None else clean_text("batch", "change_reason", reason, max_length=400)
    old_stay = _stay_nights(batch.arrival, batch.departure)
    old_lodging = _lodging_by_night(session, batch_id)
    old_plan = _itinerary_by_day(session, batch_id)
    code = clean_code("batch", "code", data.code, kept=batch.code) or batch.code
    clash = session.exec(select(Batch.id).where(Batch.code == code)).first()
    if clash is not None and clash != batch_id:
        raise ValidationError(
            "record.duplicate",
            field="code",
            record="batch",
            kind=messages.kind_label("batch"),
            label=messages.field_label("code"),
            value=code,
        )
    old_route, old_arrival, old_departure = batch.route_id, batch.arrival, batch.departure
    if (data.arrival, data.departure) != (old_arrival, old_departure):
        lock_people(session)  # new dates may put its people into another overlapping batch: checked below
        refuse_closed_change(batch, "dates")  # the marks and the days people left belong to the old stay
    values = validate_batch(session, replace(data, status=batch.status), code)
    values.pop("status")
    diffs = update_versioned(session, Batch, batch_id, version, values, user, code, force=True)
    session.exec(delete(Lodging).where(col(Lodging.batch_id) == batch_id))
    for lodging in data.lodging:
        session.add(
            Lodging(batch_id=batch_id, base_id=lodging.base_id, night=lodging.night, people=lodging.people)
        )
    batch = get_or_raise(session, Batch, batch_id)
    session.refresh(batch)
    if batch.route_id != old_route:
        session.exec(delete(BatchItem).where(col(BatchItem.batch_id) == batch_id))
        if batch.route_id is not None:
            copy_route_plan(session, batch)
    elif data.itinerary is not None:
        write_itinerary(session, batch, data.itinerary)
    elif batch.arrival != old_arrival:
        shift = batch.arrival - old_arrival
        for item in session.exec(select(BatchItem).where(BatchItem.batch_id == batch_id)):
            item.on_date = item.on_date + shift
    session.flush()
    lodging_change = _lodging_change(
        old_lodging,
        old_stay,
        _lodging_by_night(session, batch_id),
        _stay_nights(batch.arrival, batch.departure),
    )
    itinerary_change = _itinerary_change(old_plan, _itinerary_by_day(session, batch_id))
    if (
        reason is not None
        and needs_reason(status)
        and (diffs or lodging_change or itinerary_change)
        and not reason_text
    ):
        raise RuleViolation(
            "batch.closed_needs_reason",
            field="reason",
            record="batch",
            code=old_code,
            status=messages.text(f"import.closed_status.{status}"),
        )
    for field, change in (("lodging", lodging_change), ("itinerary", itinerary_change)):
        if change is not None:
            audit(session, user, "update", "batch", batch_id, code, field, *change)
    if reason_text and (diffs or lodging_change or itinerary_change):
        audit(session, user, "update", "batch", batch_id, code, "change_reason", None, reason_text)
    refuse_broken_rules(session, batch)
    if held:
        spending.refuse_new_breaks(session, batch, breaks_before)
    if (batch.arrival, batch.departure) != (old_arrival, old_departure) and batch.status != "cancelled":
        people = session.exec(
            select(Participant.id_key, Participant.name).where(Participant.batch_id == batch_id)
        ).all()
        refuse_overlaps(session, batch, [(str(n), str(name)) for n, name in people])
    return batch


def _day(day: dt.date) -> str:
    return messages.day_text(day, year=False, language="zh")  # audit entries are data, written in Chinese


def _days(first: dt.date, last: dt.date) -> str:
    """1月11日, 1月11日至13日, 1月31日至2月2日."""
    if first == last:
        return _day(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{_day(first)}至{last.day}日"
    return f"{_day(first)}至{_day(last)}"


def _stay_nights(arrival: dt.date, departure: dt.date) -> frozenset[dt.date]:
    return frozenset(arrival + dt.timedelta(days=i) for i in range((departure - arrival).days))


def _lodging_by_night(session: Session, batch_id: int) -> dict[dt.date, str]:
    """Each night's lodging as the audit log shows it: “大慈岩山庄 30人”, “大慈岩山庄 20人、江滨宾馆 10人”."""
    rows = session.exec(
        select(col(Lodging.night), col(Base.name), col(Lodging.people))
        .join(Base, col(Base.id) == Lodging.base_id)
        .where(Lodging.batch_id == batch_id)
        .order_by(col(Lodging.night), col(Base.name))
    ).all()
    nights: dict[dt.date, list[str]] = {}
    for night, name, people in rows:
        nights.setdefault(night, []).append(f"{name} {people}人")
    return {night: "、".join(parts) for night, parts in nights.items()}


def _itinerary_by_day(session: Session, batch_id: int) -> dict[dt.date, str]:
    """Each day's itinerary as the audit log shows it: “上午 古镇漫游、晚餐 寿昌宾馆”."""
    rows = session.exec(
        select(BatchItem, Base.name)
        .outerjoin(Base, col(Base.id) == BatchItem.base_id)
        .where(BatchItem.batch_id == batch_id)
        .order_by(col(BatchItem.on_date), col(BatchItem.seq))
    ).all()
    kinds = labels.labels("item_kind", "zh")  # the audit log is kept in Chinese, as its other texts
    days: dict[dt.date, list[str]] = {}
    for item, base in rows:
        words = [item.time_of_day, item.activity or kinds.get(item.kind, item.kind), item.place or base or ""]
        days.setdefault(item.on_date, []).append(" ".join(w for w in words if w))
    return {day: "、".join(parts) for day, parts in days.items()}


def _runs(entries: list[tuple[dt.date, str]]) -> str:
    """Consecutive days with the same text as one range: “1月11日至13日 大慈岩山庄 30人；1月14日 无住宿”."""
    runs: list[tuple[dt.date, dt.date, str]] = []
    for day, text in entries:
        if runs and runs[-1][2] == text and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day, text)
        else:
            runs.append((day, day, text))
    shown = "；".join(f"{_days(first, last)} {text}" for first, last, text in runs)
    return shown if len(shown) <= _CHANGE_TEXT_MAX else shown[: _CHANGE_TEXT_MAX - 1] + "…"


def _lodging_change(
    old: dict[dt.date, str],
    old_stay: frozenset[dt.date],
    new: dict[dt.date, str],
    new_stay: frozenset[dt.date],
) -> tuple[str, str] | None:
    """The nights whose lodging changed, before and after; None when none did.  A side names a changed night
    it has no lodging for as “无住宿” when the night is within its stay (not when the stay moved away)."""
    changed = sorted(n for n in old.keys() | new.keys() | old_stay | new_stay if old.get(n) != new.get(n))
    if not changed:
        return None

    def side(nights: dict[dt.date, str], stay: frozenset[dt.date]) -> str:
        shown = [(n, nights.get(n, "无住宿")) for n in changed if n in nights or n in stay]
        return _runs(shown) or "无住宿"

    return side(old, old_stay), side(new, new_stay)


def _itinerary_change(old: dict[dt.date, str], new: dict[dt.date, str]) -> tuple[str, str] | None:
    """The days whose itinerary changed, before and after; None when none did.  An itinerary moved whole
    with the batch's dates is named by its days only (its items stay as they were)."""
    if old == new:
        return None
    if old and new and len(old) == len(new):
        shift = min(new) - min(old)
        if {day + shift: text for day, text in old.items()} == new:
            way = f"推后 {shift.days} 天" if shift.days > 0 else f"提前 {-shift.days} 天"
            return f"{_days(min(old), max(old))}", f"{_days(min(new), max(new))}（随日期{way}，内容未变）"
    changed = sorted(d for d in old.keys() | new.keys() if old.get(d) != new.get(d))
    return (
        _runs([(d, old.get(d, "无行程")) for d in changed]) or "无行程",
        _runs([(d, new.get(d, "无行程")) for d in changed]) or "无行程",
    )


@dataclass(frozen=True)
class MoveCheck:
    """What moving a batch by some days would give: the findings, and whether saving it would be refused."""

    arrival: dt.date
    departure: dt.date
    findings: tuple[Finding, ...]
    refusal: str  # the message of a refusal, empty when the move can be saved
    #: The batch is completed or cancelled: :func:`move_batch` needs a reason (the planner asks for one).
    needs_reason: bool = False


def _moved(batch: BatchRow, lodging: tuple[LodgingRow, ...], days: int) -> BatchInput:
    shift = dt.timedelta(days=days)
    return BatchInput(
        partner_id=batch.partner_id,
        arrival=batch.arrival + shift,
        departure=batch.departure + shift,
        headcount=batch.headcount,
        kind=batch.kind,
        code=batch.code,
        agreement_id=batch.agreement_id,
        route_id=batch.route_id,
        leader=batch.leader,
        leader_phone=batch.leader_phone,
        guide=batch.guide,
        vehicle=batch.vehicle,
        notes=batch.notes,
        lodging=tuple(LodgingInput(lo.base_id, lo.night + shift, lo.people) for lo in lodging),
    )


def check_move(db: Database, batch_id: int, version: int, days: int) -> MoveCheck:
    """Every rule on the batch as if it arrived ``days`` later (earlier when negative); nothing is saved.

    The move is made inside a transaction that is always rolled back, so the checks see exactly what a save
    would see, other desks' bookings included.
    """
    details = get_details(db, batch_id)
    data = _moved(details.batch, details.lodging, days)
    with db.session() as session:  # a read session: rolled back at the end, whatever it changed
        try:
            batch = _update_in(session, db.user, batch_id, version, data, None)
        except (ValidationError, RuleViolation) as exc:
            return MoveCheck(data.arrival, data.departure, (), exc.message)
        findings = tuple(batch_findings(session, batch))
        session.rollback()
    return MoveCheck(data.arrival, data.departure, findings, "", needs_reason(details.batch.status))


def move_batch(db: Database, batch_id: int, version: int, days: int, reason: str = "") -> BatchRow:
    """Move a batch, its lodging and its itinerary by ``days``; the same rules as any other change (a
    completed or cancelled batch needs a ``reason``)."""
    details = get_details(db, batch_id)
    return update_batch(db, batch_id, version, _moved(details.batch, details.lodging, days), reason)
