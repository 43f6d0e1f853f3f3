"""Excel round trips that never lose or alter a coordinator's data.

Every workbook the program writes for someone to edit and send back imports again with zero changes, and
leaves the database equal in content, table by table (rows and SHA-256 of their values, the check ``copy-to``
verifies with), the audit log included: importing what we exported writes nothing at all.

- the year's batch list (``export batches``) → ``import batches``: a column the list does not carry (the
  agreement, the leader's phone, the notes, the lodging) is neither compared nor changed;
- a partner's year (``export partner``, masked or ``--full-ids``) → ``import batches``: every batch and every
  roster sheet unchanged; masked numbers find the person already in the batch by masked form and name;
- a batch's roster (``roster export``, masked or ``--full-ids``) → ``roster import``: nobody added, removed or
  changed; the masked one counts the people matched by their masked number (``masked_matched``);
- the registers as they stand (``template … --with-data``) → ``import …``: nothing new, nothing changed.

Removing people from a roster needs consent (``allow_removals`` and a reason); a row that is invalid, skipped
or masked never counts as absent.

The demo's people have plain values only (no diet, no notes, no room), so before exporting, the tests give a
share of them and of the batches the kind of text coordinators type — Chinese and full-width punctuation,
leading zeros, text that looks like a formula — and move a few batches to 计划, 已确认 and 进行中 (the demo's
past years are all 已完成 or 已取消).  The slow test does all of it on ``demo --years 5``; the fast tests do
each kind once on the one-year demo; the properties vary the columns and the rows of roster files.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from recuperation.cli import main as cli_main
from recuperation.errors import DomainError, RuleViolation
from recuperation.people import mask_id, mask_phone, with_check_character
from recuperation.services.batch.attendance import reopen_roll_call
from recuperation.services.batch.batches import list_batches
from recuperation.services.batch.roster_import import apply_import, plan_import
from recuperation.services.registers import apply_register, plan_register
from recuperation.storage.database import Database, open_database
from recuperation.workbooks import ROSTER_HEADERS, export_roster
from tests.factories import keys, owner_connection
from tests.round_trip_helpers import (
    Snapshot,
    checkpoint,
    database_copy,
    max_audit_id,
    register_report_problems,
    register_round_trip,
    roster_changed_fields,
    roster_report_problems,
    roster_round_trip,
    snapshot,
    table_sums,
    unchanged_problems,
)

REGISTERS = ("bases", "partners", "routes", "batches")
REGISTER_TABLE = {"bases": "base", "partners": "partner", "routes": "route", "batches": "batch"}

# --- a desk's data: what coordinators type, and batches in every state ----------------------------------------

#: Values coordinators type into a roster, cycled over a share of the people (every 61st, three variants).
PEOPLE_TEXT: tuple[dict[str, object], ...] = (
    {
        "diet": "不吃辣，清真（回族）",
        "health": "高血压；需低盐饮食",
        "emergency_contact": "李强（配偶）13900001111",
        "room": "0301",
        "notes": "=1+1 不是公式",
        "department": "Ｒ＆Ｄ中心",
        "category": "劳模",
        "model_worker": True,
    },
    {
        "diet": "素食、不吃葱姜",
        "health": "ＡＢ型血",
        "emergency_contact": "0571-64712345",
        "room": "1.0",
        "notes": "+86 提前一天到；住一楼",
        "department": "办公室（党办）",
        "category": "技术人员",
        "model_worker": False,
    },
    {
        "diet": "",
        "health": "",
        "emergency_contact": "",
        "room": "A-12",
        "notes": "@领队：需要发票",
        "department": "车间·一班",
        "category": "一线职工",
        "model_worker": False,
    },
)
BATCH_NOTES = (
    "请安排一楼房间；含 2 位素食（回族）",
    "=SUM(A1:A3) 只是备注",
    "领队另行通知，电话：0571-64712345",
)


def decorate(db: Database) -> dict[str, list[str]]:
    """Give a share of the people and batches a coordinator's text, and, for every year, move three completed
    recuperation batches of the busiest partner to 进行中, 已确认 and 计划.  Returns those codes by status."""
    moved: dict[str, list[str]] = {"in_progress": [], "confirmed": [], "planned": []}
    with db.engine.begin() as conn:
        for residue, values in enumerate(PEOPLE_TEXT):
            sets = ", ".join(f"{k} = :{k}" for k in values)
            conn.execute(
                text(f"UPDATE participant SET {sets} WHERE id % 61 = :residue"),
                {**values, "residue": residue},
            )
        for residue, note in enumerate(BATCH_NOTES):
            conn.execute(
                text("UPDATE batch SET notes = :note WHERE id % 7 = :residue"),
                {"note": note, "residue": residue},
            )
        busiest = conn.execute(
            text(
                "SELECT partner_id FROM batch GROUP BY partner_id ORDER BY count(*) DESC, partner_id LIMIT 1"
            )
        ).scalar_one()
        codes = conn.execute(
            text(
                "SELECT code FROM batch WHERE partner_id = :p AND status = 'completed' AND kind = 'recuperation' "
                "ORDER BY code"
            ),
            {"p": busiest},
        ).scalars()
        by_year: dict[str, list[str]] = {}
        for code in codes:
            by_year.setdefault(code[1:5], []).append(code)
        for year_codes in by_year.values():
            for status, code in zip(moved, year_codes[5:8], strict=False):
                conn.execute(text("UPDATE batch SET status = :s WHERE code = :c"), {"s": status, "c": code})
                moved[status].append(code)
    return moved


def roster_size(db: Database, code: str) -> int:
    with db.engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM participant p JOIN batch b ON b.id = p.batch_id WHERE b.code = :c"
                ),
                {"c": code},
            ).scalar_one()
        )


def records_on_file(db: Database, kind: str) -> int:
    where = "" if kind == "batches" else " WHERE NOT archived"
    with db.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {REGISTER_TABLE[kind]}{where}")).scalar_one())


def partner_batches(db: Database, partner: str, year: int) -> list[str]:
    """The batches a partner's year workbook lists (and gives a roster sheet each): all but the cancelled."""
    return [b.code for b in list_batches(db, year=year, partner=partner) if b.status != "cancelled"]


def busiest_partner(db: Database, year: int | None = None) -> tuple[str, int]:
    """The partner with the most batches (over all years), and its year with the most batches."""
    with db.engine.connect() as conn:
        name, partner_id = conn.execute(
            text(
                "SELECT p.name, p.id FROM batch b JOIN partner p ON p.id = b.partner_id "
                "GROUP BY p.id, p.name ORDER BY count(*) DESC, p.id LIMIT 1"
            )
        ).one()
        years = conn.execute(
            text("SELECT arrival FROM batch WHERE partner_id = :p AND status <> 'cancelled'"),
            {"p": partner_id},
        ).scalars()
        counts: dict[int, int] = {}
        for arrival in years:
            day = arrival if isinstance(arrival, dt.date) else dt.date.fromisoformat(str(arrival)[:10])
            counts[day.year] = counts.get(day.year, 0) + 1
    return name, year if year is not None else max(counts, key=lambda y: (counts[y], -y))


def batch_id(db: Database, code: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT id FROM batch WHERE code = :c"), {"c": code}).scalar_one())


def sample_batch(db: Database, where: str, year: int | None = None, order: str = "b.code") -> str:
    """The first batch with a roster that matches ``where`` (SQL over batch b), in ``year`` if given."""
    clause = where + (" AND b.code LIKE :y" if year else "")
    with db.engine.connect() as conn:
        return str(
            conn.execute(
                text(
                    "SELECT b.code FROM batch b JOIN participant p ON p.batch_id = b.id "
                    f"WHERE {clause} GROUP BY b.id, b.code ORDER BY {order} LIMIT 1"
                ),
                {"y": f"_{year}-%"} if year else {},
            ).scalar_one()
        )


def largest_batch(db: Database) -> str:
    return sample_batch(db, "1 = 1", order="count(*) DESC, b.code")


def cli(capsys: pytest.CaptureFixture[str] | None, *args: str) -> tuple[int, str, str]:
    code = cli_main(list(args))
    if capsys is None:
        return code, "", ""
    out, err = capsys.readouterr()
    return code, out, err


def cli_report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any] | None, str]:
    code, out, err = cli(capsys, *args, "--json")
    try:
        return code, json.loads(out), err
    except json.JSONDecodeError:
        return code, None, err


# === five years of demo data (slow) ===========================================================================


@dataclass(frozen=True)
class FiveYears:
    path: Path
    pristine: dict[str, tuple[int, str]]
    pristine_audit_id: int
    batches_per_year: dict[int, int]
    partners: dict[str, tuple[str, int]]  # role → (partner, year)
    partner_batches: dict[str, list[str]]  # role → the batches (and roster sheets) of its workbook
    rosters: dict[str, str]  # role → batch code
    people: dict[str, int]  # batch code → roster size
    records: dict[str, int]  # register → records on file


FIVE_YEARS = range(2021, 2026)
ROSTER_ROLES = ("largest", "cancelled-2023", "in-progress-2024")


@pytest.fixture(scope="module")
def five_years(tmp_path_factory: pytest.TempPathFactory, five_year_demo_file: Path) -> FiveYears:
    """The five-year demo (conftest: built once per test process), given a desk's text and states, once for the
    module."""
    folder = tmp_path_factory.mktemp("five-years")
    path = folder / "five.db"
    shutil.copy(five_year_demo_file, path)
    db = open_database(path, user="测试员")
    try:
        moved = decorate(db)
        batches_per_year = {y: len(list_batches(db, year=y)) for y in FIVE_YEARS}
        name, year = busiest_partner(db)
        with db.engine.connect() as conn:
            per_partner = {
                int(y): sorted(
                    (int(n), str(p))
                    for p, n in conn.execute(
                        text(
                            "SELECT p.name, count(*) FROM batch b JOIN partner p ON p.id = b.partner_id "
                            "WHERE b.code LIKE :y AND b.status <> 'cancelled' GROUP BY p.name"
                        ),
                        {"y": f"_{y}-%"},
                    )
                )
                for y in (2022, 2025)
            }
        partners = {
            "busiest": (name, year),
            "fewest-2022": (per_partner[2022][0][1], 2022),
            "middle-2025": (per_partner[2025][len(per_partner[2025]) // 2][1], 2025),
        }
        rosters = {
            "largest": largest_batch(db),
            "cancelled-2023": sample_batch(db, "b.status = 'cancelled'", 2023),
            "in-progress-2024": next(c for c in moved["in_progress"] if c[1:5] == "2024"),
        }
        info = FiveYears(
            path=path,
            pristine=table_sums(db),
            pristine_audit_id=max_audit_id(db),
            batches_per_year=batches_per_year,
            partners=partners,
            partner_batches={role: partner_batches(db, p, y) for role, (p, y) in partners.items()},
            rosters=rosters,
            people={code: roster_size(db, code) for code in rosters.values()},
            records={kind: records_on_file(db, kind) for kind in REGISTERS},
        )
    finally:
        db.close()
    checkpoint(path)
    return info


#: (kind, which, exports): the first and last year's batch lists; partners' years (the busiest partner's both ways, two
#: more partners and years one way each); rosters of batches in three states, each exported masked and with
#: full numbers and both imported; the four registers as they stand.  Fewer samples than one would like: the
#: module must stay within about three minutes on two cores (every checksum of five years is about 2 s).
FIVE_YEAR_CASES: list[tuple[str, str, tuple[bool, ...]]] = (
    # the first and the last year's batch lists (the years between are made alike; the one-year demo's own
    # list is test_the_years_batch_list_imports_back_unchanged)
    [("batches", str(y), (False,)) for y in (FIVE_YEARS[0], FIVE_YEARS[-1])]
    + [("partner", "busiest", (False,)), ("partner", "busiest", (True,))]
    + [("partner", "fewest-2022", (False,)), ("partner", "middle-2025", (True,))]
    + [("roster", role, (False, True)) for role in ROSTER_ROLES]
    # A register with people's phones in full (a batch's leader, a partner's or base's contact) records itself
    # in the audit log, as a full-ID export does: marked True like one.
    + [("template", kind, (kind != "routes",)) for kind in REGISTERS]
)


def _case_id(case: tuple[str, str, tuple[bool, ...]]) -> str:
    kind, what, exports = case
    if kind != "partner":
        return f"{kind}-{what}"
    return f"{kind}-{what}-{'full' if exports[0] else 'masked'}"


def _export(db: Database, kind: str, what: str, full: bool, target: Path, five_years: FiveYears) -> None:
    """The export as a coordinator runs it (the command line)."""
    ids = ["--full-ids"] if full else []
    if kind == "batches":
        command = ["export", "batches", "--year", what, "-o", str(target)]
    elif kind == "partner":
        partner, year = five_years.partners[what]
        command = ["export", "partner", partner, "--year", str(year), "-o", str(target), *ids]
    elif kind == "roster":
        command = ["roster", "export", five_years.rosters[what], "-o", str(target), *ids]
    else:
        command = ["template", what, "-o", str(target), "--with-data"]
    assert cli(None, "--db", str(db.path), *command)[0] == 0, command


@pytest.mark.slow
@pytest.mark.sqlite_only  # builds its own SQLite file whatever the backend: one run is enough
@pytest.mark.parametrize("case", FIVE_YEAR_CASES, ids=_case_id)
def test_every_export_of_five_years_imports_back_with_no_change(
    case: tuple[str, str, tuple[bool, ...]], five_years: FiveYears, tmp_path: Path
) -> None:
    kind, what, exports = case
    files = {full: tmp_path / f"export-{'full' if full else 'masked'}.xlsx" for full in exports}
    with database_copy(five_years.path, tmp_path / "five.db") as db:
        for full, target in files.items():
            _export(db, kind, what, full, target, five_years)
        # Checksums after the exports: an export may record itself in the audit log (a full-ID export does,
        # once); it writes nothing else.
        before = Snapshot(table_sums(db), max_audit_id(db), five_years.path)
        problems = []
        written = [t for t in before.sums if before.sums[t] != five_years.pristine[t]]
        if set(written) - {"audit_log"}:
            problems.append(f"the export itself wrote to {written}")
        with db.engine.connect() as conn:
            recorded = list(
                conn.execute(
                    text("SELECT action FROM audit_log WHERE id > :id"), {"id": five_years.pristine_audit_id}
                ).scalars()
            )
        if set(recorded) - {"export"} or not (1 if True in exports else 0) <= len(recorded) <= len(files):
            problems.append(
                f"the exports wrote these audit entries: {recorded} (a full-ID export writes one)"
            )

        for full, target in files.items():
            if kind == "batches":
                records = five_years.batches_per_year[int(what)]
                problems += register_round_trip(db, "batches", target, before, records=records)
            elif kind == "partner":
                sheets = five_years.partner_batches[what]
                problems += register_round_trip(
                    db, "batches", target, before, records=len(sheets), rosters=sheets
                )
            elif kind == "roster":
                code = five_years.rosters[what]
                people = five_years.people[code]
                problems += [
                    f"{'full-ID' if full else 'masked'} export: {p}"
                    for p in roster_round_trip(db, code, target, before, people=people, masked=not full)
                ]
            else:
                problems += register_round_trip(db, what, target, before, records=five_years.records[what])
    assert not problems, f"{_case_id(case)}:\n  " + "\n  ".join(problems)


# === the one-year demo (fast) ===================================================================================


@pytest.fixture
def desk(demo_db: Database) -> tuple[Database, dict[str, list[str]]]:
    """The one-year demo with a coordinator's text and batches in every state."""
    return demo_db, decorate(demo_db)


@pytest.mark.sqlite_run  # the server takes the same path in a lighter test
def test_the_years_batch_list_imports_back_unchanged(
    desk: tuple[Database, dict[str, list[str]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _moved = desk
    path = tmp_path / "批次一览.xlsx"
    assert cli(capsys, "--db", db.url, "export", "batches", "--year", "2021", "-o", str(path))[0] == 0
    sheet = openpyxl.load_workbook(path).worksheets[0]
    shown = {row[9] for row in sheet.iter_rows(min_row=3, values_only=True) if row[9]}
    assert {"计划", "已确认", "进行中", "已完成", "已取消"} <= shown  # every state must read back as itself
    before = snapshot(db, tmp_path / "before")
    # As the coordinator runs it, for real: the report is the dry run's, and says whether it wrote.
    code, report, err = cli_report(capsys, "--db", db.url, "import", "batches", str(path))
    assert report is not None, err
    problems = register_report_problems(report, records=len(list_batches(db, year=2021)))
    if code != 0 or not report.get("written") or report.get("new") or report.get("changed"):
        problems.append(f"import batches: exit {code}, written {report.get('written')}: {err.strip()}")
    problems += unchanged_problems(db, before)
    assert not problems, "\n  ".join(problems)


@pytest.mark.parametrize("full", [False, True], ids=["masked", "full-ids"])
def test_a_partners_year_imports_back_unchanged(
    full: bool,
    desk: tuple[Database, dict[str, list[str]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, _moved = desk
    partner, year = busiest_partner(db, 2021)
    path = tmp_path / "合作单位.xlsx"
    command = ["export", "partner", partner, "--year", str(year), "-o", str(path)]
    assert cli(capsys, "--db", db.url, *command, *(["--full-ids"] if full else []))[0] == 0
    sheets = partner_batches(db, partner, year)
    book = openpyxl.load_workbook(path, read_only=True)
    assert [
        n.split()[0] for n in book.sheetnames[1:]
    ] == sheets  # a roster sheet per batch, named by its code
    book.close()
    before = snapshot(db, tmp_path / "before")  # after the export: a full-ID export records itself
    problems = register_round_trip(db, "batches", path, before, records=len(sheets), rosters=sheets)
    assert not problems, "\n  ".join(problems)


@pytest.mark.parametrize("full", [False, True], ids=["masked", "full-ids"])
@pytest.mark.parametrize("which", ["largest", "cancelled", "in-progress"])
def test_a_roster_export_imports_back_unchanged(
    which: str,
    full: bool,
    desk: tuple[Database, dict[str, list[str]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, moved = desk
    batch = {
        "largest": largest_batch(db),
        "cancelled": sample_batch(db, "b.status = 'cancelled'"),
        "in-progress": moved["in_progress"][0],
    }[which]
    people = roster_size(db, batch)
    path = tmp_path / "名单.xlsx"
    assert (
        cli(
            capsys,
            "--db",
            db.url,
            "roster",
            "export",
            batch,
            "-o",
            str(path),
            *(["--full-ids"] if full else []),
        )[0]
        == 0
    )
    before = snapshot(db, tmp_path / "before")
    code, report, err = cli_report(capsys, "--db", db.url, "roster", "import", batch, str(path), "--dry-run")
    assert report is not None, err
    changed = roster_changed_fields(db, plan_import(db, batch, path)) if report.get("changed") else None
    problems = roster_report_problems(report, people=people, masked=not full, changed_fields=changed)
    code, applied, err = cli_report(capsys, "--db", db.url, "roster", "import", batch, str(path))
    if code != 0 or applied is None or not applied.get("written"):
        problems.append(f"roster import {batch} (for real): exit {code}: {err.strip()}")
    elif (applied["added"], applied["removed"], applied["changed"]) != (0, 0, 0):
        problems.append(f"roster import {batch} (for real) reports {applied}")
    problems += unchanged_problems(db, before)
    assert not problems, "\n  ".join(problems)


@pytest.mark.parametrize("kind", REGISTERS)
def test_a_register_with_data_imports_back_unchanged(
    kind: str, desk: tuple[Database, dict[str, list[str]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _moved = desk
    path = tmp_path / f"{kind}.xlsx"
    assert cli(capsys, "--db", db.url, "template", kind, "-o", str(path), "--with-data")[0] == 0
    before = snapshot(db, tmp_path / "before")
    problems = register_round_trip(db, kind, path, before, records=records_on_file(db, kind))
    assert not problems, "\n  ".join(problems)


#: Optional fields emptied on every other record: a register row that leaves them empty must take nothing
#: from the record on the row above it (a partner without a credit code under one with a code, a route
#: without a price under one with a price).
EMPTIED: dict[str, tuple[str, ...]] = {
    "bases": (
        "UPDATE base SET township = '', address = '', contact_name = '', contact_phone = '', notes = ''"
        " WHERE id % 2 = 0",
    ),
    "partners": (
        "UPDATE partner SET region = '', uscc = NULL, contact_name = '', contact_phone = '', address = ''"
        " WHERE id % 2 = 0",
        "UPDATE agreement SET quota_batches = NULL, quota_people = NULL, price_fen = NULL, notes = ''"
        " WHERE id % 2 = 0",
    ),
    "routes": ("UPDATE route SET price_fen = NULL, season = '', description = '' WHERE id % 2 = 0",),
    "batches": (
        "UPDATE batch SET agreement_id = NULL, route_id = NULL, leader = '', leader_phone = '', guide = '',"
        " vehicle = '', notes = '' WHERE id % 2 = 0",
    ),
}


@pytest.mark.parametrize("kind", REGISTERS)
def test_a_register_whose_records_leave_optional_fields_empty_imports_back_unchanged(
    kind: str, desk: tuple[Database, dict[str, list[str]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _moved = desk
    with db.engine.begin() as conn:
        for statement in EMPTIED[kind]:
            conn.execute(text(statement))
    path = tmp_path / f"{kind}.xlsx"
    assert cli(capsys, "--db", db.url, "template", kind, "-o", str(path), "--with-data")[0] == 0
    before = snapshot(db, tmp_path / "before")
    problems = register_round_trip(db, kind, path, before, records=records_on_file(db, kind))
    assert not problems, "\n  ".join(problems)


# --- removing people needs consent ----------------------------------------------------------------------------


def _roster_rows(path: Path) -> tuple[list[Any], list[list[Any]]]:
    """The header and the people of a roster workbook we exported (title on row 1, header on row 2)."""
    book = openpyxl.load_workbook(path)
    rows = [list(r) for r in book["名单"].iter_rows(values_only=True)]
    return rows[1], rows[2:]


def _write_roster(path: Path, header: list[Any], rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["名单（修改后）"])
    sheet.append(header)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c, value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, as the export wrote it ("=1+1 …" is not a formula)
    book.save(path)
    return path


def _participants(db: Database, code: str) -> dict[str, tuple[Any, ...]]:
    """The batch's people by ID number, every column of their record (read as the owner: the numbers too)."""
    with owner_connection(db) as conn:
        rows = conn.execute(
            text(
                "SELECT p.* FROM participant p JOIN batch b ON b.id = p.batch_id WHERE b.code = :c ORDER BY p.id"
            ),
            {"c": code},
        ).all()
    return {r._mapping["id_number"]: tuple(r) for r in rows}


def test_removing_people_needs_consent_and_a_reason(
    desk: tuple[Database, dict[str, list[str]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _moved = desk
    batch = sample_batch(db, "b.status = 'completed'", 2021)
    full = tmp_path / "full.xlsx"
    export_roster(db, batch, full, full_ids=True)
    header, rows = _roster_rows(full)
    id_col, name_col = header.index("身份证号"), header.index("姓名")
    left_out = [rows[0][id_col], rows[1][id_col]]
    amended = _write_roster(tmp_path / "amended.xlsx", header, rows[2:])
    before = snapshot(db, tmp_path / "before")

    plan = plan_import(db, batch, amended)
    assert sorted(plan.removed) == sorted(keys(db, *left_out))
    with pytest.raises(RuleViolation):
        apply_import(db, plan)
    with pytest.raises(RuleViolation):
        apply_import(db, plan, skip_invalid=True, reason="换人")
    code, _out, err = cli(capsys, "--db", db.url, "roster", "import", batch, str(amended))
    assert code == 1 and err.strip() and "Traceback" not in err
    wrote = unchanged_problems(db, before)
    assert not wrote, f"a refused import wrote: {wrote}"

    consented = [
        "--db",
        db.url,
        "roster",
        "import",
        batch,
        str(amended),
        "--allow-removals",
        "--reason",
        "两人临时有事",
    ]
    # The demo's completed batches closed their roll call: the roster is the record of who came.
    code, _out, err = cli(capsys, *consented)
    assert code == 1 and "报到" in err and "重新打开" in err
    assert not unchanged_problems(db, before)
    reopen_roll_call(db, batch_id(db, batch))
    code, _out, err = cli(capsys, *consented)
    assert code == 0, err
    assert not set(left_out) & set(_participants(db, batch))
    with db.engine.connect() as conn:
        deleted = conn.execute(
            text("SELECT count(*) FROM audit_log WHERE action = 'delete' AND table_name = 'participant'")
        ).scalar_one()
        reasons = conn.execute(
            text("SELECT count(*) FROM audit_log WHERE old LIKE :r OR new LIKE :r"), {"r": "%两人临时有事%"}
        ).scalar_one()
    assert (deleted, reasons > 0) == (2, True)  # each removal recorded, and the reason in the batch's history

    # The service's consent: allow_removals with a reason.
    again = _write_roster(tmp_path / "again.xlsx", header, rows[3:])
    result = apply_import(db, plan_import(db, batch, again), allow_removals=True, reason="第三人也不来了")
    assert (result.added, result.removed, result.changed) == (0, 1, 0)
    assert rows[2][id_col] not in _participants(db, batch) and rows[2][name_col]


def test_invalid_skipped_or_masked_rows_never_count_as_absent(
    desk: tuple[Database, dict[str, list[str]]], tmp_path: Path
) -> None:
    db, _moved = desk
    batch = sample_batch(db, "b.status = 'completed'", 2021)
    full = tmp_path / "full.xlsx"
    export_roster(db, batch, full, full_ids=True)
    header, rows = _roster_rows(full)
    id_col, phone_col = header.index("身份证号"), header.index("手机号码")
    people = [r[id_col] for r in rows]
    broken, masked, bad_phone, left_out = rows[0], rows[1], rows[2], rows[3]
    broken[id_col] = broken[id_col][:17] + (
        "0" if broken[id_col][17] != "0" else "1"
    )  # wrong check character
    masked[id_col], masked[phone_col] = mask_id(masked[id_col]), mask_phone(masked[phone_col])
    bad_phone[phone_col] = "12345"
    path = _write_roster(tmp_path / "amended.xlsx", header, [broken, masked, bad_phone, *rows[4:]])

    plan = plan_import(db, batch, path)
    assert plan.removed == keys(db, left_out[id_col])  # only the person no row stands for
    assert plan.report().get("masked_matched") == 1
    before = _participants(db, batch)
    reopen_roll_call(db, batch_id(db, batch))  # the demo's completed batches closed their roll call
    apply_import(db, plan, skip_invalid=True, allow_removals=True, reason="一人不来了")
    after = _participants(db, batch)
    assert set(after) == set(people) - {left_out[id_col]}
    changed = {n: (before[n], after[n]) for n in after if after[n] != before[n]}
    assert not changed, f"the rows skipped or matched changed people's records: {changed}"


# --- a register that carries only some columns ----------------------------------------------------------------


def test_a_batch_register_with_only_dates_and_headcount_keeps_everything_else(
    desk: tuple[Database, dict[str, list[str]]], tmp_path: Path
) -> None:
    """An office's own list: 批次编号, 合作单位, 到达日期, 离开日期, 计划人数 — nothing else may change."""
    db, moved = desk
    kept = ("agreement_id", "route_id", "leader", "leader_phone", "guide", "vehicle", "notes")
    with db.engine.connect() as conn:
        batches = conn.execute(
            text(
                "SELECT b.code, p.name, b.arrival, b.departure, b.headcount FROM batch b "
                "JOIN partner p ON p.id = b.partner_id ORDER BY b.code"
            )
        ).all()
    moved_codes = {code for codes in moved.values() for code in codes}
    chosen = [b for i, b in enumerate(batches) if i % 10 == 0 or b.code in moved_codes]

    def facts() -> dict[str, tuple[Any, ...]]:
        with db.engine.connect() as conn:
            rows = {
                r.code: tuple(r._mapping[k] for k in kept)
                for r in conn.execute(text(f"SELECT code, {', '.join(kept)} FROM batch"))
            }
            lodging = conn.execute(
                text(
                    "SELECT b.code, l.base_id, l.night, l.people FROM lodging l JOIN batch b ON b.id = l.batch_id"
                )
            ).all()
        nights: dict[str, list[tuple[Any, ...]]] = {}
        for code, base_id, night, people in lodging:
            nights.setdefault(code, []).append((base_id, str(night), people))
        return {code: (*values, sorted(nights.get(code, []))) for code, values in rows.items()}

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "批次"
    sheet.append(["批次编号", "合作单位", "到达日期", "离开日期", "计划人数"])
    for b in chosen:
        arrival = b.arrival if isinstance(b.arrival, dt.date) else dt.date.fromisoformat(str(b.arrival))
        departure = (
            b.departure if isinstance(b.departure, dt.date) else dt.date.fromisoformat(str(b.departure))
        )
        sheet.append([b.code, b.name, arrival, departure, b.headcount])
    path = tmp_path / "批次.xlsx"
    book.save(path)

    was = facts()
    assert sum(1 for b in chosen if was[b.code][kept.index("notes")]) > 0  # the notes are there to lose
    before = snapshot(db, tmp_path / "before")
    plan = plan_register(db, "batches", path)
    problems = register_report_problems(plan.report(), records=len(chosen))
    try:
        apply_register(db, plan)
    except DomainError as exc:
        problems.append(f"applying it was refused: {exc.message}")
    now = facts()
    lost = {
        field: sum(1 for b in chosen if was[b.code][i] != now[b.code][i])
        for i, field in enumerate((*kept, "lodging"))
    }
    lost = {k: v for k, v in lost.items() if v}
    if lost:
        problems.append(f"fields the file does not carry were changed (batches per field): {lost}")
    problems += unchanged_problems(db, before)
    assert not problems, "\n  ".join(problems)


# === properties ==================================================================================================

_counter = itertools.count()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("round-trip-properties")


class Codes(tuple[str, ...]):
    """Batch codes, shown by their number in a failing example instead of one per line."""

    def __repr__(self) -> str:
        return f"<{len(self)} batch codes>"


@pytest.fixture(scope="module")
def roster_codes(demo_file: Path, scratch: Path) -> Codes:
    """Batches of the one-year demo that have a roster (the properties pick among them)."""
    with database_copy(demo_file, scratch / "codes.db") as db, db.engine.connect() as conn:
        return Codes(
            str(c)
            for c in conn.execute(
                text(
                    "SELECT b.code FROM batch b JOIN participant p ON p.batch_id = b.id "
                    "GROUP BY b.id, b.code HAVING count(*) <= 60 ORDER BY b.code"
                )
            ).scalars()
        )


OPTIONAL_COLUMNS = [h for h in ROSTER_HEADERS if h not in ("姓名", "身份证号")]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), kept=st.sets(st.sampled_from(OPTIONAL_COLUMNS)), full=st.booleans())
def test_any_columns_of_a_roster_export_read_back_unchanged(
    data: st.DataObject, kept: set[str], full: bool, demo_file: Path, scratch: Path, roster_codes: Codes
) -> None:
    """Any subset of the roster export's columns (姓名 and 身份证号 kept), masked or full: no change at all."""
    batch = data.draw(st.sampled_from(roster_codes), label="batch")
    n = next(_counter)
    with database_copy(demo_file, scratch / f"a{n}.db") as db:
        decorate(db)
        path = scratch / f"a{n}.xlsx"
        people = export_roster(db, batch, path, full_ids=full).rows
        book = openpyxl.load_workbook(path)
        sheet = book["名单"]
        headers = [c.value for c in sheet[2]]
        for index in sorted(
            (i for i, h in enumerate(headers) if h not in kept | {"姓名", "身份证号"}), reverse=True
        ):
            sheet.delete_cols(index + 1)
        book.save(path)
        before = _participants(db, batch)
        plan = plan_import(db, batch, path)
        problems = roster_report_problems(
            plan.report(), people=people, masked=not full, changed_fields=roster_changed_fields(db, plan)
        )
        try:
            apply_import(db, plan)
        except RuleViolation as exc:
            problems.append(f"applying it was refused: {exc.message}")
        if _participants(db, batch) != before:
            problems.append("the roster's records changed")
    assert not problems, f"{batch} columns {sorted(kept)} {'full' if full else 'masked'}:\n  " + "\n  ".join(
        problems
    )


CORRUPTIONS = (
    "omit",
    "bad_phone",
    "bad_check",
    "masked_id",
    "no_name",
    "excel_number",
    "no_id",
)


def _corrupt(row: list[Any], how: str, id_col: int, name_col: int, phone_col: int) -> list[Any] | None:
    row = list(row)
    number = str(row[id_col])
    if how == "omit":
        return None
    if how == "bad_phone":
        row[phone_col] = "12345"
    elif how == "bad_check":
        row[id_col] = number[:17] + ("0" if number[17] != "0" else "1")
    elif how == "masked_id":
        row[id_col] = mask_id(number)
    elif how == "no_name":
        row[name_col] = None
    elif how == "excel_number":
        row[id_col] = float(number[:15] + "000")  # what Excel keeps of an ID number typed as a number
    elif how == "no_id":
        row[id_col] = None
    return row


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), steps=st.integers(1, 3))
def test_skip_invalid_imports_never_remove_a_person_whose_row_is_in_the_file(
    data: st.DataObject, steps: int, demo_file: Path, scratch: Path, roster_codes: Codes
) -> None:
    """Files made from a batch's full export, some rows corrupted and some left out, applied one after the
    other with ``skip_invalid``: a person whose row is in the file (valid or not) is never removed; a person
    whose row was left out is removed only with ``allow_removals`` (else the import is refused or leaves them)."""
    batch = data.draw(st.sampled_from(roster_codes), label="batch")
    n = next(_counter)
    with database_copy(demo_file, scratch / f"b{n}.db") as db:
        full = scratch / f"b{n}.xlsx"
        export_roster(db, batch, full, full_ids=True)
        header, rows = _roster_rows(full)
        id_col, name_col, phone_col = header.index("身份证号"), header.index("姓名"), header.index("手机号码")
        newcomer = [None] * len(header)
        newcomer[name_col], newcomer[id_col] = (
            "新来的",
            with_check_character(f"11010119900307{n % 900 + 100:03d}"),
        )
        for step in range(steps):
            touched = data.draw(
                st.dictionaries(st.integers(0, len(rows) - 1), st.sampled_from(CORRUPTIONS), max_size=12),
                label=f"rows left out or corrupted (step {step + 1})",
            )
            fates = [touched.get(i, "keep") for i in range(len(rows))]
            consent = data.draw(st.booleans(), label=f"allow_removals (step {step + 1})")
            with_newcomer = data.draw(st.booleans(), label=f"a new person (step {step + 1})")
            lines = [
                _corrupt(r, how, id_col, name_col, phone_col) for r, how in zip(rows, fates, strict=True)
            ]
            file_rows = [line for line in lines if line is not None] + ([newcomer] if with_newcomer else [])
            path = _write_roster(scratch / f"b{n}-{step}.xlsx", header, file_rows)
            in_file = {str(r[id_col]) for r, how in zip(rows, fates, strict=True) if how != "omit"}
            left_out = {str(r[id_col]) for r, how in zip(rows, fates, strict=True) if how == "omit"}
            (in_file if with_newcomer else left_out).add(str(newcomer[id_col]))
            before = _participants(db, batch)
            plan = plan_import(db, batch, path)
            try:
                apply_import(db, plan, skip_invalid=True, allow_removals=consent, reason="名单调整（测试）")
                refused = ""
            except RuleViolation as exc:
                refused = exc.message
            after = _participants(db, batch)
            said = f"step {step + 1} of {batch} ({'with' if consent else 'without'} allow_removals): " + (
                ", ".join(f"{r[name_col]} {how}" for r, how in zip(rows, fates, strict=True) if how != "keep")
                or "every row kept"
            )
            gone = set(before) - set(after)
            assert not gone & in_file, f"{said}: removed people whose rows are in the file: {gone & in_file}"
            if not consent:
                assert not gone, f"{said}: removed without allow_removals: {gone}"
            assert gone <= left_out, f"{said}: removed {gone - left_out}, whose rows were not left out"
            altered = {
                number: [
                    (was, now) for was, now in zip(before[number], after[number], strict=True) if was != now
                ]
                for number in in_file & set(before) & set(after)
                if after[number] != before[number]
            }
            assert not altered, f"{said}: the records of people in the file changed (old, new): {altered}"
            if refused:
                assert after == before, f"{said}: refused ({refused}) but wrote"
            elif consent and set(fates) <= {"keep", "omit"}:
                assert gone == left_out & set(before), f"{said}: with consent, removed {gone}"
