"""Which sheet, which header row and which column is which field: the correctable part of an import preview,
shared by the roster import and the register imports."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QPushButton, QSpinBox, QWidget

from recuperation.services.sheet_layout import Layout
from ui.widgets.fit import compact


class ColumnMapping(QGroupBox):
    """``recheck`` carries the layout the user chose; an empty column mapping means “recognise the columns of
    that sheet and header row afresh”.  A header over two rows shows as rows “3–4” (the spin box holds the
    lower one, after which the records start) and each column's two-row text (联系方式 手机号码)."""

    recheck = Signal(object)

    def __init__(self, fields: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("列的对应关系（可修改）"))
        self.layout_shown: Layout | None = None
        self.sheet = compact(QComboBox(), 9)
        self.sheet.setObjectName("sheet")
        self.header_row = QSpinBox()
        self.header_row.setObjectName("header_row")
        self.header_row.setRange(1, 1000)
        self.combos: dict[str, QComboBox] = {}
        grid = QGridLayout(self)
        grid.addWidget(QLabel(self.tr("工作表")), 0, 0)
        grid.addWidget(self.sheet, 0, 1)
        grid.addWidget(QLabel(self.tr("标题行")), 0, 2)
        grid.addWidget(self.header_row, 0, 3)
        for i, (key, label) in enumerate(fields.items()):
            combo = compact(QComboBox(), 9)  # a long column heading does not widen the dialog
            combo.setObjectName(f"map_{key}")
            self.combos[key] = combo
            row, col = 1 + i // 4, (i % 4) * 2
            name = QLabel(label)
            name.setWordWrap(True)  # a long English field name wraps instead of widening the dialog
            grid.addWidget(name, row, col)
            grid.addWidget(combo, row, col + 1)
        self.recheck_button = QPushButton(self.tr("按此对应关系重新检查"))
        self.recheck_button.clicked.connect(lambda: self.recheck.emit(self.chosen()))
        self.sheet.activated.connect(self._sheet_chosen)
        self.header_row.editingFinished.connect(self._sheet_chosen)
        self.header_row.valueChanged.connect(self._show_rows)
        self.sheet.currentTextChanged.connect(self._show_rows)
        grid.addWidget(self.recheck_button, grid.rowCount(), 6, 1, 2)

    def show_layout(self, sheet_names: list[str], layout: Layout, headers: list[str]) -> None:
        self.layout_shown = layout
        self.sheet.clear()
        self.sheet.addItems(sheet_names)
        self.sheet.setCurrentText(layout.sheet)
        self.header_row.setValue(layout.header_row + 1)
        self._show_rows()
        for key, combo in self.combos.items():
            combo.clear()
            combo.addItem(self.tr("（不导入）"), None)
            for index, header in enumerate(headers):
                combo.addItem(f"{index + 1}. {header}" if header else f"{index + 1}.", index)
            combo.setCurrentIndex(max(combo.findData(layout.columns.get(key)), 0))

    def chosen(self) -> Layout:
        columns = {k: c.currentData() for k, c in self.combos.items() if c.currentData() is not None}
        return Layout(self.sheet.currentText(), self.header_row.value() - 1, columns, self._header_rows())

    def _header_rows(self) -> int:
        """The shown layout's header rows while its sheet and (last) header row are kept, else one."""
        shown = self.layout_shown
        if shown is None or (self.sheet.currentText(), self.header_row.value() - 1) != (
            shown.sheet,
            shown.header_row,
        ):
            return 1
        return shown.header_rows

    def _show_rows(self, *_args: object) -> None:
        rows = self._header_rows()
        self.header_row.setPrefix(f"{self.header_row.value() - rows + 1}–" if rows > 1 else "")

    def _sheet_chosen(self, *_args: object) -> None:
        """Another sheet or header row: its columns are recognised afresh."""
        if self.layout_shown is None:
            return
        chosen = self.chosen()
        if (chosen.sheet, chosen.header_row) != (self.layout_shown.sheet, self.layout_shown.header_row):
            self.recheck.emit(Layout(chosen.sheet, chosen.header_row, {}))
