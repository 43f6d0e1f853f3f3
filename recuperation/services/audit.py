"""The audit log: who changed what and when, read back for the audit viewer and each record's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select

from recuperation.db import Database
from recuperation.models import AuditEntry, table_of


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
