"""Incidents (事件): one through its life (recorded → edited → closed → reopened → closed) with its audit trail;
the refusals, each naming the field and writing nothing; the people always masked; deleting a mistake; the
serious-incident and overdue follow-up alerts; the counts per base and year the scorecard reads (by hand)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pytest
from sqlmodel import col, func, select

from recuperation import messages
from recuperation.errors import DomainError, NotFoundError, RuleViolation, StaleEditError, ValidationError
from recuperation.models import AuditEntry, Incident, IncidentPerson
from recuperation.services import incidents
from recuperation.services.alerts import collect_alerts
from recuperation.services.batch import batches, roster_moves, rosters
from recuperation.services.incidents import IncidentInput
from recuperation.services.routes import RouteItemInput
from recuperation.storage.database import Database
from tests.factories import certified_base, partner, person_id

D = dt.date
ARRIVAL, DEPARTURE = D(2021, 5, 10), D(2021, 5, 12)


def masked(n: int) -> str:
    """person_id(n) as every list shows it: the first six and the last four characters."""
    number = person_id(n)
    return f"{number[:6]}********{number[-4:]}"


@pytest.fixture
def trip(db: Database) -> dict[str, Any]:
    """L2021-0001 of 宁波大学, 10–12 May 2021: two nights at 寿昌宾馆, an afternoon at 大慈岩景区 (its itinerary);
    职工甲, 职工乙 and 家属丙 on the roster.  新安江宾馆 is a base it never went to; L2021-0002 (浙江海港集团,
    April) has 职工丁."""
    p = partner(db, "宁波大学")
    lodge = certified_base(db, "寿昌宾馆", beds=80)
    scenic = certified_base(db, "大慈岩景区", beds=10)
    other = certified_base(db, "新安江宾馆", beds=60)
    lodging = tuple(batches.LodgingInput(lodge.id, ARRIVAL + dt.timedelta(days=n), 3) for n in range(2))
    itinerary = (
        RouteItemInput(1, "入住", kind="lodging", base_id=lodge.id),
        RouteItemInput(2, "大慈岩游览", time_of_day="下午", base_id=scenic.id),
    )
    batch = batches.create_batch(
        db, batches.BatchInput(p.id, ARRIVAL, DEPARTURE, 3, lodging=lodging, itinerary=itinerary)
    )
    people = {}
    for name, n in (("职工甲", 601), ("职工乙", 602), ("家属丙", 603)):
        row, _warnings = rosters.add_participant(db, batch.id, rosters.ParticipantInput(name, person_id(n)))
        people[name] = roster_moves.set_companion(db, row.id, row.version, True) if name == "家属丙" else row
    q = partner(db, "浙江海港集团")
    second = batches.create_batch(db, batches.BatchInput(q.id, D(2021, 4, 6), D(2021, 4, 8), 1))
    row, _warnings = rosters.add_participant(
        db, second.id, rosters.ParticipantInput("职工丁", person_id(604))
    )
    people["职工丁"] = row
    return {
        "batch": batch,
        "second": second,
        "lodge": lodge,
        "scenic": scenic,
        "other": other,
        "people": people,
    }


def fall(trip: dict[str, Any], **changes: Any) -> IncidentInput:
    """职工甲 slipped on the wet steps of 寿昌宾馆 on the evening of 10 May."""
    values: dict[str, Any] = {
        "occurred_on": ARRIVAL,
        "kind": "injury",
        "severity": "moderate",
        "summary": "职工甲在宾馆台阶滑倒，左脚踝扭伤",
        "batch_id": trip["batch"].id,
        "base_id": trip["lodge"].id,
        "details": "晚饭后下雨，台阶湿滑。",
        "participant_ids": (trip["people"]["职工甲"].id,),
    }
    values.update(changes)
    return IncidentInput(**values)


def audit_trail(db: Database, incident_id: int) -> list[tuple[str, str, str | None, str | None]]:
    with db.session() as session:
        entries = session.exec(
            select(AuditEntry)
            .where(AuditEntry.table_name == "incident", AuditEntry.record_id == incident_id)
            .order_by(col(AuditEntry.id))
        ).all()
        return [(e.action, e.field, e.old, e.new) for e in entries]


def incident_count(db: Database) -> int:
    with db.session() as session:
        return int(session.exec(select(func.count()).select_from(Incident)).one())


def refused(error: type[DomainError], call: Any, *args: Any, **kwargs: Any) -> DomainError:
    with pytest.raises(error) as caught:
        call(*args, **kwargs)
    return caught.value


# -- an incident through its life ---------------------------------------------------------------------------------


def test_an_incident_through_its_life_with_its_audit_trail(db: Database, trip: dict[str, Any]) -> None:
    jia, yi = trip["people"]["职工甲"], trip["people"]["职工乙"]
    row = incidents.record_incident(db, fall(trip))
    assert (row.batch_code, row.partner, row.base, row.occurred_on) == (
        "L2021-0001",
        "宁波大学",
        "寿昌宾馆",
        ARRIVAL,
    )
    assert (row.kind, row.severity, row.open, row.serious, row.reported_by) == (
        "injury",
        "moderate",
        True,
        False,
        db.user,
    )
    assert row.people_text == f"职工甲（{masked(601)}）"
    assert row.label == "L2021-0001 · 寿昌宾馆 2021-05-10 受伤"
    assert audit_trail(db, row.id) == [
        ("create", "", None, None),
        ("update", "involved", None, f"职工甲（{masked(601)}）"),
    ]

    # edited: serious after the hospital's diagnosis, 职工乙 who helped her, what was done, a follow-up
    edited = incidents.update_incident(
        db,
        row.id,
        row.version,
        fall(
            trip,
            severity="serious",
            participant_ids=(jia.id, yi.id),
            action_taken="导游送医，县人民医院拍片：骨裂。",
            follow_up="回访伤情，协助保险理赔",
            follow_up_due=D(2021, 5, 20),
        ),
    )
    assert (edited.severity, edited.version, edited.follow_up_due) == ("serious", 2, D(2021, 5, 20))
    assert edited.people_text == f"职工甲（{masked(601)}）、职工乙（{masked(602)}）"
    assert audit_trail(db, row.id)[2:] == [
        ("update", "severity", "moderate", "serious"),
        ("update", "action_taken", "", "导游送医，县人民医院拍片：骨裂。"),
        ("update", "follow_up", "", "回访伤情，协助保险理赔"),
        ("update", "follow_up_due", None, "2021-05-20"),
        (
            "update",
            "involved",
            f"职工甲（{masked(601)}）",
            f"职工甲（{masked(601)}）、职工乙（{masked(602)}）",
        ),
    ]
    # a stale edit (the version read before) is refused, naming who saved first
    stale = refused(StaleEditError, incidents.update_incident, db, row.id, row.version, fall(trip))
    assert db.user in stale.message

    # closing needs an outcome; then it is closed on the day given, by the desk's user
    error = refused(ValidationError, incidents.close_incident, db, row.id, edited.version, on=D(2021, 5, 21))
    assert error.field == "outcome" and "还没有结果" in error.message and "L2021-0001" in error.message
    closed = incidents.close_incident(
        db, row.id, edited.version, outcome="伤者康复，保险已理赔 3,200 元。", on=D(2021, 5, 21)
    )
    assert (closed.open, closed.closed_on, closed.closed_by, closed.version) == (
        False,
        D(2021, 5, 21),
        db.user,
        3,
    )
    again = refused(RuleViolation, incidents.close_incident, db, row.id, closed.version, outcome="x")
    assert "已于 2021-05-21" in again.message

    # reopened with a reason (the outcome stays), then closed again with it
    error = refused(ValidationError, incidents.reopen_incident, db, row.id, closed.version, "  ")
    assert error.field == "reason"
    reopened = incidents.reopen_incident(db, row.id, closed.version, "伤者复查发现需手术，理赔未结")
    assert (reopened.open, reopened.closed_by, reopened.outcome) == (
        True,
        "",
        "伤者康复，保险已理赔 3,200 元。",
    )
    not_closed = refused(RuleViolation, incidents.reopen_incident, db, row.id, reopened.version, "再开")
    assert "没有结案" in not_closed.message
    final = incidents.close_incident(db, row.id, reopened.version, on=D(2021, 6, 30))
    assert (final.closed_on, final.version) == (D(2021, 6, 30), 5)
    assert audit_trail(db, row.id)[7:] == [
        ("update", "outcome", "", "伤者康复，保险已理赔 3,200 元。"),
        ("update", "closed_on", None, "2021-05-21"),
        ("update", "closed_by", "", db.user),
        ("update", "closed_on", "2021-05-21", None),
        ("update", "closed_by", db.user, ""),
        ("update", "reopen_reason", None, "伤者复查发现需手术，理赔未结"),
        ("update", "closed_on", None, "2021-06-30"),
        ("update", "closed_by", "", db.user),
    ]


def test_a_closed_incident_keeps_its_outcome_and_a_date_not_after_its_closing(
    db: Database, trip: dict[str, Any]
) -> None:
    row = incidents.record_incident(db, fall(trip))
    closed = incidents.close_incident(db, row.id, row.version, outcome="已康复", on=D(2021, 5, 11))
    error = refused(
        ValidationError, incidents.update_incident, db, row.id, closed.version, fall(trip, outcome="")
    )
    assert error.field == "outcome"
    error = refused(
        ValidationError,
        incidents.update_incident,
        db,
        row.id,
        closed.version,
        fall(trip, occurred_on=D(2021, 5, 12), outcome="已康复"),
    )
    assert error.field == "occurred_on" and "2021-05-11" in error.message
    fixed = incidents.update_incident(db, row.id, closed.version, fall(trip, outcome="已康复，无需后续"))
    assert (fixed.outcome, fixed.closed_on) == ("已康复，无需后续", D(2021, 5, 11))


# -- refusals ------------------------------------------------------------------------------------------------------


def test_refusals_name_the_field_and_write_nothing(db: Database, trip: dict[str, Any]) -> None:
    today = dt.date.today()
    cases: list[tuple[IncidentInput, str, str]] = [
        # a person of another batch (shown masked, never in full)
        (
            fall(trip, participant_ids=(trip["people"]["职工丁"].id,)),
            "participants",
            f"职工丁（{masked(604)}）不在批次 L2021-0001 的名单上",
        ),
        # a base the batch never went to: its bases are named
        (fall(trip, base_id=trip["other"].id), "base_id", "没有去过基地“新安江宾馆”"),
        (fall(trip, batch_id=None, base_id=None), "batch_id", "必须属于一个批次或一个基地"),
        (fall(trip, occurred_on=today + dt.timedelta(days=1)), "occurred_on", "在今天"),
        (
            fall(trip, occurred_on=D(2021, 4, 9)),
            "occurred_on",
            "早于批次 L2021-0001 到达（2021-05-10）前 30 天",
        ),
        (fall(trip, summary="  "), "summary", "事件概要为必填项"),
        (fall(trip, kind="fire"), "kind", "fire"),
        (fall(trip, follow_up_due=D(2021, 5, 20)), "follow_up", "没有写要跟进什么"),
        (
            fall(trip, follow_up="回访", follow_up_due=D(2021, 5, 9)),
            "follow_up_due",
            "早于事件日期 2021-05-10",
        ),
        (fall(trip, batch_id=None), "participants", "不能选择团员"),
        (fall(trip, summary="第一行\n第二行"), "summary", "U+000A"),
    ]
    for data, field, words in cases:
        error = refused(ValidationError, incidents.record_incident, db, data)
        assert (error.field, words in error.message) == (field, True), error.message
        assert person_id(604) not in error.message
    base_error = refused(ValidationError, incidents.record_incident, db, fall(trip, base_id=trip["other"].id))
    assert "（大慈岩景区、寿昌宾馆）" in base_error.message
    assert incident_count(db) == 0
    # the earliest day a batch's incident may have: 30 days before it arrives
    assert incidents.record_incident(db, fall(trip, occurred_on=D(2021, 4, 10))).occurred_on == D(2021, 4, 10)
    # a base alone (no batch) may be any day from 2000 on
    alone = incidents.record_incident(
        db, fall(trip, batch_id=None, participant_ids=(), occurred_on=D(2020, 3, 1), kind="complaint")
    )
    assert (alone.batch_code, alone.base, alone.where) == ("", "寿昌宾馆", "基地“寿昌宾馆”")


def test_closing_before_it_happened_or_in_the_future_is_refused(db: Database, trip: dict[str, Any]) -> None:
    row = incidents.record_incident(db, fall(trip, outcome="已处理"))
    error = refused(ValidationError, incidents.close_incident, db, row.id, row.version, on=D(2021, 5, 9))
    assert error.field == "closed_on" and "2021-05-09 早于事件日期 2021-05-10" in error.message
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    error = refused(ValidationError, incidents.close_incident, db, row.id, row.version, on=tomorrow)
    assert error.field == "closed_on"
    assert incidents.get_incident(db, row.id).open
    # the outcome typed at recording is enough to close it
    closed = incidents.close_incident(db, row.id, row.version, on=ARRIVAL)
    assert (closed.closed_on, closed.outcome) == (ARRIVAL, "已处理")


def test_an_incident_of_an_unknown_number_is_named(db: Database, trip: dict[str, Any]) -> None:
    error = refused(NotFoundError, incidents.close_incident, db, 999, 1, outcome="x")
    assert "没有编号为 999 的事件" in error.message


# -- deleting ----------------------------------------------------------------------------------------------------


def test_only_the_recorder_deletes_an_open_incident_with_a_reason(db: Database, trip: dict[str, Any]) -> None:
    row = incidents.record_incident(db, fall(trip))
    recorder = db.user
    db.user = "王会计"
    try:
        error = refused(RuleViolation, incidents.delete_incident, db, row.id, row.version, "录错了")
        assert f"是 {recorder} 登记的" in error.message
    finally:
        db.user = recorder
    error = refused(ValidationError, incidents.delete_incident, db, row.id, row.version, "")
    assert error.field == "reason"
    closed = incidents.close_incident(db, row.id, row.version, outcome="已处理", on=ARRIVAL)
    error = refused(RuleViolation, incidents.delete_incident, db, row.id, closed.version, "录错了")
    assert "已结案，不能删除" in error.message
    reopened = incidents.reopen_incident(db, row.id, closed.version, "误登记，应删除")
    incidents.delete_incident(db, row.id, reopened.version, "重复登记（与另一条相同）")
    assert incident_count(db) == 0
    with db.session() as session:
        assert session.exec(select(func.count()).select_from(IncidentPerson)).one() == 0
    assert audit_trail(db, row.id)[-1] == (
        "delete",
        "delete_reason",
        f"职工甲在宾馆台阶滑倒，左脚踝扭伤（职工甲（{masked(601)}））",
        "重复登记（与另一条相同）",
    )


# -- masking --------------------------------------------------------------------------------------------------------


def test_people_are_never_shown_unmasked(db: Database, trip: dict[str, Any]) -> None:
    people = trip["people"]
    incidents.record_incident(
        db,
        fall(
            trip,
            participant_ids=(people["职工甲"].id, people["家属丙"].id),
            others="司机王师傅，电话 13905710000",
        ),
    )
    (row,) = incidents.list_incidents(db, year=2021)
    text = json.dumps(row.to_json(), ensure_ascii=False)
    for n in (601, 602, 603):
        assert person_id(n) not in text
    assert [p["id_number"] for p in row.to_json()["people"]] == [masked(601), masked(603)]
    assert row.to_json()["others"] == "司机王师傅，电话 139****0000"
    found = incidents.batch_incidents(db, trip["batch"].id)
    assert [(p.name, p.masked_id, p.companion) for p in found.people] == [
        ("职工甲", masked(601), False),
        ("职工乙", masked(602), False),
        ("家属丙", masked(603), True),
    ]
    assert [name for _id, name in found.bases] == ["大慈岩景区", "寿昌宾馆"]
    messages.set_language("en")
    try:
        assert row.people[0].shown == f"职工甲 ({masked(601)})"
    finally:
        messages.set_language("zh")


# -- listing and counting -----------------------------------------------------------------------------------------


def _several(db: Database, trip: dict[str, Any]) -> list[incidents.IncidentRow]:
    """At 寿昌宾馆 in 2021: an injury (serious, open), an injury (serious, closed), a complaint (minor); at
    大慈岩景区 a transport delay (moderate); L2021-0002 lost property without a base (it lodged nowhere: no base's);
    寿昌宾馆 in 2020 a complaint; L2021-0001 an illness naming no base on its last day, 12 May (no lodging that
    night, so the night before's base: 寿昌宾馆)."""
    lodge, scenic = trip["lodge"].id, trip["scenic"].id
    rows = [
        incidents.record_incident(db, fall(trip, severity="serious")),
        incidents.record_incident(db, fall(trip, severity="serious", occurred_on=D(2021, 5, 11))),
        incidents.record_incident(
            db, fall(trip, kind="complaint", severity="minor", summary="房间空调噪音大", participant_ids=())
        ),
        incidents.record_incident(
            db,
            fall(
                trip,
                kind="transport_delay",
                severity="moderate",
                summary="景区接驳车晚到 50 分钟",
                base_id=scenic,
                participant_ids=(),
                occurred_on=D(2021, 5, 11),
            ),
        ),
        incidents.record_incident(
            db,
            fall(
                trip,
                kind="lost_property",
                severity="minor",
                summary="职工丁遗失手机",
                batch_id=trip["second"].id,
                base_id=None,
                participant_ids=(trip["people"]["职工丁"].id,),
                occurred_on=D(2021, 4, 7),
            ),
        ),
        incidents.record_incident(
            db,
            fall(
                trip,
                kind="complaint",
                severity="minor",
                batch_id=None,
                base_id=lodge,
                participant_ids=(),
                occurred_on=D(2020, 11, 2),
                summary="会议室投影仪故障",
            ),
        ),
        incidents.record_incident(
            db,
            fall(
                trip,
                kind="illness",
                severity="minor",
                base_id=None,
                occurred_on=D(2021, 5, 12),
                summary="发烧",
            ),
        ),
    ]
    incidents.close_incident(db, rows[1].id, rows[1].version, outcome="已康复", on=D(2021, 5, 15))
    return rows


def test_counts_per_base_and_year_by_hand(db: Database, trip: dict[str, Any]) -> None:
    rows = _several(db, trip)
    lodge, scenic = trip["lodge"].id, trip["scenic"].id
    assert incidents.incident_counts(db, lodge, 2021) == {
        ("injury", "serious"): 2,
        ("complaint", "minor"): 1,
        ("illness", "minor"): 1,
    }
    assert incidents.incident_counts(db, lodge, 2020) == {("complaint", "minor"): 1}
    assert incidents.incident_counts(db, scenic, 2021) == {("transport_delay", "moderate"): 1}
    assert incidents.incident_counts(db, trip["other"].id, 2021) == {}
    assert incidents.counts_by_base(db, 2021) == {
        lodge: {("injury", "serious"): 2, ("complaint", "minor"): 1, ("illness", "minor"): 1},
        scenic: {("transport_delay", "moderate"): 1},
    }
    (still_open,) = incidents.open_serious(db, lodge, on=D(2021, 6, 1))
    assert (still_open.occurred_on, still_open.summary) == (ARRIVAL, "职工甲在宾馆台阶滑倒，左脚踝扭伤")
    # as of 12 May the second injury (closed on the 15th) was open too
    assert [r.occurred_on for r in incidents.open_serious(db, lodge, on=D(2021, 5, 12))] == [
        ARRIVAL,
        D(2021, 5, 11),
    ]
    assert incidents.open_serious(db, scenic, on=D(2021, 6, 1)) == []
    # a serious illness of L2021-0001 naming no base, on 11 May: the night's base, 寿昌宾馆, counts it
    unnamed = incidents.record_incident(
        db,
        fall(
            trip, kind="illness", severity="serious", base_id=None, occurred_on=D(2021, 5, 11), summary="高烧"
        ),
    )
    assert [r.id for r in incidents.open_serious(db, lodge, on=D(2021, 6, 1))] == [rows[0].id, unnamed.id]
    assert incidents.incident_counts(db, lodge, 2021)[("illness", "serious")] == 1


def test_lists_filter_by_year_batch_base_kind_severity_and_open(db: Database, trip: dict[str, Any]) -> None:
    rows = _several(db, trip)
    ids = {r.id: n for n, r in enumerate(rows)}

    def listed(**filters: Any) -> list[int]:
        return [ids[r.id] for r in incidents.list_incidents(db, **filters)]

    assert listed() == [6, 3, 1, 2, 0, 4, 5]  # newest first, then the later record first
    assert listed(year=2020) == [5]
    assert listed(batch_id=trip["batch"].id) == [6, 3, 1, 2, 0]
    assert listed(base_id=trip["lodge"].id, year=2021) == [1, 2, 0]  # those naming it
    assert listed(kind="injury") == [1, 0]
    assert listed(severity="serious", open_only=True) == [0]
    assert listed(open_only=True, year=2021) == [6, 3, 2, 0, 4]


# -- alerts -----------------------------------------------------------------------------------------------------


def alerts_of(db: Database, day: dt.date, rule: str) -> list[Any]:
    return [a for a in collect_alerts(db, day) if a.rule == rule]


def test_a_serious_incident_is_a_severe_alert_until_closed(db: Database, trip: dict[str, Any]) -> None:
    row = incidents.record_incident(
        db, fall(trip, severity="serious", follow_up="回访伤情", follow_up_due=D(2021, 5, 20))
    )
    (alert,) = alerts_of(db, D(2021, 5, 22), "incident_open")
    assert (alert.table, alert.key, alert.subject, alert.day, alert.severe, alert.category) == (
        "batch",
        trip["batch"].id,
        "L2021-0001",
        ARRIVAL,
        True,
        "incident",
    )
    assert alert.message == (
        "批次 L2021-0001（宁波大学）在“寿昌宾馆”2021年5月10日发生的严重事件（受伤）“职工甲在宾馆台阶滑倒，左脚踝扭伤”"
        f"已 12 天未结案；跟进期限 2021年5月20日 已过。请记录处置和结果后结案（事件 {row.id}）。"
    )
    assert alert.numbers == {"incident": row.id, "days_open": 12, "overdue_days": 2}
    # a serious one's overdue follow-up is in its own alert, not a second one
    assert alerts_of(db, D(2021, 5, 22), "incident_follow_up") == []
    today_alert = alerts_of(db, ARRIVAL, "incident_open")[0]
    assert "今天发生，尚未结案" in today_alert.message and "跟进期限" not in today_alert.message
    assert alerts_of(db, ARRIVAL - dt.timedelta(days=1), "incident_open") == []  # not happened yet

    closed = incidents.close_incident(db, row.id, row.version, outcome="已康复", on=D(2021, 5, 25))
    assert alerts_of(db, D(2021, 5, 25), "incident_open") == []
    assert len(alerts_of(db, D(2021, 5, 24), "incident_open")) == 1  # as of the day before it was closed
    incidents.reopen_incident(db, row.id, closed.version, "理赔未结")
    assert len(alerts_of(db, dt.date.today(), "incident_open")) == 1
    messages.set_language("en")
    try:
        (alert,) = alerts_of(db, D(2021, 5, 22), "incident_open")
        assert alert.message.startswith(
            "Batch L2021-0001 (宁波大学) at “寿昌宾馆”: a serious incident (Injury)"
        )
        assert "has been open for 12 days; its follow-up was due on 2021-05-20" in alert.message
    finally:
        messages.set_language("zh")


def test_a_base_alone_opens_the_base_and_an_overdue_follow_up_is_a_mild_alert(
    db: Database, trip: dict[str, Any]
) -> None:
    lodge = trip["lodge"]
    serious = incidents.record_incident(
        db,
        fall(trip, batch_id=None, participant_ids=(), severity="serious", summary="厨房燃气泄漏，疏散客人"),
    )
    (alert,) = alerts_of(db, D(2021, 5, 11), "incident_open")
    assert (alert.table, alert.key, alert.subject) == ("base", lodge.id, "寿昌宾馆")
    assert alert.message.startswith("基地“寿昌宾馆”2021年5月10日发生的严重事件（受伤）")
    incidents.close_incident(db, serious.id, serious.version, outcome="燃气公司检修完毕", on=D(2021, 5, 10))

    minor = incidents.record_incident(
        db,
        fall(
            trip,
            kind="complaint",
            severity="minor",
            participant_ids=(),
            summary="退房结账慢",
            follow_up="向基地反馈并回复领队",
            follow_up_due=D(2021, 5, 15),
        ),
    )
    assert alerts_of(db, D(2021, 5, 15), "incident_follow_up") == []  # due that day: not overdue yet
    (alert,) = alerts_of(db, D(2021, 5, 18), "incident_follow_up")
    assert (alert.table, alert.key, alert.day, alert.severe) == (
        "batch",
        trip["batch"].id,
        D(2021, 5, 15),
        False,
    )
    assert "后续跟进期限 2021年5月15日 已过 3 天：向基地反馈并回复领队" in alert.message
    assert alert.numbers == {"incident": minor.id, "days_open": 8, "overdue_days": 3}
    incidents.close_incident(db, minor.id, minor.version, outcome="基地已改进，已回复领队", on=D(2021, 5, 16))
    assert alerts_of(db, D(2021, 5, 18), "incident_follow_up") == []


def test_the_row_read_back_is_the_input(db: Database, trip: dict[str, Any]) -> None:
    data = fall(trip, follow_up="回访", follow_up_due=D(2021, 5, 20), reported_by="导游邵芳")
    row = incidents.record_incident(db, data)
    assert row.as_input() == replace(data, reported_by="导游邵芳")
    assert row.reported_by == "导游邵芳"


def test_an_edit_keeps_the_base_it_was_recorded_with(db: Database, trip: dict[str, Any]) -> None:
    """The batch stops going to 大慈岩景区 after the incident there was recorded: the incident is still edited as it
    is, but cannot be moved to another base the batch never went to.  A person moved to another batch leaves the
    roster (a move writes a new participant), and with it the incident: a form still naming them is refused."""
    from recuperation.services.batch import edit

    yi = trip["people"]["职工乙"]
    row = incidents.record_incident(
        db,
        fall(
            trip,
            kind="transport_delay",
            base_id=trip["scenic"].id,
            summary="景区接驳车晚到 50 分钟",
            participant_ids=(yi.id,),
        ),
    )
    batch = trip["batch"]
    lodging = tuple(
        batches.LodgingInput(trip["lodge"].id, ARRIVAL + dt.timedelta(days=n), 3) for n in range(2)
    )
    edit.update_batch(
        db,
        batch.id,
        batch.version,
        batches.BatchInput(
            batch.partner_id,
            ARRIVAL,
            DEPARTURE,
            3,
            lodging=lodging,
            itinerary=(RouteItemInput(1, "入住", kind="lodging", base_id=trip["lodge"].id),),
        ),
    )
    assert [name for _id, name in incidents.batch_bases(db, batch.id)] == ["寿昌宾馆"]
    changed = incidents.update_incident(db, row.id, row.version, replace(row.as_input(), severity="serious"))
    assert (changed.base, changed.severity) == ("大慈岩景区", "serious")
    error = refused(
        ValidationError,
        incidents.update_incident,
        db,
        row.id,
        changed.version,
        replace(changed.as_input(), base_id=trip["other"].id),
    )
    assert error.field == "base_id" and "（寿昌宾馆）" in error.message

    later = batches.create_batch(db, batches.BatchInput(batch.partner_id, D(2021, 6, 7), D(2021, 6, 9), 1))
    roster_moves.move_people(db, [yi.id], later.id, "改到六月的批次")
    assert incidents.get_incident(db, row.id).people == ()
    error = refused(
        ValidationError, incidents.update_incident, db, row.id, changed.version, changed.as_input()
    )
    assert error.field == "participants" and "已不在任何名单上" in error.message


def test_two_desks_closing_at_once_close_it_once(db: Database, trip: dict[str, Any]) -> None:
    """Both desks read version 1; the second to close is told who closed it first, and nothing changes."""
    from recuperation.storage.database import open_database

    row = incidents.record_incident(db, fall(trip, outcome="已处理"))
    other = open_database(db.url, user="王会计")
    try:
        incidents.close_incident(other, row.id, row.version, on=D(2021, 5, 11))
        stale = refused(StaleEditError, incidents.close_incident, db, row.id, row.version, on=D(2021, 5, 12))
        assert "王会计" in stale.message
    finally:
        other.close()
    closed = incidents.get_incident(db, row.id)
    assert (closed.closed_on, closed.closed_by, closed.version) == (D(2021, 5, 11), "王会计", 2)
