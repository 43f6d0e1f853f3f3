"""The demo's money (recuperation/demo/money.py): what a user of the demo finds in settlement and rules."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import select

from recuperation.models import (
    Agreement,
    BaseInvoice,
    Batch,
    InsurancePolicy,
    InvoiceAdjustment,
    Partner,
    Payment,
    SpendingPack,
    SpendingRule,
)
from recuperation.services import rates


def test_every_demo_invoice_is_the_actual_cost_and_its_explained_difference(demo_db) -> None:
    with demo_db.session() as session:
        invoices = session.exec(select(BaseInvoice)).all()
        adjustments: dict[int, int] = defaultdict(int)
        for line in session.exec(select(InvoiceAdjustment)).all():
            assert line.reason
            adjustments[line.invoice_id] += line.amount_fen
        paid: dict[int, int] = defaultdict(int)
        for payment in session.exec(select(Payment)).all():
            paid[payment.invoice_id] += payment.amount_fen
        sheets = rates.costs(session, sorted({i.batch_id for i in invoices}))
        states = {i.state for i in invoices}
        differing = 0
        for invoice in invoices:
            actual = sheets[(invoice.batch_id, invoice.base_id)].actual
            assert actual is not None and actual.complete
            assert invoice.amount_fen == actual.total_fen + adjustments[invoice.id]
            differing += bool(adjustments[invoice.id])
            assert paid[invoice.id] == (invoice.amount_fen if invoice.state == "paid" else 0)
            if invoice.state != "received":
                assert invoice.approved_on is not None and invoice.approved_on >= invoice.issued_on
        batches = session.exec(select(Batch).where(Batch.status == "completed")).all()
    assert states == {"received", "approved", "paid"}  # the overview has open settlement to show
    assert 0.04 < differing / len(invoices) < 0.15
    assert len({i.batch_id for i in invoices}) > 0.95 * len(batches)


def test_the_demo_has_two_jurisdictions_and_agreements_of_both_kinds(demo_db) -> None:
    with demo_db.session() as session:
        packs = {p.id: p.name for p in session.exec(select(SpendingPack)).all()}
        rules = session.exec(select(SpendingRule)).all()
        partners = session.exec(select(Partner)).all()
        agreements = session.exec(select(Agreement)).all()
        policies = session.exec(select(InsurancePolicy)).all()
        batches = session.exec(select(Batch).where(Batch.status != "cancelled")).all()
    assert sorted(packs.values()) == ["宁波市", "杭州市"]
    assert all(rule.source for rule in rules)
    assert {(packs[r.pack_id], r.kind, r.amount) for r in rules} >= {
        ("杭州市", "day_cap", 60_000),
        ("杭州市", "year_cap", 300_000),
        ("宁波市", "year_cap", 200_000),
        ("宁波市", "accident_min", 100_000_000),
        ("宁波市", "medical_min", 10_000_000),
    }
    by_name = {p.name: p.spending_pack_id for p in partners}
    assert packs[by_name["宁波大学"]] == "宁波市"
    assert packs[by_name["杭州市总工会"]] == "杭州市"
    assert by_name["秦山核电站"] is None  # Jiaxing's rules are not known
    assert {a.charge_basis for a in agreements} == {"price", "cost"}
    assert len(policies) >= 0.98 * len(batches)
