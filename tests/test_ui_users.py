"""设置 → 用户与角色 and a single desk's PIN in the window: the permission table for everyone, the PIN asked when
the window opens the file and before a full number is shown, and on a server the administrator adding a
colleague, changing their roles and disabling them through the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from PySide6.QtWidgets import QWidget

from recuperation.access import RIGHTS, ROLES, Access, right_label, role_label
from recuperation.services import desk_pin
from recuperation.services.audit import list_audit
from recuperation.storage.database import Database, open_database
from tests.factories import stored_numbers
from tests.ui_helpers import Answers, type_text
from ui.desk import Desk
from ui.main_window import MainWindow
from ui.pages.users import PermissionRow, UserDialog, UsersPanel, permission_rows, rights_of
from ui.widgets import dialogs


@pytest.fixture
def panel_of(qtbot: Any) -> Iterator[Any]:
    """Builds the users panel over a database, shown and loaded."""
    desks: list[Desk] = []

    def make(db: Database) -> UsersPanel:
        desk = Desk(db)
        desks.append(desk)
        panel = UsersPanel(desk)
        qtbot.addWidget(panel)
        panel.resize(1100, 700)
        panel.show()
        qtbot.waitUntil(panel.loaded, timeout=15_000)
        return panel

    yield make
    for desk in desks:
        desk.worker.shutdown()


def _table(panel: UsersPanel) -> list[list[str]]:
    model = panel.rights_model
    return [
        [str(model.index(row, column).data() or "") for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


# --- the model -------------------------------------------------------------------------------------------------


def test_the_permission_table_is_the_programs_rights() -> None:
    rows = permission_rows()
    assert [r.right for r in rows] == list(RIGHTS)
    assert all(r.roles == RIGHTS[r.right] for r in rows)
    assert next(r for r in rows if r.right == "money") == PermissionRow(
        "money", frozenset({"finance"}), next(r.tables for r in rows if r.right == "money")
    )
    assert "payment" in next(r.tables for r in rows if r.right == "money")
    assert next(r.tables for r in rows if r.right == "read") == ()
    assert next(r.tables for r in rows if r.right == "approve") == ("base_invoice (UPDATE)",)
    assert rights_of("viewer") == ("read",)
    assert rights_of("head") == ("read", "plan", "approve")
    assert rights_of("pii") == ("read", "full_ids")


# --- a single desk ---------------------------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_on_a_file_the_desk_user_holds_every_right_and_the_table_shows_each_roles(
    panel_of: Any, db: Database
) -> None:
    panel = panel_of(db)
    assert "这台电脑的用户 测试员 拥有全部权限" in panel.intro.text()
    assert "PostgreSQL 服务器" in panel.intro.text()
    header = [c.header for c in panel.rights_model.columns]
    assert header == ["权限", *[role_label(r) for r in ROLES]]  # no server tables on a file
    table = _table(panel)
    assert [row[0] for row in table] == [right_label(r) for r in RIGHTS]
    for row, right in zip(table, RIGHTS, strict=True):
        assert [role for role, cell in zip(ROLES, row[1:], strict=True) if cell == "✓"] == [
            r for r in ROLES if r in RIGHTS[right]
        ]
    assert not panel.people.isVisibleTo(panel) and panel.pin_box.isVisibleTo(panel)
    assert "没有设置 PIN" in panel.pin_state.text()
    assert "能复制这个数据库文件的人" in panel.pin_note.text() and "BitLocker" in panel.pin_note.text()
    assert panel.set_pin_button.isVisibleTo(panel) and not panel.clear_pin_button.isVisibleTo(panel)


@pytest.mark.sqlite_only
def test_the_administrator_sets_changes_and_clears_the_pin_in_the_page(
    qtbot: Any, panel_of: Any, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = panel_of(db)
    panel.set_pin_button.click()
    dialog = panel.dialog
    assert dialog is not None and not dialog.current.isVisibleTo(dialog)  # no PIN yet: no current one asked
    type_text(dialog.pin, "4711")
    type_text(dialog.again, "4712")
    dialog.save_button.click()
    assert "两次输入的 PIN 不一样" in dialog.error.text() and not desk_pin.pin_required(db)
    type_text(dialog.pin, "47")
    type_text(dialog.again, "47")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.busy == 0, timeout=10_000)
    assert "4–12 位数字" in dialog.error.text() and dialog.isVisible()
    type_text(dialog.pin, "4711")
    type_text(dialog.again, "4711")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible() and panel.loaded() and panel.state.pin, timeout=10_000)
    assert desk_pin.check_pin(db, "4711") and "已设置 PIN" in panel.pin_state.text()
    assert panel.change_pin_button.isVisibleTo(panel) and not panel.set_pin_button.isVisibleTo(panel)

    panel.change_pin_button.click()  # changing needs the current PIN
    dialog = panel.dialog
    assert dialog.current.isVisibleTo(dialog)
    type_text(dialog.current, "1111")
    type_text(dialog.pin, "2468")
    type_text(dialog.again, "2468")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.busy == 0, timeout=10_000)
    assert "当前 PIN 不对" in dialog.error.text() and desk_pin.check_pin(db, "4711")
    type_text(dialog.current, "4711")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible() and panel.loaded(), timeout=10_000)
    assert desk_pin.check_pin(db, "2468")

    answers = Answers(monkeypatch, "2468")
    panel.clear_pin_button.click()
    qtbot.waitUntil(lambda: panel.loaded() and not panel.state.pin, timeout=10_000)
    assert answers.prompts[0]["secret"] is True and not desk_pin.pin_required(db)
    assert [a.action for a in list_audit(db, table="desk_pin")] == ["delete", "update", "create"]


@pytest.mark.sqlite_only
def test_a_desk_without_the_right_is_not_offered_the_pin(panel_of: Any, db: Database) -> None:
    db.access = Access("李娜", frozenset({"viewer"}))
    panel = panel_of(db)
    assert not panel.set_pin_button.isVisibleTo(panel)
    assert "李娜 没有“管理用户和角色”的权限" in panel.pin_state.text()


@pytest.mark.sqlite_only
def test_the_window_asks_the_pin_before_it_opens_the_file(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.widgets.pin_dialog import OPEN_TRIES, unlock

    assert unlock(None, db)  # no PIN: nothing asked (an unexpected prompt would fail the test)
    desk_pin.set_pin(db, "4711")
    answers = Answers(monkeypatch, "0000", "4711")
    assert unlock(None, db)
    assert len(answers.prompts) == 2 and "PIN 不对，还可以再试 4 次" in answers.prompts[1]["label"]
    assert all(p["secret"] is True for p in answers.prompts)
    answers = Answers(monkeypatch, *(["1234"] * OPEN_TRIES))
    assert not unlock(None, db)
    assert len(answers.prompts) == OPEN_TRIES and answers.warned == ["PIN 连续 5 次不对，程序将关闭。"]
    answers = Answers(monkeypatch, None)  # 取消: closed as well
    assert not unlock(None, db) and answers.warned == []


@pytest.mark.sqlite_only
def test_the_program_does_not_open_a_file_with_a_pin_without_it(
    qapp: Any, db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """``recuperation gui`` with no one to ask (a screenshot) takes the PIN from RECUPERATION_PIN."""
    from recuperation import cli
    from ui import app as desktop

    desk_pin.set_pin(db, "4711")
    shown: list[MainWindow] = []

    class Recorded(MainWindow):
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            shown.append(self)

    monkeypatch.setattr(desktop, "MainWindow", Recorded)
    monkeypatch.setattr(desktop, "install_exception_hook", lambda _path: None)
    monkeypatch.setattr(desktop, "setup_logging", lambda: tmp_path / "desk.log")
    shot = tmp_path / "settings.png"
    args = ["--db", str(db_path), "gui", "--page", "settings", "--screenshot", str(shot)]
    try:
        monkeypatch.setenv("RECUPERATION_PIN", "1234")
        assert cli.main(args) == 1
        assert "RECUPERATION_PIN 不对或没有给出" in capsys.readouterr().err
        assert not shot.exists() and not shown[0].attached  # no page was ever built over the data
        monkeypatch.setenv("RECUPERATION_PIN", "4711")
        assert cli.main(args) == 0 and shot.exists()
    finally:
        for window in shown:
            if window.attached:
                window.desk.worker.shutdown()
            window.deleteLater()


@pytest.mark.sqlite_only
def test_revealing_a_full_number_asks_the_pin(
    qtbot: Any, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recuperation.services.batch.batches import list_batches
    from recuperation.services.batch.rosters import list_participants
    from ui.batch.roster import PersonDialog

    batch = next(b for b in list_batches(demo_db) if b.code == "L2021-0100")
    person = list_participants(demo_db, batch.id)[0]
    desk_pin.set_pin(demo_db, "4711")
    holder = QWidget()
    holder.desk = Desk(demo_db)  # type: ignore[attr-defined]
    qtbot.addWidget(holder)
    dialog = PersonDialog(holder, person)

    def reveals() -> int:
        return [a.action for a in list_audit(demo_db, table="participant", record_id=person.id)].count(
            "reveal"
        )

    try:
        answers = Answers(monkeypatch, "0000", "1111", "2222")
        dialog.reveal()
        assert answers.warned == ["PIN 连续 3 次不对：没有显示完整号码。"]
        assert "*" in dialog.form.value("id_number") and reveals() == 0 and dialog.reveal_button.isEnabled()
        answers = Answers(monkeypatch, "4711")
        dialog.reveal()
        qtbot.waitUntil(lambda: dialog.busy == 0 and dialog.revealed, timeout=10_000)
        assert dialog.form.value("id_number") == stored_numbers(demo_db)[person.id][0] and reveals() == 1
        assert "完整证件号" in answers.prompts[0]["label"]
    finally:
        holder.desk.worker.shutdown()  # type: ignore[attr-defined]


# --- a server ----------------------------------------------------------------------------------------------------


@pytest.mark.pg_only
def test_the_administrator_adds_a_colleague_and_changes_their_roles_through_the_page(
    qtbot: Any,
    panel_of: Any,
    pg_templates: dict[str, str],
    fresh_pg_database: Any,
    pg_cluster: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = fresh_pg_database(pg_templates["empty"])
    login = f"{make_url(url).database}_wang"
    owner = open_database(url)
    colleague: Database | None = None
    try:
        panel = panel_of(owner)
        assert "已登录：desk_test" in panel.intro.text() and "服务器按下表执行" in panel.intro.text()
        assert panel.rights_model.columns[-1].header == "服务器上可写的表"
        assert "payment" in _table(panel)[list(RIGHTS).index("money")][-1]
        assert panel.people.isVisibleTo(panel) and not panel.pin_box.isVisibleTo(panel)
        assert panel.add_button.isVisibleTo(panel)

        panel.add_button.click()
        dialog = panel.dialog
        assert isinstance(dialog, UserDialog)
        type_text(dialog.login, login)
        dialog.role_boxes["coordinator"].setChecked(True)
        dialog.role_boxes["finance"].setChecked(True)
        type_text(dialog.password, "secret-1")
        type_text(dialog.again, "secret-2")
        dialog.save_button.click()
        assert "两次输入的密码不一样" in dialog.error.text()
        type_text(dialog.again, "secret-1")
        dialog.save_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible() and panel.loaded(), timeout=15_000)
        row = next(u for u in panel.users_model.rows if u.login == login)
        assert row.roles == ("coordinator", "finance") and row.can_login
        assert panel.current() is not None and panel.current().login == login

        panel.add_button.click()  # the same login again: the sentence, in the dialog, which stays open
        dialog = panel.dialog
        type_text(dialog.login, login)
        dialog.role_boxes["viewer"].setChecked(True)
        dialog.save_button.click()
        qtbot.waitUntil(lambda: dialog.busy == 0, timeout=15_000)
        assert f"服务器上已有登录名 {login}" in dialog.error.text() and dialog.isVisible()
        dialog.reject()

        panel.roles_button.click()
        dialog = panel.dialog
        assert dialog.login.isReadOnly() and dialog.role_boxes["finance"].isChecked()
        dialog.role_boxes["finance"].setChecked(False)
        dialog.role_boxes["pii"].setChecked(True)
        dialog.save_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible() and panel.loaded(), timeout=15_000)
        assert next(u for u in panel.users_model.rows if u.login == login).roles == ("coordinator", "pii")

        Answers(monkeypatch, dialogs.Button.Yes)
        assert panel.enable_button.text() == "停用"
        panel.enable_button.click()
        qtbot.waitUntil(
            lambda: (
                panel.loaded() and not next(u for u in panel.users_model.rows if u.login == login).can_login
            ),
            timeout=15_000,
        )
        assert panel.enable_button.text() == "启用"
        panel.enable_button.click()
        qtbot.waitUntil(
            lambda: panel.loaded() and next(u for u in panel.users_model.rows if u.login == login).can_login,
            timeout=15_000,
        )

        # the colleague's own desk: the list read-only, the reason said, nothing offered
        colleague = open_database(make_url(url).set(username=login).render_as_string(hide_password=False))
        theirs = panel_of(colleague)
        assert f"已登录：{login}（协调员、完整证件号）" in theirs.intro.text()
        assert not theirs.add_button.isVisibleTo(theirs) and not theirs.roles_button.isVisibleTo(theirs)
        assert f"{login} 没有“管理用户和角色”的权限：需要角色 管理员" in theirs.people_note.text()
        assert login in [u.login for u in theirs.users_model.rows]
    finally:
        if colleague is not None:
            colleague.close()
        owner.close()
        pg_cluster.execute(f'DROP ROLE IF EXISTS "{login}"')
