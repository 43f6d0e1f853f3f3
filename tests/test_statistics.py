"""Statistics on a small hand-built year where the right answers are known, and on the demo year."""

from __future__ import annotations

import datetime as dt

from recuperation.db import Database
from recuperation.services import batches, partners, rosters
from recuperation.services.statistics import Period, period_stats, years_with_records
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
                    " GROUP BY 1"
                )
            ).all()
        )
    shown = {g.name: g.batches for g in stats.by_category if g.name != "未填名单"}
    assert shown == expected and all(n > 0 for n in shown.values())
