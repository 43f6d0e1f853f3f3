"""Money figures (费用统计): what a period's batches cost, per person-day, by kind, partner, base, route and
month, and how much of it the bases have invoiced and been paid.

The definitions (docs/domain.md, *Money figures*):

- **Which batches**: those arriving in the period that are not cancelled, as the statistics count them
  (:mod:`recuperation.services.statistics`) — of every kind, because training classes and conferences are
  paid for too; the lines by kind keep the recuperation batches apart.
- **Cost**: each batch's known cost at each base (:func:`recuperation.services.settlement.known_costs`: the
  approved invoice, else the actual cost of a closed roll call, else the planned cost), tax included.  The
  sources are counted (:attr:`MoneyFigures.sources`), so a reader sees how much is invoiced and how much
  computed.  A cost that lacks prices is counted as incomplete (its amount is then a part of the cost) and
  named in :attr:`MoneyFigures.gaps`; never a silent zero.  A batch that uses no base has no cost at all and
  is named in :attr:`MoneyFigures.no_base`.
- **Person-days** are the union's: members only (companions never count), people × the batch's days — those
  who attended where the roll call is closed (a no-show nothing, one who left early the days to the day they
  left), else as planned: the same days the cost covers (an actual cost or an invoice pays what was used).
  For a recuperation batch these are the statistics' attended person-days
  (:class:`recuperation.services.statistics.AttendanceFigures`).
- **Cost per person-day** is the members' cost ÷ the members' person-days.  Companions lodge and eat at
  their own cost: each cost at a base is shared between the batch's members and its companions in proportion
  to their person-days (rounded half up to the fen, the companions' part is the rest), the guide's and the
  driver's rooms and meals going with it.  ``cost_fen`` is the whole cost, ``member_cost_fen`` the union's
  part of it; both are shown.
- **By base**: the cost at the base, and the person-days of the batches that cost there, each batch in full
  at every base it cost at (as the statistics' table by base counts a batch in full at each base it lodged
  at): the cost per person-day at a base is what the base adds to a person-day of the groups it served, so a
  farm where the groups only lunch reads ¥40, not the price of a day.  So the bases' person-days add up to
  more than the total when batches use several bases; their costs add up to the total.  A batch that used no
  base counts under （未安排基地）.  Every other table's lines add up to its total, in fen and in person-days.
- **Paid and outstanding**: the invoices of the period's batches (every state) against their payments:
  invoiced, awaiting approval, approved and unpaid, paid; and the completed batches' costs at bases that have
  not invoiced yet (a base whose cost is nothing is not waiting for an invoice).

Everything is read in bulk: a fixed number of queries (and :func:`known_costs`' few per 500 batches).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from recuperation import messages
from recuperation.labels import label
from recuperation.models import (
    Attendance,
    Base,
    BaseInvoice,
    Batch,
    BatchKind,
    BatchStatus,
    InvoiceState,
    Participant,
    Partner,
    Payment,
    Route,
    table_of,
)
from recuperation.money import round_half_up
from recuperation.services.settlement import SOURCES, known_costs
from recuperation.services.statistics import Period
from recuperation.sorting import pinyin_key
from recuperation.storage.database import Database


@dataclass(frozen=True)
class MoneyLine:
    """The money of one line of a table (a kind, partner, base, route or month), or of the whole period."""

    name: str
    batches: int = 0
    #: members' person-days: attended where the roll call is closed, else planned (companions never count)
    person_days: int = 0
    #: the companions' person-days, counted the same way (they share the cost, not the union's figures)
    companion_person_days: int = 0
    #: the whole known cost (tax included): members, companions, the guide's and the driver's rooms and meals
    cost_fen: int = 0
    #: the members' part of it (see the module's rules)
    member_cost_fen: int = 0
    #: costs at a base that lack prices: ``cost_fen`` is then a part of the cost
    incomplete: int = 0

    @property
    def companion_cost_fen(self) -> int:
        return self.cost_fen - self.member_cost_fen

    @property
    def per_person_day_fen(self) -> int | None:
        """The members' cost per person-day, rounded half up to the fen (None without person-days)."""
        return round_half_up(self.member_cost_fen, self.person_days) if self.person_days else None

    @property
    def complete(self) -> bool:
        return not self.incomplete

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "batches": self.batches,
            "person_days": self.person_days,
            "companion_person_days": self.companion_person_days,
            "cost_fen": self.cost_fen,
            "member_cost_fen": self.member_cost_fen,
            "companion_cost_fen": self.companion_cost_fen,
            "per_person_day_fen": self.per_person_day_fen,
            "incomplete": self.incomplete,
        }


@dataclass(frozen=True)
class SourceFigures:
    """How many of the period's costs at a base come from ``source`` (invoice, actual, planned), and their sum."""

    source: str
    costs: int = 0
    fen: int = 0
    incomplete: int = 0

    def to_json(self) -> dict[str, object]:
        return {"source": self.source, "costs": self.costs, "fen": self.fen, "incomplete": self.incomplete}


@dataclass(frozen=True)
class PaidLine:
    """The bases' invoices of the period's batches against their payments, for one base or all of them.

    ``awaiting_fen`` is what is unpaid of the invoices not yet approved, ``due_fen`` what is unpaid of the
    approved ones; ``uninvoiced`` counts the completed batches' costs at bases that have not invoiced yet
    (``uninvoiced_fen`` their known cost: actual, else planned)."""

    name: str
    invoices: int = 0
    invoiced_fen: int = 0
    paid_fen: int = 0
    awaiting_fen: int = 0
    due_fen: int = 0
    uninvoiced: int = 0
    uninvoiced_fen: int = 0

    @property
    def outstanding_fen(self) -> int:
        """Invoiced and not yet paid: awaiting approval and approved."""
        return self.awaiting_fen + self.due_fen

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "invoices": self.invoices,
            "invoiced_fen": self.invoiced_fen,
            "paid_fen": self.paid_fen,
            "awaiting_fen": self.awaiting_fen,
            "due_fen": self.due_fen,
            "outstanding_fen": self.outstanding_fen,
            "uninvoiced": self.uninvoiced,
            "uninvoiced_fen": self.uninvoiced_fen,
        }


@dataclass(frozen=True)
class CostGap:
    """A cost at a base that lacks prices: ``missing`` needs without a price; ``known_fen`` the part priced."""

    batch_code: str
    base: str
    source: str
    missing: int
    known_fen: int

    def to_json(self) -> dict[str, object]:
        return {
            "batch": self.batch_code,
            "base": self.base,
            "source": self.source,
            "missing": self.missing,
            "known_fen": self.known_fen,
        }


@dataclass(frozen=True)
class MoneyFigures:
    """A period's money (see the module's rules); every table's lines add up to :attr:`total`."""

    start: dt.date
    end: dt.date
    total: MoneyLine
    by_kind: tuple[MoneyLine, ...] = ()
    by_partner: tuple[MoneyLine, ...] = ()
    by_base: tuple[MoneyLine, ...] = ()
    by_route: tuple[MoneyLine, ...] = ()
    #: every month of the period, named ``YYYY-MM``
    by_month: tuple[MoneyLine, ...] = ()
    sources: tuple[SourceFigures, ...] = ()
    paid: PaidLine = field(default_factory=lambda: PaidLine(""))
    paid_by_base: tuple[PaidLine, ...] = ()
    gaps: tuple[CostGap, ...] = ()
    #: codes of the batches that use no base (no cost can be known for them)
    no_base: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.gaps and not self.no_base

    def source(self, name: str) -> SourceFigures:
        return next((s for s in self.sources if s.source == name), SourceFigures(name))

    def top_bases(self, n: int = 10) -> tuple[MoneyLine, ...]:
        """The ``n`` bases that cost most."""
        return tuple(line for line in self.by_base if line.cost_fen > 0)[:n]

    def to_json(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "total": self.total.to_json(),
            "sources": [s.to_json() for s in self.sources],
            "by_kind": [line.to_json() for line in self.by_kind],
            "by_partner": [line.to_json() for line in self.by_partner],
            "by_base": [line.to_json() for line in self.by_base],
            "by_route": [line.to_json() for line in self.by_route],
            "by_month": [line.to_json() for line in self.by_month],
            "paid": self.paid.to_json(),
            "paid_by_base": [line.to_json() for line in self.paid_by_base],
            "gaps": [g.to_json() for g in self.gaps],
            "no_base": list(self.no_base),
        }


# -- computing ------------------------------------------------------------------------------------------------


@dataclass
class _Tally:
    """A line being added up, field by field; its fields are those of the line it becomes (less the name)."""

    def add(self, other: _Tally) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class _Sum(_Tally):
    """A :class:`MoneyLine` being added up."""

    batches: int = 0
    person_days: int = 0
    companion_person_days: int = 0
    cost_fen: int = 0
    member_cost_fen: int = 0
    incomplete: int = 0

    def line(self, name: str) -> MoneyLine:
        return MoneyLine(name, **asdict(self))


@dataclass
class _Paid(_Tally):
    """A :class:`PaidLine` being added up."""

    invoices: int = 0
    invoiced_fen: int = 0
    paid_fen: int = 0
    awaiting_fen: int = 0
    due_fen: int = 0
    uninvoiced: int = 0
    uninvoiced_fen: int = 0

    def line(self, name: str) -> PaidLine:
        return PaidLine(name, **asdict(self))


@dataclass
class _Batch:
    id: int
    code: str
    kind: str
    partner: str
    route: str
    arrival: dt.date
    departure: dt.date
    headcount: int
    completed: bool
    roll_closed: bool
    members: int = 0  # on the roster
    companions: int = 0
    #: person-days (members, companions) of those who came, for a closed roll call
    came: list[int] = field(default_factory=lambda: [0, 0])

    @property
    def days(self) -> int:
        return (self.departure - self.arrival).days + 1

    @property
    def closed(self) -> bool:
        """The roll call of the completed batch is closed: its cost is actual, and so are its person-days."""
        return self.completed and self.roll_closed and self.members + self.companions > 0

    def person_days(self) -> tuple[int, int]:
        """(members', companions') person-days: attended where the roll call is closed, else planned (the
        roster's members, else the planned headcount)."""
        if self.closed:
            return self.came[0], self.came[1]
        members = self.members if self.members + self.companions else self.headcount
        return members * self.days, self.companions * self.days


def _months(period: Period) -> list[str]:
    names, day = [], period.start.replace(day=1)
    while day <= period.end:
        names.append(f"{day.year}-{day.month:02d}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return names


def _ranked(sums: dict[str, _Sum]) -> tuple[MoneyLine, ...]:
    """Most cost first, then by name (pinyin)."""
    return tuple(
        s.line(name) for name, s in sorted(sums.items(), key=lambda kv: (-kv[1].cost_fen, pinyin_key(kv[0])))
    )


def _read_batches(session: Session, period: Period) -> tuple[dict[int, _Batch], Any]:
    """The period's batches that are not cancelled, with their rosters' person-days; and the subquery of
    their ids (for the queries that follow)."""
    b, pt, rt = table_of(Batch).c, table_of(Partner).c, table_of(Route).c
    in_period = (
        (b.arrival >= period.start) & (b.arrival <= period.end) & (b.status != BatchStatus.CANCELLED.value)
    )
    ids = select(b.id).where(in_period)
    run = session.connection().execute
    batches: dict[int, _Batch] = {}
    query = (
        select(
            b.id,
            b.code,
            b.kind,
            pt.name,
            rt.name,
            b.arrival,
            b.departure,
            b.headcount,
            b.status,
            b.roll_closed_on,
        )
        .join(table_of(Partner), pt.id == b.partner_id)
        .outerjoin(table_of(Route), rt.id == b.route_id)
        .where(in_period)
    )
    for batch_id, code, kind, partner, route, arrival, departure, headcount, status, closed_on in run(query):
        batches[batch_id] = _Batch(
            batch_id,
            code,
            kind,
            partner,
            route or "",
            arrival,
            departure,
            int(headcount or 0),
            status == BatchStatus.COMPLETED.value,
            closed_on is not None,
        )
    # the roster by (companion, mark, day left): a handful of rows per batch
    p = table_of(Participant).c
    roster = (
        select(p.batch_id, p.companion, p.attendance, p.left_on, func.count())
        .where(p.batch_id.in_(ids))
        .group_by(p.batch_id, p.companion, p.attendance, p.left_on)
    )
    for batch_id, companion, mark, left_on, n in run(roster):
        one = batches.get(batch_id)
        if one is None:
            continue
        who = 1 if companion else 0
        if companion:
            one.companions += int(n)
        else:
            one.members += int(n)
        if mark == Attendance.ATTENDED.value or (mark == Attendance.LEFT_EARLY.value and left_on is None):
            one.came[who] += int(n) * one.days
        elif mark == Attendance.LEFT_EARLY.value:
            # the days from arrival to the day they left, both counted (as the statistics count them)
            one.came[who] += int(n) * ((left_on - one.arrival).days + 1)
    return batches, ids


def period_money(session: Session, period: Period) -> MoneyFigures:
    """The money figures of ``period`` (see the module's rules), read in ``session``."""
    batches, ids = _read_batches(session, period)
    run = session.connection().execute
    costs = known_costs(session, batches)
    inv, pay = table_of(BaseInvoice).c, table_of(Payment).c
    invoices = run(
        select(inv.id, inv.batch_id, inv.base_id, inv.amount_fen, inv.state).where(inv.batch_id.in_(ids))
    ).all()
    paid_of: dict[int, int] = {
        invoice_id: int(amount or 0)
        for invoice_id, amount in run(
            select(pay.invoice_id, func.sum(pay.amount_fen))
            .join(table_of(BaseInvoice), inv.id == pay.invoice_id)
            .where(inv.batch_id.in_(ids))
            .group_by(pay.invoice_id)
        )
    }
    ba = table_of(Base).c
    base_names: dict[int, str] = {int(i): str(n) for i, n in run(select(ba.id, ba.name))}
    no_base_name = messages.text("money_figures.no_base")
    no_route_name = messages.text("stats.no_route")

    total = _Sum()
    kinds: dict[str, _Sum] = {kind.value: _Sum() for kind in BatchKind}
    partners: dict[str, _Sum] = defaultdict(_Sum)
    routes: dict[str, _Sum] = defaultdict(_Sum)
    months: dict[str, _Sum] = {name: _Sum() for name in _months(period)}
    bases: dict[str, _Sum] = defaultdict(_Sum)
    sources: dict[str, list[int]] = {source: [0, 0, 0] for source in SOURCES}
    gaps: list[CostGap] = []
    no_base: list[str] = []
    of_batch: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for (batch_id, base_id), known in costs.items():
        of_batch[batch_id].append((base_id, known))
    for one in sorted(batches.values(), key=lambda x: (x.arrival, x.code)):
        members_pd, companions_pd = one.person_days()
        whole = _Sum(1, members_pd, companions_pd)
        at_bases = sorted(of_batch.get(one.id, []), key=lambda pair: pair[0])
        if not at_bases:
            no_base.append(one.code)
            bases[no_base_name].add(whole)
        for base_id, known in at_bases:
            everyone = members_pd + companions_pd
            member_fen = round_half_up(known.fen * members_pd, everyone) if everyone else known.fen
            part = _Sum(1, members_pd, companions_pd, known.fen, member_fen, 0 if known.complete else 1)
            name = base_names.get(base_id, str(base_id))
            bases[name].add(part)
            whole.cost_fen += known.fen
            whole.member_cost_fen += member_fen
            whole.incomplete += part.incomplete
            counted = sources[known.source]
            counted[0] += 1
            counted[1] += known.fen
            counted[2] += part.incomplete
            if not known.complete:
                sheet = known.sheet
                costing = (
                    None if sheet is None else sheet.actual if known.source == "actual" else sheet.planned
                )
                gaps.append(
                    CostGap(one.code, name, known.source, len(costing.missing) if costing else 0, known.fen)
                )
        total.add(whole)
        kinds.setdefault(one.kind, _Sum()).add(whole)
        partners[one.partner].add(whole)
        routes[one.route or no_route_name].add(whole)
        months.setdefault(f"{one.arrival.year}-{one.arrival.month:02d}", _Sum()).add(whole)

    paid, paid_bases = _paid(batches, costs, invoices, paid_of, base_names)
    return MoneyFigures(
        period.start,
        period.end,
        total.line(""),
        by_kind=tuple(s.line(label("batch_kind", kind)) for kind, s in kinds.items()),
        by_partner=_ranked(partners),
        by_base=tuple(sorted(_ranked(bases), key=lambda line: line.name == no_base_name)),  # it last
        by_route=_ranked(routes),
        by_month=tuple(s.line(name) for name, s in sorted(months.items())),
        sources=tuple(SourceFigures(source, *counted) for source, counted in sources.items()),
        paid=paid,
        paid_by_base=paid_bases,
        gaps=tuple(gaps),
        no_base=tuple(no_base),
    )


def _paid(
    batches: dict[int, _Batch],
    costs: dict[tuple[int, int], Any],
    invoices: Iterable[Any],
    paid_of: dict[int, int],
    base_names: dict[int, str],
) -> tuple[PaidLine, tuple[PaidLine, ...]]:
    """The invoices against their payments, in all and by base (most invoiced first, then the bases still to
    invoice)."""
    by_base: dict[int, _Paid] = defaultdict(_Paid)
    invoiced: set[tuple[int, int]] = set()
    for invoice_id, batch_id, base_id, amount, state in invoices:
        one = by_base[base_id]
        paid = paid_of.get(invoice_id, 0)
        one.invoices += 1
        one.invoiced_fen += int(amount)
        one.paid_fen += paid
        if state == InvoiceState.RECEIVED.value:
            one.awaiting_fen += int(amount) - paid
        else:
            one.due_fen += int(amount) - paid
        invoiced.add((batch_id, base_id))
    for (batch_id, base_id), known in costs.items():
        if (batch_id, base_id) in invoiced or not batches[batch_id].completed:
            continue
        if known.fen > 0 or not known.complete:  # a base that cost nothing waits for no invoice
            by_base[base_id].uninvoiced += 1
            by_base[base_id].uninvoiced_fen += known.fen
    total = _Paid()
    for one in by_base.values():
        total.add(one)
    lines = sorted(
        (one.line(base_names.get(base_id, str(base_id))) for base_id, one in by_base.items()),
        key=lambda line: (-line.invoiced_fen, -line.uninvoiced_fen, pinyin_key(line.name)),
    )
    return total.line(""), tuple(lines)


def year_money(session: Session, year: int) -> MoneyFigures:
    """The money figures of ``year`` (its batches by arrival date), read in ``session``."""
    return period_money(session, Period.year(year))


def money_figures(db: Database, period: Period) -> MoneyFigures:
    """:func:`period_money` in a transaction of its own (for the pages, the documents and the command line)."""
    with db.session() as session:
        return period_money(session, period)
