"""Where the database and the logs live, and how a database is named: a file path or a URL, shown without
its password; and who this desk is in the audit log."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import platformdirs

from recuperation import APP_NAME


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
    from sqlalchemy.engine import make_url  # here, not at import: the log folder needs no SQLAlchemy

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def display_name(url: str) -> str:
    """The database as a person should read it: a file path, or the URL without its password."""
    from sqlalchemy.engine import make_url

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


def read_only_uri(path: Path, mode: str = "ro") -> str:
    """A URI that opens ``path`` read-only (or ``mode`` "rw": read-write, never created), whatever
    characters its name holds (spaces, #, ?, %)."""
    return Path(os.path.abspath(path)).as_uri() + f"?mode={mode}"
