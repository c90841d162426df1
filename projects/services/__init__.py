"""Writes of cooperation projects, one module per sub-domain: `filing` (declaration, confirmation,
submission, formal check), `rounds` (review rounds: rubric, assignment, opening, results, closing),
`scoring` (swaps, declared conflicts, score sheets), `reviewers` (pool, conflicts of interest, text fit,
profiles), `decision` (approval, public notice, objections), `record_filing` (备案 and the agreement) and
`appointment` (appointment, end of term, completion). Shared private helpers live in `_common`.

Every state change goes through core.workflow.transition (row lock, transition record, audit event);
mail and documents go out after commit. Callers import from `projects.services`, which re-exports every
public name (and ProjectError).
"""

from __future__ import annotations

from ..exceptions import ProjectError
from ._common import _project_transition, reviewers_notify
from .appointment import (
    active_appointment_expert_ids,
    appointment_create,
    appointment_earliest_start,
    appointment_end,
    appointment_term_months,
    project_complete,
)
from .decision import objection_create, objection_resolve, project_decide, round_decide
from .filing import (
    FILING_FIELDS,
    check_filing_data,
    project_accept,
    project_confirm,
    project_create,
    project_return,
    project_submit,
    project_update,
)
from .record_filing import agreement_upload, check_ready_for_filing, filing_record
from .reviewers import conflict_map, fit_scores, reviewer_conflicts, reviewer_pool, reviewer_upsert, round_fit
from .rounds import (
    reviewer_leniency,
    round_assign,
    round_close,
    round_create,
    round_open,
    round_results,
    rubric_set,
    sheets_assign,
)
from .scoring import (
    assignment_declare_conflict,
    assignment_save_scores,
    assignment_swap,
    conflict_withdraw,
    replacement_for,
    sheet_write,
)

__all__ = [
    "FILING_FIELDS",
    "ProjectError",
    "_project_transition",
    "active_appointment_expert_ids",
    "agreement_upload",
    "appointment_create",
    "appointment_earliest_start",
    "appointment_end",
    "appointment_term_months",
    "assignment_declare_conflict",
    "assignment_save_scores",
    "assignment_swap",
    "check_filing_data",
    "check_ready_for_filing",
    "conflict_map",
    "conflict_withdraw",
    "filing_record",
    "fit_scores",
    "objection_create",
    "objection_resolve",
    "project_accept",
    "project_complete",
    "project_confirm",
    "project_create",
    "project_decide",
    "project_return",
    "project_submit",
    "project_update",
    "replacement_for",
    "reviewer_conflicts",
    "reviewer_leniency",
    "reviewer_pool",
    "reviewer_upsert",
    "reviewers_notify",
    "round_assign",
    "round_close",
    "round_create",
    "round_decide",
    "round_fit",
    "round_open",
    "round_results",
    "rubric_set",
    "sheet_write",
    "sheets_assign",
]
