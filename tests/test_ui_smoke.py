"""The desktop starts on a database, shows each page with data and the guide matches the README."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from recuperation.storage.database import Database

ROOT = Path(__file__).resolve().parents[1]


def test_user_guide_is_the_readmes_user_section() -> None:
    guide = (ROOT / "resources" / "guide" / "user-guide.md").read_text(encoding="utf-8").strip()
    assert guide in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "page", ["dashboard", "agreements", "bases", "routes", "batches", "statistics", "settings"]
)
def test_screenshot_mode_for_every_page(demo_path: Path, tmp_path: Path, page: str) -> None:
    shot = tmp_path / f"{page}.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "recuperation.cli",
            "--db",
            str(demo_path),
            "gui",
            "--page",
            page,
            "--screenshot",
            str(shot),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_main_window_status_bar(qtbot, demo_db: Database) -> None:
    from ui.desk import Desk
    from ui.main_window import MainWindow

    window = MainWindow(Desk(demo_db), remember=False)
    qtbot.addWidget(window)
    window.show()
    window.show_page("dashboard")
    qtbot.waitUntil(window.loaded, timeout=15_000)
    assert str(demo_db.path) in window.db_label.text()
    assert "批次 1,218" in window.count_label.text() and "团员 45,340" in window.count_label.text()
    assert window.pages["dashboard"].figures["batches"].text() != "—"
    window.desk.worker.shutdown()


def test_the_guide_follows_the_interface_language() -> None:
    from ui.i18n import settings
    from ui.main_window import user_guide

    assert "第一次使用" in user_guide() and "合作单位发来一份名单" in user_guide()
    settings().setValue("language", "en")
    assert user_guide().startswith("## User guide") and "A partner sends a list" in user_guide()


def test_a_screenshot_that_cannot_be_written_fails(demo_path: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "recuperation",
            "--db",
            str(demo_path),
            "gui",
            "--page",
            "routes",
            "--screenshot",
            str(tmp_path / "no-such-folder" / "x.png"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "截图没有保存" in result.stderr
