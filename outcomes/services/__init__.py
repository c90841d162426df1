"""Writes of service outcomes. Each action checks its rule (outcomes.policy), locks what it changes,
records the transition and the audit row and schedules its notifications, in one transaction; a refused
action raises OutcomeError and writes nothing.

The services live by sub-domain and are all importable from here: `reporting` (reporting, confirming
and verifying outcomes; the completion block), `targets` (a project's targets and their overrides),
`award_outcomes` (the outcomes an award application carries), `reminders` (the quarterly reminder); the
helpers they share sit in `_common`."""

from __future__ import annotations

from ._common import term_end
from .award_outcomes import award_outcomes_set
from .reminders import reminders_send
from .reporting import (
    actor_for,
    check_completion_allowed,
    outcome_act,
    outcome_report,
    outcome_update,
    user_sides,
)
from .targets import check_report_rows, project_targets_set, target_override_set

__all__ = [
    "actor_for",
    "award_outcomes_set",
    "check_completion_allowed",
    "check_report_rows",
    "outcome_act",
    "outcome_report",
    "outcome_update",
    "project_targets_set",
    "reminders_send",
    "target_override_set",
    "term_end",
    "user_sides",
]
