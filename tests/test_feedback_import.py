"""Feedback workbooks: an online survey tool's export (title rows, 序号, 提交答卷时间, word answers, (跳过), free text),
a header merged over two rows, a bad star named at its cell with nothing written (or the bad rows skipped and
named), the same file twice changing nothing, our own export importing back with zero changes, and the
command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from recuperation.errors import RuleViolation, ValidationError
from recuperation.feedback_cells import parse_stars, recognise
from recuperation.feedback_export import export_feedback
from recuperation.feedback_workbook import apply_feedback, plan_feedback
from recuperation.models import FeedbackRating, FeedbackResponse, table_of
from recuperation.services import feedback as fb
from recuperation.services.batch import batches, rosters
from recuperation.storage.database import Database
from recuperation.transfer import table_checksum
from tests import test_feedback
from tests.test_feedback import key, new, run

trip = test_feedback.trip  # the fixture: a batch at two bases on a route, five members and a companion

SURVEY_HEADER = [
    "序号",
    "提交答卷时间",
    "所用时间",
    "来源",
    "来自IP",
    "1、您对寿昌宾馆住宿的满意度",
    "2、寿昌宾馆-餐饮",
    "3、梅城大酒店—住宿",
    "4、您对本次疗休养的总体满意度",
    "5、您的意见和建议",
]
COMMENT_1 = "早餐品种少，希望增加粥；\n导游讲解很好！  “梅城”值得再去。"


def survey(path: Path, *rows: list[Any]) -> Path:
    """A 问卷星 export: a title merged over the columns and a blank row above the header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["宁波大学职工疗休养满意度调查（L2021 5月批次）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SURVEY_HEADER))
    sheet.append([])
    sheet.append(SURVEY_HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def survey_rows() -> list[list[Any]]:
    return [
        [1, "2021/5/12 10:23:45", "120秒", "手机提交", "1.2.3.4", "非常满意", "5星", 4, "满意", COMMENT_1],
        [2, "2021/5/12 11:02:10", "95秒", "微信", "1.2.3.5", "一般", 3, "★★★★", "非常满意", "(跳过)"],
        [3, "2021/5/12 11:30:00", "60秒", "微信", "1.2.3.6", "不满意", "(跳过)", "2分", "一般", "房间有异味"],
    ]


def checksums(db: Database) -> tuple[object, ...]:
    with db.engine.connect() as conn:
        return tuple(table_checksum(conn, table_of(m)) for m in (FeedbackResponse, FeedbackRating))


def test_an_online_survey_export_is_read_with_its_words_and_comments(
    db: Database, trip, tmp_path: Path
) -> None:
    a, b, batch = trip["a"], trip["b"], trip["batch"]
    path = survey(tmp_path / "问卷星.xlsx", *survey_rows())
    plan = plan_feedback(db, batch.code, path)
    assert (plan.layout.sheet, plan.layout.header_row + 1) == ("Sheet1", 3)
    shown = {plan.headers[c]: plan.shown(k) for k, c in plan.layout.columns.items()}
    assert shown == {  # 序号 only counts the tool's rows: never the questionnaire's number
        "提交答卷时间": "填写日期",
        "1、您对寿昌宾馆住宿的满意度": "寿昌宾馆·住宿",
        "2、寿昌宾馆-餐饮": "寿昌宾馆·餐饮",
        "3、梅城大酒店—住宿": "梅城大酒店·住宿",
        "4、您对本次疗休养的总体满意度": "线路·总体满意度",
        "5、您的意见和建议": "意见建议",
    }
    assert [plan.headers[c] for c in plan.unmapped] == ["序号", "所用时间", "来源", "来自IP"]
    assert not plan.errors and plan.count("new") == 3
    result = apply_feedback(db, plan)
    assert (result.added, result.changed, result.skipped) == (3, 0, ())
    rows = fb.list_responses(db, batch.id)
    stars = [
        (
            r.sheet_no,
            r.stars.get(key(a, "lodging")),
            r.stars.get(key(a, "food")),
            r.stars.get(key(b, "lodging")),
        )
        for r in rows
    ]
    assert stars == [(None, 5, 5, 4), (None, 3, 3, 4), (None, 2, None, 2)]  # (跳过) is not answered
    assert [r.stars.get(key(None, "overall")) for r in rows] == [4, 5, 3]
    assert rows[0].comment == COMMENT_1.strip()  # as written: its line break, punctuation and quotes
    assert rows[1].comment == "" and rows[2].comment == "房间有异味"
    assert {r.answered_on for r in rows} == {dt.date(2021, 5, 12)} and {r.source for r in rows} == {
        "imported"
    }
    # hand-computed: 寿昌宾馆·住宿 5 + 3 + 2 = 10 over 3 = 3.3
    grid = fb.batch_grid(db, batch.id)
    assert (grid.mean(key(a, "lodging")).total, grid.mean(key(a, "lodging")).mean_text()) == (10, "3.3")

    # the same file again changes nothing
    before = checksums(db)
    again = plan_feedback(db, batch.code, path)
    assert (again.count("new"), again.count("changed"), again.count("unchanged")) == (0, 0, 3)
    apply_feedback(db, again)
    assert checksums(db) == before


def test_a_header_merged_over_two_rows_and_the_batch_named_above_it(
    db: Database, trip, tmp_path: Path
) -> None:
    a, b, batch = trip["a"], trip["b"], trip["batch"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "反馈"
    sheet.append(["满意度调查结果"])
    sheet.append(["批次编号", batch.code])
    sheet.append(["问卷编号", "填写人", "寿昌宾馆", None, None, "梅城大酒店", None, "线路", "意见建议"])
    sheet.append([None, None, "住宿", "餐饮", "总体", "住宿", "总体", "总体满意度", None])
    for cells in ("A3:A4", "B3:B4", "C3:E3", "F3:G3", "I3:I4"):
        sheet.merge_cells(cells)
    sheet.append([1, "王*芳", 5, 4, "非常满意", "满意", 4, 5, "很好，下次还来"])
    sheet.append([2, "第二组", 4, "一般", 4, 3, "3星", 4, None])
    sheet.append(["合计", None, 9, 7])  # a totals line ends the table
    book.save(tmp_path / "merged.xlsx")
    plan = plan_feedback(db, batch.code, tmp_path / "merged.xlsx")
    assert plan.layout.header_rows == 2 and plan.layout.header_row + 1 == 4
    assert {plan.shown(k) for k in plan.layout.columns} == {
        "问卷编号",
        "填写人",
        "寿昌宾馆·住宿",
        "寿昌宾馆·餐饮",
        "寿昌宾馆·总体满意度",
        "梅城大酒店·住宿",
        "梅城大酒店·总体满意度",
        "线路·总体满意度",
        "意见建议",
    }
    assert len(plan.rows) == 2 and not plan.errors
    apply_feedback(db, plan)
    first, second = fb.list_responses(db, batch.id)
    assert first.stars == {
        key(a, "lodging"): 5,
        key(a, "food"): 4,
        key(a, "overall"): 5,
        key(b, "lodging"): 4,
        key(b, "overall"): 4,
        key(None, "overall"): 5,
    }
    assert (first.respondent, first.comment) == ("王*芳", "很好，下次还来")
    assert (second.respondent, second.stars[key(a, "food")], second.stars[key(b, "overall")]) == (
        "第二组",
        3,
        3,
    )

    # a file naming another batch above its header is refused whole
    other = batches.create_batch(
        db, batches.BatchInput(trip["partner"].id, dt.date(2021, 6, 1), dt.date(2021, 6, 2), 3)
    )
    with pytest.raises(ValidationError) as refused:
        plan_feedback(db, other.code, tmp_path / "merged.xlsx")
    assert batch.code in str(refused.value) and other.code in str(refused.value)


def test_a_bad_star_is_named_at_its_cell_and_nothing_is_written(db: Database, trip, tmp_path: Path) -> None:
    batch = trip["batch"]
    rows = survey_rows()
    rows[1][6] = "很好"  # G5 (the header is on row 3): not a star
    rows[2][0] = 1  # the number of the first row again
    path = survey(tmp_path / "bad.xlsx", *rows)
    plan = plan_feedback(db, batch.code, path, mapping={"A": "问卷编号"})  # 序号 taken as the number by hand
    messages = [p.message for p in plan.errors]
    assert any(
        m.startswith("第 5 行 G 列（2、寿昌宾馆-餐饮）：“很好”不是寿昌宾馆·餐饮的星级") for m in messages
    ), messages
    assert [(p.row, p.column) for p in plan.errors] == [(4, "A"), (5, "G"), (6, "A")]
    assert any("问卷编号 1 在文件中出现了两次（第 4 行和第 6 行）" in m for m in messages)
    before = checksums(db)
    with pytest.raises(RuleViolation) as refused:
        apply_feedback(db, plan)
    assert "3 行有问题" in str(refused.value) and "bad.xlsx" in str(refused.value)
    assert checksums(db) == before

    # the bad rows skipped when asked: the good one written, the skipped named
    result = apply_feedback(db, plan, skip_invalid=True)
    assert (result.added, result.skipped) == (0, (4, 5, 6))
    rows[2][0] = 3
    plan = plan_feedback(db, batch.code, survey(tmp_path / "bad2.xlsx", *rows), mapping={"A": "问卷编号"})
    result = apply_feedback(db, plan, skip_invalid=True)
    assert (result.added, result.skipped) == (2, (5,))
    assert [r.sheet_no for r in fb.list_responses(db, batch.id)] == [1, 3]


def test_star_words_and_headings() -> None:
    assert [parse_stars(v) for v in (5, 4.0, "3", " 5星 ", "★★", "五星", "非常满意", "比较满意", "一般")] == [
        5,
        4,
        3,
        5,
        2,
        5,
        5,
        4,
        3,
    ]
    assert [
        parse_stars(v)
        for v in ("不满意", "非常不满意", "5（非常满意）", "非常满意(5分)", None, "(跳过)", "-")
    ] == [
        2,
        1,
        5,
        5,
        None,
        None,
        None,
    ]
    for bad in (0, 6, 4.5, "6", "很好", "5（不满意）", True):
        with pytest.raises(ValueError):
            parse_stars(bad)  # type: ignore[arg-type]
    one = fb.Subject(7, "寿昌宾馆")
    route = fb.Subject(None, "千岛湖康养")
    dims = ("lodging", "food", "activities", "guide", "safety", "overall")
    from recuperation.feedback_cells import Targets

    single = Targets((one, route), dims)
    double = Targets((one, fb.Subject(8, "梅城大酒店"), route), dims)
    assert recognise("1. 您对住宿的满意度", single) == "b7:lodging"  # the only base's
    assert recognise("1. 您对住宿的满意度", double) == "route:lodging"  # several bases: the route's
    assert recognise("您对本次疗休养的总体满意度", single) == "route:overall"  # 总体: the trip's
    assert recognise("梅城大酒店—导游讲解", double) == "b8:guide"
    assert recognise("Q3 千岛湖康养（安全）", double) == "route:safety"
    assert recognise("千岛湖康养（交通）", double) is None  # a dimension the questionnaire does not ask
    assert recognise("您对住宿还有什么建议", single) == "comment"
    assert recognise("住宿和餐饮", single) is None  # two dimensions in one column: the user chooses
    assert recognise("所用时间", single) is None and recognise("提交答卷时间", single) == "answered_on"
    assert recognise("序号", single) is None and recognise("答卷序号", single) is None  # a tool's row counter
    assert recognise("问卷编号", single) == "sheet_no" and recognise("请留下您的姓名", single) == "respondent"


def test_an_export_imports_back_with_zero_changes(db: Database, trip, tmp_path: Path) -> None:
    a, b, batch = trip["a"], trip["b"], trip["batch"]
    person = rosters.list_participants(db, batch.id)[0]
    fb.save_grid(
        db,
        batch.id,
        [
            fb.GridEdit(
                None,
                None,
                fb.ResponseInput(
                    1, person.id, "", dt.date(2021, 5, 12), "导游电话 13912345678 好", {key(a, "food"): 4}
                ),
            ),
            new(
                2,
                "李强",
                "房间，很干净；\n“推荐”",
                **{key(a, "lodging"): 5, key(b, "overall"): 3, key(None, "overall"): 4},
            ),
            new(None, "第一组", **{key(None, "overall"): 5}),
            new(None, "第一组", **{key(None, "overall"): 4}),
            new(None, "", "没有编号也没有名字", **{key(b, "food"): 2}),
        ],
    )
    before = checksums(db)
    path = tmp_path / "导出.xlsx"
    result = export_feedback(db, batch.code, path)
    assert result.rows == 5
    book = openpyxl.load_workbook(path)
    sheet = book["问卷反馈"]
    assert (sheet["A2"].value, sheet["B2"].value) == ("批次编号", batch.code)
    heads = [c.value for c in sheet[4]]
    assert heads[:3] == ["问卷编号", "填写人", "填写日期"] and heads[-1] == "意见建议"
    assert "寿昌宾馆·餐饮" in heads and "线路·总体满意度" in heads
    assert sheet.cell(5, len(heads)).value == "导游电话 139****5678 好"  # a phone in a comment is masked
    plan = plan_feedback(db, batch.code, path)
    assert not plan.errors
    assert (plan.count("new"), plan.count("changed"), plan.count("unchanged")) == (0, 0, 5)
    apply_feedback(db, plan)
    assert checksums(db) == before
    assert fb.list_responses(db, batch.id)[0].comment == "导游电话 13912345678 好"

    # edited in Excel: a star changed, one blanked (not answered any more), a comment changed; a column deleted
    # keeps what is on file
    col = heads.index("寿昌宾馆·住宿") + 1
    sheet.cell(6, col).value = 3
    sheet.cell(6, heads.index("梅城大酒店·总体满意度") + 1).value = None
    sheet.cell(6, len(heads)).value = "改过的意见"
    sheet.delete_cols(heads.index("寿昌宾馆·餐饮") + 1)
    book.save(path)
    plan = plan_feedback(db, batch.code, path)
    assert (plan.count("new"), plan.count("changed"), plan.count("unchanged")) == (0, 1, 4)
    apply_feedback(db, plan)
    rows = fb.list_responses(db, batch.id)
    assert (
        rows[1].stars == {key(a, "lodging"): 3, key(None, "overall"): 4} and rows[1].comment == "改过的意见"
    )
    assert rows[0].stars == {key(a, "food"): 4}  # the column deleted: kept
    assert rows[0].participant_id == person.id  # not in the file: kept


def test_rows_of_other_batches_are_left_out_and_a_stale_preview_is_refused(
    db: Database, trip, tmp_path: Path
) -> None:
    a, batch = trip["a"], trip["batch"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["批次", "问卷编号", "寿昌宾馆-餐饮", "建议"])
    sheet.append([batch.code, 1, 5, "好"])
    sheet.append(["L2021-0999", 1, 1, "别的批次"])
    sheet.append([batch.code, 2, "满意", ""])
    book.save(tmp_path / "mixed.xlsx")
    plan = plan_feedback(db, batch.code, tmp_path / "mixed.xlsx")
    assert (plan.count("new"), plan.count("other_batch"), len(plan.errors)) == (2, 1, 0)
    apply_feedback(db, plan)
    assert [(r.sheet_no, r.stars[key(a, "food")]) for r in fb.list_responses(db, batch.id)] == [
        (1, 5),
        (2, 4),
    ]
    # changed at another desk after the preview: the import is refused whole
    sheet.cell(2, 3).value = 3
    sheet.cell(4, 3).value = 3
    book.save(tmp_path / "mixed.xlsx")
    plan = plan_feedback(db, batch.code, tmp_path / "mixed.xlsx")
    one = fb.list_responses(db, batch.id)[0]
    fb.update_response(db, one.id, one.version, fb.ResponseInput(1, stars={key(a, "food"): 2}))
    before = checksums(db)
    from recuperation.errors import StaleEditError

    with pytest.raises(StaleEditError):
        apply_feedback(db, plan)
    assert checksums(db) == before


def test_feedback_import_and_export_from_the_command_line(db: Database, trip, capsys, tmp_path: Path) -> None:
    a, batch = trip["a"], trip["batch"]
    path = survey(tmp_path / "问卷星.xlsx", *survey_rows())
    code, out, err = run(
        capsys, "--db", db.url, "feedback", "import", batch.code, str(path), "--dry-run", "--json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert (report["added"], report["written"], report["sheet"], report["header_row"]) == (
        3,
        False,
        "Sheet1",
        3,
    )
    assert fb.list_responses(db, batch.id) == []
    # a column mapped by hand: 寿昌宾馆-餐饮 taken as 梅城大酒店·餐饮, 来源 left out as it was
    code, out, err = run(
        capsys,
        "--db",
        db.url,
        "feedback",
        "import",
        batch.code,
        str(path),
        "--map",
        "G=梅城大酒店·餐饮",
        "--map",
        "D=-",
    )
    assert code == 0, err
    assert "新增 3 份" in err
    rows = fb.list_responses(db, batch.id)
    assert rows[0].stars.get(key(trip["b"], "food")) == 5 and key(a, "food") not in rows[0].stars

    # a bad star: named with its file, sheet, row and column; exit 1; nothing written
    bad = survey_rows()
    bad[0][5] = 9
    before = checksums(db)
    code, out, err = run(
        capsys, "--db", db.url, "feedback", "import", batch.code, str(survey(tmp_path / "bad.xlsx", *bad))
    )
    assert code == 1
    assert "第 4 行 F 列（1、您对寿昌宾馆住宿的满意度）" in out and "“9”不是寿昌宾馆·住宿的星级" in out
    assert "bad.xlsx" in err and "Sheet1" in err and "没有写入任何数据" in err
    assert checksums(db) == before
    code, _out, err = run(capsys, "--db", db.url, "feedback", "import", batch.code, str(path), "--map", "ZZ9")
    assert code == 2  # a usage error: --map wants COLUMN=TARGET
    code, _out, err = run(
        capsys, "--db", db.url, "feedback", "import", batch.code, str(path), "--map", "G=厨房"
    )
    assert code == 1 and "厨房" in err

    target = tmp_path / "out.xlsx"
    code, _out, err = run(capsys, "--db", db.url, "feedback", "export", batch.code, "-o", str(target))
    assert code == 0 and target.exists() and "3 份问卷" in err
    code, out, _err = run(capsys, "--db", db.url, "feedback", "import", batch.code, str(target), "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 3
