"""Importing an office's existing registers (登记表) from workbooks: bases, partners and agreements, routes, batches.

Each import works like the roster import: the header row is found below any title rows on any sheet, its
columns are matched to fields through the variants offices use (the caller may correct the mapping), values
are normalised (full-width digits, dates written any common way, 是/否, Chinese labels for kinds), and then
every record goes through the same service functions the forms use, in one transaction with a savepoint
per record.  :func:`plan_register` does that and rolls everything back, so its preview shows exactly what
:func:`apply_register` will do and refuse: every row is ``new``, ``changed``, ``unchanged`` or ``error``
(with the message naming the record and the field).  :func:`apply_register` does it again and commits, or
refuses the whole file when a row has an error (unless told to import only the valid rows).  Re-importing an
updated register therefore applies the difference: new records are created, changed ones updated, the rest
left alone.

Registers that put one record on several rows (a route's day plan, a partner's agreements) may merge the
record's cells over those rows or leave them empty below the first: the value is carried down, into the rows
of the same record only (a row naming another record starts afresh).  A row whose first filled cell starts
with 示例 or （示例） is the template's example and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from recuperation import messages
from recuperation.errors import DomainError, RuleViolation, ValidationError
from recuperation.services.batch.roster_import import CODE_LIKE, Problem, sheet_code
from recuperation.services.register_cells import (
    CARRIED,
    HEADERS,
    IDENTITY,
    KEY,
    KINDS,
    TABLES,
    CellError,
    RegisterRow,
    detect_register_layout,
    fold,
    has_required,
    needed_headers,
    to_code,
    to_text,
)
from recuperation.services.register_records import CHANGE_REASON, CLOSED_CHANGED, HANDLERS, PREVIEW_REASON
from recuperation.services.sheet_layout import HEADER_SCAN_ROWS, Layout, header_texts, skipped_row, table_end
from recuperation.sheets import Cell, Sheet, read_sheets
from recuperation.storage.database import Database
from recuperation.storage.faults import database_fault


@dataclass
class RegisterPlan:
    kind: str
    source: str
    layout: Layout
    headers: list[str]
    rows: list[RegisterRow]
    sheet_names: list[str] = field(default_factory=list)
    #: A batch register's roster sheets: one per batch, named by its code (as the partner workbook writes them).
    roster_sheets: dict[str, Sheet] = field(default_factory=dict)
    #: People each roster sheet would remove from its batch (applying them needs consent and a reason).
    removals: dict[str, int] = field(default_factory=dict)
    removal_names: dict[str, list[str]] = field(default_factory=dict)
    #: Completed or cancelled batches whose roster sheet changes their roster (that needs a reason).
    closed_changes: list[str] = field(default_factory=list)

    def removals_text(self, limit: int = 8) -> str:
        """Who would be removed, batch by batch: L2021-0014：江德玉；L2021-0020：王芳、李强."""
        parts = [
            messages.text("list.labelled", label=code, items=messages.join(names[:limit]))
            for code, names in self.removal_names.items()
            if names
        ]
        return messages.join_clauses(parts)

    @property
    def roster_rows(self) -> int:
        return sum(1 for r in self.rows if r.roster)

    @property
    def needs_reason(self) -> bool:
        """Applying needs a reason: people removed, or the roster of a completed or cancelled batch changed."""
        return any(self.removals.values()) or bool(self.closed_changes)

    @property
    def errors(self) -> list[Problem]:
        return [p for r in self.rows for p in r.errors]

    def count(self, status: str) -> int:
        """Records (not roster sheets) with this status."""
        return len({r.key for r in self.rows if r.status == status and not r.roster})

    def report(self) -> dict[str, object]:
        return {
            "register": self.kind,
            "sheet": self.layout.sheet,
            "header_row": self.layout.header_row + 1,
            "columns": {f: self.headers[c] for f, c in self.layout.columns.items()},
            "rows": sum(1 for r in self.rows if not r.roster),
            "valid": sum(1 for r in self.rows if not r.errors and not r.roster),
            "rosters": {r.roster: {"status": r.status, "changes": r.changes} for r in self.rows if r.roster},
            "new": self.count("new"),
            "changed": self.count("changed"),
            "unchanged": self.count("unchanged"),
            "removed": sum(self.removals.values()),
            "errors": [p.to_json() for p in self.errors],
            "row_status": [r.to_json() for r in self.rows],
        }


@dataclass(frozen=True)
class RegisterResult:
    new: int
    changed: int
    unchanged: int
    skipped: int


def _filled(value: Cell) -> bool:
    return value is not None and str(value).strip() != ""


def _read_rows(kind: str, sheet: Sheet, layout: Layout) -> list[RegisterRow]:
    """The register's rows below the header; a continuation row of a record (its own name or code empty or
    the same as the row above's) takes the record's cells it leaves empty (:data:`CARRIED`)."""
    rows: list[RegisterRow] = []
    carried: dict[str, Cell] = {}
    for index in range(layout.header_row + 1, len(sheet.rows)):
        raw = sheet.rows[index]
        cells = {f: (raw[c] if c < len(raw) else None) for f, c in layout.columns.items()}
        if table_end(raw):
            break
        if skipped_row(raw):
            continue
        if any(
            _filled(cells.get(name)) and fold(cells[name]) != fold(carried.get(name))
            for name in IDENTITY[kind]
        ):
            carried = {}  # the row names another record: nothing of the record above is carried into it
        for name in CARRIED[kind]:
            if name in cells and not _filled(cells[name]):
                cells[name] = carried.get(name)
            elif name in cells:
                carried[name] = cells[name]
        key = (to_code if KEY[kind] == "code" else to_text)(cells.get(KEY[kind]))
        rows.append(RegisterRow(kind, index + 1, key, cells))
    return rows


def plan_register(db: Database, kind: str, path: Path, layout: Layout | None = None) -> RegisterPlan:
    """Read a register and say, row by row, what importing it would do; nothing is written."""
    if kind not in KINDS:
        raise ValidationError("register.unknown", field="kind", kind=kind, kinds=messages.join(list(KINDS)))
    sheets = read_sheets(path)
    if layout is None and kind == "routes":
        per_sheet = _route_per_sheet(sheets)
        if per_sheet is not None:
            first, rows = per_sheet
            headers = header_texts(next(s for s in sheets if s.name == first.sheet), first, to_text)
            plan = RegisterPlan(kind, str(path), first, headers, rows, [s.name for s in sheets])
            _run(db, plan, commit=False)
            return plan
    layout = layout or detect_register_layout(kind, sheets, str(path))
    sheet = next((s for s in sheets if s.name == layout.sheet), None)
    if sheet is None or layout.header_row >= len(sheet.rows):
        raise ValidationError("register.no_header", field="file", path=str(path), needed=layout.sheet)
    layout = TABLES[kind].chosen(sheet, layout)
    if not has_required(kind, layout.columns):
        needed = needed_headers(kind, layout.columns)
        raise ValidationError("register.no_header", field="file", path=str(path), needed=needed)
    headers = header_texts(sheet, layout, to_text)
    rows = _read_rows(kind, sheet, layout)
    plan = RegisterPlan(kind, str(path), layout, headers, rows, [s.name for s in sheets])
    if kind == "batches":
        # Dates written without a year (3月31日) take it from the title (2021年批次安排) or the batch code.
        title = " ".join(
            to_text(c) for line in sheet.rows[: layout.header_row] for c in line if c is not None
        )
        found = re.search(r"(20\d\d)\s*年", title + " " + layout.sheet)
        for r in rows:
            code_year = re.match(r"^[A-Z]+(20\d\d)-", r.key)
            r.values["_year"] = int(code_year[1]) if code_year else (int(found[1]) if found else None)
        codes = sorted({r.key for r in rows if r.key}, key=len, reverse=True)
        for other in sheets:
            if other.name == layout.sheet:
                continue
            code = sheet_code(other.name, codes)
            if code:
                plan.roster_sheets[code] = other
            elif CODE_LIKE.match(other.name.strip()):
                # A sheet named like a batch's roster whose batch is not in the register: its edits would be
                # silently dropped, so say so (a row of the batch deleted from the summary, say).
                shown = messages.shown(other.name)
                lost = RegisterRow(kind, 1, shown, {}, roster=other.name.strip(), status="error")
                lost.errors.append(
                    Problem(1, "code", messages.text("register.roster_unmatched", sheet=shown))
                )
                plan.rows.append(lost)
    _run(db, plan, commit=False)
    return plan


_TITLE_FIELDS = ("code", "name", "theme", "days", "nights", "price", "season", "description")


def _route_per_sheet(sheets: list[Sheet]) -> tuple[Layout, list[RegisterRow]] | None:
    """A route catalogue kept as one sheet per route: the day plan's table on each sheet, the route's code,
    name and theme in the lines above it (线路编号：XL01) or, failing that, the sheet's name.  None when the
    workbook is not laid out that way (a single table with a code column is read the usual way)."""
    found: list[tuple[Sheet, Layout]] = []
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            columns = TABLES["routes"].columns(row)
            if "day_no" in columns and "activity" in columns:
                if "code" in columns and "name" in columns:
                    return None  # the one-table layout
                found.append((sheet, Layout(sheet.name, index, columns)))
                break
    if not found:
        return None
    rows: list[RegisterRow] = []
    for sheet, layout in found:
        facts: dict[str, Cell] = {}
        for line in sheet.rows[: layout.header_row]:
            cells = [c for c in line if c is not None and str(c).strip()]
            for i, cell in enumerate(cells):
                label, sep, value = str(cell).replace(":", "：").partition("：")
                name = TABLES["routes"].field(label.strip())
                if name in _TITLE_FIELDS and name not in facts:
                    if sep and value.strip():
                        facts[name] = value.strip()
                    elif i + 1 < len(cells):
                        facts[name] = cells[i + 1]
        titles = [
            str(cells[0]).strip()
            for cells in (
                [c for c in line if c is not None and str(c).strip()]
                for line in sheet.rows[: layout.header_row]
            )
            if len(cells) == 1 and "：" not in str(cells[0]).replace(":", "：")
        ]
        facts.setdefault("code", sheet.name.strip())
        facts.setdefault("name", titles[0] if titles else sheet.name.strip())  # the sheet's title line
        for r in _read_rows("routes", sheet, layout):
            r.values = {**facts, **{k: v for k, v in r.values.items() if v is not None or k not in facts}}
            r.key = to_code(r.values.get("code"))
            rows.append(r)
    return found[0][1], rows


def apply_register(
    db: Database,
    plan: RegisterPlan,
    *,
    skip_invalid: bool = False,
    allow_removals: bool = False,
    reason: str = "",
) -> RegisterResult:
    """Write what the plan found, in one transaction; refused when a row has an error unless ``skip_invalid``.

    A batch register's roster sheets are applied as roster imports (:func:`roster_import.apply_import`):
    removing people needs ``allow_removals`` and a ``reason``, and so does any change to the roster of a
    completed or cancelled batch (the reason is recorded in the batch's history).
    """
    if plan.errors and not skip_invalid:
        raise ValidationError("register.refused", field="file", errors=len({p.row for p in plan.errors}))
    return _run(
        db, plan, commit=True, skip_invalid=skip_invalid, allow_removals=allow_removals, reason=reason
    )


class _Rollback(Exception):
    pass


def _records(plan: RegisterPlan) -> list[list[RegisterRow]]:
    """Rows grouped by record: one row per record, or (routes, partners) consecutive rows with one key."""
    rows = [r for r in plan.rows if not r.roster]
    if plan.kind in ("bases", "batches"):
        return [[r] for r in rows]
    groups: dict[str, list[RegisterRow]] = {}
    for r in rows:
        groups.setdefault(r.key or f"#{r.row}", []).append(r)
    return list(groups.values())


def _duplicates(plan: RegisterPlan) -> None:
    """One base or one numbered batch on two rows: the second is an error naming the first (which would win?)."""
    if plan.kind not in ("bases", "batches"):
        return
    seen: dict[str, int] = {}
    for r in plan.rows:
        if r.roster or not r.key:
            continue
        if r.key in seen:
            r.status = "error"
            r.errors = [
                Problem(
                    r.row,
                    KEY[plan.kind],
                    messages.text(
                        "register.duplicate", row=r.row, first=seen[r.key], key=messages.shown(r.key)
                    ),
                )
            ]
        else:
            seen[r.key] = r.row


def _run(
    db: Database,
    plan: RegisterPlan,
    *,
    commit: bool,
    skip_invalid: bool = False,
    allow_removals: bool = False,
    reason: str = "",
) -> RegisterResult:
    handler = HANDLERS[plan.kind]
    counts = {"new": 0, "changed": 0, "unchanged": 0, "skipped": 0}
    if not commit:
        _duplicates(plan)
    token = CHANGE_REASON.set(reason if commit else (reason or PREVIEW_REASON))
    closed_token = CLOSED_CHANGED.set(None if commit else plan.closed_changes)
    try:
        with db.session(write=True) as session:
            for group in _records(plan):
                if any(r.errors for r in group) and ((commit and skip_invalid) or group[0].status == "error"):
                    counts["skipped"] += 1
                    continue
                savepoint = session.begin_nested()
                try:
                    status, changes = handler(db, session, group)
                    savepoint.commit()
                except (DomainError, CellError) as exc:
                    savepoint.rollback()
                    if commit:
                        raise
                    _fail(group, exc)
                    continue
                except DBAPIError as exc:  # a rule only the database knows: this record's error, not a crash
                    fault = database_fault(exc, db.path)
                    if fault is not None:  # busy, read-only, disk full: the import stops; no row is blamed
                        raise fault from exc
                    savepoint.rollback()
                    if commit:
                        raise
                    detail = str(getattr(exc, "orig", exc)).splitlines()[0]
                    _fail(group, CellError(messages.text("register.db_refused", detail=detail)))
                    continue
                for r in group:
                    r.status, r.changes = status, changes
                counts[status] += 1
            for code, sheet in plan.roster_sheets.items():
                _roster(
                    db,
                    session,
                    plan,
                    code,
                    sheet,
                    commit=commit,
                    skip_invalid=skip_invalid,
                    allow_removals=allow_removals,
                    reason=reason,
                )
            if not commit:
                raise _Rollback
    except _Rollback:
        pass
    finally:
        CHANGE_REASON.reset(token)
        CLOSED_CHANGED.reset(closed_token)
    return RegisterResult(counts["new"], counts["changed"], counts["unchanged"], counts["skipped"])


def _fail(group: list[RegisterRow], exc: Exception) -> None:
    """Mark a record's rows as errors; the message goes on the row it names (else the record's first row)."""
    field_name = getattr(exc, "field", "") or ""
    message = exc.message if isinstance(exc, DomainError) else str(exc)
    row = getattr(exc, "row", None) or group[0].row
    for r in group:
        r.status = "error"
    target = next((r for r in group if r.row == row), group[0])
    target.errors.append(Problem(target.row, field_name, message))


_OTHER_CHANGES = {
    "certification": "register.change.certification",
    "items": "register.change.items",
    "lodging": "register.change.lodging",
    "status": "register.change.status",
    "price_fen": "register.change.price",
    "agreement": "register.change.agreement",
    "roster": "register.change.roster",
}


#: A record's attribute as the register's field that holds it (a route's price_fen is its 价格 column).
_REGISTER_FIELD = {
    "price_fen": "price",
    "partner_id": "partner",
    "agreement_id": "agreement",
    "route_id": "route",
}
#: A certification's attribute as the bases register's column.
_CERT_FIELD = {"level": "cert_level", "valid_from": "cert_valid_from", "valid_to": "cert_valid_to"}


def _field_word(kind: str, name: str) -> str:
    """A field as the register names it: its header in Chinese (床位数, 有效期至), else the field's label in
    the current language (beds, certified until)."""
    name = _REGISTER_FIELD.get(name, name)
    if messages.language() == "zh" and name in HEADERS[kind]:
        return HEADERS[kind][name][0]
    return messages.field_label(name)


def describe_changes(kind: str, changes: list[str]) -> str:
    """The changed fields as the register names them, listed in the current language: 床位数、认定（有效期至）、
    协议 JD-2021-001 / beds, certification (certified until), agreement JD-2021-001."""
    words = []
    for change in changes:
        head, _, detail = change.partition(".")
        name, _, number = head.partition(":")
        if name in _OTHER_CHANGES and (name not in HEADERS[kind] or number):
            word = messages.text(_OTHER_CHANGES[name]) + (f" {number}" if number else "")
        else:
            word = _field_word(kind, name)
        if detail:
            inner = _CERT_FIELD.get(detail, detail) if name == "certification" else detail
            word = messages.text("register.change.detail", what=word, detail=_field_word(kind, inner))
        words.append(word)
    return messages.join(list(dict.fromkeys(words)))


def _roster(
    db: Database,
    session: Session,
    plan: RegisterPlan,
    code: str,
    sheet: Sheet,
    *,
    commit: bool,
    skip_invalid: bool,
    allow_removals: bool,
    reason: str,
) -> None:
    """A batch's roster sheet, planned (and when committing, imported) like a roster sent by the partner."""
    from recuperation.services.batch.roster_import import apply_import, plan_sheets

    shown = next((r for r in plan.rows if r.roster == code), None)
    if shown is None:
        shown = RegisterRow(plan.kind, 1, messages.text("register.roster_of", code=code), {}, roster=code)
        plan.rows.append(shown)
    elif commit and skip_invalid and shown.errors:
        return  # left out with the other rows that have errors
    savepoint = session.begin_nested()
    try:
        roster = plan_sheets(db, code, [sheet], f"{plan.source} [{sheet.name}]")
        shown.row = roster.layout.header_row + 2
        if roster.errors and not (commit and skip_invalid):
            shown.status = "error"
            shown.errors = [
                Problem(
                    p.row,
                    p.field,
                    messages.text("register.roster_problem", code=code, row=p.row, detail=p.message),
                )
                for p in roster.errors
            ]
            if commit:
                # Found again inside the transaction that commits: another desk changed something since
                # the preview (the same people placed in an overlapping batch, say).  Name the first problem.
                first = roster.errors[0]
                raise RuleViolation(
                    "register.roster_refused",
                    field="file",
                    code=code,
                    errors=len({p.row for p in roster.errors}),
                    row=first.row,
                    detail=first.message,
                )
            savepoint.rollback()
            return
        if commit:
            apply_import(db, roster, skip_invalid=skip_invalid, allow_removals=allow_removals, reason=reason)
        plan.removals[code] = len(roster.removed)
        plan.removal_names[code] = list(roster.removed_names)
        if roster.batch_status in ("completed", "cancelled") and (
            roster.added or roster.removed or roster.changed
        ):
            plan.closed_changes.append(code)
        changes = [f"roster:+{len(roster.added)}"] if roster.added else []
        changes += [f"roster:-{len(roster.removed)}"] if roster.removed else []
        changes += [f"roster:~{len(roster.changed)}"] if roster.changed else []
        shown.status = "changed" if changes else "unchanged"
        shown.changes = changes
        savepoint.commit()
    except DomainError as exc:
        savepoint.rollback()
        if commit:
            raise
        shown.status = "error"
        shown.errors = [Problem(shown.row, exc.field or "", exc.message)]
