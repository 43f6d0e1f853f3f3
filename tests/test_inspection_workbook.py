"""The inspection checklist as a workbook: exported and read back with no change, a blank form made into a new
inspection, a checklist filled by hand (title rows, merged cells, headings, marks, notes) read with hand-counted
results, bad values named at their sheet, row and column with nothing written, and the command line — on both
databases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlmodel import func, select

from recuperation.cli import main
from recuperation.errors import NotFoundError, RuleViolation, StaleEditError, ValidationError
from recuperation.inspection_workbook import apply_checklist, export_checklist, plan_checklist
from recuperation.models import Inspection
from recuperation.services import bases, inspections
from recuperation.services.inspections import InspectionInput, ResultInput
from recuperation.storage.database import Database

D = dt.date


def _inspections(db: Database) -> int:
    with db.session() as session:
        return int(session.exec(select(func.count()).select_from(Inspection)).one())


def _base(db: Database, name: str = "寿昌宾馆") -> bases.BaseRow:
    return bases.create_base(db, bases.BaseInput(name=name, beds=80))


def _filled(db: Database) -> tuple[bases.BaseRow, inspections.InspectionRow]:
    inspections.load_default_clauses(db)
    base = _base(db)
    row = inspections.start_inspection(
        db,
        InspectionInput(
            base.id,
            "site_inspection",
            D(2024, 5, 12),
            "张敏、李强",
            conclusion="基本符合。\n限期整改 3.5、5.2。",
        ),
    )
    row = inspections.record_results(
        db,
        row.id,
        row.version,
        [
            ResultInput("1.1", "met"),
            ResultInput("3.5", "not_met", "AED 尚未配备；已购置，待安装", D(2024, 5, 13)),
            ResultInput("5.2", "not_met", "旺季疏导预案未成文\n已要求一个月内补齐", D(2024, 5, 13)),
            ResultInput("6.6", "na", "基地不接待清真团队"),
            ResultInput("4.3", None, "健身房在装修，下次再看"),  # a note, not yet checked
        ],
    )
    return base, row


def test_an_exported_checklist_imports_back_with_no_change(db: Database, tmp_path: Path) -> None:
    _base_row, row = _filled(db)
    path = tmp_path / "检查表.xlsx"
    made = export_checklist(db, "寿昌宾馆", path, inspection_id=row.id)
    assert (made.rows, made.inspection_id) == (33, row.id)
    sheet = openpyxl.load_workbook(path)["检查表"]
    assert sheet["A1"].value == "疗休养基地实地考察检查表"
    assert (sheet["B2"].value, sheet["F2"].value, sheet["B3"].value) == ("寿昌宾馆", str(row.id), "实地考察")
    assert sheet["F3"].value == dt.datetime(2024, 5, 12)
    assert [c.value for c in sheet[7]] == ["编号", "要素", "要求", "应/宜", "结果", "说明", "检查日期"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=8, values_only=True)}
    assert rows["3.5"][1:2] + rows["3.5"][3:] == (
        "基础设施",
        "应",
        "不符合",
        "AED 尚未配备；已购置，待安装",
        dt.datetime(2024, 5, 13),
    )
    assert rows["6.6"][4:] == ("不适用", "基地不接待清真团队", dt.datetime(2024, 5, 12))
    assert rows["4.3"][4:] == (None, "健身房在装修，下次再看", None)
    rules = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert rules["E8:E40"] == '"符合,不符合,不适用"' and rules["B3"] == '"实地考察,复核,日常检查"'

    plan = plan_checklist(db, "寿昌宾馆", path)
    assert plan.problems == []
    assert (plan.inspection_id, plan.status, plan.header_changes) == (row.id, "unchanged", [])
    assert (len(plan.items), plan.changed, plan.unchanged) == (33, 0, 33)
    assert plan.counts() == {"met": 1, "not_met": 2, "na": 1}
    result = apply_checklist(db, plan)
    after = inspections.get_inspection(db, row.id)
    assert (result.changed, after.version, after.items) == (0, row.version, row.items)
    assert after.conclusion == "基本符合。\n限期整改 3.5、5.2。"

    # changed in the file: two results, a note and the inspectors; written as one change
    book = openpyxl.load_workbook(path)
    sheet = book["检查表"]
    for cells in sheet.iter_rows(min_row=8):
        if cells[0].value == "3.5":
            cells[4].value, cells[5].value = "符合", "已安装，复查合格"
        if cells[0].value == "1.1":
            cells[4].value = None  # cleared: not checked after all
    sheet["B4"].value = "张敏、李强、周涛"
    book.save(path)
    plan = plan_checklist(db, "寿昌宾馆", path)
    assert plan.problems == [] and plan.status == "changed"
    assert (plan.changed, plan.header_changes) == (2, ["inspectors"])
    apply_checklist(db, plan)
    after = inspections.get_inspection(db, row.id)
    items = {i.code: i for i in after.items}
    assert (items["3.5"].result, items["3.5"].note, items["3.5"].checked_on) == (
        "met",
        "已安装，复查合格",
        D(2024, 5, 13),
    )
    assert (items["1.1"].result, items["1.1"].checked_on) == (None, D(2024, 5, 12))
    assert after.inspectors == "张敏、李强、周涛" and (after.met, after.not_met, after.na) == (1, 1, 1)

    # the preview is stale once another desk saved the inspection
    sheet = book["检查表"]
    sheet["B4"].value = "张敏"
    book.save(path)
    plan = plan_checklist(db, "寿昌宾馆", path)
    inspections.record_results(db, row.id, after.version, [ResultInput("1.1", "met")])
    with pytest.raises(StaleEditError):
        apply_checklist(db, plan)


def test_a_blank_form_becomes_a_new_inspection(db: Database, tmp_path: Path) -> None:
    inspections.load_default_clauses(db)
    base = _base(db)
    path = tmp_path / "空白.xlsx"
    made = export_checklist(db, "寿昌宾馆", path, kind="recheck", on_date=D(2024, 6, 3), inspectors="周涛")
    assert (made.rows, made.inspection_id) == (33, None)
    sheet = openpyxl.load_workbook(path)["检查表"]
    assert (sheet["A1"].value, sheet["F2"].value, sheet["B3"].value) == ("疗休养基地复核检查表", None, "复核")
    plan = plan_checklist(db, "寿昌宾馆", path)
    assert plan.problems == [] and (plan.status, plan.changed, plan.unchanged) == ("new", 0, 33)
    result = apply_checklist(db, plan)
    row = inspections.get_inspection(db, result.inspection_id)
    assert (row.base_id, row.kind, row.on_date, row.inspectors, row.total, row.unchecked) == (
        base.id,
        "recheck",
        D(2024, 6, 3),
        "周涛",
        33,
        33,
    )
    # a blank form without kind and date needs them from the command line
    bare = tmp_path / "无类型.xlsx"
    export_checklist(db, "寿昌宾馆", bare)
    plan = plan_checklist(db, "寿昌宾馆", bare)
    assert sorted(p.field for p in plan.problems) == ["kind", "on_date"]
    with pytest.raises(RuleViolation):
        apply_checklist(db, plan)
    plan = plan_checklist(db, "寿昌宾馆", bare, kind="routine", on_date=D(2024, 7, 1))
    assert plan.problems == [] and plan.status == "new"
    # the file and the command line disagree: said at the header's cell
    plan = plan_checklist(db, "寿昌宾馆", path, kind="routine", on_date=D(2024, 6, 3))
    assert [(p.row, p.column, p.field) for p in plan.problems] == [(3, "考察类型", "kind")]


def _hand_made(path: Path) -> None:
    """A checklist as an office types it: a two-line title merged across, the facts in one cell each (基地：…),
    element headings merged across the table, the element merged down its rows, marks for results, a number
    cell for one clause, notes over two lines, a date without its year, a blank line."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "5月考察"
    sheet["A1"] = "建德市总工会"
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "职工疗休养基地实地考察记录表"
    sheet.merge_cells("A2:F2")
    sheet["A3"] = "基地：寿昌宾馆"
    sheet["C3"] = "考察日期：2024年5月12日"
    sheet["A4"] = "考察人员"
    sheet["B4"] = "张敏、李强"
    sheet.merge_cells("B4:D4")
    sheet["E4"] = "类型"  # not a label the reader knows: passed over
    sheet.append([])
    sheet.append(["条款编号", "评价要素", "检查内容", "评定", "情况说明", "日期"])  # row 6
    rows: list[list[Any]] = [
        ["一、基础设施"],  # row 7: a heading, merged across
        ["3.4", "基础设施", "医务室", "√", "医生 1 名\n护士 2 名", None],
        ["3.5", None, "AED", "×", "未配备", "5月13日"],
        ["3.6", None, "多媒体", "/", None, None],
        ["二、安全保障"],  # row 11
        [5.2, "安全保障", "总量控制", "不符合", "旺季预案未成文", "2024-05-13"],
        ["5.3", None, "医院", "符合", None, None],
        ["5.4", None, "送医", None, None, None],  # not checked yet
        [],
        ["6.6", "服务质量", "清真", "不适用", "不接待清真团队", None],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A7:F7")
    sheet.merge_cells("B8:B10")
    sheet.merge_cells("A11:F11")
    sheet.merge_cells("B12:B14")
    book.save(path)


def test_a_checklist_filled_by_hand_is_read_as_written(db: Database, tmp_path: Path) -> None:
    inspections.load_default_clauses(db)
    _base(db)
    path = tmp_path / "手填.xlsx"
    _hand_made(path)
    plan = plan_checklist(db, "寿昌宾馆", path, kind="site_inspection")
    assert plan.problems == []
    assert plan.header is not None
    assert (plan.header.kind, plan.header.on_date, plan.header.inspectors) == (
        "site_inspection",
        D(2024, 5, 12),
        "张敏、李强",
    )
    read = {i.code: (i.row, i.result, i.note, i.checked_on) for i in plan.items}
    assert read == {
        "3.4": (8, "met", "医生 1 名\n护士 2 名", D(2024, 5, 12)),
        "3.5": (9, "not_met", "未配备", D(2024, 5, 13)),
        "3.6": (10, "na", "", D(2024, 5, 12)),
        "5.2": (12, "not_met", "旺季预案未成文", D(2024, 5, 13)),
        "5.3": (13, "met", "", D(2024, 5, 12)),
        "5.4": (14, None, "", None),
        "6.6": (16, "na", "不接待清真团队", D(2024, 5, 12)),
    }
    result = apply_checklist(db, plan)
    row = inspections.get_inspection(db, result.inspection_id)
    # hand-counted: met 3.4 5.3; not met 3.5 5.2 (both shall); na 3.6 6.6; the other 27 unchecked
    assert (row.total, row.met, row.not_met, row.na, row.unchecked) == (33, 2, 2, 2, 27)
    assert [i.code for i in row.shall_not_met] == ["3.5", "5.2"]
    assert result.changed == 6


def test_bad_values_are_named_and_nothing_is_written(db: Database, tmp_path: Path) -> None:
    _base_row, row = _filled(db)
    other = _base(db, "江滨宾馆")
    elsewhere = inspections.start_inspection(db, InspectionInput(other.id, "routine", D(2024, 5, 1)))
    path = tmp_path / "错误.xlsx"
    export_checklist(db, "寿昌宾馆", path, inspection_id=row.id)
    book = openpyxl.load_workbook(path)
    sheet = book["检查表"]
    by_code = {cells[0].value: cells for cells in sheet.iter_rows(min_row=8)}
    by_code["1.2"][4].value = "好"  # row 9
    by_code["1.3"][6].value = "昨天"  # row 10
    by_code["2.1"][4].value = "符合"
    by_code["2.1"][6].value = dt.datetime(2024, 5, 1)  # row 11: before the inspection
    by_code["2.2"][0].value = "9.9"  # row 12: no such clause, with a result
    by_code["2.2"][4].value = "符合"
    by_code["2.3"][0].value = "1.1"  # row 13: 1.1 again
    by_code["2.3"][4].value = "符合"
    by_code["2.4"][0].value = "9.8"  # row 14: no such clause, nothing in it: passed over
    book.save(path)
    before = inspections.get_inspection(db, row.id)
    plan = plan_checklist(db, "寿昌宾馆", path)
    found = [(p.sheet, p.row, p.column) for p in plan.problems]
    assert found == [
        ("检查表", 9, "结果"),
        ("检查表", 10, "检查日期"),
        ("检查表", 11, "检查日期"),
        ("检查表", 12, "编号"),
        ("检查表", 13, "编号"),
    ]
    messages = [p.message for p in plan.problems]
    assert "“好”" in messages[0] and "符合、不符合、不适用" in messages[0]
    assert "2024-05-01" in messages[2] and "2024-05-12" in messages[2]
    assert "9.9" in messages[3]
    assert "第 8 行" in messages[4]
    assert plan.status == ""
    with pytest.raises(RuleViolation):
        apply_checklist(db, plan)
    assert inspections.get_inspection(db, row.id) == before

    # the file names another base's inspection, or is another base's checklist
    sheet["F2"].value = str(elsewhere.id)
    book.save(path)
    plan = plan_checklist(db, "寿昌宾馆", path)
    assert (plan.problems[0].row, plan.problems[0].column) == (2, "考察编号")
    sheet["F2"].value = str(row.id)
    book.save(path)
    plan = plan_checklist(db, "江滨宾馆", path)
    assert [(p.row, p.column) for p in plan.problems][:2] == [(2, "基地"), (2, "考察编号")]
    assert "寿昌宾馆" in plan.problems[0].message
    with pytest.raises(NotFoundError):
        plan_checklist(db, "没有这个基地", path)

    # not a checklist at all
    other_file = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号"])
    book.save(other_file)
    with pytest.raises(ValidationError) as refused:
        plan_checklist(db, "寿昌宾馆", other_file)
    assert "编号" in refused.value.message and "结果" in refused.value.message
    assert _inspections(db) == 2


# -- the command line ---------------------------------------------------------------------------------------------


def _run(capsys: Any, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_command_line(db: Database, tmp_path: Path, capsys: Any) -> None:
    url = db.url
    code, _out, err = _run(capsys, "--db", url, "clauses", "load-default")
    assert code == 0 and "新增 33 条" in err
    code, _out, err = _run(capsys, "--db", url, "clauses", "load-default")
    assert code == 0 and "新增 0 条" in err and "已有 33 条" in err
    code, out, _err = _run(capsys, "--db", url, "clauses", "list", "--json")
    listed = json.loads(out)
    assert len(listed) == 33 and listed[0]["code"] == "1.1" and listed[0]["element"] == "concept"
    code, out, err = _run(capsys, "--db", url, "clauses", "list")
    assert out.splitlines()[0].split("\t") == ["标准", "编号", "要素", "应/宜", "启用", "要求"]
    assert "33 条条款" in err

    _base(db)
    blank = tmp_path / "blank.xlsx"
    code, _out, err = _run(
        capsys,
        "--db",
        url,
        "export",
        "checklist",
        "寿昌宾馆",
        "-o",
        str(blank),
        "--kind",
        "复核",
        "--date",
        "2024-06-03",
    )
    assert code == 0 and "空白检查表（33 条）" in err
    book = openpyxl.load_workbook(blank)
    sheet = book["检查表"]
    for cells in sheet.iter_rows(min_row=8):
        if cells[0].value in ("5.2", "5.3"):
            cells[4].value = "符合"
    book.save(blank)
    code, out, err = _run(capsys, "--db", url, "inspect", "寿昌宾馆", str(blank), "--dry-run", "--json")
    report = json.loads(out)
    assert code == 0 and (report["status"], report["written"], report["changed"]) == ("new", False, 2)
    assert "未写入" in err and _inspections(db) == 0
    code, out, err = _run(capsys, "--db", url, "inspect", "寿昌宾馆", str(blank))
    assert code == 0 and "已写入考察 #" in err and "符合 2" in err
    row = inspections.inspections_of(db, inspections.base_id_of(db, "寿昌宾馆"))[0]
    assert (row.kind, row.met) == ("recheck", 2)

    filled = tmp_path / "filled.xlsx"
    code, _out, err = _run(
        capsys, "--db", url, "export", "checklist", "寿昌宾馆", "-o", str(filled), "--inspection", str(row.id)
    )
    assert code == 0 and f"考察 #{row.id}" in err
    code, _out, err = _run(capsys, "--db", url, "inspect", "寿昌宾馆", str(filled))
    assert code == 0 and "没有要写入的修改" in err

    book = openpyxl.load_workbook(filled)
    book["检查表"]["E8"].value = "大概"
    book.save(filled)
    code, out, err = _run(capsys, "--db", url, "inspect", "寿昌宾馆", str(filled))
    assert code == 1 and out.split("\t")[:3] == ["检查表", "8", "结果"] and "未写入" in err
    code, _out, err = _run(capsys, "--db", url, "inspect", "寿昌宾馆", str(filled), "--kind", "visit")
    assert code == 2 and "visit" in err
    code, _out, err = _run(
        capsys, "--db", url, "export", "checklist", "无此基地", "-o", str(tmp_path / "x.xlsx")
    )
    assert code == 1 and "无此基地" in err
