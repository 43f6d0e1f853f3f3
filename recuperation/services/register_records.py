"""Each register's records written through the services the forms use: a base with its certification, a
partner with its agreements, a route with its day plan, a batch with its lodging.  A handler takes the rows of
one record and returns its status (new, changed, unchanged) and the fields that change; what it refuses it
raises, and the caller turns that into the record's error.  Records are found again by their key as
written or, failing that, by its folded spelling (寿昌宫(…) finds 寿昌宫（…）).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.db import Database
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
from recuperation.services import batch_edit
from recuperation.services import batches as batch_service
from recuperation.services import partners as partner_service
from recuperation.services import routes as route_service
from recuperation.services.common import create_audited, update_versioned
from recuperation.services.register_cells import (
    HEADERS,
    RegisterRow,
    RowError,
    cell_value,
    fold,
    to_choice,
    to_code,
    to_date,
    to_date_range,
    to_int,
    to_money_fen,
    to_text,
)


def _record(session: Session, model: Any, attr: str, value: str) -> Any:
    """The record whose ``attr`` is ``value`` as written, or else as folded (寿昌宫(…) finds 寿昌宫（…）)."""
    value = value.strip()
    if not value:
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
    present = set(r.values)
    existing = _record(session, Base, "name", data.name)
    base_id, status, changes = _upsert(
        db,
        session,
        existing,
        data,
        present,
        base_service._base_values,
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
    valid_from = cell_value(r, "cert_valid_from", to_date)
    valid_to = cell_value(r, "cert_valid_to", to_date)
    if valid_from is None or valid_to is None:
        raise RowError(r.row, "cert_valid_to", messages.text("register.cert_term", row=r.row, base=base_name))
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
    present = set(r.values)
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
        partner_service._partner_values,
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


def _agreement(db: Database, session: Session, r: RegisterRow, partner_id: int) -> list[str]:
    number = cell_value(r, "number", to_code)
    signed_on = cell_value(r, "signed_on", to_date)
    valid_from = cell_value(r, "valid_from", to_date)
    valid_to = cell_value(r, "valid_to", to_date)
    missing = [
        f
        for f, v in (("signed_on", signed_on), ("valid_from", valid_from), ("valid_to", valid_to))
        if v is None
    ]
    if missing:
        header = HEADERS["partners"][missing[0]][0]
        raise RowError(r.row, missing[0], messages.text("register.missing", row=r.row, header=header))
    data = partner_service.AgreementInput(
        partner_id=partner_id,
        number=number,
        signed_on=signed_on,
        valid_from=valid_from,
        valid_to=valid_to,
        quota_batches=cell_value(r, "quota_batches", to_int),
        quota_people=cell_value(r, "quota_people", to_int),
        price_fen=cell_value(r, "price", to_money_fen),
        notes=cell_value(r, "notes", to_text),
    )
    existing = _record(session, Agreement, "number", number)
    if existing is None:
        partner_service.create_agreement(db, data)
        return [f"agreement:{number}"]
    assert existing.id is not None
    changed = [
        f"agreement:{number}.{f}"
        for f in _changed(existing, partner_service._agreement_values(session, data, existing.id))
    ]
    if changed:
        partner_service.update_agreement(db, existing.id, existing.version, data)
    return changed


# --- routes ----------------------------------------------------------------------------------------------


def _route(db: Database, session: Session, group: list[RegisterRow]) -> tuple[str, list[str]]:
    r = group[0]
    text = lambda name: cell_value(r, name, to_text)  # noqa: E731
    items: list[route_service.RouteItemInput] = []
    for row in group:
        activity = cell_value(row, "activity", to_text)
        day_no = cell_value(row, "day_no", to_int)
        if not activity and day_no is None:
            continue
        if day_no is None:
            raise RowError(row.row, "day_no", messages.text("register.missing", row=row.row, header="第几天"))
        base_name = cell_value(row, "base", to_text)
        base_id = None
        if base_name:
            base_id = _id_of(session, Base, "name", base_name)
            if base_id is None:
                raise RowError(
                    row.row, "base", messages.text("register.no_base", row=row.row, name=base_name)
                )
        default_kind = ItemKind.LODGING.value if base_id else ItemKind.ACTIVITY.value
        items.append(
            route_service.RouteItemInput(
                day_no=day_no,
                activity=activity,
                kind=cell_value(
                    row,
                    "item_kind",
                    partial(to_choice, "item_kind", default=default_kind),
                ),
                time_of_day=cell_value(row, "time_of_day", to_text),
                place=cell_value(row, "place", to_text),
                base_id=base_id,
            )
        )
    days = cell_value(r, "days", to_int) or max((i.day_no for i in items), default=1)
    nights = cell_value(r, "nights", to_int)
    data = route_service.RouteInput(
        code=cell_value(r, "code", to_code),
        name=text("name"),
        theme=cell_value(r, "theme", lambda v: to_choice("theme", v, Theme.LEISURE.value)),
        days=days,
        nights=max(days - 1, 0) if nights is None else nights,
        price_fen=cell_value(r, "price", to_money_fen),
        season=text("season"),
        description=text("description"),
        items=tuple(items),
    )
    existing = _record(session, Route, "code", data.code)
    if existing is None:
        route_service.create_route(db, data)
        return "new", []
    assert existing.id is not None
    changes = _changed(existing, route_service._route_values(session, data, existing.id))
    if route_service.plan_of(route_service._route_row(session, existing).items) != route_service.plan_of(
        items
    ):
        changes.append("items")
    if changes:
        route_service.update_route(db, existing.id, existing.version, data)
    return ("changed" if changes else "unchanged"), changes


# --- batches ---------------------------------------------------------------------------------------------


def _batch(db: Database, session: Session, group: list[RegisterRow]) -> tuple[str, list[str]]:
    r = group[0]
    text = lambda name: cell_value(r, name, to_text)  # noqa: E731
    partner_name = text("partner")
    partner_id = _id_of(session, Partner, "name", partner_name)
    if partner_id is None:
        raise RowError(r.row, "partner", messages.text("register.no_partner", row=r.row, name=partner_name))
    agreement_id = None
    if text("agreement"):
        agreement_id = _id_of(session, Agreement, "number", text("agreement"))
        if agreement_id is None:
            raise RowError(
                r.row,
                "agreement",
                messages.text("register.no_agreement", row=r.row, number=text("agreement")),
            )
    route_id = None
    if text("route"):
        route_id = _id_of(session, Route, "code", text("route")) or _id_of(
            session, Route, "name", text("route")
        )
        if route_id is None:
            raise RowError(r.row, "route", messages.text("register.no_route", row=r.row, name=text("route")))
    year = r.values.get("_year")
    arrival = cell_value(r, "arrival", lambda v: to_date(v, year))
    departure = cell_value(r, "departure", lambda v: to_date(v, year))
    stay = cell_value(r, "dates", lambda v: to_date_range(v, year))
    if stay is not None and arrival is None:
        arrival, departure = stay[0], departure or stay[1]
    headcount = cell_value(r, "headcount", to_int)
    for name, value in (("arrival", arrival), ("departure", departure), ("headcount", headcount)):
        if value is None:
            raise RowError(
                r.row, name, messages.text("register.missing", row=r.row, header=HEADERS["batches"][name][0])
            )
    lodging: tuple[batch_service.LodgingInput, ...] = ()
    if text("base"):
        base_id = _id_of(session, Base, "name", text("base"))
        if base_id is None:
            raise RowError(r.row, "base", messages.text("register.no_base", row=r.row, name=text("base")))
        nights = (departure - arrival).days
        lodging = tuple(
            batch_service.LodgingInput(base_id, arrival + dt.timedelta(days=i), headcount)
            for i in range(max(nights, 0))
        )
    kind = cell_value(r, "kind", lambda v: to_choice("batch_kind", v, BatchKind.RECUPERATION.value))
    status_value = cell_value(r, "status", lambda v: to_choice("status", v, BatchStatus.PLANNED.value))
    data = batch_service.BatchInput(
        partner_id=partner_id,
        arrival=arrival,
        departure=departure,
        headcount=headcount,
        kind=kind,
        status=status_value,
        code=cell_value(r, "code", to_code),
        agreement_id=agreement_id,
        route_id=route_id,
        leader=text("leader"),
        leader_phone=text("leader_phone"),
        guide=text("guide"),
        vehicle=text("vehicle"),
        notes=text("notes"),
        lodging=lodging,
    )
    existing = _record(session, Batch, "code", data.code)
    if existing is None:
        made = batch_service.create_batch(db, data)
        r.key = made.code
        return "new", []
    assert existing.id is not None
    # The values the update itself would write (same checks, same normalisation); the key stays, the
    # status has its own path below.
    values = batch_service._validate(session, data, existing.code)
    values.pop("code")
    values.pop("status")
    changes = _changed(existing, values)
    if text("base"):  # a base named: every night there for the headcount; none named keeps the lodging
        old = sorted(
            (lodge.base_id, lodge.night, lodge.people)
            for lodge in session.exec(select(Lodging).where(Lodging.batch_id == existing.id)).all()
        )
        if old != sorted((x.base_id, x.night, x.people) for x in lodging):
            changes.append("lodging")
    else:
        lodging_kept = session.exec(select(Lodging).where(Lodging.batch_id == existing.id)).all()
        data = replace(
            data,
            lodging=tuple(batch_service.LodgingInput(x.base_id, x.night, x.people) for x in lodging_kept),
        )
    if changes:
        batch_edit.update_batch(db, existing.id, existing.version, data)
    if "status" in r.values and status_value != existing.status:
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
