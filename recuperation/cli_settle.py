"""``recuperation settle``: settlement with the bases (结算) on the command line.

    settle list [--year Y] [--open] [--json]
    settle invoice BATCH BASE --number N --amount A --date D [--tax 6%] [--scan FILE] [--adjust "AMOUNT:REASON" …]
    settle approve BATCH BASE [--date D]
    settle pay BATCH BASE --amount A --date D --reference R [--notes TEXT]

Amounts are yuan read exactly (``money.parse_yuan``: 1,260.50, ￥380, 380元) up to the service's ceiling
(``settlement.MAX_INVOICE_FEN``); an adjustment has at most one sign (``--adjust=-180:一间客房未入住``: with “=”,
since argparse takes a word starting with “-” for an option; ``+-180`` and ``--180`` are refused).  ``--tax`` is
a percentage (6, 6%, 13.5%; ``money.parse_percent_bp``): a fraction such as 0.06 is refused, suggesting 6%.  A refusal is printed as the service says it (naming the batch, the base, the
figures and what to do), nothing is written, and the exit status is 1 (2 for a usage error).

Only argparse, the messages and :mod:`recuperation.money` are imported until a settle command's arguments are
read (the command line's start-up, docs/architecture.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recuperation import messages
from recuperation.cli_shared import err, open_db
from recuperation.money import MoneyError, parse_percent_bp, parse_yuan, rate_text, yuan_text

if TYPE_CHECKING:
    from recuperation.services.settlement import SettlementRow
    from recuperation.storage.database import Database


def _most_fen() -> int:
    """The most an invoice, a payment or an adjustment may be (the service's ceiling, ¥10,000,000); the service
    is imported only once a command's arguments are read (the command line's start-up)."""
    from recuperation.services.settlement import MAX_INVOICE_FEN

    return MAX_INVOICE_FEN


def _money(value: str) -> int:
    """An invoice's or a payment's amount of yuan, up to the service's ceiling (not a single price's)."""
    try:
        return parse_yuan(value, most=_most_fen())
    except MoneyError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from None


def _rate(value: str) -> int:
    """A tax rate typed as a percentage only: 6, 6% or 13.5% (0.06 is refused, suggesting 6%)."""
    try:
        return parse_percent_bp(value)
    except MoneyError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from None


_SIGNS = "+-−"  # after NFKC: the full-width ＋ and － and the small ﹣ are + and -; − (U+2212) stays


def _adjustment(value: str) -> tuple[int, str]:
    """``AMOUNT:REASON`` (a full-width colon too): an amount of yuan with at most one sign, and why."""
    text = value.replace("：", ":")
    amount, colon, reason = text.partition(":")
    amount = unicodedata.normalize("NFKC", amount).strip()
    if not colon or not amount or not reason.strip():
        raise argparse.ArgumentTypeError(messages.text("settle.bad_adjust", value=value))
    sign = -1 if amount[0] in "-−" else 1
    digits = amount[1:].strip() if amount[0] in _SIGNS else amount
    if any(mark in digits for mark in _SIGNS):  # +-180, --180, -+180: which did they mean?
        raise argparse.ArgumentTypeError(messages.text("settle.adjust_signs", value=value))
    try:
        fen = parse_yuan(digits, most=_most_fen())
    except MoneyError as exc:
        raise argparse.ArgumentTypeError(
            messages.text("settle.adjust_amount", value=value, reason=exc.message())
        ) from None
    return sign * fen, reason.strip()


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, TypeError):
        raise argparse.ArgumentTypeError(messages.text("cli.bad_date", value=value)) from None


def _year(value: str) -> int:
    text = value.strip()
    if not (text.isdecimal() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(messages.text("cli.bad_year", value=value))
    return int(text)


_money.__name__ = "amount"
_rate.__name__ = "tax rate"
_adjustment.__name__ = "adjustment"
_day.__name__ = "date"
_year.__name__ = "year"


def add_settle(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """The ``settle`` command and its subcommands, on the command line's subparsers."""
    settle = sub.add_parser("settle", help="与基地结算：发票、差额说明、审批、付款")
    commands = settle.add_subparsers(dest="settle_command", parser_class=parser_class, required=True)
    listing = commands.add_parser("list", help="列出每个批次每个基地的结算（计划、实际、发票、已付）")
    listing.add_argument("--year", type=_year, help="到达日期在这一年的批次")
    listing.add_argument("--open", action="store_true", help="只列尚未结清的（未收票、待审批、未付清）")
    listing.add_argument("--json", action="store_true", help="输出 JSON")
    invoice = commands.add_parser("invoice", help="登记（或改正）基地的发票")
    invoice.add_argument("batch", help="批次编号")
    invoice.add_argument("base", help="基地名称")
    invoice.add_argument("--number", required=True, help="发票号码")
    invoice.add_argument("--amount", type=_money, required=True, help="价税合计（元）")
    invoice.add_argument("--date", type=_day, required=True, help="开票日期 YYYY-MM-DD")
    invoice.add_argument(
        "--tax",
        type=_rate,
        help="税率，写百分数：6、6%% 或 13.5%%（不接受 0.06 这样的小数；默认：基地价目表的税率）",
    )
    invoice.add_argument("--scan", type=Path, help="发票扫描件（复制到数据目录）")
    invoice.add_argument(
        "--adjust",
        type=_adjustment,
        action="append",
        metavar="AMOUNT:REASON",
        help="差额说明一行，如 300:加用会议室半天；负数写成 --adjust=-180:一间客房未入住（可多次）",
    )
    invoice.add_argument("--notes", help="备注")
    approve = commands.add_parser("approve", help="审批发票（差额须全部说明）")
    approve.add_argument("batch")
    approve.add_argument("base")
    approve.add_argument("--date", type=_day, help="审批日期（默认今天）")
    pay = commands.add_parser("pay", help="登记付款")
    pay.add_argument("batch")
    pay.add_argument("base")
    pay.add_argument("--amount", type=_money, required=True, help="付款金额（元）")
    pay.add_argument("--date", type=_day, required=True, help="付款日期 YYYY-MM-DD")
    pay.add_argument("--reference", required=True, help="银行付款凭证号")
    pay.add_argument("--notes", default="", help="备注")


def cmd_settle(args: argparse.Namespace) -> int:
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "list": _list,
        "invoice": _invoice,
        "approve": _approve,
        "pay": _pay,
    }
    return commands[args.settle_command](args)


def _yuan(fen: int | None) -> str:
    return "-" if fen is None else yuan_text(fen)


def _signed(fen: int | None) -> str:
    """A difference as the tab shows it: +300.00, -180.00, 0.00."""
    return "-" if fen is None else ("+" if fen > 0 else "") + yuan_text(fen)


def _list(args: argparse.Namespace) -> int:
    from recuperation.labels import label
    from recuperation.services.settlement import settled_batches, settlements

    with open_db(args) as db:
        rows = settlements(db, year=args.year, open_only=args.open)
    settled = settled_batches(rows)  # a batch with a row listed under --open is not settled: right as it is
    if args.json:
        print(
            json.dumps(
                [{**r.to_json(), "batch_settled": settled[r.batch_id]} for r in rows],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print("\t".join(messages.text("settle.columns").split("|")))
        for r in rows:
            invoice = r.invoice
            print(
                "\t".join(
                    [
                        r.batch_code,
                        r.base,
                        label("settlement_state", r.state),
                        _yuan(r.planned_fen),
                        _yuan(r.actual_fen),
                        invoice.number if invoice else "-",
                        _yuan(r.invoice_fen),
                        _signed(r.difference_fen),
                        _yuan(r.unexplained_fen if invoice else None),
                        _yuan(r.paid_fen),
                        _yuan(r.outstanding_fen),
                    ]
                )
            )
    err(
        messages.text(
            "settle.listed",
            count=len(rows),
            expected=yuan_text(sum(r.expected_fen for r in rows)),
            invoiced=yuan_text(sum(r.invoice_fen or 0 for r in rows)),
            paid=yuan_text(sum(r.paid_fen for r in rows)),
            outstanding=yuan_text(sum(r.outstanding_fen for r in rows)),
        )
    )
    return 0


def _row(db: Database, batch_id: int, base_id: int) -> SettlementRow:
    from recuperation.services.settlement import settlements

    return next(r for r in settlements(db, batch_ids=[batch_id]) if r.base_id == base_id)


def _invoice(args: argparse.Namespace) -> int:
    from recuperation.labels import label
    from recuperation.services import settlement as service

    with open_db(args) as db:
        batch_id, base_id, invoice = service.find_pair(db, args.batch, args.base)
        adjustments = tuple(service.AdjustmentInput(fen, why) for fen, why in args.adjust or ())
        if invoice is None:
            data = service.InvoiceInput(
                args.number, args.date, args.amount, args.tax, args.notes or "", adjustments
            )
            saved = service.record_invoice(db, batch_id, base_id, data, scan=args.scan)
        else:  # a correction: what the command does not say is kept
            data = service.InvoiceInput(
                args.number,
                args.date,
                args.amount,
                invoice.tax_bp if args.tax is None else args.tax,
                invoice.notes if args.notes is None else args.notes,
                adjustments if args.adjust else invoice.as_input().adjustments,
            )
            saved = service.update_invoice(db, invoice.id, invoice.version, data, scan=args.scan)
        row = _row(db, batch_id, base_id)
    err(
        messages.text(
            "settle.recorded",
            batch=saved.batch_code,
            base=saved.base,
            number=saved.number,
            amount=yuan_text(saved.amount_fen),
            tax=rate_text(saved.tax_bp),
            expected=yuan_text(row.expected_fen),
            difference=yuan_text(row.difference_fen or 0),
            rest=yuan_text(row.unexplained_fen),
            state=label("settlement_state", row.state),
        )
    )
    return 0


def _found(db: Database, args: argparse.Namespace) -> Any:
    from recuperation.errors import NotFoundError
    from recuperation.services.settlement import find_pair

    _batch, _base, invoice = find_pair(db, args.batch, args.base)
    if invoice is None:
        raise NotFoundError("settle.no_invoice", batch=args.batch.strip(), base=args.base.strip())
    return invoice


def _approve(args: argparse.Namespace) -> int:
    from recuperation.services.settlement import approve

    with open_db(args) as db:
        invoice = _found(db, args)
        saved = approve(db, invoice.id, invoice.version, on=args.date)
    err(
        messages.text(
            "settle.approved",
            batch=saved.batch_code,
            base=saved.base,
            number=saved.number,
            amount=yuan_text(saved.amount_fen),
        )
    )
    return 0


def _pay(args: argparse.Namespace) -> int:
    from recuperation.labels import label
    from recuperation.services.settlement import pay

    with open_db(args) as db:
        invoice = _found(db, args)
        saved = pay(
            db,
            invoice.id,
            paid_on=args.date,
            amount_fen=args.amount,
            reference=args.reference,
            notes=args.notes,
        )
    err(
        messages.text(
            "settle.paid",
            batch=saved.batch_code,
            base=saved.base,
            value=yuan_text(args.amount),
            paid=yuan_text(saved.paid_fen),
            outstanding=yuan_text(saved.outstanding_fen),
            state=label("settlement_state", saved.state),
        )
    )
    return 0
