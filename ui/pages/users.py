"""用户与角色 in the settings page: who may do what, the people of a shared server, and a single desk's PIN.

- **The permission table**, for everyone: each right (``recuperation/access.py`` :data:`RIGHTS`) and the roles
  that give it, and on a server the tables a holder writes (:data:`RIGHT_TABLES`, the server's grants).
- **On a PostgreSQL server**: the people of this database (``services/users.list_users``: login, roles, whether
  they can sign in).  The administrator (the right ``users``) adds a colleague (login, roles, a password or
  none: then the colleague's libpq password file or the server's own authentication), changes their roles,
  disables and enables them; anyone else reads the list, and the reason they cannot change it is said.
- **On an SQLite file**: this computer's user holds every right, roles are for a shared server, and the
  administrator may require a PIN to open the program and to show full numbers
  (``services/desk_pin.py``; asked by ``ui/widgets/pin_dialog.py``).

Every read and write runs on the desk's worker; a refusal is shown as its sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.access import RIGHT_TABLES, RIGHTS, ROLES, Access, right_label, role_label, roles_text
from recuperation.errors import DomainError
from recuperation.services import desk_pin
from recuperation.services import users as service
from recuperation.storage.database import Database
from recuperation.storage.paths import data_dir
from recuperation.storage.server_access import EXTRA_GRANTS
from ui import operations
from ui.desk import Desk
from ui.widgets import dialogs
from ui.widgets.fit import FlowLayout, fit_to_screen, wrapping
from ui.widgets.table import MUTED, ROW_ROLE, Column, RowTableModel, table_view

# --- the model: plain functions over recuperation/access.py (the tests read them) ------------------------------


@dataclass(frozen=True)
class PermissionRow:
    """One right: the roles that give it, and the tables its holders write on a server."""

    right: str
    roles: frozenset[str]
    tables: tuple[str, ...]


def permission_rows() -> list[PermissionRow]:
    """The permission table, a row per right in the program's order; a table granted for one privilege only
    (负责人 approves an invoice: UPDATE of ``base_invoice``) reads ``base_invoice (UPDATE)``."""
    return [
        PermissionRow(
            right,
            roles,
            RIGHT_TABLES.get(right, ())
            + tuple(f"{table} ({grant})" for table, grant, holder in EXTRA_GRANTS if holder == right),
        )
        for right, roles in RIGHTS.items()
    ]


def rights_of(role: str) -> tuple[str, ...]:
    """The rights ``role`` gives, in the program's order."""
    return tuple(right for right, roles in RIGHTS.items() if role in roles)


@dataclass(frozen=True)
class UsersState:
    """What the panel shows: who is signed in, the people of a server (or why they cannot be listed), and
    whether a single desk asks for a PIN."""

    access: Access
    server: bool
    users: tuple[service.UserRow, ...] = ()
    problem: str = ""
    pin: bool = False


def load_state(db: Database) -> UsersState:
    """On the worker: the signed-in person's access and, on a server, the people; on a file, the PIN."""
    access = db.access
    if db.is_sqlite:
        return UsersState(access, False, pin=desk_pin.pin_required(db))
    try:
        return UsersState(access, True, tuple(service.list_users(db)))
    except DomainError as exc:
        return UsersState(access, True, problem=exc.message)


def _fit_height(view: QTableView) -> None:
    """A short table as tall as its rows (it never scrolls inside the scrolling settings page)."""
    view.resizeRowsToContents()
    height = view.horizontalHeader().sizeHint().height() + view.verticalHeader().length()
    height += 2 * view.frameWidth() + 2
    if view.horizontalScrollBar().isVisible():
        height += view.horizontalScrollBar().sizeHint().height()
    view.setFixedHeight(height)


# --- the panel -----------------------------------------------------------------------------------------------


class UsersPanel(QWidget):
    """The permission table; the people of a server and the administrator's actions; a single desk's PIN."""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.busy = 0
        self.loaded_once = False
        self.state: UsersState | None = None
        self.dialog: QDialog | None = None
        server = not desk.db.is_sqlite

        self.intro = wrapping(QLabel())
        self.intro.setObjectName("users_intro")

        # the permission table: a right a row, a column a role, and on a server the tables it writes
        columns = [
            Column(
                self.tr("权限"),
                lambda r: right_label(r.right),
                tooltip=lambda r: right_label(r.right),
                fits=[right_label(r) for r in RIGHTS],
                widest=330,
            )
        ]
        for role in ROLES:
            columns.append(
                Column(
                    role_label(role),
                    lambda r, role=role: role in r.roles,
                    tooltip=lambda r, role=role: self._gives(role, r.right),
                    fits=["✓"],  # as wide as the role's name
                )
            )
        if server:
            columns.append(
                Column(
                    self.tr("服务器上可写的表"),
                    lambda r: ", ".join(r.tables) or "—",
                    tooltip=lambda r: ", ".join(r.tables) or self.tr("只读"),
                )
            )
        self.rights_model = RowTableModel(columns, key=lambda r: r.right)
        self.rights_model.set_rows(permission_rows())
        self.rights_view = table_view(self.rights_model)
        self.rights_view.setObjectName("permissions")
        self.rights_view.setWordWrap(server)  # a right's tables wrap onto more lines
        self.rights_view.horizontalHeader().sectionResized.connect(lambda *_a: _fit_height(self.rights_view))
        if not server:
            self.rights_view.horizontalHeader().setStretchLastSection(False)
            self.rights_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.rights_title = QLabel(self.tr("各角色的权限（程序的默认设置）"))
        self.rights_title.setStyleSheet("font-weight: bold;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(self.rights_title)
        layout.addWidget(self.rights_view)

        # the people of a server
        self.people = QWidget()
        self.people.setObjectName("people")
        yes, no = self.tr("可以登录"), self.tr("已停用")
        self.users_model = RowTableModel(
            [
                Column(self.tr("登录名"), lambda u: u.login, widest=200),
                Column(
                    self.tr("可以登录"),
                    lambda u: yes if u.can_login else no,
                    fits=[yes, no],
                    background=lambda u: None if u.can_login else MUTED.lighter(230),
                ),
                Column(self.tr("角色"), lambda u: roles_text(u.roles), tooltip=lambda u: self._roles_tip(u)),
            ],
            key=lambda u: u.login,
        )
        self.users_view = table_view(self.users_model, sortable=True, rows=True)
        self.users_view.setObjectName("users")
        self.users_view.setMinimumHeight(150)
        self.users_view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.users_view.doubleClicked.connect(lambda _index: self.edit_roles())
        self.add_button = QPushButton(self.tr("添加同事…"))
        self.add_button.setObjectName("add_user")
        self.add_button.clicked.connect(self.add_user)
        self.roles_button = QPushButton(self.tr("修改角色…"))
        self.roles_button.setObjectName("edit_roles")
        self.roles_button.clicked.connect(self.edit_roles)
        self.enable_button = QPushButton(self.tr("停用"))
        self.enable_button.setObjectName("toggle_enabled")
        self.enable_button.clicked.connect(self.toggle_enabled)
        self.password_button = QPushButton(self.tr("设置密码…"))
        self.password_button.setObjectName("set_password")
        self.password_button.clicked.connect(self.set_password)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.clicked.connect(self.refresh)
        actions = FlowLayout()
        for button in (
            self.add_button,
            self.roles_button,
            self.enable_button,
            self.password_button,
            self.refresh_button,
        ):
            actions.addWidget(button)
        self.people_note = wrapping(QLabel())
        self.people_note.setObjectName("people_note")
        self.people_note.setStyleSheet("color: #555;")
        people_title = QLabel(self.tr("这个数据库的用户"))
        people_title.setStyleSheet("font-weight: bold;")
        people_layout = QVBoxLayout(self.people)
        people_layout.setContentsMargins(0, 6, 0, 0)
        people_layout.addWidget(people_title)
        people_layout.addLayout(actions)
        people_layout.addWidget(self.users_view)
        people_layout.addWidget(self.people_note)
        self.people.setVisible(server)
        layout.addWidget(self.people)

        # a single desk's PIN
        self.pin_box = QWidget()
        self.pin_box.setObjectName("pin")
        pin_title = QLabel(self.tr("打开程序的 PIN"))
        pin_title.setStyleSheet("font-weight: bold;")
        self.pin_state = wrapping(QLabel())
        self.pin_state.setObjectName("pin_state")
        self.set_pin_button = QPushButton(self.tr("设置 PIN…"))
        self.set_pin_button.setObjectName("set_pin")
        self.set_pin_button.clicked.connect(self.set_pin)
        self.change_pin_button = QPushButton(self.tr("更改 PIN…"))
        self.change_pin_button.setObjectName("change_pin")
        self.change_pin_button.clicked.connect(self.set_pin)
        self.clear_pin_button = QPushButton(self.tr("取消 PIN…"))
        self.clear_pin_button.setObjectName("clear_pin")
        self.clear_pin_button.clicked.connect(self.clear_pin)
        pin_buttons = FlowLayout()
        for button in (self.set_pin_button, self.change_pin_button, self.clear_pin_button):
            pin_buttons.addWidget(button)
        folder = desk.db.path.parent if desk.db.path is not None else data_dir()
        self.pin_note = wrapping(
            QLabel(
                self.tr(
                    "PIN 只能防止别人在这台电脑上打开程序、查看完整证件号；能复制这个数据库文件的人不用本程序也能读出其中的全部数据。"
                    "请加密这台电脑的磁盘（Windows 的 BitLocker、macOS 的 FileVault、Linux 的 LUKS），"
                    "或加密数据文件夹 {0}。"
                ).format(folder)
            )
        )
        self.pin_note.setObjectName("pin_note")
        self.pin_note.setStyleSheet("color: #8a6d00;")
        pin_layout = QVBoxLayout(self.pin_box)
        pin_layout.setContentsMargins(0, 6, 0, 0)
        pin_layout.addWidget(pin_title)
        pin_layout.addWidget(self.pin_state)
        pin_layout.addLayout(pin_buttons)
        pin_layout.addWidget(self.pin_note)
        self.pin_box.setVisible(not server)
        layout.addWidget(self.pin_box)
        self._update_buttons()

    def _gives(self, role: str, right: str) -> str:
        if role in RIGHTS[right]:
            return self.tr("{0}：{1}").format(role_label(role), right_label(right))
        return ""

    def _roles_tip(self, user: service.UserRow) -> str:
        rights = {right for role in user.roles for right in rights_of(role)}
        return messages.join([right_label(r) for r in RIGHTS if r in rights])

    # --- loading ------------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        _fit_height(self.rights_view)
        if not self.loaded_once:
            self.refresh()

    def refresh(self, select: str | None = None) -> None:
        db = self.desk.db
        chosen = select or (self.current().login if self.current() is not None else None)  # type: ignore[union-attr]
        operations.run(self, lambda: load_state(db), lambda state: self._loaded(state, chosen))

    def loaded(self) -> bool:
        return self.loaded_once and self.busy == 0

    def _loaded(self, state: UsersState, select: str | None = None) -> None:
        self.state = state
        self.loaded_once = True
        access = state.access
        if state.server:
            self.intro.setText(
                self.tr(
                    "已登录：{0}。服务器按下表执行每个角色的权限：修改哪些表由服务器的授权决定，确认批次、批准发票等审批由服务器检查，"
                    "审计日志记下服务器上的登录名，完整证件号只能经服务器检查权限并记入审计日志后读取。"
                    "程序不提供您没有权限的操作。"
                ).format(access.describe())
                + (
                    " "
                    + self.tr(
                        "{0} 是这个数据库的所有者（运行迁移的服务器角色）或服务器的超级用户，拥有全部权限。"
                    ).format(access.login)
                    if access.owner
                    else ""
                )
            )
        else:
            self.intro.setText(
                self.tr(
                    "这是本机的数据库文件：这台电脑的用户 {0} 拥有全部权限，不用登录。"
                    "角色用于多人共用的 PostgreSQL 服务器（上面“数据库”中的“使用数据库服务器…”）：在服务器上，每位同事用自己的登录名登录，"
                    "服务器按下表执行每个角色的权限。"
                ).format(access.login)
            )
        self.users_model.set_rows(list(state.users))
        row = self.users_model.row_for_key(select) if select else -1
        if row < 0 and self.users_model.rows:
            row = 0
        if row >= 0:
            self.users_view.selectRow(
                self.users_view.model().mapFromSource(self.users_model.index(row, 0)).row()
            )
        admin = access.can("users")
        if state.problem:
            self.people_note.setText(state.problem)
        elif not admin:
            self.people_note.setText(access.why_not("users"))
        else:
            self.people_note.setText(
                self.tr(
                    "停用的同事不能再登录，其角色和审计日志中的记录保留。去掉的角色服务器立即执行；同事的窗口在下次登录时显示新的角色。"
                )
            )
        if state.pin:
            self.pin_state.setText(
                self.tr("已设置 PIN：打开程序，以及显示、打印或导出完整证件号时需要输入。")
            )
        else:
            self.pin_state.setText(self.tr("没有设置 PIN：打开程序不需要输入 PIN。"))
        if not state.server and not admin:
            self.pin_state.setText(self.pin_state.text() + " " + access.why_not("users"))
        self._update_buttons()

    def current(self) -> service.UserRow | None:
        index = self.users_view.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _update_buttons(self) -> None:
        state = self.state
        admin = state is not None and state.access.can("users")
        for button in (self.add_button, self.roles_button, self.enable_button, self.password_button):
            button.setVisible(admin)

        user = self.current()
        self.roles_button.setEnabled(admin and user is not None)
        self.password_button.setEnabled(admin and user is not None)
        own = user is not None and state is not None and user.login == state.access.login
        self.enable_button.setEnabled(admin and user is not None and not (own and user.can_login))
        self.enable_button.setToolTip(self.tr("不能停用自己：请让另一位管理员来做。") if own else "")
        if user is not None:
            self.enable_button.setText(self.tr("停用") if user.can_login else self.tr("启用"))
        pin = state is not None and state.pin
        self.set_pin_button.setVisible(admin and not pin)
        self.change_pin_button.setVisible(admin and pin)
        self.clear_pin_button.setVisible(admin and pin)

    # --- the administrator's actions on a server ------------------------------------------------------------------

    def add_user(self) -> None:
        self._open(UserDialog(self, None))

    def edit_roles(self) -> None:
        user = self.current()
        if user is not None and self.add_button.isVisible():
            self._open(UserDialog(self, user))

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.saved.connect(lambda saved: self.refresh(select=saved.login))  # type: ignore[attr-defined]
        dialog.open()

    def toggle_enabled(self) -> None:
        user = self.current()
        if user is None:
            return
        enable = not user.can_login
        if not enable:
            question = self.tr(
                "停用 {0} 吗？停用后 {0} 不能再登录；其角色和审计日志中的记录保留，以后可以再启用。"
            ).format(user.login)
            if dialogs.ask(self, self.tr("停用同事"), question) != dialogs.Button.Yes:
                return
        db, login = self.desk.db, user.login

        def done(saved: service.UserRow) -> None:
            self.desk.status.emit(
                (self.tr("{0} 可以登录了") if saved.can_login else self.tr("{0} 已停用")).format(saved.login)
            )
            self.refresh(select=saved.login)

        operations.run(
            self,
            lambda: service.set_enabled(db, login, enable),
            done,
            title=self.tr("不能启用") if enable else self.tr("不能停用"),
        )

    def set_password(self) -> None:
        """A new password for the selected person (an administrator), typed twice; sent as a SCRAM verifier."""
        user = self.current()
        if user is None:
            return
        title = self.tr("设置 {0} 的密码").format(user.login)
        first = dialogs.ask_text(self, title, self.tr("新密码："), secret=True)
        if not first:
            return
        again = dialogs.ask_text(self, title, self.tr("再输一次："), secret=True)
        if again is None:
            return
        if again != first:
            dialogs.warn(self, title, self.tr("两次输入的密码不同，密码没有改变。"))
            return
        db, login = self.desk.db, user.login
        operations.run(
            self,
            lambda: service.set_password(db, login, first),
            lambda _none: self.desk.status.emit(self.tr("{0} 的密码已更新").format(login)),
            title=self.tr("不能设置密码"),
        )

    # --- a single desk's PIN --------------------------------------------------------------------------------------

    def set_pin(self) -> None:
        self._open_pin(PinDialog(self, self.state is not None and self.state.pin))

    def _open_pin(self, dialog: PinDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.saved.connect(lambda _saved: self.refresh())
        dialog.open()

    def clear_pin(self) -> None:
        current = dialogs.ask_text(
            self,
            self.tr("取消 PIN"),
            self.tr("输入当前的 PIN。取消后，打开程序和显示完整证件号都不再需要 PIN。"),
            ok=self.tr("取消 PIN"),
            cancel=self.tr("保留 PIN"),
            secret=True,
        )
        if current is None:
            return
        db = self.desk.db

        def done(_none: None) -> None:
            self.desk.status.emit(self.tr("PIN 已取消"))
            self.refresh()

        operations.run(self, lambda: desk_pin.clear_pin(db, current), done, title=self.tr("不能取消 PIN"))


class UserDialog(QDialog):
    """添加同事 (login, roles, a password twice or none) or 修改角色 (the roles of one person)."""

    saved = Signal(object)  # the UserRow

    def __init__(self, panel: UsersPanel, user: service.UserRow | None):
        super().__init__(panel)
        self.desk = panel.desk
        self.busy = 0
        self.user = user
        self.setWindowTitle(
            self.tr("添加同事") if user is None else self.tr("修改 {0} 的角色").format(user.login)
        )
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.login = QLineEdit(user.login if user else "")
        self.login.setObjectName("login")
        self.login.setMaxLength(63)
        self.login.setReadOnly(user is not None)
        self.login.setPlaceholderText(self.tr("如 wangfang"))
        self.role_boxes: dict[str, QCheckBox] = {}
        roles = QVBoxLayout()
        for role in ROLES:
            box = QCheckBox(role_label(role))
            box.setObjectName(f"role_{role}")
            box.setChecked(user is not None and role in user.roles)
            box.setToolTip(messages.join([right_label(r) for r in rights_of(role)]))
            self.role_boxes[role] = box
            roles.addWidget(box)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setObjectName("password_again")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("登录名"), self.login)
        form.addRow(self.tr("角色"), roles)
        if user is None:
            form.addRow(self.tr("密码"), self.password)
            form.addRow(self.tr("再输一次"), self.again)
        note = wrapping(
            QLabel(
                self.tr(
                    "密码只在服务器用自己的认证方式（peer、ldap、证书）时才可以留空；用密码登录的服务器需要它（以后可用“设置密码…”设置），"
                    "同事可以把它存进自己电脑上的 libpq 密码文件（pgpass）。"
                    "密码在本机转换成 SCRAM 校验值后才发给服务器，服务器的日志里没有密码。"
                )
                if user is None
                else self.tr("去掉的角色服务器立即执行；{0} 的窗口在下次登录时显示新的角色。").format(
                    user.login
                )
            )
        )
        note.setStyleSheet("color: #555;")
        self.error = wrapping(QLabel())
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        self.save_button = QPushButton(self.tr("添加") if user is None else self.tr("保存"))
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        fit_to_screen(self, 520, 440 if user is None else 360)
        (self.login if user is None else self.role_boxes[ROLES[0]]).setFocus()

    def roles(self) -> list[str]:
        return [role for role, box in self.role_boxes.items() if box.isChecked()]

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def save(self) -> None:
        login, roles, password = self.login.text().strip(), self.roles(), self.password.text()
        if self.user is None and password != self.again.text():
            self.show_error(self.tr("两次输入的密码不一样，请重新输入。"))
            self.again.setFocus()
            return
        db, new = self.desk.db, self.user is None

        def store() -> service.UserRow:
            if new:
                return service.add_user(db, login, roles, password)
            return service.set_roles(db, login, roles)

        def done(saved: service.UserRow) -> None:
            self.save_button.setEnabled(True)
            self.desk.status.emit(
                (self.tr("已添加 {0}（{1}）") if new else self.tr("{0} 的角色改为 {1}")).format(
                    saved.login, roles_text(saved.roles)
                )
            )
            self.accept()
            self.saved.emit(saved)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            if not isinstance(exc, DomainError):
                operations.show_failure(self, exc)
                return
            self.show_error(exc.message)
            if exc.field == "login":
                self.login.setFocus()

        self.show_error("")
        self.save_button.setEnabled(False)
        operations.run(self, store, done, failed=failed)


class PinDialog(QDialog):
    """设置 PIN / 更改 PIN: the new PIN twice, and the current one when there is one."""

    saved = Signal(object)

    def __init__(self, panel: UsersPanel, has_pin: bool):
        super().__init__(panel)
        self.desk = panel.desk
        self.busy = 0
        self.has_pin = has_pin
        self.setWindowTitle(self.tr("更改 PIN") if has_pin else self.tr("设置 PIN"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        digits = QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,12}"), self)

        def field(name: str) -> QLineEdit:
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setValidator(digits)
            edit.setMaxLength(12)
            return edit

        self.current, self.pin, self.again = field("current_pin"), field("pin"), field("pin_again")
        form = QFormLayout()
        if has_pin:
            form.addRow(self.tr("当前的 PIN"), self.current)
        form.addRow(self.tr("新的 PIN（4–12 位数字）"), self.pin)
        form.addRow(self.tr("再输一次"), self.again)
        note = wrapping(
            QLabel(
                self.tr(
                    "设置后，打开程序，以及显示、打印或导出完整证件号时都要输入 PIN；命令行的 --full-ids 也要（或由环境变量 "
                    "RECUPERATION_PIN 给出）。忘记 PIN 就不能再打开这个文件，请记住它。"
                )
            )
        )
        note.setStyleSheet("color: #555;")
        self.error = wrapping(QLabel())
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        self.save_button = QPushButton(self.tr("保存 PIN"))
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        fit_to_screen(self, 480, 300)
        (self.current if has_pin else self.pin).setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def save(self) -> None:
        pin, current = self.pin.text(), self.current.text()
        if pin != self.again.text():
            self.show_error(self.tr("两次输入的 PIN 不一样，请重新输入。"))
            self.again.setFocus()
            return
        db = self.desk.db

        def done(_none: None) -> None:
            self.save_button.setEnabled(True)
            self.desk.status.emit(self.tr("PIN 已保存"))
            self.accept()
            self.saved.emit(True)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            if not isinstance(exc, DomainError):
                operations.show_failure(self, exc)
                return
            self.show_error(exc.message)
            (self.current if exc.field == "current_pin" else self.pin).setFocus()

        self.show_error("")
        self.save_button.setEnabled(False)
        operations.run(self, lambda: desk_pin.set_pin(db, pin, current), done, failed=failed)
