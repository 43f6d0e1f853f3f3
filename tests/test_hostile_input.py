"""Hostile files and text: a clear message, the database unchanged, memory bounded."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import text

from recuperation.errors import DomainError, ValidationError
from recuperation.services import partners
from recuperation.services.batch import batches
from recuperation.services.batch.roster_import import apply_import, plan_import
from recuperation.storage.database import Database
from tests.factories import partner


@pytest.fixture
def batch_db(db: Database) -> Database:
    p = partner(db)
    batches.create_batch(
        db, batches.BatchInput(p.id, dt.date(2021, 5, 12), dt.date(2021, 5, 13), 5, code="L2021-0001")
    )
    return db


def _participants(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM participant")).scalar_one())


cell = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.sampled_from(
        [
            "姓名",
            "身份证号",
            "=1+1",
            "@SUM(A1)",
            "'; DROP TABLE batch; --",
            "\x00\x07",
            "３３０１８２１９８００１０１００１Ｘ",
            "330182198001010011",
            "x" * 500,
        ]
    ),
)
rows = st.lists(st.lists(cell, max_size=8), max_size=12)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rows=rows, header=st.booleans())
def test_fuzzed_workbooks_never_escape(batch_db: Database, tmp_path_factory, rows, header: bool) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "roster.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    if header:
        sheet.append(["姓名", "身份证号", "手机"])
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    book.save(path)
    before = _participants(batch_db)
    try:
        plan = plan_import(batch_db, "L2021-0001", path)
        if plan.errors:
            with pytest.raises(DomainError):
                apply_import(batch_db, plan)
            assert _participants(batch_db) == before
    except DomainError as exc:
        assert exc.message


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    data=st.binary(max_size=2000), encoding=st.sampled_from(["utf-8", "gbk", "utf-16", "latin-1"]), rows=rows
)
def test_fuzzed_csv_and_bytes_never_escape(
    batch_db: Database, tmp_path_factory, data: bytes, encoding: str, rows
) -> None:
    folder = tmp_path_factory.mktemp("fuzzcsv")
    raw = folder / "raw.csv"
    raw.write_bytes(data)
    text_file = folder / "text.csv"
    with text_file.open("w", encoding=encoding, errors="replace", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "身份证号"])
        for row in rows:
            writer.writerow(["" if v is None else str(v).replace("\x00", "") for v in row])
    before = _participants(batch_db)
    for path in (raw, text_file):
        try:
            plan_import(batch_db, "L2021-0001", path)
        except DomainError as exc:
            assert exc.message
    assert _participants(batch_db) == before


def test_a_spreadsheet_bomb_is_refused_without_loading_it(batch_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "姓名"
    book.active["B1"] = "身份证号"
    book.save(path)
    # claim a sheet of a million rows: rewrite the dimension and add a far-away cell
    with zipfile.ZipFile(path) as source:
        files = {name: source.read(name) for name in source.namelist()}
    sheet = files["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace(
        "</sheetData>",
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    files["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, content in files.items():
            target.writestr(name, content)
    with pytest.raises(ValidationError, match="超过 20000 行"):
        plan_import(batch_db, "L2021-0001", path)


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "'; DROP TABLE partner; --", "甲" * 100])
def test_hostile_text_in_forms_is_kept_as_text_or_refused(db: Database, value: str) -> None:
    row = partners.create_partner(db, partners.PartnerInput(name=value))
    assert row.name == value
    assert [p.name for p in partners.list_partners(db)] == [value]


@pytest.mark.parametrize(
    ("value", "words"),
    [("甲" * 101, "最多 100 个字符"), ("坏\x1b名", "控制字符"), ("坏\u202e名", "控制字符")],
)
def test_too_long_or_invisible_characters_are_refused(db: Database, value: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        partners.create_partner(db, partners.PartnerInput(name=value))
    assert partners.list_partners(db) == []


register_cell = st.one_of(
    cell,
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from(
        [
            "宾馆",
            "省级",
            "2021-13-01",
            "3月31日—4月2日",
            "12月30日-1月2日",
            "30张",
            "260元",
            "合计",
            "注：见附件",
            "（示例）x",
            "ＸＬ０１",
            "9" * 30,
            "-5",
            "1e308",
            "2021/3/1 0:00:00",
        ]
    ),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    kind=st.sampled_from(["bases", "partners", "routes", "batches"]),
    rows=st.lists(st.lists(register_cell, max_size=10), max_size=10),
)
def test_fuzzed_registers_give_row_findings_and_change_nothing(
    db: Database, tmp_path_factory, kind: str, rows
) -> None:
    """Whatever a register's cells hold, the preview names rows or refuses the file; a refused import leaves
    the database as it was."""
    from recuperation.services.register_cells import HEADERS
    from recuperation.services.registers import apply_register, plan_register

    path = tmp_path_factory.mktemp("fuzzreg") / f"{kind}.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([variants[0] for variants in list(HEADERS[kind].values())[:10]])
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    book.save(path)
    with db.engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
    try:
        plan = plan_register(db, kind, path)
    except DomainError as exc:
        assert exc.message
        return
    assert all(p.message for p in plan.errors)
    if plan.errors:
        with pytest.raises(DomainError):
            apply_register(db, plan)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == before
