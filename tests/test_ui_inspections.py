"""实地考察 on the base page and 标准条款 in the settings: an inspection started for a base under first review,
its checklist filled from the keyboard and the buttons, saved in one go and recorded as the certification's
实地考察 step; a bad date refused with the typing kept; a stale checklist said and reloaded; the checklist exported,
its errors shown before anything is written, then imported; the clauses loaded, added, refused, deactivated and
moved; the tab, the dialogs and the settings section fit 1366×768 in Chinese and English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from PySide6.QtCore import QCoreApplication, QDate, QRect, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QTableWidgetSelectionRange

from recuperation.services import bases, inspections
from recuperation.services.inspections import InspectionInput, ResultInput
from recuperation.storage.database import Database
from tests.ui_helpers import Answers, type_text, wait_idle, wait_page
from ui.desk import Desk
from ui.pages.bases import BasesPage
from ui.pages.inspections import (
    CHECKED,
    CODE,
    NOTE,
    RESULT,
    ChecklistDialog,
    InspectionDialog,
    InspectionsView,
)
from ui.pages.settings import SettingsPage
from ui.widgets.dialogs import Button

D = dt.date


@pytest.fixture
def tab(qtbot: Any, db: Database) -> Iterator[tuple[InspectionsView, Any, Database]]:
    inspections.load_default_clauses(db)
    base = bases.create_base(db, bases.BaseInput(name="大慈岩山庄", beds=60))
    cert = bases.apply_for_certification(db, base.id, "county", D(2024, 3, 1), "王建华")
    bases.advance_certification(db, cert.id, cert.version, "first_review", D(2024, 4, 1))
    desk = Desk(db)
    page = BasesPage(desk)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_page(qtbot, page)
    panel = page.bases
    assert panel.select_key(base.id)
    panel.tabs.setCurrentWidget(panel.inspections)
    view = panel.inspections
    qtbot.waitUntil(lambda: view.busy == 0 and view.base is not None and view.base.id == base.id)
    yield view, base, db
    desk.worker.shutdown()


def _new(qtbot: Any, view: InspectionsView) -> InspectionDialog:
    view.new_button.click()
    dialog = view.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.busy == 0)
    return dialog


def _checklist(qtbot: Any, view: InspectionsView) -> ChecklistDialog:
    qtbot.waitUntil(lambda: view.checklist is not None and view.checklist.isVisible(), timeout=10_000)
    dialog = view.checklist
    assert dialog is not None
    return dialog


def test_an_inspection_filled_from_the_keyboard_saved_and_recorded_as_its_step(
    qtbot: Any, tab: Any, monkeypatch: Any
) -> None:
    view, base, db = tab
    assert "还没有考察记录" in view.summary.text()
    assert not view.fill_button.isEnabled() and not view.step_button.isEnabled()

    dialog = _new(qtbot, view)
    # a base under first review: its 实地考察, linked to that certification
    assert dialog.kind.currentData() == "site_inspection"
    assert dialog.certification.currentData() is not None
    dialog.on_date.setDate(QDate(2024, 5, 12))
    type_text(dialog.inspectors, "张敏、李强")
    dialog.save_button.click()
    checklist = _checklist(qtbot, view)  # a new inspection opens its checklist at once
    table = checklist.table
    assert table.rowCount() == 33 and table.text(0, CODE) == "1.1"
    assert "未检查 33" in checklist.counts.text()
    assert not checklist.save_button.isEnabled()

    # the keyboard: 1 met, and on to the next clause; 2 not met; 3 not applicable; 0 clears
    table.setFocus()
    table.setCurrentCell(0, RESULT)
    for _ in range(3):
        qtbot.keyClick(table, Qt.Key.Key_1)
    assert [table.result(r) for r in range(4)] == ["met", "met", "met", None]
    assert table.currentRow() == 3
    qtbot.keyClick(table, Qt.Key.Key_2)
    qtbot.keyClick(table, Qt.Key.Key_3)
    table.setCurrentCell(4, CODE)
    qtbot.keyClick(table, Qt.Key.Key_0)
    assert [table.result(r) for r in range(6)] == ["met", "met", "met", "not_met", None, None]
    assert table.text(0, CHECKED) == "2024-05-12" and table.text(4, CHECKED) == ""  # cleared with its result

    # the buttons: everything from row 5 on met, then 3.5 and 5.2 not met with their notes
    table.clearSelection()
    table.setRangeSelected(QTableWidgetSelectionRange(4, 0, table.rowCount() - 1, 6), True)
    checklist.mark_buttons["met"].click()
    assert "未检查 0" in checklist.counts.text()
    for code, note in (("3.5", "AED 尚未配备，已购置待安装"), ("5.2", "旺季疏导预案未成文")):
        row = table.row_of(code)
        table.clearSelection()
        table.setCurrentCell(row, CODE)
        checklist.mark_buttons["not_met"].click()
        table.item(row, NOTE).setText(note)
    row = table.row_of("5.2")
    table.item(row, CHECKED).setText("2024-05-13")
    checklist.conclusion.setPlainText("基本符合，3.5、5.2 限期一个月整改")
    assert checklist.save_button.isEnabled()
    # hand-counted over the 33 clauses: not met 2.1 (the key 2), 3.5 and 5.2 (the button); 2.2 was not
    # applicable (3), cleared (0) and then met with the rest (the button): met 30, not applicable 0
    assert "符合 30，不符合 3，不适用 0，未检查 0" in checklist.counts.text()
    checklist.save_button.click()
    qtbot.waitUntil(lambda: checklist.busy == 0 and not checklist.is_dirty(), timeout=10_000)

    saved = inspections.inspections_of(db, base.id)
    assert len(saved) == 1
    row = saved[0]
    assert (row.kind, row.on_date, row.inspectors) == ("site_inspection", D(2024, 5, 12), "张敏、李强")
    assert (row.met, row.not_met, row.na, row.unchecked) == (30, 3, 0, 0)
    assert [i.code for i in row.shall_not_met] == ["2.1", "3.5", "5.2"]
    items = {i.code: i for i in row.items}
    assert (items["5.2"].note, items["5.2"].checked_on) == ("旺季疏导预案未成文", D(2024, 5, 13))
    assert items["1.1"].checked_on == D(2024, 5, 12)
    assert row.conclusion == "基本符合，3.5、5.2 限期一个月整改" and row.finished

    # the tab shows it; the step is offered and recorded
    checklist.close()
    qtbot.waitUntil(lambda: view.busy == 0 and view.rows.rows and view.rows.rows[0].version == row.version)
    assert "符合 30，不符合 3，不适用 0，未检查 0" in view.summary.text()
    assert "“应”条款不符合：2.1、3.5、5.2" in view.summary.text()
    assert view.step_button.isEnabled()
    answers = Answers(monkeypatch, Button.Yes)
    view.step_button.click()
    qtbot.waitUntil(lambda: view.busy == 0 and view.current() is not None and view.current().step_recorded)
    assert "大慈岩山庄" in answers.asked[0] and "实地考察" in answers.asked[0]
    cert = bases.list_certifications(db, base.id)[0]
    assert cert.status == "site_inspection" and cert.steps[-1].responsible == "张敏、李强"
    assert not view.step_button.isEnabled() and "已记入认定过程" in view.summary.text()


def test_a_bad_date_is_said_and_a_stale_checklist_reloaded(qtbot: Any, tab: Any, monkeypatch: Any) -> None:
    view, base, db = tab
    row = inspections.start_inspection(db, InspectionInput(base.id, "routine", D(2024, 5, 12), "王芳"))
    view.reload(select=row.id)
    qtbot.waitUntil(lambda: view.busy == 0 and view.current() is not None)
    view.fill_button.click()
    checklist = _checklist(qtbot, view)
    table = checklist.table
    table.setCurrentCell(0, RESULT)
    qtbot.keyClick(table, Qt.Key.Key_1)
    table.item(0, CHECKED).setText("昨天")
    answers = Answers(monkeypatch)
    checklist.save_button.click()
    assert "1.1" in answers.warned[0] and "昨天" in answers.warned[0]
    assert table.currentRow() == 0 and table.currentColumn() == CHECKED
    assert checklist.is_dirty()  # the typing is kept
    # a date before the inspection: the service refuses it, naming the clause; the cell is selected
    table.item(0, CHECKED).setText("2024-05-01")
    checklist.save_button.click()
    qtbot.waitUntil(lambda: checklist.busy == 0 and len(answers.warned) == 2)
    assert "1.1" in answers.warned[1] and "2024-05-01" in answers.warned[1]
    assert checklist.is_dirty() and inspections.get_inspection(db, row.id).unchecked == 33

    # another desk saves the checklist first: said, and loaded again when asked
    inspections.record_results(db, row.id, row.version, [ResultInput("5.2", "not_met", "另一台电脑")])
    table.item(0, CHECKED).setText("")
    answers.answers.append(Button.Yes)
    checklist.save_button.click()
    qtbot.waitUntil(lambda: checklist.busy == 0 and not checklist.is_dirty(), timeout=10_000)
    assert "测试员" in answers.asked[0]
    assert table.result(table.row_of("5.2")) == "not_met" and table.result(0) is None
    checklist.close()


def test_the_checklist_exported_previewed_and_imported(
    qtbot: Any, tab: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    view, base, db = tab
    row = inspections.start_inspection(db, InspectionInput(base.id, "routine", D(2024, 5, 12), "王芳"))
    view.reload(select=row.id)
    qtbot.waitUntil(lambda: view.busy == 0 and view.current() is not None)
    path = tmp_path / "检查表.xlsx"
    view.export_to(path, row.id)
    wait_idle(qtbot, view)
    book = openpyxl.load_workbook(path)
    sheet = book["检查表"]
    sheet["E8"] = "√"
    sheet["E9"] = "好"  # a bad result first: the preview shows it and imports nothing
    book.save(path)
    view.start_import(path)
    qtbot.waitUntil(lambda: view.busy == 0 and view.preview is not None and view.preview.isVisible())
    preview = view.preview
    assert preview is not None
    assert not preview.import_button.isEnabled() and len(preview.problems.rows) == 1
    assert (preview.problems.rows[0].row, preview.problems.rows[0].column) == (9, "结果")
    preview.close()
    sheet["E9"] = "不适用"
    sheet["F9"] = "无此项目"
    book.save(path)
    view.start_import(path)
    qtbot.waitUntil(lambda: view.busy == 0 and view.preview is not None and view.preview.isVisible())
    preview = view.preview
    assert preview is not None and preview.import_button.isEnabled()
    assert "修改 2 条" in preview.summary.text()
    preview.import_button.click()
    qtbot.waitUntil(lambda: view.busy == 0 and view.preview is None and view.current() is not None)
    qtbot.waitUntil(lambda: view.current().met == 1)
    now = inspections.get_inspection(db, row.id)
    assert (now.met, now.na, now.items[1].note) == (1, 1, "无此项目")

    # a blank form exported for the next visit
    blank = tmp_path / "空白.xlsx"
    view.export_to(blank, None)
    wait_idle(qtbot, view)
    assert openpyxl.load_workbook(blank)["检查表"]["F2"].value is None


def test_the_clauses_in_the_settings(qtbot: Any, db: Database, monkeypatch: Any) -> None:
    desk = Desk(db)
    page = SettingsPage(desk)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_page(qtbot, page)
    panel = page.clauses
    qtbot.waitUntil(lambda: panel.loaded_once and panel.busy == 0)
    assert panel.model.rows == []
    panel.load_button.click()
    qtbot.waitUntil(lambda: panel.busy == 0 and len(panel.model.rows) == 33)
    assert panel.model.rows[0].code == "1.1"

    # added at the end; a number already used refused with the dialog kept open
    panel.add_button.click()
    dialog = panel.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    type_text(dialog.code, "5.2")
    dialog.requirement.setPlainText("重复的条款")
    answers = Answers(monkeypatch)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.busy == 0 and len(answers.warned) == 1)
    assert "5.2" in answers.warned[0] and dialog.isVisible()
    type_text(dialog.code, "5.9")
    dialog.element.setCurrentIndex(dialog.element.findData("safety"))
    dialog.strength.setCurrentIndex(dialog.strength.findData("should"))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible() and panel.busy == 0 and len(panel.model.rows) == 34)
    added = panel.model.rows[-1]
    assert (added.code, added.element, added.strength, added.requirement) == (
        "5.9",
        "safety",
        "should",
        "重复的条款",
    )
    assert panel.current() is not None and panel.current().code == "5.9"

    # moved up, deactivated
    panel.up_button.click()
    qtbot.waitUntil(lambda: panel.busy == 0 and panel.model.rows[-1].code == "6.7")
    assert panel.model.rows[-2].code == "5.9" and panel.current().code == "5.9"
    panel.active_button.click()
    qtbot.waitUntil(lambda: panel.busy == 0 and not panel.current().active)
    assert panel.active_button.text() == "启用条款"
    assert [c.code for c in inspections.list_clauses(db, active_only=True)][-1] == "6.7"
    desk.worker.shutdown()


# -- fitting the office screen ------------------------------------------------------------------------------------

#: The English of this part's strings, for the fit test until the lead's translation lands (and for it).
PROPOSED_EN = {
    "实地考察": "Inspections",
    "日期": "Date",
    "类型": "Kind",
    "符合": "Met",
    "不符合": "Not met",
    "不适用": "N/A",
    "未检查": "Unchecked",
    "检查人员": "Inspectors",
    "状态": "State",
    "未检查 {0} 条": "{0} unchecked",
    "待写结论": "Conclusion due",
    "已记入认定": "Recorded as step",
    "已完成": "Done",
    "要素": "Element",
    "条款": "Clauses",
    "新建考察…": "New inspection…",
    "填写检查表…": "Fill in checklist…",
    "考察信息…": "Details…",
    "删除": "Delete",
    "记为认定步骤": "Record as step",
    "导入检查表…": "Import checklist…",
    "导出检查表…": "Export checklist…",
    "所选考察的检查表…": "Checklist of the selected inspection…",
    "空白检查表…": "Blank checklist…",
    "{0} {1}　检查人员：{2}": "{0} {1} · inspectors: {2}",
    "共 {0} 条：符合 {1}，不符合 {2}，不适用 {3}，未检查 {4}。": (
        "{0} clauses: {1} met, {2} not met, {3} not applicable, {4} unchecked."
    ),
    "“应”条款不符合：{0}": "“Shall” clauses not met: {0}",
    "认定：{0}（{1}）": "Certification: {0} ({1})",
    "已记入认定过程": "recorded as its step",
    "尚未记入认定过程": "not yet recorded as its step",
    "结论：{0}": "Conclusion: {0}",
    "编号": "No.",
    "应/宜": "Shall/should",
    "要求": "Requirement",
    "结果": "Result",
    "说明": "Note",
    "检查日期": "Checked on",
    "清除结果": "Clear",
    "选中条款（可多选）后点按钮，或按 1 符合、2 不符合、3 不适用、0 清除，自动跳到下一条。": (
        "Select clauses and click, or press 1 met, 2 not met, 3 not applicable, 0 clear; it moves to the next."
    ),
    "考察结论": "Conclusion",
    "保存检查表": "Save checklist",
    "撤销修改": "Undo changes",
    "关闭": "Close",
    "共 {0} 条：符合 {1}，不符合 {2}，不适用 {3}，未检查 {4}": (
        "{0} clauses: {1} met, {2} not met, {3} not applicable, {4} unchecked"
    ),
    "检查表：{0} {1} {2}": "Checklist: {0} {1} {2}",
    "{0}　{1}　{2}　检查人员：{3}　标准：{4}": "{0} · {1} · {2} · inspectors: {3} · standard: {4}",
    "认定：{0}": "Certification: {0}",
    "新建考察：{0}": "New inspection: {0}",
    "认定": "Certification",
    "不关联认定": "No certification",
    "新建并填写检查表": "Create and fill in",
    "取消": "Cancel",
    "检查表按“设置 → 标准条款”中启用的条款生成；以后修改条款不影响这次考察。": (
        "The checklist holds the clauses in use under Settings → Standard clauses; later edits of the clauses "
        "leave this inspection as it is."
    ),
    "标准条款（实地考察检查表）": "Standard clauses (the inspection checklist)",
    "标准": "Standard",
    "添加条款…": "Add clause…",
    "编辑…": "Edit…",
    "停用": "Not in use",
    "启用": "In use",
    "停用条款": "Deactivate",
    "启用条款": "Reactivate",
    "上移": "Up",
    "下移": "Down",
    "载入默认条款": "Load default clauses",
    "实地考察的检查表按这里启用的条款、按这里的顺序生成；已做的考察保留当时的条款原文，修改或停用条款不影响它们。"
    "默认条款的编号为办公室自编、要求为概括转述，请对照已发布的标准文本核对。": (
        "An inspection's checklist holds the clauses in use here, in this order; inspections already made keep "
        "their clauses as they read then. The default clauses are numbered by the office and paraphrased: "
        "check them against the published standard."
    ),
}
CONTEXTS = (
    "BasesPanel",
    "InspectionsView",
    "InspectionDialog",
    "ChecklistTable",
    "ChecklistDialog",
    "ClausesPanel",
    "ClauseDialog",
    "SettingsPage",
)
SCREEN = (1366, 768)
AVAILABLE = QRect(0, 0, 1366, 728)


class _Proposed(QTranslator):
    def __init__(self, parent: Any, words: dict[tuple[str, str], str]):
        super().__init__(parent)
        self.words = words

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return self.words.get((context, source))

    def isEmpty(self) -> bool:
        return False


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    from recuperation import messages
    from ui.i18n import install_translator

    translator = install_translator(qapp, request.param)
    proposed = None
    if request.param == "en":
        missing = {
            (context, source): english
            for context in CONTEXTS
            for source, english in PROPOSED_EN.items()
            if QCoreApplication.translate(context, source) == source
        }
        proposed = _Proposed(qapp, missing)
        qapp.installTranslator(proposed)
        messages.set_language("en")
    try:
        yield request.param
    finally:
        if proposed is not None:
            qapp.removeTranslator(proposed)
        qapp.removeTranslator(translator)
        install_translator(qapp, "zh_CN")
        messages.set_language("zh")


def test_the_tab_the_checklist_and_the_clauses_fit_the_office_screen(
    qtbot: Any, db: Database, language: str, monkeypatch: Any
) -> None:
    from ui.main_window import MainWindow
    from ui.widgets import fit
    from ui.widgets.fit import inside

    monkeypatch.setattr(fit, "available_screen", lambda _widget: QRect(AVAILABLE))
    inspections.load_default_clauses(db)
    base = bases.create_base(db, bases.BaseInput(name="建德新安江疗休养中心（职工培训基地）", beds=300))
    row = inspections.start_inspection(
        db, InspectionInput(base.id, "recheck", D(2024, 6, 3), "张敏、李强（市总工会）、周涛")
    )
    inspections.record_results(
        db, row.id, row.version, [ResultInput(i.code, "met") for i in row.items if i.code != "5.2"]
    )
    window = MainWindow(Desk(db), remember=False)
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    window.show_page("bases")
    qtbot.waitUntil(window.loaded, timeout=20_000)
    panel = window.pages["bases"].bases
    assert panel.select_key(base.id)
    panel.tabs.setCurrentWidget(panel.inspections)
    view = panel.inspections
    qtbot.waitUntil(lambda: window.loaded() and len(view.rows.rows) == 1, timeout=20_000)
    QApplication.processEvents()
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert least.width() <= SCREEN[0] and least.height() <= SCREEN[1], f"{language}: {least}"
    assert (window.width(), window.height()) == SCREEN
    if language == "en":
        assert panel.tabs.tabText(panel.tabs.indexOf(view)) == "Inspections"
        assert view.fill_button.text() == "Fill in checklist…"
    for widget in (
        view.new_button,
        view.fill_button,
        view.edit_button,
        view.delete_button,
        view.step_button,
        view.import_button,
        view.export_button,
        view.view,
        view.element_view,
        view.summary,
    ):
        assert inside(widget, window), f"{language}: {widget}"
        assert widget.width() >= widget.minimumSizeHint().width(), f"{language}: {widget} squeezed"
    for table in (view.view, view.element_view):
        header = table.horizontalHeader()
        assert header.length() <= table.viewport().width(), f"{language}: {header.length()} px"
        assert not table.horizontalScrollBar().isVisible(), f"{language}: scrolls sideways"
        for column in range(header.count() - 1):
            name = table.model().headerData(column, Qt.Orientation.Horizontal)
            assert header.sectionSize(column) >= header.sectionSizeHint(column), f"{language}: {name} cut"

    view.open_checklist()
    checklist = _checklist(qtbot, view)
    QApplication.processEvents()
    assert checklist.width() <= AVAILABLE.width() and checklist.height() <= AVAILABLE.height()
    for widget in (
        checklist.save_button,
        checklist.conclusion,
        checklist.counts,
        *checklist.mark_buttons.values(),
    ):
        assert widget.isVisible() and widget.width() >= widget.minimumSizeHint().width(), (
            f"{language}: {widget}"
        )
    header = checklist.table.horizontalHeader()
    assert header.length() <= checklist.table.viewport().width(), (
        f"{language}: the checklist scrolls sideways"
    )
    for column in (CODE, RESULT, CHECKED):
        assert checklist.table.columnWidth(column) >= checklist.table.sizeHintForColumn(column), language
    checklist.close()

    window.show_page("settings")
    settings = window.pages["settings"]
    qtbot.waitUntil(lambda: window.loaded() and settings.clauses.loaded_once and settings.clauses.busy == 0)
    clauses = settings.clauses
    assert len(clauses.model.rows) == 33
    header = clauses.view.horizontalHeader()
    assert header.length() <= clauses.view.viewport().width(), f"{language}: the clauses scroll sideways"
    for button in (clauses.add_button, clauses.load_button, clauses.up_button, clauses.down_button):
        assert button.width() >= button.minimumSizeHint().width(), f"{language}: {button.text()}"
