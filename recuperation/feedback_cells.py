"""The cells of a workbook of questionnaire answers, read: which target a heading names (:func:`recognise`),
and the answers parsed — stars as 1–5 (★★★★☆, 5星, 非常满意 … 非常不满意), dates (Excel serials too),
questionnaire numbers.  The import that uses them is :mod:`recuperation.feedback_workbook`."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from recuperation import messages
from recuperation.labels import labels
from recuperation.models import Dimension
from recuperation.services import feedback as service
from recuperation.sheets import Cell

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
QUESTION_NUMBER = re.compile(r"^(?:第?\s*[qQ]?\d{1,3}\s*(?:题|[.、:：．）)]))+\s*")
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


def heading_text(value: object) -> str:
    """A heading as compared, without the question's number in front (1. 1、 Q1 第1题)."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    return fold(QUESTION_NUMBER.sub("", text))


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
    text = heading_text(heading)
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


def cell_text(value: Cell) -> str:
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


def answer_text(value: Cell) -> str:
    """A free-text answer exactly as written (trimmed), empty for a question skipped ((跳过), (空))."""
    text = cell_text(value)
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


def is_star_answer(value: Cell) -> bool:
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
