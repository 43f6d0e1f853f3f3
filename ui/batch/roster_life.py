"""Who actually goes (issue 21), inside the roster tab: substitution (换人), moving people to another batch of
the same partner, the waiting list (候补), the roster's history (名单变动) and the roll call (报到).

Every write goes through ``recuperation.services.batch.roster_moves`` or ``attendance`` on the worker
(``ui/operations.py``); a refusal naming a field is shown at that field, warnings (the eligibility cycle)
after the change.  ID numbers are masked in every list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
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
from recuperation.labels import labels
from recuperation.people import mask_id, normalise_id
from recuperation.services.batch import attendance, roster_moves, rosters
from recuperation.storage.database import Database
from ui import operations
from ui.checks import id_problem, phone_problem
from ui.i18n import date_format, format_date
from ui.widgets import dialogs, rights
from ui.widgets.fit import FlowLayout, fit_to_screen, scrolling, search_field
from ui.widgets.form import Field, FormView
from ui.widgets.table import BAD, GOOD, ROW_ROLE, WARN, Column, RowTableModel, sample_dates, table_view


def person_fields() -> list[Field]:
    """The newcomer's fields (a substitution, the waiting list): what a place on a roster needs first."""
    return [
        Field("name", QCoreApplication.translate("RosterLife", "姓名"), required=True, max_length=40),
        Field(
            "id_number",
            QCoreApplication.translate("RosterLife", "身份证号"),
            required=True,
            max_length=18,
            check=id_problem,
            measure=normalise_id,
        ),
        Field("phone", QCoreApplication.translate("RosterLife", "手机"), max_length=20, check=phone_problem),
        Field("employer", QCoreApplication.translate("RosterLife", "单位"), max_length=100),
        Field("category", QCoreApplication.translate("RosterLife", "职工类别"), max_length=40),
    ]


def reason_field(placeholder: str = "") -> Field:
    return Field(
        "reason",
        QCoreApplication.translate("RosterLife", "原因"),
        required=True,
        max_length=400,
        placeholder=placeholder,
    )


def person_input(values: dict[str, Any]) -> rosters.ParticipantInput:
    return rosters.ParticipantInput(
        values["name"],
        values["id_number"],
        phone=values["phone"],
        employer=values["employer"],
        category=values["category"],
    )


def roll_closed_on(db: Database, batch_id: int) -> dt.date | None:
    """The day the batch's roll call was closed (None: open).  Read on the worker."""
    from recuperation.models import Batch

    with db.session() as session:
        batch = session.get(Batch, batch_id)
        return batch.roll_closed_on if batch is not None else None


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class FormDialog(QDialog):
    """A form with a cancel and a default button (their words given, already translated); ``submitted``
    carries the form's values once they are valid."""

    submitted = Signal(object)

    def __init__(self, parent: QWidget, title: str, intro: str, fields: list[Field], ok: str, cancel: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.busy = 0
        self.form = FormView(fields)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))
        self.save_button = QPushButton(ok)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._submit)
        cancel_button = QPushButton(cancel)
        cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(scrolling(self.form), 1)
        layout.addLayout(buttons)
        fit_to_screen(self, max(self.sizeHint().width(), 480), self.form.sizeHint().height() + 130)

    def _submit(self) -> None:
        if self.busy == 0 and self.form.validate():
            self.submitted.emit(self.form.values())


def waiting_states() -> dict[str, str]:
    return labels("waiting_state")


class WaitingView(QWidget):
    """The batch's waiting list in order, with add, promote (the first is offered) and withdraw."""

    changed = Signal()

    def __init__(self, roster: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.roster = roster  # the RosterView: its desk, its batch and who is selected on it
        self.desk = roster.desk
        self.batch: Any = None
        self.busy = 0
        self.dialog: FormDialog | None = None
        states = waiting_states()
        self.model = RowTableModel(
            [
                Column(self.tr("顺序"), lambda w: w.position or None, right=True, width=45),
                Column(self.tr("姓名"), lambda w: w.name, width=80),
                Column(
                    self.tr("状态"),
                    lambda w: states.get(w.state, w.state),
                    fits=list(states.values()),
                    background=lambda w: (
                        None if w.state == "waiting" else GOOD if w.state == "promoted" else WARN
                    ),
                ),
                Column(self.tr("登记日期"), lambda w: w.added_on, fits=sample_dates()),
                Column(self.tr("身份证号"), lambda w: w.id_masked, width=160),
                Column(self.tr("单位"), lambda w: w.employer, width=130),
                Column(self.tr("原因"), lambda w: w.reason, tooltip=lambda w: w.reason),
            ]
        )
        self.view = table_view(self.model, rows=True)
        self.summary = QLabel()
        self.add_button = QPushButton(self.tr("加入候补…"))
        self.add_button.clicked.connect(self.add)
        self.promote_button = QPushButton(self.tr("递补到名单…"))
        self.promote_button.clicked.connect(self.promote)
        self.withdraw_button = QPushButton(self.tr("退出候补…"))
        self.withdraw_button.clicked.connect(self.withdraw)
        top = FlowLayout()
        top.addWidget(self.summary)
        for button in (self.add_button, self.promote_button, self.withdraw_button):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self.view.selectionModel().currentChanged.connect(self.update_buttons)
        rights.allow_all(
            (self.add_button, self.promote_button, self.withdraw_button), self.desk.access, "plan"
        )
        self.update_buttons()

    def selected(self) -> Any:
        index = self.view.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def select(self, entry_id: int) -> None:
        row = self.model.row_for_key(entry_id)
        if row >= 0:
            self.view.setCurrentIndex(self.view.model().mapFromSource(self.model.index(row, 0)))  # type: ignore[attr-defined]

    def update_buttons(self, *_args: object) -> None:
        entry = self.selected()
        open_ = self.roster.takes_people()
        reason = self.roster.closed_reason()
        self.add_button.setEnabled(open_)
        waiting = entry is not None and entry.state == "waiting"
        self.promote_button.setEnabled(waiting and open_)
        self.withdraw_button.setEnabled(waiting)
        for button in (self.add_button, self.promote_button):
            button.setToolTip("" if open_ else reason)

    def set_batch(self, batch: Any) -> None:
        self.batch = batch
        if batch is None:
            self.model.set_rows([])
            self.summary.clear()
            self.update_buttons()
            return
        db, batch_id = self.desk.db, batch.id
        keep = self.selected()

        def done(rows: list[Any]) -> None:
            if self.batch is None or self.batch.id != batch_id:
                return
            self.model.set_rows(rows)
            waiting = [r for r in rows if r.state == "waiting"]
            self.summary.setText(self.tr("候补 {0} 人").format(len(waiting)))
            if keep is not None:
                self.select(keep.id)
            elif waiting:
                self.select(waiting[0].id)
            self.update_buttons()

        operations.run(
            self,
            lambda: roster_moves.list_waiting(db, batch_id),
            done,
            title=self.tr("无法读取候补名单"),
            busy=self.roster,
        )

    def add(self) -> None:
        if self.batch is None:
            return
        dialog = FormDialog(
            self,
            self.tr("加入候补：{0}").format(self.batch.code),
            "",
            [*person_fields(), Field("added_on", self.tr("登记日期"), "date", required=True)],
            self.tr("加入候补"),
            self.tr("取消"),
        )
        dialog.form.load({"added_on": dt.date.today()})
        db, batch_id = self.desk.db, self.batch.id

        def save(values: dict[str, Any]) -> None:
            data, on = person_input(values), values["added_on"]

            def done(row: Any) -> None:
                dialog.accept()
                self.desk.status.emit(self.tr("{0} 已加入候补（第 {1} 位）").format(row.name, row.position))
                self.changed.emit()

            operations.run(
                dialog,
                lambda: roster_moves.add_waiting(db, batch_id, data, on),
                done,
                failed=operations.at_field(dialog.form, dialog, self.tr("不能加入候补")),
            )

        dialog.submitted.connect(save)
        self.dialog = dialog
        dialog.open()

    def promote(self) -> None:
        """递补: the selected person takes a place.  Anyone but the first waiting needs a reason; a person
        selected on the roster may be the one whose place it is."""
        entry = self.selected()
        if entry is None or entry.state != "waiting":
            return
        reason = ""
        if entry.position > 1:
            first = next((r for r in self.model.rows if r.position == 1), None)
            answer = dialogs.ask_text(
                self,
                self.tr("跳过候补顺序"),
                self.tr("{0} 排在第 {1} 位，前面还有 {2} 等 {3} 人。跳过他们的原因（记入名单历史）：").format(
                    entry.name, entry.position, first.name if first else "", entry.position - 1
                ),
                ok=self.tr("递补"),
            )
            if answer is None:
                return
            reason = answer.strip()
            if not reason:
                dialogs.warn(self, self.tr("不能递补"), self.tr("跳过排在前面的人需要填写原因。"))
                return
        replacing = None
        person = self.roster.selected()
        if person is not None:
            answer = dialogs.ask(
                self,
                self.tr("递补"),
                self.tr(
                    "名单中选中了 {0}。让 {1} 替换 {0} 吗？\n选“否”则 {1} 加入名单，{0} 留在名单中。"
                ).format(person.name, entry.name),
                dialogs.Button.Yes | dialogs.Button.No | dialogs.Button.Cancel,
                dialogs.Button.No,
            )
            if answer == dialogs.Button.Cancel:
                return
            if answer == dialogs.Button.Yes:
                replacing = (person.id, person.version)
        db = self.desk.db

        def done(result: Any) -> None:
            row, warnings = result
            self.desk.status.emit(self.tr("{0} 已从候补递补到名单").format(row.name))
            if warnings:
                dialogs.info(self, self.tr("提醒"), "\n".join(warnings))
            self.changed.emit()

        operations.run(
            self,
            lambda: roster_moves.promote(db, entry.id, entry.version, reason=reason, replacing=replacing),
            done,
            title=self.tr("不能递补"),
            busy=self.roster,
        )

    def withdraw(self) -> None:
        entry = self.selected()
        if entry is None or entry.state != "waiting":
            return
        reason = dialogs.ask_text(
            self,
            self.tr("退出候补"),
            self.tr("{0} 退出候补的原因（记入名单历史）：").format(entry.name),
            ok=self.tr("退出候补"),
        )
        if reason is None:
            return
        db = self.desk.db
        operations.run(
            self,
            lambda: roster_moves.withdraw_waiting(db, entry.id, entry.version, reason.strip()),
            lambda _row: self.changed.emit(),
            title=self.tr("不能退出候补"),
            busy=self.roster,
        )


def event_kinds() -> dict[str, str]:
    return labels("roster_event")


class HistoryView(QWidget):
    """名单变动: the batch's roster events, newest first."""

    def __init__(self, roster: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.roster = roster
        self.desk = roster.desk
        kinds = event_kinds()
        self.model = RowTableModel(
            [
                Column(self.tr("时间"), lambda e: e.at.strftime("%Y-%m-%d %H:%M"), width=120),
                Column(self.tr("变动"), lambda e: kinds.get(e.kind, e.kind), fits=list(kinds.values())),
                Column(self.tr("姓名"), lambda e: e.name, width=80),
                Column(self.tr("相关"), self.other, width=110),
                Column(self.tr("原因"), lambda e: e.reason, tooltip=lambda e: e.reason, width=200),
                Column(self.tr("身份证号"), lambda e: e.id_masked, width=150),
                Column(self.tr("操作人"), lambda e: e.user),
            ],
            key=lambda e: (e.at, e.kind, e.name),
        )
        self.view = table_view(self.model, rows=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.view)

    def other(self, event: Any) -> str:
        if event.other_batch:
            return self.tr("批次 {0}").format(event.other_batch)
        if event.other_name:
            if event.kind == "substitute":
                return self.tr("替换 {0}").format(event.other_name)
            if event.kind == "skip":
                return self.tr("递补的是 {0}").format(event.other_name)
        return event.other_name

    def set_batch(self, batch: Any) -> None:
        if batch is None:
            self.model.set_rows([])
            return
        db, batch_id = self.desk.db, batch.id
        operations.run(
            self,
            lambda: roster_moves.roster_history(db, batch_id),
            self.model.set_rows,
            title=self.tr("无法读取名单变动"),
            busy=self.roster,
        )


def attendance_marks() -> dict[str, str]:
    """The roll call's marks, "" (not yet marked) first."""
    return {"": QCoreApplication.translate("RosterLife", "未标记"), **labels("attendance")}


def mark_text(person: Any) -> str:
    marks = attendance_marks()
    if person.attendance == "left_early" and person.left_on is not None:
        return QCoreApplication.translate("RosterLife", "提前离开（{0}）").format(format_date(person.left_on))
    return marks.get(person.attendance, person.attendance) if person.attendance else ""


MARK_COLOURS = {"attended": GOOD, "no_show": BAD, "left_early": WARN}


class RollCallDialog(QDialog):
    """报到: type a name, the last digits of an ID number or the whole number (a card reader types it and
    Enter) and the person is marked attended; no-show and left early for the selected; close the roll call."""

    changed = Signal()

    def __init__(self, parent: QWidget, desk: Any, batch: Any):
        super().__init__(parent)
        self.desk, self.batch = desk, batch
        self.busy = 0
        self.closed_on: dt.date | None = None
        self.setWindowTitle(
            self.tr("报到：{0}（{1} – {2}）").format(
                batch.code, format_date(batch.arrival), format_date(batch.departure)
            )
        )
        self.model = RowTableModel(
            [
                Column(self.tr("姓名"), lambda p: p.name, width=80),
                Column(self.tr("身份证号"), lambda p: p.id_masked, width=160),
                Column(self.tr("单位"), lambda p: p.employer, width=140),
                Column(self.tr("随行家属"), lambda p: p.companion, width=60),
                Column(
                    self.tr("报到"),
                    lambda p: mark_text(p),
                    background=lambda p: MARK_COLOURS.get(p.attendance),
                ),
            ],
            haystack=lambda p: f"{p.name} {p.id_masked} {p.employer}",
        )
        self.view = table_view(self.model, rows=True)
        self.view.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.view.installEventFilter(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("姓名、身份证号后几位，或刷身份证；按 Enter 标为已到"))
        self.search.returnPressed.connect(self.find)
        self.search.installEventFilter(self)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.counts = QLabel()
        self.attended_button = QPushButton(self.tr("已到(&A)"))
        self.attended_button.clicked.connect(lambda: self.mark_selected("attended"))
        self.no_show_button = QPushButton(self.tr("未到(&N)"))
        self.no_show_button.clicked.connect(lambda: self.mark_selected("no_show"))
        self.left_on = QDateEdit()
        self.left_on.setDisplayFormat(date_format())
        self.left_on.setCalendarPopup(True)
        last = batch.departure - dt.timedelta(days=1)
        self.left_on.setDateRange(qdate(batch.arrival), qdate(max(last, batch.arrival)))
        self.left_on.setDate(qdate(min(max(dt.date.today(), batch.arrival), max(last, batch.arrival))))
        self.left_button = QPushButton(self.tr("提前离开(&L)"))
        self.left_button.clicked.connect(lambda: self.mark_selected("left_early"))
        self.clear_button = QPushButton(self.tr("清除标记"))
        self.clear_button.clicked.connect(lambda: self.mark_selected(""))
        self.close_button = QPushButton(self.tr("关闭报到…"))
        self.close_button.clicked.connect(self.close_or_reopen)
        done_button = QPushButton(self.tr("完成"))
        done_button.setAutoDefault(False)
        done_button.clicked.connect(self.accept)
        for button in (
            self.attended_button,
            self.no_show_button,
            self.left_button,
            self.clear_button,
            self.close_button,
        ):
            button.setAutoDefault(False)  # Enter in the search field marks, never presses a button
        marks = FlowLayout()
        for widget in (
            self.attended_button,
            self.no_show_button,
            self.left_on,
            self.left_button,
            self.clear_button,
        ):
            marks.addWidget(widget)
        # marking is planning (协调员); closing or reopening the roll call is an approval (负责人)
        self.may_mark = rights.allow_all(
            (self.attended_button, self.no_show_button, self.left_on, self.left_button, self.clear_button),
            desk.access,
            "plan",
        )
        rights.allow(self.close_button, desk.access, "approve")
        bottom = QHBoxLayout()
        bottom.addWidget(self.counts, 1)
        bottom.addWidget(self.close_button)
        bottom.addWidget(done_button)
        layout = QVBoxLayout(self)
        layout.addWidget(search_field(self.search))
        layout.addWidget(self.result)
        layout.addWidget(self.view, 1)
        layout.addLayout(marks)
        layout.addLayout(bottom)
        fit_to_screen(self, 760, 620)
        self.search.setFocus()
        self.reload()

    # -- reading ------------------------------------------------------------------------------------------

    def reload(self) -> None:
        db, batch_id = self.desk.db, self.batch.id

        def job() -> tuple[list[Any], dt.date | None]:
            return attendance.roll_call(db, batch_id), roll_closed_on(db, batch_id)

        def done(result: tuple[list[Any], dt.date | None]) -> None:
            rows, self.closed_on = result
            keep = self.selected()
            self.model.set_rows(rows)
            if keep:
                self.select([p.id for p in keep])
            self._show_counts()

        operations.run(self, job, done, title=self.tr("无法读取名单"))

    def _show_counts(self) -> None:
        rows = self.model.rows
        count = {key: sum(1 for p in rows if p.attendance == key) for key in attendance_marks()}
        text = self.tr("共 {0} 人：已到 {1}，未到 {2}，提前离开 {3}，未标记 {4}").format(
            len(rows), count["attended"], count["no_show"], count["left_early"], count[""]
        )
        if self.closed_on is not None:
            text += self.tr("。报到已于 {0} 关闭").format(format_date(self.closed_on))
        self.counts.setText(text)
        self.close_button.setText(self.tr("重新打开报到…") if self.closed_on else self.tr("关闭报到…"))
        self.clear_button.setEnabled(
            self.closed_on is None
        )  # closed, everyone has a mark: correct, never clear
        self.clear_button.setToolTip(self.tr("报到已关闭：可以改标记，不能清除。") if self.closed_on else "")

    def selected(self) -> list[Any]:
        rows = self.view.selectionModel().selectedRows()
        people = [index.data(ROW_ROLE) for index in rows]
        return [p for p in people if p is not None]

    def select(self, ids: list[int]) -> None:
        proxy: Any = self.view.model()
        selection = self.view.selectionModel()
        selection.clearSelection()
        first = None
        for person_id in ids:
            row = self.model.row_for_key(person_id)
            index = proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else None
            if index is None or not index.isValid():
                continue
            if first is None:
                first = index
                self.view.setCurrentIndex(index)
            selection.select(
                index,
                selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
            )
        if first is not None:
            self.view.scrollTo(first)

    # -- finding and marking ---------------------------------------------------------------------------------

    def _say(self, text: str, colour: Any = None) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(f"color: {colour.name()};" if colour is not None else "")

    def find(self) -> None:
        """Enter in the search field: one person found is marked attended; several are listed to choose
        from (arrows, then Enter); none is said."""
        typed = self.search.text()
        if not typed.strip():
            return
        # a whole number is matched by its masked form here (the screen asks the server nothing; on a file
        # the key is the number itself)
        found = attendance.find_person(self.model.rows, typed, plain=self.desk.db.is_sqlite)
        proxy: Any = self.view.model()
        if not found:
            compact = "".join(typed.split()).upper()
            digits = all(c.isdigit() or c == "X" for c in compact)
            if digits and len(compact) < 4:
                self._say(self.tr("身份证号请至少输入后 4 位。"), BAD.darker(250))
            else:  # a whole number is never shown in full (it may be a stranger's)
                shown = mask_id(compact) if digits and len(compact) == 18 else typed.strip()
                self._say(self.tr("名单中没有“{0}”。").format(shown), BAD.darker(250))
            self.search.selectAll()
            return
        if len(found) == 1:
            self.search.clear()
            proxy.set_predicate(None)
            self.select([found[0].id])
            if found[0].attendance == "attended":  # a card read twice: said, not marked again
                self._say(self.tr("{0} 已经标为已到。").format(found[0].name), WARN.darker(250))
                return
            self.mark([found[0]], "attended")
            return
        ids = {p.id for p in found}
        proxy.set_predicate(lambda p: p.id in ids)
        self.select([found[0].id])
        self._say(self.tr("找到 {0} 人：用方向键选择，按 Enter 标为已到（Esc 返回）。").format(len(found)))
        self.view.setFocus()

    def _back_to_search(self) -> None:
        proxy: Any = self.view.model()
        proxy.set_predicate(None)
        self.search.clear()
        self.search.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                chosen = self.selected()
                if chosen:
                    self.mark(chosen, "attended")
                    self._back_to_search()
                return True
            if watched is self.view and key == Qt.Key.Key_Escape:
                self._back_to_search()
                return True
            if watched is self.search and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self.view.setFocus()
                return False
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter belongs to the search field and the list; Esc in the search field clears it first.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        if event.key() == Qt.Key.Key_Escape and self.search.hasFocus() and self.search.text():
            self.search.clear()
            return
        super().keyPressEvent(event)

    def mark_selected(self, value: str) -> None:
        people = self.selected()
        if not people:
            self._say(self.tr("先在名单中选择人员。"), BAD.darker(250))
            return
        self.mark(people, value)
        self.search.setFocus()

    def mark(self, people: list[Any], value: str) -> None:
        if not self.may_mark:  # found (Enter in the search), but not marked: said why
            self._say(self.desk.access.why_not("plan"), BAD.darker(250))
            return
        db = self.desk.db
        left_on = self.left_on.date().toPython() if value == "left_early" else None
        wanted = [(p.id, p.version) for p in people]

        def job() -> list[Any]:
            return [attendance.mark(db, pid, version, value, left_on=left_on) for pid, version in wanted]

        def done(marked: list[Any]) -> None:
            by_id = {p.id: p for p in marked}
            keep = [p.id for p in self.selected()]
            self.model.set_rows([by_id.get(p.id, p) for p in self.model.rows])
            self.select(keep)
            self._show_counts()
            names = messages.join([p.name for p in marked])
            if value == "attended" and len(marked) == 1:
                self._say(self.tr("✓ {0} 已报到").format(names), GOOD.darker(250))
            else:
                self._say(self.tr("{0}：{1}").format(names, mark_text(marked[0])))
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            operations.show_failure(self, exc, self.tr("不能标记"))
            self.reload()  # a mark made meanwhile at another desk: read again

        operations.run(self, job, done, failed=failed)

    # -- closing -------------------------------------------------------------------------------------------

    def close_or_reopen(self) -> None:
        if not self.desk.access.can("approve"):
            return
        db, batch_id = self.desk.db, self.batch.id
        if self.closed_on is not None:
            question = self.tr("重新打开批次 {0} 的报到？已有的标记保留。").format(self.batch.code)
            if dialogs.ask(self, self.tr("重新打开报到"), question) != dialogs.Button.Yes:
                return
            operations.run(
                self,
                lambda: attendance.reopen_roll_call(db, batch_id),
                lambda _none: self._after_close(None),
                title=self.tr("不能重新打开报到"),
            )
            return
        unmarked = sum(1 for p in self.model.rows if not p.attendance)
        question = self.tr(
            "关闭批次 {0} 的报到？\n还没有标记的 {1} 人将记为未到。关闭后仍可更正标记。"
        ).format(self.batch.code, unmarked)
        if dialogs.ask(self, self.tr("关闭报到"), question) != dialogs.Button.Yes:
            return
        operations.run(
            self,
            lambda: attendance.close_roll_call(db, batch_id),
            self._after_close,
            title=self.tr("不能关闭报到"),
        )

    def _after_close(self, count: int | None) -> None:
        if count is not None:
            self._say(self.tr("报到已关闭：{0} 人记为未到。").format(count))
        else:
            self._say(self.tr("报到已重新打开。"))
        self.reload()
        self.changed.emit()
