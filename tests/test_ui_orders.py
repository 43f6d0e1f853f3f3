"""Service orders on the desktop: sent and answered from the batch page through their dialogs, changed when the
batch is edited after sending, a batch not confirmed while an order is open (or confirmed with a warning), the
overview's orders waiting and arrivals not confirmed, the planner's mark on lodging a base has not confirmed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from PySide6.QtCore import QPoint

from recuperation.services import orders
from recuperation.services import policy as policy_service
from recuperation.services.batch import batches as service
from recuperation.storage.database import Database
from tests.factories import certified_base, confirm_orders, partner
from tests.ui_helpers import Answers, type_text, wait_idle, wait_page
from ui.batch.lodging import PEOPLE
from ui.batch.page import BatchesPage
from ui.desk import Desk

TODAY = dt.date.today()
FAR = dt.date(2099, 12, 31)


def make_batch(db: Database, partner_id: int, base_id: int, arrival: dt.date, people: int = 30) -> Any:
    return service.create_batch(
        db,
        service.BatchInput(
            partner_id,
            arrival,
            arrival + dt.timedelta(days=2),
            people,
            leader="王芳",
            lodging=tuple(
                service.LodgingInput(base_id, arrival + dt.timedelta(days=n), people) for n in range(2)
            ),
        ),
    )


@pytest.fixture
def setup(qtbot, db: Database):
    p = partner(db, "宁波大学")
    base = certified_base(db, "寿昌宾馆", beds=80, since=dt.date(2020, 1, 1), until=FAR)
    batch = make_batch(db, p.id, base.id, TODAY + dt.timedelta(days=3))
    desk = Desk(db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.resize(1360, 820)
    page.show()
    wait_page(qtbot, page)
    panel = page.batches
    page.open_batch(batch.id)
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == batch.id, timeout=10_000)
    panel.tabs.setCurrentWidget(panel.orders)
    view = panel.orders
    qtbot.waitUntil(lambda: view.busy == 0 and len(view.rows) == 1, timeout=10_000)
    yield page, batch, base
    desk.worker.shutdown()


def order_state(qtbot, view, state: str) -> Any:
    qtbot.waitUntil(lambda: view.busy == 0 and view.rows and view.rows[0].state == state, timeout=10_000)
    return view.rows[0]


def send(qtbot, view, how: str = "email") -> None:
    assert view.send_button.isEnabled()
    view.send_button.click()
    dialog = view.sent_dialog
    assert dialog is not None and dialog.isVisible()
    combo = dialog.form.widgets["sent_how"]
    combo.setCurrentIndex(combo.findData(how))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)


def test_send_confirm_with_changes_and_decline_from_the_batch_page(qtbot, setup) -> None:
    page, batch, _base = setup
    view = page.batches.orders
    row = order_state(qtbot, view, "draft")
    assert view.model.rows[0].base == "寿昌宾馆"
    assert "还没有确认" in view.summary.text() and "寿昌宾馆" in view.summary.text()
    # nothing sent yet: no answer to record, no change notice; each says why
    assert not view.answer_button.isEnabled() and "还没有发出" in view.answer_button.toolTip()
    assert not view.notice_button.isEnabled() and view.notice_button.toolTip()

    send(qtbot, view, "email")
    row = order_state(qtbot, view, "sent")
    assert row.edition == 1 and row.sent_how == "email" and row.sent_on == TODAY
    assert "电子邮件附件 · 第 1 版" in view.model.data(view.model.index(0, 2))
    assert view.answer_button.isEnabled()

    # confirmed with changes: who and what the base changed are required, said at their fields
    view.answer_button.click()
    dialog = view.answer_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.choose("amended")
    assert dialog.form.widgets["changes"].isVisibleTo(dialog)
    assert not dialog.form.widgets["reason"].isVisibleTo(dialog)
    dialog.save_button.click()
    assert dialog.form.error("answered_by") == "基地确认人为必填项。"
    assert "改了什么" in dialog.form.error("changes")
    type_text(dialog.form.widgets["answered_by"], "李经理")
    type_text(dialog.form.widgets["reference"], "SC-2026-118")
    dialog.form.widgets["changes"].setPlainText("只能提供 14 间房，原为 15 间")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    row = order_state(qtbot, view, "amended")
    assert (row.answered_by, row.reference, row.changes) == (
        "李经理",
        "SC-2026-118",
        "只能提供 14 间房，原为 15 间",
    )
    assert "基地变更：只能提供 14 间房" in view.model.data(view.model.index(0, 3))
    assert "都已确认" in view.summary.text()

    # declined: the reason is required
    view.answer_button.click()
    dialog = view.answer_dialog
    dialog.choose("declined")
    assert dialog.form.widgets["reason"].isVisibleTo(dialog)
    assert not dialog.form.widgets["reference"].isVisibleTo(dialog)
    # a new answer: who gave the confirmation before is not carried over to the refusal
    assert dialog.form.widgets["answered_by"].isVisibleTo(dialog) and dialog.form.value("answered_by") == ""
    dialog.save_button.click()
    assert dialog.form.error("reason") == "请填写基地拒绝的原因。"
    dialog.form.widgets["reason"].setPlainText("当周已有会议包场")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    row = order_state(qtbot, view, "declined")
    assert (row.reason, row.answered_by, row.reference) == ("当周已有会议包场", "", "")
    stored = orders.batch_orders(page.desk.db, batch.id)[0]
    assert stored.state == "declined" and stored.reason == "当周已有会议包场"


def test_an_edited_batch_shows_its_order_changed_and_cannot_be_confirmed(qtbot, setup, monkeypatch) -> None:
    page, batch, _base = setup
    db, panel, view = page.desk.db, page.batches, page.batches.orders
    confirm_orders(db, batch.id)
    order_state(qtbot, view, "confirmed")
    assert not view.notice_button.isEnabled() and "没有变更" in view.notice_button.toolTip()

    # the batch is edited: two more people the first night; the order shows what changed, right away
    panel.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.details_of == batch.id, timeout=10_000)
    panel.lodging.table.cellWidget(0, PEOPLE).setValue(32)
    panel.save()
    panel.tabs.setCurrentWidget(view)
    row = order_state(qtbot, view, "changed")
    assert row.differences and "住宿 +2人" in row.change_text
    assert row.change_text in view.model.data(view.model.index(0, 3))
    assert row.change_text in view.detail.text()
    assert view.notice_button.isEnabled() and view.answer_button.isEnabled()
    view.answer_button.click()
    dialog = view.answer_dialog
    combo = dialog.form.widgets["status"]
    assert [combo.itemData(i) for i in range(combo.count())] == ["declined"]  # the old content: no confirming
    dialog.reject()

    # confirming is refused while the base has not confirmed the current order, naming it
    answers = Answers(monkeypatch)
    panel.change_status("confirmed")
    qtbot.waitUntil(lambda: bool(answers.warned), timeout=10_000)
    wait_idle(qtbot, panel)
    assert "不能确认" in answers.warned[0] and "寿昌宾馆：发出后有变更" in answers.warned[0]
    assert not answers.asked  # refused before any question about warnings
    assert service.get_batch(db, batch.id).status == "planned"

    # with the policy "warn" it is confirmed, and the bases are named afterwards
    policy_service.set_policy(db, {"order_mode": "warn"})
    qtbot.waitUntil(lambda: panel.busy == 0, timeout=10_000)
    answers.warned.clear()
    panel.change_status("confirmed")
    qtbot.waitUntil(lambda: bool(answers.warned), timeout=10_000)
    assert service.get_batch(db, batch.id).status == "confirmed"
    assert "已确认，但以下基地还没有确认当前的预订单" in answers.warned[0] and "寿昌宾馆" in answers.warned[0]


def test_the_overview_lists_orders_waiting_and_arrivals_not_confirmed(qtbot, db: Database) -> None:
    from ui.pages.dashboard import DashboardPage

    p = partner(db, "宁波大学")
    base = certified_base(db, "寿昌宾馆", beds=80, since=dt.date(2020, 1, 1), until=FAR)
    soon = make_batch(db, p.id, base.id, TODAY + dt.timedelta(days=3))  # never sent
    later = make_batch(db, p.id, base.id, TODAY + dt.timedelta(days=20))
    orders.mark_sent(db, later.id, base.id, "printed", on=TODAY - dt.timedelta(days=5))
    answered = make_batch(db, p.id, base.id, TODAY + dt.timedelta(days=30))
    confirm_orders(db, answered.id)
    recent = make_batch(db, p.id, base.id, TODAY + dt.timedelta(days=40))
    orders.mark_sent(db, recent.id, base.id, "printed", on=TODAY - dt.timedelta(days=1))  # within 3 days
    desk = Desk(db)
    page = DashboardPage(desk)
    qtbot.addWidget(page)
    page.resize(1360, 760)
    page.show()
    wait_page(qtbot, page)
    try:
        due = page.data.orders
        assert [(d.kind, d.order.batch, d.days) for d in due] == [
            ("arriving", soon.code, 3),
            ("waiting", later.code, 5),
        ]
        assert page.order_view.isVisible() and not page.no_orders.isVisible()
        texts = [page.orders.data(page.orders.index(r, 0)) for r in range(2)]
        assert texts == ["3 天后到达", "已等待回复 5 天"]
        assert "基地未确认" in page.order_tip(due[0]) and "双击打开批次" in page.order_tip(due[0])
        opened: list[tuple[str, int]] = []
        page.open_record.connect(lambda name, key: opened.append((name, key)))
        page.order_view.doubleClicked.emit(page.order_view.model().index(1, 0))
        assert opened == [("batches", later.id)]
    finally:
        desk.worker.shutdown()


def test_the_planner_marks_lodging_the_base_has_not_confirmed(qtbot, setup) -> None:
    page, batch, base = setup
    planner, db = page.planner, page.desk.db
    planner.anchor = batch.arrival
    page.views.setCurrentWidget(planner)
    first_night = batch.arrival

    def marked() -> bool:
        return (base.id, first_night) in planner.canvas.unconfirmed

    qtbot.waitUntil(
        lambda: planner.busy == 0 and planner.canvas.view is not None and marked(), timeout=10_000
    )
    canvas = planner.canvas
    row = [b.base for b in canvas.sorted_bases()].index("寿昌宾馆")
    y = canvas.lanes_bottom() + row * 22 + 5
    x = canvas.name_width + (first_night - canvas.view.first).days * canvas.day_width + 3
    tip = canvas.tooltip_at(QPoint(x, y))
    assert f"基地未确认：{batch.code}（未发送）" in tip
    grabbed = canvas.grab()  # painting the hatched cell does not fail
    assert not grabbed.isNull()

    confirm_orders(db, batch.id)
    planner.reload()
    qtbot.waitUntil(lambda: planner.busy == 0 and not marked(), timeout=10_000)
    assert "基地未确认" not in canvas.tooltip_at(QPoint(x, y))


def test_the_order_and_its_change_notice_print_from_the_batch_page(qtbot, setup) -> None:
    """打印预订单… makes the PDF on the worker and shows it in the preview; once the batch changed after
    sending, 打印变更通知… does the same with the differences, and the audit log records the notice."""
    from recuperation.services.audit import list_audit
    from recuperation.services.batch import edit as batch_edit

    page, batch, _base = setup
    db, view = page.desk.db, page.batches.orders
    order_state(qtbot, view, "draft")
    view.print_button.click()
    qtbot.waitUntil(lambda: view.preview is not None and view.busy == 0, timeout=20_000)
    assert view.preview.document.pageCount() >= 1 and view.preview.isVisible()
    view.preview.close()
    view.preview = None

    confirm_orders(db, batch.id)
    current = service.get_batch(db, batch.id)
    details = batch_edit.get_details(db, batch.id)
    lodging = tuple(
        service.LodgingInput(lo.base_id, lo.night, lo.people + (3 if i == 0 else 0))
        for i, lo in enumerate(details.lodging)
    )
    batch_edit.update_batch(
        db,
        batch.id,
        current.version,
        service.BatchInput(
            current.partner_id, current.arrival, current.departure, 30, leader="王芳", lodging=lodging
        ),
    )
    order_state(qtbot, view, "changed")
    assert view.notice_button.isEnabled()
    view.notice_button.click()
    qtbot.waitUntil(lambda: view.preview is not None and view.busy == 0, timeout=20_000)
    assert view.preview.document.pageCount() >= 1
    view.preview.close()
    assert any(r.action == "print" for r in list_audit(db, table="batch", record_id=batch.id))


def test_a_cancelled_batch_asks_for_its_cancellation_notice_until_it_is_sent(qtbot, setup) -> None:
    page, batch, _base = setup
    view = page.batches.orders
    send(qtbot, view)
    order_state(qtbot, view, "sent")
    assert not view.cancel_sent_button.isEnabled()
    assert "不需要取消通知" in view.cancel_sent_button.toolTip()
    current = service.get_batch(page.desk.db, batch.id)
    service.set_status(page.desk.db, batch.id, current.version, "cancelled", "单位临时取消")
    view.reload()
    order_state(qtbot, view, "withdrawn")
    assert view.notice_button.text() == "打印取消通知…" and view.notice_button.isEnabled()
    assert not view.send_button.isEnabled() and not view.answer_button.isEnabled()
    view.cancel_sent_button.click()
    order_state(qtbot, view, "cancel_sent")
    assert not view.cancel_sent_button.isEnabled()
    assert [o.state for o in orders.batch_orders(page.desk.db, batch.id)] == ["cancel_sent"]
