"""Finding a table in an office's sheet: the header row below any title rows, which column is which field,
and the rows that are not records (blank lines, a template's example, totals, notes under the table).

Shared by the roster import and the register imports: each describes its fields as a :class:`HeaderTable`
(field → the header words offices use) and says which sets of columns make a usable table.

A header may be written over two rows: a group header merged over several columns with its sub-headers on
the row below (联系方式 over 手机号码 | 紧急联系人), the other headers merged over both rows, or one header split
over two rows of the same column (身份证 / 号码).  Two consecutive rows are read as one header only when the
lower row is made of header words (text naming a field alone or with the cell above it, or sitting under a
group header; never a number, a date or a run of digits), the upper row adds to it (the pair names more
fields than the lower row alone, or the upper row reads exactly like it: a repeated header line), and the
pair names at least as many fields as the upper row alone.  A data row therefore never becomes a header: it
holds numbers (an ID number, a date, a headcount) or words that name no field outside a group.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from recuperation.sheets import Cell, Sheet

#: How far below the top of a sheet its header row is looked for (title rows, a filled-in-by line …).
HEADER_SCAN_ROWS = 30

_MARKS = re.compile(r"[\s*＊:：()（）\[\]【】_\-]|必填|选填")
_BEFORE_BRACKET = re.compile(r"[(（\[【].*$")
#: A template's example row starts with this (（示例）王芳); the importers skip it.
EXAMPLE_MARK = re.compile(r"^[（(]?示例[)）:：]?")
_TOTAL = re.compile(r"^(合\s*计|总\s*计|小\s*计|共\s*计)")
_FOOTER = re.compile(r"^(注|备注|说明|填表|制表|审核|经办|联系人|负责人|单位盖章|盖章)")
#: A run of digits: an ID number, a phone, a date or a code, never a header word.
_DIGITS = re.compile(r"\d{3}")


@dataclass(frozen=True)
class Layout:
    """Where the table is: the sheet, the header row (0-based) and which column holds which field.

    ``header_rows`` is 2 for a header written over two rows; ``header_row`` is then the lower one, so the
    records always start at ``header_row + 1``."""

    sheet: str
    header_row: int
    columns: dict[str, int]
    header_rows: int = 1


def _at(row: list[Cell], column: int) -> Cell:
    return row[column] if column < len(row) else None


def _filled(value: Cell) -> bool:
    return value is not None and str(value).strip() != ""


def _groups(top: list[Cell], sub: list[Cell]) -> dict[int, int]:
    """Column → the column of the group header above it: a top cell merged over several columns, read as
    the top cell followed by empty top cells, with a sub-header under each of its columns."""
    width = max(len(top), len(sub))
    owner: dict[int, int] = {}
    for start in range(width):
        if not (_filled(_at(top, start)) and _filled(_at(sub, start))):
            continue
        end = start + 1
        while end < width and not _filled(_at(top, end)) and _filled(_at(sub, end)):
            end += 1
        if end > start + 1:
            owner.update((c, start) for c in range(start, end))
    return owner


def _plain(value: Cell) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def header_texts(sheet: Sheet, layout: Layout, text: Callable[[Cell], str] = _plain) -> list[str]:
    """Each column's header as the user reads it: the header cell, or for a header over two rows the group
    header and its sub-header (联系方式 手机号码), a split header joined (身份证号码), or the one cell written."""
    if layout.header_row >= len(sheet.rows):
        return []
    sub = sheet.rows[layout.header_row]
    if layout.header_rows < 2 or layout.header_row < 1:
        return [text(c) for c in sub]
    top = sheet.rows[layout.header_row - 1]
    groups = _groups(top, sub)
    shown: list[str] = []
    for column in range(max(len(top), len(sub))):
        upper = text(_at(top, groups.get(column, column)))
        lower = text(_at(sub, column))
        split = (
            column not in groups and upper and lower and not upper[-1].isascii() and not lower[0].isascii()
        )
        shown.append(upper + lower if split else " ".join(t for t in (upper, lower) if t))
    return shown


def header_key(value: Cell) -> str:
    """A header as compared: half-width, lower case, without spaces, brackets, marks or 必填/选填."""
    text = unicodedata.normalize("NFKC", str(value or "")).lower()
    return _MARKS.sub("", text)


class HeaderTable:
    """The header words of a table's fields, first the one a template writes, then the ones offices use."""

    def __init__(self, headers: dict[str, tuple[str, ...]]):
        self.lookup: dict[str, str] = {}
        #: How plainly a header names its field: the variant's place in its list (手机 before 联系电话).
        self.rank: dict[str, int] = {}
        for name, variants in headers.items():
            for rank, variant in enumerate(variants):
                self.lookup.setdefault(header_key(variant), name)
                self.rank.setdefault(header_key(variant), rank)

    def field(self, value: Cell) -> str | None:
        """The field a header names: 身份证号码 → id_number; 工作单位（部门） → employer; else None."""
        found = self.lookup.get(header_key(value))
        if found is None and value is not None:
            found = self.lookup.get(
                header_key(_BEFORE_BRACKET.sub("", unicodedata.normalize("NFKC", str(value))))
            )
        return found

    def columns(self, row: list[Cell]) -> dict[str, int]:
        """Which column of a header row holds which field.  When two columns name one field, the plainer
        header wins (手机号码 over 联系电话, whichever comes first: an office landline never overwrites
        every mobile), then the first."""
        found: dict[str, int] = {}
        ranks: dict[str, int] = {}
        for position, cell in enumerate(row):
            name = self.field(cell)
            if not name:
                continue
            rank = self.rank.get(header_key(cell), len(self.rank))
            if name not in found or rank < ranks[name]:
                found[name], ranks[name] = position, rank
        return found

    def pair_columns(self, top: list[Cell], sub: list[Cell]) -> tuple[dict[str, int], bool]:
        """Which column of a header over two rows holds which field, and whether the lower row is made of
        header words.  Per column: the two cells joined (身份证 + 号码, 紧急联系人 + 电话), else the sub-header
        (联系方式 over 手机号码), else the top cell when the one below it is empty (merged over both rows)."""
        groups = _groups(top, sub)
        found: dict[str, int] = {}
        words, data = False, False
        for column in range(max(len(top), len(sub))):
            upper, lower = _at(top, groups.get(column, column)), _at(sub, column)
            name: str | None = None
            if isinstance(lower, str) and re.fullmatch(r"[\W_]+", lower.strip()):
                data = True  # only marks ("-", "/", "*"): what a record writes for nothing, never a header
            elif isinstance(lower, str) and lower.strip():
                if isinstance(upper, str) and upper.strip():
                    name = self.lookup.get(header_key(upper.strip() + lower.strip()))
                name = name or self.field(lower)
                words = True
                # a run of digits (an ID number, a phone, a date) or a word naming nothing (张三) outside a
                # group is a record's cell
                data = data or bool(_DIGITS.search(unicodedata.normalize("NFKC", lower)))
                data = data or (name is None and column not in groups)
            elif _filled(lower):
                data = True  # a number, a date, a yes/no
            elif _filled(upper):
                name = self.field(upper)
            if name and name not in found:
                found[name] = column
        return found, words and not data

    def two_rows(self, top: list[Cell], sub: list[Cell]) -> dict[str, int] | None:
        """The columns of ``top`` and ``sub`` read as one header over two rows, or None when they are not."""
        columns, words = self.pair_columns(top, sub)
        if not words:
            return None
        one_top, one_sub = self.columns(top), self.columns(sub)
        if len(columns) < len(one_top):
            return None
        if len(columns) > len(one_sub) or (one_top and one_top == one_sub):
            return columns
        return None

    def best_layout(self, sheets: list[Sheet], usable: Callable[[dict[str, int]], bool]) -> Layout | None:
        """The sheet and header row with the most recognised headers among those ``usable`` accepts; a row
        and the one below it read as a header over two rows (:meth:`two_rows`) replace that row's reading."""
        best: tuple[int, Layout] | None = None
        for sheet in sheets:
            rows = sheet.rows[:HEADER_SCAN_ROWS]
            for index, row in enumerate(rows):
                layout = Layout(sheet.name, index, self.columns(row))
                if index + 1 < len(rows):
                    pair = self.two_rows(row, rows[index + 1])
                    if pair is not None and usable(pair):
                        layout = Layout(sheet.name, index + 1, pair, header_rows=2)
                if usable(layout.columns) and (best is None or len(layout.columns) > best[0]):
                    best = (len(layout.columns), layout)
        return None if best is None else best[1]

    def chosen(self, sheet: Sheet, layout: Layout) -> Layout:
        """A layout the user chose: with no columns given, that sheet's header row is recognised afresh, as
        the lower row of a header over two rows when it and the row above read as one (:meth:`two_rows`)."""
        if layout.columns or layout.header_row >= len(sheet.rows):
            return layout
        row = sheet.rows[layout.header_row]
        if layout.header_row >= 1:
            above = sheet.rows[layout.header_row - 1]
            if layout.header_rows >= 2:
                return Layout(
                    layout.sheet, layout.header_row, self.pair_columns(above, row)[0], header_rows=2
                )
            pair = self.two_rows(above, row)
            if pair is not None:
                return Layout(layout.sheet, layout.header_row, pair, header_rows=2)
        return Layout(layout.sheet, layout.header_row, self.columns(row))


_GRAND_TOTAL = re.compile(r"^(合\s*计|总\s*计)")


def table_end(raw: list[Cell]) -> bool:
    """The totals line (合计 …, 总计 …) ends a table: what follows it is another table (a partner's workbook
    lists the agreements under its batches) or notes, never records.  A 小计 line does not end it."""
    first = next((v for v in raw if v is not None and str(v).strip()), None)
    return isinstance(first, str) and bool(_GRAND_TOTAL.match(first.strip()))


def skipped_row(raw: list[Cell]) -> bool:
    """Rows an office's sheet has besides its records: blank rows, the template's example, totals (合计 …)
    and the notes or signature lines under a table (注：…, 填表人：…)."""
    filled = [v for v in raw if v is not None and str(v).strip()]
    if not filled:
        return True
    first = str(filled[0]).strip() if isinstance(filled[0], str) else ""
    if EXAMPLE_MARK.match(first) or _TOTAL.match(first):
        return True
    return len(filled) <= 2 and bool(_FOOTER.match(first)) and any(c in first for c in ":：")
