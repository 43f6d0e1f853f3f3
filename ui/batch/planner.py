"""日程计划: a month or a week of batches as bars, each base's beds per night, double-booked staff marked.

Double-click a bar to open the batch; drag it to other dates and the checks run on the move before
anything is saved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPageLayout,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.filenames import file_in
from recuperation.labels import label as core_label
from recuperation.private_files import make_private
from recuperation.services import orders as order_service
from recuperation.services.batch import edit as batch_edit
from recuperation.services.batch.planner import BaseNights, PlannedBatch, PlannerView, planner_view
from recuperation.storage.database import Database
from recuperation.storage.paths import data_dir
from ui import labels, operations
from ui.desk import Desk
from ui.i18n import format_date, sort_text
from ui.widgets import dialogs
from ui.widgets.pdf_preview import PdfPreview

NAME_WIDTH = 170  # the least room for the base names on the left
NAME_WIDTH_MAX = 320  # longer names are cut with “…” (the tooltip has them whole)
MONTH_DAY = 30  # the least width of a day: a month (31 days and the names fit a 1366-pixel screen)
WEEK_DAY = 120  # and a week
HEADER = 38
LANE = 24
BASE_ROW = 22
STATUS_COLOURS = {
    "planned": "#9ec5fe",
    "confirmed": "#3d8bfd",
    "in_progress": "#20c997",
    "completed": "#adb5bd",
}


#: (base id, night) → the batches lodging there whose base has not confirmed their current order: (code, state).
Unconfirmed = dict[tuple[int, dt.date], list[tuple[str, str]]]
UNCONFIRMED_COLOUR = "#d63384"


def unconfirmed_lodging(db: Database, first: dt.date, last: dt.date) -> Unconfirmed:
    """On the worker, in the planner's load: every night from ``first`` to ``last`` that a live batch lodges
    at a base which has not confirmed the batch's current order (not sent, waiting, declined, changed since
    sent), from one listing of the period's orders."""
    marks: Unconfirmed = {}
    for row in order_service.list_orders(db, first=first, last=last, batch_states=order_service.LIVE_BATCHES):
        if row.state in order_service.ANSWERED or row.content is None:
            continue
        for night in row.content.get("nights", ()):
            day = dt.date.fromisoformat(night["night"])
            if first <= day <= last and night.get("people", 0) > 0:
                marks.setdefault((row.base_id, day), []).append((row.batch, row.state))
    return marks


def fill_colour(used: int, beds: int) -> QColor | None:
    """Green while there is room, yellow from 80 %, orange when full, red when over."""
    if not used or not beds:
        return None
    ratio = used / beds
    if ratio > 1:
        return QColor("#f1aeb5")
    if ratio >= 1:
        return QColor("#fecba1")
    if ratio >= 0.8:
        return QColor("#ffe69c")
    return QColor("#d1e7dd")


def bar_label(metrics: QFontMetrics, width: int, code: str, partner: str, headcount: int) -> str:
    """What a bar of ``width`` pixels says, the first that fits of: code, partner and headcount; the same with
    the partner cut with “…”; then with the code's serial (after its last “-”, the year being the page's)
    for the code; code and headcount; serial and headcount; the code; the serial, cut if need be.  The
    tooltip always has everything."""
    serial = code.rsplit("-", 1)[-1]

    def with_partner(lead: str) -> str:
        room = width - metrics.horizontalAdvance(f"{lead}  {headcount}")
        cut = metrics.elidedText(partner, Qt.TextElideMode.ElideRight, room) if room > 0 else ""
        keeps_some = cut == partner or len(cut) >= 3  # the whole name, or two characters and the “…”
        return f"{lead} {cut} {headcount}" if keeps_some else ""

    for text in (
        with_partner(code),
        with_partner(serial),
        f"{code} {headcount}",
        f"{serial} {headcount}",
        code,
        serial,
    ):
        if text and metrics.horizontalAdvance(text) <= width:
            return text
    return metrics.elidedText(serial, Qt.TextElideMode.ElideRight, width)


class PlannerCanvas(QWidget):
    opened = Signal(object)  # PlannedBatch
    moved = Signal(object, int)  # PlannedBatch, days

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.view: PlannerView | None = None
        self.unconfirmed: Unconfirmed = {}
        self.day_width = MONTH_DAY
        self.name_width = NAME_WIDTH
        self.fit_width = 0  # the width to fill (the scroll area's viewport); 0: the least widths
        self.least_day_width = MONTH_DAY
        self.lanes: dict[int, int] = {}
        self.lane_count = 0
        self.clashed: set[str] = set()
        self._drag: tuple[PlannedBatch, int] | None = None
        self._drag_days = 0
        self.movable = True  # a bar can be dragged to other dates (who may plan)
        self.setMouseTracking(False)

    def set_view(self, view: PlannerView, day_width: int, unconfirmed: Unconfirmed | None = None) -> None:
        """Show ``view`` with days at least ``day_width`` wide, wider when that fills the room given; the
        nights in ``unconfirmed`` are hatched (their base has not confirmed the batch's order)."""
        self.view = view
        self.unconfirmed = unconfirmed or {}
        self.least_day_width = day_width
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(self.base_label(b)) for b in view.bases), default=0)
        self.name_width = min(max(NAME_WIDTH, widest + 12), NAME_WIDTH_MAX)
        self.lanes, ends = {}, []
        for batch in sorted(view.batches, key=lambda b: (b.arrival, b.departure, b.code)):
            for lane, end in enumerate(ends):
                if end < batch.arrival:
                    ends[lane] = batch.departure
                    self.lanes[batch.id] = lane
                    break
            else:
                self.lanes[batch.id] = len(ends)
                ends.append(batch.departure)
        self.lane_count = len(ends)
        self.clashed = {code for clash in view.clashes for code in clash.codes}
        self.fit(self.fit_width)

    def fit(self, width: int) -> None:
        """Widen the days so the calendar fills ``width`` pixels (never narrower than the least day)."""
        self.fit_width = width
        days = self.days()
        room = (width - self.name_width - 2) // days if days else 0
        self.day_width = max(self.least_day_width, room)
        self.setFixedSize(self.sizeHint())
        self.update()

    def base_label(self, base: BaseNights) -> str:
        return self.tr("{0}（{1}）", "a base and its beds").format(base.base, base.beds)

    def sorted_bases(self) -> list[BaseNights]:
        return sorted(self.view.bases, key=lambda b: sort_text(b.base)) if self.view else []

    def lanes_bottom(self) -> int:
        """Where the rows of the bases begin."""
        return HEADER + self.lane_count * LANE + 18

    def days(self) -> int:
        return (self.view.last - self.view.first).days + 1 if self.view else 0

    def sizeHint(self) -> QSize:
        bases = len(self.view.bases) if self.view else 0
        return QSize(
            self.name_width + self.days() * self.day_width + 2,
            HEADER + self.lane_count * LANE + 16 + bases * BASE_ROW + 4,
        )

    def bar_rect(self, batch: PlannedBatch) -> QRect:
        assert self.view is not None
        start = max((batch.arrival - self.view.first).days, 0)
        end = min((batch.departure - self.view.first).days, self.days() - 1)
        x = self.name_width + start * self.day_width
        return QRect(
            x + 1, HEADER + self.lanes[batch.id] * LANE + 2, (end - start + 1) * self.day_width - 2, LANE - 4
        )

    def batch_at(self, point: QPoint) -> PlannedBatch | None:
        if self.view is None:
            return None
        return next((b for b in self.view.batches if self.bar_rect(b).contains(point)), None)

    def paintEvent(self, _event: QPaintEvent) -> None:
        if self.view is None:
            return
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        view = self.view
        grid = QPen(QColor("#dee2e6"))
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() - 1.5, 7))
        lanes_bottom = HEADER + self.lane_count * LANE + 8
        weekdays = [
            self.tr("一"),
            self.tr("二"),
            self.tr("三"),
            self.tr("四"),
            self.tr("五"),
            self.tr("六"),
            self.tr("日"),
        ]
        for i in range(self.days()):
            day = view.first + dt.timedelta(days=i)
            x = self.name_width + i * self.day_width
            if day.weekday() >= 5:
                painter.fillRect(QRect(x, 0, self.day_width, self.height()), QColor("#f8f9fa"))
            painter.setPen(grid)
            painter.drawLine(x, 0, x, self.height())
            painter.setPen(QColor("#495057"))
            painter.drawText(QRect(x, 2, self.day_width, 16), Qt.AlignmentFlag.AlignCenter, str(day.day))
            painter.setFont(small)
            painter.drawText(
                QRect(x, 18, self.day_width, 16),
                Qt.AlignmentFlag.AlignCenter,
                weekdays[day.weekday()],
            )
            painter.setFont(self.font())
        painter.setPen(QColor("#212529"))
        painter.drawText(QRect(4, 2, self.name_width - 8, 32), Qt.AlignmentFlag.AlignVCenter, self.tr("批次"))
        bar_metrics = QFontMetrics(small)
        for batch in view.batches:
            rect = self.bar_rect(batch)
            if self._drag and self._drag[0].id == batch.id:
                rect.translate(self._drag_days * self.day_width, 0)
            painter.fillRect(rect, QColor(STATUS_COLOURS.get(batch.status, "#9ec5fe")))
            if batch.code in self.clashed:
                painter.setPen(QPen(QColor("#dc3545"), 2))
                painter.drawRect(rect.adjusted(1, 1, -1, -1))
            painter.setPen(QColor("#212529"))
            painter.setFont(small)
            text_rect = rect.adjusted(3, 0, -2, 0)
            painter.drawText(
                text_rect,
                Qt.AlignmentFlag.AlignVCenter,
                bar_label(bar_metrics, text_rect.width(), batch.code, batch.partner, batch.headcount),
            )
            painter.setFont(self.font())
        painter.setPen(QPen(QColor("#adb5bd")))
        painter.drawLine(0, lanes_bottom - 4, self.width(), lanes_bottom - 4)
        painter.setFont(small)
        painter.setPen(QColor("#6c757d"))
        painter.drawText(
            QRect(4, lanes_bottom - 4, self.name_width - 8, 12),
            Qt.AlignmentFlag.AlignVCenter,
            self.tr("基地（床位）每晚已订"),
        )
        painter.setFont(self.font())
        lanes_bottom = self.lanes_bottom()
        name_metrics = QFontMetrics(self.font())
        for row, base in enumerate(self.sorted_bases()):
            y = lanes_bottom + row * BASE_ROW
            painter.setPen(QColor("#212529"))
            painter.drawText(
                QRect(4, y, self.name_width - 8, BASE_ROW),
                Qt.AlignmentFlag.AlignVCenter,
                name_metrics.elidedText(
                    self.base_label(base), Qt.TextElideMode.ElideRight, self.name_width - 8
                ),
            )
            painter.setFont(small)
            for i in range(self.days()):
                night = view.first + dt.timedelta(days=i)
                used = base.used.get(night, 0)
                cell = QRect(
                    self.name_width + i * self.day_width + 1, y + 1, self.day_width - 2, BASE_ROW - 2
                )
                colour = fill_colour(used, base.beds)
                if colour is not None:
                    painter.fillRect(cell, colour)
                if (base.base_id, night) in self.unconfirmed:
                    # hatched and outlined: lodging the base has not confirmed (the tooltip names it)
                    mark = QColor(UNCONFIRMED_COLOUR)
                    mark.setAlpha(90)
                    painter.fillRect(cell, QBrush(mark, Qt.BrushStyle.BDiagPattern))
                    painter.setPen(QPen(QColor(UNCONFIRMED_COLOUR), 1, Qt.PenStyle.DashLine))
                    painter.drawRect(cell.adjusted(0, 0, -1, -1))
                if used:
                    painter.setPen(QColor("#842029") if used > base.beds else QColor("#212529"))
                    painter.drawText(
                        cell,
                        Qt.AlignmentFlag.AlignCenter,
                        self.night_text(used, base.beds, bar_metrics, cell.width()),
                    )
            painter.setFont(self.font())
        painter.end()

    def night_text(self, used: int, beds: int, metrics: QFontMetrics | None = None, width: int = 0) -> str:
        """The people booked on a night, marked when they are more than the beds and the cell has room for
        the mark (the red cell and its tooltip say it too)."""
        if used > beds:
            marked = self.tr(
                "超{0}", "people booked on an overbooked night, in a cell two digits wide"
            ).format(used)
            if metrics is None or metrics.horizontalAdvance(marked) <= width:
                return marked
        return str(used)

    def tooltip_at(self, point: QPoint) -> str:
        """What hovering says: a bar's batch in full, a base's name whole, a night's beds."""
        if self.view is None:
            return ""
        batch = self.batch_at(point)
        if batch is not None:
            lines = [
                f"{batch.code} {batch.partner}",
                self.tr("{0}，{1}").format(
                    labels.batch_kinds().get(batch.kind, batch.kind),
                    labels.batch_statuses().get(batch.status, batch.status),
                ),
                self.tr("{0} 至 {1}").format(format_date(batch.arrival), format_date(batch.departure)),
                self.tr("人数：{0}").format(batch.headcount),
            ]
            if batch.guide:
                lines.append(self.tr("导游：{0}").format(batch.guide))
            if batch.vehicle:
                lines.append(self.tr("车辆：{0}").format(batch.vehicle))
            if batch.code in self.clashed:
                lines.append(self.tr("导游或车辆同一天另有安排"))
            return "\n".join(lines)
        row = (point.y() - self.lanes_bottom()) // BASE_ROW if point.y() >= self.lanes_bottom() else -1
        bases = self.sorted_bases()
        if not 0 <= row < len(bases):
            return ""
        base = bases[row]
        if point.x() < self.name_width:
            return self.base_label(base)
        night = self.view.first + dt.timedelta(days=(point.x() - self.name_width) // self.day_width)
        used = base.used.get(night, 0)
        text = self.tr("{0} {1}：已订 {2} / 共 {3} 张床位").format(
            base.base, format_date(night), used, base.beds
        )
        if used > base.beds:
            text += "\n" + self.tr("超出 %n 张", "", used - base.beds)
        waiting = self.unconfirmed.get((base.base_id, night), [])
        if waiting:
            text += "\n" + self.tr("基地未确认：{0}").format(
                messages.join(
                    [
                        self.tr("{0}（{1}）").format(code, core_label("order_state", state))
                        for code, state in waiting
                    ]
                )
            )
        return text

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        batch = self.batch_at(event.position().toPoint())
        if batch is not None and event.button() == Qt.MouseButton.LeftButton and self.movable:
            self._drag = (batch, event.position().toPoint().x())
            self._drag_days = 0

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag_days = round((event.position().toPoint().x() - self._drag[1]) / self.day_width)
            self.update()

    def mouseReleaseEvent(self, _event: QMouseEvent) -> None:
        if self._drag is not None:
            batch, days = self._drag[0], self._drag_days
            self._drag, self._drag_days = None, 0
            self.update()
            if days:
                self.moved.emit(batch, days)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        batch = self.batch_at(event.position().toPoint())
        if batch is not None:
            self._drag = None
            self.opened.emit(batch)


class PlannerPanel(QWidget):
    """The calendar with its controls; loading and moving go through the background worker."""

    opened = Signal(int)  # batch id
    changed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.busy = 0
        self.loaded_once = False
        today = dt.date.today()
        self.anchor = today.replace(day=1)
        self.span = QComboBox()
        self.span.addItem(self.tr("月"), "month")
        self.span.addItem(self.tr("周"), "week")
        self.span.currentIndexChanged.connect(lambda _i: self.reload())
        self.previous = QPushButton("◀")
        self.previous.clicked.connect(lambda: self.step(-1))
        self.next = QPushButton("▶")
        self.next.clicked.connect(lambda: self.step(1))
        self.title = QLabel()
        self.clash_label = QLabel()
        self.clash_label.setStyleSheet("color: #b02a37;")
        self.clash_label.setWordWrap(True)
        # the key to the hatched nights (hidden when none is shown)
        self.unconfirmed_key = QLabel(self.tr("虚线框：基地未确认预订单"))
        self.unconfirmed_key.setStyleSheet(f"color: {UNCONFIRMED_COLOUR};")
        self.unconfirmed_key.setToolTip(
            self.tr("基地还没有确认批次当前的预订单（未发送、待回复、已拒绝或发出后有变更）的住宿。")
        )
        self.unconfirmed_key.hide()
        self.print_button = QPushButton(self.tr("打印本页…"))
        self.print_button.clicked.connect(self.print_page)
        self.preview: PdfPreview | None = None
        top = QHBoxLayout()
        for widget in (self.previous, self.title, self.next, self.span):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.unconfirmed_key)
        top.addWidget(self.print_button)
        self.canvas = PlannerCanvas()
        # moving a batch is planning; a double-click still opens it
        self.canvas.movable = desk.access.can("plan")
        self.canvas.opened.connect(lambda batch: self.opened.emit(batch.id))
        self.canvas.moved.connect(self.try_move)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.canvas)
        self.scroll.setWidgetResizable(False)
        self.scroll.viewport().installEventFilter(self)  # the days widen to fill the width shown
        self.clash_label.hide()  # shown when there is a clash: an empty label would leave a blank band
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.clash_label)
        layout.addWidget(self.scroll, 1)

    def eventFilter(self, watched: Any, event: QEvent) -> bool:
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            assert isinstance(event, QResizeEvent)
            if event.size().width() != self.canvas.fit_width:
                self.canvas.fit(event.size().width())
        return super().eventFilter(watched, event)

    def print_page(self) -> None:
        """The calendar as shown, on one landscape A4 page, in the preview to print or save."""
        if self.canvas.view is None:
            return
        first, _last = self.period()
        path = file_in(data_dir() / "print", "planner", first.isoformat(), suffix=".pdf")
        path.parent.mkdir(parents=True, exist_ok=True)
        make_private(path)  # the kept print folder is the user's alone; QPrinter keeps the mode
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        painter = QPainter(printer)
        area = painter.viewport()
        size = self.canvas.sizeHint()
        scale = min(area.width() / size.width(), area.height() / size.height())
        painter.scale(scale, scale)
        self.canvas.render(painter, QPoint(0, 0))
        painter.end()
        self.preview = PdfPreview(self, path, self.tr("日程计划 {0}").format(self.title.text()))
        self.preview.open()

    def period(self) -> tuple[dt.date, dt.date]:
        if self.span.currentData() == "week":
            first = self.anchor - dt.timedelta(days=self.anchor.weekday())
            return first, first + dt.timedelta(days=6)
        first = self.anchor.replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        return first, nxt - dt.timedelta(days=1)

    def step(self, direction: int) -> None:
        if self.span.currentData() == "week":
            self.anchor += dt.timedelta(days=7 * direction)
        else:
            self.anchor = (
                self.anchor.replace(day=1) + dt.timedelta(days=32 * direction if direction > 0 else -1)
            ).replace(day=1)
        self.reload()

    def show_date(self, day: dt.date) -> None:
        self.anchor = day
        self.reload()

    def reload(self) -> None:
        first, last = self.period()
        db = self.desk.db
        week = self.span.currentData() == "week"

        def load() -> tuple[PlannerView, Unconfirmed]:
            return planner_view(db, first, last), unconfirmed_lodging(db, first, last)

        def done(result: tuple[PlannerView, Unconfirmed]) -> None:
            view, unconfirmed = result
            self.loaded_once = True
            self.title.setText(f"{format_date(first)} – {format_date(last)}")
            self.canvas.fit_width = self.scroll.viewport().width()
            self.canvas.set_view(view, WEEK_DAY if week else MONTH_DAY, unconfirmed)
            self.unconfirmed_key.setVisible(bool(unconfirmed))
            what = {"guide": self.tr("导游"), "vehicle": self.tr("车辆")}
            shown = [
                self.tr("{0} {1} 在 {2} 同时安排给 {3}").format(
                    what[c.what], c.who, format_date(c.day), messages.join(list(c.codes))
                )
                for c in view.clashes[:6]
            ]
            if len(view.clashes) > len(shown):
                shown.append(self.tr("另有 %n 处", "more clashes not listed", len(view.clashes) - len(shown)))
            self.clash_label.setText(self.tr("；", "separates the clashes listed on one line").join(shown))
            self.clash_label.setVisible(bool(shown))

        operations.run(self, load, done)

    def try_move(self, batch: PlannedBatch, days: int) -> None:
        """Check the move first; save only what the rules allow and the user confirms."""
        db, batch_id, version = self.desk.db, batch.id, batch.version

        def checked(result: Any) -> None:
            if result.refusal:
                dialogs.warn(self, self.tr("不能移动"), result.refusal)
                return
            if result.findings:
                text = self.tr("把 {0} 移到 {1} 至 {2}：").format(
                    batch.code, format_date(result.arrival), format_date(result.departure)
                )
                text += (
                    "\n"
                    + "\n".join(f"• {f.message}" for f in result.findings)
                    + "\n\n"
                    + self.tr("仍要移动吗？")
                )
                if dialogs.ask(self, self.tr("移动批次"), text) != dialogs.Button.Yes:
                    return
            self._save_move(batch, days)

        operations.run(
            self,
            lambda: batch_edit.check_move(db, batch_id, version, days),
            checked,
            failed=self._move_failed,
        )

    def _save_move(self, batch: PlannedBatch, days: int) -> None:
        db, batch_id, version = self.desk.db, batch.id, batch.version
        reason = ""
        if batch_edit.needs_reason(batch.status):  # a completed or cancelled batch: why, for its history
            answer = dialogs.ask_text(
                self,
                self.tr("移动已结束的批次"),
                self.tr("批次 {0} 的状态是“{1}”。移动它的原因（记入批次历史）：").format(
                    batch.code, labels.batch_statuses().get(batch.status, batch.status)
                ),
                ok=self.tr("移动"),
                cancel=self.tr("不移动"),
            )
            if answer is None:
                self.reload()  # the batch back in its place
                return
            reason = answer

        def done(saved: Any) -> None:
            self.desk.status.emit(self.tr("{0} 已移到 {1}").format(saved.code, format_date(saved.arrival)))
            self.changed.emit()
            self.reload()

        operations.run(
            self,
            lambda: batch_edit.move_batch(db, batch_id, version, days, reason),
            done,
            failed=self._move_failed,
        )

    def _move_failed(self, exc: BaseException) -> None:
        """A refused or failed move: say why, and show the calendar as it is (the batch back in its place)."""
        operations.show_failure(self, exc, self.tr("不能移动"))
        self.reload()
