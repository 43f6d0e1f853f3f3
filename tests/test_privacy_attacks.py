"""Issue 24, adversarial: what a purge leaves behind, and what other paths do to the people it anonymised.

An anonymised person is what the statistics of their year count (sex, age, category, employer, who came,
who shared a room): ``update_participant`` refuses them, and so must every other path that changes, moves,
removes or re-marks a person — a substitution, a move, the companion flag, the roll call, pairing rooms, and a
roster import (an old export with the full numbers read back would otherwise bring the people back, and an
export of the anonymised batch with a phone typed into it would write it onto them).  The batch here is still
"planned" (as a batch nobody closed in the program is), so none of the closed-batch rules stand in the way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from recuperation.errors import DomainError, RuleViolation
from recuperation.services import privacy
from recuperation.services.batch import attendance, rooms, roster_import, roster_moves, rosters
from recuperation.storage.database import Database
from recuperation.workbooks import export_roster
from tests.factories import person_id
from tests.round_trip_helpers import table_sums
from tests.test_privacy import BEFORE, PLANTED_NAMES, leftovers, office


def _refused_as_anonymised(call: Callable[[], object]) -> str:
    with pytest.raises(RuleViolation) as caught:
        call()
    said = caught.value.message
    assert "匿名化" in said and "不能再修改" in said, said
    return said


def test_no_path_changes_moves_or_removes_an_anonymised_person(db: Database, tmp_path: Path) -> None:
    o = office(db)
    old_export = tmp_path / "名单（完整证件号）.xlsx"
    export_roster(db, "L2021-0001", old_export, full_ids=True)  # what a desk kept from before the purge
    privacy.purge(db, BEFORE)
    sums = table_sums(db)
    person = rosters.list_participants(db, o.gone)[0]
    assert person.anonymised_on is not None

    _refused_as_anonymised(lambda: roster_moves.set_companion(db, person.id, person.version, True))
    _refused_as_anonymised(
        lambda: roster_moves.substitute(
            db, person.id, person.version, rosters.ParticipantInput("新来的人", person_id(20)), "换人"
        )
    )
    _refused_as_anonymised(lambda: rosters.remove_participant(db, person.id, person.version, "删掉"))
    _refused_as_anonymised(lambda: roster_moves.move_people(db, [person.id], o.kept, "调到后一批"))
    _refused_as_anonymised(lambda: attendance.mark(db, person.id, person.version, "no_show"))
    _refused_as_anonymised(lambda: rooms.pair_rooms(db, o.gone))

    # the old export read back: the people it names would come back, the anonymised would go
    plan = roster_import.plan_import(db, "L2021-0001", old_export)
    assert plan.added and plan.removed
    _refused_as_anonymised(
        lambda: roster_import.apply_import(db, plan, allow_removals=True, reason="按原名单恢复")
    )
    assert table_sums(db) == sums  # nothing written by any of them
    assert not leftovers(db, o.numbers, set(PLANTED_NAMES))


def test_a_phone_typed_into_the_anonymised_export_is_not_written_back(db: Database, tmp_path: Path) -> None:
    o = office(db)
    privacy.purge(db, BEFORE)
    path = tmp_path / "名单.xlsx"
    export_roster(db, "L2021-0001", path)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    header = next(r for r in sheet.iter_rows() if any(c.value == "手机号码" for c in r))
    column = next(c.column for c in header if c.value == "手机号码")
    sheet.cell(row=header[0].row + 1, column=column, value="13800001234")  # the removed phone, typed back
    book.save(path)
    sums = table_sums(db)
    plan = roster_import.plan_import(db, "L2021-0001", path)
    assert plan.changed and not plan.added and not plan.removed
    _refused_as_anonymised(lambda: roster_import.apply_import(db, plan))
    assert table_sums(db) == sums
    assert not leftovers(db, o.numbers)


def test_a_person_not_anonymised_is_still_changed_as_before(db: Database) -> None:
    """The guard stops at the anonymised: the same paths work for the batch that ended after the date."""
    o = office(db)
    privacy.purge(db, BEFORE)
    [kept] = rosters.list_participants(db, o.kept)
    row = roster_moves.set_companion(db, kept.id, kept.version, True)
    assert row.companion and row.anonymised_on is None
    rosters.remove_participant(db, row.id, row.version, "不去了")
    assert rosters.list_participants(db, o.kept) == []


def test_a_purge_date_inside_a_year_does_not_change_the_yearly_cap_of_the_batch_after_it(
    db: Database,
) -> None:
    from recuperation.services import spending
    from tests.factories import partner
    from tests.test_spending import add, agreement, batch, findings_of, join_pack, ningbo

    pack = spending.create_pack(db, ningbo())
    p = partner(db)
    join_pack(db, p, pack.id)
    deal = agreement(db, p.id, "NB-400", 40000)
    first = batch(db, p.id, dt.date(2021, 4, 1), 3, deal, headcount=1)
    second = batch(db, p.id, dt.date(2021, 6, 1), 3, deal, headcount=1)
    add(db, first.id, "职工甲", 501)
    add(db, second.id, "职工甲", 501)

    def year_cap() -> list[tuple[str, dict[str, int]]]:
        return [(f.person, f.numbers) for f in findings_of(db, second.id) if f.kind == "year_cap"]

    before = year_cap()
    assert before and before[0][1]["batches"] == 2  # ¥2,400 in two batches of 2021, over ¥2,000
    # before the policy's latest date: allowed, but 2021 has a batch that ended after it: the year is kept whole
    assert not privacy.purge_plan(db, dt.date(2021, 5, 1)).batches
    assert privacy.purge(db, dt.date(2021, 5, 1)).people == 0
    assert year_cap() == before
    # once the whole year has ended before the date, both batches go together and stay linked
    assert [b.code for b in privacy.purge_plan(db, dt.date(2021, 7, 1)).batches] == [first.code, second.code]
    privacy.purge(db, dt.date(2021, 7, 1))
    assert [n for _person, n in year_cap()] == [n for _person, n in before]


@pytest.mark.parametrize("typed", ["²", "३", "１０"])
def test_a_hostile_number_in_the_policy_is_refused_or_read_not_a_crash(db: Database, typed: str) -> None:
    from recuperation.services import policy

    try:
        saved = policy.set_policy(db, {"retention_years": typed})
    except DomainError as exc:
        assert "retention_years" in exc.field or exc.message, exc
    else:
        assert saved.retention_years == int(typed)
