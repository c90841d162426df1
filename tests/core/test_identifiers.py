"""SPEC §7: unified social credit codes and resident ID numbers (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from core.exceptions import PolicyError
from core.identifiers import (
    birth_date_from_id,
    is_valid_id_number,
    is_valid_uscc,
    make_id_check_digit,
    make_uscc_check_char,
    mask_id_number,
)

TODAY = date(2025, 6, 1)

# --- 统一社会信用代码 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the example code of GB 32100-2015
        "911100001000080343",
        "91110108551385082Q",
    ],
)
def test_is_valid_uscc_published_codes(code):
    assert is_valid_uscc(code)


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("91110114MA0000000", "0"),  # check value 31 is written "0"
        ("52110000500000001", "B"),
        ("91350100M000100Y4", "3"),
        ("12110000400000000", "1"),
        ("Y1110114MA01XYRW8", "R"),
        ("31110000MD0123456", "4"),
    ],
)
def test_make_uscc_check_char_builds_valid_codes(first17, check):
    assert make_uscc_check_char(first17) == check
    assert is_valid_uscc(first17 + check)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",  # wrong check character
        "91350100M000100Y4A",
        "91350100M000100Y40",
        "91350100M000100Y34",  # last two swapped
        "91350100M000100Y4",  # 17 characters
        "91350100M000100Y433",  # 19 characters
        "91350100M000100I43",  # I is not in the character set
        "91350100M000100O43",  # O
        "91350100M000100S43",  # S
        "91350100M000100V43",  # V
        "91350100M000100Z43",  # Z
        " 91350100M000100Y43",
        "91350100M000100Y43 ",
        "91350100M 00100Y43",
        "９1350100M000100Y43",  # full-width digit
        "",
    ],
)
def test_is_valid_uscc_rejects_corrupted_codes(code):
    assert not is_valid_uscc(code)


def test_is_valid_uscc_accepts_lower_case():
    assert is_valid_uscc("91350100m000100y43")


@pytest.mark.parametrize("value", [None, 91350100, b"91350100M000100Y43"])
def test_is_valid_uscc_non_string_is_invalid(value):
    assert not is_valid_uscc(value)


@pytest.mark.parametrize("first17", ["91350100M000100Y", "91350100M000100Y43", "91350100M000100I4"])
def test_make_uscc_check_char_rejects_bad_body(first17):
    with pytest.raises(PolicyError):
        make_uscc_check_char(first17)


# --- 居民身份证号 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),
        ("11011419850615007", "X"),
        ("11010119900307447", "7"),
        ("44030419800101001", "7"),
        ("52010220000229123", "2"),  # born on 29 February of a leap year
        ("31011519871130050", "1"),
        ("11022119650512345", "9"),
    ],
)
def test_make_id_check_digit_builds_valid_numbers(first17, check):
    assert make_id_check_digit(first17) == check
    assert is_valid_id_number(first17 + check, today=TODAY)


def test_is_valid_id_number_accepts_lower_case_x():
    assert is_valid_id_number("11010519491231002x", today=TODAY)


@pytest.mark.parametrize("wrong", [c for c in "0123456789X" if c != "7"])
def test_is_valid_id_number_wrong_check_digit(wrong):
    assert not is_valid_id_number("11010119900307447" + wrong, today=TODAY)


def _with_check(first17: str) -> str:
    return first17 + make_id_check_digit(first17)


@pytest.mark.parametrize(
    "code",
    [
        _with_check("11010119990230123"),  # 30 February
        _with_check("11010119990229123"),  # 29 February of a common year
        _with_check("11010119991301123"),  # month 13
        _with_check("11010119990100123"),  # day 0
        _with_check("11010100000101123"),  # year 0
        _with_check("11010118991231123"),  # before 1900
        _with_check("11010120250602123"),  # born after TODAY
        _with_check("11010120300101123"),  # future
    ],
)
def test_is_valid_id_number_bad_birth_date(code):
    assert not is_valid_id_number(code, today=TODAY)


def test_is_valid_id_number_born_today_is_valid():
    assert is_valid_id_number(_with_check("11010120250601123"), today=TODAY)


def test_is_valid_id_number_future_birth_date_by_default_today():
    assert not is_valid_id_number(_with_check(f"110101{date.today().year + 1}0101123"))


@pytest.mark.parametrize(
    "code",
    [
        "11010119900307447",  # 17 characters
        "1101011990030744777",  # 19 characters
        "11010119900307447 ",
        " 110101199003074477",
        "110101 99003074477",
        "1101011990030744A7",  # letter in the body
        "A10101199003074477",
        "11010119900307447Y",  # only X may be a letter
        "１10101199003074477",  # full-width digit
        "١10101199003074477",  # Arabic-Indic digit
        "",
    ],
)
def test_is_valid_id_number_rejects_malformed(code):
    assert not is_valid_id_number(code, today=TODAY)


@pytest.mark.parametrize("value", [None, 110101199003074477])
def test_is_valid_id_number_non_string_is_invalid(value):
    assert not is_valid_id_number(value, today=TODAY)


@pytest.mark.parametrize("first17", ["1101011990030744", "1101011990030744X", "110101199003074477"])
def test_make_id_check_digit_rejects_bad_body(first17):
    with pytest.raises(PolicyError):
        make_id_check_digit(first17)


@pytest.mark.parametrize(
    ("code", "born"),
    [
        ("110101199003074477", date(1990, 3, 7)),
        ("11010519491231002X", date(1949, 12, 31)),
        ("520102200002291232", date(2000, 2, 29)),
    ],
)
def test_birth_date_from_id(code, born):
    assert birth_date_from_id(code) == born


@pytest.mark.parametrize("code", ["11010119990230123X", "1101011990030744", "11010119900307447 "])
def test_birth_date_from_id_invalid(code):
    with pytest.raises(PolicyError):
        birth_date_from_id(code)


@pytest.mark.parametrize(
    ("code", "masked"),
    [
        ("110101199003074477", "110***********4477"),
        ("11010519491231002x", "110***********002X"),
        ("1234567", "*******"),
        ("", ""),
    ],
)
def test_mask_id_number(code, masked):
    assert mask_id_number(code) == masked
