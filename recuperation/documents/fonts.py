"""The Chinese font of every PDF, found once and embedded (subset) so Chinese prints on any printer.

Order: the path chosen in the settings (``pdf_font`` policy value), then the usual system fonts (Windows:
Microsoft YaHei, SimHei, SimSun; Linux: WenQuanYi; macOS: the system's TrueType CJK fonts).  reportlab embeds
TrueType (.ttf, and .ttc with a sub-font index) but not CFF/OTF.  Without any, reportlab's built-in CID font
is used and the PDF shows Chinese only where the viewer has Chinese fonts: :attr:`PdfFont.embedded` says so.
reportlab has no glyph fallback, so :func:`missing_characters` tells which names cannot be printed.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

CID_FALLBACK = "STSong-Light"


def _candidates() -> list[Path]:
    windir = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    home = Path.home()
    paths = [
        windir / "msyh.ttc",
        windir / "msyh.ttf",
        windir / "simhei.ttf",
        windir / "simsun.ttc",
        Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
        Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
        Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
        Path("/usr/share/fonts/wenquanyi/wqy-microhei.ttc"),
        Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
        Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
        home / ".fonts" / "wqy-microhei.ttc",
        home / ".local/share/fonts/wqy-microhei.ttc",
        Path("/System/Library/Fonts/STHeiti Medium.ttc"),
        Path("/System/Library/Fonts/STHeiti Light.ttc"),
        Path("/Library/Fonts/Arial Unicode.ttf"),
        Path("/System/Library/Fonts/Supplemental/Songti.ttc"),
    ]
    return paths


@dataclass(frozen=True)
class PdfFont:
    name: str  # the reportlab font name to use in styles
    path: str  # the file embedded, "" for the CID fallback
    embedded: bool
    characters: frozenset[int]  # code points the font has (empty for the CID fallback: unknown)


def _load(path: Path) -> PdfFont | None:
    name = f"DeskCJK-{zlib.crc32(str(path).encode()):08x}"  # one registered name per font file
    try:
        font = (
            TTFont(name, str(path), subfontIndex=0)
            if path.suffix.lower() == ".ttc"
            else TTFont(name, str(path))
        )
    except (TTFError, OSError, Exception):  # a CFF-based or broken font: reportlab cannot embed it
        return None
    chars = frozenset(font.face.charToGlyph)
    if ord("中") not in chars:
        return None
    pdfmetrics.registerFont(font)
    return PdfFont(name, str(path), True, chars)


@lru_cache(maxsize=4)
def find_font(chosen: str = "") -> PdfFont:
    """The font for PDFs: ``chosen`` (a path from the settings) if usable, else the first system font found."""
    for path in ([Path(chosen).expanduser()] if chosen else []) + _candidates():
        if path.is_file():
            font = _load(path)
            if font is not None:
                return font
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return PdfFont(CID_FALLBACK, "", False, frozenset())


def missing_characters(font: PdfFont, text: str) -> str:
    """The characters of ``text`` the font cannot print (none can be known for the CID fallback)."""
    if not font.embedded:
        return ""
    return "".join(dict.fromkeys(c for c in text if not c.isspace() and ord(c) not in font.characters))


def can_embed(path: str) -> bool:
    """Whether ``path`` is a TrueType font with Chinese that reportlab can embed."""
    file = Path(path).expanduser()
    return file.is_file() and _load(file) is not None
