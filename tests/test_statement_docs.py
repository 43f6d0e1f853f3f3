"""The partner's annual statement as a PDF and as a workbook, from the command line: the text names the partner,
the batches and the hand-computed totals; the workbook reads back to the same fen, codes as text, amounts as
numbers with two decimals; an unknown partner or an empty year is refused and nothing is written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from recuperation.cli import main
from recuperation.documents.fonts import find_font
from recuperation.documents.pdf import grid
from recuperation.documents.statement_docs import (
    MONEY_COLUMNS,
    PADDING,
    SIZE,
    WIDTHS,
    batch_rows,
    write_statement,
)
from recuperation.money import parse_yuan
from recuperation.services import charges
from recuperation.statement_workbook import HEADERS, MONEY, TITLE_ROWS
from recuperation.storage.database import Database
from tests.test_charges import Year, build_year


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def year(db: Database) -> Year:
    return build_year(db)


def test_print_statement_names_the_partner_the_batches_and_the_totals(
    db: Database, year: Year, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "宁波大学2021对账单.pdf"
    code, _out, err = run(
        capsys, "--db", db.url, "print", "statement", "宁波大学", "--year", "2021", "-o", str(target)
    )
    assert code == 0, err
    assert str(target) in err
    text = pdf_text(target)
    assert "2021年度职工疗休养对账单" in text and "宁波大学" in text and "建德市总工会" in text
    for key in ("P1", "C1", "C2", "N1", "X1"):
        assert year.codes[key] in text
    # the lines and the totals computed by hand (test_charges): owed 7,170.00 of 8,220.00 less 1,050.00
    for amount in (
        "5,250.00",
        "4,200.00",
        "2,250.00",
        "720.00",
        "8,220.00",
        "1,050.00",
        "7,170.00",
        "1,980.00",
    ):
        assert amount in text, amount
    assert "未知" in text and "另有 2 个批次金额未知" in text
    assert "没有填写单价" in text and "没有对应的合作协议" in text  # the findings, in Chinese
    assert "NB-2021-价" in text and "50%" in text  # the agreement and its credit in the rules
    assert "经办人签字" in text and "（盖章）" in text


def test_export_statement_reads_back_to_the_fen(db: Database, year: Year, tmp_path: Path, capsys) -> None:
    target = tmp_path / "statement.xlsx"
    code, _out, err = run(
        capsys, "--db", db.url, "export", "statement", "宁波大学", "--year", "2021", "-o", str(target)
    )
    assert code == 0, err
    assert "5 个批次" in err
    sheet = openpyxl.load_workbook(target)["对账单"]
    header = [c.value for c in sheet[TITLE_ROWS + 1]]
    assert tuple(header) == HEADERS
    col = {h: i for i, h in enumerate(HEADERS)}
    rows = [list(r) for r in sheet.iter_rows(min_row=TITLE_ROWS + 2)]
    lines, totals = rows[:-1], rows[-1]
    with db.session() as session:
        statement = charges.partner_year(session, year.partner.id, 2021)
    assert [r[col["批次编号"]].value for r in lines] == [line.code for line in statement.lines]
    for cells, line in zip(lines, statement.lines, strict=True):
        code_cell = cells[col["批次编号"]]
        assert code_cell.data_type == "s" and code_cell.number_format == "@"
        for header, fen in (
            ("单价（元/人天）", line.unit_fen),
            ("金额", line.gross_fen),
            ("应收金额", line.owed_fen),
            ("家属自费", line.companions_fen),
            ("成本（据实）", line.cost_fen),
        ):
            cell = cells[col[header]]
            if fen is None:
                assert cell.value is None, (line.code, header)  # unknown: empty, never 0
            else:
                assert cell.number_format == "#,##0.00"
                assert parse_yuan(cell.value) == fen, (line.code, header)
        assert cells[col["人天"]].value == line.person_days
    assert totals[0].value == "合计"
    for header in MONEY[1:]:
        known = [parse_yuan(r[col[header]].value) for r in lines if r[col[header]].value is not None]
        assert parse_yuan(totals[col[header]].value) == sum(known), header  # the totals are the sums
    assert parse_yuan(totals[col["应收金额"]].value) == 717000
    assert parse_yuan(totals[col["未到退费"]].value) == 105000
    assert totals[col["人天"]].value == 59
    quotas = openpyxl.load_workbook(target)["协议配额"]
    numbers = {r[0].value: r for r in quotas.iter_rows(min_row=2)}
    assert numbers["NB-2021-价"][5].value == 0.5 and numbers["NB-2021-价"][9].value == 5


def test_an_unknown_partner_or_an_empty_year_is_refused(
    db: Database, year: Year, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "x.pdf"
    code, _out, err = run(
        capsys, "--db", db.url, "print", "statement", "宁波", "--year", "2021", "-o", str(target)
    )
    assert code == 1 and "没有名为“宁波”的合作单位" in err
    code, _out, err = run(
        capsys,
        "--db",
        db.url,
        "--lang",
        "en",
        "export",
        "statement",
        "宁波大学",
        "--year",
        "2019",
        "-o",
        str(target),
    )
    assert code == 1 and "has no batch in 2019" in err and "2021, 2022" in err
    assert not target.exists()
    code, _out, err = run(capsys, "--db", db.url, "export", "statement", "宁波大学", "-o", str(target))
    assert code == 2  # --year is required


def test_the_demo_statements_totals_are_their_lines(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.session() as session:
        statements = charges.year_statements(session, 2021)
    assert statements
    for statement in statements:
        known = [line for line in statement.lines if line.known]
        t = statement.totals
        assert t.owed_fen == sum(line.owed_fen or 0 for line in known)
        assert t.gross_fen == sum(line.gross_fen or 0 for line in known)
        assert t.credit_fen == sum(line.credit_fen for line in known)
        assert t.companions_fen == sum(line.companions_fen or 0 for line in known)
        assert t.gross_fen - t.credit_fen == t.owed_fen
        assert t.unknown == len(statement.lines) - len(known)
        for line in known:
            assert line.owed_fen == (line.gross_fen or 0) - line.credit_fen
            if line.basis == "cost":
                assert (line.gross_fen or 0) + (line.companions_fen or 0) == line.cost_fen
    from recuperation.documents.statement_docs import write_statement

    biggest = max(statements, key=lambda s: len(s.lines))
    path = write_statement(demo_db, biggest, tmp_path / "demo.pdf").path
    text = pdf_text(path)
    assert biggest.partner in text and f"应收金额合计 {charges_yuan(biggest.totals.owed_fen)} 元" in text


def charges_yuan(fen: int) -> str:
    from recuperation.money import yuan_text

    return yuan_text(fen)


def test_a_mistyped_database_is_named_and_not_created(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nothere.db"
    code, _out, err = run(
        capsys,
        "--db",
        str(missing),
        "print",
        "statement",
        "宁波大学",
        "--year",
        "2021",
        "-o",
        str(tmp_path / "x.pdf"),
    )
    assert code == 1 and "不存在" in err
    assert not missing.exists() and not (tmp_path / "x.pdf").exists()


# --- every amount whole in its column ------------------------------------------------------------------------


def _line(n: int, gross: int, credit: int, companions: int, basis: str, sources: tuple[str, ...]) -> Any:
    """A batch of 4 members (3 came) and a companion for 3 days, with the amounts given (fen)."""
    return charges.ChargeLine(
        batch_id=n,
        code=f"L2021-{n:04d}",
        kind="recuperation",
        status="completed",
        arrival=dt.date(2021, 12, 29),
        departure=dt.date(2021, 12, 31),
        route="寿昌镇休闲线路",
        agreement_id=1,
        agreement="ZD-1",
        basis=basis,
        members=4,
        attended=3,
        no_shows=1,
        companions=1,
        days=3,
        person_days=12,
        companion_days=3,
        unit_fen=42000 if basis == "price" else None,
        gross_fen=gross,
        credit_fen=credit,
        owed_fen=gross - credit,
        companions_fen=companions,
        cost_fen=None if basis == "price" else gross + companions,
        cost_sources=sources,
    )


def test_totals_of_eight_digits_of_yuan_print_whole_in_their_columns(db: Database, tmp_path: Path) -> None:
    # two lines each just under ¥50,000,000: the totals are 8 digits of yuan, the largest ¥99,999,999.98
    lines = (
        _line(1, 4_999_999_999, 1_234_567_890, 987_654_321, "price", ()),
        _line(2, 4_999_999_999, 0, 1_012_345_679, "cost", ("invoice", "actual")),
    )
    statement = charges.Statement(1, "浙江大学", 2021, lines, (), charges.ChargeTotals.of(lines))
    # by hand: 金额 49,999,999.99 × 2; 未到退费 12,345,678.90; 应收 99,999,999.98 − 12,345,678.90; 家属 the sum
    totals = ("99,999,999.98", "12,345,678.90", "87,654,321.08", "20,000,000.00")
    path = write_statement(db, statement, tmp_path / "大额.pdf").path
    text = pdf_text(path)
    for amount in (*totals, "49,999,999.99", "37,654,321.09", "9,876,543.21", "10,123,456.79"):
        assert re.search(rf"(?<![\d,.]){re.escape(amount)}(?![\d])", text), amount  # whole: no digit lost
    # each amount fits its column at the table's own type size: printed as it is, not shrunk
    font = find_font()
    rows = batch_rows(statement, ParagraphStyle("c", fontName=font.name, fontSize=SIZE), font)
    assert rows[-1][8:] == list(totals)
    for row in rows[1:]:
        for c in MONEY_COLUMNS:
            assert isinstance(row[c], str)
            assert stringWidth(row[c], font.name, SIZE) <= WIDTHS[c] - 2 * PADDING, row[c]
    # a total beyond the columns' range (¥289,999,999.97) is printed in a smaller type that fits, never cut
    big = tuple(_line(n, 9_999_999_999, 0, 0, "price", ()) for n in (1, 2, 3))
    wide = batch_rows(
        charges.Statement(1, "浙江大学", 2021, big, (), charges.ChargeTotals.of(big)),
        ParagraphStyle("c", fontName=font.name, fontSize=SIZE),
        font,
    )
    cell = wide[-1][8]
    assert not isinstance(cell, str) and cell.text == "299,999,999.97"
    assert cell.style.fontSize < SIZE
    assert stringWidth(cell.text, font.name, cell.style.fontSize) <= WIDTHS[8] - 2 * PADDING
    path = write_statement(
        db, charges.Statement(1, "浙江大学", 2021, big, (), charges.ChargeTotals.of(big)), tmp_path / "b.pdf"
    ).path
    assert "299,999,999.97" in pdf_text(path)


def test_at_cost_rows_say_the_basis_in_one_line_with_the_sources_under_the_table(
    db: Database, year: Year, tmp_path: Path
) -> None:
    with db.session() as session:
        statement = charges.partner_year(session, year.partner.id, 2021)
    path = write_statement(db, statement, tmp_path / "s.pdf").path
    text = pdf_text(path)
    # C1's cost is the approved invoice (①), C2's the planned cost (②): marks, explained under the table
    assert "据实①" in text and "据实②" in text and "据实（" not in text
    assert "结算方式：据实① 成本依据基地发票；据实② 成本依据计划用量。" in text
    # every batch's row is one line high (no route wraps here: “—”)
    font = find_font()
    cell = ParagraphStyle("c", fontName=font.name, fontSize=SIZE, leading=9)
    table = grid(batch_rows(statement, cell, font), WIDTHS, font)
    table.wrap(174 * mm, 1000 * mm)
    heights = table._rowHeights[1:]
    assert max(heights) < 2 * 9, heights
