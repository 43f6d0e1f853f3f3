"""The year's workbooks and the statistics workbook count companions apart and show who came, on the small
hand-built year of tests/test_statistics_batch_attendance.py (known answers), read back with openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from recuperation.services.batch.roster_import import plan_import
from recuperation.services.registers import plan_register
from recuperation.storage.database import Database
from recuperation.workbooks import export_batches_year, export_partner_year, export_statistics
from tests.test_statistics_batch_attendance import small_year

D = dt.date


def _table(sheet: Any, header_row: int) -> tuple[list[str], list[dict[str, Any]], dict[str, Any]]:
    """The header, the rows down to the totals line (each as a dict by header) and the totals line."""
    header = [c.value for c in sheet[header_row]]
    rows: list[dict[str, Any]] = []
    for values in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        line = dict(zip(header, values, strict=False))
        if str(values[0]).startswith("合计"):
            return header, rows, line
        rows.append(line)
    raise AssertionError("no totals line")


def _no_formula(book: Any) -> None:
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {ws.title}!{cell.coordinate}"


def test_a_partners_year_counts_members_companions_and_who_came(db: Database, tmp_path: Path) -> None:
    year = small_year(db)
    path = export_partner_year(db, "宁波大学", 2021, tmp_path / "nb.xlsx").path
    book = openpyxl.load_workbook(path)
    _no_formula(book)
    header, rows, totals = _table(book["汇总"], 3)
    assert header[7:11] == ["计划人数", "名单人数", "随行家属", "实到人数"]
    shown = {r["批次编号"]: (r["计划人数"], r["名单人数"], r["随行家属"], r["实到人数"]) for r in rows}
    assert shown == {
        year.a: (5, 5, 1, 4),  # six on the roster, one a companion; the no-show did not come
        year.b: (4, 4, 0, None),  # roll call still open: not known, left empty
    }  # the cancelled batch D is not in a partner's year
    assert (totals["计划人数"], totals["名单人数"], totals["随行家属"], totals["实到人数"]) == (9, 9, 1, 4)
    for column in ("计划人数", "名单人数", "随行家属", "实到人数"):  # each total is the sum of its lines
        assert totals[column] == sum(r[column] or 0 for r in rows)
    assert all(isinstance(r["名单人数"], int) and isinstance(r["随行家属"], int) for r in rows)
    note = book["汇总"].cell(3 + len(rows) + 2, 1).value
    assert note.startswith("注：") and "不含随行家属" in note

    # the roster sheet: 随行家属 是 for the companion, empty for the members, as the roster export writes it
    sheet = next(ws for ws in book.worksheets if ws.title.startswith(year.a))
    names_header = [c.value for c in sheet[2]]
    assert names_header[-1] == "随行家属"
    flags = {
        row[1]: row[-1] or "" for row in sheet.iter_rows(min_row=3, values_only=True) if row[1] is not None
    }
    assert flags == {"王芳": "", "李强": "", "张伟": "", "刘洋": "", "陈静": "", year.companion: "是"}

    # and the sheet is still the batch's roster: it imports back with no change, the companion a companion
    plan = plan_import(db, year.a, path)
    assert plan.layout.sheet.startswith(year.a) and "companion" in plan.layout.columns
    assert (plan.added, plan.removed, plan.changed, plan.errors) == ([], [], [], [])
    assert plan.masked_matched == 6
    report = plan_register(db, "batches", path).report()
    assert not report["errors"] and not report.get("new") and not report.get("changed"), report
    assert {code: r["status"] for code, r in report["rosters"].items()} == {
        year.a: "unchanged",
        year.b: "unchanged",
    }


def test_the_years_batch_list_counts_companions_apart(db: Database, tmp_path: Path) -> None:
    year = small_year(db)
    book = openpyxl.load_workbook(export_batches_year(db, 2021, tmp_path / "b.xlsx").path)
    _no_formula(book)
    header, rows, totals = _table(book["2021年批次"], 2)
    assert header[7:12] == ["计划人数", "名单人数", "状态", "随行家属", "实到人数"]
    shown = {r["批次编号"]: (r["计划人数"], r["名单人数"], r["随行家属"], r["实到人数"]) for r in rows}
    assert shown == {
        year.a: (5, 5, 1, 4),
        year.b: (4, 4, 0, None),
        year.c: (10, 0, 0, None),  # no roster
        year.d: (2, 2, 0, None),  # cancelled: listed, not in the totals
    }
    assert totals["类型"] == 3  # the batches counted (written under 类型, as the sheet always had it)
    counted = [r for r in rows if r["状态"] != "已取消"]
    assert (totals["计划人数"], totals["名单人数"], totals["随行家属"], totals["实到人数"]) == (19, 9, 1, 4)
    for column in ("计划人数", "名单人数", "随行家属", "实到人数"):
        assert totals[column] == sum(r[column] or 0 for r in counted)


def test_the_statistics_workbook_shows_planned_attended_and_the_difference(
    db: Database, tmp_path: Path
) -> None:
    small_year(db)
    book = openpyxl.load_workbook(
        export_statistics(db, D(2021, 1, 1), D(2021, 12, 31), tmp_path / "s.xlsx").path
    )
    _no_formula(book)
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert (overview["人次"], overview["实到人次"], overview["人次差额"]) == (19, 18, 1)
    assert (overview["人天"], overview["实到人天"], overview["人天差额"]) == (57, 50, 7)
    assert overview["已结束报到的批次"] == 1 and overview["疗休养批次"] == 3

    heads = ["计划人次", "实到人次", "人次差额", "计划人天", "实到人天", "人天差额"]
    header, months, totals = _table(book["按月份"], 2)
    assert header == ["月份", "批次", *heads]
    by_month = {r["月份"]: tuple(r[h] for h in ["批次", *heads]) for r in months}
    assert len(by_month) == 12 and by_month["1月"] == (0, 0, 0, 0, 0, 0, 0)
    assert by_month["5月"] == (1, 5, 4, 1, 25, 18, 7)  # A: the companion nowhere
    assert by_month["6月"] == (2, 14, 14, 0, 32, 32, 0)  # B (roll call open) and C count as planned
    assert tuple(totals[h] for h in ["批次", *heads]) == (3, 19, 18, 1, 57, 50, 7)

    header, partners, totals = _table(book["按合作单位"], 2)
    assert [tuple(r.values()) for r in partners] == [
        ("浙江海港集团", 1, 10, 10, 0, 20, 20, 0),
        ("宁波大学", 2, 9, 8, 1, 37, 30, 7),
    ]
    assert tuple(totals[h] for h in ["批次", *heads]) == (3, 19, 18, 1, 57, 50, 7)

    bases = book["按基地"]
    assert [c.value for c in bases[2]] == ["名称", "批次", "住宿人次", "住宿人·晚", *heads]
    # six lodged four nights, the companion's share left out (5 people, 20 person-nights); then the batch
    # in full, planned against attended; no totals line (a batch at two bases counts at each)
    assert [tuple(r) for r in bases.iter_rows(min_row=3, values_only=True)] == [
        ("寿昌宾馆", 1, 5, 20, 5, 4, 1, 25, 18, 7)
    ]
