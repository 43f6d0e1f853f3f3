"""What every service shares: input cleaning, versioned updates with their audit trail."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import Session, SQLModel

from recuperation import messages
from recuperation.errors import NotFoundError, RuleViolation, StaleEditError, ValidationError
from recuperation.models import AuditEntry

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

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
    allowed = text.replace("\n", "").replace("\r", "").replace("\t", "") if multiline else text
    if _CONTROL.search(allowed) or (not multiline and ("\n" in text or "\r" in text)):
        raise ValidationError("field.control_chars", field=field, kind=kind, label=label)
    if len(text) > max_length:
        raise ValidationError(
            "field.too_long", field=field, kind=kind, label=label, max=max_length, length=len(text)
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
            old=None if old is None else str(old),
            new=None if new is None else str(new),
        )
    )


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
) -> dict[str, tuple[Any, Any]]:
    """Apply ``changes`` to a record only if it is still at ``expected_version``.

    ``force`` moves the record to a new version even when none of its own fields changed (its children did).

    The compare-and-set happens in the UPDATE itself (``WHERE version = expected``), so two desks that
    loaded the same version can never both save: the second gets StaleEditError naming who changed the
    record and when.  Each changed field is written to the audit log.  Returns the changed fields.
    """
    table = str(model.__tablename__)
    obj = get_or_raise(session, model, record_id)
    current = obj.version  # type: ignore[attr-defined]
    if current != expected_version:
        raise _stale(table, label, obj, expected_version)
    diffs = {f: (getattr(obj, f), v) for f, v in changes.items() if getattr(obj, f) != v}
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
        raise _stale(table, label, obj, expected_version)
    session.expire(obj)
    for field, (old, new) in diffs.items():
        audit(session, user, "update", table, record_id, label, field, old, new)
    return diffs


def _stale(table: str, label: str, obj: Any, expected: int) -> StaleEditError:
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
) -> None:
    """Delete a record nothing depends on; otherwise refuse, naming what depends on it.

    ``dependents`` maps a description ("批次") to how many such records use this one.
    """
    table = str(model.__tablename__)
    obj = get_or_raise(session, model, record_id)
    if obj.version != version:  # type: ignore[attr-defined]
        raise _stale(table, label, obj, version)
    used = {what: n for what, n in dependents.items() if n}
    if used:
        what = "、".join(f"{n} 个{what}" for what, n in used.items())
        raise RuleViolation(
            "record.in_use", record=table, kind=messages.kind_label(table), name=label, what=what
        )
    session.delete(obj)
    session.flush()
    audit(session, user, "delete", table, record_id, label)


def count_where(session: Session, column: Any, value: object) -> int:
    """How many rows have ``column == value`` (for dependency checks)."""
    from sqlalchemy import func, select

    return int(session.execute(select(func.count()).where(column == value)).scalar_one())
