"""Spending rules and insurance on the desktop: a pack's rule edited in the settings page (and a rule without
its source refused, naming it), a partner put in a pack from its form, a batch's insurance set through its
dialog and the insurer's list exported from it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from recuperation.services import insurance, partners, spending
from recuperation.services.batch import batches
from recuperation.storage.database import Database
from tests.factories import partner, person_id
from tests.test_spending import add, hangzhou, join_pack, ningbo
from tests.ui_helpers import Answers, type_text, wait_idle, wait_page
from ui.batch.page import BatchesPage
from ui.desk import Desk
from ui.pages.agreements import AgreementsPage
from ui.pages.settings import SettingsPage
from ui.pages.spending import AMOUNT, SOURCE

pytestmark = pytest.mark.ui

TODAY = dt.date.today()


@pytest.fixture
def settings_page(qtbot, db: Database):
    spending.seed_packs(db, [hangzhou(), ningbo()])
    desk = Desk(db)
    page = SettingsPage(desk)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_page(qtbot, page)
    yield page
    desk.worker.shutdown()


def test_edit_a_pack_rule_in_the_settings_page(
    qtbot, settings_page: SettingsPage, db: Database, monkeypatch
) -> None:
    panel = settings_page.spending
    # by pinyin: 杭 (hang) before 宁 (ning)
    assert [panel.list.item(r).text() for r in range(panel.list.count())] == [
        "杭州市（示例）",
        "宁波市（示例）",
    ]
    assert panel.select("杭州市（示例）")
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.name == "杭州市（示例）")
    table = panel.table
    assert table.rowCount() == 3 and table.text(0, AMOUNT) == "600.00" and table.text(2, AMOUNT) == "5"
    assert not panel.save_button.isEnabled()
    table.set_text(0, AMOUNT, "650")
    assert panel.save_button.isEnabled() and settings_page.has_edits()
    panel.save_button.click()
    wait_idle(qtbot, panel)
    qtbot.waitUntil(lambda: not panel.is_dirty(), timeout=10_000)
    saved = spending.find_pack(db, "杭州市（示例）")
    assert saved is not None and saved.rules[0].amount == 65000 and saved.version == 2

    # a rule added without its source: refused, naming the pack and the rule; the edits stay
    answers = Answers(monkeypatch)
    row = table.add_rule()
    table.set_text(row, AMOUNT, "3,000")
    table.set_choice(row, 0, "day_cap")  # a second day cap from 2030: needs dates not meeting the first
    table.set_text(row, 3, "2030-01-01")
    table.set_text(0, 4, "2029-12-31")
    panel.save_button.click()
    wait_idle(qtbot, panel)
    qtbot.waitUntil(lambda: bool(answers.warned), timeout=10_000)
    assert "第 4 条规则" in answers.warned[0] and "没有填写依据" in answers.warned[0]
    assert panel.is_dirty() and table.rowCount() == 4
    table.set_text(row, SOURCE, "2030 年新标准")
    panel.save_button.click()
    wait_idle(qtbot, panel)
    qtbot.waitUntil(lambda: not panel.is_dirty(), timeout=10_000)
    saved = spending.find_pack(db, "杭州市（示例）")
    assert saved is not None and [(r.kind, r.amount, r.valid_from, r.valid_to) for r in saved.rules][:2] == [
        ("day_cap", 65000, dt.date(2020, 1, 1), dt.date(2029, 12, 31)),
        ("day_cap", 300000, dt.date(2030, 1, 1), None),
    ]
    # an amount that is not one is named at its cell before anything is sent
    table.set_text(0, AMOUNT, "六百")
    panel.save_button.click()
    assert "第 1 条规则的“数额”" in answers.warned[-1]
    panel.revert_button.click()
    assert not panel.is_dirty()


def test_a_partner_joins_a_pack_from_its_form(qtbot, db: Database) -> None:
    made = spending.seed_packs(db, [hangzhou()])
    p = partner(db, "宁波大学")
    desk = Desk(db)
    page = AgreementsPage(desk)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_page(qtbot, page)
    panel = page.partners
    assert panel.select_key(p.id)
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == p.id)
    combo = panel.form.widgets["spending_pack_id"]
    assert [combo.itemText(i) for i in range(combo.count())] == ["无（不检查开支标准）", "杭州市（示例）"]
    combo.setCurrentIndex(combo.findData(made[0].id))
    assert panel.save_button.isEnabled()
    panel.save_button.click()
    wait_idle(qtbot, panel)
    qtbot.waitUntil(
        lambda: partners.find_partner(db, "宁波大学").spending_pack_id == made[0].id, timeout=10_000
    )  # type: ignore[union-attr]
    desk.worker.shutdown()


def test_set_insurance_for_a_batch_and_export_the_list(
    qtbot, db: Database, tmp_path: Path, monkeypatch
) -> None:
    pack = spending.create_pack(db, ningbo())
    p = partner(db, "宁波大学")
    join_pack(db, p, pack.id)
    arrival = TODAY + dt.timedelta(days=3)
    row = batches.create_batch(db, batches.BatchInput(p.id, arrival, arrival + dt.timedelta(days=2), 2))
    add(db, row.id, "职工甲", 801)
    add(db, row.id, "家属乙", 802, companion=True)
    desk = Desk(db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_page(qtbot, page)
    panel = page.batches
    page.open_batch(row.id)
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == row.id, timeout=10_000)
    wait_idle(qtbot, panel)

    panel.edit_insurance()
    dialog = panel.insurance_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.busy == 0 and dialog.cover is not None, timeout=10_000)
    assert "没有登记保单" in dialog.state.text() and "意外险不低于 1,000,000.00 元" in dialog.state.text()
    form = dialog.form
    # a new policy starts from the batch: its dates, everyone on the roster, the pack's minimums
    assert form.value("first_day") == arrival and form.value("last_day") == arrival + dt.timedelta(days=2)
    assert form.value("insured_count") == 2 and form.value("accident_fen") == 100000000
    assert form.widgets["accident_fen"].cleanText() == "1,000,000.00"  # the cover with its thousands
    assert not dialog.delete_button.isEnabled()
    # nothing to export before a policy is saved, and the button says so
    assert not dialog.export_button.isEnabled() and "保存保单后" in dialog.export_button.toolTip()
    assert re.search(r"保险\s*没有登记保险", panel.detail.toPlainText())
    type_text(form.widgets["insurer"], "中国人寿财产保险")
    type_text(form.widgets["policy_no"], "GL-2026-0001")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.busy == 0 and dialog.cover.policy is not None, timeout=10_000)
    assert "保险有效" in dialog.state.text()
    stored = insurance.get_insurance(db, row.id)
    assert stored is not None and (stored.insurer, stored.policy_no, stored.insured_count) == (
        "中国人寿财产保险",
        "GL-2026-0001",
        2,
    )
    assert dialog.delete_button.isEnabled() and not dialog.save_button.isEnabled()
    assert dialog.export_button.isEnabled() and "完整证件号" in dialog.export_button.toolTip()
    # 批次详情 follows: the policy, valid
    qtbot.waitUntil(
        lambda: (
            re.search(r"保险\s*中国人寿财产保险 GL-2026-0001，有效", panel.detail.toPlainText()) is not None
        ),
        timeout=10_000,
    )

    # one insured too few: saved, and said at once
    form.widgets["insured_count"].setValue(1)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.busy == 0 and dialog.cover.policy.insured_count == 1, timeout=10_000)
    assert "投保 1 人，少于名单上的 2 人" in dialog.state.text()
    qtbot.waitUntil(
        lambda: "GL-2026-0001，不符合要求：投保 1 人" in panel.detail.toPlainText(), timeout=10_000
    )

    target = tmp_path / "保险名单.xlsx"
    dialog.export_to(target)
    qtbot.waitUntil(lambda: dialog.busy == 0 and target.exists(), timeout=10_000)
    sheet = load_workbook(target).active
    assert sheet is not None
    numbers = [c.value for r in sheet.iter_rows() for c in r if c.value in (person_id(801), person_id(802))]
    assert numbers == [person_id(801), person_id(802)]

    answers = Answers(monkeypatch, __import__("ui.widgets.dialogs", fromlist=["Button"]).Button.Yes)
    dialog.delete_button.click()
    qtbot.waitUntil(lambda: dialog.busy == 0 and dialog.cover.policy is None, timeout=10_000)
    assert insurance.get_insurance(db, row.id) is None and answers.asked
    dialog.reject()
    desk.worker.shutdown()


def test_closing_the_insurance_with_typed_changes_asks_first(qtbot, db: Database, monkeypatch) -> None:
    """关闭 (or Esc, or ×) with typing not saved asks: save and close, close without it, or stay; a policy only
    proposed (the batch's dates and roster, nothing typed) closes without a question."""
    from ui.widgets.dialogs import Button

    p = partner(db, "宁波大学")
    arrival = TODAY + dt.timedelta(days=3)
    row = batches.create_batch(db, batches.BatchInput(p.id, arrival, arrival + dt.timedelta(days=2), 2))
    add(db, row.id, "职工甲", 801)
    desk = Desk(db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_page(qtbot, page)
    panel = page.batches
    page.open_batch(row.id)
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == row.id, timeout=10_000)
    wait_idle(qtbot, panel)

    def opened():
        panel.edit_insurance()
        dialog = panel.insurance_dialog
        qtbot.waitUntil(lambda: dialog.busy == 0 and dialog.cover is not None, timeout=10_000)
        return dialog

    answers = Answers(monkeypatch)  # no answer scripted: a question would fail the test
    dialog = opened()
    dialog.reject()  # only the proposal: closed without asking
    assert not dialog.isVisible() and answers.asked == []

    dialog = opened()
    type_text(dialog.form.widgets["insurer"], "中国人寿财产保险")
    answers.answers = [Button.Cancel, Button.Discard]
    dialog.reject()  # 取消: the dialog stays, with the typing
    assert dialog.isVisible() and dialog.form.value("insurer") == "中国人寿财产保险"
    assert "未保存的修改" in answers.asked[0] and row.code in answers.asked[0]
    dialog.reject()  # 不保存: closed, nothing saved
    assert not dialog.isVisible() and insurance.get_insurance(db, row.id) is None

    dialog = opened()
    type_text(dialog.form.widgets["insurer"], "中国人寿财产保险")
    type_text(dialog.form.widgets["policy_no"], "GL-2026-0002")
    dialog.form.widgets["accident_fen"].setValue(500000)
    answers.answers = [Button.Save]
    dialog.reject()  # 保存: saved on the worker, then closed
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    stored = insurance.get_insurance(db, row.id)
    assert stored is not None and (stored.policy_no, stored.accident_fen) == ("GL-2026-0002", 50000000)

    dialog = opened()  # a refusal keeps the dialog open at its field
    type_text(dialog.form.widgets["policy_no"], "")
    answers.answers = [Button.Save]
    dialog.reject()
    wait_idle(qtbot, dialog)
    assert dialog.isVisible() and dialog.form.error("policy_no")
    answers.answers = [Button.Discard]
    dialog.reject()
    assert not dialog.isVisible() and insurance.get_insurance(db, row.id).policy_no == "GL-2026-0002"
    desk.worker.shutdown()
