"""Writes the hostile-file corpus: small files built to make a spreadsheet reader allocate, loop or abort.

    .venv/bin/python scripts/hostile_corpus.py FOLDER

Each file is built byte by byte here (no office program is needed) and is under 200 KB, except the CSV
with a million columns on one line, which cannot be smaller than a million delimiters (1 MB).  A few
innocent files that look alarming (a column formatted to XFD, a dimension that lies, LibreOffice's
trailing repeated rows) sit beside them: those must still be read.

``build(folder)`` returns {file name: what the reader must do}: ``"read"`` (the rows come back), the
message key the refusal must carry, or ``"any"`` (either, as long as it is bounded: the CSV files, whose
quoting rules are decided in recuperation/sheets.py).  tests/test_bounded_reading.py reads every file in a child process and
holds the reader to 500 MB, 30 s, an exit status of 0 or 1 and a one-line message.
"""

from __future__ import annotations

import io
import random
import struct
import sys
import zipfile
import zlib
from pathlib import Path

# --- .xlsx ---------------------------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

HEADER = ("姓名", "身份证号", "手机")
PEOPLE = (("张三", "330106198001010011", "13800000001"), ("李四", "330106198002020022", "13800000002"))


def _xlsx_parts(sheet_xml: str, shared_xml: str | None = None) -> dict[str, bytes]:
    overrides = (
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
    )
    relations = f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared_xml is not None:
        overrides += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        relations += f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">{relations}</Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared_xml is not None:
        parts["xl/sharedStrings.xml"] = shared_xml
    return {name: text.encode() for name, text in parts.items()}


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _inline(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _roster_rows(people: int = len(PEOPLE)) -> list[str]:
    rows = ["".join(_inline(f"{_column(c)}1", v) for c, v in enumerate(HEADER))]
    for i in range(people):
        name, number, phone = PEOPLE[i % len(PEOPLE)]
        values = (f"{name}{i}", number, phone)
        rows.append("".join(_inline(f"{_column(c)}{i + 2}", v) for c, v in enumerate(values)))
    return [f'<row r="{n + 1}">{cells}</row>' for n, cells in enumerate(rows)]


def _sheet(rows: list[str], dimension: str = "A1:C3", extra: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{''.join(rows)}{extra}</sheetData></worksheet>"
    )


def _write_zip(path: Path, parts: dict[str, bytes], level: int = 6) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def far_cell(path: Path) -> None:
    """A roster of two people and one stray cell at XFD1048576, the last cell of a sheet."""
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    _write_zip(path, _xlsx_parts(_sheet(_roster_rows(), "A1:XFD1048576", far)))


def far_cell_observed(path: Path) -> None:
    """The file of the report: a far cell, a dimension over every column of 99,999 rows, and a shared-string
    table claiming 4 billion entries (each alone aborted the process)."""
    far = '<row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row>'
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="4294967295" '
        'uniqueCount="4294967295"><si><t>x</t></si></sst>'
    )
    _write_zip(path, _xlsx_parts(_sheet(_roster_rows(), "A1:XFD99999", far), shared))


def stray_column(path: Path) -> None:
    """A roster of 2,000 people and one stray note in column XFD of the second row: calamine would build
    2,000 × 16,384 cells."""
    rows = _roster_rows(2000)
    rows[1] = rows[1].replace("</row>", _inline("XFD2", "备注") + "</row>")
    _write_zip(path, _xlsx_parts(_sheet(rows, "A1:XFD2001")))


def wide_note(path: Path) -> None:
    """A stray note in column IV (256) of a short roster: a few thousand cells, read (columns past 200 are
    not kept)."""
    rows = _roster_rows()
    rows[1] = rows[1].replace("</row>", _inline("IV2", "备注") + "</row>")
    _write_zip(path, _xlsx_parts(_sheet(rows, "A1:IV3")))


def formatted_to_xfd(path: Path) -> None:
    """An innocent workbook: a roster whose first rows are formatted to the last column (empty styled cells,
    as Excel writes them) and whose dimension says so."""
    rows = _roster_rows()
    rows[0] = rows[0].replace("</row>", '<c r="XFD1" s="1"/></row>')
    styled = "".join(f'<row r="{r}"><c r="A{r}" s="1"/><c r="XFD{r}" s="1"/></row>' for r in range(4, 60))
    _write_zip(path, _xlsx_parts(_sheet(rows, "A1:XFD1048576", styled)))


def dimension_lie(path: Path) -> None:
    """A roster whose dimension claims every cell of the sheet; the cells are few: read."""
    _write_zip(path, _xlsx_parts(_sheet(_roster_rows(), "A1:XFD1048576")))


def shared_count_bomb(path: Path) -> None:
    """A shared-string table claiming 4 billion entries (calamine reserves room for them) holding three."""
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="4294967295" '
        'uniqueCount="4294967295"><si><t>姓名</t></si><si><t>身份证号</t></si><si><t>手机</t></si></sst>'
    )
    rows = [
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
    ]
    _write_zip(path, _xlsx_parts(_sheet(rows), shared))


def shared_string_bomb(path: Path) -> None:
    """One shared string of 4 MB (it compresses to a few KB) in 20,000 cells: 80 GB of text once copied."""
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="20000" uniqueCount="1">'
        f"<si><t>{'甲' * ((4 << 20) // 3)}</t></si></sst>"
    )
    rows = [f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, 20_001)]
    _write_zip(path, _xlsx_parts(_sheet(rows, "A1:A20000"), shared), level=9)


def shared_string_bomb_wide(path: Path) -> None:
    """The report's 1 MB bomb, made small and hard to compress (so that only the cells give it away): three
    shared strings of 10,000 random Chinese characters, each shown in thousands of cells (600 MB of text)."""
    chance = random.Random(16)
    strings = "".join(
        "<si><t>" + "".join(chr(chance.randrange(0x4E00, 0x9FA5)) for _ in range(10_000)) + "</t></si>"
        for _ in range(3)
    )
    shared = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="20000" uniqueCount="3">{strings}</sst>'
    rows = [
        f'<row r="{r}">'
        + "".join(f'<c r="{_column(c)}{r}" t="s"><v>{(r + c) % 3}</v></c>' for c in range(100))
        + "</row>"
        for r in range(1, 201)
    ]
    _write_zip(path, _xlsx_parts(_sheet(rows, "A1:CV200"), shared), level=9)


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _deflate_zeros(size: int, byte: bytes = b" ") -> bytes:
    """The raw deflate stream of ``size`` copies of ``byte``, made without holding them in memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = byte * (1 << 20)
    out = io.BytesIO()
    left = size
    while left:
        piece = block[: min(left, len(block))]
        out.write(compressor.compress(piece))
        left -= len(piece)
    out.write(compressor.flush())
    return out.getvalue()


def _crc_of_repeated(size: int, byte: bytes = b" ") -> int:
    crc, block, left = 0, byte * (1 << 20), size
    while left:
        piece = block[: min(left, len(block))]
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    return crc


class _RawZip:
    """A ZIP file written entry by entry from raw (already deflated) data, with sizes and offsets chosen by
    the caller: what zipfile refuses to write (lying sizes, entries sharing their data)."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.central: list[bytes] = []

    def local(self, name: str, raw: bytes, crc: int, size: int, method: int = 8) -> int:
        offset = self.out.tell()
        encoded = name.encode()
        self.out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0x800, method, 0, 0x21, crc, len(raw), size, len(encoded), 0
            )
        )
        self.out.write(encoded)
        self.out.write(raw)
        return offset

    def entry(self, name: str, offset: int, raw_len: int, crc: int, size: int, method: int = 8) -> None:
        encoded = name.encode()
        self.central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0x800,
                method,
                0,
                0x21,
                crc,
                raw_len,
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )

    def add(self, name: str, data: bytes) -> None:
        raw = _deflate(data)
        crc = zlib.crc32(data)
        self.entry(name, self.local(name, raw, crc, len(data)), len(raw), crc, len(data))

    def bytes(self) -> bytes:
        start = self.out.tell()
        directory = b"".join(self.central)
        self.out.write(directory)
        count = len(self.central)
        self.out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), start, 0))
        return self.out.getvalue()


def zip_bomb(path: Path) -> None:
    """A sheet part that inflates to 180 MB of spaces (ratio about 1,000:1), declared honestly."""
    archive = _RawZip()
    parts = _xlsx_parts(_sheet(_roster_rows()))
    del parts["xl/worksheets/sheet1.xml"]
    for name, data in parts.items():
        archive.add(name, data)
    size = 180 << 20
    head = f'<?xml version="1.0"?><worksheet xmlns="{_MAIN}"><sheetData>'.encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = compressor.compress(head)
    block, left = b" " * (1 << 20), size - len(head)
    crc = zlib.crc32(head)
    while left:
        piece = block[: min(left, len(block))]
        raw += compressor.compress(piece)
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    raw += compressor.flush()
    name = "xl/worksheets/sheet1.xml"
    archive.entry(name, archive.local(name, raw, crc, size), len(raw), crc, size)
    path.write_bytes(archive.bytes())


def zip_bomb_lying_size(path: Path) -> None:
    """A sheet part declared as 1 KB whose data inflates to 180 MB (the directory lies about its size)."""
    archive = _RawZip()
    parts = _xlsx_parts(_sheet(_roster_rows()))
    sheet = parts.pop("xl/worksheets/sheet1.xml")
    for name, data in parts.items():
        archive.add(name, data)
    padding = 180 << 20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = compressor.compress(sheet[: sheet.index(b"<row")])
    block, left = b" " * (1 << 20), padding
    while left:
        piece = block[: min(left, len(block))]
        raw += compressor.compress(piece)
        left -= len(piece)
    raw += compressor.compress(sheet[sheet.index(b"<row") :]) + compressor.flush()
    declared = 1024
    name = "xl/worksheets/sheet1.xml"
    crc = zlib.crc32(sheet[:declared])
    archive.entry(name, archive.local(name, raw, crc, declared), len(raw), crc, declared)
    path.write_bytes(archive.bytes())


def zip_overlapping(path: Path) -> None:
    """Twenty directory entries sharing one 150 MB deflate stream (a "better zip bomb": 3 GB declared)."""
    archive = _RawZip()
    for name, data in _xlsx_parts(_sheet(_roster_rows())).items():
        archive.add(name, data)
    size = 150 << 20
    raw = _deflate_zeros(size, b"\x00")
    crc = _crc_of_repeated(size, b"\x00")
    offset = archive.local("xl/media/image1.png", raw, crc, size, method=8)
    for i in range(20):
        archive.entry(f"xl/media/image{i + 1}.png", offset, len(raw), crc, size)
    path.write_bytes(archive.bytes())


def nested_zip(path: Path) -> None:
    """A roster carrying a zip bomb as an embedded object: calamine never opens it; read."""
    inner = _RawZip()
    size = 100 << 20
    raw = _deflate_zeros(size, b"\x00")
    crc = _crc_of_repeated(size, b"\x00")
    inner.entry("zeros.bin", inner.local("zeros.bin", raw, crc, size), len(raw), crc, size)
    parts = _xlsx_parts(_sheet(_roster_rows()))
    parts["xl/embeddings/oleObject1.zip"] = inner.bytes()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(
                name, data, zipfile.ZIP_STORED if name.endswith(".zip") else zipfile.ZIP_DEFLATED
            )


# --- .ods ----------------------------------------------------------------------------------------------------

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _ods(path: Path, rows: str) -> None:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="名单">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)


def _ods_cell(value: str, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{repeated}><text:p>{value}</text:p></table:table-cell>'
    )


def _ods_roster() -> str:
    rows = ["".join(_ods_cell(v) for v in HEADER)]
    rows += ["".join(_ods_cell(v) for v in person) for person in PEOPLE]
    return "".join(f"<table:table-row>{cells}</table:table-row>" for cells in rows)


def ods_repeated_rows(path: Path) -> None:
    """The report's 854-byte .ods: one row of a cell repeated over 1,024 columns, repeated 1,000,000 times."""
    row = f'<table:table-row table:number-rows-repeated="1000000">{_ods_cell("x", 1024)}</table:table-row>'
    _ods(path, _ods_roster() + row)


def ods_repeated_columns(path: Path) -> None:
    """2,000 rows of one cell repeated over all 16,384 columns."""
    row = f"<table:table-row>{_ods_cell('x', 16384)}</table:table-row>"
    _ods(path, _ods_roster() + row * 2000)


def ods_empty_columns(path: Path) -> None:
    """Rows of 16,383 empty cells followed by one more empty cell: calamine keeps all but the last run."""
    row = (
        '<table:table-row><table:table-cell table:number-columns-repeated="16383"/>'
        "<table:table-cell/></table:table-row>"
    )
    _ods(path, _ods_roster() + row * 3000)


def ods_spaces(path: Path) -> None:
    """A cell whose text is <text:s text:c="2000000000"/>: two billion spaces from 40 bytes."""
    cell = (
        '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/>b</text:p>'
        "</table:table-cell>"
    )
    _ods(path, _ods_roster() + f"<table:table-row>{cell}</table:table-row>")


def ods_trailing_repeats(path: Path) -> None:
    """An innocent .ods as LibreOffice writes it: the roster, then the rest of the sheet as empty rows and
    columns repeated to the end: read."""
    tail = (
        '<table:table-row table:number-rows-repeated="1048573">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    rows = _ods_roster().replace(
        "</table:table-row>", '<table:table-cell table:number-columns-repeated="16381"/></table:table-row>'
    )
    _ods(path, rows + tail)


# --- .xls (an OLE compound file holding a BIFF8 "Workbook" stream) -----------------------------------------


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _biff8(cells: list[tuple[int, int, str]], dimensions: tuple[int, int, int, int] | None = None) -> bytes:
    """A workbook stream: globals (BOF, code page, one BOUNDSHEET, the SST, EOF), then one sheet."""
    strings = sorted({value for _, _, value in cells})
    index = {value: i for i, value in enumerate(strings)}
    sst = struct.pack("<II", len(cells), len(strings))
    for value in strings:
        encoded = value.encode("utf-16-le")
        sst += struct.pack("<HB", len(value), 1) + encoded
    name = "名单".encode("utf-16-le")
    bof_globals = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0600))
    code_page = _record(0x0042, struct.pack("<H", 1200))

    def globals_with(offset: int) -> bytes:
        boundsheet = _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, 2, 1) + name)
        return bof_globals + code_page + boundsheet + _record(0x00FC, sst) + _record(0x000A, b"")

    size = len(globals_with(0))
    if dimensions is None:
        last_row = max(r for r, _, _ in cells) + 1
        last_col = max(c for _, c, _ in cells) + 1
        dimensions = (0, last_row, 0, last_col)
    sheet = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x0600))
    sheet += _record(0x0200, struct.pack("<IIHHH", *dimensions, 0))
    for row, col, value in cells:
        sheet += _record(0x00FD, struct.pack("<HHHI", row, col, 15, index[value]))
    sheet += _record(0x000A, b"")
    return globals_with(size) + sheet


def _ole(stream: bytes) -> bytes:
    """A version 3 compound file (512-byte sectors) with one stream named Workbook, at least 4,096 bytes long
    so that it lives in ordinary sectors."""
    stream = stream.ljust(max(4096, -(-len(stream) // 512) * 512), b"\x00")
    sectors = len(stream) // 512
    fat_sectors = 1
    while fat_sectors * 128 < sectors + 1 + fat_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109, "the header's DIFAT holds 109 FAT sectors"
    directory_sector = sectors
    fat = [i + 1 for i in range(sectors - 1)] + [0xFFFFFFFE, 0xFFFFFFFE] + [0xFFFFFFFD] * fat_sectors
    fat += [0xFFFFFFFF] * (128 * fat_sectors - len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, child)
            + b"\x00" * 16
            + b"\x00" * 4
            + b"\x00" * 16
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, 1, 0xFFFFFFFE, 0)
        + entry("Workbook", 2, 0xFFFFFFFF, 0, len(stream))
        + entry("", 0, 0xFFFFFFFF, 0, 0) * 2
    )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, fat_sectors, directory_sector, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack(
            "<109I", *range(sectors + 1, sectors + 1 + fat_sectors), *[0xFFFFFFFF] * (109 - fat_sectors)
        )
    )
    assert len(header) == 512
    return header + stream + directory + struct.pack(f"<{len(fat)}I", *fat)


def _xls_roster() -> list[tuple[int, int, str]]:
    table = [HEADER, *PEOPLE]
    return [(r, c, value) for r, row in enumerate(table) for c, value in enumerate(row)]


def xls_roster(path: Path) -> None:
    """A plain .xls roster: read (the control for the two below)."""
    path.write_bytes(_ole(_biff8(_xls_roster())))


def xls_truncated(path: Path) -> None:
    """The .xls roster cut in the middle of a sector, as a download that stopped."""
    data = _ole(_biff8(_xls_roster()))
    path.write_bytes(data[: 512 + 700])


def xls_huge_dimensions(path: Path) -> None:
    """A roster whose DIMENSIONS record claims 4 billion rows of 256 columns (calamine reserves them)."""
    path.write_bytes(_ole(_biff8(_xls_roster(), (0, 0xFFFFFFFF, 0, 256))))


def xls_shared_string_bomb(path: Path) -> None:
    """One shared string of 4,000 characters (one SST record holds it) in 10,000 cells of an .xls."""
    cells = [(r, 0, "甲" * 4000) for r in range(10_000)]
    path.write_bytes(_ole(_biff8(cells)))


def xls_fat_loop(path: Path) -> None:
    """The .xls roster whose directory chain loops on itself (a reader following it never stops)."""
    data = bytearray(_ole(_biff8(_xls_roster())))
    sectors = (len(data) - 512) // 512 - 2
    fat_offset = 512 + (sectors + 1) * 512
    struct.pack_into("<I", data, fat_offset + 4 * sectors, sectors)  # the directory sector points to itself
    path.write_bytes(bytes(data))


# --- .xlsb (BIFF12 records in a ZIP) ------------------------------------------------------------------------


def _b12(kind: int, data: bytes = b"") -> bytes:
    """One BIFF12 record: its type and length as 7-bit groups, then its data."""
    head = bytes([kind & 0x7F | 0x80, kind >> 7]) if kind > 0x7F else bytes([kind])
    size, length = len(data), b""
    while True:
        length += bytes([size & 0x7F | (0x80 if size > 0x7F else 0)])
        size >>= 7
        if not size:
            break
    return head + length + data


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def _xlsb(path: Path, cells: list[tuple[int, int, str]]) -> None:
    strings = sorted({value for _, _, value in cells})
    index = {value: i for i, value in enumerate(strings)}
    shared = _b12(0x009F, struct.pack("<II", len(cells), len(strings)))
    shared += b"".join(_b12(0x0013, b"\x00" + _wide(value)) for value in strings) + _b12(0x00A0)
    workbook = _b12(0x0083) + _b12(0x008F)
    workbook += _b12(0x009C, struct.pack("<II", 0, 1) + _wide("rId1") + _wide("名单"))
    workbook += _b12(0x0090) + _b12(0x009D, bytes(26)) + _b12(0x0084)
    last_row = max(r for r, _, _ in cells)
    last_col = max(c for _, c, _ in cells)
    sheet = _b12(0x0081) + _b12(0x0094, struct.pack("<IIII", 0, last_row, 0, last_col)) + _b12(0x0091)
    row = -1
    for r, c, value in sorted(cells):
        if r != row:
            sheet += _b12(0x0000, struct.pack("<IIHBBB", r, 0, 0, 0, 0, 0))
            row = r
        sheet += _b12(0x0007, struct.pack("<III", c, 0, index[value]))
    sheet += _b12(0x0092) + _b12(0x0082)
    parts = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types '
            b'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b"</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.bin"/></Relationships>'
        ).encode(),
        "xl/_rels/workbook.bin.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.bin"/>'
            f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.bin"/></Relationships>'
        ).encode(),
        "xl/workbook.bin": workbook,
        "xl/worksheets/sheet1.bin": sheet,
        "xl/sharedStrings.bin": shared,
    }
    _write_zip(path, parts)


def xlsb_roster(path: Path) -> None:
    """A plain .xlsb roster: read."""
    _xlsb(path, _xls_roster())


def xlsb_far_cell(path: Path) -> None:
    """The .xlsb roster with one cell at XFD1048576."""
    _xlsb(path, [*_xls_roster(), (1_048_575, 16_383, "x")])


# --- CSV -----------------------------------------------------------------------------------------------------


def csv_long_cell(path: Path) -> None:
    """A CSV roster with a note of 100,000 characters (GBK, two bytes each)."""
    path.write_text("姓名,身份证号,备注\n张三,330106198001010011," + "长" * 100_000 + "\n", encoding="gbk")


def csv_million_columns(path: Path) -> None:
    """One line of 1,000,000 columns (1 MB: no smaller file can hold a million delimiters)."""
    path.write_bytes("姓名".encode() + b"," * 999_999 + b"\n")


def csv_only_quotes(path: Path) -> None:
    """150,001 double quotes and nothing else."""
    path.write_bytes(b'"' * 150_001)


def csv_unclosed_quote(path: Path) -> None:
    """A roster whose note opens a quote that never closes, over 150 KB of lines."""
    path.write_text('姓名,备注\n张三,"未闭合\n' + "李四,x\n" * 20_000, encoding="utf-8")


#: file name → builder and what the reader must do ("read", or the key of the refusal's message).
CORPUS: dict[str, tuple[object, str]] = {
    "far_cell.xlsx": (far_cell, "import.far_cell"),
    "far_cell_observed.xlsx": (far_cell_observed, "import.constructed"),
    "stray_column.xlsx": (stray_column, "import.far_cell"),
    "wide_note.xlsx": (wide_note, "read"),
    "formatted_to_xfd.xlsx": (formatted_to_xfd, "read"),
    "dimension_lie.xlsx": (dimension_lie, "read"),
    "shared_count_bomb.xlsx": (shared_count_bomb, "import.constructed"),
    "shared_string_bomb.xlsx": (shared_string_bomb, "import.zip_bomb"),
    "shared_string_bomb_wide.xlsx": (shared_string_bomb_wide, "import.text_bomb"),
    "zip_bomb.xlsx": (zip_bomb, "import.zip_bomb"),
    "zip_bomb_lying_size.xlsx": (zip_bomb_lying_size, "import.constructed"),
    "zip_overlapping.xlsx": (zip_overlapping, "import.constructed"),
    "nested_zip.xlsx": (nested_zip, "read"),
    "ods_repeated_rows.ods": (ods_repeated_rows, "import.too_many_rows"),
    "ods_repeated_columns.ods": (ods_repeated_columns, "import.too_many_cells"),
    "ods_empty_columns.ods": (ods_empty_columns, "import.too_many_cells"),
    "ods_spaces.ods": (ods_spaces, "import.text_bomb"),
    "ods_trailing_repeats.ods": (ods_trailing_repeats, "read"),
    "xls_roster.xls": (xls_roster, "read"),
    "xls_truncated.xls": (xls_truncated, "import.damaged"),
    "xls_huge_dimensions.xls": (xls_huge_dimensions, "import.sheet_extent"),
    "xls_shared_string_bomb.xls": (xls_shared_string_bomb, "import.text_bomb"),
    "xls_fat_loop.xls": (xls_fat_loop, "import.constructed"),
    "xlsb_roster.xlsb": (xlsb_roster, "read"),
    "xlsb_far_cell.xlsb": (xlsb_far_cell, "import.far_cell"),
    "csv_long_cell.csv": (csv_long_cell, "any"),
    "csv_million_columns.csv": (csv_million_columns, "any"),
    "csv_only_quotes.csv": (csv_only_quotes, "any"),
    "csv_unclosed_quote.csv": (csv_unclosed_quote, "any"),
}


def build(folder: Path) -> dict[str, str]:
    """Writes every file of the corpus into ``folder``; returns {file name: expected outcome}."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (builder, outcome) in CORPUS.items():
        builder(folder / name)  # type: ignore[operator]
        expected[name] = outcome
    return expected


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[0])
    for name, outcome in build(folder).items():
        print(f"{(folder / name).stat().st_size:>9,}  {name}  ({outcome})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
