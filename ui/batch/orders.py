"""接待预订单: the batch's order to each base it uses, sent and answered; what changed since it was sent.

One row per base (``services.orders.batch_orders``): its state (coloured as the app colours statuses), the
edition sent, when and how, the base's answer, and for a changed order the exact differences.  The actions
work on the selected order through dialogs that send their values to the core on the worker; an action that
does not apply to the order is disabled, its tooltip saying why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.filenames import file_in
from recuperation.labels import labels as core_labels
from recuperation.services import orders as service
from recuperation.storage.paths import data_dir
from ui import operations
from ui.desk import Desk
from ui.i18n import format_date
from ui.widgets import rights
from ui.widgets.fit import FlowLayout, fit_to_screen, scrolling, wrapping
from ui.widgets.form import Field, FormView
from ui.widgets.pdf_preview import PdfPreview
from ui.widgets.pin_dialog import confirm_pin
from ui.widgets.table import BAD, GOOD, ROW_ROLE, WARN, Column, RowTableModel, table_view

#: The colour of each state: answered (green), waiting (yellow), wanting the coordinator (red).
STATE_COLOURS: dict[str, QColor] = {
    "sent": WARN,
    "confirmed": GOOD,
    "amended": GOOD,
    "declined": BAD,
    "changed": BAD,
    "withdrawn": WARN,
}
CONFIRMED = "confirmed"
AMENDED = "amended"
DECLINED = "declined"
#: The right each action needs (``ui/widgets/rights.py``); printing reads, unless the order carries full IDs.
ACTION_RIGHTS = {"send": "plan", "answer": "plan", "cancel_sent": "plan"}


def order_states() -> dict[str, str]:
    """The labels of an order's states (the core's catalogue; ``ui/labels.py`` has no function for them yet)."""
    return core_labels("order_state")


def sent_hows() -> dict[str, str]:
    return core_labels("sent_how")


class OrdersView(QWidget):
    """The orders of the selected batch, with what can be done to the selected one."""

    changed = Signal()  # an order was sent or answered here

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.batch: Any = None
        self.busy = 0
        self.rows: list[service.OrderRow] = []
        self.sent_dialog: SentDialog | None = None
        self.answer_dialog: AnswerDialog | None = None
        self.preview: PdfPreview | None = None
        states, hows = order_states(), sent_hows()
        self.model = RowTableModel(
            [
                Column(self.tr("基地"), lambda r: r.base, width=90, tooltip=self.explain),
                Column(
                    self.tr("状态"),
                    lambda r: states.get(r.state, r.state),
                    fits=list(states.values()),
                    widest=100,  # a long label (“Confirmed with changes”) wraps onto two lines
                    background=lambda r: STATE_COLOURS.get(r.state),
                    tooltip=self.explain,
                ),
                Column(
                    self.tr("发出"),
                    lambda r: self.sent_cell(r, hows),
                    sort=lambda r: (r.sent_on or dt.date.min).isoformat(),
                    fits=[format_date(dt.date(2026, 12, 28))],
                    widest=120,
                    tooltip=self.explain,
                ),
                # the answer, and under it what changed since sending, what the base changed or why it declined
                Column(self.tr("基地回复与说明"), self.answer_and_note, tooltip=self.explain),
            ],
            key=lambda r: r.base_id,
        )
        self.view: QTableView = table_view(self.model, rows=True)
        self.view.setWordWrap(True)  # a row has two lines: the answer and the note under it
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._selected())
        self.view.doubleClicked.connect(lambda _i: self._default_action())
        self.summary = wrapping(QLabel())
        self.summary.setObjectName("orders_summary")
        self.detail = wrapping(QLabel())
        self.detail.setObjectName("order_detail")
        self.detail.setStyleSheet("color: #343a40;")
        self.send_button = QPushButton(self.tr("标记已发出…"))
        self.send_button.clicked.connect(self.mark_sent)
        self.answer_button = QPushButton(self.tr("登记基地回复…"))
        self.answer_button.clicked.connect(self.record_answer)
        self.print_button = QPushButton(self.tr("打印预订单…"))
        self.print_button.clicked.connect(lambda: self.print_order("order"))
        self.notice_button = QPushButton(self.tr("打印变更通知…"))
        self.notice_button.clicked.connect(lambda: self.print_order("change_notice"))
        self.cancel_sent_button = QPushButton(self.tr("取消通知已发出"))
        self.cancel_sent_button.clicked.connect(self.mark_cancel_sent)
        buttons = FlowLayout()  # wraps in a narrow tab instead of widening the window
        for button in (
            self.send_button,
            self.answer_button,
            self.print_button,
            self.notice_button,
            self.cancel_sent_button,
        ):
            buttons.addWidget(button)
        for button, action in (
            (self.send_button, "send"),
            (self.answer_button, "answer"),
            (self.cancel_sent_button, "cancel_sent"),
        ):
            rights.allow(button, desk.access, ACTION_RIGHTS[action])  # (and why_not says so to the rest)
        detail = scrolling(self.detail)
        detail.setMaximumHeight(170)  # room for the whole explanation: what changed and what to do
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(detail)
        layout.addLayout(buttons)
        self._update_buttons()

    # --- what a row says ------------------------------------------------------------------------------------

    def sent_text(self, row: service.OrderRow, hows: dict[str, str] | None = None) -> str:
        """When and how the order was sent, on one line."""
        if row.sent_on is None:
            return ""
        how = (hows or sent_hows()).get(row.sent_how, row.sent_how)
        return self.tr("{0}，{1}", "an order sent: when, how").format(format_date(row.sent_on), how)

    def sent_cell(self, row: service.OrderRow, hows: dict[str, str]) -> str:
        """The 发出 cell: the date, and under it how and which edition."""
        if row.sent_on is None:
            return ""
        how = hows.get(row.sent_how, row.sent_how)
        return (
            format_date(row.sent_on)
            + "\n"
            + self.tr("{0} · 第 {1} 版", "how an order was sent, its edition").format(how, row.edition)
        )

    def answer_and_note(self, row: service.OrderRow) -> str:
        return "\n".join(part for part in (self.answer_text(row), self.note_text(row)) if part)

    def answer_text(self, row: service.OrderRow) -> str:
        if row.answered_on is None:
            return ""
        parts = [format_date(row.answered_on)]
        if row.answered_by:
            parts.append(row.answered_by)
        if row.reference:
            parts.append(self.tr("编号 {0}", "the base's reference of its answer").format(row.reference))
        return self.tr("，", "separates the parts of an answer").join(parts)

    def note_text(self, row: service.OrderRow) -> str:
        """The one line the list has room for: what changed, what the base changed, why it declined."""
        if row.state in (service.CHANGED, service.WITHDRAWN) and row.differences:
            return row.change_text
        if row.changes:  # the base's own change stays said, also once the batch changed again
            return self.tr("基地变更：{0}").format(row.changes)
        if row.state == DECLINED and row.reason:
            return self.tr("拒绝原因：{0}").format(row.reason)
        if row.state == "draft":
            return self.tr("还没有发给基地")
        return ""

    def explain(self, row: service.OrderRow) -> str:
        """Everything about the order, for its tooltip and the text under the list."""
        lines = [
            self.tr("{0} · {1}：{2}").format(row.code, row.base, order_states().get(row.state, row.state))
        ]
        if row.edition:
            lines.append(self.tr("第 {0} 版，{1}发出").format(row.edition, self.sent_text(row)))
        if row.answered_on is not None:
            lines.append(self.tr("基地回复：{0}").format(self.answer_text(row)))
        if row.answered_on is not None and row.state not in (row.status, DECLINED):
            lines.append(self.tr("基地此前的回复：{0}").format(order_states().get(row.status, row.status)))
        if row.changes:
            lines.append(self.tr("基地变更：{0}").format(row.changes))
        if row.state == DECLINED and row.reason:
            lines.append(self.tr("拒绝原因：{0}").format(row.reason))
        if row.state == service.CHANGED:
            lines.append(row.change_text)
            lines.append(self.tr("请把变更通知或新的预订单发给基地，再登记基地的确认。"))
        elif row.state == service.WITHDRAWN:
            lines.append(self.tr("批次已不再使用这个基地（或已取消）：请通知基地取消接待。"))
        elif row.content is None and row.state == DECLINED:
            lines.append(self.tr("基地已拒绝，批次也已不再使用这个基地：不需要再做什么。"))
        elif row.state == DECLINED:
            lines.append(
                self.tr("基地已拒绝：请在“基本信息”的每晚住宿和行程中改到其他基地，再给新基地发预订单。")
            )
        elif row.state == "draft":
            lines.append(self.tr("还没有发给基地：打印预订单并发出后，点“标记已发出…”。"))
        elif row.state == "sent":
            days = row.waiting_days(dt.date.today())
            lines.append(self.tr("已等待基地回复 %n 天", "days an order has waited", days))
        return "\n".join(lines)

    # --- loading --------------------------------------------------------------------------------------------

    def set_batch(self, batch: Any) -> None:
        """Show the orders of ``batch`` (read on the worker); None clears the list."""
        self.batch = batch
        if batch is None:
            self._show([])
            return
        db, batch_id = self.desk.db, batch.id

        def done(rows: list[service.OrderRow]) -> None:
            if self.batch is None or self.batch.id != batch_id:
                return  # another batch was chosen meanwhile
            self._show(rows)

        def failed(exc: BaseException) -> None:
            if self.batch is not None and self.batch.id == batch_id:
                self._show([])  # never another batch's orders under this one
            operations.show_failure(self, exc)

        operations.run(self, lambda: service.batch_orders(db, batch_id), done, failed=failed)

    def reload(self) -> None:
        self.set_batch(self.batch)

    def _show(self, rows: list[service.OrderRow]) -> None:
        chosen = self.current()
        self.rows = rows
        self.model.set_rows(rows)
        wanted = chosen.base_id if chosen is not None else None
        index = self.model.row_for_key(wanted) if wanted is not None else -1
        if index < 0 and rows:
            index = 0
        if index >= 0:
            proxy: Any = self.view.model()
            self.view.selectRow(proxy.mapFromSource(self.model.index(index, 0)).row())
        self.summary.setText(self.summary_text(rows))
        self._selected()

    def summary_text(self, rows: list[service.OrderRow]) -> str:
        if self.batch is None:
            return ""
        if not rows:
            return self.tr("这个批次还没有安排在任何基地住宿、用餐或活动，没有预订单。")
        open_rows = [r for r in rows if r.open]
        used = [r for r in rows if r.content is not None]
        if not open_rows:
            return self.tr("%n 个基地都已确认当前的预订单。", "bases, all confirmed", len(used))
        states = order_states()
        detail = messages.join(
            [
                self.tr("{0}（{1}）", "a base and its order's state").format(
                    r.base, states.get(r.state, r.state)
                )
                for r in open_rows
            ]
        )
        return self.tr(
            "%n 个基地还没有确认当前的预订单：{0}。批次要等基地都确认后才能确认。",
            "bases not confirmed, then their names",
            len(open_rows),
        ).format(detail)

    def current(self) -> service.OrderRow | None:
        index = self.view.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        return row if row in self.rows else None

    def select_base(self, base: str) -> bool:
        """Select the order of the base named ``base`` (tests, and a reader following a link)."""
        for i, row in enumerate(self.model.rows):
            if row.base == base:
                proxy: Any = self.view.model()
                self.view.selectRow(proxy.mapFromSource(self.model.index(i, 0)).row())
                return True
        return False

    def _selected(self) -> None:
        row = self.current()
        self.detail.setText(self.explain(row) if row is not None else "")
        self._update_buttons()

    # --- what applies -----------------------------------------------------------------------------------------

    def why_not(self, action: str, row: service.OrderRow | None) -> str:
        """Why ``action`` does not apply to ``row`` (empty: it does)."""
        access = self.desk.access
        if action in ACTION_RIGHTS and not access.can(ACTION_RIGHTS[action]):
            return rights.why_not(access, ACTION_RIGHTS[action])
        if self.batch is None:
            return self.tr("请先选择一个批次。")
        if row is None:
            return self.tr("请先在列表中选择一个基地的预订单。")
        if self.busy:
            return self.tr("正在读取，请稍候。")
        if action == "order" and row.full_ids and not access.can("full_ids"):
            return rights.why_not(access, "full_ids")  # the base asked for the full ID numbers
        gone = row.state in (service.WITHDRAWN, service.CANCEL_SENT) or row.content is None
        if action in ("send", "order") and gone and row.state == DECLINED:
            return self.tr("基地已拒绝，批次也已不再使用这个基地：不需要再发预订单。")
        if action in ("send", "order") and gone:
            return self.tr("批次已不再使用这个基地（或已取消），不能再发预订单；请通知基地取消接待。")
        if action == "send" and self.batch is not None and getattr(self.batch, "status", "") == "completed":
            return self.tr("批次已完成，不再给基地发预订单。")
        if action == "answer":
            if gone:
                return self.tr("批次已不再使用这个基地（或已取消），没有需要基地回复的预订单。")
            if row.edition == 0:
                return self.tr("预订单还没有发出：先把它发给基地，再点“标记已发出…”。")
        if action == "change_notice":
            if row.edition == 0:
                return self.tr("预订单还没有发出，不需要变更通知：直接打印预订单。")
            if row.state not in (service.CHANGED, service.WITHDRAWN, service.CANCEL_SENT):
                return self.tr("预订单发出后批次没有变更，不需要变更通知。")
        if action == "cancel_sent":
            if row.state == service.CANCEL_SENT:
                return self.tr("取消通知已登记为发出。")
            if row.state != service.WITHDRAWN:
                return self.tr("这个基地不需要取消通知：批次仍在该基地安排接待，或预订单从未发出。")
        return ""

    def _update_buttons(self) -> None:
        row = self.current()
        for button, action in (
            (self.send_button, "send"),
            (self.answer_button, "answer"),
            (self.print_button, "order"),
            (self.notice_button, "change_notice"),
            (self.cancel_sent_button, "cancel_sent"),
        ):
            reason = self.why_not(action, row)
            button.setEnabled(not reason)
            button.setToolTip(reason)
        if row is not None and row.state in (service.WITHDRAWN, service.CANCEL_SENT):
            self.notice_button.setText(self.tr("打印取消通知…"))
        else:
            self.notice_button.setText(self.tr("打印变更通知…"))

    def _default_action(self) -> None:
        row = self.current()
        if row is None:
            return
        if not self.why_not("answer", row) and row.state == "sent":
            self.record_answer()
        elif not self.why_not("send", row):
            self.mark_sent()

    # --- the actions ----------------------------------------------------------------------------------------

    def mark_sent(self) -> None:
        row = self.current()
        if row is None or self.why_not("send", row):
            return
        dialog = SentDialog(self, row)
        dialog.submitted.connect(lambda values: self._send(dialog, row, values))
        self.sent_dialog = dialog
        dialog.open()

    def _send(self, dialog: SentDialog, row: service.OrderRow, values: dict[str, Any]) -> None:
        db, batch_id, base_id = self.desk.db, row.batch_id, row.base_id

        def done(saved: service.OrderRow) -> None:
            dialog.accept()
            self.desk.status.emit(
                self.tr("{0}：第 {1} 版预订单已标记为发出").format(saved.base, saved.edition)
            )
            self.changed.emit()
            self.reload()

        operations.run(
            self,
            lambda: service.mark_sent(
                db,
                batch_id,
                base_id,
                values["sent_how"],
                on=values["sent_on"],
                full_ids=values["full_ids"],
            ),
            done,
            failed=operations.at_field(dialog.form, dialog, self.tr("不能标记")),
        )

    def mark_cancel_sent(self) -> None:
        """The cancellation notice went to the base today: the order stops asking for one."""
        row = self.current()
        if row is None or self.why_not("cancel_sent", row):
            return
        db, batch_id, base_id = self.desk.db, row.batch_id, row.base_id

        def done(saved: service.OrderRow) -> None:
            self.desk.status.emit(self.tr("{0}：取消通知已登记为发出").format(saved.base))
            self.changed.emit()
            self.reload()

        operations.run(
            self,
            lambda: service.mark_cancel_sent(db, batch_id, base_id),
            done,
            title=self.tr("不能登记"),
        )

    def record_answer(self) -> None:
        row = self.current()
        if row is None or self.why_not("answer", row):
            return
        dialog = AnswerDialog(self, row)
        dialog.submitted.connect(lambda values: self._answer(dialog, row, values))
        self.answer_dialog = dialog
        dialog.open()

    def _answer(self, dialog: AnswerDialog, row: service.OrderRow, values: dict[str, Any]) -> None:
        db, batch_id, base_id = self.desk.db, row.batch_id, row.base_id

        def done(saved: service.OrderRow) -> None:
            dialog.accept()
            self.desk.status.emit(
                self.tr("{0}：{1}").format(saved.base, order_states().get(saved.state, saved.state))
            )
            self.changed.emit()
            self.reload()

        operations.run(
            self,
            lambda: service.mark_answer(
                db,
                batch_id,
                base_id,
                values["status"],
                by=values["answered_by"],
                reference=values["reference"],
                reason=values["reason"],
                changes=values["changes"],
                on=values["answered_on"],
                edition=row.edition,  # the edition this desk shows: another desk's newer one is not confirmed
                version=row.version,  # and an answer recorded meanwhile is not overwritten unseen
            ),
            done,
            failed=operations.at_field(dialog.form, dialog, self.tr("不能登记")),
        )

    def print_order(self, which: str) -> None:
        """The order (``which`` "order") or its change or cancellation notice ("change_notice") as a PDF made
        on the worker, then shown in the preview to print, save or open."""
        row = self.current()
        if row is None or self.why_not(which, row):
            return
        db = self.desk.db
        if which == "order" and row.full_ids and not confirm_pin(self, db):  # a desk's PIN (pin_dialog.py)
            return
        target = file_in(data_dir() / "print", row.code, which, suffix=".pdf")
        title = (
            self.tr("{0} {1} 预订单").format(row.batch, row.base)
            if which == "order"
            else self.tr("{0} {1} 取消通知").format(row.batch, row.base)
            if row.state == service.WITHDRAWN
            else self.tr("{0} {1} 变更通知").format(row.batch, row.base)
        )

        def done(result: Any) -> None:
            self.preview = PdfPreview(self, result.path, title, result.note())
            self.preview.open()
            if which != "order":
                self.changed.emit()

        operations.run(self, lambda: render_order(db, which, row, target), done)


def render_order(db: Any, which: str, row: service.OrderRow, target: Path) -> Any:
    """On the worker: the PDF of an order or of its change/cancellation notice (``documents.orders_docs``, with
    the font of the settings and the notes to read beside it, as every printout).  Printing a notice records it
    in the audit log (the documents do); the order carries full ID numbers when the base asked for them."""
    from recuperation.documents.render import render  # reportlab is imported when first used

    if which == "order":
        return render(db, "order", row.batch, target, base=row.base, full_ids=row.full_ids)
    return render(db, "notice", row.batch, target, base=row.base)


def confirm_blockers(db: Any, batch_id: int) -> list[str]:
    """On the worker: the core's clauses naming each base whose order holds up the batch's confirmation."""
    from recuperation.models import Batch

    with db.session() as session:
        batch = session.get(Batch, batch_id)
        return service.confirm_blockers(session, batch) if batch is not None else []


class SentDialog(QDialog):
    """标记已发出: when and how the order went to the base."""

    submitted = Signal(object)

    def __init__(self, parent: QWidget, row: service.OrderRow):
        super().__init__(parent)
        self.setWindowTitle(self.tr("标记预订单已发出"))
        self.row = row
        self.form = FormView(
            [
                Field("sent_on", self.tr("发出日期"), "date", required=True),
                Field(
                    "sent_how",
                    self.tr("发送方式"),
                    "choice",
                    required=True,
                    choices=list(sent_hows().items()),
                ),
                Field("full_ids", self.tr("附完整证件号（基地办理住宿登记）"), "bool"),
            ]
        )
        # only who may print full ID numbers sends an order with them
        full_ids = rights.allow(self.form.widgets["full_ids"], rights.access_of(parent), "full_ids")
        self.form.load(
            {
                "sent_on": dt.date.today(),
                "sent_how": row.sent_how or "printed",
                "full_ids": row.full_ids and full_ids,
            }
        )
        heading = wrapping(QLabel(self.tr("{0}：第 {1} 版").format(row.base, row.edition + 1)))
        note = wrapping(QLabel())
        note.setStyleSheet("color: #8a6d00;")
        if row.answered_on is not None or row.state == "sent":
            note.setText(
                self.tr("再次发出后，基地此前的回复作废，需要基地重新确认这一版。")
                if row.answered_on is not None
                else self.tr("这份预订单已经发过；再次发出会记为新的一版。")
            )
        note.setVisible(bool(note.text()))
        self.save_button = QPushButton(self.tr("标记已发出"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._submit)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addWidget(self.form, 1)
        layout.addLayout(buttons)
        fit_to_screen(self, max(self.sizeHint().width(), 440), self.sizeHint().height())

    def _submit(self) -> None:
        if self.form.validate():
            self.submitted.emit(self.form.values())


class AnswerDialog(QDialog):
    """登记基地回复: confirmed, confirmed with changes (what the base changed) or declined (why)."""

    submitted = Signal(object)

    def __init__(self, parent: QWidget, row: service.OrderRow):
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记基地回复"))
        self.row = row
        states = order_states()
        changed = row.state == service.CHANGED
        answers = [(CONFIRMED, states[CONFIRMED]), (AMENDED, states[AMENDED]), (DECLINED, states[DECLINED])]
        if changed:  # the base has the old content: it can decline it, not confirm it
            answers = [(DECLINED, states[DECLINED])]
        self.form = FormView(
            [
                Field("status", self.tr("基地的回复"), "choice", required=True, choices=answers),
                Field("answered_by", self.tr("基地确认人"), max_length=40),
                Field("answered_on", self.tr("回复日期"), "date", required=True),
                Field("reference", self.tr("基地编号"), max_length=60),
                Field(
                    "changes",
                    self.tr("基地的变更"),
                    "multiline",
                    max_length=400,
                ),
                Field("reason", self.tr("拒绝原因"), "multiline", max_length=400),
            ]
        )
        self.form.load(
            {
                "status": row.status
                if row.status in (CONFIRMED, AMENDED, DECLINED) and not changed
                else None,
                # a new answer is a new event: who gave an earlier one, and its reference, are not carried over
                "answered_by": "",
                "answered_on": dt.date.today(),
                "reference": "",
                "changes": "",
                "reason": "",
            }
        )
        self.form.widgets["changes"].setPlaceholderText(self.tr("如：只能提供 40 间房，原为 45 间"))
        self.form.widgets["status"].currentIndexChanged.connect(self._arrange)
        heading = wrapping(
            QLabel(
                self.tr("{0}：第 {1} 版预订单，{2}发出").format(
                    row.base, row.edition, format_date(row.sent_on) if row.sent_on else ""
                )
            )
        )
        self.note = wrapping(QLabel())
        self.note.setStyleSheet("color: #8a6d00;")
        if changed:
            self.note.setText(
                self.tr(
                    "预订单发出后批次有变更（{0}），基地只能确认新的内容：请先把变更通知或新的预订单发给基地"
                    "并标记已发出。这里只能登记基地拒绝。"
                ).format(row.change_text)
            )
        self.note.setVisible(bool(self.note.text()))
        self.save_button = QPushButton(self.tr("登记回复"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._submit)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.note)
        fields = QWidget()  # the fields at the top of the scrolled area, not spread over its height
        fields_box = QVBoxLayout(fields)
        fields_box.setContentsMargins(0, 0, 0, 0)
        fields_box.addWidget(self.form)
        fields_box.addStretch(1)
        layout.addWidget(scrolling(fields), 1)
        layout.addLayout(buttons)
        self._arrange()
        # tall enough for every field the answers show, with a message under each
        fit_to_screen(self, max(self.sizeHint().width(), 500), max(self.form.sizeHint().height() + 200, 460))

    def answer(self) -> str:
        return str(self.form.value("status"))

    def choose(self, answer: str) -> None:
        """Choose an answer as the user does (tests too)."""
        combo: Any = self.form.widgets["status"]
        combo.setCurrentIndex(max(combo.findData(answer), 0))

    def _arrange(self, *_args: object) -> None:
        """Show the fields the chosen answer needs: who and the reference for a confirmation, what the base
        changed for one with changes, the reason for a refusal."""
        answer = self.answer()
        layout = self.form.layout()
        assert isinstance(layout, QFormLayout)
        shown = {
            "answered_by": True,  # who confirmed, or who said no
            "reference": answer != DECLINED,
            "changes": answer == AMENDED,
            "reason": answer == DECLINED,
        }
        required = {
            "answered_by": answer in (CONFIRMED, AMENDED),
            "changes": answer == AMENDED,
            "reason": answer == DECLINED,
        }
        for key, visible in shown.items():
            holder = self.form.widgets[key].parentWidget()
            layout.setRowVisible(holder, visible)
            if key in required:
                # required as the answer makes it: checked like any required field (also when the field is
                # left), its label starred
                spec = replace(self.form.fields[key], required=required[key])
                self.form.fields[key] = spec
                label = layout.labelForField(holder)
                if isinstance(label, QLabel):
                    label.setText(
                        f"{spec.label}<span style='color:#b02a37'> *</span>" if spec.required else spec.label
                    )
        self.form.clear_errors()

    def problems(self) -> dict[str, str]:
        """The texts the chosen answer needs that are empty, with what to write: field → message."""
        answer, values = self.answer(), self.form.values()
        found: dict[str, str] = {}
        if answer == AMENDED and not values["changes"]:
            found["changes"] = self.tr("请写明基地改了什么（如“只能提供 40 间房，原为 45 间”）。")
        if answer == DECLINED and not values["reason"]:
            found["reason"] = self.tr("请填写基地拒绝的原因。")
        return found

    def _submit(self) -> None:
        valid = self.form.validate()
        problems = self.problems()
        for key, message in problems.items():  # what to write, said better than “required”
            label = self.form.errors[key]
            label.setText(message)
            label.show()
        if valid and not problems:
            self.submitted.emit(self.form.values())
