"""The audit trail on screen: a record's history tab, and the audit viewer with its filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
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
from recuperation.labels import label
from recuperation.services.audit import AuditRow, audit_users, list_audit, referenced_names
from ui import operations
from ui.desk import Desk
from ui.i18n import date_format, format_money
from ui.widgets.fit import fit_to_screen
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
        "anonymise": translate("AuditView", "匿名化"),
    }


#: Fields logged under one name that read as another field of the core's catalogue (messages.field_label).
_FIELD_ALIASES = {
    "partner_id": "partner",
    "agreement_id": "agreement",
    "route_id": "route",
    "base_id": "base",
    ("certification", "level"): "cert_level",
    ("certification", "valid_from"): "cert_valid_from",
    ("certification", "valid_to"): "cert_valid_to",
    ("base_invoice", "amount_fen"): "amount",
    ("base_invoice", "number"): "invoice_number",
    ("insurance_policy", "first_day"): "policy_first_day",
    ("insurance_policy", "last_day"): "policy_last_day",
}
#: Coded values and the enumeration that names them (recuperation/labels.py).
_ENUMERATIONS = {
    ("batch", "kind"): "batch_kind",
    ("batch", "status"): "batch_status",
    ("partner", "kind"): "partner_kind",
    ("base", "kind"): "base_kind",
    ("certification", "level"): "cert_level",
    ("certification", "status"): "cert_status",
    ("route", "theme"): "theme",
    ("participant", "sex"): "sex",
    ("base_invoice", "state"): "settlement_state",
    ("agreement", "charge_basis"): "charge_basis",
    ("incident", "kind"): "incident_kind",
    ("incident", "severity"): "severity",
    ("inspection", "kind"): "inspection_kind",
    ("standard_clause", "element"): "element",
    ("standard_clause", "strength"): "strength",
}
_FLAGS = frozenset({"archived", "model_worker"})
_MONEY = frozenset({"price_fen", "amount_fen", "accident_fen", "medical_fen"})


def _own_fields() -> dict[str, str]:
    """Fields the core's catalogue does not name."""
    translate = QCoreApplication.translate
    return {
        "batch_id": translate("AuditView", "批次"),
        "cancel_reason": translate("AuditView", "取消原因"),
        "lodging": translate("AuditView", "住宿安排"),
        "itinerary": translate("AuditView", "行程"),
        "sex": translate("AuditView", "性别"),
        "birth_date": translate("AuditView", "出生日期"),
        "model_worker": translate("AuditView", "劳模"),
        "applied_on": translate("AuditView", "申报日期"),
        "recheck_due": translate("AuditView", "复核日期"),
        "scan_path": translate("AuditView", "扫描件"),
        "archived": translate("AuditView", "已归档"),
        "value": translate("AuditView", "设定值"),
        "full_ids": translate("AuditView", "完整证件号"),
        "full_phones": translate("AuditView", "完整手机号"),
    }


def field_name(table: str, field: str) -> str:
    """How a logged field reads: 联系电话 for contact_phone, 协议 for agreement_id."""
    if not field:
        return ""
    own = _own_fields().get(field)
    if own is not None:
        return own
    return messages.field_label(_FIELD_ALIASES.get((table, field)) or _FIELD_ALIASES.get(field) or field)


def value_text(table: str, field: str, value: str, names: Mapping[tuple[str, str], str]) -> str:
    """How a logged value reads: a code by its label, an id by the name of its record (when it is still on
    file), a yes/no as 是/否, a price in yuan; anything else as it was logged."""
    if not value:
        return value
    enumeration = _ENUMERATIONS.get((table, field))
    if enumeration is not None:
        return label(enumeration, value)
    if (field, value) in names:
        return names[(field, value)]
    if field in _FLAGS and value in ("True", "False"):
        yes, no = QCoreApplication.translate("AuditView", "是"), QCoreApplication.translate("AuditView", "否")
        return yes if value == "True" else no
    if field in _MONEY and value.isdigit():
        return format_money(int(value))
    return value


def readable(rows: list[AuditRow], names: Mapping[tuple[str, str], str]) -> list[AuditRow]:
    """The rows with their field, old and new values as a reader reads them (see field_name, value_text)."""
    return [
        replace(
            row,
            field=field_name(row.table, row.field),
            old=value_text(row.table, row.field, row.old, names),
            new=value_text(row.table, row.field, row.new, names),
        )
        for row in rows
    ]


def read_audit(db: Any, **filters: Any) -> tuple[list[AuditRow], dict[tuple[str, str], str]]:
    """On the worker: the entries and the names of the records their id fields point at."""
    rows = list_audit(db, **filters)
    return rows, referenced_names(db, rows)


TIME, USER, ACTION, RECORD, FIELD, OLD, NEW = range(7)


def audit_model(parent: QWidget) -> RowTableModel:
    actions = _actions()
    translate = QCoreApplication.translate
    return RowTableModel(
        [
            Column(translate("AuditView", "时间"), lambda r: r.at.strftime("%Y-%m-%d %H:%M"), width=120),
            Column(translate("AuditView", "用户"), lambda r: r.user, width=70),
            Column(translate("AuditView", "操作"), lambda r: actions.get(r.action, r.action), width=50),
            Column(translate("AuditView", "记录"), lambda r: r.label, width=180),
            Column(translate("AuditView", "字段"), lambda r: r.field, width=90),
            Column(translate("AuditView", "原值"), lambda r: r.old),
            Column(translate("AuditView", "新值"), lambda r: r.new),
        ]
    )


def _view(model: RowTableModel) -> QTableView:
    """字段, 原值 and 新值 always in sight: the two values share the width the other columns leave (a long value
    is cut with “…” and read whole in its tooltip) instead of running off to the right."""
    view = table_view(model)
    header = view.horizontalHeader()
    header.setStretchLastSection(False)  # it would hold 新值 at its default width instead of sharing
    for column in (OLD, NEW):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setWordWrap(False)
    model.modelReset.connect(lambda: _fit_short_columns(view, model))
    return view


def _fit_short_columns(view: QTableView, model: RowTableModel) -> None:
    """时间, 用户, 操作 and 字段 as wide as their longest text (within a limit), leaving the rest to the values."""
    cells, heads = view.fontMetrics(), view.horizontalHeader().fontMetrics()
    for column, most in ((TIME, 130), (USER, 110), (ACTION, 90), (FIELD, 110)):
        spec = model.columns[column]
        texts = {str(spec.value(row)) for row in model.rows}
        needed = max((cells.horizontalAdvance(t) for t in texts), default=0) + 12
        view.setColumnWidth(column, min(max(needed, heads.horizontalAdvance(spec.header) + 24), most))


class HistoryView(QWidget):
    """The history of one record (a tab of every register)."""

    def __init__(self, desk: Desk, table: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk, self.table = desk, table
        self.busy = 0
        self.model = audit_model(self)
        self.view = _view(self.model)
        self.view.setColumnHidden(RECORD, True)  # the record is the one whose history this is
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)

    def set_record(self, row: Any) -> None:
        if row is None:
            self.model.set_rows([])
            return
        db, table, record_id = self.desk.db, self.table, row.id

        def failed(exc: BaseException) -> None:
            self.model.set_rows([])  # never another record's history under this one
            operations.show_failure(self, exc)

        operations.run(
            self,
            lambda: read_audit(db, table=table, record_id=record_id),
            lambda result: self.model.set_rows(readable(*result)),
            failed=failed,
        )


class AuditDialog(QDialog):
    """Every change, export and print, filterable by kind of record, user, period and text."""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.busy = 0
        self.setWindowTitle(self.tr("审计日志"))
        fit_to_screen(self, 1100, 640)
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
        self.view = _view(self.model)
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        db = desk.db
        operations.run(self, lambda: audit_users(db), self._users)
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

        def done(result: tuple[list[AuditRow], dict[tuple[str, str], str]]) -> None:
            rows = readable(*result)
            self.model.set_rows(rows)
            self.count.setText(self.tr("%n 条记录", "", len(rows)))

        operations.run(self, lambda: read_audit(db, **args), done)
