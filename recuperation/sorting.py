"""Chinese sorting: names in pinyin order (阿 before 波 before 陈), as a Chinese reader expects."""

from __future__ import annotations

import os
from functools import lru_cache

# pypinyin copies its dictionaries at import unless told not to; we never change them, and the copy of the
# phrase dictionary is a tenth of a second of every start.
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def pinyin_key(text: str) -> tuple[str, ...]:
    """A sort key: each character's pinyin with tone number, so 王 < 汪 is stable and Latin text sorts too."""
    return tuple(lazy_pinyin(text, style=Style.TONE3, errors=_keep))


def _keep(chars: str) -> str:
    return chars.lower()
