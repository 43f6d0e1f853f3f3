"""The window follows the signed-in person's rights (issue 24): what a 查看, a 财务 or a 协调员 without 完整证件号
may not do is disabled, its tooltip naming the role that may; what they may do (reading, masked printing,
their own work) is offered; the status bar names who is signed in with their roles.

The desk is an SQLite demo made a colleague's desk (``db.access``), as a server would report them; the server's
own refusals are tested in tests/test_roles_server.py, and one of them is shown here as its sentence.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QWidget

from recuperation.access import Access, everything
from recuperation.errors import AccessDenied
from recuperation.services import users
from recuperation.storage.database import Database, open_database
from tests.ui_helpers import Answers, type_text, wait_idle, wait_page
from ui import operations
from ui.batch.page import BatchesPage
from ui.batch.roster import PersonDialog
from ui.batch.roster_life import RollCallDialog
from ui.desk import Desk
from ui.main_window import MainWindow
from ui.pages.agreements import AgreementsPage
from ui.widgets import rights

VIEWER = Access("kan", frozenset({"viewer"}), server=True)
FINANCE = Access("qian", frozenset({"finance"}), server=True)
COORDINATOR = Access("zhang", frozenset({"coordinator"}), server=True)

PLANNERS = ("负责人", "协调员")


def refused(target: Any, *roles: str) -> None:
    """Disabled, and its tooltip says which role may (查看 and 财务 desks see this on every such action)."""
    name = target.text() if hasattr(target, "text") else target.objectName()
    assert not target.isEnabled(), f"{name} is offered"
    tip = target.toolTip()
    assert "需要角色" in tip and all(role in tip for role in roles), f"{name}: {tip!r}"


def offered(target: Any) -> None:
    name = target.text() if hasattr(target, "text") else target.objectName()
    assert target.isEnabled(), f"{name} is not offered: {target.toolTip()!r}"
    assert "需要角色" not in target.toolTip()


def open_window(qtbot: Any, db: Database, access: Access) -> MainWindow:
    db.access = access  # who the server would say is signed in
    window = MainWindow(Desk(db), remember=False)
    qtbot.addWidget(window)
    window.show()
    window.show_page("agreements")
    qtbot.waitUntil(window.loaded, timeout=15_000)
    return window


def show(qtbot: Any, window: MainWindow, name: str) -> Any:
    window.show_page(name)
    qtbot.waitUntil(window.loaded, timeout=15_000)
    return window.pages[name]


def open_batch(qtbot: Any, page: BatchesPage, code: str) -> Any:
    panel = page.batches
    panel.year.setCurrentIndex(panel.year.findData(2021))
    qtbot.waitUntil(lambda: panel.idle() and any(b.code == code for b in panel.model.rows), timeout=15_000)
    assert panel.select_key(next(b.id for b in panel.model.rows if b.code == code))
    qtbot.waitUntil(lambda: page.loaded() and panel.current.code == code, timeout=15_000)
    return panel


def select_first(qtbot: Any, view: Any) -> None:
    view.selectRow(0)
    qtbot.waitUntil(lambda: view.currentIndex().isValid(), timeout=5_000)


def test_a_lock_holds_whatever_the_page_does_and_lifts_cleanly(qtbot) -> None:
    button = QPushButton("保存")
    button.setToolTip("保存这条记录")
    qtbot.addWidget(button)
    action = QAction("导入")
    assert not rights.allow(button, VIEWER, "plan") and not rights.allow(action, VIEWER, "plan")
    button.setEnabled(True)  # a row chosen: the page would enable it
    button.setToolTip("保存“宁波大学”")
    action.setEnabled(True)
    for target in (button, action):
        refused(target, *PLANNERS)
        assert "kan" in target.toolTip()
    assert rights.allow(button, FINANCE, ("money", "plan")) and rights.allow(action, COORDINATOR, "plan")
    assert button.isEnabled() and button.toolTip() == "保存“宁波大学”"  # as the page left it
    assert action.isEnabled() and action.toolTip() == "导入"


@pytest.fixture
def viewer(qtbot, demo_db: Database):
    window = open_window(qtbot, demo_db, VIEWER)
    yield window
    window.desk.worker.shutdown()


@pytest.fixture
def finance(qtbot, demo_db: Database):
    window = open_window(qtbot, demo_db, FINANCE)
    yield window
    window.desk.worker.shutdown()


def test_a_viewer_reads_everything_and_is_offered_no_change(qtbot, viewer: MainWindow) -> None:
    window = viewer
    # the status bar names the login and the role; its tooltip, that the server enforces them
    assert window.access_label.text() == "kan（查看）" and window.access_label.isVisible()
    assert "服务器" in window.access_label.toolTip()

    # the menus: 新建, 保存 and 删除 of the page, the registers' import, the assistant
    for action in (window.new_action, window.save_action, window.delete_action):
        refused(action, *PLANNERS)
    for action in window.import_actions.values():
        refused(action, *PLANNERS)
    refused(window.assistant_action, "管理员")
    assert window.print_action.isEnabled() and window.find_action.isEnabled()

    # 合作协议: the partners are read, their forms read-only; the workbook (masked) and the statement offered
    partners = window.pages["agreements"].partners
    assert partners.model.rowCount() > 0 and partners.current is not None
    for button in (partners.new_button, partners.delete_button, partners.save_button):
        refused(button, *PLANNERS)
    assert partners.form.widgets["name"].isReadOnly() and partners.form.widgets["name"].text()
    refused(partners.form.widgets["kind"], *PLANNERS)  # a choice has no read-only state
    agreements = partners.agreements
    qtbot.waitUntil(lambda: agreements.idle(), timeout=10_000)
    for button in (agreements.new_button, agreements.delete_button, agreements.attach_button):
        refused(button, *PLANNERS)
    offered(partners.export_button)
    offered(partners.statement_button)

    # 疗休养基地: the base, its certifications, prices and inspections
    bases = show(qtbot, window, "bases").bases
    for button in (bases.new_button, bases.delete_button, bases.save_button):
        refused(button, *PLANNERS)
    assert window.new_action.toolTip() == bases.new_button.toolTip()  # the menu follows the page shown
    cert = bases.certification
    refused(cert.apply_button, *PLANNERS)
    assert cert.responsible.isReadOnly()
    bases.tabs.setCurrentWidget(bases.rate_cards)
    cards = bases.rate_cards
    qtbot.waitUntil(lambda: cards.busy == 0 and cards.current() is not None, timeout=10_000)
    for button in (cards.new_button, cards.edit_button, cards.copy_button, cards.delete_button):
        refused(button, "财务")
    refused(cards.import_button, "财务")
    offered(cards.export_button)
    assert cards.lines.rowCount() > 0  # the prices are read under the list
    inspections = bases.inspections
    for button in (
        inspections.new_button,
        inspections.fill_button,
        inspections.edit_button,
        inspections.delete_button,
        inspections.step_button,
        inspections.import_button,
    ):
        refused(button, *PLANNERS)

    # 线路: the route and its plan read-only
    routes = show(qtbot, window, "routes").routes
    for button in (routes.new_button, routes.delete_button, routes.save_button, routes.duplicate_button):
        refused(button, *PLANNERS)
    for button in (routes.plan.add_button, routes.plan.remove_button, routes.plan.up_button):
        refused(button, *PLANNERS)
    assert routes.plan.table.rowCount() > 0
    assert routes.plan.table.cellWidget(0, 3).isReadOnly()  # the activity, still readable
    offered(routes.print_button)

    # 设置: the policy read-only, the spending rules (财务) and the clauses (管理员) not offered
    settings = show(qtbot, window, "settings")
    refused(settings.save_button, "管理员")
    refused(settings.assistant_button, "管理员")
    assert settings.form.widgets["union_name"].isReadOnly() and settings.form.widgets["union_name"].text()
    refused(window.save_action, "管理员")
    spending = settings.spending
    for button in (spending.new_button, spending.delete_button, spending.add_button, spending.save_button):
        refused(button, "财务")
    assert spending.name.isReadOnly()
    clauses = settings.clauses
    for button in (clauses.add_button, clauses.edit_button, clauses.active_button, clauses.load_button):
        refused(button, "管理员")
    # the language is the desk's own, and so are the backups of its own file (a server backs itself up)
    assert settings.language.isEnabled()
    assert settings.backup_button.isEnabled() == window.desk.db.is_sqlite
    assert "需要角色" not in settings.backup_button.toolTip()


def test_a_viewer_reads_a_batch_and_prints_it_masked(qtbot, viewer: MainWindow, monkeypatch) -> None:
    page = show(qtbot, viewer, "batches")
    panel = open_batch(qtbot, page, "L2021-1133")
    for button in (panel.new_button, panel.delete_button, panel.save_button, panel.status_button):
        refused(button, *PLANNERS)
    assert panel.form.widgets["leader"].isReadOnly()
    for button in (panel.lodging.add_button, panel.lodging.fill_button, panel.itinerary.add_button):
        refused(button, *PLANNERS)
    assert panel.lodging.table.rowCount() > 0
    assert panel.lodging.table.cellWidget(0, 2).isReadOnly()  # the people of a night, shown
    refused(panel.lodging.table.cellWidget(0, 1), *PLANNERS)  # its base

    # 打印…: the masked documents are offered, the full-ID list and the notice's editor are not
    menu = panel.print_menu()
    actions = {action.text(): action for action in menu.actions() if action.text()}
    for title in (
        "行程单",
        "团员名单",
        "分房表与用餐人数",
        "报到表",
        "导出名单（Excel）…",
        "出团通知书（PDF）",
    ):
        offered(actions[title])
    refused(actions["名单（完整证件号，供保险）"], "完整证件号")
    refused(actions["编辑出团通知书…"], *PLANNERS)
    assert menu.toolTipsVisible()
    panel.print_document("manifest_full")  # (never reached from the menu) does nothing
    panel.print_document("manifest")
    qtbot.waitUntil(lambda: panel.preview is not None, timeout=15_000)
    assert panel.preview.document.pageCount() >= 1
    panel.preview.close()

    # 名单: read; a double-click shows a person read-only, without the full numbers
    roster = panel.roster
    qtbot.waitUntil(lambda: roster.busy == 0 and roster.model.rowCount() > 0, timeout=10_000)
    for button in (
        roster.add_button,
        roster.edit_button,
        roster.remove_button,
        roster.substitute_button,
        roster.move_button,
        roster.companion_button,
        roster.import_button,
    ):
        refused(button, *PLANNERS)
    for button in (roster.waiting.add_button, roster.waiting.promote_button, roster.waiting.withdraw_button):
        refused(button, *PLANNERS)
    select_first(qtbot, roster.view)
    roster.edit_person(roster.selected())
    person: PersonDialog = roster.person_dialog
    assert person.form.widgets["name"].isReadOnly() and person.form.widgets["name"].text()
    refused(person.save_button, *PLANNERS)
    refused(person.reveal_button, "完整证件号")
    person.close()
    offered(roster.roll_call_button)
    roster.open_roll_call()
    roll: RollCallDialog = roster.roll_call_dialog
    qtbot.waitUntil(lambda: roll.busy == 0 and roll.model.rowCount() > 0, timeout=10_000)
    for button in (roll.attended_button, roll.no_show_button, roll.left_button, roll.clear_button):
        refused(button, *PLANNERS)
    refused(roll.close_button, "负责人")
    marks = [p.attendance for p in roll.model.rows]
    names = [p.name for p in roll.model.rows]
    absent = next(p for p in roll.model.rows if p.attendance != "attended" and names.count(p.name) == 1)
    roll.search.setText(absent.name)
    roll.find()  # Enter on a name: found, not marked, and said why
    assert "需要角色" in roll.result.text() and [p.attendance for p in roll.model.rows] == marks
    roll.close()

    panel.tabs.setCurrentWidget(panel.rooms)
    refused(panel.rooms.pair_button, *PLANNERS)
    orders = panel.orders
    qtbot.waitUntil(lambda: orders.busy == 0 and bool(orders.rows), timeout=10_000)
    for button in (orders.send_button, orders.answer_button, orders.cancel_sent_button):
        refused(button, *PLANNERS)
    settlement = panel.settlement
    qtbot.waitUntil(lambda: settlement.busy == 0 and bool(settlement.rows), timeout=10_000)
    for button in (settlement.invoice_button, settlement.pay_button, settlement.delete_button):
        refused(button, "财务")
    refused(settlement.approve_button, "负责人")
    offered(settlement.print_button)
    panel.tabs.setCurrentWidget(panel.after_trip)
    feedback = panel.feedback
    qtbot.waitUntil(lambda: feedback.busy == 0 and feedback.grid is not None, timeout=10_000)
    for button in (feedback.add_button, feedback.remove_button, feedback.save_button, feedback.import_button):
        refused(button, *PLANNERS)
    offered(feedback.export_button)
    assert (
        not feedback.model.flags(feedback.model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    )  # read, not typed
    incidents = panel.after_trip.views[1]
    for button in (
        incidents.add_button,
        incidents.edit_button,
        incidents.close_button,
        incidents.reopen_button,
        incidents.delete_button,
    ):
        refused(button, *PLANNERS)
    # the calendar opens a batch on a double-click but moves none
    assert not page.planner.canvas.movable
    # 保险…: read, not changed; the insurer's list (full IDs) not offered
    panel.edit_insurance()
    dialog = panel.insurance_dialog
    qtbot.waitUntil(lambda: dialog.cover is not None, timeout=10_000)
    refused(dialog.save_button, *PLANNERS)
    refused(dialog.export_button, "完整证件号")
    assert dialog.form.widgets["insurer"].isReadOnly()
    Answers(monkeypatch)  # closing asks nothing: nothing could be typed
    dialog.reject()


def test_a_finance_clerk_keeps_the_money_and_nothing_else(qtbot, finance: MainWindow) -> None:
    window = finance
    assert window.access_label.text() == "qian（财务）"
    refused(window.new_action, *PLANNERS)
    page = show(qtbot, window, "batches")
    panel = open_batch(qtbot, page, "L2021-1133")
    # planning the batch, its roster and its import, its status, the full-ID list: not offered
    for button in (panel.new_button, panel.save_button, panel.delete_button, panel.status_button):
        refused(button, *PLANNERS)
    refused(panel.roster.import_button, *PLANNERS)
    refused(panel.roster.add_button, *PLANNERS)
    menu = {a.text(): a for a in panel.print_menu().actions() if a.text()}
    refused(menu["名单（完整证件号，供保险）"], "完整证件号")
    # 结算: the invoices and payments are hers; approving is the head's
    view = panel.settlement
    qtbot.waitUntil(lambda: view.busy == 0 and bool(view.rows), timeout=10_000)
    assert view.select_base("三都渔村民宿")  # approved: to be paid
    offered(view.pay_button)
    offered(view.invoice_button)
    assert view.select_base("新安江绿道驿站")  # received: to be approved, by the head
    refused(view.approve_button, "负责人")
    offered(view.invoice_button)
    offered(view.delete_button)
    # the rate cards are hers
    bases = show(qtbot, window, "bases").bases
    refused(bases.new_button, *PLANNERS)
    refused(bases.certification.apply_button, *PLANNERS)
    bases.tabs.setCurrentWidget(bases.rate_cards)
    cards = bases.rate_cards
    qtbot.waitUntil(lambda: cards.busy == 0 and cards.current() is not None, timeout=10_000)
    for button in (cards.new_button, cards.edit_button, cards.copy_button, cards.delete_button):
        offered(button)
    offered(cards.import_button)
    # and so are the spending rules; the policy and the clauses are the administrator's
    settings = show(qtbot, window, "settings")
    for button in (settings.spending.new_button, settings.spending.add_button):
        offered(button)
    assert not settings.spending.name.isReadOnly()
    refused(settings.save_button, "管理员")
    refused(settings.clauses.add_button, "管理员")


def test_a_coordinator_without_full_ids_plans_but_reveals_nothing(qtbot, demo_db: Database) -> None:
    window = open_window(qtbot, demo_db, COORDINATOR)
    assert window.access_label.text() == "zhang（协调员）"
    partners = window.pages["agreements"].partners
    for button in (partners.new_button, partners.delete_button):
        offered(button)
    assert not partners.form.widgets["name"].isReadOnly()
    offered(window.new_action)
    page = show(qtbot, window, "batches")
    panel = open_batch(qtbot, page, "L2021-0140")
    offered(panel.new_button)
    assert "需要角色" not in panel.status_button.toolTip()  # (a completed batch's status stays: not a right)
    menu = {a.text(): a for a in panel.print_menu().actions() if a.text()}
    offered(menu["编辑出团通知书…"])
    refused(menu["名单（完整证件号，供保险）"], "完整证件号")
    roster = panel.roster
    qtbot.waitUntil(lambda: roster.busy == 0 and roster.model.rowCount() > 0, timeout=10_000)
    select_first(qtbot, roster.view)
    offered(roster.edit_button)
    roster.edit_person(roster.selected())
    person = roster.person_dialog
    offered(person.save_button)
    assert not person.form.widgets["name"].isReadOnly()
    refused(person.reveal_button, "完整证件号")
    assert "zhang" in person.reveal_button.toolTip()
    person.close()
    # confirming a batch is the head's; the other changes of status are hers
    panel.current = replace(panel.current, status="planned")
    statuses = {a.text(): a for a in panel.status_menu().actions()}
    refused(statuses["已确认"], "负责人")
    offered(statuses["已取消"])
    window.desk.worker.shutdown()


def test_a_refusal_from_the_server_reads_as_its_sentence(qtbot, demo_db: Database, monkeypatch) -> None:
    """What the desk still asks and the server refuses (roles changed since sign-in) is said as the server's
    sentence, like any refusal, not as an unexpected error."""
    desk = Desk(demo_db)
    owner = QWidget()
    owner.desk = desk  # type: ignore[attr-defined]
    qtbot.addWidget(owner)
    answers = Answers(monkeypatch)
    crashes: list[BaseException] = []
    monkeypatch.setattr("sys.excepthook", lambda _k, exc, _tb: crashes.append(exc))
    refusal = AccessDenied("access.denied", login="kan", action="修改这些数据", detail="需要角色 财务")

    def job() -> None:
        raise refusal

    operations.run(owner, job)
    qtbot.waitUntil(lambda: bool(answers.warned), timeout=5_000)
    assert answers.warned == [refusal.message] and "服务器拒绝了这项操作：kan" in refusal.message
    assert not crashes
    desk.worker.shutdown()


@pytest.mark.pg_only
def test_on_a_server_the_desk_shows_who_signed_in_and_the_server_s_refusal(
    qtbot, pg_templates: dict[str, str], fresh_pg_database: Any, pg_cluster: Any, monkeypatch
) -> None:
    """A 查看 login on a real server: the desk asks the server who it is (off the GUI thread) and offers no
    change; a desk that still offered one (its roles taken away since it signed in) shows the server's
    refusal as its sentence, and nothing is changed."""
    url = fresh_pg_database(pg_templates["demo"])
    owner = open_database(url)
    login = f"{make_url(url).database}_kan"
    users.add_user(owner, login, ["查看"])
    db = open_database(make_url(url).set(username=login).render_as_string(hide_password=False))
    try:
        window = MainWindow(Desk(db), remember=False)
        qtbot.addWidget(window)
        window.show()
        window.show_page("agreements")
        qtbot.waitUntil(window.loaded, timeout=15_000)
        assert window.access_label.text() == f"{login}（查看）"
        assert "服务器" in window.access_label.toolTip()
        refused(window.pages["agreements"].partners.new_button, *PLANNERS)
        window.desk.worker.shutdown()

        desk = Desk(db)
        desk.access = everything(login, server=True)  # as if the roles changed after it signed in
        page = AgreementsPage(desk)
        qtbot.addWidget(page)
        page.show()
        wait_page(qtbot, page)
        partners = page.partners
        region = partners.current.region
        type_text(partners.form.widgets["region"], "改过的地区")
        answers = Answers(monkeypatch)
        partners.save()
        qtbot.waitUntil(lambda: bool(answers.warned), timeout=10_000)
        said = answers.warned[0]
        assert said.startswith(f"服务器拒绝了这项操作：{login} 没有") and "负责人或协调员" in said, said
        wait_idle(qtbot, partners)
        assert partners.form.value("region") == "改过的地区"  # the typing kept
        with owner.engine.connect() as conn:
            stored = conn.execute(
                text("SELECT region FROM partner WHERE id = :i"), {"i": partners.current.id}
            ).scalar()
        assert stored == region
        desk.worker.shutdown()
    finally:
        db.close()
        owner.close()
        pg_cluster.execute(f'DROP ROLE IF EXISTS "{login}"')
