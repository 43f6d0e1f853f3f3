"""A year's statistics over five years of data (a benchmark, not a test); target under 200 ms.

.venv/bin/python bench/year_stats.py [--db FILE] [--runs N]     # builds demo --years 5 if no --db
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from bench.common import Result, arguments, five_year_database, private_data_dir, report, timed
from recuperation.services.statistics import Period, period_stats
from recuperation.storage.database import open_database


def main() -> int:
    args = arguments(__doc__ or "")
    path = five_year_database(args.db)
    private_data_dir()
    db = open_database(path)
    ours, samples = timed(lambda: period_stats(db, Period.year(2023)), args.runs)

    def raw() -> None:
        with db.engine.connect() as conn:
            conn.execute(
                text(
                    "SELECT b.id, (SELECT count(*) FROM participant p WHERE p.batch_id = b.id) FROM batch b"
                    " WHERE b.arrival BETWEEN '2023-01-01' AND '2023-12-31'"
                )
            ).fetchall()

    raw_median, _ = timed(raw, args.runs)
    db.close()
    report(
        [
            Result(
                "a year's statistics over five years",
                ours,
                target=0.2,
                raw=raw_median,
                runs=args.runs,
                samples=samples,
                note="raw: the year's batches with roster counts only (the statistics compute 12 tables)",
            )
        ],
        args.emit,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
