"""Forms that behave the same everywhere: required fields marked, a wrong value refused at the field
with the reason, and a dirty state that enables Save only when something changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import date_format
from ui.widgets.fit import CompactCombo


@dataclass(frozen=True)
class Field:
    """One input: ``kind`` is text, multiline, int, money, date, choice or bool.

    ``check`` returns a message when a value is wrong (it is shown under the field) or None.  For int and
    money, ``optional`` shows the lowest value as ``none_text`` and reads it back as None.
    """

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    max_length: int = 200
    choices: Sequence[tuple[str, str]] = ()
    check: Callable[[Any], str | None] | None = None
    optional: bool = False
    none_text: str = ""
    maximum: int = 1_000_000
    placeholder: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: How the core reads the text before counting its length (a code typed in groups: spaces removed).
    measure: Callable[[str], str] | None = None


class FormView(QWidget):
    """A form for a list of fields; ``changed`` fires whenever a value or the dirty state may have moved."""

    changed = Signal()

    def __init__(self, fields: Sequence[Field], parent: QWidget | None = None):
        super().__init__(parent)
        self.fields = {f.key: f for f in fields}
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        #: The value each choice field should show: the record's, or the user's last pick.
        self._wanted: dict[str, Any] = {}
        self.baseline: dict[str, Any] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # In a narrow editor (a small screen, the longer English labels) a field goes under its label
        # instead of widening the window.
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for spec in fields:
            widget = self._make(spec)
            self.widgets[spec.key] = widget
            error = QLabel()
            error.setObjectName(f"error_{spec.key}")
            error.setStyleSheet("color: #b02a37;")
            error.setWordWrap(True)
            error.hide()
            self.errors[spec.key] = error
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(widget)
            box.addWidget(error)
            label = QLabel(
                f"{spec.label}<span style='color:#b02a37'> *</span>" if spec.required else spec.label
            )
            label.setBuddy(widget)
            layout.addRow(label, holder)
        self.baseline = self.values()  # an untouched form is clean

    # --- widgets ------------------------------------------------------------------------------------------

    def _make(self, spec: Field) -> QWidget:
        widget: QWidget
        if spec.kind == "multiline":
            widget = QPlainTextEdit()
            widget.setMaximumHeight(80)
            widget.textChanged.connect(self._edited)
        elif spec.kind in ("int", "money"):
            spin: QSpinBox | QDoubleSpinBox
            if spec.kind == "int":
                spin = QSpinBox()
            else:
                spin = QDoubleSpinBox()
                spin.setDecimals(2)
                spin.setSuffix(self.tr(" 元"))
            spin.setMaximum(spec.maximum)
            spin.setMinimum(-1 if spec.optional else 0)
            if spec.optional:
                spin.setSpecialValueText(spec.none_text or self.tr("未填"))
            spin.setAccelerated(True)
            spin.valueChanged.connect(self._edited)
            widget = spin
        elif spec.kind == "date":
            edit = QDateEdit()
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
            edit.dateChanged.connect(self._edited)
            widget = edit
        elif spec.kind == "choice":
            combo = CompactCombo(chars=10)  # a long partner or route name does not set the form's width
            for value, label in spec.choices:
                combo.addItem(label, value)
            combo.currentIndexChanged.connect(self._edited)
            # What the user picks is what later choices keep (set_choices runs with signals blocked).
            combo.currentIndexChanged.connect(
                lambda _index, key=spec.key, box=combo: self._wanted.__setitem__(key, box.currentData())
            )
            widget = combo
        elif spec.kind == "bool":
            box = QCheckBox()
            box.toggled.connect(self._edited)
            widget = box
        else:
            line = QLineEdit()
            line.setMaxLength(spec.max_length * 2)  # over-long text is refused with a message, not cut
            line.setPlaceholderText(spec.placeholder)
            line.textChanged.connect(self._edited)
            line.editingFinished.connect(lambda key=spec.key: self.check_field(key))
            widget = line
        widget.setObjectName(spec.key)
        return widget

    def _edited(self, *_args: object) -> None:
        self.changed.emit()

    # --- values -------------------------------------------------------------------------------------------

    def value(self, key: str) -> Any:
        spec, widget = self.fields[key], self.widgets[key]
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText().strip()
        if isinstance(widget, QDoubleSpinBox):
            return None if spec.optional and widget.value() < 0 else round(widget.value() * 100)
        if isinstance(widget, QSpinBox):
            return None if spec.optional and widget.value() < 0 else widget.value()
        if isinstance(widget, QDateEdit):
            return widget.date().toPython()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        assert isinstance(widget, QLineEdit)
        return widget.text().strip()

    def set_value(self, key: str, value: Any) -> None:
        spec, widget = self.fields[key], self.widgets[key]
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value or "")
        elif isinstance(widget, QDoubleSpinBox):
            widget.setValue(-1 if value is None and spec.optional else (value or 0) / 100)
        elif isinstance(widget, QSpinBox):
            widget.setValue(-1 if value is None and spec.optional else int(value or 0))
        elif isinstance(widget, QDateEdit):
            day = value if isinstance(value, dt.date) else dt.date.today()
            widget.setDate(QDate(day.year, day.month, day.day))
        elif isinstance(widget, QComboBox):
            # Remembered even when it is not offered yet: a record's agreement is shown once the choices
            # for its partner arrive, instead of falling back to the first choice (and being saved as that).
            self._wanted[key] = value
            index = widget.findData(value)
            widget.setCurrentIndex(max(index, 0))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        else:
            assert isinstance(widget, QLineEdit)
            widget.setText("" if value is None else str(value))

    def set_choices(self, key: str, choices: Sequence[tuple[Any, str]]) -> None:
        """Replace the choices of a choice field (keeping the value if it is still offered)."""
        combo = self.widgets[key]
        assert isinstance(combo, QComboBox)
        current = combo.currentData()
        wanted = self._wanted.get(key, current)
        if not any(value == wanted for value, _label in choices):
            wanted = current
        blocked = combo.blockSignals(True)
        combo.clear()
        for value, label in choices:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(combo.findData(wanted), 0))
        combo.blockSignals(blocked)

    def values(self) -> dict[str, Any]:
        return {key: self.value(key) for key in self.fields}

    def load(self, values: dict[str, Any]) -> None:
        """Show a record (or the defaults of a new one); the form is clean afterwards."""
        for key in self.fields:
            widgets_block = self.widgets[key].blockSignals(True)
            self.set_value(key, values.get(key))
            self.widgets[key].blockSignals(widgets_block)
        self.baseline = self.values()
        self.clear_errors()
        self.changed.emit()

    def is_dirty(self) -> bool:
        return self.values() != self.baseline

    # --- errors -------------------------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def set_error(self, key: str, message: str) -> None:
        label = self.errors.get(key)
        if label is None:
            return
        label.setText(message)
        label.show()
        self.widgets[key].setFocus()

    def error(self, key: str) -> str:
        label = self.errors[key]
        return label.text() if not label.isHidden() else ""

    def check_field(self, key: str) -> bool:
        spec = self.fields[key]
        value = self.value(key)
        message = None
        length = len(spec.measure(value) if spec.measure else value) if isinstance(value, str) else 0
        if spec.required and (value is None or value == ""):
            message = self.tr("{0}为必填项。").format(spec.label)
        elif length > spec.max_length:
            message = self.tr("{0}最多 {1} 个字符（现有 {2} 个）。").format(
                spec.label, spec.max_length, length
            )
        elif spec.check is not None and value not in (None, ""):
            message = spec.check(value)
        label = self.errors[key]
        if message:
            label.setText(message)
            label.show()
        else:
            label.clear()
            label.hide()
        return message is None

    def validate(self) -> bool:
        """Check every field and show each problem at its field; True when all are right."""
        results = [self.check_field(key) for key in self.fields]
        for key, ok in zip(self.fields, results, strict=True):
            if not ok:
                self.widgets[key].setFocus()
                break
        return all(results)
