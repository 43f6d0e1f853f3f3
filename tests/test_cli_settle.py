"""``settle list|invoice|approve|pay``: the trip of tests/test_rates.py invoiced ¥60.00 above its actual cost of
¥3,565.00, explained, approved and paid from the command line; every refusal names what to do, writes nothing
and exits non-zero."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from recuperation.cli import main
from recuperation.models import AuditEntry, BaseInvoice, InvoiceAdjustment, Payment, table_of
from recuperation.services import settlement
from recuperation.storage.database import Database
from recuperation.transfer import table_checksum
from tests.test_rates import _complete, trip  # noqa: F401  (the fixture)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def state(db: Database) -> tuple[object, ...]:
    with db.engine.connect() as conn:
        return tuple(
            table_checksum(conn, table_of(m)) for m in (BaseInvoice, InvoiceAdjustment, Payment, AuditEntry)
        )


@pytest.fixture
def done(db: Database, trip):  # noqa: F811
    batch, base, _card, people = trip
    _complete(db, batch.id, people)
    return db, batch, base


def test_invoice_explain_approve_and_pay_from_the_command_line(done, capsys, tmp_path: Path) -> None:
    db, batch, _base = done
    at = ("--db", db.url, "settle")
    code, out, err = run(capsys, *at, "list", "--open")
    assert code == 0 and out.splitlines() == [
        "批次\t基地\t状态\t计划费用\t实际费用\t发票号码\t发票金额\t差额\t未说明\t已付\t未付",
        f"{batch.code}\t寿昌宾馆\t未收票\t4,260.00\t3,565.00\t-\t-\t-\t-\t0.00\t0.00",
    ]
    scan = tmp_path / "invoice.pdf"
    scan.write_bytes(b"%PDF-1.4")
    code, _out, err = run(
        capsys, *at, "invoice", batch.code, "寿昌宾馆", "--number", "04512345", "--amount", "3,625.00",
        "--date", "2021-07-05", "--scan", str(scan),
    )  # fmt: skip
    assert code == 0, err
    assert "差额 60.00 元" in err and "未说明 60.00 元" in err and "税率 6%" in err and "待审批" in err

    before = state(db)
    code, _out, err = run(capsys, *at, "approve", batch.code, "寿昌宾馆", "--date", "2021-07-10")
    assert code == 1
    assert "还有 +60.00 元没有说明" in err and "3,565.00" in err and batch.code in err
    assert state(db) == before

    # the same command again with the explanation corrects the invoice (its scan kept)
    code, _out, err = run(
        capsys, *at, "invoice", batch.code, "寿昌宾馆", "--number", "04512345", "--amount", "3625",
        "--date", "2021-07-05", "--adjust", "80:加用会议室半天", "--adjust=-20：一餐未用，按实退",
    )  # fmt: skip
    assert code == 0 and "未说明 0.00 元" in err, err
    code, _out, err = run(capsys, *at, "approve", batch.code, "寿昌宾馆", "--date", "2021-07-10")
    assert code == 0 and "已审批" in err and "3,625.00" in err

    pay = ("pay", batch.code, "寿昌宾馆", "--date", "2021-07-20")
    code, _out, err = run(capsys, *at, *pay, "--amount", "2000", "--reference", "DZ20210720001")
    assert code == 0 and "还应付 1,625.00 元" in err
    before = state(db)
    code, _out, err = run(capsys, *at, *pay, "--amount", "1625.01", "--reference", "DZ2")
    assert code == 1 and "超付" in err and "最多 1,625.00 元" in err
    assert state(db) == before
    code, _out, err = run(capsys, *at, *pay, "--amount", "￥1,625", "--reference", "DZ20210720002")
    assert code == 0 and "已付清" in err

    code, out, err = run(capsys, *at, "list", "--json")
    [row] = json.loads(out)
    assert (row["state"], row["expected_fen"], row["difference_fen"], row["unexplained_fen"]) == (
        "paid",
        356500,
        6000,
        0,
    )
    assert row["invoice"]["tax_fen"] == 20519 and row["invoice"]["scan"] is True
    assert row["batch_settled"] is True  # completed, its one base paid
    assert [p["amount_fen"] for p in row["invoice"]["payments"]] == [200000, 162500]
    assert [(a["amount_fen"], a["reason"]) for a in row["invoice"]["adjustments"]] == [
        (8000, "加用会议室半天"),
        (-2000, "一餐未用，按实退"),
    ]
    code, out, err = run(capsys, *at, "list")
    assert out.splitlines()[1].split("\t")[7] == "+60.00"  # the difference signed, as the tab shows it
    code, out, err = run(capsys, *at, "list", "--open")
    assert code == 0 and len(out.splitlines()) == 1 and "0 行" in err  # the header alone
    code, out, _err = run(capsys, *at, "list", "--year", "2022")
    assert code == 0 and len(out.splitlines()) == 1
    assert settlement.batch_settled(db, batch.id)


def test_refusals_write_nothing_and_exit_non_zero(done, capsys) -> None:
    db, batch, _base = done
    at = ("--db", db.url, "settle")
    invoice = ("invoice", batch.code, "寿昌宾馆", "--number", "1", "--date", "2021-07-05")
    before = state(db)
    for args, status, words in (
        ((*invoice, "--amount", "12.345"), 2, "超过两位小数"),
        ((*invoice, "--amount", "10", "--adjust", "300"), 2, "金额:原因"),
        ((*invoice, "--amount", "10", "--tax", "6.125%"), 2, "税率"),
        ((*invoice, "--amount", "10", "--scan", "/nowhere.pdf"), 1, "找不到发票扫描件"),
        (
            ("invoice", "L2099-9999", "寿昌宾馆", "--number", "1", "--date", "2021-07-05", "--amount", "1"),
            1,
            "没有批次",
        ),
        (
            ("invoice", batch.code, "无此基地", "--number", "1", "--date", "2021-07-05", "--amount", "1"),
            1,
            "没有名为",
        ),
        (("approve", batch.code, "寿昌宾馆"), 1, "还没有基地“寿昌宾馆”的发票"),
        (
            ("pay", batch.code, "寿昌宾馆", "--amount", "1", "--date", "2021-07-20", "--reference", "X"),
            1,
            "发票",
        ),
        (("pay", batch.code, "寿昌宾馆", "--amount", "1", "--date", "2021-07-20"), 2, "--reference"),
    ):
        code, out, err = run(capsys, *at, *args)
        assert (code, out) == (status, ""), (args, err)
        assert words in err, (args, err)
    assert state(db) == before


def test_messages_follow_the_language(done, capsys) -> None:
    db, batch, _base = done
    code, _out, err = run(
        capsys, "--db", db.url, "--lang", "en", "settle", "invoice", batch.code, "寿昌宾馆",
        "--number", "9", "--amount", "3565", "--date", str(dt.date(2021, 7, 5)),
    )  # fmt: skip
    assert code == 0 and "Invoice 9 recorded" in err and "0.00 yuan unexplained" in err
    code, _out, err = run(capsys, "--db", db.url, "--lang", "en", "settle", "pay", batch.code, "寿昌宾馆",
                          "--amount", "1", "--date", "2021-07-20", "--reference", "X")  # fmt: skip
    assert code == 1 and "takes no payment" in err


def test_an_adjustment_with_more_than_one_sign_and_a_fractional_tax_are_refused(done, capsys) -> None:
    """+-180 was stored as +180, and --180 and -+180 as -180; --tax 0.5 was 50% but --tax 1 was 1%."""
    db, batch, _base = done
    at = ("--db", db.url, "settle")
    invoice = ("invoice", batch.code, "寿昌宾馆", "--number", "1", "--date", "2021-07-05", "--amount", "3565")
    before = state(db)
    for adjust in (
        "--adjust=+-180:一间客房未入住",
        "--adjust=--180:x",
        "--adjust=-+180:x",
        "--adjust=－－180:x",
    ):
        code, out, err = run(capsys, *at, *invoice, adjust)
        assert (code, out) == (2, ""), (adjust, err)
        assert "不止一个正负号" in err and adjust.removeprefix("--adjust=").split(":")[0] in err, err
    for tax, words in (
        ("0.06", "如 6%"),
        ("0.5", "“0.5%”"),
        ("100", "高于 30%"),
        ("31%", "高于 30%"),
        ("6.125%", "税率"),
    ):
        code, out, err = run(capsys, *at, *invoice, "--tax", tax)
        assert (code, out) == (2, "") and words in err, (tax, err)
    assert state(db) == before
    with pytest.raises(SystemExit):
        main([*at, "invoice", "--help"])
    assert "百分数" in capsys.readouterr().out
    for tax, bp in (("13.5%", 1350), ("6", 600), ("0", 0), ("3%", 300)):
        code, _out, err = run(capsys, *at, *invoice, "--tax", tax, "--adjust=-20:一餐未用")
        assert code == 0, err
        [row] = settlement.settlements(db, batch_ids=[batch.id])
        assert row.invoice is not None and row.invoice.tax_bp == bp
        assert [a.amount_fen for a in row.invoice.adjustments] == [-2000]


def test_an_invoice_and_a_payment_are_read_up_to_the_services_ceiling(done, capsys) -> None:
    """parse_yuan's ceiling is a single price's (¥1,000,000): an invoice may be up to ¥10,000,000."""
    db, batch, _base = done
    at = ("--db", db.url, "settle")
    invoice = ("invoice", batch.code, "寿昌宾馆", "--number", "1", "--date", "2021-07-05")
    before = state(db)
    for amount in ("10,000,000.01", "1e30", "99999999999999999999999999999999"):
        code, out, err = run(capsys, *at, *invoice, "--amount", amount)
        assert (code, out) == (2, "") and "单价" not in err, err
        assert ("最多 10,000,000.00 元" in err) or ("不是金额" in err), err
    code, _out, err = run(capsys, *at, *invoice, "--amount", "3565", "--adjust=10,000,000.01:x")
    assert code == 2 and "最多 10,000,000.00 元" in err and "10,000,000.01:x" in err, err
    assert state(db) == before
    code, _out, err = run(capsys, *at, *invoice, "--amount", "1,500,000", "--adjust=1,496,435:包场")
    assert code == 0, err  # above a price's ceiling, within an invoice's
    [row] = settlement.settlements(db, batch_ids=[batch.id])
    assert row.invoice is not None and row.invoice.amount_fen == 150_000_000 and row.unexplained_fen == 0
    assert settlement.MAX_INVOICE_FEN == 1_000_000_000
