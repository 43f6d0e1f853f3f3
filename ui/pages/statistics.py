"""统计: a period's figures by month and by partner, from the statistics service the CLI uses too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.db import data_dir
from recuperation.filenames import file_in
from recuperation.services.partners import list_agreements
from recuperation.services.policy import get_policy
from recuperation.services.statistics import Period, period_stats, years_with_records
from ui.desk import Desk
from ui.i18n import date_format, format_date
from ui.pages.base import Page
from ui.widgets.charts import monthly_chart, ranking_chart
from ui.widgets.pdf_preview import PdfPreview
from ui.widgets.table import Column, RowTableModel, table_view


def figure_label() -> QLabel:
    label = QLabel("—")
    label.setStyleSheet("font-size: 20px; font-weight: 600; color: #0b5394;")
    return label


def make_view(model: RowTableModel) -> QTableView:
    return table_view(model, sortable=True)


class StatisticsPage(Page):
    name = "statistics"

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.busy = 0
        self.stats: Any = None
        self.year = QComboBox()
        self.until_on = QCheckBox(self.tr("截止到"))
        self.until = QDateEdit(QDate.currentDate())
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat(date_format())
        self.until.setEnabled(False)
        self.until_on.toggled.connect(self.until.setEnabled)
        self.show_button = QPushButton(self.tr("统计"))
        self.show_button.clicked.connect(self.compute)
        self.span = QComboBox()
        self.span.addItem(self.tr("全年"), 0)
        for quarter in range(1, 5):
            self.span.addItem(self.tr("第{0}季度").format(quarter), -quarter)
        for month in range(1, 13):
            self.span.addItem(self.tr("{0}月").format(month), month)
        self.span.addItem(self.tr("自定义起止…"), 99)
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat(date_format())
        self.since.setVisible(False)
        self.span.currentIndexChanged.connect(lambda _i: self._custom_span())
        self.span.currentIndexChanged.connect(lambda _i: self.compute())
        self.export_button = QPushButton(self.tr("导出全部表格…"))
        self.export_button.clicked.connect(self.export)
        self.annual_button = QPushButton(self.tr("年度统计报告（PDF）…"))
        self.annual_button.clicked.connect(self.annual_report)
        self.preview: PdfPreview | None = None
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年份")))
        top.addWidget(self.year)
        top.addWidget(self.span)
        top.addWidget(self.since)
        top.addWidget(self.until_on)
        top.addWidget(self.until)
        top.addWidget(self.show_button)
        top.addStretch(1)
        self.period = QLabel()
        top.addWidget(self.period)
        top.addWidget(self.export_button)
        top.addWidget(self.annual_button)

        box = QGroupBox(self.tr("主要数字"))
        grid = QGridLayout(box)
        self.figures: dict[str, QLabel] = {}
        names = [
            ("batches", self.tr("疗休养批次")),
            ("people", self.tr("人次")),
            ("person_days", self.tr("人天")),
            ("training_classes", self.tr("培训班")),
            ("conferences", self.tr("会议")),
            ("agreements_signed", self.tr("新签协议")),
            ("provincial", self.tr("省级基地")),
            ("hangzhou", self.tr("杭州市级基地")),
            ("cost", self.tr("人均费用（元）")),
        ]
        for i, (key, title) in enumerate(names):
            label = figure_label()
            label.setObjectName(f"figure_{key}")
            self.figures[key] = label
            grid.addWidget(QLabel(title), 0, i)
            grid.addWidget(label, 1, i)

        self.months = RowTableModel(
            [
                Column(
                    self.tr("月份"),
                    lambda m: self.tr("{0}月").format(m.month),
                    sort=lambda m: m.month,
                    width=80,
                ),
                Column(self.tr("批次"), lambda m: m.batches, right=True, width=80),
                Column(self.tr("人次"), lambda m: m.people, right=True),
            ],
            key=lambda m: m.month,
        )
        self.partners = RowTableModel(
            [
                Column(self.tr("合作单位"), lambda p: p.partner, width=240),
                Column(self.tr("批次"), lambda p: p.batches, right=True, width=80),
                Column(self.tr("人次"), lambda p: p.people, right=True),
            ],
            key=lambda p: p.partner,
        )
        self.month_view = make_view(self.months)
        self.partner_view = make_view(self.partners)
        split = QSplitter()
        split.addWidget(self.month_view)
        split.addWidget(self.partner_view)
        self.groups: dict[str, RowTableModel] = {}
        self.tables = QTabWidget()
        self.tables.addTab(split, self.tr("按月份与合作单位"))
        for key, title in (
            ("by_base", self.tr("按基地")),
            ("by_route", self.tr("按线路")),
            ("by_theme", self.tr("按主题")),
            ("by_kind", self.tr("按类型")),
            ("by_category", self.tr("按职工类别")),
        ):
            model = RowTableModel(
                [
                    Column(self.tr("名称"), lambda g: g.name, width=240),
                    Column(self.tr("批次"), lambda g: g.batches, right=True, width=80),
                    Column(self.tr("人次"), lambda g: g.people, right=True, width=90),
                    Column(self.tr("人天"), lambda g: g.person_days, right=True),
                ],
                key=lambda g: g.name,
            )
            self.groups[key] = model
            self.tables.addTab(make_view(model), title)
        self.use = RowTableModel(
            [
                Column(self.tr("基地"), lambda u: u.base, width=200),
                Column(self.tr("床位"), lambda u: u.beds, right=True, width=70),
                Column(self.tr("已用床位·晚"), lambda u: u.bed_nights_used, right=True, width=110),
                Column(self.tr("可用床位·晚"), lambda u: u.bed_nights_available, right=True, width=110),
                Column(
                    self.tr("利用率"),
                    lambda u: f"{u.rate:.1%}",
                    sort=lambda u: u.rate,
                    right=True,
                    bar=lambda u: (u.bed_nights_used, u.bed_nights_available),
                ),
            ],
            key=lambda u: u.base,
        )
        use_view = make_view(self.use)
        self.tables.addTab(use_view, self.tr("基地利用率"))
        self.agreements = RowTableModel(
            [
                Column(self.tr("协议编号"), lambda a: a.number, width=150),
                Column(self.tr("合作单位"), lambda a: a.partner, width=200),
                Column(
                    self.tr("批次（已完成 / 配额）"),
                    lambda a: a.used_batches,
                    width=170,
                    bar=lambda a: (a.used_batches, a.quota_batches),
                ),
                Column(
                    self.tr("人数（已完成 / 配额）"),
                    lambda a: a.used_people,
                    width=170,
                    bar=lambda a: (a.used_people, a.quota_people),
                ),
                Column(self.tr("有效期至"), lambda a: a.valid_to),
            ]
        )
        agreement_view = make_view(self.agreements)
        self.tables.addTab(agreement_view, self.tr("协议完成情况"))
        self.chart_holder = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_holder)
        self.tables.addTab(self.chart_holder, self.tr("图表"))
        self.layout_.addLayout(top)
        self.layout_.addWidget(box)
        self.layout_.addWidget(self.tables, 1)

    def refresh(self) -> None:
        db = self.desk.db
        self.busy += 1

        def done(years: list[int]) -> None:
            self.busy -= 1
            current = self.year.currentData()
            self.year.clear()
            for year in reversed(years):
                self.year.addItem(str(year), year)
            if current in years:
                self.year.setCurrentIndex(self.year.findData(current))
            if years:
                self.compute()

        self.desk.worker.run(lambda: years_with_records(db), done, owner=self)

    def _custom_span(self) -> None:
        custom = self.span.currentData() == 99
        self.since.setVisible(custom)
        if custom:
            self.until_on.setChecked(True)

    def period_chosen(self) -> Period:
        """The year, a quarter or a month of it, cut at the "until" date when one is set; or from–to."""
        year, span = self.year.currentData(), self.span.currentData() or 0
        if span == 99:
            start, end = self.since.date().toPython(), self.until.date().toPython()
            return Period(min(start, end), max(start, end))
        if span > 0:
            start = dt.date(year, span, 1)
            end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        elif span < 0:
            start = dt.date(year, 3 * (-span) - 2, 1)
            end = (dt.date(year, 3 * (-span), 1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(
                days=1
            )
        else:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if self.until_on.isChecked():
            until = self.until.date().toPython()
            if start <= until < end:
                end = until
        return Period(start, end)

    def export(self) -> None:
        if self.stats is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("导出统计表"),
            f"统计-{self.stats.start}-{self.stats.end}.xlsx",
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if not name:
            return
        db, start, end, path = self.desk.db, self.stats.start, self.stats.end, Path(name).with_suffix(".xlsx")
        self.busy += 1

        def done(result: Any) -> None:
            self.busy -= 1
            self.desk.status.emit(self.tr("统计表已导出到 {0}").format(result.path))

        def job() -> Any:
            from recuperation.workbooks import (
                export_statistics,  # imported when first used: keeps reportlab/XlsxWriter out of the start-up
            )

            return export_statistics(db, start, end, path)

        self.desk.worker.run(job, done, owner=self)

    def annual_report(self) -> None:
        year = self.year.currentData()
        if year is None:
            return
        until = self.until.date().toPython() if self.until_on.isChecked() else None
        if until is not None and until.year != year:
            until = None
        db, path = self.desk.db, file_in(data_dir() / "print", "annual", year, suffix=".pdf")
        self.busy += 1

        def done(result: Any) -> None:
            self.busy -= 1
            note = "" if result.embedded else messages.text("print.no_font")
            self.preview = PdfPreview(
                self, result.path, self.tr("{0}年度职工疗休养工作统计").format(year), note
            )
            self.preview.open()

        self.desk.worker.run(
            lambda: _print_annual(db, year, until, path),
            done,
            owner=self,
        )

    def compute(self) -> None:
        year = self.year.currentData()
        if year is None:
            return
        period, db = self.period_chosen(), self.desk.db
        self.busy += 1

        def done(result: Any) -> None:
            self.busy -= 1
            stats, agreements = result
            self.agreements.set_rows(agreements)
            self.show_stats(stats)

        def job() -> Any:
            stats = period_stats(db, period)
            agreements = [
                a
                for a in list_agreements(db, year=period.start.year)
                if a.valid_from <= period.end and a.valid_to >= period.start
            ]
            return stats, agreements

        self.desk.worker.run(job, done, owner=self)

    def show_stats(self, stats: Any) -> None:
        self.stats = stats
        self.period.setText(f"{format_date(stats.start)} – {format_date(stats.end)}")
        values = {
            "batches": stats.batches,
            "people": stats.people,
            "person_days": stats.person_days,
            "training_classes": stats.training_classes,
            "conferences": stats.conferences,
            "agreements_signed": stats.agreements_signed,
            **stats.bases_certified,
            "cost": round(stats.cost_per_person_fen / 100),
        }
        for key, label in self.figures.items():
            label.setText(f"{values[key]:,}")
        self.months.set_rows(stats.by_month)
        self.partners.set_rows(stats.by_partner)
        for key, model in self.groups.items():
            model.set_rows(getattr(stats, key))
        self.use.set_rows(stats.utilisation)
        while self.chart_layout.count():
            item = self.chart_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        row = QHBoxLayout()
        row.addWidget(
            monthly_chart(
                [m.batches for m in stats.by_month],
                [m.people for m in stats.by_month],
                self.tr("每月批次与人次"),
            ),
            2,
        )
        row.addWidget(
            ranking_chart(
                [g.name for g in stats.by_theme], [g.people for g in stats.by_theme], self.tr("各主题人次")
            ),
            1,
        )
        holder = QWidget()
        holder.setLayout(row)
        self.chart_layout.addWidget(holder)
        self.chart_layout.addWidget(
            ranking_chart(
                [u.base for u in stats.utilisation],
                [u.rate for u in stats.utilisation],
                self.tr("基地床位利用率"),
                percent=True,
                top=10,
            )
        )

    def loaded(self) -> bool:
        return self.activated and self.busy == 0 and self.stats is not None

    def print_view(self) -> QTableView:
        return self.partner_view if self.partner_view.hasFocus() else self.month_view

    def focus_search(self) -> None:
        self.year.setFocus()


def _print_annual(db: Any, year: int, until: Any, path: Path) -> Any:
    from recuperation.documents.annual import (
        print_annual,  # imported when first used: keeps reportlab/XlsxWriter out of the start-up
    )
    from recuperation.documents.fonts import find_font

    return print_annual(db, year, until, path, font=find_font(get_policy(db).pdf_font))
