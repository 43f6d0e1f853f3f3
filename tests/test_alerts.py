"""What needs attention: each rule found with its record, date and figures; `recuperation alerts` says the same."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from recuperation import messages
from recuperation.cli import main as cli_main
from recuperation.services import bases, orders, partners, policy
from recuperation.services.alerts import collect_alerts
from recuperation.services.batch import batches, edit, rosters
from recuperation.storage.database import Database
from tests.factories import certified_base, confirm_orders, partner

TODAY = dt.date(2026, 3, 10)
D = dt.date


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
    # after 寿昌宾馆's certificate ends (TODAY + 30) and at a base never certified, under an agreement that
    # ended ten days ago: what has already lapsed, not only what lapses soon
    never = bases.create_base(db, bases.BaseInput(name="江滨宾馆", beds=50, rooms=25))
    ended = partners.create_agreement(
        db,
        partners.AgreementInput(
            p.id, "B-2", TODAY - dt.timedelta(400), TODAY - dt.timedelta(400), TODAY - dt.timedelta(10)
        ),
    )
    stay = TODAY + dt.timedelta(days=35)
    late = batches.create_batch(
        db,
        batches.BatchInput(
            p.id,
            stay,
            stay + dt.timedelta(days=3),
            6,
            agreement_id=ended.id,
            lodging=(
                batches.LodgingInput(base.id, stay, 6),
                batches.LodgingInput(base.id, stay + dt.timedelta(days=1), 4),
                batches.LodgingInput(never.id, stay + dt.timedelta(days=1), 2),
                batches.LodgingInput(never.id, stay + dt.timedelta(days=2), 6),
            ),
        ),
    )
    return {
        "partner": p.id,
        "base": base.id,
        "never": never.id,
        "first": ids[0],
        "second": ids[1],
        "roster": with_roster.id,
        "late": late.id,
        "ended": ended.id,
    }


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
        "uncertified_lodging",
        "agreement_ended",
        "order_unconfirmed",  # the two batches arriving in three days: their base has no order yet
        "insurance",  # … nor a policy
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

    stay = TODAY + dt.timedelta(35)
    uncertified = sorted(by_rule["uncertified_lodging"], key=lambda a: a.numbers["base"])
    assert [(a.table, a.key, a.day, a.numbers, a.severe) for a in uncertified] == [
        ("batch", ids["late"], stay, {"base": ids["base"], "nights": 2}, True),
        ("batch", ids["late"], stay + dt.timedelta(1), {"base": ids["never"], "nights": 2}, True),
    ]
    assert "寿昌宾馆" in uncertified[0].message and "2026年4月14日" in uncertified[0].message
    assert "江滨宾馆" in uncertified[1].message and "2026年4月15日" in uncertified[1].message
    assert all(a.category == "certification" and a.subject.startswith("L") for a in uncertified)

    (ended,) = by_rule["agreement_ended"]
    assert (ended.table, ended.key, ended.day, ended.severe) == ("batch", ids["late"], stay, False)
    assert ended.numbers == {"agreement": ids["ended"], "days_uncovered": 48}
    assert "B-2 已于 2026年2月28日 终止" in ended.message

    uninsured = by_rule["insurance"]
    assert all(a.table == "batch" and a.severe and "保" in a.message for a in uninsured)
    assert {a.key for a in uninsured} >= {ids["first"], ids["second"]}  # arriving in three days, no policy

    severe = [a.severe for a in alerts]
    assert severe == sorted(severe, reverse=True)  # severe ones first


def test_a_clean_day_has_no_alerts(db: Database) -> None:
    partner(db, "宁波大学")
    assert collect_alerts(db, TODAY) == []


def test_alerts_command_gives_the_same_records(db: Database, capsys) -> None:
    _known_problems(db)
    expected = [a.to_json() for a in collect_alerts(db, TODAY)]
    code = cli_main(["--db", db.url, "alerts", "--date", TODAY.isoformat(), "--json"])
    assert code == 3  # severe ones among them: a scheduled check notices, and tells it from an error (1)
    assert json.loads(capsys.readouterr().out) == expected


def test_alerts_exit_statuses_tell_severe_alerts_from_errors_and_bad_usage(
    db: Database, tmp_path, capsys
) -> None:
    partner(db, "宁波大学")
    assert cli_main(["--db", db.url, "alerts", "--date", TODAY.isoformat()]) == 0  # nothing severe
    missing = tmp_path / "no-such-folder" / "x.db"
    assert cli_main(["--db", str(missing), "alerts"]) == 1  # an error: the database cannot be opened
    assert cli_main(["--db", db.url, "alerts", "--date", "2021-13-01"]) == 2  # bad usage
    capsys.readouterr()
    with pytest.raises(SystemExit):
        cli_main(["alerts", "--help"])
    assert "3 有严重事项" in capsys.readouterr().out  # the help says what each status means


@pytest.mark.parametrize("day", ["9999-12-25", "9999-12-31", "0001-01-01"])
def test_alerts_as_of_the_ends_of_the_calendar(db: Database, capsys, day: str) -> None:
    """A week after 9999-12-25 is past the calendar's last day: the check looks up to 9999-12-31."""
    _known_problems(db)
    code = cli_main(["--db", db.url, "alerts", "--date", day, "--json"])
    out, err = capsys.readouterr()
    assert code in (0, 3) and "recuperation:" not in err
    assert isinstance(json.loads(out), list)


def test_alerts_in_english_carry_no_chinese_outside_data(db: Database, capsys) -> None:
    _known_problems(db)
    try:
        messages.set_language("en")
        alerts = collect_alerts(db, TODAY)
    finally:
        messages.set_language("zh")
    data_values = {"宁波大学", "寿昌宾馆", "江滨宾馆", "王芳"}
    for alert in alerts:
        text = alert.message
        for value in data_values:
            text = text.replace(value, "")
        assert not any("\u4e00" <= ch <= "\u9fff" or ch in "（）：，、" for ch in text), alert.message


def test_a_batch_is_warned_of_an_agreement_ending_before_it_leaves(db: Database) -> None:
    p = partner(db, "宁波大学")
    agreement = partners.create_agreement(
        db, partners.AgreementInput(p.id, "A-1", D(2025, 1, 1), D(2025, 1, 1), TODAY + dt.timedelta(100))
    )
    arrival = TODAY + dt.timedelta(99)
    inside = batches.BatchInput(
        p.id, arrival - dt.timedelta(9), arrival - dt.timedelta(8), 5, agreement_id=agreement.id
    )
    batches.create_batch(db, inside)  # within the term: nothing to say
    row = batches.create_batch(
        db, batches.BatchInput(p.id, arrival, arrival + dt.timedelta(3), 5, agreement_id=agreement.id)
    )
    gone = batches.create_batch(
        db, batches.BatchInput(p.id, arrival, arrival + dt.timedelta(3), 5, agreement_id=agreement.id)
    )
    batches.set_status(db, gone.id, gone.version, "cancelled", "取消")  # cancelled: nothing to say
    ended = partners.create_agreement(
        db, partners.AgreementInput(p.id, "B-1", D(2025, 1, 1), D(2025, 1, 1), TODAY - dt.timedelta(1))
    )
    batches.create_batch(  # arrived yesterday: the overview looks at arrivals from today on
        db,
        batches.BatchInput(p.id, TODAY - dt.timedelta(1), TODAY + dt.timedelta(1), 5, agreement_id=ended.id),
    )
    alerts = [a for a in collect_alerts(db, TODAY) if a.rule == "agreement_ended"]
    assert [(a.key, a.day, a.numbers["days_uncovered"]) for a in alerts] == [(row.id, arrival, 2)]
    assert "A-1 将于 2026年6月18日 终止，早于批次离开" in alerts[0].message
    # a certificate that has lapsed, and no batch at the base: nothing about lodging
    certified_base(db, "寿昌宾馆", since=D(2020, 1, 1), until=D(2021, 1, 1))
    assert not [a for a in collect_alerts(db, TODAY) if a.rule == "uncertified_lodging"]


def test_an_uncertified_night_of_a_cancelled_or_past_batch_is_not_an_alert(db: Database) -> None:
    p = partner(db, "宁波大学")
    base = certified_base(db, "寿昌宾馆", since=D(2020, 1, 1), until=D(2021, 1, 1))
    for arrival in (TODAY - dt.timedelta(1), TODAY, TODAY + dt.timedelta(5)):
        row = batches.create_batch(
            db,
            batches.BatchInput(
                p.id,
                arrival,
                arrival + dt.timedelta(1),
                5,
                lodging=(batches.LodgingInput(base.id, arrival, 5),),
            ),
        )
    batches.set_status(db, row.id, row.version, "cancelled", "取消")
    alerts = [a for a in collect_alerts(db, TODAY) if a.rule == "uncertified_lodging"]
    assert [(a.day, a.numbers["nights"]) for a in alerts] == [(TODAY, 1)]  # the one arriving today


# -- service orders ----------------------------------------------------------------------------------------------


def _lodged(db: Database, p: int, base: int, arrival: dt.date, people: int = 6) -> batches.BatchRow:
    return batches.create_batch(
        db,
        batches.BatchInput(
            p,
            arrival,
            arrival + dt.timedelta(days=1),
            people,
            lodging=(batches.LodgingInput(base, arrival, people),),
        ),
    )


def _order_alerts(db: Database, rule: str, today: dt.date = TODAY) -> list:
    return [a for a in collect_alerts(db, today) if a.rule == rule]


def _two_bases(db: Database) -> tuple[int, int, int]:
    p = partner(db, "宁波大学")
    since, until = TODAY - dt.timedelta(days=400), TODAY + dt.timedelta(days=400)
    first = certified_base(db, "寿昌宾馆", since=since, until=until)
    second = certified_base(db, "江滨宾馆", since=since, until=until)
    return p.id, first.id, second.id


def test_an_order_waiting_too_long_for_the_answer(db: Database) -> None:
    p, base, _other = _two_bases(db)
    ahead = TODAY + dt.timedelta(days=20)
    waiting = _lodged(db, p, base, ahead)
    orders.mark_sent(db, waiting.id, base, "pdf", on=TODAY - dt.timedelta(days=5))
    recent = _lodged(db, p, base, ahead)
    orders.mark_sent(db, recent.id, base, "printed", on=TODAY - dt.timedelta(days=3))  # 3 days: not yet
    answered = _lodged(db, p, base, ahead)
    orders.mark_sent(db, answered.id, base, "email", on=TODAY - dt.timedelta(days=9))
    orders.mark_answer(db, answered.id, base, "confirmed", by="王丽", on=TODAY - dt.timedelta(days=8))
    arrived = _lodged(db, p, base, TODAY - dt.timedelta(days=1))  # arrived: the stay is under way
    orders.mark_sent(db, arrived.id, base, "pdf", on=TODAY - dt.timedelta(days=20))
    far = TODAY + dt.timedelta(days=200)  # however far ahead: sent means it waits for an answer
    late = _lodged(db, p, base, far)
    orders.mark_sent(db, late.id, base, "workbook", on=TODAY - dt.timedelta(days=30))

    found = _order_alerts(db, "order_unanswered")
    assert [(a.table, a.key, a.day, a.severe) for a in found] == [
        ("batch", waiting.id, ahead, False),
        ("batch", late.id, far, False),
    ]
    assert found[0].numbers == {"base": base, "waiting_days": 5, "edition": 1}
    assert found[0].subject == waiting.code and found[0].category == "order"
    assert "寿昌宾馆" in found[0].message and "2026年3月5日" in found[0].message
    assert "已 5 天未回复" in found[0].message
    # the policy says how long an answer may take; an order not sent yet as of a past day waits for nothing
    policy.set_policy(db, {"order_answer_days": "10"})
    assert [a.key for a in _order_alerts(db, "order_unanswered")] == [late.id]
    assert _order_alerts(db, "order_unanswered", TODAY - dt.timedelta(days=40)) == []


def test_a_batch_arriving_within_a_week_whose_base_has_not_confirmed(db: Database) -> None:
    p, base, other = _two_bases(db)
    soon = TODAY + dt.timedelta(days=4)
    split = batches.create_batch(  # two nights, one at each base
        db,
        batches.BatchInput(
            p,
            soon,
            soon + dt.timedelta(days=2),
            6,
            lodging=(
                batches.LodgingInput(base, soon, 6),
                batches.LodgingInput(other, soon + dt.timedelta(1), 6),
            ),
        ),
    )
    orders.mark_sent(db, split.id, base, "pdf", on=TODAY - dt.timedelta(days=6))
    orders.mark_answer(db, split.id, base, "confirmed", by="王丽", on=TODAY - dt.timedelta(days=5))
    orders.mark_sent(db, split.id, other, "pdf", on=TODAY - dt.timedelta(days=1))  # sent, no answer yet
    refused = _lodged(db, p, base, soon)
    orders.mark_sent(db, refused.id, base, "printed", on=TODAY - dt.timedelta(days=6))
    orders.mark_answer(db, refused.id, base, "declined", reason="客房已满", on=TODAY - dt.timedelta(days=5))
    grown = _lodged(db, p, base, TODAY)  # arriving today, and changed since its base confirmed
    confirm_orders(db, grown.id, on=TODAY - dt.timedelta(days=10))
    row = batches.get_batch(db, grown.id)  # the group grew by one after the base confirmed
    edit.update_batch(
        db,
        grown.id,
        row.version,
        batches.BatchInput(
            p, TODAY, TODAY + dt.timedelta(days=1), 7, lodging=(batches.LodgingInput(base, TODAY, 7),)
        ),
    )
    done = _lodged(db, p, base, soon)
    confirm_orders(db, done.id, on=TODAY - dt.timedelta(days=10))  # every base confirmed: nothing to say
    _lodged(db, p, base, TODAY + dt.timedelta(days=8))  # a draft more than a week ahead: not yet
    gone = _lodged(db, p, base, soon)
    batches.set_status(db, gone.id, gone.version, "cancelled", "取消")  # never sent, cancelled: nothing

    found = sorted(_order_alerts(db, "order_unconfirmed"), key=lambda a: (a.day, a.key, a.numbers["base"]))
    assert [(a.key, a.numbers["base"], a.day, a.severe) for a in found] == [
        (grown.id, base, TODAY, True),
        (split.id, other, soon, True),
        (refused.id, base, soon, True),
    ]
    assert found[1].numbers["days"] == 4
    assert "江滨宾馆" in found[1].message and "待回复" in found[1].message and "还有 4 天" in found[1].message
    assert "发出后有变更" in found[0].message and "已拒绝" in found[2].message
    # an order named here is not named again as waiting too long for its answer
    assert _order_alerts(db, "order_unanswered", TODAY + dt.timedelta(days=3)) == []


def test_an_order_sent_for_a_batch_cancelled_or_moved_needs_a_cancellation_notice(db: Database) -> None:
    p, base, other = _two_bases(db)
    ahead = TODAY + dt.timedelta(days=15)
    cancelled = _lodged(db, p, base, ahead)
    confirm_orders(db, cancelled.id, on=TODAY - dt.timedelta(days=3))
    row = batches.get_batch(db, cancelled.id)
    batches.set_status(db, cancelled.id, row.version, "cancelled", "合作单位取消")
    moved = _lodged(db, p, base, ahead)
    orders.mark_sent(db, moved.id, base, "pdf", on=TODAY - dt.timedelta(days=2))
    row = batches.get_batch(db, moved.id)
    edit.update_batch(
        db,
        moved.id,
        row.version,
        batches.BatchInput(
            p, ahead, ahead + dt.timedelta(days=1), 6, lodging=(batches.LodgingInput(other, ahead, 6),)
        ),
    )
    declined = _lodged(db, p, base, ahead)  # a base that declined needs no notice
    orders.mark_sent(db, declined.id, base, "pdf", on=TODAY - dt.timedelta(days=6))
    orders.mark_answer(db, declined.id, base, "declined", reason="客房已满", on=TODAY - dt.timedelta(days=5))
    row = batches.get_batch(db, declined.id)
    batches.set_status(db, declined.id, row.version, "cancelled", "改期")
    past = _lodged(db, p, base, TODAY - dt.timedelta(days=2))  # arrived before today: history
    orders.mark_sent(db, past.id, base, "pdf", on=TODAY - dt.timedelta(days=20))
    row = batches.get_batch(db, past.id)
    batches.set_status(db, past.id, row.version, "cancelled", "取消")

    found = sorted(_order_alerts(db, "order_withdrawn"), key=lambda a: a.key)
    assert [(a.table, a.key, a.day, a.numbers) for a in found] == [
        ("batch", cancelled.id, ahead, {"base": base, "edition": 1}),
        ("batch", moved.id, ahead, {"base": base, "edition": 1}),
    ]
    assert "批次已取消" in found[0].message and "取消通知书" in found[0].message
    assert "不再使用该基地" in found[1].message and "寿昌宾馆" in found[1].message
    try:
        messages.set_language("en")
        english = sorted(_order_alerts(db, "order_withdrawn"), key=lambda a: a.key)
    finally:
        messages.set_language("zh")
    assert "the batch was cancelled" in english[0].message and "no longer uses" in english[1].message


def test_confirm_orders_lets_a_batch_be_confirmed(db: Database) -> None:
    p, base, _other = _two_bases(db)
    row = _lodged(db, p, base, TODAY + dt.timedelta(days=20))
    assert [r.state for r in confirm_orders(db, row.id)] == ["confirmed"]
    assert batches.set_status(db, row.id, row.version, "confirmed").status == "confirmed"
