"""The batch editor: a new batch with its lodging, confirming, a refused overbooking, cancelling."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from PySide6.QtCore import QDate

from recuperation.services.audit import list_audit
from recuperation.services.batch import attendance
from recuperation.services.batch import batches as service
from recuperation.services.batch import edit as batch_edit
from recuperation.storage.database import Database
from tests.factories import confirm_orders
from tests.ui_helpers import Answers, type_text, wait_idle, wait_page
from ui.batch.lodging import BASE, PEOPLE
from ui.batch.page import BatchesPage
from ui.desk import Desk
from ui.widgets import dialogs


@pytest.fixture
def page(qtbot, demo_db: Database):
    desk = Desk(demo_db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.resize(1360, 820)
    page.show()
    wait_page(qtbot, page)
    yield page
    desk.worker.shutdown()


def new_batch(qtbot, panel, partner: str, day: dt.date, people: int, base: str) -> None:
    panel.new_record()
    form = panel.form
    partner_combo = form.widgets["partner_id"]
    partner_combo.setCurrentIndex(partner_combo.findText(partner))
    form.widgets["arrival"].setDate(QDate(day.year, day.month, day.day))
    end = day + dt.timedelta(days=2)
    form.widgets["departure"].setDate(QDate(end.year, end.month, end.day))
    form.widgets["headcount"].setValue(people)
    type_text(form.widgets["leader"], "王芳")
    panel.lodging.fill_button.click()
    for row in range(panel.lodging.table.rowCount()):
        combo = panel.lodging.table.cellWidget(row, BASE)
        combo.setCurrentIndex(combo.findText(base))
        assert panel.lodging.table.cellWidget(row, PEOPLE).value() == people
    panel.save()


def test_new_batch_confirm_and_a_refused_overbooking(qtbot, page: BatchesPage, monkeypatch) -> None:
    panel = page.batches
    day = dt.date(2021, 12, 27)  # the demo has no lodging at 寿昌宾馆 then
    new_batch(qtbot, panel, "宁波大学", day, 120, "寿昌宾馆")
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.arrival == day, timeout=10_000)
    wait_idle(qtbot, panel)
    first = panel.current
    assert first.code.startswith("L2021-") and first.partner == "宁波大学" and first.status == "planned"
    details = batch_edit.get_details(page.desk.db, first.id)
    assert [(lo.base, lo.people) for lo in details.lodging] == [("寿昌宾馆", 120), ("寿昌宾馆", 120)]
    confirm_orders(page.desk.db, first.id)  # a batch is confirmed once its bases have confirmed its orders
    panel.change_status("confirmed")
    qtbot.waitUntil(lambda: panel.current.status == "confirmed", timeout=10_000)
    wait_idle(qtbot, panel)

    new_batch(qtbot, panel, "浙江大学", day, 100, "寿昌宾馆")
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.partner == "浙江大学", timeout=10_000)
    wait_idle(qtbot, panel)
    qtbot.waitUntil(
        lambda: "床位超出 20 张（已订 220 / 共 200）" in panel.detail.toPlainText(), timeout=10_000
    )
    answers = Answers(monkeypatch)
    panel.change_status("confirmed")
    qtbot.waitUntil(lambda: bool(answers.warned), timeout=10_000)
    assert (
        "不能确认" in answers.warned[0]
        and "寿昌宾馆 12月27日 床位超出 20 张（已订 220 / 共 200）" in answers.warned[0]
    )
    assert service.get_batch(page.desk.db, panel.current.id).status == "planned"

    answers.answers += [None, "合作单位改期"]
    panel.delete_current()  # 不取消: nothing happens
    assert answers.prompts[0]["label"] == f"取消批次 {panel.current.code} 的原因："
    assert (answers.prompts[0]["ok"], answers.prompts[0]["cancel"]) == ("取消这个批次", "不取消")
    wait_idle(qtbot, panel)
    assert panel.current.status == "planned"
    panel.delete_current()
    qtbot.waitUntil(lambda: panel.current.status == "cancelled", timeout=10_000)
    assert service.get_batch(page.desk.db, first.id).findings == ()


def test_editing_a_batch_and_a_refused_date(qtbot, page: BatchesPage, monkeypatch) -> None:
    panel = page.batches
    # new dates need the batch's roll call open (the demo closed it): reopened as another desk would
    attendance.reopen_roll_call(page.desk.db, service.find_batch(page.desk.db, "L2021-0100").id)
    panel.refresh()
    qtbot.waitUntil(lambda: panel.busy == 0, timeout=10_000)
    panel.year.setCurrentIndex(panel.year.findData(2021))
    assert panel.select_key(next(b.id for b in panel.model.rows if b.code == "L2021-0100"))
    qtbot.waitUntil(
        lambda: panel.current.code == "L2021-0100" and panel.lodging.table.rowCount() > 0, timeout=10_000
    )
    wait_idle(qtbot, panel)
    assert panel.current.status == "completed"  # changing it needs a reason, asked on saving
    answers = Answers(monkeypatch, None, "导游临时更换", "团队要求延长")
    type_text(panel.form.widgets["guide"], "叶敏")
    panel.save()  # 暂不保存: nothing saved, the edit kept
    assert answers.prompts[0]["label"] == "批次 L2021-0100 的状态是“已完成”。修改它的原因（记入批次历史）："
    assert (answers.prompts[0]["ok"], answers.prompts[0]["cancel"]) == ("保存修改", "暂不保存")
    wait_idle(qtbot, panel)
    assert panel.current.guide != "叶敏" and panel.form.value("guide") == "叶敏"
    panel.save()
    qtbot.waitUntil(lambda: panel.current.guide == "叶敏", timeout=10_000)
    wait_idle(qtbot, panel)
    history = list_audit(page.desk.db, table="batch", record_id=panel.current.id)
    assert any(r.field == "change_reason" and r.new == "导游临时更换" for r in history)
    arrival = panel.current.arrival
    later = arrival + dt.timedelta(days=9)
    panel.form.widgets["departure"].setDate(QDate(later.year, later.month, later.day))
    panel.save()
    qtbot.waitUntil(lambda: bool(panel.form.error("departure")) or bool(answers.warned), timeout=10_000)
    message = panel.form.error("departure") or answers.warned[0]
    assert "超过政策上限 5 天" in message
    assert len(answers.prompts) == 3 and not answers.answers


def test_the_batch_itinerary_changes_without_touching_the_route(
    qtbot, page: BatchesPage, monkeypatch
) -> None:
    from recuperation.services import routes

    panel = page.batches
    answers = Answers(monkeypatch, "座谈会改期")  # L2021-0100 is completed: the change needs a reason
    panel.year.setCurrentIndex(panel.year.findData(2021))
    assert panel.select_key(next(b.id for b in panel.model.rows if b.code == "L2021-0100"))
    qtbot.waitUntil(
        lambda: panel.current.code == "L2021-0100" and panel.itinerary.table.rowCount() > 0, timeout=10_000
    )
    wait_idle(qtbot, panel)
    route_before = routes.get_route(page.desk.db, panel.current.route_id).items
    panel.itinerary.table.cellWidget(0, 3).setText("临时加一场职工座谈会")
    assert panel.save_button.isEnabled()
    panel.save()
    qtbot.waitUntil(lambda: panel.current.version > 1 and not panel.is_dirty(), timeout=10_000)
    wait_idle(qtbot, panel)
    details = batch_edit.get_details(page.desk.db, panel.current.id)
    assert details.itinerary[0].activity == "临时加一场职工座谈会"
    assert details.itinerary[0].on_date == panel.current.arrival
    assert routes.get_route(page.desk.db, panel.current.route_id).items == route_before
    assert len(answers.prompts) == 1


def test_saving_a_batch_keeps_its_agreement_and_changes_only_what_was_edited(
    qtbot, page: BatchesPage, monkeypatch
) -> None:
    """Every field the editor shows must come back as it was loaded: the agreement combo once showed
    （无协议） because its choices arrived after the value, and any save dropped the agreement."""
    from sqlalchemy import text

    panel = page.batches
    db = page.desk.db
    with db.engine.connect() as conn:
        codes = [
            r[0]
            for r in conn.execute(
                text("SELECT code FROM batch WHERE agreement_id IS NOT NULL ORDER BY code LIMIT 40")
            )
        ]

    def facts(code: str) -> dict[str, object]:
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT * FROM batch WHERE code = :c"), {"c": code}).mappings().one()
        return {k: v for k, v in row.items() if k not in ("updated_at", "updated_by", "version")}

    for code in codes[::8]:  # partners differ from one to the next: the agreement choices change each time
        before = facts(code)
        batch_id = before["id"]
        assert panel.select_key(batch_id)
        wait_idle(qtbot, panel)
        assert panel.form.value("agreement_id") == before["agreement_id"], code
        assert not panel.form.is_dirty()
    code = codes[0]
    before = facts(code)
    assert panel.select_key(before["id"])
    wait_idle(qtbot, panel)
    answers = Answers(monkeypatch, "导游更换")  # a 2021 batch is over: its change needs a reason
    type_text(panel.form.widgets["guide"], "新导游")
    panel.save()
    qtbot.waitUntil(lambda: facts(code)["guide"] == "新导游", timeout=10_000)
    after = facts(code)
    assert {k for k in after if after[k] != before[k]} == {"guide"}
    assert len(answers.prompts) == (1 if before["status"] in ("completed", "cancelled") else 0)


def test_the_list_opens_on_a_year_with_batches_and_a_saved_batch_stays_visible(
    qtbot, page: BatchesPage
) -> None:
    """The demo has 2021 only: the list opens there, not on an empty current year; a batch saved for a year the
    list has never shown (January 2027) is shown and selected; its details follow a roster added later."""
    panel = page.batches
    assert panel.year.currentData() == 2021 and panel.proxy.rowCount() > 0
    day = dt.date(2027, 1, 12)
    new_batch(qtbot, panel, "宁波大学", day, 30, "寿昌宾馆")
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.arrival == day, timeout=10_000)
    wait_idle(qtbot, panel)
    assert panel.year.currentData() == 2027 and panel.proxy.rowCount() >= 1
    assert panel.status_button.isEnabled()
    from recuperation.services.batch import rosters
    from tests.factories import person_id

    rosters.add_participant(
        page.desk.db, panel.current.id, rosters.ParticipantInput("王新", person_id(7, birth="19900101"))
    )
    panel.roster.changed.emit()  # as the roster tab says after an import
    qtbot.waitUntil(
        lambda: re.search(r"名单人数\s*1\b", panel.detail.toPlainText()) is not None, timeout=10_000
    )
    wait_idle(qtbot, panel)
    assert panel.current.roster_count == 1


def test_filling_the_lodging_follows_the_route_plan_night_by_night(qtbot, page: BatchesPage) -> None:
    """按计划人数排满每晚 puts each night at the base the route's day plan sleeps at (入住), not at the first
    base of the list: XL05 sleeps at 新安江大酒店 then 江滨宾馆; a night the plan names no base keeps the
    base of the night before.  The base lists are in pinyin order."""
    from recuperation.services import routes
    from ui.i18n import sort_text

    panel = page.batches
    xl05 = next(r for r in routes.list_routes(page.desk.db) if r.code == "XL05")
    panel.new_record()
    form = panel.form
    form.widgets["partner_id"].setCurrentIndex(form.widgets["partner_id"].findText("宁波大学"))
    form.widgets["route_id"].setCurrentIndex(form.widgets["route_id"].findData(xl05.id))
    form.widgets["arrival"].setDate(QDate(2027, 5, 10))
    form.widgets["departure"].setDate(QDate(2027, 5, 14))  # 4 nights; the plan sleeps 2
    form.widgets["headcount"].setValue(40)
    panel.lodging.fill_button.click()
    table = panel.lodging.table
    nights = [
        (table.cellWidget(r, 0).date().toPython(), table.cellWidget(r, BASE).currentText())
        for r in range(table.rowCount())
    ]
    assert nights == [
        (dt.date(2027, 5, 10), "新安江大酒店"),
        (dt.date(2027, 5, 11), "江滨宾馆"),
        (dt.date(2027, 5, 12), "江滨宾馆"),
        (dt.date(2027, 5, 13), "江滨宾馆"),
    ]
    assert all(table.cellWidget(r, PEOPLE).value() == 40 for r in range(table.rowCount()))
    combo = table.cellWidget(0, BASE)
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names == sorted(names, key=sort_text) and names[0] != "三都渔村民宿"
    filters = [panel.base.itemText(i) for i in range(1, panel.base.count())]
    assert filters == sorted(filters, key=sort_text)
    panel.itinerary.add_item()
    itinerary = panel.itinerary.table.cellWidget(0, 5)
    plan_bases = [itinerary.itemText(i) for i in range(1, itinerary.count())]
    assert plan_bases == sorted(plan_bases, key=sort_text)


def test_filling_the_lodging_of_a_batch_follows_its_own_itinerary(qtbot, page: BatchesPage) -> None:
    """A batch on file fills from its own itinerary as edited (a 入住 moved to another base)."""
    panel = page.batches
    panel.year.setCurrentIndex(panel.year.findData(2021))
    assert panel.select_key(next(b.id for b in panel.model.rows if b.route == "寿昌古镇休闲线路"))
    qtbot.waitUntil(lambda: panel.itinerary.table.rowCount() > 0, timeout=10_000)
    wait_idle(qtbot, panel)
    plan = panel.itinerary.items()
    first = next(i for i, item in enumerate(plan) if item.kind == "lodging" and item.day_no == 1)
    panel.itinerary.table.cellWidget(first, 5).setCurrentIndex(
        panel.itinerary.table.cellWidget(first, 5).findText("江滨宾馆")
    )
    panel.lodging.set_items([])
    panel.lodging.fill_button.click()
    table = panel.lodging.table
    assert table.rowCount() >= 1
    assert table.cellWidget(0, 0).date().toPython() == panel.current.arrival
    assert table.cellWidget(0, BASE).currentText() == "江滨宾馆"


def test_warnings_are_named_on_saving_and_asked_about_before_confirming(
    qtbot, page: BatchesPage, monkeypatch
) -> None:
    """A batch lodged elsewhere than its route's plan saves with “N 条提醒” in the status bar, and 已确认 asks
    first, listing the warnings; 否 leaves it planned, 是 confirms it."""
    from recuperation.services import routes

    panel = page.batches
    said: list[str] = []
    page.desk.status.connect(said.append)
    xl02 = next(r for r in routes.list_routes(page.desk.db) if r.code == "XL02")
    panel.new_record()
    form = panel.form
    form.widgets["partner_id"].setCurrentIndex(form.widgets["partner_id"].findText("宁波大学"))
    form.widgets["route_id"].setCurrentIndex(form.widgets["route_id"].findData(xl02.id))
    form.widgets["arrival"].setDate(QDate(2027, 5, 10))
    form.widgets["departure"].setDate(QDate(2027, 5, 12))
    form.widgets["headcount"].setValue(30)
    panel.lodging.fill_button.click()
    for row in range(panel.lodging.table.rowCount()):
        combo = panel.lodging.table.cellWidget(row, BASE)
        combo.setCurrentIndex(combo.findText("江滨宾馆"))
    panel.save()
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.arrival.year == 2027, timeout=10_000)
    wait_idle(qtbot, panel)
    code = panel.current.code
    findings = service.get_batch(page.desk.db, panel.current.id).findings
    assert {f.rule for f in findings} >= {"lodging_plan"} and all(f.severity == "warning" for f in findings)
    assert f"已保存：{code}（{len(findings)} 条提醒，见批次详情）" in said

    confirm_orders(page.desk.db, panel.current.id)  # the bases have confirmed: only the warnings are asked
    wait_idle(qtbot, panel)
    answers = Answers(monkeypatch, dialogs.Button.No)
    panel.change_status("confirmed")
    qtbot.waitUntil(lambda: bool(answers.asked), timeout=10_000)
    wait_idle(qtbot, panel)
    question = answers.asked[0]
    assert question.startswith(f"批次 {code} 有 {len(findings)} 条提醒：") and question.endswith(
        "仍要确认吗？"
    )
    assert all(f"• {f.message}" in question for f in findings)
    assert service.get_batch(page.desk.db, panel.current.id).status == "planned"

    answers.answers.append(dialogs.Button.Yes)
    panel.change_status("confirmed")
    qtbot.waitUntil(lambda: panel.current.status == "confirmed", timeout=10_000)
    assert len(answers.asked) == 2


def test_a_text_prompt_says_what_its_buttons_do(qtbot) -> None:
    """The cancel-a-batch prompt's buttons name the deed and the way out (not 确定 / 取消)."""
    from PySide6.QtWidgets import QPushButton

    dialog = dialogs.text_dialog(
        None, "取消批次", "取消批次 L2027-0001 的原因：", ok="取消这个批次", cancel="不取消"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    texts = sorted(b.text() for b in dialog.findChildren(QPushButton) if b.isVisible())
    assert texts == sorted(["取消这个批次", "不取消"])
    dialog.reject()


def test_a_new_batch_is_for_the_partner_filtered_to_and_another_batch_reads_from_the_top(
    qtbot, page: BatchesPage
) -> None:
    panel = page.batches
    panel.partner.setCurrentIndex(panel.partner.findText("浙江大学"))
    wait_idle(qtbot, panel)
    zju = panel.partner.currentData()
    panel.new_record()
    assert panel.form.value("partner_id") == zju
    assert panel.form.widgets["partner_id"].currentText() == "浙江大学"
    panel.partner.setCurrentIndex(0)  # 全部合作单位: the first partner, as before
    panel.new_record()
    assert panel.form.value("partner_id") is not None

    page.resize(1200, 640)  # the page in the window on a 1366×768 screen: the form scrolls
    rows = [panel.proxy.index(r, 0) for r in range(2)]
    panel.view.setCurrentIndex(rows[0])
    wait_idle(qtbot, panel)
    bar = panel.form_scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5_000)
    bar.setValue(bar.maximum())
    panel.view.setCurrentIndex(rows[1])
    wait_idle(qtbot, panel)
    assert bar.value() == 0
    assert panel.form.widgets["code"].visibleRegion().boundingRect().height() > 0


def test_the_list_reads_the_year_chosen_and_keeps_a_batch_selected(qtbot, page: BatchesPage) -> None:
    """The list reads one year at a time: choosing another year while a batch is selected shows that year (not
    the selected batch's); a filter that hides the selected batch selects the first one shown instead of
    leaving a blank form; a batch opened from the calendar is shown even when a filter hid it."""
    panel = page.batches
    later = dt.date(2027, 1, 12)
    new_batch(qtbot, panel, "宁波大学", later, 30, "寿昌宾馆")
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.arrival == later, timeout=10_000)
    wait_idle(qtbot, panel)
    saved_id = panel.current.id
    assert panel.rows_year == 2027
    panel.year.setCurrentIndex(panel.year.findData(2021))
    qtbot.waitUntil(lambda: panel.rows_year == 2021 and panel.busy == 0, timeout=10_000)
    wait_idle(qtbot, panel)
    assert panel.year.currentData() == 2021
    assert {b.arrival.year for b in panel.model.rows} == {2021} and panel.proxy.rowCount() > 100
    assert panel.current is not None and panel.current.arrival.year == 2021
    march = [b for b in panel.model.rows if b.arrival.month == 3]
    assert panel.select_key(march[0].id)
    wait_idle(qtbot, panel)
    panel.month.setCurrentIndex(panel.month.findData(5))  # hides the March batch
    wait_idle(qtbot, panel)
    assert panel.current is not None and panel.current.arrival.month == 5
    assert panel.status_button.isEnabled() == bool(service.NEXT_STATUS.get(panel.current.status))
    page.open_batch(march[0].id)  # from the calendar: the month filter opens again
    wait_idle(qtbot, panel)
    assert panel.current is not None and panel.current.id == march[0].id
    assert panel.month.currentData() is None
    page.open_batch(saved_id)  # a batch of a year not read: its year is read
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == saved_id, timeout=10_000)
    assert panel.year.currentData() == 2027


def test_the_selected_batch_moved_to_another_year_is_followed_and_quick_year_choices_end_on_the_last(
    qtbot, page: BatchesPage
) -> None:
    """A batch moved into another year (here by a write outside the page, as another desk would) stays
    selected in its new year when the list is read again; several years chosen quickly end on the last one."""
    panel = page.batches
    first = panel.current
    assert first is not None and first.arrival.year == 2021
    attendance.reopen_roll_call(
        page.desk.db, first.id
    )  # new dates need the roll call open (the demo closed it)
    details = batch_edit.get_details(page.desk.db, first.id)
    days = (dt.date(2027, 1, 12) - first.arrival).days
    batch_edit.move_batch(page.desk.db, first.id, details.batch.version, days, reason="改期")
    panel.refresh()
    qtbot.waitUntil(lambda: panel.rows_year == 2027 and panel.busy == 0, timeout=10_000)
    assert panel.current is not None and panel.current.id == first.id
    assert panel.year.currentData() == 2027
    panel.year.setCurrentIndex(panel.year.findData(2021))
    panel.year.setCurrentIndex(0)  # 全部年份, before 2021's rows arrive
    qtbot.waitUntil(lambda: panel.busy == 0 and panel.rows_year is None, timeout=10_000)
    wait_idle(qtbot, panel)
    assert panel.year.currentData() is None
    assert {b.arrival.year for b in panel.model.rows} == {2021, 2027}


def test_clearing_a_search_that_matched_nothing_selects_a_batch_again(qtbot, page: BatchesPage) -> None:
    panel = page.batches
    panel.search.setText("无此批次zzz")
    wait_idle(qtbot, panel)
    assert panel.proxy.rowCount() == 0
    panel.search.clear()
    wait_idle(qtbot, panel)
    assert panel.proxy.rowCount() > 0 and panel.current is not None and panel.view.currentIndex().isValid()
