"""A batch's history: lodging and itinerary changes in the audit log, and reasons for changing closed batches."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from recuperation.errors import RuleViolation
from recuperation.services import bases, routes
from recuperation.services.audit import AuditRow, list_audit
from recuperation.services.batch import batches
from recuperation.services.batch import edit as batch_edit
from recuperation.storage.database import Database
from tests.factories import certified_base, confirm_orders, partner

D = dt.date


def _nights(base: int, arrival: D, nights: int, people: int) -> tuple[batches.LodgingInput, ...]:
    return tuple(batches.LodgingInput(base, arrival + dt.timedelta(days=i), people) for i in range(nights))


def _history(db: Database, batch_id: int, field: str) -> list[AuditRow]:
    return [r for r in list_audit(db, table="batch", record_id=batch_id) if r.field == field]


def _close(db: Database, row: batches.BatchRow, target: str) -> batches.BatchRow:
    if target == "cancelled":
        return batches.set_status(db, row.id, row.version, "cancelled", "单位临时取消")
    confirm_orders(db, row.id)  # the bases confirm before the batch is confirmed
    for status in ("confirmed", "in_progress", "completed"):
        row = batches.set_status(db, row.id, row.version, status)
    return row


@pytest.fixture
def stay(db: Database) -> tuple[int, int, batches.BatchInput]:
    p = partner(db)
    first = certified_base(db, "大慈岩山庄", beds=80)
    second = certified_base(db, "江滨宾馆", beds=80)
    data = batches.BatchInput(
        p.id, D(2021, 1, 10), D(2021, 1, 13), 30, lodging=_nights(first.id, D(2021, 1, 10), 3, 30)
    )
    return first.id, second.id, data


def test_a_lodging_change_names_only_the_nights_that_changed(db: Database, stay) -> None:
    first, second, data = stay
    row = batches.create_batch(db, data)
    lodging = list(data.lodging)
    lodging[1] = batches.LodgingInput(second, D(2021, 1, 11), 30)
    row = batch_edit.update_batch(db, row.id, row.version, replace(data, lodging=tuple(lodging)))
    [entry] = _history(db, row.id, "lodging")
    assert (entry.action, entry.label, entry.old, entry.new) == (
        "update",
        row.code,
        "1月11日 大慈岩山庄 30人",
        "1月11日 江滨宾馆 30人",
    )
    # a night split between two bases, a night given up: each named, runs of equal nights as one range
    lodging[1] = batches.LodgingInput(first, D(2021, 1, 11), 20)
    lodging.insert(2, batches.LodgingInput(second, D(2021, 1, 11), 10))
    row = batch_edit.update_batch(db, row.id, row.version, replace(data, lodging=tuple(lodging[:-1])))
    latest = _history(db, row.id, "lodging")[0]
    assert (latest.old, latest.new) == (
        "1月11日 江滨宾馆 30人；1月12日 大慈岩山庄 30人",
        "1月11日 大慈岩山庄 20人、江滨宾馆 10人；1月12日 无住宿",
    )
    # moved by two days: the old nights (the 12th was given up) and the new ones
    moved = batch_edit.move_batch(db, row.id, row.version, 2)
    latest = _history(db, row.id, "lodging")[0]
    assert (latest.old, latest.new) == (
        "1月10日 大慈岩山庄 30人；1月11日 大慈岩山庄 20人、江滨宾馆 10人；1月12日 无住宿",
        "1月12日 大慈岩山庄 30人；1月13日 大慈岩山庄 20人、江滨宾馆 10人",
    )
    # saved unchanged: nothing recorded
    unchanged = tuple(
        batches.LodgingInput(lo.base_id, lo.night, lo.people)
        for lo in batch_edit.get_details(db, row.id).lodging
    )
    batch_edit.update_batch(
        db,
        moved.id,
        moved.version,
        replace(data, arrival=moved.arrival, departure=moved.departure, lodging=unchanged),
    )
    assert len(_history(db, row.id, "lodging")) == 3


def test_an_itinerary_change_names_the_days_that_changed(db: Database, stay) -> None:
    first, _second, data = stay
    route = routes.create_route(
        db,
        routes.RouteInput(
            "XL02",
            "寿昌古镇休闲线路",
            "leisure",
            4,
            3,
            items=(
                routes.RouteItemInput(1, "古镇漫游", time_of_day="上午"),
                routes.RouteItemInput(1, "晚餐", "dinner", base_id=first),
                routes.RouteItemInput(2, "登山", time_of_day="上午", place="大慈岩"),
            ),
        ),
    )
    row = batches.create_batch(db, replace(data, route_id=route.id))
    plan = (
        routes.RouteItemInput(1, "古镇漫游", time_of_day="上午"),
        routes.RouteItemInput(1, "晚餐", "dinner", base_id=first),
        routes.RouteItemInput(2, "漂流", time_of_day="下午", place="新安江"),
    )
    row = batch_edit.update_batch(db, row.id, row.version, replace(data, route_id=route.id, itinerary=plan))
    [entry] = _history(db, row.id, "itinerary")
    assert (entry.old, entry.new) == ("1月11日 上午 登山 大慈岩", "1月11日 下午 漂流 新安江")
    # the same itinerary moved with the dates: named by its days, not item by item
    batch_edit.move_batch(db, row.id, row.version, -1)
    latest = _history(db, row.id, "itinerary")[0]
    assert (latest.old, latest.new) == ("1月10日至11日", "1月9日至10日（随日期提前 1 天，内容未变）")


@pytest.mark.parametrize("closed", ["completed", "cancelled"])
def test_changing_a_closed_batch_needs_a_reason(db: Database, stay, closed: str) -> None:
    first, second, data = stay
    row = _close(db, batches.create_batch(db, data), closed)
    lodging = (
        batches.LodgingInput(first, D(2021, 1, 10), 30),
        batches.LodgingInput(second, D(2021, 1, 11), 30),
    )
    changed = replace(data, lodging=(*lodging, data.lodging[2]))
    status = {"completed": "已完成", "cancelled": "已取消"}[closed]
    with pytest.raises(RuleViolation, match=f"批次 {row.code} {status}，修改它.*需要填写原因") as caught:
        batch_edit.update_batch(db, row.id, row.version, changed)
    assert caught.value.field == "reason"
    with pytest.raises(RuleViolation, match="需要填写原因"):
        batch_edit.update_batch(db, row.id, row.version, replace(data, notes="补记"), reason="   ")
    assert batch_edit.get_details(db, row.id).lodging[1].base == "大慈岩山庄"  # nothing was saved
    assert not _history(db, row.id, "lodging")
    saved = batch_edit.update_batch(db, row.id, row.version, changed, reason="江滨宾馆实际接待，补记")
    assert saved.status == closed
    [entry] = _history(db, row.id, "lodging")
    assert (entry.old, entry.new) == ("1月11日 大慈岩山庄 30人", "1月11日 江滨宾馆 30人")
    [why] = _history(db, row.id, "change_reason")
    assert (why.new, why.at) == ("江滨宾馆实际接待，补记", entry.at)
    # a move of a closed batch: the preview says a reason will be needed, the move refuses without one
    check = batch_edit.check_move(db, row.id, saved.version, 1)
    assert (check.refusal, check.needs_reason) == ("", True)
    with pytest.raises(RuleViolation, match="需要填写原因"):
        batch_edit.move_batch(db, row.id, saved.version, 1)


def test_an_open_batch_needs_no_reason(db: Database, stay) -> None:
    _first, second, data = stay
    row = batches.create_batch(db, data)
    assert not batch_edit.check_move(db, row.id, row.version, 1).needs_reason
    row = batch_edit.update_batch(
        db, row.id, row.version, replace(data, lodging=_nights(second, D(2021, 1, 10), 3, 30))
    )
    assert not _history(db, row.id, "change_reason")
    [entry] = _history(db, row.id, "lodging")
    assert (entry.old, entry.new) == ("1月10日至12日 大慈岩山庄 30人", "1月10日至12日 江滨宾馆 30人")


def test_the_demo_completed_batch_records_its_lodging_change(demo_db: Database) -> None:
    """The case a new user found: a night of a completed demo batch moved to another base, saved unasked and
    unrecorded."""
    row = next(b for b in batches.list_batches(demo_db) if b.status == "completed")
    night = batch_edit.get_details(demo_db, row.id).lodging[0]
    data = batches.BatchInput(
        row.partner_id,
        row.arrival,
        row.departure,
        row.headcount,
        kind=row.kind,
        code=row.code,
        agreement_id=row.agreement_id,
        route_id=row.route_id,
        leader=row.leader,
        leader_phone=row.leader_phone,
        guide=row.guide,
        vehicle=row.vehicle,
        notes=row.notes,
    )
    others = [b for b in bases.list_bases(demo_db) if b.id != night.base_id and b.beds >= night.people]
    moved = (batches.LodgingInput(others[0].id, night.night, night.people),)
    with pytest.raises(RuleViolation, match=f"批次 {row.code} 已完成"):
        batch_edit.update_batch(demo_db, row.id, row.version, replace(data, lodging=moved))
    for other in others:  # the first base the rules accept that night
        try:
            batch_edit.update_batch(
                demo_db,
                row.id,
                row.version,
                replace(data, lodging=(batches.LodgingInput(other.id, night.night, night.people),)),
                reason="实际入住另一基地",
            )
        except RuleViolation:
            continue
        break
    [entry] = _history(demo_db, row.id, "lodging")
    day = f"{night.night.month}月{night.night.day}日"
    assert (entry.old, entry.new) == (
        f"{day} {night.base} {night.people}人",
        f"{day} {other.name} {night.people}人",
    )
    assert [r.new for r in _history(demo_db, row.id, "change_reason")] == ["实际入住另一基地"]


@pytest.mark.sqlite_run  # the server takes the same path in a lighter test
def test_a_batches_register_changing_a_closed_batch_takes_the_imports_reason(
    demo_db: Database, tmp_path
) -> None:
    from openpyxl import load_workbook

    from recuperation.services.registers import apply_register, plan_register
    from recuperation.templates import write_template

    done = next(b for b in batches.list_batches(demo_db) if b.status == "completed")
    path = tmp_path / "batches.xlsx"
    write_template("batches", path, demo_db)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    code_col = next(i for i, h in enumerate(header) if h and "批次编号" in str(h))
    guide_col = next(i for i, h in enumerate(header) if h and "导游" in str(h))
    row = next(r for r in sheet.iter_rows(min_row=2) if r[code_col].value == done.code)
    row[guide_col].value = "王导（补记）"
    book.save(path)

    plan = plan_register(demo_db, "batches", path)
    assert not plan.errors and plan.needs_reason and done.code in plan.closed_changes  # the preview asks
    with pytest.raises(RuleViolation, match="需要填写原因"):
        apply_register(demo_db, plan)
    assert batches.get_batch(demo_db, done.id).guide != "王导（补记）"  # nothing written
    apply_register(demo_db, plan_register(demo_db, "batches", path), reason="补记导游")
    assert batches.get_batch(demo_db, done.id).guide == "王导（补记）"
    assert any(r.new == "补记导游" for r in _history(demo_db, done.id, "change_reason"))
