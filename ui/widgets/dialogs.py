"""Message boxes in one place, so tests can answer them without a modal dialog ever opening."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

Button = QMessageBox.StandardButton


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: Button = Button.Yes | Button.No,
    default: Button = Button.No,
) -> Button:
    return QMessageBox.question(parent, title, text, buttons, default)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def text_dialog(
    parent: QWidget | None,
    title: str,
    label: str,
    *,
    ok: str = "",
    cancel: str = "",
    text: str = "",
    secret: bool = False,
) -> QInputDialog:
    """A one-line question (a reason, a code) whose buttons say what they do (``ok``, ``cancel``);
    ``secret``: what is typed shows as dots (a PIN)."""
    dialog = QInputDialog(parent)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    if secret:
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    if ok:
        dialog.setOkButtonText(ok)
    if cancel:
        dialog.setCancelButtonText(cancel)
    return dialog


def ask_text(
    parent: QWidget | None,
    title: str,
    label: str,
    *,
    ok: str = "",
    cancel: str = "",
    text: str = "",
    secret: bool = False,
) -> str | None:
    """What the user typed, or None when they chose ``cancel`` (or closed the dialog)."""
    dialog = text_dialog(parent, title, label, ok=ok, cancel=cancel, text=text, secret=secret)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()
