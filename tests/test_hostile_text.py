"""Hostile codes, names and cells (issue 16, points 4 and 5).

Codes follow a written grammar wherever they are entered; the files the program names stay in their folder
whatever the data holds; text fields refuse control, bidi and zero-width characters from an import exactly
as from a form; a number is never a name; and a message quotes a cell short and printable.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from sqlalchemy import text

from recuperation import messages
from recuperation.cli import main as cli_main
from recuperation.documents import batch_docs
from recuperation.errors import DomainError, ValidationError
from recuperation.filenames import MAX_NAME_BYTES, file_in, inside, safe_file_name
from recuperation.services import bases, partners, routes
from recuperation.services.batch import batches, rosters
from recuperation.services.batch import edit as batch_edit
from recuperation.services.batch.roster_import import plan_import
from recuperation.services.registers import apply_register, plan_register
from recuperation.sheets import read_sheets
from recuperation.storage.database import Database
from recuperation.workbooks import export_partner_year, export_roster, sheet_name
from tests.factories import certified_base, partner, person_id

D = dt.date
RLO_CODE = "L2027-0100\u202egnp.exe"
HOSTILE_CODES = [
    "../../../pwn/evil",
    "/tmp/pwn/evil",
    "A/B",
    "L" + "0" * 299,
    "L2021\x000001",
    RLO_CODE,
]
#: Characters no text field takes, whether typed in a form or read from a file.
INVISIBLE = {
    "ESC": "\x1b[31m",
    "NUL": "\x00",
    "newline": "\n",
    "RLO": "\u202e",
    "ZWSP": "\u200b",
    "BOM": "\ufeff",
    "LRI": "\u2066",
}


def _xlsx(path: Path, rows: list[list[Any]], sheet: str = "Sheet1") -> Path:
    """A workbook written by XlsxWriter, which keeps control characters in cells (openpyxl refuses them)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write(r, c, value)
    book.close()
    return path


def _count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _strings(value: object) -> list[str]:
    """Every text in a JSON document, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _set_code(db: Database, batch_id: int, code: str) -> None:
    """A code an older version of the program could hold: written past the services, as a database keeps it."""
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE batch SET code = :code WHERE id = :id"), {"code": code, "id": batch_id})


# --- (1) codes have a grammar ------------------------------------------------------------------------------


def test_the_codes_of_the_demo_and_of_offices_stay_valid(db: Database) -> None:
    p = partner(db)
    for code in ("L2021-0001", "P2021-0002", "H2021-0003", "XL01_b"):
        row = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 5, code=code))
        assert row.code == code
    # typed with a Chinese input method in full-width mode
    assert (
        batches.create_batch(
            db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 5, code="Ｌ２０２１－９")
        ).code
        == "L2021-9"
    )
    for code in ("XL01", "寿昌古镇休闲线路"):
        assert routes.create_route(db, routes.RouteInput(code, f"线路{code}", "leisure", 2, 1)).code == code
    for number in (
        "JDGH-XY-2019-002",
        "JD-2021-001",
        "JD/2021 001",
        "浙工〔2021〕12号",
        "（2021）杭工字第3号",
    ):
        agreement = partners.create_agreement(
            db, partners.AgreementInput(p.id, number, D(2021, 1, 1), D(2021, 1, 1), D(2021, 12, 31))
        )
        assert agreement.number == number
    certified_base(db, "寿昌宾馆")  # certificate number HZ-寿昌宾馆
    base = bases.create_base(db, bases.BaseInput(name="新安江宾馆", beds=10))
    cert = bases.apply_for_certification(db, base.id, "provincial", D(2019, 8, 1), "王建华")
    for step in ("first_review", "site_inspection"):
        cert = bases.advance_certification(db, cert.id, cert.version, step, D(2019, 10, 1))
    done = bases.advance_certification(
        db,
        cert.id,
        cert.version,
        "certified",
        D(2019, 11, 20),
        certificate_no="ZJLXY-2019-001",
        valid_from=D(2019, 11, 20),
        valid_to=D(2022, 11, 19),
    )
    assert done.certificate_no == "ZJLXY-2019-001"


@pytest.mark.parametrize("code", HOSTILE_CODES)
def test_forms_refuse_a_hostile_code_naming_the_record_the_field_and_what_is_allowed(
    db: Database, code: str
) -> None:
    p = partner(db)
    with pytest.raises(ValidationError) as refused:
        batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 5, code=code))
    assert refused.value.field == "code" and refused.value.message.startswith("批次：编号")
    assert "最多 20 个字符" in refused.value.message
    if len(code) < 100:
        assert "只能由汉字、字母、数字、“-”和“_”" in refused.value.message
    with pytest.raises(ValidationError, match="线路：编号") as refused:
        routes.create_route(db, routes.RouteInput(code, "线路", "leisure", 2, 1))
    assert refused.value.field == "code"
    with pytest.raises(ValidationError, match="合作协议：协议编号") as refused:
        partners.create_agreement(
            db, partners.AgreementInput(p.id, code + "\x00", D(2021, 1, 1), D(2021, 1, 1), D(2021, 12, 31))
        )
    assert refused.value.field == "number"
    for message in (str(refused.value),):
        assert len(message) < 300 and "\x00" not in message and "\u202e" not in message
    assert _count(db, "batch") == 0 and _count(db, "route") == 0 and _count(db, "agreement") == 0


def test_a_hostile_certificate_number_and_a_rename_are_refused(db: Database) -> None:
    p = partner(db)
    base = bases.create_base(db, bases.BaseInput(name="新安江宾馆", beds=10))
    cert = bases.apply_for_certification(db, base.id, "provincial", D(2019, 8, 1), "王建华")
    for step in ("first_review", "site_inspection"):
        cert = bases.advance_certification(db, cert.id, cert.version, step, D(2019, 10, 1))
    with pytest.raises(
        ValidationError, match=re.escape("基地认定：证书编号“../x”含有不允许的字符 “.”")
    ) as refused:
        bases.advance_certification(
            db,
            cert.id,
            cert.version,
            "certified",
            D(2019, 11, 20),
            certificate_no="../x",
            valid_from=D(2019, 11, 20),
            valid_to=D(2022, 11, 19),
        )
    assert refused.value.field == "certificate_no"
    row = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 5))
    data = batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 6, code="A/B")
    with pytest.raises(ValidationError, match="“/”"):
        batch_edit.update_batch(db, row.id, row.version, data)
    assert batches.get_batch(db, row.id).code == row.code


def test_a_code_an_older_version_accepted_is_kept_until_it_is_changed(db: Database) -> None:
    p = partner(db)
    row = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 5))
    _set_code(db, row.id, "2021 第1批")
    old = batches.get_batch(db, row.id)
    kept = batch_edit.update_batch(
        db, row.id, old.version, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 8, code=old.code)
    )
    assert (kept.code, kept.headcount) == ("2021 第1批", 8)
    renamed = batch_edit.update_batch(
        db,
        row.id,
        kept.version,
        batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 8, code="L2021-0001"),
    )
    assert renamed.code == "L2021-0001"


BATCH_HEADER = ["批次编号", "合作单位", "到达日期", "离开日期", "计划人数", "备注"]


def test_a_batch_register_with_hostile_codes_is_refused_row_by_row_and_writes_nothing(
    db: Database, tmp_path: Path
) -> None:
    partner(db)
    rows = [[code, "宁波大学", "2021-05-12", "2021-05-13", 5, ""] for code in HOSTILE_CODES]
    rows.append(
        ["L2021-0001", "宁波大学", "2021-05-12", "2021-05-13", 5, "第一行\n第二行　全角空格，中文标点。"]
    )
    path = _xlsx(tmp_path / "batches.xlsx", [BATCH_HEADER, *rows])
    audit_before = _count(db, "audit_log")
    plan = plan_register(db, "batches", path)
    bad = {p.row: p for p in plan.errors}
    assert sorted(bad) == list(range(2, 2 + len(HOSTILE_CODES)))
    for problem in bad.values():
        assert problem.field == "code" and problem.message.startswith("批次：编号")
        assert len(problem.message) < 300
        assert not messages.INVISIBLE.search(problem.message)
    assert "“.”" in bad[2].message and "“/”" in bad[3].message and "“/”" in bad[4].message
    assert "最多 20 个字符（现有 300 个）" in bad[5].message
    assert "U+0000" in bad[6].message and "U+202E" in bad[7].message
    assert "\\u202e" in bad[7].message  # the code is quoted printable: the override is shown, not obeyed
    assert plan.count("new") == 1
    with pytest.raises(ValidationError, match="6 行错误"):
        apply_register(db, plan)
    assert _count(db, "batch") == 0 and _count(db, "audit_log") == audit_before
    report = json.dumps(plan.report(), ensure_ascii=False)
    assert "\x00" not in report and "\u202e" not in report and len(report) < 8000


def test_registers_of_routes_partners_and_bases_refuse_hostile_codes_and_numbers(
    db: Database, tmp_path: Path
) -> None:
    routes_path = _xlsx(
        tmp_path / "routes.xlsx",
        [
            ["线路编号", "线路名称", "第几天", "活动"],
            ["../XL01", "西迁", 1, "参观"],
            ["XL\u200b02", "古镇", 1, "漫游"],
        ],
    )
    plan = plan_register(db, "routes", routes_path)
    assert [(p.row, p.field) for p in plan.errors] == [(2, "code"), (3, "code")]
    assert "U+200B" in plan.errors[1].message
    partners_path = _xlsx(
        tmp_path / "partners.xlsx",
        [
            ["合作单位", "协议编号", "签订日期", "生效日期", "终止日期"],
            ["宁波大学", "JD/x\x1b[2J", "2021-01-01", "2021-01-01", "2021-12-31"],
        ],
    )
    plan = plan_register(db, "partners", partners_path)
    assert [p.field for p in plan.errors] == ["number"]
    assert "U+001B" in plan.errors[0].message and "\x1b" not in plan.errors[0].message
    bases_path = _xlsx(
        tmp_path / "bases.xlsx",
        [
            ["基地名称", "床位数", "认定级别", "证书编号", "有效期起", "有效期至"],
            ["寿昌宾馆", 80, "杭州市级", "HZ\u202e-001", "2021-01-01", "2023-12-31"],
        ],
    )
    plan = plan_register(db, "bases", bases_path)
    assert [p.field for p in plan.errors] == ["certificate_no"]
    for kind, path in (("routes", routes_path), ("partners", partners_path), ("bases", bases_path)):
        with pytest.raises(ValidationError):
            apply_register(db, plan_register(db, kind, path))
    for table in ("route", "partner", "agreement", "base", "certification"):
        assert _count(db, table) == 0


# --- (2) the files the program names stay in their folder --------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("../../../pwn/evil", "manifest"), "pwn_evil-manifest.pdf"),
        (("/etc/passwd",), "etc_passwd.pdf"),
        (("A/B",), "A_B.pdf"),
        (("C:\\Windows\\evil",), "C_Windows_evil.pdf"),
        (("a\x00b",), "a_b.pdf"),
        ((RLO_CODE, "manifest"), "L2027-0100_gnp.exe-manifest.pdf"),
        (("名\u200b单\ufeff",), "名_单.pdf"),
        (("CON",), "_CON.pdf"),
        (("nul",), "_nul.pdf"),
        (("COM1",), "_COM1.pdf"),
        (("lpt1",), "_lpt1.pdf"),
        (("CON.pdf",), "_CON.pdf.pdf"),
        (("evil. . ",), "evil.pdf"),
        (("..",), "file.pdf"),
        (("",), "file.pdf"),
        (("JD/2021 001",), "JD_2021_001.pdf"),
        (("L2021-0001", "名单"), "L2021-0001-名单.pdf"),
    ],
)
def test_safe_file_names(parts: tuple[str, ...], expected: str) -> None:
    assert safe_file_name(*parts, suffix=".pdf") == expected


def test_a_long_name_is_cut_in_bytes_keeping_its_suffix() -> None:
    name = safe_file_name("甲" * 300, "manifest", suffix=".pdf")
    assert name.endswith(".pdf") and len(name.encode()) <= MAX_NAME_BYTES
    assert name.removesuffix(".pdf").strip("甲") == ""  # cut between characters, never inside one
    assert len(safe_file_name("x" * 1000, suffix=".xlsx").encode()) == MAX_NAME_BYTES
    assert safe_file_name("scan", suffix=".P\x00DF") == "scan.pdf"


def test_inside_refuses_anything_that_leaves_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "print"
    assert inside(folder, "a.pdf") == folder.resolve() / "a.pdf"
    for name in ("..", ".", "", "../a.pdf", "a/b.pdf", "/etc/passwd", str(tmp_path / "x.pdf")):
        with pytest.raises(ValidationError):
            inside(folder, name)
    folder.mkdir()
    os.symlink(tmp_path / "elsewhere.pdf", folder / "link.pdf")
    with pytest.raises(ValidationError, match="之外"):
        inside(folder, "link.pdf")


@pytest.mark.sqlite_only  # codes only an old SQLite file can hold (NUL, over 20 characters)
@pytest.mark.parametrize("code", HOSTILE_CODES)
def test_printing_a_batch_with_a_hostile_code_stays_in_the_print_folder(
    db: Database, tmp_path: Path, code: str
) -> None:
    p = partner(db)
    row = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 1))
    rosters.add_participant(db, row.id, rosters.ParticipantInput("张三", person_id(1)))
    _set_code(db, row.id, code)
    root = tmp_path / "desk" / "data"
    folder = root / "print"
    written = []
    for which, make in (
        ("manifest", batch_docs.print_manifest),
        ("itinerary", batch_docs.print_itinerary),
        ("rooming", batch_docs.print_rooming),
    ):
        target = file_in(folder, code, which, suffix=".pdf")
        assert target.parent == folder.resolve() and len(target.name.encode()) <= MAX_NAME_BYTES
        result = make(db, code, target)
        assert result.path == target and target.read_bytes().startswith(b"%PDF")
        written.append(target)
    roster = export_roster(db, code, file_in(folder, code, "名单", suffix=".xlsx"))
    written.append(roster.path)
    assert {q.resolve() for q in root.rglob("*")} == {folder.resolve(), *written}
    outputs = {q.resolve() for q in tmp_path.rglob("*") if q.suffix in (".pdf", ".xlsx")}
    assert outputs == set(written)
    for pwn in (tmp_path / "pwn", tmp_path / "desk" / "pwn", tmp_path.parent / "pwn"):
        assert not pwn.exists()
    assert not Path("/tmp/pwn/evil-manifest.pdf").exists()


@pytest.mark.sqlite_only  # codes only an old SQLite file can hold (NUL, over 20 characters)
def test_a_partner_workbook_with_hostile_codes_opens_and_names_its_sheets_cleanly(
    db: Database, tmp_path: Path
) -> None:
    p = partner(db)
    for n, code in enumerate(("L2021\x000001", RLO_CODE, "A/B"), start=1):
        row = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, n), D(2021, 5, n + 1), 1))
        rosters.add_participant(db, row.id, rosters.ParticipantInput("张三", person_id(n)))
        _set_code(db, row.id, code)
    path = export_partner_year(
        db, "宁波大学", 2021, tmp_path / safe_file_name("宁波大学", 2021, suffix=".xlsx")
    ).path
    with zipfile.ZipFile(path) as book:
        workbook_xml = book.read("xl/workbook.xml").decode()
    assert "\x00" not in workbook_xml and "\u202e" not in workbook_xml
    names = [s.name for s in read_sheets(path)]
    assert len(names) == 4 and all(not messages.INVISIBLE.search(n) for n in names)
    assert sheet_name("L1\x00\x1b\u202e\u200b2", set()) == "L12"


# --- (3) text fields refuse control, bidi and zero-width characters from imports as from forms ---------------


@pytest.mark.parametrize("what", sorted(INVISIBLE))
def test_forms_refuse_invisible_characters_and_keep_chinese_text(db: Database, what: str) -> None:
    with pytest.raises(ValidationError, match="控制字符（U\\+") as refused:
        partners.create_partner(db, partners.PartnerInput(name=f"坏{INVISIBLE[what]}名"))
    assert refused.value.field == "name"
    kept = partners.create_partner(
        db,
        partners.PartnerInput(
            name="杭州市（西湖区）总工会·办公室", notes="第一行，说明；\n第二行：全角　空格、“引号”。\t制表"
        ),
    )
    assert kept.notes.startswith("第一行")


def _roster_file(path: Path, rows: list[list[Any]]) -> Path:
    return _xlsx(path, [["姓名", "身份证号", "手机", "工作单位", "饮食禁忌", "备注"], *rows], sheet="名单")


@pytest.fixture
def batch_db(db: Database) -> Database:
    p = partner(db)
    batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 5, code="L2021-0001"))
    return db


def test_roster_rows_with_invisible_characters_are_errors_naming_the_field_and_the_character(
    batch_db: Database, tmp_path: Path
) -> None:
    rows: list[list[Any]] = [
        [f"张{INVISIBLE[what]}三", person_id(n), "", "", "", ""]
        for n, what in enumerate(sorted(INVISIBLE), 1)
    ]
    rows.append(["李四", person_id(20), "", "宁波\u202e大学", "不吃\x00辣", "可以\n换行　全角空格，标点。"])
    rows.append(["王五", person_id(21), "", "宁波大学（北仑）", "清真；不吃辣", ""])
    plan = plan_import(batch_db, "L2021-0001", _roster_file(tmp_path / "roster.xlsx", rows))
    by_row: dict[int, list[Any]] = {}
    for p in plan.errors:
        by_row.setdefault(p.row, []).append(p)
    assert sorted(by_row) == list(range(2, 2 + len(INVISIBLE) + 1))
    for n, what in enumerate(sorted(INVISIBLE), 2):
        (problem,) = by_row[n]
        assert problem.field == "name"
        code = f"U+{ord(INVISIBLE[what][0]):04X}"
        assert problem.message == f"姓名含有不可见的控制字符（{code}），请删除后重新导入。"
    lisi = {p.field: p.message for p in by_row[len(INVISIBLE) + 2]}
    assert lisi == {
        "employer": "工作单位含有不可见的控制字符（U+202E），请删除后重新导入。",
        "diet": "饮食禁忌含有不可见的控制字符（U+0000），请删除后重新导入。",
    }
    assert plan.valid == 1


def test_a_number_is_never_a_name(batch_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "formula.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("名单")
    sheet.write_row(0, 0, ["姓名", "身份证号"])
    sheet.write_formula(1, 0, "=VLOOKUP(C2,职工!A:B,2,0)")  # never calculated: cached 0
    sheet.write_string(1, 1, person_id(1))
    sheet.write_string(2, 0, "１２３")
    sheet.write_string(2, 1, person_id(2))
    sheet.write_number(3, 0, 42)
    sheet.write_string(3, 1, person_id(3))
    sheet.write_string(4, 0, "张三1")
    sheet.write_string(4, 1, person_id(4))
    book.close()
    plan = plan_import(batch_db, "L2021-0001", path)
    assert [(p.row, p.field) for p in plan.errors] == [(2, "name"), (3, "name"), (4, "name")]
    assert plan.errors[0].message.startswith("姓名不能是数字（“0”）")
    row = batches.find_batch(batch_db, "L2021-0001")
    assert row is not None
    with pytest.raises(ValidationError, match="姓名不能是数字") as refused:
        rosters.add_participant(batch_db, row.id, rosters.ParticipantInput("0", person_id(5)))
    assert refused.value.field == "name"


@pytest.mark.sqlite_only  # codes only an old SQLite file can hold (NUL, over 20 characters)
def test_the_cli_prints_one_line_per_problem_without_escape_bytes(
    batch_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert batch_db.path is not None
    rows: list[list[Any]] = [
        ["\x1b[2J\x1b[31m张三", person_id(1), "", "", "", ""],
        ["李\n四", person_id(2), "", "", "", ""],
        ["王\u202e五", "1" * 100_000, "", "", "", ""],
        ["赵六", person_id(4), "9" * 100_000, "", "", ""],
        ["钱七", "33018219800101\x1b[0m", "", "", "", ""],
    ]
    path = _roster_file(tmp_path / "hostile.xlsx", rows)
    status = cli_main(["--db", str(batch_db.path), "roster", "import", "L2021-0001", str(path)])
    out, err = capsys.readouterr()
    assert status == 1 and "\x1b" not in out + err and "\u202e" not in out + err
    lines = out.splitlines()
    assert len(lines) == len(plan_import(batch_db, "L2021-0001", path).errors) >= 5
    assert all(line.count("\t") == 3 and len(line) < 300 for line in lines)
    status = cli_main(["--db", str(batch_db.path), "roster", "import", "L2021-0001", str(path), "--json"])
    out, _ = capsys.readouterr()
    assert len(out) < 5000
    assert not any(messages.INVISIBLE.search(s) for s in _strings(json.loads(out)))
    assert _count(batch_db, "participant") == 0


# --- (4) messages quote a cell short and printable ---------------------------------------------------------


def test_a_100000_character_cell_gives_a_short_message(batch_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        f"姓名,身份证号,手机,性别\n张三,{'1' * 100_000},{'9' * 100_000},{'男' * 100_000}\n", "utf-8"
    )
    plan = plan_import(batch_db, "L2021-0001", path)
    assert {p.field for p in plan.errors} >= {"id_number", "phone"}
    for problem in plan.errors + plan.warnings:
        assert len(problem.message) < 300, problem
    assert len(json.dumps(plan.report(), ensure_ascii=False)) < 3000
    register = tmp_path / "batches.csv"
    register.write_text(
        "批次编号,合作单位,到达日期,离开日期,计划人数\n"
        f"L2021-0002,{'宁' * 100_000},{'3' * 100_000},2021-05-13,5\n"
        f"{'L' * 100_000},宁波大学,2021-05-12,2021-05-13,5\n",
        "utf-8",
    )
    reg = plan_register(batch_db, "batches", register)
    assert len(reg.errors) == 2
    assert all(len(p.message) < 300 for p in reg.errors)
    assert len(json.dumps(reg.report(), ensure_ascii=False)) < 3000


def test_shown_and_printable() -> None:
    assert messages.shown("x" * 100_000) == "x" * 59 + "…"
    assert messages.shown("a\x1b[31mb\nc\u202ed") == "a\\u001b[31mb\\u000ac\\u202ed"
    assert len(messages.shown("\x00" * 1000)) <= messages.SHOWN_LENGTH
    assert messages.shown("L2021-0001") == "L2021-0001" and messages.shown(None) == ""
    assert messages.text("import.phone", value="1\x1b" * 1000).count("\\u001b") < 20
    assert (
        messages.text("register.no_base", row=2, name="a\nb")
        == "第 2 行：没有名为“a\\u000ab”的基地，请先导入或新建基地，或改正名称。"
    )


def test_no_domain_error_of_a_hostile_register_carries_a_raw_control_character(
    db: Database, tmp_path: Path
) -> None:
    partner(db)
    cells = ["\x1b[31m", "\x00", "\n", "\u202e", "\u200b"]
    rows = [
        ["L2021-000" + str(n), "宁波大学" + c, "2021-05-1" + c, "2021-05-13", "5" + c]
        for n, c in enumerate(cells)
    ]
    plan = plan_register(db, "batches", _xlsx(tmp_path / "b.xlsx", [BATCH_HEADER[:5], *rows]))
    assert len({p.row for p in plan.errors}) == len(cells)
    for problem in plan.errors:
        assert not messages.INVISIBLE.search(problem.message), problem
    with pytest.raises(DomainError):
        apply_register(db, plan)
