"""A base's scorecard (评分表) on a small hand-built pair of years whose answers are worked out by hand.

The years (:func:`two_years`):

- 寿昌宾馆 (100 beds) and 江滨宾馆 (50 beds), both certified 2020–2022; route 寿昌古镇休闲游.
- 2020, batch W at 寿昌宾馆 (1–2 June, one night, 2 people): two questionnaires — overall 4 and 3 (3.5),
  lodging 4 and 4 (4.0), food 4 and 4 (4.0).
- 2021, batch X at 寿昌宾馆 (10–12 May, two nights, 4 lodged): three members and a companion on its roster,
  roll call open; three questionnaires rating 寿昌宾馆 — overall 5, 4, 4 (13/3 = 4.33 → 4.3), lodging 5, 5,
  4 (4.67 → 4.7), food 3, 4, 4 (3.67 → 3.7) — and the route overall 4, 4, 5; one comment has a phone in it.
- 2021, batch Y (1–2 July, headcount 10, no roster) lodged the night of 1 July at 寿昌宾馆 (10 people);
  batch Z (3–4 July, headcount 8) at 江滨宾馆.
- A cancelled batch C at 寿昌宾馆 with a questionnaire (never counted).
- Incidents of 2021: at 寿昌宾馆 an injury, serious, open (11 May, 王芳 involved); a complaint, minor,
  closed; an illness, moderate, naming no base, on X's departure day 12 May (X slept at 寿昌宾馆 the night
  before: it is 寿昌宾馆's); a lost property naming 江滨宾馆 (not 寿昌宾馆's).
- Inspections of 寿昌宾馆 in 2021: 1 March, all met; 1 June (the latest): 6.1 应 met, 6.2 应 not met, 6.3 宜
  not met, 6.4 not applicable, 6.5 not checked.

So 寿昌宾馆's 2021: overall 4.3 (3 ratings) up from 3.5; lodging 4.7 up from 4.0; food 3.7 down from 4.0;
3 responses; batches X and Y, people 3 + 10 = 13, one companion; incidents injury 1, complaint 1, illness 1
(serious 1, moderate 1, minor 1), one open serious; bed-nights used 2 × 4 + 10 = 18 of 100 × 365 = 36,500;
latest inspection 1 met, 2 not met, 1 n/a, 1 unchecked, shall not met: 6.2.  Flags: open_serious and
shall_not_met; low_rating only once the policy asks fewer answers and a higher line.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import select

from recuperation import messages
from recuperation.cli import main
from recuperation.models import (
    FeedbackRating,
    FeedbackResponse,
    Incident,
    IncidentPerson,
    Inspection,
    InspectionItem,
)
from recuperation.services import routes, scorecard
from recuperation.services.batch import batches, roster_moves, rosters
from recuperation.services.policy import set_policy
from recuperation.services.statistics import Period
from recuperation.storage.database import Database
from tests.factories import certified_base, partner, person_id

D = dt.date


@dataclass(frozen=True)
class TwoYears:
    shouchang: int
    jiangbin: int
    x: str
    y: str
    z: str
    w: str
    injury: int
    illness: int
    wang_id: str  # 王芳's full ID number (never printed)
    x_id: int = 0


def respond(
    db: Database,
    batch_id: int,
    sheet: int,
    stars: dict[int | None, dict[str, int]],
    comment: str = "",
    on: dt.date | None = None,
    respondent: str = "",
) -> None:
    """One questionnaire: per base (None: the route) each dimension's stars."""
    with db.session(write=True) as session:
        response = FeedbackResponse(
            batch_id=batch_id, sheet_no=sheet, comment=comment, answered_on=on, respondent=respondent
        )
        session.add(response)
        session.flush()
        for base_id, dims in stars.items():
            for dimension, value in dims.items():
                session.add(
                    FeedbackRating(response_id=response.id, base_id=base_id, dimension=dimension, stars=value)
                )


def incident(db: Database, **values: object) -> int:
    people = values.pop("people", ())
    with db.session(write=True) as session:
        row = Incident(**values)  # type: ignore[arg-type]
        session.add(row)
        session.flush()
        for participant_id in people:  # type: ignore[attr-defined]
            session.add(IncidentPerson(incident_id=row.id, participant_id=participant_id))
        assert row.id is not None
        return row.id


def inspect(db: Database, base_id: int, on: dt.date, results: list[tuple[str, str, str | None]]) -> int:
    with db.session(write=True) as session:
        row = Inspection(base_id=base_id, kind="recheck", on_date=on, standard="DB3301/T 0374-2022")
        session.add(row)
        session.flush()
        for n, (code, strength, result) in enumerate(results):
            session.add(
                InspectionItem(
                    inspection_id=row.id,
                    code=code,
                    element="safety",
                    requirement=f"条款 {code} 的要求",
                    strength=strength,
                    position=n,
                    result=result,
                    note="急救箱过期" if result == "not_met" else "",
                    checked_on=on if result else None,
                )
            )
        assert row.id is not None
        return row.id


def two_years(db: Database) -> TwoYears:
    ningbo = partner(db, "宁波大学")
    shouchang = certified_base(db, "寿昌宾馆", beds=100)
    jiangbin = certified_base(db, "江滨宾馆", beds=50)
    route = routes.create_route(db, routes.RouteInput("R01", "寿昌古镇休闲游", "leisure", 3, 2))

    def batch(first: dt.date, last: dt.date, headcount: int, nights: list[tuple[int, dt.date, int]]) -> Any:
        lodging = tuple(batches.LodgingInput(base, night, people) for base, night, people in nights)
        return batches.create_batch(
            db, batches.BatchInput(ningbo.id, first, last, headcount, route_id=route.id, lodging=lodging)
        )

    w = batch(D(2020, 6, 1), D(2020, 6, 2), 2, [(shouchang.id, D(2020, 6, 1), 2)])
    respond(db, w.id, 1, {shouchang.id: {"overall": 4, "lodging": 4, "food": 4}})
    respond(db, w.id, 2, {shouchang.id: {"overall": 3, "lodging": 4, "food": 4}})

    x = batch(
        D(2021, 5, 10),
        D(2021, 5, 12),
        3,
        [(shouchang.id, D(2021, 5, 10), 4), (shouchang.id, D(2021, 5, 11), 4)],
    )
    people = []
    for n, name in enumerate(["王芳", "李强", "张伟", "陈小静"]):
        row, _ = rosters.add_participant(db, x.id, rosters.ParticipantInput(name, person_id(100 + n)))
        people.append(row)
    roster_moves.set_companion(db, people[3].id, people[3].version, True)
    respond(
        db,
        x.id,
        1,
        {shouchang.id: {"overall": 5, "lodging": 5, "food": 3}, None: {"overall": 4}},
        "房间干净，服务热情",
        D(2021, 5, 12),
        "王芳",
    )
    respond(
        db,
        x.id,
        2,
        {shouchang.id: {"overall": 4, "lodging": 5, "food": 4}, None: {"overall": 4}},
        "早餐品种少；有事请打 13905710000",
        D(2021, 5, 13),
    )
    respond(db, x.id, 3, {shouchang.id: {"overall": 4, "lodging": 4, "food": 4}, None: {"overall": 5}})

    y = batch(D(2021, 7, 1), D(2021, 7, 2), 10, [(shouchang.id, D(2021, 7, 1), 10)])
    z = batch(D(2021, 7, 3), D(2021, 7, 4), 8, [(jiangbin.id, D(2021, 7, 3), 8)])
    c = batch(D(2021, 8, 1), D(2021, 8, 2), 5, [(shouchang.id, D(2021, 8, 1), 5)])
    respond(db, c.id, 1, {shouchang.id: {"overall": 1}}, "取消的批次不该计入")
    row = batches.get_batch(db, c.id)
    batches.set_status(db, c.id, row.version, "cancelled", "单位临时取消")

    injury = incident(
        db,
        base_id=shouchang.id,
        batch_id=x.id,
        occurred_on=D(2021, 5, 11),
        kind="injury",
        severity="serious",
        summary="王芳在台阶上摔伤，送医",
        action_taken="导游陪同送建德市第一人民医院",
        people=[people[0].id],
    )
    incident(
        db,
        base_id=shouchang.id,
        batch_id=x.id,
        occurred_on=D(2021, 5, 10),
        kind="complaint",
        severity="minor",
        summary="房间空调噪音大",
        closed_on=D(2021, 5, 10),
    )
    illness = incident(
        db, batch_id=x.id, occurred_on=D(2021, 5, 12), kind="illness", severity="moderate", summary="肠胃不适"
    )
    incident(
        db,
        base_id=jiangbin.id,
        batch_id=z.id,
        occurred_on=D(2021, 7, 3),
        kind="lost_property",
        summary="遗失手机",
    )
    inspect(db, shouchang.id, D(2021, 3, 1), [("6.1", "shall", "met"), ("6.2", "shall", "met")])
    inspect(
        db,
        shouchang.id,
        D(2021, 6, 1),
        [
            ("6.1", "shall", "met"),
            ("6.2", "shall", "not_met"),
            ("6.3", "should", "not_met"),
            ("6.4", "shall", "na"),
            ("6.5", "should", None),
        ],
    )
    return TwoYears(
        shouchang.id, jiangbin.id, x.code, y.code, z.code, w.code, injury, illness, person_id(100), x.id
    )


def test_ratings_by_dimension_against_last_year(db: Database) -> None:
    years = two_years(db)
    card = scorecard.scorecard(db, years.shouchang, 2021)
    assert card.base == "寿昌宾馆" and card.year == 2021
    this = {r.dimension: (r.stars, r.count, r.mean_text) for r in card.this.ratings if r.count}
    assert this == {"overall": (13, 3, "4.3"), "lodging": (14, 3, "4.7"), "food": (11, 3, "3.7")}
    last = {r.dimension: (r.stars, r.count, r.mean_text) for r in card.last.ratings if r.count}
    assert last == {"overall": (7, 2, "3.5"), "lodging": (8, 2, "4.0"), "food": (8, 2, "4.0")}
    trends = {line.dimension: line.trend for line in card.lines}
    assert trends["overall"] == "up" and trends["lodging"] == "up" and trends["food"] == "down"
    assert trends["guide"] is None  # asked, never rated: no trend
    # the table's rows are the policy's dimensions in order
    assert [line.dimension for line in card.lines] == [
        "lodging",
        "food",
        "activities",
        "guide",
        "safety",
        "overall",
    ]
    assert (
        card.this.responses == 3 and card.last.responses == 2
    )  # the cancelled batch's answer counts nowhere


def test_a_half_tenth_rounds_up_and_equal_shown_means_are_the_same() -> None:
    assert scorecard.Rating("overall", 17, 4).mean_text == "4.3"  # 4.25
    assert scorecard.Rating("overall", 13, 3).tenths == 43
    assert scorecard.Rating("overall", 0, 0).mean_text == "—"
    # 4.33 and 4.34 both show 4.3: the same as shown
    assert scorecard.trend(scorecard.Rating("o", 13, 3), scorecard.Rating("o", 217, 50)) == "same"


def test_people_batches_utilisation_and_incidents(db: Database) -> None:
    years = two_years(db)
    card = scorecard.scorecard(db, years.shouchang, 2021)
    this = card.this
    assert (this.batches, this.planned_people, this.people, this.companions) == (2, 13, 13, 1)
    assert (this.beds, this.bed_nights_used, this.bed_nights_available) == (100, 18, 36_500)
    assert this.utilisation_text == "0.0%"
    assert this.response_rate_text == "23.1%"  # 3 of 13
    assert [i.kind for i in this.incidents] == ["complaint", "injury", "illness"]  # by date
    kinds = this.by_kind()
    assert (kinds["injury"], kinds["complaint"], kinds["illness"], kinds["lost_property"]) == (1, 1, 1, 0)
    assert this.by_severity() == {"minor": 1, "moderate": 1, "serious": 1}
    assert sum(kinds.values()) == len(this.incidents) == 3
    assert [i.id for i in this.open_serious] == [years.injury]
    illness = next(i for i in this.incidents if i.id == years.illness)
    assert not illness.named and illness.batch == years.x  # by the lodging of the night before
    injury = next(i for i in this.incidents if i.id == years.injury)
    assert injury.people == (f"王芳（{years.wang_id[:6]}********{years.wang_id[-4:]}）",)
    other = scorecard.scorecard(db, years.jiangbin, 2021)
    assert [i.kind for i in other.this.incidents] == ["lost_property"]
    assert (other.this.batches, other.this.people) == (1, 8)
    # 2020: one batch of two people, one night
    assert (card.last.batches, card.last.people, card.last.bed_nights_used) == (1, 2, 2)


def test_latest_inspection_and_flags_with_their_reasons(db: Database) -> None:
    years = two_years(db)
    card = scorecard.scorecard(db, years.shouchang, 2021)
    inspection = card.this.inspection
    assert inspection is not None and inspection.on_date == D(2021, 6, 1)
    assert (inspection.met, inspection.not_met, inspection.na, inspection.unchecked) == (1, 2, 1, 1)
    assert inspection.shall_not_met == ("6.2",)  # 6.3 is only 宜
    assert [f.rule for f in card.flags] == ["open_serious", "shall_not_met"]
    words = scorecard.flag_words(card, "zh")
    assert "有 1 起严重事件尚未结案（最早一起 2021年5月11日：王芳在台阶上摔伤，送医）" in words
    assert "2021年6月1日的实地检查中有 1 条“应”条款不符合：6.2" in words
    assert card.review
    assert card.last.inspection is None and scorecard.scorecard(db, years.jiangbin, 2021).flags == ()


def test_low_rating_needs_enough_answers(db: Database) -> None:
    years = two_years(db)
    set_policy(db, {"review_min_overall": "4.5", "review_min_responses": "3"})
    card = scorecard.scorecard(db, years.shouchang, 2021)
    assert card.flags[0].rule == "low_rating"
    assert card.flags[0].message("zh") == (
        "总体满意度 4.3（3 份评分），低于复核关注线 4.5（满 3 份评分即检查）。"
    )
    set_policy(db, {"review_min_responses": "4"})  # three answers say too little
    assert "low_rating" not in [f.rule for f in scorecard.scorecard(db, years.shouchang, 2021).flags]
    set_policy(db, {"review_min_responses": "3", "review_min_overall": "4.3"})  # 4.3 is not below 4.3
    assert "low_rating" not in [f.rule for f in scorecard.scorecard(db, years.shouchang, 2021).flags]


def test_closing_the_serious_incident_lifts_its_flag(db: Database) -> None:
    years = two_years(db)
    with db.session(write=True) as session:
        row = session.get(Incident, years.injury)
        assert row is not None
        row.closed_on = D(2021, 5, 20)
    card = scorecard.scorecard(db, years.shouchang, 2021)
    assert [f.rule for f in card.flags] == ["shall_not_met"]
    # one still open from the year before flags the next year too
    with db.session(write=True) as session:
        row = session.get(Incident, years.injury)
        assert row is not None
        row.closed_on = None
    assert [i.id for i in scorecard.scorecard(db, years.shouchang, 2022).this.open_serious] == [years.injury]
    assert scorecard.scorecard(db, years.shouchang, 2022).this.incidents == ()


def test_every_base_at_once_equals_each_alone(db: Database) -> None:
    two_years(db)
    cards = scorecard.scorecards(db, 2021)
    assert [c.base for c in cards] == ["江滨宾馆", "寿昌宾馆"]  # by pinyin
    for card in cards:
        alone = scorecard.scorecard(db, card.base_id, 2021)
        assert alone.to_json() == card.to_json()
    assert json.loads(json.dumps(cards[1].to_json()))["this_year"]["ratings"][-1] == {
        "dimension": "overall",
        "stars": 13,
        "count": 3,
        "mean": 4.3,
    }


def test_satisfaction_by_route_partner_and_response_rates(db: Database) -> None:
    years = two_years(db)
    figures = scorecard.satisfaction(db, Period.year(2021), today=D(2022, 1, 10))
    route = {g.name: g for g in figures.by_route}["寿昌古镇休闲游"]
    assert (route.overall.stars, route.overall.count, route.overall.mean_text) == (13, 3, "4.3")
    assert (route.batches, route.people, route.responses) == (3, 21, 3)  # X 3, Y 10, Z 8
    ningbo = {g.name: g for g in figures.by_partner}["宁波大学"]
    # everything its groups rated: 寿昌宾馆's overall 5, 4, 4 and the route's 4, 4, 5
    assert (ningbo.overall.stars, ningbo.overall.count, ningbo.overall.mean_text) == (26, 6, "4.3")
    assert ningbo.response_rate_text == "14.3%"  # 3 of 21
    assert [(b.code, b.people, b.responses) for b in figures.batches] == [
        (years.x, 3, 3),
        (years.y, 10, 0),
        (years.z, 8, 0),
    ]
    assert (figures.ended, figures.answered, figures.people, figures.responses) == (3, 1, 21, 3)
    # before the batches end, they are not asked for answers yet
    early = scorecard.satisfaction(db, Period.year(2021), today=D(2021, 7, 2))
    assert [b.code for b in early.batches] == [years.x]


def test_a_quarter_compares_with_the_same_quarter_a_year_before(db: Database) -> None:
    years = two_years(db)
    cards = {c.base: c for c in scorecard.scorecards(db, 2021, period=Period.quarter(2021, 2))}
    card = cards["寿昌宾馆"]
    assert card.this.overall.mean_text == "4.3" and card.last.overall.mean_text == "3.5"
    assert card.this.batches == 1  # Y arrives in July
    assert years.y not in [i.batch for i in card.this.incidents]


def test_years_of_a_base_and_the_opening_year(db: Database) -> None:
    years = two_years(db)
    assert scorecard.years_of_base(db, years.shouchang) == [2020, 2021]
    assert scorecard.opening_year([2020, 2021], D(2025, 3, 1)) == 2021
    assert scorecard.opening_year([], D(2025, 3, 1)) == 2025
    assert scorecard.find_base(db, " 寿昌宾馆") == (years.shouchang, "寿昌宾馆")
    with pytest.raises(Exception, match="没有名为“不存在”的基地"):
        scorecard.find_base(db, "不存在")


def test_the_recheck_summary_beside_the_alert(db: Database) -> None:
    years = two_years(db)
    text = scorecard.recheck_summary(db, years.shouchang, D(2021, 12, 1))
    assert text == "2021年评分：总体满意度 4.3（3 份评分），问卷 3 份，未结严重事件 1 起，需复核关注。"
    # early in a year without ratings yet, the year before
    assert scorecard.recheck_summary(db, years.shouchang, D(2022, 1, 5)).startswith(
        "2021年评分：总体满意度 4.3"
    )
    messages.set_language("en")
    try:
        assert scorecard.recheck_summary(db, years.jiangbin, D(2021, 12, 1)) == (
            "2021 scorecard: no ratings, open serious incidents: 0."
        )
    finally:
        messages.set_language("zh")


def test_scorecard_list_on_the_command_line(db: Database, capsys: Any) -> None:
    two_years(db)
    url = db.url
    assert main(["--db", str(url), "scorecard", "list", "--year", "2021", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    shouchang = next(c for c in data["bases"] if c["base"] == "寿昌宾馆")
    assert shouchang["review"] is True
    assert [f["rule"] for f in shouchang["flags"]] == ["open_serious", "shall_not_met"]
    assert data["satisfaction"]["response_rate"]["responses"] == 3
    assert main(["--db", str(url), "scorecard", "list", "--year", "2021"]) == 0
    out = capsys.readouterr()
    assert "寿昌宾馆\t4.3\t3\t3\t2\t13\t0.0%\t3\t1\t2021-06-01\t" in out.out
    assert "2021年 2 个基地，其中 1 个需复核关注。" in out.err


def test_a_base_due_for_its_recheck_shows_its_scorecard_in_the_alert(db: Database) -> None:
    from recuperation.models import Certification
    from recuperation.services.alerts import collect_alerts

    years = two_years(db)
    with db.session(write=True) as session:
        cert = session.exec(select(Certification).where(Certification.base_id == years.shouchang)).one()
        cert.recheck_due = D(2021, 12, 31)
    alerts = [a for a in collect_alerts(db, D(2021, 12, 1)) if a.rule == "cert_recheck_due"]
    assert len(alerts) == 1 and alerts[0].key == years.shouchang
    assert alerts[0].message.endswith(
        "（还有 30 天）。2021年评分：总体满意度 4.3（3 份评分），问卷 3 份，未结严重事件 1 起，需复核关注。"
    )
    assert alerts[0].numbers == {
        "days": 30,
        "scorecard_year": 2021,
        "overall_ratings": 3,
        "responses": 3,
        "open_serious": 1,
        "review": 1,
        "overall_tenths": 43,
    }
