"""``incident add|list|close|reopen|delete``: the fall at 寿昌宾馆 of tests/test_incidents.py recorded, listed,
closed, reopened and closed again from the command line; kinds and severities typed as codes or labels; people
named by ID digits or name and printed masked; every refusal names the field, writes nothing and exits 1."""

from __future__ import annotations

import json
from typing import Any

import pytest

from recuperation.cli import main
from recuperation.cli_incident import read_code
from recuperation.models import AuditEntry, Incident, IncidentPerson, table_of
from recuperation.services import incidents
from recuperation.storage.database import Database
from recuperation.transfer import table_checksum
from tests.factories import person_id
from tests.test_incidents import masked, trip  # noqa: F401  (the fixture)

FULL_IDS = [person_id(n) for n in (601, 602, 603, 604)]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    for number in FULL_IDS:  # whatever the command, never a full ID number
        assert number not in out and number not in err
    return code, out, err


def state(db: Database) -> tuple[object, ...]:
    with db.engine.connect() as conn:
        return tuple(table_checksum(conn, table_of(m)) for m in (Incident, IncidentPerson, AuditEntry))


def test_an_incident_through_its_life_on_the_command_line(db: Database, trip: dict[str, Any], capsys) -> None:  # noqa: F811
    at = ("--db", db.url, "incident")
    code, out, err = run(
        capsys,
        *at,
        "add",
        "L2021-0001",
        "--base",
        "寿昌宾馆",
        "--kind",
        "受伤",
        "--severity",
        "严重",
        "--date",
        "2021-05-10",
        "--summary",
        "职工甲在宾馆台阶滑倒，左脚踝扭伤",
        "--person",
        person_id(601)[-6:],  # the last six characters of the ID number
        "--person",
        "职工乙",
        "--others",
        "司机王师傅 13905710000",
        "--follow-up",
        "回访伤情",
        "--due",
        "2021-05-20",
        "--json",
    )
    assert code == 0, err
    row = json.loads(out)
    assert (row["batch"], row["base"], row["kind"], row["severity"], row["open"]) == (
        "L2021-0001",
        "寿昌宾馆",
        "injury",
        "serious",
        True,
    )
    assert [(p["name"], p["id_number"]) for p in row["people"]] == [
        ("职工甲", masked(601)),
        ("职工乙", masked(602)),
    ]
    assert row["others"] == "司机王师傅 139****0000"
    number = row["id"]
    assert err.strip() == (
        f"已登记事件 #{number}：批次 L2021-0001（宁波大学）在“寿昌宾馆”，2021-05-10，受伤（严重）：职工甲在宾馆台阶滑倒，左脚踝扭伤。"
    )

    code, out, err = run(capsys, *at, "list", "--year", "2021")
    assert code == 0 and out.splitlines() == [
        "编号\t发生日期\t批次\t基地\t类型\t严重程度\t状态\t概要\t涉及人员\t跟进期限",
        f"{number}\t2021-05-10\tL2021-0001\t寿昌宾馆\t受伤\t严重\t未结案\t职工甲在宾馆台阶滑倒，左脚踝扭伤\t"
        f"职工甲（{masked(601)}）、职工乙（{masked(602)}）\t2021-05-20",
    ]
    assert err.strip() == "1 个事件，其中未结案 1 个（严重 1 个）。"

    # the alert is severe: `alerts` exits 3 and names the incident
    code, out, _err = run(capsys, "--db", db.url, "alerts", "--date", "2021-05-22", "--json")
    found = [a for a in json.loads(out) if a["rule"] == "incident_open"]
    assert code == 3 and len(found) == 1 and found[0]["numbers"]["incident"] == number

    # closing without an outcome is refused and writes nothing
    before = state(db)
    code, out, err = run(capsys, *at, "close", str(number), "--date", "2021-05-21")
    assert (code, out) == (1, "") and "还没有结果" in err and state(db) == before
    code, out, err = run(
        capsys, *at, "close", f"#{number}", "--outcome", "伤者康复，已理赔", "--date", "2021-05-21"
    )
    assert code == 0 and err.strip().startswith(f"事件 #{number} 已结案（2021-05-21）")
    code, out, err = run(capsys, *at, "list", "--open")
    assert code == 0 and len(out.splitlines()) == 1 and "0 个事件" in err
    # the batch written first, as `incident add` takes it, or with --batch
    for batch in (["L2021-0001"], ["--batch", "L2021-0001"]):
        code, out, _err = run(capsys, *at, "list", *batch)
        assert code == 0 and len(out.splitlines()) == 2 and "L2021-0001" in out.splitlines()[1]
    code, out, err = run(capsys, *at, "reopen", str(number), "--reason", "复查需手术", "--json")
    assert code == 0 and json.loads(out)["open"] is True and f"事件 #{number} 已重新打开" in err
    code, out, err = run(capsys, *at, "close", str(number), "--json")  # the outcome on file is enough
    closed = json.loads(out)
    assert code == 0 and (closed["outcome"], closed["open"], closed["version"]) == (
        "伤者康复，已理赔",
        False,
        4,
    )

    # a closed incident is not deleted
    before = state(db)
    code, _out, err = run(capsys, *at, "delete", str(number), "--reason", "录错了")
    assert code == 1 and "已结案，不能删除" in err and state(db) == before


def test_refusals_name_the_field_write_nothing_and_exit_1(db: Database, trip: dict[str, Any], capsys) -> None:  # noqa: F811
    at = ("--db", db.url, "incident", "add")
    common = ("--kind", "injury", "--severity", "minor", "--date", "2021-05-10", "--summary", "扭伤")
    before = state(db)
    for args, words in (
        (("L2021-0001", "--person", "职工丁"), "批次 L2021-0001 的名单上没有“职工丁”"),
        (("L2021-0001", "--person", person_id(604)), "批次 L2021-0001 的名单上没有"),
        (("L2021-0001", "--base", "新安江宾馆"), "没有去过基地“新安江宾馆”"),
        (("L2099-0001",), "没有批次 L2099-0001"),
        (("L2021-0001", "--base", "不存在的宾馆"), "没有名为“不存在的宾馆”的基地"),
        (("--base", "寿昌宾馆", "--person", "职工甲"), "不能选择团员"),
        (("L2021-0001", "--due", "2021-05-20"), "没有写要跟进什么"),
        ((), "必须属于一个批次或一个基地"),
        (("L2021-0001", "--date", "2021-03-01"), "早于批次 L2021-0001 到达"),
    ):
        code, out, err = run(capsys, *at, *common, *args)
        assert (code, out, words in err) == (1, "", True), err
    assert state(db) == before
    # a kind nobody knows is a usage error (2), with the kinds to choose from
    code, _out, err = run(capsys, *at, "L2021-0001", *common, "--kind", "fire")
    assert code == 2 and "事件类型“fire”不认识" in err and "injury（受伤）、illness（疾病）" in err
    code, _out, err = run(capsys, "--db", db.url, "incident", "close", "999", "--outcome", "x")
    assert code == 1 and "没有编号为 999 的事件" in err
    assert state(db) == before


def test_a_person_matched_twice_is_asked_for_by_id_number(db: Database, trip: dict[str, Any], capsys) -> None:  # noqa: F811
    from recuperation.services.batch import rosters

    rosters.add_participant(db, trip["batch"].id, rosters.ParticipantInput("职工甲", person_id(611)))
    add = ("--db", db.url, "incident", "add", "L2021-0001", "--kind", "illness", "--severity", "minor")
    add += ("--date", "2021-05-11", "--summary", "发烧")
    before = state(db)
    code, _out, err = run(capsys, *add, "--person", "职工甲")
    assert code == 1 and err.strip() == (
        f"recuperation: 批次 L2021-0001 的名单上有 2 人符合“职工甲”：职工甲 {masked(601)}、职工甲 {masked(611)}。"
        "请写完整的身份证号。"
    )
    assert person_id(611) not in err and state(db) == before
    code, out, err = run(capsys, *add, "--person", person_id(611), "--json")
    assert code == 0 and [p["id_number"] for p in json.loads(out)["people"]] == [masked(611)]


def test_kinds_and_severities_are_read_as_codes_or_labels() -> None:
    assert read_code("incident_kind", "受伤") == "injury"
    assert read_code("incident_kind", "Lost property") == "lost_property"
    assert read_code("incident_kind", " transport_delay ") == "transport_delay"
    assert read_code("severity", "严重") == "serious"
    assert read_code("severity", "Serious") == "serious"
    assert read_code("severity", "很严重") is None


def test_messages_follow_the_language(db: Database, trip: dict[str, Any], capsys) -> None:  # noqa: F811
    code, _out, err = run(
        capsys,
        "--lang",
        "en",
        "--db",
        db.url,
        "incident",
        "add",
        "L2021-0001",
        "--kind",
        "complaint",
        "--severity",
        "minor",
        "--date",
        "2021-05-11",
        "--summary",
        "noisy air conditioning",
        "--base",
        "新安江宾馆",
    )
    assert code == 1 and err.strip() == (
        "recuperation: Batch L2021-0001 did not go to “新安江宾馆” (no lodging, meals or activities there): choose "
        "one of the batch's bases (大慈岩景区, 寿昌宾馆), or no base."
    )
    code, _out, err = run(capsys, "--lang", "en", "--db", db.url, "incident", "list", "--kind", "fire")
    assert code == 2 and "injury (Injury), illness (Illness)" in err
    incidents.record_incident(
        db,
        incidents.IncidentInput(
            occurred_on=trip["batch"].arrival,
            kind="complaint",
            severity="minor",
            summary="噪音",
            batch_id=trip["batch"].id,
        ),
    )
    code, out, err = run(capsys, "--lang", "en", "--db", db.url, "incident", "list")
    assert code == 0 and out.splitlines()[0].startswith("number\tdate\tbatch\tbase\tkind")
    assert "\tComplaint\tMinor\topen\t" in out.splitlines()[1]
    assert err.strip() == "1 incident; open: 1, of which serious: 0."
