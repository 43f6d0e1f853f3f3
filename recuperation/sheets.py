"""Reading the tables partners send: .xlsx/.xlsm/.xlsb/.xls/.ods (python-calamine) and CSV.

A file is read, never trusted: its content must match its name, each sheet is read row by row up to a
limit (a sheet claiming millions of rows is refused without being loaded), and every cell comes back as
str, int, float, bool, date or None.  Free text comes back exactly as written (no NFKC, no change of
punctuation); only empty or blank cells become None.

A file that cannot be read is refused with a message that says why in the user's language: a format
calamine cannot read (.fods, .numbers, a web page or an XML file saved under an .xls name, PDF…), a workbook
protected by a password, a file cut short by a download, an unknown text encoding.

CSV is read as Excel and LibreOffice write it (:func:`_read_csv`):

- Encodings: UTF-8 with or without a BOM (Excel's "CSV UTF-8"), UTF-16 with a BOM (Excel's "Unicode text",
  tab-delimited) and without one when its NUL bytes fall on one side of the byte pairs, else GBK/GB18030
  (Excel's "CSV" on a Chinese Windows).  Any other NUL byte means the file is not text: it is refused.
- Quoting: RFC 4180 as Excel writes it (``csv.excel``): a field holding the delimiter, a quote or a line
  break is quoted, a quote inside it is doubled, and line breaks inside quotes stay in the cell — anywhere
  in the file (no ``csv.Sniffer``, which decides from the first kilobytes and can get quoting wrong).
- Delimiter: comma, semicolon (Excel in a locale whose decimal mark is a comma) or tab.  Each is tried with
  Excel's quoting on the first rows; the one under which the largest share of the rows has one column
  count greater than 1 wins (see :func:`_choose_delimiter`).  Rows of one cell (a title above the header)
  never make a delimiter win, blank rows and trailing empty lines do not count, and a comma inside a
  quoted note does not split it.
  The full-width comma "，" is never a delimiter: no spreadsheet writes it as one, and Chinese free text is
  full of it (“不吃辣，海鲜过敏”), so guessing it would cut notes in pieces.
- Bounds: a CSV file larger than :data:`MAX_TEXT_BYTES` is refused before it is read; rows and columns are
  limited as for workbooks; a cell longer than the csv module's field limit (131,072 characters) is refused.

Bounded, survivable reading (no file up to 20 MB may take over 500 MB or 30 s, or end the program):

- Budget: before calamine allocates anything, :func:`recuperation.sheet_budget.check` reads the structure
  that decides its allocations (ZIP directory and sizes, the cells and shared strings of every .xlsx sheet,
  the repeats of an .ods, the records and chains of an .xls/.xlsb) and refuses a file over its limits with
  a message naming the problem: the stray cell far from the table ("XFD1048576"), the declared rectangle,
  the zip bomb, the shared string copied into 20,000 cells, the chain that loops.  A CSV file may not have
  a line of more than :data:`MAX_CSV_FIELDS` delimiters nor more than a million cells with a value.
- Isolation (the decision): every file that gets past the cheap checks of :func:`read_sheets` (name, magic
  bytes, password) is read in one worker process (:mod:`recuperation.sheets_child`), CSV included, not only
  the files that fail a pre-check: calamine is Rust, and an allocation it cannot make aborts the process it
  runs in, whatever Python does; the budget is our reading of calamine's code and cannot promise to have
  foreseen everything.  The worker has a memory limit (``RLIMIT_AS``, 450 MB over its size at start) and
  20 s per file; when it dies or hangs, the file is refused with a message, the log gets its last words,
  and the next file starts a new worker.  The desktop and its unsaved edits never see the file.
- Cost, measured (2-core AMD EPYC, Python 3.11, the README's 2,000-row roster): reading it took 10 ms
  before; the budget check adds 23 ms (33 ms in this process); the worker is started once per process
  (about 80 ms: a fresh Python importing python-calamine) and then costs about 1 ms per file, so the first
  roster reads in 0.11 s and the next ones in 0.034 s.  ``bench/roster_import.py`` (median of 5, import with
  every check): 436 ms without the budget and the worker, 472 ms with both.  A 20,000-row roster: 0.10 s
  before, 0.43 s now (worker 41 MB).  A workbook at the limits of the budget (1,000,000 cells with a value):
  2.9 s, 251 MB in the worker and 143 MB here.  Every file of the hostile corpus (scripts/hostile_corpus.py)
  is answered in under 0.5 s and 45 MB, a fresh reading process and its worker included
  (tests/test_bounded_reading.py).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook, PasswordError, XmlError, ZipError

from recuperation import sheet_budget, sheets_child
from recuperation.errors import ValidationError
from recuperation.sheet_budget import MAX_COLUMNS, MAX_ROWS

MAX_TEXT_BYTES = 50 * 1024 * 1024  # a 20,000-row roster in CSV is a few MB; 50 MB is not a roster
MAX_CSV_FIELDS = 1_000_000  # delimiters on one line of a CSV file (Excel has 16,384 columns)
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
DELIMITERS = (",", ";", "\t")
_SAMPLE_ROWS = 1000  # rows parsed with each delimiter to choose one
_HEAD_BYTES = 8192

# The OLE directory entry of the stream "EncryptedPackage": its name in UTF-16LE padded to 64 bytes,
# then the name's length in bytes with the final NUL (34).  See _is_encrypted.
_ENCRYPTED_ENTRY = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\x00") + (34).to_bytes(2, "little")
# What calamine says of a file cut short or garbled (for the damaged-file message).
_DAMAGE_SIGNS = ("failed to fill whole buffer", "zip", "eocd", "end of file", "eof", "past end", "truncated")
# Formats refused by their name: calamine cannot read them.
_UNSUPPORTED_SUFFIXES = {
    ".fods": "fods",
    ".numbers": "numbers",
    ".htm": "html",
    ".html": "html",
    ".mht": "html",
    ".mhtml": "html",
    ".xml": "xml",
    ".pdf": "pdf",
    ".doc": "word",
    ".docx": "word",
    ".zip": "archive",
    ".rar": "archive",
    ".7z": "archive",
}

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Cell]]


_Phrase = sheet_budget.Phrase  # a catalogue entry as a message's parameter


@dataclass(frozen=True)
class CellProblem:
    """What an import of a workbook could not take, where: the sheet, the row as the spreadsheet numbers it,
    the column as its header reads, the field it was for, and a message naming the record and what to do."""

    sheet: str
    row: int
    field: str
    column: str
    message: str

    def to_json(self) -> dict[str, object]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "field": self.field,
            "column": self.column,
            "message": self.message,
        }


def _normalise(value: object) -> Cell:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)  # calamine gives every number as float; whole numbers read as whole numbers
    if isinstance(value, str):
        return value if value.strip() else None
    return value  # type: ignore[return-value]


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of a workbook (or the one table of a CSV file) as rows of cells."""
    if not path.is_file():
        raise ValidationError("import.missing_file", field="file", path=str(path))
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if not head:
        raise ValidationError("import.empty_file", field="file", path=str(path))
    kind = _unsupported_kind(suffix, head)
    if kind:
        raise ValidationError(
            "import.unsupported_format", field="file", path=str(path), format=_Phrase(f"import.format.{kind}")
        )
    if head.startswith(OLE_MAGIC) and _is_encrypted(path):
        raise ValidationError("import.password", field="file", path=str(path))
    container = head.startswith((ZIP_MAGIC, OLE_MAGIC))
    if suffix not in WORKBOOK_SUFFIXES and not container:
        return sheets_child.read(path)  # CSV: in the worker process too (see the module's docstring)
    if suffix in (".xlsx", ".xlsm", ".xlsb", ".ods") and not head.startswith(ZIP_MAGIC):
        raise ValidationError("import.not_what_it_says", field="file", path=str(path), suffix=suffix)
    if suffix == ".xls" and not head.startswith(OLE_MAGIC):
        raise ValidationError("import.not_what_it_says", field="file", path=str(path), suffix=suffix)
    # A workbook, or a ZIP or OLE file with another name (.csv, .et, none): calamine reads it by content, in
    # the worker process, after the budget check (see the module's docstring).
    return sheets_child.read(path)


def read_here(path: Path) -> Iterator[Sheet]:
    """The sheets of a file read by :func:`read_sheets`, one at a time, in this process: what the worker
    process runs (:mod:`recuperation.sheets_child`).  A text file is a CSV table; a workbook is checked
    against its budget (:func:`recuperation.sheet_budget.check`) before calamine reads it."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if path.suffix.lower() not in WORKBOOK_SUFFIXES and not head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        yield Sheet(path.stem, _read_csv_within_budget(path))
        return
    sheet_budget.check(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except BaseException as exc:  # calamine raises its own errors for broken files (see _refusal)
        raise _refusal(path, exc) from exc
    try:
        for name in book.sheet_names:
            try:
                sheet = book.get_sheet_by_name(name)
                if sheet.total_height > MAX_ROWS * 5:
                    raise ValidationError(
                        "import.too_many_rows", field="file", path=str(path), sheet=name, limit=MAX_ROWS
                    )
                rows: list[list[Cell]] = []
                for row in sheet.iter_rows():
                    if len(rows) >= MAX_ROWS:
                        raise ValidationError(
                            "import.too_many_rows", field="file", path=str(path), sheet=name, limit=MAX_ROWS
                        )
                    rows.append([_normalise(v) for v in list(row)[:MAX_COLUMNS]])
                del sheet
            except ValidationError:
                raise
            except BaseException as exc:
                raise _refusal(path, exc) from exc
            yield Sheet(name, rows)
    finally:
        book.close()


def _read_csv_within_budget(path: Path) -> list[list[Cell]]:
    """_read_csv, with the budget of a text file: no line holding more than MAX_CSV_FIELDS delimiters (the
    csv module builds a whole row before the reader keeps its first MAX_COLUMNS cells), and no more than
    sheet_budget.MAX_FILLED cells with a value kept (each one a Python object)."""
    size = path.stat().st_size
    if size <= MAX_TEXT_BYTES:
        data = path.read_bytes()
        for delimiter in (b",", b";", b"\t"):
            if data.count(delimiter) <= MAX_CSV_FIELDS:
                continue
            for number, line in enumerate(data.split(b"\n"), 1):
                count = line.count(delimiter)
                if count > MAX_CSV_FIELDS:
                    raise ValidationError(
                        "import.csv_too_wide",
                        field="file",
                        path=str(path),
                        line=number,
                        count=f"{count:,}",
                        limit=f"{MAX_CSV_FIELDS:,}",
                    )
        del data
    rows = _read_csv(path)
    filled = sum(len(row) - row.count(None) for row in rows)
    if filled > sheet_budget.MAX_FILLED:
        raise ValidationError(
            "import.too_many_cells",
            field="file",
            path=str(path),
            count=f"{filled:,}",
            limit=f"{sheet_budget.MAX_FILLED:,}",
        )
    return rows


def _refusal(path: Path, exc: BaseException) -> ValidationError:
    """calamine's error as a message in the user's language; its own English words only as a detail.

    A bug in calamine's Rust code raises pyo3's PanicException, which is not an Exception: calamine 0.37
    panics on an .xls cut short in the middle of a sector (a download that stopped).  That is read as a
    damaged file; Ctrl+C and the like go on.
    """
    panic = type(exc).__name__ == "PanicException"
    if not isinstance(exc, Exception) and not panic:
        raise exc
    reason = " ".join(str(exc).split())[:160]
    if isinstance(exc, PasswordError):  # an .xls with a FILEPASS record
        return ValidationError("import.password", field="file", path=str(path))
    lowered = reason.lower()
    if panic or isinstance(exc, ZipError | XmlError) or any(sign in lowered for sign in _DAMAGE_SIGNS):
        return ValidationError("import.damaged", field="file", path=str(path), reason=reason)
    if "cannot detect file format" in lowered:
        return ValidationError(
            "import.unsupported_format", field="file", path=str(path), format=_Phrase("import.format.unknown")
        )
    return ValidationError("import.unreadable", field="file", path=str(path), reason=reason)


def _unsupported_kind(suffix: str, head: bytes) -> str | None:
    """The format of a file calamine cannot read, from its name or its first bytes (None: try to read it).

    Some web systems export a web page or an XML file named .xls; LibreOffice's flat XML (.fods) is one
    XML document.  These are recognised by their first tag, whatever the file's name.
    """
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c")):
        return "archive"
    return _markup_kind(head) or _UNSUPPORTED_SUFFIXES.get(suffix)


def _markup_kind(head: bytes) -> str | None:
    """The kind of a markup file ("fods", "xml2003", "html", "xml"), or None when it does not start with a tag."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    text = text.lstrip("\ufeff \t\r\n").lower()
    if not text.startswith("<"):
        return None
    if "<office:document" in text:
        return "fods"
    if "urn:schemas-microsoft-com:office:spreadsheet" in text and "<workbook" in text:
        return "xml2003"
    if "<html" in text or "<!doctype html" in text or "<table" in text:
        return "html"
    if text.startswith("<?xml"):
        return "xml"
    return None


def _is_encrypted(path: Path) -> bool:
    """Whether an OLE compound file holds a stream named "EncryptedPackage".

    That is how Excel (and LibreOffice, and msoffcrypto-tool) save a password-protected .xlsx/.xlsm/.xlsb
    (MS-OFFCRYPTO 2.3.4: "EncryptionInfo" and "EncryptedPackage" streams in an OLE file), so calamine sees
    neither a ZIP nor an .xls.  Instead of a new dependency (olefile) the directory entry is found by its
    bytes: the OLE directory is an array of 128-byte entries in 512- or 4096-byte sectors, so each entry
    starts at a multiple of 128 in the file with its name in UTF-16LE padded to 64 bytes and then the
    name's length (34).  Those 66 bytes at such an offset are that entry: an ordinary .xls would have to
    hold this exact UTF-16 text, NUL padding and length at a 128-byte boundary to be mistaken for one, and
    the cost of the mistake would only be a wrong message.  The file is read in 1 MB blocks (memory bounded).
    """
    block = 1 << 20  # a multiple of 128: an entry never straddles two blocks
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(block):
            found = chunk.find(_ENCRYPTED_ENTRY)
            while found >= 0:
                if (offset + found) % 128 == 0:
                    return True
                found = chunk.find(_ENCRYPTED_ENTRY, found + 1)
            offset += len(chunk)
    return False


def _utf16_without_bom(data: bytes) -> str | None:
    """The codec ("utf-16-le", "utf-16-be") of UTF-16 text without a BOM, or None when it does not look so.

    Text that partners send is full of ASCII (ID numbers, phones, delimiters, line ends), which UTF-16 writes
    with a NUL high byte: NULs then fall on one side of the byte pairs (odd offsets for little-endian) far
    more often than on the other (a Chinese character such as 一, U+4E00, puts one on the other side).
    Binary junk has NULs on both sides alike.  The caller still decodes strictly and refuses NUL characters.
    """
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    units = len(sample) // 2
    if units < 2 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    enough = max(2, units // 10)
    if odd >= enough and even * 4 <= odd:
        return "utf-16-le"
    if even >= enough and odd * 4 <= even:
        return "utf-16-be"
    return None


def _decode(data: bytes) -> str | None:
    """The text of a CSV file, or None when it is in none of the encodings partners' tools write."""
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    elif utf16 := _utf16_without_bom(data):
        encodings = (utf16,)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _choose_delimiter(text: str) -> str:
    """The delimiter (comma, semicolon or tab) under which the rows most consistently share one width > 1.

    Each candidate parses the first rows with Excel's quoting.  Its score is the share of the non-blank rows
    that have the most common width above 1, then how many rows that is, then that width, then the order
    of :data:`DELIMITERS`.  A share rather than a count: a wrong delimiter does not see the quotes that
    begin in the middle of its fields, so it can cut one row with a line break in a note into two rows of
    the same width and outnumber the right one; it never makes the header (labels without delimiters) a
    row of that width.
    """
    best: tuple[float, int, int, int] = (0.0, 0, 0, 0)
    choice = DELIMITERS[0]
    for rank, delimiter in enumerate(DELIMITERS):
        widths: Counter[int] = Counter()
        rows = 0
        reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
        try:
            for number, row in enumerate(reader):
                if number >= _SAMPLE_ROWS:
                    break
                if any(cell.strip() for cell in row):
                    rows += 1
                    if len(row) > 1:
                        widths[len(row)] += 1
        except csv.Error:
            pass  # this delimiter leaves an overlong field: judge it on the rows read so far
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = (count / rows, count, width, -rank)
        if score > best:
            best, choice = score, delimiter
    return choice


def _read_csv(path: Path) -> list[list[Cell]]:
    """The rows of a CSV (or tab-separated text) file; see the module's docstring for what is accepted."""
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise ValidationError(
            "import.too_large",
            field="file",
            path=str(path),
            size=f"{size / 1024 / 1024:.1f}",
            limit=MAX_TEXT_BYTES // 1024 // 1024,
        )
    data = path.read_bytes()
    text = _decode(data)
    if text is None:
        if b"\x00" in data:  # neither UTF-16 nor any text: a binary file with a text name
            raise ValidationError(
                "import.not_what_it_says", field="file", path=str(path), suffix=path.suffix or "csv"
            )
        raise ValidationError("import.encoding", field="file", path=str(path))
    if "\x00" in text:
        raise ValidationError(
            "import.not_what_it_says", field="file", path=str(path), suffix=path.suffix or "csv"
        )
    delimiter = _choose_delimiter(text)
    # strict: a quote still open at the end of the file is an error, not the rest of the file in one cell
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter, strict=True)
    rows: list[list[Cell]] = []
    starts: list[int] = []
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise ValidationError(
                    "import.too_many_rows", field="file", path=str(path), sheet=path.name, limit=MAX_ROWS
                )
            starts.append(reader.line_num)
            rows.append([cell if cell.strip() else None for cell in row[:MAX_COLUMNS]])
    except csv.Error as exc:
        raise ValidationError(
            "import.csv_broken", field="file", path=str(path), line=reader.line_num, reason=str(exc)[:160]
        ) from exc
    _refuse_swallowed_rows(path, rows, starts, delimiter)
    return rows


_ID_LIKE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def _refuse_swallowed_rows(path: Path, rows: list[list[Cell]], ends: list[int], delimiter: str) -> None:
    """A quote opened by mistake (“"高血压” in a note) and closed rows later makes those rows one cell: a
    line inside a cell that has as many separators as a row of the table is such a row, never text."""
    widths = Counter(len(row) for row in rows if len(row) > 2)
    if not widths:
        return
    width = widths.most_common(1)[0][0]
    for row, end in zip(rows, ends, strict=True):
        for cell in row:
            if not isinstance(cell, str) or "\n" not in cell:
                continue
            inner = cell.splitlines()[1:]
            # a whole row inside a note: as many separators as a row, and a person's ID number (a note may
            # well hold commas and line breaks; it does not hold another person's record)
            if any(line.count(delimiter) >= max(2, width - 2) and _ID_LIKE.search(line) for line in inner):
                raise ValidationError(
                    "import.csv_quote", field="file", path=str(path), line=end - cell.count("\n")
                )
