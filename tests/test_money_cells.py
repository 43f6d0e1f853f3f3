"""A register's amounts are read exactly: through their decimal digits (money.parse_yuan), never a float's
arithmetic — a formula's 0.1 + 0.2 is 0.30 yuan, “1,260.50” and “￥380” are read as written, and an amount
with more than two decimals is refused (it was rounded without a word before)."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from recuperation.services import routes
from recuperation.services.register_cells import CellError, to_money_fen
from recuperation.services.registers import apply_register, plan_register
from recuperation.sheets import read_sheets
from recuperation.storage.database import Database


@pytest.mark.parametrize(
    ("cell", "fen"),
    [
        (0.1 + 0.2, 30),  # 0.30000000000000004: what a spreadsheet holds for =0.1+0.2, showing 0.30
        (1.1 * 3, 330),  # 3.3000000000000003
        ("1,260.50", 126050),
        ("￥380", 38000),
        ("¥ 380.5", 38050),
        ("380元", 38000),
        ("３８０．５０", 38050),  # full-width digits, as an input method types them
        (260, 26000),
        (260.5, 26050),
        (19.99, 1999),
        (0, 0),
        (None, None),
        ("", None),
    ],
)
def test_amounts_are_read_exactly(cell: object, fen: int | None) -> None:
    assert to_money_fen(cell) == fen  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("380.125", "超过两位小数"),
        (1.005, "超过两位小数"),  # round(1.005 * 100) gave 100 fen, quietly a cent less than written
        (0.145, "超过两位小数"),  # and 14 fen for 0.145
        ("-5", "不能为负数"),
        ("1,5", "不是金额"),
        ("三百", "不是金额"),
        ("1e400", "不是金额"),
        (float("nan"), "不是金额"),
        (float("inf"), "不是金额"),
        (True, "不是金额"),
        ("2,000,000", "太大"),
    ],
)
def test_what_is_not_an_amount_in_fen_is_refused_naming_it(cell: object, says: str) -> None:
    with pytest.raises(CellError) as raised:
        to_money_fen(cell)  # type: ignore[arg-type]
    assert says in str(raised.value)


def _routes_book(path: Path) -> Path:
    """A routes register whose prices are a formula (=0.1+0.2 with the value Excel stores for it), grouped
    digits, a currency sign and an amount of three decimals."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("线路")
    for c, header in enumerate(("线路编号", "线路名称", "价格（元/人）")):
        sheet.write_string(0, c, header)
    rows = [
        ("XL-01", "新安江山水", None),
        ("XL-02", "寿昌古镇", "1,260.50"),
        ("XL-03", "灵栖洞天", "￥380"),
        ("XL-04", "大慈岩", "380.125"),
    ]
    for r, (code, name, price) in enumerate(rows, start=1):
        sheet.write_string(r, 0, code)
        sheet.write_string(r, 1, name)
        if price is not None:
            sheet.write_string(r, 2, price)
    sheet.write_formula(1, 2, "=0.1+0.2", None, 0.1 + 0.2)
    book.close()
    return path


def test_a_register_reads_its_prices_exactly(db: Database, tmp_path: Path) -> None:
    path = _routes_book(tmp_path / "线路.xlsx")
    # the formula's cell holds the float's binary value, not 0.3
    assert read_sheets(path)[0].rows[1][2] == 0.1 + 0.2 != 0.3
    plan = plan_register(db, "routes", path)
    assert [(p.row, p.field) for p in plan.errors] == [(5, "price")]
    assert "“380.125”超过两位小数" in plan.errors[0].message
    apply_register(db, plan, skip_invalid=True)
    prices = {r.code: r.price_fen for r in routes.list_routes(db)}
    assert prices == {"XL-01": 30, "XL-02": 126050, "XL-03": 38000}
