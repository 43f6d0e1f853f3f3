"""The roster request (名单报送表, issue 21): the workbook sent to the partner comes back and imports as it is.

The request is filled here as a partner would fill it (openpyxl: names, ID numbers as text, some companions,
an ID number the length check would have stopped in Excel, one stored as a number by another tool, an empty
row in the middle) and read back with the roster import's own plan, with no mapping step.  The LibreOffice
round trip (slow) saves the filled request again with ``soffice --headless --convert-to xlsx``: the data
validations survive and the file still imports.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from recuperation import messages
from recuperation.cli import main as cli_main
from recuperation.errors import ValidationError
from recuperation.people import mask_id
from recuperation.roster_request import CATEGORIES, COLUMNS, roster_request
from recuperation.services.batch import batches, rosters
from recuperation.services.batch.roster_import import apply_import, plan_import
from recuperation.storage.database import Database
from tests.factories import certified_base, keys, partner, person_id, stored_numbers

D = dt.date
#: Where the header row stands: the title, five facts, the note, a blank line (0-based 8, row 9 in Excel).
HEADER_ROW = 9


@pytest.fixture
def desk(db: Database) -> Database:
    """Two planned batches of one partner (the first lodged at a base) and a cancelled one."""
    p = partner(db, "宁波大学")
    base = certified_base(db, "寿昌宾馆")
    nights = tuple(batches.LodgingInput(base.id, D(2021, 5, 12) + dt.timedelta(days=i), 6) for i in range(2))
    batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 14), 6, code="L2021-0100", lodging=nights)
    )
    batches.create_batch(db, batches.BatchInput(p.id, D(2021, 6, 2), D(2021, 6, 4), 3, code="L2021-0101"))
    gone = batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 7, 2), D(2021, 7, 4), 3, code="L2021-0102")
    )
    batches.set_status(db, gone.id, gone.version, "cancelled", "对方取消")
    return db


def _column(field: str) -> int:
    """The 1-based column of a field in the request."""
    return next(i for i, (f, _h, _m) in enumerate(COLUMNS, start=1) if f == field)


def _sex(number: str) -> str:
    return "男" if int(number[16]) % 2 else "女"


def _fill(sheet, rows: list[dict[str, object]]) -> None:
    """Write rows below the header as a partner would; a row of None is left empty."""
    for offset, values in enumerate(rows, start=HEADER_ROW + 1):
        for field, value in values.items():
            sheet.cell(offset, _column(field), value)


def _person(n: int, name: str, **more: object) -> dict[str, object]:
    number = person_id(n)
    return {
        "name": name,
        "id_number": number,
        "sex": _sex(number),
        "phone": f"1381234{n:04d}",
        "employer": "宁波大学",
        "category": "一线职工",
        **more,
    }


#: What the partner sends for L2021-0100: four good rows (two companions), an empty row, a wrong ID number,
#: an ID number another tool stored as a number.
WRONG_ID = person_id(5)[:17]
FILLED = [
    _person(1, "王芳", model_worker="是"),
    _person(2, "李强", companion="是", department="后勤处"),
    {},  # the empty row in the middle
    _person(3, "张伟"),
    _person(4, "赵敏", companion="是", category="教职工"),  # a category of the partner's own
    {**_person(5, "陈静"), "id_number": WRONG_ID},
    {**_person(6, "刘洋"), "id_number": int(person_id(6))},
]


def _filled_request(db: Database, path: Path) -> Path:
    roster_request(db, ["L2021-0100"], path)
    book = openpyxl.load_workbook(path)
    _fill(book.worksheets[0], FILLED)
    book.save(path)
    return path


def test_the_request_has_the_facts_the_header_the_validations_and_protection(desk: Database, tmp_path: Path):
    result = roster_request(desk, ["L2021-0100"], tmp_path / "名单报送表")
    assert result.path == tmp_path / "名单报送表.xlsx"
    assert (result.batches, result.rows, result.rostered) == (1, 6, ())
    book = openpyxl.load_workbook(result.path)
    assert book.sheetnames == ["L2021-0100 5月12日", "说明"]
    sheet = book.worksheets[0]
    facts = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(2, 7)}
    assert facts == {
        "批次编号": "L2021-0100",
        "合作单位": "宁波大学",
        "日期": "2021-05-12 至 2021-05-14（3 天）",
        "住宿基地": "寿昌宾馆",
        "名额": "6 人",
    }
    header = [c.value for c in sheet[HEADER_ROW]]
    assert header == [h + (" *" if must else "") for _f, h, must in COLUMNS]
    assert "随行家属" in header and "房间" not in header
    # six prepared rows: text, unlocked, under a protected header
    first, last = HEADER_ROW + 1, HEADER_ROW + 6
    id_cell = sheet.cell(first, _column("id_number"))
    assert id_cell.number_format == "@" and id_cell.protection.locked is False
    assert sheet.cell(last, _column("phone")).number_format == "@"
    assert sheet.protection.sheet is True
    assert sheet.cell(HEADER_ROW, 1).protection.locked is True
    assert sheet.cell(2, 2).protection.locked is True

    def letter(field: str) -> str:
        return openpyxl.utils.get_column_letter(_column(field))

    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert set(rules) == {
        f"{letter(f)}{first}:{letter(f)}{last}"
        for f in ("id_number", "sex", "phone", "category", "model_worker", "companion")
    }

    def rule(field: str):
        return rules[f"{letter(field)}{first}:{letter(field)}{last}"]

    assert (rule("sex").type, rule("sex").formula1) == ("list", '"男,女"')
    assert (rule("category").type, rule("category").formula1) == ("list", '"' + ",".join(CATEGORIES) + '"')
    assert rule("category").errorStyle == "warning"  # another category is still accepted
    for yes_no in ("model_worker", "companion"):
        assert (rule(yes_no).type, rule(yes_no).formula1) == ("list", '"是,否"')
    assert (rule("id_number").type, rule("id_number").operator, rule("id_number").formula1) == (
        "textLength",
        "equal",
        "18",
    )
    assert rule("phone").type == "custom"
    assert f"LEN({letter('phone')}{first})=11" in rule("phone").formula1
    notes = [c.value for c in book["说明"]["A"] if c.value]
    assert "随行家属" in notes and any("插入行" in n for n in notes)


def test_a_request_filled_in_as_a_partner_would_imports_with_no_mapping(desk: Database, tmp_path: Path):
    path = _filled_request(desk, tmp_path / "request.xlsx")
    plan = plan_import(desk, "L2021-0100", path)
    assert plan.layout.sheet == "L2021-0100 5月12日"
    assert plan.layout.header_row == HEADER_ROW - 1
    assert {"name", "id_number", "sex", "phone", "category", "model_worker", "companion"} <= set(
        plan.layout.columns
    )
    # the empty row is skipped; the rows keep the numbers the spreadsheet shows
    assert [(r.row, r.values["name"]) for r in plan.rows] == [
        (10, "王芳"),
        (11, "李强"),
        (13, "张伟"),
        (14, "赵敏"),
        (15, "陈静"),
        (16, "刘洋"),
    ]
    assert plan.warnings == []
    assert [(p.row, p.field) for p in plan.errors] == [(15, "id_number"), (16, "id_number")]
    wrong, as_number = plan.errors
    assert wrong.message == messages.text("id.length", value=mask_id(WRONG_ID), length=17)
    assert "数字" in as_number.message or "number" in as_number.message
    result = apply_import(desk, plan, skip_invalid=True)
    assert (result.added, result.removed, result.changed) == (4, 0, 0)
    batch = batches.find_batch(desk, "L2021-0100")
    assert batch is not None
    people = {p.name: p for p in rosters.list_participants(desk, batch.id)}
    assert sorted(people) == sorted(["王芳", "李强", "张伟", "赵敏"])
    assert {n for n, p in people.items() if p.companion} == {"李强", "赵敏"}
    assert people["王芳"].model_worker and not people["李强"].model_worker
    assert people["李强"].department == "后勤处" and people["赵敏"].category == "教职工"
    assert stored_numbers(desk, batch.id)[people["张伟"].id] == (person_id(3), "13812340003")


def test_the_companion_column_is_compared_and_changed_like_the_others(desk: Database, tmp_path: Path):
    path = tmp_path / "request.xlsx"
    roster_request(desk, ["L2021-0100"], path)
    book = openpyxl.load_workbook(path)
    _fill(book.worksheets[0], [_person(1, "王芳"), _person(2, "李强", companion="是")])
    book.save(path)
    apply_import(desk, plan_import(desk, "L2021-0100", path))
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet.cell(HEADER_ROW + 1, _column("companion"), "是")
    sheet.cell(HEADER_ROW + 2, _column("companion"), "否")
    sheet.cell(HEADER_ROW + 3, _column("companion"), "也许")
    sheet.cell(HEADER_ROW + 3, _column("name"), "张伟")
    sheet.cell(HEADER_ROW + 3, _column("id_number"), person_id(3))
    book.save(path)
    plan = plan_import(desk, "L2021-0100", path)
    assert "companion" in plan.fields
    assert [(r.values["name"], r.result, r.changes) for r in plan.rows] == [
        ("王芳", "changed", ["companion"]),
        ("李强", "changed", ["companion"]),
        ("张伟", "", []),
    ]
    assert [(p.row, p.field) for p in plan.errors] == [(HEADER_ROW + 3, "companion")]
    assert plan.errors[0].message == messages.text("import.bad_flag", label="随行家属", value="也许")


def test_one_request_for_several_batches_imports_each_sheet_into_its_batch(desk: Database, tmp_path: Path):
    path = tmp_path / "request.xlsx"
    result = roster_request(desk, ["L2021-0100", "L2021-0101", "L2021-0100"], path)
    assert (result.batches, result.rows) == (2, 9)  # a code given twice is one sheet
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["L2021-0100 5月12日", "L2021-0101 6月2日", "说明"]
    second = book.worksheets[1]
    assert second.cell(5, 2).value == "待定"  # no base yet
    assert second.cell(6, 2).value == "3 人"
    assert len({str(v.sqref) for v in second.data_validations.dataValidation}) == 6
    _fill(book.worksheets[0], [_person(1, "王芳"), _person(2, "李强", companion="是")])
    _fill(second, [_person(11, "孙丽"), {}, _person(12, "周杰", companion="是"), _person(13, "吴磊")])
    book.save(path)
    expected = {"L2021-0100": ["王芳", "李强"], "L2021-0101": ["孙丽", "周杰", "吴磊"]}
    for code, names in expected.items():
        plan = plan_import(desk, code, path)
        assert plan.layout.sheet.startswith(code)
        assert [r.values["name"] for r in plan.rows] == names and plan.errors == []
        apply_import(desk, plan)
        batch = batches.find_batch(desk, code)
        assert batch is not None
        people = rosters.list_participants(desk, batch.id)
        assert [p.name for p in people] == names
        assert [p.name for p in people if p.companion] == [n for n in names if n in ("李强", "周杰")]
    # a batch the request was not made for finds no sheet of its own: never another batch's
    with pytest.raises(ValidationError) as refused:
        plan_import(desk, "L2021-0102", path)
    assert refused.value.key == "import.no_batch_sheet"


def test_a_batch_with_a_roster_is_named_and_its_request_reads_back_as_removals(
    desk: Database, tmp_path: Path
):
    batch = batches.find_batch(desk, "L2021-0101")
    assert batch is not None
    rosters.add_participant(desk, batch.id, rosters.ParticipantInput("孙丽", person_id(11)))
    result = roster_request(desk, ["L2021-0100", "L2021-0101"], tmp_path / "r.xlsx")
    assert result.rostered == ("L2021-0101",)
    plan = plan_import(desk, "L2021-0101", result.path)  # returned empty: nobody added, 孙丽 would go
    assert (plan.rows, plan.removed) == ([], keys(desk, person_id(11)))


@pytest.mark.parametrize(
    ("codes", "key"),
    [
        ([], "request.no_batches"),
        (["  "], "request.no_batches"),
        (["L2021-0100", "L2099-0001"], "batch.unknown_code"),
        (["L2021-0102"], "request.closed"),
    ],
)
def test_a_request_that_cannot_be_made_is_refused_and_writes_nothing(
    desk: Database, tmp_path: Path, codes: list[str], key: str
):
    with pytest.raises(ValidationError) as refused:
        roster_request(desk, codes, tmp_path / "r.xlsx")
    assert refused.value.key == key
    assert list(tmp_path.glob("r*")) == []


def test_the_command_line_writes_the_request_into_a_file_or_a_folder(
    desk: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "报送表.xlsx"
    assert cli_main(["--db", desk.url, "roster", "request", "L2021-0100", "L2021-0101", "-o", str(path)]) == 0
    assert "9" in capsys.readouterr().err
    assert openpyxl.load_workbook(path).sheetnames == ["L2021-0100 5月12日", "L2021-0101 6月2日", "说明"]
    folder = tmp_path / "out"
    folder.mkdir()
    assert (
        cli_main(["--db", desk.url, "roster", "request", "L2021-0100", "L2021-0101", "-o", str(folder)]) == 0
    )
    assert [p.name for p in folder.iterdir()] == ["L2021-0100等2批-名单报送表.xlsx"]
    assert cli_main(["--db", desk.url, "roster", "request", "L2021-0102", "-o", str(path)]) == 1
    assert "L2021-0102" in capsys.readouterr().err


def _office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(_office() is None, reason="LibreOffice (soffice) is not installed on this machine")
def test_a_request_saved_again_by_libreoffice_keeps_its_validations_and_imports(
    desk: Database, tmp_path: Path
):
    path = _filled_request(desk, tmp_path / "request.xlsx")
    out = tmp_path / "converted"
    office = _office()
    assert office is not None
    done = subprocess.run(
        [
            office,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(tmp_path)},
        check=False,
    )
    converted = out / "request.xlsx"
    assert converted.exists(), done.stdout + done.stderr
    sheet = openpyxl.load_workbook(converted).worksheets[0]
    kinds = sorted(v.type for v in sheet.data_validations.dataValidation)
    assert kinds == ["custom", "list", "list", "list", "list", "textLength"]
    assert sheet.protection.sheet is True
    assert sheet.cell(HEADER_ROW + 1, _column("id_number")).protection.locked is False
    plan = plan_import(desk, "L2021-0100", converted)
    assert [r.values["name"] for r in plan.rows] == ["王芳", "李强", "张伟", "赵敏", "陈静", "刘洋"]
    assert [(p.row, p.field) for p in plan.errors] == [(15, "id_number"), (16, "id_number")]
    assert [r.values["companion"] for r in plan.rows if r.ok] == [False, True, False, True]
    assert apply_import(desk, plan, skip_invalid=True).added == 4


def test_a_request_renamed_by_the_partner_never_fills_another_batch(desk: Database, tmp_path: Path):
    """The sheet's own 批次编号 decides, whatever the partner renamed the sheet to."""
    path = _filled_request(desk, tmp_path / "request.xlsx")
    book = openpyxl.load_workbook(path)
    book.worksheets[0].title = "Sheet1"
    book.save(path)
    with pytest.raises(ValidationError) as refused:
        plan_import(desk, "L2021-0101", path)
    assert refused.value.key == "import.other_batch" and "L2021-0100" in refused.value.message
    assert plan_import(desk, "L2021-0100", path).errors  # its own batch reads it (with the planted errors)
