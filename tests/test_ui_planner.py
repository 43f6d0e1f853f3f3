"""The planner: bars and beds for a month, a drag that would overbook refused, a drag that is saved."""

from __future__ import annotations

import datetime as dt

import pytest

from PySide6.QtCore import QPoint
from PySide6.QtGui import QFont, QFontMetrics

from recuperation.services.batch import batches as service
from recuperation.services.batch import edit as batch_edit
from recuperation.storage.database import Database
from tests.factories import certified_base, confirm_orders, partner
from tests.ui_helpers import Answers, wait_page
from ui.batch.page import BatchesPage
from ui.batch.planner import bar_label
from ui.desk import Desk
from ui.widgets.dialogs import Button

D = dt.date


@pytest.fixture
def setup(qtbot, db: Database):
    p = partner(db, "宁波大学")
    base = certified_base(db, "寿昌宾馆", beds=80, since=D(2020, 1, 1), until=D(2030, 12, 31))

    def batch(day: D, people: int, status: str, guide: str) -> service.BatchRow:
        row = service.create_batch(
            db,
            service.BatchInput(
                p.id,
                day,
                day + dt.timedelta(days=1),
                people,
                guide=guide,
                lodging=(service.LodgingInput(base.id, day, people),),
            ),
        )
        if status == "confirmed":  # confirmed once the base has confirmed its order
            confirm_orders(db, row.id)
            row = service.set_status(db, row.id, row.version, status)
        return row

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


def test_a_bar_says_as_much_as_its_width_holds(qtbot) -> None:
    metrics = QFontMetrics(QFont())
    code, partner = "L2021-0273", "杭州市城市建设投资集团"
    full = f"{code} {partner} 33"
    assert bar_label(metrics, metrics.horizontalAdvance(full), code, partner, 33) == full
    cut = bar_label(metrics, metrics.horizontalAdvance(f"{code} 杭州… 33") + 2, code, partner, 33)
    assert cut.startswith(f"{code} 杭") and cut.endswith("… 33")  # the partner cut, code and people whole
    assert bar_label(metrics, metrics.horizontalAdvance("0273 33") + 1, code, partner, 33) == "0273 33"
    assert bar_label(metrics, metrics.horizontalAdvance("0273") + 1, code, partner, 33) == "0273"


def test_the_week_fills_the_width_and_no_empty_band_stands_above(qtbot, setup) -> None:
    page, _first, _second, _clash = setup
    planner = page.planner
    assert planner.clash_label.isVisible()  # the guide booked twice on 3月14日
    planner.span.setCurrentIndex(planner.span.findData("week"))
    planner.anchor = D(2026, 3, 10)
    planner.reload()
    qtbot.waitUntil(lambda: planner.busy == 0 and planner.canvas.view.first == D(2026, 3, 9), timeout=10_000)
    canvas, viewport = planner.canvas, planner.scroll.viewport()
    assert canvas.width() > viewport.width() - 8  # seven wide days, no blank band on the right
    assert not planner.scroll.horizontalScrollBar().isVisible()
    planner.anchor = D(2026, 4, 20)  # a week with no clash: the empty clash line takes no room
    planner.reload()
    qtbot.waitUntil(lambda: planner.busy == 0 and planner.canvas.view.first == D(2026, 4, 20), timeout=10_000)
    assert not planner.clash_label.isVisible()
    # the layout takes the hidden line's room back on its next pass of the event loop
    qtbot.waitUntil(
        lambda: planner.scroll.geometry().top() <= planner.print_button.geometry().bottom() + 12,
        timeout=5_000,
    )


def test_long_base_names_show_whole_and_hovering_tells_everything(qtbot, setup) -> None:
    page, first, _second, _clash = setup
    db = page.desk.db
    base = certified_base(db, "临安湍口温泉疗休养中心", beds=40, since=D(2020, 1, 1), until=D(2030, 12, 31))
    service.create_batch(
        db,
        service.BatchInput(
            first.partner_id,
            D(2026, 3, 20),
            D(2026, 3, 21),
            45,
            lodging=(service.LodgingInput(base.id, D(2026, 3, 20), 45),),
        ),
    )
    planner = page.planner
    planner.reload()
    qtbot.waitUntil(lambda: planner.busy == 0 and len(planner.canvas.view.bases) == 2, timeout=10_000)
    canvas = planner.canvas
    label = canvas.base_label(next(b for b in canvas.view.bases if b.base == "临安湍口温泉疗休养中心"))
    assert QFontMetrics(canvas.font()).horizontalAdvance(label) <= canvas.name_width - 8  # not “（40”
    bar = next(b for b in canvas.view.batches if b.code == first.code)
    tip = canvas.tooltip_at(canvas.bar_rect(bar).center())
    assert first.code in tip and "宁波大学" in tip and "60" in tip and "方婷" in tip
    row = [b.base for b in canvas.sorted_bases()].index("临安湍口温泉疗休养中心")
    y = canvas.lanes_bottom() + row * 22 + 5
    x = canvas.name_width + (D(2026, 3, 20) - canvas.view.first).days * canvas.day_width + 3
    assert "已订 45 / 共 40 张床位" in canvas.tooltip_at(QPoint(x, y)) and "超出 5 张" in canvas.tooltip_at(
        QPoint(x, y)
    )
    assert canvas.tooltip_at(QPoint(5, y)) == label
    assert canvas.night_text(45, 40) == "超45" and canvas.night_text(30, 40) == "30"
    narrow = QFontMetrics(canvas.font())
    assert (
        canvas.night_text(145, 40, narrow, narrow.horizontalAdvance("145")) == "145"
    )  # no room for the mark


def test_moving_a_completed_batch_asks_why(qtbot, setup, monkeypatch) -> None:
    """A completed batch moves only with a reason, which goes into its history; 不移动 leaves it in place."""
    from recuperation.services.audit import list_audit

    page, first, _second, _clash = setup
    db = page.desk.db
    row = first
    for status in ("in_progress", "completed"):
        row = service.set_status(db, row.id, row.version, status)
    page.planner.reload()
    qtbot.waitUntil(
        lambda: (
            page.planner.busy == 0
            and any(
                b.code == first.code and b.status == "completed" for b in page.planner.canvas.view.batches
            )
        ),
        timeout=10_000,
    )
    answers = Answers(monkeypatch, None, "合作单位记错了日期")
    bar = next(b for b in page.planner.canvas.view.batches if b.code == first.code)
    page.planner.try_move(bar, 1)
    qtbot.waitUntil(lambda: len(answers.prompts) == 1 and page.planner.busy == 0, timeout=10_000)
    assert (
        answers.prompts[0]["label"] == f"批次 {first.code} 的状态是“已完成”。移动它的原因（记入批次历史）："
    )
    assert service.get_batch(db, first.id).arrival == D(2026, 3, 10)
    bar = next(b for b in page.planner.canvas.view.batches if b.code == first.code)
    page.planner.try_move(bar, 1)
    qtbot.waitUntil(lambda: service.get_batch(db, first.id).arrival == D(2026, 3, 11), timeout=10_000)
    history = list_audit(db, table="batch", record_id=first.id)
    assert any(r.field == "change_reason" and r.new == "合作单位记错了日期" for r in history)
