"""The window fits an office screen (1366×768) in Chinese and in English, with real data in its tables.

Every page and every tab is shown in turn: none may make the window need more than 1366×768 (the bug was a
batches page that grew the window to 1,453 px in Chinese and 1,715 px in English, and the roster tab to 1,899
px), the window stays 1366 wide, and each editor's Save button is in sight.  Every dialog that can be opened
opens within the screen with its buttons in sight.  ``gui --screenshot`` gives a picture of exactly the size
asked, and ``--lang en`` opens the window in English without touching the saved language.
"""

from __future__ import annotations

import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QWidget, QWizard

from recuperation.storage.database import Database
from ui.desk import Desk
from ui.i18n import install_translator
from ui.main_window import PAGE_ORDER, MainWindow
from ui.widgets import fit
from ui.widgets.fit import inside
from ui.widgets.table import CELL_PADDING, header_width

SCREEN = QSize(1366, 768)
#: What a 1366×768 screen leaves to windows beside a 40-pixel task bar: where dialogs size themselves.
AVAILABLE = QRect(0, 0, 1366, 728)


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    translator = install_translator(qapp, request.param)
    try:
        yield request.param
    finally:
        qapp.removeTranslator(translator)
        install_translator(qapp, "zh_CN")


@pytest.fixture
def window(
    qtbot: Any, demo_db: Database, language: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    # The offscreen screen is not an office one: dialogs are sized for a 1366×768 screen with a task bar.
    monkeypatch.setattr(fit, "available_screen", lambda _widget: QRect(AVAILABLE))
    win = MainWindow(Desk(demo_db), remember=False)
    qtbot.addWidget(win)
    win.resize(SCREEN)
    win.show()
    win.show_page("dashboard")
    qtbot.waitUntil(win.loaded, timeout=20_000)
    yield win
    win.desk.worker.shutdown()


def settle(qtbot: Any, window: MainWindow) -> None:
    qtbot.waitUntil(window.loaded, timeout=20_000)
    QApplication.processEvents()


def assert_fits(window: MainWindow, where: str) -> None:
    """The window could be 1366×768 (its minimum is no larger) and still is."""
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert least.width() <= SCREEN.width() and least.height() <= SCREEN.height(), (
        f"{where}: the window needs at least {least.width()}×{least.height()}"
    )
    assert window.size() == SCREEN, f"{where}: the window grew to {window.width()}×{window.height()}"


def assert_in_sight(widget: QWidget, window: QWidget, what: str) -> None:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    assert inside(widget, window), (
        f"{what} is {'hidden' if not widget.isVisible() else 'outside the window'}: "
        f"{top_left.x()},{top_left.y()} {widget.width()}×{widget.height()} in {window.width()}×{window.height()}"
    )


def show_tabs(qtbot: Any, window: MainWindow, tabs: Any, where: str) -> None:
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        settle(qtbot, window)
        assert_fits(window, f"{where} / {tabs.tabText(index)}")
    tabs.setCurrentIndex(0)


def test_every_page_and_tab_fits_the_office_screen(qtbot: Any, window: MainWindow) -> None:
    for name in PAGE_ORDER:
        window.show_page(name)
        settle(qtbot, window)
        assert_fits(window, name)
        page = window.pages[name]
        for panel in page.panels:
            show_tabs(qtbot, window, panel.tabs, f"{name} ({type(panel).__name__})")
    batches = window.pages["batches"]
    window.show_page("batches")
    show_tabs(qtbot, window, batches.views, "batches")  # the list and the planner
    statistics = window.pages["statistics"]
    window.show_page("statistics")
    show_tabs(qtbot, window, statistics.tables, "statistics")  # the tables and the charts
    assert window.size() == SCREEN  # still 1366×768 after every page has been shown


def test_every_editors_tabs_show_without_scroll_buttons(qtbot: Any, window: MainWindow) -> None:
    """An editor's tabs all in sight beside its list: in English the base editor's seven tabs needed scroll
    buttons once 实地考察 and 评分 came, hiding 评分 behind an arrow."""
    from PySide6.QtWidgets import QToolButton

    for name in PAGE_ORDER:
        window.show_page(name)
        settle(qtbot, window)
        for panel in window.pages[name].panels:
            bar = panel.tabs.tabBar()
            where = f"{name} ({type(panel).__name__})"
            assert bar.sizeHint().width() <= panel.tabs.width(), (
                f"{where}: the tabs need {bar.sizeHint().width()} px"
            )
            assert not any(b.isVisible() for b in bar.findChildren(QToolButton)), f"{where}: scroll buttons"


def test_labels_headers_and_tab_titles_are_whole(qtbot: Any, window: MainWindow) -> None:
    """A column of labels (a kind, a status) is as wide as its longest label and a header as its text, in both
    languages (English cut them: “Governmen…”, “Training …”, “Scenic ar…”); the batch list shows its
    Departure column whole at 1366×768; tab titles keep their descenders (the g of “By worker category”)."""
    for name in PAGE_ORDER:
        window.show_page(name)
        settle(qtbot, window)
        for panel in window.pages[name].panels:
            view, cells = panel.view, panel.view.fontMetrics()
            for i, column in enumerate(panel.model.columns):
                width = view.columnWidth(i)
                if column.fits:
                    longest = max(cells.horizontalAdvance(t) for t in column.fits) + CELL_PADDING
                    assert width >= min(longest, column.widest), f"{name}: {column.header} is {width} px"
                if column.fits or column.width:
                    needed = min(header_width(view, column.header), column.widest)
                    assert width >= needed, f"{name}: header {column.header} {width} < {needed} px"
    window.show_page("batches")
    settle(qtbot, window)
    batches = window.pages["batches"].batches
    header = batches.view.horizontalHeader()
    departure = next(i for i, c in enumerate(batches.model.columns) if c.header in ("离开", "Departure"))
    right = header.sectionViewportPosition(departure) + header.sectionSize(departure)
    assert right <= batches.view.viewport().width(), f"Departure ends at {right} px"

    window.show_page("statistics")
    settle(qtbot, window)
    bar = window.pages["statistics"].tables.tabBar()
    image = bar.grab().toImage()
    for index in range(1, bar.count()):  # the unselected tabs, drawn lower
        shown = _ink_rows(image, bar.tabRect(index).adjusted(3, 3, -3, -1))
        label = QLabel(bar.tabText(index))
        label.setFont(bar.font())
        label.adjustSize()
        alone = label.grab().toImage()
        whole = _ink_rows(alone, alone.rect())
        assert shown >= whole, f"tab “{bar.tabText(index)}” is cut: {shown} of {whole} rows of ink"


def _ink_rows(image: Any, rect: QRect) -> int:
    """How many pixel rows from the highest to the lowest dark pixel of text in ``rect``."""
    rows = [
        y
        for y in range(rect.top(), rect.bottom() + 1)
        if any(QColor(image.pixel(x, y)).lightness() < 140 for x in range(rect.left(), rect.right() + 1))
    ]
    return max(rows) - min(rows) + 1 if rows else 0


def test_every_save_button_is_in_sight(qtbot: Any, window: MainWindow) -> None:
    for name in PAGE_ORDER:
        window.show_page(name)
        settle(qtbot, window)
        page = window.pages[name]
        for panel in page.panels:
            if panel.parentWidget() is not None and not panel.isVisible():  # a panel in another's tab
                outer = next(p for p in page.panels if p is not panel and p.isAncestorOf(panel))
                outer.tabs.setCurrentIndex(outer.tabs.indexOf(panel))
            panel.tabs.setCurrentIndex(0)
            settle(qtbot, window)
            what = f"{name}: Save of {type(panel).__name__}"
            assert_in_sight(panel.save_button, window, what)
            assert_in_sight(panel.revert_button, window, what.replace("Save", "Revert"))
            assert_in_sight(panel.new_button, window, what.replace("Save", "New"))
            assert_in_sight(
                panel.search if panel.search.isVisibleTo(panel) else panel.new_button, window, what
            )
            if panel.search.isVisibleTo(panel):  # a search field never shrinks to “…”
                assert panel.search.width() >= fit.SEARCH_MIN_WIDTH, (
                    f"{name}: search {panel.search.width()} px"
                )
    window.show_page("settings")
    settle(qtbot, window)
    assert_in_sight(window.pages["settings"].save_button, window, "settings: Save")
    assert_fits(window, "after every editor")


def assert_dialog_fits(qtbot: Any, dialog: QWidget, buttons: list[QWidget], what: str) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    least = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
    assert least.width() <= AVAILABLE.width() and least.height() <= AVAILABLE.height(), (
        f"{what} needs at least {least.width()}×{least.height()}"
    )
    assert dialog.width() <= AVAILABLE.width() and dialog.height() <= AVAILABLE.height(), (
        f"{what} opens at {dialog.width()}×{dialog.height()}"
    )
    for button in buttons:
        name = button.text() if hasattr(button, "text") else type(button).__name__
        assert_in_sight(button, dialog, f"{what}: {name}")


def test_every_dialog_fits_the_office_screen(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    from recuperation.templates import write_template
    from recuperation.workbooks import export_roster
    from ui.widgets.server_dialog import ServerDialog

    window.show_page("batches")
    settle(qtbot, window)
    panel = window.pages["batches"].batches
    roster = panel.roster
    panel.tabs.setCurrentWidget(roster)
    qtbot.waitUntil(lambda: roster.batch is not None and roster.busy == 0 and roster.model.rowCount() > 0)
    assert_fits(window, "the roster tab")

    # the person editor, for a new person and for one on the roster
    for person in (None, roster.model.rows[0]):
        roster.edit_person(person)
        dialog = roster.person_dialog
        assert dialog is not None
        assert_dialog_fits(qtbot, dialog, [dialog.save_button], "the person editor")
        dialog.close()

    # the preview of a roster import: the batch's own list with a column renamed, three people gone, a bad row
    path = tmp_path / "名单.xlsx"
    export_roster(window.desk.db, roster.batch.code, path, full_ids=True)
    book = openpyxl.load_workbook(path)
    sheet = book["名单"]
    sheet["E2"] = "本人电话"
    for _ in range(3):
        sheet.delete_rows(4)
    sheet.append(["99", "错号", "男", "330182198001010011", "13800000000"])
    book.save(path)
    roster.start_import(path)
    qtbot.waitUntil(lambda: roster.preview is not None and roster.preview.plan is not None, timeout=15_000)
    preview = roster.preview
    assert preview.allow_removals.isVisibleTo(preview)  # the longest line it has: the people removed
    assert_dialog_fits(
        qtbot, preview, [preview.import_button, preview.valid_button, preview.reason], "the roster import"
    )
    preview.close()

    # the preview of a register import
    job = window.import_register("bases", write_template("bases", tmp_path / "bases.xlsx").path)
    qtbot.waitUntil(lambda: job.preview is not None and job.preview.plan is not None, timeout=15_000)
    assert_dialog_fits(qtbot, job.preview, [job.preview.import_button], "the register import")
    job.preview.close()

    # the preview of a printed itinerary
    panel.print_document("itinerary")
    qtbot.waitUntil(lambda: panel.preview is not None and panel.busy == 0, timeout=30_000)
    pdf = panel.preview
    assert_dialog_fits(qtbot, pdf, [pdf.print_button, pdf.save_button], "the PDF preview")
    pdf.close()

    # 团员查询, the audit log, the user guide, the server dialog and the assistant
    window.show_people()
    qtbot.waitUntil(window.people_dialog.loaded, timeout=15_000)
    assert_dialog_fits(qtbot, window.people_dialog, [window.people_dialog.search], "团员查询")
    window.people_dialog.close()
    window.show_audit()
    qtbot.waitUntil(lambda: window.audit_dialog.busy == 0, timeout=15_000)
    assert_dialog_fits(qtbot, window.audit_dialog, [window.audit_dialog.apply_button], "the audit log")
    window.audit_dialog.close()
    window.show_guide()
    assert_dialog_fits(qtbot, window.guide_dialog, [window.guide_browser], "the user guide")
    window.guide_dialog.close()
    server = ServerDialog(
        window.desk.worker, window, "postgresql+psycopg://desk@192.168.1.10:5432/recuperation"
    )
    assert_dialog_fits(qtbot, server, [server.test_button, server.buttons], "the server dialog")
    server.close()
    window.show_assistant()
    wizard = window.assistant
    for _page in range(len(wizard.pageIds())):
        assert_dialog_fits(
            qtbot, wizard, [wizard.button(QWizard.WizardButton.CancelButton)], "the first-run assistant"
        )
        wizard.next()
    wizard.close()

    # whatever else is open (a dialog another page opened) fits too, and the window has not grown
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible() and widget is not window:
            assert widget.width() <= AVAILABLE.width() and widget.height() <= AVAILABLE.height(), widget
    assert_fits(window, "after every dialog")


# --- the screenshot command --------------------------------------------------------------------------------


def _gui(demo_path: Path, *args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "recuperation.cli", "--db", str(demo_path)]
    if lang:
        command += ["--lang", lang]
    return subprocess.run([*command, "gui", *args], capture_output=True, text=True, timeout=180)


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.mark.parametrize(("page", "lang"), [("batches", "en"), ("planner", "zh")])
def test_a_screenshot_is_exactly_the_size_asked(
    demo_path: Path, tmp_path: Path, page: str, lang: str
) -> None:
    default = tmp_path / "default.png"
    result = _gui(demo_path, "--page", page, "--screenshot", str(default), lang=lang)
    assert result.returncode == 0, result.stderr
    assert _png_size(default) == (1366, 768)
    wide = tmp_path / "wide.png"
    result = _gui(demo_path, "--page", page, "--screenshot", str(wide), "--size", "1600x900", lang=lang)
    assert result.returncode == 0, result.stderr
    assert _png_size(wide) == (1600, 900)


def test_a_window_that_cannot_shrink_is_a_failure_not_a_bigger_picture(
    demo_path: Path, tmp_path: Path
) -> None:
    shot = tmp_path / "small.png"
    result = _gui(demo_path, "--page", "batches", "--screenshot", str(shot), "--size", "640x480", lang="en")
    assert result.returncode == 1
    assert "cannot shrink to 640x480" in result.stderr and "needs at least" in result.stderr
    assert not shot.exists()


@pytest.mark.parametrize("value", ["abc", "0x0", "99999x1", "1366", "1366x768x2", "-5x600"])
def test_a_wrong_size_is_refused_naming_the_argument(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    from recuperation import cli

    assert cli.main(["--lang", "en", "gui", "--screenshot", "x.png", f"--size={value}"]) == 2
    error = capsys.readouterr().err
    assert "--size" in error and value in error and "WIDTHxHEIGHT" in error


def test_lang_en_opens_the_window_in_english_without_changing_the_setting(
    qapp: QApplication, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recuperation import cli
    from ui import app as desktop
    from ui import i18n

    i18n.settings().setValue("language", "zh_CN")
    i18n.settings().sync()
    shown: list[MainWindow] = []

    class Recorded(MainWindow):
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            shown.append(self)

    monkeypatch.setattr(desktop, "MainWindow", Recorded)
    # The desktop's log and exception hook are the process's: left alone for the tests that follow.
    monkeypatch.setattr(desktop, "install_exception_hook", lambda _path: None)
    monkeypatch.setattr(desktop, "setup_logging", lambda: tmp_path / "desk.log")
    shot = tmp_path / "settings.png"
    try:
        code = cli.main(
            ["--db", str(demo_path), "--lang", "en", "gui", "--page", "settings", "--screenshot", str(shot)]
        )
        assert code == 0
        window = shown[0]
        assert [window.nav.item(i).text() for i in range(3)] == ["Overview", "Agreements", "Bases"]
        assert window.pages["settings"].save_button.text() == "Save settings"
        assert _png_size(shot) == (1366, 768)
    finally:
        for window in shown:
            window.desk.worker.shutdown()
            window.deleteLater()
        install_translator(qapp, "zh_CN")
    assert str(i18n.settings().value("language")) == "zh_CN"  # the saved language is untouched
    assert i18n.run_language is None and i18n.current_language() == "zh_CN"
    assert qapp.translate("MainWindow", "总览") == "总览"  # the English translator is gone again
