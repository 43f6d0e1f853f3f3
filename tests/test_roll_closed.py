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
        db, last.id, last.version, rosters.ParticipantInput(last.name, last.id_number, phone="13800000000")
    )
    assert (fixed.phone, fixed.attendance) == ("13800000000", "no_show")

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
