"""The statistics page's bars and charts read the way a user reads them: bars fill from the left in proportion,
shares are percentages, axes step in round numbers, and an empty chart says so instead of drawing 0,0,0,1."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import QBarCategoryAxis, QValueAxis
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from recuperation.services.statistics import Span
from recuperation.storage.database import Database
from tests.ui_helpers import wait_page
from ui.desk import Desk
from ui.widgets.charts import monthly_chart, nice_ticks, paired_ticks, ranking_chart
from ui.widgets.table import BAR_FILL, BAR_OVER, BAR_TRACK, Column, RowTableModel, table_view


def test_axis_ticks_are_round_numbers() -> None:
    assert nice_ticks(2675) == [0, 500, 1000, 1500, 2000, 2500, 3000]
    assert nice_ticks(150) == [0, 50, 100, 150]
    assert nice_ticks(3) == [0, 1, 2, 3]  # counts: whole steps, never 0.5 batches
    assert nice_ticks(1) == [0, 1]
    for highest in (37, 112, 1337, 5437, 38665):
        ticks = nice_ticks(highest)
        step = ticks[1]
        assert ticks[-1] >= highest and len(ticks) <= 7
        assert str(int(step)).rstrip("0") in {"1", "2", "5"}, (highest, ticks)
    assert nice_ticks(0) == [] and nice_ticks(float("nan")) == []  # no data: no axis
    left, right = paired_ticks(130, 4800)
    assert len(left) == len(right) and left[-1] >= 130 and right[-1] >= 4800


def _value_labels(axis: QValueAxis) -> list[float]:
    n = axis.tickCount()
    return [axis.min() + i * (axis.max() - axis.min()) / (n - 1) for i in range(n)]


def test_charts_label_their_axes_in_round_steps(qtbot) -> None:
    batches = [0, 0, 0, 120, 131, 110, 0, 0, 0, 0, 0, 0]
    people = [0, 0, 0, 4400, 4800, 3800, 0, 0, 0, 0, 0, 0]
    view = monthly_chart(batches, people, "每月批次与人次")
    qtbot.addWidget(view)
    axes = [a for a in view.chart().axes() if isinstance(a, QValueAxis)]
    assert len(axes) == 2 and view.note is None
    for axis, highest in zip(axes, (131, 4800), strict=True):
        labels = _value_labels(axis)
        assert labels[0] == 0 and labels[-1] >= highest
        assert all(v == int(v) for v in labels)
        assert str(int(labels[1])).rstrip("0") in {"1", "2", "5"}
    assert len(_value_labels(axes[0])) == len(_value_labels(axes[1]))  # one set of grid lines reads on both


def test_an_empty_chart_says_no_data_and_draws_no_axis(qtbot) -> None:
    for view in (
        monthly_chart([0] * 12, [0] * 12, "每月批次与人次"),
        ranking_chart([], [], "各主题人次"),
        ranking_chart(["寿昌宾馆"], [0.0], "基地床位利用率", percent=True),
        # 18 bed-nights of a 100-bed base in a year: 0.05% shows as 0.0%, no bar (it once raised IndexError)
        ranking_chart(["寿昌宾馆", "新安江宾馆"], [0.0004, 0.0001], "基地床位利用率", percent=True),
    ):
        qtbot.addWidget(view)
        assert not [a for a in view.chart().axes() if isinstance(a, QValueAxis)]
        assert view.note is not None and view.note.text() == "无数据"
        assert not view.chart().legend().isVisible()


def test_a_ranking_names_every_bar_without_a_legend(qtbot) -> None:
    names = [f"第{i}号疗休养基地度假酒店" for i in range(12)]
    view = ranking_chart(names, [0.01 * i for i in range(12)], "基地床位利用率", percent=True, top=10)
    qtbot.addWidget(view)
    view.resize(420, 420)
    view.show()
    assert not view.chart().legend().isVisible()  # nothing to be cut off at the bottom
    categories = next(a for a in view.chart().axes() if isinstance(a, QBarCategoryAxis))
    shown = categories.categories()
    assert len(shown) == 10 and len(set(shown)) == 10 and all(len(n.rstrip("\u200b")) <= 8 for n in shown)
    assert shown[-1].startswith("第11号")  # the largest on top
    axis = next(a for a in view.chart().axes() if isinstance(a, QValueAxis))
    assert axis.labelFormat().endswith("%%") and axis.max() >= 11


def _bar_image(view, row: int, width: int = 200, height: int = 40) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, width, height)
    option.palette = view.palette()
    option.font = view.font()
    view.itemDelegateForColumn(0).paint(painter, option, view.model().index(row, 0))
    painter.end()
    return image


def _run(image: QImage, y: int, colour: QColor) -> int:
    return sum(1 for x in range(image.width()) if image.pixelColor(x, y) == colour)


def test_a_quota_bar_fills_from_the_left_in_proportion(qtbot) -> None:
    model = RowTableModel([Column("批次", lambda r: r[0], bar=lambda r: r)], key=lambda r: r)
    model.set_rows([(23, 30), (35, 30), (0, 30)])
    view = table_view(model)
    qtbot.addWidget(view)
    image = _bar_image(view, 0)
    inner = 200 - 2 * 3 - 2  # the bar inside its cell margin and edge
    filled = _run(image, 6, BAR_FILL)
    assert abs(filled / inner - 23 / 30) < 0.02, filled  # ~77 %, not a full bar
    assert image.pixelColor(190, 6) == BAR_TRACK  # the rest of the track stays empty
    # horizontal: a column inside the filled part is filled from the bar's top to its bottom
    assert all(image.pixelColor(20, y) == BAR_FILL for y in range(4, 36))
    over = _bar_image(view, 1)
    assert _run(over, 6, BAR_OVER) >= inner - 1  # over 100 %: the whole bar, in red
    assert _run(_bar_image(view, 2), 6, BAR_FILL) == 0


def test_the_utilisation_table_shows_percentages(qtbot, demo_db: Database) -> None:
    from ui.pages.statistics import StatisticsPage

    desk = Desk(demo_db)
    page = StatisticsPage(desk)
    qtbot.addWidget(page)
    page.show()
    wait_page(qtbot, page)
    page.year.setCurrentIndex(page.year.findData(2020))  # another year shows its figures without a click
    qtbot.waitUntil(lambda: page.busy == 0 and page.stats.start == dt.date(2020, 1, 1), timeout=15_000)
    page.year.setCurrentIndex(page.year.findData(2021))
    qtbot.waitUntil(lambda: page.busy == 0 and page.stats.start == dt.date(2021, 1, 1), timeout=15_000)
    page.choose_span(Span("quarter", 2))
    qtbot.waitUntil(lambda: page.busy == 0 and page.stats.start == dt.date(2021, 4, 1), timeout=15_000)
    model = page.use
    rate = next(i for i, c in enumerate(model.columns) if c.header == "利用率")
    row = next(r for r in range(model.rowCount()) if model.rows[r].bed_nights_used)
    use = model.rows[row]
    cell = model.index(row, rate)
    assert cell.data() == f"{use.bed_nights_used / use.bed_nights_available:.1%}"
    assert cell.data().endswith("%") and " / " not in cell.data()
    assert f"{use.bed_nights_used:,}" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert f"{use.bed_nights_available:,}" in cell.data(Qt.ItemDataRole.ToolTipRole)
    desk.worker.shutdown()
