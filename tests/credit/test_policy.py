"""The credit record's pure rules (credit/policy.py), table-driven; no database."""

from datetime import date

import pytest

from core.exceptions import PolicyError
from credit import policy
from credit.enums import TRANSITIONS, CreditRule, CreditState, Polarity, Severity, SubjectKind
from terms.enums import Grade

D = date


@pytest.mark.parametrize(
    ("occurred", "severity", "expected"),
    [
        (D(2025, 3, 1), Severity.MINOR, D(2026, 2, 28)),
        (D(2025, 3, 1), Severity.SERIOUS, D(2028, 2, 29)),
        (D(2025, 3, 1), Severity.GRAVE, D(2030, 2, 28)),
        (D(2024, 2, 29), None, D(2027, 2, 27)),  # positive: 3 years, clamped from Feb 29
    ],
)
def test_valid_until_by_severity(occurred, severity, expected):
    assert policy.valid_until(occurred, severity) == expected


def test_valid_until_unknown_severity_raises():
    with pytest.raises(PolicyError):
        policy.valid_until(D(2025, 1, 1), "huge")


@pytest.mark.parametrize(
    ("state", "valid_until", "today", "active"),
    [
        (CreditState.CONFIRMED, D(2026, 1, 1), D(2026, 1, 1), True),
        (CreditState.CONFIRMED, D(2026, 1, 1), D(2026, 1, 2), False),
        (CreditState.NOTIFIED, D(2027, 1, 1), D(2026, 1, 1), False),
        (CreditState.REPAIRED, D(2027, 1, 1), D(2026, 1, 1), False),
        (CreditState.REVOKED, D(2027, 1, 1), D(2026, 1, 1), False),
    ],
)
def test_is_active(state, valid_until, today, active):
    assert policy.is_active(state=state, valid_until=valid_until, today=today) is active
    assert policy.is_expiry_due(state=state, valid_until=valid_until, today=today) is (
        state == CreditState.CONFIRMED and today > valid_until
    )


def test_objection_deadline_is_ten_days():
    assert policy.objection_deadline(D(2026, 1, 25)) == D(2026, 2, 4)


@pytest.mark.parametrize(
    ("state", "deadline", "today", "open_", "handled", "ok"),
    [
        (CreditState.NOTIFIED, D(2026, 1, 10), D(2026, 1, 11), 0, 0, True),  # window passed
        (CreditState.NOTIFIED, D(2026, 1, 10), D(2026, 1, 10), 0, 0, False),  # last day of the window
        (CreditState.NOTIFIED, D(2026, 1, 10), D(2026, 1, 5), 0, 1, True),  # objection handled
        (CreditState.NOTIFIED, D(2026, 1, 10), D(2026, 1, 20), 1, 0, False),  # objection open
        (CreditState.PROPOSED, None, D(2026, 1, 20), 0, 0, False),  # never notified
        (CreditState.CONFIRMED, D(2026, 1, 10), D(2026, 1, 20), 0, 0, False),
    ],
)
def test_confirm_blocker(state, deadline, today, open_, handled, ok):
    blocker = policy.confirm_blocker(
        state=state, deadline=deadline, today=today, open_objections=open_, handled_objections=handled
    )
    assert (blocker is None) is ok


@pytest.mark.parametrize(
    ("state", "deadline", "today", "ok"),
    [
        (CreditState.NOTIFIED, D(2026, 1, 10), D(2026, 1, 10), True),
        (CreditState.NOTIFIED, D(2026, 1, 10), D(2026, 1, 11), False),
        (CreditState.CONFIRMED, D(2026, 1, 10), D(2026, 1, 5), False),
        (CreditState.PROPOSED, None, D(2026, 1, 5), False),
    ],
)
def test_objection_blocker(state, deadline, today, ok):
    assert (policy.objection_blocker(state=state, deadline=deadline, today=today) is None) is ok


@pytest.mark.parametrize("frm", list(CreditState))
@pytest.mark.parametrize("to", list(CreditState))
def test_transition_table(frm, to):
    allowed = {
        (CreditState.PROPOSED, CreditState.NOTIFIED), (CreditState.PROPOSED, CreditState.DISMISSED),
        (CreditState.NOTIFIED, CreditState.CONFIRMED), (CreditState.NOTIFIED, CreditState.DISMISSED),
        (CreditState.CONFIRMED, CreditState.EXPIRED), (CreditState.CONFIRMED, CreditState.REPAIRED),
        (CreditState.CONFIRMED, CreditState.REVOKED),
    }
    assert (to in TRANSITIONS.get(frm, set())) is ((frm, to) in allowed)


# --- proposal rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unconfirmed", "as_of", "n", "conduct_has"),
    [
        ([], D(2026, 6, 1), 0, None),
        ([(1, D(2026, 1, 31))], D(2026, 4, 30), 0, None),  # exactly 3 months: not yet
        ([(1, D(2026, 1, 31))], D(2026, 5, 1), 1, "第1月"),
        ([(2, D(2026, 2, 28)), (1, D(2026, 1, 31)), (3, D(2026, 3, 31))], D(2026, 6, 15), 1, "第1月、第2月"),
    ],
)
def test_matching_unconfirmed(unconfirmed, as_of, n, conduct_has):
    out = policy.matching_unconfirmed(unconfirmed=unconfirmed, as_of=as_of)
    assert len(out) == n
    if n:
        p = out[0]
        assert (p.rule, p.subject_kind, p.polarity, p.severity) == (
            CreditRule.MATCHING_UNCONFIRMED, SubjectKind.ENTERPRISE, Polarity.NEGATIVE, Severity.MINOR
        )
        assert conduct_has in p.conduct and "第3月" not in p.conduct
        assert p.occurred_on == D(2026, 4, 30)


@pytest.mark.parametrize(
    ("end", "terminated", "submitted", "as_of", "n"),
    [
        (D(2026, 1, 31), False, False, D(2026, 4, 1), 0),  # due 03-02, limit 04-01
        (D(2026, 1, 31), False, False, D(2026, 4, 2), 1),
        (D(2026, 1, 31), False, True, D(2026, 9, 1), 0),
        (D(2026, 1, 31), True, False, D(2026, 9, 1), 0),
    ],
)
def test_report_overdue(end, terminated, submitted, as_of, n):
    out = policy.report_overdue(end_date=end, terminated=terminated, submitted=submitted, as_of=as_of)
    assert len(out) == n
    if n:
        assert out[0].subject_kind == SubjectKind.ENTERPRISE and out[0].occurred_on == D(2026, 4, 1)


def test_early_termination_proposes_both_sides_with_the_cause():
    out = policy.early_termination(terminated_on=D(2026, 5, 31), reason="企业经营困难，合作中止")
    assert [p.subject_kind for p in out] == [SubjectKind.EXPERT, SubjectKind.ENTERPRISE]
    assert all("企业经营困难" in p.conduct and p.polarity == Polarity.NEGATIVE for p in out)
    assert "未填写" in policy.early_termination(terminated_on=D(2026, 5, 31), reason=" ")[0].conduct


@pytest.mark.parametrize(
    ("grade", "rule", "polarity", "severity"),
    [
        (Grade.FAIL, CreditRule.EVALUATION_FAIL, Polarity.NEGATIVE, Severity.SERIOUS),
        (Grade.EXCELLENT, CreditRule.EVALUATION_EXCELLENT, Polarity.POSITIVE, ""),
        (Grade.GOOD, None, None, None),
        (Grade.PASS, None, None, None),
    ],
)
def test_evaluation_result(grade, rule, polarity, severity):
    out = policy.evaluation_result(grade=grade, finalised_on=D(2026, 3, 1))
    if rule is None:
        assert out == []
    else:
        assert [(p.rule, p.subject_kind, p.polarity, p.severity) for p in out] == [
            (rule, SubjectKind.EXPERT, polarity, severity)
        ]


@pytest.mark.parametrize(
    ("scored", "withdrawn", "as_of", "n"),
    [
        (False, False, D(2026, 3, 11), 1),
        (False, False, D(2026, 3, 10), 0),  # the deadline day itself
        (True, False, D(2026, 3, 11), 0),
        (False, True, D(2026, 3, 11), 0),
    ],
)
def test_review_deadline_missed(scored, withdrawn, as_of, n):
    out = policy.review_deadline_missed(
        deadline=D(2026, 3, 10), scored=scored, withdrawn=withdrawn, round_name="第一批", as_of=as_of
    )
    assert len(out) == n
    if n:
        assert out[0].subject_kind == SubjectKind.REVIEWER and "第一批" in out[0].conduct


def test_award_winner_positive_for_expert_and_enterprise():
    out = policy.award_winner(year=2025, prize="一等奖", decided_on=D(2026, 1, 15))
    assert [(p.subject_kind, p.polarity, p.severity) for p in out] == [
        (SubjectKind.EXPERT, Polarity.POSITIVE, ""), (SubjectKind.ENTERPRISE, Polarity.POSITIVE, "")
    ]
    assert out[0].valid_until == D(2029, 1, 14)
    assert out[0].basis == policy.BASIS[CreditRule.AWARD_WINNER]


def test_every_rule_has_a_basis():
    assert set(policy.BASIS) == set(CreditRule)
