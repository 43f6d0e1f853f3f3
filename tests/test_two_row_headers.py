"""Headers written over two rows: a merged group header above its sub-headers (联系方式 over 手机号码 |
紧急联系人), the other headers merged over both rows, and a header split over two rows of one column (身份证 /
号码).  The workbooks are written the way Excel writes merged cells (XlsxWriter's ``merge_range``: the value in
the first cell, blank cells under the merge) and, for the slow tests, saved as .xls and .ods by LibreOffice.

The sub-header row is never read as a person or a record; a one-row header with data right below it (a
first person whose employer is 联系方式科, a note saying 手机) is never read as a header over two rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from sqlalchemy import text

from recuperation.services.batch import batches, rosters
from recuperation.services.batch.roster_import import _HEADERS, apply_import, plan_import
from recuperation.services.registers import apply_register, plan_register
from recuperation.services.sheet_layout import Layout, header_texts
from recuperation.sheets import Sheet, read_sheets
from recuperation.storage.database import Database
from tests.factories import partner, person_id, stored_numbers

D = dt.date
CODE = "L2021-0100"
PEOPLE = [person_id(n) for n in (11, 12, 13)]
PHONES = ["13812345671", "13812345672", "13812345673"]
CONTACTS = ["张父 13900000001", "李母 13900000002", "赵妻 13900000003"]


@pytest.fixture
def batch_db(db: Database) -> Database:
    p = partner(db, "宁波大学")
    batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 14), 3, code=CODE))
    return db


def _workbook(path: Path, draw: Callable[[Any, Any], None], sheet: str = "名单") -> Path:
    book = xlsxwriter.Workbook(str(path))
    head = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    draw(book.add_worksheet(sheet), head)
    book.close()
    return path


def _title(ws: Any, head: Any, title: str, width: int) -> None:
    ws.merge_range(0, 0, 0, width - 1, title, head)
    ws.write(1, 0, "填表日期：2021年5月1日")


def group_roster(path: Path) -> Path:
    """Rows 3-4 (1-based): 序号 | 姓名 | 身份证号 | 联系方式 (merged over two columns) | | 备注, then 手机号码 |
    紧急联系人 under 联系方式; the other headers merged over both rows.  People from row 5."""

    def draw(ws: Any, head: Any) -> None:
        _title(ws, head, "宁波大学 2021 年第一批疗休养人员名单", 6)
        for column, header in enumerate(("序号", "姓名", "身份证号")):
            ws.merge_range(2, column, 3, column, header, head)
        ws.merge_range(2, 3, 2, 4, "联系方式", head)
        ws.merge_range(2, 5, 3, 5, "备注", head)
        ws.write(3, 3, "手机号码", head)
        ws.write(3, 4, "紧急联系人", head)
        for i, (number, phone, contact) in enumerate(zip(PEOPLE, PHONES, CONTACTS, strict=True)):
            ws.write_number(4 + i, 0, i + 1)
            ws.write_string(4 + i, 1, ["王芳", "李强", "赵敏"][i])
            ws.write_string(4 + i, 2, number)
            ws.write_string(4 + i, 3, phone)
            ws.write_string(4 + i, 4, contact)
            if i == 0:
                ws.write_string(4 + i, 5, "素食")

    return _workbook(path, draw)


def split_roster(path: Path) -> Path:
    """身份证 / 号码 and 联系 / 电话 split over rows 1-2 of their columns; 姓名 and 单位 merged over both."""

    def draw(ws: Any, head: Any) -> None:
        ws.merge_range(0, 0, 1, 0, "姓名", head)
        ws.write(0, 1, "身份证", head)
        ws.write(1, 1, "号码", head)
        ws.write(0, 2, "联系", head)
        ws.write(1, 2, "电话", head)
        ws.merge_range(0, 3, 1, 3, "单位", head)
        for i, (number, phone) in enumerate(zip(PEOPLE, PHONES, strict=True)):
            ws.write_row(2 + i, 0, [["王芳", "李强", "赵敏"][i], number, phone, "机械学院"])

    return _workbook(path, draw)


def group_batches(path: Path) -> Path:
    """The batches register with 日期 merged over 到达 | 离开, the other headers merged over both rows."""
    book = xlsxwriter.Workbook(str(path))
    head = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    ws = book.add_worksheet("批次")
    _title(ws, head, "2021年职工疗休养批次安排表", 6)
    for column, header in ((0, "序号"), (1, "批次编号"), (2, "组团单位"), (5, "计划人数")):
        ws.merge_range(2, column, 3, column, header, head)
    ws.merge_range(2, 3, 2, 4, "日期", head)
    ws.write(3, 3, "到达", head)
    ws.write(3, 4, "离开", head)
    ws.write_row(4, 0, [1, "L2021-0001", "宁波大学"])
    ws.write_datetime(4, 3, dt.datetime(2021, 3, 31), day)
    ws.write_datetime(4, 4, dt.datetime(2021, 4, 2), day)
    ws.write_number(4, 5, 40)
    ws.write_row(5, 0, [2, "L2021-0002", "宁波大学", "2021-05-12", "2021-05-13", 30])
    book.close()
    return path


# --- the roster -------------------------------------------------------------------------------------------


def _check_group_roster(db: Database, path: Path) -> None:
    plan = plan_import(db, CODE, path)
    assert plan.layout == Layout(
        "名单",
        3,
        {"name": 1, "id_number": 2, "phone": 3, "emergency_contact": 4, "notes": 5},
        header_rows=2,
    )
    assert plan.headers == ["序号", "姓名", "身份证号", "联系方式 手机号码", "联系方式 紧急联系人", "备注"]
    assert plan.errors == [] and plan.warnings == []
    assert [r.row for r in plan.rows] == [5, 6, 7]  # the sub-header row (4) is not a person
    report = plan.report()
    assert report["columns"]["phone"] == "联系方式 手机号码"
    assert report["columns"]["emergency_contact"] == "联系方式 紧急联系人"
    result = apply_import(db, plan)
    assert (result.added, result.removed, result.changed) == (3, 0, 0)
    stored = stored_numbers(db, plan.batch_id)
    people = {stored[p.id][0]: p for p in rosters.list_participants(db, plan.batch_id)}
    assert [(stored[people[n].id][1], people[n].emergency_contact) for n in PEOPLE] == list(
        zip(PHONES, CONTACTS, strict=True)
    )
    assert people[PEOPLE[0]].notes == "素食" and people[PEOPLE[0]].name == "王芳"


def test_a_group_header_over_sub_headers_imports_every_person(batch_db: Database, tmp_path: Path) -> None:
    _check_group_roster(batch_db, group_roster(tmp_path / "名单.xlsx"))


def test_a_header_split_over_two_rows_of_its_column(batch_db: Database, tmp_path: Path) -> None:
    plan = plan_import(batch_db, CODE, split_roster(tmp_path / "名单.xlsx"))
    assert plan.layout == Layout("名单", 1, {"name": 0, "id_number": 1, "phone": 2, "employer": 3}, 2)
    assert plan.headers == ["姓名", "身份证号码", "联系电话", "单位"]
    assert plan.errors == [] and [r.row for r in plan.rows] == [3, 4, 5]
    assert [r.values["phone"] for r in plan.rows] == PHONES


def test_the_user_choosing_the_lower_header_row_gets_both_rows(batch_db: Database, tmp_path: Path) -> None:
    """The header row the user gives is the last one; the row above joins it when the two read as one header.
    Giving the upper row reads it alone, so the sub-header row shows as a row with errors, as chosen."""
    path = group_roster(tmp_path / "名单.xlsx")
    plan = plan_import(batch_db, CODE, path, Layout("名单", 3, {}))
    assert plan.layout.header_rows == 2 and plan.layout.columns["emergency_contact"] == 4
    assert plan.errors == [] and len(plan.rows) == 3
    upper = plan_import(batch_db, CODE, path, Layout("名单", 2, {}))
    assert upper.layout == Layout("名单", 2, {"name": 1, "id_number": 2, "phone": 3, "notes": 5})
    assert upper.headers[3] == "联系方式" and {p.row for p in upper.errors} == {4}
    # a corrected mapping keeps the two header rows it was shown with
    kept = plan_import(batch_db, CODE, path, Layout("名单", 3, {"name": 1, "id_number": 2}, header_rows=2))
    assert kept.headers[3] == "联系方式 手机号码" and "phone" not in kept.layout.columns


# --- one-row headers stay one-row ---------------------------------------------------------------------------


ONE_ROW_HEADER = ["序号", "姓名", "身份证号", "工作单位", "备注"]
HEADER_WORDS_BELOW: list[list[Any]] = [
    [1, "张三", PEOPLE[0], "联系方式科", "手机"],
    [2, "李强", PEOPLE[1], "后勤", "联系方式：13812345678"],
    [3, "赵敏", PEOPLE[2], "手机", "联系方式"],
]


def _one_row_xlsx(path: Path, rows: list[list[Any]], header: list[str] = ONE_ROW_HEADER) -> Path:
    def draw(ws: Any, head: Any) -> None:
        _title(ws, head, "宁波大学名单", len(header))
        ws.write_row(2, 0, header, head)
        for i, row in enumerate(rows):
            ws.write_row(3 + i, 0, row)

    return _workbook(path, draw)


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_header_words_in_the_first_person_leave_a_one_row_header_alone(
    batch_db: Database, tmp_path: Path, suffix: str
) -> None:
    if suffix == "xlsx":
        path = _one_row_xlsx(tmp_path / "名单.xlsx", HEADER_WORDS_BELOW)
    else:  # every cell of a CSV file is text, the sequence numbers too
        path = tmp_path / "名单.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([["宁波大学名单"], ONE_ROW_HEADER, *HEADER_WORDS_BELOW])
    plan = plan_import(batch_db, CODE, path)
    sheet = "名单"
    columns = {"name": 1, "id_number": 2, "employer": 3, "notes": 4}
    assert plan.layout == (Layout(sheet, 2, columns) if suffix == "xlsx" else Layout(sheet, 1, columns))
    assert plan.headers == ONE_ROW_HEADER
    assert [r.values["name"] for r in plan.rows] == ["张三", "李强", "赵敏"] and plan.errors == []
    assert plan.rows[0].values["employer"] == "联系方式科" and plan.rows[2].values["notes"] == "联系方式"


def test_a_first_person_without_a_sequence_number_is_not_a_sub_header() -> None:
    header = ["姓名", "身份证号", "手机", "紧急联系人"]
    for first in (
        ["张三", PEOPLE[0], "13812345678", "联系方式"],
        [None, None, None, "张父"],  # an unfinished row: a name, not a header word
        ["联系方式", "手机", "13812345678", None],
        [None, None, None, "手机"],  # would take 手机 from the phone column: fewer fields
    ):
        sheet = Sheet("名单", [header, first, ["李强", PEOPLE[1], "13812345679", None]])
        layout = _HEADERS.best_layout([sheet], lambda c: "name" in c and "id_number" in c)
        assert layout == Layout("名单", 0, {"name": 0, "id_number": 1, "phone": 2, "emergency_contact": 3})


def test_title_and_filled_in_by_lines_above_a_header_are_not_part_of_it() -> None:
    title = ["宁波大学疗休养人员名单", None, None, None]  # merged over the table: a "group" over every column
    filled_by = ["联系人", "李秀兰", "联系电话", 13812345678]
    header = ["姓名", "身份证号", "手机", "单位"]
    for above in (title, filled_by):
        sheet = Sheet("名单", [above, header, ["张三", PEOPLE[0], "13812345678", "后勤"]])
        layout = _HEADERS.best_layout([sheet], lambda c: "name" in c and "id_number" in c)
        assert layout == Layout("名单", 1, {"name": 0, "id_number": 1, "phone": 2, "employer": 3})
        assert header_texts(sheet, layout) == header


def test_a_repeated_header_line_and_a_line_of_hints_are_header_rows() -> None:
    """Neither is a person: a header repeated in English, or (必填)/(选填) under each header."""
    header = ["姓名", "身份证号", "手机"]
    for below, shown in (
        (["Name", "ID number", "Phone"], ["姓名 Name", "身份证号 ID number", "手机 Phone"]),
        (["（必填）", "（必填）", "（选填）"], ["姓名（必填）", "身份证号（必填）", "手机（选填）"]),
    ):
        sheet = Sheet("名单", [header, below, ["张三", PEOPLE[0], "13812345678"]])
        layout = _HEADERS.best_layout([sheet], lambda c: "name" in c and "id_number" in c)
        assert layout == Layout("名单", 1, {"name": 0, "id_number": 1, "phone": 2}, header_rows=2)
        assert header_texts(sheet, layout) == shown


def test_the_two_row_reading_must_be_usable_too() -> None:
    sheet = Sheet(
        "名单",
        [
            ["姓名", "身份证号", "联系方式", None],
            [None, None, "紧急联系人", "手机"],
            ["张三", PEOPLE[0], "张父", "13812345678"],
        ],
    )
    layout = _HEADERS.best_layout([sheet], lambda c: "name" in c and "id_number" in c)
    assert layout == Layout(
        "名单", 1, {"name": 0, "id_number": 1, "emergency_contact": 2, "phone": 3}, header_rows=2
    )
    assert header_texts(sheet, layout) == ["姓名", "身份证号", "联系方式 紧急联系人", "联系方式 手机"]
    phone_third = _HEADERS.best_layout([sheet], lambda c: "name" in c and c.get("phone") == 2)
    assert phone_third == Layout("名单", 0, {"name": 0, "id_number": 1, "phone": 2})


# --- a register ---------------------------------------------------------------------------------------------


def _check_group_batches(db: Database, path: Path) -> None:
    plan = plan_register(db, "batches", path)
    assert plan.layout.header_rows == 2 and plan.layout.header_row == 3
    assert {"code": 1, "partner": 2, "arrival": 3, "departure": 4, "headcount": 5}.items() <= (
        plan.layout.columns.items()
    )
    assert plan.headers[3:5] == ["日期 到达", "日期 离开"]
    assert [(r.row, r.key, r.status) for r in plan.rows] == [
        (5, "L2021-0001", "new"),
        (6, "L2021-0002", "new"),
    ]
    assert plan.errors == []
    apply_register(db, plan)
    with db.engine.connect() as conn:
        stays = conn.execute(
            text("SELECT code, arrival, departure, headcount FROM batch ORDER BY code")
        ).all()
    assert [(c, str(a), str(d), n) for c, a, d, n in stays] == [
        ("L2021-0001", "2021-03-31", "2021-04-02", 40),
        ("L2021-0002", "2021-05-12", "2021-05-13", 30),
    ]


def test_a_batches_register_with_arrival_and_departure_under_one_date_header(
    db: Database, tmp_path: Path
) -> None:
    partner(db, "宁波大学")
    _check_group_batches(db, group_batches(tmp_path / "batches.xlsx"))


# --- the same workbooks saved by LibreOffice as .xls and .ods -----------------------------------------------


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The group-header roster, the split-header roster and the batches register as .xls and .ods."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI must convert workbooks with LibreOffice, but soffice is not installed")
        pytest.skip("LibreOffice (soffice) is not installed here")
    folder = tmp_path_factory.mktemp("converted")
    sources = [
        group_roster(folder / "group.xlsx"),
        split_roster(folder / "split.xlsx"),
        group_batches(folder / "batches.xlsx"),
    ]
    made: dict[str, Path] = {}
    for suffix in ("xls", "ods"):
        subprocess.run(
            [office, "--headless", "--convert-to", suffix, "--outdir", str(folder), *map(str, sources)],
            check=True,
            capture_output=True,
            timeout=300,
            env={"HOME": str(folder), "PATH": "/usr/bin:/bin"},
        )
        for source in sources:
            made[f"{source.stem}.{suffix}"] = source.with_suffix(f".{suffix}")
            assert made[f"{source.stem}.{suffix}"].is_file()
    return made


@pytest.mark.slow
@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_libreoffice_files_with_a_group_header(
    suffix: str, converted: dict[str, Path], batch_db: Database
) -> None:
    path = converted[f"group.{suffix}"]
    assert read_sheets(path)[0].rows[3][:3] == [None, None, None]  # merged cells read empty below
    _check_group_roster(batch_db, path)


@pytest.mark.slow
@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_libreoffice_files_with_a_split_header(
    suffix: str, converted: dict[str, Path], batch_db: Database
) -> None:
    plan = plan_import(batch_db, CODE, converted[f"split.{suffix}"])
    assert plan.layout.header_rows == 2 and plan.headers == ["姓名", "身份证号码", "联系电话", "单位"]
    assert plan.errors == [] and [r.row for r in plan.rows] == [3, 4, 5]


@pytest.mark.slow
@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_libreoffice_batches_register_with_a_date_group(
    suffix: str, converted: dict[str, Path], db: Database
) -> None:
    partner(db, "宁波大学")
    _check_group_batches(db, converted[f"batches.{suffix}"])
