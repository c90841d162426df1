"""Rules of cooperation projects: the service term (policy 三(二)) and review scores (SPEC §4).

Month arithmetic uses dateutil's relativedelta, always counted from the term's start date, so a day
that a short month lacks is clamped to that month's last day and never carried into later months.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from dateutil.relativedelta import relativedelta

from core.exceptions import PolicyError
from core.money import CENT, non_negative

#: Service months in one term (policy 2.0, 三(二): 每个服务期为2年).
TERM_MONTHS = 24
#: With this many score sheets or more, one highest and one lowest total are dropped.
TRIM_FROM_SHEETS = 5
#: Default pass line of a review round (set per round).
DEFAULT_PASS_LINE = Decimal("70.00")

K = TypeVar("K", bound=Hashable)


def term_end(term_start: date, months: int = TERM_MONTHS) -> date:
    """The last day of a term of `months` service months starting on `term_start`.

    term_start + months months − 1 day: a term starting 2025-03-01 ends 2027-02-28; one starting
    2025-01-31 ends 2027-01-30. `months` below 1 raises PolicyError.
    """
    if months < 1:
        raise PolicyError("服务期月数至少为1个月")
    return term_start + relativedelta(months=months) - timedelta(days=1)


def application_score(totals: list[Decimal]) -> Decimal:
    """An application's score from its reviewers' sheet totals (SPEC §4, review round).

    The mean of the totals; with TRIM_FROM_SHEETS (5) sheets or more, one highest and one lowest total
    are dropped first. Rounded to 0.01, ROUND_HALF_UP. No sheet or a negative total raises PolicyError.
    """
    values = sorted(non_negative(total, label="评分") for total in totals)
    if not values:
        raise PolicyError("尚无已提交的评分表，无法计算得分")
    if len(values) >= TRIM_FROM_SHEETS:
        values = values[1:-1]
    return (sum(values) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def rank_applications(scores: Mapping[K, Decimal], pass_line: Decimal) -> list[tuple[K, Decimal, int, bool]]:
    """(key, score, rank, passed) for every application, highest score first.

    Competition ranking: equal scores share a rank and the next rank skips (1, 1, 3); equal scores keep
    the order of `scores`. passed: the score reaches the pass line (score >= pass_line).
    """
    ordered = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    ranked: list[tuple[K, Decimal, int, bool]] = []
    for position, (key, score) in enumerate(ordered, start=1):
        rank = ranked[-1][2] if ranked and ranked[-1][1] == score else position
        ranked.append((key, score, rank, score >= pass_line))
    return ranked
