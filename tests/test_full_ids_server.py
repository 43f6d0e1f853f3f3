"""Full personal data is a right, held by the server (issue 24): on a real PostgreSQL server, through raw SQL
on a login's own connection, nobody without 完整证件号 reads a full ID number or phone; the one who has it
reads them only through the server's functions, which write the audit entry under the session's login in the
same transaction.  The desk's own imports still match people by their keys without the right."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from recuperation.errors import AccessDenied
from recuperation.people import mask_id
from recuperation.services import users
from recuperation.services.batch import attendance, batches, rosters
from recuperation.services.batch.rollcall_import import rollcall_import
from recuperation.services.batch.roster_import import apply_import, plan_import
from recuperation.storage.database import Database, open_database
from recuperation.workbooks import export_roster
from tests.factories import partner, person_id

pytestmark = [pytest.mark.pg_only, pytest.mark.pg_owner]

CODE = "L2021-0100"
PEOPLE = [("王芳", person_id(1), "13812345678"), ("李建国", person_id(2), "13900001111")]
_logins = itertools.count(1)


@pytest.fixture
def office(db: Database) -> Iterator[tuple[Database, int, Any]]:
    """A batch with two people, made by the owner; ``sign_in(roles)`` makes a login with those roles and
    opens the database as it (closed at the end)."""
    p = partner(db)
    batch = batches.create_batch(
        db, batches.BatchInput(p.id, dt.date(2021, 5, 12), dt.date(2021, 5, 14), 6, code=CODE)
    )
    for name, number, phone in PEOPLE:
        rosters.add_participant(db, batch.id, rosters.ParticipantInput(name, number, phone=phone))
    opened: list[Database] = []

    def sign_in(*roles: str) -> Database:
        login = f"u{os.getpid()}_{next(_logins)}"
        users.add_user(db, login, list(roles))
        other = open_database(make_url(db.url).set(username=login).render_as_string(hide_password=False))
        opened.append(other)
        return other

    yield db, batch.id, sign_in
    for other in opened:
        other.close()


def _raw(desk: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run ``sql`` on a connection of the desk's login of its own (what psql would do), committed."""
    engine = create_engine(desk.url)
    try:
        with engine.begin() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def _refused(desk: Database, sql: str, **params: Any) -> str:
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError) as info:
        _raw(desk, sql, **params)
    assert getattr(info.value.orig, "sqlstate", None) == "42501", info.value
    return str(info.value.orig)


def _reveals(db: Database) -> list[tuple[str, str, str, str]]:
    with db.engine.connect() as conn:
        return [
            (str(u), str(a), str(t), str(f))
            for u, a, t, f in conn.execute(
                text(
                    'SELECT "user", action, table_name, field FROM audit_log '
                    "WHERE action IN ('reveal', 'print', 'export') ORDER BY id"
                )
            )
        ]


@pytest.mark.parametrize(
    "roles", [("viewer",), ("coordinator",), ("admin", "head", "coordinator", "finance")]
)
def test_without_the_right_no_login_reads_a_full_number(office: Any, roles: tuple[str, ...]) -> None:
    db, batch_id, sign_in = office
    desk = sign_in(*roles)
    for sql in (
        "SELECT id_number FROM participant",
        "SELECT phone FROM participant",
        "SELECT * FROM participant",
        "SELECT count(*) FROM participant WHERE id_number LIKE '3301%'",  # no guessing through a WHERE either
        "SELECT count(*) FROM participant WHERE phone = '13812345678'",
    ):
        assert "permission denied" in _refused(desk, sql)
    # … but everything else of a person, the masks and the keys
    shown = _raw(desk, "SELECT name, id_masked, phone_masked FROM participant ORDER BY id")
    assert shown == [
        (name, mask_id(number), phone[:3] + "****" + phone[7:]) for name, number, phone in PEOPLE
    ]
    assert "full_ids" in _refused(desk, "SELECT * FROM rd_full_people(ARRAY[:b], 'export')", b=batch_id)
    assert "full_ids" in _refused(desk, "SELECT * FROM rd_reveal(1)")
    # the secret the keys are made with is the owner's alone
    assert "permission denied" in _refused(desk, "SELECT value FROM rd_private.secret")
    assert "permission denied" in _refused(desk, "SELECT rd_person_key('x')")
    assert _reveals(db) == []
    # and through the desk's services, the same answer in a sentence
    with pytest.raises(AccessDenied) as info:
        export_roster(desk, CODE, Path(os.devnull), full_ids=True)
    assert "完整证件号" in info.value.message


def test_a_viewer_may_not_ask_for_keys(office: Any) -> None:
    _db, _batch_id, sign_in = office
    viewer, coordinator = sign_in("viewer"), sign_in("coordinator")
    assert "permission denied" in _refused(viewer, "SELECT * FROM rd_id_keys(ARRAY[:n])", n=PEOPLE[0][1])
    ((number, key),) = _raw(coordinator, "SELECT * FROM rd_id_keys(ARRAY[:n])", n=PEOPLE[0][1])
    assert number == PEOPLE[0][1] and len(key) == 64
    assert _raw(coordinator, "SELECT name FROM participant WHERE id_key = :k", k=key) == [("王芳",)]


def test_the_right_reads_through_the_functions_only_and_each_reading_is_audited(
    office: Any, tmp_path: Path, pg_cluster: Any
) -> None:
    db, batch_id, sign_in = office
    desk = sign_in("coordinator", "pii")
    login = desk.access.login
    assert "permission denied" in _refused(desk, "SELECT id_number FROM participant")
    full = _raw(
        desk, "SELECT id, id_number, phone FROM rd_full_people(ARRAY[:b], 'export', 'a test')", b=batch_id
    )
    assert [(n, p) for _i, n, p in full] == [(number, phone) for _name, number, phone in PEOPLE]
    assert _raw(desk, "SELECT id_number FROM rd_reveal(:p)", p=full[1][0]) == [(PEOPLE[1][1],)]
    assert _reveals(db) == [
        (login, "export", "batch", "full_ids"),
        (login, "reveal", "participant", "id_number"),
    ]
    # a made-up purpose is refused, so that the audit log says what the numbers were read for
    with pytest.raises(Exception, match="purpose"):
        _raw(desk, "SELECT * FROM rd_full_people(ARRAY[:b], 'curiosity')", b=batch_id)
    # the audit entry is written in the reading's transaction, under the session's login whatever one says
    engine = create_engine(desk.url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT * FROM rd_full_people(ARRAY[:b], 'print')"), {"b": batch_id}).all()
            inside = conn.execute(text("SELECT \"user\" FROM audit_log WHERE action = 'print'")).all()
            assert inside == [(login,)]
            conn.rollback()
    finally:
        engine.dispose()
    assert len(_reveals(db)) == 2  # rolled back: the reading's entry went with it …
    # … but the server's own log, which no transaction of a desk undoes, still says who read what
    log = (pg_cluster.folder / "server.log").read_text(encoding="utf-8", errors="replace")
    assert f"rd: {login} read the full numbers of batch {batch_id} ({CODE}) to print" in log
    # the desk's services read the same way
    result = export_roster(desk, CODE, tmp_path / "full.xlsx", full_ids=True)
    sheet = openpyxl.load_workbook(result.path).active
    assert [c.value for c in sheet["D"][2:4]] == [n for _name, n, _p in PEOPLE]
    assert _reveals(db)[-1] == (login, "export", "batch", "full_ids")
    assert rosters.reveal_participant(desk, full[0][0]) == (PEOPLE[0][1], PEOPLE[0][2])


def test_a_coordinator_without_the_right_imports_and_matches_people(office: Any, tmp_path: Path) -> None:
    db, batch_id, sign_in = office
    desk = sign_in("coordinator")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["序号", "姓名", "身份证号", "手机", "工作单位"])
    ws.append([1, "王芳", PEOPLE[0][1], PEOPLE[0][2], "建德市人民医院"])  # the same person, a new employer
    ws.append([2, "李建国", PEOPLE[1][1], "13700002222", ""])  # a new phone
    ws.append([3, "赵敏", person_id(3), "", ""])  # someone new
    book.save(tmp_path / "roster.xlsx")
    plan = plan_import(desk, CODE, tmp_path / "roster.xlsx")
    assert plan.errors == []
    assert (len(plan.added), len(plan.changed), len(plan.removed)) == (1, 2, 0)
    apply_import(desk, plan)
    people = rosters.list_participants(desk, batch_id)
    assert [(p.name, p.id_masked, p.phone_masked, p.employer) for p in people] == [
        ("王芳", mask_id(PEOPLE[0][1]), "138****5678", "建德市人民医院"),
        ("李建国", mask_id(PEOPLE[1][1]), "137****2222", ""),
        ("赵敏", mask_id(person_id(3)), "", ""),
    ]
    again = plan_import(desk, CODE, tmp_path / "roster.xlsx")
    assert (len(again.added), len(again.changed), len(again.removed)) == (0, 0, 0)
    # the roll call typed back: by the whole number, by the last four, by the masked number
    roll = tmp_path / "roll.csv"
    roll.write_text(
        f"姓名,身份证号,报到\n王芳,{PEOPLE[0][1]},已报到\n,{PEOPLE[1][1][-4:]},未到\n赵敏,{mask_id(person_id(3))},已报到\n",
        encoding="utf-8",
    )
    result = rollcall_import(desk, CODE, roll, dry_run=False)
    assert result.errors == [] and result.written
    assert [(p.name, p.attendance) for p in attendance.roll_call(desk, batch_id)] == [
        ("王芳", "attended"),
        ("李建国", "no_show"),
        ("赵敏", "attended"),
    ]
    with db.engine.connect() as conn:  # the owner sees what was written
        assert (
            conn.execute(text("SELECT phone FROM participant WHERE name = '李建国'")).scalar()
            == "13700002222"
        )
    assert _reveals(db) == []  # nothing of it read a full number


def test_the_waiting_list_keeps_its_numbers_as_the_roster_does(office: Any) -> None:
    """A person on the waiting list carries full numbers too: nobody but the owner reads them, a coordinator
    without 完整证件号 still finds them (by key), promotes them (the numbers carried on the server, unread), and
    a viewer cannot promote by calling the function."""
    from recuperation.services.batch import roster_moves
    from tests.factories import stored_numbers

    db, batch_id, sign_in = office
    coordinator, viewer = sign_in("coordinator"), sign_in("viewer")
    number, phone = person_id(3, "19750102"), "13700002222"
    entry = roster_moves.add_waiting(
        coordinator, batch_id, rosters.ParticipantInput("赵候补", number, phone=phone)
    )
    assert (entry.id_masked, entry.phone_masked) == (mask_id(number), "137****2222")
    for desk in (coordinator, viewer):
        for sql in (
            "SELECT id_number FROM waiting_entry",
            "SELECT phone FROM waiting_entry",
            "SELECT * FROM waiting_entry",
            "SELECT count(*) FROM waiting_entry WHERE id_number LIKE '3301%'",
        ):
            assert "permission denied" in _refused(desk, sql)
    # the same number again is found by its key, without the right
    with pytest.raises(Exception) as twice:
        roster_moves.add_waiting(coordinator, batch_id, rosters.ParticipantInput("赵候补", number))
    assert mask_id(number) in str(getattr(twice.value, "message", twice.value))
    assert "plan" in _refused(viewer, "SELECT rd_promote_waiting(:e)", e=entry.id)
    person, _warnings = roster_moves.promote(coordinator, entry.id, entry.version)
    assert (person.name, person.id_masked, person.sex, person.birth_date) == (
        "赵候补",
        mask_id(number),
        "M",
        dt.date(1975, 1, 2),
    )
    assert stored_numbers(db, batch_id)[person.id] == (number, phone)  # read as the owner: carried whole
    assert [r.state for r in roster_moves.list_waiting(coordinator, batch_id)] == ["promoted"]
    assert _reveals(db) == []  # nothing was revealed to anyone
