"""One background thread for all database and document work; results come back on the GUI thread.

As in anki's taskman: a single-thread executor keeps the database work in order, and a signal carries
each result (or error) back to the thread that owns the widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from recuperation.errors import DomainError
from recuperation.storage.faults import database_fault


class Worker(QObject):
    _done = Signal(object, object, object)  # callback, result, error
    #: A long job's step and fraction done, emitted on the GUI thread (jobs call :meth:`report`).
    progress = Signal(str, float)
    _progress = Signal(str, float)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db")
        self._done.connect(self._deliver)
        self._progress.connect(self._relay)  # queued: the worker lives on the GUI thread
        self.pending = 0
        self.closed = False
        #: The SQLite file the jobs work on, named in fault messages (None: a server).
        self.fault_path: Path | None = None

    def run(
        self,
        job: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
    ) -> Future[Any]:
        """Run ``job`` off the GUI thread, then ``on_done(result)`` or ``on_error(exc)`` on it.

        When ``owner`` (the widget that asked) is gone by the time the result arrives, the result is dropped;
        once the worker is shut down (the window closed) nothing more is run.
        """
        if self.closed:
            dropped: Future[Any] = Future()
            dropped.cancel()
            return dropped
        self.pending += 1

        def call() -> Any:
            try:
                result = job()
            except BaseException as exc:
                named = self._named(exc)
                self._done.emit((on_done, on_error, owner), None, named)
                raise named from exc if named is not exc else None
            self._done.emit((on_done, on_error, owner), result, None)
            return result

        return self._executor.submit(call)

    def _named(self, exc: BaseException) -> BaseException:
        """A database fault (another desk writing, a read-only medium, a full disk) becomes the message that
        names it, shown like any refusal, instead of an unexpected error."""
        if isinstance(exc, DomainError) or not isinstance(exc, Exception):
            return exc
        return database_fault(exc, self.fault_path) or exc

    @Slot(object, object, object)
    def _deliver(self, callbacks: Any, result: Any, error: Any) -> None:
        self.pending -= 1
        if self.closed:  # the window is gone: nobody is left to show this result
            return
        on_done, on_error, owner = callbacks
        if owner is not None and not shiboken6.isValid(owner):
            return
        if error is None:
            on_done(result)
        elif on_error is not None:
            on_error(error)
        else:
            raise error

    def run_with_progress(
        self,
        parent: QWidget,
        label: str,
        job: Callable[[Callable[[str, float], None]], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
    ) -> Future[Any]:
        """:meth:`run` for a long job that reports how far it is: ``job(report)`` runs off the GUI thread while
        a window-modal progress dialog follows its reports; the dialog is gone before ``on_done``/``on_error``.
        It cannot be cancelled: the jobs that use it (a copy, the demo) are one transaction, undone if cut."""
        dialog = QProgressDialog(label, "", 0, 100, parent)
        dialog.setObjectName("progress")
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)

        def advance(_step: str, fraction: float) -> None:
            dialog.setValue(int(fraction * 100))

        self.progress.connect(advance)

        def finish() -> None:
            self.progress.disconnect(advance)
            dialog.close()

        def done(result: Any) -> None:
            finish()
            on_done(result)

        def failed(exc: BaseException) -> None:
            finish()
            if on_error is None:
                raise exc
            on_error(exc)

        return self.run(lambda: job(self.report), done, failed, owner=owner)

    def report(self, step: str, fraction: float) -> None:
        """For a job to call from the worker thread: Qt queues the signal to the widgets' thread."""
        self._progress.emit(step, fraction)

    @Slot(str, float)
    def _relay(self, step: str, fraction: float) -> None:
        self.progress.emit(step, fraction)

    def shutdown(self) -> None:
        """Finish the jobs already running (a save is never cut in half) and drop their results."""
        self.closed = True
        self._executor.shutdown(wait=True, cancel_futures=True)
