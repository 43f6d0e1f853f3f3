"""``rates export`` and ``rates import``: the workbook reads back with no change, edits are applied exactly, a
file with errors names the row, the column and what to do and writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from recuperation.cli import main
from recuperation.errors import StaleEditError
from recuperation.models import AuditEntry, RateCard, RateLine, table_of
from recuperation.rates_workbook import CARDS_SHEET, LINES_SHEET, apply_rates, plan_rates
from recuperation.services import rates
from recuperation.services.rates import CardInput, LineInput
from recuperation.storage.database import Database
from recuperation.transfer import table_checksum
from tests.factories import certified_base, valid_uscc

D = dt.date


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def state(db: Database) -> tuple[object, ...]:
    """The rate tables' checksums and the audit log's length: what an import that changes nothing leaves."""
    with db.engine.connect() as conn:
        sums = tuple(table_checksum(conn, table_of(m)) for m in (RateCard, RateLine, AuditEntry))
    return sums


@pytest.fixture
def cards(db: Database) -> Database:
    """Two bases' cards: 寿昌宾馆 for 2021 with a summer season and 2022; 寿昌古镇民宿群（东区）, a homestay at 1%."""
    hotel = certified_base(db, "寿昌宾馆")
    homestay = certified_base(db, "寿昌古镇民宿群（东区）")
    rates.create_card(
        db,
        CardInput(
            hotel.id,
            "2021 年协议价",
            D(2021, 1, 1),
            D(2021, 12, 31),
            "建德市寿昌宾馆有限公司",
            valid_uscc(),
            "中国工商银行建德寿昌支行",
            "1202 0267 0900 0123 456",
            600,
            "含早；团队价，不含“节假日”",
            (
                LineInput("room", "twin", "per_room_night", 32000),
                LineInput("room", "twin", "per_room_night", 38050, D(2021, 7, 1), D(2021, 8, 31)),
                LineInput("room", "single", "per_room_night", 28000),
                LineInput("room", "江景套房", "per_room_night", 88000, notes="限 4 间"),
                LineInput("meal", "breakfast", "per_person", 2500),
                LineInput("meal", "lunch", "per_person", 6000),
                LineInput("meal", "dinner", "per_person", 6000),
                LineInput("meeting", "会议室（半天）", "per_session", 120000),
                LineInput("activity", "古镇非遗体验", "per_person", 3999),
            ),
        ),
    )
    rates.create_card(
        db,
        CardInput(
            hotel.id,
            "2022 年协议价",
            D(2022, 1, 1),
            D(2022, 12, 31),
            lines=(LineInput("room", "twin", "per_room_night", 33000),),
        ),
    )
    rates.create_card(
        db,
        CardInput(
            homestay.id,
            "2021 民宿价",
            D(2021, 3, 1),
            D(2022, 2, 28),
            "寿昌古镇民宿合作社",
            tax_bp=100,
            lines=(
                LineInput("room", "twin", "per_room_night", 26000),
                LineInput("meal", "lunch", "per_person", 4500),
            ),
        ),
    )
    return db


def test_export_then_import_changes_nothing(cards: Database, capsys, tmp_path: Path) -> None:
    db = cards
    path = tmp_path / "价目表.xlsx"
    code, _out, err = run(capsys, "--db", db.url, "rates", "export", "-o", str(path))
    assert code == 0 and "3 份价目表" in err and "价格 12 行" in err
    book = openpyxl.load_workbook(path)
    sheet = book[CARDS_SHEET]
    assert [c.value for c in sheet[1]][:4] == ["基地名称*", "价目表名称*", "有效期起*", "有效期至*"]
    hotel = _row_of(path, CARDS_SHEET, 价目表名称="2021 年协议价")
    first = {sheet.cell(1, c).value.rstrip("*"): sheet.cell(hotel, c) for c in range(1, sheet.max_column + 1)}
    assert isinstance(first["有效期起"].value, dt.datetime)
    assert first["统一社会信用代码"].data_type == "s" and first["银行账号"].value == "1202 0267 0900 0123 456"
    assert first["税率"].value == pytest.approx(0.06) and first["税率"].number_format == "0.00%"
    lines = book[LINES_SHEET]
    header = [c.value for c in lines[1]]
    price = header.index("单价（元）*") + 1
    row = next(
        r
        for r in range(2, lines.max_row + 1)
        if lines.cell(r, 4).value == "标准间" and lines.cell(r, 5).value
    )
    assert lines.cell(row, price).value == 380.5 and lines.cell(row, price).number_format == "#,##0.00"
    assert isinstance(lines.cell(row, 5).value, dt.datetime)

    before = state(db)
    code, out, err = run(capsys, "--db", db.url, "rates", "import", str(path), "--dry-run", "--json")
    report = json.loads(out)
    assert code == 0, err
    assert (report["cards"], report["lines"], report["new"], report["changed"], report["unchanged"]) == (
        3,
        12,
        0,
        0,
        3,
    )
    assert report["errors"] == [] and report["written"] is False
    code, out, err = run(capsys, "--db", db.url, "rates", "import", str(path))
    assert code == 0 and "未变 3 份" in err
    assert state(db) == before  # not a row, not an audit entry


def test_export_of_one_base(cards: Database, capsys, tmp_path: Path) -> None:
    path = tmp_path / "one.xlsx"
    code, _out, err = run(
        capsys, "--db", cards.url, "rates", "export", "--base", "寿昌古镇民宿群(东区)", "-o", str(path)
    )
    assert code == 0 and "1 份价目表" in err
    book = openpyxl.load_workbook(path)
    assert [r[1].value for r in book[CARDS_SHEET].iter_rows(min_row=2)] == ["2021 民宿价"]
    code, _out, err = run(
        capsys, "--db", cards.url, "rates", "export", "--base", "没有的基地", "-o", str(path)
    )
    assert code == 1 and "没有的基地" in err


def _edit(
    path: Path, sheet: str, changes: dict[tuple[int, str], object], append: list[list[object]] = ()
) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    header = [str(c.value).rstrip("*") for c in ws[1]]
    for (row, column), value in changes.items():
        ws.cell(row, header.index(column) + 1).value = value
    for values in append:
        ws.append(values)
    book.save(path)


def _row_of(path: Path, sheet: str, **wanted: object) -> int:
    ws = openpyxl.load_workbook(path)[sheet]
    header = [str(c.value).rstrip("*") for c in ws[1]]
    for row in range(2, ws.max_row + 1):
        if all(ws.cell(row, header.index(k) + 1).value == v for k, v in wanted.items()):
            return row
    raise AssertionError(wanted)


def test_edits_are_previewed_then_applied(cards: Database, capsys, tmp_path: Path) -> None:
    db = cards
    path = tmp_path / "rates.xlsx"
    run(capsys, "--db", db.url, "rates", "export", "-o", str(path))
    twin = _row_of(path, LINES_SHEET, 价目表名称="2021 年协议价", 项目="标准间", 季节起=None)
    lunch = _row_of(path, LINES_SHEET, 价目表名称="2021 民宿价", 项目="午餐")
    _edit(path, LINES_SHEET, {(twin, "单价（元）"): "335.50", (lunch, "项目"): "晚餐"})
    _edit(
        path,
        LINES_SHEET,
        {},
        [["寿昌宾馆", "2022 年协议价", "餐饮", "早餐", None, None, "每人", 28, "自助"]],
    )
    _edit(path, CARDS_SHEET, {(_row_of(path, CARDS_SHEET, 价目表名称="2022 年协议价"), "税率"): "3%"})
    _edit(path, CARDS_SHEET, {}, [["寿昌宾馆", "2023 年协议价", D(2023, 1, 1), D(2023, 12, 31)]])
    before = state(db)
    code, out, err = run(capsys, "--db", db.url, "rates", "import", str(path), "--dry-run", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["new"], report["changed"], report["unchanged"]) == (1, 3, 0)
    status = {r["card"]: r for r in report["row_status"]}
    assert status["2021 年协议价"]["lines"] == {
        "changed": ["标准间 320.00元/每间每晚 → 标准间 335.50元/每间每晚"]
    }
    assert status["2022 年协议价"]["changes"] == ["tax_bp", "lines"]
    assert status["2021 民宿价"]["lines"] == {
        "added": ["晚餐 45.00元/每人"],
        "removed": ["午餐 45.00元/每人"],
    }
    assert status["2023 年协议价"]["status"] == "new"
    assert state(db) == before  # a dry run writes nothing
    code, _out, err = run(capsys, "--db", db.url, "rates", "import", str(path))
    assert code == 0 and "新增 1 份，修改 3 份" in err
    by_name = {c.name: c for c in rates.list_cards(db)}
    assert by_name["2022 年协议价"].tax_bp == 300
    assert [(li.item, li.price_fen, li.notes) for li in by_name["2022 年协议价"].lines] == [
        ("twin", 33000, ""),
        ("breakfast", 2800, "自助"),
    ]
    assert (
        next(li for li in by_name["2021 年协议价"].lines if li.item == "twin" and not li.season).price_fen
        == 33550
    )
    assert by_name["2023 年协议价"].tax_bp == 600 and by_name["2023 年协议价"].lines == ()
    # and what it wrote exports and imports back unchanged
    run(capsys, "--db", db.url, "rates", "export", "-o", str(path))
    code, out, _err = run(capsys, "--db", db.url, "rates", "import", str(path), "--dry-run", "--json")
    assert json.loads(out)["unchanged"] == 4


def test_validity_moved_between_two_cards_of_a_base(cards: Database, capsys, tmp_path: Path) -> None:
    """The 2021 card ends later and the 2022 one starts later: written one at a time they would overlap."""
    db = cards
    path = tmp_path / "rates.xlsx"
    run(capsys, "--db", db.url, "rates", "export", "-o", str(path))
    old = _row_of(path, CARDS_SHEET, 价目表名称="2021 年协议价")
    new = _row_of(path, CARDS_SHEET, 价目表名称="2022 年协议价")
    _edit(path, CARDS_SHEET, {(old, "有效期至"): D(2022, 1, 31), (new, "有效期起"): D(2022, 2, 1)})
    code, _out, err = run(capsys, "--db", db.url, "rates", "import", str(path))
    assert code == 0, err
    by_name = {c.name: c for c in rates.list_cards(db)}
    assert (by_name["2021 年协议价"].valid_to, by_name["2022 年协议价"].valid_from) == (
        D(2022, 1, 31),
        D(2022, 2, 1),
    )


@pytest.mark.parametrize(
    ("sheet", "where", "value", "column", "words"),
    [
        (
            CARDS_SHEET,
            {"价目表名称": "2021 民宿价"},
            ("基地名称", "寿昌新宾馆"),
            "基地名称",
            "没有名为“寿昌新宾馆”的基地",
        ),
        (LINES_SHEET, {"项目": "单人间"}, ("单价（元）", "三百"), "单价（元）", "不是金额"),
        (LINES_SHEET, {"项目": "单人间"}, ("单价（元）", 280.125), "单价（元）", "两位小数"),
        (LINES_SHEET, {"项目": "单人间"}, ("计价单位", "每人"), "计价单位", "不能按“每人”计价"),
        (LINES_SHEET, {"项目": "单人间"}, ("计价单位", "每桌"), "计价单位", "不是可选的值"),
        (LINES_SHEET, {"项目": "单人间"}, ("季节起", D(2021, 12, 1)), "季节止", "季节要同时填写"),
        (LINES_SHEET, {"项目": "早餐"}, ("项目", ""), "项目", "必须填写"),
        (
            LINES_SHEET,
            {"项目": "江景套房"},
            ("价目表名称", "2020 年协议价"),
            "价目表名称",
            "没有基地“寿昌宾馆”的价目表“2020 年协议价”",
        ),
        (
            CARDS_SHEET,
            {"价目表名称": "2022 年协议价"},
            ("有效期起", D(2021, 12, 1)),
            "有效期起",
            "有效期重叠",
        ),
        (CARDS_SHEET, {"价目表名称": "2022 年协议价"}, ("有效期起", "明年"), "有效期起", "不是日期"),
        (
            CARDS_SHEET,
            {"价目表名称": "2021 民宿价"},
            ("统一社会信用代码", "91330182MA2B0N5Q8A"),
            "统一社会信用代码",
            "无效",
        ),
        (
            CARDS_SHEET,
            {"价目表名称": "2021 民宿价"},
            ("银行账号", 6.217001234567891e18),
            "银行账号",
            "设为文本",
        ),
        (CARDS_SHEET, {"价目表名称": "2021 民宿价"}, ("税率", "6.125%"), "税率", "税率“6.125%”无效"),
    ],
)
def test_a_file_with_an_error_names_the_row_and_column_and_writes_nothing(
    cards: Database,
    capsys,
    tmp_path: Path,
    sheet: str,
    where: dict[str, object],
    value: tuple[str, object],
    column: str,
    words: str,
) -> None:
    db = cards
    path = tmp_path / "rates.xlsx"
    run(capsys, "--db", db.url, "rates", "export", "-o", str(path))
    row = _row_of(path, sheet, **where)
    # a change elsewhere in the file is not written either
    _edit(path, CARDS_SHEET, {(_row_of(path, CARDS_SHEET, 价目表名称="2021 年协议价"), "备注"): "改过"})
    _edit(path, sheet, {(row, value[0]): value[1]})
    before = state(db)
    code, out, err = run(capsys, "--db", db.url, "rates", "import", str(path), "--json")
    report = json.loads(out)
    assert code == 1 and report["written"] is False and "未写入任何数据" in err
    found = [e for e in report["errors"] if e["row"] == row and e["sheet"] == sheet]
    assert found and found[0]["column"].rstrip("*") == column and words in found[0]["message"], report[
        "errors"
    ]
    assert state(db) == before
    # the plain report: sheet, row, column and message, one a line
    code, out, _err = run(capsys, "--db", db.url, "rates", "import", str(path))
    assert code == 1 and [sheet, str(row)] in [line.split("\t")[:2] for line in out.splitlines()]


def test_a_season_outside_its_card_and_two_prices_of_a_day_point_at_the_line(
    cards: Database, capsys, tmp_path: Path
) -> None:
    db = cards
    path = tmp_path / "rates.xlsx"
    run(capsys, "--db", db.url, "rates", "export", "-o", str(path))
    season = (
        _row_of(path, LINES_SHEET, 项目="标准间", 价目表名称="2021 年协议价", 单价=None) if False else None
    )
    del season
    _edit(
        path,
        LINES_SHEET,
        {},
        [
            [
                "寿昌宾馆",
                "2021 年协议价",
                "客房",
                "单人间",
                D(2021, 12, 20),
                D(2022, 1, 5),
                "每间每晚",
                300,
                "",
            ],
        ],
    )
    code, out, _err = run(capsys, "--db", db.url, "rates", "import", str(path), "--json")
    [error] = json.loads(out)["errors"]
    assert code == 1 and error["sheet"] == LINES_SHEET and error["column"].rstrip("*") == "季节止"
    assert "超出了价目表的有效期" in error["message"]
    run(capsys, "--db", db.url, "rates", "export", "-o", str(path))
    _edit(
        path,
        LINES_SHEET,
        {},
        [["寿昌宾馆", "2021 年协议价", "客房", "标间", None, None, "每间每晚", 300, ""]],
    )
    code, out, _err = run(capsys, "--db", db.url, "rates", "import", str(path), "--json")
    [error] = json.loads(out)["errors"]
    last = openpyxl.load_workbook(path)[LINES_SHEET].max_row
    assert code == 1 and (error["row"], error["column"].rstrip("*")) == (last, "季节起")
    assert "两个价格同时适用" in error["message"]


def test_a_file_without_the_tables_is_refused_as_a_whole(cards: Database, capsys, tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号"])
    book.save(path)
    code, out, err = run(capsys, "--db", cards.url, "rates", "import", str(path), "--json")
    assert code == 1 and json.loads(out)["written"] is False
    assert "找不到价目表" in err and "基地名称" in err
    code, _out, err = run(
        capsys, "--db", str(tmp_path / "nowhere.db"), "rates", "import", str(path), "--dry-run"
    )
    assert code == 1 and "不存在" in err and not (tmp_path / "nowhere.db").exists()


def test_a_card_changed_since_the_preview_is_refused_as_stale(
    cards: Database, capsys, tmp_path: Path
) -> None:
    db = cards
    path = tmp_path / "rates.xlsx"
    run(capsys, "--db", db.url, "rates", "export", "-o", str(path))
    _edit(path, CARDS_SHEET, {(2, "备注"): "新备注"})
    plan = plan_rates(db, path)
    card = next(c for c in rates.list_cards(db) if c.name == plan.cards[0].name)
    rates.update_card(
        db, card.id, card.version, CardInput(**{**card.as_input().__dict__, "notes": "另一位同事改的"})
    )
    before = state(db)
    with pytest.raises(StaleEditError):
        apply_rates(db, plan)
    assert state(db) == before


def test_in_english(cards: Database, capsys, tmp_path: Path) -> None:
    path = tmp_path / "rates.xlsx"
    run(capsys, "--db", cards.url, "rates", "export", "-o", str(path))
    _edit(path, LINES_SHEET, {(2, "单价（元）"): "abc"})
    code, out, err = run(capsys, "--lang", "en", "--db", cards.url, "rates", "import", str(path))
    assert code == 1 and "is not an amount" in out and "nothing was written" in err


def test_the_demo_has_a_card_for_every_base_and_its_costs_are_complete(
    demo_db: Database, capsys, tmp_path: Path
) -> None:
    from sqlalchemy import text

    from recuperation.models import Base

    db = demo_db
    cards = rates.list_cards(db)
    with db.session() as session:
        from sqlmodel import select

        bases = session.exec(select(Base)).all()
    for year in (2021, 2022):  # the last batches of 2021 sleep into 2022
        assert {c.base_id for c in cards if c.valid_from.year == year} == {b.id for b in bases}
    kinds = {b.id: b.kind for b in bases}
    assert {c.tax_bp for c in cards if kinds[c.base_id] != "homestay"} == {600}
    assert {c.tax_bp for c in cards if kinds[c.base_id] == "homestay"} <= {100, 300}
    assert any(li.season for c in cards for li in c.lines)
    twins = [
        li.price_fen
        for c in cards
        if c.valid_from.year == 2021
        for li in c.lines
        if li.item == "twin" and not li.season
    ]
    assert min(twins) >= 26000 and max(twins) <= 48000
    with db.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM batch WHERE arrival < '2021-12-01'"))]
    sheets = rates.batch_costs(db, ids)
    assert sheets and all(s.planned.complete for s in sheets.values())
    actual = [s for s in sheets.values() if s.actual is not None]
    assert actual and all(s.actual.total_fen <= s.planned.total_fen for s in actual if s.actual)
    assert sum(s.actual.total_fen for s in actual if s.actual) < sum(s.planned.total_fen for s in actual)
    # and the demo's cards go out to a workbook and come back with no change
    path = tmp_path / "demo.xlsx"
    assert run(capsys, "--db", str(db.url), "rates", "export", "-o", str(path))[0] == 0
    before = state(db)
    code, _out, err = run(capsys, "--db", str(db.url), "rates", "import", str(path))
    assert code == 0 and f"未变 {len(cards)} 份" in err
    assert state(db) == before


# -- what a file leaves out, what it cannot say (issue 22's review) ----------------------------------------------


def _drop_columns(path: Path, sheet: str, *names: str) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    for name in names:
        header = [str(c.value).rstrip("*") for c in ws[1]]
        ws.delete_cols(header.index(name) + 1)
    book.save(path)


def _lines_of(db: Database, card: str) -> list[tuple[object, ...]]:
    found = next(c for c in rates.list_cards(db) if c.name == card)
    return sorted(
        ((li.item, li.first_day, li.price_fen, li.notes) for li in found.lines),
        key=lambda t: (t[0], str(t[1])),
    )


def test_a_column_the_file_lacks_keeps_each_prices_value(cards: Database, capsys, tmp_path: Path) -> None:
    """Without 备注 on 价格明细 the notes were all emptied (the audit showed old = new): a column a file does
    not carry is not an empty column.  Without the seasons too, each row finds its stored price by item,
    unit and price."""
    db = cards
    twin_before = _lines_of(db, "2021 年协议价")
    assert ("江景套房", None, 88000, "限 4 间") in twin_before
    path = tmp_path / "rates.xlsx"
    run(capsys, "--db", db.url, "rates", "export", "-o", str(path))
    _drop_columns(path, LINES_SHEET, "备注")
    _drop_columns(path, CARDS_SHEET, "开票单位", "统一社会信用代码", "开户银行", "银行账号", "税率", "备注")
    before = state(db)
    code, out, err = run(capsys, "--db", db.url, "rates", "import", str(path), "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 3, err
    assert state(db) == before  # not a row, not an audit entry
    _drop_columns(path, LINES_SHEET, "季节起", "季节止")
    code, out, err = run(capsys, "--db", db.url, "rates", "import", str(path), "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 3, err
    assert state(db) == before

    # a price changed in such a file keeps its notes and its season
    suite = _row_of(path, LINES_SHEET, 项目="江景套房")
    _edit(path, LINES_SHEET, {(suite, "单价（元）"): 900})
    code, _out, err = run(capsys, "--db", db.url, "rates", "import", str(path))
    assert code == 0, err
    assert ("江景套房", None, 90000, "限 4 间") in _lines_of(db, "2021 年协议价")
    assert [t for t in _lines_of(db, "2021 年协议价") if t[1] is not None] == [
        ("twin", D(2021, 7, 1), 38050, "")
    ]


def test_a_row_that_matches_several_stored_prices_names_the_missing_column(
    cards: Database, capsys, tmp_path: Path
) -> None:
    db = cards
    path = tmp_path / "rates.xlsx"
    run(capsys, "--db", db.url, "rates", "export", "-o", str(path))
    summer = _row_of(path, LINES_SHEET, 价目表名称="2021 年协议价", 项目="标准间", **{"单价（元）": 380.5})
    _drop_columns(path, LINES_SHEET, "季节起", "季节止")
    _edit(path, LINES_SHEET, {(summer, "单价（元）"): 400})  # the whole year's 320 or the summer's 380.50?
    before = state(db)
    code, out, _err = run(capsys, "--db", db.url, "rates", "import", str(path), "--json")
    [error] = json.loads(out)["errors"]
    assert code == 1 and (error["sheet"], error["row"], error["column"]) == (LINES_SHEET, summer, "季节起")
    assert "没有“季节起”、“季节止”列" in error["message"]
    assert "标准间" in error["message"] and "2 个价格" in error["message"]
    assert state(db) == before


@pytest.mark.parametrize("bp", [0, 100, 300, 600, 900, 1300, 1350])
def test_a_tax_rate_goes_out_and_comes_back_exactly(db: Database, capsys, tmp_path: Path, bp: int) -> None:
    base = certified_base(db, "寿昌宾馆")
    rates.create_card(db, CardInput(base.id, "2021 年协议价", D(2021, 1, 1), D(2021, 12, 31), tax_bp=bp))
    path = tmp_path / "rates.xlsx"
    run(capsys, "--db", db.url, "rates", "export", "-o", str(path))
    cell = openpyxl.load_workbook(path)[CARDS_SHEET].cell(2, 9)
    assert cell.value == pytest.approx(bp / 10_000) and cell.number_format == "0.00%"
    before = state(db)
    code, out, err = run(capsys, "--db", db.url, "rates", "import", str(path), "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 1, err
    assert state(db) == before and rates.list_cards(db)[0].tax_bp == bp


@pytest.mark.parametrize(
    ("sheet", "column", "value", "words"),
    [
        (CARDS_SHEET, "税率", "100%", "高于 30%"),
        (CARDS_SHEET, "税率", 0.5, "高于 30%"),  # a percentage cell's 50%
        (CARDS_SHEET, "税率", "31%", "高于 30%"),
        (CARDS_SHEET, "有效期起", D(1999, 12, 31), "早于 2000 年"),
        (CARDS_SHEET, "有效期起", "1899-12-31", "早于 2000 年"),
        (LINES_SHEET, "单价（元）", 1e30, "太大"),  # was decimal.InvalidOperation: “意外错误”
        (LINES_SHEET, "单价（元）", 1e300, "太大"),
        (LINES_SHEET, "单价（元）", "9" * 40, "太大"),
        (LINES_SHEET, "季节起", D(1999, 7, 1), "超出了价目表的有效期"),
    ],
)
def test_what_cannot_be_stored_is_refused_at_its_cell(
    cards: Database, capsys, tmp_path: Path, sheet: str, column: str, value: object, words: str
) -> None:
    db = cards
    path = tmp_path / "rates.xlsx"
    run(capsys, "--db", db.url, "rates", "export", "-o", str(path))
    if sheet == CARDS_SHEET:
        row = _row_of(path, sheet, 价目表名称="2022 年协议价")
    else:
        row = _row_of(path, sheet, 价目表名称="2022 年协议价", 项目="标准间")
    changes: dict[tuple[int, str], object] = {(row, column): value}
    if column == "季节起":
        changes[(row, "季节止")] = D(1999, 8, 31)
    _edit(path, sheet, changes)
    before = state(db)
    code, out, err = run(capsys, "--db", db.url, "rates", "import", str(path), "--dry-run", "--json")
    assert code == 1, err
    found = [e for e in json.loads(out)["errors"] if (e["sheet"], e["row"]) == (sheet, row)]
    assert found and found[0]["column"].rstrip("*") == column and words in found[0]["message"], found
    assert state(db) == before


def test_a_value_stored_before_the_limits_is_exported_so_that_it_is_refused(
    cards: Database, capsys, tmp_path: Path
) -> None:
    """A card stored with 100% (the column allows it) was exported as 1.0 and read back as 1%; one dated 1899
    was a cell that read back as a time.  They are written as text now, and the import names them."""
    from sqlalchemy import text

    db = cards
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE rate_card SET tax_bp = 10000 WHERE name = '2022 年协议价'"))
        conn.execute(text("UPDATE rate_card SET valid_from = '1899-03-01' WHERE name = '2021 民宿价'"))
    path = tmp_path / "rates.xlsx"
    code, _out, err = run(capsys, "--db", db.url, "rates", "export", "-o", str(path))
    assert code == 0, err
    sheet = openpyxl.load_workbook(path)[CARDS_SHEET]
    hundred = _row_of(path, CARDS_SHEET, 价目表名称="2022 年协议价")
    early = _row_of(path, CARDS_SHEET, 价目表名称="2021 民宿价")
    assert sheet.cell(hundred, 9).value == "100%" and sheet.cell(early, 3).value == "1899-03-01"
    before = state(db)
    code, out, _err = run(capsys, "--db", db.url, "rates", "import", str(path), "--json")
    errors = {(e["row"], e["column"].rstrip("*")): e["message"] for e in json.loads(out)["errors"]}
    assert code == 1 and "高于 30%" in errors[(hundred, "税率")]
    assert "早于 2000 年" in errors[(early, "有效期起")]
    assert state(db) == before
