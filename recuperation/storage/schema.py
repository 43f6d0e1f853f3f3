"""The schema: its Alembic revisions, what a database holds (empty, current, older, newer, not ours) and
the migration that brings it to the current revision after a backup copy."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, column, create_engine, delete, insert, inspect, select, table, text
from sqlalchemy.pool import NullPool

from recuperation import __version__
from recuperation.errors import DatabaseOpenError
from recuperation.storage.backups import backup_file_name, sqlite_backup
from recuperation.storage.engine import connect_sqlite, create_db_engine
from recuperation.storage.paths import display_name, read_only_uri, sqlite_path


def script_location() -> str:
    return str(resources.files("recuperation") / "migrations")


#: The newest migration in recuperation/migrations/versions (a test keeps it equal to Alembic's head).  A
#: database already at it opens without loading Alembic at all, which keeps it out of the desk's start-up.
SCHEMA_HEAD = "0009"


def alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", script_location())
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
        return recorded_revision(conn)


def recorded_revision(conn: Any) -> str | None:
    """The schema revision recorded in ``alembic_version``, read with plain SQL (None: no such table)."""
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    rows = conn.execute(select(column("version_num")).select_from(table("alembic_version"))).scalars().all()
    return str(rows[0]) if rows else None


def schema_state(conn: Any) -> tuple[str | None, str]:
    """The recorded revision and what it means here: "empty" (to be set up), "current", "older" (to be
    migrated), "newer" (a newer program's: refused), or "not_ours" (tables of something else: refused).
    A database at :data:`SCHEMA_HEAD` is "current" without loading Alembic."""
    revision = recorded_revision(conn)
    if revision is None:
        return None, ("not_ours" if inspect(conn).get_table_names() else "empty")
    if revision == SCHEMA_HEAD:
        return revision, "current"
    if revision not in known_revisions():
        return revision, "newer"
    return revision, ("current" if revision == head_revision() else "older")


#: Revisions before the server's roles (migration 0008 installs them).
_BEFORE_ROLES = (None, "0001", "0002", "0003", "0004", "0005", "0006", "0007")
_BEFORE_KEYS = (*_BEFORE_ROLES, "0008")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` in one transaction (one per step on PostgreSQL too)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn = conn.execution_options(immediate=True)
        from alembic import command

        cfg = alembic_config(conn)
        command.upgrade(cfg, revision)
        if recorded_revision(conn) not in _BEFORE_KEYS:
            # The triggers that keep the masked and key columns: a table a later migration rebuilt lost them.
            from recuperation.storage.person_keys import install_person_keys

            install_person_keys(conn)
        if engine.dialect.name == "postgresql" and recorded_revision(conn) not in _BEFORE_ROLES:
            # Tables a later migration made get their grants and triggers in the same transaction.
            from recuperation.storage.server_access import install_access

            install_access(conn)
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


def _refuse(url: str, before: str | None, state: str) -> None:
    """Refuse a database a newer program migrated, or one that is not this program's."""
    if state == "newer":
        raise DatabaseOpenError(
            "db.newer_schema", path=display_name(url), revision=before, version=__version__
        )
    if state == "not_ours":
        raise DatabaseOpenError("db.not_ours", path=display_name(url), table="alembic_version")


def _refuse_non_owner(engine: Engine, url: str, before: str | None) -> None:
    """On a server only the owner of the tables (who ran the migrations) can migrate them: anyone else is told
    so, naming the owner, before a migration fails half-way on a permission error."""
    with engine.connect() as conn:
        login, owner, may = conn.execute(
            text(
                "SELECT session_user, pg_get_userbyid(relowner), pg_has_role(session_user, relowner, 'MEMBER') "
                "FROM pg_class WHERE oid = 'public.alembic_version'::regclass"
            )
        ).one()
    if not may:
        raise DatabaseOpenError(
            "db.migrate_denied",
            path=display_name(url),
            revision=before,
            version=__version__,
            login=login,
            owner=owner,
        )


def _own_roles(engine: Engine) -> None:
    """A server database copied from another (CREATE DATABASE … TEMPLATE) still names the other's roles: its
    owner, opening it, installs its own (its people start from none; the copy's CONNECT is revoked from PUBLIC
    again).  Anyone else opens it as it is."""
    from recuperation.storage.server_access import install_access, is_copy

    with engine.connect() as conn:
        if not is_copy(conn):
            return
        owner = conn.execute(
            text(
                "SELECT pg_has_role(session_user, relowner, 'MEMBER') FROM pg_class WHERE oid = 'public.batch'::regclass"
            )
        ).scalar()
        if owner:
            install_access(conn)
            conn.commit()


def migrate(url: str) -> MigrationReport:
    """Bring the database at ``url`` to the current schema, backing up an existing SQLite file first.

    Refuses (DatabaseOpenError) a database that is not one of this program's or that a newer program
    has migrated to a revision this one does not know.
    """
    path = sqlite_path(url)
    if path is not None and path.exists() and path.stat().st_size > 0:
        # Read what the file holds without writing to it: the engine below switches a file to WAL as it
        # connects, which must never happen to another program's database or a newer program's.
        reader = create_engine(
            "sqlite://", creator=lambda: connect_sqlite(read_only_uri(path), uri=True), poolclass=NullPool
        )
        try:
            with reader.connect() as conn:
                before, state = schema_state(conn)
        finally:
            reader.dispose()
        _refuse(url, before, state)
    # Migrations copy tables on SQLite (batch mode); foreign keys stay off while they run and are checked
    # before the migration commits (see migrations/env.py).
    engine = create_db_engine(url, foreign_keys=False)
    try:
        with engine.connect() as conn:
            before, state = schema_state(conn)
        _refuse(url, before, state)
        if state == "current":
            assert before is not None
            if engine.dialect.name == "postgresql":
                _own_roles(engine)
            return MigrationReport(before, before, None)
        if state == "older" and engine.dialect.name == "postgresql":
            _refuse_non_owner(engine, url, before)
        head = head_revision()
        backup_path = None
        if before is not None and path is not None:
            backup_path = backup_file_name(path, "pre-migration")
            sqlite_backup(path, backup_path)
        upgrade(engine)
        return MigrationReport(before, head, backup_path)
    finally:
        engine.dispose()
