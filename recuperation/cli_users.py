"""``recuperation user``: the administrator's commands for the people who sign in to a shared server.

    user add LOGIN --roles 协调员,财务 [--password-stdin] [--json]
    user list [--json]
    user roles LOGIN ROLE…
    user disable LOGIN
    user enable LOGIN
    user password LOGIN            (the new password from standard input)
    user permissions [--json]

Roles are read as their labels or codes in either language (协调员, coordinator, Coordinator), separated by
commas or spaces.  The signed-in person is the login of ``--db``'s URL, as for every command; only an
administrator (管理员, or the database's owner) changes users, anyone else is refused with the reason and the
exit status 1.  A password is read from standard input with ``--password-stdin`` (its last line break
dropped), never from the command line, where other users of the computer could see it.

On an SQLite file there are no users: ``user list`` shows the desk's user with every role, and the commands
that change users are refused (``users.sqlite``).  ``user permissions`` shows the program's table of roles
and rights (``recuperation/access.py``) and, for a server, the tables each role writes; it opens no database.

Only argparse and the messages are imported until a command's arguments are read (the command line's start-up,
docs/architecture.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from recuperation import messages
from recuperation.cli_shared import err, open_db


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """The ``user`` command and its subcommands, on the command line's subparsers."""
    user = sub.add_parser("user", help="共享服务器上的用户与角色（管理员）：添加、列出、改角色、停用")
    commands = user.add_subparsers(dest="user_command", parser_class=parser_class, required=True)
    roles = "管理员、负责人、协调员、财务、查看、完整证件号"
    add = commands.add_parser("add", help="添加一位同事的登录名并给予角色")
    add.add_argument("login", help="登录名（PostgreSQL 的登录角色）")
    add.add_argument("--roles", required=True, help=f"角色，用逗号分隔：{roles}")
    add.add_argument(
        "--password-stdin",
        dest="password_stdin",
        action="store_true",
        help="从标准输入读取密码（不写在命令行上）",
    )
    add.add_argument("--json", action="store_true", help="以 JSON 输出添加的用户")
    listing = commands.add_parser("list", help="列出这个数据库的用户及其角色")
    listing.add_argument("--json", action="store_true", help="输出 JSON")
    change = commands.add_parser("roles", help="把一位用户的角色改为给出的这些")
    change.add_argument("login", help="登录名")
    change.add_argument("roles", nargs="+", metavar="ROLE", help=f"角色：{roles}")
    disable = commands.add_parser("disable", help="停用一位用户：不能再登录，历史记录保留")
    disable.add_argument("login", help="登录名")
    enable = commands.add_parser("enable", help="重新启用一位用户")
    enable.add_argument("login", help="登录名")
    password = commands.add_parser(
        "password", help="设置一位用户的新密码（从标准输入读取；自己的密码人人可改）"
    )
    password.add_argument("login", help="登录名")
    permissions = commands.add_parser("permissions", help="权限表：每个角色的权限，以及在服务器上可修改的表")
    permissions.add_argument("--json", action="store_true", help="输出 JSON")


def cmd_user(args: argparse.Namespace) -> int:
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "add": _add,
        "list": _list,
        "roles": _roles,
        "disable": _disable,
        "enable": _enable,
        "permissions": _permissions,
        "password": _password,
    }
    return commands[args.user_command](args)


def _roles_of(codes: tuple[str, ...] | list[str]) -> str:
    from recuperation.access import roles_text

    return roles_text(tuple(codes)) or "—"


def _said(key: str, row: Any) -> None:
    err(messages.text(key, login=row.login, roles=_roles_of(row.roles)))


def _read_password() -> str:
    from recuperation.errors import ValidationError

    typed = sys.stdin.read()
    password = typed[:-1] if typed.endswith("\n") else typed
    password = password[:-1] if password.endswith("\r") else password
    if not password:
        raise ValidationError("users.no_password", field="password")
    return password


def _add(args: argparse.Namespace) -> int:
    from recuperation.services import users

    password = _read_password() if args.password_stdin else ""
    with open_db(args) as db:
        row = users.add_user(db, args.login, [args.roles], password)
    if args.json:
        print(json.dumps(row.as_json(), ensure_ascii=False, indent=2))
    _said("users.added", row)
    return 0


def _password(args: argparse.Namespace) -> int:
    from recuperation.services import users

    password = _read_password()
    with open_db(args) as db:
        users.set_password(db, args.login, password)
    err(messages.text("users.password_set", login=args.login))
    return 0


def _list(args: argparse.Namespace) -> int:
    from recuperation.services import users

    with open_db(args) as db:
        rows = users.list_users(db)
    if args.json:
        print(json.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        state = "" if row.can_login else messages.text("users.cannot_login")
        print(f"{row.login}\t{_roles_of(row.roles)}\t{state}".rstrip("\t"))
    return 0


def _roles(args: argparse.Namespace) -> int:
    from recuperation.services import users

    with open_db(args) as db:
        row = users.set_roles(db, args.login, args.roles)
    _said("users.roles_set", row)
    return 0


def _disable(args: argparse.Namespace) -> int:
    return _enabled(args, False)


def _enable(args: argparse.Namespace) -> int:
    return _enabled(args, True)


def _enabled(args: argparse.Namespace, enabled: bool) -> int:
    from recuperation.services import users

    with open_db(args) as db:
        row = users.set_enabled(db, args.login, enabled)
    _said("users.enabled" if enabled else "users.disabled", row)
    return 0


def permission_table(server: bool) -> list[dict[str, Any]]:
    """Each role, the rights it gives and (on a server) the tables it writes."""
    from recuperation.access import RIGHT_TABLES, RIGHTS, ROLES, right_label, role_label
    from recuperation.storage.server_access import EXTRA_GRANTS, writer_roles

    tables = sorted({t for names in RIGHT_TABLES.values() for t in names} | {t for t, _p, _r in EXTRA_GRANTS})
    table: list[dict[str, Any]] = []
    for role in ROLES:
        rights = [right for right in RIGHTS if role in RIGHTS[right]]
        entry: dict[str, Any] = {
            "role": role,
            "label": role_label(role),
            "rights": [{"right": right, "label": right_label(right)} for right in rights],
        }
        if server:
            entry["tables"] = [name for name in tables if role in writer_roles(name)]
        table.append(entry)
    return table


def _permissions(args: argparse.Namespace) -> int:
    from recuperation.storage.paths import resolve_url, sqlite_path

    server = sqlite_path(resolve_url(args.db)) is None
    table = permission_table(server)
    if args.json:
        print(json.dumps({"server": server, "roles": table}, ensure_ascii=False, indent=2))
        return 0
    for entry in table:
        rights = messages.join_clauses([r["label"] for r in entry["rights"]])
        line = f"{entry['label']}\t{rights}"
        if server:
            line += "\t" + (", ".join(entry["tables"]) or "—")
        print(line)
    if not server:
        err(messages.text("users.permissions_sqlite"))
    return 0
