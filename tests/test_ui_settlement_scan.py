"""附件 on the settlement tab opens an invoice's scan only when the path the database holds lies inside the
program's scans folder (data_dir()/scans, links followed): a path written there by other means — another
file on the machine, a link out of the folder, ``..`` out of it — is refused with a message naming it, and a
scan that has gone is said to be gone; the scan saved with the invoice opens."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from recuperation.services import settlement
from recuperation.storage.paths import data_dir
from tests.test_rates import trip  # noqa: F401  (the fixture)
from tests.test_ui_settlement import setup, state  # noqa: F401  (the fixture)
from ui.batch import settlement as tab
from ui.widgets import dialogs

pytestmark = pytest.mark.ui


def test_a_scan_outside_the_scans_folder_is_never_opened(qtbot, setup, monkeypatch, tmp_path: Path) -> None:  # noqa: F811
    page, batch, base = setup
    view = page.batches.settlement
    db = page.desk.db
    source = tmp_path / "发票.pdf"
    source.write_bytes(b"%PDF-1.4")
    saved = settlement.record_invoice(
        db,
        batch.id,
        base.id,
        settlement.InvoiceInput("04512345", dt.date(2021, 7, 5), 362500),
        scan=source,
    )
    scans = (data_dir() / "scans").resolve()
    assert Path(saved.scan_path).resolve().parent == scans  # the copy the program keeps
    opened: list[str] = []
    warned: list[tuple[str, str]] = []
    monkeypatch.setattr(tab, "open_file", opened.append)
    monkeypatch.setattr(dialogs, "warn", lambda _parent, title, message: warned.append((title, message)))

    def stored_as(path: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(
                text("UPDATE base_invoice SET scan_path = :p WHERE id = :i"), {"p": path, "i": saved.id}
            )
        view.reload()
        state(qtbot, view, "received")
        qtbot.waitUntil(lambda: view.rows[0].invoice.scan_path == path, timeout=10_000)

    # the scan saved with the invoice opens
    view.reload()
    state(qtbot, view, "received")
    view.scan_button.click()
    assert opened == [str(Path(saved.scan_path).resolve())] and warned == []

    # elsewhere on the machine, a link out of the folder, “..” out of it, the folder itself: refused
    outside = tmp_path / "别处.pdf"
    outside.write_bytes(b"%PDF-1.4")
    link = scans / "链接.pdf"
    os.symlink(outside, link)
    for path in (str(outside), "/etc/passwd", str(link), str(scans / ".." / "别处.pdf"), str(scans)):
        stored_as(path)
        opened.clear()
        warned.clear()
        view.scan_button.click()
        assert opened == [], path
        ((title, message),) = warned
        assert title == "不能打开扫描件" and path in message and "不在本程序的扫描件文件夹" in message
        assert str(data_dir() / "scans") in message

    # inside the folder but gone: said so, nothing opened
    gone = str(scans / "已删除.pdf")
    stored_as(gone)
    opened.clear()
    warned.clear()
    view.scan_button.click()
    assert opened == [] and len(warned) == 1 and "已不存在" in warned[0][1] and gone in warned[0][1]


def test_the_scans_folder_check_follows_links(tmp_path: Path) -> None:
    scans = data_dir() / "scans"
    scans.mkdir(parents=True, exist_ok=True)
    inside = scans / "发票-1.pdf"
    inside.write_bytes(b"%PDF")
    assert tab.SettlementView.scan_file(str(inside)) == inside.resolve()
    out = tmp_path / "x.pdf"
    out.write_bytes(b"%PDF")
    (scans / "sub").mkdir(exist_ok=True)
    os.symlink(tmp_path, scans / "sub" / "out")
    assert tab.SettlementView.scan_file(str(scans / "sub" / "out" / "x.pdf")) is None
    assert tab.SettlementView.scan_file(str(out)) is None
    assert tab.SettlementView.scan_file("relative/发票.pdf") is None
    assert tab.SettlementView.scan_file("bad\x00name") is None
