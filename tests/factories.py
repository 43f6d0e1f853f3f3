"""Small hand-built records for tests where the right answers are known."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count

from sqlalchemy.engine import Connection
from stdnum.cn import uscc

from recuperation.models import OrderStatus
from recuperation.people import with_check_character
from recuperation.services import bases, orders, partners
from recuperation.storage.database import Database

_serial = count(1)


def valid_uscc(region: str = "330182") -> str:
    body = f"91{region}{next(_serial):09d}"
    return body + uscc.calc_check_digit(body)


def person_id(n: int, birth: str = "19800101", region: str = "330182") -> str:
    return with_check_character(f"{region}{birth}{n % 1000:03d}")


def partner(db: Database, name: str = "宁波大学") -> partners.PartnerRow:
    return partners.create_partner(db, partners.PartnerInput(name=name, kind="university", uscc=valid_uscc()))


def certified_base(
    db: Database,
    name: str = "寿昌宾馆",
    beds: int = 80,
    since: dt.date = dt.date(2020, 1, 1),
    until: dt.date = dt.date(2022, 12, 31),
    level: str = "hangzhou",
) -> bases.BaseRow:
    base = bases.create_base(db, bases.BaseInput(name=name, beds=beds, rooms=beds // 2, township="寿昌镇"))
    cert = bases.apply_for_certification(db, base.id, level, since - dt.timedelta(days=90), "王建华")
    for step in ("first_review", "site_inspection"):
        cert = bases.advance_certification(db, cert.id, cert.version, step, since - dt.timedelta(days=30))
    bases.advance_certification(
        db,
        cert.id,
        cert.version,
        "certified",
        since,
        certificate_no=f"HZ-{name}",
        valid_from=since,
        valid_to=until,
    )
    return base


def confirm_orders(
    db: Database, batch_id: int, *, on: dt.date | None = None, how: str = "printed"
) -> list[orders.OrderRow]:
    """Send every order of the batch (its current content) and record each base's confirmation, so that the
    batch may be confirmed (the rule refuses a batch whose bases have not confirmed).  Withdrawn orders (a
    base the batch no longer uses, a cancelled batch) are left alone.  Returns the orders as they now are."""
    for row in orders.batch_orders(db, batch_id):
        if row.content is None or row.state in (orders.WITHDRAWN, orders.CANCEL_SENT):
            continue  # a base the batch no longer uses
        if row.state in (OrderStatus.CONFIRMED.value, OrderStatus.AMENDED.value):
            continue
        orders.mark_sent(db, batch_id, row.base_id, how, on=on)
        orders.mark_answer(db, batch_id, row.base_id, OrderStatus.CONFIRMED.value, by="前台", on=on)
    return orders.batch_orders(db, batch_id)


def stored_numbers(db: Database, batch_id: int | None = None) -> dict[int, tuple[str, str]]:
    """participant id → (ID number, phone) as stored, read as the schema's owner, for tests that check what a
    document or an import did with them (the program itself reads them only with the right, audited:
    services/identity.py).  On PostgreSQL the owner is the test cluster's superuser."""
    from sqlalchemy import text

    with owner_connection(db) as conn:
        rows = conn.execute(
            text(
                "SELECT id, id_number, phone FROM participant"
                + ("" if batch_id is None else " WHERE batch_id = :b")
                + " ORDER BY id"
            ),
            {"b": batch_id},
        ).all()
    return {int(i): (str(n), str(p or "")) for i, n, p in rows}


def audit_user(db: Database) -> str:
    """Whom the audit log names for what this desk does: the desk user, or on a server the login the desk
    signed in with (the server's session_user, services/users), unless it owns the schema (the tests'
    owner writes under the desk user's name, as a copy with its history does)."""
    access = db.access
    return str(access.login) if access.server and not access.owner else db.user


def owner_url(db: Database) -> str:
    """The database's URL as its owner (the test cluster's superuser on PostgreSQL; the file itself on SQLite):
    for tests that look at everything, the full numbers too."""
    from sqlalchemy.engine import make_url

    from tests.pg_cluster import PgCluster

    if db.is_sqlite:
        return db.url
    return make_url(db.url).set(username=PgCluster.superuser).render_as_string(hide_password=False)


def keys(db: Database, *numbers: str) -> list[str]:
    """The keys of ``numbers`` (services/identity.py), in their order: what an import plan lists people by."""
    from recuperation.services import identity

    found = identity.keys_of(db, None, numbers)
    return [found[n] for n in numbers]


@contextmanager
def owner_connection(db: Database) -> Iterator[Connection]:
    """A connection as the database's owner (:func:`owner_url`): what tests that search every column use."""
    from sqlalchemy import create_engine

    if db.is_sqlite:
        with db.engine.connect() as conn:
            yield conn
        return
    engine = create_engine(owner_url(db))
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()
