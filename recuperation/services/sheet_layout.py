"""Finding a table in an office's sheet: the header row below any title rows, which column is which field,
and the rows that are not records (blank lines, a template's example, totals, notes under the table).

Shared by the roster import and the register imports: each describes its fields as a :class:`HeaderTable`
(field → the header words offices use) and says which sets of columns make a usable table.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Layout:
    """Where the table is: the sheet, the header row (0-based) and which column holds which field."""

    sheet: str
    header_row: int
    columns: dict[str, int]


def header_key(value: Cell) -> str:
    """A header as compared: half-width, lower case, without spaces, brackets, marks or 必填/选填."""
    text = unicodedata.normalize("NFKC", str(value or "")).lower()
    return _MARKS.sub("", text)


class HeaderTable:
    """The header words of a table's fields, first the one a template writes, then the ones offices use."""

    def __init__(self, headers: dict[str, tuple[str, ...]]):
        self.lookup: dict[str, str] = {}
        for name, variants in headers.items():
            for variant in variants:
                self.lookup.setdefault(header_key(variant), name)

    def field(self, value: Cell) -> str | None:
        """The field a header names: 身份证号码 → id_number; 工作单位（部门） → employer; else None."""
        found = self.lookup.get(header_key(value))
        if found is None and value is not None:
            found = self.lookup.get(
                header_key(_BEFORE_BRACKET.sub("", unicodedata.normalize("NFKC", str(value))))
            )
        return found

    def columns(self, row: list[Cell]) -> dict[str, int]:
        """Which column of a header row holds which field (the first column naming a field wins)."""
        found: dict[str, int] = {}
        for position, cell in enumerate(row):
            name = self.field(cell)
            if name and name not in found:
                found[name] = position
        return found

    def best_layout(self, sheets: list[Sheet], usable: Callable[[dict[str, int]], bool]) -> Layout | None:
        """The sheet and header row with the most recognised headers among those ``usable`` accepts."""
        best: tuple[int, Layout] | None = None
        for sheet in sheets:
            for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
                columns = self.columns(row)
                if usable(columns) and (best is None or len(columns) > best[0]):
                    best = (len(columns), Layout(sheet.name, index, columns))
        return None if best is None else best[1]

    def chosen(self, sheet: Sheet, layout: Layout) -> Layout:
        """A layout the user chose: with no columns given, that sheet's header row is recognised afresh."""
        if layout.columns or layout.header_row >= len(sheet.rows):
            return layout
        return Layout(layout.sheet, layout.header_row, self.columns(sheet.rows[layout.header_row]))


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
