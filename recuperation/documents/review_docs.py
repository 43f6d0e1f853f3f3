"""A base's scorecard (评分表, one A4 page per base) and its re-check file (复核档案, one PDF for the panel).

The figures come from :mod:`recuperation.services.scorecard`; the documents only lay them out.  Every total
printed is the sum of the lines printed above it (the incidents' table), and every count names what it counts
("问卷 3 份", "共 12 条意见，以下为最近的 12 条").  People involved in an incident are printed with their ID
numbers masked, and every free text (a comment, what was done) has its ID numbers and phones masked
(``people.mask_in_text``).  Documents are Chinese whatever the window's language.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer, Table, TableStyle

from recuperation.documents.batch_docs import DocumentResult, date_text
from recuperation.documents.fonts import PdfFont, find_font
from recuperation.documents.pdf import Heading, Styles, build, grid, paragraph, styles
from recuperation.errors import ValidationError
from recuperation.labels import label
from recuperation.models import ClauseResult, IncidentKind, Severity
from recuperation.people import mask_in_text
from recuperation.services import bases as base_service
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


def _cell_style(st: Styles, size: float = 8.5) -> ParagraphStyle:
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
    cell = _cell_style(st)
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
    cell = _cell_style(st)
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
    cell = _cell_style(st)
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
    cell = _cell_style(st, 9)
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


# -- the re-check file ---------------------------------------------------------------------------------------------


def _steps_story(review: service.ReviewFile, st: Styles, font: PdfFont) -> list[Any]:
    cell = _cell_style(st)
    story: list[Any] = []
    if not review.certifications:
        return [paragraph("该基地没有认定记录。", st.body)]
    for cert in review.certifications:
        validity = (
            f"，有效期 {date_text(cert.valid_from)} 至 {date_text(cert.valid_to)}"
            if cert.valid_from and cert.valid_to
            else ""
        )
        recheck = f"，复核日期 {date_text(cert.recheck_due)}" if cert.recheck_due else ""
        number = f"，证书编号 {cert.certificate_no}" if cert.certificate_no else ""
        story.append(
            paragraph(
                f"{label('cert_level', cert.level, 'zh')}认定（{history_state(cert)}{number}{validity}{recheck}）",
                ParagraphStyle("cert", parent=st.body, fontSize=9.5, spaceBefore=2 * mm, spaceAfter=1 * mm),
            )
        )
        rows: list[list[Any]] = [[paragraph(h, cell) for h in ("步骤", "日期", "负责人", "说明")]]
        for step in cert.steps:
            rows.append(
                [
                    label("cert_step", step.step, "zh"),
                    date_text(step.on_date),
                    paragraph(step.responsible, cell),
                    paragraph(mask_in_text(step.notes), cell),
                ]
            )
        story.append(_splitting(grid(rows, [26 * mm, 32 * mm, 26 * mm, 90 * mm], font)))
    return story


def history_state(cert: Any, day: dt.date | None = None) -> str:
    """A certification of the history in the words the bases list uses: a certified or re-checked one by its
    state today (有效, 待复核, 即将到期, 已失效 — never 已认定 beside the cover's 已失效), any other by its
    status (已申报, 初审, 实地考察, 已过期, 已摘牌, 未通过)."""
    if cert.status in base_service.VALID_STATES:
        state = service.certification_state(cert.status, cert.valid_to, cert.recheck_due, day)
        return label("base_cert_state", state, "zh")
    return label("cert_status", cert.status, "zh")


def _splitting(table: Table) -> Table:
    """A table whose rows may run on over a page break: a note, what was done or a comment may be as long as its
    field allows (an inspector's note of 1,000 characters is taller than a page in its column), and a row too
    tall for any page would stop the whole file from printing."""
    table.splitInRow = SPLIT_IN_ROW
    return table


#: The least height (points) of either part of a row split over a page break: two lines of the tables' text.
SPLIT_IN_ROW = 22


def _clause_rows(summary: service.InspectionSummary, cell: ParagraphStyle) -> list[list[Any]]:
    rows: list[list[Any]] = [[paragraph(h, cell) for h in ("条款", "要素", "要求", "应/宜", "结果", "说明")]]
    ordered = sorted(
        enumerate(summary.clauses), key=lambda pair: (RESULT_ORDER.get(pair[1].result, 1), pair[0])
    )
    for _n, clause in ordered:
        result = label("clause_result", clause.result, "zh") if clause.result else "未检查"
        rows.append(
            [
                paragraph(clause.code, cell),
                paragraph(label("element", clause.element, "zh"), cell),
                paragraph(clause.requirement, cell),
                label("strength", clause.strength, "zh"),
                result,
                paragraph(mask_in_text(clause.note), cell),
            ]
        )
    return rows


def _inspections_story(review: service.ReviewFile, st: Styles, font: PdfFont) -> list[Any]:
    cell = _cell_style(st, 8)
    since = f"（{date_text(review.since)} 以来）" if review.since else ""
    story: list[Any] = [
        paragraph(
            f"认定期间{since}的实地检查 {len(review.inspections)} 次，各条款按不符合、未检查、符合、不适用排列。",
            st.small,
        )
    ]
    if not review.inspections:
        story.append(paragraph("认定期间没有实地检查记录。", st.body))
    for summary in review.inspections:
        people = f"检查人：{summary.inspectors}。" if summary.inspectors else ""
        story.append(
            paragraph(
                inspection_text(summary, summary.on_date.year) + people,
                ParagraphStyle(
                    "insp_head", parent=st.body, fontSize=9.5, spaceBefore=3 * mm, spaceAfter=1 * mm
                ),
            )
        )
        if summary.clauses:
            table = _splitting(
                grid(
                    _clause_rows(summary, cell), [14 * mm, 20 * mm, 78 * mm, 12 * mm, 16 * mm, 34 * mm], font
                )
            )
            styles_ = [("FONTSIZE", (0, 0), (-1, -1), 8)]
            for r, clause in enumerate(
                sorted(summary.clauses, key=lambda c: RESULT_ORDER.get(c.result, 1)), start=1
            ):
                if clause.result == ClauseResult.NOT_MET.value:
                    styles_.append(("TEXTCOLOR", (4, r), (4, r), colors.HexColor("#b00020")))
            table.setStyle(TableStyle(styles_))
            story.append(table)
        if summary.conclusion:
            story.append(paragraph(f"结论：{summary.conclusion}", st.small))
    return story


def _incidents_story(
    review: service.ReviewFile, st: Styles, font: PdfFont, result: DocumentResult
) -> list[Any]:
    cell = _cell_style(st, 8)
    first, last = review.cards[0].year, review.cards[-1].year
    incidents = review.incidents
    open_count = sum(1 for i in incidents if i.open)
    story: list[Any] = [
        paragraph(
            f"{first}年至{last}年的事件共 {len(incidents)} 起，其中未结案 {open_count} 起（严重 "
            f"{sum(1 for i in incidents if i.open_serious)} 起）。涉及人员的身份证号已隐去中间数字。",
            st.small,
        )
    ]
    if not incidents:
        story.append(paragraph("这两年没有事件记录。", st.body))
        return story
    rows: list[list[Any]] = [
        [
            paragraph(h, cell)
            for h in ("日期", "批次", "类型 / 程度", "经过", "涉及人员", "处置与结果", "状态")
        ]
    ]
    for n, incident in enumerate(incidents, start=1):
        involved = "、".join(incident.people)
        if incident.others:
            involved = "、".join(p for p in (involved, incident.others) if p)
        handled = "；".join(p for p in (incident.action_taken, incident.outcome, incident.follow_up) if p)
        where = "" if incident.named else "（按当晚住宿计入）"
        for person in incident.people:
            result.check(n, [("name", person.split("（")[0])])
        people = [
            [paragraph(name, cell), *(paragraph(rest.rstrip("）"), cell) for rest in others)]
            for name, *others in (person.split("（", 1) for person in incident.people)
        ]
        if people:  # each person: the name, then the masked ID number on a line of its own (never split)
            involved_cell: Any = [p for lines in people for p in lines]
            if incident.others:
                involved_cell.append(paragraph(incident.others, cell))
        else:
            involved_cell = paragraph(involved or "—", cell)
        status: Any = (
            [paragraph("已结案", cell), paragraph(incident.closed_on.isoformat(), cell)]
            if incident.closed_on
            else paragraph("未结案", cell)
        )
        rows.append(
            [
                incident.occurred_on.isoformat(),
                paragraph(incident.batch or "—", cell),
                paragraph(
                    f"{label('incident_kind', incident.kind, 'zh')} / {label('severity', incident.severity, 'zh')}",
                    cell,
                ),
                paragraph(incident.summary + where, cell),
                involved_cell,
                paragraph(handled or "—", cell),
                status,
            ]
        )
    # the date and the masked ID numbers (“330109********8006”) wide enough to stay on one line
    table = _splitting(grid(rows, [17 * mm, 19 * mm, 18 * mm, 33 * mm, 35 * mm, 32 * mm, 20 * mm], font))
    table.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 8), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    return story


def _comments_story(review: service.ReviewFile, st: Styles, font: PdfFont) -> list[Any]:
    cell = _cell_style(st, 8.5)
    shown = len(review.comments)
    story: list[Any] = [
        paragraph(
            f"在该基地住宿过的批次（至{review.year}年底）的问卷中共有 {review.comments_total} 条书面意见，"
            f"以下按时间由近及远列出 {shown} 条（最多 {service.COMMENT_SAMPLE} 条），照录原文，电话和身份证号已隐去。",
            st.small,
        )
    ]
    if not review.comments:
        story.append(paragraph("没有书面意见。", st.body))
        return story
    rows: list[list[Any]] = [[paragraph(h, cell) for h in ("序号", "日期", "批次", "填写人", "意见")]]
    for n, comment in enumerate(review.comments, start=1):
        rows.append(
            [
                f"{n}",
                comment.day.isoformat(),
                paragraph(comment.batch, cell),
                paragraph(comment.respondent or "—", cell),
                paragraph(comment.text, cell),
            ]
        )
    table = _splitting(grid(rows, [10 * mm, 20 * mm, 22 * mm, 22 * mm, 100 * mm], font))
    table.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 8.5), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    return story


def _signatures(st: Styles, font: PdfFont) -> list[Any]:
    """The panel's opinion box and signature lines: 评审组成员 (six lines), 组长, 日期."""
    line = "_" * 22
    body = ParagraphStyle("sign", parent=st.body, fontSize=10.5, leading=14)
    opinion = Table(
        [[paragraph("评审意见：", body)]], colWidths=[WIDTH], rowHeights=[38 * mm], style=_plain(box=True)
    )
    members = Table(
        [
            [paragraph("评审组成员（签字）：", body), paragraph(line, body), paragraph(line, body)],
            ["", paragraph(line, body), paragraph(line, body)],
            ["", paragraph(line, body), paragraph(line, body)],
            [
                paragraph("评审组组长（签字）：", body),
                paragraph(line, body),
                paragraph("日期：______年____月____日", body),
            ],
        ],
        colWidths=[44 * mm, 65 * mm, 65 * mm],
        rowHeights=[12 * mm] * 4,
        style=_plain(),
    )
    return [KeepTogether([paragraph("六、评审意见与签字", st.section), opinion, Spacer(1, 4 * mm), members])]


def _plain(*, box: bool = False) -> TableStyle:
    commands: list[Any] = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM" if not box else "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
    ]
    if box:
        commands.append(("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#888888")))
    return TableStyle(commands)


def _cover(review: service.ReviewFile, union: str, st: Styles) -> list[Any]:
    this = review.cards[-1]
    level, state = certificate_text(this)
    big = ParagraphStyle("cover_title", parent=st.title, fontSize=26, leading=34, spaceBefore=40 * mm)
    name = ParagraphStyle("cover_name", parent=st.title, fontSize=20, leading=28, spaceBefore=6 * mm)
    line = ParagraphStyle("cover_line", parent=st.body, fontSize=12, leading=20, alignment=1)
    contents = ParagraphStyle("cover_contents", parent=st.body, fontSize=11, leading=18, leftIndent=45 * mm)
    return [
        paragraph("职工疗休养基地复核档案", big),
        paragraph(review.base, name),
        Spacer(1, 10 * mm),
        paragraph(f"认定：{level}", line),
        paragraph(f"{state_heading()}：{state}", line),
        paragraph(f"评分年度：{review.year - 1}年、{review.year}年", line),
        paragraph(f"编制单位：{union}", line),
        paragraph(f"编制日期：{date_text(dt.date.today())}", line),
        Spacer(1, 16 * mm),
        *(
            paragraph(text, contents)
            for text in (
                "目录",
                "一、认定历程",
                f"二、评分表（{review.year - 1}年、{review.year}年）",
                "三、实地检查",
                "四、事件记录",
                "五、意见摘录",
                "六、评审意见与签字",
            )
        ),
    ]


def print_review_file(
    db: Database, base: str, year: int | None, path: Path, font: PdfFont | None = None
) -> DocumentResult:
    """The re-check file of ``base`` (its name) for ``year`` and the year before; without ``year`` the latest
    year up to this one in which the base has figures."""
    font = font or find_font()
    st = styles(font)
    base_id, _name = service.find_base(db, base)
    if year is None:
        year = service.opening_year(service.years_of_base(db, base_id))
    review = service.review_file(db, base_id, year)
    union = policy_service.get_policy(db).union_name
    result = DocumentResult(path, font)
    story: list[Any] = [*_cover(review, union, st), PageBreak()]
    story += [paragraph("一、认定历程", st.section), *_steps_story(review, st, font)]
    # the certification history shares its page with what follows: the scorecards' heading, a year without
    # figures (one line), and a scorecard when it fits there whole (each scorecard is kept on one page)
    story += [CondPageBreak(40 * mm), paragraph("二、评分表", st.section)]
    for card in review.cards:
        if not card.this.has_figures:
            story.append(paragraph(no_figures_text(card.base, card.year), st.body))
            continue
        story.append(KeepTogether(scorecard_story(card, st, font)))
    story += [PageBreak(), paragraph("三、实地检查", st.section), *_inspections_story(review, st, font)]
    story += [
        CondPageBreak(60 * mm),
        paragraph("四、事件记录", st.section),
        *_incidents_story(review, st, font, result),
    ]
    story += [
        CondPageBreak(60 * mm),
        paragraph("五、意见摘录", st.section),
        *_comments_story(review, st, font),
    ]
    story += [Spacer(1, 6 * mm), *_signatures(st, font)]
    build(path, Heading(union, "复核档案", review.base, dt.date.today()), story, font)
    return result
