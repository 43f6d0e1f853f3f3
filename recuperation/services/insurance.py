"""Insurance per batch (团体意外险): one policy per batch, whether it covers the batch, the overview's alert, and
the insurer's list of people with full ID numbers.

**A policy** (``InsurancePolicy``) names the insurer, the policy number, the accident and medical cover (fen),
the period (first … last day) and the number of people insured; it is set, changed (versioned: a stale edit is
refused) and deleted through :func:`set_insurance` and :func:`delete_insurance`, audited.

**Valid cover** (:func:`covers`): the period covers the stay (first day ≤ arrival, last day ≥ departure), the
insured count is at least the roster's people (members and companions: everyone who travels; a batch without a
roster yet: its planned headcount), and each cover at least the minimum its partner's spending rules ask
(``accident_min`` / ``medical_min`` valid on the arrival, :mod:`recuperation.services.spending`).  What is wrong
is said in words (:attr:`Cover.problems`).

**The alert** ``insurance`` (severe): a live batch (planned, confirmed, in progress) arriving within 7 days, or
already under way, without valid cover: one alert per batch, dated on its arrival, saying what is wrong.

**The insurer's list** (:func:`export_insurance`): a workbook with the policy's facts on top and one row a
person — 序号, 姓名, 证件类型, 证件号码 (in full, as text), 性别, 出生日期, 联系电话, 身份 (职工 / 随行家属),
备注 — written privately (0600), then recorded in the audit log as an export of full ID numbers with the file's
full path (a failed write records nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.errors import ValidationError
from recuperation.labels import label
from recuperation.models import (
    Batch,
    BatchStatus,
    InsurancePolicy,
    Participant,
    Partner,
    RuleKind,
    table_of,
)
from recuperation.money import yuan_number, yuan_text
from recuperation.services import identity
from recuperation.services.common import (
    clean_text,
    create_audited,
    delete_checked,
    get_or_raise,
    non_negative,
    refuse_stale,
    update_versioned,
)
from recuperation.services.spending import CHUNK, MAX_AMOUNT_FEN
from recuperation.storage.database import Database

if TYPE_CHECKING:
    from recuperation.services.alerts import Alert

#: A batch arriving within a week should have valid cover.
DUE_DAYS = 7
#: Batches that travel: a policy matters for them.
LIVE = (BatchStatus.PLANNED.value, BatchStatus.CONFIRMED.value, BatchStatus.IN_PROGRESS.value)


@dataclass(frozen=True)
class InsuranceInput:
    insurer: str
    policy_no: str
    accident_fen: int
    medical_fen: int
    first_day: dt.date
    last_day: dt.date
    insured_count: int
    notes: str = ""


@dataclass(frozen=True)
class InsuranceRow:
    id: int
    batch_id: int
    insurer: str
    policy_no: str
    accident_fen: int
    medical_fen: int
    first_day: dt.date
    last_day: dt.date
    insured_count: int
    notes: str
    version: int
    updated_by: str
    updated_at: dt.datetime

    def as_input(self) -> InsuranceInput:
        return InsuranceInput(
            self.insurer,
            self.policy_no,
            self.accident_fen,
            self.medical_fen,
            self.first_day,
            self.last_day,
            self.insured_count,
            self.notes,
        )


@dataclass(frozen=True)
class Cover:
    """A batch's insurance as of now: the policy (None: none), the people it must cover, the minimums of the
    partner's rules, and what is wrong (``problems``: codes; ``messages``: the same in words)."""

    batch_id: int
    code: str
    partner: str
    arrival: dt.date
    departure: dt.date
    status: str
    people: int  # everyone who travels: the roster (companions included), else the planned headcount
    policy: InsuranceRow | None
    pack: str = ""
    accident_min: int | None = None
    medical_min: int | None = None
    problems: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.problems


def _row(p: InsurancePolicy) -> InsuranceRow:
    assert p.id is not None
    return InsuranceRow(
        p.id,
        p.batch_id,
        p.insurer,
        p.policy_no,
        p.accident_fen,
        p.medical_fen,
        p.first_day,
        p.last_day,
        p.insured_count,
        p.notes,
        p.version,
        p.updated_by,
        p.updated_at,
    )


def _values(code: str, data: InsuranceInput) -> dict[str, object]:
    if data.last_day < data.first_day:
        raise ValidationError(
            "insurance.period",
            field="last_day",
            record="insurance_policy",
            code=code,
            start=data.first_day.isoformat(),
            end=data.last_day.isoformat(),
        )
    table = "insurance_policy"
    return {
        "insurer": clean_text(table, "insurer", data.insurer, max_length=100, required=True),
        "policy_no": clean_text(table, "policy_no", data.policy_no, max_length=60, required=True),
        "accident_fen": non_negative(table, "accident_fen", data.accident_fen, maximum=MAX_AMOUNT_FEN),
        "medical_fen": non_negative(table, "medical_fen", data.medical_fen, maximum=MAX_AMOUNT_FEN),
        "first_day": data.first_day,
        "last_day": data.last_day,
        "insured_count": non_negative(table, "insured_count", data.insured_count),
        "notes": clean_text(table, "notes", data.notes, max_length=400, multiline=True),
    }


def _label(code: str, policy_no: str) -> str:
    return f"{code} {policy_no}"


def get_insurance(db: Database, batch_id: int) -> InsuranceRow | None:
    """The batch's policy, or None."""
    with db.session() as session:
        get_or_raise(session, Batch, batch_id)
        found = session.exec(select(InsurancePolicy).where(InsurancePolicy.batch_id == batch_id)).first()
        return _row(found) if found else None


def set_insurance(db: Database, batch_id: int, version: int | None, data: InsuranceInput) -> InsuranceRow:
    """Record the batch's policy (``version`` None: there was none when the desk read it) or change it (the
    version read).  The batch's row is locked first, so two desks adding a policy at once do not both add
    one: the second is told the policy was saved meanwhile, by whom."""
    with db.session(write=True) as session:
        session.exec(select(Batch.id).where(Batch.id == batch_id).with_for_update()).all()
        batch = get_or_raise(session, Batch, batch_id)
        values = _values(batch.code, data)
        label_ = _label(batch.code, str(values["policy_no"]))
        existing = session.exec(select(InsurancePolicy).where(InsurancePolicy.batch_id == batch_id)).first()
        if existing is None:
            if version is not None:  # it was deleted meanwhile: what the desk edited is gone
                get_or_raise(session, InsurancePolicy, -1, shown_as=label_)
            policy = create_audited(session, db.user, InsurancePolicy(batch_id=batch_id, **values), label_)  # type: ignore[arg-type]
            return _row(policy)
        assert existing.id is not None
        refuse_stale("insurance_policy", label_, existing, version if version is not None else 0)
        update_versioned(session, InsurancePolicy, existing.id, existing.version, values, db.user, label_)
        return _row(get_or_raise(session, InsurancePolicy, existing.id))


def delete_insurance(db: Database, batch_id: int, version: int) -> None:
    """Delete the batch's policy loaded at ``version`` (the audit log keeps that it was deleted)."""
    with db.session(write=True) as session:
        batch = get_or_raise(session, Batch, batch_id)
        existing = session.exec(select(InsurancePolicy).where(InsurancePolicy.batch_id == batch_id)).first()
        if existing is None or existing.id is None:
            return
        delete_checked(
            session,
            InsurancePolicy,
            existing.id,
            version,
            db.user,
            _label(batch.code, existing.policy_no),
            {},
            reason=("policy_no", f"{existing.insurer} {existing.policy_no}"),
        )


# -- cover ------------------------------------------------------------------------------------------------------


def _problem_texts(cover: Cover) -> tuple[str, ...]:
    policy = cover.policy
    texts = []
    for problem in cover.problems:
        if problem == "none":
            texts.append(messages.text("insurance.problem.none"))
        elif problem == "period" and policy is not None:
            texts.append(
                messages.text(
                    "insurance.problem.period",
                    first=messages.day_text(policy.first_day),
                    last=messages.day_text(policy.last_day),
                    arrival=messages.day_text(cover.arrival),
                    departure=messages.day_text(cover.departure),
                )
            )
        elif problem == "count" and policy is not None:
            texts.append(
                messages.text("insurance.problem.count", insured=policy.insured_count, people=cover.people)
            )
        elif problem in ("accident", "medical") and policy is not None:
            value = policy.accident_fen if problem == "accident" else policy.medical_fen
            least = cover.accident_min if problem == "accident" else cover.medical_min
            texts.append(
                messages.text(
                    "insurance.problem.cover",
                    cover=messages.text(f"insurance.cover.{problem}_min"),
                    value=yuan_text(value),
                    pack=cover.pack,
                    limit=yuan_text(least or 0),
                )
            )
    return tuple(texts)


def covers(session: Session, batch_ids: Iterable[int]) -> dict[int, Cover]:
    """batch id → its :class:`Cover`, in bulk (a fixed number of queries per chunk of batches)."""
    from recuperation.services import spending

    ids = sorted(set(batch_ids))
    b, pt, p = table_of(Batch).c, table_of(Partner).c, table_of(Participant).c
    run = session.connection().execute
    heads = []
    people: dict[int, int] = {}
    policies: dict[int, InsuranceRow] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        heads += list(
            run(
                sa_select(
                    b.id,
                    b.code,
                    pt.name,
                    b.arrival,
                    b.departure,
                    b.status,
                    b.headcount,
                    pt.spending_pack_id,
                )
                .join(table_of(Partner), pt.id == b.partner_id)
                .where(b.id.in_(chunk))
            )
        )
        for batch_id, n in run(
            sa_select(p.batch_id, func.count()).where(p.batch_id.in_(chunk)).group_by(p.batch_id)
        ):
            people[batch_id] = int(n)
        for record in session.exec(
            select(InsurancePolicy).where(col(InsurancePolicy.batch_id).in_(chunk))
        ).all():
            policies[record.batch_id] = _row(record)
    packs = {pack.id: pack for pack in spending.list_packs_in(session, {h[7] for h in heads if h[7]})}
    found: dict[int, Cover] = {}
    for batch_id, code, partner, arrival, departure, status, headcount, pack_id in heads:
        pack = packs.get(pack_id) if pack_id else None
        minimums = {r.kind: r.amount for r in pack.rules_on(arrival)} if pack else {}
        accident_min = minimums.get(RuleKind.ACCIDENT_MIN.value)
        medical_min = minimums.get(RuleKind.MEDICAL_MIN.value)
        travellers = people.get(batch_id) or headcount
        policy = policies.get(batch_id)
        problems: list[str] = []
        if policy is None:
            problems.append("none")
        else:
            if policy.first_day > arrival or policy.last_day < departure:
                problems.append("period")
            if policy.insured_count < travellers:
                problems.append("count")
            if accident_min is not None and policy.accident_fen < accident_min:
                problems.append("accident")
            if medical_min is not None and policy.medical_fen < medical_min:
                problems.append("medical")
        cover = Cover(
            batch_id,
            code,
            partner,
            arrival,
            departure,
            status,
            travellers,
            policy,
            pack.name if pack else "",
            accident_min,
            medical_min,
            tuple(problems),
        )
        found[batch_id] = replace(cover, messages=_problem_texts(cover))
    return found


def batch_cover(db: Database, batch_id: int) -> Cover:
    """One batch's :class:`Cover` (the insurance dialog shows it)."""
    with db.session() as session:
        get_or_raise(session, Batch, batch_id)
        return covers(session, [batch_id])[batch_id]


# -- the overview ------------------------------------------------------------------------------------------------


def insurance_alerts(db: Database, today: dt.date) -> list[Alert]:
    """Live batches arriving within :data:`DUE_DAYS` days of ``today``, or under way, without valid cover."""
    from recuperation.services.alerts import Alert

    soon = today + dt.timedelta(days=min(DUE_DAYS, (dt.date.max - today).days))
    b = table_of(Batch).c
    with db.session() as session:
        ids = [
            batch_id
            for (batch_id,) in session.connection().execute(
                sa_select(b.id).where(
                    b.status.in_(LIVE),
                    b.arrival <= soon,
                    b.departure >= today,
                )
            )
        ]
        found = covers(session, ids)
    alerts = []
    for cover in sorted(found.values(), key=lambda c: (c.arrival, c.code)):
        if cover.valid:
            continue
        days = (cover.arrival - today).days
        if days > 0:
            when = messages.text("alert.insurance_arriving", days=days, day=messages.day_text(cover.arrival))
        elif days == 0:
            when = messages.text("alert.insurance_today")
        else:
            when = messages.text("alert.insurance_under_way", day=messages.day_text(cover.arrival))
        alerts.append(
            Alert(
                "insurance",
                "batch",
                cover.batch_id,
                cover.code,
                cover.arrival,
                True,
                messages.text(
                    "alert.insurance",
                    code=cover.code,
                    partner=cover.partner,
                    when=when,
                    problems=messages.join_clauses(list(cover.messages)),
                ),
                {
                    "days": days,
                    "people": cover.people,
                    "insured": cover.policy.insured_count if cover.policy else 0,
                    "problems": len(cover.problems),
                },
            )
        )
    return alerts


# -- the insurer's list -----------------------------------------------------------------------------------------

LIST_HEADERS = ("序号", "姓名", "证件类型", "证件号码", "性别", "出生日期", "联系电话", "身份", "备注")
_WIDTHS = (6, 10, 12, 22, 6, 12, 15, 10, 24)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def id_kind(number: str) -> str:
    """证件类型 as insurers write it: an 18- or 15-character number is a 居民身份证, anything else 其他."""
    text = number.strip().upper()
    if (len(text) == 18 and text[:17].isdigit() and (text[17].isdigit() or text[17] == "X")) or (
        len(text) == 15 and text.isdigit()
    ):
        return "居民身份证"
    return "其他"


def export_insurance(db: Database, batch_code: str, path: Path) -> ExportResult:
    """The insurer's list of ``batch_code`` (full ID numbers, as text) with the policy on top; audited.

    The numbers are read whole with the right (完整证件号, services/identity.py), and the reading is recorded in
    the audit log with the file's full path in the same transaction, inside which the file is written
    (privately: 0600, complete or not at all).  A write that fails records nothing; a transaction that cannot
    commit removes the file again, so a list of full ID numbers never exists unrecorded."""
    with db.session() as session:
        batch = session.exec(select(Batch).where(Batch.code == batch_code.strip())).first()
        if batch is None or batch.id is None:
            raise ValidationError("batch.unknown_code", field="batch", code=batch_code)
        cover = covers(session, [batch.id])[batch.id]
        people = session.exec(
            select(Participant).where(Participant.batch_id == batch.id).order_by(col(Participant.id))
        ).all()
        facts = [(p.id, p.name, p.sex, p.birth_date, p.companion, p.notes) for p in people]
        batch_id, code, arrival, departure = batch.id, batch.code, batch.arrival, batch.departure
    written = Path(path).resolve()
    before = _identity_of(written)  # a file already there (an earlier list) is not ours to remove
    try:
        # The numbers are read whole with the right, in the transaction that records the reading; the file is
        # written inside it, so that a failed write records nothing and a list never exists unrecorded.
        with db.session(write=True) as session:
            full = identity.full_numbers(
                db, session, batch_id, "export", f"保险名单 {len(facts)} 人 → {written}"
            )
            lines = [
                (name, *full.get(int(i or 0), ("", "")), sex, birth, companion, notes)
                for i, name, sex, birth, companion, notes in facts
            ]
            _insurance_book(path, cover, code, arrival, departure, lines)
    except BaseException:
        if _identity_of(written) not in (None, before):  # this list was put in place: it goes again
            written.unlink(missing_ok=True)
        raise
    return ExportResult(path, len(lines))


def _identity_of(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at ``path``, None when there is none: a file moved into place is new."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _insurance_book(
    path: Path, cover: Any, code: str, arrival: dt.date, departure: dt.date, lines: list[tuple[Any, ...]]
) -> None:
    """The insurer's list as a workbook: the policy on top, then one line a person (full numbers, as text)."""
    import xlsxwriter

    from recuperation.private_files import private_output, private_scratch

    policy = cover.policy
    with private_output(path) as temp, private_scratch() as scratch:
        book = xlsxwriter.Workbook(
            str(temp), {"strings_to_formulas": False, "strings_to_numbers": False, "tmpdir": scratch}
        )
        try:
            sheet = book.add_worksheet("保险名单")
            title = book.add_format({"bold": True, "font_size": 14})
            key = book.add_format({"bold": True})
            head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
            text = book.add_format({"num_format": "@", "border": 1})
            plain_text = book.add_format({"num_format": "@"})
            date = book.add_format({"num_format": "yyyy-mm-dd", "border": 1})
            plain_date = book.add_format({"num_format": "yyyy-mm-dd", "align": "left"})
            money = book.add_format({"num_format": "#,##0.00", "align": "left"})
            count = book.add_format({"num_format": "0", "align": "left"})
            sheet.write_string(0, 0, f"{cover.partner} {code} 团体保险被保险人名单", title)
            facts: list[tuple[str, object, object]] = [
                ("批次", code, plain_text),
                ("合作单位", cover.partner, plain_text),
                ("行程日期", f"{arrival.isoformat()} 至 {departure.isoformat()}", plain_text),
                ("保险公司", policy.insurer if policy else "（未登记）", plain_text),
                ("保单号", policy.policy_no if policy else "", plain_text),
                ("保险期间起", policy.first_day if policy else None, plain_date),
                ("保险期间止", policy.last_day if policy else None, plain_date),
                ("意外险保额（元）", policy.accident_fen if policy else None, money),
                ("医疗险保额（元）", policy.medical_fen if policy else None, money),
                ("投保人数", policy.insured_count if policy else None, count),
                ("名单人数", len(lines), count),
            ]
            for r, (name, value, fmt) in enumerate(facts, start=1):
                sheet.write_string(r, 0, name, key)
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, 1, dt.datetime.combine(value, dt.time()), fmt)
                elif name.endswith("（元）"):
                    sheet.write_number(r, 1, yuan_number(int(str(value))), fmt)
                elif isinstance(value, int):
                    sheet.write_number(r, 1, value, fmt)
                else:
                    sheet.write_string(r, 1, str(value), fmt)
            top = len(facts) + 2
            for c, (header, width) in enumerate(zip(LIST_HEADERS, _WIDTHS, strict=True)):
                sheet.write_string(top, c, header, head)
                sheet.set_column(c, c, width)
            sheet.set_column(1, 1, max(_WIDTHS[1], 18))
            sheet.freeze_panes(top + 1, 0)
            for i, (name, number, phone, sex, birth, companion, notes) in enumerate(lines, start=1):
                r = top + i
                sheet.write_string(r, 0, str(i), text)
                sheet.write_string(r, 1, name, text)
                sheet.write_string(r, 2, id_kind(number), text)
                sheet.write_string(r, 3, number, text)  # every digit, never a number Excel rounds
                sheet.write_string(r, 4, label("sex", sex, "zh"), text)
                if birth is None:
                    sheet.write_blank(r, 5, None, date)
                else:
                    sheet.write_datetime(r, 5, dt.datetime.combine(birth, dt.time()), date)
                sheet.write_string(r, 6, phone, text)
                sheet.write_string(r, 7, "随行家属" if companion else "职工", text)
                sheet.write_string(r, 8, notes, text)
        finally:
            book.close()


def policies_of(session: Session, batch_ids: Sequence[int]) -> dict[int, InsuranceRow]:
    """batch id → its policy, for the batches that have one."""
    found: dict[int, InsuranceRow] = {}
    ids = sorted(set(batch_ids))
    for start in range(0, len(ids), CHUNK):
        for policy in session.exec(
            select(InsurancePolicy).where(col(InsurancePolicy.batch_id).in_(ids[start : start + CHUNK]))
        ).all():
            found[policy.batch_id] = _row(policy)
    return found
