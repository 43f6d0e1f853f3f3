"""结算: the batch's settlement with each base — planned, actual, the base's invoice, the difference and what
explains it, approval and payment — and, under it, the selected base's items planned beside actual with the
invoice's adjustment lines.

Everything is read and written on the worker (``services.settlement``).  An action that does not apply to the
selected base is disabled, its tooltip saying why.  Amounts are typed as text and read exactly
(:func:`recuperation.money.parse_yuan`), never through a float.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.errors import DomainError
from recuperation.filenames import file_in
from recuperation.models import BatchStatus, InvoiceState
from recuperation.money import MoneyError, parse_rate_bp, parse_yuan, rate_text, yuan_text
from recuperation.services import settlement as service
from recuperation.storage.paths import data_dir
from ui import labels, operations
from ui.desk import Desk
from ui.i18n import format_date, format_day, is_chinese
from ui.widgets import dialogs, rights
from ui.widgets.fit import FlowLayout, fit_to_screen, scrolling, wrapping
from ui.widgets.form import Field, FormView
from ui.widgets.pdf_preview import PdfPreview
from ui.widgets.table import (
    GOOD,
    ROW_ROLE,
    WARN,
    Column,
    ElidingDelegate,
    RowTableModel,
    header_width,
    table_view,
)

NONE, NOT_DUE = service.NO_INVOICE, service.NOT_DUE
RECEIVED, APPROVED, PAID = (s.value for s in InvoiceState)
#: Wanting the coordinator (yellow), done (green); nothing owed and a batch not under way stay plain.
STATE_COLOURS: dict[str, QColor] = {RECEIVED: WARN, APPROVED: WARN, PAID: GOOD}
#: The right each action needs (``ui/widgets/rights.py``): invoices and payments are 财务's, approving is
#: 负责人's; the attachment and the sheet are read by everyone.
ACTION_RIGHTS = {"invoice": "money", "approve": "approve", "pay": "money", "delete": "money"}
_SAMPLE_MONEY = ("-999,999.00",)


def open_file(path: str) -> None:
    """Open a file with the system's viewer (tests replace this)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(path))


def short_date(day: dt.date | None) -> str:
    """A day of the batch's stay without its year (the batch says it): 12月28日, 28 Dec."""
    return format_day(day)


def money(fen: int | None) -> str:
    return "" if fen is None else yuan_text(fen)


def signed(fen: int | None) -> str:
    """A difference in a cell or a grid: +300.00, -180.00 (read back by ``parse_signed_yuan``)."""
    if fen is None:
        return ""
    return f"+{yuan_text(fen)}" if fen > 0 else yuan_text(fen)


def signed_yuan(fen: int) -> str:
    """A difference in a sentence, its sign before the currency: +300.00 元 and −180.00 元; in English +¥300.00
    and −¥180.00 (not ¥+300.00); none when there is no difference."""
    amount = QCoreApplication.translate("SettlementView", "{0} 元", "an amount of yuan in a sentence")
    return ("+" if fen > 0 else "\u2212" if fen < 0 else "") + amount.format(yuan_text(abs(fen)))


def sentences(*parts: str) -> str:
    """Sentences one after another: 甲。乙。 in Chinese, "A. B." with a space in English."""
    return ("" if is_chinese() else " ").join(part for part in parts if part)


def side_text(qty: int | None, unit_fen: int | None, fen: int | None) -> str:
    """One side of an item, planned or actual: the quantity at the unit price over the amount (37 × 65.00 over
    2,405.00), the amount alone for a total."""
    if fen is None:
        return ""
    if qty is None:
        return money(fen)
    return f"{qty} × {money(unit_fen)}\n{money(fen)}" if unit_fen is not None else f"{qty}\n{money(fen)}"


class RoomyRows(ElidingDelegate):
    """Cells of two lines a little taller than Qt measures them: a line of Chinese over a line of Latin letters (a
    base over its English state) was measured a pixel short and drawn cut with “…”."""

    def sizeHint(self, option: Any, index: Any) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 3)


class FittedText(QScrollArea):
    """A text that wraps at the tab's width and is as tall as its lines, up to ``most`` pixels; a longer one
    scrolls (the explanation between the two tables never cuts a line in half)."""

    def __init__(self, label: QLabel, most: int):
        super().__init__()
        self.label, self.most = label, most
        self.setWidget(label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def wanted(self) -> int:
        if not self.label.text():
            return 0
        width = max(self.viewport().width(), self.label.minimumWidth())
        return min(self.label.heightForWidth(width), self.most)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.wanted())

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.wanted())

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # another width wraps into another number of lines


def money_problem(text: str) -> str | None:
    """Why ``text`` is not an amount of yuan (None: it is)."""
    try:
        parse_yuan(text)
    except MoneyError as exc:
        return messages.text(exc.key, value=exc.value)
    return None


def rate_problem(text: str) -> str | None:
    try:
        parse_rate_bp(text)
    except MoneyError as exc:
        return messages.text(exc.key, value=exc.value)
    return None


@dataclass(frozen=True)
class Shown:
    """One row under the list: an item planned beside actual, an adjustment line, or a total."""

    key: int
    day: dt.date | None
    item: str
    planned_qty: int | None = None
    planned_fen: int | None = None
    actual_qty: int | None = None
    actual_fen: int | None = None
    difference_fen: int | None = None
    kind: str = "line"  # line, adjustment, total, invoice
    missing: bool = False
    planned_unit_fen: int | None = None
    actual_unit_fen: int | None = None


class SettlementView(QWidget):
    """The settlement of the selected batch, base by base, with what can be done to the selected base."""

    changed = Signal()  # an invoice or a payment was recorded here

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.batch: Any = None
        self.busy = 0
        self.data: service.BatchSettlement | None = None
        self.invoice_dialog: InvoiceDialog | None = None
        self.pay_dialog: PayDialog | None = None
        self.preview: PdfPreview | None = None  # the last settlement sheet shown (tests reach it)
        states = labels.settlement_states()
        self.model = RowTableModel(
            [
                # two lines a cell, so that every figure fits the tab at 1366×768 in both languages: the base
                # over its state, planned over actual, the invoice's number over its amount, the difference
                # over what explains it; the base takes the room the figures leave
                Column(
                    self.tr("基地") + "\n" + self.tr("状态"),
                    lambda r: f"{r.base}\n{states.get(r.state, r.state)}",
                    sort=lambda r: r.base,
                    width=100,
                    background=self.state_colour,
                    tooltip=self.explain,
                ),
                Column(
                    self.tr("计划") + "\n" + self.tr("实际"),
                    lambda r: "\n".join(
                        (
                            self.cost_text(r.planned_fen, r.planned_complete),
                            self.cost_text(r.actual_fen, r.actual_complete),
                        )
                    ).strip(),
                    right=True,
                    fits=_SAMPLE_MONEY,
                    sort=lambda r: r.expected_fen,
                    tooltip=self.explain,
                ),
                Column(
                    self.tr("发票"), self.invoice_cell, right=True, fits=_SAMPLE_MONEY, tooltip=self.explain
                ),
                Column(
                    self.tr("差额") + "\n" + self.tr("已说明"),
                    lambda r: f"{signed(r.difference_fen)}\n{signed(r.explained_fen)}" if r.invoice else "",
                    right=True,
                    fits=_SAMPLE_MONEY,
                    background=lambda r: WARN if r.invoice and r.unexplained_fen else None,
                    tooltip=self.explain,
                ),
                Column(
                    self.tr("已付"),
                    lambda r: money(r.paid_fen) if r.invoice else "",
                    right=True,
                    fits=_SAMPLE_MONEY,
                ),
            ],
            key=lambda r: r.base_id,
        )
        self.view: QTableView = table_view(self.model, rows=True)
        self.view.setWordWrap(True)  # a long base's name
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.verticalHeader().sectionResized.connect(lambda *_a: self._fit_list())
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._selected())
        self.view.doubleClicked.connect(lambda _i: self._default_action())
        self.lines = RowTableModel(
            [
                Column(
                    self.tr("日期"),
                    lambda s: short_date(s.day),
                    sort=lambda s: s.day,
                    fits=(format_day(dt.date(2028, 12, 28)),),
                ),
                Column(self.tr("项目"), lambda s: s.item, width=120, tooltip=lambda s: s.item),
                # each side's quantity at its unit price over its amount (37 × 65.00 over 2,405.00)
                Column(
                    self.tr("计划"),
                    lambda s: side_text(s.planned_qty, s.planned_unit_fen, s.planned_fen),
                    right=True,
                ),
                Column(
                    self.tr("实际"),
                    lambda s: side_text(s.actual_qty, s.actual_unit_fen, s.actual_fen),
                    right=True,
                ),
                Column(
                    self.tr("差额"),
                    lambda s: signed(s.difference_fen),
                    right=True,
                    fits=_SAMPLE_MONEY,
                    background=lambda s: WARN if s.missing else None,
                ),
            ],
            key=lambda s: s.key,
        )
        self.lines_view = table_view(self.lines)
        self.lines_view.setWordWrap(True)  # a long item (an adjustment's reason, the invoice) wraps
        self.lines_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The columns of figures as wide as what they show, the base and the item the rest: the tables fit the
        # tab at 1366×768 without scrolling sideways.
        for view, wide in ((self.view, 0), (self.lines_view, 1)):
            view.setItemDelegate(RoomyRows(view))
            header = view.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(wide, QHeaderView.ResizeMode.Stretch)
            header.setTextElideMode(Qt.TextElideMode.ElideNone)  # a header of two lines is never cut as one
        self.summary = wrapping(QLabel())
        self.summary.setObjectName("settlement_summary")
        self.detail = wrapping(QLabel())
        self.detail.setObjectName("settlement_detail")
        self.detail.setStyleSheet("color: #343a40;")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_box = FittedText(self.detail, most=12 * self.detail.fontMetrics().lineSpacing())
        self.invoice_button = QPushButton(self.tr("登记发票…"))
        self.invoice_button.clicked.connect(self.edit_invoice)
        self.approve_button = QPushButton(self.tr("审批"))
        self.approve_button.clicked.connect(self.approve)
        self.pay_button = QPushButton(self.tr("付款…"))
        self.pay_button.clicked.connect(self.pay)
        self.scan_button = QPushButton(self.tr("附件"))
        self.scan_button.clicked.connect(self.open_scan)
        self.delete_button = QPushButton(self.tr("删除发票"))
        self.delete_button.clicked.connect(self.delete_invoice)
        self.print_button = QPushButton(self.tr("打印结算单…"))
        self.print_button.clicked.connect(self.print_sheet)
        for button, action in (
            (self.invoice_button, "invoice"),
            (self.approve_button, "approve"),
            (self.pay_button, "pay"),
            (self.delete_button, "delete"),
        ):
            rights.allow(button, desk.access, ACTION_RIGHTS[action])
        buttons = FlowLayout()  # wraps in a narrow tab instead of widening the window
        for button in (
            self.invoice_button,
            self.approve_button,
            self.pay_button,
            self.scan_button,
            self.delete_button,
            self.print_button,
        ):
            buttons.addWidget(button)
        # the list as tall as its bases (a few), the explanation as tall as its lines, the items the rest
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        layout.addWidget(self.detail_box)
        layout.addWidget(self.lines_view, 1)
        layout.addLayout(buttons)
        self._fit_list()
        self._update_buttons()

    def _fit_list(self) -> None:
        """The list of bases as tall as its rows (two at the least, six before it scrolls)."""
        view = self.view
        rows = view.verticalHeader()
        row_height = rows.defaultSectionSize()
        frame = 2 * view.frameWidth() + view.horizontalHeader().sizeHint().height()
        shown = sum(rows.sectionSize(i) for i in range(min(self.model.rowCount(), 6)))
        bar = view.horizontalScrollBar()
        spare = bar.sizeHint().height() if bar.isVisible() else 0
        view.setFixedHeight(frame + max(shown, 2 * row_height) + spare)

    def _fit_columns(self) -> None:
        """The columns of figures as wide as their header and their cells (after the rows change)."""
        for view in (self.view, self.lines_view):
            header = view.horizontalHeader()
            for column in range(header.count()):
                if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch:
                    view.resizeColumnToContents(column)

    # --- what a row says ------------------------------------------------------------------------------------

    def cost_text(self, fen: int | None, complete: bool | None) -> str:
        """An amount, starred when the cost lacks prices (then it is a part: the tooltip says which)."""
        if fen is None:
            return ""
        return money(fen) + ("*" if complete is False else "")

    def invoice_cell(self, row: service.SettlementRow) -> str:
        if row.invoice is None:
            return ""
        return f"{row.invoice.number}\n{money(row.invoice.amount_fen)}"

    def state_colour(self, row: service.SettlementRow) -> QColor | None:
        if row.state == NONE and row.batch_status == BatchStatus.COMPLETED.value:
            return WARN
        return STATE_COLOURS.get(row.state)

    def source_text(self, row: service.SettlementRow) -> str:
        return self.tr("实际费用") if row.expected_source == "actual" else self.tr("计划费用")

    def explain(self, row: service.SettlementRow) -> str:
        """Everything about the base's settlement, for the tooltip and the text under the list."""
        states = labels.settlement_states()
        lines = [self.tr("{0}：{1}").format(row.base, states.get(row.state, row.state))]
        costs = self.tr("计划 {0} 元").format(money(row.planned_fen))
        if row.actual_fen is not None:
            costs += self.tr("，实际 {0} 元（按报到）").format(money(row.actual_fen))
        else:
            costs += self.tr("，实际费用在批次完成并关闭报到后计算")
        lines.append(costs)
        if not row.expected_complete:
            lines.append(
                self.tr("{0}缺少价格（标 * 的金额只是已计价的部分）：请在价目表中补上。").format(
                    self.source_text(row)
                )
            )
        invoice = row.invoice
        if invoice is not None:
            lines.append(
                self.tr("发票 {0}，{1}开，{2} 元（税率 {3}，其中税额 {4} 元）").format(
                    invoice.number,
                    format_date(invoice.issued_on),
                    money(invoice.amount_fen),
                    rate_text(invoice.tax_bp),
                    money(invoice.tax_fen),
                )
            )
            if not row.difference_fen and not invoice.adjustments:
                lines.append(
                    self.tr("与{0} {1} 元一致，没有差额").format(
                        self.source_text(row), money(row.expected_fen)
                    )
                )
            else:  # the signed amounts carry their currency: +300.00 元, +¥300.00
                lines.append(
                    self.tr("与{0} {1} 元相差 {2}；已说明 {3}，未说明 {4}").format(
                        self.source_text(row),
                        money(row.expected_fen),
                        signed_yuan(row.difference_fen or 0),
                        signed_yuan(row.explained_fen),
                        signed_yuan(row.unexplained_fen),
                    )
                )
            for adjustment in invoice.adjustments:
                lines.append(
                    self.tr("差额说明 {0}：{1}").format(signed_yuan(adjustment.amount_fen), adjustment.reason)
                )
            if invoice.approved_on is not None:
                lines.append(
                    self.tr("{0} 于 {1} 审批").format(invoice.approved_by, format_date(invoice.approved_on))
                )
            for payment in invoice.payments:
                lines.append(
                    self.tr("付款 {0}：{1} 元，凭证 {2}").format(
                        format_date(payment.paid_on), money(payment.amount_fen), payment.reference
                    )
                )
            if invoice.payments and invoice.outstanding_fen:
                lines.append(self.tr("还应付 {0} 元").format(money(invoice.outstanding_fen)))
        step = self.next_step(row)
        if step:
            lines.append(step)
        return "\n".join(lines)

    def next_step(self, row: service.SettlementRow) -> str:
        if row.state == NONE:
            if row.batch_status in service.INVOICEABLE:
                return self.tr("收到基地的发票后，点“登记发票…”。")
            return self.tr("批次进行中或完成后，再登记基地的发票。")
        if row.state == NOT_DUE:
            return self.tr("按价目表这个基地没有费用，不需要结算。")
        if row.state == RECEIVED:
            reason = self.why_not("approve", row)
            if reason:
                return reason
            if not row.difference_fen:
                return self.tr("发票与{0}一致，没有差额：可以审批。").format(self.source_text(row))
            return self.tr("差额已全部说明：可以审批。")
        if row.state == APPROVED:
            return self.tr("已审批：付款后点“付款…”登记。")
        return ""

    # --- loading --------------------------------------------------------------------------------------------

    def set_batch(self, batch: Any) -> None:
        """Show the settlement of ``batch`` (read on the worker); None clears it."""
        self.batch = batch
        if batch is None:
            self._show(None)
            return
        db, batch_id = self.desk.db, batch.id

        def done(data: service.BatchSettlement) -> None:
            if self.batch is None or self.batch.id != batch_id:
                return  # another batch was chosen meanwhile
            self._show(data)

        def failed(exc: BaseException) -> None:
            if self.batch is not None and self.batch.id == batch_id:
                self._show(None)  # never another batch's settlement under this one
            operations.show_failure(self, exc)

        operations.run(self, lambda: service.batch_settlement(db, batch_id), done, failed=failed)

    def reload(self) -> None:
        self.set_batch(self.batch)

    def _show(self, data: service.BatchSettlement | None) -> None:
        chosen = self.current()
        self.data = data
        rows = list(data.rows) if data is not None else []
        self.model.set_rows(rows)
        self._fit_columns()
        self._fit_list()
        wanted = chosen.base_id if chosen is not None else None
        index = self.model.row_for_key(wanted) if wanted is not None else -1
        if index < 0 and rows:
            index = 0
        if index >= 0:
            proxy: Any = self.view.model()
            self.view.selectRow(proxy.mapFromSource(self.model.index(index, 0)).row())
        self.summary.setText(self.summary_text(data))
        self._selected()

    @property
    def rows(self) -> list[service.SettlementRow]:
        return list(self.data.rows) if self.data is not None else []

    def summary_text(self, data: service.BatchSettlement | None) -> str:
        if data is None or self.batch is None:
            return ""
        if not data.rows:
            return self.tr("这个批次没有安排在任何基地住宿、用餐或活动，没有需要结算的费用。")
        if data.settled:  # the bases paid, and apart those owed nothing (无需结算 is not a payment)
            paid = [r for r in data.rows if r.state == PAID]
            text = (
                self.tr(
                    "已结清：%n 个基地已付清，共付 {0} 元。", "bases paid, then the amount", len(paid)
                ).format(money(sum(r.paid_fen for r in paid)))
                if paid
                else self.tr("已结清：各基地都无需结算。")
            )
            owed_nothing = [r.base for r in data.rows if r.state == NOT_DUE]
            if owed_nothing:
                text = sentences(
                    text,
                    self.tr(
                        "%n 个基地无需结算：{0}。", "bases owed nothing, their names", len(owed_nothing)
                    ).format(messages.join(owed_nothing)),
                )
            return text
        if data.batch_status not in service.INVOICEABLE:
            return self.tr("批次进行中或完成后，再登记基地的发票。计划费用共 {0} 元。").format(
                money(sum(r.planned_fen for r in data.rows))
            )
        open_rows = [r for r in data.rows if r.open]
        states = labels.settlement_states()
        detail = messages.join(
            [
                self.tr("{0}（{1}）", "a base and its settlement's state").format(
                    r.base, states.get(r.state, r.state)
                )
                for r in open_rows
            ]
        )
        outstanding = sum(r.outstanding_fen for r in data.rows)
        return self.tr(
            "%n 个基地未结清：{0}。已开票未付 {1} 元。", "bases not settled, their names", len(open_rows)
        ).format(detail, money(outstanding))

    def current(self) -> service.SettlementRow | None:
        index = self.view.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        return row if row in self.rows else None

    def select_base(self, base: str) -> bool:
        """Select the settlement of the base named ``base`` (tests, and a reader following a link)."""
        for i, row in enumerate(self.model.rows):
            if row.base == base:
                proxy: Any = self.view.model()
                self.view.selectRow(proxy.mapFromSource(self.model.index(i, 0)).row())
                return True
        return False

    def _selected(self) -> None:
        row = self.current()
        self.detail_box.setText(self.explain(row) if row is not None else "")
        self.lines.set_rows(self.shown_lines(row))
        self._fit_columns()
        self._update_buttons()

    def shown_lines(self, row: service.SettlementRow | None) -> list[Shown]:
        """The base's items planned beside actual, then the invoice's adjustment lines and the totals."""
        if row is None or self.data is None:
            return []
        found: list[Shown] = []
        for n, line in enumerate(self.data.lines.get(row.base_id, ())):
            item = line.item_text()
            if line.staff:
                item = self.tr("{0}（导游、司机）").format(item)
            if line.missing:
                item = self.tr("{0}（无价格）").format(item)
            found.append(
                Shown(
                    n,
                    line.day,
                    item,
                    line.planned_qty,
                    line.planned_fen,
                    line.actual_qty,
                    line.actual_fen,
                    line.difference_fen,
                    missing=line.missing,
                    planned_unit_fen=line.planned_unit_fen,
                    actual_unit_fen=line.actual_unit_fen,
                )
            )
        base = len(found)
        actual = row.actual_fen
        found.append(
            Shown(
                base,
                None,
                self.tr("合计"),
                planned_fen=row.planned_fen,
                actual_fen=actual,
                difference_fen=None if actual is None else actual - row.planned_fen,
                kind="total",
            )
        )
        invoice = row.invoice
        if invoice is not None:
            for n, adjustment in enumerate(invoice.adjustments, start=1):
                found.append(
                    Shown(
                        base + n,
                        None,
                        self.tr("差额说明：{0}").format(adjustment.reason),
                        difference_fen=adjustment.amount_fen,
                        kind="adjustment",
                    )
                )
            found.append(
                Shown(
                    base + len(invoice.adjustments) + 1,
                    None,
                    self.tr("发票 {0}，{1}开（差额对{2}）").format(
                        invoice.number, format_date(invoice.issued_on), self.source_text(row)
                    ),
                    actual_fen=invoice.amount_fen,
                    difference_fen=row.difference_fen,
                    kind="invoice",
                )
            )
        return found

    # --- what applies -----------------------------------------------------------------------------------------

    def why_not(self, action: str, row: service.SettlementRow | None) -> str:
        """Why ``action`` does not apply to ``row`` (empty: it does)."""
        if action in ACTION_RIGHTS and not self.desk.access.can(ACTION_RIGHTS[action]):
            return rights.why_not(self.desk.access, ACTION_RIGHTS[action])
        if self.batch is None:
            return self.tr("请先选择一个批次。")
        if row is None:
            return self.tr("请先在列表中选择一个基地。")
        if self.busy:
            return self.tr("正在读取，请稍候。")
        invoice = row.invoice
        statuses = labels.batch_statuses()
        if action == "print":  # the sheet prints in every state: without an invoice it says so
            return ""
        if action == "invoice":
            if invoice is None and row.batch_status not in service.INVOICEABLE:
                return self.tr("批次状态为“{0}”：进行中或已完成的批次才能登记发票。").format(
                    statuses.get(row.batch_status, row.batch_status)
                )
            if invoice is not None and invoice.state == PAID:
                return self.tr("发票已付清，不能再修改。")
            return ""
        if invoice is None:
            return self.tr("还没有登记这个基地的发票。")
        if action == "approve":
            if invoice.state != RECEIVED:
                return self.tr("发票已审批。") if invoice.state == APPROVED else self.tr("发票已付清。")
            if row.batch_status != BatchStatus.COMPLETED.value:
                return self.tr("批次完成后才能审批发票（要按实际发生的费用核对）。")
            if not row.expected_complete:
                return self.tr("{0}缺少价格，无法核对发票：请先在价目表中补上价格。").format(
                    self.source_text(row)
                )
            if row.unexplained_fen:
                return self.tr("还有 {0}差额没有说明：点“修改发票…”补充差额说明（金额和原因）。").format(
                    signed_yuan(row.unexplained_fen)
                )
            return ""
        if action == "pay":
            if invoice.state == RECEIVED:
                return self.tr("发票还没有审批，审批后才能付款。")
            if invoice.state == PAID:
                return self.tr("发票已付清。")
            return ""
        if action == "scan":
            return "" if invoice.scan_path else self.tr("这张发票没有扫描件：在“修改发票…”中选择扫描件。")
        if action == "delete":
            if invoice.state != RECEIVED or invoice.payments:
                return self.tr("发票已审批或已有付款，不能删除；请修改发票。")
            return ""
        return ""

    def _update_buttons(self) -> None:
        row = self.current()
        for button, action in (
            (self.invoice_button, "invoice"),
            (self.approve_button, "approve"),
            (self.pay_button, "pay"),
            (self.scan_button, "scan"),
            (self.delete_button, "delete"),
            (self.print_button, "print"),
        ):
            reason = self.why_not(action, row)
            button.setEnabled(not reason)
            button.setToolTip(reason)
        has_invoice = row is not None and row.invoice is not None
        self.invoice_button.setText(self.tr("修改发票…") if has_invoice else self.tr("登记发票…"))

    def _default_action(self) -> None:
        row = self.current()
        if row is None:
            return
        if not self.why_not("pay", row):
            self.pay()
        elif not self.why_not("invoice", row):
            self.edit_invoice()

    # --- the actions ----------------------------------------------------------------------------------------

    def edit_invoice(self) -> None:
        """登记发票… / 修改发票…: the invoice of the selected base in a dialog, its unexplained difference live."""
        row = self.current()
        if row is None or self.why_not("invoice", row):
            return
        dialog = InvoiceDialog(self, row)
        dialog.submitted.connect(lambda values: self._save_invoice(dialog, row, values))
        self.invoice_dialog = dialog
        dialog.open()

    def _save_invoice(
        self, dialog: InvoiceDialog, row: service.SettlementRow, values: dict[str, Any]
    ) -> None:
        db, batch_id, base_id, invoice = self.desk.db, row.batch_id, row.base_id, row.invoice
        data = service.InvoiceInput(
            values["number"],
            values["issued_on"],
            values["amount_fen"],
            values["tax_bp"],
            values["notes"],
            values["adjustments"],
        )
        scan = values["scan"]

        def job() -> service.InvoiceRow:
            if invoice is None:
                return service.record_invoice(db, batch_id, base_id, data, scan=scan)
            return service.update_invoice(db, invoice.id, invoice.version, data, scan=scan)

        def done(saved: service.InvoiceRow) -> None:
            dialog.accept()
            self.desk.status.emit(self.tr("{0}：发票 {1} 已保存").format(saved.base, saved.number))
            self.changed.emit()
            self.reload()

        operations.run(self, job, done, failed=dialog.refused)

    def approve(self) -> None:
        row = self.current()
        if row is None or self.why_not("approve", row) or row.invoice is None:
            return
        invoice = row.invoice
        question = sentences(
            self.tr("审批 {0} · {1} 的发票 {2}（{3} 元）？").format(
                row.batch_code, row.base, invoice.number, money(invoice.amount_fen)
            ),
            self.tr("与{0}的差额 {1} 已全部说明。").format(
                self.source_text(row), signed_yuan(row.difference_fen)
            )
            if row.difference_fen
            else self.tr("发票与{0}一致，没有差额。").format(self.source_text(row)),
        )
        if dialogs.ask(self, self.tr("审批发票"), question) != dialogs.Button.Yes:
            return
        db = self.desk.db

        def done(saved: service.InvoiceRow) -> None:
            self.desk.status.emit(self.tr("{0}：发票 {1} 已审批").format(saved.base, saved.number))
            self.changed.emit()
            self.reload()

        operations.run(
            self,
            lambda: service.approve(db, invoice.id, invoice.version),
            done,
            title=self.tr("不能审批"),
        )

    def pay(self) -> None:
        row = self.current()
        if row is None or self.why_not("pay", row) or row.invoice is None:
            return
        dialog = PayDialog(self, row)
        dialog.submitted.connect(lambda values: self._pay(dialog, row, values))
        self.pay_dialog = dialog
        dialog.open()

    def _pay(self, dialog: PayDialog, row: service.SettlementRow, values: dict[str, Any]) -> None:
        assert row.invoice is not None
        db, invoice_id = self.desk.db, row.invoice.id

        def done(saved: service.InvoiceRow) -> None:
            dialog.accept()
            self.desk.status.emit(
                self.tr("{0}：付款 {1} 元已登记").format(saved.base, money(values["payment_amount"]))
            )
            self.changed.emit()
            self.reload()

        operations.run(
            self,
            lambda: service.pay(
                db,
                invoice_id,
                paid_on=values["paid_on"],
                amount_fen=values["payment_amount"],
                reference=values["payment_reference"],
                notes=values["notes"],
            ),
            done,
            failed=operations.at_field(dialog.form, dialog, self.tr("不能付款")),
        )

    def print_sheet(self) -> None:
        """打印结算单…: the selected base's settlement sheet (结算单) made on the worker, then shown in the preview
        to print, save or open."""
        row = self.current()
        if row is None or self.why_not("print", row):
            return
        db, code, base = self.desk.db, row.batch_code, row.base
        target = file_in(data_dir() / "print", code, base, "settlement", suffix=".pdf")

        def job() -> Any:
            from recuperation.documents.render import render  # reportlab is imported when first used

            return render(db, "settlement", code, target, base=base)

        def done(result: Any) -> None:
            self.preview = PdfPreview(
                self, result.path, self.tr("{0} {1} 结算单").format(code, base), result.note()
            )
            self.preview.open()

        operations.run(self, job, done, title=self.tr("不能打印结算单"))

    @staticmethod
    def scan_file(stored: str) -> Path | None:
        """The invoice's scan as stored in the database, resolved (symlinks followed), if it lies inside the
        program's scans folder (data_dir()/scans, where saving an invoice copies its scan); else None: a path
        written into the database by other means (another program, a restored copy) is never opened."""
        folder = (data_dir() / "scans").resolve()
        try:
            target = Path(stored).resolve()
        except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL in the text
            return None
        return target if target != folder and target.is_relative_to(folder) else None

    def open_scan(self) -> None:
        row = self.current()
        if row is None or row.invoice is None or not row.invoice.scan_path:
            return
        stored = row.invoice.scan_path
        target = self.scan_file(stored)
        if target is None:
            dialogs.warn(
                self,
                self.tr("不能打开扫描件"),
                self.tr(
                    "发票 {0} 记录的扫描件 {1} 不在本程序的扫描件文件夹 {2} 中，为安全起见不打开。"
                    "请在“修改发票…”中重新选择扫描件。"
                ).format(row.invoice.number, stored, data_dir() / "scans"),
            )
        elif not target.is_file():
            dialogs.warn(
                self,
                self.tr("不能打开扫描件"),
                self.tr("发票 {0} 的扫描件 {1} 已不存在。请在“修改发票…”中重新选择扫描件。").format(
                    row.invoice.number, stored
                ),
            )
        else:
            open_file(str(target))

    def delete_invoice(self) -> None:
        row = self.current()
        if row is None or self.why_not("delete", row) or row.invoice is None:
            return
        invoice = row.invoice
        question = self.tr("删除 {0} · {1} 的发票 {2}（{3} 元）？审计日志会保留它的内容。").format(
            row.batch_code, row.base, invoice.number, money(invoice.amount_fen)
        )
        if dialogs.ask(self, self.tr("删除发票"), question) != dialogs.Button.Yes:
            return
        db = self.desk.db

        def done(_result: None) -> None:
            self.desk.status.emit(self.tr("{0}：发票 {1} 已删除").format(row.base, invoice.number))
            self.changed.emit()
            self.reload()

        operations.run(
            self,
            lambda: service.delete_invoice(db, invoice.id, invoice.version),
            done,
            title=self.tr("不能删除"),
        )


class InvoiceDialog(QDialog):
    """登记发票: number, date, amount, tax rate, scan, notes, and the lines explaining the difference from the
    expected cost, with what is left unexplained said as it is typed."""

    submitted = Signal(object)

    def __init__(self, parent: QWidget, row: service.SettlementRow):
        super().__init__(parent)
        self.row = row
        invoice = row.invoice
        #: what the invoice is checked against, by its name (never 应付: the invoice is what is paid)
        self.source = self.tr("实际费用") if row.expected_source == "actual" else self.tr("计划费用")
        self.setWindowTitle(self.tr("登记发票") if invoice is None else self.tr("修改发票"))
        self.form = FormView(
            [
                Field("invoice_number", self.tr("发票号码"), required=True, max_length=40),
                Field("issued_on", self.tr("开票日期"), "date", required=True),
                Field(
                    "amount",
                    self.tr("金额（价税合计，元）"),
                    required=True,
                    max_length=20,
                    check=money_problem,
                ),
                Field(
                    "tax", self.tr("税率"), max_length=10, check=rate_problem, placeholder=self.tr("如 6%")
                ),
                Field("notes", self.tr("备注"), "multiline", max_length=2000),
            ]
        )
        self.form.widgets["notes"].setMaximumHeight(56)
        self.form.load(
            {
                "invoice_number": invoice.number if invoice else "",
                "issued_on": invoice.issued_on
                if invoice
                else min(dt.date.today(), max(row.departure, row.arrival)),
                "amount": yuan_text(invoice.amount_fen, grouped=False) if invoice else "",
                "tax": rate_text(invoice.tax_bp) if invoice else "",
                "notes": invoice.notes if invoice else "",
            }
        )
        if invoice is None:  # the card's rate is the service's default
            self.form.widgets["tax"].setPlaceholderText(self.tr("留空：按基地价目表的税率"))  # type: ignore[attr-defined]
        self.amount_edit: QLineEdit = self.form.widgets["amount"]  # type: ignore[assignment]
        self.amount_edit.textChanged.connect(self.update_remainder)
        # the scan: a file chosen here is copied into the data folder when the invoice is saved
        self.scan_edit = QLineEdit()
        self.scan_edit.setObjectName("scan")
        self.scan_edit.setPlaceholderText(
            self.tr("已有扫描件（选择新文件可替换）") if invoice and invoice.scan_path else self.tr("未选择")
        )
        browse = QPushButton(self.tr("选择…"))
        browse.clicked.connect(self.choose_scan)
        scan_row = QHBoxLayout()
        scan_row.addWidget(QLabel(self.tr("扫描件")))
        scan_row.addWidget(self.scan_edit, 1)
        scan_row.addWidget(browse)
        self.scan_error = wrapping(QLabel())
        self.scan_error.setStyleSheet("color: #b02a37;")
        self.scan_error.hide()
        # the adjustments, and what they leave unexplained
        self.remainder = wrapping(QLabel())
        self.remainder.setObjectName("remainder")
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("adjustments")
        self.table.setHorizontalHeaderLabels([self.tr("金额（元，少收为负）"), self.tr("原因")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(
            0, max(140, header_width(self.table, self.table.horizontalHeaderItem(0).text()))
        )
        self.table.setMinimumHeight(100)
        for adjustment in invoice.adjustments if invoice else ():
            self.add_adjustment(signed(adjustment.amount_fen), adjustment.reason)
        self.table.itemChanged.connect(lambda _item: self.update_remainder())
        add = QPushButton(self.tr("添加一行"))
        add.clicked.connect(lambda: self.add_adjustment())
        remove = QPushButton(self.tr("删除所选行"))
        remove.clicked.connect(self.remove_adjustment)
        grid_buttons = QHBoxLayout()
        grid_buttons.addWidget(add)
        grid_buttons.addWidget(remove)
        grid_buttons.addStretch(1)
        self.adjust_error = wrapping(QLabel())
        self.adjust_error.setStyleSheet("color: #b02a37;")
        self.adjust_error.hide()
        heading = wrapping(
            QLabel(
                self.tr("{0} · {1}：{2} {3} 元").format(
                    row.batch_code,
                    row.base,
                    self.source,
                    money(row.expected_fen),
                )
            )
        )
        note = wrapping(QLabel())
        note.setObjectName("approval_note")
        note.setStyleSheet("color: #8a6d00;")
        if invoice is not None and invoice.state == APPROVED:
            note.setText(self.tr("发票已审批：修改号码、日期、金额、税率或差额说明后需要重新审批。"))
        note.setVisible(bool(note.text()))
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._submit)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        content = QWidget()
        box = QVBoxLayout(content)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.form)
        box.addLayout(scan_row)
        box.addWidget(self.scan_error)
        box.addWidget(QLabel(self.tr("差额说明（发票金额与{0}不同时，逐行写明原因）").format(self.source)))
        box.addWidget(self.table, 1)
        box.addLayout(grid_buttons)
        box.addWidget(self.adjust_error)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addWidget(scrolling(content), 1)
        layout.addWidget(self.remainder)
        layout.addLayout(buttons)
        self.update_remainder()
        fit_to_screen(self, 640, 680)

    # --- the grid ---------------------------------------------------------------------------------------------

    def add_adjustment(self, amount: str = "", reason: str = "") -> None:
        """A line of the grid (the button, and tests)."""
        blocked = self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        money_cell = QTableWidgetItem(amount)
        money_cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, 0, money_cell)
        self.table.setItem(row, 1, QTableWidgetItem(reason))
        self.table.blockSignals(blocked)
        self.update_remainder()

    def remove_adjustment(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self.update_remainder()

    def set_adjustment(self, row: int, amount: str, reason: str) -> None:
        """Type into a line as a user does (tests)."""
        self.table.item(row, 0).setText(amount)
        self.table.item(row, 1).setText(reason)

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def read_adjustments(self) -> tuple[list[service.AdjustmentInput], str]:
        """The lines typed (blank ones left out) and the first problem (empty: none)."""
        found: list[service.AdjustmentInput] = []
        for row in range(self.table.rowCount()):
            amount, reason = self._cell(row, 0), self._cell(row, 1)
            if not amount and not reason:
                continue
            try:
                fen = service.parse_signed_yuan(amount)
            except MoneyError as exc:
                return found, self.tr("第 {0} 行：{1}").format(
                    row + 1, messages.text(exc.key, value=exc.value)
                )
            if not reason:
                return found, self.tr("第 {0} 行：请写明原因，如“加用会议室半天”。").format(row + 1)
            found.append(service.AdjustmentInput(fen, reason))
        return found, ""

    def update_remainder(self) -> None:
        """What the lines leave unexplained, as they are typed."""
        row = self.row
        try:
            amount: int | None = parse_yuan(self.amount_edit.text())
        except MoneyError:
            amount = None
        lines, _problem = self.read_adjustments()
        explained = sum(line.amount_fen for line in lines)
        if amount is None:
            self.remainder.setText(
                self.tr("已说明 {0}；填写发票金额后计算差额。").format(signed_yuan(explained))
            )
            self.remainder.setStyleSheet("color: #343a40;")
            return
        difference = amount - row.expected_fen
        rest = difference - explained
        self.remainder.setText(  # the expected cost by its name (实际费用, 计划费用): the invoice is what is paid
            self.tr("发票 {0} 元 − {1} {2} 元 = 差额 {3}；已说明 {4}，未说明 {5}").format(
                money(amount),
                self.source,
                money(row.expected_fen),
                signed_yuan(difference),
                signed_yuan(explained),
                signed_yuan(rest),
            )
        )
        self.remainder.setStyleSheet("color: #0f5132;" if rest == 0 else "color: #b02a37;")
        self.unexplained_fen = rest

    unexplained_fen: int | None = None

    def choose_scan(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("选择发票扫描件"),
            "",
            self.tr("扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.ofd);;所有文件 (*)"),
        )
        if name:
            self.scan_edit.setText(name)

    # --- saving -------------------------------------------------------------------------------------------------

    def values(self) -> dict[str, Any] | None:
        """What to save, or None (each problem shown where it is)."""
        self.adjust_error.hide()
        self.scan_error.hide()
        valid = self.form.validate()
        lines, problem = self.read_adjustments()
        if problem:
            self.adjust_error.setText(problem)
            self.adjust_error.show()
        if not valid or problem:
            return None
        form = self.form.values()
        tax = form["tax"].strip()
        scan = self.scan_edit.text().strip()
        return {
            "number": form["invoice_number"],
            "issued_on": form["issued_on"],
            "amount_fen": parse_yuan(form["amount"]),
            "tax_bp": parse_rate_bp(tax) if tax else (self.row.invoice.tax_bp if self.row.invoice else None),
            "notes": form["notes"],
            "adjustments": tuple(lines),
            "scan": Path(scan) if scan else None,
        }

    def refused(self, exc: BaseException) -> None:
        """The service refused: at the field it names, at the grid or the scan, else in a dialog."""
        if isinstance(exc, DomainError) and exc.field in self.form.fields:
            self.form.set_error(exc.field, exc.message)
        elif isinstance(exc, DomainError) and exc.field == "adjustments":
            self.adjust_error.setText(exc.message)
            self.adjust_error.show()
        elif isinstance(exc, DomainError) and exc.field == "scan":
            self.scan_error.setText(exc.message)
            self.scan_error.show()
        else:
            operations.show_failure(self, exc, self.tr("不能保存发票"))

    def _submit(self) -> None:
        values = self.values()
        if values is not None:
            self.submitted.emit(values)


class PayDialog(QDialog):
    """付款…: the date, the amount (the outstanding by default), the bank's reference."""

    submitted = Signal(object)

    def __init__(self, parent: QWidget, row: service.SettlementRow):
        super().__init__(parent)
        assert row.invoice is not None
        self.row = row
        invoice = row.invoice
        self.setWindowTitle(self.tr("登记付款"))
        self.form = FormView(
            [
                Field("paid_on", self.tr("付款日期"), "date", required=True),
                Field(
                    "payment_amount",
                    self.tr("付款金额（元）"),
                    required=True,
                    max_length=20,
                    check=money_problem,
                ),
                Field("payment_reference", self.tr("付款凭证号"), required=True, max_length=60),
                Field("notes", self.tr("备注"), "multiline", max_length=400),
            ]
        )
        self.form.widgets["notes"].setMaximumHeight(56)
        self.form.load(
            {
                "paid_on": dt.date.today(),
                "payment_amount": yuan_text(invoice.outstanding_fen, grouped=False),
                "payment_reference": "",
                "notes": "",
            }
        )
        heading = wrapping(
            QLabel(
                self.tr("{0} · {1}：发票 {2}，{3} 元，已付 {4} 元，还应付 {5} 元").format(
                    row.batch_code,
                    row.base,
                    invoice.number,
                    money(invoice.amount_fen),
                    money(invoice.paid_fen),
                    money(invoice.outstanding_fen),
                )
            )
        )
        self.save_button = QPushButton(self.tr("登记付款"))
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
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addLayout(buttons)
        fit_to_screen(self, max(self.sizeHint().width(), 480), self.sizeHint().height())

    def _submit(self) -> None:
        if self.form.validate():
            values = self.form.values()
            values["payment_amount"] = parse_yuan(values["payment_amount"])
            self.submitted.emit(values)
