"""Archive, delete with dependents, fulfilment, scans, occupancy and route editing."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from recuperation.errors import RuleViolation, StaleEditError
from recuperation.services import bases, partners, routes
from recuperation.services.batch import batches
from recuperation.storage.database import Database
from tests.factories import certified_base, partner

D = dt.date


def test_partner_with_batches_cannot_be_deleted_but_can_be_archived(db: Database) -> None:
    p = partner(db, "宁波大学")
    batches.create_batch(db, batches.BatchInput(p.id, D(2021, 5, 12), D(2021, 5, 13), 30))
    with pytest.raises(RuleViolation) as info:
        partners.delete_partner(db, p.id, p.version)
    assert (
        "宁波大学" in info.value.message and "1 个批次" in info.value.message and "归档" in info.value.message
    )
    archived = partners.archive_partner(db, p.id, p.version)
    assert archived.archived and partners.list_partners(db) == []
    assert [r.name for r in partners.list_partners(db, include_archived=True)] == ["宁波大学"]
    lonely = partner(db, "浙江工业大学")
    partners.delete_partner(db, lonely.id, lonely.version)
    assert [r.name for r in partners.list_partners(db, include_archived=True)] == ["宁波大学"]


def test_expiring_filter_and_fulfilment(db: Database) -> None:
    today = dt.date.today()
    p = partner(db, "秦山核电站")
    q = partner(db, "浙江海港集团")
    soon = partners.create_agreement(
        db,
        partners.AgreementInput(
            p.id,
            "A-SOON",
            today - dt.timedelta(days=300),
            today - dt.timedelta(days=300),
            today + dt.timedelta(days=30),
            quota_batches=10,
            quota_people=400,
        ),
    )
    partners.create_agreement(
        db, partners.AgreementInput(q.id, "A-LATER", today, today, today + dt.timedelta(days=900))
    )
    assert [r.name for r in partners.list_partners(db, expiring_within=60)] == ["秦山核电站"]
    assert partners.list_partners(db, expiring_within=60)[0].agreement_state(today) == "expiring"
    arrival = today - dt.timedelta(days=1) if today.month > 1 or today.day > 1 else today
    batches.create_batch(db, batches.BatchInput(p.id, arrival, arrival, 35, agreement_id=soon.id))
    row = next(a for a in partners.list_agreements(db, p.id))
    assert (row.used_batches, row.used_people, row.year) == (1, 35, today.year)
    assert row.state(today) == "expiring"
    with pytest.raises(RuleViolation, match="1 个批次"):
        partners.delete_agreement(db, soon.id, soon.version)


def test_agreement_scan_is_copied_into_the_data_folder(db: Database, tmp_path: Path) -> None:
    p = partner(db)
    a = partners.create_agreement(
        db, partners.AgreementInput(p.id, "JD/2021 001", D(2021, 1, 1), D(2021, 1, 1), D(2023, 12, 31))
    )
    scan = tmp_path / "扫描件.PDF"
    scan.write_bytes(b"%PDF-1.4 scan")
    row = partners.attach_scan(db, a.id, a.version, scan)
    stored = Path(row.scan_path)
    assert stored.parent == tmp_path / "data" / "scans" and stored.name == "JD_2021_001.pdf"
    assert stored.read_bytes() == b"%PDF-1.4 scan"
    if os.name == "posix":
        assert stored.stat().st_mode & 0o777 == 0o600  # a signed agreement is the office's alone
    scan.unlink()
    assert stored.exists()


def test_base_state_occupancy_and_delete(db: Database) -> None:
    today = dt.date.today()
    p = partner(db)
    base = certified_base(
        db, "寿昌宾馆", beds=80, since=today - dt.timedelta(days=400), until=today + dt.timedelta(days=20)
    )
    row = bases.list_bases(db)[0]
    assert row.cert_level == "hangzhou" and row.cert_state(today) == "lapsing"
    batches.create_batch(
        db,
        batches.BatchInput(
            p.id,
            today,
            today + dt.timedelta(days=2),
            30,
            lodging=(
                batches.LodgingInput(base.id, today, 30),
                batches.LodgingInput(base.id, today + dt.timedelta(days=1), 30),
            ),
        ),
    )
    nights = bases.occupancy(db, base.id, today, 7)
    assert [(n.used, n.beds) for n in nights[:3]] == [(30, 80), (30, 80), (0, 80)]
    with pytest.raises(RuleViolation, match="2 个住宿安排"):
        bases.delete_base(db, base.id, row.version)
    empty = bases.create_base(db, bases.BaseInput(name="空基地"))
    bases.delete_base(db, empty.id, empty.version)


def test_route_edit_duplicate_and_stale(db: Database) -> None:
    items = (routes.RouteItemInput(1, "古镇漫游"), routes.RouteItemInput(1, "寿昌宫"))
    route = routes.create_route(
        db, routes.RouteInput("XL02", "寿昌古镇休闲线路", "leisure", 2, 1, 50000, items=items)
    )
    moved = routes.update_route(
        db,
        route.id,
        route.version,
        routes.RouteInput("XL02", "寿昌古镇休闲线路", "leisure", 2, 1, 50000, items=(items[1], items[0])),
    )
    assert moved.version == 2 and [i.activity for i in moved.items] == ["寿昌宫", "古镇漫游"]
    with pytest.raises(StaleEditError):
        routes.update_route(db, route.id, route.version, routes.RouteInput("XL02", "改名", "leisure", 2, 1))
    copy = routes.duplicate_route(db, route.id, "XL02B", "寿昌古镇休闲线路（夏季）")
    assert copy.code == "XL02B" and [i.activity for i in copy.items] == ["寿昌宫", "古镇漫游"]
    routes.delete_route(db, copy.id, copy.version)
    assert [r.code for r in routes.list_routes(db)] == ["XL02"]


def test_a_base_with_an_inspection_or_an_incident_is_not_deleted_but_named(db: Database) -> None:
    from recuperation.services import incidents, inspections

    base = bases.create_base(db, bases.BaseInput(name="梅城宾馆"))
    inspections.load_default_clauses(db)
    inspections.start_inspection(
        db, inspections.InspectionInput(base.id, "routine", dt.date.today(), inspectors="王建华")
    )
    incidents.record_incident(
        db,
        incidents.IncidentInput(
            dt.date.today(), "complaint", "minor", "热水不稳定", base_id=base.id, reported_by="王建华"
        ),
    )
    with pytest.raises(RuleViolation, match="1 次实地考察、1 个事件"):
        bases.delete_base(db, base.id, base.version)
    assert [b.name for b in bases.list_bases(db)] == ["梅城宾馆"]
