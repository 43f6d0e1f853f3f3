"""The demo after the trip: most batches answered their questionnaires, three bases clearly weaker, incidents of
every kind (the latest serious one still open), and an inspection against the office's clauses for every site
inspection, re-check and yearly routine check."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import text

from recuperation.models import IncidentKind
from recuperation.storage.database import Database


def _rows(db: Database, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_most_completed_recuperation_batches_answered_and_three_bases_are_clearly_weaker(
    demo_db: Database,
) -> None:
    (completed,) = _rows(
        demo_db, "SELECT count(*) FROM batch WHERE status = 'completed' AND kind = 'recuperation'"
    )[0]
    (answered,) = _rows(demo_db, "SELECT count(DISTINCT batch_id) FROM feedback_response")[0]
    assert answered >= 0.85 * completed
    # a response comes from someone of the batch who attended, never a companion, numbered once per batch
    strays = _rows(
        demo_db,
        "SELECT count(*) FROM feedback_response r JOIN participant p ON p.id = r.participant_id"
        " WHERE p.batch_id <> r.batch_id OR p.attendance <> 'attended' OR p.companion",
    )[0][0]
    assert strays == 0
    means = _rows(
        demo_db,
        "SELECT base_id, sum(stars), count(*) FROM feedback_rating"
        " WHERE dimension = 'overall' AND base_id IS NOT NULL GROUP BY base_id",
    )
    # below the policy's 4.0 with at least 30 answers: the scorecard's review flag
    weak = [base for base, total, count in means if count >= 30 and total < 4 * count]
    assert len(weak) == 3
    strong = [base for base, total, count in means if count >= 30 and total >= 4.2 * count]
    assert len(strong) >= 10
    # every rating is a whole number of stars from 1 to 5, and the comments are a minority
    assert _rows(demo_db, "SELECT min(stars), max(stars) FROM feedback_rating")[0] == (1, 5)
    with_comment, responses = _rows(
        demo_db, "SELECT sum(CASE WHEN comment <> '' THEN 1 ELSE 0 END), count(*) FROM feedback_response"
    )[0]
    assert 0.05 * responses < with_comment < 0.3 * responses


def test_incidents_of_every_kind_and_the_latest_serious_one_still_open(demo_db: Database) -> None:
    kinds = Counter(kind for (kind,) in _rows(demo_db, "SELECT kind FROM incident"))
    assert set(kinds) == set(IncidentKind.values())
    serious = _rows(demo_db, "SELECT id, occurred_on, closed_on FROM incident WHERE severity = 'serious'")
    assert len(serious) >= 3
    still_open = [row for row in serious if row[2] is None]
    assert len(still_open) == 1
    # everything else is closed with its outcome, never before it happened
    unclosed = _rows(
        demo_db,
        "SELECT count(*) FROM incident WHERE closed_on IS NULL OR outcome = '' OR closed_on < occurred_on",
    )[0][0]
    assert unclosed == 1
    # the people named are of the incident's batch
    strays = _rows(
        demo_db,
        "SELECT count(*) FROM incident_person ip JOIN incident i ON i.id = ip.incident_id"
        " JOIN participant p ON p.id = ip.participant_id WHERE p.batch_id <> i.batch_id",
    )[0][0]
    assert strays == 0


def test_every_inspection_checks_every_clause_and_only_the_weak_bases_fail_any(demo_db: Database) -> None:
    (clauses,) = _rows(demo_db, "SELECT count(*) FROM standard_clause WHERE active")[0]
    assert clauses >= 20
    per_inspection = _rows(
        demo_db, "SELECT inspection_id, count(*) FROM inspection_item GROUP BY inspection_id"
    )
    assert per_inspection and {count for _id, count in per_inspection} == {clauses}
    kinds = Counter(kind for (kind,) in _rows(demo_db, "SELECT kind FROM inspection"))
    assert kinds["site_inspection"] >= 20 and kinds["routine"] >= 20
    # every certification's site inspection step has its inspection on that day
    missing = _rows(
        demo_db,
        "SELECT count(*) FROM certification_step s JOIN certification c ON c.id = s.certification_id"
        " WHERE s.step = 'site_inspection' AND NOT EXISTS (SELECT 1 FROM inspection i"
        " WHERE i.certification_id = c.id AND i.on_date = s.on_date AND i.kind = 'site_inspection')",
    )[0][0]
    assert missing == 0
    failing = {
        base
        for (base,) in _rows(
            demo_db,
            "SELECT DISTINCT i.base_id FROM inspection_item t JOIN inspection i ON i.id = t.inspection_id"
            " WHERE t.result = 'not_met'",
        )
    }
    overall = _rows(
        demo_db,
        "SELECT base_id, sum(stars), count(*) FROM feedback_rating"
        " WHERE dimension = 'overall' AND base_id IS NOT NULL GROUP BY base_id",
    )
    weak = {base for base, total, count in overall if count >= 30 and total < 4 * count}
    assert failing and failing <= weak
