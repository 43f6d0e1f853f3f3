"""The people who sign in and their roles: who is signed in, and the administrator's commands.

On an SQLite file there is one person, the computer's user, who holds every role.  On a PostgreSQL server a
person is a LOGIN role that is a member of this database's group roles (``storage/server_access.py``); the
administrator makes them here (``user add``), changes their roles (``user roles``) and disables them
(``user disable``: they can no longer sign in; their name stays in the audit log).  Every change is audited.

A password never travels in the clear: it is turned into a SCRAM-SHA-256 verifier by libpq on the desk
(``PQencryptPasswordConn``) and only the verifier is sent, so the server's log never holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from recuperation import messages
from recuperation.access import ROLES, Access, everything
from recuperation.errors import AccessDenied, RuleViolation, ValidationError
from recuperation.services.common import audit
from recuperation.storage.database import Database
from recuperation.storage.server_access import group_role, role_prefix

#: A login: letters (any script), digits, _ . - and @; 1–63 characters; not the server's or ours.
_LOGIN = re.compile(r"^[\w.@-]{1,63}$")


@dataclass(frozen=True)
class UserRow:
    login: str
    roles: tuple[str, ...]
    can_login: bool

    def as_json(self) -> dict[str, Any]:
        return {"login": self.login, "roles": list(self.roles), "can_login": self.can_login}


def current_access(db: Database) -> Access:
    """Who is signed in to ``db`` and which roles they hold (asked of the server; the desk user and every
    role on an SQLite file)."""
    if db.is_sqlite:
        return everything(db.user)
    with db.engine.connect() as conn:
        who = str(conn.execute(text("SELECT session_user")).scalar_one())
        owner = bool(
            conn.execute(
                text(
                    "SELECT pg_has_role(session_user, (SELECT relowner FROM pg_class "
                    "WHERE oid = 'public.batch'::regclass), 'MEMBER')"
                )
            ).scalar()
        )
        if owner:
            return everything(who, server=True, owner=True)
        prefix = role_prefix(conn)
        held = {
            str(name)[len(prefix) :]
            for (name,) in conn.execute(
                text(
                    "SELECT rolname FROM pg_roles WHERE rolname LIKE :p ESCAPE '!' "
                    "AND pg_has_role(session_user, oid, 'MEMBER')"
                ),
                {"p": _like_prefix(prefix)},
            )
        }
    return Access(who, frozenset(r for r in ROLES if r in held), server=True)


def _like_prefix(prefix: str) -> str:
    return prefix.replace("!", "!!").replace("_", "!_").replace("%", "!%") + "%"


def _server_only(db: Database) -> None:
    if db.is_sqlite:
        raise RuleViolation("users.sqlite", user=db.user)
    _administrator_only(db)


def _administrator_only(db: Database) -> None:
    """Refused, naming who and the role needed, unless the signed-in person administers users (the server
    would refuse the statements anyway, in its own words)."""
    from recuperation.access import RIGHTS, right_label, roles_text

    access = db.access
    if not access.can("users") and access.server and "admin" in access.roles:
        raise AccessDenied("access.users_owner", login=access.login)
    if not access.can("users"):
        raise AccessDenied(
            "access.needs", right=right_label("users"), roles=roles_text(RIGHTS["users"]), login=access.login
        )


def _check_login(login: str) -> str:
    login = login.strip()
    if not _LOGIN.match(login) or login.lower().startswith(("pg_", "rd_")):
        raise ValidationError("users.bad_login", field="login", login=login)
    return login


def _exists(conn: Any, login: str) -> bool:
    return bool(conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}).scalar())


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _verifier(conn: Any, login: str, password: str) -> str:
    """The SCRAM verifier of ``password`` for ``login``, made by libpq on this desk."""
    raw = conn.connection.dbapi_connection
    encrypted: bytes = raw.pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256")
    return encrypted.decode()


def _roles_of(conn: Any, prefix: str, login: str) -> tuple[str, ...]:
    held = {
        str(name)[len(prefix) :]
        for (name,) in conn.execute(
            text(
                "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :n AND g.rolname LIKE :p ESCAPE '!'"
                + (" AND (m.inherit_option OR m.set_option)" if _server_version(conn) >= 160000 else "")
            ),
            {"n": login, "p": _like_prefix(prefix)},
        )
    }
    return tuple(r for r in ROLES if r in held)


def _set_roles(conn: Any, prefix: str, login: str, roles: tuple[str, ...]) -> None:
    for role in ROLES:
        group = _q(group_role(prefix, role))
        if role in roles:
            conn.execute(text(f"GRANT {group} TO {_q(login)}"))
        else:
            conn.execute(text(f"REVOKE {group} FROM {_q(login)}"))
    # Only the schema's owner administers logins on a server (recuperation.access.Access.can): a colleague
    # given 管理员 gets no CREATEROLE, which before PostgreSQL 16 would let them grant themselves far more.


def _owner_or_superuser(conn: Any, login: str) -> bool:
    """Whether ``login`` owns this database's tables (it ran the migrations) or is a superuser."""
    return bool(
        conn.execute(
            text(
                "SELECT rolsuper OR pg_has_role(oid, (SELECT relowner FROM pg_catalog.pg_class "
                "WHERE oid = 'public.batch'::regclass), 'MEMBER') FROM pg_roles WHERE rolname = :n"
            ),
            {"n": login},
        ).scalar()
    )


def _server_version(conn: Any) -> int:
    return int(conn.execute(text("SHOW server_version_num")).scalar_one())


def _checked_roles(roles: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    from recuperation.access import role_from_text

    found: list[str] = []
    for name in roles:
        # commas separate roles, and spaces too unless the words name one ("Full IDs")
        parts = [p.strip() for p in re.split(r"[,，、]+", name)]
        parts = [w for p in parts for w in ([p] if role_from_text(p) else p.split())]
        for part in parts:
            code = role_from_text(part)
            if code is None:
                raise ValidationError(
                    "users.bad_role", field="roles", role=part, roles=messages.join(_role_names())
                )
            found.append(code)
    if not found:
        raise ValidationError("users.no_roles", field="roles", roles=messages.join(_role_names()))
    return tuple(r for r in ROLES if r in found)


def _role_names() -> list[str]:
    from recuperation.access import role_label

    return [role_label(r) for r in ROLES]


def _write(db: Database) -> Any:
    """A server transaction for the administrator's statements (roles belong to the server, not to our
    tables, so they run on a plain connection; the audit entry goes in the same transaction)."""
    return db.engine.begin()


def add_user(db: Database, login: str, roles: list[str] | tuple[str, ...], password: str = "") -> UserRow:
    """Make ``login`` a person of this database with ``roles`` (and a password, if given)."""
    _server_only(db)
    login = _check_login(login)
    wanted = _checked_roles(roles)
    with _write(db) as conn:
        if _exists(conn, login):
            raise RuleViolation("users.exists", login=login)
        clause = ""
        if password:
            clause = " PASSWORD '" + _verifier(conn, login, password).replace("'", "''") + "'"
        conn.exec_driver_sql(f"CREATE ROLE {_q(login)} LOGIN{clause}")  # a verifier holds ":"
        prefix = role_prefix(conn)
        _set_roles(conn, prefix, login, wanted)
        _audit(conn, db, "create", login, "roles", None, ",".join(wanted))
    return UserRow(login, wanted, True)


def set_roles(db: Database, login: str, roles: list[str] | tuple[str, ...]) -> UserRow:
    """Give ``login`` exactly ``roles`` in this database."""
    _server_only(db)
    login = _check_login(login)
    wanted = _checked_roles(roles)
    with _write(db) as conn:
        if not _exists(conn, login):
            raise RuleViolation("users.unknown", login=login)
        prefix = role_prefix(conn)
        before = _roles_of(conn, prefix, login)
        if "admin" in before and "admin" not in wanted and _admins(conn, prefix) == [login]:
            raise RuleViolation("users.last_admin", login=login)
        _set_roles(conn, prefix, login, wanted)
        _audit(conn, db, "update", login, "roles", ",".join(before), ",".join(wanted))
        can_login = bool(
            conn.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :n"), {"n": login}).scalar()
        )
    return UserRow(login, wanted, can_login)


def set_enabled(db: Database, login: str, enabled: bool) -> UserRow:
    """Let ``login`` sign in again, or no longer (``user disable``); their roles and history stay."""
    _server_only(db)
    login = _check_login(login)
    with _write(db) as conn:
        if not _exists(conn, login):
            raise RuleViolation("users.unknown", login=login)
        prefix = role_prefix(conn)
        roles = _roles_of(conn, prefix, login)
        if not roles:
            raise RuleViolation("users.not_ours", login=login)
        if not enabled and login == str(conn.execute(text("SELECT session_user")).scalar_one()):
            raise RuleViolation("users.disable_self", login=login)
        if not enabled and _owner_or_superuser(conn, login):  # nobody could upgrade the database any more
            raise RuleViolation("users.disable_owner", login=login)
        conn.execute(text(f"ALTER ROLE {_q(login)} {'LOGIN' if enabled else 'NOLOGIN'}"))
        _audit(conn, db, "update", login, "can_login", str(not enabled).lower(), str(enabled).lower())
    return UserRow(login, roles, enabled)


def set_password(db: Database, login: str, password: str) -> None:
    """Give ``login`` a new password (an administrator for anyone; anyone for their own login).  Only the
    SCRAM verifier made on this desk reaches the server; the audit log records that it changed, never it."""
    if db.is_sqlite:
        raise RuleViolation("users.sqlite", user=db.user)
    login = _check_login(login)
    if login != db.access.login:
        _administrator_only(db)
    if not password:
        raise ValidationError("users.no_password", field="password")
    with _write(db) as conn:
        if not _exists(conn, login):
            raise RuleViolation("users.unknown", login=login)
        verifier = _verifier(conn, login, password).replace("'", "''")
        conn.exec_driver_sql(f"ALTER ROLE {_q(login)} PASSWORD '{verifier}'")  # a verifier holds ":"
        _audit(conn, db, "update", login, "password", None, "******")


def list_users(db: Database) -> list[UserRow]:
    """The people of this database: every role that holds one of its roles, by login."""
    if db.is_sqlite:
        return [UserRow(db.user, ROLES, True)]
    with db.engine.connect() as conn:
        prefix = role_prefix(conn)
        rows = conn.execute(
            text(
                "SELECT DISTINCT u.rolname, u.rolcanlogin FROM pg_auth_members m "
                "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
                "WHERE g.rolname LIKE :p ESCAPE '!' AND u.rolname NOT LIKE :p ESCAPE '!' ORDER BY 1"
            ),
            {"p": _like_prefix(prefix)},
        ).all()
        return [UserRow(str(name), _roles_of(conn, prefix, str(name)), bool(can)) for name, can in rows]


def _admins(conn: Any, prefix: str) -> list[str]:
    return [
        str(name)
        for (name,) in conn.execute(
            text(
                "SELECT u.rolname FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member "
                "JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname = :g AND u.rolcanlogin"
            ),
            {"g": group_role(prefix, "admin")},
        )
    ]


def _audit(conn: Any, db: Database, action: str, login: str, field: str, old: str | None, new: str) -> None:
    from sqlmodel import Session

    with Session(bind=conn) as session:
        audit(session, db.user, action, "user", None, login, field, old, new)
        session.flush()
