"""The partner's annual statement (年度对账单): the union and the partner, the year, every batch with its people,
days and amounts, the totals (each the sum of its lines), the agreements against their quotas, the rules the
amounts follow, what is still unknown, and a signature block for both sides.  Amounts come from
:mod:`recuperation.services.charges`; the document only lays them out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, TableStyle

from recuperation.documents.batch_docs import DocumentResult, date_text
from recuperation.documents.fonts import PdfFont, find_font
from recuperation.documents.pdf import Heading, build, grid, paragraph, styles
from recuperation.labels import label
from recuperation.money import yuan_text
from recuperation.services import policy as policy_service
from recuperation.services.charges import ChargeLine, Statement, find_statement, percent_text, rule_notes
from recuperation.storage.database import Database

#: The batches' table: its columns and their widths (174 mm, the width of portrait A4 inside the margins).
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
    17 * mm,
    17 * mm,
    24 * mm,
    15 * mm,
    7 * mm,
    10 * mm,
    13 * mm,
    11 * mm,
    17 * mm,
    13 * mm,
    17 * mm,
    13 * mm,
]
#: The agreements' table: 协议编号, 有效期, 结算方式, 单价, 退费比例, the quotas and the year's figures.
QUOTA_WIDTHS = [30 * mm, 34 * mm, 16 * mm, 16 * mm, 14 * mm, 16 * mm, 16 * mm, 16 * mm, 16 * mm]
UNKNOWN = "未知"
MONEY_COLUMNS = range(7, 12)


def money(fen: int | None) -> str:
    return UNKNOWN if fen is None else yuan_text(fen)


def basis_text(line: ChargeLine) -> str:
    """结算方式 as the table prints it: 协议价, or 据实 with where the cost comes from (发票、实际、计划)."""
    if line.basis is None:
        return "无协议"
    if line.basis == "cost":
        sources = "、".join(label("cost_source", s, "zh") for s in line.cost_sources)
        return f"据实（{sources}）" if sources else "据实"
    return "协议价"


def stay_text(line: ChargeLine) -> str:
    first, last = line.arrival, line.departure
    return f"{first.month}/{first.day}–{last.month}/{last.day}"


def people_text(members: int, attended: int | None) -> str:
    return f"{members:,}/{attended:,}" if attended is not None else f"{members:,}/—"


def batch_rows(statement: Statement, cell: ParagraphStyle) -> list[list[Any]]:
    """The table's header, a row per batch and the totals row (the sums of the rows above)."""
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
                paragraph(basis_text(line), cell),
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
    return rows


def _lines(text: str, style: ParagraphStyle) -> Any:
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    return Paragraph("<br/>".join(escape(part) for part in text.split("\n")), style)


def quota_rows(statement: Statement, cell: ParagraphStyle) -> list[list[Any]]:
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
    cell = ParagraphStyle("statement_cell", parent=st.cell, fontSize=7.5, leading=9)
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
    table = grid(batch_rows(statement, cell), WIDTHS, font)
    last = len(statement.lines) + 1
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
                ("ALIGN", (6, 1), (6, -1), "LEFT"),
                ("BACKGROUND", (0, last), (-1, last), colors.HexColor("#eef2f7")),
                ("LINEABOVE", (0, last), (-1, last), 1.2, colors.HexColor("#444444")),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story.append(table)
    story.append(paragraph("协议与年度配额", st.section))
    if statement.quotas:
        quotas = grid(quota_rows(statement, cell), QUOTA_WIDTHS, font)
        quotas.setStyle(
            TableStyle([("FONTSIZE", (0, 0), (-1, -1), 7.5), ("ALIGN", (3, 1), (-1, -1), "RIGHT")])
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
