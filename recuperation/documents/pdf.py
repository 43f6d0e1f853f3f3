"""The frame every PDF shares: A4, the union's name, the title and the batch code at the top, the date
printed and "第 x 页 / 共 y 页" at the foot of every page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib import textsplit as _reportlab_textsplit
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus import paragraph as _reportlab_paragraph

from recuperation import __version__
from recuperation.documents.fonts import PdfFont, find_font
from recuperation.private_files import private_output

# In every document a closing quote never starts a line: “应”条款 keeps its ” with 应 (reportlab's CJK wrapping
# keeps only the Asian closing marks; ”’ are below U+3000 and were pushed to the next line: “应 / ”条款).
for _module in (_reportlab_textsplit, _reportlab_paragraph):  # a one-part paragraph, and one of several
    if "”" not in _module.ALL_CANNOT_START:
        _module.ALL_CANNOT_START += "”’"


@dataclass(frozen=True)
class Heading:
    union: str
    title: str
    code: str  # batch or route code
    printed: dt.date


@dataclass(frozen=True)
class Styles:
    font: PdfFont
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    section: ParagraphStyle
    cell: ParagraphStyle


def styles(font: PdfFont) -> Styles:
    body = ParagraphStyle("body", fontName=font.name, fontSize=10, leading=14, wordWrap="CJK")
    return Styles(
        font,
        body,
        ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        ParagraphStyle("title", parent=body, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=4 * mm),
        ParagraphStyle(
            "section", parent=body, fontSize=12, leading=16, spaceBefore=4 * mm, spaceAfter=2 * mm
        ),
        ParagraphStyle("cell", parent=body, fontSize=9, leading=11),
    )


def _numbered_canvas(heading: Heading, font: PdfFont) -> type[pdf_canvas.Canvas]:
    class NumberedCanvas(pdf_canvas.Canvas):
        """Holds the pages until the end, so each can say how many there are."""

        def __init__(self, *args: Any, **kwargs: Any):
            kwargs.setdefault("initialFontName", font.name)  # no stray Helvetica in the file
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = A4
            self.setFont(font.name, 9)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(18 * mm, height - 12 * mm, heading.union)
            room = width - 36 * mm - self.stringWidth(heading.union, font.name, 9) - 8 * mm
            right = fitted(
                f"{heading.title}  {heading.code}", room, lambda t: self.stringWidth(t, font.name, 9)
            )
            self.drawRightString(width - 18 * mm, height - 12 * mm, right)
            self.setStrokeColor(colors.HexColor("#999999"))
            self.line(18 * mm, height - 14 * mm, width - 18 * mm, height - 14 * mm)
            self.line(18 * mm, 14 * mm, width - 18 * mm, 14 * mm)
            printed = f"打印日期：{heading.printed.year}年{heading.printed.month}月{heading.printed.day}日"
            self.drawString(18 * mm, 9 * mm, printed)
            self.drawCentredString(width / 2, 9 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
            self.drawRightString(width - 18 * mm, 9 * mm, f"职工疗休养工作台 {__version__}")

    return NumberedCanvas


def fitted(text: str, room: float, width: Callable[[str], float]) -> str:
    """``text`` shortened with “…” so that it is no wider than ``room``: a page's running header naming a base
    of a hundred characters stays on its side of the page instead of printing over the union's name.  A short
    last word (the year of 寿昌宾馆 2021) is kept after the “…”."""
    if width(text) <= room:
        return text
    head, space, last = text.rpartition(" ")
    tail = f"… {last}" if space and head.strip() and len(last) <= 8 else "…"
    head = head if tail != "…" else text
    while head and width(head + tail) > room:
        head = head[:-1]
    return head.rstrip() + tail


def build(path: Path, heading: Heading, story: Sequence[Any], font: PdfFont | None = None) -> Path:
    """Write ``story`` to ``path`` as an A4 PDF with the shared header and footer."""
    font = font or find_font()
    with private_output(path) as temp:  # a manifest or rooming list names people: the owner's alone
        doc = SimpleDocTemplate(
            str(temp),
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=f"{heading.title} {heading.code}",
            author=heading.union,
            creator="Recuperation Desk",
        )
        doc.build(list(story), canvasmaker=_numbered_canvas(heading, font))
    return path


def grid(
    rows: list[list[Any]], widths: list[float], font: PdfFont, *, header_rows: int = 1, zebra: bool = True
) -> Table:
    """A table whose header repeats on every page, in the document's font."""
    table = Table(rows, colWidths=widths, repeatRows=header_rows)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), font.name),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#dde7f2")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if zebra:
        for r in range(header_rows, len(rows)):
            if (r - header_rows) % 2:
                style.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f5f7fa")))
    table.setStyle(TableStyle(style))
    return table


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    from xml.sax.saxutils import escape

    return Paragraph(escape(text), style)
