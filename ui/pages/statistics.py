"""统计: a period's figures by month and by partner, from the statistics service the CLI uses too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from recuperation.services.statistics import Period, period_stats, years_with_records
from ui.desk import Desk
from ui.i18n import date_format, format_date
from ui.pages.base import Page
from ui.widgets.table import Column, FilterProxy, RowTableModel


def figure_label() -> QLabel:
    label = QLabel("—")
    label.setStyleSheet("font-size: 20px; font-weight: 600; color: #0b5394;")
    return label


def make_view(model: RowTableModel) -> QTableView:
    view = QTableView()
    proxy = FilterProxy(view)
    proxy.setSourceModel(model)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    for i, column in enumerate(model.columns):
        if column.width:
            view.setColumnWidth(i, column.width)
    return view


class StatisticsPage(Page):
    name = "statistics"

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.busy = 0
        self.stats: Any = None
        self.year = QComboBox()
        self.until_on = QCheckBox(self.tr("截止到"))
        self.until = QDateEdit(QDate.currentDate())
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat(date_format())
        self.until.setEnabled(False)
        self.until_on.toggled.connect(self.until.setEnabled)
        self.show_button = QPushButton(self.tr("统计"))
        self.show_button.clicked.connect(self.compute)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年份")))
        top.addWidget(self.year)
        top.addWidget(self.until_on)
        top.addWidget(self.until)
        top.addWidget(self.show_button)
        top.addStretch(1)
        self.period = QLabel()
        top.addWidget(self.period)

        box = QGroupBox(self.tr("主要数字"))
        grid = QGridLayout(box)
        self.figures: dict[str, QLabel] = {}
        names = [
            ("batches", self.tr("疗休养批次")),
            ("people", self.tr("人次")),
            ("person_days", self.tr("人天")),
            ("training_classes", self.tr("培训班")),
            ("conferences", self.tr("会议")),
            ("agreements_signed", self.tr("新签协议")),
            ("provincial", self.tr("省级基地")),
            ("hangzhou", self.tr("杭州市级基地")),
        ]
        for i, (key, title) in enumerate(names):
            label = figure_label()
            label.setObjectName(f"figure_{key}")
            self.figures[key] = label
            grid.addWidget(QLabel(title), 0, i)
            grid.addWidget(label, 1, i)

        self.months = RowTableModel(
            [
                Column(
                    self.tr("月份"),
                    lambda m: self.tr("{0}月").format(m.month),
                    sort=lambda m: m.month,
                    width=80,
                ),
                Column(self.tr("批次"), lambda m: m.batches, right=True, width=80),
                Column(self.tr("人次"), lambda m: m.people, right=True),
            ],
            key=lambda m: m.month,
        )
        self.partners = RowTableModel(
            [
                Column(self.tr("合作单位"), lambda p: p.partner, width=240),
                Column(self.tr("批次"), lambda p: p.batches, right=True, width=80),
                Column(self.tr("人次"), lambda p: p.people, right=True),
            ],
            key=lambda p: p.partner,
        )
        self.month_view = make_view(self.months)
        self.partner_view = make_view(self.partners)
        split = QSplitter()
        split.addWidget(self.month_view)
        split.addWidget(self.partner_view)
        self.layout_.addLayout(top)
        self.layout_.addWidget(box)
        self.layout_.addWidget(split, 1)

    def refresh(self) -> None:
        db = self.desk.db
        self.busy += 1

        def done(years: list[int]) -> None:
            self.busy -= 1
            current = self.year.currentData()
            self.year.clear()
            for year in reversed(years):
                self.year.addItem(str(year), year)
            if current in years:
                self.year.setCurrentIndex(self.year.findData(current))
            if years:
                self.compute()

        self.desk.worker.run(lambda: years_with_records(db), done, owner=self)

    def compute(self) -> None:
        year = self.year.currentData()
        if year is None:
            return
        until = self.until.date().toPython() if self.until_on.isChecked() else None
        if until is not None and until.year != year:
            until = dt.date(year, 12, 31) if until.year > year else dt.date(year, 1, 1)
        period, db = Period.year(year, until), self.desk.db
        self.busy += 1

        def done(stats: Any) -> None:
            self.busy -= 1
            self.show_stats(stats)

        self.desk.worker.run(lambda: period_stats(db, period), done, owner=self)

    def show_stats(self, stats: Any) -> None:
        self.stats = stats
        self.period.setText(f"{format_date(stats.start)} – {format_date(stats.end)}")
        values = {
            "batches": stats.batches,
            "people": stats.people,
            "person_days": stats.person_days,
            "training_classes": stats.training_classes,
            "conferences": stats.conferences,
            "agreements_signed": stats.agreements_signed,
            **stats.bases_certified,
        }
        for key, label in self.figures.items():
            label.setText(f"{values[key]:,}")
        self.months.set_rows(stats.by_month)
        self.partners.set_rows(stats.by_partner)

    def loaded(self) -> bool:
        return self.activated and self.busy == 0 and self.stats is not None

    def print_view(self) -> QTableView:
        return self.partner_view if self.partner_view.hasFocus() else self.month_view

    def focus_search(self) -> None:
        self.year.setFocus()
