"""Data safety: backups at every start with rotation, the last-beds race, kills at any moment."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from recuperation.errors import RuleViolation
from recuperation.services.batch import batches
from recuperation.storage.backups import automatic_backup
from recuperation.storage.database import Database, open_database
from recuperation.storage.schema import SCHEMA_HEAD
from tests.factories import audit_user, certified_base, confirm_orders, partner

D = dt.date


@pytest.mark.sqlite_only
def test_daily_backups_kept_14_days_then_one_a_month(db: Database) -> None:
    assert db.path is not None
    start = D(2026, 8, 20)
    for i in range(100):
        automatic_backup(db.path, start + dt.timedelta(days=i))
    today = start + dt.timedelta(days=99)
    assert automatic_backup(db.path, today) is None  # one a day
    names = sorted(p.name for p in (db.path.parent / "desk-backups").glob("desk-daily-*.db"))
    days = [dt.datetime.strptime(n[len("desk-daily-") : -3], "%Y%m%d").date() for n in names]
    recent = [d for d in days if (today - d).days < 14]
    older = [d for d in days if (today - d).days >= 14]
    assert len(recent) == 14
    assert [(d.year, d.month) for d in older] == sorted({(d.year, d.month) for d in older})  # one per month
    assert older[0] == start  # the first month's first backup stays
    with sqlite3.connect(db.path.parent / "desk-backups" / names[-1]) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_two_desks_confirming_the_last_beds_exactly_one_succeeds(db: Database) -> None:
    p = partner(db)
    base = certified_base(db, "寿昌宾馆", beds=50)
    night = D(2021, 5, 12)
    rows = [
        batches.create_batch(
            db,
            batches.BatchInput(
                p.id,
                night,
                night + dt.timedelta(days=1),
                30,
                lodging=(batches.LodgingInput(base.id, night, 30),),
            ),
        )
        for _ in range(2)
    ]
    for row in rows:
        confirm_orders(db, row.id)
    desks = [Database(db.url, user=f"desk{i}") for i in range(2)]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def confirm(desk: Database, row: batches.BatchRow) -> None:
        barrier.wait()
        try:
            batches.set_status(desk, row.id, row.version, "confirmed")
            results.append("ok")
        except RuleViolation as exc:
            results.append(exc.message)

    threads = [
        threading.Thread(target=confirm, args=(desk, row)) for desk, row in zip(desks, rows, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for desk in desks:
        desk.close()
    assert sorted(r == "ok" for r in results) == [False, True]
    assert "床位超出 10 张（已订 60 / 共 50）" in next(r for r in results if r != "ok")
    assert sorted(b.status for b in batches.list_batches(db)) == ["confirmed", "planned"]


CHILD = textwrap.dedent("""
    import datetime as dt, sys
    from pathlib import Path
    from recuperation.storage.database import open_database
    kind, path = sys.argv[1], Path(sys.argv[2])
    if kind == "migrate":
        print("ready", flush=True)
        open_database(path).close()
        sys.exit(0)
    db = open_database(path)
    from recuperation.services.batch import batches
    from recuperation.services.batch.roster_import import apply_import, plan_import
    if kind == "import":
        plan = plan_import(db, "L2021-0001", Path(sys.argv[3]))
        print("ready", flush=True)
        apply_import(db, plan)
    elif kind == "register":
        from recuperation.services.registers import apply_register, plan_register
        plan = plan_register(db, "bases", Path(sys.argv[3]))
        print("ready", flush=True)
        apply_register(db, plan)
    else:
        base_id = int(sys.argv[3])
        lodging = tuple(batches.LodgingInput(base_id, dt.date(2021, 6, 1) + dt.timedelta(days=i), 5) for i in range(4))
        print("ready", flush=True)
        for n in range(1000):
            batches.create_batch(db, batches.BatchInput(1, dt.date(2021, 6, 1), dt.date(2021, 6, 5), 5,
                                                        lodging=lodging))
""")


def _kill_after_ready(args: list[str], delay: float, env: dict[str, str]) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert child.stdout is not None
    child.stdout.readline()
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(30)


def _integrity(path: Path) -> None:
    # closed, not left to the garbage collector: an sqlite3 connection is in a reference cycle with its
    # statement cache, and one left open keeps its locks on the file (see storage.files)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.sqlite_only
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killed_at_any_moment_the_database_is_whole(tmp_path: Path) -> None:
    """54 kills: 18 during roster imports, 18 during batch saves, 18 during migrations."""
    from recuperation.people import with_check_character
    from recuperation.services.batch import rosters
    from tests.test_db import _first_schema_with_data
    from tests.test_roster_import import write_xlsx

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    rng = random.Random(7)
    # roster imports: 600 people in one transaction, all or nothing
    path = tmp_path / "import.db"
    db = open_database(path)
    p = partner(db)
    target = batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 600, code="L2021-0001")
    )
    db.close()
    people = [
        with_check_character(f"3301061970{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}") for i in range(600)
    ]
    sheet = write_xlsx(
        tmp_path / "roster.xlsx", [["姓名", "身份证号"], *[[f"职工{i}", n] for i, n in enumerate(people)]]
    )
    for _ in range(18):
        _kill_after_ready(["import", str(path), str(sheet)], rng.uniform(0, 0.25), env)
        _integrity(path)
        db = open_database(path)
        count = len(rosters.list_participants(db, target.id))
        assert count in (0, 600)
        if count:  # start again from an empty roster
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DELETE FROM participant")
        db.close()
    # batch saves: each batch with its four nights of lodging, or nothing
    path = tmp_path / "saves.db"
    db = open_database(path)
    partner(db)
    base = certified_base(db, "寿昌宾馆", beds=100_000)
    db.close()
    for _ in range(18):
        _kill_after_ready(["save", str(path), str(base.id)], rng.uniform(0, 0.4), env)
        _integrity(path)
        with sqlite3.connect(path) as conn:
            partial = conn.execute(
                "SELECT b.id FROM batch b LEFT JOIN lodging l ON l.batch_id = b.id"
                " GROUP BY b.id HAVING count(l.id) != 4"
            ).fetchall()
        assert partial == []
    # migrations: the schema and the data are either before or after
    for i in range(18):
        old = tmp_path / f"old{i}.db"
        _first_schema_with_data(old)
        _kill_after_ready(["migrate", str(old)], rng.uniform(0, 0.6), env)
        _integrity(old)
        with sqlite3.connect(old) as conn:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            # each migration step is one transaction: the file is at one of the revisions, never between two
            assert revision in [f"{n:04d}" for n in range(1, int(SCHEMA_HEAD) + 1)]
            assert conn.execute("SELECT name FROM partner").fetchone() == ("宁波大学",)
        open_database(old).close()  # the next start finishes the job
        with sqlite3.connect(old) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == SCHEMA_HEAD


@pytest.mark.sqlite_only
def test_a_damaged_file_is_never_written_to(demo_path: Path) -> None:
    """Damage in the middle of the file, which no check of constant cost sees at open: the file opens for
    reading, the first write is refused before anything is written, and the file stays as it was."""
    from recuperation.errors import DatabaseOpenError
    from recuperation.services import partners

    size = demo_path.stat().st_size
    with demo_path.open("r+b") as handle:  # scribble over pages in the middle of the file
        handle.seek(size // 2)
        handle.write(os.urandom(64 * 1024))
    before = demo_path.read_bytes()
    db = open_database(demo_path)
    try:
        with pytest.raises(DatabaseOpenError, match="已损坏"):
            partners.create_partner(db, partners.PartnerInput("新单位", "enterprise"))
    finally:
        db.close()
    assert demo_path.read_bytes() == before  # not written to


@pytest.mark.sqlite_only
def test_a_newer_backup_is_not_restored(db: Database, tmp_path: Path) -> None:
    from recuperation.errors import DatabaseOpenError
    from recuperation.storage.backups import sqlite_backup
    from recuperation.storage.restore import restore

    assert db.path is not None
    newer = sqlite_backup(db.path, tmp_path / "newer.db")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(DatabaseOpenError, match="0099"):
        restore(db, newer)


def test_logs_never_hold_id_numbers_or_phones(tmp_path: Path) -> None:
    import logging

    from recuperation.logs import MaskingFilter, mask_personal

    assert mask_personal("王芳 33018219800101001X 13812345678") == "王芳 330182********001X 138****5678"
    path = tmp_path / "test.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("recuperation.test-masking")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("bad 330182198001010011 phone 13912345678")
        except ValueError:
            logger.exception("import of %s failed", "33018219800101001X")
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = path.read_text(encoding="utf-8")
    assert "33018219800101001X" not in text and "330182198001010011" not in text and "13912345678" not in text
    assert "330182********001X" in text and "139****5678" in text


@pytest.mark.sqlite_only
@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_backups_and_logs_are_private(db: Database, tmp_path: Path, capsys) -> None:
    import stat

    from recuperation.cli import main as cli_main
    from recuperation.storage.paths import log_dir

    assert db.path is not None
    made = automatic_backup(db.path, D(2026, 1, 1))
    assert made is not None and stat.S_IMODE(made.stat().st_mode) == 0o600
    assert cli_main(["--db", str(db.path), "check"]) == 0
    capsys.readouterr()
    log = log_dir() / "recuperation.log"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_every_kind_of_change_is_in_the_audit_trail(demo_db: Database, tmp_path: Path) -> None:
    from recuperation.documents.batch_docs import print_manifest
    from recuperation.services import partners as partner_service
    from recuperation.services.audit import list_audit
    from recuperation.workbooks import export_roster

    created = partner_service.create_partner(demo_db, partner_service.PartnerInput(name="新单位"))
    changed = partner_service.update_partner(
        demo_db, created.id, created.version, partner_service.PartnerInput(name="新单位", region="建德市")
    )
    archived = partner_service.archive_partner(demo_db, changed.id, changed.version)
    other = partner_service.create_partner(demo_db, partner_service.PartnerInput(name="另一单位"))
    partner_service.delete_partner(demo_db, other.id, other.version)
    export_roster(demo_db, "L2021-0001", tmp_path / "r.xlsx", full_ids=True)
    print_manifest(demo_db, "L2021-0001", tmp_path / "m.pdf", full_ids=True)
    entries = list_audit(demo_db, user=audit_user(demo_db))
    actions = {(e.action, e.table, e.label, e.field) for e in entries}
    assert ("create", "partner", "新单位", "") in actions
    assert ("update", "partner", "新单位", "region") in actions
    assert ("archive", "partner", "新单位", "") in actions and archived.archived
    assert ("delete", "partner", "另一单位", "") in actions
    assert ("export", "batch", "L2021-0001", "full_ids") in actions
    assert ("print", "batch", "L2021-0001", "full_ids") in actions
    update = next(e for e in entries if e.action == "update" and e.field == "region")
    assert (update.old, update.new) == ("", "建德市")


@pytest.mark.sqlite_only
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_register_import_killed_at_any_moment_is_all_or_nothing(tmp_path: Path) -> None:
    """12 kills while 300 bases with their certifications are written: never some of them."""
    from tests.test_roster_import import write_xlsx

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    rng = random.Random(11)
    path = tmp_path / "register.db"
    open_database(path).close()
    register = write_xlsx(
        tmp_path / "bases.xlsx",
        [
            ["基地名称", "床位数", "认定级别", "证书编号", "有效期起", "有效期至"],
            *[[f"基地{i}", 40, "杭州市级", f"HZ-{i:04d}", "2021-03-01", "2024-02-29"] for i in range(300)],
        ],
    )
    outcomes = set()
    for _ in range(12):
        _kill_after_ready(["register", str(path), str(register)], rng.uniform(0, 0.5), env)
        _integrity(path)
        with sqlite3.connect(path) as conn:
            bases = conn.execute("SELECT count(*) FROM base").fetchone()[0]
            certs = conn.execute("SELECT count(*) FROM certification").fetchone()[0]
            audit = conn.execute("SELECT count(*) FROM audit_log WHERE table_name = 'base'").fetchone()[0]
            assert (bases, certs) in ((0, 0), (300, 300)) and audit == bases
            outcomes.add(bases)
            if bases:  # start again from an empty register
                conn.execute("DELETE FROM certification_step")
                conn.execute("DELETE FROM certification")
                conn.execute("DELETE FROM base")
                conn.execute("DELETE FROM audit_log")
    assert 0 in outcomes  # some kills did land mid-import


LAST_TO_CLOSE = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1])
    conn.execute("SELECT count(*) FROM partner").fetchone()
    conn.close()  # the last connection to close checkpoints and deletes the -wal and -shm files
""")


@pytest.mark.sqlite_only
@pytest.mark.skipif(os.name != "posix", reason="POSIX advisory locks")
def test_reading_the_file_never_drops_the_locks_of_an_open_desk(tmp_path: Path) -> None:
    """A desk that reads its own database file's bytes (opening it again, checking a backup's source,
    restoring) keeps its connections' locks: another program closing its connection does not take itself
    for the last one and delete the -wal and -shm files the desk still uses, and the desk's next write
    lands in the database."""
    from recuperation.storage.restore import _live_state

    path = tmp_path / "desk.db"
    db = open_database(path)
    partner(db, "宁波大学")
    wal = Path(str(path) + "-wal")
    try:
        assert wal.exists()  # the desk's pooled connection holds the file
        # the same process reads the file's bytes three ways while its connection is open
        open_database(path).close()
        _live_state(path)
        automatic_backup(path)
        for _ in range(3):
            subprocess.run([sys.executable, "-c", LAST_TO_CLOSE, str(path)], check=True, timeout=60)
            assert wal.exists(), "another program deleted the WAL the desk still uses"
        partner(db, "浙江大学")
    finally:
        db.close()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert sorted(r[0] for r in conn.execute("SELECT name FROM partner")) == ["宁波大学", "浙江大学"]
