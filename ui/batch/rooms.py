"""Rooms and meals of a batch: automatic pairing, rooms per base per night, meal counts for the kitchens."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget

from recuperation.services.batch import rooms as service
from ui import labels, operations
from ui.desk import Desk
from ui.widgets import rights
from ui.widgets.fit import wrapping
from ui.widgets.table import Column, RowTableModel, table_view


def _view(model: RowTableModel) -> QTableView:
    return table_view(model)


class RoomsView(QWidget):
    changed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.batch: Any = None
        self.busy = 0
        meals = labels.item_kinds()
        self.rooms = RowTableModel(
            [
                Column(self.tr("日期"), lambda r: r.night, width=120),
                Column(self.tr("基地"), lambda r: r.base, width=160),
                Column(self.tr("人数"), lambda r: r.people, right=True, width=60),
                Column(self.tr("房间"), lambda r: r.rooms, right=True),
            ],
            key=lambda r: (r.night, r.base),
        )
        self.meals = RowTableModel(
            [
                Column(self.tr("日期"), lambda m: m.day, width=120),
                Column(self.tr("餐次"), lambda m: meals.get(m.meal, m.meal), fits=list(meals.values())),
                Column(self.tr("基地（厨房）"), lambda m: m.base, width=160),
                Column(self.tr("用餐人数"), lambda m: m.people, right=True),
            ],
            key=lambda m: (m.day, m.meal, m.base),
        )
        self.pair_button = QPushButton(self.tr("自动分房"))
        self.pair_button.clicked.connect(self.pair)
        rights.allow(self.pair_button, desk.access, "plan")
        self.summary = wrapping(QLabel())  # a long summary wraps instead of widening the window
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.pair_button)
        split = QSplitter()
        split.addWidget(_view(self.rooms))
        split.addWidget(_view(self.meals))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split)

    def set_batch(self, batch: Any) -> None:
        self.batch = batch
        self.pair_button.setEnabled(batch is not None)
        if batch is None:
            self.rooms.set_rows([])
            self.meals.set_rows([])
            return
        db, batch_id = self.desk.db, batch.id

        def done(result: tuple[list[Any], list[Any]]) -> None:
            self.rooms.set_rows(result[0])
            self.meals.set_rows(result[1])

        def failed(exc: BaseException) -> None:
            self.rooms.set_rows([])  # never another batch's rooms under this one
            self.meals.set_rows([])
            operations.show_failure(self, exc)

        operations.run(
            self,
            lambda: (service.rooms_per_night(db, batch_id), service.meal_counts(db, batch_id)),
            done,
            failed=failed,
        )

    def pair(self) -> None:
        if self.batch is None:
            return
        db, batch_id = self.desk.db, self.batch.id

        def done(result: service.RoomAssignment) -> None:
            self.summary.setText(
                self.tr("已分 {0} 间房（其中单人间 {1} 间），另需导游、司机房 {2} 间。").format(
                    result.rooms, result.singles, result.staff_rooms
                )
            )
            self.changed.emit()
            self.set_batch(self.batch)

        operations.run(self, lambda: service.pair_rooms(db, batch_id), done, title=self.tr("不能分房"))
