"""Issue 17: lodging against the itinerary, certification step dates, credit codes, and what a refused
batch is called and told."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from datetime import date as D
from pathlib import Path

import pytest
from sqlalchemy import text

from recuperation.documents import batch_docs
from recuperation.errors import RuleViolation, ValidationError
from recuperation.models import CertificationStep
from recuperation.services import bases, partners, registers, routes
from recuperation.services.batch import batches, rooms, rosters
from recuperation.services.batch import edit as batch_edit
from recuperation.services.batch.night_base import night_bases
from recuperation.services.partners import check_uscc, normalise_uscc
from recuperation.storage.database import Database
from tests.factories import certified_base, confirm_orders, partner, person_id, valid_uscc
from tests.test_documents import pdf_text


def _flat(path: Path) -> str:
    return "".join(pdf_text(path)).replace("\n", "").replace(" ", "")


# --- lodging against the itinerary -------------------------------------------------------------------


def _tuankou_batch(db: Database, day: dt.date, people: int = 2) -> batches.BatchRow:
    """The tester's batch: the demo route XL01 (it sleeps at 梅城严州古城酒店) lodged at 临安湍口 instead."""
    tuankou = bases.create_base(db, bases.BaseInput(name="临安湍口", township="湍口镇", beds=100))
    route = next(r for r in routes.list_routes(db) if r.code == "XL01")
    sender = partners.find_partner(db, "宁波大学")
    assert sender is not None
    return batches.create_batch(
        db,
        batches.BatchInput(
            sender.id,
            day,
            day + dt.timedelta(days=1),
            people,
            route_id=route.id,
            lodging=(batches.LodgingInput(tuankou.id, day, people),),
        ),
    )


def test_lodging_elsewhere_than_the_itinerary_warns_and_the_documents_agree(
    demo_db: Database, tmp_path: Path
) -> None:
    day = D(2021, 12, 20)
    row = _tuankou_batch(demo_db, day)
    found = [f for f in row.findings if f.rule == "lodging_plan"]
    assert len(found) == 1 and found[0].severity == "warning"
    message = found[0].message
    assert message.startswith("12月20日晚：住宿安排在 临安湍口，行程第 1 天却写入住 梅城严州古城酒店。")
    assert (
        "请在“每晚住宿”中把该晚改为 梅城严州古城酒店" in message
        and "“行程”中把第 1 天的入住改为 临安湍口" in message
    )
    # a warning: confirming is not refused (once the bases have confirmed their orders)
    confirm_orders(demo_db, row.id)
    confirmed = batches.set_status(demo_db, row.id, row.version, "confirmed")
    assert confirmed.status == "confirmed"

    for n in (1, 2):
        rosters.add_participant(demo_db, row.id, rosters.ParticipantInput(f"湍口{n}", person_id(900 + n)))
    rooms.pair_rooms(demo_db, row.id)
    itinerary = _flat(batch_docs.print_itinerary(demo_db, row.code, tmp_path / "i.pdf").path)
    assert "住宿：临安湍口" in itinerary and "住宿：梅城严州古城酒店" not in itinerary
    assert "晚餐：临安湍口" in itinerary and "早餐：临安湍口" in itinerary
    assert "午餐：梅城严州古城酒店" in itinerary  # the lunch on the way stays where the plan serves it
    rooming = _flat(batch_docs.print_rooming(demo_db, row.code, tmp_path / "r.pdf").path)
    assert "临安湍口（12月20日晚）" in rooming and "梅城严州古城酒店（" not in rooming
    assert "2021年12月20日晚餐临安湍口" in rooming and "2021年12月21日早餐临安湍口" in rooming
    meals = {(m.day, m.meal): m.base for m in rooms.meal_counts(demo_db, row.id)}
    assert meals[(day, "dinner")] == meals[(day + dt.timedelta(days=1), "breakfast")] == "临安湍口"


def test_lodging_that_follows_the_itinerary_gives_no_warning(demo_db: Database) -> None:
    route = next(r for r in routes.list_routes(demo_db) if r.code == "XL01")
    hotel = next(b for b in bases.list_bases(demo_db) if b.name == "梅城严州古城酒店")
    sender = partners.find_partner(demo_db, "宁波大学")
    assert sender is not None
    day = D(2021, 12, 27)
    row = batches.create_batch(
        demo_db,
        batches.BatchInput(
            sender.id,
            day,
            day + dt.timedelta(days=1),
            2,
            route_id=route.id,
            lodging=(batches.LodgingInput(hotel.id, day, 2),),
        ),
    )
    assert not [f for f in row.findings if f.rule == "lodging_plan"]


def test_a_night_split_over_bases_and_a_night_without_lodging() -> None:
    night, other = D(2021, 5, 12), D(2021, 5, 13)
    nights = night_bases(
        [(night, 2, "江滨宾馆", 20), (night, 1, "新安江大酒店", 40)],
        [(night, 2, "江滨宾馆"), (other, 3, "三都渔村民宿")],
    )
    assert (
        nights[night].names == ("新安江大酒店", "江滨宾馆") and nights[night].agrees
    )  # the plan's base is one
    assert (
        nights[other].names == ("三都渔村民宿",) and not nights[other].from_lodging and nights[other].agrees
    )


def _route_at(db: Database, code: str, days: int, base_id: int) -> routes.RouteRow:
    """A route of ``days`` days: an activity every day, dinner and 入住 at ``base_id`` every night but the last."""
    items: list[routes.RouteItemInput] = []
    for day in range(1, days + 1):
        items.append(routes.RouteItemInput(day, f"第{day}天活动", "activity", "上午"))
        if day < days:
            items.append(routes.RouteItemInput(day, "晚餐", "dinner", "晚上", base_id=base_id))
            items.append(routes.RouteItemInput(day, "入住", "lodging", "晚上", base_id=base_id))
    return routes.create_route(
        db, routes.RouteInput(code, f"{days}日线路", "leisure", days, days - 1, items=tuple(items))
    )


def test_a_route_longer_than_the_batch_is_laid_on_the_batchs_days_only_and_warns(db: Database) -> None:
    base = bases.create_base(db, bases.BaseInput(name="寿昌宾馆", beds=100))
    route = _route_at(db, "XL12", 5, base.id)
    arrival, departure = D(2027, 5, 10), D(2027, 5, 11)
    row = batches.create_batch(
        db,
        batches.BatchInput(
            partner(db).id,
            arrival,
            departure,
            30,
            code="L2027-0001",
            route_id=route.id,
            lodging=(batches.LodgingInput(base.id, arrival, 30),),
        ),
    )
    itinerary = batch_edit.get_details(db, row.id).itinerary
    assert {i.on_date for i in itinerary} == {arrival, departure}  # nothing after the departure
    assert [i.on_date for i in itinerary if i.kind == "lodging"] == [
        arrival
    ]  # no night the batch does not stay
    found = [f for f in row.findings if f.rule == "route_length"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert found[0].message == (
        "批次 L2027-0001（2027-05-10 至 2027-05-11）只有 2 天，线路“XL12 5日线路”有 5 天："
        "行程只排了线路的前 2 天。请核对批次的日期，或换一条不超过 2 天的线路。"
    )
    fitting = _route_at(db, "XL02", 2, base.id)
    edited = batch_edit.update_batch(
        db,
        row.id,
        row.version,
        batches.BatchInput(
            row.partner_id,
            arrival,
            departure,
            30,
            code=row.code,
            route_id=fitting.id,
            lodging=(batches.LodgingInput(base.id, arrival, 30),),
        ),
    )
    assert not [f for f in edited.findings if f.rule == "route_length"]
    assert len(batch_edit.get_details(db, row.id).itinerary) == 4


def test_a_lodging_row_of_nobody_does_not_lodge_the_group(db: Database) -> None:
    """Night 1: 0 people at the itinerary's base A, 30 at B.  The group sleeps at B: the rule warns and the
    kitchens are told B, not A."""
    planned = bases.create_base(db, bases.BaseInput(name="梅城严州古城酒店", beds=100))
    lodged = bases.create_base(db, bases.BaseInput(name="临安湍口", beds=100))
    route = _route_at(db, "XL01", 2, planned.id)
    night = D(2021, 12, 20)
    row = batches.create_batch(
        db,
        batches.BatchInput(
            partner(db).id,
            night,
            night + dt.timedelta(days=1),
            30,
            route_id=route.id,
            lodging=(batches.LodgingInput(planned.id, night, 0), batches.LodgingInput(lodged.id, night, 30)),
        ),
    )
    found = [f for f in row.findings if f.rule == "lodging_plan"]
    assert len(found) == 1
    assert found[0].message.startswith(
        "12月20日晚：住宿安排在 临安湍口，行程第 1 天却写入住 梅城严州古城酒店。"
    )
    meals = {(m.day, m.meal): m.base for m in rooms.meal_counts(db, row.id)}
    assert meals[(night, "dinner")] == "临安湍口"
    nights = night_bases([(night, 1, "甲", 0), (night, 2, "乙", 30)], [(night, 1, "甲")])
    assert nights[night].main == (2, "乙") and not nights[night].agrees


# --- certification steps ---------------------------------------------------------------------------


def test_a_step_dated_before_the_previous_one_is_refused(db: Database) -> None:
    base = bases.create_base(db, bases.BaseInput(name="梅城严州古城酒店", beds=160))
    cert = bases.apply_for_certification(db, base.id, "hangzhou", D(2021, 3, 1), "王建华")
    with pytest.raises(ValidationError) as info:
        bases.advance_certification(db, cert.id, cert.version, "first_review", D(2021, 2, 1))
    assert info.value.message == (
        "基地“梅城严州古城酒店”的杭州市级认定：“初审”的日期 2021-02-01 早于上一步“申报”的日期 2021-03-01。"
        "请核对日期，“初审”不能早于 2021-03-01。"
    )
    cert = bases.advance_certification(db, cert.id, cert.version, "first_review", D(2021, 3, 1))  # same day
    cert = bases.advance_certification(db, cert.id, cert.version, "site_inspection", D(2021, 4, 1))
    with pytest.raises(
        ValidationError, match="“认定”的日期 2021-03-15 早于上一步“实地考察”的日期 2021-04-01"
    ):
        bases.advance_certification(
            db,
            cert.id,
            cert.version,
            "certified",
            D(2021, 3, 15),
            certificate_no="HZLXY-2021-001",
            valid_from=D(2021, 3, 15),
            valid_to=D(2024, 3, 14),
        )
    assert bases.list_certifications(db, base.id)[0].status == "site_inspection"  # nothing was written


def test_a_step_dated_after_today_is_refused_and_the_next_step_can_still_be_taken(db: Database) -> None:
    today = dt.date.today()
    base = bases.create_base(db, bases.BaseInput(name="江滨宾馆", beds=80))
    with pytest.raises(ValidationError) as info:
        bases.apply_for_certification(db, base.id, "hangzhou", D(2052, 3, 1))
    assert info.value.field == "on_date" and bases.list_certifications(db, base.id) == []
    cert = bases.apply_for_certification(db, base.id, "hangzhou", today - dt.timedelta(days=30))
    for typo in (D(9999, 12, 31), today + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as info:
            bases.advance_certification(db, cert.id, cert.version, "first_review", typo)
        assert info.value.message == (
            f"基地“江滨宾馆”的杭州市级认定：“初审”的日期 {typo.isoformat()} 晚于今天（{today.isoformat()}），未保存。"
            "认定的每一步记录已经办理的日期，日后的步骤不能早于它；请核对日期（如 2025 误写成 2052），"
            "尚未办理的步骤请在办理当天或之后再记录。"
        )
    cert = bases.advance_certification(db, cert.id, cert.version, "first_review", today)  # today is fine
    cert = bases.advance_certification(db, cert.id, cert.version, "site_inspection", today)
    assert [s.step for s in cert.steps] == ["application", "first_review", "site_inspection"]


def test_history_lists_steps_in_their_order_even_when_dated_out_of_it(db: Database) -> None:
    base = bases.create_base(db, bases.BaseInput(name="寿昌宾馆", beds=200))
    cert = bases.apply_for_certification(db, base.id, "county", D(2021, 3, 1))
    with db.session(write=True) as session:  # a history written before the rule: 初审 dated first
        session.add(CertificationStep(certification_id=cert.id, step="first_review", on_date=D(2021, 2, 1)))
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE certification SET status = 'first_review' WHERE id = :id"), {"id": cert.id})
    steps = bases.list_certifications(db, base.id)[0].steps
    assert [s.step for s in steps] == ["application", "first_review"]


def test_the_certificates_validity_error_calls_it_a_certificate(db: Database) -> None:
    base = bases.create_base(db, bases.BaseInput(name="江滨宾馆", beds=80))
    cert = bases.apply_for_certification(db, base.id, "hangzhou", D(2021, 1, 5))
    for step, day in (("first_review", D(2021, 2, 1)), ("site_inspection", D(2021, 3, 1))):
        cert = bases.advance_certification(db, cert.id, cert.version, step, day)
    with pytest.raises(ValidationError) as info:
        bases.advance_certification(
            db,
            cert.id,
            cert.version,
            "certified",
            D(2021, 4, 1),
            certificate_no="HZLXY-2021-009",
            valid_from=D(2021, 4, 1),
            valid_to=D(2021, 3, 31),
        )
    message = info.value.message
    assert "协议" not in message and "证书 HZLXY-2021-009" in message and "江滨宾馆" in message
    assert info.value.field == "valid_to"


def test_a_register_row_whose_certificate_ends_before_it_starts_says_so(db: Database, tmp_path: Path) -> None:
    sheet = tmp_path / "基地.csv"
    sheet.write_text(
        "基地名称,床位,认定级别,证书编号,有效期起,有效期至\n测试基地,40,杭州市级,HZ-9,2021-05-01,2021-04-01\n",
        encoding="utf-8",
    )
    plan = registers.plan_register(db, "bases", sheet)
    problems = " ".join(p.message for p in plan.errors)
    assert "认定证书有效期至 2021-04-01 早于有效期起 2021-05-01" in problems and "CHECK" not in problems


# --- credit codes ------------------------------------------------------------------------------------


def test_a_credit_code_typed_in_groups_or_full_width_is_the_code_it_means(db: Database) -> None:
    code = valid_uscc()
    grouped = f"{code[:4]} {code[4:8]}-{code[8:12]}\u3000{code[12:]}"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert normalise_uscc(grouped) == normalise_uscc(full_width) == code
    row = partners.create_partner(db, partners.PartnerInput(name="舟山港务集团", uscc=grouped))
    assert row.uscc == code


@pytest.mark.parametrize(
    "invisible",
    ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u202a", "\u202e", "\u00ad"],
)
def test_a_credit_code_pasted_with_invisible_characters_is_the_code_it_means(
    db: Database, invisible: str
) -> None:
    code = valid_uscc()
    pasted = f"{invisible}{code[:6]}{invisible}{code[6:12]}・{code[12:]}{invisible}"
    assert normalise_uscc(pasted) == code and check_uscc("舟山港务集团", pasted) == code
    row = partners.create_partner(
        db, partners.PartnerInput(name=f"舟山港务集团{ord(invisible)}", uscc=pasted)
    )
    assert row.uscc == code


def test_a_refused_credit_code_names_the_partner_or_says_new_partner() -> None:
    code = valid_uscc()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError) as info:
        check_uscc(" 浙江海港集团 ", wrong)
    assert info.value.message.startswith("合作单位“浙江海港集团”：统一社会信用代码")
    with pytest.raises(ValidationError) as info:
        check_uscc("", wrong)
    assert info.value.message.startswith("新合作单位：统一社会信用代码") and "“”" not in info.value.message


# --- what a refused batch is called and told ---------------------------------------------------------


def test_a_new_batch_is_called_new_batch_not_a_code_it_does_not_have(db: Database) -> None:
    p = partner(db)
    with pytest.raises(ValidationError) as info:
        batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 10), 30))
    assert info.value.message.startswith("新批次：离开日期 2021-05-10 早于到达日期 2021-05-12")
    assert "L2021" not in info.value.message
    with pytest.raises(ValidationError) as info:
        batches.create_batch(
            db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 30, leader_phone="12345")
        )
    assert "L2021" not in info.value.message and "电话“12345”无效" in info.value.message
    with pytest.raises(ValidationError) as info:  # a code the user typed is named
        batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 10), 30, code="NB-01"))
    assert info.value.message.startswith("批次 NB-01：")
    assert batches.list_batches(db) == []


def test_saving_an_edit_over_capacity_says_it_cannot_be_saved_and_what_to_do(db: Database) -> None:
    p = partner(db)
    base = certified_base(db, "寿昌宾馆", beds=80)
    night = D(2021, 5, 12)

    def plan(people: int) -> batches.BatchInput:
        return batches.BatchInput(
            p.id,
            night,
            night + dt.timedelta(days=1),
            people,
            lodging=(batches.LodgingInput(base.id, night, people),),
        )

    first = batches.create_batch(db, plan(60))
    confirm_orders(db, first.id)
    batches.set_status(db, first.id, first.version, "confirmed")
    second = batches.create_batch(db, plan(20))
    confirm_orders(db, second.id)
    second = batches.set_status(db, second.id, second.version, "confirmed")
    with pytest.raises(RuleViolation) as info:
        batch_edit.update_batch(db, second.id, second.version, replace(plan(26), code=second.code))
    message = info.value.message
    assert message.startswith(
        f"批次 {second.code}：不能保存，因为 寿昌宾馆 5月12日 床位超出 6 张（已订 86 / 共 80）。"
    )
    assert "不能确认" not in message and "改回“计划”" in message and "。。" not in message
    third = batches.create_batch(db, plan(26))
    confirm_orders(db, third.id)
    with pytest.raises(RuleViolation) as info:
        batches.set_status(db, third.id, third.version, "confirmed")
    assert info.value.message.startswith(f"批次 {third.code}：不能确认，寿昌宾馆 5月12日 床位超出 26 张")
