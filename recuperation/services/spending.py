"""Spending rules by jurisdiction (开支标准): packs of rules kept as data, and the findings they give a batch.

**A pack** (``SpendingPack``: 浙江省·杭州市, 宁波市 …) holds rules; a partner belongs to at most one pack
(``Partner.spending_pack_id``).  **A rule** (``SpendingRule``) is one of

- ``day_cap``: the most per person per day (fen);
- ``year_cap``: the most per person per year, over the partner's batches of a calendar year (fen);
- ``max_days``: the most days of a batch, travel included (days);
- ``accident_min`` / ``medical_min``: the least accident / medical cover of the batch's insurance (fen);

with its ``mode`` (``warn``: a finding to read; ``refuse``: a finding that stops confirming the batch), an
optional validity (``valid_from`` … ``valid_to``, either end open) and, always, its **source**: the document and
its words.  A rule without its source is refused.  Amounts are greater than 0 (a CHECK constraint too).  Two
rules of one kind in one pack never meet in validity, so a day has at most one rule of each kind.  A pack and
its rules are written in one transaction, versioned and audited (the rules as the field ``rules``, naming the
rules that changed).

**Findings** (:func:`findings`, in bulk): for a recuperation batch (training classes and conferences have other
standards) that is not cancelled, the rules of its partner's pack valid on its arrival:

- ``day_cap``: the agreement's price per person per day when the agreement charges by price (and has one),
  else the members' part of the known cost (:func:`recuperation.services.settlement.known_costs`, summed
  over the bases, less the companions' share as :func:`recuperation.services.charges.split_cost` splits
  it) ÷ the batch's person-days as the statistics count them (people: the roster's members, companions left
  out, else the headcount; × the days, arrival and departure both counted), above the cap;
- ``max_days``: the batch's days (travel included) above the most;
- ``accident_min`` / ``medical_min``: no insurance policy, or its cover below the least;
- ``year_cap``: each member of the roster (companions and no-shows left out), by ID number, over the partner's
  recuperation batches of the arrival's year that are not cancelled and where the person is a member and not a
  no-show: a batch at price counts the price × its days, a batch at cost the members' part of its known cost
  ÷ its people (rounded half up to the fen); above the cap the person is named (masked ID) with the batches
  and amounts.

Each finding names the rule, its pack, its source, the numbers (yuan as ``1,260.50``) and whether it warns or
refuses.  A ``refuse`` finding stops confirming (:func:`refuse_confirming`, inside the confirming
transaction).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, delete, select

from recuperation import messages
from recuperation.errors import RuleViolation, ValidationError
from recuperation.labels import label
from recuperation.models import (
    Agreement,
    Attendance,
    Batch,
    BatchKind,
    BatchStatus,
    ChargeBasis,
    InsurancePolicy,
    Participant,
    Partner,
    Route,
    RuleKind,
    RuleMode,
    SpendingPack,
    SpendingRule,
    table_of,
)
from recuperation.money import parse_yuan, round_half_up, yuan_text
from recuperation.services.common import (
    audit,
    choice,
    clean_text,
    count_where,
    create_audited,
    delete_checked,
    get_or_raise,
    refuse_stale,
    update_versioned,
)
from recuperation.storage.database import Database

#: Rules counted in days; the others are fen.
DAY_KINDS = frozenset({RuleKind.MAX_DAYS.value})
#: The largest amount a rule holds: ¥20,000,000 (the column is a 32-bit INTEGER of fen).
MAX_AMOUNT_FEN = 2_000_000_000
#: The most days a max_days rule may name.
MAX_DAYS = 366
#: A rule is dated from 2000 on (as orders and invoices are): an earlier date is a typing slip.
EARLIEST_DAY = dt.date(2000, 1, 1)
#: Ids per IN (…) list.
CHUNK = 500


# -- records ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleInput:
    kind: str
    amount: int  # fen, or days for max_days
    mode: str = RuleMode.WARN.value
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = ""
    notes: str = ""


@dataclass(frozen=True)
class PackInput:
    name: str
    notes: str = ""
    rules: tuple[RuleInput, ...] = ()


@dataclass(frozen=True)
class RuleRow:
    id: int
    kind: str
    amount: int
    mode: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str
    notes: str

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def as_input(self) -> RuleInput:
        return RuleInput(
            self.kind, self.amount, self.mode, self.valid_from, self.valid_to, self.source, self.notes
        )


@dataclass(frozen=True)
class PackRow:
    id: int
    name: str
    notes: str
    version: int
    updated_by: str
    updated_at: dt.datetime
    rules: tuple[RuleRow, ...] = ()
    partners: tuple[str, ...] = ()  # the partners that belong to it, by name

    def as_input(self) -> PackInput:
        return PackInput(self.name, self.notes, tuple(r.as_input() for r in self.rules))

    def rules_on(self, day: dt.date) -> list[RuleRow]:
        return [r for r in self.rules if r.valid_on(day)]


def fold_name(text: object) -> str:
    """What two spellings of a pack's name share (full-width and half-width alike, no spaces, any case)."""
    from recuperation.services.rates import fold_name as fold

    return fold(text)


def amount_text(kind: str, amount: int, language: str | None = None) -> str:
    """A rule's amount as people read it: “600.00 元” / “¥600.00”, or “5 天” / “5 days”."""
    english = (language or messages.language()) == "en"
    if kind in DAY_KINDS:
        return f"{amount} days" if english else f"{amount} 天"
    return f"¥{yuan_text(amount)}" if english else f"{yuan_text(amount)} 元"


def validity_text(start: dt.date | None, end: dt.date | None, language: str | None = None) -> str:
    """2020-01-01起 / 至2025-12-31 / 2020-01-01至2025-12-31 / 长期 (and the English)."""
    english = (language or messages.language()) == "en"
    if start is None and end is None:
        return "always" if english else "长期"
    if end is None:
        return f"from {start}" if english else f"{start}起"
    if start is None:
        return f"until {end}" if english else f"至{end}"
    return f"{start} to {end}" if english else f"{start}至{end}"


def read_yuan(value: object) -> int:
    """An amount of yuan for a rule (typed, or a cell) as fen, exactly (:func:`recuperation.money.parse_yuan`:
    “600”, “1,000,000.00”, “￥600”, “RMB 600”, “人民币600元”), up to a rule's own ceiling
    (:data:`MAX_AMOUNT_FEN`, ¥20,000,000: an insurance minimum of ¥2,000,000 is above a price's).  MoneyError
    when it is not an amount, or is negative, of more than two decimals or above the ceiling (its message
    names the ceiling)."""
    return parse_yuan(value, most=MAX_AMOUNT_FEN)


def rule_text(rule: Any, language: str = "zh") -> str:
    """One rule in one line (the audit log keeps these in Chinese): “每人每天上限 600.00 元 2020-01-01起 提醒”."""

    def get(name: str) -> Any:
        return rule[name] if isinstance(rule, dict) else getattr(rule, name)

    kind = get("kind")
    return " ".join(
        (
            label("rule_kind", kind, language),
            amount_text(kind, get("amount"), language),
            validity_text(get("valid_from"), get("valid_to"), language),
            label("rule_mode", get("mode"), language),
        )
    )


def rules_text(rules: Iterable[Any]) -> str:
    return "；".join(rule_text(r) for r in rules)


# -- checking a pack --------------------------------------------------------------------------------------------


def check_pack(data: PackInput) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The pack's values and its rules' values, checked; a refusal names the pack, the rule (its number,
    ``rule`` = its index in ``data.rules``) and the field."""
    name = clean_text("spending_pack", "name", data.name, max_length=60, required=True)
    values = {
        "name": name,
        "notes": clean_text("spending_pack", "notes", data.notes, max_length=2000, multiline=True),
    }
    rules: list[dict[str, Any]] = []
    for index, given in enumerate(data.rules):
        try:
            rules.append(_check_rule(name, index, given))
        except ValidationError as exc:  # a too-long source or notes too: the rule it belongs to
            exc.params.setdefault("rule", index)
            raise
    for index, rule in enumerate(rules):
        for other_index in range(index):
            other = rules[other_index]
            if other["kind"] != rule["kind"]:
                continue
            start = max(rule["valid_from"] or dt.date.min, other["valid_from"] or dt.date.min)
            end = min(rule["valid_to"] or dt.date.max, other["valid_to"] or dt.date.max)
            if start <= end:
                raise ValidationError(
                    "spending.rule_overlap",
                    field="valid_from",
                    record="spending_pack",
                    rule=index,
                    pack=name,
                    n=index + 1,
                    other=other_index + 1,
                    kind=label("rule_kind", rule["kind"]),
                    dates=validity_text(rule["valid_from"], rule["valid_to"]),
                    other_dates=validity_text(other["valid_from"], other["valid_to"]),
                )
    return values, rules


def _check_rule(pack: str, index: int, rule: RuleInput) -> dict[str, Any]:
    kind = choice("spending_rule", "kind", rule.kind, RuleKind.values())
    mode = choice("spending_rule", "mode", rule.mode, RuleMode.values())
    who = {"rule": index, "pack": pack, "n": index + 1, "kind": label("rule_kind", kind)}
    amount = rule.amount
    days = kind in DAY_KINDS
    most = MAX_DAYS if days else MAX_AMOUNT_FEN
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError("spending.amount", field="amount", record="spending_rule", **who)
    if amount > most:
        raise ValidationError(
            "spending.amount_too_large",
            field="amount",
            record="spending_rule",
            most=amount_text(kind, most),
            value=amount_text(kind, amount),
            **who,
        )
    for which, day in (("valid_from", rule.valid_from), ("valid_to", rule.valid_to)):
        if day is not None and day < EARLIEST_DAY:  # a slip, and a workbook cannot hold it as a date
            raise ValidationError(
                "spending.rule_early", field=which, record="spending_rule", day=day.isoformat(), **who
            )
    if rule.valid_from is not None and rule.valid_to is not None and rule.valid_to < rule.valid_from:
        raise ValidationError(
            "spending.rule_dates",
            field="valid_to",
            record="spending_rule",
            start=rule.valid_from.isoformat(),
            end=rule.valid_to.isoformat(),
            **who,
        )
    source = clean_text("spending_rule", "source", rule.source, max_length=400, multiline=True)
    if not source:
        raise ValidationError("spending.source_required", field="source", record="spending_rule", **who)
    return {
        "kind": kind,
        "amount": amount,
        "mode": mode,
        "valid_from": rule.valid_from,
        "valid_to": rule.valid_to,
        "source": source,
        "notes": clean_text("spending_rule", "notes", rule.notes, max_length=400, multiline=True),
    }


#: The key of the PostgreSQL advisory lock every write of a pack's name takes (see :func:`_lock_names`).
PACK_NAMES_LOCK = 0x5041434B  # "PACK"


def _lock_names(session: Session) -> None:
    """Make "no two packs whose names fold alike" hold while this transaction is open: the rule is about
    spellings (:func:`fold_name`), which no unique index can say, so two desks adding 并发 包1 and 并发包1 at the
    same moment would each check before the other committed.  On SQLite ``BEGIN IMMEDIATE`` already serialises
    writers; on PostgreSQL every write of a pack's name first takes one transaction-scoped advisory lock (as
    :func:`recuperation.services.batch.rosters.lock_people` does), so they check one after the other."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(select(func.pg_advisory_xact_lock(PACK_NAMES_LOCK))).all()


def _refuse_duplicate(session: Session, name: str, own_id: int | None) -> None:
    """Refused when another pack's name folds like ``name``; inside the write transaction, after the lock."""
    _lock_names(session)
    for pack_id, other in session.exec(select(SpendingPack.id, SpendingPack.name)).all():
        if pack_id != own_id and fold_name(other) == fold_name(name):
            raise ValidationError(
                "record.duplicate",
                field="name",
                record="spending_pack",
                kind=messages.kind_label("spending_pack"),
                label=messages.field_label("name"),
                value=name,
            )


# -- writing ----------------------------------------------------------------------------------------------------


def _rule_key(rule: Any) -> tuple[Any, ...]:
    def get(name: str) -> Any:
        return rule[name] if isinstance(rule, dict) else getattr(rule, name)

    return (get("kind"), get("valid_from"), get("valid_to"))


def _rule_facts(rule: Any) -> tuple[Any, ...]:
    def get(name: str) -> Any:
        return rule[name] if isinstance(rule, dict) else getattr(rule, name)

    return tuple(get(n) for n in ("kind", "amount", "mode", "valid_from", "valid_to", "source", "notes"))


def _create_in(session: Session, user: str, data: PackInput) -> int:
    values, rules = check_pack(data)
    _refuse_duplicate(session, values["name"], None)
    pack = create_audited(session, user, SpendingPack(**values), values["name"])
    assert pack.id is not None
    for rule in rules:
        session.add(SpendingRule(pack_id=pack.id, **rule))
    if rules:
        audit(
            session,
            user,
            "create",
            "spending_pack",
            pack.id,
            values["name"],
            "rules",
            None,
            rules_text(rules),
        )
    session.flush()
    return pack.id


def create_pack(db: Database, data: PackInput) -> PackRow:
    """Add a pack with its rules in one transaction (audited: the pack and its rules)."""
    with db.session(write=True) as session:
        return _packs(session, ids=[_create_in(session, db.user, data)])[0]


def seed_packs(db: Database, packs: Sequence[PackInput]) -> list[PackRow]:
    """Add several packs in one transaction (the demo's jurisdictions); refused whole if one is."""
    with db.session(write=True) as session:
        ids = [_create_in(session, db.user, data) for data in packs]
        return _packs(session, ids=ids)


def update_pack(db: Database, pack_id: int, version: int, data: PackInput) -> PackRow:
    """Change a pack and replace its rules in one transaction, only if it is still at ``version``.  The audit
    log names the rules that changed (field ``rules``): those removed or changed as they were, those added or
    changed as they are."""
    with db.session(write=True) as session:
        pack = get_or_raise(session, SpendingPack, pack_id)
        refuse_stale("spending_pack", pack.name, pack, version)
        values, rules = check_pack(data)
        _refuse_duplicate(session, values["name"], pack_id)
        stored = session.exec(
            select(SpendingRule).where(SpendingRule.pack_id == pack_id).order_by(col(SpendingRule.id))
        ).all()
        before = [_rule_facts(r) for r in stored]
        after = [_rule_facts(r) for r in rules]
        gone = [r for r, facts in zip(stored, before, strict=True) if facts not in after]
        came = [r for r, facts in zip(rules, after, strict=True) if facts not in before]
        update_versioned(
            session,
            SpendingPack,
            pack_id,
            version,
            values,
            db.user,
            values["name"],
            force=bool(gone or came),
        )
        if gone or came or len(before) != len(after):
            session.exec(delete(SpendingRule).where(col(SpendingRule.pack_id) == pack_id))
            for rule in rules:
                session.add(SpendingRule(pack_id=pack_id, **rule))
        if gone or came:
            audit(
                session,
                db.user,
                "update",
                "spending_pack",
                pack_id,
                values["name"],
                "rules",
                rules_text(gone) or "无",
                rules_text(came) or "无",
            )
        session.flush()
        return _packs(session, ids=[pack_id])[0]


def delete_pack(db: Database, pack_id: int, version: int) -> None:
    """Delete a pack no partner belongs to (the audit log keeps its rules); otherwise refused naming how many
    partners belong to it."""
    with db.session(write=True) as session:
        pack = get_or_raise(session, SpendingPack, pack_id)
        refuse_stale("spending_pack", pack.name, pack, version)
        dependents = {"partner": count_where(session, Partner.spending_pack_id, pack_id)}
        stored = session.exec(select(SpendingRule).where(SpendingRule.pack_id == pack_id)).all()
        text = rules_text(stored)
        if not any(dependents.values()):
            for rule in stored:
                session.delete(rule)
            session.flush()
        delete_checked(
            session, SpendingPack, pack_id, version, db.user, pack.name, dependents, reason=("rules", text)
        )


# -- reading ----------------------------------------------------------------------------------------------------


def _packs(session: Session, *, ids: Sequence[int] | None = None) -> list[PackRow]:
    run = session.connection().execute
    p, r, pt = table_of(SpendingPack).c, table_of(SpendingRule).c, table_of(Partner).c
    query = sa_select(p.id, p.name, p.notes, p.version, p.updated_by, p.updated_at)
    heads = list(run(query if ids is None else query.where(p.id.in_(list(ids)))))
    heads.sort(key=lambda h: (h[1], h[0]))
    wanted = [h[0] for h in heads]
    rules: dict[int, list[RuleRow]] = defaultdict(list)
    members: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for pack_id, *rest in run(
            sa_select(
                r.pack_id, r.id, r.kind, r.amount, r.mode, r.valid_from, r.valid_to, r.source, r.notes
            ).where(r.pack_id.in_(chunk))
        ):
            rules[pack_id].append(RuleRow(*rest))
        for pack_id, name in run(
            sa_select(pt.spending_pack_id, pt.name).where(pt.spending_pack_id.in_(chunk))
        ):
            members[pack_id].append(name)
    return [
        PackRow(
            *head,
            rules=tuple(sorted(rules[head[0]], key=rule_order)),
            partners=tuple(sorted(members[head[0]])),
        )
        for head in heads
    ]


_KIND_ORDER = {k: i for i, k in enumerate(RuleKind.values())}


def rule_order(rule: RuleRow | RuleInput) -> tuple[Any, ...]:
    """Rules as a pack lists them: by kind (day cap, year cap, days, accident, medical), then by validity."""
    return (_KIND_ORDER.get(rule.kind, 9), rule.valid_from or dt.date.min, rule.valid_to or dt.date.max)


def list_packs_in(session: Session, pack_ids: Iterable[int]) -> list[PackRow]:
    """The packs ``pack_ids`` with their rules, inside an open session."""
    ids = sorted(set(pack_ids))
    return _packs(session, ids=ids) if ids else []


def list_packs(db: Database) -> list[PackRow]:
    """Every pack with its rules and the partners that belong to it, by name."""
    with db.session() as session:
        return _packs(session)


def get_pack(db: Database, pack_id: int) -> PackRow:
    with db.session() as session:
        found = _packs(session, ids=[pack_id])
        if not found:
            get_or_raise(session, SpendingPack, pack_id)
        return found[0]


def find_pack(db: Database, name: str) -> PackRow | None:
    """The pack named ``name`` (spaces and full-width forms aside), or None."""
    return next((p for p in list_packs(db) if fold_name(p.name) == fold_name(name)), None)


# -- findings ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A spending rule that fired on a batch: the rule (id, kind, mode), its pack and source, the numbers
    (fen, days, people as integers) and a full sentence.  ``person`` names a worker (masked ID) for a year cap."""

    batch_id: int
    rule_id: int
    kind: str
    mode: str
    pack: str
    source: str
    message: str
    numbers: dict[str, int] = field(default_factory=dict)
    person: str = ""

    @property
    def severity(self) -> str:
        """As the batch's other findings say it: a refusing rule is an "error", a warning one a "warning"."""
        return "error" if self.mode == RuleMode.REFUSE.value else "warning"

    @property
    def refuses(self) -> bool:
        return self.mode == RuleMode.REFUSE.value

    def to_json(self) -> dict[str, object]:
        return {
            "batch_id": self.batch_id,
            "rule_id": self.rule_id,
            "kind": self.kind,
            "mode": self.mode,
            "pack": self.pack,
            "source": self.source,
            "person": self.person,
            "numbers": dict(self.numbers),
            "message": self.message,
        }


@dataclass
class _Facts:
    """What the rules read of one batch."""

    id: int
    code: str
    partner_id: int
    partner: str
    pack_id: int | None
    arrival: dt.date
    departure: dt.date
    headcount: int
    status: str
    kind: str
    charge_basis: str
    price_fen: int | None
    members: int = 0
    route: str = ""  # the batch's route, where it has one with a price
    route_fen: int | None = None  # the route's price per person for the whole route
    route_days: int = 0

    @property
    def days(self) -> int:
        return (self.departure - self.arrival).days + 1

    @property
    def people(self) -> int:
        """The statistics' people: the roster's members where there is a roster, else the headcount."""
        return self.members or self.headcount

    @property
    def at_price(self) -> bool:
        return self.charge_basis == ChargeBasis.PRICE.value and self.price_fen is not None


def _facts(session: Session, batch_ids: Sequence[int]) -> dict[int, _Facts]:
    b, pt, ag, p, r = (table_of(m).c for m in (Batch, Partner, Agreement, Participant, Route))
    run = session.connection().execute
    found: dict[int, _Facts] = {}
    ids = sorted(set(batch_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        query = (
            sa_select(
                b.id,
                b.code,
                b.partner_id,
                pt.name,
                pt.spending_pack_id,
                b.arrival,
                b.departure,
                b.headcount,
                b.status,
                b.kind,
                ag.charge_basis,
                ag.price_fen,
                r.name,
                r.price_fen,
                r.days,
            )
            .select_from(table_of(Batch))
            .join(table_of(Partner), pt.id == b.partner_id)
            .outerjoin(table_of(Agreement), ag.id == b.agreement_id)
            .outerjoin(table_of(Route), r.id == b.route_id)
            .where(b.id.in_(chunk))
        )
        for row in run(query):
            # no agreement: no agreed price, the batch is measured at cost
            facts = _Facts(*row[:10], row[10] or ChargeBasis.COST.value, row[11])
            if row[13] is not None and (row[14] or 0) > 0:
                facts.route, facts.route_fen, facts.route_days = str(row[12]), int(row[13]), int(row[14])
            found[facts.id] = facts
        for batch_id, n in run(
            sa_select(p.batch_id, func.count())
            .where(p.batch_id.in_(chunk), p.companion == False)  # noqa: E712 (SQL)
            .group_by(p.batch_id)
        ):
            if batch_id in found:
                found[batch_id].members = int(n)
    return found


def _rules_of(session: Session, pack_ids: Iterable[int]) -> dict[int, PackRow]:
    ids = sorted(set(pack_ids))
    return {pack.id: pack for pack in _packs(session, ids=ids)} if ids else {}


@dataclass(frozen=True)
class _Cost:
    """A batch's known cost summed over its bases (fen), whether every base's cost is complete, and the
    companions' share of it, split off as the statement splits it (:func:`charges.split_cost`): the caps
    measure the members' part only — companions pay their own."""

    total: int
    complete: bool
    companions: int = 0

    @property
    def members(self) -> int:
        return self.total - self.companions


def _known_cost(session: Session, batch_ids: Iterable[int]) -> dict[int, _Cost]:
    """batch id → its known cost (:func:`settlement.known_costs`) and the companions' share of it."""
    from recuperation.services.charges import split_cost, split_days
    from recuperation.services.settlement import known_costs

    ids = sorted(set(batch_ids))
    if not ids:
        return {}
    totals: dict[int, tuple[int, bool]] = {}
    for (batch_id, _base_id), known in known_costs(session, ids).items():
        fen, complete = totals.get(batch_id, (0, True))
        totals[batch_id] = (fen + known.fen, complete and known.complete)
    days = split_days(session, totals)
    found = {}
    for batch_id, (fen, complete) in totals.items():
        _members, companions = split_cost(fen, *days.get(batch_id, (0, 0)))
        found[batch_id] = _Cost(fen, complete, companions)
    return found


def _mode_text(mode: str) -> str:
    """提醒 / 拒绝, or “warn” / “refuse” in the middle of an English sentence."""
    text = label("rule_mode", mode)
    return text.lower() if messages.language() == "en" else text


def findings(session: Session, batch_ids: Iterable[int]) -> dict[int, list[Finding]]:
    """batch id → the spending findings of its partner's pack (see the module's text), in bulk: a fixed number
    of queries for any number of batches, plus the known costs of the batches measured at cost."""
    ids = sorted(set(batch_ids))
    result: dict[int, list[Finding]] = {i: [] for i in ids}
    facts = {
        i: f
        for i, f in _facts(session, ids).items()
        if f.pack_id is not None
        and f.status != BatchStatus.CANCELLED.value
        and f.kind == BatchKind.RECUPERATION.value
    }
    if not facts:
        return result
    packs = _rules_of(session, {f.pack_id for f in facts.values() if f.pack_id is not None})
    rules = {i: packs[f.pack_id].rules_on(f.arrival) for i, f in facts.items() if f.pack_id in packs}
    kinds = {i: {r.kind for r in rs} for i, rs in rules.items()}
    # the batches whose cost is needed: measured at cost under a day cap; those of a year cap are added below
    need_cost = {i for i, f in facts.items() if RuleKind.DAY_CAP.value in kinds.get(i, ()) and not f.at_price}
    year = {i for i in facts if RuleKind.YEAR_CAP.value in kinds.get(i, ())}
    years = _year_charges(session, {i: facts[i] for i in year}) if year else None
    if years is not None:
        need_cost |= {i for i, f in years.batches.items() if not f.at_price}
    costs = _known_cost(session, need_cost)
    policies = _policies(session, [i for i in facts if kinds.get(i, set()) & _INSURANCE_KINDS])
    for batch_id, f in facts.items():
        pack = packs.get(f.pack_id or 0)
        if pack is None:
            continue
        found = result[batch_id]
        for rule in rules.get(batch_id, []):
            common: dict[str, Any] = {
                "batch_id": batch_id,
                "rule_id": rule.id,
                "kind": rule.kind,
                "mode": rule.mode,
                "pack": pack.name,
                "source": rule.source,
            }
            said: dict[str, Any] = {
                "code": f.code,
                "pack": pack.name,
                "limit": yuan_text(rule.amount),
                "mode": _mode_text(rule.mode),
                "source": rule.source,
            }
            if rule.kind == RuleKind.DAY_CAP.value:
                found.extend(_day_cap(f, rule, costs.get(batch_id), common, said))
                found.extend(_route_day_cap(f, rule, common, said))
            elif (
                rule.kind == RuleKind.MAX_DAYS.value and f.route_days > rule.amount and f.route_days > f.days
            ):
                # the route itself is longer than the rule allows (the batch, shorter, is said below if it is)
                found.append(
                    Finding(
                        **common,
                        message=messages.text(
                            "spending.max_days_route",
                            **{**said, "limit": rule.amount},
                            route=f.route,
                            days=f.route_days,
                        ),
                        numbers={"route_days": f.route_days, "limit": rule.amount},
                    )
                )
            if rule.kind == RuleKind.MAX_DAYS.value and f.days > rule.amount:
                found.append(
                    Finding(
                        **common,
                        message=messages.text(
                            "spending.max_days", **{**said, "limit": rule.amount}, days=f.days
                        ),
                        numbers={"days": f.days, "limit": rule.amount},
                    )
                )
            elif rule.kind in _INSURANCE_KINDS:
                found.extend(_insurance_minimum(f, rule, policies.get(batch_id), common, said))
            elif rule.kind == RuleKind.YEAR_CAP.value and years is not None:
                found.extend(years.over(f, rule, costs, common, said))
    return result


def _day_cap(
    f: _Facts, rule: RuleRow, cost: _Cost | None, common: dict[str, Any], said: dict[str, Any]
) -> list[Finding]:
    if f.at_price:
        assert f.price_fen is not None
        if f.price_fen <= rule.amount:
            return []
        return [
            Finding(
                **common,
                message=messages.text("spending.day_cap_price", **said, value=yuan_text(f.price_fen)),
                numbers={"per_day_fen": f.price_fen, "limit_fen": rule.amount},
            )
        ]
    person_days = f.people * f.days
    if cost is None or person_days <= 0 or cost.members <= rule.amount * person_days:
        return []
    per_day = round_half_up(cost.members, person_days)
    share = (
        messages.text(
            "spending.companions_part", cost=yuan_text(cost.total), share=yuan_text(cost.companions)
        )
        if cost.companions
        else ""
    )
    return [
        Finding(
            **common,
            message=messages.text(
                "spending.day_cap_cost",
                **said,
                value=yuan_text(per_day),
                cost=yuan_text(cost.members),
                person_days=person_days,
                partial=share + ("" if cost.complete else messages.text("spending.partial_cost")),
            ),
            numbers={
                "per_day_fen": per_day,
                "limit_fen": rule.amount,
                "cost_fen": cost.total,
                "members_fen": cost.members,
                "companions_fen": cost.companions,
                "person_days": person_days,
            },
        )
    ]


def _route_day_cap(f: _Facts, rule: RuleRow, common: dict[str, Any], said: dict[str, Any]) -> list[Finding]:
    """The route's price per person per day (its price over its days) above the day cap: the route is priced
    beyond what the partner's rules allow, whatever the batch is charged."""
    if f.route_fen is None or f.route_days <= 0 or f.route_fen <= rule.amount * f.route_days:
        return []
    per_day = round_half_up(f.route_fen, f.route_days)
    return [
        Finding(
            **common,
            message=messages.text(
                "spending.day_cap_route",
                **said,
                route=f.route,
                price=yuan_text(f.route_fen),
                days=f.route_days,
                value=yuan_text(per_day),
            ),
            numbers={"route_fen": f.route_fen, "route_days": f.route_days, "per_day_fen": per_day},
        )
    ]


_INSURANCE_KINDS = frozenset({RuleKind.ACCIDENT_MIN.value, RuleKind.MEDICAL_MIN.value})


def _policies(session: Session, batch_ids: Sequence[int]) -> dict[int, InsurancePolicy]:
    found: dict[int, InsurancePolicy] = {}
    ids = sorted(set(batch_ids))
    for start in range(0, len(ids), CHUNK):
        for policy in session.exec(
            select(InsurancePolicy).where(col(InsurancePolicy.batch_id).in_(ids[start : start + CHUNK]))
        ).all():
            found[policy.batch_id] = policy
    return found


def _insurance_minimum(
    f: _Facts, rule: RuleRow, policy: InsurancePolicy | None, common: dict[str, Any], said: dict[str, Any]
) -> list[Finding]:
    what = label("rule_kind", rule.kind)
    cover_name = messages.text(f"insurance.cover.{rule.kind}")
    if policy is None:
        return [
            Finding(
                **common,
                message=messages.text("spending.no_policy", **said, cover=cover_name, rule=what),
                numbers={"limit_fen": rule.amount},
            )
        ]
    cover = policy.accident_fen if rule.kind == RuleKind.ACCIDENT_MIN.value else policy.medical_fen
    if cover >= rule.amount:
        return []
    return [
        Finding(
            **common,
            message=messages.text("spending.cover_short", **said, cover=cover_name, value=yuan_text(cover)),
            numbers={"cover_fen": cover, "limit_fen": rule.amount},
        )
    ]


def _money(fen: int) -> str:
    """An amount inside a list of a sentence: 1,200.00 元, or ¥1,200.00 in English."""
    return f"¥{yuan_text(fen)}" if messages.language() == "en" else f"{yuan_text(fen)} 元"


def _person_amount(name: str, masked: str, fen: int) -> str:
    if messages.language() == "en":
        return f"{name} ({masked}) {_money(fen)}"
    return f"{name}（{masked}）{_money(fen)}"


#: Up to this many people over the yearly cap in one batch, each has a finding of their own; more, one finding
#: names them all (a batch of 34 people each over the cap is one line to read, not 34).
YEAR_CAP_NAMED_APART = 3


@dataclass
class _YearCharges:
    """Per (partner, year): each member's batches (by ID number) with what each batch charges a person."""

    batches: dict[int, _Facts]  # every batch counted (the asked ones and the others of their people)
    # asked batch → its members (key, name, masked ID; services/identity.py), no-shows left out
    people: dict[int, list[tuple[str, str, str]]]
    visits: dict[tuple[int, int, str], list[int]]  # (partner, year, key) → the batches the person is in

    def charge(self, f: _Facts, costs: dict[int, _Cost]) -> int:
        """What batch ``f`` charges a person: the price × its days, or the members' part of its known cost ÷
        its people."""
        if f.at_price:
            assert f.price_fen is not None
            return f.price_fen * f.days
        cost = costs.get(f.id)
        return round_half_up(cost.members, f.people) if cost is not None and f.people > 0 else 0

    def over(
        self,
        f: _Facts,
        rule: RuleRow,
        costs: dict[int, _Cost],
        common: dict[str, Any],
        said: dict[str, Any],
    ) -> list[Finding]:
        over: list[tuple[str, str, list[tuple[_Facts, int]], int]] = []
        for number, name, masked in self.people.get(f.id, []):
            visits = sorted(
                self.visits.get((f.partner_id, f.arrival.year, number), []),
                key=lambda i: (self.batches[i].arrival, self.batches[i].code),
            )
            amounts = [(self.batches[i], self.charge(self.batches[i], costs)) for i in visits]
            total = sum(a for _b, a in amounts)
            if total > rule.amount:
                over.append((name, masked, amounts, total))
        if len(over) > YEAR_CAP_NAMED_APART:
            # many people over the cap (a dear batch of a city with a low cap): one finding naming each of them
            people = messages.join([_person_amount(name, masked, total) for name, masked, _a, total in over])
            return [
                Finding(
                    **common,
                    message=messages.text(
                        "spending.year_cap_many",
                        **said,
                        count=len(over),
                        year=f.arrival.year,
                        partner=f.partner,
                        people=people,
                    ),
                    numbers={"people": len(over), "limit_fen": rule.amount},
                    person=messages.join([f"{name} {masked}" for name, masked, _a, _t in over]),
                )
            ]
        found = []
        for name, masked, amounts, total in over:
            detail = messages.join([f"{b.code} {_money(a)}" for b, a in amounts])
            found.append(
                Finding(
                    **common,
                    message=messages.text(
                        "spending.year_cap",
                        **said,
                        name=name,
                        id=masked,
                        year=f.arrival.year,
                        partner=f.partner,
                        count=len(amounts),
                        value=yuan_text(total),
                        detail=detail,
                    ),
                    numbers={"total_fen": total, "limit_fen": rule.amount, "batches": len(amounts)},
                    person=f"{name} {masked}",
                )
            )
        return found


def _year_charges(session: Session, asked: dict[int, _Facts]) -> _YearCharges:
    """The members of the asked batches and every batch of the same partner and year each of them is in."""
    p, b = table_of(Participant).c, table_of(Batch).c
    run = session.connection().execute
    member = (p.companion == False) & (p.attendance != Attendance.NO_SHOW.value)  # noqa: E712 (SQL)
    people: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    ids = sorted(asked)
    for start in range(0, len(ids), CHUNK):
        for batch_id, number, name, masked in run(
            sa_select(p.batch_id, p.id_key, p.name, p.id_masked)
            .where(p.batch_id.in_(ids[start : start + CHUNK]), member)
            .order_by(p.batch_id, p.id)
        ):
            people[batch_id].append((number, name, masked))
    # the same people in the partners' other batches of those years
    visits: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    others: set[int] = set()
    scopes = {(f.partner_id, f.arrival.year) for f in asked.values()}
    numbers_of: dict[tuple[int, int], set[str]] = defaultdict(set)
    for batch_id, f in asked.items():
        numbers_of[(f.partner_id, f.arrival.year)] |= {n for n, _name, _m in people.get(batch_id, [])}
    for partner_id, year in sorted(scopes):
        numbers = sorted(numbers_of[(partner_id, year)])
        for start in range(0, len(numbers), CHUNK):
            query = (
                sa_select(p.batch_id, p.id_key)
                .join(table_of(Batch), b.id == p.batch_id)
                .where(
                    b.partner_id == partner_id,
                    b.status != BatchStatus.CANCELLED.value,
                    b.kind == BatchKind.RECUPERATION.value,
                    b.arrival >= dt.date(year, 1, 1),
                    b.arrival <= dt.date(year, 12, 31),
                    p.id_key.in_(numbers[start : start + CHUNK]),
                    member,
                )
            )
            for batch_id, number in run(query):
                visits[(partner_id, year, number)].append(batch_id)
                others.add(batch_id)
    batches = dict(asked)
    batches.update(_facts(session, sorted(others - set(asked))))
    return _YearCharges(batches, dict(people), dict(visits))


# -- confirming -------------------------------------------------------------------------------------------------


def _refusing(session: Session, batch: Batch) -> list[Finding]:
    assert batch.id is not None
    return [f for f in findings(session, [batch.id]).get(batch.id, []) if f.refuses]


def refuse_confirming(session: Session, batch: Batch, *, shown: str | None = None) -> None:
    """Inside the transaction that confirms ``batch`` (or creates it confirmed or under way): refused
    (RuleViolation naming the batch and every refusing rule with its numbers) when a rule of its partner's pack
    in ``refuse`` mode fires.  The partner's row is locked first (PostgreSQL), so two of its batches confirmed
    at once are checked one after the other."""
    assert batch.id is not None
    session.exec(select(Partner.id).where(Partner.id == batch.partner_id).with_for_update()).all()
    refusing = _refusing(session, batch)
    if not refusing:
        return
    from recuperation.services.batch.batches import batch_label

    raise RuleViolation(
        "spending.refused",
        field="status",
        record="batch",
        batch=batch_label(batch.code if shown is None else shown),
        detail=messages.join_clauses([f.message.rstrip("。.") for f in refusing]),
    )


def refusing_keys(session: Session, batch: Batch) -> set[tuple[int, str]]:
    """The refusing findings a confirmed batch already has, as (rule, person) — taken before a change."""
    session.exec(select(Partner.id).where(Partner.id == batch.partner_id).with_for_update()).all()
    return {(f.rule_id, f.person) for f in _refusing(session, batch)}


def refuse_new_breaks(session: Session, batch: Batch, before: set[tuple[int, str]]) -> None:
    """After a change of a confirmed or under-way batch (its dates, its route, its agreement …), inside the
    same transaction: refused when it breaks a refusing rule it did not break before (a batch confirmed before
    a rule was made keeps its old findings, which never stop a correction)."""
    new = [f for f in _refusing(session, batch) if (f.rule_id, f.person) not in before]
    if not new:
        return
    from recuperation.services.batch.batches import batch_label

    raise RuleViolation(
        "spending.refused_change",
        field="status",
        record="batch",
        batch=batch_label(batch.code),
        detail=messages.join_clauses([f.message.rstrip("。.") for f in new]),
    )


def partner_pack(session: Session, partner_id: int) -> PackRow | None:
    partner = get_or_raise(session, Partner, partner_id)
    if partner.spending_pack_id is None:
        return None
    found = _packs(session, ids=[partner.spending_pack_id])
    return found[0] if found else None


# -- recuperation check ---------------------------------------------------------------------------------------


def confirmed_refusals(db: Database) -> list[tuple[str, str]]:
    """(batch code, message) of every batch that holds its beds (confirmed, in progress, completed) although a
    refusing rule of its partner's pack fires on it (a rule added or changed after it was confirmed, or data
    written around the services): what ``recuperation check`` reports.  Only partners whose pack has a
    refusing rule are read."""
    b, pt, r = table_of(Batch).c, table_of(Partner).c, table_of(SpendingRule).c
    firm = (BatchStatus.CONFIRMED.value, BatchStatus.IN_PROGRESS.value, BatchStatus.COMPLETED.value)
    with db.session() as session:
        refusing = sa_select(r.pack_id).where(r.mode == RuleMode.REFUSE.value)
        codes: dict[int, str] = {
            batch_id: code
            for batch_id, code in session.connection().execute(
                sa_select(b.id, b.code)
                .join(table_of(Partner), pt.id == b.partner_id)
                .where(b.status.in_(firm), pt.spending_pack_id.in_(refusing))
                .order_by(b.arrival, b.code)
            )
        }
        ids = list(codes)
        found = findings(session, ids)
    return [(codes[i], f.message) for i in ids for f in found.get(i, []) if f.refuses]
