"""Documents against the raw libraries doing the same work (a benchmark, not a test).

    .venv/bin/python bench/documents.py [--db FILE] [--runs N]

Runs on a copy of the five-year database.

1. A 200-person manifest PDF, against reportlab building the same table directly (target < 0.5 s, ratio ≤ 1.5).
2. A partner's year with 40,000 roster rows to a workbook, against XlsxWriter writing the same cells
   (target < 5 s, ratio ≤ 1.3).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import xlsxwriter
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle
from sqlalchemy import insert

from bench.common import Result, arguments, five_year_database, private_data_dir, report, timed
from recuperation.documents.batch_docs import print_manifest
from recuperation.documents.fonts import find_font
from recuperation.models import Participant, table_of
from recuperation.people import mask_id, mask_phone, with_check_character
from recuperation.services import partners
from recuperation.services.batch import batches
from recuperation.storage.database import open_database
from recuperation.workbooks import export_partner_year


def main() -> int:
    args = arguments(__doc__ or "")
    source = five_year_database(args.db)
    tmp = private_data_dir()
    shutil.copy(source, tmp / "bench.db")
    db = open_database(tmp / "bench.db")
    font = find_font()
    code = next(b.code for b in batches.list_batches(db, year=2021) if b.headcount == 200)
    people = [
        (p.name, p.sex, p.id_number, p.phone, p.employer, p.room)
        for p in __import__("recuperation.services.batch.rosters", fromlist=["x"]).list_participants(
            db, batches.find_batch(db, code).id
        )
    ]

    def raw_pdf() -> None:
        rows = [["序号", "姓名", "性别", "身份证号", "手机", "单位", "房间"]]
        rows += [
            [str(i), n, s or "", mask_id(id_), mask_phone(ph), e, r]
            for i, (n, s, id_, ph, e, r) in enumerate(people, start=1)
        ]
        table = Table(rows, repeatRows=1)
        table.setStyle(
            TableStyle([("FONTNAME", (0, 0), (-1, -1), font.name), ("FONTSIZE", (0, 0), (-1, -1), 9)])
        )
        SimpleDocTemplate(str(tmp / "raw.pdf"), pagesize=A4).build([table])

    ours, samples = timed(lambda: print_manifest(db, code, tmp / "manifest.pdf", font=font), args.runs)
    raw, _ = timed(raw_pdf, args.runs)
    results = [
        Result(
            "manifest PDF, 200 people",
            ours,
            target=0.5,
            raw=raw,
            ratio_target=1.5,
            runs=args.runs,
            samples=samples,
            note="raw: reportlab building the same table directly",
        )
    ]

    # a partner with 40,000 people in one year: 800 batches of 50
    partner = partners.create_partner(db, partners.PartnerInput(name="大型企业集团"))
    rows = []
    with db.engine.begin() as conn:
        for i in range(800):
            day = dt.date(2029, 1, 1) + dt.timedelta(days=i % 360)
            batch = batches.create_batch(
                db,
                batches.BatchInput(
                    partner.id, day, day + dt.timedelta(days=1), 50, code=f"L2029-{i + 1:04d}"
                ),
            )
            for j in range(50):
                number = with_check_character(
                    f"3301061980{1 + (i % 12):02d}{1 + j % 28:02d}{(i * 50 + j) % 1000:03d}"
                )
                rows.append(
                    {
                        "batch_id": batch.id,
                        "version": 1,
                        "created_at": dt.datetime.now(),
                        "updated_at": dt.datetime.now(),
                        "updated_by": "bench",
                        "name": f"职工{i}-{j}",
                        "id_number": number,
                        "sex": "M",
                        "birth_date": dt.date(1980, 1, 1),
                        "phone": f"139{i * 50 + j:08d}",
                        "employer": "大型企业集团",
                        "department": "一车间",
                        "model_worker": False,
                        "category": "一线职工",
                        "diet": "",
                        "health": "",
                        "emergency_contact": "",
                        "room": "",
                        "notes": "",
                    }
                )
        conn.execute(insert(table_of(Participant)), rows)

    def raw_xlsx() -> None:
        book = xlsxwriter.Workbook(str(tmp / "raw.xlsx"), {"constant_memory": True})
        sheet = None
        for k, row in enumerate(rows):
            if k % 50 == 0:
                sheet = book.add_worksheet(f"L2029-{k // 50 + 1:04d}")
            for c, value in enumerate(
                (
                    str(k % 50 + 1),
                    row["name"],
                    "男",
                    mask_id(row["id_number"]),
                    mask_phone(row["phone"]),
                    row["department"],
                    row["category"],
                    "",
                )
            ):
                sheet.write_string(k % 50 + 2, c, value)
        book.close()

    runs = max(1, min(args.runs, 3))  # a few seconds each
    ours, samples = timed(
        lambda: export_partner_year(db, "大型企业集团", 2029, tmp / "partner.xlsx"), runs, 0
    )
    raw, _ = timed(raw_xlsx, runs, 0)
    results.append(
        Result(
            "partner's year to a workbook, 40,000 rows",
            ours,
            raw=raw,
            ratio_target=1.3,
            runs=runs,
            samples=samples,
            note="raw: XlsxWriter writing the same cells",
        )
    )
    db.close()
    report(results, args.emit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
