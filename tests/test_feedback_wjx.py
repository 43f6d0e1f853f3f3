"""A 问卷星 export imported into a batch whose paper sheets were entered first (the new user's report, issue 23):
序号 is the tool's row counter, not the questionnaire's number; a title row right above the header (merged or
just in A1, xlsx and CSV) is a title; a dimension without a base is the lodging base's; (跳过) as a name is
blank; an entered sheet is never replaced by a file; the same file with the same manual mapping changes
nothing; the grid rates the bases the batch sleeps at and the route, not the scenic spot it visits."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from recuperation.errors import RuleViolation
from recuperation.feedback_workbook import apply_feedback, plan_feedback
from recuperation.models import FeedbackRating, FeedbackResponse, table_of
from recuperation.services import feedback as fb
from recuperation.services import routes
from recuperation.services.batch import batches, rosters
from recuperation.storage.database import Database
from recuperation.transfer import table_checksum
from tests.factories import certified_base, partner, person_id

ARRIVAL = dt.date(2021, 1, 11)
TITLE = "寿昌古镇休闲线路 职工疗休养满意度调查（L2021-0012）"
HEADER = [
    "序号",
    "提交答卷时间",
    "所用时间",
    "来源",
    "来源详情",
    "来自IP",
    "1.您对住宿的满意度",
    "寿昌宾馆-餐饮",
    "寿昌宾馆-活动安排",
    "寿昌宾馆-导游讲解",
    "2.您对安全保障的满意度",
    "3.您对本次疗休养的总体满意度",
    "4.您对本次活动有什么意见和建议？",
    "5.您的姓名（选填）",
]
ANSWERS = [
    ["非常满意", "满意", "非常满意", "非常满意", "满意", "非常满意", "房间很干净，服务热情。", "(跳过)"],
    ["满意", "一般", "满意", "满意", "满意", "满意", "饭菜偏咸", "张*"],
    ["一般", "不满意", "一般", "满意", "一般", "一般", "早餐太单调，希望多些品种。", "（跳过）"],
    ["非常满意", "非常满意", "非常满意", "非常满意", "非常满意", "非常满意", "(空)", "跳过"],
    ["满意", "满意", "(跳过)", "满意", "非常满意", "满意", "导游讲解生动", "(跳过)"],
    ["非常不满意", "不满意", "一般", "一般", "满意", "不满意", "房间有霉味。", "李*"],
]


def rows() -> list[list[Any]]:
    return [
        [i, f"2021/01/13 18:{5 + i * 3:02d}:12", f"{100 + i}秒", "手机提交", "直接访问", "1.2.3.4", *answers]
        for i, answers in enumerate(ANSWERS, start=1)
    ]


def wjx(path: Path, title: str = "", merged: bool = True) -> Path:
    """The 问卷星 export; ``title`` in A1 right above the header (merged across it or not); CSV by suffix."""
    lines = ([[title]] if title else []) + [HEADER] + rows()
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out).writerows(lines)
        return path
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for line in lines:
        sheet.append(line)
    if title and merged:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    book.save(path)
    return path


@pytest.fixture
def trip(db: Database) -> dict[str, Any]:
    """L2021-style batch: two nights at 寿昌宾馆, a morning at 寿昌古镇景区 (a scenic spot, no night), six paper
    sheets 1-6 entered in the grid."""
    p = partner(db)
    hotel = certified_base(db, "寿昌宾馆")
    spot = certified_base(db, "寿昌古镇景区")
    route = routes.create_route(db, routes.RouteInput("XL12", "寿昌古镇休闲", "leisure", 3, 2))
    batch = batches.create_batch(
        db,
        batches.BatchInput(
            p.id,
            ARRIVAL,
            ARRIVAL + dt.timedelta(days=2),
            6,
            route_id=route.id,
            lodging=(
                batches.LodgingInput(hotel.id, ARRIVAL, 6),
                batches.LodgingInput(hotel.id, ARRIVAL + dt.timedelta(days=1), 6),
            ),
            itinerary=(routes.RouteItemInput(1, "古镇漫游", time_of_day="上午", base_id=spot.id),),
        ),
    )
    for n in range(1, 7):
        rosters.add_participant(
            db, batch.id, rosters.ParticipantInput(f"团员{'甲乙丙丁戊己'[n - 1]}", person_id(n))
        )
    h = lambda d: fb.target_key(hotel.id, d)  # noqa: E731
    paper = [
        fb.GridEdit(
            None,
            None,
            fb.ResponseInput(
                n, None, "", ARRIVAL + dt.timedelta(days=2), "", {h("lodging"): 4, h("overall"): 4}
            ),
        )
        for n in range(1, 7)
    ]
    fb.save_grid(db, batch.id, paper)
    return {"hotel": hotel, "spot": spot, "batch": batch}


def checksums(db: Database) -> tuple[object, ...]:
    with db.engine.connect() as conn:
        return tuple(table_checksum(conn, table_of(m)) for m in (FeedbackResponse, FeedbackRating))


def paper(db: Database, batch_id: int) -> list[tuple[object, ...]]:
    return [
        (r.sheet_no, r.respondent, dict(r.stars), r.comment, r.source)
        for r in fb.list_responses(db, batch_id)
        if r.sheet_no is not None
    ]


def test_the_grid_rates_the_lodging_base_and_the_route_not_the_scenic_spot(db: Database, trip) -> None:
    grid = fb.batch_grid(db, trip["batch"].id)
    assert [s.name for s in grid.subjects] == ["寿昌宾馆", "寿昌古镇休闲"]
    assert [s.lodging for s in grid.subjects] == [True, False]


@pytest.mark.parametrize(
    ("name", "title", "merged"),
    [
        ("plain.xlsx", "", True),
        ("title.xlsx", TITLE, True),
        ("a1.xlsx", TITLE, False),
        ("title.csv", TITLE, False),
    ],
)
def test_a_wjx_export_adds_six_answers_and_leaves_the_paper_sheets(
    db: Database, trip, tmp_path: Path, name: str, title: str, merged: bool
) -> None:
    hotel, batch = trip["hotel"], trip["batch"]
    before = paper(db, batch.id)
    path = wjx(tmp_path / name, title, merged)
    plan = plan_feedback(db, batch.code, path)
    assert plan.layout.header_row == (1 if title else 0) and plan.layout.header_rows == 1
    shown = {plan.headers[c]: plan.shown(k) for k, c in plan.layout.columns.items()}
    assert shown == {
        "提交答卷时间": "填写日期",
        "1.您对住宿的满意度": "寿昌宾馆·住宿",  # the only base the batch sleeps at, not the route
        "寿昌宾馆-餐饮": "寿昌宾馆·餐饮",
        "寿昌宾馆-活动安排": "寿昌宾馆·活动安排",
        "寿昌宾馆-导游讲解": "寿昌宾馆·导游讲解",
        "2.您对安全保障的满意度": "寿昌宾馆·安全保障",
        "3.您对本次疗休养的总体满意度": "线路·总体满意度",  # 本次疗休养: the trip's
        "4.您对本次活动有什么意见和建议？": "意见建议",
        "5.您的姓名（选填）": "填写人",
    }
    assert "序号" in [plan.headers[c] for c in plan.unmapped]  # the tool's row counter is not imported
    assert (plan.count("new"), plan.count("changed"), plan.errors) == (6, 0, [])
    result = apply_feedback(db, plan)
    assert (result.added, result.changed) == (6, 0)
    assert paper(db, batch.id) == before  # sheets 1-6 from paper untouched
    online = [r for r in fb.list_responses(db, batch.id) if r.sheet_no is None]
    assert [r.respondent for r in online] == ["", "张*", "", "", "", "李*"]  # (跳过) / （跳过） / 跳过: blank
    lodging = fb.target_key(hotel.id, "lodging")
    assert [r.stars.get(lodging) for r in online] == [5, 4, 3, 5, 4, 1]
    assert [r.stars.get(fb.target_key(hotel.id, "safety")) for r in online] == [4, 4, 3, 5, 5, 4]
    assert [r.stars.get("route:overall") for r in online] == [5, 4, 3, 5, 4, 2]
    # hand-computed: 寿昌宾馆·住宿 paper 6 × 4 = 24, online 5+4+3+5+4+1 = 22: 46 over 12 = 3.8
    grid = fb.batch_grid(db, batch.id)
    assert (grid.mean(lodging).total, grid.mean(lodging).count, grid.mean(lodging).mean_text()) == (
        46,
        12,
        "3.8",
    )

    # the same file again changes nothing
    sums = checksums(db)
    again = plan_feedback(db, batch.code, path)
    assert (again.count("new"), again.count("changed"), again.count("unchanged")) == (0, 0, 6)
    apply_feedback(db, again)
    assert checksums(db) == sums


def test_a_file_never_replaces_a_sheet_entered_from_paper(db: Database, trip, tmp_path: Path) -> None:
    batch = trip["batch"]
    before, sums = paper(db, batch.id), checksums(db)
    path = wjx(tmp_path / "wjx.xlsx")
    plan = plan_feedback(db, batch.code, path, mapping={"A": "问卷编号"})  # 序号 taken as the number by hand
    assert (plan.count("new"), plan.count("changed")) == (0, 0) and plan.bad_rows == [2, 3, 4, 5, 6, 7]
    first = plan.rows[0].errors[0]
    assert (first.row, first.column) == (2, "A")
    assert first.message.startswith(
        "文件第 2 行：问卷 1 已手工录入，文件中的答案不同：意见建议、寿昌宾馆·活动安排、寿昌宾馆·餐饮、"
        "寿昌宾馆·导游讲解、寿昌宾馆·住宿、寿昌宾馆·安全保障、线路·总体满意度。"
    )
    with pytest.raises(RuleViolation):
        apply_feedback(db, plan)
    assert apply_feedback(db, plan, skip_invalid=True).added == 0
    assert paper(db, batch.id) == before and checksums(db) == sums


def test_the_same_file_with_the_same_manual_mapping_changes_nothing(
    db: Database, trip, tmp_path: Path
) -> None:
    batch = trip["batch"]
    path = wjx(tmp_path / "wjx.xlsx", TITLE)
    mapping = {"G": "线路·住宿", "K": "-"}  # chosen by hand in the preview
    first = plan_feedback(db, batch.code, path, mapping=mapping)
    assert apply_feedback(db, first).added == 6
    sums = checksums(db)
    again = plan_feedback(db, batch.code, path, mapping=mapping)
    assert (again.count("new"), again.count("changed"), again.count("unchanged")) == (0, 0, 6)
    apply_feedback(db, again)
    assert checksums(db) == sums and len(fb.list_responses(db, batch.id)) == 12  # 6 paper + 6 online
