"""What needs attention: each rule found with its record, date and figures; `recuperation alerts` says the same."""

from __future__ import annotations

import datetime as dt
import json

from recuperation import messages
from recuperation.cli import main as cli_main
from recuperation.db import Database
from recuperation.services import batches, partners, rosters
from recuperation.services.alerts import collect_alerts
from tests.factories import certified_base, partner

TODAY = dt.date(2026, 3, 10)


def _known_problems(db: Database) -> dict[str, int]:
    p = partner(db, "宁波大学")
    base = certified_base(
        db, "寿昌宾馆", beds=10, since=TODAY - dt.timedelta(days=400), until=TODAY + dt.timedelta(days=30)
    )
    agreement = partners.create_agreement(
        db,
        partners.AgreementInput(
            p.id,
            "A-1",
            TODAY - dt.timedelta(days=100),
            TODAY - dt.timedelta(days=100),
            TODAY + dt.timedelta(days=20),
            quota_batches=1,
        ),
    )
    soon = TODAY + dt.timedelta(days=3)
    ids = []
    for people in (8, 8):  # two planned batches on one night: 16 people for 10 beds
        row = batches.create_batch(
            db,
            batches.BatchInput(
                p.id,
                soon,
                soon + dt.timedelta(days=1),
                people,
                agreement_id=agreement.id,
                lodging=(batches.LodgingInput(base.id, soon, people),),
            ),
        )
        ids.append(row.id)
    later = TODAY + dt.timedelta(days=30)
    with_roster = batches.create_batch(db, batches.BatchInput(p.id, later, later, 2))
    rosters.add_participant(db, with_roster.id, rosters.ParticipantInput("王芳", "330182198001010028"))
    with db.engine.begin() as conn:  # an ID typed wrong before checks existed (the check refuses it today)
        conn.exec_driver_sql("UPDATE participant SET id_number = '330182198001010029' WHERE name = '王芳'")
    return {"partner": p.id, "base": base.id, "first": ids[0], "second": ids[1], "roster": with_roster.id}


def test_every_rule_names_its_record_date_and_figures(db: Database) -> None:
    ids = _known_problems(db)
    alerts = collect_alerts(db, TODAY)
    by_rule: dict[str, list] = {}
    for alert in alerts:
        by_rule.setdefault(alert.rule, []).append(alert)
    assert set(by_rule) == {
        "agreement_expiring",
        "quota_over",
        "cert_lapsing",
        "overbooked",
        "no_roster",
        "bad_id",
    }

    (expiring,) = by_rule["agreement_expiring"]
    assert (expiring.table, expiring.key, expiring.day) == (
        "partner",
        ids["partner"],
        TODAY + dt.timedelta(20),
    )
    assert "2026年3月30日" in expiring.message and "还有 20 天" in expiring.message

    (quota,) = by_rule["quota_over"]
    assert quota.severe and quota.numbers["used_batches"] == 2 and quota.numbers["quota_batches"] == 1
    assert "批次 2/1" in quota.message

    (lapsing,) = by_rule["cert_lapsing"]
    assert (lapsing.table, lapsing.key, lapsing.day) == ("base", ids["base"], TODAY + dt.timedelta(30))

    (night,) = by_rule["overbooked"]  # the night's date is carried, not only written in the sentence
    assert (night.table, night.key, night.day) == ("base", ids["base"], TODAY + dt.timedelta(3))
    assert night.numbers == {"used": 16, "beds": 10, "over": 6}

    assert sorted(a.key for a in by_rule["no_roster"]) == [ids["first"], ids["second"]]
    assert all(a.day == TODAY + dt.timedelta(3) for a in by_rule["no_roster"])

    (bad,) = by_rule["bad_id"]
    assert (bad.table, bad.key, bad.subject) == ("batch", ids["roster"], bad.subject)
    assert "王芳" in bad.message and "330182198001010029" not in bad.message

    severe = [a.severe for a in alerts]
    assert severe == sorted(severe, reverse=True)  # severe ones first


def test_a_clean_day_has_no_alerts(db: Database) -> None:
    partner(db, "宁波大学")
    assert collect_alerts(db, TODAY) == []


def test_alerts_command_gives_the_same_records(db: Database, capsys) -> None:
    _known_problems(db)
    expected = [a.to_json() for a in collect_alerts(db, TODAY)]
    code = cli_main(["--db", db.url, "alerts", "--date", TODAY.isoformat(), "--json"])
    assert code == 1  # severe ones among them: a scheduled check notices
    assert json.loads(capsys.readouterr().out) == expected


def test_alerts_in_english_carry_no_chinese_outside_data(db: Database, capsys) -> None:
    _known_problems(db)
    try:
        messages.set_language("en")
        alerts = collect_alerts(db, TODAY)
    finally:
        messages.set_language("zh")
    data_values = {"宁波大学", "寿昌宾馆", "王芳"}
    for alert in alerts:
        text = alert.message
        for value in data_values:
            text = text.replace(value, "")
        assert not any("\u4e00" <= ch <= "\u9fff" or ch in "（）：，、" for ch in text), alert.message
