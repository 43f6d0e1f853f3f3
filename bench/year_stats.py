"""A year's statistics over five years of data (a benchmark, not a test); target under 200 ms.

.venv/bin/python bench/year_stats.py [--db FILE]     # builds demo --years 5 if no --db
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from recuperation.db import open_database
from recuperation.demo import build_demo
from recuperation.services.statistics import Period, period_stats


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    os.environ["RECUPERATION_DATA_DIR"] = str(tmp)
    db = open_database(args.db or tmp / "five.db")
    if not args.db:
        build_demo(db, 5)
    times = []
    for _ in range(7):
        started = time.perf_counter()
        period_stats(db, Period.year(2023))
        times.append(time.perf_counter() - started)
    with db.engine.connect() as conn:
        started = time.perf_counter()
        conn.execute(
            text(
                "SELECT b.id, (SELECT count(*) FROM participant p WHERE p.batch_id = b.id) FROM batch b"
                " WHERE b.arrival BETWEEN '2023-01-01' AND '2023-12-31'"
            )
        ).fetchall()
        raw = time.perf_counter() - started
    median = statistics.median(times)
    print(
        f"year's statistics over five years: {median * 1000:.0f} ms (target < 200 ms); "
        f"the raw query for the year's batches and roster counts alone: {raw * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
