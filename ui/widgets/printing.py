"""Printing what a page shows: its table as a document, through the system's printers with a preview."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QAbstractItemView, QWidget

from recuperation.private_files import make_private
from ui.i18n import format_date
from ui.widgets.table import BAR_ROLE, bar_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


def heading(title: str, subtitle: str = "") -> str:
    """The printed title: the page and what of it is shown (统计 — 2021年第2季度 · 按基地)."""
    return QCoreApplication.translate("Printing", "{0} — {1}").format(title, subtitle) if subtitle else title


def cell_text(index: QModelIndex) -> str:
    """A cell as the screen shows it; a bar cell as the words drawn on its bar ("21 / 30", "25.2%")."""
    shown = str(index.data() or "")
    bar = index.data(BAR_ROLE)
    return bar_text(bar[0], bar[1], shown) if bar else shown


def _cell(index: QModelIndex) -> str:
    """A table cell, numbers right-aligned as on screen."""
    align = index.data(Qt.ItemDataRole.TextAlignmentRole)
    right = align is not None and bool(int(align) & int(Qt.AlignmentFlag.AlignRight))
    return f"<td{' align=right' if right else ''}>{html.escape(cell_text(index))}</td>"


def table_html(title: str, union: str, view: QAbstractItemView, printed: dt.date | None = None) -> str:
    """The rows of ``view`` as the user sees them (filtered and sorted) in an HTML table, under the union's
    name, ``title`` (say what is shown: see :func:`heading`) and the date printed."""
    model = view.model()
    e = html.escape
    head = "".join(
        f"<th>{e(str(model.headerData(c, Qt.Orientation.Horizontal) or ''))}</th>"
        for c in range(model.columnCount())
    )
    rows = []
    for r in range(model.rowCount()):
        cells = "".join(_cell(model.index(r, c)) for c in range(model.columnCount()))
        rows.append(f"<tr>{cells}</tr>")
    note = QCoreApplication.translate("Printing", "共 {0} 行 · 打印于 {1}").format(
        model.rowCount(), format_date(printed or dt.date.today())
    )
    return (
        "<html><body style='font-size:9pt'>"
        + (f"<p>{e(union)}</p>" if union else "")
        + f"<h2>{e(title)}</h2><p>{e(note)}</p>"
        "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></body></html>"
    )


def document(markup: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setHtml(markup)
    return doc


def preview(parent: QWidget, title: str, markup: str) -> None:
    """Show a print preview; printing from there goes to the chosen system printer (or a PDF)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(title)
    doc = document(markup)
    dialog.paintRequested.connect(lambda target: print_private(doc, target))
    dialog.exec()


def print_private(doc: QTextDocument, printer: QPrinter) -> None:
    """Print ``doc``; a PDF file chosen as the printer ("print to file") is created readable by its owner only,
    as every file the program writes with people's names is."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        make_private(printer.outputFileName())
    doc.print_(printer)
