"""Moving in: importing an office's registers (bases, partners and agreements, routes, batches) and templates.

The workbooks are built the way offices keep them: a merged title row and a line about who filled them in
above the header, headers worded their own way, one partner's cells merged over its agreement rows, dates as
date cells and as text, full-width digits, blank rows, and mistakes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import text

from recuperation.cli import main as cli_main
from recuperation.errors import ValidationError
from recuperation.services.registers import apply_register, describe_changes, plan_register
from recuperation.storage.database import Database
from recuperation.templates import TEMPLATE_KINDS, columns_of, write_template


def _book(
    path: Path, title: str, header: list[str], rows: list[list[Any]], merges: tuple[str, ...] = ()
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "登记表"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(["填报单位：建德市总工会", None, None, "填报日期：2021年3月1日"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for span in merges:
        sheet.merge_cells(span)
    book.save(path)
    return path


BASES_HEADER = [
    "序号",
    "基地名称（全称）",
    "类型",
    "所在乡镇",
    "联系 电话",
    "床位(张)",
    "认定级别",
    "证书编号",
    "有效期起",
    "有效期至",
]


def _bases(path: Path, beds_shouchang: object = 80, extra: list[list[Any]] | None = None) -> Path:
    rows: list[list[Any]] = [
        [
            1,
            "寿昌宾馆",
            "宾馆",
            "寿昌镇",
            "０５７１－６４７１２３４５",
            beds_shouchang,
            "杭州市级",
            "HZ-001",
            dt.date(2021, 3, 1),
            "2024.2.29",
        ],
        [],
        [2, "梅城民宿", "民宿", "梅城镇", "13812345678", "30张", None, None, None, None],
        [3, "新安江山水酒店", "酒店", "新安江街道", "", 120, "省级", "ZJ-009", "2020年6月1日", "2023-05-31"],
    ]
    return _book(path, "建德市职工疗休养基地登记表", BASES_HEADER, rows + (extra or []))


def _count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_a_bases_register_previews_then_imports_and_a_reimport_applies_the_difference(
    db: Database, tmp_path: Path
) -> None:
    path = _bases(tmp_path / "bases.xlsx")
    plan = plan_register(db, "bases", path)
    assert plan.layout.header_row == 2  # below the title and the filled-in-by line
    assert {"name", "kind", "township", "contact_phone", "beds", "cert_level"} <= set(plan.layout.columns)
    assert [(r.row, r.key, r.status) for r in plan.rows] == [
        (4, "寿昌宾馆", "new"),
        (6, "梅城民宿", "new"),
        (7, "新安江山水酒店", "new"),
    ]
    assert _count(db, "base") == 0  # the preview wrote nothing
    result = apply_register(db, plan)
    assert (result.new, result.changed, result.unchanged) == (3, 0, 0)
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT name, kind, beds, contact_phone FROM base ORDER BY id")).all()
        certs = conn.execute(
            text("SELECT certificate_no, level, status, valid_to FROM certification ORDER BY certificate_no")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("寿昌宾馆", "hotel", 80, "057164712345"),
        ("梅城民宿", "homestay", 30, "13812345678"),
        ("新安江山水酒店", "hotel", 120, ""),
    ]
    assert [(c[0], c[1], c[2], str(c[3])) for c in certs] == [
        ("HZ-001", "hangzhou", "certified", "2024-02-29"),
        ("ZJ-009", "provincial", "certified", "2023-05-31"),
    ]

    # The office updates its register: more beds at Shouchang, one base added.
    updated = _bases(tmp_path / "bases2.xlsx", 96, [[4, "大慈岩农庄", "农家乐", "大慈岩镇", "", 24]])
    again = plan_register(db, "bases", updated)
    assert {r.key: r.status for r in again.rows} == {
        "寿昌宾馆": "changed",
        "梅城民宿": "unchanged",
        "新安江山水酒店": "unchanged",
        "大慈岩农庄": "new",
    }
    assert next(r for r in again.rows if r.key == "寿昌宾馆").changes == ["beds"]
    assert describe_changes("bases", ["beds", "certification.valid_to"]) == "床位数、认定（有效期至）"
    result = apply_register(db, again)
    assert (result.new, result.changed, result.unchanged) == (1, 1, 2)
    assert _count(db, "base") == 4 and _count(db, "certification") == 2
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT beds, version FROM base WHERE name = '寿昌宾馆'")).one() == (96, 2)


def test_bad_rows_are_named_and_refuse_the_whole_file(db: Database, tmp_path: Path) -> None:
    path = _bases(
        tmp_path / "bad.xlsx",
        "八十",
        [
            [4, "大慈岩农庄", "度假村", "大慈岩镇", "", 24],
            [5, "航头宾馆", "宾馆", "航头镇", "12345", 40],
            [6, "乾潭宾馆", "宾馆", "乾潭镇", "", 50, "市级", "HZ-002", "2021-13-01", "2024-01-01"],
        ],
    )
    plan = plan_register(db, "bases", path)
    errors = {p.row: p.message for p in plan.errors}
    assert set(errors) == {4, 8, 9, 10}
    assert "第 4 行“床位数”" in errors[4] and "八十" in errors[4]
    assert "度假村" in errors[8] and "宾馆" in errors[8]  # says what may be written
    assert "航头宾馆" in errors[9] and "12345" in errors[9]  # the service's own phone check
    assert "2021-13-01" in errors[10] and "有效期起" in errors[10]
    assert [r.status for r in plan.rows if r.row in (6, 7)] == ["new", "new"]
    with pytest.raises(ValidationError, match="4 行错误"):
        apply_register(db, plan)
    assert _count(db, "base") == 0 and _count(db, "audit_log") == 0
    result = apply_register(db, plan, skip_invalid=True)
    assert (result.new, result.skipped) == (2, 4)
    assert _count(db, "base") == 2


def test_partners_with_merged_cells_over_their_agreements(db: Database, tmp_path: Path) -> None:
    header = [
        "合作单位名称",
        "单位性质",
        "联系人",
        "联系电话",
        "协议编号",
        "签订日期",
        "生效日期",
        "终止日期",
        "年度人数配额",
        "协议单价",
    ]
    rows = [
        [
            "宁波大学",
            "高校",
            "李秀兰",
            "138 1234 5678",
            "JD-2021-001",
            dt.date(2021, 2, 20),
            "2021/3/1",
            "2021-12-31",
            800,
            "260元",
        ],
        [None, None, None, None, "JD-2022-001", "2022-02-01", "2022-03-01", "2022-12-31", 900, 270],
        ["杭州地铁集团", "企业", "", "", None, None, None, None, None, None],
        ["秦山核电站", "企业", "", "", "JD-2021-009", None, "2021-03-01", "2021-12-31", None, None],
    ]
    path = _book(
        tmp_path / "partners.xlsx",
        "合作单位及协议一览",
        header,
        rows,
        merges=("A4:A5", "B4:B5", "C4:C5", "D4:D5"),
    )
    plan = plan_register(db, "partners", path)
    by_row = {r.row: r for r in plan.rows}
    assert by_row[4].key == by_row[5].key == "宁波大学"  # carried down the merged cells
    assert (by_row[4].status, by_row[6].status, by_row[7].status) == ("new", "new", "error")
    assert "第 7 行缺少“签订日期”" in plan.errors[0].message
    apply_register(db, plan, skip_invalid=True)
    with db.engine.connect() as conn:
        agreements = conn.execute(
            text(
                "SELECT a.number, p.name, a.quota_people, a.price_fen FROM agreement a JOIN partner p"
                " ON p.id = a.partner_id ORDER BY a.number"
            )
        ).all()
    assert [tuple(a) for a in agreements] == [
        ("JD-2021-001", "宁波大学", 800, 26000),
        ("JD-2022-001", "宁波大学", 900, 27000),
    ]
    assert _count(db, "partner") == 2


def test_routes_one_row_per_day_item_then_batches_that_use_them(db: Database, tmp_path: Path) -> None:
    _bases_path = _bases(tmp_path / "bases.xlsx")
    apply_register(db, plan_register(db, "bases", _bases_path))
    route_rows = [
        ["XL01", "浙大西迁研学线路", "研学", 2, 1, "上午", "参观梅城浙大路", "梅城镇", None],
        [None, None, None, None, 1, "晚上", "入住", "", "寿昌宾馆"],
        [None, None, None, None, 2, "上午", "返程", "", None],
        ["XL02", "寿昌古镇休闲线路", "休闲", 1, 1, "全天", "古镇漫游", "寿昌镇", None],
    ]
    header = ["线路编号", "线路名称", "主题", "天数", "第几天", "时段", "行程安排", "地点", "住宿基地"]
    routes = _book(tmp_path / "routes.xlsx", "线路目录", header, route_rows, merges=("A4:A6", "B4:B6"))
    plan = plan_register(db, "routes", routes)
    assert [r.status for r in plan.rows] == ["new", "new", "new", "new"] and plan.count("new") == 2
    apply_register(db, plan)
    with db.engine.connect() as conn:
        items = conn.execute(
            text(
                "SELECT i.day_no, i.kind, i.activity FROM route_item i JOIN route r ON r.id = i.route_id"
                " WHERE r.code = 'XL01' ORDER BY i.day_no, i.seq"
            )
        ).all()
    assert [tuple(i) for i in items] == [
        (1, "activity", "参观梅城浙大路"),
        (1, "lodging", "入住"),
        (2, "activity", "返程"),
    ]
    route_rows[2][6] = "新安江漂流后返程"  # the office changes one day item and re-imports
    changed = plan_register(
        db,
        "routes",
        _book(tmp_path / "routes2.xlsx", "线路目录", header, route_rows, merges=("A4:A6", "B4:B6")),
    )
    assert {r.key: (r.status, r.changes) for r in changed.rows} == {
        "XL01": ("changed", ["items"]),
        "XL02": ("unchanged", []),
    }
    apply_register(db, changed)
    with db.engine.connect() as conn:
        day_two = conn.execute(
            text(
                "SELECT activity FROM route_item WHERE day_no = 2"
                " AND route_id = (SELECT id FROM route WHERE code = 'XL01')"
            )
        ).scalar_one()
    assert day_two == "新安江漂流后返程"

    header = ["团号", "组团单位", "线路", "到达日期", "离开日期", "人数", "住宿基地", "领队"]
    _book(tmp_path / "p.xlsx", "x", ["合作单位"], [["宁波大学"]])
    apply_register(db, plan_register(db, "partners", tmp_path / "p.xlsx"))
    batch_rows = [
        ["", "宁波大学", "XL01", "2021-03-31", "2021-04-01", 40, "寿昌宾馆", "张伟"],
        ["", "宁波大学", "寿昌古镇休闲线路", dt.date(2021, 5, 12), dt.date(2021, 5, 12), 30, None, ""],
        ["", "不存在的单位", "XL01", "2021-06-01", "2021-06-02", 20, None, ""],
        ["", "宁波大学", "XL01", "2021-06-02", "2021-06-01", 20, None, ""],
    ]
    batches = _book(tmp_path / "batches.xlsx", "2021年批次安排", header, batch_rows)
    plan = plan_register(db, "batches", batches)
    assert [r.status for r in plan.rows] == ["new", "new", "error", "error"]
    assert "不存在的单位" in plan.errors[0].message
    assert "离开" in plan.errors[1].message or "日期" in plan.errors[1].message
    result = apply_register(db, plan, skip_invalid=True)
    assert result.new == 2
    with db.engine.connect() as conn:
        made = conn.execute(text("SELECT code, headcount FROM batch ORDER BY code")).all()
        lodging = conn.execute(text("SELECT count(*), sum(people) FROM lodging")).one()
    assert [tuple(b) for b in made] == [("L2021-0001", 40), ("L2021-0002", 30)]
    assert tuple(lodging) == (1, 40)


@pytest.mark.parametrize("kind", [k for k in TEMPLATE_KINDS if k != "roster"])
def test_a_template_filled_in_imports_then_round_trips_unchanged(
    kind: str, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # What each register needs before it: bases for routes and batches, partners and routes for batches.
    for before in {"routes": ["bases"], "batches": ["bases", "partners", "routes"]}.get(kind, []):
        path = write_template(before, tmp_path / f"{before}.xlsx").path
        _fill_like_the_example(path)
        assert cli_main(["--db", db.url, "import", before, str(path)]) == 0
    path = write_template(kind, tmp_path / f"{kind}-template").path
    assert path.suffix == ".xlsx"
    book = openpyxl.load_workbook(path)
    headers = [c.value for c in book.worksheets[0][1]]
    assert headers == [h + (" *" if must else "") for _f, h, must in columns_of(kind)]
    assert book.sheetnames[1] == "说明"
    _fill_like_the_example(path)
    capsys.readouterr()
    assert cli_main(["--db", db.url, "import", kind, str(path), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["written"] and first["new"] == 1 and first["errors"] == []
    assert cli_main(["--db", db.url, "import", kind, str(path), "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert (second["new"], second["changed"], second["unchanged"]) == (0, 0, 1)


def _fill_like_the_example(path: Path) -> None:
    """What a coordinator does with a template: a real row below the example, copied from it."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    example = [c.value for c in sheet[2]]
    sheet.append([str(v).replace("（示例）", "") if isinstance(v, str) else v for v in example])
    book.save(path)


def test_the_roster_template_imports_into_a_batch(db: Database, tmp_path: Path) -> None:
    from recuperation.services.batch import batches
    from tests.factories import partner

    p = partner(db)
    batches.create_batch(
        db, batches.BatchInput(p.id, dt.date(2021, 3, 31), dt.date(2021, 4, 1), 1, code="L2021-0100")
    )
    path = write_template("roster", tmp_path / "roster.xlsx").path
    _fill_like_the_example(path)
    assert cli_main(["--db", db.url, "roster", "import", "L2021-0100", str(path)]) == 0
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM participant")).scalars().all() == ["王芳"]


def test_import_command_line_contract(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _bases(tmp_path / "bad.xlsx", "八十")
    assert cli_main(["--db", db.url, "import", "bases", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("4\tbeds\t错误\t") and "1 行错误" in err and "\n" not in err.strip()
    good = _bases(tmp_path / "good.xlsx")
    assert cli_main(["--db", db.url, "import", "bases", str(good), "--dry-run"]) == 0
    assert "试运行" in capsys.readouterr().err and _count(db, "base") == 0
    not_a_register = tmp_path / "x.xlsx"
    _book(not_a_register, "无关的表", ["甲", "乙"], [[1, 2]])
    assert cli_main(["--db", db.url, "import", "routes", str(not_a_register)]) == 1
    assert "线路编号" in capsys.readouterr().err
    assert cli_main(["--db", db.url, "import", "people", str(good)]) == 2


def test_a_batch_register_with_a_roster_sheet_per_batch(db: Database, tmp_path: Path) -> None:
    from recuperation.people import with_check_character
    from tests.factories import partner

    partner(db)  # 宁波大学
    book = openpyxl.Workbook()
    batches_sheet = book.active
    assert batches_sheet is not None
    batches_sheet.title = "批次"
    batches_sheet.append(["批次编号", "合作单位", "到达日期", "离开日期", "计划人数"])
    batches_sheet.append(["L2021-0001", "宁波大学", "2021-03-31", "2021-04-01", 3])
    batches_sheet.append(["L2021-0002", "宁波大学", "2021-05-12", "2021-05-13", 2])
    people = [with_check_character(f"33018219800101{n:03d}") for n in range(5)]
    first = book.create_sheet("L2021-0001")
    first.append(["宁波大学 L2021-0001 名单"])
    first.append(["序号", "姓名", "身份证号码", "手机"])
    for i, number in enumerate(people[:3], start=1):
        first.append([i, f"职工{i}", number, f"1380000000{i}"])
    second = book.create_sheet("L2021-0002")
    second.append(["姓名", "身份证号"])
    second.append(["职工4", people[3]])
    second.append(["职工5", people[3][:-1] + ("0" if people[3][-1] != "0" else "1")])  # a wrong check digit
    path = tmp_path / "batches.xlsx"
    book.save(path)

    plan = plan_register(db, "batches", path)
    rosters = {r.roster: r for r in plan.rows if r.roster}
    assert rosters["L2021-0001"].status == "changed" and rosters["L2021-0001"].changes == ["roster:+3"]
    assert rosters["L2021-0002"].status == "error"
    assert "L2021-0002 名单第 3 行" in rosters["L2021-0002"].errors[0].message
    assert plan.count("new") == 2 and _count(db, "batch") == 0
    with pytest.raises(ValidationError):
        apply_register(db, plan)
    assert _count(db, "batch") == 0 and _count(db, "participant") == 0
    apply_register(db, plan, skip_invalid=True)
    with db.engine.connect() as conn:
        counts = conn.execute(
            text(
                "SELECT b.code, count(p.id) FROM batch b LEFT JOIN participant p ON p.batch_id = b.id"
                " GROUP BY b.code ORDER BY b.code"
            )
        ).all()
    assert [tuple(c) for c in counts] == [("L2021-0001", 3), ("L2021-0002", 0)]
    again = plan_register(db, "batches", path)
    assert {r.key: r.status for r in again.rows if not r.roster} == {
        "L2021-0001": "unchanged",
        "L2021-0002": "unchanged",
    }
    assert next(r for r in again.rows if r.roster == "L2021-0001").status == "unchanged"


def test_a_route_catalogue_kept_as_one_sheet_per_route(db: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "浙大西迁"
    first.append(["浙大西迁研学线路"])
    first.append(["线路编号：XL01", None, "主题", "研学"])
    first.append(["第几天", "时间", "行程安排", "地点"])
    first.append([1, "上午", "参观梅城浙大路", "梅城镇"])
    first.append([2, "上午", "返程", ""])
    second = book.create_sheet("寿昌古镇休闲线路")
    second.append(["天", "安排"])
    second.append([1, "古镇漫游"])
    path = tmp_path / "routes.xlsx"
    book.save(path)
    plan = plan_register(db, "routes", path)
    assert {r.key for r in plan.rows} == {"XL01", "寿昌古镇休闲线路"} and not plan.errors
    apply_register(db, plan)
    with db.engine.connect() as conn:
        routes = conn.execute(text("SELECT code, name, theme, days FROM route ORDER BY code")).all()
    assert [tuple(r) for r in routes] == [
        ("XL01", "浙大西迁研学线路", "study", 2),
        ("寿昌古镇休闲线路", "寿昌古镇休闲线路", "leisure", 1),
    ]
    assert {r.status for r in plan_register(db, "routes", path).rows} == {"unchanged"}


def test_qualified_kinds_are_understood_and_a_record_twice_is_an_error(db: Database, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        [1, "寿昌宾馆", "三星级宾馆", "寿昌镇", "", 80],
        [2, "梅城民宿", "精品民宿", "梅城镇", "", 30],
        [3, "寿昌宾馆", "宾馆", "寿昌镇", "", 90],
        [4, "江景房", "民宿酒店", "新安江街道", "", 20],
    ]
    path = _book(tmp_path / "bases.xlsx", "基地", BASES_HEADER[:6], rows)
    plan = plan_register(db, "bases", path)
    by_row = {r.row: r for r in plan.rows}
    assert (by_row[4].status, by_row[5].status) == ("new", "new")
    assert (
        by_row[6].status == "error"
        and "第 6 行与第 4 行是同一条记录（寿昌宾馆）" in by_row[6].errors[0].message
    )
    assert by_row[7].status == "error" and "民宿酒店" in by_row[7].errors[0].message  # two kinds at once
    apply_register(db, plan, skip_invalid=True)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT name, kind, beds FROM base ORDER BY id")).all() == [
            ("寿昌宾馆", "hotel", 80),
            ("梅城民宿", "homestay", 30),
        ]


def test_totals_and_signature_lines_under_the_table_are_not_records(db: Database, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        [
            1,
            "寿昌宾馆",
            "宾馆",
            "寿昌镇",
            "",
            80,
            "杭州市级",
            "HZ-001",
            "2021/3/1 0:00:00",
            "2024/2/29 0:00:00",
        ],
        [2, "梅城民宿", "民宿", "梅城镇", "", 30],
        ["合计", None, None, None, None, 110],
        [],
        ["注：床位数以认定时核定的为准。"],
        ["填表人：王芳", None, None, "审核人：李四"],
    ]
    plan = plan_register(db, "bases", _book(tmp_path / "bases.xlsx", "基地登记表", BASES_HEADER, rows))
    assert [(r.key, r.status) for r in plan.rows] == [("寿昌宾馆", "new"), ("梅城民宿", "new")]
    apply_register(db, plan)
    with db.engine.connect() as conn:
        assert str(conn.execute(text("SELECT valid_from FROM certification")).scalar_one()) == "2021-03-01"


def test_a_roster_with_a_total_line_imports_its_people_only(db: Database, tmp_path: Path) -> None:
    from recuperation.people import with_check_character
    from recuperation.services.batch import batches
    from recuperation.services.batch.roster_import import plan_import
    from tests.factories import partner

    p = partner(db)
    batches.create_batch(
        db, batches.BatchInput(p.id, dt.date(2021, 3, 31), dt.date(2021, 4, 1), 2, code="L2021-0100")
    )
    people = [with_check_character(f"33018219800101{n:03d}") for n in (7, 8)]
    path = _book(
        tmp_path / "roster.xlsx",
        "宁波大学疗休养名单",
        ["序号", "姓名", "身份证号"],
        [[1, "王芳", people[0]], [2, "李强", people[1]], ["合计", "2人"], ["联系人：李秀兰 13812345678"]],
    )
    plan = plan_import(db, "L2021-0100", path)
    assert [r.values["name"] for r in plan.rows] == ["王芳", "李强"] and not plan.errors


def test_a_batch_register_with_one_column_of_stays_and_the_year_in_its_title(
    db: Database, tmp_path: Path
) -> None:
    from tests.factories import partner

    partner(db)
    header = ["序号", "组团单位", "起止日期", "人数"]
    rows: list[list[Any]] = [
        [1, "宁波大学", "3月31日—4月2日", "40人"],
        [2, "宁波大学", "5.12-5.13", 30],
        [3, "宁波大学", "12月30日至1月2日", 20],
        [4, "宁波大学", "五月中旬", 20],
    ]
    path = _book(tmp_path / "batches.xlsx", "2021年职工疗休养批次安排表", header, rows)
    plan = plan_register(db, "batches", path)
    assert [r.status for r in plan.rows] == ["new", "new", "new", "error"]
    assert "五月中旬" in plan.errors[0].message and "起止日期" in plan.errors[0].message
    apply_register(db, plan, skip_invalid=True)
    with db.engine.connect() as conn:
        stays = conn.execute(text("SELECT arrival, departure, headcount FROM batch ORDER BY arrival")).all()
    assert [(str(a), str(d), n) for a, d, n in stays] == [
        ("2021-03-31", "2021-04-02", 40),
        ("2021-05-12", "2021-05-13", 30),
        ("2021-12-30", "2022-01-02", 20),
    ]


@pytest.mark.parametrize("kind", ["bases", "partners", "routes", "batches"])
def test_the_registers_on_file_export_and_import_again_unchanged(
    kind: str, demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a coordinator does at the end of the year: export the register as it stands, correct it in
    Excel, import it again.  Unedited, every record is unchanged (the demo's names have full-width
    parentheses, which an importer that folded them would have lost)."""
    path = tmp_path / f"{kind}.xlsx"
    assert cli_main(["--db", demo_db.url, "template", kind, "-o", str(path), "--with-data"]) == 0
    plan = plan_register(demo_db, kind, path)
    assert plan.errors == [] and plan.count("new") == 0 and plan.count("changed") == 0
    assert plan.count("unchanged") == _count(
        demo_db, {"bases": "base", "partners": "partner", "routes": "route", "batches": "batch"}[kind]
    )
    if kind == "bases":  # one cell changed in Excel: exactly that is applied
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        beds = [c.value for c in sheet[1]].index("床位数")
        sheet.cell(row=3, column=beds + 1).value = 999
        book.save(path)
        again = plan_register(demo_db, kind, path)
        assert [(r.row, r.changes) for r in again.rows if r.status != "unchanged"] == [(3, ["beds"])]


def test_codes_typed_full_width_are_read_as_codes(db: Database, tmp_path: Path) -> None:
    header = ["线路编号", "线路名称", "第几天", "行程安排"]
    path = _book(
        tmp_path / "routes.xlsx", "线路", header, [["ＸＬ０１", "浙大西迁研学线路（两日）", 1, "参观"]]
    )
    apply_register(db, plan_register(db, "routes", path))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT code, name FROM route")).one() == (
            "XL01",
            "浙大西迁研学线路（两日）",
        )


def test_a_number_too_large_for_the_database_is_a_row_error(db: Database, tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx", "基地", ["基地名称", "床位数"], [["大酒店", 10**12], ["小酒店", 3]])
    plan = plan_register(db, "bases", path)
    assert [(r.key, r.status) for r in plan.rows] == [("大酒店", "error"), ("小酒店", "new")]
    assert "床位数“1000000000000”太大（最多 1,000,000）" in plan.errors[0].message


# --- a record's cells are carried down into its own rows only ----------------------------------------------


def test_a_partner_listed_under_another_takes_nothing_of_it(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The template filled in by hand: 甲公司 with its region, contact, phone and address, 乙公司 below it
    with only its name.  乙公司 is imported with nothing but its name, not with 张三's phone."""
    path = tmp_path / "partners.xlsx"
    assert cli_main(["--db", db.url, "template", "partners", "-o", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headers = [str(c.value).removesuffix(" *") for c in sheet[1]]
    sheet.delete_rows(2)  # the example row
    filled = {"合作单位": "甲公司", "所在地区": "杭州市", "联系人": "张三", "联系电话": "13800000000"}
    filled["地址"] = "杭州市西湖区文三路 1 号"
    for header, value in filled.items():
        sheet.cell(row=2, column=headers.index(header) + 1).value = value
    sheet.cell(row=3, column=headers.index("合作单位") + 1).value = "乙公司"
    book.save(path)
    assert cli_main(["--db", db.url, "import", "partners", str(path)]) == 0
    with db.engine.connect() as conn:
        partners = conn.execute(
            text("SELECT name, region, contact_name, contact_phone, address FROM partner ORDER BY id")
        ).all()
    assert [tuple(p) for p in partners] == [
        ("甲公司", "杭州市", "张三", "13800000000", "杭州市西湖区文三路 1 号"),
        ("乙公司", "", "", "", ""),
    ]


def test_a_route_without_a_price_takes_nothing_from_the_route_above(db: Database, tmp_path: Path) -> None:
    header = [
        "线路编号",
        "线路名称",
        "主题",
        "天数",
        "价格（元/人）",
        "适用季节",
        "简介",
        "第几天",
        "行程安排",
    ]
    rows = [
        ["XL01", "浙大西迁研学线路", "研学", 2, 520, "春秋", "梅城两日", 1, "参观梅城浙大路"],
        [None, None, None, None, None, None, None, 2, "返程"],  # XL01 continued: its own day plan
        ["XL02", "寿昌古镇休闲线路", None, 1, None, None, None, 1, "古镇漫游"],
    ]
    apply_register(db, plan_register(db, "routes", _book(tmp_path / "routes.xlsx", "线路", header, rows)))
    with db.engine.connect() as conn:
        routes = conn.execute(
            text("SELECT code, theme, price_fen, season, description FROM route ORDER BY code")
        ).all()
        days = conn.execute(
            text(
                "SELECT r.code, count(*) FROM route_item i JOIN route r ON r.id = i.route_id GROUP BY r.code"
            )
        ).all()
    assert [tuple(r) for r in routes] == [
        ("XL01", "study", 52000, "春秋", "梅城两日"),
        ("XL02", "leisure", None, "", ""),  # the theme's default, not 研学 from the route above
    ]
    assert sorted(tuple(d) for d in days) == [("XL01", 2), ("XL02", 1)]


def test_a_route_row_naming_another_route_without_a_code_is_not_added_to_the_route_above(
    db: Database, tmp_path: Path
) -> None:
    header = ["线路编号", "线路名称", "第几天", "行程安排"]
    rows = [["XL01", "浙大西迁研学线路", 1, "参观"], [None, "寿昌古镇休闲线路", 1, "古镇漫游"]]
    plan = plan_register(db, "routes", _book(tmp_path / "routes.xlsx", "线路", header, rows))
    assert [(r.row, r.key, r.status) for r in plan.rows] == [(4, "XL01", "new"), (5, "", "error")]


def test_records_with_empty_optional_fields_export_and_import_again_unchanged(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A partner without a credit code listed after one with a code, a route without a price after one with
    a price: the register as it stands imports again with no change (and no 已存在 error)."""
    from recuperation.services import partners, routes
    from tests.factories import valid_uscc

    with_code = partners.create_partner(
        db,
        partners.PartnerInput(
            name="甲公司",
            uscc=valid_uscc(),
            region="杭州市",
            contact_name="张三",
            contact_phone="13800000000",
        ),
    )
    partners.create_partner(db, partners.PartnerInput(name="乙公司"))
    partners.create_agreement(
        db,
        partners.AgreementInput(
            with_code.id,
            "JD-2021-001",
            dt.date(2021, 2, 1),
            dt.date(2021, 3, 1),
            dt.date(2021, 12, 31),
            5,
            200,
            26000,
            "含午餐",
        ),
    )
    item = routes.RouteItemInput(1, "参观")
    routes.create_route(
        db, routes.RouteInput("XL01", "研学线路", "study", 2, 1, 52000, "春秋", "两日", (item,))
    )
    routes.create_route(db, routes.RouteInput("XL02", "休闲线路", "leisure", 1, 0, None, "", "", (item,)))
    for kind, records in (("partners", 2), ("routes", 2)):
        path = tmp_path / f"{kind}.xlsx"
        assert cli_main(["--db", db.url, "template", kind, "-o", str(path), "--with-data"]) == 0
        capsys.readouterr()
        assert cli_main(["--db", db.url, "import", kind, str(path), "--dry-run", "--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert (report["new"], report["changed"], report["unchanged"], report["errors"]) == (
            0,
            0,
            records,
            [],
        )


def test_prices_in_a_register_with_data_are_numbers_and_read_back_unchanged(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As the example row writes them (a number Excel can sum), not the text '760'."""
    from recuperation.services import partners, routes

    sender = partners.create_partner(db, partners.PartnerInput(name="宁波大学"))
    partners.create_agreement(
        db,
        partners.AgreementInput(
            sender.id,
            "JD-2021-001",
            dt.date(2021, 2, 1),
            dt.date(2021, 3, 1),
            dt.date(2021, 12, 31),
            price_fen=26050,
        ),
    )
    routes.create_route(
        db,
        routes.RouteInput(
            "XL01", "研学线路", "study", 2, 1, 76000, items=(routes.RouteItemInput(1, "参观"),)
        ),
    )
    for kind, header, expected in (("partners", "单价（元/人天）", 260.5), ("routes", "价格（元/人）", 760)):
        path = tmp_path / f"{kind}.xlsx"
        assert cli_main(["--db", db.url, "template", kind, "-o", str(path), "--with-data"]) == 0
        sheet = openpyxl.load_workbook(path).worksheets[0]
        column = [c.value for c in sheet[1]].index(header)
        example, written = sheet.cell(2, column + 1).value, sheet.cell(3, column + 1).value
        assert isinstance(example, int) and written == expected and type(written) is type(expected)
        capsys.readouterr()
        assert cli_main(["--db", db.url, "import", kind, str(path), "--dry-run", "--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert (report["new"], report["changed"], report["unchanged"], report["errors"]) == (0, 0, 1, [])


def test_the_changes_column_names_fields_in_the_current_language() -> None:
    """The preview's 修改 column: the register's headers joined with 、 in Chinese; the fields' English
    labels joined with commas in English, never a Chinese header or a raw field name among them."""
    from recuperation import messages

    assert describe_changes("bases", ["address", "contact_phone", "certification.valid_to"]) == (
        "地址、联系电话、认定（有效期至）"
    )
    assert (
        describe_changes("partners", ["region", "agreement:JD-1.price_fen"])
        == "所在地区、协议 JD-1（单价（元/人天））"
    )
    assert describe_changes("batches", ["route_id", "lodging", "status"]) == "线路编号、住宿、状态"
    messages.set_language("en")
    try:
        assert describe_changes("bases", ["address", "contact_phone", "certification.valid_to"]) == (
            "address, contact phone, certification (certified until)"
        )
        assert (
            describe_changes("partners", ["region", "agreement:JD-1.price_fen"])
            == "region, agreement JD-1 (price)"
        )
        assert describe_changes("routes", ["price_fen", "items"]) == "price, day plan"
        assert describe_changes("batches", ["route_id", "lodging", "status", "roster:+3"]) == (
            "route, lodging, status, roster +3"
        )
    finally:
        messages.set_language("zh")
