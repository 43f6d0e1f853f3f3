"""Money is exact on five years of the demo (issue 22): every total of every money document and figure is the sum
of its lines, to the fen — the statements (as computed, as a workbook, as a PDF), the money statistics, the
settlement of every base's invoice."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from sqlmodel import select

from recuperation.documents.statement_docs import write_statement
from recuperation.models import Payment
from recuperation.money import yuan_text
from recuperation.services import charges, money_stats, settlement
from recuperation.statement_workbook import HEADERS, MONEY, TITLE_ROWS, write_statement_workbook
from recuperation.storage.database import Database, open_database

pytestmark = pytest.mark.slow

YEARS = range(2021, 2026)


@pytest.fixture(scope="module")
def five_years(tmp_path_factory: pytest.TempPathFactory, five_year_demo_file: Path):
    path = tmp_path_factory.mktemp("five") / "five.db"
    shutil.copy(five_year_demo_file, path)
    database = open_database(path)
    yield database
    database.close()


def fen_of(value: object) -> int:
    """A workbook's amount cell (a float of two decimals) as fen, exactly (a year's totals pass the millions
    a single price may not)."""
    fen = Decimal(repr(value)) * 100
    assert fen == fen.to_integral_value(), value
    return int(fen)


def _sum(lines, attribute: str) -> int:
    return sum(getattr(line, attribute) for line in lines)


@pytest.mark.parametrize("year", YEARS)
def test_the_money_figures_are_the_sums_of_their_lines(five_years: Database, year: int) -> None:
    with five_years.session() as session:
        money = money_stats.year_money(session, year)
    assert money.total.cost_fen > 0 and money.total.person_days > 0
    for lines in (money.by_kind, money.by_partner, money.by_route, money.by_month, money.by_base):
        assert _sum(lines, "cost_fen") == money.total.cost_fen
        assert _sum(lines, "member_cost_fen") == money.total.member_cost_fen
    for lines in (money.by_kind, money.by_partner, money.by_route, money.by_month):
        assert _sum(lines, "person_days") == money.total.person_days
        assert _sum(lines, "batches") == money.total.batches
    assert _sum(money.sources, "fen") == money.total.cost_fen
    paid = money.paid
    assert _sum(money.paid_by_base, "invoiced_fen") == paid.invoiced_fen
    assert _sum(money.paid_by_base, "paid_fen") == paid.paid_fen
    assert paid.invoiced_fen - paid.paid_fen == paid.awaiting_fen + paid.due_fen


@pytest.mark.parametrize("year", YEARS)
def test_every_statement_is_the_sum_of_its_lines_in_every_form(
    five_years: Database, year: int, tmp_path: Path
) -> None:
    with five_years.session() as session:
        statements = charges.year_statements(session, year)
    assert statements
    for statement in statements:
        known = [line for line in statement.lines if line.known]
        t = statement.totals
        assert t.owed_fen == sum(line.owed_fen or 0 for line in known)
        assert t.gross_fen == sum(line.gross_fen or 0 for line in known)
        assert t.credit_fen == sum(line.credit_fen for line in known)
        assert t.companions_fen == sum(line.companions_fen or 0 for line in known)
        assert t.person_days == sum(line.person_days for line in statement.lines)
        for line in known:
            assert line.owed_fen == (line.gross_fen or 0) - line.credit_fen
    biggest = max(statements, key=lambda s: len(s.lines))
    # the workbook: each line's amounts read back to the fen, the totals row the sum of the lines
    book = write_statement_workbook(biggest, tmp_path / "statement.xlsx")
    sheet = openpyxl.load_workbook(book)["对账单"]
    col = {h: i for i, h in enumerate(HEADERS)}
    rows = [list(r) for r in sheet.iter_rows(min_row=TITLE_ROWS + 2)]
    lines, totals = rows[:-1], rows[-1]
    assert len(lines) == len(biggest.lines)
    for header in MONEY[1:]:
        known_cells = [fen_of(r[col[header]].value) for r in lines if r[col[header]].value is not None]
        assert fen_of(totals[col[header]].value) == sum(known_cells), header
    assert fen_of(totals[col["应收金额"]].value) == biggest.totals.owed_fen
    # the PDF says the same total
    pdf = write_statement(five_years, biggest, tmp_path / "statement.pdf").path
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert f"应收金额合计 {yuan_text(biggest.totals.owed_fen)} 元" in text


@pytest.mark.parametrize("year", YEARS)
def test_every_invoice_is_its_expected_cost_and_its_explained_difference(
    five_years: Database, year: int
) -> None:
    rows = settlement.settlements(five_years, year=year)
    invoiced = [row for row in rows if row.invoice is not None]
    assert invoiced
    for row in invoiced:
        invoice = row.invoice
        assert invoice is not None
        assert invoice.amount_fen == row.expected_fen + invoice.explained_fen, row.batch_code
        assert invoice.paid_fen + invoice.outstanding_fen == invoice.amount_fen
    with five_years.session() as session:
        payments = session.exec(select(Payment)).all()
    ids = {row.invoice.id for row in invoiced if row.invoice is not None}
    assert sum(p.amount_fen for p in payments if p.invoice_id in ids) == sum(
        row.invoice.paid_fen for row in invoiced if row.invoice is not None
    )
