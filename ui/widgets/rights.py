"""What the signed-in person may do, shown on the widgets: an action they may not take is disabled, its tooltip
saying who lacks which right and which role gives it (:meth:`recuperation.access.Access.why_not`); a form
they may not save is read-only.  Nothing is offered and then refused.

``allow(target, access, right)`` is the one way a page says it (``target`` a widget or an action, ``right`` one
of :data:`recuperation.access.RIGHTS`, or several of which any will do).  A refusal is a lock: whatever the page
later enables (a row chosen, a form edited), the target stays disabled and its tooltip stays the reason; the
tooltip the page gives it meanwhile is kept for when the lock is lifted.  ``read_only(form_or_widget, access,
right)`` makes a form's fields (or any inputs) read-only instead: they can be read, selected and copied.

The rights come from ``desk.access`` (``ui/desk.py``): on a server the server enforces them as well
(``recuperation/storage/server_access.py``); on a desk's own SQLite file the desk user holds every right.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from recuperation.access import Access

Target = QWidget | QAction
Rights = str | tuple[str, ...]

_WHY = "rights_why"  # the reason a locked target is disabled ("" when it is not locked)
_TIP = "rights_tip"  # the tooltip it has when it is allowed
_WANTED = "rights_wanted"  # whether the page wants it enabled, for when the lock is lifted
_FILTER = "rights_filter"  # the lock's event filter (a widget) or its connection (an action) is in place


def access_of(widget: QObject) -> Access:
    """The signed-in person's access for ``widget``: its own desk's, or its nearest parent's."""
    current: Any = widget
    while current is not None:
        desk = getattr(current, "desk", None)
        if desk is not None and getattr(desk, "access", None) is not None:
            return desk.access  # type: ignore[no-any-return]
        current = current.parent() if isinstance(current, QObject) else None
    raise LookupError(f"{type(widget).__name__} has no desk")


def can(access: Access, right: Rights) -> bool:
    return any(access.can(r) for r in _rights(right))


def why_not(access: Access, right: Rights) -> str:
    """Why ``access`` may not take an action needing ``right`` ("" when it may)."""
    return "" if can(access, right) else access.why_not(_rights(right)[0])


def allow(target: Target, access: Access, right: Rights) -> bool:
    """Lift the lock from ``target`` when ``access`` holds ``right`` (its tooltip and its enabled state as the
    page left them), else lock it disabled with the reason as its tooltip.  True when allowed."""
    reason = why_not(access, right)
    if reason:
        lock(target, reason)
    else:
        unlock(target)
    return not reason


def allow_all(targets: Iterable[Target], access: Access, right: Rights) -> bool:
    allowed = True
    for target in targets:
        allowed = allow(target, access, right) and allowed
    return allowed


def locked(target: Target) -> str:
    """The reason ``target`` is locked, or ""."""
    return str(target.property(_WHY) or "")


def lock(target: Target, reason: str) -> None:
    """Disable ``target`` for ``reason`` (its tooltip) whatever the page does with it later."""
    if not locked(target):
        target.setProperty(_TIP, target.toolTip() if isinstance(target, QWidget) else _own_tip(target))
        target.setProperty(_WANTED, _enabled(target))
    target.setProperty(_WHY, reason)
    if not target.property(_FILTER):
        target.setProperty(_FILTER, True)
        if isinstance(target, QWidget):
            target.installEventFilter(_Lock(target))
        else:
            target.changed.connect(lambda action=target: _hold(action))
    target.setEnabled(False)
    target.setToolTip(_tip(reason))
    if isinstance(target, QAction):  # a disabled entry of a menu says why when pointed at
        for menu in target.associatedObjects():
            if isinstance(menu, QMenu):
                menu.setToolTipsVisible(True)


def unlock(target: Target) -> None:
    """Lift the lock: the target's own tooltip again, and enabled if the page last asked it to be (a page
    whose rights can change while it shows, like a certification's step, sets its state after ``allow``)."""
    if not locked(target):
        return
    target.setProperty(_WHY, "")
    target.setToolTip(str(target.property(_TIP) or ""))
    target.setEnabled(bool(target.property(_WANTED)))


def read_only(target: Any, access: Access, right: Rights) -> bool:
    """Make a form's fields (a :class:`ui.widgets.form.FormView`) or the inputs in a widget read-only unless
    ``access`` holds ``right``; True when allowed (nothing is changed then)."""
    reason = why_not(access, right)
    if not reason:
        return True
    widgets = getattr(target, "widgets", None)
    inputs: list[QWidget] = (
        list(widgets.values()) if isinstance(widgets, dict) else [target, *target.findChildren(QWidget)]
    )
    for widget in inputs:
        freeze(widget, reason)
    return False


def freeze(widget: QWidget, reason: str) -> None:
    """One input made read-only: text can still be read, selected and copied; a choice or a tick (which has
    no read-only state) is locked with ``reason``."""
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QAbstractSpinBox):
        widget.setReadOnly(True)
        if isinstance(widget, QAbstractSpinBox):  # no arrows that do nothing
            widget.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
    elif isinstance(widget, QComboBox | QAbstractButton):
        lock(widget, reason)
    elif isinstance(widget, QAbstractItemView):
        widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)


# --- the lock -----------------------------------------------------------------------------------------------


class _Lock(QObject):
    """Keeps a locked widget disabled and its tooltip the reason, whatever the page sets."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QWidget) and locked(watched):
            if event.type() == QEvent.Type.EnabledChange and watched.isEnabled():
                watched.setProperty(_WANTED, True)
                watched.setEnabled(False)
            elif event.type() == QEvent.Type.ToolTipChange and watched.toolTip() != _tip(locked(watched)):
                watched.setProperty(_TIP, watched.toolTip())
                watched.setToolTip(_tip(locked(watched)))
        return False


def _hold(action: QAction) -> None:
    reason = locked(action)
    if not reason:
        return
    if action.isEnabled():
        action.setProperty(_WANTED, True)
        action.setEnabled(False)
    if action.toolTip() != _tip(reason):
        action.setProperty(_TIP, action.toolTip())
        action.setToolTip(_tip(reason))


def _tip(reason: str) -> str:
    """The reason as a tooltip of a few lines (a plain one is a single line across the screen)."""
    return f"<table width='380'><tr><td>{html.escape(reason)}</td></tr></table>"


def _enabled(target: Target) -> bool:
    if isinstance(target, QWidget):
        return not target.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled)
    return target.isEnabled()


def _own_tip(action: QAction) -> str:
    """An action's own tooltip ("" when it shows its text, Qt's default)."""
    tip = action.toolTip()
    return "" if tip == action.text().replace("&", "") else tip


def _rights(right: Rights) -> tuple[str, ...]:
    return (right,) if isinstance(right, str) else tuple(right)
