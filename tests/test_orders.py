"""Service orders (接待预订单): content from the batch, their life, changes after sending, the confirm rule."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import select

from recuperation.errors import RuleViolation, ValidationError
from recuperation.models import AuditEntry
from recuperation.services import orders, policy
from recuperation.services.batch import batches, rosters
from recuperation.services.batch.edit import update_batch
from recuperation.services.routes import RouteItemInput
from recuperation.storage.database import Database
from tests.factories import certified_base, confirm_orders, partner, person_id

D = dt.date
ARRIVAL = D(2021, 4, 1)


def _plan(db: Database):
    """A batch of 3 nights: two at 寿昌宾馆 (dinner there on the 1st, breakfast on the 2nd and 3rd, a talk on
    the 2nd) and the last at 大慈岩山庄 (dinner on the 3rd); 40 planned, a guide and a coach."""
    p = partner(db)
    a = certified_base(db, "寿昌宾馆", beds=200)
    b = certified_base(db, "大慈岩山庄", beds=200)
    lodging = (
        batches.LodgingInput(a.id, D(2021, 4, 1), 40),
        batches.LodgingInput(a.id, D(2021, 4, 2), 40),
        batches.LodgingInput(b.id, D(2021, 4, 3), 40),
    )
    itinerary = (
        RouteItemInput(1, "入住", kind="lodging", base_id=a.id, time_of_day="下午"),
        RouteItemInput(1, "晚餐", kind="dinner", base_id=a.id),
        RouteItemInput(2, "早餐", kind="breakfast", base_id=a.id),
        RouteItemInput(2, "劳模事迹报告会", time_of_day="上午", place="会议室", base_id=a.id),
        RouteItemInput(3, "早餐", kind="breakfast", base_id=a.id),
        RouteItemInput(3, "入住", kind="lodging", base_id=b.id),
        RouteItemInput(3, "晚餐", kind="dinner", base_id=b.id),
        RouteItemInput(4, "早餐", kind="breakfast", base_id=b.id),
    )
    data = batches.BatchInput(
        p.id,
        ARRIVAL,
        D(2021, 4, 4),
        40,
        guide="邵芳",
        vehicle="浙A·C5384",
        leader="张明",
        leader_phone="13905710001",
        lodging=lodging,
        itinerary=itinerary,
    )
    row = batches.create_batch(db, data)
    return row, a, b, data


def _edit(db: Database, batch_id: int, data: batches.BatchInput, **changes) -> batches.BatchInput:
    from dataclasses import replace

    current = batches.get_batch(db, batch_id)
    new = replace(data, code=current.code, **changes)
    update_batch(db, batch_id, current.version, new)
    return new


def _roster(db: Database, batch_id: int, people: list[tuple[str, str, str]]) -> None:
    """(birth yyyymmdd with the sex digit chosen by the serial: odd male, even female, diet)"""
    for n, (serial, diet, room) in enumerate(people):
        rosters.add_participant(
            db, batch_id, rosters.ParticipantInput(f"职工{n}", person_id(int(serial)), diet=diet, room=room)
        )


def test_an_orders_content_is_the_batchs_nights_rooms_and_meals(db: Database) -> None:
    row, a, _b, _data = _plan(db)
    _roster(
        db,
        row.id,
        [
            ("101", "清真", "301"),
            ("103", "", "301"),
            ("102", "素食", "302"),
            ("104", "花生过敏", "302"),
            ("106", "", "303"),
        ],
    )
    by_base = {o.base: o for o in orders.batch_orders(db, row.id)}
    assert sorted(by_base) == ["大慈岩山庄", "寿昌宾馆"]
    first = by_base["寿昌宾馆"].content
    assert first is not None
    # a roster being entered (5 of 40): the planned 40 still count; guide and driver eat and sleep too
    assert first["people"] == 40
    assert [n["night"] for n in first["nights"]] == ["2021-04-01", "2021-04-02"]
    night = first["nights"][0]
    # lodging says 40: the assigned rooms (2 twins, 1 single), twins for the 35 without a room, the staff's 2;
    # the roster does not cover the night, so no count by sex
    assert night["people"] == 40
    assert (night["twin"], night["single"], night["unassigned_rooms"], night["staff_rooms"]) == (2, 1, 18, 2)
    assert night["rooms"] == 23 and "male" not in night
    meals = [(m["day"], m["meal"], m["people"]) for m in first["meals"]]
    assert meals == [
        ("2021-04-01", "dinner", 42),
        ("2021-04-02", "breakfast", 42),
        ("2021-04-03", "breakfast", 42),
    ]
    assert first["meals"][0]["diets"] == {"清真": 1, "素食": 1, "花生过敏": 1}
    assert first["activities"] == [
        {"day": "2021-04-02", "time": "上午", "activity": "劳模事迹报告会", "place": "会议室"}
    ]
    assert (first["vehicle"], first["leader"], first["leader_phone"], first["guide"]) == (
        "浙A·C5384",
        "张明",
        "13905710001",
        "邵芳",
    )
    assert first["arrival_time"] == "下午"
    second = by_base["大慈岩山庄"].content
    assert second is not None
    assert [n["night"] for n in second["nights"]] == ["2021-04-03"]
    assert [(m["day"], m["meal"]) for m in second["meals"]] == [
        ("2021-04-03", "dinner"),
        ("2021-04-04", "breakfast"),
    ]
    assert by_base["寿昌宾馆"].code == f"{row.code}-B{a.id:03d}"


def test_without_a_roster_the_planned_headcount_and_estimated_rooms_count(db: Database) -> None:
    row, _a, _b, _data = _plan(db)
    first = next(o for o in orders.batch_orders(db, row.id) if o.base == "寿昌宾馆").content
    assert first is not None
    assert first["people"] == 40
    assert first["nights"][0] == {"night": "2021-04-01", "people": 40, "rooms": 22, "staff_rooms": 2}
    assert first["meals"][0]["people"] == 42 and first["meals"][0]["diets"] == {}


def test_an_order_lives_draft_sent_answered_and_every_step_is_audited(db: Database) -> None:
    row, a, b, _data = _plan(db)
    order = next(o for o in orders.batch_orders(db, row.id) if o.base_id == a.id)
    assert (order.state, order.id, order.edition) == ("draft", None, 0)
    with pytest.raises(RuleViolation) as refused:
        orders.mark_answer(db, row.id, a.id, "confirmed", by="王经理")
    assert "还没有发出" in refused.value.message
    sent = orders.mark_sent(db, row.id, a.id, "email", on=D(2021, 3, 2))
    assert (sent.state, sent.edition, sent.sent_on, sent.sent_how) == ("sent", 1, D(2021, 3, 2), "email")
    assert sent.sent == sent.content
    assert sent.waiting_days(D(2021, 3, 6)) == 4
    with pytest.raises(ValidationError):
        orders.mark_answer(db, row.id, a.id, "declined", by="王经理")  # a reason is required
    with pytest.raises(ValidationError):
        orders.mark_answer(db, row.id, a.id, "amended", by="王经理")  # what changed is required
    answered = orders.mark_answer(
        db,
        row.id,
        a.id,
        "amended",
        by="王经理",
        reference="SC-88",
        changes="只能提供 20 间房，原为 22 间",
        on=D(2021, 3, 4),
    )
    assert (answered.state, answered.answered_by, answered.reference, answered.answered_on) == (
        "amended",
        "王经理",
        "SC-88",
        D(2021, 3, 4),
    )
    assert answered.changes == "只能提供 20 间房，原为 22 间"
    orders.mark_sent(db, row.id, b.id, "printed", on=D(2021, 3, 2))
    declined_row = orders.mark_answer(db, row.id, b.id, "declined", by="李", reason="4月3日 客满")
    assert (declined_row.state, declined_row.reason) == ("declined", "4月3日 客满")
    with db.session() as session:
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.table_name.in_(["service_order", "batch"]))
        ).all()  # type: ignore[attr-defined]
    actions = [(e.action, e.table_name) for e in entries]
    assert actions.count(("send", "batch")) == 2
    assert ("amended", "batch") in actions and ("declined", "batch") in actions
    assert any(
        e.table_name == "service_order" and e.field == "status" and e.new == "amended" for e in entries
    )


def _sent_then(db: Database, change) -> list[str]:
    """Send both orders, apply ``change``, and return each base's differences."""
    row, a, b, data = _plan(db)
    confirm_orders(db, row.id, on=D(2021, 3, 2))
    change(row, a, b, data)
    result = {o.base: (o.state, list(o.differences)) for o in orders.batch_orders(db, row.id)}
    return result  # type: ignore[return-value]


def test_a_headcount_change_after_sending_is_caught_with_its_exact_difference(db: Database) -> None:
    result = _sent_then(db, lambda row, a, b, data: _edit(db, row.id, data, headcount=43))
    assert result["寿昌宾馆"] == (
        "changed",
        ["人数 +3", "4月1日 晚餐 +3", "4月2日 早餐 +3", "4月3日 早餐 +3"],
    )
    assert result["大慈岩山庄"] == ("changed", ["人数 +3", "4月3日 晚餐 +3", "4月4日 早餐 +3"])


def test_lodging_changes_after_sending_are_caught_night_by_night(db: Database) -> None:
    def change(row, a, b, data):
        lodging = (
            batches.LodgingInput(a.id, D(2021, 4, 1), 40),
            batches.LodgingInput(a.id, D(2021, 4, 2), 44),
            batches.LodgingInput(b.id, D(2021, 4, 3), 40),
        )
        _edit(db, row.id, data, lodging=lodging)

    result = _sent_then(db, change)
    assert result["寿昌宾馆"] == ("changed", ["4月2日 住宿 +4人，房间 +2间"])
    assert result["大慈岩山庄"][0] == "confirmed"


def test_a_new_night_and_a_base_dropped_are_caught(db: Database) -> None:
    def change(row, a, b, data):
        lodging = (
            batches.LodgingInput(a.id, D(2021, 4, 1), 40),
            batches.LodgingInput(a.id, D(2021, 4, 2), 40),
            batches.LodgingInput(a.id, D(2021, 4, 3), 40),
        )
        itinerary = tuple(i for i in data.itinerary if i.base_id != b.id)
        _edit(db, row.id, data, lodging=lodging, itinerary=itinerary)

    result = _sent_then(db, change)
    assert result["寿昌宾馆"] == ("changed", ["新增 4月3日 住宿 40 人 22 间"])
    assert result["大慈岩山庄"] == ("withdrawn", ["取消全部接待"])


def test_dates_meals_activities_and_people_in_charge_are_caught(db: Database) -> None:
    def change(row, a, b, data):
        itinerary = (
            *tuple(i for i in data.itinerary if i.activity != "劳模事迹报告会"),
            RouteItemInput(2, "午餐", kind="lunch", base_id=a.id),
            RouteItemInput(2, "茶艺体验", time_of_day="下午", base_id=a.id),
        )
        _edit(db, row.id, data, itinerary=itinerary, guide="", vehicle="浙A·D0001")

    result = _sent_then(db, change)
    state, diff = result["寿昌宾馆"]
    assert state == "changed"
    # the guide's room and meals go with her
    assert diff == [
        "4月1日 房间 -1间",
        "4月2日 房间 -1间",
        "4月1日 晚餐 -1",
        "4月2日 早餐 -1",
        "新增 4月2日 午餐 41 人",
        "4月3日 早餐 -1",
        "取消活动 4月2日 上午 劳模事迹报告会（会议室）",
        "新增活动 4月2日 下午 茶艺体验",
        "导游 邵芳 → 无",
        "车辆 浙A·C5384 → 浙A·D0001",
    ]


def test_roster_sexes_rooms_and_diets_after_sending_are_caught(db: Database) -> None:
    def change(row, a, b, data):
        lodging = tuple(batches.LodgingInput(lo.base_id, lo.night, 3) for lo in data.lodging)
        _edit(db, row.id, data, headcount=3, lodging=lodging)
        _roster(db, row.id, [("101", "清真", "301"), ("103", "", "301"), ("102", "", "302")])

    result = _sent_then(db, change)
    state, diff = result["寿昌宾馆"]
    assert state == "changed"
    # a group of 3, all on the roster: its rooms by type and its men and women are now known
    assert diff[0] == "人数 -37"
    assert "4月1日 住宿 -37人，房间 -18间，双人间 +1间，单人间 +1间，男 +2人，女 +1人" in diff
    assert "4月1日 晚餐 -37，清真 +1" in diff


def test_nothing_the_base_provides_changed_means_no_difference(db: Database) -> None:
    result = _sent_then(db, lambda row, a, b, data: _edit(db, row.id, data, notes="内部备注：请财务留意"))
    assert result == {"寿昌宾馆": ("confirmed", []), "大慈岩山庄": ("confirmed", [])}


def test_the_differences_read_as_the_change_notice_prints_them(db: Database) -> None:
    row, a, _b, data = _plan(db)
    orders.mark_sent(db, row.id, a.id, "pdf", on=D(2021, 3, 2))
    _edit(db, row.id, data, headcount=43)
    order = next(o for o in orders.batch_orders(db, row.id) if o.base_id == a.id)
    assert order.change_text == "自 3月2日 发出后：人数 +3；4月1日 晚餐 +3；4月2日 早餐 +3；4月3日 早餐 +3"


def test_a_batch_is_confirmed_only_when_every_base_confirmed_the_current_order(db: Database) -> None:
    row, a, b, data = _plan(db)
    with pytest.raises(RuleViolation) as refused:
        batches.set_status(db, row.id, row.version, "confirmed")
    assert "寿昌宾馆：未发送" in refused.value.message and "大慈岩山庄：未发送" in refused.value.message
    orders.mark_sent(db, row.id, a.id, "pdf")
    orders.mark_sent(db, row.id, b.id, "pdf")
    orders.mark_answer(db, row.id, a.id, "confirmed", by="王")
    orders.mark_answer(db, row.id, b.id, "declined", by="李", reason="客满")
    current = batches.get_batch(db, row.id)
    with pytest.raises(RuleViolation) as refused:
        batches.set_status(db, row.id, current.version, "confirmed")
    assert "大慈岩山庄：已拒绝" in refused.value.message and "寿昌宾馆" not in refused.value.message
    orders.mark_sent(db, row.id, b.id, "pdf")
    orders.mark_answer(db, row.id, b.id, "confirmed", by="李")
    _edit(db, row.id, data, headcount=41)  # changed since sent: out of date again
    current = batches.get_batch(db, row.id)
    with pytest.raises(RuleViolation) as refused:
        batches.set_status(db, row.id, current.version, "confirmed")
    assert "发出后有变更" in refused.value.message
    with pytest.raises(RuleViolation):  # the base cannot confirm what it was not sent
        orders.mark_answer(db, row.id, a.id, "confirmed", by="王")
    assert batches.get_batch(db, row.id).status == "planned"
    confirm_orders(db, row.id)
    current = batches.get_batch(db, row.id)
    assert batches.set_status(db, row.id, current.version, "confirmed").status == "confirmed"


def test_the_policy_can_make_unconfirmed_orders_a_warning(db: Database) -> None:
    row, _a, _b, _data = _plan(db)
    policy.set_policy(db, {"order_mode": "warn"})
    assert batches.set_status(db, row.id, row.version, "confirmed").status == "confirmed"
    with db.session() as session:
        from recuperation.models import Batch

        batch = session.get(Batch, row.id)
        assert batch is not None
        assert len(orders.confirm_blockers(session, batch)) == 2
    with pytest.raises(ValidationError):
        policy.set_policy(db, {"order_mode": "sometimes"})


def test_a_cancelled_batch_calls_for_a_notice_to_each_base_that_had_an_order(db: Database) -> None:
    row, a, _b, _data = _plan(db)
    orders.mark_sent(db, row.id, a.id, "pdf")
    batches.set_status(db, row.id, row.version, "cancelled", reason="企业生产任务调整")
    states = {o.base: (o.state, list(o.differences)) for o in orders.batch_orders(db, row.id)}
    # 大慈岩山庄 never had an order: it needs no notice
    assert states == {"寿昌宾馆": ("withdrawn", ["取消全部接待"])}
    with pytest.raises(RuleViolation):
        orders.mark_sent(db, row.id, a.id, "pdf")
    assert [o.base for o in orders.list_orders(db, state="withdrawn")] == ["寿昌宾馆"]


def test_a_resent_order_is_the_next_edition_and_waits_again(db: Database) -> None:
    row, a, _b, data = _plan(db)
    orders.mark_sent(db, row.id, a.id, "pdf", on=D(2021, 3, 1))
    orders.mark_answer(db, row.id, a.id, "confirmed", by="王", reference="R1")
    _edit(db, row.id, data, headcount=45)
    again = orders.mark_sent(db, row.id, a.id, "email", on=D(2021, 3, 9))
    assert (again.state, again.edition, again.reference, again.differences) == ("sent", 2, "", ())
    stored = json.loads(json.dumps(again.sent))
    assert stored["people"] == 45


def test_orders_list_by_state_base_and_period(db: Database) -> None:
    row, a, _b, _data = _plan(db)
    orders.mark_sent(db, row.id, a.id, "pdf")
    assert [(o.base, o.state) for o in orders.list_orders(db)] == [
        ("大慈岩山庄", "draft"),
        ("寿昌宾馆", "sent"),
    ]
    assert [o.base for o in orders.list_orders(db, state="sent")] == ["寿昌宾馆"]
    assert [o.base for o in orders.list_orders(db, base="大慈岩山庄")] == ["大慈岩山庄"]
    assert orders.list_orders(db, first=D(2021, 5, 1), last=D(2021, 5, 31)) == []
    with pytest.raises(ValidationError):
        orders.list_orders(db, base="没有这个基地")


def test_a_failed_answer_changes_nothing(db: Database) -> None:
    row, a, _b, _data = _plan(db)
    orders.mark_sent(db, row.id, a.id, "pdf")
    before = next(o for o in orders.batch_orders(db, row.id) if o.base_id == a.id)
    with pytest.raises(ValidationError):
        orders.mark_answer(db, row.id, a.id, "declined", by="王")
    after = next(o for o in orders.batch_orders(db, row.id) if o.base_id == a.id)
    assert (after.state, after.version, after.answered_by) == (
        before.state,
        before.version,
        before.answered_by,
    )


def test_the_departure_notice_details_are_kept_and_versioned(db: Database) -> None:
    row, _a, _b, _data = _plan(db)
    empty = orders.get_notice(db, row.id)
    assert (empty.version, empty.gather_place) == (0, "")
    saved = orders.save_notice(
        db, row.id, 0, {"gather_at": "4月1日 7:30", "gather_place": "建德市总工会门口"}
    )
    assert (saved.gather_at, saved.gather_place, saved.version) == ("4月1日 7:30", "建德市总工会门口", 1)
    again = orders.save_notice(db, row.id, saved.version, {"insurance": "人保财险 PICC-2021-0001"})
    assert (again.gather_place, again.insurance, again.version) == (
        "建德市总工会门口",
        "人保财险 PICC-2021-0001",
        2,
    )
    from recuperation.errors import StaleEditError

    with pytest.raises(StaleEditError):
        orders.save_notice(db, row.id, saved.version, {"insurance": "x"})


def test_a_cancellation_notice_sent_settles_a_withdrawn_order(db: Database) -> None:
    row, a, b, _data = _plan(db)
    orders.mark_sent(db, row.id, a.id, "pdf", on=D(2021, 3, 2))
    with pytest.raises(RuleViolation):  # the batch still uses the base: nothing to cancel
        orders.mark_cancel_sent(db, row.id, a.id)
    batches.set_status(db, row.id, row.version, "cancelled", reason="企业生产任务调整")
    done = orders.mark_cancel_sent(db, row.id, a.id, on=D(2021, 3, 20))
    assert (done.state, done.state_label, done.open) == ("cancel_sent", "已发取消通知", False)
    assert orders.list_orders(db, state="withdrawn") == []
    with pytest.raises(RuleViolation):  # never sent: no notice owed
        orders.mark_cancel_sent(db, row.id, b.id)


def test_a_confirmation_names_who_confirmed(db: Database) -> None:
    row, a, _b, _data = _plan(db)
    orders.mark_sent(db, row.id, a.id, "pdf")
    with pytest.raises(ValidationError) as refused:
        orders.mark_answer(db, row.id, a.id, "confirmed", by="  ")
    assert refused.value.field == "answered_by" and "谁确认" in refused.value.message


def test_people_without_a_room_yet_count_as_rooms_to_assign(db: Database) -> None:
    row, _a, _b, _data = _plan(db)
    _roster(
        db,
        row.id,
        [("101", "", "301"), ("103", "", "301"), ("105", "", ""), ("107", "", ""), ("102", "", "")],
    )
    night = next(o for o in orders.batch_orders(db, row.id) if o.base == "寿昌宾馆").content["nights"][0]  # type: ignore[index]
    # 40 lodged, 2 of them in room 301: 19 twins still to assign
    assert (night["twin"], night["single"], night["unassigned_rooms"], night["staff_rooms"]) == (1, 0, 19, 2)
    assert night["rooms"] == 22


def test_an_answer_names_the_edition_and_the_version_it_answers(db: Database) -> None:
    """A signed edition 1 that comes back after edition 2 went out is not recorded as confirming edition 2;
    a desk recording an answer over another desk's newer one is told."""
    from recuperation.errors import StaleEditError

    row, a, _b, data = _plan(db)
    orders.mark_sent(db, row.id, a.id, "pdf", on=D(2021, 3, 1))
    _edit(db, row.id, data, headcount=60)
    second = orders.mark_sent(db, row.id, a.id, "pdf", on=D(2021, 3, 5))
    with pytest.raises(RuleViolation) as refused:
        orders.mark_answer(db, row.id, a.id, "confirmed", by="王", edition=1)
    assert "第 1 版" in refused.value.message and "第 2 版" in refused.value.message
    declined = orders.mark_answer(
        db, row.id, a.id, "declined", by="李", reason="客满", version=second.version
    )
    with pytest.raises(StaleEditError):  # this desk still showed the order as sent
        orders.mark_answer(db, row.id, a.id, "confirmed", by="王", edition=2, version=second.version)
    assert orders.mark_answer(
        db, row.id, a.id, "confirmed", by="王", edition=2, version=declined.version
    ).state == ("confirmed")


def test_dates_of_an_order_are_days_that_happened(db: Database) -> None:
    row, a, _b, _data = _plan(db)
    with pytest.raises(ValidationError) as refused:
        orders.mark_sent(db, row.id, a.id, "pdf", on=dt.date.today() + dt.timedelta(days=1))
    assert refused.value.field == "sent_on"
    with pytest.raises(ValidationError):
        orders.mark_sent(db, row.id, a.id, "pdf", on=D(1, 1, 1))
    orders.mark_sent(db, row.id, a.id, "pdf", on=D(2021, 3, 2))
    with pytest.raises(ValidationError) as refused:
        orders.mark_answer(db, row.id, a.id, "confirmed", by="王", on=D(2021, 3, 1))
    assert "早于预订单发出的日期 2021-03-02" in refused.value.message


def test_a_base_reached_on_the_third_day_is_reached_on_the_third_day(db: Database) -> None:
    row, _a, b, _data = _plan(db)
    second = next(o for o in orders.batch_orders(db, row.id) if o.base_id == b.id).content
    assert second is not None and second["arrival_day"] == "2021-04-03"


def test_a_declined_base_the_batch_no_longer_uses_holds_nothing_up(db: Database) -> None:
    row, a, b, data = _plan(db)
    orders.mark_sent(db, row.id, b.id, "pdf", on=D(2021, 3, 2))
    orders.mark_answer(db, row.id, b.id, "declined", by="李", reason="客满", on=D(2021, 3, 3))
    lodging = tuple(batches.LodgingInput(a.id, lo.night, lo.people) for lo in data.lodging)
    itinerary = tuple(i for i in data.itinerary if i.base_id != b.id)
    _edit(db, row.id, data, lodging=lodging, itinerary=itinerary)
    confirm_orders(db, row.id)
    current = batches.get_batch(db, row.id)
    assert batches.set_status(db, row.id, current.version, "confirmed").status == "confirmed"
    assert {o.base: o.state for o in orders.batch_orders(db, row.id)} == {
        "大慈岩山庄": "declined",
        "寿昌宾馆": "confirmed",
    }


def test_renaming_a_base_or_reordering_a_day_is_no_change_for_the_base(db: Database) -> None:
    from recuperation.services import bases

    row, a, _b, _data = _plan(db)
    orders.mark_sent(db, row.id, a.id, "pdf", on=D(2021, 3, 2))
    base = next(x for x in bases.list_bases(db) if x.id == a.id)
    bases.update_base(
        db,
        a.id,
        base.version,
        bases.BaseInput(name="寿昌宾馆（新楼）", beds=200, rooms=100, township="寿昌镇"),
    )
    order = next(o for o in orders.batch_orders(db, row.id) if o.base_id == a.id)
    assert (order.state, order.differences) == ("sent", ())


def test_moving_the_batch_after_sending_is_caught_with_its_new_dates(db: Database) -> None:
    from recuperation.services.batch import edit as batch_edit

    row, a, _b, _data = _plan(db)
    orders.mark_sent(db, row.id, a.id, "pdf", on=D(2021, 3, 2))
    current = batches.get_batch(db, row.id)
    batch_edit.move_batch(db, row.id, current.version, 1)
    order = next(o for o in orders.batch_orders(db, row.id) if o.base_id == a.id)
    assert order.state == "changed"
    diff = list(order.differences)
    assert diff[:2] == ["抵达 4月1日 → 4月2日", "离开 4月4日 → 4月5日"]
    assert "新增 4月3日 住宿 40 人 22 间" in diff and "取消 4月1日 住宿" in diff
    assert "取消 4月1日 晚餐" in diff and "新增 4月2日 晚餐 42 人" in diff
    assert "新增活动 4月3日 上午 劳模事迹报告会（会议室）" in diff


def test_each_step_of_an_order_is_a_new_version_and_its_sent_content_no_audit_row(db: Database) -> None:
    row, a, _b, _data = _plan(db)

    def trail(order_id: int) -> list[tuple[str, str | None, str | None]]:
        with db.session() as session:
            entries = session.exec(
                select(AuditEntry)
                .where(AuditEntry.table_name == "service_order", AuditEntry.record_id == order_id)
                .order_by(AuditEntry.id)  # type: ignore[arg-type]
            ).all()
            return [(e.action, e.field, e.new) for e in entries]

    sent = orders.mark_sent(db, row.id, a.id, "email", on=D(2021, 3, 2))
    assert sent.id is not None and sent.version == 2  # stored at 1, sent at 2
    assert trail(sent.id) == [
        ("update", "status", "sent"),
        ("update", "edition", "1"),
        ("update", "sent_on", "2021-03-02"),
        ("update", "sent_how", "email"),
        ("send", "edition", "1"),
    ]
    again = orders.mark_sent(db, row.id, a.id, "email", on=D(2021, 3, 2))
    assert (again.version, again.edition) == (3, 2)
    assert trail(sent.id)[5:] == [("update", "edition", "2"), ("send", "edition", "2")]
    answered = orders.mark_answer(db, row.id, a.id, "confirmed", by="王经理", on=D(2021, 3, 3), version=3)
    assert answered.version == 4
    assert trail(sent.id)[7:] == [
        ("update", "status", "confirmed"),
        ("update", "answered_on", "2021-03-03"),
        ("update", "answered_by", "王经理"),
    ]
