"""What every page offers the main window: loading on first show, the standard actions, its state."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QVBoxLayout, QWidget

from ui.desk import Desk
from ui.widgets.record_panel import RecordPanel


class Page(QWidget):
    """A page of the main window.  Register pages list their RecordPanels in ``panels`` (main one first)."""

    name = ""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.panels: list[RecordPanel] = []
        self.activated = False
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(6, 6, 6, 6)

    def activate(self) -> None:
        """Called whenever the page is shown; the first time it loads its data."""
        if not self.activated:
            self.activated = True
            self.refresh()

    def refresh(self) -> None:
        if self.panels:
            self.panels[0].refresh()

    def loaded(self) -> bool:
        return (
            self.activated and all(p.idle() for p in self.panels[:1]) and not any(p.busy for p in self.panels)
        )

    def maybe_leave(self) -> bool:
        return all(p.maybe_leave() for p in self.panels)

    def has_edits(self) -> bool:
        return any(p.is_dirty() for p in self.panels)

    def focused_panel(self) -> RecordPanel | None:
        """The panel holding the keyboard focus, else the main one."""
        focus = self.focusWidget()
        for panel in reversed(self.panels):
            if focus is not None and panel.isAncestorOf(focus):
                return panel
        return self.panels[0] if self.panels else None

    def new_record(self) -> None:
        panel = self.focused_panel()
        if panel is not None:
            panel.new_record()

    def save(self) -> None:
        for panel in self.panels:
            if panel.is_dirty():
                panel.save()

    def delete(self) -> None:
        panel = self.focused_panel()
        if panel is not None:
            panel.delete_current()

    def focus_search(self) -> None:
        if self.panels:
            self.panels[0].search.setFocus()
            self.panels[0].search.selectAll()

    def print_view(self) -> QAbstractItemView | None:
        panel = self.focused_panel()
        return panel.view if panel is not None else None

    def save_state(self, settings: Any) -> None:
        for i, panel in enumerate(self.panels):
            panel.save_state(settings, f"{self.name}/{i}")

    def restore_state(self, settings: Any) -> None:
        for i, panel in enumerate(self.panels):
            panel.restore_state(settings, f"{self.name}/{i}")
