"""SPEC §4 and §6: service term end, application score and ranking (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import PolicyError
from projects.policy import TERM_MONTHS, application_score, rank_applications, term_end


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
