"""个人信息保存期限 in the settings page: the retention policy, today's latest date, the people due by year, a
preview for a chosen date, and 匿名化… (``recuperation/services/privacy.py``).

The policy's years are set with the other policy values (单位与政策); this panel shows what they mean today.
匿名化… asks first, saying that it cannot be undone except from a backup and which backups still hold the data,
then runs on the desk's worker; only an administrator (the right ``users``) may run it — for anyone else the
button is disabled and its tooltip says why.  The panel follows the desk's changes to rosters, batches and the
policy (another desk's purge or edit shows when it is next on screen).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from recuperation import messages
from recuperation.changes import Change
from recuperation.services import privacy as service
from ui import operations
from ui.desk import Desk
from ui.i18n import date_format, format_date
from ui.widgets import dialogs, rights
from ui.widgets.fit import wrapping
from ui.widgets.table import Column, RowTableModel, table_view

#: The tables whose changes may change who is due.
FOLLOWS = frozenset({"participant", "batch", "waiting_entry", "policy_setting"})


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class PrivacyPanel(QWidget):
    """The retention policy, who is due, a preview and the purge."""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.busy = 0
        self.loaded_once = False
        self.stale = False
        self.status: service.PrivacyStatus | None = None
        self.plan: service.PurgePlan | None = None
        self.chosen: dt.date | None = None  # the date the administrator picked (None: today's latest)

        self.policy_label = wrapping(QLabel())
        self.policy_label.setObjectName("privacy_policy")
        self.done_label = wrapping(QLabel())
        self.done_label.setObjectName("privacy_done")
        self.before = QDateEdit()
        self.before.setObjectName("privacy_before")
        self.before.setDisplayFormat(date_format())
        self.before.setCalendarPopup(True)
        self.before.dateChanged.connect(self._date_chosen)
        self.model = RowTableModel(
            [
                Column(self.tr("年份"), lambda y: str(y.year), fits=["2021"]),
                Column(self.tr("批次"), lambda y: y.batches, right=True, fits=["1,234"]),
                Column(self.tr("人数"), lambda y: y.people, right=True, fits=["123,456"]),
            ],
            key=lambda y: y.year,
        )
        self.view = table_view(self.model)
        self.view.setObjectName("privacy_years")
        self.view.setMaximumHeight(160)
        self.view.setMaximumWidth(420)  # three short columns: the numbers stay beside their year
        self.summary = wrapping(QLabel())
        self.summary.setObjectName("privacy_summary")
        self.purge_button = QPushButton(self.tr("匿名化…"))
        self.purge_button.setObjectName("anonymise")
        self.purge_button.clicked.connect(self.anonymise)
        self.allowed = rights.allow(self.purge_button, desk.access, "settings")
        self.note = wrapping(
            QLabel(
                self.tr(
                    "匿名化删除团员的姓名、身份证号、电话、紧急联系人、健康状况、饮食、部门、房间号和备注，以及批次的"
                    "领队、名单变动、候补、事件和问卷中指名道姓的内容；性别、年龄、职工类别、工作单位和人数保留，"
                    "各项统计不变。匿名化不可撤销，只能从匿名化之前的备份恢复。"
                )
            )
        )
        self.note.setStyleSheet("color: #555;")

        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(self.tr("匿名化此日期之前结束的批次：")))
        chooser.addWidget(self.before)
        chooser.addWidget(self.purge_button)
        chooser.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.policy_label)
        layout.addWidget(self.done_label)
        layout.addLayout(chooser)
        layout.addWidget(self.view)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        desk.changed.connect(self.follow)

    # --- loading ------------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.loaded_once or self.stale:
            self.stale = False
            self.refresh()

    def follow(self, change: Change) -> None:
        if not change.touches(FOLLOWS):
            return
        if not self.isVisible():
            self.stale = True
            return
        self.refresh()

    def refresh(self) -> None:
        """The policy, who was anonymised, and the preview for the chosen date (today's latest by default, or
        when the chosen one is no longer allowed)."""
        db, chosen = self.desk.db, self.chosen

        def job() -> tuple[service.PrivacyStatus, service.PurgePlan]:
            status = service.privacy_status(db)
            if chosen is None or chosen >= status.cutoff:
                return status, status.due
            return status, service.purge_plan(db, chosen)

        operations.run(self, job, self._loaded, title=self.tr("不能读取个人信息保存期限"))

    def _loaded(self, result: tuple[service.PrivacyStatus, service.PurgePlan]) -> None:
        status, plan = result
        self.status = status
        self.loaded_once = True
        self.policy_label.setText(
            self.tr(
                "保存期限：批次结束后 {0} 年（在上方“单位与政策”中修改）。今天最晚可以匿名化 {1} 之前结束的批次。"
            ).format(status.retention_years, format_date(status.cutoff))
        )
        if status.anonymised:
            years = messages.join(
                [self.tr("{0} 年 {1} 人").format(y.year, f"{y.people:,}") for y in status.anonymised]
            )
            last = format_date(status.last_anonymised_on)
            self.done_label.setText(self.tr("已匿名化：{0}（最近一次：{1}）。").format(years, last))
        else:
            self.done_label.setText(self.tr("还没有匿名化过任何人。"))
        blocked = self.before.blockSignals(True)
        self.before.setDateRange(QDate(2000, 1, 1), _qdate(status.cutoff))
        self.before.setDate(_qdate(plan.before))
        self.before.blockSignals(blocked)
        self._show_plan(plan)

    def _date_chosen(self, day: QDate) -> None:
        chosen = day.toPython()
        assert isinstance(chosen, dt.date)
        self.chosen = chosen
        db = self.desk.db
        operations.run(self, lambda: service.purge_plan(db, chosen), self._show_plan)

    def _show_plan(self, plan: service.PurgePlan) -> None:
        self.plan = plan
        self.model.set_rows(list(plan.years))
        if plan.batches:
            self.summary.setText(
                self.tr("{0} 之前结束的批次中，{1} 个批次的 {2} 人将被匿名化。").format(
                    format_date(plan.before), f"{len(plan.batches):,}", f"{plan.people:,}"
                )
            )
        else:
            self.summary.setText(
                self.tr("{0} 之前结束的批次中没有待匿名化的人。").format(format_date(plan.before))
            )
        self.purge_button.setEnabled(bool(plan.batches))  # a locked button stays disabled (ui/widgets/rights)

    # maybe_leave / is_dirty for the settings page: nothing is typed here that a reload could lose
    def is_dirty(self) -> bool:
        return False

    # --- the purge ----------------------------------------------------------------------------------------------

    def anonymise(self) -> None:
        plan = self.plan
        if plan is None or not plan.batches or not self.allowed:
            return
        db = self.desk.db
        question = "\n\n".join(
            [
                self.tr("匿名化 {0} 之前结束的 {1} 个批次中的 {2} 人吗？").format(
                    format_date(plan.before), f"{len(plan.batches):,}", f"{plan.people:,}"
                ),
                messages.text("privacy.irreversible"),
                service.backups_note(db),
            ]
        )
        if dialogs.ask(self, self.tr("匿名化个人信息"), question) != dialogs.Button.Yes:
            return
        before = plan.before

        def done(result: Any) -> None:
            dialogs.info(
                self,
                self.tr("匿名化个人信息"),
                messages.text(
                    "privacy.done",
                    batches=result.batches,
                    people=result.people,
                    before=result.plan.before.isoformat(),
                    records=sum(result.records.values()),
                ),
            )
            self.refresh()

        operations.run(
            self,
            lambda _report: service.purge(db, before),
            done,
            title=self.tr("不能匿名化"),
            progress=self.tr("正在匿名化…"),
        )
