"""National identifiers (SPEC §7): the unified social credit code and the resident ID number.

Validation is case-insensitive (a lower-case letter is read as its upper-case form, so "x" is accepted
as the ID check character "X"); any other character, whitespace included, makes a code invalid.
Callers store `code.upper()`.
"""

from __future__ import annotations

import re
from datetime import date

from core.exceptions import PolicyError

# 统一社会信用代码, GB 32100-2015 ---------------------------------------------------------------------

#: The 31 characters a code is written with: digits and capital letters except I, O, S, V and Z.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {char: value for value, char in enumerate(USCC_CHARSET)}


def make_uscc_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code whose first 17 characters are `first17`.

    GB 32100-2015 §5: sum the character values times the weights 3^(i-1) mod 31; the check value is
    31 − (sum mod 31), with 31 written as "0".
    """
    body = first17.upper()
    if len(body) != 17 or any(char not in _USCC_VALUE for char in body):
        raise PolicyError("统一社会信用代码前17位须由数字和除I、O、S、V、Z以外的大写字母组成")
    total = sum(_USCC_VALUE[char] * weight for char, weight in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """Whether `code` is a well-formed unified social credit code (统一社会信用代码, GB 32100-2015).

    18 characters from USCC_CHARSET with a correct check character. Characters 1 and 2 (registration
    authority and organisation type) are not checked against a table: the standard's amendments keep
    adding authorities, and a real enterprise must never be refused for a table we did not update.
    """
    if not isinstance(code, str) or len(code) != 18:
        return False
    code = code.upper()
    if any(char not in _USCC_VALUE for char in code):
        return False
    return make_uscc_check_char(code[:17]) == code[17]


# 居民身份证号, GB 11643-1999 -------------------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
#: No resident alive today was born before this date; an earlier "birth date" is a typing error.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
_ID_FORMAT = re.compile(r"[0-9]{17}[0-9X]")


def make_id_check_digit(first17: str) -> str:
    """The 18th character of a resident ID number whose first 17 digits are `first17`.

    GB 11643-1999 uses ISO 7064 MOD 11-2: sum the digits times the weights 2^(18-i) mod 11; the check
    character is "10X98765432"[sum mod 11].
    """
    if not re.fullmatch(r"[0-9]{17}", first17):
        raise PolicyError("身份证号码前17位须为数字")
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def birth_date_from_id(code: str) -> date:
    """The birth date written in characters 7–14 (YYYYMMDD) of an 18-character ID number.

    Raises PolicyError when the code does not have the 18-character form or the date does not exist.
    The check digit is not verified here (see is_valid_id_number).
    """
    if not isinstance(code, str) or not _ID_FORMAT.fullmatch(code.upper()):
        raise PolicyError("身份证号码应为18位：前17位为数字，最后一位为数字或X")
    try:
        return date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        raise PolicyError(f"身份证号码中的出生日期{code[6:14]}不是有效日期") from None


def is_valid_id_number(code: str, *, today: date | None = None) -> bool:
    """Whether `code` is a valid 18-character resident ID number (居民身份证号, GB 11643-1999).

    17 digits and a check character (a digit or X, "x" accepted) that matches ISO 7064 MOD 11-2, and
    an embedded birth date that exists, is not after `today` (default: the current date) and not before
    EARLIEST_BIRTH_DATE. The 6-digit address code is not checked against the division table, because
    codes of abolished divisions stay valid on IDs already issued.
    """
    if not isinstance(code, str) or not _ID_FORMAT.fullmatch(code.upper()):
        return False
    if make_id_check_digit(code[:17]) != code[17].upper():
        return False
    try:
        born = birth_date_from_id(code)
    except PolicyError:
        return False
    return EARLIEST_BIRTH_DATE <= born <= (today or date.today())


def mask_id_number(code: str) -> str:
    """An ID number for display to roles that do not need it: "110***********1234" (SPEC §7).

    The first 3 and last 4 characters stay visible and every other one becomes "*" (11 for an
    18-character number). A value too short to mask that way is hidden entirely.
    """
    code = code.upper()
    if len(code) <= 7:
        return "*" * len(code)
    return code[:3] + "*" * (len(code) - 7) + code[-4:]


#: Mainland mobile: 11 digits, 1 then 3–9 (SPEC §7).
_MOBILE = re.compile(r"1[3-9]\d{9}")
#: Landline with its area code: 0 + 2–3 digits (010, 020–029 or a 4-digit code), then a 7- or 8-digit
#: local number that never starts with 0 or 1; a hyphen after the area code and an extension
#: ("-8021" or "转8021") are allowed.
_LANDLINE = re.compile(r"0\d{2,3}-?[2-9]\d{6,7}(?:(?:-|转)\d{1,6})?")
_FULLWIDTH = str.maketrans("０１２３４５６７８９－（）　", "0123456789-() ")


def normalize_phone(number: str) -> str:
    """A phone number as typed, tidied: full-width digits made ASCII, spaces removed, "(010)12345678"
    written "010-12345678", a leading +86 / 0086 dropped before a mobile number."""
    text = (number or "").translate(_FULLWIDTH)
    text = "".join(text.split())
    text = re.sub(r"^\((0\d{2,3})\)-?", r"\1-", text)
    if re.fullmatch(r"(?:\+86|0086)-?1\d{10}", text):
        text = text[-11:]
    return text


def is_valid_phone(number: str) -> bool:
    """A mainland mobile number (1[3-9] + 9 digits) or a landline with area code (SPEC §7), after
    normalize_phone. "1381234567" (10 digits) and "12345678" (no area code) are refused."""
    text = normalize_phone(number)
    return bool(_MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text))


def mask_phone(number: str) -> str:
    """A phone number for display: "138****5678" (first 3 and last 4 kept)."""
    number = (number or "").strip()
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_bank_account(number: str) -> str:
    """A bank account for display: only the last 4 digits, "**** **** 1234"."""
    digits = "".join((number or "").split())
    if len(digits) <= 4:
        return "*" * len(digits)
    return "**** **** " + digits[-4:]
