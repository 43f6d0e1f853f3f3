"""问卷反馈 on the desktop: stars typed into the grid (a digit is the answer and the cursor moves on), a bad cell
refused and shown in red, the grid saved and the rate and means seen; unsaved rows asked about when another
batch is chosen; a workbook imported through the preview; the questionnaire printed into the preview."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from recuperation.feedback_export import export_feedback
from recuperation.services import feedback as fb
from recuperation.services.batch import batches, rosters
from recuperation.storage.database import Database
from tests.factories import certified_base, partner, person_id
from tests.ui_helpers import Answers, wait_page
from ui.batch.feedback import FIRST_STAR, RESPONDENT, SHEET, FeedbackView
from ui.batch.page import BatchesPage
from ui.desk import Desk
from ui.widgets import dialogs

ARRIVAL = dt.date.today() - dt.timedelta(days=20)
FAR = dt.date(2099, 12, 31)


def make_batch(db: Database, partner_id: int, bases: list[Any], arrival: dt.date, people: int = 5) -> Any:
    batch = batches.create_batch(
        db,
        batches.BatchInput(
            partner_id,
            arrival,
            arrival + dt.timedelta(days=len(bases)),
            people,
            lodging=tuple(
                batches.LodgingInput(b.id, arrival + dt.timedelta(days=n), people)
                for n, b in enumerate(bases)
            ),
        ),
    )
    for n in range(1, people + 1):
        rosters.add_participant(
            db, batch.id, rosters.ParticipantInput(f"职工{n}", person_id(n + arrival.day * 10))
        )
    return batch


@pytest.fixture
def setup(qtbot, db: Database):
    p = partner(db, "宁波大学")
    a = certified_base(db, "寿昌宾馆", since=dt.date(2020, 1, 1), until=FAR)
    b = certified_base(db, "梅城大酒店", since=dt.date(2020, 1, 1), until=FAR)
    batch = make_batch(db, p.id, [a, b], ARRIVAL)
    other = make_batch(db, p.id, [a], ARRIVAL + dt.timedelta(days=5), people=3)
    desk = Desk(db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_page(qtbot, page)
    view = open_feedback(qtbot, page, batch.id)
    yield page, view, batch, other, a, b
    desk.worker.shutdown()


def open_feedback(qtbot, page: BatchesPage, batch_id: int) -> FeedbackView:
    panel = page.batches
    page.open_batch(batch_id)
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == batch_id, timeout=10_000)
    panel.tabs.setCurrentWidget(panel.after_trip)
    view = next(v for v in panel.after_trip.views if isinstance(v, FeedbackView))
    panel.after_trip.setCurrentWidget(view)
    qtbot.waitUntil(
        lambda: view.busy == 0 and view.grid is not None and view.grid.batch_id == batch_id, timeout=10_000
    )
    return view


def loaded(qtbot, view: FeedbackView) -> None:
    qtbot.waitUntil(lambda: view.busy == 0 and view.grid is not None, timeout=10_000)


def test_enter_feedback_in_the_grid_save_and_see_the_rate(qtbot, setup, monkeypatch) -> None:
    _page, view, batch, _other, a, _b = setup
    grid = view.grid
    assert [s.name for s in grid.subjects] == ["寿昌宾馆", "梅城大酒店", ""]
    assert "回收问卷 0 份，名单团员 5 人" in view.summary.text()
    model, table = view.model, view.view
    assert model.headerData(FIRST_STAR + 1, Qt.Orientation.Horizontal) == "寿昌宾馆\n餐饮\n—"

    # a new row numbered 1, the cursor on its 问卷编号 (the paper's number typed first); on its first star
    # each digit is an answer and moves on
    view.add_button.click()
    assert model.rows[0].sheet_no == 1 and table.currentIndex().column() == SHEET
    table.setCurrentIndex(model.index(0, FIRST_STAR))
    for key in "45":
        qtbot.keyClick(table, key)
    assert table.currentIndex().column() == FIRST_STAR + 2
    qtbot.keyClick(table, Qt.Key.Key_Delete)  # clears: not answered
    model.setData(model.index(0, RESPONDENT), "王*芳")
    assert model.rows[0].stars == {fb.target_key(a.id, "lodging"): 4, fb.target_key(a.id, "food"): 5}
    assert view.save_button.isEnabled() and view.is_dirty()

    # past the last cell of the last row: a new row numbered 2
    last = model.columnCount() - 1
    table.setCurrentIndex(model.index(0, last))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert len(model.rows) == 2 and model.rows[1].sheet_no == 2
    assert table.currentIndex().row() == 1 and table.currentIndex().column() == SHEET
    model.setData(model.index(1, FIRST_STAR), "6")  # typed into the cell's editor: not a star
    model.setData(model.index(1, last), "早餐品种少，希望增加粥。")

    answers = Answers(monkeypatch)
    view.save_button.click()
    qtbot.waitUntil(lambda: bool(answers.warned) and view.busy == 0, timeout=10_000)
    assert "问卷 2，寿昌宾馆·住宿：星级应为 1 至 5，而不是 6" in answers.warned[0]
    bad = model.index(1, FIRST_STAR)
    assert model.data(bad, Qt.ItemDataRole.BackgroundRole) is not None
    assert "而不是 6" in model.data(bad, Qt.ItemDataRole.ToolTipRole)
    assert fb.list_responses(view.desk.db, batch.id) == []  # nothing written

    model.setData(bad, "3")
    assert model.data(bad, Qt.ItemDataRole.ToolTipRole) is None
    view.save_button.click()
    qtbot.waitUntil(
        lambda: view.busy == 0 and view.grid is not None and len(view.grid.rows) == 2, timeout=10_000
    )
    # 2 of the 5 members answered; 寿昌宾馆·住宿 4 and 3: 3.5
    assert "回收问卷 2 份，名单团员 5 人，回收率 40.0%" in view.summary.text()
    assert model.headerData(FIRST_STAR, Qt.Orientation.Horizontal) == "寿昌宾馆\n住宿\n3.5"
    assert not view.is_dirty() and not view.save_button.isEnabled()
    saved = fb.list_responses(view.desk.db, batch.id)
    assert [(r.sheet_no, r.respondent, r.comment) for r in saved] == [
        (1, "王*芳", ""),
        (2, "", "早餐品种少，希望增加粥。"),
    ]

    # a row deleted and reverted, then deleted and saved
    table.setCurrentIndex(model.index(1, SHEET))
    view.remove_selected()
    assert len(model.rows) == 1 and view.is_dirty()
    view.revert_button.click()
    assert len(model.rows) == 2 and not view.is_dirty()


def test_unsaved_rows_are_asked_about_when_another_batch_is_chosen(qtbot, setup, monkeypatch) -> None:
    page, view, batch, other, a, _b = setup
    view.add_button.click()
    view.view.setCurrentIndex(view.model.index(view.model.rowCount() - 1, FIRST_STAR))
    qtbot.keyClick(view.view, "5")
    answers = Answers(monkeypatch, dialogs.Button.Save)
    page.batches.select_key(other.id)
    qtbot.waitUntil(
        lambda: view.busy == 0 and view.grid is not None and view.grid.batch_id == other.id, timeout=10_000
    )
    assert answers.asked and batch.code in answers.asked[0]
    saved = fb.list_responses(view.desk.db, batch.id)
    assert [(r.sheet_no, r.stars) for r in saved] == [(1, {fb.target_key(a.id, "lodging"): 5})]
    assert [s.name for s in view.grid.subjects] == ["寿昌宾馆", ""] and view.model.rowCount() == 0
    # typed again, and dropped
    view.add_button.click()
    view.view.setCurrentIndex(view.model.index(view.model.rowCount() - 1, FIRST_STAR))
    qtbot.keyClick(view.view, "2")
    answers.answers.append(dialogs.Button.Discard)
    page.batches.select_key(batch.id)
    qtbot.waitUntil(
        lambda: view.busy == 0 and view.grid is not None and view.grid.batch_id == batch.id, timeout=10_000
    )
    assert fb.list_responses(view.desk.db, other.id) == []


def test_leaving_the_batch_page_asks_about_unsaved_questionnaires(qtbot, setup, monkeypatch) -> None:
    page, view, batch, _other, a, _b = setup
    view.add_button.click()
    view.view.setCurrentIndex(view.model.index(view.model.rowCount() - 1, FIRST_STAR))
    qtbot.keyClick(view.view, "4")
    answers = Answers(monkeypatch, dialogs.Button.Cancel)
    assert not page.maybe_leave()  # stays: the rows are still there
    assert answers.asked and batch.code in answers.asked[-1] and view.is_dirty()
    answers.answers.append(dialogs.Button.Save)
    assert page.maybe_leave()
    qtbot.waitUntil(lambda: view.busy == 0 and not view.is_dirty(), timeout=10_000)
    saved = fb.list_responses(view.desk.db, batch.id)
    assert [(r.sheet_no, r.stars) for r in saved] == [(1, {fb.target_key(a.id, "lodging"): 4})]


def test_import_a_workbook_through_the_preview_and_print_the_questionnaire(
    qtbot, setup, tmp_path: Path, monkeypatch
) -> None:
    import openpyxl

    _page, view, batch, _other, a, _b = setup
    db = view.desk.db
    fb.save_grid(
        db, batch.id, [fb.GridEdit(None, None, fb.ResponseInput(1, stars={fb.target_key(a.id, "food"): 3}))]
    )
    view.reload()
    loaded(qtbot, view)
    path = tmp_path / "反馈.xlsx"
    export_feedback(db, batch.code, path)
    book = openpyxl.load_workbook(path)
    sheet = book["问卷反馈"]
    heads = [c.value for c in sheet[4]]
    sheet.cell(5, heads.index("寿昌宾馆·餐饮") + 1).value = "非常满意"
    sheet.append([2, "第二组", None, "满意"])
    book.save(path)

    view.start_import(path)
    qtbot.waitUntil(lambda: view.importer is not None and view.importer.plan is not None, timeout=10_000)
    dialog = view.importer
    assert dialog.plan.count("changed") == 1 and dialog.plan.count("new") == 1
    assert "新增 1 份，修改 1 份" in dialog.summary.text()
    assert dialog.result(dialog.plan.rows[0]) == "修改（寿昌宾馆·餐饮）"
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    qtbot.waitUntil(
        lambda: view.importer is None and view.busy == 0 and len(view.grid.rows) == 2, timeout=10_000
    )
    rows = fb.list_responses(db, batch.id)
    assert rows[0].stars[fb.target_key(a.id, "food")] == 5 and rows[1].respondent == "第二组"
    assert "新增 1 份，修改 1 份" in view.last_import

    # 导出…: the two questionnaires, which import back unchanged
    exported = tmp_path / "导出.xlsx"
    view.export_to(exported)
    qtbot.waitUntil(lambda: exported.exists() and view.busy == 0, timeout=10_000)
    from recuperation.feedback_workbook import plan_feedback

    assert plan_feedback(db, batch.code, exported).count("unchanged") == 2

    # the questionnaire: one sheet per member, into the preview
    opened: list[Any] = []
    monkeypatch.setattr("ui.batch.feedback.PdfPreview.open", lambda self: opened.append(self))
    view.print_questionnaire()
    qtbot.waitUntil(lambda: bool(opened) and view.busy == 0, timeout=20_000)
    assert opened[0].path.exists() and opened[0].document.pageCount() == 5
    opened[0].close()
    QApplication.processEvents()


def test_sheet_number_first_the_grid_row_named_and_a_failed_save_not_reported_saved(
    qtbot, setup, monkeypatch
) -> None:
    _page, view, batch, _other, a, _b = setup
    db = view.desk.db
    food = fb.target_key(a.id, "food")
    fb.save_grid(
        db, batch.id, [fb.GridEdit(None, None, fb.ResponseInput(n, stars={food: 4})) for n in (1, 2)]
    )
    view.reload()
    qtbot.waitUntil(
        lambda: view.busy == 0 and view.grid is not None and len(view.grid.rows) == 2, timeout=10_000
    )
    said: list[str] = []
    view.desk.status.connect(said.append)
    view.desk.status.emit("批次 X 的问卷反馈已保存：新增 3 份，修改 0 份，删除 0 份。")  # an earlier save
    model, table = view.model, view.view
    view.add_button.click()
    assert table.currentIndex().row() == 2 and table.currentIndex().column() == SHEET
    model.setData(model.index(2, SHEET), "1")  # paper sheet 1 typed again: a duplicate
    model.setData(model.index(2, FIRST_STAR), "5")
    answers = Answers(monkeypatch)
    view.save_button.click()
    qtbot.waitUntil(lambda: bool(answers.warned) and view.busy == 0, timeout=10_000)
    assert "第 3 行" in answers.warned[0] and "第 1 行" not in answers.warned[0]  # the grid's row as shown
    assert "已保存" not in said[-1] and "没有保存" in said[-1]
    bad = model.index(2, SHEET)
    assert model.has_problem(bad)
    table.setCurrentIndex(bad)  # selected, the cell keeps its red frame (drawn by the delegate)
    assert table.itemDelegate().__class__.__name__ == "ProblemDelegate"
    assert len(fb.list_responses(db, batch.id)) == 2


def test_the_grid_shows_whole_base_names_and_stars_in_view(qtbot, setup) -> None:
    _page, view, _batch, _other, _a, _b = setup
    model, table = view.model, view.view
    title = model.headerData(FIRST_STAR, Qt.Orientation.Horizontal).split("\n")
    assert title[0] == "寿昌宾馆"  # whole, never “寿昌古…”
    header = table.horizontalHeader()
    first_star = header.sectionViewportPosition(FIRST_STAR) + table.columnWidth(FIRST_STAR)
    assert first_star <= table.viewport().width()  # the first base's stars are in view at 1366×768
    assert not view.frozen.isVisible()  # at the left edge the grid shows 问卷编号 and 填写人 itself
    table.horizontalScrollBar().setValue(table.horizontalScrollBar().maximum())
    assert table.horizontalScrollBar().value() > 0
    QApplication.processEvents()
    assert view.frozen.isVisible()  # scrolled right: kept in view over the grid's left
    shown = [c for c in range(model.columnCount()) if not view.frozen.isColumnHidden(c)]
    assert shown == [SHEET, RESPONDENT]
    table.horizontalScrollBar().setValue(0)
    assert not view.frozen.isVisible()


def test_a_second_import_with_the_mapping_chosen_by_hand_changes_nothing(
    qtbot, setup, tmp_path: Path, monkeypatch
) -> None:
    import openpyxl

    from tests.test_feedback_wjx import ANSWERS, HEADER, TITLE

    _page, view, batch, _other, a, _b = setup
    db = view.desk.db
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    day = ARRIVAL + dt.timedelta(days=1)
    for n, answers in enumerate(ANSWERS, start=1):
        sheet.append([n, f"{day:%Y/%m/%d} 18:0{n}:12", "100秒", "手机提交", "直接访问", "1.2.3.4", *answers])
    path = tmp_path / "wjx.xlsx"
    book.save(path)

    view.start_import(path)
    qtbot.waitUntil(lambda: view.importer is not None and view.importer.plan is not None, timeout=10_000)
    dialog = view.importer
    plan = dialog.plan
    lodging = fb.target_key(a.id, "lodging")
    assert plan.layout.columns.get("route:lodging") == 6  # two lodging bases: 住宿 alone is the route's
    combo = next(c for c in dialog.combos if c.property("column") == 6)
    combo.setCurrentIndex(combo.findData(lodging))  # by hand: 寿昌宾馆·住宿
    dialog.recheck_button.click()
    qtbot.waitUntil(lambda: dialog.plan is not plan and view.busy == 0, timeout=10_000)
    assert dialog.plan.layout.columns.get(lodging) == 6 and dialog.plan.count("new") == 6
    assert dialog.view.isColumnHidden(5)  # no problems: no empty 问题 column
    dialog.import_button.click()
    qtbot.waitUntil(
        lambda: view.importer is None and view.busy == 0 and len(view.grid.rows) == 6, timeout=10_000
    )

    view.start_import(path)  # the same file again: read with the mapping chosen then
    qtbot.waitUntil(lambda: view.importer is not None and view.importer.plan is not None, timeout=10_000)
    again = view.importer.plan
    assert again.layout.columns.get(lodging) == 6
    assert (again.count("new"), again.count("changed"), again.count("unchanged")) == (0, 0, 6)
    view.importer.reject()
    assert len(fb.list_responses(db, batch.id)) == 6
