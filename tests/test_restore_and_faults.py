"""The database file's own operations, with real files and real processes (issue 16, second round).

Restore cannot make things worse: a backup is copied as bytes into a private file and verified fully
(integrity, foreign keys, schema, every row) before anything else happens; the backup itself is never
written; the live file is byte-identical after every refused or failed restore, with no temporary file left.
Backups write their temporary ``.part`` privately from the first byte and remove it on failure.  Faults of the
file are named as what they are: read-only, a full disk, another program holding the write lock.

Read-only media and full disks are made for real in a private mount namespace (``unshare -Urm``: a read-only
bind mount, a small tmpfs), which works for root and, where user namespaces are allowed, for anyone; where it
does not, those tests fall back to chmod (not as root: chmod does not stop root) or are skipped with the
reason.  A file-size limit (RLIMIT_FSIZE) stands in for a full disk where a mount cannot be made.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from recuperation.errors import DatabaseOpenError
from recuperation.storage.backups import automatic_backup, backup_dir, clean_stale_parts, sqlite_backup
from recuperation.storage.database import SQLITE_HEADER, open_database
from recuperation.storage.engine import BUSY_TIMEOUT_MS, create_db_engine
from recuperation.storage.faults import database_fault
from recuperation.storage.files import create_part
from recuperation.storage.paths import read_only_uri
from recuperation.storage.restore import restore
from recuperation.storage.schema import SCHEMA_HEAD, upgrade

pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parents[1]
BASES_CSV = "基地名称 *,类型,床位数\n测试新基地一号,宾馆,50\n测试新基地二号,宾馆,60\n"


# --- helpers ------------------------------------------------------------------------------------------------


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(
    *args: str,
    prefix: Sequence[str] = (),
    file_size_limit: int | None = None,
    lang: str = "en",
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:
    """``recuperation ARGS`` in a process of its own (optionally inside ``prefix``, under a file-size limit)."""

    def limit() -> None:
        import resource

        assert file_size_limit is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    env = {**os.environ, "RECUPERATION_LANG": lang}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "recuperation.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit if file_size_limit else None,
    )


@functools.cache
def namespaces() -> str:
    """ "" when a private mount namespace with tmpfs and read-only bind mounts can be made here, else why not."""
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return "needs Linux and unshare(1)"
    probe = 'd=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs "$d" && mount --bind -o ro "$d" "$d"'
    run = subprocess.run(["unshare", "-Urm", "sh", "-c", probe], capture_output=True, text=True)
    return "" if run.returncode == 0 else f"no private mount namespace here: {run.stderr.strip()}"


def read_only_prefix(folder: Path) -> list[str]:
    """Run a command with ``folder`` mounted read-only (for that command only)."""
    return ["unshare", "-Urm", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', str(folder)]


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[list[str]]:
    """``folder`` read-only for the commands run with the prefix this yields: a read-only bind mount in a
    private namespace; without namespaces, read-only permissions (which bind anyone but root)."""
    if not namespaces():
        yield read_only_prefix(folder)
        return
    if os.geteuid() == 0:
        pytest.skip(f"running as root and {namespaces()}: chmod does not stop root")
    modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
    for p in folder.iterdir():
        p.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield []
    finally:
        for p, mode in modes.items():
            p.chmod(stat.S_IMODE(mode))


DRIVER = textwrap.dedent(
    """
    import hashlib, json, os, shutil, subprocess, sys
    mount, live_source, fill, *args = sys.argv[1:]
    args = [a.replace("MOUNT", mount) for a in args]
    live = os.path.join(mount, "desk.db")
    shutil.copy(live_source, live)
    if fill == "fill":  # take every byte left
        fd = os.open(os.path.join(mount, "filler"), os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, bytes(65536)):
                pass
        except OSError:
            pass
        os.close(fd)
    digest = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
    before = digest(live)
    run = subprocess.run([sys.executable, "-m", "recuperation.cli", "--db", live, *args],
                         capture_output=True, text=True)
    files = sorted(os.path.relpath(os.path.join(d, n), mount) for d, _, ns in os.walk(mount) for n in ns)
    print(json.dumps({"rc": run.returncode, "err": run.stderr, "before": before, "after": digest(live),
                      "files": files}))
    """
)


def on_small_disk(tmp_path: Path, live: Path, size: int, args: Sequence[str], fill: bool = False) -> dict:
    """Copy ``live`` onto a tmpfs of ``size`` bytes (mounted for this run only), run the CLI on it there and
    say what happened: exit status, message, the file's hash before and after, the files left."""
    if namespaces():
        pytest.skip(namespaces())
    mount = tmp_path / "small-disk"
    mount.mkdir()
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    script = 'mount -t tmpfs -o size="$1" tmpfs "$0" && shift && exec "$@"'
    run = subprocess.run(
        [
            "unshare", "-Urm", "sh", "-c", script, str(mount), f"{size // 1024}k",
            sys.executable, str(driver), str(mount), str(live), "fill" if fill else "no", *args,
        ],
        env={**os.environ, "RECUPERATION_LANG": "en"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return dict(json.loads(run.stdout))


def leftovers(folder: Path) -> list[str]:
    """Temporary files of backups and restores, anywhere under ``folder``."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if ".part" in p.name)


@pytest.fixture
def live(demo_path: Path, tmp_path: Path) -> Path:
    """The desk's database: the one-year demo, in a folder of its own."""
    folder = tmp_path / "desk"
    folder.mkdir()
    target = folder / "desk.db"
    shutil.move(demo_path, target)
    return target


@pytest.fixture
def backup(live: Path, tmp_path: Path) -> Path:
    """A good backup of the live database, on another medium (folder)."""
    folder = tmp_path / "stick"
    folder.mkdir()
    return sqlite_backup(live, folder / "desk-backup.db")


def participant_pages(path: Path) -> tuple[int, list[int]]:
    """The page size and the leaf pages of the participant table (dbstat), else the file's second half."""
    with sqlite3.connect(path) as conn:
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        try:
            pages = [
                int(r[0])
                for r in conn.execute(
                    "SELECT pageno FROM dbstat WHERE name = 'participant' AND pagetype = 'leaf' ORDER BY pageno"
                )
            ]
        except sqlite3.OperationalError:  # SQLite built without dbstat
            count = int(conn.execute("PRAGMA page_count").fetchone()[0])
            pages = list(range(count // 2, count))
    return page_size, pages


def damage(path: Path, how: str) -> None:
    """Damage the data pages of ``path`` (its header and schema stay intact).

    "index": one digit of a person's ID number changes inside a participant page, so that the row no longer
    matches its indexes: SQLite's quick check (the full check a desk runs before its first write) passes, only
    the full integrity check finds it.  "garbage": the cells of three participant pages are overwritten; both
    checks fail.
    """
    page_size, pages = participant_pages(path)
    data = bytearray(path.read_bytes())
    middle = len(pages) // 2
    if how == "index":
        for page in pages[middle:]:
            start = (page - 1) * page_size
            found = re.search(rb"\d{17}[\dX]", bytes(data[start : start + page_size]))
            if found:
                at = start + found.start() + 10
                data[at] = ord("0") if data[at] != ord("0") else ord("1")
                break
        else:  # pragma: no cover - the demo has ID numbers on every participant page
            raise AssertionError("no ID number found")
    else:
        for page in pages[middle : middle + 3]:
            start = (page - 1) * page_size
            data[start + 16 : start + page_size - 8] = b"\xa5" * (page_size - 24)
    path.write_bytes(bytes(data))
    with sqlite3.connect(read_only_uri(path), uri=True) as conn:
        quick = [r[0] for r in conn.execute("PRAGMA quick_check")]
        full = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)  # intact
    assert full != ["ok"]
    assert (quick == ["ok"]) is (how == "index")


def assert_untouched(live: Path, before: str) -> None:
    """The live file is byte-identical, no temporary file is left and no pre-restore copy was kept."""
    assert sha(live) == before
    assert leftovers(live.parent) == []
    assert not list(live.parent.rglob("*before-restore*"))


# --- restore: refused backups leave everything as it was --------------------------------------------------


@pytest.mark.parametrize("how", ["index", "garbage"])
def test_a_backup_with_damaged_data_pages_is_refused_and_the_database_is_unchanged(
    live: Path, backup: Path, how: str
) -> None:
    damage(backup, how)
    before, backup_before = sha(live), sha(backup)
    with pytest.raises(DatabaseOpenError) as refused:
        restore(live, backup)
    assert refused.value.key == "db.restore_damaged"
    assert "没有恢复；当前数据库没有改动" in refused.value.message
    assert_untouched(live, before)
    assert sha(backup) == backup_before


@pytest.mark.slow
def test_the_command_refuses_a_damaged_backup_after_the_quick_check_passes(live: Path, backup: Path) -> None:
    damage(backup, "index")  # the quick check run before a desk's first write would not see this
    before = sha(live)
    run = cli("--db", str(live), "restore", str(backup))
    assert run.returncode == 1
    assert "is damaged (row" in run.stderr and "missing from index" in run.stderr
    assert "the current database was not changed" in run.stderr
    assert_untouched(live, before)
    assert cli("--db", str(live), "check").returncode == 0


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("DROP TABLE lodging", "the table lodging"),
        ("ALTER TABLE partner DROP COLUMN notes", "the column partner.notes"),
    ],
)
def test_a_backup_missing_a_table_or_a_column_is_refused(
    live: Path, backup: Path, sql: str, named: str
) -> None:
    with sqlite3.connect(backup) as conn:
        conn.execute(sql)
    before = sha(live)
    from recuperation import messages

    messages.set_language("en")
    with pytest.raises(DatabaseOpenError) as refused:
        restore(live, backup)
    assert refused.value.key == "db.restore_schema"
    assert named in refused.value.message and f"revision {SCHEMA_HEAD}" in refused.value.message
    assert_untouched(live, before)


def test_a_backup_with_broken_foreign_keys_is_refused(live: Path, backup: Path) -> None:
    with sqlite3.connect(backup) as conn:  # foreign keys are off in a plain connection
        conn.execute("DELETE FROM batch WHERE id = 1")
    before = sha(live)
    with pytest.raises(DatabaseOpenError) as refused:
        restore(live, backup)
    assert refused.value.key == "db.restore_foreign_keys"
    assert "→ batch" in refused.value.message
    assert_untouched(live, before)


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        (
            "CREATE TRIGGER evil AFTER UPDATE ON participant BEGIN DELETE FROM participant WHERE id = new.id; END",
            "trigger evil",
        ),
        ("CREATE VIEW people AS SELECT name FROM participant", "view people"),
        (
            # participant rebuilt without its foreign key, its unique index and its CHECK
            "CREATE TABLE p2 AS SELECT * FROM participant; DROP TABLE participant; ALTER TABLE p2 RENAME TO participant",
            "participant",
        ),
    ],
)
def test_a_backup_whose_schema_was_changed_by_hand_is_refused(
    live: Path, backup: Path, sql: str, named: str
) -> None:
    """A trigger that deletes a person on every update, or a table stripped of its rules, would make every
    later import lie: the structure must be this program's, not only its tables and columns."""
    with sqlite3.connect(backup) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.executescript(sql)
    before = sha(live)
    with pytest.raises(DatabaseOpenError) as refused:
        restore(live, backup)
    assert refused.value.key == "db.restore_schema_changed" and named in refused.value.message
    assert_untouched(live, before)


def test_a_database_whose_rows_cannot_be_read_is_kept_as_damaged_not_as_a_pre_restore_copy(
    live: Path, backup: Path
) -> None:
    """Every *-before-restore.db restores: a live file that a restore would refuse is named -damaged."""
    with sqlite3.connect(live) as conn:
        conn.execute("UPDATE participant SET created_at = 'garbage' WHERE id = 1")
    report = restore(live, backup)
    assert "-damaged-" in str(report.saved_copy)
    assert not list(live.parent.rglob("*before-restore*"))


def test_backup_folders_are_the_owners_alone(live: Path, tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        made = sqlite_backup(live, tmp_path / "new" / "sub" / "copy.db")
        folder = backup_dir(live)
    finally:
        os.umask(old)
    for path in (made.parent, made.parent.parent, folder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    assert stat.S_IMODE(made.stat().st_mode) == 0o600


def test_a_backup_whose_rows_cannot_be_read_is_refused(live: Path, backup: Path) -> None:
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE partner SET updated_at = 'last Tuesday' WHERE id = 1")
    before = sha(live)
    with pytest.raises(DatabaseOpenError) as refused:
        restore(live, backup)
    assert refused.value.key == "db.restore_unreadable" and "partner" in refused.value.message
    assert_untouched(live, before)


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 a workbook", None])
def test_files_that_are_no_backup_are_refused(live: Path, tmp_path: Path, content: bytes | None) -> None:
    other = tmp_path / "other.db"
    if content is None:
        with sqlite3.connect(other) as conn:
            conn.execute("CREATE TABLE t (x)")
    else:
        other.write_bytes(content)
    before = sha(live)
    with pytest.raises(DatabaseOpenError) as refused:
        restore(live, other)
    assert refused.value.key in ("db.restore_not_sqlite", "db.restore_not_ours")
    assert_untouched(live, before)


# --- restore: the backup is only ever read ----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_restore_never_writes_to_the_backup(live: Path, backup: Path, journal: str) -> None:
    if journal == "wal":  # a copy of a desk's file: its header says WAL
        with sqlite3.connect(backup) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
        assert backup.read_bytes()[18:20] == b"\x02\x02"
    before = sha(backup)
    run = cli("--db", str(live), "restore", str(backup))
    assert run.returncode == 0, run.stderr
    assert sha(backup) == before
    assert sorted(p.name for p in backup.parent.iterdir()) == [backup.name]  # no -wal, no -shm beside it
    assert leftovers(live.parent) == []


@pytest.mark.slow
def test_a_backup_on_a_read_only_medium_restores(live: Path, backup: Path) -> None:
    before = sha(backup)
    with read_only(backup.parent) as prefix:
        run = cli("--db", str(live), "restore", str(backup), prefix=prefix)
    assert run.returncode == 0, run.stderr
    assert "Restored from" in run.stderr and "1218 batches" in run.stderr
    assert sha(backup) == before and sorted(p.name for p in backup.parent.iterdir()) == [backup.name]


@pytest.mark.slow
def test_the_pre_restore_copy_always_restores(live: Path, backup: Path) -> None:
    with sqlite3.connect(live) as conn:  # work done after the backup
        conn.execute("UPDATE partner SET region = '恢复前的改动' WHERE id = 1")
    run = cli("--db", str(live), "restore", str(backup))
    assert run.returncode == 0, run.stderr
    saved = re.search(r"kept as (\S+-before-restore\.db)\.", run.stderr)
    assert saved, run.stderr
    copy = Path(saved[1])
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with sqlite3.connect(live) as conn:
        assert conn.execute("SELECT region FROM partner WHERE id = 1").fetchone()[0] != "恢复前的改动"
    run = cli("--db", str(live), "restore", str(copy))  # undo the restore
    assert run.returncode == 0, run.stderr
    with sqlite3.connect(live) as conn:
        assert conn.execute("SELECT region FROM partner WHERE id = 1").fetchone()[0] == "恢复前的改动"
    assert cli("--db", str(live), "check").returncode == 0


@pytest.mark.slow
def test_a_damaged_database_is_kept_aside_byte_for_byte_and_replaced(live: Path, backup: Path) -> None:
    damage(live, "garbage")
    damaged = live.read_bytes()
    report = restore(live, backup)
    assert report.saved_copy is not None and report.saved_copy.name.startswith("desk-damaged-")
    assert report.saved_copy.read_bytes() == damaged and report.saved_problem
    with sqlite3.connect(live) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM batch").fetchone() == (1218,)
    assert leftovers(live.parent) == []


@pytest.mark.slow
def test_restore_names_the_backups_own_date_and_counts(live: Path, backup: Path, tmp_path: Path) -> None:
    early = "'2024-03-01 08:00:00'"
    with sqlite3.connect(backup) as conn:
        # every dated record early (the demo's money, orders and notices as well), but one batch
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
            for column in ("created_at", "updated_at", "at") if table != "alembic_version" else ():
                if column in columns:
                    conn.execute(f'UPDATE "{table}" SET "{column}" = {early}')
        conn.execute("UPDATE batch SET updated_at = '2024-03-06 17:45:00' WHERE id = 7")
    os.utime(backup, (1_600_000_000, 1_600_000_000))  # the file's own time says 2020: not used
    report = restore(live, backup)
    assert (report.taken_from, report.taken.isoformat(" ")) == ("records", "2024-03-06 17:45:00")
    assert (report.batches, report.participants, report.partners) == (1218, 45340, 30)
    assert "备份中最新的记录写于 2024-03-06 17:45" in report.message()

    empty = tmp_path / "empty.db"  # a database of this program without a dated record
    open_database(empty).close()
    os.utime(empty, (1_672_628_640, 1_672_628_640))
    report = restore(live, empty)
    assert report.taken_from == "file"
    assert report.taken == dt.datetime.fromtimestamp(1_672_628_640)
    assert "文件修改于" in report.message()


def test_a_backup_of_an_older_revision_is_migrated_on_the_copy(live: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    engine = create_db_engine("sqlite:///" + str(old))
    upgrade(engine, "0001")
    engine.dispose()
    with sqlite3.connect(old) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute(
            "INSERT INTO partner (version, created_at, updated_at, updated_by, name, kind, region, contact_name,"
            " contact_phone, address, notes, archived) VALUES (1, '2023-05-04 10:00:00', '2023-05-04 10:00:00',"
            " '', '旧版本的单位', 'other', '', '', '', '', '', 0)"
        )
    before = sha(old)
    report = restore(live, old)
    assert report.migrated_from == "0001" and report.partners == 1
    assert sha(old) == before  # migrated on the private copy, not in the backup
    with sqlite3.connect(live) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
        assert conn.execute("SELECT name FROM partner").fetchall() == [("旧版本的单位",)]


@pytest.mark.slow
def test_a_backup_with_another_page_size_restores_into_a_wal_database(live: Path, backup: Path) -> None:
    with sqlite3.connect(backup) as conn:
        conn.execute("PRAGMA page_size = 8192")
        conn.execute("VACUUM")
        assert conn.execute("PRAGMA page_size").fetchone() == (8192,)
    report = restore(live, backup)
    assert report.batches == 1218
    with sqlite3.connect(live) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA page_size").fetchone() == (4096,)


@pytest.mark.slow
def test_restore_over_a_file_size_limit_changes_nothing(live: Path, backup: Path) -> None:
    before = sha(live)
    # A file-size limit (ulimit -f) stops the private copy half-way, as a full disk would.
    run = cli("--db", str(live), "restore", str(backup), file_size_limit=4 << 20)
    assert run.returncode == 1
    assert "went over the largest file size allowed" in run.stderr and "not damage" in run.stderr
    assert_untouched(live, before)


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["private copy", "pre-restore copy", "replacing"])
def test_restore_running_out_of_disk_at_each_stage_leaves_the_database_byte_identical(
    live: Path, backup: Path, tmp_path: Path, stage: str
) -> None:
    # The restore needs, beside the database: its private copy, then the pre-restore copy, then the WAL of
    # the replacement — each about the size of the file.  The disk runs out at the stage named.
    size = live.stat().st_size
    room = {"private copy": 1.5, "pre-restore copy": 2.5, "replacing": 3.5}[stage]
    result = on_small_disk(tmp_path, live, int(size * room), ["restore", str(backup)])
    assert result["rc"] == 1, result
    assert "is full" in result["err"], result
    assert result["after"] == result["before"]
    assert [f for f in result["files"] if ".part" in f or "before-restore" in f] == []


# --- backups' temporary files ------------------------------------------------------------------------------

KILLED_BACKUP = """
import os, signal, sys
from pathlib import Path
os.umask(0)  # whatever the umask, a backup's files are its owner's alone
from recuperation.storage.backups import sqlite_backup
def die(status, remaining, total):
    os.kill(os.getpid(), signal.SIGKILL)
sqlite_backup(Path(sys.argv[1]), Path(sys.argv[2]), pages=16, progress=die)
"""


@pytest.mark.slow
def test_a_killed_backup_leaves_only_private_files_and_the_next_start_removes_them(live: Path) -> None:
    target = backup_dir(live) / "desk-manual.db"
    run = subprocess.run(
        [sys.executable, "-c", KILLED_BACKUP, str(live), str(target)],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert run.returncode == -signal.SIGKILL
    left = sorted(backup_dir(live).iterdir())
    assert [p.name for p in left] == ["desk-manual.db.part", "desk-manual.db.part-journal"]
    assert {stat.S_IMODE(p.stat().st_mode) for p in left} == {0o600}  # private from the first byte
    made = automatic_backup(live)  # the next start of the desktop
    assert made is not None and stat.S_IMODE(made.stat().st_mode) == 0o600
    assert leftovers(live.parent) == []


def test_a_part_that_is_being_written_is_not_removed(live: Path) -> None:
    part = backup_dir(live) / "desk-manual.db.part"
    fd = create_part(part)  # a backup in progress holds its lock
    try:
        assert stat.S_IMODE(part.stat().st_mode) == 0o600
        assert clean_stale_parts(live) == []
        assert part.exists()
        with pytest.raises(DatabaseOpenError) as busy:  # a second backup to the same file waits its turn
            sqlite_backup(live, part.with_suffix(""))
        assert busy.value.key == "db.part_in_use"
    finally:
        os.close(fd)
    assert clean_stale_parts(live) == [part] and not part.exists()


@pytest.mark.slow
def test_a_backup_over_a_file_size_limit_removes_its_part_and_says_so(live: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    run = cli("--db", str(live), "backup", "-o", str(out / "copy.db"), file_size_limit=2 << 20)
    assert run.returncode == 1
    assert "went over the largest file size allowed" in run.stderr and "(ulimit -f)" in run.stderr
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_a_backup_on_a_really_full_disk_removes_its_part(live: Path, tmp_path: Path) -> None:
    # The copy goes onto the small disk that holds the database, with 3 MiB left for a 13 MB copy.
    result = on_small_disk(tmp_path, live, live.stat().st_size + (3 << 20), ["backup", "-o", "MOUNT/out.db"])
    assert result["rc"] == 1 and "The disk holding" in result["err"] and "is full" in result["err"], result
    assert [f for f in result["files"] if ".part" in f or "out.db" in f] == [], result
    assert result["after"] == result["before"]


# --- faults named as what they are ------------------------------------------------------------------------


@pytest.mark.slow
def test_a_database_on_a_read_only_medium_is_named_read_only(live: Path) -> None:
    before = sha(live)
    with read_only(live.parent) as prefix:
        runs = [
            cli("--db", str(live), *args, prefix=prefix) for args in (["check"], ["stats", "--year", "2021"])
        ]
    for run in runs:
        assert run.returncode == 1
        assert "is read-only" in run.stderr and "not damage" in run.stderr
        assert "integrity" not in run.stderr and "restore a backup" not in run.stderr
    assert sha(live) == before


@pytest.mark.slow
def test_a_read_only_file_is_named_read_only_when_written(live: Path, tmp_path: Path) -> None:
    register = tmp_path / "bases.csv"
    register.write_text(BASES_CSV, encoding="utf-8")
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(live)]).returncode != 0:
            pytest.skip("running as root without chattr +i: nothing makes a file read-only for root")
        undo = ["chattr", "-i", str(live)]
    else:
        live.chmod(0o444)
        undo = ["chmod", "600", str(live)]
    try:
        preview = cli("--db", str(live), "import", "bases", str(register), "--dry-run")
        write = cli("--db", str(live), "import", "bases", str(register))
    finally:
        subprocess.run(undo, check=True)
    for run in (preview, write):
        assert run.returncode == 1, run.stderr
        assert "is read-only (the file itself is read-only)" in run.stderr
        assert run.stdout.strip() == ""  # no row is blamed for it


@pytest.mark.slow
def test_a_full_disk_during_check_is_named_a_full_disk(live: Path, tmp_path: Path) -> None:
    result = on_small_disk(tmp_path, live, live.stat().st_size + (1 << 20), ["check"], fill=True)
    assert result["rc"] == 1, result
    assert "is full" in result["err"] and "not damage" in result["err"], result
    assert "integrity" not in result["err"] and "restore a backup" not in result["err"]
    assert result["after"] == result["before"]


HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


@pytest.mark.slow
def test_a_database_held_by_another_process_is_named_busy(live: Path, backup: Path, tmp_path: Path) -> None:
    register = tmp_path / "bases.csv"
    register.write_text(BASES_CSV, encoding="utf-8")
    assert cli("--db", str(live), "import", "bases", str(register), "--dry-run").returncode == 0
    before = sha(live)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(live), "30"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        commands = {
            "preview": ["import", "bases", str(register), "--dry-run"],
            "import": ["import", "bases", str(register)],
            "restore": ["restore", str(backup)],
        }
        env = {**os.environ, "RECUPERATION_LANG": "en"}
        running = {
            name: subprocess.Popen(
                [sys.executable, "-m", "recuperation.cli", "--db", str(live), *args],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name, args in commands.items()
        }
        results = {name: (*p.communicate(timeout=60), p.returncode) for name, p in running.items()}
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert waited >= BUSY_TIMEOUT_MS / 1000 - 1
    for name, (out, err, code) in results.items():
        assert code == 1, (name, err)
        assert "Another desk or program is writing to the database" in err and "waited 15 s" in err, (
            name,
            err,
        )
        assert "Unexpected error" not in err and "locked" not in err
        assert out.strip() == "", (name, out)  # the preview blames no row
    assert_untouched(live, before)


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["import", "bases", "REGISTER", "--dry-run"],
        ["roster", "import", "L2021-0001", "REGISTER", "--dry-run"],
    ],
)
def test_a_dry_run_with_a_mistyped_db_creates_nothing(tmp_path: Path, args: list[str]) -> None:
    register = tmp_path / "bases.csv"
    register.write_text(BASES_CSV, encoding="utf-8")
    mistyped = tmp_path / "desk" / "dsek.db"
    run = cli("--db", str(mistyped), *[str(register) if a == "REGISTER" else a for a in args], lang="zh")
    assert run.returncode == 1
    assert f"数据库文件 {mistyped} 不存在" in run.stderr and "没有新建" in run.stderr
    assert not mistyped.exists() and not mistyped.parent.exists()


def test_faults_are_told_apart_from_damage(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"

    def key(exc: BaseException) -> str | None:
        fault = database_fault(exc, path)
        return fault.key if fault is not None else None

    def sqlite_error(cls: type[sqlite3.Error], text: str, code: int) -> sqlite3.Error:
        exc = cls(text)
        exc.sqlite_errorcode = code  # type: ignore[attr-defined]
        return exc

    assert key(sqlite_error(sqlite3.OperationalError, "database is locked", 5)) == "db.busy"
    assert key(sqlite_error(sqlite3.OperationalError, "database or disk is full", 13)) == "db.disk_full"
    assert (
        key(sqlite_error(sqlite3.OperationalError, "attempt to write a readonly database", 8))
        == "db.read_only"
    )
    assert key(OSError(errno.ENOSPC, "No space left on device")) == "db.disk_full"
    assert key(OSError(errno.EROFS, "Read-only file system")) == "db.read_only"
    # Damage is SQLite's own word, never guessed from an error.
    assert key(sqlite_error(sqlite3.DatabaseError, "database disk image is malformed", 11)) is None


def test_a_device_or_a_huge_file_picked_by_mistake_is_named_not_copied(live: Path, tmp_path: Path) -> None:
    """The header is read first: /dev/zero or a 2 GB sparse file never fill the database's disk."""
    sparse = tmp_path / "film.db"
    with sparse.open("wb") as handle:
        header = bytearray(SQLITE_HEADER + bytes(84))
        header[16:18] = (4096).to_bytes(2, "big")  # an SQLite header claiming one page of 4 KB …
        header[24:28] = header[28:32] = header[92:96] = (1).to_bytes(4, "big")
        handle.write(header)
        handle.truncate(2 * 1024**3)  # … on a 2 GB file
    before = sha(live)
    for source in (Path("/dev/zero"), sparse):
        with pytest.raises(DatabaseOpenError) as refused:
            restore(live, source)
        assert refused.value.key == "db.restore_not_sqlite"
    assert_untouched(live, before)
