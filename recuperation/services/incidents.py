"""Incidents (事件): what went wrong on a trip — an injury, an illness, a complaint, lost property, a delayed coach
— recorded through its life, listed with the people masked, counted per base and year, and an alert while a
serious one is open.

**An incident** belongs to a batch, to a base, or to both; with both, the base is one the batch **went to** (its
lodging with people in it, or a base its itinerary names for a meal or an activity: :func:`batch_bases`).  It has
a date, a kind (受伤 injury, 疾病 illness, 投诉 complaint, 物品遗失 lost property, 交通延误 transport delay, 其他
other), a severity (一般, 较重, 严重), a one-line summary (required), what happened, **the people involved** —
participants of that batch's roster (:class:`IncidentPerson`, always shown masked: the name and the ID number
as ``people.mask_id`` masks it) and others as written —, what was done, the outcome, a follow-up with an optional
due date, and who reported it (the desk's user unless said otherwise).

An edit keeps the base the incident names though the batch no longer goes there.  A person taken off the roster
(removed, substituted, moved: a move writes a new participant) drops out of the incident with their participant
record (the schema's ON DELETE CASCADE); the audit log keeps them under ``involved``.

**Dates**: an incident of a batch happens no earlier than :data:`EARLY_DAYS` days before the batch arrives (a
booking complaint, a coach late on the way there) and never after today; one of a base alone, not before
:data:`EARLIEST_DAY`.  A batch's ``created_at`` is not the bound: a register imports past batches long after they
travelled.  A follow-up's due date is not before the incident, and a due date needs the follow-up written.

**Life**: recorded (:func:`record_incident`) → edited (:func:`update_incident`, versioned: a stale edit is refused)
→ closed (:func:`close_incident`: an outcome is required, the day not before the incident nor after today; the
desk's user is ``closed_by``) → reopened (:func:`reopen_incident`, with a reason) → closed again.  Everything is
audited: each field that changes, the people as the field ``involved`` (“张三（330182********0011）”), a reopening's
reason (``reopen_reason``) and a deletion's (``delete_reason``).  **Deleting** (:func:`delete_incident`) is for a
record entered by mistake: only an open incident, only by the desk user who recorded it (the audit log's
creation), with a reason.  A closed incident is evidence for a base's re-check and stays; it is reopened first.

Every write locks what its rule spans, inside the write transaction: the people lock (the roster's writes take it
before removing anyone) and the batch's row (its lodging and itinerary say where it went) on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` serialises writers.

**Counting** (:func:`incident_counts`, :func:`counts_by_base`, :func:`open_serious`): an incident counts, in the
calendar year of its date, for the base it names; a batch's incident naming no base counts for the base the batch
lodged the most people at that night (else the night before: the day it left), as the scorecard counts it.  **Alerts** (:func:`incident_alerts`): ``incident_open`` (severe) for a serious
incident not closed as of the day; ``incident_follow_up`` for any other open incident whose follow-up is overdue
(a serious one's alert says so itself).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, or_
from sqlalchemy import delete as sa_delete
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.errors import NotFoundError, RuleViolation, ValidationError
from recuperation.labels import label
from recuperation.models import (
    AuditEntry,
    Base,
    Batch,
    BatchItem,
    Incident,
    IncidentKind,
    IncidentPerson,
    Lodging,
    Participant,
    Partner,
    Severity,
    table_of,
)
from recuperation.people import mask_in_text
from recuperation.services import identity
from recuperation.services.batch.rosters import lock_people
from recuperation.services.common import (
    audit,
    choice,
    clean_text,
    create_audited,
    get_or_raise,
    refuse_stale,
    update_versioned,
)
from recuperation.storage.database import Database

if TYPE_CHECKING:
    from recuperation.services.alerts import Alert

#: An incident of a batch happens at the earliest this many days before it arrives.
EARLY_DAYS = 30
#: The earliest date of any incident.
EARLIEST_DAY = dt.date(2000, 1, 1)
#: How long the free texts may be (what happened, what was done, the outcome, the follow-up).
TEXT_MAX = 4000
#: The longest summary, others involved and reporter (the columns' widths).
SUMMARY_MAX, OTHERS_MAX, REPORTER_MAX = 200, 400, 80
#: Ids per IN (…) list.
CHUNK = 500

SERIOUS = Severity.SERIOUS.value
KINDS = IncidentKind.values()
SEVERITIES = Severity.values()


@dataclass(frozen=True)
class IncidentInput:
    """What a form or the command line gives for an incident; ``reported_by`` None: the desk's user."""

    occurred_on: dt.date
    kind: str
    severity: str
    summary: str
    batch_id: int | None = None
    base_id: int | None = None
    details: str = ""
    participant_ids: tuple[int, ...] = ()
    others: str = ""
    action_taken: str = ""
    outcome: str = ""
    follow_up: str = ""
    follow_up_due: dt.date | None = None
    reported_by: str | None = None


@dataclass(frozen=True)
class InvolvedPerson:
    """A participant as an incident shows them: the name and the masked ID number, never the full one."""

    participant_id: int
    name: str
    masked_id: str
    companion: bool = False

    @property
    def shown(self) -> str:
        """张三（330182********0011）; Zhang San (330182********0011)."""
        if messages.language() == "en":
            return f"{self.name} ({self.masked_id})"
        return f"{self.name}（{self.masked_id}）"

    def to_json(self) -> dict[str, Any]:
        return {
            "participant_id": self.participant_id,
            "name": self.name,
            "id_number": self.masked_id,
            "companion": self.companion,
        }


@dataclass(frozen=True)
class IncidentRow:
    id: int
    batch_id: int | None
    batch_code: str
    partner: str
    base_id: int | None
    base: str
    occurred_on: dt.date
    kind: str
    severity: str
    summary: str
    details: str
    people: tuple[InvolvedPerson, ...]
    others: str
    action_taken: str
    outcome: str
    follow_up: str
    follow_up_due: dt.date | None
    reported_by: str
    closed_on: dt.date | None
    closed_by: str
    version: int
    updated_by: str
    updated_at: dt.datetime

    @property
    def open(self) -> bool:
        return self.closed_on is None

    @property
    def serious(self) -> bool:
        return self.severity == SERIOUS

    def open_on(self, day: dt.date) -> bool:
        """Whether it had happened and was not closed yet on ``day``."""
        return self.occurred_on <= day and (self.closed_on is None or self.closed_on > day)

    def days_open(self, day: dt.date) -> int:
        """Days from the incident to ``day`` (or to its closing, when closed by then)."""
        end = self.closed_on if self.closed_on is not None and self.closed_on <= day else day
        return max((end - self.occurred_on).days, 0)

    def overdue(self, day: dt.date) -> bool:
        """An open incident whose follow-up was due before ``day``."""
        return self.open_on(day) and self.follow_up_due is not None and self.follow_up_due < day

    @property
    def where(self) -> str:
        """批次 L2021-0005（宁波大学）在“寿昌宾馆”, 批次 …, 基地“…” in the current language."""
        return where_text(self.batch_code, self.partner, self.base)

    @property
    def label(self) -> str:
        """The record as the audit log and messages name it: L2021-0005 · 寿昌宾馆 2021-05-03 受伤."""
        return incident_label(self.batch_code, self.base, self.occurred_on, self.kind)

    @property
    def people_text(self) -> str:
        return messages.join([p.shown for p in self.people])

    def as_input(self) -> IncidentInput:
        return IncidentInput(
            self.occurred_on,
            self.kind,
            self.severity,
            self.summary,
            self.batch_id,
            self.base_id,
            self.details,
            tuple(p.participant_id for p in self.people),
            self.others,
            self.action_taken,
            self.outcome,
            self.follow_up,
            self.follow_up_due,
            self.reported_by,
        )

    def to_json(self) -> dict[str, Any]:
        """The incident for ``incident list --json``: people masked, and numbers typed into the free texts
        masked as well (``people.mask_in_text``)."""
        return {
            "id": self.id,
            "batch": self.batch_code or None,
            "partner": self.partner or None,
            "base": self.base or None,
            "occurred_on": self.occurred_on.isoformat(),
            "kind": self.kind,
            "kind_label": label("incident_kind", self.kind),
            "severity": self.severity,
            "severity_label": label("severity", self.severity),
            "summary": mask_in_text(self.summary),
            "details": mask_in_text(self.details),
            "people": [p.to_json() for p in self.people],
            "others": mask_in_text(self.others),
            "action_taken": mask_in_text(self.action_taken),
            "outcome": mask_in_text(self.outcome),
            "follow_up": mask_in_text(self.follow_up),
            "follow_up_due": self.follow_up_due.isoformat() if self.follow_up_due else None,
            "reported_by": self.reported_by,
            "open": self.open,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "closed_by": self.closed_by,
            "version": self.version,
        }


@dataclass(frozen=True)
class BatchIncidents:
    """A batch's incidents with what a form chooses from: its roster (masked) and the bases it went to."""

    batch_id: int
    rows: tuple[IncidentRow, ...]
    people: tuple[InvolvedPerson, ...]
    bases: tuple[tuple[int, str], ...]

    @property
    def open_count(self) -> int:
        return sum(1 for r in self.rows if r.open)

    @property
    def open_serious(self) -> int:
        return sum(1 for r in self.rows if r.open and r.serious)


def where_text(batch_code: str, partner: str, base: str) -> str:
    if batch_code and base:
        return messages.text("incident.where.batch_base", code=batch_code, partner=partner, base=base)
    if batch_code:
        return messages.text("incident.where.batch", code=batch_code, partner=partner)
    return messages.text("incident.where.base", base=base)


def incident_label(batch_code: str, base: str, day: dt.date, kind: str) -> str:
    """L2021-0005 · 寿昌宾馆 2021-05-03 受伤 (the audit log keeps it; Chinese, as the records are)."""
    subject = " · ".join(part for part in (batch_code, base) if part)
    return f"{subject} {day.isoformat()} {label('incident_kind', kind, 'zh')}"


# -- reading ------------------------------------------------------------------------------------------------------


def _people_of(session: Session, incident_ids: Sequence[int]) -> dict[int, list[InvolvedPerson]]:
    found: dict[int, list[InvolvedPerson]] = defaultdict(list)
    ip, p = table_of(IncidentPerson).c, table_of(Participant).c
    ids = sorted(set(incident_ids))
    run = session.connection().execute
    for start in range(0, len(ids), CHUNK):
        query = (
            sa_select(ip.incident_id, p.id, p.name, p.id_masked, p.companion)
            .join(table_of(Participant), p.id == ip.participant_id)
            .where(ip.incident_id.in_(ids[start : start + CHUNK]))
            .order_by(ip.incident_id, p.id)
        )
        for incident_id, person_id, name, masked, companion in run(query):
            found[incident_id].append(InvolvedPerson(person_id, name, masked, bool(companion)))
    return found


def _rows(session: Session, where: Iterable[Any] = ()) -> list[IncidentRow]:
    i, b, pt, bs = table_of(Incident).c, table_of(Batch).c, table_of(Partner).c, table_of(Base).c
    query = (
        sa_select(
            table_of(Incident),
            b.code.label("batch_code"),
            pt.name.label("partner_name"),
            bs.name.label("base_name"),
        )
        .select_from(table_of(Incident))
        .outerjoin(table_of(Batch), b.id == i.batch_id)
        .outerjoin(table_of(Partner), pt.id == b.partner_id)
        .outerjoin(table_of(Base), bs.id == i.base_id)
        .order_by(i.occurred_on.desc(), i.id.desc())
    )
    for condition in where:
        query = query.where(condition)
    heads = list(session.connection().execute(query).mappings())
    people = _people_of(session, [h["id"] for h in heads])
    rows = []
    for h in heads:
        rows.append(
            IncidentRow(
                id=h["id"],
                batch_id=h["batch_id"],
                batch_code=h["batch_code"] or "",
                partner=h["partner_name"] or "",
                base_id=h["base_id"],
                base=h["base_name"] or "",
                occurred_on=h["occurred_on"],
                kind=h["kind"],
                severity=h["severity"],
                summary=h["summary"],
                details=h["details"],
                people=tuple(people.get(h["id"], ())),
                others=h["others"],
                action_taken=h["action_taken"],
                outcome=h["outcome"],
                follow_up=h["follow_up"],
                follow_up_due=h["follow_up_due"],
                reported_by=h["reported_by"],
                closed_on=h["closed_on"],
                closed_by=h["closed_by"],
                version=h["version"],
                updated_by=h["updated_by"],
                updated_at=h["updated_at"],
            )
        )
    return rows


def _one(session: Session, incident_id: int) -> IncidentRow:
    found = _rows(session, [table_of(Incident).c.id == incident_id])
    if not found:
        raise NotFoundError("incident.unknown", record="incident", id=incident_id)
    return found[0]


def get_incident(db: Database, incident_id: int) -> IncidentRow:
    with db.session() as session:
        return _one(session, incident_id)


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def list_incidents(
    db: Database,
    *,
    year: int | None = None,
    batch_id: int | None = None,
    base_id: int | None = None,
    kind: str | None = None,
    severity: str | None = None,
    open_only: bool = False,
) -> list[IncidentRow]:
    """Incidents, newest first: of a year (by their date), a batch, a base, a kind, a severity; ``open_only``
    leaves out the closed ones.  The people are masked."""
    i = table_of(Incident).c
    where: list[Any] = []
    if year is not None:
        first, last = _year_range(year)
        where += [i.occurred_on >= first, i.occurred_on <= last]
    if batch_id is not None:
        where.append(i.batch_id == batch_id)
    if base_id is not None:
        where.append(i.base_id == base_id)
    if kind is not None:
        where.append(i.kind == kind)
    if severity is not None:
        where.append(i.severity == severity)
    if open_only:
        where.append(i.closed_on.is_(None))
    with db.session() as session:
        return _rows(session, where)


def _batch_bases(session: Session, batch_id: int) -> list[tuple[int, str]]:
    """The bases a batch went to: its lodging with people in it, and the bases its itinerary names (meals,
    activities, 入住), by name."""
    lo, it, bs = table_of(Lodging).c, table_of(BatchItem).c, table_of(Base).c
    lodged = sa_select(lo.base_id.label("base_id")).where(lo.batch_id == batch_id, lo.people > 0)
    planned = sa_select(it.base_id.label("base_id")).where(it.batch_id == batch_id, it.base_id.is_not(None))
    ids = {row[0] for row in session.connection().execute(lodged.union(planned))}
    if not ids:
        return []
    names = session.connection().execute(sa_select(bs.id, bs.name).where(bs.id.in_(sorted(ids))))
    return sorted(((int(base_id), name) for base_id, name in names), key=lambda b: b[1])


def batch_bases(db: Database, batch_id: int) -> list[tuple[int, str]]:
    """(id, name) of the bases the batch went to (lodging or itinerary), by name."""
    with db.session() as session:
        get_or_raise(session, Batch, batch_id)
        return _batch_bases(session, batch_id)


def _roster(session: Session, batch_id: int) -> list[InvolvedPerson]:
    p = table_of(Participant).c
    query = sa_select(p.id, p.name, p.id_masked, p.companion).where(p.batch_id == batch_id).order_by(p.id)
    return [
        InvolvedPerson(pid, name, masked, bool(companion))
        for pid, name, masked, companion in session.connection().execute(query)
    ]


def batch_incidents(db: Database, batch_id: int) -> BatchIncidents:
    """The batch's incidents (newest first), its roster masked and its bases: what the batch's 事件 tab shows."""
    with db.session() as session:
        get_or_raise(session, Batch, batch_id)
        rows = _rows(session, [table_of(Incident).c.batch_id == batch_id])
        return BatchIncidents(
            batch_id, tuple(rows), tuple(_roster(session, batch_id)), tuple(_batch_bases(session, batch_id))
        )


# -- counting (the scorecard) ---------------------------------------------------------------------------------------


def night_bases_of(conn: Connection, wanted: Iterable[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], int]:
    """For (batch, day) pairs: the base the batch lodged the most people at that night (the lower base id on a
    tie), else the night before (the day it left); pairs with neither are left out.  The one rule by which an
    incident without a base counts for a base: here and on the scorecard (services/scorecard.py)."""
    pairs = set(wanted)
    if not pairs:
        return {}
    lo = table_of(Lodging).c
    nights: dict[tuple[int, dt.date], list[tuple[int, int]]] = defaultdict(list)
    batch_ids = sorted({batch_id for batch_id, _day in pairs})
    for start in range(0, len(batch_ids), CHUNK):
        query = sa_select(lo.batch_id, lo.night, lo.base_id, lo.people).where(
            lo.batch_id.in_(batch_ids[start : start + CHUNK]), lo.people > 0
        )
        for batch_id, night, base_id, people in conn.execute(query):
            nights[(int(batch_id), night)].append((int(people), int(base_id)))
    found = {}
    for batch_id, day in pairs:
        there = nights.get((batch_id, day)) or nights.get((batch_id, day - dt.timedelta(days=1)))
        if there:
            found[(batch_id, day)] = max(there, key=lambda pb: (pb[0], -pb[1]))[1]
    return found


def _counted(session: Session, where: Iterable[Any]) -> list[tuple[int, IncidentRow]]:
    """(base id, incident) for the incidents matching ``where`` that count for a base: the base they name, else,
    for a batch's incident naming none, the base the batch lodged at that night (:func:`night_bases_of`)."""
    i = table_of(Incident).c
    rows = _rows(session, [*where, or_(i.base_id.is_not(None), i.batch_id.is_not(None))])
    night = night_bases_of(
        session.connection(), [(r.batch_id, r.occurred_on) for r in rows if r.base_id is None and r.batch_id]
    )
    found = []
    for row in rows:
        base_id = row.base_id if row.base_id is not None else night.get((row.batch_id or 0, row.occurred_on))
        if base_id is not None:
            found.append((base_id, row))
    return found


def counts_by_base(db: Database, year: int) -> dict[int, dict[tuple[str, str], int]]:
    """base id → (kind, severity) → how many incidents of ``year`` (by their date) count for the base: those
    naming it, and a batch's incidents naming no base on a night the batch lodged there (the scorecard's
    rule, :mod:`recuperation.services.scorecard`)."""
    i = table_of(Incident).c
    first, last = _year_range(year)
    found: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    with db.session() as session:
        for base_id, row in _counted(session, [i.occurred_on >= first, i.occurred_on <= last]):
            key = (row.kind, row.severity)
            found[base_id][key] = found[base_id].get(key, 0) + 1
    return dict(found)


def incident_counts(db: Database, base_id: int, year: int) -> dict[tuple[str, str], int]:
    """(kind, severity) → how many incidents of ``year`` count for the base (:func:`counts_by_base`); kinds and
    severities with none are left out, so the sum of the values is the base's incidents of the year."""
    return counts_by_base(db, year).get(base_id, {})


def open_serious(db: Database, base_id: int | None = None, *, on: dt.date | None = None) -> list[IncidentRow]:
    """Serious incidents open on ``on`` (default today) that count for the base (all of them when ``base_id``
    is None), oldest first: what flags a base for review whatever year they happened in."""
    day = on or dt.date.today()
    i = table_of(Incident).c
    where: list[Any] = [
        i.severity == SERIOUS,
        i.occurred_on <= day,
        or_(i.closed_on.is_(None), i.closed_on > day),
    ]
    with db.session() as session:
        if base_id is None:
            rows = _rows(session, where)
        else:
            rows = [row for counted, row in _counted(session, where) if counted == base_id]
    return sorted(rows, key=lambda r: (r.occurred_on, r.id))


# -- checking and writing ---------------------------------------------------------------------------------------


def _lock_batch(session: Session, batch_id: int) -> Batch:
    session.exec(select(Batch.id).where(Batch.id == batch_id).with_for_update()).all()
    batch = get_or_raise(session, Batch, batch_id)
    session.refresh(batch)
    return batch


def _lock_incident(session: Session, incident_id: int) -> Incident:
    session.exec(select(Incident.id).where(Incident.id == incident_id).with_for_update()).all()
    found = session.get(Incident, incident_id)
    if found is None:
        raise NotFoundError("incident.unknown", record="incident", id=incident_id)
    session.refresh(found)
    return found


@dataclass(frozen=True)
class _Checked:
    values: dict[str, Any]
    people: tuple[InvolvedPerson, ...]
    batch: Batch | None
    base: Base | None
    label: str


def _check(
    session: Session,
    user: str,
    data: IncidentInput,
    *,
    closed_on: dt.date | None = None,
    kept: IncidentRow | None = None,
) -> _Checked:
    """The incident's stored values, or a refusal naming the field and what to do.  ``kept``: the incident as
    stored (an edit): the base it names stays acceptable though the batch's lodging or itinerary no longer goes
    there (a record keeps what it was recorded with until that is changed)."""
    table = "incident"
    kind = choice(table, "kind", str(data.kind or "").strip(), KINDS)
    severity = choice(table, "severity", str(data.severity or "").strip(), SEVERITIES)
    summary = clean_text(table, "summary", data.summary, max_length=SUMMARY_MAX, required=True)
    texts = {
        name: clean_text(table, name, getattr(data, name), max_length=TEXT_MAX, multiline=True)
        for name in ("details", "action_taken", "outcome", "follow_up")
    }
    others = clean_text(table, "others", data.others, max_length=OTHERS_MAX)
    reporter = user if data.reported_by is None else data.reported_by
    reported_by = clean_text(table, "reported_by", reporter, max_length=REPORTER_MAX)
    if data.batch_id is None and data.base_id is None:
        raise ValidationError("incident.no_subject", field="batch_id", record=table)
    batch = _lock_batch(session, data.batch_id) if data.batch_id is not None else None
    base = get_or_raise(session, Base, data.base_id) if data.base_id is not None else None
    day, today = data.occurred_on, dt.date.today()
    name = incident_label(batch.code if batch else "", base.name if base else "", day, kind)
    if day > today:
        raise ValidationError(
            "incident.future", field="occurred_on", record=table, day=day.isoformat(), today=today.isoformat()
        )
    if batch is not None:
        earliest = batch.arrival - dt.timedelta(days=EARLY_DAYS)
        if day < earliest:
            raise ValidationError(
                "incident.too_early",
                field="occurred_on",
                record=table,
                day=day.isoformat(),
                code=batch.code,
                arrival=batch.arrival.isoformat(),
                earliest=earliest.isoformat(),
            )
    elif day < EARLIEST_DAY:
        raise ValidationError(
            "incident.too_old",
            field="occurred_on",
            record=table,
            day=day.isoformat(),
            earliest=EARLIEST_DAY.isoformat(),
        )
    same_batch = kept is not None and batch is not None and kept.batch_id == batch.id
    if (
        batch is not None
        and base is not None
        and not (same_batch and kept is not None and kept.base_id == base.id)
    ):
        assert batch.id is not None
        visited = _batch_bases(session, batch.id)
        if base.id not in {base_id for base_id, _name in visited}:
            if not visited:
                raise ValidationError(
                    "incident.base_none_visited",
                    field="base_id",
                    record=table,
                    code=batch.code,
                    base=base.name,
                )
            raise ValidationError(
                "incident.base_not_visited",
                field="base_id",
                record=table,
                code=batch.code,
                base=base.name,
                bases=messages.join([n for _i, n in visited]),
            )
    people = _check_people(session, batch, data.participant_ids)
    due = data.follow_up_due
    if due is not None:
        if not texts["follow_up"]:
            raise ValidationError(
                "incident.due_without_follow_up",
                field="follow_up",
                record=table,
                name=name,
                due=due.isoformat(),
            )
        if due < day:
            raise ValidationError(
                "incident.due_before",
                field="follow_up_due",
                record=table,
                name=name,
                due=due.isoformat(),
                day=day.isoformat(),
            )
    if closed_on is not None:  # an edit of a closed incident keeps what closing asked for
        if day > closed_on:
            raise ValidationError(
                "incident.closed_edit_date",
                field="occurred_on",
                record=table,
                name=name,
                closed=closed_on.isoformat(),
                day=day.isoformat(),
            )
        if not texts["outcome"]:
            raise ValidationError("incident.closed_outcome", field="outcome", record=table, name=name)
    values: dict[str, Any] = {
        "batch_id": batch.id if batch else None,
        "base_id": base.id if base else None,
        "occurred_on": day,
        "kind": kind,
        "severity": severity,
        "summary": summary,
        **texts,
        "others": others,
        "follow_up_due": due,
        "reported_by": reported_by,
    }
    return _Checked(values, people, batch, base, name)


def _check_people(session: Session, batch: Batch | None, ids: Iterable[int]) -> tuple[InvolvedPerson, ...]:
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if not wanted:
        return ()
    if batch is None:
        raise ValidationError("incident.people_without_batch", field="participants", record="incident")
    found = {p.id: p for p in session.exec(select(Participant).where(col(Participant.id).in_(wanted))).all()}
    people = []
    for person_id in wanted:
        person = found.get(person_id)
        if person is None:
            raise ValidationError(
                "incident.person_gone", field="participants", record="incident", id=person_id
            )
        if person.batch_id != batch.id:
            raise ValidationError(
                "incident.person_not_on_roster",
                field="participants",
                record="incident",
                name=person.name,
                id=person.id_masked,
                code=batch.code,
            )
        people.append(InvolvedPerson(person_id, person.name, person.id_masked or "", person.companion))
    return tuple(people)


def _people_text(people: Iterable[InvolvedPerson]) -> str:
    """The people as the audit log keeps them (Chinese, as the records are): 张三（330182********0011）、李四（…）."""
    return "、".join(f"{p.name}（{p.masked_id}）" for p in people)


def _set_people(session: Session, incident_id: int, people: Sequence[InvolvedPerson]) -> None:
    session.execute(sa_delete(IncidentPerson).where(col(IncidentPerson.incident_id) == incident_id))
    for person in people:
        session.add(IncidentPerson(incident_id=incident_id, participant_id=person.participant_id))
    session.flush()


def record_incident(db: Database, data: IncidentInput) -> IncidentRow:
    """Record an incident (audited); refused, naming the field, when a rule above is broken."""
    with db.session(write=True) as session:
        lock_people(session)  # before the batch's row, as every roster write takes it
        checked = _check(session, db.user, data)
        incident = create_audited(session, db.user, Incident(**checked.values), checked.label)
        assert incident.id is not None
        if checked.people:
            _set_people(session, incident.id, checked.people)
            audit(
                session,
                db.user,
                "update",
                "incident",
                incident.id,
                checked.label,
                "involved",
                None,
                _people_text(checked.people),
            )
        return _one(session, incident.id)


def update_incident(db: Database, incident_id: int, version: int, data: IncidentInput) -> IncidentRow:
    """Change the incident loaded at ``version`` (a stale edit is refused, naming who saved first); every
    changed field is audited, the people as ``involved``.  A closed incident keeps an outcome and a date not
    after its closing."""
    with db.session(write=True) as session:
        lock_people(session)
        stored = _lock_incident(session, incident_id)
        before = _one(session, incident_id)
        refuse_stale("incident", before.label, stored, version)
        checked = _check(session, db.user, data, closed_on=stored.closed_on, kept=before)
        old_people = {p.participant_id for p in before.people}
        new_people = {p.participant_id for p in checked.people}
        moved = old_people != new_people
        update_versioned(
            session, Incident, incident_id, version, checked.values, db.user, checked.label, force=moved
        )
        if moved:
            _set_people(session, incident_id, checked.people)
            audit(
                session,
                db.user,
                "update",
                "incident",
                incident_id,
                checked.label,
                "involved",
                _people_text(before.people),
                _people_text(checked.people),
            )
        return _one(session, incident_id)


def close_incident(
    db: Database,
    incident_id: int,
    version: int,
    *,
    outcome: str | None = None,
    on: dt.date | None = None,
) -> IncidentRow:
    """Close the incident on ``on`` (default today) with its outcome (``outcome`` replaces the stored one; one
    of the two is required); ``closed_by`` is the desk's user."""
    with db.session(write=True) as session:
        stored = _lock_incident(session, incident_id)
        row = _one(session, incident_id)
        refuse_stale("incident", row.label, stored, version)
        if stored.closed_on is not None:
            raise RuleViolation(
                "incident.already_closed",
                record="incident",
                name=row.label,
                closed=stored.closed_on.isoformat(),
                user=stored.closed_by or "?",
            )
        text = stored.outcome
        if outcome is not None and outcome.strip():
            text = clean_text("incident", "outcome", outcome, max_length=TEXT_MAX, multiline=True)
        if not text.strip():
            raise ValidationError(
                "incident.outcome_required", field="outcome", record="incident", name=row.label
            )
        day, today = on or dt.date.today(), dt.date.today()
        if day < stored.occurred_on:
            raise ValidationError(
                "incident.closed_before",
                field="closed_on",
                record="incident",
                name=row.label,
                closed=day.isoformat(),
                day=stored.occurred_on.isoformat(),
            )
        if day > today:
            raise ValidationError(
                "incident.closed_future",
                field="closed_on",
                record="incident",
                name=row.label,
                closed=day.isoformat(),
                today=today.isoformat(),
            )
        update_versioned(
            session,
            Incident,
            incident_id,
            version,
            {"outcome": text, "closed_on": day, "closed_by": db.user},
            db.user,
            row.label,
        )
        return _one(session, incident_id)


def reopen_incident(db: Database, incident_id: int, version: int, reason: str) -> IncidentRow:
    """Open a closed incident again, with the reason (audited as ``reopen_reason``); the outcome stays."""
    with db.session(write=True) as session:
        stored = _lock_incident(session, incident_id)
        row = _one(session, incident_id)
        refuse_stale("incident", row.label, stored, version)
        if stored.closed_on is None:
            raise RuleViolation("incident.not_closed", record="incident", name=row.label)
        why = clean_text("incident", "reason", reason, max_length=400)
        if not why:
            raise ValidationError(
                "incident.reason_required", field="reason", record="incident", name=row.label
            )
        update_versioned(
            session, Incident, incident_id, version, {"closed_on": None, "closed_by": ""}, db.user, row.label
        )
        audit(session, db.user, "update", "incident", incident_id, row.label, "reopen_reason", None, why)
        return _one(session, incident_id)


def recorded_by(session: Session, incident_id: int) -> str:
    """Who recorded the incident: the user of its creation in the audit log ("" when the log has none)."""
    found = session.exec(
        select(AuditEntry.user)
        .where(
            AuditEntry.table_name == "incident",
            AuditEntry.record_id == incident_id,
            AuditEntry.action == "create",
        )
        .order_by(col(AuditEntry.id))
    ).first()
    return found or ""


def delete_incident(db: Database, incident_id: int, version: int, reason: str) -> None:
    """Delete an incident recorded by mistake: only while open, only by the user who recorded it, with the
    reason (the audit log keeps the incident's summary and the reason)."""
    with db.session(write=True) as session:
        stored = _lock_incident(session, incident_id)
        row = _one(session, incident_id)
        refuse_stale("incident", row.label, stored, version)
        if stored.closed_on is not None:
            raise RuleViolation("incident.delete_closed", record="incident", name=row.label)
        author = recorded_by(session, incident_id)
        if author and author != db.user:
            raise RuleViolation("incident.delete_not_yours", record="incident", name=row.label, user=author)
        why = clean_text("incident", "reason", reason, max_length=400)
        if not why:
            raise ValidationError("incident.delete_reason", field="reason", record="incident", name=row.label)
        session.execute(sa_delete(IncidentPerson).where(col(IncidentPerson.incident_id) == incident_id))
        session.delete(stored)
        session.flush()
        audit(
            session,
            db.user,
            "delete",
            "incident",
            incident_id,
            row.label,
            "delete_reason",
            f"{row.summary}（{_people_text(row.people)}）" if row.people else row.summary,
            why,
        )


# -- the command line's lookups -----------------------------------------------------------------------------------


def find_batch_id(db: Database, code: str) -> int:
    with db.session() as session:
        found = session.exec(select(Batch.id).where(Batch.code == code.strip())).first()
    if found is None:
        raise NotFoundError("order.unknown_batch", field="batch", batch=code.strip())
    return int(found)


def find_base_id(db: Database, name: str) -> int:
    """A base by its name, spaces and full-width forms aside."""
    from recuperation.services.rates import fold_name

    with db.session() as session:
        exact = session.exec(select(Base.id).where(Base.name == name.strip())).first()
        if exact is not None:
            return int(exact)
        wanted = fold_name(name)
        for base_id, base_name in session.exec(select(Base.id, Base.name)).all():
            if fold_name(base_name) == wanted:
                return int(base_id)  # type: ignore[arg-type]
    raise NotFoundError("order.unknown_base", field="base", base=name.strip())


def find_people(db: Database, batch_id: int, wanted: Sequence[str]) -> tuple[int, ...]:
    """Participants of the batch named by a full ID number, its last four or more characters, or a name on the
    roster; refused naming what matched nothing or more than one person (masked).  The numbers are matched
    by their keys and masks (services/identity.py), never read."""
    plain = identity.plain_keys(db)
    typed = ["".join(str(text).split()).upper() for text in wanted]
    with db.session() as session:
        batch = get_or_raise(session, Batch, batch_id)
        roster = session.exec(select(Participant).where(Participant.batch_id == batch_id)).all()
        keys = {} if plain else identity.keys_of(db, session, [t for t in typed if len(t) == 18])
    found: list[int] = []
    for text, number in zip(wanted, typed, strict=True):
        by_number = (
            [
                p
                for p in roster
                if (
                    identity.number_matches(
                        number, p.id_masked or "", p.id_key or "", plain, keys.get(number, "")
                    )
                    if len(number) == 18
                    else identity.suffix_matches(number, p.id_masked or "", p.id_key or "", plain)
                )
            ]
            if len(number) >= 4 and all(c.isdigit() or c == "X" for c in number)
            else []
        )
        matches = by_number or [p for p in roster if p.name == str(text).strip()]
        if not matches:
            raise ValidationError(
                "incident.person_not_found",
                field="participants",
                record="incident",
                code=batch.code,
                value=mask_in_text(str(text)),
            )
        if len(matches) > 1:
            raise ValidationError(
                "incident.person_ambiguous",
                field="participants",
                record="incident",
                code=batch.code,
                value=mask_in_text(str(text)),
                count=len(matches),
                people=messages.join([f"{p.name} {p.id_masked}" for p in matches]),
            )
        assert matches[0].id is not None
        found.append(matches[0].id)
    return tuple(dict.fromkeys(found))


# -- the overview -----------------------------------------------------------------------------------------------


def incident_alerts(db: Database, today: dt.date) -> list[Alert]:
    """``incident_open`` (severe): each serious incident open on ``today``; ``incident_follow_up``: each other
    open incident whose follow-up was due before ``today``.  An alert opens the batch, else the base."""
    from recuperation.services.alerts import Alert

    i = table_of(Incident).c
    open_then = and_(i.occurred_on <= today, or_(i.closed_on.is_(None), i.closed_on > today))
    wanted = and_(open_then, or_(i.severity == SERIOUS, i.follow_up_due < today))
    with db.session() as session:
        rows = _rows(session, [wanted])
    alerts: list[Alert] = []
    for row in sorted(rows, key=lambda r: (r.occurred_on, r.id)):
        table, key, subject = (
            ("batch", row.batch_id, row.batch_code) if row.batch_id else ("base", row.base_id, row.base)
        )
        kind = label("incident_kind", row.kind)
        overdue_days = (today - row.follow_up_due).days if row.overdue(today) and row.follow_up_due else 0
        if row.serious:
            days = row.days_open(today)
            opened = (
                messages.text("alert.incident_days_open", days=days)
                if days
                else messages.text("alert.incident_open_today")
            )
            overdue = (
                messages.text("alert.incident_overdue", due=messages.day_text(row.follow_up_due))
                if row.follow_up_due is not None and overdue_days
                else ""
            )
            message = messages.text(
                "alert.incident_open",
                where=row.where,
                day=messages.day_text(row.occurred_on),
                kind=kind,
                summary=messages.shown(mask_in_text(row.summary)),
                open=opened,
                overdue=overdue,
                id=row.id,
            )
            numbers = {"incident": row.id, "days_open": days, "overdue_days": overdue_days}
            alerts.append(
                Alert("incident_open", table, key, subject, row.occurred_on, True, message, numbers)
            )
        elif row.follow_up_due is not None:
            message = messages.text(
                "alert.incident_follow_up",
                where=row.where,
                day=messages.day_text(row.occurred_on),
                kind=kind,
                severity=label("severity", row.severity),
                summary=messages.shown(mask_in_text(row.summary)),
                due=messages.day_text(row.follow_up_due),
                days=overdue_days,
                follow_up=messages.shown(mask_in_text(row.follow_up)),
            )
            numbers = {"incident": row.id, "days_open": row.days_open(today), "overdue_days": overdue_days}
            alerts.append(
                Alert("incident_follow_up", table, key, subject, row.follow_up_due, False, message, numbers)
            )
    return alerts
