"""Rosters: the participants (团员) of a batch, and the rules about people (docs/domain.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.errors import RuleViolation, ValidationError
from recuperation.models import Batch, BatchStatus, Participant, table_of
from recuperation.people import IdCheck, age_on, check_id, mask_id
from recuperation.services import identity
from recuperation.services import policy as policy_service
from recuperation.services.common import (
    audit,
    clean_text,
    create_audited,
    delete_checked,
    get_or_raise,
    numeric_name,
    update_versioned,
)
from recuperation.services.partners import check_phone
from recuperation.storage.database import Database


@dataclass(frozen=True)
class ParticipantInput:
    """A person as typed.  In a change, ``id_number`` or ``phone`` None keeps the stored number (a desk that
    shows it masked does not have it)."""

    name: str
    id_number: str | None
    phone: str | None = ""
    employer: str = ""
    department: str = ""
    model_worker: bool = False
    category: str = ""
    diet: str = ""
    health: str = ""
    emergency_contact: str = ""
    room: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    batch_id: int
    name: str
    id_masked: str  # the full numbers are a right: services/identity.py
    sex: str | None
    birth_date: dt.date | None
    phone_masked: str
    employer: str
    department: str
    model_worker: bool
    category: str
    room: str
    version: int
    diet: str = ""
    health: str = ""
    emergency_contact: str = ""
    notes: str = ""
    companion: bool = False  # 随行家属: lodges and eats, never counts in 人次 / 人天
    attendance: str = ""  # the roll call: "", attended, no_show, left_early
    left_on: dt.date | None = None
    anonymised_on: dt.date | None = None  # privacy purge: the identifying fields are gone
    id_key: str = ""  # equal for equal ID numbers (services/identity.py)

    def age(self, on: dt.date) -> int | None:
        return age_on(self.birth_date, on) if self.birth_date else None


@dataclass(frozen=True)
class PersonConflict:
    """The same person (ID number) in another batch: ``overlap`` is an error, else a cycle warning.
    ``id_key``: the person's key (services/identity.py); ``id_masked``: as shown."""

    id_key: str
    id_masked: str
    name: str
    other_code: str
    other_arrival: dt.date
    other_departure: dt.date
    overlap: bool

    def message(self, cycle_days: int) -> str:
        dates = messages.date_range(self.other_arrival, self.other_departure)
        if self.overlap:
            return messages.text(
                "rule.overlap",
                name=self.name,
                id=self.id_masked,
                a="本批次",
                a_dates="",
                b=self.other_code,
                b_dates=dates,
            )
        return messages.text(
            "rule.cycle",
            name=self.name,
            id=self.id_masked,
            days=cycle_days,
            other=self.other_code,
            dates=dates,
        )


#: The key of the PostgreSQL advisory lock every write that places people takes (see :func:`lock_people`).
PEOPLE_LOCK = 0x52454355  # "RECU"


def lock_people(session: Session) -> None:
    """Make "the same person in two overlapping batches" a rule that holds while this transaction is open.

    The rule spans batches, so two desks adding the same people to two overlapping batches (or moving two
    batches onto each other) would each see the other's batch as it was before and both commit.  On SQLite
    ``BEGIN IMMEDIATE`` already serialises writers.  On PostgreSQL (READ COMMITTED) every write that places
    people — adding or changing a person, a roster import, a change of a batch's dates — first takes one
    transaction-scoped advisory lock, so such writes run one after the other and each checks, inside its own
    transaction, the people the other committed.  One lock for all is coarse, but these writes are short and
    rare, and it can never deadlock with the row locks of :func:`batches.lock_for_booking` because it is
    always taken first.
    """
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.exec(select(func.pg_advisory_xact_lock(PEOPLE_LOCK))).all()


def refuse_overlaps(session: Session, batch: Batch, people: Iterable[tuple[str, str]]) -> None:
    """Inside a write transaction (after :func:`lock_people`): refuse when one of ``people`` ((key, name):
    services/identity.py) is in another batch whose dates overlap ``batch``'s, naming the person and both
    batches."""
    cycle = policy_service.load_policy(session).eligibility_cycle_days
    overlap = [c for c in person_conflicts(session, batch, people, cycle) if c.overlap]
    if overlap:
        first = overlap[0]
        raise RuleViolation(
            "rule.overlap_now" if len(overlap) > 1 else "rule.overlap",
            field="id_number",
            record="participant",
            name=first.name,
            id=first.id_masked,
            a=batch.code,
            a_dates=f"{batch.arrival.isoformat()} 至 {batch.departure.isoformat()}",
            b=first.other_code,
            b_dates=f"{first.other_arrival.isoformat()} 至 {first.other_departure.isoformat()}",
            count=len({c.id_key for c in overlap}),
        )


def person_conflicts(
    session: Session, batch: Batch, people: Iterable[tuple[str, str]], cycle_days: int
) -> list[PersonConflict]:
    """For (key, name) pairs joining ``batch`` (the person's key: services/identity.py): other non-cancelled
    batches holding the same person whose dates overlap (error) or fall within the eligibility cycle
    (warning)."""
    names = dict(people)
    if not names:
        return []
    window_start = batch.arrival - dt.timedelta(days=cycle_days)
    window_end = batch.departure + dt.timedelta(days=cycle_days)
    conflicts: list[PersonConflict] = []
    ids = list(names)
    for start in range(0, len(ids), 500):  # bounded IN lists for both SQLite and PostgreSQL
        chunk = ids[start : start + 500]
        p, b = table_of(Participant).c, table_of(Batch).c
        rows = session.execute(
            sa_select(p.id_key, p.id_masked, b.code, b.arrival, b.departure)
            .join_from(table_of(Participant), table_of(Batch), b.id == p.batch_id)
            .where(
                p.id_key.in_(chunk),
                b.id != batch.id,
                b.status != BatchStatus.CANCELLED.value,
                b.arrival <= window_end,
                b.departure >= window_start,
            )
        ).all()
        for key, masked, code, arrival, departure in rows:
            overlap = arrival <= batch.departure and departure >= batch.arrival
            conflicts.append(PersonConflict(key, masked, names[key], code, arrival, departure, overlap))
    return conflicts


def participant_row(p: Participant) -> ParticipantRow:
    assert p.id is not None
    return ParticipantRow(
        p.id,
        p.batch_id,
        p.name,
        p.id_masked or "",
        p.sex,
        p.birth_date,
        p.phone_masked or "",
        p.employer,
        p.department,
        p.model_worker,
        p.category,
        p.room,
        p.version,
        p.diet,
        p.health,
        p.emergency_contact,
        p.notes,
        p.companion,
        p.attendance,
        p.left_on,
        p.anonymised_on,
        p.id_key or "",
    )


def person_values(name: str, verdict: IdCheck | None, data: ParticipantInput) -> dict[str, Any]:
    """A person's stored values: the ID number's facts and every text field cleaned and checked (without the
    number and its facts when ``verdict`` is None, without the phone when ``data.phone`` is None: kept)."""
    numbers: dict[str, Any] = {}
    if verdict is not None:
        numbers.update(id_number=verdict.number, sex=verdict.sex, birth_date=verdict.birth_date)
    if data.phone is not None:
        numbers["phone"] = check_phone("participant", name, data.phone, field="phone")
    return {
        "name": name,
        **numbers,
        "employer": clean_text("participant", "employer", data.employer, max_length=100),
        "department": clean_text("participant", "department", data.department, max_length=100),
        "model_worker": bool(data.model_worker),
        "category": clean_text("participant", "category", data.category, max_length=40),
        "diet": clean_text("participant", "diet", data.diet, max_length=200),
        "health": clean_text("participant", "health", data.health, max_length=200),
        "emergency_contact": clean_text(
            "participant", "emergency_contact", data.emergency_contact, max_length=100
        ),
        "room": clean_text("participant", "room", data.room, max_length=20),
        "notes": clean_text("participant", "notes", data.notes, max_length=500, multiline=True),
    }


def name_and_id(data: ParticipantInput) -> tuple[str, IdCheck]:
    """The cleaned name and the checked ID number; a missing name or an ID failing GB 11643 is refused."""
    name = clean_name(data)
    verdict = check_id(data.id_number or "")
    if verdict.error:
        key, params = verdict.error
        raise ValidationError(key, field="id_number", record="participant", **params)
    return name, verdict


def clean_name(data: ParticipantInput) -> str:
    name = clean_text("participant", "name", data.name, max_length=40, required=True)
    if numeric_name(name):
        raise ValidationError("name.numeric", field="name", record="participant", value=name)
    return name


def refuse_same_person(
    session: Session, batch: Batch, name: str, shown: str, key: str, own_id: int | None
) -> tuple[list[PersonConflict], int]:
    """Refuse the person (whose key is ``key``: services/identity.py; ``shown``: the number masked) already in
    this batch (another row than ``own_id``) or in a batch whose dates overlap; returns the other conflicts
    (cycle warnings) and the cycle in days."""
    same = session.exec(
        select(Participant).where(Participant.batch_id == batch.id, Participant.id_key == key)
    ).all()
    other = next((p for p in same if p.id != own_id), None)
    if other is not None:
        raise ValidationError(
            "roster.duplicate",
            field="id_number",
            record="participant",
            code=batch.code,
            id=shown,
            name=other.name,
        )
    cycle = policy_service.load_policy(session).eligibility_cycle_days
    conflicts = person_conflicts(session, batch, [(key, name)], cycle)
    overlap = next((c for c in conflicts if c.overlap), None)
    if overlap is not None:
        raise RuleViolation(
            "rule.overlap",
            field="id_number",
            record="participant",
            name=name,
            id=shown,
            a=batch.code,
            a_dates=f"{batch.arrival.isoformat()} 至 {batch.departure.isoformat()}",
            b=overlap.other_code,
            b_dates=f"{overlap.other_arrival.isoformat()} 至 {overlap.other_departure.isoformat()}",
        )
    return conflicts, cycle


def refuse_closed_roll(batch: Batch) -> None:
    """After the roll call is closed the roster is the record of who came: nobody is added or removed.

    Details may still be corrected (a phone, a misspelt name); substitutions, moves and promotions are refused
    by ``roster_moves`` for the same reason.  Reopening the roll call lifts the rule.
    """
    if batch.roll_closed_on is not None:
        raise RuleViolation(
            "roster.roll_closed", field="batch", code=batch.code, day=batch.roll_closed_on.isoformat()
        )


def refuse_closed_change(batch: Batch, what: str) -> None:
    """Refuse ``what`` (a ``rollcall.what.*`` key's last part) on a batch whose roll call is closed: it would
    change the record of who came (clearing a mark, another ID number, a companion flag, the dates …)."""
    if batch.roll_closed_on is not None:
        raise RuleViolation(
            "rollcall.closed_change",
            field="batch",
            code=batch.code,
            day=batch.roll_closed_on.isoformat(),
            what=messages.text(f"rollcall.what.{what}"),
        )


def refuse_anonymised(person: Participant) -> None:
    """An anonymised person (``privacy purge``) is what the statistics of their year count: no path changes,
    moves, removes or re-marks them (a substitution, a companion flag, a roster import, the roll call …)."""
    if person.anonymised_on is not None:
        raise RuleViolation(
            "privacy.edit_anonymised",
            field="id_number",
            record="participant",
            id=person.id_masked,
            day=person.anonymised_on.isoformat(),
        )


def refuse_without_reason(session: Session, user: str, batch: Batch, reason: str, record: str) -> None:
    """A completed or cancelled batch's roster changes only with a reason, written into its history
    (``change_reason``, as the roster import and the batch's own changes write it)."""
    if batch.status not in (BatchStatus.COMPLETED.value, BatchStatus.CANCELLED.value):
        return
    text = clean_text("participant", "change_reason", reason, max_length=400)
    if not text:
        raise RuleViolation(
            "roster.closed_needs_reason",
            field="reason",
            code=batch.code,
            status=messages.text(f"import.closed_status.{batch.status}"),
        )
    audit(session, user, "update", "batch", batch.id, batch.code, "change_reason", None, f"{record}：{text}")


def add_participant(
    db: Database, batch_id: int, data: ParticipantInput, reason: str = ""
) -> tuple[ParticipantRow, list[str]]:
    """Add one person to a batch; returns the row and the warnings (e.g. the eligibility cycle).

    Refused: a name missing, an ID number failing GB 11643, the person already in this batch, or the
    person in another batch whose dates overlap.
    """
    name, verdict = name_and_id(data)
    with db.session(write=True) as session:
        lock_people(session)
        batch = get_or_raise(session, Batch, batch_id)
        refuse_closed_roll(batch)
        refuse_without_reason(session, db.user, batch, reason, name)
        key = identity.key_of(db, session, verdict.number)
        conflicts, cycle = refuse_same_person(session, batch, name, mask_id(verdict.number), key, None)
        warnings = [c.message(cycle) for c in conflicts]
        if verdict.warning:
            key, params = verdict.warning
            warnings.append(messages.text(key, **params))
        participant = Participant(batch_id=batch_id, **person_values(name, verdict, data))
        create_audited(session, db.user, participant, f"{batch.code} {name}")
        return participant_row(participant), warnings


def list_participants(db: Database, batch_id: int) -> list[ParticipantRow]:
    with db.session() as session:
        rows = session.exec(
            select(Participant).where(Participant.batch_id == batch_id).order_by(col(Participant.id))
        ).all()
        return [participant_row(p) for p in rows]


def update_participant(
    db: Database, participant_id: int, version: int, data: ParticipantInput, reason: str = ""
) -> tuple[ParticipantRow, list[str]]:
    """Change one person of a roster (loaded at ``version``); the same checks as adding them.  ``data``'s
    ``id_number`` or ``phone`` None keeps the stored one.  An anonymised person is refused (``privacy purge``:
    the version it bumped refuses a stale edit made meanwhile)."""
    with db.session() as session:
        refuse_anonymised(get_or_raise(session, Participant, participant_id))
    if data.id_number is None:
        name, verdict = clean_name(data), None
    else:
        name, verdict = name_and_id(data)
    with db.session(write=True) as session:
        lock_people(session)
        person = get_or_raise(session, Participant, participant_id)
        batch = get_or_raise(session, Batch, person.batch_id)
        key = person.id_key or ""
        if verdict is not None:
            key = identity.key_of(db, session, verdict.number)
            if key != person.id_key:  # another person in disguise: a substitution, not a correction
                refuse_closed_change(batch, "id_number")
        refuse_without_reason(session, db.user, batch, reason, person.name)
        shown = mask_id(verdict.number) if verdict else person.id_masked or ""
        conflicts, cycle = refuse_same_person(session, batch, name, shown, key, participant_id)
        changes = person_values(name, verdict if key != person.id_key else None, data)
        if "phone" in changes and identity.key_of(db, session, changes["phone"]) == person.phone_key:
            del changes["phone"]
        update_versioned(
            session,
            Participant,
            participant_id,
            version,
            changes,
            db.user,
            f"{batch.code} {name}",
            old_values={"id_number": person.id_masked, "phone": person.phone_masked},
        )
        person = get_or_raise(session, Participant, participant_id)
        session.refresh(person)
        return participant_row(person), [c.message(cycle) for c in conflicts]


def remove_participant(db: Database, participant_id: int, version: int, reason: str = "") -> None:
    """Take a person off a roster; the reason (a substitution, an illness) goes into the batch's history."""
    with db.session(write=True) as session:
        lock_people(session)  # serialised with closing the roll call (PostgreSQL)
        person = get_or_raise(session, Participant, participant_id)
        refuse_anonymised(person)
        batch = get_or_raise(session, Batch, person.batch_id)
        refuse_closed_roll(batch)
        if batch.status in (BatchStatus.COMPLETED.value, BatchStatus.CANCELLED.value) and not reason.strip():
            refuse_without_reason(session, db.user, batch, reason, person.name)  # refused: no reason
        delete_checked(
            session,
            Participant,
            participant_id,
            version,
            db.user,
            f"{batch.code} {person.name}",
            {},
            reason=("substitution", reason) if reason else None,
        )


def reveal_participant(db: Database, participant_id: int) -> tuple[str, str]:
    """The full ID number and phone of one person, shown on request; the request is recorded in the audit log.
    Refused without the right (完整证件号).

    On a server the numbers come from the server's function, which checks the right and writes the audit entry
    in the same transaction (``storage/server_access.py``)."""
    found = identity.reveal(db, participant_id)
    if found is None:
        with db.session() as session:
            get_or_raise(session, Participant, participant_id)  # a record gone is named as such
        raise AssertionError("unreachable")  # pragma: no cover
    return found


@dataclass(frozen=True)
class YearPerson:
    """One participant of one batch in a year, with the batch's facts (the year's people list)."""

    participant_id: int
    batch_id: int
    code: str
    arrival: dt.date
    departure: dt.date
    status: str
    partner: str
    name: str
    sex: str | None
    id_masked: str
    phone_masked: str
    employer: str
    category: str
    #: what a search finds the person by besides the masked number: on an SQLite file the whole number (its
    #: key), on a server nothing (the screen asks the server nothing; the masked number keeps the last four)
    searchable: str = ""


def year_people(db: Database, year: int) -> list[YearPerson]:
    """Everyone on a roster of a batch arriving in ``year`` (cancelled batches too, marked by their status),
    in arrival order: the list a coordinator searches for a person, an employer or a batch."""
    from sqlalchemy import and_

    from recuperation.models import Partner, table_of

    p, b, o = table_of(Participant), table_of(Batch), table_of(Partner)
    query = (
        select(  # type: ignore[call-overload]
            p.c.id,
            b.c.id,
            b.c.code,
            b.c.arrival,
            b.c.departure,
            b.c.status,
            o.c.name,
            p.c.name,
            p.c.sex,
            p.c.id_masked,
            p.c.phone_masked,
            p.c.employer,
            p.c.category,
        )
        .select_from(p.join(b, b.c.id == p.c.batch_id).join(o, o.c.id == b.c.partner_id))
        .where(and_(b.c.arrival >= dt.date(year, 1, 1), b.c.arrival <= dt.date(year, 12, 31)))
        .order_by(b.c.arrival, b.c.code, p.c.id)
    )
    if db.is_sqlite:
        query = query.add_columns(p.c.id_key)
    with db.engine.connect() as conn:
        return [YearPerson(*row) for row in conn.execute(query)]
