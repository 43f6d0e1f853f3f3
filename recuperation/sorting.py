"""Chinese sorting: names in pinyin order (阿 before 波 before 陈), as a Chinese reader expects.

pypinyin is imported on the first key asked for, not with this module: its phrase dictionary takes a sixth of
a second to load, and a start on the batch list (sorted by date) never needs it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from typing import Any

_convert: Callable[[str], list[str]] | None = None


def _converter() -> Callable[[str], list[str]]:
    global _convert
    if _convert is None:
        # pypinyin copies its dictionaries at import unless told not to; we never change them.
        os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
        from pypinyin import Style, lazy_pinyin

        def convert(text: str) -> Any:
            return lazy_pinyin(text, style=Style.TONE3, errors=_keep)

        _convert = convert
    return _convert


@lru_cache(maxsize=65536)
def pinyin_key(text: str) -> tuple[str, ...]:
    """A sort key: each character's pinyin with tone number, so 王 < 汪 is stable and Latin text sorts too."""
    if text.isascii():
        return (text.lower(),) if text else ()
    return tuple(_converter()(text))


def _keep(chars: str) -> str:
    return chars.lower()
