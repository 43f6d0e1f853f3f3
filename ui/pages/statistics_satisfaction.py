"""统计 › 满意度: how the groups of the period rated their stay — by base (each base's scorecard of the period:
the overall rating, the responses, the open serious incidents and whether it is flagged for review), by route,
by partner — and the response rates of the batches that have ended (:func:`recuperation.services.scorecard.
satisfaction`, the figures ``scorecard list --json`` gives too).

The statistics page asks for the figures of the period it shows (:meth:`SatisfactionPanel.want`); they are
read on the worker when this tab is shown, so the other tabs do not wait for them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QTableView, QTabWidget, QVBoxLayout, QWidget

from recuperation import messages
from ui import labels, operations
from ui.desk import Desk
from ui.widgets.fit import roomy_tabs, wrapping
from ui.widgets.table import BAD, Column, RowTableModel, table_view

if TYPE_CHECKING:
    from recuperation.services.scorecard import Rating, Satisfaction, Scorecard
    from recuperation.services.statistics import Period


def _mean(rating: Rating) -> str:
    return rating.mean_text if rating.count else ""


def _mean_sort(rating: Rating) -> int:
    return rating.tenths if rating.tenths is not None else -1


class SatisfactionPanel(QWidget):
    """The 满意度 tab: a sentence on the response rates and what the figures count, then the tables."""

    def __init__(self, desk: Desk, busy: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.counter = busy  # whose busy counter the loading raises (the statistics page's)
        self.figures: Satisfaction | None = None
        self.wanted: Period | None = None  # the period the figures are to be of
        self.loading: Period | None = None  # the period loaded or on its way
        self.dimensions: tuple[str, ...] = ()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.summary = wrapping(QLabel())
        self.summary.setObjectName("satisfaction_summary")
        self.summary.setStyleSheet("font-weight: 600;")
        self.note = wrapping(QLabel())
        self.note.setObjectName("satisfaction_note")
        self.note.setStyleSheet("color: #495057;")
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        self.tables = roomy_tabs(QTabWidget())
        self.models: dict[str, RowTableModel] = {}
        self.views: dict[str, QTableView] = {}
        for key, title in (
            ("by_base", self.tr("按基地")),
            ("by_route", self.tr("按线路")),
            ("by_partner", self.tr("按合作单位")),
            ("batches", self.tr("各批次回收率")),
        ):
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.tables.addTab(holder, title)
            self.views[key] = QTableView()  # replaced when the dimensions are known
        self.batch_model = RowTableModel(
            [
                Column(self.tr("批次编号"), lambda b: b.code, width=100),
                Column(self.tr("合作单位"), lambda b: b.partner, width=170),
                Column(self.tr("线路"), lambda b: b.route, width=170),
                Column(self.tr("到达"), lambda b: b.arrival, width=100),
                Column(self.tr("人次"), lambda b: b.people, right=True, width=60),
                Column(self.tr("问卷"), lambda b: b.responses, right=True, width=60),
                Column(
                    self.tr("回收率"),
                    lambda b: b.rate_text,
                    sort=lambda b: b.responses / b.people if b.people else -1,
                    right=True,
                    background=lambda b: BAD if b.people and not b.responses else None,
                ),
            ],
            key=lambda b: b.batch_id,
        )
        self._place("batches", self.batch_model)
        layout.addWidget(self.tables, 1)
        self._build(tuple(d for d in labels.dimensions() if d != "overall"))

    def _place(self, key: str, model: RowTableModel) -> None:
        view = table_view(model, sortable=True)
        holder = self.tables.widget(list(self.views).index(key))
        box = holder.layout()
        old = self.views.get(key)
        if old is not None and old.parent() is holder:
            box.removeWidget(old)
            old.deleteLater()
        box.addWidget(view)
        self.views[key] = view
        self.models[key] = model

    def _dimension_columns(self, of: Any) -> list[Column]:
        names = labels.dimensions()
        return [
            Column(
                names.get(d, d),
                lambda row, d=d: _mean(of(row).rating(d)),
                sort=lambda row, d=d: _mean_sort(of(row).rating(d)),
                right=True,
                width=64,
                tooltip=lambda row, d=d: self.tr("{0} 份评分，{1} 星").format(
                    of(row).rating(d).count, of(row).rating(d).stars
                ),
            )
            for d in self.dimensions
            if d != "overall"
        ]

    def _build(self, dimensions: tuple[str, ...]) -> None:
        """The tables' columns: the overall rating first, then the policy's other dimensions."""
        self.dimensions = dimensions
        flags = labels.review_flags()

        def card_flags(card: Scorecard) -> str:
            return messages.join([flags.get(f.rule, f.rule) for f in card.flags])

        base_columns = [
            Column(self.tr("基地"), lambda c: c.base, width=170),
            Column(
                self.tr("总体满意度"),
                lambda c: _mean(c.this.overall),
                sort=lambda c: _mean_sort(c.this.overall),
                right=True,
                width=80,
                background=lambda c: BAD if any(f.rule == "low_rating" for f in c.flags) else None,
            ),
            Column(self.tr("评分数"), lambda c: c.this.overall.count, right=True, width=64),
            Column(self.tr("问卷"), lambda c: c.this.responses, right=True, width=56),
            *self._dimension_columns(lambda c: c.this),
            Column(
                self.tr("未结严重事件"),
                lambda c: len(c.this.open_serious),
                right=True,
                width=90,
                background=lambda c: BAD if c.this.open_serious else None,
            ),
            Column(
                self.tr("复核关注"),
                card_flags,
                background=lambda c: BAD if c.flags else None,
                tooltip=lambda c: "\n".join(f.message() for f in c.flags),
            ),
        ]
        self._place("by_base", RowTableModel(base_columns, key=lambda c: c.base_id))

        def group_columns(first: str) -> list[Column]:
            return [
                Column(first, lambda g: g.name, width=170),
                Column(self.tr("批次"), lambda g: g.batches, right=True, width=56),
                Column(self.tr("人次"), lambda g: g.people, right=True, width=64),
                Column(self.tr("问卷"), lambda g: g.responses, right=True, width=56),
                Column(
                    self.tr("回收率"),
                    lambda g: g.response_rate_text,
                    sort=lambda g: g.responses / g.people if g.people else -1,
                    right=True,
                    width=70,
                ),
                Column(
                    self.tr("总体满意度"),
                    lambda g: _mean(g.overall),
                    sort=lambda g: _mean_sort(g.overall),
                    right=True,
                    width=80,
                ),
                Column(self.tr("评分数"), lambda g: g.overall.count, right=True, width=64),
                *self._dimension_columns(lambda g: g),
            ]

        self._place("by_route", RowTableModel(group_columns(self.tr("线路")), key=lambda g: g.name))
        self._place("by_partner", RowTableModel(group_columns(self.tr("合作单位")), key=lambda g: g.name))

    # -- loading ----------------------------------------------------------------------------------------------

    def want(self, period: Period) -> None:
        """The statistics page shows ``period``: figures of another period are cleared, loaded when shown."""
        if self.wanted != period:
            self.clear()
        self.wanted, self.loading = period, None
        self.load()

    def load(self) -> None:
        period = self.wanted
        shown = self.parentWidget() is not None and self.isVisible()
        if period is None or self.loading == period or not shown:
            return
        self.loading, db = period, self.desk.db

        def done(figures: Satisfaction) -> None:
            if self.wanted == period:
                self.show_figures(figures)

        def job() -> Satisfaction:
            from recuperation.services.scorecard import satisfaction

            return satisfaction(db, period)

        operations.run(self, job, done, busy=self.counter)

    # -- showing ----------------------------------------------------------------------------------------------

    def show_figures(self, figures: Satisfaction) -> None:
        self.figures = figures
        dimensions = tuple(figures.dimensions)
        if dimensions != self.dimensions:
            self._build(dimensions)
        rate = (
            f"{figures.responses / figures.people:.1%}" if figures.people else "—"
        )  # the sentence's figure; every table shows its own
        self.summary.setText(
            self.tr(
                "已结束的批次（各类，未取消）{0} 个，其中 {1} 个收回了问卷；问卷 {2} 份，这些批次实到 {3} 人次，回收率 {4}。"
            ).format(
                f"{figures.ended:,}",
                f"{figures.answered:,}",
                f"{figures.responses:,}",
                f"{figures.people:,}",
                rate,
            )
        )
        flagged = sum(1 for c in figures.by_base if c.flags)
        self.note.setText(
            self.tr(
                "均分 = 星数之和 ÷ 评分数（1–5 星，一位小数），只计到达日期在这段时间、未取消的批次的问卷。按基地：问卷中对该基地的评分；"
                "按线路：对线路本身的评分；按合作单位：其团员的全部评分（基地和线路）。人次为团员（报到后按实到）。"
                "复核关注：总体满意度低于 {0}（评分满 {1} 份）、有未结案的严重事件、或最近一次检查有“应”条款不符合；"
                "本期 {2} 个基地需关注。"
            ).format(figures.review_line_text, figures.review_min_responses, flagged)
        )
        self.models["by_base"].set_rows(list(figures.by_base))
        self.models["by_route"].set_rows(list(figures.by_route))
        self.models["by_partner"].set_rows(list(figures.by_partner))
        self.models["batches"].set_rows(list(figures.batches))

    def clear(self) -> None:
        self.figures = None
        self.summary.clear()
        self.note.clear()
        for model in self.models.values():
            model.set_rows([])

    def current_view(self) -> QTableView:
        return self.views[list(self.views)[self.tables.currentIndex()]]
