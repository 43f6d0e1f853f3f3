"""A batch's roster on the batches page, and the preview of a roster import with its column mapping.

Nothing is written before the user has seen every row's status; a file with errors is imported only when
the user chooses to take the valid rows alone.  ID numbers and phones are masked in the lists.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.people import mask_id, mask_phone, normalise_id
from recuperation.services.batch import roster_moves, rosters
from recuperation.services.batch.roster_import import (
    HEADERS,
    MORE_HEADERS,
    ImportPlan,
    Layout,
    apply_import,
    plan_import,
    removal_names,
)
from ui import labels, operations
from ui.batch.roster_life import (
    MARK_COLOURS,
    FormDialog,
    HistoryView,
    RollCallDialog,
    WaitingView,
    mark_text,
    person_fields,
    person_input,
    reason_field,
    roll_closed_on,
)
from ui.checks import id_problem, phone_problem
from ui.desk import Desk
from ui.i18n import format_date
from ui.widgets import dialogs, rights
from ui.widgets.column_mapping import ColumnMapping
from ui.widgets.fit import FlowLayout, fit_to_screen, scrolling, search_field
from ui.widgets.form import Field, FormView
from ui.widgets.pin_dialog import confirm_pin
from ui.widgets.table import BAD, GOOD, ROW_ROLE, WARN, Column, RowTableModel, table_view


def _view(model: RowTableModel) -> QTableView:
    return table_view(model, sortable=True, rows=True)


class RosterView(QWidget):
    """The participants of the selected batch, with the import of a new or amended list."""

    changed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.batch: Any = None
        self.busy = 0
        self.preview: ImportDialog | None = None
        self.model = RowTableModel(
            [
                Column(self.tr("姓名"), lambda p: p.name, width=80),
                Column(
                    self.tr("性别"),
                    lambda p: labels.sexes().get(p.sex or "", ""),
                    width=45,
                ),
                Column(
                    self.tr("年龄"),
                    lambda p: p.age(self.batch.arrival) if self.batch else None,
                    right=True,
                    width=45,
                ),
                Column(self.tr("身份证号"), lambda p: p.id_masked, width=160),
                Column(self.tr("手机"), lambda p: p.phone_masked, width=110),
                Column(self.tr("单位"), lambda p: p.employer, width=150),
                Column(self.tr("部门"), lambda p: p.department, width=100),
                Column(self.tr("类别"), lambda p: p.category, width=80),
                Column(self.tr("劳模"), lambda p: p.model_worker, width=45),
                Column(self.tr("随行家属"), lambda p: p.companion, width=45),
                Column(
                    self.tr("报到"),
                    mark_text,
                    background=lambda p: MARK_COLOURS.get(p.attendance),
                    width=70,
                    widest=160,
                ),
                Column(self.tr("房间"), lambda p: p.room),
            ]
        )
        self.view = _view(self.model)
        # several people may be moved at once (Ctrl/Shift-click)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("按姓名、单位查找…"))
        self.search.textChanged.connect(lambda text: self.view.model().set_text(text))  # type: ignore[attr-defined]
        self.summary = QLabel()
        self.import_button = QPushButton(self.tr("导入名单…"))
        self.import_button.clicked.connect(self.choose_file)
        self.add_button = QPushButton(self.tr("添加团员"))
        self.add_button.clicked.connect(lambda: self.edit_person(None))
        self.edit_button = QPushButton(self.tr("修改"))
        self.edit_button.clicked.connect(lambda: self.edit_person(self.selected()))
        self.remove_button = QPushButton(self.tr("移出名单…"))
        self.remove_button.clicked.connect(self.remove_person)
        self.view.doubleClicked.connect(lambda _index: self.edit_person(self.selected()))
        self.person_dialog: PersonDialog | None = None
        # issue 21: who actually goes
        self.substitute_button = QPushButton(self.tr("换人…"))
        self.substitute_button.clicked.connect(self.substitute)
        self.move_button = QPushButton(self.tr("转到其他批次…"))
        self.move_button.clicked.connect(self.move_people)
        self.companion_button = QPushButton(self.tr("标为随行家属"))
        self.companion_button.clicked.connect(self.toggle_companion)
        self.roll_call_button = QPushButton(self.tr("报到…"))
        self.roll_call_button.clicked.connect(self.open_roll_call)
        self.life_dialog: FormDialog | None = None  # the last 换人 / 转到其他批次 dialog (tests reach it)
        self.roll_call_dialog: RollCallDialog | None = None
        self.closed_on: dt.date | None = None  # the batch's roll call closed (read with the roster)
        top = FlowLayout()  # wraps in a narrow editor instead of widening the window
        top.addWidget(search_field(self.search))
        for button in (
            self.add_button,
            self.edit_button,
            self.remove_button,
            self.substitute_button,
            self.move_button,
            self.companion_button,
            self.roll_call_button,
            self.import_button,
        ):
            top.addWidget(button)
        people = QWidget()
        people_layout = QVBoxLayout(people)
        people_layout.setContentsMargins(0, 4, 0, 0)
        people_layout.addLayout(top)
        self.summary.setWordWrap(True)  # its own line: the counts and the roll call's state are never cut
        people_layout.addWidget(self.summary)
        people_layout.addWidget(self.view)
        self.waiting = WaitingView(self)
        self.waiting.changed.connect(self._roster_changed)
        self.history = HistoryView(self)
        self.sections = QTabWidget()
        self.sections.setDocumentMode(True)
        self.sections.addTab(people, self.tr("团员"))
        self.sections.addTab(self.waiting, self.tr("候补"))
        self.sections.addTab(self.history, self.tr("名单变动"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sections)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        # Without the right to plan the roster is read (a double-click shows a person's details, read-only);
        # the roll call opens to be read, its marks and its closing need their own rights (RollCallDialog).
        self.allowed = rights.allow_all(
            (
                self.add_button,
                self.edit_button,
                self.remove_button,
                self.substitute_button,
                self.move_button,
                self.companion_button,
                self.import_button,
            ),
            desk.access,
            "plan",
        )
        self._update_buttons()

    def selected(self) -> Any:
        """The person the list's cursor is on, when selected (None when nobody is)."""
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isRowSelected(index.row(), index.parent()):
            return None
        return index.data(ROW_ROLE)

    def selected_people(self) -> list[Any]:
        rows = self.view.selectionModel().selectedRows()
        return [p for p in (index.data(ROW_ROLE) for index in rows) if p is not None]

    def takes_people(self) -> bool:
        """The batch's roster still changes by substitution, move or the waiting list (the service's rule)."""
        return self.batch is not None and roster_moves.takes_people(self.batch.status, self.closed_on)

    def closed_reason(self) -> str:
        """Why the roster takes nobody new (a tooltip on what is disabled), or "" when it does."""
        if self.batch is None:
            return ""
        if self.closed_on is not None:
            return self.tr(
                "报到已于 {0} 关闭：名单是实际到场的记录。如需更正，先在“报到…”中重新打开报到。"
            ).format(format_date(self.closed_on))
        if not self.takes_people():
            return self.tr("批次已完成或已取消：名单不能再换人、转出或递补。")
        return ""

    def _update_buttons(self, *_args: object) -> None:
        people = self.selected_people() if self.batch is not None else []
        one = len(people) == 1
        roll_open = self.batch is not None and self.closed_on is None
        moving = self.takes_people()
        reason = self.closed_reason()
        self.add_button.setEnabled(roll_open)
        self.remove_button.setEnabled(roll_open)
        self.import_button.setEnabled(roll_open)
        self.edit_button.setEnabled(self.batch is not None)
        self.substitute_button.setEnabled(one and moving)
        self.move_button.setEnabled(bool(people) and moving)
        for button in (self.add_button, self.remove_button, self.import_button):
            button.setToolTip("" if roll_open else reason)
        for button in (self.substitute_button, self.move_button):
            button.setToolTip("" if moving else reason)
        self.companion_button.setEnabled(one and roll_open)
        self.companion_button.setToolTip("" if roll_open else reason)
        self.roll_call_button.setEnabled(self.batch is not None)
        if hasattr(self, "waiting"):  # built after the buttons
            self.waiting.update_buttons()
        companion = one and people[0].companion
        self.companion_button.setText(self.tr("取消随行家属") if companion else self.tr("标为随行家属"))

    # -- issue 21: substitution, moves, companions, the roll call ---------------------------------------------

    def substitute(self) -> None:
        """换人: a newcomer takes the selected person's place (one transaction; warnings shown after)."""
        person = self.selected()
        if self.batch is None or person is None or not self.allowed:
            return
        dialog = FormDialog(
            self,
            self.tr("换人：{0} {1}").format(self.batch.code, person.name),
            self.tr("由谁替换 {0}（{1}）？原因记入名单历史。").format(person.name, person.id_masked),
            [*person_fields(), reason_field(self.tr("如：因病不能参加，由同部门同事替换"))],
            self.tr("换人"),
            self.tr("取消"),
        )
        db = self.desk.db

        def save(values: dict[str, Any]) -> None:
            data, reason = person_input(values), values["reason"]

            def done(result: Any) -> None:
                row, warnings = result
                dialog.accept()
                self.desk.status.emit(self.tr("{0} 已替换 {1}").format(row.name, person.name))
                if warnings:
                    dialogs.info(self, self.tr("提醒"), "\n".join(warnings))
                self._roster_changed()

            operations.run(
                dialog,
                lambda: roster_moves.substitute(db, person.id, person.version, data, reason),
                done,
                failed=operations.at_field(dialog.form, dialog, self.tr("不能换人")),
            )

        dialog.submitted.connect(save)
        self.life_dialog = dialog
        dialog.open()

    def move_people(self) -> None:
        """转到其他批次: the selected people go to another open batch of the same partner."""
        people = self.selected_people()
        batch = self.batch
        if batch is None or not people or not self.allowed:
            return
        shown = [p.name + (self.tr("（家属）") if p.companion else "") for p in people[:6]]
        names = messages.join(shown) + ("…" if len(people) > 6 else "")
        dialog = FormDialog(
            self,
            self.tr("转到其他批次"),
            self.tr("把 {0} 人（{1}）从批次 {2} 转到同一合作单位的另一个批次（未完成、未关闭报到）：").format(
                len(people), names, batch.code
            ),
            [Field("batch", self.tr("转到批次"), "choice", required=True), reason_field()],
            self.tr("转过去"),
            self.tr("取消"),
        )
        dialog.save_button.setEnabled(False)  # until the batches are read
        db = self.desk.db

        codes: dict[int, str] = {}

        def targets(found: list[Any]) -> None:
            codes.update((b.id, b.code) for b in found)
            statuses = labels.batch_statuses()
            dialog.form.set_choices(
                "batch",
                [
                    (
                        b.id,
                        self.tr("{0}（{1} – {2}，{3}，{4} 人）").format(
                            b.code,
                            format_date(b.arrival),
                            format_date(b.departure),
                            statuses.get(b.status, b.status),
                            b.roster_count,
                        ),
                    )
                    for b in found
                ],
            )
            dialog.save_button.setEnabled(bool(found))
            # the choices arrived after the dialog was sized: widen it (within the screen) to show them whole
            combo = dialog.form.widgets["batch"]
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            wider = dialog.width() + max(0, combo.sizeHint().width() - combo.width())
            fit_to_screen(dialog, wider, dialog.height())
            if not found:
                dialog.form.set_error("batch", self.tr("这个合作单位没有其他未完成、未关闭报到的批次。"))

        operations.run(dialog, lambda: roster_moves.move_targets(db, batch.id), targets)

        def save(values: dict[str, Any]) -> None:
            target, reason = values["batch"], values["reason"]
            ids = [p.id for p in people]

            def done(result: Any) -> None:
                dialog.accept()
                code = codes.get(target, "")
                self.desk.status.emit(self.tr("{0} 人已转到批次 {1}").format(len(result.moved), code))
                if result.warnings:
                    dialogs.info(self, self.tr("提醒"), "\n".join(result.warnings))
                self._roster_changed()

            operations.run(
                dialog,
                lambda: roster_moves.move_people(db, ids, target, reason),
                done,
                failed=operations.at_field(dialog.form, dialog, self.tr("不能转到其他批次")),
            )

        dialog.submitted.connect(save)
        self.life_dialog = dialog
        dialog.open()

    def toggle_companion(self) -> None:
        person = self.selected()
        if person is None or not self.allowed:
            return
        db, wanted = self.desk.db, not person.companion
        operations.run(
            self,
            lambda: roster_moves.set_companion(db, person.id, person.version, wanted),
            lambda _row: self._roster_changed(),
            title=self.tr("不能修改"),
        )

    def open_roll_call(self) -> None:
        if self.batch is None:
            return
        dialog = RollCallDialog(self, self.desk, self.batch)
        dialog.changed.connect(self._roll_call_changed)
        self.roll_call_dialog = dialog
        dialog.open()

    def _roll_call_changed(self) -> None:
        """A mark was made: the roster's column follows (the batch list only when the roll call closed)."""
        self.set_batch(self.batch)

    def edit_person(self, person: Any) -> None:
        """Open the form for one person (None: a new one); saving goes through the roster service.  Without the
        right to plan, a person's details are shown read-only (and a new one is not offered)."""
        if self.batch is None or (person is None and not self.allowed):
            return
        dialog = PersonDialog(self, person)
        dialog.submitted.connect(lambda values: self._save_person(dialog, person, values))
        self.person_dialog = dialog
        dialog.open()

    def _roster_changed(self) -> None:
        self.changed.emit()
        self.set_batch(self.batch)

    def _closed_reason(self, name: str) -> str | None:
        """The reason a completed or cancelled batch's roster change needs (asked; None: the user cancelled);
        "" for a batch that needs none."""
        if self.batch is None or self.batch.status not in ("completed", "cancelled"):
            return ""
        reason = dialogs.ask_text(
            self,
            self.tr("修改已结束批次的名单"),
            self.tr("批次 {0} 已完成或已取消。修改 {1} 的原因（记入批次历史）：").format(
                self.batch.code, name
            ),
        )
        if reason is not None and not reason.strip():
            dialogs.warn(self, self.tr("未保存"), self.tr("修改已结束批次的名单需要填写原因。"))
        return reason.strip() if reason and reason.strip() else None

    def _save_person(self, dialog: PersonDialog, person: Any, values: dict[str, Any]) -> None:
        db, batch_id = self.desk.db, self.batch.id
        data = rosters.ParticipantInput(**values)
        reason = self._closed_reason(data.name)
        if reason is None:
            return

        def job() -> Any:
            if person is None:
                return rosters.add_participant(db, batch_id, data, reason)
            return rosters.update_participant(db, person.id, person.version, data, reason)

        def done(result: Any) -> None:
            _row, warnings = result
            dialog.accept()
            if warnings:
                dialogs.info(self, self.tr("提醒"), "\n".join(warnings))
            self._roster_changed()

        operations.run(self, job, done, failed=operations.at_field(dialog.form, dialog, self.tr("不能保存")))

    def remove_person(self) -> None:
        person = self.selected()
        if person is None or not self.allowed:
            return
        reason, ok = QInputDialog.getText(
            self, self.tr("移出名单"), self.tr("将 {0} 移出名单的原因（记入批次历史）：").format(person.name)
        )
        if not ok:
            return
        db = self.desk.db
        reason = reason.strip()
        operations.run(
            self,
            lambda: rosters.remove_participant(db, person.id, person.version, reason),
            lambda _result: self._roster_changed(),
            title=self.tr("不能移出"),
        )

    def set_batch(self, batch: Any) -> None:
        if batch is None or self.batch is None or batch.id != self.batch.id:
            self.closed_on = batch.roll_closed_on if batch is not None else None  # until the roster is read
        self.batch = batch
        self.waiting.set_batch(batch)
        self.history.set_batch(batch)
        self._update_buttons()
        if batch is None:
            self.model.set_rows([])
            self.summary.clear()
            return
        db, batch_id = self.desk.db, batch.id
        keep = [p.id for p in self.selected_people()]

        def done(result: tuple[list[Any], dt.date | None]) -> None:
            rows, self.closed_on = result
            self.model.set_rows(rows)
            self._reselect(keep)
            women = sum(1 for p in rows if p.sex == "F")
            companions = sum(1 for p in rows if p.companion)
            text = self.tr("共 {0} 人（男 {1}，女 {2}）").format(len(rows), len(rows) - women, women)
            if companions:
                text += self.tr("，其中随行家属 {0} 人").format(companions)
            if self.closed_on is not None:
                text += self.tr("。报到已于 {0} 关闭，名单不再加人或删人").format(format_date(self.closed_on))
            self.summary.setText(text)
            self._update_buttons()

        def failed(exc: BaseException) -> None:
            self.model.set_rows([])  # never another batch's people under this one
            self.summary.clear()
            operations.show_failure(self, exc, self.tr("无法读取名单"))

        def job() -> tuple[list[Any], dt.date | None]:
            return rosters.list_participants(db, batch_id), roll_closed_on(db, batch_id)

        operations.run(self, job, done, failed=failed)

    def _reselect(self, ids: list[int]) -> None:
        """Keep the selection over a reload (a companion marked, a mark made)."""
        proxy: Any = self.view.model()
        selection = self.view.selectionModel()
        for i, person_id in enumerate(ids):
            row = self.model.row_for_key(person_id)
            if row < 0:
                continue
            index = proxy.mapFromSource(self.model.index(row, 0))
            if i == 0:
                self.view.setCurrentIndex(index)
            else:
                selection.select(index, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    def choose_file(self) -> None:
        if self.batch is None or not self.allowed:
            return
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择名单文件"),
            "",
            self.tr("名单 (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;所有文件 (*)"),
        )
        if name:
            self.start_import(Path(name))

    def start_import(self, path: Path, layout: Layout | None = None, code: str | None = None) -> None:
        """Plan the import of ``path`` into the batch shown now (or ``code``: a re-check stays with the batch
        and the file the preview was opened for, whatever is selected meanwhile)."""
        db = self.desk.db
        code = code or self.batch.code

        def done(plan: ImportPlan) -> None:
            if self.preview is not None and (self.preview.path, self.preview.code) != (path, code):
                self.preview.close()  # another file or batch: a new preview, never the old one reused
                self.preview = None
            if self.preview is None:
                self.preview = ImportDialog(self, path, code)
                self.preview.recheck.connect(lambda new_layout: self.start_import(path, new_layout, code))
                self.preview.confirmed.connect(self.apply)
                self.preview.finished.connect(self._preview_closed)
            self.preview.show_plan(plan)
            self.preview.show()

        operations.run(self, lambda: plan_import(db, code, path, layout), done, title=self.tr("无法导入"))

    def _preview_closed(self) -> None:
        self.preview = None

    def apply(self, plan: ImportPlan, skip_invalid: bool, allow_removals: bool, reason: str) -> None:
        db = self.desk.db

        def done(result: Any) -> None:
            if self.preview is not None:
                self.preview.accept()
            self.desk.status.emit(
                self.tr("批次 {0} 名单已导入：新增 {1}，删除 {2}，修改 {3}").format(
                    plan.batch_code, result.added, result.removed, result.changed
                )
            )
            self._roster_changed()

        operations.run(
            self,
            lambda: apply_import(
                db, plan, skip_invalid=skip_invalid, allow_removals=allow_removals, reason=reason
            ),
            done,
            title=self.tr("无法导入"),
        )


class PersonDialog(QDialog):
    """One participant's details; the ID number gives sex, birth date and age."""

    submitted = Signal(object)

    def __init__(self, parent: QWidget, person: Any):
        super().__init__(parent)
        self.setWindowTitle(self.tr("团员") if person is None else person.name)
        self.form = FormView(
            [
                Field("name", self.tr("姓名"), required=True, max_length=40),
                Field(
                    "id_number",
                    self.tr("身份证号"),
                    required=True,
                    max_length=18,
                    check=id_problem,
                    measure=normalise_id,  # typed in groups (330182 1990…) it is still 18 characters
                ),
                Field("phone", self.tr("手机"), max_length=20, check=phone_problem),
                Field("employer", self.tr("单位"), max_length=100),
                Field("department", self.tr("部门"), max_length=100),
                Field("category", self.tr("职工类别"), max_length=40),
                Field("model_worker", self.tr("劳模"), "bool"),
                Field("diet", self.tr("饮食禁忌"), max_length=200),
                Field("health", self.tr("健康状况"), max_length=200),
                Field("emergency_contact", self.tr("紧急联系人"), max_length=100),
                Field("room", self.tr("房间"), max_length=20),
                Field("notes", self.tr("备注"), "multiline", max_length=500),
            ]
        )
        self.person = person
        self.revealed = person is None
        self.busy = 0  # the reveal runs on the worker
        access = rights.access_of(parent)
        if person is not None:
            values = {key: getattr(person, key, "") for key in self.form.fields}
            values["id_number"] = person.id_masked
            values["phone"] = person.phone_masked
            self.form.load(values)
            for key in ("id_number", "phone"):
                self.form.widgets[key].setReadOnly(True)  # type: ignore[attr-defined]
        self.reveal_button = QPushButton(self.tr("显示完整号码（记入审计日志）"))
        # an anonymised person has no number left to show (privacy purge)
        self.reveal_button.setVisible(person is not None and not getattr(person, "anonymised_on", None))
        self.reveal_button.clicked.connect(self.reveal)
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._submit)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        # the full numbers need their own right (完整证件号); the details are read-only without the right to plan
        rights.allow(self.reveal_button, access, "full_ids")
        self.editable = rights.allow(self.save_button, access, "plan")
        rights.read_only(self.form, access, "plan")
        buttons = QHBoxLayout()
        buttons.addWidget(self.reveal_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(self.form), 1)  # the fields scroll on a short screen, Save stays in sight
        layout.addLayout(buttons)
        fit_to_screen(self, max(self.sizeHint().width(), 520), self.form.sizeHint().height() + 80)

    def reveal(self) -> None:
        """Show this one person's full numbers (read and recorded on the worker), so that they can be read or
        corrected."""
        if rights.locked(self.reveal_button):  # (the button says who may)
            return
        db, person_id = self.parent().desk.db, self.person.id  # type: ignore[union-attr]
        if not confirm_pin(self, db):  # a desk's PIN (ui/widgets/pin_dialog.py)
            return
        self.reveal_button.setEnabled(False)  # one click, one entry in the audit log

        def done(numbers: tuple[str, str]) -> None:
            baseline = dict(self.form.baseline)
            for key, value in zip(("id_number", "phone"), numbers, strict=True):
                self.form.widgets[key].setReadOnly(not self.editable)  # type: ignore[attr-defined]
                self.form.set_value(key, value)
                baseline[key] = value
            self.form.baseline = baseline
            self.revealed = True

        def failed(exc: BaseException) -> None:
            self.reveal_button.setEnabled(True)
            operations.show_failure(self, exc)

        operations.run(self, lambda: rosters.reveal_participant(db, person_id), done, failed=failed)

    def _submit(self) -> None:
        if not self.editable:
            return
        if self.revealed:
            if self.form.validate():
                self.submitted.emit(self.form.values())
            return
        # the masked numbers stand for the stored ones, which this desk has not read: None keeps them
        results = [
            self.form.check_field(key) for key in self.form.fields if key not in ("id_number", "phone")
        ]
        if all(results):
            self.submitted.emit({**self.form.values(), "id_number": None, "phone": None})


class ImportDialog(QDialog):
    """The preview: which sheet and header row, which column is which field, and every row's status."""

    recheck = Signal(object)  # a corrected Layout
    confirmed = Signal(object, bool, bool, str)  # plan, skip invalid rows, allow removals, reason

    def __init__(self, parent: QWidget, path: Path, code: str):
        super().__init__(parent)
        self.path, self.code = path, code
        self.setWindowTitle(self.tr("导入名单到批次 {0}：{1}").format(code, path.name))
        # Window-modal: the batch behind the preview cannot change while it is open.
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.plan: ImportPlan | None = None
        field_names = {
            "name": self.tr("姓名"),
            "id_number": self.tr("身份证号"),
            "sex": self.tr("性别"),
            "phone": self.tr("手机"),
            "employer": self.tr("单位"),
            "department": self.tr("部门"),
            "category": self.tr("职工类别"),
            "model_worker": self.tr("劳模"),
            "diet": self.tr("饮食禁忌"),
            "health": self.tr("健康状况"),
            "emergency_contact": self.tr("紧急联系人"),
            "room": self.tr("房间"),
            "notes": self.tr("备注"),
            "companion": self.tr("随行家属"),
        }
        self.field_names = field_names
        self.mapping = ColumnMapping({key: field_names[key] for key in {**HEADERS, **MORE_HEADERS}})
        self.mapping.recheck.connect(self.recheck)
        box = self.mapping

        self.rows = RowTableModel(
            [
                Column(self.tr("行号"), lambda r: r.row, right=True, width=50),
                Column(
                    self.tr("状态"),
                    lambda r: self.status(r),
                    width=60,
                    background=lambda r: BAD if r.errors else (WARN if r.warnings else GOOD),
                ),
                Column(self.tr("姓名"), lambda r: r.values.get("name"), width=80),
                Column(
                    self.tr("身份证号"),
                    lambda r: mask_id(str(r.values.get("id_number") or "")) or r.masked_id,
                    width=160,
                ),
                Column(self.tr("手机"), lambda r: mask_phone(str(r.values.get("phone") or "")), width=110),
                Column(self.tr("导入后"), self.result, width=150, tooltip=self.result),
                Column(
                    self.tr("问题"),
                    lambda r: " ".join(p.message for p in r.errors + r.warnings),
                    tooltip=lambda r: "\n".join(p.message for p in r.errors + r.warnings),
                ),
            ],
            key=lambda r: r.row,
        )
        self.view = _view(self.rows)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("人员调整的原因（替换名单时填写，记入批次历史）"))
        self.reason.textChanged.connect(self._update_buttons)
        # Removing people is never a side effect: it is named here and needs a tick and a reason.
        self.allow_removals = QCheckBox()
        self.allow_removals.setVisible(False)
        self.allow_removals.toggled.connect(self._update_buttons)
        self.import_button = QPushButton(self.tr("导入"))
        self.import_button.clicked.connect(lambda: self._confirm(False))
        self.valid_button = QPushButton(self.tr("只导入正确的行"))
        self.valid_button.clicked.connect(lambda: self._confirm(True))
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.valid_button)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.allow_removals)
        layout.addLayout(buttons)
        fit_to_screen(self, 1000, 680)

    def result(self, row: Any) -> str:
        """What importing does with the row: 新增, 修改（饮食禁忌、备注）, 未变, or nothing for a row with errors."""
        if row.result == "new":
            return self.tr("新增")
        if row.result == "changed":
            return self.tr("修改（{0}）").format(
                messages.join([self.field_names.get(k, k) for k in row.changes])
            )
        return self.tr("未变") if row.result == "unchanged" else ""

    def status(self, row: Any) -> str:
        if row.errors:
            return self.tr("错误")
        return self.tr("提醒") if row.warnings else self.tr("正确")

    def show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.mapping.show_layout(plan.sheet_names, plan.layout, plan.headers)
        self.rows.set_rows(plan.rows)
        errors = len({p.row for p in plan.errors})
        self.summary.setText(
            self.tr(
                "读取 {0} 行：正确 {1} 行，有错误 {2} 行，提醒 {3} 处。导入后：新增 {4} 人，删除 {5} 人，修改 {6} 人。"
            ).format(
                len(plan.rows),
                plan.valid,
                errors,
                len(plan.warnings),
                len(plan.added),
                len(plan.removed),
                len(plan.changed),
            )
        )
        notes = []
        if plan.masked_matched:
            notes.append(
                self.tr("{0} 人的身份证号隐去了中间几位，已按号码两端和姓名与名单中的人对上。").format(
                    plan.masked_matched
                )
            )
        if plan.kept_unreadable:
            notes.append(
                self.tr("{0} 人在文件中只有读不出的同名行，保留在名单中，不删除。").format(
                    plan.kept_unreadable
                )
            )
        if self._closed():
            notes.append(self.tr("这个批次已完成或已取消：修改名单须填写原因。"))
        if notes:
            self.summary.setText(self.summary.text() + "\n" + "\n".join(notes))
        self.allow_removals.setVisible(bool(plan.removed))
        self.allow_removals.setChecked(False)
        self.allow_removals.setText(
            self.tr("确认从名单中删除这 {0} 人：{1}（须填写原因）").format(
                len(plan.removed), removal_names(plan, limit=8)
            )
        )
        if plan.removed or self._closed():
            self.reason.setPlaceholderText(self.tr("原因（必填，记入批次历史）"))
        self._update_buttons()

    def _closed(self) -> bool:
        plan = self.plan
        return plan is not None and plan.batch_status in ("completed", "cancelled")

    def _update_buttons(self) -> None:
        plan = self.plan
        if plan is None:
            return
        reason = bool(self.reason.text().strip())
        consent = not plan.removed or (self.allow_removals.isChecked() and reason)
        changes = bool(plan.added or plan.removed or plan.changed)
        allowed = consent and (reason or not changes or not self._closed())
        self.import_button.setEnabled(not plan.errors and bool(plan.rows) and allowed)
        self.valid_button.setEnabled(bool(plan.errors) and plan.valid > 0 and allowed)

    def layout_chosen(self) -> Layout:
        return self.mapping.chosen()

    def _confirm(self, skip_invalid: bool) -> None:
        if self.plan is not None:
            self.confirmed.emit(
                self.plan, skip_invalid, self.allow_removals.isChecked(), self.reason.text().strip()
            )
