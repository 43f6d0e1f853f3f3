"""Settlement with the bases (结算): each batch's invoice per base, its difference from the actual cost
explained line by line, approval and payment.

:func:`known_costs` is the one rule every money figure uses for what a batch cost at a base: the invoice's
amount once it is approved (or paid); before that the actual cost when the roll call is closed; before that
the planned cost (:mod:`recuperation.services.rates`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlmodel import Session

from recuperation.models import BaseInvoice, InvoiceState, table_of
from recuperation.services import rates

#: Where a known cost comes from, from the surest.
SOURCES = ("invoice", "actual", "planned")


@dataclass(frozen=True)
class KnownCost:
    """What a batch cost at a base as far as it is known: ``fen`` (tax included), ``source`` (invoice, actual
    or planned) and ``complete`` (False when the computed cost lacks prices: then ``fen`` is a part)."""

    batch_id: int
    base_id: int
    fen: int
    source: str
    complete: bool
    sheet: rates.CostSheet | None = None


def known_costs(session: Session, batch_ids: Iterable[int]) -> dict[tuple[int, int], KnownCost]:
    """(batch id, base id) → :class:`KnownCost` for every base a batch uses and every base that invoiced it."""
    ids = sorted(set(batch_ids))
    sheets = rates.costs(session, ids)
    invoiced: dict[tuple[int, int], int] = {}
    inv = table_of(BaseInvoice).c
    settled = (InvoiceState.APPROVED.value, InvoiceState.PAID.value)
    for start in range(0, len(ids), rates.CHUNK):
        chunk = ids[start : start + rates.CHUNK]
        query = sa_select(inv.batch_id, inv.base_id, inv.amount_fen).where(
            inv.batch_id.in_(chunk), inv.state.in_(settled)
        )
        for batch_id, base_id, amount in session.connection().execute(query):
            invoiced[(batch_id, base_id)] = invoiced.get((batch_id, base_id), 0) + int(amount)
    result: dict[tuple[int, int], KnownCost] = {}
    for key in sorted(set(sheets) | set(invoiced)):
        sheet = sheets.get(key)
        if key in invoiced:
            result[key] = KnownCost(key[0], key[1], invoiced[key], "invoice", True, sheet)
        elif sheet is not None and sheet.actual is not None:
            result[key] = KnownCost(
                key[0], key[1], sheet.actual.total_fen, "actual", sheet.actual.complete, sheet
            )
        elif sheet is not None:
            result[key] = KnownCost(
                key[0], key[1], sheet.planned.total_fen, "planned", sheet.planned.complete, sheet
            )
    return result
