"""Faults of the database file named as what they are: another desk holding the write lock, a read-only file,
folder or medium, a full disk, a file-size limit.  Only SQLite saying so is called damage."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sqlite3
from pathlib import Path

from recuperation import messages
from recuperation.errors import AccessDenied, DatabaseOpenError
from recuperation.storage.engine import BUSY_TIMEOUT_MS

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26
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
    if primary in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in text or "table is locked" in text:
        return DatabaseOpenError("db.busy", path=where, seconds=BUSY_TIMEOUT_MS // 1000)
    if primary == SQLITE_FULL or "database or disk is full" in text:
        return disk_full(str(err))
    if primary == SQLITE_READONLY or "readonly database" in text:
        return read_only(read_only_reason(path) if path is not None else None)
    io_error = (
        primary in (SQLITE_IOERR, SQLITE_CANTOPEN) or "disk i/o error" in text or "unable to open" in text
    )
    if path is not None and io_error:
        reason = read_only_reason(path)
        if reason:
            return read_only(reason)
        if _nearly_full(path):
            return disk_full(str(err))
        limit = _file_size_limit()
        if limit is not None and primary == SQLITE_IOERR:  # SQLite reports EFBIG as a write error
            return file_limit(messages.text("db.file_limit.ulimit", limit=limit))
    return None


def is_damage(exc: sqlite3.Error) -> bool:
    """SQLite says the file itself is damaged or not a database (not that it cannot get at it)."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    return primary in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text or "not a database" in text


def error_reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]


def access_refusal(exc: BaseException, login: str) -> AccessDenied | None:
    """The server's refusal of a statement for want of a right (SQLSTATE 42501), as a sentence naming who,
    what and the role that may; None for any other error.

    A trigger's refusal reads ``rd:<right>:<what>`` (``storage/server_access.py``); a missing grant is the
    server's own "permission denied for table payment"."""
    from recuperation.access import RIGHTS, right_label, roles_either

    if getattr(exc, "sqlstate", None) != "42501":
        return None
    diag = getattr(exc, "diag", None)
    primary = str(getattr(diag, "message_primary", "") or exc).strip()
    if primary.startswith("rd:"):
        right = primary.split(":")[1]
        if right in RIGHTS:
            return AccessDenied(
                "access.denied",
                login=login,
                action=right_label(right),
                detail=messages.text("access.roles_needed", roles=roles_either(RIGHTS[right])),
            )
    reading = primary.lower().startswith("permission denied") and "select" in primary.lower()
    table = re.fullmatch(r"permission denied for (?:table|relation) (\w+)", primary)
    if table is not None and not reading:
        from recuperation.storage.server_access import writer_roles

        roles = writer_roles(table.group(1))
        if roles:  # a table of ours: the roles that change it
            return AccessDenied(
                "access.denied",
                login=login,
                action=messages.text("access.action_write_table", table=messages.kind_label(table.group(1))),
                detail=messages.text("access.roles_needed", roles=roles_either(roles)),
            )
    return AccessDenied(
        "access.denied",
        login=login,
        action=messages.text("access.action_read" if reading else "access.action_write"),
        detail=primary,
    )


#: What a server says when it will not let a login in, and the sentence the desk says instead.
_SIGN_IN: tuple[tuple[str, str], ...] = (
    ("password authentication failed", "db.sign_in_password"),
    ("no password supplied", "db.sign_in_no_password"),
    ("is not permitted to log in", "db.sign_in_disabled"),
    ("permission denied for database", "db.sign_in_not_member"),
    ('role "', "db.sign_in_unknown"),  # role "x" does not exist
)


def sign_in_refusal(exc: BaseException, url: str) -> DatabaseOpenError | None:
    """A server that refused to let the URL's login in, said as what to do (the password, a disabled login,
    a login that is not one of this database's people); None for any other failure."""
    from sqlalchemy.engine import make_url

    reason = str(getattr(exc, "orig", None) or exc)
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None
    for words, key in _SIGN_IN:
        if words in reason and (key != "db.sign_in_unknown" or "does not exist" in reason):
            return DatabaseOpenError(
                key, login=parsed.username or "", server=parsed.host or "", database=parsed.database or ""
            )
    return None
