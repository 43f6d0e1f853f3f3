"""A partner's annual statement (对账单) as a workbook (XlsxWriter), beside the PDF.

Three sheets: 对账单 (a batch a row and the totals row, each total the sum of the rows above, written as a
value), 协议配额 (the agreements against their yearly quotas) and 说明 (the rules and what is still unknown).
Amounts are numbers of yuan with two decimals (``#,##0.00``), read back exactly to fen through
:func:`recuperation.money.parse_yuan`; an unknown amount is an empty cell, never 0.  Batch codes and agreement
numbers are text; dates are date cells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from recuperation.labels import label
from recuperation.money import yuan_number
from recuperation.private_files import private_output
from recuperation.services.charges import Statement, find_statement, rule_notes
from recuperation.storage.database import Database

#: The columns of the sheet 对账单 and their widths.
HEADERS = (
    "批次编号",
    "类型",
    "线路",
    "协议编号",
    "到达",
    "离开",
    "天数",
    "名单人数",
    "实到人数",
    "未到人数",
    "随行家属",
    "人天",
    "结算方式",
    "单价（元/人天）",
    "金额",
    "未到退费",
    "应收金额",
    "家属自费",
    "成本（据实）",
    "成本来源",
    "说明",
)
WIDTHS = (13, 8, 24, 14, 11, 11, 6, 9, 9, 9, 9, 8, 10, 12, 13, 11, 13, 11, 13, 12, 50)
#: The amounts' columns, by header: what the statement's lines and totals carry there.
MONEY = ("单价（元/人天）", "金额", "未到退费", "应收金额", "家属自费", "成本（据实）")
TITLE_ROWS = 3  # title, a blank row … the header is on the fourth row


@dataclass(frozen=True)
class StatementExport:
    path: Path
    batches: int
    statement: Statement


def export_statement(db: Database, partner: str, year: int, path: Path) -> StatementExport:
    """The statement of the partner named ``partner`` for ``year`` as a workbook at ``path``."""
    statement = find_statement(db, partner, year)
    write_statement_workbook(statement, path)
    return StatementExport(path, len(statement.lines), statement)


def _formats(book: Any) -> dict[str, Any]:
    border = {"border": 1}
    total = {"bold": True, "border": 1, "top": 2}
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "head": book.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        ),
        "text": book.add_format({"num_format": "@", **border}),
        "wrap": book.add_format({"num_format": "@", "text_wrap": True, "valign": "top", **border}),
        "date": book.add_format({"num_format": "yyyy-mm-dd", **border}),
        "int": book.add_format({"num_format": "#,##0", **border}),
        "money": book.add_format({"num_format": "#,##0.00", **border}),
        "total_label": book.add_format(total),
        "total_int": book.add_format({"num_format": "#,##0", **total}),
        "total_money": book.add_format({"num_format": "#,##0.00", **total}),
        "note": book.add_format({"text_wrap": True, "valign": "top"}),
    }


def _text(sheet: Any, row: int, col: int, value: object, fmt: Any) -> None:
    """Always text: a code keeps its form and '=1+1' stays a value, never a formula."""
    sheet.write_string(row, col, "" if value is None else str(value), fmt)


def _number(sheet: Any, row: int, col: int, value: int | None, fmt: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_number(row, col, value, fmt)


def _money(sheet: Any, row: int, col: int, fen: int | None, fmt: Any) -> None:
    if fen is None:
        sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_number(row, col, yuan_number(fen), fmt)


def _day(sheet: Any, row: int, col: int, day: dt.date, fmt: Any) -> None:
    sheet.write_datetime(row, col, dt.datetime.combine(day, dt.time()), fmt)


def write_statement_workbook(statement: Statement, path: Path) -> Path:
    with private_output(path) as temp:
        book = xlsxwriter.Workbook(str(temp), {"strings_to_formulas": False, "strings_to_numbers": False})
        try:
            f = _formats(book)
            _lines_sheet(book, statement, f)
            _quota_sheet(book, statement, f)
            _notes_sheet(book, statement, f)
        finally:
            book.close()
    return path


def _lines_sheet(book: Any, statement: Statement, f: dict[str, Any]) -> None:
    sheet = book.add_worksheet("对账单")
    _text(sheet, 0, 0, f"{statement.partner} {statement.year} 年职工疗休养对账单（金额单位：元）", f["title"])
    col = {h: c for c, h in enumerate(HEADERS)}
    for c, (h, w) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        sheet.write_string(TITLE_ROWS, c, h, f["head"])
        sheet.set_column(c, c, w)
    sheet.freeze_panes(TITLE_ROWS + 1, 1)
    r = TITLE_ROWS + 1
    for line in statement.lines:
        _text(sheet, r, col["批次编号"], line.code, f["text"])
        _text(sheet, r, col["类型"], label("batch_kind", line.kind, "zh"), f["text"])
        _text(sheet, r, col["线路"], line.route, f["text"])
        _text(sheet, r, col["协议编号"], line.agreement, f["text"])
        _day(sheet, r, col["到达"], line.arrival, f["date"])
        _day(sheet, r, col["离开"], line.departure, f["date"])
        for header, value in (
            ("天数", line.days),
            ("名单人数", line.members),
            ("实到人数", line.attended),
            ("未到人数", line.no_shows if line.closed else None),
            ("随行家属", line.companions),
            ("人天", line.person_days),
        ):
            _number(sheet, r, col[header], value, f["int"])
        _text(
            sheet,
            r,
            col["结算方式"],
            label("charge_basis", line.basis, "zh") if line.basis else "无协议",
            f["text"],
        )
        for header, fen in (
            ("单价（元/人天）", line.unit_fen),
            ("金额", line.gross_fen),
            ("未到退费", line.credit_fen if line.known else None),
            ("应收金额", line.owed_fen),
            ("家属自费", line.companions_fen),
            ("成本（据实）", line.cost_fen),
        ):
            _money(sheet, r, col[header], fen, f["money"])
        _text(
            sheet,
            r,
            col["成本来源"],
            "、".join(label("cost_source", s, "zh") for s in line.cost_sources),
            f["text"],
        )
        _text(sheet, r, col["说明"], "；".join(x.message("zh") for x in line.findings), f["text"])
        r += 1
    t = statement.totals
    sheet.write_string(r, 0, "合计", f["total_label"])
    for c in range(1, len(HEADERS)):
        sheet.write_blank(r, c, None, f["total_label"])
    for header, value in (
        ("名单人数", t.members),
        ("实到人数", t.attended),
        ("未到人数", t.no_shows),
        ("随行家属", t.companions),
        ("人天", t.person_days),
    ):
        sheet.write_number(r, col[header], value, f["total_int"])
    _text(sheet, r, col["类型"], f"{t.batches} 批", f["total_label"])
    for header, fen in (
        ("金额", t.gross_fen),
        ("未到退费", t.credit_fen),
        ("应收金额", t.owed_fen),
        ("家属自费", t.companions_fen),
        ("成本（据实）", sum(line.cost_fen or 0 for line in statement.lines if line.known)),
    ):
        sheet.write_number(r, col[header], yuan_number(fen), f["total_money"])
    if t.unknown:
        codes = "、".join(line.code for line in statement.lines if not line.known)
        _text(sheet, r, col["说明"], f"不含金额未知的 {t.unknown} 个批次：{codes}", f["total_label"])
    sheet.autofilter(TITLE_ROWS, 0, r - 1, len(HEADERS) - 1)


def _quota_sheet(book: Any, statement: Statement, f: dict[str, Any]) -> None:
    sheet = book.add_worksheet("协议配额")
    heads = (
        "协议编号",
        "有效期起",
        "有效期至",
        "结算方式",
        "单价（元/人天）",
        "未到退费比例",
        "年度批次配额",
        "本年批次",
        "年度人数配额",
        "本年人数",
    )
    widths = (16, 12, 12, 10, 14, 12, 12, 10, 12, 10)
    for c, (h, w) in enumerate(zip(heads, widths, strict=True)):
        sheet.write_string(0, c, h, f["head"])
        sheet.set_column(c, c, w)
    percent = book.add_format({"num_format": "0.00%", "border": 1})
    for r, q in enumerate(statement.quotas, start=1):
        _text(sheet, r, 0, q.number, f["text"])
        _day(sheet, r, 1, q.valid_from, f["date"])
        _day(sheet, r, 2, q.valid_to, f["date"])
        _text(sheet, r, 3, label("charge_basis", q.basis, "zh"), f["text"])
        _money(sheet, r, 4, q.price_fen, f["money"])
        sheet.write_number(r, 5, q.credit_bp / 10000, percent)
        for c, value in ((6, q.quota_batches), (7, q.used_batches), (8, q.quota_people), (9, q.used_people)):
            if value is None:
                _text(sheet, r, c, "不限", f["text"])
            else:
                sheet.write_number(r, c, value, f["int"])


def _notes_sheet(book: Any, statement: Statement, f: dict[str, Any]) -> None:
    sheet = book.add_worksheet("说明")
    sheet.set_column(0, 0, 110)
    r = 0
    _text(sheet, r, 0, "计费规则", f["title"])
    for n, note in enumerate(rule_notes(statement), start=1):
        r += 1
        _text(sheet, r, 0, f"{n}. {note}", f["note"])
    if statement.findings:
        r += 2
        _text(sheet, r, 0, "待补事项", f["title"])
        for finding in statement.findings:
            r += 1
            _text(sheet, r, 0, finding.message("zh"), f["note"])
