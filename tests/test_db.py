"""The database layer: pragmas, refusals, migrations with a backup first, backup and restore."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from recuperation import __version__
from recuperation.errors import DatabaseOpenError
from recuperation.models import SQLModel
from recuperation.storage.backups import sqlite_backup
from recuperation.storage.database import Database, open_database
from recuperation.storage.engine import BUSY_TIMEOUT_MS, create_db_engine
from recuperation.storage.paths import display_name, resolve_url
from recuperation.storage.restore import restore
from recuperation.storage.schema import SCHEMA_HEAD, current_revision, head_revision, upgrade


def test_default_location_is_the_user_data_folder(tmp_path: Path) -> None:
    url = resolve_url(None)
    assert url == "sqlite:///" + str(tmp_path / "data" / "recuperation.db")


def test_environment_and_argument_name_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECUPERATION_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).endswith("env.db")
    assert resolve_url(tmp_path / "arg.db").endswith("arg.db")
    assert resolve_url("postgresql+psycopg://desk@localhost:5432/desk").startswith("postgresql")


@pytest.mark.sqlite_only
def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(db: Database) -> None:
    with db.session() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == BUSY_TIMEOUT_MS


def test_new_database_is_at_the_current_schema_and_records_the_program(db: Database) -> None:
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT key, value FROM app_meta")).all())
    assert rows["last_migrated_by"] == __version__


def test_models_and_migrations_agree(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


@pytest.mark.sqlite_only
@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_database_file_is_private(db: Database) -> None:
    assert db.path is not None
    assert stat.S_IMODE(db.path.stat().st_mode) == 0o600


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(DatabaseOpenError) as info:
        open_database(path)
    assert "不是 SQLite 数据库" in info.value.message
    assert path.read_text(encoding="utf-8") == "这不是数据库"  # untouched


def test_a_missing_file_is_refused_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError) as info:
        open_database(tmp_path / "nowhere.db", create=False)
    assert "不存在" in info.value.message
    assert not (tmp_path / "nowhere.db").exists()


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    with pytest.raises(DatabaseOpenError) as info:
        open_database(path)
    assert "不是本程序的数据库" in info.value.message


def _first_schema_with_data(path: Path) -> None:
    engine = create_db_engine("sqlite:///" + str(path), foreign_keys=False)
    upgrade(engine, "0001")
    engine.dispose()
    now = "2021-03-01 09:00:00"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO partner (id, version, created_at, updated_at, updated_by, name, kind, region, uscc,"
            " contact_name, contact_phone, address, notes, archived)"
            " VALUES (1, 3, ?, ?, '王芳', '宁波大学', 'university', '宁波', NULL, '', '', '', '', 0)",
            (now, now),
        )
        conn.execute(
            "INSERT INTO batch (id, version, created_at, updated_at, updated_by, code, kind, status, partner_id,"
            " agreement_id, route_id, arrival, departure, headcount, leader, leader_phone, guide, vehicle, notes,"
            " cancel_reason) VALUES (1, 1, ?, ?, '王芳', 'L2021-0001', 'recuperation', 'completed', 1, NULL, NULL,"
            " '2021-05-12', '2021-05-14', 40, '', '', '', '', '', '')",
            (now, now),
        )


def test_first_schema_with_data_upgrades_with_data_intact_and_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _first_schema_with_data(path)
    database = open_database(path)
    try:
        assert current_revision(database.engine) == head_revision()
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT name, version FROM partner")).one() == ("宁波大学", 3)
            batch = conn.execute(text("SELECT code, arrival, headcount FROM batch")).one()
            assert batch == ("L2021-0001", "2021-05-12", 40)
            assert conn.execute(text("SELECT value FROM app_meta WHERE key='last_migrated_by'")).scalar()
    finally:
        database.close()
    backups = list((tmp_path / "old-backups").glob("old-*-pre-migration.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:  # the backup is the database as it was before
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT name FROM partner").fetchone() == ("宁波大学",)


def test_no_backup_when_nothing_needs_migrating(db_path: Path) -> None:
    open_database(db_path).close()
    open_database(db_path).close()
    assert not list(db_path.parent.glob("*-backups/*pre-migration*"))


def test_a_newer_schema_is_refused_without_change(db_path: Path) -> None:
    open_database(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseOpenError) as info:
        open_database(db_path)
    assert "9999" in info.value.message and "拒绝打开" in info.value.message
    assert db_path.read_bytes() == before


@pytest.mark.sqlite_only
def test_backup_is_consistent_while_a_transaction_is_open(demo_db: Database, tmp_path: Path) -> None:
    assert demo_db.path is not None
    with demo_db.session(write=True) as session:  # a desk in the middle of a change
        session.execute(text("UPDATE partner SET region = '未提交' WHERE id = 1"))
        target = sqlite_backup(demo_db.path, tmp_path / "copy.db")
        session.rollback()
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM batch").fetchone()[0] == 1218
        assert conn.execute("SELECT region FROM partner WHERE id = 1").fetchone()[0] != "未提交"


@pytest.mark.sqlite_only
def test_restore_keeps_a_copy_of_what_it_replaces(demo_db: Database, tmp_path: Path) -> None:
    assert demo_db.path is not None
    backup = sqlite_backup(demo_db.path, tmp_path / "saved.db")
    with demo_db.session(write=True) as session:
        session.execute(text("DELETE FROM audit_log"))
        session.execute(text("UPDATE partner SET region = '改过' WHERE id = 1"))
    report = restore(demo_db, backup)
    assert (report.batches, report.participants, report.partners) == (1218, 45340, 30)
    assert report.saved_copy.exists()
    with sqlite3.connect(report.saved_copy) as conn:
        assert conn.execute("SELECT region FROM partner WHERE id = 1").fetchone()[0] == "改过"
    reopened = open_database(demo_db.path)
    with reopened.engine.connect() as conn:
        assert conn.execute(text("SELECT region FROM partner WHERE id = 1")).scalar() != "改过"
    reopened.close()


@pytest.mark.sqlite_only
def test_restore_refuses_a_file_that_is_not_ours(db: Database, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(DatabaseOpenError):
        restore(db, other)
    text_file = tmp_path / "names.xlsx"
    text_file.write_bytes(b"PK\x03\x04 not a database")
    with pytest.raises(DatabaseOpenError):
        restore(db, text_file)


def test_write_transactions_are_all_or_nothing(db: Database) -> None:
    from recuperation.models import Partner

    with pytest.raises(RuntimeError), db.session(write=True) as session:
        session.add(Partner(name="半途而废", updated_at=dt.datetime.now()))
        session.flush()
        raise RuntimeError("power cut")
    with db.session() as session:
        assert session.execute(text("SELECT count(*) FROM partner")).scalar() == 0


def test_an_unreachable_server_is_named_in_one_line(tmp_path: Path) -> None:
    from recuperation.storage.server import probe

    url = "postgresql+psycopg://desk@127.0.0.1:1/office"
    with pytest.raises(DatabaseOpenError) as info:
        open_database(url)
    assert "无法打开数据库 postgresql+psycopg://desk@127.0.0.1:1/office" in info.value.message
    assert "\n" not in info.value.message
    with pytest.raises(DatabaseOpenError):
        probe(url)
    assert display_name("postgresql+psycopg://desk:secret@host/office") == (
        "postgresql+psycopg://desk:***@host/office"
    )


def test_the_schema_head_constant_is_alembics_head() -> None:
    assert head_revision() == SCHEMA_HEAD
