"""What every page shares: the open database, the background worker, and the changes every view follows.

``changed`` carries a :class:`recuperation.changes.Change` after any commit: this desk's own (reported by
the database at commit, on the worker thread, and queued here) and, once :meth:`Desk.watch` has started,
other desks' and processes' (``recuperation.changes.Watcher`` on a thread of its own).  Changes arriving
close together are merged and delivered once, on the GUI thread, so a burst of saves reloads a page once.

After start (:meth:`Desk.watch`) the desk also runs the database's full integrity check once, on a thread and
a read-only connection of its own (:meth:`Desk.check_integrity`), so neither the GUI thread nor the worker
waits for it.  Damage found marks the database handle: every later write is refused (``db.damaged``)
while reads go on, and ``damage_found`` carries the finding to the window, which tells the user.  A write
that comes while the check runs waits for its result (``Database.verify``), once.

The desk knows who is signed in (``access``, :class:`recuperation.access.Access`): the pages offer what that
person may do (``ui/widgets/rights.py``).  On a server it is asked of the server once, when the desk is made,
on a thread of its own while the window goes on painting (:func:`signed_in`); on an SQLite file it is the
desk user with every role, asked of nobody.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from recuperation import messages
from recuperation.access import Access
from recuperation.changes import Change, Watcher
from recuperation.errors import DatabaseOpenError
from recuperation.storage.database import Database
from ui.worker import Worker

log = logging.getLogger(__name__)

#: How long changes are gathered before views are told (ms).
MERGE_MS = 120
#: How often another desk's commits are looked for (s); they reach the views within about this much.
WATCH_INTERVAL_S = 0.5
#: How long a desk waits before it watches again after the watching failed (s).
RECONNECT_S = 3.0


def signed_in(db: Database) -> Access:
    """Who is signed in to ``db`` (``Database.access``).  On a server that is a query: it runs on a thread of its
    own while the GUI thread goes on painting (input waits), so a slow server never freezes the window; a
    server that cannot say (the connection lost since it opened) leaves the desk reading only, which is logged:
    nothing is offered that the server might refuse.  On an SQLite file nothing is asked (the desk user, or
    who a test made the desk)."""
    if db.is_sqlite:
        return db.access  # type: ignore[no-any-return]
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def ask() -> None:
        try:
            outcome["access"] = db.access
        except Exception as exc:  # said on the GUI thread
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=ask, name="sign-in", daemon=True).start()
    app = QApplication.instance()
    while not done.wait(0.02):
        if app is not None:
            app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 20)
    if "error" in outcome:
        log.warning("cannot ask the server who is signed in; reading only", exc_info=outcome["error"])
        return Access(db.user, frozenset(), server=True)
    return outcome["access"]  # type: ignore[no-any-return]


class Desk(QObject):
    """The desk a page works at.  ``data_changed`` fires after any change (the status bar recounts);
    ``changed`` says what changed."""

    data_changed = Signal()
    changed = Signal(object)  # Change
    status = Signal(str)
    damage_found = Signal(str)  # the integrity check's finding, in the user's language (db.integrity_found)
    _arrived = Signal(object)  # from any thread

    def __init__(self, db: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        #: Who is signed in and the roles they hold (a change of roles counts from the next start).
        self.access: Access = signed_in(db)
        self.worker = Worker(self)
        self.worker.fault_path = db.path
        self._pending: Change | None = None
        self._merge = QTimer(self)
        self._merge.setSingleShot(True)
        self._merge.setInterval(MERGE_MS)
        self._merge.timeout.connect(self._deliver)
        self._arrived.connect(self._gather)  # queued when emitted from the worker or the watcher thread
        self._stop_listening = db.on_change(self._arrived.emit)
        self._watcher: Watcher | None = None
        self._watch_thread: threading.Thread | None = None
        self._check_thread: threading.Thread | None = None
        self._stop = threading.Event()

    def announce(self, change: Change) -> None:
        """Tell every view about a change made outside a database session (a demo load, a restore)."""
        self._gather(change)

    @Slot(object)
    def _gather(self, change: Change) -> None:
        self._pending = change if self._pending is None else self._pending.merged(change)
        if not self._merge.isActive():
            self._merge.start()

    def _deliver(self) -> None:
        change, self._pending = self._pending, None
        if change and not self._stop.is_set():
            self.changed.emit(change)
            self.data_changed.emit()

    # -- other desks ----------------------------------------------------------------------------------------
    def watch(self) -> None:
        """Start noticing other desks' and processes' commits, and run the integrity check after start
        (:meth:`check_integrity`) (the window does; tests choose)."""
        self.check_integrity()
        if self._watch_thread is not None:
            return
        try:
            self._watcher = Watcher(self.db)
        except Exception:  # a desk that cannot watch still works; F5 reloads
            log.exception("cannot watch the database for other desks' changes")
            return
        self._watch_thread = threading.Thread(target=self._watch_loop, name="watch", daemon=True)
        self._watch_thread.start()

    def _watch_loop(self) -> None:
        """Poll until closed.  A watcher that fails (a server restarted, the connection dropped) is replaced
        after a pause, and every view reloads: what happened meanwhile is unknown."""
        while not self._stop.is_set():
            watcher = self._watcher
            try:
                if watcher is None:
                    watcher = self._watcher = Watcher(self.db)
                    self._arrived.emit(Change(everything=True, here=False))
                change = watcher.poll(WATCH_INTERVAL_S)
            except Exception:
                log.warning("watching the database failed; trying again", exc_info=True)
                if watcher is not None:
                    with contextlib.suppress(Exception):
                        watcher.close()
                self._watcher = None
                self._stop.wait(RECONNECT_S)
                continue
            if change and not self._stop.is_set():
                self._arrived.emit(change)

    # -- the integrity check after start -----------------------------------------------------------------------
    def check_integrity(self) -> None:
        """Run the full integrity check of an SQLite database once (``Database.verify``: SQLite's quick check
        over the whole file) on a thread of its own, unless it has already run; a finding of damage is
        emitted as ``damage_found`` (also when a write found it first).  A check that cannot run (the file
        held by another program, say) is logged; the next write runs it again."""
        if self.db.path is None or self._check_thread is not None:
            return
        self._check_thread = threading.Thread(target=self._check, name="integrity", daemon=True)
        self._check_thread.start()

    def _check(self) -> None:
        try:
            self.db.verify()
        except DatabaseOpenError as exc:
            if self._stop.is_set():
                return
            if self.db.damage is None:
                log.warning("the integrity check after start did not run: %s", exc.message)
                return
            log.error("the integrity check after start found damage: %s", self.db.damage)
            with contextlib.suppress(RuntimeError):  # the desk already deleted
                self.damage_found.emit(
                    messages.text("db.integrity_found", path=str(self.db.path), detail=self.db.damage)
                )
        except Exception:
            log.exception("the integrity check after start failed")

    def close(self) -> None:
        """Stop listening, watching and checking (before the database closes); no change is delivered after."""
        self._stop.set()
        self._merge.stop()
        self._stop_listening()
        if self._check_thread is not None:
            self.db.interrupt_checks()
            self._check_thread.join(timeout=5)
        if self._watch_thread is not None:
            self._watch_thread.join(timeout=5)
        if self._watcher is not None:
            with contextlib.suppress(Exception):
                self._watcher.close()
