"""The database: where it lives, how it is opened, migrated, backed up and restored.

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
import datetime as dt
import errno
import functools
import getpass
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, column, create_engine, delete, event, func, insert, inspect, select, table
from sqlalchemy.engine import make_url
from sqlmodel import Session

from recuperation import APP_NAME, __version__, messages
from recuperation.changes import CHANNEL, Change, Recorder, everything_payload, new_desk_id, written_table
from recuperation.errors import DatabaseOpenError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000


def data_dir() -> Path:
    """The user's data folder (``RECUPERATION_DATA_DIR`` overrides it, as the tests do)."""
    override = os.environ.get("RECUPERATION_DATA_DIR")
    path = Path(override) if override else platformdirs.user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    override = os.environ.get("RECUPERATION_DATA_DIR")
    path = Path(override) / "logs" if override else platformdirs.user_log_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "recuperation.db"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL for ``db`` (a path or a URL), else ``RECUPERATION_DB``, else the default file."""
    value = os.fspath(db) if db is not None else os.environ.get("RECUPERATION_DB") or ""
    if not value:
        value = os.fspath(default_database_path())
    if "://" in value:
        return value
    return "sqlite:///" + os.path.abspath(os.path.expanduser(value))


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for another database or an in-memory one."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def display_name(url: str) -> str:
    """The database as a person should read it: a file path, or the URL without its password."""
    path = sqlite_path(url)
    return str(path) if path else make_url(url).render_as_string(hide_password=True)


def desk_user() -> str:
    """The name recorded in the audit log for changes made at this desk."""
    name = os.environ.get("RECUPERATION_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account, a container)
        return "desk"


def _private_file(path: Path) -> None:
    """Make a database, backup or log file readable by its owner only (POSIX)."""
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)


# --- faults of the file, named as what they are --------------------------------------------------------

# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26
#: Below this much free space, an I/O error on the disk is taken for a full disk.
NEARLY_FULL_BYTES = 1 << 20


def read_only_reason(path: Path) -> str | None:
    """Why the SQLite file ``path`` cannot be written: "medium" (a read-only mount or write-protected
    medium), "file" (the file itself), "folder" (its folder, where the -wal and -shm files go); None if
    it can.  chmod does not stop root, a read-only mount or ``chattr +i`` does: both are seen here."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    statvfs = getattr(os, "statvfs", None)
    if statvfs is not None:
        with contextlib.suppress(OSError):
            if statvfs(folder).f_flag & os.ST_RDONLY:
                return "medium"
    if path.exists() and not os.access(path, os.W_OK):
        return "file"
    if not os.access(folder, os.W_OK):
        return "folder"
    return None


def _file_size_limit() -> int | None:
    """The largest file this process may write (``ulimit -f``), if one is set."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return None if soft == resource.RLIM_INFINITY else int(soft)


def _nearly_full(path: Path) -> bool:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def database_fault(exc: BaseException, path: Path | None) -> DatabaseOpenError | None:
    """The fault behind a driver or file error on the SQLite file ``path``, named as what it is: another
    desk or program holding the write lock ("db.busy"), a read-only file, folder or medium
    ("db.read_only"), a full disk ("db.disk_full"), a file larger than the file system or a limit set for
    the program allows ("db.file_limit").  None for anything else (damage is not guessed here: only
    SQLite's own checks say a file is damaged)."""
    err: BaseException = exc
    orig = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's error
    if isinstance(orig, BaseException):
        err = orig
    where = str(path) if path is not None else ""

    def read_only(reason: str | None) -> DatabaseOpenError:
        return DatabaseOpenError(
            "db.read_only", path=where, where=messages.text(f"db.read_only.{reason or 'unknown'}")
        )

    def disk_full(detail: str) -> DatabaseOpenError:
        return DatabaseOpenError("db.disk_full", path=where, detail=detail)

    def file_limit(detail: str) -> DatabaseOpenError:
        return DatabaseOpenError("db.file_limit", path=where, detail=detail)

    if isinstance(err, OSError):
        if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return disk_full(err.strerror or str(err))
        if err.errno == errno.EFBIG:
            return file_limit(err.strerror or str(err))
        if err.errno == errno.EROFS:
            return read_only("medium")
        if err.errno in (errno.EACCES, errno.EPERM) and path is not None:
            reason = read_only_reason(path)
            return read_only(reason) if reason else None
        return None
    if not isinstance(err, sqlite3.Error):
        return None
    code = getattr(err, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(err).lower()
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text or "table is locked" in text:
        return DatabaseOpenError("db.busy", path=where, seconds=BUSY_TIMEOUT_MS // 1000)
    if primary == _SQLITE_FULL or "database or disk is full" in text:
        return disk_full(str(err))
    if primary == _SQLITE_READONLY or "readonly database" in text:
        return read_only(read_only_reason(path) if path is not None else None)
    io_error = (
        primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN) or "disk i/o error" in text or "unable to open" in text
    )
    if path is not None and io_error:
        reason = read_only_reason(path)
        if reason:
            return read_only(reason)
        if _nearly_full(path):
            return disk_full(str(err))
        limit = _file_size_limit()
        if limit is not None and primary == _SQLITE_IOERR:  # SQLite reports EFBIG as a write error
            return file_limit(messages.text("db.file_limit.ulimit", limit=limit))
    return None


def _is_damage(exc: sqlite3.Error) -> bool:
    """SQLite says the file itself is damaged or not a database (not that it cannot get at it)."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    return primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text or "not a database" in text


def read_only_uri(path: Path, mode: str = "ro") -> str:
    """A URI that opens ``path`` read-only (or ``mode`` "rw": read-write, never created), whatever
    characters its name holds (spaces, #, ?, %)."""
    return Path(os.path.abspath(path)).as_uri() + f"?mode={mode}"


def _reader(path: Path) -> sqlite3.Connection:
    """A connection that reads the database ``path``.  It is opened read-write when the file allows it,
    only so that, being the last to close, it removes the -wal and -shm files as SQLite does; a read-only
    connection would leave them beside the database."""
    try:
        return sqlite3.connect(read_only_uri(path, "rw"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)


SERVER_CONNECT_TIMEOUT_S = 10


def create_db_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """An engine for ``url``; for SQLite with WAL, foreign keys, a busy timeout and explicit BEGIN.

    A server connection gives up after 10 s instead of hanging the desk on an unreachable host, and each
    transaction runs at READ COMMITTED: the capacity and quota checks take row locks
    (``services.batches.lock_for_booking``) and stale edits are caught by the version in the UPDATE.
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
            _private_file(path)
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
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


# --- migrations -------------------------------------------------------------------------------------------


def _script_location() -> str:
    return str(resources.files("recuperation") / "migrations")


#: The newest migration in recuperation/migrations/versions (a test keeps it equal to Alembic's head).  A
#: database already at it opens without loading Alembic at all, which keeps it out of the desk's start-up.
SCHEMA_HEAD = "0002"


def alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", _script_location())
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return _revision(conn)


def _revision(conn: Any) -> str | None:
    """The schema revision recorded in ``alembic_version``, read with plain SQL (None: no such table)."""
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    rows = conn.execute(select(column("version_num")).select_from(table("alembic_version"))).scalars().all()
    return str(rows[0]) if rows else None


def schema_state(conn: Any) -> tuple[str | None, str]:
    """The recorded revision and what it means here: "empty" (to be set up), "current", "older" (to be
    migrated), "newer" (a newer program's: refused), or "not_ours" (tables of something else: refused).
    A database at :data:`SCHEMA_HEAD` is "current" without loading Alembic."""
    revision = _revision(conn)
    if revision is None:
        return None, ("not_ours" if inspect(conn).get_table_names() else "empty")
    if revision == SCHEMA_HEAD:
        return revision, "current"
    if revision not in known_revisions():
        return revision, "newer"
    return revision, ("current" if revision == head_revision() else "older")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` in one transaction (one per step on PostgreSQL too)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn = conn.execution_options(immediate=True)
        from alembic import command

        cfg = alembic_config(conn)
        command.upgrade(cfg, revision)
        if "app_meta" in inspect(conn).get_table_names():
            # Record, in the same transaction, which program brought the database to this schema.
            meta = table("app_meta", column("key"), column("value"))
            conn.execute(delete(meta).where(meta.c.key == "last_migrated_by"))
            conn.execute(insert(meta).values(key="last_migrated_by", value=__version__))
        conn.commit()


@dataclass(frozen=True)
class MigrationReport:
    before: str | None
    after: str
    backup: Path | None


def migrate(url: str) -> MigrationReport:
    """Bring the database at ``url`` to the current schema, backing up an existing SQLite file first.

    Refuses (DatabaseOpenError) a database that is not one of this program's or that a newer program
    has migrated to a revision this one does not know.
    """
    path = sqlite_path(url)
    # Migrations copy tables on SQLite (batch mode); foreign keys stay off while they run and are checked
    # before the migration commits (see migrations/env.py).
    engine = create_db_engine(url, foreign_keys=False)
    try:
        with engine.connect() as conn:
            before, state = schema_state(conn)
        if state == "newer":
            raise DatabaseOpenError(
                "db.newer_schema", path=display_name(url), revision=before, version=__version__
            )
        if state == "not_ours":
            raise DatabaseOpenError("db.not_ours", path=display_name(url), table="alembic_version")
        if state == "current":
            assert before is not None
            return MigrationReport(before, before, None)
        head = head_revision()
        backup_path = None
        if before is not None and path is not None:
            backup_path = backup_file_name(path, "pre-migration")
            sqlite_backup(path, backup_path)
        upgrade(engine)
        return MigrationReport(before, head, backup_path)
    finally:
        engine.dispose()


# --- connections to a server ------------------------------------------------------------------------------


def server_url(host: str, port: int, database: str, user: str, password: str = "") -> str:
    """A PostgreSQL URL for psycopg, with every part escaped (a password may hold @, / or :)."""
    from sqlalchemy.engine import URL

    url = URL.create(
        "postgresql+psycopg",
        username=user or None,
        password=password or None,
        host=host or None,
        port=port or None,
        database=database or None,
    )
    return url.render_as_string(hide_password=False)


@dataclass(frozen=True)
class Probe:
    """What a connection test found: the server, and the state of our schema there."""

    server: str
    state: str  # "empty" (will be set up), "current", "older" (will be migrated), "newer", "not_ours"
    batches: int | None


def probe(db: str) -> Probe:
    """Connect to ``db`` without changing anything and say what is there (DatabaseOpenError if unreachable)."""
    url = resolve_url(db)
    engine = create_db_engine(url) if sqlite_path(url) is None else None
    if engine is None:
        raise DatabaseOpenError("db.probe_file", path=display_name(url))
    try:
        with engine.connect() as conn:
            version = str(conn.exec_driver_sql("SELECT version()").scalar_one()).split(",")[0]
            _revision_found, state = schema_state(conn)
            batches = None
            if state in ("current", "older"):
                batches = int(conn.exec_driver_sql("SELECT count(*) FROM batch").scalar_one())
    except DatabaseOpenError:
        raise
    except Exception as exc:
        raise DatabaseOpenError("db.cannot_open", path=display_name(url), reason=_reason(exc)) from exc
    finally:
        engine.dispose()
    return Probe(version, state, batches)


# --- the database object ----------------------------------------------------------------------------------


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
        raise DatabaseOpenError("db.cannot_open", path=display_name(url), reason=_reason(exc)) from exc
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
        if _is_damage(exc):
            raise DatabaseOpenError("db.integrity", path=str(path), detail=str(exc)) from exc
        raise DatabaseOpenError("db.cannot_open", path=str(path), reason=str(exc)) from exc
    if result != ["ok"]:
        raise DatabaseOpenError("db.integrity", path=str(path), detail=messages.join_clauses(list(result)))


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]


# --- backups ----------------------------------------------------------------------------------------------


def private_folder(folder: Path) -> Path:
    """Create ``folder`` (and its missing parents) readable, writable and listable by the owner only,
    whatever the umask: a backup in a folder others may write could be replaced by anyone."""
    missing = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for each in reversed(missing):
        with contextlib.suppress(FileExistsError):
            each.mkdir(mode=0o700)
            if os.name == "posix":
                os.chmod(each, 0o700)  # mkdir's mode is masked by the umask
    return folder


def backup_dir(path: Path) -> Path:
    return private_folder(path.parent / f"{path.stem}-backups")


def backup_file_name(path: Path, reason: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return backup_dir(path) / f"{path.stem}-{stamp}-{reason}.db"


# Temporary files of backups and restores end in ".part".  Each is created readable by its owner only from
# its first byte (SQLite gives its journal the same mode) and, while it is written, its writer holds a lock
# on it (flock), so that a leftover of a killed process (unlocked) is told from one being written.
PART_SUFFIX = ".part"
_COMPANIONS = ("-journal", "-wal", "-shm")


def _lock_part(fd: int) -> bool:
    if fcntl is None:  # Windows: a file open in another process cannot be removed anyway
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _remove_files(path: Path) -> None:
    """``path`` and the journal, WAL and shared-memory files SQLite may have left beside it."""
    for name in (str(path), *(str(path) + suffix for suffix in _COMPANIONS)):
        with contextlib.suppress(OSError):
            os.unlink(name)


def remove_stale_part(path: Path) -> bool:
    """Remove the temporary file ``path`` (and its journal) unless a process is still writing it.
    True when it is gone."""
    if fcntl is None:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError:  # still open in the process writing it
            return False
        _remove_files(path)
        return True
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        if not _lock_part(fd):
            return False  # a backup or restore is writing it now
        try:
            if os.fstat(fd).st_ino != os.stat(path).st_ino:
                return False  # replaced meanwhile by a new one
        except FileNotFoundError:
            return True
        _remove_files(path)
    finally:
        os.close(fd)
    return not path.exists()


def _create_part(path: Path) -> int:
    """Create the temporary file ``path``: 0600 from its first byte whatever the umask, locked while the
    returned descriptor is open.  A leftover of a killed process is replaced; one that another process is
    still writing raises FileExistsError."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _attempt in range(3):
        try:
            fd = os.open(path, flags, 0o600)
        except FileExistsError:
            if not remove_stale_part(path):
                raise
            continue
        if not _lock_part(fd):  # pragma: no cover - a file made a moment ago with O_EXCL
            os.close(fd)
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        for suffix in _COMPANIONS:  # an older process's journal of a file of this name is not ours to use
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(path) + suffix)
        return fd
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _copy_fault(exc: BaseException, source: Path, destination: Path) -> DatabaseOpenError | None:
    """A copy's fault, named after the file it concerns: a full disk or a read-only folder is the
    destination's; another desk holding the database, or an unreadable source, is the source's."""
    fault = database_fault(exc, destination)
    if fault is None or fault.key == "db.busy":
        fault = database_fault(exc, source) or fault
    return fault


def sqlite_backup(
    source: Path,
    destination: Path,
    *,
    pages: int = -1,
    progress: Callable[[int, int, int], object] | None = None,
) -> Path:
    """A consistent copy of ``source`` made with SQLite's online backup, safe while desks write to it.

    It is written into ``<destination>.part``, readable by its owner only from its first byte (and so is
    its journal: SQLite gives a journal the mode of its database), and renamed into place when complete.
    On any failure (a full disk, say) the temporary file and its journal are removed; a full disk, a
    read-only folder or a busy database raise their own DatabaseOpenError.  ``pages`` and ``progress`` go
    to :meth:`sqlite3.Connection.backup` (the default copies everything in one step, one snapshot).
    """
    tmp = destination.with_name(destination.name + PART_SUFFIX)
    try:
        private_folder(destination.parent)
        lock = _create_part(tmp)
    except FileExistsError as exc:
        raise DatabaseOpenError("db.part_in_use", path=str(tmp)) from exc
    except OSError as exc:
        fault = database_fault(exc, destination)
        if fault is not None:
            raise fault from exc
        raise
    try:
        src = _reader(source)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst, pages=pages, progress=progress)
                dst.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(tmp, destination)
    except BaseException as exc:
        os.close(lock)  # first: Windows removes no file that is open
        lock = -1
        _remove_files(tmp)
        if isinstance(exc, sqlite3.Error | OSError):
            fault = _copy_fault(exc, source, destination)
            if fault is not None:
                raise fault from exc
        raise
    finally:
        if lock >= 0:
            os.close(lock)
    _fsync_dir(destination.parent)
    _private_file(destination)
    return destination


def backup_to(db: Database, output: Path) -> Path:
    """A consistent copy of ``db`` at ``output`` (a file, or a folder for a dated name in it), for the CLI
    and the desktop alike: refused for a server database (its server backs it up) and onto the live file
    itself; returns where the copy is."""
    if db.path is None:
        raise DatabaseOpenError("db.backup_unsupported", url=db.name)
    target = output.expanduser().resolve()
    if target == db.path.resolve():
        raise DatabaseOpenError("db.restore_same", path=str(target))
    if target.is_dir():
        target = target / backup_file_name(db.path, "manual").name
    sqlite_backup(db.path, target)
    return target


def clean_stale_parts(path: Path) -> list[Path]:
    """Remove what killed backups and restores of the database ``path`` left behind (``*.part`` files in
    its backup folder, its own ``.restore.part`` beside it, and their journals), except files a live
    process is still writing.  Run at every start of the desktop."""
    folder = backup_dir(path)
    parts = [*folder.glob("*" + PART_SUFFIX), path.with_name(path.name + ".restore" + PART_SUFFIX)]
    removed = [part for part in parts if part.exists() and remove_stale_part(part)]
    for companion in [*folder.glob(f"*{PART_SUFFIX}-*"), *path.parent.glob(f"{path.name}.restore.part-*")]:
        owner = Path(str(companion).rsplit("-", 1)[0])
        if not owner.exists():  # the journal of a part already gone
            with contextlib.suppress(OSError):
                companion.unlink()
                removed.append(companion)
    return removed


# --- restore ----------------------------------------------------------------------------------------------


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
    if status in (_SQLITE_BUSY, _SQLITE_LOCKED):
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
        handle = source.open("rb")
    except OSError as exc:
        raise DatabaseOpenError(
            "db.restore_unreadable_file", path=str(source), reason=exc.strerror or str(exc)
        ) from exc
    with handle:
        while True:
            try:
                chunk = handle.read(1 << 20)
            except OSError as exc:
                raise DatabaseOpenError(
                    "db.restore_unreadable_file", path=str(source), reason=exc.strerror or str(exc)
                ) from exc
            if not chunk:
                return
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]  # a full disk raises OSError(ENOSPC) here


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
            with part.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
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
        conn = sqlite3.connect(path)
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
        conn = sqlite3.connect(part, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE").fetchall()  # folds in a -wal, rolls back a -journal
            result = [str(row[0]) for row in conn.execute("PRAGMA integrity_check(20)")]
            if result != ["ok"]:
                raise DatabaseOpenError("db.restore_damaged", path=name, detail=_integrity_detail(result))
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        fault = database_fault(exc, target)
        if fault is not None and fault.key == "db.disk_full":
            raise fault from exc
        if "not a database" in str(exc):
            raise DatabaseOpenError("db.restore_not_sqlite", path=name) from exc
        raise DatabaseOpenError("db.restore_damaged", path=name, detail=_reason(exc)) from exc
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
                    "db.restore_migration", path=name, revision=revision, detail=_reason(exc)
                ) from exc
            migrated_from = revision
        raw = sqlite3.connect(part)
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
                        "db.restore_unreadable", path=name, table=tbl.name, detail=_reason(exc)
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
        raise DatabaseOpenError("db.restore_damaged", path=name, detail=_reason(exc)) from exc
    finally:
        engine.dispose()
    return _BackupFacts(counts, newest, migrated_from)


def _live_state(target: Path) -> tuple[str, str, int | None]:
    """The database a restore replaces: "missing" (no file, or an empty one), "healthy" (it passes SQLite's
    quick check; with its page size) or "damaged" (with what is wrong).  A file that cannot be read for
    another reason (read-only, busy, a full disk) raises that fault."""
    try:
        if target.stat().st_size == 0:
            return "missing", "", None
        with target.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return "missing", "", None
    except OSError as exc:
        raise database_fault(exc, target) or DatabaseOpenError(
            "db.cannot_open", path=str(target), reason=exc.strerror or str(exc)
        ) from exc
    if header != SQLITE_HEADER:
        return "damaged", messages.text("db.not_sqlite_detail"), None
    try:
        conn = _reader(target)
        try:
            result = [str(row[0]) for row in conn.execute("PRAGMA quick_check(5)")]
            page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as exc:
        fault = database_fault(exc, target)
        if fault is not None:
            raise fault from exc
        if _is_damage(exc):
            return "damaged", _reason(exc), None
        raise DatabaseOpenError("db.cannot_open", path=str(target), reason=_reason(exc)) from exc
    if result != ["ok"]:
        return "damaged", _integrity_detail(result), None
    return "healthy", "", page_size


def _seal_private_copy(part: Path, page_size: int | None) -> None:
    """The verified copy as one self-contained file (no -wal), with the live file's page size (SQLite
    copies into a WAL database only between equal page sizes), on disk."""
    conn = sqlite3.connect(part, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE").fetchall()
        if page_size and int(conn.execute("PRAGMA page_size").fetchone()[0]) != page_size:
            conn.execute(f"PRAGMA page_size = {int(page_size)}")
            conn.execute("VACUUM")
    finally:
        conn.close()
    for suffix in _COMPANIONS:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(str(part) + suffix)
    _fsync_file(part)


def _copy_problem(path: Path) -> str:
    """What would make restoring the copy ``path`` refused ("" if nothing): damage, broken references, or
    tables and columns missing at the current schema."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
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
        return _reason(exc)
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
                    return messages.text("db.restore_unreadable_detail", table=tbl.name, detail=_reason(exc))
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
        fd = _create_part(tmp)
        try:
            _copy_into(source, fd)
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            _remove_files(tmp)
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
    live = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
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
        source = sqlite3.connect(read_only_uri(part), uri=True)
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
        with source.open("rb") as handle:
            header = handle.read(100)
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
        lock = _create_part(part)
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
            for suffix in _COMPANIONS:  # the damaged file's -wal must not be replayed into the restored one
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(str(target) + suffix)
            os.replace(part, target)
            os.close(lock)  # before SQLite opens the file: closing a descriptor drops a process's locks
            lock = -1
            _fsync_dir(target.parent)
    except DatabaseOpenError:
        raise
    except _Busy as exc:
        raise DatabaseOpenError("db.busy", path=str(target), seconds=BUSY_TIMEOUT_MS // 1000) from exc
    except Exception as exc:
        fault = database_fault(exc, target)
        if fault is not None:
            raise fault from exc
        raise DatabaseOpenError("db.restore_failed", path=str(source), detail=_reason(exc)) from exc
    finally:
        if lock >= 0:
            os.close(lock)
        _remove_files(part)
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


def table_counts(db: Database) -> dict[str, int]:
    """Rows in each data table."""
    from recuperation.models import DATA_TABLES

    with db.engine.connect() as conn:
        return {
            str(model.__tablename__): int(conn.execute(select(func.count()).select_from(model)).scalar_one())
            for model in DATA_TABLES
        }


DAILY_KEEP_DAYS = 14


def automatic_backup(path: Path, today: dt.date | None = None) -> Path | None:
    """The backup made at every start: one a day, kept for 14 days, then one a month (the first of each month).

    Backups made for other reasons (before a migration, before a restore, by hand) are never removed here.
    Returns the new backup, or None when today's already exists.
    """
    today = today or dt.date.today()
    clean_stale_parts(path)  # what a backup or restore killed half-way left behind
    folder = backup_dir(path)
    target = folder / f"{path.stem}-daily-{today:%Y%m%d}.db"
    made = None
    if not target.exists():
        made = sqlite_backup(path, target)
    dailies: list[tuple[dt.date, Path]] = []
    for file in folder.glob(f"{path.stem}-daily-*.db"):
        try:
            day = dt.datetime.strptime(file.stem.rsplit("-", 1)[1], "%Y%m%d").date()
        except ValueError:
            continue
        dailies.append((day, file))
    kept_months: set[tuple[int, int]] = set()
    for day, file in sorted(dailies):
        if (today - day).days < DAILY_KEEP_DAYS:
            continue
        month = (day.year, day.month)
        if month in kept_months:
            file.unlink(missing_ok=True)
        else:
            kept_months.add(month)  # the earliest daily backup of an older month stays as that month's
    return made
