"""The statistics page's 费用 tab on the small hand-built year of tests/test_money_stats.py (answers worked out
there): the figures as a coordinator reads them, sortable tables, the flags for what lacks a price, loaded
only when the tab is shown and again for another period."""

from __future__ import annotations

from typing import Any

import pytest

from PySide6.QtCore import Qt

from recuperation.services.statistics import Span
from recuperation.storage.database import Database
from tests.test_money_stats import money_year
from tests.ui_helpers import wait_page
from ui.desk import Desk
from ui.pages.statistics import StatisticsPage
from ui.widgets.table import WARN

pytestmark = pytest.mark.ui


def _rows(view: Any) -> list[tuple[str, ...]]:
    """The shown texts of a view's rows, in the order shown."""
    model = view.model()
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount())
    ]


def _headers(view: Any) -> list[str]:
    model = view.model()
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_the_money_tab_shows_the_years_cost_per_person_day_and_what_is_unpaid(qtbot, db: Database) -> None:
    year = money_year(db)
    desk = Desk(db)
    page = StatisticsPage(desk)
    qtbot.addWidget(page)
    page.resize(1210, 720)  # the page's room in the window at 1366×768, beside the page list
    page.show()
    panel = page.money_panel
    try:
        wait_page(qtbot, page)
        page.year.setCurrentIndex(page.year.findData(2021))
        qtbot.waitUntil(lambda: page.busy == 0 and page.stats is not None and page.stats.start.year == 2021)
        assert panel.figures is None  # not computed before the tab is shown
        page.tables.setCurrentWidget(panel)
        qtbot.waitUntil(lambda: page.busy == 0 and panel.figures is not None, timeout=15_000)
        shown = {key: label.text() for key, label in panel.values.items()}
        assert shown == {
            "cost": "¥4,525.00",
            "member_cost": "¥3,931.82",
            "companion_cost": "¥593.18",
            "person_days": "52",
            "per_day": "¥75.61",
            "paid": "¥1,000.00",
            "outstanding": "¥3,215.00",
            "uninvoiced": "¥360.00",
        }
        assert panel.values["outstanding"].toolTip() == (
            "基地发票 2 张，合计 ¥4,215.00：待审批未付 ¥2,400.00，已审批未付 ¥815.00"
        )
        assert panel.note.text().startswith(
            "费用来源：已审批发票 1 项 ¥1,815.00；按报到计算 1 项 ¥360.00；按计划计算 2 项 ¥2,350.00。"
        )
        # the two “per person” figures of the page are told apart: the bases' cost here, the agreed price above
        assert "付给基地的费用，包括疗休养、培训班和会议" in panel.note.text()
        assert "“人均费用”按协议价计算" in panel.note.text()
        assert not panel.warning.isHidden()
        assert f"1 项费用缺少价格，合计只含已定价的部分（如 {year.c}：新安江大酒店）" in panel.warning.text()
        assert f"1 个批次没有安排基地，无法计算费用（如 {year.e}）" in panel.warning.text()

        partners = panel.views["by_partner"]
        assert _headers(partners) == ["合作单位", "批次", "团员\n人天", "费用", "团员\n费用", "每人天\n费用"]
        assert _rows(partners) == [  # most cost first
            ("浙江海港集团", "1", "20", "¥2,350.00", "¥2,350.00", "¥117.50"),
            ("宁波大学", "3", "32", "¥2,175.00", "¥1,581.82", "¥49.43"),
        ]
        partners.sortByColumn(5, Qt.SortOrder.AscendingOrder)  # by cost per person-day, as numbers
        assert [row[0] for row in _rows(partners)] == ["宁波大学", "浙江海港集团"]
        # the line whose cost lacks a price is marked, and says so
        row = next(r for r, line in enumerate(_rows(partners)) if line[0] == "宁波大学")
        cost = partners.model().index(row, 3)
        assert cost.data(Qt.ItemDataRole.BackgroundRole).color() == WARN
        assert cost.data(Qt.ItemDataRole.ToolTipRole) == "1 项费用缺少价格：只计入了已定价的部分"

        bases = panel.views["by_base"]
        assert _headers(bases)[6:] == ["已开票", "已付款", "未付", "未开票"]
        assert _rows(bases) == [
            (
                "寿昌宾馆",
                "2",
                "28",
                "¥4,165.00",
                "¥3,670.00",
                "¥131.07",
                "¥4,215.00",
                "¥1,000.00",
                "¥3,215.00",
                "¥0.00",
            ),
            ("草莓小镇农庄", "1", "8", "¥360.00", "¥261.82", "¥32.73", "¥0.00", "¥0.00", "¥0.00", "¥360.00"),
            ("新安江大酒店", "1", "4", "¥0.00", "¥0.00", "¥0.00", "", "", "", ""),
            ("（未安排基地）", "1", "20", "¥0.00", "¥0.00", "¥0.00", "", "", "", ""),
        ]
        months = panel.views["by_month"]
        assert [row[0] for row in _rows(months)][:7] == [f"{m}月" for m in range(1, 8)]
        assert _rows(months)[5] == ("6月", "2", "28", "¥4,525.00", "¥3,931.82", "¥140.42")
        kinds = _rows(panel.views["by_kind"])
        assert ("会议", "0", "0", "¥0.00", "¥0.00", "—") in kinds
        # every table shows its columns whole in the page's room at 1366×768
        for key, view in panel.views.items():
            panel.tables.setCurrentWidget(view)
            columns = sum(view.columnWidth(c) for c in range(view.model().columnCount() - 1))
            assert columns < view.viewport().width(), key
        # the print subtitle names the tab and its table
        assert page.print_view() is panel.views["by_kind"]
        assert page.print_subtitle().endswith("费用 · 按类型")

        # another period: June only, loaded again while the tab is shown
        page.choose_span(Span("month", 6))
        qtbot.waitUntil(
            lambda: page.busy == 0 and panel.figures is not None and panel.figures.start.month == 6,
            timeout=15_000,
        )
        assert panel.values["cost"].text() == "¥4,525.00"
        assert panel.values["person_days"].text() == "28"
        assert panel.warning.isHidden()  # July's missing prices and September's class are not June's
    finally:
        desk.worker.shutdown()


def test_a_money_tab_that_fails_to_load_says_so_and_loads_after_f5(qtbot, db: Database, monkeypatch) -> None:
    import sys

    from recuperation.errors import RuleViolation
    from recuperation.services import money_stats
    from ui.widgets import dialogs

    money_year(db)
    hooked: list[BaseException] = []
    warned: list[str] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: hooked.append(exc))
    monkeypatch.setattr(dialogs, "warn", lambda _parent, _title, text, *_a, **_k: warned.append(text))
    real = money_stats.money_figures

    def broken(*_args: Any) -> Any:
        raise RuntimeError("the disk went away")

    def refused(*_args: Any) -> Any:
        raise RuleViolation("stats.unknown_year", year=2021, years="无")

    monkeypatch.setattr(money_stats, "money_figures", broken)
    desk = Desk(db)
    page = StatisticsPage(desk)
    qtbot.addWidget(page)
    page.resize(1210, 720)
    page.show()
    panel = page.money_panel
    try:
        wait_page(qtbot, page)
        page.tables.setCurrentWidget(panel)
        qtbot.waitUntil(lambda: bool(hooked) and page.busy == 0, timeout=15_000)
        assert isinstance(hooked[0], RuntimeError) and panel.figures is None
        assert panel.values["cost"].text() == "—"  # nothing stands where the figures would be
        monkeypatch.setattr(money_stats, "money_figures", refused)
        page.refresh()  # F5
        qtbot.waitUntil(lambda: bool(warned) and page.busy == 0, timeout=15_000)
        assert warned == ["数据库中没有 2021 年的任何记录（有记录的年份：无）。"] and panel.figures is None
        monkeypatch.setattr(money_stats, "money_figures", real)
        page.refresh()
        qtbot.waitUntil(lambda: page.busy == 0 and panel.figures is not None, timeout=15_000)
        assert panel.values["cost"].text() == "¥4,525.00"
    finally:
        desk.worker.shutdown()
