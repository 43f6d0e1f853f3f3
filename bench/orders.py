"""One base's orders for a month as one list PDF (``print orders``), cold and warm (a benchmark, not a test).

    .venv/bin/python bench/orders.py [--db FILE] [--keep] [--runs N]

Builds the one-year demo database (or uses --db; --keep reuses the one built before in the temporary
folder), finds the base with the most orders in its busiest month (May 2021) and times

1. cold: a fresh process ``recuperation --db X print orders --base B --from … --to … -o F.pdf``;
2. warm: :func:`recuperation.documents.orders_docs.print_orders` again in this process.

Median of ``--runs`` (5); the target is under 2 s for both.  The demo may hold no stored orders: drafts are
derived from the batches, so the list is full either way.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Result, report, timed

FIRST, LAST = dt.date(2021, 5, 1), dt.date(2021, 5, 31)
KEPT = Path(tempfile.gettempdir()) / "recuperation-bench-orders" / "one-year.db"
TARGET = 2.0


def database(given: Path | None, keep: bool) -> Path:
    """``given``, the kept one-year demo (--keep), or a new one."""
    if given is not None:
        return given
    if keep and KEPT.exists():
        return KEPT
    from recuperation.demo import build_demo
    from recuperation.storage.database import open_database

    KEPT.parent.mkdir(parents=True, exist_ok=True)
    for stale in KEPT.parent.glob(KEPT.name + "*"):
        stale.unlink()
    with open_database(KEPT) as db:
        build_demo(db, 1)
    return KEPT


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, help="a database with the demo's 2021 (built if absent)")
    parser.add_argument("--keep", action="store_true", help="reuse the demo database built by an earlier run")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per figure (median reported)")
    parser.add_argument("--emit", type=Path, help="append the results as JSON lines to this file")
    args = parser.parse_args()
    import os

    os.environ.setdefault("RECUPERATION_DATA_DIR", tempfile.mkdtemp(prefix="recuperation-bench-"))
    path = database(args.db, args.keep)

    from recuperation.documents.fonts import find_font
    from recuperation.documents.orders_docs import print_orders
    from recuperation.services.orders import list_orders
    from recuperation.storage.database import open_database

    out = Path(tempfile.mkdtemp(prefix="recuperation-orders-"))
    with open_database(path) as db:
        month = list_orders(db, first=FIRST, last=LAST)
        base, count = collections.Counter(r.base for r in month).most_common(1)[0]
        print(f"{path}: {len(month)} orders in May 2021; busiest base {base} with {count}")
        font = find_font()
        warm, warm_samples = timed(
            lambda: print_orders(db, base, FIRST, LAST, out / "warm.pdf", font=font), args.runs
        )
    command = [
        sys.executable,
        "-m",
        "recuperation",
        "--db",
        str(path),
        "print",
        "orders",
        "--base",
        base,
        "--from",
        FIRST.isoformat(),
        "--to",
        LAST.isoformat(),
        "-o",
        str(out / "cold.pdf"),
    ]
    cold_samples = []
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        cold_samples.append(time.perf_counter() - started)
    note = f"{base}, {count} batches, May 2021"
    report(
        [
            Result(
                "`print orders`, a base's busiest month",
                statistics.median(cold_samples),
                target=TARGET,
                runs=args.runs,
                samples=[round(s, 4) for s in cold_samples],
                note=note,
                years=1,
                kind="cold",
            ),
            Result(
                "print_orders, a base's busiest month",
                warm,
                target=TARGET,
                runs=args.runs,
                samples=[round(s, 4) for s in warm_samples],
                note=note,
                years=1,
                kind="warm",
            ),
        ],
        args.emit,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
