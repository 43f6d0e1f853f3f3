"""The settlement sheet (结算单): the trip of tests/test_rates.py (planned ¥4,260.00, actual ¥3,565.00 at 寿昌宾馆)
invoiced at ¥3,625.00, the ¥60.00 difference explained by two lines, approved and paid in part — every figure
found by text extraction and computed by hand; a batch without an invoice still prints; the command line
writes the file and refuses an unknown batch or base; on the demo, every total printed is the sum of its lines;
the 结算 tab's 打印结算单… makes the PDF."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from recuperation.cli import main
from recuperation.documents import settlement_docs
from recuperation.documents.render import render
from recuperation.services import settlement
from recuperation.services.batch import batches
from recuperation.services.settlement import AdjustmentInput, InvoiceInput
from recuperation.storage.database import Database
from tests.factories import audit_user, confirm_orders, stored_numbers
from tests.test_rates import _complete, trip  # noqa: F401  (the fixture)

D = dt.date
PLANNED, ACTUAL = 426000, 356500  # hand-computed in tests/test_rates.py
PHONE = "13912345678"
MEETING = AdjustmentInput(8000, f"加用会议室半天（经办 {PHONE}）")
MEAL_BACK = AdjustmentInput(-2000, "一餐未用，按实退")
ID_SHAPED = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9X](?![0-9])")
MOBILE_SHAPED = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    _out, err = capsys.readouterr()
    return code, err


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _invoiced(db: Database, trip) -> settlement.InvoiceRow:  # noqa: F811
    """The trip completed, invoiced at ¥3,625.00 (6%) with its two lines, approved on 10 July 2021 and paid
    ¥2,000.00 of it on 20 July."""
    batch, base, _card, people = trip
    _complete(db, batch.id, people)
    invoice = settlement.record_invoice(
        db,
        batch.id,
        base.id,
        InvoiceInput(
            "04512345",
            D(2021, 7, 5),
            ACTUAL + 6000,
            notes=f"基地联系人 {PHONE}",
            adjustments=(MEETING, MEAL_BACK),
        ),
    )
    invoice = settlement.approve(db, invoice.id, invoice.version, on=D(2021, 7, 10))
    return settlement.pay(
        db, invoice.id, paid_on=D(2021, 7, 20), amount_fen=200000, reference="DZ20210720001"
    )


def test_the_sheet_of_an_invoice_explained_approved_and_paid_in_part(
    db: Database,
    trip,  # noqa: F811
    tmp_path: Path,
    capsys,
) -> None:
    batch, _base, card, _people = trip
    _invoiced(db, trip)
    target = tmp_path / "结算单.pdf"
    code, err = run(capsys, "--db", db.url, "print", "settlement", batch.code, "-o", str(target))
    assert code == 0, err
    assert str(target) in err
    text = pdf_text(target)
    assert "第 1 页 / 共 2 页" in text  # twelve items, the invoice, its lines and the payment: two pages
    for words in (
        "基地费用结算单",
        "建德市总工会",  # the union, in the header
        batch.code,
        "宁波大学",
        "2021年6月30日 至 7月2日（3 天 2 晚）",
        # 4 planned; 职工A, 职工C came and 职工E left early (职工D did not come); 家属B is a companion
        "计划 4 人，实到 3 人",
        "随行家属 1 人",
        # the base's invoice details from its rate card
        "建德市寿昌宾馆有限公司",
        card.uscc,
        "中国工商银行建德寿昌支行",
        "1202 0267 0900 0123 456",
        "经办人",
        "审核人",
        "负责人",
    ):
        assert words in text, words
    # the comparison: 30 June's dinner planned for 6 (four, the companion, the guide) at ¥60.00 = ¥360.00,
    # five ate it (职工D did not come) = ¥300.00: −¥60.00
    assert re.search(r"晚餐\s*6 人\s*60\.00\s*360\.00\s*5 人\s*60\.00\s*300\.00\s*-60\.00", text), text
    for figure in (
        "4,260.00",  # planned, tax included
        "241.13",  # its tax: 426000 × 600 / 10600 = 24113.2… → 24113 fen
        "4,018.87",  # before tax
        "3,565.00",  # actual
        "201.79",  # 356500 × 600 / 10600 = 20179.2… → 20179 fen
        "3,363.21",
        "-695.00",  # actual less planned
    ):
        assert figure in text, figure
    # the invoice: ¥3,625.00 at 6%, tax 362500 × 600 / 10600 = 20518.87 → 205.19, before tax 3,419.81
    for figure in ("04512345", "2021年7月5日", "3,625.00 元", "6%", "205.19 元", "3,419.81 元"):
        assert figure in text, figure
    # the difference from the actual cost and the lines that explain it
    assert "发票金额 3,625.00 元 − 实际费用 3,565.00 元 = 差额 +60.00 元" in text
    assert re.search(r"加用会议室半天（经办 139\*\*\*\*5678）\s*\+80\.00", text), text
    assert re.search(r"一餐未用，按实退\s*-20\.00", text)
    assert re.search(r"已说明合计\s*\+60\.00", text) and re.search(r"未说明\s*0\.00", text)
    # approval, the payment, what is outstanding, the state
    assert f"审批：{audit_user(db)}，2021年7月10日" in text
    assert re.search(r"2021年7月20日\s*DZ20210720001\s*2,000\.00", text)
    assert re.search(r"已付合计\s*2,000\.00", text) and re.search(r"未付金额\s*1,625\.00", text)
    assert "结算状态：已审批待付" in text
    # no ID number nor phone in full: the notes and the reasons masked, the roster never printed
    assert PHONE not in text and "基地联系人 139****5678" in text
    assert not any(number in text for number, _phone in stored_numbers(db, batch.id).values())
    assert set(ID_SHAPED.findall(text)) <= {card.uscc}  # the base's credit code is the only 18 characters
    assert not MOBILE_SHAPED.findall(text)


def test_a_batch_without_an_invoice_still_prints(db: Database, trip, tmp_path: Path) -> None:  # noqa: F811
    batch, base, _card, people = trip
    # planned: only the plan to compare
    result = render(db, "settlement", batch.code, tmp_path / "planned.pdf")
    text = pdf_text(result.path)
    assert "尚未收到发票" in text and "计划费用 4,260.00 元" in text
    assert "结算状态：未收票" in text and "实到人数待报到关闭后确定" in text
    assert "实际费用在批次完成并关闭报到后" in text
    assert re.search(r"合计（含税）\s*4,260\.00\s*—\s*—", text), text  # no actual yet
    assert "差额说明" not in text and "审批与付款" not in text
    # completed, the roll call closed: the actual cost to compare, still no invoice
    _complete(db, batch.id, people)
    result = render(db, "settlement", batch.code, tmp_path / "done.pdf", base=base.name)
    text = pdf_text(result.path)
    assert "尚未收到发票。实际费用 3,565.00 元" in text
    assert re.search(r"合计（含税）\s*4,260\.00\s*3,565\.00\s*-695\.00", text), text


def test_the_command_line_refuses_an_unknown_batch_or_base(
    db: Database,
    trip,  # noqa: F811
    tmp_path: Path,
    capsys,
) -> None:
    from tests.factories import certified_base

    batch, _base, _card, _people = trip
    certified_base(db, "新安江大酒店")
    target = tmp_path / "x.pdf"
    code, err = run(capsys, "--db", db.url, "print", "settlement", "L2099-9999", "-o", str(target))
    assert code == 1 and "L2099-9999" in err and not target.exists()
    code, err = run(
        capsys, "--db", db.url, "print", "settlement", batch.code, "--base", "无此基地", "-o", str(target)
    )
    assert code == 1 and "没有名为“无此基地”的基地" in err and not target.exists()
    code, err = run(
        capsys, "--db", db.url, "print", "settlement", batch.code, "--base", "新安江大酒店", "-o", str(target)
    )
    assert code == 1 and not target.exists()
    assert "新安江大酒店" in err and "这个批次的基地：寿昌宾馆" in err
    # the base as people type it (a space, full-width brackets aside) is found
    code, err = run(
        capsys, "--db", db.url, "print", "settlement", batch.code, "--base", "寿昌 宾馆", "-o", str(target)
    )
    assert code == 0, err
    assert "寿昌宾馆" in pdf_text(target)


def _sums_hold(part: settlement_docs.BaseSheet) -> None:
    """Every total of a base's sheet is the sum of the lines printed above it."""
    row = part.row
    assert sum(line.planned_fen for line in part.lines) == part.planned_fen, row.base
    if part.actual_fen is not None:
        assert sum(line.actual_fen or 0 for line in part.lines) == part.actual_fen, row.base
    invoice = row.invoice
    if invoice is not None:
        assert sum(a.amount_fen for a in invoice.adjustments) == invoice.explained_fen
        assert invoice.explained_fen + row.unexplained_fen == row.difference_fen
        assert row.difference_fen == invoice.amount_fen - row.expected_fen
        assert sum(p.amount_fen for p in invoice.payments) == invoice.paid_fen
        assert invoice.paid_fen + invoice.outstanding_fen == invoice.amount_fen


def test_on_the_demo_every_total_is_the_sum_of_its_lines(demo_db: Database, tmp_path: Path) -> None:
    rows = settlement.settlements(demo_db)
    adjusted = [r.batch_code for r in rows if r.invoice is not None and r.invoice.adjustments][:4]
    open_ones = [r.batch_code for r in rows if r.state in ("none", "received", "approved")][:3]
    paid_in_full = [r.batch_code for r in rows if r.state == "paid" and not r.invoice.adjustments][:2]  # type: ignore[union-attr]
    codes = list(dict.fromkeys(adjusted + open_ones + paid_in_full))
    assert len(codes) >= 6
    printed = 0
    for code in codes:
        sheet = settlement_docs.settlement_sheet(demo_db, code)
        assert sheet.bases and {p.row.batch_code for p in sheet.bases} == {code}
        for part in sheet.bases:
            _sums_hold(part)
        # the totals of the table are the sums of its rows (as the text prints them)
        for part in sheet.bases:
            table = settlement_docs.line_rows(part)
            items, total = table[2:-3], table[-3]
            if part.lines:
                printed_sum = sum(_fen(r[4]) for r in items)
                assert printed_sum == _fen(total[4]) == part.planned_fen
                if part.actual_fen is not None:
                    assert sum(_fen(r[7]) for r in items) == _fen(total[7]) == part.actual_fen
        if printed < 3:  # and the PDF says them
            target = tmp_path / f"{code}.pdf"
            text = pdf_text(settlement_docs.print_settlement(demo_db, code, target).path)
            assert len(PdfReader(target).pages) >= len(sheet.bases)
            for part in sheet.bases:
                row = part.row
                assert row.base in text
                assert settlement_docs.money(part.planned_fen) in text
                if row.invoice is not None:
                    assert f"{settlement_docs.money(row.invoice.amount_fen)} 元" in text
                    for adjustment in row.invoice.adjustments:
                        assert settlement_docs.signed(adjustment.amount_fen) in text
                else:
                    assert "尚未收到发票" in text
            assert not MOBILE_SHAPED.findall(text)
            printed += 1


def _fen(text: str) -> int:
    from recuperation.money import parse_yuan

    return 0 if text in ("—", "") else parse_yuan(text.replace("-", "")) * (-1 if text.startswith("-") else 1)


@pytest.mark.ui
def test_the_settlement_tab_prints_the_sheet(qtbot, db: Database, trip) -> None:  # noqa: F811
    from tests.ui_helpers import wait_page
    from ui.batch.page import BatchesPage
    from ui.desk import Desk

    batch, _base, _card, _people = trip
    _invoiced(db, trip)
    desk = Desk(db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_page(qtbot, page)
    panel = page.batches
    page.open_batch(batch.id)
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == batch.id, timeout=10_000)
    panel.tabs.setCurrentWidget(panel.settlement)
    view = panel.settlement
    qtbot.waitUntil(lambda: view.busy == 0 and len(view.rows) == 1, timeout=10_000)
    try:
        button = view.print_button
        assert button.text() == "打印结算单…" and button.isEnabled()
        assert button.isVisible() and view.rect().contains(button.geometry())  # it fits the tab
        button.click()
        qtbot.waitUntil(lambda: view.preview is not None, timeout=15_000)
        preview = view.preview
        assert preview is not None and preview.isVisible()
        assert preview.windowTitle() == f"{batch.code} 寿昌宾馆 结算单"
        assert preview.document.pageCount() == 2
        text = pdf_text(preview.path)
        assert "寿昌宾馆" in text and "3,625.00 元" in text and re.search(r"未付金额\s*1,625\.00", text)
        preview.close()
    finally:
        desk.worker.shutdown()


def test_a_batch_at_no_base_prints_that_nothing_is_to_settle(db: Database, trip, tmp_path: Path) -> None:  # noqa: F811
    batch, _base, _card, _people = trip
    later = batches.create_batch(
        db,
        batches.BatchInput(batches.get_batch(db, batch.id).partner_id, D(2021, 9, 1), D(2021, 9, 1), 10),
    )
    confirm_orders(db, later.id)
    result = render(db, "settlement", later.code, tmp_path / "none.pdf")
    assert "没有需要结算的费用" in pdf_text(result.path)
