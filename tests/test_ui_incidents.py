"""事件 on the desktop: the fall at 寿昌宾馆 (tests/test_incidents.py) recorded from the batch's 反馈与事件 tab
with the people picked from the roster and shown masked; a refused date shown at its field; typed changes asked
about before they are lost; closed, reopened with a reason and closed again; the overview's severe alert
names it under 事件 until it is closed and opens the batch; the tab and the dialog fit 1366×768 in both languages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget

from recuperation.services import incidents
from recuperation.storage.database import Database
from tests.factories import person_id
from tests.test_incidents import ARRIVAL, fall, masked, trip  # noqa: F401  (the fixture)
from tests.ui_helpers import Answers, type_text, wait_page
from ui.batch.incidents import CloseDialog, IncidentDialog, IncidentsView
from ui.batch.page import BatchesPage
from ui.desk import Desk
from ui.main_window import MainWindow
from ui.widgets import dialogs
from ui.widgets.fit import inside
from ui.widgets.table import BAD

D = dt.date


@pytest.fixture
def setup(qtbot, db: Database, trip: dict[str, Any]) -> Iterator[tuple[BatchesPage, IncidentsView]]:  # noqa: F811
    desk = Desk(db)
    page = BatchesPage(desk)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_page(qtbot, page)
    panel = page.batches
    page.open_batch(trip["batch"].id)
    qtbot.waitUntil(
        lambda: panel.current is not None and panel.current.id == trip["batch"].id, timeout=10_000
    )
    panel.tabs.setCurrentWidget(panel.after_trip)
    view = next(v for v in panel.after_trip.views if isinstance(v, IncidentsView))
    panel.after_trip.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.busy == 0 and view.data is not None, timeout=10_000)
    yield page, view
    desk.worker.shutdown()


def set_date(form: Any, key: str, day: D) -> None:
    form.widgets[key].setDate(QDate(day.year, day.month, day.day))


def choose(form: Any, key: str, value: Any) -> None:
    combo = form.widgets[key]
    combo.setCurrentIndex(combo.findData(value))


def full_ids_shown(widget: QWidget) -> list[str]:
    """Every full ID number of the trip that any label, list or table of ``widget`` shows."""
    from PySide6.QtWidgets import QLabel, QListWidget, QTableView

    shown = []
    for label in widget.findChildren(QLabel):
        shown.append(label.text())
    for lst in widget.findChildren(QListWidget):
        shown += [lst.item(i).text() for i in range(lst.count())]
    for table in widget.findChildren(QTableView):
        model = table.model()
        shown += [
            str(model.index(r, c).data()) for r in range(model.rowCount()) for c in range(model.columnCount())
        ]
    text = "\n".join(shown)
    return [n for n in (person_id(k) for k in (601, 602, 603, 604)) if n in text]


def test_record_refuse_close_and_reopen_an_incident_from_the_batch_tab(
    qtbot,
    setup,
    trip: dict[str, Any],  # noqa: F811
    monkeypatch,
) -> None:
    page, view = setup
    db = page.desk.db
    assert "没有登记事件" in view.summary.text()
    assert (
        view.add_button.isEnabled() and not view.edit_button.isEnabled() and not view.close_button.isEnabled()
    )

    # 新增…: the roster to pick from is masked; a date 30 days before the arrival is refused at its field
    view.add_button.click()
    dialog = view.dialog
    assert isinstance(dialog, IncidentDialog) and dialog.isVisible()
    assert [dialog.people.item(i).text() for i in range(dialog.people.count())] == [
        f"职工甲（{masked(601)}）",
        f"职工乙（{masked(602)}）",
        f"家属丙（{masked(603)}）（家属）",
    ]
    assert dialog.form.value("reported_by") == db.user
    assert [dialog.form.widgets["base_id"].itemText(i) for i in range(3)] == [
        "（不指定基地）",
        "大慈岩景区",
        "寿昌宾馆",
    ]
    set_date(dialog.form, "occurred_on", D(2021, 4, 1))
    choose(dialog.form, "kind", "injury")
    choose(dialog.form, "severity", "serious")
    choose(dialog.form, "base_id", trip["lodge"].id)
    type_text(dialog.form.widgets["summary"], "职工甲在宾馆台阶滑倒，左脚踝扭伤")
    dialog.tick("职工甲")
    dialog.form.widgets["has_due"].setChecked(True)
    assert dialog.form.widgets["follow_up_due"].isEnabled()
    set_date(dialog.form, "follow_up_due", D(2021, 5, 20))
    dialog.form.widgets["follow_up"].setPlainText("回访伤情")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(dialog.form.error("occurred_on")), timeout=10_000)
    assert dialog.isVisible() and "早于批次 L2021-0001 到达（2021-05-10）前 30 天" in dialog.form.error(
        "occurred_on"
    )
    set_date(dialog.form, "occurred_on", ARRIVAL)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible() and view.busy == 0 and len(view.rows) == 1, timeout=10_000)
    (row,) = view.rows
    assert (row.kind, row.severity, row.base, row.follow_up_due) == (
        "injury",
        "serious",
        "寿昌宾馆",
        D(2021, 5, 20),
    )
    assert [p.participant_id for p in row.people] == [trip["people"]["职工甲"].id]
    # the list: the serious severity in red, open; the details under it, the person masked
    model = view.model
    assert [model.index(0, c).data() for c in range(6)] == [
        "5月10日",  # the batch says the year
        "受伤",
        "严重",
        "寿昌宾馆",
        "未结案",
        "职工甲在宾馆台阶滑倒，左脚踝扭伤",
    ]
    assert model.index(0, 2).data(8).color() == BAD  # BackgroundRole
    assert f"涉及人员：职工甲（{masked(601)}）" in view.detail.text()
    assert "后续跟进：回访伤情（期限 2021年5月20日，已过期）" in view.detail.text()
    assert "1 个事件，1 个未结案（其中严重 1 个" in view.summary.text()
    assert full_ids_shown(view) == []
    assert view.close_button.isEnabled() and not view.reopen_button.isEnabled()

    # 编辑…: a change typed and then cancelled is asked about; discarding it saves nothing
    answers = Answers(monkeypatch, dialogs.Button.Discard)
    view.edit_button.click()
    dialog = view.dialog
    assert dialog is not None and dialog.form.value("summary") == "职工甲在宾馆台阶滑倒，左脚踝扭伤"
    assert not dialog.save_button.isEnabled()  # nothing changed yet
    assert full_ids_shown(dialog) == []
    dialog.tick("职工乙")
    assert dialog.save_button.isEnabled()
    dialog.reject()
    assert answers.asked == ["这个事件有未保存的修改。是否保存？"] and not dialog.isVisible()
    assert incidents.get_incident(db, row.id).version == 1

    # 编辑… again, saved through the question: 职工乙 added, 较重 → the record follows
    answers.answers.append(dialogs.Button.Save)
    view.edit_button.click()
    dialog = view.dialog
    dialog.tick("职工乙")
    type_text(dialog.form.widgets["others"], "司机王师傅 13905710000")
    dialog.reject()  # asked: 保存
    qtbot.waitUntil(lambda: not dialog.isVisible() and view.busy == 0, timeout=10_000)
    qtbot.waitUntil(lambda: view.rows and view.rows[0].version == 2, timeout=10_000)
    assert view.rows[0].people_text == f"职工甲（{masked(601)}）、职工乙（{masked(602)}）"
    assert "其他涉及人员：司机王师傅 139****0000" in view.detail.text()

    # 关闭事件…: the outcome is required; then closed on the day given
    view.close_button.click()
    closing = view.close_dialog
    assert isinstance(closing, CloseDialog) and closing.isVisible()
    closing.save_button.click()
    assert "结果为必填项" in closing.form.error("outcome") and closing.isVisible()
    closing.form.widgets["outcome"].setPlainText("伤者康复，保险已理赔")
    set_date(closing.form, "closed_on", D(2021, 5, 9))  # before it happened: the service refuses at the field
    closing.save_button.click()
    qtbot.waitUntil(lambda: bool(closing.form.error("closed_on")), timeout=10_000)
    assert "早于事件日期 2021-05-10" in closing.form.error("closed_on")
    set_date(closing.form, "closed_on", D(2021, 5, 21))
    closing.save_button.click()
    qtbot.waitUntil(lambda: not closing.isVisible() and view.busy == 0, timeout=10_000)
    qtbot.waitUntil(lambda: view.rows and not view.rows[0].open, timeout=10_000)
    assert model.index(0, 4).data() == "已结案"
    assert f"2021年5月21日由{db.user}结案" in view.detail.text()
    assert not view.close_button.isEnabled() and view.reopen_button.isEnabled()
    assert not view.delete_button.isEnabled() and "不能删除" in view.delete_button.toolTip()

    # 重新打开…: the reason asked for in a prompt, then it is open again
    answers.answers.append("复查需手术")
    view.reopen_button.click()
    qtbot.waitUntil(lambda: view.busy == 0 and view.rows and view.rows[0].open, timeout=10_000)
    assert answers.prompts[-1]["ok"] == "重新打开"
    assert incidents.get_incident(db, row.id).version == 4


def test_the_overview_names_a_serious_incident_until_it_is_closed_and_opens_its_batch(
    qtbot,
    db: Database,
    trip: dict[str, Any],  # noqa: F811
) -> None:
    row = incidents.record_incident(db, fall(trip, severity="serious"))
    window = MainWindow(Desk(db), remember=False)
    qtbot.addWidget(window)
    window.show()
    window.show_page("dashboard")
    qtbot.waitUntil(window.loaded, timeout=15_000)
    page = window.pages["dashboard"]
    alert = next(a for a in page.data.alerts if a.rule == "incident_open")
    assert alert.severe and page.alert_kind(alert) == "事件"
    index = page.alerts.rows.index(alert)
    assert "职工甲在宾馆台阶滑倒" in page.alerts.index(index, len(page.alerts.columns) - 1).data()
    source = page.alerts.index(index, 0)
    page._open_alert(page.alert_view.model().mapFromSource(source))  # what a double-click does
    panel = window.pages["batches"].panels[0]
    qtbot.waitUntil(
        lambda: panel.current is not None and panel.current.id == trip["batch"].id, timeout=15_000
    )
    incidents.close_incident(db, row.id, row.version, outcome="已康复", on=D(2021, 5, 20))
    window.show_page("dashboard")
    qtbot.waitUntil(
        lambda: page.data is not None and not any(a.rule == "incident_open" for a in page.data.alerts),
        timeout=15_000,
    )
    window.desk.worker.shutdown()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_tab_and_the_dialog_fit_the_office_screen(
    qtbot,
    setup,
    trip: dict[str, Any],  # noqa: F811
    language: str,
) -> None:
    from recuperation import messages

    page, view = setup
    db = page.desk.db
    for severity, summary in (("serious", "职工甲在宾馆台阶滑倒，左脚踝扭伤"), ("minor", "房间空调噪音大")):
        incidents.record_incident(db, fall(trip, severity=severity, summary=summary))
    messages.set_language(language)
    try:
        view.load()
        qtbot.waitUntil(lambda: view.busy == 0 and len(view.rows) == 2, timeout=10_000)
        window = page.window()
        for button in (
            view.add_button,
            view.edit_button,
            view.close_button,
            view.reopen_button,
            view.delete_button,
        ):
            assert inside(button, window), button.text()
        view.add_button.click()
        dialog = view.dialog
        assert dialog is not None
        assert dialog.width() <= 1366 and dialog.height() <= 768 - 48
        assert inside(dialog.save_button, dialog)
        dialog.form.load({**dialog.form.values()})  # unchanged: closing asks nothing
        dialog.done(0)
    finally:
        messages.set_language("zh")
