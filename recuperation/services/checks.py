"""`recuperation check`: the integrity of the database file and of the rules over all the data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, select, text
from sqlalchemy.exc import DBAPIError

from recuperation import messages
from recuperation.errors import DatabaseOpenError
from recuperation.models import Base, Batch, BatchStatus, Lodging, Participant, table_of
from recuperation.people import check_id, plainly_valid_id
from recuperation.storage.database import Database


@dataclass(frozen=True)
class Problem:
    """One problem found: ``kind`` names the check, ``record`` the record it concerns."""

    kind: str
    record: str
    message: str


def integrity_problems(db: Database) -> list[Problem]:
    """SQLite's own integrity and foreign-key checks (a server database checks itself)."""
    if not db.is_sqlite:
        return []
    from recuperation.storage.database import integrity_detail

    problems = []
    with db.engine.connect() as conn:
        try:
            result = [str(row[0]) for row in conn.execute(text("PRAGMA integrity_check"))]
        except DBAPIError as exc:  # SQLite could not even walk the file: that is the finding
            result = [str(getattr(exc, "orig", exc) or exc)]
        except DatabaseOpenError as exc:  # the same, met while reading the rows (the desk names it damaged)
            result = [str(exc.__cause__ or exc)]
        if result != ["ok"]:
            # one finding, its first problems on one line (SQLite lists up to a hundred, one per page)
            lines = [ln for r in result for ln in r.splitlines() if ln and not ln.startswith("***")]
            problems.append(
                Problem(
                    "integrity",
                    db.name,
                    messages.text("check.integrity", count=len(lines), detail=integrity_detail(result)),
                )
            )
            return problems  # the foreign-key check reads through the same damage
        for row in conn.execute(text("PRAGMA foreign_key_check")):
            problems.append(
                Problem(
                    "integrity",
                    f"{row[0]} #{row[1]}",
                    messages.text("check.foreign_key", table=row[0], row=row[1], parent=row[2]),
                )
            )
    return problems


@dataclass(frozen=True)
class Overbooking:
    """A base's night with more people lodged (batches not cancelled) than it has beds."""

    base_id: int
    base: str
    night: dt.date
    used: int
    beds: int

    @property
    def over(self) -> int:
        return self.used - self.beds

    def message(self) -> str:
        return messages.text(
            "rule.overbooked",
            base=self.base,
            night=self.night.isoformat(),
            over=self.over,
            used=self.used,
            beds=self.beds,
        )


def overbookings(db: Database, since: dt.date | None = None) -> list[Overbooking]:
    """Every (base, night) from ``since`` on where the people lodged exceed the beds, by night then base."""
    base, lodging, batch = table_of(Base), table_of(Lodging), table_of(Batch)
    used = func.sum(lodging.c.people)
    query = (
        select(base.c.id, base.c.name, base.c.beds, lodging.c.night, used)
        .join(base, base.c.id == lodging.c.base_id)
        .join(batch, batch.c.id == lodging.c.batch_id)
        .where(batch.c.status != BatchStatus.CANCELLED.value)
        .where(lodging.c.night >= (since or dt.date.min))
        .group_by(base.c.id, base.c.name, base.c.beds, lodging.c.night)
        .having(used > base.c.beds)
        .order_by(lodging.c.night, base.c.name)
    )
    with db.engine.connect() as conn:
        return [
            Overbooking(base_id, name, night, int(total), int(beds))
            for base_id, name, beds, night, total in conn.execute(query)
        ]


def overbooked_nights(db: Database, since: dt.date | None = None) -> list[Problem]:
    """Every (base, night) where the people lodged by batches that are not cancelled exceed the beds."""
    return [
        Problem("capacity", f"{o.base} {o.night.isoformat()}", o.message()) for o in overbookings(db, since)
    ]


def overlapping_people(db: Database) -> list[Problem]:
    """The same person (ID number: compared by the key, services/identity.py) in two batches, not cancelled,
    whose dates overlap."""
    p1, p2 = table_of(Participant).alias("p1"), table_of(Participant).alias("p2")
    b1, b2 = table_of(Batch).alias("b1"), table_of(Batch).alias("b2")
    cancelled = BatchStatus.CANCELLED.value
    query = (
        select(
            p1.c.name,
            p1.c.id_masked,
            b1.c.code,
            b1.c.arrival,
            b1.c.departure,
            b2.c.code,
            b2.c.arrival,
            b2.c.departure,
        )
        .select_from(p1)
        .join(p2, and_(p2.c.id_key == p1.c.id_key, p2.c.batch_id > p1.c.batch_id))
        .join(b1, b1.c.id == p1.c.batch_id)
        .join(b2, b2.c.id == p2.c.batch_id)
        .where(
            b1.c.status != cancelled,
            b2.c.status != cancelled,
            b1.c.arrival <= b2.c.departure,
            b2.c.arrival <= b1.c.departure,
        )
        .order_by(b1.c.arrival, p1.c.id_key)
    )
    with db.engine.connect() as conn:
        return [
            Problem(
                "overlap",
                f"{a} / {b}",
                messages.text(
                    "rule.overlap",
                    name=name,
                    id=masked,
                    a=a,
                    a_dates=f"{a1} – {a2}",
                    b=b,
                    b_dates=f"{b1_} – {b2_}",
                ),
            )
            for name, masked, a, a1, a2, b, b1_, b2_ in conn.execute(query)
        ]


@dataclass(frozen=True)
class BadId:
    """A participant whose ID number fails the GB 11643 check."""

    batch_id: int
    batch: str
    arrival: dt.date
    name: str
    message: str


def bad_ids(db: Database, since: dt.date | None = None) -> list[BadId]:
    """Participants whose ID number fails the check (in batches arriving from ``since`` on).

    Every writer checks a number before storing it; this finds what came another way (an old file, a
    statement typed on the server).  On a server the numbers are not read: the server's function checks them
    (``rd_id_problems``, the same errors) and names only the rows and the errors."""
    if not db.is_sqlite:
        return _bad_ids_on_server(db, since)
    found = []
    p, b = table_of(Participant), table_of(Batch)
    query = select(p.c.name, p.c.id_number, b.c.id, b.c.code, b.c.arrival).join(b, b.c.id == p.c.batch_id)
    query = query.where(p.c.anonymised_on.is_(None))  # an anonymised person's token is no ID number
    if since is not None:
        query = query.where(b.c.arrival >= since)
    with db.engine.connect() as conn:
        today = dt.date.today()
        for name, number, batch_id, code, arrival in conn.execution_options(yield_per=5000).execute(query):
            if plainly_valid_id(number, today):  # nearly every stored number: no full check needed
                continue
            verdict = check_id(number)
            if verdict.error:
                key, params = verdict.error
                problem = messages.text(key, **params)
                message = messages.text("rule.bad_id", batch=code, name=name, problem=problem)
                found.append(BadId(batch_id, code, arrival, name, message))
    return found


def _bad_ids_on_server(db: Database, since: dt.date | None) -> list[BadId]:
    from recuperation.storage.server_access import ID_PROBLEMS_FUNCTION

    p, b = table_of(Participant), table_of(Batch)
    with db.engine.connect() as conn:
        problems = {
            int(i): str(problem)
            for i, problem in conn.execute(
                text(f"SELECT id, problem FROM {ID_PROBLEMS_FUNCTION}(:since)"), {"since": since}
            )
        }
        ids = sorted(problems)
        people = {}
        for start in range(0, len(ids), 500):
            query = (
                select(p.c.id, p.c.name, p.c.id_masked, b.c.id, b.c.code, b.c.arrival)
                .join(b, b.c.id == p.c.batch_id)
                .where(p.c.id.in_(ids[start : start + 500]))
            )
            people.update({row[0]: row[1:] for row in conn.execute(query)})
    found = []
    for person_id in ids:
        name, masked, batch_id, code, arrival = people[person_id]
        # the number's hidden digits (its birth date) are not said: who may not read them does not learn them
        params = {"value": masked, "length": len(masked), "digits": "********", "birth": "****-**-**"}
        kind = problems[person_id]
        problem = messages.text("id.checksum_unsaid" if kind == "checksum" else f"id.{kind}", **params)
        message = messages.text("rule.bad_id", batch=code, name=name, problem=problem)
        found.append(BadId(batch_id, code, arrival, name, message))
    return found


def bad_id_numbers(db: Database, since: dt.date | None = None) -> list[Problem]:
    """Participants whose ID number fails the GB 11643 check (in batches arriving from ``since`` on)."""
    return [Problem("id_number", f"{b.batch} {b.name}", b.message) for b in bad_ids(db, since)]


def check_database(db: Database) -> list[Problem]:
    """Everything `recuperation check` reports, integrity first."""
    problems = integrity_problems(db)
    if problems:  # rules read through a damaged file would only add noise
        return problems
    return overbooked_nights(db) + overlapping_people(db) + bad_id_numbers(db) + spending_refusals(db)


def spending_refusals(db: Database) -> list[Problem]:
    """Batches holding their beds although a refusing spending rule of their partner fires on them."""
    from recuperation.services.spending import confirmed_refusals

    return [Problem("spending", code, message) for code, message in confirmed_refusals(db)]
