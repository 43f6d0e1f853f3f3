"""Issue 24, adversarial: a colleague with a lesser role opens the database with psql (psycopg on a connection of
their own) and tries to do what their role does not give; a careless administrator; hostile login names.

Each attack runs in a transaction that is rolled back, on a copy of the demo office with one login per role.
What the server cannot refuse is marked xfail with why (a rolled-back reading of full numbers).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from recuperation.errors import AccessDenied, DomainError, RuleViolation, ValidationError
from recuperation.services import users
from recuperation.storage.database import Database, open_database
from recuperation.storage.server_access import install_access

pytestmark = pytest.mark.pg_only

ROLES = {
    "admin": ["管理员"],
    "head": ["负责人"],
    "coordinator": ["协调员"],
    "finance": ["财务"],
    "viewer": ["查看"],
    "pii": ["完整证件号"],
}
_tags = itertools.count(1)

#: The search_path fix (every function of server_access._functions):
SEARCH_PATH_FIX = (
    "functions run with search_path = public, pg_catalog and so search pg_temp first for tables: use "
    "SET search_path = pg_catalog, public, pg_temp in every rd_* function (pg_temp last, pg_catalog first) "
    "and write pg_catalog.pg_class in rd_owner(); or REVOKE TEMPORARY ON DATABASE from the groups"
)


@dataclass
class Office:
    url: str
    database: str
    owner: Database
    logins: dict[str, str]
    planned_batch: int
    first_review: int
    received_invoice: int
    approved_invoice: int
    person: int

    def connect(self, key: str, *, autocommit: bool = False) -> psycopg.Connection[Any]:
        url = make_url(self.url)
        user = self.logins.get(key, key)
        return psycopg.connect(
            host=url.host, port=url.port, dbname=url.database, user=user, autocommit=autocommit
        )

    def attempt(self, key: str, *statements: str) -> tuple[psycopg.Error | None, list[Any]]:
        """Run ``statements`` as ``key`` in one transaction, rolled back: the error, or the last rows."""
        rows: list[Any] = []
        with self.connect(key) as conn:
            try:
                for statement in statements:
                    cursor = conn.execute(statement)  # type: ignore[arg-type]
                    if cursor.description:
                        rows = cursor.fetchall()
            except psycopg.Error as exc:
                return exc, []
            finally:
                conn.rollback()
        return None, rows

    def value(self, sql: str) -> Any:
        with self.owner.engine.connect() as conn:
            return conn.execute(text(sql)).scalar()


@pytest.fixture(scope="module")
def office(pg_cluster: Any, pg_templates: dict[str, str]) -> Iterator[Office]:
    tag = f"atk{next(_tags)}"
    name = f"{tag}_office"
    url = pg_cluster.create_database(name, template=pg_templates["demo"])
    owner = open_database(url)
    logins = {key: f"{tag}_{key}" for key in ROLES}
    for key, roles in ROLES.items():
        users.add_user(owner, logins[key], roles)
    with owner.engine.begin() as conn:  # rows for the attacks (the owner passes every rule)

        def one(sql: str) -> int:
            return int(conn.execute(text(sql)).scalar_one())

        planned = one(
            "UPDATE batch SET status = 'planned', roll_closed_on = NULL "
            "WHERE id = (SELECT max(id) FROM batch) RETURNING id"
        )
        review = one(
            "UPDATE certification SET status = 'first_review' WHERE id = (SELECT max(id) FROM certification) "
            "RETURNING id"
        )
        received = one(
            "UPDATE base_invoice SET state = 'received', approved_by = '', approved_on = NULL "
            "WHERE id = (SELECT min(id) FROM base_invoice) RETURNING id"
        )
        approved = one(
            "UPDATE base_invoice SET state = 'approved', approved_by = 'head', approved_on = issued_on "
            "WHERE id = (SELECT max(id) FROM base_invoice) RETURNING id"
        )
        person = one("SELECT min(id) FROM participant")
    try:
        yield Office(url, name, owner, logins, planned, review, received, approved, person)
    finally:
        owner.close()
        pg_cluster.drop_database(name)
        for login in logins.values():
            pg_cluster.execute(f'DROP ROLE IF EXISTS "{login}"')


def refused(error: psycopg.Error | None) -> bool:
    return isinstance(error, psycopg.errors.InsufficientPrivilege)


# --- temporary tables shadowing the catalogue and our tables inside the SECURITY DEFINER functions -------------

_FAKE_OWNER = (
    "CREATE TEMP TABLE pg_class (oid oid, relowner oid)",
    "INSERT INTO pg_class SELECT 'public.batch'::regclass, oid FROM pg_roles WHERE rolname = session_user",
)


@pytest.mark.parametrize(
    ("key", "statement"),
    [
        ("coordinator", "UPDATE batch SET status = 'confirmed' WHERE id = {o.planned_batch}"),
        ("finance", "UPDATE base_invoice SET state = 'approved' WHERE id = {o.received_invoice}"),
        ("viewer", "SELECT * FROM rd_reveal({o.person})"),
    ],
    ids=["coordinator-confirms", "finance-approves", "viewer-reveals"],
)
def test_a_temp_table_named_pg_class_does_not_make_a_colleague_the_owner(
    office: Office, key: str, statement: str
) -> None:
    error, _rows = office.attempt(key, statement.format(o=office))
    assert refused(error)  # the rule holds without the trick …
    error, rows = office.attempt(key, *_FAKE_OWNER, statement.format(o=office))
    assert refused(error), f"{office.logins[key]} got through as the owner: {rows}"  # … and with it


def test_a_temp_table_named_pg_class_does_not_let_a_viewer_write_as_the_head(office: Office) -> None:
    forged = (
        'INSERT INTO audit_log (at, "user", action, table_name, record_id, record_label, field) '
        f"VALUES (now(), '{office.logins['head']}', 'update', 'batch', 1, 'L', 'status') RETURNING \"user\""
    )
    error, rows = office.attempt("viewer", forged)
    assert error is None and rows == [(office.logins["viewer"],)]  # the trigger writes who it was …
    error, rows = office.attempt("viewer", *_FAKE_OWNER, forged)
    assert refused(error) or rows == [(office.logins["viewer"],)], rows  # … whatever table they make


def test_a_temp_table_named_audit_log_does_not_hide_a_reveal(office: Office) -> None:
    error, rows = office.attempt(
        "pii",
        "CREATE TEMP TABLE audit_log (LIKE public.audit_log INCLUDING DEFAULTS)",
        f"SELECT * FROM rd_reveal({office.person})",
        "SELECT count(*) FROM public.audit_log WHERE action = 'reveal' "
        f'AND record_id = {office.person} AND "user" = session_user',
    )
    # refused at the first statement (no temporary tables for the groups), or the reveal is in the real log
    assert refused(error) or rows == [(1,)], (
        "the full numbers were returned and the real audit log has no entry"
    )


def test_a_colleague_cannot_plant_a_function_the_rules_call_even_on_an_upgraded_server(
    office: Office, pg_cluster: Any
) -> None:
    as_superuser = make_url(pg_cluster.url(office.database))
    with psycopg.connect(
        host=as_superuser.host, port=as_superuser.port, user=as_superuser.username, dbname=office.database
    ) as conn:
        conn.execute("GRANT CREATE ON SCHEMA public TO PUBLIC")  # as PostgreSQL 14 and before make it
    try:
        with office.owner.engine.begin() as conn:
            install_access(conn)  # the next upgrade
        error, rows = office.attempt(
            "viewer",
            "CREATE FUNCTION public.pg_has_role(name, text, text) RETURNS boolean "
            "LANGUAGE sql AS 'SELECT true'",
            f"SELECT * FROM rd_reveal({office.person})",
        )
        assert refused(error), f"a viewer planted pg_has_role and read {rows}"
    finally:
        with psycopg.connect(
            host=as_superuser.host, port=as_superuser.port, user=as_superuser.username, dbname=office.database
        ) as conn:
            conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")


# --- approvals by another path --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE base_invoice SET state = 'paid' WHERE id = {o.received_invoice}",
        "UPDATE base_invoice SET amount_fen = amount_fen * 10 WHERE id = {o.approved_invoice}",
        "UPDATE base_invoice SET approved_by = 'someone_else', approved_on = DATE '2020-01-01' "
        "WHERE id = {o.approved_invoice}",
        "INSERT INTO payment (invoice_id, paid_on, amount_fen, reference, notes, created_at, created_by) "
        "VALUES ({o.received_invoice}, current_date, 100, 'x', '', now(), 'x')",
    ],
    ids=["received-to-paid", "approved-amount-x10", "approver-forged", "payment-without-approval"],
)
def test_finance_cannot_get_money_out_without_the_heads_approval(office: Office, statement: str) -> None:
    error, _rows = office.attempt("finance", statement.format(o=office))
    assert refused(error)


_NEW_BATCH = (
    "INSERT INTO batch (version, created_at, updated_at, updated_by, code, kind, status, partner_id, arrival, "
    "departure, headcount, leader, leader_phone, guide, vehicle, notes, cancel_reason, roll_closed_on) "
    "SELECT 1, now(), now(), 'x', 'ZZ-{status}', kind, '{status}', partner_id, arrival, departure, 1, '', '', "
    "'', '', '', '', current_date FROM batch WHERE id = {o.planned_batch}"
)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE batch SET status = 'in_progress' WHERE id = {o.planned_batch}",
        _NEW_BATCH.replace("{status}", "completed"),
        _NEW_BATCH.replace("{status}", "planned"),
        "UPDATE certification SET status = 'rechecked', valid_from = current_date, "
        "valid_to = DATE '2099-12-31' WHERE id = {o.first_review}",
    ],
    ids=["planned-to-in-progress", "insert-completed", "insert-roll-closed", "certify-as-rechecked"],
)
def test_a_coordinator_cannot_skip_the_heads_decision(office: Office, statement: str) -> None:
    error, _rows = office.attempt("coordinator", statement.format(o=office))
    assert refused(error)


# --- the audit log ------------------------------------------------------------------------------------------


def test_a_colleague_cannot_backdate_an_audit_entry(office: Office) -> None:
    error, rows = office.attempt(
        "viewer",
        'INSERT INTO audit_log (at, "user", action, table_name, record_id, record_label, field, old, new) '
        "VALUES ('2019-05-05 08:00', 'x', 'update', 'batch', 1, 'L2019-0001', 'status', 'planned', 'confirmed') "
        "RETURNING at",
    )
    assert error is not None or abs(rows[0][0] - dt.datetime.now()) < dt.timedelta(hours=14)


def test_an_administrator_cannot_rewrite_history(office: Office) -> None:
    """An administrator may scrub the audit log in a purge — entries of a batch's records, markers in place of
    what is removed, an end cut — and nothing else: no other entry, no word the entry did not say."""
    from recuperation.services import privacy
    from recuperation.storage.server_access import SCRUB_MARKERS

    assert SCRUB_MARKERS == (privacy.ANONYMISED_NAME, privacy.NAME_IN_TEXT, privacy.ERASED_NUMBER)
    entry = office.value(
        f"SELECT min(id) FROM audit_log WHERE table_name = 'user' AND record_label = '{office.logins['head']}'"
    )
    error, rows = office.attempt(
        "admin", f"UPDATE audit_log SET new = 'viewer' WHERE id = {entry} RETURNING new"
    )
    assert refused(error) or not rows, rows
    label = "L2021-0001 王芳"  # an entry of a batch's record naming a person, as a purge finds it
    with office.owner.engine.begin() as conn:
        batch_entry = conn.execute(
            text(
                'INSERT INTO audit_log (at, "user", action, table_name, record_id, record_label, field, old, new) '
                "VALUES (localtimestamp, 'desk_test', 'update', 'batch', 1, :label, 'leader', '王芳', '李建国') "
                "RETURNING id"
            ),
            {"label": label},
        ).scalar_one()
    for forged in ("'已批准 ' || record_label", "'***' || 'x' || record_label", "'L9999-0001'"):
        error, rows = office.attempt(
            "admin", f"UPDATE audit_log SET record_label = {forged} WHERE id = {batch_entry} RETURNING 1"
        )
        assert refused(error), (forged, rows)
    # what a purge does is allowed: a marker in place of a stretch, the end cut, a value emptied
    for allowed in (f"'{label[:3]}某某'", f"'{label[:4]}'", "'***'", "''"):
        error, rows = office.attempt(
            "admin",
            f'UPDATE audit_log SET record_label = {allowed}, old = NULL WHERE id = {batch_entry} RETURNING "user"',
        )
        assert error is None and rows, (allowed, error)


@pytest.mark.xfail(
    strict=False,
    reason="reading full numbers is audited in the reader's own transaction, which the reader may roll back: "
    "only a write outside it (dblink, or a log the function writes with an autonomous connection) would keep it",
)
def test_a_reveal_rolled_back_still_leaves_its_audit_entry(office: Office) -> None:
    count = f"SELECT count(*) FROM audit_log WHERE action = 'reveal' AND record_id = {office.person}"
    before = office.value(count)
    error, rows = office.attempt("pii", f"SELECT * FROM rd_reveal({office.person})")  # then rolled back
    assert error is None and rows and rows[0][0]
    assert office.value(count) == before + 1


def test_a_viewer_cannot_advance_a_sequence(office: Office) -> None:
    """A sequence is used by those who insert into its table: a 查看 burns no ids; a 财务 only payment's."""
    error, _rows = office.attempt("viewer", "SELECT nextval('batch_id_seq')")
    assert refused(error)
    error, _rows = office.attempt("finance", "SELECT nextval('batch_id_seq')")
    assert refused(error)
    error, rows = office.attempt("finance", "SELECT nextval('payment_id_seq')")
    assert error is None and rows
    error, rows = office.attempt("viewer", "SELECT nextval('audit_log_id_seq')")  # everyone writes the log
    assert error is None and rows


# --- the administrator: CREATEROLE on PostgreSQL 15 is almost a superuser --------------------------------------


@pytest.mark.parametrize(
    "grant",
    ["pg_execute_server_program", "pg_read_server_files", "rd_tpl_demo_head"],
)
def test_an_administrator_cannot_take_server_roles_or_another_databases(office: Office, grant: str) -> None:
    error, _rows = office.attempt("admin", f'GRANT "{grant}" TO "{office.logins["admin"]}"')
    assert refused(error)


def test_an_administrator_cannot_disable_the_owner(pg_cluster: Any) -> None:
    """A careless administrator disabling the login that owns the tables leaves nobody to upgrade them."""
    tag = f"atk{next(_tags)}"
    owner_login, name = f"{tag}_owner", f"{tag}_db"
    pg_cluster.execute(f'CREATE ROLE "{owner_login}" LOGIN CREATEROLE')
    pg_cluster.execute(f'CREATE DATABASE "{name}" OWNER "{owner_login}"')
    url = make_url(pg_cluster.url(name)).set(username=owner_login).render_as_string(hide_password=False)
    admin = f"{tag}_admin"
    owner = open_database(url)
    try:
        users.add_user(owner, admin, ["管理员"])
        desk = open_database(make_url(url).set(username=admin).render_as_string(hide_password=False))
        try:
            # a colleague 管理员 administers no logins at all (the owner does), let alone the owner's
            with pytest.raises((RuleViolation, AccessDenied)) as caught:
                users.set_enabled(desk, owner_login, False)
            assert "所有者" in caught.value.message
            with pytest.raises(
                (RuleViolation, AccessDenied)
            ):  # the server's superuser holds none of our roles
                users.set_enabled(desk, pg_cluster.superuser, False)
        finally:
            desk.close()
        with owner.engine.connect() as conn:
            can = conn.execute(
                text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :n"), {"n": owner_login}
            )
            assert can.scalar() is True
    finally:
        owner.close()
        pg_cluster.drop_database(name)
        pg_cluster.execute(f'DROP ROLE IF EXISTS "{admin}"')
        pg_cluster.execute(f'DROP ROLE IF EXISTS "{owner_login}"')


@pytest.mark.parametrize(
    "login",
    [
        'x"; DROP TABLE batch; --',
        "x' OR '1'='1",
        "rd_x_admin",
        "PG_signal",
        "a b",
        "x" * 64,
        "",
        "名字\u200b",
    ],
)
def test_a_hostile_login_is_refused_and_nothing_is_made(office: Office, login: str) -> None:
    roles = office.value("SELECT count(*) FROM pg_roles")
    with pytest.raises(DomainError) as caught:
        users.add_user(office.owner, login, ["查看"])
    assert isinstance(caught.value, ValidationError | RuleViolation)
    assert office.value("SELECT count(*) FROM pg_roles") == roles
    assert office.value("SELECT count(*) FROM batch") > 0
