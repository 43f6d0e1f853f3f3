"""实地考察 on the base page: the selected base's inspections against the standard's clauses, the checklist of one
filled in a dialog of its own (one row per clause, the result chosen from the keyboard), the certification step
it is the evidence of, and the checklist workbook's export and import (its findings shown before anything is
written).

Every read and write runs on the desk's worker (``ui/operations.py``) through
:mod:`recuperation.services.inspections` and :mod:`recuperation.inspection_workbook`.  A checklist is saved in
one go (:func:`~recuperation.services.inspections.record_results`): a refusal names the clause and the dialog
keeps what was typed and selects it; a checklist another desk saved meanwhile is refused as stale and may be
loaded again.  The view follows the desk's changes to the inspections itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.changes import Change
from recuperation.errors import StaleEditError
from recuperation.services import inspections as service
from recuperation.services.register_cells import CellError, to_date
from ui import labels, operations
from ui.desk import Desk
from ui.i18n import date_format, format_date
from ui.widgets import dialogs, rights
from ui.widgets.fit import FlowLayout, fit_to_screen, wrapping
from ui.widgets.import_preview import ImportPreview
from ui.widgets.table import BAD, GOOD, ROW_ROLE, WARN, Column, RowTableModel, sample_dates, table_view

#: The checklist's columns.
CODE, ELEMENT, STRENGTH, REQUIREMENT, RESULT, NOTE, CHECKED = range(7)
NA = QColor("#e9ecef")  # 不适用: neither good nor bad
#: The tables an inspection's view follows.
FOLLOWS = frozenset(
    {"inspection", "inspection_item", "standard_clause", "certification", "certification_step"}
)
#: Keys that set a result in the checklist: 1 / Y 符合, 2 / N 不符合, 3 / A 不适用, 0 / Delete clear.
RESULT_KEYS: dict[int, str | None] = {
    Qt.Key.Key_1: "met",
    Qt.Key.Key_Y: "met",
    Qt.Key.Key_2: "not_met",
    Qt.Key.Key_N: "not_met",
    Qt.Key.Key_3: "na",
    Qt.Key.Key_A: "na",
    Qt.Key.Key_0: None,
    Qt.Key.Key_Delete: None,
    Qt.Key.Key_Backspace: None,
}


def result_colour(result: str | None) -> Any:
    if result == "met":
        return GOOD
    if result == "not_met":
        return BAD
    if result == "na":
        return NA
    return None


class InspectionsView(QWidget):
    """A base's inspections, the counts of the selected one, and what can be done with them."""

    changed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.base: Any = None
        self.selected_id: int | None = None
        self.busy = 0
        self.stale = False
        self.dialog: InspectionDialog | None = None
        self.checklist: ChecklistDialog | None = None
        self.preview: ChecklistImportDialog | None = None
        kinds = labels.inspection_kinds()
        self.rows = RowTableModel(
            [
                Column(self.tr("日期"), lambda r: r.on_date, fits=sample_dates()),
                Column(self.tr("类型"), lambda r: kinds.get(r.kind, r.kind), fits=list(kinds.values())),
                Column(self.tr("符合"), lambda r: r.met, right=True, fits=["99"]),
                Column(
                    self.tr("不符合"),
                    lambda r: r.not_met,
                    right=True,
                    fits=["99"],
                    background=lambda r: BAD if r.shall_not_met else (WARN if r.not_met else None),
                    tooltip=self.shall_tip,
                ),
                Column(
                    self.tr("状态"),
                    self.state_text,
                    background=lambda r: None if r.finished else WARN,
                    tooltip=lambda r: r.inspectors,
                ),
            ]
        )
        self.view = table_view(self.rows, rows=True)
        self.view.setObjectName("inspections")
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        self.view.doubleClicked.connect(lambda _index: self.open_checklist())
        self.view.horizontalHeader().setStretchLastSection(True)

        elements = labels.elements()
        self.elements = RowTableModel(
            [
                Column(
                    self.tr("要素"),
                    lambda e: elements.get(e.element, e.element),
                    fits=list(elements.values()),
                ),
                Column(self.tr("条款"), lambda e: e.total, right=True, fits=["99"]),
                Column(self.tr("符合"), lambda e: e.met, right=True, fits=["99"]),
                Column(
                    self.tr("不符合"),
                    lambda e: e.not_met,
                    right=True,
                    fits=["99"],
                    background=lambda e: BAD if e.not_met else None,
                ),
                Column(self.tr("不适用"), lambda e: e.na, right=True, fits=["99"]),
                Column(self.tr("未检查"), lambda e: e.unchecked, right=True, fits=["99"]),
            ],
            key=lambda e: e.element,
        )
        self.element_view = table_view(self.elements)
        self.element_view.setObjectName("inspection_elements")
        self.element_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.element_view.horizontalHeader().setStretchLastSection(False)
        self.element_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        self.new_button = QPushButton(self.tr("新建考察…"))
        self.new_button.setObjectName("new_inspection")
        self.new_button.clicked.connect(self.new_inspection)
        self.fill_button = QPushButton(self.tr("填写检查表…"))
        self.fill_button.setObjectName("fill_checklist")
        self.fill_button.clicked.connect(self.open_checklist)
        self.edit_button = QPushButton(self.tr("考察信息…"))
        self.edit_button.setToolTip(self.tr("修改考察类型、日期、检查人员或关联的认定"))
        self.edit_button.clicked.connect(self.edit_inspection)
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.clicked.connect(self.delete_inspection)
        self.step_button = QPushButton(self.tr("记为认定步骤"))
        self.step_button.setObjectName("record_step")
        self.step_button.setToolTip(
            self.tr("把这次实地考察或复核记入所关联认定的认定过程（检查表全部填完、写好结论后）。")
        )
        self.step_button.clicked.connect(self.record_step)
        self.import_button = QPushButton(self.tr("导入检查表…"))
        self.import_button.setToolTip(
            self.tr("导入填好的检查表（Excel）：先列出将要写入的结果和错误，确认后才写入。")
        )
        self.import_button.clicked.connect(self.choose_import)
        self.export_button = QPushButton(self.tr("导出检查表…"))
        menu = QMenu(self.export_button)
        menu.addAction(self.tr("所选考察的检查表…"), lambda: self.choose_export(blank=False))
        menu.addAction(self.tr("空白检查表…"), lambda: self.choose_export(blank=True))
        self.export_button.setMenu(menu)
        actions = FlowLayout()
        for button in (
            self.new_button,
            self.fill_button,
            self.edit_button,
            self.delete_button,
            self.step_button,
            self.import_button,
            self.export_button,
        ):
            actions.addWidget(button)
        # inspections are planning's (协调员); anyone reads them (the summary below) and exports the checklists
        self.allowed = rights.allow_all(
            (
                self.new_button,
                self.fill_button,
                self.edit_button,
                self.delete_button,
                self.step_button,
                self.import_button,
            ),
            desk.access,
            "plan",
        )

        self.summary = wrapping(QLabel())
        self.summary.setObjectName("inspection_summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 3)
        layout.addLayout(actions)
        layout.addWidget(self.summary)
        layout.addWidget(self.element_view, 2)
        desk.changed.connect(self.follow)
        self._show(None)

    # --- loading ------------------------------------------------------------------------------------------------

    def set_base(self, base: Any) -> None:
        if base is None or self.base is None or base.id != self.base.id:
            self.selected_id = None  # another base: start from its latest inspection
        self.base = base
        if base is None:
            self.rows.set_rows([])
            self._show(None)
            return
        self.reload()

    def follow(self, change: Change) -> None:
        """An inspection, a clause or a certification changed (here or at another desk): reload if shown."""
        if self.base is None or not change.touches(FOLLOWS):
            return
        if not self.isVisible():
            self.stale = True
            return
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.stale = False
            self.reload()

    def reload(self, select: int | None = None) -> None:
        if self.base is None:
            return
        if select is not None:
            self.selected_id = select
        base_id, db = self.base.id, self.desk.db

        def done(rows: list[service.InspectionRow]) -> None:
            if self.base is None or self.base.id != base_id:
                return  # another base was chosen meanwhile: its own reload shows its inspections
            rows = sorted(rows, key=lambda r: (r.on_date, r.id), reverse=True)  # the latest first
            self.rows.set_rows(rows)
            row = self.rows.row_for_key(self.selected_id) if self.selected_id is not None else -1
            if row < 0 and rows:
                row = 0
            if row >= 0:
                index = self.view.model().mapFromSource(self.rows.index(row, 0))
                self.view.selectRow(index.row())
                self._selected()
            else:
                self._show(None)

        def failed(exc: BaseException) -> None:
            self.rows.set_rows([])  # never another base's inspections under this one
            self._show(None)
            operations.show_failure(self, exc)

        operations.run(self, lambda: service.inspections_of(db, base_id), done, failed=failed)

    def current(self) -> service.InspectionRow | None:
        index = self.view.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _selected(self, *_args: object) -> None:
        row = self.current()
        if row is not None:
            self.selected_id = row.id
        self._show(row)

    def state_text(self, row: service.InspectionRow) -> str:
        """Where an inspection stands: clauses left, its conclusion due, done, recorded as its step."""
        if row.unchecked:
            return self.tr("未检查 {0} 条").format(row.unchecked)
        if not row.finished:
            return self.tr("待写结论")
        return self.tr("已记入认定") if row.step_recorded else self.tr("已完成")

    def shall_tip(self, row: service.InspectionRow) -> str:
        if not row.shall_not_met:
            return ""
        return self.tr("“应”条款不符合：{0}").format(messages.join([i.code for i in row.shall_not_met]))

    def summary_text(self, row: service.InspectionRow) -> str:
        kinds = labels.inspection_kinds()
        lines = [
            self.tr("{0} {1}　检查人员：{2}").format(
                format_date(row.on_date), kinds.get(row.kind, row.kind), row.inspectors or self.tr("未填")
            ),
            self.tr("共 {0} 条：符合 {1}，不符合 {2}，不适用 {3}，未检查 {4}。").format(
                row.total, row.met, row.not_met, row.na, row.unchecked
            ),
        ]
        if row.shall_not_met:
            lines.append(
                self.tr("“应”条款不符合：{0}").format(messages.join([i.code for i in row.shall_not_met]))
            )
        if row.certification:
            state = (
                self.tr("已记入认定过程")
                if row.step_recorded
                else (self.tr("尚未记入认定过程") if row.step else self.tr("日常检查不记入认定过程"))
            )
            lines.append(self.tr("认定：{0}（{1}）").format(row.certification, state))
        if row.conclusion:
            lines.append(self.tr("结论：{0}").format(row.conclusion))
        elif row.complete:
            lines.append(self.tr("条款已全部检查，请填写结论。"))
        return "\n".join(lines)

    def _show(self, row: service.InspectionRow | None) -> None:
        self.elements.set_rows(list(row.by_element) if row is not None else [])
        if row is None:
            self.summary.setText(
                self.tr("还没有考察记录：点“新建考察…”开始一次实地考察、复核或日常检查。")
                if self.base is not None
                else ""
            )
        else:
            self.summary.setText(self.summary_text(row))
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.current()
        has_base, has_row = self.base is not None, row is not None
        for button in (self.new_button, self.import_button, self.export_button):
            button.setEnabled(has_base)
        for button in (self.fill_button, self.edit_button, self.delete_button):
            button.setEnabled(has_row)
        can_record = (
            row is not None
            and row.step is not None
            and row.certification_id is not None
            and row.finished
            and not row.step_recorded
        )
        decision = "" if row is None or row.step != "recheck" else rights.why_not(self.desk.access, "approve")
        self.step_button.setEnabled(can_record and not decision)
        if row is not None and (decision or not can_record):
            why = decision or self.step_reason(row)
            self.step_button.setToolTip(why)
        else:
            self.step_button.setToolTip(
                self.tr("把这次实地考察或复核记入所关联认定的认定过程（检查表全部填完、写好结论后）。")
            )

    def step_reason(self, row: service.InspectionRow) -> str:
        """Why the selected inspection cannot be recorded as its certification's step (the button's tooltip)."""
        if row.step is None:
            return self.tr("日常检查不是认定的步骤。")
        if row.certification_id is None:
            return self.tr("这次考察没有关联认定：请在“考察信息…”中选择认定。")
        if row.step_recorded:
            return self.tr("已记入认定过程。")
        if not row.complete:
            return self.tr("还有 {0} 条没有检查。").format(row.unchecked)
        return self.tr("还没有填写结论。")

    # --- the dialogs --------------------------------------------------------------------------------------------

    def new_inspection(self) -> None:
        if self.base is None or not self.allowed:
            return
        self._open_dialog(InspectionDialog(self, self.base, None))

    def edit_inspection(self) -> None:
        row = self.current()
        if row is None or self.base is None or not self.allowed:
            return
        self._open_dialog(InspectionDialog(self, self.base, row))

    def _open_dialog(self, dialog: InspectionDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.saved.connect(self._saved)
        dialog.open()

    def _saved(self, row: service.InspectionRow, new: bool) -> None:
        self.desk.status.emit(
            self.tr("已保存考察：{0}").format(service.inspection_label(row.base, row.kind, row.on_date))
        )
        self.changed.emit()
        self.reload(select=row.id)
        if new:
            self.open_checklist(row)

    def open_checklist(self, row: service.InspectionRow | None = None) -> None:
        row = row or self.current()
        if row is None or not self.allowed:  # (a double-click: the results are summed up below the list)
            return
        if self.checklist is not None and self.checklist.isVisible():
            if self.checklist.row.id == row.id:
                self.checklist.raise_()
                return
            if not self.checklist.maybe_close():
                return
            self.checklist.close()
        if self.checklist is not None:
            self.checklist.deleteLater()  # one checklist dialog at a time, not one kept per inspection opened
        dialog = ChecklistDialog(self, row)
        dialog.saved.connect(lambda saved: (self.changed.emit(), self.reload(select=saved.id)))
        self.checklist = dialog
        dialog.open()

    def delete_inspection(self) -> None:
        row = self.current()
        if row is None or not self.allowed:
            return
        question = self.tr(
            "确定删除 {0} 的这次考察（{1} 条的检查结果）吗？此操作不能撤销，检查结果保留在操作日志中。"
        ).format(service.inspection_label(row.base, row.kind, row.on_date), row.total)
        if dialogs.ask(self, self.tr("删除考察"), question) != dialogs.Button.Yes:
            return
        db = self.desk.db

        def done(_result: object) -> None:
            self.selected_id = None
            self.changed.emit()
            self.reload()

        operations.run(
            self,
            lambda: service.delete_inspection(db, row.id, row.version),
            done,
            title=self.tr("不能删除考察"),
        )

    def record_step(self) -> None:
        row = self.current()
        if row is None or row.step is None or not self.allowed:
            return
        steps = labels.cert_steps()
        question = self.tr(
            "把 {0} 记为认定（{1}）的“{2}”步骤吗？日期为考察日期，检查人员为负责人，检查结果和结论记入说明。"
        ).format(
            service.inspection_label(row.base, row.kind, row.on_date),
            row.certification,
            steps.get(row.step, row.step),
        )
        if dialogs.ask(self, self.tr("记为认定步骤"), question) != dialogs.Button.Yes:
            return
        db = self.desk.db

        def done(_cert: Any) -> None:
            self.desk.status.emit(self.tr("已记入认定过程：{0}").format(row.base))
            self.changed.emit()
            self.reload(select=row.id)

        operations.run(
            self,
            lambda: service.record_certification_step(db, row.id),
            done,
            title=self.tr("不能记入认定过程"),
        )

    # --- the workbook -------------------------------------------------------------------------------------------

    def choose_export(self, blank: bool) -> None:
        base = self.base
        row = None if blank else self.current()
        if base is None or (not blank and row is None):
            return
        suggested = (
            self.tr("检查表-{0}.xlsx").format(base.name)
            if row is None
            else self.tr("检查表-{0}-{1}.xlsx").format(base.name, row.on_date.isoformat())
        )
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出检查表"), suggested, self.tr("Excel 工作簿 (*.xlsx)")
        )
        if name:
            self.export_to(Path(name), None if row is None else row.id)

    def export_to(self, path: Path, inspection_id: int | None) -> None:
        """Write the checklist (of ``inspection_id``, or a blank one) to ``path`` on the worker."""
        if self.base is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        db, name = self.desk.db, self.base.name

        def export() -> Any:
            from recuperation.inspection_workbook import export_checklist

            return export_checklist(db, name, path, inspection_id=inspection_id)

        def done(result: Any) -> None:
            key = (
                "inspection.cli.exported"
                if result.inspection_id is not None
                else "inspection.cli.exported_blank"
            )
            self.desk.status.emit(
                messages.text(
                    key, base=name, rows=result.rows, number=result.inspection_id or 0, path=result.path
                )
            )

        operations.run(self, export, done, title=self.tr("无法导出检查表"))

    def choose_import(self) -> None:
        if not self.allowed:
            return
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择检查表"),
            "",
            self.tr("Excel 工作簿 (*.xlsx *.xlsm *.xlsb *.xls *.ods);;所有文件 (*)"),
        )
        if name:
            self.start_import(Path(name))

    def start_import(self, path: Path) -> None:
        """Read and check ``path`` on the worker (nothing is written) and show what importing it would do."""
        if self.base is None:
            return
        db, name = self.desk.db, self.base.name

        def plan() -> Any:
            from recuperation.inspection_workbook import plan_checklist  # the readers load when first used

            return plan_checklist(db, name, path)

        def done(result: Any) -> None:
            if self.preview is not None:
                self.preview.close()
            preview = ChecklistImportDialog(self, path)
            preview.confirmed.connect(self.apply_import)
            preview.finished.connect(lambda _code: self._preview_closed(preview))
            self.preview = preview
            preview.show_plan(result)
            preview.show()

        operations.run(self, plan, done, title=self.tr("无法导入检查表"))

    def _preview_closed(self, preview: ChecklistImportDialog) -> None:
        if self.preview is preview:
            self.preview = None

    def apply_import(self, plan: Any) -> None:
        db = self.desk.db

        def apply() -> Any:
            from recuperation.inspection_workbook import apply_checklist

            return apply_checklist(db, plan)

        def done(result: Any) -> None:
            if self.preview is not None:
                self.preview.accept()
            self.desk.status.emit(
                self.tr("已导入检查表：{0}，写入 {1} 条结果。").format(
                    " ".join(
                        (
                            result.row.base,
                            labels.inspection_kinds().get(result.row.kind, result.row.kind),
                            format_date(result.row.on_date),
                        )
                    ),
                    result.changed,
                )
            )
            self.changed.emit()
            self.reload(select=result.inspection_id)

        def failed(exc: BaseException) -> None:
            operations.show_failure(self, exc, self.tr("无法导入检查表"))
            if self.preview is not None:
                self.preview.close()

        operations.run(self, apply, done, failed=failed)


# -- the inspection's header ----------------------------------------------------------------------------------


class InspectionDialog(QDialog):
    """A new inspection of a base (its kind, day, inspectors and certification), or the header of one."""

    saved = Signal(object, bool)  # the inspection, whether it is new

    def __init__(self, view: InspectionsView, base: Any, row: service.InspectionRow | None):
        super().__init__(view)
        self.desk = view.desk
        self.busy = 0
        self.base, self.row = base, row
        self.setWindowTitle(
            self.tr("新建考察：{0}").format(base.name)
            if row is None
            else self.tr("考察信息：{0}").format(base.name)
        )
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for code, text in labels.inspection_kinds().items():
            self.kind.addItem(text, code)
        self.on_date = QDateEdit(QDate.currentDate())
        self.on_date.setObjectName("on_date")
        self.on_date.setCalendarPopup(True)
        self.on_date.setDisplayFormat(date_format())
        self.on_date.setMaximumDate(QDate.currentDate())
        self.inspectors = QLineEdit()
        self.inspectors.setObjectName("inspectors")
        self.inspectors.setMaxLength(service.INSPECTORS_MAX)
        self.inspectors.setPlaceholderText(self.tr("如：张敏、李强（市总工会）"))
        self.certification = QComboBox()
        self.certification.setObjectName("certification")
        self.certification.addItem(self.tr("不关联认定"), None)
        self.note = wrapping(QLabel())
        self.note.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.addRow(self.tr("类型"), self.kind)
        form.addRow(self.tr("日期"), self.on_date)
        form.addRow(self.tr("检查人员"), self.inspectors)
        form.addRow(self.tr("认定"), self.certification)
        self.save_button = QPushButton(self.tr("保存") if row is not None else self.tr("新建并填写检查表"))
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
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        if row is not None:
            self.kind.setCurrentIndex(self.kind.findData(row.kind))
            self.on_date.setDate(QDate(row.on_date.year, row.on_date.month, row.on_date.day))
            self.inspectors.setText(row.inspectors)
            self.note.setText(self.tr("检查表的条款和结果不在这里修改：请用“填写检查表…”。"))
        else:
            self.note.setText(
                self.tr("检查表按“设置 → 标准条款”中启用的条款生成；以后修改条款不影响这次考察。")
            )
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        fit_to_screen(self, 540, 240)
        self._load_certifications()

    def _load_certifications(self) -> None:
        from recuperation.services import bases

        db, base_id = self.desk.db, self.base.id

        def done(certs: list[Any]) -> None:
            from recuperation.services.scorecard import certification_state

            levels, statuses, states = labels.cert_levels(), labels.cert_statuses(), labels.base_cert_states()
            for cert in certs:
                # a certified one by its state today as the bases list shows it (有效 / 已失效 …), never 已认定
                # beside the list's 已失效; one still under way by its step (初审, 实地考察 …)
                shown = (
                    states.get(state, state)
                    if cert.status in bases.VALID_STATES
                    and (state := certification_state(cert.status, cert.valid_to, cert.recheck_due))
                    else statuses.get(cert.status, cert.status)
                )
                text = self.tr("{0} {1}（{2}）").format(
                    levels.get(cert.level, cert.level), cert.certificate_no, shown
                )
                self.certification.addItem(" ".join(text.split()), cert.id)
            if self.row is not None:
                self.certification.setCurrentIndex(
                    max(self.certification.findData(self.row.certification_id), 0)
                )
                return
            # a new one: the step the base is at (a certification under first review: 实地考察; certified: 复核)
            for status, kind in (
                ("first_review", "site_inspection"),
                ("rechecked", "recheck"),
                ("certified", "recheck"),
            ):
                cert = next((c for c in certs if c.status == status), None)
                if cert is not None:
                    self.kind.setCurrentIndex(self.kind.findData(kind))
                    self.certification.setCurrentIndex(self.certification.findData(cert.id))
                    return
            self.kind.setCurrentIndex(self.kind.findData("routine"))

        operations.run(self, lambda: bases.list_certifications(db, base_id), done)

    def _kind_chosen(self, *_args: object) -> None:
        if self.kind.currentData() == "routine" and self.row is None:
            self.certification.setCurrentIndex(0)

    def data(self) -> service.InspectionInput:
        return service.InspectionInput(
            self.base.id,
            str(self.kind.currentData()),
            self.on_date.date().toPython(),  # type: ignore[arg-type]
            self.inspectors.text().strip(),
            self.certification.currentData(),
            self.row.conclusion if self.row is not None else "",
        )

    def save(self) -> None:
        data, db, row = self.data(), self.desk.db, self.row

        def store() -> service.InspectionRow:
            if row is None:
                return service.start_inspection(db, data)
            return service.update_inspection(db, row.id, row.version, data)

        def done(saved: service.InspectionRow) -> None:
            self.save_button.setEnabled(True)
            self.accept()
            self.saved.emit(saved, row is None)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            operations.show_failure(self, exc, self.tr("不能保存考察"))

        self.save_button.setEnabled(False)
        operations.run(self, store, done, failed=failed)


# -- the checklist ----------------------------------------------------------------------------------------------


class NoteDelegate(QStyledItemDelegate):
    """说明 edited over several lines (a note read from a workbook keeps its line breaks)."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QPlainTextEdit)
        editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QPlainTextEdit)
        model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        rect = option.rect  # type: ignore[attr-defined]
        editor.setGeometry(rect.x(), rect.y(), rect.width(), max(rect.height(), 64))


class ChecklistTable(QTableWidget):
    """One row per clause; 结果 set from the keyboard (1 符合, 2 不符合, 3 不适用, 0 clear; or Y, N, A) or the
    buttons above, 说明 and 检查日期 typed."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 7, parent)
        self.setObjectName("checklist")
        self.on_date: dt.date | None = None
        self.setHorizontalHeaderLabels(
            [
                self.tr("编号"),
                self.tr("要素"),
                self.tr("应/宜"),
                self.tr("要求"),
                self.tr("结果"),
                self.tr("说明"),
                self.tr("检查日期"),
            ]
        )
        tips = {
            RESULT: self.tr(
                "选中条款后按 1 符合、2 不符合、3 不适用、0 清除（也可按 Y、N、A），或用上方的按钮。"
            ),
            CHECKED: self.tr("如 2024-05-13；填结果时默认为考察日期。"),
        }
        for column, tip in tips.items():
            item = self.horizontalHeaderItem(column)
            if item is not None:
                item.setToolTip(tip)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(REQUIREMENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        widest_element = max(metrics.horizontalAdvance(t) for t in labels.elements().values())
        widest_result = max(metrics.horizontalAdvance(t) for t in labels.clause_results().values())
        for column, width in (
            (CODE, metrics.horizontalAdvance("5.10.10") + 16),
            (ELEMENT, widest_element + 16),
            (
                STRENGTH,
                max(metrics.horizontalAdvance(self.tr("应/宜")), metrics.horizontalAdvance("Should")) + 16,
            ),
            (RESULT, max(widest_result, metrics.horizontalAdvance(self.tr("结果"))) + 20),
            (CHECKED, metrics.horizontalAdvance("2024-05-13") + 20),
        ):
            self.setColumnWidth(column, width)
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setItemDelegateForColumn(NOTE, NoteDelegate(self))
        self.itemChanged.connect(self._item_changed)

    def load(self, row: service.InspectionRow) -> None:
        blocked = self.blockSignals(True)
        self.on_date = row.on_date
        elements, strengths = labels.elements(), labels.strengths()
        self.setRowCount(0)
        self.setRowCount(len(row.items))
        for r, item in enumerate(row.items):
            fixed = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
            cells = {
                CODE: item.code,
                ELEMENT: elements.get(item.element, item.element),
                STRENGTH: strengths.get(item.strength, item.strength),
                REQUIREMENT: item.requirement,
            }
            for column, text in cells.items():
                cell = QTableWidgetItem(text)
                cell.setFlags(fixed)
                if column == REQUIREMENT:
                    cell.setToolTip(text)
                if column == STRENGTH and item.shall:
                    cell.setToolTip(self.tr("“应”条款：必须符合"))
                self.setItem(r, column, cell)
            result = QTableWidgetItem()
            result.setFlags(fixed)
            result.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.setItem(r, RESULT, result)
            self.set_result(r, item.result, moved=False)
            self.setItem(r, NOTE, QTableWidgetItem(item.note))
            self.setItem(r, CHECKED, QTableWidgetItem(item.checked_on.isoformat() if item.checked_on else ""))
        self.blockSignals(blocked)
        self.resizeRowsToContents()

    def result(self, row: int) -> str | None:
        item = self.item(row, RESULT)
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return str(value) if value else None

    def set_result(self, row: int, result: str | None, *, moved: bool = True) -> None:
        """Set one row's result (and, when it is set and the row has no date, the inspection's day; cleared,
        the date goes with it)."""
        item = self.item(row, RESULT)
        if item is None:
            return
        blocked = self.blockSignals(True)
        item.setData(Qt.ItemDataRole.UserRole, result or "")
        item.setText(labels.clause_results().get(result, "") if result else "")
        colour = result_colour(result)
        item.setBackground(QBrush(colour) if colour is not None else QBrush())
        if moved:
            date = self.item(row, CHECKED)
            if date is not None:
                if result and not date.text().strip() and self.on_date is not None:
                    date.setText(self.on_date.isoformat())
                elif not result:
                    date.setText("")
        self.blockSignals(blocked)
        if moved:
            self.edited.emit()

    def selected_rows(self) -> list[int]:
        rows = sorted({index.row() for index in self.selectedIndexes()})
        if not rows and self.currentRow() >= 0:
            rows = [self.currentRow()]
        return rows

    def mark_selected(self, result: str | None) -> None:
        """The result for every selected row (a button above the table)."""
        for row in self.selected_rows():
            self.set_result(row, result)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        editing = self.state() == QAbstractItemView.State.EditingState
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if not editing and plain and key in RESULT_KEYS and self.currentColumn() not in (NOTE, CHECKED):
            rows = self.selected_rows()
            for row in rows:
                self.set_result(row, RESULT_KEYS[key])
            if len(rows) == 1 and rows[0] + 1 < self.rowCount():  # on to the next clause
                self.setCurrentCell(rows[0] + 1, self.currentColumn())
            return
        super().keyPressEvent(event)

    def text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text().strip() if item is not None else ""

    def snapshot(self) -> list[tuple[str | None, str, str]]:
        return [(self.result(r), self.text(r, NOTE), self.text(r, CHECKED)) for r in range(self.rowCount())]

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == NOTE:
            self.resizeRowToContents(item.row())
        self.edited.emit()

    def counts(self) -> dict[str | None, int]:
        found: dict[str | None, int] = {"met": 0, "not_met": 0, "na": 0, None: 0}
        for row in range(self.rowCount()):
            found[self.result(row)] += 1
        return found

    def row_of(self, code: str) -> int:
        return next((r for r in range(self.rowCount()) if self.text(r, CODE) == code), -1)


class ChecklistDialog(QDialog):
    """The checklist of one inspection: every clause with its result, note and date, and the conclusion, saved
    in one go."""

    saved = Signal(object)  # the inspection as saved

    def __init__(self, view: InspectionsView, row: service.InspectionRow):
        super().__init__(view)
        self.desk = view.desk
        self.busy = 0
        self.row = row
        self.baseline: tuple[Any, ...] = ()
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.heading = wrapping(QLabel())
        self.heading.setObjectName("checklist_heading")
        self.table = ChecklistTable()
        self.table.edited.connect(self._update)
        self.mark_buttons: dict[str, QPushButton] = {}
        marks = QHBoxLayout()
        for code, text in labels.clause_results().items():
            button = QPushButton(text)
            button.setObjectName(f"mark_{code}")
            button.clicked.connect(lambda _checked=False, c=code: self._mark(c))
            marks.addWidget(button)
            self.mark_buttons[code] = button
        self.clear_button = QPushButton(self.tr("清除结果"))
        self.clear_button.clicked.connect(lambda: self._mark(None))
        marks.addWidget(self.clear_button)
        hint = wrapping(
            QLabel(
                self.tr(
                    "选中条款（可多选）后点按钮，或按 1 符合、2 不符合、3 不适用、0 清除，自动跳到下一条。"
                )
            )
        )
        hint.setStyleSheet("color: #555;")
        marks.addWidget(hint, 1)
        self.counts = QLabel()
        self.counts.setObjectName("checklist_counts")
        self.conclusion = QPlainTextEdit()
        self.conclusion.setObjectName("conclusion")
        self.conclusion.setPlaceholderText(self.tr("考察结论：如“基本符合，3.5、5.2 限期一个月整改”"))
        self.conclusion.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.conclusion.textChanged.connect(self._update)
        self.save_button = QPushButton(self.tr("保存检查表"))
        self.save_button.setObjectName("save_checklist")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("撤销修改"))
        self.revert_button.clicked.connect(lambda: self.load(self.row))
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.counts, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(marks)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(self.tr("考察结论")))
        layout.addWidget(self.conclusion)
        layout.addLayout(buttons)
        fit_to_screen(self, 1240, 700)
        self.load(row)
        self.table.horizontalHeader().sectionResized.connect(lambda *_args: self.table.resizeRowsToContents())
        self.desk.changed.connect(self.follow)

    def follow(self, change: Change) -> None:
        """Another desk saved this checklist: shown at once while nothing is typed here (typing is kept, and a
        save of it is refused as stale and offered to be loaded again)."""
        if not self.isVisible() or change.here or not change.touches({"inspection", "inspection_item"}):
            return
        if self.is_dirty() or self.busy:
            return
        self._reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # the columns have their widths now: each row as tall as its text

    def load(self, row: service.InspectionRow) -> None:
        """Show ``row`` (as read or saved); the dialog is clean afterwards."""
        self.row = row
        kinds = labels.inspection_kinds()
        self.setWindowTitle(
            self.tr("检查表：{0} {1} {2}").format(
                row.base, kinds.get(row.kind, row.kind), format_date(row.on_date)
            )
        )
        heading = self.tr("{0}　{1}　{2}　检查人员：{3}　标准：{4}").format(
            row.base,
            kinds.get(row.kind, row.kind),
            format_date(row.on_date),
            row.inspectors or self.tr("未填"),
            row.standard,
        )
        if row.certification:
            heading += "\n" + self.tr("认定：{0}").format(row.certification)
        self.heading.setText(heading)
        self.table.load(row)
        blocked = self.conclusion.blockSignals(True)
        self.conclusion.setPlainText(row.conclusion)
        self.conclusion.blockSignals(blocked)
        self.baseline = self.state()
        self._update()

    def state(self) -> tuple[Any, ...]:
        return (self.table.snapshot(), self.conclusion.toPlainText().strip())

    def is_dirty(self) -> bool:
        return self.state() != self.baseline

    def _mark(self, result: str | None) -> None:
        self.table.mark_selected(result)
        self.table.setFocus()

    def _update(self) -> None:
        counts = self.table.counts()
        self.counts.setText(
            self.tr("共 {0} 条：符合 {1}，不符合 {2}，不适用 {3}，未检查 {4}").format(
                self.table.rowCount(), counts["met"], counts["not_met"], counts["na"], counts[None]
            )
        )
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty and self.busy == 0)
        self.revert_button.setEnabled(dirty)

    def results(self) -> list[service.ResultInput] | None:
        """The rows changed since the load, or None after saying which date cannot be read."""
        found = []
        before = self.baseline[0] if self.baseline else []
        for r, now in enumerate(self.table.snapshot()):
            if r < len(before) and now == before[r]:
                continue
            result, note, date_text = now
            try:
                day = to_date(date_text) if date_text else None
            except CellError:
                self.table.setCurrentCell(r, CHECKED)
                dialogs.warn(
                    self,
                    self.tr("不能保存检查表"),
                    self.tr("条款 {0} 的检查日期“{1}”不是日期：请写成 2024-05-13，或留空。").format(
                        self.table.text(r, CODE), date_text
                    ),
                )
                return None
            found.append(service.ResultInput(self.table.text(r, CODE), result, note, day))
        return found

    def save(self) -> None:
        results = self.results()
        if results is None:
            return
        conclusion = self.conclusion.toPlainText().strip()
        changed_conclusion = conclusion != (self.baseline[1] if self.baseline else "")
        db, row = self.desk.db, self.row

        def store() -> service.InspectionRow:
            return service.record_results(
                db, row.id, row.version, results, conclusion=conclusion if changed_conclusion else None
            )

        def done(saved: service.InspectionRow) -> None:
            self.load(saved)
            self.desk.status.emit(
                self.tr("已保存检查表：{0}").format(
                    service.inspection_label(saved.base, saved.kind, saved.on_date)
                )
            )
            self.saved.emit(saved)

        def failed(exc: BaseException) -> None:
            self._update()
            code = getattr(exc, "params", {}).get("code")
            if isinstance(code, str) and (at := self.table.row_of(code)) >= 0:
                column = {"checked_on": CHECKED, "note": NOTE}.get(getattr(exc, "field", "") or "", RESULT)
                self.table.setCurrentCell(at, column)
            if isinstance(exc, StaleEditError):
                answer = dialogs.ask(
                    self,
                    self.tr("不能保存检查表"),
                    exc.message + "\n\n" + self.tr("重新载入这次考察吗？您在这里的修改将被放弃。"),
                )
                if answer == dialogs.Button.Yes:
                    self._reload()
                return
            operations.show_failure(self, exc, self.tr("不能保存检查表"))

        operations.run(self, store, done, failed=failed)
        self._update()

    def _reload(self) -> None:
        db, inspection_id = self.desk.db, self.row.id
        operations.run(self, lambda: service.get_inspection(db, inspection_id), self.load)

    def maybe_close(self) -> bool:
        """Unsaved edits: save, drop or stay."""
        if not self.is_dirty():
            return True
        answer = dialogs.ask(
            self,
            self.tr("未保存的修改"),
            self.tr("检查表有未保存的修改。是否保存？"),
            dialogs.Button.Save | dialogs.Button.Discard | dialogs.Button.Cancel,
            dialogs.Button.Save,
        )
        if answer == dialogs.Button.Cancel:
            return False
        if answer == dialogs.Button.Save:
            self.save()
            return False  # the save is on its way: stay until it has landed
        self.baseline = self.state()
        return True

    def closeEvent(self, event: Any) -> None:
        if self.maybe_close():
            super().closeEvent(event)
        else:
            event.ignore()

    def reject(self) -> None:
        if self.maybe_close():
            super().reject()


# -- the import's preview ------------------------------------------------------------------------------------------


class ChecklistImportDialog(ImportPreview):
    """What importing a checklist would write, row by row, and every problem with its sheet, row and column —
    before anything is written.  导入 writes it all (only when the file has no error)."""

    def __init__(self, parent: QWidget, path: Path):
        super().__init__(parent, size=(900, 600))
        results = labels.clause_results()
        states = {"changed": self.tr("修改"), "unchanged": self.tr("未变")}
        self.set_rows_table(
            self.tr("导入检查表：{0}").format(path.name),
            [
                Column(self.tr("行号"), lambda i: i.row, right=True, width=50),
                Column(self.tr("编号"), lambda i: i.code, width=60),
                Column(
                    self.tr("结果"),
                    lambda i: results.get(i.result, "") if i.result else "",
                    fits=list(results.values()),
                ),
                Column(
                    self.tr("变化"),
                    lambda i: states.get(i.status, i.status),
                    fits=list(states.values()),
                    background=lambda i: GOOD if i.status == "changed" else None,
                ),
                Column(self.tr("说明"), lambda i: i.note, tooltip=lambda i: i.note),
            ],
            key=lambda i: i.row,
        )

    def show_plan(self, plan: Any) -> None:
        kinds = labels.inspection_kinds()
        header = plan.header
        what = plan.base
        if header is not None:
            what = f"{plan.base} {kinds.get(header.kind, header.kind)} {format_date(header.on_date)}"
        target = (
            self.tr("新建一次考察：{0}").format(what)
            if plan.inspection_id is None
            else self.tr("写入已有的考察 #{0}：{1}").format(plan.inspection_id, what)
        )
        counts = plan.counts()
        text = self.tr(
            "读取条款 {0} 行：修改 {1} 条，未变 {2} 条（符合 {3}，不符合 {4}，不适用 {5}）；错误 {6} 处。"
        ).format(
            len(plan.items),
            plan.changed,
            plan.unchanged,
            counts["met"],
            counts["not_met"],
            counts["na"],
            len(plan.problems),
        )
        text = target + "\n" + text
        if plan.header_changes:
            text += "\n" + self.tr("考察信息的修改：{0}").format(
                messages.join([messages.field_label(f) for f in plan.header_changes])
            )
        can = not plan.problems and plan.header is not None and plan.status != "unchanged"
        if plan.problems:
            text += "\n" + self.tr("文件有错误，不能导入：请按每一处的说明改正后重新导入。未写入任何数据。")
        elif plan.status == "unchanged":
            text += "\n" + self.tr("文件中的结果与程序中的相同，没有要导入的修改。")
        else:
            text += "\n" + self.tr("文件中没有列出的条款保持不变。确认后才会写入。")
        self.show_outcome(plan, sorted(plan.items, key=lambda i: (i.status != "changed", i.row)), text, can)
