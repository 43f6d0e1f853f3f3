"""统计 › 费用: what the period's batches cost, per person-day, by partner, base, route, month and kind, and what
the bases have invoiced and been paid (:mod:`recuperation.services.money_stats`, the figures the annual
report, the statistics workbook and ``stats --money`` show too).

The statistics page loads these figures off the GUI thread when the tab is shown for a period it has not
loaded yet (:meth:`ui.pages.statistics.StatisticsPage.load_money`); this widget only shows them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.labels import label
from recuperation.money import yuan_text
from ui.widgets.fit import roomy_tabs
from ui.widgets.table import CELL_PADDING, WARN, Column, RowTableModel, header_width, table_view

if TYPE_CHECKING:
    from recuperation.services.money_stats import MoneyFigures, MoneyLine, PaidLine


def money(fen: int | None) -> str:
    """¥1,234.50 (exact: the fen's digits, never a float); an empty cell for no amount."""
    if fen is None:
        return ""
    return f"¥{yuan_text(fen)}"


def fit_two_line_headers(view: QTableView, columns: list[Column]) -> None:
    """A column under a header over two lines (团员 / 人天) as wide as its longer line or its own width,
    whichever is wider (an amount of seven digits at most): the bases' ten columns stay on one screen in
    English too."""
    figure = view.fontMetrics().horizontalAdvance("¥8,888,888.88") + CELL_PADDING
    for i, column in enumerate(columns):
        if "\n" in column.header:
            lines = column.header.split("\n")
            view.setColumnWidth(
                i, max(min(column.width, figure), *(header_width(view, line) for line in lines))
            )
    view.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideNone)


class MoneyModel(RowTableModel):
    """A money table whose headers explain, in their tooltips, what a column counts (``notes`` by column)."""

    def __init__(self, columns: list[Column], notes: dict[int, str]):
        super().__init__(columns, key=lambda line: line.name)
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


class MoneyPanel(QWidget):
    """The 费用 tab: the main money figures, where the costs come from and what lacks a price, the tables."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.figures: MoneyFigures | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)

        box = QGroupBox(self.tr("费用与付款"))
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(2)
        self.values: dict[str, QLabel] = {}
        names = [
            ("cost", self.tr("费用合计")),
            ("member_cost", self.tr("团员费用")),
            ("companion_cost", self.tr("随行家属自费")),
            ("person_days", self.tr("团员人天")),
            ("per_day", self.tr("每人天费用")),
            ("paid", self.tr("已付基地")),
            ("outstanding", self.tr("发票未付")),
            ("uninvoiced", self.tr("已完成未开票")),
        ]
        for i, (key, title) in enumerate(names):
            heading = QLabel(title)
            heading.setWordWrap(True)  # a long English title wraps instead of widening the window
            value = QLabel("—")
            value.setObjectName(f"money_{key}")
            value.setStyleSheet("font-size: 15px; font-weight: 600; color: #0b5394;")
            self.values[key] = value
            grid.addWidget(heading, 0, i)
            grid.addWidget(value, 1, i)
        self.note = QLabel()
        self.note.setObjectName("money_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #495057;")
        self.warning = QLabel()
        self.warning.setObjectName("money_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #842029;")
        self.warning.setVisible(False)
        grid.addWidget(self.note, 2, 0, 1, len(names))
        grid.addWidget(self.warning, 3, 0, 1, len(names))
        layout.addWidget(box)

        self.tables = roomy_tabs(QTabWidget())
        self.models: dict[str, RowTableModel] = {}
        self.views: dict[str, QTableView] = {}
        name_notes = {
            2: self.tr(
                "团员人天：已结束报到的批次按实到计（未到不计，提前离开计到离开当天），其余按计划；随行家属不计"
            ),
            3: self.tr(
                "费用：每个批次在每个基地的费用——已审批的发票，否则按报到计算，否则按计划计算（含税）"
            ),
            4: self.tr("团员费用：费用按团员与随行家属的人天分摊，随行家属的部分自费"),
            5: self.tr("每人天费用 = 团员费用 ÷ 团员人天"),
        }
        for key, title, first in (
            ("by_partner", self.tr("按合作单位"), self.tr("合作单位")),
            ("by_base", self.tr("按基地"), self.tr("基地")),
            ("by_route", self.tr("按线路"), self.tr("线路")),
            ("by_month", self.tr("按月份"), self.tr("月份")),
            ("by_kind", self.tr("按类型"), self.tr("类型")),
        ):
            columns = self.line_columns(first, month=key == "by_month")
            notes = dict(name_notes)
            if key == "by_base":
                columns += self.paid_columns()
                notes[2] = self.tr(
                    "团员人天：在此有费用的批次整批计入（用过几个基地的批次，每个基地都计入它的全部人天），"
                    "所以每人天费用是这个基地在所接待团组的每人天中所占的费用"
                )
                notes[6] = self.tr("这些批次的基地发票金额（含待审批的）")
                notes[8] = self.tr("发票金额 − 已付款")
                notes[9] = self.tr("已完成的批次、基地尚未开票的费用（按报到或计划计算）")
            model = MoneyModel(columns, notes)
            view = table_view(model, sortable=True)
            fit_two_line_headers(view, columns)
            if key != "by_month":  # most cost first; the months in their order
                view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
            self.models[key] = model
            self.views[key] = view
            self.tables.addTab(view, title)
        layout.addWidget(self.tables, 1)
        self.paid_of: dict[str, PaidLine] = {}

    def line_columns(self, first: str, *, month: bool = False) -> list[Column]:
        def shown_name(line: MoneyLine) -> str:
            if not month:
                return line.name
            year, number = line.name.split("-")
            return (
                self.tr("{0}年{1}月").format(year, int(number))
                if self.many_years
                else self.tr("{0}月").format(int(number))
            )

        def incomplete(line: MoneyLine) -> Any:
            return WARN if line.incomplete else None

        def incomplete_tip(line: MoneyLine) -> str:
            if not line.incomplete:
                return ""
            return self.tr("{0} 项费用缺少价格：只计入了已定价的部分").format(line.incomplete)

        return [
            Column(first, shown_name, sort=(lambda line: line.name) if month else None, width=200),
            Column(self.tr("批次"), lambda line: line.batches, right=True, width=56),
            Column(self.tr("团员\n人天"), lambda line: line.person_days, right=True, width=86),
            Column(
                self.tr("费用"),
                lambda line: money(line.cost_fen),
                sort=lambda line: line.cost_fen,
                right=True,
                width=124,
                background=incomplete,
                tooltip=incomplete_tip,
            ),
            Column(
                self.tr("团员\n费用"),
                lambda line: money(line.member_cost_fen),
                sort=lambda line: line.member_cost_fen,
                right=True,
                width=124,
                background=incomplete,
                tooltip=incomplete_tip,
            ),
            Column(
                self.tr("每人天\n费用"),
                lambda line: money(line.per_person_day_fen) or "—",
                sort=lambda line: line.per_person_day_fen if line.per_person_day_fen is not None else -1,
                right=True,
                width=96,
            ),
        ]

    def paid_columns(self) -> list[Column]:
        def paid(value: Callable[[PaidLine], int]) -> Callable[[MoneyLine], object]:
            def shown(line: MoneyLine) -> int | None:
                one = self.paid_of.get(line.name)
                return None if one is None else value(one)

            return shown

        def amount(value: Callable[[PaidLine], int], header: str) -> Column:
            of = paid(value)
            return Column(
                header,
                lambda line: money(of(line)),  # type: ignore[arg-type]
                sort=lambda line: of(line) or 0,
                right=True,
                width=110,
            )

        return [
            amount(lambda p: p.invoiced_fen, self.tr("已开票")),
            amount(lambda p: p.paid_fen, self.tr("已付款")),
            amount(lambda p: p.outstanding_fen, self.tr("未付")),
            amount(lambda p: p.uninvoiced_fen, self.tr("未开票")),
        ]

    many_years = False

    def show_money(self, figures: MoneyFigures) -> None:
        self.figures = figures
        self.many_years = figures.start.year != figures.end.year
        total, paid = figures.total, figures.paid
        per_day = total.per_person_day_fen
        values = {
            "cost": money(total.cost_fen),
            "member_cost": money(total.member_cost_fen),
            "companion_cost": money(total.companion_cost_fen),
            "person_days": f"{total.person_days:,}",
            "per_day": money(per_day) if per_day is not None else "—",
            "paid": money(paid.paid_fen),
            "outstanding": money(paid.outstanding_fen),
            "uninvoiced": money(paid.uninvoiced_fen),
        }
        for key, value in values.items():
            self.values[key].setText(value)
        self.values["outstanding"].setToolTip(
            self.tr("基地发票 {0} 张，合计 {1}：待审批未付 {2}，已审批未付 {3}").format(
                f"{paid.invoices:,}", money(paid.invoiced_fen), money(paid.awaiting_fen), money(paid.due_fen)
            )
        )
        self.values["uninvoiced"].setToolTip(
            self.tr("已完成的批次中，{0} 项基地费用尚未收到发票（按报到或计划计算）").format(
                f"{paid.uninvoiced:,}"
            )
        )
        self.values["per_day"].setToolTip(
            self.tr("团员费用 {0} ÷ 团员人天 {1}").format(
                money(total.member_cost_fen), f"{total.person_days:,}"
            )
        )
        words = []
        for source in figures.sources:
            if source.costs:
                words.append(
                    self.tr("{0} {1} 项 {2}").format(
                        self.source_words(source.source), f"{source.costs:,}", money(source.fen)
                    )
                )
        self.note.setText(
            self.tr(
                "费用来源：{0}。这里是付给基地的费用，包括疗休养、培训班和会议的批次（人天也是）；"
                "上方的“人均费用”按协议价计算，只计疗休养。"
            ).format(messages.join_clauses(words))
            if words
            else self.tr("这段时间没有可计算费用的批次。")
        )
        self.note.setWordWrap(True)
        problems = []
        if figures.gaps:
            problems.append(
                self.tr(
                    "{0} 项费用缺少价格，合计只含已定价的部分（如 {1}：{2}）：请补全基地的价目表。"
                ).format(len(figures.gaps), figures.gaps[0].batch_code, figures.gaps[0].base)
            )
        if figures.no_base:
            problems.append(
                self.tr("{0} 个批次没有安排基地，无法计算费用（如 {1}）。").format(
                    len(figures.no_base), figures.no_base[0]
                )
            )
        self.warning.setText(("" if messages.language() == "zh" else " ").join(problems))  # sentences
        self.warning.setVisible(bool(problems))
        self.paid_of = {line.name: line for line in figures.paid_by_base}
        for key, model in self.models.items():
            model.set_rows(getattr(figures, key))

    def source_words(self, source: str) -> str:
        if source == "invoice":
            return self.tr("已审批发票")
        if source == "actual":
            return self.tr("按报到计算")
        if source == "planned":
            return self.tr("按计划计算")
        return label("cost_source", source)

    def clear(self) -> None:
        self.figures = None
        for value in self.values.values():
            value.setText("—")
        self.note.setText("")
        self.warning.setVisible(False)
        for model in self.models.values():
            model.set_rows([])
