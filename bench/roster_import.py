"""Importing a 2,000-row roster with every check, against reading the same file with the raw reader.

.venv/bin/python bench/roster_import.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from recuperation.db import open_database
from recuperation.demo import build_demo
from recuperation.people import with_check_character
from recuperation.services import batches, partners
from recuperation.services.roster_import import apply_import, plan_import

ROWS = 2000


def main() -> int:
    tmp = Path(tempfile.mkdtemp())
    os.environ["RECUPERATION_DATA_DIR"] = str(tmp)
    db = open_database(tmp / "bench.db")
    build_demo(db, 1)  # other batches and people, so the overlap and cycle checks have data to search
    partner = partners.find_partner(db, "宁波大学")
    assert partner is not None
    path = tmp / "roster.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("名单")
    sheet.write_row(0, 0, ["宁波大学大型活动名单"])
    sheet.write_row(1, 0, ["序号", "姓名", "性别", "身份证号码", "手机号码", "单位"])
    for i in range(ROWS):
        number = with_check_character(f"3302051975{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}")
        sheet.write_row(
            i + 2,
            0,
            [i + 1, f"职工{i}", "男" if int(number[16]) % 2 else "女", number, f"139{i:08d}", "宁波大学"],
        )
    book.close()

    def raw() -> None:
        workbook = CalamineWorkbook.from_path(str(path))
        workbook.get_sheet_by_name("名单").to_python()

    raw_times, ours = [], []
    for run in range(5):
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
        plan = plan_import(db, code, path)
        apply_import(db, plan)
        ours.append(time.perf_counter() - started)
        assert plan.valid == ROWS, plan.errors[:3]
    raw_median, our_median = statistics.median(raw_times), statistics.median(ours)
    print(f"raw read (calamine)          {raw_median * 1000:8.0f} ms")
    print(
        f"import {ROWS} rows, all checks {our_median * 1000:8.0f} ms   target < 1000 ms   "
        f"ratio {our_median / raw_median:.1f}"
    )
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
