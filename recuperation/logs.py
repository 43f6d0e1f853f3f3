"""Log files never hold ID numbers or phones: a filter masks them in every message and traceback.

The masking is :func:`recuperation.people.mask_in_text`: ID numbers with or without spaces and dashes, old
15-digit numbers, mobiles with +86/0086/86, dashes or spaces, landlines with their area code.  The database
engines are created with ``hide_parameters=True`` (:func:`recuperation.storage.engine.create_db_engine`), so the text of
a failed statement never carries a row's values (names, birth dates) in the first place.  Log files are
created readable by their owner only, rotated ones too (:class:`PrivateRotatingFileHandler`).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path
from typing import IO, Any


def mask_personal(text: str) -> str:
    """330182********1234-style masks for ID numbers, 138****5678 for mobiles, anywhere in ``text``."""
    from recuperation.people import mask_in_text  # when a line is written, not at start-up

    return mask_in_text(text)


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = mask_personal(message)
        record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            formatter = logging.Formatter()
            record.exc_text = mask_personal(formatter.formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = mask_personal(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal(record.stack_info)
        return True


def _open_private(filename: str, mode: str, encoding: str | None, errors: str | None) -> IO[Any]:
    """Open a log file for appending, creating it 0600 (never world-readable, whatever the umask)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    fd = os.open(filename, flags, 0o600)
    if os.name == "posix":
        os.fchmod(fd, 0o600)
    return open(fd, mode, encoding=encoding, errors=errors)  # the handler owns and closes the stream


class PrivateFileHandler(logging.FileHandler):
    """A FileHandler whose file is created readable by its owner only."""

    def _open(self) -> IO[Any]:  # type: ignore[override]
        return _open_private(self.baseFilename, self.mode, self.encoding, self.errors)


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose files (the new one after each rotation too) are their owner's only."""

    def _open(self) -> IO[Any]:  # type: ignore[override]
        return _open_private(self.baseFilename, self.mode, self.encoding, self.errors)


LOG_NAME = "recuperation.log"


def setup_logging(folder: Path) -> Path | None:
    """One rotating log for the command line and the desktop: ``folder/recuperation.log``, 1 MB × 5 kept,
    masked, the user's alone.  Attached once per process however often it is asked; None when the folder
    cannot be written (the program still runs)."""
    root = logging.getLogger("recuperation")
    path = folder / LOG_NAME
    for handler in root.handlers:
        if isinstance(handler, PrivateRotatingFileHandler) and Path(handler.baseFilename) == path.resolve():
            return path
    try:
        handler = PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    for old in [h for h in root.handlers if isinstance(h, logging.FileHandler)]:
        root.removeHandler(old)  # a log of another folder (tests, a second data folder): one log at a time
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
