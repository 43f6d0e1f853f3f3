"""个人信息保存期限 in the settings page: the policy and today's latest date, the people due by year, a preview
for a chosen date, 匿名化… asking first (cannot be undone except from a backup) and running off the GUI thread;
for someone who may not administer users the button is disabled, its tooltip the reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from PySide6.QtCore import QDate, QRect, QSize
from PySide6.QtWidgets import QApplication, QScrollArea

from recuperation.access import Access
from recuperation.services import privacy
from recuperation.services.batch import rosters
from recuperation.storage.database import Database
from tests.test_privacy import BEFORE, office
from tests.ui_helpers import Answers
from ui.desk import Desk
from ui.i18n import install_translator
from ui.main_window import MainWindow
from ui.pages.privacy import PrivacyPanel
from ui.widgets import dialogs, fit, rights
from ui.widgets.fit import inside

SCREEN = QSize(1366, 768)


@pytest.fixture
def desks() -> Iterator[list[Desk]]:
    made: list[Desk] = []
    yield made
    for desk in made:
        desk.worker.shutdown()


def panel_of(qtbot: Any, db: Database, desks: list[Desk]) -> PrivacyPanel:
    desk = Desk(db)
    desks.append(desk)
    panel = PrivacyPanel(desk)
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    qtbot.waitUntil(lambda: panel.loaded_once and panel.busy == 0, timeout=15_000)
    return panel


def cells(model: Any) -> list[list[str]]:
    return [
        [str(model.index(r, c).data() or "") for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_the_panel_previews_asks_and_anonymises(
    qtbot: Any, db: Database, desks: list[Desk], monkeypatch: pytest.MonkeyPatch
) -> None:
    o = office(db)
    panel = panel_of(qtbot, db, desks)
    cutoff = privacy.cutoff_for(privacy.dt.date.today(), 3)
    assert "批次结束后 3 年" in panel.policy_label.text()
    assert f"{cutoff.year}年{cutoff.month}月{cutoff.day}日" in panel.policy_label.text()
    assert panel.done_label.text() == "还没有匿名化过任何人。"
    # both batches ended more than three years ago, one a year
    assert cells(panel.model) == [["2021", "1", "4"], ["2022", "1", "1"]]
    assert panel.before.maximumDate() == QDate(cutoff.year, cutoff.month, cutoff.day)
    assert panel.purge_button.isEnabled()

    panel.before.setDate(QDate(BEFORE.year, BEFORE.month, BEFORE.day))  # the preview follows the date
    qtbot.waitUntil(lambda: panel.busy == 0 and panel.plan is not None and panel.plan.before == BEFORE)
    assert cells(panel.model) == [["2021", "1", "4"]]
    assert "1 个批次的 4 人将被匿名化" in panel.summary.text()

    answers = Answers(monkeypatch, dialogs.Button.No)
    panel.purge_button.click()  # asked, and declined: nothing changes
    assert "不可撤销" in answers.asked[0] and "只能从匿名化之前的备份恢复" in answers.asked[0]
    assert "备份" in answers.asked[0].split("\n\n")[-1]
    assert rosters.list_participants(db, o.gone)[0].anonymised_on is None

    answers.answers.append(dialogs.Button.Yes)
    panel.purge_button.click()
    qtbot.waitUntil(lambda: bool(answers.informed) and panel.busy == 0, timeout=30_000)
    assert "已匿名化 1 个批次的 4 人" in answers.informed[0]
    assert {p.name for p in rosters.list_participants(db, o.gone)} == {"已匿名化"}
    assert {p.name for p in rosters.list_participants(db, o.kept)} == {"两批同人"}
    qtbot.waitUntil(lambda: "已匿名化：2021 年 4 人" in panel.done_label.text(), timeout=15_000)
    assert "没有待匿名化的人" in panel.summary.text()
    assert not panel.purge_button.isEnabled()


def test_someone_who_may_not_administer_users_sees_why(qtbot: Any, db: Database, desks: list[Desk]) -> None:
    office(db)
    db.access = Access("李查看", frozenset({"viewer"}))
    panel = panel_of(qtbot, db, desks)
    assert cells(panel.model) == [["2021", "1", "4"], ["2022", "1", "1"]]  # the plan is there to read
    assert not panel.purge_button.isEnabled()
    why = db.access.why_not("settings")
    assert rights.locked(panel.purge_button) == why and why in panel.purge_button.toolTip()
    assert "管理员" in why


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_panel_in_the_settings_page_on_the_office_screen(
    qtbot: Any, db: Database, language: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    office(db)
    app = QApplication.instance()
    translator = install_translator(app, language)
    monkeypatch.setattr(fit, "available_screen", lambda _widget: QRect(0, 0, 1366, 728))
    window = MainWindow(Desk(db), remember=False)
    try:
        qtbot.addWidget(window)
        window.resize(SCREEN)
        window.show()
        window.show_page("settings")
        page = window.pages["settings"]
        qtbot.waitUntil(lambda: page.privacy.loaded_once and page.privacy.busy == 0, timeout=20_000)
        page.findChild(QScrollArea).ensureWidgetVisible(page.privacy_box, 0, 0)
        QApplication.processEvents()
        assert window.size() == SCREEN
        assert inside(page.privacy.purge_button, window), "匿名化… is outside the window"
        picture = window.grab()
        assert not picture.isNull() and picture.size() == SCREEN
        picture.save(str(tmp_path / f"privacy-{language}.png"))
    finally:
        window.desk.worker.shutdown()
        app.removeTranslator(translator)
        install_translator(app, "zh_CN")
