"""Print preview inside the program: a batch's manifest and a route's brochure, saved as PDF."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from PySide6.QtPrintSupport import QPrinter

from recuperation.services.statistics import Span
from recuperation.storage.database import Database
from tests.ui_helpers import wait_idle, wait_page
from ui.batch.page import BatchesPage
from ui.desk import Desk
from ui.pages.routes import RoutesPage


def test_preview_and_save_a_manifest_from_the_batch_page(
    qtbot, demo_db: Database, tmp_path: Path, monkeypatch
) -> None:
    desk = Desk(demo_db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.show()
    wait_page(qtbot, page)
    panel = page.batches
    panel.year.setCurrentIndex(panel.year.findData(2021))
    assert panel.select_key(next(b.id for b in panel.model.rows if b.code == "L2021-0140"))
    wait_idle(qtbot, panel)
    panel.print_document("manifest")
    qtbot.waitUntil(lambda: panel.preview is not None, timeout=15_000)
    preview = panel.preview
    assert preview.document.pageCount() >= 4 and preview.isVisible()
    target = tmp_path / "saved"
    monkeypatch.setattr(
        "ui.widgets.pdf_preview.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), "")
    )
    saved = preview.save_as()
    assert saved == tmp_path / "saved.pdf"
    assert "合计 200 人" in "".join(page_.extract_text() for page_ in PdfReader(saved).pages)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert preview.render_to(printer) == preview.document.pageCount()
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == preview.document.pageCount()
    preview.close()
    desk.worker.shutdown()


def test_route_brochure_preview(qtbot, demo_db: Database) -> None:
    desk = Desk(demo_db)
    page = RoutesPage(desk)
    qtbot.addWidget(page)
    page.show()
    wait_page(qtbot, page)
    page.routes.print_brochure()
    qtbot.waitUntil(lambda: page.routes.preview is not None, timeout=15_000)
    assert page.routes.preview.document.pageCount() == 1
    page.routes.preview.close()
    desk.worker.shutdown()


def test_exports_from_the_pages(qtbot, demo_db: Database, tmp_path: Path, monkeypatch) -> None:
    import openpyxl

    from ui.pages.agreements import AgreementsPage

    desk = Desk(demo_db)
    page = AgreementsPage(desk)
    qtbot.addWidget(page)
    page.show()
    wait_page(qtbot, page)
    panel = page.partners
    assert panel.select_key(next(p.id for p in panel.model.rows if p.name == "宁波大学"))
    monkeypatch.setattr("ui.pages.agreements.QInputDialog.getInt", lambda *a, **k: (2021, True))
    monkeypatch.setattr(
        "ui.pages.agreements.QFileDialog.getSaveFileName", lambda *a, **k: (str(tmp_path / "ningbo"), "")
    )
    panel.export_year()
    qtbot.waitUntil(lambda: (tmp_path / "ningbo.xlsx").exists() and panel.busy == 0, timeout=15_000)
    assert openpyxl.load_workbook(tmp_path / "ningbo.xlsx").sheetnames[0] == "汇总"
    desk.worker.shutdown()


def test_planner_page_prints(qtbot, demo_db: Database) -> None:
    import datetime as dt

    desk = Desk(demo_db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.show()
    wait_page(qtbot, page)
    page.views.setCurrentWidget(page.planner)
    page.planner.show_date(dt.date(2021, 3, 31))
    qtbot.waitUntil(
        lambda: (
            page.planner.busy == 0
            and page.planner.canvas.view is not None
            and page.planner.canvas.view.first == dt.date(2021, 3, 1)
        ),
        timeout=15_000,
    )
    page.planner.print_page()
    assert page.planner.preview is not None and page.planner.preview.document.pageCount() == 1
    page.planner.preview.close()
    desk.worker.shutdown()


def test_a_printed_page_is_titled_with_what_it_shows(qtbot, demo_db: Database, monkeypatch) -> None:
    """统计 printed for Q2 2021 says 2021年第2季度 and its dates, the table, the union and the date printed;
    the batch list says the year it is filtered to."""
    import datetime as dt

    from ui.i18n import format_date
    from ui.main_window import MainWindow

    printed: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "ui.widgets.printing.preview", lambda _parent, title, markup: printed.append((title, markup))
    )
    window = MainWindow(Desk(demo_db), remember=False)
    qtbot.addWidget(window)
    window.show()
    window.show_page("statistics")
    page = window.pages["statistics"]
    qtbot.waitUntil(window.loaded, timeout=15_000)
    page.year.setCurrentIndex(page.year.findData(2021))
    page.choose_span(Span("quarter", 2))
    qtbot.waitUntil(lambda: page.busy == 0 and page.stats.start == dt.date(2021, 4, 1), timeout=15_000)
    page.tables.setCurrentIndex(page.tables.indexOf(page.tables.widget(1)))  # 按基地
    window.print_page()
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=15_000)
    title, markup = printed[0]
    assert title.startswith("统计") and "2021年第2季度" in title and "按基地" in title
    assert format_date(dt.date(2021, 4, 1)) in title and format_date(dt.date(2021, 6, 30)) in title
    assert "建德市总工会" in markup and f"打印于 {format_date(dt.date.today())}" in markup
    assert "寿昌宾馆" in markup  # the table of the tab shown, not the months

    page.tables.setCurrentIndex(page.tables.indexOf(page.tables.widget(6)))  # 基地利用率
    window.print_page()
    qtbot.waitUntil(lambda: len(printed) == 2, timeout=15_000)
    assert "基地利用率" in printed[1][0] and "%</td>" in printed[1][1]

    window.show_page("batches")
    qtbot.waitUntil(window.loaded, timeout=15_000)
    panel = window.pages["batches"].batches
    panel.year.setCurrentIndex(panel.year.findData(2021))
    qtbot.waitUntil(lambda: panel.busy == 0, timeout=15_000)
    window.print_page()
    qtbot.waitUntil(lambda: len(printed) == 3, timeout=15_000)
    assert "2021" in printed[2][0]
    window.desk.worker.shutdown()
