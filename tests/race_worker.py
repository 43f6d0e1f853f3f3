"""A desk in its own process, for the race tests (tests/test_races.py): it plans its change, waits until the
other desk has planned too, then applies — exactly the moment two coordinators press 导入 or 保存 at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any


def desk(url: str, kind: str, target: str, payload: str, barrier: Any, results: Any, trials: int) -> None:
    """Run ``trials`` rounds: wait (the parent resets), plan, wait (both planned), apply, report, wait."""
    from recuperation.errors import DomainError
    from recuperation.storage.database import open_database

    db = open_database(url)
    try:
        for trial in range(trials):
            barrier.wait(timeout=120)  # the parent has reset the batches
            try:
                apply = _plan(db, kind, target, payload)
            except DomainError as exc:  # refused at planning: a result too
                barrier.wait(timeout=120)
                results.put((trial, target, "refused", exc.key))
            else:
                barrier.wait(timeout=120)  # both desks have planned: now both apply at once
                try:
                    apply()
                    results.put((trial, target, "saved", ""))
                except DomainError as exc:
                    results.put((trial, target, "refused", exc.key))
            barrier.wait(timeout=120)  # the parent checks the rules
    finally:
        db.close()


def _plan(db: Any, kind: str, target: str, payload: str) -> Any:
    """What this desk saw before it pressed the button, and the function that saves it."""
    if kind == "roster":
        from recuperation.services.batch.roster_import import apply_import, plan_import

        plan = plan_import(db, target, Path(payload))
        return lambda: apply_import(db, plan)
    if kind == "register":
        from recuperation.services.registers import apply_register, plan_register

        register = plan_register(db, "batches", Path(payload))
        return lambda: apply_register(db, register)
    if kind == "move":
        from recuperation.services.batch import edit as batch_edit
        from recuperation.services.batch.batches import BatchInput, LodgingInput, list_batches

        row = next(b for b in list_batches(db) if b.code == target)
        arrival = dt.date.fromisoformat(payload)
        departure = arrival + (row.departure - row.arrival)
        data = BatchInput(
            partner_id=row.partner_id,
            arrival=arrival,
            departure=departure,
            headcount=row.headcount,
            code=row.code,
            lodging=tuple[LodgingInput, ...](),
        )
        return lambda: batch_edit.update_batch(db, row.id, row.version, data)
    if kind == "confirm":
        from recuperation.services.batch.batches import list_batches, set_status

        row = next(b for b in list_batches(db) if b.code == target)
        return lambda: set_status(db, row.id, row.version, "confirmed")
    if kind == "headcount":
        from dataclasses import replace

        from recuperation.services.batch import edit as batch_edit
        from recuperation.services.batch.batches import BatchInput, LodgingInput, list_batches

        row = next(b for b in list_batches(db) if b.code == target)
        details = batch_edit.get_details(db, row.id, with_findings=False)
        people = int(payload)
        data = BatchInput(
            partner_id=row.partner_id,
            arrival=row.arrival,
            departure=row.departure,
            headcount=people,
            code=row.code,
            lodging=tuple(LodgingInput(lo.base_id, lo.night, people) for lo in details.lodging),
        )
        return lambda: batch_edit.update_batch(db, row.id, row.version, replace(data))
    if kind == "close":  # the roll call of a batch that has arrived
        from recuperation.services.batch import attendance
        from recuperation.services.batch.batches import find_batch

        row = find_batch(db, target)
        return lambda: attendance.close_roll_call(db, row.id, on=row.departure)
    if kind == "add":  # one more person, ``payload`` their ID number
        from recuperation.services.batch import rosters
        from recuperation.services.batch.batches import find_batch

        row = find_batch(db, target)
        data = rosters.ParticipantInput("迟到者", payload)
        return lambda: rosters.add_participant(db, row.id, data)
    raise ValueError(kind)
