"""The documents of a batch and of a route: itinerary (行程单), manifest (名单), rooming list (分房表) with the
kitchens' meal counts, and the route brochure."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from recuperation import messages
from recuperation.documents.fonts import PdfFont, find_font, missing_characters
from recuperation.documents.pdf import Heading, build, grid, paragraph, styles
from recuperation.errors import ValidationError
from recuperation.labels import label
from recuperation.models import Base, Batch, Participant, Route, table_of
from recuperation.people import age_on, mask_in_text
from recuperation.services import identity
from recuperation.services import policy as policy_service
from recuperation.services.batch import rooms as room_service
from recuperation.services.batch.edit import BatchDetails, get_details, lodged_plan
from recuperation.services.routes import get_route
from recuperation.storage.database import Database


def _meal(kind: str) -> str:
    """The word a printed plan puts before a meal or a night (none before an activity); documents are Chinese."""
    return "" if kind == "activity" else label("item_kind", kind, "zh")


EMERGENCY = "报警 110 · 急救 120 · 火警 119 · 交通事故 122"


#: How many places with unprintable characters a note lists before it says how many there are in all.
MISSING_LISTED = 10


@dataclass(frozen=True)
class Unprintable:
    """Printed text with characters the font lacks: the person (their number on the manifest), the field, the
    text and those characters.  The note names each character by its code point (U+4DB6): a screen whose font
    lacks it too would show the character itself as a box, and 王□（□） tells nobody which one."""

    row: int
    field: str  # "name" or "employer"
    text: str
    characters: str

    def describe(self) -> str:
        return messages.text(
            "print.unprintable",
            row=self.row,
            field=messages.text(f"print.field.{self.field}"),
            text=self.text,
            codes=messages.join([f"U+{ord(c):04X}" for c in self.characters]),
        )


@dataclass
class DocumentResult:
    path: Path
    font: PdfFont
    missing: list[Unprintable] = field(default_factory=list)

    @property
    def embedded(self) -> bool:
        return self.font.embedded

    def check(self, row: int, texts: Iterable[tuple[str, str]]) -> None:
        """Note the person's printed texts ((field, text): "name", "employer") that have characters the font
        lacks; ``row`` is the person's number on the document."""
        for name, text in texts:
            lacking = missing_characters(self.font, text or "")
            if lacking:
                self.missing.append(Unprintable(row, name, text, lacking))

    def missing_note(self) -> str:
        """The sentence that names what prints as blanks (empty when everything prints)."""
        if not self.missing:
            return ""
        places = [u.describe() for u in self.missing[:MISSING_LISTED]]
        if len(self.missing) > MISSING_LISTED:
            places.append(messages.text("print.missing_more", count=len(self.missing)))
        return messages.text("print.missing_chars", places=messages.join_clauses(places))


def fit(text: str, width: int, style: Any) -> Any:
    """Plain text when it fits the column (fast), a wrapping paragraph when it does not."""
    return text if len(text) <= width else paragraph(text, style)


def date_text(day: dt.date) -> str:
    """A day as documents print it: 2021年5月10日 (documents are Chinese)."""
    return messages.day_text(day, language="zh")


def batch_details(db: Database, code: str) -> tuple[BatchDetails, str, str]:
    """The batch of ``code`` (batch.unknown_code when there is none), the union's name and its address."""
    with db.session() as session:
        batch = session.exec(select(Batch).where(Batch.code == code.strip())).first()
        if batch is None:
            raise ValidationError("batch.unknown_code", field="batch", code=code)
        batch_id = batch.id or 0
        policy = policy_service.load_policy(session)
    return get_details(db, batch_id, with_findings=False), policy.union_name, policy.union_address


def batch_facts(details: BatchDetails) -> list[tuple[str, str]]:
    """The batch's facts a document heads with, as (label, value): partner, kind, route, dates, people, leader,
    guide and coach."""
    b = details.batch
    return [
        ("合作单位", b.partner),
        ("类型", label("batch_kind", b.kind, "zh")),
        ("线路", b.route or "—"),
        ("日期", f"{date_text(b.arrival)} 至 {date_text(b.departure)}（{b.days} 天）"),
        ("人数", f"{b.people} 人"),
        ("领队", f"{b.leader} {b.leader_phone}".strip() or "—"),
        ("导游", b.guide or "—"),
        ("车辆", b.vehicle or "—"),
    ]


def fact_table(facts: list[tuple[str, str]], font: PdfFont) -> Any:
    """Label / value pairs as a two-column table, a pair a row."""
    st = styles(font)
    rows = [[paragraph(k, st.cell), paragraph(v, st.cell)] for k, v in facts]
    return grid(rows, [30 * mm, 144 * mm], font, header_rows=0, zebra=False)


def print_itinerary(db: Database, code: str, path: Path, font: PdfFont | None = None) -> DocumentResult:
    """行程单: the group's facts, the day-by-day plan, each base's contacts, emergency numbers and notes."""
    font = font or find_font()
    st = styles(font)
    details, union, address = batch_details(db, code)
    b = details.batch
    story: list[Any] = [
        paragraph(f"{b.partner}职工疗休养行程单", st.title),
        fact_table(batch_facts(details), font),
    ]
    story.append(paragraph("日程安排", st.section))
    plan = lodged_plan(db, details)  # the night's base as the rooming list and the meal counts have it
    rows: list[list[Any]] = [["日期", "时间", "安排", "地点", "用餐 / 住宿"]]
    for item in plan.itinerary:
        meal = _meal(item.kind)
        base = item.base
        night = plan.nights.get(item.on_date)
        if item.kind == "lodging" and night is not None and not night.agrees:
            base = "、".join(night.names)  # a night split over several bases names them all
        where = f"{meal}：{base}" if meal and base else meal
        rows.append(
            [
                paragraph(date_text(item.on_date), st.cell),
                paragraph(item.time_of_day, st.cell),
                paragraph(item.activity, st.cell),
                paragraph(item.place, st.cell),
                paragraph(where, st.cell),
            ]
        )
    if len(rows) == 1:
        day = b.arrival
        while day <= b.departure:
            rows.append(
                [
                    paragraph(date_text(day), st.cell),
                    "",
                    "",
                    "",
                    paragraph(
                        f"住宿：{'、'.join(plan.nights[day].names)}" if day in plan.nights else "", st.cell
                    ),
                ]
            )
            day += dt.timedelta(days=1)
    story.append(grid(rows, [28 * mm, 16 * mm, 62 * mm, 30 * mm, 38 * mm], font))
    with db.session() as session:
        names = sorted(
            {name for night in plan.nights.values() for name in night.names}
            | {i.base for i in plan.itinerary if i.base}
        )
        bases = session.exec(select(Base).where(col(Base.name).in_(names))).all() if names else []
        contacts = [[b_.name, b_.address, b_.contact_name, b_.contact_phone] for b_ in bases]
    if contacts:
        story.append(paragraph("基地联系方式", st.section))
        story.append(
            grid(
                [
                    ["基地", "地址", "联系人", "电话"],
                    *[[paragraph(c, st.cell) for c in row] for row in contacts],
                ],
                [46 * mm, 62 * mm, 26 * mm, 40 * mm],
                font,
            )
        )
    story.append(paragraph("紧急联系", st.section))
    story.append(paragraph(EMERGENCY + (f"　{union}：{address}" if address else f"　{union}"), st.body))
    story.append(paragraph("注意事项", st.section))
    story.append(
        paragraph(
            b.notes or "请遵守作息时间，集体活动不擅自离队；如有身体不适请及时告知领队和导游。", st.body
        )
    )
    build(path, Heading(union, "行程单", b.code, dt.date.today()), story, font)
    return DocumentResult(path, font)


def roster_rows(db: Database, batch_id: int) -> list[Any]:
    """The roster as plain rows in roster order (as entered), Core, not ORM objects: a 200-person manifest
    should not wait on them.  Without the full numbers (``id_masked`` and ``phone_masked`` stand for them; a
    document with full numbers reads them through services/identity.full_numbers)."""
    from recuperation.storage.person_keys import PROTECTED_COLUMNS

    table = table_of(Participant)
    shown = [c for c in table.c if c.name not in PROTECTED_COLUMNS]
    with db.engine.connect() as conn:
        return list(
            conn.execute(sa_select(*shown).where(table.c.batch_id == batch_id).order_by(table.c.id)).all()
        )


def print_manifest(
    db: Database, code: str, path: Path, *, full_ids: bool = False, font: PdfFont | None = None
) -> DocumentResult:
    """名单: every person with number, name, sex, age, ID number, phone, employer and room; header row on every
    page; totals by sex; a signature line.  ID numbers and phones are masked unless ``full_ids`` (for the
    insurer), which is recorded in the audit log."""
    font = font or find_font()
    st = styles(font)
    details, union, _address = batch_details(db, code)
    b = details.batch
    people = roster_rows(db, b.id)
    full: dict[int, tuple[str, str]] = {}
    if full_ids:  # read whole with the right, and recorded in the audit log in the same transaction
        with db.session(write=True) as session:
            full = identity.full_numbers(db, session, b.id, "print", f"名单 {len(people)} 人")
    result = DocumentResult(path, font)
    rows: list[list[Any]] = [["序号", "姓名", "性别", "年龄", "身份证号", "手机", "单位", "房间"]]
    for i, p in enumerate(people, start=1):
        employer = p.employer if full_ids else mask_in_text(p.employer)
        result.check(i, (("name", p.name), ("employer", employer)))
        rows.append(
            [
                str(i),
                fit(f"{p.name}（家属）" if p.companion else p.name, 5, st.cell),
                label("sex", p.sex, "zh"),
                str(age_on(p.birth_date, b.arrival)) if p.birth_date else "",
                full.get(p.id, (p.id_masked, ""))[0] if full_ids else p.id_masked,
                full.get(p.id, ("", p.phone_masked))[1] if full_ids else p.phone_masked,
                fit(employer, 11, st.cell),
                p.room if full_ids else mask_in_text(p.room),
            ]
        )
    men = sum(1 for p in people if p.sex == "M")
    women = sum(1 for p in people if p.sex == "F")
    story: list[Any] = [
        paragraph(f"{b.partner}职工疗休养人员名单", st.title),
        fact_table(batch_facts(details)[:4], font),
        Spacer(1, 4 * mm),
        grid(rows, [11 * mm, 20 * mm, 10 * mm, 10 * mm, 40 * mm, 27 * mm, 40 * mm, 16 * mm], font),
        Spacer(1, 3 * mm),
        paragraph(
            f"合计 {len(people)} 人：男 {men} 人，女 {women} 人。"
            + (
                f"其中随行家属 {companions} 人（自费，标“家属”，不计人次）。"
                if (companions := sum(1 for p in people if p.companion))
                else ""
            ),
            st.body,
        ),
        Spacer(1, 12 * mm),
        paragraph(
            "领队签字：____________　　　　经办人签字：____________　　　　日期：____年__月__日", st.body
        ),
    ]
    build(path, Heading(union, "名单", b.code, dt.date.today()), story, font)
    return result


def print_rooming(db: Database, code: str, path: Path, font: PdfFont | None = None) -> DocumentResult:
    """分房表 per base with each room's people, then the meal counts per day for each kitchen."""
    font = font or find_font()
    st = styles(font)
    details, union, _address = batch_details(db, code)
    b = details.batch
    people = roster_rows(db, b.id)  # each room's people in roster order
    rooms: dict[str, list[Any]] = defaultdict(list)
    for p in people:
        rooms[p.room or "未分房"].append(p)
    plan = lodged_plan(db, details)  # the night's base as the itinerary and the meal counts have it
    nights_at: dict[str, list[dt.date]] = defaultdict(list)
    for night in plan.nights.values():
        for name in night.names:
            nights_at[name].append(night.night)
    bases = sorted(nights_at) or ["—"]
    story: list[Any] = [paragraph(f"{b.partner}分房表", st.title), fact_table(batch_facts(details)[:4], font)]
    if not any(p.room for p in people):
        story.append(
            paragraph("本批次尚未分房：请先在“批次 → 分房与用餐”中自动分房，或在名单中填写房间。", st.section)
        )
        bases = []
    for base in bases:
        nights = nights_at.get(base, [])
        when = "、".join(f"{n.month}月{n.day}日" for n in nights)
        story.append(paragraph(f"{base}（{when}晚）" if nights else base, st.section))
        rows: list[list[Any]] = [["房间", "入住人员", "性别", "单位"]]
        for room, members in sorted(rooms.items()):
            rows.append(
                [
                    room,
                    paragraph("、".join(m.name for m in members), st.cell),
                    "/".join(sorted({label("sex", m.sex, "zh") for m in members})),
                    paragraph("、".join(sorted({m.employer for m in members if m.employer})), st.cell),
                ]
            )
        if b.guide:
            rows.append(["导游", paragraph(b.guide, st.cell), "", ""])
        if b.vehicle:
            rows.append(["司机", paragraph(f"（{b.vehicle}）", st.cell), "", ""])
        story.append(grid(rows, [22 * mm, 80 * mm, 16 * mm, 56 * mm], font))
    meals = room_service.meal_counts(db, b.id)
    if meals:
        story.append(paragraph("用餐人数（供厨房）", st.section))
        story.append(
            grid(
                [
                    ["日期", "餐次", "基地", "人数"],
                    *[
                        [date_text(m.day), _meal(m.meal), paragraph(m.base, st.cell), str(m.people)]
                        for m in meals
                    ],
                ],
                [34 * mm, 20 * mm, 90 * mm, 30 * mm],
                font,
            )
        )
    build(path, Heading(union, "分房表", b.code, dt.date.today()), story, font)
    return DocumentResult(path, font)


def print_route(db: Database, code: str, path: Path, font: PdfFont | None = None) -> DocumentResult:
    """The brochure of a catalogue route: theme, days, price, season, description and the day plan."""
    font = font or find_font()
    st = styles(font)
    with db.session() as session:
        route = session.exec(select(Route).where(Route.code == code.strip())).first()
        if route is None:
            raise ValidationError("route.unknown_code", field="route", code=code)
        route_id = route.id or 0
        union = policy_service.load_policy(session).union_name
        base_names = {b.id: b.name for b in session.exec(select(Base)).all()}
    r = get_route(db, route_id)
    price = f"{r.price_fen / 100:,.0f} 元/人" if r.price_fen else "面议"
    facts = [
        ("主题", label("theme", r.theme, "zh")),
        ("行程", f"{r.days} 天 {r.nights} 晚"),
        ("价格", price),
        ("适用季节", r.season or "全年"),
    ]
    story: list[Any] = [
        paragraph(r.name, st.title),
        fact_table(facts, font),
        Spacer(1, 3 * mm),
        paragraph(r.description, st.body),
        paragraph("日程安排", st.section),
    ]
    rows: list[list[Any]] = [["第几天", "时间", "安排", "地点", "用餐 / 住宿"]]
    for item in r.items:
        meal = _meal(item.kind)
        base = base_names.get(item.base_id, "") if item.base_id else ""
        rows.append(
            [
                f"第 {item.day_no} 天",
                paragraph(item.time_of_day, st.cell),
                paragraph(item.activity, st.cell),
                paragraph(item.place, st.cell),
                paragraph(f"{meal}：{base}" if meal and base else meal, st.cell),
            ]
        )
    story.append(grid(rows, [18 * mm, 16 * mm, 70 * mm, 32 * mm, 38 * mm], font))
    build(path, Heading(union, "线路介绍", r.code, dt.date.today()), story, font)
    return DocumentResult(path, font)
