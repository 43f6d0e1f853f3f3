"""Personal data kept no longer than needed (PIPL, 个人信息保护法 art. 19): the retention policy and the purge.

**The policy** ``retention_years`` (default 3; Settings → 单位与政策, or ``policy_setting``): a batch's people may
be anonymised once that many whole years have passed since the batch ended.  Nothing is anonymised by itself:
the administrator confirms a date (``privacy purge --before DATE``, or Settings → 个人信息保存期限), and the batches
that ended (departed) before it are anonymised.  The date may not be later than the latest cutoff, today less
the retention years (:func:`cutoff_for`); a later date is refused naming both dates and the policy.

**Who is due** (:func:`purge_plan`): every participant not yet anonymised of a batch, whatever its status
(cancelled ones too), whose departure is before the date; and such a batch itself while it still holds its
leader's name or phone or a waiting list with ID numbers.  A purge takes **whole years** (by arrival, as the
statistics and the yearly spending cap count them): a year with any batch that ended on or after the date is
kept entirely, so no person's visits of one year are split between anonymised and kept batches.  A person
whose batch is kept is not touched, whatever their other batches.

**What a person becomes** (``participant``; ``anonymised_on`` is the day):

- name → 已匿名化 (:data:`ANONYMISED_NAME`);
- ID number → ``ANON`` and a number (:func:`recuperation.people.is_anonymised_id`): never a valid ID number, never
  masked, at most 18 characters.  The number is the lowest participant id among the rows of the same person (the
  same ID number) anonymised in one purge, so one person's visits in those batches stay one person (the spending
  rules' yearly cap per person, the eligibility cycle); a link to a batch not anonymised is gone with the number;
- birth date → the day of the batch's arrival, as many years before it as the person's age that day
  (:func:`anonymised_birth`): the age at arrival, and so any age band, stays exact; the day of birth is gone;
- room → ``R1``, ``R2`` … (the same label for the same room within the batch): who shared a room stays (the
  rooms counted per night, planned and actual, and so the costs computed from them), the room number goes;
- phone, department, emergency contact, health, diet, notes → empty;
- kept as they are: sex, employer, worker category, model worker, companion, the roll call's mark and the day
  a person left early, and of course the batch.

Every figure of the statistics (``stats --json``, with ``--money``), the money statistics, the spending rules'
findings within the anonymised years, the satisfaction statistics and the scorecard reads only what is kept, so
each stays exact (tests/test_privacy.py compares ``stats --json --money`` of every year byte for byte).

**Elsewhere in the batch's records** (names: everyone the batch's records name — its participants, its waiting
list, its roster history, its leader, people removed from its roster as the audit log names them, and the names
written in its people's emergency contacts, its departure notice's contacts and its incidents' others; numbers:
ID numbers and phones full or masked, as :func:`recuperation.people.mask_in_text` finds them):

- the batch: leader and leader's phone → empty; notes and cancellation reason with names → 某某 and numbers → ***;
- ``roster_event``: names → 已匿名化, masked ID number → empty, reason scrubbed;
- ``waiting_entry``: name → 已匿名化, ID number → the person's token (``ANONW`` and the entry's id for someone who
  never came), phone and birth date → empty, reason scrubbed; employer, category, sex, state and dates stay;
- ``service_order.sent_content`` (what was sent to the base: counts, rooms, diets by kind, the leader): the leader
  and phone → empty; the order's reason and changes scrubbed;
- ``departure_notice``: contacts → empty, the other texts scrubbed;
- ``insurance_policy``: notes scrubbed (the insurer and the policy number are the office's, not a person's);
- ``incident``: summary, details, what was done, outcome and follow-up scrubbed, others (people not on the roster,
  as written) → empty; the people involved stay linked to their anonymised records;
- ``feedback_response``: a respondent that is a participant (linked) or names one → empty, a group's name as
  written (第一组) stays; comments are the group's words about the trip and stay, scrubbed of names and numbers.
- ``audit_log``: every entry about these records (the participants, the batch and the records above, and people
  removed from the roster, found by the batch code their label starts with): the label's names → 已匿名化; the
  old and new values of a field that is gone (name, ID number, phone, birth date, …) → empty (NULL), the others
  scrubbed.  Who made each entry and when stays.

A name the program cannot know (someone not on any roster, typed into a text) stays; a person's name is replaced
wherever it appears in these texts, so a common word that is also a name there may be replaced too.

**One transaction**: all or nothing, after the same lock as every roster write (:func:`rosters.lock_people`).
Refused unless the signed-in person is an administrator (管理员, ``db.access.can("settings")``); on a server the
administrators' group holds UPDATE on :data:`recuperation.storage.server_access.PURGE_TABLES` and on the audit
log's values.  Audited as one entry per batch (action ``anonymise``, field ``anonymised``: how many people and
the date, never a name).  It cannot be undone except from a backup made before it, and every such backup still
holds the data until it is removed: the command line and the settings page say so before it starts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, func, select, update
from sqlmodel import Session

from recuperation import messages
from recuperation.errors import AccessDenied, RuleViolation
from recuperation.models import (
    AuditEntry,
    Batch,
    DepartureNotice,
    FeedbackResponse,
    Incident,
    IncidentPerson,
    InsurancePolicy,
    Participant,
    RosterEvent,
    ServiceOrder,
    WaitingEntry,
    table_of,
)
from recuperation.people import age_on, is_anonymised_id, mask_in_text
from recuperation.services.common import audit, now
from recuperation.services.policy import load_policy
from recuperation.storage.database import Database
from recuperation.storage.server_access import PURGE_AUDIT_TABLES

#: What an anonymised person's name becomes (and their name inside the audit log's labels).
ANONYMISED_NAME = "已匿名化"
#: What a person's name becomes inside a free text (a reason, an incident's details, a comment).
NAME_IN_TEXT = "某某"
#: What an ID number or a phone (full or masked) inside a free text becomes.
ERASED_NUMBER = "***"
#: Fields of the audit log whose old and new values are blanked for an anonymised person's records.
GONE_FIELDS = frozenset(
    {
        "name",
        "id_number",
        "phone",
        "birth_date",
        "department",
        "diet",
        "health",
        "emergency_contact",
        "room",
        "notes",
        "leader",
        "leader_phone",
        "contacts",
        "others",
        "respondent",
    }
)
#: The tables whose audit entries a purge reads (the records of a batch that name people): on a server an
#: administrator's scrub of any other entry is refused.
_AUDITED_TABLES = PURGE_AUDIT_TABLES
_CHUNK = 500


# -- the policy's dates -----------------------------------------------------------------------------------------


def cutoff_for(today: dt.date, years: int) -> dt.date:
    """The latest date a purge may take: ``today`` less ``years`` whole years (29 February → the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def anonymised_birth(birth: dt.date, arrival: dt.date) -> dt.date:
    """A birth date that gives the same age on ``arrival`` as ``birth`` and says nothing else: the arrival's
    day and month, that age earlier (29 February in a common year → the 28th, the same age that day)."""
    year = arrival.year - age_on(birth, arrival)
    try:
        return arrival.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def anonymised_token(participant_id: int) -> str:
    return f"ANON{participant_id}"


# -- what a purge would do --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueBatch:
    id: int
    code: str
    status: str
    arrival: dt.date
    departure: dt.date
    people: int  # participants not yet anonymised

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "status": self.status,
            "arrival": self.arrival.isoformat(),
            "departure": self.departure.isoformat(),
            "people": self.people,
        }


@dataclass(frozen=True)
class YearCount:
    """Batches and people of one year (by the batches' arrival, as the statistics count them)."""

    year: int
    batches: int
    people: int

    def to_json(self) -> dict[str, object]:
        return {"year": self.year, "batches": self.batches, "people": self.people}


def _by_year(batches: Iterable[DueBatch]) -> tuple[YearCount, ...]:
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for b in batches:
        counts[b.arrival.year][0] += 1
        counts[b.arrival.year][1] += b.people
    return tuple(YearCount(year, n, people) for year, (n, people) in sorted(counts.items()))


@dataclass(frozen=True)
class PurgePlan:
    """The batches a purge before ``before`` would anonymise, and the policy's dates it was checked against."""

    before: dt.date
    today: dt.date
    retention_years: int
    cutoff: dt.date  # the latest date allowed today
    batches: tuple[DueBatch, ...] = ()

    @property
    def people(self) -> int:
        return sum(b.people for b in self.batches)

    @property
    def years(self) -> tuple[YearCount, ...]:
        return _by_year(self.batches)

    def to_json(self) -> dict[str, object]:
        return {
            "before": self.before.isoformat(),
            "today": self.today.isoformat(),
            "retention_years": self.retention_years,
            "cutoff": self.cutoff.isoformat(),
            "batches": len(self.batches),
            "people": self.people,
            "by_year": [y.to_json() for y in self.years],
            "by_batch": [b.to_json() for b in self.batches],
        }


@dataclass(frozen=True)
class PurgeResult:
    """What a purge changed: people anonymised, and the records rewritten in each other table."""

    plan: PurgePlan
    anonymised_on: dt.date
    people: int = 0
    records: dict[str, int] = field(default_factory=dict)  # table → rows rewritten (participant apart)

    @property
    def batches(self) -> int:
        return len(self.plan.batches)

    def to_json(self) -> dict[str, object]:
        return {
            **self.plan.to_json(),
            "anonymised_on": self.anonymised_on.isoformat(),
            "people_anonymised": self.people,
            "records": dict(sorted(self.records.items())),
        }


@dataclass(frozen=True)
class PrivacyStatus:
    """The policy, the latest cutoff, who is due at it, and who was anonymised already (by year)."""

    retention_years: int
    cutoff: dt.date
    due: PurgePlan
    anonymised: tuple[YearCount, ...]
    last_anonymised_on: dt.date | None

    def to_json(self) -> dict[str, object]:
        return {
            "retention_years": self.retention_years,
            "cutoff": self.cutoff.isoformat(),
            "due": self.due.to_json(),
            "anonymised": [y.to_json() for y in self.anonymised],
            "last_anonymised_on": self.last_anonymised_on.isoformat() if self.last_anonymised_on else None,
        }


def _checked_dates(session: Session, before: dt.date, today: dt.date) -> tuple[int, dt.date]:
    years = load_policy(session).retention_years
    latest = cutoff_for(today, years)
    if before > latest:
        raise RuleViolation(
            "privacy.too_late",
            field="before",
            before=before.isoformat(),
            cutoff=latest.isoformat(),
            years=years,
            today=today.isoformat(),
        )
    return years, latest


def _whole_years(session: Session, before: dt.date) -> frozenset[int]:
    """The arrival years whose every batch ended before ``before``: a purge takes whole years, so that no
    person's visits of one year are split between anonymised and kept batches (the yearly cap per person
    counts a year's batches by arrival)."""
    b = table_of(Batch).c
    last: dict[int, dt.date] = {}
    for arrival, departure in session.connection().execute(select(b.arrival, b.departure)):
        last[arrival.year] = max(last.get(arrival.year, departure), departure)
    return frozenset(year for year, ended in last.items() if ended < before)


def _due(session: Session, before: dt.date) -> tuple[DueBatch, ...]:
    b, p, w = table_of(Batch).c, table_of(Participant).c, table_of(WaitingEntry).c
    run = session.connection().execute
    years = _whole_years(session, before)
    heads = [
        row
        for row in run(
            select(b.id, b.code, b.status, b.arrival, b.departure, b.leader, b.leader_phone)
            .where(b.departure < before)
            .order_by(b.arrival, b.code)
        )
        if row.arrival.year in years
    ]
    people: dict[int, int] = {}
    waiting: set[int] = set()
    for chunk in _chunks([int(row.id) for row in heads]):
        people.update(
            (int(batch_id), int(n))
            for batch_id, n in run(
                select(p.batch_id, func.count())
                .where(p.batch_id.in_(chunk), p.anonymised_on.is_(None))
                .group_by(p.batch_id)
            )
        )
        waiting.update(
            int(batch_id)
            for (batch_id,) in run(
                select(w.batch_id).distinct().where(w.batch_id.in_(chunk), w.id_masked.not_like("ANON%"))
            )
        )
    return tuple(
        DueBatch(int(i), code, status, arrival, departure, int(people.get(i, 0)))
        for i, code, status, arrival, departure, leader, phone in heads
        if people.get(i) or leader or phone or i in waiting
    )


def _plan(session: Session, before: dt.date, today: dt.date) -> PurgePlan:
    years, latest = _checked_dates(session, before, today)
    return PurgePlan(before, today, years, latest, _due(session, before))


def purge_plan(db: Database, before: dt.date, *, today: dt.date | None = None) -> PurgePlan:
    """What ``purge(db, before)`` would anonymise; writes nothing.  A date later than the policy allows today
    is refused (RuleViolation ``privacy.too_late``)."""
    with db.session() as session:
        return _plan(session, before, today or dt.date.today())


def privacy_status(db: Database, *, today: dt.date | None = None) -> PrivacyStatus:
    """The retention policy, today's latest cutoff, the people due at it and those anonymised already."""
    today = today or dt.date.today()
    b, p = table_of(Batch).c, table_of(Participant).c
    with db.session() as session:
        years = load_policy(session).retention_years
        latest = cutoff_for(today, years)
        due = PurgePlan(latest, today, years, latest, _due(session, latest))
        year = func.extract("year", b.arrival)
        rows = session.connection().execute(
            select(year, func.count(func.distinct(b.id)), func.count(), func.max(p.anonymised_on))
            .select_from(table_of(Participant))
            .join(table_of(Batch), b.id == p.batch_id)
            .where(p.anonymised_on.is_not(None))
            .group_by(year)
            .order_by(year)
        )
        done = [(int(y), int(n), int(people), last) for y, n, people, last in rows]
    return PrivacyStatus(
        years,
        latest,
        due,
        tuple(YearCount(y, n, people) for y, n, people, _last in done),
        max((last for *_rest, last in done), default=None),
    )


def backups_note(db: Database) -> str:
    """Where the backups that still hold the data are and how long the program keeps them (said before a
    purge, by the command line and the settings page alike)."""
    from recuperation.storage.backups import DAILY_KEEP_DAYS

    if db.path is None:
        return messages.text("privacy.backups_server")
    folder = (
        db.path.parent / f"{db.path.stem}-backups"
    )  # as storage.backups.backup_dir names it (not made here)
    count = len(list(folder.glob("*.db"))) if folder.is_dir() else 0
    if not count:
        return messages.text("privacy.no_backups_sqlite", folder=str(folder))
    return messages.text("privacy.backups_sqlite", folder=str(folder), count=count, days=DAILY_KEEP_DAYS)


# -- scrubbing texts ---------------------------------------------------------------------------------------------

#: A number as :func:`mask_in_text` leaves it (330182********3041, 139****0000, 0571-****2345, (0571)****2345).
_MASKED_NUMBER = re.compile(r"(?:[(（][0-9０-９]{3,4}[)）])?[0-9０-９]*[ \-\u3000－]?\*{3,}[0-9０-９XxＸｘ]*")


class _Names:
    """The names a batch's records carry, replaced wherever they appear (the longest first at each place)."""

    def __init__(self, names: Iterable[str]):
        self.names = {n.strip() for n in names if n and len(n.strip()) >= 2 and n.strip() != ANONYMISED_NAME}
        self.lengths = sorted({len(n) for n in self.names}, reverse=True)
        self.first = {n[0] for n in self.names}

    def replace(self, text: str, by: str) -> str:
        if not text or not self.first.intersection(text):
            return text
        out: list[str] = []
        i = 0
        while i < len(text):
            for length in self.lengths:
                if text[i : i + length] in self.names:
                    out.append(by)
                    i += length
                    break
            else:
                out.append(text[i])
                i += 1
        return "".join(out)


_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
#: Words written before a name in a contact (妻 王芳, 联系人张三): not names themselves.
_RELATIONS = tuple(
    sorted(
        [
            "紧急联系人",
            "联系人",
            "配偶",
            "妻子",
            "丈夫",
            "爱人",
            "父亲",
            "母亲",
            "儿子",
            "女儿",
            "哥哥",
            "姐姐",
            "弟弟",
            "妹妹",
            "家属",
            "亲属",
            "朋友",
            "同事",
            "本人",
            "电话",
            "手机",
            "妻",
            "夫",
            "父",
            "母",
            "子",
            "女",
            "兄",
            "姐",
            "弟",
            "妹",
        ],
        key=len,
        reverse=True,
    )
)


def names_in(text: str | None) -> set[str]:
    """The names a contact field holds (妻 王芳 139…, 联系人张三, 路人甲 乙): each run of two to four Chinese
    characters once a relation word before it is taken off."""
    found = set()
    for run in _CJK_RUN.findall(text or ""):
        for word in _RELATIONS:
            if run.startswith(word) and len(run) - len(word) >= 2:
                run = run[len(word) :]
                break
        if 2 <= len(run) <= 4 and run not in _RELATIONS:
            found.add(run)
    return found


def erase_numbers(text: str) -> str:
    """``text`` with every ID number and phone in it, full or masked, replaced by ***."""
    return _MASKED_NUMBER.sub(ERASED_NUMBER, mask_in_text(text)) if text else text


def _scrubber(names: _Names) -> Callable[[str | None], str | None]:
    def scrub(text: str | None) -> str | None:
        if not text:
            return text
        return names.replace(erase_numbers(text), NAME_IN_TEXT)

    return scrub


def _lengths(table: Table) -> dict[str, int]:
    lengths = {}
    for column in table.c:
        length = getattr(column.type, "length", None)
        if length:
            lengths[column.name] = int(length)
    return lengths


def _fit(lengths: dict[str, int], column: str, value: Any) -> Any:
    """A text cut to its column's length (a scrubbed text is never longer; a label may be)."""
    length = lengths.get(column)
    if isinstance(value, str) and length and len(value) > length:
        return value[:length]
    return value


def _update_many(
    session: Session,
    table: Table,
    constants: dict[str, Any],
    varying: Sequence[str],
    rows: list[tuple[Any, ...]],
) -> None:
    """``UPDATE table SET constants, varying, version + 1 WHERE id = …`` for each row (its varying values, then its
    id), through the driver's executemany: tens of thousands of people without building a statement's
    parameters row by row.  Values go through their columns' types (dates as each database stores them)."""
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"

    def bind(column: str) -> Callable[[Any], Any]:
        process = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
        return process if process is not None else (lambda value: value)

    fixed = [bind(c)(v) for c, v in constants.items()]
    binds = [bind(c) for c in varying]
    assignments = [f"{quote(c)} = {mark}" for c in (*constants, *varying)]
    assignments.append(f"{quote('version')} = {quote('version')} + 1")
    sql = f"UPDATE {quote(str(table.name))} SET {', '.join(assignments)} WHERE {quote('id')} = {mark}"
    for start in range(0, len(rows), 5000):
        conn.exec_driver_sql(
            sql,
            [
                (*fixed, *(b(v) for b, v in zip(binds, row[:-1], strict=True)), row[-1])
                for row in rows[start : start + 5000]
            ],
        )


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


class _Rewrite:
    """Changed rows of one table, written with one executemany: ``add(id, values)`` only when a value differs."""

    def __init__(self, model: Any, versioned: bool, user: str, stamp: dt.datetime):
        self.table: Table = table_of(model)
        self.lengths = _lengths(self.table)
        self.versioned = versioned
        self.user = user
        self.stamp = stamp
        self.rows: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        self.count = 0

    def add(self, row_id: int, old: dict[str, Any], new: dict[str, Any]) -> None:
        changed = {k: _fit(self.lengths, k, v) for k, v in new.items() if v != old.get(k)}
        if not changed:
            return
        self.count += 1
        self.rows[tuple(sorted(changed))].append(
            {"row_id": row_id, **{f"v_{k}": v for k, v in changed.items()}}
        )

    def write(self, session: Session) -> None:
        t = self.table
        for columns, rows in self.rows.items():
            values: dict[str, Any] = {c: bindparam(f"v_{c}") for c in columns}
            if self.versioned:
                values.update(version=t.c.version + 1, updated_at=self.stamp, updated_by=self.user)
            statement = update(t).where(t.c.id == bindparam("row_id")).values(**values)
            for start in range(0, len(rows), 5000):
                session.connection().execute(statement, rows[start : start + 5000])


# -- the purge ---------------------------------------------------------------------------------------------------


def purge(db: Database, before: dt.date, *, today: dt.date | None = None) -> PurgeResult:
    """Anonymise the people of the batches that ended before ``before`` (see the module's rules), in one write
    transaction, audited per batch.  Refused (AccessDenied) unless the signed-in person is an administrator;
    refused (RuleViolation) for a date later than the policy allows today.  Cannot be undone."""
    access = db.access
    if not access.can("settings"):
        raise AccessDenied("privacy.denied", why=access.why_not("settings"))
    today = today or dt.date.today()
    from recuperation.services.batch.rosters import lock_people

    with db.session(write=True) as session:
        lock_people(session)
        plan = _plan(session, before, today)
        if not plan.batches:
            return PurgeResult(plan, today)
        return _purge(session, db.user, plan, today)


def _purge(session: Session, user: str, plan: PurgePlan, today: dt.date) -> PurgeResult:
    run = session.connection().execute
    stamp = now()
    batch_ids = [b.id for b in plan.batches]
    batches = {b.id: b for b in plan.batches}
    code_of = {b.id: b.code for b in plan.batches}

    # The people: every row of these batches (the anonymised ones too: their names are gone already)
    p = table_of(Participant).c
    people: list[Any] = []
    for chunk in _chunks(batch_ids):
        people += run(
            select(
                p.id,
                p.batch_id,
                p.name,
                p.id_key,
                p.birth_date,
                p.room,
                p.anonymised_on,
                p.emergency_contact,
            )
            .where(p.batch_id.in_(chunk))
            .order_by(p.id)
        ).all()
    names: dict[int, set[str]] = defaultdict(set)
    for person in people:
        names[person.batch_id].add(person.name)
        names[person.batch_id].update(names_in(person.emergency_contact))
    token: dict[str, str] = {}
    for person in people:
        # one token per person: equal keys are equal numbers (services/identity.py), read without the numbers
        if person.anonymised_on is None and person.id_key not in token:
            token[person.id_key] = anonymised_token(person.id)  # rows in id order: the lowest id
    # the other records of these batches, read before anything is written: the names they carry
    loaded = {name: _rows(session, model, batch_ids) for name, model in _BATCH_RECORDS.items()}
    for row in loaded["waiting_entry"]:
        names[row.batch_id].add(row.name)
    for row in loaded["roster_event"]:
        names[row.batch_id].update((row.name, row.other_name))
    for row in loaded["batch"]:
        names[row.id].add(row.leader)
    for row in loaded["departure_notice"]:
        names[row.batch_id].update(names_in(row.contacts))
    for row in loaded["incident"]:
        names[row.batch_id].update(names_in(row.others))
    entries = _audit_entries(session, batch_ids, code_of, people, loaded)
    for batch_id, entry in entries:
        prefix = code_of[batch_id] + " "
        if entry.table_name == "participant" and (entry.record_label or "").startswith(prefix):
            names[batch_id].add(entry.record_label[len(prefix) :])  # a person removed from the roster too
    label_names = {batch_id: _Names(names[batch_id]) for batch_id in batch_ids}
    scrub = {batch_id: _scrubber(label_names[batch_id]) for batch_id in batch_ids}
    counts: dict[str, int] = {}

    # participants: the texts emptied and the name replaced alike, the number, birth date and room per person
    pt = table_of(Participant)
    rooms = _room_labels(people)
    anonymised_people: dict[int, int] = defaultdict(int)
    values: list[tuple[Any, ...]] = []
    for person in people:
        if person.anonymised_on is not None:
            continue
        anonymised_people[person.batch_id] += 1
        birth = person.birth_date
        values.append(
            (
                token[person.id_key],
                anonymised_birth(birth, batches[person.batch_id].arrival) if birth else None,
                rooms.get((person.batch_id, person.room), ""),
                person.id,
            )
        )
    constants: dict[str, Any] = {
        "name": ANONYMISED_NAME,
        **{c.name: "" for c in _PERSON_TEXT_COLUMNS},
        "anonymised_on": today,
        "updated_at": stamp,
        "updated_by": user,
    }
    _update_many(session, pt, constants, ("id_number", "birth_date", "room"), values)

    # the batches' other records
    for name, rows in loaded.items():
        model, versioned = _BATCH_RECORDS[name], name in _VERSIONED
        rewrite = _Rewrite(model, versioned, user, stamp)
        for row in rows:
            batch_id = row.id if name == "batch" else row.batch_id
            old = dict(row._mapping)
            rewrite.add(row.id, old, _scrubbed(name, old, scrub[batch_id], token))
        rewrite.write(session)
        counts[name] = rewrite.count

    # the audit log: labels and values of these records (only old, new and record_label are written)
    a = table_of(AuditEntry)
    a_lengths = _lengths(a)
    changed: list[dict[str, Any]] = []
    for batch_id, entry in entries:
        label = _fit(
            a_lengths,
            "record_label",
            label_names[batch_id].replace(entry.record_label or "", ANONYMISED_NAME),
        )
        label = erase_numbers(label) if label else label
        gone = entry.field in GONE_FIELDS
        was = None if gone else scrub[batch_id](entry.old)
        became = None if gone else scrub[batch_id](entry.new)
        if (label, was, became) != (entry.record_label, entry.old, entry.new):
            changed.append({"row_id": entry.id, "v_label": label, "v_old": was, "v_new": became})
    if changed:
        statement = (
            update(a)
            .where(a.c.id == bindparam("row_id"))
            .values(record_label=bindparam("v_label"), old=bindparam("v_old"), new=bindparam("v_new"))
        )
        for start in range(0, len(changed), 5000):
            run(statement, changed[start : start + 5000])
    counts["audit_log"] = len(changed)

    # one audit entry per batch: how many, never who
    for due in plan.batches:
        audit(
            session,
            user,
            "anonymise",
            "batch",
            due.id,
            due.code,
            "anonymised",
            None,
            f"{anonymised_people.get(due.id, 0)} 人；截止 {plan.before.isoformat()}",
        )
    session.flush()
    return PurgeResult(plan, today, sum(anonymised_people.values()), counts)


#: The participant's texts a purge empties (beside the name, ID number, birth date and room it replaces).
_PERSON_TEXT_COLUMNS = tuple(
    table_of(Participant).c[name]
    for name in ("phone", "department", "diet", "health", "emergency_contact", "notes")
)

#: The records of a batch a purge rewrites, by table, and the columns it reads of each.
_BATCH_RECORDS: dict[str, Any] = {
    "batch": Batch,
    "waiting_entry": WaitingEntry,
    "roster_event": RosterEvent,
    "service_order": ServiceOrder,
    "departure_notice": DepartureNotice,
    "insurance_policy": InsurancePolicy,
    "incident": Incident,
    "feedback_response": FeedbackResponse,
}
_VERSIONED = frozenset(
    {
        "batch",
        "waiting_entry",
        "service_order",
        "departure_notice",
        "insurance_policy",
        "incident",
        "feedback_response",
    }
)
_READ: dict[str, tuple[str, ...]] = {
    "batch": ("leader", "leader_phone", "notes", "cancel_reason"),
    "waiting_entry": ("batch_id", "name", "id_masked", "id_key", "phone_masked", "birth_date", "reason"),
    "roster_event": ("batch_id", "name", "id_masked", "other_name", "reason"),
    "service_order": ("batch_id", "sent_content", "reason", "changes"),
    "departure_notice": (
        "batch_id",
        "gather_at",
        "gather_place",
        "bring",
        "conduct",
        "contacts",
        "insurance",
    ),
    "insurance_policy": ("batch_id", "notes"),
    "incident": ("batch_id", "summary", "details", "others", "action_taken", "outcome", "follow_up"),
    "feedback_response": ("batch_id", "participant_id", "respondent", "comment"),
}


def _rows(session: Session, model: Any, batch_ids: Sequence[int]) -> list[Any]:
    t = table_of(model)
    name = str(t.name)
    owner = t.c.id if name == "batch" else t.c.batch_id
    rows: list[Any] = []
    for chunk in _chunks(batch_ids):
        rows += (
            session.connection()
            .execute(select(t.c.id, *(t.c[c] for c in _READ[name])).where(owner.in_(chunk)).order_by(t.c.id))
            .all()
        )
    return rows


def _scrubbed(
    table: str, old: dict[str, Any], scrub: Callable[[str | None], str | None], token: dict[str, str]
) -> dict[str, Any]:
    """A record's new values (only its columns that a purge changes)."""
    texts = {
        k: scrub(v)
        for k, v in old.items()
        if isinstance(v, str) and k not in ("id_masked", "id_key", "phone_masked", "sent_content")
    }
    if table == "batch":
        return {**texts, "leader": "", "leader_phone": ""}
    if table == "waiting_entry":
        # the numbers are not read (only the owner may, on a server): what their mask and key say of them
        new: dict[str, Any] = {"name": ANONYMISED_NAME, "reason": texts["reason"]}
        if not is_anonymised_id(old["id_masked"]):  # a mask keeps a token whole
            new["id_number"] = token.get(old["id_key"]) or f"ANONW{old['id']}"
        if old["phone_masked"]:
            new["phone"] = ""
        if old["birth_date"] is not None:  # they did not travel: no age to keep for the statistics
            new["birth_date"] = None
        return new
    if table == "roster_event":
        return {
            "name": ANONYMISED_NAME if old["name"] else "",
            "other_name": ANONYMISED_NAME if old["other_name"] else "",
            "id_masked": "",
            "reason": texts["reason"],
        }
    if table == "service_order":
        return {**texts, "sent_content": _sent_content(old["sent_content"])}
    if table == "departure_notice":
        return {**texts, "contacts": ""}
    if table == "incident":
        return {**texts, "others": ""}
    if table == "feedback_response":
        respondent = old["respondent"]
        named = old["participant_id"] is not None or texts["respondent"] != respondent
        return {"respondent": "" if named else respondent, "comment": texts["comment"]}
    return texts


def _sent_content(text: str) -> str:
    """What an order sent carries of a person (the group's leader and phone) emptied, the rest as sent."""
    if not text:
        return text
    content = json.loads(text)
    if not isinstance(content, dict) or not (content.get("leader") or content.get("leader_phone")):
        return text
    content.update(leader="", leader_phone="")
    return json.dumps(content, ensure_ascii=False, sort_keys=True)


def _room_labels(people: Sequence[Any]) -> dict[tuple[int, str], str]:
    """(batch id, room) → its new label for the people to anonymise: R1, R2 … in the rooms' order, the same room
    the same label; a room that already carries an anonymised person's label keeps it (they shared it)."""
    used: dict[int, set[str]] = defaultdict(set)
    rooms: dict[int, set[str]] = defaultdict(set)
    for person in people:
        if person.room:
            (used if person.anonymised_on is not None else rooms)[person.batch_id].add(person.room)
    labels: dict[tuple[int, str], str] = {}
    for batch_id, found in rooms.items():
        taken = set(used[batch_id])
        n = 0
        for room in sorted(found, key=lambda r: (len(r), r)):
            if room in used[batch_id]:
                labels[(batch_id, room)] = room
                continue
            n += 1
            while f"R{n}" in taken:
                n += 1
            labels[(batch_id, room)] = f"R{n}"
            taken.add(f"R{n}")
    return labels


def _audit_entries(
    session: Session,
    batch_ids: Sequence[int],
    code_of: dict[int, str],
    people: Sequence[Any],
    loaded: dict[str, list[Any]],
) -> list[tuple[int, Any]]:
    """(batch id, entry) for every audit entry about these batches' records: their participants (and the
    people removed from their rosters, by the label's batch code), the batches themselves and their other
    records (by id, or by the label's batch code when the record is gone)."""
    run = session.connection().execute
    owner: dict[tuple[str, int], int] = {("participant", int(p.id)): int(p.batch_id) for p in people}
    for name, rows in loaded.items():
        for row in rows:
            owner[(name, int(row.id))] = int(row.id if name == "batch" else row.batch_id)
    ip, inc = table_of(IncidentPerson).c, table_of(Incident).c
    for chunk in _chunks(batch_ids):
        for link_id, batch_id in run(
            select(ip.id, inc.batch_id)
            .join(table_of(Incident), inc.id == ip.incident_id)
            .where(inc.batch_id.in_(chunk))
        ):
            owner[("incident_person", int(link_id))] = int(batch_id)
    by_code = {code: batch_id for batch_id, code in code_of.items()}
    live = {
        table: {int(i) for (i,) in run(select(table_of(model).c.id))}
        for table, model in (("participant", Participant), *_BATCH_RECORDS.items())
    }
    a = table_of(AuditEntry).c
    found: list[tuple[int, Any]] = []
    for entry in run(
        select(a.id, a.table_name, a.record_id, a.record_label, a.field, a.old, a.new)
        .where(a.table_name.in_(_AUDITED_TABLES))
        .order_by(a.id)
    ):
        batch_id = owner.get((entry.table_name, entry.record_id)) if entry.record_id is not None else None
        if batch_id is None and entry.record_id not in live.get(entry.table_name, ()):
            # a record gone (a person removed from the roster, an incident deleted): its label's batch code
            label = entry.record_label or ""
            code = label.split(" ", 1)[0]
            if code in by_code and (label == code or label.startswith(code + " ")):
                batch_id = by_code[code]
        if batch_id is not None:
            found.append((batch_id, entry))
    return found
