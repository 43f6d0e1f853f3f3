"""Spending rules (开支标准) as a workbook: ``rules export`` writes every pack, ``rules import`` reads them back.

**Layout** (as the rate cards': a table a sheet, a row a record, so that a file sorts, filters and pastes):

- sheet **开支标准**: one row per pack — 名称*, 备注;
- sheet **规则**: one row per rule — 开支标准* (the pack it belongs to), 类别* (每人每天上限, 每人每年上限,
  天数上限（含往返）, 意外险保额下限, 医疗险保额下限), 金额（元） (the caps and the insurance minimums, yuan with two
  decimals, ``#,##0.00``), 天数 (the most days), 方式* (提醒 or 拒绝), 有效期起, 有效期至 (date cells; empty: open),
  依据* (the document and its words), 备注;
- sheet **说明**: what each column holds.

**Import** (:func:`plan_rules`, :func:`apply_rules`): read through the bounded readers and checked whole before
anything is written.  A pack is found by its name (spaces and full-width forms aside).  A pack in the file gets
exactly the file's rules (a rule row left out is a rule removed); a pack the file does not name is left alone (the
import deletes no pack).  A column the file does not carry is not an empty column: it keeps the value on file — a
pack's 备注, and a rule's 金额（元）/天数, 有效期起, 有效期至 and 备注, taken from the pack's stored rule of the same
kind (and the same validity as far as the file says it; of several, the one of the same amount, way and source).
A row that matches no stored rule gets them empty (no limit of time, no notes; an amount is then required); a row
that matches several is an error naming the missing column.  An error names the sheet, the row, the column and
what to do — a too-long 依据 or 备注 at its own cell — and then nothing is written.  What the program writes reads
back with no change (a test holds it).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import xlsxwriter

from recuperation import messages
from recuperation.errors import DomainError, RuleViolation, ValidationError
from recuperation.labels import label, labels
from recuperation.models import RuleKind
from recuperation.money import MoneyError, yuan_number
from recuperation.private_files import private_output, private_scratch
from recuperation.services import spending
from recuperation.services.register_cells import CellError, to_date, to_text
from recuperation.sheets import Cell, CellProblem, Sheet, read_sheets
from recuperation.storage.database import Database

PACKS_SHEET = "开支标准"
RULES_SHEET = "规则"
NOTES_SHEET = "说明"
#: field → (the header written, other headers read)
PACK_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "开支标准名称", "开支标准"),
    "notes": ("备注", "说明"),
}
PACK_REQUIRED = ("name",)
RULE_HEADERS: dict[str, tuple[str, ...]] = {
    "pack": ("开支标准", "开支标准名称"),
    "kind": ("类别", "规则类别", "类型"),
    "amount": ("金额（元）", "金额", "上限（元）"),
    "days": ("天数", "最多天数"),
    "mode": ("方式", "处理方式"),
    "valid_from": ("有效期起", "生效日期"),
    "valid_to": ("有效期至", "有效期止", "终止日期"),
    "source": ("依据", "文件依据", "来源"),
    "notes": ("备注",),
}
RULE_REQUIRED = ("pack", "kind", "mode", "source")
_PACK_WIDTHS = (24, 60)
_RULE_WIDTHS = (20, 18, 14, 8, 8, 12, 12, 60, 30)
_HEADER_ROWS = 10


def _word(value: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split()).replace("*", "").lower()


def _find_table(
    sheets: list[Sheet], headers: dict[str, tuple[str, ...]], marks: tuple[str, ...], avoid: str = ""
) -> tuple[Sheet, int, dict[str, int]] | None:
    """The first sheet (other than ``avoid``) with a header row holding every header of ``marks``."""
    words = {_word(w): f for f, ws in headers.items() for w in ws}
    for sheet in sheets:
        if sheet.name == avoid:
            continue
        for index, row in enumerate(sheet.rows[:_HEADER_ROWS]):
            columns: dict[str, int] = {}
            for c, cell in enumerate(row):
                name = words.get(_word(cell))
                if name is not None and name not in columns:
                    columns[name] = c
            if all(m in columns for m in marks):
                return sheet, index, columns
    return None


# -- export -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    path: Path
    packs: int
    rules: int


def export_rules(db: Database, path: Path) -> ExportResult:
    """Write every pack with its rules to ``path`` (.xlsx); it imports back unchanged."""
    packs = spending.list_packs(db)
    with private_output(path) as temp, private_scratch() as scratch:
        book = xlsxwriter.Workbook(
            str(temp), {"strings_to_formulas": False, "strings_to_numbers": False, "tmpdir": scratch}
        )
        try:
            _write(book, packs)
        finally:
            book.close()
    return ExportResult(path, len(packs), sum(len(p.rules) for p in packs))


def _write(book: Any, packs: list[spending.PackRow]) -> None:
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    text = book.add_format({"num_format": "@", "border": 1, "text_wrap": True, "valign": "top"})
    date = book.add_format({"num_format": "yyyy-mm-dd", "border": 1, "valign": "top"})
    money = book.add_format({"num_format": "#,##0.00", "border": 1, "valign": "top"})
    whole = book.add_format({"num_format": "0", "border": 1, "valign": "top"})

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
        elif value < spending.EARLIEST_DAY:  # stored before 2000 was refused: text, which the import refuses
            sheet.write_string(row, c, value.isoformat(), text)
        else:
            sheet.write_datetime(row, c, dt.datetime.combine(value, dt.time()), date)

    sheet = book.add_worksheet(PACKS_SHEET)
    headers(sheet, PACK_HEADERS, PACK_REQUIRED, _PACK_WIDTHS)
    for r, pack in enumerate(packs, start=1):
        sheet.write_string(r, 0, pack.name, text)
        sheet.write_string(r, 1, pack.notes, text)
    sheet.autofilter(0, 0, max(len(packs), 1), len(PACK_HEADERS) - 1)

    sheet = book.add_worksheet(RULES_SHEET)
    headers(sheet, RULE_HEADERS, RULE_REQUIRED, _RULE_WIDTHS)
    r = 0
    for pack in packs:
        for rule in pack.rules:
            r += 1
            sheet.write_string(r, 0, pack.name, text)
            sheet.write_string(r, 1, label("rule_kind", rule.kind, "zh"), text)
            if rule.kind in spending.DAY_KINDS:
                sheet.write_blank(r, 2, None, money)
                sheet.write_number(r, 3, rule.amount, whole)
            else:
                sheet.write_number(r, 2, yuan_number(rule.amount), money)
                sheet.write_blank(r, 3, None, whole)
            sheet.write_string(r, 4, label("rule_mode", rule.mode, "zh"), text)
            day(sheet, r, 5, rule.valid_from)
            day(sheet, r, 6, rule.valid_to)
            sheet.write_string(r, 7, rule.source, text)
            sheet.write_string(r, 8, rule.notes, text)
    sheet.autofilter(0, 0, max(r, 1), len(RULE_HEADERS) - 1)

    sheet = book.add_worksheet(NOTES_SHEET)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 100)
    notes = [
        (
            "开支标准",
            "每行一个开支标准（一个地区或一份文件的规则），名称不能重复。合作单位在“合作协议”页选择所属的开支标准。",
        ),
        (
            "规则",
            "每行一条规则，用“开支标准”列对应到开支标准。导入时，文件中每个开支标准的规则以这里的行为准（删去的行即删去该规则）。",
        ),
        ("类别", "、".join(labels("rule_kind", "zh").values())),
        ("金额（元）", "每人每天上限、每人每年上限、保额下限填金额，以元为单位，最多两位小数。"),
        ("天数", "天数上限（含往返）填天数，正整数。"),
        ("方式", "提醒：批次上列出提醒；拒绝：不能确认该批次。"),
        ("有效期起、有效期至", "留空表示不限。同一开支标准中同一类别的规则有效期不能重叠。"),
        ("依据", "必填：文件名称、文号和条文，如“浙工〔2020〕12号 第三条：每人每天不超过600元”。"),
        ("未列出的开支标准", "文件中没有的开支标准保持不变，导入不会删除开支标准。"),
    ]
    for r, (name, note) in enumerate(notes):
        sheet.write_string(r, 0, name, head)
        sheet.write_string(r, 1, note)


# -- import -------------------------------------------------------------------------------------------------------


#: a cell the import could not take: its sheet, row and column, the field and what to do
Problem = CellProblem


@dataclass
class PlannedPack:
    row: int  # its row on the packs sheet
    name: str
    notes: str | None  # None: the column is missing (the pack keeps its notes)
    rule_rows: list[int] = field(default_factory=list)
    rules: list[spending.RuleInput] = field(default_factory=list)
    #: the rows read, in order: (row, the rule or None when a cell could not be read); an amount of None is
    #: one whose column the file lacks, filled in from the stored rule
    read_rules: list[tuple[int, spending.RuleInput | None]] = field(default_factory=list)
    pack: spending.PackInput | None = None
    existing: spending.PackRow | None = None
    status: str = ""  # new, changed, unchanged ("" with errors)
    changes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "row": self.row,
            "pack": self.name,
            "status": self.status or "error",
            "changes": self.changes,
            "rules": len(self.rules),
        }


@dataclass
class RulesPlan:
    source: str
    packs: list[PlannedPack]
    rule_rows: int
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return self.problems

    def count(self, status: str) -> int:
        return sum(1 for p in self.packs if p.status == status)

    def report(self) -> dict[str, object]:
        return {
            "file": self.source,
            "packs": len(self.packs),
            "rules": self.rule_rows,
            "new": self.count("new"),
            "changed": self.count("changed"),
            "unchanged": self.count("unchanged"),
            "errors": [p.to_json() for p in self.problems],
            "row_status": [p.to_json() for p in self.packs],
        }


@dataclass(frozen=True)
class RulesResult:
    new: int
    changed: int
    unchanged: int


_BAD = object()  # a cell that could not be read (its Problem is recorded)


class _Cells:
    """One table's rows read cell by cell; a cell that cannot be read becomes a Problem of its row and column."""

    def __init__(
        self, sheet: Sheet, header_row: int, columns: dict[str, int], headers: dict[str, tuple[str, ...]]
    ):
        self.sheet, self.header_row, self.columns, self.headers = sheet, header_row, columns, headers
        self.titles = {f: str(sheet.rows[header_row][c]).strip() for f, c in columns.items()}
        self.problems: list[Problem] = []

    def rows(self) -> list[tuple[int, list[Cell]]]:
        return [
            (index + 1, self.sheet.rows[index])
            for index in range(self.header_row + 1, len(self.sheet.rows))
            if any(v is not None and str(v).strip() for v in self.sheet.rows[index])
        ]

    def column(self, name: str) -> str:
        return self.titles.get(name) or self.headers[name][0]

    def problem(self, row: int, name: str, message: str) -> None:
        self.problems.append(Problem(self.sheet.name, row, name, self.column(name), message))

    def empty(self, values: list[Cell], name: str) -> bool:
        c = self.columns.get(name)
        cell = values[c] if c is not None and c < len(values) else None
        return cell is None or (isinstance(cell, str) and not cell.strip())

    def read(self, row: int, values: list[Cell], name: str, reader: Any, *, required: bool = False) -> Any:
        c = self.columns.get(name)
        cell = values[c] if c is not None and c < len(values) else None
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


def _choice(enumeration: str) -> Any:
    words: dict[str, str] = {}
    for language in ("zh", "en"):
        for code, word in labels(enumeration, language).items():
            words[spending.fold_name(word)] = code
            words[spending.fold_name(code)] = code
    if enumeration == "rule_kind":  # the label without its bracket, as people shorten it
        words[spending.fold_name("天数上限")] = RuleKind.MAX_DAYS.value

    def read(cell: Cell) -> str:
        code = words.get(spending.fold_name(cell))
        if code is None:
            allowed = "、".join(labels(enumeration, "zh").values())
            raise CellError(messages.text("register.bad_choice", value=to_text(cell), allowed=allowed))
        return code

    return read


def _days(cell: Cell) -> int:
    if isinstance(cell, bool):
        raise CellError(messages.text("rules.file.bad_days", value=str(cell)))
    if isinstance(cell, int | float) and float(cell).is_integer():
        return int(cell)
    text = unicodedata.normalize("NFKC", str(cell)).strip().removesuffix("天").strip()
    if text.isdecimal() and len(text) <= 6:
        return int(text)
    raise CellError(messages.text("rules.file.bad_days", value=messages.shown(to_text(cell))))


def plan_rules(db: Database, path: Path) -> RulesPlan:
    """Read and check a spending rules workbook (nothing is written): each pack new, changed or unchanged, and
    every problem with its sheet, row and column."""
    sheets = read_sheets(path)
    found_rules = _find_table(sheets, RULE_HEADERS, ("pack", "kind", "mode"))
    found_packs = _find_table(
        sheets, PACK_HEADERS, ("name",), avoid=found_rules[0].name if found_rules else ""
    )
    for found, what, headers, required in (
        (found_packs, "packs", PACK_HEADERS, PACK_REQUIRED),
        (found_rules, "rules", RULE_HEADERS, RULE_REQUIRED),
    ):
        if found is None:
            raise ValidationError(
                "rules.file.no_sheet",
                field="file",
                path=str(path),
                what=messages.text(f"rules.file.{what}"),
                headers=messages.join([f"“{headers[f][0]}”" for f in required]),
            )
    assert found_packs is not None and found_rules is not None
    pack_cells = _Cells(*found_packs, PACK_HEADERS)
    rule_cells = _Cells(*found_rules, RULE_HEADERS)
    missing = [f for f in RULE_REQUIRED if f not in rule_cells.columns]
    if missing:
        raise ValidationError(
            "rules.file.missing_column",
            field="file",
            sheet=rule_cells.sheet.name,
            column=RULE_HEADERS[missing[0]][0],
        )
    on_file = {spending.fold_name(p.name): p for p in spending.list_packs(db)}

    planned: list[PlannedPack] = []
    by_name: dict[str, PlannedPack] = {}
    for row, values in pack_cells.rows():
        name = pack_cells.read(row, values, "name", to_text, required=True)
        if not name or name is _BAD:
            continue
        key = spending.fold_name(name)
        if key in by_name:
            pack_cells.problem(
                row,
                "name",
                messages.text("rules.file.duplicate_pack", first=by_name[key].row, name=messages.shown(name)),
            )
            continue
        notes = pack_cells.read(row, values, "notes", to_text) if "notes" in pack_cells.columns else None
        plan = PlannedPack(row, name, "" if notes is None and "notes" in pack_cells.columns else notes)
        by_name[key] = plan
        planned.append(plan)

    kinds = _choice("rule_kind")
    modes = _choice("rule_mode")
    for row, values in rule_cells.rows():
        name = rule_cells.read(row, values, "pack", to_text, required=True)
        kind = rule_cells.read(row, values, "kind", kinds, required=True)
        mode = rule_cells.read(row, values, "mode", modes, required=True)
        first = rule_cells.read(row, values, "valid_from", to_date)
        last = rule_cells.read(row, values, "valid_to", to_date)
        source = rule_cells.read(row, values, "source", to_text, required=True)
        notes = rule_cells.read(row, values, "notes", to_text) or ""
        amount: Any = None
        if kind is not None and kind is not _BAD:
            own, other = ("days", "amount") if kind in spending.DAY_KINDS else ("amount", "days")
            if other in rule_cells.columns and not rule_cells.empty(values, other):
                rule_cells.problem(
                    row,
                    other,
                    messages.text(
                        "rules.file.amount_column",
                        kind=label("rule_kind", kind),
                        column=rule_cells.column(other),
                    ),
                )
                amount = _BAD
            elif own not in rule_cells.columns:
                amount = None  # kept from the stored rule (or required): see _kept_rule
            else:
                amount = rule_cells.read(
                    row, values, own, _days if own == "days" else spending.read_yuan, required=True
                )
        if not name or name is _BAD:
            continue
        owner = by_name.get(spending.fold_name(name))
        if owner is None:
            rule_cells.problem(
                row,
                "pack",
                messages.text(
                    "rules.file.unknown_pack", sheet=pack_cells.sheet.name, name=messages.shown(name)
                ),
            )
            continue
        # a rule that could not be read (None): its pack is not checked further
        unread = amount is _BAD or (amount is None and kind_column(kind) in rule_cells.columns)
        if (
            unread
            or any(v is None or v is _BAD for v in (kind, mode, source))
            or _BAD in (first, last, notes)
        ):
            owner.read_rules.append((row, None))
            continue
        owner.read_rules.append((row, spending.RuleInput(kind, amount, mode, first, last, source, notes)))

    absent = tuple(f for f in _RULE_KEPT if f not in rule_cells.columns)
    for plan in planned:
        old = on_file.get(spending.fold_name(plan.name))
        for row, read in plan.read_rules:
            rule = _kept_rule(read, absent, old, row, rule_cells) if read is not None else None
            if rule is not None and rule.amount is None:
                rule_cells.problem(row, kind_column(rule.kind), messages.text("rates.file.required"))
                rule = None
            if rule is None:
                plan.rule_rows.append(-row)
            else:
                plan.rule_rows.append(row)
                plan.rules.append(rule)

    read_problems = {(p.sheet, p.row) for p in pack_cells.problems}
    for plan in planned:
        if (pack_cells.sheet.name, plan.row) in read_problems or any(r < 0 for r in plan.rule_rows):
            continue
        old = on_file.get(spending.fold_name(plan.name))
        plan.existing = old
        notes = plan.notes if plan.notes is not None else (old.notes if old else "")
        data = spending.PackInput(plan.name, notes, tuple(plan.rules))
        try:
            checked, rules = spending.check_pack(data)
        except DomainError as exc:
            index = exc.params.get("rule")
            if isinstance(index, int) and 0 <= index < len(plan.rule_rows):
                column = exc.field if exc.field in RULE_HEADERS else "kind"
                if column == "amount" and plan.rules[index].kind in spending.DAY_KINDS:
                    column = "days"
                rule_cells.problem(plan.rule_rows[index], column, exc.message)
            else:
                pack_cells.problem(plan.row, "name", exc.message)
            continue
        plan.pack = data
        if old is None:
            plan.status = "new"
            continue
        # as stored: a rule stored before a limit was tightened is compared, not refused
        before_values = {"name": old.name, "notes": old.notes}
        before_rules = [{k: getattr(r, k) for k in _RULE_FIELDS} for r in old.rules]
        plan.changes = [k for k in checked if checked[k] != before_values[k]]
        if sorted(map(_facts, rules)) != sorted(map(_facts, before_rules)):
            plan.changes.append("rules")
        plan.status = "changed" if plan.changes else "unchanged"
    problems = pack_cells.problems + rule_cells.problems
    problems.sort(key=lambda p: (p.sheet != pack_cells.sheet.name, p.row))
    return RulesPlan(str(path), planned, len(rule_cells.rows()), problems)


#: The optional columns of 规则 whose value a file without the column keeps (``amount``: 金额（元） or 天数, by kind).
_RULE_KEPT = ("valid_from", "valid_to", "notes")


def kind_column(kind: object) -> str:
    """The column a rule of ``kind`` gives its amount in: 天数 for the most days, 金额（元） otherwise."""
    return "days" if kind in spending.DAY_KINDS else "amount"


def _kept_rule(
    rule: spending.RuleInput,
    absent: tuple[str, ...],
    old: spending.PackRow | None,
    row: int,
    cells: _Cells,
) -> spending.RuleInput | None:
    """``rule`` with the fields of the columns the file lacks (``absent``, and its amount when it is None) as
    the pack's stored rule of the same kind has them — the one of the same validity as far as the file says
    it, and, of several, of the same amount, way and source.  No stored rule: the fields stay empty.  Several
    still (or none of them of the same amount, way and source): a Problem at ``row`` naming the missing
    column, and None."""
    missing = absent + (("amount",) if rule.amount is None else ())
    if not missing or old is None:
        return rule
    said = [f for f in ("valid_from", "valid_to") if f not in missing]
    candidates = [
        r for r in old.rules if r.kind == rule.kind and all(getattr(r, f) == getattr(rule, f) for f in said)
    ]
    if not candidates:
        return rule
    if len(candidates) > 1:  # of several, the one of the same amount, way and source; none or several: which?
        same = [f for f in ("amount", "mode", "source") if f not in missing]
        candidates = [r for r in candidates if all(getattr(r, f) == getattr(rule, f) for f in same)]
    if len(candidates) != 1:
        kinds = [r for r in old.rules if r.kind == rule.kind]
        columns = [cells.column(kind_column(rule.kind) if f == "amount" else f) for f in missing]
        cells.problem(
            row,
            kind_column(rule.kind) if missing[0] == "amount" else missing[0],
            messages.text(
                "rules.file.which_rule",
                columns=messages.join([f"“{c}”" for c in columns]),
                kind=label("rule_kind", rule.kind),
                count=len(kinds),
                rules=messages.join([spending.rule_text(r, messages.language()) for r in kinds]),
            ),
        )
        return None
    stored = candidates[0]
    return replace(rule, **{f: getattr(stored, f) for f in missing})


_RULE_FIELDS = ("kind", "amount", "mode", "valid_from", "valid_to", "source", "notes")


def _facts(rule: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        (rule[k] is None, rule[k] or "") if k in ("valid_from", "valid_to") else rule[k]
        for k in ("kind", "amount", "mode", "valid_from", "valid_to", "source", "notes")
    )


def apply_rules(db: Database, plan: RulesPlan) -> RulesResult:
    """Write the plan's new and changed packs in one transaction; refused (nothing written) when it has errors.
    A pack changed by another desk since the preview is refused as stale."""
    if plan.errors:
        raise RuleViolation("rules.refused", field="file", errors=len(plan.errors))
    with db.session(write=True):
        for planned in plan.packs:
            if planned.pack is None or planned.status not in ("new", "changed"):
                continue
            if planned.existing is None:
                spending.create_pack(db, planned.pack)
            else:
                spending.update_pack(db, planned.existing.id, planned.existing.version, planned.pack)
    return RulesResult(plan.count("new"), plan.count("changed"), plan.count("unchanged"))
