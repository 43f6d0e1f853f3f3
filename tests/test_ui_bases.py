"""Issue 17 on the desktop: the certification step's 说明 starts empty for each step; a credit code typed
in groups passes the form's length limit, and a refused one names the partner being typed."""

from __future__ import annotations

import datetime as dt

import pytest

from PySide6.QtCore import QDate

from recuperation.services import bases as base_service
from recuperation.storage.database import Database
from tests.factories import valid_uscc
from tests.ui_helpers import Answers, type_text, wait_page
from ui.desk import Desk
from ui.pages.agreements import AgreementsPage
from ui.pages.bases import BasesPage


@pytest.fixture
def desks():
    made: list[Desk] = []
    yield made
    for desk in made:
        desk.worker.shutdown()


def make(qtbot, cls, db: Database, desks: list[Desk]):
    desk = Desk(db)
    desks.append(desk)
    page = cls(desk)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    wait_page(qtbot, page)
    return page


def test_each_new_step_starts_with_an_empty_note(qtbot, desks, demo_db: Database, monkeypatch) -> None:
    base = base_service.create_base(demo_db, base_service.BaseInput(name="钦堂乡职工疗休养驿站", beds=40))
    base_service.apply_for_certification(demo_db, base.id, "county", dt.date(2021, 3, 1), "王建华")
    page = make(qtbot, BasesPage, demo_db, desks)
    panel = page.bases
    assert panel.select_key(base.id)
    cert = panel.certification
    qtbot.waitUntil(lambda: cert.busy == 0 and cert.current() is not None, timeout=10_000)
    answers = Answers(monkeypatch)

    # a refused step (dated before the application) keeps what was typed, so it can be corrected
    type_text(cert.step_notes, "材料齐全，进入初审")
    cert.step_date.setDate(QDate(2021, 2, 1))
    cert.step_choice.setCurrentIndex(cert.step_choice.findData("first_review"))
    cert.advance()
    qtbot.waitUntil(lambda: bool(answers.warned), timeout=10_000)
    assert "“初审”的日期 2021-02-01 早于上一步“申报”的日期 2021-03-01" in answers.warned[0]
    assert cert.step_notes.text() == "材料齐全，进入初审"

    cert.step_date.setDate(QDate(2021, 3, 10))
    cert.advance()
    qtbot.waitUntil(
        lambda: cert.busy == 0 and cert.current() is not None and cert.current().status == "first_review",
        timeout=10_000,
    )
    steps = cert.current().steps
    assert [(s.step, s.notes) for s in steps] == [("application", ""), ("first_review", "材料齐全，进入初审")]
    assert cert.step_notes.text() == ""  # the next step, 实地考察, does not inherit the 初审's note
    assert [cert.steps.rows[i].step for i in range(len(cert.steps.rows))] == ["application", "first_review"]


def test_a_credit_code_typed_in_groups_and_a_wrong_one_named(qtbot, desks, demo_db: Database) -> None:
    page = make(qtbot, AgreementsPage, demo_db, desks)
    panel = page.partners
    panel.new_record()
    form = panel.form
    code = valid_uscc("330900")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    type_text(form.widgets["uscc"], wrong)
    assert form.error("uscc").startswith("新合作单位：统一社会信用代码")  # no name typed yet
    type_text(form.widgets["name"], "舟山港务集团")
    type_text(form.widgets["uscc"], wrong)
    assert form.error("uscc").startswith("合作单位“舟山港务集团”：统一社会信用代码")
    type_text(form.widgets["uscc"], f"{code[:4]} {code[4:8]} {code[8:12]} {code[12:]}")
    assert form.error("uscc") == ""  # 21 characters typed, 18 once the spaces are gone
    type_text(form.widgets["uscc"], "9" * 19)
    assert "最多 18 个字符（现有 19 个）" in form.error("uscc")


def test_the_certificate_term_starts_on_the_step_date(qtbot, desks, demo_db: Database) -> None:
    """Recording 认定 a year late gives the certificate the step's date, not today's: 有效期起 follows the
    step's date and 有效期至 runs three years less a day, until the user sets them."""
    base = base_service.create_base(demo_db, base_service.BaseInput(name="钦堂乡职工疗休养驿站", beds=40))
    cert = base_service.apply_for_certification(demo_db, base.id, "county", dt.date(2021, 3, 1), "王建华")
    cert = base_service.advance_certification(
        demo_db, cert.id, cert.version, "first_review", dt.date(2021, 3, 10)
    )
    base_service.advance_certification(demo_db, cert.id, cert.version, "site_inspection", dt.date(2021, 4, 2))
    page = make(qtbot, BasesPage, demo_db, desks)
    panel = page.bases
    assert panel.select_key(base.id)
    view = panel.certification
    qtbot.waitUntil(lambda: view.busy == 0 and view.current() is not None, timeout=10_000)
    view.step_choice.setCurrentIndex(view.step_choice.findData("certified"))
    view.step_date.setDate(QDate(2021, 5, 20))
    assert view.valid_from.date().toPython() == dt.date(2021, 5, 20)
    assert view.valid_to.date().toPython() == dt.date(2024, 5, 19)
    view.valid_from.setDate(QDate(2021, 6, 1))  # the certificate's own start: it stays
    assert view.valid_to.date().toPython() == dt.date(2024, 5, 31)
    view.step_date.setDate(QDate(2021, 5, 21))
    assert view.valid_from.date().toPython() == dt.date(2021, 6, 1)
    view.valid_to.setDate(QDate(2024, 12, 31))
    view.valid_from.setDate(QDate(2021, 6, 2))
    assert view.valid_to.date().toPython() == dt.date(2024, 12, 31)
    view.valid_from.setDate(QDate(2021, 5, 21))
    type_text(view.certificate_no, "JD-2021-07")
    view.advance()
    qtbot.waitUntil(
        lambda: view.busy == 0 and view.current() is not None and view.current().status == "certified",
        timeout=10_000,
    )
    done = view.current()
    assert (done.valid_from, done.valid_to) == (dt.date(2021, 5, 21), dt.date(2024, 12, 31))
    # the next step starts from its own date again
    view.step_date.setDate(QDate(2022, 5, 21))
    assert view.valid_to.date().toPython() == dt.date(2025, 5, 20)
