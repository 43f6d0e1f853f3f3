"""A base's re-check file (复核档案, one PDF for the panel), with its scorecards (:mod:`recuperation.documents.
scorecard_docs`).

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
from recuperation.documents.scorecard_docs import (
    RESULT_ORDER,
    WIDTH,
    cell_style,
    certificate_text,
    inspection_text,
    no_figures_text,
    scorecard_story,
    state_heading,
)
from recuperation.labels import label
from recuperation.models import ClauseResult
from recuperation.people import mask_in_text
from recuperation.services import bases as base_service
from recuperation.services import policy as policy_service
from recuperation.services import scorecard as service
from recuperation.storage.database import Database


def _steps_story(review: service.ReviewFile, st: Styles, font: PdfFont) -> list[Any]:
    cell = cell_style(st)
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
    cell = cell_style(st, 8)
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
    cell = cell_style(st, 8)
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
    cell = cell_style(st, 8.5)
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
