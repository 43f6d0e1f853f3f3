"""Bases (疗休养基地) and their certifications (基地认定) with the history of review steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from recuperation import messages
from recuperation.errors import ValidationError
from recuperation.labels import label
from recuperation.models import (
    VALID_CERT_STATES,
    Base,
    BaseInvoice,
    BaseKind,
    Batch,
    BatchItem,
    Certification,
    CertificationStep,
    CertLevel,
    CertStatus,
    CertStep,
    FeedbackRating,
    Incident,
    Inspection,
    Lodging,
    RateCard,
    RouteItem,
    ServiceOrder,
)
from recuperation.services.common import (
    choice,
    clean_code,
    clean_text,
    count_where,
    create_audited,
    delete_checked,
    get_or_raise,
    non_negative,
    set_archived,
    update_versioned,
)
from recuperation.services.partners import check_phone
from recuperation.storage.database import Database

#: Which step may follow which state, and the state it leads to.
TRANSITIONS: dict[CertStatus, dict[CertStep, CertStatus]] = {
    CertStatus.APPLIED: {
        CertStep.FIRST_REVIEW: CertStatus.FIRST_REVIEW,
        CertStep.REJECTED: CertStatus.REJECTED,
    },
    CertStatus.FIRST_REVIEW: {
        CertStep.SITE_INSPECTION: CertStatus.SITE_INSPECTION,
        CertStep.REJECTED: CertStatus.REJECTED,
    },
    CertStatus.SITE_INSPECTION: {
        CertStep.CERTIFIED: CertStatus.CERTIFIED,
        CertStep.REJECTED: CertStatus.REJECTED,
    },
    CertStatus.CERTIFIED: {
        CertStep.RECHECK: CertStatus.RECHECKED,
        CertStep.EXPIRED: CertStatus.EXPIRED,
        CertStep.REVOKED: CertStatus.REVOKED,
    },
    CertStatus.RECHECKED: {
        CertStep.RECHECK: CertStatus.RECHECKED,
        CertStep.EXPIRED: CertStatus.EXPIRED,
        CertStep.REVOKED: CertStatus.REVOKED,
    },
    CertStatus.EXPIRED: {},
    CertStatus.REVOKED: {},
    CertStatus.REJECTED: {},
}
#: The order of the steps in a certification's history: 申报 → 初审 → 实地考察 → 认定 → 复核 …, then how it
#: ended.  A step is never dated before the step it follows, and the history lists them in this order.
STEP_ORDER = {step.value: i for i, step in enumerate(CertStep)}
VALID_STATES = VALID_CERT_STATES
OPEN_STATES = tuple(
    s.value for s in CertStatus if s not in (CertStatus.EXPIRED, CertStatus.REVOKED, CertStatus.REJECTED)
)


@dataclass(frozen=True)
class BaseInput:
    name: str
    kind: str = BaseKind.HOTEL.value
    township: str = ""
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    beds: int = 0
    rooms: int = 0
    dining_seats: int = 0
    meeting_seats: int = 0
    notes: str = ""


@dataclass(frozen=True)
class BaseRow:
    id: int
    name: str
    kind: str
    township: str
    address: str
    contact_name: str
    contact_phone: str
    beds: int
    rooms: int
    dining_seats: int
    meeting_seats: int
    notes: str
    archived: bool
    version: int
    # the base's most relevant certification: valid today if any, else the latest one
    cert_level: str = ""
    cert_status: str = ""
    cert_valid_to: dt.date | None = None
    cert_recheck_due: dt.date | None = None

    def cert_state(self, today: dt.date) -> str:
        """ "none", "pending", "valid", "recheck_due" (within 60 days), "lapsing" (within 60 days), "lapsed"."""
        if not self.cert_status:
            return "none"
        if self.cert_status not in VALID_STATES:
            return "lapsed" if self.cert_status in ("expired", "revoked") else "pending"
        if self.cert_valid_to is None or self.cert_valid_to < today:
            return "lapsed"
        if (self.cert_valid_to - today).days <= ATTENTION_DAYS:
            return "lapsing"
        if self.cert_recheck_due is not None and (self.cert_recheck_due - today).days <= ATTENTION_DAYS:
            return "recheck_due"
        return "valid"


ATTENTION_DAYS = 60


@dataclass(frozen=True)
class NightOccupancy:
    night: dt.date
    used: int
    beds: int


@dataclass(frozen=True)
class StepRow:
    step: str
    on_date: dt.date
    responsible: str
    notes: str


@dataclass(frozen=True)
class CertificationRow:
    id: int
    base_id: int
    base: str
    level: str
    status: str
    certificate_no: str
    applied_on: dt.date | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    recheck_due: dt.date | None
    version: int
    steps: tuple[StepRow, ...]

    def valid_on(self, day: dt.date) -> bool:
        return (
            self.status in VALID_STATES
            and self.valid_from is not None
            and self.valid_to is not None
            and self.valid_from <= day <= self.valid_to
        )


def base_values(session: Session, data: BaseInput, own_id: int | None) -> dict[str, object]:
    name = clean_text("base", "name", data.name, max_length=100, required=True)
    clash = session.exec(select(Base.id).where(Base.name == name)).first()
    if clash is not None and clash != own_id:
        raise ValidationError(
            "record.duplicate",
            field="name",
            record="base",
            kind=messages.kind_label("base"),
            label=messages.field_label("name"),
            value=name,
        )
    return {
        "name": name,
        "kind": choice("base", "kind", data.kind, BaseKind.values()),
        "township": clean_text("base", "township", data.township, max_length=40),
        "address": clean_text("base", "address", data.address, max_length=200),
        "contact_name": clean_text("base", "contact_name", data.contact_name, max_length=40),
        "contact_phone": check_phone("base", name, data.contact_phone),
        "beds": non_negative("base", "beds", data.beds),
        "rooms": non_negative("base", "rooms", data.rooms),
        "dining_seats": non_negative("base", "dining_seats", data.dining_seats),
        "meeting_seats": non_negative("base", "meeting_seats", data.meeting_seats),
        "notes": clean_text("base", "notes", data.notes, max_length=2000, multiline=True),
    }


def _base_row(b: Base) -> BaseRow:
    assert b.id is not None
    return BaseRow(
        b.id,
        b.name,
        b.kind,
        b.township,
        b.address,
        b.contact_name,
        b.contact_phone,
        b.beds,
        b.rooms,
        b.dining_seats,
        b.meeting_seats,
        b.notes,
        b.archived,
        b.version,
    )


def create_base(db: Database, data: BaseInput) -> BaseRow:
    """Register a base; its name must be unique and its counts not negative."""
    with db.session(write=True) as session:
        values = base_values(session, data, None)
        return _base_row(create_audited(session, db.user, Base(**values), str(values["name"])))  # type: ignore[arg-type]


def update_base(db: Database, base_id: int, version: int, data: BaseInput) -> BaseRow:
    with db.session(write=True) as session:
        values = base_values(session, data, base_id)
        update_versioned(session, Base, base_id, version, values, db.user, str(values["name"]))
        return _base_row(get_or_raise(session, Base, base_id))


def list_bases(db: Database, search: str = "", *, include_archived: bool = False) -> list[BaseRow]:
    """Bases whose name or township contains ``search``, each with its most relevant certification."""
    today = dt.date.today()
    with db.session() as session:
        query = select(Base)
        if not include_archived:
            query = query.where(col(Base.archived).is_(False))
        if search:
            like = f"%{search.strip()}%"
            query = query.where(or_(col(Base.name).like(like), col(Base.township).like(like)))
        certs: dict[int, Certification] = {}
        for cert in session.exec(select(Certification).order_by(col(Certification.id))):
            current = certs.get(cert.base_id)
            if current is None or _more_relevant(cert, current, today):
                certs[cert.base_id] = cert
        rows = []
        for base in session.exec(query.order_by(Base.name)):
            best = certs.get(base.id or 0)
            row = _base_row(base)
            if best is not None:
                row = replace(
                    row,
                    cert_level=best.level,
                    cert_status=best.status,
                    cert_valid_to=best.valid_to,
                    cert_recheck_due=best.recheck_due,
                )
            rows.append(row)
        return rows


def _more_relevant(new: Certification, old: Certification, today: dt.date) -> bool:
    def rank(c: Certification) -> tuple[int, int, dt.date]:
        valid = c.status in VALID_STATES and c.valid_to is not None and c.valid_to >= today
        level = {CertLevel.PROVINCIAL.value: 3, CertLevel.HANGZHOU.value: 2}.get(c.level, 1)
        return (1 if valid else 0, level, c.valid_to or c.applied_on or dt.date.min)

    return rank(new) > rank(old)


def archive_base(db: Database, base_id: int, version: int, archived: bool = True) -> BaseRow:
    with db.session(write=True) as session:
        base = get_or_raise(session, Base, base_id)
        set_archived(session, Base, base_id, version, archived, db.user, base.name)
        return _base_row(get_or_raise(session, Base, base_id))


def delete_base(db: Database, base_id: int, version: int) -> None:
    """Delete a base that hosts nothing and is in no plan; otherwise refused with what depends on it."""
    with db.session(write=True) as session:
        base = get_or_raise(session, Base, base_id)
        dependents = {
            "lodging": count_where(session, Lodging.base_id, base_id),
            "route_item": count_where(session, RouteItem.base_id, base_id),
            "batch_item": count_where(session, BatchItem.base_id, base_id),
            "certification": count_where(session, Certification.base_id, base_id),
            "rate_card": count_where(session, RateCard.base_id, base_id),
            "service_order": count_where(session, ServiceOrder.base_id, base_id),
            "base_invoice": count_where(session, BaseInvoice.base_id, base_id),
            "inspection": count_where(session, Inspection.base_id, base_id),
            "incident": count_where(session, Incident.base_id, base_id),
            "feedback_rating": count_where(session, FeedbackRating.base_id, base_id),
        }
        delete_checked(session, Base, base_id, version, db.user, base.name, dependents)


def occupancy(db: Database, base_id: int, first: dt.date, nights: int) -> list[NightOccupancy]:
    """Beds used each night from ``first`` for ``nights`` nights, by batches that are not cancelled."""
    last = first + dt.timedelta(days=nights - 1)
    with db.session() as session:
        base = get_or_raise(session, Base, base_id)
        used = dict(
            session.exec(
                select(col(Lodging.night), func.sum(Lodging.people))
                .join(Batch, col(Batch.id) == Lodging.batch_id)
                .where(
                    Lodging.base_id == base_id,
                    col(Lodging.night) >= first,
                    col(Lodging.night) <= last,
                    Batch.status != "cancelled",
                )
                .group_by(col(Lodging.night))
            ).all()
        )
        return [
            NightOccupancy(night, int(used.get(night, 0)), base.beds)
            for night in (first + dt.timedelta(days=i) for i in range(nights))
        ]


def _steps(session: Session, certification_id: int) -> list[CertificationStep]:
    """A certification's history in step order (STEP_ORDER), then by date (复核 after 复核)."""
    steps = session.exec(
        select(CertificationStep)
        .where(CertificationStep.certification_id == certification_id)
        .order_by(col(CertificationStep.on_date), col(CertificationStep.id))
    ).all()
    return sorted(steps, key=lambda s: (STEP_ORDER.get(s.step, len(STEP_ORDER)), s.on_date, s.id or 0))


def _refuse_early_step(
    session: Session, cert: Certification, base: Base, step: CertStep, on_date: dt.date
) -> None:
    """A step dated before the step it follows (the last one of the history) is refused, naming both."""
    assert cert.id is not None
    history = _steps(session, cert.id)
    if not history or on_date >= history[-1].on_date:
        return
    previous = history[-1]
    raise ValidationError(
        "cert.step_date",
        field="on_date",
        record="certification",
        base=base.name,
        level=label("cert_level", cert.level),
        step=label("cert_step", step),
        date=on_date.isoformat(),
        previous=label("cert_step", previous.step),
        previous_date=previous.on_date.isoformat(),
    )


def _refuse_future_step(base: Base, level: str, step: CertStep, on_date: dt.date) -> None:
    """A step records what has happened: one dated after today (9999-12-31, 2052 typed for 2025) is refused,
    before it is written and blocks every later step (which may not be dated before it)."""
    today = dt.date.today()
    if on_date <= today:
        return
    raise ValidationError(
        "cert.step_future",
        field="on_date",
        record="certification",
        base=base.name,
        level=label("cert_level", level),
        step=label("cert_step", step),
        date=on_date.isoformat(),
        today=today.isoformat(),
    )


def _cert_row(session: Session, cert: Certification, base_name: str) -> CertificationRow:
    assert cert.id is not None
    steps = _steps(session, cert.id)
    return CertificationRow(
        cert.id,
        cert.base_id,
        base_name,
        cert.level,
        cert.status,
        cert.certificate_no or "",
        cert.applied_on,
        cert.valid_from,
        cert.valid_to,
        cert.recheck_due,
        cert.version,
        tuple(StepRow(s.step, s.on_date, s.responsible, s.notes) for s in steps),
    )


def apply_for_certification(
    db: Database, base_id: int, level: str, on_date: dt.date, responsible: str = "", notes: str = ""
) -> CertificationRow:
    """Open a certification at ``level`` with its first step, 申报 (application)."""
    choice("certification", "level", level, CertLevel.values())
    with db.session(write=True) as session:
        base = get_or_raise(session, Base, base_id)
        _refuse_future_step(base, level, CertStep.APPLICATION, on_date)
        open_one = session.exec(
            select(Certification.id).where(
                Certification.base_id == base_id,
                Certification.level == level,
                col(Certification.status).in_(OPEN_STATES),
            )
        ).first()
        if open_one is not None:
            raise ValidationError(
                "cert.duplicate_open",
                record="certification",
                base=base.name,
                level=label("cert_level", level),
            )
        cert = Certification(
            base_id=base_id,
            level=level,
            status=CertStatus.APPLIED.value,
            applied_on=on_date,
            updated_by=db.user,
        )
        create_audited(session, db.user, cert, f"{base.name} {label('cert_level', level, 'zh')}")
        session.add(
            CertificationStep(
                certification_id=cert.id or 0,
                step=CertStep.APPLICATION.value,
                on_date=on_date,
                responsible=clean_text("certification", "responsible", responsible, max_length=40),
                notes=clean_text("certification", "notes", notes, max_length=1000, multiline=True),
            )
        )
        session.flush()
        return _cert_row(session, cert, base.name)


def advance_certification(
    db: Database,
    certification_id: int,
    version: int,
    step: str,
    on_date: dt.date,
    *,
    responsible: str = "",
    notes: str = "",
    certificate_no: str | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    recheck_due: dt.date | None = None,
) -> CertificationRow:
    """Move a certification one step along its path; an impossible step is refused with what is possible.

    ``certified`` needs the certificate number and the validity term; ``recheck`` may extend ``valid_to``.
    """
    step_enum = CertStep(choice("certification", "step", step, CertStep.values()))
    with db.session(write=True) as session:
        cert = get_or_raise(session, Certification, certification_id)
        base = get_or_raise(session, Base, cert.base_id)
        status = CertStatus(cert.status)
        allowed = TRANSITIONS[status]
        record_label = f"{base.name} {label('cert_level', cert.level, 'zh')}"
        if step_enum not in allowed:
            raise ValidationError(
                "cert.bad_step",
                record="certification",
                base=base.name,
                level=label("cert_level", cert.level),
                status=label("cert_status", status),
                step=label("cert_step", step_enum),
                allowed=messages.join([label("cert_step", s) for s in allowed]) or messages.text("word.none"),
            )
        _refuse_future_step(base, cert.level, step_enum, on_date)
        _refuse_early_step(session, cert, base, step_enum, on_date)
        changes: dict[str, object] = {"status": allowed[step_enum].value}
        if step_enum is CertStep.CERTIFIED:
            number = clean_code(
                "certification", "certificate_no", certificate_no, number=True, kept=cert.certificate_no
            )
            if not number or valid_from is None or valid_to is None:
                raise ValidationError(
                    "cert.needs_term", field="certificate_no", record="certification", base=base.name
                )
            if valid_to < valid_from:
                raise ValidationError(
                    "cert.term",
                    field="valid_to",
                    record="certification",
                    base=base.name,
                    number=number,
                    start=valid_from.isoformat(),
                    end=valid_to.isoformat(),
                )
            clash = session.exec(
                select(Certification.id).where(Certification.certificate_no == number)
            ).first()
            if clash is not None and clash != cert.id:
                raise ValidationError(
                    "record.duplicate",
                    field="certificate_no",
                    record="certification",
                    kind=messages.kind_label("certification"),
                    label=messages.field_label("certificate_no"),
                    value=number,
                )
            changes.update(
                certificate_no=number, valid_from=valid_from, valid_to=valid_to, recheck_due=recheck_due
            )
        elif step_enum is CertStep.RECHECK:
            if valid_to is not None and cert.valid_from is not None and valid_to < cert.valid_from:
                raise ValidationError(
                    "cert.term",
                    field="valid_to",
                    record="certification",
                    base=base.name,
                    number=cert.certificate_no or "",
                    start=cert.valid_from.isoformat(),
                    end=valid_to.isoformat(),
                )
            if valid_to is not None:
                changes["valid_to"] = valid_to
            if recheck_due is not None:
                changes["recheck_due"] = recheck_due
        update_versioned(session, Certification, certification_id, version, changes, db.user, record_label)
        session.add(
            CertificationStep(
                certification_id=certification_id,
                step=step_enum.value,
                on_date=on_date,
                responsible=clean_text("certification", "responsible", responsible, max_length=40),
                notes=clean_text("certification", "notes", notes, max_length=1000, multiline=True),
            )
        )
        session.flush()
        return _cert_row(session, get_or_raise(session, Certification, certification_id), base.name)


def list_certifications(db: Database, base_id: int | None = None) -> list[CertificationRow]:
    with db.session() as session:
        query = select(Certification, Base.name).join(Base, col(Base.id) == Certification.base_id)
        if base_id is not None:
            query = query.where(Certification.base_id == base_id)
        return [_cert_row(session, c, name) for c, name in session.exec(query.order_by(Base.name))]


def valid_levels_on(session: Session, base_id: int, day: dt.date) -> list[str]:
    """The levels at which ``base_id`` is certified on ``day``."""
    rows = session.exec(
        select(Certification.level).where(
            Certification.base_id == base_id,
            col(Certification.status).in_(VALID_STATES),
            col(Certification.valid_from) <= day,
            col(Certification.valid_to) >= day,
        )
    ).all()
    return list(rows)
