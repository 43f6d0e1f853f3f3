"""批次: the batches with their filters; the selected batch's facts and the rules that fire on it.

Editing batches, rosters and the planner come with the batches issue; this page lists and explains.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTextBrowser, QWidget

from recuperation.db import Database
from recuperation.people import mask_phone
from recuperation.services import batches as service
from recuperation.services.statistics import years_with_records
from ui import labels
from ui.desk import Desk
from ui.i18n import format_date
from ui.pages.base import Page
from ui.pages.roster import RosterView
from ui.widgets.form import Field
from ui.widgets.record_panel import RecordPanel
from ui.widgets.table import BAD, Column

STATUS_COLOURS = {"cancelled": BAD}


class BatchesPanel(RecordPanel):
    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.year = QComboBox()
        self.year.addItem(self.tr("全部年份"), None)
        self.status = QComboBox()
        self.status.addItem(self.tr("全部状态"), None)
        for value, label in labels.batch_statuses().items():
            self.status.addItem(label, value)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("全部类型"), None)
        for value, label in labels.batch_kinds().items():
            self.kind.addItem(label, value)
        for combo in (self.year, self.status, self.kind):
            combo.currentIndexChanged.connect(self._apply_filters)
            self.filters.addWidget(combo)
        self.new_button.hide()
        self.delete_button.hide()
        self.tabs.removeTab(0)
        self.detail = QTextBrowser()
        self.tabs.addTab(self.detail, self.tr("批次详情"))
        self.roster = RosterView(desk)
        self.tabs.addTab(self.roster, self.tr("名单"))
        self.current_changed.connect(self._show_detail)
        self.current_changed.connect(self.roster.set_batch)
        self.roster.changed.connect(self.refresh)
        self._years_loaded = False
        self.view.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # by arrival
        self.splitter.setSizes([960, 400])

    def columns(self) -> list[Column]:
        kinds, statuses = labels.batch_kinds(), labels.batch_statuses()
        return [
            Column(self.tr("编号"), lambda b: b.code, width=100),
            Column(self.tr("类型"), lambda b: kinds.get(b.kind, b.kind), width=60),
            Column(self.tr("合作单位"), lambda b: b.partner, width=170),
            Column(self.tr("线路"), lambda b: b.route, width=150),
            Column(self.tr("到达"), lambda b: b.arrival, width=110),
            Column(self.tr("离开"), lambda b: b.departure, width=110),
            Column(self.tr("天数"), lambda b: b.days, right=True, width=45),
            Column(self.tr("计划人数"), lambda b: b.headcount, right=True, width=70),
            Column(self.tr("名单人数"), lambda b: b.roster_count, right=True, width=70),
            Column(
                self.tr("状态"),
                lambda b: statuses.get(b.status, b.status),
                width=70,
                background=lambda b: STATUS_COLOURS.get(b.status),
            ),
            Column(self.tr("领队"), lambda b: b.leader, width=70),
            Column(self.tr("导游"), lambda b: b.guide),
        ]

    def fields(self) -> list[Field]:
        return []

    def can_edit(self) -> bool:
        return False

    def label(self, row: Any) -> str:
        return row.code

    def fetch(self, db: Database, **args: Any) -> list[Any]:
        years = years_with_records(db)
        rows = service.list_batches(db)
        self._years = years
        return rows

    def _show_rows(self, rows: list[Any], select_key: Any) -> None:
        if not self._years_loaded:
            self._years_loaded = True
            blocked = self.year.blockSignals(True)
            for year in reversed(getattr(self, "_years", [])):
                self.year.addItem(str(year), year)
            today_year = dt.date.today().year
            index = self.year.findData(today_year)
            self.year.setCurrentIndex(index if index >= 0 else min(1, self.year.count() - 1))
            self.year.blockSignals(blocked)
            self._apply_filters()
        super()._show_rows(rows, select_key)

    def _apply_filters(self, *_args: object) -> None:
        year, status, kind = self.year.currentData(), self.status.currentData(), self.kind.currentData()

        def keep(b: Any) -> bool:
            return (
                (year is None or b.arrival.year == year)
                and (status is None or b.status == status)
                and (kind is None or b.kind == kind)
            )

        self.proxy.set_predicate(keep)

    def _show_detail(self, row: Any) -> None:
        if row is None:
            self.detail.clear()
            return
        db = self.desk.db
        self._run(lambda: service.get_batch(db, row.id), self._render)

    def _render(self, batch: Any) -> None:
        kinds, statuses = labels.batch_kinds(), labels.batch_statuses()
        e = html.escape
        facts = [
            (self.tr("合作单位"), batch.partner),
            (self.tr("类型"), kinds.get(batch.kind, batch.kind)),
            (self.tr("线路"), batch.route or "—"),
            (
                self.tr("日期"),
                f"{format_date(batch.arrival)} – {format_date(batch.departure)}"
                + self.tr("（{0} 天）").format(batch.days),
            ),
            (self.tr("计划人数"), str(batch.headcount)),
            (self.tr("名单人数"), str(batch.roster_count)),
            (self.tr("状态"), statuses.get(batch.status, batch.status)),
            (self.tr("领队"), f"{batch.leader} {mask_phone(batch.leader_phone)}".strip()),
            (self.tr("导游"), batch.guide or "—"),
            (self.tr("车辆"), batch.vehicle or "—"),
        ]
        rows = "".join(
            f"<tr><td style='color:#555;padding-right:12px'>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in facts
        )
        error_word, warning_word = self.tr("错误"), self.tr("提醒")
        if batch.findings:
            items = "".join(
                f"<li style='color:{'#b02a37' if f.severity == 'error' else '#8a6d00'}'>"
                f"{e(error_word if f.severity == 'error' else warning_word)}：{e(f.message)}</li>"
                for f in batch.findings
            )
            heading = self.tr("检查结果")
            checks = f"<h4>{e(heading)}</h4><ul>{items}</ul>"
        else:
            passed = self.tr("各项规则检查均通过。")
            checks = f"<p style='color:#0f5132'>{e(passed)}</p>"
        self.detail.setHtml(f"<h3>{e(batch.code)}</h3><table>{rows}</table>{checks}")


class BatchesPage(Page):
    name = "batches"

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.batches = BatchesPanel(desk)
        self.layout_.addWidget(self.batches)
        self.panels = [self.batches]

    def loaded(self) -> bool:
        return super().loaded() and self.batches.roster.busy == 0
