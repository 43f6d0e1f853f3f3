"""Feedback per batch (问卷反馈), the core: the grid a batch offers, stars and means computed by hand, the response
rate and what it is measured against, a whole grid saved or refused with every bad cell named, questionnaire
numbers unique per batch, the audit trail, the sums the scorecard reads, the command line and the printed
questionnaire."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlmodel import select

from recuperation.cli import main
from recuperation.documents import feedback_docs
from recuperation.errors import RuleViolation, StaleEditError, ValidationError
from recuperation.models import AuditEntry
from recuperation.services import feedback as fb
from recuperation.services import routes
from recuperation.services.batch import attendance, batches, roster_moves, rosters
from recuperation.storage.database import Database
from tests.factories import certified_base, partner, person_id

D = dt.date
ARRIVAL = D(2021, 5, 10)
NAMES = ("王建芳", "李强", "欧阳娜娜", "赵敏", "钱学军")


@pytest.fixture
def trip(db: Database) -> dict[str, Any]:
    """A batch of 2021 at two bases (寿昌宾馆 the first night, 梅城大酒店 the second) on a route, with five members
    and a companion on its roster."""
    p = partner(db)
    a = certified_base(db, "寿昌宾馆")
    b = certified_base(db, "梅城大酒店")
    route = routes.create_route(db, routes.RouteInput("XL01", "寿昌古镇休闲", "leisure", 3, 2))
    batch = batches.create_batch(
        db,
        batches.BatchInput(
            p.id,
            ARRIVAL,
            ARRIVAL + dt.timedelta(days=2),
            6,
            route_id=route.id,
            lodging=(
                batches.LodgingInput(a.id, ARRIVAL, 6),
                batches.LodgingInput(b.id, ARRIVAL + dt.timedelta(days=1), 6),
            ),
        ),
    )
    for n, name in enumerate(NAMES, start=1):
        rosters.add_participant(db, batch.id, rosters.ParticipantInput(name, person_id(n)))
    companion, _warnings = rosters.add_participant(
        db, batch.id, rosters.ParticipantInput("孙小妹", person_id(9))
    )
    roster_moves.set_companion(db, companion.id, companion.version, True)
    return {"partner": p, "a": a, "b": b, "route": route, "batch": batch}


def key(base: Any, dimension: str) -> str:
    return fb.target_key(None if base is None else base.id, dimension)


def new(sheet: int | None = None, respondent: str = "", comment: str = "", **stars: int) -> fb.GridEdit:
    return fb.GridEdit(None, None, fb.ResponseInput(sheet, None, respondent, None, comment, stars))


def test_the_grid_offers_the_bases_the_group_reached_then_the_route(db: Database, trip) -> None:
    grid = fb.batch_grid(db, trip["batch"].id)
    assert [s.name for s in grid.subjects] == ["寿昌宾馆", "梅城大酒店", "寿昌古镇休闲"]
    assert grid.subjects[-1].base_id is None
    assert grid.dimensions == ("lodging", "food", "activities", "guide", "safety", "overall")
    assert len(grid.targets) == 3 * 6
    shown = [t.shown() for t in grid.targets]
    assert shown[1] == "寿昌宾馆·餐饮" and shown[-1] == "线路·总体满意度"
    assert grid.rows == () and grid.rate.responses == 0 and grid.open


def test_means_and_the_response_rate_computed_by_hand(db: Database, trip) -> None:
    a, b, batch = trip["a"], trip["b"], trip["batch"]
    food, overall, lodging_b = key(a, "food"), key(None, "overall"), key(b, "lodging")
    fb.save_grid(
        db,
        batch.id,
        [
            new(1, **{food: 4, overall: 5, lodging_b: 4}),
            new(2, comment="早餐品种少，希望增加粥。", **{food: 5, overall: 4, lodging_b: 4}),
            new(3, **{food: 4, lodging_b: 5}),  # the route not answered: a blank, never 0
            new(None, "第一组", **{food: 2}),
        ],
    )
    grid = fb.batch_grid(db, batch.id)
    # 寿昌宾馆·餐饮: 4 + 5 + 4 + 2 = 15 over 4 answers = 3.75, shown 3.8 (half up)
    assert (grid.mean(food).total, grid.mean(food).count, grid.mean(food).mean_text()) == (15, 4, "3.8")
    # 线路·总体满意度: 5 + 4 = 9 over 2 = 4.5; 梅城大酒店·住宿: 4 + 4 + 5 = 13 over 3 = 4.33…, shown 4.3
    assert (grid.mean(overall).total, grid.mean(overall).count, grid.mean(overall).mean_text()) == (
        9,
        2,
        "4.5",
    )
    assert (grid.mean(lodging_b).total, grid.mean(lodging_b).count, grid.mean(lodging_b).mean_text()) == (
        13,
        3,
        "4.3",
    )
    assert grid.mean(key(a, "guide")).mean_text() == "—"  # nobody answered
    assert [r.sheet_no for r in grid.rows] == [1, 2, 3, None]
    assert grid.rows[1].comment == "早餐品种少，希望增加粥。"
    # 4 responses of the roster's 5 members (the companion is not counted), the roll call still open
    assert (grid.rate.responses, grid.rate.people, grid.rate.basis) == (4, 5, fb.ROSTER)
    assert grid.rate.percent_text() == "80.0%"
    assert "名单团员 5 人" in grid.rate.text() and "80.0%" in grid.rate.text()

    # the roll call closed: 3 attended, 1 left early, 1 no-show (the companion came): 4 of the 4 who came
    people = rosters.list_participants(db, batch.id)
    marks = ["attended", "attended", "attended", "left_early", "no_show", "attended"]
    for person, mark in zip(people, marks, strict=True):
        attendance.mark(
            db,
            person.id,
            person.version,
            mark,
            left_on=ARRIVAL + dt.timedelta(days=1) if mark == "left_early" else None,
        )
    attendance.close_roll_call(db, batch.id, on=ARRIVAL + dt.timedelta(days=2))
    rate = fb.response_rate(db, batch.id)
    assert (rate.responses, rate.people, rate.basis, rate.percent_text()) == (4, 4, fb.ATTENDED, "100.0%")
    assert "实到团员 4 人" in rate.text()


def test_the_rate_of_a_batch_without_a_roster_is_measured_against_its_headcount(db: Database, trip) -> None:
    p = trip["partner"]
    bare = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 6, 1), D(2021, 6, 2), 30))
    fb.save_grid(db, bare.id, [new(n, **{key(None, "overall"): 5}) for n in range(1, 8)])
    rate = fb.response_rate(db, bare.id)
    # 7 of 30 = 23.333…%, shown 23.3%
    assert (rate.responses, rate.people, rate.basis, rate.percent_text()) == (7, 30, fb.HEADCOUNT, "23.3%")


def test_a_bad_cell_is_named_and_nothing_is_written(db: Database, trip) -> None:
    a, batch = trip["a"], trip["batch"]
    food, overall = key(a, "food"), key(None, "overall")
    fb.save_grid(db, batch.id, [new(1, **{food: 4})])
    stored = fb.list_responses(db, batch.id)
    first = stored[0]
    changed = fb.GridEdit(first.id, first.version, fb.ResponseInput(1, stars={food: 3}))
    with pytest.raises(ValidationError) as refused:
        fb.save_grid(
            db,
            batch.id,
            [
                changed,
                new(5, **{food: 5}),
                new(7, **{food: 6}),
                new(None, **{overall: 0}),
                new(8, **{overall: 4.5}),
            ],  # type: ignore[arg-type]
        )
    text = str(refused.value)
    assert "问卷 7，寿昌宾馆·餐饮：星级应为 1 至 5，而不是 6" in text
    assert "第 4 行，线路·总体满意度：星级应为 1 至 5，而不是 0" in text
    assert "问卷 8，线路·总体满意度：星级应为 1 至 5，而不是 4.5" in text
    assert [(p.row, p.field) for p in refused.value.problems] == [(2, food), (3, overall), (4, overall)]  # type: ignore[attr-defined]
    # nothing written: not the good new row, not the change of the first
    assert fb.list_responses(db, batch.id) == stored
    # a blank is not answered, not 0; "" as well
    fb.save_grid(db, batch.id, [new(2, **{food: None, overall: ""})])  # type: ignore[arg-type]
    assert fb.list_responses(db, batch.id)[1].stars == {}


def test_questionnaire_numbers_are_unique_per_batch_and_move_between_rows(db: Database, trip) -> None:
    a, batch = trip["a"], trip["batch"]
    food = key(a, "food")
    fb.save_grid(db, batch.id, [new(1, "甲", **{food: 4}), new(2, "乙", **{food: 5})])
    with pytest.raises(ValidationError) as twice:
        fb.save_grid(db, batch.id, [new(3, **{food: 3}), new(3, **{food: 2})])
    assert "问卷编号 3 用了两次（第 1 行、第 2 行）" in str(twice.value)
    with pytest.raises(ValidationError) as taken:
        fb.add_response(db, batch.id, fb.ResponseInput(2, stars={food: 3}))
    assert "问卷编号 2 用了两次（已有的问卷（乙）、第 1 行）" in str(taken.value)
    # the two numbers swapped in one save (the unique constraint never sees them meet), and a star changed
    one, two = fb.list_responses(db, batch.id)
    fb.save_grid(
        db,
        batch.id,
        [
            fb.GridEdit(one.id, one.version, fb.ResponseInput(2, None, "甲", None, "", {food: 3})),
            fb.GridEdit(two.id, two.version, fb.ResponseInput(1, None, "乙", None, "", {food: 5})),
        ],
    )
    rows = fb.list_responses(db, batch.id)
    assert [(r.sheet_no, r.respondent, r.stars[food]) for r in rows] == [(1, "乙", 5), (2, "甲", 3)]
    with db.session() as session:
        entries = session.exec(
            select(AuditEntry).where(
                AuditEntry.table_name == "feedback_response", AuditEntry.record_id == one.id
            )
        ).all()
    changes = [(e.action, e.field, e.old, e.new) for e in entries]
    assert ("update", "sheet_no", "1", "2") in changes
    assert ("update", "ratings", "寿昌宾馆·餐饮 4", "寿昌宾馆·餐饮 3") in changes
    # a row that did not change changes nothing (no new version)
    again = fb.list_responses(db, batch.id)[0]
    result = fb.save_grid(db, batch.id, [fb.GridEdit(again.id, again.version, again.as_input())])
    assert (result.changed, result.unchanged) == (0, 1)
    assert fb.list_responses(db, batch.id)[0].version == again.version


def test_a_stale_row_is_refused_and_a_deleted_response_keeps_its_stars_in_the_audit_log(
    db: Database, trip
) -> None:
    a, batch = trip["a"], trip["batch"]
    food = key(a, "food")
    row = fb.add_response(db, batch.id, fb.ResponseInput(4, stars={food: 4}))
    fb.update_response(db, row.id, row.version, fb.ResponseInput(4, stars={food: 5}))
    with pytest.raises(StaleEditError):  # another desk saved first
        fb.update_response(db, row.id, row.version, fb.ResponseInput(4, stars={food: 2}))
    current = fb.list_responses(db, batch.id)[0]
    assert current.stars == {food: 5} and current.version == row.version + 1
    with pytest.raises(StaleEditError):
        fb.delete_response(db, row.id, row.version)
    fb.delete_response(db, current.id, current.version)
    assert fb.list_responses(db, batch.id) == []
    with db.session() as session:
        deleted = session.exec(
            select(AuditEntry).where(
                AuditEntry.table_name == "feedback_response", AuditEntry.action == "delete"
            )
        ).one()
    assert (deleted.record_label, deleted.old) == (f"{batch.code} 问卷 4", "寿昌宾馆·餐饮 5")


def test_no_feedback_for_a_cancelled_batch_or_one_that_has_not_begun(db: Database, trip) -> None:
    p = trip["partner"]
    later = D.today() + dt.timedelta(days=10)
    coming = batches.create_batch(db, batches.BatchInput(p.id, later, later + dt.timedelta(days=1), 5))
    with pytest.raises(RuleViolation) as refused:
        fb.add_response(db, coming.id, fb.ResponseInput(1))
    assert "还没有开始" in str(refused.value)
    gone = batches.create_batch(db, batches.BatchInput(p.id, D(2021, 7, 1), D(2021, 7, 2), 5))
    gone = batches.set_status(db, gone.id, gone.version, "cancelled", "天气原因")
    with pytest.raises(RuleViolation) as cancelled:
        fb.add_response(db, gone.id, fb.ResponseInput(1))
    assert "已取消" in str(cancelled.value)
    # dates: not before the arrival, not in the future; a text field without control characters
    batch = trip["batch"]
    with pytest.raises(ValidationError) as early:
        fb.add_response(db, batch.id, fb.ResponseInput(1, answered_on=D(2021, 5, 9)))
    assert "早于批次到达的 2021-05-10" in str(early.value)
    with pytest.raises(ValidationError) as control:
        fb.add_response(db, batch.id, fb.ResponseInput(1, respondent="张\x1b三"))
    assert "U+001B" in str(control.value)


def test_scores_by_base_route_partner_and_batch_for_the_scorecard(db: Database, trip) -> None:
    a, b, batch, route = trip["a"], trip["b"], trip["batch"], trip["route"]
    fb.save_grid(
        db,
        batch.id,
        [
            new(1, **{key(a, "food"): 4, key(a, "overall"): 5, key(None, "overall"): 5}),
            new(2, **{key(a, "food"): 3, key(b, "overall"): 2, key(None, "overall"): 4}),
            new(3, **{key(b, "overall"): 3}),
        ],
    )
    # another batch of the year at 寿昌宾馆 without a route, and one of 2022 that the year leaves out
    p = trip["partner"]
    other = batches.create_batch(
        db,
        batches.BatchInput(
            p.id, D(2021, 9, 1), D(2021, 9, 2), 3, lodging=(batches.LodgingInput(a.id, D(2021, 9, 1), 3),)
        ),
    )
    fb.save_grid(db, other.id, [new(1, **{key(a, "food"): 5, key(None, "overall"): 3})])
    later = batches.create_batch(
        db,
        batches.BatchInput(
            p.id, D(2022, 3, 1), D(2022, 3, 2), 3, lodging=(batches.LodgingInput(a.id, D(2022, 3, 1), 3),)
        ),
    )
    fb.save_grid(db, later.id, [new(1, **{key(a, "food"): 1})])
    with db.session() as session:
        by_base = fb.scores(session, "base", year=2021)
        by_route = fb.scores(session, "route", year=2021)
        by_partner = fb.scores(session, "partner", year=2021)
        by_batch = fb.scores(session, "batch", year=2021)
    shou = by_base[a.id]
    # 寿昌宾馆·餐饮: 4 + 3 + 5 = 12 over 3 = 4.0; 总体: 5 over 1
    assert (shou.name, shou.of("food").total, shou.of("food").count, shou.of("food").mean_text()) == (
        "寿昌宾馆",
        12,
        3,
        "4.0",
    )
    assert (shou.of("overall").total, shou.of("overall").count) == (5, 1)
    assert (shou.responses, shou.batches) == (3, 2)
    mei = by_base[b.id]
    assert (mei.of("overall").total, mei.of("overall").count, mei.of("overall").mean_text()) == (5, 2, "2.5")
    assert set(by_base) == {a.id, b.id}
    # the route's stars: 寿昌古镇休闲 5 + 4; the other batch has no route (None)
    assert (
        by_route[route.id].name,
        by_route[route.id].of("overall").total,
        by_route[route.id].of("overall").count,
    ) == (
        "寿昌古镇休闲",
        9,
        2,
    )
    assert (by_route[None].of("overall").total, by_route[None].of("overall").count) == (3, 1)
    # the partner: every star of its groups in 2021 (the bases' and the routes'): 4+5+5+3+2+4+3+5+3 = 34 over 9
    whole = by_partner[trip["partner"].id]
    assert (whole.total, whole.count, whole.responses, whole.batches) == (34, 9, 4, 2)
    assert by_batch[batch.id].total == 4 + 5 + 5 + 3 + 2 + 4 + 3 and by_batch[other.id].total == 8
    # the list for a year, by name
    assert [s.name for s in fb.feedback_scores(db, "base", 2021)] == ["寿昌宾馆", "梅城大酒店"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_feedback_list_from_the_command_line(db: Database, trip, capsys) -> None:
    a, batch = trip["a"], trip["batch"]
    fb.save_grid(db, batch.id, [new(1, **{key(a, "food"): 4}), new(2, **{key(a, "food"): 5})])
    code, out, _err = run(capsys, "--db", db.url, "feedback", "list", batch.code, "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["responses"], data["people"], data["basis"], data["rate"]) == (2, 5, "roster", "40.0%")
    food = next(m for m in data["means"] if m["target"] == "寿昌宾馆·餐饮")
    assert (food["total"], food["count"], food["mean"]) == (9, 2, "4.5")
    code, out, _err = run(capsys, "--db", db.url, "feedback", "list", batch.code)
    assert code == 0 and "寿昌宾馆·餐饮\t4.5\t9/2" in out
    lines = out.splitlines()  # each table under a header line naming its columns
    assert lines[1] == "项目\t平均\t星数/回答数"
    heading = lines.index("问卷编号\t填写人\t已答项数\t意见建议")
    assert lines[heading + 1 :] == ["1\t\t1\t", "2\t\t1\t"]  # number, nobody named, 1 question answered
    code, _out, err = run(capsys, "--db", db.url, "feedback", "list", "L2099-9999")
    assert code == 1 and "L2099-9999" in err


def pdf_pages(path: Path) -> list[str]:
    return ["".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_the_questionnaire_has_a_numbered_sheet_per_member_with_its_qr_code(
    db: Database, trip, capsys, tmp_path: Path
) -> None:
    batch = trip["batch"]
    target = tmp_path / "问卷.pdf"
    code, _out, err = run(capsys, "--db", db.url, "print", "questionnaire", batch.code, "-o", str(target))
    assert code == 0, err
    pages = pdf_pages(target)
    assert len(pages) == 5  # the five members; the companion is not asked
    for number, (page, name) in enumerate(zip(pages, NAMES, strict=True), start=1):
        assert batch.code in page and f"问卷编号{number}" in page
        assert f"填写人：{fb.mask_name(name)}" in page and name not in page
        for word in (
            "基地：寿昌宾馆",
            "基地：梅城大酒店",
            "线路：寿昌古镇休闲",
            "住宿",
            "餐饮",
            "活动安排",
            "导游讲解",
        ):
            assert word in page, word
        assert "安全保障" in page and "总体满意度" in page and "非常满意" in page and "意见和建议" in page
    assert fb.mask_name("欧阳娜娜") == "欧**娜" and fb.mask_name("李强") == "李*"
    # the QR code of sheet 2: RD1|code|2, read back as the batch and the number
    payload = feedback_docs.qr_payload(batch.code, 2)
    assert payload == f"RD1|{batch.code}|2"
    drawing = feedback_docs.qr_code(payload)
    assert drawing.contents[0].value == payload and drawing.width >= 25 * 72 / 25.4
    assert feedback_docs.read_qr(payload) == (batch.code, 2)
    assert feedback_docs.read_qr("L2021-0001|2") is None
    if importlib.util.find_spec("zxingcpp") is not None:  # a decoder, where one is installed, reads the print
        import zxingcpp  # type: ignore[import-not-found]
        from PIL import Image

        subprocess.run(
            ["pdftoppm", "-png", "-r", "150", "-f", "2", "-l", "2", str(target), str(tmp_path / "p")],
            check=True,
        )
        image = Image.open(next(tmp_path.glob("p*.png")))
        assert payload in [found.text for found in zxingcpp.read_barcodes(image)]

    # copies for groups: numbered, without names
    code, _out, err = run(
        capsys,
        "--db",
        db.url,
        "print",
        "questionnaire",
        batch.code,
        "--group",
        "3",
        "-o",
        str(tmp_path / "g.pdf"),
    )
    assert code == 0, err
    groups = pdf_pages(tmp_path / "g.pdf")
    assert len(groups) == 3 and "问卷编号3" in groups[2] and "按组填写" in groups[0]
    assert not any(fb.mask_name(n) in "".join(groups) for n in NAMES)


def test_a_questionnaire_for_nobody_is_refused_and_nothing_is_written(
    db: Database, trip, capsys, tmp_path: Path
) -> None:
    bare = batches.create_batch(db, batches.BatchInput(trip["partner"].id, D(2021, 6, 1), D(2021, 6, 2), 30))
    target = tmp_path / "none.pdf"
    code, _out, err = run(capsys, "--db", db.url, "print", "questionnaire", bare.code, "-o", str(target))
    assert code == 1 and "--group" in err and not target.exists()
