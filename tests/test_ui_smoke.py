"""The desktop starts on a database and shows its figures without blocking the window."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from recuperation.db import Database


def test_main_window_shows_the_database_and_its_counts(qtbot, demo_db: Database) -> None:
    from ui.app import MainWindow

    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.loaded, timeout=10_000)
    status = window.statusBar().currentMessage()
    assert str(demo_db.path) in status and "批次 1218" in status and "团员 45256" in status
    assert "2021年" in window.summary.text() and "1,131 批次" in window.summary.text()
    window.close()


def test_screenshot_mode_writes_a_png(demo_path: Path, tmp_path: Path) -> None:
    shot = tmp_path / "dashboard.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "recuperation.cli",
            "--db",
            str(demo_path),
            "gui",
            "--page",
            "dashboard",
            "--screenshot",
            str(shot),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
