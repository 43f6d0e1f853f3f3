"""问卷反馈: the selected batch's returned questionnaires as a grid to type into, its response rate and the mean of
every column, the import of a workbook of answers (with the column mapping and a preview), the export, and the
printed questionnaire.

Quick entry: in a star cell a digit 1-5 is the answer and the cursor moves on; Delete, Backspace or 0 clear it;
Tab and Enter move to the next cell, and past the last row a new row numbered next is added.  The grid is saved
whole (:func:`recuperation.services.feedback.save_grid`): nothing is written while any cell is bad, and each bad
cell is shown in red with the core's words.  Everything is read and written on the worker.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPen, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.filenames import file_in, safe_file_name
from recuperation.services import feedback as service
from recuperation.services.sheet_layout import Layout
from recuperation.storage.paths import data_dir
from ui import labels, operations
from ui.desk import Desk
from ui.widgets import dialogs, rights
from ui.widgets.fit import FlowLayout, compact, fit_to_screen, wrapping
from ui.widgets.pdf_preview import PdfPreview
from ui.widgets.table import BAD, GOOD, WARN, Column, RowTableModel, table_view

Index = QModelIndex | QPersistentModelIndex
#: The columns before the stars and after them.
SHEET, RESPONDENT, DAY = 0, 1, 2
FIRST_STAR = 3
#: The tables the tab shows: another desk's change to them reloads it (when no edit is waiting).
SHOWS = frozenset({"feedback_response", "feedback_rating"})


@dataclass(eq=False)
class EditRow:
    """One row of the grid as typed: a value that could not be read is kept as typed, for the core to name."""

    original: service.ResponseRow | None
    sheet_no: object = None
    respondent: str = ""
    answered_on: object = None
    comment: str = ""
    participant_id: int | None = None
    participant: str = ""
    stars: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, row: service.ResponseRow) -> EditRow:
        return cls(
            row,
            row.sheet_no,
            row.respondent,
            row.answered_on,
            row.comment,
            row.participant_id,
            row.participant,
            dict(row.stars),
        )

    def data(self) -> service.ResponseInput:
        return service.ResponseInput(
            self.sheet_no,  # type: ignore[arg-type]  # as typed: the core names what it cannot read
            self.participant_id,
            self.respondent,
            self.answered_on,  # type: ignore[arg-type]
            self.comment,
            {k: v for k, v in self.stars.items() if v is not None and v != ""},
        )

    def blank(self) -> bool:
        """Nothing typed but the number a new row was given."""
        return not (self.respondent or self.comment or self.answered_on or any(self.stars.values()))

    def dirty(self) -> bool:
        if self.original is None:
            return not self.blank()
        return self.data() != self.original.as_input()


def read_number(text: str) -> object:
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        return None
    return int(value) if value.isdigit() and len(value) <= 9 else value


class GridModel(QAbstractTableModel):
    """The rows being typed; ``targets`` are the star columns between 填写日期 and 意见建议."""

    changed = Signal()

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.grid: service.Grid | None = None
        self.targets: tuple[service.Target, ...] = ()
        self.rows: list[EditRow] = []
        self.removed: list[tuple[int, int]] = []
        self.problems: dict[tuple[int, str], str] = {}  # (id of the row object, field or target) → message
        self.short: dict[str, str] = {}  # target key → its subject's name as wide as its column allows
        self.read_only = False  # shown to be read, not typed into (the person may not change feedback)

    # -- content -----------------------------------------------------------------------------------------------

    def load(self, grid: service.Grid | None) -> None:
        self.beginResetModel()
        self.grid = grid
        self.targets = grid.targets if grid is not None else ()
        self.rows = [EditRow.of(r) for r in grid.rows] if grid is not None else []
        self.removed = []
        self.problems = {}
        self.endResetModel()
        self.changed.emit()

    def is_dirty(self) -> bool:
        return bool(self.removed) or any(r.dirty() for r in self.rows)

    def next_number(self) -> int:
        numbers = [r.sheet_no for r in self.rows if isinstance(r.sheet_no, int)]
        return max(numbers, default=0) + 1

    def add_row(self) -> int:
        assert not self.read_only, "a read-only grid takes no rows"
        position = len(self.rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self.rows.append(EditRow(None, self.next_number()))
        self.endInsertRows()
        self.changed.emit()
        return position

    def remove_rows(self, positions: list[int]) -> None:
        for position in sorted(set(positions), reverse=True):
            row = self.rows[position]
            self.beginRemoveRows(QModelIndex(), position, position)
            del self.rows[position]
            self.endRemoveRows()
            if row.original is not None:
                self.removed.append((row.original.id, row.original.version))
        self.changed.emit()

    def edits(self) -> tuple[list[service.GridEdit], list[EditRow]]:
        """The rows to save (new ones with something typed, and changed ones) and the row objects they are."""
        sent = [r for r in self.rows if r.dirty()]
        edits = [
            service.GridEdit(
                r.original.id if r.original else None, r.original.version if r.original else None, r.data()
            )
            for r in sent
        ]
        return edits, sent

    def show_problems(self, problems: list[Any], sent: list[EditRow]) -> None:
        self.problems = {}
        for problem in problems:
            if 0 <= problem.row < len(sent):
                self.problems[(id(sent[problem.row]), problem.field)] = problem.message
        self._refresh_all()

    def _refresh_all(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, self.columnCount() - 1))

    # -- columns -------------------------------------------------------------------------------------------------

    def key_of(self, column: int) -> str:
        if column == SHEET:
            return "sheet_no"
        if column == RESPONDENT:
            return "respondent"
        if column == DAY:
            return "answered_on"
        if column == FIRST_STAR + len(self.targets):
            return "comment"
        return self.targets[column - FIRST_STAR].key

    def is_star(self, column: int) -> bool:
        return FIRST_STAR <= column < FIRST_STAR + len(self.targets)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.grid is None else FIRST_STAR + len(self.targets) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.grid is None:
            if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
                return str(section + 1)
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if section == SHEET:
            return self.tr("问卷\n编号")
        if section == RESPONDENT:
            return self.tr("填写人")
        if section == DAY:
            return self.tr("填写日期")
        if section == FIRST_STAR + len(self.targets):
            return self.tr("意见建议")
        target = self.targets[section - FIRST_STAR]
        subject = target.subject.name if target.base_id is not None else self.tr("线路")
        dimension = labels.dimensions().get(target.dimension, target.dimension)
        score = self.grid.mean(target.key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("{0}·{1}：平均 {2}（{3} 份回答，共 {4} 星）").format(
                subject, dimension, score.mean_text(), score.count, score.total
            )
        return f"{self.short.get(target.key, subject)}\n{dimension}\n{score.mean_text()}"

    def flags(self, index: Index) -> Qt.ItemFlag:
        shown = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return shown if self.read_only else shown | Qt.ItemFlag.ItemIsEditable

    def has_problem(self, index: Index) -> bool:
        if not index.isValid() or index.row() >= len(self.rows):
            return False
        return (id(self.rows[index.row()]), self.key_of(index.column())) in self.problems

    def value(self, row: EditRow, column: int) -> object:
        key = self.key_of(column)
        if key == "sheet_no":
            return row.sheet_no
        if key == "respondent":
            return row.respondent
        if key == "answered_on":
            return row.answered_on
        if key == "comment":
            return row.comment
        return row.stars.get(key)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        key = self.key_of(column)
        problem = self.problems.get((id(row), key))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = self.value(row, column)
            if key == "respondent" and not value and role == Qt.ItemDataRole.DisplayRole:
                return row.participant
            if key == "comment" and role == Qt.ItemDataRole.DisplayRole:
                return " ".join(str(value or "").split())
            if isinstance(value, dt.date):
                return value.isoformat()
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.BackgroundRole:
            if problem:
                return BAD
            if row.original is None:
                return None if row.blank() else WARN  # a new row, not saved yet
            return WARN if self.value(row, column) != self._stored(row, key) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if problem:
                return problem
            if key == "comment":
                return row.comment or None
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and (self.is_star(column) or key == "sheet_no"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _stored(self, row: EditRow, key: str) -> object:
        original = row.original
        if original is None:
            return None
        if key in ("sheet_no", "respondent", "answered_on", "comment"):
            return getattr(original, key)
        return original.stars.get(key)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.read_only:
            return False
        row = self.rows[index.row()]
        key = self.key_of(index.column())
        text = "" if value is None else str(value)
        if key == "sheet_no":
            row.sheet_no = read_number(text)
        elif key == "respondent":
            row.respondent = text.strip()
        elif key == "answered_on":
            row.answered_on = service.read_day(text)
        elif key == "comment":
            row.comment = text.strip()
        else:
            typed = read_number(text)
            if typed is None:
                row.stars.pop(key, None)
            else:
                row.stars[key] = typed
        self.problems.pop((id(row), key), None)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1))
        self.changed.emit()
        return True


def wrapped_name(name: str, metrics: QFontMetrics, width: int, most_lines: int = 3) -> str:
    """A base's whole name over lines no wider than ``width`` (broken between words, or between characters
    in Chinese), at most ``most_lines`` (the last one elided only beyond that)."""
    lines: list[str] = []
    line = ""
    for word in name.split(" ") if " " in name else list(name):
        joined = f"{line} {word}" if line and " " in name else line + word
        if line and metrics.horizontalAdvance(joined) > width:
            lines.append(line)
            line = word
        else:
            line = joined
    if line:
        lines.append(line)
    if len(lines) > most_lines:
        rest = "".join(lines[most_lines - 1 :]) if " " not in name else " ".join(lines[most_lines - 1 :])
        lines = [*lines[: most_lines - 1], metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]
    return "\n".join(lines) or name


class ProblemDelegate(QStyledItemDelegate):
    """Draws a red frame round a bad cell, so it stays marked while selected (the selection hides its red)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        model = index.model()
        if isinstance(model, GridModel) and model.has_problem(index):
            painter.save()
            painter.setPen(QPen(QColor("#c0392b"), 2))
            painter.drawRect(option.rect.adjusted(1, 1, -1, -1))  # type: ignore[attr-defined]
            painter.restore()


class GridView(QTableView):
    """The grid with quick entry (see the module's docstring)."""

    def model_(self) -> GridModel:
        model = self.model()
        assert isinstance(model, GridModel)
        return model

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.model_()
        index = self.currentIndex()
        editing = self.state() == QAbstractItemView.State.EditingState
        if index.isValid() and not editing and model.is_star(index.column()):
            text = event.text()
            if text in ("1", "2", "3", "4", "5"):
                model.setData(index, text)
                self.move_on()
                return
            if text == "0" or event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Space):
                model.setData(index, "")
                return
        if not editing and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.move_on()
            return
        if not editing and event.key() == Qt.Key.Key_Tab and index.isValid():
            self.move_on()
            return
        super().keyPressEvent(event)

    def move_on(self) -> None:
        """The next cell; past the last cell of a row, the next row's first star; past the last row, a new row."""
        model = self.model_()
        index = self.currentIndex()
        if not index.isValid():
            return
        row, column = index.row(), index.column() + 1
        if column >= model.columnCount():
            row, column = row + 1, FIRST_STAR if model.targets else SHEET
            if row >= model.rowCount() and model.read_only:
                return
            if row >= model.rowCount():
                row, column = model.add_row(), SHEET  # a new sheet: its number first
        self.setCurrentIndex(model.index(row, column))


class FrozenColumns(QTableView):
    """问卷编号 and 填写人 kept in view over the left of the grid once it is scrolled to the right (the grid
    is narrow beside the batch list): shown only while scrolled (at the left the grid shows them itself), the
    same model, selection and row heights; a click selects the cell in the grid, which scrolls back to it, so
    that typing always goes into the grid's own cell (never under this overlay)."""

    COLUMNS = (SHEET, RESPONDENT)

    def __init__(self, grid: QTableView):
        super().__init__(grid)
        self.grid = grid
        self.setModel(grid.model())
        self.setSelectionModel(grid.selectionModel())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(ProblemDelegate(self))
        self.setStyleSheet("QTableView { border: none; border-right: 2px solid #9aa5b1; }")
        self.verticalHeader().setDefaultSectionSize(grid.verticalHeader().defaultSectionSize())
        grid.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(grid.verticalScrollBar().setValue)
        grid.horizontalScrollBar().valueChanged.connect(lambda _v: self.place())
        grid.horizontalScrollBar().rangeChanged.connect(lambda *_a: self.place())
        grid.horizontalHeader().sectionResized.connect(lambda *_a: self.place())
        grid.horizontalHeader().geometriesChanged.connect(self.place)
        grid.model().modelReset.connect(self.place)
        self.clicked.connect(self._chosen)
        self.hide()

    def _chosen(self, index: QModelIndex) -> None:
        self.grid.setCurrentIndex(index)
        self.grid.scrollTo(index)
        self.grid.setFocus()

    def place(self) -> None:
        """Cover the frozen columns of the grid, or hide while the grid is scrolled to its left edge."""
        grid = self.grid
        model = grid.model()
        if (
            model is None
            or model.columnCount() <= max(self.COLUMNS)
            or grid.horizontalScrollBar().value() == 0
        ):
            self.hide()
            return
        for column in range(model.columnCount()):
            self.setColumnHidden(column, column not in self.COLUMNS)
        for column in self.COLUMNS:
            self.setColumnWidth(column, grid.columnWidth(column))
        self.verticalHeader().setDefaultSectionSize(grid.verticalHeader().defaultSectionSize())
        header = grid.horizontalHeader()
        self.horizontalHeader().setFixedHeight(header.height())
        width = sum(grid.columnWidth(c) for c in self.COLUMNS) + 2
        frame = grid.frameWidth()
        self.setGeometry(
            grid.verticalHeader().width() + frame,
            frame,
            width,
            grid.viewport().height() + header.height(),
        )
        self.verticalScrollBar().setValue(grid.verticalScrollBar().value())
        self.show()
        self.raise_()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.verticalScrollBar().setValue(self.grid.verticalScrollBar().value())


class FeedbackView(QWidget):
    """The returned questionnaires of the selected batch."""

    saved = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.batch: Any = None
        self.busy = 0
        self._stale = False  # a batch was chosen while the tab was hidden: read it when shown
        self.grid: service.Grid | None = None
        self.preview: PdfPreview | None = None
        self.importer: FeedbackImportDialog | None = None
        self.summary = wrapping(QLabel())
        self.hint = wrapping(
            QLabel(
                self.tr(
                    "星级格中直接输入 1–5，光标自动移到下一格；回车或 Tab 换格，最后一行之后自动添加新行；Delete 清除。"
                )
            )
        )
        self.hint.setStyleSheet("color: #6c757d;")
        self.model = GridModel(self)
        self.model.changed.connect(self._update_buttons)
        self.view = GridView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(ProblemDelegate(self.view))
        self.frozen = FrozenColumns(self.view)  # 问卷编号 and 填写人 stay in view while scrolled right
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.add_button = QPushButton(self.tr("添加一行"))
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton(self.tr("删除所选行"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("撤销修改"))
        self.revert_button.clicked.connect(self.revert)
        self.import_button = QPushButton(self.tr("导入…"))
        self.import_button.clicked.connect(self.choose_import_file)
        self.export_button = QPushButton(self.tr("导出…"))
        self.export_button.clicked.connect(self.choose_export_file)
        self.print_button = QPushButton(self.tr("打印问卷…"))
        self.print_button.clicked.connect(self._print_menu)
        bar = FlowLayout()
        for button in (
            self.add_button,
            self.remove_button,
            self.save_button,
            self.revert_button,
            self.import_button,
            self.export_button,
            self.print_button,
        ):
            bar.addWidget(button)
        # typing the questionnaires in is planning's (协调员); reading, exporting and printing them is anyone's
        self.allowed = rights.allow_all(
            (self.add_button, self.remove_button, self.save_button, self.import_button), desk.access, "plan"
        )
        self.model.read_only = not self.allowed
        if not self.allowed:
            self.hint.hide()  # how to type stars in: not for who cannot
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(bar)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        desk.changed.connect(self._follow)
        self._update_buttons()

    # --- loading --------------------------------------------------------------------------------------------

    def set_batch(self, batch: Any) -> None:
        """Show the questionnaires of ``batch`` (None clears).  The same batch again (the list reloaded) keeps
        what is being typed; another batch with edits waiting asks whether to save them first."""
        previous = self.batch
        if previous is not None and batch is not None and previous.id == batch.id:
            self.batch = batch
            if not self.is_dirty():
                self._load_when_shown()
            return
        if previous is not None and self.is_dirty():
            self._ask_to_save(previous)
        self.batch = batch
        self.grid = None
        self.model.load(None)
        self.summary.setText("")
        if batch is not None:
            self._load_when_shown()
        self._update_buttons()

    def _load_when_shown(self) -> None:
        """Read the batch's questionnaires now when the tab is on screen, else when it is next shown."""
        if self.isVisible():
            self._stale = False
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.batch is not None:
            self._stale = False
            self.reload()

    def reload(self) -> None:
        if self.batch is None:
            return
        db, batch_id = self.desk.db, self.batch.id

        def done(grid: service.Grid) -> None:
            if self.batch is None or self.batch.id != batch_id:
                return  # another batch was chosen meanwhile
            self._show(grid)

        def failed(exc: BaseException) -> None:
            if self.batch is not None and self.batch.id == batch_id:
                self._show(None)
            operations.show_failure(self, exc)

        operations.run(self, lambda: service.batch_grid(db, batch_id), done, failed=failed)

    def _follow(self, change: Any) -> None:
        if change.here or not change.touches(SHOWS) or self.batch is None or self.is_dirty():
            return
        self._load_when_shown()

    def _show(self, grid: service.Grid | None) -> None:
        self.grid = grid
        self.model.load(grid)
        self._fit_columns()
        self.summary.setText(self.summary_text(grid))
        self._update_buttons()

    def _fit_columns(self) -> None:
        if self.grid is None:
            return
        header = self.view.horizontalHeader()
        metrics = header.fontMetrics()
        header.setMinimumHeight(metrics.height() * 3 + 12)
        self.view.setColumnWidth(SHEET, max(metrics.horizontalAdvance("99999") + 16, 44))
        self.view.setColumnWidth(RESPONDENT, 80)
        self.view.setColumnWidth(DAY, metrics.horizontalAdvance("2026-12-31") + 16)
        bold = QFont(header.font())
        bold.setBold(True)  # the current column's heading is drawn bold: measured so, it is never cut
        wide = QFontMetrics(bold)
        dimensions = labels.dimensions()
        most = 4 * wide.horizontalAdvance(chr(0x4E2D))  # a base's name takes lines of up to four characters
        self.model.short = {}
        lines = 1
        for i, target in enumerate(self.model.targets):
            words = dimensions.get(target.dimension, target.dimension)
            subject = target.subject.name if target.base_id is not None else self.tr("线路")
            width = max(wide.horizontalAdvance(words), min(wide.horizontalAdvance(subject), most)) + 16
            self.view.setColumnWidth(FIRST_STAR + i, max(width, 40))
            shown = wrapped_name(subject, wide, width - 10)  # the whole name, wrapped: never cut
            self.model.short[target.key] = shown
            lines = max(lines, shown.count("\n") + 1)
        header.setMinimumHeight(metrics.height() * (lines + 2) + 12)
        self.frozen.place()

    def summary_text(self, grid: service.Grid | None) -> str:
        if grid is None or self.batch is None:
            return ""
        lines = [grid.rate.text()]
        overall = [
            " ".join(
                (t.subject.name if t.base_id is not None else self.tr("线路"), grid.mean(t.key).mean_text())
            )
            for t in grid.targets
            if t.dimension == "overall" and grid.mean(t.key).count
        ]
        if overall:
            lines.append(self.tr("总体满意度：{0}").format(messages.join(overall)))
        if not grid.open:
            lines.append(
                self.tr("批次已取消，没有问卷反馈。")
                if grid.status == "cancelled"
                else self.tr("批次还没有开始：到达以后才能登记问卷反馈，现在可以先打印问卷。")
            )
        return "\n".join(lines)

    # --- editing --------------------------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.model.is_dirty()

    def maybe_leave(self) -> bool:
        """Ask about unsaved rows (for a page leaving the batch); False when the user wants to stay."""
        if not self.is_dirty() or self.batch is None:
            return True
        answer = dialogs.ask(
            self,
            self.tr("未保存的修改"),
            self.tr("批次 {0} 的问卷反馈有未保存的修改。是否保存？").format(self.batch.code),
            dialogs.Button.Save | dialogs.Button.Discard | dialogs.Button.Cancel,
            dialogs.Button.Save,
        )
        if answer == dialogs.Button.Cancel:
            return False
        if answer == dialogs.Button.Save:
            self.save()
        else:
            self.revert()
        return True

    def _ask_to_save(self, batch: Any) -> None:
        """Another batch was chosen while rows of ``batch`` were unsaved: save them there, or let them go."""
        answer = dialogs.ask(
            self,
            self.tr("未保存的修改"),
            self.tr("批次 {0} 的问卷反馈有未保存的修改。是否保存？").format(batch.code),
            dialogs.Button.Save | dialogs.Button.Discard,
            dialogs.Button.Save,
        )
        if answer == dialogs.Button.Save:
            self.save()

    def add_row(self) -> None:
        if self.grid is None or not self.allowed:
            return
        position = self.model.add_row()
        # on 问卷编号: the paper's own number is typed first (typing replaces the next free number shown)
        self.view.setCurrentIndex(self.model.index(position, SHEET))
        self.view.scrollTo(self.model.index(position, SHEET))
        self.view.setFocus()

    def remove_selected(self) -> None:
        if not self.allowed:
            return
        rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()})
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        if rows:
            self.model.remove_rows(rows)

    def revert(self) -> None:
        self.model.load(self.grid)
        self._update_buttons()

    def save(self) -> None:
        """Save the grid on the worker: every row added, changed and deleted, or nothing (bad cells in red)."""
        if self.grid is None or not self.allowed or not self.is_dirty():
            return
        edits, sent = self.model.edits()
        shown_rows = [self.model.rows.index(r) for r in sent]  # each row as the grid numbers it
        removed = list(self.model.removed)
        db, batch_id, code = self.desk.db, self.grid.batch_id, self.grid.code

        def done(result: service.SaveResult) -> None:
            self.desk.status.emit(
                self.tr("批次 {0} 的问卷反馈已保存：新增 {1} 份，修改 {2} 份，删除 {3} 份。").format(
                    code, result.added, result.changed, result.removed
                )
            )
            self.saved.emit()
            if self.batch is not None and self.batch.id == batch_id:
                self.model.problems = {}
                self.reload()

        def failed(exc: BaseException) -> None:
            problems = getattr(exc, "problems", None)
            if problems is not None and self.batch is not None and self.batch.id == batch_id:
                self.model.show_problems(problems, sent)
            # the status bar must not go on saying an earlier save's 已保存
            self.desk.status.emit(
                self.tr("批次 {0} 的问卷反馈没有保存：请改正标红的格子后再保存。").format(code)
            )
            operations.show_failure(self, exc, self.tr("问卷反馈没有保存"))

        operations.run(
            self, lambda: service.save_grid(db, batch_id, edits, removed, shown_rows), done, failed=failed
        )

    def _update_buttons(self) -> None:
        open_ = self.grid is not None and self.grid.open
        dirty = self.is_dirty()
        self.add_button.setEnabled(bool(open_))
        self.remove_button.setEnabled(bool(open_) and self.model.rowCount() > 0)
        self.save_button.setEnabled(bool(open_) and dirty)
        self.revert_button.setEnabled(dirty)
        self.import_button.setEnabled(bool(open_) and not dirty)
        self.import_button.setToolTip(self.tr("请先保存或撤销表格中的修改，再导入。") if dirty else "")
        self.export_button.setEnabled(self.grid is not None)
        self.print_button.setEnabled(self.grid is not None and self.grid.status != "cancelled")
        self.view.setEnabled(bool(open_))

    # --- import, export, print --------------------------------------------------------------------------------

    def choose_import_file(self) -> None:
        if self.grid is None or not self.allowed:
            return
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择问卷结果文件"),
            "",
            self.tr("工作簿 (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;所有文件 (*)"),
        )
        if name:
            self.start_import(Path(name))

    def start_import(self, path: Path, layout: Layout | None = None) -> None:
        """Plan the import of ``path`` on the worker and show the preview (the same one for a re-check).  A file
        whose headings were imported before into the batch is read with the mapping used then."""
        from recuperation.feedback_workbook import plan_feedback, plan_remembered

        if self.grid is None:
            return
        db, code = self.desk.db, self.grid.code
        remembered = remembered_mappings(code)

        def done(plan: Any) -> None:
            if self.importer is not None and (self.importer.path, self.importer.code) != (path, code):
                self.importer.close()
                self.importer = None
            if self.importer is None:
                self.importer = FeedbackImportDialog(self, path, code)
                self.importer.recheck.connect(lambda chosen: self.start_import(path, chosen))
                self.importer.confirmed.connect(self.apply_import)
                self.importer.finished.connect(self._importer_closed)
            self.importer.show_plan(plan)
            self.importer.show()

        def job() -> Any:
            if layout is None:
                return plan_remembered(db, code, path, remembered)
            return plan_feedback(db, code, path, layout)

        operations.run(self, job, done, title=self.tr("无法导入"))

    def _importer_closed(self) -> None:
        self.importer = None

    def apply_import(self, plan: Any, skip_invalid: bool) -> None:
        from recuperation.feedback_workbook import apply_feedback

        db = self.desk.db

        def done(result: Any) -> None:
            remember_mapping(plan)
            if self.importer is not None:
                self.importer.accept()
            text = self.tr("批次 {0} 的问卷反馈已导入：新增 {1} 份，修改 {2} 份，未变 {3} 份。").format(
                plan.batch_code, result.added, result.changed, result.unchanged
            )
            if result.skipped:
                text += " " + self.tr("跳过了有问题的第 {0} 行。").format(
                    messages.join([str(r) for r in result.skipped])
                )
            self.desk.status.emit(text)
            self.last_import = text
            self.reload()

        operations.run(
            self, lambda: apply_feedback(db, plan, skip_invalid=skip_invalid), done, title=self.tr("无法导入")
        )

    last_import = ""

    def choose_export_file(self) -> None:
        if self.grid is None:
            return
        suggested = safe_file_name(self.grid.code, self.tr("问卷反馈"), suffix=".xlsx")
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存工作簿"), suggested, self.tr("Excel 工作簿 (*.xlsx)")
        )
        if name:
            self.export_to(Path(name).with_suffix(".xlsx"))

    def export_to(self, path: Path) -> None:
        from recuperation.feedback_export import export_feedback

        if self.grid is None:
            return
        db, code = self.desk.db, self.grid.code

        def done(result: Any) -> None:
            self.desk.status.emit(
                messages.text("feedback.exported", code=code, rows=result.rows, path=result.path)
            )

        operations.run(self, lambda: export_feedback(db, code, path), done, title=self.tr("无法导出"))

    def _print_menu(self) -> None:
        menu = QMenu(self)
        menu.addAction(self.tr("每位团员一份（写明姓名）")).triggered.connect(
            lambda: self.print_questionnaire()
        )
        menu.addAction(self.tr("按组打印若干份…")).triggered.connect(self.print_for_groups)
        menu.exec(self.print_button.mapToGlobal(self.print_button.rect().bottomLeft()))

    def print_for_groups(self) -> None:
        typed = dialogs.ask_text(
            self,
            self.tr("按组打印问卷"),
            self.tr("打印多少份不写姓名的调查表？"),
            ok=self.tr("打印"),
            cancel=self.tr("取消"),
            text="5",
        )
        if typed is None:
            return
        number = read_number(typed)
        if not isinstance(number, int) or number < 1:
            dialogs.warn(self, self.tr("无法打印"), self.tr("份数应为正整数，而不是“{0}”。").format(typed))
            return
        self.print_questionnaire(number)

    def print_questionnaire(self, group: int | None = None) -> None:
        """Make the questionnaire on the worker, then show it in the preview to print, save or open."""
        if self.grid is None:
            return
        db, code = self.desk.db, self.grid.code
        target = file_in(data_dir() / "print", code, "questionnaire", suffix=".pdf")

        def job() -> Any:
            from recuperation.documents.feedback_docs import render_questionnaire

            return render_questionnaire(db, code, target, group=group)

        def done(result: Any) -> None:
            self.preview = PdfPreview(
                self, result.path, self.tr("{0} 满意度调查表").format(code), result.note()
            )
            self.preview.open()

        operations.run(self, job, done, title=self.tr("无法打印"))


def remembered_mappings(code: str) -> dict[str, object]:
    """The mappings files were imported with into batch ``code``: headings key → layout (see
    :func:`recuperation.feedback_workbook.headings_key`), from the desk's settings."""
    import json

    from ui.i18n import settings

    try:
        found = json.loads(str(settings().value(f"feedback_import/{code}", "") or "{}"))
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def remember_mapping(plan: Any) -> None:
    """Keep the mapping ``plan`` was imported with, for its batch and headings (the last 20 files a batch)."""
    import json

    from recuperation.feedback_workbook import headings_key, layout_to_json
    from ui.i18n import settings

    known = remembered_mappings(plan.batch_code)
    known.pop(headings_key(plan), None)
    known[headings_key(plan)] = layout_to_json(plan.layout)
    kept = dict(list(known.items())[-20:])
    settings().setValue(f"feedback_import/{plan.batch_code}", json.dumps(kept, ensure_ascii=False))


class FeedbackImportDialog(QDialog):
    """The preview of an import: which sheet and header row, which column is which target, every row's result."""

    recheck = Signal(object)  # a Layout
    confirmed = Signal(object, bool)  # the plan, skip the bad rows

    def __init__(self, parent: QWidget, path: Path, code: str):
        super().__init__(parent)
        self.path, self.code = path, code
        self.plan: Any = None
        self.setWindowTitle(self.tr("导入问卷结果到批次 {0}：{1}").format(code, path.name))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.sheet = compact(QComboBox(), 10)
        self.header_row = QSpinBox()
        self.header_row.setRange(1, 1000)
        self.recheck_button = QPushButton(self.tr("按此对应关系重新检查"))
        self.recheck_button.clicked.connect(lambda: self.recheck.emit(self.chosen()))
        self.sheet.activated.connect(self._sheet_chosen)
        self.header_row.editingFinished.connect(self._sheet_chosen)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("工作表")))
        top.addWidget(self.sheet)
        top.addWidget(QLabel(self.tr("表头行")))
        top.addWidget(self.header_row)
        top.addStretch(1)
        top.addWidget(self.recheck_button)
        self.columns = QTableWidget(0, 4)
        self.columns.setHorizontalHeaderLabels(
            [self.tr("列"), self.tr("表头"), self.tr("第一个答案"), self.tr("导入为")]
        )
        self.columns.verticalHeader().hide()
        self.columns.horizontalHeader().setStretchLastSection(True)
        self.columns.setColumnWidth(0, 40)
        self.columns.setColumnWidth(1, 260)
        self.columns.setColumnWidth(2, 160)
        self.combos: list[QComboBox] = []
        self.summary = wrapping(QLabel())
        self.rows = RowTableModel(
            [
                Column(self.tr("行号"), lambda r: r.row, right=True, width=50),
                Column(
                    self.tr("状态"),
                    self.status,
                    width=70,
                    background=lambda r: BAD if r.errors else (None if r.result == "other_batch" else GOOD),
                ),
                Column(self.tr("问卷编号"), lambda r: r.sheet_no, right=True, width=60),
                Column(self.tr("填写人"), lambda r: r.respondent, width=80),
                Column(self.tr("导入后"), self.result, width=160, tooltip=self.result),
                Column(
                    self.tr("问题"),
                    lambda r: " ".join(p.message for p in r.errors),
                    tooltip=lambda r: "\n".join(p.message for p in r.errors),
                ),
            ],
            key=lambda r: r.row,
        )
        self.view = table_view(self.rows, rows=True)
        self.import_button = QPushButton(self.tr("导入"))
        self.import_button.clicked.connect(lambda: self._confirm(False))
        self.valid_button = QPushButton(self.tr("只导入正确的行"))
        self.valid_button.clicked.connect(lambda: self._confirm(True))
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.valid_button)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.columns, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 3)
        layout.addLayout(buttons)
        fit_to_screen(self, 1000, 700)

    def status(self, row: Any) -> str:
        if row.errors:
            return self.tr("有问题")
        if row.result == "other_batch":
            return self.tr("其他批次")
        return self.tr("正确")

    def result(self, row: Any) -> str:
        """What importing does with the row: 新增, 修改（寿昌宾馆·餐饮、意见建议）, 未变, or nothing."""
        if row.result == "new":
            return self.tr("新增")
        if row.result == "changed" and self.plan is not None:
            return self.tr("修改（{0}）").format(messages.join([self.plan.shown(k) for k in row.changes]))
        if row.result == "unchanged":
            return self.tr("未变")
        if row.result == "other_batch":
            return self.tr("不导入（批次 {0}）").format(row.batch)
        return ""

    def show_plan(self, plan: Any) -> None:
        from recuperation.feedback_cells import FIELDS, column_letter

        self.plan = plan
        self.sheet.clear()
        self.sheet.addItems(plan.sheet_names)
        self.sheet.setCurrentText(plan.layout.sheet)
        self.header_row.setValue(plan.layout.header_row + 1)
        choices: list[tuple[str, str]] = [(self.tr("（不导入）"), "")]
        choices += [(plan.shown(f), f) for f in FIELDS]
        choices += [(plan.shown(k), k) for k in plan.targets.all_keys()]
        by_column = {c: k for k, c in plan.layout.columns.items()}
        self.columns.setRowCount(0)
        self.combos = []
        for column, heading in enumerate(plan.headers):
            target = by_column.get(column, "")
            if not heading and not target:
                continue
            row = self.columns.rowCount()
            self.columns.insertRow(row)
            for c, text in enumerate(
                (column_letter(column), heading, plan.samples[column] if column < len(plan.samples) else "")
            ):
                item = QTableWidgetItem(" ".join(str(text).split()))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(str(text))
                self.columns.setItem(row, c, item)
            combo = QComboBox()
            for shown, key in choices:
                combo.addItem(shown, key)
            if target.startswith("comment."):
                target = "comment"
            combo.setCurrentIndex(max(combo.findData(target), 0))
            combo.setProperty("column", column)
            self.columns.setCellWidget(row, 3, combo)
            self.combos.append(combo)
        self.rows.set_rows(plan.rows)
        self._fit_rows(plan)
        lines = [plan.summary()]
        if plan.count("other_batch"):
            lines.append(self.tr("{0} 行属于其他批次，不导入。").format(plan.count("other_batch")))
        if plan.errors:
            lines.append(
                self.tr("有问题的行（{0}）要改正后再导入，或选择“只导入正确的行”（会跳过它们）。").format(
                    messages.join([str(r) for r in plan.bad_rows])
                )
            )
        self.summary.setText("\n".join(lines))
        todo = plan.count("new") + plan.count("changed")
        self.import_button.setEnabled(not plan.errors and todo > 0)
        self.valid_button.setEnabled(bool(plan.errors) and todo > 0)

    def _fit_rows(self, plan: Any) -> None:
        """导入后 as wide as its longest text (up to half the table); 问题 only when a row has one, taking the
        rest of the width (an empty 问题 column took half the width and cut 导入后)."""
        STATUS, RESULT, PROBLEM = 1, 4, 5
        self.view.setColumnHidden(PROBLEM, not plan.errors)
        metrics = self.view.fontMetrics()
        statuses = [self.tr("有问题"), self.tr("其他批次"), self.tr("正确"), self.tr("状态")]
        self.view.setColumnWidth(STATUS, max(metrics.horizontalAdvance(t) for t in statuses) + 20)
        self.columns.setColumnWidth(0, max(40, metrics.horizontalAdvance(self.tr("列")) + 20))
        texts = [self.result(r) for r in plan.rows] + [self.tr("导入后")]
        widest = max((metrics.horizontalAdvance(t) for t in texts), default=0) + 24
        room = max(self.view.viewport().width(), 600)
        self.view.setColumnWidth(RESULT, max(120, min(widest, room // 2 if plan.errors else room)))

    def chosen(self) -> Layout:
        """The layout the mapping shows now (another sheet or header row: recognised afresh)."""
        plan = self.plan
        sheet, row = self.sheet.currentText(), self.header_row.value() - 1
        if plan is None or (sheet, row) != (plan.layout.sheet, plan.layout.header_row):
            return Layout(sheet, row, {})
        columns: dict[str, int] = {}
        comments = 0
        for combo in self.combos:
            key = combo.currentData()
            if not key:
                continue
            if key == "comment":
                comments += 1
                key = "comment" if comments == 1 else f"comment.{comments}"
            columns.setdefault(key, int(combo.property("column")))
        return Layout(sheet, row, columns, plan.layout.header_rows)

    def _sheet_chosen(self, *_args: object) -> None:
        plan = self.plan
        if plan is None:
            return
        if (self.sheet.currentText(), self.header_row.value() - 1) != (
            plan.layout.sheet,
            plan.layout.header_row,
        ):
            self.recheck.emit(self.chosen())

    def _confirm(self, skip_invalid: bool) -> None:
        if self.plan is not None:
            self.confirmed.emit(self.plan, skip_invalid)
