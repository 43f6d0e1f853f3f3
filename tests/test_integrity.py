"""A damaged SQLite file is never written to, with no check at open whose cost grows with the file.

At open, a check of constant cost (header, schema, small tables, the first and last row of every table)
refuses what it can see; damage in the middle of a large table is found by the full check (SQLite's quick
check over the whole file), which runs before the first write of a handle, after start on the desktop (on a
thread of its own), on the daily backup's copy, and before a restore.  Every test compares the file's bytes:
refused means nothing was written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from recuperation.errors import DatabaseOpenError
from recuperation.services import partners as partner_service
from recuperation.storage.backups import automatic_backup, backup_dir, sqlite_backup
from recuperation.storage.database import Database, check_at_open, open_database
from recuperation.storage.restore import restore
from recuperation.storage.schema import SCHEMA_HEAD

pytestmark = pytest.mark.sqlite_only


# --- helpers ------------------------------------------------------------------------------------------------


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def live(demo_path: Path, tmp_path: Path) -> Path:
    """The desk's database: the one-year demo (13 MB, in WAL mode, no -wal left), in a folder of its own."""
    folder = tmp_path / "desk"
    folder.mkdir()
    target = folder / "desk.db"
    shutil.move(demo_path, target)
    return target


def tree_pages(path: Path, name: str, *, exact: bool = False) -> tuple[int, list[int]]:
    """The page size and the leaf pages of the b-tree ``name`` (dbstat).  Without dbstat: for the middle of
    the participant table (most of the file), the file's middle third; anything ``exact``, a skip."""
    with sqlite3.connect(path) as conn:
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        try:
            pages = [
                int(r[0])
                for r in conn.execute(
                    "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno", (name,)
                )
            ]
        except sqlite3.OperationalError:  # SQLite built without dbstat
            if exact or name != "participant":
                pytest.skip("this SQLite has no dbstat: the pages of a b-tree cannot be found")
            count = int(conn.execute("PRAGMA page_count").fetchone()[0])
            pages = list(range(count // 3, 2 * count // 3))
    conn.close()
    return page_size, pages


def scribble(path: Path, name: str, count: int = 3) -> None:
    """Overwrite the cells of ``count`` leaf pages in the middle of the b-tree ``name``: neither its first nor
    its last leaf, nor its root, so that only a check of every page sees it."""
    page_size, pages = tree_pages(path, name)
    assert len(pages) > count + 2
    middle = len(pages) // 2
    with path.open("r+b") as handle:
        for page in pages[middle : middle + count]:
            handle.seek((page - 1) * page_size + 16)
            handle.write(b"\xa5" * (page_size - 24))
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() != ("ok",)
    conn.close()


def scribble_middle_of_file(path: Path) -> None:
    """What tests/test_data_safety.py has always done: 64 KB of noise half-way through the file."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(os.urandom(64 * 1024))


def write_header(path: Path, offset: int, value: bytes) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(value)


def edit_schema(path: Path, sql: str) -> None:
    """Change the schema table by hand (what a broken tool or a bad sector could leave)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(sql)
        conn.execute("PRAGMA writable_schema = OFF")
    finally:
        conn.close()


def write_one_change(db: Database) -> None:
    with db.session(write=True) as session:
        session.execute(text("UPDATE partner SET region = '损坏后的修改' WHERE id = 1"))


def region(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        found = str(conn.execute("SELECT region FROM partner WHERE id = 1").fetchone()[0])
    conn.close()
    return found


# --- what the check at open refuses, before anything is written ---------------------------------------------


def _page_size_1000(path: Path) -> None:
    write_header(path, 16, (1000).to_bytes(2, "big"))


def _payload_fraction(path: Path) -> None:
    write_header(path, 21, b"\x00")


def _cut_short(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size - 40 * 4096)


def _free_pages(path: Path) -> None:
    write_header(path, 36, (10**9).to_bytes(4, "big"))


def _garbled_create(path: Path) -> None:
    edit_schema(path, "UPDATE sqlite_master SET sql = 'CREATE TABLE partner (((' WHERE name = 'partner'")


def _root_outside(path: Path) -> None:
    edit_schema(path, "UPDATE sqlite_master SET rootpage = 999999 WHERE name = 'app_meta'")


def _schema_page(path: Path) -> None:
    """Garbage over a leaf of the schema table that is not its first page (the header stays intact)."""
    page_size, pages = tree_pages(path, "sqlite_schema", exact=True)
    leaf = next(p for p in pages if p != 1)
    with path.open("r+b") as handle:
        handle.seek((leaf - 1) * page_size + 8)
        handle.write(b"\xa5" * (page_size - 16))


def _small_table(path: Path) -> None:
    """Garbage in app_meta's only page (its root): the quick check of the small tables sees it."""
    with sqlite3.connect(path) as conn:
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        root = int(conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'app_meta'").fetchone()[0])
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x0d\x00\x00\x00\x05" + b"\xff" * 40)


def _last_leaf(path: Path) -> None:
    """Garbage in the last leaf of the largest table (the newest records): read by the check at open."""
    page_size, pages = tree_pages(path, "participant", exact=True)
    with path.open("r+b") as handle:
        handle.seek((pages[-1] - 1) * page_size)
        handle.write(b"\xa5" * page_size)


@pytest.mark.parametrize(
    "damage",
    [
        _page_size_1000,
        _payload_fraction,
        _cut_short,
        _free_pages,
        _garbled_create,
        _root_outside,
        _schema_page,
        _small_table,
        _last_leaf,
    ],
    ids=lambda f: f.__name__.strip("_"),
)
def test_damage_the_check_at_open_sees_is_refused_before_anything_is_written(
    live: Path, damage: Callable[[Path], None]
) -> None:
    damage(live)
    before = sha(live)
    with pytest.raises(DatabaseOpenError) as refused:
        open_database(live)
    assert refused.value.key == "db.integrity", refused.value.message
    assert "完整性检查失败" in refused.value.message and "请从备份恢复" in refused.value.message
    assert sha(live) == before  # refused before anything opened it for writing
    with pytest.raises(DatabaseOpenError):  # a command that only reads is refused the same way
        open_database(live, create=False)
    assert sha(live) == before


def test_the_check_at_open_passes_a_sound_file_and_owes_the_full_check(live: Path) -> None:
    facts = check_at_open(live)
    assert facts is not None and facts.wal and facts.revision == SCHEMA_HEAD
    before = sha(live)
    db = open_database(live)
    try:
        assert not db.checked  # nothing that grows with the file ran at open
        with db.session() as session:  # reading owes nothing
            assert session.execute(text("SELECT count(*) FROM batch")).scalar() == 1218
        assert not db.checked and sha(live) == before
        write_one_change(db)  # the first write runs the full check once, then writes
        assert db.checked and db.damage is None
        write_one_change(db)
    finally:
        db.close()
    assert region(live) == "损坏后的修改"


def test_a_new_database_owes_no_check(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        assert db.checked
    finally:
        db.close()


# --- damage only the full check sees: the first write is refused, the file unchanged ------------------------


@pytest.mark.parametrize("how", ["participant pages", "noise in the middle"])
def test_damage_in_the_middle_refuses_the_first_write_and_every_later_one(live: Path, how: str) -> None:
    if how == "participant pages":
        scribble(live, "participant")
    else:
        scribble_middle_of_file(live)
    before = sha(live)
    db = open_database(live)  # the check at open cannot see it: reading stays possible
    try:
        assert sha(live) == before
        with pytest.raises(DatabaseOpenError) as refused:
            write_one_change(db)
        error = refused.value
        assert error.key == "db.damaged"
        assert str(live) in error.message and "已损坏" in error.message
        assert "设置 → 从备份恢复" in error.message and "仍可查看和导出" in error.message
        assert db.checked and db.damage
        with pytest.raises(DatabaseOpenError) as again:  # refused at once from now on
            partner_service.create_partner(db, partner_service.PartnerInput(name="新单位"))
        assert again.value.key == "db.damaged"
        names = [row.name for row in partner_service.list_partners(db)]  # reading goes on
        assert len(names) == 30
    finally:
        db.close()
    assert sha(live) == before  # byte for byte: nothing was written


def test_a_read_that_meets_damage_says_so_and_refuses_every_later_write(live: Path) -> None:
    """Reading a damaged page is not an unexpected error: it names the file and the restore, and the handle
    keeps it (no write goes through, not even before the full check has run)."""
    scribble(live, "participant")
    before = sha(live)
    db = open_database(live)
    try:
        with pytest.raises(DatabaseOpenError) as refused, db.session() as session:
            session.execute(text("SELECT * FROM participant")).fetchall()
        assert refused.value.key == "db.damaged" and str(live) in refused.value.message
        assert db.damage
        with pytest.raises(DatabaseOpenError) as again:
            write_one_change(db)
        assert again.value.key == "db.damaged"
    finally:
        db.close()
    assert sha(live) == before


def test_a_write_outside_a_session_runs_the_full_check_first(live: Path) -> None:
    """The demo loader and a copy into this database write through the engine, not a session: the same rule."""
    scribble(live, "participant")
    before = sha(live)
    db = open_database(live)
    try:
        with pytest.raises(DatabaseOpenError) as refused, db.engine.connect() as conn, conn.begin():
            conn.execute(text("UPDATE partner SET region = '绕过' WHERE id = 1"))
        assert refused.value.key == "db.damaged"
    finally:
        db.close()
    assert sha(live) == before


def test_a_write_outside_a_session_on_a_sound_file_goes_through(live: Path) -> None:
    db = open_database(live)
    try:
        with db.engine.connect() as conn, conn.begin():
            conn.execute(text("UPDATE partner SET region = '损坏后的修改' WHERE id = 1"))
        assert db.checked and db.damage is None
    finally:
        db.close()
    assert region(live) == "损坏后的修改"


def test_a_backup_file_opened_directly_is_checked_fully_before_it_is_switched_to_wal(
    live: Path, tmp_path: Path
) -> None:
    """Opening a file in rollback-journal mode writes its header (WAL): the full check comes first."""
    copy = sqlite_backup(live, tmp_path / "copy.db")
    assert copy.read_bytes()[18:20] == b"\x01\x01"
    scribble(copy, "participant")
    before = sha(copy)
    with pytest.raises(DatabaseOpenError) as refused:
        open_database(copy)
    assert refused.value.key == "db.integrity" and "完整性检查失败" in refused.value.message
    assert sha(copy) == before


def test_a_restore_puts_an_end_to_the_refusals(live: Path, tmp_path: Path) -> None:
    good = sqlite_backup(live, tmp_path / "stick" / "good.db")
    scribble(live, "participant")
    db = open_database(live)
    try:
        with pytest.raises(DatabaseOpenError):
            write_one_change(db)
        report = restore(db, good)  # the backup is checked fully on a private copy, then put in place
        assert report.saved_copy is not None and "-damaged-" in report.saved_copy.name
        assert db.checked and db.damage is None
        write_one_change(db)
    finally:
        db.close()
    assert region(live) == "损坏后的修改"


# --- the daily backup: its copy is checked ------------------------------------------------------------------


def test_a_daily_backup_of_a_damaged_database_is_not_kept_as_good(live: Path) -> None:
    folder = backup_dir(live)
    today = dt.date(2026, 3, 20)
    old = [folder / f"desk-daily-2026020{day}.db" for day in (1, 2)]  # the second would be pruned today
    for path in old:
        sqlite_backup(live, path)
    scribble(live, "participant")
    before = sha(live)
    with pytest.raises(DatabaseOpenError) as refused:
        automatic_backup(live, today)
    assert refused.value.key == "db.backup_damaged"
    assert "desk-daily-20260320.db" in refused.value.message and "已删除" in refused.value.message
    assert not (folder / "desk-daily-20260320.db").exists()
    assert all(path.exists() for path in old)  # no older backup is pruned on a day whose copy is damaged
    assert not [p for p in folder.iterdir() if ".part" in p.name]
    assert sha(live) == before


def test_a_daily_backup_of_a_sound_database_is_kept(live: Path) -> None:
    made = automatic_backup(live, dt.date(2026, 3, 20))
    assert made is not None and made.exists()


# --- the desktop: the full check after start, on a thread of its own ----------------------------------------


def test_the_desktop_check_after_start_reports_damage_and_later_writes_are_refused(
    qtbot: Any, live: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recuperation.changes import Change
    from tests.ui_helpers import Answers
    from ui.desk import Desk
    from ui.main_window import MainWindow

    good = sqlite_backup(live, tmp_path / "stick" / "good.db")
    scribble(live, "ix_participant_id_number")  # an index no page reads at start
    before = sha(live)
    db = open_database(live)
    answers = Answers(monkeypatch)
    window = MainWindow(Desk(db), remember=False)
    qtbot.addWidget(window)
    try:
        assert window.damage_label.isHidden()
        window.desk.watch()  # what the desktop does once its window is shown
        qtbot.waitUntil(lambda: bool(answers.warned), timeout=20_000)
        finding = answers.warned[0]
        assert "后台" in finding and "已损坏" in finding and str(live) in finding
        assert "设置 → 从备份恢复" in finding
        assert not window.damage_label.isHidden() and window.damage_label.toolTip() == finding
        with pytest.raises(DatabaseOpenError) as refused:
            partner_service.create_partner(db, partner_service.PartnerInput(name="新单位"))
        assert refused.value.key == "db.damaged"
        assert len(partner_service.list_partners(db)) == 30  # reads go on
        assert sha(live) == before

        restore(db, good)  # Settings → 从备份恢复…
        window.desk.announce(Change(everything=True))
        qtbot.waitUntil(window.damage_label.isHidden, timeout=10_000)
        partner_service.create_partner(db, partner_service.PartnerInput(name="新单位"))
        assert len(answers.warned) == 1  # said once
    finally:
        window.desk.worker.shutdown()
        window.desk.close()
        db.close()


def test_the_desktop_check_after_start_says_nothing_of_a_sound_database(qtbot: Any, live: Path) -> None:
    from ui.desk import Desk

    db = open_database(live)
    desk = Desk(db)
    found: list[str] = []
    desk.damage_found.connect(found.append)
    try:
        desk.check_integrity()
        qtbot.waitUntil(lambda: db.checked, timeout=20_000)
        assert db.damage is None
        qtbot.wait(50)
        assert found == []
    finally:
        desk.worker.shutdown()
        desk.close()
        db.close()


# --- what an adversary found (session 5) -------------------------------------------------------------------


def test_a_damaged_file_with_a_wal_left_beside_it_is_refused_untouched(live: Path, tmp_path: Path) -> None:
    """A crash leaves a -wal; the file is damaged in the middle.  Closing a connection would write the -wal
    into the damaged file, so the file is checked fully before it is opened for writing."""
    held = sqlite3.connect(live)
    held.execute("PRAGMA wal_autocheckpoint = 0")
    held.execute("UPDATE app_meta SET value = value")
    held.execute("CREATE TABLE IF NOT EXISTS crash_probe (x)")
    held.commit()
    crashed = tmp_path / "crashed.db"
    shutil.copy(live, crashed)  # the pair as a killed process leaves it: the -wal holds committed pages
    shutil.copy(str(live) + "-wal", str(crashed) + "-wal")
    held.close()
    assert Path(str(crashed) + "-wal").stat().st_size > 0
    scribble_middle_of_file(crashed)
    before = (sha(crashed), sha(Path(str(crashed) + "-wal")))
    with pytest.raises(DatabaseOpenError) as refused:
        open_database(crashed)
    assert refused.value.key == "db.integrity"
    assert (sha(crashed), sha(Path(str(crashed) + "-wal"))) == before


def test_another_programs_database_is_refused_without_a_byte_changed(tmp_path: Path) -> None:
    """A database that is not ours (in rollback-journal mode) is refused before the engine that would switch
    it to WAL connects: its header still says rollback journal."""
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("INSERT INTO notes (text) VALUES ('keep me')")
    conn.close()
    before = sha(foreign)
    with pytest.raises(DatabaseOpenError) as refused:
        open_database(foreign)
    assert refused.value.key == "db.not_ours"
    assert sha(foreign) == before and not Path(str(foreign) + "-wal").exists()


def test_a_restore_repairs_a_header_the_open_refuses(live: Path, tmp_path: Path) -> None:
    good = sqlite_backup(live, tmp_path / "good.db")
    write_header(live, 18, b"\x03")  # a read version SQLite does not know: the open refuses it
    with pytest.raises(DatabaseOpenError):
        open_database(live)
    report = restore(live, good)
    assert report.saved_copy is not None and "damaged" in report.saved_copy.name
    open_database(live).close()


def test_an_empty_file_is_not_made_a_database_by_a_command_that_only_reads(tmp_path: Path) -> None:
    empty = tmp_path / "truncated.db"
    empty.touch()
    with pytest.raises(DatabaseOpenError) as refused:
        open_database(empty, create=False)
    assert refused.value.key == "db.empty_file" and empty.stat().st_size == 0


def test_a_manual_backup_of_a_damaged_database_is_not_kept(live: Path, tmp_path: Path) -> None:
    from recuperation.storage.backups import backup_to

    scribble_middle_of_file(live)
    db = open_database(live)
    try:
        with pytest.raises(DatabaseOpenError) as refused:
            backup_to(db, tmp_path / "copy.db")
    finally:
        db.close()
    assert refused.value.key == "db.backup_copy_damaged"
    assert not (tmp_path / "copy.db").exists()


def test_a_database_in_memory_is_refused() -> None:
    with pytest.raises(DatabaseOpenError) as refused:
        open_database("sqlite://")
    assert refused.value.key == "db.memory"


def test_check_names_damage_in_one_finding_that_says_what_to_do(live: Path) -> None:
    """`recuperation check` on a damaged file: one finding with the first problems and the way out, not a
    hundred lines of SQLite's, and no rule read through the damage."""
    from recuperation.services.checks import check_database

    scribble_middle_of_file(live)
    db = open_database(live)
    try:
        problems = check_database(db)
    finally:
        db.close()
    assert len(problems) == 1 and problems[0].kind == "integrity"
    assert (
        "恢复" in problems[0].message
        and "\n" not in problems[0].message
        and "\\u000a" not in problems[0].message
    )
