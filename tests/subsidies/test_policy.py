"""SPEC §5 and §6: project subsidy, service months, management fee (policy 五(二), 六(二)), no database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.exceptions import PolicyError
from subsidies.policy import (
    AWARD_AMOUNTS,
    ENTERPRISE_MATCHING,
    MONTHLY_ALLOWANCE,
    TERM_MONTHS,
    check_management_fee,
    instalment_settled_outside,
    payable_count,
    payable_months,
    project_subsidy,
    service_month,
    settled_outside_count,
)


def test_constants():
    assert str(MONTHLY_ALLOWANCE) == "2000.00"
    assert str(ENTERPRISE_MATCHING) == "2000.00"
    assert dict(AWARD_AMOUNTS) == {1: Decimal("200000.00"), 2: Decimal("100000.00"), 3: Decimal("50000.00")}
    assert TERM_MONTHS == 24


# --- project subsidy ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "social_science", "subsidy"),
    [
        ("0", False, "0.00"),
        ("0.01", False, "0.01"),  # 0.005 rounds half up
        ("123.45", False, "61.73"),  # 61.725
        ("100000.00", False, "50000.00"),
        ("599999.98", False, "299999.99"),  # below the cap
        ("600000.00", False, "300000.00"),  # at the cap
        ("600000.02", False, "300000.00"),  # above the cap
        ("5000000.00", False, "300000.00"),
        ("0.01", True, "0.01"),
        ("150000.00", True, "75000.00"),
        ("199999.98", True, "99999.99"),  # below the social-science cap
        ("199999.99", True, "100000.00"),  # 99999.995 rounds up to the cap
        ("200000.00", True, "100000.00"),  # at the cap
        ("200000.02", True, "100000.00"),  # above the cap
        ("400000.00", True, "100000.00"),  # a sum under the general cap is still capped at 100,000
        # Issue 7's boundary table.
        ("0", False, "0.00"),
        ("0.01", False, "0.01"),
        ("599999.99", False, "300000.00"),  # 299,999.995 rounds half up onto the cap
        ("600000.00", False, "300000.00"),
        ("600000.01", False, "300000.00"),
        ("200000.00", True, "100000.00"),
        ("199999.99", True, "100000.00"),
        ("0", True, "0.00"),
    ],
)
def test_project_subsidy(total, social_science, subsidy):
    assert str(project_subsidy(Decimal(total), social_science=social_science)) == subsidy


def test_project_subsidy_accepts_int():
    assert str(project_subsidy(600000, social_science=False)) == "300000.00"


def test_project_subsidy_other_policy_version():
    kwargs = {"rate": Decimal("0.4"), "cap": Decimal("200000.00"), "social_science_cap": Decimal("80000.00")}
    assert project_subsidy(Decimal("100000"), social_science=False, **kwargs) == Decimal("40000.00")
    assert project_subsidy(Decimal("1000000"), social_science=False, **kwargs) == Decimal("200000.00")
    assert project_subsidy(Decimal("1000000"), social_science=True, **kwargs) == Decimal("80000.00")


@pytest.mark.parametrize(
    ("total", "message"),
    [
        (Decimal("-0.01"), "项目总经费不能为负数"),
        (-1, "项目总经费不能为负数"),
        (100000.0, "项目总经费须为精确的十进制数值"),
        ("100000", "项目总经费须为精确的十进制数值"),
    ],
)
def test_project_subsidy_invalid_funding(total, message):
    with pytest.raises(PolicyError) as excinfo:
        project_subsidy(total, social_science=False)
    assert str(excinfo.value) == message


# --- service months -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "first", "last"),
    [
        (date(2025, 3, 1), 1, date(2025, 3, 1), date(2025, 3, 31)),
        (date(2025, 3, 1), 24, date(2027, 2, 1), date(2027, 2, 28)),
        (date(2025, 1, 15), 1, date(2025, 1, 15), date(2025, 2, 14)),
        # From 31 January: every month computed from S, clamped, never chained.
        (date(2025, 1, 31), 1, date(2025, 1, 31), date(2025, 2, 27)),
        (date(2025, 1, 31), 2, date(2025, 2, 28), date(2025, 3, 30)),
        (date(2025, 1, 31), 3, date(2025, 3, 31), date(2025, 4, 29)),
        (date(2025, 1, 31), 4, date(2025, 4, 30), date(2025, 5, 30)),
        (date(2025, 1, 31), 12, date(2025, 12, 31), date(2026, 1, 30)),
        (date(2025, 1, 31), 13, date(2026, 1, 31), date(2026, 2, 27)),
        # Leap years.
        (date(2024, 1, 31), 1, date(2024, 1, 31), date(2024, 2, 28)),
        (date(2024, 1, 31), 2, date(2024, 2, 29), date(2024, 3, 30)),
        (date(2024, 2, 29), 1, date(2024, 2, 29), date(2024, 3, 28)),
        (date(2024, 2, 29), 12, date(2025, 1, 29), date(2025, 2, 27)),
        (date(2024, 2, 29), 13, date(2025, 2, 28), date(2025, 3, 28)),
        (date(2024, 2, 29), 48, date(2028, 1, 29), date(2028, 2, 28)),
        (date(2023, 12, 30), 2, date(2024, 1, 30), date(2024, 2, 28)),
        (date(2023, 12, 30), 3, date(2024, 2, 29), date(2024, 3, 29)),
        # Issue 7's boundary table.
        # From the 29th and the 30th in a common year: February is clamped, later months are not.
        (date(2025, 1, 29), 1, date(2025, 1, 29), date(2025, 2, 27)),
        (date(2025, 1, 29), 2, date(2025, 2, 28), date(2025, 3, 28)),
        (date(2025, 1, 30), 1, date(2025, 1, 30), date(2025, 2, 27)),
        (date(2025, 1, 30), 2, date(2025, 2, 28), date(2025, 3, 29)),
        # ... and in a leap year.
        (date(2024, 1, 29), 1, date(2024, 1, 29), date(2024, 2, 28)),
        (date(2024, 1, 29), 2, date(2024, 2, 29), date(2024, 3, 28)),
        (date(2024, 1, 30), 1, date(2024, 1, 30), date(2024, 2, 28)),
        (date(2024, 1, 30), 2, date(2024, 2, 29), date(2024, 3, 29)),
        # From the 31st into 30-day months.
        (date(2025, 3, 31), 1, date(2025, 3, 31), date(2025, 4, 29)),
        (date(2025, 3, 31), 2, date(2025, 4, 30), date(2025, 5, 30)),
        (date(2025, 8, 30), 6, date(2026, 1, 30), date(2026, 2, 27)),
        # A term starting on leap day 2028-02-29.
        (date(2028, 2, 29), 1, date(2028, 2, 29), date(2028, 3, 28)),
        (date(2028, 2, 29), 2, date(2028, 3, 29), date(2028, 4, 28)),
        (date(2028, 2, 29), 12, date(2029, 1, 29), date(2029, 2, 27)),
        (date(2028, 2, 29), 13, date(2029, 2, 28), date(2029, 3, 28)),
        (date(2028, 2, 29), 24, date(2030, 1, 29), date(2030, 2, 27)),
    ],
)
def test_service_month(start, n, first, last):
    assert service_month(start, n) == (first, last)


@pytest.mark.parametrize(
    "start", [date(2025, 1, 31), date(2024, 2, 29), date(2024, 8, 31), date(2025, 3, 1), date(2025, 5, 30)]
)
def test_service_months_follow_each_other_without_gap(start):
    assert service_month(start, 1)[0] == start
    for n in range(1, 48):
        assert service_month(start, n + 1)[0] == service_month(start, n)[1] + timedelta(days=1)


@pytest.mark.parametrize("n", [0, -1])
def test_service_month_below_one(n):
    with pytest.raises(PolicyError):
        service_month(date(2025, 3, 1), n)


# --- payable months -------------------------------------------------------------------------------

START = date(2025, 3, 1)  # month 1 is March 2025, month 24 is February 2027


@pytest.mark.parametrize(
    ("as_of", "ended_on", "expected"),
    [
        (date(2025, 2, 1), None, []),  # before the term
        (date(2025, 3, 31), None, []),  # month 1's last day is not past yet
        (date(2025, 4, 1), None, [1]),
        (date(2025, 6, 1), None, [1, 2, 3]),
        (date(2027, 2, 28), None, list(range(1, 24))),
        (date(2027, 3, 1), None, list(range(1, 25))),  # the term is over: exactly 24 months
        (date(2035, 1, 1), None, list(range(1, 25))),
        # Early termination pays the months completed by the termination date, the last day served
        # (SPEC §5, issue 15 item 4): a month whose last day is on or before it.
        (date(2026, 1, 1), date(2025, 6, 15), [1, 2, 3]),
        (date(2026, 1, 1), date(2025, 6, 1), [1, 2, 3]),
        (date(2026, 1, 1), date(2025, 5, 31), [1, 2, 3]),  # month 3 ends on the termination date: paid
        (date(2026, 1, 1), date(2025, 5, 30), [1, 2]),  # one day short of month 3
        (date(2026, 1, 1), date(2025, 3, 31), [1]),  # month 1's last day served
        (date(2026, 1, 1), date(2025, 3, 30), []),
        (date(2026, 1, 1), date(2025, 3, 10), []),
        (date(2026, 1, 1), date(2025, 3, 1), []),  # terminated on the first day
        # issue 15 item 4: terminated 2025-06-30 on a term starting 2025-01-01 pays January–June (6)
        # — tested below; terminated on the term's own last day pays the whole term, like a normal end.
        (date(2035, 1, 1), date(2027, 2, 28), list(range(1, 25))),
        (date(2027, 2, 28), date(2027, 2, 28), list(range(1, 24))),  # month 24 is paid once it is past
        (date(2026, 1, 1), date(2025, 2, 1), []),
        (date(2025, 5, 1), date(2025, 12, 1), [1, 2]),  # as_of comes first: the rest is paid later
        (date(2035, 1, 1), date(2030, 1, 1), list(range(1, 25))),
    ],
)
def test_payable_months(as_of, ended_on, expected):
    assert payable_months(START, TERM_MONTHS, as_of, ended_on) == expected


@pytest.mark.parametrize(
    ("start", "ended_on", "expected"),
    [
        (date(2025, 1, 1), date(2025, 6, 30), 6),  # June served to its last day: paid
        (date(2025, 1, 1), date(2025, 6, 29), 5),
        (date(2025, 1, 1), date(2026, 12, 31), 24),  # the term's own last day: the whole term
        (date(2025, 1, 31), date(2027, 1, 30), 24),  # month-end start, last day of the term
        (date(2025, 1, 31), date(2025, 2, 27), 1),  # month 1 of a month-end start ends 02-27
    ],
)
def test_payable_months_termination_date_is_the_last_day_served(start, ended_on, expected):
    as_of = date(2030, 1, 1)
    assert payable_months(start, 24, as_of, ended_on) == list(range(1, expected + 1))
    assert payable_count(start, 24, as_of, ended_on) == expected


@pytest.mark.parametrize(
    ("start", "go_live", "expected"),
    [
        (date(2023, 3, 1), None, 0),  # no cut-over
        (date(2023, 3, 1), date(2026, 1, 1), 24),  # the demo's paper-era terms: all settled outside
        (date(2024, 11, 15), date(2026, 1, 1), 13),  # month 13 ends 2025-12-14, month 14 on 2026-01-14
        (date(2025, 12, 1), date(2026, 1, 1), 1),  # month 1 ends 2025-12-31, the day before go-live
        (date(2025, 12, 2), date(2026, 1, 1), 0),  # month 1 ends on go-live day: the portal pays it
        (date(2026, 3, 1), date(2026, 1, 1), 0),  # a term after go-live
    ],
)
def test_settled_outside_count(start, go_live, expected):
    assert settled_outside_count(start, 24, go_live) == expected


def test_settled_outside_count_of_no_month_is_zero():
    """A term terminated within its first month has no payable month to count (merged terms15/money15:
    the demo's terminated term used to raise here)."""
    assert settled_outside_count(date(2026, 11, 20), 0, date(2026, 1, 1)) == 0


@pytest.mark.parametrize(
    ("due_on", "go_live", "expected"),
    [
        (date(2023, 3, 1), date(2026, 1, 1), True),
        (date(2025, 12, 31), date(2026, 1, 1), True),
        (date(2026, 1, 1), date(2026, 1, 1), False),  # due on go-live day: paid by the portal
        (date(2023, 3, 1), None, False),
    ],
)
def test_instalment_settled_outside(due_on, go_live, expected):
    assert instalment_settled_outside(due_on, go_live) is expected


def test_payable_months_from_month_end_start():
    # S = 2025-01-31: month 1 ends 2025-02-27, month 24 ends 2027-01-30.
    assert payable_months(date(2025, 1, 31), 24, date(2025, 2, 28)) == [1]
    assert payable_months(date(2025, 1, 31), 24, date(2027, 1, 30)) == list(range(1, 24))
    assert payable_months(date(2025, 1, 31), 24, date(2027, 1, 31)) == list(range(1, 25))


def test_payable_months_extended_term():
    assert payable_months(START, 30, date(2030, 1, 1)) == list(range(1, 31))


@pytest.mark.parametrize("months", [0, -5])
def test_payable_months_term_below_one_month(months):
    with pytest.raises(PolicyError):
        payable_months(START, months, date(2030, 1, 1))


# --- management fee -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "fee"),
    [
        ("100000.00", "5000.00"),  # exactly 5%
        ("100000.00", "4999.99"),
        ("100000.00", "0"),
        ("0", "0"),
        ("100.10", "5.00"),  # 5% is 5.005
        ("123456.78", "6172.83"),  # 5% is 6172.839
    ],
)
def test_check_management_fee_within_ceiling(total, fee):
    assert check_management_fee(Decimal(total), Decimal(fee)) is None


@pytest.mark.parametrize(
    ("total", "fee", "message"),
    [
        ("100000.00", "5000.01", "管理费 5,000.01 元超过项目经费的5%（上限 5,000.00 元）"),
        ("100.10", "5.01", "管理费 5.01 元超过项目经费的5%（上限 5.00 元）"),
        ("0", "0.01", "管理费 0.01 元超过项目经费的5%（上限 0.00 元）"),
        ("600000", "60000", "管理费 60,000.00 元超过项目经费的5%（上限 30,000.00 元）"),
    ],
)
def test_check_management_fee_above_ceiling(total, fee, message):
    with pytest.raises(PolicyError) as excinfo:
        check_management_fee(Decimal(total), Decimal(fee))
    assert str(excinfo.value) == message


def test_check_management_fee_other_policy_version():
    check_management_fee(Decimal("100000"), Decimal("3000"), ceiling_rate=Decimal("0.03"))
    with pytest.raises(PolicyError, match=r"超过项目经费的3%（上限 3,000.00 元）"):
        check_management_fee(Decimal("100000"), Decimal("3000.01"), ceiling_rate=Decimal("0.03"))


@pytest.mark.parametrize(
    ("total", "fee", "message"),
    [
        (Decimal("-1"), Decimal("0"), "项目总经费不能为负数"),
        (Decimal("100000"), Decimal("-0.01"), "管理费不能为负数"),
        (Decimal("100000"), 100.0, "管理费须为精确的十进制数值"),
    ],
)
def test_check_management_fee_invalid(total, fee, message):
    with pytest.raises(PolicyError) as excinfo:
        check_management_fee(total, fee)
    assert str(excinfo.value) == message


# --- issue 7's boundary table ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "as_of", "ended_on", "expected"),
    [
        (date(2028, 2, 29), date(2030, 2, 27), None, list(range(1, 24))),  # month 24 ends that day
        (date(2028, 2, 29), date(2030, 2, 28), None, list(range(1, 25))),  # exactly 24 for a full term
        (date(2028, 2, 29), date(2040, 1, 1), None, list(range(1, 25))),
        (date(2028, 2, 29), date(2031, 1, 1), date(2028, 5, 10), [1, 2]),  # terminated mid-month 3
        (date(2025, 1, 29), date(2027, 1, 29), None, list(range(1, 25))),
        (date(2025, 1, 30), date(2027, 1, 29), None, list(range(1, 24))),
        (date(2025, 1, 30), date(2027, 1, 30), None, list(range(1, 25))),
        (date(2025, 3, 31), date(2025, 7, 15), date(2025, 6, 10), [1, 2]),  # mid-month termination
    ],
)
def test_payable_months_issue_boundaries(start, as_of, ended_on, expected):
    assert payable_months(start, 24, as_of, ended_on) == expected


@pytest.mark.parametrize(
    "start", [date(2025, 1, 29), date(2025, 1, 30), date(2025, 1, 31), date(2024, 2, 29), date(2028, 2, 29)]
)
def test_full_term_is_exactly_24_months(start):
    assert len(payable_months(start, 24, date(2040, 1, 1))) == 24


def test_payable_count_agrees_with_payable_months():
    from subsidies.policy import payable_count

    starts = [date(2024, 1, d) for d in (1, 15, 28, 29, 30, 31)] + [
        date(2024, 2, 29), date(2025, 2, 28), date(2028, 2, 29), date(2025, 8, 31), date(2025, 12, 31)]
    for start in starts:
        for offset in range(-40, 800, 7):
            as_of = start + timedelta(days=offset)
            for ended_on in (None, start + timedelta(days=offset // 2), start + timedelta(days=400)):
                for months in (1, 24, 30):
                    expected = len(payable_months(start, months, as_of, ended_on))
                    assert payable_count(start, months, as_of, ended_on) == expected, (start, as_of, ended_on)


def test_add_months_equals_relativedelta():
    from dateutil.relativedelta import relativedelta

    from subsidies.policy import add_months

    day = date(2023, 1, 1)
    while day < date(2029, 12, 31):
        for n in (0, 1, 2, 11, 12, 13, 23, 24, 25, 36):
            assert add_months(day, n) == day + relativedelta(months=n), (day, n)
        day += timedelta(days=1)
