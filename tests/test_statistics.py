"""Statistics on a small hand-built year where the right answers are known, and on the demo year."""

from __future__ import annotations

import datetime as dt

from recuperation.services import partners
from recuperation.services.batch import batches, rosters
from recuperation.services.statistics import Period, period_stats, years_with_records
from recuperation.storage.database import Database
from tests.factories import certified_base, partner, person_id

D = dt.date


def _batch(db: Database, partner_id: int, arrival: D, days: int, headcount: int, kind: str = "recuperation"):
    return batches.create_batch(
        db,
        batches.BatchInput(partner_id, arrival, arrival + dt.timedelta(days=days - 1), headcount, kind=kind),
    )


def test_hand_built_year(db: Database) -> None:
    ningbo = partner(db, "宁波大学")
    port = partner(db, "浙江海港集团")
    _batch(db, ningbo.id, D(2021, 3, 31), 3, 40)  # headcount only: 40 people, 120 person-days
    with_roster = _batch(db, port.id, D(2021, 3, 2), 2, 30)  # roster of 2 counts, not the headcount
    for n in range(2):
        rosters.add_participant(db, with_roster.id, rosters.ParticipantInput(f"职工{n}", person_id(n + 1)))
    cancelled = _batch(db, port.id, D(2021, 5, 1), 2, 50)
    batches.set_status(db, cancelled.id, cancelled.version, "cancelled", "取消")
    _batch(db, ningbo.id, D(2021, 12, 1), 2, 10)  # after --until
    _batch(db, ningbo.id, D(2020, 12, 31), 2, 99)  # previous year, departs in 2021: counted by arrival
    _batch(db, port.id, D(2021, 6, 1), 3, 45, kind="training")
    _batch(db, port.id, D(2021, 7, 1), 2, 120, kind="conference")
    partners.create_agreement(
        db, partners.AgreementInput(ningbo.id, "A1", D(2021, 5, 12), D(2021, 5, 12), D(2024, 5, 11))
    )
    partners.create_agreement(
        db, partners.AgreementInput(port.id, "A2", D(2020, 4, 1), D(2020, 4, 1), D(2023, 3, 31))
    )
    certified_base(db, "寿昌宾馆", since=D(2020, 1, 1), until=D(2022, 12, 31))
    certified_base(db, "航空小镇酒店", since=D(2021, 12, 1), until=D(2024, 11, 30))
    certified_base(db, "新安江疗休养中心", since=D(2019, 1, 1), until=D(2023, 1, 1), level="provincial")

    stats = period_stats(db, Period.year(2021, D(2021, 11, 30)))
    assert (stats.batches, stats.people, stats.person_days) == (2, 42, 40 * 3 + 2 * 2)
    assert (stats.training_classes, stats.training_people, stats.conferences) == (1, 45, 1)
    assert stats.agreements_signed == 1
    assert stats.bases_certified == {"provincial": 1, "hangzhou": 1, "county": 0}  # 航空小镇 only from 12-01
    months = {m.month: (m.batches, m.people) for m in stats.by_month}
    assert len(stats.by_month) == 12 and months[3] == (2, 42) and months[5] == (0, 0) and months[12] == (0, 0)
    assert [(p.partner, p.batches, p.people) for p in stats.by_partner] == [
        ("宁波大学", 1, 40),
        ("浙江海港集团", 1, 2),
    ]
    whole = period_stats(db, Period.year(2021))
    assert (whole.batches, whole.people) == (3, 52)
    assert whole.bases_certified["hangzhou"] == 2
    assert years_with_records(db) == [2020, 2021]


def test_demo_year_figures(demo_db: Database) -> None:
    stats = period_stats(demo_db, Period.year(2021, D(2021, 11, 30)))
    assert (stats.batches, stats.people) == (1065, 38665)
    assert (stats.training_classes, stats.conferences, stats.agreements_signed) == (65, 3, 8)
    assert stats.bases_certified == {"provincial": 1, "hangzhou": 26, "county": 0}
    assert sum(m.batches for m in stats.by_month) == stats.batches
    assert sum(m.people for m in stats.by_month) == stats.people
    assert sum(p.batches for p in stats.by_partner) == stats.batches
    assert sum(p.people for p in stats.by_partner) == stats.people
    assert stats.by_month[11].batches == 0  # December is after --until


def test_groups_and_utilisation_on_known_data(db: Database) -> None:
    from recuperation.services import routes

    p = partner(db, "宁波大学")
    base = certified_base(db, "寿昌宾馆", beds=100)
    other = certified_base(db, "江滨宾馆", beds=50)
    study = routes.create_route(db, routes.RouteInput("XL01", "浙大西迁疗休养线路", "study", 3, 2))
    lodging = (
        batches.LodgingInput(base.id, D(2021, 5, 1), 40),
        batches.LodgingInput(other.id, D(2021, 5, 2), 40),
    )
    batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 5, 1), D(2021, 5, 3), 40, route_id=study.id, lodging=lodging)
    )
    batches.create_batch(
        db,
        batches.BatchInput(
            p.id,
            D(2021, 5, 10),
            D(2021, 5, 11),
            20,
            lodging=(batches.LodgingInput(base.id, D(2021, 5, 10), 20),),
        ),
    )
    batches.create_batch(
        db,
        batches.BatchInput(
            p.id,
            D(2021, 5, 20),
            D(2021, 5, 21),
            30,
            kind="training",
            lodging=(batches.LodgingInput(base.id, D(2021, 5, 20), 30),),
        ),
    )
    stats = period_stats(db, Period(D(2021, 5, 1), D(2021, 5, 31)))
    assert [(g.name, g.batches, g.people, g.person_days) for g in stats.by_route] == [
        ("浙大西迁疗休养线路", 1, 40, 120),
        ("（无线路）", 1, 20, 40),
    ]
    assert [(g.name, g.batches, g.people) for g in stats.by_theme] == [("研学", 1, 40), ("（无线路）", 1, 20)]
    assert [(g.name, g.batches, g.people, g.person_days) for g in stats.by_base] == [
        ("寿昌宾馆", 2, 60, 60),
        ("江滨宾馆", 1, 40, 40),
    ]
    use = {u.base: (u.bed_nights_used, u.bed_nights_available) for u in stats.utilisation}
    assert use == {"寿昌宾馆": (40 + 20 + 30, 100 * 31), "江滨宾馆": (40, 50 * 31)}
    assert [(g.name, g.batches) for g in stats.by_kind] == [("疗休养", 2), ("培训班", 1)]
    data = stats.to_json()
    assert set(data["by_base"][0]) == {"name", "batches", "people", "person_days"}
    assert set(data["utilisation"][0]) == {"base", "beds", "bed_nights_used", "bed_nights_available"}


def test_cost_at_agreed_prices(db: Database) -> None:
    p = partner(db, "宁波大学")
    priced = partners.create_agreement(
        db,
        partners.AgreementInput(p.id, "A-1", D(2021, 1, 1), D(2021, 1, 1), D(2023, 12, 31), price_fen=40000),
    )
    batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 5, 1), D(2021, 5, 3), 10, agreement_id=priced.id)
    )
    batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 6, 1), D(2021, 6, 2), 5)
    )  # no agreement: no price
    stats = period_stats(db, Period.year(2021))
    assert (stats.priced_people, stats.priced_person_days, stats.cost_fen) == (10, 30, 30 * 40000)
    assert stats.cost_per_person_fen == 120000 and stats.to_json()["cost_per_person_fen"] == 120000


def test_a_quarter_counts_only_its_own_batches_against_the_yearly_quota(db: Database, tmp_path) -> None:
    """With a quarter chosen, 协议完成情况 showed the whole year's batches (53/70) under the quarter's title."""
    import openpyxl

    from recuperation.workbooks import export_statistics

    ningbo = partner(db, "宁波大学")
    port = partner(db, "浙江海港集团")
    agreement = partners.create_agreement(
        db,
        partners.AgreementInput(
            ningbo.id,
            "A-1",
            D(2021, 1, 1),
            D(2021, 1, 1),
            D(2023, 12, 31),
            quota_batches=10,
            quota_people=300,
        ),
    )
    partners.create_agreement(  # ended before the second quarter: not in force then
        db,
        partners.AgreementInput(
            port.id, "B-1", D(2020, 1, 1), D(2020, 1, 1), D(2021, 3, 31), quota_batches=4
        ),
    )
    for arrival, headcount in (
        (D(2021, 2, 1), 20),
        (D(2021, 4, 1), 30),
        (D(2021, 6, 30), 25),
        (D(2021, 7, 1), 40),
    ):
        stay = (arrival, arrival + dt.timedelta(days=1))
        batches.create_batch(db, batches.BatchInput(ningbo.id, *stay, headcount, agreement_id=agreement.id))
    cancelled = batches.create_batch(
        db, batches.BatchInput(ningbo.id, D(2021, 5, 1), D(2021, 5, 2), 50, agreement_id=agreement.id)
    )
    batches.set_status(db, cancelled.id, cancelled.version, "cancelled", "取消")

    quarter = period_stats(db, Period(D(2021, 4, 1), D(2021, 6, 30)))
    assert [
        (a.number, a.used_batches, a.quota_batches, a.used_people, a.quota_people) for a in quarter.agreements
    ] == [("A-1", 2, 10, 55, 300)]
    year = period_stats(db, Period.year(2021))
    assert {a.number: (a.used_batches, a.used_people) for a in year.agreements} == {
        "A-1": (4, 115),
        "B-1": (0, 0),
    }
    # the whole year's figures are those of the agreements list
    assert {a.number: (a.used_batches, a.used_people) for a in partners.list_agreements(db, year=2021)} == {
        "A-1": (4, 115),
        "B-1": (0, 0),
    }
    assert quarter.to_json()["agreements"] == [
        {
            "id": agreement.id,
            "number": "A-1",
            "partner": "宁波大学",
            "valid_from": "2021-01-01",
            "valid_to": "2023-12-31",
            "quota_batches": 10,
            "quota_people": 300,
            "used_batches": 2,
            "used_people": 55,
        }
    ]
    path = export_statistics(db, D(2021, 4, 1), D(2021, 6, 30), tmp_path / "q2.xlsx").path
    sheet = openpyxl.load_workbook(path)["协议完成情况"]
    assert sheet["A1"].value == "协议完成情况（2021-04-01 至 2021-06-30）"
    assert [c.value for c in sheet[2]] == [
        "协议编号",
        "合作单位",
        "年度批次配额",
        "本期批次",
        "年度人数配额",
        "本期人数",
    ]
    assert [c.value for c in sheet[3]] == ["A-1", "宁波大学", 10, 2, 300, 55]
    assert sheet.max_row == 3


def test_each_worker_category_counts_the_batches_it_appears_in(demo_db) -> None:
    import datetime as dt

    from sqlalchemy import text

    from recuperation.services.statistics import Period, period_stats

    stats = period_stats(demo_db, Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31)))
    with demo_db.engine.connect() as conn:
        expected = dict(
            conn.execute(
                text(
                    "SELECT coalesce(nullif(p.category, ''), '未填类别'), count(DISTINCT p.batch_id)"
                    " FROM participant p JOIN batch b ON b.id = p.batch_id WHERE b.kind = 'recuperation'"
                    " AND b.status <> 'cancelled' AND b.arrival BETWEEN '2021-01-01' AND '2021-12-31'"
                    " AND NOT p.companion"  # companions never count in the union's figures
                    " GROUP BY 1"
                )
            ).all()
        )
    shown = {g.name: g.batches for g in stats.by_category if g.name != "未填名单"}
    assert shown == expected and all(n > 0 for n in shown.values())


def _numbers_as_text(path) -> list[str]:
    """Cells holding a number or a percentage written as text (Excel's green triangle; no sum, no sort)."""
    import re

    import openpyxl

    looks_numeric = re.compile(r"^-?[\d,]+(\.\d+)?%?$")
    return [
        f"{sheet.title}!{cell.coordinate}={cell.value!r}"
        for sheet in openpyxl.load_workbook(path)
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and looks_numeric.match(cell.value.strip())
    ]


def test_statistics_workbook_keeps_numbers_and_shares_as_numbers(db: Database, tmp_path) -> None:
    import openpyxl

    from recuperation.workbooks import export_statistics

    p = partner(db, "宁波大学")
    base = certified_base(db, "寿昌宾馆", beds=100)
    batches.create_batch(
        db,
        batches.BatchInput(
            p.id,
            D(2021, 5, 1),
            D(2021, 5, 3),
            40,
            lodging=(batches.LodgingInput(base.id, D(2021, 5, 1), 40),),
        ),
    )
    path = export_statistics(db, D(2021, 5, 1), D(2021, 5, 31), tmp_path / "s.xlsx").path
    sheet = openpyxl.load_workbook(path)["基地利用率"]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "寿昌宾馆")
    assert (row[2].value, row[3].value) == (40, 3100)  # 40 beds one night; 100 beds × 31 nights
    rate = row[4]
    assert isinstance(rate.value, float) and abs(rate.value - 40 / 3100) < 1e-9  # a number, not "1.3%"
    assert rate.number_format == "0.0%"  # shown as 1.3 % in Excel
    assert _numbers_as_text(path) == []


def test_no_workbook_writes_a_number_as_text(demo_db: Database, tmp_path) -> None:
    import openpyxl

    from recuperation.workbooks import (
        export_batches_year,
        export_partner_year,
        export_roster,
        export_statistics,
    )

    export_statistics(demo_db, D(2021, 1, 1), D(2021, 12, 31), tmp_path / "stats.xlsx")
    export_batches_year(demo_db, 2021, tmp_path / "batches.xlsx")
    export_partner_year(demo_db, "宁波大学", 2021, tmp_path / "partner.xlsx")
    export_roster(demo_db, "L2021-0140", tmp_path / "roster.xlsx")
    for name in ("stats", "batches", "partner"):
        assert _numbers_as_text(tmp_path / f"{name}.xlsx") == [], name
    # a roster keeps ID numbers and phones as text (every digit kept); its 序号 is a number
    for path in (tmp_path / "roster.xlsx", tmp_path / "partner.xlsx"):
        for sheet in openpyxl.load_workbook(path):
            if sheet.title != "汇总":
                assert [c.value for c in sheet["A"][2:5]] == [1, 2, 3], (path.name, sheet.title)


def test_the_statistics_workbook_adds_up_only_what_adds_up_and_shows_the_fen(
    demo_db: Database, tmp_path
) -> None:
    """按职工类别: a batch has people of several categories, so its 合计 row leaves the batches empty (the
    categories' batches add up to far more than the batches); 人均费用（元） keeps its fen (1,126.75)."""
    import openpyxl

    from recuperation.services.statistics import Period, period_stats
    from recuperation.workbooks import export_statistics

    stats = period_stats(demo_db, Period(D(2021, 1, 1), D(2021, 12, 31)))
    path = export_statistics(demo_db, D(2021, 1, 1), D(2021, 12, 31), tmp_path / "stats.xlsx").path
    book = openpyxl.load_workbook(path)
    rows = list(book["按职工类别"].iter_rows(min_row=3))
    total = next(r for r in rows if r[0].value == "合计")
    assert total[1].value is None  # not 3,494 batches against 814
    assert total[2].value == sum(r[2].value for r in rows if r[0].value != "合计")
    cost = next(r for r in book["概况"].iter_rows(min_row=3) if r[0].value == "人均费用（元）")[1]
    assert cost.value == stats.cost_per_person_fen / 100 and cost.number_format == "#,##0.00"
    batches_cell = next(r for r in book["概况"].iter_rows(min_row=3) if r[0].value == "疗休养批次")[1]
    assert batches_cell.number_format == "#,##0"


def test_spans_are_values_that_give_their_dates() -> None:
    import datetime as dt

    from recuperation.services.statistics import SPANS, Period, Span

    assert Span("quarter", 2).period(2021) == Period(dt.date(2021, 4, 1), dt.date(2021, 6, 30))
    assert Span("month", 2).period(2024) == Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert Span("year").period(2021, until=dt.date(2021, 11, 30)).end == dt.date(2021, 11, 30)
    assert Span("quarter", 1).period(2021, until=dt.date(2021, 11, 30)).end == dt.date(2021, 3, 31)
    custom = Span("custom").period(2021, until=dt.date(2021, 3, 1), since=dt.date(2021, 5, 1))
    assert custom == Period(dt.date(2021, 3, 1), dt.date(2021, 5, 1))  # typed the wrong way round
    assert len(SPANS) == 18 and len(set(SPANS)) == 18
