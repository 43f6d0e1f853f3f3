"""The partner's statement from the desk: the agreement form's 结算方式 and 未到退费比例 saved through the service,
and 打印对账单… for the selected partner: the year asked, the PDF made off the GUI thread and previewed; its
text names the partner and the hand-computed total."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from recuperation.services import partners as service
from recuperation.storage.database import Database
from tests.test_charges import Year, build_year
from tests.ui_helpers import Answers, wait_idle, wait_page
from ui.desk import Desk
from ui.pages.agreements import AgreementsPage

pytestmark = pytest.mark.ui


@pytest.fixture
def year(db: Database) -> Year:
    return build_year(db)


@pytest.fixture
def page(qtbot, db: Database, year: Year):
    page = AgreementsPage(Desk(db))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_page(qtbot, page)
    yield page
    page.desk.worker.shutdown()


def select_partner(qtbot, page: AgreementsPage, name: str) -> None:
    panel = page.partners
    assert panel.select_key(next(r.id for r in panel.model.rows if r.name == name))
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.name == name)
    wait_idle(qtbot, panel.agreements)


def test_print_the_partners_statement_from_the_desk(qtbot, page: AgreementsPage, monkeypatch) -> None:
    select_partner(qtbot, page, "宁波大学")
    panel = page.partners
    answers = Answers(monkeypatch, "2021")
    panel.print_statement()
    qtbot.waitUntil(lambda: panel.preview is not None, timeout=20_000)
    assert answers.prompts[0]["title"] == "打印对账单" and "宁波大学" in answers.prompts[0]["label"]
    # offered: the latest year the partner has batches in (2021 and 2022), not this year without any
    assert answers.prompts[0]["text"] == "2022"
    preview = panel.preview
    assert preview.isVisible() and preview.document.pageCount() >= 1
    assert Path(preview.path).exists()
    text = "".join(p.extract_text() for p in PdfReader(preview.path).pages)
    assert "宁波大学" in text and "应收金额合计 7,170.00 元" in text
    preview.close()


def test_a_year_without_batches_or_not_a_year_is_refused(qtbot, page: AgreementsPage, monkeypatch) -> None:
    select_partner(qtbot, page, "宁波大学")
    panel = page.partners
    answers = Answers(monkeypatch, "二〇二一", "2019", None)
    panel.print_statement()  # the years with batches read first, then the question
    qtbot.waitUntil(lambda: len(answers.prompts) == 1, timeout=20_000)
    assert answers.warned and "不是年份" in answers.warned[-1]  # refused at once, no statement asked for
    wait_idle(qtbot, panel)
    panel.print_statement()
    qtbot.waitUntil(lambda: len(answers.warned) == 2, timeout=20_000)
    assert "2019 年没有批次" in answers.warned[-1] and "2021, 2022" in answers.warned[-1]
    panel.print_statement()  # cancelled: nothing happens
    qtbot.waitUntil(lambda: len(answers.prompts) == 3, timeout=20_000)
    wait_idle(qtbot, panel)
    assert panel.preview is None and len(answers.warned) == 2


def test_the_agreement_form_saves_the_charge_basis_and_credit(
    qtbot, page: AgreementsPage, year: Year
) -> None:
    select_partner(qtbot, page, "宁波大学")
    agreements = page.partners.agreements
    assert agreements.select_key(year.unpriced.id)
    qtbot.waitUntil(lambda: agreements.current is not None and agreements.current.id == year.unpriced.id)
    form = agreements.form
    assert form.value("charge_basis") == "price" and form.value("no_show_credit_bp") == 0
    basis = form.widgets["charge_basis"]
    basis.setCurrentIndex(basis.findData("cost"))
    form.widgets["no_show_credit_bp"].setValue(37.5)
    assert form.widgets["no_show_credit_bp"].suffix() == " %"
    agreements.save()
    qtbot.waitUntil(lambda: agreements.current.charge_basis == "cost", timeout=10_000)
    wait_idle(qtbot, agreements)
    saved = next(
        a for a in service.list_agreements(page.desk.db, year.partner.id) if a.id == year.unpriced.id
    )
    assert (saved.charge_basis, saved.no_show_credit_bp) == ("cost", 3750)
    column = next(c for c, col in enumerate(agreements.model.columns) if col.header == "结算方式")
    row = next(
        r for r in range(agreements.proxy.rowCount()) if agreements.proxy.index(r, 0).data() == "NB-2021-未定"
    )
    assert agreements.proxy.index(row, column).data() == "据实结算"
