"""Test set-up: Qt offscreen, a private data folder and a fresh database for every test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--onscreen", action="store_true", help="show Qt windows on the real display")


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--onscreen"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("RECUPERATION_LANG", "zh")


@pytest.fixture(autouse=True)
def _private_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own data folder; nothing touches the user's real database or logs."""
    monkeypatch.setenv("RECUPERATION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RECUPERATION_USER", "测试员")
    monkeypatch.delenv("RECUPERATION_DB", raising=False)
    from recuperation import messages

    messages.set_language("zh")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.db"


@pytest.fixture
def db(db_path: Path):
    """A fresh, migrated, empty database."""
    from recuperation.db import open_database

    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-year demo, built once per test session (about a second)."""
    from recuperation.db import open_database
    from recuperation.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(path)
    build_demo(database, 1)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture
def demo_path(demo_file: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database for one test."""
    target = tmp_path / "demo.db"
    shutil.copy(demo_file, target)
    return target


@pytest.fixture
def demo_db(demo_path: Path):
    from recuperation.db import open_database

    database = open_database(demo_path)
    yield database
    database.close()
