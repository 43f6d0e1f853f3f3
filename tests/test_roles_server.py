"""What a PostgreSQL server enforces of the roles, with real login roles on a copy of the demo office.

The owner (the tests' cluster user, who ran the migrations) makes a login for each role with the user service;
each person then works through their own connection — the program's services, and raw SQL as someone with
``psql`` would — and the server lets through what the role gives and refuses the rest, with a sentence naming
the person and the role needed, leaving nothing changed.  The audit log holds the server's ``session_user``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from recuperation.errors import AccessDenied, DatabaseOpenError
from recuperation.services import bases, incidents, policy, rates, settlement, users
from recuperation.services import feedback as fb
from recuperation.services.batch import attendance, batches, rosters
from recuperation.storage.database import Database, open_database
from recuperation.storage.server_access import install_access
from tests.factories import person_id

pytestmark = pytest.mark.pg_only

TODAY = dt.date.today()
KEYS = ("admin", "head", "coordinator", "finance", "viewer", "pii")
ROLES = {
    "admin": ["管理员"],
    "head": ["负责人"],
    "coordinator": ["协调员"],
    "finance": ["财务"],
    "viewer": ["查看"],
    "pii": ["协调员", "完整证件号"],
}


def url_as(url: str, login: str) -> str:
    """The database's URL signed in as ``login`` (the test cluster trusts local connections)."""
    return make_url(url).set(username=login).render_as_string(hide_password=False)


@dataclass
class Office:
    url: str
    owner: Database
    logins: dict[str, str]
    desks: dict[str, Database]

    def one(self, sql: str, **params: Any) -> Any:
        with self.owner.engine.connect() as conn:
            return conn.execute(text(sql), params).one()

    def value(self, sql: str, **params: Any) -> Any:
        with self.owner.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def mark(self) -> int:
        """The audit log's newest entry."""
        return int(self.value("SELECT coalesce(max(id), 0) FROM audit_log"))

    def authors(self, since: int) -> Counter[str]:
        """Who wrote the audit entries after ``since``."""
        with self.owner.engine.connect() as conn:
            rows = conn.execute(text('SELECT "user" FROM audit_log WHERE id > :m'), {"m": since}).scalars()
            return Counter(str(r) for r in rows)

    def raw(self, key: str) -> psycopg.Connection[Any]:
        """A plain psycopg connection of ``key``'s login, as psql would have."""
        url = make_url(self.url)
        return psycopg.connect(
            host=url.host, port=url.port, dbname=url.database, user=self.logins[key], autocommit=True
        )


@pytest.fixture
def office(pg_templates: dict[str, str], fresh_pg_database: Any, pg_cluster: Any) -> Iterator[Office]:
    url = fresh_pg_database(pg_templates["demo"])
    owner = open_database(url)
    tag = make_url(url).database  # unique on the cluster: the logins are the server's, not the database's
    logins = {key: f"{tag}_{key}" for key in KEYS}
    for key in KEYS:
        users.add_user(owner, logins[key], ROLES[key])
    desks = {key: open_database(url_as(url, logins[key])) for key in KEYS}
    try:
        yield Office(url, owner, logins, desks)
    finally:
        for desk in desks.values():
            desk.close()
        owner.close()
        for login in logins.values():
            pg_cluster.execute(f'DROP ROLE IF EXISTS "{login}"')


def refused(office: Office, call: Callable[[], object], key: str, roles: str, action: str = "") -> str:
    """``call`` as ``key``'s desk is refused with the sentence naming the login and the roles needed, and the
    audit log (which every write of the services feeds) has not moved."""
    before = office.mark()
    with pytest.raises(AccessDenied) as caught:
        call()
    said = caught.value.message
    login = office.logins[key]
    if said.startswith("服务器拒绝了这项操作："):
        assert said.startswith(f"服务器拒绝了这项操作：{login} 没有{action}"), said
        assert f"（需要角色 {roles}）。数据库没有改动。" in said, said
    else:  # the desk knew the answer before asking the server (services/identity.py: the full numbers, keys)
        assert said.startswith(f"{login} 没有“{action}"), said
        assert f"需要角色 {roles}。请找管理员" in said, said
    assert office.mark() == before
    return said


def _new_batch(office: Office) -> batches.BatchInput:
    partner = office.value("SELECT min(id) FROM partner")
    start = TODAY + dt.timedelta(days=60)
    return batches.BatchInput(
        partner_id=partner, arrival=start, departure=start + dt.timedelta(days=4), headcount=20
    )


# --- through the services ---------------------------------------------------------------------------------


def test_planning_and_approving_a_batch(office: Office) -> None:
    desks, logins = office.desks, office.logins
    batch_count = office.value("SELECT count(*) FROM batch")
    for key in ("viewer", "finance", "admin"):
        said = refused(
            office,
            lambda key=key: batches.create_batch(desks[key], _new_batch(office)),
            key,
            "负责人或协调员",
        )
        assert said == (
            f"服务器拒绝了这项操作：{logins[key]} 没有修改“批次”的权限（需要角色 负责人或协调员）。"
            "数据库没有改动。需要时请找管理员添加角色。"
        )
    assert office.value("SELECT count(*) FROM batch") == batch_count

    mark = office.mark()
    made = batches.create_batch(desks["coordinator"], _new_batch(office))
    person, _ = rosters.add_participant(
        desks["coordinator"], made.id, rosters.ParticipantInput("张三", person_id(7))
    )
    person, _ = rosters.update_participant(
        desks["coordinator"],
        person.id,
        person.version,
        rosters.ParticipantInput("张三", person_id(7), phone="13905710001"),
    )
    assert set(office.authors(mark)) == {logins["coordinator"]}
    # a desk that says it is someone else is written down as who it signed in as
    with Database(url_as(office.url, logins["coordinator"]), user="王芳") as pretending:
        mark = office.mark()
        batches.create_batch(pretending, _new_batch(office))
    assert set(office.authors(mark)) == {logins["coordinator"]}

    second = rosters.ParticipantInput("李四", person_id(8))
    refused(
        office, lambda: rosters.add_participant(desks["viewer"], made.id, second), "viewer", "负责人或协调员"
    )
    edit = rosters.ParticipantInput("张三", person_id(7), phone="13905710002")
    refused(
        office,
        lambda: rosters.update_participant(desks["finance"], person.id, person.version, edit),
        "finance",
        "负责人或协调员",
    )
    assert office.value("SELECT count(*) FROM participant WHERE batch_id = :b", b=made.id) == 1
    assert office.value("SELECT phone FROM participant WHERE id = :p", p=person.id) == "13905710001"

    # Confirming is an approval: the coordinator who planned it may not; the head may.
    refused(
        office,
        lambda: batches.set_status(desks["coordinator"], made.id, made.version, "confirmed"),
        "coordinator",
        "负责人",
        "审批",
    )
    refused(
        office,
        lambda: batches.set_status(desks["viewer"], made.id, made.version, "confirmed"),
        "viewer",
        "负责人或协调员",
    )
    assert office.value("SELECT status FROM batch WHERE id = :b", b=made.id) == "planned"
    mark = office.mark()
    confirmed = batches.set_status(desks["head"], made.id, made.version, "confirmed")
    assert confirmed.status == "confirmed"
    assert set(office.authors(mark)) == {logins["head"]}


def test_closing_the_roll_call_is_the_heads(office: Office) -> None:
    desks = office.desks
    batch_id = office.value("SELECT min(id) FROM batch WHERE status = 'completed'")
    attendance.reopen_roll_call(office.owner, batch_id)
    refused(
        office,
        lambda: attendance.close_roll_call(desks["coordinator"], batch_id),
        "coordinator",
        "负责人",
        "审批",
    )
    assert office.value("SELECT roll_closed_on FROM batch WHERE id = :b", b=batch_id) is None
    mark = office.mark()
    attendance.close_roll_call(desks["head"], batch_id)
    assert office.value("SELECT roll_closed_on FROM batch WHERE id = :b", b=batch_id) is not None
    assert set(office.authors(mark)) == {office.logins["head"]}


def test_invoices_payments_and_rates_are_finances_approval_the_heads(office: Office) -> None:
    desks, logins = office.desks, office.logins
    batch_id, base_id = office.one(
        "SELECT b.id, l.base_id FROM batch b JOIN lodging l ON l.batch_id = b.id WHERE b.status = 'completed' "
        "AND NOT EXISTS (SELECT 1 FROM base_invoice i WHERE i.batch_id = b.id AND i.base_id = l.base_id) "
        "ORDER BY b.id, l.base_id LIMIT 1"
    )
    day = office.value("SELECT departure FROM batch WHERE id = :b", b=batch_id)
    invoice = settlement.InvoiceInput(number="88000001", issued_on=day, amount_fen=100_000)
    # (the viewer is refused at the first row it would lock: the batch's)
    for key, roles in (("coordinator", "负责人或财务"), ("viewer", "负责人或协调员")):
        refused(
            office,
            lambda key=key: settlement.record_invoice(desks[key], batch_id, base_id, invoice),
            key,
            roles,
        )
    # 财务 locks the batch and the base while it records (SELECT … FOR UPDATE): allowed, without writing them.
    mark = office.mark()
    recorded = settlement.record_invoice(desks["finance"], batch_id, base_id, invoice)
    assert set(office.authors(mark)) == {logins["finance"]}

    received = office.one("SELECT id, version FROM base_invoice WHERE state = 'received' ORDER BY id LIMIT 1")
    refused(office, lambda: settlement.approve(desks["finance"], *received), "finance", "负责人", "审批")
    refused(office, lambda: settlement.approve(desks["viewer"], *received), "viewer", "负责人或财务")
    assert office.value("SELECT state FROM base_invoice WHERE id = :i", i=received[0]) == "received"
    mark = office.mark()
    settlement.approve(desks["head"], *received)
    assert office.one("SELECT state, approved_by FROM base_invoice WHERE id = :i", i=received[0]) == (
        "approved",
        logins["head"],
    )
    assert set(office.authors(mark)) == {logins["head"]}

    approved = office.value("SELECT id FROM base_invoice WHERE state = 'approved' ORDER BY id LIMIT 1")
    payments = office.value("SELECT count(*) FROM payment")
    for key in ("coordinator", "head"):
        refused(
            office,
            lambda key=key: settlement.pay(
                desks[key], approved, paid_on=TODAY, amount_fen=100, reference="转账 1"
            ),
            key,
            "负责人或财务" if key == "coordinator" else "财务",
        )
    assert office.value("SELECT count(*) FROM payment") == payments
    mark = office.mark()
    settlement.pay(desks["finance"], approved, paid_on=TODAY, amount_fen=100, reference="转账 1")
    assert office.value("SELECT count(*) FROM payment") == payments + 1
    assert set(office.authors(mark)) == {logins["finance"]}

    card = rates.CardInput(
        base_id=base_id, name="2030 年协议价", valid_from=dt.date(2030, 1, 1), valid_to=dt.date(2030, 12, 31)
    )
    refused(office, lambda: rates.create_card(desks["coordinator"], card), "coordinator", "财务")
    assert rates.create_card(desks["finance"], card).name == "2030 年协议价"
    assert recorded.number == "88000001"


def test_certification_decisions_settings_incidents_and_feedback(office: Office) -> None:
    desks, logins = office.desks, office.logins
    cert_id, version = office.one(
        "SELECT id, version FROM certification WHERE status = 'first_review' ORDER BY id LIMIT 1"
    )
    # the coordinator moves it along, but the decision (认定) is the head's
    step = bases.advance_certification(desks["coordinator"], cert_id, version, "site_inspection", TODAY)

    def certify(key: str) -> object:
        return bases.advance_certification(
            desks[key],
            cert_id,
            step.version,
            "certified",
            TODAY,
            certificate_no=f"JD-{cert_id}-2030",
            valid_from=TODAY,
            valid_to=TODAY + dt.timedelta(days=365 * 3),
        )

    refused(office, lambda: certify("coordinator"), "coordinator", "负责人", "审批")
    assert office.value("SELECT status FROM certification WHERE id = :c", c=cert_id) == "site_inspection"
    mark = office.mark()
    certify("head")
    assert office.value("SELECT status FROM certification WHERE id = :c", c=cert_id) == "certified"
    assert set(office.authors(mark)) == {logins["head"]}
    # a 复核 renews the term: also the head's (a coordinator may not extend a lapsed certificate)
    renewed = office.one("SELECT version FROM certification WHERE id = :c", c=cert_id)[0]

    def recheck(key: str) -> object:
        return bases.advance_certification(
            desks[key], cert_id, renewed, "recheck", TODAY, valid_to=TODAY + dt.timedelta(days=365 * 5)
        )

    refused(office, lambda: recheck("coordinator"), "coordinator", "负责人", "审批")
    with office.raw("coordinator") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE certification SET valid_to = valid_to + 365 WHERE id = %s", (cert_id,))
    recheck("head")
    assert office.value("SELECT status FROM certification WHERE id = :c", c=cert_id) == "rechecked"

    for key in ("coordinator", "finance", "head"):
        refused(office, lambda key=key: policy.set_policy(desks[key], {"max_days": "6"}), key, "管理员")
    mark = office.mark()
    assert policy.set_policy(desks["admin"], {"max_days": "6"}).max_days == 6
    assert office.one("SELECT value, updated_by FROM policy_setting WHERE key = 'max_days'") == (
        "6",
        logins["admin"],
    )
    assert set(office.authors(mark)) == {logins["admin"]}

    batch_id, departure = office.one(
        "SELECT id, departure FROM batch WHERE status = 'completed' ORDER BY id DESC LIMIT 1"
    )
    what = incidents.IncidentInput(
        occurred_on=departure, kind="injury", severity="minor", summary="下台阶时扭伤脚踝", batch_id=batch_id
    )
    count = office.value("SELECT count(*) FROM incident")
    for key in ("viewer", "finance"):
        refused(office, lambda key=key: incidents.record_incident(desks[key], what), key, "负责人或协调员")
    assert office.value("SELECT count(*) FROM incident") == count
    row = incidents.record_incident(desks["coordinator"], what)
    assert row.reported_by == logins["coordinator"]

    grid = fb.batch_grid(office.owner, batch_id)
    answer = fb.ResponseInput(sheet_no=900, respondent="匿名", stars={grid.targets[0].key: 5})
    refused(office, lambda: fb.add_response(desks["viewer"], batch_id, answer), "viewer", "负责人或协调员")
    mark = office.mark()
    assert fb.add_response(desks["coordinator"], batch_id, answer).sheet_no == 900
    assert set(office.authors(mark)) == {logins["coordinator"]}


def test_full_numbers_need_the_right_and_each_reading_is_audited(office: Office) -> None:
    person, number, phone = office.one(
        "SELECT id, id_number, phone FROM participant WHERE phone <> '' ORDER BY id LIMIT 1"
    )
    for key in ("coordinator", "viewer", "admin"):
        refused(
            office,
            lambda key=key: rosters.reveal_participant(office.desks[key], person),
            key,
            "完整证件号",
            "查看、打印、导出完整证件号",
        )
    mark = office.mark()
    assert rosters.reveal_participant(office.desks["pii"], person) == (number, phone)
    entry = office.one(
        'SELECT "user", action, table_name, record_id, field FROM audit_log WHERE id > :m', m=mark
    )
    assert tuple(entry) == (office.logins["pii"], "reveal", "participant", person, "id_number")
    # psql cannot go round it either: the function refuses, in the same words
    with office.raw("coordinator") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
        conn.execute("SELECT * FROM rd_reveal(%s)", (person,))
    assert "rd:full_ids:participant.reveal" in str(caught.value)
    assert office.mark() == mark + 1


# --- through raw SQL on each person's own connection ------------------------------------------------------


def test_raw_sql_meets_the_same_rules(office: Office) -> None:
    logins = office.logins
    batch_id, invoice_id = office.one(
        "SELECT b.id, i.id FROM batch b JOIN base_invoice i ON i.batch_id = b.id "
        "WHERE i.state = 'approved' ORDER BY i.id LIMIT 1"
    )
    Denied = psycopg.errors.InsufficientPrivilege
    with office.raw("viewer") as conn, pytest.raises(Denied):
        conn.execute("UPDATE partner SET name = name || '（改）'")
    with office.raw("viewer") as conn:  # reading is everyone's
        assert conn.execute("SELECT count(*) FROM participant").fetchone()[0] > 0  # type: ignore[index]

    payment = (
        "INSERT INTO payment (invoice_id, paid_on, amount_fen, reference, notes, created_at, created_by) "
        "VALUES (%s, %s, 1, 'psql', '', localtimestamp, 'x')"
    )
    with office.raw("coordinator") as conn, pytest.raises(Denied):
        conn.execute(payment, (invoice_id, TODAY))
    with office.raw("finance") as conn:
        conn.execute(payment, (invoice_id, TODAY))
    assert office.value("SELECT count(*) FROM payment WHERE reference = 'psql'") == 1

    # only the head confirms, whatever the statement; a lock is not a licence to write
    with office.raw("coordinator") as conn, pytest.raises(Denied) as caught:
        conn.execute("UPDATE batch SET status = 'confirmed' WHERE id = (SELECT min(id) FROM batch)")
    assert "rd:approve:batch.confirm" in str(caught.value)
    with office.raw("finance") as conn:
        with conn.transaction():
            conn.execute("SELECT id FROM batch WHERE id = %s FOR UPDATE", (batch_id,))
        with pytest.raises(Denied) as caught:
            conn.execute("UPDATE batch SET id = id WHERE id = %s", (batch_id,))
        assert "rd:plan:batch.update" in str(caught.value)
        with pytest.raises(Denied):
            conn.execute("UPDATE batch SET notes = 'x' WHERE id = %s", (batch_id,))
    with office.raw("coordinator") as conn, pytest.raises(Denied):  # the role prefix is the owner's
        conn.execute("UPDATE app_meta SET value = 'rd_other_' WHERE key = 'role_prefix'")

    # the audit log: written under one's own name whatever the statement says; never rewritten
    with office.raw("coordinator") as conn:
        conn.execute(
            'INSERT INTO audit_log (at, "user", action, table_name, record_label, field, old, new) '
            "VALUES (localtimestamp, '王芳', 'update', 'batch', 'psql', 'notes', 'a', 'b')"
        )
        forged = conn.execute("SELECT \"user\" FROM audit_log WHERE record_label = 'psql'").fetchone()
    assert forged == (logins["coordinator"],)
    entry = office.value("SELECT id FROM audit_log WHERE record_label = 'psql'")
    for key in ("coordinator", "head", "finance", "viewer"):
        with office.raw(key) as conn:
            with pytest.raises(Denied):
                conn.execute("UPDATE audit_log SET old = NULL WHERE id = %s", (entry,))
            with pytest.raises(Denied):
                conn.execute("DELETE FROM audit_log WHERE id = %s", (entry,))
    with office.raw("admin") as conn:
        for statement in (
            "UPDATE audit_log SET \"user\" = 'someone' WHERE id = %s",
            "UPDATE audit_log SET action = 'delete' WHERE id = %s",
            "DELETE FROM audit_log WHERE id = %s",
        ):
            with pytest.raises(Denied):
                conn.execute(statement, (entry,))
        conn.execute("UPDATE audit_log SET old = NULL, new = NULL, record_label = '' WHERE id = %s", (entry,))
    assert tuple(
        office.one('SELECT "user", action, old, new, record_label FROM audit_log WHERE id = :i', i=entry)
    ) == (
        logins["coordinator"],
        "update",
        None,
        None,
        "",
    )


# --- what survives a migration, and what a later one adds -------------------------------------------------


def test_grants_and_policies_survive_a_migration_down_and_up(office: Office) -> None:
    from alembic import command

    from recuperation.storage.schema import alembic_config, current_revision, head_revision

    roles_before = {row.login: row.roles for row in users.list_users(office.owner)}
    with office.owner.engine.connect() as conn:
        command.downgrade(alembic_config(conn), "0007")
        conn.commit()
    # A person cannot bring it up to date: only the owner can, and the message says so.
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(url_as(office.url, office.logins["coordinator"]))
    assert caught.value.message.startswith("数据库 ")
    assert (
        f"但 {office.logins['coordinator']} 不能升级它：只有数据库的所有者 desk_test 能升级"
        in caught.value.message
    )
    assert current_revision(office.owner.engine) == "0007"

    open_database(office.url).close()  # the owner opens it with this program: migrated to the head
    assert current_revision(office.owner.engine) == head_revision()
    assert {row.login: row.roles for row in users.list_users(office.owner)} == roles_before
    with open_database(url_as(office.url, office.logins["pii"])) as again:
        assert again.access.roles == frozenset({"coordinator", "pii"})
        made = batches.create_batch(again, _new_batch(office))
        refused(
            office,
            lambda: batches.set_status(again, made.id, made.version, "confirmed"),
            "pii",
            "负责人",
            "审批",
        )
    with open_database(url_as(office.url, office.logins["viewer"])) as viewer:
        refused(office, lambda: batches.create_batch(viewer, _new_batch(office)), "viewer", "负责人或协调员")
    with office.raw("finance") as conn:
        conn.execute(
            'INSERT INTO audit_log (at, "user", action, table_name, record_label, field) '
            "VALUES (localtimestamp, '王芳', 'y', 'z', '', '')"
        )
    assert office.value("SELECT \"user\" FROM audit_log WHERE action = 'y'") == office.logins["finance"]


def test_a_table_made_by_a_later_migration_gets_its_grants(office: Office) -> None:
    with office.owner.engine.begin() as conn:
        conn.execute(text("CREATE TABLE later_notes (id serial PRIMARY KEY, note text NOT NULL)"))
        conn.execute(text("INSERT INTO later_notes (note) VALUES ('一')"))
    with office.raw("viewer") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT note FROM later_notes")
    with office.owner.engine.begin() as conn:  # what storage.schema.upgrade runs after every later migration
        install_access(conn)
    for key in KEYS:
        with office.raw(key) as conn:
            assert conn.execute("SELECT note FROM later_notes").fetchall() == [("一",)]
            with pytest.raises(psycopg.errors.InsufficientPrivilege):  # in no right's list: nobody writes it
                conn.execute("INSERT INTO later_notes (note) VALUES ('二')")


# --- an office's file copied onto the server ----------------------------------------------------------------


@pytest.mark.slow  # the demo file, copied whole (about 30 s)
def test_an_office_file_copied_to_the_server_gets_the_roles(
    demo_file: Path, fresh_pg_database: Any, pg_cluster: Any
) -> None:
    from recuperation.storage.server_access import role_prefix
    from recuperation.transfer import copy_database

    target = fresh_pg_database()  # empty, as the office's administrator created it
    assert copy_database(str(demo_file), target).ok
    with open_database(demo_file, create=False) as source, source.engine.connect() as conn:
        authors = Counter(str(u) for u in conn.execute(text('SELECT "user" FROM audit_log')).scalars())
    with open_database(target) as owner:
        with owner.engine.connect() as conn:
            prefix = role_prefix(conn)
            assert prefix == f"rd_{make_url(target).database}_"
            groups = set(
                conn.execute(
                    text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"), {"p": prefix + "%"}
                ).scalars()
            )
            assert groups == {
                prefix + r for r in ("admin", "head", "coordinator", "finance", "viewer", "pii")
            }
            copied = Counter(str(u) for u in conn.execute(text('SELECT "user" FROM audit_log')).scalars())
        assert copied == authors  # the owner is trusted with the history it brings
        tag = make_url(target).database
        users.add_user(owner, f"{tag}_plans", ["协调员"])
        users.add_user(owner, f"{tag}_looks", ["查看"])
        partner = owner.engine.connect().execute(text("SELECT min(id) FROM partner")).scalar()
    start = TODAY + dt.timedelta(days=30)
    data = batches.BatchInput(
        partner_id=partner, arrival=start, departure=start + dt.timedelta(days=3), headcount=10
    )
    try:
        with open_database(url_as(target, f"{tag}_plans")) as coordinator:
            assert batches.create_batch(coordinator, data).status == "planned"
        with open_database(url_as(target, f"{tag}_looks")) as viewer, pytest.raises(AccessDenied) as caught:
            batches.create_batch(viewer, data)
        assert f"{tag}_looks 没有修改“批次”的权限（需要角色 负责人或协调员）" in caught.value.message
    finally:
        for login in (f"{tag}_plans", f"{tag}_looks"):
            pg_cluster.execute(f'DROP ROLE IF EXISTS "{login}"')


def test_passwords_are_set_by_the_administrator_or_oneself(office: Office, pg_cluster: Any) -> None:
    desks, logins = office.desks, office.logins
    shadow = "SELECT rolpassword FROM pg_authid WHERE rolname = :n"
    with pytest.raises(AccessDenied) as refused:  # a colleague 管理员 does not administer logins
        users.set_password(desks["admin"], logins["viewer"], "新的口令 1")
    assert refused.value.key == "access.users_owner"
    users.set_password(office.owner, logins["viewer"], "新的口令 1")
    first = office.value(shadow, n=logins["viewer"])
    assert str(first).startswith("SCRAM-SHA-256$") and "新的口令" not in str(first)
    users.set_password(desks["finance"], logins["finance"], "my own")  # one's own: no role needed
    assert str(office.value(shadow, n=logins["finance"])).startswith("SCRAM-SHA-256$")
    with pytest.raises(AccessDenied):
        users.set_password(desks["finance"], logins["viewer"], "taken over")
    assert office.value(shadow, n=logins["viewer"]) == first
    entries = office.value("SELECT count(*) FROM audit_log WHERE field = 'password' AND new = '******'")
    assert entries == 2


def test_an_owner_without_createrole_is_told_what_to_ask_for(pg_cluster: Any, fresh_pg_database: Any) -> None:
    url = fresh_pg_database()
    login = make_url(url).database + "_owner"
    pg_cluster.execute(f'CREATE ROLE "{login}" LOGIN')
    pg_cluster.execute(f'ALTER DATABASE "{make_url(url).database}" OWNER TO "{login}"')
    try:
        with pytest.raises(DatabaseOpenError) as caught:
            open_database(url_as(url, login))
        assert f"ALTER ROLE {login} CREATEROLE" in caught.value.message
        with psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(False)) as conn:
            tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
        assert tables == (0,)  # nothing was made: the migration is one transaction
    finally:
        pg_cluster.execute(f'DROP OWNED BY "{login}" CASCADE')


def test_a_refused_sign_in_says_what_to_do(office: Office, pg_cluster: Any) -> None:
    """A disabled login, and a login that holds none of this database's roles, are told so in a sentence (not
    the server's English), naming the login and who can help."""
    users.set_enabled(office.owner, office.logins["viewer"], False)
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(url_as(office.url, office.logins["viewer"]))
    assert caught.value.key == "db.sign_in_disabled"
    assert caught.value.message.startswith(f"{office.logins['viewer']} 已被停用，不能登录服务器")
    stranger = make_url(office.url).database + "_stranger"
    pg_cluster.execute(f'CREATE ROLE "{stranger}" LOGIN')
    try:
        with pytest.raises(DatabaseOpenError) as caught:
            open_database(url_as(office.url, stranger))
        assert caught.value.key == "db.sign_in_not_member"
        assert "请管理员在 设置 → 用户与角色 中添加" in caught.value.message
    finally:
        pg_cluster.execute(f'DROP ROLE "{stranger}"')
