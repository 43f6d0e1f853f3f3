"""Test set-up: Qt offscreen, a private data folder and a fresh database for every test.

``--backend sqlite`` (the default) gives every test an SQLite file; ``--backend postgresql`` (or
``RECUPERATION_TEST_BACKEND=postgresql``) starts a throwaway PostgreSQL cluster (tests/pg_cluster.py) and gives
every test its own database on it, copied from a migrated template.  Tests marked ``sqlite_only`` are about
SQLite files and are skipped there; tests marked ``pg_only`` run only on that backend.  When no server can
be started the PostgreSQL tests are skipped with the reason, except under CI (``CI=true``), where that is a
failure: CI must not skip them.
"""

from __future__ import annotations

import gc
import itertools
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_names = itertools.count(1)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--onscreen", action="store_true", help="show Qt windows on the real display")
    parser.addoption(
        "--backend",
        choices=("sqlite", "postgresql"),
        default=os.environ.get("RECUPERATION_TEST_BACKEND", "sqlite"),
        help="the database the core tests run on (postgresql starts a throwaway cluster)",
    )
    parser.addoption(
        "--pg-login",
        default=os.environ.get("RECUPERATION_TEST_PG_LOGIN", ""),
        help="PostgreSQL: the db and demo_db fixtures sign in as this login, which holds every role but does "
        "not own the schema (tests marked pg_owner keep the owner)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--onscreen"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("RECUPERATION_LANG", "zh")


#: The fixtures through which a test reaches the database under test (``--backend``): a test with none of them
#: works the same on both runs, and the PostgreSQL run skips it.
DATABASE_FIXTURES = frozenset(
    {"db", "demo_db", "demo_path", "db_target", "fresh_pg_database", "pg_cluster", "pg_templates", "backend"}
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    backend = config.getoption("--backend")
    for item in items:
        if item.path.name.startswith("test_ui_"):
            item.add_marker(pytest.mark.ui)
        if backend == "postgresql" and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="about SQLite files; not applicable to PostgreSQL"))
        if backend == "postgresql" and item.get_closest_marker("sqlite_run"):
            item.add_marker(
                pytest.mark.skip(reason="heavy and the same on either database: the SQLite run does it")
            )
        if backend == "sqlite" and item.get_closest_marker("pg_only"):
            item.add_marker(pytest.mark.skip(reason="needs the PostgreSQL run (--backend postgresql)"))
        if (
            backend == "postgresql"
            and not item.get_closest_marker("pg_only")
            and not DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        ):
            # a test that opens no database does the same work on either run: once is enough
            item.add_marker(pytest.mark.skip(reason="opens no database: run once, in the SQLite run"))


def pytest_report_header(config: pytest.Config) -> str:
    login = config.getoption("--pg-login")
    return f"database backend: {config.getoption('--backend')}" + (f", signed in as {login}" if login else "")


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--backend"))


@pytest.fixture(autouse=True)
def _private_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own data folder; nothing touches the user's real database or logs."""
    monkeypatch.setenv("RECUPERATION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RECUPERATION_USER", "测试员")
    monkeypatch.delenv("RECUPERATION_DB", raising=False)
    from recuperation import messages

    messages.set_language("zh")


@pytest.fixture(autouse=True)
def _garbage_collected_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """What the desktop does (ui/collector.py), for the tests that drive windows: no automatic collection
    while a test's worker thread may be at work; the test's cycles are collected after it, once its windows
    are closed and its workers stopped (this fixture is set up first, so it is torn down last).  Two CI runs
    died of a segmentation fault in an automatic collection inside a UI test.  Tests without windows keep
    Python's own collector."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


@pytest.fixture(autouse=True)
def _no_unexpected_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody expected fails the test at once instead of waiting forever for a click
    (tests that expect one answer it with tests.ui_helpers.Answers, which replaces these)."""
    dialogs = sys.modules.get("ui.widgets.dialogs")
    if dialogs is None:
        return

    def unexpected(_parent: Any, title: str, text: str, *_args: Any) -> Any:
        raise AssertionError(f"unexpected dialog “{title}”: {text}")

    for name in ("ask", "warn", "info", "ask_text"):
        monkeypatch.setattr(dialogs, name, unexpected)


# --- PostgreSQL -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """A real PostgreSQL server for this test session, or a skip saying why there is none (a failure in CI)."""
    from tests.pg_cluster import ClusterUnavailable, PgCluster

    try:
        cluster = PgCluster().start()
    except ClusterUnavailable as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI must run the PostgreSQL tests, but no server could be started: {exc}")
        pytest.skip(f"no PostgreSQL server could be started here: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_templates(pg_cluster: Any) -> dict[str, str]:
    """Template databases built once: ``empty`` (migrated) and ``demo`` (the one-year demo)."""
    from recuperation.demo import build_demo
    from recuperation.storage.database import open_database

    pg_cluster.create_database("tpl_empty")
    open_database(pg_cluster.url("tpl_empty")).close()
    pg_cluster.create_database("tpl_demo", template="tpl_empty")
    database = open_database(pg_cluster.url("tpl_demo"))
    build_demo(database, 1)
    database.close()
    return {"empty": "tpl_empty", "demo": "tpl_demo"}


@pytest.fixture(scope="session")
def pg_login(request: pytest.FixtureRequest) -> str:
    """The login the db and demo_db fixtures sign in as on PostgreSQL (``--pg-login``), "" for the owner.

    It is made once per test session, a member of every group role of the templates' databases (their copies
    keep the templates' role prefix, so it holds every role in each of them), and it owns nothing."""
    login = str(request.config.getoption("--pg-login"))
    if not login or request.config.getoption("--backend") != "postgresql":
        return ""
    from recuperation.access import ROLES
    from recuperation.storage.server_access import role_prefix_for

    cluster = request.getfixturevalue("pg_cluster")
    prefix = role_prefix_for(request.getfixturevalue("pg_templates")["empty"])
    groups = ", ".join(f'"{prefix}{role}"' for role in ROLES)
    cluster.execute(f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{login}') THEN CREATE ROLE "{login}" LOGIN; END IF;
END $$""")
    cluster.execute(f'GRANT {groups} TO "{login}"')
    return login


def _signed_in(url: str, request: pytest.FixtureRequest) -> str:
    """``url`` with the --pg-login login in it, unless the test must be the owner (marked pg_owner)."""
    login = request.getfixturevalue("pg_login")
    if not login or request.node.get_closest_marker("pg_owner"):
        return url
    from sqlalchemy.engine import make_url

    from recuperation.access import ROLES
    from recuperation.storage.database import open_database
    from recuperation.storage.server_access import role_prefix_for

    # A copy of a template gets its own roles when its owner first opens it (server_access.is_copy): the owner
    # opens it once, as an office's administrator would, and gives the login every role of it.
    open_database(url).close()
    name = make_url(url).database
    assert name
    prefix = role_prefix_for(name)
    groups = ", ".join(f'"{prefix}{role}"' for role in ROLES)
    request.getfixturevalue("pg_cluster").execute(f'GRANT {groups} TO "{login}"')
    return make_url(url).set(username=login).render_as_string(hide_password=False)


@pytest.fixture
def fresh_pg_database(pg_cluster: Any) -> Iterator[Any]:
    """A factory of new databases on the cluster (optionally copied from a template), dropped afterwards."""
    made: list[str] = []

    def make(template: str | None = None) -> str:
        name = f"t{os.getpid()}_{next(_names)}"
        made.append(name)
        return str(pg_cluster.create_database(name, template=template))

    yield make
    for name in made:
        pg_cluster.drop_database(name)


# --- the database each test works on ----------------------------------------------------------------------


@pytest.fixture
def db_target(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where a new, empty database is to be made: an SQLite file path, or a URL of an empty PostgreSQL database."""
    if backend == "postgresql":
        return str(request.getfixturevalue("fresh_pg_database")())
    return str(tmp_path / "desk.db")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.db"


@pytest.fixture
def db(backend: str, db_path: Path, request: pytest.FixtureRequest):
    """A fresh, migrated, empty database."""
    from recuperation.storage.database import open_database

    if backend == "postgresql":
        templates = request.getfixturevalue("pg_templates")
        target: str | Path = _signed_in(
            request.getfixturevalue("fresh_pg_database")(templates["empty"]), request
        )
    else:
        target = db_path
    database = open_database(target)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-year demo as an SQLite file, built once per test session (about a second)."""
    from recuperation.demo import build_demo
    from recuperation.storage.database import open_database

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(path)
    build_demo(database, 1)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture(scope="session")
def five_year_demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five-year demo (``demo --years 5``) as an SQLite file, built once per test process for the modules
    that work on five years (round trips, money figures); each copies it before changing anything."""
    from recuperation.demo import build_demo
    from recuperation.storage.database import open_database

    path = tmp_path_factory.mktemp("five-year-demo") / "five.db"
    database = open_database(path, user="测试员")
    build_demo(database, 5)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture
def demo_path(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    """A private copy of the demo database for one test: a file path on SQLite, a URL on PostgreSQL."""
    if backend == "postgresql":
        templates = request.getfixturevalue("pg_templates")
        return request.getfixturevalue("fresh_pg_database")(templates["demo"])
    target = tmp_path / "demo.db"
    shutil.copy(request.getfixturevalue("demo_file"), target)
    return target


@pytest.fixture
def demo_db(demo_path: Any, backend: str, request: pytest.FixtureRequest):
    from recuperation.storage.database import open_database

    database = open_database(_signed_in(demo_path, request) if backend == "postgresql" else demo_path)
    yield database
    database.close()
