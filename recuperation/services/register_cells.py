"""What an office's register holds and how its cells are read: each register's columns and the words offices
use for them, the labels of kinds and states, and the readers of text, codes, dates, stays, numbers, money
and choices as offices write them.  A cell that cannot be read raises :class:`CellError` (or, with its row,
:class:`RowError`), whose message says what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from recuperation import messages
from recuperation.errors import ValidationError
from recuperation.models import (
    BaseKind,
    BatchKind,
    BatchStatus,
    CertLevel,
    ItemKind,
    PartnerKind,
    Theme,
)
from recuperation.money import MoneyError, parse_yuan
from recuperation.people import normalise_text
from recuperation.services.batch.roster_import import Problem
from recuperation.services.sheet_layout import HeaderTable, Layout
from recuperation.sheets import Cell, Sheet

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
    # and the dates (arrival and departure, or one column with both) and the partner or the code: a sheet
    # of batches without a partner column (a partner's own workbook) names batches on file by their code
    "batches": ("headcount",),
}
#: Fields carried down from the row above when left empty (merged cells, one record over several rows: a
#: partner's agreements, a route's day plan).  Only into a continuation row of the same record: a row whose
#: own :data:`IDENTITY` cell names another record starts that record, and nothing is carried into it (乙公司
#: listed under 甲公司 never takes 甲公司's phone).  Bases and batches are one row each and carry nothing.
CARRIED: dict[str, tuple[str, ...]] = {
    "bases": (),
    "partners": ("name", "kind", "region", "uscc", "contact_name", "contact_phone", "address"),
    "routes": ("code", "name", "theme", "days", "nights", "price", "season", "description"),
    "batches": (),
}
#: The cells that name a record: a row that fills one of them with another value than the record above
#: (compared as :func:`fold` compares names) is a new record.
IDENTITY: dict[str, tuple[str, ...]] = {
    "bases": ("name",),
    "partners": ("name",),
    "routes": ("code", "name"),
    "batches": ("code",),
}
#: Fields whose empty cell says nothing: a record on file keeps its value (a new record takes the default or
#: is refused when the field is needed).  In every other column an empty cell clears the field on file
#: (notes, leader, a batch's agreement, an agreement's quota = 不限 …), because the register is the office's
#: own record of them and our exports write those fields empty when they are.  A column the file does not
#: carry at all is never compared and never changed.  The 说明 sheet of each template says which is which.
KEPT_WHEN_EMPTY: dict[str, frozenset[str]] = {
    "bases": frozenset({"name", "kind", "beds", "rooms", "dining_seats", "meeting_seats"}),
    "partners": frozenset({"name", "kind", "number", "signed_on", "valid_from", "valid_to"}),
    "routes": frozenset({"code", "name", "theme", "days", "nights", "day_no", "item_kind"}),
    "batches": frozenset(
        {"code", "kind", "partner", "arrival", "departure", "dates", "headcount", "base", "status"}
    ),
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
        "进行中": BatchStatus.IN_PROGRESS,
        "已完成": BatchStatus.COMPLETED,
        "完成": BatchStatus.COMPLETED,
        "已取消": BatchStatus.CANCELLED,
        "取消": BatchStatus.CANCELLED,
    },
}


def label_of(table: str, value: str | None) -> str:
    """The first Chinese word the importer reads as ``value`` (宾馆 for hotel, 进行中 for in_progress): what
    every workbook we write uses, so that it reads back as the same value."""
    if not value:
        return ""
    return next((word for word, v in LABELS[table].items() if str(v) == value), value)


def template_header(kind: str, field_name: str) -> str:
    return HEADERS[kind][field_name][0]


#: Each register's header words, for finding its table and columns.
TABLES: dict[str, HeaderTable] = {kind: HeaderTable(headers) for kind, headers in HEADERS.items()}


def field_for(kind: str, value: Cell) -> str | None:
    return TABLES[kind].field(value)


def has_required(kind: str, columns: dict[str, int]) -> bool:
    if not all(f in columns for f in REQUIRED[kind]):
        return False
    if kind != "batches":
        return True
    dated = ("arrival" in columns and "departure" in columns) or "dates" in columns
    return dated and ("partner" in columns or "code" in columns)


def needed_headers(kind: str, columns: dict[str, int] | None = None) -> str:
    """The columns a register needs that ``columns`` lacks (all of them without ``columns``), as headers."""
    have = columns or {}
    missing = [template_header(kind, f) for f in REQUIRED[kind] if f not in have]
    if kind == "batches":
        if not (("arrival" in have and "departure" in have) or "dates" in have):
            missing.append(
                f"{template_header(kind, 'arrival')}、{template_header(kind, 'departure')}"
                f"（{messages.text('register.or')} {template_header(kind, 'dates')}）"
            )
        if "partner" not in have and "code" not in have:
            missing.append(
                f"{template_header(kind, 'partner')}（{messages.text('register.or')} {template_header(kind, 'code')}）"
            )
    return "、".join(missing)


def detect_register_layout(kind: str, sheets: list[Sheet], source: str = "") -> Layout:
    """The sheet and header row with the most recognised headers that has every required field."""
    layout = TABLES[kind].best_layout(sheets, partial(has_required, kind))
    if layout is None:
        raise ValidationError("register.no_header", field="file", path=source, needed=needed_headers(kind))
    return layout


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
        if math.isfinite(value) and float(value).is_integer():
            return int(value)
        raise CellError(messages.text("register.bad_number", value=value))
    text = normalise_text(value)
    if "," in text and not _GROUPED.match(re.sub(r"\s*(张|间|个|人|天|晚|批|座|位)$", "", text)):
        raise CellError(messages.text("register.bad_number", value=messages.shown(text)))
    text = text.replace(",", "")
    match = re.fullmatch(r"(-?\d+)(?:\.0+)?\s*(张|间|个|人|天|晚|批|座|位)?", text)
    if not match:
        raise CellError(messages.text("register.bad_number", value=text))
    return int(match[1])


_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def to_money_fen(value: Cell) -> int | None:
    """An amount in yuan (260, 260.5, 1,260.00, ￥380, 260元) as fen, read exactly through its decimal digits
    (:func:`recuperation.money.parse_yuan`: a formula's 0.1 + 0.2 is 0.30, never a float's rounding); anything
    else (nan, 1e400, 1,5, more than two decimals, a negative or an absurd amount) is an error naming it."""
    if value is None or value == "":
        return None
    try:
        return parse_yuan(value)
    except MoneyError as exc:
        key = "register.bad_amount" if exc.key == "money.not_amount" else exc.key
        raise CellError(messages.text(key, value=exc.value)) from exc


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


def fold(text: object) -> str:
    """What two spellings of one name share: full-width and half-width alike (（ and (), no spaces, any case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).lower()


#: How much of a record's key a report shows (the longest name a record holds): a 100,000-character cell in
#: the key column does not make the JSON of a preview 100 KB a row.
KEY_SHOWN = 100


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
            "key": messages.shown(self.key, limit=KEY_SHOWN),
            "status": self.status,
            "changes": self.changes,
            "errors": [p.to_json() for p in self.errors],
        }


class RowError(CellError):
    """A cell or a record that cannot be read, with the row it is on."""

    def __init__(self, row: int, field_name: str, message: str):
        super().__init__(message)
        self.row, self.field, self.message = row, field_name, message


def given(r: RegisterRow, name: str) -> bool:
    """Whether the file says something about a field of this row: its column is there, and the cell is filled
    or the field is one an empty cell clears (see :data:`KEPT_WHEN_EMPTY`)."""
    if name not in r.values:
        return False
    value = r.values[name]
    return not (value is None or str(value).strip() == "") or name not in KEPT_WHEN_EMPTY[r.kind]


def cell_value(r: RegisterRow, name: str, convert: Callable[[Cell], Any]) -> Any:
    try:
        return convert(r.values.get(name))
    except CellError as exc:
        header = HEADERS[r.kind][name][0] if name in HEADERS[r.kind] else name
        raise RowError(
            r.row, name, messages.text("register.cell", row=r.row, header=header, detail=exc)
        ) from exc
