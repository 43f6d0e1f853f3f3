"""The batch editor: a new batch with its lodging, confirming, a refused overbooking, cancelling."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from PySide6.QtCore import QDate

from recuperation.db import Database
from recuperation.services import batch_edit
from recuperation.services import batches as service
from tests.ui_helpers import Answers, type_text, wait_idle, wait_page
from ui.desk import Desk
from ui.pages.batches import BatchesPage
from ui.pages.lodging import BASE, PEOPLE


@pytest.fixture
def page(qtbot, demo_db: Database):
    desk = Desk(demo_db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.resize(1360, 820)
    page.show()
    wait_page(qtbot, page)
    yield page
    desk.worker.shutdown()


def new_batch(qtbot, panel, partner: str, day: dt.date, people: int, base: str) -> None:
    panel.new_record()
    form = panel.form
    partner_combo = form.widgets["partner_id"]
    partner_combo.setCurrentIndex(partner_combo.findText(partner))
    form.widgets["arrival"].setDate(QDate(day.year, day.month, day.day))
    end = day + dt.timedelta(days=2)
    form.widgets["departure"].setDate(QDate(end.year, end.month, end.day))
    form.widgets["headcount"].setValue(people)
    type_text(form.widgets["leader"], "王芳")
    panel.lodging.fill_button.click()
    for row in range(panel.lodging.table.rowCount()):
        combo = panel.lodging.table.cellWidget(row, BASE)
        combo.setCurrentIndex(combo.findText(base))
        assert panel.lodging.table.cellWidget(row, PEOPLE).value() == people
    panel.save()


def test_new_batch_confirm_and_a_refused_overbooking(qtbot, page: BatchesPage, monkeypatch) -> None:
    panel = page.batches
    day = dt.date(2021, 12, 27)  # the demo has no lodging at 寿昌宾馆 then
    new_batch(qtbot, panel, "宁波大学", day, 120, "寿昌宾馆")
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.arrival == day, timeout=10_000)
    wait_idle(qtbot, panel)
    first = panel.current
    assert first.code.startswith("L2021-") and first.partner == "宁波大学" and first.status == "planned"
    details = batch_edit.get_details(page.desk.db, first.id)
    assert [(lo.base, lo.people) for lo in details.lodging] == [("寿昌宾馆", 120), ("寿昌宾馆", 120)]
    panel.change_status("confirmed")
    qtbot.waitUntil(lambda: panel.current.status == "confirmed", timeout=10_000)
    wait_idle(qtbot, panel)

    new_batch(qtbot, panel, "浙江大学", day, 100, "寿昌宾馆")
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.partner == "浙江大学", timeout=10_000)
    wait_idle(qtbot, panel)
    qtbot.waitUntil(
        lambda: "床位超出 20 张（已订 220 / 共 200）" in panel.detail.toPlainText(), timeout=10_000
    )
    answers = Answers(monkeypatch)
    panel.change_status("confirmed")
    qtbot.waitUntil(lambda: bool(answers.warned), timeout=10_000)
    assert (
        "不能确认" in answers.warned[0]
        and "寿昌宾馆 12月27日 床位超出 20 张（已订 220 / 共 200）" in answers.warned[0]
    )
    assert service.get_batch(page.desk.db, panel.current.id).status == "planned"

    monkeypatch.setattr("ui.pages.batches.QInputDialog.getText", lambda *a, **k: ("合作单位改期", True))
    panel.delete_current()
    qtbot.waitUntil(lambda: panel.current.status == "cancelled", timeout=10_000)
    assert service.get_batch(page.desk.db, first.id).findings == ()


def test_editing_a_batch_and_a_refused_date(qtbot, page: BatchesPage, monkeypatch) -> None:
    panel = page.batches
    panel.year.setCurrentIndex(panel.year.findData(2021))
    assert panel.select_key(next(b.id for b in panel.model.rows if b.code == "L2021-0100"))
    qtbot.waitUntil(
        lambda: panel.current.code == "L2021-0100" and panel.lodging.table.rowCount() > 0, timeout=10_000
    )
    wait_idle(qtbot, panel)
    type_text(panel.form.widgets["guide"], "叶敏")
    panel.save()
    qtbot.waitUntil(lambda: panel.current.guide == "叶敏", timeout=10_000)
    wait_idle(qtbot, panel)
    arrival = panel.current.arrival
    later = arrival + dt.timedelta(days=9)
    panel.form.widgets["departure"].setDate(QDate(later.year, later.month, later.day))
    panel.save()
    answers = Answers(monkeypatch)
    qtbot.waitUntil(lambda: bool(panel.form.error("departure")) or bool(answers.warned), timeout=10_000)
    message = panel.form.error("departure") or answers.warned[0]
    assert "超过政策上限 5 天" in message


def test_the_batch_itinerary_changes_without_touching_the_route(qtbot, page: BatchesPage) -> None:
    from recuperation.services import routes

    panel = page.batches
    panel.year.setCurrentIndex(panel.year.findData(2021))
    assert panel.select_key(next(b.id for b in panel.model.rows if b.code == "L2021-0100"))
    qtbot.waitUntil(
        lambda: panel.current.code == "L2021-0100" and panel.itinerary.table.rowCount() > 0, timeout=10_000
    )
    wait_idle(qtbot, panel)
    route_before = routes.get_route(page.desk.db, panel.current.route_id).items
    panel.itinerary.table.cellWidget(0, 3).setText("临时加一场职工座谈会")
    assert panel.save_button.isEnabled()
    panel.save()
    qtbot.waitUntil(lambda: panel.current.version > 1 and not panel.is_dirty(), timeout=10_000)
    wait_idle(qtbot, panel)
    details = batch_edit.get_details(page.desk.db, panel.current.id)
    assert details.itinerary[0].activity == "临时加一场职工座谈会"
    assert details.itinerary[0].on_date == panel.current.arrival
    assert routes.get_route(page.desk.db, panel.current.route_id).items == route_before


def test_saving_a_batch_keeps_its_agreement_and_changes_only_what_was_edited(
    qtbot, page: BatchesPage
) -> None:
    """Every field the editor shows must come back as it was loaded: the agreement combo once showed
    （无协议） because its choices arrived after the value, and any save dropped the agreement."""
    from sqlalchemy import text

    panel = page.batches
    db = page.desk.db
    with db.engine.connect() as conn:
        codes = [
            r[0]
            for r in conn.execute(
                text("SELECT code FROM batch WHERE agreement_id IS NOT NULL ORDER BY code LIMIT 40")
            )
        ]

    def facts(code: str) -> dict[str, object]:
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT * FROM batch WHERE code = :c"), {"c": code}).mappings().one()
        return {k: v for k, v in row.items() if k not in ("updated_at", "updated_by", "version")}

    for code in codes[::8]:  # partners differ from one to the next: the agreement choices change each time
        before = facts(code)
        batch_id = before["id"]
        assert panel.select_key(batch_id)
        wait_idle(qtbot, panel)
        assert panel.form.value("agreement_id") == before["agreement_id"], code
        assert not panel.form.is_dirty()
    code = codes[0]
    before = facts(code)
    assert panel.select_key(before["id"])
    wait_idle(qtbot, panel)
    type_text(panel.form.widgets["guide"], "新导游")
    panel.save()
    qtbot.waitUntil(lambda: facts(code)["guide"] == "新导游", timeout=10_000)
    after = facts(code)
    assert {k for k in after if after[k] != before[k]} == {"guide"}


def test_the_list_opens_on_a_year_with_batches_and_a_saved_batch_stays_visible(
    qtbot, page: BatchesPage
) -> None:
    """The demo has 2021 only: the list opens there, not on an empty current year; a batch saved for a year the
    list has never shown (January 2027) is shown and selected; its details follow a roster added later."""
    panel = page.batches
    assert panel.year.currentData() == 2021 and panel.proxy.rowCount() > 0
    day = dt.date(2027, 1, 12)
    new_batch(qtbot, panel, "宁波大学", day, 30, "寿昌宾馆")
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.arrival == day, timeout=10_000)
    wait_idle(qtbot, panel)
    assert panel.year.currentData() == 2027 and panel.proxy.rowCount() >= 1
    assert panel.status_button.isEnabled()
    from recuperation.services import rosters
    from tests.factories import person_id

    rosters.add_participant(
        page.desk.db, panel.current.id, rosters.ParticipantInput("王新", person_id(7, birth="19900101"))
    )
    panel.roster.changed.emit()  # as the roster tab says after an import
    qtbot.waitUntil(
        lambda: re.search(r"名单人数\s*1\b", panel.detail.toPlainText()) is not None, timeout=10_000
    )
    wait_idle(qtbot, panel)
    assert panel.current.roster_count == 1
