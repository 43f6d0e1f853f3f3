"""The audit log: who changed what and when, read back for the audit viewer and each record's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlmodel import SQLModel

from recuperation.models import Agreement, AuditEntry, Base, Batch, Partner, Route, table_of
from recuperation.storage.database import Database


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    user: str
    action: str
    table: str
    record_id: int | None
    label: str
    field: str
    old: str
    new: str


def list_audit(
    db: Database,
    *,
    table: str | None = None,
    record_id: int | None = None,
    user: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    search: str = "",
    limit: int = 5000,
) -> list[AuditRow]:
    """Entries newest first, filtered by record, user, period and text; at most ``limit`` of them."""
    a = table_of(AuditEntry).c
    query = select(
        a.id, a.at, a.user, a.action, a.table_name, a.record_id, a.record_label, a.field, a.old, a.new
    )
    if table:
        query = query.where(a.table_name == table)
    if record_id is not None:
        query = query.where(a.record_id == record_id)
    if user:
        query = query.where(a.user == user)
    if since is not None:
        query = query.where(a.at >= dt.datetime.combine(since, dt.time()))
    if until is not None:
        query = query.where(a.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
    if search:
        like = f"%{search.strip()}%"
        query = query.where(or_(a.record_label.like(like), a.old.like(like), a.new.like(like)))
    query = query.order_by(a.at.desc(), a.id.desc()).limit(limit)
    with db.engine.connect() as conn:
        return [
            AuditRow(i, at, u, action, t, rid, label or "", f or "", old or "", new or "")
            for i, at, u, action, t, rid, label, f, old, new in conn.execute(query)
        ]


def audit_users(db: Database) -> list[str]:
    a = table_of(AuditEntry).c
    with db.engine.connect() as conn:
        return [u for (u,) in conn.execute(select(a.user).distinct().order_by(a.user))]


#: The id fields of the audit log and the records they point at, named as the registers name them.
REFERENCE_FIELDS: dict[str, tuple[type[SQLModel], tuple[str, ...]]] = {
    "partner_id": (Partner, ("name",)),
    "agreement_id": (Agreement, ("number",)),
    "route_id": (Route, ("code", "name")),
    "base_id": (Base, ("name",)),
    "batch_id": (Batch, ("code",)),
}


def referenced_names(db: Database, rows: list[AuditRow]) -> dict[tuple[str, str], str]:
    """The names of the records that the id fields of ``rows`` (agreement_id 74) point at, keyed by
    (field, the value as logged): one query per kind of record, for the ids in ``rows`` only.  An id whose
    record is gone has no name."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if row.field in REFERENCE_FIELDS:
            for value in (row.old, row.new):
                if value.isdigit():
                    wanted.setdefault(row.field, set()).add(int(value))
    names: dict[tuple[str, str], str] = {}
    with db.engine.connect() as conn:
        for field, ids in wanted.items():
            model, columns = REFERENCE_FIELDS[field]
            t = table_of(model).c
            query = select(t.id, *(t[c] for c in columns)).where(t.id.in_(sorted(ids)))
            for record_id, *parts in conn.execute(query):
                names[(field, str(record_id))] = " ".join(str(p) for p in parts if p)
    return names
