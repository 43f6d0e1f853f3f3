"""Rules that span batches hold when two desks save at the same moment: two real processes plan their change,
wait for each other, then apply at once, 20 times for each kind of work, on SQLite and on PostgreSQL.

Each round: the same people imported into two overlapping batches (a roster, and a batch register with a
roster sheet), or two batches holding the same people moved onto each other's dates.  Either change alone is
valid; both together would put people into two overlapping batches.  Exactly one desk may save, and
``check`` must find nothing afterwards.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from sqlalchemy import text

from recuperation.services.batch import batches, rosters
from recuperation.services.checks import overlapping_people
from recuperation.storage.database import Database
from tests import race_worker
from tests.factories import certified_base, confirm_orders, partner, person_id

pytestmark = pytest.mark.slow

D = dt.date
TRIALS = 20
PEOPLE = 200


def _people() -> list[tuple[str, str]]:
    return [(f"职工{i:03d}", person_id(i, birth=f"19{60 + i // 100:02d}0101")) for i in range(PEOPLE)]


def _roster_rows() -> list[list[str]]:
    return [["姓名", "身份证号"], *[[name, number] for name, number in _people()]]


def _write(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day))
                elif isinstance(value, int):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, str(value))
    book.close()
    return path


def _race(
    db: Database,
    kind: str,
    desks: list[tuple[str, str]],
    reset: Any,
    kinds: list[str] | None = None,
    check: Any = None,
) -> list[str]:
    """Run TRIALS rounds with two desk processes (each doing ``kind``, or its own of ``kinds``); returns every
    round's outcome."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    results = context.Queue()
    workers = [
        context.Process(
            target=race_worker.desk, args=(db.url, each, target, payload, barrier, results, TRIALS)
        )
        for each, (target, payload) in zip(kinds or [kind] * len(desks), desks, strict=True)
    ]
    for worker in workers:
        worker.start()
    outcomes: list[str] = []
    try:
        for _trial in range(TRIALS):
            reset()
            barrier.wait(timeout=120)  # go: both plan
            barrier.wait(timeout=120)  # both planned: both apply
            barrier.wait(timeout=120)  # both done
            got = sorted(results.get(timeout=60)[2:] for _ in desks)
            outcomes.append(" + ".join(f"{status}{':' + key if key else ''}" for status, key in got))
            assert overlapping_people(db) == [], outcomes[-1]
            if check is not None:
                check(outcomes[-1])
    finally:
        for worker in workers:
            worker.join(timeout=60)
            if worker.is_alive():
                worker.kill()
    assert all(w.exitcode == 0 for w in workers)
    return outcomes


def _two_batches(db: Database, a: tuple[D, D], b: tuple[D, D]) -> tuple[Any, Any]:
    p = partner(db)
    first = batches.create_batch(db, batches.BatchInput(p.id, a[0], a[1], PEOPLE, code="L2021-0201"))
    second = batches.create_batch(db, batches.BatchInput(p.id, b[0], b[1], PEOPLE, code="L2021-0202"))
    return first, second


def _empty_rosters(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM participant"))


def test_two_desks_import_the_same_people_into_overlapping_batches(db: Database, tmp_path: Path) -> None:
    _two_batches(db, (D(2021, 5, 10), D(2021, 5, 12)), (D(2021, 5, 11), D(2021, 5, 13)))
    roster = _write(tmp_path / "roster.xlsx", {"名单": _roster_rows()})
    outcomes = _race(
        db, "roster", [("L2021-0201", str(roster)), ("L2021-0202", str(roster))], lambda: _empty_rosters(db)
    )
    # every round: one desk saved its roster, the other was refused by the overlap rule
    assert all(o.startswith("refused:rule.overlap") and o.endswith("saved") for o in outcomes), outcomes


def test_two_desks_import_batch_registers_with_the_same_roster(db: Database, tmp_path: Path) -> None:
    first, second = _two_batches(db, (D(2021, 5, 10), D(2021, 5, 12)), (D(2021, 5, 11), D(2021, 5, 13)))
    files = []
    for batch in (first, second):
        register = [
            ["批次编号", "合作单位", "到达日期", "离开日期", "计划人数"],
            [batch.code, "宁波大学", batch.arrival, batch.departure, PEOPLE],
        ]
        sheets = {"批次": register, batch.code: _roster_rows()}
        files.append((batch.code, str(_write(tmp_path / f"{batch.code}.xlsx", sheets))))
    outcomes = _race(db, "register", files, lambda: _empty_rosters(db))
    # refused when its roster sheet is planned again inside the transaction (SQLite, whose write lock is
    # taken at BEGIN), or by the overlap check after the people lock (PostgreSQL)
    refusals = {"refused:register.roster_refused", "refused:rule.overlap_now", "refused:rule.overlap"}
    assert all(o.split(" + ")[0] in refusals and o.endswith(" + saved") for o in outcomes), outcomes


def test_two_desks_move_batches_with_the_same_people_onto_each_other(db: Database) -> None:
    first, second = _two_batches(db, (D(2021, 5, 1), D(2021, 5, 3)), (D(2021, 5, 10), D(2021, 5, 12)))
    for batch in (first, second):
        for name, number in _people()[:20]:
            rosters.add_participant(db, batch.id, rosters.ParticipantInput(name=name, id_number=number))

    def reset() -> None:
        with db.engine.begin() as conn:
            for code, arrival, departure in (
                ("L2021-0201", D(2021, 5, 1), D(2021, 5, 3)),
                ("L2021-0202", D(2021, 5, 10), D(2021, 5, 12)),
            ):
                conn.execute(
                    text("UPDATE batch SET arrival = :a, departure = :d WHERE code = :c"),
                    {"a": arrival, "d": departure, "c": code},
                )

    # alone, each move is valid: A on 6–8 May still misses B on 10–12 May, B on 5–7 May misses A on 1–3 May
    outcomes = _race(db, "move", [("L2021-0201", "2021-05-06"), ("L2021-0202", "2021-05-05")], reset)
    assert all(o.startswith("refused:rule.overlap") and o.endswith("saved") for o in outcomes), outcomes


def test_one_after_the_other_the_second_is_refused(db: Database, tmp_path: Path) -> None:
    """The same work without a race: the rule itself (and the worker's plan/apply steps) are right."""
    _two_batches(db, (D(2021, 5, 10), D(2021, 5, 12)), (D(2021, 5, 11), D(2021, 5, 13)))
    roster = _write(tmp_path / "roster.xlsx", {"名单": _roster_rows()})
    race_worker._plan(db, "roster", "L2021-0201", str(roster))()
    from recuperation.services.batch.roster_import import plan_import

    plan = plan_import(db, "L2021-0202", roster)  # the preview already names every person
    assert len(plan.errors) == PEOPLE and all("日期重叠" in p.message for p in plan.errors)
    assert overlapping_people(db) == []


def test_a_desk_confirming_while_another_changes_the_lodging_never_confirms_a_stale_order(
    db: Database,
) -> None:
    """The order's rule under two real processes: one desk confirms the batch (its base confirmed the order
    as sent), the other raises the batch's people at the same moment (the order becomes changed since sent).
    Exactly one wins each round, and a batch that ends confirmed has its base's current order confirmed."""
    from recuperation.services import orders

    p = partner(db)
    base = certified_base(db, "寿昌宾馆", beds=200)
    night = D(2021, 5, 12)
    row = batches.create_batch(
        db,
        batches.BatchInput(
            p.id,
            night,
            night + dt.timedelta(days=1),
            40,
            code="L2021-0301",
            lodging=(batches.LodgingInput(base.id, night, 40),),
        ),
    )
    confirm_orders(db, row.id)

    def reset() -> None:
        with db.engine.begin() as conn:
            conn.execute(
                text("UPDATE batch SET status = 'planned', headcount = 40 WHERE code = 'L2021-0301'")
            )
            conn.execute(text("UPDATE lodging SET people = 40"))

    def check(outcome: str) -> None:
        assert outcome.count("saved") == 1, outcome  # never both: the two desks saw the same version
        status = batches.get_batch(db, row.id).status
        state = orders.batch_orders(db, row.id)[0].state
        assert status != "confirmed" or state == "confirmed", (outcome, status, state)

    outcomes = _race(
        db,
        "confirm",
        [("L2021-0301", ""), ("L2021-0301", "45")],
        reset,
        kinds=["confirm", "headcount"],
        check=check,
    )
    assert len(outcomes) == TRIALS


def test_closing_the_roll_call_while_another_desk_adds_someone_never_leaves_anyone_unmarked(
    db: Database,
) -> None:
    """One desk closes the roll call, the other adds a late-comer at the same moment: either the newcomer is
    in before the close (and becomes a no-show with the rest) or the addition is refused; never a closed roll
    call with someone unmarked, and never both refused."""
    from recuperation.services.batch import attendance

    p = partner(db)
    row = batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 5, 10), D(2021, 5, 12), 5, code="L2021-0401")
    )
    first, _w = rosters.add_participant(db, row.id, rosters.ParticipantInput("先到者", person_id(1)))
    attendance.mark(db, first.id, first.version, "attended")
    newcomer = person_id(2)

    def reset() -> None:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE batch SET roll_closed_on = NULL WHERE code = 'L2021-0401'"))
            conn.execute(
                text("DELETE FROM participant WHERE batch_id = :b AND id != :first"),
                {"b": row.id, "first": first.id},
            )
            conn.execute(
                text("UPDATE participant SET attendance = 'attended' WHERE batch_id = :b"), {"b": row.id}
            )

    def check(outcome: str) -> None:
        assert "saved" in outcome, outcome  # the close always goes through
        people = attendance.roll_call(db, row.id)
        assert batches.get_batch(db, row.id).roll_closed_on is not None
        assert all(person.attendance for person in people), (
            outcome,
            [(q.name, q.attendance) for q in people],
        )

    outcomes = _race(
        db,
        "close",
        [("L2021-0401", ""), ("L2021-0401", newcomer)],
        reset,
        kinds=["close", "add"],
        check=check,
    )
    assert len(outcomes) == TRIALS
