"""Shared desks on a real PostgreSQL server: moving an office's file there, two desks at once, the settings.

These run in the PostgreSQL pass (``--backend postgresql``), against the throwaway cluster the test set-up
starts; the rest of the core suite runs there too through the ``db``/``demo_db`` fixtures.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from recuperation.cli import main as cli_main
from recuperation.errors import DatabaseOpenError, StaleEditError
from recuperation.services import partners
from recuperation.storage.database import Database, open_database
from recuperation.storage.server import probe
from recuperation.transfer import copy_database

pytestmark = pytest.mark.pg_only


def _stats(capsys: pytest.CaptureFixture[str], target: str, year: str) -> dict[str, Any]:
    assert cli_main(["--db", target, "stats", "--year", year, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_an_office_file_moves_to_the_server_verified_and_untouched(
    demo_file: Path, tmp_path: Path, fresh_pg_database: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "office.db"
    source.write_bytes(demo_file.read_bytes())
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    target = fresh_pg_database()  # an empty database, as the office's administrator creates it

    assert cli_main(["--db", str(source), "copy-to", target, "--json"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["ok"] and "校验和全部一致" in err and "源数据库未改动" in err
    tables = {t["table"]: t for t in report["tables"]}
    assert tables["participant"]["target_rows"] == 45340 and tables["batch"]["target_rows"] == 1218
    for t in report["tables"]:
        assert (t["source_rows"], t["source_checksum"]) == (t["target_rows"], t["target_checksum"])
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before

    # The same figures from both databases, and the server hands out new numbers after the copied ones.
    assert _stats(capsys, str(source), "2021") == _stats(capsys, target, "2021")
    with open_database(target) as server:
        made = partners.create_partner(server, partners.PartnerInput(name="新加入的单位"))
        with server.engine.connect() as conn:
            assert made.id == conn.execute(text("SELECT max(id) FROM partner")).scalar_one()
            assert made.id > 1 and made.version == 1

    # A second copy into the now filled database is refused, naming what is there; nothing changes.
    assert cli_main(["--db", str(source), "copy-to", target]) == 1
    assert "已有数据" in capsys.readouterr().err
    with open_database(target) as server, server.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM participant")).scalar_one() == 45340


def test_a_copy_that_fails_half_way_leaves_the_server_empty(
    demo_file: Path, fresh_pg_database: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recuperation import transfer

    target = fresh_pg_database()
    real = transfer._copy_table

    def failing(source: Any, conn: Any, table: Any) -> None:
        if table.name == "participant":
            raise RuntimeError("the network went away")
        real(source, conn, table)

    monkeypatch.setattr(transfer, "_copy_table", failing)
    with pytest.raises(RuntimeError):
        copy_database(str(demo_file), target)
    with open_database(target) as server, server.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM batch")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM partner")).scalar_one() == 0


def test_a_stale_edit_waits_for_the_other_desk_then_is_refused(db: Database) -> None:
    made = partners.create_partner(db, partners.PartnerInput(name="宁波大学"))
    other = Database(db.url, user="李秀兰")
    try:
        with other.engine.connect() as conn:
            conn.begin()
            conn.execute(
                text(
                    "UPDATE partner SET region = '江北区', version = version + 1, updated_by = '李秀兰' WHERE id = :i"
                ),
                {"i": made.id},
            )
            outcome: list[BaseException | str] = []

            def save() -> None:
                try:
                    partners.update_partner(
                        db, made.id, made.version, partners.PartnerInput(name="宁波大学", region="鄞州区")
                    )
                    outcome.append("saved")
                except BaseException as exc:
                    outcome.append(exc)

            saver = threading.Thread(target=save)
            saver.start()
            time.sleep(0.5)
            assert saver.is_alive()  # the second desk waits on the first desk's row lock
            conn.commit()
            saver.join(15)
    finally:
        other.close()
    assert len(outcome) == 1 and isinstance(outcome[0], StaleEditError)
    assert "李秀兰" in outcome[0].message
    with db.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT region FROM partner WHERE id = :i"), {"i": made.id}).scalar_one()
            == "江北区"
        )


@pytest.mark.pg_owner  # it writes a newer revision into alembic_version
def test_a_newer_schema_on_the_server_is_refused_unchanged(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(DatabaseOpenError) as info:
        open_database(db.url)
    assert "比本程序" in info.value.message and "9999_from_the_future" in info.value.message
    assert probe(db.url).state == "newer"
    with db.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            == "9999_from_the_future"
        )


def test_probe_says_what_is_on_the_server(db: Database, fresh_pg_database: Any) -> None:
    assert probe(fresh_pg_database()).state == "empty"
    found = probe(db.url)
    assert found.state == "current" and found.batches == 0 and found.server.startswith("PostgreSQL")


def test_settings_test_the_connection_then_remember_it(qtbot: Any, db: Database, monkeypatch: Any) -> None:
    from sqlalchemy.engine import make_url

    from PySide6.QtWidgets import QDialogButtonBox

    from tests.ui_helpers import type_text
    from ui.desk import Desk
    from ui.i18n import stored_database
    from ui.pages.settings import SettingsPage
    from ui.widgets.server_dialog import ServerDialog

    url = make_url(db.url)
    desk = Desk(db)
    page = SettingsPage(desk)
    qtbot.addWidget(page)
    dialog = ServerDialog(desk.worker, page)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    type_text(dialog.host, str(url.host))
    dialog.port.setValue(int(url.port or 5432))
    type_text(dialog.database, str(url.database))
    type_text(dialog.user, str(url.username))
    assert not ok.isEnabled()  # not before the connection has been tested
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.result.text().startswith(("✓", "✗")), timeout=15_000)
    assert "PostgreSQL" in dialog.result.text() and "结构为最新" in dialog.result.text()
    assert ok.isEnabled()

    type_text(dialog.database, "no_such_database")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.result.text().startswith("✗"), timeout=15_000)
    assert "no_such_database" in dialog.result.text() and not ok.isEnabled()

    monkeypatch.setattr(ServerDialog, "exec", lambda self: ServerDialog.DialogCode.Accepted)
    monkeypatch.setattr(ServerDialog, "url", lambda self: db.url)
    from tests.ui_helpers import Answers

    answers = Answers(monkeypatch)
    page.choose_server()
    assert stored_database() == db.url and answers.informed
    assert "下次启动使用服务器数据库" in page.next_label.text()
    page.use_local()
    assert stored_database() is None
    desk.worker.shutdown()


def test_the_main_window_works_on_the_server(qtbot: Any, demo_db: Database) -> None:
    from tests.ui_helpers import wait_page
    from ui.desk import Desk
    from ui.main_window import MainWindow

    window = MainWindow(Desk(demo_db), remember=False)
    qtbot.addWidget(window)
    window.show()
    window.show_page("batches")
    page = window.pages["batches"]
    wait_page(qtbot, page)
    assert page.panels[0].proxy.rowCount() > 0
    window.desk.worker.shutdown()


@pytest.mark.pg_owner  # a copy reads everything, the full numbers too: the owner's (README, Backups)
def test_a_server_database_copies_back_into_a_file(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's backup of a server for one desk: copy-to a new SQLite file, verified the same way."""
    target = tmp_path / "office-copy.db"
    assert cli_main(["--db", demo_db.url, "copy-to", str(target)]) == 0
    assert "校验和全部一致" in capsys.readouterr().err
    assert _stats(capsys, demo_db.url, "2021") == _stats(capsys, str(target), "2021")


def test_settings_copy_this_desks_file_to_the_server(
    qtbot: Any, demo_file: Path, tmp_path: Path, fresh_pg_database: Any, monkeypatch: Any
) -> None:
    from tests.ui_helpers import Answers
    from ui.desk import Desk
    from ui.i18n import stored_database
    from ui.pages.settings import SettingsPage
    from ui.widgets import dialogs
    from ui.widgets.server_dialog import ServerDialog

    source = tmp_path / "office.db"
    source.write_bytes(demo_file.read_bytes())
    target = fresh_pg_database()
    monkeypatch.setattr(ServerDialog, "exec", lambda self: ServerDialog.DialogCode.Accepted)
    monkeypatch.setattr(ServerDialog, "connection", lambda self, with_password=True: target)
    monkeypatch.setattr(ServerDialog, "url", lambda self: target)
    answers = Answers(monkeypatch, dialogs.Button.Yes)  # use the server from now on
    with open_database(source) as db:
        desk = Desk(db)
        page = SettingsPage(desk)
        qtbot.addWidget(page)
        page.copy_to_server()
        qtbot.waitUntil(lambda: page.last_copy is not None, timeout=60_000)
        desk.worker.shutdown()
    assert page.last_copy.ok and page.busy == 0
    assert "校验和全部一致" in answers.asked[0] and stored_database() == target
    with open_database(target) as server, server.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM batch")).scalar_one() == 1218
