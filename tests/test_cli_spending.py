"""``rules list|export|import`` and ``export insurance``: the packs read back from their workbook with no
change, an edit is applied exactly, a bad file is refused naming the sheet, row and column and writes nothing;
the insurer's list from the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from recuperation.cli import main
from recuperation.models import AuditEntry, Partner, SpendingPack, SpendingRule, table_of
from recuperation.rules_workbook import PACKS_SHEET, RULES_SHEET
from recuperation.services import insurance, spending
from recuperation.services.batch import batches
from recuperation.storage.database import Database
from recuperation.transfer import table_checksum
from tests.factories import partner, person_id
from tests.test_spending import add, hangzhou, join_pack, ningbo

D = dt.date


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def state(db: Database) -> tuple[object, ...]:
    with db.engine.connect() as conn:
        return tuple(
            table_checksum(conn, table_of(m)) for m in (SpendingPack, SpendingRule, Partner, AuditEntry)
        )


@pytest.fixture
def packs(db: Database) -> Database:
    made = spending.seed_packs(db, [hangzhou(), ningbo()])
    p = partner(db, "宁波大学")
    join_pack(db, p, next(m.id for m in made if m.name.startswith("宁波")))
    return db


def _row_of(path: Path, sheet: str, column: int, value: object) -> int:
    book = openpyxl.load_workbook(path)
    cells = book[sheet]
    return next(r for r in range(2, cells.max_row + 1) if cells.cell(r, column).value == value)


def _edit(path: Path, sheet: str, changes: dict[tuple[int, int], object]) -> None:
    book = openpyxl.load_workbook(path)
    for (row, column), value in changes.items():
        book[sheet].cell(row, column).value = value
    book.save(path)


def test_list_shows_the_packs_their_partners_and_rules(packs: Database, capsys) -> None:
    code, out, _err = run(capsys, "--db", packs.url, "rules", "list", "--json")
    assert code == 0
    listed = json.loads(out)
    assert [p["name"] for p in listed] == sorted(["杭州市（示例）", "宁波市（示例）"])
    ningbo_pack = next(p for p in listed if p["name"] == "宁波市（示例）")
    assert ningbo_pack["partners"] == ["宁波大学"]
    assert ningbo_pack["rules"][0] == {
        "kind": "year_cap",
        "amount": 200000,
        "unit": "fen",
        "mode": "refuse",
        "valid_from": None,
        "valid_to": None,
        "source": "宁波市总工会 甬工〔2022〕8号：每人每年不超过2000元",
        "notes": "",
    }
    code, out, _err = run(capsys, "--db", packs.url, "rules", "list")
    assert code == 0 and "每人每年上限\t2,000.00 元\t拒绝\t长期" in out and "天数上限（含往返）\t5 天" in out


def test_export_then_import_changes_nothing(packs: Database, capsys, tmp_path: Path) -> None:
    path = tmp_path / "开支标准.xlsx"
    code, _out, err = run(capsys, "--db", packs.url, "rules", "export", "-o", str(path))
    assert code == 0 and "2 个开支标准、6 条规则" in err
    book = openpyxl.load_workbook(path)
    rules = book[RULES_SHEET]
    header = [c.value for c in rules[1]]
    assert header == [
        "开支标准*",
        "类别*",
        "金额（元）",
        "天数",
        "方式*",
        "有效期起",
        "有效期至",
        "依据*",
        "备注",
    ]
    day_cap = _row_of(path, RULES_SHEET, 2, "每人每天上限")
    assert rules.cell(day_cap, 3).value == 600 and rules.cell(day_cap, 3).number_format == "#,##0.00"
    assert isinstance(rules.cell(day_cap, 6).value, dt.datetime) and rules.cell(day_cap, 7).value is None
    days = _row_of(path, RULES_SHEET, 2, "天数上限（含往返）")
    assert rules.cell(days, 3).value is None and rules.cell(days, 4).value == 5
    accident = _row_of(path, RULES_SHEET, 2, "意外险保额下限")
    assert rules.cell(accident, 3).value == 1000000

    before = state(packs)
    code, out, err = run(capsys, "--db", packs.url, "rules", "import", str(path), "--dry-run", "--json")
    report = json.loads(out)
    assert code == 0, err
    assert (report["packs"], report["rules"], report["new"], report["changed"], report["unchanged"]) == (
        2,
        6,
        0,
        0,
        2,
    )
    code, _out, err = run(capsys, "--db", packs.url, "rules", "import", str(path))
    assert code == 0 and "未变 2 个" in err
    assert state(packs) == before  # not a row, not an audit entry


def test_an_edit_is_applied_and_a_new_pack_added(packs: Database, capsys, tmp_path: Path) -> None:
    path = tmp_path / "rules.xlsx"
    run(capsys, "--db", packs.url, "rules", "export", "-o", str(path))
    day_cap = _row_of(path, RULES_SHEET, 2, "每人每天上限")
    _edit(path, RULES_SHEET, {(day_cap, 3): "650"})  # typed as text: read through its digits
    book = openpyxl.load_workbook(path)
    book[PACKS_SHEET].append(["北京市（示例）", "某区招标"])
    book[RULES_SHEET].append(
        ["北京市（示例）", "每人每天上限", 550, None, "提醒", None, None, "某区 2024 年招标文件", ""]
    )
    book.save(path)
    code, out, err = run(capsys, "--db", packs.url, "rules", "import", str(path), "--json")
    report = json.loads(out)
    assert code == 0, err
    assert (report["new"], report["changed"], report["unchanged"]) == (1, 1, 1)
    hz = spending.find_pack(packs, "杭州市（示例）")
    bj = spending.find_pack(packs, "北京市（示例）")
    assert hz is not None and hz.rules[0].amount == 65000
    assert bj is not None and [(r.kind, r.amount, r.mode) for r in bj.rules] == [("day_cap", 55000, "warn")]


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({8: ""}, "依据*", "必须填写"),  # 依据 emptied
        ({3: "abc"}, "金额（元）", "abc"),
        ({3: "600.005"}, "金额（元）", "600.005"),
        ({5: "偶尔"}, "方式*", "提醒、拒绝"),
        ({4: 3}, "天数", "金额规则写"),  # a day cap given days as well
        ({6: dt.datetime(2030, 1, 1), 7: dt.datetime(2029, 1, 1)}, "有效期至", "早于有效期起"),
        ({1: "上海市"}, "开支标准*", "上海市"),
    ],
)
def test_a_bad_file_names_the_sheet_row_and_column_and_writes_nothing(
    packs: Database, capsys, tmp_path: Path, changes: dict[int, object], column: str, words: str
) -> None:
    path = tmp_path / "rules.xlsx"
    run(capsys, "--db", packs.url, "rules", "export", "-o", str(path))
    row = _row_of(path, RULES_SHEET, 2, "每人每天上限")
    pack_row = _row_of(path, PACKS_SHEET, 1, "杭州市（示例）")
    _edit(path, PACKS_SHEET, {(pack_row, 2): "改过"})  # a change elsewhere is not written either
    _edit(path, RULES_SHEET, {(row, c): v for c, v in changes.items()})
    before = state(packs)
    code, out, err = run(capsys, "--db", packs.url, "rules", "import", str(path), "--json")
    report = json.loads(out)
    assert code == 1 and report["written"] is False and "没有写入任何数据" in err
    found = [e for e in report["errors"] if e["row"] == row and e["sheet"] == RULES_SHEET]
    assert found and found[0]["column"] == column and words in found[0]["message"], report["errors"]
    assert state(packs) == before


def test_a_file_without_the_tables_is_refused(packs: Database, capsys, tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号"])  # type: ignore[union-attr]
    book.save(path)
    code, _out, err = run(capsys, "--db", packs.url, "rules", "import", str(path))
    assert code == 1 and "找不到开支标准表" in err


def test_export_insurance_from_the_command_line(packs: Database, capsys, tmp_path: Path) -> None:
    p = partner(packs, "杭州银行")
    arrival = dt.date.today() + dt.timedelta(days=10)
    row = batches.create_batch(packs, batches.BatchInput(p.id, arrival, arrival + dt.timedelta(days=1), 1))
    add(packs, row.id, "职工甲", 701)
    insurance.set_insurance(
        packs,
        row.id,
        None,
        insurance.InsuranceInput("太平洋保险", "CPIC-1", 100000000, 10000000, arrival, arrival, 1),
    )
    path = tmp_path / "保险.xlsx"
    code, _out, err = run(capsys, "--db", packs.url, "export", "insurance", row.code, "-o", str(path))
    assert code == 0 and "1 人" in err and "审计日志" in err
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    values = [c.value for r in sheet.iter_rows() for c in r]
    assert person_id(701) in values and "CPIC-1" in values
    code, _out, err = run(capsys, "--db", packs.url, "export", "insurance", "L1999-0001", "-o", str(path))
    assert code == 1 and "L1999-0001" in err


def test_in_english(packs: Database, capsys, tmp_path: Path) -> None:
    path = tmp_path / "rules.xlsx"
    code, _out, err = run(capsys, "--lang", "en", "--db", packs.url, "rules", "export", "-o", str(path))
    assert code == 0 and "2 packs of spending rules with 6 rules" in err


# -- what a file leaves out, what it cannot say (issue 22's review) ----------------------------------------------


def _drop_columns(path: Path, sheet: str, *names: str) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    for name in names:
        header = [str(c.value).rstrip("*") for c in ws[1]]
        ws.delete_cols(header.index(name) + 1)
    book.save(path)


def _dated(db: Database) -> None:
    """杭州市（示例）: the day cap of 2020 and one of 2000–2019, the yearly cap until 2030 with notes."""
    pack = spending.find_pack(db, "杭州市（示例）")
    assert pack is not None
    day, year, days = pack.as_input().rules
    rules = (
        day,
        spending.RuleInput("day_cap", 40000, "warn", D(2000, 1, 1), D(2019, 12, 31), "旧标准：每人每天400元"),
        spending.RuleInput(
            year.kind, year.amount, year.mode, None, D(2030, 12, 31), year.source, "机关事业单位"
        ),
        days,
    )
    spending.update_pack(db, pack.id, pack.version, spending.PackInput(pack.name, pack.notes, rules))


def _rules(db: Database, name: str) -> list[tuple[object, ...]]:
    pack = spending.find_pack(db, name)
    assert pack is not None
    return sorted(
        ((r.kind, r.amount, r.mode, r.valid_from, r.valid_to, r.notes) for r in pack.rules),
        key=lambda t: (str(t[0]), str(t[3])),
    )


def test_a_column_the_file_lacks_keeps_each_rules_value(packs: Database, capsys, tmp_path: Path) -> None:
    """Without 有效期起, 有效期至 and 备注 a rule “2020-01-01起” became 长期 and its notes were emptied: a
    column a file does not carry is not an empty column."""
    _dated(packs)
    kept = _rules(packs, "杭州市（示例）")
    assert ("day_cap", 60000, "warn", D(2020, 1, 1), None, "") in kept
    path = tmp_path / "rules.xlsx"
    run(capsys, "--db", packs.url, "rules", "export", "-o", str(path))
    _drop_columns(path, RULES_SHEET, "有效期起", "有效期至", "备注")
    before = state(packs)
    code, out, err = run(capsys, "--db", packs.url, "rules", "import", str(path), "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 2, err  # the two day caps told apart by amount
    assert state(packs) == before
    _drop_columns(path, RULES_SHEET, "金额（元）", "天数")
    code, out, err = run(capsys, "--db", packs.url, "rules", "import", str(path), "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 2, err
    assert state(packs) == before

    # a change in such a file keeps what it does not say
    book = openpyxl.load_workbook(path)
    ws = book[RULES_SHEET]
    year = next(
        r
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, 1).value == "杭州市（示例）" and ws.cell(r, 2).value == "每人每年上限"
    )
    ws.cell(year, 3).value = "拒绝"  # 方式, the third column once 金额 and 天数 are gone
    book.save(path)
    code, _out, err = run(capsys, "--db", packs.url, "rules", "import", str(path))
    assert code == 0, err
    assert ("year_cap", 300000, "refuse", None, D(2030, 12, 31), "机关事业单位") in _rules(
        packs, "杭州市（示例）"
    )
    assert [r for r in _rules(packs, "杭州市（示例）") if r[0] != "year_cap"] == [
        r for r in kept if r[0] != "year_cap"
    ]


def test_a_row_that_matches_several_stored_rules_names_the_missing_column(
    packs: Database, capsys, tmp_path: Path
) -> None:
    _dated(packs)
    path = tmp_path / "rules.xlsx"
    run(capsys, "--db", packs.url, "rules", "export", "-o", str(path))
    _drop_columns(path, RULES_SHEET, "有效期起", "有效期至")
    old = _row_of(path, RULES_SHEET, 3, 400)
    _edit(path, RULES_SHEET, {(old, 3): 450})  # the 2020 cap of 600 or the old one of 400?
    before = state(packs)
    code, out, _err = run(capsys, "--db", packs.url, "rules", "import", str(path), "--json")
    [error] = json.loads(out)["errors"]
    assert code == 1 and (error["sheet"], error["row"], error["column"]) == (RULES_SHEET, old, "有效期起")
    assert "没有“有效期起”、“有效期至”列" in error["message"] and "2 条每人每天上限" in error["message"]
    assert state(packs) == before


def _inf_cell(path: Path, row: int, column: int) -> None:
    """A number cell holding inf, as a file from elsewhere can (openpyxl writes an empty <v/> for it)."""
    import zipfile

    book = openpyxl.load_workbook(path)
    book[RULES_SHEET].cell(row, column).value = 123456.789
    book.save(path)
    with zipfile.ZipFile(path) as old:
        parts = {info.filename: old.read(info.filename) for info in old.infolist()}
    name = next(n for n, data in parts.items() if n.startswith("xl/worksheets/") and b"123456.789" in data)
    parts[name] = parts[name].replace(b"<v>123456.789</v>", b"<v>inf</v>")
    with zipfile.ZipFile(path, "w") as new:
        for n, data in parts.items():
            new.writestr(n, data)


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({8: "依" * 401}, "依据*", "400"),  # was reported at 开支标准 row 2, column 名称
        ({9: "注" * 401}, "备注", "400"),
        ({3: "inf"}, "金额（元）", "不是金额"),  # (the cell made to hold inf) was “这一格必须填写”
        ({3: 1e30}, "金额（元）", "最多 20,000,000.00 元"),
        ({3: "20,000,000.01"}, "金额（元）", "最多 20,000,000.00 元"),
        ({6: dt.datetime(1999, 12, 31)}, "有效期起", "早于 2000 年"),
        ({7: "1899-12-31"}, "有效期至", "早于 2000 年"),
    ],
)
def test_a_bad_cell_is_named_at_its_own_sheet_row_and_column(
    packs: Database, capsys, tmp_path: Path, changes: dict[int, object], column: str, words: str
) -> None:
    path = tmp_path / "rules.xlsx"
    run(capsys, "--db", packs.url, "rules", "export", "-o", str(path))
    row = _row_of(path, RULES_SHEET, 2, "每人每天上限")
    _edit(path, RULES_SHEET, {(row, c): v for c, v in changes.items() if v != "inf"})
    if changes.get(3) == "inf":
        _inf_cell(path, row, 3)
    before = state(packs)
    code, out, err = run(capsys, "--db", packs.url, "rules", "import", str(path), "--json")
    report = json.loads(out)
    assert code == 1, err
    [error] = report["errors"]
    assert (error["sheet"], error["row"], error["column"]) == (RULES_SHEET, row, column), error
    assert words in error["message"], error["message"]
    if "单价" not in words:
        assert "单价" not in error["message"]
    assert state(packs) == before


def test_an_amount_in_rmb_and_above_a_price_is_read(packs: Database, capsys, tmp_path: Path) -> None:
    path = tmp_path / "rules.xlsx"
    run(capsys, "--db", packs.url, "rules", "export", "-o", str(path))
    day = _row_of(path, RULES_SHEET, 2, "每人每天上限")
    accident = _row_of(path, RULES_SHEET, 2, "意外险保额下限")
    _edit(path, RULES_SHEET, {(day, 3): "RMB 650", (accident, 3): "人民币 2,000,000 元"})
    code, _out, err = run(capsys, "--db", packs.url, "rules", "import", str(path))
    assert code == 0, err
    hangzhou_pack = spending.find_pack(packs, "杭州市（示例）")
    ningbo_pack = spending.find_pack(packs, "宁波市（示例）")
    assert hangzhou_pack is not None and ningbo_pack is not None
    assert [r.amount for r in hangzhou_pack.rules if r.kind == "day_cap"] == [65000]
    assert [r.amount for r in ningbo_pack.rules if r.kind == "accident_min"] == [200_000_000]


def test_a_rule_stored_before_2000_is_exported_so_that_it_is_refused(
    packs: Database, capsys, tmp_path: Path
) -> None:
    from sqlalchemy import text

    with packs.engine.begin() as conn:
        conn.execute(text("UPDATE spending_rule SET valid_from = '1899-03-01' WHERE kind = 'day_cap'"))
    path = tmp_path / "rules.xlsx"
    code, _out, err = run(capsys, "--db", packs.url, "rules", "export", "-o", str(path))
    assert code == 0, err
    row = _row_of(path, RULES_SHEET, 2, "每人每天上限")
    assert openpyxl.load_workbook(path)[RULES_SHEET].cell(row, 6).value == "1899-03-01"
    before = state(packs)
    code, out, _err = run(capsys, "--db", packs.url, "rules", "import", str(path), "--json")
    [error] = json.loads(out)["errors"]
    assert (
        code == 1
        and (error["row"], error["column"]) == (row, "有效期起")
        and "早于 2000 年" in error["message"]
    )
    assert state(packs) == before
