"""The open database: how it is opened (checked, then migrated) and how its transactions run.

One function, :func:`open_database`, gives a :class:`Database` for a file path or a SQLAlchemy URL: by
default an SQLite file in the user's data folder, else ``--db`` or ``RECUPERATION_DB``.  SQLite runs with
WAL, foreign keys and a busy timeout; write transactions start with ``BEGIN IMMEDIATE`` so that two desks
never both read the same free beds and then both write.  Alembic brings the schema to the current revision
at every open, after a timestamped backup copy whenever a migration is about to change an existing file.

A damaged SQLite file is never written to, and no open pays for a check that grows with the file:

- **At open**, :func:`check_at_open` costs the same for any size: the 100-byte header, the schema (every
  CREATE statement parsed), the free-page count, SQLite's quick check of the schema table and of the small
  tables ``alembic_version`` and ``app_meta``, and the first and last row of every table (the pages from
  each b-tree's root to its first and last leaf).  A file it refuses is refused before anything opens it
  for writing.  A file that opening itself would write (switched to WAL, or migrated) gets the full check
  first, which happens once in its life.
- **Before the first write**, :meth:`Database.verify` runs the full check (:func:`full_check`, SQLite's
  ``quick_check`` over the whole file) once per handle, on a read-only connection of its own, unless it has
  already run: :meth:`Database.session` with ``write=True`` calls it before ``BEGIN IMMEDIATE``, and any
  INSERT, UPDATE or DELETE sent through :attr:`Database.engine` outside a session (a demo load, a copy into
  this database) calls it before the statement runs.  Processes that only read never pay it.  Damage found
  is kept on the handle: every later write is refused at once (``db.damaged``, naming the file and
  the restore), reads go on, so the data can still be seen and exported.  A statement that meets a damaged
  page raises the same ``db.damaged`` (not a driver error) and marks the handle too.
- **Elsewhere, where nobody waits**: the desktop runs :meth:`Database.verify` on a thread of its own after
  start (``ui/desk.py``); the daily backup checks its copy (``storage/backups.py``); a restore checks the
  backup fully and the live file as before (``storage/restore.py``).

Nothing here uses SQL that only SQLite understands except behind an ``is_sqlite`` test: the same code runs
on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select
from sqlmodel import Session

from recuperation import messages
from recuperation.changes import CHANNEL, Change, Recorder, everything_payload, new_desk_id, written_table
from recuperation.errors import DatabaseOpenError
from recuperation.storage.engine import BUSY_TIMEOUT_MS, connect_sqlite, create_db_engine
from recuperation.storage.faults import (
    access_refusal,
    database_fault,
    error_reason,
    is_damage,
    sign_in_refusal,
)
from recuperation.storage.files import read_head
from recuperation.storage.paths import desk_user, display_name, read_only_uri, resolve_url, sqlite_path
from recuperation.storage.schema import SCHEMA_HEAD, migrate

log = logging.getLogger(__name__)


SQLITE_HEADER = b"SQLite format 3\x00"


class Database:
    """An open database: its URL, its engine and the desk user recorded in the audit log.

    ``verified``: the SQLite file has just been checked fully (or made new), so no write owes the full check
    (:meth:`verify`); :func:`open_database` says so, a handle made directly owes it.
    """

    def __init__(self, url: str, *, user: str | None = None, verified: bool = False):
        self.url = url
        self._local = threading.local()  # the write transaction in progress on each thread, if any
        self.engine = create_db_engine(url)
        # Write transactions take the write lock at BEGIN on SQLite: checks made inside them stay true.
        self._write_engine = self.engine.execution_options(immediate=True)
        self.user = user or desk_user()
        self._access: Any = None
        if user is None and not self.is_sqlite:
            # On a server the audit log records a colleague's session login whatever a desk says (a trigger):
            # the desk says the same.  The schema's owner (and a superuser) is trusted with the desk's word.
            try:
                access = self.access
            except Exception:  # not one of our databases yet (a copy's target before it is migrated)
                self._access = None
            else:
                if not access.owner:
                    self.user = access.login
        #: Who this desk is in change notifications (other desks skip their own).
        self.desk_id = new_desk_id()
        #: Write transactions committed by this handle, and the audit entries they wrote: a watcher on an
        #: SQLite file tells this process's commits from other processes' by them.
        self.commit_count = 0
        self.own_audit_ids: set[int] = set()
        self._listeners: list[Callable[[Change], None]] = []
        # The full integrity check of an SQLite file: owed until it has run on this handle (verify()).
        self._checked = verified or self.path is None
        self._damage: str | None = None  # what it found, if the file is damaged
        self._check_lock = threading.Lock()  # one full check at a time; a second caller waits for its result
        self._check_epoch = 0  # moved on when the file is replaced: a check of the old file is not kept
        self._checking: set[sqlite3.Connection] = set()  # the connections of checks running, to interrupt
        event.listen(self.engine, "before_cursor_execute", self._note_statement)
        event.listen(self.engine, "handle_error", self._note_error)

    @property
    def access(self) -> Any:
        """Who is signed in and the roles they hold (:class:`recuperation.access.Access`), asked of the
        server once per handle (a change of roles counts from the next sign-in)."""
        if self._access is None:
            from recuperation.services.users import current_access

            self._access = current_access(self)
        return self._access

    @access.setter
    def access(self, value: Any) -> None:
        """Set who is signed in (the tests' 查看 or 财务 desk on an SQLite file; the server never asks)."""
        self._access = value

    def on_change(self, listener: Callable[[Change], None]) -> Callable[[], None]:
        """Call ``listener(change)`` after each write transaction commits (on the committing thread);
        returns a function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _note_statement(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        recorder: Recorder | None = getattr(self._local, "recorder", None)
        if recorder is not None:
            name = written_table(statement)
            if name is not None:
                recorder.table(name)
        elif (not self._checked or self._damage is not None) and written_table(statement) is not None:
            # A write outside session(write=True) (a demo load, a copy into this database): the same rule.
            self.verify()

    def _note_error(self, context: Any) -> None:
        """SQLite says the file is damaged while a statement reads or writes it (a page the check at open did
        not read): the handle keeps that, so every later write is refused without the full check, and the
        error is said as what it is (``db.damaged``, naming the file and the restore), not as an unexpected
        one.  Only SQLite's own word is damage; a busy or read-only file stays its own fault."""
        exc = context.original_exception
        refusal = None if self.is_sqlite else access_refusal(exc, self.user)
        if refusal is not None:
            raise refusal from exc
        path = self.path
        if path is None or not isinstance(exc, sqlite3.Error) or not is_damage(exc):
            return
        if database_fault(exc, path) is not None:
            return
        if self._damage is None:
            self._damage, self._checked = error_reason(exc), True
        raise DatabaseOpenError("db.damaged", path=str(path), detail=self._damage) from exc

    # -- integrity -------------------------------------------------------------------------------------------
    @property
    def checked(self) -> bool:
        """The full integrity check has run on this handle (or is not owed: a new file, a server)."""
        return self._checked

    @property
    def damage(self) -> str | None:
        """What the full integrity check found wrong with the file, or None (sound, or not yet checked)."""
        return self._damage

    def verify(self) -> None:
        """Run the full integrity check of the SQLite file (:func:`full_check`) unless it has already run on
        this handle, and refuse (``db.damaged``) if the file is damaged, now and at every later call.

        Called before every write (see the module's docstring), so the first write of a handle pays for it
        once and only a process that writes does; the desktop calls it after start on a thread of its own.
        Thread-safe: a caller that arrives while a check runs waits for its result.  A check that cannot run
        (another program holding the file, a read-only medium …) raises that fault and stays owed.  A server
        database checks itself: nothing to do.
        """
        if not self._checked:
            path = self.path
            assert path is not None
            with self._check_lock:
                while not self._checked:
                    epoch = self._check_epoch
                    detail = full_check(path, running=self._checking)
                    if epoch == self._check_epoch:  # else the file was replaced meanwhile: check the new one
                        self._damage = detail or None
                        self._checked = True
        if self._damage is not None:
            raise DatabaseOpenError("db.damaged", path=str(self.path), detail=self._damage)

    def note_verified(self) -> None:
        """The file under this handle was just replaced by one checked fully (a restore puts a verified copy
        in place): no check is owed, and damage found earlier no longer holds."""
        self._check_epoch += 1
        self._damage = None
        self._checked = True

    def interrupt_checks(self) -> None:
        """Stop a full check running on another thread (the desk closing); it stays owed."""
        for conn in list(self._checking):
            with contextlib.suppress(sqlite3.Error):
                conn.interrupt()

    @staticmethod
    def _note_flush(recorder: Recorder, session: Session) -> None:
        for obj in (*session.new, *session.dirty, *session.deleted):
            table_name = getattr(getattr(obj, "__table__", None), "name", None)
            if table_name:
                recorder.record(table_name, getattr(obj, "id", None))

    def _committed(self, recorder: Recorder) -> None:
        if len(self.own_audit_ids) > 200_000:  # a long session: the watcher has long read the old ones
            self.own_audit_ids = set(recorder.audit_ids)
        self.announce(recorder.change(), notify=False)

    def announce(self, change: Change, *, notify: bool = True) -> None:
        """Tell this desk's listeners about ``change`` (a write made outside :meth:`session`: a demo load, a
        restore); with ``notify``, other desks on a server too."""
        if not change:
            return
        if notify and not self.is_sqlite:
            with contextlib.suppress(Exception), self.engine.begin() as conn:
                conn.execute(select(func.pg_notify(CHANNEL, everything_payload(self.desk_id))))
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # a view that fails to follow must not undo or hide a committed write
                log.exception("a change listener failed")

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def name(self) -> str:
        return display_name(self.url)

    def reader_uri(self) -> str:
        """A read-only SQLite URI of this file (any character of its path quoted), for a reader of its own."""
        if self.path is None:
            raise ValueError("not an SQLite file")
        return read_only_uri(self.path)

    @contextlib.contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back entirely if it raises.

        Inside a write transaction on the same thread, a nested ``session()`` joins it instead of opening
        another: the services compose, so that a register import that creates a hundred records through the
        services' own checks is still one transaction, all or nothing.

        A write transaction first owes the full integrity check (:meth:`verify`, once per handle): a damaged
        file is refused with ``db.damaged`` before anything is locked or written.
        """
        outer: Session | None = getattr(self._local, "session", None)
        if outer is not None:
            yield outer
            return
        if write:
            self.verify()  # a damaged file is never written to: refused before BEGIN, nothing locked
        with Session(self._write_engine if write else self.engine, expire_on_commit=False) as session:
            recorder = Recorder()
            if write:
                self._local.session = session
                self._local.recorder = recorder
                event.listen(session, "after_flush", lambda s, _ctx: self._note_flush(recorder, s))
            try:
                yield session
                if write:
                    session.flush()
                    if not self.is_sqlite and recorder.ids:
                        # delivered by the server only when this commits, to every desk that listens
                        session.execute(select(func.pg_notify(CHANNEL, recorder.payload(self.desk_id))))
                    # before the commit: a watcher that sees it at once already knows it for this desk's own
                    self.commit_count += 1
                    self.own_audit_ids |= recorder.audit_ids
                    session.commit()
                    self._local.recorder = None
                    self._local.session = None  # a listener that writes opens a transaction of its own
                    self._committed(recorder)
                else:
                    # Detach what was read so that it keeps its loaded values (a rollback would expire them).
                    session.expunge_all()
                    session.rollback()
            except BaseException:
                session.rollback()
                raise
            finally:
                if write:
                    self._local.session = None
                    self._local.recorder = None

    def close(self) -> None:
        self.interrupt_checks()
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that exists but is not an SQLite database (an empty file is a new database)."""
    try:
        header = read_head(path, len(SQLITE_HEADER))
    except IsADirectoryError as exc:
        raise DatabaseOpenError("db.not_sqlite", path=str(path)) from exc
    except OSError as exc:
        raise DatabaseOpenError("db.cannot_open", path=str(path), reason=exc.strerror or str(exc)) from exc
    if header and header != SQLITE_HEADER:
        raise DatabaseOpenError("db.not_sqlite", path=str(path))


def open_database(
    db: str | os.PathLike[str] | None = None, *, create: bool = True, user: str | None = None
) -> Database:
    """Open (and if need be create and migrate) the database named by ``db``.

    ``create=False`` refuses an SQLite file that does not exist instead of making an empty one, as the
    read-only commands want.

    An existing SQLite file gets :func:`check_at_open`, whose cost does not grow with the file.  When opening
    it would write to it (a file in rollback-journal mode is switched to WAL; a file at another schema
    revision is migrated) it gets the full check (:func:`full_check`) first, and the handle owes none;
    otherwise nothing is written at open and the handle's first write runs the full check
    (:meth:`Database.verify`).  A new or empty file owes nothing.
    """
    url = resolve_url(db)
    path = sqlite_path(url)
    verified = True
    if path is None and url.startswith("sqlite"):
        raise DatabaseOpenError("db.memory", url=url)
    if path is not None:
        if path.exists() and not create and path.is_file() and path.stat().st_size == 0:
            # a command that only reads never makes a database of an empty file (a truncated one is named)
            raise DatabaseOpenError("db.empty_file", path=str(path))
        if path.exists():
            check_sqlite_file(path)
            facts = check_at_open(path)
            # A -wal with content (left by a crash, or while another desk has the file open) is written into
            # the file when the last connection closes: the file is checked fully before we hold one.
            if facts is not None and (not facts.wal or facts.revision != SCHEMA_HEAD or not settled(path)):
                detail = full_check(path)
                if detail:
                    raise DatabaseOpenError("db.integrity", path=str(path), detail=detail)
            elif facts is not None:
                verified = False
        elif not create:
            raise DatabaseOpenError("db.missing", path=str(path))
    try:
        migrate(url)
    except DatabaseOpenError:
        raise
    except Exception as exc:  # a driver error: locked, unreadable, unreachable server
        fault = database_fault(exc, path) or sign_in_refusal(exc, url)  # busy, full, a refused sign-in …
        if fault is not None:
            raise fault from exc
        raise DatabaseOpenError("db.cannot_open", path=display_name(url), reason=error_reason(exc)) from exc
    return Database(url, user=user, verified=verified)


# --- integrity ----------------------------------------------------------------------------------------------

HEADER_SIZE = 100
#: Small tables of this program checked with SQLite's quick check at every open (with the schema table).
SMALL_TABLES = ("alembic_version", "app_meta")
#: ``PRAGMA quick_check(TABLE)``, a check bounded to one table and its indexes, came with SQLite 3.33.
TABLE_CHECK = sqlite3.sqlite_version_info >= (3, 33, 0)
_WITHOUT_ROWID = re.compile(r"\bWITHOUT\s+ROWID\b", re.IGNORECASE)


@dataclass(frozen=True)
class OpenFacts:
    """What :func:`check_at_open` learnt of an existing file: whether its header says WAL (opening it then
    writes nothing to it) and the schema revision recorded in it (None: no ``alembic_version``)."""

    wal: bool
    revision: str | None


def header_problem(header: bytes, size: int, *, settled: bool = True) -> str | None:
    """What is wrong with an SQLite file's 100-byte header (None if nothing), by the file format's rules:
    a page size that is a power of two from 512 to 65536; read and write versions 1 (rollback journal) or
    2 (WAL); reserved bytes that leave at least 480 usable bytes a page; the payload fractions 64, 32, 32;
    a schema format from 0 to 4 and a text encoding from 0 to 3.  When the in-header page count is valid
    (offsets 92 and 24 equal) and the file is ``settled`` (no -wal or -journal with content beside it, which
    may hold pages the file does not have yet): the file holds every page it counts, and the first free
    page and the free-page count lie within them.  A larger file is allowed, as SQLite allows it."""
    if len(header) < HEADER_SIZE:
        return messages.text("db.damage.short", needed=HEADER_SIZE, size=size)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if not 512 <= page_size <= 65536 or page_size & (page_size - 1):
        return messages.text("db.damage.page_size", value=page_size)
    expected: dict[int, tuple[int, ...]] = {18: (1, 2), 19: (1, 2), 21: (64,), 22: (32,), 23: (32,)}
    for offset, allowed in expected.items():
        if header[offset] not in allowed:
            return messages.text(
                "db.damage.header_byte",
                offset=offset,
                value=header[offset],
                expected=" / ".join(str(v) for v in allowed),
            )
    if page_size - header[20] < 480:
        return messages.text(
            "db.damage.header_byte", offset=20, value=header[20], expected=f"≤ {page_size - 480}"
        )
    for offset, highest in ((44, 4), (56, 3)):
        value = int.from_bytes(header[offset : offset + 4], "big")
        if value > highest:
            return messages.text("db.damage.header_byte", offset=offset, value=value, expected=f"0–{highest}")
    pages = int.from_bytes(header[28:32], "big")
    if settled and pages and header[92:96] == header[24:28]:
        if pages * page_size > size:
            return messages.text(
                "db.damage.short_pages", pages=pages, page_size=page_size, needed=pages * page_size, size=size
            )
        free, first_free = int.from_bytes(header[36:40], "big"), int.from_bytes(header[32:36], "big")
        if free > pages:
            return messages.text("db.damage.free_pages", free=free, pages=pages)
        if first_free > pages:
            return messages.text("db.damage.header_byte", offset=32, value=first_free, expected=f"≤ {pages}")
    return None


def recover_hot_journal(path: Path) -> None:
    """A non-empty -journal beside the file: a transaction a crash interrupted (a hot journal).  SQLite rolls it
    back on the first read of a connection that may write, as its own recovery; a read-only connection cannot
    and would call the file read-only.  So such a file is read once read-write (SQLite then restores the
    pages the transaction had changed) before it is checked."""
    journal = Path(str(path) + "-journal")
    try:
        if journal.stat().st_size == 0:
            return
    except OSError:
        return
    with contextlib.suppress(sqlite3.Error):
        conn = connect_sqlite(read_only_uri(path, "rw"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        finally:
            conn.close()


def settled(path: Path) -> bool:
    """No -wal or -journal with content beside the file: the file alone holds the database."""
    for suffix in ("-wal", "-journal"):
        with contextlib.suppress(OSError):
            if os.stat(str(path) + suffix).st_size > 0:
                return False
    return True


def _failure(exc: BaseException, path: Path) -> DatabaseOpenError:
    """An error met while checking ``path``: a fault (busy, read-only, a full disk) named as such, damage
    only when SQLite says so, anything else as a file that cannot be opened."""
    fault = database_fault(exc, path)
    if fault is not None:
        return fault
    if isinstance(exc, sqlite3.Error) and is_damage(exc):
        return DatabaseOpenError("db.integrity", path=str(path), detail=error_reason(exc))
    return DatabaseOpenError("db.cannot_open", path=str(path), reason=error_reason(exc))


def check_at_open(path: Path) -> OpenFacts | None:
    """Refuse, before anything writes to it, a file whose damage a check of constant cost can see; None for
    an empty file (a new database).

    What it reads does not grow with the file: the header (:func:`header_problem`); the schema table
    (reading it parses every CREATE statement: a garbled one is damage), every table's and index's root
    page within the file and the free-page count within the page count; SQLite's quick check of the schema
    table and of :data:`SMALL_TABLES` (``PRAGMA quick_check(TABLE)``, from SQLite 3.33: partial, it skips the
    free list and the page accounting of the whole file); and the first and last row of every table, which
    reads each table's b-tree from its root to its first and its last leaf (so the file's last pages and
    their parents).  Damage in the middle of a large table is the full check's (:func:`full_check`).
    A file that cannot be read for another reason (read-only, a full disk, held by another program) is
    refused with that fault's own message, as before."""
    for attempt in range(3):
        try:
            # The header before the size: another desk's checkpoint may grow the file between the two reads
            # (never shrink it), and a header read after the size could count pages the size did not see.
            header = read_head(path, HEADER_SIZE)
            size = path.stat().st_size
        except IsADirectoryError as exc:
            raise DatabaseOpenError("db.not_sqlite", path=str(path)) from exc
        except OSError as exc:
            raise database_fault(exc, path) or DatabaseOpenError(
                "db.cannot_open", path=str(path), reason=exc.strerror or str(exc)
            ) from exc
        if size == 0:
            return None
        if not header.startswith(SQLITE_HEADER):
            raise DatabaseOpenError("db.not_sqlite", path=str(path))
        problem = header_problem(header, size, settled=settled(path))
        if not problem:
            break
        if attempt < 2:  # a file another process is writing: look again before calling it damaged
            time.sleep(0.05)
    if problem:
        raise DatabaseOpenError("db.integrity", path=str(path), detail=problem)
    recover_hot_journal(path)
    try:
        conn = connect_sqlite(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            problem, revision = _bounded_checks(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _failure(exc, path) from exc
    if problem:
        raise DatabaseOpenError("db.integrity", path=str(path), detail=problem)
    return OpenFacts(wal=header[18] == 2 and header[19] == 2, revision=revision)


def _bounded_checks(conn: sqlite3.Connection) -> tuple[str | None, str | None]:
    """The checks of :func:`check_at_open` that go through SQLite: what is wrong (None if nothing), and the
    schema revision."""
    objects = conn.execute("SELECT type, name, rootpage, sql FROM sqlite_master").fetchall()
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    free = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
    if free > pages:
        return messages.text("db.damage.free_pages", free=free, pages=pages), None
    for kind, name, root, _sql in objects:
        if kind in ("table", "index") and root and not 0 < int(root) <= pages:
            return messages.text("db.damage.root_page", name=name, page=root, pages=pages), None
    names = {str(name) for kind, name, _root, _sql in objects if kind == "table"}
    if TABLE_CHECK:
        for table in ("sqlite_master", *(t for t in SMALL_TABLES if t in names)):
            result = [str(row[0]) for row in conn.execute(f'PRAGMA quick_check("{table}")')]
            if result != ["ok"]:
                return integrity_detail(result), None
    for kind, name, root, sql in objects:
        if (
            kind == "table"
            and root
            and not str(name).startswith("sqlite_")
            and not _WITHOUT_ROWID.search(sql or "")
        ):
            quoted = str(name).replace('"', '""')
            for order in ("", " DESC"):
                conn.execute(f'SELECT rowid FROM "{quoted}" ORDER BY rowid{order} LIMIT 1').fetchall()
    revision = None
    if "alembic_version" in names:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = str(row[0]) if row else None
    return None, revision


def integrity_detail(rows: list[str]) -> str:
    """The first problems SQLite's integrity check names, on one short line."""
    lines = [line for row in rows for line in str(row).splitlines() if line and not line.startswith("***")]
    text = messages.join_clauses(lines[:3])
    return text if len(text) <= 200 else text[:197] + "…"


def full_check(path: Path, *, running: set[sqlite3.Connection] | None = None) -> str:
    """SQLite's quick check (``PRAGMA quick_check``) over the whole file ``path`` on a read-only connection
    of its own: every page of every b-tree, the free list, every page used once, and each row's NOT NULL and
    CHECK constraints (what it skips, that every index holds every row and UNIQUE holds, is the slower
    ``integrity_check`` that a restore runs on its backup).  Returns "" when the file is sound, else what
    is wrong on one line.  Its cost grows with the file (0.1 to 0.35 s for 60 MB, by the machine), so it
    runs where nobody waits: see the module's docstring.

    A file that cannot be read for another reason (read-only, a full disk, held by another program) raises
    that fault (DatabaseOpenError); so does an interrupted check (``running``: a set that holds the
    connection while it checks, for :meth:`Database.interrupt_checks`)."""
    try:
        if path.stat().st_size == 0:
            return ""
        conn = connect_sqlite(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        if running is not None:
            running.add(conn)
        try:
            result = [str(row[0]) for row in conn.execute("PRAGMA quick_check(5)")]
        finally:
            if running is not None:
                running.discard(conn)
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        if isinstance(exc, sqlite3.Error) and is_damage(exc) and database_fault(exc, path) is None:
            return error_reason(exc)
        raise _failure(exc, path) from exc
    return "" if result == ["ok"] else integrity_detail(result)


def table_counts(db: Database) -> dict[str, int]:
    """Rows in each data table."""
    from recuperation.models import DATA_TABLES

    with db.engine.connect() as conn:
        return {
            str(model.__tablename__): int(conn.execute(select(func.count()).select_from(model)).scalar_one())
            for model in DATA_TABLES
        }
