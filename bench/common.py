"""What every benchmark shares: the five-year database, repeated timing with medians, the result format.

Each benchmark script runs on its own (``python bench/NAME.py [--db FILE] [--runs N]``) and prints its
figures; ``bench/run.py`` runs them all, each in its own process, on one five-year database and collects
their results (``--emit FILE`` writes them as JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Result:
    """One measured figure: ours (median of ``runs``), the raw library doing the same work, the targets."""

    name: str
    value: float  # ours: seconds, or MB for memory
    unit: str = "s"
    target: float | None = None  # value must stay under this
    raw: float | None = None  # the raw library doing the same work, same unit
    ratio_target: float | None = None  # value / raw must stay at or under this
    runs: int = 1
    samples: list[float] = field(default_factory=list)
    note: str = ""
    years: int | None = None  # the size of the database measured on, in years of demo data
    kind: str = "warm"  # "cold": a fresh process, its first call; "warm": later calls in one process

    @property
    def ratio(self) -> float | None:
        return self.value / self.raw if self.raw else None

    @property
    def met(self) -> bool:
        ok = self.target is None or self.value < self.target
        if self.ratio_target is not None and self.ratio is not None:
            ok = ok and self.ratio <= self.ratio_target
        return ok

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        data["met"] = self.met
        return data


def timed(fn: Callable[[], object], runs: int, warmup: int = 1) -> tuple[float, list[float]]:
    """The median wall time of ``fn`` over ``runs`` runs after ``warmup`` unmeasured ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), samples


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--db", type=Path, help="the five-year database (built in a temporary folder if absent)"
    )
    parser.add_argument("--runs", type=int, default=5, help="measured runs per figure (median reported)")
    parser.add_argument("--emit", type=Path, help="append the results as JSON lines to this file")
    return parser.parse_args()


def private_data_dir() -> Path:
    """A temporary data folder, so a benchmark never touches the user's settings, backups or logs."""
    folder = Path(tempfile.mkdtemp(prefix="recuperation-bench-"))
    os.environ["RECUPERATION_DATA_DIR"] = str(folder)
    return folder


def five_year_database(given: Path | None) -> Path:
    """``given``, or ``demo --years 5`` built once into a temporary folder."""
    if given is not None:
        return given
    from recuperation.demo import build_demo
    from recuperation.storage.database import open_database

    path = private_data_dir() / "five.db"
    with open_database(path) as db:
        build_demo(db, 5)
    return path


def roster_workbook(path: Path, rows: int) -> Path:
    """A partner's roster of ``rows`` valid people (宁波大学), as partners send them: a title row, then the
    header on the second row."""
    import xlsxwriter

    from recuperation.people import with_check_character

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("名单")
    sheet.write_row(0, 0, ["宁波大学大型活动名单"])
    sheet.write_row(1, 0, ["序号", "姓名", "性别", "身份证号码", "手机号码", "单位"])
    for i in range(rows):
        number = with_check_character(f"3302051975{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}")
        sheet.write_row(
            i + 2,
            0,
            [i + 1, f"职工{i}", "男" if int(number[16]) % 2 else "女", number, f"139{i:08d}", "宁波大学"],
        )
    book.close()
    return path


def report(results: list[Result], emit: Path | None) -> None:
    for r in results:
        print(line(r))
    if emit is not None:
        with emit.open("a", encoding="utf-8") as handle:
            for r in results:
                handle.write(json.dumps(r.as_dict(), ensure_ascii=False) + "\n")


def show(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"
    return f"{value:,.0f} {unit}"


def line(r: Result) -> str:
    target = "" if r.target is None else f"< {show(r.target, r.unit)}"
    if r.ratio_target is not None:
        target += f"{', ' if target else ''}ratio ≤ {r.ratio_target:g}"
    raw = "" if r.raw is None else show(r.raw, r.unit)
    ratio = "" if r.ratio is None else f"{r.ratio:.2f}"
    name = r.name if r.years is None else f"{r.name} [{r.kind}, {r.years} y]"
    return (
        f"{name:<44} {show(r.value, r.unit):>11} {raw:>11} {ratio:>6}  {target:<24} "
        f"{'met' if r.met else 'MISSED'}"
    )


HEADER = f"{'benchmark (median)':<44} {'ours':>11} {'raw':>11} {'ratio':>6}  {'target':<24} verdict"
