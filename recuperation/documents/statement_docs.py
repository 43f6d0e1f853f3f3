"""The partner's annual statement (年度对账单): the union and the partner, the year, every batch with its people,
days and amounts, the totals (each the sum of its lines), the agreements against their quotas, the rules the
amounts follow, what is still unknown, and a signature block for both sides.  Amounts come from
:mod:`recuperation.services.charges`; the document only lays them out."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, Spacer, TableStyle

from recuperation.documents.batch_docs import DocumentResult, date_text
from recuperation.documents.fonts import PdfFont, find_font
from recuperation.documents.pdf import Heading, build, grid, paragraph, styles
from recuperation.labels import label
from recuperation.money import yuan_text
from recuperation.services import policy as policy_service
from recuperation.services.charges import ChargeLine, Statement, find_statement, percent_text, rule_notes
from recuperation.storage.database import Database

#: The batches' table: its columns and their widths (174 mm, the width of portrait A4 inside the margins).
#: The four amounts' columns hold ¥99,999,999.99 at the table's type size (7.5 pt); a wider value, and any
#: other cell too wide for its column, is printed in a smaller type (:func:`fit`), never cut off.
COLUMNS = (
    "批次编号",
    "日期",
    "线路",
    "人数\n计划/实到",
    "家属",
    "人天",
    "结算方式",
    "单价",
    "金额",
    "未到退费",
    "应收金额",
    "家属自费",
)
WIDTHS = [
    15.4 * mm,
    16.4 * mm,
    20 * mm,
    14 * mm,
    7 * mm,
    9 * mm,
    9.8 * mm,
    10 * mm,
    18.1 * mm,
    18.1 * mm,
    18.1 * mm,
    18.1 * mm,
]
#: The agreements' table: 协议编号, 有效期, 结算方式, 单价, 退费比例, the quotas and the year's figures.
QUOTA_WIDTHS = [30 * mm, 34 * mm, 16 * mm, 16 * mm, 14 * mm, 16 * mm, 16 * mm, 16 * mm, 16 * mm]
UNKNOWN = "未知"
MONEY_COLUMNS = range(7, 12)
#: The tables' type size, the smallest a cell too wide for its column shrinks to, and the cells' side padding
#: (points).
SIZE = 7.5
SMALLEST = 5
PADDING = 2
#: The marks of 据实 whose footnote, under the table, says where the cost comes from.
MARKS = "①②③④⑤⑥⑦⑧⑨⑩"


def money(fen: int | None) -> str:
    return UNKNOWN if fen is None else yuan_text(fen)


def fit(text: str, width: float, font: PdfFont, *, right: bool = True) -> Any:
    """``text`` as a cell ``width`` points wide: as it is where it fits at :data:`SIZE`, else a paragraph in
    the largest smaller type that fits (down to :data:`SMALLEST`, then wrapped) — it never runs into the next
    cell nor is cut off."""
    room = width - 2 * PADDING
    needed = stringWidth(text, font.name, SIZE)
    if needed <= room:
        return text
    size = max(SMALLEST, math.floor(SIZE * room / needed * 10) / 10)
    style = ParagraphStyle(
        "fitted",
        fontName=font.name,
        fontSize=size,
        leading=size + 1.5,
        alignment=TA_RIGHT if right else TA_LEFT,
        wordWrap="CJK",
    )
    return Paragraph(escape(text), style)


def source_marks(statement: Statement, font: PdfFont | None = None) -> dict[tuple[str, ...], str]:
    """Where the costs of the statement's batches at cost come from (发票、实际、计划), each different set a
    footnote mark (①, ② … in the order the batches first use them) explained under the table."""
    found: dict[tuple[str, ...], str] = {}
    for line in statement.lines:
        if line.basis == "cost" and line.cost_sources and line.cost_sources not in found:
            n = len(found)
            mark = MARKS[n] if n < len(MARKS) else f"[{n + 1}]"
            if font is not None and font.characters and any(ord(c) not in font.characters for c in mark):
                mark = f"[{n + 1}]"
            found[line.cost_sources] = mark
    return found


def basis_text(line: ChargeLine, marks: dict[tuple[str, ...], str] | None = None) -> str:
    """结算方式 as the table prints it, on one line: 协议价, 无协议, or 据实 with the mark of the footnote that
    says where its cost comes from (据实①); without ``marks`` the sources in brackets (据实（发票、实际）)."""
    if line.basis is None:
        return "无协议"
    if line.basis == "cost":
        if marks is not None:
            return "据实" + marks.get(line.cost_sources, "")
        sources = "、".join(label("cost_source", s, "zh") for s in line.cost_sources)
        return f"据实（{sources}）" if sources else "据实"
    return "协议价"


def sources_note(marks: dict[tuple[str, ...], str]) -> str:
    """The footnote under the batches' table: “结算方式：据实① 成本依据基地发票；据实② 成本依据发票、实际用量。”"""
    parts = [
        f"据实{mark} 成本依据{'、'.join(label('cost_ground', s, 'zh') for s in sources)}"
        for sources, mark in marks.items()
    ]
    return "结算方式：" + "；".join(parts) + "。"


def stay_text(line: ChargeLine) -> str:
    first, last = line.arrival, line.departure
    return f"{first.month}/{first.day}–{last.month}/{last.day}"


def people_text(members: int, attended: int | None) -> str:
    return f"{members:,}/{attended:,}" if attended is not None else f"{members:,}/—"


def batch_rows(statement: Statement, cell: ParagraphStyle, font: PdfFont | None = None) -> list[list[Any]]:
    """The table's header, a row per batch and the totals row (the sums of the rows above).  With ``font``
    every cell is fitted to its column (:func:`fit`)."""
    marks = source_marks(statement, font)
    rows: list[list[Any]] = [[paragraph(h, cell) if "\n" not in h else _lines(h, cell) for h in COLUMNS]]
    for line in statement.lines:
        rows.append(
            [
                line.code,
                stay_text(line),
                paragraph(line.route or "—", cell),
                people_text(line.members, line.attended),
                f"{line.companions:,}",
                f"{line.person_days:,}",
                basis_text(line, marks),
                "—" if line.unit_fen is None else yuan_text(line.unit_fen),
                money(line.gross_fen),
                yuan_text(line.credit_fen) if line.known else "—",
                money(line.owed_fen),
                money(line.companions_fen),
            ]
        )
    t = statement.totals
    closed = any(line.closed for line in statement.lines)
    rows.append(
        [
            "合计",
            f"{t.batches:,} 批",
            "",
            people_text(t.members, t.attended if closed else None),
            f"{t.companions:,}",
            f"{t.person_days:,}",
            "",
            "",
            yuan_text(t.gross_fen),
            yuan_text(t.credit_fen),
            yuan_text(t.owed_fen),
            yuan_text(t.companions_fen),
        ]
    )
    if font is not None:
        for row in rows[1:]:
            for c, value in enumerate(row):
                if isinstance(value, str) and value:
                    row[c] = fit(value, WIDTHS[c], font, right=c >= 3 and c != 6)
    return rows


def _lines(text: str, style: ParagraphStyle) -> Any:
    return Paragraph("<br/>".join(escape(part) for part in text.split("\n")), style)


def quota_rows(statement: Statement, cell: ParagraphStyle, font: PdfFont | None = None) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            paragraph(h, cell)
            for h in (
                "协议编号",
                "有效期",
                "结算方式",
                "单价（元/人天）",
                "未到退费比例",
                "年度批次配额",
                "本年批次",
                "年度人数配额",
                "本年人数",
            )
        ]
    ]
    for q in statement.quotas:
        rows.append(
            [
                paragraph(q.number, cell),
                paragraph(f"{q.valid_from.isoformat()} 至 {q.valid_to.isoformat()}", cell),
                paragraph(label("charge_basis", q.basis, "zh"), cell),
                "—" if q.price_fen is None else yuan_text(q.price_fen),
                percent_text(q.credit_bp),
                "不限" if q.quota_batches is None else f"{q.quota_batches:,}",
                _against(q.used_batches, q.quota_batches),
                "不限" if q.quota_people is None else f"{q.quota_people:,}",
                _against(q.used_people, q.quota_people),
            ]
        )
    if font is not None:
        for row in rows[1:]:
            for c, value in enumerate(row):
                if isinstance(value, str) and value:
                    row[c] = fit(value, QUOTA_WIDTHS[c], font)
    return rows


def _against(used: int, quota: int | None) -> str:
    if quota is None or used <= quota:
        return f"{used:,}"
    return f"{used:,}（超 {used - quota:,}）"


def summary_text(statement: Statement) -> str:
    t = statement.totals
    text = (
        f"{statement.year}年，{statement.partner}共有职工疗休养等批次 {t.batches:,} 个（已取消的不计），"
        f"计划 {t.members:,} 人次、{t.person_days:,} 人天，随行家属 {t.companions:,} 人。"
        f"应收金额合计 {yuan_text(t.owed_fen)} 元（金额 {yuan_text(t.gross_fen)} 元，"
        f"减未到退费 {yuan_text(t.credit_fen)} 元）；随行家属自费 {yuan_text(t.companions_fen)} 元，另行结算，"
        "不含在应收金额内。"
    )
    if t.unknown:
        codes = "、".join(line.code for line in statement.lines if not line.known)
        text += f"另有 {t.unknown} 个批次金额未知（{codes}），未计入合计。"
    return text


def print_statement(
    db: Database, partner: str, year: int, path: Path, font: PdfFont | None = None
) -> DocumentResult:
    """The statement of ``partner`` (its name) for ``year`` as a PDF at ``path``."""
    statement = find_statement(db, partner, year)
    return write_statement(db, statement, path, font)


def write_statement(
    db: Database, statement: Statement, path: Path, font: PdfFont | None = None
) -> DocumentResult:
    font = font or find_font()
    st = styles(font)
    cell = ParagraphStyle("statement_cell", parent=st.cell, fontSize=SIZE, leading=9)
    union = policy_service.get_policy(db).union_name
    year = statement.year
    story: list[Any] = [
        paragraph(f"{year}年度职工疗休养对账单", st.title),
        grid(
            [
                [paragraph("合作单位", st.cell), paragraph(statement.partner, st.cell)],
                [paragraph("接待单位", st.cell), paragraph(union, st.cell)],
                [
                    paragraph("对账期间", st.cell),
                    paragraph(
                        f"{date_text(dt.date(year, 1, 1))} 至 {date_text(dt.date(year, 12, 31))}（按到达日期）",
                        st.cell,
                    ),
                ],
                [
                    paragraph("合作协议", st.cell),
                    paragraph("、".join(q.number for q in statement.quotas) or "无", st.cell),
                ],
            ],
            [30 * mm, 144 * mm],
            font,
            header_rows=0,
            zebra=False,
        ),
        Spacer(1, 3 * mm),
        paragraph(summary_text(statement), st.body),
        paragraph("批次明细（金额单位：元）", st.section),
    ]
    table = grid(batch_rows(statement, cell, font), WIDTHS, font)
    last = len(statement.lines) + 1
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), SIZE),
                ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
                ("ALIGN", (6, 1), (6, -1), "LEFT"),
                ("BACKGROUND", (0, last), (-1, last), colors.HexColor("#eef2f7")),
                ("LINEABOVE", (0, last), (-1, last), 1.2, colors.HexColor("#444444")),
                ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
            ]
        )
    )
    story.append(table)
    marks = source_marks(statement, font)
    if marks:
        story.append(paragraph(sources_note(marks), st.small))
    story.append(paragraph("协议与年度配额", st.section))
    if statement.quotas:
        quotas = grid(quota_rows(statement, cell, font), QUOTA_WIDTHS, font)
        quotas.setStyle(
            TableStyle(
                [
                    ("FONTSIZE", (0, 0), (-1, -1), SIZE),
                    ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                    ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                ]
            )
        )
        story.append(quotas)
    else:
        story.append(paragraph("本年度没有有效的合作协议。", st.body))
    findings = statement.findings
    if findings:
        story.append(paragraph("待补事项", st.section))
        for finding in findings:
            story.append(paragraph(f"· {finding.message('zh')}", st.body))
    story.append(paragraph("计费规则", st.section))
    for n, note in enumerate(rule_notes(statement), start=1):
        story.append(paragraph(f"{n}. {note}", st.body))
    story.append(Spacer(1, 8 * mm))
    signature = grid(
        [
            [paragraph(f"合作单位：{statement.partner}", st.body), paragraph(f"接待单位：{union}", st.body)],
            [paragraph("（盖章）", st.body), paragraph("（盖章）", st.body)],
            [
                paragraph("经办人签字：______________", st.body),
                paragraph("经办人签字：______________", st.body),
            ],
            [
                paragraph("日期：______年____月____日", st.body),
                paragraph("日期：______年____月____日", st.body),
            ],
        ],
        [87 * mm, 87 * mm],
        font,
        header_rows=0,
        zebra=False,
    )
    signature.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0, colors.white),
                ("BACKGROUND", (0, 0), (-1, -1), colors.white),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    story.append(KeepTogether([paragraph("双方确认", st.section), signature]))
    build(path, Heading(union, "对账单", f"{statement.partner} {year}", dt.date.today()), story, font)
    return DocumentResult(path, font)
