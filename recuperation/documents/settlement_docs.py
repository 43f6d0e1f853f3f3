"""The settlement sheet (结算单) of a batch with a base, for the finance office's voucher: the batch's facts, the
base's invoice details from its rate card, the items planned beside actual with the totals and their tax, the
base's invoice, the difference and the lines that explain it, the approval, the payments and what is still
outstanding, the state, and the signatures of 经办人, 审核人 and 负责人.

One base a page (or more when its items are many), for every base the batch is settled with, or for one.  A
base that has not invoiced yet still prints: the comparison, and 尚未收到发票.  The figures come from
:mod:`recuperation.services.settlement` and :mod:`recuperation.services.rates` (the one rule of what a batch
cost); this module only lays them out, and every total it prints is the sum of the lines printed above it.
No ID number and no phone number is printed (the batch's leader is left out; free text is masked).

Documents are Chinese whatever the messages' language, as the other documents are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle
from sqlmodel import select

from recuperation import messages
from recuperation.documents.batch_docs import DocumentResult, batch_details, date_text
from recuperation.documents.fonts import PdfFont, find_font
from recuperation.documents.pdf import Heading, Styles, build, grid, paragraph, styles
from recuperation.errors import NotFoundError, ValidationError
from recuperation.labels import label
from recuperation.models import Base, RateUnit
from recuperation.money import rate_text, yuan_text
from recuperation.people import mask_in_text
from recuperation.services import charges, rates, settlement
from recuperation.storage.database import Database

TITLE = "基地费用结算单"
WIDTH = 174 * mm  # A4 less the margins of documents.pdf
#: The items' table: 日期, 项目, then 数量 单价 金额 planned and actual, and 差额 (174 mm in all).
LINE_WIDTHS = [14 * mm, 46 * mm, 13 * mm, 16 * mm, 19 * mm, 13 * mm, 16 * mm, 19 * mm, 18 * mm]
#: What a quantity counts, by the unit of its price.
QUANTITY_WORDS = {
    RateUnit.PER_ROOM_NIGHT.value: "间",
    RateUnit.PER_PERSON.value: "人",
    RateUnit.PER_SESSION.value: "场",
}
NO_INVOICE = "尚未收到发票。"
SIGNERS = ("经办人", "审核人", "负责人")


# -- what the sheet says ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseSheet:
    """One base's part of the sheet: its settlement row, the items planned beside actual (read with the row,
    so that its planned and actual totals are the sums of the items), the tax inside each total, and the rate
    card valid on the batch's arrival (None: none is)."""

    row: settlement.SettlementRow
    lines: tuple[settlement.CompareLine, ...]
    planned_tax_fen: int
    actual_tax_fen: int | None
    card: rates.CardRow | None

    @property
    def planned_fen(self) -> int:
        return self.row.planned_fen

    @property
    def actual_fen(self) -> int | None:
        return self.row.actual_fen


@dataclass(frozen=True)
class SettlementSheet:
    """A batch's settlement sheet: its facts and a :class:`BaseSheet` per base printed."""

    union: str
    code: str
    kind: str
    status: str
    partner: str
    route: str
    arrival: dt.date
    departure: dt.date
    headcount: int
    members: int  # the roster's members, else the headcount (the statistics' people)
    attended: int | None  # members who came, once the roll call is closed
    companions: int
    bases: tuple[BaseSheet, ...]


def _base_id(db: Database, name: str) -> int:
    """The base named ``name`` (spaces and full-width forms aside, as ``settle`` finds it)."""
    wanted = rates.fold_name(name)
    with db.session() as session:
        found = [(b.id, b.name) for b in session.exec(select(Base)).all()]
    exact = next((i for i, n in found if n == name.strip()), None)
    base_id = (
        exact if exact is not None else next((i for i, n in found if rates.fold_name(n) == wanted), None)
    )
    if base_id is None:
        raise NotFoundError("order.unknown_base", field="base", base=name.strip())
    return base_id


def settlement_sheet(db: Database, batch_code: str, base_name: str | None = None) -> SettlementSheet:
    """What the settlement sheet of ``batch_code`` says, for every base it is settled with or only for
    ``base_name``: refused for an unknown batch or base, or a base the batch neither uses nor has an invoice
    from (the refusal names the batch's bases)."""
    details, union, _address = batch_details(db, batch_code)
    b = details.batch
    wanted = _base_id(db, base_name) if base_name is not None else None
    data = settlement.batch_settlement(db, b.id)
    rows = list(data.rows)
    if wanted is not None:
        rows = [r for r in rows if r.base_id == wanted]
        if not rows:
            assert base_name is not None
            raise ValidationError(
                "settle.print_not_used",
                field="base",
                batch=b.code,
                base=base_name.strip(),
                bases=messages.join([r.base for r in data.rows]) if data.rows else "—",
            )
    sheets = rates.batch_costs(db, [b.id])
    with db.session() as session:
        line = charges.batch_charges(session, [b.id]).get(b.id)
    bases = []
    for row in rows:
        sheet = sheets.get((b.id, row.base_id))
        cards = rates.list_cards(db, row.base_id)
        bases.append(
            BaseSheet(
                row,
                data.lines.get(row.base_id, ()),  # read with the rows: their totals are the lines' sums
                sheet.planned.tax_fen if sheet is not None else 0,
                sheet.actual.tax_fen if sheet is not None and sheet.actual is not None else None,
                rates.card_on(cards, b.arrival),
            )
        )
    return SettlementSheet(
        union,
        b.code,
        b.kind,
        b.status,
        b.partner,
        b.route,
        b.arrival,
        b.departure,
        b.headcount,
        line.members if line is not None else b.people,
        line.attended if line is not None else None,
        line.companions if line is not None else 0,
        tuple(bases),
    )


# -- small words ----------------------------------------------------------------------------------------------


def money(fen: int | None) -> str:
    return "—" if fen is None else yuan_text(fen)


def signed(fen: int | None) -> str:
    if fen is None:
        return "—"
    return f"+{yuan_text(fen)}" if fen > 0 else yuan_text(fen)


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def stay_text(arrival: dt.date, departure: dt.date) -> str:
    days = (departure - arrival).days + 1
    last = _md(departure) if departure.year == arrival.year else date_text(departure)
    return f"{date_text(arrival)} 至 {last}（{days} 天 {days - 1} 晚）"


def people_text(sheet: SettlementSheet) -> str:
    """计划 4 人，实到 3 人；随行家属 1 人 (the roster's members when it differs from the headcount)."""
    planned = f"计划 {sheet.headcount} 人"
    if sheet.members != sheet.headcount:
        planned += f"（名单 {sheet.members} 人）"
    came = f"实到 {sheet.attended} 人" if sheet.attended is not None else "实到人数待报到关闭后确定"
    text = f"{planned}，{came}"
    if sheet.companions:
        text += f"；随行家属 {sheet.companions} 人"
    return text


def quantity_text(quantity: int | None, unit: str) -> str:
    if quantity is None:
        return "—"
    word = QUANTITY_WORDS.get(unit, "")
    return f"{quantity:,} {word}".strip()


def item_text(line: settlement.CompareLine) -> str:
    text = line.item_text("zh")
    if line.staff:
        text += "（导游、司机）"
    if line.missing:
        text += "（无价格）"
    return mask_in_text(text)


def source_text(row: settlement.SettlementRow) -> str:
    return "实际费用" if row.expected_source == "actual" else "计划费用"


# -- the document ---------------------------------------------------------------------------------------------


def _pairs(pairs: list[tuple[str, str]], st: Styles, font: PdfFont, labels: float = 31 * mm) -> Table:
    """Label / value pairs, two pairs a row, the labels (``labels`` wide) shaded (the house style of the orders)."""
    rows: list[list[Any]] = []
    for i in range(0, len(pairs), 2):
        row: list[Any] = []
        for key, value in pairs[i : i + 2]:
            row += [paragraph(key, st.cell), paragraph(value, st.cell)]
        rows.append(row + [""] * (4 - len(row)))
    values = WIDTH / 2 - labels
    table = grid(rows, [labels, values, labels, values], font, header_rows=0, zebra=False)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.white),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f7")),
                ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#eef2f7")),
            ]
        )
    )
    if len(pairs) % 2:  # the last pair alone on its row: its value takes the whole row
        table.setStyle(
            TableStyle([("SPAN", (1, -1), (3, -1)), ("BACKGROUND", (2, -1), (2, -1), colors.white)])
        )
    return table


def _facts(sheet: SettlementSheet, part: BaseSheet) -> list[tuple[str, str]]:
    row = part.row
    return [
        ("结算基地", row.base),
        ("结算状态", label("settlement_state", row.state, "zh")),
        ("批次编号", sheet.code),
        ("合作单位", sheet.partner),
        ("类型", label("batch_kind", sheet.kind, "zh")),
        ("批次状态", label("batch_status", sheet.status, "zh")),
        ("日期", stay_text(sheet.arrival, sheet.departure)),
        ("线路", sheet.route or "—"),
        ("人数", people_text(sheet)),
    ]


def _payee(card: rates.CardRow | None) -> list[tuple[str, str]]:
    if card is None:
        return []
    return [
        ("开票单位", card.invoice_title or "—"),
        ("统一社会信用代码", card.uscc or "—"),
        ("开户银行", card.bank_name or "—"),
        ("银行账号", card.bank_account or "—"),
        ("价目表", f"{card.name}（{date_text(card.valid_from)} 至 {date_text(card.valid_to)}）"),
        ("税率", rate_text(card.tax_bp)),
    ]


def line_rows(part: BaseSheet) -> list[list[Any]]:
    """The items' table as text: two header rows, a row an item, then 合计（含税）, 其中税额, 不含税金额 — each
    total the sum of the column above it."""
    rows: list[list[Any]] = [
        ["日期", "项目", "计划", "", "", "实际", "", "", "差额"],
        ["", "", "数量", "单价", "金额", "数量", "单价", "金额", ""],
    ]
    known = part.actual_fen is not None
    for line in part.lines:
        rows.append(
            [
                _md(line.day),
                item_text(line),
                quantity_text(line.planned_qty, line.unit),
                money(line.planned_unit_fen) if line.planned_unit_fen is not None else "—",
                money(line.planned_fen),
                quantity_text(line.actual_qty, line.unit) if known else "—",
                money(line.actual_unit_fen) if known and line.actual_unit_fen is not None else "—",
                money(line.actual_fen) if known else "—",
                signed(line.difference_fen) if known else "—",
            ]
        )
    actual, actual_tax = part.actual_fen, part.actual_tax_fen
    rows.append(
        [
            "合计（含税）",
            "",
            "",
            "",
            money(part.planned_fen),
            "",
            "",
            money(actual),
            signed(None if actual is None else actual - part.planned_fen),
        ]
    )
    rows.append(["其中税额", "", "", "", money(part.planned_tax_fen), "", "", money(actual_tax), ""])
    rows.append(
        [
            "不含税金额",
            "",
            "",
            "",
            money(part.planned_fen - part.planned_tax_fen),
            "",
            "",
            money(None if actual is None or actual_tax is None else actual - actual_tax),
            "",
        ]
    )
    return rows


def _lines_table(part: BaseSheet, st: Styles, font: PdfFont) -> Table:
    rows = line_rows(part)
    cell = ParagraphStyle("settle_item", parent=st.cell, fontSize=8, leading=9.5)
    for r in rows[2:-3]:
        if len(r[1]) > 14:
            r[1] = paragraph(r[1], cell)
    table = grid(rows, LINE_WIDTHS, font, header_rows=2)
    first_total = len(rows) - 3
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("LEADING", (0, 0), (-1, -1), 10),  # a dense table: a row 14 points high
                ("SPAN", (0, 0), (0, 1)),
                ("SPAN", (1, 0), (1, 1)),
                ("SPAN", (2, 0), (4, 0)),
                ("SPAN", (5, 0), (7, 0)),
                ("SPAN", (8, 0), (8, 1)),
                ("ALIGN", (0, 0), (-1, 1), "CENTER"),
                ("ALIGN", (2, 2), (-1, -1), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                *[("SPAN", (0, r), (3, r)) for r in range(first_total, len(rows))],
                *[("SPAN", (5, r), (6, r)) for r in range(first_total, len(rows))],
                ("BACKGROUND", (0, first_total), (-1, -1), colors.HexColor("#eef2f7")),
                ("LINEABOVE", (0, first_total), (-1, first_total), 1.2, colors.HexColor("#444444")),
            ]
        )
    )
    return table


def _amounts_table(
    rows: list[list[str]], widths: list[float], st: Styles, font: PdfFont, *, total_rows: int = 1
) -> Table:
    """A small table whose last ``total_rows`` rows are totals (shaded, under a rule); amounts right."""
    table = grid(rows, widths, font)
    first = len(rows) - total_rows
    table.setStyle(
        TableStyle(
            [
                ("ALIGN", (-1, 1), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, first), (-1, -1), colors.HexColor("#eef2f7")),
                ("LINEABOVE", (0, first), (-1, first), 1.2, colors.HexColor("#444444")),
            ]
        )
    )
    return table


def _invoice_part(part: BaseSheet, st: Styles, font: PdfFont) -> list[Any]:
    row, invoice = part.row, part.row.invoice
    if invoice is None:
        expected = f"{source_text(row)} {money(row.expected_fen)} 元"
        if row.state == settlement.NOT_DUE:
            return [paragraph(f"{NO_INVOICE}按价目表这个基地没有费用，不需要结算。", st.body)]
        return [paragraph(f"{NO_INVOICE}{expected}，收到发票后核对。", st.body)]
    pairs = [
        ("发票号码", invoice.number),
        ("开票日期", date_text(invoice.issued_on)),
        ("金额（价税合计）", f"{money(invoice.amount_fen)} 元"),
        ("税率", rate_text(invoice.tax_bp)),
        ("税额", f"{money(invoice.tax_fen)} 元"),
        ("不含税金额", f"{money(invoice.amount_fen - invoice.tax_fen)} 元"),
        ("扫描件", "已存档" if invoice.scan_path else "无"),
    ]
    notes = mask_in_text(invoice.notes).strip()
    if notes:
        pairs.append(("备注", notes))
    return [_pairs(pairs, st, font)]


def _difference_part(part: BaseSheet, st: Styles, font: PdfFont) -> list[Any]:
    row, invoice = part.row, part.row.invoice
    assert invoice is not None
    story: list[Any] = [
        paragraph(
            f"发票金额 {money(invoice.amount_fen)} 元 − {source_text(row)} {money(row.expected_fen)} 元 "
            f"= 差额 {signed(row.difference_fen)} 元。",
            st.body,
        )
    ]
    if invoice.adjustments:
        rows: list[list[Any]] = [["序号", "说明", "金额（元）"]]
        for n, adjustment in enumerate(invoice.adjustments, start=1):
            rows.append(
                [str(n), paragraph(mask_in_text(adjustment.reason), st.cell), signed(adjustment.amount_fen)]
            )
        rows.append(["", "已说明合计", signed(invoice.explained_fen)])
        rows.append(["", "未说明", signed(row.unexplained_fen)])
        story += [
            Spacer(1, 1.5 * mm),
            _amounts_table(rows, [14 * mm, 125 * mm, 35 * mm], st, font, total_rows=2),
        ]
    elif row.difference_fen:
        story.append(paragraph(f"差额尚未说明：未说明 {signed(row.unexplained_fen)} 元。", st.body))
    else:
        story.append(paragraph(f"发票金额与{source_text(row)}一致，没有差额。", st.body))
    if row.unexplained_fen:
        story.append(paragraph("差额未全部说明，不能审批：请补充差额说明（金额和原因）。", st.small))
    return story


def _payment_part(part: BaseSheet, st: Styles, font: PdfFont) -> list[Any]:
    invoice = part.row.invoice
    assert invoice is not None
    if invoice.approved_on is not None:
        approval = f"审批：{invoice.approved_by or '—'}，{date_text(invoice.approved_on)}。"
    else:
        approval = "审批：尚未审批。"
    story: list[Any] = [paragraph(approval, st.body)]
    if invoice.payments:
        rows: list[list[Any]] = [["序号", "付款日期", "付款凭证号", "金额（元）"]]
        for n, payment in enumerate(invoice.payments, start=1):
            rows.append(
                [
                    str(n),
                    date_text(payment.paid_on),
                    paragraph(payment.reference, st.cell),
                    money(payment.amount_fen),
                ]
            )
        rows.append(["", "已付合计", "", money(invoice.paid_fen)])
        rows.append(["", "未付金额", "", money(invoice.outstanding_fen)])
        table = _amounts_table(rows, [14 * mm, 40 * mm, 85 * mm, 35 * mm], st, font, total_rows=2)
        table.setStyle(TableStyle([("SPAN", (1, r), (2, r)) for r in (len(rows) - 2, len(rows) - 1)]))
        story += [Spacer(1, 1.5 * mm), table]
    else:
        story.append(paragraph(f"付款：尚未付款。未付金额 {money(invoice.outstanding_fen)} 元。", st.body))
    return story


def _signatures(st: Styles, font: PdfFont) -> Any:
    rows = [
        [paragraph(f"{who}：______________", st.body) for who in SIGNERS],
        [paragraph("日期：____年__月__日", st.body) for _who in SIGNERS],
    ]
    table = grid(rows, [WIDTH / 3] * 3, font, header_rows=0, zebra=False)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0, colors.white),
                ("BACKGROUND", (0, 0), (-1, -1), colors.white),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


NUMBERS = "一二三四五六七八九十"


def base_story(sheet: SettlementSheet, part: BaseSheet, st: Styles, font: PdfFont) -> list[Any]:
    """One base's pages."""
    row = part.row
    title = ParagraphStyle("settle_title", parent=st.title, fontSize=16, leading=20, spaceAfter=1 * mm)
    subtitle = ParagraphStyle("settle_subtitle", parent=st.body, alignment=TA_CENTER, spaceAfter=2.5 * mm)
    story: list[Any] = [
        paragraph(TITLE, title),
        paragraph(f"{row.base}　·　批次 {sheet.code}", subtitle),
        _pairs(_facts(sheet, part), st, font, labels=20 * mm),
    ]
    sections = iter(NUMBERS)
    heading = ParagraphStyle(
        "settle_section",
        parent=st.section,
        fontSize=11,
        leading=14,
        spaceBefore=2.5 * mm,
        spaceAfter=1.2 * mm,
        keepWithNext=1,  # never a heading alone at the foot of a page
    )
    note = ParagraphStyle("settle_note", parent=st.small, spaceBefore=1 * mm)

    def section(title: str) -> Any:
        return paragraph(f"{next(sections)}、{title}", heading)

    story.append(section("收款单位（开票信息）"))
    payee = _payee(part.card)
    if payee:
        story.append(_pairs(payee, st, font))
    else:
        story.append(
            paragraph(f"{row.base}没有在 {date_text(sheet.arrival)} 有效的价目表：开票信息未知。", st.body)
        )
    story.append(section("费用明细：计划与实际（金额单位：元，含税）"))
    if part.lines:
        story.append(_lines_table(part, st, font))
    else:
        story.append(paragraph("本批次现在没有在这个基地住宿、用餐或活动：没有计划或实际费用。", st.body))
    notes = []
    if part.actual_fen is None:
        notes.append("实际费用在批次完成并关闭报到后按实到人数、房间和用餐计算，目前按计划费用核对。")
    else:
        notes.append("实际费用按报到情况计算：未到的人不计住宿和用餐，提前离开的人计到离开当天的早餐和午餐。")
    if any(line.staff for line in part.lines):
        notes.append("导游、司机的用房单列，用餐人数含随团工作人员。")
    if sheet.companions:
        notes.append("随行家属的住宿和用餐计入费用。")
    if any(line.missing for line in part.lines):
        notes.append("标“无价格”的项目价目表中没有价格，按 0 计入合计：请在价目表中补上。")
    if part.lines:
        story.append(paragraph("".join(notes), note))
    # the short sections each kept on one page with their heading
    story.append(KeepTogether([section("发票"), *_invoice_part(part, st, font)]))
    if row.invoice is not None:
        story.append(KeepTogether([section("差额说明"), *_difference_part(part, st, font)]))
        story.append(KeepTogether([section("审批与付款"), *_payment_part(part, st, font)]))
    state = label("settlement_state", row.state, "zh")
    closing = [Spacer(1, 2.5 * mm), paragraph(f"结算状态：{state}。", st.body), _signatures(st, font)]
    story.append(KeepTogether(closing))  # the state and the signatures never apart
    return story


def print_settlement(
    db: Database, batch_code: str, path: Path, base_name: str | None = None, font: PdfFont | None = None
) -> DocumentResult:
    """结算单 of ``batch_code`` for every base it is settled with (a page or more each), or for
    ``base_name`` only, as a PDF at ``path``."""
    sheet = settlement_sheet(db, batch_code, base_name)
    return write_settlement(sheet, path, font)


def write_settlement(sheet: SettlementSheet, path: Path, font: PdfFont | None = None) -> DocumentResult:
    font = font or find_font()
    st = styles(font)
    story: list[Any] = []
    for i, part in enumerate(sheet.bases):
        if i:
            story.append(PageBreak())
        story += base_story(sheet, part, st, font)
    if not sheet.bases:
        story += [
            paragraph(TITLE, st.title),
            paragraph(
                f"批次 {sheet.code}（{sheet.partner}，{stay_text(sheet.arrival, sheet.departure)}）没有安排在任何基地"
                "住宿、用餐或活动，没有需要结算的费用。",
                st.body,
            ),
        ]
    code = sheet.code if len(sheet.bases) != 1 else f"{sheet.code} {sheet.bases[0].row.base}"
    build(path, Heading(sheet.union, "结算单", code, dt.date.today()), story, font)
    return DocumentResult(path, font)
