"""Charts of the dashboard and the statistics (QtCharts), made from the statistics service's figures."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QPainter
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QToolTip


def _tr(text: str) -> str:
    return QCoreApplication.translate("Charts", text)


def nice_step(highest: float, intervals: int) -> float:
    """The smallest of 1, 2, 5 times a power of ten that reaches ``highest`` in ``intervals`` steps."""
    raw = highest / intervals
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))


def nice_ticks(highest: float, *, most: int = 6, whole: bool = True) -> list[float]:
    """Axis ticks from 0 in round steps (1, 2 or 5 times a power of ten) up to the first at or above
    ``highest``, at most ``most`` steps: 2675 gives 0, 500, … 3000.  ``whole`` keeps steps of at least 1 (counts
    of batches and people).  No data (nothing above 0) gives no ticks: the chart then draws no value axis."""
    if not highest > 0 or math.isinf(highest):
        return []
    step = nice_step(highest, most)
    if whole:
        step = max(step, 1.0)
    steps = max(math.ceil(highest / step - 1e-9), 1)
    return [round(i * step, 10) for i in range(steps + 1)]


def paired_ticks(left: float, right: float) -> tuple[list[float], list[float]]:
    """Ticks for two value axes side by side with the same number of steps, so one set of grid lines reads
    on both; of 3 to 6 steps the count that wastes the least height above the bars."""
    if not left > 0 or not right > 0:
        return nice_ticks(left), nice_ticks(right)

    def waste(n: int) -> float:
        return max(nice_step(left, n), 1) * n / left + max(nice_step(right, n), 1) * n / right

    n = min(range(3, 7), key=waste)
    return (
        [i * max(nice_step(left, n), 1) for i in range(n + 1)],
        [i * max(nice_step(right, n), 1) for i in range(n + 1)],
    )


def value_axis(ticks: Sequence[float], *, percent: bool = False) -> QValueAxis:
    """A value axis labelled exactly at ``ticks`` (evenly spaced from 0)."""
    axis = QValueAxis()
    axis.setRange(0, ticks[-1])
    axis.setTickCount(len(ticks))
    axis.setMinorTickCount(0)
    whole = all(float(t).is_integer() for t in ticks)
    axis.setLabelFormat(("%d" if whole else "%.1f") + ("%%" if percent else ""))
    return axis


class ChartView(QChartView):
    """A chart with, when it has nothing to show, a 无数据 note in place of axes and bars."""

    def __init__(self, chart: QChart, empty: bool = False):
        super().__init__(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(230)
        self.setMinimumWidth(300)
        self.note: QGraphicsSimpleTextItem | None = None
        if empty:
            chart.legend().hide()
            self.note = QGraphicsSimpleTextItem(QCoreApplication.translate("Charts", "无数据"), chart)
            self.note.setBrush(QColor("#6c757d"))
            chart.plotAreaChanged.connect(self._centre_note)
            self._centre_note(chart.plotArea())

    def _centre_note(self, area: QRectF) -> None:
        if self.note is not None:
            box = self.note.boundingRect()
            self.note.setPos(area.center().x() - box.width() / 2, area.center().y() - box.height() / 2)


def _view(chart: QChart, empty: bool = False) -> ChartView:
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return ChartView(chart, empty)


def monthly_chart(batches: Sequence[int], people: Sequence[int], title: str) -> ChartView:
    """Batches per month as bars on the left axis, people per month as a line on the right one."""
    chart = QChart()
    chart.setTitle(title)
    if not any(batches) and not any(people):
        return _view(chart, empty=True)
    bars = QBarSet(QCoreApplication.translate("Charts", "批次"))
    bars.append(list(batches))
    bars.setColor(QColor("#3d8bfd"))
    series = QBarSeries()
    series.append(bars)
    line = QLineSeries()
    line.setName(QCoreApplication.translate("Charts", "人次"))
    line.setColor(QColor("#fd7e14"))
    for i, value in enumerate(people):
        line.append(i, value)
    chart.addSeries(series)
    chart.addSeries(line)
    months = QBarCategoryAxis()
    months.append([f"{m}" for m in range(1, len(batches) + 1)])
    chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(months)
    line.attachAxis(months)
    left_ticks, right_ticks = paired_ticks(max(batches, default=0), max(people, default=0))
    if left_ticks:
        left = value_axis(left_ticks)
        chart.addAxis(left, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(left)
    if right_ticks:
        right = value_axis(right_ticks)
        right.setGridLineVisible(not left_ticks)
        right.setLabelsColor(QColor("#c35a00"))
        chart.addAxis(right, Qt.AlignmentFlag.AlignRight)
        line.attachAxis(right)
    return _view(chart)


def _short(name: str, most: int = 8) -> str:
    return name if len(name) <= most else name[: most - 1] + "…"


def ranking_chart(
    names: Sequence[str], values: Sequence[float], title: str, *, percent: bool = False, top: int = 6
) -> ChartView:
    """The largest ``top`` values as horizontal bars, largest on top, the names beside them and the value at
    each bar's end (no legend to run out of room; a name too long is shortened, whole in the tooltip)."""
    scale = 100 if percent else 1
    # a value that rounds to nothing shown (a 0.01% bed use) draws no bar: without one the axis has no length
    pairs = [
        p
        for p in sorted(zip(names, values, strict=True), key=lambda p: p[1], reverse=True)
        if (round(p[1] * scale, 1) if percent else p[1]) > 0
    ][:top]
    chart = QChart()
    chart.setTitle(title)
    if not pairs:
        return _view(chart, empty=True)
    shown = [round(v * scale, 1) if percent else v for _, v in reversed(pairs)]
    labels = [_short(n) for n, _ in reversed(pairs)]
    for i in range(len(labels)):  # a category axis merges equal labels: keep shortened names apart
        while labels[i] in labels[:i]:
            labels[i] += "\u200b"
    bar = QBarSet(title)
    bar.append(shown)
    bar.setColor(QColor("#3d8bfd"))
    bar.setLabelColor(QColor("#212529"))
    series = QHorizontalBarSeries()
    series.append(bar)
    series.setBarWidth(0.7)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setLabelsFormat("@value%" if percent else "@value")
    full = list(reversed(pairs))
    series.hovered.connect(
        lambda status, i, _set: QToolTip.showText(
            QCursor.pos(),
            QCoreApplication.translate("Charts", "{0}：{1}").format(
                full[i][0], f"{shown[i]:,}{'%' if percent else ''}"
            )
            if status
            else "",
        )
    )
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append(labels)
    small = categories.labelsFont()
    small.setPointSizeF(max(small.pointSizeF() - 1, 7))
    categories.setLabelsFont(small)  # a name taller than its bar's share of the height is cut to "…"
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    # room after the longest bar for its label
    axis = value_axis(nice_ticks(max(shown) * 1.25, most=5), percent=percent)
    chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis)
    chart.legend().hide()
    return _view(chart)
