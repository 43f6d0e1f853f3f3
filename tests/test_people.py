"""ID numbers, phones and masks: the checks every roster relies on."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recuperation import people
from recuperation.messages import text

VALID = people.with_check_character("33018219800101001")  # Jiande code, born 1980: a real, issued form


def test_a_valid_number_gives_birth_date_and_sex() -> None:
    verdict = people.check_id(VALID)
    assert verdict.ok and verdict.warning is None
    assert verdict.birth_date == dt.date(1980, 1, 1)
    assert verdict.sex == "M"  # 17th digit 1 is odd


def test_region_created_after_birth_is_not_an_error() -> None:
    # stdnum's own validate() refuses 330182 for people born before 1992; real cards carry it.
    from stdnum.cn import ric

    assert not ric.is_valid(VALID)
    assert people.check_id(VALID).ok


@pytest.mark.parametrize(
    "typed",
    [
        VALID.lower(),
        f"  {VALID}  ",
        VALID[:6] + " " + VALID[6:14] + " " + VALID[14:],
        "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in VALID),
    ],
    ids=["lowercase x", "spaces around", "spaces inside", "full-width digits"],
)
def test_normalisation_before_checking(typed: str) -> None:
    verdict = people.check_id(typed)
    assert verdict.ok, verdict.error
    assert verdict.number == VALID


def test_wrong_check_character_names_the_expected_one() -> None:
    wrong = VALID[:-1] + ("0" if VALID[-1] != "0" else "1")
    verdict = people.check_id(wrong)
    assert verdict.error is not None
    key, params = verdict.error
    assert key == "id.checksum" and params["expected"] == VALID[-1]
    assert "校验位错误" in text(key, **params)


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("", "id.empty"),
        ("33018219800101", "id.length"),
        ("3301821980010A001X", "id.format"),
        (people.with_check_character("33018219801301001"), "id.birth"),
        (people.with_check_character("33018221000101001"), "id.future_birth"),
        (330182198001010010.0, "id.excel_number"),
        (330182198001010000, "id.excel_number"),
        ("3.30182E+17", "id.excel_number"),
    ],
)
def test_errors(value: object, key: str) -> None:
    verdict = people.check_id(value)
    assert verdict.error is not None and verdict.error[0] == key


def test_excel_number_shows_what_the_sheet_shows() -> None:
    verdict = people.check_id(330182198001010010.0)
    assert verdict.number == "330182198001010000"


def test_unknown_region_is_only_a_warning() -> None:
    number = people.with_check_character("99999919800101001")
    verdict = people.check_id(number)
    assert verdict.ok
    assert verdict.warning is not None and verdict.warning[0] == "id.region"


def test_sex_from_the_17th_digit() -> None:
    assert people.check_id(people.with_check_character("33018219800101002")).sex == "F"


def test_phones() -> None:
    assert people.normalise_phone("138-1234 5678") == "13812345678"
    assert people.normalise_phone("+86 138 1234 5678") == "13812345678"
    assert people.normalise_phone("１３８１２３４５６７８") == "13812345678"
    assert people.normalise_phone(13812345678.0) == "13812345678"
    assert people.phone_valid("13812345678")
    assert people.phone_valid(people.normalise_phone("0571-64712345"))
    assert not people.phone_valid("1381234567")
    assert not people.phone_valid("")


def test_masks() -> None:
    assert people.mask_id(VALID) == VALID[:6] + "********" + VALID[-4:]
    assert people.mask_phone("13812345678") == "138****5678"


def test_age() -> None:
    assert people.age_on(dt.date(1980, 6, 15), dt.date(2021, 6, 14)) == 40
    assert people.age_on(dt.date(1980, 6, 15), dt.date(2021, 6, 15)) == 41


@settings(max_examples=3000, deadline=None)
@given(st.from_regex(r"1[0-9]{10}", fullmatch=True))
def test_the_mobile_prefix_shortcut_agrees_with_phonenumbers(number: str) -> None:
    import phonenumbers

    try:
        expected = phonenumbers.is_valid_number(phonenumbers.parse(number, "CN"))
    except phonenumbers.NumberParseException:
        expected = False
    assert people.phone_valid(number) == expected


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="0123456789X", min_size=17, max_size=19),
        st.builds(
            lambda region, day, seq: people.with_check_character(f"{region:06d}{day:%Y%m%d}{seq:03d}"),
            st.integers(100000, 999999),
            st.dates(dt.date(1880, 1, 1), dt.date(2030, 12, 31)),
            st.integers(0, 999),
        ),
    )
)
def test_a_plainly_valid_number_is_one_the_full_check_finds_no_error_in(number: str) -> None:
    """The fast path of scans over every stored person (``plainly_valid_id``) never passes a number the full
    check would refuse, and passes every well-formed number born by today."""
    today = dt.date(2026, 12, 2)
    plain = people.plainly_valid_id(number, today)
    verdict = people.check_id(number, today=today)
    if plain:
        assert verdict.error is None
    if verdict.error is None and number[0] != "0":  # only a leading 0 is left to the full check
        assert plain
