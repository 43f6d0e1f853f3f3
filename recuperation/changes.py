"""What a committed write touched, here and on other desks, so that every view can follow the data.

Three sources, one record (:class:`Change`):

- **This desk.**  Every write transaction (``Database.session(write=True)``) notes the tables its
  statements wrote (any INSERT, UPDATE or DELETE, ORM or not) and the ids of the records the ORM flushed;
  when it commits, :meth:`recuperation.storage.database.Database.on_change` listeners receive the change (on the thread
  that committed).
- **Other desks on a PostgreSQL server.**  The same transaction sends ``NOTIFY recuperation_changes`` with
  the tables and ids; a :class:`Watcher` listening on a connection of its own receives the notifications
  (PostgreSQL delivers them only when the transaction commits, and never to a rolled-back one).
- **Other processes on an SQLite file.**  A :class:`Watcher` polls ``PRAGMA data_version``, which changes
  when another connection commits; it then reads the audit log's new entries (every change writes one) to
  learn what was touched, skipping the entries this process wrote.  SQLite commits one writer at a time, so
  audit ids grow in commit order.  A commit it cannot explain (a write without an audit entry) is reported
  as a change to everything.

The core never imports Qt: the desktop turns these records into a signal (``ui/desk.py``).
"""

from __future__ import annotations

import json
import re
import select
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recuperation.storage.database import Database

CHANNEL = "recuperation_changes"
#: Audit actions that change no data (a printout, an export) and ones that change too much to list.
QUIET_ACTIONS = frozenset({"export", "print"})
WHOLESALE_ACTIONS = frozenset({"demo", "import", "restore"})
#: PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more: past this the ids are left out.
PAYLOAD_LIMIT = 7_000

_WRITE = re.compile(
    r"""^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|REPLACE\s+INTO)\s+["`]?(\w+)""",
    re.IGNORECASE,
)


def written_table(statement: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE statement writes, else None."""
    match = _WRITE.match(statement)
    return match.group(1).lower() if match else None


@dataclass(frozen=True)
class Change:
    """Tables written by one or more commits, with the record ids known (a table may be written with no
    ids known: a bulk statement).  ``everything``: the source could not say; reload all."""

    ids: Mapping[str, frozenset[int]] = field(default_factory=dict)
    everything: bool = False
    here: bool = True  # made by this desk (False: another desk or process)

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(self.ids)

    def touches(self, tables: Iterable[str]) -> bool:
        return self.everything or not self.tables.isdisjoint(tables)

    def __bool__(self) -> bool:
        return self.everything or bool(self.ids)

    def to_json(self) -> dict[str, Any]:
        return {"everything": self.everything, "tables": {t: sorted(i) for t, i in sorted(self.ids.items())}}

    @classmethod
    def of(cls, ids: Mapping[str, Iterable[int]], *, here: bool = True, everything: bool = False) -> Change:
        return cls({t: frozenset(i) for t, i in ids.items()}, everything, here)

    def merged(self, other: Change) -> Change:
        ids = {t: set(i) for t, i in self.ids.items()}
        for t, i in other.ids.items():
            ids.setdefault(t, set()).update(i)
        return Change.of(ids, here=self.here and other.here, everything=self.everything or other.everything)


class Recorder:
    """Collects what one write transaction touches (the tables of its statements, the ids of its flushed
    records, the audit entries it wrote)."""

    def __init__(self) -> None:
        self.ids: dict[str, set[int]] = {}
        self.audit_ids: set[int] = set()

    def table(self, name: str) -> None:
        self.ids.setdefault(name, set())

    def record(self, name: str, record_id: object) -> None:
        ids = self.ids.setdefault(name, set())
        if isinstance(record_id, int):
            ids.add(record_id)
            if name == "audit_log":
                self.audit_ids.add(record_id)

    def change(self) -> Change:
        ids = {t: i for t, i in self.ids.items() if t != "audit_log"}
        return Change.of(ids)

    def payload(self, desk: str) -> str:
        """The NOTIFY payload: the desk that wrote, the tables and their ids (ids dropped if too long)."""
        tables = {t: sorted(i) for t, i in self.change().ids.items()}
        text = json.dumps({"desk": desk, "tables": tables}, separators=(",", ":"))
        if len(text.encode()) > PAYLOAD_LIMIT:
            text = json.dumps({"desk": desk, "tables": {t: [] for t in tables}}, separators=(",", ":"))
        if len(text.encode()) > PAYLOAD_LIMIT:
            text = everything_payload(desk)
        return text


def everything_payload(desk: str) -> str:
    """The NOTIFY payload of a write that cannot list what it touched (a demo load): reload everything."""
    return json.dumps({"desk": desk, "everything": True})


def parse_payload(payload: str, own_desk: str) -> Change | None:
    """A change another desk announced, or None for this desk's own (or an unreadable payload: everything)."""
    everything = Change(everything=True, here=False)
    try:
        data = json.loads(payload)
    except Exception:  # not JSON, or nested beyond the parser's depth: reload everything
        return everything
    if not isinstance(data, dict):
        return everything
    if data.get("desk") == own_desk:
        return None
    tables = data.get("tables")
    if data.get("everything") or not isinstance(tables, dict) or not tables:
        return everything
    if not all(isinstance(ids, list) for ids in tables.values()):
        return everything
    ids = {
        str(t): [i for i in v if isinstance(i, int) and not isinstance(i, bool)] for t, v in tables.items()
    }
    return Change.of(ids, here=False)


def new_desk_id() -> str:
    return uuid.uuid4().hex


class Watcher:
    """Notices other desks' and processes' commits on ``db``; :meth:`poll` returns what they touched.

    Open one per desk and call :meth:`poll` from a thread that may block for up to ``timeout`` seconds (the
    desktop runs it on a thread of its own); :meth:`close` ends it.
    """

    def __init__(self, db: Database):
        self.db = db
        self._lock = threading.Lock()
        self._stop = threading.Event()
        if db.is_sqlite:
            from recuperation.storage.engine import connect_sqlite

            self._sqlite = connect_sqlite(db.reader_uri(), uri=True, check_same_thread=False)
            self._sqlite.execute("PRAGMA busy_timeout = 2000")
            self._version = self._data_version()
            self._last_audit, self._last_stamp = self._newest_audit()
            self._local_commits = db.commit_count
            self._pg: Any = None
        else:
            raw = db.engine.raw_connection()
            connection: Any = raw.driver_connection
            raw.detach()  # a connection of its own, never handed back to the pool with LISTEN on it
            connection.rollback()
            connection.autocommit = True  # LISTEN outside any transaction
            connection.execute(f"LISTEN {CHANNEL}")
            self._pg = raw
            self._pg_connection = connection

    # -- SQLite ---------------------------------------------------------------------------------------------
    def _data_version(self) -> int:
        return int(self._sqlite.execute("PRAGMA data_version").fetchone()[0])

    def _newest_audit(self) -> tuple[int, object]:
        """The newest audit entry's id and time: if that entry is later gone or different, the file's
        history was replaced (a restore) and everything is reloaded."""
        row = self._sqlite.execute("SELECT id, at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        return (int(row[0]), row[1]) if row else (0, None)

    def _history_replaced(self) -> bool:
        if not self._last_audit:
            return False
        row = self._sqlite.execute("SELECT at FROM audit_log WHERE id = ?", (self._last_audit,)).fetchone()
        return row is None or row[0] != self._last_stamp

    def _poll_sqlite(self) -> Change | None:
        version = self._data_version()
        commits = self.db.commit_count
        ours = commits != self._local_commits  # this process committed since the last look
        self._local_commits = commits
        if version == self._version:
            return None
        self._version = version
        if self._history_replaced():
            self._last_audit, self._last_stamp = self._newest_audit()
            return Change(everything=True, here=False)
        rows = self._sqlite.execute(
            "SELECT id, table_name, record_id, action, at FROM audit_log WHERE id > ? ORDER BY id",
            (self._last_audit,),
        ).fetchall()
        if rows:
            self._last_audit, self._last_stamp = rows[-1][0], rows[-1][4]
        own = self.db.own_audit_ids
        ids: dict[str, set[int]] = {}
        for audit_id, table_name, record_id, action, _at in rows:
            if audit_id in own or action in QUIET_ACTIONS:
                continue
            if action in WHOLESALE_ACTIONS:
                return Change(everything=True, here=False)
            bucket = ids.setdefault(table_name, set())
            if record_id is not None:
                bucket.add(int(record_id))
        if ids:
            return Change.of(ids, here=False)
        if not rows and not ours:  # another process wrote without an audit entry: it cannot say what
            return Change(everything=True, here=False)
        return None

    # -- PostgreSQL -----------------------------------------------------------------------------------------
    def _poll_pg(self, timeout: float) -> Change | None:
        connection = self._pg_connection
        ready, _, _ = select.select([connection], [], [], timeout)
        if not ready:
            return None
        found: Change | None = None
        payloads = [n.payload for n in connection.notifies(timeout=0)]
        for payload in payloads:
            change = parse_payload(payload, self.db.desk_id)
            if change is not None:
                found = change if found is None else found.merged(change)
        return found

    def poll(self, timeout: float = 1.0) -> Change | None:
        """Wait up to ``timeout`` seconds; what other desks changed since the last poll, or None."""
        if self._pg is not None:
            with self._lock:
                return None if self._stop.is_set() else self._poll_pg(timeout)
        self._stop.wait(timeout)
        with self._lock:
            return None if self._stop.is_set() else self._poll_sqlite()

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            if self._pg is not None:
                self._pg_connection.close()
            else:
                self._sqlite.close()
