"""``stats --money``: the period's money figures (:mod:`recuperation.services.money_stats`) as lines of text;
with ``--json`` they go under the key ``money`` of the statistics' JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from recuperation import messages
from recuperation.money import yuan_text

if TYPE_CHECKING:
    from recuperation.services.money_stats import MoneyFigures, MoneyLine
    from recuperation.services.statistics import Period
    from recuperation.storage.database import Database


def load(db: Database, period: Period) -> MoneyFigures:
    from recuperation.services.money_stats import money_figures

    return money_figures(db, period)


def _per_day(fen: int | None) -> str:
    return "—" if fen is None else yuan_text(fen)


def _line(line: MoneyLine, name: str | None = None) -> str:
    return "  " + messages.text(
        "money_figures.line",
        name=name or line.name,
        batches=f"{line.batches:,}",
        days=f"{line.person_days:,}",
        cost=yuan_text(line.cost_fen),
        per_day=_per_day(line.per_person_day_fen),
    )


def lines(money: MoneyFigures) -> list[str]:
    """The money figures as ``stats`` prints them: the totals, where the costs come from, what lacks a price,
    paid and outstanding, then each table."""
    total, paid = money.total, money.paid
    out = [
        "",
        messages.text(
            "money_figures.total",
            total=yuan_text(total.cost_fen),
            members=yuan_text(total.member_cost_fen),
            companions=yuan_text(total.companion_cost_fen),
        ),
        messages.text(
            "money_figures.per_day", days=f"{total.person_days:,}", per_day=_per_day(total.per_person_day_fen)
        ),
    ]
    source = {s.source: s for s in money.sources}
    out.append(
        messages.text(
            "money_figures.sources",
            invoice_n=f"{source['invoice'].costs:,}",
            invoice=yuan_text(source["invoice"].fen),
            actual_n=f"{source['actual'].costs:,}",
            actual=yuan_text(source["actual"].fen),
            planned_n=f"{source['planned'].costs:,}",
            planned=yuan_text(source["planned"].fen),
        )
    )
    if money.gaps:
        items = [f"{g.batch_code} {g.base}" for g in money.gaps[:5]] + (["…"] if len(money.gaps) > 5 else [])
        out.append(messages.text("money_figures.incomplete", n=len(money.gaps), items=messages.join(items)))
    if money.no_base:
        codes = list(money.no_base[:5]) + (["…"] if len(money.no_base) > 5 else [])
        out.append(
            messages.text("money_figures.no_base_batches", n=len(money.no_base), codes=messages.join(codes))
        )
    out.append(
        messages.text(
            "money_figures.paid",
            n=f"{paid.invoices:,}",
            invoiced=yuan_text(paid.invoiced_fen),
            paid=yuan_text(paid.paid_fen),
            outstanding=yuan_text(paid.outstanding_fen),
            awaiting=yuan_text(paid.awaiting_fen),
            due=yuan_text(paid.due_fen),
        )
    )
    out.append(
        messages.text(
            "money_figures.uninvoiced", n=f"{paid.uninvoiced:,}", fen=yuan_text(paid.uninvoiced_fen)
        )
    )
    for key, table in (
        ("money_figures.by_kind", money.by_kind),
        ("money_figures.by_partner", money.by_partner),
        ("money_figures.by_base", money.by_base),
        ("money_figures.by_route", money.by_route),
        ("money_figures.by_month", money.by_month),
    ):
        out.append(messages.text(key))
        out += [_line(line) for line in table]
    return out
