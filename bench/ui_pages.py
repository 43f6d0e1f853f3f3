"""The batch list and a year's participants on five years of data: opening them and one keystroke of
filter-as-you-type (a benchmark).

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

    from recuperation.storage.database import open_database
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
    panel.year.setCurrentIndex(0)  # every year: all 5,724 batches, the worst case
    wait(lambda: window.loaded() and panel.model.rowCount() > 5000)
    opening = []
    for i in range(args.runs + 1):
        started = time.perf_counter()
        panel.refresh()  # read again from the database and show
        wait(window.loaded)
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

    # The participants of a year (工具 → 团员查询): opening the year and one keystroke of the search.
    from ui.widgets.people_view import PeopleDialog

    raw_people = (
        "SELECT p.id, b.id, b.code, b.arrival, b.departure, b.status, o.name, p.name, p.sex, p.id_number,"
        " p.phone, p.employer, p.category FROM participant p JOIN batch b ON b.id = p.batch_id"
        " JOIN partner o ON o.id = b.partner_id WHERE b.arrival BETWEEN '2023-01-01' AND '2023-12-31'"
        " ORDER BY b.arrival, b.code, p.id"
    )

    def raw_year() -> None:
        with db.engine.connect() as conn:
            conn.exec_driver_sql(raw_people).fetchall()

    raw_people_median, _ = timed(raw_year, args.runs)
    people = PeopleDialog(window.desk, window)
    people.show()
    wait(lambda: people.loaded() and people.model.rowCount() > 0)
    index_2023 = people.year.findData(2023)
    people_opening = []
    for i in range(args.runs + 1):
        people.year.setCurrentIndex(people.year.findData(2022))
        wait(lambda: people.loaded())
        started = time.perf_counter()
        people.year.setCurrentIndex(index_2023)
        wait(lambda: people.loaded())
        QCoreApplication.processEvents()
        if i:
            people_opening.append(time.perf_counter() - started)
    people_rows = people.model.rowCount()
    people_keys = []
    for text in ("宁波大学", "张伟", "L2023-03", "330"):
        for i in range(1, len(text) + 1):
            started = time.perf_counter()
            people.search.setText(text[:i])
            QCoreApplication.processEvents()
            people_keys.append(time.perf_counter() - started)
        people.search.clear()
        QCoreApplication.processEvents()
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
            Result(
                f"participants of 2023 ({people_rows:,} rows), opening",
                statistics.median(people_opening),
                raw=raw_people_median,
                runs=len(people_opening),
                samples=people_opening,
                note="raw: the SQL query fetching the same rows",
            ),
            Result(
                "participants of a year, one keystroke",
                statistics.median(people_keys),
                target=0.1,
                raw=raw_people_median,
                ratio_target=2,
                runs=len(people_keys),
                samples=people_keys,
                note="raw: the SQL query fetching the same rows",
            ),
        ],
        args.emit,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
