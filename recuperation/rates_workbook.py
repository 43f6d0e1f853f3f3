"""Rate cards as a workbook: ``rates export`` writes them, ``rates import`` reads them back.

**Layout** (the choice: two tables rather than a sheet per base, so that a file of many bases sorts, filters
and pastes like any list, and one row is one record):

- sheet **价目表**: one row per card — 基地名称*, 价目表名称*, 有效期起*, 有效期至*, 开票单位, 统一社会信用代码,
  开户银行, 银行账号, 税率, 备注;
- sheet **价格明细**: one row per price — 基地名称*, 价目表名称* (the card it belongs to), 类别* (客房, 餐饮, 会议室,
  活动, 其他), 项目* (标准间, 单人间, 早餐 … or a name), 季节起, 季节止 (both empty: the whole card), 计价单位*
  (每间每晚, 每人, 每场), 单价（元）*, 备注;
- sheet **说明**: what each column holds.

Prices are written as yuan with two decimals (number format ``#,##0.00``) and read back exactly to fen through
their decimal digits (:func:`recuperation.money.parse_yuan`), never through float arithmetic; dates are date
cells; the credit code and the bank account are text cells (every digit kept); the tax rate a percentage
(6% is the cell value 0.06 formatted ``0.00%``; “6%”, 6 and 0.06 all read as 6%; a rate is 0% to 30%, so the
fraction a cell holds — always under 1 — reads back exactly).  Headers may carry a “*”.

**Import** (:func:`plan_rates`, :func:`apply_rates`): the file is read through the bounded readers
(:func:`recuperation.sheets.read_sheets`) and checked whole before anything is written.  A card is found again
by its base and its name (spaces and full-width forms aside).  A card in the file is written as the file has
it, its prices included: its prices are exactly the file's rows for it (a price row left out is a price
removed).  A card the file does not name is left as it is — the import never deletes a card.  A column the file
does not carry is not an empty column: it keeps each card's value (an empty 税率 cell too: a new card then gets
6%), and on 价格明细 each price's (季节起, 季节止, 备注 — taken from the card's stored price of the same item,
and the same season as far as the file says it; when the item has several prices, the one of the same unit and
price; a row that still matches several is an error naming the missing column).  An empty cell of an optional
column the file does carry clears it.  Any error — a cell that cannot be read, a base or card that
does not exist, a card overlapping another of its base, a season outside its card, two prices of one item on
one day — names the sheet, the row, the column and what to do, and nothing is written.  What the program
writes reads back with no change (a test holds it).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import xlsxwriter

from recuperation import messages
from recuperation.errors import DomainError, RuleViolation, ValidationError
from recuperation.labels import label, labels
from recuperation.models import Base
from recuperation.money import MAX_TAX_BP, MoneyError, parse_rate_bp, parse_yuan, rate_text, yuan_number
from recuperation.private_files import private_output, private_scratch
from recuperation.services import rates
from recuperation.services.orders import EARLIEST_DAY
from recuperation.services.register_cells import CellError, to_date, to_text
from recuperation.sheets import Cell, CellProblem, Sheet, read_sheets
from recuperation.storage.database import Database

CARDS_SHEET = "价目表"
LINES_SHEET = "价格明细"
NOTES_SHEET = "说明"
#: field → (the header written, other headers read)
CARD_HEADERS: dict[str, tuple[str, ...]] = {
    "base": ("基地名称", "基地"),
    "name": ("价目表名称", "价目表"),
    "valid_from": ("有效期起", "生效日期"),
    "valid_to": ("有效期至", "有效期止", "终止日期"),
    "invoice_title": ("开票单位", "开票单位名称", "发票抬头"),
    "uscc": ("统一社会信用代码", "信用代码", "纳税人识别号"),
    "bank_name": ("开户银行", "开户行"),
    "bank_account": ("银行账号", "账号"),
    "tax_bp": ("税率",),
    "notes": ("备注", "说明"),
}
CARD_REQUIRED = ("base", "name", "valid_from", "valid_to")
LINE_HEADERS: dict[str, tuple[str, ...]] = {
    "base": ("基地名称", "基地"),
    "card": ("价目表名称", "价目表"),
    "kind": ("类别", "类型"),
    "item": ("项目", "名称"),
    "first_day": ("季节起", "季节开始"),
    "last_day": ("季节止", "季节至", "季节结束"),
    "unit": ("计价单位", "单位"),
    "unit_price": ("单价（元）", "单价", "价格"),
    "notes": ("备注", "说明"),
}
LINE_REQUIRED = ("base", "card", "kind", "item", "unit", "unit_price")
_CARD_WIDTHS = (24, 22, 12, 12, 30, 22, 24, 24, 9, 30)
_LINE_WIDTHS = (24, 22, 9, 22, 12, 12, 11, 13, 30)
_HEADER_ROWS = 10


def _header_word(value: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split()).replace("*", "").lower()


def _find_table(
    sheets: list[Sheet], headers: dict[str, tuple[str, ...]], marks: tuple[str, ...]
) -> tuple[Sheet, int, dict[str, int]] | None:
    """The first sheet with a header row (within its first rows) holding every header of ``marks``."""
    words = {_header_word(w): f for f, ws in headers.items() for w in ws}
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:_HEADER_ROWS]):
            columns: dict[str, int] = {}
            for c, cell in enumerate(row):
                name = words.get(_header_word(cell))
                if name is not None and name not in columns:
                    columns[name] = c
            if all(m in columns for m in marks):
                return sheet, index, columns
    return None


# -- export -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    path: Path
    cards: int
    lines: int


def export_rates(db: Database, path: Path, base: str | None = None) -> ExportResult:
    """Write every rate card (or one base's) with its prices to ``path`` (.xlsx); it imports back unchanged."""
    from sqlmodel import select

    base_id: int | None = None
    if base is not None:
        with db.session() as session:
            names = {rates.fold_name(b.name): b.id for b in session.exec(select(Base)).all()}
        base_id = names.get(rates.fold_name(base))
        if base_id is None:
            raise ValidationError("order.unknown_base", field="base", base=base)
    cards = rates.list_cards(db, base_id)
    with private_output(path) as temp, private_scratch() as scratch:
        book = xlsxwriter.Workbook(
            str(temp), {"strings_to_formulas": False, "strings_to_numbers": False, "tmpdir": scratch}
        )
        try:
            _write(book, cards)
        finally:
            book.close()
    return ExportResult(path, len(cards), sum(len(c.lines) for c in cards))


def _write(book: Any, cards: list[rates.CardRow]) -> None:
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    text = book.add_format({"num_format": "@", "border": 1})
    date = book.add_format({"num_format": "yyyy-mm-dd", "border": 1})
    money = book.add_format({"num_format": "#,##0.00", "border": 1})
    percent = book.add_format({"num_format": "0.00%", "border": 1})

    def headers(
        sheet: Any, table: dict[str, tuple[str, ...]], required: tuple[str, ...], widths: tuple[int, ...]
    ) -> None:
        for c, (name, words) in enumerate(table.items()):
            sheet.write_string(0, c, words[0] + ("*" if name in required else ""), head)
            sheet.set_column(c, c, widths[c])
        sheet.freeze_panes(1, 0)

    def day(sheet: Any, row: int, c: int, value: dt.date | None) -> None:
        if value is None:
            sheet.write_blank(row, c, None, date)
        elif value < EARLIEST_DAY:  # stored before 2000 was refused: as text, which the import then refuses
            sheet.write_string(row, c, value.isoformat(), text)
        else:
            sheet.write_datetime(row, c, dt.datetime.combine(value, dt.time()), date)

    sheet = book.add_worksheet(CARDS_SHEET)
    headers(sheet, CARD_HEADERS, CARD_REQUIRED, _CARD_WIDTHS)
    for r, card in enumerate(cards, start=1):
        for c, value in enumerate((card.base, card.name)):
            sheet.write_string(r, c, value, text)
        day(sheet, r, 2, card.valid_from)
        day(sheet, r, 3, card.valid_to)
        for c, value in enumerate(
            (card.invoice_title, card.uscc, card.bank_name, card.bank_account), start=4
        ):
            sheet.write_string(r, c, value, text)
        if 0 <= card.tax_bp <= MAX_TAX_BP:  # the fraction, always under 1: it reads back exactly
            sheet.write_number(r, 8, card.tax_bp / 10_000, percent)
        else:  # stored before rates above 30% were refused: as text (“100%”), which the import then refuses
            sheet.write_string(r, 8, rate_text(card.tax_bp), text)
        sheet.write_string(r, 9, card.notes, text)
    sheet.autofilter(0, 0, max(len(cards), 1), len(CARD_HEADERS) - 1)

    sheet = book.add_worksheet(LINES_SHEET)
    headers(sheet, LINE_HEADERS, LINE_REQUIRED, _LINE_WIDTHS)
    r = 0
    for card in cards:
        for line in card.lines:
            r += 1
            sheet.write_string(r, 0, card.base, text)
            sheet.write_string(r, 1, card.name, text)
            sheet.write_string(r, 2, label("rate_kind", line.kind, "zh"), text)
            sheet.write_string(r, 3, rates.item_label(line.kind, line.item, "zh"), text)
            day(sheet, r, 4, line.first_day)
            day(sheet, r, 5, line.last_day)
            sheet.write_string(r, 6, label("rate_unit", line.unit, "zh"), text)
            sheet.write_number(r, 7, yuan_number(line.price_fen), money)
            sheet.write_string(r, 8, line.notes, text)
    sheet.autofilter(0, 0, max(r, 1), len(LINE_HEADERS) - 1)

    sheet = book.add_worksheet(NOTES_SHEET)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 100)
    notes = [
        ("价目表", "每行一份价目表。同一基地的价目表有效期不能重叠；带 * 的列必须填写。"),
        (
            "税率",
            "价格均为含税价；税率写百分数，如 6%、3%、1%。税额按合计金额计算：含税合计 × 税率 ÷ (1 + 税率)，四舍五入到分。",
        ),
        ("统一社会信用代码", "开票单位的 18 位代码，按文本填写。"),
        (
            "价格明细",
            "每行一个价格，用基地名称和价目表名称对应到价目表。导入时，文件中每份价目表的价格以这里的行为准（删去的行即删去该价格）。",
        ),
        ("类别", "、".join(labels("rate_kind", "zh").values())),
        (
            "项目",
            "客房："
            + "、".join(labels("room_type", "zh").values())
            + " 或其他房型；餐饮：早餐、午餐、晚餐；会议室、活动：按行程中的名称填写，行程中同名的活动按此计价。",
        ),
        (
            "季节起、季节止",
            "两格都不填：整个有效期的价格；填写：这段日期内代替全期价格（须在有效期之内，同一项目的季节不能重叠）。",
        ),
        ("计价单位", "客房：每间每晚；餐饮：每人；会议室：每场或每人；活动：每人或每场；其他：任选。"),
        ("单价（元）", "以元为单位，最多两位小数。"),
        ("未列出的价目表", "文件中没有的价目表保持不变，导入不会删除价目表。"),
    ]
    for r, (name, note) in enumerate(notes):
        sheet.write_string(r, 0, name, head)
        sheet.write_string(r, 1, note)


# -- import -------------------------------------------------------------------------------------------------------


#: a cell the import could not take: its sheet, row and column, the field and what to do
Problem = CellProblem


@dataclass
class PlannedCard:
    row: int  # its row on the cards sheet
    base: str
    base_id: int | None
    name: str
    given: dict[str, Any]  # the fields the file carries (columns present)
    line_rows: list[int] = field(default_factory=list)
    lines: list[rates.LineInput] = field(default_factory=list)
    #: the readable lines (row, line) before the columns the file lacks are filled in from the stored card
    read_lines: list[tuple[int, rates.LineInput]] = field(default_factory=list)
    card: rates.CardInput | None = None
    existing: rates.CardRow | None = None
    status: str = ""  # new, changed, unchanged ("" with errors)
    changes: list[str] = field(default_factory=list)
    line_changes: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "row": self.row,
            "base": self.base,
            "card": self.name,
            "status": self.status or "error",
            "changes": self.changes,
        }
        if self.line_changes:
            found["lines"] = self.line_changes
        return found


@dataclass
class RatePlan:
    source: str
    cards: list[PlannedCard]
    line_rows: int
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return self.problems

    def count(self, status: str) -> int:
        return sum(1 for c in self.cards if c.status == status)

    def report(self) -> dict[str, object]:
        return {
            "file": self.source,
            "cards": len(self.cards),
            "lines": self.line_rows,
            "rows": len(self.cards),
            "valid": sum(1 for c in self.cards if c.status),
            "new": self.count("new"),
            "changed": self.count("changed"),
            "unchanged": self.count("unchanged"),
            "errors": [p.to_json() for p in self.problems],
            "row_status": [c.to_json() for c in self.cards],
        }


@dataclass(frozen=True)
class RateResult:
    new: int
    changed: int
    unchanged: int


class _Cells:
    """One table's rows read cell by cell; a cell that cannot be read becomes a Problem of its row and column."""

    def __init__(
        self, sheet: Sheet, header_row: int, columns: dict[str, int], headers: dict[str, tuple[str, ...]]
    ):
        self.sheet, self.header_row, self.columns = sheet, header_row, columns
        self.titles = {f: str(sheet.rows[header_row][c]).strip() for f, c in columns.items()}
        self.headers = headers
        self.problems: list[Problem] = []

    def rows(self) -> list[tuple[int, list[Cell]]]:
        found = []
        for index in range(self.header_row + 1, len(self.sheet.rows)):
            row = self.sheet.rows[index]
            if any(v is not None and str(v).strip() for v in row):
                found.append((index + 1, row))
        return found

    def column(self, name: str) -> str:
        return self.titles.get(name) or self.headers[name][0]

    def problem(self, row: int, name: str, message: str) -> None:
        self.problems.append(Problem(self.sheet.name, row, name, self.column(name), message))

    def raw(self, values: list[Cell], name: str) -> Cell:
        c = self.columns.get(name)
        return values[c] if c is not None and c < len(values) else None

    def read(self, row: int, values: list[Cell], name: str, reader: Any, *, required: bool = False) -> Any:
        cell = self.raw(values, name)
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            if required:
                self.problem(row, name, messages.text("rates.file.required"))
            return None
        try:
            return reader(cell)
        except CellError as exc:
            self.problem(row, name, str(exc))
        except MoneyError as exc:
            self.problem(row, name, exc.message())
        return _BAD


_BAD = object()  # a cell that could not be read (its Problem is recorded)


def _text(cell: Cell) -> str:
    return to_text(cell)


def _digits_text(cell: Cell) -> str:
    """A code or an account number: text as written; a number Excel rounded (16 digits or more) is refused."""
    if isinstance(cell, float):
        raise CellError(messages.text("rates.file.number_as_text", value=repr(cell)))
    return to_text(cell)


def _choice(enumeration: str) -> Any:
    words: dict[str, str] = {}
    for language in ("zh", "en"):
        for code, word in labels(enumeration, language).items():
            words[rates.fold_name(word)] = code
            words[rates.fold_name(code)] = code

    def read(cell: Cell) -> str:
        code = words.get(rates.fold_name(cell))
        if code is None:
            allowed = "、".join(labels(enumeration, "zh").values())
            raise CellError(messages.text("register.bad_choice", value=to_text(cell), allowed=allowed))
        return code

    return read


def _date(cell: Cell) -> dt.date | None:
    return to_date(cell)


def plan_rates(db: Database, path: Path) -> RatePlan:
    """Read and check a rate card workbook (nothing is written): each card new, changed or unchanged, and
    every problem with its sheet, row and column."""
    sheets = read_sheets(path)
    found_cards = _find_table(sheets, CARD_HEADERS, ("base", "name", "valid_from"))
    found_lines = _find_table(sheets, LINE_HEADERS, ("card", "unit", "unit_price"))
    for found, what, headers in (
        (found_cards, "cards", CARD_HEADERS),
        (found_lines, "lines", LINE_HEADERS),
    ):
        if found is None:
            required = CARD_REQUIRED if what == "cards" else LINE_REQUIRED
            raise ValidationError(
                "rates.file.no_sheet",
                field="file",
                path=str(path),
                what=messages.text(f"rates.file.{what}"),
                headers=messages.join([f"“{headers[f][0]}”" for f in required]),
            )
    assert found_cards is not None and found_lines is not None
    cards_cells = _Cells(*found_cards, CARD_HEADERS)
    lines_cells = _Cells(*found_lines, LINE_HEADERS)
    for cells, required in ((cards_cells, CARD_REQUIRED), (lines_cells, LINE_REQUIRED)):
        missing = [f for f in required if f not in cells.columns]
        if missing:
            header = (CARD_HEADERS if cells is cards_cells else LINE_HEADERS)[missing[0]][0]
            raise ValidationError(
                "rates.file.missing_column", field="file", sheet=cells.sheet.name, column=header
            )

    with db.session() as session:
        from sqlmodel import select

        bases = {rates.fold_name(b.name): (b.id, b.name) for b in session.exec(select(Base)).all()}
    existing = rates.list_cards(db)
    on_file = {(c.base_id, rates.fold_name(c.name)): c for c in existing}

    planned: list[PlannedCard] = []
    by_key: dict[tuple[str, str], PlannedCard] = {}
    for row, values in cards_cells.rows():
        base_text = cards_cells.read(row, values, "base", _text, required=True)
        name = cards_cells.read(row, values, "name", _text, required=True)
        if not base_text or not name:
            continue
        base = bases.get(rates.fold_name(base_text))
        if base is None:
            cards_cells.problem(
                row, "base", messages.text("rates.file.unknown_base", name=messages.shown(base_text))
            )
        key = (rates.fold_name(base_text), rates.fold_name(name))
        if key in by_key:
            cards_cells.problem(
                row,
                "name",
                messages.text("rates.file.duplicate_card", first=by_key[key].row, key=f"{base_text} {name}"),
            )
            continue
        given: dict[str, Any] = {}
        readers: dict[str, Any] = {
            "valid_from": _date,
            "valid_to": _date,
            "invoice_title": _text,
            "uscc": _digits_text,
            "bank_name": _text,
            "bank_account": _digits_text,
            "tax_bp": parse_rate_bp,
            "notes": _text,
        }
        for name_of, reader in readers.items():
            if name_of in cards_cells.columns:
                given[name_of] = cards_cells.read(
                    row, values, name_of, reader, required=name_of in CARD_REQUIRED
                )
        card = PlannedCard(row, base[1] if base else base_text, base[0] if base else None, name, given)
        by_key[key] = card
        planned.append(card)

    for row, values in lines_cells.rows():
        base_text = lines_cells.read(row, values, "base", _text, required=True)
        name = lines_cells.read(row, values, "card", _text, required=True)
        kind = lines_cells.read(row, values, "kind", _choice("rate_kind"), required=True)
        item = lines_cells.read(row, values, "item", _text, required=True)
        first = lines_cells.read(row, values, "first_day", _date)
        last = lines_cells.read(row, values, "last_day", _date)
        unit = lines_cells.read(row, values, "unit", _choice("rate_unit"), required=True)
        price = lines_cells.read(row, values, "unit_price", parse_yuan, required=True)
        notes = lines_cells.read(row, values, "notes", _text) or ""  # (a missing column: filled in below)
        if not base_text or not name:
            continue
        owner = by_key.get((rates.fold_name(base_text), rates.fold_name(name)))
        if owner is None:
            lines_cells.problem(
                row,
                "card",
                messages.text(
                    "rates.file.unknown_card",
                    sheet=cards_cells.sheet.name,
                    base=messages.shown(base_text),
                    card=messages.shown(name),
                ),
            )
            continue
        if any(v is None or v is _BAD for v in (kind, item, unit, price)) or _BAD in (first, last, notes):
            owner.line_rows.append(-row)  # a line that could not be read: the card is not checked further
            continue
        owner.read_lines.append(
            (row, rates.LineInput(kind, rates.item_code(kind, item), unit, price, first, last, notes))
        )

    absent = tuple(f for f in _LINE_KEPT if f not in lines_cells.columns)
    for card in planned:
        old = on_file.get((card.base_id, rates.fold_name(card.name))) if card.base_id is not None else None
        for row, read in card.read_lines:
            line = _kept(read, absent, old, row, lines_cells) if absent else read
            if line is None:
                card.line_rows.append(-row)  # which stored price it is cannot be told: not checked further
            else:
                card.line_rows.append(row)
                card.lines.append(line)
    _check(planned, on_file, cards_cells, lines_cells, existing)
    problems = cards_cells.problems + lines_cells.problems
    problems.sort(key=lambda p: (p.sheet != cards_cells.sheet.name, p.row))
    return RatePlan(str(path), planned, len(lines_cells.rows()), problems)


#: The optional columns of 价格明细 whose value a file without the column keeps.
_LINE_KEPT = ("first_day", "last_day", "notes")


def _kept(
    line: rates.LineInput,
    absent: tuple[str, ...],
    old: rates.CardRow | None,
    row: int,
    cells: _Cells,
) -> rates.LineInput | None:
    """``line`` with the fields of the columns the file lacks (``absent``) as the card's stored price of the
    same item has them — the one of the same season as far as the file says it, and, of several, of the same
    unit and price.  No stored price: the fields are empty (a price for the whole card, no notes).  Several
    still (or none of them of the same unit and price): a Problem at ``row`` naming the missing column, and
    None."""
    if old is None:
        return line
    said = [f for f in ("first_day", "last_day") if f not in absent]
    candidates = [
        li
        for li in old.lines
        if (li.kind, li.item) == (line.kind, line.item)
        and all(getattr(li, f) == getattr(line, f) for f in said)
    ]
    if not candidates:
        return line
    if len(candidates) > 1:  # of several, the one of the same unit and price; none or several: which?
        candidates = [li for li in candidates if (li.unit, li.price_fen) == (line.unit, line.price_fen)]
    if len(candidates) != 1:
        seasons = [li for li in old.lines if (li.kind, li.item) == (line.kind, line.item)]
        cells.problem(
            row,
            absent[0],
            messages.text(
                "rates.file.which_price",
                columns=messages.join([f"“{cells.column(f)}”" for f in absent]),
                item=rates.item_label(line.kind, line.item),
                count=len(seasons),
                prices=messages.join([rates.line_text(li) for li in seasons]),
            ),
        )
        return None
    stored = candidates[0]
    return replace(line, **{f: getattr(stored, f) for f in absent})


def _check(
    planned: list[PlannedCard],
    on_file: dict[tuple[int, str], rates.CardRow],
    cards_cells: _Cells,
    lines_cells: _Cells,
    existing: list[rates.CardRow],
) -> None:
    """Each readable card as the service would check it, then the overlaps of the bases' cards as they would
    be after the import (the cards on file the import does not name stay)."""
    read_problems = {(p.sheet, p.row) for p in cards_cells.problems + lines_cells.problems}
    final: dict[int, list[tuple[str, dt.date, dt.date, PlannedCard | None]]] = defaultdict(list)
    named = {(c.base_id, rates.fold_name(c.name)) for c in planned if c.base_id is not None}
    for kept in existing:
        if (kept.base_id, rates.fold_name(kept.name)) not in named:
            final[kept.base_id].append((kept.name, kept.valid_from, kept.valid_to, None))
    for plan in planned:
        if plan.base_id is None or (cards_cells.sheet.name, plan.row) in read_problems:
            continue
        if any(r < 0 for r in plan.line_rows):
            continue
        old = on_file.get((plan.base_id, rates.fold_name(plan.name)))
        plan.existing = old
        base = (
            old.as_input()
            if old is not None
            else rates.CardInput(plan.base_id, plan.name, dt.date.min, dt.date.min)
        )
        # an empty 税率 keeps the card's rate (a new card: the default); other empty cells clear their field
        values = {k: v for k, v in plan.given.items() if not (k == "tax_bp" and v is None)}
        for optional in ("invoice_title", "uscc", "bank_name", "bank_account", "notes"):
            if optional in values and values[optional] is None:
                values[optional] = ""
        card = replace(base, base_id=plan.base_id, name=plan.name, lines=tuple(plan.lines), **values)
        try:
            checked, lines = rates.check_card(card, plan.base)
        except ValidationError as exc:
            _place(exc, plan, cards_cells, lines_cells)
            continue
        plan.card = card
        final[plan.base_id].append((checked["name"], checked["valid_from"], checked["valid_to"], plan))
        if old is None:
            plan.status = "new"
            continue
        before_values, before_lines = _stored(old)
        plan.changes = [k for k in checked if checked[k] != before_values[k]]
        plan.line_changes = _line_changes(before_lines, lines)
        if plan.line_changes:
            plan.changes.append("lines")
        plan.status = "changed" if plan.changes else "unchanged"
    for cards in final.values():
        for index, (name, start, end, owner) in enumerate(cards):
            if owner is None:
                continue
            others = [(n, s, e) for i, (n, s, e, _p) in enumerate(cards) if i != index]
            error = rates.overlap_error(owner.base, (name, start, end), others)
            if error is not None:
                cards_cells.problem(owner.row, "valid_from", error.message)
                owner.status = ""


def _stored(card: rates.CardRow) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A stored card's values and lines as :func:`rates.check_card` gives them, read as they are: a card
    stored before a rule was tightened (a tax rate above 30%, a date before 2000) is compared, not refused."""
    values = {
        name: getattr(card, name)
        for name in (
            "base_id",
            "name",
            "valid_from",
            "valid_to",
            "invoice_title",
            "uscc",
            "bank_name",
            "bank_account",
            "tax_bp",
            "notes",
        )
    }
    lines = [
        {
            "kind": li.kind,
            "item": li.item,
            "unit": li.unit,
            "price_fen": li.price_fen,
            "first_day": li.first_day,
            "last_day": li.last_day,
            "notes": li.notes,
        }
        for li in card.lines
    ]
    return values, lines


def _line_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[str, list[str]]:
    def key(line: dict[str, Any]) -> tuple[Any, ...]:
        return (line["kind"], line["item"], line["first_day"], line["last_day"])

    old = {key(li): li for li in before}
    new = {key(li): li for li in after}
    found: dict[str, list[str]] = {}
    added = [rates.line_text(li) for k, li in new.items() if k not in old]
    removed = [rates.line_text(li) for k, li in old.items() if k not in new]
    changed = [
        f"{rates.line_text(old[k])} → {rates.line_text(li)}"
        for k, li in new.items()
        if k in old and old[k] != li
    ]
    for name, items in (("added", added), ("removed", removed), ("changed", changed)):
        if items:
            found[name] = items
    return found


def _place(exc: DomainError, plan: PlannedCard, cards_cells: _Cells, lines_cells: _Cells) -> None:
    """A refusal of the service at its place in the file: a line's error at the line's row and in the column of
    its field (the service's field names are the columns' names), a card's at the card's row."""
    index = exc.params.get("line")
    name = exc.field or "name"
    if isinstance(index, int) and 0 <= index < len(plan.line_rows):
        lines_cells.problem(plan.line_rows[index], name if name in LINE_HEADERS else "item", exc.message)
    else:
        cards_cells.problem(plan.row, name if name in CARD_HEADERS else "name", exc.message)


def apply_rates(db: Database, plan: RatePlan) -> RateResult:
    """Write the plan's new and changed cards in one transaction; refused (nothing written) when it has errors.
    A card changed by another desk since the preview is refused as stale."""
    if plan.errors:
        raise RuleViolation("rates.refused", field="file", errors=len(plan.errors))
    todo = [c for c in plan.cards if c.status in ("new", "changed") and c.card is not None]
    with db.session(write=True):
        # Validity moves between cards of one base (one ends earlier, the next starts earlier) may overlap on
        # the way: a card refused for an overlap waits until the others are written (the end state was checked).
        while todo:
            waiting = []
            for plan_card in todo:
                assert plan_card.card is not None
                try:
                    if plan_card.existing is None:
                        rates.create_card(db, plan_card.card)
                    else:
                        rates.update_card(
                            db, plan_card.existing.id, plan_card.existing.version, plan_card.card
                        )
                except RuleViolation as exc:
                    if exc.key != "rate.card_overlap":
                        raise
                    waiting.append((plan_card, exc))
            if len(waiting) == len(todo):
                raise waiting[0][1]
            todo = [w for w, _exc in waiting]
    return RateResult(plan.count("new"), plan.count("changed"), plan.count("unchanged"))
