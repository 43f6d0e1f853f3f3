"""The check-in sheet (报到表) of a batch: the leader ticks who is there each day of the stay and writes who
did not come or left early; typed back into a workbook it imports as the roll call
(:mod:`recuperation.services.batch.rollcall_import` reads its 姓名, 身份证号, 报到 and 离开日期 columns).

A4 portrait: :func:`recuperation.documents.pdf.build` lays every document out on portrait A4, so the day
boxes share the width left beside the person's columns (up to the longest stay the settings allow).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, TableStyle

from recuperation.documents.batch_docs import (
    DocumentResult,
    batch_details,
    batch_facts,
    fact_table,
    fit,
    roster_rows,
)
from recuperation.documents.fonts import PdfFont, find_font
from recuperation.documents.pdf import Heading, build, grid, paragraph, styles
from recuperation.labels import label
from recuperation.people import mask_in_text
from recuperation.services.common import audit
from recuperation.storage.database import Database

#: The printable width of portrait A4 within pdf.build's margins.
WIDTH = 174 * mm
#: The person's columns: 序号, 姓名, 性别, 身份证号, 单位, 房间, 随行家属, 报到, 离开日期.
COLUMNS = ["序号", "姓名", "性别", "身份证号", "单位", "房间", "随行家属", "报到", "离开日期"]
WIDTHS = [7 * mm, 17 * mm, 7 * mm, 28 * mm, 28 * mm, 10 * mm, 9 * mm, 13 * mm, 12 * mm]
ID, EMPLOYER = 3, 4  # the ID number's column; the column that gives way when the stay is long
WRAPPED_HEADERS = {"随行家属", "离开日期"}  # over two lines in their narrow columns
PADDING = 2  # points each side of a cell
DAY_BOX = (7 * mm, 14 * mm)  # narrowest and widest day box
COMPANION = "是"
#: The batch's facts the sheet heads with (of :func:`recuperation.documents.batch_docs.batch_facts`).
FACTS = ("合作单位", "类型", "线路", "日期", "领队")


def stay_days(arrival: dt.date, departure: dt.date) -> list[dt.date]:
    """Every day of the stay, arrival and departure included: one box each."""
    return [arrival + dt.timedelta(days=n) for n in range((departure - arrival).days + 1)]


def day_header(day: dt.date) -> str:
    return f"{day.month}/{day.day}"


def _widths(days: int, font: PdfFont) -> list[float]:
    widths = list(WIDTHS)
    with contextlib.suppress(KeyError, AttributeError):  # the masked number on one line, whatever the font
        widths[ID] = stringWidth("330182********000X", font.name, 8) + 2 * PADDING + 2
    room = WIDTH - sum(widths)
    box = min(DAY_BOX[1], room / max(days, 1))
    if box < DAY_BOX[0]:  # a long stay: the employer column narrows (wrapping) before the boxes do
        widths[EMPLOYER] = max(16 * mm, widths[EMPLOYER] - (DAY_BOX[0] - box) * days)
        box = (WIDTH - sum(widths)) / days
    return widths + [box] * days


def print_checkin(db: Database, batch_code: str, path: Path, font: PdfFont | None = None) -> DocumentResult:
    """报到表: each person (number, name, sex, masked ID number, employer, room, 随行家属), a box for each day
    of the stay, the 报到 and 离开日期 columns to fill in, and the leader's signature.  Printing it is recorded
    in the audit log (it names people)."""
    font = font or find_font()
    st = styles(font)
    details, union, _address = batch_details(db, batch_code)
    b = details.batch
    people = roster_rows(db, b.id)
    facts = fact_table([pair for pair in batch_facts(details) if pair[0] in FACTS], font)
    days = stay_days(b.arrival, b.departure)
    result = DocumentResult(path, font)
    small = ParagraphStyle("checkin_small", parent=st.cell, fontSize=8, leading=9.5)
    rows: list[list[Any]] = [[*COLUMNS, *[day_header(d) for d in days]]]
    for i, p in enumerate(people, start=1):
        employer = mask_in_text(p.employer)
        result.check(i, (("name", p.name), ("employer", employer)))
        rows.append(
            [
                str(i),
                fit(p.name, 5, st.cell),
                label("sex", p.sex, "zh") if p.sex else "",
                p.id_masked,
                fit(employer, 8, small),
                mask_in_text(p.room),
                COMPANION if p.companion else "",
                "",
                "",
                *[""] * len(days),
            ]
        )
    widths = _widths(len(days), font)
    head = ParagraphStyle("checkin_head", parent=st.cell, fontSize=8, leading=9, alignment=TA_CENTER)
    rows[0] = [Paragraph(f"{h[:2]}<br/>{h[2:]}", head) if h in WRAPPED_HEADERS else h for h in rows[0]]
    table = grid(rows, widths, font, zebra=False)
    first_day = len(COLUMNS)
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                ("TOPPADDING", (0, 1), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
                ("FONTSIZE", (ID, 1), (ID, -1), 8),  # the masked ID number on one line
                ("FONTSIZE", (EMPLOYER, 1), (EMPLOYER, -1), 8),
                ("FONTSIZE", (first_day, 0), (-1, 0), 8),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
                ("ALIGN", (2, 1), (2, -1), "CENTER"),
                ("ALIGN", (6, 1), (6, -1), "CENTER"),
                ("BACKGROUND", (first_day - 2, 1), (first_day - 1, -1), colors.HexColor("#fbf7e8")),
            ]
        )
    )
    companions = sum(1 for p in people if p.companion)
    total = f"应到 {len(people)} 人" + (f"（其中随行家属 {companions} 人）" if companions else "")
    story: list[Any] = [
        paragraph(f"{b.partner}职工疗休养报到表", st.title),
        facts,
        Spacer(1, 3 * mm),
        paragraph(
            "填写说明：每天清点人数后在当天的方框内打“√”。“报到”栏填 已报到、未到 或 提前离开；提前离开的，"
            "在“离开日期”栏写明哪一天（如 "
            f"{day_header(days[min(1, len(days) - 1)])}）。本表填好后可录入 Excel 按原样导入报到情况。",
            st.small,
        ),
        Spacer(1, 2 * mm),
        table,
        Spacer(1, 3 * mm),
        paragraph(f"{total}，实到 ______ 人。", st.body),
        Spacer(1, 10 * mm),
        paragraph(
            "领队签字：____________　　　　经办人签字：____________　　　　日期：____年__月__日", st.body
        ),
    ]
    build(path, Heading(union, "报到表", b.code, dt.date.today()), story, font)
    with db.session(write=True) as session:
        audit(session, db.user, "print", "batch", b.id, b.code, "checkin", None, f"报到表 {len(people)} 人")
    return result
