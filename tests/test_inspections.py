"""Inspections against the standard's clauses: the clauses kept as data (the default checklist loaded once, added,
edited, deactivated, moved), an inspection started, filled and summarised with hand-counted figures, its
refusals, and the certification step it is the evidence of — on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from recuperation.errors import NotFoundError, RuleViolation, StaleEditError, ValidationError
from recuperation.models import AuditEntry, InspectionItem, StandardClause
from recuperation.services import bases, inspections
from recuperation.services.inspections import ClauseInput, InspectionInput, ResultInput
from recuperation.storage.database import Database
from tests.factories import audit_user, certified_base

D = dt.date
STD = inspections.DEFAULT_STANDARD

#: A small checklist of the test's own: 8 clauses over three elements, 6 shall and 2 should.
CLAUSES = [
    ClauseInput("1.1", "concept", "以职工疗休养为主要功能。", "shall"),
    ClauseInput("3.4", "infrastructure", "设医务室，配备有执业资格的医护人员。", "shall"),
    ClauseInput("3.5", "infrastructure", "配备 AED。", "shall"),
    ClauseInput("3.6", "infrastructure", "会议室有多媒体设备。", "should"),
    ClauseInput("5.2", "safety", "预约和总量控制，旺季有疏导预案。", "shall"),
    ClauseInput("5.3", "safety", "10 km 内有二级以上医院。", "shall"),
    ClauseInput("5.4", "safety", "重病送医并通知单位。", "shall"),
    ClauseInput("5.8", "safety", "重点区域有视频监控。", "should"),
]


def _audits(db: Database) -> int:
    with db.session() as session:
        return len(session.exec(select(AuditEntry)).all())


def _clauses(db: Database) -> list[tuple[str, str, int, bool, int]]:
    with db.session() as session:
        rows = session.exec(select(StandardClause).order_by(StandardClause.id)).all()
        return [(c.code, c.requirement, c.position, c.active, c.version) for c in rows]


def _loaded(db: Database) -> list[inspections.ClauseRow]:
    for clause in CLAUSES:
        inspections.add_clause(db, clause)
    return inspections.list_clauses(db)


def _base(db: Database, name: str = "寿昌宾馆") -> bases.BaseRow:
    return bases.create_base(db, bases.BaseInput(name=name, beds=80))


# -- the clauses --------------------------------------------------------------------------------------------------


def test_the_default_checklist_loads_once_and_never_changes_an_edited_clause(db: Database) -> None:
    first = inspections.load_default_clauses(db)
    assert (first.added, first.kept, first.total) == (33, 0, 33)
    clauses = inspections.list_clauses(db)
    assert len(clauses) == 33 and {c.standard for c in clauses} == {STD}
    assert [c.position for c in clauses] == list(range(1, 34))
    by_element = {e: sum(1 for c in clauses if c.element == e) for e in {c.element for c in clauses}}
    assert by_element == {
        "concept": 3,
        "entry": 5,
        "infrastructure": 6,
        "resources": 4,
        "safety": 8,
        "service": 7,
    }
    assert sum(1 for c in clauses if c.strength == "shall") == 25
    assert sum(1 for c in clauses if c.strength == "should") == 8
    text = {c.code: c.requirement for c in clauses}
    # the clauses the issue names
    assert "总量控制" in text["5.2"] and "疏导预案" in text["5.2"]
    assert "医务室" in text["3.4"] and "执业资格" in text["3.4"]
    assert "AED" in text["3.5"]
    assert "10 km" in text["5.3"] and "医院" in text["5.3"]
    assert "送医" in text["5.4"] and "通知其所在单位" in text["5.4"]

    before, audits = _clauses(db), _audits(db)
    again = inspections.load_default_clauses(db)
    assert (again.added, again.kept) == (0, 33)
    assert _clauses(db) == before and _audits(db) == audits  # nothing written, nothing audited

    # an edited clause and a deactivated one stay as the office left them; a removed one comes back at the end
    c52 = next(c for c in clauses if c.code == "5.2")
    inspections.update_clause(db, c52.id, c52.version, ClauseInput("5.2", "safety", "本办公室改写的 5.2。"))
    c66 = next(c for c in clauses if c.code == "6.6")
    inspections.set_clause_active(db, c66.id, c66.version, False)
    inspections.add_clause(db, ClauseInput("9.1", "service", "办公室自加的条款。", "should"))
    third = inspections.load_default_clauses(db)
    assert (third.added, third.kept) == (0, 33)
    now = {c.code: c for c in inspections.list_clauses(db)}
    assert now["5.2"].requirement == "本办公室改写的 5.2。" and now["5.2"].version == 2
    assert now["6.6"].active is False
    assert now["9.1"].position == 34


def test_clauses_are_added_edited_deactivated_and_moved(db: Database) -> None:
    rows = _loaded(db)
    assert [(c.code, c.position) for c in rows][:3] == [("1.1", 1), ("3.4", 2), ("3.5", 3)]
    # a number once per standard, the clash named
    with pytest.raises(ValidationError) as refused:
        inspections.add_clause(db, ClauseInput("5.2", "safety", "重复"))
    assert refused.value.field == "code"
    assert (
        "5.2" in refused.value.message
        and STD in refused.value.message
        and "预约和总量控制" in refused.value.message
    )
    # full-width digits read as the number they are: ５．２ is 5.2, the same clause
    with pytest.raises(ValidationError):
        inspections.add_clause(db, ClauseInput("５．２", "safety", "重复"))
    # the same number in another standard is another clause
    other = inspections.add_clause(db, ClauseInput("5.2", "safety", "另一标准", standard="DB33/T 1000-2020"))
    assert (other.standard, other.position) == ("DB33/T 1000-2020", 1)
    for bad in ("5/2", ".5", "5 2", "x" * 21):
        with pytest.raises(ValidationError) as refused:
            inspections.add_clause(db, ClauseInput(bad, "safety", "坏编号"))
        assert refused.value.field == "code"
    with pytest.raises(ValidationError):
        inspections.add_clause(db, ClauseInput("7.1", "nonsense", "坏要素"))
    with pytest.raises(ValidationError):
        inspections.add_clause(db, ClauseInput("7.1", "safety", "  "))

    # an edit is versioned and audited; a stale one refused naming who saved first
    aed = next(c for c in rows if c.code == "3.5")
    edited = inspections.update_clause(
        db, aed.id, aed.version, ClauseInput("3.5", "infrastructure", "配备 AED，有会用的人员。", "shall")
    )
    assert (edited.version, edited.requirement) == (2, "配备 AED，有会用的人员。")
    with pytest.raises(StaleEditError):
        inspections.update_clause(db, aed.id, aed.version, ClauseInput("3.5", "infrastructure", "旧版本"))
    with pytest.raises(ValidationError):  # renumbered onto another clause
        inspections.update_clause(db, aed.id, edited.version, ClauseInput("5.3", "infrastructure", "x"))
    with db.session() as session:
        fields = [
            (a.field, a.old, a.new)
            for a in session.exec(select(AuditEntry).where(AuditEntry.table_name == "standard_clause"))
            if a.action == "update"
        ]
    assert ("requirement", "配备 AED。", "配备 AED，有会用的人员。") in fields

    # deactivated, it leaves the checklists to come; activated, it is back
    monitor = next(c for c in rows if c.code == "5.8")
    off = inspections.set_clause_active(db, monitor.id, monitor.version, False)
    assert [c.code for c in inspections.list_clauses(db, standard=STD, active_only=True)] == [
        "1.1",
        "3.4",
        "3.5",
        "3.6",
        "5.2",
        "5.3",
        "5.4",
    ]
    inspections.set_clause_active(db, off.id, off.version, True)

    # moved: 5.4 up two places, then 1.1 to the end; the places are 1, 2, 3 … afterwards
    c54 = next(c for c in inspections.list_clauses(db) if c.code == "5.4")
    order = inspections.move_clause(db, c54.id, c54.version, -2)
    assert [c.code for c in order] == ["1.1", "3.4", "3.5", "3.6", "5.4", "5.2", "5.3", "5.8"]
    assert [c.position for c in order] == list(range(1, 9))
    c11 = order[0]
    order = inspections.move_clause(db, c11.id, c11.version, 99)
    assert [c.code for c in order] == ["3.4", "3.5", "3.6", "5.4", "5.2", "5.3", "5.8", "1.1"]
    with pytest.raises(StaleEditError):
        inspections.move_clause(db, c11.id, c11.version, -1)


def test_an_edited_clause_never_rewrites_an_earlier_inspection(db: Database) -> None:
    rows = _loaded(db)
    base = _base(db)
    first = inspections.start_inspection(
        db, InspectionInput(base.id, "site_inspection", D(2024, 5, 12), "张敏")
    )
    hospital = next(c for c in rows if c.code == "5.3")
    inspections.update_clause(
        db, hospital.id, hospital.version, ClauseInput("5.3", "safety", "5 km 内有医院。", "shall")
    )
    monitor = next(c for c in rows if c.code == "5.8")
    inspections.set_clause_active(db, monitor.id, monitor.version, False)
    kept = inspections.get_inspection(db, first.id)
    assert next(i for i in kept.items if i.code == "5.3").requirement == "10 km 内有二级以上医院。"
    assert kept.total == 8 and "5.8" in [i.code for i in kept.items]
    second = inspections.start_inspection(db, InspectionInput(base.id, "routine", D(2024, 6, 1), "张敏"))
    assert next(i for i in second.items if i.code == "5.3").requirement == "5 km 内有医院。"
    assert second.total == 7 and "5.8" not in [i.code for i in second.items]
    assert inspections.list_clauses(db)[0].used == 2  # 1.1 is on both checklists


# -- an inspection ------------------------------------------------------------------------------------------------


def test_an_inspection_filled_and_summarised(db: Database) -> None:
    _loaded(db)
    base = _base(db)
    row = inspections.start_inspection(
        db, InspectionInput(base.id, "site_inspection", D(2024, 5, 12), "张敏、李强")
    )
    assert (row.total, row.unchecked, row.met, row.not_met, row.na) == (8, 8, 0, 0, 0)
    assert [i.code for i in row.items] == ["1.1", "3.4", "3.5", "3.6", "5.2", "5.3", "5.4", "5.8"]
    assert (row.standard, row.version, row.complete, row.finished) == (STD, 1, False, False)

    # three results at once (the day defaults to the inspection's), then four more on the second day
    row = inspections.record_results(
        db,
        row.id,
        row.version,
        [
            ResultInput("1.1", "met"),
            ResultInput("3.4", "met", "医务室有执业医师 1 名、护士 2 名"),
            ResultInput("3.5", "not_met", "AED 尚未配备，已购置待安装"),
        ],
    )
    assert row.version == 2 and (row.met, row.not_met, row.unchecked) == (2, 1, 5)
    assert next(i for i in row.items if i.code == "3.4").checked_on == D(2024, 5, 12)
    row = inspections.record_results(
        db,
        row.id,
        row.version,
        [
            ResultInput("3.6", "na", "基地无会议室", D(2024, 5, 13)),
            ResultInput("5.2", "not_met", "旺季疏导预案未成文\n已要求一个月内补齐", D(2024, 5, 13)),
            ResultInput("5.3", "met", "", D(2024, 5, 13)),
            ResultInput("5.8", "not_met", "停车场无监控", D(2024, 5, 13)),
        ],
    )
    # hand-counted: met 1.1 3.4 5.3 = 3; not met 3.5 5.2 5.8 = 3 (shall: 3.5 5.2); na 3.6 = 1; 5.4 unchecked
    assert (row.total, row.met, row.not_met, row.na, row.unchecked) == (8, 3, 3, 1, 1)
    assert row.met + row.not_met + row.na + row.unchecked == row.total
    assert row.applicable == 6
    assert [i.code for i in row.shall_not_met] == ["3.5", "5.2"]
    assert [(e.element, e.total, e.met, e.not_met, e.na, e.unchecked) for e in row.by_element] == [
        ("concept", 1, 1, 0, 0, 0),
        ("infrastructure", 3, 1, 1, 1, 0),
        ("safety", 4, 1, 2, 0, 1),
    ]
    assert next(i for i in row.items if i.code == "5.2").note == "旺季疏导预案未成文\n已要求一个月内补齐"

    # the audit log names the items that changed
    with db.session() as session:
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.table_name == "inspection", AuditEntry.field == "results")
        ).all()
    assert entries[0].old == "1.1 未检查；3.4 未检查；3.5 未检查"
    assert (
        entries[0].new
        == "1.1 符合；3.4 符合（医务室有执业医师 1 名、护士 2 名）；3.5 不符合（AED 尚未配备，已购置待安装）"
    )

    # saving the same again changes nothing (no new version)
    same = inspections.record_results(
        db, row.id, row.version, [ResultInput("5.3", "met", "", D(2024, 5, 13))]
    )
    assert same.version == row.version

    # not finished while a clause is unchecked; then finished with its conclusion
    with pytest.raises(RuleViolation) as refused:
        inspections.finish_inspection(db, row.id, row.version, "基本符合")
    assert "1 条没有检查" in refused.value.message and "5.4" in refused.value.message
    row = inspections.record_results(db, row.id, row.version, [ResultInput("5.4", "met", "", D(2024, 5, 13))])
    with pytest.raises(ValidationError):
        inspections.finish_inspection(db, row.id, row.version, "  ")
    row = inspections.finish_inspection(db, row.id, row.version, "基本符合，限期整改 3.5、5.2")
    assert (row.complete, row.finished, row.unchecked, row.met) == (True, True, 0, 4)

    # a stale checklist is refused naming who saved first
    with pytest.raises(StaleEditError) as stale:
        inspections.record_results(db, row.id, row.version - 1, [ResultInput("1.1", "na")])
    assert audit_user(db) in stale.value.message


def test_refused_results_write_nothing(db: Database) -> None:
    _loaded(db)
    base = _base(db)
    row = inspections.start_inspection(db, InspectionInput(base.id, "routine", D(2024, 5, 12)))
    cases = [
        (ResultInput("5.2", "good"), "result"),
        (ResultInput("5.2", "met", "", D(2024, 5, 11)), "checked_on"),  # before the inspection
        (ResultInput("5.2", "met", "", dt.date.today() + dt.timedelta(days=1)), "checked_on"),
        (ResultInput("9.9", "met"), "code"),
        (ResultInput("5.2", "met", "x" * 1001), "note"),
        (ResultInput("5.2", "met", "控制\x1b字符"), "note"),
    ]
    for bad, field in cases:
        with pytest.raises(ValidationError) as refused:
            # a good result first: the whole call is refused, the good one not written either
            inspections.record_results(db, row.id, row.version, [ResultInput("1.1", "met"), bad])
        assert refused.value.field == field, bad
    with pytest.raises(ValidationError) as twice:
        inspections.record_results(
            db, row.id, row.version, [ResultInput("1.1", "met"), ResultInput("1.1", "na")]
        )
    assert twice.value.field == "code"
    again = inspections.get_inspection(db, row.id)
    assert (again.version, again.unchecked) == (1, 8)

    # the inspection's own day: not in the future, not before 2000; a certification of its own base
    for day in (dt.date.today() + dt.timedelta(days=1), D(1999, 12, 31)):
        with pytest.raises(ValidationError) as refused:
            inspections.start_inspection(db, InspectionInput(base.id, "routine", day))
        assert refused.value.field == "on_date"
    with pytest.raises(ValidationError):
        inspections.start_inspection(db, InspectionInput(base.id, "visit", D(2024, 5, 1)))
    other = certified_base(db, "江滨宾馆", until=D(2099, 12, 31))
    cert = bases.list_certifications(db, other.id)[0]
    with pytest.raises(ValidationError) as refused:
        inspections.start_inspection(db, InspectionInput(base.id, "recheck", D(2024, 5, 1), "", cert.id))
    assert refused.value.field == "certification_id" and "江滨宾馆" in refused.value.message
    # moving the day after a check already recorded is refused, naming the clause
    row = inspections.record_results(db, row.id, row.version, [ResultInput("5.2", "met")])
    with pytest.raises(ValidationError) as refused:
        inspections.update_inspection(
            db, row.id, row.version, InspectionInput(base.id, "routine", D(2024, 5, 20))
        )
    assert "5.2" in refused.value.message
    moved = inspections.update_inspection(
        db,
        row.id,
        row.version,
        InspectionInput(base.id, "routine", D(2024, 5, 10), "王芳", conclusion="良好"),
    )
    assert (moved.on_date, moved.inspectors, moved.conclusion) == (D(2024, 5, 10), "王芳", "良好")


def test_no_checklist_without_clauses(db: Database) -> None:
    base = _base(db)
    with pytest.raises(ValidationError) as refused:
        inspections.start_inspection(db, InspectionInput(base.id, "routine", D(2024, 5, 12)))
    assert "载入默认条款" in refused.value.message
    with pytest.raises(NotFoundError), db.session() as session:
        inspections.find_base(session, "没有这个基地")


def test_a_finished_inspection_records_its_certification_step(db: Database) -> None:
    _loaded(db)
    # a base under first review: its 实地考察
    base = _base(db, "大慈岩山庄")
    cert = bases.apply_for_certification(db, base.id, "county", D(2024, 3, 1), "王建华")
    cert = bases.advance_certification(db, cert.id, cert.version, "first_review", D(2024, 4, 1))
    row = inspections.start_inspection(
        db, InspectionInput(base.id, "site_inspection", D(2024, 5, 12), "张敏、李强", cert.id)
    )
    assert row.certification == "建德市级" and row.step == "site_inspection"
    with pytest.raises(RuleViolation):  # not checked yet
        inspections.record_certification_step(db, row.id)
    codes = [i.code for i in row.items]
    row = inspections.record_results(
        db, row.id, row.version, [ResultInput(c, "not_met" if c == "5.2" else "met") for c in codes]
    )
    with pytest.raises(RuleViolation):  # no conclusion
        inspections.record_certification_step(db, row.id)
    row = inspections.finish_inspection(db, row.id, row.version, "总体符合，5.2 限期整改")
    recorded = inspections.record_certification_step(db, row.id)
    assert recorded.status == "site_inspection"
    step = recorded.steps[-1]
    assert (step.step, step.on_date, step.responsible) == ("site_inspection", D(2024, 5, 12), "张敏、李强")
    assert step.notes == (
        f"实地考察检查表（{STD}，8 条）：符合 7，不符合 1，不适用 0；“应”条款不符合：5.2。结论：总体符合，5.2 限期整改"
    )
    assert inspections.get_inspection(db, row.id).step_recorded
    with pytest.raises(RuleViolation) as twice:
        inspections.record_certification_step(db, row.id)
    assert "已记录" in twice.value.message
    with pytest.raises(RuleViolation):  # the evidence of a step is kept
        inspections.delete_inspection(db, row.id, inspections.get_inspection(db, row.id).version)

    # a certified base's 复核, its validity extended through the certification service
    jb = certified_base(db, "江滨宾馆", since=D(2021, 1, 1), until=D(2024, 12, 31))
    cert = bases.list_certifications(db, jb.id)[0]
    recheck = inspections.start_inspection(
        db, InspectionInput(jb.id, "recheck", D(2024, 6, 3), "周涛", cert.id)
    )
    recheck = inspections.record_results(
        db, recheck.id, recheck.version, [ResultInput(c, "met") for c in codes]
    )
    recheck = inspections.finish_inspection(db, recheck.id, recheck.version, "符合")
    recorded = inspections.record_certification_step(db, recheck.id, valid_to=D(2027, 12, 31))
    assert (recorded.status, recorded.valid_to, recorded.steps[-1].step) == (
        "rechecked",
        D(2027, 12, 31),
        "recheck",
    )

    # the certification's own rules stay its own: a 实地考察 of a certified base is no step it can take
    wrong = inspections.start_inspection(
        db, InspectionInput(jb.id, "site_inspection", D(2024, 7, 1), "周涛", cert.id)
    )
    wrong = inspections.record_results(db, wrong.id, wrong.version, [ResultInput(c, "met") for c in codes])
    wrong = inspections.finish_inspection(db, wrong.id, wrong.version, "符合")
    with pytest.raises(ValidationError) as refused:
        inspections.record_certification_step(db, wrong.id)
    assert "实地考察" in refused.value.message and "复核" in refused.value.message
    # a routine check is no step; nor is an inspection without a certification
    routine = inspections.start_inspection(
        db, InspectionInput(jb.id, "routine", D(2024, 7, 2), "周涛", cert.id)
    )
    with pytest.raises(RuleViolation):
        inspections.record_certification_step(db, routine.id)
    loose = inspections.start_inspection(db, InspectionInput(jb.id, "recheck", D(2024, 7, 3), "周涛"))
    with pytest.raises(RuleViolation) as refused:
        inspections.record_certification_step(db, loose.id)
    assert refused.value.field == "certification_id"


def test_a_base_inspections_by_year_and_the_latest(db: Database) -> None:
    _loaded(db)
    base = _base(db)
    other = _base(db, "江滨宾馆")
    a = inspections.start_inspection(db, InspectionInput(base.id, "routine", D(2023, 9, 1)))
    b = inspections.start_inspection(db, InspectionInput(base.id, "recheck", D(2024, 6, 3)))
    c = inspections.start_inspection(db, InspectionInput(base.id, "routine", D(2024, 3, 15)))
    inspections.start_inspection(db, InspectionInput(other.id, "routine", D(2024, 8, 1)))
    assert [r.id for r in inspections.inspections_of(db, base.id)] == [a.id, c.id, b.id]
    assert [r.id for r in inspections.inspections_of(db, base.id, 2024)] == [c.id, b.id]
    latest = inspections.latest_summary(db, base.id, 2024)
    assert latest is not None and (latest.id, latest.kind, latest.base) == (b.id, "recheck", "寿昌宾馆")
    assert inspections.latest_summary(db, base.id, 2022) is None
    # deleted by mistake: gone with its checklist, the audit log keeps what it said
    inspections.record_results(db, c.id, c.version, [ResultInput("5.2", "not_met", "无预案")])
    inspections.delete_inspection(db, c.id, 2)
    assert [r.id for r in inspections.inspections_of(db, base.id, 2024)] == [b.id]
    with db.session() as session:
        assert not session.exec(select(InspectionItem).where(InspectionItem.inspection_id == c.id)).all()
        gone = session.exec(
            select(AuditEntry).where(AuditEntry.table_name == "inspection", AuditEntry.action == "delete")
        ).one()
    assert gone.old == "5.2 不符合（无预案）"


def test_two_desks_adding_one_number_at_once_save_one_and_name_the_clash(db: Database) -> None:
    """Desk A adds 7.7 and holds its transaction open while desk B adds 7.7 too: B waits (the advisory lock on
    PostgreSQL, BEGIN IMMEDIATE on SQLite) and is then refused by name, never by the unique index."""
    import threading
    import time

    from recuperation.storage.database import open_database

    other = open_database(db.url)
    started, outcome = threading.Event(), {}

    def desk_b() -> None:
        started.wait()
        try:
            inspections.add_clause(other, ClauseInput("7.7", "service", "乙桌"))
            outcome["b"] = "saved"
        except Exception as exc:  # the refusal is the point
            outcome["b"] = exc

    thread = threading.Thread(target=desk_b)
    thread.start()
    try:
        with db.session(write=True):
            inspections.add_clause(db, ClauseInput("7.7", "service", "甲桌"))
            started.set()
            time.sleep(0.5)  # B is waiting now
        thread.join(timeout=30)
    finally:
        other.close()
    refusal = outcome["b"]
    assert isinstance(refusal, ValidationError), refusal
    assert "7.7" in refusal.message and "甲桌" in refusal.message
    assert [c.requirement for c in inspections.list_clauses(db) if c.code == "7.7"] == ["甲桌"]
