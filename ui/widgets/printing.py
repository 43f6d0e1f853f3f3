"""Printing what a page shows: its table as a document, through the system's printers with a preview."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QAbstractItemView, QWidget

from recuperation.private_files import make_private
from ui.i18n import format_date


def table_html(title: str, union: str, view: QAbstractItemView) -> str:
    """The rows of ``view`` as the user sees them (filtered and sorted) in an HTML table."""
    model = view.model()
    e = html.escape
    head = "".join(
        f"<th>{e(str(model.headerData(c, Qt.Orientation.Horizontal) or ''))}</th>"
        for c in range(model.columnCount())
    )
    rows = []
    for r in range(model.rowCount()):
        cells = "".join(
            f"<td>{e(str(model.index(r, c).data() or ''))}</td>" for c in range(model.columnCount())
        )
        rows.append(f"<tr>{cells}</tr>")
    return (
        "<html><body style='font-size:9pt'>"
        f"<p>{e(union)}</p><h2>{e(title)}</h2><p>{e(format_date(dt.date.today()))}</p>"
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
