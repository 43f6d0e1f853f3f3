"""``recuperation print statement`` and ``recuperation export statement``: a partner's annual statement (对账单)
as a PDF or as a workbook.

    recuperation print statement 宁波大学 --year 2021 -o 宁波大学2021对账单.pdf
    recuperation export statement 宁波大学 --year 2021 -o 宁波大学2021对账单.xlsx

An unknown partner, or a year in which the partner has no batch (the years that have some are named), is
refused with exit status 1 and nothing is written.  Only argparse is imported while the parser is built.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recuperation.cli_shared import err, open_db


def _add(sub: Any, help_text: str, year: Callable[[str], int], suffix: str) -> None:
    parser = sub.add_parser("statement", help=help_text)
    parser.add_argument("partner", help="合作单位名称（与程序中的名称一字不差）")
    parser.add_argument("--year", type=year, required=True, help="年份（按批次的到达日期）")
    parser.add_argument("-o", "--output", type=Path, required=True, help=f"输出文件（{suffix}）")


def add_print_parser(print_sub: Any, year: Callable[[str], int]) -> None:
    """``print statement PARTNER --year Y -o F.pdf``."""
    _add(print_sub, "合作单位的年度对账单（PDF）", year, ".pdf")


def add_export_parser(export_sub: Any, year: Callable[[str], int]) -> None:
    """``export statement PARTNER --year Y -o F.xlsx``."""
    _add(export_sub, "合作单位的年度对账单（.xlsx）", year, ".xlsx")


def cmd_print_statement(args: argparse.Namespace) -> int:
    from recuperation import messages
    from recuperation.documents.render import render

    with open_db(args) as db:
        result = render(db, "statement", args.partner, args.output, year=args.year)
    for note in result.notes:
        err(note)
    err(messages.text("print.done", path=result.path))
    return 0


def cmd_export_statement(args: argparse.Namespace) -> int:
    from recuperation import messages
    from recuperation.statement_workbook import export_statement

    with open_db(args) as db:
        result = export_statement(db, args.partner, args.year, args.output)
    err(
        messages.text(
            "statement.exported",
            partner=result.statement.partner,
            year=args.year,
            batches=result.batches,
            path=result.path,
        )
    )
    return 0
