"""Workbooks for partners and for the office (XlsxWriter): a batch's roster to begin with.

Text is always written as text (ID numbers and phones keep every digit; a value that begins with = + - @
stays a value, never a formula).  ID numbers are masked unless the user asks for the full numbers, and that
choice is recorded in the audit log.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy import case, func, select
from sqlmodel import col

from recuperation import messages
from recuperation.errors import ValidationError
from recuperation.labels import label
from recuperation.models import Batch, Participant, Partner, table_of
from recuperation.people import mask_in_text
from recuperation.private_files import private_output, private_scratch
from recuperation.services import identity
from recuperation.services.register_cells import label_of
from recuperation.storage.database import Database

ROSTER_HEADERS = (
    "序号",
    "姓名",
    "性别",
    "身份证号",
    "手机号码",
    "工作单位",
    "部门",
    "职工类别",
    "劳模",
    "饮食禁忌",
    "健康状况",
    "紧急联系人",
    "房间",
    "备注",
    "随行家属",  # a family member at their own cost: read back by the roster import
)
WIDTHS = (6, 10, 6, 22, 15, 28, 16, 12, 6, 14, 14, 16, 8, 20, 8)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def export_roster(db: Database, batch_code: str, path: Path, *, full_ids: bool = False) -> ExportResult:
    """Write a batch's roster to ``path``; the roster import reads a full-ID export back with no change."""
    with db.session(write=full_ids) as session:
        row = session.execute(
            select(Batch, col(Partner.name))
            .join(Partner, col(Partner.id) == Batch.partner_id)
            .where(col(Batch.code) == batch_code.strip())
        ).first()
        if row is None:
            raise ValidationError("batch.unknown_code", field="batch", code=batch_code)
        batch, partner = row
        people = (
            session.execute(
                select(Participant).where(col(Participant.batch_id) == batch.id).order_by(col(Participant.id))
            )
            .scalars()
            .all()
        )
        code, arrival, departure = batch.code, batch.arrival, batch.departure
        full: dict[int, tuple[str, str]] = {}
        if full_ids:  # read whole with the right, and recorded in the audit log in the same transaction
            detail = f"{len(people)} 人 → {path.name}"
            full = identity.full_numbers(db, session, batch.id, "export", detail)
        lines = [
            (
                p.name,
                p.sex,
                *(full.get(p.id, ("", "")) if full_ids else (p.id_masked, p.phone_masked)),
                p.employer,
                p.department,
                p.category,
                p.model_worker,
                p.diet,
                p.health,
                p.emergency_contact,
                p.room,
                p.notes,
                p.companion,
            )
            for p in people
        ]
    with private_output(path) as temp, private_scratch() as scratch:
        book = xlsxwriter.Workbook(
            str(temp), {"strings_to_formulas": False, "strings_to_numbers": False, "tmpdir": scratch}
        )
        try:
            sheet = book.add_worksheet("名单")
            title = book.add_format({"bold": True, "font_size": 14})
            head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
            text = book.add_format({"num_format": "@", "border": 1})
            number = book.add_format({"num_format": "0", "border": 1})
            sheet.write_string(
                0,
                0,
                f"{partner} {code} 名单（{arrival.isoformat()} 至 {departure.isoformat()}）",
                title,
            )
            for c, (header, width) in enumerate(zip(ROSTER_HEADERS, WIDTHS, strict=True)):
                sheet.write_string(1, c, header, head)
                sheet.set_column(c, c, width, text)
            sheet.freeze_panes(2, 0)
            for i, line in enumerate(lines, start=1):
                name, sex, id_number, phone, *rest, model, diet, health, emergency, room, notes, companion = (
                    line
                )
                values = [
                    str(i),
                    name,
                    label("sex", sex, "zh"),
                    id_number,
                    phone,
                    *rest,
                    "是" if model else "",
                    diet,
                    health,
                    emergency,
                    room,
                    notes,
                    "是" if companion else "",
                ]
                if not full_ids:  # a number typed into 紧急联系人, 备注 or any free text is masked too
                    values[5:] = [mask_in_text(str(v)) for v in values[5:]]
                sheet.write_number(i + 1, 0, i, number)  # 序号 a number, not a digit string
                for c, value in enumerate(values[1:], start=1):
                    sheet.write_string(i + 1, c, str(value), text)
            sheet.autofilter(1, 0, max(len(lines) + 1, 1), len(ROSTER_HEADERS) - 1)
        finally:
            book.close()
    return ExportResult(path, len(lines))


#: A partner's year's roster sheets: 随行家属 written as the roster export writes it (是 or empty), so that the
#: sheet imports back as the batch's roster with no change.
PARTNER_SHEET_HEADERS = (
    "序号",
    "姓名",
    "性别",
    "身份证号",
    "手机号码",
    "部门",
    "职工类别",
    "房间",
    "随行家属",
)
PARTNER_SHEET_WIDTHS = (6, 10, 6, 22, 15, 18, 12, 8, 8)
#: Beside a batch in the year's workbooks: 名单人数 counts the roster's members (the union's 人次), 随行家属 the
#: family members beside them, 实到人数 the members who came — only for a completed recuperation batch whose
#: roll call is closed (empty otherwise: not known yet).
ATTENDED_NOTE = (
    "注：名单人数不含随行家属；"
    "实到人数只列已完成且已结束报到的疗休养批次（含提前离开的，不含未到的），其余留空。"
)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
#: Characters a sheet name never holds: XlsxWriter writes the name into workbook.xml as it is, and a NUL or
#: ESC there makes a file Excel repairs and LibreOffice cannot open; bidi and zero-width characters would
#: make a tab read as another batch's code.
_INVISIBLE_SHEET_CHARS = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufffe\uffff]"
)


def sheet_name(wanted: str, used: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\ nor any control, bidi or
    zero-width character, not blank, not taken."""
    visible = _INVISIBLE_SHEET_CHARS.sub("", wanted)
    base = _BAD_SHEET_CHARS.sub("_", visible).strip("' ") or "Sheet"
    base = base[:31]
    name, n = base, 1
    while name.lower() in {u.lower() for u in used}:
        n += 1
        suffix = f"({n})"
        name = base[: 31 - len(suffix)] + suffix
    used.add(name)
    return name


def _formats(book: Any) -> dict[str, Any]:
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "head": book.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        ),
        "text": book.add_format({"num_format": "@", "border": 1}),
        "date": book.add_format({"num_format": "yyyy-mm-dd", "border": 1}),
        "int": book.add_format({"num_format": "#,##0", "border": 1}),
        "decimal": book.add_format({"num_format": "#,##0.00", "border": 1}),  # 1,126.75 (yuan and fen)
        "number": book.add_format({"num_format": "0", "border": 1}),
        "percent": book.add_format({"num_format": "0.0%", "border": 1}),
        "total": book.add_format({"bold": True, "num_format": "#,##0", "border": 1, "top": 2}),
        "total_label": book.add_format({"bold": True, "border": 1, "top": 2}),
    }


def _text(sheet: Any, row: int, col: int, value: object, fmt: Any) -> None:
    """Always text: an ID number keeps its digits and '=1+1' stays a value, never a formula."""
    sheet.write_string(row, col, "" if value is None else str(value), fmt)


@dataclass(frozen=True)
class _YearLine:
    """A batch's roster figures in a year's workbook: 名单人数 (members), 随行家属, 实到人数 (None: unknown)."""

    members: int
    companions: int
    attended: int | None

    @classmethod
    def of(cls, people: list[Any], figures: Any) -> _YearLine:
        companions = sum(1 for row in people if row.companion)
        return cls(len(people) - companions, companions, _attended(figures))

    def write(self, sheet: Any, row: int, f: dict[str, Any], *, at: tuple[int, int, int]) -> None:
        """名单人数, 随行家属 and 实到人数 in the columns ``at`` (实到人数 left empty where not known)."""
        members, companions, attended = at
        sheet.write_number(row, members, self.members, f["int"])
        sheet.write_number(row, companions, self.companions, f["int"])
        if self.attended is None:
            sheet.write_blank(row, attended, None, f["int"])
        else:
            sheet.write_number(row, attended, self.attended, f["int"])

    @staticmethod
    def write_totals(
        lines: list[_YearLine], sheet: Any, row: int, f: dict[str, Any], *, at: tuple[int, int, int]
    ) -> None:
        """The totals of the lines' three columns: each the sum of its lines (an empty 实到人数 adds nothing)."""
        members, companions, attended = at
        sheet.write_number(row, members, sum(line.members for line in lines), f["total"])
        sheet.write_number(row, companions, sum(line.companions for line in lines), f["total"])
        sheet.write_number(row, attended, sum(line.attended or 0 for line in lines), f["total"])


def _attended(figures: Any) -> int | None:
    """A batch's attended people where its roll call is closed (see ``batch_attendance``), else None."""
    return figures.attended_people if figures is not None and figures.closed_batches else None


def _roster_counts(db: Database, batch_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Each batch's roster as (members, companions), in one grouped query per 500 batches."""
    p = table_of(Participant).c
    companion = func.sum(case((p.companion == True, 1), else_=0))  # noqa: E712 (SQL)
    counts: dict[int, tuple[int, int]] = {}
    with db.engine.connect() as conn:
        for start in range(0, len(batch_ids), 500):
            for batch_id, n, companions in conn.execute(
                select(p.batch_id, func.count(), companion)
                .where(p.batch_id.in_(batch_ids[start : start + 500]))
                .group_by(p.batch_id)
            ):
                counts[batch_id] = (int(n) - int(companions or 0), int(companions or 0))
    return counts


def export_partner_year(
    db: Database, partner_name: str, year: int, path: Path, *, full_ids: bool = False
) -> ExportResult:
    """A partner's year: a summary sheet (each batch with dates, route, bases, headcount, its roster's members
    and companions, and who came where the roll call is closed; the agreements' quotas and fulfilment) and one
    sheet per batch with its roster (which imports back as that batch's roster)."""
    from recuperation.services.batch.batches import list_batches
    from recuperation.services.partners import find_partner, list_agreements
    from recuperation.services.statistics import Period, batch_attendance

    partner = find_partner(db, partner_name)
    if partner is None:
        raise ValidationError(
            "record.not_found",
            field="partner",
            record="partner",
            kind=messages.kind_label("partner"),
            key=messages.shown(partner_name),
        )
    batches = [b for b in list_batches(db, year=year, partner=partner.name) if b.status != "cancelled"]
    agreements = [
        a
        for a in list_agreements(db, partner.id, year=year)
        if a.valid_from <= dt.date(year, 12, 31) and a.valid_to >= dt.date(year, 1, 1)
    ]
    participant = table_of(Participant)
    with db.engine.connect() as conn:
        people: dict[int, list[Any]] = {}
        ids = [b.id for b in batches]
        for start in range(0, len(ids), 500):
            for row in conn.execute(
                select(
                    participant.c.batch_id,
                    participant.c.name,
                    participant.c.sex,
                    participant.c.birth_date,
                    participant.c.id_masked,
                    participant.c.phone_masked,
                    participant.c.department,
                    participant.c.category,
                    participant.c.room,
                    participant.c.companion,
                    participant.c.id,
                )
                .where(participant.c.batch_id.in_(ids[start : start + 500]))
                .order_by(participant.c.batch_id, participant.c.id)
            ):
                people.setdefault(row[0], []).append(row)
    attended = batch_attendance(db, Period.year(year), partner_id=partner.id)
    lines = [_YearLine.of(people.get(b.id, []), attended.get(b.id)) for b in batches]
    full: dict[int, tuple[str, str]] = {}
    if full_ids:  # read whole with the right, recorded in the audit log (on the partner) with the reading
        with db.session(write=True) as session:
            detail = f"{year} 年 {sum(len(v) for v in people.values())} 人 → {path.name}"
            full = identity.full_numbers(db, session, [b.id for b in batches], "export", detail)
    with private_output(path) as temp, private_scratch() as scratch:
        book = xlsxwriter.Workbook(
            str(temp),
            {
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "constant_memory": True,
                "tmpdir": scratch,
            },
        )
        total_rows = 0
        try:
            f = _formats(book)
            used: set[str] = set()
            summary = book.add_worksheet(sheet_name("汇总", used))
            _text(summary, 0, 0, f"{partner.name} {year} 年职工疗休养情况", f["title"])
            heads = (
                "批次编号",
                "类型",
                "线路",
                "到达",
                "离开",
                "天数",
                "住宿基地",
                "计划人数",
                "名单人数",
                "随行家属",
                "实到人数",
                "状态",
            )
            widths = (14, 8, 26, 12, 12, 6, 30, 10, 10, 10, 10, 8)
            for c, (h, w) in enumerate(zip(heads, widths, strict=True)):
                summary.write_string(2, c, h, f["head"])
                summary.set_column(c, c, w)
            summary.freeze_panes(3, 0)
            r = 3
            for b, line in zip(batches, lines, strict=True):
                _text(summary, r, 0, b.code, f["text"])
                _text(summary, r, 1, label_of("batch_kind", b.kind), f["text"])
                _text(summary, r, 2, b.route, f["text"])
                summary.write_datetime(r, 3, dt.datetime.combine(b.arrival, dt.time()), f["date"])
                summary.write_datetime(r, 4, dt.datetime.combine(b.departure, dt.time()), f["date"])
                summary.write_number(r, 5, b.days, f["int"])
                _text(summary, r, 6, "、".join(b.bases), f["text"])
                summary.write_number(r, 7, b.headcount, f["int"])
                line.write(summary, r, f, at=(8, 9, 10))
                _text(summary, r, 11, label_of("status", b.status), f["text"])
                r += 1
            summary.write_string(r, 0, "合计", f["total_label"])
            summary.write_number(r, 1, len(batches), f["total"])
            summary.write_number(r, 7, sum(b.headcount for b in batches), f["total"])
            _YearLine.write_totals(lines, summary, r, f, at=(8, 9, 10))
            _text(summary, r + 1, 0, ATTENDED_NOTE, None)
            r += 3
            for c, h in enumerate(
                (
                    "协议编号",
                    "有效期起",
                    "有效期至",
                    "年度批次配额",
                    "已完成批次",
                    "年度人数配额",
                    "已完成人数",
                )
            ):
                summary.write_string(r, c, h, f["head"])
            for a in agreements:
                r += 1
                _text(summary, r, 0, a.number, f["text"])
                summary.write_datetime(r, 1, dt.datetime.combine(a.valid_from, dt.time()), f["date"])
                summary.write_datetime(r, 2, dt.datetime.combine(a.valid_to, dt.time()), f["date"])
                for c, value in (
                    (3, a.quota_batches),
                    (4, a.used_batches),
                    (5, a.quota_people),
                    (6, a.used_people),
                ):
                    if value is None:
                        _text(summary, r, c, "不限", f["text"])
                    else:
                        summary.write_number(r, c, value, f["int"])
            for b in batches:
                sheet = book.add_worksheet(sheet_name(f"{b.code} {b.arrival.month}月{b.arrival.day}日", used))
                _text(
                    sheet,
                    0,
                    0,
                    f"{partner.name} {b.code} 名单（{b.arrival.isoformat()} 至 {b.departure.isoformat()}）",
                    f["title"],
                )
                for c, (h, w) in enumerate(zip(PARTNER_SHEET_HEADERS, PARTNER_SHEET_WIDTHS, strict=True)):
                    sheet.write_string(1, c, h, f["head"])
                    sheet.set_column(c, c, w)
                sheet.freeze_panes(2, 0)
                for i, (
                    _bid,
                    name,
                    sex,
                    _birth,
                    number,
                    phone,
                    department,
                    category,
                    room,
                    companion,
                    person_id,
                ) in enumerate(people.get(b.id, []), start=1):
                    number, phone = full.get(person_id, (number, "")) if full_ids else (number, phone)
                    values = (
                        str(i),
                        name,
                        label("sex", sex, "zh"),
                        number,
                        phone,
                        department if full_ids else mask_in_text(department),
                        category if full_ids else mask_in_text(category),
                        room if full_ids else mask_in_text(room),
                        "是" if companion else "",  # as the roster export writes it, as the import reads it
                    )
                    sheet.write_number(i + 1, 0, i, f["number"])
                    for c, value in enumerate(values[1:], start=1):
                        _text(sheet, i + 1, c, value, f["text"])
                    total_rows += 1
        finally:
            book.close()
    return ExportResult(path, total_rows)


def export_batches_year(db: Database, year: int, path: Path) -> ExportResult:
    """The year's batch list, one row per batch (its roster's members and companions, who came where the roll
    call is closed), with totals over the batches not cancelled."""
    from recuperation.services.batch.batches import list_batches
    from recuperation.services.statistics import Period, batch_attendance

    batches = list_batches(db, year=year)
    counts = _roster_counts(db, [b.id for b in batches])
    attended = batch_attendance(db, Period.year(year))
    lines = [_YearLine(*counts.get(b.id, (0, 0)), _attended(attended.get(b.id))) for b in batches]
    with private_output(path) as temp, private_scratch() as scratch:
        book = xlsxwriter.Workbook(
            str(temp), {"strings_to_formulas": False, "strings_to_numbers": False, "tmpdir": scratch}
        )
        try:
            f = _formats(book)
            sheet = book.add_worksheet(f"{year}年批次")
            _text(sheet, 0, 0, f"{year} 年批次一览", f["title"])
            heads = (
                "批次编号",
                "类型",
                "合作单位",
                "线路",
                "到达",
                "离开",
                "天数",
                "计划人数",
                "名单人数",
                "状态",  # where it always was: 状态 and the columns before it keep their places
                "随行家属",
                "实到人数",
                "领队",
                "导游",
                "车辆",
            )
            widths = (14, 8, 26, 24, 12, 12, 6, 10, 10, 8, 10, 10, 10, 10, 12)
            for c, (h, w) in enumerate(zip(heads, widths, strict=True)):
                sheet.write_string(1, c, h, f["head"])
                sheet.set_column(c, c, w)
            # what the partner's workbook says under its table, here a note on the headers (the sheet ends
            # with its totals)
            sheet.write_comment(1, 8, ATTENDED_NOTE)
            sheet.write_comment(1, 11, ATTENDED_NOTE)
            sheet.freeze_panes(2, 0)
            r = 2
            for b, line in zip(batches, lines, strict=True):
                for c, value in (
                    (0, b.code),
                    (1, label_of("batch_kind", b.kind)),
                    (2, b.partner),
                    (3, b.route),
                ):
                    _text(sheet, r, c, value, f["text"])
                sheet.write_datetime(r, 4, dt.datetime.combine(b.arrival, dt.time()), f["date"])
                sheet.write_datetime(r, 5, dt.datetime.combine(b.departure, dt.time()), f["date"])
                sheet.write_number(r, 6, b.days, f["int"])
                sheet.write_number(r, 7, b.headcount, f["int"])
                line.write(sheet, r, f, at=(8, 10, 11))
                for c, value in (
                    (9, label_of("status", b.status)),
                    (12, b.leader),
                    (13, b.guide),
                    (14, b.vehicle),
                ):
                    _text(sheet, r, c, value, f["text"])
                r += 1
            counted = [(b, line) for b, line in zip(batches, lines, strict=True) if b.status != "cancelled"]
            sheet.write_string(r, 0, "合计（不含已取消）", f["total_label"])
            sheet.write_number(r, 1, len(counted), f["total"])
            sheet.write_number(r, 7, sum(b.headcount for b, _ in counted), f["total"])
            _YearLine.write_totals([line for _, line in counted], sheet, r, f, at=(8, 10, 11))
            sheet.autofilter(1, 0, max(r - 1, 1), len(heads) - 1)
        finally:
            book.close()
    return ExportResult(path, len(batches))


#: Planned against attended, as the statistics page shows them: attended is known for a completed recuperation
#: batch whose roll call is closed, and is the planned figure for every other batch (see
#: :class:`recuperation.services.statistics.AttendanceFigures`); 差额 = 计划 − 实到.
ATTENDED_HEADS = ("计划人次", "实到人次", "人次差额", "计划人天", "实到人天", "人天差额")


def _planned_attended(figures: Any) -> tuple[object, ...]:
    """The six figures of :data:`ATTENDED_HEADS` (empty cells when there are none)."""
    if figures is None:
        return ("",) * len(ATTENDED_HEADS)
    return (
        figures.planned_people,
        figures.attended_people,
        figures.difference_people,
        figures.planned_person_days,
        figures.attended_person_days,
        figures.difference_person_days,
    )


#: The columns of a money table (:class:`recuperation.services.money_stats.MoneyLine`), amounts in yuan.
MONEY_HEADS = (
    "批次",
    "团员人天",
    "费用（元）",
    "团员费用（元）",
    "随行家属自费（元）",
    "每人天费用（元）",
    "缺少价格（项）",
)
#: The columns of the bases' invoices against payments (:class:`recuperation.services.money_stats.PaidLine`).
PAID_HEADS = (
    "发票（张）",
    "已开票（元）",
    "已付款（元）",
    "待审批未付（元）",
    "已审批未付（元）",
    "未付合计（元）",
    "已完成未开票（项）",
    "未开票费用（元）",
)


def _money_sheet(book: Any, f: dict[str, Any], used: set[str], money: Any) -> int:
    """费用: the period's money figures (recuperation/services/money_stats.py) as one sheet of blocks — the
    totals, each table with its 合计 (the sum of its lines), the bases' invoices against their payments.
    Amounts are numbers of yuan shown ``#,##0.00``; a per-person-day without person-days is left empty.
    Returns the number of lines written (the tables' and the bases')."""
    from recuperation.money import yuan_number

    sheet = book.add_worksheet(sheet_name("费用", used))
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 9, 15)
    _text(sheet, 0, 0, f"费用（{money.start.isoformat()} 至 {money.end.isoformat()}）", f["title"])
    total_money = book.add_format({"bold": True, "num_format": "#,##0.00", "border": 1, "top": 2})

    def amount(r: int, c: int, fen: int | None, total: bool = False) -> None:
        if fen is None:
            sheet.write_blank(r, c, None, total_money if total else f["decimal"])
        else:
            sheet.write_number(r, c, yuan_number(fen), total_money if total else f["decimal"])

    def line_cells(r: int, line: Any, total: bool = False, counts: bool = True) -> None:
        """A line's cells; without ``counts`` (the bases' 合计) the batches and the person-days stay empty."""
        whole = f["total"] if total else f["int"]
        for c, value in ((1, line.batches), (2, line.person_days)):
            if counts:
                sheet.write_number(r, c, value, whole)
            else:
                sheet.write_blank(r, c, None, whole)
        amount(r, 3, line.cost_fen, total)
        amount(r, 4, line.member_cost_fen, total)
        amount(r, 5, line.companion_cost_fen, total)
        amount(r, 6, line.per_person_day_fen if counts else None, total)
        sheet.write_number(r, 7, line.incomplete, whole)

    total = money.total
    sources = {s.source: s for s in money.sources}
    facts: list[tuple[str, int | None, str]] = [
        ("费用合计（元）", total.cost_fen, "fen"),
        ("团员费用（元）", total.member_cost_fen, "fen"),
        ("随行家属自费（元）", total.companion_cost_fen, "fen"),
        ("团员人天", total.person_days, "int"),
        ("每人天费用（元）", total.per_person_day_fen, "fen"),
        ("按已审批发票（项）", sources["invoice"].costs, "int"),
        ("按已审批发票（元）", sources["invoice"].fen, "fen"),
        ("按报到计算（项）", sources["actual"].costs, "int"),
        ("按报到计算（元）", sources["actual"].fen, "fen"),
        ("按计划计算（项）", sources["planned"].costs, "int"),
        ("按计划计算（元）", sources["planned"].fen, "fen"),
        ("缺少价格的费用（项）", len(money.gaps), "int"),
        ("未安排基地的批次", len(money.no_base), "int"),
    ]
    r, written = 2, 0
    sheet.write_string(r, 0, "项目", f["head"])
    sheet.write_string(r, 1, "数值", f["head"])
    for name, value, kind in facts:
        r += 1
        _text(sheet, r, 0, name, f["text"])
        if kind == "fen":
            amount(r, 1, value)
        else:
            sheet.write_number(r, 1, value, f["int"])
    for title, lines, first in (
        ("按合作单位", money.by_partner, "合作单位"),
        ("按基地", money.by_base, "基地"),
        ("按线路", money.by_route, "线路"),
        ("按月份", money.by_month, "月份"),
        ("按类型", money.by_kind, "类型"),
    ):
        r += 2
        _text(sheet, r, 0, title, f["title"])
        r += 1
        for c, head in enumerate((first, *MONEY_HEADS)):
            sheet.write_string(r, c, head, f["head"])
        for line in lines:
            r += 1
            written += 1
            name = f"{int(line.name[:4])}年{int(line.name[5:])}月" if title == "按月份" else line.name
            _text(sheet, r, 0, name, f["text"])
            line_cells(r, line)
        r += 1
        sheet.write_string(r, 0, "合计", f["total_label"])
        # a batch counts in full at each base it cost at: the bases' batches and person-days add up to more
        line_cells(r, total, total=True, counts=title != "按基地")
    r += 2
    _text(sheet, r, 0, "基地发票与付款", f["title"])
    r += 1
    for c, head in enumerate(("基地", *PAID_HEADS)):
        sheet.write_string(r, c, head, f["head"])

    def paid_cells(r: int, line: Any, total: bool = False) -> None:
        whole = f["total"] if total else f["int"]
        sheet.write_number(r, 1, line.invoices, whole)
        for c, fen in enumerate(
            (line.invoiced_fen, line.paid_fen, line.awaiting_fen, line.due_fen, line.outstanding_fen), start=2
        ):
            amount(r, c, fen, total)
        sheet.write_number(r, 7, line.uninvoiced, whole)
        amount(r, 8, line.uninvoiced_fen, total)

    for line in money.paid_by_base:
        r += 1
        written += 1
        _text(sheet, r, 0, line.name, f["text"])
        paid_cells(r, line)
    r += 1
    sheet.write_string(r, 0, "合计", f["total_label"])
    paid_cells(r, money.paid, total=True)
    return written


def export_statistics(db: Database, period_start: dt.date, period_end: dt.date, path: Path) -> ExportResult:
    """Every statistics table of a period, one sheet each, from the same service the CLI and the UI use."""
    from recuperation.services.statistics import Period, period_stats

    stats = period_stats(db, Period(period_start, period_end))
    from recuperation.services.money_stats import money_figures

    money = money_figures(db, Period(period_start, period_end))
    with private_output(path) as temp, private_scratch() as scratch:
        book = xlsxwriter.Workbook(
            str(temp), {"strings_to_formulas": False, "strings_to_numbers": False, "tmpdir": scratch}
        )
        used: set[str] = set()
        rows = 0
        try:
            f = _formats(book)

            def table(
                title: str,
                heads: tuple[str, ...],
                data: list[tuple[object, ...]],
                total: bool = True,
                formats: dict[int, str] | None = None,
                not_summed: tuple[int, ...] = (),
            ) -> None:
                """One sheet: numbers as numbers (a share as 0.252 shown 25.2 %, never the text "25.2%"),
                words as text; whole numbers shown 1,127, others with two decimals (1,126.75); ``formats``
                names a column's number format otherwise.  The 合计 row sums each column of whole numbers
                but those in ``not_summed`` (counts whose sum counts one thing twice), which stay empty."""
                nonlocal rows
                sheet = book.add_worksheet(sheet_name(title, used))
                _text(
                    sheet,
                    0,
                    0,
                    f"{title}（{period_start.isoformat()} 至 {period_end.isoformat()}）",
                    f["title"],
                )
                for c, head in enumerate(heads):
                    sheet.write_string(1, c, head, f["head"])
                    sheet.set_column(c, c, 28 if c == 0 else 12)
                sheet.freeze_panes(2, 0)
                for r, row in enumerate(data, start=2):
                    for c, value in enumerate(row):
                        if isinstance(value, int | float) and not isinstance(value, bool):
                            plain = "int" if isinstance(value, int) else "decimal"
                            sheet.write_number(r, c, value, f[(formats or {}).get(c, plain)])
                        else:
                            _text(sheet, r, c, value, f["text"])
                    rows += 1
                if total and data:
                    r = len(data) + 2
                    sheet.write_string(r, 0, "合计", f["total_label"])
                    for c in range(1, len(heads)):
                        if c in not_summed:
                            sheet.write_blank(r, c, None, f["total"])
                        elif all(isinstance(row[c], int) for row in data):
                            sheet.write_number(r, c, sum(int(row[c]) for row in data), f["total"])  # type: ignore[call-overload]

            whole = stats.attendance
            table(
                "概况",
                ("项目", "数值"),
                [
                    ("疗休养批次", stats.batches),
                    ("人次", stats.people),
                    ("人天", stats.person_days),
                    # planned against attended (see ATTENDED_HEADS)
                    ("实到人次", whole.attended_people),
                    ("人次差额", whole.difference_people),
                    ("实到人天", whole.attended_person_days),
                    ("人天差额", whole.difference_person_days),
                    ("已结束报到的批次", whole.closed_batches),
                    ("培训班", stats.training_classes),
                    ("会议", stats.conferences),
                    ("新签协议", stats.agreements_signed),
                    ("省级基地", stats.bases_certified.get("provincial", 0)),
                    ("杭州市级基地", stats.bases_certified.get("hangzhou", 0)),
                    ("建德市级基地", stats.bases_certified.get("county", 0)),
                    ("人均费用（元）", stats.cost_per_person_fen / 100),
                ],
                total=False,
            )
            table(
                "按月份",
                ("月份", "批次", *ATTENDED_HEADS),
                [(f"{a.name}月", a.batches, *_planned_attended(a)) for a in stats.attendance_by_month],
            )
            table(
                "按合作单位",
                ("合作单位", "批次", *ATTENDED_HEADS),
                [(a.name, a.batches, *_planned_attended(a)) for a in stats.attendance_by_partner],
            )
            at_base = {a.name: a for a in stats.attendance_by_base}
            table(
                "按基地",
                # who lodged there (the most on one night, the person-nights), then the batches that lodged
                # there in full, planned against attended: a batch at two bases counts in full at each, so
                # no total
                ("名称", "批次", "住宿人次", "住宿人·晚", *ATTENDED_HEADS),
                [
                    (g.name, g.batches, g.people, g.person_days, *_planned_attended(at_base.get(g.name)))
                    for g in stats.by_base
                ],
                total=False,
            )
            for title, groups in (
                ("按线路", stats.by_route),
                ("按主题", stats.by_theme),
                ("按类型", stats.by_kind),
                ("按职工类别", stats.by_category),
            ):
                table(
                    title,
                    ("名称", "批次", "人次", "人天"),
                    [(g.name, g.batches, g.people, g.person_days) for g in groups],
                    # a batch has people of several worker categories, so the categories' batches do not add
                    # up to the batches
                    not_summed=(1,) if title == "按职工类别" else (),
                )
            table(
                "基地利用率",
                ("基地", "床位", "已用床位·晚", "可用床位·晚", "利用率"),
                [
                    (u.base, u.beds, u.bed_nights_used, u.bed_nights_available, u.rate)
                    for u in stats.utilisation
                ],
                total=False,
                formats={4: "percent"},
            )
            table(
                "协议完成情况",
                # the period's batches and people against the yearly quotas (a quarter's share of the year's)
                ("协议编号", "合作单位", "年度批次配额", "本期批次", "年度人数配额", "本期人数"),
                [
                    (
                        a.number,
                        a.partner,
                        a.quota_batches if a.quota_batches is not None else "不限",
                        a.used_batches,
                        a.quota_people if a.quota_people is not None else "不限",
                        a.used_people,
                    )
                    for a in stats.agreements
                ],
                total=False,
            )
            rows += _money_sheet(book, f, used, money)
        finally:
            book.close()
    return ExportResult(path, rows)
