"""Service-order documents read back as text: the order, one base's list, change and cancellation notices,
the departure notice and its workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from recuperation.documents import orders_docs
from recuperation.errors import ValidationError
from recuperation.services import bases, orders
from recuperation.services.batch import batches, rosters
from recuperation.services.routes import RouteItemInput
from recuperation.storage.database import Database
from tests.factories import certified_base, partner, person_id, stored_numbers

D = dt.date
ARRIVAL = D(2021, 4, 1)
# (ID serial: odd male, even female; diet; room)
ROSTER = [
    ("101", "清真", "301"),
    ("103", "", "301"),
    ("102", "素食", "302"),
    ("104", "花生过敏", "302"),
    ("106", "清真", "303"),
]


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def flat(body: str) -> str:
    return "".join(body.split())


def _plan(db: Database, *, code: str = "", arrival: dt.date = ARRIVAL, names=("寿昌宾馆", "大慈岩山庄")):
    """Three nights: two at 寿昌宾馆 (dinner, two breakfasts, a talk), the last at 大慈岩山庄 (dinner,
    breakfast); a guide and a coach; the roster of :data:`ROSTER`, the whole group."""
    p = partner(db, "宁波大学" if not code else f"合作单位{code[-2:]}")
    found = {b.name: b for b in bases.list_bases(db)}
    a = found.get(names[0]) or certified_base(db, names[0], beds=200)
    b = found.get(names[1]) or certified_base(db, names[1], beds=200)
    day = dt.timedelta(days=1)
    data = batches.BatchInput(
        p.id,
        arrival,
        arrival + 3 * day,
        len(ROSTER),
        code=code,
        guide="邵芳",
        vehicle="浙A·C5384",
        leader="张明",
        leader_phone="13905710001",
        lodging=(
            batches.LodgingInput(a.id, arrival, len(ROSTER)),
            batches.LodgingInput(a.id, arrival + day, len(ROSTER)),
            batches.LodgingInput(b.id, arrival + 2 * day, len(ROSTER)),
        ),
        itinerary=(
            RouteItemInput(1, "入住", kind="lodging", base_id=a.id, time_of_day="下午"),
            RouteItemInput(1, "晚餐", kind="dinner", base_id=a.id),
            RouteItemInput(2, "早餐", kind="breakfast", base_id=a.id),
            RouteItemInput(2, "劳模事迹报告会", time_of_day="上午", place="会议室", base_id=a.id),
            RouteItemInput(3, "早餐", kind="breakfast", base_id=a.id),
            RouteItemInput(3, "入住", kind="lodging", base_id=b.id),
            RouteItemInput(3, "晚餐", kind="dinner", base_id=b.id),
            RouteItemInput(4, "早餐", kind="breakfast", base_id=b.id),
        ),
    )
    row = batches.create_batch(db, data)
    for n, (serial, diet, room) in enumerate(ROSTER):
        rosters.add_participant(
            db,
            row.id,
            rosters.ParticipantInput(
                f"职工{n}", person_id(int(serial) + len(code)), diet=diet, room=room, phone="13905710002"
            ),
        )
    return row, a, b


def _order(db: Database, batch_id: int, base: str) -> orders.OrderRow:
    return next(r for r in orders.batch_orders(db, batch_id) if r.base == base)


def test_an_order_prints_the_nights_meals_and_dietary_sums_of_its_batch(db: Database, tmp_path: Path) -> None:
    row, _a, _b = _plan(db)
    order = _order(db, row.id, "寿昌宾馆")
    content = order.content
    assert content is not None
    result = orders_docs.print_order(db, row.code, "寿昌宾馆", tmp_path / "o.pdf")
    body = pdf_text(result.path)
    text_ = flat(body)
    assert "接待预订单" in body and order.code in text_ and "第1版" in text_
    assert "宁波大学" in text_ and text_.split("人数")[1].startswith("5人")  # the roster (5) is the group
    # every night and meal row of the content, cell by cell, as the table prints it
    for cells in orders_docs.night_rows(content)[1:]:
        assert "".join(flat(c) for c in cells) in text_, cells
    assert "2021年4月1日5521232" in text_  # 5 people, 5 rooms: 2 twins, 1 single; 2 men, 3 women; 2 staff
    for cells in orders_docs.meal_rows(content)[1:]:
        assert "".join(flat(c) for c in cells) in text_, cells
    assert "2021年4月1日晚餐7211人（见下）" in text_  # 5 + guide + driver; 清真 2, 素食 1, one other note
    assert "清真2人，素食1人，花生过敏1人" in text_
    assert "劳模事迹报告会" in text_ and "浙A·C5384" in text_ and "邵芳" in text_ and "13905710001" in text_
    assert "确认人" in text_ and "基地编号" in text_ and "签章" in text_
    # the roster, masked
    people = rosters.list_participants(db, row.id)
    assert all(p.name in text_ and p.id_masked in text_ for p in people)
    assert all(number not in text_ for number, _phone in stored_numbers(db, row.id).values())
    assert "第1页/共2页" in text_


def test_full_ids_only_when_asked_and_then_recorded(db: Database, tmp_path: Path) -> None:
    row, _a, _b = _plan(db)
    people = rosters.list_participants(db, row.id)

    def entries() -> list[tuple[str, str, str]]:
        with db.engine.connect() as conn:
            return [
                tuple(r)
                for r in conn.execute(
                    text("SELECT action, field, new FROM audit_log WHERE field = 'full_ids'")
                ).all()
            ]

    orders_docs.print_order(db, row.code, "寿昌宾馆", tmp_path / "masked.pdf")
    assert entries() == []
    orders_docs.print_order(db, row.code, "寿昌宾馆", tmp_path / "full.pdf", full_ids=True)
    body = flat(pdf_text(tmp_path / "full.pdf"))
    assert all(number in body for number, _phone in stored_numbers(db, row.id).values())
    assert len(people) == 5 and entries() == [("print", "full_ids", "预订单 寿昌宾馆 5 人")]


def test_the_qr_code_carries_code_and_the_edition_it_is(db: Database, tmp_path: Path) -> None:
    row, a, _b = _plan(db)
    draft = _order(db, row.id, "寿昌宾馆")
    assert orders_docs.qr_payload(draft) == f"{row.code}-B{a.id:03d}|1"  # what it becomes when sent
    sent = orders.mark_sent(db, row.id, a.id, "printed", on=D(2021, 3, 1))
    assert orders_docs.qr_payload(sent) == f"{sent.code}|1"  # printed again: the same edition
    rosters.add_participant(db, row.id, rosters.ParticipantInput("新增", person_id(201)))
    changed = _order(db, row.id, "寿昌宾馆")
    assert changed.state == orders.CHANGED and orders_docs.qr_payload(changed) == f"{sent.code}|2"
    drawing = orders_docs.qr_code(orders_docs.qr_payload(changed))
    widget = drawing.contents[0]
    assert widget.value == f"{sent.code}|2"
    assert drawing.width >= 25 * 72 / 25.4  # at least 25 mm
    body = flat(pdf_text(orders_docs.print_order(db, row.code, "寿昌宾馆", tmp_path / "o.pdf").path))
    assert f"{sent.code}第2版" in body


def test_the_change_notice_lists_exactly_the_differences(db: Database, tmp_path: Path) -> None:
    row, a, b = _plan(db)
    orders.mark_sent(db, row.id, a.id, "printed", on=D(2021, 3, 2))
    orders.mark_sent(db, row.id, b.id, "printed", on=D(2021, 3, 2))
    with pytest.raises(ValidationError) as refused:
        orders_docs.print_change_notice(db, row.code, tmp_path / "none.pdf")
    assert refused.value.key == "order.nothing_changed"
    rosters.add_participant(db, row.id, rosters.ParticipantInput("新增", person_id(203), diet="素食"))
    changed = _order(db, row.id, "寿昌宾馆")
    assert changed.state == orders.CHANGED and changed.differences
    result = orders_docs.print_change_notice(db, row.code, tmp_path / "n.pdf", base_name="寿昌宾馆")
    body = pdf_text(result.path)
    listed = body.split("发出后：", 1)[1].split("变更后的安排", 1)[0]
    numbered = [f"{n}.{flat(d)}" for n, d in enumerate(changed.differences, start=1)]
    assert flat(listed) == "".join(numbered)
    # then the arrangement as it now stands: the base need not add the changes up
    now = flat(body.split("变更后的安排", 1)[1].split("除以上变更外", 1)[0])
    assert now.startswith(f"（共{changed.content['people']}人）")  # type: ignore[index]
    assert all("".join(flat(c) for c in cells) in now for cells in orders_docs.meal_rows(changed.content)[1:])  # type: ignore[arg-type]
    assert "大慈岩山庄" not in body  # one base asked for
    assert "自 3月2日 发出后：" in body and "第 2 版" in body and changed.code in flat(body)
    with db.engine.connect() as conn:
        notes = conn.execute(
            text("SELECT new FROM audit_log WHERE action = 'print' AND field = 'notice'")
        ).all()
    assert [n[0] for n in notes] == ["寿昌宾馆"]
    both = pdf_text(orders_docs.print_change_notice(db, row.code, tmp_path / "all.pdf").path)
    assert "寿昌宾馆" in both and "大慈岩山庄" in both and len(PdfReader(tmp_path / "all.pdf").pages) == 2


def test_a_cancelled_batch_gives_a_cancellation_notice_to_the_bases_that_had_an_order(
    db: Database, tmp_path: Path
) -> None:
    row, a, _b = _plan(db)
    never, *_ = _plan(db, code="L2021-0099", arrival=D(2021, 6, 1))
    orders.mark_sent(db, row.id, a.id, "pdf", on=D(2021, 3, 2))
    batches.set_status(db, row.id, batches.get_batch(db, row.id).version, "cancelled", "疫情防控，暂停出行")
    batches.set_status(db, never.id, batches.get_batch(db, never.id).version, "cancelled", "单位安排调整")
    body = pdf_text(orders_docs.print_change_notice(db, row.code, tmp_path / "c.pdf").path)
    text_ = flat(body)
    assert "接待取消通知" in body and "疫情防控，暂停出行" in text_ and row.code in text_
    assert "寿昌宾馆" in text_ and "大慈岩山庄" not in text_  # never sent there: nothing to cancel
    assert "2021年4月1日至4月4日" in text_ and "第1版" in text_
    with pytest.raises(ValidationError) as refused:
        orders_docs.print_change_notice(db, never.code, tmp_path / "x.pdf")
    assert refused.value.key == "order.none_cancelled"


def test_one_bases_orders_for_a_period_in_one_list_read_in_bulk(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, *_ = _plan(db, code="L2021-0010", arrival=D(2021, 5, 3))
    second, *_ = _plan(db, code="L2021-0011", arrival=D(2021, 5, 20))
    outside, *_ = _plan(db, code="L2021-0012", arrival=D(2021, 7, 1))
    calls = []
    real = orders.list_orders

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    def per_batch(*_args, **_kwargs):
        raise AssertionError("a query per batch")

    monkeypatch.setattr(orders, "list_orders", counted)
    monkeypatch.setattr(orders, "batch_orders", per_batch)
    monkeypatch.setattr(orders, "order_content", per_batch)
    result = orders_docs.print_orders(db, "寿昌宾馆", D(2021, 5, 1), D(2021, 5, 31), tmp_path / "l.pdf")
    assert len(calls) == 1
    body = flat(pdf_text(result.path))
    assert first.code in body and second.code in body and outside.code not in body
    assert "共2个批次" in body
    # a line a day: lodging people and rooms, then the meals' people
    assert "5月3日5人5间7" in body and "5月4日5人5间7" in body
    assert "饮食：清真2人，素食1人，花生过敏1人" in body and "状态：未发送" in body


def test_the_departure_notice_prints_standard_wording_and_its_workbook_holds_the_roster(
    db: Database, tmp_path: Path
) -> None:
    import openpyxl

    row, _a, _b = _plan(db)
    body = flat(pdf_text(orders_docs.print_departure_notice(db, row.code, tmp_path / "d.pdf").path))
    assert "出团通知书" in body and "集合时间待定" in body and "集合地点待定" in body
    assert flat(orders_docs.STANDARD_BRING) in body and flat(orders_docs.STANDARD_CONDUCT) in body
    assert "张明13905710001" in body and "邵芳" in body and "急救120" in body
    assert "劳模事迹报告会" in body and "寿昌宾馆" in body
    orders.save_notice(
        db, row.id, 0, {"gather_at": "4月1日 7:30", "gather_place": "宁波大学东门", "insurance": "人保 P123"}
    )
    body = flat(pdf_text(orders_docs.print_departure_notice(db, row.code, tmp_path / "d2.pdf").path))
    assert "4月1日7:30" in body and "宁波大学东门" in body and "人保P123" in body and "待定" not in body
    book = orders_docs.departure_notice_workbook(db, row.code, tmp_path / "d.xlsx")
    assert book.rows == 5
    wb = openpyxl.load_workbook(tmp_path / "d.xlsx")
    assert wb.sheetnames == ["出团通知", "名单"]
    sheet = wb["名单"]
    assert [c.value for c in sheet[1]] == [
        "序号",
        "姓名",
        "性别",
        "身份证号",
        "手机",
        "单位",
        "房间",
        "随行家属",
    ]
    people = rosters.list_participants(db, row.id)
    ids = [sheet.cell(r, 4) for r in range(2, 7)]
    assert all(c.data_type == "s" for c in ids)
    assert [c.value for c in ids] == [p.id_masked for p in people]
    assert sheet.cell(2, 5).value == "139****0002"
    notice = [c.value for r in wb["出团通知"].iter_rows() for c in r if c.value]
    assert "宁波大学东门" in notice and orders_docs.STANDARD_BRING in notice


def test_the_departure_workbooks_roster_reads_back_through_the_roster_import_unchanged(
    db: Database, tmp_path: Path
) -> None:
    """The 名单 sheet of the departure workbook is a masked export: the roster import finds each person by the
    masked ID number and the name, takes the masked phone, employer and room for what is stored, and plans
    no change.  Every person is on it, in roster order, IDs written as text, a companion marked 是 in the
    随行家属 column, which the import reads back as the same companion."""
    import openpyxl

    from recuperation.services.batch import roster_moves
    from recuperation.services.batch.roster_import import plan_import

    row, _a, _b = _plan(db)
    rosters.add_participant(
        db,
        row.id,
        rosters.ParticipantInput(
            "王家属", person_id(151), employer="宁波大学 13905710003", room="304", phone="13905710004"
        ),
    )
    people = rosters.list_participants(db, row.id)
    roster_moves.set_companion(db, people[-1].id, people[-1].version, True)
    people = rosters.list_participants(db, row.id)
    path = orders_docs.departure_notice_workbook(db, row.code, tmp_path / "d.xlsx").path
    sheet = openpyxl.load_workbook(path)["名单"]
    assert [[c.value for c in r][1:4:2] for r in sheet.iter_rows(min_row=2)] == [
        [p.name, p.id_masked] for p in people
    ]
    assert all(c.data_type == "s" for c in sheet["D"])
    plan = plan_import(db, row.code, path)
    assert plan.layout.sheet == "名单" and not plan.errors
    assert (plan.added, plan.removed, plan.changed) == ([], [], [])
    assert plan.masked_matched == len(people) == 6
    assert [c.value for c in sheet["H"]] == ["随行家属", *(("是" if p.companion else "") for p in people)]
    assert "companion" in plan.fields


def test_an_order_for_a_base_the_batch_does_not_use_is_refused(db: Database, tmp_path: Path) -> None:
    row, *_ = _plan(db)
    certified_base(db, "江滨宾馆")
    with pytest.raises(ValidationError) as refused:
        orders_docs.print_order(db, row.code, "江滨宾馆", tmp_path / "x.pdf")
    assert refused.value.key == "order.not_used"
    with pytest.raises(ValidationError) as refused:
        orders_docs.print_order(db, "L1999-0001", "江滨宾馆", tmp_path / "x.pdf")
    assert refused.value.key == "order.unknown_batch"


def test_many_different_dietary_notes_print_once_and_masked(db: Database, tmp_path: Path) -> None:
    """150 different notes (free text) do not make a table row taller than a page; a phone number written
    into a note prints masked."""
    row, _a, _b = _plan(db)
    for n in range(150):
        rosters.add_participant(
            db,
            row.id,
            rosters.ParticipantInput(f"加{n}", person_id(200 + n, birth="19750101"), diet=f"过敏原 {n} 号"),
        )
    rosters.add_participant(
        db,
        row.id,
        rosters.ParticipantInput("家属", person_id(400, birth="19700101"), diet="花生过敏，电话13905710001"),
    )
    body = pdf_text(orders_docs.print_order(db, row.code, "寿昌宾馆", tmp_path / "many.pdf").path)
    assert "过敏原 149 号" in body and "13905710001" not in flat(body.split("一、住宿")[1].split("四、")[0])


def test_a_period_list_holds_only_the_periods_days(db: Database, tmp_path: Path) -> None:
    """A batch staying until 1 May whose days at this base end on 30 April belongs to its April list only."""
    _plan(db, code="L2021-0050", arrival=D(2021, 4, 28))
    may = pdf_text(
        orders_docs.print_orders(db, "寿昌宾馆", D(2021, 5, 1), D(2021, 5, 31), tmp_path / "may.pdf").path
    )
    april = pdf_text(
        orders_docs.print_orders(db, "寿昌宾馆", D(2021, 4, 1), D(2021, 4, 30), tmp_path / "apr.pdf").path
    )
    assert "L2021-0050" not in may and "L2021-0050" in april
