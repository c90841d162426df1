"""Writes of the annual awards (年度评选): cycles, applications, reviewer assignment and score sheets,
the decision within the quotas, approval (prizes, budget bookings, payments), publication and
certificates.

The reviewers come from the review rounds' pool and are assigned by the same code:
`projects.services.sheets_assign` (the conflict rule `projects.services.conflict_map`, the text fit
`projects.services.fit_scores`, the min-cost-flow solver `projects.assignment.assign_reviewers`) and, after
a declared conflict, `projects.services.conflict_withdraw` and `replacement_for`
(`projects.assignment.replacement_pick`).
Money goes through `subsidies.services.budget_commit` and `payment_create`; every state change through
`core.workflow.transition`.

The services live by sub-domain and are all importable from here: `cycles` (a cycle's settings, rubric,
opening), `applications` (drafting, confirming, submitting, nominating, returning), `review` (assignment,
score sheets, closing), `decision` (levels, approval, the prizes' payment batch), `publication` (results
and certificates); the helpers they share sit in `_common`. The review rounds' functions named above and
`projects.policy.sheet_points` are re-exported as the shared code looks them up, so that a test can
check the award review runs that very code.
"""

from __future__ import annotations

from projects.assignment import assign_reviewers as assign_reviewers
from projects.assignment import replacement_pick as replacement_pick
from projects.policy import sheet_points as sheet_points
from projects.services import conflict_map as conflict_map
from projects.services import fit_scores as fit_scores

from ._common import enterprise_id_of
from .applications import (
    APPLICATION_FIELDS,
    application_confirm,
    application_create,
    application_nominate,
    application_return,
    application_submit,
    application_update,
)
from .cycles import CYCLE_FIELDS, QUOTA_FIELDS, cycle_create, cycle_open, cycle_update, rubric_set
from .decision import cycle_approve, cycle_payment_batch, decision_autofill, decision_set
from .publication import certificate_issue, certificates_issue, cycle_publish
from .review import cycle_assign, cycle_close, cycle_review_start, sheet_declare_conflict, sheet_save

__all__ = [
    "APPLICATION_FIELDS",
    "CYCLE_FIELDS",
    "QUOTA_FIELDS",
    "application_confirm",
    "application_create",
    "application_nominate",
    "application_return",
    "application_submit",
    "application_update",
    "certificate_issue",
    "certificates_issue",
    "cycle_approve",
    "cycle_assign",
    "cycle_close",
    "cycle_create",
    "cycle_open",
    "cycle_payment_batch",
    "cycle_publish",
    "cycle_review_start",
    "cycle_update",
    "decision_autofill",
    "decision_set",
    "enterprise_id_of",
    "rubric_set",
    "sheet_declare_conflict",
    "sheet_save",
]
