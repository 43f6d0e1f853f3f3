"""Rate cards (价目表) and what a batch costs at each base, planned and actual.

**Rate cards.**  A base's card names its prices for a period (有效期起 … 有效期至) with the base's invoice details
(开票单位, its 统一社会信用代码 checked with python-stdnum, bank and account) and its tax rate in basis points
(600 = 6%; 0% to 30%, :data:`recuperation.money.MAX_TAX_BP`).  A card is valid from 2000 on (an earlier date
is a slip).  A base's cards never overlap in validity: a new card starts the day after the old one ends.  Each
line prices one item: a room type per room and night (``twin``, ``single``, ``suite``, ``triple`` or a name as
written), a meal per person (``breakfast``, ``lunch``, ``dinner``), a meeting room per session (or per person),
an activity per person or per session, anything else.  A line without dates is the item's price for the whole
card; a line with a season (``first_day`` … ``last_day``, inside the card) replaces it on those days
(:func:`price_on`).  So an item has at most one line without dates, and its seasons never overlap.

**Money** is integer fen (:mod:`recuperation.money`).  **Prices include tax**: the tax part of a total is
``round-half-up(total × bp / (10000 + bp))``, computed once per card on the sum of the lines it priced, never
line by line; the amount before tax is the total less that tax.

**A batch's cost at a base** (:func:`batch_costs`, in bulk: a fixed number of queries for any number of
batches) has lines (day, item, quantity, unit price, amount) and the needs no price was found for, listed as
*no price* findings — never priced at zero: no card valid that day, or a card without that item.

- **Planned**: what the base's order derives (:func:`recuperation.services.orders.contents`).  Each night, the
  rooms: once rooms are assigned, the assigned rooms by type (a room with two or more people on the roster is
  a ``twin``, a room with one a ``single``) and a twin for every two people still without a room; before, a
  twin for every two people lodged.  The guide's and the driver's rooms (one each, at the night's main base)
  are twins, listed apart (``staff``).  Each meal the itinerary serves at the base, per eater (the group plus
  guide and driver).  Companions (随行家属) lodge and eat: they count here, unlike in the union's 人次.
- **Actual**: known for a completed batch whose roll call is closed (and has a roster).  A no-show (and
  anyone left unmarked) lodges and eats nothing.  A person who left early (``left_on``) was there on the day
  they left, as the statistics count it: the nights before that day, that day's breakfast and lunch and its
  activities, but not its dinner nor its night.  A person marked as left early with no day counts as attended.
  The guide and the driver are taken to have stayed as planned.
- **Actual people at a base on a night**: the lodging's people less the roster's people absent that night,
  never more than the people present; on a night at several bases they are shared among them in proportion
  to the lodging (largest remainder), since the roll call does not say who slept where.
- **Actual rooms** (the rule, honestly): once rooms were assigned, a room counts when at least one of the
  people assigned to it stayed that night, at its planned type (a twin one of whose two left is still a twin
  the base made up); a room nobody used is not paid for; the people present without a room take a twin for
  every two.  Without assigned rooms, a twin for every two people present.
- **Activities** are costed when the card names them: an itinerary activity at the base is priced by the
  card's activity or meeting-room line whose item is the activity's text (spaces and full-width forms
  aside); per person for the group (for the actual: those there that day) or once per session.  An activity
  the card does not name is taken as free at that base (walks and visits mostly are) and is no finding.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.errors import RuleViolation, ValidationError
from recuperation.labels import label, labels
from recuperation.models import (
    Attendance,
    Base,
    Batch,
    BatchStatus,
    ItemKind,
    Participant,
    RateCard,
    RateKind,
    RateLine,
    RateUnit,
    RoomType,
    table_of,
)
from recuperation.money import MAX_PRICE_FEN, MAX_TAX_BP, tax_part, yuan_text
from recuperation.services import orders
from recuperation.services.common import (
    audit,
    choice,
    clean_text,
    create_audited,
    delete_checked,
    get_or_raise,
    refuse_stale,
    update_versioned,
)
from recuperation.services.partners import check_uscc
from recuperation.storage.database import Database

MEALS = (ItemKind.BREAKFAST.value, ItemKind.LUNCH.value, ItemKind.DINNER.value)
#: The units each kind of line may be priced in.
UNITS: dict[str, tuple[str, ...]] = {
    RateKind.ROOM.value: (RateUnit.PER_ROOM_NIGHT.value,),
    RateKind.MEAL.value: (RateUnit.PER_PERSON.value,),
    RateKind.MEETING.value: (RateUnit.PER_SESSION.value, RateUnit.PER_PERSON.value),
    RateKind.ACTIVITY.value: (RateUnit.PER_PERSON.value, RateUnit.PER_SESSION.value),
    RateKind.OTHER.value: tuple(RateUnit.values()),
}
#: How people write a room type or a meal besides its label (标间 is a twin room, 中餐 a lunch).
_ITEM_SYNONYMS: dict[str, dict[str, str]] = {
    RateKind.ROOM.value: {
        "标间": RoomType.TWIN.value,
        "双人间": RoomType.TWIN.value,
        "双床房": RoomType.TWIN.value,
        "双床间": RoomType.TWIN.value,
        "标准双人间": RoomType.TWIN.value,
        "单间": RoomType.SINGLE.value,
        "大床房": RoomType.SINGLE.value,
        "单人房": RoomType.SINGLE.value,
        "套间": RoomType.SUITE.value,
        "三人房": RoomType.TRIPLE.value,
    },
    RateKind.MEAL.value: {
        "早饭": ItemKind.BREAKFAST.value,
        "中餐": ItemKind.LUNCH.value,
        "午饭": ItemKind.LUNCH.value,
        "中饭": ItemKind.LUNCH.value,
        "晚饭": ItemKind.DINNER.value,
    },
}
_KIND_ORDER = {kind.value: i for i, kind in enumerate(RateKind)}
_ITEM_ORDER = {
    **{t.value: i for i, t in enumerate(RoomType)},
    **{m: i for i, m in enumerate(MEALS)},
}
#: A new card's tax rate unless it says otherwise: 6%, the rate of accommodation and catering services.
DEFAULT_TAX_BP = 600
#: Cards and batches read per query (an IN list well under both databases' limits).
CHUNK = 500


# -- records --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    kind: str
    item: str
    unit: str
    price_fen: int
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class CardInput:
    base_id: int
    name: str
    valid_from: dt.date
    valid_to: dt.date
    invoice_title: str = ""
    uscc: str = ""
    bank_name: str = ""
    bank_account: str = ""
    tax_bp: int = DEFAULT_TAX_BP
    notes: str = ""
    lines: tuple[LineInput, ...] = ()


@dataclass(frozen=True)
class LineRow:
    id: int
    kind: str
    item: str
    unit: str
    price_fen: int
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    notes: str = ""

    @property
    def key(self) -> tuple[str, str, dt.date | None, dt.date | None]:
        return (self.kind, self.item, self.first_day, self.last_day)

    @property
    def season(self) -> bool:
        return self.first_day is not None


@dataclass(frozen=True)
class CardRow:
    id: int
    base_id: int
    base: str
    name: str
    valid_from: dt.date
    valid_to: dt.date
    invoice_title: str
    uscc: str
    bank_name: str
    bank_account: str
    tax_bp: int
    notes: str
    version: int
    updated_by: str
    updated_at: dt.datetime
    lines: tuple[LineRow, ...] = ()

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to

    def as_input(self) -> CardInput:
        return CardInput(
            self.base_id,
            self.name,
            self.valid_from,
            self.valid_to,
            self.invoice_title,
            self.uscc,
            self.bank_name,
            self.bank_account,
            self.tax_bp,
            self.notes,
            tuple(
                LineInput(li.kind, li.item, li.unit, li.price_fen, li.first_day, li.last_day, li.notes)
                for li in self.lines
            ),
        )


def item_code(kind: str, item: object) -> str:
    """A line's item as stored: a room type or a meal by its code whichever way it is written (标准间, 标间,
    twin, Twin room → ``twin``; 早餐 → ``breakfast``), any other item as written (trimmed)."""
    text = unicodedata.normalize("NFKC", str(item or "")).strip()
    if kind == RateKind.ROOM.value:
        words = {**_words("room_type"), **_ITEM_SYNONYMS[kind]}
    elif kind == RateKind.MEAL.value:
        words = {w: c for w, c in _words("item_kind").items() if c in MEALS} | _ITEM_SYNONYMS[kind]
    else:
        return str(item or "").strip()
    return words.get(text) or words.get(text.lower()) or str(item or "").strip()


def _words(enumeration: str) -> dict[str, str]:
    """Every way the catalogue writes a code (the code, its Chinese and English labels) → the code."""
    found: dict[str, str] = {}
    for language in ("zh", "en"):
        for code, word in labels(enumeration, language).items():
            found[word] = code
            found[word.lower()] = code
            found[code] = code
    return found


def item_label(kind: str, item: str, language: str | None = None) -> str:
    """An item as people read it: 标准间, 早餐, or the item as written."""
    if kind == RateKind.ROOM.value and item in RoomType.values():
        return label("room_type", item, language)
    if kind == RateKind.MEAL.value and item in MEALS:
        return label("item_kind", item, language)
    return item


def fold_name(text: object) -> str:
    """What two spellings of a card's, a base's or an activity's name share: full-width and half-width alike,
    no spaces, any case (寿昌宫(…) finds 寿昌宫（…）); never written back."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).lower()


# -- checking a card --------------------------------------------------------------------------------------------


def line_text(line: Any) -> str:
    """One line as the audit log and messages show it: 标准间 2021-07-01至2021-08-31 380.00元/每间每晚."""
    values: dict[str, Any] = line if isinstance(line, dict) else vars(line)

    def get(name: str) -> Any:
        return values.get(name)

    kind, item = str(get("kind")), str(get("item"))
    season = f" {get('first_day')}至{get('last_day')}" if get("first_day") else ""
    unit = label("rate_unit", get("unit"), "zh")
    return f"{item_label(kind, item, 'zh')}{season} {yuan_text(int(get('price_fen')))}元/{unit}"


def lines_text(lines: Iterable[Any]) -> str:
    return "；".join(line_text(li) for li in lines)


def check_card(data: CardInput, base: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The card's values and its lines as stored, or the first ValidationError: the message names the card,
    its base, the field and what to do; a line's error carries the line's index as the parameter ``line``.
    Overlaps with the base's other cards are :func:`overlap_error`'s."""
    name = clean_text("rate_card", "name", data.name, max_length=100, required=True)
    who = {"card": name, "base": base}
    for which, day in (("valid_from", data.valid_from), ("valid_to", data.valid_to)):
        if day < orders.EARLIEST_DAY:  # 1899-12-31 is a slip, and a workbook cannot hold it as a date
            raise ValidationError(
                "rate.card_early", field=which, record="rate_card", day=day.isoformat(), **who
            )
    if data.valid_to < data.valid_from:
        raise ValidationError(
            "rate.card_term",
            field="valid_to",
            record="rate_card",
            start=data.valid_from.isoformat(),
            end=data.valid_to.isoformat(),
            **who,
        )
    try:
        uscc = check_uscc(name, data.uscc)
    except ValidationError as exc:
        raise ValidationError(
            "rate.uscc_invalid",
            field="uscc",
            record="rate_card",
            value=exc.params.get("value", data.uscc),
            reason=exc.params.get("reason", ""),
            **who,
        ) from exc
    if not 0 <= int(data.tax_bp) <= MAX_TAX_BP:
        raise ValidationError(
            "rate.bad_tax", field="tax_bp", record="rate_card", value=f"{data.tax_bp / 100:g}%", **who
        )
    values: dict[str, Any] = {
        "base_id": data.base_id,
        "name": name,
        "valid_from": data.valid_from,
        "valid_to": data.valid_to,
        "invoice_title": clean_text("rate_card", "invoice_title", data.invoice_title, max_length=100),
        "uscc": uscc,
        "bank_name": clean_text("rate_card", "bank_name", data.bank_name, max_length=100),
        "bank_account": clean_text("rate_card", "bank_account", data.bank_account, max_length=40),
        "tax_bp": int(data.tax_bp),
        "notes": clean_text("rate_card", "notes", data.notes, max_length=2000, multiline=True),
    }
    lines: list[dict[str, Any]] = []
    for index, line in enumerate(data.lines):
        try:
            lines.append(_check_line(line, data, who))
        except ValidationError as exc:
            exc.params["line"] = index
            raise
    _refuse_line_overlaps(lines, who)
    return values, lines


def _check_line(line: LineInput, card: CardInput, who: dict[str, str]) -> dict[str, Any]:
    kind = choice("rate_line", "kind", line.kind, RateKind.values())
    item = clean_text("rate_line", "item", item_code(kind, line.item), max_length=60, required=True)
    if kind == RateKind.MEAL.value and item not in MEALS:
        raise ValidationError("rate.meal_item", field="item", record="rate_line", value=item, **who)
    shown = item_label(kind, item)
    if line.unit not in UNITS[kind]:
        raise ValidationError(
            "rate.unit_for_kind",
            field="unit",
            record="rate_line",
            kind=label("rate_kind", kind),
            item=shown,
            unit=label("rate_unit", line.unit),
            allowed=messages.join([label("rate_unit", u) for u in UNITS[kind]]),
            **who,
        )
    price = int(line.price_fen)
    if not 0 <= price <= MAX_PRICE_FEN:
        raise ValidationError(
            "rate.bad_price",
            field="unit_price",
            record="rate_line",
            item=shown,
            value=yuan_text(price),
            max=yuan_text(MAX_PRICE_FEN),
            **who,
        )
    first, last = line.first_day, line.last_day
    if (first is None) != (last is None):
        raise ValidationError(
            "rate.season_half",
            field="last_day" if last is None else "first_day",
            record="rate_line",
            item=shown,
            **who,
        )
    if first is not None and last is not None:
        if last < first:
            raise ValidationError(
                "rate.season_order",
                field="last_day",
                record="rate_line",
                item=shown,
                first=first.isoformat(),
                last=last.isoformat(),
                **who,
            )
        if first < card.valid_from or last > card.valid_to:
            raise ValidationError(
                "rate.season_outside",
                field="first_day" if first < card.valid_from else "last_day",
                record="rate_line",
                item=shown,
                first=first.isoformat(),
                last=last.isoformat(),
                start=card.valid_from.isoformat(),
                end=card.valid_to.isoformat(),
                **who,
            )
    return {
        "kind": kind,
        "item": item,
        "unit": line.unit,
        "price_fen": price,
        "first_day": first,
        "last_day": last,
        "notes": clean_text("rate_line", "notes", line.notes, max_length=200),
    }


def _refuse_line_overlaps(lines: list[dict[str, Any]], who: dict[str, str]) -> None:
    """An item has one price on any day: one line without dates at most, and seasons that never overlap."""
    seen: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for index, line in enumerate(lines):
        for _other_index, other in seen[(line["kind"], line["item"])]:
            whole = line["first_day"] is None and other["first_day"] is None
            both_seasons = line["first_day"] is not None and other["first_day"] is not None
            if whole or (
                both_seasons
                and line["first_day"] <= other["last_day"]
                and other["first_day"] <= line["last_day"]
            ):
                raise ValidationError(
                    "rate.line_overlap",
                    field="first_day",
                    record="rate_line",
                    line=index,
                    item=item_label(line["kind"], line["item"]),
                    one=line_text(other),
                    two=line_text(line),
                    **who,
                )
        seen[(line["kind"], line["item"])].append((index, line))


def overlap_error(
    base: str, card: tuple[str, dt.date, dt.date], others: Iterable[tuple[str, dt.date, dt.date]]
) -> RuleViolation | None:
    """The refusal of a card (name, valid from, valid to) whose validity overlaps another card of its base."""
    name, start, end = card
    for other, other_start, other_end in others:
        if start <= other_end and other_start <= end:
            return RuleViolation(
                "rate.card_overlap",
                field="valid_from",
                record="rate_card",
                base=base,
                card=name,
                start=start.isoformat(),
                end=end.isoformat(),
                other=other,
                other_start=other_start.isoformat(),
                other_end=other_end.isoformat(),
            )
    return None


def _lock_base(session: Session, base_id: int) -> Base:
    """The base, its row locked until the transaction ends (PostgreSQL; SQLite holds its write lock since
    BEGIN IMMEDIATE): two desks adding cards to one base check their overlaps one after the other."""
    session.exec(select(Base.id).where(Base.id == base_id).with_for_update()).all()
    return get_or_raise(session, Base, base_id)


def _refuse_clashes(session: Session, base: Base, values: dict[str, Any], own_id: int | None) -> None:
    rows = session.exec(
        select(col(RateCard.id), col(RateCard.name), col(RateCard.valid_from), col(RateCard.valid_to)).where(
            RateCard.base_id == base.id
        )
    ).all()
    for card_id, name, _start, _end in rows:
        if card_id != own_id and fold_name(name) == fold_name(values["name"]):
            raise ValidationError(
                "record.duplicate",
                field="name",
                record="rate_card",
                kind=messages.kind_label("rate_card"),
                label=messages.field_label("name"),
                value=values["name"],
            )
    others = [(name, start, end) for card_id, name, start, end in rows if card_id != own_id]
    error = overlap_error(base.name, (values["name"], values["valid_from"], values["valid_to"]), others)
    if error is not None:
        raise error


# -- writing ----------------------------------------------------------------------------------------------------


def _label(base: str, name: str) -> str:
    return f"{base} {name}"


def create_card(db: Database, data: CardInput) -> CardRow:
    """Add a base's rate card with its lines in one transaction (audited: the card and its prices)."""
    with db.session(write=True) as session:
        base = _lock_base(session, data.base_id)
        values, lines = check_card(data, base.name)
        _refuse_clashes(session, base, values, None)
        record = _label(base.name, values["name"])
        card = create_audited(session, db.user, RateCard(**values), record)
        assert card.id is not None
        for line in lines:
            session.add(RateLine(rate_card_id=card.id, **line))
        if lines:
            audit(session, db.user, "create", "rate_card", card.id, record, "lines", None, lines_text(lines))
        session.flush()
        return _cards(session, ids=[card.id])[0]


def update_card(db: Database, card_id: int, version: int, data: CardInput) -> CardRow:
    """Change a card and its lines in one transaction, only if it is still at ``version``.  Lines are matched by
    their kind, item and season: a changed price or unit is a change, the rest are added or removed; the
    audit log names the lines that changed (field ``lines``)."""
    with db.session(write=True) as session:
        card = get_or_raise(session, RateCard, card_id)
        old_base = get_or_raise(session, Base, card.base_id)
        refuse_stale("rate_card", _label(old_base.name, card.name), card, version)
        base = _lock_base(session, data.base_id)
        values, lines = check_card(data, base.name)
        _refuse_clashes(session, base, values, card_id)
        stored = session.exec(
            select(RateLine).where(RateLine.rate_card_id == card_id).order_by(col(RateLine.id))
        ).all()
        before = {(li.kind, li.item, li.first_day, li.last_day): li for li in stored}
        after = {(li["kind"], li["item"], li["first_day"], li["last_day"]): li for li in lines}
        removed = [li for key, li in before.items() if key not in after]
        added = [li for key, li in after.items() if key not in before]
        changed = [
            (before[key], li)
            for key, li in after.items()
            if key in before
            and (before[key].unit, before[key].price_fen, before[key].notes)
            != (li["unit"], li["price_fen"], li["notes"])
        ]
        record = _label(base.name, values["name"])
        # what the audit log keeps: the lines that changed, as they were and as they are
        was = lines_text([*(_snapshot(li) for li in removed), *(_snapshot(old) for old, _new in changed)])
        now_ = lines_text([*(new for _old, new in changed), *added])
        update_versioned(
            session,
            RateCard,
            card_id,
            version,
            values,
            db.user,
            record,
            force=bool(removed or added or changed),
        )
        for line in removed:
            session.delete(line)
        for old, new in changed:
            old.unit, old.price_fen, old.notes = new["unit"], new["price_fen"], new["notes"]
            session.add(old)
        for new in added:
            session.add(RateLine(rate_card_id=card_id, **new))
        if removed or added or changed:
            audit(
                session, db.user, "update", "rate_card", card_id, record, "lines", was or "无", now_ or "无"
            )
        session.flush()
        return _cards(session, ids=[card_id])[0]


def _snapshot(line: RateLine) -> dict[str, Any]:
    return {
        "kind": line.kind,
        "item": line.item,
        "first_day": line.first_day,
        "last_day": line.last_day,
        "unit": line.unit,
        "price_fen": line.price_fen,
    }


def delete_card(db: Database, card_id: int, version: int) -> None:
    """Delete a card and its lines (the audit log keeps the prices it had)."""
    with db.session(write=True) as session:
        card = get_or_raise(session, RateCard, card_id)
        base = get_or_raise(session, Base, card.base_id)
        record = _label(base.name, card.name)
        refuse_stale("rate_card", record, card, version)
        stored = session.exec(select(RateLine).where(RateLine.rate_card_id == card_id)).all()
        text = lines_text(stored)
        for line in stored:
            session.delete(line)
        session.flush()
        delete_checked(session, RateCard, card_id, version, db.user, record, {}, reason=("lines", text))


# -- reading ----------------------------------------------------------------------------------------------------


def _cards(
    session: Session, *, ids: Sequence[int] | None = None, base_ids: Sequence[int] | None = None
) -> list[CardRow]:
    """Cards (by id, or of bases, or all) with their lines: two queries per chunk of ids."""
    card, line, base = table_of(RateCard).c, table_of(RateLine).c, table_of(Base).c
    run = session.connection().execute
    query = sa_select(
        card.id,
        card.base_id,
        base.name,
        card.name,
        card.valid_from,
        card.valid_to,
        card.invoice_title,
        card.uscc,
        card.bank_name,
        card.bank_account,
        card.tax_bp,
        card.notes,
        card.version,
        card.updated_by,
        card.updated_at,
    ).join(table_of(Base), base.id == card.base_id)
    heads: list[Any] = []
    if ids is None and base_ids is None:
        heads = list(run(query))
    else:
        keys = sorted(set(ids if ids is not None else base_ids or ()))
        column = card.id if ids is not None else card.base_id
        for start in range(0, len(keys), CHUNK):
            heads += list(run(query.where(column.in_(keys[start : start + CHUNK]))))
    # by the base's name as Python orders text, not the database's collation: the same on both backends
    heads.sort(key=lambda h: (h[2], h[4], h[0]))
    lines: dict[int, list[LineRow]] = defaultdict(list)
    card_ids = [h[0] for h in heads]
    for start in range(0, len(card_ids), CHUNK):
        rows = run(
            sa_select(
                line.rate_card_id,
                line.id,
                line.kind,
                line.item,
                line.unit,
                line.price_fen,
                line.first_day,
                line.last_day,
                line.notes,
            ).where(line.rate_card_id.in_(card_ids[start : start + CHUNK]))
        )
        for card_id, *rest in rows:
            lines[card_id].append(LineRow(*rest))
    return [replace(CardRow(*head), lines=tuple(sorted(lines[head[0]], key=line_order))) for head in heads]


def line_order(line: LineRow | LineInput) -> tuple[Any, ...]:
    """Lines in the order a card lists them: rooms, meals, meeting rooms, activities, others; twin before
    single, breakfast before lunch; the price for the whole card before its seasons, seasons by date."""
    return (
        _KIND_ORDER.get(line.kind, 9),
        _ITEM_ORDER.get(line.item, 99),
        line.item,
        line.first_day is not None,
        line.first_day or dt.date.min,
    )


def list_cards(db: Database, base_id: int | None = None) -> list[CardRow]:
    """Every card (or one base's), by base and validity, each with its lines."""
    with db.session() as session:
        return _cards(session, base_ids=None if base_id is None else [base_id])


def get_card(db: Database, card_id: int) -> CardRow:
    with db.session() as session:
        found = _cards(session, ids=[card_id])
        if not found:
            get_or_raise(session, RateCard, card_id)
        return found[0]


def price_on(card: CardRow, kind: str, item: str, day: dt.date) -> LineRow | None:
    """The line that prices ``item`` on ``day`` under ``card``: the season covering the day, else the card's
    price for its whole validity; None when the card is not valid that day or does not name the item."""
    if not card.valid_on(day):
        return None
    whole = None
    for line in card.lines:
        if line.kind != kind or line.item != item:
            continue
        if line.first_day is None:
            whole = line
        elif line.last_day is not None and line.first_day <= day <= line.last_day:
            return line
    return whole


def card_on(cards: Iterable[CardRow], day: dt.date) -> CardRow | None:
    """The card valid on ``day`` among one base's cards (they never overlap)."""
    return next((c for c in cards if c.valid_on(day)), None)


# -- costs ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostLine:
    day: dt.date  # the night, or the day of the meal or activity
    kind: str  # room, meal, meeting, activity
    item: str  # twin, single, breakfast … or the activity as the itinerary names it
    quantity: int
    unit: str
    unit_fen: int
    amount_fen: int
    card_id: int
    staff: bool = False  # the guide's and the driver's rooms


@dataclass(frozen=True)
class NoPrice:
    """A need no price was found for: no card valid that day (``card`` empty), or the card lacks the item."""

    day: dt.date
    kind: str
    item: str
    quantity: int
    card_id: int | None = None
    card: str = ""
    staff: bool = False

    def message(self, base: str) -> str:
        what = f"{item_label(self.kind, self.item)} × {self.quantity}"
        if self.card_id is None:
            return messages.text("rate.no_card", base=base, day=self.day.isoformat(), item=what)
        return messages.text("rate.no_price", base=base, day=self.day.isoformat(), card=self.card, item=what)


@dataclass(frozen=True)
class TaxPart:
    """The tax inside what one card priced (prices include tax)."""

    card_id: int
    rate_bp: int
    gross_fen: int
    tax_fen: int

    @property
    def net_fen(self) -> int:
        return self.gross_fen - self.tax_fen


@dataclass(frozen=True)
class Costing:
    lines: tuple[CostLine, ...] = ()
    missing: tuple[NoPrice, ...] = ()
    taxes: tuple[TaxPart, ...] = ()

    @property
    def total_fen(self) -> int:
        """The sum of the lines' amounts (tax included)."""
        return sum(line.amount_fen for line in self.lines)

    @property
    def tax_fen(self) -> int:
        return sum(part.tax_fen for part in self.taxes)

    @property
    def net_fen(self) -> int:
        return self.total_fen - self.tax_fen

    @property
    def complete(self) -> bool:
        """Every need has its price (otherwise the total is a part of the cost, never the whole)."""
        return not self.missing


@dataclass(frozen=True)
class CostSheet:
    """What one batch costs at one base: planned, and actual once the roll call of the completed batch is
    closed (None before)."""

    batch_id: int
    base_id: int
    batch_code: str
    base: str
    planned: Costing
    actual: Costing | None = None


@dataclass(frozen=True)
class _Need:
    day: dt.date
    kind: str
    item: str
    rooms: int = 0
    people: int = 0
    staff: bool = False
    #: an activity: priced only when the card names it (else it is free, not a finding)
    optional: bool = False

    def quantity(self, unit: str) -> int:
        if unit == RateUnit.PER_ROOM_NIGHT.value:
            return self.rooms
        if unit == RateUnit.PER_PERSON.value:
            return self.people
        return 1


_ATTENDED = Attendance.ATTENDED.value
_LEFT_EARLY = Attendance.LEFT_EARLY.value
_DINNER = ItemKind.DINNER.value


@dataclass
class _Person:
    room: str
    attendance: str
    left_on: dt.date | None
    #: stayed the whole stay: attended, or left early with no day said (set from the above)
    stays_all: bool = field(init=False)
    #: the day they left, when they left early and the day is known
    left: dt.date | None = field(init=False)

    def __post_init__(self) -> None:
        early = self.attendance == _LEFT_EARLY
        self.stays_all = self.attendance == _ATTENDED or (early and self.left_on is None)
        self.left = self.left_on if early else None

    def sleeps(self, night: dt.date) -> bool:
        return self.stays_all or (self.left is not None and night < self.left)

    def eats(self, day: dt.date, meal: str) -> bool:
        left = self.left
        if self.stays_all:
            return True
        if left is None:
            return False
        return day < left or (day == left and meal != _DINNER)

    def there(self, day: dt.date) -> bool:
        return self.stays_all or (self.left is not None and day <= self.left)


@dataclass
class _Roll:
    """A closed roll call: who was on the roster, in which room, and how they turned out."""

    people: list[_Person] = field(default_factory=list)

    @cached_property
    def _counts(self) -> tuple[int, list[dt.date]]:
        """How many stayed the whole stay, and the days the others who were there left on (no-shows: none).
        Read once the roll is complete (``costs`` fills it before any cost is computed)."""
        full = sum(1 for p in self.people if p.stays_all)
        return full, [p.left for p in self.people if not p.stays_all and p.left is not None]

    def sleeping(self, night: dt.date) -> int:
        full, lefts = self._counts
        return full + sum(1 for left in lefts if night < left)

    def eating(self, day: dt.date, meal: str) -> int:
        full, lefts = self._counts
        return full + sum(1 for left in lefts if day < left or (day == left and meal != _DINNER))

    def present(self, day: dt.date) -> int:
        full, lefts = self._counts
        return full + sum(1 for left in lefts if day <= left)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _apportion(total: int, weights: list[int]) -> list[int]:
    """``total`` shared in proportion to ``weights`` with whole numbers adding up exactly (largest remainder,
    ties to the first)."""
    whole = sum(weights)
    if whole <= 0:
        return [0] * len(weights)
    shares = [total * w // whole for w in weights]
    rests = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in rests[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _room_needs(night: dt.date, twin: int, single: int, staff: int) -> list[_Need]:
    needs = []
    if twin:
        needs.append(_Need(night, RateKind.ROOM.value, RoomType.TWIN.value, rooms=twin))
    if single:
        needs.append(_Need(night, RateKind.ROOM.value, RoomType.SINGLE.value, rooms=single))
    if staff:
        needs.append(_Need(night, RateKind.ROOM.value, RoomType.TWIN.value, rooms=staff, staff=True))
    return needs


def _planned_needs(content: dict[str, Any]) -> list[_Need]:
    needs: list[_Need] = []
    for night in content["nights"]:
        staff = int(night.get("staff_rooms", 0))
        if "twin" in night:
            twin, single = int(night["twin"]) + int(night.get("unassigned_rooms", 0)), int(night["single"])
        else:
            twin, single = int(night["rooms"]) - staff, 0
        needs += _room_needs(_day(night["night"]), twin, single, staff)
    for meal in content["meals"]:
        needs.append(_Need(_day(meal["day"]), RateKind.MEAL.value, meal["meal"], people=int(meal["people"])))
    for activity in content["activities"]:
        needs.append(
            _Need(
                _day(activity["day"]),
                RateKind.ACTIVITY.value,
                activity["activity"],
                people=int(content["people"]),
                optional=True,
            )
        )
    return needs


def _actual_needs(
    content: dict[str, Any], base_id: int, roll: _Roll, shares: dict[tuple[dt.date, int], int]
) -> list[_Need]:
    """What the base provided, from the planned content and the closed roll call (see the module's rules)."""
    needs: list[_Need] = []
    rooms: dict[str, list[_Person]] = defaultdict(list)
    for person in roll.people:
        if person.room:
            rooms[person.room].append(person)
    for night_line in content["nights"]:
        night = _day(night_line["night"])
        staff = int(night_line.get("staff_rooms", 0))
        people = shares.get((night, base_id), 0)
        if "twin" in night_line:
            used = [group for group in rooms.values() if any(p.sleeps(night) for p in group)]
            twin = sum(1 for group in used if len(group) >= 2)
            single = sum(1 for group in used if len(group) == 1)
            roomed = sum(1 for group in rooms.values() for p in group if p.sleeps(night))
            twin += -(-max(people - roomed, 0) // 2)
        else:
            twin, single = -(-people // 2), 0
        needs += _room_needs(night, twin, single, staff)
    group = int(content["people"])
    for meal in content["meals"]:
        day, kind = _day(meal["day"]), meal["meal"]
        staff = int(meal["people"]) - group  # the guide and the driver eat as planned
        eaters = roll.eating(day, kind) + max(staff, 0)
        needs.append(_Need(day, RateKind.MEAL.value, kind, people=eaters))
    for activity in content["activities"]:
        day = _day(activity["day"])
        there = roll.present(day)
        needs.append(_Need(day, RateKind.ACTIVITY.value, activity["activity"], people=there, optional=True))
    return needs


def _night_shares(batch_contents: dict[int, dict[str, Any]], roll: _Roll) -> dict[tuple[dt.date, int], int]:
    """The people who slept at each base each night: the lodging's people less the roster's people absent
    that night, never more than those present, shared among the night's bases by the lodging."""
    lodged: dict[dt.date, list[tuple[int, int]]] = defaultdict(list)
    for base_id, content in batch_contents.items():
        for line in content["nights"]:
            lodged[_day(line["night"])].append((base_id, int(line["people"])))
    roster = len(roll.people)
    shares: dict[tuple[dt.date, int], int] = {}
    for night, rows in lodged.items():
        present = roll.sleeping(night)
        booked = sum(people for _b, people in rows)
        slept = min(present, max(0, booked - (roster - present)))
        for (base_id, _people), share in zip(rows, _apportion(slept, [p for _b, p in rows]), strict=True):
            shares[(night, base_id)] = share
    return shares


def _activity_line(card: CardRow, need: _Need) -> LineRow | None:
    """The card's activity or meeting-room line named as the itinerary's activity, valid that day."""
    wanted = fold_name(need.item)
    for kind in (RateKind.ACTIVITY.value, RateKind.MEETING.value):
        for item in {li.item for li in card.lines if li.kind == kind and fold_name(li.item) == wanted}:
            line = price_on(card, kind, item, need.day)
            if line is not None:
                return line
    return None


def _costing(needs: list[_Need], cards: list[CardRow]) -> Costing:
    lines: list[CostLine] = []
    missing: list[NoPrice] = []
    for need in needs:
        card = card_on(cards, need.day)
        if need.optional:
            line = _activity_line(card, need) if card is not None else None
            if line is None:
                continue
        elif card is None:
            missing.append(
                NoPrice(need.day, need.kind, need.item, need.rooms or need.people, staff=need.staff)
            )
            continue
        else:
            line = price_on(card, need.kind, need.item, need.day)
            if line is None:
                missing.append(
                    NoPrice(
                        need.day,
                        need.kind,
                        need.item,
                        need.rooms or need.people,
                        card.id,
                        card.name,
                        need.staff,
                    )
                )
                continue
        assert card is not None
        quantity = need.quantity(line.unit)
        if quantity <= 0:
            continue
        lines.append(
            CostLine(
                need.day,
                line.kind,
                need.item if need.optional else line.item,
                quantity,
                line.unit,
                line.price_fen,
                quantity * line.price_fen,
                card.id,
                need.staff,
            )
        )
    lines.sort(key=lambda li: (li.day, _KIND_ORDER.get(li.kind, 9), li.staff, _ITEM_ORDER.get(li.item, 99)))
    gross: dict[int, int] = defaultdict(int)
    for cost in lines:
        gross[cost.card_id] += cost.amount_fen
    rates = {c.id: c.tax_bp for c in cards}
    taxes = tuple(
        TaxPart(card_id, rates[card_id], amount, tax_part(amount, rates[card_id]))
        for card_id, amount in sorted(gross.items())
    )
    return Costing(tuple(lines), tuple(missing), taxes)


def costs(session: Session, batch_ids: Iterable[int]) -> dict[tuple[int, int], CostSheet]:
    """Every batch's cost at each of its bases: (batch id, base id) → :class:`CostSheet`, in bulk (the orders'
    contents, the batches, the rosters of the closed roll calls and the bases' cards: a few queries per 500
    batches)."""
    ids = sorted(set(batch_ids))
    content = orders.contents(session, ids)
    batch, person = table_of(Batch).c, table_of(Participant).c
    run = session.connection().execute
    heads: dict[int, tuple[str, bool]] = {}
    rolls: dict[int, _Roll] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for batch_id, code, status, closed in run(
            sa_select(batch.id, batch.code, batch.status, batch.roll_closed_on).where(batch.id.in_(chunk))
        ):
            heads[batch_id] = (code, status == BatchStatus.COMPLETED.value and closed is not None)
        done = [b for b in chunk if heads.get(b, ("", False))[1]]
        if done:
            query = (
                sa_select(person.batch_id, person.room, person.attendance, person.left_on)
                .where(person.batch_id.in_(done))
                .order_by(person.batch_id, person.id)
            )
            for batch_id, room, mark, left_on in run(query):
                rolls.setdefault(batch_id, _Roll()).people.append(_Person(room or "", mark or "", left_on))
    by_batch: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for (batch_id, base_id), each in content.items():
        by_batch[batch_id][base_id] = each
    cards_by_base: dict[int, list[CardRow]] = defaultdict(list)
    for card in _cards(session, base_ids=sorted({b for _batch, b in content})):
        cards_by_base[card.base_id].append(card)
    result: dict[tuple[int, int], CostSheet] = {}
    for batch_id, bases in by_batch.items():
        roll = rolls.get(batch_id)
        shares = _night_shares(bases, roll) if roll is not None else {}
        for base_id, each in bases.items():
            cards = cards_by_base.get(base_id, [])
            planned = _costing(_planned_needs(each), cards)
            actual = _costing(_actual_needs(each, base_id, roll, shares), cards) if roll is not None else None
            result[(batch_id, base_id)] = CostSheet(
                batch_id, base_id, heads[batch_id][0], str(each["base"]), planned, actual
            )
    return result


def batch_costs(db: Database, batch_ids: Iterable[int]) -> dict[tuple[int, int], CostSheet]:
    """:func:`costs` in a transaction of its own."""
    with db.session() as session:
        return costs(session, batch_ids)
