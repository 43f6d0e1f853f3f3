"""Files that hold people's data are their owner's alone, from the first byte to the last.

Every workbook and PDF the program writes (rosters, a partner's year, manifests, rooming lists, registers with
their data, the desktop's kept ``print/`` copies) is written through :func:`private_output`: the writer gets
an empty temporary file beside the target, created readable and writable by its owner only (0600 on POSIX,
whatever the umask), writes it by name (XlsxWriter's zip and reportlab's ``open(…, "wb")`` truncate it and
keep its mode), and only a complete file is moved into place with ``os.replace``; a writer that fails leaves
neither the temporary file nor a partial target behind.  XlsxWriter's own scratch files are ``mkstemp``
files (0600) in a private folder of :func:`private_scratch`, removed with the folder whatever happens.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

PRIVATE_MODE = 0o600


@contextlib.contextmanager
def private_output(path: Path | str) -> Iterator[Path]:
    """Yield a 0600 temporary path in ``path``'s folder; on success it replaces ``path``, else it is removed."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file with O_EXCL and mode 0600: it is never readable by others, not even empty.
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:80]}.", suffix=".part")
    temp = Path(name)
    try:
        try:
            if os.name == "posix":
                os.fchmod(fd, PRIVATE_MODE)
        finally:
            os.close(fd)
        yield temp
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


@contextlib.contextmanager
def private_scratch() -> Iterator[str]:
    """A folder of the user's own (0700) for a writer's scratch files, removed with all it holds however the
    writer ends: XlsxWriter keeps a workbook's parts in temporary files until it zips them, and leaves them
    behind when zipping fails."""
    folder = tempfile.mkdtemp(prefix="recuperation-")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def private_copy(source: Path | str, target: Path | str) -> Path:
    """Copy ``source`` to ``target`` as a private file (``shutil.copyfile`` would create it world-readable)."""
    with private_output(target) as temp:
        shutil.copyfile(source, temp)
    return Path(target)


def make_private(path: Path | str) -> Path:
    """Create ``path`` empty and private, or make an existing file private, before a writer that must open the
    final name itself (a QPrinter printing to a PDF file the user chose) writes into it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_MODE)
    try:
        if os.name == "posix":
            os.fchmod(fd, PRIVATE_MODE)
    finally:
        os.close(fd)
    return Path(path)
