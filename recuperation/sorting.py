"""Chinese sorting: names in pinyin order (阿 before 波 before 陈), as a Chinese reader expects.

``pinyin_key(text)`` is exactly pypinyin's ``lazy_pinyin(text, style=Style.TONE3, errors=lambda chars:
chars.lower())``, computed without pypinyin: importing it loads dictionaries for a sixth of a second, which
a one-shot command (``recuperation stats --json``) would pay to sort thirty names.  It works as pypinyin
does, from the table recuperation/pinyin_table.py that scripts/gen_pinyin_table.py generates from pypinyin:

- the text is cut into runs of Chinese characters and runs of anything else; a run of anything else is one
  item, lowercased ("ABC公司" gives "abc", "gong1", "si1"; "3号楼" gives "3", "hao4", "lou2");
- a run of Chinese characters is segmented by forward maximum matching over pypinyin's phrases: a phrase is
  read with its own readings (重庆 "chong2", "qing4"), a character left alone with its reading by itself
  (重 "zhong4"); when the rest of a run begins a phrase without holding one, it is read character by
  character, as pypinyin does (高高兴 "gao1", "gao1", "xing4").

The table is imported with the first key of a text that is not ASCII, not with this module, and only the
parts a key needs are parsed: about 5 ms for the first Chinese key in a fresh process (13 ms where Python
writes no bytecode cache and so compiles the table).  pypinyin is needed only to regenerate the table, after
upgrading pypinyin:

    .venv/bin/python scripts/gen_pinyin_table.py

tests/test_sorting.py fails when the committed table is not what the installed pypinyin gives, and holds the
keys to ``lazy_pinyin`` itself: every text of the demo, the 8,105 characters of the Table of General
Standard Chinese Characters, every phrase and every beginning of one, random texts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from functools import cache, lru_cache
from types import ModuleType

# A phrase group: {phrase: its readings, or None when they are its characters' own}, and every beginning of
# those phrases (the phrases included).
_Group = tuple[dict[str, tuple[str, ...] | None], frozenset[str]]


@lru_cache(maxsize=65536)
def pinyin_key(text: str) -> tuple[str, ...]:
    """A sort key: each character's pinyin with tone number, so 王 < 汪 is stable and Latin text sorts too."""
    if text.isascii():
        return (text.lower(),) if text else ()
    out: list[str] = []
    for run, chinese in _runs(text):
        if chinese:
            _read_chinese(run, out)
        else:
            out.append(run.lower())
    return tuple(out)


@cache
def _table() -> ModuleType:
    from recuperation import pinyin_table

    return pinyin_table


def _runs(text: str) -> Iterator[tuple[str, bool]]:
    """The runs of Chinese characters and of anything else, in order: (run, whether it is Chinese)."""
    hans = _table().HANS
    start = 0
    previous = False
    for i, ch in enumerate(text):
        chinese = bisect_right(hans, ord(ch)) % 2 == 1
        if i and chinese != previous:
            yield text[start:i], previous
            start = i
        previous = chinese
    yield text[start:], previous


def _read_chinese(run: str, out: list[str]) -> None:
    """Append the readings of a run of Chinese characters (pypinyin's mmseg segmentation, strict mode)."""
    i, n = 0, len(run)
    while i < n:
        phrases, beginnings = _group(run[i])
        best = 0
        j = i + 1
        while j <= n and run[i:j] in beginnings:
            if run[i:j] in phrases:
                best = j - i
            j += 1
        if best:
            readings = phrases[run[i : i + best]]
            out.extend(readings if readings is not None else map(_reading, run[i : i + best]))
            i += best
        elif j > n:  # the rest of the run begins a phrase without holding one: pypinyin reads it char by char
            out.extend(map(_reading, run[i:]))
            i = n
        else:
            out.append(_reading(run[i]))
            i += 1


def _reading(ch: str) -> str:
    """A Chinese character's reading by itself (the character itself when pypinyin has none)."""
    code = ord(ch)
    readings = _page(code >> 8)
    low = code & 0xFF
    return (readings[low] if low < len(readings) else "") or ch


@cache
def _page(number: int) -> list[str]:
    return _char_pages().get(f"{number:X}", "").split(" ")


@cache
def _group(first: str) -> _Group:
    phrases: dict[str, tuple[str, ...] | None] = {}
    body = _phrase_groups().get(first)
    for entry in body.split(" ") if body else ():
        rest, _, readings = entry.partition("=")
        phrases[first + rest] = tuple(readings.split(",")) if readings else None
    beginnings = frozenset(word[:k] for word in phrases for k in range(1, len(word) + 1))
    return phrases, beginnings


@cache
def _char_pages() -> dict[str, str]:
    return _records(_table().CHARS)


@cache
def _phrase_groups() -> dict[str, str]:
    return _records(_table().PHRASES)


def _records(text: str) -> dict[str, str]:
    """The table's ``key:body|key:body…`` string as {key: body}."""
    records = {}
    for record in text.split("|"):
        key, _, body = record.partition(":")
        records[key] = body
    return records
