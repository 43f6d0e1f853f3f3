"""保险…: a batch's group insurance (insurer, policy number, accident and medical cover, period, people insured),
read and saved on the worker, with what is wrong with the cover said above the form and the insurer's list
(full ID numbers, audited) exported from here.

A new policy starts from the batch: its dates as the period, everyone on the roster as the people insured, the
partner's spending rules' minimums as the cover.  The version read goes with the save, so that of two desks
editing the policy the second is told instead of overwriting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.errors import StaleEditError
from recuperation.filenames import safe_file_name
from recuperation.money import yuan_text
from recuperation.services import insurance as service
from recuperation.services.spending import MAX_AMOUNT_FEN
from ui import operations
from ui.desk import Desk
from ui.i18n import format_date
from ui.widgets import dialogs, rights
from ui.widgets.fit import fit_to_screen, scrolling, wrapping
from ui.widgets.form import Field, FormView
from ui.widgets.pin_dialog import confirm_pin

FIELDS = (
    "insurer",
    "policy_no",
    "accident_fen",
    "medical_fen",
    "first_day",
    "last_day",
    "insured_count",
    "notes",
)
#: The largest cover the form takes, in yuan (the service's limit).
MOST_YUAN = MAX_AMOUNT_FEN // 100


class InsuranceDialog(QDialog):
    """保险…: set, change or delete one batch's policy; export the insurer's list."""

    saved = Signal(object)  # the policy as stored (None: deleted)

    def __init__(self, parent: QWidget, desk: Desk, batch: Any):
        super().__init__(parent)
        self.desk = desk
        self.batch = batch
        self.busy = 0
        self.cover: Any = None  # the batch's cover as read; None until it has arrived
        self.setWindowTitle(self.tr("保险 · {0}").format(batch.code))
        self.form = FormView(
            [
                Field("insurer", self.tr("保险公司"), required=True, max_length=100),
                Field("policy_no", self.tr("保单号"), required=True, max_length=60),
                Field("accident_fen", self.tr("意外险保额"), "money", maximum=MOST_YUAN),
                Field("medical_fen", self.tr("医疗险保额"), "money", maximum=MOST_YUAN),
                Field("first_day", self.tr("保险期间起"), "date", required=True),
                Field("last_day", self.tr("保险期间止"), "date", required=True),
                Field("insured_count", self.tr("投保人数"), "int", maximum=100_000),
                Field("notes", self.tr("备注"), "multiline", max_length=400),
            ]
        )
        self.form.widgets["notes"].setMaximumHeight(64)
        for key in ("accident_fen", "medical_fen"):  # 1,000,000.00 元 rather than 1000000.00
            self.form.widgets[key].setGroupSeparatorShown(True)  # type: ignore[attr-defined]
        self.shown: dict[str, Any] = {}  # the values as read or proposed: what typing changes
        for widget in self.form.widgets.values():
            widget.setEnabled(False)  # until the policy has been read
        self.form.changed.connect(self._update_buttons)
        heading = wrapping(
            QLabel(
                self.tr("{0}　{1}，{2} – {3}", "a batch: code, partner, arrival, departure").format(
                    batch.code, batch.partner, format_date(batch.arrival), format_date(batch.departure)
                )
            )
        )
        heading.setStyleSheet("font-weight: bold;")
        self.state = wrapping(QLabel(self.tr("正在读取…")))
        self.state.setObjectName("insurance_state")
        self.export_button = QPushButton(self.tr("导出保险名单（Excel）…"))
        self.export_button.clicked.connect(self.export)
        self.delete_button = QPushButton(self.tr("删除保单"))
        self.delete_button.clicked.connect(self.delete)
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self.save())
        self.cancel_button = QPushButton(self.tr("关闭"))
        self.cancel_button.clicked.connect(self.reject)
        # the policy is planning's (协调员); the insurer's list carries full ID numbers (完整证件号)
        self.editable = rights.allow_all((self.save_button, self.delete_button), desk.access, "plan")
        rights.read_only(self.form, desk.access, "plan")
        rights.allow(self.export_button, desk.access, "full_ids")
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        fields = QWidget()
        fields_box = QVBoxLayout(fields)
        fields_box.setContentsMargins(0, 0, 0, 0)
        fields_box.addWidget(self.form)
        fields_box.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.state)
        layout.addWidget(scrolling(fields), 1)
        layout.addLayout(buttons)
        self._update_buttons()
        fit_to_screen(self, 620, fields.sizeHint().height() + 170)
        self.load()

    # --- reading ----------------------------------------------------------------------------------------------

    def load(self) -> None:
        db, batch_id = self.desk.db, self.batch.id
        self.cover = None
        self._update_buttons()
        operations.run(
            self, lambda: service.batch_cover(db, batch_id), self._show, title=self.tr("不能读取保险")
        )

    def _show(self, cover: Any) -> None:
        self.cover = cover
        policy = cover.policy
        if policy is not None:
            values = {key: getattr(policy, key) for key in FIELDS}
        else:  # a new policy starts from the batch and its partner's minimums
            values = {
                "insurer": "",
                "policy_no": "",
                "accident_fen": cover.accident_min or 0,
                "medical_fen": cover.medical_min or 0,
                "first_day": cover.arrival,
                "last_day": cover.departure,
                "insured_count": cover.people,
                "notes": "",
            }
        self.form.load(values)
        self.shown = self.form.values()
        if policy is None:
            self.form.baseline = {}  # a policy not saved yet: saving it is a change
        for widget in self.form.widgets.values():
            widget.setEnabled(True)
        self.show_state(cover)
        self._update_buttons()

    def show_state(self, cover: Any) -> None:
        """What the cover lacks (red), or that it is valid (green), with the partner's minimums."""
        minimums = []
        if cover.accident_min is not None:
            minimums.append(self.tr("意外险不低于 {0} 元").format(yuan_text(cover.accident_min)))
        if cover.medical_min is not None:
            minimums.append(self.tr("医疗险不低于 {0} 元").format(yuan_text(cover.medical_min)))
        rule = self.tr("“{0}”要求：{1}。").format(cover.pack, messages.join(minimums)) if minimums else ""
        if cover.valid:
            text = self.tr("保险有效：覆盖行程，投保 {0} 人（名单 {1} 人）。").format(
                cover.policy.insured_count, cover.people
            )
            colour = "#0f5132"
        else:
            text = self.tr("保险不符合要求：{0}。").format(messages.join_clauses(list(cover.messages)))
            colour = "#b02a37"
        self.state.setText(text + (" " + rule if rule else ""))
        self.state.setStyleSheet(f"color: {colour};")

    # --- saving -----------------------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        ready = self.cover is not None and self.busy == 0
        self.save_button.setEnabled(ready and self.form.is_dirty())
        saved = self.cover is not None and self.cover.policy is not None
        self.delete_button.setEnabled(ready and saved)
        # the insurer's list is the saved policy's: none yet, nothing to send
        self.export_button.setEnabled(ready and saved)
        self.export_button.setToolTip(
            self.tr("给保险公司的被保险人名单，含完整证件号；导出记入审计日志。")
            if saved
            else self.tr("还没有保存保单：保存保单后才能导出保险名单。")
        )

    def typed(self) -> bool:
        """Whether the form holds changes typed since the policy was read (or proposed) and not saved."""
        return self.cover is not None and self.form.values() != self.shown

    def values(self) -> service.InsuranceInput:
        v = self.form.values()
        return service.InsuranceInput(
            str(v["insurer"]),
            str(v["policy_no"]),
            int(v["accident_fen"] or 0),
            int(v["medical_fen"] or 0),
            v["first_day"],
            v["last_day"],
            int(v["insured_count"] or 0),
            str(v["notes"] or ""),
        )

    def save(self, *, close: bool = False) -> None:
        """Save the policy on the worker; ``close``: close the dialog once it is saved."""
        if self.cover is None or self.busy or not self.editable or not self.form.validate():
            return
        db, batch_id, data = self.desk.db, self.batch.id, self.values()
        version = self.cover.policy.version if self.cover.policy is not None else None

        def job() -> Any:
            service.set_insurance(db, batch_id, version, data)
            return service.batch_cover(db, batch_id)

        def done(cover: Any) -> None:
            self._show(cover)
            self.desk.status.emit(self.tr("{0}：保险已保存").format(self.batch.code))
            self.saved.emit(cover.policy)
            if close:
                self.accept()

        def failed(exc: BaseException) -> None:
            self._update_buttons()
            if isinstance(exc, StaleEditError):
                answer = dialogs.ask(
                    self,
                    self.tr("保险已被修改"),
                    exc.message + "\n\n" + self.tr("现在重新载入吗？这里的修改将被放弃。"),
                    dialogs.Button.Yes | dialogs.Button.No,
                    dialogs.Button.Yes,
                )
                if answer == dialogs.Button.Yes:
                    self.load()
                return
            operations.at_field(self.form, self, self.tr("不能保存保险"))(exc)

        operations.run(self, job, done, failed=failed)
        self._update_buttons()

    def delete(self) -> None:
        cover = self.cover
        if cover is None or cover.policy is None or not self.editable:
            return
        question = self.tr("删除批次 {0} 的保单 {1} 吗？").format(self.batch.code, cover.policy.policy_no)
        if dialogs.ask(self, self.tr("删除保单"), question) != dialogs.Button.Yes:
            return
        db, batch_id, version = self.desk.db, self.batch.id, cover.policy.version

        def job() -> Any:
            service.delete_insurance(db, batch_id, version)
            return service.batch_cover(db, batch_id)

        def done(cover: Any) -> None:
            self._show(cover)
            self.desk.status.emit(self.tr("{0}：保单已删除").format(self.batch.code))
            self.saved.emit(None)

        operations.run(self, job, done, title=self.tr("不能删除保单"))
        self._update_buttons()

    def export(self) -> None:
        """The insurer's list as a workbook: full ID numbers (the export is recorded in the audit log)."""
        if not self.desk.access.can("full_ids"):
            return
        if not confirm_pin(self, self.desk.db):  # a desk's PIN (ui/widgets/pin_dialog.py)
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("保存保险名单"),
            safe_file_name(self.batch.code, self.tr("保险名单"), suffix=".xlsx"),
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if not name:
            return
        self.export_to(Path(name).with_suffix(".xlsx"))

    def export_to(self, path: Path) -> None:
        db, code = self.desk.db, self.batch.code

        def done(result: Any) -> None:
            self.desk.status.emit(
                messages.text("insurance.exported", code=code, rows=result.rows, path=result.path)
            )

        operations.run(
            self, lambda: service.export_insurance(db, code, path), done, title=self.tr("不能导出")
        )

    def reject(self) -> None:
        """Close (关闭, Esc, the window's ×): what was typed and not saved is asked about first — save it and
        close, close without it, or stay."""
        if self.typed():
            answer = dialogs.ask(
                self,
                self.tr("未保存的修改"),
                self.tr("批次 {0} 的保险有未保存的修改。是否保存？").format(self.batch.code),
                dialogs.Button.Save | dialogs.Button.Discard | dialogs.Button.Cancel,
                dialogs.Button.Save,
            )
            if answer == dialogs.Button.Cancel:
                return
            if answer == dialogs.Button.Save:
                self.save(close=True)  # closes once saved; a refusal keeps it open at the field
                return
        super().reject()
