"""The command line of issue 21: substitutions, moves, companions, the waiting list, the roll call, the sheet."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from recuperation.cli import main
from recuperation.people import mask_id
from recuperation.services.batch import attendance, batches, roster_moves, rosters
from recuperation.storage.database import Database, open_database
from tests.factories import partner, person_id

D = dt.date
MAY, JUNE = "L2021-0001", "L2021-0002"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def desk(db_path: Path) -> str:
    """Two batches of one partner; three people on the May roster."""
    db = open_database(db_path)
    p = partner(db)
    for code, arrival in ((MAY, D(2021, 5, 10)), (JUNE, D(2021, 6, 10))):
        batches.create_batch(
            db, batches.BatchInput(p.id, arrival, arrival + dt.timedelta(days=2), 3, code=code)
        )
    may = batches.find_batch(db, MAY)
    assert may is not None
    for n in (1, 2, 3):
        rosters.add_participant(db, may.id, rosters.ParticipantInput(f"职工{n}", person_id(n)))
    db.close()
    return str(db_path)


def _names(path: str, code: str) -> list[str]:
    db = open_database(path)
    try:
        batch = batches.find_batch(db, code)
        assert batch is not None
        return [p.name for p in rosters.list_participants(db, batch.id)]
    finally:
        db.close()


def _open(path: str) -> Database:
    return open_database(path)


def test_substitute_by_id_and_by_a_one_row_file(desk: str, tmp_path: Path, capsys) -> None:
    last4 = person_id(1)[-4:]
    code, _out, err = run(
        capsys,
        "--db",
        desk,
        "roster",
        "substitute",
        MAY,
        last4,
        person_id(7),
        "--name",
        "李新",
        "--reason",
        "因病",
    )
    assert code == 0 and "李新" in err and "替换了 职工1" in err and person_id(7) not in err
    assert sorted(_names(desk, MAY)) == ["李新", "职工2", "职工3"]
    roster = tmp_path / "new.csv"
    roster.write_text(f"姓名,身份证号,单位\n周全,{person_id(8)},建德市人民医院\n", encoding="utf-8")
    code, _out, err = run(
        capsys, "--db", desk, "roster", "substitute", MAY, person_id(2), str(roster), "--reason", "出差"
    )
    assert code == 0 and "周全" in err
    assert sorted(_names(desk, MAY)) == ["周全", "李新", "职工3"]
    db = _open(desk)
    try:
        history = roster_moves.roster_history(db, batches.find_batch(db, MAY).id)  # type: ignore[union-attr]
    finally:
        db.close()
    assert [(e.kind, e.name, e.other_name) for e in history] == [
        ("substitute", "周全", "职工2"),
        ("substitute", "李新", "职工1"),
    ]


def test_substitute_refusals_and_usage_errors(desk: str, tmp_path: Path, capsys) -> None:
    # an ID number without --name: bad usage
    code, _out, err = run(
        capsys, "--db", desk, "roster", "substitute", MAY, person_id(3), person_id(7), "--reason", "x"
    )
    assert code == 2 and "--name" in err
    # no --reason at all: bad usage; an empty one: refused by the rule
    code, _out, err = run(
        capsys, "--db", desk, "roster", "substitute", MAY, person_id(3), person_id(7), "--name", "李"
    )
    assert code == 2 and "--reason" in err
    code, _out, err = run(
        capsys,
        "--db",
        desk,
        "roster",
        "substitute",
        MAY,
        person_id(3),
        person_id(7),
        "--name",
        "李新",
        "--reason",
        "",
    )
    assert code == 1 and "请填写原因" in err
    # nobody has these digits; a name is not an ID
    code, _out, err = run(
        capsys,
        "--db",
        desk,
        "roster",
        "substitute",
        MAY,
        "9999",
        person_id(7),
        "--name",
        "李新",
        "--reason",
        "x",
    )
    assert code == 1 and "没有身份证号为 9999 的人" in err
    code, _out, err = run(
        capsys,
        "--db",
        desk,
        "roster",
        "substitute",
        MAY,
        "职工3",
        person_id(7),
        "--name",
        "李新",
        "--reason",
        "x",
    )
    assert code == 2 and "不是身份证号" in err
    two = tmp_path / "two.csv"
    two.write_text(f"姓名,身份证号\n甲,{person_id(8)}\n乙,{person_id(9)}\n", encoding="utf-8")
    code, _out, err = run(
        capsys, "--db", desk, "roster", "substitute", MAY, person_id(3), str(two), "--reason", "x"
    )
    assert code == 1 and "应只写一个人" in err
    assert sorted(_names(desk, MAY)) == ["职工1", "职工2", "职工3"]
    code, _out, err = run(
        capsys,
        "--db",
        desk,
        "roster",
        "substitute",
        "L1999-0001",
        "1234",
        person_id(7),
        "--name",
        "李新",
        "--reason",
        "x",
    )
    assert code == 1 and "找不到编号为 L1999-0001 的批次" in err


def test_ambiguous_last_digits_are_refused_naming_who(db_path: Path, capsys) -> None:
    db = open_database(db_path)
    p = partner(db)
    batch = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 10), D(2021, 5, 12), 2, code=MAY))
    a = person_id(5, birth="19800101")
    b = next(  # another person whose number ends in the same four characters
        n for day in range(1, 29) if (n := person_id(5, birth=f"199001{day:02d}"))[-4:] == a[-4:]
    )
    rosters.add_participant(db, batch.id, rosters.ParticipantInput("甲", a))
    rosters.add_participant(db, batch.id, rosters.ParticipantInput("乙", b))
    db.close()
    code, _out, err = run(capsys, "--db", str(db_path), "roster", "companion", MAY, a[-4:], "yes")
    assert code == 1 and "2 人的身份证号以" in err and mask_id(a) in err and mask_id(b) in err


def test_move_and_companion(desk: str, capsys) -> None:
    code, _out, err = run(
        capsys,
        "--db",
        desk,
        "roster",
        "move",
        MAY,
        JUNE,
        person_id(1)[-4:],
        person_id(2),
        "--reason",
        "改到 6 月",
    )
    assert code == 0 and f"2 人从 {MAY} 转到 {JUNE}" in err
    assert _names(desk, MAY) == ["职工3"] and sorted(_names(desk, JUNE)) == ["职工1", "职工2"]
    code, _out, err = run(capsys, "--db", desk, "roster", "move", MAY, MAY, person_id(3), "--reason", "x")
    assert code == 1 and "已经在批次" in err
    code, _out, err = run(capsys, "--db", desk, "roster", "companion", MAY, person_id(3), "yes")
    assert code == 0 and "记为随行家属" in err
    code, _out, err = run(capsys, "--db", desk, "roster", "companion", MAY, person_id(3), "maybe")
    assert code == 2 and "yes 或 no" in err
    code, _out, err = run(
        capsys, "--db", desk, "--lang", "en", "roster", "companion", MAY, person_id(3), "no"
    )
    assert code == 0 and "no longer a companion" in err


def test_the_waiting_list(desk: str, capsys) -> None:
    for n, name in ((21, "甲"), (22, "乙")):
        code, _out, err = run(
            capsys, "--db", desk, "waitlist", "add", MAY, "--name", name, "--id", person_id(n)
        )
        assert code == 0 and f"排第 {n - 20} 位" in err
    code, _out, err = run(capsys, "--db", desk, "waitlist", "add", MAY, "--name", "甲", "--id", person_id(21))
    assert code == 1 and "已在批次" in err
    code, _out, err = run(capsys, "--db", desk, "waitlist", "add", MAY, "--name", "丙", "--id", "12345")
    assert code == 1
    code, out, _err = run(capsys, "--db", desk, "waitlist", "list", MAY, "--json")
    listed = json.loads(out)
    assert [(w["position"], w["name"], w["state"]) for w in listed] == [
        (1, "甲", "waiting"),
        (2, "乙", "waiting"),
    ]
    assert listed[0]["id_number"] == mask_id(person_id(21)) and person_id(21) not in out
    # passing the first over needs a reason
    code, _out, err = run(capsys, "--db", desk, "waitlist", "promote", MAY, person_id(22)[-4:])
    assert code == 1 and "需要填写原因" in err
    code, _out, err = run(
        capsys,
        "--db",
        desk,
        "waitlist",
        "promote",
        MAY,
        person_id(22)[-4:],
        "--reason",
        "甲联系不上",
        "--replacing",
        person_id(1),
    )
    assert code == 0 and "乙" in err and "进入批次" in err
    assert sorted(_names(desk, MAY)) == ["乙", "职工2", "职工3"]
    code, out, err = run(capsys, "--db", desk, "waitlist", "list", MAY)
    assert code == 0 and "候补 1 人" in err and out.splitlines()[0].startswith("1\t甲")
    code, _out, err = run(capsys, "--db", desk, "waitlist", "promote", MAY, person_id(22))
    assert code == 1 and "候补中没有" in err


def test_rollcall_import_close_and_json(desk: str, tmp_path: Path, capsys) -> None:
    sheet = tmp_path / "rollcall.csv"
    sheet.write_text(
        "姓名,身份证号,报到,离开日期\n"
        f"职工1,{mask_id(person_id(1))},已报到,\n"
        f"职工2,{person_id(2)[-4:]},提前离开,5/11\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--db", desk, "rollcall", "import", MAY, str(sheet), "--dry-run", "--json")
    report = json.loads(out)
    assert code == 0 and report["written"] is False and report["attended"] == 1 and report["left_early"] == 1
    assert "只检查" in err
    code, out, err = run(capsys, "--db", desk, "rollcall", "import", MAY, str(sheet))
    assert code == 0 and out == "" and "已报到 1，未到 0，提前离开 1" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,报到,离开日期\n职工3,提前离开,2021-06-01\n无名,已报到,\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", desk, "rollcall", "import", MAY, str(bad), "--json")
    report = json.loads(out)
    assert code == 1 and report["written"] is False and [e["row"] for e in report["errors"]] == [2, 3]
    assert "没有登记任何报到情况" in report["refused"]
    code, out, err = run(capsys, "--db", desk, "rollcall", "import", MAY, str(bad))
    assert code == 1 and out.startswith("2\tleft_on\t错误\t") and "没有登记任何报到情况" in err
    code, out, _err = run(
        capsys, "--db", desk, "rollcall", "import", MAY, str(tmp_path / "none.csv"), "--json"
    )
    assert code == 1 and json.loads(out)["written"] is False
    code, _out, err = run(capsys, "--db", desk, "rollcall", "close", MAY, "--on", "2021-05-01")
    assert code == 1 and "还不能关闭" in err
    code, _out, err = run(capsys, "--db", desk, "rollcall", "close", MAY, "--on", "2021-05-12")
    assert code == 0 and "1 名未登记的人记为未到" in err
    code, _out, err = run(capsys, "--db", desk, "rollcall", "close", MAY, "--on", "not-a-day")
    assert code == 2
    db = _open(desk)
    try:
        marks = [(p.name, p.attendance) for p in attendance.roll_call(db, batches.find_batch(db, MAY).id)]  # type: ignore[union-attr]
    finally:
        db.close()
    assert marks == [("职工1", "attended"), ("职工2", "left_early"), ("职工3", "no_show")]
    # closed: the roster takes no more substitutions
    code, _out, err = run(
        capsys,
        "--db",
        desk,
        "roster",
        "substitute",
        MAY,
        person_id(3),
        person_id(7),
        "--name",
        "李新",
        "--reason",
        "x",
    )
    assert code == 1 and "已关闭报到" in err


def test_print_checkin(desk: str, tmp_path: Path, capsys) -> None:
    target = tmp_path / "checkin.pdf"
    code, _out, err = run(capsys, "--db", desk, "print", "checkin", MAY, "-o", str(target))
    assert code == 0 and target.stat().st_size > 1000 and "已生成" in err
    code, _out, err = run(capsys, "--db", desk, "print", "checkin", MAY)
    assert code == 2 and "-o" in err
    code, _out, err = run(capsys, "--db", desk, "print", "checkin", MAY, "-o", str(target), "--full-ids")
    assert code == 2
    code, _out, err = run(capsys, "--db", desk, "print", "checkin", "L1999-0001", "-o", str(target))
    assert code == 1 and "找不到编号为 L1999-0001 的批次" in err
