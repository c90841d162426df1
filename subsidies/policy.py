"""Money rules of policy section 五(二) (SPEC §5): project subsidy, living allowance months, management fee.

The rates and caps are keyword parameters whose defaults are policy 2.0's, so that a later policy
version (versioned with an effective date in the database) can pass its own.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from types import MappingProxyType

from dateutil.relativedelta import relativedelta

from core.exceptions import PolicyError
from core.money import CENT, non_negative
from projects.policy import TERM_MONTHS, term_end

__all__ = [
    "AWARD_AMOUNTS",
    "ENTERPRISE_MATCHING",
    "MANAGEMENT_FEE_CEILING_RATE",
    "MONTHLY_ALLOWANCE",
    "PROJECT_SUBSIDY_CAP",
    "PROJECT_SUBSIDY_RATE",
    "SOCIAL_SCIENCE_SUBSIDY_CAP",
    "TERM_MONTHS",
    "add_months",
    "check_management_fee",
    "instalment_settled_outside",
    "payable_count",
    "payable_months",
    "project_subsidy",
    "service_month",
    "settled_outside_count",
]

#: 五(二)1: 50% of the cooperation project's funds, at most 300,000 (social sciences and humanities 100,000).
PROJECT_SUBSIDY_RATE = Decimal("0.5")
PROJECT_SUBSIDY_CAP = Decimal("300000.00")
SOCIAL_SCIENCE_SUBSIDY_CAP = Decimal("100000.00")
#: 五(二)2: the district's living allowance and the enterprise's matching allowance, per service month.
MONTHLY_ALLOWANCE = Decimal("2000.00")
ENTERPRISE_MATCHING = Decimal("2000.00")
#: 五(二)3: annual awards by prize (1st, 2nd, 3rd), paid to the expert.
AWARD_AMOUNTS = MappingProxyType({1: Decimal("200000.00"), 2: Decimal("100000.00"), 3: Decimal("50000.00")})
#: 六(二): the institution's two-level (校、院) management fee, at most 5% of the project's funds.
MANAGEMENT_FEE_CEILING_RATE = Decimal("0.05")


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def project_subsidy(
    total_funding: Decimal,
    *,
    social_science: bool,
    rate: Decimal = PROJECT_SUBSIDY_RATE,
    cap: Decimal = PROJECT_SUBSIDY_CAP,
    social_science_cap: Decimal = SOCIAL_SCIENCE_SUBSIDY_CAP,
) -> Decimal:
    """The project subsidy paid to the enterprise (policy 五(二)1).

    rate × total_funding, at most `cap` (`social_science_cap` for a social-science or humanities
    project), rounded to 0.01 ROUND_HALF_UP: 123.45 → 61.73. Negative funding and a float raise
    PolicyError; an int is accepted.
    """
    total = non_negative(total_funding, label="项目总经费")
    limit = social_science_cap if social_science else cap
    return min(total * rate, limit).quantize(CENT, rounding=ROUND_HALF_UP)


def service_month(term_start: date, n: int) -> tuple[date, date]:
    """(first day, last day) of service month `n` (n >= 1) of a term starting on `term_start`.

    Month n runs from S + (n−1) months to S + n months − 1 day, both computed from S (never chained), so
    the months follow each other without gap or overlap: S = 2025-01-31 gives month 1 = 01-31..02-27,
    month 2 = 02-28..03-30, month 3 = 03-31..04-29. n < 1 raises PolicyError.
    """
    if n < 1:
        raise PolicyError("服务月份序号从1开始")
    return term_start + relativedelta(months=n - 1), term_end(term_start, n)


def _limit(as_of: date, ended_on: date | None) -> date:
    """The first day that no longer counts: a month is completed when its last day is before `as_of`
    and, after a termination, on or before `ended_on` (the last day served) — i.e. before ended_on + 1."""
    return as_of if ended_on is None else min(as_of, ended_on + timedelta(days=1))


def payable_months(term_start: date, months: int, as_of: date, ended_on: date | None = None) -> list[int]:
    """The service months for which the living allowance is due on `as_of` (policy 五(二)2; SPEC §5).

    The numbers n in 1..months, ascending, whose last day is before `as_of` (the month is completed)
    and, when the appointment was terminated, on or before `ended_on`: the termination date is the last
    day served, so a month ending on the termination date is paid, and a termination on the term's own
    last day pays the whole term. A 24-month term yields exactly 24 months once its last day is past.
    `months` below 1 raises PolicyError.
    """
    if months < 1:
        raise PolicyError("服务期月数至少为1个月")
    limit = _limit(as_of, ended_on)
    payable = []
    for n in range(1, months + 1):
        if service_month(term_start, n)[1] >= limit:
            break
        payable.append(n)
    return payable


def add_months(day: date, months: int) -> date:
    """`day` + `months` calendar months, clamped to the target month's last day — exactly
    day + relativedelta(months=months), without its cost (the monthly run does this 10,000s of times)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def payable_count(term_start: date, months: int, as_of: date, ended_on: date | None = None) -> int:
    """len(payable_months(...)) in constant time: the payable months are always 1..k, and month n is
    completed before `limit` exactly when term_start + n months <= limit.

    Used by the monthly generation for thousands of appointments; tested against payable_months.
    """
    if months < 1:
        raise PolicyError("服务期月数至少为1个月")
    limit = _limit(as_of, ended_on)
    k = (limit.year - term_start.year) * 12 + (limit.month - term_start.month)
    if k > 0 and add_months(term_start, k) > limit:
        k -= 1
    return max(0, min(k, months))


def settled_outside_count(term_start: date, months: int, go_live: date | None) -> int:
    """How many service months (always 1..k) were settled outside the portal: those whose last day is
    before the deployment's go-live date (SPEC §5). They are recorded for history and the annual report
    and never fall due in the portal. No go-live date, or no month at all (a term terminated within its
    first month has 0 payable months): none."""
    if go_live is None or months < 1:
        return 0
    return payable_count(term_start, months, go_live)


def instalment_settled_outside(due_on: date, go_live: date | None) -> bool:
    """A project-subsidy instalment due before the go-live date was settled outside the portal."""
    return go_live is not None and due_on < go_live


def check_management_fee(
    total_funding: Decimal,
    management_fee: Decimal,
    *,
    ceiling_rate: Decimal = MANAGEMENT_FEE_CEILING_RATE,
) -> None:
    """Reject a management fee above `ceiling_rate` (5%) of the project's funds (policy 六(二)).

    The fee is compared with the exact product; the ceiling quoted in the message is that product
    rounded down to the fen, the largest fee that is accepted. Exactly 5% passes. Negative amounts
    and floats raise PolicyError.
    """
    total = non_negative(total_funding, label="项目总经费")
    fee = non_negative(management_fee, label="管理费")
    if fee > total * ceiling_rate:
        ceiling = (total * ceiling_rate).quantize(CENT, rounding=ROUND_DOWN)
        percent = format((ceiling_rate * 100).normalize(), "f")
        raise PolicyError(f"管理费 {_yuan(fee)} 元超过项目经费的{percent}%（上限 {_yuan(ceiling)} 元）")
