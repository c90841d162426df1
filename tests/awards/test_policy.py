"""The pure rules of the annual awards (no database)."""

from datetime import date
from decimal import Decimal as D

import pytest

import projects.policy
from awards import policy
from core.exceptions import PolicyError

Q = {1: 1, 2: 2, 3: 3}


def test_score_and_ranking_are_the_review_rounds_functions():
    assert policy.application_score is projects.policy.application_score
    assert policy.rank_applications is projects.policy.rank_applications
    # five sheets: one highest and one lowest dropped
    assert policy.application_score([D("90"), D("80"), D("70"), D("60"), D("10")]) == D("70.00")


@pytest.mark.parametrize(
    ("ranked", "quotas", "expected"),
    [
        ([("a", D("90")), ("b", D("80")), ("c", D("70"))], Q, {"a": 1, "b": 2, "c": 2}),
        (
            [("a", D("90")), ("b", D("80")), ("c", D("70")), ("d", D("60"))],
            {1: 1, 2: 1, 3: 1},
            {"a": 1, "b": 2, "c": 3, "d": None},
        ),
        # an unfilled quota: nobody gets a second prize, the next goes to the third
        ([("a", D("90")), ("b", D("80"))], {1: 1, 2: 0, 3: 1}, {"a": 1, "b": 3}),
        # input order does not matter
        ([("c", D("70")), ("a", D("90")), ("b", D("80"))], {1: 1, 2: 1, 3: 0}, {"a": 1, "b": 2, "c": None}),
        # ties inside one level are fine
        (
            [("a", D("90")), ("b", D("85")), ("c", D("85")), ("d", D("60"))],
            {1: 1, 2: 2, 3: 0},
            {"a": 1, "b": 2, "c": 2, "d": None},
        ),
        ([], Q, {}),
    ],
)
def test_prize_plan_fills_levels_best_first(ranked, quotas, expected):
    assert policy.prize_plan(ranked, quotas) == expected


@pytest.mark.parametrize(
    ("ranked", "quotas", "level", "keys"),
    [
        # tie across the 1st/2nd line
        ([("a", D("90")), ("b", D("90")), ("c", D("70"))], {1: 1, 2: 2, 3: 0}, 1, ["a", "b"]),
        # tie across the last prize / no prize line
        ([("a", D("90")), ("b", D("75")), ("c", D("75"))], {1: 1, 2: 0, 3: 1}, 3, ["b", "c"]),
        ([("a", D("88.50")), ("b", D("88.50")), ("c", D("88.50"))], {1: 0, 2: 2, 3: 0}, 2, ["a", "b", "c"]),
    ],
)
def test_prize_plan_refuses_a_tie_at_a_quota_line(ranked, quotas, level, keys):
    with pytest.raises(policy.TieAtQuotaLine) as caught:
        policy.prize_plan(ranked, quotas)
    assert caught.value.level == level
    assert caught.value.keys == keys
    assert "并列" in str(caught.value)


@pytest.mark.parametrize(
    ("levels", "quotas", "ok"),
    [
        ({"a": 1, "b": 2, "c": 2}, Q, True),
        ({"a": 1, "b": 1}, Q, False),
        ({"a": None, "b": None}, {1: 0, 2: 0, 3: 0}, True),
        ({"a": 3}, {1: 1, 2: 1, 3: 0}, False),
        ({"a": 4}, Q, False),
    ],
)
def test_check_quotas(levels, quotas, ok):
    if ok:
        policy.check_quotas(levels, quotas)
    else:
        with pytest.raises(PolicyError):
            policy.check_quotas(levels, quotas)


def test_decision_departures_inversions_and_split_ties():
    scores = {"a": D("90"), "b": D("80"), "c": D("80"), "d": None}
    assert policy.decision_departures(scores, {"a": 1, "b": 2, "c": 2, "d": None}) == []
    # b above a (inversion), and the tie b–c split
    assert policy.decision_departures(scores, {"a": 2, "b": 1, "c": 2, "d": None}) == [("a", "b"), ("b", "c")]
    # the tie between b and c split across levels
    assert set(policy.decision_departures(scores, {"a": 1, "b": 2, "c": None})) == {("b", "c")}
    # an unscored application with a prize above a scored one
    assert ("a", "d") in policy.decision_departures(scores, {"a": None, "d": 3})


@pytest.mark.parametrize(
    ("completed_on", "previous_cutoff", "cutoff", "awarded", "message"),
    [
        (date(2027, 4, 1), date(2026, 9, 30), date(2027, 9, 30), False, None),
        # completed after the 2026 cycle was decided (its cut-off passed): the 2027 cycle takes it
        (date(2026, 12, 1), date(2026, 9, 30), date(2027, 9, 30), False, None),
        (date(2027, 9, 30), date(2026, 9, 30), date(2027, 9, 30), False, None),
        (date(2026, 9, 30), date(2026, 9, 30), date(2027, 9, 30), False, "应参加上一年度评选"),
        (date(2026, 3, 1), date(2026, 9, 30), date(2027, 9, 30), False, "2026年03月01日结题"),
        (date(2027, 10, 1), date(2026, 9, 30), date(2027, 9, 30), False, "请参加下一年度评选"),
        (date(2024, 5, 1), None, date(2025, 9, 30), False, None),  # the first cycle: no lower bound
        (date(2027, 4, 1), date(2026, 9, 30), date(2027, 9, 30), True, "已获得过年度评选奖励"),
        (None, None, date(2025, 9, 30), False, "尚未结题"),
    ],
)
def test_check_eligible(completed_on, previous_cutoff, cutoff, awarded, message):
    kwargs = {
        "completed_on": completed_on,
        "previous_cutoff": previous_cutoff,
        "cutoff": cutoff,
        "awarded": awarded,
    }
    if message is None:
        policy.check_eligible(**kwargs)
    else:
        with pytest.raises(PolicyError, match=message):
            policy.check_eligible(**kwargs)


@pytest.mark.parametrize(
    ("today", "message"),
    [
        (date(2026, 3, 1), None),
        (date(2026, 3, 31), None),
        (date(2026, 2, 28), "尚未开始"),
        (date(2026, 4, 1), "已于"),
    ],
)
def test_check_application_window(today, message):
    kwargs = {"start": date(2026, 3, 1), "end": date(2026, 3, 31), "today": today}
    if message is None:
        policy.check_application_window(**kwargs)
    else:
        with pytest.raises(PolicyError, match=message):
            policy.check_application_window(**kwargs)


def test_award_amount_from_the_policy_amounts():
    amounts = {1: D("200000.00"), 2: D("100000.00"), 3: D("50000.00")}
    assert [policy.award_amount(level, amounts) for level in (1, 2, 3)] == [
        D("200000.00"),
        D("100000.00"),
        D("50000.00"),
    ]
    with pytest.raises(PolicyError):
        policy.award_amount(4, amounts)


def test_check_evidence_needs_a_summary_and_one_kind_of_evidence():
    policy.check_evidence(summary="总结", evidence={"patents": "专利1项", "papers": ""})
    with pytest.raises(PolicyError, match="成果总结"):
        policy.check_evidence(summary=" ", evidence={"patents": "专利1项"})
    with pytest.raises(PolicyError, match="佐证"):
        policy.check_evidence(summary="总结", evidence={"patents": "", "papers": " "})
