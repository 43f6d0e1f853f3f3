"""Issue 23 attacked as a partner's clerk, a second desk and a hostile user would: survey exports with drawn stars,
numbers as text and dates as Excel serials, a free-text question that mentions 住宿, ``--map`` onto a column the
file does not have, a preview that must name what the save would refuse, emoji typed on a phone, two desks
importing one file at once, a blank checklist imported twice, result words inspectors write, and re-check files
with texts as long as their fields allow or a base's name of a hundred characters — on both databases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader
from sqlmodel import func, select

from recuperation.documents.fonts import find_font
from recuperation.documents.pdf import fitted
from recuperation.documents.render import render
from recuperation.errors import RuleViolation, StaleEditError, ValidationError
from recuperation.feedback_cells import parse_day, parse_stars
from recuperation.feedback_export import export_feedback
from recuperation.feedback_workbook import apply_feedback, plan_feedback
from recuperation.inspection_workbook import apply_checklist, export_checklist, plan_checklist, read_result
from recuperation.models import Inspection, InspectionItem
from recuperation.services import bases, incidents, inspections
from recuperation.services import feedback as fb
from recuperation.storage.database import Database
from tests import test_feedback
from tests.test_feedback import key, new, run
from tests.test_feedback_import import checksums
from tests.test_scorecard import respond, two_years

trip = test_feedback.trip  # a batch of 2021-05-10 … 12 at 寿昌宾馆 and 梅城大酒店 on a route, five members
D = dt.date


def book_of(path: Path, *rows: list[Any]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# -- feedback workbooks ----------------------------------------------------------------------------------------------


def test_drawn_stars_numbers_as_text_and_dates_as_excel_serials_are_read(
    db: Database, trip, tmp_path: Path
) -> None:
    # a star scale drawn as the survey tool shows it: the filled stars count, the hollow ones are the rest
    assert [parse_stars(v) for v in ("★★★★☆", "★★☆☆☆", "★★★★★", "⭐⭐⭐", "5.0", "4.00")] == [
        4,
        2,
        5,
        3,
        5,
        4,
    ]
    for bad in ("☆☆☆☆☆", "★★★★★☆", "★☆★", "4.5"):
        with pytest.raises(ValueError):
            parse_stars(bad)
    # a date cell whose format was lost reads as its serial number: 44328 is 2021-05-12
    assert [parse_day(v) for v in (44328, 44328.4375, "44328", "20210512")] == [D(2021, 5, 12)] * 4
    with pytest.raises(ValueError):
        parse_day(120)  # 所用时间 120 秒 is no day

    a, batch = trip["a"], trip["batch"]
    path = book_of(
        tmp_path / "腾讯问卷.xlsx",
        ["问卷编号", "提交答卷时间", "1、您对寿昌宾馆住宿的满意度", "2、寿昌宾馆-餐饮", "3、意见建议"],
        [1, 44328, "★★★★☆", "5.0", "很好"],
        [2, "44329", "★★☆☆☆", "3", ""],
    )
    plan = plan_feedback(db, batch.code, path)
    assert plan.errors == [] and plan.count("new") == 2
    apply_feedback(db, plan)
    rows = fb.list_responses(db, batch.id)
    assert [
        (r.sheet_no, r.answered_on, r.stars[key(a, "lodging")], r.stars[key(a, "food")]) for r in rows
    ] == [
        (1, D(2021, 5, 12), 4, 5),
        (2, D(2021, 5, 13), 2, 3),
    ]


def test_a_free_text_question_naming_a_dimension_is_left_out_but_a_score_column_is_not(
    db: Database, trip, tmp_path: Path
) -> None:
    a, batch = trip["a"], trip["batch"]
    path = book_of(
        tmp_path / "问卷星.xlsx",
        ["问卷编号", "住宿方面的问题", "寿昌宾馆-餐饮", "您对本次疗休养的总体满意度"],
        [1, "房间偏小", 5, "满意"],
        [2, "没有", "很好", "非常满意"],  # a word that is no star, in a column headed as a score
        [3, "(跳过)", "(跳过)", "一般"],
    )
    plan = plan_feedback(db, batch.code, path)
    # 住宿方面的问题 is a question answered in words: not imported, and said so
    assert [plan.headers[c] for c in plan.unmapped] == ["住宿方面的问题"]
    assert {plan.shown(k) for k in plan.columns} == {"问卷编号", "寿昌宾馆·餐饮", "线路·总体满意度"}
    # 寿昌宾馆-餐饮 names a base: its bad answer is named at its cell, never passed over
    assert [(p.row, p.column) for p in plan.errors] == [(3, "C")]
    assert "“很好”不是寿昌宾馆·餐饮的星级" in plan.errors[0].message
    result = apply_feedback(db, plan, skip_invalid=True)
    assert (result.added, result.skipped) == (2, (3,))
    assert [r.stars.get(key(a, "food")) for r in fb.list_responses(db, batch.id)] == [5, None]


def test_mapping_a_column_the_file_does_not_have_is_refused(
    db: Database, trip, tmp_path: Path, capsys: Any
) -> None:
    batch = trip["batch"]
    overall = key(None, "overall")
    fb.save_grid(db, batch.id, [new(1, **{overall: 5}), new(2, **{overall: 4})])
    path = book_of(tmp_path / "f.xlsx", ["问卷编号", "线路·总体满意度"], [1, 5], [2, 4])
    before = checksums(db)
    # ZZZ (or the column after the last) holds nothing: mapped, its blanks would take every overall star away
    for column in ("ZZZ", "C", "3"):
        with pytest.raises(ValidationError) as refused:
            plan_feedback(db, batch.code, path, mapping={column: "线路·总体满意度"})
        assert f"找不到列“{column}”" in refused.value.message
    code, _out, err = run(
        capsys, "--db", db.url, "feedback", "import", batch.code, str(path), "--map", "ZZZ=线路·总体满意度"
    )
    assert code == 1 and "找不到列“ZZZ”" in err
    assert checksums(db) == before
    assert [r.stars for r in fb.list_responses(db, batch.id)] == [{overall: 5}, {overall: 4}]
    # a column the file has is still mapped by hand
    plan = plan_feedback(db, batch.code, path, mapping={"B": "寿昌宾馆·总体满意度"})
    assert plan.shown(next(k for k, c in plan.columns.items() if c == 1)) == "寿昌宾馆·总体满意度"


def test_the_preview_names_what_saving_would_refuse_and_skipping_leaves_exactly_those_rows_out(
    db: Database, trip, tmp_path: Path, capsys: Any
) -> None:
    batch = trip["batch"]  # arrives 2021-05-10
    path = book_of(
        tmp_path / "问卷.xlsx",
        ["问卷编号", "填写日期", "寿昌宾馆-餐饮", "意见建议"],
        [1, "2021-05-05", 5, "出发前就填了"],  # before the arrival
        [2, "2021-05-12", 4, "好\u200b的"],  # a zero-width space pasted in
        [3, "2021-05-12", 3, "一般"],
    )
    plan = plan_feedback(db, batch.code, path)
    assert [(p.row, p.column, p.field) for p in plan.errors] == [(2, "B", "answered_on"), (3, "D", "comment")]
    assert "2021-05-05 早于批次到达的 2021-05-10" in plan.errors[0].message
    assert "U+200B" in plan.errors[1].message
    assert (plan.count("new"), plan.bad_rows) == (1, [2, 3])
    # the dry run says so: before, it said all was well and the import then failed whole
    code, out, _err = run(
        capsys, "--db", db.url, "feedback", "import", batch.code, str(path), "--dry-run", "--json"
    )
    report = json.loads(out)
    assert code == 1 and (report["added"], len(report["errors"])) == (1, 2)
    before = checksums(db)
    with pytest.raises(RuleViolation):
        apply_feedback(db, plan)
    assert checksums(db) == before
    result = apply_feedback(db, plan, skip_invalid=True)
    assert (result.added, result.skipped) == (1, (2, 3))
    assert [r.sheet_no for r in fb.list_responses(db, batch.id)] == [3]


def test_emoji_typed_on_a_phone_are_a_comment_and_a_skipped_answer_is_no_comment(
    db: Database, trip, tmp_path: Path
) -> None:
    a, batch = trip["a"], trip["batch"]
    food = key(a, "food")
    family = "导游很棒👨\u200d👩\u200d👧\u200d👦，我太难了🤦\u200d♂️，点赞👍🏻❤️"
    fb.save_grid(db, batch.id, [new(1, comment=family, **{food: 5}), new(2, comment="(跳过)", **{food: 4})])
    rows = fb.list_responses(db, batch.id)
    assert [r.comment for r in rows] == [family, ""]  # (跳过) is what a survey tool writes for nothing
    # a joiner between letters is still a hidden character
    with pytest.raises(ValidationError) as refused:
        fb.save_grid(db, batch.id, [new(3, comment="好\u200d的", **{food: 3})])
    assert "U+200D" in refused.value.message
    # exported and imported back: nothing changes
    before = checksums(db)
    path = tmp_path / "导出.xlsx"
    export_feedback(db, batch.code, path)
    plan = plan_feedback(db, batch.code, path)
    assert (plan.errors, plan.count("unchanged")) == ([], 2)
    apply_feedback(db, plan)
    assert checksums(db) == before


def test_two_desks_importing_one_file_at_once_add_it_once(db: Database, trip, tmp_path: Path) -> None:
    a, batch = trip["a"], trip["batch"]
    path = book_of(
        tmp_path / "问卷.xlsx",
        ["填写日期", "寿昌宾馆-餐饮", "意见建议"],  # no questionnaire numbers: rows matched by their answers
        ["2021-05-12", 5, "好"],
        ["2021-05-12", 3, "一般"],
    )
    first = plan_feedback(db, batch.code, path)
    second = plan_feedback(db, batch.code, path)  # the other desk's preview, read at the same moment
    assert first.count("new") == second.count("new") == 2
    apply_feedback(db, first)
    before = checksums(db)
    with pytest.raises(StaleEditError) as refused:
        apply_feedback(db, second)
    assert "当时 0 份，现在 2 份" in refused.value.message and "重新读取文件" in refused.value.message
    assert checksums(db) == before
    assert sorted(r.stars[key(a, "food")] for r in fb.list_responses(db, batch.id)) == [3, 5]
    # read again, the file is what is on file
    again = plan_feedback(db, batch.code, path)
    assert (again.count("new"), again.count("unchanged")) == (0, 2)


# -- checklists ----------------------------------------------------------------------------------------------


def _count(db: Database) -> int:
    with db.session() as session:
        return int(session.exec(select(func.count()).select_from(Inspection)).one())


def test_a_filled_blank_checklist_imported_twice_makes_one_inspection(db: Database, tmp_path: Path) -> None:
    inspections.load_default_clauses(db)
    bases.create_base(db, bases.BaseInput(name="寿昌宾馆", beds=80))
    path = tmp_path / "空白.xlsx"
    export_checklist(db, "寿昌宾馆", path, kind="recheck", on_date=D(2024, 6, 3), inspectors="周涛")
    book = openpyxl.load_workbook(path)
    sheet = book["检查表"]
    for cells in sheet.iter_rows(min_row=8):
        if cells[0].value == "5.2":
            cells[4].value, cells[5].value = "不合格", "旺季疏导预案未成文"  # an inspector's word
        if cells[0].value == "3.5":
            cells[4].value = "Pass"
    book.save(path)
    # two desks read the same form, or one desk imports it twice
    first = plan_checklist(db, "寿昌宾馆", path)
    second = plan_checklist(db, "寿昌宾馆", path)
    assert first.problems == [] and first.status == "new" and first.changed == 2
    made = apply_checklist(db, first)
    with pytest.raises(RuleViolation) as refused:
        apply_checklist(db, second)
    number = made.inspection_id
    assert f"已有 2024-06-03 的复核（考察编号 {number}）" in refused.value.message
    assert _count(db) == 1
    # read again: said at the header's 考察编号, with what to do
    again = plan_checklist(db, "寿昌宾馆", path)
    assert [(p.row, p.column, p.field) for p in again.problems] == [(2, "考察编号", "inspection")]
    assert f"请在“考察编号”中填写 {number}" in again.problems[0].message
    # the number written in: the file is that inspection, unchanged
    sheet["F2"].value = str(number)
    book.save(path)
    plan = plan_checklist(db, "寿昌宾馆", path)
    assert (plan.problems, plan.status, plan.inspection_id) == ([], "unchanged", number)
    items = {i.code: i for i in inspections.get_inspection(db, number).items}
    assert (items["5.2"].result, items["5.2"].note, items["3.5"].result) == (
        "not_met",
        "旺季疏导预案未成文",
        "met",
    )


def test_result_words_inspectors_write() -> None:
    assert [read_result(v) for v in ("合格", "不合格", "符合要求", "不符合要求", "Pass", "FAIL", "☑")] == [
        "met",
        "not_met",
        "met",
        "not_met",
        "met",
        "not_met",
        "met",
    ]
    assert read_result("Non-compliant") == "not_met" and read_result("Compliant") == "met"


# -- the re-check file ------------------------------------------------------------------------------------------


def test_texts_as_long_as_their_fields_allow_print_over_pages_instead_of_failing(
    db: Database, tmp_path: Path
) -> None:
    years = two_years(db)
    # what was done, as long as the field takes (4,000 characters): taller than a page in its column
    done = "现场处置：" + "送医检查，联系单位，安排陪护。" * 266
    incidents.record_incident(
        db,
        incidents.IncidentInput(
            D(2021, 9, 1),
            "complaint",
            "moderate",
            "房间空调故障",
            base_id=years.shouchang,
            action_taken=done[: incidents.TEXT_MAX],
            details="投诉人电话 13905710000",
        ),
    )
    note = "消防通道堆放杂物" + "，需整改" * 248  # an inspector's note of 1,000 characters
    with db.session(write=True) as session:
        row = Inspection(
            base_id=years.shouchang, kind="routine", on_date=D(2021, 9, 2), standard="DB3301/T 0374-2022"
        )
        session.add(row)
        session.flush()
        session.add(
            InspectionItem(
                inspection_id=row.id,
                code="5.1",
                element="safety",
                requirement="消防设施完好，通道畅通。",
                strength="shall",
                position=1,
                result="not_met",
                note=note[:1000],
                checked_on=D(2021, 9, 2),
            )
        )
    respond(
        db, years.x_id, 9, {years.shouchang: {"overall": 2}}, "意见：" + "早餐太单调，" * 330, D(2021, 5, 12)
    )
    path = tmp_path / "复核档案.pdf"
    result = render(db, "review_file", "寿昌宾馆", path, year=2021)
    pages = [p.extract_text() for p in PdfReader(result.path).pages]
    text = "\n".join(pages)
    assert "现场处置：送医检查" in text and "消防通道堆放杂物" in text and "意见：早餐太单调" in text
    assert "评审组成员" in pages[-1] or "组长" in pages[-1]  # the file runs to its signature lines
    assert "13905710000" not in text and "139****0000" in text


def test_a_long_base_name_stays_on_its_side_of_the_running_header(db: Database, tmp_path: Path) -> None:
    font = find_font()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def width(t: str) -> float:
        return stringWidth(t, font.name, 9)

    assert fitted("评分表  寿昌宾馆", 300, width) == "评分表  寿昌宾馆"
    cut = fitted("评分表  " + "浙" * 100, 300, width)
    assert cut.endswith("…") and width(cut) <= 300 and cut.startswith("评分表  浙")
    kept = fitted("复核档案  " + "浙" * 100 + " 2021", 300, width)
    assert kept.endswith("浙… 2021") and width(kept) <= 300

    two_years(db)
    name = ("建德市新安江街道职工疗休养基地暨总工会职工服务中心附属国际会议度假大酒店" * 3)[:100]
    with db.session(write=True) as session:
        from recuperation.models import Base

        base = session.exec(select(Base).where(Base.name == "寿昌宾馆")).one()
        base.name = name
    path = render(db, "scorecard", name, tmp_path / "card.pdf", year=2021).path
    lines = PdfReader(path).pages[0].extract_text().split("\n")
    header = next(line for line in lines if line.startswith("基地评分表"))
    # the title and the name cut with “…”, the year kept: nothing printed over the union's name
    assert header.startswith("基地评分表  建德市新安江") and header.endswith("… 2021"), header
    room = (210 - 36 - 8) * 72 / 25.4 - width("建德市总工会")  # A4 less the margins, the union and a gap
    assert width(header) <= room and "建德市总工会" in lines


def test_a_phone_typed_as_the_respondent_never_leaves_the_program_in_full(
    db: Database, trip, tmp_path: Path, capsys: Any
) -> None:
    from recuperation.models import AuditEntry

    a, batch = trip["a"], trip["batch"]
    food = key(a, "food")
    fb.save_grid(
        db,
        batch.id,
        [
            new(None, "张三 13812345678", "好", **{food: 5}),  # no number: found again by its respondent
            new(2, "李四330182199001016016", **{food: 4}),
        ],
    )
    before = checksums(db)
    path = tmp_path / "导出.xlsx"
    export_feedback(db, batch.code, path)
    sheet = openpyxl.load_workbook(path)["问卷反馈"]
    written = [sheet.cell(r, 2).value for r in (5, 6)]
    assert written == ["李四330182********6016", "张三 138****5678"]
    plan = plan_feedback(db, batch.code, path)
    assert (plan.errors, plan.count("unchanged"), plan.count("new")) == ([], 2, 0)
    apply_feedback(db, plan)
    assert checksums(db) == before  # the masked respondent stands for the one on file
    code, out, _err = run(capsys, "--db", db.url, "feedback", "list", batch.code, "--json")
    assert code == 0 and "13812345678" not in out and "138****5678" in out
    assert "330182199001016016" not in out
    code, out, _err = run(capsys, "--db", db.url, "feedback", "list", batch.code)
    assert "13812345678" not in out and "138****5678" in out
    with db.session() as session:
        labels = [e.record_label for e in session.exec(select(AuditEntry)).all()]
    assert not any("13812345678" in label for label in labels)
    assert any("138****5678" in label for label in labels)


def test_a_participant_taken_off_the_roster_leaves_their_questionnaire(db: Database, trip) -> None:
    from recuperation.services.batch import rosters

    a, batch = trip["a"], trip["batch"]
    person = rosters.list_participants(db, batch.id)[0]
    fb.save_grid(
        db,
        batch.id,
        [fb.GridEdit(None, None, fb.ResponseInput(1, person.id, "", None, "很好", {key(a, "food"): 5}))],
    )
    rosters.remove_participant(db, person.id, person.version, "录错了人")
    (row,) = fb.list_responses(db, batch.id)
    assert (row.participant_id, row.stars, row.comment) == (None, {key(a, "food"): 5}, "很好")


def test_a_column_about_a_base_the_batch_never_went_to_is_not_taken_as_its_own(
    db: Database, trip, tmp_path: Path
) -> None:
    """A partner's one survey for every group asks about every hotel of its route: the columns of a hotel this
    batch never went to are left out, not taken as the route's (or the only base's)."""
    from tests.factories import certified_base

    a, batch = trip["a"], trip["batch"]
    certified_base(db, "新安江大酒店")
    path = book_of(
        tmp_path / "问卷星.xlsx",
        ["问卷编号", "新安江大酒店-餐饮", "新安江大酒店-总体", "寿昌宾馆-餐饮", "总体满意度"],
        [1, "(跳过)", "(跳过)", "满意", "非常满意"],
    )
    plan = plan_feedback(db, batch.code, path)
    assert {plan.shown(k) for k in plan.columns} == {"问卷编号", "寿昌宾馆·餐饮", "线路·总体满意度"}
    assert [plan.headers[c] for c in plan.unmapped] == ["新安江大酒店-餐饮", "新安江大酒店-总体"]
    apply_feedback(db, plan)
    (row,) = fb.list_responses(db, batch.id)
    assert row.stars == {key(a, "food"): 4, key(None, "overall"): 5}
    # nor can it be mapped by hand to a base of another batch
    with pytest.raises(ValidationError):
        plan_feedback(db, batch.code, path, mapping={"B": "新安江大酒店·餐饮"})
    # another base's name inside the route's own name is the route (大慈岩 in 大慈岩一日游)
    from recuperation.feedback_cells import Targets, fold, recognise

    dims = ("lodging", "food", "overall")
    targets = Targets((fb.Subject(7, "寿昌宾馆"), fb.Subject(None, "大慈岩一日游")), dims, (fold("大慈岩"),))
    assert recognise("您对大慈岩一日游的总体评价", targets) == "route:overall"
    assert recognise("大慈岩-餐饮", targets) is None and recognise("寿昌宾馆-餐饮", targets) == "b7:food"


def test_a_sheet_for_a_batch_at_seven_bases_names_its_number_on_both_pages(
    db: Database, tmp_path: Path, capsys: Any
) -> None:
    """Seven bases and the route do not fit one page: the second page carries the sheet's number, its QR code
    and the respondent again, so that a page come loose is still known (it had only the batch's code)."""
    from recuperation.services.batch import batches
    from tests.factories import certified_base, partner

    p = partner(db)
    first = D(2021, 5, 1)
    names = [f"基地{n}号" for n in range(1, 8)]
    lodging = tuple(  # the group split over two bases a night
        batches.LodgingInput(certified_base(db, name).id, first + dt.timedelta(days=n // 2), 2)
        for n, name in enumerate(names)
    )
    batch = batches.create_batch(
        db, batches.BatchInput(p.id, first, first + dt.timedelta(days=4), 4, lodging=lodging)
    )
    target = tmp_path / "问卷.pdf"
    code, _out, err = run(
        capsys, "--db", db.url, "print", "questionnaire", batch.code, "--group", "2", "-o", str(target)
    )
    assert code == 0, err
    pages = test_feedback.pdf_pages(target)
    assert len(pages) == 4  # two sheets of two pages
    for number, (front, back) in enumerate(zip(pages[::2], pages[1::2], strict=True), start=1):
        assert f"问卷编号{number}" in front and "基地：基地1号" in front and "（接下页）" in front
        assert f"问卷编号{number}" in back and batch.code in back and "续页" in back and "按组填写" in back
        assert "基地：基地7号" in back and "意见和建议" in back and "意见和建议" not in front


def test_a_batch_code_typed_by_a_respondent_is_the_batch_and_others_are_said(
    db: Database, trip, tmp_path: Path, capsys: Any
) -> None:
    a, batch = trip["a"], trip["batch"]
    typed = " " + "".join(chr(ord(c) + 0xFEE0) for c in batch.code.lower())  # full-width, lower case
    path = book_of(
        tmp_path / "全部批次.xlsx",
        ["批次", "问卷编号", "寿昌宾馆-餐饮"],
        [typed, 1, 5],
        ["L2021-0999", 2, 1],
    )
    plan = plan_feedback(db, batch.code, path)
    assert (plan.count("new"), plan.count("other_batch")) == (1, 1)
    code, _out, err = run(capsys, "--db", db.url, "feedback", "import", batch.code, str(path))
    assert code == 0 and "另有 1 行的批次一栏不是" in err
    assert [r.stars for r in fb.list_responses(db, batch.id)] == [{key(a, "food"): 5}]


def test_a_phone_in_an_inspectors_note_is_masked_in_the_checklist_and_read_back_as_stored(
    db: Database, tmp_path: Path
) -> None:
    from recuperation.services.inspections import InspectionInput, ResultInput

    inspections.load_default_clauses(db)
    base = bases.create_base(db, bases.BaseInput(name="寿昌宾馆", beds=80))
    row = inspections.start_inspection(
        db, InspectionInput(base.id, "routine", D(2024, 5, 12), "张敏", conclusion="联系人 13905710000")
    )
    row = inspections.record_results(
        db, row.id, row.version, [ResultInput("3.5", "not_met", "AED 未配备，值班经理 13812345678")]
    )
    path = tmp_path / "检查表.xlsx"
    export_checklist(db, "寿昌宾馆", path, inspection_id=row.id)
    sheet = openpyxl.load_workbook(path)["检查表"]
    cells = [str(c.value) for line in sheet.iter_rows() for c in line if c.value is not None]
    assert not any("13812345678" in c or "13905710000" in c for c in cells)
    assert "AED 未配备，值班经理 138****5678" in cells and "联系人 139****0000" in cells
    plan = plan_checklist(db, "寿昌宾馆", path)
    assert (plan.problems, plan.status, plan.header_changes) == ([], "unchanged", [])
    apply_checklist(db, plan)
    after = inspections.get_inspection(db, row.id)
    assert after.version == row.version and after.conclusion == "联系人 13905710000"
    assert next(i for i in after.items if i.code == "3.5").note == "AED 未配备，值班经理 13812345678"
