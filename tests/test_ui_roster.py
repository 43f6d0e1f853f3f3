"""The roster tab of the batches page and the import preview with a corrected column mapping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from recuperation.services.batch import rosters
from recuperation.services.batch.attendance import reopen_roll_call
from recuperation.services.batch.batches import list_batches
from recuperation.storage.database import Database
from recuperation.workbooks import export_roster
from tests.factories import stored_numbers
from tests.ui_helpers import wait_page
from ui.batch.page import BatchesPage
from ui.desk import Desk


@pytest.fixture
def page(qtbot, demo_db: Database):
    reopen_roll_call(demo_db, next(b.id for b in list_batches(demo_db) if b.code == "L2021-0100"))
    desk = Desk(demo_db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    wait_page(qtbot, page)
    yield page
    desk.worker.shutdown()


def amended_file(db: Database, tmp_path: Path) -> tuple[Path, list[str]]:
    """The batch's own full-ID export, amended: a phone changed, one person gone, one bad row added,
    and the phone column renamed to something the importer does not know."""
    path = tmp_path / "amended.xlsx"
    export_roster(db, "L2021-0100", path, full_ids=True)
    book = openpyxl.load_workbook(path)
    sheet = book["名单"]
    sheet["E2"] = "本人电话"
    gone = sheet["D4"].value
    sheet.delete_rows(4)
    sheet["E3"] = "13900000000"
    changed = sheet["D3"].value
    sheet.append(["99", "错号", "男", "330182198001010011", "13800000000"])
    book.save(path)
    return path, [gone, changed]


def test_import_preview_with_corrected_mapping_and_valid_rows_only(
    qtbot, page: BatchesPage, tmp_path: Path, monkeypatch
) -> None:
    panel = page.batches
    panel.year.setCurrentIndex(panel.year.findData(2021))
    assert panel.select_key(next(b.id for b in panel.model.rows if b.code == "L2021-0100"))
    roster = panel.roster
    qtbot.waitUntil(
        lambda: (
            roster.batch is not None
            and roster.batch.code == "L2021-0100"
            and roster.busy == 0
            and roster.model.rowCount() > 0
        ),
        timeout=10_000,
    )
    before = roster.model.rowCount()
    assert all("*" in roster.model.index(r, 3).data() for r in range(before))  # ID numbers masked
    path, (gone, changed) = amended_file(page.desk.db, tmp_path)
    monkeypatch.setattr("ui.batch.roster.QFileDialog.getOpenFileName", lambda *a, **k: (str(path), ""))
    roster.choose_file()
    qtbot.waitUntil(lambda: roster.preview is not None and roster.preview.plan is not None, timeout=10_000)
    preview = roster.preview
    plan = preview.plan
    assert "phone" not in plan.layout.columns  # 本人电话 is not a known header
    assert plan.changed == []  # an unmapped column changes nobody
    assert [r.row for r in plan.rows if r.errors] == [len(plan.rows) + 2]
    assert "校验位错误" in preview.rows.index(preview.rows.row_for_key(len(plan.rows) + 2), 6).data()
    # a row with an error: only the valid rows may be imported, and the one removal waits for consent
    assert not preview.import_button.isEnabled() and not preview.valid_button.isEnabled()
    assert preview.allow_removals.isVisibleTo(preview)
    # the user maps the phone column by hand and checks again
    combo = preview.mapping.combos["phone"]
    combo.setCurrentIndex(combo.findData(4))
    preview.mapping.recheck_button.click()
    qtbot.waitUntil(lambda: roster.preview.plan is not plan and roster.busy == 0, timeout=10_000)
    plan = roster.preview.plan
    assert plan.layout.columns["phone"] == 4
    assert (plan.removed, plan.changed) == ([gone], [changed])
    # the removal is named, and importing needs the tick and a reason
    consent = roster.preview.allow_removals
    assert consent.isVisibleTo(roster.preview) and "删除这 1 人" in consent.text()
    assert not roster.preview.valid_button.isEnabled()
    consent.setChecked(True)
    assert not roster.preview.valid_button.isEnabled()  # still no reason
    roster.preview.reason.setText("一人临时有事")
    assert roster.preview.valid_button.isEnabled()
    roster.preview.valid_button.click()
    qtbot.waitUntil(lambda: roster.preview is None or not roster.preview.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: roster.busy == 0 and roster.model.rowCount() == before - 1, timeout=10_000)
    stored = stored_numbers(page.desk.db, roster.batch.id)
    people = {stored[p.id][0]: p for p in rosters.list_participants(page.desk.db, roster.batch.id)}
    assert gone not in people and stored[people[changed].id][1] == "13900000000"


def test_a_file_that_is_not_a_roster_is_explained(
    qtbot, page: BatchesPage, tmp_path: Path, monkeypatch
) -> None:
    from tests.ui_helpers import Answers

    panel = page.batches
    qtbot.waitUntil(lambda: panel.roster.batch is not None, timeout=10_000)
    bogus = tmp_path / "名单.xlsx"
    bogus.write_bytes(b"not a workbook at all")
    answers = Answers(monkeypatch)
    panel.roster.start_import(bogus)
    qtbot.waitUntil(lambda: bool(answers.warned), timeout=10_000)
    assert "不是这种文件" in answers.warned[0]


def open_batch(qtbot, page: BatchesPage, code: str):
    panel = page.batches
    panel.year.setCurrentIndex(panel.year.findData(2021))
    assert panel.select_key(next(b.id for b in panel.model.rows if b.code == code))
    roster = panel.roster
    qtbot.waitUntil(
        lambda: (
            roster.batch is not None
            and roster.batch.code == code
            and roster.busy == 0
            and roster.model.rowCount() > 0
        ),
        timeout=10_000,
    )
    return panel, roster


def test_add_edit_and_remove_people_by_hand(qtbot, page: BatchesPage, monkeypatch) -> None:
    from recuperation.people import with_check_character
    from tests.ui_helpers import Answers, type_text

    _panel, roster = open_batch(qtbot, page, "L2021-0100")
    assert roster.batch.status == "completed"  # its roster changes with a reason, asked on saving
    answers = Answers(monkeypatch, "", "补报漏填的人", "更正手机号")
    before = roster.model.rowCount()
    roster.edit_person(None)
    dialog = roster.person_dialog
    type_text(dialog.form.widgets["name"], "新来的")
    type_text(dialog.form.widgets["id_number"], "330182198001010011")
    assert "校验位错误" in dialog.form.error("id_number")
    type_text(dialog.form.widgets["id_number"], with_check_character("33018219800101001").lower())
    type_text(dialog.form.widgets["diet"], "清真")
    dialog.save_button.click()  # no reason given: said, nothing saved, the form stays open
    assert answers.warned == ["修改已结束批次的名单需要填写原因。"] and dialog.isVisible()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: roster.busy == 0 and roster.model.rowCount() == before + 1, timeout=10_000)
    assert "L2021-0100" in answers.prompts[1]["label"]
    person = next(p for p in roster.model.rows if p.name == "新来的")
    assert person.sex == "M" and person.diet == "清真" and person.id_masked.endswith("X")
    # editing keeps what the form does not show differently (diet stays)
    roster.edit_person(person)
    dialog = roster.person_dialog
    assert "*" in dialog.form.value("id_number") and dialog.form.widgets["id_number"].isReadOnly()
    import threading

    from recuperation.services.batch import rosters

    threads: list[str] = []
    real_reveal = rosters.reveal_participant

    def reveal(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real_reveal(*args, **kwargs)

    monkeypatch.setattr(rosters, "reveal_participant", reveal)
    dialog.reveal()
    assert not dialog.reveal_button.isEnabled()  # read on the worker: no second click meanwhile
    qtbot.waitUntil(lambda: dialog.busy == 0 and dialog.revealed, timeout=10_000)
    assert threads and threads[0] != threading.main_thread().name  # never on the GUI thread
    assert dialog.form.value("id_number") == stored_numbers(page.desk.db)[person.id][0]
    type_text(dialog.form.widgets["phone"], "13912345678")
    roster.person_dialog.save_button.click()
    qtbot.waitUntil(
        lambda: roster.busy == 0 and any(p.phone_masked == "139****5678" for p in roster.model.rows),
        timeout=10_000,
    )
    assert next(p for p in roster.model.rows if p.name == "新来的").diet == "清真"
    from recuperation.services.audit import list_audit

    assert [a.action for a in list_audit(page.desk.db, table="participant", record_id=person.id)].count(
        "reveal"
    ) == 1
    source = roster.model.row_for_key(person.id)
    roster.view.setCurrentIndex(roster.view.model().mapFromSource(roster.model.index(source, 0)))
    monkeypatch.setattr("ui.batch.roster.QInputDialog.getText", lambda *a, **k: ("名额让给同事", True))
    roster.remove_person()
    qtbot.waitUntil(lambda: roster.busy == 0 and roster.model.rowCount() == before, timeout=10_000)


def test_rooms_are_paired_and_counted(qtbot, page: BatchesPage) -> None:
    panel, roster = open_batch(qtbot, page, "L2021-0100")
    rooms = panel.rooms
    qtbot.waitUntil(lambda: rooms.busy == 0 and rooms.rooms.rowCount() > 0, timeout=10_000)
    assert rooms.meals.rowCount() > 0
    rooms.pair()
    qtbot.waitUntil(lambda: rooms.busy == 0 and "已分" in rooms.summary.text(), timeout=10_000)
    qtbot.waitUntil(lambda: roster.busy == 0 and all(p.room for p in roster.model.rows), timeout=10_000)
    labels = [p.room for p in roster.model.rows]
    assert all(label[0] in "男女" for label in labels)
    assert all(labels.count(label) <= 2 for label in labels)


def test_a_messy_partner_file_in_the_preview(qtbot, page: BatchesPage, tmp_path: Path) -> None:
    """The same messy roster the CLI test reads gives exactly the same findings in the preview."""
    from recuperation.services.batch import batches as batch_service
    from tests.test_roster_import import ids, messy_rows, write_xlsx

    db = page.desk.db
    partner_id = next(
        b.partner_id for b in batch_service.list_batches(db, year=2021) if b.partner == "宁波大学"
    )
    target = batch_service.create_batch(
        db, batch_service.BatchInput(partner_id, dt.date(2021, 12, 27), dt.date(2021, 12, 29), 6)
    )
    other = batch_service.create_batch(
        db, batch_service.BatchInput(partner_id, dt.date(2021, 12, 28), dt.date(2021, 12, 30), 1)
    )
    people = ids(5)
    rosters.add_participant(db, other.id, rosters.ParticipantInput("赵敏", people[4]))
    path = write_xlsx(tmp_path / "名单.xlsx", messy_rows(people, people[4]))
    panel = page.batches
    panel.refresh(select_key=target.id)
    qtbot.waitUntil(
        lambda: panel.roster.batch is not None and panel.roster.batch.id == target.id, timeout=10_000
    )
    panel.roster.start_import(path)
    qtbot.waitUntil(
        lambda: panel.roster.preview is not None and panel.roster.preview.plan is not None, timeout=10_000
    )
    preview = panel.roster.preview
    assert {(p.row, p.field) for p in preview.plan.errors} == {
        (4, "id_number"),
        (6, "id_number"),
        (8, "id_number"),
        (9, "id_number"),
        (10, "phone"),
    }
    shown = {
        preview.rows.index(r, 0).data(): preview.rows.index(r, 1).data()
        for r in range(preview.rows.rowCount())
    }
    assert shown == {"4": "错误", "5": "正确", "6": "错误", "8": "错误", "9": "错误", "10": "错误"}
    assert not preview.import_button.isEnabled() and preview.valid_button.isEnabled()


def test_editing_without_revealing_keeps_the_numbers(qtbot, page: BatchesPage, monkeypatch) -> None:
    from tests.ui_helpers import Answers, type_text

    Answers(monkeypatch, "补记饮食禁忌")  # the batch is completed: the change's reason
    _panel, roster = open_batch(qtbot, page, "L2021-0100")
    person = roster.model.rows[0]
    roster.edit_person(person)
    type_text(roster.person_dialog.form.widgets["diet"], "不吃辣")
    roster.person_dialog.save_button.click()
    qtbot.waitUntil(
        lambda: roster.busy == 0 and any(p.diet == "不吃辣" for p in roster.model.rows), timeout=10_000
    )
    after = next(p for p in roster.model.rows if p.id == person.id)
    assert (after.id_key, after.phone_masked) == (person.id_key, person.phone_masked)
