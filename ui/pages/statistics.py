"""统计: a period's figures by month and by partner, from the statistics service the CLI uses too.

Planned stands beside attended (实到) and their difference in the main figures and in the tables by month, by
partner and by base: attended is what the closed roll calls of completed batches say, and the planned figure
for every other batch (:class:`recuperation.services.statistics.AttendanceFigures`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
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
    AttendanceFigures,
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
from ui.pages.statistics_money import MoneyPanel
from ui.pages.statistics_satisfaction import SatisfactionPanel
from ui.widgets.charts import monthly_chart, ranking_chart
from ui.widgets.fit import roomy_tabs
from ui.widgets.pdf_preview import PdfPreview
from ui.widgets.table import CELL_PADDING, Column, RowTableModel, header_width, table_view


def figure_label() -> QLabel:
    label = QLabel("—")
    label.setStyleSheet("font-size: 20px; font-weight: 600; color: #0b5394;")
    return label


def make_view(model: RowTableModel) -> QTableView:
    view = table_view(model, sortable=True)
    fit_two_line_headers(view, model.columns)
    return view


def fit_two_line_headers(view: QTableView, columns: Sequence[Column]) -> None:
    """A column of figures under a header over two lines (计划 / 人次) as wide as its longer line or a
    figure of six digits, whichever is wider: the planned and attended columns side by side keep the months
    and the partners on one screen."""
    figure = view.fontMetrics().horizontalAdvance("888,888") + CELL_PADDING
    widths = []
    for i, column in enumerate(columns):
        if "\n" in column.header:
            lines = column.header.split("\n")
            width = max(figure, *(header_width(view, line) for line in lines))
            view.setColumnWidth(i, width)
            widths.append(width)
        else:
            widths.append(view.columnWidth(i))
    if any("\n" in column.header for column in columns):
        # the style would elide the two lines measured as one (“Planned p…”); the last column, stretched to
        # the view's edge, counts as wide as it was set
        view.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideNone)
        view.setProperty("columns_width", sum(widths))


def needed_width(view: QTableView) -> int:
    """The width that shows every column of ``view`` whole, with its frame and its vertical scroll bar."""
    columns = view.property("columns_width") or sum(
        view.columnWidth(i) for i in range(view.model().columnCount())
    )
    return int(columns) + 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()


class NotedModel(RowTableModel):
    """A table whose headers explain, in their tooltips, what a column counts (``notes`` by column)."""

    def __init__(self, columns: Sequence[Column], key: Callable[[Any], Any], notes: dict[int, str]):
        super().__init__(columns, key=key)
        self.notes = notes

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.ToolTipRole
            and section in self.notes
        ):
            return self.notes[section]
        return super().headerData(section, orientation, role)


class StatisticsPage(Page):
    name = "statistics"
    right = None  # it only reads

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
            ("people", self.tr("计划人次")),
            ("attended_people", self.tr("实到人次")),
            ("person_days", self.tr("计划人天")),
            ("attended_person_days", self.tr("实到人天")),
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
        # under each attended figure, how far it falls short of the planned one
        self.figure_notes: dict[str, QLabel] = {}
        for key in ("attended_people", "attended_person_days"):
            note = QLabel()
            note.setObjectName(f"figure_note_{key}")
            note.setStyleSheet("color: #6c757d;")
            self.figure_notes[key] = note
            grid.addWidget(note, 2, [k for k, _ in names].index(key))

        # months and partners: AttendanceFigures rows (name: the month's number, the partner)
        self.months = NotedModel(
            [
                Column(
                    self.tr("月份"),
                    lambda a: self.tr("{0}月").format(a.name),
                    sort=lambda a: int(a.name),
                    width=60,
                ),
                Column(self.tr("批次"), lambda a: a.batches, right=True, width=56),
                *self.attended_columns(lambda a: a),
            ],
            key=lambda a: a.name,
            notes=self.attended_notes(2),
        )
        self.partners = NotedModel(
            [
                Column(self.tr("合作单位"), lambda a: a.name, width=180),
                Column(self.tr("批次"), lambda a: a.batches, right=True, width=56),
                *self.attended_columns(lambda a: a),
            ],
            key=lambda a: a.name,
            notes=self.attended_notes(2),
        )
        self.month_view = make_view(self.months)
        self.partner_view = make_view(self.partners)
        split = QSplitter()
        split.addWidget(self.month_view)
        split.addWidget(self.partner_view)
        # each its columns' width, or the same share of them when the screen is narrower (in English)
        split.setSizes([needed_width(self.month_view), needed_width(self.partner_view)])
        self.groups: dict[str, RowTableModel] = {}
        #: the period's planned and attended figures of each base, by name (the base tab's last columns)
        self.base_attendance: dict[str, AttendanceFigures] = {}
        self.tables = roomy_tabs(QTabWidget())
        self.tables.addTab(split, self.tr("按月份与合作单位"))
        for key, title in (
            ("by_base", self.tr("按基地")),
            ("by_route", self.tr("按线路")),
            ("by_theme", self.tr("按主题")),
            ("by_kind", self.tr("按类型")),
            ("by_category", self.tr("按职工类别")),
        ):
            if key == "by_base":
                model: RowTableModel = self.base_model()
            else:
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
        # 费用: loaded when shown, for the period shown (see load_money)
        self.money_panel = MoneyPanel()
        self.money_wanted: Period | None = None  # the period the figures are computed for
        self.money_for: Period | None = None  # the period whose money is loaded or on its way
        self.tables.addTab(self.money_panel, self.tr("费用"))
        self.tables.currentChanged.connect(lambda _i: self.load_money())
        # 满意度: loaded when shown, for the period shown (ui/pages/statistics_satisfaction.py)
        self.satisfaction_panel = SatisfactionPanel(desk, self)
        self.tables.addTab(self.satisfaction_panel, self.tr("满意度"))
        self.tables.currentChanged.connect(lambda _i: self.satisfaction_panel.load())
        self.chart_holder = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_holder)
        self.tables.addTab(self.chart_holder, self.tr("图表"))
        self.layout_.addLayout(top)
        self.layout_.addWidget(box)
        self.layout_.addWidget(self.tables, 1)

    def attended_columns(self, of: Callable[[Any], AttendanceFigures | None]) -> list[Column]:
        """Planned, attended and their difference (planned − attended), of people then of person-days, of the
        AttendanceFigures ``of`` a row (None: no figures, empty cells)."""

        def figure(value: Callable[[AttendanceFigures], int]) -> Callable[[Any], object]:
            def shown(row: Any) -> object:
                figures = of(row)
                return None if figures is None else value(figures)

            return shown

        def how(row: Any) -> str:
            figures = of(row)
            return "" if figures is None else self.attended_how(figures)

        return [
            Column(self.tr("计划\n人次"), figure(lambda a: a.planned_people), right=True),
            Column(self.tr("实到\n人次"), figure(lambda a: a.attended_people), right=True, tooltip=how),
            Column(self.tr("人次\n差额"), figure(lambda a: a.difference_people), right=True, tooltip=how),
            Column(self.tr("计划\n人天"), figure(lambda a: a.planned_person_days), right=True),
            Column(self.tr("实到\n人天"), figure(lambda a: a.attended_person_days), right=True, tooltip=how),
            Column(
                self.tr("人天\n差额"), figure(lambda a: a.difference_person_days), right=True, tooltip=how
            ),
        ]

    def attended_notes(self, first: int, *, in_full: bool = False) -> dict[int, str]:
        """The header tooltips of :meth:`attended_columns` put from column ``first`` on; ``in_full``: a
        base's, where a batch counts in full at each base it lodged at."""
        planned = self.tr("计划：名单人数（没有名单时按计划人数）；人天 = 人数 × 批次天数。随行家属不计。")
        if in_full:
            planned += self.tr(
                "在此住宿过的批次整批计入：住过几个基地的批次，每个基地都计入它的全部人次和人天。"
            )
        attended = self.tr(
            "实到：已完成且已结束报到的疗休养批次按报到计（提前离开的计到离开当天，未到的不计）；"
            "其余批次按计划计。随行家属不计。"
        )
        difference = self.tr("差额 = 计划 − 实到")
        notes = (planned, attended, difference) * 2
        return {first + i: note for i, note in enumerate(notes)}

    def attended_how(self, figures: AttendanceFigures) -> str:
        """A row's attended cells' tooltip: how many of its batches count their roll call."""
        if figures.closed_batches == figures.batches:
            return self.tr("{0} 个批次均已结束报到").format(f"{figures.batches:,}")
        return self.tr("{0} 个批次中 {1} 个已结束报到，其余按计划计").format(
            f"{figures.batches:,}", f"{figures.closed_batches:,}"
        )

    def base_model(self) -> RowTableModel:
        """按基地: who lodged at the base (the most on one night, their person-nights there), then the
        batches that lodged there counted in full, planned against attended (the service's two ways of
        counting a base; the headers' tooltips say which is which)."""
        return NotedModel(
            [
                Column(self.tr("名称"), lambda g: g.name, width=240),
                Column(self.tr("批次"), lambda g: g.batches, right=True, width=56),
                Column(self.tr("住宿\n人次"), lambda g: g.people, right=True),
                Column(self.tr("住宿\n人·晚"), lambda g: g.person_days, right=True),
                *self.attended_columns(lambda g: self.base_attendance.get(g.name)),
            ],
            key=lambda g: g.name,
            notes={
                2: self.tr("在此住宿的团员：每个批次取它在此住宿人数最多的一晚，随行家属不计"),
                3: self.tr("团员在此住宿的人·晚（床位·晚），随行家属不计"),
                **self.attended_notes(4, in_full=True),
            },
        )

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
        if self.money_wanted != period:
            self.money_panel.clear()  # no figures stand under a period they are not of
        self.money_wanted, self.money_for = period, None
        self.load_money()
        self.satisfaction_panel.want(period)

    def load_money(self) -> None:
        """The 费用 tab's figures for the period shown, on the worker, when the tab is shown and they are not
        loaded (or on their way) yet: the other tabs do not wait for the bases' costs."""
        period = self.money_wanted
        if period is None or self.money_for == period or self.tables.currentWidget() is not self.money_panel:
            return
        self.money_for, db = period, self.desk.db

        def done(figures: Any) -> None:
            if self.money_wanted == period:
                self.money_panel.show_money(figures)

        def job() -> Any:
            from recuperation.services.money_stats import money_figures  # the costs' modules, when first used

            return money_figures(db, period)

        operations.run(self, job, done)

    def show_stats(self, stats: Any) -> None:
        self.stats = stats
        self.period.setText(f"{format_date(stats.start)} – {format_date(stats.end)}")
        whole = stats.attendance
        values = {
            "batches": stats.batches,
            "people": stats.people,
            "attended_people": whole.attended_people,
            "person_days": stats.person_days,
            "attended_person_days": whole.attended_person_days,
            "training_classes": stats.training_classes,
            "conferences": stats.conferences,
            "agreements_signed": stats.agreements_signed,
            **stats.bases_certified,
            "cost": round(stats.cost_per_person_fen / 100),
        }
        for key, label in self.figures.items():
            label.setText(f"{values[key]:,}")
        how = self.attended_how(whole) if whole.batches else ""
        for key, difference in (
            ("attended_people", whole.difference_people),
            ("attended_person_days", whole.difference_person_days),
        ):
            self.figure_notes[key].setText(self.tr("差额 {0}").format(f"{difference:,}"))
            self.figure_notes[key].setToolTip(how)
            self.figures[key].setToolTip(how)
        self.months.set_rows(stats.attendance_by_month)
        self.partners.set_rows(stats.attendance_by_partner)
        self.base_attendance = {a.name: a for a in stats.attendance_by_base}
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
        if shown is self.money_panel:
            money_view = self.money_panel.tables.currentWidget()
            assert isinstance(money_view, QTableView)
            return money_view
        if shown is self.satisfaction_panel:
            return self.satisfaction_panel.current_view()
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
        elif self.tables.currentWidget() in (self.money_panel, self.satisfaction_panel):
            tabs = self.tables.currentWidget().tables  # type: ignore[attr-defined]
            table = f"{self.tables.tabText(self.tables.currentIndex())} · {tabs.tabText(tabs.currentIndex())}"
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
