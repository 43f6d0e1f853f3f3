"""A single desk's PIN (recuperation/services/desk_pin.py): set, checked, changed and cleared with the current
one, kept only as a salted hash, audited without the PIN; refused on a server; asked by the command line
before full numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from recuperation.access import Access
from recuperation.cli import main
from recuperation.errors import AccessDenied, RuleViolation, ValidationError
from recuperation.models import AppMeta, AuditEntry
from recuperation.services import desk_pin
from recuperation.storage.database import Database

sqlite_only = pytest.mark.sqlite_only  # a PIN is an SQLite file's; the server's refusal is its own test


def _pin_entries(db: Database) -> list[AuditEntry]:
    with db.session() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.table_name == "desk_pin")))


@sqlite_only
def test_a_pin_is_set_checked_and_kept_only_as_a_salted_hash(db: Database) -> None:
    assert not desk_pin.pin_required(db) and desk_pin.check_pin(db, "")  # no PIN: nothing is asked
    desk_pin.set_pin(db, "4711")
    assert desk_pin.pin_required(db)
    assert desk_pin.check_pin(db, "4711") and desk_pin.check_pin(db, " 4711 ")
    assert (
        not desk_pin.check_pin(db, "4712")
        and not desk_pin.check_pin(db, "")
        and not desk_pin.check_pin(db, "x")
    )
    with db.session() as session:
        stored = session.get(AppMeta, desk_pin.PIN_KEY)
    assert stored is not None and "4711" not in stored.value and stored.value.startswith("scrypt$")
    first = stored.value
    desk_pin.set_pin(db, "4711", "4711")  # the same PIN again: a new salt, a new hash
    with db.session() as session:
        again = session.get(AppMeta, desk_pin.PIN_KEY)
    assert again is not None and again.value != first and desk_pin.check_pin(db, "4711")


@sqlite_only
@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", "", "１２３４"])
def test_a_pin_is_four_to_twelve_digits(db: Database, pin: str) -> None:
    with pytest.raises(ValidationError) as refused:
        desk_pin.set_pin(db, pin)
    assert refused.value.field == "pin" and "4–12 位数字" in refused.value.message
    assert not desk_pin.pin_required(db)


@sqlite_only
def test_changing_or_clearing_needs_the_current_pin(db: Database) -> None:
    desk_pin.set_pin(db, "123456")
    for current in ("", "654321"):
        with pytest.raises(ValidationError) as refused:
            desk_pin.set_pin(db, "2468", current)
        assert refused.value.field == "current_pin" and "当前 PIN 不对" in refused.value.message
        with pytest.raises(ValidationError):
            desk_pin.clear_pin(db, current)
    assert desk_pin.check_pin(db, "123456")  # a refused change changed nothing
    desk_pin.set_pin(db, "2468", "123456")
    assert desk_pin.check_pin(db, "2468") and not desk_pin.check_pin(db, "123456")
    desk_pin.clear_pin(db, "2468")
    assert not desk_pin.pin_required(db) and desk_pin.check_pin(db, "")
    with pytest.raises(RuleViolation) as none:
        desk_pin.clear_pin(db, "2468")
    assert "没有设置 PIN" in none.value.message


@sqlite_only
def test_setting_changing_and_clearing_are_audited_without_the_pin(db: Database) -> None:
    desk_pin.set_pin(db, "97531")
    desk_pin.set_pin(db, "86420", "97531")
    desk_pin.clear_pin(db, "86420")
    entries = _pin_entries(db)
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert {e.user for e in entries} == {"测试员"}
    for entry in entries:
        for value in (entry.record_label, entry.field, entry.old, entry.new):
            assert "97531" not in str(value) and "86420" not in str(value)


@sqlite_only
def test_only_the_administrator_sets_the_pin(db: Database) -> None:
    db.access = Access("李娜", frozenset({"coordinator"}))
    with pytest.raises(AccessDenied) as refused:
        desk_pin.set_pin(db, "4711")
    assert "李娜" in refused.value.message and "管理员" in refused.value.message
    assert not desk_pin.pin_required(db)


@sqlite_only
def test_the_command_line_asks_the_pin_before_full_numbers(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from recuperation.models import Batch
    from recuperation.storage.database import open_database

    with open_database(demo_path) as db:
        desk_pin.set_pin(db, "4711")
        with db.session() as session:
            batch = session.exec(select(Batch.code).order_by(Batch.id)).first()
    out = tmp_path / "full.xlsx"
    args = ["--db", str(demo_path), "roster", "export", str(batch), "-o", str(out), "--full-ids"]
    monkeypatch.delenv("RECUPERATION_PIN", raising=False)
    assert main(args) == 1  # no terminal under pytest, no RECUPERATION_PIN: refused
    assert "RECUPERATION_PIN" in capsys.readouterr().err and not out.exists()
    monkeypatch.setenv("RECUPERATION_PIN", "1234")
    assert main(args) == 1
    assert "PIN 不对" in capsys.readouterr().err and not out.exists()
    monkeypatch.setenv("RECUPERATION_PIN", "4711")
    assert main(args) == 0 and out.exists()
    masked = tmp_path / "masked.xlsx"  # without --full-ids nothing is asked
    monkeypatch.delenv("RECUPERATION_PIN")
    assert main(["--db", str(demo_path), "roster", "export", str(batch), "-o", str(masked)]) == 0
    insurer = tmp_path / "insurer.xlsx"  # the insurer's list always has full numbers
    assert main(["--db", str(demo_path), "export", "insurance", str(batch), "-o", str(insurer)]) == 1
    assert "RECUPERATION_PIN" in capsys.readouterr().err and not insurer.exists()


@pytest.mark.pg_only
def test_a_server_has_no_pin(db: Database) -> None:
    """Each person signs in with a login of their own: a PIN on a server is refused, and never asked."""
    for attempt in (lambda: desk_pin.set_pin(db, "4711"), lambda: desk_pin.clear_pin(db, "4711")):
        with pytest.raises(RuleViolation) as refused:
            attempt()
        assert "PIN 只用于单机数据库文件" in refused.value.message and "用户与角色" in refused.value.message
    assert not desk_pin.pin_required(db) and desk_pin.check_pin(db, "")
    assert _pin_entries(db) == []


@sqlite_only
def test_wrong_pins_in_a_row_make_each_further_try_wait_across_runs(db: Database, db_path: Path) -> None:
    """Wrong PINs count wherever they were typed (an action, a change of the PIN) and survive a restart: after
    five in a row a try waits 30 s, then a minute, …; no PIN is checked meanwhile; the right one clears the count."""
    import datetime as dt

    from recuperation.storage.database import open_database

    desk_pin.set_pin(db, "4711")
    t = dt.datetime.now()
    for i in range(4):
        assert not desk_pin.check_pin(db, f"000{i}", now=t)
    with pytest.raises(ValidationError):
        desk_pin.clear_pin(db, "9999")  # the fifth, through a change
    # a new run of the program: the count is in the file
    db.close()
    again = open_database(db_path)
    try:
        with pytest.raises(RuleViolation) as locked:
            desk_pin.check_pin(again, "4711", now=t + dt.timedelta(seconds=10))  # even the right one waits
        assert "连续 5 次不对" in locked.value.message and "约 1 分钟" in locked.value.message
        later = dt.datetime.now() + dt.timedelta(seconds=31)  # clear_pin counted at the real time
        assert not desk_pin.check_pin(again, "1234", now=later)  # the sixth: now a minute
        with pytest.raises(RuleViolation):
            desk_pin.check_pin(again, "4711", now=later + dt.timedelta(seconds=59))
        assert desk_pin.waiting_time(6) == dt.timedelta(minutes=1)
        assert desk_pin.waiting_time(40) == dt.timedelta(hours=1)
        assert desk_pin.check_pin(again, "4711", now=later + dt.timedelta(seconds=61))
        with again.session() as session:
            assert session.get(AppMeta, desk_pin.FAILURES_KEY) is None  # the right PIN cleared the count
        assert not desk_pin.check_pin(again, "0000", now=later + dt.timedelta(seconds=62))  # counts from one
    finally:
        again.close()
