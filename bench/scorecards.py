"""Every base's scorecard of a year, and the statistics' satisfaction, over five years of data (a benchmark, not
a test); target under 1 s each.

.venv/bin/python bench/scorecards.py [--db FILE] [--runs N]     # builds demo --years 5 if no --db

``scorecards(db, year)`` reads every base at once: the ratings, the incidents, the inspections, the lodging and
the statistics' attendance and utilisation, for the year and the year before — a fixed number of queries
whatever the number of bases.  A demo without questionnaires gets them first (in the benchmark's own copy):
two of every three members of each batch of the year and the year before answer, rating each base they
lodged at and the route on the policy's six dimensions, so the ratings' queries read what a real year holds.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text

from bench.common import Result, arguments, five_year_database, private_data_dir, report, timed
from recuperation.models import Batch, FeedbackRating, FeedbackResponse, Lodging, Participant, table_of
from recuperation.services.scorecard import satisfaction, scorecards
from recuperation.services.statistics import Period
from recuperation.storage.database import Database, open_database

YEAR = 2023
DIMENSIONS = ("lodging", "food", "activities", "guide", "safety", "overall")


def add_feedback(db: Database, years: tuple[int, ...]) -> int:
    """Questionnaires for the batches of ``years`` when the database has none; returns the ratings added."""
    fr, rs, b, lo, p = (
        table_of(FeedbackRating),
        table_of(FeedbackResponse),
        table_of(Batch).c,
        table_of(Lodging).c,
        table_of(Participant).c,
    )
    rng = random.Random(23)
    with db.engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(fr)).scalar_one():
            return 0
        batches = conn.execute(
            select(b.id, func.extract("year", b.arrival)).where(b.status != "cancelled")
        ).all()
        wanted = [int(i) for i, y in batches if int(y) in years]
        members = dict(
            conn.execute(
                select(p.batch_id, func.count()).where(p.companion == False).group_by(p.batch_id)  # noqa: E712
            ).all()
        )
        bases: dict[int, set[int]] = {}
        for batch_id, base_id in conn.execute(
            select(lo.batch_id, lo.base_id).where(lo.people > 0).distinct()
        ):
            bases.setdefault(int(batch_id), set()).add(int(base_id))
    db.verify()
    ratings = 0
    with db.engine.begin() as conn:
        next_id = int(conn.execute(select(func.coalesce(func.max(rs.c.id), 0))).scalar_one()) + 1
        for batch_id in wanted:
            answers = [
                {
                    "id": next_id + n,
                    "batch_id": batch_id,
                    "sheet_no": n + 1,
                    "source": "imported",
                    "comment": "",
                }
                for n in range(int(members.get(batch_id, 0)) * 2 // 3)
            ]
            if not answers:
                continue
            next_id += len(answers)
            conn.execute(insert(rs), answers)
            stars = []
            for answer in answers:
                for base_id in [*sorted(bases.get(batch_id, ())), None]:
                    lean = rng.choice((3, 4, 4, 5, 5))
                    for dimension in DIMENSIONS:
                        stars.append(
                            {
                                "response_id": answer["id"],
                                "base_id": base_id,
                                "dimension": dimension,
                                "stars": max(1, min(5, lean + rng.choice((-1, 0, 0, 1)))),
                            }
                        )
            conn.execute(insert(fr), stars)
            ratings += len(stars)
    return ratings


def main() -> int:
    args = arguments(__doc__ or "")
    source = five_year_database(args.db)
    folder = private_data_dir()
    path = folder / "scorecards.db"
    shutil.copy(source, path)  # the questionnaires go into a copy: the five-year database stays as built
    db = open_database(path)
    added = add_feedback(db, (YEAR - 1, YEAR))
    cards, card_samples = timed(lambda: scorecards(db, YEAR), args.runs)
    figures, figure_samples = timed(lambda: satisfaction(db, Period.year(YEAR)), args.runs)

    def raw() -> None:
        with db.engine.connect() as conn:
            conn.execute(
                text(
                    "SELECT r.base_id, r.dimension, sum(r.stars), count(*) FROM feedback_rating r"
                    " JOIN feedback_response s ON s.id = r.response_id JOIN batch b ON b.id = s.batch_id"
                    f" WHERE b.arrival BETWEEN '{YEAR}-01-01' AND '{YEAR}-12-31' GROUP BY r.base_id, r.dimension"
                )
            ).fetchall()

    raw_median, _ = timed(raw, args.runs)
    bases = len(scorecards(db, YEAR))
    db.close()
    note = f"{bases} bases, this year and the year before" + (f"; {added:,} ratings added" if added else "")
    report(
        [
            Result(
                "every base's scorecard of a year (five years on file)",
                cards,
                target=1.0,
                raw=raw_median,
                runs=args.runs,
                samples=card_samples,
                note=f"raw: the ratings' sums by base and dimension only; {note}",
            ),
            Result(
                "the statistics' satisfaction of a year",
                figures,
                target=1.5,
                runs=args.runs,
                samples=figure_samples,
                note="scorecards plus by route, by partner and every batch's response rate",
            ),
        ],
        args.emit,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
