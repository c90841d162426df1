"""Issue 17 item 3: the 0–100 match score, its legend and the reasons in the demand's own wording."""

from __future__ import annotations

import pytest

from core.exceptions import PolicyError
from enterprises.policy import match_level, match_percent, reason_terms


@pytest.mark.parametrize(
    ("score", "max_score", "percent"),
    [
        (1.35, 1.35, 100),
        (1.0, 1.35, 74),
        (0.675, 1.35, 50),
        (0.0, 1.35, 0),
        (2.0, 1.35, 100),  # clamped
        (-0.5, 1.35, 0),
        (0.5, 1.0, 50),
    ],
)
def test_match_percent(score, max_score, percent):
    assert match_percent(score, max_score) == percent


def test_match_percent_needs_a_positive_maximum():
    with pytest.raises(PolicyError):
        match_percent(1.0, 0)


@pytest.mark.parametrize(
    ("percent", "level"),
    [(100, "高度匹配"), (80, "高度匹配"), (79, "较好匹配"), (60, "较好匹配"), (59, "一般匹配"),
     (40, "一般匹配"), (39, "较弱匹配"), (0, "较弱匹配")],
)
def test_match_level(percent, level):
    assert match_level(percent)[1] == level


@pytest.mark.parametrize(
    ("terms", "text", "shown"),
    [
        # the "co2驱油驱油": a compound and its part, lower-cased tokens
        (["co2驱油", "驱油"], "开展CO2驱油与封存技术研究", ["CO2驱油"]),
        (["储能", "电池管理系统", "储能"], "储能电站电池管理系统", ["电池管理系统", "储能"]),
        (["热管理", "锂离子电池", "电池"], "锂离子电池热管理", ["锂离子电池", "热管理"]),
        (["mrna疫苗"], "mRNA疫苗递送", ["mRNA疫苗"]),
        (["专家侧词"], "需求文字", ["专家侧词"]),
        ([], "任何文字", []),
    ],
)
def test_reason_terms(terms, text, shown):
    assert reason_terms(terms, text) == shown
