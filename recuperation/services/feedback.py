"""Feedback per batch (问卷反馈): the questionnaires a group returns, their stars, the response rate, and the
sums the scorecard and the statistics read.

**A response** (``FeedbackResponse``) is one returned questionnaire of a batch: from a participant (linked, or
named as written) or from the group (第一组), with the number printed on the sheet (问卷编号, unique per batch),
the day it was filled in, a comment kept as written, and its stars (``FeedbackRating``): 1 to 5 for a
dimension (住宿, 餐饮 …: the policy's ``feedback_dimensions``) of a base the batch used, or of the route (the trip
as a whole; ``base_id`` None).  A blank is "not answered", never 0; stars are whole numbers from 1 to 5.

**The grid** (:func:`batch_grid`): one row per response, one column per (base or route, dimension) the batch
offers — its bases as its orders name them (lodging, meals, activities; :func:`recuperation.services.orders.
contents`), then the route — and a comment.  :func:`save_grid` writes a whole grid in one transaction: rows
added, changed and removed; when any cell is bad nothing is written and every bad cell is named
(“问卷 7，寿昌宾馆·餐饮：星级应为 1 至 5，而不是 6”).  Responses are versioned (a stale row is refused) and
audited: the response's fields as usual, its stars as the field ``ratings`` naming only the stars that changed.

**The response rate** (:func:`response_rates`): responses ÷ the members who came (attended or left early) once
the roll call is closed, else ÷ the roster's members, else ÷ the planned headcount; companions are never
counted.  Which one was used is said (:attr:`ResponseRate.basis`).

**Scores** (:func:`scores`): the stars of a year's batches (arriving that year, not cancelled) summed by base,
route, partner or batch and dimension: the sum, the count and the mean (exact; shown with one decimal,
rounded half up), so that totals can be checked.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.errors import RuleViolation, StaleEditError, ValidationError
from recuperation.labels import label
from recuperation.models import (
    Base,
    Batch,
    BatchStatus,
    Dimension,
    FeedbackRating,
    FeedbackResponse,
    Participant,
    Partner,
    Route,
    table_of,
)
from recuperation.money import round_half_up
from recuperation.people import mask_in_text
from recuperation.services import policy as policy_service
from recuperation.services.common import (
    audit,
    create_audited,
    get_or_raise,
    invisible_char,
    refuse_stale,
    update_versioned,
)
from recuperation.storage.database import Database

#: The key of the route in a target key (``route:overall``); a base's is ``b<id>`` (``b12:food``).
ROUTE = "route"
#: The highest questionnaire number (问卷编号) a batch can have: far above any group, inside an integer.
MAX_SHEET_NO = 99_999
RESPONDENT_MAX = 40
COMMENT_MAX = 2000
#: How many bad cells a refusal names before it says how many there are in all.
PROBLEMS_LISTED = 12
#: Where an entered or imported response comes from (``FeedbackResponse.source``).
ENTERED, IMPORTED = "entered", "imported"
#: Responses ÷ what: the members who came, the roster's members, the planned headcount.
ATTENDED, ROSTER, HEADCOUNT = "attended", "roster", "headcount"
CHUNK = 500


def target_key(base_id: int | None, dimension: str) -> str:
    """The key of one (base or route, dimension) column: ``b12:food``, ``route:overall``."""
    return f"{ROUTE if base_id is None else f'b{base_id}'}:{dimension}"


def parse_key(key: str) -> tuple[int | None, str]:
    """(base id or None for the route, dimension) of a target key; ValueError when it is none."""
    subject, _, dimension = key.partition(":")
    if not dimension:
        raise ValueError(key)
    if subject == ROUTE:
        return None, dimension
    if not subject.startswith("b") or not subject[1:].isdigit():
        raise ValueError(key)
    return int(subject[1:]), dimension


def mask_name(name: str) -> str:
    """A person's name as a printed questionnaire shows it: the surname and, for three characters or more,
    the last character; the rest starred (王*, 王*芳, 欧**娜).  A name of Latin letters keeps its first letter."""
    text = name.strip()
    if len(text) <= 1:
        return text
    if len(text) == 2:
        return text[0] + "*"
    return text[0] + "*" * (len(text) - 2) + text[-1]


def round_tenths(numerator: int, denominator: int) -> int:
    """numerator / denominator in tenths, rounded half up (4.25 → 43): exact, with integers."""
    return round_half_up(numerator * 10, denominator)


def tenths_text(tenths: int | None) -> str:
    """Tenths as a number with one decimal: 43 → "4.3"; None → "—"."""
    if tenths is None:
        return "—"
    return f"{tenths // 10}.{tenths % 10}"


# -- read models -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """What a batch's group rates: a base, or the route (``base_id`` None)."""

    base_id: int | None
    name: str  # the base's name; for the route, its name ("" when the batch has none)
    lodging: bool = False  # a base the batch sleeps at

    @property
    def key(self) -> str:
        return ROUTE if self.base_id is None else f"b{self.base_id}"

    def shown(self, language: str | None = None) -> str:
        """The subject in a column's heading: the base's name, or 线路 / Route."""
        if self.base_id is not None:
            return self.name
        zh = (language or messages.language()) == "zh"
        return "线路" if zh else "Route"


@dataclass(frozen=True)
class Target:
    """One column of the grid: a dimension of a subject."""

    subject: Subject
    dimension: str

    @property
    def key(self) -> str:
        return target_key(self.subject.base_id, self.dimension)

    @property
    def base_id(self) -> int | None:
        return self.subject.base_id

    def shown(self, language: str | None = None) -> str:
        """寿昌宾馆·餐饮, 线路·总体满意度 (the heading a workbook we write carries, read back by the import);
        in English 寿昌宾馆 · Food."""
        language = language or messages.language()
        dimension = label("dimension", self.dimension, language)
        if language == "zh":
            return f"{self.subject.shown('zh')}·{dimension}"
        return f"{self.subject.shown('en')} · {dimension}"


@dataclass(frozen=True)
class ResponseRow:
    id: int
    batch_id: int
    sheet_no: int | None
    participant_id: int | None
    participant: str  # the linked participant's name masked (王*芳), else ""
    respondent: str
    answered_on: dt.date | None
    source: str
    comment: str
    stars: Mapping[str, int]  # target key → stars (only what was answered)
    version: int
    updated_by: str
    updated_at: dt.datetime

    def as_input(self) -> ResponseInput:
        return ResponseInput(
            self.sheet_no,
            self.participant_id,
            self.respondent,
            self.answered_on,
            self.comment,
            dict(self.stars),
        )


@dataclass(frozen=True)
class ResponseInput:
    """A response as typed or read: ``stars`` maps target keys to 1-5; None (or a missing key) is not answered."""

    sheet_no: int | None = None
    participant_id: int | None = None
    respondent: str = ""
    answered_on: dt.date | None = None
    comment: str = ""
    stars: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class GridEdit:
    """One row of a saved grid: ``id`` None for a new response, else the response and the version read."""

    id: int | None
    version: int | None
    data: ResponseInput


@dataclass(frozen=True)
class Problem:
    """A bad cell of a grid: the row's place in the grid (0-based), the field or target key, the message."""

    row: int
    field: str
    message: str


@dataclass(frozen=True)
class ResponseRate:
    """Responses ÷ the people asked: the members who came (``attended``, once the roll call is closed), the
    roster's members (``roster``), or the planned headcount (``headcount``, no roster yet)."""

    responses: int
    people: int
    basis: str

    @property
    def percent_tenths(self) -> int | None:
        """The rate in tenths of a percent, rounded half up (18 of 24: 750 = 75.0%); None when nobody was asked."""
        return round_tenths(self.responses * 100, self.people) if self.people else None

    def percent_text(self) -> str:
        tenths = self.percent_tenths
        return "—" if tenths is None else f"{tenths_text(tenths)}%"

    def text(self) -> str:
        """回收 18 份，实到团员 24 人，回收率 75.0%."""
        return messages.text(
            f"feedback.rate.{self.basis}",
            responses=self.responses,
            people=self.people,
            rate=self.percent_text(),
        )


@dataclass(frozen=True)
class Score:
    """The stars given to one dimension: their sum and count; the mean is sum ÷ count."""

    dimension: str
    total: int = 0
    count: int = 0

    @property
    def mean_tenths(self) -> int | None:
        return round_tenths(self.total, self.count) if self.count else None

    def mean_text(self) -> str:
        return tenths_text(self.mean_tenths)

    def plus(self, stars: int, count: int = 1) -> Score:
        return Score(self.dimension, self.total + stars, self.count + count)


@dataclass(frozen=True)
class Scores:
    """The scores of one base, route, partner or batch (``key``; None: batches without a route) by dimension,
    with how many responses and batches gave them."""

    key: int | None
    name: str
    responses: int
    batches: int
    scores: tuple[Score, ...]

    def of(self, dimension: str) -> Score:
        return next((s for s in self.scores if s.dimension == dimension), Score(dimension))

    @property
    def total(self) -> int:
        return sum(s.total for s in self.scores)

    @property
    def count(self) -> int:
        return sum(s.count for s in self.scores)


@dataclass(frozen=True)
class Person:
    """Someone on the batch's roster a response may be linked to (shown masked)."""

    id: int
    masked: str
    companion: bool


@dataclass(frozen=True)
class Grid:
    """A batch's feedback as the desk shows it: what can be rated, the responses, the rate and the means."""

    batch_id: int
    code: str
    status: str
    arrival: dt.date
    departure: dt.date
    partner: str
    route: str
    dimensions: tuple[str, ...]
    subjects: tuple[Subject, ...]
    targets: tuple[Target, ...]
    rows: tuple[ResponseRow, ...]
    rate: ResponseRate
    means: tuple[tuple[str, Score], ...]  # target key → its score, in the order of ``targets``
    people: tuple[Person, ...] = ()

    def mean(self, key: str) -> Score:
        return next((s for k, s in self.means if k == key), Score(parse_key(key)[1]))

    def target(self, key: str) -> Target | None:
        return next((t for t in self.targets if t.key == key), None)

    @property
    def open(self) -> bool:
        """Whether responses can be recorded: the batch has begun and is not cancelled."""
        return self.status != BatchStatus.CANCELLED.value and self.arrival <= dt.date.today()


@dataclass(frozen=True)
class SaveResult:
    added: int
    changed: int
    removed: int
    unchanged: int = 0


# -- reading -----------------------------------------------------------------------------------------------------


def _batch_or_raise(session: Session, batch_id: int) -> Batch:
    return get_or_raise(session, Batch, batch_id)


def find_batch_id(db: Database, code: str) -> int:
    """The id of the batch of ``code`` (batch.unknown_code when there is none)."""
    with db.session() as session:
        found = session.exec(select(Batch.id).where(Batch.code == code.strip())).first()
        if found is None:
            raise ValidationError("batch.unknown_code", field="batch", code=code)
        return int(found)


def batch_subjects(session: Session, batch: Batch, rated: Iterable[int | None] = ()) -> tuple[Subject, ...]:
    """What the batch's group rates: the bases it sleeps at (its orders' lodging), in the order the group reaches
    them — the scenic spots, culture palaces and stations it only visits or eats at are not asked about (36
    questions a sheet); a batch that sleeps nowhere (a day trip) rates every base of its orders — then any base
    already rated that it no longer rates by default (its ratings stay in view), then the route."""
    from recuperation.services import orders

    assert batch.id is not None
    found = [
        (content.get("arrival_day", ""), content.get("base", ""), base_id, bool(content.get("nights")))
        for (_batch, base_id), content in orders.contents(session, [batch.id]).items()
    ]
    sleeps = {base_id for _day, _name, base_id, nights in found if nights}
    used = [base_id for _day, _name, base_id, _n in sorted(found) if base_id in sleeps or not sleeps]
    extra = sorted({b for b in rated if b is not None and b not in used})
    ids = used + extra
    names = dict(session.exec(select(Base.id, Base.name).where(col(Base.id).in_(ids))).all()) if ids else {}
    route = session.get(Route, batch.route_id) if batch.route_id else None
    return (
        *(Subject(base_id, names.get(base_id, ""), base_id in sleeps) for base_id in ids),
        Subject(None, route.name if route else ""),
    )


def _dimensions(session: Session, rated: Iterable[str]) -> tuple[str, ...]:
    """The policy's dimensions in its order, then any other dimension already rated (in the enumeration's)."""
    wanted = list(policy_service.load_policy(session).feedback_dimensions)
    more = set(rated) - set(wanted)
    return (*wanted, *(d for d in Dimension.values() if d in more))


def _rows(session: Session, batch_ids: Sequence[int]) -> dict[int, list[ResponseRow]]:
    """Every response of the batches with its stars, in the order of the questionnaires' numbers (those without
    one last, by when they were recorded)."""
    r, s, p = table_of(FeedbackResponse).c, table_of(FeedbackRating).c, table_of(Participant).c
    run = session.connection().execute
    found: dict[int, list[ResponseRow]] = defaultdict(list)
    for start in range(0, len(batch_ids), CHUNK):
        chunk = list(batch_ids[start : start + CHUNK])
        stars: dict[int, dict[str, int]] = defaultdict(dict)
        for response_id, base_id, dimension, value in run(
            sa_select(s.response_id, s.base_id, s.dimension, s.stars)
            .join(table_of(FeedbackResponse), r.id == s.response_id)
            .where(r.batch_id.in_(chunk))
        ):
            stars[response_id][target_key(base_id, dimension)] = int(value)
        query = (
            sa_select(
                r.id,
                r.batch_id,
                r.sheet_no,
                r.participant_id,
                p.name,
                r.respondent,
                r.answered_on,
                r.source,
                r.comment,
                r.version,
                r.updated_by,
                r.updated_at,
            )
            .outerjoin(table_of(Participant), p.id == r.participant_id)
            .where(r.batch_id.in_(chunk))
            .order_by(r.batch_id, r.sheet_no.is_(None), r.sheet_no, r.id)
        )
        for row in run(query):
            (
                rid,
                batch_id,
                sheet_no,
                pid,
                pname,
                respondent,
                answered_on,
                source,
                comment,
                version,
                by,
                at,
            ) = row
            found[batch_id].append(
                ResponseRow(
                    rid,
                    batch_id,
                    sheet_no,
                    pid,
                    mask_name(pname) if pname else "",
                    respondent,
                    answered_on,
                    source,
                    comment or "",
                    dict(stars.get(rid, {})),
                    version,
                    by,
                    at,
                )
            )
    return found


def list_responses(db: Database, batch_id: int) -> list[ResponseRow]:
    """The batch's responses, by questionnaire number."""
    with db.session() as session:
        _batch_or_raise(session, batch_id)
        return _rows(session, [batch_id]).get(batch_id, [])


def response_rates(session: Session, batch_ids: Iterable[int]) -> dict[int, ResponseRate]:
    """batch id → its response rate, in bulk (a fixed number of queries per chunk of batches)."""
    ids = sorted(set(batch_ids))
    b, p, r = table_of(Batch).c, table_of(Participant).c, table_of(FeedbackResponse).c
    run = session.connection().execute
    result: dict[int, ResponseRate] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        heads = {
            row[0]: row for row in run(sa_select(b.id, b.headcount, b.roll_closed_on).where(b.id.in_(chunk)))
        }
        members: dict[int, int] = defaultdict(int)
        came: dict[int, int] = defaultdict(int)
        for batch_id, attendance, n in run(
            sa_select(p.batch_id, p.attendance, func.count())
            .where(p.batch_id.in_(chunk), p.companion.is_(False))
            .group_by(p.batch_id, p.attendance)
        ):
            members[batch_id] += int(n)
            if attendance in ("attended", "left_early"):
                came[batch_id] += int(n)
        answered: dict[int, int] = {
            int(batch_id): int(n)
            for batch_id, n in run(
                sa_select(r.batch_id, func.count()).where(r.batch_id.in_(chunk)).group_by(r.batch_id)
            )
        }
        for batch_id, (_id, headcount, closed_on) in heads.items():
            responses = int(answered.get(batch_id, 0))
            if closed_on is not None and members[batch_id]:
                result[batch_id] = ResponseRate(responses, came[batch_id], ATTENDED)
            elif members[batch_id]:
                result[batch_id] = ResponseRate(responses, members[batch_id], ROSTER)
            else:
                result[batch_id] = ResponseRate(responses, int(headcount or 0), HEADCOUNT)
    return result


def response_rate(db: Database, batch_id: int) -> ResponseRate:
    with db.session() as session:
        _batch_or_raise(session, batch_id)
        return response_rates(session, [batch_id])[batch_id]


def _means(targets: Sequence[Target], rows: Sequence[ResponseRow]) -> tuple[tuple[str, Score], ...]:
    result = []
    for target in targets:
        given = [row.stars[target.key] for row in rows if target.key in row.stars]
        result.append((target.key, Score(target.dimension, sum(given), len(given))))
    return tuple(result)


def grid_in(session: Session, batch_id: int) -> Grid:
    """:func:`batch_grid` inside an open session."""
    batch = _batch_or_raise(session, batch_id)
    rows = _rows(session, [batch_id]).get(batch_id, [])
    rated = [parse_key(k) for row in rows for k in row.stars]
    subjects = batch_subjects(session, batch, (b for b, _d in rated))
    dimensions = _dimensions(session, (d for _b, d in rated))
    targets = tuple(Target(s, d) for s in subjects for d in dimensions)
    partner = session.get(Partner, batch.partner_id)
    people = session.exec(
        select(Participant.id, Participant.name, Participant.companion)
        .where(Participant.batch_id == batch_id)
        .order_by(col(Participant.id))
    ).all()
    return Grid(
        batch_id,
        batch.code,
        batch.status,
        batch.arrival,
        batch.departure,
        partner.name if partner else "",
        subjects[-1].name,
        dimensions,
        subjects,
        targets,
        tuple(rows),
        response_rates(session, [batch_id])[batch_id],
        _means(targets, rows),
        tuple(Person(int(pid or 0), mask_name(name), bool(companion)) for pid, name, companion in people),
    )


def batch_grid(db: Database, batch_id: int) -> Grid:
    """The batch's feedback: what its group rates, every response, the response rate and the mean per column."""
    with db.session() as session:
        return grid_in(session, batch_id)


# -- checking ---------------------------------------------------------------------------------------------------


def read_stars(value: object) -> int | None:
    """Stars as stored: None for not answered; an int from 1 to 5; anything else raises ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not text.isdigit() or not text.isascii():
            raise ValueError(value)
        value = int(text)
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError(value)
    return value


#: What a survey tool writes for a free-text question left empty (问卷星): stored as no comment, so a pasted
#: "(跳过)" is never counted or printed as a written comment.
SKIPPED_COMMENTS = frozenset({"(跳过)", "(空)"})
#: The zero-width joiner inside an emoji sequence typed on a phone (👨‍👩‍👧, 🤦‍♂️): part of the emoji, not a hidden
#: character; anywhere else it is refused like every other invisible character.
_EMOJI = "\u2600-\u27bf\u2b50\U0001f000-\U0001faff"
_EMOJI_JOINER = re.compile(f"(?<=[{_EMOJI}\ufe0f])\u200d(?=[{_EMOJI}])")

_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def read_day(text: str) -> dt.date | str | None:
    """A day as typed or written in a cell (2021-05-12, 2021/5/12, 2021年5月12日, 2021/5/12 10:23:45): a date;
    "" is None; what cannot be read comes back as typed (trimmed), for the check to name."""
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        return None
    match = _DAY.match(value)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return value
    return value


def _where(sheet_no: int | None, position: int) -> str:
    """问卷 7 (the questionnaire's number), else 第 3 行 (its row in the grid, from 1)."""
    if sheet_no is not None:
        return messages.text("feedback.where.sheet", sheet=sheet_no)
    return messages.text("feedback.where.row", row=position + 1)


def check_response(
    grid: Grid, data: ResponseInput, where: str, today: dt.date | None = None
) -> list[Problem]:
    """The problems saving ``data`` as a response of the grid's batch would meet, each naming ``where`` (an
    import's preview checks its rows with it, as :func:`write_edits` will)."""
    targets = {t.key: t for t in grid.targets}
    people = {p.id: p.masked for p in grid.people}
    return _check_row(0, data, grid, targets, people, today or dt.date.today(), where)[2]


def _check_row(
    position: int,
    data: ResponseInput,
    batch: Batch | Grid,
    targets: Mapping[str, Target],
    people: Mapping[int, str],
    today: dt.date,
    where: str = "",
    shown_row: int | None = None,
) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """The response's stored values and stars, and its problems, each naming the questionnaire (``where``:
    问卷 7, or 第 3 行 for a row without a number) and the cell."""
    problems: list[Problem] = []
    sheet_no = data.sheet_no
    if not where:
        number = sheet_no if isinstance(sheet_no, int) and not isinstance(sheet_no, bool) else None
        where = _where(number, position if shown_row is None else shown_row)

    def bad(field_name: str, key: str, **params: object) -> None:
        problems.append(Problem(position, field_name, messages.text(key, where=where, **params)))

    if sheet_no is not None and (
        isinstance(sheet_no, bool) or not isinstance(sheet_no, int) or not 1 <= sheet_no <= MAX_SHEET_NO
    ):
        bad("sheet_no", "feedback.bad_sheet_no", value=str(sheet_no), most=MAX_SHEET_NO)
        sheet_no = None
    respondent = str(data.respondent or "").strip()
    char = invisible_char(respondent)
    if char:
        bad(
            "respondent",
            "feedback.control_chars",
            label=messages.field_label("respondent"),
            char=messages.char_name(char),
        )
    elif len(respondent) > RESPONDENT_MAX:
        bad("respondent", "feedback.too_long", label=messages.field_label("respondent"), max=RESPONDENT_MAX)
    comment = str(data.comment or "").strip()
    if unicodedata.normalize("NFKC", comment) in SKIPPED_COMMENTS:
        comment = ""  # a survey tool's word for a question left empty: no comment
    char = invisible_char(_EMOJI_JOINER.sub("", comment), multiline=True)
    if char:
        bad(
            "comment",
            "feedback.control_chars",
            label=messages.field_label("comment"),
            char=messages.char_name(char),
        )
    elif len(comment) > COMMENT_MAX:
        bad("comment", "feedback.too_long", label=messages.field_label("comment"), max=COMMENT_MAX)
    answered_on = data.answered_on
    if answered_on is not None and not isinstance(answered_on, dt.date):
        bad("answered_on", "feedback.bad_date", value=str(answered_on))
        answered_on = None
    if answered_on is not None:
        if answered_on > today:
            bad("answered_on", "feedback.date_future", day=answered_on.isoformat())
        elif answered_on < batch.arrival:
            bad(
                "answered_on",
                "feedback.date_early",
                day=answered_on.isoformat(),
                arrival=batch.arrival.isoformat(),
            )
    participant_id = data.participant_id
    if participant_id is not None and participant_id not in people:
        bad("participant_id", "feedback.not_on_roster", code=batch.code)
        participant_id = None
    stars: dict[str, int] = {}
    for key, value in data.stars.items():
        target = targets.get(key)
        if target is None:
            try:
                dimension = parse_key(key)[1]
            except ValueError:
                dimension = key
            problems.append(
                Problem(
                    position,
                    key,
                    messages.text(
                        "feedback.unknown_target",
                        where=where,
                        target=key if dimension not in Dimension.values() else label("dimension", dimension),
                        code=batch.code,
                    ),
                )
            )
            continue
        try:
            read = read_stars(value)
        except ValueError:
            problems.append(
                Problem(
                    position,
                    key,
                    messages.text(
                        "feedback.bad_stars", where=where, target=target.shown(), value=messages.shown(value)
                    ),
                )
            )
            continue
        if read is not None:
            stars[key] = read
    values = {
        "sheet_no": sheet_no,
        "participant_id": participant_id,
        "respondent": respondent,
        "answered_on": answered_on,
        "comment": comment,
    }
    return values, stars, problems


def refuse_problems(code: str, problems: Sequence[Problem]) -> None:
    """Nothing is written: every bad cell named (the first :data:`PROBLEMS_LISTED` of them)."""
    if not problems:
        return
    listed = [p.message.rstrip("。.") for p in problems[:PROBLEMS_LISTED]]
    if len(problems) > PROBLEMS_LISTED:
        listed.append(messages.text("feedback.more_problems", count=len(problems) - PROBLEMS_LISTED))
    error = ValidationError(
        "feedback.refused",
        field=problems[0].field,
        record="feedback_response",
        code=code,
        count=len(problems),
        problems=messages.join_clauses(listed),
    )
    error.problems = list(problems)  # type: ignore[attr-defined]  # the UI marks each bad cell
    raise error


def _refuse_closed(batch: Batch, today: dt.date) -> None:
    if batch.status == BatchStatus.CANCELLED.value:
        raise RuleViolation("feedback.cancelled", field="batch", record="batch", code=batch.code)
    if batch.arrival > today:
        raise RuleViolation(
            "feedback.not_begun",
            field="batch",
            record="batch",
            code=batch.code,
            arrival=batch.arrival.isoformat(),
        )


def _response_label(code: str, sheet_no: int | None, respondent: str) -> str:
    """A response as the audit log and the messages name it: L2021-0005 问卷 7, L2021-0005 问卷（第一组）; a
    number typed as the respondent is masked there as in every list."""
    if sheet_no is not None:
        return f"{code} 问卷 {sheet_no}"
    return f"{code} 问卷（{mask_in_text(respondent)}）" if respondent else f"{code} 问卷"


def _stars_text(targets: Mapping[str, Target], stars: Mapping[str, int], keys: Iterable[str]) -> str:
    """The stars of ``keys`` as the audit log keeps them: 寿昌宾馆·餐饮 4；线路·总体满意度 5 (a blank: 未答)."""
    parts = []
    for key in keys:
        target = targets.get(key)
        shown = target.shown("zh") if target is not None else key
        parts.append(f"{shown} {stars.get(key, '未答')}")
    return "；".join(parts)


# -- writing -----------------------------------------------------------------------------------------------------


def _lock(session: Session, batch_id: int) -> Batch:
    """The batch's row locked (PostgreSQL; SQLite's write transaction is already exclusive), so that two desks
    saving questionnaire numbers for one batch at once are checked one after the other."""
    session.exec(select(Batch.id).where(Batch.id == batch_id).with_for_update()).all()
    return _batch_or_raise(session, batch_id)


def write_edits(
    session: Session,
    user: str,
    batch_id: int,
    edits: Sequence[GridEdit],
    removed: Sequence[tuple[int, int]] = (),
    *,
    source: str = ENTERED,
    today: dt.date | None = None,
    where: Sequence[str] | None = None,
    expected_ids: Iterable[int] | None = None,
    grid_rows: Sequence[int] | None = None,
) -> SaveResult:
    """Write responses added (``id`` None) and changed, and delete ``removed`` ((id, version) pairs), inside the
    caller's write transaction, after checking every row: all or nothing.  ``where`` names each edit in a
    refusal instead of its questionnaire number (an import names the file's row).  ``expected_ids``: the
    batch's responses when the edits were worked out (an import's preview); another set now — another desk
    added or deleted one since — is refused as stale, since the edits were matched against what was there."""
    today = today or dt.date.today()
    batch = _lock(session, batch_id)
    _refuse_closed(batch, today)
    grid = grid_in(session, batch_id)
    if expected_ids is not None:
        then, now = set(expected_ids), {row.id for row in grid.rows}
        if then != now:
            raise StaleEditError(
                "feedback.import_changed",
                field="file",
                record="feedback_response",
                code=batch.code,
                then=len(then),
                now=len(now),
            )
    targets = {t.key: t for t in grid.targets}
    # a base the batch uses, or any base already rated: a new column for an existing base is refused above
    people = {p.id: p.masked for p in grid.people}
    stored = {row.id: row for row in grid.rows}
    problems: list[Problem] = []
    cleaned: list[tuple[GridEdit, dict[str, Any], dict[str, int]]] = []
    for position, edit in enumerate(edits):
        named = where[position] if where is not None else ""
        shown_row = grid_rows[position] if grid_rows is not None else None
        values, stars, found = _check_row(
            position, edit.data, batch, targets, people, today, named, shown_row
        )
        problems += found
        cleaned.append((edit, values, stars))
        if edit.id is not None and edit.id not in stored:
            get_or_raise(
                session, FeedbackResponse, -1, shown_as=_response_label(batch.code, edit.data.sheet_no, "")
            )
    removing = {rid for rid, _v in removed}
    for rid, _version in removed:
        if rid not in stored:
            get_or_raise(session, FeedbackResponse, -1, shown_as=rid)
    # questionnaire numbers: unique in the batch as it will be
    final: dict[int, list[str]] = defaultdict(list)
    edited = {edit.id for edit, _v, _s in cleaned if edit.id is not None}
    for row in grid.rows:
        if row.id not in removing and row.id not in edited and row.sheet_no is not None:
            final[row.sheet_no].append(messages.text("feedback.stored_response", who=_who(row)))
    for position, (_edit, values, _stars) in enumerate(cleaned):
        if values["sheet_no"] is not None:
            shown = (
                where[position]
                if where is not None
                else messages.text(
                    "feedback.where.row", row=(grid_rows[position] if grid_rows is not None else position) + 1
                )
            )
            final[values["sheet_no"]].append(shown)
    first_row = {v["sheet_no"]: i for i, (_e, v, _s) in reversed(list(enumerate(cleaned))) if v["sheet_no"]}
    for sheet_no, holders in sorted(final.items()):
        if len(holders) > 1:
            problems.append(
                Problem(
                    first_row.get(sheet_no, 0),
                    "sheet_no",
                    messages.text(
                        "feedback.sheet_twice",
                        sheet=sheet_no,
                        holders=messages.join(holders),
                        code=batch.code,
                    ),
                )
            )
    refuse_problems(batch.code, problems)

    rating = table_of(FeedbackRating)
    added = changed = unchanged = 0
    for rid, version in removed:
        row = stored[rid]
        label_ = _response_label(batch.code, row.sheet_no, row.respondent)
        refuse_stale("feedback_response", label_, session.get(FeedbackResponse, rid), version)
        session.execute(delete(rating).where(rating.c.response_id == rid))
        obj = get_or_raise(session, FeedbackResponse, rid)
        session.delete(obj)
        session.flush()
        audit(
            session,
            user,
            "delete",
            "feedback_response",
            rid,
            label_,
            "ratings",
            _stars_text(targets, row.stars, row.stars) or "—",
        )
    # numbers moved between rows (3 ↔ 4) never meet the unique constraint on the way: cleared first
    moving = [
        edit.id
        for edit, values, _stars in cleaned
        if edit.id is not None
        and stored[edit.id].sheet_no is not None
        and stored[edit.id].sheet_no != values["sheet_no"]
    ]
    if moving:
        session.execute(
            update(table_of(FeedbackResponse))
            .where(table_of(FeedbackResponse).c.id.in_(moving))
            .values(sheet_no=None)
        )
    for edit, values, stars in cleaned:
        label_ = _response_label(batch.code, values["sheet_no"], values["respondent"])
        if edit.id is None:
            obj = create_audited(
                session, user, FeedbackResponse(batch_id=batch_id, source=source, **values), label_
            )
            assert obj.id is not None
            if stars:
                session.execute(
                    insert(rating),
                    [
                        {
                            "response_id": obj.id,
                            "base_id": parse_key(k)[0],
                            "dimension": parse_key(k)[1],
                            "stars": v,
                        }
                        for k, v in stars.items()
                    ],
                )
                audit(
                    session,
                    user,
                    "update",
                    "feedback_response",
                    obj.id,
                    label_,
                    "ratings",
                    None,
                    _stars_text(targets, stars, stars),
                )
            added += 1
            continue
        old = stored[edit.id]
        current = session.get(FeedbackResponse, edit.id)
        refuse_stale("feedback_response", label_, current, edit.version if edit.version is not None else -1)
        differing = sorted(k for k in set(old.stars) | set(stars) if old.stars.get(k) != stars.get(k))
        field_changes = {k: v for k, v in values.items() if getattr(old, k) != v}
        if not differing and not field_changes:
            unchanged += 1
            continue
        # the number was cleared above: its change is recorded here with the number the row had
        update_versioned(
            session,
            FeedbackResponse,
            edit.id,
            old.version,
            values,
            user,
            label_,
            force=True,
            quiet={"sheet_no"},
        )
        if "sheet_no" in field_changes:
            audit(
                session,
                user,
                "update",
                "feedback_response",
                edit.id,
                label_,
                "sheet_no",
                old.sheet_no,
                values["sheet_no"],
            )
        if differing:
            session.execute(delete(rating).where(rating.c.response_id == edit.id))
            if stars:
                session.execute(
                    insert(rating),
                    [
                        {
                            "response_id": edit.id,
                            "base_id": parse_key(k)[0],
                            "dimension": parse_key(k)[1],
                            "stars": v,
                        }
                        for k, v in stars.items()
                    ],
                )
            audit(
                session,
                user,
                "update",
                "feedback_response",
                edit.id,
                label_,
                "ratings",
                _stars_text(targets, old.stars, differing),
                _stars_text(targets, stars, differing),
            )
        changed += 1
    session.flush()
    return SaveResult(added, changed, len(removed), unchanged)


def _who(row: ResponseRow) -> str:
    return mask_in_text(row.respondent) or row.participant or (f"#{row.id}")


def save_grid(
    db: Database,
    batch_id: int,
    edits: Sequence[GridEdit],
    removed: Sequence[tuple[int, int]] = (),
    grid_rows: Sequence[int] | None = None,
) -> SaveResult:
    """Save a batch's grid in one transaction: ``edits`` (new rows and the rows as they now are; a row that did
    not change changes nothing) and ``removed`` ((id, version) of each row deleted).  Refused as a whole —
    nothing written — when any cell is bad (each named), a questionnaire number is used twice, a row changed at
    another desk since it was read (stale), or the batch is cancelled or has not begun.  ``grid_rows``: each
    edit's row in the grid as shown (from 0), so that a row without a number is named “第 15 行” as the user
    sees it, not by its place among the rows sent."""
    with db.session(write=True) as session:
        return write_edits(session, db.user, batch_id, edits, removed, grid_rows=grid_rows)


def add_response(db: Database, batch_id: int, data: ResponseInput) -> ResponseRow:
    """Record one questionnaire."""
    with db.session(write=True) as session:
        before = {r.id for r in _rows(session, [batch_id]).get(batch_id, [])}
        write_edits(session, db.user, batch_id, [GridEdit(None, None, data)])
        rows = _rows(session, [batch_id]).get(batch_id, [])
        return next(r for r in rows if r.id not in before)


def update_response(db: Database, response_id: int, version: int, data: ResponseInput) -> ResponseRow:
    """Change one questionnaire read at ``version`` (its stars become exactly ``data.stars``)."""
    with db.session(write=True) as session:
        response = get_or_raise(session, FeedbackResponse, response_id)
        batch_id = response.batch_id
        write_edits(session, db.user, batch_id, [GridEdit(response_id, version, data)])
        return next(r for r in _rows(session, [batch_id])[batch_id] if r.id == response_id)


def delete_response(db: Database, response_id: int, version: int) -> None:
    """Delete one questionnaire read at ``version`` (the audit log keeps its stars)."""
    with db.session(write=True) as session:
        response = get_or_raise(session, FeedbackResponse, response_id)
        write_edits(session, db.user, response.batch_id, [], [(response_id, version)])


# -- scores ------------------------------------------------------------------------------------------------------

#: What :func:`scores` can sum by.
BY = ("base", "route", "partner", "batch")


def scores(
    session: Session,
    by: str,
    *,
    year: int | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    batch_ids: Iterable[int] | None = None,
) -> dict[int | None, Scores]:
    """The stars of the batches that arrive in ``year`` (or from ``first`` to ``last``, or ``batch_ids``) and are
    not cancelled, summed by ``by`` and dimension.

    - ``base``: the stars given to each base (the route's are not a base's);
    - ``route``: the stars given to the route, under the route each batch follows (None: batches without one);
    - ``partner`` and ``batch``: every star the groups gave, the bases' and the route's.

    Each key's ``responses`` counts the responses that gave it a star, ``batches`` their batches."""
    if by not in BY:
        raise ValueError(by)
    b, r, s = table_of(Batch).c, table_of(FeedbackResponse).c, table_of(FeedbackRating).c
    query = (
        sa_select(b.id, b.route_id, b.partner_id, s.base_id, s.dimension, s.stars, r.id)
        .join(table_of(FeedbackResponse), r.batch_id == b.id)
        .join(table_of(FeedbackRating), s.response_id == r.id)
        .where(b.status != BatchStatus.CANCELLED.value)
    )
    if year is not None:
        query = query.where(b.arrival >= dt.date(year, 1, 1), b.arrival <= dt.date(year, 12, 31))
    if first is not None:
        query = query.where(b.arrival >= first)
    if last is not None:
        query = query.where(b.arrival <= last)
    rows: list[Any] = []
    run = session.connection().execute
    if batch_ids is not None:
        ids = sorted(set(batch_ids))
        for start in range(0, len(ids), CHUNK):
            rows += list(run(query.where(b.id.in_(ids[start : start + CHUNK]))))
    else:
        rows = list(run(query))
    sums: dict[int | None, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    responses: dict[int | None, set[int]] = defaultdict(set)
    batches: dict[int | None, set[int]] = defaultdict(set)
    for batch_id, route_id, partner_id, base_id, dimension, stars, response_id in rows:
        if by == "base":
            if base_id is None:
                continue
            key = base_id
        elif by == "route":
            if base_id is not None:
                continue
            key = route_id
        else:
            key = partner_id if by == "partner" else batch_id
        cell = sums[key][dimension]
        cell[0] += int(stars)
        cell[1] += 1
        responses[key].add(response_id)
        batches[key].add(batch_id)
    names = _names(session, by, [k for k in sums if k is not None])
    order = {d: i for i, d in enumerate(Dimension.values())}
    return {
        key: Scores(
            key,
            names.get(key, "") if key is not None else "",
            len(responses[key]),
            len(batches[key]),
            tuple(Score(d, t, c) for d, (t, c) in sorted(dims.items(), key=lambda i: order.get(i[0], 99))),
        )
        for key, dims in sums.items()
    }


def _names(session: Session, by: str, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    model: Any = {"base": Base, "route": Route, "partner": Partner, "batch": Batch}[by]
    column = model.code if by == "batch" else model.name
    found: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found.update(dict(session.exec(select(model.id, column).where(col(model.id).in_(chunk))).all()))
    return found


def feedback_scores(db: Database, by: str, year: int) -> list[Scores]:
    """:func:`scores` of a year as a list, by name."""
    with db.session() as session:
        found = scores(session, by, year=year)
    return sorted(found.values(), key=lambda s: (s.key is None, s.name))
