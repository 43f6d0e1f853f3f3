"""A list of records and the form that edits the selected one: the shape of every register page.

Loading, saving and deleting run on the desk's background worker (``ui/operations.py``); the list filters
as you type without a query.  A refused save shows its message at the field it names; a stale save offers to
reload; a delete that others depend on offers to archive instead.  A failure leaves the panel usable: not
busy, the form's edits kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from recuperation.errors import DomainError, StaleEditError
from recuperation.storage.database import Database
from ui import operations
from ui.desk import Desk
from ui.widgets import dialogs, rights
from ui.widgets.audit_view import HistoryView
from ui.widgets.fit import CompactCombo, FlowLayout, roomy_tabs, scrolling, search_field
from ui.widgets.form import Field, FormView
from ui.widgets.table import ROW_ROLE, Column, FilterProxy, RowTableModel, fit_columns


@dataclass(frozen=True)
class Fetched:
    """A panel's rows and what else its fetch read (choices, years), handed to the GUI thread together."""

    rows: list[Any]
    extra: Any = None


class _ActionsFlow(FlowLayout):
    """The bar above a list: what is added comes before the ``trailing`` buttons (新建, 删除)."""

    def __init__(self, trailing: tuple[QWidget, ...]):
        super().__init__()
        self.trailing = trailing
        for widget in trailing:
            super().insertWidget(-1, widget)

    def addWidget(self, widget: QWidget) -> None:  # type: ignore[override]
        self.insertWidget(self.count() - len(self.trailing), widget)


@dataclass(frozen=True)
class ServiceCalls:
    """The service functions of one versioned record type."""

    input: Callable[..., Any]
    create: Callable[[Database, Any], Any]
    update: Callable[[Database, int, int, Any], Any]
    delete: Callable[[Database, int, int], None]
    archive: Callable[[Database, int, int], Any] | None = None


class RecordPanel(QWidget):
    """Subclasses give the columns, the fields and the service calls (``fetch``, ``store``, ``remove``).

    A panel over one versioned record type can instead name its service functions in ``service_calls``
    (input type, create, update, delete, archive); ``store``, ``remove`` and ``archive`` then use them.
    """

    service_calls: ServiceCalls | None = None
    audit_table: str = ""  # the table whose history the 历史 tab shows (none when empty)
    #: The right its records need to be created, changed and deleted (``ui/widgets/rights.py``): without it
    #: 新建, 删除 and 保存 are disabled saying why, and the form is read-only.
    right: str = "plan"

    saved = Signal(object)
    current_changed = Signal(object)
    loaded = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None, *, vertical: bool = False):
        super().__init__(parent)
        self.desk = desk
        self.current: Any = None  # the row shown in the form, None for a new record
        self.busy = 0
        self._loaded_once = False
        self._selecting = False
        self._reload = False

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.new_button = QPushButton(self.tr("新建"))
        self.new_button.clicked.connect(self.new_record)
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.clicked.connect(self.delete_current)
        # One row of search, filters and buttons on a wide screen, wrapping onto more rows on a narrow one:
        # subclasses add their filters with ``self.filters.addWidget``, which keeps 新建 and 删除 last.
        self.filters = _ActionsFlow(trailing=(self.new_button, self.delete_button))
        self.filters.addWidget(search_field(self.search))

        self.model = RowTableModel(self.columns(), key=self.key)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        fit_columns(self.view, self.model.columns)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)

        self.form = FormView(self.fields())
        self.form.changed.connect(self._update_buttons)
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("还原"))
        self.revert_button.clicked.connect(self.revert)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        # The form scrolls inside its tab (``form_box`` takes what belongs with the fields); its Save bar stays
        # below it, always in sight.  ``form_page.layout()`` takes what belongs between the two.
        fields = QWidget()
        self.form_box = QVBoxLayout(fields)
        self.form_box.setContentsMargins(0, 0, 6, 0)
        self.form_box.addWidget(self.form)
        self.form_box.addStretch(1)
        self.form_page = QWidget()
        form_page_box = QVBoxLayout(self.form_page)
        self.form_scroll = scrolling(fields)
        form_page_box.addWidget(self.form_scroll, 3)
        form_page_box.addLayout(buttons)
        self.tabs = roomy_tabs(QTabWidget())
        self.tabs.setUsesScrollButtons(True)
        self.tabs.addTab(self.form_page, self.form_title())

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addLayout(self.filters)
        left_box.addWidget(self.view)
        self.splitter = QSplitter(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([480, 320] if vertical else [720, 460])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.history: HistoryView | None = None
        if self.audit_table:
            self.history = HistoryView(desk, self.audit_table)
            self.tabs.addTab(self.history, self.tr("历史"))
            self.current_changed.connect(self.history.set_record)
        self.form.load(self.defaults())
        self.allowed = rights.allow_all(
            (self.new_button, self.delete_button, self.save_button), desk.access, self.right
        )
        rights.read_only(self.form, desk.access, self.right)
        self._update_buttons()

    # --- hooks for subclasses -----------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        raise TypeError(f"{type(self).__name__} must say its columns")

    def fields(self) -> list[Field]:
        raise TypeError(f"{type(self).__name__} must say its fields")

    def form_title(self) -> str:
        return self.tr("基本信息")

    def key(self, row: Any) -> Hashable:
        return row.id

    def label(self, row: Any) -> str:
        return str(getattr(row, "name", self.key(row)))

    def fetch_args(self) -> dict[str, Any]:
        """Read on the GUI thread (filters), handed to ``fetch`` on the worker."""
        return {}

    def fetch(self, db: Database, **args: Any) -> list[Any] | Fetched:
        """Runs on the worker: the rows, or :class:`Fetched` rows with what else the panel needs (choices
        for its filters and form), which :meth:`accept` takes on the GUI thread.  Never touches a widget."""
        raise TypeError(f"{type(self).__name__} must say how its rows are fetched")

    def accept(self, extra: Any) -> None:
        """Take what :meth:`fetch` returned beside the rows (on the GUI thread, before the rows are shown)."""

    def values_of(self, row: Any) -> dict[str, Any]:
        return {key: getattr(row, key, None) for key in self.form.fields}

    def defaults(self) -> dict[str, Any]:
        return {}

    def store(self, db: Database, row: Any, values: dict[str, Any]) -> Any:
        calls = self.service_calls
        assert calls is not None, "override store() or set service_calls"
        data = calls.input(**values)
        if row is None:
            return calls.create(db, data)
        return calls.update(db, row.id, row.version, data)

    def remove(self, db: Database, row: Any) -> None:
        assert self.service_calls is not None, "override remove() or set service_calls"
        self.service_calls.delete(db, row.id, row.version)

    def archive(self, db: Database, row: Any) -> Any:
        """Archive ``row``; None where this kind of record cannot be archived."""
        if self.service_calls is None or self.service_calls.archive is None:
            return None
        return self.service_calls.archive(db, row.id, row.version)

    def add_status_filter(self, *extra: tuple[str, str]) -> QComboBox:
        """The usual filter: records in use (the default), archived ones, or all, plus ``extra`` choices."""
        combo = CompactCombo(chars=6)
        combo.addItem(self.tr("在用"), "active")
        for label, value in extra:
            combo.addItem(label, value)
        combo.addItem(self.tr("已归档"), "archived")
        combo.addItem(self.tr("全部"), "all")
        combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.filters.addWidget(combo)
        return combo

    @staticmethod
    def keep_status(rows: list[Any], status: str) -> list[Any]:
        """Rows fetched with archived ones included, narrowed to what the status filter asks for."""
        if status == "archived":
            return [r for r in rows if r.archived]
        if status == "active":
            return [r for r in rows if not r.archived]
        return rows

    def saved_message(self, saved: Any) -> str:
        """What the status bar says after ``saved`` was saved."""
        return self.tr("已保存：{0}").format(self.label(saved))

    def can_edit(self) -> bool:
        return True

    def collect_values(self) -> dict[str, Any]:
        """What ``store`` receives: the form's values (subclasses add what lives outside the form)."""
        return self.form.values()

    def load_extra(self, row: Any) -> None:
        """Show what lives outside the form for ``row`` (None: a new record)."""

    def extra_dirty(self) -> bool:
        return False

    def validate(self) -> bool:
        return self.form.validate()

    # --- loading ------------------------------------------------------------------------------------------

    def idle(self) -> bool:
        return self.busy == 0 and self._loaded_once

    def has_loaded(self) -> bool:
        return self._loaded_once

    def refresh(self, select_key: Hashable | None = None) -> None:
        args, fetch = self.fetch_args(), self.fetch
        db = self.desk.db
        keep = select_key if select_key is not None else (self.key(self.current) if self.current else None)
        operations.run(self, lambda: fetch(db, **args), lambda result: self._fetched(result, keep))

    def _fetched(self, result: list[Any] | Fetched, keep: Hashable | None) -> None:
        if isinstance(result, Fetched):
            self.accept(result.extra)
            result = result.rows
        self._show_rows(result, keep)

    def _show_rows(self, rows: list[Any], select_key: Hashable | None) -> None:
        dirty = self.is_dirty()
        self._selecting = True
        self.model.set_rows(rows)
        self._selecting = False
        self._loaded_once = True
        row = self.model.row_for_key(select_key) if select_key is not None else -1
        if self._reload and row >= 0:
            self._reload = False
            self.select_source_row(row, keep_form=True)
            self.show_record(self.model.rows[row])
        elif row < 0 and self.current is None and dirty:
            pass  # a new record being typed: keep the form
        elif row < 0 and self.current is not None and dirty:
            # The record being edited is gone from the list (deleted or archived at another desk): the typing
            # stays in the form, and nothing asks a question the user did not start.
            self.desk.status.emit(
                self.tr(
                    "正在编辑的“{0}”已被其他用户删除或归档；您输入的内容仍在表单中，可以复制后放弃修改。"
                ).format(self.label(self.current))
            )
        elif row >= 0:
            self.select_source_row(row, keep_form=dirty)
        elif self.proxy.rowCount():
            self.select_source_row(self.proxy.mapToSource(self.proxy.index(0, 0)).row())
        else:
            self.show_record(None)
        self.loaded.emit()

    def select_source_row(self, source_row: int, keep_form: bool = False) -> None:
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return
        self._selecting = keep_form
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.scrollTo(index)
        self._selecting = False

    def select_key(self, key: Hashable) -> bool:
        row = self.model.row_for_key(key)
        if row >= 0:
            self.select_source_row(row)
        return row >= 0

    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)
        self.select_visible()

    def select_visible(self) -> None:
        """After the search or a filter changed: the selected record if it is still shown, else the first one
        shown (as when the list is read), never a blank form in place of a record the filter just hid.  A form
        with unsaved typing is left alone."""
        if self.is_dirty() or not self._loaded_once:
            return
        if self.current is not None and self.view.currentIndex().isValid():
            return
        if self.proxy.rowCount():
            self.select_source_row(self.proxy.mapToSource(self.proxy.index(0, 0)).row())

    def _row_changed(self, current: Any, previous: Any) -> None:
        if self._selecting:
            return
        row = current.data(ROW_ROLE) if current.isValid() else None
        if row is self.current:
            return
        if not self.maybe_leave():
            self._selecting = True
            self.view.selectionModel().setCurrentIndex(
                previous,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self._selecting = False
            return
        self.show_record(row)

    def show_record(self, row: Any) -> None:
        another = row is None or self.current is None or self.key(row) != self.key(self.current)
        self.current = row
        self.form.load(self.values_of(row) if row is not None else self.defaults())
        self.load_extra(row)
        self.current_changed.emit(row)
        self._update_buttons()
        if another:  # another record reads from its first field (编号, 名称), not where the last one was left
            self.form_scroll.verticalScrollBar().setValue(0)

    # --- editing ------------------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        dirty = self.is_dirty()
        editable = self.can_edit()
        self.save_button.setEnabled(dirty and editable)
        self.revert_button.setEnabled(dirty)
        self.delete_button.setEnabled(self.current is not None and editable)
        self.new_button.setEnabled(editable)
        self.form.setEnabled(editable)

    def is_dirty(self) -> bool:
        return self.form.is_dirty() or self.extra_dirty()

    def maybe_leave(self) -> bool:
        """Ask about unsaved changes; False when the user wants to stay."""
        if not self.is_dirty():
            return True
        answer = dialogs.ask(
            self,
            self.tr("未保存的修改"),
            self.tr("“{0}”有未保存的修改。是否保存？").format(
                self.label(self.current) if self.current else self.tr("新记录")
            ),
            dialogs.Button.Save | dialogs.Button.Discard | dialogs.Button.Cancel,
            dialogs.Button.Save,
        )
        if answer == dialogs.Button.Cancel:
            return False
        if answer == dialogs.Button.Save:
            return self.save(wait=True)
        self.revert()
        return True

    def new_record(self) -> None:
        if not self.allowed or not self.can_edit() or not self.maybe_leave():
            return
        self._selecting = True
        self.view.clearSelection()
        self.view.selectionModel().clearCurrentIndex()
        self._selecting = False
        self.show_record(None)
        self.tabs.setCurrentIndex(0)
        first = next(iter(self.form.widgets.values()))
        first.setFocus()

    def revert(self) -> None:
        self.form.load(self.values_of(self.current) if self.current else self.defaults())
        self.load_extra(self.current)

    def save(self, wait: bool = False) -> bool:
        """Save the form through the service; with ``wait`` (leaving the record) block until it is done."""
        if not self.allowed or not self.validate():
            return False
        values = self.collect_values()
        row, db, store = self.current, self.desk.db, self.store
        outcome: dict[str, bool] = {}

        def done(saved: Any) -> None:
            outcome["ok"] = True
            new = self.current is None or self.key(self.current) != self.key(saved)
            self.current = saved
            self.form.load(self.values_of(saved))
            self.load_extra(saved)
            if new:  # the tabs follow a new record even while the list's filter hides it
                self.current_changed.emit(saved)
            self.desk.status.emit(self.saved_message(saved))
            self.saved.emit(saved)
            self.refresh(select_key=self.key(saved))

        def failed(exc: BaseException) -> None:
            outcome["ok"] = False
            self._save_failed(exc)

        job = operations.run(self, lambda: store(db, row, values), done, failed=failed)
        if job.cancelled():  # the window has closed: nothing was saved
            return False
        if wait:
            from PySide6.QtCore import QCoreApplication, QEventLoop

            while "ok" not in outcome:
                QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
            return outcome["ok"]
        return True

    def _save_failed(self, exc: BaseException) -> None:
        if isinstance(exc, StaleEditError):
            answer = dialogs.ask(
                self,
                self.tr("记录已被修改"),
                exc.message + "\n\n" + self.tr("现在重新载入吗？"),
                dialogs.Button.Yes | dialogs.Button.No,
                dialogs.Button.Yes,
            )
            if answer == dialogs.Button.Yes:
                key = self.key(self.current) if self.current else None
                self.revert()
                self._reload = True  # show the fresh row even though the same record stays selected
                self.refresh(select_key=key)
            return
        operations.at_field(self.form, self, self.tr("无法完成"))(exc)

    def delete_current(self) -> None:
        row = self.current
        if row is None or not self.allowed or not self.can_edit():
            return
        answer = dialogs.ask(
            self, self.tr("确认删除"), self.tr("确定删除“{0}”吗？此操作不能撤销。").format(self.label(row))
        )
        if answer != dialogs.Button.Yes:
            return
        db, remove = self.desk.db, self.remove

        def done(_result: Any) -> None:
            self.show_record(None)
            self.desk.status.emit(self.tr("已删除：{0}").format(self.label(row)))
            self.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, DomainError) and exc.key == "record.in_use" and self.offers_archive():
                question = exc.message + "\n\n" + self.tr("改为归档吗？归档后不在列表中显示，历史记录保留。")
                if dialogs.ask(self, self.tr("不能删除"), question) == dialogs.Button.Yes:
                    self._archive(row)
                return
            self._save_failed(exc)

        operations.run(self, lambda: remove(db, row), done, failed=failed)

    def offers_archive(self) -> bool:
        return True

    def _archive(self, row: Any) -> None:
        db, archive = self.desk.db, self.archive

        def done(_result: Any) -> None:
            self.current = None
            self.desk.status.emit(self.tr("已归档：{0}").format(self.label(row)))
            self.refresh()

        operations.run(self, lambda: archive(db, row), done, failed=self._save_failed)

    def print_subtitle(self) -> str:
        """What the list shows, for a printed title: the filters set (a year, a status, …) and the search."""
        words: list[str] = []
        layouts: list[Any] = [self.filters]
        while layouts:
            layout = layouts.pop(0)
            for i in range(layout.count()):
                item = layout.itemAt(i)
                widget = item.widget() if item is not None else None
                if item is not None and item.layout() is not None:
                    layouts.append(item.layout())
                if isinstance(widget, QComboBox) and widget.currentData() is not None:
                    words.append(widget.currentText())  # a "全部…" choice holds None: no filter to name
                elif isinstance(widget, QCheckBox) and widget.isChecked():
                    words.append(widget.text())
        if self.search.text().strip():
            words.append(self.tr("搜索“{0}”").format(self.search.text().strip()))
        return " · ".join(words)

    # --- state --------------------------------------------------------------------------------------------

    def save_state(self, settings: Any, prefix: str) -> None:
        settings.setValue(f"{prefix}/splitter", self.splitter.saveState())
        settings.setValue(f"{prefix}/header", self.view.horizontalHeader().saveState())

    def restore_state(self, settings: Any, prefix: str) -> None:
        splitter = settings.value(f"{prefix}/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        header = settings.value(f"{prefix}/header")
        if header is not None:
            self.view.horizontalHeader().restoreState(header)
