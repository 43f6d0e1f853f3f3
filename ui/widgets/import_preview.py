"""The preview of a workbook import that is checked whole before anything is written (rate cards, an
inspection's checklist): what each row would do, every problem with its sheet, row and column, a summary, and
导入 / 取消.  导入 is enabled by the page only when the file has no problem and something to write; it emits
``confirmed(plan)`` once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from ui.widgets.fit import fit_to_screen, wrapping
from ui.widgets.table import Column, RowTableModel, table_view


class ImportPreview(QDialog):
    """A subclass calls :meth:`set_rows_table` with the columns of the file's rows right after this
    constructor (its ``tr()`` needs the dialog made first); ``size``: the preferred size, fitted to the screen."""

    confirmed = Signal(object)  # the plan

    def __init__(self, parent: QWidget, size: tuple[int, int]):
        super().__init__(parent)
        self.plan: Any = None
        self._size = size
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.rows = RowTableModel([], key=lambda row: row)
        self.view: QTableView = table_view(self.rows, rows=True)
        self.problems = RowTableModel(
            [
                Column(self.tr("工作表"), lambda p: p.sheet, width=80),
                Column(self.tr("行号"), lambda p: p.row, right=True, width=50),
                Column(self.tr("列"), lambda p: p.column, width=90),
                Column(self.tr("问题"), lambda p: p.message, tooltip=lambda p: p.message),
            ],
            key=lambda p: (p.sheet, p.row, p.column, p.message),
        )
        self.problem_view = table_view(self.problems, rows=True)
        self.problem_caption = QLabel(self.tr("错误（改正文件后重新导入）"))
        self.problem_caption.setStyleSheet("color: #b02a37;")
        self.summary = wrapping(QLabel())
        self.summary.setObjectName("summary")
        self.import_button = QPushButton(self.tr("导入"))
        self.import_button.setObjectName("import")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self._confirm)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.problem_caption)
        layout.addWidget(self.problem_view, 2)
        layout.addLayout(buttons)
        self._layout = layout

    def set_rows_table(self, title: str, columns: Sequence[Column], key: Callable[[Any], Any]) -> None:
        """The dialog's title and the table of the file's rows: ``columns``, each row known by ``key``."""
        self.setWindowTitle(title)
        self.rows = RowTableModel(list(columns), key=key)
        view = table_view(self.rows, rows=True)
        self._layout.replaceWidget(self.view, view)
        self.view.deleteLater()
        self.view = view
        fit_to_screen(self, *self._size)

    def show_outcome(self, plan: Any, rows: Sequence[Any], summary: str, can_import: bool) -> None:
        """Show ``plan``: its ``rows`` in the table, its problems below (hidden when none), ``summary`` on top;
        导入 enabled only if ``can_import``."""
        self.plan = plan
        self.rows.set_rows(list(rows))
        self.problems.set_rows(plan.problems)
        self.summary.setText(summary)
        self.problem_caption.setVisible(bool(plan.problems))
        self.problem_view.setVisible(bool(plan.problems))
        self.import_button.setEnabled(can_import)

    def _confirm(self) -> None:
        if self.plan is not None and self.import_button.isEnabled():
            self.import_button.setEnabled(False)
            self.confirmed.emit(self.plan)
