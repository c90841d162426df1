"""Factories for the outcomes tests: outcomes reported and moved through the services."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from outcomes import services
from outcomes.models import OutcomeKind
from tests.factories import terms as tf

PDF = tf.PDF


def pdf(name: str = "certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def ensure_kinds() -> None:
    """The kinds the data migration seeds (a transactional test before may have flushed them)."""
    from outcomes.kinds import ensure_kinds as load

    load()


def kind(code: str = "patent_invention_granted") -> OutcomeKind:
    ensure_kinds()
    return OutcomeKind.objects.get(code=code)


def report(
    appt,
    *,
    by=None,
    code="patent_invention_granted",
    identifier="ZL202510123456.7",
    achieved_on: date = date(2025, 9, 1),
    title="一种储能电池热管理方法",
    **extra,
):
    by = by or tf.enterprise_user(appt)
    data = {"quantity": 1, "amount": None, "level": "", "description": ""}
    data.update(extra)
    if "evidence" not in data:
        data["evidence"] = pdf()
    return services.outcome_report(
        appointment=appt,
        by=by,
        kind=kind(code),
        title=title,
        identifier=identifier,
        achieved_on=achieved_on,
        **data,
    )


def verified(appt, *, staff, **kwargs):
    outcome = report(appt, **kwargs)
    other = tf.expert_user(appt) if outcome.side == "enterprise" else tf.enterprise_user(appt)
    services.outcome_act(outcome=outcome, action="confirm", by=other)
    return services.outcome_act(outcome=outcome, action="verify", by=staff)
