"""Importing a 2,000-row roster with every check, against reading the same file with the raw reader.

    .venv/bin/python bench/roster_import.py [--db FILE] [--runs N]

Runs on a copy of the five-year database, so the overlap and eligibility-cycle checks search five years of
people.  Target < 1 s, ratio ≤ 2 (against python-calamine reading the same workbook).
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from python_calamine import CalamineWorkbook

from bench.common import Result, arguments, five_year_database, private_data_dir, report, roster_workbook
from recuperation.services import partners
from recuperation.services.batch import batches
from recuperation.services.batch.roster_import import apply_import, plan_import
from recuperation.storage.database import open_database

ROWS = 2000
PROFILE = None  # a profiler run sets this to a function that calls (and profiles) what it is given


def _call(fn, *args):
    return PROFILE(lambda: fn(*args)) if PROFILE else fn(*args)


def main() -> int:
    args = arguments(__doc__ or "")
    source = five_year_database(args.db)
    tmp = private_data_dir()
    shutil.copy(source, tmp / "bench.db")
    db = open_database(tmp / "bench.db")
    partner = partners.find_partner(db, "宁波大学")
    assert partner is not None
    path = roster_workbook(tmp / "roster.xlsx", ROWS)

    def raw() -> None:
        workbook = CalamineWorkbook.from_path(str(path))
        workbook.get_sheet_by_name("名单").to_python()

    raw_times, ours = [], []
    for run in range(args.runs):
        started = time.perf_counter()
        raw()
        raw_times.append(time.perf_counter() - started)
        code = f"L2030-{run + 1:04d}"
        batches.create_batch(
            db,
            batches.BatchInput(
                partner.id, dt.date(2030, 3, 1 + run * 6), dt.date(2030, 3, 2 + run * 6), ROWS, code=code
            ),
        )
        started = time.perf_counter()
        plan = _call(plan_import, db, code, path)
        _call(apply_import, db, plan)
        ours.append(time.perf_counter() - started)
        assert plan.valid == ROWS, plan.errors[:3]
    db.close()
    report(
        [
            Result(
                f"roster import, {ROWS:,} rows, every check",
                statistics.median(ours),
                target=1.0,
                raw=statistics.median(raw_times),
                ratio_target=2,
                runs=len(ours),
                samples=ours,
                note="raw: python-calamine reading the same workbook",
            )
        ],
        args.emit,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
