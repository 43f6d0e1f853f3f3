"""Write recuperation/pinyin_table.py: pypinyin's readings, so that sorting needs no pypinyin at run time.

    .venv/bin/python scripts/gen_pinyin_table.py            # regenerate from the installed pypinyin
    .venv/bin/python scripts/gen_pinyin_table.py --check    # exit 1 when the committed table is out of date

recuperation.sorting reproduces ``lazy_pinyin(text, style=Style.TONE3, errors=lambda chars: chars.lower())``
from the table.  What that call does (pypinyin 0.55, no jieba):

1. It cuts the text into runs of Chinese characters (pypinyin's ``RE_HANS``) and runs of anything else; a
   run of anything else becomes one item, ``errors(run)``, that is the run lowercased.
2. A Chinese run is segmented by forward maximum matching over the phrase dictionary (``pypinyin.seg.mmseg``
   with ``no_non_phrases=True``): at each position the longest phrase that starts there is taken; when none
   does, one character is taken, except that when the whole rest of the run is the beginning of some phrase
   without holding one, the rest is taken character by character and the run ends there.
3. A phrase is read with its dictionary readings; a character alone with its reading as ``lazy_pinyin``
   gives it for that character by itself (the first reading of its dictionary entry; a character without
   one stays as it is).

The table therefore holds, all converted to TONE3 exactly as pypinyin converts them: the code points
``RE_HANS`` matches; each character's reading alone (where it is not the character itself); and the phrases
that can change a result, with readings only where they differ from their characters' own.

Phrases are left out only where that provably cannot change a result: a phrase ``w`` is left out when (a) its
readings are its characters' own, (b) no other phrase begins with it, (c) each beginning of ``w`` that holds
no phrase (which pypinyin, at the end of a run, reads character by character) is read the same with the
phrases kept, and (d) segmenting ``w`` by itself with the phrases kept gives its readings, never starting a
word at a position ``j`` where ``w[j:]`` is the beginning of a longer phrase kept.  Then wherever pypinyin
takes ``w``, segmenting with the kept phrases reads the same characters the same way and ends exactly where
``w`` ends, whatever follows.  Leaving phrases out can undo (c) or (d) for others, so the check is repeated
on the kept set until nothing changes.  Few phrases go (about 3 %): most phrases that read as their
characters still decide where the next word starts (振兴 keeps 兴趣 from being taken in 振兴趣).

The tests (tests/test_sorting.py) compare the table with the installed pypinyin and the keys with
``lazy_pinyin``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "recuperation" / "pinyin_table.py"
COMMAND = ".venv/bin/python scripts/gen_pinyin_table.py"
PER_LINE = 16  # entries on a line of the generated file
# A reading must not hold what the table uses as separators.
SAFE_READING = re.compile(r'[^\s=,|:"\\]+')


def _keep(chars: str) -> str:
    return chars.lower()


def _hans_ranges(re_hans: re.Pattern[str]) -> list[tuple[int, int]]:
    """The code points ``re_hans`` matches as a character by itself, as (first, last) ranges."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x110000):
        if re_hans.match(chr(cp)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return ranges


def _leaves(phrases: Iterable[str]) -> set[str]:
    """Phrases that no other phrase begins with."""
    phrases = set(phrases)
    inner = {w[:i] for w in phrases for i in range(1, len(w))}
    return phrases - inner


def _segment(run: str, phrases: set[str], beginnings: set[str]) -> list[str]:
    """pypinyin's ``mmseg.seg.cut(run)`` over ``phrases`` (``beginnings``: all their beginnings)."""
    words: list[str] = []
    i, n = 0, len(run)
    while i < n:
        best = 0
        j = i + 1
        while j <= n and run[i:j] in beginnings:
            if run[i:j] in phrases:
                best = j - i
            j += 1
        if best:
            words.append(run[i : i + best])
            i += best
        elif j > n:  # the rest begins a phrase without holding one: character by character, and done
            words.extend(run[i:])
            i = n
        else:
            words.append(run[i])
            i += 1
    return words


def _prune(readings: dict[str, tuple[str, ...]], own: Callable[[str], tuple[str, ...]]) -> set[str]:
    """The phrases the table needs; see the module docstring for the rule."""
    phrases = set(readings)

    def read(words: list[str]) -> tuple[str, ...]:
        return tuple(r for word in words for r in (readings[word] if len(word) > 1 else own(word)))

    out = {w for w in _leaves(phrases) if readings[w] == own(w)}
    while True:
        kept = phrases - out
        proper = {w[:i] for w in kept for i in range(1, len(w))}  # beginnings of a longer kept phrase
        beginnings = proper | kept
        failed = set()
        for w in out:
            # (c) where a beginning of w holding no phrase ends a run, the kept phrases read it alike
            first_phrase = next(i for i in range(2, len(w) + 1) if w[:i] in phrases)
            if any(read(_segment(w[:i], kept, beginnings)) != own(w[:i]) for i in range(2, first_phrase)):
                failed.add(w)
                continue
            # (d) w by itself, segmented with the kept phrases
            words = _segment(w, kept, beginnings)
            starts = [sum(map(len, words[:k])) for k in range(1, len(words))]
            if any(w[j:] in proper for j in starts) or read(words) != readings[w]:
                failed.add(w)
        if not failed:
            return kept
        out -= failed


def _string(records: dict[str, list[str]]) -> list[str]:
    """Source lines of a parenthesised string: ``key:entry entry ...`` for each record, the records separated
    by ``|``, PER_LINE entries on a line.  No escapes: a literal with one compiles several times slower."""
    out = []
    for n, (key, entries) in enumerate(records.items()):
        for entry in entries:
            assert not re.search(r'[\s"\\|:]', entry), entry
        lines = [" ".join(entries[i : i + PER_LINE]) for i in range(0, len(entries), PER_LINE)] or [""]
        lines[0] = ("|" if n else "") + key + ":" + lines[0]
        out += [f'    "{line}{" " if k < len(lines) - 1 else ""}"' for k, line in enumerate(lines)]
    return out


def build() -> str:
    """The source of recuperation/pinyin_table.py for the installed pypinyin."""
    import pypinyin
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS

    def read(text: str) -> tuple[str, ...]:
        return tuple(lazy_pinyin(text, style=Style.TONE3, errors=_keep))

    ranges = _hans_ranges(RE_HANS)
    # Each Chinese character's reading by itself; a character without one reads as itself (checked).
    char_reading: dict[str, str] = {}
    for first, last in ranges:
        for cp in range(first, last + 1):
            ch = chr(cp)
            (reading,) = read(ch)
            if reading != ch:
                assert SAFE_READING.fullmatch(reading), (ch, reading)
                char_reading[ch] = reading
            else:
                assert cp not in PINYIN_DICT, ch

    def own(word: str) -> tuple[str, ...]:
        return tuple(char_reading.get(ch, ch) for ch in word)

    # A phrase by itself is segmented as itself (it is the longest phrase at its start), so lazy_pinyin
    # gives its readings; every phrase is Chinese characters only.
    readings: dict[str, tuple[str, ...]] = {}
    for word in PHRASES_DICT:
        assert len(word) > 1 and all(RE_HANS.match(ch) for ch in word), word
        got = read(word)
        assert len(got) == len(word) and all(SAFE_READING.fullmatch(r) for r in got), (word, got)
        readings[word] = got
    kept = _prune(readings, own)

    pages: dict[str, list[str]] = {}
    for page in sorted({ord(ch) >> 8 for ch in char_reading}):
        slots = [char_reading.get(chr((page << 8) + low), "") for low in range(256)]
        while not slots[-1]:
            slots.pop()
        pages[f"{page:X}"] = slots
    groups: dict[str, list[str]] = defaultdict(list)
    for word in sorted(kept):
        rest = word[1:] if readings[word] == own(word) else f"{word[1:]}={','.join(readings[word])}"
        groups[word[0]].append(rest)

    bounds = [f"    0x{first:X}, 0x{last + 1:X}," for first, last in ranges]
    version = pypinyin.__version__
    return "\n".join(
        [
            f'"""Pinyin readings for :mod:`recuperation.sorting`, generated from pypinyin {version}: do not edit.',
            "",
            f"Regenerate with ``{COMMAND}`` (how it works: that script's docstring);",
            "tests/test_sorting.py fails when this file is not what the installed pypinyin gives.",
            '"""',
            "",
            f'PYPINYIN_VERSION = "{version}"',
            "",
            "# The code points pypinyin reads as Chinese (its RE_HANS): ranges as (first, last + 1), flattened, so",
            "# that a code point is Chinese when bisect_right(HANS, code point) is odd.",
            "# fmt: off",
            "HANS = (",
            *bounds,
            ")",
            "# fmt: on",
            "",
            "# Each Chinese character's TONE3 reading by itself, 256 code points a record: code point >> 8 in hex,",
            "# then the readings of the code points in order (empty: the character reads as itself).",
            "CHARS = (",
            *_string(pages),
            ")",
            "",
            "# The phrases that can change a result, a record for each first character: that character, then each",
            "# phrase without it, with =readings when they are not its characters' own.",
            "PHRASES = (",
            *_string(dict(sorted(groups.items()))),
            ")",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed table is out of date")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run {COMMAND}", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
