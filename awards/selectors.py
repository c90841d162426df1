"""Reads of the annual awards, filtered by what the user may see (another user's record is a 404)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from accounts.enums import Role
from projects.selectors import sheet_results

from . import policy
from .enums import ACTIVE_SHEET_STATES, ApplicationState, CycleState, PrizeLevel, SheetState
from .models import Award, AwardApplication, AwardCycle, AwardSheet

#: Cycles whose result list is public.
PUBLIC_STATES = (CycleState.PUBLISHED,)


def cycle_list() -> QuerySet:
    return AwardCycle.objects.annotate(n_applications=Count("applications")).order_by("-year")


def open_cycles() -> QuerySet:
    return AwardCycle.objects.filter(state=CycleState.OPEN).order_by("-year")


def application_list(*, user, cycle: AwardCycle | None = None) -> QuerySet:
    """Staff see every application; an enterprise its own; an expert those of their projects."""
    qs = AwardApplication.objects.select_related("cycle", "project", "expert", "enterprise")
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.has_role(Role.COMMISSION):
        return qs
    condition = Q(pk__in=[])
    if user.has_role(Role.ENTERPRISE):
        membership = getattr(user, "enterprise_membership", None)
        if membership is not None:
            condition |= Q(enterprise_id=membership.enterprise_id)
    if user.has_role(Role.EXPERT):
        condition |= Q(expert__user=user)
    return qs.filter(condition)


def previous_cutoff(cycle: AwardCycle):
    """The cut-off (application deadline) of the cycle before `cycle`, or None for the first cycle."""
    previous = AwardCycle.objects.filter(year__lt=cycle.year).order_by("-year").only("apply_end").first()
    return previous.apply_end if previous is not None else None


def cycle_candidates(cycle: AwardCycle) -> QuerySet:
    """The completions (Completion rows) a cycle may select (SPEC §5): accepted after the previous cycle's
    cut-off and on or before this cycle's, of projects never awarded; ordered by date."""
    from terms.models import Completion

    qs = Completion.objects.filter(accepted_on__lte=cycle.apply_end).exclude(
        project_id__in=Award.objects.values("application__project_id")
    )
    since = previous_cutoff(cycle)
    if since is not None:
        qs = qs.filter(accepted_on__gt=since)
    return qs.select_related("project", "appointment__expert", "appointment__enterprise").order_by(
        "accepted_on", "pk"
    )


def eligible_projects(*, user, cycle: AwardCycle) -> list:
    """The user's enterprise's projects the cycle may select (cycle_candidates) without an application yet."""
    membership = getattr(user, "enterprise_membership", None) if user.has_role(Role.ENTERPRISE) else None
    if membership is None:
        return []
    taken = set(cycle.applications.values_list("project_id", flat=True))
    return [
        c.project
        for c in cycle_candidates(cycle).filter(project__enterprise_id=membership.enterprise_id)
        if c.project_id not in taken
    ]


def nomination_candidates(cycle: AwardCycle) -> list:
    """Projects the cycle may select (cycle_candidates) that nobody has applied with (staff nominations)."""
    taken = set(cycle.applications.values_list("project_id", flat=True))
    return [c for c in cycle_candidates(cycle) if c.project_id not in taken]


def reviewer_sheet_list(*, user) -> QuerySet:
    """A reviewer's sheets in cycles under review (only while scoring is open, SPEC §2)."""
    return (
        AwardSheet.objects.filter(
            reviewer__user=user, state__in=ACTIVE_SHEET_STATES, cycle__state=CycleState.REVIEW
        )
        .select_related("cycle", "application__project", "application__enterprise", "application__expert")
        .order_by("cycle__year", "application_id")
    )


def cycle_results(cycle: AwardCycle) -> list[dict]:
    """Per application under review (or decided): submitted sheet totals, score (the review rounds'
    trimmed mean), spread and competition rank; best first, unscored last."""
    applications = list(
        cycle.applications.filter(
            state__in=(ApplicationState.UNDER_REVIEW, ApplicationState.AWARDED, ApplicationState.NOT_AWARDED)
        ).select_related("project", "expert", "enterprise")
    )
    return sheet_results(
        applications,
        AwardSheet.objects.filter(cycle=cycle, state=SheetState.SUBMITTED),
        key="application_id",
        label="application",
        pass_line=Decimal("0"),
    )


def decision_rows(cycle: AwardCycle) -> tuple[list[AwardApplication], dict | None]:
    """The applications in rank order for the decision page, and the tie at a quota line that the
    ranking cannot settle ({"keys", "level", "score"}; None when the ranking alone decides)."""
    applications = list(
        cycle.applications.filter(
            state__in=(ApplicationState.UNDER_REVIEW, ApplicationState.AWARDED, ApplicationState.NOT_AWARDED)
        )
        .select_related("project", "expert", "enterprise")
        .order_by("rank", "pk")
    )
    tie = None
    try:
        policy.prize_plan([(a.pk, a.score) for a in applications if a.score is not None], cycle.quotas)
    except policy.TieAtQuotaLine as error:
        tie = {"keys": set(error.keys), "level": error.level, "score": error.score, "message": str(error)}
    for application in applications:
        application.tied = tie is not None and application.pk in tie["keys"]
    return applications, tie


def published_cycles() -> QuerySet:
    return AwardCycle.objects.filter(state__in=PUBLIC_STATES).order_by("-year")


def published_awards(cycle: AwardCycle) -> QuerySet:
    return (
        Award.objects.filter(cycle=cycle, cycle__state__in=PUBLIC_STATES)
        .select_related("expert__institution", "enterprise", "application__project")
        .order_by("level", "application__rank", "pk")
    )


def awards_of(*, expert=None, enterprise=None) -> QuerySet:
    """The published prizes of an expert or an enterprise (their history panel)."""
    qs = Award.objects.filter(cycle__state__in=PUBLIC_STATES).select_related(
        "cycle", "application__project", "enterprise", "expert"
    )
    if expert is not None:
        qs = qs.filter(expert=expert)
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    return qs.order_by("-cycle__year", "level", "pk")


def award_summary(year: int | None = None) -> list[dict]:
    """Prizes per cycle year and level (approved cycles): [{"year", "level", "level_label", "count",
    "amount"}], year descending then level; every year when `year` is None."""
    qs = Award.objects.filter(cycle__state__in=(CycleState.DECIDED, CycleState.PUBLISHED))
    if year is not None:
        qs = qs.filter(cycle__year=year)
    rows = (
        qs.values("cycle__year", "level")
        .annotate(count=Count("id"), amount=Sum("amount"))
        .order_by("-cycle__year", "level")
    )
    return [
        {
            "year": row["cycle__year"],
            "level": row["level"],
            "level_label": str(PrizeLevel(row["level"]).label),
            "count": row["count"],
            "amount": row["amount"] or Decimal("0.00"),
        }
        for row in rows
    ]
