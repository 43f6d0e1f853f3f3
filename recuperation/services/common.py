"""What every service shares: input cleaning, versioned updates with their audit trail."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import Session, SQLModel

from recuperation import messages
from recuperation.errors import NotFoundError, RuleViolation, StaleEditError, ValidationError
from recuperation.models import AuditEntry
from recuperation.people import mask_id, mask_in_text, mask_phone

#: What a text field refuses wherever it comes from (a form, a roster, a register): control characters (ESC,
#: NUL, vertical tab …; tab and, in multi-line fields, line breaks are text), bidi marks, embeddings,
#: overrides and isolates, zero-width spaces and joiners, the word joiner and the byte order mark.  Chinese
#: punctuation and the full-width space are text.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufffe\uffff]"
)
#: Line breaks: text in a multi-line field (notes), refused in a one-line field.
_LINE_BREAKS = re.compile(r"[\n\r\u2028\u2029]")

M = TypeVar("M", bound=SQLModel)


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def clean_text(
    table: str,
    field: str,
    value: object,
    *,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
) -> str:
    """A text field as stored: trimmed, refused when required and empty, too long, or with control chars."""
    text = "" if value is None else str(value).strip()
    kind = messages.kind_label(table)
    label = messages.field_label(field)
    if required and not text:
        raise ValidationError("field.required", field=field, kind=kind, label=label, record=table)
    bad = invisible_char(text, multiline=multiline)
    if bad:
        raise ValidationError(
            "field.control_chars", field=field, kind=kind, label=label, char=messages.char_name(bad)
        )
    if len(text) > max_length:
        raise ValidationError(
            "field.too_long", field=field, kind=kind, label=label, max=max_length, length=len(text)
        )
    return text


def invisible_char(text: str, *, multiline: bool = False) -> str:
    """The first character of ``text`` that a text field refuses (see ``_CONTROL``), or "" when none is."""
    found = _CONTROL.search(text) or (None if multiline else _LINE_BREAKS.search(text))
    return found[0] if found else ""


_NUMBER = re.compile(r"[+-]?[\d\s.,]*\d[\d\s.,]*(?:[eE][+-]?\d+)?%?")


def numeric_name(value: object) -> bool:
    """Whether a person's name is a number (0, 123, １２３, 1.5e3): a cell read as a number, or text of digits
    only.  A formula cell whose result was never calculated reads as its cached 0."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return bool(_NUMBER.fullmatch(unicodedata.normalize("NFKC", str(value or "")).strip()))


#: Codes the program and the office give (batch codes L2021-0001, route codes XL01 or a route's name where
#: an office's catalogue has no codes): letters (Chinese included), digits, “-” and “_”, starting with a
#: letter or digit, at most 20 characters (the columns' width).  No code names a file or a sheet as it is
#: (see :mod:`recuperation.filenames`), but one that could be a path (../x, /x, A/B), carries control, bidi
#: or zero-width characters or fills a screen is refused wherever it is entered.
CODE_MAX = 20
_CODE_PUNCTUATION = frozenset("-_")
#: Numbers other offices issue (agreement numbers JDGH-XY-2019-002, 浙工〔2021〕12号, certificate numbers
#: HZLXY-2021-001): letters, digits, spaces, “- _ /” and brackets, starting with a letter, a digit or an
#: opening bracket, at most 40 characters.
NUMBER_MAX = 40
_NUMBER_PUNCTUATION = frozenset(" -_/()（）〔〕[]【】")
_NUMBER_OPENING = frozenset("(（〔[【")


def _code_char(char: str, first: bool, number: bool) -> bool:
    """Whether ``char`` may stand in a code (or, ``number``, an issued number), first or further on."""
    category = unicodedata.category(char)
    if category[0] == "L" or category == "Nd":
        return True
    if number:
        return char in (_NUMBER_OPENING if first else _NUMBER_PUNCTUATION)
    return not first and char in _CODE_PUNCTUATION


def clean_code(
    table: str,
    field: str,
    value: object,
    *,
    number: bool = False,
    required: bool = False,
    kept: str | None = None,
) -> str:
    """A code (``number=False``: batch and route codes) or a number issued elsewhere (``number=True``:
    agreement and certificate numbers) as stored, refused unless it follows its grammar (see ``CODE_MAX``
    and ``NUMBER_MAX``); the message names the record, the field, the character and what is allowed.

    Codes are read half-width (ＸＬ０１ typed with a Chinese input method is XL01).  ``kept`` is the value on
    file: a record keeps a code an older version accepted until the code itself is changed.
    """
    text = "" if value is None else str(value).strip()
    if kept is not None and text == kept:
        return text
    if not number:
        text = unicodedata.normalize("NFKC", text).strip()
    kind = messages.kind_label(table)
    label = messages.field_label(field)
    if required and not text:
        raise ValidationError("field.required", field=field, kind=kind, label=label, record=table)
    if not text:
        return ""
    limit = NUMBER_MAX if number else CODE_MAX
    for i, char in enumerate(text):
        if not _code_char(char, i == 0, number):
            raise ValidationError(
                "field.bad_code",
                field=field,
                record=table,
                kind=kind,
                label=label,
                value=text,
                char=messages.char_name(char),
                allowed=messages.text("field.allowed.number" if number else "field.allowed.code"),
                max=limit,
            )
    if len(text) > limit:
        raise ValidationError(
            "field.too_long", field=field, record=table, kind=kind, label=label, max=limit, length=len(text)
        )
    return text


#: The largest count a record holds (beds, headcount, quotas): far above any real one, and inside the
#: databases' INTEGER on both SQLite and PostgreSQL, so a mistyped 10¹² is refused with a message.
MAX_COUNT = 1_000_000


def non_negative(
    table: str, field: str, value: int | None, *, required: bool = True, maximum: int = MAX_COUNT
) -> int | None:
    if value is None:
        if required:
            raise ValidationError(
                "field.required",
                field=field,
                kind=messages.kind_label(table),
                label=messages.field_label(field),
            )
        return None
    value = int(value)
    if value < 0:
        raise ValidationError(
            "field.negative",
            field=field,
            kind=messages.kind_label(table),
            label=messages.field_label(field),
            value=value,
        )
    if value > maximum:
        raise ValidationError(
            "field.too_large",
            field=field,
            kind=messages.kind_label(table),
            label=messages.field_label(field),
            value=value,
            max=f"{maximum:,}",
        )
    return value


def choice(table: str, field: str, value: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise ValidationError(
            "field.bad_choice",
            field=field,
            kind=messages.kind_label(table),
            label=messages.field_label(field),
            value=value,
            choices=", ".join(allowed),
        )
    return value


def audit(
    session: Session,
    user: str,
    action: str,
    table: str,
    record_id: int | None,
    label: str = "",
    field: str = "",
    old: object = None,
    new: object = None,
) -> None:
    """Record one action (and, for a change, one field's old and new value) in the audit log."""
    session.add(
        AuditEntry(
            at=now(),
            user=user,
            action=action,
            table_name=table,
            record_id=record_id,
            record_label=label[:120],
            field=field,
            old=None if old is None else audit_value(field, old),
            new=None if new is None else audit_value(field, new),
        )
    )


#: Fields whose whole value is an ID number or a phone: the audit log keeps them masked.
AUDIT_ID_FIELDS = frozenset({"id_number"})
AUDIT_PHONE_FIELDS = frozenset({"phone", "leader_phone", "contact_phone"})
#: Codes that are not people's numbers, kept as they are (an all-digit 统一社会信用代码 looks like an ID number).
AUDIT_CODE_FIELDS = frozenset({"uscc", "code", "number", "certificate_no"})


def audit_value(field: str, value: object) -> str:
    """A value as the audit log stores it: that an ID number or a phone changed is recorded, never the number
    in full (330185********0013, 139****0000); numbers typed into free text (紧急联系人, 备注, a reason) are
    masked the same way (:func:`recuperation.people.mask_in_text`)."""
    text = str(value)
    if field in AUDIT_ID_FIELDS:
        return mask_id(text)
    if field in AUDIT_PHONE_FIELDS:
        masked = mask_in_text(text)
        return masked if masked != text else mask_phone(text)
    if field in AUDIT_CODE_FIELDS:
        return text
    return mask_in_text(text)


def get_or_raise(session: Session, model: type[M], record_id: int, shown_as: object | None = None) -> M:
    obj = session.get(model, record_id)
    if obj is None:
        table = str(model.__tablename__)
        raise NotFoundError(
            "record.not_found", record=table, kind=messages.kind_label(table), key=shown_as or record_id
        )
    return obj


def create_audited(session: Session, user: str, obj: M, label: str) -> M:
    """Insert ``obj`` and record its creation."""
    if hasattr(obj, "updated_by"):
        obj.updated_by = user
    session.add(obj)
    session.flush()
    table = str(obj.__tablename__)
    audit(session, user, "create", table, obj.id, label)  # type: ignore[attr-defined]
    return obj


def update_versioned(
    session: Session,
    model: type[M],
    record_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
    user: str,
    label: str,
    *,
    force: bool = False,
    quiet: Collection[str] = (),
    old_values: Mapping[str, Any] | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Apply ``changes`` to a record only if it is still at ``expected_version``.

    ``force`` moves the record to a new version even when none of its own fields changed (its children did,
    or the change is an event such as a roll-call mark that sets what it already was).  ``quiet`` names
    fields that change without an audit row of their own: what is recorded elsewhere (a reason the roster's
    history keeps) or is no field a person reads (the content an order was sent with).

    The compare-and-set happens in the UPDATE itself (``WHERE version = expected``), so two desks that
    loaded the same version can never both save: the second gets StaleEditError naming who changed the
    record and when.  Each changed field but the quiet ones is written to the audit log.  Returns the changed
    fields.

    ``old_values``: what to record as the old value of fields the desk may not read (a person's full numbers:
    their masks); a field named there and in ``changes`` is taken as changed (the caller compared the keys).
    """
    table = str(model.__tablename__)
    obj = get_or_raise(session, model, record_id)
    refuse_stale(table, label, obj, expected_version)
    olds = old_values or {}
    diffs = {
        f: (olds[f] if f in olds else getattr(obj, f), v)
        for f, v in changes.items()
        if f in olds or getattr(obj, f) != v
    }
    if not diffs and not force:
        return {}
    values = {f: new for f, (_old, new) in diffs.items()}
    values.update(version=expected_version + 1, updated_at=now(), updated_by=user)
    id_col = model.id  # type: ignore[attr-defined]
    version_col = model.version  # type: ignore[attr-defined]
    result = session.execute(
        update(model).where(id_col == record_id, version_col == expected_version).values(**values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.expire(obj)
        raise stale_error(table, label, obj, expected_version)
    session.expire(obj)
    for field, (old, new) in diffs.items():
        if field not in quiet:
            audit(session, user, "update", table, record_id, label, field, old, new)
    return diffs


def refuse_stale(table: str, label: str, obj: Any, expected: int) -> None:
    """Refuse a record that is no longer at the version the desk read (StaleEditError naming who changed it):
    a service that checks more before it writes calls this first, so that a stale desk is told so first."""
    if obj.version != expected:
        raise stale_error(table, label, obj, expected)


def stale_error(table: str, label: str, obj: Any, expected: int) -> StaleEditError:
    at = obj.updated_at.strftime("%Y-%m-%d %H:%M") if obj.updated_at else "?"
    return StaleEditError(
        "record.stale",
        record=table,
        kind=messages.kind_label(table),
        name=label,
        user=obj.updated_by or "?",
        at=at,
        current=obj.version,
        expected=expected,
    )


def set_archived(
    session: Session,
    model: type[M],
    record_id: int,
    version: int,
    archived: bool,
    user: str,
    label: str,
) -> None:
    """Archive (or bring back) a record: it leaves the everyday lists but keeps its history."""
    update_versioned(session, model, record_id, version, {"archived": archived}, user, label)
    audit(session, user, "archive" if archived else "unarchive", str(model.__tablename__), record_id, label)


def delete_checked(
    session: Session,
    model: type[M],
    record_id: int,
    version: int,
    user: str,
    label: str,
    dependents: Mapping[str, int],
    *,
    reason: tuple[str, str] | None = None,
) -> None:
    """Delete a record nothing depends on; otherwise refuse, naming what depends on it.

    ``dependents`` maps a kind of dependent record (``batch``, a ``depends.*`` message) to how many such
    records use this one.  ``reason``: (field, why) that the deletion's audit row carries as its field and
    old value (``("substitution", why)`` for a person taken off a roster).
    """
    table = str(model.__tablename__)
    obj = get_or_raise(session, model, record_id)
    refuse_stale(table, label, obj, version)
    used = {what: n for what, n in dependents.items() if n}
    if used:
        what = messages.join([messages.text(f"depends.{what}", count=n) for what, n in used.items()])
        key = "record.in_use" if hasattr(model, "archived") else "record.in_use_no_archive"
        raise RuleViolation(key, record=table, kind=messages.kind_label(table), name=label, what=what)
    session.delete(obj)
    session.flush()
    field, why = reason or ("", None)
    audit(session, user, "delete", table, record_id, label, field, why)


def count_where(session: Session, column: Any, value: object) -> int:
    """How many rows have ``column == value`` (for dependency checks)."""
    from sqlalchemy import func, select

    return int(session.execute(select(func.count()).where(column == value)).scalar_one())
