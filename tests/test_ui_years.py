"""Pages open on a year with data: 团员查询 and 统计 opened on 2027 (one planned batch, 0 人次) in 2026."""

from __future__ import annotations

import datetime as dt

from recuperation.services import partners as partner_service
from recuperation.services.batch import batches as batch_service
from recuperation.storage.database import Database
from tests.ui_helpers import wait_page
from ui.desk import Desk
from ui.i18n import opening_year


def _plan_next_years_batch(db: Database) -> None:
    """A batch planned for the year after this one, with nobody on its roster yet."""
    partner = partner_service.list_partners(db)[0]
    arrival = dt.date(dt.date.today().year + 1, 1, 12)
    batch_service.create_batch(
        db, batch_service.BatchInput(partner.id, arrival, arrival + dt.timedelta(days=2), 30)
    )


def test_the_opening_year() -> None:
    today = dt.date(2026, 12, 2)
    assert opening_year([2021, 2027], today) == 2021
    assert opening_year([2021, 2026, 2027], today) == 2026
    assert opening_year([2027, 2028], today) == 2027
    assert opening_year([], today) is None


def test_people_and_statistics_open_on_a_year_with_data(qtbot, demo_db: Database) -> None:
    from ui.pages.statistics import StatisticsPage
    from ui.widgets.people_view import PeopleDialog

    _plan_next_years_batch(demo_db)  # the demo's batches are all in 2021
    desk = Desk(demo_db)
    try:
        people = PeopleDialog(desk, None)
        qtbot.addWidget(people)
        people.show()
        qtbot.waitUntil(lambda: people.loaded() and people.model.rowCount() > 0, timeout=15_000)
        assert people.year.currentData() == 2021
        assert people.year.findData(dt.date.today().year + 1) >= 0  # still offered
        assert people.count.text() != "0 人次"

        page = StatisticsPage(desk)
        qtbot.addWidget(page)
        page.show()
        wait_page(qtbot, page)
        assert page.year.currentData() == 2021
        assert page.stats is not None and page.stats.start == dt.date(2021, 1, 1)
    finally:
        desk.worker.shutdown()
