"""Changing a batch after it was scheduled: its details, an edit, a move in the planner (checked first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlmodel import Session, col, delete, select

from recuperation import messages
from recuperation.db import Database
from recuperation.errors import RuleViolation, ValidationError
from recuperation.models import Base, Batch, BatchItem, Lodging, Participant
from recuperation.services.batch_rules import Finding, batch_findings
from recuperation.services.batches import (
    BatchInput,
    BatchRow,
    LodgingInput,
    _batch_row,
    _copy_route_plan,
    _validate,
    _write_itinerary,
    refuse_broken_rules,
)
from recuperation.services.common import audit, clean_code, get_or_raise, update_versioned
from recuperation.services.rosters import lock_people, refuse_overlaps


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
        row = _batch_row(session, batch, with_findings=with_findings)
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


def update_batch(db: Database, batch_id: int, version: int, data: BatchInput) -> BatchRow:
    """Change a batch loaded at ``version``: its facts, dates and lodging, in one transaction.

    The status does not change here (see :func:`set_status`).  A new route lays its plan on the dates again;
    the same route on new dates moves the batch's own itinerary with them, keeping its changes.  A batch
    that holds its beds firmly (confirmed or later) is refused any night that would overbook a base.
    """
    with db.session(write=True) as session:
        return _batch_row(session, _update_in(session, db.user, batch_id, version, data))


def _update_in(session: Session, user: str, batch_id: int, version: int, data: BatchInput) -> Batch:
    """The changes of :func:`update_batch` inside an open transaction (the caller commits or rolls back)."""
    batch = get_or_raise(session, Batch, batch_id)
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
    values = _validate(session, replace(data, status=batch.status), code)
    values.pop("status")
    update_versioned(session, Batch, batch_id, version, values, user, code, force=True)
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
            _copy_route_plan(session, batch)
    elif data.itinerary is not None:
        _write_itinerary(session, batch, data.itinerary)
        audit(
            session, user, "update", "batch", batch_id, code, "itinerary", None, f"{len(data.itinerary)} 项"
        )
    elif batch.arrival != old_arrival:
        shift = batch.arrival - old_arrival
        for item in session.exec(select(BatchItem).where(BatchItem.batch_id == batch_id)):
            item.on_date = item.on_date + shift
    session.flush()
    refuse_broken_rules(session, batch)
    if (batch.arrival, batch.departure) != (old_arrival, old_departure) and batch.status != "cancelled":
        people = session.exec(
            select(Participant.id_number, Participant.name).where(Participant.batch_id == batch_id)
        ).all()
        refuse_overlaps(session, batch, [(str(n), str(name)) for n, name in people])
    return batch


@dataclass(frozen=True)
class MoveCheck:
    """What moving a batch by some days would give: the findings, and whether saving it would be refused."""

    arrival: dt.date
    departure: dt.date
    findings: tuple[Finding, ...]
    refusal: str  # the message of a refusal, empty when the move can be saved


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
            batch = _update_in(session, db.user, batch_id, version, data)
        except (ValidationError, RuleViolation) as exc:
            return MoveCheck(data.arrival, data.departure, (), exc.message)
        findings = tuple(batch_findings(session, batch))
        session.rollback()
    return MoveCheck(data.arrival, data.departure, findings, "")


def move_batch(db: Database, batch_id: int, version: int, days: int) -> BatchRow:
    """Move a batch, its lodging and its itinerary by ``days``; the same rules as any other change."""
    details = get_details(db, batch_id)
    return update_batch(db, batch_id, version, _moved(details.batch, details.lodging, days))
