"""The overview: the year's figures agree with the CLI, alerts name what needs attention and open it."""

from __future__ import annotations

import datetime as dt
import json

from recuperation.cli import main as cli_main
from recuperation.db import Database
from recuperation.services import batches, partners, rosters
from tests.factories import certified_base, partner
from tests.ui_helpers import wait_page
from ui.desk import Desk
from ui.main_window import MainWindow
from ui.pages.dashboard import DashboardPage, collect


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
    kinds = {(a.kind, a.detail) for a in data.alerts}
    assert ("agreement", "agreement_expiring") in kinds and ("agreement", "quota_over") in kinds
    assert ("certification", "lapsing") in kinds and ("roster", "no_roster") in kinds
    overbooked = next(a for a in data.alerts if a.kind == "capacity")
    assert "床位超出 6 张（已订 16 / 共 10）" in overbooked.text
    rosters_missing = [a for a in data.alerts if a.kind == "roster"]
    assert len(rosters_missing) == 2 and all(a.page == "batches" for a in rosters_missing)
    rosters.add_participant(
        db, rosters_missing[0].key, rosters.ParticipantInput("王芳", "330182198001010028")
    )
    assert sum(a.kind == "roster" for a in collect(db, today).alerts) == 1


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
    alert = next(a for a in page.data.alerts if a.kind == "roster")
    page.open_record.emit(alert.page, alert.key)
    panel = window.pages["batches"].panels[0]
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == row.id, timeout=15_000)
    assert window.page().name == "batches"
    window.desk.worker.shutdown()
