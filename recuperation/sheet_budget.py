"""The budget of a workbook, checked from the file's structure before calamine allocates anything.

calamine lays a sheet out as one dense block from its first to its last cell with a value, copies a shared
string into every cell that shows it, reserves what a file's counts announce and expands repeated rows and
columns; an allocation it cannot make aborts the process (Rust does not raise).  So a 2 KB .xlsx with one
cell at XFD1048576 asks for 512 GB.  This module reads what decides those allocations, with its own bounded
parsers, and refuses the file with a message that names the problem before calamine is called:

- the ZIP directory (.xlsx, .xlsm, .xlsb, .ods): at most :data:`MAX_ENTRIES` parts, no two sharing their data,
  :data:`MAX_UNPACKED` bytes unpacked in all, no part over 1 MB compressed more than :data:`MAX_RATIO` to 1;
  every part is then inflated in 1 MB steps and must give exactly the size and CRC its directory entry
  declares (a "zip bomb" that lies about its size is stopped at the declared size);
- .xlsx/.xlsm: the cells of every sheet (``<c>`` elements with content, positions as calamine reads them,
  not the ``<dimension>``, which calamine does not trust either) and the shared-string table (its
  ``uniqueCount`` against its entries, the length of each entry, counted once per cell that shows it);
- .ods: ``table:number-rows-repeated`` and ``table:number-columns-repeated`` expanded as calamine expands
  them, with the text of every repeated cell and ``<text:s text:c="…"/>`` runs of spaces;
- .xlsb: the record framing of the parts calamine reads (a record may not claim more bytes than its part
  holds: calamine allocates what it claims), the cells of every sheet and the shared-string lengths;
- .xls: the OLE container's chains (a chain that loops would be followed for ever), the FAT size, the
  DIMENSIONS record of each sheet (calamine reserves room for the rectangle it declares), the cells and the
  shared-string table.

The limits count what calamine and Python will hold: :data:`MAX_CELLS` cells in the blocks of all sheets
together, :data:`MAX_FILLED` cells with a value, :data:`MAX_TEXT` bytes of cell text.  A sheet may not
reach below row :data:`MAX_ROWS`; columns past :data:`MAX_COLUMNS` are read (and dropped by the reader) as
long as the block stays within the budget.  When a few stray cells make the block huge, the message names
the farthest one ("the sheet 名单 has something in XFD1048576, far from the table") so that the coordinator
can delete it; a declared rectangle that is huge is named the same way.  A workbook within every limit is
read in under 500 MB and a few seconds (see :mod:`recuperation.sheets`).

These parsers follow calamine 0.37's reading closely but are not calamine: what they miss is caught by the
child process the workbook is read in (:mod:`recuperation.sheets_child`), whose memory and time are limited.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import struct
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from recuperation import messages
from recuperation.errors import ValidationError

MAX_ROWS = 20_000  # far more than any group; a bigger sheet is not a roster
MAX_COLUMNS = 200
MAX_FILE_BYTES = 50 * 1024 * 1024  # a 20,000-row roster is a few MB in any format
MAX_CELLS = 2_000_000  # cells in the blocks calamine lays out, all sheets together (40 bytes each at least)
MAX_FILLED = 1_000_000  # cells with a value (each one a Python object)
MAX_TEXT = 32 * 1024 * 1024  # bytes of cell text, a shared string counted in every cell that shows it
MAX_UNPACKED = 200 * 1024 * 1024  # the parts of a workbook, unpacked (a 1,000,000-cell sheet is ~60 MB)
MAX_RATIO = 500  # Excel's parts compress 5–30 to 1, a sheet of one text repeated 250; a bomb of zeros 1,000
MAX_ENTRIES = 5_000  # parts of a ZIP workbook (a workbook of 1,000 sheets has ~3,000)
MAX_RUN = 4 * 1024 * 1024  # one tag, or text between tags, that an XML reader holds at once
MAX_SHARED = MAX_FILLED  # entries of a shared-string table
STRAY = 10  # at most this many rows (or columns) past the limits are stray cells rather than a big table

_STEP = 1 << 20  # bytes read and inflated at a time


class Phrase:
    """A catalogue entry given as a parameter of a message, rendered in the language of the moment the
    message is shown (a DomainError renders its message when it is shown, not when it is raised)."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params

    def __str__(self) -> str:
        return messages.text(self.key, **self.params)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Phrase({self.key!r})"

    def __reduce__(self) -> tuple[object, ...]:  # crosses the pipe from the reading process
        return (_phrase, (self.key, self.params))


def _phrase(key: str, params: dict[str, object]) -> Phrase:
    return Phrase(key, **params)


def cell_name(row: int, col: int) -> str:
    """The name of a cell: XFD1048576 for the 0-based (1048575, 16383)."""
    letters = ""
    col += 1
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


class _Refusal:
    """The refusals of one file, each a ValidationError naming the file."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def constructed(self, why: str, **params: object) -> ValidationError:
        return ValidationError(
            "import.constructed", field="file", path=self.path, detail=Phrase(f"import.why.{why}", **params)
        )

    def damaged(self, reason: str) -> ValidationError:
        return ValidationError("import.damaged", field="file", path=self.path, reason=reason)

    def zip_bomb(self, unpacked: int, packed: int) -> ValidationError:
        return ValidationError(
            "import.zip_bomb",
            field="file",
            path=self.path,
            size=f"{unpacked / 1024 / 1024:,.0f}",
            ratio=f"{unpacked / max(packed, 1):,.0f}",
        )


# --- what a sheet holds and the budget of the workbook ----------------------------------------------------------


@dataclass
class Extent:
    """The cells with a value of one sheet (or the formulas of one): where they are and what they hold."""

    label: str
    min_row: int = -1
    max_row: int = -1
    min_col: int = -1
    max_col: int = -1
    filled: int = 0
    text: int = 0
    near_row: int = -1  # the last row with a value within MAX_ROWS
    near_col: int = -1  # the last column with a value within MAX_COLUMNS
    far_rows: set[int] = field(default_factory=set)  # rows past MAX_ROWS with a value, up to STRAY + 1
    far_cols: set[int] = field(default_factory=set)  # columns past MAX_COLUMNS with a value, up to STRAY + 1
    lowest: tuple[int, int] = (0, 0)  # the cell with the largest row
    rightmost: tuple[int, int] = (0, 0)  # the cell with the largest column

    def add(self, row: int, col: int, text: int, repeat_rows: int = 1, repeat_cols: int = 1) -> None:
        """One cell (or a block of repeat_rows × repeat_cols copies of it, its top-left at row, col)."""
        last_row, last_col = row + repeat_rows - 1, col + repeat_cols - 1
        if self.min_row < 0:
            self.min_row, self.max_row, self.min_col, self.max_col = row, last_row, col, last_col
            self.lowest, self.rightmost = (last_row, col), (row, last_col)
        else:
            if row < self.min_row:
                self.min_row = row
            if last_row > self.max_row:
                self.max_row, self.lowest = last_row, (last_row, col)
            if col < self.min_col:
                self.min_col = col
            if last_col > self.max_col:
                self.max_col, self.rightmost = last_col, (row, last_col)
        copies = repeat_rows * repeat_cols
        self.filled += copies
        self.text += text * copies
        if row < MAX_ROWS:
            near = last_row if last_row < MAX_ROWS else MAX_ROWS - 1
            if near > self.near_row:
                self.near_row = near
        if last_row >= MAX_ROWS and len(self.far_rows) <= STRAY:
            first = max(row, MAX_ROWS)
            self.far_rows.update(range(first, min(last_row, first + STRAY) + 1))
        if col < MAX_COLUMNS:
            near = last_col if last_col < MAX_COLUMNS else MAX_COLUMNS - 1
            if near > self.near_col:
                self.near_col = near
        if last_col >= MAX_COLUMNS and len(self.far_cols) <= STRAY:
            first = max(col, MAX_COLUMNS)
            self.far_cols.update(range(first, min(last_col, first + STRAY) + 1))

    @property
    def area(self) -> int:
        if self.min_row < 0:
            return 0
        return (self.max_row - self.min_row + 1) * (self.max_col - self.min_col + 1)

    @property
    def stray_rows(self) -> bool:
        """Whether the rows past MAX_ROWS are a few stray cells, apart from the table (not its end)."""
        return len(self.far_rows) <= STRAY and min(self.far_rows) > self.near_row + 1

    @property
    def stray_cols(self) -> bool:
        return len(self.far_cols) <= STRAY and min(self.far_cols) > self.near_col + 1


class Budget:
    """The cells, values and text of a workbook, sheet by sheet, against the limits."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self.refuse = _Refusal(path)
        self.cells = 0
        self.filled = 0
        self.text = 0

    def far(self, extent: Extent, cell: tuple[int, int]) -> ValidationError:
        if cell[0] >= MAX_ROWS:
            where = Phrase("import.far.rows", limit=MAX_ROWS)
        else:
            where = Phrase("import.far.columns", limit=f"{MAX_CELLS:,}")
        return ValidationError(
            "import.far_cell",
            field="file",
            path=self.path,
            sheet=extent.label,
            cell=cell_name(*cell),
            where=where,
        )

    def too_many_cells(self, count: int) -> ValidationError:
        return ValidationError(
            "import.too_many_cells", field="file", path=self.path, count=f"{count:,}", limit=f"{MAX_CELLS:,}"
        )

    def text_bomb(self) -> ValidationError:
        return ValidationError(
            "import.text_bomb", field="file", path=self.path, limit=MAX_TEXT // 1024 // 1024
        )

    def extent_declared(self, sheet: str, corner: tuple[int, int], cells: int) -> ValidationError:
        return ValidationError(
            "import.sheet_extent",
            field="file",
            path=self.path,
            sheet=sheet,
            cell=cell_name(*corner),
            count=f"{cells:,}",
        )

    def running(self, extent: Extent) -> None:
        """A check while a sheet is being scanned: stop as soon as it is over any limit."""
        if len(extent.far_rows) > STRAY:
            raise self.too_many_rows(extent)
        if extent.filled + self.filled > MAX_FILLED:
            raise self.too_many_cells(extent.filled + self.filled)
        if extent.text + self.text > MAX_TEXT:
            raise self.text_bomb()

    def too_many_rows(self, extent: Extent) -> ValidationError:
        return ValidationError(
            "import.too_many_rows", field="file", path=self.path, sheet=extent.label, limit=MAX_ROWS
        )

    def sheet(self, extent: Extent, formulas: Extent | None = None) -> None:
        """A sheet scanned to its end: its rows, its block and the workbook's totals."""
        self.running(extent)
        if extent.max_row >= MAX_ROWS:
            raise self.far(extent, extent.lowest) if extent.stray_rows else self.too_many_rows(extent)
        area = extent.area + (formulas.area if formulas is not None else 0)
        if self.cells + area > MAX_CELLS:
            if extent.max_col >= MAX_COLUMNS and extent.stray_cols:
                raise self.far(extent, extent.rightmost)
            if formulas is not None and formulas.area > extent.area:
                far = formulas.max_row >= MAX_ROWS or formulas.max_col < MAX_COLUMNS
                raise self.far(formulas, formulas.lowest if far else formulas.rightmost)
            raise self.too_many_cells(self.cells + area)
        self.cells += area
        self.filled += extent.filled
        self.text += extent.text


# --- ZIP: the directory and the bounded inflation of each part -------------------------------------------------


@dataclass(frozen=True)
class Part:
    name: str
    method: int
    flags: int
    crc: int
    packed: int
    size: int
    offset: int  # of the local header
    data: int = 0  # where the (compressed) data starts


def _zip_directory(handle: BinaryIO, file_size: int, refuse: _Refusal) -> list[Part]:
    """The entries of a ZIP file's central directory, read as zipfile and the zip crate read it (the last
    end-of-central-directory record; ZIP64 when it says so), and checked: count, bounds, no shared data."""
    tail_size = min(file_size, 65_536 + 22)
    handle.seek(file_size - tail_size)
    tail = handle.read(tail_size)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        raise refuse.damaged("no end of central directory")
    _, _, _, _, count, cd_size, cd_offset, _ = struct.unpack("<IHHHHIIH", tail[end : end + 22])
    eocd_at = file_size - tail_size + end
    if count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        locator = tail[end - 20 : end] if end >= 20 else b""
        if len(locator) == 20 and locator[:4] == b"PK\x06\x07":
            (record_at,) = struct.unpack("<Q", locator[8:16])
            if record_at + 56 > file_size:
                raise refuse.damaged("ZIP64 end record past the end of the file")
            handle.seek(record_at)
            record = handle.read(56)
            if record[:4] != b"PK\x06\x06":
                raise refuse.damaged("no ZIP64 end record")
            count, cd_size, cd_offset = struct.unpack("<QQQ", record[32:56])
            eocd_at = record_at
    if count > MAX_ENTRIES:
        raise refuse.constructed("entries", count=f"{count:,}", limit=f"{MAX_ENTRIES:,}")
    # A ZIP may be preceded by other data (a self-extracting stub): offsets are then shifted by its length.
    shift = eocd_at - cd_size - cd_offset
    if shift < 0 or cd_size > file_size:
        raise refuse.damaged("central directory out of bounds")
    handle.seek(cd_offset + shift)
    directory = handle.read(cd_size)
    parts: list[Part] = []
    at = 0
    while at + 46 <= len(directory):
        if directory[at : at + 4] != b"PK\x01\x02":
            break
        (flags, method, _, _, crc, packed, size, name_len, extra_len, comment_len, _, _, _, offset) = (
            struct.unpack("<HHHHIIIHHHHHII", directory[at + 8 : at + 46])
        )
        name = directory[at + 46 : at + 46 + name_len].decode(
            "utf-8" if flags & 0x800 else "cp437", "replace"
        )
        extra = directory[at + 46 + name_len : at + 46 + name_len + extra_len]
        if 0xFFFFFFFF in (packed, size, offset):
            packed, size, offset = _zip64_sizes(extra, packed, size, offset)
        parts.append(Part(name, method, flags, crc, packed, size, offset + shift))
        at += 46 + name_len + extra_len + comment_len
        if len(parts) > MAX_ENTRIES:
            raise refuse.constructed("entries", count=f"{len(parts):,}+", limit=f"{MAX_ENTRIES:,}")
    located = []
    for part in parts:
        if part.offset + 30 > file_size:
            raise refuse.damaged(f"{part.name}: local header past the end of the file")
        handle.seek(part.offset)
        local = handle.read(30)
        if local[:4] != b"PK\x03\x04":
            raise refuse.damaged(f"{part.name}: no local header")
        name_len, extra_len = struct.unpack("<HH", local[26:30])
        data = part.offset + 30 + name_len + extra_len
        if data + part.packed > file_size:
            raise refuse.damaged(f"{part.name}: data past the end of the file")
        located.append(dataclasses.replace(part, data=data))
    ordered = sorted(located, key=lambda p: p.offset)
    for before, after in itertools.pairwise(ordered):
        if before.data + before.packed > after.offset:
            raise refuse.constructed("overlap", first=before.name, second=after.name)
    return located


def _zip64_sizes(extra: bytes, packed: int, size: int, offset: int) -> tuple[int, int, int]:
    at = 0
    while at + 4 <= len(extra):
        kind, length = struct.unpack("<HH", extra[at : at + 4])
        if kind == 0x0001:
            values = extra[at + 4 : at + 4 + length]
            fields = [struct.unpack("<Q", values[i : i + 8])[0] for i in range(0, len(values) - 7, 8)]
            if size == 0xFFFFFFFF and fields:
                size = fields.pop(0)
            if packed == 0xFFFFFFFF and fields:
                packed = fields.pop(0)
            if offset == 0xFFFFFFFF and fields:
                offset = fields.pop(0)
            break
        at += 4 + length
    return packed, size, offset


def _inflate(handle: BinaryIO, part: Part, refuse: _Refusal) -> Iterator[bytes]:
    """The unpacked bytes of a part, 1 MB at a time, never more than its declared size; at the end its size
    and CRC are those the directory declares (else the file is refused)."""
    handle.seek(part.data)
    left_in = part.packed
    produced = 0
    crc = 0
    inflater = zlib.decompressobj(-15) if part.method == 8 else None
    pending = b""
    while True:
        if inflater is not None and pending:
            out = inflater.decompress(pending, _STEP)
            pending = inflater.unconsumed_tail
        else:
            if left_in <= 0:
                break
            chunk = handle.read(min(_STEP, left_in))
            if not chunk:
                raise refuse.damaged(f"{part.name}: cut short")
            left_in -= len(chunk)
            if inflater is None:
                out = chunk
            else:
                out = inflater.decompress(chunk, _STEP)
                pending = inflater.unconsumed_tail
        if out:
            produced += len(out)
            if produced > part.size:
                raise refuse.constructed("size_lie", part=part.name, declared=f"{part.size:,}")
            crc = zlib.crc32(out, crc)
            yield out
        if inflater is not None and inflater.eof:
            break
    if inflater is not None:
        try:
            rest = inflater.flush()
        except zlib.error as exc:
            raise refuse.damaged(f"{part.name}: {exc}") from exc
        if rest:
            produced += len(rest)
            if produced > part.size:
                raise refuse.constructed("size_lie", part=part.name, declared=f"{part.size:,}")
            crc = zlib.crc32(rest, crc)
            yield rest
    if produced != part.size:
        raise refuse.constructed("size_lie", part=part.name, declared=f"{part.size:,}")
    if crc != part.crc:
        raise refuse.damaged(f"{part.name}: bad CRC")


def _safe_inflate(handle: BinaryIO, part: Part, refuse: _Refusal) -> Iterator[bytes]:
    try:
        yield from _inflate(handle, part, refuse)
    except zlib.error as exc:
        raise refuse.damaged(f"{part.name}: {exc}") from exc


# --- XML scanning --------------------------------------------------------------------------------------------

# A start or end tag whose attribute values (quoted) may hold ">" or "<", as quick-xml finds its end.  At the
# end of a piece a tag may be cut short: the last group is then empty and the tag is read again with the
# next piece.
_PREFIX = rb"""(?:[^\s<>/:"'=]+:)?"""
_ATTRS = rb"""((?:[^>"']++|"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z))*+)(>|\Z)"""


def _tags(names: bytes, prefixed: bool = True) -> re.Pattern[bytes]:
    return re.compile(
        rb"<(/?)" + (_PREFIX if prefixed else b"") + rb"(" + names + rb")(?=[\s/>]|\Z)" + _ATTRS
    )


_XLSX_TAG = _tags(rb"c|row|sheetData")
# A whole cell as Excel, WPS, openpyxl and XlsxWriter write most of them (a reference, a style, a type, one
# value): read in one step.  Any other form goes through _XLSX_TAG, with the same result.
_XLSX_CELL_OR_TAG = re.compile(
    rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="[0-9]{1,6}")?(?: t="([a-zA-Z]{1,9})")?(?: s="[0-9]{1,6}")?>'
    rb"(<v>([^<]{0,64})</v>)?</c>|" + _XLSX_TAG.pattern
)
_CELL_ATTR = re.compile(rb"""(?:^|\s)([rt])\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_PLAIN_REFERENCE = re.compile(rb"([A-Z]{1,3})([1-9][0-9]{0,6})")
_COLUMNS: dict[bytes, int] = {}  # "AB" → 27, as they are met
_VALUE = re.compile(rb"<" + _PREFIX + rb"v(?=[\s>])[^>]*>\s*([0-9]{1,19})\s*<")
_SST_TAG = _tags(rb"si|sst")
_SST_ENTRY_OR_TAG = re.compile(rb'<si>(<t(?: xml:space="preserve")?>[^<]*</t>)</si>|' + _SST_TAG.pattern)
_ODS_TAG = _tags(rb"table:table|table:table-row|table:table-cell|table:covered-table-cell|text:s", False)
_ATTR = re.compile(rb"""(?:^|\s)([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SHEET_DATA = re.compile(rb"<" + _PREFIX + rb"sheetData(?=[\s/>])")
_ODS_CONTENT_ATTR = re.compile(
    rb"office:(?:value|string-value|date-value|time-value|boolean-value)\s*=|table:formula\s*="
    rb"""|office:value-type\s*=\s*["']string["']"""
)
_ODS_FORMULA_ATTR = re.compile(rb"table:formula\s*=")

_U32 = 0xFFFFFFFF


def _attributes(raw: bytes) -> dict[bytes, bytes]:
    found: dict[bytes, bytes] = {}
    for match in _ATTR.finditer(raw):
        name = match.group(1)
        if name in found:
            found[name + b"#"] = b""  # a repeated attribute: readers disagree on which one counts
        found[name] = match.group(2) if match.group(2) is not None else match.group(3)
    return found


def _number(raw: bytes | None, default: int) -> int:
    """A repeat count as calamine parses it (decimal digits; anything else makes calamine fail, so any
    count will do)."""
    if raw is None:
        return default
    raw = raw.strip()
    return int(raw) if raw.isdigit() and len(raw) < 20 else default


def _column_number(letters: bytes) -> int:
    """0 for "A", 16383 for "XFD" (letters A–Z only), remembered."""
    col = 0
    for c in letters:
        col = col * 26 + c - 64
    _COLUMNS[letters] = col - 1
    return col - 1


def _reference(raw: bytes) -> tuple[int, int | None] | None:
    """calamine's reading of "B12" as (row, column), 0-based, with its 32-bit wrap-around; None when it fails."""
    plain = _PLAIN_REFERENCE.fullmatch(raw)
    if plain is not None:
        letters = plain.group(1)
        col = _COLUMNS.get(letters, -1)
        return int(plain.group(2)) - 1, col if col >= 0 else _column_number(letters)
    row = col = 0
    i, length = 0, len(raw)
    while i < length:
        c = raw[i]
        if 65 <= c <= 90:
            col = (col * 26 + c - 64) & _U32
        elif 97 <= c <= 122:
            col = (col * 26 + c - 96) & _U32
        elif 48 <= c <= 57:
            break
        else:
            return None
        i += 1
    while i < length:
        c = raw[i]
        if not 48 <= c <= 57:
            return None
        row = (row * 10 + c - 48) & _U32
        i += 1
    if row == 0:
        return None
    return row - 1, (col - 1 if col else None)


class _Pieces:
    """A part's bytes in pieces for a scanner, each piece starting with what the scanner kept of the one
    before (an unfinished tag, or text it still needs: at most MAX_RUN bytes), with ``base`` the offset of
    the piece in the part.  With ``markup`` set, a run of more than MAX_RUN bytes without "<" (which an XML
    reader would hold whole) refuses the file."""

    def __init__(self, chunks: Iterator[bytes], part: str, refuse: _Refusal) -> None:
        self.chunks = chunks
        self.part = part
        self.refuse = refuse
        self.markup = False
        self.tail = b""
        self.base = 0
        self.run = 0  # bytes since the last "<"

    def __iter__(self) -> Iterator[bytes]:
        consumed = 0
        for chunk in self.chunks:
            if self.markup:
                last = chunk.rfind(b"<")
                if last < 0:
                    self.run += len(chunk)
                else:
                    if self.run + chunk.find(b"<") > MAX_RUN:
                        self.too_long()
                    self.run = len(chunk) - last - 1
                if self.run > MAX_RUN:
                    self.too_long()
            self.base = consumed - len(self.tail)
            consumed += len(chunk)
            yield self.tail + chunk if self.tail else chunk

    def too_long(self) -> None:
        raise self.refuse.constructed("long_run", part=self.part, size=MAX_RUN // 1024 // 1024)

    def keep(self, data: bytes, start: int) -> None:
        """Keep data[start:] for the next piece."""
        self.tail = data[start:]
        if len(self.tail) > MAX_RUN:
            self.too_long()


def _resume(data: bytes, done: int, cut: int | None) -> int:
    """Where the next piece must start again: at a tag cut short, else at the last "<" not yet read (a tag
    whose name is cut), else at the end."""
    last = data.rfind(b"<", done)
    start = len(data) if last < 0 else last
    return start if cut is None else min(start, cut)


def _scan_shared_strings(chunks: Iterator[bytes], part: str, budget: Budget) -> array[int]:
    """The byte length of each entry of an .xlsx shared-string table (an upper bound of its text), and a
    refusal when its uniqueCount announces far more entries than it holds (calamine reserves room for them)."""
    lengths: array[int] = array("Q")
    pieces = _Pieces(chunks, part, budget.refuse)
    pieces.markup = True
    unique: int | None = None
    opened = -1  # offset in the part of the content of an <si> not yet closed
    total = 0
    for data in pieces:
        done, cut = 0, None
        for match in _SST_ENTRY_OR_TAG.finditer(data):
            entry, closing, name, attrs, end = match.groups()
            if entry is not None:  # a whole plain entry
                if opened >= 0:
                    raise budget.refuse.constructed("nesting", part=part)
                done = match.end()
                lengths.append(len(entry))
                total += len(entry)
                continue
            if not end:
                cut = match.start()
                break
            done = match.end()
            if name == b"sst":
                if not closing and unique is None:
                    value = _attributes(attrs).get(b"uniqueCount", b"")
                    if value.isdigit() and len(value) < 20:
                        unique = int(value)
            elif closing:
                if opened >= 0:
                    size = pieces.base + match.start() - opened
                    lengths.append(size)
                    total += size
                    opened = -1
            elif attrs.endswith(b"/"):
                lengths.append(0)
            else:
                opened = pieces.base + match.end()
        if len(lengths) > MAX_SHARED:
            raise budget.too_many_cells(len(lengths))
        if total > MAX_TEXT:
            raise budget.text_bomb()
        pieces.keep(data, _resume(data, done, cut))
    if unique is not None and unique > len(lengths) and unique > 100_000:
        raise budget.refuse.constructed("shared_count", claimed=f"{unique:,}", actual=f"{len(lengths):,}")
    return lengths


def _scan_xlsx_sheet(chunks: Iterator[bytes], extent: Extent, shared: array[int], budget: Budget) -> bool:
    """The cells with a value of one .xlsx worksheet part, placed as calamine places them (an ``r``
    attribute, else the next column of the row; ``<row r>``, else the next row).  The text of a cell is its
    shared string, or the length of its content.  False when the part has no sheetData (not a worksheet)."""
    pieces = _Pieces(chunks, extent.label, budget.refuse)
    started = ended = False
    row = col = 0
    count = len(shared)
    # the cell being read: its row, column, type and where its content starts (in the part)
    cell: tuple[int, int, bytes, int] | None = None
    for data in pieces:
        if ended:
            continue
        at = 0
        if not started:
            begins = _SHEET_DATA.search(data)
            if begins is None:
                pieces.keep(data, max(0, len(data) - 64))
                continue
            started, at, pieces.markup = True, begins.end(), True
        base = pieces.base
        done, cut = at, None
        for match in _XLSX_CELL_OR_TAG.finditer(data, at):
            letters, digits, fast_type, content, value, closing, name, attrs, end = match.groups()
            if letters is not None:  # a whole cell
                if cell is not None:
                    raise budget.refuse.constructed("nesting", part=extent.label)
                done = match.end()
                cell_col = _COLUMNS.get(letters, -1)
                if cell_col < 0:
                    cell_col = _column_number(letters)
                if fast_type == b"s":
                    index = int(value) if value is not None and value.isdigit() else -1
                    text = shared[index] if 0 <= index < count else 0
                else:
                    text = len(content) if content is not None else 0
                extent.add(int(digits) - 1, cell_col, text)
                col = cell_col + 1
                continue
            if not end:
                cut = match.start()
                break
            done = match.end()
            if name == b"c":
                if closing:
                    if cell is None:
                        continue
                    cell_row, cell_col, kind, begun = cell
                    if kind == b"s":
                        found = _VALUE.search(data, begun - base, match.start())
                        index = int(found.group(1)) if found else -1
                        text = shared[index] if 0 <= index < count else 0
                    else:
                        text = base + match.start() - begun
                    extent.add(cell_row, cell_col, text)
                    col = cell_col + 1
                    cell = None
                    continue
                if cell is not None:  # a cell inside a cell: no spreadsheet writes that
                    raise budget.refuse.constructed("nesting", part=extent.label)
                reference: bytes | None = None
                cell_type: bytes | None = None
                for letter, double, single in _CELL_ATTR.findall(attrs):
                    given = double or single
                    if letter == b"r":
                        if reference is not None:
                            raise budget.refuse.constructed("nesting", part=extent.label)
                        reference = given
                    else:
                        if cell_type is not None:
                            raise budget.refuse.constructed("nesting", part=extent.label)
                        cell_type = given
                if reference is not None:
                    place = _reference(reference)
                    if place is None or place[1] is None:
                        raise budget.refuse.damaged(f"{extent.label}: cell reference {reference[:20]!r}")
                    cell_row, cell_col = place[0], place[1]
                else:
                    cell_row, cell_col = row, col
                if attrs.endswith(b"/"):
                    col = cell_col + 1  # an empty (formatted) cell: calamine keeps nothing
                else:
                    cell = (cell_row, cell_col, cell_type or b"", base + match.end())
            elif cell is not None:
                continue  # calamine reads a cell's content up to its end tag
            elif name == b"row":
                if closing:
                    row, col = (row + 1) & _U32, 0
                    continue
                reference = _attributes(attrs).get(b"r")
                if reference is not None:
                    place = _reference(reference)
                    if place is None:
                        raise budget.refuse.damaged(f"{extent.label}: row reference {reference[:20]!r}")
                    row = place[0]
                if attrs.endswith(b"/"):
                    row, col = (row + 1) & _U32, 0
            elif closing:  # </sheetData>
                ended = True
                break
        budget.running(extent)
        resume = _resume(data, done, cut)
        if cell is not None:  # keep the content of the open cell: it holds no tag that is read again
            resume = min(resume, cell[3] - base)
        pieces.keep(data, resume)
    return started


# --- .ods --------------------------------------------------------------------------------------------------------

_ODS_MAX_ROWS = 1_048_576  # calamine's caps on repeats
_ODS_MAX_COLUMNS = 16_384


def _scan_ods(chunks: Iterator[bytes], budget: Budget) -> None:
    """Every table of an .ods content.xml, its repeated rows and columns expanded as calamine expands them:
    a row's cells up to its last cell with a value are laid out (empty ones too, each repeat of them), the
    rows from the first to the last with a value are repeated, each cell copying its text."""
    pieces = _Pieces(chunks, "content.xml", budget.refuse)
    pieces.markup = True
    extent: Extent | None = None
    formulas: Extent | None = None
    tables = 0
    laid_out = 0  # cells calamine holds before it repeats rows, all tables
    rows_used = 0  # rows of the current table so far, repeats capped as calamine caps them
    repeats = 0  # of the current row
    pushed = pending = 0  # cells of the row so far; empty cells waiting for a cell after them
    row_cells: list[tuple[int, int, int, bool]] = []  # first column, repeat, text, formula
    in_row = False
    cell: tuple[int, int, bool, int] | None = None  # first column, repeat, formula, where it starts
    spaces = 0

    def end_row() -> None:
        nonlocal rows_used, laid_out
        assert extent is not None and formulas is not None
        copies = max(repeats, 1)
        for first, repeat, text, formula in row_cells:
            extent.add(rows_used, first, text, copies, repeat)
            if formula:
                formulas.add(rows_used, first, 0, copies, repeat)
        rows_used += repeats
        laid_out += pushed

    for data in pieces:
        done, cut = 0, None
        for match in _ODS_TAG.finditer(data):
            closing, name, attrs, end = match.groups()
            if not end:
                cut = match.start()
                break
            done = match.end()
            empty = attrs.endswith(b"/")
            if name == b"table:table":
                if closing:
                    if extent is not None and formulas is not None:
                        budget.sheet(extent, formulas if formulas.filled else None)
                    extent = formulas = None
                elif not empty:
                    tables += 1
                    label = _attributes(attrs).get(b"table:name", b"").decode("utf-8", "replace") or str(
                        tables
                    )
                    extent, formulas = Extent(label), Extent(label)
                    rows_used = 0
            elif extent is None:
                continue
            elif name == b"table:table-row":
                if closing:
                    if in_row:
                        end_row()
                    in_row = False
                    continue
                wanted = _number(_attributes(attrs).get(b"table:number-rows-repeated"), 1)
                repeats = min(wanted, max(0, _ODS_MAX_ROWS - rows_used))
                pushed = pending = 0
                row_cells = []
                in_row = True
                if empty:
                    end_row()
                    in_row = False
            elif name == b"text:s":
                if cell is not None and not closing:
                    spaces += _number(_attributes(attrs).get(b"text:c"), 1)
            elif not in_row:
                continue
            elif closing:  # the end of a cell with a value (empty cells end where they start)
                if cell is not None:
                    first, repeat, formula, begun = cell
                    row_cells.append((first, repeat, pieces.base + match.end() - begun + spaces, formula))
                    cell, spaces = None, 0
            else:
                if cell is not None:
                    raise budget.refuse.constructed("nesting", part="content.xml")
                wanted = _number(_attributes(attrs).get(b"table:number-columns-repeated"), 1)
                pushed += min(pending, _ODS_MAX_COLUMNS - pushed)
                pending = 0
                repeat = min(wanted, _ODS_MAX_COLUMNS - pushed)
                if _ODS_CONTENT_ATTR.search(attrs):
                    formula = bool(_ODS_FORMULA_ATTR.search(attrs))
                    if repeat > 0:
                        if empty:
                            row_cells.append((pushed, repeat, len(match.group(0)), formula))
                        else:
                            cell, spaces = (pushed, repeat, formula, pieces.base + match.start()), 0
                    pushed += repeat
                else:
                    pending = repeat
        if extent is not None:
            budget.running(extent)
        if laid_out > MAX_CELLS:
            raise budget.too_many_cells(laid_out)
        pieces.keep(data, _resume(data, done, cut))


# --- .xlsb -------------------------------------------------------------------------------------------------------


class _Records:
    """BIFF12 records from a stream of pieces: (type, data), with the framing checked against the part."""

    def __init__(self, chunks: Iterator[bytes], part: str, refuse: _Refusal) -> None:
        self.chunks = chunks
        self.part = part
        self.refuse = refuse
        self.buffer = bytearray()
        self.at = 0
        self.done = False

    def _fill(self, need: int) -> bool:
        while len(self.buffer) - self.at < need and not self.done:
            try:
                chunk = next(self.chunks)
            except StopIteration:
                self.done = True
                break
            if self.at:
                del self.buffer[: self.at]
                self.at = 0
            self.buffer += chunk
        return len(self.buffer) - self.at >= need

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        while self._fill(1):
            b = self.buffer[self.at]
            kind, used = b & 0x7F, 1
            if b & 0x80:
                if not self._fill(2):
                    return
                kind += (self.buffer[self.at + 1] & 0x7F) << 7
                used = 2
            if not self._fill(used + 4) and not self._fill(used + 1):
                return
            length, shift = 0, 0
            for _ in range(4):
                if self.at + used >= len(self.buffer):
                    return
                byte = self.buffer[self.at + used]
                used += 1
                length += (byte & 0x7F) << shift
                shift += 7
                if not byte & 0x80:
                    break
            if length > MAX_RUN or not self._fill(used + length):
                raise self.refuse.constructed("record", part=self.part)
            data = bytes(self.buffer[self.at + used : self.at + used + length])
            self.at += used + length
            yield kind, data


def _scan_xlsb_shared(chunks: Iterator[bytes], part: str, budget: Budget) -> array[int]:
    lengths: array[int] = array("Q")
    total = 0
    for kind, data in _Records(chunks, part, budget.refuse):
        if kind == 0x0013 and len(data) >= 5:
            (chars,) = struct.unpack_from("<I", data, 1)
            size = 3 * min(chars, (len(data) - 5) // 2)
            lengths.append(size)
            total += size
            if total > MAX_TEXT:
                raise budget.text_bomb()
            if len(lengths) > MAX_SHARED:
                raise budget.too_many_cells(len(lengths))
    return lengths


def _scan_xlsb_sheet(chunks: Iterator[bytes], extent: Extent, shared: array[int], budget: Budget) -> None:
    """The cells of an .xlsb worksheet, read as calamine reads them: with one buffer that keeps the bytes of
    longer records before it (a short record reads them)."""
    buffer = bytearray(16)
    row = 0
    count = len(shared)
    seen = 0
    for kind, data in _Records(chunks, extent.label, budget.refuse):
        if len(buffer) < len(data):
            buffer.extend(bytes(len(data) - len(buffer)))
        buffer[: len(data)] = data
        if kind == 0x0000:
            (row,) = struct.unpack_from("<I", buffer, 0)
            if row > 0x100000:
                return
            continue
        if kind == 0x0092:
            return
        if not 2 <= kind <= 11 or len(buffer) < 16:
            continue
        (col,) = struct.unpack_from("<I", buffer, 0)
        text = 0
        if kind in (6, 8):
            (chars,) = struct.unpack_from("<I", buffer, 8)
            text = 3 * min(chars, max(0, (len(buffer) - 12) // 2))
        elif kind == 7:
            (index,) = struct.unpack_from("<I", buffer, 8)
            text = shared[index] if index < count else 0
        extent.add(row, col, text)
        seen += 1
        if seen % 65_536 == 0:
            budget.running(extent)


# --- ZIP workbooks -----------------------------------------------------------------------------------------------


def _check_zip(path: Path, handle: BinaryIO, file_size: int, budget: Budget) -> None:
    refuse = budget.refuse
    parts = _zip_directory(handle, file_size, refuse)
    unpacked = sum(part.size for part in parts)
    packed = sum(part.packed for part in parts)
    if unpacked > MAX_UNPACKED:
        raise refuse.zip_bomb(unpacked, packed)
    for part in parts:
        if part.size > _STEP and part.size > part.packed * MAX_RATIO:
            raise refuse.zip_bomb(part.size, part.packed)
    for part in parts:
        if (
            part.method not in (0, 8) or part.flags & 1
        ):  # Office writes parts stored or deflated, never encrypted
            raise refuse.constructed("method", part=part.name, method=part.method)
    readable = parts
    names = {part.name.lower(): part for part in readable}
    content = names.get("content.xml")
    if content is not None:  # OpenDocument (also scanned below as any part: its name does not decide)
        _scan_ods(_safe_inflate(handle, content, refuse), budget)
    binary = any(name.endswith(".bin") and "workbook" in name for name in names)
    shared_parts = [
        p for p in readable if p.name.lower().endswith(("sharedstrings.xml", "sharedstrings.bin"))
    ]
    shared: array[int] = array("Q")
    for part in shared_parts:
        chunks = _safe_inflate(handle, part, refuse)
        if part.name.lower().endswith(".bin"):
            lengths = _scan_xlsb_shared(chunks, part.name, budget)
        else:
            lengths = _scan_shared_strings(chunks, part.name, budget)
        if len(lengths) > len(shared):
            shared.extend(array("Q", bytes(8 * (len(lengths) - len(shared)))))
        for i, size in enumerate(lengths):
            if size > shared[i]:
                shared[i] = size
    labels = _sheet_labels(handle, names, refuse)
    for part in readable:
        if part in shared_parts:
            continue
        chunks = _safe_inflate(handle, part, refuse)
        lowered = part.name.lower()
        extent = Extent(labels.get(lowered, part.name))
        if binary and lowered.endswith(".bin"):
            if "sheet" in lowered or lowered in labels:
                _scan_xlsb_sheet(chunks, extent, shared, budget)
                budget.sheet(extent)
            elif lowered in ("xl/workbook.bin", "xl/styles.bin"):  # calamine reads their records too
                for _ in _Records(chunks, part.name, refuse):
                    pass
            else:
                _drain(chunks)
        elif _scan_xlsx_sheet(chunks, extent, shared, budget):  # any part with a sheetData is read as a sheet
            budget.sheet(extent)


def _drain(chunks: Iterator[bytes]) -> None:
    for _ in chunks:
        pass


_WORKBOOK_SHEET = re.compile(rb"<" + _PREFIX + rb"sheet(?=[\s/>])" + _ATTRS)
_RELATIONSHIP = re.compile(rb"<" + _PREFIX + rb"Relationship(?=[\s/>])" + _ATTRS)


def _sheet_labels(handle: BinaryIO, names: dict[str, Part], refuse: _Refusal) -> dict[str, str]:
    """{lower-cased part name: sheet name} from workbook.xml and its relationships (for the messages)."""
    binary = "xl/workbook.bin" in names
    workbook = names.get("xl/workbook.bin" if binary else "xl/workbook.xml")
    relations = names.get("xl/_rels/workbook.bin.rels" if binary else "xl/_rels/workbook.xml.rels")
    if workbook is None or relations is None or workbook.size > MAX_RUN or relations.size > MAX_RUN:
        return {}
    sheets = b"".join(_safe_inflate(handle, workbook, refuse))
    rels = b"".join(_safe_inflate(handle, relations, refuse))
    targets = {}
    for match in _RELATIONSHIP.finditer(rels):
        found = _attributes(match.group(1))
        target = found.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[found.get(b"Id", b"")] = target.lower()
    labels = {}
    if binary:  # BrtBundleSh records: state, tab id, relation id, name (wide strings)
        for kind, data in _Records(iter([sheets]), workbook.name, refuse):
            if kind == 0x009C and len(data) >= 12:
                (chars,) = struct.unpack_from("<I", data, 8)
                if chars == _U32 or 12 + 2 * chars + 4 > len(data):
                    continue
                relation = data[12 : 12 + 2 * chars].decode("utf-16-le", "replace").encode()
                (name_chars,) = struct.unpack_from("<I", data, 12 + 2 * chars)
                name = data[16 + 2 * chars : 16 + 2 * chars + 2 * name_chars].decode("utf-16-le", "replace")
                if relation in targets:
                    labels[targets[relation]] = name
        return labels
    for match in _WORKBOOK_SHEET.finditer(sheets):
        found = _attributes(match.group(1))
        relation = next((value for key, value in found.items() if key.endswith(b":id")), b"")
        if relation in targets:
            labels[targets[relation]] = found.get(b"name", b"").decode("utf-8", "replace")
    return labels


# --- .xls: the OLE container and the BIFF8 records --------------------------------------------------------------

_END_OF_CHAIN = 0xFFFFFFFE
_RESERVED = 0xFFFFFFFA


def _check_ole(path: Path, handle: BinaryIO, file_size: int, budget: Budget) -> None:
    refuse = budget.refuse
    handle.seek(0)
    header = handle.read(512)
    if len(header) < 512:
        raise refuse.damaged("OLE header cut short")
    shift = struct.unpack_from("<H", header, 30)[0]
    if shift not in (9, 12):
        return  # calamine refuses it by itself
    sector = 1 << shift
    fat_len, dir_start = struct.unpack_from("<II", header, 44)
    mini_start, mini_len, difat_start = struct.unpack_from("<III", header, 60)
    # calamine reserves room for "difat_len" entries read from bytes 62..66 of the header, and for fat_len
    # FAT sectors: both must fit in the file.
    (difat_len,) = struct.unpack_from("<I", header, 62)
    if difat_len * 4 > 64 * 1024 * 1024 + file_size or fat_len * sector > file_size:
        raise refuse.constructed("ole_counts")
    base = sector  # sector 0 starts after the header (which fills a whole 4096-byte sector when shift is 12)
    max_id = file_size // sector

    def read_sector(number: int) -> bytes:
        if number > max_id:
            raise refuse.damaged(f"sector {number} past the end of the file")
        handle.seek(base + number * sector)
        return handle.read(sector)

    difat = list(struct.unpack_from("<109I", header, 76))
    seen: set[int] = set()
    number = difat_start
    while number < _RESERVED:
        if number in seen:
            raise refuse.constructed("chain_loop")
        seen.add(number)
        data = read_sector(number)
        difat.extend(struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4]))
        number = difat.pop() if difat else _END_OF_CHAIN
    fat: array[int] = array("I")
    for number in difat:
        if number < 0xFFFFFFFC:
            data = read_sector(number)
            fat.frombytes(data[: len(data) // 4 * 4])
            if len(fat) * 4 > file_size * 2:
                raise refuse.constructed("ole_counts")

    def chain(start: int, limit: int) -> list[int]:
        sectors: list[int] = []
        visited: set[int] = set()
        number = start
        while number != _END_OF_CHAIN and len(sectors) * sector < limit:
            if number in visited:
                raise refuse.constructed("chain_loop")
            if number >= len(fat):
                break  # calamine fails on it (an index out of bounds or a sector past the end)
            visited.add(number)
            sectors.append(number)
            number = fat[number]
        return sectors

    directory = b"".join(read_sector(n) for n in chain(dir_start, 1 << 62))
    entries = []
    for at in range(0, len(directory) - 127, 128):
        raw = directory[at : at + 64]
        name = raw.decode("utf-16-le", "replace").split("\x00", 1)[0]
        start = struct.unpack_from("<I", directory, at + 116)[0]
        size = struct.unpack_from("<Q" if shift == 12 else "<I", directory, at + 120)[0]
        entries.append((name, start, size))
    if not entries:
        return
    mini: bytes = b""
    if mini_len > 0:
        _, root_start, root_size = entries[0]
        mini = b"".join(read_sector(n) for n in chain(root_start, root_size))[:root_size]
        mini_fat: array[int] = array("I")
        for n in chain(mini_start, mini_len * sector):
            data = read_sector(n)
            mini_fat.frombytes(data[: len(data) // 4 * 4])
    stream = None
    for wanted in ("Workbook", "Book", "WORKBOOK", "BOOK"):
        found = next((e for e in entries if e[0] == wanted), None)
        if found is not None:
            stream = found
            break
    if stream is None:
        return
    _, start, size = stream
    if size < 4096:
        if not mini:
            return
        data_parts = []
        visited: set[int] = set()
        number = start
        total = 0
        while number != _END_OF_CHAIN and total < size:
            if number in visited:
                raise refuse.constructed("chain_loop")
            if number >= len(mini_fat):
                break
            visited.add(number)
            data_parts.append(mini[number * 64 : number * 64 + 64])
            total += 64
            number = mini_fat[number]
        workbook = b"".join(data_parts)[:size]
    else:  # calamine follows the chain until it has `size` bytes: a chain that loops is refused above
        workbook = b"".join(read_sector(n) for n in chain(start, min(size, file_size * 2)))[:size]
    _check_biff(workbook, budget)


def _biff_records(stream: bytes, at: int) -> Iterator[tuple[int, bytes, list[bytes]]]:
    """BIFF records from ``at``, each with the CONTINUE records that follow it (as calamine groups them)."""
    end = len(stream)
    while at + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, at)
        if at + 4 + length > end:
            return
        data = stream[at + 4 : at + 4 + length]
        at += 4 + length
        continued = []
        while at + 4 < end and struct.unpack_from("<H", stream, at)[0] == 0x003C:
            (length,) = struct.unpack_from("<H", stream, at + 2)
            if at + 4 + length > end:
                return
            continued.append(stream[at + 4 : at + 4 + length])
            at += 4 + length
        yield kind, data, continued


def _sst_lengths(data: bytes, continued: list[bytes]) -> array[int]:
    """The character count of each string of an SST record, read as calamine reads it (CONTINUE records
    carry on a string with a new flags byte); reading stops where calamine's would fail."""
    lengths: array[int] = array("Q")
    pieces = [data[8:], *continued]
    piece, at = 0, 0

    def left() -> int:
        return len(pieces[piece]) - at

    while piece < len(pieces):
        if at >= len(pieces[piece]):
            piece, at = piece + 1, 0
            if piece >= len(pieces):
                break
            if not pieces[piece]:
                lengths.append(0)
                continue
        current = pieces[piece]
        if left() < 3:
            break
        chars, flags = struct.unpack_from("<HB", current, at)
        at += 3
        runs = extra = 0
        if flags & 0x8:
            if left() < 2:
                break
            (runs,) = struct.unpack_from("<H", current, at)
            at += 2
        if flags & 0x4:
            if left() < 4:
                break
            (extra,) = struct.unpack_from("<i", current, at)
            extra &= 0xFFFFFFFFFFFFFFFF
            at += 4
        wide = bool(flags & 1)
        remaining = chars
        while remaining > 0:
            available = left() // (2 if wide else 1)
            taken = min(remaining, available)
            at += taken * (2 if wide else 1)
            remaining -= taken
            if remaining > 0:
                piece, at = piece + 1, 0
                if piece >= len(pieces) or not pieces[piece]:
                    return lengths
                wide = bool(pieces[piece][0] & 1)
                at = 1
        lengths.append(chars)
        skip = runs * 4 + extra
        while skip > 0:
            if piece >= len(pieces):
                return lengths
            step = min(skip, left())
            at += step
            skip -= step
            if skip > 0:
                piece, at = piece + 1, 0
        if len(lengths) > MAX_SHARED:
            break
    return lengths


_XLS_CELLS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006}


def _check_biff(stream: bytes, budget: Budget) -> None:
    sheets: list[tuple[int, str]] = []
    shared: array[int] = array("Q")
    for kind, data, continued in _biff_records(stream, 0):
        if kind == 0x002F and len(data) >= 2 and struct.unpack_from("<H", data, 0)[0] != 0:
            return  # FILEPASS: encrypted; calamine refuses it by itself (a password message)
        if kind == 0x0085 and len(data) >= 8:
            (position,) = struct.unpack_from("<I", data, 0)
            chars = data[6]
            wide = len(data) > 7 and data[7] & 1
            raw = data[8 : 8 + chars * (2 if wide else 1)]
            name = raw.decode("utf-16-le" if wide else "latin-1", "replace")
            sheets.append((position, name))
        elif kind == 0x00FC and len(data) >= 8:
            shared = _sst_lengths(data, continued)  # only the strings that cells show count, below
        elif kind == 0x000A:
            break
    count = len(shared)
    for position, name in sheets:
        if position >= len(stream):
            continue  # calamine fails on it
        extent = Extent(name)
        formulas = Extent(name)
        depth = 0
        seen_bof = False
        declared = 0
        seen = 0
        for kind, data, _ in _biff_records(stream, position):
            if depth:
                if kind == 0x0809:
                    depth += 1
                elif kind == 0x000A:
                    depth -= 1
                continue
            if kind == 0x0809:
                if seen_bof:
                    depth += 1
                seen_bof = True
                continue
            if kind == 0x000A:
                break
            if kind == 0x0200:
                if len(data) == 14:
                    first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", data, 0)
                elif len(data) == 10:
                    first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", data, 0)
                else:
                    break
                if first_col > 0xFF or last_col < first_col:
                    first_col = 0
                if last_row >= 1 and last_col >= 1:
                    rows = ((last_row - 1) - first_row + 1) & _U32
                    cols = ((last_col - 1) - first_col + 1) & _U32
                    declared += rows * cols
                    if declared > MAX_CELLS:
                        raise budget.extent_declared(name, (last_row - 1, last_col - 1), declared)
                continue
            if kind == 0x00BD:
                if len(data) < 6:
                    break
                row, first = struct.unpack_from("<HH", data, 0)
                (last,) = struct.unpack_from("<H", data, len(data) - 2)
                cells = (len(data) - 6) // 6
                if len(data) != 6 + 6 * ((last - first + 1) & 0xFFFF):
                    break
                if cells:
                    extent.add(row, first, 0, 1, cells)
                continue
            if kind == 0x0207:  # the text of the formula cell before it
                if len(data) >= 2:
                    (chars,) = struct.unpack_from("<H", data, 0)
                    extent.text += 3 * chars
                continue
            if kind not in _XLS_CELLS or len(data) < 6:
                continue
            row, col = struct.unpack_from("<HH", data, 0)
            text = 0
            if kind in (0x0204, 0x00D6) and len(data) >= 8:
                text = 3 * struct.unpack_from("<H", data, 6)[0]
            elif kind == 0x00FD and len(data) >= 10:
                (index,) = struct.unpack_from("<I", data, 6)
                text = 3 * shared[index] if index < count else 0
            if kind == 0x0006:
                formulas.add(row, col, 3 * len(data))
            extent.add(row, col, text)
            seen += 1
            if seen % 65_536 == 0:
                budget.running(extent)
        extent.text += formulas.text
        budget.sheet(extent, formulas if formulas.min_row >= 0 else None)


# --- the entry point ---------------------------------------------------------------------------------------------


def check(path: Path) -> None:
    """Refuses a workbook whose reading would take more memory or time than any roster (ValidationError).

    ``RECUPERATION_SHEETS_UNCHECKED=1`` skips the check: the tests use it to make calamine abort in the
    worker process and see the program go on."""
    if os.environ.get("RECUPERATION_SHEETS_UNCHECKED") == "1":
        return
    budget = Budget(path)
    file_size = path.stat().st_size
    if file_size > MAX_FILE_BYTES:
        raise ValidationError(
            "import.too_large",
            field="file",
            path=str(path),
            size=f"{file_size / 1024 / 1024:.1f}",
            limit=MAX_FILE_BYTES // 1024 // 1024,
        )
    with path.open("rb") as handle:
        head = handle.read(8)
        if head.startswith(b"PK\x03\x04"):
            _check_zip(path, handle, file_size, budget)
        elif head.startswith(b"\xd0\xcf\x11\xe0"):
            _check_ole(path, handle, file_size, budget)
