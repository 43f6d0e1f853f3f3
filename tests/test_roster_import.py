"""Importing the rosters partners send: header detection, normalisation, checks, diff, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from recuperation.cli import main as cli_main
from recuperation.errors import RuleViolation, ValidationError
from recuperation.people import with_check_character
from recuperation.services.batch import batches, rosters
from recuperation.services.batch.roster_import import (
    Layout,
    apply_import,
    check_rows,
    detect_layout,
    plan_import,
)
from recuperation.sheets import Sheet, read_sheets
from recuperation.storage.database import Database
from tests.factories import keys, partner, stored_numbers

D = dt.date
FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def ids(n: int) -> list[str]:
    return [
        with_check_character(f"33018219{80 + i % 20:02d}0{1 + i % 9}1{i % 10}{100 + i:03d}"[:17])
        for i in range(n)
    ]


@pytest.fixture
def setup(db: Database):
    p = partner(db, "宁波大学")
    target = batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 14), 6, code="L2021-0100")
    )
    other = batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 5, 13), D(2021, 5, 15), 1, code="L2021-0101")
    )
    return db, target, other


def x_id() -> str:
    """A number whose check character is X, for the lowercase-x case."""
    return next(
        n for n in (with_check_character(f"33010619850615{s:03d}") for s in range(1000)) if n.endswith("X")
    )


def messy_rows(people: list[str], booked: str) -> list[list[object]]:
    """What a partner really sends: a title, shuffled and variant headers, and every usual problem."""
    return [
        ["宁波大学 2021 年第一批疗休养人员名单", None, None, None, None],
        ["填表日期：2021年5月1日", None, None, None, None],
        ["序号", "证件号码", "职工姓名", "联系电话", "工作单位（部门）", "性别"],
        [1, people[0].translate(FULL), "王芳", "１３８-１２３４-５６７８", "机械学院", "女"],  # full-width
        [
            2,
            f" {x_id()[:6]} {x_id()[6:].lower()} ",
            "李强",
            "138 1234 5679",
            "图书馆",
            "男" if int(x_id()[16]) % 2 else "女",
        ],  # spaces, x
        [3, 330182198001010000, "张伟", "13812345680", "后勤", "男"],  # Excel turned it into a number
        [None, None, None, None, None, None],  # blank row
        [4, people[0], "王芳芳", "13812345681", "机械学院", "女"],  # duplicate of row 4
        [5, booked, "赵敏", "13812345682", "医学院", "女"],  # already in an overlapping batch
        [6, people[2], "陈静", "12345", "教务处", "女"],  # bad phone
    ]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active["A1"] = "请在“名单”页填写"
    sheet = book.create_sheet("名单")
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_messy_xlsx_is_read_with_exactly_the_expected_findings(setup, tmp_path: Path) -> None:
    db, target, other = setup
    people = ids(5)
    booked = people[4]
    rosters.add_participant(db, other.id, rosters.ParticipantInput("赵敏", booked))
    path = write_xlsx(tmp_path / "名单.xlsx", messy_rows(people, booked))
    plan = plan_import(db, "L2021-0100", path)
    assert plan.layout.sheet == "名单" and plan.layout.header_row == 2
    assert set(plan.layout.columns) == {"name", "id_number", "phone", "employer", "sex"}
    errors = {(p.row, p.field) for p in plan.errors}
    # one number on two rows: both are in doubt (a pasted number must not rename the first person)
    assert errors == {(4, "id_number"), (6, "id_number"), (8, "id_number"), (9, "id_number"), (10, "phone")}
    messages = {p.row: p.message for p in plan.errors}
    assert "被 Excel 存成了数字" in messages[6] and "第 4 行已出现过" in messages[8]
    assert "第 8 行又出现一次" in messages[4]
    assert "L2021-0101" in messages[9] and "日期重叠" in messages[9]
    assert plan.valid == 1 and len(plan.rows) == 6  # the blank row is skipped
    assert plan.warnings == []
    first = plan.rows[0].values
    assert (first["id_number"], first["phone"], first["sex"]) == (people[0], "13812345678", "F")
    assert plan.rows[1].values["id_number"] == x_id()
    with pytest.raises(RuleViolation, match="未导入任何数据"):
        apply_import(db, plan)
    assert rosters.list_participants(db, target.id) == []
    result = apply_import(db, plan, skip_invalid=True)
    assert (result.added, result.removed, result.changed) == (1, 0, 0)
    assert sorted(p.name for p in rosters.list_participants(db, target.id)) == ["李强"]


def test_gbk_csv_through_the_cli(setup, tmp_path: Path, capsys) -> None:
    db, _target, other = setup
    people = ids(5)
    rosters.add_participant(db, other.id, rosters.ParticipantInput("赵敏", people[4]))
    rows = messy_rows(people, people[4])
    path = tmp_path / "名单.csv"
    path.write_bytes(
        "\n".join(",".join("" if c is None else str(c) for c in row) for row in rows).encode("gbk")
    )
    code = cli_main(["--db", db.url, "roster", "import", "L2021-0100", str(path), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["written"] is False
    assert report["rows"] == 6 and report["valid"] == 1
    # the number written by Excel arrives in a CSV as plain digits: wrong check character or lost digits
    assert {(e["row"], e["field"]) for e in report["errors"]} == {
        (4, "id_number"),
        (6, "id_number"),
        (8, "id_number"),
        (9, "id_number"),
        (10, "phone"),
    }
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM participant WHERE batch_id = 1")).scalar() == 0
    code = cli_main(["--db", db.url, "roster", "import", "L2021-0100", str(path), "--skip-invalid", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["written"] is True and report["added"] == 1


def test_amended_list_applies_the_difference(setup, tmp_path: Path) -> None:
    db, target, _other = setup
    people = ids(4)
    first = [["姓名", "身份证号", "手机"]] + [
        [f"职工{i}", n, f"1381234{5670 + i}"] for i, n in enumerate(people[:3])
    ]
    apply_import(db, plan_import(db, "L2021-0100", write_xlsx(tmp_path / "a.xlsx", first)))
    amended = [
        ["姓名", "身份证号", "手机"],
        ["职工0", people[0], "13812345670"],
        ["职工1", people[1], "13900000000"],
        ["职工3", people[3], "13812345673"],
    ]
    plan = plan_import(db, "L2021-0100", write_xlsx(tmp_path / "b.xlsx", amended))
    assert (plan.added, plan.removed, plan.changed) == tuple([k] for k in keys(db, *people[3:0:-1]))
    with pytest.raises(RuleViolation, match="删除 1 人（职工2）") as refused:
        apply_import(db, plan, reason="职工2 临时有事，由职工3 替换")  # a removal needs consent
    assert "--allow-removals" in refused.value.message
    with pytest.raises(RuleViolation, match="原因"):
        apply_import(db, plan, allow_removals=True)  # … and a reason
    assert len(rosters.list_participants(db, target.id)) == 3  # nothing was written
    apply_import(db, plan, allow_removals=True, reason="职工2 临时有事，由职工3 替换")
    stored = stored_numbers(db, target.id)
    roster = {stored[p.id][0]: p for p in rosters.list_participants(db, target.id)}
    assert (
        set(roster) == {people[0], people[1], people[3]} and stored[roster[people[1]].id][1] == "13900000000"
    )
    with db.engine.connect() as conn:
        reason = conn.execute(text("SELECT old FROM audit_log WHERE field = 'substitution'")).scalar()
    assert reason == "职工2 临时有事，由职工3 替换"
    with pytest.raises(RuleViolation, match="重新读取"):
        apply_import(db, plan, allow_removals=True, reason="再次")  # the same plan again: the roster changed
    # a list without the phone column changes nobody's phone
    no_phones = [["姓名", "身份证号"], ["职工0", people[0]], ["职工1", people[1]], ["职工3", people[3]]]
    plan = plan_import(db, "L2021-0100", write_xlsx(tmp_path / "c.xlsx", no_phones))
    assert (plan.added, plan.removed, plan.changed) == ([], [], [])


def test_export_with_full_ids_reads_back_unchanged(demo_db: Database, tmp_path: Path, capsys) -> None:
    path = tmp_path / "roster.xlsx"
    assert (
        cli_main(["--db", demo_db.url, "roster", "export", "L2021-0100", "-o", str(path), "--full-ids"]) == 0
    )
    capsys.readouterr()
    book = openpyxl.load_workbook(path)
    sheet = book["名单"]
    assert sheet.freeze_panes == "A3" and sheet["D3"].data_type == "s" and len(sheet["D3"].value) == 18
    assert cli_main(["--db", demo_db.url, "roster", "import", "L2021-0100", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["added"], report["removed"], report["changed"], report["errors"]) == (0, 0, 0, [])
    with demo_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log WHERE field = 'full_ids'")).scalar() == 1
    masked = tmp_path / "masked.xlsx"
    assert cli_main(["--db", demo_db.url, "roster", "export", "L2021-0100", "-o", str(masked)]) == 0
    assert "********" in openpyxl.load_workbook(masked)["名单"]["D3"].value


def test_files_that_are_not_rosters(setup, tmp_path: Path) -> None:
    db, *_ = setup
    fake = tmp_path / "名单.xlsx"
    fake.write_text("姓名,身份证号\n王芳,1", encoding="utf-8")
    with pytest.raises(ValidationError, match="不是这种文件"):
        read_sheets(fake)
    empty = write_xlsx(tmp_path / "empty.xlsx", [["编号", "金额"], [1, 2]])
    with pytest.raises(ValidationError, match="找不到名单的标题行"):
        plan_import(db, "L2021-0100", empty)
    with pytest.raises(ValidationError, match="找不到编号为 L9999"):
        plan_import(db, "L9999-0001", write_xlsx(tmp_path / "ok.xlsx", [["姓名", "身份证号"]]))


cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.booleans(),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cells, max_size=8), max_size=15))
def test_malformed_rows_only_ever_give_row_findings(rows: list[list[object]]) -> None:
    # A first row of data under the header: a generated row of header words (姓名 over 职工姓名) is a
    # legitimate two-row header, which is not what this property is about.
    first = ["王芳", with_check_character("33018219800101002"), "13900000000", "女", ""]
    sheet = Sheet("名单", [["姓名", "身份证号", "手机", "性别", "备注"], first, *rows])
    layout = detect_layout([sheet])
    assert layout == Layout("名单", 0, {"name": 0, "id_number": 1, "phone": 2, "sex": 3, "notes": 4})
    for row in check_rows(sheet, layout):
        assert all(p.row >= 2 and p.message for p in row.errors + row.warnings)


def test_sex_given_against_the_id_number_is_a_warning() -> None:
    woman = with_check_character("33018219800101002")  # 17th digit even: a woman
    sheet = Sheet(
        "名单",
        [["姓名", "性别", "身份证号"], ["王芳", "男", woman], ["李娜", "女", woman.replace("1002", "1004")]],
    )
    rows = check_rows(sheet, detect_layout([sheet]))
    assert [(p.row, p.field) for p in rows[0].warnings] == [(2, "sex")]
    assert "身份证号表明是“女”" in rows[0].warnings[0].message
