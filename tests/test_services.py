"""The services: validation messages, stale edits, certification steps, batch rules, rosters, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from recuperation.errors import NotFoundError, RuleViolation, StaleEditError, ValidationError
from recuperation.services import bases, partners, policy, routes
from recuperation.services.batch import batches, rosters
from recuperation.storage.database import Database
from tests.factories import audit_user, certified_base, partner, person_id, stored_numbers, valid_uscc

D = dt.date


# --- partners and agreements -------------------------------------------------------------------------


def test_partner_with_a_valid_credit_code_is_created_and_audited(db: Database) -> None:
    code = valid_uscc()
    row = partners.create_partner(
        db, partners.PartnerInput(name=" 秦山核电站 ", uscc=code.lower(), contact_phone="138 1234 5678")
    )
    assert row.name == "秦山核电站" and row.uscc == code and row.contact_phone == "13812345678"
    with db.engine.connect() as conn:
        entry = conn.execute(text('SELECT "user", action, table_name, record_label FROM audit_log')).one()
    assert entry == (audit_user(db), "create", "partner", "秦山核电站")


def test_a_credit_code_failing_its_checksum_is_refused_with_the_partner_named(db: Database) -> None:
    code = valid_uscc()
    wrong = code[:-1] + ("1" if code[-1] != "1" else "2")
    with pytest.raises(ValidationError) as info:
        partners.create_partner(db, partners.PartnerInput(name="浙江海港集团", uscc=wrong))
    assert info.value.field == "uscc"
    assert "浙江海港集团" in info.value.message and "校验位不符" in info.value.message
    assert partners.list_partners(db) == []


def test_duplicate_partner_name_and_bad_fields(db: Database) -> None:
    partner(db, "宁波大学")
    with pytest.raises(ValidationError, match="已存在"):
        partners.create_partner(db, partners.PartnerInput(name="宁波大学"))
    with pytest.raises(ValidationError, match="必填"):
        partners.create_partner(db, partners.PartnerInput(name="  "))
    with pytest.raises(ValidationError, match="控制字符"):
        partners.create_partner(db, partners.PartnerInput(name="坏\x07名字"))
    with pytest.raises(ValidationError, match="最多 100 个字符"):
        partners.create_partner(db, partners.PartnerInput(name="长" * 101))
    with pytest.raises(ValidationError, match="电话"):
        partners.create_partner(db, partners.PartnerInput(name="甲单位", contact_phone="12345"))
    with pytest.raises(ValidationError, match="不是可选值"):
        partners.create_partner(db, partners.PartnerInput(name="乙单位", kind="alien"))


@pytest.mark.pg_owner  # two desk users: two logins would be needed on a server (tests/test_full_ids_server.py)
def test_a_stale_edit_is_refused_and_names_who_changed_it(db: Database) -> None:
    original = partner(db, "宁波大学")
    desk_b = Database(db.url, user="李秀兰")
    try:
        partners.update_partner(
            desk_b,
            original.id,
            original.version,
            partners.PartnerInput(
                name="宁波大学", kind="university", region="宁波市江北区", uscc=original.uscc
            ),
        )
    finally:
        desk_b.close()
    with pytest.raises(StaleEditError) as info:
        partners.update_partner(
            db,
            original.id,
            original.version,
            partners.PartnerInput(name="宁波大学", kind="university", region="宁波", uscc=original.uscc),
        )
    assert "李秀兰" in info.value.message and "重新载入" in info.value.message
    rows = partners.list_partners(db)
    assert rows[0].region == "宁波市江北区" and rows[0].version == 2
    with db.engine.connect() as conn:
        change = conn.execute(
            text("SELECT \"user\", field, old, new FROM audit_log WHERE action='update'")
        ).one()
    assert change == ("李秀兰", "region", "", "宁波市江北区")


def test_agreement_term_and_unique_number(db: Database) -> None:
    p = partner(db)
    data = partners.AgreementInput(
        p.id, "JD-2021-001", D(2021, 5, 12), D(2021, 5, 12), D(2024, 5, 11), 20, 800, 40000
    )
    row = partners.create_agreement(db, data)
    assert row.partner == "宁波大学" and row.quota_people == 800
    with pytest.raises(ValidationError, match="已存在"):
        partners.create_agreement(db, data)
    with pytest.raises(ValidationError, match="早于起始日期"):
        partners.create_agreement(
            db, partners.AgreementInput(p.id, "JD-2021-002", D(2021, 5, 1), D(2021, 5, 1), D(2021, 4, 1))
        )
    with pytest.raises(ValidationError, match="不能为负数"):
        partners.create_agreement(
            db,
            partners.AgreementInput(
                p.id, "JD-2021-003", D(2021, 5, 1), D(2021, 5, 1), D(2022, 4, 1), quota_batches=-1
            ),
        )


# --- bases and certification -------------------------------------------------------------------------


def test_base_counts_cannot_be_negative(db: Database) -> None:
    with pytest.raises(ValidationError, match="床位数不能为负数"):
        bases.create_base(db, bases.BaseInput(name="寿昌宾馆", beds=-5))


def test_certification_follows_its_path_and_refuses_an_impossible_step(db: Database) -> None:
    base = bases.create_base(db, bases.BaseInput(name="梅城严州古城酒店", beds=160))
    cert = bases.apply_for_certification(db, base.id, "hangzhou", D(2021, 1, 5), "王建华")
    with pytest.raises(ValidationError) as info:
        bases.advance_certification(db, cert.id, cert.version, "certified", D(2021, 2, 1))
    assert "申报" in info.value.message and "初审" in info.value.message
    cert = bases.advance_certification(db, cert.id, cert.version, "first_review", D(2021, 2, 1))
    cert = bases.advance_certification(db, cert.id, cert.version, "site_inspection", D(2021, 3, 1))
    with pytest.raises(ValidationError, match="证书编号和有效期"):
        bases.advance_certification(db, cert.id, cert.version, "certified", D(2021, 4, 1))
    cert = bases.advance_certification(
        db,
        cert.id,
        cert.version,
        "certified",
        D(2021, 4, 1),
        certificate_no="HZLXY-2021-001",
        valid_from=D(2021, 4, 1),
        valid_to=D(2024, 3, 31),
    )
    assert cert.status == "certified" and cert.valid_on(D(2021, 11, 30)) and not cert.valid_on(D(2021, 3, 31))
    assert [s.step for s in cert.steps] == ["application", "first_review", "site_inspection", "certified"]
    cert = bases.advance_certification(
        db, cert.id, cert.version, "revoked", D(2022, 1, 1), notes="整改不到位"
    )
    assert not cert.valid_on(D(2022, 6, 1))
    with pytest.raises(ValidationError, match="不能进行"):
        bases.advance_certification(db, cert.id, cert.version, "recheck", D(2022, 2, 1))


# --- routes ------------------------------------------------------------------------------------------


def test_route_with_its_day_plan(db: Database) -> None:
    base = certified_base(db, "梅城严州古城酒店")
    items = (
        routes.RouteItemInput(1, "参观浙大西迁历史陈列馆", time_of_day="上午", place="梅城"),
        routes.RouteItemInput(1, "入住", kind="lodging", base_id=base.id),
        routes.RouteItemInput(2, "严州古城寻访，返程", time_of_day="上午"),
    )
    row = routes.create_route(
        db, routes.RouteInput("XL01", "浙大西迁疗休养线路", "study", 2, 1, 76000, items=items)
    )
    assert [i.activity for i in row.items] == [i.activity for i in items]
    with pytest.raises(ValidationError, match="第 3 天超出线路天数 2"):
        routes.create_route(
            db,
            routes.RouteInput(
                "XL02", "错线路", "study", 2, 1, items=(routes.RouteItemInput(3, "多出来的一天"),)
            ),
        )


# --- batches -----------------------------------------------------------------------------------------


def _batch(
    db: Database, p: int, base: int, arrival: D, days: int, people: int, **kw: object
) -> batches.BatchRow:
    nights = tuple(
        batches.LodgingInput(base, arrival + dt.timedelta(days=i), people) for i in range(days - 1)
    )
    return batches.create_batch(
        db,
        batches.BatchInput(
            partner_id=p,
            arrival=arrival,
            departure=arrival + dt.timedelta(days=days - 1),
            headcount=people,
            lodging=nights,
            **kw,
        ),
    )  # type: ignore[arg-type]


def test_batch_dates_and_policy_days(db: Database) -> None:
    p = partner(db)
    with pytest.raises(ValidationError, match="早于到达日期"):
        batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 10), 30))
    with pytest.raises(RuleViolation, match="行程 6 天，超过政策上限 5 天"):
        batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 10), D(2021, 5, 15), 30))
    policy.set_policy(db, {"max_days": "7"})
    row = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 10), D(2021, 5, 15), 30))
    assert row.code == "L2021-0001" and row.days == 6


def test_confirming_an_overbooking_is_refused_with_base_night_and_numbers(db: Database) -> None:
    p = partner(db)
    base = certified_base(db, "寿昌宾馆", beds=80)
    policy.set_policy(
        db, {"order_mode": "warn"}
    )  # batches created confirmed; the orders' rule is not tested here
    _batch(db, p.id, base.id, D(2021, 5, 12), 3, 60, status="confirmed")
    with pytest.raises(RuleViolation) as info:
        _batch(db, p.id, base.id, D(2021, 5, 12), 2, 26, status="confirmed")
    assert "寿昌宾馆 5月12日 床位超出 6 张（已订 86 / 共 80）" in info.value.message
    assert len(batches.list_batches(db)) == 1  # nothing of the refused batch was written
    planned = _batch(db, p.id, base.id, D(2021, 5, 12), 2, 26)  # planned: allowed, shown as an error finding
    assert any(f.rule == "capacity" and f.severity == "error" for f in planned.findings)
    with pytest.raises(RuleViolation, match="床位超出 6 张"):
        batches.set_status(db, planned.id, planned.version, "confirmed")
    assert batches.get_batch(db, planned.id).status == "planned"
    cancelled = batches.set_status(db, planned.id, planned.version, "cancelled", "单位临时调整")
    assert cancelled.status == "cancelled" and not cancelled.findings


def test_cancelling_needs_a_reason_and_status_moves_forward(db: Database) -> None:
    p = partner(db)
    row = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 30))
    with pytest.raises(ValidationError, match="原因"):
        batches.set_status(db, row.id, row.version, "cancelled")
    with pytest.raises(RuleViolation, match="不能改为"):
        batches.set_status(db, row.id, row.version, "completed")
    row = batches.set_status(db, row.id, row.version, "confirmed")
    with pytest.raises(StaleEditError):
        batches.set_status(db, row.id, row.version - 1, "in_progress")


def test_findings_certification_quota_term_and_roster(db: Database) -> None:
    p = partner(db)
    base = certified_base(db, "寿昌宾馆", beds=200, since=D(2021, 6, 1))
    agreement = partners.create_agreement(
        db,
        partners.AgreementInput(
            p.id,
            "JD-2021-001",
            D(2021, 3, 1),
            D(2021, 3, 1),
            D(2021, 12, 31),
            quota_batches=1,
            quota_people=50,
        ),
    )
    first = _batch(db, p.id, base.id, D(2021, 5, 31), 3, 40, agreement_id=agreement.id)
    messages_ = [f.message for f in first.findings]
    assert messages_ == ["寿昌宾馆 5月31日：住宿基地在该晚没有有效认定。"]
    second = _batch(db, p.id, base.id, D(2021, 12, 30), 3, 30, agreement_id=agreement.id)
    found = [(f.rule, f.message) for f in second.findings]
    assert ("quota", "协议 JD-2021-001 2021 年批次配额 1，本批次计入后为 2，超出配额。") in found
    assert ("quota", "协议 JD-2021-001 2021 年人数配额 50，本批次计入后为 70 人，超出配额。") in found
    assert any(rule == "agreement_term" and "不在协议 JD-2021-001 的有效期" in m for rule, m in found)
    rosters.add_participant(db, first.id, rosters.ParticipantInput("王芳", person_id(2)))
    refreshed = batches.get_batch(db, first.id)
    assert any(
        f.rule == "roster_count" and "名单 1 人，与计划人数 40 人不符" in f.message
        for f in refreshed.findings
    )


def test_lodging_outside_the_stay_is_refused(db: Database) -> None:
    p = partner(db)
    base = certified_base(db)
    with pytest.raises(ValidationError, match="不在行程内"):
        batches.create_batch(
            db,
            batches.BatchInput(
                p.id,
                D(2021, 5, 12),
                D(2021, 5, 13),
                30,
                lodging=(batches.LodgingInput(base.id, D(2021, 5, 13), 30),),
            ),
        )


def test_choosing_a_route_copies_its_plan_onto_the_dates(db: Database) -> None:
    p = partner(db)
    base = certified_base(db)
    route = routes.create_route(
        db,
        routes.RouteInput(
            "XL02",
            "寿昌古镇休闲线路",
            "leisure",
            2,
            1,
            items=(routes.RouteItemInput(1, "古镇漫游"), routes.RouteItemInput(2, "返程")),
        ),
    )
    row = _batch(db, p.id, base.id, D(2021, 3, 31), 2, 40, route_id=route.id)
    with db.engine.connect() as conn:
        plan = conn.execute(
            text("SELECT on_date, activity FROM batch_item WHERE batch_id = :b ORDER BY seq"), {"b": row.id}
        ).all()
    assert [(str(d), a) for d, a in plan] == [("2021-03-31", "古镇漫游"), ("2021-04-01", "返程")]
    assert row.route == "寿昌古镇休闲线路"


# --- rosters -----------------------------------------------------------------------------------------


def test_participants_rules(db: Database) -> None:
    p = partner(db)
    a = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 14), 2))
    b = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 14), D(2021, 5, 16), 2))
    c = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 9, 1), D(2021, 9, 2), 2))
    person = person_id(12, "19850615")
    row, warnings = rosters.add_participant(
        db, a.id, rosters.ParticipantInput("王芳", person.lower(), phone="138-1234-5678")
    )
    assert (row.sex, row.birth_date, row.phone_masked, warnings) == ("F", D(1985, 6, 15), "138****5678", [])
    assert stored_numbers(db, a.id)[row.id] == (person, "13812345678")
    with pytest.raises(ValidationError, match="已有身份证号为"):
        rosters.add_participant(db, a.id, rosters.ParticipantInput("王芳", person))
    with pytest.raises(RuleViolation) as info:
        rosters.add_participant(db, b.id, rosters.ParticipantInput("王芳", person))
    assert "L2021-0001" in info.value.message and "日期重叠" in info.value.message
    _row, warnings = rosters.add_participant(db, c.id, rosters.ParticipantInput("王芳", person))
    assert len(warnings) == 1 and "还在批次 L2021-0001" in warnings[0] and "不足 365 天" in warnings[0]
    with pytest.raises(ValidationError, match="校验位错误"):
        rosters.add_participant(
            db,
            c.id,
            rosters.ParticipantInput("李强", person[:-1] + "0" if person[-1] != "0" else person[:-1] + "1"),
        )
    assert [r.name for r in rosters.list_participants(db, a.id)] == ["王芳"]


def test_unknown_records(db: Database) -> None:
    with pytest.raises(NotFoundError, match="找不到批次"):
        batches.get_batch(db, 999)
