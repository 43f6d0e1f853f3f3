"""The statistics page shows planned beside attended and the difference — in the main figures and by month,
partner and base — on the small hand-built year of tests/test_statistics_batch_attendance.py (known
answers; the companion never counts)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from recuperation.storage.database import Database
from tests.test_statistics_batch_attendance import small_year
from tests.ui_helpers import wait_page
from ui.desk import Desk
from ui.pages.statistics import StatisticsPage


def _cells(model: Any, first: str) -> tuple[str, ...]:
    """The shown texts of the row whose first cell reads ``first``."""
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == first)
    return tuple(model.index(row, c).data() for c in range(model.columnCount()))


def _headers(model: Any) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_planned_attended_and_the_difference_on_the_page(qtbot, db: Database) -> None:
    small_year(db)
    desk = Desk(db)
    page = StatisticsPage(desk)
    qtbot.addWidget(page)
    page.resize(1210, 720)  # the page's room in the window at 1366×768, beside the page list
    page.show()
    try:
        wait_page(qtbot, page)
        page.year.setCurrentIndex(page.year.findData(2021))
        qtbot.waitUntil(lambda: page.busy == 0 and page.stats is not None and page.stats.start.year == 2021)
        figures = {key: label.text() for key, label in page.figures.items()}
        # A 5 + B 4 + C 10 planned, A's companion nowhere; attended: A 4 (a no-show), B and C as planned
        assert (figures["batches"], figures["people"], figures["attended_people"]) == ("3", "19", "18")
        assert (figures["person_days"], figures["attended_person_days"]) == ("57", "50")
        assert page.figure_notes["attended_people"].text() == "差额 1"
        assert page.figure_notes["attended_person_days"].text() == "差额 7"  # A: 25 planned, 3 × 5 + 3
        assert page.figures["attended_people"].toolTip() == "3 个批次中 1 个已结束报到，其余按计划计"

        heads = ["计划\n人次", "实到\n人次", "人次\n差额", "计划\n人天", "实到\n人天", "人天\n差额"]
        assert _headers(page.months) == ["月份", "批次", *heads]
        assert _cells(page.months, "5月") == ("5月", "1", "5", "4", "1", "25", "18", "7")
        assert _cells(page.months, "6月") == ("6月", "2", "14", "14", "0", "32", "32", "0")
        assert _cells(page.months, "1月") == ("1月", "0", "0", "0", "0", "0", "0", "0")

        assert _headers(page.partners) == ["合作单位", "批次", *heads]
        assert _cells(page.partners, "宁波大学") == ("宁波大学", "2", "9", "8", "1", "37", "30", "7")
        assert _cells(page.partners, "浙江海港集团") == (
            "浙江海港集团",
            "1",
            "10",
            "10",
            "0",
            "20",
            "20",
            "0",
        )
        row = next(r for r in range(page.partners.rowCount()) if page.partners.rows[r].name == "宁波大学")
        attended = page.partners.index(row, 3)
        assert attended.data(Qt.ItemDataRole.ToolTipRole) == "2 个批次中 1 个已结束报到，其余按计划计"

        bases = page.groups["by_base"]
        assert _headers(bases) == ["名称", "批次", "住宿\n人次", "住宿\n人·晚", *heads]
        # who lodged there (five members of six, four nights), then the batch in full
        assert _cells(bases, "寿昌宾馆") == ("寿昌宾馆", "1", "5", "20", "5", "4", "1", "25", "18", "7")
        assert "整批" in bases.headerData(4, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert "随行家属不计" in page.months.headerData(
            3, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
        )

        # the first tab shows the months and the partners whole, side by side (in Chinese)
        for view in (page.month_view, page.partner_view):
            shown, columns = view.viewport().width(), view.property("columns_width")
            assert 0 < columns <= shown, f"{columns} px of columns in {shown} px"
    finally:
        desk.worker.shutdown()
