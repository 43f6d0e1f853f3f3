"""统计: a period's figures by month and by partner, from the statistics service the CLI uses too."""

from __future__ import annotations

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

from recuperation.filenames import file_in
from recuperation.services.partners import list_agreements
from recuperation.services.statistics import (
    SPANS,
    Period,
    Span,
    period_stats,
    years_with_batches,
    years_with_records,
)
from recuperation.storage.paths import data_dir
from ui import operations
from ui.desk import Desk
from ui.i18n import date_format, format_date, opening_year
from ui.pages.base import Page
from ui.widgets.charts import monthly_chart, ranking_chart
from ui.widgets.fit import roomy_tabs
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
        self.shown_period = ""  # the period of the figures shown, in words (for a printed title)
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
        for span in SPANS:
            self.span.addItem(self.span_words(span), span)
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat(date_format())
        self.since.setVisible(False)
        self.span.currentIndexChanged.connect(lambda _i: self._custom_span())
        self.span.currentIndexChanged.connect(lambda _i: self.compute())
        # another year recomputes too: the figures never stand under a year they are not of
        self.year.currentIndexChanged.connect(lambda _i: self.compute())
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
        grid.setHorizontalSpacing(16)  # the longer English titles do not run into each other
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
            heading = QLabel(title)
            heading.setWordWrap(True)  # a long English title wraps instead of widening the window
            grid.addWidget(heading, 0, i)
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
        self.tables = roomy_tabs(QTabWidget())
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
                    tooltip=lambda u: self.tr("已用 {0} / 可用 {1} 床位·晚").format(
                        f"{u.bed_nights_used:,}", f"{u.bed_nights_available:,}"
                    ),
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
                    tooltip=lambda a: self.fulfilment(a.used_batches, a.quota_batches),
                ),
                Column(
                    self.tr("人数（已完成 / 配额）"),
                    lambda a: a.used_people,
                    width=170,
                    bar=lambda a: (a.used_people, a.quota_people),
                    tooltip=lambda a: self.fulfilment(a.used_people, a.quota_people),
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

    def fulfilment(self, used: int, quota: int | None) -> str:
        """A quota bar's tooltip: the figures and the share done."""
        if not quota:
            return self.tr("已完成 {0}，不限配额").format(f"{used:,}")
        return self.tr("已完成 {0} / 配额 {1}（{2}）").format(
            f"{used:,}", f"{quota:,}", f"{used / quota:.0%}"
        )

    def refresh(self) -> None:
        db = self.desk.db

        def done(result: tuple[list[int], list[int]]) -> None:
            years, with_batches = result
            current = self.year.currentData()
            blocked = self.year.blockSignals(True)  # one computation for the refilled list, below
            self.year.clear()
            for year in reversed(years):
                self.year.addItem(str(year), year)
            # The year chosen stays; the first time, this year if it has batches, else the latest that has
            # (not an agreement's or a planned batch's year to come with nothing to count).
            wanted = current if current in years else opening_year(with_batches)
            if wanted is not None and self.year.findData(wanted) >= 0:
                self.year.setCurrentIndex(self.year.findData(wanted))
            self.year.blockSignals(blocked)
            if years:
                self.compute()

        operations.run(self, lambda: (years_with_records(db), years_with_batches(db)), done)

    def _custom_span(self) -> None:
        custom = self.span.currentData().kind == "custom"
        self.since.setVisible(custom)
        if custom:
            self.until_on.setChecked(True)

    def choose_span(self, span: Span) -> None:
        """Show ``span`` (the combo holds Span values; Qt's findData compares Python objects by identity)."""
        index = next(i for i in range(self.span.count()) if self.span.itemData(i) == span)
        self.span.setCurrentIndex(index)

    def span_words(self, span: Span) -> str:
        if span.kind == "quarter":
            return self.tr("第{0}季度").format(span.number)
        if span.kind == "month":
            return self.tr("{0}月").format(span.number)
        return self.tr("自定义起止…") if span.kind == "custom" else self.tr("全年")

    def period_chosen(self) -> Period:
        """The year, a quarter or a month of it, cut at the "until" date when one is set; or from–to."""
        span: Span = self.span.currentData()
        until = self.until.date().toPython() if self.until_on.isChecked() or span.kind == "custom" else None
        return span.period(self.year.currentData(), until, self.since.date().toPython())

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

        def done(result: Any) -> None:
            self.desk.status.emit(self.tr("统计表已导出到 {0}").format(result.path))

        def job() -> Any:
            from recuperation.workbooks import (
                export_statistics,  # imported when first used: keeps reportlab/XlsxWriter out of the start-up
            )

            return export_statistics(db, start, end, path)

        operations.run(self, job, done)

    def annual_report(self) -> None:
        year = self.year.currentData()
        if year is None:
            return
        until = self.until.date().toPython() if self.until_on.isChecked() else None
        if until is not None and until.year != year:
            until = None
        db, path = self.desk.db, file_in(data_dir() / "print", "annual", year, suffix=".pdf")

        def done(result: Any) -> None:
            title = self.tr("{0}年度职工疗休养工作统计").format(year)
            self.preview = PdfPreview(self, result.path, title, result.note())
            self.preview.open()

        operations.run(self, lambda: _print_annual(db, year, until, path), done)

    def compute(self) -> None:
        year = self.year.currentData()
        if year is None:
            return
        period, db, words = self.period_chosen(), self.desk.db, self.period_words()

        def done(result: Any) -> None:
            stats, agreements = result
            self.shown_period = words
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

        operations.run(self, job, done)

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
            5,
        )
        row.addWidget(
            ranking_chart(
                [g.name for g in stats.by_theme], [g.people for g in stats.by_theme], self.tr("各主题人次")
            ),
            3,
        )
        # side by side, each the tab's full height: ten bases' bars keep room for their names
        row.addWidget(
            ranking_chart(
                [u.base for u in stats.utilisation],
                [u.rate for u in stats.utilisation],
                self.tr("基地床位利用率"),
                percent=True,
                top=10,
            ),
            4,
        )
        holder = QWidget()
        holder.setLayout(row)
        self.chart_layout.addWidget(holder)

    def loaded(self) -> bool:
        return self.activated and self.busy == 0 and self.stats is not None

    def period_words(self) -> str:
        """The period chosen, as a title says it: 2021年, 2021年第2季度, 2021年5月 (截止到…), or from–to."""
        year, span = self.year.currentData(), self.span.currentData()
        period = self.period_chosen()
        if span.kind == "custom":
            return f"{format_date(period.start)} – {format_date(period.end)}"
        if span.kind == "month":
            words = self.tr("{0}年{1}月").format(year, span.number)
        elif span.kind == "quarter":
            words = self.tr("{0}年第{1}季度").format(year, span.number)
        else:
            words = self.tr("{0}年").format(year)
        if self.until_on.isChecked() and period.end == self.until.date().toPython():
            words += self.tr("（截止到{0}）").format(format_date(period.end))
        return words

    def print_view(self) -> QTableView:
        """The table of the tab shown (on the first tab the one with the focus; on the charts tab the months)."""
        shown = self.tables.currentWidget()
        if isinstance(shown, QTableView):
            return shown
        return self.partner_view if self.partner_view.hasFocus() else self.month_view

    def print_subtitle(self) -> str:
        """The period of the figures shown and the table printed: 2021年第2季度（4月1日 – 6月30日）· 按基地."""
        if self.stats is None:
            return ""
        view = self.print_view()
        if view is self.month_view:
            table = self.tr("按月份")
        elif view is self.partner_view:
            table = self.tr("按合作单位")
        else:
            table = self.tables.tabText(self.tables.currentIndex())
        dates = f"{format_date(self.stats.start)} – {format_date(self.stats.end)}"
        period = (
            dates if self.shown_period == dates else self.tr("{0}（{1}）").format(self.shown_period, dates)
        )
        return f"{period} · {table}"

    def focus_search(self) -> None:
        self.year.setFocus()


def _print_annual(db: Any, year: int, until: Any, path: Path) -> Any:
    from recuperation.documents.render import render  # reportlab is imported when first used

    return render(db, "annual", year, path, until=until)
