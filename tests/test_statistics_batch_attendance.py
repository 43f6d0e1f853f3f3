"""Planned against attended of each batch (what the year's workbooks show beside a batch), on a small
hand-built year with known answers; the same year serves the workbook and statistics page tests.

The year (:func:`small_year`):

- A, 宁波大学, 10–14 May 2021 (5 days) at 寿昌宾馆: five members and a companion; one member a no-show, one
  left on 12 May (3 days), the others and the companion came; completed, roll call closed.
  Planned 5 people, 25 person-days; attended 4 people, 3 × 5 + 3 = 18 person-days.
- B, 宁波大学, 1–3 June (3 days): four members, completed, one marked a no-show but the roll call still open:
  counts as planned (4, 12).
- C, 浙江海港集团, 20–21 June (2 days): a headcount of ten, no roster, planned (10, 20).
- D, 宁波大学, 1–2 July: two members, cancelled (never counted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from recuperation.services.batch import attendance, batches, roster_moves, rosters
from recuperation.services.statistics import Period, batch_attendance
from recuperation.storage.database import Database
from tests.factories import certified_base, confirm_orders, partner, person_id

D = dt.date


@dataclass(frozen=True)
class SmallYear:
    ningbo_id: int
    port_id: int
    a: str  # the batches' codes
    b: str
    c: str
    d: str
    companion: str  # A's companion's name


def _roster(db: Database, batch_id: int, names: list[str], first: int) -> list[rosters.ParticipantRow]:
    rows = []
    for n, name in enumerate(names):
        row, _ = rosters.add_participant(
            db, batch_id, rosters.ParticipantInput(name, person_id(first + n), category="一线职工")
        )
        rows.append(row)
    return rows


def _complete(db: Database, batch_id: int) -> None:
    confirm_orders(db, batch_id)
    for status in ("confirmed", "in_progress", "completed"):
        row = batches.get_batch(db, batch_id)
        batches.set_status(db, batch_id, row.version, status)


def small_year(db: Database) -> SmallYear:
    ningbo, port = partner(db, "宁波大学"), partner(db, "浙江海港集团")
    base = certified_base(db, "寿昌宾馆", beds=100)
    # A: five members and a companion, four nights at 寿昌宾馆
    lodging = tuple(batches.LodgingInput(base.id, D(2021, 5, 10 + n), 6) for n in range(4))
    a = batches.create_batch(
        db, batches.BatchInput(ningbo.id, D(2021, 5, 10), D(2021, 5, 14), 5, lodging=lodging)
    )
    people = _roster(db, a.id, ["王芳", "李强", "张伟", "刘洋", "陈静", "陈小静"], 1)
    companion = roster_moves.set_companion(db, people[5].id, people[5].version, True)
    attendance.mark(db, people[0].id, people[0].version, "no_show")
    attendance.mark(db, people[1].id, people[1].version, "left_early", left_on=D(2021, 5, 12))
    for person in people[2:5]:
        attendance.mark(db, person.id, person.version, "attended")
    attendance.mark(db, companion.id, companion.version, "attended")
    _complete(db, a.id)
    attendance.close_roll_call(db, a.id, D(2021, 5, 14))
    # B: completed, a no-show marked, the roll call left open
    b = batches.create_batch(db, batches.BatchInput(ningbo.id, D(2021, 6, 1), D(2021, 6, 3), 4))
    people = _roster(db, b.id, ["赵一", "赵二", "赵三", "赵四"], 11)
    attendance.mark(db, people[0].id, people[0].version, "no_show")
    _complete(db, b.id)
    # C: a headcount only
    c = batches.create_batch(db, batches.BatchInput(port.id, D(2021, 6, 20), D(2021, 6, 21), 10))
    # D: cancelled, with a roster
    d = batches.create_batch(db, batches.BatchInput(ningbo.id, D(2021, 7, 1), D(2021, 7, 2), 2))
    _roster(db, d.id, ["孙一", "孙二"], 21)
    row = batches.get_batch(db, d.id)
    batches.set_status(db, d.id, row.version, "cancelled", "单位临时取消")
    return SmallYear(ningbo.id, port.id, a.code, b.code, c.code, d.code, companion.name)


def test_each_batchs_planned_and_attended(db: Database) -> None:
    year = small_year(db)
    figures = {f.name: f for f in batch_attendance(db, Period.year(2021)).values()}
    assert set(figures) == {year.a, year.b, year.c}  # the cancelled batch counts nowhere
    shown = {
        code: (
            f.closed_batches,
            f.planned_people,
            f.planned_person_days,
            f.attended_people,
            f.attended_person_days,
            f.no_show,
            f.left_early,
        )
        for code, f in figures.items()
    }
    assert shown == {
        year.a: (1, 5, 25, 4, 18, 1, 1),  # the companion in neither
        year.b: (0, 4, 12, 4, 12, 0, 0),  # roll call open: as planned, its no-show mark not yet counted
        year.c: (0, 10, 20, 10, 20, 0, 0),
    }
    assert (figures[year.a].difference_people, figures[year.a].difference_person_days) == (1, 7)


def test_one_partners_batches_only(db: Database) -> None:
    year = small_year(db)
    ningbo = batch_attendance(db, Period.year(2021), partner_id=year.ningbo_id)
    assert sorted(f.name for f in ningbo.values()) == [year.a, year.b]
    port = batch_attendance(db, Period.year(2021), partner_id=year.port_id)
    assert [(f.name, f.attended_people) for f in port.values()] == [(year.c, 10)]
    assert batch_attendance(
        db, Period(D(2021, 5, 11), D(2021, 12, 31)), partner_id=year.ningbo_id
    ).keys() == {next(i for i, f in ningbo.items() if f.name == year.b)}  # by arrival date
