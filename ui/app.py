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

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from recuperation import APP_NAME, __version__
from recuperation.db import (
    Database,
    automatic_backup,
    backup_dir,
    default_database_path,
    log_dir,
    open_database,
    resolve_url,
    restore,
    sqlite_path,
)
from recuperation.errors import DomainError
from recuperation.logs import MaskingFilter, PrivateRotatingFileHandler
from ui.desk import Desk
from ui.i18n import install_translator, store_database, stored_database
from ui.main_window import PAGE_ORDER, MainWindow, app_icon

log = logging.getLogger("recuperation.ui")


translate = QCoreApplication.translate


def setup_logging() -> Path:
    """A rotating log in the user's log folder (never ID numbers or phones: only messages and tracebacks)."""
    path = log_dir() / "recuperation-desk.log"
    handler = PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    root = logging.getLogger("recuperation")
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    if os.name == "posix":
        os.chmod(path, 0o600)
    return path


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
    path = sqlite_path(url)
    if path is None or not path.parent.exists():
        return None
    candidates = sorted(backup_dir(path).glob("*.db"), key=lambda p: p.stat().st_mtime, reverse=True)
    return candidates[0] if candidates else None


def open_with_help(db: str | None) -> Database | None:
    """Open the database; if it cannot be opened, say why and offer another file or the latest backup."""
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
            elif use_local is not None and box.clickedButton() is use_local:
                # The server cannot be reached (or refused us): work on this computer's file, and say so.
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


def run(
    db: str | None = None,
    page: str | None = None,
    screenshot: Path | None = None,
    exit_when_shown: bool = False,
) -> int:
    """Start the desktop.  ``screenshot`` saves a PNG once the page's data is shown and quits;
    ``exit_when_shown`` prints “shown” at that moment and quits (the start-up benchmark and smoke tests)."""
    once = screenshot is not None or exit_when_shown
    if once:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    install_translator(app)
    log_path = setup_logging()
    install_exception_hook(log_path)
    if db is None and not os.environ.get("RECUPERATION_DB"):
        db = stored_database()  # the server chosen in the settings page, else the default file
    if once:
        try:
            database: Database | None = open_database(db, create=True)
        except DomainError as exc:
            print(exc.message, file=sys.stderr)
            return 1
    else:
        database = open_with_help(db)
    if database is None:
        return 1
    desk = Desk(database)
    window = MainWindow(desk, remember=not once)
    if once:
        window.resize(1360, 820)  # screenshots are the same whatever the last session left
    window.show()
    window.show_page(page if page in PAGE_ORDER else PAGE_ORDER[0])
    if database.path is not None and not once:
        # One consistent backup a day (kept 14 days, then one a month), made while the window is usable.
        desk.worker.run(
            lambda: automatic_backup(database.path),
            lambda made: log.info("backup: %s", made),
            lambda exc: log.warning("automatic backup failed: %s", exc),
            owner=window,
        )
    if not once:
        # An empty database: the first-run assistant (once per database at this desk).
        from ui.assistant import FirstRunAssistant, assistant_wanted

        def offer(wanted: bool) -> None:
            if wanted:
                window.assistant = FirstRunAssistant(desk, window)
                window.assistant.open()

        desk.worker.run(
            lambda: assistant_wanted(desk), offer, lambda exc: log.warning("assistant: %s", exc), owner=window
        )
    if once:
        started = dt.datetime.now()

        def shoot() -> None:
            if not window.loaded() and (dt.datetime.now() - started).total_seconds() < 60:
                QTimer.singleShot(50, shoot)
                return
            QTimer.singleShot(100, finish)  # let the last rows paint

        def finish() -> None:
            if screenshot is not None:
                window.grab().save(str(screenshot))
            if exit_when_shown:
                print("shown", flush=True)
            desk.worker.shutdown()
            window.hide()
            app.quit()

        QTimer.singleShot(50, shoot)
    code = app.exec()
    database.close()
    return int(code)
