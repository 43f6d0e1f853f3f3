"""Templates for the registers and the roster: a workbook with the expected headers, an example row and notes.

The headers are the ones the importers recognise first; required columns are marked ``*`` (the importers
ignore the mark).  The example row starts with “（示例）” and is skipped by the importers, so a template filled
in below it imports as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from recuperation import messages
from recuperation.errors import ValidationError
from recuperation.services.registers import HEADERS, LABELS, REQUIRED
from recuperation.services.roster_import import HEADERS as ROSTER_HEADERS

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
CHOICES = {
    ("bases", "kind"): "base_kind",
    ("bases", "cert_level"): "cert_level",
    ("partners", "kind"): "partner_kind",
    ("routes", "theme"): "theme",
    ("routes", "item_kind"): "item_kind",
    ("batches", "kind"): "batch_kind",
    ("batches", "status"): "status",
}


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


def write_template(kind: str, path: Path) -> TemplateResult:
    if kind not in TEMPLATE_KINDS:
        raise ValidationError("register.unknown", field="kind", kind=kind, kinds="、".join(TEMPLATE_KINDS))
    path = Path(path).expanduser()
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = columns_of(kind)
    book = xlsxwriter.Workbook(str(path))
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
    sheet.freeze_panes(1, 0)
    notes = book.add_worksheet("说明")
    notes.set_column(0, 0, 22)
    notes.set_column(1, 1, 8)
    notes.set_column(2, 2, 70)
    notes.write_row(0, 0, ["列", "必填", "说明"], head)
    for r, (name, header, must) in enumerate(columns, start=1):
        hint = NOTES.get(name, "")
        table = CHOICES.get((kind, name))
        if table:
            hint = "可选：" + "、".join(dict.fromkeys(LABELS[table])) + ("；" + hint if hint else "")
        notes.write_row(r, 0, [header, "是" if must else "", hint])
    last = len(columns) + 2
    notes.write_string(last, 0, "第 2 行是示例，以“（示例）”开头，导入时会跳过；可以删除，也可以保留。")
    notes.write_string(last + 1, 0, "标题行上方可以有标题、说明行；列的顺序不限，不用的列可以删除。")
    notes.write_string(last + 2, 0, "再次导入修改后的登记表时，只新增和修改有变化的记录，其余不变。")
    book.close()
    return TemplateResult(path, len(columns))
