"""The deterministic demo: the year 2021 of the Jiande federation, and more years for scale.

By 30 November 2021 the demo reproduces the year's known figures: 1,065 recuperation batches with 38,665
people, 65 training classes, 3 conferences, 8 agreements signed during the year, 27 certified bases (1
provincial, 26 Hangzhou-level), and the first group of 200 frontline workers of the Hangzhou programme at the
Shouchang ancient town on 31 March.  December continues the year; ``years > 1`` continues the pattern.

Every batch has a full roster of invented people with ID numbers that pass the GB 11643 check, and on no
night does any base hold more people than it has beds: lodging is allocated against a running tally of
beds per (base, night), moving to another certified base of the same township, then of any township.

Every completed batch has its roll call (报到), closed on its departure day: most people attended, a few did
not come or left early.  A few batches have companions (随行家属, beside the planned roster: the figures
above are the planned ones, companions excluded) and a few had a substitution (换人) before they left.

Each batch's service orders (接待预订单) are in every state an order can be in, and some batches have their
departure notice (出团通知书): see :mod:`recuperation.demo.orders`.

Every base has a rate card (价目表) for each year, with its invoice details, some with a summer season: see
:mod:`recuperation.demo.rate_cards`.

Partners follow their jurisdiction's spending rules, agreements charge by price or at cost, every batch is
insured and the completed batches' bases have invoiced and (but the last few) been paid: see
:mod:`recuperation.demo.money`.

Most completed batches returned their questionnaires (three bases clearly weaker than the rest), a few had
incidents of every kind, and every site inspection and re-check has its inspection against the office's
clauses: see :mod:`recuperation.demo.reviews`.

Everything is written in one transaction with Core bulk inserts (about 8× faster than ORM objects).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select, text
from sqlmodel import Session

from recuperation.changes import CHANNEL, Change, everything_payload
from recuperation.demo import money as demo_money
from recuperation.demo import reviews as demo_reviews
from recuperation.demo.generator import YEAR_SCALE, Generator
from recuperation.demo.orders import OrderMaker
from recuperation.errors import ValidationError
from recuperation.models import (
    Agreement,
    AuditEntry,
    Base,
    BaseInvoice,
    Batch,
    BatchItem,
    Certification,
    CertificationStep,
    DepartureNotice,
    FeedbackResponse,
    Incident,
    Inspection,
    Lodging,
    Participant,
    Partner,
    PolicySetting,
    RateCard,
    RateLine,
    RosterEvent,
    Route,
    RouteItem,
    ServiceOrder,
    SpendingPack,
    SpendingRule,
    StandardClause,
    table_of,
)
from recuperation.services import orders as order_service
from recuperation.storage.database import Database


@dataclass
class DemoReport:
    years: int
    batches: int = 0
    participants: int = 0
    seconds: float = 0.0


def _insert(conn: Connection, model: type, rows: list[dict[str, object]], chunk: int = 20_000) -> None:
    table = table_of(model)
    if model is Participant:  # the masks and keys with the numbers: the file's triggers write nothing again
        from recuperation.storage.person_keys import kept_values

        rows = [{**r, **kept_values(str(r["id_number"]), str(r["phone"]))} for r in rows]
    for start in range(0, len(rows), chunk):
        conn.execute(insert(table), rows[start : start + chunk])


def build_demo(
    db: Database, years: int = 1, progress: Callable[[str, float], None] | None = None
) -> DemoReport:
    """Fill an empty database with the demo (``years`` from 2021 on), all in one transaction."""
    if years < 1 or years > len(YEAR_SCALE):
        raise ValidationError("demo.years", field="years", value=years, most=len(YEAR_SCALE))
    started = time.perf_counter()
    with db.engine.connect() as conn:
        existing = conn.execute(select(func.count()).select_from(table_of(Batch))).scalar_one()
        partners = conn.execute(select(func.count()).select_from(table_of(Partner))).scalar_one()
    if existing or partners:
        raise ValidationError("demo.not_empty", path=db.name, batches=existing)

    gen = Generator(years, progress)
    gen.reference()
    for index in range(years):
        gen.year(index)
    gen.finish()
    gen.progress("write", 0.95)

    t = gen.t
    with db.engine.connect() as conn:
        conn = conn.execution_options(immediate=True)
        with conn.begin():
            packs, rules = demo_money.tables(gen.stamp)
            demo_money.assign(t.partners, t.agreements)
            _insert(conn, SpendingPack, packs)
            _insert(conn, SpendingRule, rules)
            _insert(conn, Partner, t.partners)
            _insert(conn, Agreement, t.agreements)
            _insert(conn, Base, t.bases)
            _insert(conn, RateCard, t.rate_cards)
            _insert(conn, RateLine, t.rate_lines)
            _insert(conn, Certification, t.certifications)
            _insert(conn, CertificationStep, t.steps)
            _insert(conn, Route, t.routes)
            _insert(conn, RouteItem, t.route_items)
            _insert(conn, Batch, t.batches)
            _insert(conn, BatchItem, t.batch_items)
            _insert(conn, Lodging, t.lodging)
            _insert(conn, Participant, t.participants)
            _insert(conn, RosterEvent, t.roster_events)
            # The service orders' content is derived from the rows just written, read back in this transaction.
            gen.progress("orders", 0.97)
            with Session(bind=conn) as session:

                def contents_of(ids: list[int]) -> dict[tuple[int, int], dict[str, object]]:
                    found = order_service.contents(session, ids)
                    session.expunge_all()
                    return found

                made = OrderMaker(gen, dt.date.today()).make(contents_of)
            _insert(conn, ServiceOrder, made.orders)
            _insert(conn, DepartureNotice, made.notices)
            gen.progress("money", 0.98)
            demo_money.settle(conn, gen.stamp, dt.date.today())
            gen.progress("reviews", 0.99)
            demo_reviews.write(conn, gen.stamp, dt.date.today(), demo_reviews.default_clauses())
            # The demo's union unless the office has already named its own (the first-run assistant).
            settings = table_of(PolicySetting)
            named = set(conn.execute(select(settings.c.key)).scalars())
            demo_union = {"union_name": "建德市总工会", "union_address": "浙江省杭州市建德市新安江街道"}
            rows = [
                {"key": k, "value": v, "version": 1, "updated_at": gen.stamp, "updated_by": "demo"}
                for k, v in demo_union.items()
                if k not in named
            ]
            if rows:
                conn.execute(insert(settings), rows)
            conn.execute(
                insert(table_of(AuditEntry)).values(
                    at=gen.stamp,
                    user=db.user,
                    action="demo",
                    table_name="batch",
                    record_id=None,
                    record_label=f"演示数据 {years} 年",
                    field="",
                    old=None,
                    new=f"{len(t.batches)} 批次",
                )
            )
            if conn.dialect.name == "postgresql":
                for model in (
                    SpendingPack,
                    Partner,
                    Agreement,
                    Base,
                    RateCard,
                    Certification,
                    Route,
                    Batch,
                    BaseInvoice,
                    FeedbackResponse,
                    Incident,
                    StandardClause,
                    Inspection,
                ):
                    name = table_of(model).name
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f"(SELECT MAX(id) FROM {name}))"
                        )
                    )
                # other desks on the server reload everything when this commits
                conn.execute(select(func.pg_notify(CHANNEL, everything_payload(db.desk_id))))
    # This desk's own views (the writes above bypass the sessions); other desks had the NOTIFY with the commit.
    db.announce(Change(everything=True), notify=False)
    gen.progress("done", 1.0)
    return DemoReport(years, len(t.batches), len(t.participants), time.perf_counter() - started)
