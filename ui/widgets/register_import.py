"""Importing an office's registers in the desktop, and saving their templates.

:class:`RegisterImport` asks for the workbook, plans the import on the worker and shows the preview
(:class:`RegisterImportDialog`): which sheet and header row, which column is which field (correctable), and
every row's status — 新增, 修改, 未变 or 错误 with the reason.  Nothing is written until the user confirms;
a register with errors is imported only when the user chooses to import the correct records alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.services.register_cells import HEADERS
from recuperation.services.registers import RegisterPlan, apply_register, describe_changes, plan_register
from recuperation.services.sheet_layout import Layout
from ui import operations
from ui.desk import Desk
from ui.widgets.column_mapping import ColumnMapping
from ui.widgets.fit import fit_to_screen
from ui.widgets.table import BAD, GOOD, Column, RowTableModel, table_view


def register_names() -> dict[str, str]:
    return {
        "bases": QCoreApplication.translate("Registers", "疗休养基地"),
        "partners": QCoreApplication.translate("Registers", "合作单位与协议"),
        "routes": QCoreApplication.translate("Registers", "线路"),
        "batches": QCoreApplication.translate("Registers", "批次"),
        "roster": QCoreApplication.translate("Registers", "名单"),
    }


def _field_name(key: str, header: str) -> str:
    """The register's own column name (床位数); in English with the field's name before it where known."""
    if messages.language() != "en":
        return header
    if key not in messages.FIELD_LABELS:
        return header
    label = messages.field_label(key)
    return f"{label[:1].upper()}{label[1:]} ({header})"


class RegisterImportDialog(QDialog):
    recheck = Signal(object)  # a corrected Layout
    confirmed = Signal(object, bool, bool, str)  # plan, only the correct records, allow removals, reason

    def __init__(self, parent: QWidget | None, kind: str, path: Path):
        super().__init__(parent)
        self.kind = kind
        self.plan: RegisterPlan | None = None
        self.setWindowTitle(self.tr("导入登记表：{0}").format(path.name))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        fit_to_screen(self, 1000, 680)  # no larger than the screen it opens on
        self.mapping = ColumnMapping(
            {key: _field_name(key, variants[0]) for key, variants in HEADERS[kind].items()}
        )
        self.mapping.recheck.connect(self.recheck)
        box = self.mapping

        labels = {
            "new": self.tr("新增"),
            "changed": self.tr("修改"),
            "unchanged": self.tr("未变"),
            "error": self.tr("错误"),
        }
        self.rows = RowTableModel(
            [
                Column(self.tr("行号"), lambda r: r.row, right=True, width=50),
                Column(
                    self.tr("结果"),
                    lambda r: labels.get(r.status, r.status),
                    width=90,
                    background=lambda r: (
                        BAD if r.status == "error" else (GOOD if r.status != "unchanged" else None)
                    ),
                ),
                Column(self.tr("记录"), lambda r: r.key, width=180),
                Column(
                    self.tr("变化或问题"),
                    lambda r: " ".join(p.message for p in r.errors) or describe_changes(kind, r.changes),
                    tooltip=lambda r: (
                        "\n".join(p.message for p in r.errors) or describe_changes(kind, r.changes)
                    ),
                ),
            ],
            key=lambda r: r.row,
        )
        self.view = table_view(self.rows, sortable=True, rows=True)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.import_button = QPushButton(self.tr("导入"))
        self.import_button.setObjectName("import")
        self.import_button.clicked.connect(lambda: self._confirm(False))
        self.valid_button = QPushButton(self.tr("只导入正确的记录"))
        self.valid_button.setObjectName("import_valid")
        self.valid_button.clicked.connect(lambda: self._confirm(True))
        # A batch register's roster sheets may remove people: that is named and needs a tick and a reason.
        self.allow_removals = QCheckBox()
        self.allow_removals.setVisible(False)
        self.allow_removals.toggled.connect(self._update_buttons)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("名单调整的原因（必填，记入批次历史）"))
        self.reason.setVisible(False)
        self.reason.textChanged.connect(self._update_buttons)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reason, 1)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.valid_button)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.allow_removals)
        layout.addLayout(buttons)

    def show_plan(self, plan: RegisterPlan) -> None:
        self.plan = plan
        self.mapping.show_layout(plan.sheet_names, plan.layout, plan.headers)
        self.rows.set_rows(plan.rows)
        errors = len({p.row for p in plan.errors})
        text = self.tr(
            "读取 {0} 行：新增 {1} 条，修改 {2} 条，未变 {3} 条，有错误 {4} 行。确认后才会写入。"
        ).format(
            len(plan.rows) - plan.roster_rows,
            plan.count("new"),
            plan.count("changed"),
            plan.count("unchanged"),
            errors,
        )
        if plan.roster_rows:
            rosters = [r for r in plan.rows if r.roster]
            text += "\n" + self.tr("所附名单 {0} 份：有改动 {1} 份，未变 {2} 份。").format(
                len(rosters),
                sum(1 for r in rosters if r.status == "changed"),
                sum(1 for r in rosters if r.status == "unchanged"),
            )
        self.summary.setText(text)
        removed = sum(plan.removals.values())
        self.allow_removals.setVisible(removed > 0)
        self.allow_removals.setChecked(False)
        self.allow_removals.setText(
            self.tr("确认按所附名单删除 {0} 人（须填写原因）：{1}").format(removed, plan.removals_text())
        )
        self.reason.setVisible(plan.needs_reason)
        self._update_buttons()

    def _update_buttons(self) -> None:
        plan = self.plan
        if plan is None:
            return
        writes = sum(1 for r in plan.rows if r.status in ("new", "changed"))
        reason = bool(self.reason.text().strip())
        allowed = not plan.needs_reason or (
            reason and (not any(plan.removals.values()) or self.allow_removals.isChecked())
        )
        self.import_button.setEnabled(not plan.errors and writes > 0 and allowed)
        self.valid_button.setEnabled(bool(plan.errors) and writes > 0 and allowed)

    def _confirm(self, only_valid: bool) -> None:
        if self.plan is not None:
            self.confirmed.emit(
                self.plan, only_valid, self.allow_removals.isChecked(), self.reason.text().strip()
            )

    def layout_chosen(self) -> Layout:
        return self.mapping.chosen()


class RegisterImport(QObject):
    """One import: plan on the worker, preview, apply on confirmation.  ``finished`` says what was written."""

    finished = Signal(object)  # RegisterResult, or None when nothing was written

    def __init__(self, desk: Desk, parent: QWidget, kind: str):
        super().__init__(parent)
        self.desk, self.parent_widget, self.kind = desk, parent, kind
        self.preview: RegisterImportDialog | None = None
        self.path: Path | None = None

    def choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self.parent_widget,
            self.tr("选择登记表：{0}").format(register_names()[self.kind]),
            "",
            self.tr("登记表 (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;所有文件 (*)"),
        )
        if name:
            self.start(Path(name))
        else:
            self.finished.emit(None)

    def start(self, path: Path, layout: Layout | None = None) -> None:
        self.path = path
        db, kind = self.desk.db, self.kind

        def done(plan: RegisterPlan) -> None:
            if self.preview is None:
                self.preview = RegisterImportDialog(self.parent_widget, kind, path)
                self.preview.recheck.connect(lambda new_layout: self.start(path, new_layout))
                self.preview.confirmed.connect(self.apply)
                self.preview.rejected.connect(lambda: self.finished.emit(None))
            self.preview.show_plan(plan)
            self.preview.show()

        operations.run(self, lambda: plan_register(db, kind, path, layout), done, failed=self._failed)

    def apply(self, plan: RegisterPlan, only_valid: bool, allow_removals: bool, reason: str) -> None:
        db = self.desk.db

        def done(result: Any) -> None:
            if self.preview is not None:
                self.preview.accept()
            self.desk.status.emit(
                messages.text(
                    "register.done",
                    register=messages.text(f"register.name.{self.kind}"),
                    rows=len(plan.rows) - plan.roster_rows,
                    new=result.new,
                    changed=result.changed,
                    unchanged=result.unchanged,
                )
                + (
                    self.tr("所附名单删除 {0} 人。").format(sum(plan.removals.values()))
                    if allow_removals and any(plan.removals.values())
                    else ""
                )
            )
            self.finished.emit(result)

        operations.run(
            self,
            lambda: apply_register(
                db, plan, skip_invalid=only_valid, allow_removals=allow_removals, reason=reason
            ),
            done,
            failed=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        """Say why; with no preview open nothing is left to do, and the import is over (nothing written)."""
        operations.show_failure(self.parent_widget, exc, self.tr("无法导入"))
        if self.preview is None:
            self.finished.emit(None)


def save_template(desk: Desk, parent: QWidget, kind: str, *, with_data: bool = False) -> None:
    """Ask where, then write the register's template on the worker; ``with_data`` fills it with the records
    on file, to correct in Excel and import again."""
    from recuperation.templates import write_template

    translate = QCoreApplication.translate
    suffix = translate("Registers", "登记表") if with_data else translate("Registers", "模板")
    suggested = f"{register_names()[kind]}-{suffix}.xlsx"
    name, _ = QFileDialog.getSaveFileName(
        parent,
        translate("Registers", "导出登记表") if with_data else translate("Registers", "保存模板"),
        suggested,
        translate("Registers", "Excel 工作簿 (*.xlsx)"),
    )
    if not name:
        return
    db = desk.db if with_data else None

    def done(result: Any) -> None:
        desk.status.emit(messages.text("template.done", path=result.path))

    path = Path(name)
    operations.run(parent, lambda: write_template(kind, path, db), done)
