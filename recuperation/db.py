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
import getpass
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, column, create_engine, delete, event, func, insert, inspect, select, table
from sqlalchemy.engine import make_url
from sqlmodel import Session

from recuperation import APP_NAME, __version__
from recuperation.errors import DatabaseOpenError

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
        return create_engine(url, pool_pre_ping=True, connect_args=connect_args)

    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.touch()
            _private_file(path)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})

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

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def name(self) -> str:
        return display_name(self.url)

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
            if write:
                self._local.session = session
            try:
                yield session
                if write:
                    session.commit()
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
        raise DatabaseOpenError("db.cannot_open", path=display_name(url), reason=_reason(exc)) from exc
    return Database(url, user=user)


def check_integrity(path: Path) -> None:
    """Refuse, before anything writes to it, a file that fails SQLite's quick check."""
    if path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            result = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError("db.integrity", path=str(path), detail=str(exc)) from exc
    if result != ["ok"]:
        raise DatabaseOpenError("db.integrity", path=str(path), detail="；".join(result))


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]


# --- backups ----------------------------------------------------------------------------------------------


def backup_dir(path: Path) -> Path:
    folder = path.parent / f"{path.stem}-backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def backup_file_name(path: Path, reason: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return backup_dir(path) / f"{path.stem}-{stamp}-{reason}.db"


def sqlite_backup(source: Path, destination: Path) -> Path:
    """A consistent copy of ``source`` made with SQLite's online backup, safe while desks write to it."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".part")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(tmp, destination)
    _private_file(destination)
    return destination


@dataclass(frozen=True)
class RestoreReport:
    source: Path
    saved_copy: Path
    taken: dt.datetime  # when the backup file was written
    batches: int
    participants: int
    partners: int


def restore(db: Database, source: Path) -> RestoreReport:
    """Replace the SQLite database of ``db`` by the backup ``source``.

    The backup must be a database of this program at a schema this program knows (it is upgraded if
    older); the database it replaces is first kept as a backup copy.  ``db`` must not be used afterwards;
    open the database again.
    """
    target = db.path
    if target is None:
        raise DatabaseOpenError("db.backup_unsupported", url=db.name)
    source = source.expanduser().resolve()
    if not source.exists():
        raise DatabaseOpenError("db.restore_missing", path=str(source))
    if source == target.resolve():
        raise DatabaseOpenError("db.restore_same", path=str(source))
    check_sqlite_file(source)
    probe = create_db_engine("sqlite:///" + str(source))
    try:
        with probe.connect() as conn:
            revision, state = schema_state(conn)
    except Exception as exc:
        raise DatabaseOpenError("db.not_sqlite", path=str(source)) from exc
    finally:
        probe.dispose()
    if revision is None:  # empty, or another program's file
        raise DatabaseOpenError("db.not_ours", path=str(source), table="alembic_version")
    if state == "newer":
        raise DatabaseOpenError("db.newer_schema", path=str(source), revision=revision, version=__version__)

    saved = sqlite_backup(target, backup_file_name(target, "before-restore"))
    db.close()
    # Copy page by page into the live file through SQLite, so its WAL and locks stay coherent.
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    migrate(db.url)
    restored = Database(db.url, user=db.user)
    try:
        counts = table_counts(restored)
    finally:
        restored.close()
    taken = dt.datetime.fromtimestamp(source.stat().st_mtime).replace(microsecond=0)
    return RestoreReport(source, saved, taken, counts["batch"], counts["participant"], counts["partner"])


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
