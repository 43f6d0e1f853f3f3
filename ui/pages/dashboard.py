"""总览: the year so far against the same date last year, arrivals coming, and what needs attention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QSplitter, QTableView, QWidget

from recuperation.db import Database
from recuperation.services import bases as base_service
from recuperation.services import batches as batch_service
from recuperation.services import partners as partner_service
from recuperation.services.checks import bad_id_numbers, overbooked_nights
from recuperation.services.statistics import (
    Period,
    PeriodStats,
    period_stats,
    utilisation,
    years_with_records,
)
from ui import labels
from ui.desk import Desk
from ui.i18n import format_date
from ui.pages.base import Page
from ui.pages.statistics import figure_label, make_view
from ui.widgets.charts import monthly_chart, ranking_chart
from ui.widgets.table import BAD, ROW_ROLE, WARN, Column, RowTableModel

UPCOMING_DAYS = 14
ROSTER_DUE_DAYS = 7  # a batch arriving within a week should have its roster


@dataclass(frozen=True)
class Alert:
    kind: str  # agreement, certification, capacity, roster, id_number
    subject: str
    detail: str
    day: dt.date | None
    severe: bool
    page: str = ""  # where double-clicking opens the record
    key: int | None = None
    text: str = ""  # a ready message (for rules that carry their numbers)


@dataclass(frozen=True)
class DashboardData:
    reference: dt.date
    this_year: PeriodStats | None
    last_year: PeriodStats | None
    upcoming: list[Any]
    alerts: list[Alert]
    occupancy: list[Any]


def collect(db: Database, today: dt.date) -> DashboardData:
    """Everything the dashboard shows, in one job on the worker.

    The reference day is today when this year has data; otherwise the same calendar day in the latest year
    that has data (a demo or an archive), so the page still compares like with like.
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
    end = reference + dt.timedelta(days=UPCOMING_DAYS)
    upcoming = [
        b
        for b in batch_service.list_batches(db, year=reference.year)
        if reference <= b.arrival <= end and b.status != "cancelled"
    ]
    if end.year != reference.year:
        upcoming += [
            b
            for b in batch_service.list_batches(db, year=end.year)
            if b.arrival <= end and b.status != "cancelled"
        ]
    alerts: list[Alert] = []
    for partner in partner_service.list_partners(db, expiring_within=partner_service.EXPIRY_WARNING_DAYS):
        alerts.append(
            Alert(
                "agreement",
                partner.name,
                "agreement_expiring",
                partner.agreement_end,
                False,
                "agreements",
                partner.id,
            )
        )
    for agreement in partner_service.list_agreements(db, year=today.year):
        over = (agreement.quota_batches is not None and agreement.used_batches > agreement.quota_batches) or (
            agreement.quota_people is not None and agreement.used_people > agreement.quota_people
        )
        if over:
            alerts.append(
                Alert(
                    "agreement",
                    f"{agreement.partner} {agreement.number}",
                    "quota_over",
                    None,
                    True,
                    "agreements",
                    agreement.partner_id,
                )
            )
    for base in base_service.list_bases(db):
        state = base.cert_state(today)
        if state in ("lapsing", "recheck_due"):
            when = base.cert_valid_to if state == "lapsing" else base.cert_recheck_due
            alerts.append(
                Alert("certification", base.name, state, when, state == "lapsing", "bases", base.id)
            )
    base_ids = {b.name: b.id for b in base_service.list_bases(db, include_archived=True)}
    for problem in overbooked_nights(db, since=today):
        base_name = problem.record.rsplit(" ", 1)[0]
        alerts.append(
            Alert(
                "capacity",
                problem.record,
                "overbooked",
                None,
                True,
                "bases",
                base_ids.get(base_name),
                problem.message,
            )
        )
    soon = today + dt.timedelta(days=ROSTER_DUE_DAYS)
    for batch in batch_service.list_batches(db, year=today.year) + (
        batch_service.list_batches(db, year=soon.year) if soon.year != today.year else []
    ):
        if today <= batch.arrival <= soon and batch.roster_count == 0 and batch.status != "cancelled":
            alerts.append(Alert("roster", batch.code, "no_roster", batch.arrival, False, "batches", batch.id))
    for problem in bad_id_numbers(db, since=today):
        found = batch_service.find_batch(db, problem.record.split(" ", 1)[0])
        alerts.append(
            Alert(
                "id_number",
                problem.record,
                "bad_id",
                None,
                True,
                "batches",
                found.id if found else None,
                problem.message,
            )
        )
    occupancy_start = reference.replace(day=1)
    occupancy_end = (occupancy_start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    occupancy = utilisation(db, Period(occupancy_start, occupancy_end)) if years else []
    return DashboardData(reference, this_year, last_year, upcoming, alerts, occupancy)


class DashboardPage(Page):
    name = "dashboard"
    open_record = Signal(str, int)  # page name, record id

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.busy = 0
        self.data: DashboardData | None = None
        self.caption = QLabel()
        self.caption.setStyleSheet("font-size: 15px; font-weight: 600;")
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
                Column(self.tr("类型"), lambda b: kinds.get(b.kind, b.kind), width=60),
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
                ),
                Column(self.tr("对象"), lambda a: a.subject, width=200),
                Column(self.tr("说明"), lambda a: self.alert_text(a), width=170),
                Column(self.tr("日期"), lambda a: a.day),
            ],
            key=lambda a: (a.kind, a.subject),
        )
        self.upcoming_view = make_view(self.upcoming)
        self.alert_view = make_view(self.alerts)
        upcoming_box = QGroupBox(self.tr("未来两周到达"))
        upcoming_box.setLayout(QGridLayout())
        upcoming_box.layout().addWidget(self.upcoming_view)  # type: ignore[union-attr]
        alert_box = QGroupBox(self.tr("需要关注"))
        alert_box.setLayout(QGridLayout())
        alert_box.layout().addWidget(self.alert_view)  # type: ignore[union-attr]
        split = QSplitter()
        split.addWidget(upcoming_box)
        split.addWidget(alert_box)
        self.charts = QHBoxLayout()
        self.layout_.addWidget(self.caption)
        self.layout_.addWidget(box)
        self.layout_.addLayout(self.charts)
        self.layout_.addWidget(split, 1)
        self.alert_view.doubleClicked.connect(self._open_alert)

    def alert_kind(self, alert: Alert) -> str:
        return {
            "agreement": self.tr("合作协议"),
            "certification": self.tr("基地认定"),
            "capacity": self.tr("床位超订"),
            "roster": self.tr("缺少名单"),
            "id_number": self.tr("名单错误"),
        }.get(alert.kind, alert.kind)

    def alert_text(self, alert: Alert) -> str:
        return alert.text or {
            "agreement_expiring": self.tr("协议 60 天内到期"),
            "quota_over": self.tr("今年已超出配额"),
            "lapsing": self.tr("认定 60 天内到期"),
            "recheck_due": self.tr("60 天内需复核"),
            "no_roster": self.tr("一周内到达，尚无名单"),
        }.get(alert.detail, alert.detail)

    def refresh(self) -> None:
        db, today = self.desk.db, dt.date.today()
        self.busy += 1

        def done(data: DashboardData) -> None:
            self.busy -= 1
            self.show_data(data)

        self.desk.worker.run(lambda: collect(db, today), done, owner=self)

    def show_data(self, data: DashboardData) -> None:
        self.data = data
        if data.this_year is None:
            self.caption.setText(
                self.tr("数据库中还没有批次。可在“设置”中载入演示数据，或运行 recuperation demo。")
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
                self.previous[key].setText(f"（{before:,}）")
        self.upcoming.set_rows(data.upcoming)
        self.alerts.set_rows(data.alerts)
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
                self.tr("{0}月基地床位利用率").format(data.reference.month),
                percent=True,
            ),
            3,
        )

    def _open_alert(self, index: Any) -> None:
        alert = index.data(ROW_ROLE)
        if alert is not None and alert.page and alert.key is not None:
            self.open_record.emit(alert.page, alert.key)

    def loaded(self) -> bool:
        return self.activated and self.busy == 0 and self.data is not None

    def print_view(self) -> QTableView:
        return self.upcoming_view

    def focus_search(self) -> None:
        self.upcoming_view.setFocus()
