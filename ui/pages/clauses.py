"""标准条款 in the settings page: the clauses of the standard the office inspects bases against, kept as data —
listed in checklist order, added and edited in a dialog, taken out of use and back, moved up and down, and the
office's starting checklist loaded (:func:`recuperation.services.inspections.load_default_clauses`, which adds
what is missing and never changes a clause that is there).

The panel reads and writes on the desk's worker and follows the desk's changes to the clauses itself (another
desk's edit shows when the panel is next on screen).  Inspections already made keep their clauses as they read
then: the note under the table says so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.changes import Change
from recuperation.services import inspections as service
from ui import labels, operations
from ui.desk import Desk
from ui.widgets import rights
from ui.widgets.fit import FlowLayout, fit_to_screen, wrapping
from ui.widgets.table import MUTED, ROW_ROLE, Column, RowTableModel, table_view


class ClausesPanel(QWidget):
    """The clauses of a standard in checklist order, and what can be done with them."""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.busy = 0
        self.loaded_once = False
        self.stale = False
        self.all_rows: list[service.ClauseRow] = []
        self.selected_id: int | None = None
        self.dialog: ClauseDialog | None = None
        elements, strengths = labels.elements(), labels.strengths()
        yes, no = self.tr("启用"), self.tr("停用")
        self.model = RowTableModel(
            [
                Column(self.tr("编号"), lambda c: c.code, fits=["5.10.10"]),
                Column(
                    self.tr("要素"),
                    lambda c: elements.get(c.element, c.element),
                    fits=list(elements.values()),
                ),
                Column(
                    self.tr("应/宜"),
                    lambda c: strengths.get(c.strength, c.strength),
                    fits=list(strengths.values()),
                ),
                Column(
                    self.tr("启用"),
                    lambda c: yes if c.active else no,
                    fits=[yes, no],
                    background=lambda c: None if c.active else MUTED.lighter(230),
                ),
                Column(self.tr("要求"), lambda c: c.requirement, tooltip=lambda c: c.requirement),
            ]
        )
        self.view = table_view(self.model, rows=True)
        self.view.setObjectName("clauses")
        self.view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        self.view.doubleClicked.connect(lambda _index: self.edit_clause())

        self.standard = QComboBox()
        self.standard.setObjectName("standard")
        self.standard.currentIndexChanged.connect(lambda _i: self._show_rows())
        self.standard_label = QLabel(self.tr("标准"))
        self.add_button = QPushButton(self.tr("添加条款…"))
        self.add_button.clicked.connect(self.add_clause)
        self.edit_button = QPushButton(self.tr("编辑…"))
        self.edit_button.clicked.connect(self.edit_clause)
        self.active_button = QPushButton(self.tr("停用条款"))
        self.active_button.setObjectName("toggle_active")
        self.active_button.clicked.connect(self.toggle_active)
        self.up_button = QPushButton(self.tr("上移"))
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button = QPushButton(self.tr("下移"))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.load_button = QPushButton(self.tr("载入默认条款"))
        self.load_button.setObjectName("load_default")
        self.load_button.setToolTip(
            self.tr(
                "载入 DB3301/T 0374-2022 的常用条款（办公室自编编号、概括转述）：只添加缺少的条款，已有的条款不变。"
            )
        )
        self.load_button.clicked.connect(self.load_default)
        actions = FlowLayout()
        for widget in (
            self.standard_label,
            self.standard,
            self.add_button,
            self.edit_button,
            self.active_button,
            self.up_button,
            self.down_button,
            self.load_button,
        ):
            actions.addWidget(widget)
        # the checklist's clauses are settings, the administrator's (管理员); anyone reads them
        self.allowed = rights.allow_all(
            (
                self.add_button,
                self.edit_button,
                self.active_button,
                self.up_button,
                self.down_button,
                self.load_button,
            ),
            desk.access,
            "settings",
        )
        self.note = wrapping(
            QLabel(
                self.tr(
                    "实地考察的检查表按这里启用的条款、按这里的顺序生成；已做的考察保留当时的条款原文，修改或停用条款不影响它们。"
                    "默认条款的编号为办公室自编、要求为概括转述，请对照已发布的标准文本核对。"
                )
            )
        )
        self.note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(actions)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        desk.changed.connect(self.follow)
        self._update_buttons()

    # --- loading ------------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.loaded_once or self.stale:
            self.stale = False
            self.refresh()

    def follow(self, change: Change) -> None:
        if not change.touches({"standard_clause", "inspection_item"}):
            return
        if not self.isVisible():
            self.stale = True
            return
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        if select_id is not None:
            self.selected_id = select_id
        db = self.desk.db
        operations.run(self, lambda: service.list_clauses(db), self._loaded)

    def _loaded(self, rows: list[service.ClauseRow]) -> None:
        self.all_rows = rows
        self.loaded_once = True
        names = sorted({r.standard for r in rows}, key=lambda s: (s != service.DEFAULT_STANDARD, s))
        chosen = self.standard.currentData() or service.DEFAULT_STANDARD
        blocked = self.standard.blockSignals(True)
        self.standard.clear()
        for name in names or [service.DEFAULT_STANDARD]:
            self.standard.addItem(name, name)
        self.standard.setCurrentIndex(max(self.standard.findData(chosen), 0))
        self.standard.blockSignals(blocked)
        several = len(names) > 1
        self.standard.setVisible(several)
        self.standard_label.setVisible(several)
        self._show_rows()

    def current_standard(self) -> str:
        return str(self.standard.currentData() or service.DEFAULT_STANDARD)

    def _show_rows(self) -> None:
        standard = self.current_standard()
        self.model.set_rows([r for r in self.all_rows if r.standard == standard])
        row = self.model.row_for_key(self.selected_id) if self.selected_id is not None else -1
        if row < 0 and self.model.rows:
            row = 0
        if row >= 0:
            self.view.selectRow(self.view.model().mapFromSource(self.model.index(row, 0)).row())
        self._update_buttons()

    def current(self) -> service.ClauseRow | None:
        index = self.view.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _selected(self, *_args: object) -> None:
        clause = self.current()
        if clause is not None:
            self.selected_id = clause.id
        self._update_buttons()

    def _update_buttons(self) -> None:
        clause = self.current()
        rows = self.model.rows
        for button in (self.edit_button, self.active_button, self.up_button, self.down_button):
            button.setEnabled(clause is not None)
        if clause is not None:
            self.active_button.setText(self.tr("停用条款") if clause.active else self.tr("启用条款"))
            self.up_button.setEnabled(bool(rows) and rows[0].id != clause.id)
            self.down_button.setEnabled(bool(rows) and rows[-1].id != clause.id)

    # maybe_leave / is_dirty for the settings page: the dialog holds the typing, the panel none
    def is_dirty(self) -> bool:
        return False

    def maybe_leave(self) -> bool:
        return True

    # --- actions ------------------------------------------------------------------------------------------------

    def add_clause(self) -> None:
        if self.allowed:
            self._open(ClauseDialog(self, None, self.current_standard()))

    def edit_clause(self) -> None:
        clause = self.current()
        if clause is not None and self.allowed:  # (a double-click: a clause reads whole in the list)
            self._open(ClauseDialog(self, clause, clause.standard))

    def _open(self, dialog: ClauseDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.saved.connect(lambda saved: self.refresh(select_id=saved.id))
        dialog.open()

    def toggle_active(self) -> None:
        clause = self.current()
        if clause is None or not self.allowed:
            return
        db = self.desk.db
        operations.run(
            self,
            lambda: service.set_clause_active(db, clause.id, clause.version, not clause.active),
            lambda saved: self.refresh(select_id=saved.id),
            failed=self._failed,
        )

    def move(self, step: int) -> None:
        clause = self.current()
        if clause is None or not self.allowed:
            return
        db = self.desk.db
        operations.run(
            self,
            lambda: service.move_clause(db, clause.id, clause.version, step),
            lambda _rows: self.refresh(select_id=clause.id),
            failed=self._failed,
        )

    def load_default(self) -> None:
        if not self.allowed:
            return
        db = self.desk.db

        def done(result: service.LoadResult) -> None:
            self.desk.status.emit(
                messages.text("clause.loaded", added=result.added, kept=result.kept, total=result.total)
            )
            self.refresh()

        operations.run(
            self, lambda: service.load_default_clauses(db), done, title=self.tr("不能载入默认条款")
        )

    def _failed(self, exc: BaseException) -> None:
        operations.show_failure(self, exc, self.tr("不能修改条款"))
        self.refresh()  # changed at another desk: show it as it is now

    def select(self, code: str) -> bool:
        """Choose the clause numbered ``code`` of the standard shown (tests, and a link from elsewhere)."""
        row = next((i for i, c in enumerate(self.model.rows) if c.code == code), -1)
        if row >= 0:
            self.view.selectRow(self.view.model().mapFromSource(self.model.index(row, 0)).row())
        return row >= 0


class ClauseDialog(QDialog):
    """A clause added or edited: its standard, number, element, shall or should, and requirement."""

    saved = Signal(object)

    def __init__(self, panel: ClausesPanel, clause: service.ClauseRow | None, standard: str):
        super().__init__(panel)
        self.desk = panel.desk
        self.busy = 0
        self.clause = clause
        self.setWindowTitle(
            self.tr("添加条款") if clause is None else self.tr("编辑条款 {0}").format(clause.code)
        )
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.standard = QLineEdit(clause.standard if clause else standard)
        self.standard.setObjectName("standard")
        self.standard.setMaxLength(service.STANDARD_MAX)
        self.code = QLineEdit(clause.code if clause else "")
        self.code.setObjectName("code")
        self.code.setMaxLength(service.CODE_MAX)
        self.code.setPlaceholderText(self.tr("如 5.2"))
        self.element = QComboBox()
        self.element.setObjectName("element")
        for code, text in labels.elements().items():
            self.element.addItem(text, code)
        self.strength = QComboBox()
        self.strength.setObjectName("strength")
        for code, text in labels.strengths().items():
            self.strength.addItem(text, code)
        self.requirement = QPlainTextEdit(clause.requirement if clause else "")
        self.requirement.setObjectName("requirement")
        self.requirement.setPlaceholderText(
            self.tr("条款的要求，如“配备自动体外除颤器（AED）并有会使用的人员”")
        )
        if clause is not None:
            self.element.setCurrentIndex(self.element.findData(clause.element))
            self.strength.setCurrentIndex(self.strength.findData(clause.strength))
        form = QFormLayout()
        form.addRow(self.tr("标准"), self.standard)
        form.addRow(self.tr("编号"), self.code)
        form.addRow(self.tr("要素"), self.element)
        form.addRow(self.tr("应/宜"), self.strength)
        form.addRow(self.tr("要求"), self.requirement)
        note = wrapping(QLabel(self.tr("修改只影响以后的考察；已做的考察保留当时的条款原文。")))
        note.setStyleSheet("color: #555;")
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addLayout(buttons)
        fit_to_screen(self, 560, 360)
        (self.code if clause is None else self.requirement).setFocus()

    def data(self) -> service.ClauseInput:
        return service.ClauseInput(
            self.code.text(),
            str(self.element.currentData()),
            self.requirement.toPlainText(),
            str(self.strength.currentData()),
            self.standard.text(),
        )

    def save(self) -> None:
        data, db, clause = self.data(), self.desk.db, self.clause

        def store() -> service.ClauseRow:
            if clause is None:
                return service.add_clause(db, data)
            return service.update_clause(db, clause.id, clause.version, data)

        def done(saved: service.ClauseRow) -> None:
            self.save_button.setEnabled(True)
            self.desk.status.emit(self.tr("已保存条款 {0}").format(saved.code))
            self.accept()
            self.saved.emit(saved)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            field = getattr(exc, "field", None)
            widget = {"code": self.code, "requirement": self.requirement, "standard": self.standard}.get(
                field or ""
            )
            if widget is not None:
                widget.setFocus()
            operations.show_failure(self, exc, self.tr("不能保存条款"))

        self.save_button.setEnabled(False)
        operations.run(self, store, done, failed=failed)
