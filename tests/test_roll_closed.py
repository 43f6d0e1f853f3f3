"""After the roll call is closed the roster is the record of who came: nobody added or removed until reopened."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from recuperation.errors import RuleViolation
from recuperation.services.batch import attendance, rosters
from recuperation.services.batch.roster_import import apply_import, plan_import
from recuperation.storage.database import Database
from recuperation.workbooks import export_roster
from tests.test_roster_life import _person, two  # noqa: F401  (the fixture)

D = dt.date


def test_a_closed_roll_call_takes_nobody_new_and_loses_nobody(db: Database, two, tmp_path: Path) -> None:  # noqa: F811
    _p, first, _second = two
    people = rosters.list_participants(db, first.id)
    attendance.mark(db, people[0].id, people[0].version, "attended")
    assert attendance.close_roll_call(db, first.id, on=D(2021, 5, 12)) == 2

    with pytest.raises(RuleViolation) as refused:
        rosters.add_participant(db, first.id, _person(9))
    assert "2021-05-12" in str(refused.value) and "重新打开" in str(refused.value)
    last = rosters.list_participants(db, first.id)[2]
    with pytest.raises(RuleViolation):
        rosters.remove_participant(db, last.id, last.version, "不来了")
    # A correction of someone's details still passes, and keeps their mark.
    fixed, _warnings = rosters.update_participant(
        db, last.id, last.version, rosters.ParticipantInput(last.name, None, phone="13800000000")
    )
    assert (fixed.phone_masked, fixed.attendance) == ("138****0000", "no_show")

    # An import that would add or remove someone is refused as a whole; one that only corrects passes.
    path = tmp_path / "roster.xlsx"
    export_roster(db, first.code, path, full_ids=True)
    book = openpyxl.load_workbook(path)
    sheet = book["名单"]
    sheet.delete_rows(sheet.max_row)
    book.save(path)
    with pytest.raises(RuleViolation):
        apply_import(db, plan_import(db, first.code, path), allow_removals=True, reason="一人不来了")
    assert len(rosters.list_participants(db, first.id)) == 3

    # Reopened, the roster changes again; the newcomer needs a mark before it closes again.
    attendance.reopen_roll_call(db, first.id)
    added, _warnings = rosters.add_participant(db, first.id, _person(9))
    assert added.attendance == ""
    assert attendance.close_roll_call(db, first.id, on=D(2021, 5, 12)) == 1
    assert [r.attendance for r in attendance.roll_call(db, first.id)][-1] == "no_show"


def test_marks_record_what_happened_and_a_late_close_keeps_the_stays_last_day(db: Database, two) -> None:  # noqa: F811
    from recuperation.errors import ValidationError
    from recuperation.services.batch import batches
    from tests.factories import partner

    _p, first, _second = two
    today = dt.date.today()
    now = batches.create_batch(
        db,
        batches.BatchInput(
            partner(db, name="当下单位").id, today - dt.timedelta(days=1), today + dt.timedelta(days=2), 2
        ),
    )
    here, _w = rosters.add_participant(db, now.id, _person(20))
    with pytest.raises(ValidationError):  # leaving tomorrow has not happened yet
        attendance.mark(db, here.id, here.version, "left_early", left_on=today + dt.timedelta(days=1))
    attendance.mark(db, here.id, here.version, "left_early", left_on=today)
    # a roll call closed long after the stay, without a day, closes on the stay's last day
    assert attendance.close_roll_call(db, first.id) == 3
    assert batches.find_batch(db, first.code).roll_closed_on == first.departure


def test_nothing_that_would_rewrite_who_came_passes_a_closed_roll_call(
    db: Database,
    two,  # noqa: F811
    tmp_path: Path,
) -> None:
    from recuperation.roster_request import roster_request
    from recuperation.services.batch import batches, edit, roster_moves

    _p, first, _second = two
    attendance.close_roll_call(db, first.id, on=D(2021, 5, 12))
    person = rosters.list_participants(db, first.id)[0]

    def refused(call, *args, **kwargs) -> str:
        with pytest.raises(RuleViolation) as caught:
            call(*args, **kwargs)
        assert "重新打开报到" in str(caught.value)
        return str(caught.value)

    assert "清除标记" in refused(attendance.mark, db, person.id, person.version, "")
    attendance.mark(db, person.id, person.version, "attended")  # a correction of the mark passes
    person = rosters.list_participants(db, first.id)[0]
    other = rosters.ParticipantInput(person.name, _person(40).id_number)
    assert "身份证号" in refused(rosters.update_participant, db, person.id, person.version, other)
    assert "随行家属" in refused(roster_moves.set_companion, db, person.id, person.version, True)
    row = batches.get_batch(db, first.id)
    later = batches.BatchInput(
        row.partner_id, D(2021, 5, 20), D(2021, 5, 22), row.headcount, code=row.code, lodging=()
    )
    assert "日期" in refused(edit.update_batch, db, row.id, row.version, later, reason="改期")
    assert "取消" in refused(batches.set_status, db, row.id, row.version, "cancelled", "不办了")
    assert "名单报送表" in refused(roster_request, db, [row.code], tmp_path / "request.xlsx")
    assert [p.attendance for p in rosters.list_participants(db, first.id)] == [
        "attended",
        "no_show",
        "no_show",
    ]
