"""Moving an office's data from one database to another (an SQLite file to a shared PostgreSQL server).

:func:`copy_database` copies every data table, rows with their identities (ids) and versions unchanged, into
a target database that has no data yet, then verifies each table: the row count and a SHA-256 checksum of
every row's values read back from both sides, in primary-key order, through the same column types.  The
source is only read.  The copy is one transaction on the target: if anything fails or a table does not
verify, nothing stays behind and the target is as empty as before.

On PostgreSQL the rows go in with ``COPY … FROM STDIN`` (the fastest way in) and the id sequences are moved
past the largest copied id, so that the next record made at any desk gets a new number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text

from recuperation import messages
from recuperation.errors import DatabaseOpenError
from recuperation.models import DATA_TABLES, table_of
from recuperation.storage.database import Database, open_database
from recuperation.storage.paths import display_name, resolve_url

CHUNK = 5_000

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class TableCheck:
    table: str
    source_rows: int
    target_rows: int
    source_checksum: str
    target_checksum: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_checksum == self.target_checksum


@dataclass(frozen=True)
class CopyReport:
    source: str
    target: str
    tables: tuple[TableCheck, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)

    @property
    def rows(self) -> int:
        return sum(t.target_rows for t in self.tables)


def _tables() -> list[Table]:
    return [table_of(model) for model in DATA_TABLES]


def _copied(table: Table) -> list[Any]:
    """The columns copied and compared: not those the target database keeps itself (a person's masks and
    keys, storage/person_keys.py: a server's keys are its own)."""
    from recuperation.storage.person_keys import KEPT_COLUMNS, PERSON_TABLES

    return [c for c in table.columns if table.name not in PERSON_TABLES or c.name not in KEPT_COLUMNS]


def _ordered(table: Table) -> Any:
    return select(*_copied(table)).order_by(*table.primary_key.columns)


def _canonical(value: object) -> str:
    """One spelling of a value whichever database it was read from."""
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def table_checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """Rows and a SHA-256 over every row's values, in primary-key order."""
    digest = hashlib.sha256()
    rows = 0
    result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(_ordered(table))
    for row in result:
        digest.update("\x1f".join(_canonical(v) for v in row).encode("utf-8"))
        digest.update(b"\x1e")
        rows += 1
    return rows, digest.hexdigest()


def _batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _copy_table(source: Connection, target: Connection, table: Table) -> None:
    columns = [c.name for c in _copied(table)]
    result = source.execution_options(stream_results=True, yield_per=CHUNK).execute(_ordered(table))
    if target.dialect.name == "postgresql":
        cursor = target.connection.driver_connection.cursor()  # type: ignore[union-attr]
        quoted = ", ".join(f'"{c}"' for c in columns)
        with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in result:
                copy.write_row(tuple(row))
        return
    for chunk in _batches(result, CHUNK):
        target.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in chunk])


def _move_sequences(target: Connection, tables: list[Table]) -> None:
    if target.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" not in table.columns:
            continue
        target.execute(
            text(
                f'SELECT setval(seq, (SELECT coalesce(max(id), 0) + 1 FROM "{table.name}"), false) '
                f"FROM pg_get_serial_sequence('\"{table.name}\"', 'id') AS seq WHERE seq IS NOT NULL"
            )
        )


def copy_database(source_db: str, target_db: str, progress: Progress | None = None) -> CopyReport:
    """Copy every data table of ``source_db`` into ``target_db`` (made and migrated if need be, and empty).

    Raises DatabaseOpenError when either cannot be opened, when both name the same database, or when the
    target already holds data; a copy that does not verify is rolled back and raises with the tables named.
    """
    started = time.perf_counter()
    say = progress or (lambda _step, _fraction: None)
    source_url, target_url = resolve_url(source_db), resolve_url(target_db)
    if source_url == target_url:
        raise DatabaseOpenError("transfer.same", path=display_name(source_url))
    source = open_database(source_db, create=False)
    try:
        source.verify()  # the whole file checked: a damaged database is never copied onto a server
    except BaseException:
        source.close()
        raise
    try:
        target = open_database(target_db)
        try:
            return _copy(source, target, say, started)
        finally:
            target.close()
    finally:
        source.close()


def _copy(source: Database, target: Database, say: Progress, started: float) -> CopyReport:
    tables = _tables()
    with target.engine.connect() as tconn:
        filled = [
            t.name for t in tables if tconn.execute(select(func.count()).select_from(t)).scalar_one() > 0
        ]
    if filled:
        raise DatabaseOpenError("transfer.not_empty", path=target.name, tables=messages.join(list(filled)))
    checks: list[TableCheck] = []
    write = target.engine.execution_options(immediate=True) if target.is_sqlite else target.engine
    with source.engine.connect() as sconn, write.connect() as tconn:
        with tconn.begin():
            if target.is_sqlite:
                # The copy is checked as a whole afterwards; rows arrive parents first anyway.
                tconn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            for i, table in enumerate(tables):
                say(table.name, i / (2 * len(tables)))
                _copy_table(sconn, tconn, table)
            _move_sequences(tconn, tables)
            for i, table in enumerate(tables):
                say(table.name, 0.5 + i / (2 * len(tables)))
                source_rows, source_sum = table_checksum(sconn, table)
                target_rows, target_sum = table_checksum(tconn, table)
                checks.append(TableCheck(table.name, source_rows, target_rows, source_sum, target_sum))
            bad = [c.table for c in checks if not c.ok]
            if bad:
                raise DatabaseOpenError(
                    "transfer.mismatch", path=target.name, tables=messages.join(list(bad))
                )
        sconn.rollback()
    say("done", 1.0)
    return CopyReport(source.name, target.name, tuple(checks), time.perf_counter() - started)
