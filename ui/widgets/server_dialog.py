"""The dialog that names a PostgreSQL server database and tests the connection before it is used."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import make_url

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.errors import DomainError
from recuperation.storage.server import probe, server_url
from ui import operations
from ui.worker import Worker


class ServerDialog(QDialog):
    """Host, port, database, user and password; “测试连接” says what is there without changing anything.

    ``url()`` is the connection chosen.  The password is part of it only when “记住密码” is ticked;
    otherwise libpq finds it in the user's password file (pgpass) or PGPASSWORD, as the README explains.
    """

    def __init__(self, worker: Worker, parent: QWidget | None = None, url: str = "", title: str = ""):
        super().__init__(parent)
        self.worker = worker
        self.tested: str | None = None
        self.setWindowTitle(title or self.tr("连接数据库服务器"))
        self.host = QLineEdit()
        self.host.setObjectName("host")
        self.host.setPlaceholderText("192.168.1.10")
        self.port = QSpinBox()
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.port.setGroupSeparatorShown(False)
        self.database = QLineEdit("recuperation")
        self.database.setObjectName("database")
        self.user = QLineEdit()
        self.user.setObjectName("user")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("记住密码（保存在本机设置文件中，仅本用户可读）"))
        self.remember.setChecked(True)
        if url:
            self._load(url)

        form = QFormLayout()
        form.addRow(self.tr("服务器地址"), self.host)
        form.addRow(self.tr("端口"), self.port)
        form.addRow(self.tr("数据库名"), self.database)
        form.addRow(self.tr("用户名"), self.user)
        form.addRow(self.tr("密码"), self.password)
        form.addRow("", self.remember)

        self.test_button = QPushButton(self.tr("测试连接"))
        self.test_button.setObjectName("test")
        self.test_button.clicked.connect(self.test)
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.test_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.result)
        layout.addWidget(self.buttons)
        for edit in (self.host, self.database, self.user, self.password):
            edit.textChanged.connect(self._changed)
        self.port.valueChanged.connect(self._changed)
        self._changed()
        self.resize(480, self.sizeHint().height())

    def _load(self, url: str) -> None:
        parsed = make_url(url)
        self.host.setText(parsed.host or "")
        self.port.setValue(parsed.port or 5432)
        self.database.setText(parsed.database or "")
        self.user.setText(parsed.username or "")
        self.password.setText(parsed.password if isinstance(parsed.password, str) else "")

    def connection(self, *, with_password: bool = True) -> str:
        return server_url(
            self.host.text().strip(),
            self.port.value(),
            self.database.text().strip(),
            self.user.text().strip(),
            self.password.text() if with_password else "",
        )

    def url(self) -> str:
        """The connection to keep: with the password only when the user asked to remember it."""
        return self.connection(with_password=self.remember.isChecked())

    def _changed(self) -> None:
        complete = bool(
            self.host.text().strip() and self.database.text().strip() and self.user.text().strip()
        )
        self.test_button.setEnabled(complete)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(complete and self.tested == self.connection())
        ok.setToolTip("" if ok.isEnabled() else self.tr("先测试连接"))
        if self.tested != self.connection():
            self.result.clear()

    def test(self) -> None:
        url = self.connection()
        self.test_button.setEnabled(False)
        self.result.setText(self.tr("正在连接…"))

        def done(found: Any) -> None:
            self.test_button.setEnabled(True)
            usable = found.state in ("empty", "current", "older")
            text = messages.text(f"db.probe_state.{found.state}", batches=found.batches)
            self.tested = url if usable else None
            self._changed()  # enables OK for a usable database (and clears an older result)
            self.result.setText(f"✓ {found.server}\n{text}" if usable else f"✗ {found.server}\n{text}")

        def failed(exc: BaseException) -> None:
            self.test_button.setEnabled(True)
            self.tested = None
            self._changed()  # OK waits for a connection tested now (and an older result is cleared)
            if not isinstance(exc, DomainError):
                operations.show_failure(self, exc)
                return
            self.result.setText("✗ " + exc.message)  # a server that cannot be reached: said in the dialog

        operations.run(self, lambda: probe(url), done, failed=failed)
