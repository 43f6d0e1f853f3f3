"""The main window: a navigation list, one page per area, menus with the standard shortcuts."""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import settings
from ui.widgets.fit import ElidedLabel, fit_to_screen

if TYPE_CHECKING:
    from ui.desk import Desk
    from ui.pages.base import Page

# The window's frame (navigation, menus, status bar) needs Qt only: ``recuperation gui`` paints it before it
# imports the database layer and the pages, which ``attach`` brings in (docs/architecture.md, *Start-up*).

PAGE_ORDER = ("dashboard", "agreements", "bases", "routes", "batches", "statistics", "settings")


def app_icon() -> QIcon:
    path = resources.files("desk_resources") / "icons" / "app.svg"
    with resources.as_file(path) as file:
        return QIcon(str(file))


def user_guide() -> str:
    """The user guide in the interface's language (the Chinese one is the README's user section)."""
    from ui.i18n import current_language

    name = "user-guide.en.md" if current_language() == "en" else "user-guide.md"
    return (resources.files("desk_resources") / "guide" / name).read_text(encoding="utf-8")


class _Pages(dict):
    """The window's pages by name, each built the first time it is asked for."""

    def __init__(self, build: Any) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, name: str) -> Any:
        if name not in PAGE_ORDER:
            raise KeyError(name)
        return self._build(name)


class MainWindow(QMainWindow):
    """The window.  ``MainWindow(desk)`` is the whole window; ``MainWindow()`` is its frame alone (navigation,
    menus, status bar), painted at once while the database opens, and :meth:`attach` adds the pages."""

    desk: Desk

    def __init__(self, desk: Desk | None = None, *, remember: bool = True):
        super().__init__()
        self.remember = remember  # window size, splitters and columns kept between sessions
        self.setWindowTitle(self.tr("职工疗休养工作台"))
        self.setWindowIcon(app_icon())
        self.counts: dict[str, int] | None = None

        titles = {
            "dashboard": self.tr("总览"),
            "agreements": self.tr("合作协议"),
            "bases": self.tr("疗休养基地"),
            "routes": self.tr("线路"),
            "batches": self.tr("批次"),
            "statistics": self.tr("统计"),
            "settings": self.tr("设置"),
        }
        self.titles = titles
        self.pages: dict[str, Page] = {}
        self.attached = False
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setStyleSheet("QListWidget::item { padding: 8px 6px; font-size: 14px; }")
        self.stack = QStackedWidget()
        for name in PAGE_ORDER:
            QListWidgetItem(titles[name], self.nav).setData(Qt.ItemDataRole.UserRole, name)
        self.nav.currentRowChanged.connect(self._navigate)
        self._current_row = -1
        self.nav.setFixedWidth(150)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        # A long path is cut in the middle (whole in its tooltip): the status bar never widens the window.
        self.db_label = ElidedLabel("", least=120)
        self.count_label = QLabel()
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # "working", without a percentage: reads and writes are single steps
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setToolTip(self.tr("正在处理数据…"))
        self.busy_bar.hide()
        self._busy_since = 0.0
        self.busy_timer = QTimer(self)
        self.busy_timer.timeout.connect(self._show_busy)
        self.busy_timer.start(250)
        # The integrity check after start found the file damaged: said once in a dialog, then kept here.
        self.damage_label = QLabel(self.tr("数据库已损坏，修改不会保存：请从备份恢复"))
        self.damage_label.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.damage_label.hide()
        self._damage_told = False
        # Who is signed in with which roles (王芳（协调员、财务）); the tooltip says who enforces them.
        self.access_label = QLabel()
        self.access_label.setObjectName("signed_in")
        self.access_label.setContentsMargins(0, 0, 8, 0)  # apart from the counts beside it
        self.access_label.hide()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.damage_label)
        self.statusBar().addPermanentWidget(self.busy_bar)
        self.statusBar().addPermanentWidget(self.access_label)
        self.statusBar().addPermanentWidget(self.count_label)
        self.menus = [
            self.menuBar().addMenu(title)
            for title in (
                self.tr("文件(&F)"),
                self.tr("编辑(&E)"),
                self.tr("转到(&G)"),
                self.tr("工具(&T)"),
                self.tr("帮助(&H)"),
            )
        ]
        self.restore_geometry()
        if desk is not None:
            self.attach(desk)

    def attach(self, desk: Desk) -> None:
        """Add the pages, the menus' actions and the counts for ``desk``'s database.  A page is built when it
        is first shown or asked for (``self.pages[name]``): a start builds only the page it opens on."""
        self.desk = desk
        self.attached = True
        self.pages = _Pages(self._build_page)
        for _name in PAGE_ORDER:
            self.stack.addWidget(QWidget())  # its place, until the page is built
        self.db_label.setText(self.tr("数据库：{0}").format(desk.db.name))
        self.show_access()
        desk.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        desk.data_changed.connect(self.update_counts)
        desk.damage_found.connect(self.show_damage)
        desk.data_changed.connect(self._damage_gone)
        self._build_menus()
        self.restore_state()
        self.update_counts()
        wanted = self.nav.currentRow()
        if wanted >= 0:  # a page chosen before the pages came: show it now
            self._current_row = -1
            self._navigate(wanted)

    # --- menus and shortcuts ------------------------------------------------------------------------------

    def _action(self, menu, text: str, shortcut: QKeySequence | str | None, slot) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu, edit_menu, go_menu, tools_menu, help_menu = self.menus
        self.new_action = self._action(
            file_menu, self.tr("新建"), QKeySequence.StandardKey.New, lambda: self.page().new_record()
        )
        self.save_action = self._action(
            file_menu, self.tr("保存"), QKeySequence.StandardKey.Save, lambda: self.page().save()
        )
        self.print_action = self._action(
            file_menu, self.tr("打印…"), QKeySequence.StandardKey.Print, self.print_page
        )
        file_menu.addSeparator()
        from ui.widgets.register_import import register_names

        names = register_names()
        import_menu = file_menu.addMenu(self.tr("导入登记表"))
        self.import_actions = {
            kind: self._action(
                import_menu, names[kind] + "…", None, lambda _c=False, k=kind: self.import_register(k)
            )
            for kind in ("bases", "partners", "routes", "batches")
        }
        template_menu = file_menu.addMenu(self.tr("保存登记表模板"))
        for kind in ("bases", "partners", "routes", "batches", "roster"):
            self._action(
                template_menu, names[kind] + "…", None, lambda _c=False, k=kind: self.save_template(k)
            )
        export_menu = file_menu.addMenu(self.tr("导出登记表（含现有数据）"))
        for kind in ("bases", "partners", "routes", "batches"):
            self._action(
                export_menu,
                names[kind] + "…",
                None,
                lambda _c=False, k=kind: self.save_template(k, with_data=True),
            )
        self.assistant_action = self._action(file_menu, self.tr("开始使用向导…"), None, self.show_assistant)
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, self.tr("退出"), QKeySequence.StandardKey.Quit, self.close)
        self.find_action = self._action(
            edit_menu, self.tr("查找"), QKeySequence.StandardKey.Find, lambda: self.page().focus_search()
        )
        self.delete_action = self._action(
            edit_menu, self.tr("删除"), QKeySequence(Qt.Key.Key_Delete), self.delete_in_page
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.refresh_action = self._action(
            edit_menu, self.tr("刷新"), QKeySequence.StandardKey.Refresh, self.refresh_page
        )
        for i, name in enumerate(PAGE_ORDER):
            self._action(
                go_menu, self.titles[name], f"Ctrl+{i + 1}", lambda _c=False, n=name: self.show_page(n)
            )
        self.people_action = self._action(tools_menu, self.tr("团员查询…"), "Ctrl+Shift+F", self.show_people)
        self.audit_action = self._action(tools_menu, self.tr("审计日志…"), None, self.show_audit)
        self.guide_action = self._action(
            help_menu, self.tr("用户指南"), QKeySequence.StandardKey.HelpContents, self.show_guide
        )
        self.about_action = self._action(help_menu, self.tr("关于"), None, self.show_about)
        self._follow_rights()

    def show_access(self) -> None:
        """The status bar names who is signed in and their roles; its tooltip, who enforces them."""
        access = self.desk.access
        self.access_label.setText(access.describe())
        if not access.server:
            tip = self.tr(
                "本机数据库文件：这台电脑的用户拥有全部权限。文件本身不设防，能复制它的人就能读取它。"
            )
        elif access.owner:
            tip = self.tr("数据库服务器：{0} 是数据库的所有者，拥有全部权限。").format(access.login)
        else:
            tip = self.tr(
                "数据库服务器按这些角色执行权限：没有权限的操作在这里不可用，直接连接数据库也会被拒绝。"
            )
        self.access_label.setToolTip(tip)
        self.access_label.show()

    def _follow_rights(self) -> None:
        """The menus offer what the signed-in person may do (each page does the same for its own actions)."""
        from ui.widgets.rights import allow, allow_all

        access = self.desk.access
        allow_all(self.import_actions.values(), access, "plan")
        allow(self.assistant_action, access, "settings")  # it sets the union's name and imports the registers
        for menu in self.menus:
            menu.setToolTipsVisible(True)  # a disabled entry says why when pointed at

    def _page_rights(self) -> None:
        """新建, 保存 and 删除 act on the page shown: offered when its records may be changed."""
        from ui.widgets.rights import allow_all, unlock

        actions = (self.new_action, self.save_action, self.delete_action)
        right = self.page().right
        if right is None:
            for action in actions:
                unlock(action)
        else:
            allow_all(actions, self.desk.access, right)

    def _show_busy(self) -> None:
        """Show the indicator once the worker has been busy for more than a second."""
        if not self.attached or self.desk.worker.pending <= 0:
            self._busy_since = 0.0
            self.busy_bar.hide()
            return
        now = time.monotonic()
        if not self._busy_since:
            self._busy_since = now
        self.busy_bar.setVisible(now - self._busy_since > 1.0)

    def page(self) -> Page:
        from ui.pages.base import Page

        widget = self.stack.currentWidget()
        assert isinstance(widget, Page)
        return widget

    def delete_in_page(self) -> None:
        """Del deletes the selected record when a list has the focus (in a text field it deletes text)."""
        focus = self.focusWidget()
        if isinstance(focus, QAbstractItemView):
            self.page().delete()

    def refresh_page(self) -> None:
        if self.page().maybe_leave():
            self.page().refresh()
            self.update_counts()

    def print_page(self) -> None:
        """Print the page's table under a title saying what it shows (统计 — 2021年第2季度 · 按基地), the
        union's name from the settings and the date printed."""
        from recuperation.services.policy import get_policy
        from ui import operations
        from ui.widgets import printing

        page = self.page()
        view = page.print_view()
        if view is None:
            return
        title = printing.heading(self.titles[page.name], page.print_subtitle())

        def show(policy: Any) -> None:
            union = policy.union_name if policy is not None else ""
            printing.preview(self, title, printing.table_html(title, union, view))

        policy = self.pages["settings"].policy
        if policy is not None:
            show(policy)
        else:  # the settings page not opened yet: read the union's name first
            db = self.desk.db
            operations.run(self, lambda: get_policy(db), show)

    # --- pages --------------------------------------------------------------------------------------------

    def show_page(self, name: str) -> None:
        self.nav.setCurrentRow(PAGE_ORDER.index(name))

    def _navigate(self, row: int) -> None:
        if row == self._current_row or not self.attached:
            return
        if self._current_row >= 0 and not self.page().maybe_leave():
            blocked = self.nav.blockSignals(True)
            self.nav.setCurrentRow(self._current_row)
            self.nav.blockSignals(blocked)
            return
        self._current_row = row
        self.pages[PAGE_ORDER[row]]  # built now if it was not
        self.stack.setCurrentIndex(row)
        self._page_rights()
        self.page().activate()

    def open_record(self, page: str, key: int) -> None:
        """Show a record on its page (from an alert of the overview)."""
        self.show_page(page)
        target = self.pages[page]
        if target.panels:
            panel = target.panels[0]
            if hasattr(panel, "year") and not hasattr(panel, "rows_year"):
                panel.year.setCurrentIndex(0)  # type: ignore[attr-defined]
            # (a list read a year at a time shows the record's year by itself)
            if hasattr(panel, "status_filter"):
                panel.status_filter.setCurrentIndex(panel.status_filter.findData("all"))  # type: ignore[attr-defined]
            panel.refresh(select_key=key)

    def update_counts(self) -> None:
        from recuperation.errors import DomainError
        from recuperation.storage.database import table_counts
        from ui import operations

        db = self.desk.db

        def done(counts: dict[str, int]) -> None:
            self.counts = counts
            self.count_label.setText(
                self.tr("合作单位 {0} · 基地 {1} · 线路 {2} · 批次 {3} · 团员 {4}").format(
                    *(f"{counts[k]:,}" for k in ("partner", "base", "route", "batch", "participant"))
                )
            )

        def failed(exc: BaseException) -> None:
            # The counts are a status line: a refusal (a database fault) is said there, not in a dialog that
            # would come after every change; the page that failed says it in full.
            if isinstance(exc, DomainError):
                self.count_label.setText("")
                self.desk.status.emit(exc.message)
            else:
                operations.show_failure(self, exc)

        operations.run(self, lambda: table_counts(db), done, failed=failed)

    def loaded(self) -> bool:
        return self.counts is not None and self.page().loaded()

    def show_damage(self, finding: str) -> None:
        """The database is damaged (``Desk.damage_found``): its data can still be read, nothing more is
        saved.  Said once in a dialog (the finding names the file and the restore) and kept in the status
        bar, the finding as its tooltip, until a restore replaces the file."""
        self.damage_label.setToolTip(finding)
        self.damage_label.show()
        if not self._damage_told:
            from ui.widgets import dialogs

            self._damage_told = True
            dialogs.warn(self, self.tr("数据库已损坏"), finding)

    def _damage_gone(self) -> None:
        if not self.damage_label.isHidden() and self.desk.db.damage is None:  # restored from a backup
            self.damage_label.hide()
            self._damage_told = False

    # --- help ---------------------------------------------------------------------------------------------

    def import_register(self, kind: str, path: Path | None = None) -> Any:
        """Import one of the office's registers (asks for the file unless given); returns the import."""
        from ui.widgets.register_import import RegisterImport

        if not self.desk.access.can("plan"):
            return None

        job = RegisterImport(self.desk, self, kind)
        self.register_import = job
        if path is None:
            job.choose()
        else:
            job.start(path)
        return job

    def save_template(self, kind: str, *, with_data: bool = False) -> None:
        from ui.widgets.register_import import save_template

        save_template(self.desk, self, kind, with_data=with_data)

    def show_assistant(self) -> None:
        if not self.desk.access.can("settings"):
            return
        from ui.assistant import FirstRunAssistant

        self.assistant = FirstRunAssistant(self.desk, self)
        self.assistant.open()

    def show_people(self) -> None:
        from ui.widgets.people_view import PeopleDialog

        self.people_dialog = PeopleDialog(self.desk, self)
        self.people_dialog.show()

    def show_audit(self) -> None:
        from ui.widgets.audit_view import AuditDialog

        self.audit_dialog = AuditDialog(self.desk, self)
        self.audit_dialog.show()

    def show_guide(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("用户指南"))
        browser = QTextBrowser()
        browser.setMarkdown(user_guide())
        self.guide_browser = browser
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        fit_to_screen(dialog, 760, 640)
        dialog.show()
        self.guide_dialog = dialog

    def show_about(self) -> None:
        from recuperation import __version__

        QMessageBox.about(
            self,
            self.tr("关于"),
            self.tr(
                "<h3>职工疗休养工作台</h3><p>版本 {0}</p><p>合作协议、疗休养基地、线路、批次与名单、统计。</p>"
                "<p>数据库：{1}</p>"
            ).format(__version__, self.desk.db.name),
        )

    # --- state --------------------------------------------------------------------------------------------

    def restore_geometry(self) -> None:
        if not self.remember:
            self.resize(1366, 768)  # the office screen everything is made to fit (tests/test_ui_fit.py)
            return
        store = settings()
        size, pos = store.value("window/size"), store.value("window/pos")
        size = size if isinstance(size, QSize) else QSize(1280, 800)
        fit_to_screen(
            self, size.width(), size.height()
        )  # a size kept from a larger screen is cut to this one
        if pos is not None:
            self.move(pos)
        if str(store.value("window/maximized", "false")).lower() == "true":
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def restore_state(self) -> None:
        """Each built page's splitters and columns as the last session left them (a page built later takes
        its own when it is built)."""
        if not self.remember:
            return
        store = settings()
        for page in self.pages.values():
            page.restore_state(store)

    def _build_page(self, name: str) -> Page:
        """Build page ``name`` in its place in the stack (``self.pages`` calls this for a page not yet built)."""
        if name == "dashboard":
            from ui.pages.dashboard import DashboardPage as Kind
        elif name == "agreements":
            from ui.pages.agreements import AgreementsPage as Kind  # type: ignore[assignment]
        elif name == "bases":
            from ui.pages.bases import BasesPage as Kind  # type: ignore[assignment]
        elif name == "routes":
            from ui.pages.routes import RoutesPage as Kind  # type: ignore[assignment]
        elif name == "batches":
            from ui.batch.page import BatchesPage as Kind  # type: ignore[assignment]
        elif name == "statistics":
            from ui.pages.statistics import StatisticsPage as Kind  # type: ignore[assignment]
        else:
            from ui.pages.settings import SettingsPage as Kind  # type: ignore[assignment]
        page = Kind(self.desk)
        index = PAGE_ORDER.index(name)
        place = self.stack.widget(index)
        blocked = self.stack.blockSignals(True)
        current = self.stack.currentIndex()
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(place)
        place.deleteLater()
        self.stack.setCurrentIndex(current)
        self.stack.blockSignals(blocked)
        dict.__setitem__(self.pages, name, page)
        if name == "dashboard":
            page.open_record.connect(self.open_record)  # type: ignore[attr-defined]
        if self.remember:
            page.restore_state(settings())
        return page

    def build_all_pages(self) -> None:
        """Every page built (a check of the window's smallest size looks at all of them)."""
        for name in PAGE_ORDER:
            self.pages[name]

    def save_state(self) -> None:
        if not self.remember:
            return
        store = settings()
        store.setValue("window/maximized", self.isMaximized())
        if not self.isMaximized():
            store.setValue("window/size", self.size())
            store.setValue("window/pos", self.pos())
        for page in self.pages.values():
            page.save_state(store)
        store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if any(page.has_edits() for page in self.pages.values()):
            from ui.widgets import dialogs

            answer = dialogs.ask(self, self.tr("未保存的修改"), self.tr("有未保存的修改。仍要退出吗？"))
            if answer != dialogs.Button.Yes:
                event.ignore()
                return
        self.save_state()
        if self.attached:
            self.desk.worker.shutdown()
            self.desk.close()
        super().closeEvent(event)
