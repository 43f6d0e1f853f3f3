"""What keeps the window usable on an office screen (1366×768) in Chinese and in English.

A row of filters and buttons wraps onto the next line instead of widening the window (:class:`FlowLayout`);
a choice of partner or route names does not make its box as wide as the longest name (:class:`CompactCombo`);
a long text (a database path) is cut with “…” and shown whole in its tooltip (:class:`ElidedLabel`);
a form scrolls inside its tab while its Save bar stays put (:func:`scrolling`); a dialog opens no larger than
the screen it is on (:func:`fit_to_screen`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QLabel,
    QLayout,
    QLayoutItem,
    QProxyStyle,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QTabWidget,
    QWidget,
    QWidgetItem,
)

#: The narrowest a search field gets: its placeholder stays readable instead of shrinking to “…”.
SEARCH_MIN_WIDTH = 170


class FlowLayout(QLayout):
    """Widgets left to right, wrapping onto further lines when the width runs out.

    Each line gives its leftover width to the widgets that expand horizontally (a search field); the
    minimum width is that of the widest widget, so a long row of filters never widens the window.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 6):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    # --- QLayout ------------------------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def insertWidget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        index = len(self._items) if index < 0 else min(index, len(self._items))
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def indexOf(self, widget: QWidget) -> int:  # type: ignore[override]
        return next((i for i, item in enumerate(self._items) if item.widget() is widget), -1)

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        """All on one line (what a wide screen shows)."""
        shown = self._shown()
        margins = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in shown) + self.spacing() * max(len(shown) - 1, 0)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:
        shown = self._shown()
        margins = self.contentsMargins()
        width = max((i.minimumSize().width() for i in shown), default=0)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    # --- arranging ----------------------------------------------------------------------------------------

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        width, gap = max(area.width(), 1), self.spacing()
        lines: list[list[tuple[QLayoutItem, int]]] = [[]]
        used = 0
        for item in self._shown():
            hint, least = item.sizeHint().width(), item.minimumSize().width()
            item_width = max(min(hint, width), min(least, width))
            needed = item_width if not lines[-1] else used + gap + item_width
            if lines[-1] and needed > width:
                lines.append([])
                needed = item_width
            lines[-1].append((item, item_width))
            used = needed
        y = area.y()
        for line in lines:
            if not line:
                continue
            height = max(item.sizeHint().height() for item, _w in line)
            if apply:
                self._place(line, area.x(), y, width, height)
            y += height + gap
        return y - gap - area.y() + margins.top() + margins.bottom()

    def _place(self, line: list[tuple[QLayoutItem, int]], x: int, y: int, width: int, height: int) -> None:
        spare = width - sum(w for _i, w in line) - self.spacing() * (len(line) - 1)
        growing = [
            i
            for i, (item, _w) in enumerate(line)
            if item.expandingDirections() & Qt.Orientation.Horizontal
            or (item.widget() is not None and item.widget().sizePolicy().horizontalStretch() > 0)
        ]
        widths = [w for _i, w in line]
        for n, index in enumerate(growing):
            share = spare // len(growing) + (1 if n < spare % len(growing) else 0)
            widths[index] += max(share, 0)
        for (item, _w), item_width in zip(line, widths, strict=True):
            item_height = min(item.sizeHint().height(), height)
            item.setGeometry(QRect(x, y + (height - item_height) // 2, item_width, item_height))
            x += item_width + self.spacing()


class CompactCombo(QComboBox):
    """A choice box as narrow as ``chars`` letters at the least and ``widest`` at the most, whatever the length
    of its longest choice (a partner's full name); the list it opens is as wide as its choices, and the
    chosen text is in its tooltip."""

    def __init__(self, parent: QWidget | None = None, *, chars: int = 8, widest: int = 22):
        super().__init__(parent)
        self.widest = widest
        self.setMinimumContentsLength(chars)  # the minimum size no longer follows the longest choice
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.currentTextChanged.connect(self.setToolTip)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        cap = self.fontMetrics().horizontalAdvance("X") * self.widest + 40
        return QSize(max(min(hint.width(), cap), self.minimumSizeHint().width()), hint.height())

    def showPopup(self) -> None:
        view = self.view()
        screen = self.screen().availableGeometry().width() if self.screen() else 1366
        wanted = view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width() + 16
        view.setMinimumWidth(min(max(wanted, self.width()), int(screen * 0.8)))
        super().showPopup()


def compact(combo: QComboBox, chars: int = 8) -> QComboBox:
    """Let an existing choice box shrink to ``chars`` letters instead of its longest choice."""
    combo.setMinimumContentsLength(chars)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


class ElidedLabel(QLabel):
    """One line of text cut with “…” where the room runs out; the whole text is its tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, least: int = 60):
        super().__init__(parent)
        self._full = ""
        self._least = least
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # type: ignore[override]
        self._full = text
        self.setToolTip(text)
        super().setText(text)
        self.updateGeometry()

    def text(self) -> str:  # type: ignore[override]
        return self._full

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 8, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(min(self._least, self.sizeHint().width()), super().minimumSizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        room = self.contentsRect()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, room.width())
        self.style().drawItemText(
            painter,
            room,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.palette(),
            self.isEnabled(),
            shown,
            self.foregroundRole(),
        )


def roomy_tabs(tabs: QTabWidget) -> QTabWidget:
    """Tabs tall enough for their titles' descenders: the style draws an unselected tab's title two pixels
    lower, and in a tab of the usual height the g and y of “By worker category” lost their tails."""
    height = tabs.tabBar().fontMetrics().height() + 16
    tabs.tabBar().setStyleSheet(f"QTabBar::tab {{ min-height: {height}px; }}")
    return tabs


class _TightTabs(QProxyStyle):
    """The application's style with at most ``space`` pixels beside a tab's title."""

    def __init__(self, style_name: str, space: int):
        super().__init__(style_name)
        self.space = space

    def pixelMetric(self, metric: QStyle.PixelMetric, option: Any = None, widget: Any = None) -> int:
        found = super().pixelMetric(metric, option, widget)
        return min(found, self.space) if metric == QStyle.PixelMetric.PM_TabBarTabHSpace else found


def tighten_tabs(tabs: QTabWidget, space: int) -> QTabWidget:
    """Tabs with at most ``space`` pixels beside each title (the style's own is 24 px in Fusion), so that an
    editor's many tabs fit beside its list at 1366×768 without scroll buttons hiding the first ones."""
    bar = tabs.tabBar()
    tight = _TightTabs(QApplication.style().name(), space)
    tight.setParent(bar)
    bar.setStyle(tight)
    return tabs


def wrapping(label: QLabel) -> QLabel:
    """A label whose text wraps at the room it is given instead of setting its width."""
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setMinimumWidth(80)
    return label


def search_field(edit: QWidget) -> QWidget:
    """A search field keeps a readable width and takes what its line has to spare."""
    edit.setMinimumWidth(SEARCH_MIN_WIDTH)
    policy = edit.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
    policy.setHorizontalStretch(1)
    edit.setSizePolicy(policy)
    return edit


def scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area that follows its width: a long form scrolls, the tab does not
    grow the window."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return area


def available_screen(widget: QWidget | None) -> QRect | None:
    """The usable area of the screen ``widget`` is on (the primary one before it is shown); None offscreen,
    where the screen is a stand-in of no particular size (screenshots, tests)."""
    if QGuiApplication.platformName() == "offscreen":
        return None
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(dialog: QWidget, width: int, height: int) -> None:
    """Open ``dialog`` at ``width`` × ``height``, or smaller where its screen is smaller (a title bar and a
    task bar left room for)."""
    parent = dialog.parentWidget()
    room = available_screen(parent.window() if parent is not None else dialog)
    if room is None:
        dialog.resize(width, height)
        return
    dialog.resize(
        max(min(width, room.width() - 24), dialog.minimumSizeHint().width()),
        max(min(height, room.height() - 48), dialog.minimumSizeHint().height()),
    )


def inside(widget: QWidget, window: QWidget) -> bool:
    """Whether ``widget`` is shown and lies entirely within ``window`` (tests and the screenshot check)."""
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))
