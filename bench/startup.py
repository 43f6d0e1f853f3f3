"""Start-up and peak memory of the real program on the five-year database (a benchmark, not a test).

    .venv/bin/python bench/startup.py [--db FILE] [--runs N]

1. Start-up: the installed ``recuperation gui --page batches --exit-when-shown`` is started as a new process
   and timed until it says its batch list is on screen with data; against a Python process that starts an
   empty QMainWindow the same way (offscreen, shown, events processed).  Target < 1.5 s, ratio ≤ 2.
2. Peak memory (maximum resident set, from the operating system) of the program showing the five-year
   database on the batches page with every year listed (the worst case).  Target < 400 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Result, arguments, five_year_database, private_data_dir, report

EMPTY_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1360, 820)
window.show()
app.processEvents()
print("shown", flush=True)
"""

ALL_YEARS = """
import sys, time
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from recuperation.storage.database import open_database
from ui.desk import Desk
from ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
window = MainWindow(Desk(open_database(sys.argv[1])), remember=False)
window.resize(1360, 820)
window.show()
window.show_page("batches")
def wait():
    while not window.loaded():
        QCoreApplication.processEvents()
        time.sleep(0.002)
wait()
panel = window.pages["batches"].panels[0]
panel.year.setCurrentIndex(0)  # every year: all 5,724 batches
wait()
QCoreApplication.processEvents()
print("shown", panel.model.rowCount(), flush=True)
window.desk.worker.shutdown()
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def until_shown(command: list[str]) -> tuple[float, float]:
    """Seconds from starting ``command`` until it prints “shown”, and its peak resident memory in MB."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env(), text=True
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    while line.startswith(("painted", "listed")):  # the frame, then the list: the figure is the page loaded
        line = child.stdout.readline()
    elapsed = time.perf_counter() - started
    if not line.startswith("shown"):
        raise RuntimeError(f"{command[:3]} did not show its window: {line!r}")
    child.stdout.read()
    _pid, _status, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    return elapsed, usage.ru_maxrss / 1024  # KB on Linux


def main() -> int:
    args = arguments(__doc__ or "")
    db = five_year_database(args.db)
    private_data_dir()
    program = str(Path(sys.executable).with_name("recuperation"))
    ours_cmd = [program, "--db", str(db), "gui", "--page", "batches", "--exit-when-shown"]
    raw_cmd = [sys.executable, "-c", EMPTY_WINDOW]
    until_shown(ours_cmd)  # warm the page cache: every figure is a warm start
    until_shown(raw_cmd)
    ours = [until_shown(ours_cmd)[0] for _ in range(args.runs)]
    raw = [until_shown(raw_cmd)[0] for _ in range(args.runs)]
    memory = [
        until_shown([sys.executable, "-c", ALL_YEARS, str(db)])[1] for _ in range(max(1, args.runs // 2))
    ]
    from statistics import median

    report(
        [
            Result(
                "start-up to the batch list with data",
                median(ours),
                target=1.5,
                raw=median(raw),
                ratio_target=2,
                runs=args.runs,
                samples=ours,
                note="raw: an empty QMainWindow started the same way",
            ),
            Result(
                "peak memory, batches page, all 5 years",
                max(memory),
                unit="MB",
                target=400,
                runs=len(memory),
                samples=memory,
                note="maximum resident set size of the process",
            ),
        ],
        args.emit,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
