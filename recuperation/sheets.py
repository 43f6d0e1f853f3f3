"""Reading the tables partners send: .xlsx/.xls (python-calamine) and CSV in UTF-8 or GBK.

A file is read, never trusted: its content must match its name, each sheet is read row by row up to a
limit (a sheet claiming millions of rows is refused without being loaded), and every cell comes back as
str, int, float, bool, date or None.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from recuperation.errors import ValidationError

MAX_ROWS = 20_000  # far more than any group; a bigger sheet is not a roster
MAX_COLUMNS = 200
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Cell]]


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
        head = handle.read(8)
    if suffix == ".csv":
        return [Sheet(path.stem, _read_csv(path))]
    if suffix in (".xlsx", ".xlsm") and not head.startswith(ZIP_MAGIC):
        raise ValidationError("import.not_what_it_says", field="file", path=str(path), suffix=suffix)
    if suffix == ".xls" and not head.startswith(OLE_MAGIC):
        raise ValidationError("import.not_what_it_says", field="file", path=str(path), suffix=suffix)
    if suffix not in (".xlsx", ".xlsm", ".xls", ".ods"):
        if head.startswith((ZIP_MAGIC, OLE_MAGIC)):
            pass  # a workbook with an odd name: read it as one
        else:
            return [Sheet(path.stem, _read_csv(path))]
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own errors for broken files
        raise ValidationError(
            "import.unreadable", field="file", path=str(path), reason=str(exc)[:200]
        ) from exc
    sheets = []
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
            except ValidationError:
                raise
            except Exception as exc:
                raise ValidationError(
                    "import.unreadable", field="file", path=str(path), reason=str(exc)[:200]
                ) from exc
            sheets.append(Sheet(name, rows))
    finally:
        book.close()
    return sheets


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("gb18030", data[:1], 0, 1, "neither UTF-8 nor GBK")


def _read_csv(path: Path) -> list[list[Cell]]:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ValidationError(
            "import.not_what_it_says", field="file", path=str(path), suffix=path.suffix or "csv"
        )
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "import.unreadable", field="file", path=str(path), reason="编码无法识别"
        ) from exc
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Cell]] = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            if len(rows) >= MAX_ROWS:
                raise ValidationError(
                    "import.too_many_rows", field="file", path=str(path), sheet=path.name, limit=MAX_ROWS
                )
            rows.append([cell if cell.strip() else None for cell in row[:MAX_COLUMNS]])
    except csv.Error as exc:
        raise ValidationError("import.unreadable", field="file", path=str(path), reason=str(exc)) from exc
    return rows
