"""Feedback as a workbook: a batch's responses exported, and a workbook of answers imported — our own export,
or an online survey tool's (问卷星, 腾讯问卷: title rows above the header, merged header cells, one row per
answer, star answers as 1-5, “非常满意” … “非常不满意” or “5星”, free-text comments).

**Reading** (:func:`plan_feedback`): the file through the bounded reader (:func:`recuperation.sheets.
read_sheets`); the header row is the row (within the first 30, on any sheet) whose cells name the most columns
the import knows, read over two rows when a group header is merged over its sub-headers (寿昌宾馆 over 住宿 |
餐饮 | …).  Each column is mapped to one target (:func:`recognise`): 问卷编号 (序号), 填写人, 填写日期 (提交答卷时间),
批次, a comment (意见建议; several free-text columns are joined, each after its heading), or the stars of a
(base or route, dimension) the batch offers — a heading naming a base of the batch and a dimension
(“寿昌宾馆-餐饮”, “1. 您对住宿的满意度”); a dimension alone is the base's the batch sleeps at when it sleeps at
one (a scenic spot it visits does not count), else the route's, and always the route's for 总体 (the trip's
overall satisfaction).  A survey tool's row counter (序号, 编号, 答卷序号) is not the questionnaire's number:
only a heading naming it (问卷编号) is; a title row above the header (in A1, merged across or not) is a title,
never group headings glued to the headings below it.  A guessed star column whose answers are mostly not stars is left
out.  The mapping can be changed (the desk's preview, ``--map COLUMN=TARGET`` on the command line).

**Matching**: a row with a questionnaire number is that response of the batch; a row without one is matched
by its date and respondent (the columns the file has), an identical response first.  A response entered at
the desk (the grid, from paper) is never changed by another file: a row that would change it is a problem
shown in the preview (“问卷 3 已手工录入，文件中的答案不同：…”), which the user resolves or skips; only the
desk's own export of the batch (its 批次编号 line) edits entered responses.  A row without a number is taken
for an entered response only when identical to it.  Only the columns the
file carries are compared and changed: a star column's blank is "not answered" (a star removed), a column the
file lacks keeps what is on file.  Importing the same file twice changes nothing.

**Writing** (:func:`apply_feedback`): nothing when a row has a problem, unless the bad rows are skipped (they
are named); otherwise every response added and changed in one transaction
(:func:`recuperation.services.feedback.write_edits`), refused whole when another desk changed a response since
the preview.  Rows that name another batch in a 批次 column are left out and counted.

**Export** (:func:`export_feedback`): 问卷反馈 (the batch's code above the header; 问卷编号, 填写人, 填写日期, a
column per (base or route, dimension) headed as the grid heads it, 意见建议) and 说明.  It imports back with
zero changes; numbers typed into a comment or as the respondent are masked, and a masked text stands for the
stored one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from recuperation import messages
from recuperation.errors import RuleViolation, ValidationError
from recuperation.labels import labels
from recuperation.models import Dimension
from recuperation.people import MASKED_IN_TEXT, mask_in_text
from recuperation.services import feedback as service
from recuperation.services.sheet_layout import HEADER_SCAN_ROWS, Layout, skipped_row, table_end
from recuperation.sheets import Cell, Sheet, read_sheets
from recuperation.storage.database import Database

#: The targets a column can have besides the stars of a (base or route, dimension).
SHEET_NO, RESPONDENT, ANSWERED_ON, COMMENT, BATCH = (
    "sheet_no",
    "respondent",
    "answered_on",
    "comment",
    "batch",
)
FIELDS = (SHEET_NO, RESPONDENT, ANSWERED_ON, COMMENT, BATCH)
#: What a column mapped to nothing is written as on the command line (``--map F=-``).
NOTHING = ("-", "无", "不导入", "none", "skip")

# Header words, compared after :func:`fold` (half-width, lower case, no spaces or marks).  ``EXACT``: the whole
# heading; ``CONTAINS``: a phrase anywhere in it (所用时间 is no date, 提交答卷时间 is).
EXACT: dict[str, tuple[str, ...]] = {
    # only a heading naming the questionnaire's own number: a survey tool's 序号 / 编号 / 答卷序号 counts its
    # rows 1..n and would land on the paper sheets 1..n entered at the desk
    SHEET_NO: ("问卷编号", "问卷号", "sheetno", "questionnaireno"),
    RESPONDENT: (
        "填写人",
        "填表人",
        "答卷人",
        "填写者",
        "姓名",
        "评价人",
        "组别",
        "小组",
        "团员",
        "respondent",
        "name",
    ),
    ANSWERED_ON: (
        "填写日期",
        "填表日期",
        "日期",
        "时间",
        "提交时间",
        "提交日期",
        "提交答卷时间",
        "答卷时间",
        "填写时间",
        "date",
        "submitted",
    ),
    COMMENT: ("意见建议", "意见和建议", "意见", "建议", "留言", "评语", "备注", "comment", "comments"),
    BATCH: ("批次", "批次编号", "批次号", "团队编号", "团号", "batch", "batchcode"),
}
CONTAINS: dict[str, tuple[str, ...]] = {
    SHEET_NO: ("问卷编号",),
    RESPONDENT: ("姓名", "填写人", "填表人"),
    ANSWERED_ON: ("提交答卷时间", "提交时间", "填写时间", "填写日期", "填表日期", "答卷时间"),
}
#: A free-text question (意见, 建议 …) unless the heading asks for a score (满意, 评分 …).
COMMENT_WORDS = ("意见", "建议", "留言", "评语", "想说", "补充", "comment", "suggestion", "remark")
SCORE_WORDS = ("满意", "评分", "打分", "星级", "分数", "评价", "score", "rating", "stars")
#: The words of each dimension (besides its labels), longest first when compared.
DIMENSION_WORDS: dict[str, tuple[str, ...]] = {
    Dimension.LODGING.value: ("住宿", "客房", "房间", "入住", "lodging", "accommodation", "room", "rooms"),
    Dimension.FOOD.value: ("餐饮", "用餐", "饮食", "伙食", "菜品", "餐食", "food", "meal", "meals", "dining"),
    Dimension.ACTIVITIES.value: (
        "活动安排",
        "活动",
        "行程安排",
        "日程安排",
        "activities",
        "activity",
        "programme",
    ),
    Dimension.GUIDE.value: ("导游讲解", "导游", "讲解", "guide", "guiding"),
    Dimension.TRANSPORT.value: ("交通", "车辆", "用车", "乘车", "大巴", "transport", "coach", "bus"),
    Dimension.SAFETY.value: ("安全保障", "安全", "safety"),
    Dimension.OVERALL.value: ("总体满意度", "总体", "整体", "综合", "总评", "overall"),
}
#: A heading about the trip as a whole: the route's stars.
ROUTE_WORDS = ("线路", "路线", "route", "本次疗休养", "此次疗休养", "整个行程", "本次行程", "本次活动")
#: Star answers in words (满意度量表): 5 is 非常满意.
STAR_WORDS: dict[str, int] = {
    "非常满意": 5,
    "很满意": 5,
    "十分满意": 5,
    "满意": 4,
    "比较满意": 4,
    "较满意": 4,
    "一般": 3,
    "基本满意": 3,
    "不太满意": 2,
    "比较不满意": 2,
    "较不满意": 2,
    "不满意": 2,
    "非常不满意": 1,
    "很不满意": 1,
    "极不满意": 1,
}
#: What a survey tool writes for a question not answered (问卷星: (跳过), (空)).
BLANK_ANSWERS = {"", "-", "—", "/", "(跳过)", "跳过", "(空)", "空", "未答", "未填", "n/a", "na", "不适用"}
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_MARKS = re.compile(r"[\s*＊:：()（）\[\]【】<>《》“”\"'‘’_\-—－·•.,，、;；?？!！/|]")
_QUESTION_NUMBER = re.compile(r"^(?:第?\s*[qQ]?\d{1,3}\s*(?:题|[.、:：．）)]))+\s*")
_STAR_NUMBER = re.compile(r"^([1-5])(?:\.0+)?(?:星|颗星|分|stars?|points?)?$")  # 5, 5.0 (a CSV), 5星
#: Stars drawn: filled ones (★, ⭐), then hollow ones for the rest of the scale (★★★★☆ is 4).
_STARS_DRAWN = re.compile(r"^([★⭐]{1,5})☆{0,4}$")
#: Excel's day 0: a date cell read as its serial number (44328 is 2021-05-12), as the registers read it.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_STAR_CHINESE = re.compile(r"^([一二三四五])(?:星|颗星|分)$")
_STAR_WITH_WORD = re.compile(r"^([1-5])(?:星|分)?\(?([^\d()]*)\)?$|^([^\d()]*)\(?([1-5])(?:星|分)?\)?$")


def fold(value: object) -> str:
    """A heading or an answer as compared: half-width, lower case, without spaces, brackets or marks."""
    text = unicodedata.normalize("NFKC", str(value or "")).lower()
    return _MARKS.sub("", text)


def _heading(value: object) -> str:
    """A heading as compared, without the question's number in front (1. 1、 Q1 第1题)."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    return fold(_QUESTION_NUMBER.sub("", text))


def column_letter(index: int) -> str:
    """A column's letters as a spreadsheet shows them: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int | None:
    """The 0-based column of letters (A, ab) or None when they are not letters."""
    text = letters.strip().upper()
    if not text or not text.isascii() or not text.isalpha() or len(text) > 3:
        return None
    index = 0
    for char in text:
        index = index * 26 + ord(char) - 64
    return index - 1


# -- recognising headings ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """What a batch's columns can be: its subjects (bases, then the route) and the dimensions offered."""

    subjects: tuple[service.Subject, ...]
    dimensions: tuple[str, ...]
    #: The names of the other bases (folded): a heading naming one of them (a partner's survey asking about
    #: every hotel of its route) is no column of this batch, never taken as its only base's.
    elsewhere: tuple[str, ...] = ()

    @property
    def bases(self) -> tuple[service.Subject, ...]:
        return tuple(s for s in self.subjects if s.base_id is not None)

    @property
    def lodging(self) -> tuple[service.Subject, ...]:
        """The bases the batch sleeps at (all its bases when none is marked: a day trip)."""
        return tuple(s for s in self.bases if s.lodging) or self.bases

    def all_keys(self) -> list[str]:
        return [service.target_key(s.base_id, d) for s in self.subjects for d in self.dimensions]

    def shown(self, key: str, language: str | None = None) -> str:
        """A target as the preview and the messages name it: 寿昌宾馆·餐饮, 问卷编号 …"""
        if key in FIELDS or key.startswith(COMMENT + "."):
            return messages.text(f"feedback.target.{key.split('.')[0]}")
        base_id, dimension = service.parse_key(key)
        subject = next(
            (s for s in self.subjects if s.base_id == base_id), service.Subject(base_id, str(base_id))
        )
        return service.Target(subject, dimension).shown(language)


def _dimension_words() -> list[tuple[str, str]]:
    """(folded word, dimension), longest first: the words above and every label of the enumeration."""
    pairs = {(fold(w), d) for d, words in DIMENSION_WORDS.items() for w in words}
    for language in ("zh", "en"):
        pairs |= {(fold(text), code) for code, text in labels("dimension", language).items()}
    return sorted(pairs, key=lambda p: (-len(p[0]), p[0]))


_DIMENSION_WORDS = _dimension_words()


def _dimension_in(text: str) -> tuple[str | None, bool]:
    """The dimension a heading names (None: none or several), and whether it names any."""
    found: set[str] = set()
    rest = text
    for word, dimension in _DIMENSION_WORDS:
        if word and word in rest:
            found.add(dimension)
            rest = rest.replace(word, "\x00")
    if Dimension.OVERALL.value in found:  # 您对本次活动的总体满意度: 总体 decides
        return Dimension.OVERALL.value, True
    if len(found) == 1:
        return next(iter(found)), True
    return None, bool(found)


def recognise(heading: object, targets: Targets) -> str | None:
    """The target a column's heading names, or None (see the module's docstring)."""
    text = _heading(heading)
    if not text:
        return None
    for name in (BATCH, SHEET_NO, ANSWERED_ON, RESPONDENT, COMMENT):
        if text in {fold(w) for w in EXACT[name]}:
            return name
    # a base's (or the route's) name in the heading: the longest one found, of the batch's bases or another's
    subject: service.Subject | None = None
    rest = text
    route = targets.subjects[-1] if targets.subjects and targets.subjects[-1].base_id is None else None
    # the route's own name is not another base's (大慈岩 in 大慈岩一日游)
    probe = text.replace(fold(route.name), "\x00") if route is not None and fold(route.name) else text
    foreign = False  # another base's column (梅城大酒店-住宿 in a batch that never went there)
    names = [(fold(s.name), s) for s in targets.bases] + [(n, None) for n in targets.elsewhere]
    for name, candidate in sorted(names, key=lambda pair: -len(pair[0])):
        if candidate is not None and name and name in text:
            subject, rest = candidate, text.replace(name, "\x00")
            break
        if candidate is None and name and name in probe:
            foreign = True
            break
    if subject is None and route is not None and not foreign:
        route_name = fold(route.name)
        words = [fold(w) for w in (*ROUTE_WORDS, route_name or "线路")]
        hit = next((w for w in sorted(words, key=len, reverse=True) if w and w in text), None)
        if hit:
            subject, rest = route, text.replace(hit, "\x00")
    score = any(fold(w) in text for w in SCORE_WORDS)
    if any(fold(w) in text for w in COMMENT_WORDS) and not score:
        return COMMENT
    for name in (SHEET_NO, ANSWERED_ON, RESPONDENT):
        if subject is None and any(fold(w) in text for w in CONTAINS.get(name, ())):
            return name
    if foreign:
        return None
    dimension, named = _dimension_in(rest)
    if dimension is None and named:
        return None  # 住宿和餐饮: two dimensions in one column, which the user must choose
    if dimension is None:
        if subject is None or not (score or subject.base_id is None):
            return None
        dimension = Dimension.OVERALL.value  # 您对寿昌宾馆的满意度
    if dimension not in targets.dimensions:
        return None
    if subject is None:
        bases = targets.lodging
        if dimension != Dimension.OVERALL.value and len(bases) == 1:
            subject = bases[0]
        elif route is not None:
            subject = route
        else:
            return None
    return service.target_key(subject.base_id, dimension)


def read_target(text: str, targets: Targets) -> str | None:
    """A target as typed on the command line (``--map F=寿昌宾馆·餐饮``): a field's code or heading, a target key
    (route:overall, b12:food), or a heading as :func:`recognise` reads it; "" for "import nothing" (``-``)."""
    word = text.strip()
    if fold(word) in {fold(w) for w in NOTHING}:
        return ""
    if word in FIELDS:
        return word
    if word in targets.all_keys():
        return word
    found = recognise(word, targets)
    if found is None:
        return None
    return found if found in FIELDS or found in targets.all_keys() else None


# -- reading cells ---------------------------------------------------------------------------------------------------


def _text(value: Cell) -> str:
    """A cell's text exactly as written, only the spaces around it trimmed."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


#: What a survey tool writes in a free-text answer left empty (a comment, a respondent's name): the answer is
#: empty, not these words.
SKIPPED_TEXT = {"(跳过)", "跳过", "(空)"}


def _answer(value: Cell) -> str:
    """A free-text answer exactly as written (trimmed), empty for a question skipped ((跳过), (空))."""
    text = _text(value)
    return "" if unicodedata.normalize("NFKC", text) in SKIPPED_TEXT else text


def parse_stars(value: Cell) -> int | None:
    """Stars from a cell: 1-5, “5星”, “★★★★”, “五星”, “非常满意” … “非常不满意”, “5（非常满意）”; a blank or a
    skipped question ((跳过), (空)) is None; anything else raises ValueError."""
    if value is None:
        return None
    if isinstance(value, bool | dt.date | dt.datetime | dt.time | dt.timedelta):
        raise ValueError(value)
    if isinstance(value, int | float):
        if float(value).is_integer() and 1 <= value <= 5:
            return int(value)
        raise ValueError(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    compact = re.sub(r"\s+", "", text)
    if compact in BLANK_ANSWERS:
        return None
    if compact in STAR_WORDS:
        return STAR_WORDS[compact]
    if match := _STAR_NUMBER.match(compact):
        return int(match[1])
    drawn = _STARS_DRAWN.match(compact.replace("\ufe0f", ""))
    if drawn and len(drawn[0].replace("\ufe0f", "")) <= 5:
        return len(drawn[1])
    if match := _STAR_CHINESE.match(compact):
        return _CHINESE_DIGITS[match[1]]
    if match := _STAR_WITH_WORD.match(compact.replace("（", "(").replace("）", ")")):
        digit, word = (match[1], match[2]) if match[1] else (match[4], match[3])
        word = word.strip()
        if not word or STAR_WORDS.get(word) == int(digit):
            return int(digit)
    raise ValueError(value)


def _star_answer(value: Cell) -> bool:
    try:
        return parse_stars(value) is not None
    except ValueError:
        return False


def parse_day(value: Cell) -> dt.date | None:
    """A day from a date cell or a text (2021-05-12 10:23:45, 2021/5/12, 2021年5月12日, 20210512), or a date
    cell read as its serial number (44328, 44328.43 with the time: 2021-05-12); ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        day = service.read_day(value)
        if isinstance(day, dt.date):
            return day
        text = unicodedata.normalize("NFKC", value).strip()
        if re.fullmatch(r"\d{8}", text):
            try:
                return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
            except ValueError:
                raise ValueError(value) from None
        if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
            value = float(text)
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    raise ValueError(value)


def parse_sheet_no(value: Cell) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if 1 <= value <= service.MAX_SHEET_NO:
            return value
        raise ValueError(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text.isdigit() and 1 <= int(text) <= service.MAX_SHEET_NO:
        return int(text)
    raise ValueError(value)


# -- the plan ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    row: int  # the row number as the spreadsheet shows it
    column: str  # its letters (F), or "" for the row as a whole
    field: str  # the target (sheet_no, b12:food …)
    message: str

    def to_json(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "field": self.field, "message": self.message}


@dataclass
class ImportRow:
    row: int
    sheet_no: int | None = None
    respondent: str = ""
    answered_on: dt.date | None = None
    comment: str = ""
    stars: dict[str, int | None] = field(default_factory=dict)
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    #: What importing does with it: new, changed (``changes``), unchanged, other_batch, or "" (errors).
    result: str = ""
    changes: list[str] = field(default_factory=list)
    response_id: int | None = None
    version: int | None = None
    data: service.ResponseInput | None = None  # the response as it will be
    batch: str = ""  # the 批次 column's value, when the file has one

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class FeedbackPlan:
    """What importing a file would do, row by row; nothing is written yet."""

    batch_id: int
    batch_code: str
    path: str
    layout: Layout
    headers: list[str]
    sheet_names: list[str]
    targets: Targets
    rows: list[ImportRow]
    samples: list[str] = field(default_factory=list)  # each column's first answer, for the mapping
    unmapped: list[int] = field(default_factory=list)  # columns with a heading that are not imported
    #: The batch's responses (ids) when the file was read: the import is refused when another desk added or
    #: deleted one since (the same file imported at two desks at once would otherwise add its rows twice).
    seen: frozenset[int] = frozenset()
    #: The desk's own export of the batch (its 批次编号 line above the header): it may change responses entered
    #: at the desk; any other file may not (see :func:`_match`).
    from_export: bool = False

    @property
    def columns(self) -> dict[str, int]:
        return self.layout.columns

    @property
    def errors(self) -> list[RowProblem]:
        return [p for r in self.rows for p in r.errors]

    @property
    def warnings(self) -> list[RowProblem]:
        return [p for r in self.rows for p in r.warnings]

    def count(self, result: str) -> int:
        return sum(1 for r in self.rows if r.result == result)

    @property
    def valid(self) -> int:
        return sum(1 for r in self.rows if r.ok and r.result != "other_batch")

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.errors})

    def shown(self, key: str) -> str:
        return self.targets.shown(key)

    def report(self) -> dict[str, object]:
        return {
            "batch": self.batch_code,
            "file": self.path,
            "sheet": self.layout.sheet,
            "header_row": self.layout.header_row + 1,
            "columns": {
                f"{column_letter(c)} {self.headers[c] if c < len(self.headers) else ''}".strip(): self.shown(
                    k
                )
                for k, c in sorted(self.layout.columns.items(), key=lambda i: i[1])
            },
            "not_imported": [f"{column_letter(c)} {self.headers[c]}".strip() for c in self.unmapped],
            "rows": len(self.rows),
            "valid": self.valid,
            "added": self.count("new"),
            "changed": self.count("changed"),
            "unchanged": self.count("unchanged"),
            "other_batch": self.count("other_batch"),
            "errors": [p.to_json() for p in self.errors],
            "warnings": [p.to_json() for p in self.warnings],
        }

    def summary(self) -> str:
        return messages.text(
            "feedback.import_summary",
            code=self.batch_code,
            rows=len(self.rows),
            added=self.count("new"),
            changed=self.count("changed"),
            unchanged=self.count("unchanged"),
            errors=len(self.bad_rows),
        )


def _cell(row: Sequence[Cell], column: int | None) -> Cell:
    if column is None or column >= len(row):
        return None
    return row[column]


def _readings(sheet: Sheet, index: int) -> list[tuple[int, list[str]]]:
    """The headings of row ``index`` read alone, and read with the row above as a header over two rows (a group
    heading merged over its sub-headings: each sub-heading after the nearest group heading to its left)."""
    rows = sheet.rows
    row = rows[index]
    one = [_text(c) for c in row]
    found = [(1, one)]
    if index >= 1 and not _title_row(rows[index - 1]):
        top = rows[index - 1]
        width = max(len(top), len(row))
        pair: list[str] = []
        group = ""
        for column in range(width):
            upper, lower = _text(_cell(top, column)), _text(_cell(row, column))
            if upper:
                group = upper
            elif not lower:
                group = ""
            if lower and group and group != lower:
                pair.append(f"{group}·{lower}" if not upper or upper == group else f"{upper}·{lower}")
            else:
                pair.append(lower or upper)
        found.append((2, pair))
    return found


def _title_row(row: Sequence[Cell]) -> bool:
    """Whether a row is a title (a survey's name in A1, merged across the table or not): its only filled cell is
    the first.  A title row is never read as group headings over the header below it (it would be glued to
    every heading: “满意度调查·序号”); a group heading (寿昌宾馆 over 住宿 | 餐饮) sits over its own columns."""
    filled = [i for i, c in enumerate(row) if _text(c)]
    return filled == [0]


def _where_heading(heading: str, limit: int = 30) -> str:
    """A heading quoted in a problem: whole when short, else its start and its end (the question), never the
    end cut off (“寿昌古镇休闲线路 职工疗休养满意度调查…” hid which question it was)."""
    text = messages.shown(heading, 10_000)
    if len(text) <= limit:
        return text
    tail = limit * 2 // 3
    return f"{text[: limit - tail - 1]}…{text[-tail:]}"


def _guess(headings: list[str], targets: Targets) -> dict[str, int]:
    """target → column for each heading the import recognises (the first column of a target wins; several
    free-text columns: comment, comment.2 …)."""
    columns: dict[str, int] = {}
    comments = 0
    for column, heading in enumerate(headings):
        target = recognise(heading, targets)
        if target is None:
            continue
        if target == COMMENT:
            comments += 1
            target = COMMENT if comments == 1 else f"{COMMENT}.{comments}"
        columns.setdefault(target, column)
    return columns


def _score(columns: Mapping[str, int]) -> tuple[int, int]:
    stars = sum(1 for k in columns if k not in FIELDS and not k.startswith(COMMENT))
    return stars, len(columns)


def _best_layout(sheets: list[Sheet], targets: Targets) -> Layout | None:
    best: tuple[tuple[int, int], Layout] | None = None
    for sheet in sheets:
        for index in range(min(len(sheet.rows), HEADER_SCAN_ROWS)):
            for header_rows, headings in _readings(sheet, index):
                columns = _guess(headings, targets)
                score = _score(columns)
                if score[0] == 0 and COMMENT not in columns:
                    continue
                if best is None or score > best[0]:
                    best = (score, Layout(sheet.name, index, columns, header_rows))
    return best[1] if best else None


def _headings(sheet: Sheet, layout: Layout) -> list[str]:
    readings = dict(_readings(sheet, layout.header_row))
    return readings.get(layout.header_rows, readings[1])


def _stated_batch(sheet: Sheet, layout: Layout) -> str:
    """The batch code a sheet's title rows name (批次编号 | CODE, as our export writes it), or ""."""
    for row in sheet.rows[: max(layout.header_row - layout.header_rows + 1, 0)]:
        cells = [_text(c) for c in row]
        for i, cell in enumerate(cells[:-1]):
            if fold(cell) in ("批次编号", "批次") and cells[i + 1]:
                return cells[i + 1].strip()
    return ""


def _rows_of(sheet: Sheet, layout: Layout) -> list[tuple[int, list[Cell]]]:
    found = []
    for index in range(layout.header_row + 1, len(sheet.rows)):
        raw = sheet.rows[index]
        if table_end(raw):
            break
        if skipped_row(raw):
            continue
        found.append((index + 1, raw))
    return found


def _drop_false_stars(
    layout: Layout, rows: list[tuple[int, list[Cell]]], headers: list[str], targets: Targets
) -> Layout:
    """A guessed star column whose answers are mostly not stars (a free-text question that mentions 住宿:
    “住宿方面的问题”) is left out.  A heading that asks for a score (满意, 评分 …) or names a base or the route
    (“寿昌宾馆-餐饮”) is a star column whatever its answers: a bad answer there is named at its cell, never
    passed over in silence.  Blanks and skipped questions ((跳过)) are no answers."""
    columns = dict(layout.columns)
    for key, column in list(columns.items()):
        if key in FIELDS or key.startswith(COMMENT):
            continue
        if column < len(headers) and _named_as_stars(headers[column], targets):
            continue
        answers = [raw[column] for _n, raw in rows if column < len(raw) and not _blank_answer(raw[column])]
        stars = sum(1 for a in answers if _star_answer(a))
        if answers and stars * 2 < len(answers):
            del columns[key]
    return replace(layout, columns=columns)


def _blank_answer(value: Cell) -> bool:
    try:
        return parse_stars(value) is None
    except ValueError:
        return False


def _named_as_stars(heading: str, targets: Targets) -> bool:
    """Whether a heading asks for a score or names one of the batch's bases or the route."""
    text = _heading(heading)
    if any(fold(w) in text for w in SCORE_WORDS):
        return True
    names = [fold(s.name) for s in targets.subjects] + [fold(w) for w in ROUTE_WORDS]
    return any(name and name in text for name in names)


def plan_feedback(
    db: Database,
    batch_code: str,
    path: Path,
    layout: Layout | None = None,
    mapping: Mapping[str, str] | None = None,
) -> FeedbackPlan:
    """Read ``path`` and work out what importing it into the batch would do; writes nothing.

    ``layout`` is a layout the user chose (its ``columns`` target → column; empty: recognise that sheet's row
    afresh); ``mapping`` changes single columns (column letters, number or heading → a target as
    :func:`read_target` reads it, "-" for none)."""
    sheets = read_sheets(path)
    return plan_sheets(db, batch_code, sheets, str(path), layout, mapping)


def plan_sheets(
    db: Database,
    batch_code: str,
    sheets: list[Sheet],
    source: str,
    layout: Layout | None = None,
    mapping: Mapping[str, str] | None = None,
) -> FeedbackPlan:
    """:func:`plan_feedback` for sheets already read."""
    batch_id = service.find_batch_id(db, batch_code)
    grid = service.batch_grid(db, batch_id)
    if not grid.open:
        key = "feedback.cancelled" if grid.status == "cancelled" else "feedback.not_begun"
        raise ValidationError(key, field="batch", code=grid.code, arrival=grid.arrival.isoformat())
    targets = Targets(grid.subjects, grid.dimensions, _other_bases(db, grid.subjects))
    chosen = layout is not None and bool(layout.columns)  # the user's own columns: kept as they are
    if layout is None:
        layout = _best_layout(sheets, targets)
        if layout is None:
            raise ValidationError(
                "feedback.no_header", field="file", path=source, code=grid.code, example=_example(targets)
            )
    sheet = next((s for s in sheets if s.name == layout.sheet), None)
    if sheet is None or layout.header_row >= len(sheet.rows):
        raise ValidationError(
            "feedback.no_header", field="file", path=source, code=grid.code, example=_example(targets)
        )
    headers = _headings(sheet, layout)
    guessed = not layout.columns
    if guessed:  # a sheet and header row chosen: its columns recognised afresh, over one row or two
        readings = dict(_readings(sheet, layout.header_row))
        one, two = _guess(readings[1], targets), _guess(readings.get(2, []), targets)
        header_rows = 2 if 2 in readings and _score(two) > _score(one) else 1
        layout = Layout(layout.sheet, layout.header_row, two if header_rows == 2 else one, header_rows)
        headers = _headings(sheet, layout)
    stated = _stated_batch(sheet, layout)
    if stated and same_code(stated) != same_code(grid.code):
        raise ValidationError(
            "feedback.other_batch_file", field="file", path=source, code=grid.code, stated=stated
        )
    rows = _rows_of(sheet, layout)
    if not chosen:
        layout = _drop_false_stars(layout, rows, headers, targets)
    if mapping:
        width = max([len(headers), *(len(r) for _n, r in rows)])
        layout = _remapped(layout, headers, mapping, targets, source, width)
    unknown = [
        k
        for k in layout.columns
        if k not in FIELDS and not k.startswith(COMMENT) and k not in targets.all_keys()
    ]
    if unknown:
        raise ValidationError(
            "feedback.bad_target", field="file", value=unknown[0], choices=_example(targets), code=grid.code
        )
    width = max((len(r) for _n, r in rows), default=0)
    samples = [
        next((_text(r[c]) for _n, r in rows if c < len(r) and _text(r[c])), "")
        for c in range(max(width, len(headers)))
    ]
    headers = headers + [""] * (len(samples) - len(headers))
    mapped = set(layout.columns.values())
    unmapped = [c for c, h in enumerate(headers) if h and c not in mapped]
    plan = FeedbackPlan(
        grid.batch_id,
        grid.code,
        source,
        layout,
        headers,
        [s.name for s in sheets],
        targets,
        [_read_row(number, raw, layout, headers, targets) for number, raw in rows],
        samples,
        unmapped,
        frozenset(r.id for r in grid.rows),
        bool(stated),
    )
    _check_in_file(plan)
    _match(plan, grid)
    _check_as_saved(plan, grid)
    return plan


def _check_as_saved(plan: FeedbackPlan, grid: service.Grid) -> None:
    """Each row to be added or changed checked as saving it checks it (a day before the arrival or in the future,
    a control character in a comment …), so that the preview and ``--dry-run`` name every problem at its cell
    and skipping the bad rows leaves out exactly the rows the save would refuse."""
    today = dt.date.today()
    for item in plan.rows:
        if item.data is None or not item.ok or item.result not in ("new", "changed"):
            continue
        where = messages.text("feedback.where.file_row", row=item.row)
        found = service.check_response(grid, item.data, where, today)
        for problem in found:
            key = COMMENT if problem.field == COMMENT else problem.field
            if key == COMMENT:
                column = min((c for k, c in plan.columns.items() if k.startswith(COMMENT)), default=None)
            else:
                column = plan.columns.get(key)
            letters = column_letter(column) if column is not None else ""
            item.errors.append(RowProblem(item.row, letters, problem.field, problem.message))
        if found:
            item.result = ""


def _other_bases(db: Database, subjects: Sequence[service.Subject]) -> tuple[str, ...]:
    """The folded names of the bases the batch does not rate."""
    from sqlmodel import select

    from recuperation.models import Base

    mine = {s.base_id for s in subjects if s.base_id is not None}
    with db.session() as session:
        found = session.exec(select(Base.id, Base.name)).all()
    return tuple(sorted({fold(name) for base_id, name in found if base_id not in mine and fold(name)}))


def _example(targets: Targets) -> str:
    first = next(iter(targets.all_keys()), "")
    return messages.join(
        [messages.text(f"feedback.target.{f}") for f in (SHEET_NO, RESPONDENT, COMMENT)]
        + ([targets.shown(first)] if first else [])
    )


def _remapped(
    layout: Layout,
    headers: list[str],
    mapping: Mapping[str, str],
    targets: Targets,
    source: str,
    width: int | None = None,
) -> Layout:
    """``layout`` with the columns of ``mapping`` changed; a column the sheet does not have (beyond its last
    column ``width``) is refused: mapped, its blanks would remove the stars already on file."""
    columns = dict(layout.columns)
    for spec, wanted in mapping.items():
        column = _column_of(spec, headers)
        if column is not None and width is not None and column >= width:
            column = None
        if column is None:
            raise ValidationError(
                "feedback.bad_column",
                field="map",
                value=spec,
                path=source,
                sheet=layout.sheet,
                row=layout.header_row + 1,
            )
        target = read_target(wanted, targets)
        if target is None:
            raise ValidationError(
                "feedback.bad_target", field="map", value=wanted, choices=_example(targets), code=""
            )
        columns = {k: c for k, c in columns.items() if c != column and k != target}
        if target == COMMENT and COMMENT in columns:
            n = 2
            while f"{COMMENT}.{n}" in columns:
                n += 1
            target = f"{COMMENT}.{n}"
        if target:
            columns[target] = column
    return replace(layout, columns=columns)


def _column_of(spec: str, headers: list[str]) -> int | None:
    """A column named on the command line: letters (F), a number from 1 (6), or its heading."""
    text = spec.strip()
    if text.isdigit() and 1 <= int(text) <= max(len(headers), 1) + 200:
        return int(text) - 1
    index = column_index(text)
    if index is not None and not any(fold(h) == fold(text) for h in headers):
        return index
    wanted = fold(text)
    found = [i for i, h in enumerate(headers) if fold(h) == wanted]
    if not found:
        found = [i for i, h in enumerate(headers) if _heading(h) == _heading(text)]
    return found[0] if len(found) == 1 else None


def _read_row(
    number: int, raw: list[Cell], layout: Layout, headers: list[str], targets: Targets
) -> ImportRow:
    item = ImportRow(number)
    columns = layout.columns

    def problem(key: str, column: int, message_key: str, **params: object) -> None:
        where = messages.text(
            "feedback.where.cell",
            row=number,
            column=column_letter(column),
            heading=_where_heading(headers[column] if column < len(headers) else ""),
        )
        item.errors.append(
            RowProblem(number, column_letter(column), key, messages.text(message_key, where=where, **params))
        )

    if BATCH in columns:
        item.batch = _text(_cell(raw, columns[BATCH]))
    if SHEET_NO in columns:
        value = _cell(raw, columns[SHEET_NO])
        try:
            item.sheet_no = parse_sheet_no(value)
        except ValueError:
            problem(
                SHEET_NO,
                columns[SHEET_NO],
                "feedback.bad_sheet_cell",
                value=_text(value),
                most=service.MAX_SHEET_NO,
            )
    if RESPONDENT in columns:
        item.respondent = _answer(_cell(raw, columns[RESPONDENT]))
        if len(item.respondent) > service.RESPONDENT_MAX:
            problem(RESPONDENT, columns[RESPONDENT], "feedback.too_long_cell", max=service.RESPONDENT_MAX)
    if ANSWERED_ON in columns:
        value = _cell(raw, columns[ANSWERED_ON])
        try:
            item.answered_on = parse_day(value)
        except ValueError:
            problem(ANSWERED_ON, columns[ANSWERED_ON], "feedback.bad_date_cell", value=_text(value))
    comments = sorted((c, k) for k, c in columns.items() if k == COMMENT or k.startswith(COMMENT + "."))
    if len(comments) == 1:
        item.comment = _answer(_cell(raw, comments[0][0]))
    elif comments:
        parts = []
        for column, _key in comments:
            text = _answer(_cell(raw, column))
            if text:
                heading = _QUESTION_NUMBER.sub("", headers[column]) if column < len(headers) else ""
                heading = heading or column_letter(column)
                parts.append(f"{heading}：{text}")
        item.comment = "\n".join(parts)
    if len(item.comment) > service.COMMENT_MAX:
        problem(COMMENT, comments[0][0], "feedback.too_long_cell", max=service.COMMENT_MAX)
    for key, column in sorted(columns.items(), key=lambda i: i[1]):
        if key in FIELDS or key.startswith(COMMENT):
            continue
        value = _cell(raw, column)
        try:
            item.stars[key] = parse_stars(value)
        except ValueError:
            problem(key, column, "feedback.bad_star_cell", target=targets.shown(key), value=_text(value))
    return item


def same_code(code: str) -> str:
    """A batch code as compared: half-width, upper case, no spaces (ｌ2021-0005 typed by a respondent is
    L2021-0005, not another batch's)."""
    return "".join(unicodedata.normalize("NFKC", code).split()).upper()


def _check_in_file(plan: FeedbackPlan) -> None:
    """Rows of other batches are left out; a questionnaire number twice in the file is an error on both."""
    seen: dict[int, ImportRow] = {}
    for item in plan.rows:
        if item.batch and same_code(item.batch) != same_code(plan.batch_code):
            item.result = "other_batch"
            item.errors = []
            continue
        if item.sheet_no is None:
            continue
        first = seen.get(item.sheet_no)
        if first is None:
            seen[item.sheet_no] = item
            continue
        column = column_letter(plan.columns[SHEET_NO])
        for one, other in ((first, item), (item, first)):
            one.errors.append(
                RowProblem(
                    one.row,
                    column,
                    SHEET_NO,
                    messages.text(
                        "feedback.sheet_twice_in_file", row=one.row, sheet=item.sheet_no, other=other.row
                    ),
                )
            )


def _carried(plan: FeedbackPlan) -> tuple[set[str], list[str]]:
    fields = {k for k in (SHEET_NO, RESPONDENT, ANSWERED_ON) if k in plan.columns}
    if any(k == COMMENT or k.startswith(COMMENT + ".") for k in plan.columns):
        fields.add(COMMENT)
    stars = [k for k in plan.columns if k not in FIELDS and not k.startswith(COMMENT)]
    return fields, stars


def _merged(
    item: ImportRow, stored: service.ResponseRow | None, fields: set[str], stars: list[str]
) -> service.ResponseInput:
    """The response as it will be: the file's columns over what is on file (a column the file lacks is kept)."""
    base = stored.as_input() if stored is not None else service.ResponseInput()
    comment = item.comment if COMMENT in fields else base.comment
    if stored is not None and COMMENT in fields and _stands_for(comment, stored.comment):
        comment = stored.comment  # a masked export's comment stands for the stored one
    respondent = item.respondent if RESPONDENT in fields else base.respondent
    if stored is not None and RESPONDENT in fields and _stands_for(respondent, stored.respondent):
        respondent = stored.respondent  # and so does its respondent (a phone typed as the name)
    given = dict(base.stars)
    for key in stars:
        value = item.stars.get(key)
        if value is None:
            given.pop(key, None)
        else:
            given[key] = value
    return service.ResponseInput(
        item.sheet_no if SHEET_NO in fields else base.sheet_no,
        base.participant_id,
        respondent,
        item.answered_on if ANSWERED_ON in fields else base.answered_on,
        comment,
        given,
    )


def _stands_for(written: str, stored: str) -> bool:
    """Whether a text read from a masked export (139****0000) stands for the stored text it was masked from."""
    return written != stored and bool(MASKED_IN_TEXT.search(written)) and mask_in_text(stored) == written


def _differences(data: service.ResponseInput, stored: service.ResponseRow) -> list[str]:
    changes = [
        k for k in (SHEET_NO, RESPONDENT, ANSWERED_ON, COMMENT) if getattr(data, k) != getattr(stored, k)
    ]
    keys = sorted(set(data.stars) | set(stored.stars))
    return changes + [k for k in keys if data.stars.get(k) != stored.stars.get(k)]


def _match(plan: FeedbackPlan, grid: service.Grid) -> None:
    """Each readable row: the response it stands for and what importing changes (see the module's docstring).

    A response entered at the desk (the grid, from a paper sheet) is never replaced by another source: a row of
    a file that is not the desk's own export of the batch and that would change an entered response is a
    problem of that row (“问卷 3 已手工录入，文件中的答案不同：…”), never a silent “修改”; and a row without a
    questionnaire number is taken for an entered response only when it is identical to it."""
    fields, stars = _carried(plan)
    by_sheet = {r.sheet_no: r for r in grid.rows if r.sheet_no is not None}
    claimed: set[int] = set()
    waiting: list[ImportRow] = []

    def take(item: ImportRow, stored: service.ResponseRow | None) -> None:
        data = _merged(item, stored, fields, stars)
        item.data = data
        if stored is None:
            item.result = "new"
            return
        claimed.add(stored.id)
        item.response_id, item.version = stored.id, stored.version
        item.changes = _differences(data, stored)
        item.result = "changed" if item.changes else "unchanged"
        if item.changes and stored.source == service.ENTERED and not plan.from_export:
            _entered_conflict(plan, item, stored)

    for item in plan.rows:
        if not item.ok or item.result == "other_batch":
            continue
        if item.sheet_no is not None:
            take(item, by_sheet.get(item.sheet_no))
        else:
            waiting.append(item)
    pool = [r for r in grid.rows if r.id not in claimed and (SHEET_NO not in fields or r.sheet_no is None)]

    def key(answered_on: dt.date | None, respondent: str) -> tuple[object, ...]:
        return (
            answered_on if ANSWERED_ON in fields else None,
            mask_in_text(respondent) if RESPONDENT in fields else None,  # as the export writes it
        )

    left: list[ImportRow] = []
    for item in waiting:  # an identical response first: the same file again changes nothing
        same = next(
            (
                r
                for r in pool
                if r.id not in claimed
                and key(r.answered_on, r.respondent) == key(item.answered_on, item.respondent)
                and not _differences(_merged(item, r, fields, stars), r)
            ),
            None,
        )
        if same is not None:
            take(item, same)
        else:
            left.append(item)
    counts = Counter(key(i.answered_on, i.respondent) for i in left)
    for item in left:  # else the one response of that day and respondent, when the file has one row for it
        wanted = key(item.answered_on, item.respondent)
        candidates = [
            r
            for r in pool
            if r.id not in claimed
            and key(r.answered_on, r.respondent) == wanted
            and (r.source != service.ENTERED or plan.from_export)
        ]
        if len(candidates) == 1 and counts[wanted] == 1 and any(v is not None for v in wanted):
            take(item, candidates[0])
        else:
            take(item, None)


def _entered_conflict(plan: FeedbackPlan, item: ImportRow, stored: service.ResponseRow) -> None:
    """The row would change a response entered at the desk: a problem naming it and what differs."""
    if stored.sheet_no is not None:
        which = messages.text("feedback.conflict.sheet", sheet=stored.sheet_no)
    else:
        which = messages.text(
            "feedback.conflict.unnumbered",
            day=stored.answered_on.isoformat() if stored.answered_on else "—",
            respondent=mask_in_text(stored.respondent) or "—",
        )
    names = [messages.text(f"feedback.target.{k}") if k in FIELDS else plan.shown(k) for k in item.changes]
    column = plan.columns.get(SHEET_NO)
    item.errors.append(
        RowProblem(
            item.row,
            column_letter(column) if column is not None else "",
            SHEET_NO,
            messages.text(
                "feedback.entered_conflict",
                where=messages.text("feedback.where.file_row", row=item.row),
                response=which,
                changes=messages.join(names),
            ),
        )
    )
    item.result = ""


@dataclass(frozen=True)
class ImportResult:
    added: int
    changed: int
    unchanged: int
    skipped: tuple[int, ...]  # the rows left out because they had problems


def apply_feedback(db: Database, plan: FeedbackPlan, *, skip_invalid: bool = False) -> ImportResult:
    """Write the plan in one transaction (responses added and changed); refused — nothing written — when rows
    have problems, unless ``skip_invalid`` (the rows skipped are named in the result), or when a response
    changed, or was added or deleted, at another desk since the preview (checked with the batch locked)."""
    if plan.errors and not skip_invalid:
        raise RuleViolation(
            "feedback.import_refused",
            field="file",
            errors=len(plan.bad_rows),
            rows=_rows_text(plan.bad_rows),
            path=plan.path,
            sheet=plan.layout.sheet,
        )
    todo = [r for r in plan.rows if r.ok and r.result in ("new", "changed") and r.data is not None]
    edits = [service.GridEdit(r.response_id, r.version, r.data) for r in todo if r.data is not None]
    where = [messages.text("feedback.where.file_row", row=r.row) for r in todo]
    if edits:
        with db.session(write=True) as session:
            service.write_edits(
                session,
                db.user,
                plan.batch_id,
                edits,
                source=service.IMPORTED,
                where=where,
                expected_ids=plan.seen,
            )
    return ImportResult(
        plan.count("new") if todo else 0,
        sum(1 for r in todo if r.result == "changed"),
        plan.count("unchanged"),
        tuple(plan.bad_rows) if skip_invalid else (),
    )


def headings_key(plan: FeedbackPlan) -> str:
    """A file's headings as a key (its sheet, header row and headings): the desk remembers, per batch and key,
    the mapping a file was imported with, so that the same file imported again — or the next export of the
    same survey — is read with it and matches the responses it added (re-reading it with another mapping would
    add its rows again)."""
    import hashlib

    text = "\x1f".join([plan.layout.sheet, str(plan.layout.header_row), *plan.headers]).rstrip("\x1f")
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def layout_to_json(layout: Layout) -> dict[str, object]:
    return {
        "sheet": layout.sheet,
        "header_row": layout.header_row,
        "header_rows": layout.header_rows,
        "columns": dict(layout.columns),
    }


def layout_from_json(data: object) -> Layout | None:
    """A remembered layout, or None when it is not one (an old or damaged setting)."""
    if not isinstance(data, dict):
        return None
    try:
        columns = {str(k): int(v) for k, v in dict(data["columns"]).items()}
        return Layout(str(data["sheet"]), int(data["header_row"]), columns, int(data.get("header_rows", 1)))
    except (KeyError, TypeError, ValueError):
        return None


def plan_remembered(
    db: Database, batch_code: str, path: Path, remembered: Mapping[str, object]
) -> FeedbackPlan:
    """:func:`plan_feedback` read with the mapping remembered for this file's headings (``remembered``: key →
    :func:`layout_to_json`), when there is one and it still fits the file; else recognised afresh."""
    sheets = read_sheets(path)
    plan = plan_sheets(db, batch_code, sheets, str(path))
    layout = layout_from_json(remembered.get(headings_key(plan)))
    if layout is None or layout == plan.layout:
        return plan
    if (layout.sheet, layout.header_row) != (plan.layout.sheet, plan.layout.header_row):
        return plan
    try:
        return plan_sheets(db, batch_code, sheets, str(path), layout)
    except ValidationError:
        return plan  # the batch's bases changed since: the remembered columns no longer exist


def _rows_text(rows: Sequence[int], most: int = 10) -> str:
    shown = ", ".join(str(r) for r in rows[:most])
    return shown + (" …" if len(rows) > most else "")


# -- export ---------------------------------------------------------------------------------------------------------

EXPORT_SHEET, NOTES_SHEET = "问卷反馈", "说明"
EXPORT_FIELDS = (("问卷编号", 9), ("填写人", 12), ("填写日期", 12))
COMMENT_HEADING = "意见建议"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def export_feedback(db: Database, batch_code: str, path: Path) -> ExportResult:
    """Write the batch's responses to ``path``: they import back with no change."""
    import xlsxwriter

    from recuperation.private_files import private_output, private_scratch

    grid = service.batch_grid(db, service.find_batch_id(db, batch_code))
    headings = [h for h, _w in EXPORT_FIELDS] + [t.shown("zh") for t in grid.targets] + [COMMENT_HEADING]
    with private_output(path) as temp, private_scratch() as scratch:
        book = xlsxwriter.Workbook(
            str(temp), {"strings_to_formulas": False, "strings_to_numbers": False, "tmpdir": scratch}
        )
        try:
            title = book.add_format({"bold": True, "font_size": 14})
            label_ = book.add_format({"bold": True})
            head = book.add_format(
                {
                    "bold": True,
                    "bg_color": "#DDEBF7",
                    "border": 1,
                    "align": "center",
                    "valign": "vcenter",
                    "text_wrap": True,
                }
            )
            text = book.add_format({"num_format": "@", "border": 1})
            wrapped = book.add_format({"num_format": "@", "border": 1, "text_wrap": True})
            number = book.add_format({"num_format": "0", "border": 1, "align": "center"})
            day = book.add_format({"num_format": "yyyy-mm-dd", "border": 1})
            sheet = book.add_worksheet(EXPORT_SHEET)
            sheet.write_string(
                0,
                0,
                f"{grid.partner} {grid.code} 满意度调查结果（{grid.arrival.isoformat()} 至 {grid.departure.isoformat()}）",
                title,
            )
            sheet.write_string(1, 0, "批次编号", label_)
            sheet.write_string(1, 1, grid.code, text)
            top = 3
            for c, heading in enumerate(headings):
                sheet.write_string(top, c, heading, head)
            sheet.set_row(top, 36)
            for c, (_h, width) in enumerate(EXPORT_FIELDS):
                sheet.set_column(c, c, width)
            first_star = len(EXPORT_FIELDS)
            sheet.set_column(first_star, first_star + len(grid.targets) - 1, 10)
            sheet.set_column(first_star + len(grid.targets), first_star + len(grid.targets), 40)
            for i, row in enumerate(grid.rows, start=top + 1):
                if row.sheet_no is not None:
                    sheet.write_number(i, 0, row.sheet_no, number)
                else:
                    sheet.write_blank(i, 0, None, number)
                sheet.write_string(i, 1, mask_in_text(row.respondent), text)
                if row.answered_on is not None:
                    sheet.write_datetime(i, 2, dt.datetime.combine(row.answered_on, dt.time()), day)
                else:
                    sheet.write_blank(i, 2, None, day)
                for c, target in enumerate(grid.targets, start=first_star):
                    if target.key in row.stars:
                        sheet.write_number(i, c, row.stars[target.key], number)
                    else:
                        sheet.write_blank(i, c, None, number)
                sheet.write_string(i, first_star + len(grid.targets), mask_in_text(row.comment), wrapped)
            sheet.freeze_panes(top + 1, first_star)
            notes = book.add_worksheet(NOTES_SHEET)
            notes.set_column(0, 0, 100)
            lines = [
                f"批次 {grid.code} 的问卷反馈。改好后可用“导入…”或 recuperation feedback import {grid.code} 文件 导回。",
                "问卷编号：问卷上印的编号，同一批次不能重复；按编号找到已有的问卷，没有编号的按填写日期和填写人找。",
                "星级：1 至 5 的整数（5 为非常满意）；也可写“非常满意、满意、一般、不满意、非常不满意”或“5星”。空白为未回答，不是 0。",
                "“线路”一栏是对整个行程的评价；其余各栏是对各基地的评价，栏名为“基地·项目”。",
                "意见建议按原文保存；其中的电话和身份证号在导出时隐去中间几位，导回时保留原来的号码。",
                "文件中没有的栏不会改动已有的数据；删除一行不会删除已有的问卷（请在程序中删除）。",
            ]
            for r, line in enumerate(lines):
                notes.write_string(r, 0, line)
        finally:
            book.close()
    return ExportResult(path, len(grid.rows))
