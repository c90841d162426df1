"""SPEC §5: CNY amounts — rounding, display and Chinese capitals (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.exceptions import PolicyError
from core.money import CENT, format_cny, quantize_cny, to_chinese_capital


def test_cent():
    assert Decimal("0.01") == CENT


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("0.005"), "0.01"),  # half up, not half even
        (Decimal("0.015"), "0.02"),
        (Decimal("0.025"), "0.03"),
        (Decimal("0.0049"), "0.00"),
        (Decimal("61.725"), "61.73"),
        (Decimal("-0.005"), "-0.01"),  # halves away from zero
        (Decimal("2000"), "2000.00"),
        (5, "5.00"),
    ],
)
def test_quantize_cny(value, expected):
    assert str(quantize_cny(value)) == expected


@pytest.mark.parametrize("value", [0.1, True, "1.00", None, Decimal("NaN"), Decimal("Infinity")])
def test_quantize_cny_refuses_inexact_or_non_numbers(value):
    with pytest.raises(PolicyError):
        quantize_cny(value)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("300000"), "¥300,000.00"),
        (Decimal("1234.5"), "¥1,234.50"),
        (Decimal("0"), "¥0.00"),
        (Decimal("999.995"), "¥1,000.00"),
        (Decimal("-12.5"), "-¥12.50"),
        (100000000, "¥100,000,000.00"),
    ],
)
def test_format_cny(amount, expected):
    assert format_cny(amount) == expected


@pytest.mark.parametrize(
    ("amount", "capital"),
    [
        ("300000", "叁拾万元整"),
        ("100000", "壹拾万元整"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        ("2000.00", "贰仟元整"),
        ("0", "零元整"),
        ("0.00", "零元整"),
        ("100000.05", "壹拾万元零伍分"),  # 角 is 0 and 分 is not: 零 after 元
        ("10.50", "壹拾元伍角整"),  # 整 after 角
        ("10", "壹拾元整"),  # 壹拾 keeps 壹
        ("15", "壹拾伍元整"),
        ("0.50", "伍角整"),
        ("0.05", "伍分"),
        ("0.35", "叁角伍分"),
        ("0.005", "壹分"),  # rounded half up first
        ("1409.50", "壹仟肆佰零玖元伍角整"),  # PBOC example: a zero inside
        ("6007.14", "陆仟零柒元壹角肆分"),  # several zeros: one 零
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("100500", "壹拾万零伍佰元整"),
        ("1000000", "壹佰万元整"),
        ("10000001", "壹仟万零壹元整"),
        ("100000000", "壹亿元整"),
        ("100010000", "壹亿零壹万元整"),
        ("110000000", "壹亿壹仟万元整"),
        ("100000001", "壹亿零壹元整"),
        ("200000.00", "贰拾万元整"),
        ("50000.00", "伍万元整"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_to_chinese_capital(amount, capital):
    assert to_chinese_capital(Decimal(amount)) == capital


def test_to_chinese_capital_accepts_int():
    assert to_chinese_capital(2000) == "贰仟元整"


@pytest.mark.parametrize("amount", [Decimal("-0.01"), Decimal("-300000"), Decimal("1000000000000")])
def test_to_chinese_capital_out_of_range(amount):
    with pytest.raises(PolicyError):
        to_chinese_capital(amount)
