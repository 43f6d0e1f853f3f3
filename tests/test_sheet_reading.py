"""Reading files as real tools write them (no Qt): CSV with Excel's quoting in every encoding Excel saves,
files LibreOffice converts, and a clear message in both languages for a file that cannot be read."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recuperation import messages, people
from recuperation.cli import main as cli_main
from recuperation.errors import ValidationError
from recuperation.sheets import MAX_TEXT_BYTES, read_sheets

HEADER = ["姓名", "身份证号", "手机", "饮食禁忌", "备注"]
# Free text as partners type it: Chinese punctuation, an ASCII comma, quotes and a line break in a note.
SPECIAL = [
    ["王芳", "330182199001011238", "13800000001", "不吃辣，海鲜过敏", "（一楼）"],
    ["李明", "330182198505052311", "13800000002", "高血压；备药", '需要轮椅, 安排"一楼"房间'],
    ["张伟", "330182197712120019", "13800000003", "素食：不吃葱蒜", "第一行\n第二行"],
    ["陈静", "330182199212300026", "13800000004", "", " 前后有空格 "],
]


def plain_rows(n: int) -> list[list[str]]:
    return [[f"职工{i}", f"33018219900101{i:04d}", f"139{i:08d}", "无", "普通房"] for i in range(n)]


def cells(rows: list[list[str]]) -> list[list[str | None]]:
    """What the reader gives back: the text exactly, blank cells as None."""
    return [[c if c.strip() else None for c in row] for row in rows]


def excel_csv(rows: list[list[str]], delimiter: str = ",") -> str:
    """The text Excel writes (Python's csv.excel: minimal quoting, doubled quotes, CRLF)."""
    buffer = io.StringIO()
    csv.writer(buffer, csv.excel, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


def rows_of(path: Path) -> list[list[object]]:
    sheets = read_sheets(path)
    assert len(sheets) == 1
    return sheets[0].rows


def refusal(path: Path) -> tuple[str, str, str]:
    """The refusal's key and its message in Chinese and in English."""
    with pytest.raises(ValidationError) as caught:
        read_sheets(path)
    error = caught.value
    shown = []
    for language in ("zh", "en"):
        messages.set_language(language)
        shown.append(error.message)
    messages.set_language("zh")
    return error.key, shown[0], shown[1]


def chinese_part(message: str) -> str:
    """A Chinese message without its path and its parenthesised technical detail."""
    return message.split("（技术信息")[0]


# --- CSV as Excel and LibreOffice write it -----------------------------------------------------------------


def test_doubled_quotes_and_line_breaks_far_beyond_the_first_4_kb(tmp_path: Path) -> None:
    table = [HEADER, *plain_rows(200), *SPECIAL]
    text = excel_csv(table)
    assert text.index('"需要轮椅, 安排""一楼""房间"') > 8192  # the quoting starts well after 4 KB
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode("utf-8"))
    assert rows_of(path) == cells(table)


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf", b""], ids=["CSV UTF-8 with BOM", "UTF-8 without BOM"])
def test_csv_utf8_as_excel_saves_it(tmp_path: Path, bom: bytes) -> None:
    # Excel's "CSV UTF-8 (Comma delimited)": BOM, CRLF, quotes only where needed, a cell's line break as LF.
    text = (
        "姓名,身份证号,手机,饮食禁忌,备注\r\n"
        "王芳,330182199001011238,13800000001,不吃辣，海鲜过敏,（一楼）\r\n"
        '李明,330182198505052311,13800000002,高血压；备药,"需要轮椅, 安排""一楼""房间"\r\n'
        '张伟,330182197712120019,13800000003,素食：不吃葱蒜,"第一行\n第二行"\r\n'
        "陈静,330182199212300026,13800000004,, 前后有空格 \r\n"
    )
    path = tmp_path / "roster.csv"
    path.write_bytes(bom + text.encode("utf-8"))
    assert rows_of(path) == cells([HEADER, *SPECIAL])


def test_unicode_text_is_utf16_with_tabs(tmp_path: Path) -> None:
    # Excel's "Unicode Text (*.txt)": UTF-16LE with its BOM, tab-delimited, CRLF.
    text = excel_csv([HEADER, *plain_rows(3), *SPECIAL], delimiter="\t")
    path = tmp_path / "名单.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    assert rows_of(path) == cells([HEADER, *plain_rows(3), *SPECIAL])


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised(tmp_path: Path, encoding: str) -> None:
    table = [HEADER, *SPECIAL, *plain_rows(2)]
    path = tmp_path / "roster.csv"
    path.write_bytes(excel_csv(table, "\t").encode(encoding))
    assert rows_of(path) == cells(table)


def test_utf16_with_a_bom_big_endian(tmp_path: Path) -> None:
    table = [HEADER, *SPECIAL]
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\xfe\xff" + excel_csv(table).encode("utf-16-be"))
    assert rows_of(path) == cells(table)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_and_gb18030_as_chinese_windows_saves_csv(tmp_path: Path, encoding: str) -> None:
    table = [HEADER, *SPECIAL]
    if encoding == "gb18030":  # a name with a character outside GBK (four bytes in GB18030)
        table = [*table, ["吉𠮷", "330182199001011238", "13800000005", "", "生僻字"]]
    path = tmp_path / "roster.csv"
    path.write_bytes(excel_csv(table).encode(encoding))
    assert rows_of(path) == cells(table)


@pytest.mark.parametrize("delimiter", [";", "\t"], ids=["semicolon", "tab"])
def test_semicolon_and_tab_delimiters_with_commas_in_notes(tmp_path: Path, delimiter: str) -> None:
    # Every note holds one ASCII comma, unquoted (it is not the delimiter): a comma split would give each
    # data row the same width; the header decides.
    table = [HEADER, *[[*row[:4], f"备注{i}, 已确认"] for i, row in enumerate(plain_rows(30))], *SPECIAL]
    path = tmp_path / "roster.csv"
    path.write_bytes(excel_csv(table, delimiter).encode("utf-8-sig"))
    assert rows_of(path) == cells(table)


def test_title_lines_blank_rows_and_trailing_empty_lines(tmp_path: Path) -> None:
    # A hand-made file: a title line of one cell, quoted notes full of commas, empty lines at the end.
    text = (
        "2021年第3批职工疗休养名单\r\n"
        "姓名,身份证号,备注\r\n"
        '王芳,330182199001011238,"不吃辣, 海鲜过敏, 花生过敏, 需要一楼"\r\n'
        "李明,330182198505052311,\r\n"
        ",,\r\n"
        '张伟,330182197712120019,"a,b,c,d,e,f"\r\n'
        "\r\n\r\n\r\n"
    )
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode("utf-8"))
    assert rows_of(path) == [
        ["2021年第3批职工疗休养名单"],
        ["姓名", "身份证号", "备注"],
        ["王芳", "330182199001011238", "不吃辣, 海鲜过敏, 花生过敏, 需要一楼"],
        ["李明", "330182198505052311", None],
        [None, None, None],
        ["张伟", "330182197712120019", "a,b,c,d,e,f"],
        [],
        [],
        [],
    ]


def test_full_width_commas_never_split_a_cell(tmp_path: Path) -> None:
    table = [["姓名", "饮食禁忌"], ["王芳", "不吃辣，海鲜过敏，花生过敏"], ["李明", "无，无，无"]]
    path = tmp_path / "roster.csv"
    path.write_bytes(excel_csv(table).encode("utf-8"))
    assert rows_of(path) == table


def test_a_line_break_inside_quotes_in_a_middle_column(tmp_path: Path) -> None:
    # Under a wrong delimiter these quotes are not seen and each record splits in two rows of one width.
    table = [["姓名", "备注", "手机"], *[[f"职工{i}", f"a,b\n{i};c", "138"] for i in range(5)]]
    path = tmp_path / "roster.csv"
    path.write_bytes(excel_csv(table, ";").encode("utf-8"))
    assert rows_of(path) == table


delimiters = st.sampled_from([",", ";", "\t"])
text_cell = st.lists(
    st.one_of(
        st.sampled_from([*'",;\t\n\r \u3000，；：（）“”、', "\r\n", "不吃辣，海鲜过敏", "高血压；备药"]),
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    ),
    max_size=10,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    width=st.integers(min_value=2, max_value=6),
    delimiter=delimiters,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_table_written_by_csv_writer_reads_back(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, width: int, delimiter: str, encoding: str
) -> None:
    """A roster's header (labels), then rows of any text: the cells come back exactly (blank ones as None).

    The reader does not strip cells: spaces at a cell's edges stay."""
    header = data.draw(
        st.lists(st.sampled_from([*HEADER, "单位", "部门"]), min_size=width, max_size=width, unique=True)
    )
    rows = data.draw(st.lists(st.lists(text_cell, min_size=width, max_size=width), max_size=8))
    table = [header, *rows]
    path = tmp_path_factory.mktemp("prop") / "table.csv"
    path.write_bytes(excel_csv(table, delimiter).encode(encoding))
    assert rows_of(path) == cells(table)


# --- refusals ----------------------------------------------------------------------------------------------


def test_binary_junk_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(bytes(range(256)) * 4)
    key, _zh, _en = refusal(path)
    assert key == "import.not_what_it_says"


def test_an_unknown_encoding_is_said_in_the_users_language(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\xff\xfa\xfb,\x80\x80\xff\r\n")  # neither UTF-8 nor GB18030, and no NUL
    key, zh, en = refusal(path)
    assert key == "import.encoding"
    assert "编码无法识别" in zh and "UTF-8" in zh
    assert "encoding" in en and "not recognised" in en
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in en.replace(str(path), ""))


def test_a_csv_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    with path.open("wb") as handle:  # a sparse file: 51 MB of NULs that would read as binary junk
        handle.truncate(MAX_TEXT_BYTES + 1024 * 1024)
    key, zh, en = refusal(path)
    assert key == "import.too_large"
    assert "51.0 MB" in zh and "50 MB" in zh
    assert "too big" in en


def test_an_empty_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"")
    key, zh, en = refusal(path)
    assert key == "import.empty_file"
    assert "空文件" in zh and "empty" in en


def small_workbook(path: Path, rows: list[list[str]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("名单")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return path


def test_a_truncated_xlsx_is_called_incomplete_in_chinese(tmp_path: Path) -> None:
    whole = small_workbook(tmp_path / "whole.xlsx", [HEADER, *plain_rows(50), *SPECIAL])
    assert rows_of(whole) == cells([HEADER, *plain_rows(50), *SPECIAL])
    data = whole.read_bytes()
    for cut in (len(data) // 2, len(data) - 100):
        path = tmp_path / f"cut{cut}.xlsx"
        path.write_bytes(data[:cut])
        key, zh, en = refusal(path)
        assert key == "import.damaged"
        assert "不完整或已损坏" in zh and "没有下载完整" in zh
        head = chinese_part(zh).replace(str(path), "")
        for word in ("Zip", "EOCD", "buffer", "invalid", "archive"):
            assert word not in head
        assert "incomplete or damaged" in en


def test_a_password_protected_xlsx_says_so(tmp_path: Path) -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml", reason="msoffcrypto-tool is in the test extra")
    plain = small_workbook(tmp_path / "plain.xlsx", [HEADER, *SPECIAL])
    for name in (
        "名单.xlsx",
        "名单.xls",
        "名单",
    ):  # Excel's encrypted .xlsx is an OLE file, whatever its name
        path = tmp_path / name
        with plain.open("rb") as source, path.open("wb") as target:
            ooxml.OOXMLFile(source).encrypt("secret", target)
        assert path.read_bytes().startswith(b"\xd0\xcf\x11\xe0")
        key, zh, en = refusal(path)
        assert key == "import.password"
        assert "设有打开密码" in zh and "不设密码的副本" in zh
        assert "protected by a password" in en and "without a password" in en


def test_web_pages_and_xml_saved_as_xls_are_named(tmp_path: Path) -> None:
    html = (
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head>'
        "<body><table><tr><td>姓名</td><td>身份证号</td></tr><tr><td>王芳</td><td>330182199001011238</td>"
        "</tr></table></body></html>"
    )
    xml2003 = (
        '<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="名单"><Table><Row>'
        '<Cell><Data ss:Type="String">姓名</Data></Cell></Row></Table></Worksheet></Workbook>'
    )
    cases = [
        ("export.xls", "\ufeff" + html, "网页（HTML）", "web page (HTML)"),
        ("export.csv", html, "网页（HTML）", "web page (HTML)"),
        ("export2003.xls", xml2003, "Excel 2003 XML", "Excel 2003 XML spreadsheet"),
        ("data.xml", '<?xml version="1.0"?><rows><row name="王芳"/></rows>', "XML 文件", "an XML file"),
    ]
    for name, text, zh_words, en_words in cases:
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8"))
        key, zh, en = refusal(path)
        assert key == "import.unsupported_format", name
        assert zh_words in zh and ".xlsx、.xls、.ods 或 CSV" in zh
        assert en_words in en and ".xlsx, .xls, .ods or CSV" in en


def test_numbers_and_pdf_are_named(tmp_path: Path) -> None:
    numbers = tmp_path / "名单.numbers"
    with zipfile.ZipFile(numbers, "w") as archive:
        archive.writestr("Index/Document.iwa", b"\x00" * 20)
    pdf = tmp_path / "名单.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    for path, zh_words, en_words in ((numbers, "Numbers", "Apple Numbers"), (pdf, "PDF", "PDF")):
        key, zh, en = refusal(path)
        assert key == "import.unsupported_format"
        assert zh_words in zh and en_words in en


def test_a_birth_date_before_1900_has_its_own_message() -> None:
    number = people.with_check_character("33018211111111123")
    check = people.check_id(number)
    assert check.error is not None and check.error[0] == "id.early_birth"
    zh = messages.text(check.error[0], **check.error[1])
    assert "1111-11-11" in zh and "早于 1900 年" in zh and "今天之后" not in zh
    messages.set_language("en")
    try:
        en = messages.text(check.error[0], **check.error[1])
    finally:
        messages.set_language("zh")
    assert "1111-11-11" in en and "before 1900" in en and "after today" not in en
    future = people.check_id(people.with_check_character("33018221000101001"))
    assert future.error is not None and future.error[0] == "id.future_birth"


def test_export_batches_counts_batches(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from python_calamine import CalamineWorkbook

    out = tmp_path / "batches.xlsx"
    assert cli_main(["--db", str(demo_path), "export", "batches", "--year", "2021", "-o", str(out)]) == 0
    err = capsys.readouterr().err.strip()
    rows = err.split("已导出 ")[1].split(" 个批次到 ")[0]
    assert err == f"已导出 {rows} 个批次到 {out}。"
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    # a title, the header, one row per batch, a total row
    codes = [row[0] for row in sheet[2:-1]]
    assert int(rows) == len(codes) > 1000
    assert (
        cli_main(
            ["--lang", "en", "--db", str(demo_path), "export", "batches", "--year", "2021", "-o", str(out)]
        )
        == 0
    )
    assert capsys.readouterr().err.strip() == f"{rows} batches exported to {out}."


# --- files saved by LibreOffice ----------------------------------------------------------------------------

LO_TABLE = [HEADER, *plain_rows(200), *SPECIAL]


def soffice_or_skip() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        reason = (
            "LibreOffice (soffice) is not installed: scripts/setup-env test installs libreoffice-calc-nogui"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return soffice


def convert(soffice: str, profile: Path, target: str, files: list[Path], outdir: Path) -> None:
    """One soffice call for several files (a start costs seconds); a private profile so that a LibreOffice
    already running elsewhere is neither used nor disturbed."""
    outdir.mkdir(exist_ok=True)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def libreoffice_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    soffice = soffice_or_skip()
    folder = tmp_path_factory.mktemp("libreoffice")
    source = small_workbook(folder / "名单.xlsx", LO_TABLE)
    other = small_workbook(folder / "第二批.xlsx", [HEADER, *SPECIAL])
    profile = folder / "profile"
    # LibreOffice writes UTF-8 CSV with this filter only (44 comma, 34 quote, 76 UTF-8, 1 from line 1).
    convert(soffice, profile, "csv:Text - txt - csv (StarCalc):44,34,76,1", [source, other], folder / "csv")
    convert(soffice, profile, "xls", [source, other], folder / "xls")
    convert(soffice, profile, "ods", [source], folder / "ods")
    convert(soffice, profile, "fods", [source], folder / "fods")
    return {
        "xlsx": source,
        "csv": folder / "csv" / "名单.csv",
        "csv2": folder / "csv" / "第二批.csv",
        "xls": folder / "xls" / "名单.xls",
        "xls2": folder / "xls" / "第二批.xls",
        "ods": folder / "ods" / "名单.ods",
        "fods": folder / "fods" / "名单.fods",
    }


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["xlsx", "csv", "xls", "ods"])
def test_libreoffice_files_read_as_written(libreoffice_files: dict[str, Path], kind: str) -> None:
    assert rows_of(libreoffice_files[kind]) == cells(LO_TABLE)


@pytest.mark.slow
def test_libreoffice_csv_quotes_as_expected(libreoffice_files: dict[str, Path]) -> None:
    text = libreoffice_files["csv2"].read_text("utf-8")
    assert '"需要轮椅, 安排""一楼""房间"' in text and '"第一行\n第二行"' in text
    assert rows_of(libreoffice_files["csv2"]) == cells([HEADER, *SPECIAL])


@pytest.mark.slow
def test_libreoffice_fods_is_refused_by_name(libreoffice_files: dict[str, Path], tmp_path: Path) -> None:
    renamed = tmp_path / "名单.xls"  # the same flat XML under an Excel name
    shutil.copy(libreoffice_files["fods"], renamed)
    for path in (libreoffice_files["fods"], renamed):
        key, zh, en = refusal(path)
        assert key == "import.unsupported_format"
        assert "LibreOffice 平面 XML 表格（.fods）" in zh and "标题行" not in zh
        assert "LibreOffice flat XML spreadsheet (.fods)" in en


@pytest.mark.slow
def test_a_truncated_xls_is_called_incomplete(libreoffice_files: dict[str, Path], tmp_path: Path) -> None:
    data = libreoffice_files["xls"].read_bytes()
    # cut on a sector boundary and in the middle of one (calamine 0.37 panics on the latter)
    for cut in (len(data) // 2 // 512 * 512, len(data) // 2 // 512 * 512 + 300):
        path = tmp_path / f"cut{cut}.xls"
        path.write_bytes(data[:cut])
        key, zh, en = refusal(path)
        assert key == "import.damaged"
        assert "不完整或已损坏" in zh and "incomplete or damaged" in en


UNO_SAVE_WITH_PASSWORD = r"""
import os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

soffice, profile, pipe, source, target = sys.argv[1:]
office = subprocess.Popen([soffice, "-env:UserInstallation=" + profile, "--headless", "--invisible",
    "--norestore", "--accept=pipe,name=%s;urp;" % pipe], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(300):
        try:
            context = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.1)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "MS Excel 97"), prop("Password", "secret")))
    doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
    office.wait(60)
finally:
    if office.poll() is None:
        office.kill()
"""


@pytest.mark.slow
def test_a_password_protected_xls_from_libreoffice_says_so(tmp_path: Path) -> None:
    """An encrypted .xls (a FILEPASS record) saved by LibreOffice through UNO (python3-uno, which
    libreoffice-common recommends; the command line cannot give a password)."""
    soffice = soffice_or_skip()
    python = next((p for p in ("/usr/bin/python3", shutil.which("python3")) if p and Path(p).is_file()), None)
    has_uno = (
        python is not None
        and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0
    )
    if not has_uno:
        reason = "the system Python has no uno module (Debian: python3-uno)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    source = small_workbook(tmp_path / "plain.xlsx", [HEADER, *SPECIAL])
    target = tmp_path / "名单.xls"
    script = tmp_path / "save_with_password.py"
    script.write_text(UNO_SAVE_WITH_PASSWORD)
    subprocess.run(
        [
            python,
            str(script),
            soffice,
            (tmp_path / "profile").as_uri(),
            f"rd{os.getpid()}",
            str(source),
            str(target),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert target.read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    key, zh, en = refusal(target)
    assert key == "import.password"
    assert "设有打开密码" in zh and "protected by a password" in en
