"""Speed as a coordinator meets it: the first call in a fresh process (cold) beside later calls (warm).

    .venv/bin/python bench/cold.py --db FILE --years N [--runs 5] [--emit FILE] [--frozen EXECUTABLE]

Every cold figure is a new process, timed from its start to the moment the user has what she asked for, the
median of ``--runs`` processes (the operating system's file cache is warm, as on a desk that has run the
program before; nothing of ours is).  The raw anchor is a fresh interpreter doing the same work with the raw
library in the same run.  ``--years`` only labels the figures with the size of ``--db``.

- ``recuperation --help``: raw, an interpreter printing an argparse help.
- ``stats --year Y --json``: raw, an interpreter running the year's batch and roster counts in sqlite3.
  Warm: ``period_stats`` called again in one process.
- ``roster import CODE roster.xlsx --dry-run --json``, 2,000 rows, every check: raw, an interpreter reading
  the workbook with python-calamine.  Warm: ``plan_import`` called again in one process.
- ``alerts --json``, the daily check: raw, an interpreter starting sqlite3 on the file.
- The desktop (``gui --page batches --exit-when-shown``): the window painted, and the batch list filled with
  data; raw, an interpreter painting an empty QMainWindow.  Warm: the batch list read again in the running
  desktop.
- The first roster import in a freshly started desktop (the roster tab's ``plan_import`` on the worker, from
  the moment it is asked for to its result on the GUI thread); warm, the third.
- With ``--frozen``: ``--help``, ``stats`` and the desktop again with the frozen executable.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Result, report, roster_workbook

PYTHON = sys.executable
PROGRAM = str(Path(sys.executable).with_name("recuperation"))
YEAR = 2021  # a year every demo has
CODE = "L2099-0001"  # the batch the import benchmarks fill (added to a copy of the database)

RAW_HELP = "import argparse; p = argparse.ArgumentParser(prog='x'); p.add_argument('--db'); p.print_help()"
RAW_STATS = f"""
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("SELECT b.id, (SELECT count(*) FROM participant p WHERE p.batch_id = b.id) FROM batch b"
          " WHERE b.arrival BETWEEN '{YEAR}-01-01' AND '{YEAR}-12-31'").fetchall()
"""
RAW_OPEN = (
    "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM batch').fetchall()"
)
RAW_READ = (
    "import sys; from python_calamine import CalamineWorkbook;"
    " CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name('名单').to_python()"
)
EMPTY_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            QApplication.quit()
        return False
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1366, 768)
filt = Painted(window)
window.installEventFilter(filt)
window.show()
app.exec()
"""
# A freshly started desktop (as ``recuperation gui`` builds it), then the roster tab's import on the worker.
DESKTOP_IMPORT = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from recuperation.storage.database import open_database
from ui import operations
from ui.desk import Desk
from ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
window = MainWindow(Desk(open_database(sys.argv[1])), remember=False)
window.resize(1366, 768)
window.show()
window.show_page("batches")
def wait(test):
    while not test():
        QCoreApplication.processEvents()
        time.sleep(0.001)
wait(window.loaded)
from recuperation.services.batch.roster_import import plan_import
db, path, figures = window.desk.db, Path(sys.argv[2]), []
for run in range(3):
    box = []
    started = time.perf_counter()
    operations.run(window, lambda: plan_import(db, sys.argv[3], path), box.append)
    wait(lambda: bool(box))
    figures.append(time.perf_counter() - started)
    assert box[0].valid == 2000, box[0].errors[:3]
page = window.pages["batches"]
started = time.perf_counter()
page.reload()
wait(window.loaded)
reload = time.perf_counter() - started
print("figures", figures[0], figures[2], reload, flush=True)
window.desk.worker.shutdown()
"""
# Warm figures of the command line's work, in one process: the first call, then the median of later ones.
WARM = """
import statistics, sys, time
from pathlib import Path
from recuperation.services.batch.roster_import import plan_import
from recuperation.services.statistics import Period, period_stats
from recuperation.storage.database import open_database
db = open_database(sys.argv[1])
def median(fn, runs):
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)
stats = median(lambda: period_stats(db, Period.year(int(sys.argv[4]))), int(sys.argv[5]))
plan = median(lambda: plan_import(db, sys.argv[3], Path(sys.argv[2])), int(sys.argv[5]))
print(stats, plan)
"""


def env() -> dict[str, str]:
    """Offscreen Qt, and bytecode caches as a desk has them (an installed program is byte-compiled)."""
    values = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    values.pop("PYTHONDONTWRITEBYTECODE", None)
    return values


def wall(command: list[str], marks: tuple[str, ...] = ()) -> list[float]:
    """Seconds from starting ``command`` to its end, or to each line of its output that starts with one
    of ``marks`` (in that order)."""
    started = time.perf_counter()
    if not marks:
        done = subprocess.run(command, env=env(), capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if done.returncode not in (0, 3):  # 3: alerts found severe alerts, as the demo has
            raise RuntimeError(f"{command[:4]} failed ({done.returncode}): {done.stderr[-500:]}")
        return [elapsed]
    child = subprocess.Popen(command, env=env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    found: dict[str, float] = {}
    for text in child.stdout:
        for mark in marks:
            if text.startswith(mark) and mark not in found:
                found[mark] = time.perf_counter() - started
    child.wait()
    missing = [m for m in marks if m not in found]
    if missing:
        raise RuntimeError(f"{command[:4]} never printed {missing}")
    return [found[m] for m in marks]


def cold(command: list[str], runs: int, marks: tuple[str, ...] = ()) -> list[list[float]]:
    wall(command, marks)  # the file cache, not our process, is what a desk has warm
    samples = [wall(command, marks) for _ in range(runs)]
    return [list(column) for column in zip(*samples, strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--years", type=int, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--emit", type=Path)
    parser.add_argument(
        "--frozen", type=Path, help="the frozen executable (dist/RecuperationDesk/RecuperationDesk)"
    )
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", "-j", "0", str(root / "recuperation"), str(root / "ui")],
        check=False,
        capture_output=True,
    )
    folder = Path(tempfile.mkdtemp(prefix="recuperation-cold-"))
    os.environ["RECUPERATION_DATA_DIR"] = str(folder)
    db = folder / "bench.db"
    shutil.copy(args.db, db)
    roster = folder / "roster.xlsx"
    roster_workbook(roster, 2000)
    setup = subprocess.run(
        [
            PYTHON,
            "-c",
            "import sys, datetime as dt; from recuperation.storage.database import open_database;"
            " from recuperation.services import partners; from recuperation.services.batch import batches;"
            " db = open_database(sys.argv[1]); p = partners.find_partner(db, '宁波大学');"
            " batches.create_batch(db, batches.BatchInput(p.id, dt.date(2099, 3, 1), dt.date(2099, 3, 2), 2000,"
            " code=sys.argv[2]))",
            str(db),
            CODE,
        ],
        env=env(),
        capture_output=True,
        text=True,
    )
    if setup.returncode:
        raise SystemExit(setup.stderr)
    n, y = args.runs, args.years
    med = statistics.median
    results: list[Result] = []

    def add(
        name: str, samples: list[float], raw: list[float] | None, target: float | None, **extra: object
    ) -> None:
        results.append(
            Result(
                name,
                med(samples),
                target=target,
                raw=med(raw) if raw else None,
                runs=len(samples),
                samples=[round(s, 4) for s in samples],
                years=y,
                kind=str(extra.pop("kind", "cold")),
                note=str(extra.pop("note", "")),
            )
        )

    base = [PROGRAM, "--db", str(db)]
    help_cold = cold([PROGRAM, "--help"], n)[0]
    add("`--help`", help_cold, cold([PYTHON, "-c", RAW_HELP], n)[0], 0.25, note="raw: argparse help")
    stats_cold = cold([*base, "stats", "--year", str(YEAR), "--json"], n)[0]
    raw_stats = cold([PYTHON, "-c", RAW_STATS, str(db)], n)[0]
    add(
        "`stats --json`",
        stats_cold,
        raw_stats,
        0.5,
        note="raw: sqlite3, the year's batches and roster counts",
    )
    import_cmd = [*base, "roster", "import", CODE, str(roster), "--dry-run", "--json"]
    import_cold = cold(import_cmd, n)[0]
    raw_read = cold([PYTHON, "-c", RAW_READ, str(roster)], n)[0]
    add("2,000-row dry-run import", import_cold, raw_read, 0.8, note="raw: python-calamine reads the file")
    alerts_cold = cold([*base, "alerts", "--json"], n)[0]
    add(
        "`alerts --json`",
        alerts_cold,
        cold([PYTHON, "-c", RAW_OPEN, str(db)], n)[0],
        None,
        note="raw: sqlite3 opens",
    )
    warm = subprocess.run(
        [PYTHON, "-c", WARM, str(db), str(roster), CODE, str(YEAR), str(n)],
        env=env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    add("`stats` (service, warm)", [float(warm[0])], raw_stats, None, kind="warm")
    add("2,000-row dry-run import (service, warm)", [float(warm[1])], raw_read, None, kind="warm")

    painted, listed, shown = cold(
        [*base, "gui", "--page", "batches", "--exit-when-shown"], n, ("painted", "listed", "shown")
    )
    empty = cold([PYTHON, "-c", EMPTY_WINDOW], n, ("painted",))[0]
    add("desktop: window painted", painted, empty, 0.4, note="raw: an empty QMainWindow painted")
    add("desktop: batch list filled", listed, empty, 0.8, note="the list's rows on screen")
    add("desktop: page complete", shown, empty, None, note="the first batch's details and the counts too")
    first, third, reload = [], [], []
    for _ in range(max(1, n // 2 + 1)):
        out = subprocess.run(
            [PYTHON, "-c", DESKTOP_IMPORT, str(db), str(roster), CODE],
            env=env(),
            capture_output=True,
            text=True,
        )
        words = [w for w in out.stdout.split("\n") if w.startswith("figures")]
        if not words:
            raise RuntimeError(f"desktop import failed: {out.stderr[-800:]}")
        a, b, c = (float(v) for v in words[0].split()[1:])
        first.append(a)
        third.append(b)
        reload.append(c)
    add("desktop: first import, 2,000 rows", first, raw_read, 0.6, note="raw: python-calamine reads the file")
    add("desktop: import again (warm)", third, raw_read, None, kind="warm")
    add("desktop: batch list read again (warm)", reload, None, None, kind="warm")
    if args.frozen is not None:
        exe = str(args.frozen)
        add("frozen: `--help`", cold([exe, "--help"], n)[0], help_cold, 0.25, note="raw: the venv's figure")
        add(
            "frozen: `stats --json`",
            cold([exe, "--db", str(db), "stats", "--year", str(YEAR), "--json"], n)[0],
            stats_cold,
            0.5,
            note="raw: the venv's figure",
        )
        f_painted, f_listed, f_shown = cold(
            [exe, "--db", str(db), "gui", "--page", "batches", "--exit-when-shown"],
            n,
            ("painted", "listed", "shown"),
        )
        add("frozen: window painted", f_painted, painted, 0.4, note="raw: the venv's figure")
        add("frozen: batch list filled", f_listed, listed, 0.8, note="raw: the venv's figure")
        add("frozen: page complete", f_shown, shown, None, note="raw: the venv's figure")
    report(results, args.emit)
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
