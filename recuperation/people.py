"""ID numbers (GB 11643 居民身份证号码), phones and the little facts derived from them.

python-stdnum's ``validate`` is not used as is because it also refuses a region code that did not exist in the
person's birth year, and real cards carry the code of the office that issued them, often created after the
birth (README, *The rules the program enforces*).  Here: length, format, check character and birth date are
errors; a region code unknown to the table is a warning.

Checking a roster imports neither python-stdnum nor phonenumbers (a coordinator's command runs in a fresh
process, where loading their tables and compiling their patterns cost more than the checks): the check
character is GB 11643's formula, the region codes python-stdnum knows are in :mod:`recuperation.region_table`
and China's numbering plan from phonenumbers' metadata is in :mod:`recuperation.phone_table`.  Both tables
are generated from the installed libraries by ``.venv/bin/python scripts/gen_people_tables.py`` (run it after
upgrading either); tests/test_people_tables.py fails while they differ from what the libraries hold, and holds
``region_known``, ``phone_valid`` and the check character to the libraries' own verdicts.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from recuperation import phone_table, region_table

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


_KNOWN_REGIONS = frozenset(region_table.KNOWN_PREFIXES.split())


def region_known(code: str) -> bool:
    """Whether python-stdnum's region table (``cn/loc``) knows a six-digit region code: its verdict,
    ``bool(numdb.get("cn/loc").info(code)[0][1])``, read from :mod:`recuperation.region_table`.

    That verdict looks at the table's top level only, the province (the first two digits): a code is known
    when its province is, whatever its county digits.
    """
    return code[: region_table.PREFIX_LENGTH] in _KNOWN_REGIONS


def check_character(first17: str) -> str:
    """The check character (0-9 or X) of an ID number's first 17 digits: python-stdnum's
    ``cn.ric.calc_check_digit``, by the same formula (tests/test_people_tables.py compares them).

    GB 11643 (ISO 7064 MOD 11-2) weighs the digit in position i (0 to 16) by 2**(17 - i) mod 11 and chooses the
    character that brings the sum to 1 mod 11 (X for 10).  Read in base 13, the digits are the sum of each
    digit times 13**(16 - i), and since 13 is 2 mod 11, twice that is the weighted sum mod 11.
    """
    checksum = (1 - 2 * int(first17, 13)) % 11
    return "X" if checksum == 10 else str(checksum)


_PLAIN_ID = re.compile(r"[1-9][0-9]{16}[0-9X]")


def plainly_valid_id(number: str, today: dt.date) -> bool:
    """True only when :func:`check_id` would find no error in ``number`` (a stored number, already in its
    canonical form): 18 ASCII characters, a real birth date from 1900 to ``today``, the right check character.
    A few microseconds instead of a full check, for scans over every stored person; False means "ask
    :func:`check_id`", not "invalid"."""
    if not _PLAIN_ID.fullmatch(number):
        return False
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return birth.year >= 1900 and birth <= today and number[17] == check_character(number[:17])


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
    expected = check_character(number[:17])
    if number[-1] != expected:
        return IdCheck(number, error=("id.checksum", {"value": mask_id(number), "expected": expected}))
    sex = "M" if int(number[16]) % 2 else "F"
    warning: tuple[str, dict[str, object]] | None = None
    if not region_known(number[:6]):
        warning = ("id.region", {"value": mask_id(number), "region": number[:6]})
    return IdCheck(number, warning=warning, birth_date=birth, sex=sex)


def with_check_character(first17: str) -> str:
    """The full 18-character number for 17 digits (used by the demo and by tests)."""
    return first17 + check_character(first17)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


#: What an anonymised person's ID number becomes (``privacy purge``, :mod:`recuperation.services.privacy`):
#: ANON and a number, never a valid ID number, never masked (it hides nothing).
ANONYMISED_ID = re.compile(r"ANONW?[0-9]{1,13}")


def is_anonymised_id(number: str) -> bool:
    """Whether ``number`` is an anonymised person's token (ANON1234), not an ID number."""
    return bool(ANONYMISED_ID.fullmatch(number))


def mask_id(number: str) -> str:
    """First 6 and last 4 shown: 330182********1234 (an anonymised token as it is)."""
    if len(number) <= 10 or is_anonymised_id(number):
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
    """A Chinese mobile or landline number that phonenumbers accepts: the verdict of
    ``phonenumbers.parse(phone, "CN")`` and ``is_valid_number`` (False when it cannot be parsed).

    For digits, the verdict is reached without phonenumbers: :func:`_china_verdict` takes the steps of
    ``parse`` and ``is_valid_number`` with China's numbering plan copied from phonenumbers' metadata into
    :mod:`recuperation.phone_table` (regenerate it after upgrading phonenumbers: see that module).  Only a
    number dialled abroad (00 …) or written with other characters (letters, +44 …) imports phonenumbers.

    A mainland mobile's validity depends only on its first digits (the carrier's number ranges) and its
    length, so for an 11-digit number starting with 1 the verdict is kept per 7-digit prefix.
    tests/test_people_tables.py holds all of this to phonenumbers' own verdict.
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
    if phone.isascii() and phone.isdigit():
        verdict = _china_verdict(phone)
        if verdict is not None:
            return verdict
    return _phonenumbers_verdict(phone)


def _phonenumbers_verdict(phone: str) -> bool:
    import phonenumbers  # imported here: a roster of Chinese numbers never needs it

    try:
        parsed = phonenumbers.parse(phone, "CN")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed)


class _NumberingPlan:
    """The patterns of :mod:`recuperation.phone_table`, compiled (about 2 ms) the first time a phone is checked."""

    def __init__(self) -> None:
        self.international_prefix = re.compile(phone_table.INTERNATIONAL_PREFIX)
        self.national_prefix = re.compile(phone_table.NATIONAL_PREFIX_FOR_PARSING)
        self.general = re.compile(phone_table.GENERAL_PATTERN)
        self.types = tuple((lengths, re.compile(pattern)) for _, lengths, pattern in phone_table.TYPES)

    def strip_national_prefix(self, number: str) -> str:
        """The number without its trunk prefix 0 or carrier code, unless only the whole number is plausible
        (phonenumbers' ``_maybe_strip_national_prefix_carrier_code``; China's plan has no transform rule)."""
        match = self.national_prefix.match(number) if number else None
        if match is None:
            return number
        rest = number[match.end() :]
        if self.general.fullmatch(number) and not self.general.fullmatch(rest):
            return number
        return rest


@cache
def _numbering_plan() -> _NumberingPlan:
    return _NumberingPlan()


def _length_fit(number: str) -> str:
    """phonenumbers' ``_test_number_length`` against China's lengths: ``possible``, ``local_only``,
    ``too_short``, ``too_long`` or ``invalid``."""
    lengths, length = phone_table.GENERAL_LENGTHS, len(number)
    if length in phone_table.LOCAL_ONLY_LENGTHS:
        return "local_only"
    if length < lengths[0]:
        return "too_short"
    if length > lengths[-1]:
        return "too_long"
    return "possible" if length in lengths else "invalid"


def _china_verdict(number: str) -> bool | None:
    """phonenumbers' verdict on a string of ASCII digits dialled in China, reached by the same steps as
    ``parse(number, "CN")`` and ``is_valid_number`` with the same data; None for a number dialled abroad,
    which another country's plan judges."""
    plan = _numbering_plan()
    if not phone_table.MIN_NATIONAL_LENGTH <= len(number) <= phone_table.MAX_INPUT_LENGTH:
        return False  # not a phone number, or too long to parse
    abroad = plan.international_prefix.match(number)
    if abroad and not number.startswith("0", abroad.end()):  # a country code never starts with 0
        return None
    national = number
    if number.startswith(phone_table.COUNTRY_CODE):  # 86 without + or 00: taken off if the rest fits better
        rest = plan.strip_national_prefix(number[len(phone_table.COUNTRY_CODE) :])
        fits_better = not plan.general.fullmatch(number) and plan.general.fullmatch(rest)
        if fits_better or _length_fit(number) == "too_long":
            national = rest
    if len(national) < phone_table.MIN_NATIONAL_LENGTH:
        return False
    stripped = plan.strip_national_prefix(national)
    if _length_fit(stripped) in ("possible", "too_long"):  # a trunk prefix is kept on a number too short
        national = stripped
    if len(national) > phone_table.MAX_NATIONAL_LENGTH:
        return False
    length = len(national)
    if length not in phone_table.GENERAL_LENGTHS or not plan.general.fullmatch(national):
        return False
    return any(
        (not lengths or length in lengths) and pattern.fullmatch(national) for lengths, pattern in plan.types
    )
