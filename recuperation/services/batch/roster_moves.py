"""Who actually goes: substitutions (换人), moves between batches, the waiting list (候补) and companions.

Every change here runs in one write transaction that takes the people lock (``rosters.lock_people``) first,
so the rules that span batches — the same person in two overlapping batches is refused, again within the
eligibility cycle is a warning — are checked against what other desks committed.  Each change leaves a
:class:`recuperation.models.RosterEvent` on the batch (both batches for a move) naming the people (ID numbers
masked) and the reason, beside the audit log's field changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.errors import RuleViolation, ValidationError
from recuperation.models import Batch, BatchStatus, Participant, Partner, RosterEvent, WaitingEntry, WaitState
from recuperation.people import mask_id
from recuperation.services import identity
from recuperation.services.batch.batches import BatchRow, list_batches
from recuperation.services.batch.rosters import (
    ParticipantInput,
    ParticipantRow,
    lock_people,
    name_and_id,
    participant_row,
    person_values,
    refuse_anonymised,
    refuse_closed_change,
    refuse_same_person,
)
from recuperation.services.common import (
    audit,
    clean_text,
    create_audited,
    delete_checked,
    get_or_raise,
    refuse_stale,
    update_versioned,
)
from recuperation.storage.database import Database

#: Batches whose roster no longer changes by substitution, move or promotion.
CLOSED = frozenset({BatchStatus.COMPLETED.value, BatchStatus.CANCELLED.value})


def _reason(reason: str, record: str) -> str:
    text = clean_text("roster_event", "reason", reason, max_length=400)
    if not text:
        raise ValidationError("roster.reason_needed", field="reason", record=record)
    return text


def takes_people(status: str, roll_closed_on: dt.date | None) -> bool:
    """Whether a batch's roster still changes by substitution, move, the waiting list or promotion: it is not
    completed or cancelled and its roll call is not closed (the desk offers only what this allows)."""
    return status not in CLOSED and roll_closed_on is None


def _open_batch(session: Session, batch_id: int) -> Batch:
    batch = get_or_raise(session, Batch, batch_id)
    if not takes_people(batch.status, batch.roll_closed_on):
        raise RuleViolation("roster.batch_closed", field="batch", code=batch.code)
    return batch


def move_targets(db: Database, batch_id: int) -> list[BatchRow]:
    """The batches people of ``batch_id`` can be moved to: the same partner's other batches that take people,
    by arrival (what :func:`move_people` accepts)."""
    with db.session() as session:
        partner_id = get_or_raise(session, Batch, batch_id).partner_id
        partner = get_or_raise(session, Partner, partner_id).name
    found = [
        b
        for b in list_batches(db, partner=partner)
        if b.partner_id == partner_id and b.id != batch_id and takes_people(b.status, b.roll_closed_on)
    ]
    return sorted(found, key=lambda b: (b.arrival, b.code))


def _event(session: Session, user: str, batch: Batch, kind: str, **values: object) -> None:
    assert batch.id is not None
    session.add(RosterEvent(batch_id=batch.id, user=user, kind=kind, **values))  # type: ignore[arg-type]


def _place(
    db: Database, session: Session, batch: Batch, data: ParticipantInput, *, companion: bool = False
) -> tuple[Participant, list[str]]:
    """A person joins ``batch`` inside the caller's transaction with every check an addition has."""
    user = db.user
    name, verdict = name_and_id(data)
    key = identity.key_of(db, session, verdict.number)
    conflicts, cycle = refuse_same_person(session, batch, name, mask_id(verdict.number), key, None)
    warnings = [c.message(cycle) for c in conflicts]
    if verdict.warning:
        key, params = verdict.warning
        warnings.append(messages.text(key, **params))
    assert batch.id is not None
    person = Participant(batch_id=batch.id, companion=companion, **person_values(name, verdict, data))
    create_audited(session, user, person, f"{batch.code} {name}")
    return person, warnings


def _place_waiting(
    db: Database, session: Session, batch: Batch, entry: WaitingEntry
) -> tuple[Participant, list[str]]:
    """The person on the waiting list joins ``batch``'s roster, their numbers carried unread
    (:func:`recuperation.services.identity.promote_waiting`), with the checks of an addition: already on this
    roster (refused), another batch overlapping (refused) or within the eligibility cycle (a warning)."""
    assert entry.id is not None and batch.id is not None
    there = session.exec(
        select(Participant.name).where(Participant.batch_id == batch.id, Participant.id_key == entry.id_key)
    ).first()
    if there is not None:  # joined the roster since, by another way
        raise ValidationError(
            "roster.duplicate",
            field="id_number",
            record="participant",
            code=batch.code,
            id=entry.id_masked or "",
            name=there,
        )
    made = identity.promote_waiting(db, session, entry.id)
    audit(session, db.user, "create", "participant", made, f"{batch.code} {entry.name}")
    person = get_or_raise(session, Participant, made)
    conflicts, cycle = refuse_same_person(
        session, batch, person.name, person.id_masked or "", person.id_key or "", made
    )
    return person, [c.message(cycle) for c in conflicts]


def _take_off(session: Session, user: str, batch: Batch, person: Participant, version: int, why: str) -> None:
    assert person.id is not None
    label = f"{batch.code} {person.name}"
    delete_checked(session, Participant, person.id, version, user, label, {}, reason=("substitution", why))


# -- substitution -------------------------------------------------------------------------------------------------


def substitute(
    db: Database, participant_id: int, version: int, newcomer: ParticipantInput, reason: str
) -> tuple[ParticipantRow, list[str]]:
    """换人: ``newcomer`` takes the place of the person ``participant_id`` (read at ``version``) in the same
    batch, in one transaction: the newcomer gets every check of an addition (ID number, already on this
    roster, an overlapping batch refused, the eligibility cycle a warning, returned); the history says who
    replaced whom, when and why.  The person's room passes to the newcomer (the rooming list stays paired)."""
    with db.session(write=True) as session:
        lock_people(session)
        old = get_or_raise(session, Participant, participant_id)
        refuse_anonymised(old)
        batch = _open_batch(session, old.batch_id)
        why = _reason(reason, "participant")
        _name, verdict = name_and_id(newcomer)
        if identity.key_of(db, session, verdict.number) == old.id_key:
            raise ValidationError(
                "roster.substitute_self", field="id_number", name=old.name, id=old.id_masked
            )
        room, old_name, companion = old.room, old.name, old.companion
        _take_off(session, db.user, batch, old, version, why)
        if not newcomer.room and room:
            from dataclasses import replace

            newcomer = replace(newcomer, room=room)
        person, warnings = _place(db, session, batch, newcomer, companion=companion)  # a companion's place
        _event(
            session,
            db.user,
            batch,
            "substitute",
            name=person.name,
            id_masked=mask_id(verdict.number),
            other_name=old_name,
            reason=why,  # whom: other_name (a reason is the user's own words, kept as written)
        )
        session.flush()
        return participant_row(person), warnings


# -- moving people between batches ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveResult:
    moved: list[ParticipantRow]
    warnings: list[str]


def move_people(
    db: Database, participant_ids: Sequence[int], target_batch_id: int, reason: str
) -> MoveResult:
    """Move people to another batch of the same partner, all or none: each is checked on the target as an
    addition would be (already there, an overlapping batch — their own batch no longer counts — the cycle
    as a warning); the history of both batches names them and the reason.  A person is written anew on the
    target, their numbers carried unread (services/identity.py)."""
    if not participant_ids:
        raise ValidationError("roster.move_nobody", field="participants")
    with db.session(write=True) as session:
        lock_people(session)
        target = _open_batch(session, target_batch_id)
        why = _reason(reason, "participant")
        people = [get_or_raise(session, Participant, pid) for pid in dict.fromkeys(participant_ids)]
        for person in people:
            refuse_anonymised(person)
        sources = {p.batch_id for p in people}
        if len(sources) != 1:
            raise ValidationError("roster.move_one_batch", field="participants")
        source = _open_batch(session, sources.pop())
        if source.id == target.id:
            raise ValidationError("roster.move_same", field="batch", code=target.code)
        if source.partner_id != target.partner_id:
            raise RuleViolation("roster.move_partner", field="batch", source=source.code, target=target.code)
        moved: list[Participant] = []
        warnings: list[str] = []
        for person in people:
            assert person.id is not None
            there = session.exec(
                select(Participant.name).where(
                    Participant.batch_id == target.id, Participant.id_key == person.id_key
                )
            ).first()
            if there is not None:  # before the copy, which the database's unique rule would refuse bluntly
                raise ValidationError(
                    "roster.duplicate",
                    field="id_number",
                    record="participant",
                    code=target.code,
                    id=person.id_masked,
                    name=there,
                )
            # written anew on the target (their numbers carried unread: services/identity.py), then taken off
            # the source as a substitution would be; the checks of an addition follow, their own batch gone
            assert target.id is not None
            made = identity.copy_person(db, session, person.id, target.id)
            name = person.name
            _take_off(session, db.user, source, person, person.version, why)
            audit(session, db.user, "create", "participant", made, f"{target.code} {name}")
            placed = get_or_raise(session, Participant, made)
            conflicts, cycle = refuse_same_person(
                session, target, placed.name, placed.id_masked or "", placed.id_key or "", made
            )
            moved.append(placed)
            warnings += [c.message(cycle) for c in conflicts]
            masked = placed.id_masked or ""
            _event(
                session,
                db.user,
                source,
                "move_out",
                name=placed.name,
                id_masked=masked,
                other_batch_id=target.id,
                reason=why,
            )
            _event(
                session,
                db.user,
                target,
                "move_in",
                name=placed.name,
                id_masked=masked,
                other_batch_id=source.id,
                reason=why,
            )
        session.flush()
        return MoveResult([participant_row(p) for p in moved], warnings)


# -- companions -----------------------------------------------------------------------------------------------------


def set_companion(db: Database, participant_id: int, version: int, companion: bool) -> ParticipantRow:
    """Mark a person as a family member travelling at their own cost (随行家属), or not."""
    with db.session(write=True) as session:
        lock_people(session)
        person = get_or_raise(session, Participant, participant_id)
        refuse_anonymised(person)
        batch = get_or_raise(session, Batch, person.batch_id)
        if person.companion != bool(companion):
            refuse_closed_change(batch, "companion")
        update_versioned(
            session,
            Participant,
            participant_id,
            version,
            {"companion": bool(companion)},
            db.user,
            f"{batch.code} {person.name}",
        )
        person = get_or_raise(session, Participant, participant_id)
        session.refresh(person)
        return participant_row(person)


# -- the waiting list ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingRow:
    id: int
    batch_id: int
    position: int  # 1 for the first waiting (0 for one no longer waiting)
    name: str
    id_masked: str  # the full numbers are a right: services/identity.py
    phone_masked: str
    employer: str
    category: str
    added_on: dt.date
    state: str
    reason: str
    version: int
    id_key: str = ""  # equal for equal ID numbers (services/identity.py)


def _waiting(session: Session, batch_id: int) -> list[WaitingEntry]:
    return list(
        session.exec(
            select(WaitingEntry)
            .where(WaitingEntry.batch_id == batch_id)
            .order_by(col(WaitingEntry.added_on), col(WaitingEntry.id))
        ).all()
    )


def _waiting_rows(entries: list[WaitingEntry]) -> list[WaitingRow]:
    rows, position = [], 0
    for e in entries:
        assert e.id is not None
        if e.state == WaitState.WAITING.value:
            position += 1
        rows.append(
            WaitingRow(
                e.id,
                e.batch_id,
                position if e.state == WaitState.WAITING.value else 0,
                e.name,
                e.id_masked or "",
                e.phone_masked or "",
                e.employer,
                e.category,
                e.added_on,
                e.state,
                e.reason,
                e.version,
                e.id_key or "",
            )
        )
    return rows


def list_waiting(db: Database, batch_id: int) -> list[WaitingRow]:
    """The batch's waiting list: those waiting first, in the order they were put on it, then the rest."""
    with db.session() as session:
        get_or_raise(session, Batch, batch_id)
        rows = _waiting_rows(_waiting(session, batch_id))
    return sorted(rows, key=lambda r: (r.position == 0, r.position, r.added_on, r.id))


def add_waiting(db: Database, batch_id: int, data: ParticipantInput, on: dt.date | None = None) -> WaitingRow:
    """Put a person on the batch's waiting list (dated ``on``, today by default); a valid ID number, not
    already waiting for or on this batch."""
    name, verdict = name_and_id(data)
    values = person_values(name, verdict, data)
    with db.session(write=True) as session:
        batch = _open_batch(session, batch_id)
        key = identity.key_of(db, session, verdict.number)
        on_roster = session.exec(
            select(Participant.id).where(Participant.batch_id == batch_id, Participant.id_key == key)
        ).first()
        waiting = session.exec(
            select(WaitingEntry.id).where(WaitingEntry.batch_id == batch_id, WaitingEntry.id_key == key)
        ).first()
        if on_roster is not None or waiting is not None:
            raise ValidationError(
                "waiting.duplicate",
                field="id_number",
                record="waiting_entry",
                code=batch.code,
                id=mask_id(verdict.number),
                name=name,
            )
        entry = WaitingEntry(
            batch_id=batch_id,
            name=name,
            id_number=verdict.number,
            phone=str(values["phone"]),
            employer=str(values["employer"]),
            category=str(values["category"]),
            added_on=on or dt.date.today(),
            sex=verdict.sex,
            birth_date=verdict.birth_date,
        )
        create_audited(session, db.user, entry, f"{batch.code} {name}")
        _event(session, db.user, batch, "waitlist", name=name, id_masked=mask_id(verdict.number))
        session.flush()
        return next(r for r in _waiting_rows(_waiting(session, batch_id)) if r.id == entry.id)


def _settle(
    session: Session, user: str, entry_id: int, version: int, state: WaitState, why: str, label: str
) -> None:
    """The waiting entry leaves the list (promoted or withdrawn): its state changes in the audit log, its
    reason goes into the roster's history (the caller's event), not into an audit row of its own."""
    update_versioned(
        session,
        WaitingEntry,
        entry_id,
        version,
        {"state": state.value, "reason": why},
        user,
        label,
        quiet={"reason"},
    )


def promote(
    db: Database, entry_id: int, version: int, *, reason: str = "", replacing: tuple[int, int] | None = None
) -> tuple[ParticipantRow, list[str]]:
    """A place is free: the person ``entry_id`` (read at ``version``) joins the roster.  The first waiting is
    offered first; taking anyone else needs a reason, written into the history with each person passed over.
    ``replacing`` (participant id, version): the place is that person's (a substitution from the list)."""
    with db.session(write=True) as session:
        lock_people(session)
        entry = get_or_raise(session, WaitingEntry, entry_id)
        batch = _open_batch(session, entry.batch_id)
        label = f"{batch.code} {entry.name}"
        refuse_stale("waiting_entry", label, entry, version)
        if entry.state != WaitState.WAITING.value:
            raise RuleViolation("waiting.not_waiting", field="state", code=batch.code, name=entry.name)
        ahead = [
            e
            for e in _waiting(session, entry.batch_id)
            if e.state == WaitState.WAITING.value
            and (e.added_on, e.id or 0) < (entry.added_on, entry.id or 0)
        ]
        why = clean_text("roster_event", "reason", reason, max_length=400)
        if replacing is not None and not why:  # taking someone off a roster always says why
            raise ValidationError("roster.reason_needed", field="reason", record="participant")
        if ahead and not why:
            raise ValidationError(
                "waiting.skip_reason",
                field="reason",
                code=batch.code,
                name=entry.name,
                first=ahead[0].name,
                count=len(ahead),
            )
        if replacing is not None:
            old = get_or_raise(session, Participant, replacing[0])
            if old.batch_id != batch.id:
                raise ValidationError("roster.move_one_batch", field="participants")
            old_name = old.name
            _take_off(session, db.user, batch, old, replacing[1], why)
        person, warnings = _place_waiting(db, session, batch, entry)
        _settle(session, db.user, entry_id, version, WaitState.PROMOTED, why, label)
        for skipped in ahead:
            _event(
                session,
                db.user,
                batch,
                "skip",
                name=skipped.name,
                id_masked=skipped.id_masked or "",
                other_name=entry.name,
                reason=why,
            )
        _event(
            session,
            db.user,
            batch,
            "promote",
            name=entry.name,
            id_masked=entry.id_masked or "",
            other_name=old_name if replacing is not None else "",  # the person whose place it was
            reason=why,
        )
        session.flush()
        return participant_row(person), warnings


def withdraw_waiting(db: Database, entry_id: int, version: int, reason: str) -> WaitingRow:
    """The person no longer waits (found another batch, cannot go): kept on the list as withdrawn, with why."""
    with db.session(write=True) as session:
        entry = get_or_raise(session, WaitingEntry, entry_id)
        batch = get_or_raise(session, Batch, entry.batch_id)
        label = f"{batch.code} {entry.name}"
        refuse_stale("waiting_entry", label, entry, version)
        why = _reason(reason, "waiting_entry")
        _settle(session, db.user, entry_id, version, WaitState.WITHDRAWN, why, label)
        _event(
            session,
            db.user,
            batch,
            "withdraw",
            name=entry.name,
            id_masked=entry.id_masked or "",
            reason=why,
        )
        session.flush()
        return next(r for r in _waiting_rows(_waiting(session, entry.batch_id)) if r.id == entry.id)


# -- the history ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    at: dt.datetime
    user: str
    kind: str
    name: str
    id_masked: str
    other_name: str
    other_batch: str
    reason: str


def roster_history(db: Database, batch_id: int) -> list[EventRow]:
    """The batch's roster events, newest first."""
    with db.session() as session:
        codes = dict(session.exec(select(Batch.id, Batch.code)).all())
        events = session.exec(
            select(RosterEvent).where(RosterEvent.batch_id == batch_id).order_by(col(RosterEvent.id).desc())
        ).all()
        return [
            EventRow(
                e.at,
                e.user,
                e.kind,
                e.name,
                e.id_masked,
                e.other_name,
                codes.get(e.other_batch_id, "") if e.other_batch_id else "",
                e.reason,
            )
            for e in events
        ]
