"""Start-up of the desktop: logging and the exception hook first, then the database, then the window."""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from recuperation import APP_NAME, logs, messages
from recuperation.errors import DomainError
from recuperation.storage.paths import default_database_path, log_dir, resolve_url, sqlite_path
from ui import i18n
from ui.i18n import install_translator, store_database, stored_database
from ui.main_window import PAGE_ORDER, MainWindow, app_icon
from ui.widgets import dialogs

if TYPE_CHECKING:
    from recuperation.storage.database import Database

# Start-up paints the window's frame first and only then imports the database layer (SQLAlchemy) and the
# pages, opens the database and fills the first page (docs/architecture.md, *Start-up*).

log = logging.getLogger("recuperation.ui")


translate = QCoreApplication.translate


def setup_logging() -> Path:
    """The program's one rotating log (``recuperation.logs.setup_logging``): never ID numbers or phones."""
    return logs.setup_logging(log_dir()) or log_dir() / logs.LOG_NAME


def install_exception_hook(log_path: Path) -> None:
    """An unexpected error is logged and shown in a dialog that says where the log is; the program goes on."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, value, tb)))
        if QApplication.instance() is None or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
            sys.__excepthook__(kind, value, tb)
            return
        QMessageBox.critical(
            None,
            translate("Startup", "程序出错"),
            translate(
                "Startup", "发生了意外错误：{0}\n\n详细信息已写入日志：{1}\n您的已保存数据不受影响。"
            ).format(value, log_path),
        )

    sys.excepthook = hook


def latest_backup(url: str) -> Path | None:
    from recuperation.storage.backups import backup_dir

    path = sqlite_path(url)
    if path is None or not path.parent.exists():
        return None
    candidates = sorted(backup_dir(path).glob("*.db"), key=lambda p: p.stat().st_mtime, reverse=True)
    return candidates[0] if candidates else None


def open_with_help(db: str | None) -> Database | None:
    """Open the database; if it cannot be opened, say why and offer another file or the latest backup."""
    from recuperation.storage.database import open_database
    from recuperation.storage.restore import restore

    target = db
    while True:
        try:
            return open_database(target, create=True)
        except DomainError as exc:
            log.warning("cannot open database: %s", exc.message)
            box = QMessageBox(QMessageBox.Icon.Critical, translate("Startup", "无法打开数据库"), exc.message)
            choose = box.addButton(translate("Startup", "选择其他数据库…"), QMessageBox.ButtonRole.AcceptRole)
            # A backup is offered for a damaged file only: a busy, read-only or full-disk database is not
            # damaged, and replacing it would lose the work in it.
            is_damage = exc.key in ("db.integrity", "db.not_sqlite")
            backup = latest_backup(resolve_url(target)) if is_damage else None
            use_backup = (
                box.addButton(translate("Startup", "恢复最近的备份"), QMessageBox.ButtonRole.ActionRole)
                if backup
                else None
            )
            on_server = sqlite_path(resolve_url(target)) is None
            retype = (
                box.addButton(translate("Startup", "重新输入密码…"), QMessageBox.ButtonRole.ActionRole)
                if exc.key in ("db.sign_in_password", "db.sign_in_no_password")
                else None
            )
            use_local = (
                box.addButton(translate("Startup", "改用本机数据库文件"), QMessageBox.ButtonRole.ActionRole)
                if on_server
                else None
            )
            box.addButton(translate("Startup", "退出"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is choose:
                name, _ = QFileDialog.getOpenFileName(
                    None,
                    translate("Startup", "选择数据库"),
                    "",
                    translate("Startup", "数据库 (*.db);;所有文件 (*)"),
                )
                if not name:
                    return None
                target = name
            elif retype is not None and box.clickedButton() is retype:
                # the password for this sign-in only (remembered only through the server dialog's 记住密码)
                password = dialogs.ask_text(
                    None,
                    translate("Startup", "登录服务器"),
                    translate("Startup", "{0} 的密码：").format(make_url(resolve_url(target)).username or ""),
                    secret=True,
                )
                if password:
                    target = make_url(resolve_url(target)).set(password=password).render_as_string(False)
            elif use_local is not None and box.clickedButton() is use_local:
                # The server cannot be reached (or refused us): work on this computer's file, and say so.  A
                # refused sign-in asks first: this desk then forgets the server, and a mistyped password is not
                # a reason to.
                question = translate(
                    "Startup",
                    "以后这台电脑将打开本机的数据库文件，而不是服务器上的数据（服务器上的数据不变）。"
                    "以后可以在 设置 → 数据库 中重新选择服务器。确定吗？",
                )
                if (
                    exc.key.startswith("db.sign_in_")
                    and dialogs.ask(None, translate("Startup", "改用本机数据库文件"), question)
                    != dialogs.Button.Yes
                ):
                    continue
                store_database(None)
                target = str(default_database_path())
            elif use_backup is not None and box.clickedButton() is use_backup and backup is not None:
                # The damaged file is kept byte for byte beside it (<name>-damaged-<time>.db, with its -wal)
                # and replaced by the backup once the backup has passed every check; a refused backup
                # changes nothing and says why.
                try:
                    restore(target, backup)
                except DomainError as refused:
                    QMessageBox.critical(None, translate("Startup", "无法打开数据库"), refused.message)
            else:
                return None


def too_small(window: MainWindow, size: QSize) -> str | None:
    """Why ``window`` cannot be ``size`` (the page whose minimum is larger, and that minimum), or None."""
    window.build_all_pages()  # the largest minimum may be a page not opened yet
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    if window.size() == size and least.width() <= size.width() and least.height() <= size.height():
        return None
    # The window's own parts (navigation, menus, status bar) around the largest page.
    stack = window.stack.minimumSizeHint()
    extra = QSize(least.width() - stack.width(), least.height() - stack.height())

    def excess(page: QWidget) -> int:
        needed = page.minimumSizeHint() + extra
        return max(needed.width() - size.width(), needed.height() - size.height())

    name, page = max(window.pages.items(), key=lambda item: excess(item[1]))
    least = least.expandedTo(page.minimumSizeHint() + extra)
    if least.width() <= size.width() and least.height() <= size.height():
        least = window.size()  # the platform would not shrink it: say what it got
    return messages.text(
        "cli.window_too_small",
        size=f"{size.width()}x{size.height()}",
        page=window.titles.get(name, name),
        least=f"{least.width()}x{least.height()}",
    )


def backup_failed(desk: Any, exc: BaseException) -> None:
    """The daily backup could not be made (a full disk, a damaged copy …): logged, and said in the status bar,
    where the coordinator sees it without a dialog at every start."""
    log.warning("automatic backup failed: %s", exc)
    if isinstance(exc, DomainError):
        desk.status.emit(exc.message)


def _version() -> str:
    from recuperation import __version__

    return __version__


class _FirstPaint(QObject):
    """Prints “painted” when the window is first painted (``--exit-when-shown``: the start-up benchmark's
    first figure, the moment the coordinator sees the window)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            watched.removeEventFilter(self)
        return False


def run(
    db: str | None = None,
    page: str | None = None,
    screenshot: Path | None = None,
    exit_when_shown: bool = False,
    size: tuple[int, int] = (1366, 768),
    language: str | None = None,
) -> int:
    """Start the desktop.  ``screenshot`` saves a PNG once the page's data is shown and quits;
    ``exit_when_shown`` prints “painted” when the window is first painted, “listed” when the page's list has
    its rows, “shown” when everything on the page is loaded, and quits (the start-up benchmark, smoke tests).
    Both show the window at ``size``; one that cannot shrink to it is a defect: said, and exit status 1.
    ``language`` (zh or en) is this run's, the saved setting is left as it is."""
    once = screenshot is not None or exit_when_shown
    if once:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setWindowIcon(app_icon())
    i18n.run_language = {"en": "en", "zh": "zh_CN"}.get(language or "")
    translator = install_translator(app, i18n.run_language)
    log_path = setup_logging()
    install_exception_hook(log_path)
    if db is None and not os.environ.get("RECUPERATION_DB"):
        db = stored_database()  # the server chosen in the settings page, else the default file
    # The frame first, painted now: the coordinator sees her window while the rest loads.
    window = MainWindow(remember=not once)
    # cycles are collected on this (the GUI) thread, between worker jobs: see ui/collector.py
    from ui.collector import MainThreadCollector

    def working() -> bool:
        desk = getattr(window, "desk", None)
        return desk is not None and desk.worker.pending > 0

    collector = MainThreadCollector(app, busy=working)
    wanted = QSize(*size)
    if once:
        window.resize(wanted)  # screenshots are the same whatever the last session left
        if exit_when_shown:
            first_paint = _FirstPaint(window)
            window.installEventFilter(first_paint)
    # The page is chosen before the window shows: the navigation list would otherwise take row 0 with the
    # focus, and the overview's queries would go to the worker before the page asked for.
    # "planner" is the batches page's 日程计划 tab, opened on the month of the batch the list opens on.
    window.show_page("batches" if page == "planner" else page if page in PAGE_ORDER else PAGE_ORDER[0])
    window.show()
    app.processEvents()
    from recuperation.storage.database import open_database
    from ui import operations
    from ui.desk import Desk

    if once:
        try:
            database: Database | None = open_database(db, create=True)
        except DomainError as exc:
            print(exc.message, file=sys.stderr)
            return 1
    else:
        database = open_with_help(db)
    if database is None:
        window.hide()
        return 1
    from ui.widgets.pin_dialog import unlock  # a desk's PIN, before any of its data shows

    if not unlock(window, database, from_environment=once):
        if once:
            print(messages.text("pin.wrong_at_open"), file=sys.stderr)
        window.hide()
        database.close()
        return 1
    app.setApplicationVersion(_version())
    desk = Desk(database)
    window.attach(desk)
    if database.path is not None and not once:
        # One consistent backup a day (kept 14 days, then one a month), made while the window is usable.
        from recuperation.storage.backups import automatic_backup

        path = database.path
        operations.run(
            window,
            lambda: automatic_backup(path),
            lambda made: log.info("backup: %s", made),
            failed=lambda exc: backup_failed(desk, exc),
        )
    if not once:
        desk.watch()  # other desks' and processes' changes reach the pages by themselves
        # An empty database: the first-run assistant (once per database at this desk).
        from ui.assistant import FirstRunAssistant, assistant_dismissed, database_empty

        def offer(empty: bool) -> None:
            if empty:
                window.assistant = FirstRunAssistant(desk, window)
                window.assistant.open()

        if not assistant_dismissed(desk) and desk.access.can("settings"):  # it sets the policy
            opened = desk.db
            operations.run(
                window,
                lambda: database_empty(opened),
                offer,
                failed=lambda exc: log.warning("assistant: %s", exc),
            )
    outcome = {"code": 0}
    if once:
        started = dt.datetime.now()

        listed = {"said": False}

        def shoot() -> None:
            waited = (dt.datetime.now() - started).total_seconds()
            shown = window.page()
            if exit_when_shown and not listed["said"] and shown.panels and shown.panels[0].model.rowCount():
                listed["said"] = True
                print("listed", flush=True)  # the page's list has its rows (its details may still load)
            batches: Any = window.pages["batches"] if page == "planner" else None
            if (
                batches is not None
                and window.loaded()
                and batches.views.currentWidget() is not batches.planner
            ):
                batches.views.setCurrentWidget(batches.planner)  # once the list has chosen its batch
            if waited < 60 and (
                not window.loaded() or (batches is not None and not batches.planner.loaded_once)
            ):
                QTimer.singleShot(10, shoot)
                return
            if exit_when_shown:
                # everything the page shows is loaded (the list, the selected record's details, the counts)
                print("shown", flush=True)
            QTimer.singleShot(0 if screenshot is None else 100, finish)  # a picture waits for the last rows

        def finish() -> None:
            problem = too_small(window, wanted)
            if problem is not None:
                print(problem, file=sys.stderr, flush=True)
                outcome["code"] = 1
            elif screenshot is not None:
                image = window.grab().toImage()
                if image.size() != wanted:  # a high-density screen: the picture is still W×H pixels
                    image = image.scaled(wanted)
                if not image.save(str(screenshot)):
                    print(
                        messages.text("cli.screenshot_failed", path=screenshot), file=sys.stderr, flush=True
                    )
                    outcome["code"] = 1
            desk.worker.shutdown()
            window.hide()
            app.quit()

        QTimer.singleShot(50, shoot)
    code = app.exec()
    collector.stop()
    desk.close()
    database.close()
    app.removeTranslator(translator)  # a caller in the same process (a test) gets its language back
    i18n.run_language = None
    return int(code) or outcome["code"]
