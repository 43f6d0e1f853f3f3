"""What every page shares: the open database, the background worker and a few signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from recuperation.db import Database
from ui.worker import Worker


class Desk(QObject):
    """The desk a page works at.  ``data_changed`` fires after any saved change (the status bar recounts)."""

    data_changed = Signal()
    status = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.worker = Worker(self)
        self.worker.fault_path = db.path
