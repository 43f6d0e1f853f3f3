"""Statistics: the figures the union reports, with the definitions the CLI and the UI share.

- A batch counts in a period by its arrival date; cancelled batches never count.
- "people" is the roster count where a roster exists, else the recorded headcount; companions (随行家属,
  ``Participant.companion``) are never counted, anywhere (people, person-days, categories, bases).
- person-days: people × days of the batch (arrival and departure both counted).
- These are the *planned* figures.  What actually happened (``attended``) is known for a recuperation batch
  that is completed, has a roster and whose roll call is closed: an attended person counts the batch's days,
  a person who left early the days from arrival to the day they left (both counted), a no-show nothing.
  Every other batch counts in ``attended`` as planned, so planned − attended is what the closed roll calls
  lost (:class:`AttendanceFigures`).
- ``batches``/``people``/``person_days`` count recuperation batches; training classes and conferences are
  counted apart.
- A base is certified at a level when a certification at that level is valid on the period's last day.
- An agreement's fulfilment counts the period's batches under it (every kind, not cancelled) and their people
  against its quotas, which are yearly: a quarter's figure is the quarter's share of the year's quota.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy import Date, case, cast, func, literal, select

from recuperation import messages
from recuperation.labels import label
from recuperation.models import (
    VALID_CERT_STATES,
    Agreement,
    Attendance,
    Base,
    Batch,
    BatchKind,
    BatchStatus,
    Certification,
    CertLevel,
    Lodging,
    Participant,
    Partner,
    Route,
    table_of,
)
from recuperation.sorting import pinyin_key
from recuperation.storage.database import Database


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int, until: dt.date | None = None) -> Period:
        return cls(dt.date(year, 1, 1), until or dt.date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        start = dt.date(year, 3 * quarter - 2, 1)
        return cls(start, _month_end(dt.date(year, 3 * quarter, 1)))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = dt.date(year, month, 1)
        return cls(start, _month_end(start))

    def cut(self, until: dt.date | None) -> Period:
        """The period ending at ``until`` when that falls inside it (figures "to 30 November")."""
        if until is not None and self.start <= until < self.end:
            return Period(self.start, until)
        return self


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """What part of a year the statistics show: the whole year, a quarter, a month, or chosen dates.

    The statistics page offers these as values (never numbers standing for them); ``period`` turns one into
    the dates of a given year."""

    kind: str  # "year", "quarter", "month" or "custom"
    number: int = 0  # the quarter (1–4) or the month (1–12)

    def period(self, year: int, until: dt.date | None = None, since: dt.date | None = None) -> Period:
        if self.kind == "custom":
            start, end = since or dt.date(year, 1, 1), until or dt.date(year, 12, 31)
            return Period(min(start, end), max(start, end))
        if self.kind == "quarter":
            return Period.quarter(year, self.number).cut(until)
        if self.kind == "month":
            return Period.month(year, self.number).cut(until)
        return Period.year(year).cut(until)


SPANS = (
    Span("year"),
    *(Span("quarter", q) for q in range(1, 5)),
    *(Span("month", m) for m in range(1, 13)),
    Span("custom"),
)


@dataclass
class MonthFigures:
    month: int
    batches: int = 0
    people: int = 0


@dataclass
class PartnerFigures:
    partner: str
    batches: int = 0
    people: int = 0


@dataclass
class GroupFigures:
    """Batches, people and person-days of one base, route or theme."""

    name: str
    batches: int = 0
    people: int = 0
    person_days: int = 0


@dataclass
class AttendanceFigures:
    """Planned against attended for one batch, month, partner or base (recuperation batches only).

    ``closed_batches`` of the ``batches`` had their roll call closed after completion; the others count as
    planned in the attended figures too.  ``no_show`` and ``left_early`` count the closed batches' people."""

    name: str
    batches: int = 0
    closed_batches: int = 0
    planned_people: int = 0
    planned_person_days: int = 0
    attended_people: int = 0
    attended_person_days: int = 0
    no_show: int = 0
    left_early: int = 0

    @property
    def difference_people(self) -> int:
        return self.planned_people - self.attended_people

    @property
    def difference_person_days(self) -> int:
        return self.planned_person_days - self.attended_person_days

    def add(self, facts: _BatchFacts) -> None:
        self.batches += 1
        self.closed_batches += facts.closed
        self.planned_people += facts.people
        self.planned_person_days += facts.people * facts.days
        self.attended_people += facts.attended_people
        self.attended_person_days += facts.attended_person_days
        self.no_show += facts.no_show
        self.left_early += facts.left_early

    def to_json(self) -> dict[str, object]:
        # written out rather than asdict(): a five-year statistics has thousands of these (asdict recurses)
        return {
            "name": self.name,
            "batches": self.batches,
            "closed_batches": self.closed_batches,
            "planned_people": self.planned_people,
            "planned_person_days": self.planned_person_days,
            "attended_people": self.attended_people,
            "attended_person_days": self.attended_person_days,
            "no_show": self.no_show,
            "left_early": self.left_early,
            "difference_people": self.difference_people,
            "difference_person_days": self.difference_person_days,
        }


@dataclass
class Utilisation:
    base: str
    beds: int
    bed_nights_used: int
    bed_nights_available: int

    @property
    def rate(self) -> float:
        return self.bed_nights_used / self.bed_nights_available if self.bed_nights_available else 0.0


@dataclass(frozen=True)
class AgreementFulfilment:
    """An agreement in force during the period (or counting batches of it): the period's batches under it and
    their people, against its quotas, which are yearly (None: no quota).  The fields the agreements list
    (:class:`recuperation.services.partners.AgreementRow`) has carry the same names."""

    id: int
    number: str
    partner: str
    valid_from: dt.date
    valid_to: dt.date
    quota_batches: int | None  # per year
    quota_people: int | None  # per year
    used_batches: int = 0  # arriving in the period, not cancelled
    used_people: int = 0


@dataclass
class PeriodStats:
    start: dt.date
    end: dt.date
    batches: int = 0
    people: int = 0
    person_days: int = 0
    training_classes: int = 0
    training_people: int = 0
    conferences: int = 0
    conference_people: int = 0
    agreements_signed: int = 0
    bases_certified: dict[str, int] = field(default_factory=dict)
    by_month: list[MonthFigures] = field(default_factory=list)
    by_partner: list[PartnerFigures] = field(default_factory=list)
    # cost at the agreed prices, over the recuperation batches whose agreement has a price
    priced_people: int = 0
    priced_person_days: int = 0
    cost_fen: int = 0
    by_base: list[GroupFigures] = field(default_factory=list)
    by_route: list[GroupFigures] = field(default_factory=list)
    by_theme: list[GroupFigures] = field(default_factory=list)
    by_kind: list[GroupFigures] = field(default_factory=list)
    by_category: list[GroupFigures] = field(default_factory=list)
    utilisation: list[Utilisation] = field(default_factory=list)
    #: The period's figures of each agreement against its yearly quotas (see :class:`AgreementFulfilment`).
    agreements: list[AgreementFulfilment] = field(default_factory=list)
    #: Planned against attended (see :class:`AttendanceFigures`): the whole period, then by batch (``name``
    #: is the batch's code), by month (``name`` "1".."12"), by partner and by base.
    attendance: AttendanceFigures = field(default_factory=lambda: AttendanceFigures(""))
    attendance_by_batch: list[AttendanceFigures] = field(default_factory=list)
    attendance_by_month: list[AttendanceFigures] = field(default_factory=list)
    attendance_by_partner: list[AttendanceFigures] = field(default_factory=list)
    attendance_by_base: list[AttendanceFigures] = field(default_factory=list)

    @property
    def cost_per_person_fen(self) -> int:
        """Average cost of one person's visit at the agreed prices (0 when no price is known)."""
        return round(self.cost_fen / self.priced_people) if self.priced_people else 0

    def to_json(self) -> dict[str, object]:
        # The attendance lists are written below: asdict() would first copy each of their rows, recursively.
        lists = ("attendance_by_batch", "attendance_by_month", "attendance_by_partner", "attendance_by_base")
        data = asdict(
            replace(
                self,
                attendance_by_batch=[],
                attendance_by_month=[],
                attendance_by_partner=[],
                attendance_by_base=[],
            )
        )
        for key in ("attendance", *lists):
            del data[key]
        whole = self.attendance
        data["planned"] = {
            "batches": whole.batches,
            "people": whole.planned_people,
            "person_days": whole.planned_person_days,
        }
        data["attended"] = {
            "batches": whole.batches,
            "closed_batches": whole.closed_batches,
            "people": whole.attended_people,
            "person_days": whole.attended_person_days,
            "no_show": whole.no_show,
            "left_early": whole.left_early,
            "difference_people": whole.difference_people,
            "difference_person_days": whole.difference_person_days,
            "by_batch": [a.to_json() for a in self.attendance_by_batch],
            "by_month": [a.to_json() for a in self.attendance_by_month],
            "by_partner": [a.to_json() for a in self.attendance_by_partner],
            "by_base": [a.to_json() for a in self.attendance_by_base],
        }
        data["cost_per_person_fen"] = self.cost_per_person_fen
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat()
        for group in ("by_base", "by_route", "by_theme", "by_kind", "by_category"):
            data[group] = [
                {
                    "name": g["name"],
                    "batches": g["batches"],
                    "people": g["people"],
                    "person_days": g["person_days"],
                }
                for g in data[group]
            ]
        data["utilisation"] = [
            {
                "base": u.base,
                "beds": u.beds,
                "bed_nights_used": u.bed_nights_used,
                "bed_nights_available": u.bed_nights_available,
            }
            for u in self.utilisation
        ]
        data["agreements"] = [
            {
                **asdict(a),
                "valid_from": a.valid_from.isoformat(),
                "valid_to": a.valid_to.isoformat(),
            }
            for a in self.agreements
        ]
        return data


#: julianday() of a date (SQLite) less its date.toordinal()
_JULIAN_ORDINAL = 1721424.5


@dataclass(frozen=True)
class _BatchFacts:
    id: int
    route: str
    theme: str
    price_fen: int | None
    kind: str
    partner: str
    arrival: dt.date
    departure: dt.date
    people: int  # planned: the roster's members (companions left out), else the headcount
    agreement_id: int | None = None
    code: str = ""
    roster: int = 0  # everyone on the roster, companions included
    closed: bool = False  # completed, with a roster, and its roll call closed
    attended_people: int = 0  # as planned unless closed
    attended_person_days: int = 0
    no_show: int = 0
    left_early: int = 0

    @property
    def days(self) -> int:
        return (self.departure - self.arrival).days + 1


def _batches_in(db: Database, period: Period, partner_id: int | None = None) -> list[_BatchFacts]:
    """The facts of the period's batches that are not cancelled (every kind), or only one partner's."""
    b, p, pt = table_of(Batch).c, table_of(Participant).c, table_of(Partner).c
    in_period = (
        (b.arrival >= period.start) & (b.arrival <= period.end) & (b.status != BatchStatus.CANCELLED.value)
    )
    if partner_id is not None:
        in_period = in_period & (b.partner_id == partner_id)
    member = p.companion == False  # noqa: E712 (SQL)

    def members(condition: Any = None) -> Any:
        return func.sum(case((member & condition if condition is not None else member, 1), else_=0))

    # The days of those who left early come as the sum of the days they left, as day numbers (date.toordinal):
    # the days from arrival to the day they left, both counted, are then sum − n × (arrival's number − 1).
    # (a left-early mark without its day, which the roll call never makes, counts as attended)
    leaving = (p.attendance == Attendance.LEFT_EARLY.value) & p.left_on.is_not(None)
    if db.engine.dialect.name == "sqlite":
        left_day: Any = func.julianday(p.left_on) - _JULIAN_ORDINAL
    else:
        left_day = p.left_on - cast(literal("0001-01-01"), Date) + 1
    roster = (
        select(
            p.batch_id,
            func.count().label("n"),
            members().label("members"),
            members(
                (p.attendance == Attendance.ATTENDED.value)
                | ((p.attendance == Attendance.LEFT_EARLY.value) & p.left_on.is_(None))
            ).label("attended"),
            members(p.attendance == Attendance.NO_SHOW.value).label("no_show"),
            members(leaving).label("left_early"),
            func.sum(case((member & leaving, left_day), else_=0)).label("left_days"),
        )
        .where(p.batch_id.in_(select(b.id).where(in_period)))
        .group_by(p.batch_id)
        .subquery()
    )
    rt, ag = table_of(Route).c, table_of(Agreement).c
    query = (
        select(
            b.id,
            rt.name,
            rt.theme,
            ag.price_fen,
            b.kind,
            pt.name,
            b.arrival,
            b.departure,
            b.headcount,
            roster.c.n,
            b.agreement_id,
            b.code,
            b.status,
            b.roll_closed_on,
            roster.c.members,
            roster.c.attended,
            roster.c.no_show,
            roster.c.left_early,
            roster.c.left_days,
        )
        .join(table_of(Partner), pt.id == b.partner_id)
        .outerjoin(table_of(Route), rt.id == b.route_id)
        .outerjoin(table_of(Agreement), ag.id == b.agreement_id)
        .outerjoin(roster, roster.c.batch_id == b.id)
        .where(in_period)
    )
    facts_list = []
    with db.engine.connect() as conn:
        for (
            batch_id,
            route,
            theme,
            price,
            kind,
            partner,
            arrival,
            departure,
            headcount,
            n,
            agreement_id,
            code,
            status,
            roll_closed_on,
            n_members,
            attended,
            no_show,
            left_early,
            left_days,
        ) in conn.execute(query):
            people = int(n_members or 0) if n else int(headcount)
            days = (departure - arrival).days + 1
            closed = bool(
                n_members
                and kind == BatchKind.RECUPERATION.value
                and status == BatchStatus.COMPLETED.value
                and roll_closed_on is not None
            )
            if closed:
                missed, early_left = int(no_show or 0), int(left_early or 0)
                came = int(attended or 0) + early_left
                early_days = round(left_days or 0) - early_left * (arrival.toordinal() - 1)
                came_days = int(attended or 0) * days + early_days
            else:
                came, came_days, missed, early_left = people, people * days, 0, 0
            facts_list.append(
                _BatchFacts(
                    batch_id,
                    route or "",
                    theme or "",
                    price,
                    kind,
                    partner,
                    arrival,
                    departure,
                    people,
                    agreement_id,
                    code,
                    int(n or 0),
                    closed,
                    came,
                    came_days,
                    missed,
                    early_left,
                )
            )
    return facts_list


def batch_attendance(
    db: Database, period: Period, *, partner_id: int | None = None
) -> dict[int, AttendanceFigures]:
    """Planned against attended of each batch of the period that is not cancelled (every kind; only
    ``partner_id``'s when given), by the batch's id, ``name`` its code: what the workbooks show beside each
    batch.  ``closed_batches`` is 1 where the attended figures are actual (a completed recuperation batch
    whose roll call is closed); elsewhere they are the planned ones.  One query, whatever the number of
    batches."""
    figures = {}
    for facts in _batches_in(db, period, partner_id):
        one = AttendanceFigures(facts.code)
        one.add(facts)
        figures[facts.id] = one
    return figures


def period_stats(db: Database, period: Period) -> PeriodStats:
    """Every figure of a period, computed in one pass over the period's batches."""
    stats = PeriodStats(period.start, period.end)
    months = {m: MonthFigures(m) for m in range(1, 13)}
    partners: dict[str, PartnerFigures] = defaultdict(lambda: PartnerFigures(""))
    routes: dict[str, GroupFigures] = {}
    themes: dict[str, GroupFigures] = {}
    kinds: dict[str, GroupFigures] = {}
    facts_list = _batches_in(db, period)
    recuperation_ids = []
    attendance = AttendanceFigures("")
    by_batch: list[AttendanceFigures] = []
    by_month = {m: AttendanceFigures(str(m)) for m in range(1, 13)}
    by_partner: dict[str, AttendanceFigures] = {}
    for facts in facts_list:
        _add(kinds, label("batch_kind", facts.kind), facts)
        if facts.kind == BatchKind.RECUPERATION.value:
            recuperation_ids.append(facts.id)
            _add(routes, facts.route or messages.text("stats.no_route"), facts)
            _add(
                themes, label("theme", facts.theme) if facts.theme else messages.text("stats.no_route"), facts
            )
    for facts in facts_list:
        if facts.kind == BatchKind.TRAINING.value:
            stats.training_classes += 1
            stats.training_people += facts.people
        elif facts.kind == BatchKind.CONFERENCE.value:
            stats.conferences += 1
            stats.conference_people += facts.people
        else:
            stats.batches += 1
            stats.people += facts.people
            stats.person_days += facts.people * facts.days
            if facts.price_fen:
                stats.priced_people += facts.people
                stats.priced_person_days += facts.people * facts.days
                stats.cost_fen += facts.price_fen * facts.people * facts.days
            month = months[facts.arrival.month]
            month.batches += 1
            month.people += facts.people
            figures = partners[facts.partner]
            figures.partner = facts.partner
            figures.batches += 1
            figures.people += facts.people
            attendance.add(facts)
            one = AttendanceFigures(facts.code)
            one.add(facts)
            by_batch.append(one)
            by_month[facts.arrival.month].add(facts)
            by_partner.setdefault(facts.partner, AttendanceFigures(facts.partner)).add(facts)
    stats.by_month = list(months.values())
    stats.by_partner = sorted(partners.values(), key=lambda p: (-p.people, pinyin_key(p.partner)))
    stats.by_route = _ranked(routes)
    stats.by_theme = _ranked(themes)
    stats.by_kind = _ranked(kinds)
    recuperation = {f.id: f for f in facts_list if f.kind == BatchKind.RECUPERATION.value}
    stats.by_base, bases_of = _by_base(db, recuperation)
    by_base: dict[str, AttendanceFigures] = {}
    for batch_id, names in bases_of.items():
        for name in names:
            by_base.setdefault(name, AttendanceFigures(name)).add(recuperation[batch_id])
    stats.attendance = attendance
    stats.attendance_by_batch = sorted(by_batch, key=lambda a: a.name)
    stats.attendance_by_month = list(by_month.values())
    stats.attendance_by_partner = _ranked_attendance(by_partner)
    stats.attendance_by_base = _ranked_attendance(by_base)
    stats.by_category = _by_category(db, recuperation)
    stats.utilisation = utilisation(db, period)
    stats.agreements = _fulfilment(db, period, facts_list)
    a, c = table_of(Agreement).c, table_of(Certification).c
    with db.engine.connect() as conn:
        stats.agreements_signed = int(
            conn.execute(
                select(func.count()).where(a.signed_on >= period.start, a.signed_on <= period.end)
            ).scalar_one()
        )
        certified: dict[str, int] = {
            level: int(n)
            for level, n in conn.execute(
                select(c.level, func.count(func.distinct(c.base_id)))
                .where(c.status.in_(VALID_CERT_STATES), c.valid_from <= period.end, c.valid_to >= period.end)
                .group_by(c.level)
            )
        }
    stats.bases_certified = {level.value: int(certified.get(level.value, 0)) for level in CertLevel}
    return stats


def _fulfilment(db: Database, period: Period, facts_list: list[_BatchFacts]) -> list[AgreementFulfilment]:
    """Agreements in force during the period, and any other the period's batches count against (newest
    first), each with the period's batches under it and their people."""
    used: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for facts in facts_list:
        if facts.agreement_id is not None:
            used[facts.agreement_id][0] += 1
            used[facts.agreement_id][1] += facts.people
    a, pt = table_of(Agreement).c, table_of(Partner).c
    in_force = (a.valid_from <= period.end) & (a.valid_to >= period.start)
    query = (
        select(a.id, a.number, pt.name, a.valid_from, a.valid_to, a.quota_batches, a.quota_people)
        .join(table_of(Partner), pt.id == a.partner_id)
        .where(in_force | a.id.in_(list(used)) if used else in_force)
        .order_by(a.valid_from.desc(), a.number)
    )
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [AgreementFulfilment(*row, *used.get(row[0], (0, 0))) for row in rows]


def years_with_batches(db: Database, *, with_people: bool = False) -> list[int]:
    """Years with figures to show: in which a batch that is not cancelled arrives, or (``with_people``) a batch
    with people on its roster.  Unlike :func:`years_with_records`, a year between two such years that has
    none is not one of them (the pages open on a year that has data)."""
    b = table_of(Batch).c
    year = func.extract("year", b.arrival)
    query = select(year).distinct()
    if with_people:
        query = query.where(b.id.in_(select(table_of(Participant).c.batch_id)))
    else:
        query = query.where(b.status != BatchStatus.CANCELLED.value)
    with db.engine.connect() as conn:
        return sorted(int(y) for (y,) in conn.execute(query) if y is not None)


def years_with_records(db: Database) -> list[int]:
    """Years in which any batch arrives or any agreement was signed."""
    with db.engine.connect() as conn:
        years: set[int] = set()
        for column in (table_of(Batch).c.arrival, table_of(Agreement).c.signed_on):
            low, high = conn.execute(select(func.min(column), func.max(column))).one()
            if low is not None:
                years.update(range(low.year, high.year + 1))
        return sorted(years)


def _add(groups: dict[str, GroupFigures], name: str, facts: _BatchFacts) -> None:
    group = groups.setdefault(name, GroupFigures(name))
    group.batches += 1
    group.people += facts.people
    group.person_days += facts.people * facts.days


def _ranked(groups: dict[str, GroupFigures]) -> list[GroupFigures]:
    return sorted(groups.values(), key=lambda g: (-g.people, pinyin_key(g.name)))


def _ranked_attendance(groups: dict[str, AttendanceFigures]) -> list[AttendanceFigures]:
    return sorted(groups.values(), key=lambda g: (-g.planned_people, pinyin_key(g.name)))


def _by_base(db: Database, batches: dict[int, _BatchFacts]) -> tuple[list[GroupFigures], dict[int, set[str]]]:
    """Per base, the recuperation batches of the period that lodged there: how many batches, how many of their
    people at most on one night there, and their person-nights there (bed-nights); and the bases each batch
    lodged at.  Companions lodge too: a batch's lodging is scaled by its members' share of its roster, so
    that they count neither as people nor as person-nights here (the utilisation counts their beds)."""
    lo, ba = table_of(Lodging).c, table_of(Base).c
    per_batch: dict[tuple[str, int], list[int]] = defaultdict(list)
    batch_ids = list(batches)
    with db.engine.connect() as conn:
        for start in range(0, len(batch_ids), 500):
            chunk = batch_ids[start : start + 500]
            for base, batch_id, people in conn.execute(
                select(ba.name, lo.batch_id, lo.people)
                .join(table_of(Base), ba.id == lo.base_id)
                .where(lo.batch_id.in_(chunk), lo.people > 0)  # a row of 0 people lodges nobody there
            ):
                per_batch[(base, batch_id)].append(int(people))
    groups: dict[str, GroupFigures] = {}
    bases_of: dict[int, set[str]] = defaultdict(set)
    for (base, batch_id), nights in per_batch.items():
        facts = batches[batch_id]
        bases_of[batch_id].add(base)
        group = groups.setdefault(base, GroupFigures(base))
        group.batches += 1
        if facts.roster > facts.people:  # companions on the roster
            group.people += round(max(nights) * facts.people / facts.roster)
            group.person_days += round(sum(nights) * facts.people / facts.roster)
        else:
            group.people += max(nights)
            group.person_days += sum(nights)
    return _ranked(groups), bases_of


def _by_category(db: Database, batches: dict[int, _BatchFacts]) -> list[GroupFigures]:
    """People of the period's recuperation rosters by worker category (companions left out; people without a
    roster: 未填名单), and
    the batches each category appears in: a batch with several categories counts in each, so the batches of
    this table add up to more than the period's."""
    p = table_of(Participant).c
    groups: dict[str, GroupFigures] = {}
    seen: set[int] = set()
    ids = list(batches)
    with db.engine.connect() as conn:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for batch_id, category, n in conn.execute(
                select(p.batch_id, p.category, func.count())
                .where(p.batch_id.in_(chunk), p.companion == False)  # noqa: E712 (SQL)
                .group_by(p.batch_id, p.category)
            ):
                seen.add(batch_id)
                group = groups.setdefault(category or "未填类别", GroupFigures(category or "未填类别"))
                group.batches += 1  # the batches a category appears in (one batch counts in several)
                group.people += int(n)
                group.person_days += int(n) * batches[batch_id].days
    for batch_id, facts in batches.items():
        if batch_id not in seen:
            group = groups.setdefault("未填名单", GroupFigures("未填名单"))
            group.batches += 1
            group.people += facts.people
            group.person_days += facts.people * facts.days
    return _ranked(groups)


def utilisation(db: Database, period: Period) -> list[Utilisation]:
    """Each base with beds: bed-nights used (batches not cancelled, every kind) out of beds × nights."""
    lo, ba, b = table_of(Lodging).c, table_of(Base).c, table_of(Batch).c
    nights = (period.end - period.start).days + 1
    with db.engine.connect() as conn:
        used = dict(
            conn.execute(
                select(lo.base_id, func.sum(lo.people))
                .join(table_of(Batch), b.id == lo.batch_id)
                .where(
                    lo.night >= period.start, lo.night <= period.end, b.status != BatchStatus.CANCELLED.value
                )
                .group_by(lo.base_id)
            ).all()
        )
        bases = conn.execute(select(ba.id, ba.name, ba.beds).where(ba.beds > 0)).all()
    rows = [
        Utilisation(name, int(beds), int(used.get(base_id) or 0), int(beds) * nights)
        for base_id, name, beds in bases
    ]
    return sorted(rows, key=lambda u: (-u.rate, pinyin_key(u.base)))
