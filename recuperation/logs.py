"""Log files never hold ID numbers or phones: a filter masks them in every message and traceback."""

from __future__ import annotations

import logging
import re

_ID = re.compile(r"(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])")
_PHONE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")


def mask_personal(text: str) -> str:
    """330182********1234-style masks for ID numbers and 138****5678 for mobiles, anywhere in ``text``."""
    return _PHONE.sub(r"\1****\2", _ID.sub(r"\1********\2", text))


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = mask_personal(message)
        record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            formatter = logging.Formatter()
            record.exc_text = mask_personal(formatter.formatException(record.exc_info))
            record.exc_info = None
        return True
