"""SPEC §4 and §6: service term end, application score and ranking (no database)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import PolicyError
from projects.policy import (
    TERM_MONTHS,
    add_working_days,
    application_score,
    check_budget,
    departs_from_pass_line,
    leniency,
    rank_applications,
    score_spread,
    term_end,
)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2025, 3, 1), 24, date(2027, 2, 28)),
        (date(2025, 1, 31), 24, date(2027, 1, 30)),
        (date(2025, 1, 15), 24, date(2027, 1, 14)),
        (date(2024, 2, 29), 24, date(2026, 2, 27)),  # S + 24 months is clamped to 28 February
        (date(2024, 2, 29), 48, date(2028, 2, 28)),
        (date(2025, 1, 1), 1, date(2025, 1, 31)),
        (date(2025, 1, 31), 1, date(2025, 2, 27)),
        (date(2025, 1, 15), 30, date(2027, 7, 14)),  # extended term
    ],
)
def test_term_end(start, months, end):
    assert term_end(start, months) == end


def test_term_end_default_is_24_months():
    assert TERM_MONTHS == 24
    assert term_end(date(2025, 3, 1)) == date(2027, 2, 28)


@pytest.mark.parametrize("months", [0, -1])
def test_term_end_below_one_month(months):
    with pytest.raises(PolicyError):
        term_end(date(2025, 3, 1), months)


@pytest.mark.parametrize(
    ("totals", "score"),
    [
        (["80"], "80.00"),
        (["80", "85"], "82.50"),
        (["70", "80", "91"], "80.33"),
        (["70", "71", "71"], "70.67"),
        (["80", "80.01"], "80.01"),  # 80.005 rounds half up
        (["85.5", "90", "77"], "84.17"),
        (["60", "70", "80", "95"], "76.25"),  # 4 sheets: no trimming
        (["60", "70", "80", "90", "100"], "80.00"),  # 5 sheets: 60 and 100 dropped
        (["50", "82", "83", "85", "99"], "83.33"),
        (["40", "75", "76", "77", "78", "79", "100"], "77.00"),  # 7 sheets
        (["90", "90", "90", "60", "60", "80", "70"], "78.00"),  # only one of equal extremes dropped
        (["0", "0", "0"], "0.00"),
    ],
)
def test_application_score(totals, score):
    assert str(application_score([Decimal(t) for t in totals])) == score


def test_application_score_does_not_change_its_argument():
    totals = [Decimal("90"), Decimal("60"), Decimal("70"), Decimal("80"), Decimal("100")]
    application_score(totals)
    assert totals == [Decimal("90"), Decimal("60"), Decimal("70"), Decimal("80"), Decimal("100")]


@pytest.mark.parametrize("totals", [[], [Decimal("80"), Decimal("-1")], [Decimal("80"), 75.5]])
def test_application_score_invalid(totals):
    with pytest.raises(PolicyError):
        application_score(totals)


def test_rank_applications_competition_ranking():
    scores = {
        "a": Decimal("80.00"),
        "b": Decimal("90.00"),
        "c": Decimal("80.00"),
        "d": Decimal("69.99"),
        "e": Decimal("70.00"),
    }
    assert rank_applications(scores, Decimal("70")) == [
        ("b", Decimal("90.00"), 1, True),
        ("a", Decimal("80.00"), 2, True),
        ("c", Decimal("80.00"), 2, True),
        ("e", Decimal("70.00"), 4, True),  # the pass line itself passes
        ("d", Decimal("69.99"), 5, False),
    ]


@pytest.mark.parametrize(
    ("values", "ranks"),
    [
        (["90", "90", "80"], [1, 1, 3]),
        (["90", "80", "80", "80", "70"], [1, 2, 2, 2, 5]),
        (["75", "75", "75"], [1, 1, 1]),
        (["75"], [1]),
    ],
)
def test_rank_applications_ties_share_a_rank(values, ranks):
    ranked = rank_applications({i: Decimal(v) for i, v in enumerate(values)}, Decimal("70"))
    assert [rank for _, _, rank, _ in ranked] == ranks
    assert [key for key, *_ in ranked] == list(range(len(values)))


def test_rank_applications_empty():
    assert rank_applications({}, Decimal("70")) == []


# --- budget, notice, decisions, leniency ---------------------------------------------------------

LINES = {"budget_equipment": Decimal("200000.00"), "budget_materials": Decimal("150000.00"),
         "budget_testing": Decimal("50000.00"), "budget_travel": Decimal("20000.00"),
         "budget_labour": Decimal("50000.00"), "budget_management_fee": Decimal("25000.00"),
         "budget_other": Decimal("5000.00")}


def test_check_budget_accepts_lines_adding_up_with_fee_at_5pct():
    check_budget(Decimal("500000.00"), LINES)


def test_check_budget_lines_do_not_add_up():
    with pytest.raises(PolicyError, match=re.escape("合计 499,999.99 元与项目总经费 500,000.00 元不一致")):
        check_budget(Decimal("500000.00"), {**LINES, "budget_other": Decimal("4999.99")})


def test_check_budget_fee_above_5pct():
    lines = {**LINES, "budget_management_fee": Decimal("25000.01"), "budget_other": Decimal("4999.99")}
    with pytest.raises(PolicyError, match=re.escape("管理费 25,000.01 元超过项目经费的5%")):
        check_budget(Decimal("500000.00"), lines)


@pytest.mark.parametrize("total", [Decimal("0"), Decimal("-1")])
def test_check_budget_total_must_be_positive(total):
    with pytest.raises(PolicyError):
        check_budget(total, {})


def test_check_budget_negative_line():
    with pytest.raises(PolicyError, match="不能为负数"):
        check_budget(Decimal("100"), {"budget_other": Decimal("101"), "budget_travel": Decimal("-1")})


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (date(2026, 11, 23), 5, date(2026, 11, 27)),  # Monday → Friday
        (date(2026, 11, 25), 5, date(2026, 12, 1)),  # Wednesday → next Tuesday
        (date(2026, 11, 28), 5, date(2026, 12, 4)),  # Saturday start: Monday..Friday
        (date(2026, 11, 27), 1, date(2026, 11, 27)),
    ],
)
def test_add_working_days(start, days, end):
    assert add_working_days(start, days) == end


def test_add_working_days_at_least_one():
    with pytest.raises(PolicyError):
        add_working_days(date(2026, 11, 23), 0)


@pytest.mark.parametrize(
    ("approve", "score", "departs"),
    [
        (True, Decimal("70.00"), False),
        (True, Decimal("69.99"), True),
        (False, Decimal("70.00"), True),
        (False, Decimal("69.99"), False),
        (True, None, True),
        (False, None, False),
    ],
)
def test_departs_from_pass_line(approve, score, departs):
    assert departs_from_pass_line(approve, score, Decimal("70")) is departs


def test_score_spread():
    assert score_spread([Decimal("80"), Decimal("71.5"), Decimal("90")]) == Decimal("18.5")
    assert score_spread([]) is None


def test_leniency_against_round_mean():
    result = leniency({"a": [Decimal("90"), Decimal("80")], "b": [Decimal("70")], "c": []})
    # round mean (90 + 80 + 70) / 3 = 80
    assert result == {"a": (Decimal("85.00"), Decimal("5.00")), "b": (Decimal("70.00"), Decimal("-10.00"))}
    assert leniency({}) == {}


class _Criterion:
    def __init__(self, pk, name, max_points):
        self.pk, self.name, self.max_points = pk, name, Decimal(max_points)


_RUBRIC = [_Criterion(1, "技术创新性", "30"), _Criterion(2, "预期效益", "10")]


@pytest.mark.parametrize(
    "points, comment, submit, expected",
    [
        ({1: "28.5", 2: "9"}, "", False, {1: Decimal("28.5"), 2: Decimal("9")}),
        ({1: "28.5"}, "", False, {1: Decimal("28.5")}),  # a draft may leave criteria unscored
        ({1: "", 2: None}, "", False, {}),
        ({1: "30", 2: "10"}, "意见", True, {1: Decimal("30"), 2: Decimal("10")}),
        ({1: "0", 2: "0.01"}, "意见", True, {1: Decimal("0"), 2: Decimal("0.01")}),
        ({1: "abc"}, "", False, "不是有效数字"),
        ({1: "-1"}, "", False, "不能为负数"),
        ({1: "NaN"}, "", False, "不能为负数"),
        ({1: "30.01"}, "", False, "超过满分 30"),
        ({2: "9.999"}, "", False, "最多保留两位小数"),
        ({1: "20"}, "意见", True, "尚未评分：预期效益"),
        ({1: "20", 2: "5"}, "  ", True, "请填写评审意见"),
    ],
)
def test_sheet_points(points, comment, submit, expected):
    from projects.policy import sheet_points

    if isinstance(expected, str):
        with pytest.raises(PolicyError, match=expected):
            sheet_points(_RUBRIC, points, comment=comment, submit=submit)
    else:
        assert sheet_points(_RUBRIC, points, comment=comment, submit=submit) == expected


def test_award_sheets_score_with_the_review_rounds_rule():
    import awards.services
    import projects.policy

    assert awards.services.sheet_points is projects.policy.sheet_points
