"""The bases, routes, batches, statistics and settings pages on the demo database."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from PySide6.QtCore import QDate

from recuperation.cli import main as cli_main
from recuperation.services import bases as base_service
from recuperation.services import policy as policy_service
from recuperation.services import routes as route_service
from recuperation.services.statistics import Span
from recuperation.storage.database import Database
from tests.ui_helpers import Answers, type_text, wait_idle, wait_page
from ui.batch.page import BatchesPage
from ui.desk import Desk
from ui.pages.bases import BasesPage
from ui.pages.routes import RoutesPage
from ui.pages.settings import SettingsPage
from ui.pages.statistics import StatisticsPage
from ui.widgets.dialogs import Button


@pytest.fixture
def desks():
    made: list[Desk] = []
    yield made
    for desk in made:
        desk.worker.shutdown()


def make(qtbot, cls, db: Database, desks: list[Desk]):
    desk = Desk(db)
    desks.append(desk)
    page = cls(desk)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    wait_page(qtbot, page)
    return page


def names(panel) -> list[str]:
    return [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())]


def select(qtbot, panel, label: str) -> None:
    assert panel.select_key(next(r.id for r in panel.model.rows if panel.label(r) == label))
    qtbot.waitUntil(lambda: panel.current is not None and panel.label(panel.current) == label)


# --- bases -------------------------------------------------------------------------------------------


def test_bases_search_create_refuse_and_certify(qtbot, desks, demo_db: Database, monkeypatch) -> None:
    page = make(qtbot, BasesPage, demo_db, desks)
    panel = page.bases
    assert panel.proxy.rowCount() == 32
    type_text(panel.search, "寿昌")
    assert set(names(panel)) == {"寿昌宾馆", "寿昌古镇民宿群", "寿昌古镇景区", "寿昌宫（寿昌职工文化宫）"}
    panel.new_record()
    type_text(panel.form.widgets["name"], "寿昌宾馆")
    panel.form.widgets["beds"].setValue(40)
    type_text(panel.form.widgets["contact_phone"], "12345")
    assert "电话" in panel.form.error("contact_phone")
    type_text(panel.form.widgets["contact_phone"], "0571-64123456")
    panel.save()
    qtbot.waitUntil(lambda: "已存在" in panel.form.error("name"), timeout=10_000)
    type_text(panel.form.widgets["name"], "钦堂乡职工疗休养驿站")
    panel.save()
    qtbot.waitUntil(
        lambda: panel.current is not None and panel.current.name == "钦堂乡职工疗休养驿站", timeout=10_000
    )
    wait_idle(qtbot, panel)
    assert panel.current.beds == 40 and panel.current.contact_phone == "057164123456"

    # certification: apply, then an impossible step is refused with what is possible
    cert = panel.certification
    answers = Answers(monkeypatch)
    cert.apply_level.setCurrentIndex(cert.apply_level.findData("county"))
    type_text(cert.responsible, "王建华")
    cert.apply()
    qtbot.waitUntil(
        lambda: (
            cert.busy == 0
            and cert.current() is not None
            and cert.current().level == "county"
            and cert.current().base == "钦堂乡职工疗休养驿站"
        ),
        timeout=10_000,
    )
    assert [cert.step_choice.itemData(i) for i in range(cert.step_choice.count())] == [
        "first_review",
        "rejected",
    ]
    cert.apply()  # a second open application at the same level
    qtbot.waitUntil(lambda: bool(answers.warned), timeout=10_000)
    assert "已有一个建德市级认定在进行中" in answers.warned[0]
    cert.step_choice.setCurrentIndex(0)
    cert.advance()
    qtbot.waitUntil(
        lambda: cert.busy == 0 and cert.current() is not None and cert.current().status == "first_review",
        timeout=10_000,
    )
    assert [s.step for s in cert.current().steps] == ["application", "first_review"]


def test_base_in_use_is_archived_and_occupancy_shows(qtbot, desks, demo_db: Database, monkeypatch) -> None:
    page = make(qtbot, BasesPage, demo_db, desks)
    panel = page.bases
    select(qtbot, panel, "寿昌宾馆")
    qtbot.waitUntil(
        lambda: (
            panel.occupancy.busy == 0
            and panel.occupancy.model.rowCount() == 56
            and all(n.beds == 200 for n in panel.occupancy.model.rows)
        ),
        timeout=10_000,
    )
    assert "寿昌宾馆" in panel.occupancy.caption.text()
    answers = Answers(monkeypatch, Button.Yes, Button.Yes)
    panel.delete_current()
    qtbot.waitUntil(lambda: "寿昌宾馆" not in names(panel), timeout=10_000)
    assert "住宿安排" in answers.asked[1]
    assert next(
        b for b in base_service.list_bases(demo_db, include_archived=True) if b.name == "寿昌宾馆"
    ).archived


def test_base_stale_edit(qtbot, desks, demo_db: Database, monkeypatch) -> None:
    page = make(qtbot, BasesPage, demo_db, desks)
    panel = page.bases
    select(qtbot, panel, "江滨宾馆")
    panel.form.widgets["rooms"].setValue(76)
    type_text(panel.form.widgets["address"], "建德市新安江街道江滨中路")
    panel.save()
    qtbot.waitUntil(lambda: panel.current.rooms == 76, timeout=10_000)
    wait_idle(qtbot, panel)
    assert panel.current.address == "建德市新安江街道江滨中路" and panel.current.version == 2
    other = Database(demo_db.url, user="陈志刚")
    row = next(b for b in base_service.list_bases(other) if b.name == "江滨宾馆")
    base_service.update_base(
        other,
        row.id,
        row.version,
        base_service.BaseInput(
            name=row.name, kind=row.kind, township=row.township, address=row.address, beds=160, rooms=80
        ),
    )
    other.close()
    answers = Answers(monkeypatch, Button.No)
    panel.form.widgets["beds"].setValue(170)
    panel.save()
    qtbot.waitUntil(lambda: bool(answers.asked), timeout=10_000)
    assert "陈志刚" in answers.asked[0]
    assert panel.form.value("beds") == 170  # the user chose not to reload: the edit stays on screen


# --- routes ------------------------------------------------------------------------------------------


def test_routes_plan_editing_duplicate_and_refusals(qtbot, desks, demo_db: Database, monkeypatch) -> None:
    page = make(qtbot, RoutesPage, demo_db, desks)
    panel = page.routes
    assert panel.proxy.rowCount() == 12
    type_text(panel.search, "浙大")
    assert names(panel) == ["XL01"]
    panel.search.clear()
    select(qtbot, panel, "浙大西迁疗休养线路")
    plan = panel.plan
    first = [i.activity for i in plan.items()]
    plan.table.selectRow(1)
    plan.move(-1)
    assert [i.activity for i in plan.items()][:2] == [first[1], first[0]]
    assert panel.save_button.isEnabled()
    plan.add_item()
    plan.table.cellWidget(plan.table.rowCount() - 1, 3).setText("浙大路夜游")
    panel.save()
    qtbot.waitUntil(lambda: panel.current.version == 2, timeout=10_000)
    wait_idle(qtbot, panel)
    stored = route_service.get_route(demo_db, panel.current.id)
    assert [i.activity for i in stored.items][:2] == [first[1], first[0]] and stored.items[
        -1
    ].activity == "浙大路夜游"

    # a day beyond the route's days is refused with a message
    plan.add_item()
    plan.table.cellWidget(plan.table.rowCount() - 1, 0).setValue(5)
    answers = Answers(monkeypatch)
    panel.save()
    qtbot.waitUntil(lambda: bool(answers.warned), timeout=10_000)
    assert "第 5 天超出线路天数 2" in answers.warned[0]
    panel.revert()
    assert not panel.is_dirty()

    monkeypatch.setattr("ui.pages.routes.QInputDialog.getText", lambda *a, **k: ("XL01B", True))
    panel.duplicate()
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.code == "XL01B", timeout=10_000)
    assert len(panel.current.items) == len(stored.items)


def test_new_route_and_delete_in_use(qtbot, desks, demo_db: Database, monkeypatch) -> None:
    page = make(qtbot, RoutesPage, demo_db, desks)
    panel = page.routes
    panel.new_record()
    type_text(panel.form.widgets["code"], "XL01")
    type_text(panel.form.widgets["name"], "新安江夜游线路")
    panel.save()
    qtbot.waitUntil(lambda: "已存在" in panel.form.error("code"), timeout=10_000)
    type_text(panel.form.widgets["code"], "XL20")
    panel.plan.add_item()
    panel.plan.table.cellWidget(0, 3).setText("新安江夜游")
    panel.save()
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.code == "XL20", timeout=10_000)
    assert [i.activity for i in panel.current.items] == ["新安江夜游"]
    select(qtbot, panel, "寿昌古镇休闲线路")
    Answers(monkeypatch, Button.Yes, Button.Yes)
    panel.delete_current()
    qtbot.waitUntil(lambda: "XL02" not in names(panel), timeout=10_000)


def test_route_stale_edit(qtbot, desks, demo_db: Database, monkeypatch) -> None:
    page = make(qtbot, RoutesPage, demo_db, desks)
    panel = page.routes
    select(qtbot, panel, "大慈岩登山健身线路")
    other = Database(demo_db.url, user="周晓峰")
    row = route_service.get_route(other, panel.current.id)
    items = tuple(
        route_service.RouteItemInput(i.day_no, i.activity, i.kind, i.time_of_day, i.place, i.base_id)
        for i in row.items
    )
    route_service.update_route(
        other,
        row.id,
        row.version,
        route_service.RouteInput(
            row.code, row.name, row.theme, row.days, row.nights, 72000, row.season, row.description, items
        ),
    )
    other.close()
    answers = Answers(monkeypatch, Button.Yes)
    type_text(panel.form.widgets["season"], "春秋两季")
    panel.save()
    qtbot.waitUntil(lambda: bool(answers.asked), timeout=10_000)
    assert "周晓峰" in answers.asked[0]
    qtbot.waitUntil(lambda: panel.form.value("price_fen") == 72000, timeout=10_000)
    assert panel.form.value("season") == "全年" and not panel.is_dirty()


# --- batches, statistics, settings -------------------------------------------------------------------


def test_batches_filters_and_detail(qtbot, desks, demo_db: Database) -> None:
    page = make(qtbot, BatchesPage, demo_db, desks)
    panel = page.batches
    qtbot.waitUntil(lambda: panel.year.count() > 1, timeout=10_000)
    panel.year.setCurrentIndex(panel.year.findData(2021))
    assert panel.proxy.rowCount() == 1218
    panel.kind.setCurrentIndex(panel.kind.findData("conference"))
    assert panel.proxy.rowCount() == 4
    panel.kind.setCurrentIndex(0)
    panel.month.setCurrentIndex(panel.month.findData(3))
    assert all(
        panel.model.rows[panel.proxy.mapToSource(panel.proxy.index(r, 0)).row()].arrival.month == 3
        for r in range(panel.proxy.rowCount())
    )
    qtbot.waitUntil(lambda: panel.base.count() > 1, timeout=10_000)
    panel.base.setCurrentIndex(panel.base.findData("寿昌宾馆"))
    shown = [
        panel.model.rows[panel.proxy.mapToSource(panel.proxy.index(r, 0)).row()]
        for r in range(panel.proxy.rowCount())
    ]
    assert shown and all("寿昌宾馆" in b.bases and b.arrival.month == 3 for b in shown)
    assert any(b.headcount == 200 for b in shown)  # the first frontline group, 31 March
    panel.month.setCurrentIndex(0)
    panel.base.setCurrentIndex(0)
    panel.status.setCurrentIndex(panel.status.findData("cancelled"))
    cancelled = panel.proxy.rowCount()
    assert 0 < cancelled < 20
    panel.status.setCurrentIndex(0)
    type_text(panel.search, "宁波大学")
    assert {
        panel.model.rows[panel.proxy.mapToSource(panel.proxy.index(r, 0)).row()].partner
        for r in range(panel.proxy.rowCount())
    } == {"宁波大学"}
    panel.select_source_row(panel.proxy.mapToSource(panel.proxy.index(0, 0)).row())
    qtbot.waitUntil(lambda: "宁波大学" in panel.detail.toPlainText(), timeout=10_000)
    assert "各项规则检查均通过" in panel.detail.toPlainText()


def test_statistics_page_agrees_with_the_cli(qtbot, desks, demo_db: Database, demo_path, capsys) -> None:
    page = make(qtbot, StatisticsPage, demo_db, desks)
    page.year.setCurrentIndex(page.year.findData(2021))
    page.until_on.setChecked(True)
    page.until.setDate(QDate(2021, 11, 30))
    page.compute()
    qtbot.waitUntil(lambda: page.busy == 0 and page.stats.end.month == 11, timeout=10_000)
    assert (
        cli_main(["--db", str(demo_path), "stats", "--year", "2021", "--until", "2021-11-30", "--json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    for key in ("batches", "people", "person_days", "training_classes", "conferences", "agreements_signed"):
        assert page.figures[key].text() == f"{data[key]:,}"
    assert page.figures["hangzhou"].text() == "26" and page.figures["provincial"].text() == "1"
    assert page.partners.rowCount() == len(data["by_partner"])
    assert sorted((g.name, g.people) for g in page.groups["by_theme"].rows) == sorted(
        (g["name"], g["people"]) for g in data["by_theme"]
    )
    assert {u.base: u.bed_nights_used for u in page.use.rows} == {
        u["base"]: u["bed_nights_used"] for u in data["utilisation"]
    }
    page.until_on.setChecked(False)
    page.choose_span(Span("quarter", 2))  # the second quarter
    qtbot.waitUntil(lambda: page.busy == 0 and page.stats.start == dt.date(2021, 4, 1), timeout=10_000)
    assert page.stats.end == dt.date(2021, 6, 30)
    assert page.stats.batches == sum(m.batches for m in page.stats.by_month if 4 <= m.month <= 6)
    page.choose_span(Span("custom"))  # from–to
    page.since.setDate(QDate(2021, 3, 31))
    page.until.setDate(QDate(2021, 3, 31))
    page.compute()
    qtbot.waitUntil(lambda: page.busy == 0 and page.stats.start == dt.date(2021, 3, 31), timeout=10_000)
    assert page.stats.end == dt.date(2021, 3, 31) and page.stats.people >= 200  # the frontline group


def test_settings_policy_and_language(qtbot, desks, db: Database, monkeypatch) -> None:
    from ui.i18n import current_language

    page = make(qtbot, SettingsPage, db, desks)
    form = page.form
    assert form.value("max_days") == 5 and not page.save_button.isEnabled()
    type_text(form.widgets["union_name"], "")
    page.save()
    assert "必填" in form.error("union_name")
    type_text(form.widgets["union_name"], "杭州市总工会")
    form.widgets["max_days"].setValue(7)
    page.save()
    qtbot.waitUntil(lambda: page.busy == 0 and page.policy.max_days == 7, timeout=10_000)
    assert policy_service.get_policy(db).union_name == "杭州市总工会"
    # the questionnaire's dimensions by their names, the review line in stars
    assert form.value("feedback_dimensions") == "住宿、餐饮、活动安排、导游讲解、安全保障、总体满意度"
    type_text(form.widgets["feedback_dimensions"], "住宿、风景")
    page.save()
    qtbot.waitUntil(lambda: page.busy == 0 and "风景" in form.error("feedback_dimensions"), timeout=10_000)
    type_text(form.widgets["feedback_dimensions"], "住宿、餐饮")  # no overall: nothing to flag a base on
    page.save()
    qtbot.waitUntil(
        lambda: page.busy == 0 and "总体满意度" in form.error("feedback_dimensions"), timeout=10_000
    )
    type_text(form.widgets["feedback_dimensions"], "餐饮、住宿、总体满意度")
    type_text(form.widgets["review_min_overall"], "3.5")
    form.widgets["review_min_responses"].setValue(20)
    page.save()
    qtbot.waitUntil(lambda: page.busy == 0 and page.policy.review_min_responses == 20, timeout=10_000)
    saved = policy_service.get_policy(db)
    assert (
        saved.feedback_dimensions == ("food", "lodging", "overall") and saved.review_min_overall_tenths == 35
    )
    assert form.value("feedback_dimensions") == "餐饮、住宿、总体满意度" and not page.save_button.isEnabled()
    answers = Answers(monkeypatch)
    page.language.setCurrentIndex(page.language.findData("en"))
    assert current_language() == "en" and "restarts" in answers.informed[0]
