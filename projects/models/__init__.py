"""Cooperation projects and appointments, one module per sub-domain:

- rounds: review rounds (评审批次) with their rubric, and the reviewer pool (评审专家);
- project: the cooperation project (合作项目) and what hangs off it — the reviewers' score sheets, public
  notice objections (异议), record-filing (备案) and the signed agreement (合作协议);
- appointment: the expert's service term (聘任) in the enterprise.

Every model is imported here: `from projects.models import Project` and Django's registry see them all.
"""

from .appointment import Appointment, AppointmentTransition
from .project import Agreement, Filing, Objection, Project, ProjectTransition, ReviewAssignment, Score
from .rounds import Reviewer, ReviewRound, ReviewRoundTransition, RubricCriterion

__all__ = [
    "Agreement",
    "Appointment",
    "AppointmentTransition",
    "Filing",
    "Objection",
    "Project",
    "ProjectTransition",
    "ReviewAssignment",
    "ReviewRound",
    "ReviewRoundTransition",
    "Reviewer",
    "RubricCriterion",
    "Score",
]
