"""A refusing spending rule holds on every way to a batch that will happen: created confirmed or under way,
or a confirmed batch changed so that it breaks a rule (an adversary created batches under way round it)."""

from __future__ import annotations

import datetime as dt

import pytest

from recuperation.errors import RuleViolation
from recuperation.services import partners, spending
from recuperation.services import policy as policy_service
from recuperation.services.batch import batches, edit
from recuperation.services.spending import PackInput, RuleInput
from recuperation.storage.database import Database
from tests.factories import partner

D = dt.date
THREE_DAYS = "试点规定：每次不超过 3 天（含往返）"


def _strict(db: Database) -> partners.PartnerRow:
    policy_service.set_policy(db, {"max_days": "7"})
    pack = spending.create_pack(
        db, PackInput("严格（示例）", "", (RuleInput("max_days", 3, "refuse", None, None, THREE_DAYS),))
    )
    p = partner(db)
    partners.update_partner(
        db, p.id, p.version, partners.PartnerInput(p.name, p.kind, uscc=p.uscc, spending_pack_id=pack.id)
    )
    return p


@pytest.mark.parametrize("status", ["confirmed", "in_progress"])
def test_a_batch_created_confirmed_or_under_way_is_held_to_the_refusing_rules(
    db: Database, status: str
) -> None:
    p = _strict(db)
    with pytest.raises(RuleViolation) as refused:
        batches.create_batch(db, batches.BatchInput(p.id, D(2027, 4, 1), D(2027, 4, 4), 20, status=status))
    assert "不能确认" in refused.value.message and THREE_DAYS in refused.value.message
    assert batches.list_batches(db) == []  # nothing written
    # a completed batch is the record of what happened: its finding shows, nothing refuses it
    done = batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 4, 1), D(2021, 4, 4), 20, status="completed")
    )
    with db.session() as session:
        assert [f.kind for f in spending.findings(session, [done.id])[done.id]] == ["max_days"]


def test_a_confirmed_batch_is_not_changed_into_breaking_a_refusing_rule(db: Database) -> None:
    p = _strict(db)
    row = batches.create_batch(
        db, batches.BatchInput(p.id, D(2027, 4, 1), D(2027, 4, 3), 20, status="confirmed")
    )
    longer = batches.BatchInput(p.id, D(2027, 4, 1), D(2027, 4, 5), 20, status="confirmed")
    with pytest.raises(RuleViolation) as refused:
        edit.update_batch(db, row.id, row.version, longer)
    assert "已确认，这样修改会违反开支标准" in refused.value.message and "共 5 天" in refused.value.message
    assert batches.get_batch(db, row.id).departure == D(2027, 4, 3)  # not saved
    # a change that breaks nothing new (the headcount) passes
    edit.update_batch(
        db,
        row.id,
        row.version,
        batches.BatchInput(p.id, D(2027, 4, 1), D(2027, 4, 3), 25, status="confirmed"),
    )
    assert batches.get_batch(db, row.id).headcount == 25
