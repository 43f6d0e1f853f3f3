"""Lodging per night of a batch: one or more bases each night, with the number of people at each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from recuperation.services.batch.batches import LodgingInput
from ui.i18n import date_format
from ui.widgets import rights
from ui.widgets.fit import CompactCombo, FlowLayout

NIGHT, BASE, PEOPLE = range(3)


class LodgingEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bases: list[tuple[int, str]] = []
        self.read_only = ""  # why the nights cannot be changed here ("" when they can)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("当晚日期"), self.tr("住宿基地"), self.tr("人数")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(BASE, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(NIGHT, 140)
        self.table.setColumnWidth(PEOPLE, 80)
        self.add_button = QPushButton(self.tr("添加"))
        self.add_button.clicked.connect(lambda: self.add(None))
        self.remove_button = QPushButton(self.tr("删除"))
        self.remove_button.clicked.connect(self.remove)
        self.fill_button = QPushButton(self.tr("按计划人数排满每晚"))
        self.table.setMinimumHeight(150)  # three nights in sight when the form around it scrolls
        buttons = FlowLayout()  # wraps in a narrow editor instead of widening it
        for button in (self.add_button, self.remove_button, self.fill_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("每晚住宿")))
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def set_bases(self, bases: list[tuple[int, str]]) -> None:
        self.bases = bases

    def set_read_only(self, reason: str) -> None:
        """The nights are shown, not changed (``reason``: who lacks which right)."""
        self.read_only = reason
        for button in (self.add_button, self.remove_button, self.fill_button):
            rights.lock(button, reason)

    def add(self, item: LodgingInput | None, night: dt.date | None = None) -> None:
        row = self.table.rowCount()
        previous = self.items()[-1] if row else None
        self.table.insertRow(row)
        day = QDateEdit()
        day.setCalendarPopup(True)
        day.setDisplayFormat(date_format())
        start = (
            item.night
            if item
            else night or (previous.night + dt.timedelta(days=1) if previous else dt.date.today())
        )
        day.setDate(QDate(start.year, start.month, start.day))
        day.dateChanged.connect(self.changed)
        base = CompactCombo(chars=8)
        for base_id, name in self.bases:
            base.addItem(name, base_id)
        wanted = item.base_id if item else (previous.base_id if previous else None)
        base.setCurrentIndex(max(base.findData(wanted), 0))
        base.currentIndexChanged.connect(self.changed)
        people = QSpinBox()
        people.setRange(0, 10_000)
        people.setValue(item.people if item else (previous.people if previous else 0))
        people.valueChanged.connect(self.changed)
        self.table.setCellWidget(row, NIGHT, day)
        self.table.setCellWidget(row, BASE, base)
        self.table.setCellWidget(row, PEOPLE, people)
        if self.read_only:
            for widget in (day, base, people):
                rights.freeze(widget, self.read_only)
        if item is None:
            self.changed.emit()

    def remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def fill(
        self,
        arrival: dt.date,
        departure: dt.date,
        headcount: int,
        planned: Mapping[dt.date, int] | None = None,
    ) -> None:
        """One row per night of the stay that has none: at the base the itinerary sleeps at that night
        (``planned``: night → base id, from its 入住 items), else at the base used last (or the first base)."""
        have = {item.night for item in self.items()}
        night = arrival
        while night < departure:
            if night not in have:
                self.add(None, night)
                row = self.table.rowCount() - 1
                w: Any = self.table.cellWidget
                w(row, PEOPLE).setValue(headcount)
                w(row, NIGHT).setDate(QDate(night.year, night.month, night.day))
                base_id = (planned or {}).get(night)
                at = w(row, BASE).findData(base_id) if base_id is not None else -1
                if at >= 0:  # a base without beds is not offered: the row keeps the usual choice
                    w(row, BASE).setCurrentIndex(at)
            night += dt.timedelta(days=1)

    def items(self) -> list[LodgingInput]:
        result = []
        for row in range(self.table.rowCount()):
            w: Any = self.table.cellWidget
            result.append(
                LodgingInput(
                    w(row, BASE).currentData(), w(row, NIGHT).date().toPython(), w(row, PEOPLE).value()
                )
            )
        return result

    def set_items(self, items: list[LodgingInput]) -> None:
        blocked = self.blockSignals(True)
        self.table.setRowCount(0)
        for item in items:
            self.add(item)
        self.blockSignals(blocked)
