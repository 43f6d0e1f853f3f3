"""Who actually goes (issue 21, the core): substitutions, moves, the waiting list, companions, the roll call."""

from __future__ import annotations

import datetime as dt

import pytest

from recuperation.errors import NotFoundError, RuleViolation, StaleEditError, ValidationError
from recuperation.services.batch import attendance, batches, roster_moves, rosters
from recuperation.storage.database import Database
from tests.factories import partner, person_id

D = dt.date


def _batch(db: Database, partner_id: int, arrival: D, code: str = "") -> batches.BatchRow:
    return batches.create_batch(
        db, batches.BatchInput(partner_id, arrival, arrival + dt.timedelta(days=2), 3, code=code)
    )


def _person(n: int, name: str = "") -> rosters.ParticipantInput:
    return rosters.ParticipantInput(name or f"职工{n}", person_id(n))


@pytest.fixture
def two(db: Database):
    p = partner(db)
    first = _batch(db, p.id, D(2021, 5, 10))
    second = _batch(db, p.id, D(2021, 6, 10))
    for n in (1, 2, 3):
        rosters.add_participant(db, first.id, _person(n))
    return p, first, second


def test_a_substitution_keeps_who_replaced_whom_and_checks_the_newcomer(db: Database, two) -> None:
    p, first, second = two
    old = rosters.list_participants(db, first.id)[0]
    with pytest.raises(ValidationError):  # a reason is required
        roster_moves.substitute(db, old.id, old.version, _person(7, "李新"), "")
    rosters.add_participant(db, second.id, _person(8, "王占"))
    overlapping = _batch(db, p.id, D(2021, 5, 11))
    rosters.add_participant(db, overlapping.id, _person(9, "赵忙"))
    with pytest.raises(RuleViolation):  # the newcomer is in an overlapping batch
        roster_moves.substitute(db, old.id, old.version, _person(9, "赵忙"), "因病")
    assert [r.name for r in rosters.list_participants(db, first.id)] == [
        "职工1",
        "职工2",
        "职工3",
    ]  # unchanged
    new, _warnings = roster_moves.substitute(db, old.id, old.version, _person(7, "李新"), "因病不能参加")
    assert sorted(r.name for r in rosters.list_participants(db, first.id)) == ["李新", "职工2", "职工3"]
    [event] = roster_moves.roster_history(db, first.id)
    assert (event.kind, event.name, event.other_name) == ("substitute", "李新", "职工1")
    assert "因病不能参加" in event.reason and person_id(1) not in event.reason
    with pytest.raises(NotFoundError):  # the old person is gone: a second desk's substitution finds nobody
        roster_moves.substitute(db, old.id, old.version, _person(10), "因病")
    second_person = rosters.list_participants(db, first.id)[1]
    with pytest.raises(StaleEditError):  # changed by another desk since this one read it
        roster_moves.substitute(db, second_person.id, second_person.version - 1, _person(10), "因病")
    assert new.name == "李新"


def test_moving_people_between_batches_of_the_partner_checks_the_target(db: Database, two) -> None:
    _p, first, second = two
    people = rosters.list_participants(db, first.id)
    result = roster_moves.move_people(db, [people[0].id, people[1].id], second.id, "改到 6 月批次")
    assert sorted(r.name for r in result.moved) == ["职工1", "职工2"]
    assert [r.name for r in rosters.list_participants(db, first.id)] == ["职工3"]
    assert {e.kind for e in roster_moves.roster_history(db, first.id)} == {"move_out"}
    moved_in = roster_moves.roster_history(db, second.id)
    assert {(e.kind, e.other_batch) for e in moved_in} == {("move_in", first.code)}
    other = partner(db, "浙江大学")
    elsewhere = _batch(db, other.id, D(2021, 7, 1))
    with pytest.raises(RuleViolation):
        roster_moves.move_people(db, [people[2].id], elsewhere.id, "x")
    rosters.add_participant(db, first.id, _person(1))  # 职工1 again, back in May
    back = rosters.list_participants(db, first.id)
    with pytest.raises(ValidationError):  # already on the target: all or none
        roster_moves.move_people(db, [p.id for p in back], second.id, "都改到 6 月")
    assert len(rosters.list_participants(db, first.id)) == 2


def test_the_waiting_list_offers_the_first_and_skipping_needs_a_reason(db: Database, two) -> None:
    _p, first, _second = two
    a = roster_moves.add_waiting(db, first.id, _person(21, "甲"), on=D(2021, 4, 1))
    b = roster_moves.add_waiting(db, first.id, _person(22, "乙"), on=D(2021, 4, 2))
    with pytest.raises(ValidationError):
        roster_moves.add_waiting(db, first.id, _person(21, "甲"))
    assert [(w.name, w.position) for w in roster_moves.list_waiting(db, first.id)] == [("甲", 1), ("乙", 2)]
    with pytest.raises(ValidationError) as refused:
        roster_moves.promote(db, b.id, b.version)
    assert "甲" in refused.value.message
    leaving = rosters.list_participants(db, first.id)[0]
    person, _w = roster_moves.promote(
        db, b.id, b.version, reason="甲 电话联系不上", replacing=(leaving.id, leaving.version)
    )
    assert person.name == "乙" and leaving.name not in [
        r.name for r in rosters.list_participants(db, first.id)
    ]
    kinds = [(e.kind, e.name) for e in roster_moves.roster_history(db, first.id)]
    assert ("skip", "甲") in kinds and ("promote", "乙") in kinds
    assert [(w.name, w.position, w.state) for w in roster_moves.list_waiting(db, first.id)] == [
        ("甲", 1, "waiting"),
        ("乙", 0, "promoted"),
    ]
    first_again = roster_moves.list_waiting(db, first.id)[0]
    assert roster_moves.promote(db, first_again.id, first_again.version)[0].name == "甲"
    assert a.position == 1


def test_a_companion_lodges_and_is_marked(db: Database, two) -> None:
    _p, first, _second = two
    person = rosters.list_participants(db, first.id)[2]
    marked = roster_moves.set_companion(db, person.id, person.version, True)
    assert marked.companion is True


def test_the_roll_call_marks_finds_and_closes(db: Database, two) -> None:
    _p, first, _second = two
    people = rosters.list_participants(db, first.id)
    assert attendance.find_person(people, person_id(2)[-4:]) == [people[1]]
    assert attendance.find_person(people, person_id(3).lower()) == [people[2]]
    assert attendance.find_person(people, "职工1") == [people[0]]
    attendance.mark(db, people[0].id, people[0].version, "attended")
    with pytest.raises(ValidationError):  # the day they left must be within the stay
        attendance.mark(db, people[1].id, people[1].version, "left_early", left_on=D(2021, 5, 20))
    attendance.mark(db, people[1].id, people[1].version, "left_early", left_on=D(2021, 5, 11))
    with pytest.raises(RuleViolation):
        attendance.close_roll_call(db, first.id, on=D(2021, 5, 1))
    assert attendance.close_roll_call(db, first.id, on=D(2021, 5, 12)) == 1
    marks = [(r.name, r.attendance, r.left_on) for r in attendance.roll_call(db, first.id)]
    assert marks == [
        ("职工1", "attended", None),
        ("职工2", "left_early", D(2021, 5, 11)),
        ("职工3", "no_show", None),
    ]
    with pytest.raises(RuleViolation):
        attendance.close_roll_call(db, first.id, on=D(2021, 5, 12))
    third = rosters.list_participants(db, first.id)[2]
    with pytest.raises(RuleViolation):  # a closed roll call takes no substitution
        roster_moves.substitute(db, third.id, third.version, _person(30), "补")


def test_a_companion_travels_through_an_export_and_is_marked_on_the_manifest(
    db: Database, two, tmp_path
) -> None:
    from pypdf import PdfReader

    from recuperation.documents.batch_docs import print_manifest
    from recuperation.services.batch.roster_import import apply_import, plan_import
    from recuperation.workbooks import export_roster

    _p, first, _second = two
    person = rosters.list_participants(db, first.id)[2]
    roster_moves.set_companion(db, person.id, person.version, True)
    exported = export_roster(db, first.code, tmp_path / "r.xlsx", full_ids=True).path
    plan = plan_import(db, first.code, exported)
    assert plan.changed == [] and not plan.errors  # what we write reads back unchanged
    again = rosters.list_participants(db, first.id)[2]
    roster_moves.set_companion(db, again.id, again.version, False)  # changed here since the export
    apply_import(db, plan_import(db, first.code, exported))
    assert [p.companion for p in rosters.list_participants(db, first.id)] == [False, False, True]
    text = "".join(
        page.extract_text()
        for page in PdfReader(print_manifest(db, first.code, tmp_path / "m.pdf").path).pages
    )
    assert "职工3（家属）" in "".join(text.split()) and "其中随行家属1人" in "".join(text.split())


def test_the_holes_an_adversary_found_are_closed(db: Database, two) -> None:
    _p, first, _second = two
    people = rosters.list_participants(db, first.id)
    with pytest.raises(ValidationError) as refused:  # oneself: would only wipe one's own details
        roster_moves.substitute(db, people[0].id, people[0].version, _person(1), "自换")
    assert refused.value.key == "roster.substitute_self"
    companion = roster_moves.set_companion(db, people[1].id, people[1].version, True)
    newcomer, _w = roster_moves.substitute(
        db, companion.id, companion.version, _person(40, "孙新"), "家属换人"
    )
    assert newcomer.companion is True  # a companion's place stays a companion's
    entry = roster_moves.add_waiting(db, first.id, _person(41, "周候"), on=D(2021, 4, 1))
    third = rosters.list_participants(db, first.id)[0]
    with pytest.raises(ValidationError):  # taking someone off always says why
        roster_moves.promote(db, entry.id, entry.version, replacing=(third.id, third.version))
    later = batches.create_batch(
        db,
        batches.BatchInput(
            _p.id, dt.date.today() + dt.timedelta(days=30), dt.date.today() + dt.timedelta(days=31), 3
        ),
    )
    rosters.add_participant(db, later.id, _person(50))
    ahead = rosters.list_participants(db, later.id)[0]
    with pytest.raises(RuleViolation):  # nobody has come yet
        attendance.mark(db, ahead.id, ahead.version, "attended")
    with pytest.raises(RuleViolation):  # a day to come given with --on
        attendance.close_roll_call(db, later.id, on=dt.date.today() + dt.timedelta(days=31))
    with pytest.raises(ValidationError):
        attendance.close_roll_call(db, first.id, on=dt.date.today() + dt.timedelta(days=1))


def test_the_waiting_list_and_the_roll_call_audit_what_changed_and_move_to_a_new_version(
    db: Database, two
) -> None:
    """What promote, withdraw, mark, close and reopen leave in the audit log: the state, mark or day that
    changed (a reason goes into the roster's history, not into an audit row); each moves its record on."""
    from recuperation.services.audit import list_audit

    _p, first, _second = two

    def trail(table: str, record_id: int) -> list[tuple[str, str, str, str]]:
        found = list_audit(db, table=table, record_id=record_id)
        return [(r.action, r.field, r.old, r.new) for r in reversed(found) if r.action != "create"]

    a = roster_moves.add_waiting(db, first.id, _person(21, "甲"), on=D(2021, 4, 1))
    b = roster_moves.add_waiting(db, first.id, _person(22, "乙"), on=D(2021, 4, 2))
    withdrawn = roster_moves.withdraw_waiting(db, a.id, a.version, "已报名 6 月批次")
    assert (withdrawn.state, withdrawn.reason, withdrawn.version) == (
        "withdrawn",
        "已报名 6 月批次",
        a.version + 1,
    )
    leaving = rosters.list_participants(db, first.id)[0]
    roster_moves.promote(db, b.id, b.version, reason="补位", replacing=(leaving.id, leaving.version))
    promoted = next(w for w in roster_moves.list_waiting(db, first.id) if w.id == b.id)
    assert (promoted.state, promoted.reason, promoted.version) == ("promoted", "补位", b.version + 1)
    assert trail("waiting_entry", a.id) == [("update", "state", "waiting", "withdrawn")]
    assert trail("waiting_entry", b.id) == [("update", "state", "waiting", "promoted")]
    assert trail("participant", leaving.id) == [("delete", "substitution", "补位", "")]
    with pytest.raises(StaleEditError):  # read before the promotion
        roster_moves.withdraw_waiting(db, b.id, b.version, "x")

    people = rosters.list_participants(db, first.id)
    marked = attendance.mark(db, people[0].id, people[0].version, "attended")
    again = attendance.mark(db, marked.id, marked.version, "attended")  # the same mark: a version, no row
    assert again.version == people[0].version + 2
    with pytest.raises(StaleEditError):
        attendance.mark(db, marked.id, marked.version, "no_show")
    attendance.mark(db, people[1].id, people[1].version, "left_early", left_on=D(2021, 5, 11))
    assert trail("participant", people[0].id) == [("update", "attendance", "", "attended")]
    assert trail("participant", people[1].id) == [
        ("update", "attendance", "", "left_early"),
        ("update", "left_on", "", "2021-05-11"),
    ]
    before = batches.get_batch(db, first.id).version
    assert attendance.close_roll_call(db, first.id, on=D(2021, 5, 12)) == 1
    assert trail("participant", people[2].id) == [("update", "attendance", "", "no_show")]
    assert attendance.roll_call(db, first.id)[2].version == people[2].version + 1
    attendance.reopen_roll_call(db, first.id)
    attendance.reopen_roll_call(db, first.id)  # open already: nothing to record
    assert [t for t in trail("batch", first.id) if t[1] == "roll_closed_on"] == [
        ("update", "roll_closed_on", "", "2021-05-12"),
        ("update", "roll_closed_on", "2021-05-12", ""),
    ]
    assert batches.get_batch(db, first.id).version == before + 2
