"""Who actually went: planned against attended figures on a small hand-built year with known answers,
companions never counted, and the policy's least share of a worker category."""

from __future__ import annotations

import datetime as dt

import pytest

from recuperation.errors import ValidationError
from recuperation.services import policy
from recuperation.services.alerts import collect_alerts
from recuperation.services.batch import attendance, batches, roster_moves, rosters
from recuperation.services.statistics import Period, period_stats
from recuperation.storage.database import Database
from tests.factories import certified_base, confirm_orders, partner, person_id

D = dt.date
_ids = iter(range(1, 1000))


def _trip(
    db: Database,
    partner_id: int,
    arrival: D,
    days: int,
    categories: list[str],
    *,
    companions: int = 0,
    base_id: int | None = None,
    headcount: int | None = None,
) -> tuple[int, list[rosters.ParticipantRow]]:
    """A planned batch with its roster (companions last, marked as such), lodged at ``base_id`` if given."""
    departure = arrival + dt.timedelta(days=days - 1)
    people = len(categories) + companions
    lodging = (
        tuple(batches.LodgingInput(base_id, arrival + dt.timedelta(days=n), people) for n in range(days - 1))
        if base_id is not None
        else ()
    )
    batch = batches.create_batch(
        db,
        batches.BatchInput(
            partner_id,
            arrival,
            departure,
            len(categories) if headcount is None else headcount,
            lodging=lodging,
        ),
    )
    rows = []
    for n, category in enumerate(categories + [""] * companions):
        row, _ = rosters.add_participant(
            db, batch.id, rosters.ParticipantInput(f"团员{n}", person_id(next(_ids)), category=category)
        )
        if n >= len(categories):
            row = roster_moves.set_companion(db, row.id, row.version, True)
        rows.append(row)
    return batch.id, rows


def _complete(db: Database, batch_id: int) -> None:
    confirm_orders(db, batch_id)
    for status in ("confirmed", "in_progress", "completed"):
        row = batches.get_batch(db, batch_id)
        batches.set_status(db, batch_id, row.version, status)


def _mark(db: Database, person: rosters.ParticipantRow, value: str, left_on: D | None = None) -> None:
    attendance.mark(db, person.id, person.version, value, left_on=left_on)


@pytest.fixture
def year(db: Database) -> Database:
    """Four batches of 2021 (see each comment) for two partners; one lodged at a base."""
    ningbo, port = partner(db, "宁波大学"), partner(db, "浙江海港集团")
    base = certified_base(db, "寿昌宾馆", beds=100)
    # 1: five days, six members and a companion lodged at 寿昌宾馆; one no-show, one left on the third day
    first, people = _trip(
        db, ningbo.id, D(2021, 5, 10), 5, ["一线职工"] * 5 + ["管理人员"], companions=1, base_id=base.id
    )
    _mark(db, people[0], "no_show")
    _mark(db, people[1], "left_early", D(2021, 5, 12))
    for person in people[2:]:
        _mark(db, person, "attended")
    _complete(db, first)
    attendance.close_roll_call(db, first, D(2021, 5, 14))
    # 2: three days, four members; one attended, the others unmarked when the roll call closed: no-shows
    second, people = _trip(db, port.id, D(2021, 6, 1), 3, ["一线职工"] * 4)
    _mark(db, people[0], "attended")
    _complete(db, second)
    assert attendance.close_roll_call(db, second, D(2021, 6, 3)) == 3
    # 3: completed, three members, a no-show marked but the roll call still open: counted as planned
    third, people = _trip(db, ningbo.id, D(2021, 6, 20), 3, ["技术人员"] * 3)
    _mark(db, people[0], "no_show")
    _complete(db, third)
    # 4: headcount only (ten people, two days), never completed: planned
    batches.create_batch(db, batches.BatchInput(port.id, D(2021, 7, 1), D(2021, 7, 2), 10))
    return db


def test_planned_and_attended_per_batch_month_partner_and_base(year: Database) -> None:
    stats = period_stats(year, Period.year(2021))
    # planned: 6×5 + 4×3 + 3×3 + 10×2; the companion counts nowhere
    assert (stats.batches, stats.people, stats.person_days) == (4, 23, 71)
    whole = stats.attendance
    assert (whole.batches, whole.closed_batches) == (4, 2)
    assert (whole.planned_people, whole.planned_person_days) == (23, 71)
    # attended: batch 1: 4×5 + 3 (10–12 May) = 23; batch 2: 1×3; batches 3 and 4 as planned
    assert (whole.attended_people, whole.attended_person_days) == (5 + 1 + 3 + 10, 23 + 3 + 9 + 20)
    assert (whole.no_show, whole.left_early) == (1 + 3, 1)
    assert (whole.difference_people, whole.difference_person_days) == (4, 16)
    per_batch = {
        a.name: (
            a.closed_batches,
            a.planned_people,
            a.planned_person_days,
            a.attended_people,
            a.attended_person_days,
        )
        for a in stats.attendance_by_batch
    }
    assert sorted(per_batch.values()) == sorted(
        [(1, 6, 30, 5, 23), (1, 4, 12, 1, 3), (0, 3, 9, 3, 9), (0, 10, 20, 10, 20)]
    )
    months = {
        int(a.name): (a.planned_people, a.planned_person_days, a.attended_people, a.attended_person_days)
        for a in stats.attendance_by_month
    }
    assert months[5] == (6, 30, 5, 23) and months[6] == (7, 21, 4, 12) and months[7] == (10, 20, 10, 20)
    assert months[1] == (0, 0, 0, 0) and len(months) == 12
    assert [
        (
            a.name,
            a.batches,
            a.planned_people,
            a.planned_person_days,
            a.attended_people,
            a.attended_person_days,
        )
        for a in stats.attendance_by_partner
    ] == [("浙江海港集团", 2, 14, 32, 11, 23), ("宁波大学", 2, 9, 39, 8, 32)]
    assert [
        (a.name, a.planned_people, a.planned_person_days, a.attended_people, a.attended_person_days)
        for a in stats.attendance_by_base
    ] == [("寿昌宾馆", 6, 30, 5, 23)]


def test_companions_never_count_but_take_their_beds(year: Database) -> None:
    stats = period_stats(year, Period.year(2021))
    assert [(p.partner, p.people) for p in stats.by_partner] == [("浙江海港集团", 14), ("宁波大学", 9)]
    assert {g.name: g.people for g in stats.by_category} == {
        "一线职工": 9,
        "技术人员": 3,
        "管理人员": 1,
        "未填名单": 10,
    }
    # by base: seven lodged four nights, the companion's share left out; utilisation counts every bed
    assert [(g.name, g.batches, g.people, g.person_days) for g in stats.by_base] == [("寿昌宾馆", 1, 6, 24)]
    assert next(u for u in stats.utilisation if u.base == "寿昌宾馆").bed_nights_used == 28
    assert stats.by_month[4].people == 6 and sum(m.people for m in stats.by_month) == 23


def test_the_json_keeps_todays_keys_and_adds_planned_and_attended(year: Database) -> None:
    data = period_stats(year, Period.year(2021)).to_json()
    assert (data["people"], data["person_days"]) == (23, 71)
    assert data["planned"] == {"batches": 4, "people": 23, "person_days": 71}
    attended = data["attended"]
    assert isinstance(attended, dict)
    assert (attended["closed_batches"], attended["people"], attended["person_days"]) == (2, 19, 55)
    assert (attended["difference_people"], attended["difference_person_days"]) == (4, 16)
    assert {"by_batch", "by_month", "by_partner", "by_base"} <= set(attended)
    assert attended["by_base"][0]["difference_person_days"] == 7


def test_an_open_roll_call_counts_as_planned_until_it_closes(year: Database) -> None:
    third = next(
        a
        for a in period_stats(year, Period.year(2021)).attendance_by_batch
        if a.closed_batches == 0 and a.planned_people == 3
    )
    batch = batches.find_batch(year, third.name)
    assert batch is not None
    attendance.close_roll_call(year, batch.id, D(2021, 6, 22))  # the two unmarked become no-shows too
    after = {a.name: a for a in period_stats(year, Period.year(2021)).attendance_by_batch}[third.name]
    assert (after.closed_batches, after.attended_people, after.attended_person_days, after.no_show) == (
        1,
        0,
        0,
        3,
    )
    attendance.reopen_roll_call(year, batch.id)
    again = {a.name: a for a in period_stats(year, Period.year(2021)).attendance_by_batch}[third.name]
    assert (again.closed_batches, again.attended_people) == (0, 3)


# -- the least share of a worker category ----------------------------------------------------------------------


def _findings(db: Database, batch_id: int) -> list[str]:
    return [f.message for f in batches.get_batch(db, batch_id).findings if f.rule == "category_share"]


def test_the_share_setting_is_checked(db: Database) -> None:
    assert policy.get_policy(db).share_rule is None
    with pytest.raises(ValidationError):
        policy.set_policy(db, {"category_share": "一线职工"})
    with pytest.raises(ValidationError):
        policy.set_policy(db, {"category_share": "一线职工:120"})
    with pytest.raises(ValidationError):
        policy.set_policy(db, {"category_share_scope": "year"})
    stored = policy.set_policy(db, {"category_share": " 一线职工：90 ", "category_share_scope": "batch"})
    assert (stored.category_share, stored.share_rule) == ("一线职工:90", ("一线职工", 90))


def test_a_batch_below_the_share_is_warned_companions_left_out(db: Database) -> None:
    ningbo = partner(db, "宁波大学")
    low, _ = _trip(db, ningbo.id, D(2021, 5, 10), 3, ["一线职工"] * 27 + ["管理人员"] * 5)
    # 9 of 10 members is exactly 90%; the two companions (no category) would make it 75% if they counted
    high, _ = _trip(db, ningbo.id, D(2021, 6, 10), 3, ["一线职工"] * 9 + ["技术人员"], companions=2)
    assert _findings(db, low) == []  # no rule set
    policy.set_policy(db, {"category_share": "一线职工:90", "category_share_scope": "batch"})
    [message] = _findings(db, low)
    assert "一线职工 27 / 32 人 = 84%，低于 90%" in message
    assert _findings(db, high) == []
    roster_count = [f for f in batches.get_batch(db, high).findings if f.rule == "roster_count"]
    assert roster_count == []  # the companions travel beside the planned headcount of 10
    assert not [a for a in collect_alerts(db, D(2021, 5, 1)) if a.rule == "category_share"]


def test_a_partners_year_below_the_share_is_an_alert(db: Database) -> None:
    ningbo, port = partner(db, "宁波大学"), partner(db, "浙江海港集团")
    _trip(db, ningbo.id, D(2021, 5, 10), 3, ["一线职工"] * 10 + ["管理人员"] * 2, companions=1)
    _trip(db, ningbo.id, D(2021, 6, 10), 3, ["一线职工"] * 8, companions=3)
    _trip(db, port.id, D(2021, 6, 10), 3, ["一线职工"] * 9 + ["技术人员"], companions=4)
    policy.set_policy(db, {"category_share": "一线职工:95", "category_share_scope": "partner_year"})
    found = [a for a in collect_alerts(db, D(2021, 5, 1)) if a.rule == "category_share"]
    assert [(a.subject, a.numbers["count"], a.numbers["total"], a.numbers["share"]) for a in found] == [
        ("宁波大学", 18, 20, 90),
        ("浙江海港集团", 9, 10, 90),
    ]
    assert "一线职工 18 / 20 人 = 90%，低于 95%" in found[0].message and not found[0].severe
    assert found[0].category == "agreement" and found[0].table == "partner"
    low, _ = _trip(db, port.id, D(2021, 8, 10), 3, ["管理人员"] * 5)
    assert _findings(db, low) == []  # the batch scope is not in force
