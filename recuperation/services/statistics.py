"""Statistics: the figures the union reports, with the definitions the CLI and the UI share.

- A batch counts in a period by its arrival date; cancelled batches never count.
- "people" is the roster count where a roster exists, else the recorded headcount.
- person-days: people × days of the batch (arrival and departure both counted).
- ``batches``/``people``/``person_days`` count recuperation batches; training classes and conferences are
  counted apart.
- A base is certified at a level when a certification at that level is valid on the period's last day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select

from recuperation.db import Database
from recuperation.models import (
    Agreement,
    Batch,
    BatchKind,
    BatchStatus,
    Certification,
    CertLevel,
    Participant,
    Partner,
    table_of,
)
from recuperation.services.bases import VALID_STATES
from recuperation.sorting import pinyin_key


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int, until: dt.date | None = None) -> Period:
        return cls(dt.date(year, 1, 1), until or dt.date(year, 12, 31))


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

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat()
        return data


@dataclass(frozen=True)
class _BatchFacts:
    kind: str
    partner: str
    arrival: dt.date
    departure: dt.date
    people: int

    @property
    def days(self) -> int:
        return (self.departure - self.arrival).days + 1


def _batches_in(db: Database, period: Period) -> list[_BatchFacts]:
    b, p, pt = table_of(Batch).c, table_of(Participant).c, table_of(Partner).c
    in_period = (
        (b.arrival >= period.start) & (b.arrival <= period.end) & (b.status != BatchStatus.CANCELLED.value)
    )
    roster = (
        select(p.batch_id, func.count().label("n"))
        .where(p.batch_id.in_(select(b.id).where(in_period)))
        .group_by(p.batch_id)
        .subquery()
    )
    query = (
        select(b.kind, pt.name, b.arrival, b.departure, b.headcount, roster.c.n)
        .join(table_of(Partner), pt.id == b.partner_id)
        .outerjoin(roster, roster.c.batch_id == b.id)
        .where(in_period)
    )
    with db.engine.connect() as conn:
        return [
            _BatchFacts(kind, partner, arrival, departure, int(n) if n else int(headcount))
            for kind, partner, arrival, departure, headcount, n in conn.execute(query)
        ]


def period_stats(db: Database, period: Period) -> PeriodStats:
    """Every figure of a period, computed in one pass over the period's batches."""
    stats = PeriodStats(period.start, period.end)
    months = {m: MonthFigures(m) for m in range(1, 13)}
    partners: dict[str, PartnerFigures] = defaultdict(lambda: PartnerFigures(""))
    for facts in _batches_in(db, period):
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
            month = months[facts.arrival.month]
            month.batches += 1
            month.people += facts.people
            figures = partners[facts.partner]
            figures.partner = facts.partner
            figures.batches += 1
            figures.people += facts.people
    stats.by_month = list(months.values())
    stats.by_partner = sorted(partners.values(), key=lambda p: (-p.people, pinyin_key(p.partner)))
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
                .where(c.status.in_(VALID_STATES), c.valid_from <= period.end, c.valid_to >= period.end)
                .group_by(c.level)
            )
        }
    stats.bases_certified = {level.value: int(certified.get(level.value, 0)) for level in CertLevel}
    return stats


def years_with_records(db: Database) -> list[int]:
    """Years in which any batch arrives or any agreement was signed."""
    with db.engine.connect() as conn:
        years: set[int] = set()
        for column in (table_of(Batch).c.arrival, table_of(Agreement).c.signed_on):
            low, high = conn.execute(select(func.min(column), func.max(column))).one()
            if low is not None:
                years.update(range(low.year, high.year + 1))
        return sorted(years)
