"""parse_rubric: the rubric of a review round or an award cycle, typed one "name points" a line."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects.forms import parse_rubric

D = Decimal


@pytest.mark.parametrize(
    "text, expected",
    [
        ("经济效益 25\n技术创新 30", [("经济效益", D(25)), ("技术创新", D(30))]),
        ("\n  经济 效益 12.5  \n\n", [("经济 效益", D("12.5"))]),  # split at the last space
    ],
)
def test_parses_each_line(text, expected):
    assert parse_rubric(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("经济效益 二十五", "第1行格式不对：应为“指标名称 满分”。"),
        ("经济效益 25\n技术创新", "第2行格式不对：应为“指标名称 满分”。"),
        ("经济效益 0", "第1行格式不对：应为“指标名称 满分”，满分大于0。"),
        ("经济效益 -5", "第1行格式不对：应为“指标名称 满分”，满分大于0。"),
        ("经济效益 NaN", "第1行格式不对：应为“指标名称 满分”，满分大于0。"),
        ("经济效益 Infinity", "第1行格式不对：应为“指标名称 满分”，满分大于0。"),
        (" 25", "第1行格式不对：应为“指标名称 满分”，满分大于0。"),  # no name
        ("\n \n", "至少需要一项评审指标。"),
        ("经济效益 25\n经济效益 30", "评审指标名称不能重复。"),
    ],
)
def test_refuses_with_the_line(text, message):
    with pytest.raises(ValidationError) as error:
        parse_rubric(text)
    assert error.value.messages == [message]
