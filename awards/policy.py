"""Rules of the annual awards (年度评选; policy 五(二)3, SPEC §4–5). Pure: no database.

The score of an application is the review rounds' rule, `projects.policy.application_score` (mean of
the sheet totals; with 5 or more sheets one highest and one lowest dropped), and the ranking is
`projects.policy.rank_applications`; both are re-exported here so that the awards use the same code.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from core.exceptions import PolicyError
from core.money import CENT, non_negative
from projects.policy import application_score, rank_applications

__all__ = [
    "LEVELS",
    "TieAtQuotaLine",
    "application_score",
    "award_amount",
    "check_application_window",
    "check_eligible",
    "check_evidence",
    "check_quotas",
    "decision_departures",
    "prize_plan",
    "rank_applications",
]

K = TypeVar("K", bound=Hashable)

#: Prize levels: 1 一等奖, 2 二等奖, 3 三等奖.
LEVELS = (1, 2, 3)
LEVEL_NAMES = {1: "一等奖", 2: "二等奖", 3: "三等奖"}


class TieAtQuotaLine(PolicyError):
    """Applications with the same score fall on both sides of a quota line: staff must choose."""

    def __init__(self, message: str, *, keys: list, level: int, score: Decimal):
        super().__init__(message)
        self.keys = keys
        self.level = level
        self.score = score


def check_eligible(
    *, completed_on: date | None, previous_cutoff: date | None, cutoff: date, awarded: bool
) -> None:
    """A project may enter a cycle when its completion (结题) was accepted after the previous cycle's
    cut-off (`previous_cutoff`, None when there was no earlier cycle) and on or before this cycle's own
    cut-off (its application deadline), and it was never awarded (SPEC §5): a project completed after a
    cycle's cut-off — even after that cycle was decided — goes to the next cycle."""
    if completed_on is None:
        raise PolicyError("该项目尚未结题验收，不能参加年度评选")
    if awarded:
        raise PolicyError("该项目已获得过年度评选奖励，不能再次参评")
    if previous_cutoff is not None and completed_on <= previous_cutoff:
        raise PolicyError(
            f"该项目于{completed_on:%Y年%m月%d日}结题，在上一年度评选截止日（{previous_cutoff:%Y年%m月%d日}）"
            "之前，应参加上一年度评选"
        )
    if completed_on > cutoff:
        raise PolicyError(
            f"该项目于{completed_on:%Y年%m月%d日}结题，晚于本年度评选截止日（{cutoff:%Y年%m月%d日}），"
            "请参加下一年度评选"
        )


def check_application_window(*, start: date, end: date, today: date) -> None:
    """Applications are accepted from `start` to `end`, both days included."""
    if end < start:
        raise PolicyError("申报截止日期不能早于开始日期")
    if today < start:
        raise PolicyError(f"申报期尚未开始（{start:%Y年%m月%d日}起）")
    if today > end:
        raise PolicyError(f"申报期已于{end:%Y年%m月%d日}结束")


def check_evidence(*, summary: str, evidence: Mapping[str, str]) -> None:
    """A results summary and at least one kind of evidence (patents, products, revenue, standards, papers)."""
    if not (summary or "").strip():
        raise PolicyError("请填写成果总结")
    if not any((v or "").strip() for v in evidence.values()):
        raise PolicyError("请至少填写一类成果佐证（专利、产品、营收、标准或论文）")


def award_amount(level: int, amounts: Mapping[int, Decimal]) -> Decimal:
    """The prize money of `level` under a policy version's amounts, 0.01 HALF_UP."""
    if level not in LEVELS:
        raise PolicyError("奖励等级须为一、二、三等奖之一")
    return non_negative(amounts[level], label="奖金").quantize(CENT, rounding=ROUND_HALF_UP)


def check_quotas(levels: Mapping[K, int | None], quotas: Mapping[int, int]) -> None:
    """No prize level is given more often than its quota (a quota may be left unfilled)."""
    for level in LEVELS:
        given = sum(1 for value in levels.values() if value == level)
        quota = quotas.get(level, 0)
        if quota < 0:
            raise PolicyError("名额不能为负数")
        if given > quota:
            raise PolicyError(f"{LEVEL_NAMES[level]}名额为{quota}个，本次评定{given}个，超出名额")
    for value in levels.values():
        if value is not None and value not in LEVELS:
            raise PolicyError("奖励等级须为一、二、三等奖之一")


def prize_plan(ranked: Sequence[tuple[K, Decimal]], quotas: Mapping[int, int]) -> dict[K, int | None]:
    """The levels that the ranking alone gives: best scores first, each level up to its quota.

    `ranked` is (key, score), any order (sorted here, best first; equal scores keep their given order).
    Every key not reached gets None. When applications with the same score would fall on both sides of
    a line (between two levels, or between the last prize and no prize), the ranking does not decide:
    TieAtQuotaLine names them and staff choose explicitly.
    """
    ordered = sorted(ranked, key=lambda item: item[1], reverse=True)
    plan: dict[K, int | None] = {key: None for key, _score in ordered}
    position = 0
    for level in LEVELS:
        quota = quotas.get(level, 0)
        if quota < 0:
            raise PolicyError("名额不能为负数")
        if quota == 0 or position >= len(ordered):
            continue
        chunk = ordered[position : position + quota]
        for key, _score in chunk:
            plan[key] = level
        position += len(chunk)
        if position < len(ordered) and ordered[position][1] == chunk[-1][1]:
            score = chunk[-1][1]
            tied = [key for key, s in ordered if s == score]
            raise TieAtQuotaLine(
                f"{len(tied)}项申请得分并列（{score}分），跨越{LEVEL_NAMES[level]}名额线，"
                "请在评定页面逐项明确选择奖励等级",
                keys=tied,
                level=level,
                score=score,
            )
    return plan


def decision_departures(
    scores: Mapping[K, Decimal | None], levels: Mapping[K, int | None]
) -> list[tuple[K, K]]:
    """Pairs (a, b) where the decision departs from the ranking: b got a better prize than a although
    a scored higher, or a and b scored the same and got different prizes (a tie broken by staff). Such
    a decision needs a recorded reason. No prize ranks below the third; an unscored application ranks
    below every scored one."""

    def rank(level):
        return level if level is not None else len(LEVELS) + 1

    keys = list(scores)
    pairs = []
    for a in keys:
        for b in keys:
            if a == b:
                continue
            sa, sb = scores[a], scores[b]
            la, lb = rank(levels.get(a)), rank(levels.get(b))
            if (sa is not None and (sb is None or sa > sb) and lb < la) or (
                sa is not None and sa == sb and la < lb
            ):
                pairs.append((a, b))
    return pairs
