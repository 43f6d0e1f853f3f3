"""总览: the year so far against the same date last year, arrivals coming, and what needs attention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QWidget,
)

from recuperation.labels import labels as core_labels
from recuperation.services import orders as order_service
from recuperation.services.alerts import Alert, collect_alerts
from recuperation.services.batch import batches as batch_service
from recuperation.services.policy import get_policy
from recuperation.services.statistics import (
    Period,
    PeriodStats,
    period_stats,
    utilisation,
    years_with_records,
)
from recuperation.storage.database import Database
from ui import labels, operations
from ui.desk import Desk
from ui.i18n import format_date
from ui.pages.base import Page
from ui.pages.statistics import figure_label, make_view
from ui.widgets.charts import monthly_chart, ranking_chart
from ui.widgets.table import BAD, ROW_ROLE, WARN, Column, RowTableModel

UPCOMING_DAYS = 14
#: A batch arriving within this many days whose base has not confirmed its order is listed.
ORDER_ARRIVAL_DAYS = 7
#: How far ahead orders waiting for an answer are looked for (batches staying from today to this many days on).
ORDERS_AHEAD = 366
#: Where double-clicking an alert opens its record.
ALERT_PAGES = {"partner": "agreements", "base": "bases", "batch": "batches"}


@dataclass(frozen=True)
class OrderDue:
    """An order on the overview: ``kind`` "arriving" (the batch arrives within a week and the base has not
    confirmed) or "waiting" (sent, no answer for longer than the policy allows); ``days`` until the arrival
    or waited."""

    kind: str
    days: int
    order: order_service.OrderRow

    @property
    def key(self) -> tuple[int, int]:
        return (self.order.batch_id, self.order.base_id)


def orders_due(db: Database, today: dt.date) -> list[OrderDue]:
    """On the worker: the orders of live batches from ``today`` on that need the coordinator: a base that has
    not confirmed a batch arriving within :data:`ORDER_ARRIVAL_DAYS`, and orders waiting for an answer longer
    than the policy's ``order_answer_days``.  Soonest arrival first."""
    wait = get_policy(db).order_answer_days
    due: list[OrderDue] = []
    for row in order_service.list_orders(
        db,
        first=today,
        last=today + dt.timedelta(days=ORDERS_AHEAD),
        batch_states=order_service.LIVE_BATCHES,
    ):
        if not row.open:  # answered, or a base the batch no longer uses (a cancellation is the alerts')
            continue
        until = (row.arrival - today).days
        if 0 <= until <= ORDER_ARRIVAL_DAYS:
            due.append(OrderDue("arriving", until, row))
        elif row.waiting_days(today) > wait:
            due.append(OrderDue("waiting", row.waiting_days(today), row))
    due.sort(key=lambda d: (d.order.arrival, d.order.batch, d.order.base))
    return due


@dataclass(frozen=True)
class DashboardData:
    reference: dt.date
    this_year: PeriodStats | None
    last_year: PeriodStats | None
    upcoming: list[Any]
    alerts: list[Alert]
    occupancy: list[Any]
    today: dt.date  # the real today: the arrivals (upcoming) are from it on, whatever year ``reference`` is
    orders: list[OrderDue] = field(default_factory=list)


def collect(db: Database, today: dt.date) -> DashboardData:
    """Everything the dashboard shows, in one job on the worker.

    The reference day is today when this year has data; otherwise the same calendar day in the latest year
    that has data (a demo or an archive), so the page still compares like with like.  The arrivals and the
    alerts are always from the real ``today`` on: a past year's arrivals are not coming.
    """
    years = years_with_records(db)
    year = today.year if today.year in years or not years else years[-1]
    try:
        reference = today.replace(year=year)
    except ValueError:
        reference = dt.date(year, 2, 28)
    this_year = period_stats(db, Period.year(year, reference)) if years else None
    try:
        last_day = reference.replace(year=year - 1)
    except ValueError:
        last_day = dt.date(year - 1, 2, 28)
    last_year = period_stats(db, Period.year(year - 1, last_day)) if years else None
    end = today + dt.timedelta(days=UPCOMING_DAYS)
    upcoming = [
        b
        for b in batch_service.list_batches(db, year=today.year)
        if today <= b.arrival <= end and b.status != "cancelled"
    ]
    if end.year != today.year:
        upcoming += [
            b
            for b in batch_service.list_batches(db, year=end.year)
            if b.arrival <= end and b.status != "cancelled"
        ]
    alerts = collect_alerts(db, today)  # the same list as `recuperation alerts`
    occupancy_start = reference.replace(day=1)
    occupancy_end = (occupancy_start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    occupancy = utilisation(db, Period(occupancy_start, occupancy_end)) if years else []
    orders = orders_due(db, today)
    return DashboardData(reference, this_year, last_year, upcoming, alerts, occupancy, today, orders)


def _empty_note(text: str) -> QLabel:
    note = QLabel(text)
    note.setAlignment(Qt.AlignmentFlag.AlignCenter)
    note.setWordWrap(True)
    note.setStyleSheet("color: #5f6368; padding: 24px;")
    note.hide()
    return note


class DashboardPage(Page):
    name = "dashboard"
    right = None  # it only reads
    open_record = Signal(str, int)  # page name, record id

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.busy = 0
        self.data: DashboardData | None = None
        self.caption = QLabel()
        self.caption.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.caption.setWordWrap(True)
        box = QGroupBox(self.tr("今年至今（括号内为去年同期）"))
        grid = QGridLayout(box)
        self.figures: dict[str, QLabel] = {}
        self.previous: dict[str, QLabel] = {}
        names = [
            ("batches", self.tr("疗休养批次")),
            ("people", self.tr("人次")),
            ("person_days", self.tr("人天")),
            ("training_classes", self.tr("培训班")),
            ("conferences", self.tr("会议")),
        ]
        for i, (key, title) in enumerate(names):
            self.figures[key] = figure_label()
            self.figures[key].setObjectName(f"figure_{key}")
            self.previous[key] = QLabel()
            grid.addWidget(QLabel(title), 0, i)
            grid.addWidget(self.figures[key], 1, i)
            grid.addWidget(self.previous[key], 2, i)
        kinds = labels.batch_kinds()
        self.upcoming = RowTableModel(
            [
                Column(self.tr("到达"), lambda b: b.arrival, width=110),
                Column(self.tr("编号"), lambda b: b.code, width=100),
                Column(self.tr("类型"), lambda b: kinds.get(b.kind, b.kind), fits=list(kinds.values())),
                Column(self.tr("合作单位"), lambda b: b.partner, width=170),
                Column(self.tr("线路"), lambda b: b.route, width=150),
                Column(self.tr("人数"), lambda b: b.people, right=True),
            ]
        )
        self.alerts = RowTableModel(
            [
                Column(
                    self.tr("事项"),
                    lambda a: self.alert_kind(a),
                    width=90,
                    background=lambda a: BAD if a.severe else WARN,
                    # severe ones first whatever their kind, then by kind, each kind by date
                    sort=lambda a: (not a.severe, self.alert_kind(a), a.day or dt.date.max),
                ),
                Column(self.tr("日期"), lambda a: a.day, width=110),
                Column(self.tr("对象"), lambda a: a.subject, width=160, tooltip=lambda a: a.subject),
                # The last column stretches and wraps: a rule's message is a sentence, read whole.
                Column(self.tr("说明"), lambda a: a.message, tooltip=lambda a: a.message),
            ],
            key=lambda a: (a.rule, a.table, a.key, a.day, a.subject),
        )
        states = _order_states()
        self.orders = RowTableModel(
            [
                # what is due, coloured as the alerts are: a batch arriving (red), an answer late (yellow)
                Column(
                    self.tr("事项"),
                    self.order_note,
                    sort=lambda d: (d.kind != "arriving", d.order.arrival.isoformat(), d.order.batch),
                    fits=[self.due_text(k, 7) for k in ("arriving", "waiting")],
                    background=lambda d: BAD if d.kind == "arriving" else WARN,
                    tooltip=self.order_tip,
                ),
                Column(self.tr("批次"), lambda d: d.order.batch, fits=("L2028-0000",)),
                Column(self.tr("基地"), lambda d: d.order.base, width=130, tooltip=self.order_tip),
                Column(
                    self.tr("预订单"),
                    lambda d: states.get(d.order.state, d.order.state),
                    fits=list(states.values()),
                    tooltip=self.order_tip,
                ),
                Column(self.tr("到达"), lambda d: d.order.arrival),
            ],
            key=lambda d: d.key,
        )
        self.upcoming_view = make_view(self.upcoming)
        self.order_view = make_view(self.orders)
        self.order_view.setObjectName("orders_due")
        self.alert_view = make_view(self.alerts)
        self.alert_view.setWordWrap(True)
        self.alert_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        upcoming_box = QGroupBox(self.tr("未来两周到达"))
        upcoming_box.setLayout(QGridLayout())
        upcoming_box.layout().addWidget(self.upcoming_view)  # type: ignore[union-attr]
        self.no_upcoming = _empty_note(self.tr("未来两周没有批次到达。"))
        upcoming_box.layout().addWidget(self.no_upcoming)  # type: ignore[union-attr]
        orders_box = QGroupBox(self.tr("预订单：等待基地确认"))
        orders_box.setLayout(QGridLayout())
        orders_box.layout().addWidget(self.order_view)  # type: ignore[union-attr]
        self.no_orders = _empty_note(
            self.tr("没有需要催办的预订单：一周内到达的批次各基地都已确认，也没有等待回复过久的预订单。")
        )
        orders_box.layout().addWidget(self.no_orders)  # type: ignore[union-attr]
        alert_box = QGroupBox(self.tr("需要关注"))
        alert_box.setLayout(QGridLayout())
        alert_box.layout().addWidget(self.alert_view)  # type: ignore[union-attr]
        self.no_alerts = _empty_note(
            self.tr("没有需要关注的事项：协议、认定、床位、名单和证件号都没有问题。")
        )
        alert_box.layout().addWidget(self.no_alerts)  # type: ignore[union-attr]
        left = QSplitter(Qt.Orientation.Vertical)  # arrivals, and the orders the bases have not confirmed
        left.addWidget(upcoming_box)
        left.addWidget(orders_box)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(alert_box)
        self.charts = QHBoxLayout()
        self.layout_.addWidget(self.caption)
        self.layout_.addWidget(box)
        self.layout_.addLayout(self.charts)
        self.layout_.addWidget(split, 1)
        self.alert_view.doubleClicked.connect(self._open_alert)
        self.order_view.doubleClicked.connect(self._open_order)
        self.upcoming_view.doubleClicked.connect(self._open_arrival)

    def alert_kind(self, alert: Alert) -> str:
        return {
            "agreement": self.tr("合作协议"),
            "certification": self.tr("基地认定"),
            "capacity": self.tr("床位超订"),
            "roster": self.tr("缺少名单"),
            "id_number": self.tr("名单错误"),
            "order": self.tr("预订单"),
            "settlement": self.tr("结算"),
            "insurance": self.tr("保险"),
            "incident": self.tr("事件"),
        }.get(alert.category, alert.category)

    def order_note(self, due: OrderDue) -> str:
        return self.due_text(due.kind, due.days)

    def due_text(self, kind: str, days: int) -> str:
        """An arrival the base has not confirmed (in how many days), or an answer late (waited how long)."""
        if kind == "arriving":
            if days == 0:
                return self.tr("今天到达")
            return self.tr("%n 天后到达", "days until a batch arrives whose base has not confirmed", days)
        return self.tr("已等待回复 %n 天", "days an order has waited", days)

    def order_tip(self, due: OrderDue) -> str:
        row = due.order
        lines = [
            f"{row.batch} {row.partner}",
            self.tr("{0}：{1}", "a base and its order's state").format(row.base, row.state_label),
            self.order_note(due)
            + (self.tr("，基地未确认", "after the days until arrival") if due.kind == "arriving" else ""),
        ]
        if row.change_text:
            lines.append(row.change_text)
        if row.reason:
            lines.append(self.tr("拒绝原因：{0}").format(row.reason))
        lines.append(self.tr("双击打开批次"))
        return "\n".join(lines)

    def refresh(self) -> None:
        db, today = self.desk.db, dt.date.today()
        operations.run(self, lambda: collect(db, today), self.show_data)

    def show_data(self, data: DashboardData) -> None:
        self.data = data
        if data.this_year is None:
            self.caption.setText(
                self.tr(
                    "数据库中还没有批次。可以用“文件 → 开始使用向导…”（“设置”页也有这个按钮）载入演示年份"
                    "（仅限空数据库）或导入现有的 Excel 登记表，也可以在“批次”页新建批次。"
                )
            )
        else:
            self.caption.setText(
                self.tr("{0}年1月1日至{1}").format(data.reference.year, format_date(data.reference))
                if data.reference.year == dt.date.today().year
                else self.tr("今年还没有数据；显示数据中最近的年份：{0}年1月1日至{1}").format(
                    data.reference.year, format_date(data.reference)
                )
            )
            for key, label in self.figures.items():
                label.setText(f"{getattr(data.this_year, key):,}")
                before = getattr(data.last_year, key) if data.last_year else 0
                self.previous[key].setText(
                    self.tr("（{0}）", "last year's figure in brackets").format(f"{before:,}")
                )
        self.upcoming.set_rows(data.upcoming)
        self.alerts.set_rows(data.alerts)
        self.orders.set_rows(data.orders)
        self.order_view.setVisible(bool(data.orders))
        self.no_orders.setVisible(not data.orders)
        # An empty list says so in words instead of showing a blank table.
        self.upcoming_view.setVisible(bool(data.upcoming))
        self.no_upcoming.setVisible(not data.upcoming)
        self.alert_view.setVisible(bool(data.alerts))
        self.no_alerts.setVisible(not data.alerts)
        self._draw_charts(data)

    def _draw_charts(self, data: DashboardData) -> None:
        while self.charts.count():
            item = self.charts.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        if data.this_year is None:
            return
        stats = data.this_year
        self.charts.addWidget(
            monthly_chart(
                [m.batches for m in stats.by_month],
                [m.people for m in stats.by_month],
                self.tr("{0}年每月批次与人次").format(data.reference.year),
            ),
            4,
        )
        self.charts.addWidget(
            ranking_chart(
                [p.partner for p in stats.by_partner],
                [p.people for p in stats.by_partner],
                self.tr("人次最多的合作单位"),
            ),
            3,
        )
        self.charts.addWidget(
            ranking_chart(
                [u.base for u in data.occupancy],
                [u.rate for u in data.occupancy],
                # {1}: the month's name, for the languages that name it (English: “Bed use by base in December”)
                self.tr("{0}月基地床位利用率").format(
                    data.reference.month, QLocale().standaloneMonthName(data.reference.month)
                ),
                percent=True,
            ),
            3,
        )

    def _open_alert(self, index: Any) -> None:
        alert = index.data(ROW_ROLE)
        if alert is not None and alert.table in ALERT_PAGES and alert.key is not None:
            self.open_record.emit(ALERT_PAGES[alert.table], alert.key)

    def _open_order(self, index: Any) -> None:
        due = index.data(ROW_ROLE)
        if due is not None:
            self.open_record.emit("batches", due.order.batch_id)

    def _open_arrival(self, index: Any) -> None:
        batch = index.data(ROW_ROLE)
        if batch is not None:
            self.open_record.emit("batches", batch.id)

    def loaded(self) -> bool:
        return self.activated and self.busy == 0 and self.data is not None

    def print_view(self) -> QTableView:
        if self.order_view.hasFocus():
            return self.order_view
        return self.alert_view if self.alert_view.hasFocus() else self.upcoming_view

    def print_subtitle(self) -> str:
        if self.print_view() is self.alert_view:
            return self.tr("需要关注")
        if self.print_view() is self.order_view:
            return self.tr("预订单：等待基地确认")
        if self.data is None:
            return self.tr("未来两周到达")
        start = self.data.today
        return self.tr("未来两周到达（{0} – {1}）").format(
            format_date(start), format_date(start + dt.timedelta(days=UPCOMING_DAYS))
        )

    def focus_search(self) -> None:
        self.upcoming_view.setFocus()


def _order_states() -> dict[str, str]:
    """The labels of an order's states (the core's catalogue; ``ui/labels.py`` has no function for them)."""
    return core_labels("order_state")
