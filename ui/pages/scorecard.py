"""基地 › 评分: a base's scorecard of a year (:mod:`recuperation.services.scorecard`) — ratings by dimension
against the year before, incidents by kind and severity, batches and people received, utilisation, the latest
inspection, the certification's state and why the base is flagged for review — and the two printouts the
re-check panel reads: 打印评分表… and 打印复核档案… (made on the worker, shown in the PDF preview)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
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
from recuperation.models import IncidentKind, Severity
from recuperation.services import scorecard as service
from recuperation.storage.paths import data_dir
from ui import labels, operations
from ui.desk import Desk
from ui.i18n import format_date
from ui.widgets.fit import FlowLayout, scrolling, wrapping
from ui.widgets.pdf_preview import PdfPreview
from ui.widgets.table import BAD, GOOD, Column, RowTableModel, table_view


def whole_height(view: QTableView) -> None:
    """A small table whole: every column as wide as its contents (the first one taking the rest of the tab's
    width) and the table as tall as its rows, so it never scrolls inside the tab (the tab scrolls)."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setWordWrap(False)  # a row one line high whatever the width the tab gives the first column
    view.resizeRowsToContents()
    height = header.height() + 2 * view.frameWidth()
    height += sum(view.rowHeight(r) for r in range(view.model().rowCount()))
    view.setFixedHeight(height + 2)


class ScorecardView(QWidget):
    """The 评分 tab of a base."""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.busy = 0
        self.base: Any = None
        self.card: service.Scorecard | None = None
        self.preview: PdfPreview | None = None  # the last printout shown (tests reach it)
        self._filling = False
        self._before = True  # whether the year before has any figure (else its columns show —)

        self.year = QComboBox()
        self.year.setObjectName("scorecard_year")
        self.year.currentIndexChanged.connect(self._year_chosen)
        self.card_button = QPushButton(self.tr("打印评分表…"))
        self.card_button.setToolTip(self.tr("这个基地这一年的评分表（一页 A4），与上一年对比"))
        self.card_button.clicked.connect(self.print_scorecard)
        self.review_button = QPushButton(self.tr("打印复核档案…"))
        self.review_button.setToolTip(
            self.tr("给复核评审组的一份 PDF：认定历程、两年的评分表、实地检查、事件、意见摘录和签字栏")
        )
        self.review_button.clicked.connect(self.print_review_file)
        top = FlowLayout()
        top.addWidget(QLabel(self.tr("年份")))
        top.addWidget(self.year)
        top.addWidget(self.card_button)
        top.addWidget(self.review_button)

        self.verdict = wrapping(QLabel())
        self.verdict.setObjectName("scorecard_verdict")
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setContentsMargins(6, 4, 6, 4)

        box = QGroupBox(self.tr("主要数字"))
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self.values: dict[str, QLabel] = {}
        names = [
            ("overall", self.tr("总体满意度")),
            ("responses", self.tr("问卷")),
            ("batches", self.tr("接待批次")),
            ("people", self.tr("接待人次")),
            ("utilisation", self.tr("床位利用率")),
            ("serious", self.tr("未结严重事件")),
        ]
        for i, (key, title) in enumerate(names):
            heading = wrapping(QLabel(title))
            value = wrapping(QLabel("—"))
            value.setObjectName(f"scorecard_{key}")
            value.setStyleSheet("font-size: 14px; font-weight: 600; color: #0b5394;")
            self.values[key] = value
            grid.addWidget(heading, 2 * (i // 2), i % 2)
            grid.addWidget(value, 2 * (i // 2) + 1, i % 2)
        self.certificate = wrapping(QLabel())
        self.certificate.setObjectName("scorecard_certificate")
        grid.addWidget(self.certificate, 6, 0, 1, 2)

        dims, trends = labels.dimensions(), labels.trends()
        self.ratings = RowTableModel(
            [
                Column(self.tr("维度"), lambda line: dims.get(line.dimension, line.dimension), width=110),
                Column(self.tr("本年"), lambda line: line.this.mean_text, right=True, width=56),
                Column(self.tr("本年评分数"), lambda line: line.this.count, right=True, width=72),
                Column(self.tr("上年"), lambda line: line.last.mean_text, right=True, width=56),
                Column(
                    self.tr("上年评分数"),
                    lambda line: line.last.count if self._before else "—",
                    right=True,
                    width=72,
                ),
                Column(
                    self.tr("趋势"),
                    lambda line: trends.get(line.trend, "—") if line.trend else "—",
                    background=lambda line: {"up": GOOD, "down": BAD}.get(line.trend or ""),
                ),
            ],
            key=lambda line: line.dimension,
        )
        self.rating_view = table_view(self.ratings)
        kinds, severities = labels.incident_kinds(), labels.severities()
        self.incidents = RowTableModel(
            [
                Column(self.tr("事件类型"), lambda row: row[0], width=110),
                *(
                    Column(severities[s], lambda row, i=i: row[1 + i], right=True, width=56)
                    for i, s in enumerate(Severity.values())
                ),
                Column(self.tr("本年合计"), lambda row: row[4], right=True, width=72),
                Column(self.tr("上年"), lambda row: row[5], right=True),
            ],
            key=lambda row: row[0],
        )
        self.kind_names = [kinds[k] for k in IncidentKind.values()]
        self.incident_view = table_view(self.incidents)
        for view in (self.rating_view, self.incident_view):
            view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.rating_note = wrapping(QLabel())
        self.rating_note.setStyleSheet("color: #6c757d;")
        self.incident_note = wrapping(QLabel())
        self.incident_note.setStyleSheet("color: #6c757d;")
        self.inspection = wrapping(QLabel())
        self.inspection.setObjectName("scorecard_inspection")

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.verdict)
        body.addWidget(box)
        body.addWidget(QLabel(self.tr("满意度（1–5 星）")))
        body.addWidget(self.rating_view)
        body.addWidget(self.rating_note)
        body.addWidget(QLabel(self.tr("事件（按类型与严重程度）")))
        body.addWidget(self.incident_view)
        body.addWidget(self.incident_note)
        body.addWidget(QLabel(self.tr("实地检查（本年最近一次）")))
        body.addWidget(self.inspection)
        body.addStretch(1)
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        buttons.addLayout(top, 1)
        layout.addLayout(buttons)
        area = scrolling(content)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # everything wraps instead
        layout.addWidget(area, 1)
        self._enable()

    # -- loading ----------------------------------------------------------------------------------------------

    def set_base(self, base: Any) -> None:
        self.base = base
        if base is None:
            self.card = None
            self._show(None)
            return
        self.reload()

    def reload(self) -> None:
        if self.base is None:
            return
        base_id, db = self.base.id, self.desk.db
        wanted = self.year.currentData()

        def job() -> tuple[list[int], service.Scorecard]:
            years = service.years_of_base(db, base_id)
            year = wanted if wanted is not None and wanted in years else service.opening_year(years)
            return years, service.scorecard(db, base_id, year)

        def done(result: tuple[list[int], service.Scorecard]) -> None:
            years, card = result
            if self.base is None or self.base.id != base_id:
                return  # another base was chosen meanwhile: its own reload shows its card
            self._fill_years(years, card.year)
            self.card = card
            self._show(card)

        def failed(exc: BaseException) -> None:
            self.card = None
            self._show(None)  # never another base's figures under this one
            operations.show_failure(self, exc)

        operations.run(self, job, done, failed=failed)

    def _fill_years(self, years: list[int], chosen: int) -> None:
        self._filling = True
        self.year.clear()
        for year in sorted({*years, chosen}, reverse=True):
            self.year.addItem(str(year), year)
        self.year.setCurrentIndex(self.year.findData(chosen))
        self._filling = False

    def _year_chosen(self, _index: int) -> None:
        if self._filling or self.base is None or self.year.currentData() is None:
            return
        if self.card is not None and self.card.year == self.year.currentData():
            return
        base_id, year, db = self.base.id, self.year.currentData(), self.desk.db

        def done(card: service.Scorecard) -> None:
            if self.base is not None and self.base.id == base_id and self.year.currentData() == year:
                self.card = card
                self._show(card)

        operations.run(self, lambda: service.scorecard(db, base_id, year), done)

    # -- showing ----------------------------------------------------------------------------------------------

    def _enable(self) -> None:
        ready = self.card is not None
        self.card_button.setEnabled(ready)
        self.review_button.setEnabled(ready)

    def _show(self, card: service.Scorecard | None) -> None:
        self._enable()
        if card is None:
            self.verdict.clear()
            self.verdict.setStyleSheet("")
            for value in self.values.values():
                value.setText("—")
            self.certificate.clear()
            self.ratings.set_rows([])
            self.incidents.set_rows([])
            self.rating_note.clear()
            self.incident_note.clear()
            self.inspection.clear()
            return
        this, last = card.this, card.last
        self._before = last.has_figures
        if card.flags:
            reasons = "\n".join(f"{n}. {f.message()}" for n, f in enumerate(card.flags, start=1))
            self.verdict.setText(self.tr("需复核关注：\n{0}").format(reasons))
            self.verdict.setStyleSheet("background: #f8d7da; color: #842029; border-radius: 3px;")
        else:
            self.verdict.setText(self.tr("无需复核关注：总体满意度、严重事件和“应”条款均未触及复核关注线。"))
            self.verdict.setStyleSheet("background: #d1e7dd; color: #0f5132; border-radius: 3px;")
        overall = this.overall
        self.values["overall"].setText(
            self.tr("{0}（{1} 份评分）").format(overall.mean_text, f"{overall.count:,}")
            if overall.count
            else "—"
        )
        self.values["responses"].setText(
            self.tr("{0} 份（回收率 {1}）").format(f"{this.responses:,}", this.response_rate_text)
        )
        self.values["batches"].setText(f"{this.batches:,}")
        self.values["people"].setText(
            self.tr("{0}（家属 {1}）").format(f"{this.people:,}", this.companions)
            if this.companions
            else f"{this.people:,}"
        )
        self.values["utilisation"].setText(this.utilisation_text)
        self.values["utilisation"].setToolTip(
            self.tr("已用 {0} / 可用 {1} 床位·晚").format(
                f"{this.bed_nights_used:,}", f"{this.bed_nights_available:,}"
            )
        )
        self.values["serious"].setText(f"{len(this.open_serious):,}")
        self.values["serious"].setStyleSheet(
            "font-size: 14px; font-weight: 600; color: "
            + ("#b00020; background: #f8d7da;" if this.open_serious else "#0b5394;")
        )
        self.certificate.setText(self.certificate_words(card))
        self.ratings.set_rows(card.lines)
        compared = (
            self.tr("{0}年与{1}年对比。").format(card.year, card.year - 1)
            if last.has_figures
            else self.tr(
                "{0}年没有这个基地的任何数据（无接待批次、评分、事件和实地检查），不作对比。"
            ).format(card.year - 1)
        )
        self.rating_note.setText(
            compared
            + self.tr(
                "均分 = 星数之和 ÷ 评分数，四舍五入到一位小数；只计到达日期在当年、"
                "未取消的批次的问卷中对本基地的评分。"
            )
        )
        rows = []
        last_kinds = last.by_kind()
        for kind, name in zip(IncidentKind.values(), self.kind_names, strict=True):
            counts = [this.kind_severity(kind, s) for s in Severity.values()]
            rows.append((name, *counts, sum(counts), last_kinds[kind] if last.has_figures else "—"))
        totals: list[Any] = [sum(row[i] for row in rows) for i in range(1, 5)]
        totals.append(sum(last_kinds.values()) if last.has_figures else "—")
        rows.append((self.tr("合计"), *totals))
        self.incidents.set_rows(rows)
        self.incident_note.setText(
            self.tr(
                "本年事件 {0} 起，未结案 {1} 起；事件记录未指明基地的，按批次当晚住宿的基地计入。"
            ).format(len(this.incidents), this.open_incidents)
        )
        self.inspection.setText(self.inspection_words(this.inspection, card.year))
        for view in (self.rating_view, self.incident_view):
            whole_height(view)

    def certificate_words(self, card: service.Scorecard) -> str:
        """The certification in one statement, as the bases list shows it: level · state, the state being
        today's whatever the card's year (so labelled)."""
        cert = card.certificate
        states = labels.base_cert_states()
        if not cert.status:
            return self.tr("认定状态（今天）：{0}").format(states["none"])
        words = self.tr("认定状态（今天）：{0} · {1}").format(
            labels.cert_levels().get(cert.level, cert.level),
            states.get(cert.state, cert.state),
        )
        if cert.valid_to is not None:
            words += self.tr("，有效期至 {0}").format(format_date(cert.valid_to))
        if cert.recheck_due is not None:
            words += self.tr("，复核日期 {0}").format(format_date(cert.recheck_due))
        return words

    def inspection_words(self, summary: service.InspectionSummary | None, year: int) -> str:
        if summary is None:
            return self.tr("{0}年没有实地检查记录。").format(year)
        words = self.tr("{0}（{1}）：共 {2} 条，符合 {3}，不符合 {4}，不适用 {5}，未检查 {6}。").format(
            format_date(summary.on_date),
            labels.inspection_kinds().get(summary.kind, summary.kind),
            summary.total,
            summary.met,
            summary.not_met,
            summary.na,
            summary.unchecked,
        )
        if summary.shall_not_met:
            words += self.tr("“应”条款不符合：{0}").format(messages.join(list(summary.shall_not_met)))
        return words

    # -- printing ---------------------------------------------------------------------------------------------

    def print_scorecard(self) -> None:
        self._print("scorecard", self.tr("{0} {1} 年评分表"))

    def print_review_file(self) -> None:
        self._print("review_file", self.tr("{0} 复核档案（{1} 年）"))

    def _print(self, document: str, title: str) -> None:
        card = self.card
        if card is None:
            return
        db, name, year = self.desk.db, card.base, card.year
        target = file_in(data_dir() / "print", name, year, document, suffix=".pdf")

        def job() -> Any:
            from recuperation.documents.render import render  # reportlab is imported when first used

            return render(db, document, name, target, year=year)

        def done(result: Any) -> None:
            self.preview = PdfPreview(self, result.path, title.format(name, year), result.note())
            self.preview.open()

        operations.run(
            self, job, done, failed=lambda exc: operations.show_failure(self, exc, self.tr("不能打印"))
        )
