"""The scorecard on the desktop: a base's 评分 tab shows the hand-built year of tests/test_scorecard.py (the
figures, the flags in words, the ratings against the year before), another year is chosen, the scorecard and
the re-check file are printed off the GUI thread into the preview; the statistics' 满意度 tab shows the bases,
routes, partners and response rates of the period."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from PySide6.QtCore import Qt

from recuperation.storage.database import Database
from tests.test_scorecard import two_years
from tests.ui_helpers import wait_page
from ui.desk import Desk
from ui.pages.bases import BasesPage
from ui.pages.statistics import StatisticsPage


@pytest.fixture
def desks():
    made: list[Desk] = []
    yield made
    for desk in made:
        desk.worker.shutdown()


def make(qtbot, cls, db: Database, desks: list[Desk]):
    desk = Desk(db)
    desks.append(desk)
    page = cls(desk)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_page(qtbot, page)
    return page


def cells(model) -> list[list[str]]:
    return [
        [str(model.index(r, c).data() or "") for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_a_bases_scorecard_tab_and_its_printouts(qtbot, desks, db: Database) -> None:
    years = two_years(db)
    page = make(qtbot, BasesPage, db, desks)
    panel = page.bases
    assert panel.select_key(years.shouchang)
    view = panel.scorecard
    panel.tabs.setCurrentWidget(view)
    qtbot.waitUntil(
        lambda: view.busy == 0 and view.card is not None and view.card.year == 2021, timeout=15_000
    )
    assert panel.tabs.tabText(panel.tabs.indexOf(view)) == "评分"
    assert [view.year.itemText(i) for i in range(view.year.count())] == ["2021", "2020"]
    assert view.values["overall"].text() == "4.3（3 份评分）"
    assert view.values["responses"].text() == "3 份（回收率 23.1%）"
    assert view.values["batches"].text() == "2" and view.values["people"].text() == "13（家属 1）"
    assert view.values["serious"].text() == "1"
    assert "#b00020" in view.values["serious"].styleSheet()  # an open serious incident stands out
    verdict = view.verdict.text()
    assert verdict.startswith("需复核关注：")
    assert "有 1 起严重事件尚未结案" in verdict and "6.2" in verdict
    rows = cells(view.ratings)
    assert ["总体满意度", "4.3", "3", "3.5", "2", "上升"] in rows
    assert ["餐饮", "3.7", "3", "4.0", "2", "下降"] in rows
    incidents = cells(view.incidents)
    assert incidents[-1] == ["合计", "1", "1", "1", "3", "0"]
    assert "“应”条款不符合：6.2" in view.inspection.text()

    # the year before
    view.year.setCurrentIndex(view.year.findData(2020))
    qtbot.waitUntil(
        lambda: view.busy == 0 and view.card is not None and view.card.year == 2020, timeout=15_000
    )
    assert view.values["overall"].text() == "3.5（2 份评分）"
    assert view.verdict.text().startswith("无需复核关注")
    # 2019 has no figure for the base: its columns say — (no data), not zeros, and there is no trend
    assert view.ratings.headerData(2, Qt.Orientation.Horizontal) == "本年评分数"
    assert view.ratings.headerData(4, Qt.Orientation.Horizontal) == "上年评分数"
    assert ["总体满意度", "3.5", "2", "—", "—", "—"] in cells(view.ratings)
    assert cells(view.incidents)[-1][-1] == "—"
    assert view.rating_note.text().startswith("2019年没有这个基地的任何数据")
    # one statement of the certification, today's state as the bases list shows it (lapsed since 2022)
    assert view.certificate.text().startswith("认定状态（今天）：杭州市级 · 已失效")
    assert "已认定" not in view.certificate.text()

    # the re-check file, made on the worker and shown in the preview
    view.year.setCurrentIndex(view.year.findData(2021))
    qtbot.waitUntil(
        lambda: view.busy == 0 and view.card is not None and view.card.year == 2021, timeout=15_000
    )
    view.print_review_file()
    qtbot.waitUntil(lambda: view.preview is not None, timeout=30_000)
    preview = view.preview
    assert preview.isVisible() and preview.document.pageCount() >= 5
    text = "".join(p.extract_text() for p in PdfReader(Path(preview.path)).pages)
    assert "职工疗休养基地复核档案" in text and "评审组组长（签字）" in text and years.wang_id not in text
    preview.close()
    view.preview = None
    view.print_scorecard()
    qtbot.waitUntil(lambda: view.preview is not None, timeout=30_000)
    assert view.preview.document.pageCount() == 1
    view.preview.close()

    # another base: its own card, never the first one's figures
    assert panel.select_key(years.jiangbin)
    qtbot.waitUntil(
        lambda: view.busy == 0 and view.card is not None and view.card.base == "江滨宾馆", timeout=15_000
    )
    assert view.values["people"].text() == "8" and view.values["overall"].text() == "—"
    assert page.loaded()


def test_the_statistics_satisfaction_tab(qtbot, desks, db: Database) -> None:
    years = two_years(db)
    page = make(qtbot, StatisticsPage, db, desks)
    panel = page.satisfaction_panel
    page.year.setCurrentIndex(page.year.findData(2021))
    qtbot.waitUntil(page.loaded, timeout=15_000)
    assert panel.figures is None  # not read until the tab is shown
    page.tables.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: page.loaded() and panel.figures is not None, timeout=15_000)
    assert (
        "已结束的批次（各类，未取消）3 个，其中 1 个收回了问卷；问卷 3 份，这些批次实到 21 人次，回收率 14.3%"
        in (panel.summary.text())
    )
    assert "本期 1 个基地需关注" in panel.note.text()
    bases = {row[0]: row for row in cells(panel.models["by_base"])}
    assert bases["寿昌宾馆"][1:4] == ["4.3", "3", "3"]
    assert bases["寿昌宾馆"][-2:] == ["1", "严重事件未结、“应”条款不符合"]
    assert bases["江滨宾馆"][-1] == ""
    routes = {row[0]: row for row in cells(panel.models["by_route"])}
    assert routes["寿昌古镇休闲游"][1:7] == ["3", "21", "3", "14.3%", "4.3", "3"]
    batches = {row[0]: row for row in cells(panel.models["batches"])}
    assert batches[years.x][-3:] == ["3", "3", "100.0%"] and batches[years.y][-1] == "0.0%"
    # what a print of the tab says it is
    panel.tables.setCurrentIndex(1)
    assert page.print_view() is panel.views["by_route"]
    assert page.print_subtitle().endswith("满意度 · 按线路")
