"""开支标准: the jurisdictions' spending rules, shown and edited in the settings page.

The packs on the left; the chosen pack on the right with its name, notes and a table of its rules (类别, 数额,
方式, 有效期起, 有效期至, 依据, 备注), rows added and removed, saved with the pack as one write
(:mod:`recuperation.services.spending`).  An amount is yuan (600 or 600.00) for the caps and insurance minimums
and days for the most days; a date is 2020-01-01 or empty (open).  What the table cannot read is said in one
dialog naming the row and the column; what the service refuses (a rule without its source, overlapping rules)
likewise, naming the rule.  A reload (another desk's change) keeps unsaved edits.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.errors import StaleEditError
from recuperation.money import MoneyError, yuan_text
from recuperation.services import spending as service
from recuperation.services.register_cells import CellError, to_date
from recuperation.services.spending import PackInput, RuleInput
from ui import labels, operations
from ui.desk import Desk
from ui.i18n import sort_text
from ui.widgets import dialogs, rights
from ui.widgets.fit import wrapping

#: The rule table's columns.
KIND, AMOUNT, MODE, FROM, TO, SOURCE, NOTES = range(7)


class CellProblem(ValueError):
    """A cell of the rules table that cannot be read: its row and column, and what is wrong."""

    def __init__(self, row: int, column: int, message: str):
        super().__init__(message)
        self.row, self.column, self.message = row, column, message


class RulesTable(QTableWidget):
    """A pack's rules, one row a rule: the kind and the mode chosen, the rest typed."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 7, parent)
        self.setObjectName("spending_rules")
        self.setHorizontalHeaderLabels(
            [
                self.tr("类别"),
                self.tr("数额"),
                self.tr("方式"),
                self.tr("有效期起"),
                self.tr("有效期至"),
                self.tr("依据"),
                self.tr("备注"),
            ]
        )
        tips = {
            AMOUNT: self.tr("上限和保额下限填金额（元），如 600 或 1,000,000；天数上限填天数，如 5。"),
            FROM: self.tr("如 2020-01-01；留空表示不限。"),
            TO: self.tr("如 2025-12-31；留空表示不限。"),
            SOURCE: self.tr("必填：文件名称、文号和条文。"),
        }
        for column, tip in tips.items():
            item = self.horizontalHeaderItem(column)
            if item is not None:
                item.setToolTip(tip)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SOURCE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((KIND, 176), (AMOUNT, 96), (MODE, 70), (FROM, 92), (TO, 92), (NOTES, 80)):
            self.setColumnWidth(column, width)
        self.verticalHeader().setDefaultSectionSize(28)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        self.setMinimumHeight(170)
        self.itemChanged.connect(lambda _item: self.edited.emit())
        self.read_only = ""  # why the rules cannot be changed here ("" when they can)

    def set_read_only(self, reason: str) -> None:
        """The rules are shown, not changed (``reason``: who lacks which right)."""
        self.read_only = reason
        rights.freeze(self, reason)

    def _combo(self, choices: dict[str, str], value: str) -> QComboBox:
        combo = QComboBox()
        for code, text in choices.items():
            combo.addItem(text, code)
        combo.setCurrentIndex(max(combo.findData(value), 0))
        combo.setToolTip(combo.currentText())
        combo.currentIndexChanged.connect(
            lambda _i: (combo.setToolTip(combo.currentText()), self.edited.emit())
        )
        return combo

    def add_rule(self, rule: Any = None) -> int:
        """Append a row (``rule``: a RuleRow or RuleInput, None for an empty day cap); returns its index."""
        blocked = self.blockSignals(True)
        row = self.rowCount()
        self.insertRow(row)
        kind = rule.kind if rule is not None else "day_cap"
        self.setCellWidget(row, KIND, self._combo(labels.rule_kinds(), kind))
        self.setCellWidget(row, MODE, self._combo(labels.rule_modes(), rule.mode if rule else "warn"))
        if self.read_only:
            for column in (KIND, MODE):
                rights.freeze(self.cellWidget(row, column), self.read_only)
        amount = ""
        if rule is not None:
            amount = str(rule.amount) if kind in service.DAY_KINDS else yuan_text(rule.amount)
        values = {
            AMOUNT: amount,
            FROM: rule.valid_from.isoformat() if rule is not None and rule.valid_from else "",
            TO: rule.valid_to.isoformat() if rule is not None and rule.valid_to else "",
            SOURCE: rule.source if rule is not None else "",
            NOTES: rule.notes if rule is not None else "",
        }
        for column, text in values.items():
            item = QTableWidgetItem(text)
            if column == AMOUNT:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == SOURCE:
                item.setToolTip(text)
            self.setItem(row, column, item)
        self.blockSignals(blocked)
        self.edited.emit()
        return row

    def set_rules(self, rules: Any) -> None:
        blocked = self.blockSignals(True)
        self.setRowCount(0)
        for rule in rules:
            self.add_rule(rule)
        self.blockSignals(blocked)

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.selectedIndexes()}, reverse=True)
        if not rows and self.currentRow() >= 0:
            rows = [self.currentRow()]
        for row in rows:
            self.removeRow(row)
        self.edited.emit()

    def choice(self, row: int, column: int) -> str:
        combo = self.cellWidget(row, column)
        assert isinstance(combo, QComboBox)
        return str(combo.currentData())

    def set_choice(self, row: int, column: int, code: str) -> None:
        combo = self.cellWidget(row, column)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(code))

    def text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text().strip() if item is not None else ""

    def set_text(self, row: int, column: int, text: str) -> None:
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            self.setItem(row, column, item)
        item.setText(text)

    def snapshot(self) -> list[tuple[str, ...]]:
        """What the table shows, to tell whether it was edited."""
        return [
            (
                self.choice(r, KIND),
                self.choice(r, MODE),
                *(self.text(r, c) for c in (AMOUNT, FROM, TO, SOURCE, NOTES)),
            )
            for r in range(self.rowCount())
        ]

    def rules(self) -> tuple[RuleInput, ...]:
        """The rows as rules, or CellProblem for the first cell that cannot be read."""
        found = []
        for row in range(self.rowCount()):
            kind = self.choice(row, KIND)
            amount_text = self.text(row, AMOUNT)
            if not amount_text:
                raise CellProblem(row, AMOUNT, self.tr("请填写数额。"))
            if kind in service.DAY_KINDS:
                digits = amount_text.removesuffix("天").strip()
                if not digits.isdecimal() or len(digits) > 6:
                    raise CellProblem(row, AMOUNT, self.tr("天数应为正整数，如 5。"))
                amount = int(digits)
            else:
                try:
                    amount = service.read_yuan(amount_text)
                except MoneyError as exc:
                    said = (
                        exc.message()
                        if exc.key == "money.above_most"  # a number, too large: the limit is said
                        else self.tr("“{0}”不是金额：请以元填写，最多两位小数，如 600 或 600.50。").format(
                            amount_text
                        )
                    )
                    raise CellProblem(row, AMOUNT, said) from None
            days = []
            for column in (FROM, TO):
                text = self.text(row, column)
                try:
                    days.append(to_date(text) if text else None)
                except CellError:
                    raise CellProblem(
                        row, column, self.tr("“{0}”不是日期：请写成 2020-01-01，或留空。").format(text)
                    ) from None
            found.append(
                RuleInput(
                    kind,
                    amount,
                    self.choice(row, MODE),
                    days[0],
                    days[1],
                    self.text(row, SOURCE),
                    self.text(row, NOTES),
                )
            )
        return tuple(found)


class SpendingPanel(QWidget):
    """The packs of spending rules: a list, and the chosen pack's editor."""

    changed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.busy = 0
        self.loaded_once = False
        self.packs: list[service.PackRow] = []
        self.current: service.PackRow | None = None  # the pack in the editor; None: a new one
        self.baseline: tuple[Any, ...] = ()

        self.list = QListWidget()
        self.list.setObjectName("spending_packs")
        self.list.setMaximumWidth(200)
        self.list.currentItemChanged.connect(self._chosen)
        self.new_button = QPushButton(self.tr("新建"))
        self.new_button.clicked.connect(self.new_pack)
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.clicked.connect(self.delete_pack)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.delete_button)
        left.addLayout(list_buttons)

        self.name = QLineEdit()
        self.name.setObjectName("pack_name")
        self.name.setMaxLength(120)
        self.name.setPlaceholderText(self.tr("如：浙江省·杭州市"))
        self.notes = QLineEdit()
        self.notes.setObjectName("pack_notes")
        self.notes.setMaxLength(4000)
        self.members = wrapping(QLabel())
        self.members.setStyleSheet("color: #555;")
        self.table = RulesTable()
        self.add_button = QPushButton(self.tr("添加规则"))
        self.add_button.clicked.connect(lambda: self._add_row())
        self.remove_button = QPushButton(self.tr("删除所选规则"))
        self.remove_button.clicked.connect(self.table.remove_selected)
        self.save_button = QPushButton(self.tr("保存开支标准"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("撤销修改"))
        self.revert_button.clicked.connect(self.revert)
        for signal in (self.name.textEdited, self.notes.textEdited):
            signal.connect(lambda _text: self._update_buttons())
        self.table.edited.connect(self._update_buttons)

        form = QFormLayout()
        form.addRow(self.tr("名称"), self.name)
        form.addRow(self.tr("备注"), self.notes)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.members)
        right.addWidget(self.table, 1)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        # the spending rules are 财务's; anyone reads them
        access = desk.access
        self.allowed = rights.allow_all(
            (self.new_button, self.delete_button, self.add_button, self.remove_button, self.save_button),
            access,
            "money",
        )
        if not self.allowed:
            for edit in (self.name, self.notes):
                rights.freeze(edit, access.why_not("money"))
            self.table.set_read_only(access.why_not("money"))
        self.show_pack(None)

    # --- loading ------------------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        """Read the packs on the worker; the editor keeps unsaved edits (a reload after another desk's change)."""
        db = self.desk.db
        keep = select_id if select_id is not None else (self.current.id if self.current else None)
        operations.run(self, lambda: service.list_packs(db), lambda packs: self._show_packs(packs, keep))

    def _show_packs(self, packs: list[service.PackRow], keep: int | None) -> None:
        packs = sorted(
            packs, key=lambda p: sort_text(p.name)
        )  # 杭州 before 宁波, as a Chinese reader expects
        self.packs = packs
        dirty = self.is_dirty()
        blocked = self.list.blockSignals(True)
        self.list.clear()
        for pack in packs:
            item = QListWidgetItem(pack.name)
            item.setData(Qt.ItemDataRole.UserRole, pack.id)
            self.list.addItem(item)
            if pack.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(blocked)
        self.loaded_once = True
        found = next((p for p in packs if p.id == keep), None)
        if dirty:
            if found is not None:
                self.current = found  # the newer version is what a save is compared with
            self._update_buttons()
            return
        if found is None and packs and keep is None:
            found = packs[0]
            self.list.setCurrentRow(0)
        self.show_pack(found)

    def _chosen(self, item: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        if item is None:
            return
        pack = next((p for p in self.packs if p.id == item.data(Qt.ItemDataRole.UserRole)), None)
        if self.current is not None and pack is not None and pack.id == self.current.id:
            return
        if not self.maybe_leave():
            blocked = self.list.blockSignals(True)
            self.list.setCurrentItem(previous)
            self.list.blockSignals(blocked)
            return
        self.show_pack(pack)

    def show_pack(self, pack: service.PackRow | None) -> None:
        """Show ``pack`` in the editor (None: an empty new pack); the editor is clean afterwards."""
        self.current = pack
        self.name.setText(pack.name if pack else "")
        self.notes.setText(pack.notes if pack else "")
        self.table.set_rules(pack.rules if pack else ())
        if pack is None:
            self.members.setText(self.tr("新的开支标准：填写名称和规则后保存。"))
        elif pack.partners:
            self.members.setText(
                self.tr("属于这一标准的合作单位：{0}").format(messages.join(list(pack.partners)))
            )
        else:
            self.members.setText(self.tr("还没有合作单位属于这一标准（在“合作协议”页的合作单位中选择）。"))
        self.baseline = self.state()
        self._update_buttons()

    # --- editing ------------------------------------------------------------------------------------------

    def state(self) -> tuple[Any, ...]:
        return (self.name.text().strip(), self.notes.text().strip(), self.table.snapshot())

    def is_dirty(self) -> bool:
        return self.state() != self.baseline

    def _update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty and self.busy == 0)
        self.revert_button.setEnabled(dirty)
        self.delete_button.setEnabled(self.current is not None and not dirty)
        self.remove_button.setEnabled(self.table.rowCount() > 0)
        self.changed.emit()

    def _add_row(self) -> None:
        row = self.table.add_rule()
        self.table.setCurrentCell(row, AMOUNT)
        self.table.editItem(self.table.item(row, AMOUNT))

    def new_pack(self) -> None:
        if not self.allowed or not self.maybe_leave():
            return
        blocked = self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentItem(None)  # type: ignore[arg-type]
        self.list.blockSignals(blocked)
        self.show_pack(None)
        self.name.setFocus()

    def revert(self) -> None:
        self.show_pack(self.current)

    def maybe_leave(self) -> bool:
        """Unsaved edits: save, drop or stay."""
        if not self.is_dirty():
            return True
        answer = dialogs.ask(
            self,
            self.tr("未保存的修改"),
            self.tr("开支标准“{0}”有未保存的修改。是否保存？").format(
                self.name.text().strip() or self.tr("新建")
            ),
            dialogs.Button.Save | dialogs.Button.Discard | dialogs.Button.Cancel,
            dialogs.Button.Save,
        )
        if answer == dialogs.Button.Cancel:
            return False
        if answer == dialogs.Button.Save:
            self.save()
            return False  # the save is on its way: stay until it has landed
        self.show_pack(self.current)
        return True

    def save(self) -> None:
        if not self.allowed:
            return
        try:
            rules = self.table.rules()
        except CellProblem as problem:
            self.table.setCurrentCell(problem.row, problem.column)
            header = self.table.horizontalHeaderItem(problem.column)
            dialogs.warn(
                self,
                self.tr("不能保存开支标准"),
                self.tr("第 {0} 条规则的“{1}”：{2}").format(
                    problem.row + 1, header.text() if header else "", problem.message
                ),
            )
            return
        data = PackInput(self.name.text().strip(), self.notes.text().strip(), rules)
        db, current = self.desk.db, self.current

        def job() -> service.PackRow:
            if current is None:
                return service.create_pack(db, data)
            return service.update_pack(db, current.id, current.version, data)

        def done(saved: service.PackRow) -> None:
            self.current = saved
            self.show_pack(saved)
            self.desk.status.emit(self.tr("开支标准已保存：{0}").format(saved.name))
            self.refresh(select_id=saved.id)

        def failed(exc: BaseException) -> None:
            self._update_buttons()
            index = getattr(exc, "params", {}).get("rule")
            if isinstance(index, int) and 0 <= index < self.table.rowCount():
                self.table.setCurrentCell(
                    index,
                    {"source": SOURCE, "valid_to": TO, "valid_from": FROM}.get(
                        getattr(exc, "field", "") or "", AMOUNT
                    ),
                )
            if isinstance(exc, StaleEditError):
                dialogs.warn(self, self.tr("不能保存开支标准"), exc.message)
                return
            operations.show_failure(self, exc, self.tr("不能保存开支标准"))

        operations.run(self, job, done, failed=failed)
        self._update_buttons()

    def delete_pack(self) -> None:
        pack = self.current
        if pack is None or not self.allowed:
            return
        question = self.tr("删除开支标准“{0}”及其 {1} 条规则吗？").format(pack.name, len(pack.rules))
        if dialogs.ask(self, self.tr("删除开支标准"), question) != dialogs.Button.Yes:
            return
        db = self.desk.db

        def done(_result: Any) -> None:
            self.current = None
            self.show_pack(None)
            self.refresh()

        operations.run(
            self,
            lambda: service.delete_pack(db, pack.id, pack.version),
            done,
            title=self.tr("不能删除开支标准"),
        )

    def select(self, name: str) -> bool:
        """Choose the pack named ``name`` (tests, and a link from elsewhere)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item is not None and item.text() == name:
                self.list.setCurrentItem(item)
                return True
        return False
