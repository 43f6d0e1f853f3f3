"""The roster request (名单报送表): the workbook a coordinator sends to the partner, made to come back clean.

One sheet per batch, named by the batch's code and arrival (``L2021-0005 3月5日``, as the partner's year
workbook names its roster sheets), so that the roster import reads each batch's sheet with no mapping step
(:func:`recuperation.services.batch.roster_import.plan_sheets` takes the sheet named by the batch's code):

- the batch's facts on top (code, partner, dates, bases, places): title rows the import skips;
- the header row: the headers the roster import recognises first (:func:`recuperation.templates.columns_of`,
  the roster template's columns, required ones marked ``*``), without 房间 (the desk assigns rooms: an empty
  column would clear them when an amended list is imported), with 随行家属 (yes/no, sets
  ``Participant.companion``);
- as many prepared rows as the batch has places: text cells (an ID number keeps all 18 digits and its X),
  unlocked, with Excel's data validation: lists for 性别, 职工类别 and the yes/no columns (劳模, 随行家属), the
  ID number's length (18) and a mobile's form (11 digits starting with 1);
- the sheet protected (no password: a partner who needs more can lift it under 审阅) with the data rows
  unlocked: the facts and the header cannot be overwritten by mistake; rows may be inserted and deleted;
- a 说明 sheet: what to fill in and how it is read back.

职工类别: neither :mod:`recuperation.labels` nor the policy keeps a list of worker categories (the roster's
category is free text), so the drop-down offers :data:`CATEGORIES` (一线职工, 劳动模范, 技术人员, 管理人员,
其他) and warns rather than stops on another word: a partner's own category (教职工) is still accepted.

The validation is Excel's help for the partner, not a check we rely on: a file comes back filled by any tool,
and the roster import checks every row again (an ID number stored as a number, a wrong check digit …).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy import func, select
from sqlmodel import col
from xlsxwriter.utility import xl_rowcol_to_cell

from recuperation.errors import ValidationError
from recuperation.filenames import file_in
from recuperation.labels import label, labels
from recuperation.models import Base, Batch, Lodging, Participant, Partner
from recuperation.private_files import private_output, private_scratch
from recuperation.services.batch.roster_import import MORE_HEADERS
from recuperation.services.batch.rosters import refuse_closed_change
from recuperation.storage.database import Database
from recuperation.templates import NOTES, columns_of
from recuperation.workbooks import sheet_name

#: The worker categories offered in the 职工类别 drop-down (see the module's docstring).
CATEGORIES = ("一线职工", "劳动模范", "技术人员", "管理人员", "其他")
YES_NO = ("是", "否")
#: The most batches one request holds, and the most rows prepared on one sheet (a conference's places).
MAX_BATCHES = 100
MAX_ROWS = 2000
#: Rows prepared for a batch whose number of places is not set yet (0).
ROWS_WITHOUT_PLACES = 10
#: The batches a request is no longer made for.
CLOSED = ("completed", "cancelled")

#: The roster template's columns without 房间, with 随行家属 after 劳模: (field, header, required).
COLUMNS: tuple[tuple[str, str, bool], ...] = tuple(
    column
    for field, header, must in columns_of("roster")
    if field != "room"
    for column in (
        ((field, header, must), ("companion", MORE_HEADERS["companion"][0], False))
        if field == "model_worker"
        else ((field, header, must),)
    )
)
WIDTHS = {
    "name": 12,
    "id_number": 22,
    "sex": 6,
    "phone": 15,
    "employer": 24,
    "department": 14,
    "category": 12,
}
HINTS = {
    "name": "与身份证一致",
    "id_number": "18 位，最后一位可以是 X；单元格已设为文本格式，请勿改成数字",
    "sex": "可选：男、女；可留空（按身份证号判断）",
    "phone": "11 位手机号码，以 1 开头",
    "category": "可选：" + "、".join(CATEGORIES) + "；也可以填写其他类别",
    "model_worker": "可选：是、否；留空为否",
    "companion": "可选：是、否；留空为否。随行家属同住同餐，不计入疗休养人次",
    "emergency_contact": "姓名和电话，如：李强（配偶）13900001111",
}
RULES = (
    "每个批次一个工作表，工作表名称以批次编号开头，请不要修改工作表名称。",
    "表头以上是批次信息，表头和批次信息已锁定；请从表头下一行起逐行填写，每人一行，不要合并单元格。",
    "预留行数等于批次名额。人数更多（如随行家属）时，可在表格中间插入行；也可在“审阅”中撤销工作表保护（无密码）。",
    "身份证号、手机号码等单元格为文本格式，请直接输入或“粘贴为数值”，不要改成数字格式，否则末尾数字会丢失。",
    "下拉列表和长度检查只在 Excel、WPS、LibreOffice 中起作用；导入时会再次逐行检查，有问题的行会被指出。",
    "中间的空行会被跳过。填好后请将本工作簿原样发回，无需另存为其他格式。",
)


@dataclass(frozen=True)
class RequestResult:
    path: Path
    batches: int
    rows: int  # the rows prepared, all sheets together
    rostered: tuple[str, ...] = ()  # codes of the batches that already have a roster


@dataclass(frozen=True)
class _Facts:
    code: str
    partner: str
    arrival: dt.date
    departure: dt.date
    headcount: int
    status: str
    bases: tuple[str, ...]
    roster: int


def _codes(batch_codes: list[str]) -> list[str]:
    codes = list(dict.fromkeys(c.strip() for c in batch_codes if c and c.strip()))
    if not codes:
        raise ValidationError("request.no_batches", field="batch")
    if len(codes) > MAX_BATCHES:
        raise ValidationError("request.too_many", field="batch", max=MAX_BATCHES, count=len(codes))
    return codes


def _facts(db: Database, codes: list[str]) -> list[_Facts]:
    """Each batch's facts, in the order asked; an unknown code, a completed or cancelled batch is refused."""
    with db.session() as session:
        found = {
            batch.code: (batch, partner)
            for batch, partner in session.execute(
                select(Batch, col(Partner.name))
                .join(Partner, col(Partner.id) == Batch.partner_id)
                .where(col(Batch.code).in_(codes))
            ).all()
        }
        facts: list[_Facts] = []
        for code in codes:
            if code not in found:
                raise ValidationError("batch.unknown_code", field="batch", code=code)
            batch, partner = found[code]
            if batch.status in CLOSED:
                raise ValidationError(
                    "request.closed",
                    field="batch",
                    code=code,
                    status=label("batch_status", batch.status).lower(),
                )
            refuse_closed_change(batch, "request")  # a filled request could only be refused on import
            bases = session.execute(
                select(col(Base.name), func.min(Lodging.night))
                .join(Lodging, col(Lodging.base_id) == Base.id)
                .where(col(Lodging.batch_id) == batch.id, col(Lodging.people) > 0)
                .group_by(col(Base.name))
                .order_by(func.min(Lodging.night), col(Base.name))
            ).all()
            roster = session.execute(
                select(func.count()).select_from(Participant).where(col(Participant.batch_id) == batch.id)
            ).scalar_one()
            facts.append(
                _Facts(
                    batch.code,
                    partner,
                    batch.arrival,
                    batch.departure,
                    batch.headcount,
                    batch.status,
                    tuple(name for name, _first in bases),
                    int(roster),
                )
            )
    return facts


def _target(path: Path, codes: list[str]) -> Path:
    """``path``, or in an existing folder a file named from the batch codes (data: made safe)."""
    path = Path(path).expanduser()
    if path.is_dir():
        first = codes[0] + (f"等{len(codes)}批" if len(codes) > 1 else "")
        return file_in(path, first, "名单报送表", suffix=".xlsx")
    return path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")


def _prepared_rows(facts: _Facts) -> int:
    return min(facts.headcount or ROWS_WITHOUT_PLACES, MAX_ROWS)


def roster_request(db: Database, batch_codes: list[str], path: Path) -> RequestResult:
    """Write the roster request for ``batch_codes`` (one sheet each, in the order given) to ``path`` (a file,
    or a folder to write a file named from the codes into); returns where it went and what it holds.

    Refused, with nothing written: no code, more than :data:`MAX_BATCHES`, an unknown code, a completed or
    cancelled batch.  A batch that already has a roster is named in ``rostered``: the filled-in request
    replaces that roster when imported (the people it leaves out are removed only with consent)."""
    codes = _codes(batch_codes)
    facts = _facts(db, codes)
    target = _target(path, codes)
    prepared = 0
    with private_output(target) as temp, private_scratch() as scratch:
        book = xlsxwriter.Workbook(
            str(temp), {"strings_to_formulas": False, "strings_to_numbers": False, "tmpdir": scratch}
        )
        try:
            f = _formats(book)
            used: set[str] = {"说明"}
            for batch in facts:
                prepared += _batch_sheet(book, f, batch, used)
            _notes_sheet(book, f)
        finally:
            book.close()
    return RequestResult(target, len(facts), prepared, tuple(b.code for b in facts if b.roster))


def _formats(book: Any) -> dict[str, Any]:
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "label": book.add_format({"bold": True, "font_color": "#404040"}),
        "fact": book.add_format({"num_format": "@"}),
        "head": book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center", "valign": "vcenter"}
        ),
        "required": book.add_format(
            {"bold": True, "bg_color": "#FCE4D6", "border": 1, "align": "center", "valign": "vcenter"}
        ),
        # the data rows: text, unlocked (the sheet is protected), with a border to show where to write
        "cell": book.add_format({"num_format": "@", "border": 1, "locked": False}),
        "note": book.add_format({"font_color": "#7F7F7F"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }


def _batch_sheet(book: Any, f: dict[str, Any], batch: _Facts, used: set[str]) -> int:
    """One batch's sheet; returns the rows prepared."""
    sheet = book.add_worksheet(sheet_name(f"{batch.code} {batch.arrival.month}月{batch.arrival.day}日", used))
    days = (batch.departure - batch.arrival).days + 1
    sheet.write_string(0, 0, f"{batch.partner} {batch.code} 职工疗休养名单报送表", f["title"])
    facts = (
        ("批次编号", batch.code),
        ("合作单位", batch.partner),
        ("日期", f"{batch.arrival.isoformat()} 至 {batch.departure.isoformat()}（{days} 天）"),
        ("住宿基地", "、".join(batch.bases) or "待定"),
        ("名额", f"{batch.headcount} 人" if batch.headcount else "待定"),
    )
    for r, (name, value) in enumerate(facts, start=1):
        sheet.write_string(r, 0, name, f["label"])
        sheet.write_string(r, 1, value, f["fact"])
    sheet.write_string(len(facts) + 1, 0, "带 * 的列必填；填写说明见“说明”工作表。", f["note"])
    header = len(facts) + 3
    rows = _prepared_rows(batch)
    first, last = header + 1, header + rows
    for c, (field, head, must) in enumerate(COLUMNS):
        sheet.write_string(header, c, head + (" *" if must else ""), f["required" if must else "head"])
        sheet.set_column(c, c, WIDTHS.get(field, 10 if field in ("model_worker", "companion") else 16))
        for r in range(first, last + 1):
            sheet.write_blank(r, c, None, f["cell"])
        rule = _validation(field, head, xl_rowcol_to_cell(first, c))
        if rule is not None:
            sheet.data_validation(first, c, last, c, rule)
    sheet.set_row(header, 22)
    sheet.freeze_panes(header + 1, 0)
    sheet.repeat_rows(header)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.protect(
        "",
        {
            "format_columns": True,
            "format_rows": True,
            "insert_rows": True,
            "delete_rows": True,
            "sort": True,
        },
    )
    return rows


def _validation(field: str, head: str, top_left: str) -> dict[str, Any] | None:
    """Excel's data validation for a column headed ``head`` (``top_left``: its first data cell, which the
    formula refers to)."""
    if field == "sex":
        return _listed(tuple(labels("sex", "zh").values()), head, stop=True)
    if field == "category":
        return _listed(CATEGORIES, head, stop=False)
    if field in ("model_worker", "companion"):
        return _listed(YES_NO, head, stop=True)
    if field == "id_number":
        return {
            "validate": "length",
            "criteria": "==",
            "value": 18,
            "input_title": head,
            "input_message": "18 位，最后一位可以是 X",
            "error_title": head,
            "error_message": "身份证号应为 18 位（最后一位可以是 X）。",
        }
    if field == "phone":
        cell = top_left
        return {
            "validate": "custom",
            "value": (
                f'=AND(LEN({cell})=11,LEFT({cell},1)="1",ISNUMBER(--{cell}),'
                f'ISERROR(FIND(".",{cell})),ISERROR(SEARCH("e",{cell})))'
            ),
            "input_title": head,
            "input_message": "11 位手机号码，以 1 开头",
            "error_title": head,
            "error_message": "手机号码应为以 1 开头的 11 位数字。",
        }
    return None


def _listed(choices: tuple[str, ...], title: str, *, stop: bool) -> dict[str, Any]:
    shown = "、".join(choices)
    return {
        "validate": "list",
        "source": list(choices),
        "input_title": title,
        "input_message": f"可选：{shown}",
        "error_title": title,
        "error_message": f"请从下拉列表中选择：{shown}" + ("" if stop else "（也可以保留所填的其他类别）"),
        "error_type": "stop" if stop else "warning",
    }


def _notes_sheet(book: Any, f: dict[str, Any]) -> None:
    """说明: each column (required, what to write) and how the filled-in workbook is read back."""
    notes = book.add_worksheet("说明")
    notes.set_column(0, 0, 14)
    notes.set_column(1, 1, 6)
    notes.set_column(2, 2, 80)
    notes.write_string(0, 0, "名单报送表填写说明", f["title"])
    for c, head in enumerate(("列", "必填", "填写要求")):
        notes.write_string(2, c, head, f["head"])
    for r, (field, head, must) in enumerate(COLUMNS, start=3):
        notes.write_string(r, 0, head)
        notes.write_string(r, 1, "是" if must else "")
        notes.write_string(r, 2, HINTS.get(field) or NOTES.get(field, ""))
    last = len(COLUMNS) + 4
    for offset, line in enumerate(RULES):
        notes.write_string(last + offset, 0, f"{offset + 1}. {line}")
