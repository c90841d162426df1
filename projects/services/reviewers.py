"""Who may review what: the reviewer pool, the SPEC §4 conflicts of interest between a reviewer and an
application, the text fit of a reviewer's expertise (also used by the annual awards and the term-end
evaluations), and the reviewer profiles.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.enums import Role
from core.audit import audit

from .. import policy
from ..models import Project, Reviewer
from ._common import _require


def _reviewer_facts(reviewer: Reviewer) -> dict:
    linked = {e.pk for e in reviewer.enterprises.all()}
    membership = getattr(reviewer.user, "enterprise_membership", None)
    if membership is not None:
        linked.add(membership.enterprise_id)
    return {
        "reviewer_user_id": reviewer.user_id,
        "reviewer_expert_id": reviewer.expert_id,
        "reviewer_institution_id": reviewer.institution_id,
        "reviewer_institution_name": reviewer.institution.name
        if reviewer.institution_id
        else reviewer.institution_name,
        "reviewer_enterprise_ids": frozenset(linked),
    }


def _project_facts(project: Project) -> dict:
    return {
        "expert_id": project.expert_id,
        "expert_user_id": project.expert.user_id,
        "expert_institution_id": project.expert.institution_id,
        "expert_institution_name": project.expert.institution.name,
        "enterprise_id": project.enterprise_id,
    }


def reviewer_conflicts(reviewer: Reviewer, project: Project) -> list[str]:
    """The SPEC §4 conflict codes between a reviewer and an application (empty: none)."""
    return policy.conflict_reasons(**_reviewer_facts(reviewer), **_project_facts(project))


def _project_text(project: Project) -> str:
    return " ".join([project.title, project.technical_field, project.objectives, project.content])


def fit_scores(projects: list[Project], reviewers: list[Reviewer]) -> dict[int, dict[int, float]]:
    """project id -> reviewer id -> fit in [0, 1]: the matching engine's BM25 text scoring of the
    application (title, field, objectives, content) against the reviewer's expertise, normalised to the
    best-fitting reviewer of each application."""
    from enterprises.matching import Doc, MatchIndex, tokenize

    if not projects or not reviewers:
        return {}
    index = MatchIndex([Doc(id=r.pk, fields={"keywords": tokenize(r.expertise)}) for r in reviewers])
    result: dict[int, dict[int, float]] = {}
    for project in projects:
        ranked = index.rank(tokenize(_project_text(project)), k=len(reviewers))
        result[project.pk] = {rec.id: min(max(rec.score, 0.0), 1.0) for rec in ranked}
    return result


def reviewer_pool() -> list[Reviewer]:
    """The active reviewers with what the conflict checks read (review rounds and the annual awards)."""
    return list(
        Reviewer.objects.filter(active=True, user__is_active=True)
        .select_related("institution", "user__enterprise_membership")
        .prefetch_related("enterprises")
        .order_by("pk")
    )


def conflict_map(projects: Iterable[Project], reviewers: list[Reviewer]) -> dict[int, frozenset[int]]:
    """project id -> ids of the reviewers with a SPEC §4 conflict of interest on it (the one rule of the
    review rounds, also used by the annual awards). Projects need expert__institution selected."""
    facts = {r.pk: _reviewer_facts(r) for r in reviewers}
    result = {}
    for project in projects:
        pfacts = _project_facts(project)
        result[project.pk] = frozenset(
            r.pk for r in reviewers if policy.conflict_reasons(**facts[r.pk], **pfacts)
        )
    return result


def round_fit(value: float) -> float:
    return round(float(value), 4)


def reviewer_upsert(
    *,
    user,
    by,
    name: str,
    expertise: str,
    institution=None,
    institution_name: str = "",
    title: str = "",
    expert=None,
    enterprises=(),
    capacity: int | None = None,
) -> Reviewer:
    """Create or update the reviewer profile of a user (and grant the reviewer role)."""
    from accounts.services import role_grant

    _require(by is None or by.has_role(Role.COMMISSION), _("只有区科委工作人员可以维护评审专家库。"))
    with transaction.atomic():
        reviewer, _created = Reviewer.objects.update_or_create(
            user=user,
            defaults={
                "name": name,
                "expertise": expertise,
                "institution": institution,
                "institution_name": institution_name,
                "title": title,
                "expert": expert,
                "capacity": capacity,
            },
        )
        reviewer.enterprises.set(list(enterprises))
        role_grant(user=user, role=Role.REVIEWER, by=by)
        audit(by, "reviewer.upsert", reviewer, summary=name)
    return reviewer
