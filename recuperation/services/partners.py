"""Partners (合作单位) and their agreements (合作协议)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, or_, select
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc as uscc_code

from recuperation import messages
from recuperation.errors import ValidationError
from recuperation.filenames import file_in
from recuperation.models import Agreement, Batch, ChargeBasis, Participant, Partner, PartnerKind, SpendingPack
from recuperation.money import WHOLE_BP
from recuperation.people import normalise_phone, normalise_text, phone_valid
from recuperation.private_files import private_copy
from recuperation.services.common import (
    choice,
    clean_code,
    clean_text,
    count_where,
    create_audited,
    delete_checked,
    get_or_raise,
    non_negative,
    set_archived,
    update_versioned,
)
from recuperation.storage.database import Database
from recuperation.storage.paths import data_dir

_USCC_REASONS = {
    stdnum_errors.InvalidLength: ("长度应为 18 位", "it must have 18 characters"),
    stdnum_errors.InvalidFormat: ("含有不允许的字符", "it has characters that are not allowed"),
    stdnum_errors.InvalidChecksum: ("校验位不符", "the check character does not match"),
}


@dataclass(frozen=True)
class PartnerInput:
    name: str
    kind: str = PartnerKind.ENTERPRISE.value
    region: str = ""
    uscc: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""
    notes: str = ""
    # the jurisdiction's spending rules (开支标准): a pack's id, 0 for none; None keeps what the partner has (a
    # register or a caller that does not carry the pack never changes it)
    spending_pack_id: int | None = None


@dataclass(frozen=True)
class PartnerRow:
    id: int
    name: str
    kind: str
    region: str
    uscc: str
    contact_name: str
    contact_phone: str
    address: str
    notes: str
    archived: bool
    version: int
    updated_by: str
    updated_at: dt.datetime
    agreement_end: dt.date | None = None  # end of the latest agreement, if any
    batches: int = 0  # all batches ever, so a delete can be refused before asking
    spending_pack_id: int | None = None  # the jurisdiction's spending rules (开支标准)

    def agreement_state(self, today: dt.date) -> str:
        return agreement_state(None, self.agreement_end, today)


EXPIRY_WARNING_DAYS = 60


def agreement_state(start: dt.date | None, end: dt.date | None, today: dt.date) -> str:
    """ "none", "future", "active", "expiring" (ends within 60 days) or "expired"."""
    if end is None:
        return "none"
    if end < today:
        return "expired"
    if start is not None and start > today:
        return "future"
    if (end - today).days <= EXPIRY_WARNING_DAYS:
        return "expiring"
    return "active"


@dataclass(frozen=True)
class AgreementInput:
    partner_id: int
    number: str
    signed_on: dt.date
    valid_from: dt.date
    valid_to: dt.date
    quota_batches: int | None = None
    quota_people: int | None = None
    price_fen: int | None = None
    notes: str = ""
    # what the partner pays (services.charges): "price" or "cost"; None keeps the agreement's ("price" if new)
    charge_basis: str | None = None
    # the share of a no-show's charge credited (basis points, 5000 = 50%); None keeps the agreement's (0 if new)
    no_show_credit_bp: int | None = None


@dataclass(frozen=True)
class AgreementRow:
    id: int
    partner_id: int
    partner: str
    number: str
    signed_on: dt.date
    valid_from: dt.date
    valid_to: dt.date
    quota_batches: int | None
    quota_people: int | None
    price_fen: int | None
    notes: str
    archived: bool
    version: int
    scan_path: str = ""
    year: int = 0  # the year of the fulfilment figures below
    used_batches: int = 0
    used_people: int = 0
    charge_basis: str = ChargeBasis.PRICE.value  # what the partner pays: the agreed price or the cost
    no_show_credit_bp: int = 0  # the share of a no-show's charge credited, in basis points

    def state(self, today: dt.date) -> str:
        return agreement_state(self.valid_from, self.valid_to, today)


#: What people type between the groups of a credit code: spaces of every width, hyphens and dashes, dots.
_USCC_SEPARATORS = re.compile(
    r"[\s\u00a0\u3000\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d._/\u00b7\u2027\u2219\u30fb\uff65]+"
)


def normalise_uscc(value: object) -> str:
    """A credit code as typed or pasted, read as the code it means: full-width characters half-width (NFKC),
    invisible format characters a paste brings along removed (zero-width spaces and joiners, U+2060, the BOM,
    bidi marks and overrides, the soft hyphen: Unicode's category Cf), separators (spaces, hyphens, dashes,
    dots, middle dots · ・) removed, letters capital.  Lengths are counted on this."""
    visible = "".join(c for c in normalise_text(value) if unicodedata.category(c) != "Cf")
    return _USCC_SEPARATORS.sub("", visible).upper()


def check_uscc(name: str, value: str) -> str:
    """A unified social credit code in canonical form, or "" when none was given.

    The code is normalised (:func:`normalise_uscc`) before any check, so “9133 0182-MA2…” typed in groups or
    with full-width characters is the 18-character code it means.  A refusal names the partner as typed, or
    says 新合作单位 (new partner) when no name has been typed yet.
    """
    code = normalise_uscc(value)
    if not code:
        return ""
    try:
        return str(uscc_code.validate(code))
    except stdnum_errors.ValidationError as exc:
        zh, en = _USCC_REASONS.get(type(exc), ("无效", "invalid"))
        reason = en if messages.language() == "en" else zh
        typed = normalise_text(name)
        partner = messages.text("partner.named", name=typed) if typed else messages.text("partner.unnamed")
        raise ValidationError(
            "uscc.invalid", field="uscc", record="partner", partner=partner, value=code, reason=reason
        ) from exc


def check_phone(table: str, name: str, value: str, *, field: str = "contact_phone") -> str:
    """A phone in canonical form; refused with the record's kind and name, or, when there is no name (a form
    checking the field on its own, where the message shows under the field), with the phone alone."""
    phone = normalise_phone(value)
    if phone and not phone_valid(phone) and not normalise_text(name):
        raise ValidationError("phone.invalid_field", field=field, record=table, value=value)
    if phone and not phone_valid(phone):
        raise ValidationError(
            "phone.invalid",
            field=field,
            record=table,
            kind=messages.kind_label(table),
            name=name,
            value=value,
        )
    return phone


def partner_values(session: Session, data: PartnerInput, own_id: int | None) -> dict[str, object]:
    name = clean_text("partner", "name", data.name, max_length=100, required=True)
    values: dict[str, object] = {
        "name": name,
        "kind": choice("partner", "kind", data.kind, PartnerKind.values()),
        "region": clean_text("partner", "region", data.region, max_length=60),
        "uscc": check_uscc(name, data.uscc) or None,
        "contact_name": clean_text("partner", "contact_name", data.contact_name, max_length=40),
        "contact_phone": check_phone("partner", name, data.contact_phone),
        "address": clean_text("partner", "address", data.address, max_length=200),
        "notes": clean_text("partner", "notes", data.notes, max_length=2000, multiline=True),
    }
    if data.spending_pack_id is None:  # not said: kept as it is (a new partner has none)
        if own_id is not None:
            values["spending_pack_id"] = get_or_raise(session, Partner, own_id).spending_pack_id
        else:
            values["spending_pack_id"] = None
    else:
        values["spending_pack_id"] = data.spending_pack_id or None
        if data.spending_pack_id:
            get_or_raise(session, SpendingPack, data.spending_pack_id)
    for field in ("name", "uscc"):
        value = values[field]
        if value is None:
            continue
        clash = session.exec(select(Partner.id).where(getattr(Partner, field) == value)).first()
        if clash is not None and clash != own_id:
            raise ValidationError(
                "record.duplicate",
                field=field,
                record="partner",
                kind=messages.kind_label("partner"),
                label=messages.field_label(field),
                value=value,
            )
    return values


def _partner_row(p: Partner) -> PartnerRow:
    assert p.id is not None
    return PartnerRow(
        p.id,
        p.name,
        p.kind,
        p.region,
        p.uscc or "",
        p.contact_name,
        p.contact_phone,
        p.address,
        p.notes,
        p.archived,
        p.version,
        p.updated_by,
        p.updated_at,
        spending_pack_id=p.spending_pack_id,
    )


def create_partner(db: Database, data: PartnerInput) -> PartnerRow:
    """Create a partner; the name and the credit code must be unique and the code must pass its check."""
    with db.session(write=True) as session:
        values = partner_values(session, data, None)
        partner = create_audited(session, db.user, Partner(**values), str(values["name"]))  # type: ignore[arg-type]
        return _partner_row(partner)


def update_partner(db: Database, partner_id: int, version: int, data: PartnerInput) -> PartnerRow:
    """Change a partner loaded at ``version``; refused (StaleEditError) if someone changed it since."""
    with db.session(write=True) as session:
        values = partner_values(session, data, partner_id)
        update_versioned(session, Partner, partner_id, version, values, db.user, str(values["name"]))
        return _partner_row(get_or_raise(session, Partner, partner_id))


def list_partners(
    db: Database, search: str = "", *, include_archived: bool = False, expiring_within: int | None = None
) -> list[PartnerRow]:
    """Partners whose name, region or contact contains ``search``, each with its latest agreement's end.

    ``expiring_within`` keeps only partners whose latest agreement ends within that many days from today.
    """
    with db.session() as session:
        latest = (
            select(Agreement.partner_id, func.max(Agreement.valid_to).label("end"))
            .group_by(col(Agreement.partner_id))
            .subquery()
        )
        used = select(Batch.partner_id, func.count().label("n")).group_by(col(Batch.partner_id)).subquery()
        query = (
            select(Partner, latest.c.end, func.coalesce(used.c.n, 0))
            .outerjoin(latest, latest.c.partner_id == Partner.id)
            .outerjoin(used, used.c.partner_id == Partner.id)
        )
        if not include_archived:
            query = query.where(col(Partner.archived).is_(False))
        if search:
            like = f"%{search.strip()}%"
            query = query.where(
                or_(
                    col(Partner.name).like(like),
                    col(Partner.region).like(like),
                    col(Partner.contact_name).like(like),
                )
            )
        if expiring_within is not None:
            today = dt.date.today()
            query = query.where(
                latest.c.end >= today, latest.c.end <= today + dt.timedelta(days=expiring_within)
            )
        rows = session.exec(query.order_by(Partner.name)).all()
        return [replace(_partner_row(p), agreement_end=end, batches=int(n)) for p, end, n in rows]


def archive_partner(db: Database, partner_id: int, version: int, archived: bool = True) -> PartnerRow:
    """Archive a partner (it leaves the lists; its batches and agreements stay)."""
    with db.session(write=True) as session:
        partner = get_or_raise(session, Partner, partner_id)
        set_archived(session, Partner, partner_id, version, archived, db.user, partner.name)
        return _partner_row(get_or_raise(session, Partner, partner_id))


def delete_partner(db: Database, partner_id: int, version: int) -> None:
    """Delete a partner with no agreements and no batches; otherwise refused with what depends on it."""
    with db.session(write=True) as session:
        partner = get_or_raise(session, Partner, partner_id)
        dependents = {
            "batch": count_where(session, Batch.partner_id, partner_id),
            "agreement": count_where(session, Agreement.partner_id, partner_id),
        }
        delete_checked(session, Partner, partner_id, version, db.user, partner.name, dependents)


def find_partner(db: Database, name: str) -> PartnerRow | None:
    with db.session() as session:
        partner = session.exec(select(Partner).where(Partner.name == name.strip())).first()
        return _partner_row(partner) if partner else None


def agreement_values(session: Session, data: AgreementInput, own_id: int | None) -> dict[str, object]:
    on_file = session.get(Agreement, own_id) if own_id is not None else None
    number = clean_code(
        "agreement",
        "number",
        data.number,
        number=True,
        required=True,
        kept=on_file.number if on_file else None,
    )
    get_or_raise(session, Partner, data.partner_id)
    if data.valid_to < data.valid_from:
        raise ValidationError(
            "agreement.term",
            field="valid_to",
            record="agreement",
            number=number,
            start=data.valid_from.isoformat(),
            end=data.valid_to.isoformat(),
        )
    clash = session.exec(select(Agreement.id).where(Agreement.number == number)).first()
    if clash is not None and clash != own_id:
        raise ValidationError(
            "record.duplicate",
            field="number",
            record="agreement",
            kind=messages.kind_label("agreement"),
            label=messages.field_label("number"),
            value=number,
        )
    return {
        "partner_id": data.partner_id,
        "number": number,
        "signed_on": data.signed_on,
        "valid_from": data.valid_from,
        "valid_to": data.valid_to,
        "quota_batches": non_negative("agreement", "quota_batches", data.quota_batches, required=False),
        "quota_people": non_negative("agreement", "quota_people", data.quota_people, required=False),
        "price_fen": non_negative("agreement", "price_fen", data.price_fen, required=False, maximum=10**9),
        "notes": clean_text("agreement", "notes", data.notes, max_length=2000, multiline=True),
        **_charge_values(data, on_file, number),
    }


def _charge_values(data: AgreementInput, on_file: Agreement | None, number: str) -> dict[str, object]:
    """The agreement's charge basis and no-show credit: what ``data`` says, else what is on file (a register
    that has no such columns changes neither), else the agreed price and no credit."""
    basis = data.charge_basis
    if basis is None:
        basis = on_file.charge_basis if on_file is not None else ChargeBasis.PRICE.value
    credit = data.no_show_credit_bp
    if credit is None:
        credit = on_file.no_show_credit_bp if on_file is not None else 0
    if isinstance(credit, bool) or not isinstance(credit, int) or not 0 <= credit <= WHOLE_BP:
        raise ValidationError(
            "charge.bad_credit",
            field="no_show_credit_bp",
            record="agreement",
            number=number,
            value=f"{credit / 100:g}%" if isinstance(credit, int | float) else str(credit),
        )
    return {
        "charge_basis": choice("agreement", "charge_basis", str(basis), ChargeBasis.values()),
        "no_show_credit_bp": credit,
    }


def _agreement_row(a: Agreement, partner: str) -> AgreementRow:
    assert a.id is not None
    return AgreementRow(
        a.id,
        a.partner_id,
        partner,
        a.number,
        a.signed_on,
        a.valid_from,
        a.valid_to,
        a.quota_batches,
        a.quota_people,
        a.price_fen,
        a.notes,
        a.archived,
        a.version,
        a.scan_path,
        charge_basis=a.charge_basis,
        no_show_credit_bp=a.no_show_credit_bp,
    )


def create_agreement(db: Database, data: AgreementInput) -> AgreementRow:
    """Record a signed agreement; its number must be unique and its term must not end before it starts."""
    with db.session(write=True) as session:
        values = agreement_values(session, data, None)
        agreement = create_audited(session, db.user, Agreement(**values), str(values["number"]))  # type: ignore[arg-type]
        partner = get_or_raise(session, Partner, data.partner_id)
        return _agreement_row(agreement, partner.name)


def update_agreement(db: Database, agreement_id: int, version: int, data: AgreementInput) -> AgreementRow:
    with db.session(write=True) as session:
        values = agreement_values(session, data, agreement_id)
        update_versioned(session, Agreement, agreement_id, version, values, db.user, str(values["number"]))
        agreement = get_or_raise(session, Agreement, agreement_id)
        return _agreement_row(agreement, get_or_raise(session, Partner, agreement.partner_id).name)


def list_agreements(
    db: Database, partner_id: int | None = None, *, year: int | None = None
) -> list[AgreementRow]:
    """Agreements (newest first), each with its fulfilment in ``year`` (default: this year): the batches that
    arrive that year, not cancelled, and their people (roster count, else headcount)."""
    year = year or dt.date.today().year
    with db.session() as session:
        roster = (
            select(Participant.batch_id, func.count().label("n"))
            .where(col(Participant.companion).is_(False))  # companions never count against a quota
            .group_by(col(Participant.batch_id))
            .subquery()
        )
        people = func.coalesce(func.nullif(roster.c.n, 0), Batch.headcount)
        usage = (
            select(Batch.agreement_id, func.count().label("b"), func.sum(people).label("p"))
            .outerjoin(roster, roster.c.batch_id == Batch.id)
            .where(
                Batch.status != "cancelled",
                col(Batch.arrival) >= dt.date(year, 1, 1),
                col(Batch.arrival) <= dt.date(year, 12, 31),
            )
            .group_by(col(Batch.agreement_id))
            .subquery()
        )
        query = (
            select(Agreement, Partner.name, usage.c.b, usage.c.p)
            .join(Partner, col(Partner.id) == Agreement.partner_id)
            .outerjoin(usage, usage.c.agreement_id == Agreement.id)
        )
        if partner_id is not None:
            query = query.where(Agreement.partner_id == partner_id)
        rows = session.exec(query.order_by(col(Agreement.valid_from).desc()))
        return [
            replace(_agreement_row(a, name), year=year, used_batches=int(b or 0), used_people=int(p or 0))
            for a, name, b, p in rows
        ]


def delete_agreement(db: Database, agreement_id: int, version: int) -> None:
    """Delete an agreement no batch counts against; otherwise refused with the number of batches."""
    with db.session(write=True) as session:
        agreement = get_or_raise(session, Agreement, agreement_id)
        dependents = {"batch": count_where(session, Batch.agreement_id, agreement_id)}
        delete_checked(session, Agreement, agreement_id, version, db.user, agreement.number, dependents)


def attach_scan(db: Database, agreement_id: int, version: int, source: Path) -> AgreementRow:
    """Copy the scan of a signed agreement into the program's data folder and link it to the agreement.

    The copy is named after the agreement number, so the data folder holds the office's copy even if the
    original file is moved or deleted.
    """
    if not source.is_file():
        raise ValidationError("db.restore_missing", field="scan_path", path=str(source))
    folder = data_dir() / "scans"
    folder.mkdir(parents=True, exist_ok=True)
    with db.session(write=True) as session:
        agreement = get_or_raise(session, Agreement, agreement_id)
        target = file_in(folder, agreement.number, suffix=source.suffix)
        private_copy(source, target)  # a signed agreement: the office's alone (0600)
        update_versioned(
            session, Agreement, agreement_id, version, {"scan_path": str(target)}, db.user, agreement.number
        )
        partner = get_or_raise(session, Partner, agreement.partner_id)
        return _agreement_row(get_or_raise(session, Agreement, agreement_id), partner.name)


def batches_of_partner(session: Session, partner_id: int) -> int:
    return int(
        session.exec(select(func.count()).select_from(Batch).where(Batch.partner_id == partner_id)).one()
    )
