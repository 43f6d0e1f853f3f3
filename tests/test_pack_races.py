"""A spending pack's name is unique as the program reads names (spaces and full-width forms aside:
``spending.fold_name``) also when two desks write at the same moment: two real processes, waiting for each
other, add “并发 包N” and “并发包N” (or one renames its pack to the other's spelling), on SQLite and on
PostgreSQL.  Exactly one desk saves each round; the other is refused as a duplicate, and no two packs ever fold
alike afterwards (see tests/test_races.py for the same style of test of the rules about people)."""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy import text

from recuperation.services import spending
from recuperation.storage.database import Database

pytestmark = pytest.mark.slow

TRIALS = 15


def desk(url: str, kind: str, barrier: Any, results: Any, trials: int) -> None:
    """A desk in its own process: each round, wait for the parent's reset, then write at once with the other."""
    from recuperation.errors import DomainError
    from recuperation.storage.database import open_database

    db = open_database(url)
    try:
        for trial in range(trials):
            barrier.wait(timeout=120)  # the parent has reset the packs
            if kind == "rename":  # the pack 旧名N becomes 并发包N
                row = next(p for p in spending.list_packs(db) if p.name == f"旧名{trial}")
                data = spending.PackInput(f"并发包{trial}", row.notes)
            barrier.wait(timeout=120)  # both ready: now both write
            try:
                if kind == "rename":
                    spending.update_pack(db, row.id, row.version, data)
                else:
                    name = f"并发 包{trial}" if kind == "spaced" else f"并发包{trial}"
                    spending.create_pack(db, spending.PackInput(name))
                results.put(("saved", ""))
            except DomainError as exc:
                results.put(("refused", exc.key))
            barrier.wait(timeout=120)  # the parent checks
    finally:
        db.close()


def _folded_twice(db: Database) -> list[list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for pack in spending.list_packs(db):
        groups[spending.fold_name(pack.name)].append(pack.name)
    return [names for names in groups.values() if len(names) > 1]


def _race(db: Database, kinds: list[str], reset: Any) -> list[str]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    results = context.Queue()
    workers = [context.Process(target=desk, args=(db.url, kind, barrier, results, TRIALS)) for kind in kinds]
    for worker in workers:
        worker.start()
    outcomes: list[str] = []
    try:
        for trial in range(TRIALS):
            reset(trial)
            barrier.wait(timeout=120)  # reset: the desks read
            barrier.wait(timeout=120)  # go
            got = sorted(results.get(timeout=60) for _ in kinds)
            barrier.wait(timeout=120)
            outcomes.append(" + ".join(f"{status}{':' + key if key else ''}" for status, key in got))
            assert _folded_twice(db) == [], outcomes[-1]
    finally:
        for worker in workers:
            worker.join(timeout=60)
            if worker.is_alive():
                worker.kill()
    assert all(w.exitcode == 0 for w in workers)
    return outcomes


def _clear(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM spending_rule"))
        conn.execute(text("DELETE FROM spending_pack"))


def test_two_desks_adding_packs_whose_names_fold_alike_save_one(db: Database) -> None:
    outcomes = _race(db, ["spaced", "plain"], lambda trial: _clear(db))
    assert all(o == "refused:record.duplicate + saved" for o in outcomes), outcomes
    assert len(spending.list_packs(db)) == 1  # the last round's one pack


def test_a_desk_renaming_a_pack_while_another_adds_the_same_name_saves_one(db: Database) -> None:
    def reset(trial: int) -> None:
        _clear(db)
        spending.create_pack(db, spending.PackInput(f"旧名{trial}"))

    outcomes = _race(db, ["rename", "spaced"], reset)
    assert all(o == "refused:record.duplicate + saved" for o in outcomes), outcomes
    names = sorted(p.name for p in spending.list_packs(db))
    last = TRIALS - 1
    assert names in (
        [f"并发 包{last}", f"旧名{last}"],
        [f"并发包{last}"],
    )  # one of the two writes, never both
