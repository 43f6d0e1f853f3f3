"""The check-in sheet (报到表) and importing it back as the roll call (issue 21)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import text

from recuperation.documents import checkin_docs
from recuperation.documents.render import DOCUMENTS, render
from recuperation.errors import ValidationError
from recuperation.people import mask_id
from recuperation.services.batch import attendance, batches, roster_moves, rosters
from recuperation.services.batch.rollcall_import import read_day, read_mark, rollcall_import
from recuperation.storage.database import Database
from tests.factories import partner, person_id

D = dt.date
CODE = "L2021-0001"
ARRIVAL, DEPARTURE = D(2021, 5, 10), D(2021, 5, 13)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _row(body: str, number: int, name: str) -> list[str]:
    """The cells of the row numbered ``number`` as the PDF's text gives them, one a line."""
    lines = body.splitlines()
    start = next(i for i in range(1, len(lines)) if lines[i - 1] == str(number) and lines[i] == name)
    end = next(
        i for i in range(start, len(lines)) if lines[i] == str(number + 1) or lines[i].startswith("应到")
    )
    return lines[start:end]


def _roster(db: Database, people: list[tuple[str, str]]) -> batches.BatchRow:
    p = partner(db)
    batch = batches.create_batch(
        db, batches.BatchInput(p.id, ARRIVAL, DEPARTURE, len(people), code=CODE, leader="张领队")
    )
    for name, number in people:
        rosters.add_participant(
            db, batch.id, rosters.ParticipantInput(name, number, employer="建德市人民医院")
        )
    return batch


PEOPLE = [
    ("王芳", person_id(1)),
    ("李建国", person_id(2)),
    ("王芳", person_id(3, birth="19850505")),  # the same name twice
    ("赵敏", person_id(4)),
]


@pytest.fixture
def batch(db: Database) -> batches.BatchRow:
    return _roster(db, PEOPLE)


def test_the_sheet_lists_everyone_masked_with_a_box_per_day_and_companions(
    db: Database, batch: batches.BatchRow, tmp_path: Path
) -> None:
    zhao = rosters.list_participants(db, batch.id)[3]
    roster_moves.set_companion(db, zhao.id, zhao.version, True)
    result = checkin_docs.print_checkin(db, CODE, tmp_path / "c.pdf")
    body = pdf_text(result.path)
    flat = body.replace("\n", "").replace(" ", "")
    for name, number in PEOPLE:
        assert name in flat and mask_id(number) in body and number not in body
    for day in ("5/10", "5/11", "5/12", "5/13"):  # arrival to departure, a box each
        assert day in body
    assert "5/14" not in body and "5/9" not in body
    assert "是" in _row(body, 4, "赵敏")  # the 随行家属 mark, on that person's row only
    assert "是" not in _row(body, 2, "李建国")
    assert "其中随行家属1人" in flat and "领队签字" in body and "报到表" in body
    assert "第 1 页 / 共 1 页" in body and result.missing == [] and result.embedded
    with db.engine.connect() as conn:
        entry = conn.execute(
            text("SELECT action, table_name, field, record_label, new FROM audit_log WHERE field='checkin'")
        ).one()
    assert entry == ("print", "batch", "checkin", CODE, "报到表 4 人")


def test_render_prints_the_sheet_as_the_desktop_and_cli_do(
    db: Database, batch: batches.BatchRow, tmp_path: Path
) -> None:
    assert "checkin" in DOCUMENTS
    rendered = render(db, "checkin", CODE, tmp_path / "r.pdf")
    assert rendered.path.exists() and rendered.notes == ()
    with pytest.raises(ValidationError):
        render(db, "checkin", "L1999-0009", tmp_path / "none.pdf")


def test_a_long_stay_still_fits_the_page() -> None:
    font = checkin_docs.find_font()
    week = checkin_docs._widths(7, font)  # a week's boxes still take a tick: the employer column narrows
    assert sum(week) <= checkin_docs.WIDTH + 0.01 and min(week[-7:]) >= checkin_docs.DAY_BOX[0] - 0.01
    assert sum(checkin_docs._widths(12, font)) <= checkin_docs.WIDTH + 0.01


def _sheet(path: Path, rows: list[list[object]], *, title: bool = True) -> Path:
    """The check-in sheet typed back: its title, its header, the rows as the leader filled them."""
    book = openpyxl.Workbook()
    ws = book.active
    if title:
        ws.append(["宁波大学职工疗休养报到表"])
    ws.append(
        ["序号", "姓名", "性别", "身份证号", "单位", "房间", "随行家属", "报到", "离开日期", "5/10", "5/11"]
    )
    for row in rows:
        ws.append(row)
    ws.append(["应到 4 人，实到 3 人"])
    book.save(path)
    return path


def _marks(db: Database, batch_id: int) -> list[tuple[str, str, D | None]]:
    return [(p.name, p.attendance, p.left_on) for p in attendance.roll_call(db, batch_id)]


def test_the_filled_sheet_imports_all_marks(db: Database, batch: batches.BatchRow, tmp_path: Path) -> None:
    wang1, li, wang3, zhao = (mask_id(n) for _name, n in PEOPLE)
    path = _sheet(
        tmp_path / "filled.xlsx",
        [
            [1, "王芳", "女", wang1, "建德市人民医院", "", "", "已报到", "", "√", "√"],
            [2, "李建国", "男", li, "", "", "", "提前离开", "5/11", "√", ""],
            [3, "王芳", "女", wang3, "", "", "", "×", None],
            [4, "赵敏", "女", zhao, "", "", "", "", dt.datetime(2021, 5, 12)],  # a date within: left early
        ],
    )
    result = rollcall_import(db, CODE, path, dry_run=False)
    assert result.errors == [] and result.written
    assert result.counts() == {"attended": 1, "no_show": 1, "left_early": 2, "unchanged": 0, "blank": 0}
    assert _marks(db, batch.id) == [
        ("王芳", "attended", None),
        ("李建国", "left_early", D(2021, 5, 11)),
        ("王芳", "no_show", None),
        ("赵敏", "left_early", D(2021, 5, 12)),
    ]
    again = rollcall_import(db, CODE, path, dry_run=False)
    assert again.counts()["unchanged"] == 4  # importing the same sheet twice changes nothing


def test_last_four_digits_and_names_match(db: Database, batch: batches.BatchRow, tmp_path: Path) -> None:
    path = tmp_path / "typed.csv"
    path.write_text(
        "姓名,身份证后四位,报到\n"
        f",{PEOPLE[2][1][-4:]},已报到\n"  # the second 王芳 by her last four digits
        "李建国,,✓\n"
        f"赵敏,{PEOPLE[3][1][-6:]},未到\n",
        encoding="utf-8",
    )
    result = rollcall_import(db, CODE, path, dry_run=False)
    assert result.errors == []
    assert [m[1] for m in _marks(db, batch.id)] == ["", "attended", "attended", "no_show"]


def test_wrong_id_ambiguous_name_and_a_day_outside_the_stay_refuse_everything(
    db: Database, batch: batches.BatchRow, tmp_path: Path
) -> None:
    path = _sheet(
        tmp_path / "bad.xlsx",
        [
            [1, "李建国", "", person_id(99), "", "", "", "已报到"],  # an ID nobody on the roster has
            [2, "王芳", "", "", "", "", "", "已报到"],  # two people are called 王芳
            [3, "赵敏", "", PEOPLE[3][1], "", "", "", "提前离开", "2021-05-20"],  # after the stay
            [4, "张三", "", "", "", "", "", "已报到"],  # not on the roster
            [5, "赵敏", "", PEOPLE[1][1], "", "", "", "已报到"],  # the number is 李建国's
            [6, "王芳", "", PEOPLE[0][1], "", "", "", "来了"],  # a word nobody understands
        ],
    )
    result = rollcall_import(db, CODE, path, dry_run=False)
    assert not result.written and _marks(db, batch.id) == [(n, "", None) for n, _ in PEOPLE]
    by_row = {p.row: p.message for p in result.errors}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8]  # the title is row 1, the header row 2
    assert "没有身份证号为 330182********" in by_row[3] and "清空这一格按姓名匹配" in by_row[3]
    assert "2 人与“王芳”相符" in by_row[4] and mask_id(PEOPLE[2][1]) in by_row[4]
    assert "2021-05-20" in by_row[5] and "2021-05-10 至 2021-05-12" in by_row[5]
    assert "没有叫 张三 的人" in by_row[6]
    assert "是名单上的 李建国" in by_row[7]
    assert "“来了”看不懂" in by_row[8]
    assert "有 6 行有错误，没有登记任何报到情况" in result.summary()
    assert PEOPLE[0][1] not in "".join(by_row.values())  # whole ID numbers never in a message


def test_a_dry_run_writes_nothing(db: Database, batch: batches.BatchRow, tmp_path: Path) -> None:
    path = tmp_path / "dry.csv"
    path.write_text(f"姓名,身份证号,报到\n李建国,{PEOPLE[1][1]},已报到\n", encoding="utf-8")
    with db.engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM audit_log")).scalar()
    result = rollcall_import(db, CODE, path, dry_run=True)
    assert result.counts()["attended"] == 1 and not result.written and "只检查，未写入" in result.summary()
    assert _marks(db, batch.id)[1] == ("李建国", "", None)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == before


def test_a_file_without_a_roll_call_header_is_refused(
    db: Database, batch: batches.BatchRow, tmp_path: Path
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(f"姓名,身份证号\n李建国,{PEOPLE[1][1]}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        rollcall_import(db, CODE, path, dry_run=True)
    assert "找不到报到表的表头" in caught.value.message


def test_reading_marks_and_days() -> None:
    assert [read_mark(w) for w in ("已报到", "✓", "√", "×", "未到", "提前离开", "", "来了")] == [
        "attended",
        "attended",
        "attended",
        "no_show",
        "no_show",
        "left_early",
        "",
        None,
    ]
    a, d = D(2021, 12, 30), D(2022, 1, 2)
    assert read_day("1/1", a, d) == D(2022, 1, 1)  # a stay over new year: the year the day falls in
    assert read_day("12月31日", a, d) == D(2021, 12, 31)
    assert read_day("2021-12-31", a, d) == D(2021, 12, 31)
    assert read_day("下午", a, d) is None
