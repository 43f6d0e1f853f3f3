"""The planner: bars and beds for a month, a drag that would overbook refused, a drag that is saved."""

from __future__ import annotations

import datetime as dt

import pytest

from recuperation.db import Database
from recuperation.services import batch_edit
from recuperation.services import batches as service
from tests.factories import certified_base, partner
from tests.ui_helpers import Answers, wait_page
from ui.desk import Desk
from ui.pages.batches import BatchesPage
from ui.widgets.dialogs import Button

D = dt.date


@pytest.fixture
def setup(qtbot, db: Database):
    p = partner(db, "宁波大学")
    base = certified_base(db, "寿昌宾馆", beds=80, since=D(2020, 1, 1), until=D(2030, 12, 31))

    def batch(day: D, people: int, status: str, guide: str) -> service.BatchRow:
        return service.create_batch(
            db,
            service.BatchInput(
                p.id,
                day,
                day + dt.timedelta(days=1),
                people,
                status=status,
                guide=guide,
                lodging=(service.LodgingInput(base.id, day, people),),
            ),
        )

    first = batch(D(2026, 3, 10), 60, "confirmed", "方婷")
    second = batch(D(2026, 3, 14), 40, "confirmed", "方婷")
    clash = batch(D(2026, 3, 14), 10, "planned", "方婷")
    desk = Desk(db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.resize(1360, 820)
    page.show()
    wait_page(qtbot, page)
    page.planner.anchor = D(2026, 3, 1)
    page.views.setCurrentWidget(page.planner)
    page.planner.anchor = D(2026, 3, 1)
    page.planner.reload()
    qtbot.waitUntil(
        lambda: (
            page.planner.busy == 0
            and page.planner.canvas.view is not None
            and page.planner.canvas.view.first == D(2026, 3, 1)
        ),
        timeout=10_000,
    )
    yield page, first, second, clash
    desk.worker.shutdown()


def test_month_shows_bars_beds_and_double_booked_guides(setup) -> None:
    page, first, second, clash = setup
    view = page.planner.canvas.view
    assert view.last == D(2026, 3, 31) and {b.code for b in view.batches} == {
        first.code,
        second.code,
        clash.code,
    }
    beds = next(b for b in view.bases if b.base == "寿昌宾馆")
    assert beds.used == {D(2026, 3, 10): 60, D(2026, 3, 14): 50}
    assert {
        second.code,
        clash.code,
    } <= page.planner.canvas.clashed and first.code not in page.planner.canvas.clashed
    assert "方婷" in page.planner.clash_label.text()


def test_a_drag_that_would_overbook_is_refused_and_nothing_moves(qtbot, setup, monkeypatch) -> None:
    page, _first, second, _clash = setup
    answers = Answers(monkeypatch)
    bar = next(b for b in page.planner.canvas.view.batches if b.code == second.code)
    page.planner.try_move(bar, -4)  # onto 3月10日, where 60 of 80 beds are taken
    qtbot.waitUntil(lambda: bool(answers.warned), timeout=10_000)
    assert "床位超出 20 张（已订 100 / 共 80）" in answers.warned[0]
    assert service.get_batch(page.desk.db, second.id).arrival == D(2026, 3, 14)


def test_a_drag_with_warnings_asks_then_saves(qtbot, setup, monkeypatch) -> None:
    page, _first, second, _clash = setup
    Answers(monkeypatch, Button.Yes)
    bar = next(b for b in page.planner.canvas.view.batches if b.code == second.code)
    page.planner.try_move(bar, 2)
    qtbot.waitUntil(
        lambda: service.get_batch(page.desk.db, second.id).arrival == D(2026, 3, 16), timeout=10_000
    )
    details = batch_edit.get_details(page.desk.db, second.id)
    assert [lo.night for lo in details.lodging] == [D(2026, 3, 16)]


def test_double_click_opens_the_batch(qtbot, setup) -> None:
    page, first, _second, _clash = setup
    bar = next(b for b in page.planner.canvas.view.batches if b.code == first.code)
    page.planner.canvas.opened.emit(bar)
    qtbot.waitUntil(
        lambda: page.batches.current is not None and page.batches.current.code == first.code, timeout=10_000
    )
    assert page.views.currentWidget() is page.batches
