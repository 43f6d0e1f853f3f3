"""The batch's 反馈与事件 tab: what happened after (and during) the trip, one sub-tab per kind of record —
the returned questionnaires (ui/batch/feedback.py) and the incidents (ui/batch/incidents.py).

The container only forwards: the batch page's current batch to every view (``set_batch``), and the views'
background work (``busy``) to the page's ``loaded()``, which tests wait on.
"""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtWidgets import QTabWidget, QWidget

from ui.widgets.fit import roomy_tabs

V = TypeVar("V", bound=QWidget)


class AfterTripView(QTabWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        roomy_tabs(self)
        self.setDocumentMode(True)
        self.views: list[QWidget] = []

    def add(self, view: V, title: str) -> V:
        self.addTab(view, title)
        self.views.append(view)
        return view

    def set_batch(self, batch: Any) -> None:
        for view in self.views:
            set_batch = getattr(view, "set_batch", None)
            if set_batch is not None:
                set_batch(batch)

    @property
    def busy(self) -> int:
        return sum(int(getattr(view, "busy", 0)) for view in self.views)
