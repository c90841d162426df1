"""Factories for the credit-record tests: records written directly in a given state (the nightly job and
the transitions are under test elsewhere)."""

from __future__ import annotations

from datetime import date, timedelta

from credit import policy
from credit.enums import CreditRule, CreditState, Polarity, Severity, SubjectKind
from credit.models import SUBJECT_FIELDS, CreditRecord
from tests.factories import projects as pf

_n = iter(range(1, 10**9))


def record(
    subject,
    *,
    kind: str | None = None,
    state: str = CreditState.PROPOSED,
    polarity: str = Polarity.NEGATIVE,
    rule: str = CreditRule.EARLY_TERMINATION,
    occurred_on: date | None = None,
    today: date | None = None,
) -> CreditRecord:
    kind = kind or {
        "expert": SubjectKind.EXPERT,
        "enterprise": SubjectKind.ENTERPRISE,
        "reviewer": SubjectKind.REVIEWER,
        "institution": SubjectKind.INSTITUTION,
    }[subject._meta.model_name]
    today = today or date.today()
    occurred_on = occurred_on or today - timedelta(days=30)
    severity = Severity.MINOR if polarity == Polarity.NEGATIVE else ""
    data = {}
    if state != CreditState.PROPOSED and state != CreditState.DISMISSED:
        data.update(notified_on=today - timedelta(days=20), objection_deadline=today - timedelta(days=10))
    if state in (CreditState.CONFIRMED, CreditState.EXPIRED, CreditState.REPAIRED, CreditState.REVOKED):
        data["confirmed_on"] = today - timedelta(days=5)
    return CreditRecord.objects.create(
        subject_kind=kind,
        **{SUBJECT_FIELDS[kind]: subject},
        rule=rule,
        conduct="测试事实",
        basis=policy.BASIS[rule],
        source_type="tests.fact",
        source_id=str(next(_n)),
        polarity=polarity,
        severity=severity,
        occurred_on=occurred_on,
        valid_until=policy.valid_until(occurred_on, severity or None),
        state=state,
        **data,
    )


def commission():
    return pf.commission()
