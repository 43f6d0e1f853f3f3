"""Python's cycle collector, run on the GUI thread only.

The desktop does its database work on a worker thread (``ui.worker``).  Python's automatic collector runs in
whichever thread happens to allocate when a threshold is crossed; a collection that frees PySide6 objects
(a closed dialog's widgets, the closures and tracebacks that hold them) while the worker thread is inside
SQLAlchemy crashed the test suite twice with a segmentation fault.  So, as Spyder, OpenCue and others do
with Qt, the automatic collector is switched off and :class:`MainThreadCollector` collects from a timer on
the GUI thread, generation by generation as the thresholds say, and only while no job is running on the
worker.  Reference counting frees everything that is not in a cycle at once, as before; only cycles wait for
the next tick.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

#: How often the collector looks (milliseconds).
INTERVAL_MS = 2000


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject, busy: Callable[[], bool] = lambda: False):
        super().__init__(parent)
        self.busy = busy
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, unless a worker job is running."""
        if self.busy():
            return
        young, middle, old = gc.get_count()
        if young > self.threshold[0]:
            gc.collect(0)
            if middle > self.threshold[1]:
                gc.collect(1)
                if old > self.threshold[2]:
                    gc.collect(2)

    def stop(self) -> None:
        """Back to Python's own collector (the window closed)."""
        self.timer.stop()
        gc.enable()
