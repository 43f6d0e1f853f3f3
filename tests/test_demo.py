"""The demo year: realistic, deterministic, consistent with every rule."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from recuperation.demo import build_demo
from recuperation.errors import ValidationError
from recuperation.people import check_id, phone_valid
from recuperation.services import orders
from recuperation.services.checks import check_database
from recuperation.storage.database import Database, open_database


def _rows(db: Database, sql: str) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def _date(value: object) -> dt.date:
    """A date column as read through plain SQL: text on SQLite, a date on PostgreSQL."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def test_first_frontline_group_at_shouchang(demo_db: Database) -> None:
    rows = _rows(
        demo_db,
        """
        SELECT b.headcount, p.name, r.name, (SELECT count(*) FROM participant WHERE batch_id = b.id),
               (SELECT min(ba.township) FROM lodging l JOIN base ba ON ba.id = l.base_id WHERE l.batch_id = b.id),
               (SELECT count(DISTINCT ba.township) FROM lodging l JOIN base ba ON ba.id = l.base_id
                WHERE l.batch_id = b.id)
        FROM batch b JOIN partner p ON p.id = b.partner_id JOIN route r ON r.id = b.route_id
        WHERE b.arrival = '2021-03-31' AND b.headcount = 200""",
    )
    assert rows == [(200, "杭州市总工会", "寿昌古镇休闲线路", 200, "寿昌镇", 1)]
    earlier = _rows(
        demo_db,
        """SELECT count(*) FROM batch b JOIN partner p ON p.id = b.partner_id
                                WHERE p.name = '杭州市总工会' AND b.kind = 'recuperation'
                                AND b.arrival < '2021-03-31'""",
    )
    assert earlier == [(0,)]


def test_zju_westward_route_and_every_theme(demo_db: Database) -> None:
    themes = {r[0] for r in _rows(demo_db, "SELECT theme FROM route")}
    assert themes == {"leisure", "fitness", "study", "heritage", "wellness"}
    places = _rows(
        demo_db,
        """SELECT ri.place FROM route_item ri JOIN route r ON r.id = ri.route_id
                               WHERE r.name LIKE '%浙大西迁%'""",
    )
    assert ("梅城浙大路",) in places


def test_agreements_signed_in_2021(demo_db: Database) -> None:
    names = {
        r[0]
        for r in _rows(
            demo_db,
            """SELECT p.name FROM agreement a JOIN partner p ON p.id = a.partner_id
                                             WHERE a.signed_on BETWEEN '2021-01-01' AND '2021-12-31'""",
        )
    }
    assert len(names) == 8 and {"秦山核电站", "浙江海港集团", "宁波大学"} <= names


@pytest.mark.pg_owner  # reads every stored number
def test_every_batch_has_a_full_roster_of_valid_people(demo_db: Database) -> None:
    short = _rows(
        demo_db,
        """SELECT b.code FROM batch b LEFT JOIN participant p ON p.batch_id = b.id AND NOT p.companion
                              GROUP BY b.id, b.code, b.headcount HAVING count(p.id) != b.headcount""",
    )
    assert short == []  # companions travel beside the planned roster
    people = _rows(demo_db, "SELECT id_number, sex, birth_date, phone, companion FROM participant")
    assert len([p for p in people if not p[4]]) == 45256
    for number, sex, birth, phone, _companion in people[::97]:
        verdict = check_id(number)
        assert verdict.ok and verdict.sex == sex and verdict.birth_date == _date(birth)
        assert phone_valid(phone)
    assert len({p[0] for p in people}) == len(people)


def test_no_base_over_its_beds_and_no_lodging_without_certification(demo_db: Database) -> None:
    assert check_database(demo_db) == []
    uncertified = _rows(
        demo_db,
        """
        SELECT l.batch_id, l.night FROM lodging l JOIN batch b ON b.id = l.batch_id
        WHERE b.status != 'cancelled' AND NOT EXISTS (
            SELECT 1 FROM certification c WHERE c.base_id = l.base_id AND c.status IN ('certified', 'rechecked')
            AND c.valid_from <= l.night AND c.valid_to >= l.night)""",
    )
    assert uncertified == []
    nights = _rows(
        demo_db,
        """SELECT b.code, b.arrival, b.departure,
                  (SELECT count(*) FROM participant WHERE batch_id = b.id),
                  (SELECT coalesce(sum(people), 0) FROM lodging WHERE batch_id = b.id)
           FROM batch b WHERE b.status != 'cancelled' AND b.departure > b.arrival""",
    )
    lodged = [
        code
        for code, arrival, departure, roster, people in nights
        if people != roster * (_date(departure) - _date(arrival)).days  # companions lodge with the group
    ]
    assert nights and lodged == []


def _fingerprint(path: Path) -> str:
    database = open_database(path)
    digest = hashlib.sha256()
    for row in _rows(
        database,
        """SELECT b.code, b.arrival, p.name, p.id_number FROM participant p
                                  JOIN batch b ON b.id = p.batch_id ORDER BY p.id""",
    ):
        digest.update(repr(row).encode())
    database.close()
    return digest.hexdigest()


def test_the_demo_is_deterministic(demo_file: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.db"
    database = open_database(again)
    build_demo(database, 1)
    database.close()
    assert _fingerprint(again) == _fingerprint(demo_file)


def test_demo_only_into_an_empty_database(demo_db: Database) -> None:
    with pytest.raises(ValidationError, match="已有数据"):
        build_demo(demo_db, 1)


@pytest.mark.pg_owner  # the demo is built by the owner (it sets the sequences)
@pytest.mark.sqlite_run  # the server takes the same path in a lighter test
def test_more_years_continue_the_pattern(db: Database) -> None:
    report = build_demo(db, 2)
    years = Counter(
        str(_date(arrival).year)
        for (arrival,) in _rows(
            db, "SELECT arrival FROM batch WHERE kind = 'recuperation' AND status != 'cancelled'"
        )
    )
    assert set(years) == {"2021", "2022"} and 600 < years["2022"] < years["2021"]
    assert report.batches == sum(r[0] for r in _rows(db, "SELECT count(*) FROM batch"))
    assert check_database(db) == []


def test_the_demo_year_has_orders_in_every_state(demo_db: Database) -> None:
    """Every screen of the orders shows something real: 2021's orders are in every state (drafts are derived,
    no row stored); the ones confirmed were confirmed with the content the batch has now."""
    rows = orders.list_orders(demo_db, first=dt.date(2021, 1, 1), last=dt.date(2021, 12, 31))
    states = Counter(r.state for r in rows)
    assert set(states) == {
        "draft",
        "sent",
        "confirmed",
        "amended",
        "declined",
        orders.CHANGED,
        orders.WITHDRAWN,
    }
    assert states["confirmed"] > 0.8 * len(rows)  # most
    assert all(r.id is None for r in rows if r.state == "draft")
    for row in rows:
        if row.state in ("confirmed", "amended"):
            assert row.sent == row.content and row.differences == ()
            assert row.sent_on and row.answered_on and row.answered_by and row.reference
            assert 10 <= (row.arrival - row.sent_on).days <= 30
            assert 1 <= (row.answered_on - row.sent_on).days <= 5
        elif row.state == "declined":  # the batch went to another base
            assert row.content is None and row.reason and row.sent is not None
        elif row.state == orders.CHANGED:  # the roster grew by two after the bases confirmed
            assert row.differences[0] == "人数 +2"
        elif row.state == orders.WITHDRAWN:
            assert row.batch_status == "cancelled"
    assert {r.sent_how for r in rows if r.sent_how} == {"printed", "pdf", "workbook", "email"}
    for row in rows:
        if row.state == "amended" and "间房" in row.changes:
            first = row.sent["nights"][0] if row.sent else {}
            assert f"原为 {first['rooms']} 间" in row.changes


def test_some_batches_have_their_departure_notice(demo_db: Database) -> None:
    notices = _rows(
        demo_db,
        """SELECT n.gather_at, n.gather_place, n.insurance, b.arrival, b.status FROM departure_notice n
           JOIN batch b ON b.id = n.batch_id""",
    )
    assert 100 < len(notices) < 1218
    for gather_at, place, insurance, arrival, status in notices:
        day = _date(arrival)
        assert gather_at.startswith(f"{day.month}月{day.day}日 ") and place and status != "cancelled"
        assert f"-{day.year}-" in insurance


def test_the_demo_year_went_mostly_as_planned(demo_db: Database) -> None:
    """The roll calls, companions and substitutions leave the report's planned figures as they were; what
    was attended is a little less, and companions count in neither."""
    from recuperation.services.statistics import Period, period_stats

    stats = period_stats(demo_db, Period.year(2021, dt.date(2021, 11, 30)))
    assert (stats.batches, stats.people, stats.training_classes, stats.conferences) == (1065, 38665, 65, 3)
    went = stats.attendance
    assert (went.planned_people, went.closed_batches) == (38665, 1065)
    assert 0.95 * 38665 < went.attended_people < 38665
    assert went.attended_person_days < stats.person_days and went.no_show > 0 and went.left_early > 0
    assert sum(a.planned_people for a in stats.attendance_by_partner) == 38665
    companions = _rows(
        demo_db,
        """SELECT count(*), count(DISTINCT p.batch_id) FROM participant p JOIN batch b ON b.id = p.batch_id
           WHERE p.companion AND b.kind = 'recuperation'""",
    )[0]
    assert companions[0] > 20 and companions[1] > 10
    open_calls = _rows(
        demo_db,
        """SELECT count(*) FROM batch WHERE status = 'completed'
           AND (roll_closed_on IS NULL OR roll_closed_on != departure)""",
    )
    assert open_calls == [(0,)]
    marks = dict(_rows(demo_db, "SELECT attendance, count(*) FROM participant GROUP BY attendance"))
    assert marks["attended"] > 0.9 * sum(marks.values()) and marks["no_show"] and marks["left_early"]
    early = _rows(
        demo_db,
        """SELECT p.left_on, b.arrival, b.departure FROM participant p JOIN batch b ON b.id = p.batch_id
           WHERE p.attendance = 'left_early'""",
    )
    assert all(_date(a) <= _date(left) < _date(d) for left, a, d in early)
    substitutions = _rows(
        demo_db, "SELECT name, other_name, reason FROM roster_event WHERE kind = 'substitute'"
    )
    assert len(substitutions) > 10
    assert all(name and other and f"替换 {other} " in reason for name, other, reason in substitutions)
