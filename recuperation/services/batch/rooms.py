"""Rooms and meals: twin rooms paired by sex, then employer, then age; rooms per base per night; meal counts.

Pairing keeps a room's two people together for the whole stay.  On a night when a batch is split over
several bases, each base gets as many rooms as half its people, rounded up; the guide and the driver get a
room each at the base holding most of the group.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import col, select

from recuperation.labels import label as sex_label
from recuperation.models import Base, Batch, Lodging, Participant, table_of
from recuperation.services.batch.edit import get_details, lodged_plan
from recuperation.services.batch.rosters import refuse_anonymised
from recuperation.services.common import audit, get_or_raise, now
from recuperation.storage.database import Database

MEALS = ("breakfast", "lunch", "dinner")


@dataclass(frozen=True)
class RoomAssignment:
    rooms: int  # participant rooms
    singles: int  # people alone in a room (odd one of a sex)
    staff_rooms: int  # guide and driver


def _age_key(birth: dt.date | None) -> int:
    return birth.toordinal() if birth else 0


def _pairs(people: list[Participant]) -> list[list[Participant]]:
    """Twins within each employer (closest in age together), then the one left of each employer paired
    across employers by age; an odd last person alone."""
    by_employer: dict[str, list[Participant]] = defaultdict(list)
    for person in people:
        by_employer[person.employer].append(person)
    pairs: list[list[Participant]] = []
    leftovers: list[Participant] = []
    for employer in sorted(by_employer):
        group = sorted(by_employer[employer], key=lambda p: (_age_key(p.birth_date), p.id or 0))
        if len(group) % 2:
            leftovers.append(group.pop())
        pairs += [group[i : i + 2] for i in range(0, len(group), 2)]
    leftovers.sort(key=lambda p: (_age_key(p.birth_date), p.id or 0))
    pairs += [leftovers[i : i + 2] for i in range(0, len(leftovers), 2)]
    return pairs


def pair_rooms(db: Database, batch_id: int) -> RoomAssignment:
    """Assign every participant a room: same sex, then same employer, then closest in age.

    Room labels read as a person would write them: 男01, 男02 … 女01 …; an odd person of a sex gets a single
    room (the label ends with 单) so the coordinator can pair across if the group agrees.
    """
    with db.session(write=True) as session:
        batch = get_or_raise(session, Batch, batch_id)
        people = session.exec(select(Participant).where(Participant.batch_id == batch_id)).all()
        for person in people:  # anonymised: who shared a room is what the costs of their year counted
            refuse_anonymised(person)
        by_sex: dict[str, list[Participant]] = defaultdict(list)
        for person in people:
            by_sex[person.sex or "?"].append(person)
        labels: dict[int, str] = {}
        rooms = singles = 0
        for sex in ("M", "F", "?"):
            # room names are data, written in Chinese: 男01, 女03单, 待定02
            prefix = "待定" if sex == "?" else sex_label("sex", sex, "zh")
            for number, pair in enumerate(_pairs(by_sex.get(sex, [])), start=1):
                label = f"{prefix}{number:02d}" + ("单" if len(pair) == 1 else "")
                singles += len(pair) == 1
                rooms += 1
                for person in pair:
                    labels[person.id or 0] = label
        table = table_of(Participant)
        stamp = now()
        for person_id, label in labels.items():
            session.execute(
                update(table)
                .where(table.c.id == person_id)
                .values(room=label, version=table.c.version + 1, updated_at=stamp, updated_by=db.user)
            )
        audit(session, db.user, "update", "batch", batch_id, batch.code, "rooms", None, f"{rooms} 间")
        staff = int(bool(batch.guide)) + int(bool(batch.vehicle))
        return RoomAssignment(rooms, singles, staff)


@dataclass(frozen=True)
class RoomsOnNight:
    night: dt.date
    base: str
    people: int
    rooms: int


def rooms_per_night(db: Database, batch_id: int) -> list[RoomsOnNight]:
    """Rooms the batch needs at each base each night (twin rooms, plus the staff at the main base)."""
    with db.session() as session:
        batch = get_or_raise(session, Batch, batch_id)
        staff = int(bool(batch.guide)) + int(bool(batch.vehicle))
        lodging = session.exec(
            select(col(Lodging.night), col(Base.name), col(Lodging.people))
            .join(Base, col(Base.id) == Lodging.base_id)
            .where(Lodging.batch_id == batch_id)
            .order_by(col(Lodging.night), col(Lodging.people).desc())
        ).all()
    result: list[RoomsOnNight] = []
    seen: set[dt.date] = set()
    for night, base, people in lodging:
        extra = staff if night not in seen else 0  # the first (largest) base of the night houses the staff
        seen.add(night)
        result.append(RoomsOnNight(night, base, people, -(-people // 2) + extra))
    return result


@dataclass(frozen=True)
class MealCount:
    day: dt.date
    meal: str
    base: str
    people: int


def meal_counts(db: Database, batch_id: int) -> list[MealCount]:
    """For the kitchens: each meal of the batch's itinerary with the base that serves it and how many eat.

    The base is read as the itinerary PDF prints it: a dinner or breakfast the itinerary serves at its own
    night's base follows the lodging when the lodging puts the group elsewhere (night_base).  The count is
    the roster (else the planned headcount) plus the guide and the driver.
    """
    with db.session() as session:
        batch = get_or_raise(session, Batch, batch_id)
        roster = len(session.exec(select(Participant.id).where(Participant.batch_id == batch_id)).all())
        eaters = (roster or batch.headcount) + int(bool(batch.guide)) + int(bool(batch.vehicle))
    plan = lodged_plan(db, get_details(db, batch_id, with_findings=False))
    return [MealCount(i.on_date, i.kind, i.base, eaters) for i in plan.itinerary if i.kind in MEALS]
