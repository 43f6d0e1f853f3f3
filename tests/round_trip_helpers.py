"""What the round-trip tests check, said the way a coordinator would see it.

An export that is imported again must change nothing: the dry run finds every record unchanged (no new,
changed or removed record, no error) and applying it for real leaves every table as it was, to the byte: the
same rows and the same SHA-256 of their values (:func:`recuperation.transfer.table_checksum`), audit log
included.  When that does not hold, the helpers describe what would have changed — which rows, which fields,
old and new values — so that a failure names the bug instead of only saying "not equal".
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from recuperation import messages
from recuperation.errors import DomainError
from recuperation.models import AuditEntry, Participant, table_of
from recuperation.services.batch.roster_import import ImportPlan, apply_import, plan_import
from recuperation.services.registers import RegisterPlan, apply_register, plan_register
from recuperation.storage.database import Database, open_database
from recuperation.transfer import _tables, table_checksum

# --- the database's content ----------------------------------------------------------------------------------


def table_sums(db: Database) -> dict[str, tuple[int, str]]:
    """Rows and SHA-256 of every data table, in primary-key order (the check ``copy-to`` verifies with); read
    as the owner, who reads the full numbers too (the desk may be a login that does not)."""
    from tests.factories import owner_connection

    with owner_connection(db) as conn:
        return {table.name: table_checksum(conn, table) for table in _tables()}


def max_audit_id(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(table_of(AuditEntry).c.id), 0))).scalar_one())


@dataclass
class Snapshot:
    """The database's content at one moment: every table's checksum, and (SQLite) a copy to explain a change."""

    sums: dict[str, tuple[int, str]]
    audit_id: int
    copy: Path | None = None


def snapshot(db: Database, keep_copy_in: Path | None = None) -> Snapshot:
    """Checksums of every table now; on SQLite with ``keep_copy_in``, also a consistent copy of the file
    (SQLite's online backup) against which a later difference is described row by row and field by field."""
    copy = None
    if keep_copy_in is not None and db.path is not None:
        keep_copy_in.mkdir(parents=True, exist_ok=True)
        copy = keep_copy_in / f"before-{len(list(keep_copy_in.iterdir()))}.db"
        source = sqlite3.connect(db.path)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    return Snapshot(table_sums(db), max_audit_id(db), copy)


def changed_tables(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


def describe_difference(db: Database, before: Snapshot, after: dict[str, tuple[int, str]]) -> str:
    """Which tables differ from ``before`` and how: row counts, and on SQLite the rows and fields themselves."""
    lines = []
    for name in changed_tables(before.sums, after):
        (rows_before, _), (rows_after, _) = before.sums[name], after[name]
        line = f"table {name}: {rows_before} → {rows_after} rows, checksum differs"
        if before.copy is not None and db.path is not None:
            line += "; " + _row_differences(db.path, before.copy, name)
        lines.append(line)
    new_audit = _audit_since(db, before.audit_id)
    if new_audit:
        lines.append("new audit entries: " + "; ".join(new_audit))
    return "\n    ".join(lines)


def _audit_since(db: Database, audit_id: int, limit: int = 8) -> list[str]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT action, table_name, record_label, field, old, new FROM audit_log WHERE id > :id "
                "ORDER BY id"
            ),
            {"id": audit_id},
        ).all()
    shown = [f"{a} {t} {label!r} {f or '-'}: {o!r} → {n!r}" for a, t, label, f, o, n in rows[:limit]]
    if len(rows) > limit:
        shown.append(f"… {len(rows)} in all")
    return shown


def _row_differences(now: Path, was: Path, table: str, limit: int = 4) -> str:
    """Rows of ``table`` added, removed or changed between two SQLite files, with the fields that differ."""
    con = sqlite3.connect(f"file:{now}?mode=ro", uri=True)
    try:
        con.execute("ATTACH DATABASE ? AS was", (f"file:{was}?mode=ro",))
        info = con.execute(f'PRAGMA main.table_info("{table}")').fetchall()
        columns = [r[1] for r in info]
        keys = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]] or columns
        key_at = [columns.index(k) for k in keys]
        now_rows = con.execute(f'SELECT * FROM main."{table}" EXCEPT SELECT * FROM was."{table}"').fetchall()
        was_rows = con.execute(f'SELECT * FROM was."{table}" EXCEPT SELECT * FROM main."{table}"').fetchall()
    finally:
        con.close()
    now_by = {tuple(r[i] for i in key_at): r for r in now_rows}
    was_by = {tuple(r[i] for i in key_at): r for r in was_rows}
    added = [k for k in now_by if k not in was_by]
    removed = [k for k in was_by if k not in now_by]
    changed = [k for k in now_by if k in was_by]
    fields: Counter[str] = Counter()
    for k in changed:
        fields.update(c for c, a, b in zip(columns, was_by[k], now_by[k], strict=True) if a != b)
    parts = []
    if changed:
        parts.append(f"{len(changed)} rows changed (fields: {dict(fields.most_common())})")
        for k in changed[:limit]:
            diffs = [
                f"{c} {a!r} → {b!r}"
                for c, a, b in zip(columns, was_by[k], now_by[k], strict=True)
                if a != b and c not in ("updated_at", "updated_by")
            ]
            parts.append(f"  e.g. {_label(columns, was_by[k], k)}: {', '.join(diffs)}")
    if added:
        parts.append(
            f"{len(added)} rows added, e.g. {[_label(columns, now_by[k], k) for k in added[:limit]]}"
        )
    if removed:
        parts.append(
            f"{len(removed)} rows removed, e.g. {[_label(columns, was_by[k], k) for k in removed[:limit]]}"
        )
    return " ".join(parts) or "no row differs (only the order or the types?)"


def _label(columns: list[str], row: tuple[Any, ...], key: tuple[Any, ...]) -> str:
    values = dict(zip(columns, row, strict=True))
    words = [str(values[c]) for c in ("code", "number", "name", "id_number", "field", "new") if values.get(c)]
    return f"{'/'.join(map(str, key))} ({' '.join(words[:3])})"


# --- a fresh database ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def database_copy(source: Path, target: Path) -> Iterator[Database]:
    """A private copy of an SQLite database file, opened; closed afterwards."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(source, target)
    db = open_database(target)
    try:
        yield db
    finally:
        db.close()


def checkpoint(path: Path) -> None:
    """Everything in the main file (no -wal beside it), so that copying the file copies all the data."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


# --- what an import would do ------------------------------------------------------------------------------------


def _few(items: list[str], limit: int = 4) -> str:
    return "; ".join(items[:limit]) + (f"; … {len(items)} in all" if len(items) > limit else "")


def register_report_problems(
    report: dict[str, Any], *, records: int | None = None, rosters: Collection[str] = ()
) -> list[str]:
    """What is wrong with a register import's report (plan.report() or ``import --json``) of a file we wrote
    ourselves: every record must be unchanged, every roster sheet unchanged, no error."""
    problems = []
    kind = report.get("register", "")
    roster_rows = {messages.text("register.roster_of", code=code) for code in report.get("rosters", {})}
    rows = [r for r in report["row_status"] if r["key"] not in roster_rows]
    if report["new"]:
        new = [f"row {r['row']} {r['key']}" for r in rows if r["status"] == "new"]
        problems.append(f"{kind}: {report['new']} records read as NEW: {_few(new)}")
    if report["changed"]:
        changed = [r for r in rows if r["status"] == "changed"]
        fields = Counter(c for r in changed for c in r["changes"])
        problems.append(
            f"{kind}: {report['changed']} records read as CHANGED, by field {dict(fields.most_common())}: "
            + _few([f"row {r['row']} {r['key']} {r['changes']}" for r in changed])
        )
    if report["errors"]:
        fields = Counter(e["field"] for e in report["errors"])
        problems.append(
            f"{kind}: {len(report['errors'])} ERRORS (by field {dict(fields.most_common())}): "
            + _few([f"row {e['row']} {e['field']}: {e['message']}" for e in report["errors"]], 3)
        )
    if records is not None and report["unchanged"] != records:
        problems.append(f"{kind}: {report['unchanged']} records unchanged, expected all {records}")
    if rosters:
        found = report.get("rosters", {})
        missing = sorted(set(rosters) - set(found))
        if missing:
            problems.append(
                f"{len(missing)} of {len(rosters)} roster sheets not read at all: {_few(missing)}"
            )
        moved = {code: r for code, r in found.items() if r["status"] != "unchanged"}
        if moved:
            statuses = Counter(r["status"] for r in moved.values())
            problems.append(
                f"{len(moved)} of {len(found)} roster sheets not unchanged ({dict(statuses)}): "
                + _few([f"{code} {r['status']} {r['changes']}" for code, r in sorted(moved.items())])
            )
    return problems


def roster_changed_fields(db: Database, plan: ImportPlan) -> Counter[str]:
    """For the people a roster plan counts as changed, which fields differ between the file and the record."""
    from recuperation.storage.person_keys import PROTECTED_COLUMNS

    numbers = set(plan.changed)  # the people's keys (services/identity.py)
    if not numbers:
        return Counter()
    table = table_of(Participant)
    shown = [c for c in table.c if c.name not in PROTECTED_COLUMNS]
    with db.engine.connect() as conn:
        on_file = {
            r.id_key: dict(r._mapping)
            for r in conn.execute(select(*shown).where(table.c.batch_id == plan.batch_id))
        }
    for record in on_file.values():
        record["phone"] = record["phone_key"]  # the phone is compared by its key
    fields: Counter[str] = Counter()
    for row in plan.rows:
        number = row.key
        if number in numbers and number in on_file:
            mine = {**row.values, "phone": row.phone_key}
            fields.update(
                f"{k} ({on_file[number][k]!r} → {mine[k]!r})" if len(numbers) == 1 else k
                for k in plan.fields
                if k in row.values and on_file[number][k] != mine[k]
            )
    return fields


def roster_report_problems(
    report: dict[str, Any], *, people: int, masked: bool, changed_fields: Counter[str] | None = None
) -> list[str]:
    """What is wrong with a roster import's report of a roster we exported: nobody added, removed or changed,
    no error, every row valid; for a masked export, every row matched by its masked number and name."""
    code = report.get("batch", "")
    problems = []
    counts = {k: report.get(k) for k in ("added", "removed", "changed")}
    if any(counts.values()):
        problems.append(
            f"roster {code}: {counts}"
            + (f", changed fields {dict(changed_fields)}" if changed_fields else "")
        )
    if report["errors"]:
        fields = Counter(e["field"] for e in report["errors"])
        problems.append(
            f"roster {code}: {len(report['errors'])} ERRORS (by field {dict(fields)}): "
            + _few([f"row {e['row']} {e['field']}: {e['message']}" for e in report["errors"]], 3)
        )
    if (report["rows"], report["valid"]) != (people, people):
        problems.append(
            f"roster {code}: rows {report['rows']}, valid {report['valid']}, expected {people} people"
        )
    if masked:
        if "masked_matched" not in report:
            problems.append(
                f"roster {code}: the report has no 'masked_matched' count (keys: {sorted(report)})"
            )
        elif report["masked_matched"] != people:
            problems.append(
                f"roster {code}: masked_matched {report['masked_matched']}, expected all {people} people"
            )
    return problems


# --- the round trips themselves -----------------------------------------------------------------------------


def register_round_trip(
    db: Database,
    kind: str,
    path: Path,
    before: Snapshot,
    *,
    records: int | None = None,
    rosters: Collection[str] = (),
) -> list[str]:
    """Import a register we exported: dry run (nothing new, changed or wrong), then for real (nothing written)."""
    problems: list[str] = []
    plan: RegisterPlan | None = None
    try:
        plan = plan_register(db, kind, path)
    except DomainError as exc:
        problems.append(f"import {kind} {path.name}: the file is refused: {exc.message}")
    if plan is not None:
        problems += register_report_problems(plan.report(), records=records, rosters=rosters)
        try:
            result = apply_register(db, plan)
        except DomainError as exc:
            problems.append(f"import {kind} {path.name}: applying it was refused: {exc.message}")
        else:
            if result.new or result.changed:
                problems.append(f"import {kind} {path.name}: applied {result}")
    problems += unchanged_problems(db, before)
    return problems


def roster_round_trip(
    db: Database, code: str, path: Path, before: Snapshot, *, people: int, masked: bool
) -> list[str]:
    """Import a roster we exported: dry run (nobody added, removed or changed), then for real (nothing written)."""
    problems: list[str] = []
    plan = plan_import(db, code, path)
    problems += roster_report_problems(
        plan.report(), people=people, masked=masked, changed_fields=roster_changed_fields(db, plan)
    )
    try:
        result = apply_import(db, plan)
    except DomainError as exc:
        problems.append(f"roster import {code} {path.name}: applying it was refused: {exc.message}")
    else:
        if result.added or result.removed or result.changed:
            problems.append(f"roster import {code} {path.name}: applied {result}")
    problems += unchanged_problems(db, before)
    return problems


def unchanged_problems(db: Database, before: Snapshot) -> list[str]:
    """Nothing, when every table is as it was at ``before``; else what changed."""
    after = table_sums(db)
    if after == before.sums:
        return []
    return [
        f"the database changed ({', '.join(changed_tables(before.sums, after))}):\n    "
        + describe_difference(db, before, after)
    ]
