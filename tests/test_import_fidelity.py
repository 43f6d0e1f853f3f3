"""What an import must never do: change what the file does not say, rewrite free text, or remove people it
could not read.  Each test is one class of defect found by using the program's own exports as a clerk would."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from sqlalchemy import text
from sqlmodel import select

from recuperation.cli import main as cli_main
from recuperation.errors import RuleViolation, ValidationError
from recuperation.models import Agreement, Base, Batch, Lodging, Participant, Partner, Route
from recuperation.people import mask_id, mask_phone
from recuperation.services import identity
from recuperation.services.batch.roster_import import apply_import, plan_import
from recuperation.services.registers import apply_register, plan_register
from recuperation.storage.database import Database
from recuperation.templates import write_template
from recuperation.workbooks import export_roster
from tests.factories import keys, stored_numbers


def write_book(path: Path, rows: list[list[Any]], sheet: str = "Sheet1") -> Path:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day))
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    book.close()
    return path


def batch_facts(db: Database, code: str) -> dict[str, Any]:
    with db.session() as session:
        batch = session.exec(select(Batch).where(Batch.code == code)).one()
        nights = sorted(
            (x.base_id, x.night, x.people)
            for x in session.exec(select(Lodging).where(Lodging.batch_id == batch.id)).all()
        )
        return {
            **{
                f: getattr(batch, f)
                for f in (
                    "partner_id",
                    "agreement_id",
                    "route_id",
                    "kind",
                    "status",
                    "arrival",
                    "departure",
                    "headcount",
                    "leader",
                    "leader_phone",
                    "guide",
                    "vehicle",
                    "notes",
                    "version",
                )
            },
            "lodging": nights,
        }


def busy_batch(db: Database, status: str = "completed") -> str:
    """A batch with an agreement, a route, a leader's phone and a roster (the demo year is all completed:
    another status is set by hand)."""
    with db.engine.begin() as conn:
        code = str(
            conn.execute(
                text(
                    "SELECT code FROM batch b WHERE agreement_id IS NOT NULL AND route_id IS NOT NULL"
                    " AND leader_phone <> '' AND status = 'completed' AND (SELECT count(*) FROM participant p"
                    " WHERE p.batch_id = b.id) > 5 ORDER BY code LIMIT 1"
                )
            ).scalar_one()
        )
        conn.execute(text("UPDATE batch SET status = :s WHERE code = :c"), {"s": status, "c": code})
        if status != "completed":  # a batch not yet over has had no roll call
            conn.execute(text("UPDATE batch SET roll_closed_on = NULL WHERE code = :c"), {"c": code})
            conn.execute(
                text(
                    "UPDATE participant SET attendance = '', left_on = NULL"
                    " WHERE batch_id = (SELECT id FROM batch WHERE code = :c)"
                ),
                {"c": code},
            )
    return code


# --- registers: a column the file does not carry is never compared, never changed ------------------------


def test_a_batch_register_with_five_columns_changes_nothing_else(demo_db: Database, tmp_path: Path) -> None:
    code = busy_batch(demo_db, "planned")
    before = batch_facts(demo_db, code)
    with demo_db.session() as session:
        partner = session.get(Partner, before["partner_id"])
        assert partner is not None
        partner_name = partner.name
    rows = [
        ["批次编号", "合作单位", "到达日期", "离开日期", "计划人数"],
        [code, partner_name, before["arrival"], before["departure"], before["headcount"]],
    ]
    plan = plan_register(demo_db, "batches", write_book(tmp_path / "five.xlsx", rows))
    assert (plan.count("unchanged"), plan.count("changed"), plan.errors) == (1, 0, [])
    apply_register(demo_db, plan)
    assert batch_facts(demo_db, code) == before
    # one real change: only that field moves, the rest stays
    rows[1][4] = before["headcount"] + 1
    plan = plan_register(demo_db, "batches", write_book(tmp_path / "six.xlsx", rows))
    assert [r.changes for r in plan.rows] == [["headcount"]]
    apply_register(demo_db, plan)
    after = batch_facts(demo_db, code)
    assert after["headcount"] == before["headcount"] + 1
    for key in ("agreement_id", "route_id", "leader", "leader_phone", "guide", "vehicle", "notes", "kind"):
        assert after[key] == before[key], key


def test_empty_cells_keep_what_the_sheet_says_they_keep_and_clear_the_rest(
    demo_db: Database, tmp_path: Path
) -> None:
    code = busy_batch(demo_db, "planned")
    before = batch_facts(demo_db, code)
    # 类型, 状态 and 计划人数 left empty keep their values; 领队电话 and 协议 left empty clear them
    rows = [
        ["批次编号", "类型", "状态", "到达日期", "离开日期", "计划人数", "领队电话", "协议编号"],
        [code, None, None, before["arrival"], before["departure"], None, None, None],
    ]
    plan = plan_register(demo_db, "batches", write_book(tmp_path / "empty.xlsx", rows))
    assert plan.errors == []
    assert sorted(plan.rows[0].changes) == ["agreement_id", "leader_phone"]
    apply_register(demo_db, plan)
    after = batch_facts(demo_db, code)
    assert (after["kind"], after["status"], after["headcount"]) == (
        before["kind"],
        before["status"],
        before["headcount"],
    )
    assert (after["agreement_id"], after["leader_phone"]) == (None, "")
    # the template's 说明 sheet says which is which
    path = write_template("batches", tmp_path / "t.xlsx").path
    notes = {row[0]: row[2] for row in openpyxl.load_workbook(path)["说明"].iter_rows(values_only=True)}
    assert (
        notes["计划人数"].startswith("不变") and notes["领队电话"] == "清空" and notes["协议编号"] == "清空"
    )


def test_a_bases_register_without_counts_keeps_the_counts(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.session() as session:
        base = session.exec(select(Base).order_by(Base.id)).first()
        assert base is not None
        name, beds, kind, phone = base.name, base.beds, base.kind, base.contact_phone
    rows = [["基地名称", "地址", "床位数", "类型"], [name, "寿昌镇新地址 8 号", None, None]]
    plan = plan_register(demo_db, "bases", write_book(tmp_path / "bases.xlsx", rows))
    assert [r.changes for r in plan.rows] == [["address"]]
    apply_register(demo_db, plan)
    with demo_db.session() as session:
        after = session.exec(select(Base).where(Base.name == name)).one()
        assert (after.beds, after.kind, after.contact_phone, after.address) == (
            beds,
            kind,
            phone,
            "寿昌镇新地址 8 号",
        )


def test_a_partners_register_without_quotas_keeps_the_agreements_and_the_partners_notes(
    demo_db: Database, tmp_path: Path
) -> None:
    with demo_db.session() as session:
        agreement = session.exec(select(Agreement).where(Agreement.quota_people.is_not(None))).first()  # type: ignore[union-attr]
        assert agreement is not None
        partner = session.get(Partner, agreement.partner_id)
        assert partner is not None
        partner.notes = "老客户，每年春季"
        session.add(partner)
        session.commit()
        facts = (agreement.quota_batches, agreement.quota_people, agreement.price_fen, agreement.notes)
        number, name = agreement.number, partner.name
    rows = [
        ["合作单位", "协议编号", "签订日期", "生效日期", "终止日期", "备注"],
        [
            name,
            number,
            agreement.signed_on,
            agreement.valid_from,
            agreement.valid_to,
            agreement.notes or None,
        ],
    ]
    plan = plan_register(demo_db, "partners", write_book(tmp_path / "p.xlsx", rows))
    assert (plan.count("unchanged"), plan.errors) == (1, [])
    apply_register(demo_db, plan)
    with demo_db.session() as session:
        after = session.exec(select(Agreement).where(Agreement.number == number)).one()
        assert (after.quota_batches, after.quota_people, after.price_fen, after.notes) == facts
        assert session.exec(select(Partner).where(Partner.name == name)).one().notes == "老客户，每年春季"


def test_a_routes_register_without_places_keeps_the_day_plan(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.session() as session:
        route = session.exec(select(Route).order_by(Route.id)).first()
        assert route is not None
        code, name = route.code, route.name
    full = write_template("routes", tmp_path / "routes.xlsx", demo_db).path
    sheet = openpyxl.load_workbook(full).worksheets[0]
    header = [str(c.value).removesuffix(" *") for c in sheet[1]]
    keep = [header.index(h) for h in ("线路编号", "线路名称", "第几天", "活动")]
    rows = [[header[i] for i in keep]] + [
        [row[i] for i in keep] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] == code
    ]
    assert len(rows) > 2 and rows[1][1] == name
    plan = plan_register(demo_db, "routes", write_book(tmp_path / "few.xlsx", rows))
    assert (plan.count("unchanged"), plan.count("changed"), plan.errors) == (1, 0, [])


@pytest.mark.sqlite_run  # the server takes the same path in a lighter test
def test_the_years_batch_export_and_a_partners_workbook_import_back_unchanged(
    demo_db: Database, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "batches.xlsx"
    assert cli_main(["--db", demo_db.url, "export", "batches", "--year", "2021", "-o", str(out)]) == 0
    assert "个批次" in capsys.readouterr().err
    assert cli_main(["--db", demo_db.url, "import", "batches", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["new"], report["changed"], report["errors"], report["written"]) == (0, 0, [], True)
    assert report["unchanged"] > 1000
    partner_book = tmp_path / "partner.xlsx"
    assert (
        cli_main(
            ["--db", demo_db.url, "export", "partner", "浙江大学", "--year", "2021", "-o", str(partner_book)]
        )
        == 0
    )
    capsys.readouterr()
    assert cli_main(["--db", demo_db.url, "import", "batches", str(partner_book), "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["new"], report["changed"], report["errors"], report["removed"]) == (0, 0, [], 0)
    assert report["rosters"] and all(r["status"] == "unchanged" for r in report["rosters"].values())
    # one batch's sheet of the partner's workbook is that batch's roster
    code = next(iter(report["rosters"]))
    plan = plan_import(demo_db, code, partner_book)
    assert plan.layout.sheet.startswith(code)
    assert (plan.added, plan.removed, plan.changed, plan.masked_matched) == ([], [], [], len(plan.rows))


# --- rosters: free text as written, masked numbers matched, nobody removed unasked ------------------------


def test_free_text_is_kept_exactly_as_written(demo_db: Database, tmp_path: Path) -> None:
    code = busy_batch(demo_db, "planned")
    full = tmp_path / "full.xlsx"
    export_roster(demo_db, code, full, full_ids=True)
    book = openpyxl.load_workbook(full)
    ws = book["名单"]
    header = [c.value for c in ws[2]]
    ws.cell(3, header.index("饮食禁忌") + 1, "不吃辣，海鲜过敏")
    ws.cell(3, header.index("备注") + 1, "高血压；备药（自带）")
    ws.cell(3, header.index("工作单位") + 1, "浙江大学（紫金港校区）")
    ws.cell(3, header.index("紧急联系人") + 1, "李明：13800000000")
    book.save(full)
    plan = plan_import(demo_db, code, full)
    assert len(plan.changed) == 1 and plan.errors == []
    apply_import(demo_db, plan)
    with demo_db.session() as session:
        person = session.exec(select(Participant).where(Participant.id_key == plan.changed[0])).one()
        assert (person.diet, person.notes, person.employer, person.emergency_contact) == (
            "不吃辣，海鲜过敏",
            "高血压；备药（自带）",
            "浙江大学（紫金港校区）",
            "李明：13800000000",
        )
    # the same text from a CSV saved by Excel (UTF-8 with BOM, CRLF, doubled quotes)
    csv_path = tmp_path / "roster.csv"
    rows = [
        [c.value if c.value is not None else "" for c in row] for row in book["名单"].iter_rows(min_row=2)
    ]
    rows[1][header.index("备注")] = '需要轮椅, 安排"一楼"房间'
    with csv_path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, dialect="excel").writerows(rows)
    assert '"需要轮椅, 安排""一楼""房间"' in csv_path.read_text(encoding="utf-8-sig")
    plan = plan_import(demo_db, code, csv_path)
    assert (len(plan.changed), plan.errors) == (1, [])
    apply_import(demo_db, plan)
    with demo_db.session() as session:
        person = session.exec(select(Participant).where(Participant.id_key == plan.changed[0])).one()
        assert person.notes == '需要轮椅, 安排"一楼"房间'
        assert person.diet == "不吃辣，海鲜过敏"


def test_a_masked_export_with_skip_invalid_removes_nobody(demo_db: Database, tmp_path: Path, capsys) -> None:
    code = busy_batch(demo_db, "completed")
    masked = tmp_path / "masked.xlsx"
    assert cli_main(["--db", demo_db.url, "roster", "export", code, "-o", str(masked)]) == 0
    with demo_db.engine.connect() as conn:
        count = conn.execute(
            text("SELECT count(*) FROM participant p JOIN batch b ON b.id = p.batch_id WHERE b.code = :c"),
            {"c": code},
        ).scalar()
    capsys.readouterr()
    assert (
        cli_main(["--db", demo_db.url, "roster", "import", code, str(masked), "--skip-invalid", "--json"])
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert (report["added"], report["removed"], report["changed"], report["masked_matched"]) == (
        0,
        0,
        0,
        count,
    )
    with demo_db.engine.connect() as conn:
        assert (
            conn.execute(
                text(
                    "SELECT count(*) FROM participant p JOIN batch b ON b.id = p.batch_id WHERE b.code = :c"
                ),
                {"c": code},
            ).scalar()
            == count
        )


def test_masked_rows_that_match_nobody_or_two_are_errors_that_remove_nobody(
    demo_db: Database, tmp_path: Path
) -> None:
    code = busy_batch(demo_db, "planned")
    with demo_db.session() as session:
        batch = session.exec(select(Batch).where(Batch.code == code)).one()
        people = session.exec(
            select(Participant).where(Participant.batch_id == batch.id).order_by(Participant.id)
        ).all()
        numbers = stored_numbers(demo_db, batch.id)
        people_facts = [(p.name, *numbers[p.id]) for p in people]
    rows: list[list[Any]] = [["姓名", "身份证号", "手机号码"]]
    for name, number, phone in people_facts:
        rows.append([name, mask_id(number), mask_phone(phone)])
    rows[1][1] = "999999********0000"  # a masked number that fits nobody on the roster
    rows[2][2] = "139****0000"  # a masked phone that is not the person's
    plan = plan_import(demo_db, code, write_book(tmp_path / "m.xlsx", rows))
    problems = {(p.row, p.field) for p in plan.errors}
    assert problems == {(2, "id_number"), (2, "phone"), (3, "phone")}
    assert "完整" in plan.errors[0].message
    # the first person's row cannot be read, but it carries the person's name: nobody is removed for it
    assert plan.removed == [] and plan.kept_unreadable == 1
    rows[1][0] = "不在名单上的人"
    plan = plan_import(demo_db, code, write_book(tmp_path / "m1.xlsx", rows))
    assert plan.removed == keys(demo_db, people_facts[0][1])  # neither the name nor the number: unknowable
    with pytest.raises(RuleViolation):
        apply_import(demo_db, plan, skip_invalid=True)  # … and the removal still needs consent
    rows[1][0] = people_facts[0][0]
    rows[1][1] = people_facts[0][1][:5] + "*" * 9 + people_facts[0][1][-4:]  # other masking widths match too
    rows[2][2] = mask_phone(people_facts[1][2])
    plan = plan_import(demo_db, code, write_book(tmp_path / "m2.xlsx", rows))
    assert plan.removed == [] and plan.masked_matched == len(people_facts)
    result = apply_import(demo_db, plan, skip_invalid=True)
    assert (result.added, result.removed, result.changed) == (0, 0, 0)


def test_an_unreadable_row_keeps_its_person_and_removals_need_consent_and_a_reason(
    demo_db: Database, tmp_path: Path, capsys
) -> None:
    code = busy_batch(demo_db, "planned")
    full = tmp_path / "full.xlsx"
    export_roster(demo_db, code, full, full_ids=True)
    book = openpyxl.load_workbook(full)
    ws = book["名单"]
    first_number = ws.cell(3, 4).value
    ws.cell(3, 4, first_number[:-1] + ("0" if first_number[-1] != "0" else "1"))  # a typo in the check digit
    left_out = ws.cell(4, 2).value
    ws.delete_rows(4)  # the second person is left out of the file
    book.save(full)
    plan = plan_import(demo_db, code, full)
    assert [p.field for p in plan.errors] == ["id_number"]
    assert plan.removed_names == [left_out] and plan.kept_unreadable == 1
    capsys.readouterr()
    args = ["--db", demo_db.url, "roster", "import", code, str(full), "--skip-invalid"]
    assert cli_main(args) == 1
    assert "--allow-removals" in capsys.readouterr().err
    assert cli_main([*args, "--allow-removals"]) == 1
    assert "原因" in capsys.readouterr().err
    assert cli_main([*args, "--allow-removals", "--reason", "本人临时有事"]) == 0
    with demo_db.engine.connect() as conn:
        names = set(
            conn.execute(
                text("SELECT name FROM participant p JOIN batch b ON b.id = p.batch_id WHERE b.code = :c"),
                {"c": code},
            ).scalars()
        )
        reason = conn.execute(text("SELECT new FROM audit_log WHERE field = 'roster_reason'")).scalar()
    assert left_out not in names and ws.cell(3, 2).value in names
    assert reason is not None and reason.endswith("本人临时有事")


def test_a_completed_batchs_roster_changes_only_with_a_reason(demo_db: Database, tmp_path: Path) -> None:
    code = busy_batch(demo_db, "completed")
    full = tmp_path / "full.xlsx"
    export_roster(demo_db, code, full, full_ids=True)
    book = openpyxl.load_workbook(full)
    ws = book["名单"]
    ws.cell(3, 10, "素食")
    book.save(full)
    plan = plan_import(demo_db, code, full)
    assert len(plan.changed) == 1
    with pytest.raises(RuleViolation, match="已完成"):
        apply_import(demo_db, plan)
    apply_import(demo_db, plan, reason="补记：该同志素食")
    with demo_db.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT new FROM audit_log WHERE field = 'roster_reason'"))
            .scalar()
            .endswith("补记：该同志素食")
        )


def test_a_batch_register_roster_sheet_that_removes_people_needs_consent(
    demo_db: Database, tmp_path: Path, capsys
) -> None:
    code = busy_batch(demo_db, "planned")
    path = tmp_path / "partner.xlsx"
    with demo_db.session() as session:
        partner_name = session.get(
            Partner, session.exec(select(Batch).where(Batch.code == code)).one().partner_id
        ).name  # type: ignore[union-attr]
    assert (
        cli_main(["--db", demo_db.url, "export", "partner", partner_name, "--year", "2021", "-o", str(path)])
        == 0
    )
    book = openpyxl.load_workbook(path)
    sheet = next(ws for ws in book.worksheets if ws.title.split()[0] == code)
    sheet.delete_rows(3)
    book.save(path)
    capsys.readouterr()
    assert cli_main(["--db", demo_db.url, "import", "batches", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["removed"] == 1 and report["written"] is False and "--allow-removals" in report["refused"]
    count = "SELECT count(*) FROM participant p JOIN batch b ON b.id = p.batch_id WHERE b.code = :c"
    with demo_db.engine.connect() as conn:
        before = conn.execute(text(count), {"c": code}).scalar()
    args = ["--db", demo_db.url, "import", "batches", str(path), "--allow-removals", "--reason", "一人退出"]
    assert cli_main(args) == 0
    with demo_db.engine.connect() as conn:
        assert conn.execute(text(count), {"c": code}).scalar() == before - 1


def test_a_name_corrected_on_a_masked_row_is_a_change_not_a_removal(
    demo_db: Database, tmp_path: Path
) -> None:
    code = busy_batch(demo_db, "planned")
    masked = tmp_path / "masked.xlsx"
    export_roster(demo_db, code, masked)
    book = openpyxl.load_workbook(masked)
    ws = book["名单"]
    old_name = ws.cell(3, 2).value
    ws.cell(3, 2, old_name + "珍")  # the clerk corrects a name and leaves the masked number as it is
    book.save(masked)
    plan = plan_import(demo_db, code, masked)
    assert plan.errors == [] and plan.removed == []
    assert [r.changes for r in plan.rows if r.result == "changed"] == [["name"]]
    warning = next(p for p in plan.warnings if p.field == "name")
    assert old_name in warning.message and "同一人" in warning.message
    # two renamed rows: each still finds the one person its digits fit, and nobody is removed
    ws.cell(3, 2, "另一个人")
    ws.cell(4, 2, "另一个人")
    book.save(masked)
    plan = plan_import(demo_db, code, masked)
    assert plan.removed == []


# --- what an adversary tried (each a class: the wrong sheet, a pasted number, a stray quote …) -------------


def test_a_workbook_of_other_batches_is_never_read_as_this_batchs_roster(
    demo_db: Database, tmp_path: Path, capsys
) -> None:
    code = busy_batch(demo_db, "planned")
    with demo_db.session() as session:
        batch = session.exec(select(Batch).where(Batch.code == code)).one()
        partner_name = session.get(Partner, batch.partner_id).name  # type: ignore[union-attr]
    path = tmp_path / "partner.xlsx"
    assert (
        cli_main(["--db", demo_db.url, "export", "partner", partner_name, "--year", "2021", "-o", str(path)])
        == 0
    )
    book = openpyxl.load_workbook(path)
    own = next(ws for ws in book.worksheets if ws.title.startswith(code))
    own.title = f"{code}（改）"  # renamed sheets are still found by the code they start with
    book.save(path)
    assert plan_import(demo_db, code, path).layout.sheet == f"{code}（改）"
    book.remove(book[f"{code}（改）"])
    book.save(path)
    capsys.readouterr()
    assert cli_main(["--db", demo_db.url, "roster", "import", code, str(path), "--dry-run"]) == 1
    assert f"没有以 {code} 开头的工作表" in capsys.readouterr().err
    # the same sheet, still in the workbook but without its batch in the summary, is named, not dropped
    book = openpyxl.load_workbook(path)
    summary = book.worksheets[0]
    victim = next(ws.title.split()[0] for ws in book.worksheets[1:])
    for row in summary.iter_rows(min_row=4):
        if row[0].value == victim:
            summary.delete_rows(row[0].row)
            break
    book.save(path)
    plan = plan_register(demo_db, "batches", path)
    assert any("不会被导入" in p.message for p in plan.errors)


def test_a_number_pasted_onto_another_person_renames_nobody(demo_db: Database, tmp_path: Path) -> None:
    code = busy_batch(demo_db, "planned")
    full = tmp_path / "full.xlsx"
    export_roster(demo_db, code, full, full_ids=True)
    book = openpyxl.load_workbook(full)
    ws = book["名单"]
    victim, number = ws.cell(4, 2).value, ws.cell(4, 4).value
    ws.insert_rows(4)
    for column, value in ((2, "赵新人"), (4, number), (5, "13912345678")):
        ws.cell(4, column, value)
    book.save(full)
    plan = plan_import(demo_db, code, full)
    assert {(p.row, p.field) for p in plan.errors} == {(4, "id_number"), (5, "id_number")}
    result = apply_import(demo_db, plan, skip_invalid=True, reason="补")
    assert (result.added, result.removed, result.changed) == (0, 0, 0)
    with demo_db.session() as session:
        key = identity.key_of(demo_db, session, number)
        assert session.exec(select(Participant).where(Participant.id_key == key)).one().name == victim
    # a different name on a number on file is shown before anything is written
    ws.delete_rows(4)
    ws.cell(4, 2, victim + "改")
    book.save(full)
    plan = plan_import(demo_db, code, full)
    assert any(p.field == "name" and victim in p.message for p in plan.warnings)


def test_a_mobile_column_beats_an_office_landline_and_model_workers_need_a_clear_word(
    demo_db: Database, tmp_path: Path
) -> None:
    code = busy_batch(demo_db, "planned")
    with demo_db.session() as session:
        batch = session.exec(select(Batch).where(Batch.code == code)).one()
        people = session.exec(select(Participant).where(Participant.batch_id == batch.id)).all()
        numbers = stored_numbers(demo_db, batch.id)
        facts = [(p.name, *numbers[p.id], p.model_worker) for p in people]
    rows: list[list[Any]] = [["姓名", "身份证号", "联系电话", "手机号码", "劳模"]]
    rows += [[n, i, "0571-88888888", ph, "是" if m else ""] for n, i, ph, m in facts]
    plan = plan_import(demo_db, code, write_book(tmp_path / "phones.xlsx", rows))
    assert plan.layout.columns["phone"] == 3 and plan.changed == [] and plan.errors == []
    rows[1][4] = "省级劳模"
    rows[2][4] = "说不清"
    plan = plan_import(demo_db, code, write_book(tmp_path / "flags.xlsx", rows))
    assert plan.rows[0].values["model_worker"] is True
    assert [(p.row, p.field) for p in plan.errors] == [(3, "model_worker")]


def test_a_stray_quote_in_a_csv_swallows_no_rows(demo_db: Database, tmp_path: Path) -> None:
    code = busy_batch(demo_db, "planned")
    with demo_db.session() as session:
        batch = session.exec(select(Batch).where(Batch.code == code)).one()
        people = session.exec(select(Participant).where(Participant.batch_id == batch.id)).all()
        numbers = stored_numbers(demo_db, batch.id)
        lines = ["姓名,身份证号,备注"] + [f"{p.name},{numbers[p.id][0]}," for p in people]
    lines[3] += '"高血压'
    lines[6] += '备药"'
    path = tmp_path / "quote.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    with pytest.raises(ValidationError, match="引号"):
        plan_import(demo_db, code, path)


def test_register_numbers_that_are_not_numbers_and_new_dates_without_a_base_column(
    demo_db: Database, tmp_path: Path
) -> None:
    with demo_db.session() as session:
        agreement = session.exec(select(Agreement)).first()
        assert agreement is not None
        partner_name = session.get(Partner, agreement.partner_id).name  # type: ignore[union-attr]
    for price in ("nan", "inf", "1e400", "1,5"):
        rows = [
            ["合作单位", "协议编号", "签订日期", "生效日期", "终止日期", "单价（元/人天）"],
            [
                partner_name,
                agreement.number,
                agreement.signed_on,
                agreement.valid_from,
                agreement.valid_to,
                price,
            ],
        ]
        plan = plan_register(demo_db, "partners", write_book(tmp_path / "price.xlsx", rows))
        assert [p.field for p in plan.errors] == ["price"], price
        assert "金额" in plan.errors[0].message
    code = busy_batch(demo_db, "planned")
    before = batch_facts(demo_db, code)
    shift = dt.timedelta(days=2)
    rows = [
        ["批次编号", "到达日期", "离开日期", "计划人数"],
        [code, before["arrival"] + shift, before["departure"] + shift, before["headcount"]],
    ]
    plan = plan_register(demo_db, "batches", write_book(tmp_path / "move.xlsx", rows))
    bases = {b for b, _night, _people in before["lodging"]}
    if len(bases) == 1:  # the nights at one base move with the stay
        assert plan.errors == [] and "lodging" in plan.rows[0].changes
    else:
        assert [p.field for p in plan.errors] == ["base"] and "住宿基地" in plan.errors[0].message
