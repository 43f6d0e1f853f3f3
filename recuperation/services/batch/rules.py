"""The rules (docs/domain.md and the README's *The rules the program enforces*) as they apply to one batch: capacity, certification, agreement quota and term,
roster count, the share of a worker category.  Each comes back as a Finding that names the rule and the numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import extract, func
from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.models import (
    Agreement,
    Base,
    Batch,
    BatchItem,
    BatchKind,
    BatchStatus,
    ItemKind,
    Lodging,
    Participant,
    Route,
)
from recuperation.services.bases import valid_levels_on
from recuperation.services.batch.night_base import NightBase, night_bases
from recuperation.services.common import get_or_raise


@dataclass(frozen=True)
class Finding:
    """A rule that fired on a batch: ``severity`` is "error" or "warning"; ``rule`` names the rule."""

    severity: str
    rule: str
    message: str


def beds_used(
    session: Session,
    base_ids: Iterable[int],
    first: dt.date,
    last: dt.date,
    *,
    exclude_batch: int | None = None,
    firm_only: bool = False,
    include_batch: int | None = None,
) -> dict[tuple[int, dt.date], int]:
    """People lodged per (base, night) by batches that are not cancelled, nights ``first``..``last``.

    ``firm_only`` counts only batches that hold their beds (confirmed or later), plus ``include_batch``.
    """
    query = (
        select(col(Lodging.base_id), col(Lodging.night), func.sum(Lodging.people))
        .join(Batch, col(Batch.id) == Lodging.batch_id)
        .where(
            col(Lodging.base_id).in_(list(base_ids)),
            col(Lodging.night) >= first,
            col(Lodging.night) <= last,
            Batch.status != BatchStatus.CANCELLED.value,
        )
        .group_by(col(Lodging.base_id), col(Lodging.night))
    )
    if exclude_batch is not None:
        query = query.where(Lodging.batch_id != exclude_batch)
    if firm_only:
        firm = col(Batch.status).in_(FIRM)
        query = query.where(
            firm | (col(Lodging.batch_id) == include_batch) if include_batch is not None else firm
        )
    return {(base_id, night): int(total) for base_id, night, total in session.exec(query)}


#: Statuses from which a batch holds its beds firmly: confirming an overbooking is refused.
FIRM = (BatchStatus.CONFIRMED.value, BatchStatus.IN_PROGRESS.value, BatchStatus.COMPLETED.value)


def overbooking(session: Session, batch: Batch, *, firm_only: bool = False) -> list[Finding]:
    """Nights on which this batch's lodging takes a base past its beds (other batches included).

    ``firm_only`` is the test for confirming: only the beds other batches hold firmly (confirmed or later)
    count against it; planned batches are shown their overlap as a finding but do not block one another.
    """
    rows = session.exec(select(Lodging).where(Lodging.batch_id == batch.id)).all()
    if not rows or batch.status == BatchStatus.CANCELLED.value:
        return []
    used = beds_used(
        session,
        {r.base_id for r in rows},
        batch.arrival,
        batch.departure,
        firm_only=firm_only,
        include_batch=batch.id,
    )
    findings = []
    for base_id, night in sorted({(r.base_id, r.night) for r in rows}):
        base = get_or_raise(session, Base, base_id)
        total = used.get((base_id, night), 0)
        if total > base.beds:
            findings.append(
                Finding(
                    "error",
                    "capacity",
                    messages.text(
                        "rule.overbooked",
                        base=base.name,
                        night=_night(night),
                        over=total - base.beds,
                        used=total,
                        beds=base.beds,
                    ),
                )
            )
    return findings


def _night(day: dt.date) -> str:
    return messages.day_text(day, year=False)


def batch_findings(session: Session, batch: Batch) -> list[Finding]:
    """Every rule (docs/domain.md) on one batch: capacity, certification, agreement quota and term, roster."""
    findings = overbooking(session, batch)
    if batch.status == BatchStatus.CANCELLED.value:
        return findings
    for base_id, night in session.exec(
        select(col(Lodging.base_id), col(Lodging.night))
        .where(Lodging.batch_id == batch.id)
        .order_by(col(Lodging.night))
    ):
        if not valid_levels_on(session, base_id, night):
            base = get_or_raise(session, Base, base_id)
            findings.append(
                Finding(
                    "warning",
                    "certification",
                    messages.text("rule.uncertified", base=base.name, night=_night(night)),
                )
            )
    findings.extend(lodging_plan_findings(session, batch))
    findings.extend(route_length_findings(session, batch))
    if batch.agreement_id is not None:
        findings.extend(agreement_findings(session, batch))
    findings.extend(category_share_findings(session, batch))
    findings.extend(spending_findings(session, batch))
    roster = int(  # companions (随行家属) travel beside the planned headcount
        session.exec(
            select(func.count())
            .select_from(Participant)
            .where(Participant.batch_id == batch.id, Participant.companion == False)  # noqa: E712 (SQL)
        ).one()
    )
    if roster and roster != batch.headcount:
        findings.append(
            Finding(
                "warning",
                "roster_count",
                messages.text("rule.roster_count", code=batch.code, roster=roster, headcount=batch.headcount),
            )
        )
    return findings


def spending_findings(session: Session, batch: Batch) -> list[Finding]:
    """The rules of the partner's spending pack (开支标准, :mod:`recuperation.services.spending`): a rule
    that refuses is an error (it stops confirming), one that warns a warning."""
    from recuperation.services import spending

    assert batch.id is not None
    return [
        Finding(f.severity, f"spending_{f.kind}", f.message)
        for f in spending.findings(session, [batch.id]).get(batch.id, [])
    ]


def share_percent(count: int, total: int) -> int:
    """A share in whole percent, rounded down: 89.7% is shown as 89%, never as the 90% it falls short of."""
    return count * 100 // total if total else 0


def category_share_findings(session: Session, batch: Batch) -> list[Finding]:
    """The policy's least share of a worker category (``category_share``, when ``category_share_scope`` is
    "batch") on a recuperation batch's roster, companions left out: a warning naming the numbers when the
    roster falls short.  A batch without a roster has nothing to measure."""
    from recuperation.services.policy import load_policy

    policy = load_policy(session)
    rule = policy.share_rule
    if rule is None or policy.category_share_scope != "batch" or batch.kind != BatchKind.RECUPERATION.value:
        return []
    category, least = rule
    members = select(func.count()).where(
        Participant.batch_id == batch.id,
        Participant.companion == False,  # noqa: E712 (SQL)
    )
    total = int(session.exec(members.select_from(Participant)).one())
    count = int(session.exec(members.select_from(Participant).where(Participant.category == category)).one())
    if not total or count * 100 >= least * total:
        return []
    return [
        Finding(
            "warning",
            "category_share",
            messages.text(
                "rule.category_share",
                code=batch.code,
                category=category,
                count=count,
                total=total,
                share=share_percent(count, total),
                least=least,
            ),
        )
    ]


def batch_nights(session: Session, batch: Batch) -> dict[dt.date, NightBase]:
    """Where the batch sleeps each night (its lodging, else its itinerary's 入住 base): see night_base."""
    lodging = session.exec(
        select(col(Lodging.night), col(Lodging.base_id), col(Base.name), col(Lodging.people))
        .join(Base, col(Base.id) == Lodging.base_id)
        .where(Lodging.batch_id == batch.id)
    ).all()
    plan = session.exec(
        select(col(BatchItem.on_date), col(BatchItem.base_id), col(Base.name))
        .join(Base, col(Base.id) == BatchItem.base_id)
        .where(BatchItem.batch_id == batch.id, BatchItem.kind == ItemKind.LODGING.value)
        .order_by(col(BatchItem.on_date), col(BatchItem.seq))
    ).all()
    return night_bases(lodging, plan)  # type: ignore[arg-type]


def lodging_plan_findings(session: Session, batch: Batch) -> list[Finding]:
    """Nights on which the lodging puts the group at another base than the itinerary's 入住 item.

    A **warning**, not an error that blocks confirming: the lodging is what the coordinator booked (the
    beds are counted against it) and every document follows it (see :mod:`night_base`), so the printed
    itinerary, rooming list and meal counts agree with one another whatever the itinerary says; lodging
    somewhere else than the route's plan is also a normal answer to a full base.  What is left is an
    itinerary whose 入住 text the coordinator should bring in line, or a lodging entered by mistake — the
    message names the night, both bases and the two ways to fix it.
    """
    findings = []
    for entry in batch_nights(session, batch).values():
        if entry.agrees or entry.planned is None:
            continue
        findings.append(
            Finding(
                "warning",
                "lodging_plan",
                messages.text(
                    "rule.lodging_plan",
                    night=_night(entry.night),
                    day=(entry.night - batch.arrival).days + 1,
                    lodged=messages.join(list(entry.names)),
                    planned=entry.planned[1],
                ),
            )
        )
    return findings


def route_length_findings(session: Session, batch: Batch) -> list[Finding]:
    """A route with more days than the batch: its itinerary holds only the batch's days (the route's plan is
    cut after the departure), so the group would miss the rest of the route.  A warning naming both."""
    if batch.route_id is None:
        return []
    route = session.get(Route, batch.route_id)
    days = (batch.departure - batch.arrival).days + 1
    if route is None or route.days <= days:
        return []
    return [
        Finding(
            "warning",
            "route_length",
            messages.text(
                "rule.route_length",
                code=batch.code,
                route=f"{route.code} {route.name}",
                route_days=route.days,
                days=days,
                arrival=batch.arrival.isoformat(),
                departure=batch.departure.isoformat(),
            ),
        )
    ]


def agreement_findings(session: Session, batch: Batch) -> list[Finding]:
    """The agreement's term and yearly quota; a quota finding is an error when the policy refuses it."""
    agreement = get_or_raise(session, Agreement, batch.agreement_id or 0)
    findings = []
    if batch.arrival < agreement.valid_from or batch.departure > agreement.valid_to:
        findings.append(
            Finding(
                "warning",
                "agreement_term",
                messages.text(
                    "rule.outside_term",
                    code=batch.code,
                    arrival=batch.arrival.isoformat(),
                    departure=batch.departure.isoformat(),
                    number=agreement.number,
                    start=agreement.valid_from.isoformat(),
                    end=agreement.valid_to.isoformat(),
                ),
            )
        )
    year = batch.arrival.year
    roster = (  # companions never count against a quota
        select(Participant.batch_id, func.count().label("n"))
        .where(Participant.companion == False)  # noqa: E712 (SQL)
        .group_by(col(Participant.batch_id))
        .subquery()
    )
    people = func.coalesce(func.nullif(roster.c.n, 0), Batch.headcount)
    count, total = session.exec(
        select(func.count(), func.coalesce(func.sum(people), 0))
        .select_from(Batch)
        .outerjoin(roster, roster.c.batch_id == Batch.id)
        .where(
            Batch.agreement_id == agreement.id,
            Batch.status != BatchStatus.CANCELLED.value,
            extract("year", col(Batch.arrival)) == year,
        )
    ).one()
    from recuperation.services.policy import load_policy

    severity = "error" if load_policy(session).quota_mode == "refuse" else "warning"
    if agreement.quota_batches is not None and count > agreement.quota_batches:
        findings.append(
            Finding(
                severity,
                "quota",
                messages.text(
                    "rule.quota_batches",
                    number=agreement.number,
                    year=year,
                    quota=agreement.quota_batches,
                    count=count,
                ),
            )
        )
    if agreement.quota_people is not None and total > agreement.quota_people:
        findings.append(
            Finding(
                severity,
                "quota",
                messages.text(
                    "rule.quota_people",
                    number=agreement.number,
                    year=year,
                    quota=agreement.quota_people,
                    count=total,
                ),
            )
        )
    return findings
