"""The batch list on five years of data: opening it and one keystroke of filter-as-you-type (a benchmark).

    .venv/bin/python bench/ui_pages.py [--db FILE] [--runs N]

Opening: from showing the batches page with every year selected to its 5,724 rows on screen, against the
raw SQL query that fetches the same rows.  One keystroke: the filter's update after one more character is
typed (median over the keystrokes of several searches), against the same raw query (the work a list that
went back to the database on every keystroke would do).  Target < 100 ms per keystroke, ratio ≤ 2.
Every other page's opening time is printed as well.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import Result, arguments, five_year_database, private_data_dir, report, timed

RAW_BATCHES = (
    "SELECT b.*, p.name, r.name, (SELECT count(*) FROM participant x WHERE x.batch_id = b.id)"
    " FROM batch b JOIN partner p ON p.id = b.partner_id LEFT JOIN route r ON r.id = b.route_id"
)


def main() -> int:
    args = arguments(__doc__ or "")
    path = five_year_database(args.db)
    private_data_dir()
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from recuperation.db import open_database
    from ui.desk import Desk
    from ui.main_window import PAGE_ORDER, MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    db = open_database(path)

    def wait(predicate, limit: float = 60.0) -> None:
        started = time.perf_counter()
        while not predicate():
            QCoreApplication.processEvents()
            if time.perf_counter() - started > limit:
                raise TimeoutError
            time.sleep(0.0005)

    window = MainWindow(Desk(db), remember=False)
    window.resize(1360, 820)
    window.show()
    for name in PAGE_ORDER:
        started = time.perf_counter()
        window.show_page(name)
        wait(window.loaded)
        print(f"  page {name:<11} opens in {(time.perf_counter() - started) * 1000:6.0f} ms")

    window.show_page("batches")
    panel = window.pages["batches"].panels[0]
    opening = []
    for i in range(args.runs + 1):
        panel.year.setCurrentIndex(1)  # one year, then every year again: a full reload of 5,724 rows
        wait(window.loaded)
        started = time.perf_counter()
        panel.year.setCurrentIndex(0)
        wait(lambda: window.loaded() and panel.model.rowCount() > 5000)
        QCoreApplication.processEvents()
        if i:
            opening.append(time.perf_counter() - started)
    rows = panel.model.rowCount()

    keystrokes = []
    for text in ("L2023-04", "杭州市总工会", "寿昌古镇", "2024年5月"):
        for i in range(1, len(text) + 1):
            started = time.perf_counter()
            panel.search.setText(text[:i])
            QCoreApplication.processEvents()
            keystrokes.append(time.perf_counter() - started)
        panel.search.clear()
        QCoreApplication.processEvents()

    def raw() -> None:
        with db.engine.connect() as conn:
            conn.exec_driver_sql(RAW_BATCHES).fetchall()

    raw_median, _ = timed(raw, args.runs)
    window.desk.worker.shutdown()
    db.close()
    del app
    report(
        [
            Result(
                f"batch list, all years ({rows:,} rows), opening",
                statistics.median(opening),
                raw=raw_median,
                runs=len(opening),
                samples=opening,
                note="raw: the SQL query fetching the same rows",
            ),
            Result(
                "batch list filter, one keystroke",
                statistics.median(keystrokes),
                target=0.1,
                raw=raw_median,
                ratio_target=2,
                runs=len(keystrokes),
                samples=keystrokes,
                note="raw: the SQL query fetching the same rows",
            ),
        ],
        args.emit,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
