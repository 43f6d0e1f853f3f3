"""Templates for the registers and the roster: a workbook with the expected headers, an example row and notes.

The headers are the ones the importers recognise first; required columns are marked ``*`` (the importers
ignore the mark).  The example row starts with “（示例）” and is skipped by the importers, so a template filled
in below it imports as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from sqlmodel import col, select

from recuperation import messages
from recuperation.errors import ValidationError
from recuperation.models import Agreement, Base, Batch, Certification, Lodging, Partner, Route, RouteItem
from recuperation.private_files import private_output, private_scratch
from recuperation.services.batch.roster_import import HEADERS as ROSTER_HEADERS
from recuperation.services.common import audit
from recuperation.services.register_cells import HEADERS, KEPT_WHEN_EMPTY, LABELS, REQUIRED, label_of
from recuperation.storage.database import Database

TEMPLATE_KINDS = ("bases", "partners", "routes", "batches", "roster")

EXAMPLES: dict[str, dict[str, object]] = {
    "bases": {
        "name": "（示例）寿昌宾馆",
        "kind": "宾馆",
        "township": "寿昌镇",
        "address": "建德市寿昌镇寿昌大道 1 号",
        "contact_name": "王芳",
        "contact_phone": "0571-64712345",
        "beds": 80,
        "rooms": 40,
        "dining_seats": 120,
        "meeting_seats": 60,
        "cert_level": "杭州市级",
        "certificate_no": "HZLXY-2021-001",
        "cert_valid_from": "2021-03-01",
        "cert_valid_to": "2024-02-29",
    },
    "partners": {
        "name": "（示例）宁波大学",
        "kind": "高校",
        "region": "宁波市江北区",
        "contact_name": "李秀兰",
        "contact_phone": "13812345678",
        "number": "JD-2021-001",
        "signed_on": "2021-02-20",
        "valid_from": "2021-03-01",
        "valid_to": "2021-12-31",
        "quota_batches": 20,
        "quota_people": 800,
        "price": 260,
    },
    "routes": {
        "code": "（示例）XL01",
        "name": "浙大西迁研学线路",
        "theme": "研学",
        "days": 2,
        "nights": 1,
        "price": 520,
        "day_no": 1,
        "time_of_day": "上午",
        "activity": "参观梅城浙大路",
        "place": "梅城镇",
    },
    "batches": {
        "code": "（示例）L2021-0001",
        "kind": "疗休养",
        "partner": "宁波大学",
        "route": "XL01",
        "arrival": "2021-03-31",
        "departure": "2021-04-02",
        "headcount": 40,
        "base": "寿昌宾馆",
        "leader": "张伟",
        "leader_phone": "13912345678",
    },
    "roster": {
        "name": "（示例）王芳",
        "id_number": "330182198001010028",
        "sex": "女",
        "phone": "13812345678",
        "employer": "宁波大学",
        "department": "后勤处",
        "category": "一线职工",
    },
}

NOTES: dict[str, str] = {
    "arrival": "日期，如 2021-03-31",
    "departure": "日期，如 2021-04-02",
    "cert_valid_from": "日期；有认定级别时必填",
    "cert_valid_to": "日期；有认定级别时必填",
    "signed_on": "日期；有协议编号时必填",
    "valid_from": "日期；有协议编号时必填",
    "valid_to": "日期；有协议编号时必填",
    "code": "留空则自动编号（批次）；再次导入时按编号找到原记录",
    "name": "再次导入时按名称找到原记录",
    "number": "一个合作单位有多份协议时，每份协议一行，单位信息可只写在第一行或合并单元格",
    "day_no": "每个行程安排一行；线路信息可只写在第一行或合并单元格",
    "base": "已有的基地名称",
    "partner": "已有的合作单位名称",
    "route": "已有的线路编号或名称",
    "id_number": "18 位身份证号，请设为文本格式",
    "price": "元",
}
#: The rules under the 说明 sheet's table: how a filled-in or edited register is read back.
TEMPLATE_RULES = (
    "第 2 行是示例，以“（示例）”开头，导入时会跳过；可以删除，也可以保留。",
    "标题行上方可以有标题、说明行；列的顺序不限，不用的列可以删除。",
    "再次导入修改后的登记表时，只新增和修改有变化的记录，其余不变。",
    "表中没有的列：已有记录的这一项不比较、不修改。",
    "表中有的列留空：上表“已有记录留空时”写“不变”的项保留原有的值，写“清空”的项被清空（如备注、领队、协议）。",
    "“合计”“总计”行以下的内容（另一张表、备注）不作为记录读入。",
)
CHOICES = {
    ("bases", "kind"): "base_kind",
    ("bases", "cert_level"): "cert_level",
    ("partners", "kind"): "partner_kind",
    ("routes", "theme"): "theme",
    ("routes", "item_kind"): "item_kind",
    ("batches", "kind"): "batch_kind",
    ("batches", "status"): "status",
}


def _yuan(fen: int | None) -> int | float | None:
    """An amount in fen as the number of yuan a register cell holds: 760 (as the example row), 260.5."""
    if fen is None:
        return None
    return fen // 100 if fen % 100 == 0 else fen / 100


def register_rows(db: Database, kind: str) -> list[dict[str, object]]:
    """The records on file, one dict per register row, in the register's own fields and words."""
    rows: list[dict[str, object]] = []
    with db.session() as session:
        if kind == "bases":
            certs: dict[int, Certification] = {}
            for cert in session.exec(
                select(Certification)
                .where(col(Certification.status).in_(("certified", "rechecked")))
                .order_by(col(Certification.valid_to))
            ).all():
                certs[cert.base_id] = cert  # the one valid longest
            for base in session.exec(
                select(Base).where(col(Base.archived).is_(False)).order_by(col(Base.id))
            ).all():
                current = certs.get(base.id or 0)
                rows.append(
                    {
                        **{
                            f: getattr(base, f)
                            for f in (
                                "name",
                                "township",
                                "address",
                                "contact_name",
                                "contact_phone",
                                "beds",
                                "rooms",
                                "dining_seats",
                                "meeting_seats",
                                "notes",
                            )
                        },
                        "kind": label_of("base_kind", base.kind),
                        "cert_level": label_of("cert_level", current.level) if current else "",
                        "certificate_no": (current.certificate_no or "") if current else "",
                        "cert_valid_from": current.valid_from if current else None,
                        "cert_valid_to": current.valid_to if current else None,
                    }
                )
        elif kind == "partners":
            for partner in session.exec(
                select(Partner).where(col(Partner.archived).is_(False)).order_by(col(Partner.id))
            ).all():
                facts: dict[str, object] = {
                    "name": partner.name,
                    "kind": label_of("partner_kind", partner.kind),
                    "region": partner.region,
                    "uscc": partner.uscc or "",
                    "contact_name": partner.contact_name,
                    "contact_phone": partner.contact_phone,
                    "address": partner.address,
                }
                agreements = session.exec(
                    select(Agreement)
                    .where(Agreement.partner_id == partner.id)
                    .order_by(col(Agreement.valid_from))
                ).all()
                for agreement in agreements:
                    rows.append(
                        {
                            **facts,
                            "number": agreement.number,
                            "signed_on": agreement.signed_on,
                            "valid_from": agreement.valid_from,
                            "valid_to": agreement.valid_to,
                            "quota_batches": agreement.quota_batches,
                            "quota_people": agreement.quota_people,
                            "price": _yuan(agreement.price_fen),
                            "notes": agreement.notes,
                        }
                    )
                if not agreements:
                    rows.append(facts)
        elif kind == "routes":
            bases = {b.id: b.name for b in session.exec(select(Base)).all()}
            for route in session.exec(
                select(Route).where(col(Route.archived).is_(False)).order_by(col(Route.id))
            ).all():
                route_facts: dict[str, object] = {
                    "code": route.code,
                    "name": route.name,
                    "theme": label_of("theme", route.theme),
                    "days": route.days,
                    "nights": route.nights,
                    "price": _yuan(route.price_fen),
                    "season": route.season,
                    "description": route.description,
                }
                items = session.exec(
                    select(RouteItem)
                    .where(RouteItem.route_id == route.id)
                    .order_by(col(RouteItem.day_no), col(RouteItem.seq))
                ).all()
                for item in items:
                    rows.append(
                        {
                            **route_facts,
                            "day_no": item.day_no,
                            "time_of_day": item.time_of_day,
                            "item_kind": label_of("item_kind", item.kind),
                            "activity": item.activity,
                            "place": item.place,
                            "base": bases.get(item.base_id, "") if item.base_id else "",
                        }
                    )
                if not items:
                    rows.append(route_facts)
        elif kind == "batches":
            partners = {p.id: p.name for p in session.exec(select(Partner)).all()}
            numbers = {a.id: a.number for a in session.exec(select(Agreement)).all()}
            codes = {r.id: r.code for r in session.exec(select(Route)).all()}
            base_names = {b.id: b.name for b in session.exec(select(Base)).all()}
            nights_of: dict[int, list[Lodging]] = {}
            for night in session.exec(select(Lodging)).all():  # one query, not one per batch
                nights_of.setdefault(night.batch_id, []).append(night)
            for batch in session.exec(select(Batch).order_by(col(Batch.arrival), col(Batch.code))).all():
                nights = nights_of.get(batch.id or 0, [])
                stays = {(x.base_id, x.people) for x in nights}
                lodged_at = ""
                if len(stays) == 1 and len(nights) == (batch.departure - batch.arrival).days:
                    ((base_id, people),) = stays
                    if people == batch.headcount:
                        lodged_at = base_names.get(base_id, "")
                rows.append(
                    {
                        "code": batch.code,
                        "kind": label_of("batch_kind", batch.kind),
                        "partner": partners.get(batch.partner_id, ""),
                        "agreement": numbers.get(batch.agreement_id, "") if batch.agreement_id else "",
                        "route": codes.get(batch.route_id, "") if batch.route_id else "",
                        "arrival": batch.arrival,
                        "departure": batch.departure,
                        "headcount": batch.headcount,
                        "base": lodged_at,  # empty when the nights differ: a re-import then keeps them as they are
                        "status": label_of("status", batch.status),
                        "leader": batch.leader,
                        "leader_phone": batch.leader_phone,
                        "guide": batch.guide,
                        "vehicle": batch.vehicle,
                        "notes": batch.notes,
                    }
                )
    return rows


@dataclass(frozen=True)
class TemplateResult:
    path: Path
    columns: int


def columns_of(kind: str) -> list[tuple[str, str, bool]]:
    """(field, header, required) for each column of the template."""
    if kind == "roster":
        return [(f, v[0], f in ("name", "id_number")) for f, v in ROSTER_HEADERS.items()]
    required = set(REQUIRED[kind]) | ({"arrival", "departure"} if kind == "batches" else set())
    # The template has arrival and departure columns; the importer also reads one 起止日期 column instead.
    return [(f, v[0], f in required) for f, v in HEADERS[kind].items() if (kind, f) != ("batches", "dates")]


#: The registers whose data holds people's phone numbers: a batch's leader, the contact person of a partner and of
#: a base.  A mobile is a person's own number even when it is given for work, so a register written with its
#: data is recorded in the audit log, as full-ID exports are.
PHONE_FIELDS = {
    "bases": ("base", "contact_phone"),
    "partners": ("partner", "contact_phone"),
    "batches": ("batch", "leader_phone"),
}


def _audit_phones(db: Database, kind: str, records: list[dict[str, object]], path: Path) -> None:
    """Record in the audit log that a register with its phone numbers in full was written to ``path``."""
    if kind not in PHONE_FIELDS:
        return
    table, field = PHONE_FIELDS[kind]
    numbers = {str(r[field]) for r in records if r.get(field)}
    with db.session(write=True) as session:
        audit(
            session,
            db.user,
            "export",
            table,
            None,
            f"{messages.CATALOGUE[f'register.name.{kind}'][0]}登记表",
            "full_phones",
            None,
            f"{len(numbers)} 个电话号码 → {path.name}",
        )


def write_template(kind: str, path: Path, db: Database | None = None) -> TemplateResult:
    """The register's template; with ``db``, filled with the records on file (the register as it stands, to
    edit in Excel and import again: only what was changed is applied)."""
    if kind not in TEMPLATE_KINDS or (db is not None and kind == "roster"):
        raise ValidationError(
            "register.unknown", field="kind", kind=kind, kinds=messages.join(list(TEMPLATE_KINDS))
        )
    path = Path(path).expanduser()
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    columns = columns_of(kind)
    records = register_rows(db, kind) if db is not None else []
    if db is not None:
        _audit_phones(db, kind, records, path)
    with private_output(path) as temp, private_scratch() as scratch:
        book = xlsxwriter.Workbook(str(temp), {"tmpdir": scratch})
        try:
            head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
            required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
            example = book.add_format({"italic": True, "font_color": "#7F7F7F", "num_format": "@"})
            text = book.add_format({"num_format": "@"})
            title = messages.text(f"register.name.{kind}")
            sheet = book.add_worksheet(title)
            for c, (name, header, must) in enumerate(columns):
                sheet.write_string(0, c, header + (" *" if must else ""), required if must else head)
                value = EXAMPLES[kind].get(name)
                if value is None:
                    sheet.write_blank(1, c, None, example)
                elif isinstance(value, int):
                    sheet.write_number(1, c, value, example)
                else:
                    sheet.write_string(1, c, str(value), example)
                sheet.set_column(
                    c,
                    c,
                    max(10, len(header) * 2 + 4),
                    text
                    if name
                    in (
                        "id_number",
                        "phone",
                        "contact_phone",
                        "leader_phone",
                        "uscc",
                        "code",
                        "number",
                        "certificate_no",
                    )
                    else None,
                )
            if records:
                date_cell = book.add_format({"num_format": "yyyy-mm-dd"})
                money = book.add_format({"num_format": "0.00"})
                for r, record in enumerate(records, start=2):
                    for c, (name, _header, _must) in enumerate(columns):
                        value = record.get(name)
                        if value is None or value == "":
                            continue
                        if isinstance(value, dt.date):
                            sheet.write_datetime(
                                r, c, dt.datetime(value.year, value.month, value.day), date_cell
                            )
                        elif isinstance(value, int) and not isinstance(value, bool):
                            sheet.write_number(r, c, value)
                        elif isinstance(value, float):
                            sheet.write_number(r, c, value, money)
                        else:
                            sheet.write_string(r, c, str(value))
            sheet.freeze_panes(1, 0)
            notes = book.add_worksheet("说明")
            notes.set_column(0, 0, 22)
            notes.set_column(1, 1, 8)
            notes.set_column(2, 2, 26)
            notes.set_column(3, 3, 70)
            notes.write_row(0, 0, ["列", "必填", "已有记录留空时", "说明"], head)
            kept = KEPT_WHEN_EMPTY.get(kind, frozenset())
            for r, (name, header, must) in enumerate(columns, start=1):
                hint = NOTES.get(name, "")
                table = CHOICES.get((kind, name))
                if table:
                    hint = "可选：" + "、".join(dict.fromkeys(LABELS[table])) + ("；" + hint if hint else "")
                if kind == "roster":
                    empty = "不变" if name in ("name", "id_number", "sex") else "清空"
                else:
                    empty = "不变（保留原有的值）" if name in kept else "清空"
                notes.write_row(r, 0, [header, "是" if must else "", empty, hint])
            last = len(columns) + 2
            for offset, line in enumerate(TEMPLATE_RULES):
                notes.write_string(last + offset, 0, line)
        finally:
            book.close()
    return TemplateResult(path, len(columns))
