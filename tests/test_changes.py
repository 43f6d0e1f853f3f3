"""What a write touched reaches this desk's listeners at commit, and other desks' watchers within seconds
(a second process on the same SQLite file, or another desk on the PostgreSQL server)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from recuperation.changes import Change, Watcher, parse_payload, written_table
from recuperation.errors import DomainError
from recuperation.services import partners
from recuperation.services.batch import batches, rosters
from recuperation.storage.database import Database, open_database
from tests.factories import partner, valid_uscc

ROOT = Path(__file__).resolve().parent.parent


def test_the_table_a_statement_writes() -> None:
    assert written_table('INSERT INTO "partner" (name) VALUES (?)') == "partner"
    assert written_table("  update batch SET x = 1") == "batch"
    assert written_table("DELETE FROM participant WHERE id IN (?)") == "participant"
    assert written_table("INSERT OR REPLACE INTO policy_setting VALUES (?)") == "policy_setting"
    assert written_table("SELECT * FROM batch") is None


def test_a_commit_reports_its_tables_and_ids_and_a_refusal_reports_nothing(db: Database) -> None:
    seen: list[Change] = []
    stop = db.on_change(seen.append)
    p = partner(db, "宁波大学")
    assert seen[-1].tables == {"partner"} and p.id in seen[-1].ids["partner"] and seen[-1].here
    count = len(seen)
    with pytest.raises(DomainError):
        partners.create_partner(db, partners.PartnerInput(name="", kind="university", uscc=valid_uscc()))
    assert len(seen) == count  # nothing committed, nothing reported
    batch = batches.create_batch(db, batches.BatchInput(p.id, dt_day(1), dt_day(2), 3))
    rosters.add_participant(db, batch.id, rosters.ParticipantInput("王芳", "330182198001010028"))
    assert "participant" in seen[-1].tables and "audit_log" not in seen[-1].tables
    stop()
    partner(db, "浙江大学")
    assert len(seen) == count + 2  # stopped listening


def dt_day(n: int):
    import datetime as dt

    return dt.date(2027, 5, n)


WRITER = textwrap.dedent(
    """
    import sys
    from recuperation.storage.database import open_database
    from recuperation.services import partners
    with open_database(sys.argv[1]) as db:
        partners.create_partner(db, partners.PartnerInput(name=sys.argv[2], kind="enterprise"))
    """
)


def _write_elsewhere(target: str, name: str) -> None:
    subprocess.run([sys.executable, "-c", WRITER, target, name], cwd=ROOT, check=True, timeout=60)


def _wait(watcher: Watcher, limit: float = 5.0) -> tuple[Change | None, float]:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        change = watcher.poll(0.2)
        if change:
            return change, time.monotonic() - started
    return None, limit


@pytest.mark.slow
def test_another_process_write_reaches_the_watcher_and_our_own_does_not(db: Database) -> None:
    watcher = Watcher(db)
    try:
        partner(db, "宁波大学")  # our own commit
        change, _ = _wait(watcher, 1.5)
        assert change is None
        for round_ in range(3):
            _write_elsewhere(db.url if not db.is_sqlite else str(db.path), f"秦山核电站{round_}")
            change, waited = _wait(watcher)
            assert change is not None and not change.here, f"round {round_}: nothing seen"
            assert "partner" in change.tables and waited < 2.0
            names = {p.name for p in partners.list_partners(db) if p.id in change.ids["partner"]}
            assert names == {f"秦山核电站{round_}"}
    finally:
        watcher.close()


def test_a_second_desk_in_this_process_is_another_desk(db: Database) -> None:
    other = open_database(db.url if not db.is_sqlite else db.path)
    watcher = Watcher(db)
    try:
        partner(other, "浙江海港集团")
        change, _ = _wait(watcher)
        assert change is not None and "partner" in change.tables
    finally:
        watcher.close()
        other.close()


def test_payloads_from_other_desks() -> None:
    assert parse_payload('{"desk": "me", "tables": {"batch": [1]}}', "me") is None
    change = parse_payload('{"desk": "you", "tables": {"batch": [1, 2], "lodging": []}}', "me")
    assert change is not None and change.ids["batch"] == {1, 2} and change.tables == {"batch", "lodging"}
    assert parse_payload("not json", "me") == Change(everything=True, here=False)


def test_hostile_payloads_mean_reload_everything() -> None:
    everything = Change(everything=True, here=False)
    assert parse_payload("[" * 2000 + "]" * 2000, "me") == everything  # deeper than the parser goes
    assert parse_payload('{"desk": "you", "tables": {"batch": 5}}', "me") == everything
    assert parse_payload('{"desk": "you", "tables": {}}', "me") == everything
    assert parse_payload('{"desk": "you", "tables": {"batch": [true, 3]}}', "me") == Change.of(
        {"batch": [3]}, here=False
    )


def test_a_listener_that_writes_commits_its_own_transaction(db: Database) -> None:
    written: list[int] = []

    def listener(change: Change) -> None:
        if "partner" in change.tables and not written:
            written.append(partner(db, "浙江大学").id)

    db.on_change(listener)
    partner(db, "宁波大学")
    assert written and {p.name for p in partners.list_partners(db)} == {"宁波大学", "浙江大学"}


@pytest.mark.sqlite_only
def test_a_restore_while_watching_reloads_everything(tmp_path: Path) -> None:
    from recuperation.storage.backups import backup_to
    from recuperation.storage.restore import restore

    live = open_database(tmp_path / "办公室#2.db")  # a '#' in the name: the watcher still reads this file
    partner(live, "宁波大学")
    backup = backup_to(live, tmp_path / "old.db")
    watcher = Watcher(live)
    try:
        for name in ("浙江大学", "秦山核电站", "浙江海港集团"):
            partner(live, name)
        assert _wait(watcher, 1.5)[0] is None  # our own writes
        restore(str(tmp_path / "办公室#2.db"), backup)  # older history: the newest entry seen is gone
        change, _ = _wait(watcher)
        assert change is not None and change.everything
    finally:
        watcher.close()
        live.close()
    assert not (tmp_path / "办公室").exists()


@pytest.mark.pg_owner  # the demo is built by the owner (it sets the sequences)
def test_a_demo_load_tells_this_desks_views_everything(db: Database) -> None:
    from recuperation.demo import build_demo

    seen: list[Change] = []
    db.on_change(seen.append)
    build_demo(db, 1)
    assert seen and seen[-1].everything
