"""Charts of the dashboard and the statistics (QtCharts), made from the statistics service's figures."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, Qt
from PySide6.QtGui import QColor, QPainter


def _tr(text: str) -> str:
    return QCoreApplication.translate("Charts", text)


def _view(chart: QChart) -> QChartView:
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(230)
    view.setMinimumWidth(300)
    return view


def monthly_chart(batches: Sequence[int], people: Sequence[int], title: str) -> QChartView:
    """Batches per month as bars, people per month as a line on its own axis."""
    chart = QChart()
    chart.setTitle(title)
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
    left = QValueAxis()
    left.setRange(0, max([1, *batches]) * 1.15)
    left.setLabelFormat("%d")
    chart.addAxis(left, Qt.AlignmentFlag.AlignLeft)
    right = QValueAxis()
    right.setRange(0, max([1, *people]) * 1.15)
    right.setLabelFormat("%d")
    chart.addAxis(right, Qt.AlignmentFlag.AlignRight)
    series.attachAxis(months)
    series.attachAxis(left)
    line.attachAxis(months)
    line.attachAxis(right)
    return _view(chart)


def ranking_chart(
    names: Sequence[str], values: Sequence[float], title: str, *, percent: bool = False, top: int = 6
) -> QChartView:
    """The largest ``top`` values as bars, one per name, named in the legend (category labels of QtCharts
    are elided to dots in narrow charts, a legend keeps the Chinese names readable)."""
    pairs = sorted(zip(names, values, strict=True), key=lambda p: p[1], reverse=True)[:top]
    chart = QChart()
    chart.setTitle(title)
    series = QBarSeries()
    for name, value in pairs:
        bar = QBarSet(name if len(name) <= 10 else name[:9] + "…")
        bar.append([value * (100 if percent else 1)])
        series.append(bar)
    chart.addSeries(series)
    axis_values = QValueAxis()
    highest = max([1.0, *(p[1] for p in pairs)]) * (100 if percent else 1)
    axis_values.setRange(0, min(100.0, highest * 1.2) if percent else highest * 1.2)
    axis_values.setLabelFormat("%d%%" if percent else "%d")
    chart.addAxis(axis_values, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_values)
    view = _view(chart)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    small = chart.legend().font()
    small.setPointSizeF(max(small.pointSizeF() - 1, 7))
    chart.legend().setFont(small)
    return view
