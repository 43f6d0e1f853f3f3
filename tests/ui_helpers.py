"""Helpers for the desktop tests: typing Chinese the way an input method does, waiting for the worker."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget


def type_text(widget: QWidget, text: str, *, replace: bool = True) -> None:
    """Commit ``text`` into a line edit with an input-method event (keyClicks aborts on Chinese)."""
    widget.setFocus()
    if replace and isinstance(widget, QLineEdit):
        widget.selectAll()
        if not text:  # an empty commit string replaces nothing: delete the selection as a user would
            widget.del_()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
    if isinstance(widget, QLineEdit):
        widget.editingFinished.emit()


def wait_page(qtbot: Any, page: Any, timeout: int = 15_000) -> None:
    page.activate()
    qtbot.waitUntil(page.loaded, timeout=timeout)


def wait_idle(qtbot: Any, panel: Any, timeout: int = 15_000) -> None:
    qtbot.waitUntil(lambda: panel.busy == 0, timeout=timeout)


class Answers:
    """Stands in for ui.widgets.dialogs: records every question and warning, answers from a script."""

    def __init__(self, monkeypatch: Any, *answers: Any):
        from ui.widgets import dialogs

        self.answers = list(answers)
        self.asked: list[str] = []
        self.warned: list[str] = []
        self.informed: list[str] = []
        self.prompts: list[dict[str, str]] = []  # each ask_text: title, label and the buttons' words
        monkeypatch.setattr(dialogs, "ask", self.ask)
        monkeypatch.setattr(dialogs, "ask_text", self.ask_text)
        monkeypatch.setattr(dialogs, "warn", lambda _p, _t, text: self.warned.append(text))
        monkeypatch.setattr(dialogs, "info", lambda _p, _t, text: self.informed.append(text))

    def ask(self, _parent: Any, _title: str, text: str, *_args: Any) -> Any:
        self.asked.append(text)
        assert self.answers, f"unexpected question: {text}"
        return self.answers.pop(0)

    def ask_text(self, _parent: Any, title: str, label: str, **buttons: str) -> str | None:
        """Answers a text prompt with the next scripted answer: a string, or None for its cancel button."""
        self.prompts.append({"title": title, "label": label, **buttons})
        assert self.answers, f"unexpected prompt: {label}"
        answer = self.answers.pop(0)
        assert answer is None or isinstance(answer, str), f"a text prompt answered with {answer!r}: {label}"
        return answer
