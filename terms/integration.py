"""Where the service-term app meets apps built on other branches (subsidies: issue 7).

`matching_payments_unconfirmed(as_of)` is the reminder job's hook: it returns the enterprise matching
allowance payments still unconfirmed after their grace period. Until the subsidies app provides a
model of those obligations it returns an empty list, so the job runs (and sends nothing of this kind).
"""

from __future__ import annotations

import re
from datetime import date


def matching_payments_unconfirmed(as_of: date) -> list[dict]:
    """Enterprise matching allowances still unconfirmed after the subsidies app's grace period, from
    `subsidies.selectors.matching_overdue(as_of=...)` (issue 7: AllowancePayment of kind MATCHING with
    `confirmed_on` empty). Empty while that selector does not exist."""
    try:
        from subsidies.selectors import matching_overdue
    except ImportError:
        return []
    return [
        {"appointment": payment.appointment, "month": payment.month, "month_end": payment.period_end}
        for payment in matching_overdue(as_of=as_of)
    ]


def project_indicators(project) -> list[dict]:
    """The project's expected results and indicators (预期成果与考核指标, one per line or separated by
    "；"), as initial rows of the term-end report."""
    items = re.split(r"[\n；;]+", project.expected_results or "")
    return [{"indicator": item.strip()[:200], "target": ""} for item in items if item.strip()]


def panel_conflicts(appointment, reviewers) -> list[tuple[object, str]]:
    """(reviewer, reasons) for each proposed panel member with a conflict of interest — the review
    rounds' rule (projects.services.reviewer_conflicts): the expert themself, the expert's institution,
    or linked to the enterprise."""
    from projects.policy import COI_LABELS
    from projects.services import reviewer_conflicts

    found = []
    for reviewer in reviewers:
        reasons = reviewer_conflicts(reviewer, appointment.project)
        if reasons:
            found.append((reviewer, "、".join(COI_LABELS[r] for r in reasons)))
    return found


def panel_replacement(appointment, *, exclude_ids):
    """The reviewer who replaces a panel member who declared a conflict, or None when nobody is left.

    The review rounds' machinery: the pool of active reviewers (active accounts), minus `exclude_ids`
    (everyone who is or was on this panel) and minus those with a conflict of interest with the
    project (projects.services.reviewer_conflicts); among the rest projects.assignment.replacement_pick
    takes the least loaded — load is the number of evaluation panels not yet finalised the reviewer sits
    on — then the best text fit to the project (projects.services.fit_scores)."""
    from django.db.models import Count, Q

    from projects.assignment import replacement_pick
    from projects.models import Reviewer
    from projects.services import fit_scores, reviewer_conflicts

    from .enums import EvaluationState

    project = appointment.project
    reviewers = list(
        Reviewer.objects.filter(active=True, user__is_active=True)
        .select_related("institution", "user__enterprise_membership")
        .prefetch_related("enterprises")
        .annotate(
            open_panels=Count(
                "evaluation_panels",
                filter=Q(
                    evaluation_panels__withdrawn_at__isnull=True,
                    evaluation_panels__evaluation__state__in=[
                        EvaluationState.FORMING,
                        EvaluationState.GRADING,
                    ],
                ),
            )
        )
        .order_by("pk")
    )
    excluded = set(exclude_ids) | {r.pk for r in reviewers if reviewer_conflicts(r, project)}
    pick = replacement_pick(
        conflicts=excluded,
        fit=fit_scores([project], reviewers).get(project.pk, {}),
        loads={r.pk: r.open_panels for r in reviewers},
    )
    return next((r for r in reviewers if r.pk == pick), None)
