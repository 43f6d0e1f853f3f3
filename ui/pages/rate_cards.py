"""价目表 on the base page: the selected base's rate cards and their prices, the card editor, a card copied to
the next year, and the rate card workbook's import (its findings shown before anything is written) and export.

Every read and write runs on the desk's worker (``ui/operations.py``).  A card is saved through
``services/rates.py`` (:func:`~recuperation.services.rates.create_card`, :func:`~recuperation.services.rates.
update_card`), which checks it whole and refuses a card overlapping another of its base: the refusal is shown at
the field or the line it names and the dialog keeps what was typed.  A card changed at another desk since it
was opened is refused as stale and may be reloaded.  Prices are typed as yuan and read exactly
(:func:`recuperation.money.parse_yuan`), never through a float.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.errors import DomainError, StaleEditError
from recuperation.models import RateKind, RateUnit, RoomType
from recuperation.money import MoneyError, parse_rate_bp, parse_yuan, rate_text, yuan_text
from recuperation.services import rates
from recuperation.services.partners import normalise_uscc
from ui import labels, operations
from ui.desk import Desk
from ui.i18n import date_format, format_date, is_chinese, sort_text
from ui.widgets import dialogs, rights
from ui.widgets.fit import FlowLayout, fit_to_screen, wrapping
from ui.widgets.form import Field, FormView
from ui.widgets.import_preview import ImportPreview
from ui.widgets.table import BAD, GOOD, ROW_ROLE, Column, RowTableModel, table_view

#: The lines grid's columns.
KIND, ITEM, SEASON, PRICE, UNIT, NOTES = range(6)
_COLUMN_OF_FIELD = {
    "kind": KIND,
    "item": ITEM,
    "first_day": SEASON,
    "last_day": SEASON,
    "unit_price": PRICE,
    "unit": UNIT,
    "notes": NOTES,
}
_MARKED = "background: #f8d7da;"
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


# -- what the view and the dialog compute (no widget) -------------------------------------------------------------


def shift_year(day: dt.date) -> dt.date:
    """The same day a year later; the last day of a month stays the last (28 February 2023 → 29 February 2024,
    29 February 2024 → 28 February 2025), so a card to the end of February ends there again."""
    year = day.year + 1
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return dt.date(year, day.month, calendar.monthrange(year, day.month)[1])
    return dt.date(year, day.month, day.day)


def next_year_name(name: str, year: int) -> str:
    """A card's name for its copy a year on: every year in it one later (“2025年协议价” → “2026年协议价”,
    “2025-2026年度” → “2026-2027年度”), else the new year added (“协议价” → “协议价 2026”)."""
    if _YEAR.search(name):
        return _YEAR.sub(lambda m: str(int(m.group()) + 1), name)
    return f"{name} {year}"


def next_year_copy(card: rates.CardRow) -> rates.CardInput:
    """``card`` for the next period: its validity and each season a year later (:func:`shift_year`), its name
    with the year moved on, its invoice details, tax rate and prices as they are (the coordinator checks them
    against the base's new offer before saving)."""
    data = card.as_input()
    start = shift_year(card.valid_from)
    return replace(
        data,
        name=next_year_name(card.name, start.year),
        valid_from=start,
        valid_to=shift_year(card.valid_to),
        lines=tuple(
            replace(
                line,
                first_day=shift_year(line.first_day) if line.first_day else None,
                last_day=shift_year(line.last_day) if line.last_day else None,
            )
            for line in data.lines
        ),
    )


def today() -> dt.date:
    """The day a new card is proposed from (tests set it)."""
    return dt.date.today()


def new_card_input(
    base_id: int, cards: Sequence[rates.CardRow], today: dt.date, name: str
) -> rates.CardInput:
    """A new card's starting values: the year ahead from 1 January when ``today`` is in the last quarter (bases
    send next year's prices in the autumn) or a card already covers this whole year, else this year from 1
    January; from the day after the base's last card ends when that is later; for a year, with the last card's
    invoice details and tax rate — a base's bank and credit code rarely change.  ``name`` has ``{0}`` for the
    year."""
    latest = max(cards, key=lambda c: c.valid_to, default=None)
    year = today.year
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if today.month >= 10 or any(c.valid_from <= first and c.valid_to >= last for c in cards):
        year += 1
    start = dt.date(year, 1, 1)
    if latest is not None and latest.valid_to >= start:
        start = latest.valid_to + dt.timedelta(days=1)
    end = shift_year(start) - dt.timedelta(days=1)
    if latest is None:
        return rates.CardInput(base_id, name.format(start.year), start, end)
    return rates.CardInput(
        base_id,
        name.format(start.year),
        start,
        end,
        latest.invoice_title,
        latest.uscc,
        latest.bank_name,
        latest.bank_account,
        latest.tax_bp,
    )


def span_text(first: dt.date, last: dt.date) -> str:
    """Two days as a span, the year said once when both fall in it: 2021年7月1日–8月31日, 1 Jul–31 Aug 2021."""
    if first.year != last.year:
        return f"{format_date(first)}–{format_date(last)}"
    if is_chinese():
        return f"{format_date(first)}–{messages.day_text(last, year=False)}"
    return f"{first.day} {first:%b}–{last.day} {last:%b} {last.year}"


def price_text(fen: int) -> str:
    return f"¥{yuan_text(fen)}"


#: The most a column of the card list and of the price list takes before it is cut with “…” (its last column
#: takes what is left of the tab).
CARDS_MOST = (130, 180, 70, 70)
LINES_MOST = (120, 170, 100, 170)


def fit_to_contents(view: QTableView, most: Sequence[int]) -> None:
    """Each column but the last as wide as its header and its cells, up to ``most`` (never narrower than its
    header); the last one stretches over the rest.  Called when the rows change: the table fits a narrow tab
    (1366×768) instead of scrolling sideways, and a column of short texts leaves its room to the notes."""
    header = view.horizontalHeader()
    for column, widest in enumerate(most[: header.count() - 1]):
        view.resizeColumnToContents(column)
        view.setColumnWidth(
            column, max(min(view.columnWidth(column), widest), header.sectionSizeHint(column))
        )


# -- the tab ------------------------------------------------------------------------------------------------------


class RateCardsView(QWidget):
    """A base's rate cards, the prices of the selected one, and what can be done with them."""

    changed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.base: Any = None
        self.selected_id: int | None = None
        self.busy = 0
        self.dialog: RateCardDialog | None = None
        self.preview: RatesImportDialog | None = None
        kinds, units = labels.rate_kinds(), labels.rate_units()
        # Each table fits the tab at 1366×768 in both languages: its columns as wide as what they show (up to
        # ``*_MOST``), the last one (the invoicing unit, the notes) the rest, cut with “…” and whole in its
        # tooltip; the card valid today is the one whose validity is green.
        self.cards = RowTableModel(
            [
                Column(self.tr("名称"), lambda c: c.name, width=100),
                Column(
                    self.tr("有效期"),
                    lambda c: span_text(c.valid_from, c.valid_to),
                    sort=lambda c: c.valid_from.isoformat(),
                    background=lambda c: GOOD if c.valid_on(dt.date.today()) else None,
                    tooltip=self.validity_tip,
                    width=140,
                ),
                Column(self.tr("价格数"), lambda c: len(c.lines), right=True, fits=["99"]),
                Column(self.tr("税率"), lambda c: rate_text(c.tax_bp), right=True, fits=["13%", "1.5%"]),
                Column(self.tr("开票单位"), lambda c: c.invoice_title, width=80),
            ]
        )
        self.shown_card: rates.CardRow | None = None  # the card whose prices are listed
        self.lines = RowTableModel(
            [
                # the item says its kind (标准间, 早餐, 会议室（半天）); the tooltip names it
                Column(
                    self.tr("项目"),
                    lambda li: rates.item_label(li.kind, li.item),
                    tooltip=lambda li: self.tr("{0}：{1}", "a price's kind and item").format(
                        kinds.get(li.kind, li.kind), rates.item_label(li.kind, li.item)
                    ),
                    width=80,
                ),
                Column(self.tr("季节"), self.season_text, width=80),
                Column(self.tr("单价"), lambda li: price_text(li.price_fen), right=True, fits=["¥1,280.00"]),
                Column(
                    self.tr("计价单位"), lambda li: units.get(li.unit, li.unit), fits=list(units.values())
                ),
                Column(self.tr("备注"), lambda li: li.notes, tooltip=lambda li: li.notes),
            ]
        )
        self.card_view = table_view(self.cards, rows=True)
        self.card_view.selectionModel().currentRowChanged.connect(self._card_selected)
        self.card_view.doubleClicked.connect(lambda _index: self.edit_card())
        self.line_view = table_view(self.lines, rows=True)
        for view in (self.card_view, self.line_view):  # the last column takes what the others leave, no more
            view.horizontalHeader().setStretchLastSection(False)
            view.horizontalHeader().setSectionResizeMode(
                view.model().columnCount() - 1, QHeaderView.ResizeMode.Stretch
            )

        self.new_button = QPushButton(self.tr("新建价目表…"))
        self.new_button.clicked.connect(self.new_card)
        self.edit_button = QPushButton(self.tr("编辑…"))
        self.edit_button.clicked.connect(self.edit_card)
        self.copy_button = QPushButton(self.tr("复制为新一年…"))
        self.copy_button.setToolTip(
            self.tr("以所选价目表为底稿新建下一年的价目表：有效期和各季节顺延一年，价格可在保存前修改。")
        )
        self.copy_button.clicked.connect(self.copy_card)
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.clicked.connect(self.delete_card)
        self.import_button = QPushButton(self.tr("导入…"))
        self.import_button.setToolTip(
            self.tr("从 Excel 工作簿导入价目表：先列出将要做的修改和错误，确认后才写入。")
        )
        self.import_button.clicked.connect(self.choose_import)
        self.export_button = QPushButton(self.tr("导出…"))
        self.export_button.setToolTip(self.tr("导出为 Excel 工作簿，修改后可再导入。"))
        menu = QMenu(self.export_button)
        menu.addAction(self.tr("本基地的价目表…"), lambda: self.export_cards(all_bases=False))
        menu.addAction(self.tr("全部基地的价目表…"), lambda: self.export_cards(all_bases=True))
        self.export_button.setMenu(menu)
        actions = FlowLayout()
        for button in (
            self.new_button,
            self.edit_button,
            self.copy_button,
            self.delete_button,
            self.import_button,
            self.export_button,
        ):
            actions.addWidget(button)
        # the prices are 财务's; anyone reads them (the lines under the list) and exports them
        self.allowed = rights.allow_all(
            (self.new_button, self.edit_button, self.copy_button, self.delete_button, self.import_button),
            desk.access,
            "money",
        )

        self.details = wrapping(QLabel())
        self.details.setObjectName("card_details")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lines_caption = QLabel(self.tr("价格（含税）"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.card_view, 2)
        layout.addLayout(actions)
        layout.addWidget(self.details)
        layout.addWidget(self.lines_caption)
        layout.addWidget(self.line_view, 3)
        self._update_buttons()

    # --- loading ------------------------------------------------------------------------------------------------

    def set_base(self, base: Any) -> None:
        if base is None or self.base is None or base.id != self.base.id:
            self.selected_id = None  # another base: start from its card valid today
        self.base = base
        if base is None:
            self.cards.set_rows([])
            self._show_card(None)
            return
        self.reload()

    def reload(self, select: int | None = None) -> None:
        if self.base is None:
            return
        if select is not None:
            self.selected_id = select
        base_id, db = self.base.id, self.desk.db

        def done(rows: list[rates.CardRow]) -> None:
            if self.base is None or self.base.id != base_id:
                return  # another base was chosen meanwhile: its own reload shows its cards
            self.cards.set_rows(rows)
            fit_to_contents(self.card_view, CARDS_MOST)
            today = dt.date.today()
            row = self.cards.row_for_key(self.selected_id) if self.selected_id is not None else -1
            if row < 0 and rows:
                row = next((i for i, c in enumerate(rows) if c.valid_on(today)), len(rows) - 1)
            if row >= 0:
                index = self.card_view.model().mapFromSource(self.cards.index(row, 0))
                self.card_view.selectRow(index.row())
                self._card_selected()
            else:
                self._show_card(None)

        def failed(exc: BaseException) -> None:
            self.cards.set_rows([])  # never another base's cards under this one
            self._show_card(None)
            operations.show_failure(self, exc)

        operations.run(self, lambda: rates.list_cards(db, base_id), done, failed=failed)

    def current(self) -> rates.CardRow | None:
        index = self.card_view.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _card_selected(self, *_args: object) -> None:
        card = self.current()
        if card is not None:
            self.selected_id = card.id
        self._show_card(card)

    def validity_tip(self, card: rates.CardRow) -> str:
        return self.tr("今日有效") if card.valid_on(dt.date.today()) else ""

    def season_text(self, line: rates.LineRow) -> str:
        """A price's season: 整个有效期, or its days, without the year when the card lies in one year (the list
        above says it): 7月1日–8月31日, 1 Jul–31 Aug."""
        first, last, card = line.first_day, line.last_day, self.shown_card
        if first is None or last is None:
            return self.tr("整个有效期")
        if card is None or not card.valid_from.year == card.valid_to.year == first.year == last.year:
            return span_text(first, last)
        if is_chinese():
            return f"{messages.day_text(first, year=False)}–{messages.day_text(last, year=False)}"
        return f"{first.day} {first:%b}–{last.day} {last:%b}"

    def _show_card(self, card: rates.CardRow | None) -> None:
        self.shown_card = card
        self.lines.set_rows(list(card.lines) if card is not None else [])
        fit_to_contents(self.line_view, LINES_MOST)
        self.details.setText(self.details_text(card) if card is not None else "")
        self.details.setVisible(card is not None)
        self._update_buttons()

    def details_text(self, card: rates.CardRow) -> str:
        none = self.tr("未填")
        text = self.tr("开票单位：{0}　统一社会信用代码：{1}\n开户银行：{2}　账号：{3}").format(
            card.invoice_title or none, card.uscc or none, card.bank_name or none, card.bank_account or none
        )
        if card.notes:
            text += "\n" + self.tr("备注：{0}").format(card.notes)
        return text

    def _update_buttons(self) -> None:
        has_base, has_card = self.base is not None, self.current() is not None
        for button in (self.new_button, self.import_button, self.export_button):
            button.setEnabled(has_base)
        for button in (self.edit_button, self.copy_button, self.delete_button):
            button.setEnabled(has_card)

    def known_items(self) -> dict[str, list[str]]:
        """The items the base's cards name beyond the room types and meals (江景房, 会议室（半天）), by kind:
        what the line editor offers besides them."""
        found: dict[str, set[str]] = {kind.value: set() for kind in RateKind}
        for card in self.cards.rows:
            for line in card.lines:
                if line.kind == RateKind.ROOM.value and line.item in RoomType.values():
                    continue
                if line.kind != RateKind.MEAL.value:
                    found[line.kind].add(line.item)
        return {kind: sorted(items, key=sort_text) for kind, items in found.items()}

    # --- the card dialog -------------------------------------------------------------------------------------

    def _open(self, dialog: RateCardDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.saved.connect(self._saved)
        dialog.open()

    def new_card(self) -> None:
        base = self.base
        if base is None or not self.allowed:
            return
        data = new_card_input(base.id, self.cards.rows, today(), self.tr("{0}年价目表"))
        blank: list[tuple[str, str, str]] = []
        if getattr(base, "beds", 0):
            room = RateUnit.PER_ROOM_NIGHT.value
            blank += [("room", RoomType.TWIN.value, room), ("room", RoomType.SINGLE.value, room)]
        if getattr(base, "dining_seats", 0):
            blank += [("meal", meal, RateUnit.PER_PERSON.value) for meal in rates.MEALS]
        title = self.tr("新建价目表：{0}").format(base.name)
        self._open(RateCardDialog(self, base, data, None, self.known_items(), title, blank=blank))

    def edit_card(self) -> None:
        card = self.current()
        if card is None or self.base is None or not self.allowed:
            return
        title = self.tr("编辑价目表：{0}").format(card.name)
        self._open(RateCardDialog(self, self.base, card.as_input(), card, self.known_items(), title))

    def copy_card(self) -> None:
        card = self.current()
        if card is None or self.base is None or not self.allowed:
            return
        title = self.tr("复制为新一年：{0}").format(card.name)
        note = self.tr(
            "有效期和各季节已顺延一年，价格和开票信息照旧：请按基地新一年的报价核对后保存（保存时新建一份价目表，"
            "原价目表不变）。"
        )
        data = next_year_copy(card)
        self._open(RateCardDialog(self, self.base, data, None, self.known_items(), title, note=note))

    def _saved(self, card: rates.CardRow) -> None:
        self.desk.status.emit(self.tr("已保存价目表：{0} {1}").format(card.base, card.name))
        self.changed.emit()
        self.reload(select=card.id)

    def delete_card(self) -> None:
        card = self.current()
        if card is None or not self.allowed:
            return
        question = self.tr(
            "确定删除基地“{0}”的价目表“{1}”（{2}，价格 {3} 行）吗？此操作不能撤销，它的价格保留在操作日志中。"
        ).format(card.base, card.name, span_text(card.valid_from, card.valid_to), len(card.lines))
        if dialogs.ask(self, self.tr("删除价目表"), question) != dialogs.Button.Yes:
            return
        db = self.desk.db

        def done(_result: object) -> None:
            self.desk.status.emit(self.tr("已删除价目表：{0} {1}").format(card.base, card.name))
            self.selected_id = None
            self.changed.emit()
            self.reload()

        def failed(exc: BaseException) -> None:
            operations.show_failure(self, exc, self.tr("不能删除价目表"))
            if isinstance(exc, DomainError):
                self.reload()  # changed or gone at another desk: show it as it is now

        operations.run(self, lambda: rates.delete_card(db, card.id, card.version), done, failed=failed)

    # --- the workbook -------------------------------------------------------------------------------------------

    def choose_import(self) -> None:
        if not self.allowed:
            return
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择价目表工作簿"),
            "",
            self.tr("Excel 工作簿 (*.xlsx *.xlsm *.xlsb *.xls *.ods);;所有文件 (*)"),
        )
        if name:
            self.start_import(Path(name))

    def start_import(self, path: Path) -> None:
        """Read and check ``path`` on the worker (nothing is written) and show what importing it would do."""
        db = self.desk.db

        def plan() -> Any:
            from recuperation.rates_workbook import plan_rates  # the workbook readers load when first used

            return plan_rates(db, path)

        def done(result: Any) -> None:
            if self.preview is not None:
                self.preview.close()
            preview = RatesImportDialog(self, path)
            preview.confirmed.connect(self.apply_import)
            preview.finished.connect(lambda _code: self._preview_closed(preview))
            self.preview = preview
            preview.show_plan(result)
            preview.show()

        operations.run(self, plan, done, title=self.tr("无法导入价目表"))

    def _preview_closed(self, preview: RatesImportDialog) -> None:
        if self.preview is preview:
            self.preview = None

    def apply_import(self, plan: Any) -> None:
        db = self.desk.db

        def apply() -> Any:
            from recuperation.rates_workbook import apply_rates

            return apply_rates(db, plan)

        def done(result: Any) -> None:
            if self.preview is not None:
                self.preview.accept()
            self.desk.status.emit(
                messages.text(
                    "rates.done",
                    cards=len(plan.cards),
                    lines=plan.line_rows,
                    new=result.new,
                    changed=result.changed,
                    unchanged=result.unchanged,
                )
            )
            self.changed.emit()
            self.reload()

        def failed(exc: BaseException) -> None:
            operations.show_failure(self, exc, self.tr("无法导入价目表"))
            if self.preview is not None:
                self.preview.close()  # the file is read again when imported again: another desk may have written

        operations.run(self, apply, done, failed=failed)

    def export_cards(self, all_bases: bool = False) -> None:
        """Write this base's cards (or every base's) to a workbook the user names, on the worker."""
        base = self.base
        if base is None and not all_bases:
            return
        suggested = (
            self.tr("价目表-全部基地.xlsx")
            if all_bases or base is None
            else self.tr("价目表-{0}.xlsx").format(base.name)
        )
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出价目表"), suggested, self.tr("Excel 工作簿 (*.xlsx)")
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        db, which = self.desk.db, None if all_bases or base is None else base.name

        def export() -> Any:
            from recuperation.rates_workbook import export_rates

            return export_rates(db, path, which)

        def done(result: Any) -> None:
            self.desk.status.emit(
                messages.text("rates.exported", cards=result.cards, lines=result.lines, path=result.path)
            )

        operations.run(self, export, done, title=self.tr("无法导出价目表"))


# -- the card dialog ------------------------------------------------------------------------------------------


class SeasonCell(QWidget):
    """A line's season in one cell: unticked, the price holds for the card's whole validity; ticked, from the
    first to the last day shown (the card's validity to begin with)."""

    changed = Signal()

    def __init__(
        self,
        first: dt.date | None,
        last: dt.date | None,
        default: Callable[[], tuple[dt.date, dt.date]],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.default = default
        self.check = QCheckBox(self.tr("季节"))
        self.check.setToolTip(
            self.tr("勾选后这一价格只在所填日期内适用，替代整个有效期的价格（如暑期房价）。")
        )
        self.whole = QLabel(self.tr("整个有效期"))
        self.whole.setStyleSheet("color: #6c757d;")
        self.first, self.last = self._date_edit(), self._date_edit()
        self.dash = QLabel("–")
        box = QHBoxLayout(self)
        box.setContentsMargins(4, 0, 4, 0)
        box.setSpacing(4)
        for widget in (self.check, self.whole, self.first, self.dash, self.last):
            box.addWidget(widget)
        box.addStretch(1)
        if first is not None and last is not None:
            self.set_dates(first, last)
            self.check.setChecked(True)
        self.check.toggled.connect(self._toggled)
        self._arrange()

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(date_format())
        edit.dateChanged.connect(self.changed)
        return edit

    def set_dates(self, first: dt.date, last: dt.date) -> None:
        self.first.setDate(QDate(first.year, first.month, first.day))
        self.last.setDate(QDate(last.year, last.month, last.day))

    def _toggled(self, on: bool) -> None:
        if on:
            self.set_dates(*self.default())
        self._arrange()
        self.changed.emit()

    def _arrange(self) -> None:
        on = self.check.isChecked()
        self.whole.setVisible(not on)
        for widget in (self.first, self.dash, self.last):
            widget.setVisible(on)

    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        if not self.check.isChecked():
            return None, None
        return self.first.date().toPython(), self.last.date().toPython()


class LinesEditor(QWidget):
    """The card's prices as a grid to edit: kind and unit as choices, the item typed or chosen (the room types,
    the meals and what the base's cards already name), an optional season, the price typed in yuan."""

    changed = Signal()

    def __init__(
        self,
        items: dict[str, list[str]],
        default: Callable[[], tuple[dt.date, dt.date]],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.items = items
        self.default = default
        self.dirty = False
        self.read_rows: list[int] = []  # the grid row of each line read, in the order given to the service
        self._marked: QWidget | None = None
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("类别"),
                self.tr("项目"),
                self.tr("季节"),
                self.tr("单价（元）"),
                self.tr("计价单位"),
                self.tr("备注"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setSectionResizeMode(NOTES, QHeaderView.ResizeMode.Stretch)
        sample = SeasonCell(dt.date(2028, 9, 28), dt.date(2028, 12, 28), default)
        kind, unit = QComboBox(), QComboBox()
        kind.addItems(list(labels.rate_kinds().values()))
        unit.addItems(list(labels.rate_units().values()))
        for column, width in (
            (KIND, kind.sizeHint().width()),
            (ITEM, 150),
            (SEASON, sample.sizeHint().width() + 8),
            (PRICE, 96),
            (UNIT, unit.sizeHint().width()),
        ):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setDefaultSectionSize(max(sample.sizeHint().height(), 28) + 4)
        sample.deleteLater()
        self.add_button = QPushButton(self.tr("添加价格"))
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button = QPushButton(self.tr("删除这一行"))
        self.remove_button.clicked.connect(self.remove_line)
        self.error = wrapping(QLabel())
        self.error.setObjectName("lines_error")
        self.error.setStyleSheet("color: #b02a37;")
        self.error.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    # --- rows ---------------------------------------------------------------------------------------------------

    def cell(self, row: int, column: int) -> Any:
        return self.table.cellWidget(row, column)

    def row_count(self) -> int:
        return self.table.rowCount()

    def set_lines(self, lines: Sequence[Any], blank: Sequence[tuple[str, str, str]] = ()) -> None:
        """Show ``lines`` (LineInput or LineRow), or the ``blank`` (kind, item, unit) rows of a new card."""
        self.table.setRowCount(0)
        for line in lines:
            self.add_line(
                line.kind, line.item, line.unit, line.price_fen, line.first_day, line.last_day, line.notes
            )
        for kind, item, unit in blank:
            self.add_line(kind, item, unit)
        self.clear_error()
        self.dirty = False

    def _add_clicked(self) -> None:
        row = self.focused_row()
        kind = self.cell(row, KIND).currentData() if row >= 0 else RateKind.ROOM.value
        self.add_line(kind, at=row + 1 if row >= 0 else None)
        new = row + 1 if row >= 0 else self.table.rowCount() - 1
        self.table.selectRow(new)
        self.cell(new, ITEM).setFocus()

    def add_line(
        self,
        kind: str = RateKind.ROOM.value,
        item: str = "",
        unit: str | None = None,
        price_fen: int | None = None,
        first: dt.date | None = None,
        last: dt.date | None = None,
        notes: str = "",
        at: int | None = None,
    ) -> int:
        row = self.table.rowCount() if at is None else at
        self.table.insertRow(row)
        kinds = QComboBox()
        for value, label in labels.rate_kinds().items():
            kinds.addItem(label, value)
        kinds.setCurrentIndex(max(kinds.findData(kind), 0))
        what = QComboBox()
        what.setEditable(True)
        what.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        units = QComboBox()
        season = SeasonCell(first, last, self.default)
        price = QLineEdit("" if price_fen is None else yuan_text(price_fen))
        price.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        price.setPlaceholderText("0.00")
        remark = QLineEdit(notes)
        for column, widget in (
            (KIND, kinds),
            (ITEM, what),
            (SEASON, season),
            (PRICE, price),
            (UNIT, units),
            (NOTES, remark),
        ):
            self.table.setCellWidget(row, column, widget)
        self._offer(kinds, what, units, unit)
        what.setEditText(rates.item_label(kind, item) if item else "")
        kinds.currentIndexChanged.connect(lambda _i, k=kinds, w=what, u=units: self._kind_changed(k, w, u))
        what.editTextChanged.connect(self._edited)
        units.currentIndexChanged.connect(self._edited)
        season.changed.connect(self._edited)
        price.textChanged.connect(self._edited)
        remark.textChanged.connect(self._edited)
        self._edited()
        return row

    def _offer(self, kinds: QComboBox, what: QComboBox, units: QComboBox, unit: str | None) -> None:
        """The items and units a kind of line offers; the unit kept when the kind allows it."""
        kind = kinds.currentData()
        if kind == RateKind.ROOM.value:
            offered = list(labels.room_types().values())
        elif kind == RateKind.MEAL.value:
            offered = [rates.item_label(kind, meal) for meal in rates.MEALS]
        else:
            offered = []
        offered += [i for i in self.items.get(kind, []) if i not in offered]
        text = what.currentText()
        blocked = what.blockSignals(True)
        what.clear()
        what.addItems(offered)
        what.setEditText(text)
        what.blockSignals(blocked)
        allowed = rates.UNITS[kind]
        names = labels.rate_units()
        keep = unit if unit is not None else units.currentData()
        blocked = units.blockSignals(True)
        units.clear()
        for value in allowed:
            units.addItem(names.get(value, value), value)
        units.setCurrentIndex(max(units.findData(keep), 0))
        units.blockSignals(blocked)

    def _kind_changed(self, kinds: QComboBox, what: QComboBox, units: QComboBox) -> None:
        # an item of another kind's list (标准间 for a meal) does not carry over; one typed by hand does
        builtin = {*labels.room_types().values(), *(rates.item_label("meal", m) for m in rates.MEALS)}
        if what.currentText().strip() in builtin:
            what.setEditText("")
        self._offer(kinds, what, units, None)
        self._edited()

    def _edited(self, *_args: object) -> None:
        self.dirty = True
        self.changed.emit()

    def focused_row(self) -> int:
        """The row the user is in: the one holding the keyboard focus, else the selected one."""
        focus = QApplication.focusWidget()
        if focus is not None:
            for row in range(self.table.rowCount()):
                for column in range(self.table.columnCount()):
                    widget = self.cell(row, column)
                    if widget is not None and (widget is focus or widget.isAncestorOf(focus)):
                        return row
        return self.table.currentRow()

    def remove_line(self) -> None:
        row = self.focused_row()
        if row >= 0:
            self.table.removeRow(row)
            self.clear_error()
            self._edited()

    # --- reading and refusals -----------------------------------------------------------------------------------

    def read(self) -> list[rates.LineInput] | None:
        """The lines as typed, blank rows left out; None when a price cannot be read (said at its cell)."""
        found: list[rates.LineInput] = []
        self.read_rows = []
        for row in range(self.table.rowCount()):
            kind = self.cell(row, KIND).currentData()
            item = self.cell(row, ITEM).currentText().strip()
            typed = self.cell(row, PRICE).text().strip()
            first, last = self.cell(row, SEASON).dates()
            notes = self.cell(row, NOTES).text().strip()
            if not (item or typed or first or notes):
                continue
            if not typed:
                self.mark(row, PRICE, self.tr("请填写“{0}”的单价（元），或删去这一行。").format(item or "—"))
                return None
            try:
                fen = parse_yuan(typed)
            except MoneyError as exc:
                self.mark(row, PRICE, messages.text(exc.key, value=exc.value))
                return None
            found.append(
                rates.LineInput(kind, item, self.cell(row, UNIT).currentData(), fen, first, last, notes)
            )
            self.read_rows.append(row)
        return found

    def show_refusal(self, index: int, field: str | None, message: str) -> bool:
        """The service refused the ``index``-th line read: show it there; False when that line is not known."""
        if not 0 <= index < len(self.read_rows):
            return False
        self.mark(self.read_rows[index], _COLUMN_OF_FIELD.get(field or "", ITEM), message)
        return True

    def mark(self, row: int, column: int, message: str) -> None:
        self.clear_error()
        self.error.setText(message)
        self.error.show()
        self.table.selectRow(row)
        widget = self.cell(row, column)
        if widget is not None:
            self.table.scrollTo(self.table.model().index(row, column))
            target = widget.check if isinstance(widget, SeasonCell) else widget
            target.setStyleSheet(_MARKED)
            target.setFocus()
            self._marked = target

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()
        if self._marked is not None:
            self._marked.setStyleSheet("")
            self._marked = None


class RateCardDialog(QDialog):
    """One rate card: its header (name, validity, the base's invoice details, tax rate, notes) and its prices.
    ``card`` is the card being edited (None: a new card, or a copy).  Saved through the service on the worker;
    a refusal is shown at the field or line it names, the dialog staying open with what was typed."""

    saved = Signal(object)

    def __init__(
        self,
        parent: RateCardsView,
        base: Any,
        data: rates.CardInput,
        card: rates.CardRow | None,
        items: dict[str, list[str]],
        title: str,
        *,
        note: str = "",
        blank: Sequence[tuple[str, str, str]] = (),
    ):
        super().__init__(parent)
        self.desk = parent.desk
        self.base_id, self.base_name = base.id, base.name
        self.card_id = card.id if card is not None else None
        self.version = card.version if card is not None else None
        self.busy = 0
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.head = FormView(
            [
                Field("name", self.tr("名称"), required=True, max_length=100),
                Field("valid_from", self.tr("有效期起"), "date", required=True),
                Field("valid_to", self.tr("有效期至"), "date", required=True),
                Field("tax_bp", self.tr("税率"), required=True, max_length=10, placeholder="6%"),
            ]
        )
        self.bank = FormView(
            [
                Field("invoice_title", self.tr("开票单位"), max_length=100),
                Field("uscc", self.tr("统一社会信用代码"), max_length=18, measure=normalise_uscc),
                Field("bank_name", self.tr("开户银行"), max_length=100),
                Field("bank_account", self.tr("银行账号"), max_length=40),
            ]
        )
        self.more = FormView([Field("notes", self.tr("备注"), "multiline", max_length=2000)])
        self.more.widgets["notes"].setMaximumHeight(48)
        self.forms = (self.head, self.bank, self.more)
        self.lines = LinesEditor(items, self.validity)
        heading = QLabel(self.tr("基地：{0}　价格均含税；不填季节的价格适用于整个有效期。").format(base.name))
        heading.setWordWrap(True)
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a6d00;")
        self.note.setVisible(bool(note))
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        header = QHBoxLayout()
        for form in (self.head, self.bank):  # side by side, each from the top (a refusal grows its own)
            column = QVBoxLayout()
            column.addWidget(form)
            column.addStretch(1)
            header.addLayout(column, 1)
        header.insertSpacing(1, 12)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.note)
        layout.addLayout(header)
        layout.addWidget(self.more)
        layout.addWidget(QLabel(self.tr("价格")))
        layout.addWidget(self.lines, 1)
        layout.addLayout(buttons)
        self.load(data, blank)
        fit_to_screen(self, max(self.sizeHint().width(), 1000), 680)

    def load(self, data: rates.CardInput, blank: Sequence[tuple[str, str, str]] = ()) -> None:
        self.head.load(
            {
                "name": data.name,
                "valid_from": data.valid_from,
                "valid_to": data.valid_to,
                "tax_bp": rate_text(data.tax_bp),
            }
        )
        self.bank.load(
            {
                "invoice_title": data.invoice_title,
                "uscc": data.uscc,
                "bank_name": data.bank_name,
                "bank_account": data.bank_account,
            }
        )
        self.more.load({"notes": data.notes})
        self.lines.set_lines(data.lines, blank)

    def validity(self) -> tuple[dt.date, dt.date]:
        """The card's validity as typed: where a new season starts."""
        return self.head.value("valid_from"), self.head.value("valid_to")

    def is_dirty(self) -> bool:
        return any(form.is_dirty() for form in self.forms) or self.lines.dirty

    def say_at(self, form: FormView, key: str, message: str) -> None:
        """``message`` under the field ``key``, as tall as its lines need at the field's width (a form beside
        another gives a long refusal, such as an overlap naming both cards, the lines it wraps to)."""
        form.set_error(key, message)
        label = form.errors[key]
        label.setMinimumHeight(label.heightForWidth(form.widgets[key].width()))

    def clear_errors(self) -> None:
        for form in self.forms:
            form.clear_errors()
            for label in form.errors.values():
                label.setMinimumHeight(0)
        self.lines.clear_error()

    def card_input(self) -> rates.CardInput | None:
        """What was typed, as the service takes it; None when something cannot be read (said where it is)."""
        self.clear_errors()
        valid = [form.validate() for form in self.forms]
        if not all(valid):
            return None
        try:
            tax = parse_rate_bp(self.head.value("tax_bp"))
        except MoneyError as exc:
            self.say_at(self.head, "tax_bp", messages.text(exc.key, value=exc.value))
            return None
        lines = self.lines.read()
        if lines is None:
            return None
        head, bank = self.head.values(), self.bank.values()
        return rates.CardInput(
            self.base_id,
            head["name"],
            head["valid_from"],
            head["valid_to"],
            bank["invoice_title"],
            bank["uscc"],
            bank["bank_name"],
            bank["bank_account"],
            tax,
            self.more.value("notes"),
            tuple(lines),
        )

    def save(self) -> None:
        if self.busy:
            return
        data = self.card_input()
        if data is None:
            return
        db, card_id, version = self.desk.db, self.card_id, self.version

        def store() -> rates.CardRow:
            if card_id is None or version is None:
                return rates.create_card(db, data)
            return rates.update_card(db, card_id, version, data)

        operations.run(self, store, self._stored, failed=self._refused)
        self.save_button.setEnabled(False)  # until the service answers

    def _stored(self, card: rates.CardRow) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(card)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, StaleEditError):
            self.stale(exc)
            return
        if isinstance(exc, DomainError):
            line = exc.params.get("line")
            if isinstance(line, int) and self.lines.show_refusal(line, exc.field, exc.message):
                return
            for form in self.forms:
                if exc.field is not None and exc.field in form.fields:
                    self.say_at(form, exc.field, exc.message)
                    return
        operations.show_failure(self, exc, self.tr("不能保存价目表"))

    def stale(self, exc: StaleEditError) -> None:
        """Another desk saved the card since it was opened: say so; reloading shows theirs (these edits go),
        else the edits stay to copy from."""
        answer = dialogs.ask(
            self,
            self.tr("价目表已被修改"),
            exc.message + "\n\n" + self.tr("现在重新载入吗？这里的修改将被放弃。"),
            dialogs.Button.Yes | dialogs.Button.No,
            dialogs.Button.Yes,
        )
        if answer != dialogs.Button.Yes or self.card_id is None:
            return
        db, card_id = self.desk.db, self.card_id

        def done(card: rates.CardRow) -> None:
            self.version = card.version
            self.load(card.as_input())

        operations.run(self, lambda: rates.get_card(db, card_id), done, title=self.tr("不能载入价目表"))

    def reject(self) -> None:
        """Cancel: edits not saved are asked about first."""
        if self.is_dirty():
            answer = dialogs.ask(
                self, self.tr("放弃修改"), self.tr("价目表的修改还没有保存，放弃这些修改吗？")
            )
            if answer != dialogs.Button.Yes:
                return
        super().reject()


# -- the import's preview -----------------------------------------------------------------------------------------


class RatesImportDialog(ImportPreview):
    """What importing a rate card workbook would do, card by card, and every problem with its sheet, row and
    column — before anything is written.  导入 writes it all (only when the file has no error)."""

    def __init__(self, parent: QWidget, path: Path):
        super().__init__(parent, size=(960, 600))
        states = {
            "new": self.tr("新增"),
            "changed": self.tr("修改"),
            "unchanged": self.tr("未变"),
            "": self.tr("错误"),
        }
        self.set_rows_table(
            self.tr("导入价目表：{0}").format(path.name),
            [
                Column(self.tr("行号"), lambda c: c.row, right=True, width=50),
                Column(
                    self.tr("结果"),
                    lambda c: states.get(c.status, c.status),
                    fits=list(states.values()),
                    background=lambda c: BAD if not c.status else (GOOD if c.status != "unchanged" else None),
                ),
                Column(self.tr("基地"), lambda c: c.base, width=150),
                Column(self.tr("价目表"), lambda c: c.name, width=150),
                Column(self.tr("变化"), self.change_text, tooltip=self.change_details),
            ],
            key=lambda c: c.row,
        )

    def change_text(self, card: Any) -> str:
        if not card.status:
            return self.tr("见下方错误")
        if card.status == "new":
            return self.tr("价格 {0} 行").format(len(card.lines))
        fields = [messages.field_label(name) for name in card.changes if name != "lines"]
        lines = card.line_changes
        if lines:
            fields.append(
                self.tr("价格：新增 {0}，删除 {1}，修改 {2}").format(
                    len(lines.get("added", [])), len(lines.get("removed", [])), len(lines.get("changed", []))
                )
            )
        return messages.join(fields)

    def change_details(self, card: Any) -> str:
        """Every price added, removed or changed, one a line (the cell's tooltip)."""
        words = {"added": self.tr("新增"), "removed": self.tr("删除"), "changed": self.tr("修改")}
        found = [self.change_text(card)]
        for name, items in card.line_changes.items():
            found += [self.tr("{0}：{1}").format(words.get(name, name), item) for item in items]
        return "\n".join(found)

    def show_plan(self, plan: Any) -> None:
        # what the import would do first: the errors, the new cards, the changed ones, then those left alone
        order = {"": 0, "new": 1, "changed": 2, "unchanged": 3}
        text = self.tr(
            "读取价目表 {0} 份、价格 {1} 行：将新增 {2} 份，修改 {3} 份，未变 {4} 份；错误 {5} 处。"
        ).format(
            len(plan.cards),
            plan.line_rows,
            plan.count("new"),
            plan.count("changed"),
            plan.count("unchanged"),
            len(plan.problems),
        )
        if plan.problems:
            text += "\n" + self.tr("文件有错误，不能导入：请按每一处的说明改正后重新导入。未写入任何数据。")
        elif not plan.count("new") and not plan.count("changed"):
            text += "\n" + self.tr("文件中的价目表与程序中的相同，没有要导入的修改。")
        else:
            text += "\n" + self.tr(
                "文件中的每份价目表将按文件写入（包括它的全部价格）；文件没有列出的价目表不变。确认后才会写入。"
            )
        self.show_outcome(
            plan,
            sorted(plan.cards, key=lambda c: (order.get(c.status, 0), c.row)),
            text,
            not plan.problems and (plan.count("new") + plan.count("changed")) > 0,
        )
