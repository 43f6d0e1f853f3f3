"""The command line of service orders: ``orders list``, ``order mark``, ``print order|orders|notice|departure``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from recuperation.cli import main
from recuperation.services.batch import rosters
from recuperation.storage.database import Database
from tests.factories import person_id, stored_numbers
from tests.test_order_docs import _plan

D = dt.date


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def pdf_text(path: Path) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_orders_list_as_a_table_and_as_json(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    row, a, _b = _plan(db)
    code, out, err = run(capsys, "--db", db.url, "orders", "list")
    assert code == 0 and "共 2 份预订单" in err
    lines = [line.split("\t") for line in out.splitlines()]
    assert sorted(line[:3] for line in lines) == sorted(
        [
            [f"{row.code}-B{a.id:03d}", row.code, "寿昌宾馆"],
            [f"{row.code}-B{a.id + 1:03d}", row.code, "大慈岩山庄"],
        ]
    )
    lines.sort(key=lambda line: line[0])
    assert lines[0][3:] == ["2021-04-01", "未发送", "0", "-", "-"]
    code, _out, _err = run(
        capsys,
        "--db",
        db.url,
        "order",
        "mark",
        row.code,
        "寿昌宾馆",
        "sent",
        "--how",
        "email",
        "--on",
        "2021-03-01",
    )
    assert code == 0
    rosters.add_participant(db, row.id, rosters.ParticipantInput("新增", person_id(301), diet="清真"))
    code, out, _err = run(capsys, "--db", db.url, "orders", "list", "--status", "changed", "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data) == 1 and data[0]["base"] == "寿昌宾馆" and data[0]["state"] == "changed"
    assert data[0]["edition"] == 1 and data[0]["sent_on"] == "2021-03-01" and data[0]["sent_how"] == "email"
    assert data[0]["differences"][0] == "人数 +1" and data[0]["state_label"] == "发出后有变更"
    assert set(data[0]) >= {"code", "batch", "base", "arrival", "state", "edition", "sent_on", "waiting_days"}
    code, out, _err = run(
        capsys,
        "--db",
        db.url,
        "orders",
        "list",
        "--base",
        "大慈岩山庄",
        "--from",
        "2021-04-01",
        "--to",
        "2021-04-30",
    )
    assert code == 0 and [line.split("\t")[2] for line in out.splitlines()] == ["大慈岩山庄"]
    code, out, _err = run(capsys, "--db", db.url, "orders", "list", "--from", "2021-05-01", "--json")
    assert code == 0 and json.loads(out) == []


def test_order_mark_records_the_answers(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    row, _a, _b = _plan(db)
    base = ["--db", db.url, "order", "mark", row.code, "寿昌宾馆"]
    code, _out, err = run(capsys, *base, "confirmed")
    assert code == 1 and "还没有发出" in err and len(err.strip().splitlines()) == 1
    code, _out, err = run(capsys, *base, "sent")
    assert code == 0 and "待回复，第 1 版" in err
    code, _out, err = run(capsys, *base, "declined")
    assert code == 1 and "拒绝的原因" in err
    code, _out, err = run(capsys, *base, "amended", "--changes", "只能提供 4 间房", "--by", "王经理")
    assert code == 0 and "有变更确认" in err
    code, out, _err = run(capsys, "--db", db.url, "orders", "list", "--status", "amended", "--json")
    assert [r["base"] for r in json.loads(out)] == ["寿昌宾馆"]
    code, _out, err = run(capsys, "--lang", "en", *base[:-2], "L1999-0001", "寿昌宾馆", "sent")
    assert code == 1 and "There is no batch L1999-0001" in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["orders", "list", "--status", "bogus"], "不是预订单状态"),
        (["orders", "list", "--from", "2021-05-10", "--to", "2021-05-01"], "晚于结束日期"),
        (["orders", "list", "--from", "2021-02-30"], "日期“2021-02-30”无效"),
        (["order", "mark", "L2021-0001", "寿昌宾馆", "confirmd"], "不能登记"),
        (["order", "mark", "L2021-0001", "寿昌宾馆", "confirmed", "--how", "pdf"], "--how 只能与 sent"),
        (["order", "mark", "L2021-0001", "寿昌宾馆", "sent", "--how", "fax"], "不是发送方式"),
        (["order", "mark", "L2021-0001", "寿昌宾馆", "sent", "--reason", "x"], "--reason 只能与"),
        (["print", "orders", "--base", "寿昌宾馆", "--from", "2021-05-01", "-o", "x.pdf"], "用法错误"),
        (["print", "order", "L2021-0001", "-o", "x.pdf"], "用法错误"),
    ],
)
def test_bad_arguments_give_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    status, _out, err = run(capsys, "--db", str(tmp_path / "missing.db"), *args)
    assert status == 2 and words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_bad_arguments_in_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(
        capsys, "--lang=en", "--db", str(tmp_path / "x.db"), "orders", "list", "--status", "x"
    )
    assert status == 2 and "is not an order state" in err and "invalid" not in err


def test_print_order_orders_notice_and_departure(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row, _a, _b = _plan(db)
    people = [number for number, _phone in stored_numbers(db, row.id).values()]
    out = tmp_path / "o.pdf"
    code, _out, err = run(capsys, "--db", db.url, "print", "order", row.code, "寿昌宾馆", "-o", str(out))
    assert code == 0 and "已生成" in err
    body = pdf_text(out)
    assert "接待预订单" in body and people[0] not in body
    code, _out, err = run(
        capsys, "--db", db.url, "print", "order", row.code, "寿昌宾馆", "-o", str(out), "--full-ids"
    )
    assert code == 0 and people[0] in pdf_text(out)
    code, _out, err = run(capsys, "--db", db.url, "print", "order", row.code, "别的宾馆", "-o", str(out))
    assert code == 1 and "没有名为“别的宾馆”的基地" in err
    listing = tmp_path / "l.pdf"
    code, _out, err = run(
        capsys,
        "--db",
        db.url,
        "print",
        "orders",
        "--base",
        "寿昌宾馆",
        "--from",
        "2021-04-01",
        "--to",
        "2021-04-30",
        "-o",
        str(listing),
    )
    assert code == 0 and row.code in pdf_text(listing)
    notice = tmp_path / "n.pdf"
    code, _out, err = run(capsys, "--db", db.url, "print", "notice", row.code, "-o", str(notice))
    assert code == 1 and "没有变更" in err and not notice.exists()
    run(capsys, "--db", db.url, "order", "mark", row.code, "寿昌宾馆", "sent", "--on", "2021-03-05")
    rosters.add_participant(db, row.id, rosters.ParticipantInput("新增", person_id(305)))
    code, _out, err = run(
        capsys, "--db", db.url, "print", "notice", row.code, "--base", "寿昌宾馆", "-o", str(notice)
    )
    assert code == 0 and "自3月5日发出后：1.人数+1" in pdf_text(notice)
    pdf, xlsx = tmp_path / "d.pdf", tmp_path / "d.xlsx"
    code, _out, err = run(
        capsys, "--db", db.url, "print", "departure", row.code, "-o", str(pdf), "--xlsx", str(xlsx)
    )
    assert code == 0 and "出团通知书" in pdf_text(pdf) and "已导出 6 人" in err
    assert openpyxl.load_workbook(xlsx)["名单"].max_row == 7


def test_the_existing_print_commands_keep_their_form(db: Database, tmp_path: Path, capsys) -> None:
    row, _a, _b = _plan(db)
    for document in ("itinerary", "manifest", "rooming"):
        path = tmp_path / f"{document}.pdf"
        code, _out, err = run(capsys, "--db", db.url, "print", document, row.code, "-o", str(path))
        assert code == 0 and path.exists(), err
    code, _out, err = run(capsys, "--db", db.url, "print", "leaflet", row.code, "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and "用法错误" in err


def test_an_answer_to_an_older_edition_is_refused_on_the_command_line(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    row, _a, _b = _plan(db)

    def order(*args: str) -> tuple[int, str, str]:
        return run(capsys, "--db", db.url, *args)

    assert order("order", "mark", row.code, "寿昌宾馆", "sent", "--on", "2021-03-01")[0] == 0
    assert order("order", "mark", row.code, "寿昌宾馆", "sent", "--on", "2021-03-02")[0] == 0
    code, _out, err = order(
        "order", "mark", row.code, "寿昌宾馆", "confirmed", "--by", "王", "--edition", "1"
    )
    assert code == 1 and "第 1 版" in err and "第 2 版" in err
    code, _out, _err = order(
        "order", "mark", row.code, " 寿昌宾馆 ", "confirmed", "--by", "王", "--edition", "2"
    )
    assert code == 0
    code, out, _err = order("orders", "list", "--json")
    listed = {r["base"]: r for r in json.loads(out)}
    assert (listed["寿昌宾馆"]["answered_by"], listed["寿昌宾馆"]["edition"]) == ("王", 2)
    code, _out, err = order("order", "mark", row.code, "寿昌宾馆", "sent", "--edition", "2")
    assert code == 2 and "--edition" in err
