"""Importing a roll call (报到) from a workbook: the check-in sheet filled in by the leader and typed back, or
any list with a name or ID number column and an attendance (报到) or day-left (离开日期) column.

The file is read with the bounded readers of :mod:`recuperation.sheets` (size, rows and cells checked before
and while reading, in the worker process), its header row found as the roster import finds it
(:mod:`recuperation.services.sheet_layout`).  Each row is matched to the batch's roster by
:func:`attendance.find_person`: the whole ID number, its last four or more digits, the masked number our own
documents print (330182********1234) or the name.  A row that matches nobody, or several people, is reported
with its row number and what to write instead.  The marks are recorded by :func:`attendance.mark`, all in
one transaction: all or nothing, and nothing at all for a dry run.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from recuperation import messages
from recuperation.errors import ValidationError
from recuperation.models import Attendance
from recuperation.people import mask_id
from recuperation.services import identity
from recuperation.services.batch import attendance
from recuperation.services.batch.batches import find_batch
from recuperation.services.batch.roster_import import HEADERS as ROSTER_HEADERS
from recuperation.services.batch.roster_import import fold_name, mask_matches, masked_id
from recuperation.services.batch.rosters import ParticipantRow
from recuperation.services.sheet_layout import HeaderTable, Layout, header_texts, skipped_row, table_end
from recuperation.sheets import Cell, Sheet, read_sheets
from recuperation.storage.database import Database

HEADERS: dict[str, tuple[str, ...]] = {
    "name": ROSTER_HEADERS["name"],
    "id_number": (
        *ROSTER_HEADERS["id_number"],
        "身份证后四位",
        "身份证号后四位",
        "证件号后四位",
        "后四位",
    ),
    "attendance": ("报到", "报到情况", "是否报到", "报到状态", "签到", "到达情况", "出勤", "attendance"),
    "left_on": ("离开日期", "提前离开日期", "离队日期", "离开时间", "离开", "leftOn", "left_on"),
}
_HEADERS = HeaderTable(HEADERS)

ATTENDED_WORDS = {"已报到", "报到", "已到", "到", "到达", "已签到", "签到", "出席", "是", "√", "✓", "✔", "☑"}
ATTENDED_WORDS |= {"v", "y", "yes", "1", "attended", "present"}
NO_SHOW_WORDS = {"未到", "未报到", "没到", "没来", "缺席", "缺", "不到", "否", "×", "✗", "✘", "☒", "x"}
NO_SHOW_WORDS |= {"n", "no", "0", "absent", "no_show", "noshow"}
LEFT_WORDS = {"提前离开", "提前离队", "早退", "离开", "已离开", "中途离开", "left", "left_early", "leftearly"}

_MONTH_DAY = re.compile(r"^(?:(\d{4})[年./\-])?(\d{1,2})[月./\-](\d{1,2})日?$")


def _usable(columns: dict[str, int]) -> bool:
    return ("name" in columns or "id_number" in columns) and ("attendance" in columns or "left_on" in columns)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _word(value: Cell) -> str:
    return "".join(unicodedata.normalize("NFKC", _text(value)).lower().split())


def read_mark(value: Cell) -> str | None:
    """The mark a 报到 cell holds: attended, no_show, left_early, "" (left empty), or None (not understood)."""
    word = _word(value)
    if not word:
        return ""
    if word in ATTENDED_WORDS:
        return Attendance.ATTENDED.value
    if word in NO_SHOW_WORDS:
        return Attendance.NO_SHOW.value
    if word in LEFT_WORDS or word.startswith("提前离"):
        return Attendance.LEFT_EARLY.value
    return None


def read_day(value: Cell, arrival: dt.date, departure: dt.date) -> dt.date | None:
    """A 离开日期 cell as a date: a date cell, 2021-05-11, 2021/5/11, 5/11, 5月11日, 5.11 (the year the stay's
    day of that month falls in).  None when it is not a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _MONTH_DAY.match("".join(unicodedata.normalize("NFKC", _text(value)).split()))
    if match is None:
        return None
    year, month, day = match.groups()
    years = [int(year)] if year else sorted({arrival.year, departure.year})
    for y in years:
        try:
            found = dt.date(y, int(month), int(day))
        except ValueError:
            continue
        if year or arrival <= found <= departure or y == years[-1]:
            return found
    return None


@dataclass(frozen=True)
class RollProblem:
    row: int  # the row number as the spreadsheet shows it
    field: str
    message: str

    def to_json(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class RollRow:
    row: int
    name: str  # as the file writes it
    mark: str = ""  # attended, no_show, left_early; "" for a row left empty
    left_on: dt.date | None = None
    person: ParticipantRow | None = None
    errors: list[RollProblem] = field(default_factory=list)
    #: "attended", "no_show", "left_early", "unchanged" (the mark is already so), "blank" or "" (errors)
    result: str = ""

    def to_json(self) -> dict[str, object]:
        p = self.person
        return {
            "row": self.row,
            "name": p.name if p else self.name,
            "id_number": p.id_masked if p else "",
            "attendance": self.mark,
            "left_on": self.left_on.isoformat() if self.left_on else None,
            "result": self.result,
        }


@dataclass
class RollcallResult:
    """What the import found, row by row, and whether it was written."""

    batch_id: int
    batch_code: str
    layout: Layout
    headers: list[str]
    rows: list[RollRow]
    dry_run: bool
    written: bool = False

    @property
    def errors(self) -> list[RollProblem]:
        return [p for r in self.rows for p in r.errors]

    def count(self, result: str) -> int:
        return sum(1 for r in self.rows if r.result == result)

    def counts(self) -> dict[str, int]:
        return {k: self.count(k) for k in ("attended", "no_show", "left_early", "unchanged", "blank")}

    def summary(self) -> str:
        key = "rollcall.dry_run" if self.dry_run else "rollcall.done"
        if self.errors:
            key = "rollcall.refused"
        return messages.text(
            key,
            code=self.batch_code,
            rows=len(self.rows),
            errors=len({p.row for p in self.errors}),
            **self.counts(),
        )

    def report(self) -> dict[str, object]:
        return {
            "batch": self.batch_code,
            "sheet": self.layout.sheet,
            "header_row": self.layout.header_row + 1,
            "columns": {f: self.headers[c] for f, c in self.layout.columns.items() if c < len(self.headers)},
            "rows": len(self.rows),
            **self.counts(),
            "errors": [p.to_json() for p in self.errors],
            "marks": [r.to_json() for r in self.rows if not r.errors],
            "dry_run": self.dry_run,
            "written": self.written,
        }


def _detect(sheets: list[Sheet], source: str) -> tuple[Sheet, Layout]:
    layout = _HEADERS.best_layout(sheets, _usable)
    sheet = next((s for s in sheets if layout is not None and s.name == layout.sheet), None)
    if layout is None or sheet is None:
        raise ValidationError("rollcall.no_header", field="file", path=source)
    return sheet, layout


def _cell(row: list[Cell], column: int | None) -> Cell:
    return row[column] if column is not None and column < len(row) else None


def _who(people: Sequence[ParticipantRow]) -> str:
    return messages.join([f"{p.name} {p.id_masked}" for p in people[:5]])


def _typed_id(value: Cell) -> str:
    """The ID number (or its last digits) a cell holds, as find_person reads it; a whole number typed into a
    number cell has lost its leading zeros (0123 → 123): the last four digits come back."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int) and 0 <= value < 10_000:
        return f"{value:04d}"
    return "".join(unicodedata.normalize("NFKC", _text(value)).split()).upper()


def _match(
    item: RollRow, raw_id: Cell, people: Sequence[ParticipantRow], plain: bool, keys: dict[str, str]
) -> None:
    """Find the row's person: by the ID number (whole, masked or its last digits), checked against the name
    when both are given, else by the name.  ``plain`` and ``keys``: how the numbers are matched
    (:func:`attendance.find_person`)."""
    number, name = item.row, item.name
    typed = _typed_id(raw_id)
    masked = masked_id(typed) if "*" in typed else ""
    by_id: list[ParticipantRow] | None = None
    if masked:
        by_id = [p for p in people if mask_matches(masked, p.id_key if plain else p.id_masked)]
    elif typed:
        if not (len(typed) >= 4 and all(c.isdigit() or c == "X" for c in typed)):
            item.errors.append(
                RollProblem(
                    number, "id_number", messages.text("rollcall.bad_id", row=number, value=_text(raw_id))
                )
            )
            return
        by_id = attendance.find_person(people, typed, plain=plain, key=keys.get(typed, ""))
    shown_id = mask_id(typed) if len(typed) == 18 else (masked or typed)
    if by_id is not None:
        named = [p for p in by_id if fold_name(p.name) == fold_name(name)] if name else by_id
        if not by_id:
            item.errors.append(
                RollProblem(
                    number,
                    "id_number",
                    messages.text(
                        "rollcall.wrong_id", row=number, id=shown_id, name=messages.shown(name or "—")
                    ),
                )
            )
        elif name and not named:
            item.errors.append(
                RollProblem(
                    number,
                    "id_number",
                    messages.text(
                        "rollcall.id_name_differ",
                        row=number,
                        id=shown_id,
                        other=messages.join([p.name for p in by_id[:3]]),
                        name=messages.shown(name),
                    ),
                )
            )
        elif len(named) > 1:
            item.errors.append(
                RollProblem(
                    number,
                    "id_number",
                    messages.text(
                        "rollcall.ambiguous", row=number, who=shown_id, count=len(named), people=_who(named)
                    ),
                )
            )
        else:
            item.person = named[0]
        return
    if not name:
        item.errors.append(RollProblem(number, "name", messages.text("rollcall.nobody_named", row=number)))
        return
    exact = [p for p in people if fold_name(p.name) == fold_name(name)]
    if len(exact) == 1:
        item.person = exact[0]
    elif exact:
        item.errors.append(
            RollProblem(
                number,
                "name",
                messages.text(
                    "rollcall.ambiguous",
                    row=number,
                    who=messages.shown(name),
                    count=len(exact),
                    people=_who(exact),
                ),
            )
        )
    else:
        near = attendance.find_person(people, fold_name(name), plain=plain)
        item.errors.append(
            RollProblem(
                number,
                "name",
                messages.text(
                    "rollcall.no_match",
                    row=number,
                    name=messages.shown(name),
                    near=messages.text("rollcall.near", people=_who(near)) if near else "",
                ),
            )
        )


def _check_mark(item: RollRow, raw_mark: Cell, raw_day: Cell, arrival: dt.date, departure: dt.date) -> None:
    number = item.row
    mark = read_mark(raw_mark)
    if mark is None:
        item.errors.append(
            RollProblem(
                number, "attendance", messages.text("rollcall.bad_mark", row=number, value=_text(raw_mark))
            )
        )
        return
    day: dt.date | None = None
    if _text(raw_day):
        day = read_day(raw_day, arrival, departure)
        if day is None:
            item.errors.append(
                RollProblem(
                    number, "left_on", messages.text("rollcall.bad_day", row=number, value=_text(raw_day))
                )
            )
            return
    last = departure - dt.timedelta(days=1)
    who = messages.shown(item.person.name if item.person else item.name)
    span = {"first": arrival.isoformat(), "last": last.isoformat()}
    if day is not None and mark == Attendance.NO_SHOW.value:
        item.errors.append(
            RollProblem(
                number,
                "left_on",
                messages.text("rollcall.no_show_day", row=number, name=who, day=day.isoformat()),
            )
        )
        return
    if day is not None and day == departure and mark != Attendance.LEFT_EARLY.value:
        day = None  # left on the day of departure: stayed to the end
        mark = mark or Attendance.ATTENDED.value
    if day is not None:
        if not arrival <= day < departure:
            item.errors.append(
                RollProblem(
                    number,
                    "left_on",
                    messages.text("rollcall.day_outside", row=number, name=who, day=day.isoformat(), **span),
                )
            )
            return
        mark = Attendance.LEFT_EARLY.value  # a day left within the stay: left early, whatever else it says
    elif mark == Attendance.LEFT_EARLY.value:
        item.errors.append(
            RollProblem(number, "left_on", messages.text("rollcall.needs_day", row=number, name=who, **span))
        )
        return
    item.mark, item.left_on = mark, day


def plan_rows(
    sheet: Sheet,
    layout: Layout,
    people: Sequence[ParticipantRow],
    arrival: dt.date,
    departure: dt.date,
    *,
    plain: bool = True,
    keys: dict[str, str] | None = None,
) -> list[RollRow]:
    """Each record below the header, matched and checked; nothing is written.  ``plain`` and ``keys``: the
    people's keys are their numbers, or the keys of the whole numbers the sheet holds (services/identity.py)."""
    cols = layout.columns
    rows: list[RollRow] = []
    seen: dict[int, int] = {}  # participant id → the first row naming them
    for index in range(layout.header_row + 1, len(sheet.rows)):
        raw = sheet.rows[index]
        if table_end(raw):
            break
        if skipped_row(raw):
            continue
        raw_name, raw_id = _cell(raw, cols.get("name")), _cell(raw, cols.get("id_number"))
        if not _text(raw_name) and not _text(raw_id):
            continue  # a line under the table (实到 ___ 人, a signature)
        item = RollRow(index + 1, _text(raw_name))
        _match(item, raw_id, people, plain, keys or {})
        _check_mark(
            item, _cell(raw, cols.get("attendance")), _cell(raw, cols.get("left_on")), arrival, departure
        )
        person = item.person
        if person is not None and not item.errors:
            if person.id in seen:
                item.errors.append(
                    RollProblem(
                        item.row,
                        "name",
                        messages.text(
                            "rollcall.twice",
                            row=item.row,
                            first=seen[person.id],
                            name=messages.shown(person.name),
                        ),
                    )
                )
            else:
                seen[person.id] = item.row
        if not item.errors:
            assert person is not None
            if not item.mark:
                item.result = "blank"
            elif (person.attendance, person.left_on) == (item.mark, item.left_on):
                item.result = "unchanged"
            else:
                item.result = item.mark
        rows.append(item)
    return rows


def rollcall_import(db: Database, batch_code: str, path: Path, *, dry_run: bool) -> RollcallResult:
    """Read the roll call in ``path`` for the batch ``batch_code`` and, unless ``dry_run`` or a row has an
    error, record every mark in one transaction (all or nothing).  The result says what each row did."""
    batch = find_batch(db, batch_code)
    if batch is None:
        raise ValidationError("batch.unknown_code", field="batch", code=batch_code)
    sheets = read_sheets(path)  # bounded: size, rows and cells checked, read in the worker process
    sheet, layout = _detect(sheets, str(path))
    headers = header_texts(sheet, layout, _text)
    people = attendance.roll_call(db, batch.id)
    plain = identity.plain_keys(db)
    keys: dict[str, str] = {}
    if not plain:  # the whole numbers the sheet holds, keyed in one question to the server
        column = layout.columns.get("id_number")
        typed = {_typed_id(_cell(raw, column)) for raw in sheet.rows[layout.header_row + 1 :]}
        keys = identity.keys_of(db, None, [t for t in typed if len(t) == 18])
    rows = plan_rows(sheet, layout, people, batch.arrival, batch.departure, plain=plain, keys=keys)
    result = RollcallResult(batch.id, batch.code, layout, headers, rows, dry_run)
    if dry_run or result.errors:
        return result
    changes = [r for r in rows if r.result in Attendance.values()]
    # The marks join one transaction: all or nothing.  Each is made at the version read above, so a person
    # another desk changed meanwhile refuses the whole import (StaleEditError) instead of being overwritten.
    with db.session(write=True):
        for r in changes:
            assert r.person is not None
            attendance.mark(db, r.person.id, r.person.version, r.mark, left_on=r.left_on)
    result.written = True
    return result
