"""Personal data contained (issue 16, point 6): files, logs, masked exports, the audit log and messages.

- every workbook and PDF with people's data is created readable by its owner only (0600) from its first byte,
  temporary files included, and a writer that fails leaves nothing behind;
- log files mask ID numbers and phones in the forms people type them, and a failed statement's text never
  carries a row's values;
- a masked export masks the numbers typed into free text (紧急联系人, 备注 …) and still imports back with no
  change;
- the audit log records that a number changed without the number, and records every output of full phones;
- ``check`` and the import's messages quote ID numbers masked: the row number and the name find the person.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import stat
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import insert, select, text
from sqlalchemy.exc import DBAPIError

from recuperation.cli import main as cli_main
from recuperation.documents import batch_docs
from recuperation.documents.annual import print_annual
from recuperation.errors import DomainError
from recuperation.logs import MaskingFilter, PrivateFileHandler, PrivateRotatingFileHandler, mask_personal
from recuperation.models import Participant, table_of
from recuperation.people import mask_id, mask_in_text, mask_phone, with_check_character
from recuperation.private_files import private_output
from recuperation.services import checks
from recuperation.services.audit import list_audit
from recuperation.services.batch import batches, rosters
from recuperation.services.batch.roster_import import apply_import, plan_import
from recuperation.services.common import audit_value
from recuperation.services.registers import apply_register, plan_register
from recuperation.storage.database import Database
from recuperation.templates import write_template
from recuperation.workbooks import export_batches_year, export_partner_year, export_roster, export_statistics
from tests.factories import audit_user, partner
from tests.round_trip_helpers import roster_round_trip, snapshot, unchanged_problems

FRONTLINE = "L2021-0140"  # 200 people, 杭州市总工会, 31 March – 2 April 2021
OVERLAPPING = "L2021-0141"  # 31 March – 2 April 2021 too
D = dt.date

# --- files: 0600 from the first byte ---------------------------------------------------------------------------


@dataclass
class Watch:
    """What an audit hook saw while a writer ran: every file under the watched folders at every file event."""

    folders: tuple[Path, ...]
    active: bool = False
    scanning: bool = False
    seen: set[str] = field(default_factory=set)
    exposed: dict[str, int] = field(default_factory=dict)  # file → its mode when others could read it

    def scan(self) -> None:
        for folder in self.folders:
            for root, dirs, files in os.walk(folder):
                for name in files + dirs:
                    path = os.path.join(root, name)
                    try:
                        mode = stat.S_IMODE(os.lstat(path).st_mode)
                    except OSError:
                        continue  # removed meanwhile
                    self.seen.add(path)
                    if mode & 0o077:
                        self.exposed[path] = mode


_WATCH: list[Watch] = []
_EVENTS = {"open", "os.rename", "os.remove", "os.chmod", "os.mkdir", "shutil.copyfile", "shutil.rmtree"}


def _hook(event: str, _args: tuple[Any, ...]) -> None:
    if not _WATCH or event not in _EVENTS:
        return
    watch = _WATCH[-1]
    if watch.active and not watch.scanning:
        watch.scanning = True
        try:
            watch.scan()
        finally:
            watch.scanning = False


sys.addaudithook(_hook)  # audit hooks cannot be removed: it does nothing unless a test watches


@pytest.fixture
def no_umask() -> Iterator[None]:
    """The most permissive umask: a file is private only because the writer made it so."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder for this test, to see the writers' temporary files too."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@contextlib.contextmanager
def watching(*folders: Path) -> Iterator[Watch]:
    watch = Watch(tuple(folders))
    _WATCH.append(watch)
    watch.active = True
    try:
        yield watch
    finally:
        watch.active = False
        watch.scan()
        _WATCH.remove(watch)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _small_partner(db: Database) -> str:
    """A partner with a few batches in 2021 and people on them (a quick partner's year)."""
    with db.engine.connect() as conn:
        return str(
            conn.execute(
                text(
                    "SELECT o.name FROM partner o JOIN batch b ON b.partner_id = o.id "
                    "JOIN participant p ON p.batch_id = b.id WHERE b.arrival BETWEEN '2021-01-01' AND '2021-12-31' "
                    "GROUP BY o.id, o.name ORDER BY count(DISTINCT b.id), o.name LIMIT 1"
                )
            ).scalar_one()
        )


WRITERS: dict[str, Callable[[Database, Path], object]] = {
    "roster-masked": lambda db, p: export_roster(db, FRONTLINE, p),
    "roster-full": lambda db, p: export_roster(db, FRONTLINE, p, full_ids=True),
    "partner-masked": lambda db, p: export_partner_year(db, _small_partner(db), 2021, p),
    "partner-full": lambda db, p: export_partner_year(db, _small_partner(db), 2021, p, full_ids=True),
    "batches-year": lambda db, p: export_batches_year(db, 2021, p),
    "statistics": lambda db, p: export_statistics(db, D(2021, 1, 1), D(2021, 12, 31), p),
    "template-empty": lambda db, p: write_template("roster", p),
    "template-batches": lambda db, p: write_template("batches", p, db),
    "template-partners": lambda db, p: write_template("partners", p, db),
    "template-bases": lambda db, p: write_template("bases", p, db),
    "manifest-masked": lambda db, p: batch_docs.print_manifest(db, FRONTLINE, p),
    "manifest-full": lambda db, p: batch_docs.print_manifest(db, FRONTLINE, p, full_ids=True),
    "rooming": lambda db, p: batch_docs.print_rooming(db, FRONTLINE, p),
    "itinerary": lambda db, p: batch_docs.print_itinerary(db, FRONTLINE, p),
    "route": lambda db, p: batch_docs.print_route(db, "XL01", p),
    "annual": lambda db, p: print_annual(db, 2021, None, p),
}


def _suffix(kind: str) -> str:
    return (
        ".xlsx"
        if kind.split("-")[0] in ("roster", "partner", "batches", "statistics", "template")
        else ".pdf"
    )


@pytest.mark.parametrize("kind", list(WRITERS))
def test_every_writer_creates_its_file_private_from_the_first_byte(
    kind: str, demo_db: Database, tmp_path: Path, scratch: Path, no_umask: None
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"文件{_suffix(kind)}"
    with watching(out, scratch) as watch:
        WRITERS[kind](demo_db, target)
    assert _mode(target) == 0o600
    assert [p.name for p in out.iterdir()] == [target.name], "no temporary file is left beside it"
    assert list(scratch.iterdir()) == [], "no scratch file is left in the temporary folder"
    assert any(p.endswith(".part") for p in watch.seen), "the writer wrote a temporary file first"
    assert watch.exposed == {}, f"readable by others while writing: {watch.exposed}"


def test_the_watch_sees_a_world_readable_file(tmp_path: Path, scratch: Path, no_umask: None) -> None:
    """The check above would notice a writer that opens its file the ordinary way."""
    out = tmp_path / "out"
    out.mkdir()
    with watching(out, scratch) as watch:
        (out / "plain.txt").write_text("张三 330185196601010013")
        os.rename(out / "plain.txt", out / "renamed.txt")
    assert str(out / "plain.txt") in watch.exposed


def test_replacing_a_world_readable_file_makes_it_private(demo_db: Database, tmp_path: Path) -> None:
    old = tmp_path / "名单.xlsx"
    old.write_bytes(b"old")
    old.chmod(0o644)
    export_roster(demo_db, FRONTLINE, old, full_ids=True)
    assert _mode(old) == 0o600


def _fail_zip_midway(monkeypatch: pytest.MonkeyPatch) -> None:
    """XlsxWriter zips its parts into the file one by one: the third part fails (a full disk)."""
    original = zipfile.ZipFile.write
    calls = {"n": 0}

    def write(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        original(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "write", write)


def _fail_pdf_midway(monkeypatch: pytest.MonkeyPatch) -> None:
    """reportlab writes the PDF with open(…, "wb"): half of it is written, then the disk is full."""
    from reportlab.pdfbase import pdfdoc

    def save(self: Any, filename: Any, canvas: Any) -> None:
        with open(filename, "wb") as f:
            f.write(b"%PDF-1.4\n% half a manifest: 330185196601010013\n")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdfdoc.PDFDocument, "SaveToFile", save)


@pytest.mark.parametrize(
    "kind", ["roster-full", "partner-full", "template-batches", "manifest-full", "rooming"]
)
@pytest.mark.parametrize("existing", [False, True], ids=["new", "replacing"])
def test_a_writer_that_fails_midway_leaves_nothing_behind(
    kind: str,
    existing: bool,
    demo_db: Database,
    tmp_path: Path,
    scratch: Path,
    no_umask: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"文件{_suffix(kind)}"
    if existing:
        target.write_bytes(b"the file as it was")
    (_fail_pdf_midway if target.suffix == ".pdf" else _fail_zip_midway)(monkeypatch)
    with watching(out, scratch) as watch, pytest.raises(Exception, match="No space left"):
        WRITERS[kind](demo_db, target)
    assert [p.name for p in out.iterdir()] == ([target.name] if existing else [])
    if existing:
        assert target.read_bytes() == b"the file as it was"
    assert list(scratch.iterdir()) == []
    assert watch.exposed == {} or set(watch.exposed) == {str(target)}  # only the file that was there before


def test_private_output_removes_its_file_on_any_failure(tmp_path: Path, no_umask: None) -> None:
    target = tmp_path / "x.pdf"
    with pytest.raises(KeyboardInterrupt), private_output(target) as temp:
        assert _mode(temp) == 0o600 and temp.parent == tmp_path
        temp.write_bytes(b"half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_the_cli_writes_private_files(demo_db: Database, tmp_path: Path, no_umask: None) -> None:
    for command, name in (
        (["roster", "export", FRONTLINE, "--full-ids"], "r.xlsx"),
        (["print", "manifest", FRONTLINE, "--full-ids"], "m.pdf"),
        (["template", "batches", "--with-data"], "t.xlsx"),
    ):
        assert cli_main(["--db", demo_db.url, *command, "-o", str(tmp_path / name)]) == 0
        assert _mode(tmp_path / name) == 0o600, command


# --- logs ------------------------------------------------------------------------------------------------------

_FILLER_CHARS = "张王李赵伟芳手机身份证号码紧急联系人备注电话：，。；、（）abcXYZ "
filler = st.text(alphabet=_FILLER_CHARS, min_size=1, max_size=8).filter(lambda s: s.strip() != "")
sep = st.sampled_from(["", " ", "-"])


@st.composite
def id18(draw: st.DrawFn) -> tuple[str, str]:
    """An 18-character ID number as people type it, and how it must read once masked."""
    region = draw(st.integers(110000, 829999))
    birth = draw(st.dates(D(1920, 1, 1), D(2020, 12, 31)))
    number = with_check_character(f"{region}{birth:%Y%m%d}{draw(st.integers(0, 999)):03d}")
    if number.endswith("X") and draw(st.booleans()):
        number = number[:-1] + "x"
    groups = draw(st.sampled_from([(6, 8, 4), (6, 4, 4, 4), (18,)]))
    s = draw(sep)
    parts, at = [], 0
    for size in groups:
        parts.append(number[at : at + size])
        at += size
    return s.join(parts), mask_id(number)


@st.composite
def id15(draw: st.DrawFn) -> tuple[str, str]:
    region = draw(st.integers(110000, 829999))
    birth = draw(st.dates(D(1920, 1, 1), D(1999, 12, 31)))
    number = f"{region}{birth:%y%m%d}{draw(st.integers(0, 999)):03d}"
    s = draw(sep)
    return (s.join([number[:6], number[6:12], number[12:]]) if s else number), mask_id(number)


@st.composite
def mobile(draw: st.DrawFn) -> tuple[str, str]:
    number = f"1{draw(st.integers(3, 9))}{draw(st.integers(0, 999_999_999)):09d}"
    s = draw(sep)
    body = s.join([number[:3], number[3:7], number[7:]])
    prefix = draw(st.sampled_from(["", "+86", "0086", "86", "+86 ", "+86-", "0086 "]))
    return prefix + body, prefix + mask_phone(number)


@st.composite
def landline(draw: st.DrawFn) -> tuple[str, str]:
    area = draw(st.sampled_from(["010", "021", "0571", "0574", "0591"]))
    local = f"{draw(st.integers(2, 8))}{draw(st.integers(0, 9_999_999)):07d}"[: draw(st.sampled_from([7, 8]))]
    shape = draw(st.sampled_from(["{a}-{l}", "{a} {l}", "({a}){l}", "{a}{l}", "{a}-{l4}"]))
    split = local[:-4] + " " + local[-4:]
    typed = shape.format(a=area, l=local, l4=split)
    shown_area = {"{a}-{l}": area + "-", "{a} {l}": area + " ", "({a}){l}": f"({area})", "{a}{l}": area}
    head = shown_area.get(shape, area + "-")
    return typed, head + "*" * (len(local) - 4) + local[-4:]


@st.composite
def ordinary(draw: st.DrawFn) -> str:
    """Numbers that are not anyone's: dates, amounts, batch codes, counts, times, rates."""
    day = draw(st.dates(D(2000, 1, 1), D(2030, 12, 31)))
    return draw(
        st.sampled_from(
            [
                day.isoformat(),
                f"{day.year}年{day.month}月{day.day}日",
                f"{day:%Y%m%d}",
                f"{draw(st.integers(0, 10**9)):,}",
                f"{draw(st.integers(0, 10**9)):,} 元",
                f"L{day.year}-{draw(st.integers(1, 9999)):04d}",
                str(draw(st.integers(0, 99_999))),
                f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}",
                f"{draw(st.integers(0, 100))}.{draw(st.integers(0, 9))}%",
                f"0{draw(st.integers(1, 9))}0{draw(st.integers(1, 9))}",  # a room 0301
            ]
        )
    )


piece = st.one_of(
    id18().map(lambda p: ("number", *p)),
    id15().map(lambda p: ("number", *p)),
    mobile().map(lambda p: ("number", *p)),
    landline().map(lambda p: ("number", *p)),
    ordinary().map(lambda s: ("ordinary", s, s)),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(filler, piece), min_size=1, max_size=6), filler)
def test_log_masking_masks_every_typed_form_and_nothing_else(
    pieces: list[tuple[str, tuple[str, str, str]]], tail: str
) -> None:
    typed = "".join(f + p[1] for f, p in pieces) + tail
    expected = "".join(f + p[2] for f, p in pieces) + tail
    assert mask_personal(typed) == expected
    assert mask_in_text(expected) == expected  # masking again changes nothing
    assert len(expected) <= len(typed)


def test_the_examples_of_the_issue_are_masked() -> None:
    line = "insert failed: ('张三', '330185 19660101 0013', '+8613900000000', '139-0000-0000', '1966-01-01')"
    masked = mask_personal(line)
    for number in ("19660101", "13900000000", "139-0000-0000", "0000-0000"):
        assert number not in masked
    assert "330185********0013" in masked and "+86139****0000" in masked and "139****0000" in masked
    assert "1966-01-01" in masked and "张三" in masked  # a date is not a number to mask


def test_a_failed_insert_keeps_the_rows_values_out_of_its_text(demo_db: Database) -> None:
    participant = table_of(Participant)
    values = {
        "batch_id": 10**9,  # no such batch
        "version": 1,
        "name": "欧阳秀英",
        "id_number": "330185196601010013",
        "phone": "+8613900000000",
        "birth_date": D(1966, 1, 1),
        "created_at": dt.datetime(2021, 1, 1),
        "updated_at": dt.datetime(2021, 1, 1),
        "updated_by": "x",
    }
    with pytest.raises(DBAPIError) as caught, demo_db.engine.begin() as conn:
        conn.execute(insert(participant), [values])
    message = str(caught.value)
    assert "hidden" in message
    for value in ("欧阳秀英", "330185196601010013", "13900000000", "1966-01-01"):
        assert value not in message


def test_log_files_are_private_and_masked(tmp_path: Path, no_umask: None) -> None:
    logger = logging.getLogger("recuperation.test_personal_data")
    logger.propagate = False
    plain = PrivateFileHandler(tmp_path / "cli.log", encoding="utf-8")
    rotating = PrivateRotatingFileHandler(
        tmp_path / "desk.log", maxBytes=300, backupCount=2, encoding="utf-8"
    )
    for handler in (plain, rotating):
        handler.addFilter(MaskingFilter())
        logger.addHandler(handler)
    try:
        for _ in range(8):  # enough to rotate twice
            try:
                raise ValueError("row 7: 330185-19660101-0013 王芳 139 0000 0000 (0571)6471 2345")
            except ValueError:
                logger.exception("import failed for %s", "+86 13900001111")
    finally:
        for handler in (plain, rotating):
            logger.removeHandler(handler)
            handler.close()
    files = sorted(tmp_path.glob("*.log*"))
    assert len(files) >= 3  # cli.log, desk.log, desk.log.1 …
    for path in files:
        assert _mode(path) == 0o600, path
        body = path.read_text(encoding="utf-8")
        assert "ValueError" in body or "import failed" in body
        for number in ("19660101", "0000 0000", "13900001111", "6471 2345"):
            assert number not in body, (path, number)


def test_the_cli_log_is_private_and_masks_an_unexpected_error(
    demo_db: Database, tmp_path: Path, no_umask: None, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    import recuperation.workbooks

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("cannot write 330185 19660101 0013 / 139-0000-0000")

    monkeypatch.setattr(recuperation.workbooks, "export_roster", broken)
    logger = logging.getLogger("recuperation")
    before = list(logger.handlers)
    try:
        assert (
            cli_main(["--db", demo_db.url, "roster", "export", FRONTLINE, "-o", str(tmp_path / "x.xlsx")])
            == 1
        )
    finally:
        for handler in [h for h in logger.handlers if h not in before]:
            logger.removeHandler(handler)
            handler.close()
    err = capsys.readouterr().err
    log = Path(os.environ["RECUPERATION_DATA_DIR"]) / "logs" / "recuperation.log"
    assert _mode(log) == 0o600
    body = log.read_text(encoding="utf-8")
    assert "RuntimeError" in body
    for text_ in (body, err):
        assert "19660101" not in text_ and "0000-0000" not in text_
        assert "330185********0013" in text_ and "139****0000" in text_


# --- masked exports mask free text and read back unchanged -----------------------------------------------------

FREE_TEXT = {
    "emergency_contact": "李强（配偶）139-0000-1111",
    "notes": "身份证 330185 19660101 0013；家里 0571-64712345",
    "health": "高血压，女儿 +8613900002222",
    "diet": "不吃辣 13900003333",
    "department": "办公室 139 0000 4444",
}
FULL_NUMBERS = (
    "13900001111",
    "330185196601010013",
    "64712345",
    "13900002222",
    "13900003333",
    "13900004444",
    "19660101",
)


def _digits(value: object) -> str:
    return re.sub(r"\D", "", "" if value is None else str(value))


def _type_free_text(db: Database, code: str, people: int = 3) -> list[int]:
    """Give the first people of a batch free text with numbers in it, as coordinators type it."""
    with db.engine.begin() as conn:
        ids = [
            int(i)
            for (i,) in conn.execute(
                text(
                    "SELECT p.id FROM participant p JOIN batch b ON b.id = p.batch_id "
                    "WHERE b.code = :c ORDER BY p.id LIMIT :n"
                ),
                {"c": code, "n": people},
            )
        ]
        for i in ids:
            sets = ", ".join(f"{k} = :{k}" for k in FREE_TEXT)
            conn.execute(text(f"UPDATE participant SET {sets} WHERE id = :id"), {**FREE_TEXT, "id": i})
    return ids


def _no_full_number(cells: list[str]) -> None:
    for cell in cells:
        for number in FULL_NUMBERS:
            assert number not in _digits(cell), (cell, number)


def test_a_masked_roster_masks_free_text_and_reads_back_unchanged(demo_db: Database, tmp_path: Path) -> None:
    _type_free_text(demo_db, FRONTLINE)
    path = tmp_path / "名单.xlsx"
    export_roster(demo_db, FRONTLINE, path)
    sheet = openpyxl.load_workbook(path)["名单"]
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    _no_full_number(cells)
    assert "李强（配偶）139****1111" in cells
    assert "身份证 330185********0013；家里 0571-****2345" in cells
    assert "高血压，女儿 +86139****2222" in cells and "办公室 139****4444" in cells
    before = snapshot(demo_db, tmp_path / "before")
    problems = roster_round_trip(demo_db, FRONTLINE, path, before, people=200, masked=True)
    assert not problems, "\n".join(problems)


def test_a_full_roster_keeps_free_text_as_typed(demo_db: Database, tmp_path: Path) -> None:
    _type_free_text(demo_db, FRONTLINE, 1)
    path = tmp_path / "名单.xlsx"
    export_roster(demo_db, FRONTLINE, path, full_ids=True)
    cells = {str(v) for row in openpyxl.load_workbook(path)["名单"].iter_rows(values_only=True) for v in row}
    assert FREE_TEXT["emergency_contact"] in cells and FREE_TEXT["notes"] in cells


def test_changed_free_text_with_masked_numbers_is_refused(demo_db: Database, tmp_path: Path) -> None:
    _type_free_text(demo_db, FRONTLINE, 1)
    path = tmp_path / "名单.xlsx"
    export_roster(demo_db, FRONTLINE, path)
    book = openpyxl.load_workbook(path)
    sheet = book["名单"]
    header = [c.value for c in sheet[2]]
    column = header.index("备注") + 1
    sheet.cell(3, column).value = str(sheet.cell(3, column).value) + "，已改"
    book.save(path)
    plan = plan_import(demo_db, FRONTLINE, path)
    assert [(p.row, p.field) for p in plan.errors] == [(3, "notes")]
    assert "隐去" in plan.errors[0].message and plan.changed == [] and plan.removed == []


def test_a_masked_partner_workbook_masks_free_text_and_reads_back_unchanged(
    demo_db: Database, tmp_path: Path
) -> None:
    partner_name = _small_partner(demo_db)
    with demo_db.engine.connect() as conn:
        code = conn.execute(
            text(
                "SELECT b.code FROM batch b JOIN partner o ON o.id = b.partner_id JOIN participant p "
                "ON p.batch_id = b.id WHERE o.name = :n AND b.arrival >= '2021-01-01' LIMIT 1"
            ),
            {"n": partner_name},
        ).scalar_one()
    _type_free_text(demo_db, code, 2)
    path = tmp_path / "合作单位.xlsx"
    export_partner_year(demo_db, partner_name, 2021, path)
    book = openpyxl.load_workbook(path)
    cells = [str(v) for s in book.worksheets for row in s.iter_rows(values_only=True) for v in row if v]
    _no_full_number(cells)
    assert "办公室 139****4444" in cells
    before = snapshot(demo_db, tmp_path / "before")
    plan = plan_register(demo_db, "batches", path)
    report = plan.report()
    assert not report["errors"] and not report.get("new") and not report.get("changed"), report
    apply_register(demo_db, plan)
    assert unchanged_problems(demo_db, before) == []


def test_a_masked_manifest_masks_free_text(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE participant SET employer = '建德 0571-64712345', room = '139 0000 5555' WHERE id = "
                "(SELECT min(p.id) FROM participant p JOIN batch b ON b.id = p.batch_id WHERE b.code = :c)"
            ),
            {"c": FRONTLINE},
        )
    masked = tmp_path / "m.pdf"
    batch_docs.print_manifest(demo_db, FRONTLINE, masked)
    body = "".join(page.extract_text() for page in PdfReader(masked).pages).replace("\n", "").replace(" ", "")
    assert "64712345" not in body and "13900005555" not in body and "****2345" in body
    full = tmp_path / "f.pdf"
    batch_docs.print_manifest(demo_db, FRONTLINE, full, full_ids=True)
    body = "".join(page.extract_text() for page in PdfReader(full).pages).replace("\n", "").replace(" ", "")
    assert "64712345" in body


# --- the audit log ---------------------------------------------------------------------------------------------


def _audit_rows(db: Database) -> list[tuple[str, str, str, str, str]]:
    with db.engine.connect() as conn:
        return [
            tuple(str(v or "") for v in row)  # type: ignore[misc]
            for row in conn.execute(
                text("SELECT action, table_name, field, old, new FROM audit_log ORDER BY id")
            )
        ]


def test_a_changed_id_number_phone_and_free_text_are_audited_masked(db: Database) -> None:
    p = partner(db)
    batch = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 14), 2))
    old_id, new_id = with_check_character("33018219800101001"), with_check_character("33018519660101001")
    person, _ = rosters.add_participant(
        db, batch.id, rosters.ParticipantInput("王芳", old_id, phone="13900001111", emergency_contact="李强")
    )
    rosters.update_participant(
        db,
        person.id,
        person.version,
        rosters.ParticipantInput("王芳", new_id, phone="13900002222", emergency_contact="李强 139-0000-3333"),
    )
    entries = {a.field: a for a in list_audit(db, table="participant", record_id=person.id) if a.field}
    assert (entries["id_number"].old, entries["id_number"].new) == (mask_id(old_id), mask_id(new_id))
    assert (entries["phone"].old, entries["phone"].new) == ("139****1111", "139****2222")
    assert entries["emergency_contact"].new == "李强 139****3333"
    everything = " ".join(" ".join(row) for row in _audit_rows(db))
    for number in (old_id, new_id, "13900001111", "13900002222", "0000-3333", "13900003333"):
        assert number not in everything


def test_a_roster_import_audits_changed_phones_masked(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    export_roster(demo_db, FRONTLINE, path, full_ids=True)
    book = openpyxl.load_workbook(path)
    sheet = book["名单"]
    header = [c.value for c in sheet[2]]
    phone = header.index("手机号码") + 1
    old = str(sheet.cell(3, phone).value)
    sheet.cell(3, phone).value = "139 1234 5678"
    book.save(path)
    plan = plan_import(demo_db, FRONTLINE, path)
    assert len(plan.changed) == 1 and not plan.errors
    apply_import(demo_db, plan, reason="新手机 139 1234 5678")  # the batch is completed
    row = next(r for r in _audit_rows(demo_db) if r[0] == "update" and r[2] == "phone")
    assert row[3:] == (mask_phone(old), "139****5678")
    reason = next(r for r in _audit_rows(demo_db) if r[2] == "roster_reason")
    assert "139****5678" in reason[4] and "1234" not in reason[4]


def test_audit_values_of_phones_ids_and_codes() -> None:
    assert audit_value("leader_phone", "13912345678") == "139****5678"
    assert audit_value("contact_phone", "0571-64712345") == "0571-****2345"
    assert audit_value("contact_phone", "64712345") == mask_phone("64712345")
    assert audit_value("id_number", "330185196601010013") == "330185********0013"
    assert audit_value("notes", "联系 13912345678") == "联系 139****5678"
    assert audit_value("uscc", "123301820024928437") == "123301820024928437"  # a code, not a person
    assert audit_value("headcount", 40) == "40"


def test_a_register_with_phones_is_audited(demo_db: Database, tmp_path: Path, capsys: Any) -> None:
    with demo_db.engine.connect() as conn:
        phones = conn.execute(
            text("SELECT count(DISTINCT leader_phone) FROM batch WHERE leader_phone != ''")
        ).scalar()
    path = tmp_path / "批次.xlsx"
    assert cli_main(["--db", demo_db.url, "template", "batches", "--with-data", "-o", str(path)]) == 0
    entries = [a for a in list_audit(demo_db) if a.field == "full_phones"]
    assert [(a.action, a.table, a.user) for a in entries] == [("export", "batch", audit_user(demo_db))]
    assert entries[0].new == f"{phones} 个电话号码 → 批次.xlsx"
    write_template("partners", tmp_path / "p.xlsx", demo_db)
    write_template("bases", tmp_path / "b.xlsx", demo_db)
    write_template("routes", tmp_path / "r.xlsx", demo_db)  # no phones: nothing to record
    write_template("batches", tmp_path / "empty.xlsx")  # no data: nothing to record
    tables = [a.table for a in list_audit(demo_db) if a.field == "full_phones"]
    assert sorted(tables) == ["base", "batch", "partner"]


# --- messages quote ID numbers masked --------------------------------------------------------------------------

_FULL_ID = re.compile(r"\d{17}[\dXx]|\d{6}[ -]?\d{8}[ -]?\d{3}[\dXx]")


@pytest.mark.pg_owner  # writes people with raw SQL, as the schema's owner could
def test_check_prints_id_numbers_masked(demo_db: Database, capsys: Any) -> None:
    participant = table_of(Participant)
    with demo_db.engine.begin() as conn:
        batch_of = conn.execute(
            text("SELECT code, id FROM batch WHERE code IN (:a, :b)"), {"a": FRONTLINE, "b": OVERLAPPING}
        )
        ids = dict(batch_of.all())
        person = conn.execute(
            select(participant).where(participant.c.batch_id == ids[FRONTLINE]).order_by(participant.c.id)
        ).first()
        assert person is not None
        other = ids[OVERLAPPING]
        row = {k: v for k, v in person._mapping.items() if k != "id"}
        conn.execute(insert(table_of(Participant)), [{**row, "batch_id": other}])  # the same person twice
        bad = person.id_number[:-1] + ("0" if person.id_number[-1] != "0" else "1")
        conn.execute(insert(table_of(Participant)), [{**row, "batch_id": other, "id_number": bad}])
    problems = checks.check_database(demo_db)
    kinds = {p.kind for p in problems}
    assert {"overlap", "id_number"} <= kinds
    for problem in problems:
        assert not _FULL_ID.search(problem.message), problem.message
    assert any(mask_id(person.id_number) in p.message and person.name in p.message for p in problems)
    assert cli_main(["--db", demo_db.url, "check"]) == 1
    out = capsys.readouterr().out
    assert person.name in out and not _FULL_ID.search(out)


def _write_roster(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["姓名", "身份证号", "手机号码"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_import_messages_quote_id_numbers_masked(db: Database, tmp_path: Path, capsys: Any) -> None:
    p = partner(db)
    target = batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 14), 6, code="L2021-0100")
    )
    other = batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 5, 13), D(2021, 5, 15), 1, code="L2021-0101")
    )
    numbers = [with_check_character(f"3301821980010100{i}") for i in range(4)]
    rosters.add_participant(db, other.id, rosters.ParticipantInput("赵敏", numbers[3]))
    wrong_check = numbers[2][:-1] + ("0" if numbers[2][-1] != "0" else "1")
    unknown_region = with_check_character("99999919800101001")
    path = _write_roster(
        tmp_path / "名单.xlsx",
        [
            ["王芳", numbers[0], "13900001111"],
            ["王芳芳", numbers[0], "13900001112"],  # the same number twice
            ["李强", wrong_check, ""],  # a wrong check character
            ["赵敏", numbers[3], ""],  # already in an overlapping batch
            ["张伟", "330182198013010011", ""],  # no 13th month
            ["陈静", numbers[1][:15], ""],  # too short
            ["周杰", unknown_region, ""],  # a region code no table knows
        ],
    )
    plan = plan_import(db, target.code, path)
    found = plan.errors + plan.warnings
    assert {p.row for p in plan.errors} >= {3, 4, 5, 6, 7}
    assert [p.row for p in plan.warnings] == [8]
    for problem in found:
        assert not _FULL_ID.search(problem.message), problem.message
        assert numbers[1][:15] not in problem.message
    assert any(mask_id(numbers[0]) in p.message for p in plan.errors)
    assert any(mask_id(numbers[3]) in p.message and "L2021-0101" in p.message for p in plan.errors)
    assert cli_main(["--db", db.url, "roster", "import", target.code, str(path), "--dry-run"]) == 1
    out = capsys.readouterr()
    assert not _FULL_ID.search(out.out + out.err)


def test_a_refused_person_is_named_with_a_masked_number(db: Database) -> None:
    p = partner(db)
    first = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 14), 2))
    second = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 13), D(2021, 5, 15), 2))
    number = with_check_character("33018219800101001")
    rosters.add_participant(db, first.id, rosters.ParticipantInput("王芳", number))
    for batch_id in (first.id, second.id):  # the same batch again, then an overlapping one
        with pytest.raises(DomainError) as caught:
            rosters.add_participant(db, batch_id, rosters.ParticipantInput("王芳", number))
        assert mask_id(number) in caught.value.message and number not in caught.value.message
    with pytest.raises(DomainError) as caught:
        rosters.add_participant(db, first.id, rosters.ParticipantInput("李强", number[:-1] + "Y"))
    assert number[:-1] not in caught.value.message


# --- the desktop's kept print folder ---------------------------------------------------------------------------


@pytest.mark.ui
def test_the_desktops_kept_and_saved_prints_are_private(
    qtbot: Any, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_umask: None
) -> None:
    from PySide6.QtGui import QTextDocument
    from PySide6.QtPrintSupport import QPrinter

    from recuperation.storage.paths import data_dir
    from tests.ui_helpers import wait_idle, wait_page
    from ui.batch.page import BatchesPage
    from ui.desk import Desk
    from ui.widgets.printing import print_private

    desk = Desk(demo_db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.show()
    wait_page(qtbot, page)
    panel = page.batches
    panel.year.setCurrentIndex(panel.year.findData(2021))
    assert panel.select_key(next(b.id for b in panel.model.rows if b.code == FRONTLINE))
    wait_idle(qtbot, panel)
    panel.print_document("manifest_full")
    qtbot.waitUntil(lambda: panel.preview is not None, timeout=15_000)
    kept = panel.preview.path
    assert kept.parent == data_dir() / "print" and _mode(kept) == 0o600
    assert [p.name for p in kept.parent.iterdir()] == [kept.name]
    monkeypatch.setattr(
        "ui.widgets.pdf_preview.QFileDialog.getSaveFileName", lambda *a, **k: (str(tmp_path / "saved"), "")
    )
    saved = panel.preview.save_as()
    assert saved is not None and _mode(saved) == 0o600
    panel.preview.close()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "table.pdf"))
    doc = QTextDocument()
    doc.setPlainText("王芳 330185********0013")
    print_private(doc, printer)
    assert _mode(tmp_path / "table.pdf") == 0o600 and (tmp_path / "table.pdf").stat().st_size > 0
    desk.worker.shutdown()
