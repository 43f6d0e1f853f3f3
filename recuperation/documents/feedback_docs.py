"""The questionnaire (满意度调查表) of a batch: A4, one page a sheet.

Each sheet is numbered (问卷编号 1 … n): one per member of the roster (the members who came, once the roll
call is closed; companions are not asked, as the response rate does not count them), with the person's name
masked (王*芳), or ``group`` copies without names for groups to fill in.  A sheet carries the union's name, the
batch's code, dates, partner and route, a table for each base the group visited and for the route — the
policy's dimensions (住宿, 餐饮 …) against five boxes from 5 (非常满意) to 1 (非常不满意) — a comment box, and a
QR code carrying ``RD1|<batch code>|<sheet no>`` (:func:`qr_payload`), so that a scanned sheet finds its batch
and its number.  The stars typed from it go into the batch's 问卷反馈 grid, or come back as a workbook.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
from sqlmodel import col, select

from recuperation import messages
from recuperation.documents.batch_docs import DocumentResult, date_text
from recuperation.documents.fonts import PdfFont, find_font
from recuperation.documents.pdf import Heading, build, paragraph, styles
from recuperation.errors import ValidationError
from recuperation.labels import label
from recuperation.models import Batch, Participant
from recuperation.services import feedback as service
from recuperation.services import policy as policy_service
from recuperation.storage.database import Database

#: The printable width of portrait A4 within pdf.build's margins.
WIDTH = 174 * mm
QR_SIZE = 30 * mm
#: What the QR code of a sheet starts with: the format's name and version.
QR_PREFIX = "RD1"
#: The five boxes of a dimension, best first, with the words a star count stands for.
SCALE = ((5, "非常满意"), (4, "满意"), (3, "一般"), (2, "不满意"), (1, "非常不满意"))
BOX = "□"
#: The comment box's height by the rows of subjects' blocks above it: a sheet stays one page.
COMMENT_HEIGHT = {1: 100 * mm, 2: 75 * mm}
#: The subjects' blocks a sheet's first page holds (three rows of two); a batch at more bases goes on to a
#: second page that carries the sheet's number, its QR code and the respondent again, so that a page come loose
#: is still known.
FIRST_PAGE_BLOCKS = 6
#: The most sheets one questionnaire prints (a group's copies or a roster).
MAX_SHEETS = 2000


def qr_payload(batch_code: str, sheet_no: int) -> str:
    """What a sheet's QR code carries: ``RD1|L2021-0005|7``."""
    return f"{QR_PREFIX}|{batch_code}|{sheet_no}"


def read_qr(payload: str) -> tuple[str, int] | None:
    """(batch code, sheet number) of a scanned sheet's QR code, or None when it is not one of ours."""
    parts = payload.strip().split("|")
    if len(parts) != 3 or parts[0] != QR_PREFIX or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2])


def qr_code(payload: str, size: float = QR_SIZE) -> Drawing:
    """A QR code of ``size`` points square (quiet zone included), error correction M (a creased sheet)."""
    widget = QrCodeWidget(payload, barLevel="M", barWidth=size, barHeight=size)
    drawing = Drawing(size, size)
    drawing.add(widget)
    return drawing


def sheet_people(db: Database, batch_id: int) -> list[tuple[int, str]]:
    """(participant id, name masked) of each sheet, in the roster's order: the members (companions are not
    asked), and once the roll call is closed only those who came."""
    with db.session() as session:
        batch = session.get(Batch, batch_id)
        assert batch is not None
        found = session.exec(
            select(Participant.id, Participant.name, Participant.attendance)
            .where(Participant.batch_id == batch_id, col(Participant.companion).is_(False))
            .order_by(col(Participant.id))
        ).all()
        closed = batch.roll_closed_on is not None
        return [
            (int(pid or 0), service.mask_name(name))
            for pid, name, attendance in found
            if not closed or attendance in ("attended", "left_early")
        ]


def _stars_table(subject: str, dimensions: tuple[str, ...], font: PdfFont, width: float) -> Table:
    """A subject's block: its name, then each dimension against the five boxes."""
    head = ParagraphStyle("q_head", fontName=font.name, fontSize=6.3, leading=7.5, alignment=TA_CENTER)
    name = ParagraphStyle("q_name", fontName=font.name, fontSize=10, leading=12)
    box_width = 12.5 * mm
    label_width = width - 5 * box_width
    rows: list[list[Any]] = [
        [Paragraph(messages_escape(subject), name), "", "", "", "", ""],
        ["", *[Paragraph(f"{stars}<br/>{words}", head) for stars, words in SCALE]],
    ]
    for dimension in dimensions:
        rows.append([label("dimension", dimension, "zh"), *[BOX] * len(SCALE)])
    table = Table(rows, colWidths=[label_width] + [box_width] * len(SCALE))
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font.name),
                ("FONTSIZE", (0, 2), (0, -1), 9),
                ("FONTSIZE", (1, 2), (-1, -1), 13),
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde7f2")),
                ("GRID", (0, 1), (-1, -1), 0.4, colors.HexColor("#888888")),
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#555555")),
                ("ALIGN", (1, 1), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (1, 1), (-1, 1), 1),
                ("RIGHTPADDING", (1, 1), (-1, 1), 1),
            ]
        )
    )
    return table


def messages_escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def _blocks(grid: service.Grid, font: PdfFont, subjects: tuple[service.Subject, ...] | None = None) -> Table:
    """The subjects' blocks two abreast (a base per block, the route last), so that a sheet fits one page."""
    gap = 6 * mm
    half = (WIDTH - gap) / 2
    blocks: list[Any] = [
        _stars_table(
            f"基地：{s.name}"
            if s.base_id is not None
            else (f"线路：{s.name}（整个行程）" if s.name else "整个行程"),
            grid.dimensions,
            font,
            half,
        )
        for s in (grid.subjects if subjects is None else subjects)
    ]
    if len(blocks) == 1:
        blocks.append("")
    rows = [[blocks[i], "", blocks[i + 1] if i + 1 < len(blocks) else ""] for i in range(0, len(blocks), 2)]
    table = Table(rows, colWidths=[half, gap, half])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    return table


def _continued(grid: service.Grid, sheet_no: int, who: str, font: PdfFont) -> Table:
    """The top of a sheet's second page: the batch, the respondent, the sheet's number and its QR code."""
    st = styles(font)
    facts = ParagraphStyle("q_cont", parent=st.cell, fontSize=9.5, leading=13)
    number = ParagraphStyle("q_cont_no", parent=st.cell, fontSize=10, leading=12, alignment=TA_CENTER)
    size = 20 * mm
    left = [
        paragraph(f"满意度调查表（续页）  批次：{grid.code}", facts),
        paragraph(f"填写人：{who}", facts),
    ]
    right = [qr_code(qr_payload(grid.code, sheet_no), size), Paragraph(f"问卷编号 <b>{sheet_no}</b>", number)]
    head = Table([[left, right]], colWidths=[WIDTH - size - 10 * mm, size + 10 * mm])
    head.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
            ]
        )
    )
    return head


def _sheet(grid: service.Grid, union: str, sheet_no: int, who: str, font: PdfFont) -> list[Any]:
    """One questionnaire: a page, or two for a batch at more bases than :data:`FIRST_PAGE_BLOCKS` holds (the
    second page starting with the sheet's number, QR code and respondent, and ending with the comment box)."""
    st = styles(font)
    title = ParagraphStyle("q_title", parent=st.title, fontSize=16, leading=20, spaceAfter=1 * mm)
    facts = ParagraphStyle("q_facts", parent=st.cell, fontSize=9.5, leading=13)
    route = grid.route or "—"
    lines = [
        f"批次：{grid.code}",
        f"合作单位：{grid.partner}",
        f"日期：{date_text(grid.arrival)} 至 {date_text(grid.departure)}",
        f"线路：{route}",
        f"基地：{'、'.join(s.name for s in grid.subjects if s.base_id is not None) or '—'}",
        f"填写人：{who}",
        "填写日期：________年_____月_____日",
    ]
    left = [paragraph(line, facts) for line in lines]
    number = ParagraphStyle("q_no", parent=st.cell, fontSize=10, leading=12, alignment=TA_CENTER)
    right = [qr_code(qr_payload(grid.code, sheet_no)), Paragraph(f"问卷编号 <b>{sheet_no}</b>", number)]
    head = Table([[left, right]], colWidths=[WIDTH - QR_SIZE - 4 * mm, QR_SIZE + 4 * mm])
    head.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    first, more = grid.subjects[:FIRST_PAGE_BLOCKS], grid.subjects[FIRST_PAGE_BLOCKS:]
    last = more or first  # the blocks above the comment box
    comment = Table(
        [[paragraph("您的意见和建议（哪些地方好、哪些地方需要改进）：", st.cell)], [""]],
        colWidths=[WIDTH],
        rowHeights=[7 * mm, COMMENT_HEIGHT.get(-(-len(last) // 2), 30 * mm)],
    )
    comment.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#555555")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story: list[Any] = [
        paragraph(f"{union}职工疗休养满意度调查表", title),
        head,
        Spacer(1, 2 * mm),
        paragraph(
            "请在每一项相应的方框内打“√”：5 为非常满意，1 为非常不满意；没有体验过的项目可以不填。"
            "调查结果只用于改进接待和基地的复核。",
            st.small,
        ),
        Spacer(1, 2 * mm),
        _blocks(grid, font, first),
    ]
    if more:
        story += [
            paragraph("（接下页）", st.small),
            PageBreak(),
            _continued(grid, sheet_no, who, font),
            _blocks(grid, font, more),
        ]
    return [
        *story,
        KeepTogether([comment]),
        Spacer(1, 2 * mm),
        paragraph("填好后请交给领队或导游。谢谢您的支持！", st.small),
    ]


def print_questionnaire(
    db: Database, batch_code: str, path: Path, *, group: int | None = None, font: PdfFont | None = None
) -> DocumentResult:
    """满意度调查表 of the batch: a numbered sheet per member (masked name), or ``group`` copies without names.
    Refused for a batch without anyone to ask (no roster, or nobody came) unless ``group`` is given."""
    font = font or find_font()
    batch_id = service.find_batch_id(db, batch_code)
    grid = service.batch_grid(db, batch_id)
    if grid.status == "cancelled":
        raise ValidationError("feedback.cancelled", field="batch", code=grid.code)
    with db.session() as session:
        union = policy_service.load_policy(session).union_name
    if group is not None:
        if not 1 <= group <= MAX_SHEETS:
            raise ValidationError("feedback.group_count", field="group", value=str(group), most=MAX_SHEETS)
        sheets = [(n, "第______组（按组填写）") for n in range(1, group + 1)]
    else:
        people = sheet_people(db, batch_id)
        if not people:
            raise ValidationError("feedback.nobody_to_ask", field="batch", code=grid.code)
        sheets = [(n, who) for n, (_pid, who) in enumerate(people, start=1)]
    result = DocumentResult(path, font)
    story: list[Any] = []
    for index, (sheet_no, who) in enumerate(sheets):
        if group is None:
            result.check(sheet_no, (("name", who),))
        if index:
            story.append(PageBreak())
        story += _sheet(grid, union, sheet_no, who, font)
    build(path, Heading(union, "满意度调查表", grid.code, dt.date.today()), story, font)
    return result


def render_questionnaire(db: Database, batch_code: str, path: Path, *, group: int | None = None) -> Any:
    """:func:`print_questionnaire` with the font the settings choose, and what to tell the user beside the file
    (a :class:`recuperation.documents.render.Rendered`)."""
    from recuperation.documents.render import Rendered

    font = find_font(policy_service.get_policy(db).pdf_font)
    result = print_questionnaire(db, batch_code, path, group=group, font=font)
    notes = []
    if not result.embedded:
        notes.append(messages.text("print.no_font"))
    missing = result.missing_note()
    if missing:
        notes.append(missing)
    return Rendered(result.path, result.embedded, tuple(notes))
