"""Editing batches, pairing rooms, counting meals and changing a roster by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from recuperation.errors import RuleViolation, StaleEditError, ValidationError
from recuperation.services import policy, routes
from recuperation.services.batch import batches, rooms, rosters
from recuperation.services.batch import edit as batch_edit
from recuperation.storage.database import Database
from tests.factories import certified_base, partner, person_id

D = dt.date


def _lodging(base: int, arrival: D, nights: int, people: int) -> tuple[batches.LodgingInput, ...]:
    return tuple(batches.LodgingInput(base, arrival + dt.timedelta(days=i), people) for i in range(nights))


def test_moving_a_batch_moves_its_itinerary_and_rechecks_capacity(db: Database) -> None:
    p = partner(db)
    base = certified_base(db, "寿昌宾馆", beds=80)
    policy.set_policy(
        db, {"order_mode": "warn"}
    )  # batches created confirmed; the orders' rule is not tested here
    route = routes.create_route(
        db,
        routes.RouteInput(
            "XL02",
            "寿昌古镇休闲线路",
            "leisure",
            2,
            1,
            items=(
                routes.RouteItemInput(1, "古镇漫游"),
                routes.RouteItemInput(1, "晚餐", "dinner", base_id=base.id),
                routes.RouteItemInput(2, "早餐", "breakfast", base_id=base.id),
            ),
        ),
    )
    other = batches.create_batch(
        db,
        batches.BatchInput(
            p.id,
            D(2021, 5, 20),
            D(2021, 5, 21),
            60,
            status="confirmed",
            lodging=_lodging(base.id, D(2021, 5, 20), 1, 60),
        ),
    )
    data = batches.BatchInput(
        p.id,
        D(2021, 5, 12),
        D(2021, 5, 13),
        30,
        route_id=route.id,
        status="confirmed",
        lodging=_lodging(base.id, D(2021, 5, 12), 1, 30),
    )
    row = batches.create_batch(db, data)
    moved = batch_edit.update_batch(
        db,
        row.id,
        row.version,
        batches.BatchInput(
            p.id,
            D(2021, 5, 14),
            D(2021, 5, 15),
            30,
            route_id=route.id,
            leader="王芳",
            lodging=_lodging(base.id, D(2021, 5, 14), 1, 30),
        ),
    )
    assert (moved.arrival, moved.leader, moved.status, moved.version) == (
        D(2021, 5, 14),
        "王芳",
        "confirmed",
        2,
    )
    details = batch_edit.get_details(db, row.id)
    assert [i.on_date for i in details.itinerary] == [D(2021, 5, 14), D(2021, 5, 14), D(2021, 5, 15)]
    assert [(lo.base, lo.night, lo.people) for lo in details.lodging] == [("寿昌宾馆", D(2021, 5, 14), 30)]
    with pytest.raises(RuleViolation, match="5月20日 床位超出 10 张（已订 90 / 共 80）"):
        batch_edit.update_batch(
            db,
            row.id,
            moved.version,
            batches.BatchInput(
                p.id,
                D(2021, 5, 20),
                D(2021, 5, 21),
                30,
                route_id=route.id,
                lodging=_lodging(base.id, D(2021, 5, 20), 1, 30),
            ),
        )
    assert batches.get_batch(db, row.id).arrival == D(2021, 5, 14)  # the refused move changed nothing
    with pytest.raises(StaleEditError):
        batch_edit.update_batch(db, row.id, row.version, data)
    with pytest.raises(ValidationError, match="已存在"):
        batch_edit.update_batch(
            db,
            row.id,
            moved.version,
            batches.BatchInput(p.id, D(2021, 5, 14), D(2021, 5, 15), 30, code=other.code),
        )


def test_rooms_pair_by_sex_then_employer_then_age(db: Database) -> None:
    p = partner(db)
    base = certified_base(db, "寿昌宾馆", beds=80)
    row = batches.create_batch(
        db,
        batches.BatchInput(
            p.id,
            D(2021, 5, 12),
            D(2021, 5, 14),
            5,
            guide="方婷",
            vehicle="浙A·12345",
            lodging=_lodging(base.id, D(2021, 5, 12), 2, 5),
        ),
    )
    people = [
        ("王强", person_id(1, "19800101"), "机械学院"),
        ("李军", person_id(3, "19900101"), "图书馆"),
        ("张伟", person_id(5, "19810101"), "机械学院"),
        ("陈芳", person_id(2, "19850101"), "图书馆"),
        ("刘敏", person_id(4, "19860101"), "图书馆"),
    ]
    for name, number, employer in people:
        rosters.add_participant(db, row.id, rosters.ParticipantInput(name, number, employer=employer))
    result = rooms.pair_rooms(db, row.id)
    assert (result.rooms, result.singles, result.staff_rooms) == (3, 1, 2)
    by_name = {p.name: p.room for p in rosters.list_participants(db, row.id)}
    assert by_name["陈芳"] == by_name["刘敏"] == "女01"
    assert by_name["王强"] == by_name["张伟"] != by_name["李军"]  # same employer first
    assert by_name["李军"].endswith("单")
    nights = rooms.rooms_per_night(db, row.id)
    assert [(n.night, n.people, n.rooms) for n in nights] == [(D(2021, 5, 12), 5, 5), (D(2021, 5, 13), 5, 5)]


def test_meal_counts_for_the_kitchen(db: Database) -> None:
    p = partner(db)
    base = certified_base(db, "寿昌宾馆", beds=80)
    route = routes.create_route(
        db,
        routes.RouteInput(
            "XL02",
            "寿昌古镇休闲线路",
            "leisure",
            2,
            1,
            items=(
                routes.RouteItemInput(1, "晚餐", "dinner", base_id=base.id),
                routes.RouteItemInput(2, "早餐", "breakfast", base_id=base.id),
            ),
        ),
    )
    row = batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 30, route_id=route.id, guide="方婷")
    )
    assert [(m.day, m.meal, m.base, m.people) for m in rooms.meal_counts(db, row.id)] == [
        (D(2021, 5, 12), "dinner", "寿昌宾馆", 31),
        (D(2021, 5, 13), "breakfast", "寿昌宾馆", 31),
    ]


def test_roster_edit_and_removal_by_hand(db: Database) -> None:
    p = partner(db)
    row = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 2))
    first, _ = rosters.add_participant(db, row.id, rosters.ParticipantInput("王芳", person_id(2)))
    second, _ = rosters.add_participant(db, row.id, rosters.ParticipantInput("李强", person_id(3)))
    edited, _ = rosters.update_participant(
        db,
        first.id,
        first.version,
        rosters.ParticipantInput("王芳", person_id(2), phone="13812345678", diet="清真"),
    )
    assert edited.phone_masked == "138****5678" and edited.version == 2
    with pytest.raises(ValidationError, match="已有身份证号"):
        rosters.update_participant(
            db, second.id, second.version, rosters.ParticipantInput("李强", person_id(2))
        )
    with pytest.raises(StaleEditError):
        rosters.update_participant(
            db, first.id, first.version, rosters.ParticipantInput("王芳", person_id(2))
        )
    rosters.remove_participant(db, second.id, second.version, reason="生病，不能成行")
    assert [r.name for r in rosters.list_participants(db, row.id)] == ["王芳"]
    with db.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT old FROM audit_log WHERE field = 'substitution'")).scalar()
            == "生病，不能成行"
        )


def test_quota_behaviour_follows_the_policy(db: Database) -> None:
    from recuperation.services import partners, policy

    p = partner(db)
    agreement = partners.create_agreement(
        db,
        partners.AgreementInput(
            p.id, "JD-2021-001", D(2021, 1, 1), D(2021, 1, 1), D(2023, 12, 31), quota_batches=1
        ),
    )
    batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 5, 1), D(2021, 5, 2), 30, agreement_id=agreement.id)
    )
    second = batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 6, 1), D(2021, 6, 2), 30, agreement_id=agreement.id)
    )
    assert [(f.severity, f.rule) for f in second.findings] == [("warning", "quota")]
    policy.set_policy(db, {"quota_mode": "refuse"})
    with pytest.raises(RuleViolation, match="超出配额时拒绝"):
        batches.create_batch(
            db, batches.BatchInput(p.id, D(2021, 7, 1), D(2021, 7, 2), 30, agreement_id=agreement.id)
        )
    assert len(batches.list_batches(db, year=2021)) == 2


def test_batch_list_knows_where_each_batch_lodges(db: Database) -> None:
    p = partner(db)
    a = certified_base(db, "寿昌宾馆", beds=80)
    b = certified_base(db, "江滨宾馆", beds=80)
    batches.create_batch(
        db,
        batches.BatchInput(
            p.id,
            D(2021, 5, 12),
            D(2021, 5, 14),
            30,
            lodging=(
                batches.LodgingInput(a.id, D(2021, 5, 12), 30),
                batches.LodgingInput(b.id, D(2021, 5, 13), 30),
            ),
        ),
    )
    assert batches.list_batches(db)[0].bases == ("寿昌宾馆", "江滨宾馆") or set(
        batches.list_batches(db)[0].bases
    ) == {"寿昌宾馆", "江滨宾馆"}
