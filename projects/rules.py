"""Object-level permissions of cooperation projects (django-rules). Lists apply the same relationships in
projects.selectors; tests check that both agree."""

from __future__ import annotations

import rules

from accounts.enums import Role

from .enums import ACTIVE_ASSIGNMENT_STATES, APPROVED_STATES, EDITABLE_STATES, RoundState


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_commission(user) -> bool:
    return _authenticated(user) and user.has_role(Role.COMMISSION)


@rules.predicate
def is_talent_office(user) -> bool:
    return _authenticated(user) and user.has_role(Role.TALENT_OFFICE)


@rules.predicate
def is_enterprise_member(user, project) -> bool:
    if project is None or not _authenticated(user) or not user.has_role(Role.ENTERPRISE):
        return False
    membership = getattr(user, "enterprise_membership", None)
    return membership is not None and membership.enterprise_id == project.enterprise_id


@rules.predicate
def is_project_expert(user, project) -> bool:
    return (
        project is not None
        and _authenticated(user)
        and user.has_role(Role.EXPERT)
        and project.expert.user_id == user.pk
    )


@rules.predicate
def is_approved(user, project) -> bool:
    return project is not None and project.state in APPROVED_STATES


@rules.predicate
def is_assigned_reviewer(user, project) -> bool:
    """An active assignment of this user on the project, in a round that is open."""
    if project is None or not _authenticated(user) or not user.has_role(Role.REVIEWER):
        return False
    return project.assignments.filter(
        reviewer__user=user, state__in=ACTIVE_ASSIGNMENT_STATES, round__state=RoundState.OPEN
    ).exists()


@rules.predicate
def can_be_edited(user, project) -> bool:
    return project is not None and project.state in EDITABLE_STATES


rules.add_perm(
    "projects.view_project",
    is_commission | is_enterprise_member | is_project_expert | (is_talent_office & is_approved),
)
rules.add_perm("projects.change_project", is_enterprise_member & can_be_edited)
rules.add_perm("projects.confirm_project", is_project_expert & can_be_edited)
rules.add_perm("projects.review_project", is_assigned_reviewer)
rules.add_perm("projects.manage_round", is_commission)
rules.add_perm("projects.file_project", is_talent_office & is_approved)
