"""What every page offers the main window: loading on first show, the standard actions, its state."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QVBoxLayout, QWidget

from recuperation.changes import Change
from ui.desk import Desk
from ui.widgets.record_panel import RecordPanel


class Page(QWidget):
    """A page of the main window.  Register pages list their RecordPanels in ``panels`` (main one first).

    A page follows the data: ``shows`` names the tables it shows (None: all of them); after a change to one
    of them (this desk's or another's, see ``ui/desk.py``) a visible page reloads at once and a hidden one
    when it is next shown.  Reloading keeps the selection and a form's unsaved edits (``RecordPanel``).
    """

    name = ""
    shows: frozenset[str] | None = None
    #: The right its records need to be changed (the window's 新建, 保存 and 删除 follow it); None: nothing to
    #: change here.
    right: str | None = "plan"

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.panels: list[RecordPanel] = []
        self.activated = False
        self.stale = False
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(6, 6, 6, 6)
        desk.changed.connect(self.follow)

    def activate(self) -> None:
        """Called whenever the page is shown; the first time it loads its data, later if it went stale."""
        if not self.activated:
            self.activated = True
            self.stale = False
            self.refresh()
        elif self.stale:
            self.stale = False
            self.reload()

    def follow(self, change: Change) -> None:
        """A change was committed: reload now if it concerns this page and the page is on screen."""
        if not self.activated or (self.shows is not None and not change.touches(self.shows)):
            return
        if not self.isVisible():
            self.stale = True
            return
        if change.here and any(p.busy for p in self.panels):
            return  # its own reload, asked after the commit, is already on the way
        self.reload(change)

    def reload(self, change: Change | None = None) -> None:
        """Load again what the page shows (after a change): every panel that has loaded, selections and
        unsaved edits kept.  A page that is one form with edits waits until they are saved or dropped."""
        if change is not None and not change.here and self.has_edits():
            self.desk.status.emit(
                self.tr(
                    "其他用户修改了数据：您正在编辑的内容保留；保存时若与对方的修改冲突，会提示重新载入。"
                )
            )
        if not self.panels:
            if self.has_edits():
                self.stale = True
                return
            self.refresh()
            return
        for panel in self.panels:
            if panel.has_loaded():
                panel.refresh()

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

    def print_subtitle(self) -> str:
        """What :meth:`print_view` shows beyond the page's name (a year, a filter, a period), for the
        printed title."""
        panel = self.focused_panel()
        return panel.print_subtitle() if panel is not None else ""

    def save_state(self, settings: Any) -> None:
        for i, panel in enumerate(self.panels):
            panel.save_state(settings, f"{self.name}/{i}")

    def restore_state(self, settings: Any) -> None:
        for i, panel in enumerate(self.panels):
            panel.restore_state(settings, f"{self.name}/{i}")
