"""Work that fails (issue 18): every page says so and stays usable.

Each page's loading job is made to fail the two ways a job fails: an unexpected error (it reaches the exception
hook, the crash dialog) and a refusal (a DomainError, said in one warning).  Afterwards nothing is left busy,
and once the fault is gone a refresh (F5) shows the data.  A save that fails leaves the form as the user typed it.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

import pytest

from PySide6.QtWidgets import QWidget

from recuperation.errors import DomainError
from recuperation.storage.database import Database
from tests.ui_helpers import Answers, type_text, wait_page
from ui.batch.page import BatchesPage
from ui.desk import Desk
from ui.pages.agreements import AgreementsPage, PartnersPanel
from ui.pages.bases import BasesPage
from ui.pages.dashboard import DashboardPage
from ui.pages.routes import RoutesPage
from ui.pages.settings import SettingsPage
from ui.pages.statistics import StatisticsPage

REFUSAL = "另一个工作台或程序正在写入数据库"


def refusal() -> DomainError:
    return DomainError("db.busy", path="desk.db", seconds=5)


class Faults:
    """Makes service functions fail, and records what reaches the exception hook and the warnings."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.monkeypatch = monkeypatch
        self.hooked: list[BaseException] = []
        self.answers = Answers(monkeypatch)
        self.originals: dict[str, Any] = {}
        monkeypatch.setattr(sys, "excepthook", lambda _kind, value, _tb: self.hooked.append(value))

    @property
    def warned(self) -> list[str]:
        return self.answers.warned

    def fail(self, target: str, error: BaseException) -> None:
        """``target`` ("package.module.name") raises ``error`` from now on."""
        module, name = target.rsplit(".", 1)
        owner = sys.modules[module]
        self.originals.setdefault(target, getattr(owner, name))

        def broken(*_args: Any, **_kwargs: Any) -> Any:
            raise error

        self.monkeypatch.setattr(owner, name, broken)

    def mend(self, target: str) -> None:
        module, name = target.rsplit(".", 1)
        self.monkeypatch.setattr(sys.modules[module], name, self.originals[target])


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Faults:
    return Faults(monkeypatch)


def busy(page: QWidget) -> list[str]:
    """The widgets of ``page`` (and the page) whose busy counter is not back to 0."""
    widgets = [page, *page.findChildren(QWidget)]
    return [type(w).__name__ for w in widgets if isinstance(getattr(w, "busy", None), int) and w.busy]


@pytest.fixture
def make(qtbot: Any, demo_db: Database) -> Any:
    """Makes a page on the demo database, shown at the office screen's size (not yet activated)."""
    made: list[Any] = []

    def page_of(page_class: type) -> Any:
        page = page_class(Desk(demo_db))
        qtbot.addWidget(page)
        page.resize(1366, 768)
        page.show()
        made.append(page)
        return page

    yield page_of
    for page in made:
        page.desk.worker.shutdown()


# What each page's loading job calls, made to fail, and how to see the data is back.
PAGES: dict[str, tuple[type, str, Any]] = {
    "dashboard": (
        DashboardPage,
        "ui.pages.dashboard.collect_alerts",
        lambda page: page.data.this_year is not None and page.figures["batches"].text() not in ("", "—", "0"),
    ),
    "agreements": (
        AgreementsPage,
        "recuperation.services.partners.list_partners",
        lambda page: page.partners.model.rowCount() > 0,
    ),
    "bases": (
        BasesPage,
        "recuperation.services.bases.list_bases",
        lambda page: page.bases.model.rowCount() > 0,
    ),
    "routes": (
        RoutesPage,
        "recuperation.services.routes.list_routes",
        lambda page: page.routes.model.rowCount() > 0,
    ),
    "batches": (
        BatchesPage,
        "recuperation.services.batch.batches.list_batches",
        lambda page: page.batches.model.rowCount() > 0,
    ),
    "statistics": (
        StatisticsPage,
        "ui.pages.statistics.period_stats",
        lambda page: page.stats is not None and page.stats.batches > 0,
    ),
    "settings": (
        SettingsPage,
        "recuperation.services.policy.get_policy",
        lambda page: page.policy is not None and page.form.value("union_name") != "",
    ),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_whose_loading_fails_says_so_and_loads_after_f5(
    qtbot, make: Any, faults: Faults, name: str
) -> None:
    page_class, target, shows_data = PAGES[name]
    page = make(page_class)

    faults.fail(target, RuntimeError("the disk went away"))
    page.activate()
    qtbot.waitUntil(lambda: bool(faults.hooked) and not busy(page), timeout=15_000)
    assert all(isinstance(e, RuntimeError) for e in faults.hooked) and not faults.warned
    assert not page.loaded()

    faults.fail(target, refusal())
    page.refresh()  # F5
    qtbot.waitUntil(lambda: bool(faults.warned) and not busy(page), timeout=15_000)
    assert all(REFUSAL in text for text in faults.warned)
    assert len(faults.hooked) == len([e for e in faults.hooked if isinstance(e, RuntimeError)])

    faults.mend(target)
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded() and not busy(page), timeout=15_000)
    assert shows_data(page)


# The tabs of the selected batch, and the calendar: what each loads, and what shows it loaded.
BATCH_TABS: dict[str, tuple[str, Any]] = {
    "roster": (
        "recuperation.services.batch.rosters.list_participants",
        lambda page: page.batches.roster.model.rowCount() > 0,
    ),
    "lodging": (
        "recuperation.services.batch.edit.get_details",
        lambda page: page.batches.lodging.table.rowCount() > 0,
    ),
    "rooms": (
        "recuperation.services.batch.rooms.rooms_per_night",
        lambda page: page.batches.rooms.rooms.rowCount() > 0,
    ),
    "planner": (
        "ui.batch.planner.planner_view",
        lambda page: page.planner.canvas.view is not None and bool(page.planner.canvas.view.batches),
    ),
}


def choose(page: BatchesPage, code: str) -> None:
    panel = page.batches
    assert panel.select_key(next(b.id for b in panel.model.rows if b.code == code))


@pytest.mark.parametrize("tab", list(BATCH_TABS))
def test_a_batch_tab_whose_loading_fails_says_so_and_loads_after_f5(
    qtbot, make: Any, faults: Faults, tab: str
) -> None:
    target, shows_data = BATCH_TABS[tab]
    page = make(BatchesPage)
    wait_page(qtbot, page)
    panel = page.batches

    def show_tab() -> None:
        if tab == "planner":
            page.views.setCurrentWidget(page.planner)
        else:
            choose(page, "L2021-0100")

    faults.fail(target, RuntimeError("the disk went away"))
    show_tab()
    qtbot.waitUntil(lambda: bool(faults.hooked) and not busy(page), timeout=15_000)
    assert all(isinstance(e, RuntimeError) for e in faults.hooked) and not faults.warned
    assert not shows_data(page)  # nothing of another batch (or month) stands under this one
    if tab == "lodging":  # a batch whose lodging could not be read is not saved with none
        type_text(panel.form.widgets["vehicle"], "浙A·12345")
        assert not panel.save() and panel.busy == 0
        assert faults.warned and "住宿与行程" in faults.warned.pop()
        panel.revert()  # reads the lodging again: still failing
        qtbot.waitUntil(lambda: not busy(page), timeout=15_000)
        assert not panel.is_dirty() and not faults.warned

    faults.fail(target, refusal())
    page.refresh()  # F5
    qtbot.waitUntil(lambda: bool(faults.warned) and not busy(page), timeout=15_000)
    assert all(REFUSAL in text for text in faults.warned)

    faults.mend(target)
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded() and not busy(page) and shows_data(page), timeout=15_000)
    if tab != "planner":
        assert panel.current is not None and panel.current.code == "L2021-0100"


def test_a_failed_save_keeps_the_form_and_a_later_save_goes_through(
    qtbot, make: Any, faults: Faults, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = make(AgreementsPage)
    wait_page(qtbot, page)
    panel = page.partners
    calls = PartnersPanel.service_calls
    assert calls is not None
    chosen = panel.current
    type_text(panel.form.widgets["region"], "舟山市定海区")
    type_text(panel.form.widgets["contact_name"], "王工")

    def broken(error: BaseException) -> Any:
        def update(*_args: Any) -> Any:
            raise error

        return dataclasses.replace(calls, update=update)

    # an unexpected error: to the exception hook; the panel is not busy and the edits are all there
    monkeypatch.setattr(PartnersPanel, "service_calls", broken(RuntimeError("the disk went away")))
    panel.save()
    qtbot.waitUntil(lambda: bool(faults.hooked) and panel.busy == 0, timeout=10_000)
    assert panel.current is chosen and panel.is_dirty() and panel.save_button.isEnabled()
    assert (panel.form.value("region"), panel.form.value("contact_name")) == ("舟山市定海区", "王工")

    # a refusal naming a field: shown at that field, no dialog, the edits kept
    field_refusal = DomainError("field.required", field="contact_name", kind="合作单位", label="联系人")
    monkeypatch.setattr(PartnersPanel, "service_calls", broken(field_refusal))
    panel.save()
    qtbot.waitUntil(lambda: panel.busy == 0 and panel.form.error("contact_name") != "", timeout=10_000)
    assert not faults.warned and len(faults.hooked) == 1
    assert panel.form.value("region") == "舟山市定海区" and panel.is_dirty()

    # a refusal naming no field: one warning, the edits kept
    monkeypatch.setattr(PartnersPanel, "service_calls", broken(refusal()))
    panel.save()
    qtbot.waitUntil(lambda: panel.busy == 0 and bool(faults.warned), timeout=10_000)
    assert REFUSAL in faults.warned[0] and panel.form.value("region") == "舟山市定海区"

    monkeypatch.setattr(PartnersPanel, "service_calls", calls)
    panel.save()
    qtbot.waitUntil(
        lambda: panel.busy == 0 and not panel.is_dirty() and panel.current.region == "舟山市定海区",
        timeout=10_000,
    )
    assert panel.current.id == chosen.id and panel.current.contact_name == "王工"
    assert len(faults.hooked) == 1 and len(faults.warned) == 1


def test_a_job_asked_after_the_window_closed_is_not_run(make: Any) -> None:
    """The status bar recounts after a change that arrives as the window closes: nothing runs, nothing is
    left busy (it used to raise “cannot schedule new futures after shutdown”)."""
    from ui import operations

    page = make(DashboardPage)
    page.desk.worker.shutdown()
    future = operations.run(page, lambda: 1, lambda _result: None)
    assert future.cancelled() and page.busy == 0
