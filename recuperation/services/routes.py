"""Routes (线路): the catalogue, each with its day-by-day plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlmodel import Session, col, delete, or_, select

from recuperation import messages
from recuperation.errors import ValidationError
from recuperation.models import Batch, ItemKind, Route, RouteItem, Theme
from recuperation.services.common import (
    audit,
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

THEME_LABELS = {
    Theme.LEISURE: "休闲",
    Theme.FITNESS: "健身",
    Theme.STUDY: "研学",
    Theme.HERITAGE: "红色",
    Theme.WELLNESS: "康养",
}


@dataclass(frozen=True)
class RouteItemInput:
    day_no: int
    activity: str
    kind: str = ItemKind.ACTIVITY.value
    time_of_day: str = ""
    place: str = ""
    base_id: int | None = None


@dataclass(frozen=True)
class RouteInput:
    code: str
    name: str
    theme: str
    days: int
    nights: int
    price_fen: int | None = None
    season: str = ""
    description: str = ""
    items: tuple[RouteItemInput, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RouteItemRow:
    day_no: int
    seq: int
    time_of_day: str
    kind: str
    activity: str
    place: str
    base_id: int | None


@dataclass(frozen=True)
class RouteRow:
    id: int
    code: str
    name: str
    theme: str
    days: int
    nights: int
    price_fen: int | None
    season: str
    description: str
    archived: bool
    version: int
    items: tuple[RouteItemRow, ...] = ()


def route_values(session: Session, data: RouteInput, own_id: int | None) -> dict[str, object]:
    on_file = session.get(Route, own_id) if own_id is not None else None
    code = clean_code("route", "code", data.code, required=True, kept=on_file.code if on_file else None)
    name = clean_text("route", "name", data.name, max_length=100, required=True)
    clash = session.exec(select(Route.id).where(Route.code == code)).first()
    if clash is not None and clash != own_id:
        raise ValidationError(
            "record.duplicate",
            field="code",
            record="route",
            kind=messages.kind_label("route"),
            label=messages.field_label("code"),
            value=code,
        )
    days = non_negative("route", "days", data.days) or 0
    nights = non_negative("route", "nights", data.nights) or 0
    if days < 1:
        raise ValidationError(
            "field.required",
            field="days",
            kind=messages.kind_label("route"),
            label=messages.field_label("days"),
        )
    for item in data.items:
        if not 1 <= item.day_no <= days:
            raise ValidationError(
                "route.item_day", field="items", record="route", route=name, day=item.day_no, days=days
            )
    return {
        "code": code,
        "name": name,
        "theme": choice("route", "theme", data.theme, Theme.values()),
        "days": days,
        "nights": min(nights, days),
        "price_fen": non_negative("route", "price_fen", data.price_fen, required=False, maximum=10**9),
        "season": clean_text("route", "season", data.season, max_length=40),
        "description": clean_text("route", "description", data.description, max_length=2000, multiline=True),
    }


def _write_items(session: Session, route_id: int, items: tuple[RouteItemInput, ...]) -> None:
    session.exec(delete(RouteItem).where(col(RouteItem.route_id) == route_id))
    for seq, item in enumerate(items):
        session.add(
            RouteItem(
                route_id=route_id,
                day_no=item.day_no,
                seq=seq,
                time_of_day=clean_text("route", "time_of_day", item.time_of_day, max_length=20),
                kind=choice("route", "kind", item.kind, ItemKind.values()),
                activity=clean_text("route", "activity", item.activity, max_length=200),
                place=clean_text("route", "place", item.place, max_length=100),
                base_id=item.base_id,
            )
        )


def route_row(session: Session, r: Route, with_items: bool = True) -> RouteRow:
    assert r.id is not None
    items: tuple[RouteItemRow, ...] = ()
    if with_items:
        rows = session.exec(
            select(RouteItem)
            .where(RouteItem.route_id == r.id)
            .order_by(col(RouteItem.day_no), col(RouteItem.seq))
        ).all()
        items = tuple(
            RouteItemRow(i.day_no, i.seq, i.time_of_day, i.kind, i.activity, i.place, i.base_id) for i in rows
        )
    return RouteRow(
        r.id,
        r.code,
        r.name,
        r.theme,
        r.days,
        r.nights,
        r.price_fen,
        r.season,
        r.description,
        r.archived,
        r.version,
        items,
    )


def create_route(db: Database, data: RouteInput) -> RouteRow:
    """Add a route with its day plan; the code must be unique and every item within the route's days."""
    with db.session(write=True) as session:
        values = route_values(session, data, None)
        route = create_audited(session, db.user, Route(**values), str(values["name"]))  # type: ignore[arg-type]
        assert route.id is not None
        _write_items(session, route.id, data.items)
        session.flush()
        return route_row(session, route)


def get_route(db: Database, route_id: int) -> RouteRow:
    with db.session() as session:
        return route_row(session, get_or_raise(session, Route, route_id))


def list_routes(
    db: Database, search: str = "", *, include_archived: bool = False, with_items: bool = False
) -> list[RouteRow]:
    """The catalogue by code; ``with_items`` includes each route's day plan (one query for all)."""
    with db.session() as session:
        query = select(Route)
        if not include_archived:
            query = query.where(col(Route.archived).is_(False))
        if search:
            like = f"%{search.strip()}%"
            query = query.where(or_(col(Route.name).like(like), col(Route.code).like(like)))
        routes = session.exec(query.order_by(Route.code)).all()
        items: dict[int, list[RouteItemRow]] = {}
        if with_items:
            for i in session.exec(select(RouteItem).order_by(col(RouteItem.day_no), col(RouteItem.seq))):
                items.setdefault(i.route_id, []).append(
                    RouteItemRow(i.day_no, i.seq, i.time_of_day, i.kind, i.activity, i.place, i.base_id)
                )
        return [
            replace(route_row(session, r, with_items=False), items=tuple(items.get(r.id or 0, ())))
            for r in routes
        ]


def plan_of(items: Sequence[RouteItemInput | RouteItemRow]) -> list[tuple[object, ...]]:
    """A day plan as compared: what each item says, in order (a change to any of it is a new plan)."""
    return [(i.day_no, i.time_of_day, i.kind, i.activity, i.place, i.base_id) for i in items]


def update_route(db: Database, route_id: int, version: int, data: RouteInput) -> RouteRow:
    """Change a route and replace its day plan; batches keep their own copies of the plan."""
    with db.session(write=True) as session:
        values = route_values(session, data, route_id)
        before = route_row(session, get_or_raise(session, Route, route_id))
        old_items, new_items = plan_of(before.items), plan_of(data.items)
        plan_changed = old_items != new_items
        update_versioned(
            session, Route, route_id, version, values, db.user, str(values["name"]), force=plan_changed
        )
        if plan_changed:
            audit(
                session,
                db.user,
                "update",
                "route",
                route_id,
                str(values["name"]),
                "items",
                f"{len(old_items)} 项",
                f"{len(new_items)} 项",
            )
            _write_items(session, route_id, data.items)
        session.flush()
        return route_row(session, get_or_raise(session, Route, route_id))


def duplicate_route(db: Database, route_id: int, new_code: str, new_name: str) -> RouteRow:
    """A copy of a route with its day plan, under a new code: the start of a new product."""
    source = get_route(db, route_id)
    items = tuple(
        RouteItemInput(i.day_no, i.activity, i.kind, i.time_of_day, i.place, i.base_id) for i in source.items
    )
    return create_route(
        db,
        RouteInput(
            new_code,
            new_name,
            source.theme,
            source.days,
            source.nights,
            source.price_fen,
            source.season,
            source.description,
            items,
        ),
    )


def archive_route(db: Database, route_id: int, version: int, archived: bool = True) -> RouteRow:
    with db.session(write=True) as session:
        route = get_or_raise(session, Route, route_id)
        set_archived(session, Route, route_id, version, archived, db.user, route.name)
        return route_row(session, get_or_raise(session, Route, route_id))


def delete_route(db: Database, route_id: int, version: int) -> None:
    """Delete a route no batch uses; otherwise refused (archive it instead)."""
    with db.session(write=True) as session:
        route = get_or_raise(session, Route, route_id)
        dependents = {"batch": count_where(session, Batch.route_id, route_id)}
        if not dependents["batch"]:
            session.exec(delete(RouteItem).where(col(RouteItem.route_id) == route_id))
        delete_checked(session, Route, route_id, version, db.user, route.name, dependents)
