"""The partners and agreements page on the demo database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from PySide6.QtCore import QDate, Qt

from recuperation.services import partners as service
from recuperation.storage.database import Database
from tests.factories import valid_uscc
from tests.ui_helpers import Answers, type_text, wait_idle, wait_page
from ui.desk import Desk
from ui.pages.agreements import AgreementsPage
from ui.widgets.dialogs import Button


@pytest.fixture
def page(qtbot, demo_db: Database):
    page = AgreementsPage(Desk(demo_db))
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    wait_page(qtbot, page)
    yield page
    page.desk.worker.shutdown()


def names(panel) -> list[str]:
    return [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())]


def select(qtbot, panel, name: str) -> None:
    assert panel.select_key(next(r.id for r in panel.model.rows if panel.label(r) == name))
    qtbot.waitUntil(lambda: panel.current is not None and panel.label(panel.current) == name)


def test_opens_sorted_by_pinyin_and_filters_as_you_type(qtbot, page: AgreementsPage) -> None:
    panel = page.partners
    assert panel.proxy.rowCount() == 30
    shown = names(panel)
    assert (
        shown.index("杭州市总工会") < shown.index("宁波大学") < shown.index("浙江大学")
    )  # hang < ning < zhe
    type_text(panel.search, "宁波")
    assert sorted(names(panel)) == ["宁波大学", "宁波市鄞州区总工会", "浙江海港集团"]  # name or region
    type_text(panel.search, "宁波 大学")
    assert names(panel) == ["宁波大学"]


def test_create_a_partner_with_a_refused_code_first(qtbot, page: AgreementsPage, monkeypatch) -> None:
    panel = page.partners
    panel.new_record()
    assert not panel.save_button.isEnabled()
    form = panel.form
    type_text(form.widgets["name"], "舟山港务集团")
    code = valid_uscc("330900")
    type_text(form.widgets["uscc"], code[:-1] + ("0" if code[-1] != "0" else "1"))
    assert "校验位不符" in form.error("uscc")
    assert panel.save_button.isEnabled()
    panel.save()
    assert panel.busy == 0  # refused at the field, nothing sent to the database
    type_text(form.widgets["uscc"], code)
    assert form.error("uscc") == ""
    type_text(form.widgets["contact_phone"], "0580-2012345")
    panel.save()
    qtbot.waitUntil(
        lambda: panel.current is not None and panel.current.name == "舟山港务集团", timeout=10_000
    )
    wait_idle(qtbot, panel)
    assert "舟山港务集团" in names(panel)
    assert service.find_partner(page.desk.db, "舟山港务集团").uscc == code
    assert not panel.save_button.isEnabled()


def test_a_duplicate_name_is_shown_at_the_field(qtbot, page: AgreementsPage) -> None:
    panel = page.partners
    panel.new_record()
    type_text(panel.form.widgets["name"], "宁波大学")
    panel.save()
    qtbot.waitUntil(lambda: panel.form.error("name") != "", timeout=10_000)
    assert "已存在" in panel.form.error("name")


def test_edit_and_a_stale_edit_offers_to_reload(qtbot, page: AgreementsPage, monkeypatch) -> None:
    panel = page.partners
    select(qtbot, panel, "宁波大学")
    type_text(panel.form.widgets["region"], "宁波市江北区风华路")
    panel.save()
    qtbot.waitUntil(lambda: panel.current.region == "宁波市江北区风华路", timeout=10_000)
    wait_idle(qtbot, panel)
    # another desk changes the same partner
    other = Database(page.desk.db.url, user="李秀兰")
    row = service.find_partner(other, "宁波大学")
    service.update_partner(
        other,
        row.id,
        row.version,
        service.PartnerInput(
            name=row.name, kind=row.kind, region="宁波市", uscc=row.uscc, contact_name="张老师"
        ),
    )
    other.close()
    answers = Answers(monkeypatch, Button.Yes)
    type_text(panel.form.widgets["region"], "我的修改")
    panel.save()
    qtbot.waitUntil(lambda: bool(answers.asked), timeout=10_000)
    assert "李秀兰" in answers.asked[0]
    qtbot.waitUntil(lambda: panel.form.value("contact_name") == "张老师", timeout=10_000)
    assert panel.form.value("region") == "宁波市" and not panel.is_dirty()


def test_delete_in_use_offers_archive(qtbot, page: AgreementsPage, monkeypatch) -> None:
    panel = page.partners
    select(qtbot, panel, "宁波大学")
    answers = Answers(monkeypatch, Button.Yes, Button.Yes)  # delete? yes; archive instead? yes
    panel.delete_current()
    qtbot.waitUntil(lambda: "宁波大学" not in names(panel), timeout=10_000)
    assert "确定删除“宁波大学”" in answers.asked[0] and "个批次" in answers.asked[1]
    assert service.find_partner(page.desk.db, "宁波大学").archived
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("archived"))
    qtbot.waitUntil(lambda: names(panel) == ["宁波大学"], timeout=10_000)


def test_declining_the_confirmation_deletes_nothing(qtbot, page: AgreementsPage, monkeypatch) -> None:
    panel = page.partners
    select(qtbot, panel, "浙江大学")
    Answers(monkeypatch, Button.No)
    panel.delete_current()
    assert panel.busy == 0 and "浙江大学" in names(panel)


def test_agreements_of_a_partner(qtbot, page: AgreementsPage, monkeypatch, tmp_path: Path) -> None:
    panel = page.partners
    select(qtbot, panel, "宁波大学")
    agreements = panel.agreements
    qtbot.waitUntil(lambda: bool(agreements.model.rows) and agreements.idle(), timeout=10_000)
    assert {a.partner for a in agreements.model.rows} == {"宁波大学"}
    agreements.new_record()
    form = agreements.form
    type_text(form.widgets["number"], "JDGH-XY-2026-101")
    form.widgets["valid_from"].setDate(QDate(2026, 6, 1))
    form.widgets["valid_to"].setDate(QDate(2026, 5, 1))
    agreements.save()
    qtbot.waitUntil(lambda: form.error("valid_to") != "", timeout=10_000)
    assert "早于起始日期" in form.error("valid_to")
    form.widgets["valid_to"].setDate(QDate(2029, 5, 31))
    form.widgets["quota_batches"].setValue(12)
    agreements.save()
    qtbot.waitUntil(
        lambda: agreements.current is not None and agreements.current.number == "JDGH-XY-2026-101",
        timeout=10_000,
    )
    wait_idle(qtbot, agreements)
    wait_idle(qtbot, panel)
    row = agreements.current
    assert (row.valid_to, row.quota_batches, row.quota_people) == (dt.date(2029, 5, 31), 12, None)
    bar_column = next(i for i, c in enumerate(agreements.model.columns) if c.bar)
    source = agreements.model.row_for_key(row.id)
    assert agreements.model.index(source, bar_column).data(Qt.ItemDataRole.UserRole + 3) == (0, 12)
    scan = tmp_path / "协议.pdf"
    scan.write_bytes(b"%PDF-1.4")
    monkeypatch.setattr("ui.pages.agreements.QFileDialog.getOpenFileName", lambda *a, **k: (str(scan), ""))
    agreements.attach_scan()
    qtbot.waitUntil(
        lambda: agreements.current is not None and bool(agreements.current.scan_path), timeout=10_000
    )
    assert Path(agreements.current.scan_path).read_bytes() == b"%PDF-1.4"


def test_leaving_a_record_with_unsaved_changes_asks(qtbot, page: AgreementsPage, monkeypatch) -> None:
    panel = page.partners
    select(qtbot, panel, "宁波大学")
    type_text(panel.form.widgets["region"], "未保存")
    answers = Answers(monkeypatch, Button.Cancel, Button.Discard)
    other = next(r.id for r in panel.model.rows if r.name == "浙江大学")
    panel.select_key(other)
    assert panel.current.name == "宁波大学" and panel.form.value("region") == "未保存"
    panel.select_key(other)
    qtbot.waitUntil(lambda: panel.current.name == "浙江大学")
    assert len(answers.asked) == 2 and "未保存的修改" in answers.asked[0]
    assert service.find_partner(page.desk.db, "宁波大学").region != "未保存"
