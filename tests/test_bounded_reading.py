"""Bounded, survivable reading: no file may abort the program, take over 500 MB or 30 s, or go unexplained.

The hostile corpus (scripts/hostile_corpus.py: a cell at XFD1048576, shared-string and zip bombs, repeated
.ods rows, a looping .xls …) is read here in real child processes, each measured by a small wrapper process
(the peak RSS of the reader and of its worker process, RUSAGE_CHILDREN) and timed: exit status 0 or 1 —
never an abort (134, -6) or a kill (137, -9) —, under 500 MB and 30 s, and a refusal said in one line, in
Chinese (and once in English).  The file of the report also goes through the command line.

The desktop's side: a reader whose worker aborts (the budget check switched off in the worker) or hangs
(a tiny timeout) refuses the file with a message and reads the next file with a new worker; the frozen
program's way of starting the worker (multiprocessing spawn) reads as well.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from recuperation import sheet_budget, sheets_child
from recuperation.errors import ValidationError
from recuperation.sheets import read_sheets

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 500
LIMIT_S = 30
CHINESE = re.compile(r"[\u4e00-\u9fff]")

pytest.importorskip("resource", reason="the peak memory of a child process is measured with getrusage")


def _corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hostile_corpus", ROOT / "scripts" / "hostile_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CORPUS = _corpus_module()

# Runs a command and reports its exit status, output, time and the peak RSS of it and its descendants.
MEASURE = """
import json, resource, subprocess, sys, time
started = time.monotonic()
try:
    done = subprocess.run(sys.argv[1:], capture_output=True, timeout=120)
    status, out, err = done.returncode, done.stdout, done.stderr
except subprocess.TimeoutExpired as exc:
    status, out, err = "timeout", exc.stdout or b"", exc.stderr or b""
seconds = time.monotonic() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
peak_mb = peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024
print(json.dumps({"status": status, "seconds": seconds, "peak_mb": peak_mb,
                  "out": out.decode("utf-8", "replace"), "err": err.decode("utf-8", "replace")}))
"""

# Reads one file with read_sheets and says "read N" or the key of the refusal (its message on stderr).
READ = """
import sys
from pathlib import Path
from recuperation import messages
from recuperation.errors import DomainError
from recuperation.sheets import read_sheets
messages.set_language(sys.argv[2])
try:
    sheets = read_sheets(Path(sys.argv[1]))
except DomainError as exc:
    print(exc.key)
    print(exc.message, file=sys.stderr)
    sys.exit(1)
print("read", sum(len(sheet.rows) for sheet in sheets))
"""


def measured(*command: str, env: dict[str, str] | None = None) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    return json.loads(done.stdout)


def bounded(result: dict[str, object]) -> None:
    """Exit 0 or 1 (never an abort or a kill), under 500 MB and 30 s; a refusal in one line."""
    assert result["status"] in (0, 1), result
    assert float(result["peak_mb"]) < LIMIT_MB, result  # type: ignore[arg-type]
    assert float(result["seconds"]) < LIMIT_S, result  # type: ignore[arg-type]
    if result["status"] == 1:
        lines = [line for line in str(result["err"]).splitlines() if line.strip()]
        assert len(lines) == 1, result


def read_in_child(path: Path, language: str = "zh", env: dict[str, str] | None = None) -> dict[str, object]:
    result = measured(sys.executable, "-c", READ, str(path), language, env=env)
    bounded(result)
    return result


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, CORPUS.build(folder)


def test_the_corpus_files_are_small(corpus: tuple[Path, dict[str, str]]) -> None:
    folder, expected = corpus
    for name in expected:
        size = (folder / name).stat().st_size
        # a million delimiters on one line cannot take less than a megabyte
        assert size < (1_100_000 if name == "csv_million_columns.csv" else 200 * 1024), (name, size)


# --- quick: the file of the report, in a child process and on the command line ----------------------------------


def test_the_reported_file_is_refused_in_one_line_naming_the_far_cell(
    corpus: tuple[Path, dict[str, str]],
) -> None:
    folder, _ = corpus
    result = read_in_child(folder / "far_cell.xlsx")
    assert result["status"] == 1
    assert str(result["out"]).split() == ["import.far_cell"]
    message = str(result["err"]).strip()
    assert "XFD1048576" in message and "名单" in message and CHINESE.search(message.replace("名单", ""))


@pytest.mark.sqlite_only
def test_the_command_line_refuses_it_in_chinese_and_in_english(
    corpus: tuple[Path, dict[str, str]], db, db_path: Path
) -> None:
    folder, _ = corpus
    db.close()
    path = folder / "far_cell_observed.xlsx"
    command = [sys.executable, "-m", "recuperation.cli", "--db", str(db_path)]
    chinese = measured(*command, "import", "bases", str(path), "--dry-run")
    bounded(chinese)
    assert chinese["status"] == 1
    assert str(chinese["err"]).startswith("recuperation: ") and "共享字符串表" in str(chinese["err"])
    english = measured(*command, "--lang", "en", "import", "bases", str(path), "--dry-run")
    bounded(english)
    assert english["status"] == 1
    text = str(english["err"])
    assert "shared-string table claims 4,294,967,295 entries" in text and not CHINESE.search(text)


# --- every file of the corpus, in a child process ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CORPUS.CORPUS))
def test_every_hostile_file_is_read_or_refused_within_bounds(
    corpus: tuple[Path, dict[str, str]], name: str
) -> None:
    folder, expected = corpus
    result = read_in_child(folder / name)
    outcome = str(result["out"]).split()[0]
    if expected[name] == "read":
        assert result["status"] == 0, result
    elif expected[name] != "any":
        assert outcome == expected[name], result
    if result["status"] == 1:
        assert CHINESE.search(str(result["err"])), result


@pytest.mark.slow
def test_a_refusal_reads_in_english_too(corpus: tuple[Path, dict[str, str]]) -> None:
    folder, _ = corpus
    result = read_in_child(folder / "ods_repeated_rows.ods", "en")
    assert result["status"] == 1
    assert "more than 20000 rows" in str(result["err"])


@pytest.mark.slow
def test_a_workbook_at_the_limits_of_the_budget_is_read_within_bounds(tmp_path: Path) -> None:
    """A million cells with a value (20,000 rows of 50 distinct texts) is within the budget: read."""
    path = tmp_path / "limit.xlsx"
    strings = []
    rows = []
    for r in range(1, 20_000):
        cells = []
        for c in range(50):
            cells.append(f'<c r="{CORPUS._column(c)}{r}" t="s"><v>{len(strings)}</v></c>')
            strings.append(f"<si><t>职工{r}号{c}</t></si>")
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    shared = f'<sst xmlns="{CORPUS._MAIN}" uniqueCount="{len(strings)}">{"".join(strings)}</sst>'
    CORPUS._write_zip(path, CORPUS._xlsx_parts(CORPUS._sheet(rows, "A1:AX19999"), shared))
    result = read_in_child(path)
    assert result["status"] == 0 and str(result["out"]).split() == ["read", "19999"], result


# --- the desktop survives its reader -------------------------------------------------------------------------


def test_a_reader_that_aborts_costs_the_file_not_the_program(
    corpus: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the budget check off in the worker, calamine aborts on the far cell: this process goes on, the
    file is refused with a message, and the next file gets a new worker."""
    folder, _ = corpus
    monkeypatch.setenv("RECUPERATION_SHEETS_UNCHECKED", "1")
    reader = sheets_child.Reader()
    try:
        with pytest.raises(ValidationError) as refused:
            reader.read(folder / "far_cell.xlsx")
        assert refused.value.key == "import.reader_crashed"
        assert "异常终止" in refused.value.message and "内存" in refused.value.message
        assert [len(sheet.rows) for sheet in reader.read(folder / "xls_roster.xls")] == [3]
    finally:
        reader.close()


def test_a_reader_that_hangs_is_stopped(
    corpus: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder, _ = corpus
    slow = tmp_path / "slow.xlsx"
    people = CORPUS._roster_rows(5000)
    CORPUS._write_zip(slow, CORPUS._xlsx_parts(CORPUS._sheet(people, "A1:C5001")))
    reader = sheets_child.Reader()
    try:
        reader.read(folder / "xls_roster.xls")  # the worker is up
        monkeypatch.setattr(sheets_child, "READ_TIMEOUT", 0.001)
        with pytest.raises(ValidationError) as refused:
            reader.read(slow)
        assert refused.value.key == "import.reader_timeout"
        monkeypatch.setattr(sheets_child, "READ_TIMEOUT", 20.0)
        assert len(reader.read(slow)[0].rows) == 5001
    finally:
        reader.close()


def test_without_a_worker_files_are_still_read_and_checked(
    corpus: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A worker that cannot start (here: a Python that exits at once) leaves the budget check in this process
    and a line in the log."""
    folder, _ = corpus
    monkeypatch.setattr(sheets_child.sys, "executable", "/bin/false" if os.path.exists("/bin/false") else "")
    reader = sheets_child.Reader()
    try:
        assert [len(sheet.rows) for sheet in reader.read(folder / "xls_roster.xls")] == [3]
        with pytest.raises(ValidationError) as refused:
            reader.read(folder / "far_cell.xlsx")
        assert refused.value.key == "import.far_cell"
        assert reader.unavailable and "could not start" in caplog.text
    finally:
        reader.close()


def test_the_frozen_programs_worker_reads_too(
    corpus: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """packaging/entry.py starts the worker through multiprocessing (spawn): the same answers."""
    folder, _ = corpus
    monkeypatch.setenv("RECUPERATION_SHEETS_READER", "spawn")
    reader = sheets_child.Reader()
    try:
        assert [len(sheet.rows) for sheet in reader.read(folder / "xls_roster.xls")] == [3]
        with pytest.raises(ValidationError) as refused:
            reader.read(folder / "xls_huge_dimensions.xls")
        assert refused.value.key == "import.sheet_extent" and "IV4294967295" in refused.value.message
        assert isinstance(reader.worker, sheets_child._Spawned)
    finally:
        reader.close()


# --- the budget itself (in this process) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("far_cell.xlsx", "import.far_cell"),
        ("stray_column.xlsx", "import.far_cell"),
        ("shared_count_bomb.xlsx", "import.constructed"),
        ("zip_bomb.xlsx", "import.zip_bomb"),
        ("zip_bomb_lying_size.xlsx", "import.constructed"),
        ("ods_repeated_rows.ods", "import.too_many_rows"),
        ("xls_fat_loop.xls", "import.constructed"),
    ],
)
def test_the_budget_names_the_problem(corpus: tuple[Path, dict[str, str]], name: str, key: str) -> None:
    folder, _ = corpus
    with pytest.raises(ValidationError) as refused:
        sheet_budget.check(folder / name)
    assert refused.value.key == key
    assert "\n" not in refused.value.message


@pytest.mark.parametrize(
    "name",
    [
        "dimension_lie.xlsx",
        "formatted_to_xfd.xlsx",
        "wide_note.xlsx",
        "nested_zip.xlsx",
        "ods_trailing_repeats.ods",
    ],
)
def test_innocent_files_that_look_alarming_are_read(corpus: tuple[Path, dict[str, str]], name: str) -> None:
    folder, _ = corpus
    sheet_budget.check(folder / name)
    assert [len(sheet.rows) for sheet in read_sheets(folder / name)] == [3]


def test_a_stray_cell_past_the_last_row_is_named_but_a_long_table_is_too_many_rows(tmp_path: Path) -> None:
    stray = tmp_path / "stray.xlsx"
    rows = CORPUS._roster_rows(10)
    rows.append('<row r="30000"><c r="B30000"><v>1</v></c></row>')
    CORPUS._write_zip(stray, CORPUS._xlsx_parts(CORPUS._sheet(rows)))
    with pytest.raises(ValidationError) as refused:
        sheet_budget.check(stray)
    assert refused.value.key == "import.far_cell" and refused.value.params["cell"] == "B30000"
    long = tmp_path / "long.xlsx"
    rows = [f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 20_006)]
    CORPUS._write_zip(long, CORPUS._xlsx_parts(CORPUS._sheet(rows)))
    with pytest.raises(ValidationError) as refused:
        sheet_budget.check(long)
    assert refused.value.key == "import.too_many_rows"


def test_cells_are_placed_as_calamine_places_them(tmp_path: Path) -> None:
    """Cells without a reference follow the one before; a row without one follows the row before; quoted
    ">" in an attribute and a prefix do not hide a cell; an empty formatted cell holds nothing."""
    path = tmp_path / "placed.xlsx"
    rows = [
        '<row r="5"><c r="C5"><v>1</v></c><c><v>2</v></c></row>',
        '<row><x:c xmlns:x="urn:x" note="a>b" r="XFD6"><x:v>3</x:v></x:c></row>',
        '<row r="7"><c r="XFD7" s="1"/></row>',
    ]
    CORPUS._write_zip(path, CORPUS._xlsx_parts(CORPUS._sheet(rows)))
    extent = sheet_budget.Extent("x")
    with path.open("rb") as handle:
        parts = {
            p.name: p
            for p in sheet_budget._zip_directory(handle, path.stat().st_size, sheet_budget._Refusal(path))
        }
        chunks = sheet_budget._inflate(handle, parts["xl/worksheets/sheet1.xml"], sheet_budget._Refusal(path))
        assert sheet_budget._scan_xlsx_sheet(
            chunks, extent, sheet_budget.array("Q"), sheet_budget.Budget(path)
        )
    assert (extent.min_row, extent.max_row, extent.min_col, extent.max_col) == (4, 5, 2, 16383)
    assert extent.filled == 3
    assert extent.rightmost == (5, 16383)
