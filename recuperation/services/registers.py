"""Importing an office's existing registers (登记表) from workbooks: bases, partners and agreements, routes, batches.

Each import works like the roster import: the header row is found below any title rows on any sheet, its
columns are matched to fields through the variants offices use (the caller may correct the mapping), values
are normalised (full-width digits, dates written any common way, 是/否, Chinese labels for kinds), and then
every record goes through the same service functions the forms use, in one transaction with a savepoint
per record.  :func:`plan_register` does that and rolls everything back, so its preview shows exactly what
:func:`apply_register` will do and refuse: every row is ``new``, ``changed``, ``unchanged`` or ``error``
(with the message naming the record and the field).  :func:`apply_register` does it again and commits, or
refuses the whole file when a row has an error (unless told to import only the valid rows).  Re-importing an
updated register therefore applies the difference: new records are created, changed ones updated, the rest
left alone.

Registers that put one record on several rows (a route's day plan, a partner's agreements) may merge the
record's cells over those rows or leave them empty below the first: the value is carried down.  A row whose
first filled cell starts with 示例 or （示例） is the template's example and is skipped.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from recuperation import messages
from recuperation.db import Database
from recuperation.errors import DomainError, ValidationError
from recuperation.models import (
    Agreement,
    Base,
    BaseKind,
    Batch,
    BatchKind,
    BatchStatus,
    Certification,
    CertificationStep,
    CertLevel,
    CertStatus,
    CertStep,
    ItemKind,
    Lodging,
    Partner,
    PartnerKind,
    Route,
    RouteItem,
    Theme,
)
from recuperation.people import normalise_text
from recuperation.services import bases as base_service
from recuperation.services import batch_edit
from recuperation.services import batches as batch_service
from recuperation.services import partners as partner_service
from recuperation.services import routes as route_service
from recuperation.services.common import create_audited, update_versioned
from recuperation.services.roster_import import HEADER_SCAN_ROWS, Layout, Problem, header_key, skipped_row
from recuperation.sheets import Cell, Sheet, read_sheets

KINDS = ("bases", "partners", "routes", "batches")

# --- the registers' columns -------------------------------------------------------------------------------

#: For each register: field → (the header the template writes, other headers offices use).
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "bases": {
        "name": ("基地名称", "名称", "基地", "疗休养基地", "单位名称", "name"),
        "kind": ("类型", "基地类型", "类别"),
        "township": ("乡镇（街道）", "乡镇", "所在乡镇", "街道", "乡镇街道"),
        "address": ("地址", "详细地址", "基地地址"),
        "contact_name": ("联系人", "负责人"),
        "contact_phone": ("联系电话", "电话", "手机", "联系方式"),
        "beds": ("床位数", "床位", "床位（张）", "床位张数"),
        "rooms": ("房间数", "客房数", "房间"),
        "dining_seats": ("餐位数", "餐位", "就餐座位"),
        "meeting_seats": ("会议座位数", "会议室座位", "会议座位"),
        "cert_level": ("认定级别", "级别", "基地级别"),
        "certificate_no": ("证书编号", "认定编号", "证书号"),
        "cert_valid_from": ("有效期起", "认定日期", "发证日期", "有效期开始"),
        "cert_valid_to": ("有效期至", "有效期止", "有效期结束", "到期日期"),
        "notes": ("备注", "说明"),
    },
    "partners": {
        "name": ("合作单位", "单位名称", "合作单位名称", "单位", "名称"),
        "kind": ("单位类型", "类型", "单位性质"),
        "region": ("所在地区", "地区", "区县"),
        "uscc": ("统一社会信用代码", "信用代码", "社会信用代码"),
        "contact_name": ("联系人",),
        "contact_phone": ("联系电话", "电话", "手机"),
        "address": ("地址", "单位地址"),
        "number": ("协议编号", "合同编号", "协议号"),
        "signed_on": ("签订日期", "签约日期"),
        "valid_from": ("生效日期", "协议开始", "开始日期", "有效期起"),
        "valid_to": ("终止日期", "协议结束", "结束日期", "有效期至"),
        "quota_batches": ("年度批次配额", "批次配额", "批次数"),
        "quota_people": ("年度人数配额", "人数配额", "人数"),
        "price": ("单价（元/人天）", "协议单价", "单价", "价格（元/人天）"),
        "notes": ("备注", "说明"),
    },
    "routes": {
        "code": ("线路编号", "编号", "线路代码"),
        "name": ("线路名称", "线路", "名称"),
        "theme": ("主题", "线路主题", "类型"),
        "days": ("天数", "行程天数"),
        "nights": ("晚数", "住宿晚数"),
        "price": ("价格（元/人）", "价格", "单价", "费用（元/人）"),
        "season": ("适用季节", "季节"),
        "description": ("简介", "线路简介", "介绍"),
        "day_no": ("第几天", "日程", "天", "行程日"),
        "time_of_day": ("时段", "时间"),
        "item_kind": ("项目类型", "安排类型"),
        "activity": ("活动", "行程安排", "安排", "内容", "活动内容"),
        "place": ("地点", "活动地点"),
        "base": ("住宿基地", "基地", "住宿"),
    },
    "batches": {
        "code": ("批次编号", "编号", "团号"),
        "kind": ("类型", "批次类型"),
        "partner": ("合作单位", "单位", "组团单位"),
        "agreement": ("协议编号", "协议"),
        "route": ("线路编号", "线路"),
        "arrival": ("到达日期", "到达", "开始日期", "入住日期"),
        "departure": ("离开日期", "离开", "结束日期", "离店日期"),
        "dates": ("起止日期", "行程日期", "日期", "时间", "活动时间", "疗休养时间"),
        "headcount": ("计划人数", "人数", "团队人数"),
        "base": ("住宿基地", "基地", "住宿"),
        "status": ("状态",),
        "leader": ("领队",),
        "leader_phone": ("领队电话", "领队手机"),
        "guide": ("导游",),
        "vehicle": ("车辆", "车牌"),
        "notes": ("备注", "说明"),
    },
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "bases": ("name",),
    "partners": ("name",),
    "routes": ("code", "name"),
    "batches": ("partner", "headcount"),  # and the dates: arrival and departure, or one column with both
}
#: Fields carried down from the row above when left empty (merged cells, one record over several rows).
CARRIED: dict[str, tuple[str, ...]] = {
    "bases": (),
    "partners": ("name", "kind", "region", "uscc", "contact_name", "contact_phone", "address"),
    "routes": ("code", "name", "theme", "days", "nights", "price", "season", "description"),
    "batches": (),
}
#: What a record's rows have in common (the record key, by which a re-import finds it again).
KEY: dict[str, str] = {"bases": "name", "partners": "name", "routes": "code", "batches": "code"}

LABELS: dict[str, dict[str, str]] = {
    "base_kind": {
        "宾馆": BaseKind.HOTEL,
        "酒店": BaseKind.HOTEL,
        "饭店": BaseKind.HOTEL,
        "民宿": BaseKind.HOMESTAY,
        "农家乐": BaseKind.FARM,
        "农庄": BaseKind.FARM,
        "景区": BaseKind.SCENIC,
        "培训中心": BaseKind.TRAINING_CENTRE,
        "疗休养中心": BaseKind.TRAINING_CENTRE,
        "企业": BaseKind.ENTERPRISE,
    },
    "cert_level": {
        "省级": CertLevel.PROVINCIAL,
        "浙江省级": CertLevel.PROVINCIAL,
        "省": CertLevel.PROVINCIAL,
        "杭州市级": CertLevel.HANGZHOU,
        "市级": CertLevel.HANGZHOU,
        "杭州": CertLevel.HANGZHOU,
        "县级": CertLevel.COUNTY,
        "建德市级": CertLevel.COUNTY,
        "县市级": CertLevel.COUNTY,
    },
    "partner_kind": {
        "企业": PartnerKind.ENTERPRISE,
        "公司": PartnerKind.ENTERPRISE,
        "高校": PartnerKind.UNIVERSITY,
        "大学": PartnerKind.UNIVERSITY,
        "学校": PartnerKind.UNIVERSITY,
        "工会": PartnerKind.UNION,
        "机关": PartnerKind.GOVERNMENT,
        "事业单位": PartnerKind.GOVERNMENT,
        "政府": PartnerKind.GOVERNMENT,
        "其他": PartnerKind.OTHER,
    },
    "theme": {
        "休闲": Theme.LEISURE,
        "健身": Theme.FITNESS,
        "研学": Theme.STUDY,
        "红色": Theme.HERITAGE,
        "红色教育": Theme.HERITAGE,
        "康养": Theme.WELLNESS,
    },
    "item_kind": {
        "活动": ItemKind.ACTIVITY,
        "参观": ItemKind.ACTIVITY,
        "早餐": ItemKind.BREAKFAST,
        "午餐": ItemKind.LUNCH,
        "中餐": ItemKind.LUNCH,
        "晚餐": ItemKind.DINNER,
        "住宿": ItemKind.LODGING,
    },
    "batch_kind": {
        "疗休养": BatchKind.RECUPERATION,
        "培训班": BatchKind.TRAINING,
        "培训": BatchKind.TRAINING,
        "会议": BatchKind.CONFERENCE,
    },
    "status": {
        "计划": BatchStatus.PLANNED,
        "计划中": BatchStatus.PLANNED,
        "已确认": BatchStatus.CONFIRMED,
        "确认": BatchStatus.CONFIRMED,
        "已完成": BatchStatus.COMPLETED,
        "完成": BatchStatus.COMPLETED,
        "已取消": BatchStatus.CANCELLED,
        "取消": BatchStatus.CANCELLED,
    },
}


def template_header(kind: str, field_name: str) -> str:
    return HEADERS[kind][field_name][0]


def _lookup(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for name, variants in HEADERS[kind].items():
        for variant in variants:
            table.setdefault(header_key(variant), name)
    return table


def field_for(kind: str, value: Cell) -> str | None:
    key = header_key(value)
    found = _lookup(kind).get(key)
    if found is None and value is not None:
        bare = re.sub(r"[(（\[【].*$", "", unicodedata.normalize("NFKC", str(value)))
        found = _lookup(kind).get(header_key(bare))
    return found


def has_required(kind: str, columns: dict[str, int]) -> bool:
    if not all(f in columns for f in REQUIRED[kind]):
        return False
    return kind != "batches" or ("arrival" in columns and "departure" in columns) or "dates" in columns


def detect_register_layout(kind: str, sheets: list[Sheet], source: str = "") -> Layout:
    """The sheet and header row with the most recognised headers that has every required field."""
    best: tuple[int, Layout] | None = None
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            columns: dict[str, int] = {}
            for position, cell in enumerate(row):
                name = field_for(kind, cell)
                if name and name not in columns:
                    columns[name] = position
            if has_required(kind, columns):
                score = len(columns)
                if best is None or score > best[0]:
                    best = (score, Layout(sheet.name, index, columns))
    if best is None:
        needed = "、".join(template_header(kind, f) for f in REQUIRED[kind])
        raise ValidationError("register.no_header", field="file", path=source, needed=needed)
    return best[1]


# --- values as offices write them ---------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class CellError(ValueError):
    """A cell that cannot be read as its field's kind of value; the message says what was expected."""


def to_text(value: Cell) -> str:
    """A text cell as written (（ stays （: records are found again by :func:`fold`), trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


_SHORT_DATE = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_RANGE_WORDS = re.compile(r"\s*(?:－|—|–|~|～|至|到)\s*")


def to_code(value: Cell) -> str:
    """A code or number (XL01, JD-2021-001, a certificate number): full-width letters and digits made
    half-width, spaces removed, so that ＸＬ０１ typed with a Chinese input method is XL01."""
    return re.sub(r"\s+", "", normalise_text(to_text(value)))


def to_date(value: Cell, year: int | None = None) -> dt.date | None:
    """A date however a sheet holds it; ``year`` completes dates written without one (3月31日, 3.31)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))  # a date cell read as its serial number
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", normalise_text(value))  # 2021/3/1 0:00:00
    match = _DATE.match(text) or (re.match(r"^(\d{4})(\d{2})(\d{2})$", text))
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    short = _SHORT_DATE.match(text)
    if short and year is not None:
        try:
            return dt.date(year, int(short[1]), int(short[2]))
        except ValueError:
            pass
    raise CellError(messages.text("register.bad_date", value=text))


def to_date_range(value: Cell, year: int | None = None) -> tuple[dt.date, dt.date] | None:
    """One cell holding a stay: 2021.3.31-4.2, 2021年3月31日至4月2日, 3月31日—4月2日 (with ``year``), or one day."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day, day
    text = normalise_text(value)
    iso = re.match(r"^(\d{4}-\d{1,2}-\d{1,2})\s*-\s*(.+)$", text)  # 2021-03-31-2021-04-02, 2021-3-31-4-2
    if iso:
        parts = [iso[1], iso[2]]
    elif _RANGE_WORDS.search(text):
        parts = [p for p in _RANGE_WORDS.split(text) if p]
    elif text.count("-") == 1:
        parts = [p for p in text.split("-") if p.strip()]
    else:
        parts = [text]
    parts = [p.strip() for p in parts]
    if len(parts) == 1:
        single = to_date(parts[0], year)
        return (single, single) if single else None
    if len(parts) != 2:
        raise CellError(messages.text("register.bad_range", value=text))
    first = to_date(parts[0], year)
    assert first is not None
    second_text = parts[1]
    if re.fullmatch(r"\d{1,2}\s*日?", second_text):  # 3月31日-2日: the same month
        second_text = f"{first.month}-{second_text.rstrip('日')}"
    elif re.fullmatch(r"\d{1,2}-\d{1,2}", second_text):  # 2021-3-31-4-2
        second_text = f"{first.year}-{second_text}"
    second = to_date(second_text, first.year)
    assert second is not None
    if second < first and second.year == first.year and not _DATE.match(parts[1]):
        second = second.replace(year=first.year + 1)  # 12月30日-1月2日 crosses the new year
    return first, second


def to_int(value: Cell) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(messages.text("register.bad_number", value=value))
    if isinstance(value, int | float):
        if float(value).is_integer():
            return int(value)
        raise CellError(messages.text("register.bad_number", value=value))
    text = normalise_text(value).replace(",", "")
    match = re.fullmatch(r"(-?\d+)(?:\.0+)?\s*(张|间|个|人|天|晚|批|座|位)?", text)
    if not match:
        raise CellError(messages.text("register.bad_number", value=text))
    return int(match[1])


def to_money_fen(value: Cell) -> int | None:
    if value is None or value == "":
        return None
    text = normalise_text(value).replace(",", "").removesuffix("元")
    try:
        amount = float(text)
    except ValueError as exc:
        raise CellError(messages.text("register.bad_number", value=text)) from exc
    return round(amount * 100)


def to_choice(table: str, value: Cell, default: str) -> str:
    text = to_text(value)
    if not text:
        return default
    labels = LABELS[table]
    if text in labels:
        return str(labels[text])
    if text.lower() in {str(v) for v in labels.values()}:
        return text.lower()
    # Offices qualify their words (国有企业, 三星级宾馆, 市级机关): a label inside the text names the value,
    # the longest one first, unless the text holds labels of two different values.
    inside = sorted((label for label in labels if label in text), key=len, reverse=True)
    if (
        inside
        and len({labels[label] for label in inside if not any(label in o for o in inside if o != label)}) == 1
    ):
        return str(labels[inside[0]])
    allowed = "、".join(dict.fromkeys(labels))
    raise CellError(messages.text("register.bad_choice", value=text, allowed=allowed))


# --- plan and apply --------------------------------------------------------------------------------------


@dataclass
class RegisterRow:
    kind: str
    row: int  # as the spreadsheet numbers it
    key: str
    values: dict[str, Any]
    status: str = "new"  # new, changed, unchanged, error
    changes: list[str] = field(default_factory=list)  # fields that change
    errors: list[Problem] = field(default_factory=list)
    roster: str = ""  # the batch code, for the summary row of a batch register's roster sheet

    def to_json(self) -> dict[str, object]:
        return {
            "row": self.row,
            "key": self.key,
            "status": self.status,
            "changes": self.changes,
            "errors": [p.to_json() for p in self.errors],
        }


@dataclass
class RegisterPlan:
    kind: str
    source: str
    layout: Layout
    headers: list[str]
    rows: list[RegisterRow]
    sheet_names: list[str] = field(default_factory=list)
    #: A batch register's roster sheets: one per batch, named by its code (as the partner workbook writes them).
    roster_sheets: dict[str, Sheet] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for r in self.rows for p in r.errors]

    def count(self, status: str) -> int:
        """Records (not roster sheets) with this status."""
        return len({r.key for r in self.rows if r.status == status and not r.roster})

    def report(self) -> dict[str, object]:
        return {
            "register": self.kind,
            "sheet": self.layout.sheet,
            "header_row": self.layout.header_row + 1,
            "columns": {f: self.headers[c] for f, c in self.layout.columns.items()},
            "rows": sum(1 for r in self.rows if not r.roster),
            "valid": sum(1 for r in self.rows if not r.errors and not r.roster),
            "rosters": {r.roster: {"status": r.status, "changes": r.changes} for r in self.rows if r.roster},
            "new": self.count("new"),
            "changed": self.count("changed"),
            "unchanged": self.count("unchanged"),
            "errors": [p.to_json() for p in self.errors],
            "row_status": [r.to_json() for r in self.rows],
        }


@dataclass(frozen=True)
class RegisterResult:
    new: int
    changed: int
    unchanged: int
    skipped: int


def _read_rows(kind: str, sheet: Sheet, layout: Layout) -> list[RegisterRow]:
    rows: list[RegisterRow] = []
    carried: dict[str, Cell] = {}
    for index in range(layout.header_row + 1, len(sheet.rows)):
        raw = sheet.rows[index]
        cells = {f: (raw[c] if c < len(raw) else None) for f, c in layout.columns.items()}
        if skipped_row(raw):
            continue
        for name in CARRIED[kind]:
            if name in cells and (cells[name] is None or str(cells[name]).strip() == ""):
                cells[name] = carried.get(name)
            elif name in cells:
                carried[name] = cells[name]
        key = (to_code if KEY[kind] == "code" else to_text)(cells.get(KEY[kind]))
        rows.append(RegisterRow(kind, index + 1, key, cells))
    return rows


def plan_register(
    db: Database, kind: str, path: Path, layout: Layout | None = None, *, today: dt.date | None = None
) -> RegisterPlan:
    """Read a register and say, row by row, what importing it would do; nothing is written."""
    if kind not in KINDS:
        raise ValidationError("register.unknown", field="kind", kind=kind, kinds="、".join(KINDS))
    sheets = read_sheets(path)
    if layout is None and kind == "routes":
        per_sheet = _route_per_sheet(sheets)
        if per_sheet is not None:
            first, rows = per_sheet
            headers = [
                to_text(v) for v in next(s for s in sheets if s.name == first.sheet).rows[first.header_row]
            ]
            plan = RegisterPlan(kind, str(path), first, headers, rows, [s.name for s in sheets])
            _run(db, plan, commit=False)
            return plan
    layout = layout or detect_register_layout(kind, sheets, str(path))
    sheet = next((s for s in sheets if s.name == layout.sheet), None)
    if sheet is None or layout.header_row >= len(sheet.rows):
        raise ValidationError("register.no_header", field="file", path=str(path), needed=layout.sheet)
    if not layout.columns:  # another sheet or header row chosen: recognise that row's columns
        columns: dict[str, int] = {}
        for position, cell in enumerate(sheet.rows[layout.header_row]):
            name = field_for(kind, cell)
            if name and name not in columns:
                columns[name] = position
        layout = Layout(layout.sheet, layout.header_row, columns)
    missing = [template_header(kind, f) for f in REQUIRED[kind] if f not in layout.columns]
    if not missing and not has_required(kind, layout.columns):
        missing = [template_header(kind, "arrival"), template_header(kind, "departure")]
    if missing:
        raise ValidationError("register.no_header", field="file", path=str(path), needed="、".join(missing))
    headers = [to_text(v) for v in sheet.rows[layout.header_row]]
    rows = _read_rows(kind, sheet, layout)
    plan = RegisterPlan(kind, str(path), layout, headers, rows, [s.name for s in sheets])
    if kind == "batches":
        # Dates written without a year (3月31日) take it from the title (2021年批次安排) or the batch code.
        title = " ".join(
            to_text(c) for line in sheet.rows[: layout.header_row] for c in line if c is not None
        )
        found = re.search(r"(20\d\d)\s*年", title + " " + layout.sheet)
        for r in rows:
            code_year = re.match(r"^[A-Z]+(20\d\d)-", r.key)
            r.values["_year"] = int(code_year[1]) if code_year else (int(found[1]) if found else None)
        codes = {r.key for r in rows if r.key}
        for other in sheets:
            code = other.name.split()[0] if other.name.strip() else ""
            if other.name != layout.sheet and code in codes:
                plan.roster_sheets[code] = other
    _run(db, plan, commit=False)
    return plan


_TITLE_FIELDS = ("code", "name", "theme", "days", "nights", "price", "season", "description")


def _route_per_sheet(sheets: list[Sheet]) -> tuple[Layout, list[RegisterRow]] | None:
    """A route catalogue kept as one sheet per route: the day plan's table on each sheet, the route's code,
    name and theme in the lines above it (线路编号：XL01) or, failing that, the sheet's name.  None when the
    workbook is not laid out that way (a single table with a code column is read the usual way)."""
    found: list[tuple[Sheet, Layout]] = []
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            columns: dict[str, int] = {}
            for position, cell in enumerate(row):
                name = field_for("routes", cell)
                if name and name not in columns:
                    columns[name] = position
            if "day_no" in columns and "activity" in columns:
                if "code" in columns and "name" in columns:
                    return None  # the one-table layout
                found.append((sheet, Layout(sheet.name, index, columns)))
                break
    if not found:
        return None
    rows: list[RegisterRow] = []
    for sheet, layout in found:
        facts: dict[str, Cell] = {}
        for line in sheet.rows[: layout.header_row]:
            cells = [c for c in line if c is not None and str(c).strip()]
            for i, cell in enumerate(cells):
                label, sep, value = str(cell).replace(":", "：").partition("：")
                name = field_for("routes", label.strip())
                if name in _TITLE_FIELDS and name not in facts:
                    if sep and value.strip():
                        facts[name] = value.strip()
                    elif i + 1 < len(cells):
                        facts[name] = cells[i + 1]
        titles = [
            str(cells[0]).strip()
            for cells in (
                [c for c in line if c is not None and str(c).strip()]
                for line in sheet.rows[: layout.header_row]
            )
            if len(cells) == 1 and "：" not in str(cells[0]).replace(":", "：")
        ]
        facts.setdefault("code", sheet.name.strip())
        facts.setdefault("name", titles[0] if titles else sheet.name.strip())  # the sheet's title line
        for r in _read_rows("routes", sheet, layout):
            r.values = {**facts, **{k: v for k, v in r.values.items() if v is not None or k not in facts}}
            r.key = to_code(r.values.get("code"))
            rows.append(r)
    return found[0][1], rows


def apply_register(db: Database, plan: RegisterPlan, *, skip_invalid: bool = False) -> RegisterResult:
    """Write what the plan found, in one transaction; refused when a row has an error unless ``skip_invalid``."""
    if plan.errors and not skip_invalid:
        raise ValidationError("register.refused", field="file", errors=len({p.row for p in plan.errors}))
    return _run(db, plan, commit=True, skip_invalid=skip_invalid)


class _Rollback(Exception):
    pass


def _records(plan: RegisterPlan) -> list[list[RegisterRow]]:
    """Rows grouped by record: one row per record, or (routes, partners) consecutive rows with one key."""
    rows = [r for r in plan.rows if not r.roster]
    if plan.kind in ("bases", "batches"):
        return [[r] for r in rows]
    groups: dict[str, list[RegisterRow]] = {}
    for r in rows:
        groups.setdefault(r.key or f"#{r.row}", []).append(r)
    return list(groups.values())


def _duplicates(plan: RegisterPlan) -> None:
    """One base or one numbered batch on two rows: the second is an error naming the first (which would win?)."""
    if plan.kind not in ("bases", "batches"):
        return
    seen: dict[str, int] = {}
    for r in plan.rows:
        if r.roster or not r.key:
            continue
        if r.key in seen:
            r.status = "error"
            r.errors = [
                Problem(
                    r.row,
                    KEY[plan.kind],
                    messages.text("register.duplicate", row=r.row, first=seen[r.key], key=r.key),
                )
            ]
        else:
            seen[r.key] = r.row


def _run(db: Database, plan: RegisterPlan, *, commit: bool, skip_invalid: bool = False) -> RegisterResult:
    handler = HANDLERS[plan.kind]
    counts = {"new": 0, "changed": 0, "unchanged": 0, "skipped": 0}
    if not commit:
        _duplicates(plan)
    try:
        with db.session(write=True) as session:
            for group in _records(plan):
                if any(r.errors for r in group) and ((commit and skip_invalid) or group[0].status == "error"):
                    counts["skipped"] += 1
                    continue
                savepoint = session.begin_nested()
                try:
                    status, changes = handler(db, session, group)
                    savepoint.commit()
                except (DomainError, CellError) as exc:
                    savepoint.rollback()
                    if commit:
                        raise
                    _fail(group, exc)
                    continue
                except DBAPIError as exc:  # a rule only the database knows: this record's error, not a crash
                    savepoint.rollback()
                    if commit:
                        raise
                    detail = str(getattr(exc, "orig", exc)).splitlines()[0]
                    _fail(group, CellError(messages.text("register.db_refused", detail=detail)))
                    continue
                for r in group:
                    r.status, r.changes = status, changes
                counts[status] += 1
            for code, sheet in plan.roster_sheets.items():
                _roster(db, session, plan, code, sheet, commit=commit, skip_invalid=skip_invalid)
            if not commit:
                raise _Rollback
    except _Rollback:
        pass
    return RegisterResult(counts["new"], counts["changed"], counts["unchanged"], counts["skipped"])


def _fail(group: list[RegisterRow], exc: Exception) -> None:
    """Mark a record's rows as errors; the message goes on the row it names (else the record's first row)."""
    field_name = getattr(exc, "field", "") or ""
    message = exc.message if isinstance(exc, DomainError) else str(exc)
    row = getattr(exc, "row", None) or group[0].row
    for r in group:
        r.status = "error"
    target = next((r for r in group if r.row == row), group[0])
    target.errors.append(Problem(target.row, field_name, message))


class _RowError(CellError):
    def __init__(self, row: int, field_name: str, message: str):
        super().__init__(message)
        self.row, self.field, self.message = row, field_name, message


def _value(r: RegisterRow, name: str, convert: Callable[[Cell], Any]) -> Any:
    try:
        return convert(r.values.get(name))
    except CellError as exc:
        header = HEADERS[r.kind][name][0] if name in HEADERS[r.kind] else name
        raise _RowError(
            r.row, name, messages.text("register.cell", row=r.row, header=header, detail=exc)
        ) from exc


_OTHER_CHANGES = {
    "certification": "register.change.certification",
    "items": "register.change.items",
    "lodging": "register.change.lodging",
    "status": "register.change.status",
    "price_fen": "register.change.price",
    "agreement": "register.change.agreement",
    "roster": "register.change.roster",
}


def describe_changes(kind: str, changes: list[str]) -> str:
    """The changed fields as the register names them: 床位数、认定（有效期至）、协议 JD-2021-001."""
    words = []
    for change in changes:
        head, _, detail = change.partition(".")
        name, _, number = head.partition(":")
        if name in HEADERS[kind]:
            word = HEADERS[kind][name][0]
        elif name in _OTHER_CHANGES:
            word = messages.text(_OTHER_CHANGES[name]) + (f" {number}" if number else "")
        else:
            word = name
        if detail:
            inner = HEADERS[kind].get(detail, HEADERS[kind].get(f"cert_{detail}", (detail,)))[0]
            word += f"（{inner}）"
        words.append(word)
    return "、".join(dict.fromkeys(words))


def fold(text: object) -> str:
    """What two spellings of one name share: full-width and half-width alike (（ and (), no spaces, any case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).lower()


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
    text = lambda name: _value(r, name, to_text)  # noqa: E731
    count = lambda name: _value(r, name, to_int) or 0  # noqa: E731
    data = base_service.BaseInput(
        name=text("name"),
        kind=_value(r, "kind", lambda v: to_choice("base_kind", v, BaseKind.HOTEL.value)),
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
    level = _value(r, "cert_level", lambda v: to_choice("cert_level", v, ""))
    number = _value(r, "certificate_no", to_code) or None
    valid_from = _value(r, "cert_valid_from", to_date)
    valid_to = _value(r, "cert_valid_to", to_date)
    if valid_from is None or valid_to is None:
        raise _RowError(
            r.row, "cert_valid_to", messages.text("register.cert_term", row=r.row, base=base_name)
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
            raise _RowError(
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
    text = lambda name: _value(r, name, to_text)  # noqa: E731
    data = partner_service.PartnerInput(
        name=text("name"),
        kind=_value(r, "kind", lambda v: to_choice("partner_kind", v, PartnerKind.ENTERPRISE.value)),
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
        if not _value(row, "number", to_text):
            continue
        agreement_changes = _agreement(db, session, row, partner_id)
        if agreement_changes and status != "new":
            changes += agreement_changes
            status = "changed"
    return status, changes


def _agreement(db: Database, session: Session, r: RegisterRow, partner_id: int) -> list[str]:
    number = _value(r, "number", to_code)
    signed_on = _value(r, "signed_on", to_date)
    valid_from = _value(r, "valid_from", to_date)
    valid_to = _value(r, "valid_to", to_date)
    missing = [
        f
        for f, v in (("signed_on", signed_on), ("valid_from", valid_from), ("valid_to", valid_to))
        if v is None
    ]
    if missing:
        header = HEADERS["partners"][missing[0]][0]
        raise _RowError(r.row, missing[0], messages.text("register.missing", row=r.row, header=header))
    data = partner_service.AgreementInput(
        partner_id=partner_id,
        number=number,
        signed_on=signed_on,
        valid_from=valid_from,
        valid_to=valid_to,
        quota_batches=_value(r, "quota_batches", to_int),
        quota_people=_value(r, "quota_people", to_int),
        price_fen=_value(r, "price", to_money_fen),
        notes=_value(r, "notes", to_text),
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
    text = lambda name: _value(r, name, to_text)  # noqa: E731
    items: list[route_service.RouteItemInput] = []
    for row in group:
        activity = _value(row, "activity", to_text)
        day_no = _value(row, "day_no", to_int)
        if not activity and day_no is None:
            continue
        if day_no is None:
            raise _RowError(
                row.row, "day_no", messages.text("register.missing", row=row.row, header="第几天")
            )
        base_name = _value(row, "base", to_text)
        base_id = None
        if base_name:
            base_id = _id_of(session, Base, "name", base_name)
            if base_id is None:
                raise _RowError(
                    row.row, "base", messages.text("register.no_base", row=row.row, name=base_name)
                )
        default_kind = ItemKind.LODGING.value if base_id else ItemKind.ACTIVITY.value
        items.append(
            route_service.RouteItemInput(
                day_no=day_no,
                activity=activity,
                kind=_value(
                    row,
                    "item_kind",
                    partial(to_choice, "item_kind", default=default_kind),
                ),
                time_of_day=_value(row, "time_of_day", to_text),
                place=_value(row, "place", to_text),
                base_id=base_id,
            )
        )
    days = _value(r, "days", to_int) or max((i.day_no for i in items), default=1)
    nights = _value(r, "nights", to_int)
    data = route_service.RouteInput(
        code=_value(r, "code", to_code),
        name=text("name"),
        theme=_value(r, "theme", lambda v: to_choice("theme", v, Theme.LEISURE.value)),
        days=days,
        nights=max(days - 1, 0) if nights is None else nights,
        price_fen=_value(r, "price", to_money_fen),
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
    old_items = [
        (i.day_no, i.time_of_day, i.kind, i.activity, i.place, i.base_id)
        for i in session.exec(
            select(RouteItem)
            .where(RouteItem.route_id == existing.id)
            .order_by(col(RouteItem.day_no), col(RouteItem.seq))
        ).all()
    ]
    new_items = [(i.day_no, i.time_of_day, i.kind, i.activity, i.place, i.base_id) for i in items]
    if sorted(old_items, key=str) != sorted(new_items, key=str):
        changes.append("items")
    if changes:
        route_service.update_route(db, existing.id, existing.version, data)
    return ("changed" if changes else "unchanged"), changes


# --- batches ---------------------------------------------------------------------------------------------


def _batch(db: Database, session: Session, group: list[RegisterRow]) -> tuple[str, list[str]]:
    r = group[0]
    text = lambda name: _value(r, name, to_text)  # noqa: E731
    partner_name = text("partner")
    partner_id = _id_of(session, Partner, "name", partner_name)
    if partner_id is None:
        raise _RowError(r.row, "partner", messages.text("register.no_partner", row=r.row, name=partner_name))
    agreement_id = None
    if text("agreement"):
        agreement_id = _id_of(session, Agreement, "number", text("agreement"))
        if agreement_id is None:
            raise _RowError(
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
            raise _RowError(r.row, "route", messages.text("register.no_route", row=r.row, name=text("route")))
    year = r.values.get("_year")
    arrival = _value(r, "arrival", lambda v: to_date(v, year))
    departure = _value(r, "departure", lambda v: to_date(v, year))
    stay = _value(r, "dates", lambda v: to_date_range(v, year))
    if stay is not None and arrival is None:
        arrival, departure = stay[0], departure or stay[1]
    headcount = _value(r, "headcount", to_int)
    for name, value in (("arrival", arrival), ("departure", departure), ("headcount", headcount)):
        if value is None:
            raise _RowError(
                r.row, name, messages.text("register.missing", row=r.row, header=HEADERS["batches"][name][0])
            )
    lodging: tuple[batch_service.LodgingInput, ...] = ()
    if text("base"):
        base_id = _id_of(session, Base, "name", text("base"))
        if base_id is None:
            raise _RowError(r.row, "base", messages.text("register.no_base", row=r.row, name=text("base")))
        nights = (departure - arrival).days
        lodging = tuple(
            batch_service.LodgingInput(base_id, arrival + dt.timedelta(days=i), headcount)
            for i in range(max(nights, 0))
        )
    kind = _value(r, "kind", lambda v: to_choice("batch_kind", v, BatchKind.RECUPERATION.value))
    status_value = _value(r, "status", lambda v: to_choice("status", v, BatchStatus.PLANNED.value))
    data = batch_service.BatchInput(
        partner_id=partner_id,
        arrival=arrival,
        departure=departure,
        headcount=headcount,
        kind=kind,
        status=status_value,
        code=_value(r, "code", to_code),
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
    values = {
        f: getattr(data, f)
        for f in (
            "partner_id",
            "arrival",
            "departure",
            "headcount",
            "kind",
            "agreement_id",
            "route_id",
            "leader",
            "leader_phone",
            "guide",
            "vehicle",
            "notes",
        )
    }
    values["leader_phone"] = partner_service.check_phone(
        "batch", data.code, data.leader_phone, field="leader_phone"
    )
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


def _roster(
    db: Database,
    session: Session,
    plan: RegisterPlan,
    code: str,
    sheet: Sheet,
    *,
    commit: bool,
    skip_invalid: bool,
) -> None:
    """A batch's roster sheet, planned (and when committing, imported) like a roster sent by the partner."""
    from recuperation.services.roster_import import apply_import, plan_sheets

    shown = next((r for r in plan.rows if r.roster == code), None)
    if shown is None:
        shown = RegisterRow(plan.kind, 1, messages.text("register.roster_of", code=code), {}, roster=code)
        plan.rows.append(shown)
    elif commit and skip_invalid and shown.errors:
        return  # left out with the other rows that have errors
    savepoint = session.begin_nested()
    try:
        roster = plan_sheets(db, code, [sheet], f"{plan.source} [{sheet.name}]")
        shown.row = roster.layout.header_row + 2
        if roster.errors and not (commit and skip_invalid):
            shown.status = "error"
            shown.errors = [
                Problem(
                    p.row,
                    p.field,
                    messages.text("register.roster_problem", code=code, row=p.row, detail=p.message),
                )
                for p in roster.errors
            ]
            if commit:
                raise ValidationError(
                    "register.refused", field="file", errors=len({p.row for p in roster.errors})
                )
            savepoint.rollback()
            return
        if commit:
            apply_import(db, roster, skip_invalid=skip_invalid, reason=messages.text("register.imported"))
        changes = [f"roster:+{len(roster.added)}"] if roster.added else []
        changes += [f"roster:-{len(roster.removed)}"] if roster.removed else []
        changes += [f"roster:~{len(roster.changed)}"] if roster.changed else []
        shown.status = "changed" if changes else "unchanged"
        shown.changes = changes
        savepoint.commit()
    except DomainError as exc:
        savepoint.rollback()
        if commit:
            raise
        shown.status = "error"
        shown.errors = [Problem(shown.row, exc.field or "", exc.message)]


HANDLERS: dict[str, Callable[[Database, Session, list[RegisterRow]], tuple[str, list[str]]]] = {
    "bases": _base,
    "partners": _partner,
    "routes": _route,
    "batches": _batch,
}
