"""线路: the route catalogue with each route's day-by-day plan."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyleOptionFrame,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from recuperation.filenames import file_in
from recuperation.services import bases as base_service
from recuperation.services import routes as service
from recuperation.storage.database import Database
from recuperation.storage.paths import data_dir
from ui import labels, operations
from ui.desk import Desk
from ui.i18n import format_money, sort_text
from ui.pages.base import Page
from ui.widgets import rights
from ui.widgets.form import Field
from ui.widgets.pdf_preview import PdfPreview
from ui.widgets.record_panel import Fetched, RecordPanel, ServiceCalls
from ui.widgets.table import Column

DAY, TIME, KIND, ACTIVITY, PLACE, BASE = range(6)
PLACE_WIDTH, BASE_WIDTH = 110, 150  # what a usual place and base name need


class CellEdit(QLineEdit):
    """A line edit in a table cell that reads like a cell: from its start, cut at the end with “…”, the whole
    text in its tooltip.  A plain QLineEdit scrolls to its cursor (the end), so a long activity showed its
    last words only.  While it has the focus it is an ordinary line edit."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setFrame(False)
        self.textChanged.connect(self.setToolTip)
        self.setToolTip(text)
        self.setCursorPosition(0)

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        self.setCursorPosition(0)

    def elided(self) -> str:
        """The text as shown without the focus: whole when it fits, else cut at the end with “…”."""
        width = self._text_rect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, max(width, 0))

    def _text_rect(self) -> Any:
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        rect = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        return rect.marginsRemoved(self.textMargins()).adjusted(2, 0, -2, 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        text = self.elided()
        if self.hasFocus() or text == self.text():
            super().paintEvent(event)
            return
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        painter = QPainter(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelLineEdit, option, painter, self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(
            self._text_rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
        )
        painter.end()


class PlanEditor(QWidget):
    """The day-by-day plan: add, edit, move up or down and remove items."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bases: list[tuple[int, str]] = []
        self.read_only = ""  # why the plan cannot be changed here ("" when it can)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("第几天"),
                self.tr("时间"),
                self.tr("类型"),
                self.tr("活动"),
                self.tr("地点"),
                self.tr("基地"),
            ]
        )
        self.table.horizontalHeaderItem(BASE).setToolTip(self.tr("用餐、住宿所在的基地"))
        self.table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # The activity is the sentence of the plan: it takes the room left.  The day, time and kind keep the
        # width of their content; place and base their usual width, shrinking when the table is narrow (the
        # batch page's side panel) so the activity never ends up the narrowest column.
        header.setSectionResizeMode(ACTIVITY, QHeaderView.ResizeMode.Stretch)
        self.table.viewport().installEventFilter(self)
        header.setMinimumSectionSize(40)
        kinds = QComboBox()
        kinds.addItems(list(labels.item_kinds().values()))
        for column, width in (
            (DAY, 56),
            (TIME, 60),
            (KIND, kinds.sizeHint().width()),
            (PLACE, PLACE_WIDTH),
            (BASE, BASE_WIDTH),
        ):
            self.table.setColumnWidth(column, width)
        self.add_button = QPushButton(self.tr("添加一项"))
        self.add_button.clicked.connect(lambda: self.add_item())
        self.remove_button = QPushButton(self.tr("删除"))
        self.remove_button.clicked.connect(self.remove_item)
        self.up_button = QPushButton(self.tr("上移"))
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button = QPushButton(self.tr("下移"))
        self.down_button.clicked.connect(lambda: self.move(1))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("日程安排")))
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def set_read_only(self, reason: str) -> None:
        """The plan is shown, not changed (``reason``: who lacks which right)."""
        self.read_only = reason
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            rights.lock(button, reason)

    def eventFilter(self, watched: Any, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.share_width(self.table.viewport().width())
        return super().eventFilter(watched, event)

    def share_width(self, width: int) -> None:
        """Place and base take at most a quarter and a third of what the day, time and kind leave, and no more
        than their usual widths; the activity stretches over the rest."""
        rest = width - sum(self.table.columnWidth(c) for c in (DAY, TIME, KIND))
        self.table.setColumnWidth(PLACE, max(40, min(PLACE_WIDTH, rest // 4)))
        self.table.setColumnWidth(BASE, max(40, min(BASE_WIDTH, rest // 3)))

    def add_item(self, item: Any = None, at: int | None = None) -> None:
        row = self.table.rowCount() if at is None else at
        day_no = item.day_no if item else self._last_day()
        self.table.insertRow(row)
        day = QSpinBox()
        day.setRange(1, 30)
        day.setValue(day_no)
        day.valueChanged.connect(self.changed)
        self.table.setCellWidget(row, DAY, day)
        for column, text in (
            (TIME, item.time_of_day if item else ""),
            (ACTIVITY, item.activity if item else ""),
            (PLACE, item.place if item else ""),
        ):
            edit = CellEdit(text)
            edit.textChanged.connect(self.changed)
            self.table.setCellWidget(row, column, edit)
        kind = QComboBox()
        for value, label in labels.item_kinds().items():
            kind.addItem(label, value)
        kind.setCurrentIndex(max(kind.findData(item.kind if item else "activity"), 0))
        kind.currentIndexChanged.connect(self.changed)
        self.table.setCellWidget(row, KIND, kind)
        base = QComboBox()
        base.addItem("—", None)
        for base_id, name in self.bases:
            base.addItem(name, base_id)
        base.setCurrentIndex(max(base.findData(item.base_id if item else None), 0))
        base.currentIndexChanged.connect(self.changed)
        base.currentTextChanged.connect(base.setToolTip)
        base.setToolTip(base.currentText())
        self.table.setCellWidget(row, BASE, base)
        if self.read_only:
            for column in (DAY, TIME, KIND, ACTIVITY, PLACE, BASE):
                rights.freeze(self.table.cellWidget(row, column), self.read_only)
        if item is None:
            self.table.selectRow(row)
            self.changed.emit()

    def _last_day(self) -> int:
        rows = self.table.rowCount()
        return self.table.cellWidget(rows - 1, DAY).value() if rows else 1  # type: ignore[union-attr]

    def remove_item(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def move(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        items = self.items()
        items.insert(target, items.pop(row))
        self.set_items(items)
        self.table.selectRow(target)
        self.changed.emit()

    def items(self) -> list[service.RouteItemInput]:
        result = []
        for row in range(self.table.rowCount()):
            w = self.table.cellWidget
            result.append(
                service.RouteItemInput(
                    day_no=w(row, DAY).value(),  # type: ignore[union-attr]
                    activity=w(row, ACTIVITY).text().strip(),  # type: ignore[union-attr]
                    kind=w(row, KIND).currentData(),  # type: ignore[union-attr]
                    time_of_day=w(row, TIME).text().strip(),  # type: ignore[union-attr]
                    place=w(row, PLACE).text().strip(),  # type: ignore[union-attr]
                    base_id=w(row, BASE).currentData(),  # type: ignore[union-attr]
                )
            )
        return result

    def set_items(self, items: list[Any]) -> None:
        blocked = self.blockSignals(True)
        self.table.setRowCount(0)
        for item in items:
            self.add_item(item)
        self.blockSignals(blocked)


class RoutesPanel(RecordPanel):
    audit_table = "route"
    service_calls = ServiceCalls(
        service.RouteInput,
        service.create_route,
        service.update_route,
        service.delete_route,
        service.archive_route,
    )

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.status_filter = self.add_status_filter()
        self.new_button.setText(self.tr("新建线路"))
        self.duplicate_button = QPushButton(self.tr("复制为新线路…"))
        self.duplicate_button.clicked.connect(self.duplicate)
        self.filters.addWidget(self.duplicate_button)
        rights.allow(self.duplicate_button, desk.access, self.right)
        self.print_button = QPushButton(self.tr("打印线路介绍…"))
        self.print_button.clicked.connect(self.print_brochure)
        self.filters.addWidget(self.print_button)
        self.preview: PdfPreview | None = None
        self.plan = PlanEditor()
        self.plan.changed.connect(self._update_buttons)
        if not self.allowed:
            self.plan.set_read_only(desk.access.why_not(self.right))
        self.tabs.widget(0).layout().insertWidget(1, self.plan, 4)  # type: ignore[union-attr]
        self.splitter.setSizes([520, 840])
        self.baseline_items: list[Any] = []

    def columns(self) -> list[Column]:
        themes = labels.themes()
        return [
            Column(self.tr("编号"), lambda r: r.code, width=70),
            Column(self.tr("名称"), lambda r: r.name, width=200),
            Column(self.tr("主题"), lambda r: themes.get(r.theme, r.theme), fits=list(themes.values())),
            Column(self.tr("天数"), lambda r: r.days, right=True, width=50),
            Column(self.tr("晚数"), lambda r: r.nights, right=True, width=50),
            Column(
                self.tr("价格（元/人）"),
                lambda r: format_money(r.price_fen),
                right=True,
                sort=lambda r: r.price_fen or 0,
                width=100,
            ),
            Column(self.tr("季节"), lambda r: r.season, width=100),
            Column(self.tr("状态"), lambda r: self.tr("已归档") if r.archived else self.tr("在用")),
        ]

    def fields(self) -> list[Field]:
        return [
            Field("code", self.tr("编号"), required=True, max_length=20),
            Field("name", self.tr("名称"), required=True, max_length=100),
            Field("theme", self.tr("主题"), "choice", required=True, choices=list(labels.themes().items())),
            Field("days", self.tr("天数"), "int", required=True, maximum=30),
            Field("nights", self.tr("晚数"), "int", maximum=30),
            Field(
                "price_fen",
                self.tr("价格（元/人）"),
                "money",
                optional=True,
                none_text=self.tr("未定"),
                maximum=1_000_000,
            ),
            Field("season", self.tr("适用季节"), max_length=40),
            Field("description", self.tr("简介"), "multiline", max_length=2000),
        ]

    def defaults(self) -> dict[str, Any]:
        return {"theme": "leisure", "days": 2, "nights": 1, "price_fen": None}

    def fetch_args(self) -> dict[str, Any]:
        return {"status": self.status_filter.currentData()}

    def fetch(self, db: Database, **args: Any) -> Fetched:
        bases = sorted(((b.id, b.name) for b in base_service.list_bases(db)), key=lambda b: sort_text(b[1]))
        rows = service.list_routes(db, include_archived=args["status"] != "active", with_items=True)
        return Fetched(self.keep_status(rows, args["status"]), bases)

    def accept(self, extra: Any) -> None:
        if extra != self.plan.bases:
            self.plan.bases = extra

    def load_extra(self, row: Any) -> None:
        self.plan.set_items(list(row.items) if row is not None else [])
        self.baseline_items = self.plan.items()
        self._update_buttons()

    def extra_dirty(self) -> bool:
        return hasattr(self, "plan") and self.plan.items() != self.baseline_items

    def collect_values(self) -> dict[str, Any]:
        return {**self.form.values(), "items": tuple(self.plan.items())}

    def print_brochure(self) -> None:
        row = self.current
        if row is None:
            return
        db, code = self.desk.db, row.code
        target = file_in(data_dir() / "print", code, "route", suffix=".pdf")

        def job() -> Any:
            from recuperation.documents.render import render  # reportlab is imported when first used

            return render(db, "route", code, target)

        def done(result: Any) -> None:
            self.preview = PdfPreview(self, result.path, f"{code} {row.name}", result.note())
            self.preview.open()

        operations.run(self, job, done, failed=self._save_failed)

    def duplicate(self) -> None:
        row = self.current
        if row is None or not self.allowed or not self.maybe_leave():
            return
        code, ok = QInputDialog.getText(
            self, self.tr("复制线路"), self.tr("新线路的编号："), text=row.code + "-2"
        )
        if not ok or not code.strip():
            return
        db, name = self.desk.db, self.tr("{0}（副本）", "the name of a copied route").format(row.name)

        def done(copy: Any) -> None:
            self.desk.status.emit(self.tr("已复制为 {0}").format(copy.code))
            self.refresh(select_key=copy.id)

        code = code.strip()
        operations.run(
            self, lambda: service.duplicate_route(db, row.id, code, name), done, title=self.tr("不能复制")
        )


class RoutesPage(Page):
    name = "routes"
    shows = frozenset({"route", "route_item", "base"})

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.routes = RoutesPanel(desk)
        self.layout_.addWidget(self.routes)
        self.panels = [self.routes]
