"""The open database: how it is opened (checked, then migrated) and how its transactions run.

One function, :func:`open_database`, gives a :class:`Database` for a file path or a SQLAlchemy URL: by
default an SQLite file in the user's data folder, else ``--db`` or ``RECUPERATION_DB``.  SQLite runs with
WAL, foreign keys and a busy timeout; write transactions start with ``BEGIN IMMEDIATE`` so that two desks
never both read the same free beds and then both write.  Alembic brings the schema to the current revision
at every open, after a timestamped backup copy whenever a migration is about to change an existing file.

Nothing here uses SQL that only SQLite understands except behind an ``is_sqlite`` test: the same code runs
on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select
from sqlmodel import Session

from recuperation import messages
from recuperation.changes import CHANNEL, Change, Recorder, everything_payload, new_desk_id, written_table
from recuperation.errors import DatabaseOpenError
from recuperation.storage.engine import BUSY_TIMEOUT_MS, create_db_engine
from recuperation.storage.faults import database_fault, error_reason, is_damage
from recuperation.storage.paths import desk_user, display_name, read_only_uri, resolve_url, sqlite_path
from recuperation.storage.schema import migrate

log = logging.getLogger(__name__)


SQLITE_HEADER = b"SQLite format 3\x00"


class Database:
    """An open database: its URL, its engine and the desk user recorded in the audit log."""

    def __init__(self, url: str, *, user: str | None = None):
        self.url = url
        self._local = threading.local()  # the write transaction in progress on each thread, if any
        self.engine = create_db_engine(url)
        # Write transactions take the write lock at BEGIN on SQLite: checks made inside them stay true.
        self._write_engine = self.engine.execution_options(immediate=True)
        self.user = user or desk_user()
        #: Who this desk is in change notifications (other desks skip their own).
        self.desk_id = new_desk_id()
        #: Write transactions committed by this handle, and the audit entries they wrote: a watcher on an
        #: SQLite file tells this process's commits from other processes' by them.
        self.commit_count = 0
        self.own_audit_ids: set[int] = set()
        self._listeners: list[Callable[[Change], None]] = []
        event.listen(self.engine, "before_cursor_execute", self._note_statement)

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
        """
        outer: Session | None = getattr(self._local, "session", None)
        if outer is not None:
            yield outer
            return
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
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that exists but is not an SQLite database (an empty file is a new database)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
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
    """
    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None:
        if path.exists():
            check_sqlite_file(path)
            check_integrity(path)
        elif not create:
            raise DatabaseOpenError("db.missing", path=str(path))
    try:
        migrate(url)
    except DatabaseOpenError:
        raise
    except Exception as exc:  # a driver error: locked, unreadable, unreachable server
        fault = database_fault(exc, path)  # busy, read-only, disk full: named as such
        if fault is not None:
            raise fault from exc
        raise DatabaseOpenError("db.cannot_open", path=display_name(url), reason=error_reason(exc)) from exc
    return Database(url, user=user)


def check_integrity(path: Path) -> None:
    """Refuse, before anything writes to it, a file that fails SQLite's quick check.

    Only SQLite saying the file is damaged is called damage: a file that cannot be read because it is
    read-only, on a full disk or held by another program is refused with that fault's own message.
    """
    if path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            result = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        fault = database_fault(exc, path)
        if fault is not None:
            raise fault from exc
        if is_damage(exc):
            raise DatabaseOpenError("db.integrity", path=str(path), detail=str(exc)) from exc
        raise DatabaseOpenError("db.cannot_open", path=str(path), reason=str(exc)) from exc
    if result != ["ok"]:
        raise DatabaseOpenError("db.integrity", path=str(path), detail=messages.join_clauses(list(result)))


def table_counts(db: Database) -> dict[str, int]:
    """Rows in each data table."""
    from recuperation.models import DATA_TABLES

    with db.engine.connect() as conn:
        return {
            str(model.__tablename__): int(conn.execute(select(func.count()).select_from(model)).scalar_one())
            for model in DATA_TABLES
        }
