"""A throwaway PostgreSQL cluster for the tests: Debian's server binaries, a temporary folder, a free port.

The cluster is created with ``initdb`` (as the ``postgres`` system user when the tests run as root, which
PostgreSQL refuses to run as), trusts local connections on 127.0.0.1 only, runs without fsync (it is thrown
away) and is stopped and removed at the end of the test session.  Nothing here is mocked: the tests talk to
a real server through psycopg.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL server could be started here; the message says why."""


def server_bin_dir() -> Path:
    """Where ``initdb`` and ``pg_ctl`` are: ``PG_BIN``, Debian's newest /usr/lib/postgresql/N/bin, or PATH."""
    override = os.environ.get("PG_BIN")
    if override:
        return Path(override)
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise ClusterUnavailable(
        "PostgreSQL server programs (initdb, pg_ctl) not found: apt-get install -y postgresql, or set PG_BIN"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgCluster:
    """``start()`` a cluster; ``url(dbname)`` for SQLAlchemy; ``stop()`` removes everything."""

    superuser = "desk_test"

    def __init__(self) -> None:
        self.bin = server_bin_dir()
        self.folder = Path(tempfile.mkdtemp(prefix="recuperation-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root; run it as Debian's postgres user
            try:
                account = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise ClusterUnavailable(
                    "running as root and there is no 'postgres' user to run the server"
                ) from exc
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self._as_user, *args], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise ClusterUnavailable(
                f"{Path(args[0]).name} failed: {(result.stderr or result.stdout).strip()}"
            )

    def start(self) -> PgCluster:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            self.superuser,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
        )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.superuser}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE) on the maintenance database."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.superuser, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self, name: str, template: str | None = None) -> str:
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            if self.data.exists():
                subprocess.run(
                    [
                        *self._as_user,
                        str(self.bin / "pg_ctl"),
                        "-D",
                        str(self.data),
                        "-m",
                        "immediate",
                        "stop",
                    ],
                    capture_output=True,
                    timeout=60,
                )
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
