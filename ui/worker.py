"""One background thread for all database and document work; results come back on the GUI thread.

As in anki's taskman: a single-thread executor keeps the database work in order, and a signal carries
each result (or error) back to the thread that owns the widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot


class Worker(QObject):
    _done = Signal(object, object, object)  # callback, result, error

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db")
        self._done.connect(self._deliver)
        self.pending = 0

    def run(
        self,
        job: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Future[Any]:
        """Run ``job`` off the GUI thread, then ``on_done(result)`` or ``on_error(exc)`` on it."""
        self.pending += 1

        def call() -> Any:
            try:
                result = job()
            except BaseException as exc:
                self._done.emit((on_done, on_error), None, exc)
                raise
            self._done.emit((on_done, on_error), result, None)
            return result

        return self._executor.submit(call)

    @Slot(object, object, object)
    def _deliver(self, callbacks: Any, result: Any, error: Any) -> None:
        self.pending -= 1
        on_done, on_error = callbacks
        if error is None:
            on_done(result)
        elif on_error is not None:
            on_error(error)
        else:
            raise error

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
