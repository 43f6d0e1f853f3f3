"""How fast each page opens and filters on a five-year database (a benchmark, not a test).

    .venv/bin/python bench/ui_pages.py [--db FILE]      # builds demo --years 5 into a temporary file if no --db

Prints, for every page, the time from first showing it to its data on screen, and for the lists the median
time of one keystroke's filter update, with the raw SQL query that fetches the same rows as a yardstick.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    os.environ["RECUPERATION_DATA_DIR"] = tmp.name
    from recuperation.db import open_database
    from recuperation.demo import build_demo

    path = args.db or Path(tmp.name) / "five.db"
    db = open_database(path)
    if not args.db:
        started = time.perf_counter()
        build_demo(db, 5)
        print(f"demo --years 5 built in {time.perf_counter() - started:.1f} s")

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from ui.desk import Desk
    from ui.main_window import PAGE_ORDER, MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    del app

    def wait(predicate, limit: float = 60.0) -> float:
        started = time.perf_counter()
        while not predicate():
            QCoreApplication.processEvents()
            if time.perf_counter() - started > limit:
                raise TimeoutError
            time.sleep(0.001)
        return time.perf_counter() - started

    window = MainWindow(Desk(db), remember=False)
    window.show()
    print(f"{'page':<12} {'open (ms)':>10}")
    for name in PAGE_ORDER:
        started = time.perf_counter()
        window.show_page(name)
        wait(window.loaded)
        print(f"{name:<12} {(time.perf_counter() - started) * 1000:>10.0f}")

    print(f"\n{'list':<12} {'rows':>6} {'keystroke median (ms)':>22} {'max (ms)':>9} {'raw SQL (ms)':>13}")
    raw = {
        "agreements": "SELECT p.*, (SELECT max(valid_to) FROM agreement a WHERE a.partner_id = p.id) FROM partner p",
        "bases": "SELECT * FROM base",
        "routes": "SELECT * FROM route",
        "batches": "SELECT b.*, p.name, r.name, (SELECT count(*) FROM participant x WHERE x.batch_id = b.id)"
        " FROM batch b JOIN partner p ON p.id = b.partner_id LEFT JOIN route r ON r.id = b.route_id",
    }
    for name, text in (
        ("agreements", "杭州市总工会"),
        ("bases", "寿昌宾馆"),
        ("routes", "浙大西迁"),
        ("batches", "L2023-04"),
    ):
        page = window.pages[name]
        window.show_page(name)
        wait(window.loaded)
        panel = page.panels[0]
        if name == "batches":
            panel.year.setCurrentIndex(0)  # all years: the worst case
        times = []
        for i in range(1, len(text) + 1):
            started = time.perf_counter()
            panel.search.setText(text[:i])
            QCoreApplication.processEvents()
            times.append((time.perf_counter() - started) * 1000)
        panel.search.clear()
        with db.engine.connect() as conn:
            started = time.perf_counter()
            conn.exec_driver_sql(raw[name]).fetchall()
            sql = (time.perf_counter() - started) * 1000
        print(
            f"{name:<12} {panel.model.rowCount():>6} {statistics.median(times):>22.1f} {max(times):>9.1f} {sql:>13.1f}"
        )
    window.desk.worker.shutdown()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
