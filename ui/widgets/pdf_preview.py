"""A document inside the program: the PDF as it will print, then print (QPrinter), save or open outside."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from recuperation.private_files import make_private, private_copy
from ui.widgets.fit import fit_to_screen


class PdfPreview(QDialog):
    def __init__(self, parent: QWidget | None, path: Path, title: str, note: str = ""):
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(title)
        fit_to_screen(self, 900, 1000)  # a page as tall as the screen allows, never taller
        self.document = QPdfDocument(self)
        self.document.load(str(path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a6d00;")
        self.note.setVisible(bool(note))
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton(self.tr("另存为 PDF…"))
        self.save_button.clicked.connect(self.save_as)
        self.open_button = QPushButton(self.tr("用系统查看器打开"))
        self.open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path))))
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("共 %n 页", "", self.document.pageCount())))
        buttons.addStretch(1)
        for button in (self.open_button, self.save_button, self.print_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def save_as(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("另存为"), self.path.name, self.tr("PDF 文件 (*.pdf)")
        )
        if not name:
            return None
        target = Path(name)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        private_copy(self.path, target)  # a manifest with full ID numbers stays the owner's alone
        return target

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
            make_private(printer.outputFileName())  # "print to file": created 0600 before Qt writes it
        self.render_to(printer)

    def render_to(self, printer: QPrinter) -> int:
        """Draw every page on ``printer`` at its resolution; returns the pages printed."""
        painter = QPainter(printer)
        pages = self.document.pageCount()
        try:
            for page in range(pages):
                if page:
                    printer.newPage()
                area = painter.viewport()
                size = self.document.pagePointSize(page)
                scale = min(area.width() / size.width(), area.height() / size.height())
                image = self.document.render(page, (size * scale).toSize())
                painter.drawImage(0, 0, image)
        finally:
            painter.end()
        return pages
