"""SQLAlchemy engines: SQLite with WAL, foreign keys, a busy timeout and explicit BEGIN; a server with a
connect timeout.  And the plain sqlite3 reader that backups and checks use."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from recuperation import APP_NAME
from recuperation.storage.files import FileKey, private_file, sqlite_closed, sqlite_opened
from recuperation.storage.paths import read_only_uri, sqlite_path

BUSY_TIMEOUT_MS = 15_000


class CountedConnection(sqlite3.Connection):
    """An sqlite3 connection counted, while it is open, among this process's connections to its file, so
    that reading the file's bytes never releases its locks (``storage.files``: closing any descriptor of a
    file drops every POSIX lock the process holds on it)."""

    _file: FileKey | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        row = self.execute("PRAGMA database_list").fetchone()
        if row is not None and row[2]:
            self._file = sqlite_opened(row[2])

    def close(self) -> None:
        try:
            super().close()
        finally:
            key, self._file = self._file, None
            if key is not None:
                sqlite_closed(key)


def connect_sqlite(database: str | Path, **kwargs: Any) -> sqlite3.Connection:
    """``sqlite3.connect`` for every connection the program opens to a database file (see
    :class:`CountedConnection`)."""
    return sqlite3.connect(database, factory=CountedConnection, **kwargs)


def open_reader(path: Path) -> sqlite3.Connection:
    """A connection that reads the database ``path``.  It is opened read-write when the file allows it,
    only so that, being the last to close, it removes the -wal and -shm files as SQLite does; a read-only
    connection would leave them beside the database."""
    try:
        return connect_sqlite(read_only_uri(path, "rw"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return connect_sqlite(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)


SERVER_CONNECT_TIMEOUT_S = 10


def create_db_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """An engine for ``url``; for SQLite with WAL, foreign keys, a busy timeout and explicit BEGIN.

    A server connection gives up after 10 s instead of hanging the desk on an unreachable host, and each
    transaction runs at READ COMMITTED: the capacity and quota checks take row locks
    (``services.batch.batches.lock_for_booking``) and stale edits are caught by the version in the UPDATE.
    """
    if not url.startswith("sqlite"):
        connect_args: dict[str, Any] = {}
        if make_url(url).get_backend_name() == "postgresql":
            connect_args = {"connect_timeout": SERVER_CONNECT_TIMEOUT_S, "application_name": APP_NAME}
        return create_engine(url, pool_pre_ping=True, connect_args=connect_args, hide_parameters=True)

    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.touch()
            private_file(path)
    engine = create_engine(
        url,
        connect_args={
            "timeout": BUSY_TIMEOUT_MS / 1000,
            "check_same_thread": False,
            "factory": CountedConnection,
        },
        hide_parameters=True,  # a failed statement's text never carries a row's values (names, ID numbers)
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN and skips it for some statements; take it over
        # so that SQLAlchemy's transactions are the database's transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        if path is not None:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
