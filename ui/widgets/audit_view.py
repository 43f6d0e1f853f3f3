"""The audit trail on screen: a record's history tab, and the audit viewer with its filters."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.services.audit import audit_users, list_audit
from ui.desk import Desk
from ui.i18n import date_format
from ui.widgets.table import Column, RowTableModel, table_view


def _actions() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "create": translate("AuditView", "新建"),
        "update": translate("AuditView", "修改"),
        "delete": translate("AuditView", "删除"),
        "archive": translate("AuditView", "归档"),
        "unarchive": translate("AuditView", "取消归档"),
        "import": translate("AuditView", "导入"),
        "export": translate("AuditView", "导出"),
        "print": translate("AuditView", "打印"),
        "demo": translate("AuditView", "演示数据"),
    }


def audit_model(parent: QWidget) -> RowTableModel:
    actions = _actions()
    translate = QCoreApplication.translate
    return RowTableModel(
        [
            Column(translate("AuditView", "时间"), lambda r: r.at.strftime("%Y-%m-%d %H:%M:%S"), width=150),
            Column(translate("AuditView", "用户"), lambda r: r.user, width=80),
            Column(translate("AuditView", "操作"), lambda r: actions.get(r.action, r.action), width=60),
            Column(translate("AuditView", "记录"), lambda r: r.label, width=180),
            Column(translate("AuditView", "字段"), lambda r: r.field, width=100),
            Column(translate("AuditView", "原值"), lambda r: r.old, width=140),
            Column(translate("AuditView", "新值"), lambda r: r.new),
        ]
    )


def _view(model: RowTableModel) -> QTableView:
    return table_view(model)


class HistoryView(QWidget):
    """The history of one record (a tab of every register)."""

    def __init__(self, desk: Desk, table: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk, self.table = desk, table
        self.busy = 0
        self.model = audit_model(self)
        layout = QVBoxLayout(self)
        layout.addWidget(_view(self.model))

    def set_record(self, row: Any) -> None:
        if row is None:
            self.model.set_rows([])
            return
        db, table, record_id = self.desk.db, self.table, row.id
        self.busy += 1

        def done(rows: list[Any]) -> None:
            self.busy -= 1
            self.model.set_rows(rows)

        self.desk.worker.run(lambda: list_audit(db, table=table, record_id=record_id), done, owner=self)


class AuditDialog(QDialog):
    """Every change, export and print, filterable by kind of record, user, period and text."""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.busy = 0
        self.setWindowTitle(self.tr("审计日志"))
        self.resize(1100, 640)
        self.table = QComboBox()
        self.table.addItem(self.tr("全部记录"), None)
        for key in (
            "partner",
            "agreement",
            "base",
            "certification",
            "route",
            "batch",
            "participant",
            "policy_setting",
        ):
            self.table.addItem(messages.kind_label(key), key)
        self.user = QComboBox()
        self.user.addItem(self.tr("全部用户"), "")
        today = QDate.currentDate()
        self.since = QDateEdit(today.addMonths(-1))
        self.until = QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("记录名称或内容…"))
        self.apply_button = QPushButton(self.tr("查询"))
        self.apply_button.clicked.connect(self.reload)
        top = QHBoxLayout()
        for widget in (
            self.table,
            self.user,
            QLabel(self.tr("从")),
            self.since,
            QLabel(self.tr("到")),
            self.until,
            self.search,
            self.apply_button,
        ):
            top.addWidget(widget)
        self.model = audit_model(self)
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(_view(self.model), 1)
        layout.addWidget(self.count)
        db = desk.db
        self.desk.worker.run(lambda: audit_users(db), self._users, owner=self)
        self.reload()

    def _users(self, users: list[str]) -> None:
        for user in users:
            self.user.addItem(user, user)

    def reload(self) -> None:
        db = self.desk.db
        args = {
            "table": self.table.currentData(),
            "user": self.user.currentData() or "",
            "since": self.since.date().toPython(),
            "until": self.until.date().toPython(),
            "search": self.search.text(),
        }
        self.busy += 1

        def done(rows: list[Any]) -> None:
            self.busy -= 1
            self.model.set_rows(rows)
            self.count.setText(self.tr("{0} 条记录").format(len(rows)))

        self.desk.worker.run(lambda: list_audit(db, **args), done, owner=self)
