"""The names of the files the program chooses (printouts, scan copies, suggested export names).

A name is built from parts that come from data — a batch code, a partner's name, an agreement number — and
data may hold anything an older version or a hostile file let in: ``../../pwn``, an absolute path, ``A/B``, NUL,
a right-to-left override (U+202E) that makes ``…<RLO>gnp.exe`` read as ``…exe.png``, a reserved Windows device name,
300 characters.  :func:`safe_file_name` turns the parts into one plain file name, and :func:`inside` resolves
it in its folder and refuses anything that would land elsewhere.
"""

from __future__ import annotations

import re
from pathlib import Path

from recuperation.errors import ValidationError

#: The most a name takes in UTF-8 (file systems allow 255 bytes; the rest is room for a copy's “ (2)”).
MAX_NAME_BYTES = 200
#: What a name never holds: path separators, the characters Windows forbids, control characters, bidi
#: marks, embeddings, overrides and isolates, zero-width characters, line separators and the BOM.
_UNSAFE = re.compile(
    r'[/\\:*?"<>|\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]'
    r"|\s"
)
_REPEATED = re.compile(r"_{2,}")
_DOTS = re.compile(r"\.{2,}")
_NOT_SUFFIX = re.compile(r"[^A-Za-z0-9]")
#: Names Windows keeps for devices, whatever the extension (CON, CON.pdf, com1.tar.gz).
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{device}{n}" for device in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")}
)
_FALLBACK = "file"


def _part(value: object) -> str:
    text = _UNSAFE.sub("_", str(value))
    text = _DOTS.sub(".", _REPEATED.sub("_", text))
    return text.strip(" ._-")


def _fit(stem: str, max_bytes: int) -> str:
    """``stem`` cut to ``max_bytes`` of UTF-8 at a character boundary, without trailing dots or spaces."""
    encoded = stem.encode("utf-8")
    if len(encoded) > max_bytes:
        stem = encoded[:max_bytes].decode("utf-8", errors="ignore")
    return stem.rstrip(" ._-")


def safe_file_name(*parts: object, suffix: str = "", max_bytes: int = MAX_NAME_BYTES) -> str:
    """One file name from ``parts`` joined by “-”, plus ``suffix`` (“.pdf”).

    Separators, characters Windows forbids, control, bidi and zero-width characters and spaces become “_”;
    runs of dots become one; dots, spaces, “_” and “-” at either end of a part go; empty parts are left out.
    A reserved device name (CON, NUL, COM1, LPT1 …, with or without an extension) gets a leading “_”.  The
    name is cut to ``max_bytes`` of UTF-8, keeping the suffix whole.  Never empty, never “.” or “..”.

    The suffix keeps ASCII letters and digits only (at most 16, lower case): a scan's “.PDF” is “.pdf”.
    """
    suffix = _NOT_SUFFIX.sub("", suffix)[:16].lower()
    suffix = f".{suffix}" if suffix else ""
    stem = "-".join(p for p in (_part(part) for part in parts) if p) or _FALLBACK
    stem = _fit(stem, max_bytes - len(suffix.encode("ascii"))) or _FALLBACK
    if stem.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        stem = _fit("_" + stem, max_bytes - len(suffix.encode("ascii")))
    return stem + suffix


def inside(folder: Path, name: str) -> Path:
    """``folder / name`` resolved, refused unless it is a file directly inside ``folder`` (no separator, no
    “..”, no link leading out).  The folder itself need not exist yet."""
    base = folder.expanduser().resolve()
    target = (base / name).resolve()
    if not name or target.parent != base or target.name != name:
        raise ValidationError("file.outside_folder", field="file", name=name, folder=str(base))
    return target


def file_in(folder: Path, *parts: object, suffix: str) -> Path:
    """The file the program writes in ``folder`` for ``parts`` (a printout of a batch: its code and the
    document): :func:`safe_file_name` inside :func:`inside`."""
    return inside(folder, safe_file_name(*parts, suffix=suffix))
