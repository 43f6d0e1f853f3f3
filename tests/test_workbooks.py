"""Workbooks for partners and the office, read back: values, types, sheet names, no formulas."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from recuperation.cli import main as cli_main
from recuperation.services.batch import batches, rosters
from recuperation.storage.database import Database
from recuperation.workbooks import export_partner_year, sheet_name
from tests.factories import partner, person_id


def test_partner_year_workbook(demo_db: Database, tmp_path: Path, capsys) -> None:
    path = tmp_path / "hz.xlsx"
    assert (
        cli_main(
            [
                "--db",
                demo_db.url,
                "export",
                "partner",
                "杭州市总工会",
                "--year",
                "2021",
                "-o",
                str(path),
            ]
        )
        == 0
    )
    capsys.readouterr()
    book = openpyxl.load_workbook(path)
    own = [
        b for b in batches.list_batches(demo_db, year=2021, partner="杭州市总工会") if b.status != "cancelled"
    ]
    assert book.sheetnames[0] == "汇总" and len(book.sheetnames) == 1 + len(own)
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in book.sheetnames)
    summary = book["汇总"]
    assert summary.freeze_panes == "A4" and summary["A3"].font.bold
    first = own[0]
    assert summary["A4"].value == first.code and isinstance(summary["D4"].value, dt.datetime)
    assert summary["D4"].value.date() == first.arrival and summary["H4"].value == first.headcount
    totals = next(r for r in summary.iter_rows(min_row=4) if r[0].value == "合计")
    assert totals[8].value == sum(b.roster_count for b in own)
    sheet = book[book.sheetnames[1]]
    assert sheet["D3"].data_type == "s" and "*" in sheet["D3"].value  # masked unless asked
    assert sheet["E3"].data_type == "s"
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {ws.title}!{cell.coordinate}"


def test_formula_looking_text_stays_text(db: Database, tmp_path: Path) -> None:
    p = partner(db, '=HYPERLINK("x")')
    row = batches.create_batch(db, batches.BatchInput(p.id, dt.date(2021, 5, 12), dt.date(2021, 5, 13), 1))
    rosters.add_participant(db, row.id, rosters.ParticipantInput("+王芳", person_id(2), department="@财务部"))
    path = export_partner_year(db, p.name, 2021, tmp_path / "x.xlsx", full_ids=True).path
    book = openpyxl.load_workbook(path)
    sheet = book[book.sheetnames[1]]
    assert sheet["B3"].value == "+王芳" and sheet["B3"].data_type == "s"
    assert sheet["F3"].value == "@财务部" and sheet["D3"].value == person_id(2)
    assert book["汇总"]["A1"].data_type == "s"


def test_batches_year_workbook(demo_db: Database, tmp_path: Path, capsys) -> None:
    path = tmp_path / "b.xlsx"
    assert cli_main(["--db", demo_db.url, "export", "batches", "--year", "2021", "-o", str(path)]) == 0
    sheet = openpyxl.load_workbook(path)["2021年批次"]
    assert sheet["A3"].value.startswith(("L2021", "P2021", "H2021")) and isinstance(
        sheet["E3"].value, dt.datetime
    )
    assert sheet.max_row == 2 + 1218 + 1


def test_sheet_names_are_valid_and_unique() -> None:
    used: set[str] = set()
    assert sheet_name("a/b:c*d?e[f]g\\h", used) == "a_b_c_d_e_f_g_h"
    long = "浙江省海港投资运营集团有限公司宁波舟山港股份有限公司北仑第二集装箱码头分公司"
    first = sheet_name(long, used)
    second = sheet_name(long, used)
    assert len(first) == 31 and len(second) <= 31 and first != second


@pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice is not installed here",
)
def test_libreoffice_reads_the_chinese(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    assert cli_main(["--db", demo_db.url, "export", "batches", "--year", "2021", "-o", str(path)]) == 0
    office = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run(
        [
            office,
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    text = (tmp_path / "b.csv").read_text(encoding="utf-8")
    assert "批次编号" in text and "杭州市总工会" in text


def test_statistics_workbook_agrees_with_the_json(demo_db: Database, tmp_path: Path, capsys) -> None:
    import json

    from recuperation.workbooks import export_statistics

    assert cli_main(["--db", demo_db.url, "stats", "--year", "2021", "--until", "2021-11-30", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    path = export_statistics(demo_db, dt.date(2021, 1, 1), dt.date(2021, 11, 30), tmp_path / "s.xlsx").path
    book = openpyxl.load_workbook(path)
    assert {
        "概况",
        "按月份",
        "按合作单位",
        "按基地",
        "按线路",
        "按主题",
        "基地利用率",
        "协议完成情况",
    } <= set(book.sheetnames)
    overview = {row[0].value: row[1].value for row in book["概况"].iter_rows(min_row=3)}
    assert overview["疗休养批次"] == data["batches"] == 1065 and overview["人次"] == data["people"] == 38665
    months = book["按月份"]
    totals = next(r for r in months.iter_rows(min_row=3) if r[0].value == "合计")
    assert (totals[1].value, totals[2].value) == (1065, 38665)
    routes = {r[0].value: r[2].value for r in book["按线路"].iter_rows(min_row=3) if r[0].value != "合计"}
    assert routes == {g["name"]: g["people"] for g in data["by_route"]}
