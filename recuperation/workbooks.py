"""Workbooks for partners and for the office (XlsxWriter): a batch's roster to begin with.

Text is always written as text (ID numbers and phones keep every digit; a value that begins with = + - @
stays a value, never a formula).  ID numbers are masked unless the user asks for the full numbers, and that
choice is recorded in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from sqlalchemy import select
from sqlmodel import col

from recuperation.db import Database
from recuperation.errors import ValidationError
from recuperation.models import Batch, Participant, Partner
from recuperation.people import mask_id, mask_phone
from recuperation.services.common import audit

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
)
WIDTHS = (6, 10, 6, 22, 15, 28, 16, 12, 6, 14, 14, 16, 8, 20)


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
        lines = [
            (
                p.name,
                p.sex,
                p.id_number,
                p.phone,
                p.employer,
                p.department,
                p.category,
                p.model_worker,
                p.diet,
                p.health,
                p.emergency_contact,
                p.room,
                p.notes,
            )
            for p in people
        ]
        if full_ids:
            audit(
                session,
                db.user,
                "export",
                "batch",
                batch.id,
                batch.code,
                "full_ids",
                None,
                f"{len(people)} 人 → {path.name}",
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    try:
        sheet = book.add_worksheet("名单")
        title = book.add_format({"bold": True, "font_size": 14})
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
        text = book.add_format({"num_format": "@", "border": 1})
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
        for i, (name, sex, id_number, phone, *rest, model, diet, health, emergency, room, notes) in enumerate(
            lines, start=1
        ):
            values = [
                str(i),
                name,
                {"M": "男", "F": "女"}.get(sex or "", ""),
                id_number if full_ids else mask_id(id_number),
                phone if full_ids else mask_phone(phone),
                *rest,
                "是" if model else "",
                diet,
                health,
                emergency,
                room,
                notes,
            ]
            for c, value in enumerate(values):
                sheet.write_string(i + 1, c, str(value), text)
        sheet.autofilter(1, 0, max(len(lines) + 1, 1), len(ROSTER_HEADERS) - 1)
    finally:
        book.close()
    return ExportResult(path, len(lines))
