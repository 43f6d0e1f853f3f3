"""A base's inspection checklist (实地考察检查表) as a workbook: ``export checklist`` writes it, ``inspect`` reads it
back.

**Layout** (sheet 检查表): a title; a header block — 基地, 考察编号 (the inspection's number; empty on a blank
form), 考察类型 (实地考察, 复核 or 日常检查, with a drop-down), 考察日期, 检查人员, 标准, 考察结论; then one row per clause:
编号, 要素, 要求, 应/宜, 结果 (符合 / 不符合 / 不适用, a drop-down; empty: not checked yet), 说明, 检查日期.  A sheet
说明 says how to fill it.  Printed, it fits the width of an A4 page in landscape, the column headers repeated.

**Reading** (:func:`plan_checklist`, :func:`apply_checklist`): through the bounded readers
(:func:`recuperation.sheets.read_sheets`), checked whole before anything is written.  The table is found by its
编号 and 结果 headers wherever it starts (title rows, merged cells and a header block above it are read or passed
over); the header block's labels are found wherever they stand, their value in the next filled cell to the right
(a merged cell's value stands in its first cell) or after a colon in the same cell (基地：寿昌宾馆).  A row is matched
to its clause by 编号 alone — 要素, 要求 and 应/宜 are there for the inspector and are not read back, so a clause
edited since does not make the file wrong; rows that carry no result, note or date and no clause number of the
checklist (an element's heading, an empty line) are passed over.  结果 is read as the labels (符合, 不符合, 不适用, or
their English), the codes (met, not_met, na) and the marks inspectors write (√ ✓ 是; × ✗ 否; / N/A); empty is not
checked yet.  说明 is kept as written.  A date without its year (5月12日) takes the inspection's year.

The file names its inspection (考察编号): its results are written to that inspection, the header's changes with
them; a clause of the inspection that the file does not list keeps what it has.  A file without a number makes a
new inspection of the base (its kind and date from the header, or the command's ``--kind`` / ``--date``), whose
checklist is every clause in use of its standard, as :func:`recuperation.services.inspections.start_inspection`
makes it.  Every problem names the sheet, the row, the column and what to do, and then nothing is written.
What the program exports reads back with no change (a test holds it): the numbers typed into a note or the
conclusion (a phone, an ID number) are masked in the file, and a masked text read back stands for the stored one.
A file without a number is refused when the base already has an inspection of its kind on its day (the same
filled form imported twice, or at two desks at once: checked again with the base locked).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.errors import DomainError, RuleViolation, ValidationError
from recuperation.labels import label, labels
from recuperation.models import Base, ClauseResult, Inspection, InspectionKind, StandardClause
from recuperation.people import MASKED_IN_TEXT, mask_in_text
from recuperation.private_files import private_output, private_scratch
from recuperation.services import inspections as service
from recuperation.services.register_cells import CellError, to_date, to_text
from recuperation.sheets import Cell, Sheet, read_sheets
from recuperation.storage.database import Database

SHEET = "检查表"
NOTES_SHEET = "说明"
#: The table's columns: field → (the header written, other headers read).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("编号", "条款编号", "条款号", "条款"),
    "element": ("要素", "评价要素", "类别"),
    "requirement": ("要求", "条款内容", "内容", "检查内容"),
    "strength": ("应/宜", "应宜", "要求程度"),
    "result": ("结果", "检查结果", "评定", "评定结果", "是否符合", "符合情况"),
    "note": ("说明", "备注", "情况说明", "存在问题"),
    "checked_on": ("检查日期", "日期"),
}
#: The header block's labels: field → (the label written, other labels read).
HEADER: dict[str, tuple[str, ...]] = {
    "base": ("基地", "基地名称", "疗休养基地", "被检查基地"),
    "inspection": ("考察编号", "检查表编号", "考察记录编号"),
    "kind": ("考察类型", "检查类型"),
    "on_date": ("考察日期", "考察时间"),
    "inspectors": ("检查人员", "考察人员", "检查人", "考察组成员"),
    "standard": ("标准", "依据标准", "执行标准"),
    "conclusion": ("考察结论", "结论"),
}
_WIDTHS = (9, 11, 60, 7, 10, 36, 12)
_HEADER_SEARCH = 30  # rows searched for the table's header
_TABLE_FIRST = 7  # the row the written table's header stands on (0-based)
_MET_MARKS = ("√", "✓", "✔", "☑", "是", "y", "yes", "ok", "合格", "符合要求", "pass", "passed", "compliant")
_NOT_MET_MARKS = (
    "×",
    "✗",
    "✘",
    "☒",
    "x",
    "否",
    "n",
    "no",
    "不合格",
    "不符合要求",
    "fail",
    "failed",
    "noncompliant",
    "non-compliant",
)
_NA_MARKS = ("/", "n/a", "na", "无此项")


def _word(value: object) -> str:
    """A header or label as compared: half-width, no spaces, no * nor a trailing colon, lower case."""
    text = "".join(unicodedata.normalize("NFKC", str(value or "")).split()).replace("*", "")
    return text.rstrip(":").lower()


_COLUMN_WORDS = {_word(w): f for f, ws in COLUMNS.items() for w in ws}
_HEADER_WORDS = {_word(w): f for f, ws in HEADER.items() for w in ws}


# -- export -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    inspection_id: int | None


@dataclass(frozen=True)
class _Form:
    base: str
    inspection_id: int | None
    kind: str
    on_date: dt.date | None
    inspectors: str
    standard: str
    conclusion: str
    rows: list[tuple[str, str, str, str, str | None, str, dt.date | None]]  # code … result, note, checked_on


def export_checklist(
    db: Database,
    base: str,
    path: Path,
    *,
    inspection_id: int | None = None,
    kind: str = "",
    on_date: dt.date | None = None,
    inspectors: str = "",
    standard: str = "",
) -> ExportResult:
    """Write a base's checklist to ``path`` (.xlsx): the inspection ``inspection_id`` as it is filled, or a blank
    form of every clause in use (``kind``, ``on_date`` and ``inspectors`` filled in when given)."""
    with db.session() as session:
        found = service.find_base(session, base)
        form = _form(session, found, inspection_id, kind, on_date, inspectors, standard)
    with private_output(path) as temp, private_scratch() as scratch:
        book = xlsxwriter.Workbook(
            str(temp), {"strings_to_formulas": False, "strings_to_numbers": False, "tmpdir": scratch}
        )
        try:
            _write(book, form)
        finally:
            book.close()
    return ExportResult(path, len(form.rows), form.inspection_id)


def _form(
    session: Session,
    base: Base,
    inspection_id: int | None,
    kind: str,
    on_date: dt.date | None,
    inspectors: str,
    standard: str,
) -> _Form:
    assert base.id is not None
    if inspection_id is not None:
        inspection = session.get(Inspection, inspection_id)
        if inspection is None or inspection.base_id != base.id:
            raise ValidationError(
                "inspection.file.not_of_base", field="inspection", base=base.name, number=inspection_id
            )
        row = service.get_inspection_in(session, inspection_id)
        return _Form(
            base.name,
            row.id,
            row.kind,
            row.on_date,
            row.inspectors,
            row.standard,
            row.conclusion,
            [
                (
                    i.code,
                    i.element,
                    i.requirement,
                    i.strength,
                    i.result,
                    i.note,
                    i.checked_on,
                )
                for i in row.items
            ],
        )
    if kind:
        kind = read_kind(kind)
    chosen = service.choose_standard(session, standard)
    clauses = session.exec(
        select(StandardClause)
        .where(StandardClause.standard == chosen, col(StandardClause.active).is_(True))
        .order_by(col(StandardClause.position), col(StandardClause.id))
    ).all()
    return _Form(
        base.name,
        None,
        kind,
        on_date,
        inspectors,
        chosen,
        "",
        [(c.code, c.element, c.requirement, c.strength, None, "", None) for c in clauses],
    )


def _write(book: Any, form: _Form) -> None:
    title = book.add_format({"bold": True, "font_size": 15, "align": "center", "valign": "vcenter"})
    tag = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "vcenter"})
    fact = book.add_format({"num_format": "@", "border": 1, "valign": "vcenter", "text_wrap": True})
    fact_date = book.add_format({"num_format": "yyyy-mm-dd", "border": 1, "align": "left"})
    note = book.add_format({"italic": True, "font_color": "#555555", "text_wrap": True, "valign": "top"})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    text = book.add_format({"num_format": "@", "border": 1, "text_wrap": True, "valign": "top"})
    centred = book.add_format({"num_format": "@", "border": 1, "align": "center", "valign": "top"})
    date = book.add_format({"num_format": "yyyy-mm-dd", "border": 1, "valign": "top"})
    result_words = list(labels("clause_result", "zh").values())
    kind_words = list(labels("inspection_kind", "zh").values())

    sheet = book.add_worksheet(SHEET)
    what = label("inspection_kind", form.kind, "zh") if form.kind else "考察"
    sheet.merge_range(0, 0, 0, 6, f"疗休养基地{what}检查表", title)
    sheet.set_row(0, 28)

    def put(row: int, first: int, last: int, value: object, style: Any) -> None:
        if first == last:
            if isinstance(value, dt.date):
                sheet.write_datetime(row, first, dt.datetime.combine(value, dt.time()), style)
            elif value in (None, ""):
                sheet.write_blank(row, first, None, style)
            else:
                sheet.write_string(row, first, str(value), style)
        elif isinstance(value, dt.date):
            sheet.merge_range(row, first, row, last, "", style)
            sheet.write_datetime(row, first, dt.datetime.combine(value, dt.time()), style)
        else:
            sheet.merge_range(row, first, row, last, "" if value is None else str(value), style)

    facts = (
        (1, "base", form.base, "inspection", "" if form.inspection_id is None else str(form.inspection_id)),
        (2, "kind", label("inspection_kind", form.kind, "zh") if form.kind else "", "on_date", form.on_date),
        (3, "inspectors", form.inspectors, "standard", form.standard),
    )
    for row, left, left_value, right, right_value in facts:
        sheet.write_string(row, 0, HEADER[left][0], tag)
        put(row, 1, 3, left_value, fact)
        sheet.write_string(row, 4, HEADER[right][0], tag)
        put(row, 5, 6, right_value, fact_date if right == "on_date" else fact)
    sheet.data_validation(2, 1, 2, 1, {"validate": "list", "source": kind_words, "ignore_blank": True})
    sheet.write_string(4, 0, HEADER["conclusion"][0], tag)
    put(4, 1, 6, mask_in_text(form.conclusion), fact)  # a phone in a note: masked, and read back as stored
    sheet.set_row(4, 45)
    sheet.merge_range(
        5,
        0,
        5,
        6,
        "结果填写“符合”“不符合”或“不适用”，留空表示尚未检查；不符合的请在“说明”中写明情况。"
        "导入时按“编号”对应条款，要素、要求和应/宜仅供参考。考察编号为空时，导入将新建一次考察。",
        note,
    )
    sheet.set_row(5, 30)

    header = _TABLE_FIRST - 1
    for c, (name, words) in enumerate(COLUMNS.items()):
        sheet.write_string(header, c, words[0], head)
        sheet.set_column(c, c, _WIDTHS[c])
        del name
    for r, (code, element, requirement, strength, result, remark, checked) in enumerate(
        form.rows, start=header + 1
    ):
        sheet.write_string(r, 0, code, text)
        sheet.write_string(r, 1, label("element", element, "zh"), centred)
        sheet.write_string(r, 2, requirement, text)
        sheet.write_string(r, 3, label("strength", strength, "zh"), centred)
        put(r, 4, 4, label("clause_result", result, "zh") if result else "", centred)
        put(r, 5, 5, mask_in_text(remark), text)
        put(r, 6, 6, checked, date)
        tall = max(_lines(requirement, _WIDTHS[2]), _lines(remark, _WIDTHS[5]), 1)
        if tall > 1:  # wrapped text shows whole in every program, printed or not (none fits rows itself)
            sheet.set_row(r, 15 * tall + 2)
    last = header + max(len(form.rows), 1)
    sheet.data_validation(
        header + 1,
        4,
        last,
        4,
        {
            "validate": "list",
            "source": result_words,
            "ignore_blank": True,
            "error_title": "结果",
            "error_message": "请选择：" + "、".join(result_words) + "；尚未检查的留空。",
        },
    )
    sheet.data_validation(
        header + 1,
        6,
        last,
        6,
        {
            "validate": "date",
            "criteria": ">=",
            "value": dt.datetime(2000, 1, 1),
            "ignore_blank": True,
            "error_message": "请填写日期，如 2024-05-12。",
        },
    )
    sheet.freeze_panes(header + 1, 0)
    sheet.repeat_rows(header)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)

    notes = book.add_worksheet(NOTES_SHEET)
    notes.set_column(0, 0, 14)
    notes.set_column(1, 1, 100)
    lines = [
        ("考察编号", "程序中这次考察的编号。导出已有考察时填好；为空表示空白检查表，导入时新建一次考察。"),
        ("考察类型", "、".join(kind_words) + "。实地考察和复核是基地认定的步骤。"),
        ("考察日期", "考察当天的日期，如 2024-05-12；不能晚于今天。"),
        (
            "结果",
            "、".join(result_words) + "；留空表示尚未检查。也可写 √（符合）、×（不符合）、/（不适用）。",
        ),
        ("说明", "不符合或不适用的原因、现场情况、整改要求，按原文保存。"),
        ("检查日期", "该条检查的日期，留空则为考察日期；不能早于考察日期。"),
        ("编号", "导入时按编号对应条款；检查表中没有的编号会报错。要素、要求和应/宜不导入。"),
        ("条款", "条款在“设置 → 标准条款”中维护；已做的考察保留当时的条款原文。"),
    ]
    for r, (name, said) in enumerate(lines):
        notes.write_string(r, 0, name, tag)
        notes.write_string(r, 1, said)


def _lines(text: str, width: int) -> int:
    """About how many lines ``text`` takes in a column ``width`` characters wide (a Chinese character is as wide
    as 1.75 of the width's characters in the programs' default fonts)."""
    total = 0
    for part in (text or "").split("\n"):
        used = sum(1.75 if unicodedata.east_asian_width(c) in "WF" else 1.0 for c in part)
        total += max(1, math.ceil(used / max(width - 1, 1)))
    return total


# -- import -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int  # as the spreadsheet numbers it
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


@dataclass
class PlannedItem:
    row: int
    code: str
    result: str | None
    note: str
    checked_on: dt.date | None
    status: str = ""  # changed, unchanged (new inspection: changed when it has a result or a note)
    before: service.ItemRow | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "row": self.row,
            "code": self.code,
            "result": self.result,
            "note": self.note,
            "checked_on": self.checked_on.isoformat() if self.checked_on else None,
            "status": self.status,
        }


@dataclass
class ChecklistPlan:
    source: str
    base_id: int
    base: str
    inspection_id: int | None  # None: a new inspection
    inspection_version: int | None
    header: service.InspectionInput | None  # None when the header could not be read
    standard: str
    header_changes: list[str]
    items: list[PlannedItem]
    problems: list[Problem]
    checklist: int = 0  # clauses on the inspection's checklist (or the new one's)
    old_date: dt.date | None = None

    @property
    def errors(self) -> list[Problem]:
        return self.problems

    @property
    def status(self) -> str:
        if self.problems:
            return ""
        if self.inspection_id is None:
            return "new"
        return "changed" if self.header_changes or self.changed else "unchanged"

    @property
    def changed(self) -> int:
        return sum(1 for i in self.items if i.status == "changed")

    @property
    def unchanged(self) -> int:
        return sum(1 for i in self.items if i.status == "unchanged")

    def counts(self) -> dict[str, int]:
        return {r: sum(1 for i in self.items if i.result == r) for r in service.RESULTS}

    def report(self) -> dict[str, object]:
        header = self.header
        return {
            "file": self.source,
            "base": self.base,
            "inspection": self.inspection_id,
            "status": self.status or "error",
            "kind": header.kind if header else None,
            "date": header.on_date.isoformat() if header else None,
            "inspectors": header.inspectors if header else None,
            "standard": self.standard,
            "header_changes": self.header_changes,
            "checklist": self.checklist,
            "rows": len(self.items),
            "changed": self.changed,
            "unchanged": self.unchanged,
            "results": self.counts(),
            "errors": [p.to_json() for p in self.problems],
            "row_status": [i.to_json() for i in self.items],
        }


@dataclass(frozen=True)
class ChecklistResult:
    inspection_id: int
    new: bool
    changed: int  # items written
    row: service.InspectionRow


def read_kind(value: Cell) -> str:
    """An inspection kind written as its label (实地考察, Re-check) or its code (recheck); CellError otherwise."""
    words: dict[str, str] = {}
    for language in ("zh", "en"):
        for code, word in labels("inspection_kind", language).items():
            words[_word(word)] = code
            words[_word(code)] = code
    words[_word("日常")] = InspectionKind.ROUTINE.value
    found = words.get(_word(value))
    if found is None:
        allowed = "、".join(labels("inspection_kind").values())
        raise CellError(messages.text("register.bad_choice", value=to_text(value), allowed=allowed))
    return found


def read_result(value: Cell) -> str | None:
    """结果 as inspectors write it: the labels, the codes, √ × / and 是 否; empty is None (not checked)."""
    text = _word(to_text(value))
    if not text:
        return None
    for language in ("zh", "en"):
        for code, word in labels("clause_result", language).items():
            if text in (_word(word), _word(code)):
                return code
    if text in _MET_MARKS:
        return ClauseResult.MET.value
    if text in _NOT_MET_MARKS:
        return ClauseResult.NOT_MET.value
    if text in _NA_MARKS:
        return ClauseResult.NOT_APPLICABLE.value
    allowed = "、".join(labels("clause_result").values())
    raise CellError(messages.text("inspection.file.bad_result", value=to_text(value), allowed=allowed))


def read_code(value: Cell) -> str:
    """A clause number as a cell holds it: half-width, no spaces (a number cell 5.2 is “5.2”)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", to_text(value)))


def _find_table(sheets: list[Sheet]) -> tuple[Sheet, int, dict[str, int]] | None:
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:_HEADER_SEARCH]):
            columns: dict[str, int] = {}
            for c, cell in enumerate(row):
                name = _COLUMN_WORDS.get(_word(cell)) if isinstance(cell, str) else None
                if name is not None and name not in columns:
                    columns[name] = c
            if "code" in columns and "result" in columns:
                return sheet, index, columns
    return None


@dataclass
class _Said:
    value: Cell
    row: int  # as the spreadsheet numbers it
    column: str  # the label as written


def _header_block(sheet: Sheet, above: int) -> dict[str, _Said]:
    """The header block's values above the table: a label, then its value in the next filled cell to the right,
    or after a colon in the label's own cell."""
    found: dict[str, _Said] = {}
    for index in range(above):
        row = sheet.rows[index]
        for c, cell in enumerate(row):
            if not isinstance(cell, str) or not cell.strip():
                continue
            text = cell.strip()
            name = _HEADER_WORDS.get(_word(text))
            value: Cell = None
            if name is not None:
                value = next(
                    (v for v in row[c + 1 :] if v is not None and not (isinstance(v, str) and not v.strip())),
                    None,
                )
                if isinstance(value, str) and _HEADER_WORDS.get(_word(value)) is not None:
                    value = None  # the next label: this one is empty
            else:
                head, colon, rest = re.sub("：", ":", text).partition(":")
                name = _HEADER_WORDS.get(_word(head)) if colon else None
                if name is None:
                    continue
                value = rest.strip() or None
            if name not in found:
                found[name] = _Said(value, index + 1, text.split("：")[0].split(":")[0].strip())
    return found


def plan_checklist(
    db: Database,
    base: str,
    path: Path,
    *,
    kind: str | None = None,
    on_date: dt.date | None = None,
) -> ChecklistPlan:
    """Read and check a filled checklist for ``base`` (nothing is written): the inspection it names (or a new
    one), each row's result as it would be written, and every problem with its sheet, row and column."""
    sheets = read_sheets(path)
    found_table = _find_table(sheets)
    if found_table is None:
        raise ValidationError(
            "inspection.file.no_table",
            field="file",
            path=str(path),
            headers=messages.join([f"“{COLUMNS['code'][0]}”", f"“{COLUMNS['result'][0]}”"]),
        )
    sheet, header_index, columns = found_table
    titles = {f: str(sheet.rows[header_index][c]).strip() for f, c in columns.items()}
    problems: list[Problem] = []

    def problem(row: int, name: str, column: str, message: str) -> None:
        problems.append(Problem(sheet.name, row, name, column, message))

    block = _header_block(sheet, header_index)
    with db.session() as session:
        target = service.find_base(session, base)
        assert target.id is not None
        said_base = block.get("base")
        if said_base is not None and said_base.value is not None:
            from recuperation.services.rates import fold_name

            if fold_name(to_text(said_base.value)) != fold_name(target.name):
                problem(
                    said_base.row,
                    "base",
                    said_base.column,
                    messages.text(
                        "inspection.file.other_base",
                        said=messages.shown(to_text(said_base.value)),
                        base=target.name,
                    ),
                )
        existing: service.InspectionRow | None = None
        said_number = block.get("inspection")
        if said_number is not None and said_number.value is not None:
            digits = re.sub(r"^[#＃№]|\s", "", unicodedata.normalize("NFKC", to_text(said_number.value)))
            inspection = (
                session.get(Inspection, int(digits)) if digits.isdecimal() and len(digits) < 10 else None
            )
            if inspection is None or inspection.base_id != target.id:
                problem(
                    said_number.row,
                    "inspection",
                    said_number.column,
                    messages.text(
                        "inspection.file.unknown_number",
                        value=to_text(said_number.value),
                        base=target.name,
                    ),
                )
            else:
                assert inspection.id is not None
                existing = service.get_inspection_in(session, inspection.id)

        def header_value(name: str, reader: Any, given: Any) -> tuple[Any, bool]:
            """The header's value (or ``given`` from the command line) and whether the file says it."""
            said = block.get(name)
            if said is None or said.value is None:
                return given, False
            try:
                value = reader(said.value)
            except CellError as exc:
                problem(said.row, name, said.column, str(exc))
                return given, True
            if given is not None and value != given:
                problem(
                    said.row,
                    name,
                    said.column,
                    messages.text(
                        "inspection.file.option_differs",
                        said=to_text(said.value),
                        given=given.isoformat()
                        if isinstance(given, dt.date)
                        else label("inspection_kind", given),
                    ),
                )
            return value, True

        given_kind = read_kind(kind) if kind else None
        the_kind, _ = header_value("kind", read_kind, given_kind)
        the_date, _ = header_value("on_date", lambda v: to_date(v), on_date)
        inspectors = block.get("inspectors")
        conclusion = block.get("conclusion")
        standard_said = block.get("standard")
        standard = to_text(standard_said.value) if standard_said and standard_said.value is not None else ""

        header: service.InspectionInput | None = None
        changes: list[str] = []
        if existing is not None:
            header = service.InspectionInput(
                target.id,
                the_kind or existing.kind,
                the_date or existing.on_date,
                to_text(inspectors.value) if inspectors is not None else existing.inspectors,
                existing.certification_id,
                _as_stored(to_text(conclusion.value), existing.conclusion)
                if conclusion is not None
                else existing.conclusion,
            )
            standard = existing.standard
        else:
            if the_kind is None and "kind" not in {p.field for p in problems}:
                problem(
                    block["kind"].row if "kind" in block else header_index + 1,
                    "kind",
                    block["kind"].column if "kind" in block else HEADER["kind"][0],
                    messages.text("inspection.file.needs", what=HEADER["kind"][0], option="--kind"),
                )
            if the_date is None and "on_date" not in {p.field for p in problems}:
                problem(
                    block["on_date"].row if "on_date" in block else header_index + 1,
                    "on_date",
                    block["on_date"].column if "on_date" in block else HEADER["on_date"][0],
                    messages.text("inspection.file.needs", what=HEADER["on_date"][0], option="--date"),
                )
            if the_kind is not None and the_date is not None:
                header = service.InspectionInput(
                    target.id,
                    the_kind,
                    the_date,
                    to_text(inspectors.value) if inspectors is not None else "",
                    None,
                    to_text(conclusion.value) if conclusion is not None else "",
                    standard,
                )
            standard = service.choose_standard(session, standard)
        if header is not None:
            try:
                service.check_header(session, target, header)
            except DomainError as exc:
                name = exc.field if exc.field in HEADER else "on_date"
                said = block.get(name)
                problem(
                    said.row if said else header_index + 1,
                    name,
                    said.column if said else HEADER[name][0],
                    exc.message,
                )
                header = None
        if existing is None and header is not None and not any(p.field in HEADER for p in problems):
            twin = _twin(session, target, header.kind, header.on_date)
            if twin is not None:
                said = block.get("inspection") or block.get("on_date")
                problem(
                    said.row if said else header_index + 1,
                    "inspection",
                    said.column if said else HEADER["inspection"][0],
                    messages.text("inspection.file.already_there", **twin),
                )
        if existing is not None and header is not None:
            before = {
                "kind": existing.kind,
                "on_date": existing.on_date,
                "inspectors": existing.inspectors,
                "conclusion": existing.conclusion,
            }
            after = {
                "kind": header.kind,
                "on_date": header.on_date,
                "inspectors": service.clean_inspectors(header.inspectors),
                "conclusion": service.clean_conclusion(header.conclusion),
            }
            changes = [k for k in before if before[k] != after[k]]

        # the checklist the rows are matched to
        known: dict[str, service.ItemRow | None]
        if existing is not None:
            known = {i.code: i for i in existing.items}
        else:
            known = {
                c.code: None
                for c in session.exec(
                    select(StandardClause).where(
                        StandardClause.standard == standard, col(StandardClause.active).is_(True)
                    )
                ).all()
            }

    items: list[PlannedItem] = []
    first_row: dict[str, int] = {}
    day = header.on_date if header is not None else (the_date or (existing.on_date if existing else None))
    year = day.year if day is not None else None
    for index in range(header_index + 1, len(sheet.rows)):
        values = sheet.rows[index]
        row = index + 1

        def cell(name: str, values: list[Cell] = values) -> Cell:
            c = columns.get(name)
            return values[c] if c is not None and c < len(values) else None

        code = read_code(cell("code"))
        bad = False
        try:
            result = read_result(cell("result"))
        except CellError as exc:
            problem(row, "result", titles["result"], str(exc))
            result, bad = None, True
        note = to_text(cell("note")) if "note" in columns else ""
        checked: dt.date | None = None
        if "checked_on" in columns and cell("checked_on") not in (None, ""):
            try:
                checked = to_date(cell("checked_on"), year)
            except CellError as exc:
                problem(row, "checked_on", titles["checked_on"], str(exc))
                bad = True
        carries = bad or result is not None or bool(note) or checked is not None
        if code not in known:
            if carries:
                problem(
                    row,
                    "code",
                    titles["code"],
                    messages.text("inspection.file.unknown_code", value=code)
                    if code
                    else messages.text("inspection.file.no_code"),
                )
            continue
        if code in first_row:
            problem(
                row,
                "code",
                titles["code"],
                messages.text("inspection.file.repeated", code=code, first=first_row[code]),
            )
            continue
        first_row[code] = row
        if bad:
            continue
        if day is not None:
            try:
                result, note, checked = service.check_result(
                    target.name, day, code, service.ResultInput(code, result, note, checked)
                )
            except DomainError as exc:
                name = exc.field if exc.field in titles else "result"
                problem(row, name, titles[name], exc.message)
                continue
        before_item = known[code]
        if before_item is not None:
            note = _as_stored(note, before_item.note)
        planned = PlannedItem(row, code, result, note, checked, before=known[code])
        if before_item is None:
            planned.status = "changed" if (result is not None or note) else "unchanged"
        else:
            same = (before_item.result, before_item.note, before_item.checked_on) == (result, note, checked)
            planned.status = "unchanged" if same else "changed"
        items.append(planned)
    problems.sort(key=lambda p: (p.sheet, p.row))
    return ChecklistPlan(
        str(path),
        target.id,
        target.name,
        existing.id if existing else None,
        existing.version if existing else None,
        header,
        standard,
        changes,
        items,
        problems,
        checklist=len(known),
        old_date=existing.on_date if existing else None,
    )


def _as_stored(written: str, stored: str) -> str:
    """A note read back from an export, where the numbers typed into it were masked (139****0000): the stored
    note it stands for; anything else as written."""
    if (
        written != stored
        and MASKED_IN_TEXT.search(written)
        and mask_in_text(stored.strip()) == written.strip()
    ):
        return stored
    return written


def _twin(session: Session, base: Base, kind: str, on_date: dt.date) -> dict[str, Any] | None:
    """What refuses a checklist without an inspection number when the base already has an inspection of that
    kind on that day (the same form imported twice): the parameters of its message, or None."""
    found = session.exec(
        select(Inspection.id)
        .where(Inspection.base_id == base.id, Inspection.kind == kind, Inspection.on_date == on_date)
        .order_by(col(Inspection.id))
    ).first()
    if found is None:
        return None
    return {
        "base": base.name,
        "day": on_date.isoformat(),
        "kind": label("inspection_kind", kind),
        "number": found,
    }


def apply_checklist(db: Database, plan: ChecklistPlan) -> ChecklistResult:
    """Write the plan in one transaction: a new inspection with its results, or the named inspection's header
    changes and changed results; refused (nothing written) when the plan has errors.  An inspection another
    desk changed since the preview is refused as stale."""
    if plan.errors or plan.header is None:
        raise RuleViolation("inspection.file.refused", field="file", errors=len(plan.errors))
    results = [
        service.ResultInput(i.code, i.result, i.note, i.checked_on)
        for i in plan.items
        if i.status == "changed"
    ]
    with db.session(write=True) as session:
        if plan.inspection_id is None:
            # the base locked (PostgreSQL) and checked again: two desks importing one blank form at once, or
            # one importing it twice, make one inspection
            session.exec(select(Base.id).where(Base.id == plan.base_id).with_for_update()).all()
            base = session.get(Base, plan.base_id)
            twin = _twin(session, base, plan.header.kind, plan.header.on_date) if base is not None else None
            if twin is not None:
                raise RuleViolation(
                    "inspection.file.already_there", field="inspection", record="inspection", **twin
                )
            row = service.start_inspection(db, plan.header)
            if results:
                row = service.record_results(db, row.id, row.version, results)
            return ChecklistResult(row.id, True, len(results), row)
        assert plan.inspection_version is not None
        row = service.get_inspection(db, plan.inspection_id)
        version = plan.inspection_version
        earlier = plan.old_date is not None and plan.header.on_date < plan.old_date
        if plan.header_changes and earlier:  # the day moves earlier: the checks dated before it come next
            row = service.update_inspection(db, plan.inspection_id, version, plan.header)
            version = row.version
        if results:
            row = service.record_results(db, plan.inspection_id, version, results)
            version = row.version
        if plan.header_changes and not earlier:
            row = service.update_inspection(db, plan.inspection_id, version, plan.header)
        if not results and not plan.header_changes:
            service.refuse_if_stale(db, plan.inspection_id, plan.inspection_version)
        return ChecklistResult(row.id, False, len(results), row)
