"""Batches (批次): group visits with their dates, lodging per night, itinerary and the rules they obey."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, func
from sqlmodel import Session, col, delete, or_, select

from recuperation import messages
from recuperation.db import Database
from recuperation.errors import RuleViolation, ValidationError
from recuperation.models import (
    Agreement,
    Base,
    Batch,
    BatchItem,
    BatchKind,
    BatchStatus,
    ItemKind,
    Lodging,
    Participant,
    Partner,
    Route,
    RouteItem,
    table_of,
)
from recuperation.services import policy as policy_service
from recuperation.services.batch_rules import FIRM, Finding, agreement_findings, batch_findings, overbooking
from recuperation.services.common import (
    choice,
    clean_code,
    clean_text,
    create_audited,
    get_or_raise,
    non_negative,
    update_versioned,
)
from recuperation.services.partners import check_phone
from recuperation.services.routes import RouteItemInput

KIND_PREFIX = {
    BatchKind.RECUPERATION.value: "L",
    BatchKind.TRAINING.value: "P",
    BatchKind.CONFERENCE.value: "H",
}
KIND_LABELS = {
    BatchKind.RECUPERATION.value: "疗休养",
    BatchKind.TRAINING.value: "培训班",
    BatchKind.CONFERENCE.value: "会议",
}
STATUS_LABELS = {
    BatchStatus.PLANNED.value: "计划",
    BatchStatus.CONFIRMED.value: "已确认",
    BatchStatus.IN_PROGRESS.value: "进行中",
    BatchStatus.COMPLETED.value: "已完成",
    BatchStatus.CANCELLED.value: "已取消",
}
#: Statuses from which beds are firmly held: confirming an overbooking is refused.
FIRM_STATUSES = FIRM
NEXT_STATUS = {
    BatchStatus.PLANNED.value: (BatchStatus.CONFIRMED.value, BatchStatus.CANCELLED.value),
    BatchStatus.CONFIRMED.value: (
        BatchStatus.IN_PROGRESS.value,
        BatchStatus.PLANNED.value,
        BatchStatus.CANCELLED.value,
    ),
    BatchStatus.IN_PROGRESS.value: (BatchStatus.COMPLETED.value, BatchStatus.CANCELLED.value),
    BatchStatus.COMPLETED.value: (),
    BatchStatus.CANCELLED.value: (),
}


@dataclass(frozen=True)
class LodgingInput:
    base_id: int
    night: dt.date
    people: int


@dataclass(frozen=True)
class BatchInput:
    partner_id: int
    arrival: dt.date
    departure: dt.date
    headcount: int
    kind: str = BatchKind.RECUPERATION.value
    status: str = BatchStatus.PLANNED.value
    code: str = ""
    agreement_id: int | None = None
    route_id: int | None = None
    leader: str = ""
    leader_phone: str = ""
    guide: str = ""
    vehicle: str = ""
    notes: str = ""
    lodging: tuple[LodgingInput, ...] = field(default_factory=tuple)
    # The batch's own itinerary (day 1 is the arrival); None keeps it, or lays the route's plan when the
    # route is new.  Editing it never touches the route.
    itinerary: tuple[RouteItemInput, ...] | None = None


@dataclass(frozen=True)
class BatchRow:
    id: int
    code: str
    kind: str
    status: str
    partner_id: int
    partner: str
    agreement_id: int | None
    route_id: int | None
    route: str
    arrival: dt.date
    departure: dt.date
    headcount: int
    roster_count: int
    leader: str
    leader_phone: str
    guide: str
    vehicle: str
    notes: str
    version: int
    findings: tuple[Finding, ...] = ()
    bases: tuple[str, ...] = ()  # where the batch lodges (filled by list_batches)

    @property
    def days(self) -> int:
        return (self.departure - self.arrival).days + 1

    @property
    def people(self) -> int:
        """The statistics' definition: the roster count where a roster exists, else the headcount."""
        return self.roster_count or self.headcount


def stay_nights(arrival: dt.date, departure: dt.date) -> list[dt.date]:
    """The nights of a stay: each date from arrival up to the night before departure."""
    return [arrival + dt.timedelta(days=i) for i in range((departure - arrival).days)]


def _next_code(session: Session, kind: str, year: int) -> str:
    prefix = f"{KIND_PREFIX[kind]}{year}-"
    last = session.exec(select(func.max(Batch.code)).where(col(Batch.code).like(prefix + "%"))).one()
    seq = int(str(last).rsplit("-", 1)[1]) + 1 if last and str(last).rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{seq:04d}"


def _validate(session: Session, data: BatchInput, code: str) -> dict[str, object]:
    kind = choice("batch", "kind", data.kind, BatchKind.values())
    status = choice("batch", "status", data.status, BatchStatus.values())
    get_or_raise(session, Partner, data.partner_id)
    if data.departure < data.arrival:
        raise ValidationError(
            "batch.dates",
            field="departure",
            record="batch",
            code=code,
            arrival=data.arrival.isoformat(),
            departure=data.departure.isoformat(),
        )
    headcount = non_negative("batch", "headcount", data.headcount) or 0
    policy = policy_service.load_policy(session)
    days = (data.departure - data.arrival).days + 1
    if days > policy.max_days:
        raise RuleViolation(
            "batch.too_long", field="departure", record="batch", code=code, days=days, max=policy.max_days
        )
    nights = set(stay_nights(data.arrival, data.departure))
    for lodging in data.lodging:
        get_or_raise(session, Base, lodging.base_id)
        non_negative("batch", "people", lodging.people)
        if lodging.night not in nights:
            raise ValidationError(
                "batch.lodging_night",
                field="lodging",
                record="batch",
                code=code,
                night=lodging.night.isoformat(),
                arrival=data.arrival.isoformat(),
                departure=data.departure.isoformat(),
            )
    if data.agreement_id is not None:
        agreement = get_or_raise(session, Agreement, data.agreement_id)
        if agreement.partner_id != data.partner_id:
            raise ValidationError(
                "field.bad_choice",
                field="agreement_id",
                kind=messages.kind_label("batch"),
                label=messages.field_label("number"),
                value=agreement.number,
                choices="该合作单位的协议",
            )
    if data.route_id is not None:
        get_or_raise(session, Route, data.route_id)
    return {
        "code": code,
        "kind": kind,
        "status": status,
        "partner_id": data.partner_id,
        "agreement_id": data.agreement_id,
        "route_id": data.route_id,
        "arrival": data.arrival,
        "departure": data.departure,
        "headcount": headcount,
        "leader": clean_text("batch", "leader", data.leader, max_length=40),
        "leader_phone": check_phone("batch", code, data.leader_phone, field="leader_phone"),
        "guide": clean_text("batch", "guide", data.guide, max_length=40),
        "vehicle": clean_text("batch", "vehicle", data.vehicle, max_length=40),
        "notes": clean_text("batch", "notes", data.notes, max_length=2000, multiline=True),
    }


def _batch_row(session: Session, batch: Batch, *, with_findings: bool = True) -> BatchRow:
    assert batch.id is not None
    partner = get_or_raise(session, Partner, batch.partner_id)
    route = session.get(Route, batch.route_id) if batch.route_id else None
    roster = int(
        session.exec(
            select(func.count()).select_from(Participant).where(Participant.batch_id == batch.id)
        ).one()
    )
    findings = tuple(batch_findings(session, batch)) if with_findings else ()
    return BatchRow(
        batch.id,
        batch.code,
        batch.kind,
        batch.status,
        batch.partner_id,
        partner.name,
        batch.agreement_id,
        batch.route_id,
        route.name if route else "",
        batch.arrival,
        batch.departure,
        batch.headcount,
        roster,
        batch.leader,
        batch.leader_phone,
        batch.guide,
        batch.vehicle,
        batch.notes,
        batch.version,
        findings,
    )


def refuse_broken_rules(session: Session, batch: Batch) -> None:
    """What a save refuses: a quota overrun where the policy says so, and for a batch that holds its beds
    firmly, any night that would overbook a base (the message names the base, the night and the numbers)."""
    lock_for_booking(session, batch)
    _refuse_over_quota(session, batch)
    if batch.status in FIRM_STATUSES:
        over = overbooking(session, batch, firm_only=True)
        if over:
            raise RuleViolation(
                "batch.overbooked_confirm",
                field="lodging",
                record="batch",
                code=batch.code,
                detail="；".join(f.message for f in over),
            )


def lock_for_booking(session: Session, batch: Batch) -> None:
    """Take the row locks that make the capacity and quota checks true until this transaction ends.

    On PostgreSQL two desks saving at once would otherwise both read the same free beds (READ COMMITTED) and
    both commit.  Locking the batch's agreement and its bases (``SELECT … FOR UPDATE``, always in that order
    and by id, so two savers never wait on each other in a circle) makes the second saver wait until the
    first has committed; its checks then see the first one's beds.  On SQLite ``BEGIN IMMEDIATE`` already
    serialises writers and FOR UPDATE is not rendered.
    """
    if batch.agreement_id is not None:
        session.exec(select(Agreement.id).where(Agreement.id == batch.agreement_id).with_for_update()).all()
    base_ids = select(Lodging.base_id).where(Lodging.batch_id == batch.id).distinct()
    session.exec(
        select(Base.id).where(col(Base.id).in_(base_ids)).order_by(col(Base.id)).with_for_update()
    ).all()


def _refuse_over_quota(session: Session, batch: Batch) -> None:
    """Where the policy refuses quota overruns, a batch past its agreement's quota is not saved."""
    if batch.agreement_id is None or batch.status == BatchStatus.CANCELLED.value:
        return
    over = [f for f in agreement_findings(session, batch) if f.rule == "quota" and f.severity == "error"]
    if over:
        raise RuleViolation(
            "batch.quota_refused",
            field="agreement_id",
            record="batch",
            code=batch.code,
            detail="；".join(f.message for f in over),
        )


def _write_itinerary(session: Session, batch: Batch, items: tuple[RouteItemInput, ...]) -> None:
    """Replace the batch's own itinerary; day numbers count from the arrival and stay within the stay."""
    days = (batch.departure - batch.arrival).days + 1
    for item in items:
        if not 1 <= item.day_no <= days:
            raise ValidationError(
                "route.item_day",
                field="itinerary",
                record="batch",
                route=batch.code,
                day=item.day_no,
                days=days,
            )
    session.exec(delete(BatchItem).where(col(BatchItem.batch_id) == batch.id))
    for seq, item in enumerate(items):
        session.add(
            BatchItem(
                batch_id=batch.id or 0,
                on_date=batch.arrival + dt.timedelta(days=item.day_no - 1),
                seq=seq,
                time_of_day=clean_text("batch", "time_of_day", item.time_of_day, max_length=20),
                kind=choice("batch", "kind", item.kind, ItemKind.values()),
                activity=clean_text("batch", "activity", item.activity, max_length=200),
                place=clean_text("batch", "place", item.place, max_length=100),
                base_id=item.base_id,
            )
        )


def _copy_route_plan(session: Session, batch: Batch) -> None:
    """The batch's own itinerary: the route's day plan laid on real dates from the arrival."""
    items = session.exec(
        select(RouteItem)
        .where(RouteItem.route_id == batch.route_id)
        .order_by(col(RouteItem.day_no), col(RouteItem.seq))
    ).all()
    for seq, item in enumerate(items):
        session.add(
            BatchItem(
                batch_id=batch.id or 0,
                on_date=batch.arrival + dt.timedelta(days=item.day_no - 1),
                seq=seq,
                time_of_day=item.time_of_day,
                kind=item.kind,
                activity=item.activity,
                place=item.place,
                base_id=item.base_id,
            )
        )


def create_batch(db: Database, data: BatchInput) -> BatchRow:
    """Schedule a batch with its lodging, in one transaction.

    Refused: departure before arrival, more days than the policy allows, lodging outside the stay, and,
    for a batch created already confirmed, any night that would overbook a base.  The other rules come
    back as findings on the returned row.
    """
    with db.session(write=True) as session:
        code = clean_code("batch", "code", data.code) or _next_code(session, data.kind, data.arrival.year)
        if session.exec(select(Batch.id).where(Batch.code == code)).first() is not None:
            raise ValidationError(
                "record.duplicate",
                field="code",
                record="batch",
                kind=messages.kind_label("batch"),
                label=messages.field_label("code"),
                value=code,
            )
        values = _validate(session, data, code)
        batch = create_audited(session, db.user, Batch(**values), code)  # type: ignore[arg-type]
        for lodging in data.lodging:
            session.add(
                Lodging(
                    batch_id=batch.id or 0,
                    base_id=lodging.base_id,
                    night=lodging.night,
                    people=lodging.people,
                )
            )
        if data.itinerary is not None:
            _write_itinerary(session, batch, data.itinerary)
        elif batch.route_id is not None:
            _copy_route_plan(session, batch)
        session.flush()
        refuse_broken_rules(session, batch)
        return _batch_row(session, batch)


def set_status(db: Database, batch_id: int, version: int, status: str, reason: str = "") -> BatchRow:
    """Move a batch along planned → confirmed → in progress → completed, or cancel it with a reason.

    Confirming re-checks capacity inside the write transaction (which holds the write lock), so of two
    desks confirming the last beds of a night exactly one succeeds.
    """
    with db.session(write=True) as session:
        batch = get_or_raise(session, Batch, batch_id)
        target = choice("batch", "status", status, BatchStatus.values())
        if target not in NEXT_STATUS[batch.status]:
            raise RuleViolation(
                "batch.bad_status",
                field="status",
                record="batch",
                code=batch.code,
                status=STATUS_LABELS[batch.status],
                target=STATUS_LABELS[target],
            )
        changes: dict[str, object] = {"status": target}
        if target == BatchStatus.CANCELLED.value:
            text = clean_text("batch", "cancel_reason", reason, max_length=400)
            if not text:
                raise ValidationError(
                    "batch.cancel_reason", field="cancel_reason", record="batch", code=batch.code
                )
            changes["cancel_reason"] = text
        update_versioned(session, Batch, batch_id, version, changes, db.user, batch.code)
        session.flush()
        batch = get_or_raise(session, Batch, batch_id)
        session.refresh(batch)
        refuse_broken_rules(session, batch)
        return _batch_row(session, batch)


def get_batch(db: Database, batch_id: int) -> BatchRow:
    with db.session() as session:
        return _batch_row(session, get_or_raise(session, Batch, batch_id))


def find_batch(db: Database, code: str) -> BatchRow | None:
    with db.session() as session:
        batch = session.exec(select(Batch).where(Batch.code == code.strip())).first()
        return _batch_row(session, batch) if batch else None


def list_batches(
    db: Database,
    *,
    year: int | None = None,
    partner: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    search: str = "",
) -> list[BatchRow]:
    """Batches in arrival order, with their roster counts (no findings: those are per batch)."""
    with db.session() as session:
        roster = (
            select(Participant.batch_id, func.count().label("n"))
            .group_by(col(Participant.batch_id))
            .subquery()
        )
        b = table_of(Batch).c
        # Plain columns rather than Batch objects: the list of five years (5,724 batches) reads in half the
        # time without an ORM instance per row.
        query = (
            select(  # type: ignore[call-overload]
                b.id,
                b.code,
                b.kind,
                b.status,
                b.partner_id,
                Partner.name,
                b.agreement_id,
                b.route_id,
                func.coalesce(Route.name, ""),
                b.arrival,
                b.departure,
                b.headcount,
                func.coalesce(roster.c.n, 0),
                b.leader,
                b.leader_phone,
                b.guide,
                b.vehicle,
                b.notes,
                b.version,
            )
            .select_from(table_of(Batch))
            .join(Partner, col(Partner.id) == Batch.partner_id)
            .outerjoin(Route, col(Route.id) == Batch.route_id)
            .outerjoin(roster, roster.c.batch_id == Batch.id)
        )
        if year is not None:
            query = query.where(
                and_(col(Batch.arrival) >= dt.date(year, 1, 1), col(Batch.arrival) <= dt.date(year, 12, 31))
            )
        if partner:
            query = query.where(Partner.name == partner)
        if kind:
            query = query.where(Batch.kind == kind)
        if status:
            query = query.where(Batch.status == status)
        if search:
            like = f"%{search.strip()}%"
            query = query.where(
                or_(col(Batch.code).like(like), col(Partner.name).like(like), col(Batch.leader).like(like))
            )
        rows = session.exec(query.order_by(col(Batch.arrival), col(Batch.code))).all()
        lodged: dict[int, set[str]] = {}
        for batch_id, base_name in session.exec(
            select(col(Lodging.batch_id), col(Base.name))
            .join(Base, col(Base.id) == Lodging.base_id)
            .distinct()
        ):
            lodged.setdefault(batch_id, set()).add(base_name)
        # Each row holds the 19 fields before findings and bases, in their order.
        return [BatchRow(*row, bases=tuple(sorted(lodged.get(row[0], ())))) for row in rows]  # type: ignore[misc]
