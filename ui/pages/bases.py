"""疗休养基地: the register of bases, each base's certification history and its coming occupancy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recuperation.models import CertStatus
from recuperation.services import bases as service
from recuperation.storage.database import Database
from ui import labels, operations
from ui.checks import phone_problem
from ui.desk import Desk
from ui.i18n import date_format
from ui.pages.base import Page
from ui.pages.inspections import InspectionsView
from ui.pages.rate_cards import RateCardsView
from ui.pages.scorecard import ScorecardView
from ui.widgets import rights
from ui.widgets.fit import tighten_tabs
from ui.widgets.form import Field
from ui.widgets.record_panel import RecordPanel, ServiceCalls
from ui.widgets.table import (
    BAD,
    GOOD,
    ROW_ROLE,
    WARN,
    Column,
    RowTableModel,
    sample_dates,
    table_view,
)

CERT_COLOURS = {"lapsed": BAD, "lapsing": WARN, "recheck_due": WARN, "valid": GOOD}
OCCUPANCY_WEEKS = 8


def _table(model: RowTableModel) -> QTableView:
    return table_view(model, rows=True)


def _date_edit() -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(date_format())
    return edit


#: The steps that decide a certification (复核 renews its term).
DECISIONS = frozenset({"certified", "recheck", "rejected", "revoked"})


def step_right(step: str | None) -> str:
    """认定, 复核, 未通过 and 摘牌 are decisions, 负责人's (the server's trigger says the same); the other steps plan."""
    return "approve" if step in DECISIONS else "plan"


class CertificationView(QWidget):
    """A base's certifications, the steps of the selected one, and the actions that move it along."""

    changed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.base: Any = None
        self.selected_id: int | None = None
        self.busy = 0
        levels, statuses, steps = labels.cert_levels(), labels.cert_statuses(), labels.cert_steps()
        self.certs = RowTableModel(
            [
                Column(self.tr("级别"), lambda c: levels.get(c.level, c.level), fits=list(levels.values())),
                Column(
                    self.tr("状态"), lambda c: statuses.get(c.status, c.status), fits=list(statuses.values())
                ),
                Column(self.tr("证书编号"), lambda c: c.certificate_no, width=140),
                Column(self.tr("有效期起"), lambda c: c.valid_from, width=110),
                Column(self.tr("有效期至"), lambda c: c.valid_to, width=110),
                Column(self.tr("复核日期"), lambda c: c.recheck_due),
            ]
        )
        self.steps = RowTableModel(
            [
                Column(self.tr("步骤"), lambda s: steps.get(s.step, s.step), fits=list(steps.values())),
                Column(self.tr("日期"), lambda s: s.on_date, width=120),
                Column(self.tr("负责人"), lambda s: s.responsible, width=90),
                Column(self.tr("说明"), lambda s: s.notes),
            ],
            key=lambda s: (s.step, s.on_date),
        )
        self.cert_view = _table(self.certs)
        self.cert_view.selectionModel().currentRowChanged.connect(self._show_steps)
        self.step_view = _table(self.steps)

        self.apply_level = QComboBox()
        for value, label in levels.items():
            self.apply_level.addItem(label, value)
        self.apply_button = QPushButton(self.tr("申报新认定"))
        self.apply_button.clicked.connect(self.apply)

        self.step_choice = QComboBox()
        self.step_date = _date_edit()
        self.responsible = QLineEdit()
        self.responsible.setObjectName("responsible")
        self.certificate_no = QLineEdit()
        self.certificate_no.setObjectName("certificate_no")
        self.valid_from = _date_edit()
        self.valid_to = _date_edit()
        self.valid_to.setDate(QDate.currentDate().addYears(3).addDays(-1))
        # 有效期起 follows the step's date and 有效期至 the start (three years less a day) until the user sets
        # them: a certificate recorded late would otherwise start on the day it was typed in.
        self._own_from = self._own_to = self._following = False
        self.step_date.dateChanged.connect(self._follow_step_date)
        self.valid_from.dateChanged.connect(self._valid_from_edited)
        self.valid_to.dateChanged.connect(self._valid_to_edited)
        self.step_notes = QLineEdit()
        self.step_notes.setObjectName("step_notes")
        self.step_button = QPushButton(self.tr("记录这一步"))
        self.step_button.clicked.connect(self.advance)
        self.step_choice.currentIndexChanged.connect(self._step_fields)

        action = QGroupBox(self.tr("办理下一步"))
        form = QFormLayout(action)
        form.addRow(self.tr("步骤"), self.step_choice)
        form.addRow(self.tr("日期"), self.step_date)
        form.addRow(self.tr("负责人"), self.responsible)
        form.addRow(self.tr("证书编号"), self.certificate_no)
        form.addRow(self.tr("有效期起"), self.valid_from)
        form.addRow(self.tr("有效期至"), self.valid_to)
        form.addRow(self.tr("说明"), self.step_notes)
        form.addRow("", self.step_button)
        apply_row = QHBoxLayout()
        apply_row.addWidget(QLabel(self.tr("级别")))
        apply_row.addWidget(self.apply_level)
        apply_row.addWidget(self.apply_button)
        apply_row.addStretch(1)

        # applying and the steps on the way are planning (协调员); 认定, 复核, 未通过 and 摘牌 are decisions (负责人)
        access = desk.access
        rights.allow(self.apply_button, access, "plan")
        if not rights.can(access, ("plan", "approve")):
            for widget in (self.apply_level, self.step_choice, self.step_date, self.responsible):
                rights.freeze(widget, access.why_not("plan"))
            for widget in (self.certificate_no, self.valid_from, self.valid_to, self.step_notes):
                rights.freeze(widget, access.why_not("plan"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.cert_view, 2)
        layout.addLayout(apply_row)
        layout.addWidget(QLabel(self.tr("认定过程")))
        layout.addWidget(self.step_view, 2)
        layout.addWidget(action)
        self._step_fields()

    def set_base(self, base: Any) -> None:
        if base is None or self.base is None or base.id != self.base.id:
            self.selected_id = None  # another base: start from its first certification
        self.base = base
        self.apply_button.setEnabled(base is not None)
        if base is None:
            self.certs.set_rows([])
            self.steps.set_rows([])
            self._offer_steps(None)
            return
        self.reload()

    def reload(self, select: int | None = None) -> None:
        if self.base is None:
            return
        select = select if select is not None else self.selected_id
        base_id, db = self.base.id, self.desk.db

        def done(rows: list[Any]) -> None:
            self.certs.set_rows(rows)
            row = self.certs.row_for_key(select) if select is not None else (0 if rows else -1)
            if row >= 0:
                self.cert_view.selectRow(self.cert_view.model().mapFromSource(self.certs.index(row, 0)).row())
            else:
                self.steps.set_rows([])
                self._offer_steps(None)

        def failed(exc: BaseException) -> None:
            self.certs.set_rows([])  # never another base's certifications under this one
            self.steps.set_rows([])
            self._offer_steps(None)
            operations.show_failure(self, exc)

        operations.run(self, lambda: service.list_certifications(db, base_id), done, failed=failed)

    def current(self) -> Any:
        index = self.cert_view.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _show_steps(self, *_args: object) -> None:
        cert = self.current()
        if (cert.id if cert is not None else None) != self.selected_id:
            self.step_notes.clear()  # 说明 belongs to one step of one certification: start empty elsewhere
            self.follow_step_date_again()
        self.selected_id = cert.id if cert is not None else None
        self.steps.set_rows(list(cert.steps) if cert else [])
        self._offer_steps(cert)

    def _offer_steps(self, cert: Any) -> None:
        steps = labels.cert_steps()
        self.step_choice.clear()
        if cert is not None:
            for step in service.TRANSITIONS[CertStatus(cert.status)]:
                self.step_choice.addItem(steps[step.value], step.value)
        self._step_fields()

    def _set_following(self, edit: QDateEdit, day: QDate) -> None:
        self._following = True
        edit.setDate(day)
        self._following = False

    def _follow_step_date(self, *_args: object) -> None:
        if not self._own_from:
            self._set_following(self.valid_from, self.step_date.date())
            self._follow_valid_from()

    def _follow_valid_from(self) -> None:
        if not self._own_to:
            self._set_following(self.valid_to, self.valid_from.date().addYears(3).addDays(-1))

    def _valid_from_edited(self, *_args: object) -> None:
        if not self._following:
            self._own_from = True
            self._follow_valid_from()

    def _valid_to_edited(self, *_args: object) -> None:
        if not self._following:
            self._own_to = True

    def follow_step_date_again(self) -> None:
        """The validity term starts from the step's date again (a step recorded, another certification)."""
        self._own_from = self._own_to = False
        self._follow_step_date()

    def _step_fields(self) -> None:
        step = self.step_choice.currentData()
        for widget in (self.certificate_no, self.valid_from):
            widget.setEnabled(step == "certified")
        self.valid_to.setEnabled(step in ("certified", "recheck"))
        rights.allow(self.step_button, self.desk.access, step_right(step))
        # (a step that needs a right its holder lacks stays off)
        self.step_button.setEnabled(step is not None)

    def _recorded(self, row: Any) -> None:
        """A certification applied for or moved a step: show it selected, its 说明 cleared (a refused step
        keeps what was typed)."""
        self.step_notes.clear()
        self.follow_step_date_again()
        if self.base is not None:
            self.desk.status.emit(self.tr("已记录：{0}").format(self.base.name))
        self.selected_id = row.id
        self.changed.emit()
        self.reload()

    def apply(self) -> None:
        if self.base is None or not self.desk.access.can("plan"):
            return
        base_id, level, db = self.base.id, self.apply_level.currentData(), self.desk.db
        day, who = self.step_date.date().toPython(), self.responsible.text()
        operations.run(
            self,
            lambda: service.apply_for_certification(db, base_id, level, day, who),
            self._recorded,
            title=self.tr("不能办理"),
        )

    def advance(self) -> None:
        cert = self.current()
        step = self.step_choice.currentData()
        if cert is None or step is None or not self.desk.access.can(step_right(step)):
            return
        db = self.desk.db
        kwargs: dict[str, Any] = {"responsible": self.responsible.text(), "notes": self.step_notes.text()}
        if step == "certified":
            kwargs.update(
                certificate_no=self.certificate_no.text(),
                valid_from=self.valid_from.date().toPython(),
                valid_to=self.valid_to.date().toPython(),
            )
        elif step == "recheck":
            kwargs.update(valid_to=self.valid_to.date().toPython())
        day = self.step_date.date().toPython()
        operations.run(
            self,
            lambda: service.advance_certification(db, cert.id, cert.version, step, day, **kwargs),
            self._recorded,
            title=self.tr("不能办理"),
        )


class OccupancyView(QWidget):
    """Beds used each night for the coming weeks, coloured as they fill."""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.busy = 0
        self.model = RowTableModel(
            [
                Column(self.tr("日期"), lambda n: n.night, width=130),
                Column(self.tr("星期"), lambda n: self.weekday(n.night), width=60),
                Column(self.tr("已订 / 床位"), lambda n: n.used, bar=lambda n: (n.used, n.beds), width=160),
                Column(
                    self.tr("空床"),
                    lambda n: n.beds - n.used,
                    right=True,
                    background=lambda n: (
                        BAD if n.used > n.beds else (WARN if n.used >= 0.9 * n.beds > 0 else None)
                    ),
                ),
            ],
            key=lambda n: n.night,
        )
        self.view = _table(self.model)
        self.caption = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.view)

    def weekday(self, day: dt.date) -> str:
        names = [
            self.tr("一"),
            self.tr("二"),
            self.tr("三"),
            self.tr("四"),
            self.tr("五"),
            self.tr("六"),
            self.tr("日"),
        ]
        return names[day.weekday()]

    def set_base(self, base: Any) -> None:
        if base is None:
            self.model.set_rows([])
            self.caption.clear()
            return
        first, db = dt.date.today(), self.desk.db
        self.caption.setText(
            self.tr("{0}：今后 {1} 周每晚的床位（共 {2} 张）").format(base.name, OCCUPANCY_WEEKS, base.beds)
        )
        base_id = base.id

        def failed(exc: BaseException) -> None:
            self.model.set_rows([])  # never another base's nights under this one
            operations.show_failure(self, exc)

        operations.run(
            self,
            lambda: service.occupancy(db, base_id, first, OCCUPANCY_WEEKS * 7),
            self.model.set_rows,
            failed=failed,
        )


class BasesPanel(RecordPanel):
    audit_table = "base"
    service_calls = ServiceCalls(
        service.BaseInput, service.create_base, service.update_base, service.delete_base, service.archive_base
    )

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.status_filter = self.add_status_filter((self.tr("需关注"), "attention"))
        self.new_button.setText(self.tr("新建基地"))
        self.certification = CertificationView(desk)
        self.occupancy = OccupancyView(desk)
        self.tabs.addTab(self.certification, self.tr("认定"))
        self.tabs.addTab(self.occupancy, self.tr("入住情况"))
        self.rate_cards = RateCardsView(desk)
        self.tabs.addTab(self.rate_cards, self.tr("价目表"))
        self.current_changed.connect(self.certification.set_base)
        self.current_changed.connect(self.occupancy.set_base)
        self.current_changed.connect(self.rate_cards.set_base)
        self.inspections = InspectionsView(desk)  # 实地考察: inspections against the standard's clauses
        self.tabs.addTab(self.inspections, self.tr("实地考察"))
        self.current_changed.connect(self.inspections.set_base)
        self.scorecard = ScorecardView(desk)  # 评分: the scorecard and the re-check file (复核档案)
        self.tabs.addTab(self.scorecard, self.tr("评分"))
        self.current_changed.connect(self.scorecard.set_base)
        tighten_tabs(self.tabs, 6)  # its seven tabs in sight beside the list at 1366×768, in English too
        self.certification.changed.connect(self.refresh)

    def columns(self) -> list[Column]:
        today = dt.date.today()
        kinds, levels, states = labels.base_kinds(), labels.cert_levels(), labels.base_cert_states()
        return [
            Column(self.tr("名称"), lambda b: b.name, width=180),
            Column(self.tr("类型"), lambda b: kinds.get(b.kind, b.kind), fits=list(kinds.values())),
            Column(self.tr("乡镇"), lambda b: b.township, width=80),
            Column(self.tr("床位"), lambda b: b.beds, right=True, width=60),
            Column(self.tr("认定级别"), lambda b: levels.get(b.cert_level, ""), fits=list(levels.values())),
            Column(
                self.tr("认定状态"),
                lambda b: states[b.cert_state(today)],
                fits=list(states.values()),
                background=lambda b: CERT_COLOURS.get(b.cert_state(today)),
            ),
            Column(self.tr("有效期至"), lambda b: b.cert_valid_to, fits=sample_dates()),
            Column(self.tr("复核日期"), lambda b: b.cert_recheck_due, fits=sample_dates()),
        ]

    def fields(self) -> list[Field]:
        return [
            Field("name", self.tr("名称"), required=True, max_length=100),
            Field(
                "kind", self.tr("类型"), "choice", required=True, choices=list(labels.base_kinds().items())
            ),
            Field("township", self.tr("乡镇（街道）"), max_length=40),
            Field("address", self.tr("地址"), max_length=200),
            Field("contact_name", self.tr("联系人"), max_length=40),
            Field("contact_phone", self.tr("联系电话"), max_length=20, check=phone_problem),
            Field("beds", self.tr("床位数"), "int", maximum=10_000),
            Field("rooms", self.tr("房间数"), "int", maximum=10_000),
            Field("dining_seats", self.tr("餐位数"), "int", maximum=10_000),
            Field("meeting_seats", self.tr("会议座位数"), "int", maximum=10_000),
            Field("notes", self.tr("备注"), "multiline", max_length=2000),
        ]

    def defaults(self) -> dict[str, Any]:
        return {"kind": "hotel"}

    def fetch_args(self) -> dict[str, Any]:
        return {"status": self.status_filter.currentData()}

    def fetch(self, db: Database, **args: Any) -> list[Any]:
        status = args["status"]
        rows = service.list_bases(db, include_archived=status in ("archived", "all"))
        if status == "attention":
            today = dt.date.today()
            return [r for r in rows if r.cert_state(today) in ("lapsed", "lapsing", "recheck_due")]
        return self.keep_status(rows, status)


class BasesPage(Page):
    name = "bases"
    shows = frozenset(
        {"base", "certification", "certification_step", "lodging", "batch", "rate_card", "rate_line"}
        | {"feedback_response", "feedback_rating", "incident", "inspection", "inspection_item"}  # 评分
    )

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.bases = BasesPanel(desk)
        self.layout_.addWidget(self.bases)
        self.panels = [self.bases]

    def loaded(self) -> bool:
        return (
            super().loaded()
            and self.bases.certification.busy == 0
            and self.bases.occupancy.busy == 0
            and self.bases.rate_cards.busy == 0
            and self.bases.inspections.busy == 0
            and self.bases.scorecard.busy == 0
        )
