"""Importing the roster a partner sends: find the header, map the columns, normalise, check, preview, apply.

Nothing is written until :func:`apply_import` runs, and it writes in one transaction.  A plan whose rows have
errors is refused as a whole unless the caller asks to import only the valid rows.  Importing an amended list
for a batch that already has a roster applies the difference: people added, removed and changed.

People are matched by their keys (``services/identity.py``), never by reading the stored numbers: a
coordinator without the right to full numbers imports a roster, and on a server could not read them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlmodel import col

from recuperation import messages
from recuperation.errors import RuleViolation, ValidationError
from recuperation.models import Batch, Participant, table_of
from recuperation.people import (
    MASKED_IN_TEXT,
    check_id,
    is_anonymised_id,
    mask_id,
    mask_in_text,
    normalise_id,
    normalise_phone,
    phone_valid,
)
from recuperation.services import identity
from recuperation.services import policy as policy_service
from recuperation.services.batch.rosters import (
    lock_people,
    person_conflicts,
    refuse_anonymised,
    refuse_overlaps,
)
from recuperation.services.common import audit, invisible_char, now, numeric_name
from recuperation.services.sheet_layout import HeaderTable, Layout, header_texts, skipped_row, table_end
from recuperation.sheets import Cell, Sheet, read_sheets
from recuperation.storage.database import Database

#: Roster fields and the headers partners use for them (compared after normalising: no spaces, no marks).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "职工姓名", "团员姓名", "人员姓名", "name"),
    "id_number": (
        "身份证号",
        "身份证号码",
        "证件号码",
        "证件号",
        "身份证",
        "公民身份号码",
        "身份证件号码",
        "idnumber",
    ),
    "sex": ("性别", "sex", "gender"),
    "phone": ("手机", "手机号", "手机号码", "移动电话", "mobile", "联系电话", "电话", "联系方式", "phone"),
    "employer": ("单位", "工作单位", "所在单位", "单位名称", "employer"),
    "department": ("部门", "所在部门", "科室", "车间", "department"),
    "category": ("职工类别", "人员类别", "类别", "身份", "category"),
    "model_worker": ("劳模", "是否劳模", "劳模标识", "劳动模范"),
    "diet": ("饮食", "饮食禁忌", "忌口", "饮食要求"),
    "health": ("健康状况", "身体状况", "健康"),
    "emergency_contact": ("紧急联系人", "紧急联系人电话", "紧急联系方式"),
    "room": ("房间", "房号", "房间号"),
    "notes": ("备注", "说明", "notes"),
}
#: Columns the import recognises besides :data:`HEADERS`: 随行家属 (yes/no, sets ``Participant.companion``;
#: the roster request workbook writes it, :mod:`recuperation.roster_request`).  Kept apart from ``HEADERS``
#: until the desktop's column mapping names the field too (it offers every key of ``HEADERS``).
MORE_HEADERS: dict[str, tuple[str, ...]] = {
    "companion": ("随行家属", "是否随行家属", "家属随行", "companion"),
}
FIELD_LIMITS = {
    "name": 40,
    "employer": 100,
    "department": 100,
    "category": 40,
    "diet": 200,
    "health": 200,
    "emergency_contact": 100,
    "room": 20,
    "notes": 500,
}
TRUE_WORDS = {"是", "√", "✓", "y", "yes", "true", "1"}
FALSE_WORDS = {"", "否", "不是", "非", "无", "×", "✗", "n", "no", "false", "0", "-", "/"}


def _flag(value: Cell, *, model_worker: bool = False) -> bool | None:
    """A yes/no cell: 是, √, 省级劳模, 是（市级） are yes; empty, 否, 无 are no; anything else is unknown (None),
    never silently "no"."""
    word = _word(value)
    if (
        word in TRUE_WORDS
        or word.startswith("是")
        or (model_worker and ("劳模" in word or "劳动模范" in word))
    ):
        return True
    if word in FALSE_WORDS or word.startswith(("否", "不是", "非")):
        return False
    return None


SEX_WORDS = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}


_HEADERS = HeaderTable({**HEADERS, **MORE_HEADERS})


@dataclass(frozen=True)
class Problem:
    row: int  # the row number as the spreadsheet shows it
    field: str
    message: str

    def to_json(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class ImportedRow:
    row: int
    values: dict[str, object]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    #: A masked ID number (330106********3653) or phone (138****5678) as the file shows it: the person is
    #: found on the batch's roster by the masked number and the name (see :func:`plan_sheets`).
    masked_id: str = ""
    masked_phone: str = ""
    matched_masked: bool = False
    #: The keys of the row's person and phone (services/identity.py): of the numbers the file holds, or of
    #: the person a masked number matched (whose numbers the desk does not read).
    key: str = ""
    phone_key: str = ""
    #: What importing does with this row: "new", "changed" (``changes`` names the fields), "unchanged", or ""
    #: for a row with errors.
    result: str = ""
    changes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPlan:
    """What an import would do, row by row; nothing is written yet."""

    batch_id: int
    batch_code: str
    layout: Layout
    headers: list[str]
    rows: list[ImportedRow]
    sheet_names: list[str] = field(default_factory=list)
    fields: tuple[str, ...] = ()  # the roster fields the file carries: only these are compared and changed
    added: list[str] = field(default_factory=list)  # the people's keys (services/identity.py)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed_names: list[str] = field(default_factory=list)  # in the order of ``removed``
    #: Rows that found their person by a masked ID number and the name.
    masked_matched: int = 0
    #: People on the roster kept because a row the file has for them could not be read (never removed).
    kept_unreadable: int = 0
    batch_status: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for r in self.rows for p in r.errors]

    @property
    def warnings(self) -> list[Problem]:
        return [p for r in self.rows for p in r.warnings]

    @property
    def valid(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    def report(self) -> dict[str, object]:
        return {
            "batch": self.batch_code,
            "sheet": self.layout.sheet,
            "header_row": self.layout.header_row + 1,
            "columns": {f: self.headers[c] for f, c in self.layout.columns.items()},
            "rows": len(self.rows),
            "valid": self.valid,
            "errors": [p.to_json() for p in self.errors],
            "warnings": [p.to_json() for p in self.warnings],
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
            "masked_matched": self.masked_matched,
            "kept_unreadable": self.kept_unreadable,
        }


def detect_layout(sheets: list[Sheet], source: str = "") -> Layout:
    """The sheet and header row with the most recognised headers (name and ID number are required)."""
    layout = _HEADERS.best_layout(sheets, _usable)
    if layout is None:
        raise ValidationError("import.no_header", field="file", path=source)
    return layout


def _usable(columns: dict[str, int]) -> bool:
    return "name" in columns and "id_number" in columns


def _cell(row: list[Cell], col: int | None) -> Cell:
    if col is None or col >= len(row):
        return None
    return row[col]


def _text(value: Cell) -> str:
    """A cell's text exactly as written (only the spaces around it trimmed): names, employers, diets and
    notes keep their Chinese punctuation (，；（）) and full-width characters."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _word(value: Cell) -> str:
    """A choice word (性别, 是/否) as compared: half-width, lower case."""
    return unicodedata.normalize("NFKC", _text(value)).lower()


_MASK_ID = re.compile(r"^(\d*)\*{2,}(\d*X?)$")
_MASK_PHONE = re.compile(r"^(\d*)\*{2,}(\d*)$")


def _mask_parts(pattern: re.Pattern[str], text: str) -> tuple[str, str] | None:
    """The digits shown before and after the stars of a masked number, when enough are shown to match."""
    match = pattern.match(text)
    if match is None or len(match[1]) + len(match[2]) < 4:
        return None
    return match[1], match[2]


#: The start of a sheet named by a batch code (L2021-0005 3月5日): a workbook with one sheet per batch.
CODE_LIKE = re.compile(r"^[A-Za-z]{1,6}\d{4}-\d{1,6}(?![0-9])")
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]+")


def sheet_code(name: str, codes: Sequence[str]) -> str:
    """The code among ``codes`` a sheet's name starts with (L2021-0015 1月14日, L2021-0015（1月14日）), or ""."""
    text = name.strip()
    for code in codes:
        if code and text.startswith(code) and not text[len(code) : len(code) + 1].isalnum():
            return code
    return ""


def fold_name(value: object) -> str:
    """A name as compared to find its person: without spaces or invisible characters, half-width."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", str(value or "")))


def masked_id(value: Cell) -> str:
    """The masked ID number a cell holds (330106********3653, as our exports write it), or an anonymised
    person's token (ANON1234: found on the roster by the token itself), else ""."""
    if not isinstance(value, str):
        return ""
    text = normalise_id(value)
    return text if _mask_parts(_MASK_ID, text) or is_anonymised_id(text) else ""


def masked_phone(value: Cell) -> str:
    """The masked phone a cell holds (138****5678), else ""."""
    if not isinstance(value, str):
        return ""
    text = normalise_phone(value)
    return text if _mask_parts(_MASK_PHONE, text) else ""


def mask_matches(masked: str, number: str) -> bool:
    """Whether a full number is one the masked form could stand for (the shown digits agree).  ``number``
    may itself be masked (the stored person's id_masked): its hidden digits agree with anything.  An
    anonymised person's token stands for itself only."""
    if is_anonymised_id(masked):
        return masked == number
    parts = _mask_parts(_MASK_ID if len(masked) >= 11 else _MASK_PHONE, masked)
    if parts is None or not number:
        return False
    head, tail = parts
    if len(number) < len(head) + len(tail):
        return False
    ends = zip(number[: len(head)] + number[len(number) - len(tail) :], head + tail, strict=True)
    return all(n in ("*", shown) for n, shown in ends)


def mask_fits(db: Database, masked: str, stored_masked: str, stored_key: str) -> bool:
    """Whether the masked number of a file could be the stored person's: compared with the number itself on
    an SQLite file (the key is the number), else with the stored mask's shown digits."""
    return mask_matches(masked, stored_key if identity.plain_keys(db) else stored_masked)


def key_rows(db: Database, session: Any, rows: Sequence[ImportedRow]) -> None:
    """Give each row the keys of the ID number and the phone it holds (one question to a server)."""
    values = [str(r.values.get(k) or "") for r in rows for k in ("id_number", "phone")]
    keys = identity.keys_of(db, session, values)
    for r in rows:
        r.key = keys.get(str(r.values.get("id_number") or ""), "")
        r.phone_key = keys.get(str(r.values.get("phone") or ""), "")


def _compared(r: ImportedRow, key: str) -> object:
    """A row's value as compared with the stored person's: the phone by its key."""
    return r.phone_key if key == "phone" else r.values[key]


def check_rows(sheet: Sheet, layout: Layout, today: dt.date | None = None) -> list[ImportedRow]:
    """Normalise and check every data row below the header; blank rows are skipped."""
    today = today or dt.date.today()
    result: list[ImportedRow] = []
    result_by_row: dict[int, ImportedRow] = {}
    seen: dict[str, int] = {}
    cols = layout.columns
    for index in range(layout.header_row + 1, len(sheet.rows)):
        raw = sheet.rows[index]
        if table_end(raw):
            break
        if skipped_row(raw):
            continue
        number = index + 1
        item = ImportedRow(number, {})
        raw_name = _cell(raw, cols.get("name"))
        name = _text(raw_name)
        item.values["name"] = name
        if not name:
            item.errors.append(Problem(number, "name", messages.text("import.name_missing")))
        elif numeric_name(raw_name):
            # A number is never a name: most often a formula whose result was never calculated (cached 0).
            item.errors.append(Problem(number, "name", messages.text("name.numeric", value=name)))
        shown_name = messages.shown(name)
        raw_id = _cell(raw, cols.get("id_number"))
        item.masked_id = masked_id(raw_id)
        verdict = check_id(raw_id, today=today)
        item.values["id_number"] = "" if item.masked_id else verdict.number
        item.values["sex"] = None if item.masked_id else verdict.sex
        item.values["birth_date"] = None if item.masked_id else verdict.birth_date
        if item.masked_id:
            # Resolved against the batch's roster by plan_sheets; on its own it cannot be checked.
            item.errors.append(
                Problem(
                    number,
                    "id_number",
                    messages.text("import.masked_unknown", value=item.masked_id, name=shown_name),
                )
            )
        elif verdict.error:
            key, params = verdict.error
            item.errors.append(Problem(number, "id_number", messages.text(key, **params)))
        else:
            if verdict.warning:
                key, params = verdict.warning
                item.warnings.append(Problem(number, "id_number", messages.text(key, **params)))
            if verdict.number in seen:
                first = result_by_row[seen[verdict.number]]
                if not any(p.field == "id_number" for p in first.errors):
                    # Both rows are in doubt: a number pasted onto a second person must not rename the first.
                    first.errors.append(
                        Problem(
                            first.row,
                            "id_number",
                            messages.text("import.duplicate_later", id=mask_id(verdict.number), other=number),
                        )
                    )
                item.errors.append(
                    Problem(
                        number,
                        "id_number",
                        messages.text(
                            "import.duplicate_in_file", id=mask_id(verdict.number), first=seen[verdict.number]
                        ),
                    )
                )
            else:
                seen[verdict.number] = number
            given = _word(_cell(raw, cols.get("sex")))
            if given and SEX_WORDS.get(given) and SEX_WORDS[given] != verdict.sex:
                item.warnings.append(
                    Problem(
                        number,
                        "sex",
                        messages.text(
                            "import.sex_mismatch",
                            given=messages.shown(_text(_cell(raw, cols.get("sex")))),
                            derived="男" if verdict.sex == "M" else "女",
                        ),
                    )
                )
        phone_raw = _cell(raw, cols.get("phone"))
        item.masked_phone = masked_phone(phone_raw)
        phone = "" if item.masked_phone or phone_raw is None else normalise_phone(phone_raw)
        item.values["phone"] = phone
        if item.masked_phone:
            item.errors.append(
                Problem(
                    number,
                    "phone",
                    messages.text("import.masked_phone", value=item.masked_phone, name=shown_name),
                )
            )
        elif phone and not phone_valid(phone):
            item.errors.append(
                Problem(number, "phone", messages.text("import.phone", value=_text(phone_raw)))
            )
        for key in FIELD_LIMITS:
            text = name if key == "name" else _text(_cell(raw, cols.get(key)))
            bad = invisible_char(text, multiline=key == "notes")
            if bad:
                label = messages.text("import.name_label") if key == "name" else messages.field_label(key)
                item.errors.append(
                    Problem(
                        number,
                        key,
                        messages.text("import.control_chars", label=label, char=messages.char_name(bad)),
                    )
                )
        for key, limit in FIELD_LIMITS.items():
            if key == "name":
                continue
            text = _text(_cell(raw, cols.get(key)))
            if len(text) > limit:
                item.errors.append(
                    Problem(
                        number,
                        key,
                        messages.text("import.too_long", label=messages.field_label(key), max=limit),
                    )
                )
                text = text[:limit]
            item.values[key] = text
        if len(name) > FIELD_LIMITS["name"]:
            item.errors.append(
                Problem(
                    number,
                    "name",
                    messages.text("import.too_long", label=messages.field_label("name"), max=40),
                )
            )
        for key in ("model_worker", "companion"):
            flag = _flag(_cell(raw, cols.get(key)), model_worker=key == "model_worker")
            item.values[key] = bool(flag)
            if flag is None:
                item.errors.append(
                    Problem(
                        number,
                        key,
                        messages.text(
                            "import.bad_flag",
                            label=messages.field_label(key),
                            value=messages.shown(_text(_cell(raw, cols.get(key)))),
                        ),
                    )
                )
        result.append(item)
        result_by_row[number] = item
    return result


_COMPARED = (
    "name",
    "phone",
    "employer",
    "department",
    "category",
    "model_worker",
    "diet",
    "health",
    "emergency_contact",
    "room",
    "notes",
    "companion",
)


def plan_import(db: Database, batch_code: str, path: Path, layout: Layout | None = None) -> ImportPlan:
    """Read ``path`` and work out what importing it into the batch would do; writes nothing.

    ``layout`` overrides the detected sheet, header row and column mapping (the user corrected it).
    """
    sheets = read_sheets(path)
    return plan_sheets(db, batch_code, sheets, str(path), layout)


def _stated_batch(sheet: Sheet, layout: Layout) -> str:
    """The batch code a sheet's title rows name (批次编号 | CODE, as the roster request writes it), or ""."""
    for row in sheet.rows[: layout.header_row - layout.header_rows + 1]:
        cells = [_text(c) for c in row]
        for i, cell in enumerate(cells[:-1]):
            if cell.replace(" ", "") in ("批次编号", "批次编号：", "批次编号:") and cells[i + 1]:
                return cells[i + 1].strip()
    return ""


def plan_sheets(
    db: Database, batch_code: str, sheets: list[Sheet], source: str, layout: Layout | None = None
) -> ImportPlan:
    """:func:`plan_import` for sheets already read (a batch register carries one roster sheet per batch)."""
    path = source
    if layout is None:
        # A workbook with one roster sheet per batch (a partner's year, a batch register) is read at the
        # sheet named by this batch's code ("L2021-0005 3月5日"), whichever sheet comes first.
        own = [s for s in sheets if sheet_code(s.name, [batch_code.strip()])]
        layout = _HEADERS.best_layout(own, _usable) if own else None
        others = [s.name for s in sheets if not own and CODE_LIKE.match(s.name.strip())]
        if layout is None and others:
            raise ValidationError(
                "import.no_batch_sheet",
                field="file",
                code=batch_code.strip(),
                sheets=messages.join([messages.shown(n) for n in others[:3]]),
            )
        layout = layout or detect_layout(sheets, str(path))
    sheet = next((s for s in sheets if s.name == layout.sheet), None)
    if sheet is not None:
        layout = _HEADERS.chosen(sheet, layout)
    if sheet is None or not _usable(layout.columns):
        raise ValidationError("import.no_header", field="file", path=str(path))
    stated = _stated_batch(sheet, layout)
    if stated and stated != batch_code.strip():
        # a roster request (名单报送表) names its batch above the header: it never fills another batch's roster,
        # whatever its sheet was renamed to
        raise ValidationError("import.other_batch", field="file", code=batch_code.strip(), stated=stated)
    headers = header_texts(sheet, layout, _text)
    rows = check_rows(sheet, layout)
    with db.session() as session:
        batch = session.execute(
            select(Batch).where(col(Batch.code) == batch_code.strip())
        ).scalar_one_or_none()
        if batch is None:
            raise ValidationError("batch.unknown_code", field="batch", code=batch_code)
        cycle = policy_service.load_policy(session).eligibility_cycle_days
        on_roster = (
            session.execute(select(Participant).where(col(Participant.batch_id) == batch.id)).scalars().all()
        )
        key_rows(db, session, rows)
        masked_matched = _resolve_masked(db, rows, on_roster)
        people = [(r.key, str(r.values["name"])) for r in rows if r.ok]
        for conflict in person_conflicts(session, batch, people, cycle):
            row = next(r for r in rows if r.ok and r.key == conflict.id_key)
            dates = f"{conflict.other_arrival.isoformat()} 至 {conflict.other_departure.isoformat()}"
            if conflict.overlap:
                row.errors.append(
                    Problem(
                        row.row,
                        "id_number",
                        messages.text(
                            "rule.overlap",
                            name=conflict.name,
                            id=conflict.id_masked,
                            a=batch.code,
                            a_dates=f"{batch.arrival.isoformat()} 至 {batch.departure.isoformat()}",
                            b=conflict.other_code,
                            b_dates=dates,
                        ),
                    )
                )
            else:
                row.warnings.append(Problem(row.row, "id_number", conflict.message(cycle)))
        existing = {
            p.id_key or "": {
                **{k: getattr(p, k) for k in _COMPARED if k != "phone"},
                "phone": p.phone_key or "",
                "id_masked": p.id_masked or "",
            }
            for p in on_roster
        }
        carried = tuple(k for k in _COMPARED if k == "name" or k in layout.columns)
        plan = ImportPlan(batch.id or 0, batch.code, layout, headers, rows, [s.name for s in sheets], carried)
        plan.masked_matched = masked_matched
        plan.batch_status = batch.status
    for r in rows:
        if not r.ok:
            continue
        number = r.key
        old = existing.get(number)
        if old is not None:
            restore_masked_text(r, old, plan.fields)  # the free text of a masked export is the stored text
            if not r.ok:
                continue
        if old is None:
            plan.added.append(number)
            r.result = "new"
        else:
            if old["name"] != r.values["name"] and not any(w.field == "name" for w in r.warnings):
                r.warnings.append(
                    Problem(
                        r.row,
                        "name",
                        messages.text(
                            "import.name_changed",
                            id=old["id_masked"],
                            old=messages.shown(str(old["name"])),
                            name=messages.shown(str(r.values["name"])),
                        ),
                    )
                )
            r.changes = [k for k in plan.fields if old[k] != _compared(r, k)]
            r.result = "changed" if r.changes else "unchanged"
            if r.changes:
                plan.changed.append(number)
    # Who is absent: only people no row of the file stands for.  A row names its person by the ID number
    # as read (valid or not) or by a masked number; a row whose number names nobody on the roster and that
    # cannot be read (a typo in the number, a masked number that matched no one, an empty number) may
    # still be one of them, so everyone of that name stays.  An unreadable row never removes anyone.
    named = {r.key for r in rows} & set(existing)
    # A row that cannot be read keeps everyone it may stand for: the same name (spaces and invisible
    # characters aside), a masked number that fits, or the same phone.
    unreadable = [r for r in rows if r.errors and r.key not in existing]
    unreadable_names = {fold_name(r.values.get("name")) for r in unreadable} - {""}
    unread_masks = [r.masked_id for r in unreadable if r.masked_id]
    unread_phones = {r.phone_key for r in unreadable} - {""}
    absent = sorted(n for n in existing if n not in named)
    plan.removed = [
        n
        for n in absent
        if fold_name(existing[n]["name"]) not in unreadable_names
        and not any(mask_fits(db, m, str(existing[n]["id_masked"]), n) for m in unread_masks)
        and existing[n]["phone"] not in unread_phones
    ]
    plan.removed_names = [str(existing[n]["name"]) for n in plan.removed]
    plan.kept_unreadable = len(absent) - len(plan.removed)
    return plan


#: The free-text fields a masked export writes through :func:`recuperation.people.mask_in_text`.
MASKED_TEXT_FIELDS = (
    "employer",
    "department",
    "category",
    "diet",
    "health",
    "emergency_contact",
    "room",
    "notes",
)


def restore_masked_text(row: ImportedRow, stored: dict[str, object], fields: Sequence[str]) -> None:
    """A masked export hides the numbers typed into free text (李强 139****1111): such a value that equals the
    stored text masked stands for the stored text, so a masked export reads back with no change.  A text that
    holds masked numbers and differs cannot be stored (the full numbers would be lost): an error."""
    for key in fields:
        value, old = row.values.get(key), stored.get(key)
        if key not in MASKED_TEXT_FIELDS or not isinstance(value, str) or not isinstance(old, str):
            continue
        if value == old or not MASKED_IN_TEXT.search(value):
            continue
        masked = mask_in_text(old)
        if value == masked:
            row.values[key] = old
        elif masked != old:
            row.errors.append(
                Problem(
                    row.row,
                    key,
                    messages.text("import.masked_text", label=messages.field_label(key), value=value),
                )
            )


def _resolve_masked(db: Database, rows: list[ImportedRow], on_roster: Sequence[Participant]) -> int:
    """Find the people of masked rows on the batch's roster, by the masked number and the name.

    A roster we exported with masked numbers comes back with them: such a row stands for the person of that
    name whose number the masked form could be, and takes that person's number (a masked phone that agrees
    with the person's phone keeps it).  A row whose name was corrected (方华振 → 方华珍) still matches when
    exactly one person no other row stands for fits the digits shown; the new name is then a change, with a
    warning.  No match, or two, stays an error.  Returns how many rows matched.
    """
    matched = 0

    def fits(masked: str, p: Participant) -> bool:
        return mask_fits(db, masked, p.id_masked or "", p.id_key or "")

    by_number = {p.id_key: p for p in on_roster}
    by_name: dict[str, list[Participant]] = {}
    for p in on_roster:
        by_name.setdefault(fold_name(p.name), []).append(p)
    claimed = {r.key for r in rows if not r.masked_id}
    unmatched: list[ImportedRow] = []
    for r in rows:
        if not r.masked_id:
            continue
        name = str(r.values.get("name") or "")
        candidates = [p for p in by_name.get(fold_name(name), []) if fits(r.masked_id, p)]
        if len(candidates) == 1:
            _take(r, candidates[0])
            claimed.add(candidates[0].id_key or "")
            matched += 1
        elif candidates:
            _masked_error(r, "import.masked_ambiguous", len(candidates))
        else:
            unmatched.append(r)
    for r in unmatched:  # a corrected name: the digits alone, among the people no row stands for
        fitting = [p for p in on_roster if p.id_key not in claimed and fits(r.masked_id, p)]
        if len(fitting) != 1:
            _masked_error(r, "import.masked_unknown", 0)
            continue
        _take(r, fitting[0])
        claimed.add(fitting[0].id_key or "")
        matched += 1
        r.warnings.append(
            Problem(
                r.row,
                "name",
                messages.text(
                    "import.masked_renamed",
                    value=r.masked_id,
                    old=messages.shown(fitting[0].name),
                    name=messages.shown(str(r.values.get("name") or "")),
                ),
            )
        )
    for r in rows:
        person = by_number.get(r.key) if r.key else None
        if (
            r.masked_phone
            and person is not None
            and mask_fits(db, r.masked_phone, person.phone_masked or "", person.phone_key or "")
        ):
            # the stored phone stands: its key, and its mask (never written: the key is the stored one's)
            r.values["phone"], r.phone_key = person.phone_masked or "", person.phone_key or ""
            r.errors = [p for p in r.errors if p.field != "phone"]
    # Two rows that turn out to be one person (a masked row and a full one).
    seen: dict[str, int] = {}
    for r in rows:
        number = r.key
        if not number or any(p.field == "id_number" for p in r.errors):
            continue
        if number in seen:  # full rows twice were found by check_rows: one of these two is masked
            shown = r.masked_id or mask_id(str(r.values.get("id_number") or ""))
            r.errors.append(
                Problem(
                    r.row,
                    "id_number",
                    messages.text("import.duplicate_in_file", id=shown, first=seen[number]),
                )
            )
        seen.setdefault(number, r.row)
    return matched


def _take(r: ImportedRow, person: Participant) -> None:
    """A masked row stands for ``person``: it takes the person's key and the facts the number gives (the
    number itself stays unread: it is never written back)."""
    r.key = person.id_key or ""
    r.values.update(sex=person.sex, birth_date=person.birth_date)
    r.errors = [p for p in r.errors if p.field != "id_number"]
    r.matched_masked = True


def _masked_error(r: ImportedRow, key: str, count: int) -> None:
    r.errors = [p for p in r.errors if p.field != "id_number"]
    name = messages.shown(str(r.values.get("name") or ""))
    r.errors.append(
        Problem(r.row, "id_number", messages.text(key, value=r.masked_id, name=name, count=count))
    )


@dataclass(frozen=True)
class ImportResult:
    added: int
    removed: int
    changed: int


def removal_names(plan: ImportPlan, limit: int = 5) -> str:
    """The first names of the people an import would remove: 张三、李四 等 12 人."""
    names = messages.join(plan.removed_names[:limit])
    more = len(plan.removed_names) - limit
    return names + (
        " " + messages.text("import.more_names", count=len(plan.removed_names)) if more > 0 else ""
    )


def apply_import(
    db: Database,
    plan: ImportPlan,
    *,
    skip_invalid: bool = False,
    allow_removals: bool = False,
    reason: str = "",
) -> ImportResult:
    """Write the plan in one transaction: people added, removed and changed, each recorded in the audit log.

    Refused (nothing written) when rows have errors, unless ``skip_invalid``; when people would be removed,
    unless ``allow_removals`` with a ``reason``; when the batch is completed or cancelled and anything would
    change, unless a ``reason`` is given (it is recorded in the batch's history); when the batch's roll call is
    closed and anyone would be added or removed (corrections pass).  The roster must still be as
    it was when the plan was made; otherwise the plan is refused and must be made again.
    """
    reason = reason.strip()
    if plan.errors and not skip_invalid:
        raise RuleViolation("import.refused", field="file", errors=len({p.row for p in plan.errors}))
    if plan.removed and not allow_removals:
        raise RuleViolation(
            "import.removals_need_consent",
            field="file",
            code=plan.batch_code,
            count=len(plan.removed),
            names=removal_names(plan),
        )
    if plan.removed and not reason:
        raise RuleViolation(
            "import.removals_need_reason", field="reason", code=plan.batch_code, count=len(plan.removed)
        )
    rows = {r.key: r for r in plan.rows if r.ok}
    participant = table_of(Participant)
    stamp = now()
    with db.session(write=True) as session:
        lock_people(session)
        status, roll_closed_on = session.execute(
            select(col(Batch.status), col(Batch.roll_closed_on)).where(col(Batch.id) == plan.batch_id)
        ).one()
        if (plan.added or plan.removed) and roll_closed_on is not None:
            raise RuleViolation(
                "roster.roll_closed", field="file", code=plan.batch_code, day=roll_closed_on.isoformat()
            )
        if (
            (plan.added or plan.removed or plan.changed)
            and status in ("completed", "cancelled")
            and not reason
        ):
            raise RuleViolation(
                "import.closed_needs_reason",
                field="reason",
                code=plan.batch_code,
                status=messages.text(f"import.closed_status.{status}"),
            )
        existing = {
            p.id_key: p
            for p in session.execute(
                select(Participant).where(col(Participant.batch_id) == plan.batch_id)
            ).scalars()
        }
        if set(plan.added) & set(existing) or not set(plan.removed) | set(plan.changed) <= set(existing):
            raise RuleViolation("import.stale", field="file", code=plan.batch_code)
        for number in (*plan.removed, *plan.changed):  # an old export read back never restores a person
            refuse_anonymised(existing[number])
        # The preview's overlap check is re-done here, inside the transaction that commits, after the lock:
        # another desk may have put the same people into an overlapping batch since (rosters.lock_people).
        if plan.added:
            batch = session.execute(select(Batch).where(col(Batch.id) == plan.batch_id)).scalar_one()
            refuse_overlaps(session, batch, [(n, str(rows[n].values["name"])) for n in plan.added])
        label = plan.batch_code
        if reason and (plan.added or plan.removed or plan.changed):
            audit(
                session,
                db.user,
                "import",
                "batch",
                plan.batch_id,
                label,
                "roster_reason",
                None,
                f"+{len(plan.added)} -{len(plan.removed)} ~{len(plan.changed)}：{reason}",
            )
        if plan.added:
            session.execute(
                insert(participant),
                [
                    {
                        "batch_id": plan.batch_id,
                        "version": 1,
                        "created_at": stamp,
                        "updated_at": stamp,
                        "updated_by": db.user,
                        **{
                            k: rows[n].values[k]
                            for k in ("name", "id_number", "sex", "birth_date", *_COMPARED)
                        },
                    }
                    for n in plan.added
                ],
            )
            audit(
                session,
                db.user,
                "import",
                "batch",
                plan.batch_id,
                label,
                "roster_added",
                None,
                f"{len(plan.added)} 人",
            )
        for number in plan.changed:
            old = existing[number]
            row = rows[number]
            # a column not in the file stays as it was; the phone is compared by its key, and a phone that
            # stands for the stored one (a masked export read back) is never written
            values = {k: row.values[k] for k in plan.fields if k != "phone" or row.phone_key != old.phone_key}
            for key, value in values.items():
                before = old.phone_masked if key == "phone" else getattr(old, key)
                if key == "phone" or before != value:
                    audit(
                        session,
                        db.user,
                        "update",
                        "participant",
                        old.id,
                        f"{label} {old.name}",
                        key,
                        before,
                        value,
                    )
            session.execute(
                update(participant)
                .where(participant.c.id == old.id)
                .values(**values, version=old.version + 1, updated_at=stamp, updated_by=db.user)
            )
        if plan.removed:
            ids = [existing[n].id for n in plan.removed]
            for number in plan.removed:
                audit(
                    session,
                    db.user,
                    "delete",
                    "participant",
                    existing[number].id,
                    f"{label} {existing[number].name}",
                    "substitution",
                    reason or None,
                    None,
                )
            session.execute(delete(participant).where(participant.c.id.in_(ids)))
    return ImportResult(len(plan.added), len(plan.removed), len(plan.changed))
