"""``recuperation demo --years 5`` as a user runs it: the installed command, timed as a whole (a benchmark).

    .venv/bin/python bench/demo_build.py [--runs N]

Target < 60 s.  Raw: SQLite's own ``executemany`` inserting the same number of participant rows (the bulk
of the work) into an empty table, to show what the generation and the rules cost on top of the writing.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Result, arguments, private_data_dir, report

PARTICIPANTS = 211_804


def main() -> int:
    args = arguments(__doc__ or "")
    folder = private_data_dir()
    program = str(Path(sys.executable).with_name("recuperation"))
    runs = max(1, min(args.runs, 3))
    ours = []
    for i in range(runs):
        target = folder / f"demo{i}.db"
        started = time.perf_counter()
        subprocess.run(
            [program, "--db", str(target), "demo", "--years", "5"], check=True, capture_output=True
        )
        ours.append(time.perf_counter() - started)

    def raw(path: Path) -> float:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(
            "CREATE TABLE participant (id INTEGER PRIMARY KEY, batch_id INTEGER, name TEXT, id_number TEXT,"
            " sex TEXT, birth_date TEXT, phone TEXT, employer TEXT, department TEXT, category TEXT)"
        )
        rows = [
            (
                i // 40,
                f"职工{i}",
                f"33010619800101{i % 10000:04d}",
                "M",
                "1980-01-01",
                f"139{i:08d}",
                "单位",
                "部门",
                "一线",
            )
            for i in range(PARTICIPANTS)
        ]
        started = time.perf_counter()
        with conn:
            conn.executemany(
                "INSERT INTO participant (batch_id, name, id_number, sex, birth_date, phone, employer, department,"
                " category) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        conn.close()
        return time.perf_counter() - started

    raws = [raw(folder / f"raw{i}.db") for i in range(runs)]
    from statistics import median

    report(
        [
            Result(
                "demo --years 5 (5,724 batches, 211,804 people)",
                median(ours),
                target=60,
                raw=median(raws),
                runs=runs,
                samples=ours,
                note="raw: sqlite3 executemany of as many participant rows; no ratio target",
            )
        ],
        args.emit,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
