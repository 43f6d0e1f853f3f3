"""Who actually went (issue 21) through the window: a substitution, a move to another batch of the partner,
a promotion from the waiting list past the first (with the reason) and a roll call typed at the keyboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import update

from PySide6.QtCore import QItemSelectionModel, Qt

from recuperation.models import Batch, Participant
from recuperation.services.batch import attendance, batches, roster_moves, rosters
from recuperation.storage.database import Database
from tests.factories import person_id, stored_numbers
from tests.ui_helpers import Answers, type_text, wait_page
from ui.batch.page import BatchesPage
from ui.desk import Desk
from ui.widgets import dialogs

SOURCE, PLANNED, CONFIRMED = "L2021-0100", "L2021-0155", "L2021-0182"


@pytest.fixture
def page(qtbot: Any, demo_db: Database):
    # The demo's batches are all past: one stays in progress, two of the same partner are still to come.
    with demo_db.session(write=True) as session:
        for code, status in ((SOURCE, "in_progress"), (PLANNED, "planned"), (CONFIRMED, "confirmed")):
            batch = session.exec(Batch.__table__.select().where(Batch.code == code)).first()  # type: ignore[attr-defined]
            record = session.get(Batch, batch.id)
            record.status = status
            record.roll_closed_on = None  # the demo closed every roll call and marked everyone
            if code == SOURCE:
                session.exec(  # type: ignore[call-overload]
                    update(Participant)
                    .where(Participant.batch_id == batch.id)
                    .values(attendance="", left_on=None)
                )
            record.version += 1
    desk = Desk(demo_db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    wait_page(qtbot, page)
    yield page
    desk.worker.shutdown()


def open_roster(qtbot: Any, page: BatchesPage, code: str = SOURCE) -> Any:
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
    return roster


def select(roster: Any, *people: Any) -> None:
    proxy = roster.view.model()
    selection = roster.view.selectionModel()
    selection.clearSelection()
    for i, person in enumerate(people):
        index = proxy.mapFromSource(roster.model.index(roster.model.row_for_key(person.id), 0))
        if i == 0:
            roster.view.setCurrentIndex(index)
        else:
            selection.select(
                index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            )


def names(roster: Any) -> set[str]:
    return {p.name for p in roster.model.rows}


def test_a_substitution_with_its_errors_at_the_fields(
    qtbot: Any, page: BatchesPage, monkeypatch: Any
) -> None:
    answers = Answers(monkeypatch)
    roster = open_roster(qtbot, page)
    old, other = roster.model.rows[0], roster.model.rows[1]
    select(roster, old)
    assert roster.substitute_button.isEnabled()
    roster.substitute_button.click()
    dialog = roster.life_dialog
    type_text(dialog.form.widgets["name"], "顶替者")
    type_text(dialog.form.widgets["id_number"], stored_numbers(page.desk.db)[other.id][0])  # already on it
    dialog.save_button.click()
    assert "必填" in dialog.form.error("reason")  # the reason is required before anything is sent
    type_text(dialog.form.widgets["reason"], "因病不能参加")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.busy == 0 and bool(dialog.form.error("id_number")), timeout=10_000)
    assert dialog.isVisible() and names(roster) >= {old.name}
    type_text(dialog.form.widgets["id_number"], person_id(901, "19850505"))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: roster.busy == 0 and "顶替者" in names(roster), timeout=10_000)
    assert old.name not in names(roster)
    qtbot.waitUntil(lambda: roster.history.model.rowCount() > 0, timeout=10_000)
    event = roster.history.model.rows[0]
    assert (event.kind, event.name, event.other_name) == ("substitute", "顶替者", old.name)
    assert "因病不能参加" in roster.history.model.index(0, 4).data()
    assert not answers.warned


def test_moving_two_people_to_another_batch_of_the_partner(
    qtbot: Any, page: BatchesPage, monkeypatch: Any
) -> None:
    Answers(monkeypatch)
    with page.desk.db.session(write=True) as session:  # a batch under way still takes people
        session.exec(update(Batch).where(Batch.code == CONFIRMED).values(status="in_progress"))  # type: ignore[call-overload]
    roster = open_roster(qtbot, page)
    before = roster.model.rowCount()
    first, second = roster.model.rows[2], roster.model.rows[3]
    select(roster, first, second)
    assert roster.selected_people() == [first, second] or {p.id for p in roster.selected_people()} == {
        first.id,
        second.id,
    }
    roster.move_button.click()
    dialog = roster.life_dialog
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    combo = dialog.form.widgets["batch"]
    offered = [combo.itemText(i).split("（")[0] for i in range(combo.count())]
    assert PLANNED in offered and CONFIRMED in offered and SOURCE not in offered
    assert all(code in (PLANNED, CONFIRMED) for code in offered)  # the partner's open batches only
    target = batches.find_batch(page.desk.db, CONFIRMED)
    combo.setCurrentIndex(combo.findData(target.id))
    type_text(dialog.form.widgets["reason"], "单位调整时间")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: roster.busy == 0 and roster.model.rowCount() == before - 2, timeout=10_000)
    there = {p.name for p in rosters.list_participants(page.desk.db, target.id)}
    assert {first.name, second.name} <= there
    kinds = [e.kind for e in roster_moves.roster_history(page.desk.db, target.id)]
    assert kinds.count("move_in") == 2


def test_promoting_the_second_waiting_needs_the_reason_and_can_replace(
    qtbot: Any, page: BatchesPage, monkeypatch: Any
) -> None:
    roster = open_roster(qtbot, page)
    waiting = roster.waiting
    roster.sections.setCurrentWidget(waiting)
    for n, name in ((911, "候补甲"), (912, "候补乙")):
        waiting.add_button.click()
        dialog = waiting.dialog
        type_text(dialog.form.widgets["name"], name)
        type_text(dialog.form.widgets["id_number"], person_id(n, "19860606"))
        dialog.form.set_value("added_on", dt.date(2021, 3, 1) + dt.timedelta(days=n - 911))
        dialog.save_button.click()
        qtbot.waitUntil(lambda dialog=dialog: not dialog.isVisible(), timeout=10_000)
        qtbot.waitUntil(
            lambda name=name: roster.busy == 0 and name in {w.name for w in waiting.model.rows},
            timeout=10_000,
        )
    assert [(w.position, w.name) for w in waiting.model.rows] == [(1, "候补甲"), (2, "候补乙")]
    leaving = roster.model.rows[0]
    select(roster, leaving)  # the place is this person's
    waiting.select(next(w.id for w in waiting.model.rows if w.name == "候补乙"))
    answers = Answers(monkeypatch, "候补甲联系不上", dialogs.Button.Yes)
    waiting.promote_button.click()
    assert "候补甲" in answers.prompts[0]["label"]  # the first waiting is named
    qtbot.waitUntil(lambda: roster.busy == 0 and "候补乙" in names(roster), timeout=10_000)
    assert leaving.name not in names(roster)
    qtbot.waitUntil(
        lambda: [w.state for w in waiting.model.rows if w.name == "候补乙"] == ["promoted"], timeout=10_000
    )
    history = roster_moves.roster_history(page.desk.db, roster.batch.id)
    skip = next(e for e in history if e.kind == "skip")
    assert (skip.name, skip.other_name, skip.reason) == ("候补甲", "候补乙", "候补甲联系不上")
    assert next(e for e in history if e.kind == "promote").other_name == leaving.name  # whose place it was
    # withdrawing the first waiting asks why
    waiting.select(next(w.id for w in waiting.model.rows if w.name == "候补甲"))
    answers.answers.append("已报名其他批次")
    waiting.withdraw_button.click()
    qtbot.waitUntil(
        lambda: (
            roster.busy == 0 and [w.state for w in waiting.model.rows if w.name == "候补甲"] == ["withdrawn"]
        ),
        timeout=10_000,
    )


def test_a_roll_call_by_keyboard_and_its_close(qtbot: Any, page: BatchesPage, monkeypatch: Any) -> None:
    from PySide6.QtCore import QDate

    roster = open_roster(qtbot, page)
    people = list(roster.model.rows)
    roster.roll_call_button.click()
    dialog = roster.roll_call_dialog
    qtbot.waitUntil(lambda: dialog.busy == 0 and dialog.model.rowCount() == len(people), timeout=10_000)
    assert dialog.search.hasFocus() or dialog.focusWidget() is dialog.search
    # the last six digits, as typed, and Enter
    someone = people[3]
    numbers = stored_numbers(page.desk.db)
    type_text(dialog.search, numbers[someone.id][0][-6:])
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            dialog.busy == 0
            and dialog.model.rows[dialog.model.row_for_key(someone.id)].attendance == "attended"
        ),
        timeout=10_000,
    )
    assert someone.name in dialog.result.text() and dialog.search.text() == ""
    # a whole number from a card reader (lower-case x read as X)
    another = people[4]
    type_text(dialog.search, numbers[another.id][0].lower())
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            dialog.busy == 0
            and dialog.model.rows[dialog.model.row_for_key(another.id)].attendance == "attended"
        ),
        timeout=10_000,
    )
    # nobody found: said, nothing marked
    type_text(dialog.search, "查无此人")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert "名单中没有" in dialog.result.text()
    # a stranger's whole number is never shown in full; too few digits are said
    type_text(dialog.search, "330106199001011234")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert "330106199001011234" not in dialog.result.text() and "名单中没有" in dialog.result.text()
    type_text(dialog.search, "431")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert "至少输入后 4 位" in dialog.result.text()
    # the same card read again: said, nothing marked again
    version = dialog.model.rows[dialog.model.row_for_key(another.id)].version
    type_text(dialog.search, numbers[another.id][0])
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert "已经标为已到" in dialog.result.text()
    assert dialog.model.rows[dialog.model.row_for_key(another.id)].version == version
    # one left early, on a day of the stay
    early = people[5]
    dialog.select([early.id])
    dialog.left_on.setDate(QDate(2021, 3, 16))
    dialog.left_button.click()
    qtbot.waitUntil(
        lambda: (
            dialog.busy == 0
            and dialog.model.rows[dialog.model.row_for_key(early.id)].attendance == "left_early"
        ),
        timeout=10_000,
    )
    assert dialog.model.rows[dialog.model.row_for_key(early.id)].left_on == dt.date(2021, 3, 16)
    # closing asks first and says how many become no-shows
    answers = Answers(monkeypatch, dialogs.Button.Yes)
    dialog.close_button.click()
    assert f"{len(people) - 3} 人将记为未到" in answers.asked[0]
    qtbot.waitUntil(lambda: dialog.busy == 0 and dialog.closed_on is not None, timeout=10_000)
    marks = {p.id: p.attendance for p in attendance.roll_call(page.desk.db, roster.batch.id)}
    assert list(marks.values()).count("no_show") == len(people) - 3
    assert f"{len(people) - 3} 人记为未到" in dialog.result.text()
    assert dialog.close_button.text().startswith("重新打开")
    qtbot.waitUntil(
        lambda: (
            roster.busy == 0
            and roster.model.rows[roster.model.row_for_key(someone.id)].attendance == "attended"
        ),
        timeout=10_000,
    )
    # closed, the roster is the record of who came: what would change it is not offered, and says why
    select(roster, roster.model.rows[0])
    closed = (roster.add_button, roster.remove_button, roster.import_button, roster.substitute_button)
    assert not any(b.isEnabled() for b in (*closed, roster.move_button, roster.waiting.add_button))
    assert all("重新打开报到" in b.toolTip() for b in closed)
    assert roster.edit_button.isEnabled()  # details can still be corrected
    answers = Answers(monkeypatch, dialogs.Button.Yes)
    dialog.close_button.click()  # reopened
    qtbot.waitUntil(lambda: dialog.busy == 0 and dialog.closed_on is None, timeout=10_000)
    qtbot.waitUntil(lambda: roster.busy == 0 and roster.add_button.isEnabled(), timeout=10_000)
    assert roster.substitute_button.isEnabled() and not roster.add_button.toolTip()
