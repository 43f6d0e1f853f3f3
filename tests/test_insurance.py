"""Insurance per batch: the policy set, changed and deleted; whether it covers the batch (period, people, the
pack's minimums); the overview's alert saying what is wrong; the insurer's list with full IDs as text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from recuperation.errors import StaleEditError, ValidationError
from recuperation.models import AuditEntry
from recuperation.services import insurance, partners, spending
from recuperation.services.alerts import collect_alerts
from recuperation.services.batch import batches
from recuperation.services.insurance import InsuranceInput
from recuperation.storage.database import Database
from tests.factories import partner, person_id
from tests.test_spending import add, join_pack, ningbo

TODAY = dt.date.today()
ARRIVAL = TODAY + dt.timedelta(days=3)
DEPARTURE = ARRIVAL + dt.timedelta(days=2)


def policy(**changes: object) -> InsuranceInput:
    values: dict[str, object] = {
        "insurer": "中国人民财产保险股份有限公司宁波分公司",
        "policy_no": "PZHA202633020000000123",
        "accident_fen": 100000000,  # ¥1,000,000
        "medical_fen": 10000000,  # ¥100,000
        "first_day": ARRIVAL,
        "last_day": DEPARTURE,
        "insured_count": 3,
        "notes": "",
    }
    values.update(changes)
    return InsuranceInput(**values)  # type: ignore[arg-type]


@pytest.fixture
def trip(db: Database) -> batches.BatchRow:
    """A batch of the Ningbo-like pack's partner arriving in three days: two workers and a companion."""
    pack = spending.create_pack(db, ningbo())
    p = partner(db, "宁波大学")
    join_pack(db, p, pack.id)
    row = batches.create_batch(db, batches.BatchInput(p.id, ARRIVAL, DEPARTURE, 2))
    add(db, row.id, "职工甲", 601)
    add(db, row.id, "职工乙", 602)
    add(db, row.id, "家属丙", 603, companion=True)
    return row


def insurance_alerts(db: Database, today: dt.date = TODAY) -> list:
    return [a for a in collect_alerts(db, today) if a.rule == "insurance"]


def test_no_policy_is_an_alert_then_each_shortfall_is_named(db: Database, trip: batches.BatchRow) -> None:
    (alert,) = insurance_alerts(db)
    assert (alert.table, alert.key, alert.day, alert.severe, alert.category) == (
        "batch",
        trip.id,
        ARRIVAL,
        True,
        "insurance",
    )
    assert f"批次 {trip.code}（宁波大学）3 天后" in alert.message and "没有登记保单" in alert.message
    assert alert.numbers == {"days": 3, "people": 3, "insured": 0, "problems": 1}

    saved = insurance.set_insurance(db, trip.id, None, policy())
    assert insurance.batch_cover(db, trip.id).valid and insurance_alerts(db) == []

    # the period ends a day early
    saved = insurance.set_insurance(
        db, trip.id, saved.version, policy(last_day=DEPARTURE - dt.timedelta(days=1))
    )
    (alert,) = insurance_alerts(db)
    assert "保险期间" in alert.message and "没有覆盖行程" in alert.message
    assert insurance.batch_cover(db, trip.id).problems == ("period",)

    # two insured for three travellers (the companion travels too)
    saved = insurance.set_insurance(db, trip.id, saved.version, policy(insured_count=2))
    (alert,) = insurance_alerts(db)
    assert "投保 2 人，少于名单上的 3 人" in alert.message

    # the accident cover below the pack's ¥1,000,000
    saved = insurance.set_insurance(db, trip.id, saved.version, policy(accident_fen=50000000))
    (alert,) = insurance_alerts(db)
    assert "意外险保额 500,000.00 元，低于“宁波市（示例）”要求的 1,000,000.00 元" in alert.message
    cover = insurance.batch_cover(db, trip.id)
    assert (
        cover.problems == ("accident",) and cover.accident_min == 100000000 and cover.medical_min == 10000000
    )
    # the batch's own findings say the same against the rule, with its source
    findings = [f for f in batches.get_batch(db, trip.id).findings if f.rule == "spending_accident_min"]
    assert len(findings) == 1 and "500,000.00" in findings[0].message and "镇海区" in findings[0].message

    # everything short at once, said in one alert
    insurance.set_insurance(
        db,
        trip.id,
        saved.version,
        policy(first_day=ARRIVAL + dt.timedelta(days=1), insured_count=1, medical_fen=5000000),
    )
    assert insurance.batch_cover(db, trip.id).problems == ("period", "count", "medical")


def test_the_alert_looks_a_week_ahead_and_at_batches_under_way(db: Database, trip: batches.BatchRow) -> None:
    assert insurance_alerts(db, ARRIVAL - dt.timedelta(days=8)) == []  # more than a week ahead
    assert len(insurance_alerts(db, ARRIVAL - dt.timedelta(days=7))) == 1
    (today,) = insurance_alerts(db, ARRIVAL)
    assert "今天到达" in today.message
    current = batches.get_batch(db, trip.id)
    batches.set_status(db, trip.id, current.version, "confirmed")
    current = batches.get_batch(db, trip.id)
    batches.set_status(db, trip.id, current.version, "in_progress")
    (under_way,) = insurance_alerts(db, ARRIVAL + dt.timedelta(days=1))
    assert "行程进行中" in under_way.message
    assert insurance_alerts(db, DEPARTURE + dt.timedelta(days=1)) == []  # over


def test_a_cancelled_batch_needs_no_cover(db: Database, trip: batches.BatchRow) -> None:
    current = batches.get_batch(db, trip.id)
    batches.set_status(db, trip.id, current.version, "cancelled", "取消")
    assert insurance_alerts(db) == []


def test_a_policy_is_versioned_checked_and_deleted(db: Database, trip: batches.BatchRow) -> None:
    with pytest.raises(ValidationError) as refused:
        insurance.set_insurance(db, trip.id, None, policy(last_day=ARRIVAL - dt.timedelta(days=1)))
    assert refused.value.field == "last_day" and trip.code in refused.value.message
    with pytest.raises(ValidationError) as missing:
        insurance.set_insurance(db, trip.id, None, policy(insurer=" "))
    assert missing.value.field == "insurer"
    saved = insurance.set_insurance(db, trip.id, None, policy())
    assert insurance.get_insurance(db, trip.id) == saved
    with pytest.raises(StaleEditError):  # a second desk that read no policy
        insurance.set_insurance(db, trip.id, None, policy(insured_count=9))
    changed = insurance.set_insurance(db, trip.id, saved.version, policy(insured_count=4))
    assert changed.insured_count == 4 and changed.version == saved.version + 1
    with pytest.raises(StaleEditError):
        insurance.delete_insurance(db, trip.id, saved.version)
    insurance.delete_insurance(db, trip.id, changed.version)
    assert insurance.get_insurance(db, trip.id) is None
    with db.session() as session:
        actions = [
            e.action
            for e in session.exec(select(AuditEntry).where(AuditEntry.table_name == "insurance_policy")).all()
        ]
    assert actions == ["create", "update", "delete"]


def test_the_insurers_list_has_full_ids_as_text_and_is_audited(
    db: Database, trip: batches.BatchRow, tmp_path: Path
) -> None:
    insurance.set_insurance(db, trip.id, None, policy())
    target = tmp_path / "保险名单.xlsx"
    result = insurance.export_insurance(db, trip.code, target)
    assert result.rows == 3 and (target.stat().st_mode & 0o777) == 0o600
    sheet = load_workbook(target).active
    assert sheet is not None
    facts = {sheet.cell(r, 1).value: sheet.cell(r, 2) for r in range(2, 13)}
    assert facts["保险公司"].value == "中国人民财产保险股份有限公司宁波分公司"
    assert facts["保单号"].value == "PZHA202633020000000123"
    assert (
        facts["意外险保额（元）"].value == 1000000 and facts["意外险保额（元）"].number_format == "#,##0.00"
    )
    assert facts["医疗险保额（元）"].value == 100000
    assert facts["保险期间起"].value.date() == ARRIVAL and facts["保险期间止"].value.date() == DEPARTURE
    assert facts["投保人数"].value == 3 and facts["名单人数"].value == 3
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "序号")
    assert [sheet.cell(header, c).value for c in range(1, 10)] == list(insurance.LIST_HEADERS)
    rows = [[sheet.cell(header + i, c) for c in range(1, 10)] for i in (1, 2, 3)]
    assert [r[1].value for r in rows] == ["职工甲", "职工乙", "家属丙"]
    assert [r[3].value for r in rows] == [person_id(601), person_id(602), person_id(603)]
    assert all(r[3].data_type == "s" and r[3].number_format == "@" for r in rows)  # text, every digit
    assert [r[2].value for r in rows] == ["居民身份证"] * 3
    assert [r[4].value for r in rows] == ["男", "女", "男"]  # the 17th digit: odd for a man
    assert rows[0][5].value.date() == dt.date(1980, 1, 1)
    assert [r[7].value for r in rows] == ["职工", "职工", "随行家属"]
    with db.session() as session:
        entry = session.exec(
            select(AuditEntry).where(AuditEntry.field == "full_ids", AuditEntry.record_id == trip.id)
        ).one()
    assert (entry.action, entry.table_name, entry.record_label) == ("export", "batch", trip.code)
    assert entry.new == f"保险名单 3 人 → {target.resolve()}"  # the full path of the file written


def _exports(db: Database, batch_id: int) -> list[str | None]:
    with db.session() as session:
        return [
            e.new
            for e in session.exec(
                select(AuditEntry).where(AuditEntry.field == "full_ids", AuditEntry.record_id == batch_id)
            ).all()
        ]


def test_an_insurers_list_that_cannot_be_written_is_not_recorded_as_exported(
    db: Database, trip: batches.BatchRow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xlsxwriter

    insurance.set_insurance(db, trip.id, None, policy())
    out = tmp_path / "导出"
    out.mkdir()
    # a folder that cannot be made (a file stands where it would be)
    (out / "不是文件夹").write_text("")
    with pytest.raises(OSError):
        insurance.export_insurance(db, trip.code, out / "不是文件夹" / "保险名单.xlsx")
    # the workbook fails as it is written (a full disk)
    target = out / "保险名单.xlsx"

    def full_disk(self: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(xlsxwriter.Workbook, "close", full_disk)
        with pytest.raises(OSError):
            insurance.export_insurance(db, trip.code, target)
    assert not target.exists() and list(out.iterdir()) == [out / "不是文件夹"]  # no part left behind
    assert _exports(db, trip.id) == []  # nothing recorded
    # written: recorded once, with its full path
    insurance.export_insurance(db, trip.code, target)
    assert _exports(db, trip.id) == [f"保险名单 3 人 → {target.resolve()}"]


def test_an_export_the_audit_log_cannot_record_leaves_no_file(
    db: Database, trip: batches.BatchRow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    insurance.set_insurance(db, trip.id, None, policy())
    out = tmp_path / "导出"
    out.mkdir()
    target = out / "保险名单.xlsx"

    real = insurance._insurance_book

    def broken(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)  # the list is written, then the transaction recording it cannot commit
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(insurance, "_insurance_book", broken)
    with pytest.raises(RuntimeError):
        insurance.export_insurance(db, trip.code, target)
    assert not target.exists() and list(out.iterdir()) == []  # no list of full IDs left unrecorded
    assert _exports(db, trip.id) == []


def test_a_batch_without_a_pack_needs_a_policy_but_no_minimum(db: Database) -> None:
    p = partner(db, "宁波银行")
    row = batches.create_batch(db, batches.BatchInput(p.id, ARRIVAL, DEPARTURE, 2))
    insurance.set_insurance(db, row.id, None, policy(accident_fen=0, medical_fen=0, insured_count=2))
    assert insurance.batch_cover(db, row.id).valid  # the roster is empty: the headcount of 2 is insured
    assert partners.find_partner(db, "宁波银行").spending_pack_id is None  # type: ignore[union-attr]
