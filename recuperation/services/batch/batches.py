"""Batches (批次): group visits with their dates, lodging per night, itinerary and the rules they obey."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, func
from sqlmodel import Session, col, delete, or_, select

from recuperation import messages
from recuperation.errors import RuleViolation, ValidationError
from recuperation.labels import label
from recuperation.models import (
    Agreement,
    Base,
    BaseInvoice,
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
from recuperation.services.batch.rules import FIRM, Finding, agreement_findings, batch_findings, overbooking
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
from recuperation.storage.database import Database

KIND_PREFIX = {
    BatchKind.RECUPERATION.value: "L",
    BatchKind.TRAINING.value: "P",
    BatchKind.CONFERENCE.value: "H",
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
    roster_count: int  # the roster's members: companions (随行家属) are not counted, as in every union figure
    leader: str
    leader_phone: str
    guide: str
    vehicle: str
    notes: str
    version: int
    findings: tuple[Finding, ...] = ()
    bases: tuple[str, ...] = ()  # where the batch lodges (filled by list_batches)
    roll_closed_on: dt.date | None = None  # the roll call closed: the roster is the record of who came

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


def batch_label(code: str) -> str:
    """How a message names a batch: 批次 L2021-0001, or 新批次 for a batch not saved yet whose code the user
    left to be given on saving (a message must not name a code that does not exist)."""
    return messages.text("batch.named", code=code) if code else messages.text("batch.unsaved")


def validate_batch(
    session: Session, data: BatchInput, code: str, *, shown: str | None = None
) -> dict[str, object]:
    """The values to write, checked; ``shown`` is the code messages name ("" for a new batch that has none
    yet, see :func:`batch_label`; None names ``code``)."""
    shown = code if shown is None else shown
    batch = batch_label(shown)
    kind = choice("batch", "kind", data.kind, BatchKind.values())
    status = choice("batch", "status", data.status, BatchStatus.values())
    get_or_raise(session, Partner, data.partner_id)
    if data.departure < data.arrival:
        raise ValidationError(
            "batch.dates",
            field="departure",
            record="batch",
            batch=batch,
            arrival=data.arrival.isoformat(),
            departure=data.departure.isoformat(),
        )
    headcount = non_negative("batch", "headcount", data.headcount) or 0
    policy = policy_service.load_policy(session)
    days = (data.departure - data.arrival).days + 1
    if days > policy.max_days:
        raise RuleViolation(
            "batch.too_long", field="departure", record="batch", batch=batch, days=days, max=policy.max_days
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
                batch=batch,
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
                choices=messages.text("batch.partner_agreements"),
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
        "leader_phone": check_phone("batch", shown, data.leader_phone, field="leader_phone"),
        "guide": clean_text("batch", "guide", data.guide, max_length=40),
        "vehicle": clean_text("batch", "vehicle", data.vehicle, max_length=40),
        "notes": clean_text("batch", "notes", data.notes, max_length=2000, multiline=True),
    }


def batch_row(session: Session, batch: Batch, *, with_findings: bool = True) -> BatchRow:
    assert batch.id is not None
    partner = get_or_raise(session, Partner, batch.partner_id)
    route = session.get(Route, batch.route_id) if batch.route_id else None
    roster = int(
        session.exec(
            select(func.count())
            .select_from(Participant)
            .where(Participant.batch_id == batch.id, col(Participant.companion).is_(False))
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
        roll_closed_on=batch.roll_closed_on,
    )


def refuse_broken_rules(
    session: Session, batch: Batch, *, shown: str | None = None, target: str | None = None
) -> None:
    """What a save refuses: a quota overrun where the policy says so, and for a batch that holds its beds
    firmly, any night that would overbook a base (the message names the base, the night and the numbers).

    The message says what the user was doing: ``target`` is the status being set (confirming, or moving a
    confirmed batch on), None for saving a new batch or changes to one; ``shown`` is the code to name (""
    for a new batch without one yet, None for the batch's code).
    """
    named = batch_label(batch.code if shown is None else shown)
    lock_for_booking(session, batch)
    _refuse_over_quota(session, batch, named)
    if batch.status in FIRM_STATUSES:
        over = overbooking(session, batch, firm_only=True)
        if over:
            detail = messages.join_clauses([f.message.rstrip("。.") for f in over])
            if target is None:
                raise RuleViolation(
                    "batch.overbooked_save", field="lodging", record="batch", batch=named, detail=detail
                )
            if target == BatchStatus.CONFIRMED.value:
                raise RuleViolation(
                    "batch.overbooked_confirm", field="lodging", record="batch", batch=named, detail=detail
                )
            raise RuleViolation(
                "batch.overbooked_status",
                field="lodging",
                record="batch",
                batch=named,
                target=label("batch_status", target),
                detail=detail,
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


def _refuse_over_quota(session: Session, batch: Batch, label: str) -> None:
    """Where the policy refuses quota overruns, a batch past its agreement's quota is not saved."""
    if batch.agreement_id is None or batch.status == BatchStatus.CANCELLED.value:
        return
    over = [f for f in agreement_findings(session, batch) if f.rule == "quota" and f.severity == "error"]
    if over:
        raise RuleViolation(
            "batch.quota_refused",
            field="agreement_id",
            record="batch",
            batch=label,
            detail=messages.join_clauses([f.message.rstrip("。.") for f in over]),
        )


def write_itinerary(
    session: Session, batch: Batch, items: tuple[RouteItemInput, ...], *, shown: str | None = None
) -> None:
    """Replace the batch's own itinerary; day numbers count from the arrival and stay within the stay."""
    days = (batch.departure - batch.arrival).days + 1
    for item in items:
        if not 1 <= item.day_no <= days:
            raise ValidationError(
                "batch.item_day",
                field="itinerary",
                record="batch",
                batch=batch_label(batch.code if shown is None else shown),
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


def copy_route_plan(session: Session, batch: Batch) -> None:
    """The batch's own itinerary: the route's day plan laid on real dates from the arrival, on the days the
    batch has only.  A route longer than the batch is cut after the departure day (and no 入住 is laid on
    the departure day, a night the batch does not stay); the batch's finding ``route_length`` says so."""
    days = (batch.departure - batch.arrival).days + 1
    items = [
        item
        for item in session.exec(
            select(RouteItem)
            .where(RouteItem.route_id == batch.route_id)
            .order_by(col(RouteItem.day_no), col(RouteItem.seq))
        ).all()
        if item.day_no <= days and not (item.kind == ItemKind.LODGING.value and item.day_no == days)
    ]
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
    for a batch created already confirmed, any night that would overbook a base and (when the policy
    ``order_mode`` says refuse) bases that have not confirmed an order, which a new batch cannot have.  The other rules come
    back as findings on the returned row.
    """
    with db.session(write=True) as session:
        typed = clean_code("batch", "code", data.code)  # "" until saving gives it a code: 新批次 in messages
        code = typed or _next_code(session, data.kind, data.arrival.year)
        if session.exec(select(Batch.id).where(Batch.code == code)).first() is not None:
            raise ValidationError(
                "record.duplicate",
                field="code",
                record="batch",
                kind=messages.kind_label("batch"),
                label=messages.field_label("code"),
                value=code,
            )
        values = validate_batch(session, data, code, shown=typed)
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
            write_itinerary(session, batch, data.itinerary, shown=typed)
        elif batch.route_id is not None:
            copy_route_plan(session, batch)
        session.flush()
        refuse_broken_rules(session, batch, shown=typed)
        if batch.status in (BatchStatus.CONFIRMED.value, BatchStatus.IN_PROGRESS.value):
            from recuperation.services import orders, spending
            from recuperation.services.policy import load_policy

            # created confirmed or under way: the refusing spending rules hold as they do for confirming (a
            # completed batch is a record of what happened: its findings show, nothing refuses it)
            spending.refuse_confirming(session, batch, shown=typed)
            if batch.status == BatchStatus.CONFIRMED.value:  # its bases have confirmed nothing yet
                orders.refuse_unconfirmed(session, batch, load_policy(session).order_mode)
        return batch_row(session, batch)


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
                status=label("batch_status", batch.status),
                target=label("batch_status", target),
            )
        changes: dict[str, object] = {"status": target}
        if target == BatchStatus.CANCELLED.value:
            from recuperation.services.batch.rosters import refuse_closed_change

            refuse_closed_change(batch, "cancel")  # the people who came would leave every figure
            invoiced = session.exec(
                select(func.count()).select_from(BaseInvoice).where(BaseInvoice.batch_id == batch_id)
            ).one()
            if invoiced:  # a base has invoiced it: what it was paid for happened (or is settled as a fee)
                raise RuleViolation("batch.cancel_invoiced", field="status", record="batch", code=batch.code)
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
        refuse_broken_rules(session, batch, target=target)
        if target == BatchStatus.CONFIRMED.value:
            from recuperation.services import orders, spending
            from recuperation.services.policy import load_policy

            spending.refuse_confirming(session, batch)  # the partner's spending rules that refuse
            orders.refuse_unconfirmed(session, batch, load_policy(session).order_mode)
        return batch_row(session, batch)


def get_batch(db: Database, batch_id: int) -> BatchRow:
    with db.session() as session:
        return batch_row(session, get_or_raise(session, Batch, batch_id))


def find_batch(db: Database, code: str) -> BatchRow | None:
    with db.session() as session:
        batch = session.exec(select(Batch).where(Batch.code == code.strip())).first()
        return batch_row(session, batch) if batch else None


def batch_years(db: Database) -> list[int]:
    """The years in which a batch arrives, in order."""
    with db.session() as session:
        days = session.exec(select(func.min(Batch.arrival), func.max(Batch.arrival))).one()
        if days[0] is None:
            return []
        return [
            year
            for year in range(days[0].year, days[1].year + 1)
            if session.exec(
                select(col(Batch.id))
                .where(col(Batch.arrival) >= dt.date(year, 1, 1), col(Batch.arrival) <= dt.date(year, 12, 31))
                .limit(1)
            ).first()
            is not None
        ]


def batch_year(db: Database, batch_id: int) -> int | None:
    """The year batch ``batch_id`` arrives in (None: no such batch)."""
    with db.session() as session:
        arrival = session.exec(select(col(Batch.arrival)).where(col(Batch.id) == batch_id)).first()
        return arrival.year if arrival is not None else None


def list_batches(
    db: Database,
    *,
    year: int | None = None,
    partner: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    search: str = "",
) -> list[BatchRow]:
    """Batches in arrival order, with their roster counts (no findings: those are per batch).  A year's list
    reads that year's rosters and lodging only: its cost does not grow with the years on file."""
    with db.session() as session:
        in_year = None
        if year is not None:
            in_year = select(col(Batch.id)).where(
                and_(col(Batch.arrival) >= dt.date(year, 1, 1), col(Batch.arrival) <= dt.date(year, 12, 31))
            )
        counted = (
            select(Participant.batch_id, func.count().label("n"))
            .where(col(Participant.companion).is_(False))
            .group_by(col(Participant.batch_id))
        )
        if in_year is not None:
            counted = counted.where(col(Participant.batch_id).in_(in_year))
        roster = counted.subquery()
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
                b.roll_closed_on,
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
        lodging = select(col(Lodging.batch_id), col(Base.name)).join(Base, col(Base.id) == Lodging.base_id)
        if in_year is not None:
            lodging = lodging.where(col(Lodging.batch_id).in_(in_year))
        for batch_id, base_name in session.exec(lodging.distinct()):
            lodged.setdefault(batch_id, set()).add(base_name)
        # Each row holds the 19 fields before findings and bases, in their order, then roll_closed_on.
        return [
            BatchRow(*row[:19], bases=tuple(sorted(lodged.get(row[0], ()))), roll_closed_on=row[19])  # type: ignore[misc]
            for row in rows
        ]
