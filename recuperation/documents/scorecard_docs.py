"""A base's scorecard (评分表): one A4 page per base, or every base's of a year in one PDF.

The figures come from :mod:`recuperation.services.scorecard`; the document only lays them out.  Every total
printed is the sum of the lines printed above it (the incidents' table), and every count names what it counts
("问卷 3 份").  Documents are Chinese whatever the window's language.  The re-check file that carries the
scorecards is :mod:`recuperation.documents.review_docs`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, TableStyle

from recuperation.documents.batch_docs import DocumentResult, date_text
from recuperation.documents.fonts import PdfFont, find_font
from recuperation.documents.pdf import Heading, Styles, build, grid, paragraph, styles
from recuperation.errors import ValidationError
from recuperation.labels import label
from recuperation.models import ClauseResult, IncidentKind, Severity
from recuperation.services import policy as policy_service
from recuperation.services import scorecard as service
from recuperation.storage.database import Database

#: The width inside the margins of portrait A4.
WIDTH = 174 * mm
#: The order the clause table lists results in: what needs the panel's attention first.
RESULT_ORDER = {
    ClauseResult.NOT_MET.value: 0,
    None: 1,
    ClauseResult.MET.value: 2,
    ClauseResult.NOT_APPLICABLE.value: 3,
}


def cell_style(st: Styles, size: float = 8.5) -> ParagraphStyle:
    return ParagraphStyle("review_cell", parent=st.cell, fontSize=size, leading=size + 2.5)


def _quiet(table: Any) -> Any:
    """A table of labels and values without the grid's zebra."""
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.white),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f7")),
                ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#eef2f7")),
            ]
        )
    )
    return table


def state_heading(day: dt.date | None = None) -> str:
    """The heading of the certification's state: it is the state on the day printed (today), whatever the
    scorecard's year — 认定状态（今天，2026年12月3日）; a scorecard's table says 认定状态（今天）, its page
    footer the day printed."""
    return f"认定状态（今天，{date_text(day or dt.date.today())}）"


def certificate_text(card: service.Scorecard) -> tuple[str, str]:
    """The certification as the scorecard prints it, one statement as the bases list shows it: level · state
    (its state today, :func:`state_heading`), and the state again with the dates."""
    cert = card.certificate
    if not cert.status:
        none = label("base_cert_state", "none", "zh")
        return none, none
    state = label("base_cert_state", cert.state, "zh")
    level = f"{label('cert_level', cert.level, 'zh')} · {state}"
    dates = []
    if cert.valid_to is not None:
        dates.append(f"有效期至 {date_text(cert.valid_to)}")
    if cert.recheck_due is not None:
        dates.append(f"复核日期 {date_text(cert.recheck_due)}")
    return level, state + (f"（{'，'.join(dates)}）" if dates else "")


#: What a year without any figure for the base prints instead of a number.
NO_DATA = "—"


def no_figures_text(base: str, year: int) -> str:
    """The line printed for a year in which the base has no figure at all."""
    return f"{year}年{base}没有任何数据（无接待批次、问卷评分、事件和实地检查），不列评分表，也不作对比。"


def flags_text(card: service.Scorecard) -> list[str]:
    """The flags in words, a line each after the verdict."""
    if not card.flags:
        return ["无需复核关注：总体满意度、严重事件和“应”条款均未触及复核关注线。"]
    return ["需复核关注："] + [f"{n}. {f.message('zh')}" for n, f in enumerate(card.flags, start=1)]


def _trend_text(line: service.DimensionLine) -> str:
    value = line.trend
    if value is None:
        return "—"
    arrow = {service.UP: "↑", service.DOWN: "↓"}.get(value, "→")
    return f"{arrow} {label('trend', value, 'zh')}"


def _ratings_table(card: service.Scorecard, st: Styles, font: PdfFont) -> Any:
    cell = cell_style(st)
    rows: list[list[Any]] = [
        [
            paragraph(h, cell)
            for h in (
                "维度",
                f"{card.year}年均分",
                f"{card.year}年评分数",
                f"{card.year - 1}年均分",
                f"{card.year - 1}年评分数",
                "趋势",
            )
        ]
    ]
    before = card.last.has_figures
    for line in card.lines:
        rows.append(
            [
                label("dimension", line.dimension, "zh"),
                line.this.mean_text,
                f"{line.this.count:,}",
                line.last.mean_text,
                f"{line.last.count:,}" if before else NO_DATA,
                _trend_text(line),
            ]
        )
    table = grid(rows, [44 * mm, 28 * mm, 24 * mm, 28 * mm, 24 * mm, 26 * mm], font)
    table.setStyle(TableStyle([("ALIGN", (1, 1), (4, -1), "RIGHT"), ("FONTSIZE", (0, 0), (-1, -1), 8.5)]))
    return table


def _incidents_table(card: service.Scorecard, st: Styles, font: PdfFont) -> Any:
    """Incidents of the year by kind and severity, with the totals (sums of the rows and columns printed) and
    the year before's count per kind."""
    cell = cell_style(st)
    severities = Severity.values()
    rows: list[list[Any]] = [
        [
            paragraph("类型", cell),
            *(paragraph(label("severity", s, "zh"), cell) for s in severities),
            paragraph(f"{card.year}年合计", cell),
            paragraph(f"{card.year - 1}年", cell),
        ]
    ]
    this, last = card.this, card.last
    last_kinds = last.by_kind()
    column_totals = [0] * len(severities)
    for kind in IncidentKind.values():
        counts = [this.kind_severity(kind, s) for s in severities]
        column_totals = [a + b for a, b in zip(column_totals, counts, strict=True)]
        rows.append(
            [
                label("incident_kind", kind, "zh"),
                *(f"{n:,}" for n in counts),
                f"{sum(counts):,}",
                f"{last_kinds[kind]:,}" if last.has_figures else NO_DATA,
            ]
        )
    rows.append(
        [
            "合计",
            *(f"{n:,}" for n in column_totals),
            f"{sum(column_totals):,}",
            f"{sum(last_kinds.values()):,}" if last.has_figures else NO_DATA,
        ]
    )
    table = grid(rows, [44 * mm, 24 * mm, 24 * mm, 24 * mm, 30 * mm, 28 * mm], font)
    last_row = len(rows) - 1
    table.setStyle(
        TableStyle(
            [
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("BACKGROUND", (0, last_row), (-1, last_row), colors.HexColor("#eef2f7")),
                ("LINEABOVE", (0, last_row), (-1, last_row), 1.0, colors.HexColor("#444444")),
            ]
        )
    )
    return table


def _received_table(card: service.Scorecard, st: Styles, font: PdfFont) -> Any:
    cell = cell_style(st)
    this, last = card.this, card.last

    def use(figures: service.YearFigures) -> str:
        if not figures.has_figures:
            return NO_DATA
        if not figures.bed_nights_available:
            return "—（未登记床位）"
        return f"{figures.utilisation_text}（{figures.bed_nights_used:,} / {figures.bed_nights_available:,} 床位·晚）"

    rows: list[list[Any]] = [
        [paragraph(h, cell) for h in ("项目", f"{card.year}年", f"{card.year - 1}年")],
        ["接待批次", f"{this.batches:,}", f"{last.batches:,}" if last.has_figures else NO_DATA],
        [
            "接待人次（团员，报到后按实到）",
            f"{this.people:,}",
            f"{last.people:,}" if last.has_figures else NO_DATA,
        ],
        ["随行家属", f"{this.companions:,}", f"{last.companions:,}" if last.has_figures else NO_DATA],
        ["收回问卷", f"{this.responses:,} 份", f"{last.responses:,} 份" if last.has_figures else NO_DATA],
        ["问卷回收率（问卷 ÷ 人次）", this.response_rate_text, last.response_rate_text],
        ["床位利用率", paragraph(use(this), cell), paragraph(use(last), cell)],
    ]
    table = grid(rows, [58 * mm, 58 * mm, 58 * mm], font)
    table.setStyle(TableStyle([("ALIGN", (1, 1), (-1, -2), "RIGHT"), ("FONTSIZE", (0, 0), (-1, -1), 8.5)]))
    return table


def inspection_text(summary: service.InspectionSummary | None, year: int) -> str:
    if summary is None:
        return f"{year}年没有实地检查记录。"
    text = (
        f"{date_text(summary.on_date)}（{label('inspection_kind', summary.kind, 'zh')}"
        f"{'，' + summary.standard if summary.standard else ''}）：共 {summary.total} 条，符合 {summary.met} 条，"
        f"不符合 {summary.not_met} 条，不适用 {summary.na} 条，未检查 {summary.unchecked} 条。"
    )
    if summary.shall_not_met:
        text += f"“应”条款不符合：{'、'.join(summary.shall_not_met)}。"
    else:
        text += "“应”条款均无不符合。"
    return text


def scorecard_story(card: service.Scorecard, st: Styles, font: PdfFont) -> list[Any]:
    """One base's scorecard, laid out to fit one A4 page."""
    level, state = certificate_text(card)
    cell = cell_style(st, 9)
    this = card.this
    head = grid(
        [
            [
                paragraph("基地", cell),
                paragraph(card.base, cell),
                paragraph("年度", cell),
                paragraph(
                    f"{card.year}年（与{card.year - 1}年对比）"
                    if card.last.has_figures
                    else f"{card.year}年（{card.year - 1}年无数据，不作对比）",
                    cell,
                ),
            ],
            [
                paragraph("认定", cell),
                paragraph(level, cell),
                paragraph("认定状态（今天）", cell),
                paragraph(state, cell),
            ],
            [
                paragraph("总体满意度", cell),
                paragraph(
                    f"{this.overall.mean_text}（{this.overall.count:,} 份评分，问卷 {this.responses:,} 份）",
                    cell,
                ),
                paragraph("未结严重事件", cell),
                paragraph(
                    f"{len(this.open_serious):,} 起",
                    ParagraphStyle("serious", parent=cell, textColor=colors.HexColor("#b00020"))
                    if this.open_serious
                    else cell,
                ),
            ],
        ],
        [22 * mm, 60 * mm, 30 * mm, 62 * mm],
        font,
        header_rows=0,
        zebra=False,
    )
    flag_style = ParagraphStyle("flag", parent=st.body, fontSize=9.5, leading=13)
    box = grid(
        [[[paragraph(t, flag_style) for t in flags_text(card)]]], [WIDTH], font, header_rows=0, zebra=False
    )
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fbe9e7" if card.flags else "#e8f5e9")),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    section = ParagraphStyle(
        "card_section", parent=st.section, fontSize=11, leading=14, spaceBefore=3 * mm, spaceAfter=1.5 * mm
    )
    note = ParagraphStyle(
        "card_note",
        parent=st.small,
        fontSize=7.5,
        leading=9.5,
        spaceBefore=1 * mm,
        textColor=colors.HexColor("#555555"),
    )
    return [
        paragraph(
            f"{card.base} {card.year}年度评分表",
            ParagraphStyle("card_title", parent=st.title, fontSize=16, leading=20, spaceAfter=3 * mm),
        ),
        _quiet(head),
        Spacer(1, 2 * mm),
        box,
        paragraph("一、满意度（1–5 星）", section),
        _ratings_table(card, st, font),
        paragraph(
            "均分 = 星数之和 ÷ 评分数，四舍五入到一位小数；趋势按显示的均分与上年比较。只计到达日期在当年、未取消的批次的问卷中对本基地的评分。",
            note,
        ),
        paragraph("二、事件（按类型与严重程度）", section),
        _incidents_table(card, st, font),
        paragraph(
            f"本年事件 {len(this.incidents):,} 起，其中未结案 {this.open_incidents:,} 起；未结严重事件 {len(this.open_serious):,} 起"
            "（含以前发生、至今未结案的）。事件记录未指明基地的，按批次当晚住宿的基地计入。",
            note,
        ),
        paragraph("三、接待与床位利用率", section),
        _received_table(card, st, font),
        paragraph("四、实地检查（本年最近一次）", section),
        paragraph(
            inspection_text(this.inspection, card.year),
            ParagraphStyle("insp", parent=st.body, fontSize=9, leading=12),
        ),
    ]


def print_scorecards(
    db: Database, base: str | None, year: int, path: Path, font: PdfFont | None = None
) -> DocumentResult:
    """The scorecard of ``base`` (its name), or of every base (one page each, by name), for ``year``."""
    font = font or find_font()
    st = styles(font)
    if base:
        base_id, _name = service.find_base(db, base)
        cards = [service.scorecard(db, base_id, year)]
    else:
        cards = service.scorecards(db, year)
        if not cards:
            raise ValidationError("review.no_bases", field="base")
    story: list[Any] = []
    for n, card in enumerate(cards):
        if n:
            story.append(PageBreak())
        story += scorecard_story(card, st, font)
    union = policy_service.get_policy(db).union_name
    code = f"{cards[0].base} {year}" if base else f"{year}年 {len(cards)} 个基地"
    build(path, Heading(union, "基地评分表", code, dt.date.today()), story, font)
    return DocumentResult(path, font)
