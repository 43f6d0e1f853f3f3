"""The main window: navigation, shortcuts, unsaved changes, printing, help, errors and start-up problems."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from recuperation.storage.backups import sqlite_backup
from recuperation.storage.database import Database
from tests.factories import stored_numbers
from tests.ui_helpers import Answers, type_text
from ui.desk import Desk
from ui.main_window import PAGE_ORDER, MainWindow
from ui.widgets.dialogs import Button
from ui.widgets.table import ROW_ROLE


@pytest.fixture
def window(qtbot, demo_db: Database):
    win = MainWindow(Desk(demo_db), remember=False)
    qtbot.addWidget(win)
    win.show()
    win.show_page("agreements")
    qtbot.waitUntil(win.loaded, timeout=15_000)
    yield win
    win.desk.worker.shutdown()


def test_every_page_opens_with_data(qtbot, window: MainWindow) -> None:
    for name in PAGE_ORDER:
        window.show_page(name)
        qtbot.waitUntil(window.loaded, timeout=15_000)
        assert window.nav.currentItem().text() == window.titles[name]


def test_standard_shortcuts(qtbot, window: MainWindow) -> None:
    assert window.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert window.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert window.print_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    assert window.refresh_action.shortcut().toString() == "F5"
    assert window.delete_action.shortcut().toString() in ("Del", "Delete")
    panel = window.pages["agreements"].partners
    window.new_action.trigger()
    assert panel.current is None and panel.form.value("name") == ""
    type_text(panel.form.widgets["name"], "舟山港务集团")
    window.save_action.trigger()
    qtbot.waitUntil(
        lambda: panel.current is not None and panel.current.name == "舟山港务集团", timeout=10_000
    )
    qtbot.waitUntil(lambda: "舟山港务集团" in window.statusBar().currentMessage(), timeout=10_000)
    window.find_action.trigger()
    assert panel.search.hasFocus()


def test_delete_key_in_the_list_asks_first(qtbot, window: MainWindow, monkeypatch) -> None:
    panel = window.pages["agreements"].partners
    panel.view.setFocus()
    answers = Answers(monkeypatch, Button.No)
    window.delete_in_page()
    assert answers.asked and "确定删除" in answers.asked[0]


def test_leaving_a_page_with_unsaved_changes_asks(qtbot, window: MainWindow, monkeypatch) -> None:
    panel = window.pages["agreements"].partners
    type_text(panel.form.widgets["region"], "改了没存")
    answers = Answers(monkeypatch, Button.Cancel)
    window.show_page("bases")
    assert window.page().name == "agreements" and window.nav.currentRow() == PAGE_ORDER.index("agreements")
    assert "未保存的修改" in answers.asked[0]
    answers.answers.append(Button.Discard)
    window.show_page("bases")
    assert window.page().name == "bases"


def test_print_preview_of_the_list(qtbot, window: MainWindow, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("ui.widgets.printing.preview", lambda _parent, title, markup: shown.append(markup))
    window.pages["agreements"].partners.view.setFocus()
    window.print_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=15_000)  # the union's name is read on the worker first
    assert shown and "宁波大学" in shown[0] and "<th>名称</th>" in shown[0]
    from ui.widgets.printing import document

    assert "浙江大学" in document(shown[0]).toPlainText()


def test_about_and_guide(qtbot, window: MainWindow, monkeypatch) -> None:
    about: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _p, _t, text: about.append(text))
    window.about_action.trigger()
    from recuperation import __version__

    assert __version__ in about[0]
    window.guide_action.trigger()
    assert "使用说明" in window.guide_browser.toPlainText() and "Ctrl+N" in window.guide_browser.toPlainText()
    window.guide_dialog.close()


def test_window_remembers_its_size(qtbot, demo_db: Database) -> None:
    first = MainWindow(Desk(demo_db))
    qtbot.addWidget(first)
    first.resize(1111, 777)
    first.pages["agreements"].partners.view.setColumnWidth(0, 321)
    first.save_state()
    first.desk.worker.shutdown()
    second = MainWindow(Desk(demo_db))
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (1111, 777)
    assert second.pages["agreements"].partners.view.columnWidth(0) == 321
    second.desk.worker.shutdown()


def test_exception_hook_logs_and_shows(qtbot, tmp_path: Path, monkeypatch) -> None:
    from ui import app

    log_path = app.setup_logging()
    shown: list[str] = []
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb-not-offscreen")  # pretend a real screen, so the dialog shows
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    old = sys.excepthook
    try:
        app.install_exception_hook(log_path)
        try:
            raise ValueError("测试错误")
        except ValueError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = old
    assert "测试错误" in shown[0] and str(log_path) in shown[0]
    assert "ValueError: 测试错误" in log_path.read_text(encoding="utf-8")


def test_damaged_database_at_start_offers_the_latest_backup(qtbot, demo_path: Path, monkeypatch) -> None:
    from ui import app

    backup = sqlite_backup(demo_path, demo_path.parent / "demo-backups" / "demo-20260101-manual.db")
    demo_path.write_bytes(b"this file was damaged")
    for side in (demo_path.with_name("demo.db-wal"), demo_path.with_name("demo.db-shm")):
        side.unlink(missing_ok=True)
    texts: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        texts.append(box.text())
        restore_button = next(b for b in box.buttons() if b.text() == "恢复最近的备份")
        monkeypatch.setattr(box, "clickedButton", lambda: restore_button)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    database = app.open_with_help(str(demo_path))
    assert database is not None and "不是 SQLite 数据库" in texts[0]
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM batch").scalar() == 1218
    database.close()
    assert list(demo_path.parent.glob("demo-damaged-*.db"))
    assert backup.exists()


def test_an_unreachable_server_at_start_offers_this_computers_file(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    from ui import app
    from ui.i18n import store_database, stored_database

    server = "postgresql+psycopg://desk@127.0.0.1:1/office"
    store_database(server)
    texts: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        texts.append(box.text())
        local = next(b for b in box.buttons() if b.text() == "改用本机数据库文件")
        monkeypatch.setattr(box, "clickedButton", lambda: local)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    database = app.open_with_help(stored_database())
    assert database is not None and database.path is not None and database.path.name == "recuperation.db"
    assert "无法打开数据库 postgresql+psycopg://desk@127.0.0.1:1/office" in texts[0]
    assert stored_database() is None  # the next start uses the file too, until a server is chosen again
    database.close()


def test_navigation_has_all_pages(window: MainWindow) -> None:
    assert [window.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.nav.count())] == list(
        PAGE_ORDER
    )


def test_history_tab_and_audit_viewer(qtbot, window: MainWindow) -> None:
    from recuperation.services import partners as partner_service

    panel = window.pages["agreements"].partners
    row = next(r for r in panel.model.rows if r.name == "宁波大学")
    other = Database(window.desk.db.url, user="李秀兰")
    partner_service.update_partner(
        other,
        row.id,
        row.version,
        partner_service.PartnerInput(
            name=row.name,
            kind=row.kind,
            region="宁波市江北区风华路",
            uscc=row.uscc,
            contact_name=row.contact_name,
            contact_phone=row.contact_phone,
            address=row.address,
            notes=row.notes,
        ),
    )
    other.close()
    panel.refresh(select_key=row.id)
    qtbot.waitUntil(
        lambda: (
            panel.history.busy == 0
            and panel.current is not None
            and panel.current.id == row.id
            and panel.history.model.rowCount() > 0
        ),
        timeout=10_000,
    )
    entry = panel.history.model.rows[0]
    assert (entry.user, entry.field, entry.new) == ("李秀兰", "地区", "宁波市江北区风华路")
    window.audit_action.trigger()
    dialog = window.audit_dialog
    qtbot.waitUntil(lambda: dialog.busy == 0 and dialog.user.count() > 1, timeout=10_000)
    dialog.user.setCurrentIndex(dialog.user.findData("李秀兰"))
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.busy == 0 and dialog.model.rowCount() == 1, timeout=10_000)
    assert dialog.model.rows[0].label == "宁波大学"
    dialog.close()


def test_people_of_a_year_found_as_you_type(qtbot, window: MainWindow) -> None:
    from tests.ui_helpers import type_text

    window.show_people()
    dialog = window.people_dialog
    qtbot.waitUntil(lambda: dialog.loaded() and dialog.model.rowCount() > 0, timeout=15_000)
    assert dialog.year.currentData() == 2021 and dialog.model.rowCount() == 45340
    first = dialog.model.rows[0]
    masked = dialog.proxy.index(0, 7).data()
    number = stored_numbers(window.desk.db)[first.participant_id][0]
    assert number not in masked and "*" in masked  # shown masked
    type_text(dialog.search, number)  # found by the full number all the same (a desk's own file)
    assert dialog.proxy.rowCount() >= 1 and dialog.proxy.index(0, 5).data() == first.name
    type_text(dialog.search, "宁波大学")
    assert 0 < dialog.proxy.rowCount() < 45340 and "人次" in dialog.count.text()
    dialog.view.doubleClicked.emit(dialog.proxy.index(0, 0))
    assert window.stack.currentWidget() is window.pages["batches"]  # the person's batch is opened


def test_sorting_a_column_keeps_the_selected_record(qtbot, window: MainWindow) -> None:
    window.show_page("batches")
    panel = window.pages["batches"].panels[0]
    qtbot.waitUntil(lambda: window.loaded() and panel.model.rowCount() > 0, timeout=15_000)
    view = panel.view
    view.selectRow(5)
    chosen = view.currentIndex().data(ROW_ROLE)
    view.sortByColumn(7, Qt.SortOrder.DescendingOrder)  # by headcount, largest first
    counts = [panel.proxy.index(r, 7).data(ROW_ROLE).headcount for r in range(panel.proxy.rowCount())]
    assert counts == sorted(counts, reverse=True)
    assert view.currentIndex().data(ROW_ROLE) == chosen  # the selection followed its row


def test_a_busy_database_is_named_not_an_unexpected_error(qtbot, tmp_path) -> None:
    """A job that meets another desk's write lock reaches the page as the message that says so."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from recuperation.errors import DomainError
    from ui.worker import Worker

    worker = Worker()
    worker.fault_path = tmp_path / "desk.db"
    seen: list[BaseException] = []

    def job() -> None:
        raise OperationalError("UPDATE batch", {}, sqlite3.OperationalError("database is locked"))

    worker.run(job, lambda _r: None, seen.append)
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert isinstance(seen[0], DomainError) and seen[0].key == "db.busy"
    worker.shutdown()


def test_qt_calls_keep_pythons_reference_to_none(qtbot) -> None:
    """PySide6 6.12.0 on Python 3.11 dropped a reference to None on every call returning nothing: a day at
    the desk ends in "Fatal Python error: none_dealloc".  pyproject.toml excludes it; this finds another."""
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2_000):
        label.setText("x")
    assert sys.getrefcount(None) > before - 1_000


@pytest.mark.sqlite_only
def test_a_backup_from_the_settings_page_is_refused_onto_the_live_file(
    qtbot, window: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QFileDialog

    live = window.desk.db.path
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(live), ""))
    answers = Answers(monkeypatch)
    window.show_page("settings")
    page = window.pages["settings"]
    qtbot.waitUntil(page.loaded, timeout=15_000)
    size = live.stat().st_size
    page.backup()
    qtbot.waitUntil(lambda: bool(answers.warned), timeout=15_000)
    assert str(live) in answers.warned[0] and live.stat().st_size == size
    said: list[str] = []
    window.desk.status.connect(said.append)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path), ""))  # a folder
    page.backup()
    qtbot.waitUntil(lambda: bool(said), timeout=15_000)
    assert any(p.suffix == ".db" for p in tmp_path.iterdir())
