"""出团通知书 on the desktop: its details edited and saved through the dialog (and shown again on reopening),
a save refused when another desk saved meanwhile, the PDF from the print menu showing the gathering place,
the workbook with the roster."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from recuperation.documents import orders_docs
from recuperation.services import orders
from recuperation.services.batch import batches as service
from recuperation.services.batch import rosters
from recuperation.storage.database import Database
from tests.factories import certified_base, partner, person_id
from tests.ui_helpers import Answers, type_text, wait_idle, wait_page
from ui.batch.departure import DepartureDialog
from ui.batch.page import BatchesPage
from ui.desk import Desk
from ui.widgets import dialogs

TODAY = dt.date.today()
FAR = dt.date(2099, 12, 31)
PEOPLE = ("职工甲", "职工乙", "职工丙")


def pdf_text(path: Path) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(path).pages)


@pytest.fixture
def setup(qtbot, db: Database):
    p = partner(db, "宁波大学")
    base = certified_base(db, "寿昌宾馆", beds=80, since=dt.date(2020, 1, 1), until=FAR)
    arrival = TODAY + dt.timedelta(days=3)
    batch = service.create_batch(
        db,
        service.BatchInput(
            p.id,
            arrival,
            arrival + dt.timedelta(days=2),
            30,
            leader="王芳",
            lodging=tuple(
                service.LodgingInput(base.id, arrival + dt.timedelta(days=n), 30) for n in range(2)
            ),
        ),
    )
    for n, name in enumerate(PEOPLE):
        rosters.add_participant(db, batch.id, rosters.ParticipantInput(name, person_id(101 + n)))
    desk = Desk(db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.resize(1360, 820)
    page.show()
    wait_page(qtbot, page)
    panel = page.batches
    page.open_batch(batch.id)
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == batch.id, timeout=10_000)
    wait_idle(qtbot, panel)
    yield page, batch
    desk.worker.shutdown()


def open_dialog(qtbot, panel: Any) -> DepartureDialog:
    panel.edit_departure()
    dialog = panel.departure_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.busy == 0 and dialog.version is not None, timeout=10_000)
    return dialog


def test_details_saved_through_the_dialog_show_again_on_reopening(qtbot, setup, db: Database) -> None:
    page, batch = setup
    panel = page.batches
    dialog = open_dialog(qtbot, panel)
    assert dialog.version == 0 and dialog.save_button.isEnabled()
    # each empty field shows what prints in its place
    widgets = dialog.form.widgets
    assert orders_docs.STANDARD_BRING in widgets["bring"].placeholderText()
    assert orders_docs.STANDARD_CONDUCT in widgets["conduct"].placeholderText()
    assert orders_docs.STANDARD_INSURANCE in widgets["insurance"].placeholderText()
    assert orders_docs.TO_BE_SET in widgets["gather_at"].placeholderText()
    type_text(widgets["gather_at"], "5月12日 7:30")
    type_text(widgets["gather_place"], "宁波大学东门停车场")
    widgets["contacts"].setPlainText("工会 张老师 13800000000")
    widgets["insurance"].setPlainText("人保 P2026-118")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    stored = orders.get_notice(db, batch.id)
    assert (stored.gather_at, stored.gather_place, stored.insurance, stored.bring) == (
        "5月12日 7:30",
        "宁波大学东门停车场",
        "人保 P2026-118",
        "",
    )

    again = open_dialog(qtbot, panel)
    assert again is not dialog and again.version == stored.version
    values = again.form.values()
    assert values["gather_place"] == "宁波大学东门停车场"
    assert values["contacts"] == "工会 张老师 13800000000"
    assert values["bring"] == "" and not again.form.is_dirty()
    # a text too long is refused at its field, the edits kept
    again.form.widgets["gather_at"].setText("7" * 61)
    again.save_button.click()
    assert again.isVisible() and "60" in again.form.error("gather_at")
    again.form.widgets["gather_at"].setText("5月12日 7:00")
    again.save_button.click()
    qtbot.waitUntil(lambda: not again.isVisible(), timeout=10_000)
    assert orders.get_notice(db, batch.id).gather_at == "5月12日 7:00"


def test_a_save_after_another_desk_saved_is_refused_with_the_message(
    qtbot, setup, db: Database, monkeypatch
) -> None:
    page, batch = setup
    dialog = open_dialog(qtbot, page.batches)
    assert dialog.version == 0
    orders.save_notice(db, batch.id, 0, {"gather_place": "体育馆北门"})  # another desk, meanwhile
    answers = Answers(monkeypatch, dialogs.Button.No)
    type_text(dialog.form.widgets["gather_place"], "宁波大学东门")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(answers.asked), timeout=10_000)
    assert "重新载入" in answers.asked[0]
    assert dialog.isVisible() and dialog.form.value("gather_place") == "宁波大学东门"  # kept
    assert orders.get_notice(db, batch.id).gather_place == "体育馆北门"  # nothing overwritten
    # asked again, reloading shows what the other desk saved; saving then works
    answers.answers.append(dialogs.Button.Yes)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: len(answers.asked) == 2 and dialog.busy == 0, timeout=10_000)
    assert dialog.form.value("gather_place") == "体育馆北门" and dialog.version == 1
    type_text(dialog.form.widgets["gather_at"], "5月12日 7:30")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    stored = orders.get_notice(db, batch.id)
    assert (stored.gather_at, stored.gather_place) == ("5月12日 7:30", "体育馆北门")


def test_cancel_with_edits_asks_first(qtbot, setup, monkeypatch) -> None:
    page, _batch = setup
    dialog = open_dialog(qtbot, page.batches)
    type_text(dialog.form.widgets["gather_place"], "宁波大学东门")
    answers = Answers(monkeypatch, dialogs.Button.No, dialogs.Button.Yes)
    dialog.cancel_button.click()
    assert dialog.isVisible() and len(answers.asked) == 1
    dialog.cancel_button.click()
    assert not dialog.isVisible()


def test_the_pdf_from_the_print_menu_shows_the_gathering_place(qtbot, setup, db: Database) -> None:
    page, batch = setup
    panel = page.batches
    # nothing written yet: the standard wording and 待定
    panel.print_document("departure")
    qtbot.waitUntil(lambda: panel.preview is not None, timeout=15_000)
    first = panel.preview
    assert first.document.pageCount() >= 1 and batch.code in first.windowTitle()
    body = pdf_text(first.path)
    assert "出团通知书" in body and "待定" in body and "".join(orders_docs.STANDARD_BRING.split()) in body
    first.close()

    # 保存并打印: saved, then the preview of the notice with the details
    dialog = open_dialog(qtbot, panel)
    type_text(dialog.form.widgets["gather_place"], "宁波大学东门停车场")
    panel.preview = None
    dialog.print_button.click()
    qtbot.waitUntil(lambda: panel.preview is not None, timeout=15_000)
    assert not dialog.isVisible()
    assert orders.get_notice(db, batch.id).gather_place == "宁波大学东门停车场"
    assert "宁波大学东门停车场" in pdf_text(panel.preview.path)
    panel.preview.close()


def test_the_workbook_export_writes_the_notice_with_the_roster(
    qtbot, setup, db: Database, tmp_path: Path, monkeypatch
) -> None:
    import openpyxl

    page, batch = setup
    panel = page.batches
    orders.save_notice(db, batch.id, 0, {"gather_place": "宁波大学东门"})
    suggested: list[str] = []

    def save_name(_parent: Any, _title: str, name: str, _filter: str) -> tuple[str, str]:
        suggested.append(name)
        return str(tmp_path / "notice"), ""

    monkeypatch.setattr("ui.batch.page.QFileDialog.getSaveFileName", save_name)
    messages: list[str] = []
    panel.desk.status.connect(messages.append)
    panel.export("departure")
    target = tmp_path / "notice.xlsx"
    qtbot.waitUntil(lambda: target.exists() and panel.busy == 0 and bool(messages), timeout=15_000)
    assert batch.code in suggested[0] and suggested[0].endswith(".xlsx")
    assert str(target) in messages[-1]
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["出团通知", "名单"]
    names = [book["名单"].cell(r, 2).value for r in range(2, 2 + len(PEOPLE))]
    assert sorted(names) == sorted(PEOPLE)
    notice = [c.value for row in book["出团通知"].iter_rows() for c in row if c.value]
    assert "宁波大学东门" in notice
