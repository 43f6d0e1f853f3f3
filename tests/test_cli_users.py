"""``recuperation user``: the administrator's commands (add, list, roles, disable, enable, permissions).

On a server the commands make real login roles on the test cluster; on an SQLite file there are no users to
administer, and the commands that would change them say so.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from recuperation.cli import main as cli_main
from recuperation.storage.database import Database, open_database


def url_as(url: str, login: str) -> str:
    """The database's URL signed in as ``login`` (the test cluster trusts local connections)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(username=login).render_as_string(hide_password=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli_main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- on a server -------------------------------------------------------------------------------------------


@pytest.fixture
def server(
    pg_templates: dict[str, str], fresh_pg_database: Any, pg_cluster: Any
) -> Iterator[tuple[str, str]]:
    """An empty office database on the cluster (its owner's URL) and a prefix for the logins a test makes,
    which are dropped afterwards (logins belong to the server, not to the database)."""
    from sqlalchemy.engine import make_url

    url = fresh_pg_database(pg_templates["empty"])
    tag = str(make_url(url).database)
    yield url, tag
    with open_database(url) as db, db.engine.connect() as conn:
        made = conn.execute(
            text("SELECT rolname FROM pg_roles WHERE starts_with(rolname, :p)"), {"p": tag + "_"}
        ).scalars()
        logins = list(made)
    for login in logins:
        pg_cluster.execute(f'DROP ROLE IF EXISTS "{login}"')


def _login(db: Database, login: str) -> tuple[bool, bool]:
    """Whether ``login`` may sign in, and whether the server keeps a SCRAM verifier as its password."""
    with db.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT rolcanlogin, coalesce(rolpassword, '') LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = :n"
            ),
            {"n": login},
        ).one()
    return bool(row[0]), bool(row[1])


@pytest.mark.pg_only
def test_the_administrator_adds_a_colleague_and_changes_their_roles(
    server: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, tag = server
    chief, colleague = f"{tag}_chief", f"{tag}_wangfang"
    # the owner makes the first administrator, who makes the others under their own login
    assert run(capsys, "--db", url, "user", "add", chief, "--roles", "管理员") == (
        0,
        "",
        f"已添加用户 {chief}（管理员）。\n",
    )
    as_chief = url_as(url, chief)
    # a colleague given 管理员 administers the settings, not the server's logins: the owner does
    code, out, err = run(capsys, "--db", as_chief, "user", "add", f"{tag}_other", "--roles", "查看")
    assert code == 1 and err.startswith(
        f"recuperation: {chief} 不能管理用户和角色：在服务器上，这由数据库的所有者"
    )
    as_chief = url
    monkeypatch.setattr("sys.stdin", io.StringIO("甲乙 secret 1\n"))
    code, out, err = run(
        capsys,
        "--db",
        as_chief,
        "user",
        "add",
        colleague,
        "--roles",
        "协调员,财务",
        "--password-stdin",
        "--json",
    )
    assert code == 0, err
    assert json.loads(out) == {"login": colleague, "roles": ["coordinator", "finance"], "can_login": True}
    assert err == f"已添加用户 {colleague}（协调员、财务）。\n"
    with open_database(url) as owner:
        assert _login(owner, colleague) == (True, True)  # the password is kept as a verifier, never in clear
        with owner.engine.connect() as conn:
            audited = conn.execute(
                text("SELECT \"user\", new FROM audit_log WHERE table_name = 'user' AND record_label = :n"),
                {"n": colleague},
            ).one()
        assert tuple(audited) == (
            "测试员",
            "coordinator,finance",
        )  # the owner is trusted with the desk's word
    with open_database(url_as(url, colleague)) as desk:
        assert desk.access.roles == frozenset({"coordinator", "finance"})

    assert run(capsys, "--db", as_chief, "user", "roles", colleague, "查看", "Full IDs")[0] == 0
    assert run(capsys, "--db", as_chief, "user", "disable", colleague) == (
        0,
        "",
        f"已停用 {colleague}：不能再登录，其历史记录保留。\n",
    )
    code, out, _ = run(capsys, "--db", url, "user", "list", "--json")
    listed = {row["login"]: row for row in json.loads(out)}
    assert listed[colleague] == {"login": colleague, "roles": ["viewer", "pii"], "can_login": False}
    assert listed[chief]["roles"] == ["admin"]
    code, out, _ = run(capsys, "--db", url, "user", "list")
    assert f"{colleague}\t查看、完整证件号\t已停用\n" in out and f"{chief}\t管理员\n" in out
    assert run(capsys, "--db", as_chief, "user", "enable", colleague)[0] == 0
    with open_database(url) as owner:
        assert _login(owner, colleague) == (True, True)


@pytest.mark.pg_only
def test_someone_who_is_not_an_administrator_is_refused(
    server: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, tag = server
    planner = f"{tag}_planner"
    assert run(capsys, "--db", url, "user", "add", planner, "--roles", "协调员")[0] == 0
    needs = f"recuperation: {planner} 没有“管理用户和角色”的权限：需要角色 管理员。"
    for command in (
        ["add", f"{tag}_other", "--roles", "查看"],
        ["roles", planner, "管理员"],
        ["disable", planner],
    ):
        code, out, err = run(capsys, "--db", url_as(url, planner), "user", *command)
        assert (code, out) == (1, "")
        assert err.startswith(needs), err
    code, out, _ = run(capsys, "--db", url, "user", "list", "--json")
    ours = [row for row in json.loads(out) if row["login"].startswith(tag + "_")]  # (copies of one template
    assert ours == [{"login": planner, "roles": ["coordinator"], "can_login": True}]  # share its groups)
    # a bad role is named with the roles there are; nothing is made
    code, _, err = run(capsys, "--db", url, "user", "add", f"{tag}_x", "--roles", "经理")
    assert (
        code == 1
        and "没有“经理”这个角色。可用的角色：管理员、负责人、协调员、财务、查看、完整证件号。" in err
    )


@pytest.mark.pg_only
def test_the_permission_table_of_a_server_names_the_tables_each_role_writes(
    server: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _tag = server
    code, out, _ = run(capsys, "--db", url, "user", "permissions", "--json")
    table = json.loads(out)
    assert code == 0 and table["server"] is True
    roles = {entry["role"]: entry for entry in table["roles"]}
    assert [r["right"] for r in roles["head"]["rights"]] == ["read", "plan", "approve"]
    assert "batch" in roles["coordinator"]["tables"] and "payment" not in roles["coordinator"]["tables"]
    assert "payment" in roles["finance"]["tables"] and "batch" not in roles["finance"]["tables"]
    assert "base_invoice" in roles["head"]["tables"]  # approving an invoice
    assert roles["admin"]["tables"] == ["policy_setting", "standard_clause"]
    assert roles["viewer"]["tables"] == [] and roles["pii"]["tables"] == []


# --- on an SQLite file ---------------------------------------------------------------------------------------


@pytest.fixture
def desk_file(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    open_database(path).close()
    return path


@pytest.mark.sqlite_only
def test_an_sqlite_file_has_the_desk_user_only(desk_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(desk_file), "user", "list", "--json")
    assert code == 0
    assert json.loads(out) == [
        {
            "login": "测试员",
            "roles": ["admin", "head", "coordinator", "finance", "viewer", "pii"],
            "can_login": True,
        }
    ]
    assert run(capsys, "--db", str(desk_file), "user", "list")[1] == (
        "测试员\t管理员、负责人、协调员、财务、查看、完整证件号\n"
    )
    refusal = "recuperation: 单机数据库文件没有用户和角色：这台电脑的用户 测试员 拥有全部权限。"
    for command in (
        ["add", "wang", "--roles", "协调员"],
        ["roles", "wang", "查看"],
        ["disable", "wang"],
        ["enable", "wang"],
    ):
        code, out, err = run(capsys, "--db", str(desk_file), "user", *command)
        assert (code, out) == (1, "") and err.startswith(refusal), err


@pytest.mark.sqlite_only
def test_the_permission_table_on_a_desk(desk_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(desk_file), "user", "permissions")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 6
    assert lines[2] == "协调员\t查看数据；计划与修改（批次、名单、订单、线路、基地、合作单位）"
    assert lines[4] == "查看\t查看数据"
    assert "这台电脑的用户拥有全部角色" in err
    code, out, _ = run(capsys, "--db", str(desk_file), "--lang", "en", "user", "permissions", "--json")
    table = json.loads(out)
    assert table["server"] is False and "tables" not in table["roles"][0]
    assert table["roles"][3] == {
        "role": "finance",
        "label": "Finance",
        "rights": [
            {"right": "read", "label": "read the data"},
            {"right": "money", "label": "money (rates, spending rules, invoices, payments)"},
        ],
    }


def test_a_password_is_never_read_from_an_empty_input(
    desk_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    code, out, err = run(
        capsys, "--db", str(desk_file), "user", "add", "wang", "--roles", "查看", "--password-stdin"
    )
    assert (code, out) == (1, "") and "标准输入里没有密码" in err
