"""Lodging per night of a batch: one or more bases each night, with the number of people at each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from recuperation.services.batches import LodgingInput
from ui.i18n import date_format

NIGHT, BASE, PEOPLE = range(3)


class LodgingEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bases: list[tuple[int, str]] = []
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
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.fill_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("每晚住宿")))
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def set_bases(self, bases: list[tuple[int, str]]) -> None:
        self.bases = bases

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
        base = QComboBox()
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
        if item is None:
            self.changed.emit()

    def remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def fill(self, arrival: dt.date, departure: dt.date, headcount: int) -> None:
        """One row per night of the stay that has none, at the base used last (or the first base)."""
        have = {item.night for item in self.items()}
        night = arrival
        while night < departure:
            if night not in have:
                self.add(None, night)
                self.table.cellWidget(self.table.rowCount() - 1, PEOPLE).setValue(headcount)  # type: ignore[union-attr]
                self.table.cellWidget(self.table.rowCount() - 1, NIGHT).setDate(  # type: ignore[union-attr]
                    QDate(night.year, night.month, night.day)
                )
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
