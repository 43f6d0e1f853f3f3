"""A PostgreSQL server: its URL built from parts and a connection test that changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from recuperation.errors import DatabaseOpenError
from recuperation.storage.engine import create_db_engine
from recuperation.storage.faults import error_reason, sign_in_refusal
from recuperation.storage.paths import display_name, resolve_url, sqlite_path
from recuperation.storage.schema import schema_state


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
        refused = sign_in_refusal(exc, url)
        if refused is not None:
            raise refused from exc
        raise DatabaseOpenError("db.cannot_open", path=display_name(url), reason=error_reason(exc)) from exc
    finally:
        engine.dispose()
    return Probe(version, state, batches)
