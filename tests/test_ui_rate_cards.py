"""价目表 on the base page: a card created with a summer season, seen in the list, a price edited, the card copied
to the next year and deleted; refusals (an overlap, a meal that is no meal, a price of three decimals) keep the
dialog open with what was typed; a stale edit is said and reloaded; the workbook exported, its errors shown
before anything is written, then imported; the tab and the dialog fit 1366×768 in Chinese and English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from PySide6.QtCore import QCoreApplication, QDate, QRect, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from recuperation.services import rates
from recuperation.services.rates import CardInput, LineInput
from recuperation.storage.database import Database
from tests.factories import certified_base, valid_uscc
from tests.ui_helpers import Answers, type_text, wait_idle, wait_page
from ui.desk import Desk
from ui.pages import rate_cards
from ui.pages.bases import BasesPage
from ui.pages.rate_cards import (
    ITEM,
    KIND,
    NOTES,
    PRICE,
    SEASON,
    UNIT,
    RateCardDialog,
    RateCardsView,
    new_card_input,
    next_year_copy,
    next_year_name,
    shift_year,
)
from ui.widgets.dialogs import Button
from ui.widgets.table import GOOD

Y = dt.date.today().year
D = dt.date


# -- what the tab computes ----------------------------------------------------------------------------------------


def test_a_year_later() -> None:
    assert shift_year(D(2025, 1, 1)) == D(2026, 1, 1)
    assert shift_year(D(2025, 12, 31)) == D(2026, 12, 31)
    assert shift_year(D(2023, 2, 28)) == D(2024, 2, 29)  # the end of February stays its end
    assert shift_year(D(2024, 2, 29)) == D(2025, 2, 28)
    assert shift_year(D(2024, 2, 28)) == D(2025, 2, 28)
    assert shift_year(D(2025, 7, 1)) == D(2026, 7, 1)
    assert next_year_name("2025年协议价", 2026) == "2026年协议价"
    assert next_year_name("2025-2026年度价目表", 2026) == "2026-2027年度价目表"
    assert next_year_name("团队价", 2026) == "团队价 2026"
    assert next_year_name("A12025B", 2026) == "A12025B 2026"  # digits inside a code are no year


def test_a_copy_moves_the_validity_and_the_seasons_and_keeps_the_rest() -> None:
    card = rates.CardRow(
        7,
        1,
        "寿昌宾馆",
        "2023 年协议价",
        D(2023, 3, 1),
        D(2024, 2, 29),
        "建德市寿昌宾馆有限公司",
        "91330182MA2H0000X1",
        "中国工商银行建德寿昌支行",
        "1202026709000123456",
        600,
        "团队价",
        3,
        "测试员",
        dt.datetime(2023, 1, 1),
        (
            rates.LineRow(1, "room", "twin", "per_room_night", 30000),
            rates.LineRow(2, "room", "twin", "per_room_night", 38000, D(2023, 7, 1), D(2023, 8, 31), "暑期"),
        ),
    )
    copy = next_year_copy(card)
    assert (copy.name, copy.valid_from, copy.valid_to) == ("2024 年协议价", D(2024, 3, 1), D(2025, 2, 28))
    assert (copy.invoice_title, copy.uscc, copy.bank_account, copy.tax_bp, copy.notes) == (
        "建德市寿昌宾馆有限公司",
        "91330182MA2H0000X1",
        "1202026709000123456",
        600,
        "团队价",
    )
    assert copy.lines == (
        LineInput("room", "twin", "per_room_night", 30000),
        LineInput("room", "twin", "per_room_night", 38000, D(2024, 7, 1), D(2024, 8, 31), "暑期"),
    )


def test_a_new_card_starts_where_the_last_ends() -> None:
    assert new_card_input(1, [], D(2026, 5, 4), "{0}年价目表") == CardInput(
        1, "2026年价目表", D(2026, 1, 1), D(2026, 12, 31)
    )
    last = replace(
        _row(D(2026, 1, 1), D(2026, 12, 31)), invoice_title="寿昌宾馆", bank_account="123", tax_bp=300
    )
    made = new_card_input(1, [last], D(2026, 11, 20), "{0}年价目表")
    assert (made.name, made.valid_from, made.valid_to) == ("2027年价目表", D(2027, 1, 1), D(2027, 12, 31))
    assert (made.invoice_title, made.bank_account, made.tax_bp, made.lines) == ("寿昌宾馆", "123", 300, ())
    # a card long past does not date a new one back
    old = _row(D(2021, 1, 1), D(2021, 12, 31))
    assert new_card_input(1, [old], D(2026, 3, 1), "{0}").valid_from == D(2026, 1, 1)
    # in the last quarter the bases send next year's prices: next year is proposed, with or without a card
    for today in (D(2026, 10, 1), D(2026, 12, 3)):
        made = new_card_input(1, [old], today, "{0}年价目表")
        assert (made.name, made.valid_from, made.valid_to) == ("2027年价目表", D(2027, 1, 1), D(2027, 12, 31))
    assert new_card_input(1, [], D(2026, 9, 30), "{0}年价目表").name == "2026年价目表"
    # a card covering this whole year already (whichever is the latest): next year, from its 1 January
    this_year, older = _row(D(2026, 1, 1), D(2026, 12, 31)), _row(D(2025, 1, 1), D(2025, 12, 31))
    made = new_card_input(1, [older, this_year], D(2026, 2, 14), "{0}年价目表")
    assert (made.name, made.valid_from, made.valid_to) == ("2027年价目表", D(2027, 1, 1), D(2027, 12, 31))
    # a card for half of this year: the rest of it follows, not next year
    spring = _row(D(2026, 1, 1), D(2026, 6, 30))
    made = new_card_input(1, [spring], D(2026, 2, 14), "{0}年价目表")
    assert (made.valid_from, made.valid_to) == (D(2026, 7, 1), D(2027, 6, 30))
    # next year's card on file already, in the autumn: the year after
    ahead = _row(D(2027, 1, 1), D(2027, 12, 31))
    assert new_card_input(1, [this_year, ahead], D(2026, 11, 2), "{0}").valid_from == D(2028, 1, 1)


def _row(first: dt.date, last: dt.date) -> rates.CardRow:
    return rates.CardRow(
        1, 1, "基地", "卡", first, last, "", "", "", "", 600, "", 1, "测试员", dt.datetime(2020, 1, 1)
    )


# -- the tab -----------------------------------------------------------------------------------------------------


@pytest.fixture
def tab(qtbot: Any, db: Database) -> Iterator[tuple[RateCardsView, Any, Database]]:
    base = certified_base(db, "寿昌宾馆", beds=80, until=D(2099, 12, 31))
    desk = Desk(db)
    page = BasesPage(desk)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait_page(qtbot, page)
    panel = page.bases
    assert panel.select_key(base.id)
    panel.tabs.setCurrentWidget(panel.rate_cards)
    view = panel.rate_cards
    qtbot.waitUntil(lambda: view.busy == 0 and view.base is not None and view.base.id == base.id)
    yield view, base, db
    desk.worker.shutdown()


def opened(qtbot: Any, view: RateCardsView, action: Any) -> RateCardDialog:
    action()
    dialog = view.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def save(qtbot: Any, dialog: RateCardDialog) -> None:
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)


def set_date(dialog: RateCardDialog, key: str, day: dt.date) -> None:
    dialog.head.widgets[key].setDate(QDate(day.year, day.month, day.day))  # type: ignore[attr-defined]


def shown(view: RateCardsView, model: Any, column: int) -> list[str]:
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_a_card_with_a_season_edited_copied_to_next_year_and_deleted(
    qtbot: Any, tab: Any, monkeypatch: Any
) -> None:
    view, base, db = tab
    monkeypatch.setattr(rate_cards, "today", lambda: D(Y, 5, 4))  # spring: this year's card is proposed
    assert view.cards.rows == [] and not view.edit_button.isEnabled() and view.new_button.isEnabled()

    # 新建价目表…: this year from 1 January, the rooms a base with beds prices, in rows to fill
    dialog = opened(qtbot, view, view.new_card)
    assert dialog.head.value("name") == f"{Y}年价目表"
    assert dialog.validity() == (D(Y, 1, 1), D(Y, 12, 31)) and dialog.head.value("tax_bp") == "6%"
    lines = dialog.lines
    assert lines.row_count() == 2
    assert [lines.cell(r, ITEM).currentText() for r in range(2)] == ["标准间", "单人间"]
    assert lines.cell(0, UNIT).currentText() == "每间每晚"
    type_text(dialog.head.widgets["name"], f"{Y} 年协议价")
    type_text(dialog.bank.widgets["invoice_title"], "建德市寿昌宾馆有限公司")
    type_text(dialog.bank.widgets["uscc"], valid_uscc())
    type_text(lines.cell(0, PRICE), "300")
    lines.table.setCurrentCell(1, KIND)  # 单人间: the base has none
    lines.remove_line()
    assert lines.row_count() == 1
    # the summer: 标准间 at ¥380 from 1 July to 31 August
    lines.table.setCurrentCell(0, KIND)
    lines.add_button.click()
    assert lines.row_count() == 2 and lines.cell(1, KIND).currentData() == "room"
    type_text(lines.cell(1, ITEM).lineEdit(), "标准间")
    season = lines.cell(1, SEASON)
    season.check.setChecked(True)
    assert season.dates() == (D(Y, 1, 1), D(Y, 12, 31))  # the card's validity to begin with
    season.first.setDate(QDate(Y, 7, 1))
    season.last.setDate(QDate(Y, 8, 31))
    type_text(lines.cell(1, PRICE), "￥380")
    type_text(lines.cell(1, NOTES), "暑期")
    # breakfast: a meal is per person, typed as an amount with its thousands
    lines.add_button.click()
    kind = lines.cell(2, KIND)
    kind.setCurrentIndex(kind.findData("meal"))
    assert [lines.cell(2, UNIT).itemData(i) for i in range(lines.cell(2, UNIT).count())] == ["per_person"]
    items = lines.cell(2, ITEM)
    assert [items.itemText(i) for i in range(items.count())] == ["早餐", "午餐", "晚餐"]
    items.setCurrentIndex(0)
    type_text(lines.cell(2, PRICE), "25.50")
    save(qtbot, dialog)
    wait_idle(qtbot, view)

    assert [c.name for c in view.cards.rows] == [f"{Y} 年协议价"]
    assert shown(view, view.cards, 1) == [f"{Y}年1月1日–12月31日"]
    validity = view.cards.index(0, 1)  # the card valid today: its validity green, and said so
    assert view.cards.data(validity, Qt.ItemDataRole.BackgroundRole).color() == GOOD
    assert view.cards.data(validity, Qt.ItemDataRole.ToolTipRole) == "今日有效"
    assert shown(view, view.cards, 2) == ["3"] and shown(view, view.cards, 3) == ["6%"]
    assert shown(view, view.cards, 4) == ["建德市寿昌宾馆有限公司"]
    assert shown(view, view.lines, 0) == ["标准间", "标准间", "早餐"]
    assert view.lines.data(view.lines.index(2, 0), Qt.ItemDataRole.ToolTipRole) == "餐饮：早餐"
    assert shown(view, view.lines, 1) == ["整个有效期", "7月1日–8月31日", "整个有效期"]  # the card's year
    assert shown(view, view.lines, 2) == ["¥300.00", "¥380.00", "¥25.50"]
    assert shown(view, view.lines, 3) == ["每间每晚", "每间每晚", "每人"]
    assert "开票单位：建德市寿昌宾馆有限公司" in view.details.text()
    (card,) = rates.list_cards(db, base.id)
    assert [(li.item, li.price_fen, li.first_day, li.last_day, li.notes) for li in card.lines] == [
        ("twin", 30000, None, None, ""),
        ("twin", 38000, D(Y, 7, 1), D(Y, 8, 31), "暑期"),
        ("breakfast", 2550, None, None, ""),
    ]

    # 编辑…: the summer goes to ¥360
    dialog = opened(qtbot, view, view.edit_card)
    assert dialog.lines.cell(1, SEASON).dates() == (D(Y, 7, 1), D(Y, 8, 31))
    assert dialog.lines.cell(1, PRICE).text() == "380.00"
    type_text(dialog.lines.cell(1, PRICE), "360")
    save(qtbot, dialog)
    wait_idle(qtbot, view)
    assert shown(view, view.lines, 2) == ["¥300.00", "¥360.00", "¥25.50"]
    (card,) = rates.list_cards(db, base.id)
    assert card.lines[1].price_fen == 36000 and card.version == 2

    # 复制为新一年…: next year, the season a year on, the prices as they were until changed
    dialog = opened(qtbot, view, view.copy_card)
    assert dialog.head.value("name") == f"{Y + 1} 年协议价"
    assert dialog.validity() == (D(Y + 1, 1, 1), D(Y + 1, 12, 31))
    assert dialog.lines.cell(1, SEASON).dates() == (D(Y + 1, 7, 1), D(Y + 1, 8, 31))
    assert dialog.bank.value("invoice_title") == "建德市寿昌宾馆有限公司"
    assert dialog.note.isVisibleTo(dialog) and "顺延一年" in dialog.note.text()
    type_text(dialog.lines.cell(0, PRICE), "310")
    save(qtbot, dialog)
    wait_idle(qtbot, view)
    assert [c.name for c in view.cards.rows] == [f"{Y} 年协议价", f"{Y + 1} 年协议价"]
    assert view.current().name == f"{Y + 1} 年协议价"  # the new card is shown
    assert shown(view, view.lines, 1) == ["整个有效期", "7月1日–8月31日", "整个有效期"]
    assert shown(view, view.lines, 2) == ["¥310.00", "¥360.00", "¥25.50"]
    old, new = rates.list_cards(db, base.id)
    assert [li.price_fen for li in old.lines] == [30000, 36000, 2550]  # the old card is as it was
    assert (new.valid_from, new.valid_to, new.uscc) == (D(Y + 1, 1, 1), D(Y + 1, 12, 31), old.uscc)

    # 删除: asked first, then gone
    answers = Answers(monkeypatch, Button.Yes)
    view.delete_button.click()
    qtbot.waitUntil(lambda: view.busy == 0 and len(view.cards.rows) == 1, timeout=10_000)
    assert f"价目表“{Y + 1} 年协议价”" in answers.asked[0] and "价格 3 行" in answers.asked[0]
    assert [c.name for c in rates.list_cards(db, base.id)] == [f"{Y} 年协议价"]
    assert view.current().name == f"{Y} 年协议价"


def _card(base_id: int, year: int = Y, **changes: Any) -> CardInput:
    values: dict[str, Any] = {
        "base_id": base_id,
        "name": f"{year} 年协议价",
        "valid_from": D(year, 1, 1),
        "valid_to": D(year, 12, 31),
        "invoice_title": "建德市寿昌宾馆有限公司",
        "uscc": valid_uscc(),
        "lines": (
            LineInput("room", "twin", "per_room_night", 30000),
            LineInput("room", "twin", "per_room_night", 38000, D(year, 7, 1), D(year, 8, 31)),
            LineInput("meal", "breakfast", "per_person", 2500),
        ),
    }
    values.update(changes)
    return CardInput(**values)


def test_refusals_keep_the_dialog_open_with_what_was_typed(qtbot: Any, tab: Any) -> None:
    view, base, db = tab
    rates.create_card(db, _card(base.id))
    view.reload()
    qtbot.waitUntil(lambda: view.busy == 0 and len(view.cards.rows) == 1)

    dialog = opened(qtbot, view, view.new_card)
    assert dialog.validity() == (D(Y + 1, 1, 1), D(Y + 1, 12, 31))  # the day after this year's card ends
    assert dialog.bank.value("invoice_title") == "建德市寿昌宾馆有限公司"  # the base's invoice details
    type_text(dialog.head.widgets["name"], "暑期特价")
    set_date(dialog, "valid_from", D(Y, 7, 1))
    set_date(dialog, "valid_to", D(Y, 8, 31))
    lines = dialog.lines
    type_text(lines.cell(0, PRICE), "350")
    type_text(lines.cell(1, PRICE), "380.125")  # three decimals: refused here, before the service is asked
    dialog.save_button.click()
    assert "“380.125”超过两位小数" in lines.error.text() and lines.error.isVisibleTo(dialog)
    assert lines.table.currentRow() == 1 and dialog.isVisible() and view.busy == 0 and dialog.busy == 0
    type_text(lines.cell(1, PRICE), "280")

    # the card overlaps this year's: the service's message at 有效期起, the dialog open, the typing kept
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.busy == 0 and bool(dialog.head.error("valid_from")), timeout=10_000)
    message = dialog.head.error("valid_from")
    assert f"价目表“暑期特价”（{Y}-07-01 至 {Y}-08-31）与价目表“{Y} 年协议价”" in message
    assert "有效期重叠" in message
    assert dialog.isVisible() and dialog.head.value("name") == "暑期特价"
    assert lines.cell(0, PRICE).text() == "350" and lines.cell(1, PRICE).text() == "280"
    assert len(rates.list_cards(db, base.id)) == 1

    # a meal that is no meal: said at its line
    set_date(dialog, "valid_from", D(Y + 1, 7, 1))
    set_date(dialog, "valid_to", D(Y + 1, 8, 31))
    lines.add_button.click()
    kind = lines.cell(2, KIND)
    kind.setCurrentIndex(kind.findData("meal"))
    type_text(lines.cell(2, ITEM).lineEdit(), "夜宵")
    type_text(lines.cell(2, PRICE), "30")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.busy == 0 and bool(lines.error.text()), timeout=10_000)
    assert "餐饮的项目“夜宵”应为早餐、午餐或晚餐" in lines.error.text()
    assert lines.table.currentRow() == 2 and dialog.head.error("valid_from") == ""
    assert dialog.isVisible() and len(rates.list_cards(db, base.id)) == 1

    # a season outside the card
    lines.cell(2, ITEM).setEditText("晚餐")
    season = lines.cell(2, SEASON)
    season.check.setChecked(True)
    season.last.setDate(QDate(Y + 1, 9, 30))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.busy == 0 and "超出了价目表的有效期" in lines.error.text(), timeout=10_000)
    season.check.setChecked(False)
    save(qtbot, dialog)
    wait_idle(qtbot, view)
    assert [c.name for c in view.cards.rows] == [f"{Y} 年协议价", "暑期特价"]


def test_a_stale_edit_is_said_and_reloaded(qtbot: Any, tab: Any, monkeypatch: Any) -> None:
    view, base, db = tab
    card = rates.create_card(db, _card(base.id))
    view.reload()
    qtbot.waitUntil(lambda: view.busy == 0 and len(view.cards.rows) == 1)
    dialog = opened(qtbot, view, view.edit_card)
    # another desk raises the breakfast meanwhile
    other = card.as_input()
    rates.update_card(
        db,
        card.id,
        card.version,
        replace(other, lines=(*other.lines[:2], replace(other.lines[2], price_fen=2800))),
    )
    type_text(dialog.lines.cell(0, PRICE), "320")
    answers = Answers(monkeypatch, Button.Yes)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(answers.asked) and dialog.busy == 0, timeout=10_000)
    assert f"价目表“寿昌宾馆 {Y} 年协议价”已被 测试员" in answers.asked[0]
    assert "版本 2，您编辑的是版本 1" in answers.asked[0] and "现在重新载入吗" in answers.asked[0]
    # reloaded: the other desk's breakfast, this desk's typing gone, the new version
    qtbot.waitUntil(lambda: dialog.lines.cell(2, PRICE).text() == "28.00", timeout=10_000)
    assert dialog.lines.cell(0, PRICE).text() == "300.00" and dialog.version == 2
    type_text(dialog.lines.cell(0, PRICE), "320")
    save(qtbot, dialog)
    wait_idle(qtbot, view)
    (saved,) = rates.list_cards(db, base.id)
    assert [li.price_fen for li in saved.lines] == [32000, 38000, 2800] and saved.version == 3


def _price_column(sheet: Any) -> int:
    return next(c for c, cell in enumerate(sheet[1], start=1) if str(cell.value).rstrip("*") == "单价（元）")


def test_the_workbook_exported_previewed_with_its_errors_and_imported(
    qtbot: Any, tab: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    view, base, db = tab
    rates.create_card(db, _card(base.id))
    view.reload()
    qtbot.waitUntil(lambda: view.busy == 0 and len(view.cards.rows) == 1)
    said: list[str] = []
    view.desk.status.connect(said.append)
    target = tmp_path / "价目表"
    monkeypatch.setattr(
        "ui.pages.rate_cards.QFileDialog.getSaveFileName", lambda *_a, **_k: (str(target), "")
    )
    view.export_cards(all_bases=False)
    wait_idle(qtbot, view)
    path = target.with_name("价目表.xlsx")
    assert path.exists() and any("已导出 1 份价目表（价格 3 行）" in s for s in said)

    book = openpyxl.load_workbook(path)
    sheet = book["价格明细"]
    price = _price_column(sheet)
    assert [sheet.cell(r, price).value for r in (2, 3, 4)] == [300, 380, 25]
    sheet.cell(2, price).value = 320  # the whole year's twin
    sheet.cell(4, price).value = "二十五"  # a cell that is no amount
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    view.start_import(bad)
    qtbot.waitUntil(lambda: view.preview is not None and view.preview.plan is not None, timeout=10_000)
    preview = view.preview
    assert preview.isVisible() and not preview.import_button.isEnabled()
    assert preview.problem_view.isVisibleTo(preview)
    (problem,) = preview.problems.rows
    assert (problem.sheet, problem.row) == ("价格明细", 4) and "不是金额" in problem.message
    assert "错误 1 处" in preview.summary.text() and "未写入任何数据" in preview.summary.text()
    preview.reject()
    assert [li.price_fen for li in rates.list_cards(db, base.id)[0].lines] == [30000, 38000, 2500]

    sheet.cell(4, price).value = 26.5
    good = tmp_path / "good.xlsx"
    book.save(good)
    view.start_import(good)
    qtbot.waitUntil(
        lambda: view.preview is not None and view.preview is not preview and view.preview.plan is not None,
        timeout=10_000,
    )
    preview = view.preview
    assert not preview.problem_view.isVisibleTo(preview) and preview.import_button.isEnabled()
    assert preview.rows.data(preview.rows.index(0, 1)) == "修改"
    assert preview.rows.data(preview.rows.index(0, 4)) == "价格：新增 0，删除 0，修改 2"
    assert "标准间 300.00元/每间每晚 → 标准间 320.00元/每间每晚" in preview.change_details(
        preview.rows.rows[0]
    )
    assert [li.price_fen for li in rates.list_cards(db, base.id)[0].lines] == [30000, 38000, 2500]
    preview.import_button.click()
    qtbot.waitUntil(lambda: not preview.isVisible() and view.busy == 0, timeout=10_000)
    assert [li.price_fen for li in rates.list_cards(db, base.id)[0].lines] == [32000, 38000, 2650]
    assert any("修改 1 份" in s for s in said)
    qtbot.waitUntil(lambda: view.busy == 0 and shown(view, view.lines, 2)[0] == "¥320.00", timeout=10_000)


# -- the office screen ------------------------------------------------------------------------------------------

#: The English proposed for this tab's strings, used where the translation files do not have them yet (the
#: lead adds them to resources/translations): the English layout is checked with English words.
PROPOSED_EN = {
    "价目表": "Rate cards",
    "{0}年价目表": "Rate card {0}",
    "今日有效": "Valid today",
    "{0}：{1}": "{0}: {1}",
    "价格": "Prices",
    "价格数": "Prices",
    "价格（含税）": "Prices (tax included)",
    "价格：新增 {0}，删除 {1}，修改 {2}": "prices: {0} added, {1} removed, {2} changed",
    "保存": "Save",
    "修改": "Changed",
    "全部基地的价目表…": "Rate cards of all bases…",
    "删除": "Delete",
    "删除这一行": "Remove this line",
    "单价": "Unit price",
    "单价（元）": "Price (yuan)",
    "取消": "Cancel",
    "变化": "Changes",
    "名称": "Name",
    "基地": "Base",
    "基地：{0}　价格均含税；不填季节的价格适用于整个有效期。": (
        "Base: {0}.  Prices include tax; a price without a season holds for the whole validity."
    ),
    "备注": "Notes",
    "复制为新一年…": "Copy for next year…",
    "复制为新一年：{0}": "Copy for next year: {0}",
    "季节": "Season",
    "导入": "Import",
    "导入…": "Import…",
    "导入价目表：{0}": "Import rate cards: {0}",
    "导出…": "Export…",
    "工作表": "Sheet",
    "开户银行": "Bank",
    "开票单位": "Invoicing unit",
    "开票单位：{0}　统一社会信用代码：{1}\n开户银行：{2}　账号：{3}": (
        "Invoicing unit: {0}   Credit code: {1}\nBank: {2}   Account: {3}"
    ),
    "整个有效期": "Whole validity",
    "新增": "New",
    "新建价目表…": "New rate card…",
    "有效期": "Valid",
    "有效期至": "Valid to",
    "有效期起": "Valid from",
    "未变": "Unchanged",
    "添加价格": "Add a price",
    "税率": "Tax rate",
    "类别": "Kind",
    "结果": "Result",
    "统一社会信用代码": "Unified social credit code",
    "编辑…": "Edit…",
    "编辑价目表：{0}": "Edit rate card: {0}",
    "行号": "Row",
    "计价单位": "Unit",
    "银行账号": "Bank account",
    "错误": "Error",
    "错误（改正文件后重新导入）": "Errors (correct the file and import again)",
    "问题": "Problem",
    "项目": "Item",
    "有效期和各季节已顺延一年，价格和开票信息照旧：请按基地新一年的报价核对后保存（保存时新建一份价目表，"
    "原价目表不变）。": (
        "The validity and every season are a year later; the prices and invoice details are as they were: "
        "check them against the base's offer for the new year before saving (saving adds a new rate card; "
        "the old one stays)."
    ),
    "读取价目表 {0} 份、价格 {1} 行：将新增 {2} 份，修改 {3} 份，未变 {4} 份；错误 {5} 处。": (
        "Read {0} rate cards and {1} prices: {2} would be added, {3} changed, {4} left unchanged; {5} errors."
    ),
    "文件中的每份价目表将按文件写入（包括它的全部价格）；文件没有列出的价目表不变。确认后才会写入。": (
        "Each rate card in the file is written as the file has it (all its prices); rate cards the file "
        "does not list stay as they are. Nothing is written until you confirm."
    ),
}
CONTEXTS = (
    "BasesPanel",
    "RateCardsView",
    "SeasonCell",
    "LinesEditor",
    "RateCardDialog",
    "RatesImportDialog",
    "ImportPreview",
)
SCREEN = (1366, 768)
AVAILABLE = QRect(0, 0, 1366, 728)  # what a 1366×768 screen leaves beside a task bar


class _Proposed(QTranslator):
    def __init__(self, parent: Any, words: dict[tuple[str, str], str]):
        super().__init__(parent)
        self.words = words

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return self.words.get((context, source))

    def isEmpty(self) -> bool:
        return False


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    from ui.i18n import install_translator

    translator = install_translator(qapp, request.param)
    proposed = None
    if request.param == "en":
        missing = {
            (context, source): english
            for context in CONTEXTS
            for source, english in PROPOSED_EN.items()
            if QCoreApplication.translate(context, source) == source
        }
        proposed = _Proposed(qapp, missing)
        qapp.installTranslator(proposed)
    try:
        yield request.param
    finally:
        if proposed is not None:
            qapp.removeTranslator(proposed)
        qapp.removeTranslator(translator)
        install_translator(qapp, "zh_CN")


def test_the_tab_and_the_dialogs_fit_the_office_screen(
    qtbot: Any, db: Database, language: str, monkeypatch: Any, tmp_path: Path
) -> None:
    from recuperation.rates_workbook import export_rates
    from ui.main_window import MainWindow
    from ui.widgets import fit
    from ui.widgets.fit import inside

    monkeypatch.setattr(fit, "available_screen", lambda _widget: QRect(AVAILABLE))
    base = certified_base(db, "建德新安江疗休养中心（职工培训基地）", beds=300, until=D(2099, 12, 31))
    rates.create_card(
        db,
        _card(
            base.id,
            Y - 1,
            name=f"{Y - 1} 年度团队协议价（含早）",
            invoice_title="建德市新安江职工疗休养中心有限责任公司",
            bank_name="中国工商银行股份有限公司建德新安江支行",
            bank_account="1202 0267 0900 0123 456",
            notes="每年 11 月前报下一年价格；暑期房价另计。",
        ),
    )
    rates.create_card(db, _card(base.id, Y))
    window = MainWindow(Desk(db), remember=False)
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    window.show_page("bases")
    qtbot.waitUntil(window.loaded, timeout=20_000)
    panel = window.pages["bases"].bases
    assert panel.select_key(base.id)
    panel.tabs.setCurrentWidget(panel.rate_cards)
    view = panel.rate_cards
    qtbot.waitUntil(lambda: window.loaded() and len(view.cards.rows) == 2, timeout=20_000)
    QApplication.processEvents()
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert least.width() <= SCREEN[0] and least.height() <= SCREEN[1], f"{language}: {least}"
    assert (window.width(), window.height()) == SCREEN
    if language == "en":  # the English checked is English
        assert view.copy_button.text() == "Copy for next year…"
        assert panel.tabs.tabText(panel.tabs.indexOf(view)) == "Rate cards"
    for widget in (
        view.new_button,
        view.edit_button,
        view.copy_button,
        view.delete_button,
        view.import_button,
        view.export_button,
        view.card_view,
        view.line_view,
        view.details,
    ):
        assert inside(widget, window), f"{language}: {widget}"
        assert widget.width() >= widget.minimumSizeHint().width(), f"{language}: {widget} squeezed"
    # every column of both lists within the tab, its header whole: 税率 and 开票单位 of the cards; 计价单位 whole
    # (it showed “每间每”) and 备注 of the prices, the cells of every column but the last whole
    for table, what in ((view.card_view, "the cards"), (view.line_view, "the prices")):
        header = table.horizontalHeader()
        assert header.length() <= table.viewport().width(), f"{language}, {what}: {header.length()} px"
        assert not table.horizontalScrollBar().isVisible(), f"{language}, {what} scroll sideways"
        for column in range(header.count()):
            name = table.model().headerData(column, Qt.Orientation.Horizontal)
            assert header.sectionSize(column) >= header.sectionSizeHint(column), f"{language}: {name} cut"
            if column < header.count() - 1 and column != 0:  # the names may be cut, with their tooltip
                assert table.columnWidth(column) >= table.sizeHintForColumn(column), f"{language}: {name}"
    assert view.lines.rows and any(
        view.lines.data(view.lines.index(r, 3)) for r in range(len(view.lines.rows))
    )

    def fits(dialog: Any, buttons: list[Any]) -> None:
        dialog.show()
        qtbot.waitExposed(dialog)
        QApplication.processEvents()
        least = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
        assert least.width() <= AVAILABLE.width() and least.height() <= AVAILABLE.height()
        assert dialog.width() <= AVAILABLE.width() and dialog.height() <= AVAILABLE.height()
        for button in buttons:
            assert inside(button, dialog), f"{language}: {button.text()}"

    dialog = opened(qtbot, view, view.copy_card)
    fits(dialog, [dialog.save_button, dialog.lines.add_button, dialog.lines.remove_button])
    table = dialog.lines.table
    columns = sum(table.columnWidth(c) for c in range(table.columnCount()))
    assert columns <= table.viewport().width(), f"{language}: the prices' columns need {columns} px"
    season = dialog.lines.cell(1, SEASON)
    assert season.last.isVisible() and inside(season.last, dialog)  # a season's two dates shown whole
    dialog.lines.dirty = False
    dialog.done(0)

    path = export_rates(db, tmp_path / "rates.xlsx").path
    view.start_import(path)
    qtbot.waitUntil(lambda: view.preview is not None and view.preview.plan is not None, timeout=10_000)
    fits(view.preview, [view.preview.import_button])
    view.preview.done(0)
    assert (window.width(), window.height()) == SCREEN
    window.desk.worker.shutdown()
