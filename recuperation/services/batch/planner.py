"""The planner's view of a period: batches as bars, each base's beds per night, double-booked staff."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from recuperation.models import Base, Batch, BatchStatus, Lodging, Partner, table_of
from recuperation.storage.database import Database


@dataclass(frozen=True)
class PlannedBatch:
    id: int
    version: int
    code: str
    partner: str
    kind: str
    status: str
    arrival: dt.date
    departure: dt.date
    headcount: int
    guide: str
    vehicle: str


@dataclass(frozen=True)
class BaseNights:
    base_id: int
    base: str
    beds: int
    used: dict[dt.date, int]


@dataclass(frozen=True)
class StaffClash:
    """A guide or a vehicle booked by two batches on one day."""

    what: str  # "guide" or "vehicle"
    who: str
    day: dt.date
    codes: tuple[str, ...]


@dataclass(frozen=True)
class PlannerView:
    first: dt.date
    last: dt.date
    batches: list[PlannedBatch]
    bases: list[BaseNights]
    clashes: list[StaffClash]


def planner_view(db: Database, first: dt.date, last: dt.date) -> PlannerView:
    """Batches (not cancelled) on any day from ``first`` to ``last``, the beds of every base that has beds,
    and every guide or vehicle in two batches on the same day."""
    b, p, lo, ba = table_of(Batch), table_of(Partner), table_of(Lodging), table_of(Base)
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(
                b.c.id,
                b.c.version,
                b.c.code,
                p.c.name,
                b.c.kind,
                b.c.status,
                b.c.arrival,
                b.c.departure,
                b.c.headcount,
                b.c.guide,
                b.c.vehicle,
            )
            .join(p, p.c.id == b.c.partner_id)
            .where(b.c.arrival <= last, b.c.departure >= first, b.c.status != BatchStatus.CANCELLED.value)
            .order_by(b.c.arrival, b.c.code)
        ).all()
        used_rows = conn.execute(
            select(lo.c.base_id, lo.c.night, func.sum(lo.c.people))
            .join(b, b.c.id == lo.c.batch_id)
            .where(lo.c.night >= first, lo.c.night <= last, b.c.status != BatchStatus.CANCELLED.value)
            .group_by(lo.c.base_id, lo.c.night)
        ).all()
        bases = conn.execute(
            select(ba.c.id, ba.c.name, ba.c.beds)
            .where(ba.c.beds > 0, ba.c.archived.is_(False))
            .order_by(ba.c.name)
        ).all()
    batches = [PlannedBatch(*row) for row in rows]
    used: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for base_id, night, total in used_rows:
        used[base_id][night] = int(total)
    clashes: list[StaffClash] = []
    for what in ("guide", "vehicle"):
        days: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
        for batch in batches:
            who = getattr(batch, what)
            if not who:
                continue
            day = max(batch.arrival, first)
            while day <= min(batch.departure, last):
                days[(who, day)].append(batch.code)
                day += dt.timedelta(days=1)
        clashes += [
            StaffClash(what, who, day, tuple(codes))
            for (who, day), codes in sorted(days.items())
            if len(codes) > 1
        ]
    return PlannerView(
        first,
        last,
        batches,
        [BaseNights(base_id, name, beds, used.get(base_id, {})) for base_id, name, beds in bases],
        clashes,
    )
