"""A register's amounts are read exactly: through their decimal digits (money.parse_yuan), never a float's
arithmetic — a formula's 0.1 + 0.2 is 0.30 yuan, “1,260.50” and “￥380” are read as written, and an amount
with more than two decimals is refused (it was rounded without a word before)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from recuperation.money import (
    MAX_PRICE_FEN,
    MAX_TAX_BP,
    MoneyError,
    parse_percent_bp,
    parse_rate_bp,
    parse_yuan,
    rate_text,
)
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


# -- what no amount can be, and the ceilings (issue 22's review) ------------------------------------------------


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (1e30, "money.too_large"),  # decimal.InvalidOperation escaped here: “意外错误” in both importers
        (1e300, "money.too_large"),
        (-1e30, "money.negative"),
        (float("inf"), "money.not_amount"),
        (float("-inf"), "money.not_amount"),
        (float("nan"), "money.not_amount"),
        (Decimal("NaN"), "money.not_amount"),
        (Decimal("Infinity"), "money.not_amount"),
        ("9" * 40, "money.too_large"),
        ("9" * 200_000, "money.too_large"),
        ("9" * 1_100_000, "money.not_amount"),  # too many digits for decimal's arithmetic: a MoneyError still
        ("1" + "0" * 5000 + ".001", "money.too_large"),
        (10**40, "money.too_large"),
    ],
)
def test_any_value_that_is_no_amount_is_a_money_error(value: object, key: str) -> None:
    with pytest.raises(MoneyError) as refused:
        parse_yuan(value)
    assert refused.value.key == key, refused.value.key
    assert refused.value.message()  # and it has a message (no parameter missing)
    with pytest.raises(MoneyError):
        parse_rate_bp(value)


def test_the_ceiling_is_the_callers_and_the_message_says_it() -> None:
    assert parse_yuan("1,000,000") == MAX_PRICE_FEN
    with pytest.raises(MoneyError) as price:
        parse_yuan("1,000,000.01")
    assert "单价最多 1,000,000 元" in price.value.message()  # a price: its own words, as before
    assert parse_yuan("10,000,000", most=1_000_000_000) == 1_000_000_000
    with pytest.raises(MoneyError) as invoice:
        parse_yuan("10,000,000.01", most=1_000_000_000)
    says = invoice.value.message()
    assert "最多 10,000,000.00 元" in says and "单价" not in says
    with pytest.raises(MoneyError) as huge:
        parse_yuan(1e30, most=1_000_000_000)
    assert "10,000,000.00" in huge.value.message()
    assert parse_yuan("RMB 380") == parse_yuan("CNY380") == parse_yuan("人民币 380 元") == 38000


@pytest.mark.parametrize("bp", [0, 100, 300, 600, 900, 1300, 1350, 3000])
def test_a_tax_rate_as_a_spreadsheet_holds_it_reads_back_exactly(bp: int) -> None:
    assert parse_rate_bp(bp / 10_000) == bp  # the cell's fraction (0.135 for 13.5%), formatted 0.00%
    assert parse_rate_bp(rate_text(bp)) == bp  # and as people write it (“13.5%”)


def test_every_rate_up_to_the_ceiling_reads_back_from_its_fraction() -> None:
    assert all(parse_rate_bp(bp / 10_000) == bp for bp in range(0, MAX_TAX_BP + 1))


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("100%", "money.rate_too_high"),  # exported as 1.0 it read back as 1%: refused now, never stored
        ("30.01%", "money.rate_too_high"),
        (0.5, "money.rate_too_high"),  # a cell's 50%
        (31, "money.rate_too_high"),
        ("-1%", "money.bad_rate"),
        ("6.125%", "money.bad_rate"),
        ("六", "money.bad_rate"),
        (float("inf"), "money.bad_rate"),
    ],
)
def test_a_tax_rate_above_thirty_percent_is_refused(value: object, key: str) -> None:
    with pytest.raises(MoneyError) as refused:
        parse_rate_bp(value)
    assert refused.value.key == key
    assert MAX_TAX_BP == 3000 and parse_rate_bp("30%") == 3000
    if key == "money.rate_too_high":
        assert "高于 30%" in refused.value.message()


def test_a_typed_rate_is_a_percentage_only() -> None:
    assert parse_percent_bp("6") == parse_percent_bp("6%") == parse_percent_bp("６％") == 600
    assert parse_percent_bp("13.5%") == 1350 and parse_percent_bp("0.5%") == 50 and parse_percent_bp("0") == 0
    for typed, suggested in (("0.06", "6%"), ("0.135", "13.5%"), ("0.5", "6%")):
        with pytest.raises(MoneyError) as refused:
            parse_percent_bp(typed)
        says = refused.value.message()
        assert refused.value.key == "money.rate_fraction" and f"如 {suggested}" in says, says
        assert f"“{typed}%”" in says  # and how to write it if it really was that small
    with pytest.raises(MoneyError) as refused:
        parse_percent_bp("100")
    assert refused.value.key == "money.rate_too_high"
