"""The roll call (报到): who came, who did not, who left early; and closing it.

Marks are entered while the batch stays (or after): a person found by name, by the last digits of the ID
number or by the whole number a card reader types (:func:`find_person`) becomes attended, no-show or left early
(with the day they left, within the stay).  Closing the roll call marks everyone not yet marked a no-show and
fixes the batch's figures of what happened (``services.statistics``: attended people and person-days);
marks can still be corrected afterwards, each correction in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, TypeVar

from sqlmodel import col, select

from recuperation.errors import RuleViolation, ValidationError
from recuperation.models import Attendance, Batch, BatchStatus, Participant, RosterEvent
from recuperation.services import identity
from recuperation.services.batch.rosters import (
    ParticipantRow,
    lock_people,
    participant_row,
    refuse_anonymised,
    refuse_closed_change,
)
from recuperation.services.common import choice, get_or_raise, refuse_stale, update_versioned
from recuperation.storage.database import Database


class _Named(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def id_masked(self) -> str: ...
    @property
    def id_key(self) -> str: ...


_Person = TypeVar("_Person", bound=_Named)


def find_person(
    people: Sequence[_Person], typed: str, *, plain: bool = False, key: str = ""
) -> list[_Person]:
    """Who ``typed`` names on a roster (or a waiting list): the whole ID number (a card reader or a scanner types it; a lower-case
    x is read as X), its last digits (four or more), or the name (exact first, then the names containing it).

    The people's numbers are matched by their keys and masks (services/identity.py): ``plain``, the keys are
    the numbers (an SQLite file, ``identity.plain_keys``); ``key``, the typed whole number's key if the caller
    asked for it (else it is matched by its masked form)."""
    text = "".join(typed.split()).upper()
    if not text:
        return []
    if len(text) == 18:
        return [p for p in people if identity.number_matches(text, p.id_masked, p.id_key, plain, key)]
    if len(text) >= 4 and all(c.isdigit() or c == "X" for c in text):
        return [p for p in people if identity.suffix_matches(text, p.id_masked, p.id_key, plain)]
    exact = [p for p in people if p.name == typed.strip()]
    return exact or [p for p in people if typed.strip() and typed.strip() in p.name]


def mark(
    db: Database, participant_id: int, version: int, attendance: str, *, left_on: dt.date | None = None
) -> ParticipantRow:
    """Record how one person turned out: attended, no_show, or left_early on ``left_on`` (a day of the
    stay after arrival); "" clears the mark."""
    value = choice("participant", "attendance", attendance, ["", *Attendance.values()])
    with db.session(write=True) as session:
        lock_people(session)  # one after the other with closing the roll call and roster changes (PostgreSQL)
        person = get_or_raise(session, Participant, participant_id)
        refuse_anonymised(person)
        batch = get_or_raise(session, Batch, person.batch_id)
        label = f"{batch.code} {person.name}"
        refuse_stale("participant", label, person, version)
        if not value:  # a closed roll call has a mark for everyone: correct it, never clear it
            refuse_closed_change(batch, "clear")
        if batch.status == BatchStatus.CANCELLED.value:
            raise RuleViolation("rollcall.cancelled", field="attendance", code=batch.code)
        if value and dt.date.today() < batch.arrival:  # nobody has come yet
            raise RuleViolation(
                "rollcall.not_arrived", field="attendance", code=batch.code, arrival=batch.arrival.isoformat()
            )
        day: dt.date | None = None
        if value == Attendance.LEFT_EARLY.value:
            day = left_on
            # a day of the stay that has happened (a mark records what was, never what is planned)
            if day is None or not batch.arrival <= day < batch.departure or day > dt.date.today():
                raise ValidationError(
                    "rollcall.left_on",
                    field="left_on",
                    code=batch.code,
                    name=person.name,
                    first=batch.arrival.isoformat(),
                    last=min(batch.departure - dt.timedelta(days=1), dt.date.today()).isoformat(),
                )
        # a mark is an event: the person moves to a new version even when it sets what was there
        update_versioned(
            session,
            Participant,
            participant_id,
            version,
            {"attendance": value, "left_on": day},
            db.user,
            label,
            force=True,
        )
        return participant_row(person)


def close_roll_call(db: Database, batch_id: int, on: dt.date | None = None) -> int:
    """Close the batch's roll call: everyone not marked becomes a no-show; returns how many.  Refused for a
    cancelled batch, one not yet arrived, or one already closed."""
    with db.session(write=True) as session:
        # Every roster change takes the same lock first and reads roll_closed_on after it, so on PostgreSQL
        # nobody joins or leaves the roster between this reading of it and the commit.
        lock_people(session)
        batch = get_or_raise(session, Batch, batch_id)
        day = on or min(dt.date.today(), batch.departure)  # by default the day the stay ended, if it has
        if batch.status == BatchStatus.CANCELLED.value:
            raise RuleViolation("rollcall.cancelled", field="attendance", code=batch.code)
        if batch.roll_closed_on is not None:
            raise RuleViolation(
                "rollcall.closed", field="attendance", code=batch.code, day=batch.roll_closed_on.isoformat()
            )
        if day < batch.arrival or dt.date.today() < batch.arrival:
            raise RuleViolation(
                "rollcall.too_early", field="attendance", code=batch.code, arrival=batch.arrival.isoformat()
            )
        if day > dt.date.today():
            raise ValidationError(
                "rollcall.future_day", field="roll_closed_on", code=batch.code, day=day.isoformat()
            )
        unmarked = session.exec(
            select(Participant).where(Participant.batch_id == batch_id, Participant.attendance == "")
        ).all()
        # one versioned update each (a roster is a few hundred people at most): a mark another desk saved
        # after the roster was read is refused as stale instead of being overwritten with a no-show
        for person in unmarked:
            assert person.id is not None
            name, masked = person.name, person.id_masked or ""
            update_versioned(
                session,
                Participant,
                person.id,
                person.version,
                {"attendance": Attendance.NO_SHOW.value},
                db.user,
                f"{batch.code} {name}",
            )
            session.add(
                RosterEvent(batch_id=batch_id, user=db.user, kind="no_show", name=name, id_masked=masked)
            )
        update_versioned(
            session, Batch, batch_id, batch.version, {"roll_closed_on": day}, db.user, batch.code
        )
        session.flush()
        return len(unmarked)


def reopen_roll_call(db: Database, batch_id: int) -> None:
    """Open a closed roll call again (a mark was wrong): the marks stay, the figures follow them."""
    with db.session(write=True) as session:
        lock_people(session)
        batch = get_or_raise(session, Batch, batch_id)
        if batch.roll_closed_on is None:
            return
        update_versioned(
            session, Batch, batch_id, batch.version, {"roll_closed_on": None}, db.user, batch.code
        )


def roll_call(db: Database, batch_id: int) -> list[ParticipantRow]:
    """The roster with its marks, in roster order."""
    with db.session() as session:
        get_or_raise(session, Batch, batch_id)
        rows = session.exec(
            select(Participant).where(Participant.batch_id == batch_id).order_by(col(Participant.id))
        ).all()
        return [participant_row(p) for p in rows]
