"""Restoring a backup: verified fully on a private copy, and such that a restore refused or failed leaves the
database exactly as it was."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from recuperation import __version__, messages
from recuperation.errors import DatabaseOpenError
from recuperation.storage.backups import backup_file_name, sqlite_backup
from recuperation.storage.database import SQLITE_HEADER, Database, header_problem, settled
from recuperation.storage.engine import BUSY_TIMEOUT_MS, connect_sqlite, create_db_engine
from recuperation.storage.faults import SQLITE_BUSY, SQLITE_LOCKED, database_fault, error_reason, is_damage
from recuperation.storage.files import (
    COMPANIONS,
    PART_SUFFIX,
    create_part,
    fsync_dir,
    fsync_file,
    read_head,
    release_descriptor,
    remove_files,
)
from recuperation.storage.paths import display_name, read_only_uri, resolve_url, sqlite_path
from recuperation.storage.schema import SCHEMA_HEAD, schema_state, upgrade


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did.

    ``taken`` is the backup's own date: the newest time recorded in it (``updated_at``/``created_at`` of
    every record, the audit log's ``at``; ``taken_from`` "records"), or the file's modification time when
    it holds no dated record (``taken_from`` "file").  ``saved_copy`` is the database that was replaced, kept
    (None when there was none); ``saved_problem`` says why it is named "-damaged" ("" when it is a sound
    copy that restores like any backup).
    """

    source: Path
    saved_copy: Path | None
    taken: dt.datetime
    batches: int
    participants: int
    partners: int
    taken_from: str = "records"
    saved_problem: str = ""
    migrated_from: str | None = None

    def message(self) -> str:
        """The report in the user's language, for the CLI and the desktop alike."""
        taken = messages.text(
            f"db.restore_taken.{self.taken_from}", date=self.taken.strftime("%Y-%m-%d %H:%M")
        )
        if self.saved_copy is None:
            saved = messages.text("db.restore_saved_none")
        elif self.saved_problem:
            saved = messages.text(
                "db.restore_saved_damaged", saved=self.saved_copy, detail=self.saved_problem
            )
        else:
            saved = messages.text("db.restore_saved", saved=self.saved_copy)
        if self.migrated_from:
            saved = messages.text("db.restore_migrated", revision=self.migrated_from) + saved
        return messages.text(
            "db.restore_done",
            path=self.source,
            taken=taken,
            batches=self.batches,
            participants=self.participants,
            partners=self.partners,
            saved=saved,
        )


@dataclass(frozen=True)
class _BackupFacts:
    counts: dict[str, int]
    newest: dt.datetime | None
    migrated_from: str | None


class _Busy(Exception):
    """The live database's write lock stayed taken for the whole busy timeout."""


def _fail_when_busy(status: int, _remaining: int, _total: int) -> None:
    # sqlite3's backup retries a busy destination for ever; SQLite has already waited the busy timeout.
    if status in (SQLITE_BUSY, SQLITE_LOCKED):
        raise _Busy


def _integrity_detail(rows: list[str]) -> str:
    """The first problems SQLite's integrity check names, on one short line."""
    lines = [line for row in rows for line in str(row).splitlines() if line and not line.startswith("***")]
    text = "；".join(lines[:3])
    return text if len(text) <= 200 else text[:197] + "…"


def _snapshot(path: Path) -> tuple[tuple[int, int] | None, ...]:
    found: list[tuple[int, int] | None] = []
    for suffix in ("", "-wal", "-journal"):
        try:
            st = os.stat(str(path) + suffix)
        except FileNotFoundError:
            found.append(None)
        else:
            found.append((st.st_size, st.st_mtime_ns))
    return tuple(found)


def _copy_into(source: Path, fd: int) -> None:
    """The bytes of ``source`` written to ``fd``; a file that cannot be read is refused by name."""
    try:
        descriptor = os.open(source, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise DatabaseOpenError(
            "db.restore_unreadable_file", path=str(source), reason=exc.strerror or str(exc)
        ) from exc
    try:
        while True:
            try:
                chunk = os.read(descriptor, 1 << 20)
            except OSError as exc:
                raise DatabaseOpenError(
                    "db.restore_unreadable_file", path=str(source), reason=exc.strerror or str(exc)
                ) from exc
            if not chunk:
                return
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]  # a full disk raises OSError(ENOSPC) here
    finally:
        release_descriptor(descriptor)  # a database file: see storage.files


def _copy_backup(source: Path, part: Path, fd: int) -> None:
    """Copy the backup's bytes, and its -wal or -journal when SQLite left one beside it, into the private
    ``part``.  The backup is only ever read as bytes, never opened by SQLite, so nothing is written to it
    or beside it, and a backup on a read-only medium restores like any other.  A file that changes while
    it is read (another program writing it) is read again, at most three times."""
    for _attempt in range(3):
        before = _snapshot(source)
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        _copy_into(source, fd)
        for suffix in ("-wal", "-journal"):
            companion, private = Path(str(source) + suffix), str(part) + suffix
            with contextlib.suppress(FileNotFoundError):
                os.unlink(private)
            if companion.exists() and companion.stat().st_size > 0:
                side = os.open(
                    private, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600
                )
                try:
                    _copy_into(companion, side)
                finally:
                    os.close(side)
        if _snapshot(source) == before:
            header = read_head(part, len(SQLITE_HEADER))
            if header != SQLITE_HEADER:
                raise DatabaseOpenError("db.restore_not_sqlite", path=str(source))
            return
    raise DatabaseOpenError("db.restore_unstable", path=str(source))


def _schema_gaps(conn: sqlite3.Connection) -> list[str]:
    """The tables and columns of the current schema (the models' metadata) that the file lacks."""
    from recuperation.models import SQLModel

    have = {str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    gaps: list[str] = []
    for tbl in SQLModel.metadata.sorted_tables:
        if tbl.name not in have:
            gaps.append(messages.text("db.restore_gap.table", name=tbl.name))
            continue
        columns = {str(row[1]) for row in conn.execute(f'PRAGMA table_info("{tbl.name}")')}
        gaps += [
            messages.text("db.restore_gap.column", name=f"{tbl.name}.{c.name}")
            for c in tbl.columns
            if c.name not in columns
        ]
    return gaps


def _structure(conn: sqlite3.Connection) -> dict[str, tuple[Any, ...]]:
    """What a schema enforces, table by table: foreign keys, indexes (unique or not, on which columns), NOT NULL
    columns and CHECK constraints; and every trigger and view.  Names SQLite makes up are left out."""
    found: dict[str, tuple[Any, ...]] = {}
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()
    for kind, name, sql in rows:
        if kind in ("trigger", "view"):
            found[f"{kind} {name}"] = (kind,)
        elif kind == "table":
            keys = sorted(
                tuple(str(v) for v in r[2:5]) for r in conn.execute(f'PRAGMA foreign_key_list("{name}")')
            )
            indexes = sorted(
                (
                    bool(r[2]),
                    tuple(str(c[2]) for c in conn.execute(f'PRAGMA index_info("{r[1]}")')),
                )
                for r in conn.execute(f'PRAGMA index_list("{name}")')
            )
            not_null = sorted(str(r[1]) for r in conn.execute(f'PRAGMA table_info("{name}")') if r[3])
            checks = len(re.findall(r"\bCHECK\s*\(", str(sql or ""), flags=re.IGNORECASE))
            found[f"table {name}"] = (tuple(keys), tuple(indexes), tuple(not_null), checks)
    return found


@functools.lru_cache(maxsize=1)
def _reference_structure() -> dict[str, tuple[Any, ...]]:
    """The structure this program's migrations give an empty file (made once, in a temporary folder)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reference.db"
        engine = create_db_engine("sqlite:///" + str(path))
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        conn = connect_sqlite(path)
        try:
            return _structure(conn)
        finally:
            conn.close()


def _schema_strays(conn: sqlite3.Connection) -> list[str]:
    """What a file's schema does differently from this program's: a table whose foreign keys, unique
    indexes, NOT NULL columns or CHECK constraints differ (rules removed by hand), or a trigger or view
    this program never makes (one that deletes a person on every update, say).  Missing tables and columns
    are :func:`_schema_gaps`."""
    reference, have = _reference_structure(), _structure(conn)
    strays = [
        messages.text("db.restore_stray.table", name=key.split(" ", 1)[1])
        for key, shape in reference.items()
        if key.startswith("table ") and key in have and have[key] != shape
    ]
    strays += [
        messages.text("db.restore_stray.object", name=key)
        for key in have
        if not key.startswith("table ") and key not in reference
    ]
    return strays


def _listed(items: list[str]) -> str:
    return ("、" if messages.language() == "zh" else ", ").join(items)


def _foreign_key_detail(broken: list[Any]) -> tuple[int, str]:
    table, rowid, parent = broken[0][0], broken[0][1], broken[0][2]
    return len(broken), f"{table} #{rowid} → {parent}"


def _verify_backup(source: Path, part: Path, target: Path) -> _BackupFacts:
    """Check the private copy of a backup fully, refusing it by name: SQLite's full integrity check and its
    foreign-key check; a schema this program knows (a backup of an older revision is migrated here, on the
    copy, and must migrate); every table and column of the current schema; every row of every table read
    back through the models' column types.  Returns what the report needs."""
    from recuperation.models import SQLModel

    name = str(source)
    try:
        conn = connect_sqlite(part, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE").fetchall()  # folds in a -wal, rolls back a -journal
            result = [str(row[0]) for row in conn.execute("PRAGMA integrity_check(20)")]
            if result != ["ok"]:
                raise DatabaseOpenError("db.restore_damaged", path=name, detail=_integrity_detail(result))
            try:
                broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            except sqlite3.Error as exc:
                # a referenced table rebuilt without the key its references need (“foreign key mismatch -
                # "incident_person" referencing "participant"”): its structure was changed by hand
                if "foreign key mismatch" not in str(exc):
                    raise
                raise DatabaseOpenError("db.restore_schema_changed", path=name, detail=str(exc)) from exc
        finally:
            conn.close()
    except sqlite3.Error as exc:
        fault = database_fault(exc, target)
        if fault is not None and fault.key == "db.disk_full":
            raise fault from exc
        if "not a database" in str(exc):
            raise DatabaseOpenError("db.restore_not_sqlite", path=name) from exc
        raise DatabaseOpenError("db.restore_damaged", path=name, detail=error_reason(exc)) from exc
    if broken:
        count, example = _foreign_key_detail(broken)
        raise DatabaseOpenError("db.restore_foreign_keys", path=name, count=count, example=example)

    engine = create_db_engine("sqlite:///" + str(part), foreign_keys=False)
    try:
        with engine.connect() as conn2:
            revision, state = schema_state(conn2)
        if state in ("empty", "not_ours"):
            raise DatabaseOpenError("db.restore_not_ours", path=name)
        if state == "newer":
            raise DatabaseOpenError("db.restore_newer", path=name, revision=revision, version=__version__)
        migrated_from = None
        if state == "older":
            try:
                upgrade(engine)
            except Exception as exc:
                raise DatabaseOpenError(
                    "db.restore_migration", path=name, revision=revision, detail=error_reason(exc)
                ) from exc
            migrated_from = revision
        raw = connect_sqlite(part)
        try:
            gaps = _schema_gaps(raw)
            strays = [] if gaps else _schema_strays(raw)
        finally:
            raw.close()
        if gaps:
            raise DatabaseOpenError("db.restore_schema", path=name, missing=_listed(gaps), revision=revision)
        if strays:
            raise DatabaseOpenError("db.restore_schema_changed", path=name, detail=_listed(strays))
        counts: dict[str, int] = {}
        newest: dt.datetime | None = None
        with engine.connect() as conn2:
            for tbl in SQLModel.metadata.sorted_tables:
                rows = 0
                try:
                    for chunk in conn2.execute(select(tbl)).partitions(5000):
                        rows += len(chunk)
                except Exception as exc:  # a value the column's type cannot read (a date that is not one …)
                    raise DatabaseOpenError(
                        "db.restore_unreadable", path=name, table=tbl.name, detail=error_reason(exc)
                    ) from exc
                counts[tbl.name] = rows
                for column_name in ("updated_at", "created_at", "at"):
                    if column_name in tbl.c:
                        value = conn2.execute(select(func.max(tbl.c[column_name]))).scalar()
                        if isinstance(value, dt.datetime) and (newest is None or value > newest):
                            newest = value
    except DatabaseOpenError:
        raise
    except Exception as exc:
        fault = database_fault(exc, target)
        if fault is not None and fault.key == "db.disk_full":
            raise fault from exc
        raise DatabaseOpenError("db.restore_damaged", path=name, detail=error_reason(exc)) from exc
    finally:
        engine.dispose()
    return _BackupFacts(counts, newest, migrated_from)


def _live_state(target: Path) -> tuple[str, str, int | None]:
    """The database a restore replaces: "missing" (no file, or an empty one), "healthy" (it passes SQLite's
    quick check; with its page size) or "damaged" (with what is wrong).  A file that cannot be read for
    another reason (read-only, busy, a full disk) raises that fault."""
    try:
        size = target.stat().st_size
        if size == 0:
            return "missing", "", None
        header = read_head(target, 100)
    except FileNotFoundError:
        return "missing", "", None
    except OSError as exc:
        raise database_fault(exc, target) or DatabaseOpenError(
            "db.cannot_open", path=str(target), reason=exc.strerror or str(exc)
        ) from exc
    if not header.startswith(SQLITE_HEADER):
        return "damaged", messages.text("db.not_sqlite_detail"), None
    problem = header_problem(header, size, settled=settled(target))
    if problem:  # a header SQLite would refuse or misread: damaged, kept as it is
        return "damaged", problem, None
    try:
        # read-only: a read-write connection, the last to close, would write a leftover -wal into the file
        conn = connect_sqlite(read_only_uri(target), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            result = [str(row[0]) for row in conn.execute("PRAGMA quick_check(5)")]
            page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as exc:
        fault = database_fault(exc, target)
        if fault is not None:
            raise fault from exc
        if is_damage(exc):
            return "damaged", error_reason(exc), None
        raise DatabaseOpenError("db.cannot_open", path=str(target), reason=error_reason(exc)) from exc
    if result != ["ok"]:
        return "damaged", _integrity_detail(result), None
    return "healthy", "", page_size


def _seal_private_copy(part: Path, page_size: int | None) -> None:
    """The verified copy as one self-contained file (no -wal), with the live file's page size (SQLite
    copies into a WAL database only between equal page sizes), on disk."""
    conn = connect_sqlite(part, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE").fetchall()
        if page_size and int(conn.execute("PRAGMA page_size").fetchone()[0]) != page_size:
            conn.execute(f"PRAGMA page_size = {int(page_size)}")
            conn.execute("VACUUM")
    finally:
        conn.close()
    for suffix in COMPANIONS:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(str(part) + suffix)
    fsync_file(part)


def _copy_problem(path: Path) -> str:
    """What would make restoring the copy ``path`` refused ("" if nothing): damage, broken references, or
    tables and columns missing at the current schema."""
    try:
        conn = connect_sqlite(read_only_uri(path), uri=True)
        try:
            result = [str(row[0]) for row in conn.execute("PRAGMA integrity_check(20)")]
            if result != ["ok"]:
                return _integrity_detail(result)
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                count, example = _foreign_key_detail(broken)
                return messages.text("db.restore_fk_detail", count=count, example=example)
            tables = {
                str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            revision = None
            if "alembic_version" in tables:
                found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = str(found[0]) if found else None
            if revision == SCHEMA_HEAD:
                gaps = _schema_gaps(conn) or _schema_strays(conn)
                if gaps:
                    return _listed(gaps)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return error_reason(exc)
    return _rows_problem(path)


def _rows_problem(path: Path) -> str:
    """Whether every row of every table reads back through the models' column types ("" if so), as a
    restore of this copy would check (a date that is not one …)."""
    from recuperation.models import SQLModel

    engine = create_db_engine("sqlite:///" + str(path), foreign_keys=False)
    try:
        with engine.connect() as conn:
            have = {
                str(r[0]) for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
            }
            for tbl in SQLModel.metadata.sorted_tables:
                if tbl.name not in have:
                    continue
                try:
                    for _chunk in conn.execute(select(tbl)).partitions(5000):
                        pass
                except Exception as exc:
                    return messages.text(
                        "db.restore_unreadable_detail", table=tbl.name, detail=error_reason(exc)
                    )
    finally:
        engine.dispose()
    return ""


def _damaged_copy_name(target: Path) -> Path:
    return target.with_name(f"{target.stem}-damaged-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.db")


def _keep_damaged(target: Path) -> Path:
    """The damaged database kept byte for byte (with its -wal and -journal) beside it, for a specialist."""
    kept = _damaged_copy_name(target)
    for suffix in ("", "-wal", "-journal"):
        source = Path(str(target) + suffix)
        if suffix and not (source.exists() and source.stat().st_size > 0):
            continue
        tmp = Path(str(kept) + suffix + PART_SUFFIX)
        fd = create_part(tmp)
        try:
            _copy_into(source, fd)
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            remove_files(tmp)
            raise
        os.close(fd)
        os.replace(tmp, str(kept) + suffix)
    return kept


def _replace_through_sqlite(part: Path, target: Path) -> tuple[Path, str]:
    """Replace a healthy live database by the verified copy with SQLite's backup into it: one write
    transaction under the live file's own write lock, so that its WAL and every other desk's connection
    stay coherent, a failure or a crash leaves it exactly as it was, and a desk that holds the write lock
    for longer than the busy timeout refuses the restore instead.  First the live file is saved as a
    consistent pre-restore copy (again if another desk wrote meanwhile).  Returns that copy and, if it
    fails the checks a restore makes, why (it is then kept as "-damaged", beside the database)."""
    live = connect_sqlite(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    saved: Path | None = None
    try:
        live.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        live.execute("PRAGMA synchronous = FULL")  # the restore is on disk when this returns
        version = live.execute("PRAGMA data_version").fetchone()[0]
        for _attempt in range(3):
            saved = sqlite_backup(target, backup_file_name(target, "before-restore"))
            seen = live.execute("PRAGMA data_version").fetchone()[0]
            if seen == version:
                break
            saved.unlink()  # another desk wrote while it was copied: copy again
            version = seen
        assert saved is not None
        problem = _copy_problem(saved)
        if problem:
            damaged = _damaged_copy_name(target)
            os.replace(saved, damaged)
            saved = damaged
        source = connect_sqlite(read_only_uri(part), uri=True)
        try:
            source.backup(live, progress=_fail_when_busy)
        finally:
            source.close()
        with contextlib.suppress(sqlite3.Error):
            live.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    except BaseException:
        if saved is not None:  # nothing was restored: a "before-restore" copy would only mislead
            saved.unlink(missing_ok=True)
        raise
    finally:
        live.close()
    return saved, problem


def restore(db: Database | str | os.PathLike[str] | None, source: Path) -> RestoreReport:
    """Replace the SQLite database ``db`` (an open Database, which is closed first, or a path or URL) by
    the backup ``source``, such that a restore that is refused or fails leaves the database exactly as it
    was (byte for byte) and leaves no temporary file.

    1. The backup is copied as bytes (it is never opened for writing; a read-only medium is fine) into a
       private temporary file (0600) in the database's folder, and that copy is verified fully
       (:func:`_verify_backup`); a backup of an older schema revision is migrated there, on the copy.
    2. A healthy database is saved as a consistent "before-restore" copy in its backup folder, then
       replaced through SQLite in one transaction (:func:`_replace_through_sqlite`).  A damaged one (the
       situation a restore is for) is kept byte for byte as "<name>-damaged-<time>.db" beside it, its stale
       -wal and -shm are removed, and the verified copy is renamed over it (``os.replace``, atomic).
       There is nothing to keep when there was no database (or an empty file).

    An open Database given here owes no integrity check afterwards, and damage it had found is forgotten
    (:meth:`Database.note_verified`): its file is now the verified copy.  The checks stay as they were: the
    backup gets the full ``integrity_check`` and the foreign-key check on its private copy, and the live
    file SQLite's quick check (:func:`_live_state`) to decide whether it is replaced through SQLite or kept
    aside as "-damaged".
    """
    if isinstance(db, Database):
        url, opened = db.url, db
    else:
        url, opened = resolve_url(db), None
    target = sqlite_path(url)
    if target is None:
        raise DatabaseOpenError("db.backup_unsupported", url=display_name(url))
    source = Path(os.path.abspath(Path(source).expanduser()))
    if not source.exists():
        raise DatabaseOpenError("db.restore_missing", path=str(source))
    if not source.is_file():  # a folder, a device (/dev/zero), a pipe: never copied
        raise DatabaseOpenError("db.restore_not_sqlite", path=str(source))
    try:
        header = read_head(source, 100)
    except OSError as exc:
        raise DatabaseOpenError("db.cannot_open", path=str(source), reason=exc.strerror or str(exc)) from exc
    # The header first: a video or a sparse file picked by mistake is named, not copied onto the disk that
    # holds the database.  Its page size × page count must be the file's size (give or take a last page).
    if not header.startswith(SQLITE_HEADER):
        raise DatabaseOpenError("db.restore_not_sqlite", path=str(source))
    unit = int.from_bytes(header[16:18], "big")
    unit = 65536 if unit == 1 else unit
    pages = int.from_bytes(header[28:32], "big")
    counted = header[92:96] == header[24:28]  # the in-header size is valid (SQLite's own rule)
    if counted and pages and unit and pages * unit < source.stat().st_size - unit * 2 - 1024 * 1024:
        raise DatabaseOpenError("db.restore_not_sqlite", path=str(source))
    modified = source.stat().st_mtime  # read now: the medium may be gone when the restore is done
    if source == Path(os.path.abspath(target)) or (target.exists() and os.path.samefile(source, target)):
        raise DatabaseOpenError("db.restore_same", path=str(source))
    if opened is not None:
        opened.close()  # its pooled connections are closed; it reconnects to the restored file when used
    part = target.with_name(target.name + ".restore" + PART_SUFFIX)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = create_part(part)
    except FileExistsError as exc:
        raise DatabaseOpenError("db.part_in_use", path=str(part)) from exc
    except OSError as exc:
        raise database_fault(exc, target) or DatabaseOpenError(
            "db.cannot_open", path=str(target), reason=exc.strerror or str(exc)
        ) from exc
    saved: Path | None = None
    problem = ""
    try:
        _copy_backup(source, part, lock)
        facts = _verify_backup(source, part, target)
        state, detail, page_size = _live_state(target)
        _seal_private_copy(part, page_size)
        if state == "healthy":
            saved, problem = _replace_through_sqlite(part, target)
        else:
            if state == "damaged":
                saved, problem = _keep_damaged(target), detail
            for suffix in COMPANIONS:  # the damaged file's -wal must not be replayed into the restored one
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(str(target) + suffix)
            os.replace(part, target)
            os.close(lock)  # before SQLite opens the file: closing a descriptor drops a process's locks
            lock = -1
            fsync_dir(target.parent)
    except DatabaseOpenError:
        raise
    except _Busy as exc:
        raise DatabaseOpenError("db.busy", path=str(target), seconds=BUSY_TIMEOUT_MS // 1000) from exc
    except Exception as exc:
        fault = database_fault(exc, target)
        if fault is not None:
            raise fault from exc
        raise DatabaseOpenError("db.restore_failed", path=str(source), detail=error_reason(exc)) from exc
    finally:
        if lock >= 0:
            os.close(lock)
        remove_files(part)
    if opened is not None:
        opened.note_verified()  # its file is now the copy checked fully above: damage found before is gone
    if facts.newest is not None:
        taken, taken_from = facts.newest.replace(microsecond=0), "records"
    else:
        taken, taken_from = dt.datetime.fromtimestamp(modified).replace(microsecond=0), "file"
    return RestoreReport(
        source,
        saved,
        taken,
        facts.counts.get("batch", 0),
        facts.counts.get("participant", 0),
        facts.counts.get("partner", 0),
        taken_from=taken_from,
        saved_problem=problem,
        migrated_from=facts.migrated_from,
    )
