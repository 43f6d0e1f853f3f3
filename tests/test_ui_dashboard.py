"""The overview: the year's figures agree with the CLI, alerts name what needs attention and open it."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import Qt

from recuperation.cli import main as cli_main
from recuperation.services import partners
from recuperation.services.batch import batches, rosters
from recuperation.storage.database import Database
from tests.factories import certified_base, partner
from tests.ui_helpers import wait_page
from ui.desk import Desk
from ui.i18n import format_date
from ui.main_window import MainWindow
from ui.pages.dashboard import ALERT_PAGES, DashboardPage, collect


def test_overview_figures_agree_with_stats_json(qtbot, demo_db: Database, capsys) -> None:
    page = DashboardPage(Desk(demo_db))
    qtbot.addWidget(page)
    page.show()
    wait_page(qtbot, page)
    reference = page.data.reference
    assert reference.year == 2021  # no data this year: the latest year, same calendar day
    assert (
        cli_main(
            ["--db", str(demo_db.path), "stats", "--year", "2021", "--until", reference.isoformat(), "--json"]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    for key in ("batches", "people", "person_days", "training_classes", "conferences"):
        assert page.figures[key].text() == f"{data[key]:,}"
    assert page.charts.count() == 3
    page.desk.worker.shutdown()


def test_severe_alerts_come_first_on_the_overview_in_both_languages(qtbot, demo_db: Database) -> None:
    """The demo's open serious incident was the last of 37 rows under 需要关注 in Chinese: the list sorted by
    the kind's name, so 事件 came after 36 settlement rows."""
    page = DashboardPage(Desk(demo_db))
    qtbot.addWidget(page)
    page.show()
    wait_page(qtbot, page)
    view = page.alert_view
    shown = [
        view.model().index(r, 0).data(Qt.ItemDataRole.DisplayRole) for r in range(view.model().rowCount())
    ]
    severe = [a.severe for a in sorted(page.alerts.rows, key=lambda a: not a.severe)]
    assert len(shown) == len(severe) and any(severe) and not all(severe)
    rows = [
        page.alerts.rows[view.model().mapToSource(view.model().index(r, 0)).row()] for r in range(len(shown))
    ]
    assert [a.severe for a in rows] == severe  # every severe alert above every other
    assert any(a.rule == "incident_open" for a in rows[: severe.count(True)])
    page.desk.worker.shutdown()


def test_alerts_on_known_problems(db: Database) -> None:
    today = dt.date.today()
    p = partner(db, "宁波大学")
    base = certified_base(
        db, "寿昌宾馆", beds=10, since=today - dt.timedelta(days=400), until=today + dt.timedelta(days=30)
    )
    agreement = partners.create_agreement(
        db,
        partners.AgreementInput(
            p.id,
            "A-1",
            today - dt.timedelta(days=100),
            today - dt.timedelta(days=100),
            today + dt.timedelta(days=20),
            quota_batches=1,
        ),
    )
    soon = today + dt.timedelta(days=3)
    for people in (8, 8):  # two planned batches: 16 people for 10 beds
        batches.create_batch(
            db,
            batches.BatchInput(
                p.id,
                soon,
                soon + dt.timedelta(days=1),
                people,
                agreement_id=agreement.id,
                lodging=(batches.LodgingInput(base.id, soon, people),),
            ),
        )
    data = collect(db, today)
    rules = {a.rule for a in data.alerts}
    assert {"agreement_expiring", "quota_over", "cert_lapsing", "no_roster", "overbooked"} <= rules
    overbooked = next(a for a in data.alerts if a.rule == "overbooked")
    assert "床位超出 6 张（已订 16 / 共 10）" in overbooked.message
    assert overbooked.day == soon and overbooked.subject == "寿昌宾馆"  # the night, not an empty date
    rosters_missing = [a for a in data.alerts if a.rule == "no_roster"]
    assert len(rosters_missing) == 2 and all(ALERT_PAGES[a.table] == "batches" for a in rosters_missing)
    rosters.add_participant(
        db, rosters_missing[0].key, rosters.ParticipantInput("王芳", "330182198001010028")
    )
    assert sum(a.rule == "no_roster" for a in collect(db, today).alerts) == 1


def test_the_attention_list_shows_whole_sentences_and_the_night(qtbot, db: Database) -> None:
    """An overbooked night's row has its date; the sentence wraps in the stretching last column and is the
    tooltip too, so nothing is cut at “…”."""
    today = dt.date.today()
    p = partner(db, "宁波大学")
    base = certified_base(
        db,
        "临安湍口温泉疗休养中心",
        beds=10,
        since=today - dt.timedelta(days=400),
        until=today + dt.timedelta(days=900),
    )
    night = today + dt.timedelta(days=20)
    for people in (8, 8):
        batches.create_batch(
            db,
            batches.BatchInput(
                p.id,
                night,
                night + dt.timedelta(days=1),
                people,
                lodging=(batches.LodgingInput(base.id, night, people),),
            ),
        )
    page = DashboardPage(Desk(db))
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_page(qtbot, page)
    model, view = page.alerts, page.alert_view
    headers = [c.header for c in model.columns]
    row = next(i for i, a in enumerate(model.rows) if a.rule == "overbooked")
    date_column, text_column = headers.index("日期"), headers.index("说明")
    assert model.index(row, date_column).data() == format_date(night)
    sentence = model.rows[row].message
    assert model.index(row, text_column).data() == sentence
    assert model.index(row, text_column).data(Qt.ItemDataRole.ToolTipRole) == sentence
    assert text_column == len(headers) - 1 and view.horizontalHeader().stretchLastSection()
    assert view.wordWrap()
    qtbot.waitUntil(lambda: view.rowHeight(row) > view.fontMetrics().height() * 1.5)  # wrapped onto lines
    page.desk.worker.shutdown()


def test_the_empty_overview_names_the_action_that_loads_the_demo(qtbot, db: Database) -> None:
    """The hint names the menu item and the settings button that exist (the demo is loaded in the assistant)."""
    window = MainWindow(Desk(db), remember=False)
    qtbot.addWidget(window)
    window.show()
    window.show_page("dashboard")
    qtbot.waitUntil(window.loaded, timeout=15_000)
    hint = window.pages["dashboard"].caption.text()
    menu = window.assistant_action.text()
    button = window.pages["settings"].assistant_button.text()
    assert f"文件 → {menu}" in hint and menu == button == "开始使用向导…"
    assert "载入演示" in hint and "“设置”中载入演示数据" not in hint
    window.desk.worker.shutdown()


def test_double_clicking_an_alert_opens_the_record(qtbot, db: Database) -> None:
    today = dt.date.today()
    p = partner(db, "宁波大学")
    soon = today + dt.timedelta(days=2)
    row = batches.create_batch(db, batches.BatchInput(p.id, soon, soon, 30))
    window = MainWindow(Desk(db), remember=False)
    qtbot.addWidget(window)
    window.show()
    window.show_page("dashboard")
    qtbot.waitUntil(window.loaded, timeout=15_000)
    page = window.pages["dashboard"]
    alert = next(a for a in page.data.alerts if a.rule == "no_roster")
    source = page.alerts.index(page.alerts.rows.index(alert), 0)
    page._open_alert(page.alert_view.model().mapFromSource(source))  # what a double-click does
    panel = window.pages["batches"].panels[0]
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == row.id, timeout=15_000)
    assert window.page().name == "batches"
    window.desk.worker.shutdown()


def test_the_overview_shows_exactly_what_recuperation_alerts_gives(qtbot, db: Database, capsys) -> None:
    today = dt.date.today()
    p = partner(db, "宁波大学")
    soon = today + dt.timedelta(days=2)
    batches.create_batch(db, batches.BatchInput(p.id, soon, soon, 30))
    certified_base(db, "寿昌宾馆", since=today - dt.timedelta(days=400), until=today + dt.timedelta(days=20))
    page = DashboardPage(Desk(db))
    qtbot.addWidget(page)
    page.show()
    wait_page(qtbot, page)
    assert cli_main(["--db", db.url, "alerts", "--json"]) == 3  # the certificate lapsing is severe
    given = json.loads(capsys.readouterr().out)
    shown = [page.alerts.rows[r].to_json() for r in range(page.alerts.rowCount())]
    assert shown == given and {a["rule"] for a in given} == {"no_roster", "cert_lapsing", "insurance"}
    kinds = {page.alerts.data(page.alerts.index(r, 0)) for r in range(page.alerts.rowCount())}
    assert "保险" in kinds and "insurance" not in kinds  # the kind is named, not the rule's key
    page.desk.worker.shutdown()


def test_arrivals_are_from_the_real_today_when_the_figures_show_a_past_year(demo_db: Database) -> None:
    """With no data this year the figures fall back on the latest year with data; its arrivals are not coming."""
    today = dt.date(2030, 5, 10)
    window = (dt.date(2021, 5, 10), dt.date(2021, 5, 24))
    assert any(window[0] <= b.arrival <= window[1] for b in batches.list_batches(demo_db, year=2021))
    data = collect(demo_db, today)
    assert data.reference == dt.date(2021, 5, 10) and data.today == today
    assert data.upcoming == []
    p = partner(demo_db, "新合作单位")
    coming = batches.create_batch(demo_db, batches.BatchInput(p.id, today, today + dt.timedelta(days=1), 5))
    assert [b.code for b in collect(demo_db, today).upcoming] == [coming.code]


def test_empty_lists_say_so_in_words(qtbot, db: Database) -> None:
    partner(db, "宁波大学")
    page = DashboardPage(Desk(db))
    qtbot.addWidget(page)
    page.show()
    wait_page(qtbot, page)
    assert page.no_alerts.isVisible() and not page.alert_view.isVisible()
    assert page.no_upcoming.isVisible() and "没有批次到达" in page.no_upcoming.text()
    soon = dt.date.today() + dt.timedelta(days=2)
    batches.create_batch(db, batches.BatchInput(partners.list_partners(db)[0].id, soon, soon, 30))
    page.refresh()
    qtbot.waitUntil(lambda: page.alert_view.isVisible() and page.upcoming_view.isVisible(), timeout=15_000)
    assert not page.no_alerts.isVisible() and not page.no_upcoming.isVisible()
    page.desk.worker.shutdown()
