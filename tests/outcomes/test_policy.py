"""The pure rules of outcomes (outcomes.policy), table-driven; no database."""

from datetime import date
from decimal import Decimal

import pytest

from outcomes import policy
from outcomes.enums import OUTCOME_TRANSITIONS, OutcomeAction, OutcomeState, Side
from outcomes.exceptions import OutcomeError
from outcomes.policy import Actor, KindRules

S, A = OutcomeState, OutcomeAction


@pytest.mark.parametrize(
    ("raw", "patent", "key"),
    [
        ("ZL 2023 1 0123456.7", True, "2023101234567"),
        ("CN202310123456.7", True, "2023101234567"),
        ("２０２３１０１２３４５６．７", True, "2023101234567"),
        ("zl202310123456.7", True, "2023101234567"),
        ("2023SR0123456", False, "2023SR0123456"),
        (" 2023-sr-0123456 ", False, "2023SR0123456"),
        ("CN-2025-01", False, "CN202501"),
        ("", False, ""),
    ],
)
def test_normalise_identifier(raw, patent, key):
    assert policy.normalise_identifier(raw, patent=patent) == key


TERM = {"term_start": date(2025, 3, 1), "term_end": date(2027, 2, 28)}


@pytest.mark.parametrize(
    ("achieved_on", "today", "completed", "ok"),
    [
        (date(2025, 3, 1), date(2025, 3, 1), False, True),  # first day of the term
        (date(2025, 2, 28), date(2025, 6, 1), False, False),  # before the term
        (date(2027, 2, 28), date(2027, 5, 29), False, True),  # last day of grace (90 days after end)
        (date(2027, 5, 29), date(2027, 5, 29), False, True),
        (date(2027, 5, 1), date(2027, 5, 30), False, False),  # reporting closed after the grace period
        (date(2026, 1, 1), date(2025, 12, 31), False, False),  # in the future
        (date(2026, 1, 1), date(2026, 6, 1), True, False),  # completed (结题)
    ],
)
def test_check_reporting_window(achieved_on, today, completed, ok):
    def call():
        return policy.check_reporting_window(
            achieved_on=achieved_on, today=today, completed=completed, **TERM
        )

    if ok:
        call()
    else:
        with pytest.raises(OutcomeError):
            call()


def test_reporting_deadline_is_grace_days_after_end():
    assert policy.GRACE_DAYS == 90
    assert policy.reporting_deadline(date(2027, 2, 28)) == date(2027, 5, 29)


FULL = KindRules(identifier_required=True, evidence_required=True, has_level=True, has_amount=True)


@pytest.mark.parametrize(
    ("rules", "values", "message"),
    [
        (FULL, {}, None),
        (FULL, {"amount": Decimal("-0.01")}, "金额不能为负数"),
        (FULL, {"amount": None}, "该类成果需填写金额"),
        (FULL, {"quantity": 0}, "数量至少为 1"),
        (FULL, {"identifier": " "}, "该类成果需填写编号（如专利号、合同登记号）"),
        (FULL, {"level": ""}, "该类成果需选择级别"),
        (FULL, {"has_evidence": False}, "该类成果需上传证明材料"),
        (
            KindRules(evidence_required=False),
            {"identifier": "", "level": "", "amount": None, "has_evidence": False},
            None,
        ),
        (KindRules(enterprise_only=True), {"side": Side.EXPERT}, "该类成果由企业申报"),
        (KindRules(enterprise_only=True), {"side": Side.ENTERPRISE}, None),
    ],
)
def test_check_values(rules, values, message):
    data = {
        "side": Side.ENTERPRISE,
        "identifier": "X1",
        "level": "national",
        "quantity": 1,
        "amount": Decimal("100.00"),
        "has_evidence": True,
        **values,
    }
    if message is None:
        policy.check_values(rules, **data)
    else:
        with pytest.raises(OutcomeError, match=message):
            policy.check_values(rules, **data)


STAFF = Actor(staff=True)
ENT = Actor(sides=frozenset({Side.ENTERPRISE}))
EXP = Actor(sides=frozenset({Side.EXPERT}))
ENT_REPORTER = Actor(sides=frozenset({Side.ENTERPRISE}), reporter=True)
STAFF_REPORTER = Actor(staff=True, sides=frozenset({Side.ENTERPRISE}), reporter=True)
STAFF_ON_SIDE = Actor(staff=True, sides=frozenset({Side.ENTERPRISE}))
NOBODY = Actor()


@pytest.mark.parametrize(
    ("action", "state", "actor", "allowed"),
    [
        # the other side confirms or disputes; never the reporting side
        (A.CONFIRM, S.AWAITING_CONFIRMATION, EXP, True),
        (A.DISPUTE, S.AWAITING_CONFIRMATION, EXP, True),
        (A.CONFIRM, S.AWAITING_CONFIRMATION, ENT, False),
        (A.CONFIRM, S.AWAITING_CONFIRMATION, ENT_REPORTER, False),
        (A.CONFIRM, S.AWAITING_CONFIRMATION, STAFF, False),
        (A.CONFIRM, S.AWAITING_VERIFICATION, EXP, False),
        # staff verify / return / reject — never their own (side's) report
        (A.VERIFY, S.AWAITING_VERIFICATION, STAFF, True),
        (A.RETURN, S.AWAITING_VERIFICATION, STAFF, True),
        (A.REJECT, S.AWAITING_VERIFICATION, STAFF, True),
        (A.VERIFY, S.AWAITING_VERIFICATION, STAFF_REPORTER, False),
        (A.VERIFY, S.AWAITING_VERIFICATION, STAFF_ON_SIDE, False),
        (A.VERIFY, S.AWAITING_VERIFICATION, EXP, False),
        (A.VERIFY, S.AWAITING_CONFIRMATION, STAFF, False),
        (A.VERIFY, S.VERIFIED, STAFF, False),
        (A.REJECT, S.REJECTED, STAFF, False),
        # the reporting side resubmits or withdraws
        (A.RESUBMIT, S.RETURNED, ENT, True),
        (A.RESUBMIT, S.RETURNED, ENT_REPORTER, True),
        (A.RESUBMIT, S.RETURNED, EXP, False),
        (A.RESUBMIT, S.AWAITING_CONFIRMATION, ENT, False),
        (A.WITHDRAW, S.AWAITING_CONFIRMATION, ENT, True),
        (A.WITHDRAW, S.RETURNED, ENT, True),
        (A.WITHDRAW, S.AWAITING_VERIFICATION, ENT, False),
        (A.WITHDRAW, S.VERIFIED, ENT, False),
        (A.WITHDRAW, S.AWAITING_CONFIRMATION, STAFF, False),
        (A.WITHDRAW, S.AWAITING_CONFIRMATION, NOBODY, False),
    ],
)
def test_action_refusal(action, state, actor, allowed):
    refusal = policy.action_refusal(action=action, state=state, reporter_side=Side.ENTERPRISE, actor=actor)
    assert (refusal is None) is allowed, refusal


@pytest.mark.parametrize("action", list(A))
@pytest.mark.parametrize("state", list(S))
def test_every_allowed_action_is_a_transition_of_the_table(action, state):
    actors = [STAFF, ENT, EXP, ENT_REPORTER]
    if any(
        policy.action_refusal(action=action, state=state, reporter_side=Side.ENTERPRISE, actor=a) is None
        for a in actors
    ):
        assert policy.action_target(action) in OUTCOME_TRANSITIONS[state]


@pytest.mark.parametrize("action", [A.DISPUTE, A.RETURN, A.REJECT])
def test_reason_required(action):
    state = S.AWAITING_CONFIRMATION if action == A.DISPUTE else S.AWAITING_VERIFICATION
    actor = EXP if action == A.DISPUTE else STAFF
    with pytest.raises(OutcomeError, match="请填写理由"):
        policy.check_action(
            action=action, state=state, reporter_side=Side.ENTERPRISE, actor=actor, reason=" "
        )
    policy.check_action(
        action=action, state=state, reporter_side=Side.ENTERPRISE, actor=actor, reason="缺证书"
    )


@pytest.mark.parametrize(
    ("tq", "ta", "vq", "va", "met"),
    [
        (2, None, 2, Decimal("0"), True),
        (2, None, 1, Decimal("0"), False),
        (None, Decimal("300000.00"), 0, Decimal("300000.00"), True),
        (None, Decimal("300000.00"), 5, Decimal("299999.99"), False),
        (1, Decimal("100.00"), 1, Decimal("99.00"), False),
        (1, Decimal("100.00"), 2, Decimal("100.00"), True),
        (None, None, 0, Decimal("0"), False),
        (None, None, 1, Decimal("0"), True),
    ],
)
def test_target_met(tq, ta, vq, va, met):
    assert (
        policy.target_met(target_quantity=tq, target_amount=ta, verified_quantity=vq, verified_amount=va)
        is met
    )


@pytest.mark.parametrize(
    ("computed", "met", "reason", "ok"),
    [
        (True, True, "", True),
        (False, False, "", True),
        (False, True, "", False),
        (False, True, "证书已受理", True),
        (True, False, " ", False),
    ],
)
def test_check_override(computed, met, reason, ok):
    if ok:
        policy.check_override(computed=computed, met=met, reason=reason)
    else:
        with pytest.raises(OutcomeError, match="须填写理由"):
            policy.check_override(computed=computed, met=met, reason=reason)


@pytest.mark.parametrize(
    ("quantity", "amount", "ok"),
    [
        (1, None, True),
        (None, Decimal("0"), True),
        (None, None, False),
        (0, None, False),
        (None, Decimal("-1"), False),
    ],
)
def test_check_target(quantity, amount, ok):
    if ok:
        policy.check_target(quantity=quantity, amount=amount)
    else:
        with pytest.raises(OutcomeError):
            policy.check_target(quantity=quantity, amount=amount)


@pytest.mark.parametrize(
    ("today", "completed", "due"),
    [
        (date(2025, 2, 28), False, None),
        (date(2025, 3, 1), False, "2025Q1"),
        (date(2025, 4, 1), False, "2025Q2"),
        (date(2025, 12, 31), False, "2025Q4"),
        (date(2027, 5, 29), False, "2027Q2"),
        (date(2027, 5, 30), False, None),
        (date(2026, 1, 5), True, None),
    ],
)
def test_quarterly_reminder_due(today, completed, due):
    assert policy.quarterly_reminder_due(today=today, completed=completed, **TERM) == due
