"""Reads of cooperation projects, filtered by what the user may see (the same relationships as
projects.rules)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.enums import Role
from core.search import search_list

from . import policy
from .enums import (
    ACTIVE_ASSIGNMENT_STATES,
    APPROVED_STATES,
    AppointmentState,
    AssignmentState,
    ProjectState,
    RoundState,
)
from .models import Appointment, Project, ReviewAssignment, ReviewRound


def project_visibility(user) -> Q | None:
    """The Q of projects `user` may see; None: all of them."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.has_role(Role.COMMISSION):
        return None
    q = Q(pk__in=[])
    if user.has_role(Role.ENTERPRISE):
        membership = getattr(user, "enterprise_membership", None)
        if membership is not None:
            q |= Q(enterprise_id=membership.enterprise_id)
    if user.has_role(Role.EXPERT):
        q |= Q(expert__user=user)
    if user.has_role(Role.TALENT_OFFICE):
        q |= Q(state__in=APPROVED_STATES)
    return q


def project_list(
    *, user, state: str | None = None, round_id: int | None = None, search: str = ""
) -> QuerySet:
    qs = Project.objects.select_related("enterprise", "expert__institution", "round")
    visible = project_visibility(user)
    if visible is not None:
        qs = qs.filter(visible)
    if state:
        qs = qs.filter(state=state)
    if round_id:
        qs = qs.filter(round_id=round_id)
    return search_list(qs, search, PROJECT_SEARCH, exact="title", order=("-created_at", "-id"))


#: The project list's displayed text fields and their weight in the relevance of a query word.
PROJECT_SEARCH = {"title": 10, "enterprise__name": 6, "expert__name": 6, "round__name": 2}


def project_get(*, user, pk: int) -> Project:
    """The project, or 404 when the user may not see it (no difference between "absent" and "foreign")."""
    try:
        return project_list(user=user).select_related("filing", "agreement", "intent__demand").get(pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None


def reviewer_assignment_list(*, user) -> QuerySet:
    """The reviewer's assignments in open rounds (nothing is visible after a round closes)."""
    return (
        ReviewAssignment.objects.filter(
            reviewer__user=user, round__state=RoundState.OPEN, state__in=ACTIVE_ASSIGNMENT_STATES
        )
        .select_related("project__enterprise", "project__expert", "round")
        .order_by("round__deadline", "project_id")
    )


def reviewer_assignment_get(*, user, pk: int) -> ReviewAssignment:
    try:
        return reviewer_assignment_list(user=user).get(pk=pk)
    except ReviewAssignment.DoesNotExist:
        raise Http404 from None


def round_list() -> QuerySet:
    return ReviewRound.objects.annotate(
        n_projects=Count("projects", distinct=True),
    ).order_by("-period_start", "-id")


def round_assignments(round: ReviewRound) -> QuerySet:
    return round.assignments.select_related("reviewer", "project").order_by("project_id", "state", "id")


def noticed_projects() -> QuerySet:
    """Projects on public notice today (the public page)."""
    return (
        Project.objects.filter(state=ProjectState.NOTICED, round__notice_start__isnull=False)
        .select_related("enterprise", "expert__institution", "round")
        .order_by("round_id", "review_rank", "id")
    )


def filing_candidates() -> QuerySet:
    return (
        Project.objects.filter(state__in=(ProjectState.APPROVED, ProjectState.NOTICED))
        .select_related("enterprise", "expert__institution", "round")
        .order_by("round_id", "review_rank", "id")
    )


def appointments_active() -> QuerySet:
    """The appointments in service (聘任中, 在聘): the one definition of that figure wherever it is shown —
    the commission's landing panels, the dashboard's headline and chart, the appointment list filtered by
    state. (A project stays 已聘任 after its term has ended until it is completed: counting projects by
    that state gave a second, different 聘任中.)"""
    return Appointment.objects.filter(state=AppointmentState.ACTIVE)


def appointment_list(*, user) -> QuerySet:
    qs = Appointment.objects.select_related("project", "expert", "enterprise")
    visible = project_visibility(user)
    if visible is not None:
        qs = qs.filter(project__in=Project.objects.filter(visible))
    return qs


def open_sheet_count(user) -> int:
    return reviewer_assignment_list(user=user).filter(state=AssignmentState.ASSIGNED).count()


def project_filed_counts(*, start=None, end=None, industry: str = "") -> dict[str, int]:
    """Projects filed (submitted at least once) per demand industry and per month, for the matching
    funnel: keys "industry:<code>" and "month:<YYYY-MM>"."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    filed = Project.objects.filter(submitted_at__isnull=False)
    if start:
        filed = filed.filter(submitted_at__date__gte=start)
    if end:
        filed = filed.filter(submitted_at__date__lte=end)
    if industry:
        filed = filed.filter(intent__demand__industry__code=industry)
    counts: dict[str, int] = {}
    for row in filed.values("intent__demand__industry__code").annotate(n=Count("id")):
        counts[f"industry:{row['intent__demand__industry__code']}"] = row["n"]
    for row in filed.annotate(m=TruncMonth("submitted_at")).values("m").annotate(n=Count("id")):
        counts[f"month:{row['m']:%Y-%m}"] = row["n"]
    return counts


def sheet_results(
    items, sheets, *, key: str, label: str, pass_line: Decimal, bonus: Mapping[int, Decimal] | None = None
) -> list[dict]:
    """The results of a review round or an award cycle, a row per item (its projects or applications;
    `label` names the item in the row): the totals of its submitted `sheets` (their field `key` names the
    item), its score (the trimmed mean, plus the item's `bonus` points), their spread, its competition rank
    and whether it reaches `pass_line`. Ranked best first, unscored items last."""
    totals = defaultdict(list)
    for item_id, total in sheets.values_list(key, "total"):
        totals[item_id].append(total)
    bonus = bonus or {}
    scores = {}
    rows = {}
    for item in items:
        sheet_totals = totals.get(item.pk, [])
        if sheet_totals:
            scores[item.pk] = policy.application_score(sheet_totals) + bonus.get(item.pk, 0)
        rows[item.pk] = {
            label: item,
            "totals": sorted(sheet_totals),
            "score": scores.get(item.pk),
            "spread": policy.score_spread(sheet_totals),
            "rank": None,
            "passed": False,
        }
    ranked = policy.rank_applications(scores, pass_line)
    for item_id, _score, rank, passed in ranked:
        rows[item_id].update(rank=rank, passed=passed)
    unscored = sorted((r for r in rows.values() if r["score"] is None), key=lambda r: r[label].pk)
    return [rows[item_id] for item_id, *_rest in ranked] + unscored
