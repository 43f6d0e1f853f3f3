"""A base's scorecard (评分表) for a year, and the satisfaction figures of the statistics: the evidence a base's
re-check (复核) panel reads (docs/domain.md, *Scorecard and the re-check file*).

What a year's figures of a base count:

- **Ratings**: the stars (1–5) of the FeedbackRating rows that name the base, of responses whose batch arrived
  in the year and is not cancelled; per dimension the sum of the stars and how many ratings — the mean is
  shown to one decimal, rounded half up (``Rating.tenths``), and compared as shown. **Responses**: the
  questionnaires that rated the base on anything.
- **Incidents** that occurred in the year at the base: those naming it, and those naming no base whose batch
  lodged at the base on the night of the day it happened (else the night before: the day it left), the base
  with the most people that night.  An incident naming another base, or none and a batch that lodged nowhere
  that night, is not the base's.  **Open serious incidents** are the base's serious incidents not closed yet
  that occurred by the year's end (one from an earlier year still open counts: it is still open).
- **Utilisation**: the statistics' 基地利用率 (``statistics.utilisation``), bed-nights used of beds × nights.
- **Batches and people received**: batches arriving in the year, not cancelled, of every kind, that lodged
  at the base (a batch at two bases counts at each); people are the members who attended once the roll
  call is closed, else the roster's members, else the headcount (``statistics.batch_attendance``);
  companions are counted apart (those on the roster not marked a no-show).
- **Inspection**: the base's latest inspection dated in the year: clauses met, not met, not applicable and
  not checked, and the 应 (shall) clauses not met.
- **Certification**: the base's most relevant certification as the bases list shows it, and its state today
  (whatever the card's year: a past year's card says so, "认定状态（今天）"; the level and that state are the
  one statement of it, as the bases list shows them, never the certification's recorded status beside it).
- A year with no figure at all for the base (:attr:`YearFigures.has_figures`) is shown as no data (—), not
  as zeros, and gives no trend.

**Flags** (复核关注): ``low_rating`` — the overall mean below the policy's ``review_min_overall`` on at least
``review_min_responses`` overall ratings; ``open_serious`` — a serious incident still open; ``shall_not_met``
— a shall clause not met in the latest inspection.  Each flag carries its reason.

Everything is read with a handful of queries for every base at once (:func:`scorecards`); one base's card
runs the same queries restricted to it (:func:`scorecard`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from recuperation import messages
from recuperation.errors import NotFoundError
from recuperation.models import (
    Base,
    Batch,
    BatchStatus,
    ClauseResult,
    Dimension,
    FeedbackRating,
    FeedbackResponse,
    Incident,
    IncidentKind,
    IncidentPerson,
    Inspection,
    InspectionItem,
    Lodging,
    Participant,
    Partner,
    Route,
    Severity,
    Strength,
    table_of,
)
from recuperation.money import round_half_up
from recuperation.people import mask_in_text
from recuperation.services import bases as base_service
from recuperation.services.feedback import response_rates
from recuperation.services.incidents import night_bases_of
from recuperation.services.policy import Policy, get_policy
from recuperation.services.statistics import Period, batch_attendance, utilisation
from recuperation.sorting import pinyin_key
from recuperation.storage.database import Database

#: Trends of a dimension against the year before, as shown (one decimal).
UP, DOWN, SAME = "up", "down", "same"
#: The flags, in the order they are listed.
FLAGS = ("low_rating", "open_serious", "shall_not_met")
#: Comments the re-check file samples, most recent first.
COMMENT_SAMPLE = 20
#: The IN lists' size.
CHUNK = 500


# -- figures ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    """The stars one dimension got: their sum and how many ratings; the mean is ``stars / count``."""

    dimension: str
    stars: int = 0
    count: int = 0

    @property
    def tenths(self) -> int | None:
        """The mean in tenths of a star, rounded half up (4.25 → 43), or None without ratings."""
        return round_half_up(self.stars * 10, self.count) if self.count else None

    @property
    def mean_text(self) -> str:
        """The mean as shown: 4.3, or — without ratings."""
        tenths = self.tenths
        return "—" if tenths is None else f"{tenths // 10}.{tenths % 10}"

    def plus(self, stars: int, count: int) -> Rating:
        return Rating(self.dimension, self.stars + stars, self.count + count)

    def to_json(self) -> dict[str, object]:
        return {
            "dimension": self.dimension,
            "stars": self.stars,
            "count": self.count,
            "mean": None if self.tenths is None else self.tenths / 10,
        }


def stars_text(tenths: int) -> str:
    return f"{tenths // 10}.{tenths % 10}"


def trend(this: Rating, last: Rating) -> str | None:
    """up / down / same comparing the means as shown (one decimal); None when either year has no rating."""
    if this.tenths is None or last.tenths is None:
        return None
    if this.tenths > last.tenths:
        return UP
    return DOWN if this.tenths < last.tenths else SAME


@dataclass(frozen=True)
class IncidentLine:
    """One incident of a base: ``named`` says whether the record names the base (else it was the batch's
    lodging that night); ``people`` are the participants involved, each “name（masked ID）”."""

    id: int
    occurred_on: dt.date
    kind: str
    severity: str
    summary: str
    batch: str  # the batch's code, "" when none
    named: bool
    closed_on: dt.date | None
    people: tuple[str, ...] = ()
    others: str = ""
    action_taken: str = ""
    outcome: str = ""
    follow_up: str = ""

    @property
    def open(self) -> bool:
        return self.closed_on is None

    @property
    def open_serious(self) -> bool:
        return self.open and self.severity == Severity.SERIOUS.value

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "occurred_on": self.occurred_on.isoformat(),
            "kind": self.kind,
            "severity": self.severity,
            "summary": self.summary,
            "batch": self.batch,
            "named": self.named,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "people": list(self.people),
        }


@dataclass(frozen=True)
class ClauseLine:
    code: str
    element: str
    requirement: str
    strength: str
    result: str | None  # met, not_met, na; None: not checked
    note: str
    checked_on: dt.date | None


@dataclass(frozen=True)
class InspectionSummary:
    """One inspection of a base: its counts and its 应 (shall) clauses not met; ``clauses`` in the standard's
    order (filled for the re-check file, empty on a scorecard)."""

    id: int
    on_date: dt.date
    kind: str
    standard: str
    inspectors: str
    conclusion: str
    met: int = 0
    not_met: int = 0
    na: int = 0
    unchecked: int = 0
    shall_not_met: tuple[str, ...] = ()  # the clauses' codes
    clauses: tuple[ClauseLine, ...] = ()

    @property
    def total(self) -> int:
        return self.met + self.not_met + self.na + self.unchecked

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "on_date": self.on_date.isoformat(),
            "kind": self.kind,
            "standard": self.standard,
            "met": self.met,
            "not_met": self.not_met,
            "na": self.na,
            "unchecked": self.unchecked,
            "shall_not_met": list(self.shall_not_met),
        }


@dataclass(frozen=True)
class YearFigures:
    """A base's figures of one year (see the module's docstring for what each counts)."""

    year: int
    start: dt.date
    end: dt.date
    ratings: tuple[Rating, ...]  # the policy's dimensions in order, then any other rated
    responses: int = 0
    incidents: tuple[IncidentLine, ...] = ()
    open_serious: tuple[IncidentLine, ...] = ()  # open serious incidents that occurred by the year's end
    beds: int = 0
    bed_nights_used: int = 0
    bed_nights_available: int = 0
    batches: int = 0
    planned_people: int = 0
    people: int = 0  # attended after the roll call, else planned (members only)
    companions: int = 0
    inspection: InspectionSummary | None = None

    def rating(self, dimension: str) -> Rating:
        return next((r for r in self.ratings if r.dimension == dimension), Rating(dimension))

    @property
    def overall(self) -> Rating:
        return self.rating(Dimension.OVERALL.value)

    @property
    def has_figures(self) -> bool:
        """Whether the year has any figure for the base: a batch received, a rating, an incident or an
        inspection.  A year without any is "no data" (—), never a row of zeros as if the base stood empty."""
        return bool(
            self.batches
            or self.responses
            or self.incidents
            or self.inspection is not None
            or any(r.count for r in self.ratings)
        )

    @property
    def utilisation_rate(self) -> float:
        return self.bed_nights_used / self.bed_nights_available if self.bed_nights_available else 0.0

    @property
    def utilisation_text(self) -> str:
        """25.2% (bed-nights used ÷ available, one decimal), or — for a base without beds."""
        if not self.bed_nights_available:
            return "—"
        tenths = round_half_up(self.bed_nights_used * 1000, self.bed_nights_available)
        return f"{tenths // 10}.{tenths % 10}%"

    def by_kind(self) -> dict[str, int]:
        """Incidents per kind, every kind in its order (0 where none)."""
        counts = dict.fromkeys(IncidentKind.values(), 0)
        for incident in self.incidents:
            counts[incident.kind] = counts.get(incident.kind, 0) + 1
        return counts

    def by_severity(self) -> dict[str, int]:
        counts = dict.fromkeys(Severity.values(), 0)
        for incident in self.incidents:
            counts[incident.severity] = counts.get(incident.severity, 0) + 1
        return counts

    def kind_severity(self, kind: str, severity: str) -> int:
        return sum(1 for i in self.incidents if i.kind == kind and i.severity == severity)

    @property
    def open_incidents(self) -> int:
        return sum(1 for i in self.incidents if i.open)

    @property
    def response_rate_text(self) -> str:
        """Responses ÷ people received, as a percentage with one decimal (— without people)."""
        if not self.people:
            return "—"
        tenths = round_half_up(self.responses * 1000, self.people)
        return f"{tenths // 10}.{tenths % 10}%"

    def to_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "has_figures": self.has_figures,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "ratings": [r.to_json() for r in self.ratings],
            "responses": self.responses,
            "incidents": {
                "count": len(self.incidents),
                "open": self.open_incidents,
                "by_kind": self.by_kind(),
                "by_severity": self.by_severity(),
                "open_serious": [i.id for i in self.open_serious],
            },
            "utilisation": {
                "beds": self.beds,
                "bed_nights_used": self.bed_nights_used,
                "bed_nights_available": self.bed_nights_available,
            },
            "batches": self.batches,
            "planned_people": self.planned_people,
            "people": self.people,
            "companions": self.companions,
            "inspection": self.inspection.to_json() if self.inspection else None,
        }


@dataclass(frozen=True)
class Flag:
    """Why a base is flagged for review: ``rule`` one of :data:`FLAGS`, ``params`` the figures its sentence
    names."""

    rule: str
    params: tuple[tuple[str, object], ...] = ()

    def message(self, language: str | None = None) -> str:
        """The reason in ``language`` (the messages' own by default), its dates and numbers written as the
        language writes them elsewhere (2021年11月18日, 5,052) and its clauses listed with the language's
        separator (1.2、3.5 / 1.2, 3.5)."""
        language = language or messages.language()
        zh, en = messages.CATALOGUE[f"scorecard.flag.{self.rule}"]
        params: dict[str, object] = {}
        for name, value in self.params:
            if isinstance(value, dt.date):
                value = messages.day_text(value, language=language)
            elif isinstance(value, tuple):
                value = ("、" if language == "zh" else ", ").join(str(v) for v in value)
            elif isinstance(value, str):
                value = messages.printable(value)
            params[name] = value
        return _fill(en if language == "en" else zh, params)

    def to_json(self) -> dict[str, object]:
        """The flag's figures as JSON: days as ISO dates, clauses joined with 、 (as before)."""
        found: dict[str, object] = {}
        for name, value in self.params:
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = "、".join(str(v) for v in value)
            found[name] = value
        return found


def _fill(template: str, params: dict[str, object]) -> str:
    """A catalogue template filled in: its counted nouns (``{count:rating|ratings}``) chosen by the count as
    :func:`messages.text` chooses them, and every whole number written with thousands separators (5,052)."""

    def noun(match: re.Match[str]) -> str:
        value = params[match[1]]
        shown = f"{value:,}" if isinstance(value, int) else str(value)
        return f"{shown} {match[2] if value == 1 else match[3]}"

    numbers = {
        k: f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else v for k, v in params.items()
    }
    return re.sub(r"\{(\w+):([^|{}]*)\|([^{}]*)\}", noun, template).format(**numbers)


@dataclass(frozen=True)
class DimensionLine:
    dimension: str
    this: Rating
    last: Rating

    @property
    def trend(self) -> str | None:
        return trend(self.this, self.last)


@dataclass(frozen=True)
class Certificate:
    """The base's most relevant certification (valid today if any, else the latest) and its state today
    (``bases.BaseRow.cert_state``: none, pending, valid, recheck_due, lapsing, lapsed)."""

    level: str = ""
    status: str = ""
    valid_to: dt.date | None = None
    recheck_due: dt.date | None = None
    state: str = "none"


def certification_state(
    status: str, valid_to: dt.date | None, recheck_due: dt.date | None, day: dt.date | None = None
) -> str:
    """A certification's state on ``day`` (today) exactly as the bases list computes it
    (``bases.BaseRow.cert_state``): none, pending, valid, recheck_due, lapsing, lapsed."""
    row = base_service.BaseRow(
        0, "", "", "", "", "", "", 0, 0, 0, 0, "", False, 0, "", status, valid_to, recheck_due
    )
    return row.cert_state(day or dt.date.today())


@dataclass(frozen=True)
class Scorecard:
    base_id: int
    base: str
    year: int
    this: YearFigures
    last: YearFigures
    certificate: Certificate
    flags: tuple[Flag, ...] = ()
    dimensions: tuple[str, ...] = field(default=())  # the rows of the ratings table, in order

    @property
    def review(self) -> bool:
        return bool(self.flags)

    @property
    def lines(self) -> list[DimensionLine]:
        return [DimensionLine(d, self.this.rating(d), self.last.rating(d)) for d in self.dimensions]

    def to_json(self) -> dict[str, object]:
        cert = self.certificate
        return {
            "base_id": self.base_id,
            "base": self.base,
            "year": self.year,
            "review": self.review,
            "flags": [{"rule": f.rule, "reason": f.message(), **f.to_json()} for f in self.flags],
            "trends": {line.dimension: line.trend for line in self.lines},
            "certification": {
                "level": cert.level,
                "status": cert.status,
                "valid_to": cert.valid_to.isoformat() if cert.valid_to else None,
                "recheck_due": cert.recheck_due.isoformat() if cert.recheck_due else None,
                "state": cert.state,
            },
            "this_year": self.this.to_json(),
            "last_year": self.last.to_json(),
        }


# -- reading -----------------------------------------------------------------------------------------------------


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _live_in(period: Period) -> Any:
    b = table_of(Batch).c
    return (b.arrival >= period.start) & (b.arrival <= period.end) & (b.status != BatchStatus.CANCELLED.value)


def _answered_in(period: Period) -> Any:
    """The ids of the responses whose batch arrived in the period and is not cancelled: the ratings are read
    through this list (their response_id index), not by scanning every year's ratings."""
    rs, b = table_of(FeedbackResponse).c, table_of(Batch).c
    return select(rs.id).join(table_of(Batch), b.id == rs.batch_id).where(_live_in(period))


def _ratings(
    conn: Connection, period: Period, base_ids: list[int] | None
) -> tuple[dict[int, dict[str, Rating]], dict[int, int]]:
    """Per base (every one, or ``base_ids``): each dimension's stars and count; and how many responses rated
    the base."""
    fr = table_of(FeedbackRating).c
    where = fr.response_id.in_(_answered_in(period)) & fr.base_id.is_not(None)
    if base_ids is not None:
        where = where & fr.base_id.in_(base_ids)
    ratings: dict[int, dict[str, Rating]] = defaultdict(dict)
    for base_id, dimension, stars, count in conn.execute(
        select(fr.base_id, fr.dimension, func.sum(fr.stars), func.count())
        .where(where)
        .group_by(fr.base_id, fr.dimension)
    ):
        ratings[int(base_id)][dimension] = Rating(dimension, int(stars or 0), int(count))
    responses = {
        int(base_id): int(n)
        for base_id, n in conn.execute(
            select(fr.base_id, func.count(func.distinct(fr.response_id))).where(where).group_by(fr.base_id)
        )
    }
    return ratings, responses


def _lodged(conn: Connection, batch_ids: Sequence[int], only: int | None) -> dict[int, set[int]]:
    """The bases each batch lodged people at (a row of 0 people lodges nobody there)."""
    lo = table_of(Lodging).c
    bases_of: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(batch_ids):
        where = lo.batch_id.in_(chunk) & (lo.people > 0)
        if only is not None:
            where = where & (lo.base_id == only)
        for batch_id, base_id in conn.execute(select(lo.batch_id, lo.base_id).where(where).distinct()):
            bases_of[int(batch_id)].add(int(base_id))
    return bases_of


def _companions(conn: Connection, batch_ids: Sequence[int]) -> dict[int, int]:
    """Companions on each batch's roster who were not marked a no-show."""
    p = table_of(Participant).c
    found: dict[int, int] = {}
    for chunk in _chunks(batch_ids):
        for batch_id, n in conn.execute(
            select(p.batch_id, func.count())
            .where(
                p.batch_id.in_(chunk),
                p.companion == True,  # noqa: E712 (SQL)
                p.attendance != "no_show",
            )
            .group_by(p.batch_id)
        ):
            found[int(batch_id)] = int(n)
    return found


def _incidents(conn: Connection, period: Period, only: int | None) -> dict[int, list[IncidentLine]]:
    """The incidents of each base that occurred in the period, and its serious ones still open that occurred
    before it (marked by their date), people masked."""
    i, b = table_of(Incident).c, table_of(Batch).c
    when = (i.occurred_on >= period.start) & (i.occurred_on <= period.end)
    still_open = (
        (i.occurred_on < period.start) & i.closed_on.is_(None) & (i.severity == Severity.SERIOUS.value)
    )
    where = when | still_open
    at_base = i.base_id.is_not(None) if only is None else (i.base_id == only)
    where = where & or_(at_base, and_(i.base_id.is_(None), i.batch_id.is_not(None)))
    rows = conn.execute(
        select(
            i.id,
            i.occurred_on,
            i.kind,
            i.severity,
            i.summary,
            b.code,
            i.base_id,
            i.batch_id,
            i.closed_on,
            i.others,
            i.action_taken,
            i.outcome,
            i.follow_up,
        )
        .select_from(table_of(Incident).outerjoin(table_of(Batch), b.id == i.batch_id))
        .where(where)
        .order_by(i.occurred_on, i.id)
    ).all()
    night = night_bases_of(conn, {(int(r[7]), r[1]) for r in rows if r[6] is None})
    people: dict[int, list[str]] = defaultdict(list)
    ip, p = table_of(IncidentPerson).c, table_of(Participant).c
    ids = [int(r[0]) for r in rows]
    for chunk in _chunks(ids):
        for incident_id, name, masked in conn.execute(
            select(ip.incident_id, p.name, p.id_masked)
            .join(table_of(Participant), p.id == ip.participant_id)
            .where(ip.incident_id.in_(chunk))
            .order_by(ip.incident_id, p.name, p.id)
        ):
            people[int(incident_id)].append(f"{name}（{masked}）" if masked else name)
    found: dict[int, list[IncidentLine]] = defaultdict(list)
    for (
        incident_id,
        occurred_on,
        kind,
        severity,
        summary,
        code,
        base_id,
        batch_id,
        closed_on,
        others,
        action_taken,
        outcome,
        follow_up,
    ) in rows:
        named = base_id is not None
        base = base_id if named else night.get((int(batch_id), occurred_on))
        if base is None or (only is not None and base != only):
            continue
        found[int(base)].append(
            IncidentLine(
                int(incident_id),
                occurred_on,
                kind,
                severity,
                mask_in_text(summary),
                code or "",
                named,
                closed_on,
                tuple(people.get(int(incident_id), ())),
                mask_in_text(others or ""),
                mask_in_text(action_taken or ""),
                mask_in_text(outcome or ""),
                mask_in_text(follow_up or ""),
            )
        )
    return found


def _inspections(
    conn: Connection, base_ids: Iterable[int] | None, where: Any, *, clauses: bool = False
) -> list[tuple[int, InspectionSummary]]:
    """Inspections matching ``where`` (of ``base_ids`` when given) with their counts, by date."""
    ins, it = table_of(Inspection).c, table_of(InspectionItem).c
    if base_ids is not None:
        where = where & ins.base_id.in_(list(base_ids))
    heads = conn.execute(
        select(ins.id, ins.base_id, ins.on_date, ins.kind, ins.standard, ins.inspectors, ins.conclusion)
        .where(where)
        .order_by(ins.on_date, ins.id)
    ).all()
    items: dict[int, list[ClauseLine]] = defaultdict(list)
    for chunk in _chunks([int(h[0]) for h in heads]):
        for inspection_id, code, element, requirement, strength, result, note, checked_on in conn.execute(
            select(
                it.inspection_id,
                it.code,
                it.element,
                it.requirement,
                it.strength,
                it.result,
                it.note,
                it.checked_on,
            )
            .where(it.inspection_id.in_(chunk))
            .order_by(it.inspection_id, it.position, it.id)
        ):
            items[int(inspection_id)].append(
                ClauseLine(code, element, requirement, strength, result, note or "", checked_on)
            )
    found = []
    for inspection_id, base_id, on_date, kind, standard, inspectors, conclusion in heads:
        lines = items.get(int(inspection_id), [])
        results = [c.result for c in lines]
        found.append(
            (
                int(base_id),
                InspectionSummary(
                    int(inspection_id),
                    on_date,
                    kind,
                    standard or "",
                    inspectors or "",
                    mask_in_text(conclusion or ""),
                    met=results.count(ClauseResult.MET.value),
                    not_met=results.count(ClauseResult.NOT_MET.value),
                    na=results.count(ClauseResult.NOT_APPLICABLE.value),
                    unchecked=results.count(None),
                    shall_not_met=tuple(
                        c.code
                        for c in lines
                        if c.result == ClauseResult.NOT_MET.value and c.strength == Strength.SHALL.value
                    ),
                    clauses=tuple(lines) if clauses else (),
                ),
            )
        )
    return found


def _order(dimensions: Sequence[str], rated: Iterable[str]) -> tuple[str, ...]:
    """The policy's dimensions in order, then any other dimension rated (in the enumeration's order)."""
    extra = set(rated) - set(dimensions)
    return (*dimensions, *(d for d in Dimension.values() if d in extra))


def _year_figures(
    db: Database,
    year: int,
    base_ids: list[int] | None,
    dimensions: Sequence[str],
    period: Period | None = None,
) -> dict[int, YearFigures]:
    """Every base's (or the one base's) figures of ``year`` (or of ``period``, the figures' dates)."""
    period = period or Period.year(year)
    only = base_ids[0] if base_ids is not None and len(base_ids) == 1 else None
    attendance = batch_attendance(db, period)
    use = {u.base: u for u in utilisation(db, period)}
    ins = table_of(Inspection).c
    with db.engine.connect() as conn:
        names = dict(conn.execute(select(table_of(Base).c.id, table_of(Base).c.name)).all())
        ratings, responses = _ratings(conn, period, base_ids)
        incidents = _incidents(conn, period, only)
        lodged = _lodged(conn, list(attendance), only)
        companions = _companions(conn, [b for b in attendance if b in lodged])
        inspections = _inspections(
            conn, base_ids, (ins.on_date >= period.start) & (ins.on_date <= period.end)
        )
    latest: dict[int, InspectionSummary] = {}
    for base_id, summary in inspections:  # by date: the last one wins
        latest[base_id] = summary
    received: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # batches, planned, people, companions
    for batch_id, bases in lodged.items():
        one = attendance[batch_id]
        for base_id in bases:
            figures = received[base_id]
            figures[0] += 1
            figures[1] += one.planned_people
            figures[2] += one.attended_people
            figures[3] += companions.get(batch_id, 0)
    wanted = base_ids if base_ids is not None else list(names)
    found = {}
    for base_id in wanted:
        rated = ratings.get(base_id, {})
        order = _order(dimensions, rated)
        lines = incidents.get(base_id, [])
        in_year = tuple(i for i in lines if i.occurred_on >= period.start)
        open_serious = tuple(i for i in lines if i.open_serious)
        batches, planned, people, companions_here = received.get(base_id, [0, 0, 0, 0])
        used = use.get(names.get(base_id, ""))
        found[base_id] = YearFigures(
            year,
            period.start,
            period.end,
            tuple(rated.get(d, Rating(d)) for d in order),
            responses.get(base_id, 0),
            in_year,
            open_serious,
            used.beds if used else 0,
            used.bed_nights_used if used else 0,
            used.bed_nights_available if used else 0,
            batches,
            planned,
            people,
            companions_here,
            latest.get(base_id),
        )
    return found


def _flags(figures: YearFigures, policy: Policy) -> tuple[Flag, ...]:
    flags = []
    overall = figures.overall
    tenths = overall.tenths
    if (
        tenths is not None
        and overall.count >= policy.review_min_responses
        and tenths < policy.review_min_overall_tenths
    ):
        flags.append(
            Flag(
                "low_rating",
                (
                    ("mean", stars_text(tenths)),
                    ("count", overall.count),
                    ("least", stars_text(policy.review_min_overall_tenths)),
                    ("responses", policy.review_min_responses),
                ),
            )
        )
    if figures.open_serious:
        first = figures.open_serious[0]
        flags.append(
            Flag(
                "open_serious",
                (
                    ("count", len(figures.open_serious)),
                    ("day", first.occurred_on),
                    ("summary", messages.shown(first.summary, 40)),
                ),
            )
        )
    if figures.inspection is not None and figures.inspection.shall_not_met:
        flags.append(
            Flag(
                "shall_not_met",
                (
                    ("day", figures.inspection.on_date),
                    ("count", len(figures.inspection.shall_not_met)),
                    ("codes", tuple(figures.inspection.shall_not_met)),
                ),
            )
        )
    return tuple(flags)


def _certificates(db: Database) -> dict[int, tuple[str, Certificate]]:
    today = dt.date.today()
    return {
        row.id: (
            row.name,
            Certificate(
                row.cert_level,
                row.cert_status,
                row.cert_valid_to,
                row.cert_recheck_due,
                row.cert_state(today),
            ),
        )
        for row in base_service.list_bases(db, include_archived=True)
    }


def _cards(
    db: Database, period: Period, base_ids: list[int] | None, *, compare: bool = True
) -> list[Scorecard]:
    """The scorecards of ``period`` (a year, or part of one for the statistics), against the same dates a
    year before (``compare``; else the year before's figures are left empty: the overview's summary)."""
    policy = get_policy(db)
    year = period.start.year
    try:
        before = Period(period.start.replace(year=year - 1), period.end.replace(year=period.end.year - 1))
    except ValueError:  # 29 February
        before = Period(
            period.start.replace(year=year - 1, day=28), period.end.replace(year=period.end.year - 1, day=28)
        )
    this = _year_figures(db, year, base_ids, policy.feedback_dimensions, period)
    if compare:
        last = _year_figures(db, year - 1, base_ids, policy.feedback_dimensions, before)
    else:
        last = {i: YearFigures(year - 1, before.start, before.end, ()) for i in this}
    certificates = _certificates(db)
    cards = []
    for base_id, figures in this.items():
        if base_id not in certificates:
            continue
        name, certificate = certificates[base_id]
        previous = last[base_id]
        dimensions = _order(
            policy.feedback_dimensions,
            [r.dimension for r in (*figures.ratings, *previous.ratings) if r.count],
        )
        cards.append(
            Scorecard(
                base_id,
                name,
                year,
                figures,
                previous,
                certificate,
                _flags(figures, policy),
                dimensions,
            )
        )
    return sorted(cards, key=lambda c: pinyin_key(c.base))


def scorecard(db: Database, base_id: int, year: int) -> Scorecard:
    """One base's scorecard of ``year`` against the year before."""
    cards = _cards(db, Period.year(year), [base_id])
    if not cards:
        raise NotFoundError("scorecard.unknown_base_id", field="base", value=str(base_id))
    return cards[0]


def scorecards(db: Database, year: int, *, period: Period | None = None) -> list[Scorecard]:
    """Every base's scorecard of ``year`` (or of ``period`` inside it, against the same dates a year
    before), by name: the same queries as one base's, for all of them."""
    return _cards(db, period or Period.year(year), None)


def find_base(db: Database, name: str) -> tuple[int, str]:
    """A base by its name (spaces and full-width forms aside), refused naming the name when none has it."""
    from recuperation.services.rates import fold_name

    with db.engine.connect() as conn:
        found = [(int(i), n) for i, n in conn.execute(select(table_of(Base).c.id, table_of(Base).c.name))]
    wanted = name.strip()
    exact = next(((i, n) for i, n in found if n == wanted), None)
    if exact is None:
        exact = next(((i, n) for i, n in found if fold_name(n) == fold_name(wanted)), None)
    if exact is None:
        raise NotFoundError("order.unknown_base", field="base", base=wanted)
    return exact


def years_of_base(db: Database, base_id: int) -> list[int]:
    """The years in which a batch that is not cancelled lodged at the base, or that have an inspection or an
    incident of it: the years its scorecard has figures for."""
    lo, b, ins, i = table_of(Lodging).c, table_of(Batch).c, table_of(Inspection).c, table_of(Incident).c
    years: set[int] = set()
    lodged = (
        select(func.extract("year", b.arrival))
        .select_from(table_of(Lodging).join(table_of(Batch), b.id == lo.batch_id))
        .where(lo.base_id == base_id, lo.people > 0, b.status != BatchStatus.CANCELLED.value)
    )
    with db.engine.connect() as conn:
        for query in (
            lodged,
            select(func.extract("year", ins.on_date)).where(ins.base_id == base_id),
            select(func.extract("year", i.occurred_on)).where(i.base_id == base_id),
        ):
            years.update(int(y) for (y,) in conn.execute(query.distinct()) if y is not None)
    return sorted(years)


def opening_year(years: Sequence[int], today: dt.date | None = None) -> int:
    """The year a scorecard opens on: this year when it has figures, else the latest before it, else this."""
    this_year = (today or dt.date.today()).year
    past = [y for y in years if y <= this_year]
    return past[-1] if past else this_year


# -- the re-check file ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    batch: str
    day: dt.date  # answered on, else the batch's departure
    respondent: str
    text: str


@dataclass(frozen=True)
class ReviewFile:
    """What the re-check file (复核档案) of a base prints (``documents.review_docs``)."""

    base_id: int
    base: str
    year: int
    certifications: tuple[base_service.CertificationRow, ...]
    cards: tuple[Scorecard, ...]  # the year before, then the year
    inspections: tuple[InspectionSummary, ...]  # of the certification period, by date
    since: dt.date | None  # the certification period's start (None: every inspection of the base)
    incidents: tuple[IncidentLine, ...]  # of the two years, by date
    comments: tuple[Comment, ...]  # the most recent ones, at most COMMENT_SAMPLE
    comments_total: int  # every comment of the batches that lodged there, up to the year's end


def review_file(db: Database, base_id: int, year: int) -> ReviewFile:
    """Everything the re-check file of a base shows for ``year`` (and the year before)."""
    last, this = scorecard(db, base_id, year - 1), scorecard(db, base_id, year)
    certifications = [c for c in base_service.list_certifications(db, base_id)]
    certifications.sort(key=lambda c: (c.applied_on or c.valid_from or dt.date.min, c.id))
    current = _current_certification(certifications)
    since = (current.applied_on or current.valid_from) if current is not None else None
    ins = table_of(Inspection).c
    where = ins.base_id == base_id
    if current is not None and since is not None:
        where = where & ((ins.certification_id == current.id) | (ins.on_date >= since))
    where = where & (ins.on_date <= dt.date(year, 12, 31))
    rs, b, lo = table_of(FeedbackResponse).c, table_of(Batch).c, table_of(Lodging).c
    there = select(lo.batch_id).where(lo.base_id == base_id, lo.people > 0)
    with_comment = (
        rs.batch_id.in_(there)
        & (func.length(func.trim(rs.comment)) > 0)
        & (b.status != BatchStatus.CANCELLED.value)
        & (b.arrival <= dt.date(year, 12, 31))
    )
    joined = table_of(FeedbackResponse).join(table_of(Batch), b.id == rs.batch_id)
    day = func.coalesce(rs.answered_on, b.departure)
    with db.engine.connect() as conn:
        inspections = [s for _base, s in _inspections(conn, None, where, clauses=True)]
        total = int(conn.execute(select(func.count()).select_from(joined).where(with_comment)).scalar_one())
        comments = [
            Comment(
                code, answered or departure, mask_in_text(respondent or ""), mask_in_text(comment.strip())
            )
            for code, answered, departure, respondent, comment in conn.execute(
                select(b.code, rs.answered_on, b.departure, rs.respondent, rs.comment)
                .select_from(joined)
                .where(with_comment)
                .order_by(day.desc(), rs.id.desc())
                .limit(COMMENT_SAMPLE)
            )
        ]
    incidents = sorted(
        {i.id: i for i in (*last.this.incidents, *this.this.incidents)}.values(),
        key=lambda i: (i.occurred_on, i.id),
    )
    return ReviewFile(
        base_id,
        this.base,
        year,
        tuple(certifications),
        (last, this),
        tuple(inspections),
        since,
        tuple(incidents),
        tuple(comments),
        total,
    )


def _current_certification(
    certifications: Sequence[base_service.CertificationRow],
) -> base_service.CertificationRow | None:
    """The certification whose period the re-check looks at: valid today if any, else the latest."""
    today = dt.date.today()
    valid = [c for c in certifications if c.valid_on(today)]
    if valid:
        return valid[-1]
    return certifications[-1] if certifications else None


# -- satisfaction for the statistics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSatisfaction:
    """How one route's or partner's groups rated: each dimension's stars and count, their responses, and the
    people of their batches that ended (for the response rate)."""

    name: str
    batches: int
    people: int
    responses: int
    ratings: tuple[Rating, ...]

    def rating(self, dimension: str) -> Rating:
        return next((r for r in self.ratings if r.dimension == dimension), Rating(dimension))

    @property
    def overall(self) -> Rating:
        return self.rating(Dimension.OVERALL.value)

    @property
    def response_rate_text(self) -> str:
        if not self.people:
            return "—"
        tenths = round_half_up(self.responses * 1000, self.people)
        return f"{tenths // 10}.{tenths % 10}%"

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "batches": self.batches,
            "people": self.people,
            "responses": self.responses,
            "ratings": [r.to_json() for r in self.ratings],
        }


@dataclass(frozen=True)
class BatchResponses:
    """One batch that ended: its people and the questionnaires back, as the batch's 问卷反馈 counts them
    (``feedback.response_rates``: the members who came once the roll call is closed, else the roster's
    members, else the headcount)."""

    batch_id: int
    code: str
    partner: str
    route: str
    arrival: dt.date
    departure: dt.date
    people: int
    responses: int

    @property
    def rate_text(self) -> str:
        if not self.people:
            return "—"
        tenths = round_half_up(self.responses * 1000, self.people)
        return f"{tenths // 10}.{tenths % 10}%"


@dataclass(frozen=True)
class Satisfaction:
    """The statistics' 满意度 for a period: the scorecard of the period of each base that has a figure in it
    (a response, a batch, an incident or a flag), the routes' own ratings
    (those naming no base), everything each partner's groups rated, and the response rate of every batch of
    the period that has ended (completed, or left before today; not cancelled)."""

    start: dt.date
    end: dt.date
    dimensions: tuple[str, ...]
    by_base: tuple[Scorecard, ...]
    by_route: tuple[GroupSatisfaction, ...]
    by_partner: tuple[GroupSatisfaction, ...]
    batches: tuple[BatchResponses, ...]
    review_min_overall_tenths: int = 40  # the policy's review line, as the figures were read
    review_min_responses: int = 30

    @property
    def review_line_text(self) -> str:
        return stars_text(self.review_min_overall_tenths)

    @property
    def ended(self) -> int:
        return len(self.batches)

    @property
    def answered(self) -> int:
        return sum(1 for b in self.batches if b.responses)

    @property
    def people(self) -> int:
        return sum(b.people for b in self.batches)

    @property
    def responses(self) -> int:
        return sum(b.responses for b in self.batches)

    def to_json(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "dimensions": list(self.dimensions),
            "response_rate": {
                "batches_ended": self.ended,
                "batches_answered": self.answered,
                "people": self.people,
                "responses": self.responses,
            },
            "by_base": [
                {
                    "base": c.base,
                    "responses": c.this.responses,
                    "ratings": [r.to_json() for r in c.this.ratings],
                    "open_serious": len(c.this.open_serious),
                    "review": c.review,
                    "flags": [f.rule for f in c.flags],
                }
                for c in self.by_base
            ],
            "by_route": [g.to_json() for g in self.by_route],
            "by_partner": [g.to_json() for g in self.by_partner],
            "batches": [
                {
                    "code": b.code,
                    "partner": b.partner,
                    "route": b.route,
                    "people": b.people,
                    "responses": b.responses,
                }
                for b in self.batches
            ],
        }


def satisfaction(db: Database, period: Period, *, today: dt.date | None = None) -> Satisfaction:
    """The period's satisfaction by base, route and partner, and its response rates (see
    :class:`Satisfaction`)."""
    today = today or dt.date.today()
    policy = get_policy(db)
    cards = _cards(db, period, None)
    b, rs, fr = table_of(Batch).c, table_of(FeedbackResponse).c, table_of(FeedbackRating).c
    pt, rt = table_of(Partner).c, table_of(Route).c
    live = _live_in(period)
    with db.engine.connect() as conn:
        facts = {
            int(i): (code, partner, route or "", arrival, departure, status)
            for i, code, partner, route, arrival, departure, status in conn.execute(
                select(b.id, b.code, pt.name, rt.name, b.arrival, b.departure, b.status)
                .select_from(
                    table_of(Batch)
                    .join(table_of(Partner), pt.id == b.partner_id)
                    .outerjoin(table_of(Route), rt.id == b.route_id)
                )
                .where(live)
            )
        }
        stars = conn.execute(
            select(rs.batch_id, fr.base_id.is_(None), fr.dimension, func.sum(fr.stars), func.count())
            .select_from(table_of(FeedbackRating).join(table_of(FeedbackResponse), rs.id == fr.response_id))
            .where(fr.response_id.in_(_answered_in(period)))
            .group_by(rs.batch_id, fr.base_id.is_(None), fr.dimension)
        ).all()
    routes: dict[str, dict[str, Rating]] = defaultdict(dict)
    partners: dict[str, dict[str, Rating]] = defaultdict(dict)
    for batch_id, route_only, dimension, total, count in stars:
        code, partner, route, *_rest = facts[int(batch_id)]
        if route_only:
            shown = route or messages.text("stats.no_route")
            routes[shown][dimension] = (
                routes[shown].get(dimension, Rating(dimension)).plus(int(total), int(count))
            )
        partners[partner][dimension] = (
            partners[partner].get(dimension, Rating(dimension)).plus(int(total), int(count))
        )
    done = [i for i, f in facts.items() if f[5] == BatchStatus.COMPLETED.value or f[4] < today]
    with db.session() as session:  # the batch page's own rate: responses ÷ the members who came or were asked
        rates = response_rates(session, done)
    ended = []
    for batch_id in done:
        code, partner, route, arrival, departure, _status = facts[batch_id]
        rate = rates[batch_id]
        ended.append(
            BatchResponses(batch_id, code, partner, route, arrival, departure, rate.people, rate.responses)
        )
    ended.sort(key=lambda r: (r.arrival, r.code))

    def groups(of: dict[str, dict[str, Rating]], key: str) -> tuple[GroupSatisfaction, ...]:
        counted: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for row in ended:
            name = getattr(row, key) or (messages.text("stats.no_route") if key == "route" else "")
            counted[name][0] += 1
            counted[name][1] += row.people
            counted[name][2] += row.responses
        names = set(of) | set(counted)
        found = []
        for name in names:
            rated = of.get(name, {})
            order = _order(policy.feedback_dimensions, rated)
            batches, people, responses = counted.get(name, [0, 0, 0])
            found.append(
                GroupSatisfaction(
                    name, batches, people, responses, tuple(rated.get(d, Rating(d)) for d in order)
                )
            )
        return tuple(sorted(found, key=lambda g: pinyin_key(g.name)))

    return Satisfaction(
        period.start,
        period.end,
        tuple(policy.feedback_dimensions),
        tuple(c for c in cards if c.this.responses or c.this.batches or c.this.incidents or c.flags),
        groups(routes, "route"),
        groups(partners, "partner"),
        tuple(ended),
        policy.review_min_overall_tenths,
        policy.review_min_responses,
    )


# -- the overview ------------------------------------------------------------------------------------------------


def recheck_cards(db: Database, base_ids: Sequence[int], today: dt.date) -> dict[int, Scorecard]:
    """The scorecards bases due for their re-check show beside the alert, by base: today's year's, or the year
    before's while today's has no overall rating yet (two bulk readings at most)."""
    ids = sorted(set(base_ids))
    if not ids:
        return {}
    cards = {c.base_id: c for c in _cards(db, Period.year(today.year), ids, compare=False)}
    unrated = [i for i, c in cards.items() if not c.this.overall.count]
    if unrated:
        before = {c.base_id: c for c in _cards(db, Period.year(today.year - 1), unrated, compare=False)}
        cards.update({i: c for i, c in before.items() if c.this.overall.count})
    return cards


def recheck_card(db: Database, base_id: int, today: dt.date) -> Scorecard:
    """One base's :func:`recheck_cards`."""
    cards = recheck_cards(db, [base_id], today)
    if base_id not in cards:
        raise NotFoundError("scorecard.unknown_base_id", field="base", value=str(base_id))
    return cards[base_id]


def summary_text(card: Scorecard) -> str:
    """The scorecard in a sentence: its year, the overall mean and ratings, the responses, the open serious
    incidents, and whether it is flagged for review."""
    overall = card.this.overall
    review = messages.text("scorecard.summary_review") if card.review else ""
    if not overall.count:
        return messages.text(
            "scorecard.summary_unrated", year=card.year, serious=len(card.this.open_serious), review=review
        )
    return messages.text(
        "scorecard.summary",
        year=card.year,
        mean=overall.mean_text,
        count=overall.count,
        responses=card.this.responses,
        serious=len(card.this.open_serious),
        review=review,
    )


def summary_numbers(card: Scorecard) -> dict[str, int]:
    """The figures behind :func:`summary_text` (an alert's ``numbers``); no mean without ratings."""
    overall = card.this.overall
    numbers = {
        "scorecard_year": card.year,
        "overall_ratings": overall.count,
        "responses": card.this.responses,
        "open_serious": len(card.this.open_serious),
        "review": int(card.review),
    }
    if overall.tenths is not None:
        numbers["overall_tenths"] = overall.tenths
    return numbers


def recheck_summary(db: Database, base_id: int, today: dt.date) -> str:
    """:func:`summary_text` of :func:`recheck_card`."""
    return summary_text(recheck_card(db, base_id, today))


def flag_words(card: Scorecard, language: str | None = None) -> str:
    """The flags' reasons one after another (each a sentence), empty when the base is not flagged."""
    return ("" if (language or messages.language()) == "zh" else " ").join(
        f.message(language) for f in card.flags
    )
