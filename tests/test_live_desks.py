"""Two desks on one database: what one saves appears in the other's lists, filters and overview within two
seconds without F5, and an editor with unsaved edits is not overwritten.  Runs on SQLite (two handles on one
file, each with its own watcher) and, with ``--backend postgresql``, on a real server (LISTEN/NOTIFY)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from recuperation.services import partners
from recuperation.services.batch import batches
from recuperation.storage.database import Database, open_database
from tests.ui_helpers import type_text
from ui.desk import Desk
from ui.main_window import MainWindow

pytestmark = pytest.mark.slow

ARRIVES = dt.date.today() + dt.timedelta(days=3)  # within a week and no roster: an alert on the overview


@pytest.fixture
def desks(qtbot, db: Database):
    """Desk A (writes through the services, as any desk would) and desk B (a window that watches)."""
    other = open_database(db.path if db.is_sqlite else db.url)
    window = MainWindow(Desk(other), remember=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.desk.watch()
    yield db, window
    window.desk.worker.shutdown()
    window.desk.close()
    other.close()


def _within_two_seconds(qtbot, condition) -> float:
    started = time.monotonic()
    qtbot.waitUntil(condition, timeout=2_000)
    return time.monotonic() - started


def test_another_desks_changes_appear_without_f5(qtbot, desks) -> None:
    db, window = desks
    window.show_page("batches")
    qtbot.waitUntil(window.loaded, timeout=15_000)
    batch_panel = window.pages["batches"].panels[0]

    # a partner created elsewhere appears in the batch page's partner filter and, when shown, in the list
    p = partners.create_partner(db, partners.PartnerInput(name="秦山核电站", kind="enterprise"))
    combo = batch_panel.partner
    _within_two_seconds(qtbot, lambda: combo.findText("秦山核电站") >= 0)

    # a batch saved elsewhere appears in the list
    row = batches.create_batch(db, batches.BatchInput(p.id, ARRIVES, ARRIVES + dt.timedelta(days=1), 30))
    _within_two_seconds(qtbot, lambda: any(b.id == row.id for b in batch_panel.model.rows))

    # the overview (not shown while it changed) is current when shown: the batch has no roster yet
    window.show_page("dashboard")
    dashboard = window.pages["dashboard"]
    qtbot.waitUntil(
        lambda: dashboard.loaded() and any(a.key == row.id for a in dashboard.data.alerts), timeout=5_000
    )

    # changed elsewhere: the visible overview follows within two seconds (the batch is cancelled: no alert)
    batches.set_status(db, row.id, row.version, "cancelled", reason="合作单位取消")
    _within_two_seconds(qtbot, lambda: not any(a.key == row.id for a in dashboard.data.alerts))

    # deleted elsewhere: gone from the partners list
    window.show_page("agreements")
    partner_panel = window.pages["agreements"].panels[0]
    qtbot.waitUntil(lambda: any(r.id == p.id for r in partner_panel.model.rows), timeout=5_000)
    spare = partners.create_partner(db, partners.PartnerInput(name="浙江海港集团", kind="enterprise"))
    _within_two_seconds(qtbot, lambda: any(r.id == spare.id for r in partner_panel.model.rows))
    partners.delete_partner(db, spare.id, spare.version)
    _within_two_seconds(qtbot, lambda: not any(r.id == spare.id for r in partner_panel.model.rows))


def test_unsaved_edits_are_not_overwritten_by_another_desks_change(qtbot, desks) -> None:
    db, window = desks
    p = partners.create_partner(db, partners.PartnerInput(name="宁波大学", kind="university", region="宁波"))
    window.show_page("agreements")
    panel = window.pages["agreements"].panels[0]
    qtbot.waitUntil(lambda: any(r.id == p.id for r in panel.model.rows), timeout=5_000)
    assert panel.select_key(p.id)
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == p.id, timeout=5_000)
    type_text(panel.form.widgets["contact_name"], "我正在输入")
    assert panel.is_dirty()

    partners.update_partner(
        db, p.id, p.version, partners.PartnerInput(name="宁波大学", kind="university", region="宁波市江北区")
    )
    other = partners.create_partner(db, partners.PartnerInput(name="浙江大学", kind="university"))
    _within_two_seconds(qtbot, lambda: any(r.id == other.id for r in panel.model.rows))  # the list followed
    assert panel.form.value("contact_name") == "我正在输入" and panel.is_dirty()  # the typing is kept
    assert panel.current is not None and panel.current.id == p.id
    panel.revert()  # the user drops the typing; closing the window then asks nothing
    assert not panel.is_dirty()


def test_a_record_deleted_elsewhere_while_edited_asks_nothing(qtbot, desks) -> None:
    db, window = desks
    p = partners.create_partner(db, partners.PartnerInput(name="宁波大学", kind="university"))
    partners.create_partner(db, partners.PartnerInput(name="浙江大学", kind="university"))
    window.show_page("agreements")
    panel = window.pages["agreements"].panels[0]
    qtbot.waitUntil(lambda: any(r.id == p.id for r in panel.model.rows), timeout=5_000)
    assert panel.select_key(p.id)
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == p.id, timeout=5_000)
    type_text(panel.form.widgets["contact_name"], "我正在输入")
    said: list[str] = []
    window.desk.status.connect(said.append)
    row = partners.find_partner(db, "宁波大学")
    partners.delete_partner(db, row.id, row.version)
    _within_two_seconds(qtbot, lambda: not any(r.id == p.id for r in panel.model.rows))
    qtbot.waitUntil(lambda: any("已被其他用户删除" in s for s in said), timeout=2_000)
    assert panel.form.value("contact_name") == "我正在输入"  # kept; no dialog (the test fixture fails on one)
    panel.revert()
