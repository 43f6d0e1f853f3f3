"""事件: the batch's incidents (an injury, an illness, a complaint, lost property, a delayed coach …) — a list with
the serious ones in red, the selected one in full under it, and 新增… / 编辑… / 关闭事件… / 重新打开… / 删除….

Everything is read and written on the worker (``services.incidents``).  The people involved are picked from the
batch's roster and always shown masked (name and masked ID number); numbers typed into the free texts are
masked in the list and the details (the editor shows them as typed).  The dialog asks before losing what was
typed; a refusal is shown at its field.  The tab follows the desk's changes (another desk's incident, a roster
or lodging changed) while it is visible, and reloads when shown again otherwise.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from recuperation.changes import Change
from recuperation.errors import DomainError, StaleEditError
from recuperation.people import mask_in_text
from recuperation.services import incidents as service
from ui import labels, operations
from ui.desk import Desk
from ui.i18n import format_date, format_day
from ui.widgets import dialogs, rights
from ui.widgets.fit import FlowLayout, fit_to_screen, scrolling, wrapping
from ui.widgets.form import Field, FormView
from ui.widgets.table import BAD, ROW_ROLE, WARN, Column, RowTableModel, table_view

#: The tables whose changes this tab shows (an incident, its people, the roster, where the batch went).
FOLLOWS = frozenset({"incident", "incident_person", "participant", "lodging", "batch_item", "base"})
SERIOUS_TEXT = QColor("#b02a37")


def severity_colour(row: service.IncidentRow) -> QColor | None:
    return BAD if row.serious else None


def default_day(batch: Any, today: dt.date | None = None) -> dt.date:
    """The date a new incident starts from: today while the batch is under way (or before it), else its last
    day."""
    today = today or dt.date.today()
    return min(today, max(batch.arrival, min(today, batch.departure)))


class IncidentsView(QWidget):
    """The incidents of the batch the page shows."""

    changed = Signal()  # an incident was recorded, changed, closed, reopened or deleted here

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.batch: Any = None
        self.busy = 0
        self.data: service.BatchIncidents | None = None
        self.stale = False
        self.dialog: IncidentDialog | None = None
        self.close_dialog: CloseDialog | None = None
        kinds, severities = labels.incident_kinds(), labels.severities()
        self.model = RowTableModel(
            [
                # the day without its year (the batch says it), sorted by the date
                Column(
                    self.tr("日期"),
                    lambda r: format_day(r.occurred_on),
                    sort=lambda r: r.occurred_on.isoformat(),
                    fits=(format_day(dt.date(2028, 12, 28)),),
                ),
                Column(self.tr("类型"), lambda r: kinds.get(r.kind, r.kind), fits=list(kinds.values())),
                Column(
                    self.tr("严重程度"),
                    lambda r: severities.get(r.severity, r.severity),
                    fits=list(severities.values()),
                    background=severity_colour,
                ),
                Column(self.tr("基地"), lambda r: r.base, width=90, tooltip=lambda r: r.base),
                Column(
                    self.tr("状态"),
                    self.state_text,
                    fits=(self.tr("未结案"), self.tr("已结案")),
                    background=lambda r: WARN if r.open else None,
                ),
                Column(
                    self.tr("概要"), lambda r: mask_in_text(r.summary), width=120, tooltip=self.details_text
                ),
            ],
            key=lambda r: r.id,
        )
        self.view = table_view(self.model, rows=True)
        self.view.setObjectName("incidents")
        # the summary takes the room the other columns leave: the list fits the tab without scrolling sideways
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(len(self.model.columns) - 1, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._selected())
        self.view.doubleClicked.connect(lambda _i: self.edit())
        self.summary = wrapping(QLabel())
        self.summary.setObjectName("incidents_summary")
        self.detail = wrapping(QLabel())
        self.detail.setObjectName("incident_detail")
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        detail_box = QScrollArea()
        detail_box.setWidget(self.detail)
        detail_box.setWidgetResizable(True)
        detail_box.setFrameShape(QFrame.Shape.StyledPanel)
        detail_box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.add_button = QPushButton(self.tr("新增…"))
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(self.tr("编辑…"))
        self.edit_button.clicked.connect(self.edit)
        self.close_button = QPushButton(self.tr("关闭事件…"))
        self.close_button.clicked.connect(self.close_incident)
        self.reopen_button = QPushButton(self.tr("重新打开…"))
        self.reopen_button.clicked.connect(self.reopen)
        self.delete_button = QPushButton(self.tr("删除…"))
        self.delete_button.clicked.connect(self.delete)
        buttons = FlowLayout()  # wraps in a narrow tab instead of widening the window
        for button in (
            self.add_button,
            self.edit_button,
            self.close_button,
            self.reopen_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        # incidents are planning's (协调员); reading them is anyone's (the details below the list)
        self.allowed = rights.allow_all(
            (self.add_button, self.edit_button, self.close_button, self.reopen_button, self.delete_button),
            desk.access,
            "plan",
        )
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(detail_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 240])  # the list and the selected incident in full, about half each
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        desk.changed.connect(self._follow)
        self._update_buttons()

    # --- what a row says ----------------------------------------------------------------------------------------

    def state_text(self, row: service.IncidentRow) -> str:
        return self.tr("未结案") if row.open else self.tr("已结案")

    def details_text(self, row: service.IncidentRow) -> str:
        """The incident in full, one line a part, numbers in the free texts masked (the tooltip's plain text)."""
        return "\n".join(text for _name, text in self.parts(row))

    def parts(self, row: service.IncidentRow) -> list[tuple[str, str]]:
        kinds, severities = labels.incident_kinds(), labels.severities()
        state = (
            self.tr("未结案")
            if row.open
            else self.tr("{0}由{1}结案", "closed on a day by a user").format(
                format_date(row.closed_on), row.closed_by or "?"
            )
        )
        parts = [
            (
                "head",
                self.tr("{0} · {1} · {2} · {3}", "an incident: date, kind, severity, state").format(
                    format_date(row.occurred_on),
                    kinds.get(row.kind, row.kind),
                    severities.get(row.severity, row.severity),
                    state,
                ),
            ),
            ("summary", mask_in_text(row.summary)),
        ]

        def add(name: str, title: str, value: str) -> None:
            if value:
                parts.append((name, self.tr("{0}：{1}", "a field's name and its value").format(title, value)))

        add("base", self.tr("基地"), row.base)
        add("people", self.tr("涉及人员"), row.people_text)
        add("others", self.tr("其他涉及人员"), mask_in_text(row.others))
        add("details", self.tr("经过"), mask_in_text(row.details))
        add("action", self.tr("处置"), mask_in_text(row.action_taken))
        add("outcome", self.tr("结果"), mask_in_text(row.outcome))
        if row.follow_up:
            due = ""
            if row.follow_up_due is not None:
                late = row.overdue(dt.date.today())
                due = (
                    self.tr("（期限 {0}，已过期）").format(format_date(row.follow_up_due))
                    if late
                    else self.tr("（期限 {0}）").format(format_date(row.follow_up_due))
                )
            add("follow_up", self.tr("后续跟进"), mask_in_text(row.follow_up) + due)
        add("reported_by", self.tr("报告人"), row.reported_by)
        return parts

    def detail_html(self, row: service.IncidentRow) -> str:
        lines = []
        for name, text in self.parts(row):
            shown = html.escape(text).replace("\n", "<br>")
            if name == "head":
                colour = SERIOUS_TEXT.name() if row.serious and row.open else "#343a40"
                shown = f"<b style='color:{colour}'>{shown}</b>"
            elif name == "summary":
                shown = f"<b>{shown}</b>"
            lines.append(shown)
        return "<br>".join(lines)

    # --- loading ------------------------------------------------------------------------------------------------

    def set_batch(self, batch: Any) -> None:
        """Show the incidents of ``batch`` (read on the worker); None clears the tab."""
        self.batch = batch
        self.stale = False
        if batch is None:
            self._show(None)
            return
        self.load()

    def load(self) -> None:
        batch = self.batch
        if batch is None:
            return
        db, batch_id = self.desk.db, batch.id

        def done(data: service.BatchIncidents) -> None:
            if self.batch is None or self.batch.id != batch_id:
                return  # another batch was chosen meanwhile
            self._show(data)

        def failed(exc: BaseException) -> None:
            if self.batch is not None and self.batch.id == batch_id:
                self._show(None)  # never another batch's incidents under this one
            operations.show_failure(self, exc)

        operations.run(self, lambda: service.batch_incidents(db, batch_id), done, failed=failed)
        self._update_buttons()

    def _follow(self, change: Change) -> None:
        if self.batch is None or not change.touches(FOLLOWS):
            return
        if self.isVisible():
            self.load()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.stale = False
            self.load()

    def _show(self, data: service.BatchIncidents | None) -> None:
        chosen = self.current()
        self.data = data
        self.model.set_rows(list(data.rows) if data is not None else [])
        wanted = chosen.id if chosen is not None else None
        index = self.model.row_for_key(wanted) if wanted is not None else -1
        if index < 0 and self.model.rows:
            index = 0
        if index >= 0:
            proxy: Any = self.view.model()
            self.view.selectRow(proxy.mapFromSource(self.model.index(index, 0)).row())
        self.summary.setText(self.summary_text(data))
        self._selected()

    def summary_text(self, data: service.BatchIncidents | None) -> str:
        if data is None or self.batch is None:
            return ""
        if not data.rows:
            return self.tr(
                "批次 {0} 没有登记事件。行程中有人受伤、生病、投诉、遗失物品或交通延误时，点“新增…”登记。"
            ).format(self.batch.code)
        text = self.tr("%n 个事件", "incidents of a batch", len(data.rows))
        if data.open_count:
            text += self.tr("，%n 个未结案", "open incidents", data.open_count)
        if data.open_serious:
            text += self.tr(
                "（其中严重 %n 个，结案前一直在总览中提醒）", "open serious incidents", data.open_serious
            )
        return text + self.tr("。")

    @property
    def rows(self) -> list[service.IncidentRow]:
        return list(self.data.rows) if self.data is not None else []

    def current(self) -> service.IncidentRow | None:
        index = self.view.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        return row if row in self.rows else None

    def select(self, incident_id: int) -> bool:
        """Select the incident ``incident_id`` (tests, and a reader following an alert)."""
        index = self.model.row_for_key(incident_id)
        if index < 0:
            return False
        proxy: Any = self.view.model()
        self.view.selectRow(proxy.mapFromSource(self.model.index(index, 0)).row())
        return True

    def _selected(self) -> None:
        row = self.current()
        self.detail.setText(self.detail_html(row) if row is not None else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.current()
        ready = self.batch is not None and self.data is not None
        self.add_button.setEnabled(ready)
        self.add_button.setToolTip(
            self.tr("登记这个批次的一个事件：受伤、疾病、投诉、物品遗失、交通延误或其他。")
        )
        self.edit_button.setEnabled(ready and row is not None)
        self.close_button.setEnabled(ready and row is not None and row.open)
        self.reopen_button.setEnabled(ready and row is not None and not row.open)
        self.delete_button.setEnabled(ready and row is not None and row.open)
        if row is None:
            why = self.tr("请先在列表中选择一个事件。")
            for button in (self.edit_button, self.close_button, self.reopen_button, self.delete_button):
                button.setToolTip(why)
            return
        self.edit_button.setToolTip(self.tr("修改所选事件（记入事件历史）。"))
        self.close_button.setToolTip(
            self.tr("写明结果后结案。")
            if row.open
            else self.tr("事件已于 {0} 结案。").format(format_date(row.closed_on))
        )
        self.reopen_button.setToolTip(
            self.tr("事件没有结案。") if row.open else self.tr("重新打开已结案的事件，须写明原因。")
        )
        self.delete_button.setToolTip(
            self.tr("只用于误登记的事件：未结案，且只能由登记人删除，须写明原因。")
            if row.open
            else self.tr("已结案的事件是基地复核的依据，不能删除；误登记的请先重新打开。")
        )

    # --- writing -------------------------------------------------------------------------------------------------

    def add(self) -> None:
        if self.batch is None or self.data is None:
            return
        self._open_dialog(None)

    def edit(self) -> None:
        row = self.current()
        if self.batch is None or self.data is None or row is None:
            return
        self._open_dialog(row)

    def _open_dialog(self, row: service.IncidentRow | None) -> None:
        assert self.data is not None
        if not self.allowed:  # a double-click on an incident: its details are below the list
            return
        dialog = IncidentDialog(self, self.batch, self.data, row, self.desk.db.user)
        dialog.submitted.connect(lambda data: self._save(dialog, row, data))
        self.dialog = dialog
        dialog.open()

    def _save(
        self, dialog: IncidentDialog, row: service.IncidentRow | None, data: service.IncidentInput
    ) -> None:
        db = self.desk.db

        def job() -> service.IncidentRow:
            if row is None:
                return service.record_incident(db, data)
            return service.update_incident(db, row.id, row.version, data)

        def done(saved: service.IncidentRow) -> None:
            dialog.saved = True
            dialog.accept()
            self.desk.status.emit(self.tr("{0}：事件已保存").format(self.batch.code if self.batch else ""))
            self.changed.emit()
            self._after_write(saved.id)

        def failed(exc: BaseException) -> None:
            dialog.refused(exc)
            if isinstance(exc, StaleEditError):
                self.load()

        operations.run(self, job, done, failed=failed)

    def _after_write(self, incident_id: int | None) -> None:
        """Reload, then select the incident just written."""
        if self.batch is None:
            return
        db, batch_id = self.desk.db, self.batch.id

        def done(data: service.BatchIncidents) -> None:
            if self.batch is None or self.batch.id != batch_id:
                return
            self._show(data)
            if incident_id is not None:
                self.select(incident_id)

        operations.run(self, lambda: service.batch_incidents(db, batch_id), done)

    def close_incident(self) -> None:
        row = self.current()
        if row is None or not row.open:
            return
        dialog = CloseDialog(self, row)
        dialog.submitted.connect(lambda values: self._close(dialog, row, values))
        self.close_dialog = dialog
        dialog.open()

    def _close(self, dialog: CloseDialog, row: service.IncidentRow, values: dict[str, Any]) -> None:
        db = self.desk.db

        def done(saved: service.IncidentRow) -> None:
            dialog.accept()
            self.desk.status.emit(self.tr("事件已结案：{0}").format(mask_in_text(saved.summary)))
            self.changed.emit()
            self._after_write(saved.id)

        def failed(exc: BaseException) -> None:
            dialog.refused(exc)
            if isinstance(exc, StaleEditError):
                self.load()

        operations.run(
            self,
            lambda: service.close_incident(
                db, row.id, row.version, outcome=values["outcome"], on=values["closed_on"]
            ),
            done,
            failed=failed,
        )

    def reopen(self) -> None:
        row = self.current()
        if row is None or row.open:
            return
        reason = dialogs.ask_text(
            self,
            self.tr("重新打开事件"),
            self.tr("为什么重新打开“{0}”？原因记入事件历史。").format(mask_in_text(row.summary)),
            ok=self.tr("重新打开"),
            cancel=self.tr("取消"),
        )
        if reason is None:
            return
        db = self.desk.db

        def done(saved: service.IncidentRow) -> None:
            self.desk.status.emit(self.tr("事件已重新打开：{0}").format(mask_in_text(saved.summary)))
            self.changed.emit()
            self._after_write(saved.id)

        operations.run(
            self,
            lambda: service.reopen_incident(db, row.id, row.version, reason),
            done,
            title=self.tr("不能重新打开事件"),
        )

    def delete(self) -> None:
        row = self.current()
        if row is None or not row.open:
            return
        reason = dialogs.ask_text(
            self,
            self.tr("删除事件"),
            self.tr(
                "删除“{0}”？只用于误登记的事件（已结案的事件不能删除）。请写明原因，记入审计日志。"
            ).format(mask_in_text(row.summary)),
            ok=self.tr("删除"),
            cancel=self.tr("取消"),
        )
        if reason is None:
            return
        db = self.desk.db

        def done(_none: None) -> None:
            self.desk.status.emit(self.tr("事件已删除：{0}").format(mask_in_text(row.summary)))
            self.changed.emit()
            self._after_write(None)

        operations.run(
            self,
            lambda: service.delete_incident(db, row.id, row.version, reason),
            done,
            title=self.tr("不能删除事件"),
        )


class IncidentDialog(QDialog):
    """新增事件 / 编辑事件: the date, kind, severity and base; what happened; the people involved, picked from the
    batch's roster (masked); what was done, the outcome and the follow-up with its due date; who reported it."""

    submitted = Signal(object)  # a service.IncidentInput

    def __init__(
        self,
        parent: QWidget,
        batch: Any,
        data: service.BatchIncidents,
        row: service.IncidentRow | None,
        user: str,
    ):
        super().__init__(parent)
        self.batch, self.row = batch, row
        self.saved = False
        self.setWindowTitle(self.tr("新增事件") if row is None else self.tr("编辑事件"))
        bases: list[tuple[Any, str]] = [(None, self.tr("（不指定基地）")), *data.bases]
        if row is not None and row.base_id is not None and row.base_id not in {b for b, _n in data.bases}:
            bases.append((row.base_id, row.base))  # a base the batch no longer goes to stays shown
        self.form = FormView(
            [
                Field("occurred_on", self.tr("发生日期"), "date", required=True),
                Field(
                    "kind",
                    self.tr("类型"),
                    "choice",
                    required=True,
                    choices=list(labels.incident_kinds().items()),
                ),
                Field(
                    "severity",
                    self.tr("严重程度"),
                    "choice",
                    required=True,
                    choices=list(labels.severities().items()),
                ),
                Field("base_id", self.tr("基地"), "choice", choices=bases),
                Field("summary", self.tr("事件概要"), required=True, max_length=service.SUMMARY_MAX),
                Field("details", self.tr("经过"), "multiline", max_length=service.TEXT_MAX),
                Field("others", self.tr("其他涉及人员"), max_length=service.OTHERS_MAX),
                Field("action_taken", self.tr("处置"), "multiline", max_length=service.TEXT_MAX),
                Field("outcome", self.tr("结果"), "multiline", max_length=service.TEXT_MAX),
                Field("follow_up", self.tr("后续跟进"), "multiline", max_length=service.TEXT_MAX),
                Field("has_due", self.tr("设跟进期限"), "bool"),
                Field("follow_up_due", self.tr("跟进期限"), "date"),
                Field("reported_by", self.tr("报告人"), max_length=service.REPORTER_MAX),
            ]
        )
        for key in ("details", "action_taken", "outcome", "follow_up"):
            self.form.widgets[key].setMaximumHeight(56)
        self.form.widgets["summary"].setPlaceholderText(self.tr("一句话说明发生了什么"))  # type: ignore[attr-defined]
        self.form.widgets["others"].setPlaceholderText(self.tr("不在名单上的人，如司机、基地员工"))  # type: ignore[attr-defined]
        # the people involved: the batch's roster, masked, each a tick box
        self.people = QListWidget()
        self.people.setObjectName("people")
        chosen = {p.participant_id for p in row.people} if row is not None else set()
        for person in data.people:
            text = person.shown + (self.tr("（家属）") if person.companion else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, person.participant_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if person.participant_id in chosen else Qt.CheckState.Unchecked
            )
            self.people.addItem(item)
        rows = max(min(self.people.count(), 5), 2)
        self.people.setFixedHeight(rows * self.people.fontMetrics().height() * 3 // 2 + 8)
        self.people.itemChanged.connect(lambda _item: self._update())
        self.people_error = wrapping(QLabel())
        self.people_error.setStyleSheet("color: #b02a37;")
        self.people_error.hide()
        holder = QWidget()
        holder_box = QVBoxLayout(holder)
        holder_box.setContentsMargins(0, 0, 0, 0)
        holder_box.setSpacing(2)
        holder_box.addWidget(self.people)
        if not data.people:
            empty = wrapping(QLabel(self.tr("这个批次还没有名单：涉及人员请写在“其他涉及人员”中。")))
            holder_box.addWidget(empty)
            self.people.hide()
        holder_box.addWidget(self.people_error)
        form_layout: Any = self.form.layout()
        form_layout.insertRow(6, QLabel(self.tr("涉及人员（本批次名单）")), holder)
        today = dt.date.today()
        values: dict[str, Any] = (
            {
                "occurred_on": row.occurred_on,
                "kind": row.kind,
                "severity": row.severity,
                "base_id": row.base_id,
                "summary": row.summary,
                "details": row.details,
                "others": row.others,
                "action_taken": row.action_taken,
                "outcome": row.outcome,
                "follow_up": row.follow_up,
                "has_due": row.follow_up_due is not None,
                "follow_up_due": row.follow_up_due or today,
                "reported_by": row.reported_by,
            }
            if row is not None
            else {
                "occurred_on": default_day(batch, today),
                "kind": "injury",
                "severity": "minor",
                "base_id": data.bases[0][0] if len(data.bases) == 1 else None,
                "has_due": False,
                "follow_up_due": today + dt.timedelta(days=7),
                "reported_by": user,
            }
        )
        self.form.load(values)
        self.baseline = self.state()
        self.form.changed.connect(self._update)
        heading = wrapping(
            QLabel(
                self.tr("{0}　{1}，{2} – {3}", "a batch: code, partner, arrival, departure").format(
                    batch.code, batch.partner, format_date(batch.arrival), format_date(batch.departure)
                )
            )
        )
        heading.setStyleSheet("font-weight: bold;")
        note = wrapping(
            QLabel(self.tr("严重事件在结案前一直列在总览的“需要关注”中。涉及人员只显示脱敏的身份证号。"))
        )
        note.setStyleSheet("color: #6c757d;")
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._submit)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        content = QWidget()
        box = QVBoxLayout(content)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.form)
        box.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addWidget(scrolling(content), 1)
        layout.addLayout(buttons)
        self._update()
        fit_to_screen(self, 660, 700)

    # --- values -------------------------------------------------------------------------------------------------

    def chosen_people(self) -> tuple[int, ...]:
        found = []
        for i in range(self.people.count()):
            item = self.people.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return tuple(found)

    def tick(self, name: str, checked: bool = True) -> None:
        """Tick (or untick) the person whose line starts with ``name`` (tests, as a user clicks)."""
        for i in range(self.people.count()):
            item = self.people.item(i)
            if item.text().startswith(name):
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                return
        raise LookupError(name)

    def state(self) -> tuple[dict[str, Any], tuple[int, ...]]:
        values = self.form.values()
        if not values["has_due"]:
            values["follow_up_due"] = None  # the date box keeps a date it does not mean
        return values, self.chosen_people()

    def typed(self) -> bool:
        """Whether anything was typed or ticked since the dialog opened."""
        return not self.saved and self.state() != self.baseline

    def _update(self) -> None:
        self.form.widgets["follow_up_due"].setEnabled(bool(self.form.value("has_due")))
        self.save_button.setEnabled(self.row is None or self.typed())

    def value(self) -> service.IncidentInput:
        values, people = self.state()
        return service.IncidentInput(
            occurred_on=values["occurred_on"],
            kind=values["kind"],
            severity=values["severity"],
            summary=values["summary"],
            batch_id=self.batch.id,
            base_id=values["base_id"],
            details=values["details"],
            participant_ids=people,
            others=values["others"],
            action_taken=values["action_taken"],
            outcome=values["outcome"],
            follow_up=values["follow_up"],
            follow_up_due=values["follow_up_due"],
            reported_by=values["reported_by"],
        )

    # --- saving ---------------------------------------------------------------------------------------------------

    def _submit(self) -> None:
        self.people_error.hide()
        if self.form.validate():
            self.submitted.emit(self.value())

    def refused(self, exc: BaseException) -> None:
        """The service refused: at the field it names (the people under their list), else in a dialog."""
        if isinstance(exc, DomainError) and exc.field == "participants":
            self.people_error.setText(exc.message)
            self.people_error.show()
        elif isinstance(exc, DomainError) and exc.field == "batch_id":
            self.form.set_error("base_id", exc.message)
        elif isinstance(exc, DomainError) and exc.field in self.form.fields:
            self.form.set_error(exc.field, exc.message)
        else:
            operations.show_failure(self, exc, self.tr("不能保存事件"))

    def reject(self) -> None:
        """Close (取消, Esc, the window's ×): what was typed and not saved is asked about first — save it, drop
        it, or stay."""
        if self.typed():
            answer = dialogs.ask(
                self,
                self.tr("未保存的修改"),
                self.tr("这个事件有未保存的修改。是否保存？"),
                dialogs.Button.Save | dialogs.Button.Discard | dialogs.Button.Cancel,
                dialogs.Button.Save,
            )
            if answer == dialogs.Button.Cancel:
                return
            if answer == dialogs.Button.Save:
                self._submit()  # closes once saved; a refusal keeps it open at the field
                return
        super().reject()


class CloseDialog(QDialog):
    """关闭事件: the day it was closed and the outcome (how it ended), which closing requires."""

    submitted = Signal(object)

    def __init__(self, parent: QWidget, row: service.IncidentRow):
        super().__init__(parent)
        self.row = row
        self.setWindowTitle(self.tr("关闭事件"))
        self.form = FormView(
            [
                Field("closed_on", self.tr("结案日期"), "date", required=True),
                Field("outcome", self.tr("结果"), "multiline", required=True, max_length=service.TEXT_MAX),
            ]
        )
        self.form.load({"closed_on": dt.date.today(), "outcome": row.outcome})
        heading = wrapping(
            QLabel(
                self.tr("{0}，{1}：{2}", "an incident: date, kind, summary").format(
                    format_date(row.occurred_on),
                    labels.incident_kinds().get(row.kind, row.kind),
                    mask_in_text(row.summary),
                )
            )
        )
        heading.setStyleSheet("font-weight: bold;")
        note = wrapping(
            QLabel(self.tr("写明事情如何了结（如伤者康复、投诉已答复、物品已找回）。结案后仍可重新打开。"))
        )
        note.setStyleSheet("color: #6c757d;")
        self.save_button = QPushButton(self.tr("结案"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._submit)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addLayout(buttons)
        fit_to_screen(self, max(self.sizeHint().width(), 520), self.sizeHint().height())

    def _submit(self) -> None:
        if self.form.validate():
            self.submitted.emit(self.form.values())

    def refused(self, exc: BaseException) -> None:
        if isinstance(exc, DomainError) and exc.field in self.form.fields:
            self.form.set_error(exc.field, exc.message)
        else:
            operations.show_failure(self, exc, self.tr("不能结案"))
