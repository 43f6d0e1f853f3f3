"""出团通知书…: the details of a batch's departure notice for the partner (gathering time and place, what to
bring, rules of conduct, emergency contacts, insurance), read and saved on the worker.

An empty field prints the program's standard wording (``documents.orders_docs``): each shows it as its
placeholder, so that the coordinator sees what will print when it is left empty.  The version read goes
with the save, so that of two desks editing the notice the second is told instead of overwriting.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recuperation.errors import StaleEditError
from recuperation.services import orders as service
from ui import operations
from ui.desk import Desk
from ui.i18n import format_date
from ui.widgets import dialogs, rights
from ui.widgets.fit import fit_to_screen, scrolling, wrapping
from ui.widgets.form import Field, FormView

#: The notice's fields in the order the dialog shows them.
FIELDS = service.NOTICE_FIELDS
#: The taller boxes: the texts that run to a paragraph.
LONG = ("bring", "conduct")


def read_notice(db: Any, batch_id: int) -> tuple[Any, dict[str, str]]:
    """On the worker: the batch's notice (version 0 when none was saved) and what each empty field prints.
    The documents module (and reportlab with it) is imported here, not on the GUI thread at start-up."""
    from recuperation.documents import orders_docs

    standard = {
        "gather_at": orders_docs.TO_BE_SET,
        "gather_place": orders_docs.TO_BE_SET,
        "bring": orders_docs.STANDARD_BRING,
        "conduct": orders_docs.STANDARD_CONDUCT,
        "contacts": "",
        "insurance": orders_docs.STANDARD_INSURANCE,
    }
    return service.get_notice(db, batch_id), standard


class DepartureDialog(QDialog):
    """出团通知书…: edit the departure-notice details of one batch; save, or save and print."""

    saved = Signal(object)  # the notice as stored
    print_wanted = Signal()  # 保存并打印: the notice is saved (or unchanged), print it now

    def __init__(self, parent: QWidget, desk: Desk, batch: Any):
        super().__init__(parent)
        self.desk = desk
        self.batch = batch
        self.busy = 0
        self.version: int | None = None  # the version read; None until it has arrived
        self.loaded_once = False
        self.setWindowTitle(self.tr("出团通知书 · {0}").format(batch.code))
        limits = service.NOTICE_LIMITS
        self.form = FormView(
            [
                Field("gather_at", self.tr("集合时间"), max_length=limits["gather_at"]),
                Field("gather_place", self.tr("集合地点"), max_length=limits["gather_place"]),
                Field("bring", self.tr("携带物品"), "multiline", max_length=limits["bring"]),
                Field("conduct", self.tr("纪律要求"), "multiline", max_length=limits["conduct"]),
                Field("contacts", self.tr("紧急联系人"), "multiline", max_length=limits["contacts"]),
                Field("insurance", self.tr("保险"), "multiline", max_length=limits["insurance"]),
            ]
        )
        for key in LONG:
            self.form.widgets[key].setMaximumHeight(110)
        for key in ("contacts", "insurance"):
            self.form.widgets[key].setMaximumHeight(64)
        for widget in self.form.widgets.values():
            widget.setEnabled(False)  # until the notice has been read
        self.form.changed.connect(self._update_buttons)
        heading = wrapping(
            QLabel(
                self.tr("{0}　{1}，{2} – {3}", "a batch: code, partner, arrival, departure").format(
                    batch.code, batch.partner, format_date(batch.arrival), format_date(batch.departure)
                )
            )
        )
        heading.setObjectName("departure_heading")
        heading.setStyleSheet("font-weight: bold;")
        note = wrapping(
            QLabel(
                self.tr(
                    "留空的项目按灰色的标准内容打印。行程安排、领队、导游、组织单位和紧急电话取自批次，"
                    "不必在这里填写。"
                )
            )
        )
        note.setStyleSheet("color: #555;")
        self.status = wrapping(QLabel(self.tr("正在读取…")))
        self.status.setObjectName("departure_status")
        self.status.setStyleSheet("color: #8a6d00;")
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self.save(then_print=False))
        self.print_button = QPushButton(self.tr("保存并打印…"))
        self.print_button.clicked.connect(lambda: self.save(then_print=True))
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.clicked.connect(self.reject)
        # the page offers this dialog to who may plan; the details stay read-only for anyone else
        rights.allow(self.save_button, desk.access, "plan")
        rights.read_only(self.form, desk.access, "plan")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        fields = QWidget()  # the fields at the top of the scrolled area, not spread over its height
        fields_box = QVBoxLayout(fields)
        fields_box.setContentsMargins(0, 0, 0, 0)
        fields_box.addWidget(self.form)
        fields_box.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addWidget(scrolling(fields), 1)
        layout.addLayout(buttons)
        self._update_buttons()
        # as tall as the fields (no empty band under them), never taller than the screen: they scroll
        fit_to_screen(self, 680, fields.sizeHint().height() + 150)
        self.load()

    # --- reading ----------------------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the notice on the worker; the form shows it (and is clean) when it arrives."""
        db, batch_id = self.desk.db, self.batch.id
        self.version = None
        self._update_buttons()
        operations.run(
            self, lambda: read_notice(db, batch_id), self._show, title=self.tr("不能读取出团通知书")
        )

    def _show(self, result: tuple[Any, dict[str, str]]) -> None:
        notice, standard = result
        self.version = notice.version
        self.set_placeholders(standard)
        self.form.load({key: getattr(notice, key) for key in FIELDS})
        for widget in self.form.widgets.values():
            widget.setEnabled(True)
        if not self.loaded_once:
            self.form.widgets["gather_at"].setFocus()
        self.loaded_once = True
        self.status.setText(
            self.tr("还没有填写过：打印时集合时间和地点为“待定”，其余按标准内容。")
            if notice.version == 0
            else ""
        )
        self._update_buttons()

    def set_placeholders(self, standard: dict[str, str]) -> None:
        """Each field's placeholder says what prints when it is left empty (the documents are Chinese)."""
        hints = {
            "gather_at": self.tr("留空则印“{0}”；如：5月12日 7:30").format(standard["gather_at"]),
            "gather_place": self.tr("留空则印“{0}”；如：单位东门停车场").format(standard["gather_place"]),
            "bring": self.tr("留空则印：{0}").format(standard["bring"]),
            "conduct": self.tr("留空则印：{0}").format(standard["conduct"]),
            "contacts": self.tr(
                "领队、导游、组织单位和紧急电话总会印上；这里填其他联系人，如：工会 张老师 138…"
            ),
            "insurance": self.tr("留空则印：{0}").format(standard["insurance"]),
        }
        for key, hint in hints.items():
            widget: Any = self.form.widgets[key]
            widget.setPlaceholderText(hint)
            widget.setToolTip(hint)

    # --- saving -----------------------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        ready = self.version is not None and self.busy == 0
        self.save_button.setEnabled(ready)
        self.print_button.setEnabled(ready)

    def values(self) -> dict[str, str]:
        return {key: str(self.form.value(key) or "") for key in FIELDS}

    def save(self, then_print: bool = False) -> None:
        """Store the details (with the version read); then close, and with ``then_print`` print the notice.
        Nothing changed: nothing is written."""
        if self.version is None or self.busy or not self.form.validate():
            return
        if not self.form.is_dirty():
            self.accept()
            if then_print:
                self.print_wanted.emit()
            return
        db, batch_id, version, values = self.desk.db, self.batch.id, self.version, self.values()

        def done(notice: Any) -> None:
            self.version = notice.version
            self.form.load({key: getattr(notice, key) for key in FIELDS})
            self._update_buttons()
            self.desk.status.emit(self.tr("{0}：出团通知书已保存").format(self.batch.code))
            self.saved.emit(notice)
            self.accept()
            if then_print:
                self.print_wanted.emit()

        def failed(exc: BaseException) -> None:
            self._update_buttons()
            if isinstance(exc, StaleEditError):
                self.stale(exc)
                return
            operations.at_field(self.form, self, self.tr("不能保存出团通知书"))(exc)

        operations.run(self, lambda: service.save_notice(db, batch_id, version, values), done, failed=failed)
        self._update_buttons()  # off while the save runs: operations.run counts it in ``busy``

    def stale(self, exc: StaleEditError) -> None:
        """Another desk saved the notice since it was read: say so; reloading shows theirs (these edits go),
        else the edits stay to copy from."""
        answer = dialogs.ask(
            self,
            self.tr("出团通知书已被修改"),
            exc.message + "\n\n" + self.tr("现在重新载入吗？这里的修改将被放弃。"),
            dialogs.Button.Yes | dialogs.Button.No,
            dialogs.Button.Yes,
        )
        if answer == dialogs.Button.Yes:
            self.load()

    def reject(self) -> None:
        """Cancel: edits not saved are asked about first."""
        if self.version is not None and self.form.is_dirty():
            answer = dialogs.ask(
                self, self.tr("放弃修改"), self.tr("出团通知书的修改还没有保存，放弃这些修改吗？")
            )
            if answer != dialogs.Button.Yes:
                return
        super().reject()
