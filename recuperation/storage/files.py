"""Private files and folders, and the temporary ``.part`` files that backups and restores write.

Each ``.part`` file is readable by its owner only from its first byte and locked (flock) while it is written,
so that a leftover of a killed process is told from one being written."""

from __future__ import annotations

import contextlib
import errno
import os
import threading
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def private_file(path: Path) -> None:
    """Make a database, backup or log file readable by its owner only (POSIX)."""
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)


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


# Temporary files of backups and restores end in ".part".  Each is created readable by its owner only from
# its first byte (SQLite gives its journal the same mode) and, while it is written, its writer holds a lock
# on it (flock), so that a leftover of a killed process (unlocked) is told from one being written.
PART_SUFFIX = ".part"
COMPANIONS = ("-journal", "-wal", "-shm")


def lock_part(fd: int) -> bool:
    if fcntl is None:  # Windows: a file open in another process cannot be removed anyway
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_files(path: Path) -> None:
    """``path`` and the journal, WAL and shared-memory files SQLite may have left beside it."""
    for name in (str(path), *(str(path) + suffix for suffix in COMPANIONS)):
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
        remove_files(path)
        return True
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        if not lock_part(fd):
            return False  # a backup or restore is writing it now
        try:
            if os.fstat(fd).st_ino != os.stat(path).st_ino:
                return False  # replaced meanwhile by a new one
        except FileNotFoundError:
            return True
        remove_files(path)
    finally:
        os.close(fd)
    return not path.exists()


def create_part(path: Path) -> int:
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
        if not lock_part(fd):  # pragma: no cover - a file made a moment ago with O_EXCL
            os.close(fd)
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        for suffix in COMPANIONS:  # an older process's journal of a file of this name is not ours to use
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(path) + suffix)
        return fd
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- Reading a database file's bytes without taking SQLite's locks away ------------------------------------------
# POSIX advisory locks belong to a process and a file, not to a descriptor: closing *any* descriptor of a file
# releases every lock the process holds on it, those of its SQLite connections included (SQLite keeps its own
# descriptors open for this reason).  A process that read a database's header with open() and close() while one
# of its connections held the file lost that connection's shared lock; another process closing its last
# connection then got the exclusive lock, took itself for the last one and deleted the -wal and -shm files
# under the first one's feet, whose next write went to a WAL nobody else reads: a damaged database.  So our
# SQLite connections are counted per file (``engine.connect_sqlite``), and a descriptor opened here to read a
# database file is closed only when no counted connection of this process has that file open: until then it is
# kept, and closed with the last connection.

FileKey = tuple[int, int]
_held_lock = threading.Lock()
_connections: dict[FileKey, int] = {}
_kept: dict[FileKey, list[int]] = {}


def file_key(st: os.stat_result) -> FileKey:
    return (st.st_dev, st.st_ino)


def sqlite_opened(path: str) -> FileKey | None:
    """Count a connection of this process to the database file ``path``; the key to give back on close."""
    try:
        key = file_key(os.stat(path))
    except OSError:
        return None
    with _held_lock:
        _connections[key] = _connections.get(key, 0) + 1
    return key


def sqlite_closed(key: FileKey) -> None:
    """The connection counted under ``key`` is closed; the last one closes the descriptors kept for it."""
    with _held_lock:
        left = _connections.get(key, 0) - 1
        if left > 0:
            _connections[key] = left
            return
        _connections.pop(key, None)
        kept = _kept.pop(key, [])
    for fd in kept:
        with contextlib.suppress(OSError):
            os.close(fd)


def release_descriptor(fd: int) -> None:
    """Close ``fd``, a descriptor of a database file, unless a connection of this process holds that file."""
    if os.name == "posix":
        try:
            key = file_key(os.fstat(fd))
        except OSError:
            key = None
        if key is not None:
            with _held_lock:
                if _connections.get(key):
                    _kept.setdefault(key, []).append(fd)
                    return
    os.close(fd)


@contextlib.contextmanager
def database_descriptor(path: Path | str) -> Iterator[int]:
    """A read-only descriptor of the database file ``path`` (or its -wal), released as
    :func:`release_descriptor` says.  Raises OSError as ``open`` does (IsADirectoryError for a folder)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        if os.name == "posix":
            import stat

            if stat.S_ISDIR(os.fstat(fd).st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        yield fd
    finally:
        release_descriptor(fd)


def read_head(path: Path | str, size: int) -> bytes:
    """The first ``size`` bytes (fewer in a shorter file) of the database file ``path``."""
    with database_descriptor(path) as fd:
        head = b""
        while len(head) < size:
            chunk = os.read(fd, size - len(head))
            if not chunk:
                break
            head += chunk
        return head
