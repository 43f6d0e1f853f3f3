"""结算 on the desktop: the trip of tests/test_rates.py (actual ¥3,565.00 at 寿昌宾馆) invoiced at ¥3,625.00 with
its scan, the ¥60.00 difference explained in the dialog (the remainder said as it is typed), approved, paid in
two parts, and the batch settled; a refusal shown at its field; the tab fits 1366×768 in both languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLabel

from recuperation.services import settlement
from recuperation.storage.database import Database
from tests.test_rates import _complete, trip  # noqa: F401  (the fixture)
from tests.ui_helpers import Answers, type_text, wait_page
from ui.batch import settlement as tab
from ui.batch.page import BatchesPage
from ui.desk import Desk
from ui.widgets import dialogs

D = dt.date


@pytest.fixture
def setup(qtbot, db: Database, trip):  # noqa: F811
    batch, base, _card, people = trip
    _complete(db, batch.id, people)
    desk = Desk(db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_page(qtbot, page)
    panel = page.batches
    page.open_batch(batch.id)
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == batch.id, timeout=10_000)
    panel.tabs.setCurrentWidget(panel.settlement)
    view = panel.settlement
    qtbot.waitUntil(lambda: view.busy == 0 and len(view.rows) == 1, timeout=10_000)
    yield page, batch, base
    desk.worker.shutdown()


def state(qtbot, view, wanted: str) -> settlement.SettlementRow:
    qtbot.waitUntil(lambda: view.busy == 0 and view.rows and view.rows[0].state == wanted, timeout=10_000)
    return view.rows[0]


def set_date(dialog: Any, key: str, day: D) -> None:
    dialog.form.widgets[key].setDate(QDate(day.year, day.month, day.day))


def test_enter_explain_approve_and_pay_an_invoice_until_the_batch_is_settled(
    qtbot, setup, monkeypatch, tmp_path: Path
) -> None:
    page, batch, _base = setup
    view = page.batches.settlement
    db = page.desk.db
    row = state(qtbot, view, "none")
    assert view.model.data(view.model.index(0, 0)) == "寿昌宾馆"
    assert view.model.data(view.model.index(0, 1)) == "未收票"
    assert view.model.data(view.model.index(0, 2)) == "4,260.00\n3,565.00"  # planned over actual
    assert "未结清" in view.summary.text()
    # nothing to approve, pay or open yet; each button says why
    for button in (view.approve_button, view.pay_button, view.scan_button, view.delete_button):
        assert not button.isEnabled() and "还没有登记" in button.toolTip()
    # the items planned beside actual, the totals under them
    items = [view.lines.rows[i] for i in range(len(view.lines.rows))]
    assert len(items) == 13 and items[-1].item == "合计"
    assert (items[-1].planned_fen, items[-1].actual_fen, items[-1].difference_fen) == (426000, 356500, -69500)
    assert items[3].item == "晚餐" and (items[3].planned_qty, items[3].actual_qty) == (6, 5)

    # 登记发票…: ¥3,625.00, ¥60.00 more than the actual cost, with its scan
    assert view.invoice_button.text() == "登记发票…"
    view.invoice_button.click()
    dialog = view.invoice_dialog
    assert dialog is not None and dialog.isVisible()
    type_text(dialog.form.widgets["invoice_number"], "04512345")
    set_date(dialog, "issued_on", D(2021, 6, 1))  # before the batch arrived: refused at the field
    type_text(dialog.form.widgets["amount"], "3,625.00")
    assert "差额 +60.00 元" in dialog.remainder.text() and "未说明 +60.00 元" in dialog.remainder.text()
    scan = tmp_path / "发票.pdf"
    scan.write_bytes(b"%PDF-1.4")
    dialog.scan_edit.setText(str(scan))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(dialog.form.error("issued_on")), timeout=10_000)
    assert dialog.isVisible() and "早于批次到达日期" in dialog.form.error("issued_on")
    set_date(dialog, "issued_on", D(2021, 7, 5))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    row = state(qtbot, view, "received")
    assert (row.invoice.amount_fen, row.invoice.tax_bp, row.unexplained_fen) == (362500, 600, 6000)
    assert view.model.data(view.model.index(0, 3)) == "04512345\n3,625.00"
    assert view.model.data(view.model.index(0, 4)) == "+60.00\n0.00"  # the difference, none explained
    assert not view.approve_button.isEnabled() and "+60.00 元差额没有说明" in view.approve_button.toolTip()
    assert view.scan_button.isEnabled() and view.delete_button.isEnabled()
    opened: list[str] = []
    monkeypatch.setattr(tab, "open_file", opened.append)
    view.scan_button.click()
    assert opened == [row.invoice.scan_path] and Path(opened[0]).read_bytes() == b"%PDF-1.4"

    # 修改发票…: two lines explain the difference; the remainder follows the typing
    assert view.invoice_button.text() == "修改发票…"
    view.invoice_button.click()
    dialog = view.invoice_dialog
    assert dialog.form.value("amount") == "3625.00" and dialog.form.value("tax") == "6%"
    dialog.add_adjustment()
    dialog.set_adjustment(0, "80", "加用会议室半天")
    assert "未说明 -20.00 元" in dialog.remainder.text()
    dialog.add_adjustment()
    dialog.set_adjustment(1, "-20", "")
    dialog.save_button.click()
    assert dialog.isVisible() and "请写明原因" in dialog.adjust_error.text()
    dialog.set_adjustment(1, "-20", "一餐未用，按实退")
    assert "未说明 0.00 元" in dialog.remainder.text() and dialog.unexplained_fen == 0
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: view.busy == 0 and view.rows[0].explained_fen == 6000, timeout=10_000)
    shown = [s.item for s in view.lines.rows]
    assert "差额说明：加用会议室半天" in shown and "差额说明：一餐未用，按实退" in shown

    # 审批, after a question
    assert view.approve_button.isEnabled()
    answers = Answers(monkeypatch, dialogs.Button.Yes)
    view.approve_button.click()
    row = state(qtbot, view, "approved")
    assert "+60.00" in answers.asked[0] and "已全部说明" in answers.asked[0]
    assert row.invoice.approved_by == "测试员"
    assert view.invoice_button.isEnabled()  # an approved invoice may still be corrected
    view.invoice_button.click()
    dialog = view.invoice_dialog
    assert dialog.table.rowCount() == 2 and dialog.unexplained_fen == 0
    assert "需要重新审批" in dialog.findChild(QLabel, "approval_note").text()
    dialog.reject()
    assert not view.delete_button.isEnabled()

    # 付款… twice: ¥2,000.00, then the rest the dialog offers
    view.pay_button.click()
    dialog = view.pay_dialog
    assert dialog.form.value("payment_amount") == "3625.00"
    type_text(dialog.form.widgets["payment_amount"], "2000")
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.form.error("payment_reference")
    type_text(dialog.form.widgets["payment_reference"], "DZ20261201001")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: view.busy == 0 and view.rows[0].paid_fen == 200000, timeout=10_000)
    assert "还应付 1,625.00 元" in view.detail.text()
    view.pay_button.click()
    dialog = view.pay_dialog
    assert dialog.form.value("payment_amount") == "1625.00"
    type_text(dialog.form.widgets["payment_reference"], "DZ20261201002")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    row = state(qtbot, view, "paid")
    assert (row.paid_fen, row.outstanding_fen) == (362500, 0)
    assert "已结清" in view.summary.text()
    assert not view.pay_button.isEnabled() and view.pay_button.toolTip() == "发票已付清。"
    assert not view.invoice_button.isEnabled() and "已付清" in view.invoice_button.toolTip()
    assert settlement.batch_settled(db, batch.id)


def test_a_batch_not_under_way_takes_no_invoice(qtbot, setup) -> None:
    page, batch, base = setup
    # another batch, planned: its base is listed with its planned cost and nothing can be entered yet
    from recuperation.services.batch import batches

    later = batches.create_batch(
        page.desk.db,
        batches.BatchInput(
            batches.get_batch(page.desk.db, batch.id).partner_id,
            D(2021, 9, 1),
            D(2021, 9, 2),
            10,
            lodging=(batches.LodgingInput(base.id, D(2021, 9, 1), 10),),
        ),
    )
    panel, view = page.batches, page.batches.settlement
    page.open_batch(later.id)
    qtbot.waitUntil(lambda: view.batch is not None and view.batch.id == later.id, timeout=10_000)
    row = state(qtbot, view, "none")
    assert row.planned_fen == 5 * 30000
    assert not view.invoice_button.isEnabled() and "进行中或已完成" in view.invoice_button.toolTip()
    assert "计划费用共 1,500.00 元" in view.summary.text()
    assert panel.tabs.currentWidget() is view
