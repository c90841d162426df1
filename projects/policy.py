"""Rules of cooperation projects: the service term (policy 三(二)) and review scores (SPEC §4).

Month arithmetic uses dateutil's relativedelta, always counted from the term's start date, so a day
that a short month lacks is clamped to that month's last day and never carried into later months.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeVar

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

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


def earliest_start(*, filed_on: date | None, signed_on: date | None) -> date | None:
    """The earliest day a term may start: not before the record-filing (备案) date nor the agreement's
    signing date (SPEC §4). None when neither is known (a term entered from paper records)."""
    known = [d for d in (filed_on, signed_on) if d is not None]
    return max(known) if known else None


def check_start_date(start: date, *, filed_on: date | None, signed_on: date | None) -> None:
    """A term starting on `start` is allowed, or PolicyError naming the earliest allowed date and why."""
    earliest = earliest_start(filed_on=filed_on, signed_on=signed_on)
    if earliest is None or start >= earliest:
        return
    parts = []
    if filed_on is not None:
        parts.append(_("备案日期 %(d)s") % {"d": f"{filed_on:%Y-%m-%d}"})
    if signed_on is not None:
        parts.append(_("合作协议签订日期 %(d)s") % {"d": f"{signed_on:%Y-%m-%d}"})
    raise PolicyError(
        _("聘期开始日期不能早于%(dates)s；最早可以从 %(date)s 开始。")
        % {"dates": "、".join(parts), "date": f"{earliest:%Y-%m-%d}"}
    )


def effective_end(end_date: date, terminated_on: date | None) -> date:
    """The last day a term really runs: its termination date, else its end date (which already includes
    approved extensions)."""
    return terminated_on if terminated_on is not None and terminated_on < end_date else end_date


def terms_overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    """Two closed date ranges (first day, last day) share at least one day."""
    return a[0] <= b[1] and b[0] <= a[1]


def sheet_points(
    criteria, points: Mapping, *, comment: str, submit: bool, comment_required: bool = True
) -> dict:
    """A reviewer's score sheet checked against the rubric: {criterion pk: points as Decimal}.

    `criteria` are objects with `pk`, `name` and `max_points`; `points` maps a criterion pk to the raw
    input (an unscored criterion is left out). Each value is a finite number from 0 to the criterion's
    maximum with at most two decimals; submitting needs every criterion scored and, when
    `comment_required` (the round's 须填写评审意见), a comment. Review
    rounds and award cycles both score with this one rule. Raises PolicyError with the reviewer's message."""
    values = {}
    for criterion in criteria:
        raw = points.get(criterion.pk)
        if raw in (None, ""):
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            raise PolicyError(_("“%(name)s”的得分不是有效数字。") % {"name": criterion.name}) from None
        if not (value.is_finite() and value >= 0):
            raise PolicyError(_("“%(name)s”的得分不能为负数。") % {"name": criterion.name})
        if value > criterion.max_points:
            raise PolicyError(
                _("“%(name)s”的得分 %(value)s 超过满分 %(max)s。")
                % {"name": criterion.name, "value": value, "max": f"{criterion.max_points:g}"}
            )
        if value != value.quantize(Decimal("0.01")):
            raise PolicyError(_("得分最多保留两位小数。"))
        values[criterion.pk] = value
    if submit:
        missing = [c.name for c in criteria if c.pk not in values]
        if missing:
            names = "、".join(missing)
            raise PolicyError(_("提交前请为每项指标评分，尚未评分：%(names)s") % {"names": names})
        if comment_required and not (comment or "").strip():
            raise PolicyError(_("提交前请填写评审意见。"))
    return values


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


def check_budget(total_funds: Decimal, lines: Mapping[str, Decimal]) -> None:
    """A filing's budget: every line non-negative, the lines add up to the total exactly, and the
    institution's management fee (the line "budget_management_fee") at most 5 % (subsidies.policy)."""
    from subsidies.policy import check_management_fee

    total = non_negative(total_funds, label="项目总经费")
    if total <= 0:
        raise PolicyError("项目总经费须大于0")
    values = {name: non_negative(value, label="预算科目金额") for name, value in lines.items()}
    line_sum = sum(values.values(), Decimal("0"))
    if line_sum != total:
        raise PolicyError(f"预算各科目合计 {line_sum:,.2f} 元与项目总经费 {total:,.2f} 元不一致")
    check_management_fee(total, values.get("budget_management_fee", Decimal("0")))


def add_working_days(start: date, days: int) -> date:
    """The day on which a notice of `days` working days (Monday–Friday) starting on `start` ends.

    The start day counts when it is a working day. Statutory holidays and adjusted working weekends
    are not known to this rule; staff may move the end date of a round's notice by hand.
    """
    if days < 1:
        raise PolicyError("公示期至少为1个工作日")
    current = start
    counted = 0
    while True:
        if current.weekday() < 5:
            counted += 1
            if counted == days:
                return current
        current += timedelta(days=1)


def departs_from_pass_line(approve: bool, score: Decimal | None, pass_line: Decimal) -> bool:
    """A decision that differs from what the pass line says (it then needs a recorded reason): approving
    a project below the line or without a score, or not approving one that reached it."""
    if score is None:
        return approve
    return approve != (score >= pass_line)


def score_spread(totals: list[Decimal]) -> Decimal | None:
    """max − min of the sheet totals (None without a sheet)."""
    return (max(totals) - min(totals)) if totals else None


def leniency(reviewer_totals: Mapping[K, list[Decimal]]) -> dict[K, tuple[Decimal, Decimal]]:
    """Per reviewer: (their mean total, their mean minus the round's mean of all sheets), 0.01 HALF_UP.

    A positive difference marks a lenient scorer, a negative one a harsh scorer. Reviewers without a
    submitted sheet are left out."""
    all_totals = [t for totals in reviewer_totals.values() for t in totals]
    if not all_totals:
        return {}
    round_mean = sum(all_totals) / len(all_totals)
    result = {}
    for key, totals in reviewer_totals.items():
        if not totals:
            continue
        mean = sum(totals) / len(totals)
        result[key] = (mean.quantize(CENT, rounding=ROUND_HALF_UP),
                       (mean - round_mean).quantize(CENT, rounding=ROUND_HALF_UP))
    return result


# --- conflicts of interest (SPEC §4, review round) ---------------------------------------------------

COI_SELF = "self"
COI_INSTITUTION = "institution"
COI_ENTERPRISE = "enterprise"
COI_LABELS = {
    COI_SELF: "评审专家即项目专家本人",
    COI_INSTITUTION: "评审专家与项目专家同一单位",
    COI_ENTERPRISE: "评审专家与申报企业有关联",
}


def _same_name(a: str, b: str) -> bool:
    return bool(a and b and "".join(a.split()) == "".join(b.split()))


def conflict_reasons(*, reviewer_user_id, reviewer_expert_id, reviewer_institution_id,
                     reviewer_institution_name: str, reviewer_enterprise_ids: frozenset, expert_id,
                     expert_user_id, expert_institution_id, expert_institution_name: str,
                     enterprise_id) -> list[str]:
    """The conflict codes between a reviewer and an application, in the order self, institution,
    enterprise (empty: no conflict). The reviewer is the expert (same pool record or same login); works
    at the expert's institution (same institution record, or the same name typed for a reviewer outside
    the institution list); or is linked to the enterprise (declared link or membership)."""
    reasons = []
    if (reviewer_expert_id is not None and reviewer_expert_id == expert_id) or (
        reviewer_user_id is not None and reviewer_user_id == expert_user_id
    ):
        reasons.append(COI_SELF)
    same_institution = reviewer_institution_id is not None and (
        reviewer_institution_id == expert_institution_id
    )
    if same_institution or _same_name(reviewer_institution_name, expert_institution_name):
        reasons.append(COI_INSTITUTION)
    if enterprise_id in reviewer_enterprise_ids:
        reasons.append(COI_ENTERPRISE)
    return reasons
