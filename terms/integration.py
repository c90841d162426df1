"""Where the service-term app meets apps built on other branches (subsidies: issue 7).

`matching_payments_unconfirmed(as_of)` is the reminder job's hook: it returns the enterprise matching
allowance payments still unconfirmed after their grace period. Until the subsidies app provides a
model of those obligations it returns an empty list, so the job runs (and sends nothing of this kind).
"""

from __future__ import annotations

from datetime import date

from django.apps import apps


def matching_payments_unconfirmed(as_of: date) -> list[dict]:
    try:
        apps.get_model("subsidies", "AllowancePayment")
    except LookupError:
        return []
    return []  # wired when the subsidies models land (see the report of issue 6)


def project_indicators(project) -> list[dict]:
    """The project's indicators as initial rows of the term-end report ({"indicator", "target"})."""
    return []


def panel_conflicts(appointment, reviewers) -> list[tuple[object, str]]:
    """(reviewer, reason) for each proposed panel member with a conflict of interest (review-round rules)."""
    return []
