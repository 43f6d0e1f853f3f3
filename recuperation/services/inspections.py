"""Site inspections against the standard's clauses (实地考察, 复核, 日常检查).

**Clauses** (:class:`~recuperation.models.StandardClause`) are data the office edits: a standard's clause
number (the office's own numbering where the standard's is unsure), the element it belongs to (六要素), the
requirement, shall (应) or should (宜), its place in the checklist, and whether it is in use.  A clause number is
unique within its standard (the clash is named); an edit is versioned and audited; a clause is deactivated,
never deleted.  :func:`load_default_clauses` puts the office's starting checklist in place
(``resources/standards/DB3301-T0374-2022.csv``): it adds the clauses that are missing and never changes one
that is there, so it can be run again.

**An inspection** (:class:`~recuperation.models.Inspection`) is a visit to a base on a day by named inspectors,
of a kind (实地考察 and 复核 are the certification's steps; 日常检查 is a routine visit), optionally linked to a
certification of that base.  Starting one copies every active clause of its standard into its items as the
clause reads that day (so a later edit of a clause never rewrites the evidence); each item is then met, not
met or not applicable, with a note and the day it was checked (``None``: not checked yet).  Results are
recorded one or many at a time in one transaction, the inspection's version checked (a second desk's stale
checklist is refused).  An inspection is **complete** once every item has a result, and **finished** once it
is complete and has a conclusion.  A finished 实地考察 or 复核 linked to a certification is the evidence of that
step: :func:`record_certification_step` records it through the certification service
(:func:`recuperation.services.bases.advance_certification`, whose rules decide whether the step may follow).

The summary of an inspection (:class:`InspectionRow`) keeps its counts: by result, by element, and the "shall"
clauses not met, which matter most.  :func:`inspections_of` and :func:`latest_summary` are what the base's
scorecard reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.errors import NotFoundError, RuleViolation, ValidationError
from recuperation.labels import label, labels
from recuperation.models import (
    Base,
    Certification,
    CertificationStep,
    CertStep,
    ClauseResult,
    Element,
    Inspection,
    InspectionItem,
    InspectionKind,
    StandardClause,
    Strength,
)
from recuperation.services.bases import CertificationRow, advance_certification
from recuperation.services.common import (
    audit,
    choice,
    clean_text,
    create_audited,
    get_or_raise,
    refuse_stale,
    update_versioned,
)
from recuperation.storage.database import Database

#: The standard the office's starting checklist follows, and the file that holds it.
DEFAULT_STANDARD = "DB3301/T 0374-2022"
DEFAULT_FILE = "DB3301-T0374-2022.csv"
#: The key of the PostgreSQL advisory lock every write of a clause's number or place takes.
CLAUSES_LOCK = 0x434C4155  # "CLAU"
#: The kinds of inspection that are a certification's step, and the step each records.
STEP_OF_KIND: dict[str, str] = {
    InspectionKind.SITE_INSPECTION.value: CertStep.SITE_INSPECTION.value,
    InspectionKind.RECHECK.value: CertStep.RECHECK.value,
}
#: The earliest day an inspection or a check is dated (as the money's dates).
EARLIEST_DAY = dt.date(2000, 1, 1)
CODE_MAX = 20
STANDARD_MAX = 60
REQUIREMENT_MAX = 1000
INSPECTORS_MAX = 200
CONCLUSION_MAX = 4000
NOTE_MAX = 1000
RESULTS = (ClauseResult.MET.value, ClauseResult.NOT_MET.value, ClauseResult.NOT_APPLICABLE.value)
_CODE_PUNCTUATION = frozenset(".-_()（）")


# -- rows ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseInput:
    code: str
    element: str
    requirement: str
    strength: str = Strength.SHALL.value
    standard: str = DEFAULT_STANDARD


@dataclass(frozen=True)
class ClauseRow:
    id: int
    standard: str
    code: str
    element: str
    requirement: str
    strength: str
    position: int
    active: bool
    version: int
    used: int = 0  # how many inspections copied it

    def as_input(self) -> ClauseInput:
        return ClauseInput(self.code, self.element, self.requirement, self.strength, self.standard)


@dataclass(frozen=True)
class LoadResult:
    added: int
    kept: int  # already there (as they are, edited or not)
    total: int  # clauses in the file


@dataclass(frozen=True)
class InspectionInput:
    base_id: int
    kind: str
    on_date: dt.date
    inspectors: str = ""
    certification_id: int | None = None
    conclusion: str = ""
    standard: str = ""  # start only: the standard whose active clauses are copied ("": the office's)


@dataclass(frozen=True)
class ResultInput:
    """One item's result: ``code`` names the item (its clause number); ``result`` met / not_met / na, or None
    (not checked); ``checked_on`` None: the inspection's day when there is a result."""

    code: str
    result: str | None
    note: str = ""
    checked_on: dt.date | None = None


@dataclass(frozen=True)
class ItemRow:
    id: int
    clause_id: int | None
    code: str
    element: str
    requirement: str
    strength: str
    position: int
    result: str | None
    note: str
    checked_on: dt.date | None

    @property
    def shall(self) -> bool:
        return self.strength == Strength.SHALL.value


@dataclass(frozen=True)
class ElementCount:
    element: str
    total: int
    met: int
    not_met: int
    na: int
    unchecked: int


@dataclass(frozen=True)
class InspectionRow:
    """An inspection with its items and its counts (sums of the items, so they can be checked)."""

    id: int
    base_id: int
    base: str
    kind: str
    on_date: dt.date
    standard: str
    inspectors: str
    certification_id: int | None
    certification: str  # the certification's level and number as a person reads it ("" when none)
    conclusion: str
    version: int
    updated_by: str
    items: tuple[ItemRow, ...] = ()
    step_recorded: bool = False  # the certification already has this inspection's step on its day
    total: int = 0
    met: int = 0
    not_met: int = 0
    na: int = 0
    unchecked: int = 0
    shall_not_met: tuple[ItemRow, ...] = ()
    by_element: tuple[ElementCount, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        """Every clause has a result."""
        return self.total > 0 and self.unchecked == 0

    @property
    def finished(self) -> bool:
        """Complete, with a conclusion: the evidence of its step."""
        return self.complete and bool(self.conclusion.strip())

    @property
    def step(self) -> str | None:
        """The certification step this inspection is the evidence of (None for a routine check)."""
        return STEP_OF_KIND.get(self.kind)

    @property
    def applicable(self) -> int:
        """Clauses checked and applicable: met + not met."""
        return self.met + self.not_met


def _summarised(row: InspectionRow) -> InspectionRow:
    items = row.items
    counts = {r: sum(1 for i in items if i.result == r) for r in RESULTS}
    present = {i.element for i in items}
    # the six elements in their order, then any element a newer program wrote: counted, not lost
    order = [e for e in Element.values() if e in present] + sorted(present - set(Element.values()))
    by_element = [_element_count(element, [i for i in items if i.element == element]) for element in order]
    return replace(
        row,
        total=len(items),
        met=counts[ClauseResult.MET.value],
        not_met=counts[ClauseResult.NOT_MET.value],
        na=counts[ClauseResult.NOT_APPLICABLE.value],
        unchecked=sum(1 for i in items if i.result is None),
        shall_not_met=tuple(i for i in items if i.shall and i.result == ClauseResult.NOT_MET.value),
        by_element=tuple(by_element),
    )


def _element_count(element: str, mine: list[ItemRow]) -> ElementCount:
    return ElementCount(
        element,
        len(mine),
        sum(1 for i in mine if i.result == ClauseResult.MET.value),
        sum(1 for i in mine if i.result == ClauseResult.NOT_MET.value),
        sum(1 for i in mine if i.result == ClauseResult.NOT_APPLICABLE.value),
        sum(1 for i in mine if i.result is None),
    )


# -- cleaning -----------------------------------------------------------------------------------------------------


def clean_clause_code(value: object, *, field_name: str = "code") -> str:
    """A clause number as stored: half-width (５．２ is 5.2), letters, digits and ``. - _ ( )``, starting with a
    letter or a digit, at most 20 characters; refused otherwise, naming the character."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()
    kind, lab = messages.kind_label("standard_clause"), messages.field_label("code")
    if not text:
        raise ValidationError(
            "field.required", field=field_name, kind=kind, label=lab, record="standard_clause"
        )
    for i, char in enumerate(text):
        category = unicodedata.category(char)
        if category[0] == "L" or category == "Nd" or (i > 0 and char in _CODE_PUNCTUATION):
            continue
        raise ValidationError(
            "clause.bad_code",
            field=field_name,
            record="standard_clause",
            value=text,
            char=messages.char_name(char),
            max=CODE_MAX,
        )
    if len(text) > CODE_MAX:
        raise ValidationError(
            "field.too_long",
            field=field_name,
            record="standard_clause",
            kind=kind,
            label=lab,
            max=CODE_MAX,
            length=len(text),
        )
    return text


def clean_standard(value: object) -> str:
    """A standard's name as stored: its spaces as one (DB3301/T  0374-2022 is DB3301/T 0374-2022)."""
    text = " ".join(unicodedata.normalize("NFKC", "" if value is None else str(value)).split())
    return clean_text("standard_clause", "standard", text, max_length=STANDARD_MAX, required=True)


def clause_values(data: ClauseInput) -> dict[str, object]:
    return {
        "standard": clean_standard(data.standard),
        "code": clean_clause_code(data.code),
        "element": choice("standard_clause", "element", data.element, Element.values()),
        "requirement": clean_text(
            "standard_clause",
            "requirement",
            data.requirement,
            max_length=REQUIREMENT_MAX,
            required=True,
            multiline=True,
        ),
        "strength": choice("standard_clause", "strength", data.strength, Strength.values()),
    }


def _clause_label(values: StandardClause | dict[str, object]) -> str:
    standard = values["standard"] if isinstance(values, dict) else values.standard
    code = values["code"] if isinstance(values, dict) else values.code
    return f"{standard} {code}"


def _lock_clauses(session: Session) -> None:
    """Make "a clause number once per standard" and the clauses' order hold while this transaction is open: on
    SQLite ``BEGIN IMMEDIATE`` serialises writers already; on PostgreSQL every such write first takes one
    transaction-scoped advisory lock, so two desks adding 5.2 at once check one after the other (the unique
    index is the last guard)."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(select(func.pg_advisory_xact_lock(CLAUSES_LOCK))).all()


def _refuse_duplicate_code(session: Session, values: dict[str, object], own_id: int | None) -> None:
    _lock_clauses(session)
    clash = session.exec(
        select(StandardClause).where(
            StandardClause.standard == values["standard"], StandardClause.code == values["code"]
        )
    ).first()
    if clash is not None and clash.id != own_id:
        raise ValidationError(
            "clause.duplicate",
            field="code",
            record="standard_clause",
            standard=str(values["standard"]),
            code=str(values["code"]),
            requirement=messages.shown(clash.requirement, 40),
            state=messages.text("clause.state_active" if clash.active else "clause.state_inactive"),
        )


def _clause_row(clause: StandardClause, used: int = 0) -> ClauseRow:
    assert clause.id is not None
    return ClauseRow(
        clause.id,
        clause.standard,
        clause.code,
        clause.element,
        clause.requirement,
        clause.strength,
        clause.position,
        clause.active,
        clause.version,
        used,
    )


def _uses(session: Session, ids: Iterable[int] | None = None) -> dict[int, int]:
    clause = col(InspectionItem.clause_id)
    query = select(clause, func.count()).where(clause.is_not(None))
    if ids is not None:
        query = query.where(clause.in_(list(ids)))
    return {int(c or 0): int(n) for c, n in session.exec(query.group_by(clause)).all()}


# -- clauses ------------------------------------------------------------------------------------------------------


def list_clauses(db: Database, *, standard: str | None = None, active_only: bool = False) -> list[ClauseRow]:
    """The clauses (of ``standard``, or all), in checklist order: by standard, then their place."""
    with db.session() as session:
        return _clauses(session, standard=standard, active_only=active_only)


def _clauses(session: Session, *, standard: str | None = None, active_only: bool = False) -> list[ClauseRow]:
    query = select(StandardClause)
    if standard is not None:
        query = query.where(StandardClause.standard == standard)
    if active_only:
        query = query.where(col(StandardClause.active).is_(True))
    rows = session.exec(
        query.order_by(col(StandardClause.standard), col(StandardClause.position), col(StandardClause.id))
    ).all()
    used = _uses(session)
    return [_clause_row(c, used.get(c.id or 0, 0)) for c in rows]


def standards(db: Database) -> list[str]:
    """The standards the clauses name, the office's default first."""
    with db.session() as session:
        names = set(session.exec(select(StandardClause.standard).distinct()).all())
    return sorted(names, key=lambda s: (s != DEFAULT_STANDARD, s))


def _next_position(session: Session, standard: str) -> int:
    last = session.exec(
        select(func.max(StandardClause.position)).where(StandardClause.standard == standard)
    ).one()
    return int(last or 0) + 1


def add_clause(db: Database, data: ClauseInput) -> ClauseRow:
    """A new clause at the end of its standard's checklist."""
    values = clause_values(data)
    with db.session(write=True) as session:
        _refuse_duplicate_code(session, values, None)
        clause = StandardClause(**values, position=_next_position(session, str(values["standard"])))  # type: ignore[arg-type]
        create_audited(session, db.user, clause, _clause_label(values))
        return _clause_row(clause)


def update_clause(db: Database, clause_id: int, version: int, data: ClauseInput) -> ClauseRow:
    """Change a clause (its number, element, requirement, strength or standard).  Inspections already made keep
    the clause as it read then: their items are copies."""
    values = clause_values(data)
    with db.session(write=True) as session:
        clause = get_or_raise(session, StandardClause, clause_id)
        refuse_stale("standard_clause", _clause_label(clause), clause, version)
        _refuse_duplicate_code(session, values, clause_id)
        if values["standard"] != clause.standard:
            values["position"] = _next_position(session, str(values["standard"]))
        update_versioned(session, StandardClause, clause_id, version, values, db.user, _clause_label(values))
        return _clause_row(
            get_or_raise(session, StandardClause, clause_id), _uses(session, [clause_id]).get(clause_id, 0)
        )


def set_clause_active(db: Database, clause_id: int, version: int, active: bool) -> ClauseRow:
    """Take a clause out of the checklists to come (False), or back (True); inspections made keep it."""
    with db.session(write=True) as session:
        clause = get_or_raise(session, StandardClause, clause_id)
        update_versioned(
            session, StandardClause, clause_id, version, {"active": active}, db.user, _clause_label(clause)
        )
        return _clause_row(
            get_or_raise(session, StandardClause, clause_id), _uses(session, [clause_id]).get(clause_id, 0)
        )


def move_clause(db: Database, clause_id: int, version: int, step: int) -> list[ClauseRow]:
    """Move a clause ``step`` places up (negative) or down (positive) in its standard's checklist; the places
    are numbered 1, 2, 3 … afterwards.  Returns the standard's clauses in their new order."""
    with db.session(write=True) as session:
        _lock_clauses(session)
        clause = get_or_raise(session, StandardClause, clause_id)
        refuse_stale("standard_clause", _clause_label(clause), clause, version)
        ordered = list(
            session.exec(
                select(StandardClause)
                .where(StandardClause.standard == clause.standard)
                .order_by(col(StandardClause.position), col(StandardClause.id))
            ).all()
        )
        index = next(i for i, c in enumerate(ordered) if c.id == clause_id)
        target = max(0, min(len(ordered) - 1, index + step))
        ordered.insert(target, ordered.pop(index))
        for place, each in enumerate(ordered, start=1):
            if each.position != place:
                assert each.id is not None
                expected = version if each.id == clause_id else each.version
                update_versioned(
                    session,
                    StandardClause,
                    each.id,
                    expected,
                    {"position": place},
                    db.user,
                    _clause_label(each),
                )
        session.flush()
        return _clauses(session, standard=clause.standard)


def default_clauses(path: Path | None = None) -> list[ClauseInput]:
    """The office's starting checklist (``resources/standards/DB3301-T0374-2022.csv``, or ``path``): a UTF-8 CSV
    with the columns standard, code, element, strength, requirement; a line starting with # is a note.  The
    element and the strength may be codes or their Chinese labels."""
    text = path.read_text(encoding="utf-8-sig") if path is not None else _default_text()
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    elements = {**{v: k for k, v in labels("element", "zh").items()}, **{k: k for k in Element.values()}}
    strengths = {**{v: k for k, v in labels("strength", "zh").items()}, **{k: k for k in Strength.values()}}
    found = []
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        found.append(
            ClauseInput(
                code=(row.get("code") or "").strip(),
                element=elements.get((row.get("element") or "").strip(), (row.get("element") or "").strip()),
                requirement=(row.get("requirement") or "").strip(),
                strength=strengths.get(
                    (row.get("strength") or "").strip(), (row.get("strength") or "").strip()
                ),
                standard=(row.get("standard") or DEFAULT_STANDARD).strip(),
            )
        )
    return found


def _default_text() -> str:
    try:
        return (resources.files("desk_resources") / "standards" / DEFAULT_FILE).read_text(
            encoding="utf-8-sig"
        )
    except (ModuleNotFoundError, FileNotFoundError):  # a checkout run without installing: the folder itself
        here = Path(__file__).resolve().parents[2] / "resources" / "standards" / DEFAULT_FILE
        return here.read_text(encoding="utf-8-sig")


def load_default_clauses(db: Database, clauses: Sequence[ClauseInput] | None = None) -> LoadResult:
    """Put the office's starting checklist in place: each clause of the file that its standard does not have
    yet (by number) is added at the end, in the file's order; a clause already there is left as it is, edited
    or deactivated.  Running it again changes nothing.  One transaction."""
    wanted = list(clauses) if clauses is not None else default_clauses()
    checked = [clause_values(c) for c in wanted]
    added = 0
    with db.session(write=True) as session:
        _lock_clauses(session)
        have = {(s, c) for s, c in session.exec(select(StandardClause.standard, StandardClause.code)).all()}
        positions: dict[str, int] = {}
        for values in checked:
            key = (str(values["standard"]), str(values["code"]))
            if key in have:
                continue
            have.add(key)
            standard = key[0]
            if standard not in positions:
                positions[standard] = _next_position(session, standard)
            clause = StandardClause(**values, position=positions[standard])  # type: ignore[arg-type]
            positions[standard] += 1
            create_audited(session, db.user, clause, _clause_label(values))
            added += 1
    return LoadResult(added, len(checked) - added, len(checked))


# -- inspections --------------------------------------------------------------------------------------------------


def find_base(session: Session, name: str) -> Base:
    """The base named ``name`` (as written, else spaces and full-width forms aside); refused naming it."""
    from recuperation.services.rates import fold_name

    text = (name or "").strip()
    base = session.exec(select(Base).where(Base.name == text)).first()
    if base is None:
        wanted = fold_name(text)
        base = next((b for b in session.exec(select(Base)).all() if fold_name(b.name) == wanted), None)
    if base is None:
        raise NotFoundError("order.unknown_base", field="base", base=text)
    return base


def base_id_of(db: Database, name: str) -> int:
    with db.session() as session:
        base = find_base(session, name)
        assert base.id is not None
        return base.id


def inspection_label(base: str, kind: str, on_date: dt.date) -> str:
    """An inspection as the audit log and the messages name it: 寿昌宾馆 实地考察 2021-05-12."""
    return f"{base} {label('inspection_kind', kind, 'zh')} {on_date.isoformat()}"


def _refuse_day(base: str, kind: str, on_date: dt.date, field_name: str = "on_date") -> None:
    today = dt.date.today()
    if on_date > today or on_date < EARLIEST_DAY:
        raise ValidationError(
            "inspection.bad_date",
            field=field_name,
            record="inspection",
            base=base,
            kind=label("inspection_kind", kind),
            day=on_date.isoformat(),
            today=today.isoformat(),
        )


def _certification_of(session: Session, base: Base, certification_id: int | None) -> Certification | None:
    if certification_id is None:
        return None
    cert = get_or_raise(session, Certification, certification_id)
    if cert.base_id != base.id:
        other = get_or_raise(session, Base, cert.base_id)
        raise ValidationError(
            "inspection.cert_other_base",
            field="certification_id",
            record="inspection",
            base=base.name,
            other=other.name,
            level=label("cert_level", cert.level),
        )
    return cert


def check_header(session: Session, base: Base, data: InspectionInput) -> dict[str, object]:
    """An inspection's header as stored, or ValidationError naming the field: the kind, the day (not after
    today, from 2000), the inspectors, the conclusion, the certification (of this base)."""
    kind = choice("inspection", "kind", data.kind, InspectionKind.values())
    _refuse_day(base.name, kind, data.on_date)
    _certification_of(session, base, data.certification_id)
    return {
        "kind": kind,
        "on_date": data.on_date,
        "inspectors": clean_inspectors(data.inspectors),
        "certification_id": data.certification_id,
        "conclusion": clean_conclusion(data.conclusion),
    }


def clean_inspectors(value: object) -> str:
    return clean_text("inspection", "inspectors", value, max_length=INSPECTORS_MAX)


def clean_conclusion(value: object, *, required: bool = False) -> str:
    return clean_text(
        "inspection", "conclusion", value, max_length=CONCLUSION_MAX, multiline=True, required=required
    )


def refuse_if_stale(db: Database, inspection_id: int, version: int) -> None:
    """Refuse (StaleEditError naming who) an inspection no longer at ``version``: an import that changes nothing
    still says that the inspection changed since its preview."""
    with db.session() as session:
        inspection = get_or_raise(session, Inspection, inspection_id)
        base = get_or_raise(session, Base, inspection.base_id)
        refuse_stale(
            "inspection",
            inspection_label(base.name, inspection.kind, inspection.on_date),
            inspection,
            version,
        )


def choose_standard(session: Session, wanted: str) -> str:
    """The standard whose active clauses a new inspection copies: ``wanted``, else the office's default when it
    has active clauses, else the one with the most."""
    counts = dict(
        session.exec(
            select(StandardClause.standard, func.count())
            .where(col(StandardClause.active).is_(True))
            .group_by(StandardClause.standard)
        ).all()
    )
    if wanted:
        standard = " ".join(unicodedata.normalize("NFKC", wanted).split())
        if counts.get(standard):
            return standard
        raise ValidationError(
            "inspection.no_clauses_in",
            field="standard",
            record="inspection",
            standard=standard,
            standards=messages.join(sorted(counts)) or messages.text("word.none"),
        )
    if not counts:
        raise ValidationError("inspection.no_clauses", field="standard", record="inspection")
    if counts.get(DEFAULT_STANDARD):
        return DEFAULT_STANDARD
    return sorted(counts, key=lambda s: (-int(counts[s]), s))[0]


def start_inspection(db: Database, data: InspectionInput) -> InspectionRow:
    """Record a visit to a base and copy every active clause of its standard into its checklist (results not
    yet checked)."""
    with db.session(write=True) as session:
        base = get_or_raise(session, Base, data.base_id)
        values = check_header(session, base, data)
        standard = choose_standard(session, data.standard)
        inspection = Inspection(base_id=data.base_id, standard=standard, **values)  # type: ignore[arg-type]
        create_audited(
            session, db.user, inspection, inspection_label(base.name, str(values["kind"]), data.on_date)
        )
        assert inspection.id is not None
        clauses = session.exec(
            select(StandardClause)
            .where(StandardClause.standard == standard, col(StandardClause.active).is_(True))
            .order_by(col(StandardClause.position), col(StandardClause.id))
        ).all()
        for place, clause in enumerate(clauses, start=1):
            session.add(
                InspectionItem(
                    inspection_id=inspection.id,
                    clause_id=clause.id,
                    code=clause.code,
                    element=clause.element,
                    requirement=clause.requirement,
                    strength=clause.strength,
                    position=place,
                )
            )
        session.flush()
        return get_inspection_in(session, inspection.id)


def update_inspection(db: Database, inspection_id: int, version: int, data: InspectionInput) -> InspectionRow:
    """Change an inspection's kind, day, inspectors, certification or conclusion (not its base nor its
    checklist); a check dated before the new day is refused."""
    with db.session(write=True) as session:
        inspection = _lock_inspection(session, inspection_id)
        base = get_or_raise(session, Base, inspection.base_id)
        refuse_stale(
            "inspection",
            inspection_label(base.name, inspection.kind, inspection.on_date),
            inspection,
            version,
        )
        if data.base_id != inspection.base_id:
            raise ValidationError(
                "inspection.base_fixed", field="base_id", record="inspection", base=base.name
            )
        values = check_header(session, base, data)
        earliest = session.exec(
            select(func.min(InspectionItem.checked_on)).where(InspectionItem.inspection_id == inspection_id)
        ).one()
        if earliest is not None and earliest < data.on_date:
            raise ValidationError(
                "inspection.checked_before",
                field="on_date",
                record="inspection",
                base=base.name,
                code=_first_code_checked_on(session, inspection_id, earliest),
                day=earliest.isoformat(),
                start=data.on_date.isoformat(),
            )
        update_versioned(
            session,
            Inspection,
            inspection_id,
            version,
            values,
            db.user,
            inspection_label(base.name, str(values["kind"]), data.on_date),
        )
        return get_inspection_in(session, inspection_id)


def _first_code_checked_on(session: Session, inspection_id: int, day: dt.date) -> str:
    code = session.exec(
        select(InspectionItem.code)
        .where(InspectionItem.inspection_id == inspection_id, InspectionItem.checked_on == day)
        .order_by(col(InspectionItem.position))
    ).first()
    return code or ""


def _lock_inspection(session: Session, inspection_id: int) -> Inspection:
    """The inspection, its row locked until the transaction ends (PostgreSQL; SQLite holds its write lock since
    BEGIN IMMEDIATE): two desks saving one checklist write one after the other, the second refused as stale."""
    session.exec(select(Inspection.id).where(Inspection.id == inspection_id).with_for_update()).all()
    return get_or_raise(session, Inspection, inspection_id)


def result_text(code: str, result: str | None, note: str = "") -> str:
    """An item as the audit log names it: “5.2 不符合（旺季无疏导预案）”, “5.2 未检查”."""
    word = label("clause_result", result, "zh") if result else "未检查"
    return f"{code} {word}" + (f"（{note}）" if note else "")


def check_result(
    base: str, on_date: dt.date, item_code: str, data: ResultInput
) -> tuple[str | None, str, dt.date | None]:
    """One item's result as stored (result, note, checked_on), or ValidationError naming the clause and the
    field: the result one of met / not_met / na (or None); the note at most 1,000 characters; the day not
    before the inspection's nor after today (a result without a day is checked on the inspection's day)."""
    result = data.result or None
    if result is not None and result not in RESULTS:
        raise ValidationError(
            "inspection.bad_result",
            field="result",
            record="inspection_item",
            base=base,
            code=item_code,
            value=str(result),
            allowed=messages.join(list(labels("clause_result").values())),
        )
    note = clean_text("inspection_item", "note", data.note, max_length=NOTE_MAX, multiline=True)
    checked = data.checked_on
    if checked is None and result is not None:
        checked = on_date
    if checked is not None and (checked < on_date or checked > dt.date.today()):
        raise ValidationError(
            "inspection.bad_checked_on",
            field="checked_on",
            record="inspection_item",
            base=base,
            code=item_code,
            day=checked.isoformat(),
            start=on_date.isoformat(),
            today=dt.date.today().isoformat(),
        )
    return result, note, checked


def record_results(
    db: Database,
    inspection_id: int,
    version: int,
    results: Sequence[ResultInput],
    *,
    conclusion: str | None = None,
) -> InspectionRow:
    """Record the results of one or many items (and, when given, the conclusion) in one transaction, only if the
    inspection is still at ``version``; every result is checked before anything is written.  The audit log
    names the items that changed, as they were and as they are (field ``results``)."""
    with db.session(write=True) as session:
        inspection = _lock_inspection(session, inspection_id)
        base = get_or_raise(session, Base, inspection.base_id)
        record = inspection_label(base.name, inspection.kind, inspection.on_date)
        refuse_stale("inspection", record, inspection, version)
        items = {
            i.code: i
            for i in session.exec(
                select(InspectionItem).where(InspectionItem.inspection_id == inspection_id)
            ).all()
        }
        seen: set[str] = set()
        planned: list[tuple[InspectionItem, tuple[str | None, str, dt.date | None]]] = []
        for data in results:
            code = unicodedata.normalize("NFKC", data.code or "").strip()
            item = items.get(code)
            if item is None:
                raise ValidationError(
                    "inspection.unknown_code",
                    field="code",
                    record="inspection_item",
                    base=base.name,
                    code=messages.shown(code, 20),
                    kind=label("inspection_kind", inspection.kind),
                    day=inspection.on_date.isoformat(),
                )
            if code in seen:
                raise ValidationError(
                    "inspection.duplicate_code", field="code", record="inspection_item", code=code
                )
            seen.add(code)
            planned.append((item, check_result(base.name, inspection.on_date, code, data)))
        changes: dict[str, object] = {}
        if conclusion is not None:
            changes["conclusion"] = clean_text(
                "inspection", "conclusion", conclusion, max_length=CONCLUSION_MAX, multiline=True
            )
        before, after = [], []
        for item, (result, note, checked) in planned:
            if (item.result, item.note, item.checked_on) == (result, note, checked):
                continue
            before.append(result_text(item.code, item.result, item.note))
            after.append(result_text(item.code, result, note))
            item.result, item.note, item.checked_on = result, note, checked
            session.add(item)
        if not before and not changes:
            return get_inspection_in(session, inspection_id)
        update_versioned(
            session, Inspection, inspection_id, version, changes, db.user, record, force=bool(before)
        )
        if before:
            audit(
                session,
                db.user,
                "update",
                "inspection",
                inspection_id,
                record,
                "results",
                "；".join(before),
                "；".join(after),
            )
        session.flush()
        return get_inspection_in(session, inspection_id)


def finish_inspection(db: Database, inspection_id: int, version: int, conclusion: str) -> InspectionRow:
    """Write the conclusion of a complete inspection: refused while a clause is not checked (naming how many and
    the first ones) or without a conclusion."""
    with db.session(write=True) as session:
        inspection = _lock_inspection(session, inspection_id)
        base = get_or_raise(session, Base, inspection.base_id)
        record = inspection_label(base.name, inspection.kind, inspection.on_date)
        refuse_stale("inspection", record, inspection, version)
        text = clean_text(
            "inspection", "conclusion", conclusion, max_length=CONCLUSION_MAX, multiline=True, required=True
        )
        _refuse_unchecked(session, inspection, base)
        update_versioned(session, Inspection, inspection_id, version, {"conclusion": text}, db.user, record)
        return get_inspection_in(session, inspection_id)


def _refuse_unchecked(session: Session, inspection: Inspection, base: Base) -> None:
    unchecked = session.exec(
        select(InspectionItem.code)
        .where(InspectionItem.inspection_id == inspection.id, col(InspectionItem.result).is_(None))
        .order_by(col(InspectionItem.position), col(InspectionItem.id))
    ).all()
    if unchecked:
        raise RuleViolation(
            "inspection.unchecked",
            field="results",
            record="inspection",
            base=base.name,
            kind=label("inspection_kind", inspection.kind),
            day=inspection.on_date.isoformat(),
            count=len(unchecked),
            codes=messages.join(list(unchecked[:5])) + ("…" if len(unchecked) > 5 else ""),
        )


def delete_inspection(db: Database, inspection_id: int, version: int) -> None:
    """Delete an inspection and its checklist (a visit recorded by mistake); the audit log keeps its results.
    One whose certification step is recorded is kept: it is that step's evidence."""
    with db.session(write=True) as session:
        inspection = _lock_inspection(session, inspection_id)
        row = get_inspection_in(session, inspection_id)
        record = inspection_label(row.base, row.kind, row.on_date)
        refuse_stale("inspection", record, inspection, version)
        if row.step_recorded:
            raise RuleViolation(
                "inspection.delete_evidence",
                record="inspection",
                base=row.base,
                kind=label("inspection_kind", row.kind),
                day=row.on_date.isoformat(),
                step=label("cert_step", row.step),
            )
        summary = "；".join(result_text(i.code, i.result, i.note) for i in row.items if i.result or i.note)
        for item in session.exec(
            select(InspectionItem).where(InspectionItem.inspection_id == inspection_id)
        ).all():
            session.delete(item)
        session.flush()
        session.delete(inspection)
        session.flush()
        audit(
            session,
            db.user,
            "delete",
            "inspection",
            inspection_id,
            record,
            "results" if summary else "",
            summary or None,
        )


def _cert_name(cert: Certification | None) -> str:
    if cert is None:
        return ""
    return " ".join(p for p in (label("cert_level", cert.level), cert.certificate_no or "") if p)


def _items(session: Session, inspection_ids: list[int]) -> dict[int, list[ItemRow]]:
    found: dict[int, list[ItemRow]] = {i: [] for i in inspection_ids}
    if not inspection_ids:
        return found
    for item in session.exec(
        select(InspectionItem)
        .where(col(InspectionItem.inspection_id).in_(inspection_ids))
        .order_by(col(InspectionItem.position), col(InspectionItem.id))
    ).all():
        assert item.id is not None
        found[item.inspection_id].append(
            ItemRow(
                item.id,
                item.clause_id,
                item.code,
                item.element,
                item.requirement,
                item.strength,
                item.position,
                item.result,
                item.note,
                item.checked_on,
            )
        )
    return found


def _rows(session: Session, inspections: Sequence[Inspection]) -> list[InspectionRow]:
    ids = [i.id for i in inspections if i.id is not None]
    items = _items(session, ids)
    base_ids = {i.base_id for i in inspections}
    names = (
        dict(session.exec(select(Base.id, Base.name).where(col(Base.id).in_(base_ids))).all())
        if base_ids
        else {}
    )
    cert_ids = {i.certification_id for i in inspections if i.certification_id is not None}
    certs = (
        {
            c.id: c
            for c in session.exec(select(Certification).where(col(Certification.id).in_(cert_ids))).all()
        }
        if cert_ids
        else {}
    )
    steps: set[tuple[int, str, dt.date]] = set()
    if cert_ids:
        steps = {
            (s.certification_id, s.step, s.on_date)
            for s in session.exec(
                select(CertificationStep).where(col(CertificationStep.certification_id).in_(cert_ids))
            ).all()
        }
    rows = []
    for inspection in inspections:
        assert inspection.id is not None
        step = STEP_OF_KIND.get(inspection.kind)
        cert = certs.get(inspection.certification_id) if inspection.certification_id is not None else None
        recorded = (
            cert is not None
            and step is not None
            and (inspection.certification_id, step, inspection.on_date) in steps
        )
        rows.append(
            _summarised(
                InspectionRow(
                    inspection.id,
                    inspection.base_id,
                    names.get(inspection.base_id, ""),
                    inspection.kind,
                    inspection.on_date,
                    inspection.standard,
                    inspection.inspectors,
                    inspection.certification_id,
                    _cert_name(cert),
                    inspection.conclusion,
                    inspection.version,
                    inspection.updated_by,
                    tuple(items.get(inspection.id, [])),
                    recorded,
                )
            )
        )
    return rows


def get_inspection_in(session: Session, inspection_id: int) -> InspectionRow:
    """An inspection with its checklist, read in ``session``."""
    inspection = get_or_raise(session, Inspection, inspection_id)
    session.refresh(inspection)
    return _rows(session, [inspection])[0]


def get_inspection(db: Database, inspection_id: int) -> InspectionRow:
    with db.session() as session:
        return get_inspection_in(session, inspection_id)


def inspections_of(db: Database, base_id: int, year: int | None = None) -> list[InspectionRow]:
    """A base's inspections (of ``year``, by their day), oldest first, each with its checklist and counts."""
    with db.session() as session:
        return _inspections_of(session, base_id, year)


def _inspections_of(session: Session, base_id: int, year: int | None) -> list[InspectionRow]:
    query = select(Inspection).where(Inspection.base_id == base_id)
    if year is not None:
        query = query.where(
            col(Inspection.on_date) >= dt.date(year, 1, 1), col(Inspection.on_date) <= dt.date(year, 12, 31)
        )
    return _rows(session, session.exec(query.order_by(col(Inspection.on_date), col(Inspection.id))).all())


def latest_summary(db: Database, base_id: int, year: int) -> InspectionRow | None:
    """The base's last inspection of ``year`` (by day, then as recorded), or None: what a scorecard shows."""
    rows = inspections_of(db, base_id, year)
    return rows[-1] if rows else None


def record_certification_step(
    db: Database,
    inspection_id: int,
    *,
    valid_to: dt.date | None = None,
    recheck_due: dt.date | None = None,
) -> CertificationRow:
    """Record the step a finished 实地考察 or 复核 is the evidence of (实地考察 → site_inspection, 复核 → recheck) on
    its certification, dated on the inspection's day, its inspectors responsible and its counts and conclusion
    as the step's notes — through :func:`recuperation.services.bases.advance_certification`, whose rules say
    whether the step may follow (a certification under first review takes 实地考察; a certified one takes 复核)
    and whose refusals are said as they are.  Refused before that: a routine check, an inspection without a
    certification, one not finished, one whose step is already recorded.  Returns the certification's row."""
    with db.session(write=True) as session:
        inspection = _lock_inspection(session, inspection_id)
        row = get_inspection_in(session, inspection_id)
        kind = label("inspection_kind", row.kind)
        step = row.step
        if step is None:
            raise RuleViolation(
                "inspection.routine_no_step", record="inspection", base=row.base, day=row.on_date.isoformat()
            )
        if row.certification_id is None:
            raise RuleViolation(
                "inspection.no_certification",
                field="certification_id",
                record="inspection",
                base=row.base,
                kind=kind,
                day=row.on_date.isoformat(),
            )
        base = get_or_raise(session, Base, inspection.base_id)
        _refuse_unchecked(session, inspection, base)
        if not row.conclusion.strip():
            raise RuleViolation(
                "inspection.no_conclusion",
                field="conclusion",
                record="inspection",
                base=row.base,
                kind=kind,
                day=row.on_date.isoformat(),
            )
        session.exec(
            select(Certification.id).where(Certification.id == row.certification_id).with_for_update()
        ).all()
        if get_inspection_in(session, inspection_id).step_recorded:
            raise RuleViolation(
                "inspection.step_recorded",
                record="inspection",
                base=row.base,
                kind=kind,
                day=row.on_date.isoformat(),
                step=label("cert_step", step),
            )
        cert = get_or_raise(session, Certification, row.certification_id)
        return advance_certification(
            db,
            row.certification_id,
            cert.version,
            step,
            row.on_date,
            responsible=_responsible(row.inspectors),
            notes=step_notes(row),
            valid_to=valid_to,
            recheck_due=recheck_due,
        )


def _responsible(inspectors: str, most: int = 40) -> str:
    """The inspectors as a step's 负责人 (40 characters): whole names up to the limit, then 等."""
    text = inspectors.strip()
    if len(text) <= most:
        return text
    names: list[str] = []
    for part in text.replace("，", "、").replace(",", "、").replace(" ", "、").split("、"):
        if part and len("、".join([*names, part])) + 1 <= most:
            names.append(part)
        elif part:
            break
    return ("、".join(names) + "等") if names else text[: most - 1] + "等"


def step_notes(row: InspectionRow, most: int = 1000) -> str:
    """What a certification step records of its inspection: its checklist's counts, the shall clauses not met,
    its conclusion (Chinese, as the history is printed)."""
    text = (
        f"{label('inspection_kind', row.kind, 'zh')}检查表（{row.standard}，{row.total} 条）：符合 {row.met}，"
        f"不符合 {row.not_met}，不适用 {row.na}"
    )
    if row.shall_not_met:
        text += f"；“应”条款不符合：{'、'.join(i.code for i in row.shall_not_met)}"
    text += "。"
    if row.conclusion.strip():
        text += f"结论：{row.conclusion.strip()}"
    return text if len(text) <= most else text[: most - 1] + "…"
