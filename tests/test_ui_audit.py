"""The history tab and the audit log read as a user reads: field labels, code values by their labels, ids of
referenced records by their number, and 字段 / 原值 / 新值 in sight without scrolling sideways at 1366×768."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from PySide6.QtCore import QDate, QRect, QSize

from recuperation.services import bases as base_service
from recuperation.services import partners as partner_service
from recuperation.services.batch import batches as batch_service
from recuperation.services.batch import edit as batch_edit
from recuperation.storage.database import Database
from tests.ui_helpers import wait_page
from ui.desk import Desk
from ui.main_window import MainWindow
from ui.widgets import fit
from ui.widgets.audit_view import FIELD, NEW, OLD, AuditDialog


def _edit_batch(db: Database) -> tuple[Any, str]:
    """L2021-0100 loses its agreement and gets another guide, with a reason; returns it and the agreement's
    number."""
    batch = batch_service.find_batch(db, "L2021-0100")
    assert batch is not None and batch.agreement_id is not None
    number = next(a.number for a in partner_service.list_agreements(db) if a.id == batch.agreement_id)
    details = batch_edit.get_details(db, batch.id)
    data = batch_service.BatchInput(
        partner_id=batch.partner_id,
        arrival=batch.arrival,
        departure=batch.departure,
        headcount=batch.headcount,
        kind=batch.kind,
        code=batch.code,
        agreement_id=None,
        route_id=batch.route_id,
        leader=batch.leader,
        leader_phone=batch.leader_phone,
        guide="叶敏",
        vehicle=batch.vehicle,
        notes=batch.notes,
        lodging=tuple(batch_service.LodgingInput(lo.base_id, lo.night, lo.people) for lo in details.lodging),
    )
    batch_edit.update_batch(db, batch.id, batch.version, data, reason="协议改签")
    return batch, number


def _certify(db: Database) -> None:
    base = base_service.create_base(db, base_service.BaseInput(name="钦堂乡职工疗休养驿站", beds=40))
    cert = base_service.apply_for_certification(db, base.id, "county", dt.date(2021, 3, 1), "王建华")
    cert = base_service.advance_certification(db, cert.id, cert.version, "first_review", dt.date(2021, 3, 10))
    base_service.advance_certification(db, cert.id, cert.version, "site_inspection", dt.date(2021, 4, 2))


def _in_sight(view: Any, column: int) -> bool:
    header = view.horizontalHeader()
    left = header.sectionViewportPosition(column)
    return (
        left >= 0
        and left + header.sectionSize(column) <= view.viewport().width()
        and header.sectionSize(column) >= 40
    )


def test_the_history_tab_names_fields_values_and_records(qtbot, demo_db: Database, monkeypatch) -> None:
    batch, number = _edit_batch(demo_db)
    monkeypatch.setattr(fit, "available_screen", lambda _widget: QRect(0, 0, 1366, 728))
    window = MainWindow(Desk(demo_db), remember=False)
    qtbot.addWidget(window)
    window.resize(QSize(1366, 768))
    window.show()
    window.show_page("batches")
    page = window.pages["batches"]
    wait_page(qtbot, page)
    panel = page.batches
    panel.year.setCurrentIndex(panel.year.findData(2021))
    assert panel.select_key(batch.id)
    panel.tabs.setCurrentWidget(panel.history)
    history = panel.history
    qtbot.waitUntil(lambda: history.busy == 0 and bool(history.model.rows), timeout=10_000)
    shown = {(r.field, r.old, r.new) for r in history.model.rows}
    assert ("协议", number, "") in shown  # not agreement_id 17
    assert ("导游", batch.guide, "叶敏") in shown
    assert ("修改原因", "", "协议改签") in shown
    for column in (FIELD, OLD, NEW):
        assert _in_sight(history.view, column), f"column {column} of the history is out of sight"
    assert history.view.horizontalScrollBar().maximum() == 0
    window.desk.worker.shutdown()


def test_the_audit_log_names_certification_steps(qtbot, demo_db: Database) -> None:
    _certify(demo_db)
    desk = Desk(demo_db)
    dialog = AuditDialog(desk)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 640)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.busy == 0, timeout=10_000)
    dialog.since.setDate(QDate(2000, 1, 1))
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.busy == 0 and bool(dialog.model.rows), timeout=10_000)
    shown = {(r.field, r.old, r.new) for r in dialog.model.rows if r.table == "certification"}
    assert ("状态", "初审", "实地考察") in shown and ("状态", "已申报", "初审") in shown
    assert not any("_" in r.field for r in dialog.model.rows), [r.field for r in dialog.model.rows]
    for column in (FIELD, OLD, NEW):
        assert _in_sight(dialog.view, column)
    desk.worker.shutdown()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_field_and_value_labels_follow_the_language(language: str) -> None:
    from recuperation import messages
    from ui.widgets.audit_view import field_name, value_text

    messages.set_language(language)
    try:
        zh = language == "zh"
        assert field_name("partner", "contact_phone") == ("联系电话" if zh else "contact phone")
        assert field_name("batch", "agreement_id") == ("协议" if zh else "agreement")
        assert value_text("certification", "status", "site_inspection", {}) == (
            "实地考察" if zh else "Site inspection"
        )
        assert (
            value_text("batch", "agreement_id", "74", {("agreement_id", "74"): "JDGH-2021-01"})
            == "JDGH-2021-01"
        )
        assert value_text("batch", "agreement_id", "75", {}) == "75"  # gone from the records: its id
    finally:
        messages.set_language("zh")
