"""Each register's records written through the services the forms use: a base with its certification, a
partner with its agreements, a route with its day plan, a batch with its lodging.  A handler takes the rows of
one record and returns its status (new, changed, unchanged) and the fields that change; what it refuses it
raises, and the caller turns that into the record's error.  Records are found again by their key as
written or, failing that, by its folded spelling (寿昌宫(…) finds 寿昌宫（…）).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import replace
from functools import partial
from typing import Any

from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.models import (
    Agreement,
    Base,
    BaseKind,
    Batch,
    BatchKind,
    BatchStatus,
    Certification,
    CertificationStep,
    CertStatus,
    CertStep,
    ItemKind,
    Lodging,
    Partner,
    PartnerKind,
    Route,
    Theme,
)
from recuperation.services import bases as base_service
from recuperation.services import partners as partner_service
from recuperation.services import routes as route_service
from recuperation.services.batch import batches as batch_service
from recuperation.services.batch import edit as batch_edit
from recuperation.services.common import clean_code, create_audited, update_versioned
from recuperation.services.register_cells import (
    HEADERS,
    RegisterRow,
    RowError,
    cell_value,
    fold,
    given,
    to_choice,
    to_code,
    to_date,
    to_date_range,
    to_int,
    to_money_fen,
    to_text,
)
from recuperation.storage.database import Database

#: The reason given for the import (``apply_register(reason=…)``), which a change to a completed or
#: cancelled batch needs (it is recorded in the batch's history); set by ``registers`` around its records.
CHANGE_REASON: ContextVar[str] = ContextVar("register_change_reason", default="")
#: A preview stands in this for the reason, and lists the closed batches it would change in CLOSED_CHANGED,
#: so that the preview shows the change and asks for a reason instead of an error.
PREVIEW_REASON = "（预览）"
CLOSED_CHANGED: ContextVar[list[str] | None] = ContextVar("register_closed_changed", default=None)


def _record(session: Session, model: Any, attr: str, value: str) -> Any:
    """The record whose ``attr`` is ``value`` as written, or else as folded (寿昌宫(…) finds 寿昌宫（…）)."""
    value = value.strip()
    if not value or "\x00" in value:  # no record holds a NUL (PostgreSQL refuses it even in a query)
        return None
    column = getattr(model, attr)
    found = session.exec(select(model).where(column == value)).first()
    if found is not None:
        return found
    wanted = fold(value)
    return next((r for r in session.exec(select(model)).all() if fold(getattr(r, attr)) == wanted), None)


def _id_of(session: Session, model: Any, attr: str, value: str) -> int | None:
    found = _record(session, model, attr, value)
    return None if found is None else int(found.id)


def _changed(obj: Any, values: dict[str, Any]) -> list[str]:
    return [k for k, v in values.items() if getattr(obj, k) != v]


def _upsert(
    db: Database,
    session: Session,
    existing: Any,
    data: Any,
    present: set[str],
    values_of: Callable[[Session, Any, int | None], dict[str, object]],
    create: Callable[[Database, Any], Any],
    update: Callable[[Database, int, int, Any], Any],
) -> tuple[int, str, list[str]]:
    """Create the record, or change it where the file differs: only the columns the file has are compared
    and changed (a register without phone numbers keeps the phones on record).  Returns (id, status, fields)."""
    if existing is None:
        return int(create(db, data).id), "new", []
    record_id = int(existing.id)
    kept = {f: getattr(existing, f) for f in type(data).__dataclass_fields__ if f not in present}
    wanted = replace(data, **{f: ("" if v is None else v) for f, v in kept.items()})
    changes = _changed(existing, values_of(session, wanted, record_id))
    if changes:
        update(db, record_id, existing.version, wanted)
    return record_id, ("changed" if changes else "unchanged"), changes


# --- bases ---------------------------------------------------------------------------------------------------


def _base(db: Database, session: Session, group: list[RegisterRow]) -> tuple[str, list[str]]:
    r = group[0]
    text = lambda name: cell_value(r, name, to_text)  # noqa: E731
    count = lambda name: cell_value(r, name, to_int) or 0  # noqa: E731
    data = base_service.BaseInput(
        name=text("name"),
        kind=cell_value(r, "kind", lambda v: to_choice("base_kind", v, BaseKind.HOTEL.value)),
        township=text("township"),
        address=text("address"),
        contact_name=text("contact_name"),
        contact_phone=text("contact_phone"),
        beds=count("beds"),
        rooms=count("rooms"),
        dining_seats=count("dining_seats"),
        meeting_seats=count("meeting_seats"),
        notes=text("notes"),
    )
    present = {f for f in r.values if given(r, f)}
    existing = _record(session, Base, "name", data.name)
    base_id, status, changes = _upsert(
        db,
        session,
        existing,
        data,
        present,
        base_service.base_values,
        base_service.create_base,
        base_service.update_base,
    )
    level_text = text("cert_level") if "cert_level" in present else ""
    if level_text:
        cert_changes = _certification(db, session, r, base_id, data.name)
        if cert_changes and status != "new":
            changes += [f"certification.{c}" if c != "certification" else c for c in cert_changes]
            status = "changed"
    return status, changes


def _certification(db: Database, session: Session, r: RegisterRow, base_id: int, base_name: str) -> list[str]:
    level = cell_value(r, "cert_level", lambda v: to_choice("cert_level", v, ""))
    number = cell_value(r, "certificate_no", to_code) or None
    on_file = (
        number
        and session.exec(select(Certification.id).where(Certification.certificate_no == number)).first()
    )
    number = clean_code(
        "certification", "certificate_no", number, number=True, kept=number if on_file else None
    )
    number = number or None
    valid_from = cell_value(r, "cert_valid_from", to_date)
    valid_to = cell_value(r, "cert_valid_to", to_date)
    if valid_from is None or valid_to is None:
        raise RowError(r.row, "cert_valid_to", messages.text("register.cert_term", row=r.row, base=base_name))
    if valid_to < valid_from:
        raise RowError(
            r.row,
            "cert_valid_to",
            messages.text(
                "register.cert_term_order",
                row=r.row,
                base=base_name,
                start=valid_from.isoformat(),
                end=valid_to.isoformat(),
            ),
        )
    query = select(Certification).where(Certification.base_id == base_id)
    query = (
        query.where(Certification.certificate_no == number)
        if number
        else query.where(
            Certification.level == level, col(Certification.status).in_(("certified", "rechecked"))
        )
    )
    cert = session.exec(query.order_by(col(Certification.id).desc())).first()
    values = {"level": level, "certificate_no": number, "valid_from": valid_from, "valid_to": valid_to}
    if cert is None:
        clash = (
            number
            and session.exec(select(Certification.id).where(Certification.certificate_no == number)).first()
        )
        if clash:
            raise RowError(
                r.row, "certificate_no", messages.text("register.cert_taken", row=r.row, number=number)
            )
        cert = Certification(
            base_id=base_id,
            status=CertStatus.CERTIFIED.value,
            applied_on=valid_from,
            recheck_due=dt.date(valid_to.year, valid_to.month, 1) if valid_to else None,
            **values,
        )
        create_audited(session, db.user, cert, f"{base_name} {number or level}")
        session.add(
            CertificationStep(
                certification_id=cert.id or 0,
                step=CertStep.CERTIFIED.value,
                on_date=valid_from,
                responsible="",
                notes=messages.text("register.imported"),
            )
        )
        session.flush()
        return ["certification"]
    changed = _changed(cert, values)
    if changed:
        assert cert.id is not None
        update_versioned(
            session, Certification, cert.id, cert.version, values, db.user, f"{base_name} {number}"
        )
    return changed


# --- partners and agreements -----------------------------------------------------------------------------


def _partner(db: Database, session: Session, group: list[RegisterRow]) -> tuple[str, list[str]]:
    r = group[0]
    # 备注 on a partners register belongs to each agreement row; the partner's own notes are not in it.
    present = {f for f in r.values if given(r, f)} - {"notes"}
    text = lambda name: cell_value(r, name, to_text)  # noqa: E731
    data = partner_service.PartnerInput(
        name=text("name"),
        kind=cell_value(r, "kind", lambda v: to_choice("partner_kind", v, PartnerKind.ENTERPRISE.value)),
        region=text("region"),
        uscc=text("uscc"),
        contact_name=text("contact_name"),
        contact_phone=text("contact_phone"),
        address=text("address"),
        notes="",
    )
    existing = _record(session, Partner, "name", data.name)
    partner_id, status, changes = _upsert(
        db,
        session,
        existing,
        data,
        present,
        partner_service.partner_values,
        partner_service.create_partner,
        partner_service.update_partner,
    )
    for row in group:
        if not cell_value(row, "number", to_text):
            continue
        agreement_changes = _agreement(db, session, row, partner_id)
        if agreement_changes and status != "new":
            changes += agreement_changes
            status = "changed"
    return status, changes


#: An agreement's fields: (the partners register's field, AgreementInput's field, how the cell is read).
_AGREEMENT_FIELDS: tuple[tuple[str, str, Callable[[Any], Any]], ...] = (
    ("signed_on", "signed_on", to_date),
    ("valid_from", "valid_from", to_date),
    ("valid_to", "valid_to", to_date),
    ("quota_batches", "quota_batches", to_int),
    ("quota_people", "quota_people", to_int),
    ("price", "price_fen", to_money_fen),
    ("notes", "notes", to_text),
)


def _agreement(db: Database, session: Session, r: RegisterRow, partner_id: int) -> list[str]:
    """Create or change one agreement; what the file does not say about an agreement on file stays."""
    number = cell_value(r, "number", to_code)
    existing = _record(session, Agreement, "number", number)
    values: dict[str, Any] = {
        attr: cell_value(r, name, read) if existing is None or given(r, name) else getattr(existing, attr)
        for name, attr, read in _AGREEMENT_FIELDS
    }
    missing = [f for f in ("signed_on", "valid_from", "valid_to") if values[f] is None]
    if missing:
        header = HEADERS["partners"][missing[0]][0]
        raise RowError(r.row, missing[0], messages.text("register.missing", row=r.row, header=header))
    data = partner_service.AgreementInput(partner_id=partner_id, number=number, **values)
    if existing is None:
        partner_service.create_agreement(db, data)
        return [f"agreement:{number}"]
    assert existing.id is not None
    changed = [
        f"agreement:{number}.{f}"
        for f in _changed(existing, partner_service.agreement_values(session, data, existing.id))
    ]
    if changed:
        partner_service.update_agreement(db, existing.id, existing.version, data)
    return changed


# --- routes ----------------------------------------------------------------------------------------------


def _route(db: Database, session: Session, group: list[RegisterRow]) -> tuple[str, list[str]]:
    r = group[0]
    code = cell_value(r, "code", to_code)
    existing = _record(session, Route, "code", code)
    before = route_service.route_row(session, existing) if existing is not None else None
    # The day plan: each item's fields as the file says them; a column the file does not carry takes the
    # value of the item on file at the same place (day, n-th item of the day); without 第几天 and 活动
    # columns the plan on file stays as it is.
    old_items: dict[tuple[int, int], Any] = {}
    if before is not None:
        for item in before.items:
            old_items[(item.day_no, sum(1 for k in old_items if k[0] == item.day_no))] = item
    items: list[route_service.RouteItemInput] = []
    carries_plan = "day_no" in r.values and "activity" in r.values
    for row in group if carries_plan else []:
        activity = cell_value(row, "activity", to_text)
        day_no = cell_value(row, "day_no", to_int)
        if not activity and day_no is None:
            continue
        if day_no is None:
            raise RowError(row.row, "day_no", messages.text("register.missing", row=row.row, header="第几天"))
        old = old_items.get((day_no, sum(1 for i in items if i.day_no == day_no)))
        base_id = old.base_id if old is not None and not given(row, "base") else None
        base_name = cell_value(row, "base", to_text)
        if given(row, "base") and base_name:
            base_id = _id_of(session, Base, "name", base_name)
            if base_id is None:
                raise RowError(
                    row.row,
                    "base",
                    messages.text("register.no_base", row=row.row, name=messages.shown(base_name)),
                )
        default_kind = ItemKind.LODGING.value if base_id else ItemKind.ACTIVITY.value
        if old is not None and not given(row, "item_kind"):
            default_kind = old.kind
        items.append(
            route_service.RouteItemInput(
                day_no=day_no,
                activity=activity,
                kind=cell_value(
                    row,
                    "item_kind",
                    partial(to_choice, "item_kind", default=default_kind),
                ),
                time_of_day=cell_value(row, "time_of_day", to_text)
                if old is None or given(row, "time_of_day")
                else old.time_of_day,
                place=cell_value(row, "place", to_text) if old is None or given(row, "place") else old.place,
                base_id=base_id,
            )
        )
    if before is not None and not carries_plan:
        items = [
            route_service.RouteItemInput(i.day_no, i.activity, i.kind, i.time_of_day, i.place, i.base_id)
            for i in before.items
        ]

    def kept(name: str, read: Callable[[Any], Any], attr: str) -> Any:
        """The cell's value, or the route's on file when the file says nothing about it."""
        if existing is not None and not given(r, name):
            return getattr(existing, attr)
        return cell_value(r, name, read)

    days = kept("days", to_int, "days") or max((i.day_no for i in items), default=1)
    nights = kept("nights", to_int, "nights")
    data = route_service.RouteInput(
        code=code,
        name=kept("name", to_text, "name"),
        theme=kept("theme", lambda v: to_choice("theme", v, Theme.LEISURE.value), "theme"),
        days=days,
        nights=max(days - 1, 0) if nights is None else nights,
        price_fen=kept("price", to_money_fen, "price_fen"),
        season=kept("season", to_text, "season"),
        description=kept("description", to_text, "description"),
        items=tuple(items),
    )
    if existing is None or before is None:
        route_service.create_route(db, data)
        return "new", []
    assert existing.id is not None
    changes = _changed(existing, route_service.route_values(session, data, existing.id))
    if route_service.plan_of(before.items) != route_service.plan_of(items):
        changes.append("items")
    if changes:
        route_service.update_route(db, existing.id, existing.version, data)
    return ("changed" if changes else "unchanged"), changes


# --- batches ---------------------------------------------------------------------------------------------


def _on_file(record: Any, attr: str, default: Any) -> Any:
    return default if record is None else getattr(record, attr)


_BASE_LIST = re.compile(r"\s*[、，,/；;]\s*")


def _batch(db: Database, session: Session, group: list[RegisterRow]) -> tuple[str, list[str]]:
    """Create a batch, or change what the file says differently about a batch on file.

    Only what the file says is compared and changed: a column it does not carry, or an empty cell of a
    field in ``KEPT_WHEN_EMPTY`` (dates, headcount, kind, status, partner, base), keeps the value on file; an
    empty 协议, 线路, 领队 … cell clears it.  住宿基地 naming the bases the batch lodges at keeps its nights as
    they are (a partner's workbook lists them as 寿昌宾馆、新安江宾馆); one base named otherwise lodges the
    headcount there every night.
    """
    r = group[0]
    text = lambda name: cell_value(r, name, to_text)  # noqa: E731
    code = cell_value(r, "code", to_code)
    existing = _record(session, Batch, "code", code) if code else None
    keep = existing is not None

    def ref(name: str, model: Any, attrs: tuple[str, ...], message: str, current: int | None) -> int | None:
        """A partner, agreement or route named by a cell: found by each attribute in turn."""
        if keep and not given(r, name):
            return current
        value = text(name)
        if not value:
            return None
        for attr in attrs:
            found = _id_of(session, model, attr, value)
            if found is not None:
                return found
        shown = messages.shown(value)
        raise RowError(r.row, name, messages.text(message, row=r.row, name=shown, number=shown))

    partner_id = ref(
        "partner", Partner, ("name",), "register.no_partner", _on_file(existing, "partner_id", None)
    )
    if partner_id is None:
        raise RowError(
            r.row,
            "partner",
            messages.text("register.missing", row=r.row, header=HEADERS["batches"]["partner"][0]),
        )
    agreement_id = ref(
        "agreement", Agreement, ("number",), "register.no_agreement", _on_file(existing, "agreement_id", None)
    )
    route_id = ref(
        "route", Route, ("code", "name"), "register.no_route", _on_file(existing, "route_id", None)
    )
    year = r.values.get("_year")
    arrival = cell_value(r, "arrival", lambda v: to_date(v, year))
    departure = cell_value(r, "departure", lambda v: to_date(v, year))
    stay = cell_value(r, "dates", lambda v: to_date_range(v, year))
    if stay is not None and arrival is None:
        arrival, departure = stay[0], departure or stay[1]
    headcount = cell_value(r, "headcount", to_int)
    if existing is not None:
        arrival = existing.arrival if arrival is None else arrival
        departure = existing.departure if departure is None else departure
        headcount = existing.headcount if headcount is None else headcount
    for name, value in (("arrival", arrival), ("departure", departure), ("headcount", headcount)):
        if value is None:
            raise RowError(
                r.row, name, messages.text("register.missing", row=r.row, header=HEADERS["batches"][name][0])
            )
    old_nights = (
        session.exec(select(Lodging).where(Lodging.batch_id == existing.id)).all()
        if existing is not None
        else []
    )
    lodging = tuple(batch_service.LodgingInput(x.base_id, x.night, x.people) for x in old_nights)
    old_bases = {x.base_id for x in old_nights}
    same_dates = existing is not None and (arrival, departure) == (existing.arrival, existing.departure)
    same_stay = same_dates and existing is not None and headcount == existing.headcount

    def every_night_at(base_id: int) -> tuple[batch_service.LodgingInput, ...]:
        return tuple(
            batch_service.LodgingInput(base_id, arrival + dt.timedelta(days=i), headcount)
            for i in range(max((departure - arrival).days, 0))
        )

    if given(r, "base"):
        base_ids: list[int] = []
        for name in [n for n in _BASE_LIST.split(text("base")) if n]:
            base_id = _id_of(session, Base, "name", name)
            if base_id is None:
                raise RowError(
                    r.row, "base", messages.text("register.no_base", row=r.row, name=messages.shown(name))
                )
            base_ids.append(base_id)
        if not (same_stay and set(base_ids) == old_bases):
            if len(set(base_ids)) > 1:
                raise RowError(
                    r.row,
                    "base",
                    messages.text("register.several_bases", row=r.row, names=messages.shown(text("base"))),
                )
            lodging = every_night_at(base_ids[0])
    elif old_nights and not same_dates:
        # New dates and no base in the file: nights at one base move with the stay; nights at several
        # bases cannot be guessed, so the row says what to do instead of failing on a night outside the stay.
        if len(old_bases) > 1:
            raise RowError(r.row, "base", messages.text("register.lodging_replan", row=r.row))
        lodging = every_night_at(next(iter(old_bases)))
    default_kind = _on_file(existing, "kind", BatchKind.RECUPERATION.value)
    kind = cell_value(r, "kind", lambda v: to_choice("batch_kind", v, default_kind))
    default_status = _on_file(existing, "status", BatchStatus.PLANNED.value)
    status_value = cell_value(r, "status", lambda v: to_choice("status", v, default_status))

    def said(name: str, current: str) -> str:
        return text(name) if not keep or given(r, name) else current

    data = batch_service.BatchInput(
        partner_id=partner_id,
        arrival=arrival,
        departure=departure,
        headcount=headcount,
        kind=kind,
        status=status_value,
        code=code,
        agreement_id=agreement_id,
        route_id=route_id,
        leader=said("leader", _on_file(existing, "leader", "")),
        leader_phone=said("leader_phone", _on_file(existing, "leader_phone", "")),
        guide=said("guide", _on_file(existing, "guide", "")),
        vehicle=said("vehicle", _on_file(existing, "vehicle", "")),
        notes=said("notes", _on_file(existing, "notes", "")),
        lodging=lodging,
    )
    if existing is None:
        made = batch_service.create_batch(db, data)
        r.key = made.code
        return "new", []
    assert existing.id is not None
    # The values the update itself would write (same checks, same normalisation); the key stays, the
    # status has its own path below.
    values = batch_service.validate_batch(session, data, existing.code)
    values.pop("code")
    values.pop("status")
    changes = _changed(existing, values)
    if sorted((x.base_id, x.night, x.people) for x in old_nights) != sorted(
        (x.base_id, x.night, x.people) for x in lodging
    ):
        changes.append("lodging")
    if changes:
        batch_edit.update_batch(db, existing.id, existing.version, data, reason=CHANGE_REASON.get())
        closed = CLOSED_CHANGED.get()
        if closed is not None and batch_edit.needs_reason(existing.status):
            closed.append(existing.code)
    if status_value != existing.status:
        version = session.exec(select(Batch.version).where(Batch.id == existing.id)).one()
        batch_service.set_status(db, existing.id, version, status_value)
        changes.append("status")
    return ("changed" if changes else "unchanged"), changes


HANDLERS: dict[str, Callable[[Database, Session, list[RegisterRow]], tuple[str, list[str]]]] = {
    "bases": _base,
    "partners": _partner,
    "routes": _route,
    "batches": _batch,
}
