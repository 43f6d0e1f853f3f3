"""Backups of an SQLite database: consistent copies made while desks write, the daily backup kept for 14
days then one a month, and the cleaning of what killed backups left behind."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from recuperation.errors import DatabaseOpenError
from recuperation.storage.engine import connect_sqlite, open_reader
from recuperation.storage.faults import database_fault
from recuperation.storage.files import (
    PART_SUFFIX,
    create_part,
    fsync_dir,
    private_file,
    private_folder,
    remove_files,
    remove_stale_part,
)

if TYPE_CHECKING:
    from recuperation.storage.database import Database


def backup_dir(path: Path) -> Path:
    return private_folder(path.parent / f"{path.stem}-backups")


def backup_file_name(path: Path, reason: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return backup_dir(path) / f"{path.stem}-{stamp}-{reason}.db"


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
        lock = create_part(tmp)
    except FileExistsError as exc:
        raise DatabaseOpenError("db.part_in_use", path=str(tmp)) from exc
    except OSError as exc:
        fault = database_fault(exc, destination)
        if fault is not None:
            raise fault from exc
        raise
    try:
        src = open_reader(source)
        try:
            dst = connect_sqlite(tmp)
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
        remove_files(tmp)
        if isinstance(exc, sqlite3.Error | OSError):
            fault = _copy_fault(exc, source, destination)
            if fault is not None:
                raise fault from exc
        raise
    finally:
        if lock >= 0:
            os.close(lock)
    fsync_dir(destination.parent)
    private_file(destination)
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
    from recuperation.storage.database import full_check  # database imports this module (via schema)

    try:
        problem = full_check(target)  # a copy that fails its check is no backup: said, not kept
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if problem:
        target.unlink(missing_ok=True)
        raise DatabaseOpenError("db.backup_copy_damaged", path=str(target), detail=problem)
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


DAILY_KEEP_DAYS = 14


def automatic_backup(path: Path, today: dt.date | None = None) -> Path | None:
    """The backup made at every start: one a day, kept for 14 days, then one a month (the first of each month).

    Backups made for other reasons (before a migration, before a restore, by hand) are never removed here.
    Returns the new backup, or None when today's already exists.

    The new copy gets the full integrity check (``storage.database.full_check``: the copy, not the live file,
    so no desk waits on the database for it).  A copy that fails it is not kept as a good backup: it is
    removed, no older backup is removed that day, and ``db.backup_damaged`` is raised (the live file is then
    most likely damaged too: the copy is its pages as they are).  The next start tries again.
    """
    from recuperation.storage.database import full_check  # database imports this module (via schema)

    today = today or dt.date.today()
    clean_stale_parts(path)  # what a backup or restore killed half-way left behind
    folder = backup_dir(path)
    target = folder / f"{path.stem}-daily-{today:%Y%m%d}.db"
    made = None
    if not target.exists():
        made = sqlite_backup(path, target)
        try:
            problem = full_check(made)
        except BaseException:  # a copy that could not be checked is no good backup either
            made.unlink(missing_ok=True)
            raise
        if problem:
            made.unlink(missing_ok=True)
            raise DatabaseOpenError("db.backup_damaged", path=str(made), detail=problem)
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
