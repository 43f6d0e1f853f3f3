"""团员查询: everyone on the rosters of a year's batches, found as you type by name, employer, batch, partner
or a full ID number (shown masked).  Double-click opens the batch."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from recuperation.services.batch.rosters import year_people
from recuperation.services.statistics import years_with_batches, years_with_records
from ui import labels, operations
from ui.desk import Desk
from ui.i18n import format_date, opening_year
from ui.labels import batch_statuses
from ui.widgets.fit import fit_to_screen, search_field
from ui.widgets.table import ROW_ROLE, Column, RowTableModel, table_view


class PeopleDialog(QDialog):
    def __init__(self, desk: Desk, window: Any, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.desk, self.window_ = desk, window
        self.busy = 0
        self.setWindowTitle(self.tr("团员查询"))
        self.year = QComboBox()
        self.year.setObjectName("year")
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("姓名、单位、批次编号、合作单位或完整身份证号…"))
        self.count = QLabel()
        self.count.setObjectName("count")
        sexes = labels.sexes()
        statuses = batch_statuses()
        self.model = RowTableModel(
            [
                Column(self.tr("批次"), lambda r: r.code, width=100),
                Column(self.tr("到达"), lambda r: r.arrival, width=120),
                Column(self.tr("离开"), lambda r: r.departure, width=120),
                Column(
                    self.tr("状态"), lambda r: statuses.get(r.status, r.status), fits=list(statuses.values())
                ),
                Column(self.tr("合作单位"), lambda r: r.partner, width=170),
                Column(self.tr("姓名"), lambda r: r.name, width=80),
                Column(self.tr("性别"), lambda r: sexes.get(r.sex or "", ""), fits=list(sexes.values())),
                Column(self.tr("身份证号"), lambda r: r.id_masked, width=160),
                Column(self.tr("手机"), lambda r: r.phone_masked, width=110),
                Column(self.tr("单位"), lambda r: r.employer),
            ],
            key=lambda r: r.participant_id,
            haystack=lambda r: (
                f"{r.code} {format_date(r.arrival)} {statuses.get(r.status, r.status)} {r.partner} {r.name} "
                f"{sexes.get(r.sex or '', '')} {r.id_masked} {r.phone_masked} {r.employer} {r.searchable}"
            ),
        )
        self.view = table_view(self.model, rows=True)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # by arrival, as a year is read
        self.proxy = self.view.model()
        self.view.doubleClicked.connect(self.open_batch)
        self.search.textChanged.connect(self._filter)
        self.year.currentIndexChanged.connect(self.load)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年份")))
        top.addWidget(self.year)
        top.addWidget(search_field(self.search), 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        fit_to_screen(self, 1100, 700)
        self._years()

    def loaded(self) -> bool:
        return self.busy == 0 and self.year.count() > 0

    def _years(self) -> None:
        db = self.desk.db

        def done(result: tuple[list[int], list[int]]) -> None:
            years, with_people = result
            self.year.blockSignals(True)
            for y in sorted(years, reverse=True):
                self.year.addItem(self.tr("{0}年").format(y), y)
            opening = opening_year(with_people)  # not 2027's one planned batch and its 0 人次
            if opening is not None and self.year.findData(opening) >= 0:
                self.year.setCurrentIndex(self.year.findData(opening))
            self.year.blockSignals(False)
            self.load()

        operations.run(self, lambda: (years_with_records(db), years_with_batches(db, with_people=True)), done)

    def load(self) -> None:
        year = self.year.currentData()
        if year is None:
            return
        db = self.desk.db

        def done(rows: list[Any]) -> None:
            self.model.set_rows(rows)
            self._filter()

        operations.run(self, lambda: year_people(db, year), done)

    def _filter(self) -> None:
        self.proxy.set_text(self.search.text())  # type: ignore[attr-defined]
        self.count.setText(self.tr("%Ln 人次", "", self.proxy.rowCount()))

    def open_batch(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is not None and hasattr(self.window_, "open_record"):
            self.window_.open_record("batches", row.batch_id)
