"""Money is exact: integer fen (分, 0.01 yuan) everywhere, never a float.

- Amounts are read into fen through :class:`decimal.Decimal` from their text (:func:`parse_yuan`): “1,260.50”,
  “￥380”, “380元” are 126050 and 38000 fen; more than two decimals is refused, never rounded.  A spreadsheet
  cell that holds a number arrives as a binary float; it is read through its shortest repr (the digits the
  cell shows), and, when that has more than two decimals (0.1 + 0.2 = 0.30000000000000004 from a formula), at
  the 15 significant digits a spreadsheet keeps: an amount that is still not whole fen is refused.
- A tax rate is an integer of basis points (600 = 6%; :func:`parse_rate_bp` reads “6%”, 0.06 and 6), at most
  :data:`MAX_TAX_BP` (30%: China's VAT rates are 0–13%; a rate above 30% is a slip, and ruling out 100% keeps
  a cell's 1 from meaning both 1% and 100%).  Where a person types a rate (the command line's ``--tax``),
  :func:`parse_percent_bp` reads only a percentage.
- Prices include tax.  The tax part of a total is computed once on the total, with integers and an explicit
  rounding: ``round-half-up(total × bp / (10000 + bp))`` (:func:`tax_part`); the amount before tax is the
  total less its tax, so the two always add up to the total.
- Shown as yuan with two decimals and thousands separators (:func:`yuan_text`: 1,260.50), the way the
  workbooks' number format ``#,##0.00`` shows them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

#: Basis points in one whole (100%).
WHOLE_BP = 10_000
#: The most a single price may be: 1,000,000 yuan, far above any room, meal or hall.
MAX_PRICE_FEN = 100_000_000
#: The highest tax rate a card or an invoice may carry: 30% (China's VAT rates are 0%, 1%, 3%, 6%, 9% and 13%).
#: Below 100% a spreadsheet's fraction (0.06) and a percentage (6) never meet: a number under 1 is a fraction.
MAX_TAX_BP = 3_000

_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_CURRENCY = ("￥", "¥", "RMB", "CNY", "人民币")


class MoneyError(ValueError):
    """A value that is not an amount (or a rate); ``key`` names the message, ``value`` what was read and
    ``params`` the message's other figures (``most`` for ``money.above_most``, ``percent`` for
    ``money.rate_fraction``: only the callers that pass ``most`` or read typed rates meet those two).
    :meth:`message` is the message in the current language."""

    def __init__(self, key: str, value: str, **params: str):
        super().__init__(key)
        self.key = key
        self.value = value
        self.params = params

    def message(self) -> str:
        from recuperation import messages

        return messages.text(self.key, value=self.value, **self.params)


def _shown_decimal(number: float) -> Decimal:
    """A float as the decimal a cell shows: its shortest repr, else its 15 significant digits.  A number of
    15 digits or more before the point (1e30) has no fen to show: its repr, as large as it is."""
    exact = Decimal(repr(number))
    if abs(number) >= 1e15:
        return exact
    if exact == exact.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"):
        return exact
    return Decimal(format(number, ".15g"))


def _to_decimal(value: object, *, suffixes: tuple[str, ...]) -> tuple[Decimal, str]:
    """The number in ``value`` and how it was written (for messages), or MoneyError."""
    if value is None or isinstance(value, bool):
        raise MoneyError("money.not_amount", str(value))
    if isinstance(value, int):
        return Decimal(value), str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise MoneyError("money.not_amount", repr(value))
        return _shown_decimal(value), repr(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyError("money.not_amount", str(value))
        return value, str(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    shown = text
    for mark in _CURRENCY:
        text = text.removeprefix(mark).strip()
    for suffix in suffixes:
        text = text.removesuffix(suffix).strip()
    text = text.replace(" ", "")
    if not _AMOUNT.match(text):
        raise MoneyError("money.not_amount", shown)
    try:
        return Decimal(text.replace(",", "")), shown
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only what Decimal reads
        raise MoneyError("money.not_amount", shown) from exc


def _scaled(number: Decimal, places: int, shown: str) -> Decimal:
    """number × 10**places (fen of yuan, basis points of a fraction); a number too large for any arithmetic
    (a million digits of text) is MoneyError, never decimal's own exception."""
    try:
        return number.scaleb(places)
    except ArithmeticError as exc:  # decimal.Overflow, InvalidOperation
        raise MoneyError("money.not_amount", shown) from exc


def _fen(value: object) -> tuple[Decimal, str]:
    """The amount in ``value`` as a Decimal of fen (possibly fractional, negative or huge) and as written."""
    number, shown = _to_decimal(value, suffixes=("元",))
    return _scaled(number, 2, shown), shown


def parse_yuan(value: object, *, most: int = MAX_PRICE_FEN) -> int:
    """An amount of yuan (a number or text such as 260, 260.5, “1,260.50”, “￥380”, “RMB 380”, “380元”) as
    fen, exactly; MoneyError when it is not an amount (1e30 and inf included), has more than two decimals, is
    negative or above ``most`` fen (by default a single price's ceiling, :data:`MAX_PRICE_FEN`; its message
    then says a price is at most ¥1,000,000, otherwise it names ``most``)."""
    fen, shown = _fen(value)
    if fen != fen.to_integral_value():
        raise MoneyError("money.fraction_of_fen", shown)
    if fen < 0:
        raise MoneyError("money.negative", shown)
    if fen > most:
        if most == MAX_PRICE_FEN:
            raise MoneyError("money.too_large", shown)
        raise MoneyError("money.above_most", shown, most=yuan_text(most))
    return int(fen)


def _rate_number(value: object) -> tuple[bool, Decimal, str]:
    """Whether ``value`` is text ending in “%”, its number and how it was written; MoneyError (a bad rate)
    when it holds no number."""
    text_percent = isinstance(value, str) and unicodedata.normalize("NFKC", value).strip().endswith("%")
    try:
        number, shown = _to_decimal(value, suffixes=("%",))
    except MoneyError as exc:
        raise MoneyError("money.bad_rate", exc.value) from None
    return text_percent, number, shown


def _checked_bp(bp: Decimal, shown: str) -> int:
    if bp > MAX_TAX_BP:  # its message says 30% itself: callers pass only ``value``
        raise MoneyError("money.rate_too_high", shown)
    if bp != bp.to_integral_value() or bp < 0:
        raise MoneyError("money.bad_rate", shown)
    return int(bp)


def _bp_text(bp: Decimal) -> str:
    """Basis points as a percentage for a message, even when they are not whole (612.5 → “6.125%”)."""
    return format(bp.scaleb(-2).normalize(), "f") + "%"


def parse_rate_bp(value: object) -> int:
    """A tax rate as basis points: “6%” or 6 (percent: a number of 1 or more) and 0.06 (a fraction, as a cell
    formatted as a percentage holds 6%) are all 600; 0 is 0%.  MoneyError when it is not a rate, is not a
    whole number of basis points (6.125%), is negative or above :data:`MAX_TAX_BP` (30%)."""
    text_percent, number, shown = _rate_number(value)
    bp = _scaled(number, 2 if text_percent or number >= 1 else 4, shown)
    return _checked_bp(bp, shown)


def parse_percent_bp(value: object) -> int:
    """A tax rate a person typed, as basis points: a percentage only — “6”, “6%”, “13.5%”, “0.5%” and “0”.
    A bare number between 0 and 1 (“0.06”) is refused (``money.rate_fraction``, suggesting “6%”): typed
    by hand it is a fraction or a slip, never clearly a percentage."""
    text_percent, number, shown = _rate_number(value)
    if not text_percent and 0 < number < 1:
        fraction = number.scaleb(4)
        example = _bp_text(fraction) if fraction <= MAX_TAX_BP else "6%"
        raise MoneyError("money.rate_fraction", shown, percent=example)
    return _checked_bp(_scaled(number, 2, shown), shown)


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves away from zero, with integers only."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return sign * quotient


def tax_part(gross_fen: int, rate_bp: int) -> int:
    """The tax inside a tax-inclusive amount: round-half-up(gross × bp / (10000 + bp)), in fen."""
    if rate_bp < 0:
        raise ValueError("a tax rate is not negative")
    return round_half_up(gross_fen * rate_bp, WHOLE_BP + rate_bp)


def yuan_text(fen: int, *, grouped: bool = True) -> str:
    """fen as yuan with two decimals: 126050 → “1,260.50” (``grouped=False``: “1260.50”)."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    whole = f"{yuan:,}" if grouped else str(yuan)
    return f"{sign}{whole}.{cents:02d}"


def yuan_number(fen: int) -> float:
    """fen as the number of yuan a spreadsheet cell holds (formatted ``#,##0.00``).  The float is the one
    nearest the exact value, and reads back to the same fen through :func:`parse_yuan`."""
    return fen / 100


def rate_text(bp: int) -> str:
    """A tax rate for people: 600 → “6%”, 150 → “1.5%”."""
    whole, rest = divmod(bp, 100)
    return f"{whole}%" if not rest else f"{whole}.{rest:02d}".rstrip("0") + "%"
