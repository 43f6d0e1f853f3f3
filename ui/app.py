"""Start-up of the desktop program: the database first, then the window (issue 3 builds it out)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from recuperation import __version__
from recuperation.db import Database, open_database, table_counts
from recuperation.errors import DomainError
from recuperation.services.statistics import Period, period_stats, years_with_records
from ui.worker import Worker


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(QMainWindow):
    """The window: a navigation list and the current page; the status bar names the database."""

    def __init__(self, db: Database):
        super().__init__()
        self.db = db
        self.worker = Worker(self)
        self.setWindowTitle(tr("职工疗休养工作台") + f" {__version__}")
        self.resize(1100, 720)
        self.nav = QListWidget()
        for name in (
            tr("总览"),
            tr("合作协议"),
            tr("疗休养基地"),
            tr("线路"),
            tr("批次"),
            tr("统计"),
            tr("设置"),
        ):
            self.nav.addItem(name)
        self.nav.setCurrentRow(0)
        self.nav.setMaximumWidth(160)
        self.summary = QLabel(tr("正在读取数据…"))
        self.summary.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(page)
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)
        self.statusBar().showMessage(tr("数据库：") + db.name)
        self.loaded = False
        self.refresh()

    def refresh(self) -> None:
        def job() -> tuple[dict[str, int], object]:
            counts = table_counts(self.db)
            years = years_with_records(self.db)
            stats = period_stats(self.db, Period.year(years[-1])) if years else None
            return counts, stats

        self.worker.run(job, self._show)

    def _show(self, result: tuple[dict[str, int], object]) -> None:
        counts, stats = result
        self.statusBar().showMessage(
            tr("数据库：")
            + self.db.name
            + "    "
            + tr("合作单位 {0} · 基地 {1} · 线路 {2} · 批次 {3} · 团员 {4}").format(
                counts["partner"], counts["base"], counts["route"], counts["batch"], counts["participant"]
            )
        )
        if stats is None:
            self.summary.setText(tr("数据库中还没有批次。可运行 recuperation demo 载入演示数据。"))
        else:
            s = stats  # PeriodStats
            self.summary.setText(
                tr(
                    "{0}年：疗休养 {1} 批次，{2} 人次，{3} 人天；培训班 {4} 个；会议 {5} 个；新签协议 {6} 份。"
                ).format(
                    s.start.year,
                    f"{s.batches:,}",
                    f"{s.people:,}",
                    f"{s.person_days:,}",  # type: ignore[attr-defined]
                    s.training_classes,
                    s.conferences,
                    s.agreements_signed,
                )  # type: ignore[attr-defined]
            )
        self.loaded = True

    def closeEvent(self, event) -> None:
        self.worker.shutdown()
        super().closeEvent(event)


def run(db: str | None = None, page: str | None = None, screenshot: Path | None = None) -> int:
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        database = open_database(db, create=True)
    except DomainError as exc:
        if screenshot is not None:
            print(exc.message, file=sys.stderr)
            return 1
        QMessageBox.critical(None, tr("无法打开数据库"), exc.message)
        return 1
    window = MainWindow(database)
    window.show()
    if screenshot is not None:
        deadline = dt.datetime.now() + dt.timedelta(seconds=30)

        def shoot() -> None:
            if not window.loaded and dt.datetime.now() < deadline:
                QTimer.singleShot(50, shoot)
                return
            window.grab().save(str(screenshot))
            window.close()
            app.quit()

        QTimer.singleShot(50, shoot)
    code = app.exec()
    database.close()
    return int(code)
