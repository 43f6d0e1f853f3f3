"""What a partner owes (应收): per batch and per year, by the batch's agreement, and the year's statement (对账单).

**Which batches.**  A partner's year is its batches arriving in that year that are not cancelled, of every
kind (recuperation, training classes, conferences), as the statistics count an agreement's fulfilment.

**People and days** are the statistics' (:mod:`recuperation.services.statistics`): ``members`` is the roster's
members (companions left out) where the batch has a roster, else its planned headcount; ``days`` counts the
arrival and the departure; ``person_days`` = members × days.  A batch's roll call is **closed** for the money
when the batch is completed and its roll call closed (as the actual cost is: :mod:`recuperation.services.rates`);
then ``attended`` is the members who came (attended or left early) and ``no_shows`` those who did not (or
were left unmarked).

**At the agreement's price** (``charge_basis`` ``price``, 按协议价): gross = price per person per day ×
person-days.  After a closed roll call each member who did not come is credited his planned days × price ×
the agreement's ``no_show_credit_bp`` / 10000; the credits of a batch are added first and rounded once,
half up to the fen, with integers: ``round_half_up(no_shows × days × price × bp, 10000)``.  Someone who left
early came: no credit.  Owed = gross − credit.

**At cost** (``cost``, 据实结算): the batch's known cost (:func:`recuperation.services.settlement.known_costs`,
the one rule: the approved invoice, else the actual cost, else the planned) summed over its bases, less the
companions' share.  The guide's and the driver's rooms and meals are part of the group's cost.  No credit:
the actual cost and the invoice already leave out who did not come.

**Companions** (随行家属) are never charged to the partner: their own share is listed apart.  At the price, as a
member would be charged (price × their person-days, with the same no-show credit); at cost, their part of the
cost by person-days: ``round_half_up(cost × companion person-days, all person-days)``, where person-days are the
days each person was there once the roll call is closed (a no-show none, someone who left early the days up
to the day they left), else the planned ones.  So at cost, gross (the members' part) + the companions' share =
the known cost, exactly.

**Unknown is never zero.**  A batch without an agreement, under an agreement at the price that names no price,
at cost with no base or a cost that lacks prices, has a finding and no amount (None); the year's totals add
the known lines and say how many are unknown.  Every total is the sum of its lines.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session

from recuperation import messages
from recuperation.errors import ValidationError
from recuperation.models import (
    Agreement,
    Attendance,
    Batch,
    BatchStatus,
    ChargeBasis,
    Participant,
    Partner,
    Route,
    table_of,
)
from recuperation.money import WHOLE_BP, round_half_up
from recuperation.services import settlement
from recuperation.storage.database import Database

CHUNK = 500

#: The order of a line's cost sources, from the surest (settlement.SOURCES).
SOURCES = settlement.SOURCES


@dataclass(frozen=True)
class ChargeFinding:
    """Why a batch's amount is unknown: ``key`` names the message, ``params`` fill it."""

    key: str
    code: str
    params: tuple[tuple[str, object], ...] = ()

    def message(self, language: str | None = None) -> str:
        """The finding in ``language`` (default: the messages' language)."""
        params = {"code": self.code, **dict(self.params)}
        if language is None or language == messages.language():
            return messages.text(self.key, **params)
        zh, en = messages.CATALOGUE[self.key]
        return (en if language == "en" else zh).format(**params)


@dataclass(frozen=True)
class ChargeLine:
    """One batch of a statement.  Amounts are fen; None where unknown (see the findings)."""

    batch_id: int
    code: str
    kind: str
    status: str
    arrival: dt.date
    departure: dt.date
    route: str
    agreement_id: int | None
    agreement: str  # the agreement's number ("" without one)
    basis: str | None  # price or cost; None without an agreement
    members: int  # planned: the roster's members, else the headcount
    attended: int | None  # members who came, where the roll call is closed; else None
    no_shows: int  # members who did not come (closed roll calls only)
    companions: int  # on the roster
    days: int
    person_days: int  # members × days
    companion_days: int  # companions × days
    unit_fen: int | None  # the agreed price per person per day (at the price)
    gross_fen: int | None  # the members' charge before credits
    credit_fen: int  # the no-shows' credit (0 when none)
    owed_fen: int | None  # gross − credit
    companions_fen: int | None  # the companions' own share, never charged to the partner
    cost_fen: int | None = None  # at cost: the known cost of every base (gross + companions' share)
    cost_sources: tuple[str, ...] = ()  # at cost: where the cost comes from (invoice, actual, planned)
    credit_bp: int = 0  # the agreement's no-show credit
    findings: tuple[ChargeFinding, ...] = ()

    @property
    def closed(self) -> bool:
        return self.attended is not None

    @property
    def known(self) -> bool:
        return self.owed_fen is not None


@dataclass(frozen=True)
class ChargeTotals:
    """The sums of a statement's lines (the amounts over the lines whose amount is known)."""

    batches: int = 0
    members: int = 0
    attended: int = 0  # over the closed roll calls
    no_shows: int = 0
    companions: int = 0
    person_days: int = 0
    companion_days: int = 0
    gross_fen: int = 0
    credit_fen: int = 0
    owed_fen: int = 0
    companions_fen: int = 0
    unknown: int = 0  # lines whose amount is unknown (left out of the amounts)

    @classmethod
    def of(cls, lines: Iterable[ChargeLine]) -> ChargeTotals:
        values: dict[str, int] = defaultdict(int)
        for line in lines:
            values["batches"] += 1
            values["members"] += line.members
            values["attended"] += line.attended or 0
            values["no_shows"] += line.no_shows
            values["companions"] += line.companions
            values["person_days"] += line.person_days
            values["companion_days"] += line.companion_days
            if line.owed_fen is None:
                values["unknown"] += 1
                continue
            values["gross_fen"] += line.gross_fen or 0
            values["credit_fen"] += line.credit_fen
            values["owed_fen"] += line.owed_fen
            values["companions_fen"] += line.companions_fen or 0
        return cls(**values)


@dataclass(frozen=True)
class QuotaLine:
    """An agreement of the partner in force in the year (or counting its batches), against its yearly quotas
    (None: no quota): the year's batches under it (every kind, not cancelled) and their planned people."""

    agreement_id: int
    number: str
    valid_from: dt.date
    valid_to: dt.date
    basis: str
    price_fen: int | None
    credit_bp: int
    quota_batches: int | None
    quota_people: int | None
    used_batches: int
    used_people: int


@dataclass(frozen=True)
class Statement:
    """A partner's year: every batch's line, the agreements against their quotas, the totals."""

    partner_id: int
    partner: str
    year: int
    lines: tuple[ChargeLine, ...]
    quotas: tuple[QuotaLine, ...] = ()
    totals: ChargeTotals = field(default_factory=ChargeTotals)

    @property
    def findings(self) -> tuple[ChargeFinding, ...]:
        return tuple(f for line in self.lines for f in line.findings)

    @property
    def complete(self) -> bool:
        return self.totals.unknown == 0


# --- one batch at a time, in bulk ------------------------------------------------------------------------


@dataclass
class _Roster:
    members: int = 0
    companions: int = 0
    member_no_shows: int = 0
    companion_no_shows: int = 0
    member_days_there: int = 0  # the days each was there (closed roll calls)
    companion_days_there: int = 0


def _days_there(mark: str, left_on: dt.date | None, arrival: dt.date, days: int) -> int:
    """The days a person was there by the roll call: the stay, the days up to the day they left (both
    counted), or none for a no-show (and anyone left unmarked)."""
    if mark == Attendance.ATTENDED.value:
        return days
    if mark == Attendance.LEFT_EARLY.value:
        return days if left_on is None else (left_on - arrival).days + 1
    return 0


def _came(mark: str) -> bool:
    return mark in (Attendance.ATTENDED.value, Attendance.LEFT_EARLY.value)


def batch_charges(session: Session, batch_ids: Iterable[int]) -> dict[int, ChargeLine]:
    """batch id → :class:`ChargeLine` for each batch (a few queries per 500 batches, whatever the number)."""
    ids = sorted(set(batch_ids))
    b, ag, rt = table_of(Batch).c, table_of(Agreement).c, table_of(Route).c
    p = table_of(Participant).c
    run = session.connection().execute
    heads: list[Any] = []
    people: dict[int, list[tuple[bool, str, dt.date | None]]] = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        heads += list(
            run(
                sa_select(
                    b.id,
                    b.code,
                    b.kind,
                    b.status,
                    b.arrival,
                    b.departure,
                    b.headcount,
                    b.roll_closed_on,
                    rt.name,
                    b.agreement_id,
                    ag.number,
                    ag.charge_basis,
                    ag.price_fen,
                    ag.no_show_credit_bp,
                )
                .outerjoin(table_of(Route), rt.id == b.route_id)
                .outerjoin(table_of(Agreement), ag.id == b.agreement_id)
                .where(b.id.in_(chunk))
            )
        )
        for batch_id, companion, mark, left_on in run(
            sa_select(p.batch_id, p.companion, p.attendance, p.left_on).where(p.batch_id.in_(chunk))
        ):
            people[batch_id].append((bool(companion), mark or "", left_on))
    at_cost = [h[0] for h in heads if h[9] is not None and h[11] == ChargeBasis.COST.value]
    known: dict[int, list[settlement.KnownCost]] = defaultdict(list)
    if at_cost:
        for (batch_id, _base_id), cost in settlement.known_costs(session, at_cost).items():
            known[batch_id].append(cost)
    result = {}
    for head in heads:
        line = _line(head, people.get(head[0], []), known.get(head[0], []))
        result[line.batch_id] = line
    return result


def _roster(
    people: Sequence[tuple[bool, str, dt.date | None]], arrival: dt.date, days: int, closed: bool
) -> _Roster:
    roster = _Roster()
    for companion, mark, left_on in people:
        there = _days_there(mark, left_on, arrival, days) if closed else days
        missed = closed and not _came(mark)
        if companion:
            roster.companions += 1
            roster.companion_no_shows += missed
            roster.companion_days_there += there
        else:
            roster.members += 1
            roster.member_no_shows += missed
            roster.member_days_there += there
    return roster


def _line(
    head: Any, people: Sequence[tuple[bool, str, dt.date | None]], costs: list[settlement.KnownCost]
) -> ChargeLine:
    (
        batch_id,
        code,
        kind,
        status,
        arrival,
        departure,
        headcount,
        roll_closed_on,
        route,
        agreement_id,
        number,
        basis,
        price,
        credit_bp,
    ) = head
    days = (departure - arrival).days + 1
    closed = _closed(people, status, roll_closed_on)
    roster = _roster(people, arrival, days, closed)
    # the statistics' people: the roster's members where there is a roster, else the planned headcount
    members = roster.members if people else int(headcount)
    attended = roster.members - roster.member_no_shows if closed else None
    common: dict[str, Any] = {
        "batch_id": batch_id,
        "code": code,
        "kind": kind,
        "status": status,
        "arrival": arrival,
        "departure": departure,
        "route": route or "",
        "agreement_id": agreement_id,
        "agreement": number or "",
        "basis": basis if agreement_id is not None else None,
        "members": members,
        "attended": attended,
        "no_shows": roster.member_no_shows,
        "companions": roster.companions,
        "days": days,
        "person_days": members * days,
        "companion_days": roster.companions * days,
        "credit_bp": int(credit_bp or 0),
    }
    unknown: dict[str, Any] = {
        "unit_fen": None,
        "gross_fen": None,
        "credit_fen": 0,
        "owed_fen": None,
        "companions_fen": None,
    }
    if agreement_id is None:
        return ChargeLine(**common, **unknown, findings=(ChargeFinding("charge.no_agreement", code),))
    finding_params = (("code", code), ("agreement", number))
    if basis == ChargeBasis.COST.value:
        return _at_cost(common, unknown, costs, roster, closed, finding_params)
    if price is None:
        return ChargeLine(
            **common, **unknown, findings=(ChargeFinding("charge.no_price", code, finding_params),)
        )
    price, bp = int(price), int(credit_bp or 0)
    gross = price * members * days
    credit = round_half_up(roster.member_no_shows * days * price * bp, WHOLE_BP)
    own = price * roster.companions * days - round_half_up(
        roster.companion_no_shows * days * price * bp, WHOLE_BP
    )
    return ChargeLine(
        **common,
        unit_fen=price,
        gross_fen=gross,
        credit_fen=credit,
        owed_fen=gross - credit,
        companions_fen=own,
    )


def split_cost(cost: int, member_days: int, companion_days: int) -> tuple[int, int]:
    """(the members' part, the companions' share) of a batch's ``cost`` at cost, by person-days: the
    companions' share is ``round_half_up(cost × companion_days, member_days + companion_days)``, the members'
    part the rest, so the two add up to the cost exactly.  The statement charges the members' part; the
    spending caps measure it (:mod:`recuperation.services.spending`)."""
    everyone = member_days + companion_days
    own = round_half_up(cost * companion_days, everyone) if everyone and companion_days else 0
    return cost - own, own


def _split_days(roster: _Roster, closed: bool, common: dict[str, Any]) -> tuple[int, int]:
    """The members' and the companions' person-days a cost is split by: the days each was there once the roll
    call is closed, else the planned ones."""
    if closed:
        return roster.member_days_there, roster.companion_days_there
    return int(common["person_days"]), int(common["companion_days"])


def split_days(session: Session, batch_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """batch id → (the members' person-days, the companions') by which :func:`split_cost` splits its cost, as
    the statement counts them (a few queries per 500 batches)."""
    ids = sorted(set(batch_ids))
    b, p = table_of(Batch).c, table_of(Participant).c
    run = session.connection().execute
    found: dict[int, tuple[int, int]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        people: dict[int, list[tuple[bool, str, dt.date | None]]] = defaultdict(list)
        for batch_id, companion, mark, left_on in run(
            sa_select(p.batch_id, p.companion, p.attendance, p.left_on).where(p.batch_id.in_(chunk))
        ):
            people[batch_id].append((bool(companion), mark or "", left_on))
        for batch_id, status, arrival, departure, headcount, roll_closed_on in run(
            sa_select(b.id, b.status, b.arrival, b.departure, b.headcount, b.roll_closed_on).where(
                b.id.in_(chunk)
            )
        ):
            own = people.get(batch_id, [])
            days = (departure - arrival).days + 1
            closed = _closed(own, status, roll_closed_on)
            roster = _roster(own, arrival, days, closed)
            members = roster.members if own else int(headcount)
            common = {"person_days": members * days, "companion_days": roster.companions * days}
            found[batch_id] = _split_days(roster, closed, common)
    return found


def _closed(people: Sequence[object], status: str, roll_closed_on: dt.date | None) -> bool:
    """Whether the batch's roll call is closed for the money: completed, its roll call closed, a roster."""
    return bool(people) and status == BatchStatus.COMPLETED.value and roll_closed_on is not None


def _at_cost(
    common: dict[str, Any],
    unknown: dict[str, Any],
    costs: list[settlement.KnownCost],
    roster: _Roster,
    closed: bool,
    params: tuple[tuple[str, object], ...],
) -> ChargeLine:
    code = str(common["code"])
    sources = tuple(s for s in SOURCES if any(c.source == s for c in costs))
    if not costs:
        finding = ChargeFinding("charge.no_cost", code, params)
        return ChargeLine(**common, **unknown, findings=(finding,))
    lacking = sorted(c.sheet.base if c.sheet is not None else str(c.base_id) for c in costs if not c.complete)
    if lacking:
        finding = ChargeFinding("charge.cost_incomplete", code, (*params, ("bases", "、".join(lacking))))
        return ChargeLine(**common, **unknown, cost_sources=sources, findings=(finding,))
    cost = sum(c.fen for c in costs)
    members_part, own = split_cost(cost, *_split_days(roster, closed, common))
    return ChargeLine(
        **common,
        unit_fen=None,
        gross_fen=members_part,
        credit_fen=0,
        owed_fen=members_part,
        companions_fen=own,
        cost_fen=cost,
        cost_sources=sources,
    )


# --- a partner's year -------------------------------------------------------------------------------------


def _year_batches(session: Session, year: int, partner_ids: Sequence[int] | None) -> dict[int, list[int]]:
    """partner id → the ids of its batches arriving in ``year``, not cancelled, by arrival and code."""
    b = table_of(Batch).c
    query = (
        sa_select(b.partner_id, b.id)
        .where(
            b.arrival >= dt.date(year, 1, 1),
            b.arrival <= dt.date(year, 12, 31),
            b.status != BatchStatus.CANCELLED.value,
        )
        .order_by(b.arrival, b.code)
    )
    if partner_ids is not None:
        query = query.where(b.partner_id.in_(list(partner_ids)))
    found: dict[int, list[int]] = defaultdict(list)
    for partner_id, batch_id in session.connection().execute(query):
        found[partner_id].append(batch_id)
    return found


def _quotas(
    session: Session, partner_id: int, year: int, lines: Sequence[ChargeLine]
) -> tuple[QuotaLine, ...]:
    a = table_of(Agreement).c
    used = {line.agreement_id for line in lines if line.agreement_id is not None}
    rows = session.connection().execute(
        sa_select(
            a.id,
            a.number,
            a.valid_from,
            a.valid_to,
            a.charge_basis,
            a.price_fen,
            a.no_show_credit_bp,
            a.quota_batches,
            a.quota_people,
        ).where(a.partner_id == partner_id)
    )
    quotas = []
    for agreement_id, number, first, last, basis, price, bp, quota_batches, quota_people in rows:
        in_force = first <= dt.date(year, 12, 31) and last >= dt.date(year, 1, 1)
        if not in_force and agreement_id not in used:
            continue
        under = [line for line in lines if line.agreement_id == agreement_id]
        quotas.append(
            QuotaLine(
                agreement_id,
                number,
                first,
                last,
                basis,
                price,
                int(bp or 0),
                quota_batches,
                quota_people,
                len(under),
                sum(line.members for line in under),
            )
        )
    return tuple(sorted(quotas, key=lambda q: (q.valid_from, q.number)))


def year_statements(session: Session, year: int, partner_ids: Sequence[int] | None = None) -> list[Statement]:
    """The statements of ``year`` of every partner with batches that year (or of ``partner_ids``), by
    partner name; the batches' lines are computed in one bulk pass."""
    batches = _year_batches(session, year, partner_ids)
    lines = batch_charges(session, [i for ids in batches.values() for i in ids])
    pt = table_of(Partner).c
    query = sa_select(pt.id, pt.name).where(pt.id.in_(list(batches)))
    names = {i: name for i, name in session.connection().execute(query)}
    statements = []
    for partner_id, ids in batches.items():
        own = tuple(lines[i] for i in ids)
        statements.append(
            Statement(
                partner_id,
                names[partner_id],
                year,
                own,
                _quotas(session, partner_id, year, own),
                ChargeTotals.of(own),
            )
        )
    return sorted(statements, key=lambda s: s.partner)


def partner_year(session: Session, partner_id: int, year: int) -> Statement:
    """The partner's statement of ``year`` (no lines when it has no batch that year)."""
    found = year_statements(session, year, [partner_id])
    if found:
        return found[0]
    name = (
        session.connection()
        .execute(sa_select(table_of(Partner).c.name).where(table_of(Partner).c.id == partner_id))
        .scalar_one()
    )
    return Statement(partner_id, name, year, (), _quotas(session, partner_id, year, ()), ChargeTotals())


def find_statement(db: Database, partner: str, year: int) -> Statement:
    """The statement of the partner named ``partner`` for ``year``; refused (naming the years that have
    batches) when there is no such partner or it has no batch that year."""
    pt, b = table_of(Partner).c, table_of(Batch).c
    with db.session() as session:
        run = session.connection().execute
        partner_id = run(sa_select(pt.id).where(pt.name == partner.strip())).scalar()
        if partner_id is None:
            raise ValidationError("statement.unknown_partner", field="partner", name=messages.shown(partner))
        statement = partner_year(session, int(partner_id), year)
        if not statement.lines:
            arrivals = run(
                sa_select(b.arrival).where(
                    b.partner_id == partner_id, b.status != BatchStatus.CANCELLED.value
                )
            )
            years = sorted({day.year for (day,) in arrivals})
            raise ValidationError(
                "statement.no_batches",
                field="year",
                partner=statement.partner,
                year=year,
                years=", ".join(str(y) for y in years) or "—",
            )
        return statement


# --- the rules, as the statement states them (documents and workbooks are Chinese) ----------------------


def percent_text(bp: int) -> str:
    """Basis points as a percentage: 5000 → “50%”, 1250 → “12.5%”."""
    whole, rest = divmod(bp, 100)
    return f"{whole}%" if not rest else f"{whole}.{rest:02d}".rstrip("0") + "%"


def rule_notes(statement: Statement) -> list[str]:
    """The rules the statement's amounts follow, in Chinese, each a sentence, only those its lines use."""
    bases = {line.basis for line in statement.lines}
    notes = [
        "人天 = 名单人数（不含随行家属；尚无名单的按计划人数）× 天数（到达、离开当天都计）；"
        "已取消的批次不计。合计均为各批次之和。"
    ]
    if ChargeBasis.PRICE.value in bases:
        notes.append("按协议价结算：金额 = 协议单价（元/人天）× 人天。")
        credits = sorted(
            {
                (q.number, q.credit_bp)
                for q in statement.quotas
                if q.basis == ChargeBasis.PRICE.value and q.agreement_id in _used(statement)
            }
        )
        rates = "；".join(f"协议 {n} 为 {percent_text(bp)}" for n, bp in credits)
        notes.append(
            "未到退费：批次完成且报到结束后，每名未到人员按 协议单价 × 计划天数 × 退费比例 冲减，"
            "同一批次的退费合计后按四舍五入保留到分；提前离开的不退费"
            + (f"（退费比例：{rates}）。" if rates else "。")
        )
    if ChargeBasis.COST.value in bases:
        notes.append(
            "据实结算：金额 = 该批次在各基地的成本之和（已审批的基地发票；尚无发票时按报到后的实际用量；"
            "报到结束前按计划）减去随行家属分摊部分；导游、司机的食宿计入团队成本；不另计未到退费。"
        )
    if any(line.companions for line in statement.lines):
        notes.append(
            "随行家属自费，不计入应收金额，单列于“家属自费”栏：按协议价结算的，按协议单价 × 家属人天（未到的同样退费）；"
            "据实结算的，按 成本 × 家属人天 ÷ 全部人天 分摊（报到结束后按实际在场天数），四舍五入保留到分。"
        )
    if statement.totals.unknown:
        notes.append("金额未知的批次不计入金额合计，原因见“待补事项”。")
    return notes


def _used(statement: Statement) -> set[int]:
    return {line.agreement_id for line in statement.lines if line.agreement_id is not None}
