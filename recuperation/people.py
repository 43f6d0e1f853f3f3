"""ID numbers (GB 11643 居民身份证号码), phones and the little facts derived from them.

python-stdnum computes the check character; its ``validate`` is not used as is because it also refuses a
region code that did not exist in the person's birth year, and real cards carry the code of the office that
issued them, often created after the birth (README, *The rules the program enforces*).  Here: length, format, check character and birth
date are errors; a region code unknown in every year of the table is a warning.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import phonenumbers
from stdnum import numdb
from stdnum.cn import ric

_SPACES = re.compile(r"[\s\u3000\u00a0\u200b-]+")
_ID_BODY = re.compile(r"^\d{17}[\dX]$")
_EXCEL_FLOAT = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


def normalise_text(value: object) -> str:
    """Full-width letters and digits to half-width (NFKC) and surrounding spaces removed."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def normalise_id(value: object) -> str:
    """An ID number as typed or read from a sheet, in its canonical form: 18 characters, capital X."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalise_text(value)
    return _SPACES.sub("", text).upper()


@dataclass(frozen=True)
class IdCheck:
    """The verdict on one ID number: ``error`` and ``warning`` are message keys with their parameters."""

    number: str
    error: tuple[str, dict[str, object]] | None = None
    warning: tuple[str, dict[str, object]] | None = None
    birth_date: dt.date | None = None
    sex: str | None = None  # "M" or "F"

    @property
    def ok(self) -> bool:
        return self.error is None


@lru_cache(maxsize=4096)
def region_known(code: str) -> bool:
    """Whether a six-digit region code appears in the administrative code table for any year."""
    return bool(numdb.get("cn/loc").info(code)[0][1])


def looks_like_excel_number(value: object) -> bool:
    """True for an ID that a spreadsheet stored as a number and so lost its last digits.

    A spreadsheet number keeps 15 significant digits, so any numeric cell of 16 digits or more (or its
    text in scientific notation, as a CSV export writes it) can no longer be a whole ID number.
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return abs(value) >= 1e15
    text = normalise_text(value).replace(" ", "")
    return bool(_EXCEL_FLOAT.match(text))


def _shown_number(value: object) -> str:
    if isinstance(value, float):
        return format(Decimal(f"{value:.15g}"), "f")  # what the spreadsheet shows
    return normalise_text(value)


def check_id(value: object, *, today: dt.date | None = None) -> IdCheck:
    """Check an ID number; never raises.  The messages' parameters carry the number masked (330185********0013;
    with the birth date in the message, only the region code): a message is shown, printed and logged, and the
    row number and the name find the person."""
    if looks_like_excel_number(value):
        shown = _shown_number(value)
        return IdCheck(shown, error=("id.excel_number", {"value": mask_id(shown)}))
    number = normalise_id(value)
    if not number:
        return IdCheck(number, error=("id.empty", {}))
    if len(number) != 18:
        return IdCheck(number, error=("id.length", {"value": mask_id(number), "length": len(number)}))
    if not _ID_BODY.match(number):
        return IdCheck(number, error=("id.format", {"value": mask_id(number)}))
    hidden = number[:6] + "*" * 12  # the birth date is in the message: the last four digits are not
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return IdCheck(number, error=("id.birth", {"value": hidden, "digits": number[6:14]}))
    if birth.year < 1900:
        return IdCheck(number, error=("id.early_birth", {"value": hidden, "birth": birth.isoformat()}))
    if birth > (today or dt.date.today()):
        return IdCheck(number, error=("id.future_birth", {"value": hidden, "birth": birth.isoformat()}))
    expected = ric.calc_check_digit(number)
    if number[-1] != expected:
        return IdCheck(number, error=("id.checksum", {"value": mask_id(number), "expected": expected}))
    sex = "M" if int(number[16]) % 2 else "F"
    warning: tuple[str, dict[str, object]] | None = None
    if not region_known(number[:6]):
        warning = ("id.region", {"value": mask_id(number), "region": number[:6]})
    return IdCheck(number, warning=warning, birth_date=birth, sex=sex)


def with_check_character(first17: str) -> str:
    """The full 18-character number for 17 digits (used by the demo and by tests)."""
    return first17 + ric.calc_check_digit(first17 + "0")


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def mask_id(number: str) -> str:
    """First 6 and last 4 shown: 330182********1234."""
    if len(number) <= 10:
        return number
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    """138****5678: the middle four digits hidden."""
    digits = phone.strip()
    if len(digits) < 7:
        return digits
    return digits[:3] + "****" + digits[7:]


#: The numbers people type inside text, in the forms they type them.  Digits may be full-width (a Chinese input
#: method); a separator is one space, dash or full-width space, only where people put one: an ID number as
#: 330185 19660101 0013 or 3301 8519 6601 0100 13-style groups of 6-4-4-4, a mobile as 139-0000-0000, with
#: +86, 0086 or 86 before it, a landline with its area code (0571-64712345, (0571)6471 2345).  A number
#: without these shapes (a date 2021-03-31, an amount 43,500,000, a batch code L2021-0005, a local landline
#: 64712345, which cannot be told from a count) is left as it is.
_D = "[0-9０-９]"
_S = "[ \\-\u3000－]?"
_ID18_IN_TEXT = re.compile(
    rf"(?<![0-9０-９])[1-9１-９]{_D}{{5}}{_S}{_D}{{4}}{_S}{_D}{{4}}{_S}{_D}{{3}}[0-9０-９XxＸｘ](?![0-9０-９])"
)
_ID15_IN_TEXT = re.compile(rf"(?<![0-9０-９])[1-9１-９]{_D}{{5}}{_S}{_D}{{6}}{_S}{_D}{{3}}(?![0-9０-９])")
_MOBILE_IN_TEXT = re.compile(
    rf"(?<![0-9０-９])((?:[+＋]86|0086|86|[+＋]８６|００８６|８６){_S})?([1１][3-9３-９]{_D}{_S}{_D}{{4}}{_S}{_D}{{4}})"
    rf"(?![0-9０-９])"
)
#: Area codes: 010 and 02x have three digits, the others (0571, 0574 …) four.
_AREA = f"[0０](?:[1１][0０]|[2２]{_D}|[3-9３-９]{_D}{_D})"
_LANDLINE_IN_TEXT = re.compile(
    rf"(?<![0-9０-９])(\({_AREA}\)|（{_AREA}）|{_AREA})({_S})({_D}{{3,4}}{_S}{_D}{{4}})(?![0-9０-９])"
)
_NOT_DIGIT = re.compile(r"[^0-9０-９XxＸｘ]")
#: A number masked by :func:`mask_in_text` (or by hand): stars followed by a shown digit.
MASKED_IN_TEXT = re.compile(r"\*{3,}[0-9０-９]")


def _digits(text: str) -> str:
    return _NOT_DIGIT.sub("", text)


def mask_in_text(text: str) -> str:
    """Every ID number (18 or 15 digits), mobile and landline with area code inside ``text`` masked as our lists
    mask them: 330185********0013, 139****0000, 0571-****2345; the rest of the text as it is.

    The masked text is never longer than the text and masking it again changes nothing, so a masked export
    reads back as the stored value (:mod:`recuperation.services.batch.roster_import`).  Used for log files, the free
    text of masked exports (紧急联系人, 备注, 健康状况 …) and the audit log.
    """
    if not text:
        return text
    text = _ID18_IN_TEXT.sub(lambda m: mask_id(_digits(m[0])), text)
    text = _ID15_IN_TEXT.sub(lambda m: mask_id(_digits(m[0])), text)
    text = _MOBILE_IN_TEXT.sub(lambda m: (m[1] or "") + mask_phone(_digits(m[2])), text)
    return _LANDLINE_IN_TEXT.sub(lambda m: m[1] + m[2] + "*" * (len(_digits(m[3])) - 4) + m[3][-4:], text)


def normalise_phone(value: object) -> str:
    """Digits of a phone with separators, spaces, full-width digits and +86 removed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalise_text(value)
    text = re.sub(r"[\s\-()（）.·]", "", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    return text


def phone_valid(phone: str) -> bool:
    """A Chinese mobile or landline number that phonenumbers accepts.

    A mainland mobile's validity depends only on its first digits (the carrier's number ranges) and its
    length, so for an 11-digit number starting with 1 the verdict of phonenumbers is kept per 7-digit prefix:
    a roster of 2,000 mobiles asks phonenumbers a few dozen times instead of 2,000.
    """
    if not phone:
        return False
    if len(phone) == 11 and phone[0] == "1" and phone.isdigit():
        return _mobile_prefix_valid(phone[:7])
    return _phone_valid(phone)


@lru_cache(maxsize=4096)
def _mobile_prefix_valid(prefix: str) -> bool:
    return _phone_valid(prefix + "0000")


def _phone_valid(phone: str) -> bool:
    try:
        parsed = phonenumbers.parse(phone, "CN")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed)
