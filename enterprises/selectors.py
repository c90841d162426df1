"""Reads, filtered by what the user may see (the same relationships as enterprises.rules)."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.search import search_list

from .enums import DemandState, IntentInitiator, IntentState
from .models import Demand, Enterprise, Industry, Intent, MatchmakingEvent
from .rules import expert_of, is_commission, membership


def enterprise_for_user(user) -> Enterprise | None:
    member = membership(user)
    return member.enterprise if member else None


def enterprise_list(*, user, state: str = "", q: str = "") -> QuerySet[Enterprise]:
    if not is_commission(user):
        member = membership(user)
        qs = Enterprise.objects.filter(pk=member.enterprise_id) if member else Enterprise.objects.none()
    else:
        qs = Enterprise.objects.all()
    if state:
        qs = qs.filter(state=state)
    qs = qs.select_related("industry")
    return search_list(qs, q, ENTERPRISE_SEARCH, exact="name", order=("state", "-created_at"))


#: The enterprise list's displayed text fields and their weight in the relevance of a query word.
ENTERPRISE_SEARCH = {"name": 10, "uscc": 5, "industry__name": 2, "registered_address": 1}
#: Likewise for the demand list.
DEMAND_SEARCH = {"title": 10, "enterprise__name": 5, "technical_field": 4, "industry__name": 2}


def demand_list(*, user, state: str = "", industry: str = "", q: str = "") -> QuerySet[Demand]:
    qs = Demand.objects.select_related("enterprise", "industry")
    if is_commission(user):
        pass
    elif (member := membership(user)) is not None:
        qs = qs.filter(enterprise_id=member.enterprise_id)
    elif (expert := expert_of(user)) is not None:
        own = Demand.objects.filter(intents__expert=expert).values("pk")
        qs = qs.filter(Q(state=DemandState.PUBLISHED, deadline__gte=timezone.localdate()) | Q(pk__in=own))
    else:
        return Demand.objects.none()
    if state:
        qs = qs.filter(state=state)
    if industry:
        qs = qs.filter(industry__code=industry)
    return search_list(qs, q, DEMAND_SEARCH, exact="title", order=("-created_at", "-id"))


def intent_list(*, user, state: str = "", demand: Demand | None = None) -> QuerySet[Intent]:
    qs = Intent.objects.select_related("demand__enterprise", "expert__institution", "event")
    if is_commission(user):
        pass
    elif (member := membership(user)) is not None:
        qs = qs.filter(demand__enterprise_id=member.enterprise_id)
    elif (expert := expert_of(user)) is not None:
        qs = qs.filter(expert=expert)
    else:
        return Intent.objects.none()
    if state:
        qs = qs.filter(state=state)
    if demand is not None:
        qs = qs.filter(demand=demand)
    return qs.order_by("-created_at", "-id")


def event_list() -> QuerySet[MatchmakingEvent]:
    return MatchmakingEvent.objects.select_related("industry").annotate(
        participant_count=Count("participants", distinct=True),
        attended_count=Count("participants", filter=Q(participants__attended=True), distinct=True),
        intent_count=Count("intents", distinct=True),
    ).order_by("-held_on", "-id")


_projects_filed_providers: list = []


def register_projects_filed_provider(provider) -> None:
    """The projects app registers a function counting its filings (it depends on this app, not back)."""
    if provider not in _projects_filed_providers:
        _projects_filed_providers.append(provider)


def projects_filed_count(*, start: date | None, end: date | None, industry: str = "") -> dict[str, int]:
    """Filed projects per industry code and per month ("YYYY-MM"), keyed "industry:<code>" and
    "month:<YYYY-MM>", from the registered providers (the projects app)."""
    counts: dict[str, int] = {}
    for provider in _projects_filed_providers:
        for key, n in provider(start=start, end=end, industry=industry).items():
            counts[key] = counts.get(key, 0) + n
    return counts


def funnel(*, start: date | None = None, end: date | None = None, industry: str = "") -> dict:
    """The matching funnel by industry and by month: demands published → invitations (all intents
    made, both directions) → accepted intents → projects filed (hook, 0 until the projects app)."""
    demands = Demand.objects.filter(published_at__isnull=False)
    intents = Intent.objects.all()
    if start:
        demands = demands.filter(published_at__date__gte=start)
        intents = intents.filter(created_at__date__gte=start)
    if end:
        demands = demands.filter(published_at__date__lte=end)
        intents = intents.filter(created_at__date__lte=end)
    if industry:
        demands = demands.filter(industry__code=industry)
        intents = intents.filter(demand__industry__code=industry)
    projects = projects_filed_count(start=start, end=end, industry=industry)

    def empty():
        return {"demands": 0, "invitations": 0, "applications": 0, "intents": 0, "projects": 0}

    by_industry: OrderedDict[str, dict] = OrderedDict()
    for ind in Industry.objects.order_by("order", "id"):
        if not industry or ind.code == industry:
            by_industry[ind.code] = {"label": ind.label, "leading": ind.is_leading, **empty()}
    for row in demands.values("industry__code").annotate(n=Count("id")):
        by_industry.setdefault(row["industry__code"], {"label": row["industry__code"], **empty()})[
            "demands"
        ] = row["n"]
    intent_counts = intents.values("demand__industry__code").annotate(
        total=Count("id"),
        applications=Count("id", filter=Q(initiator=IntentInitiator.EXPERT)),
        accepted=Count("id", filter=Q(state=IntentState.ACCEPTED)),
    )
    for row in intent_counts:
        entry = by_industry.setdefault(row["demand__industry__code"], {"label": "", **empty()})
        entry.update(invitations=row["total"], applications=row["applications"], intents=row["accepted"])
    for code, entry in by_industry.items():
        entry["projects"] = projects.get(f"industry:{code}", 0)

    months: dict[str, dict] = {}
    for row in demands.annotate(m=TruncMonth("published_at")).values("m").annotate(n=Count("id")):
        months.setdefault(f"{row['m']:%Y-%m}", empty())["demands"] = row["n"]
    for row in (
        intents.annotate(m=TruncMonth("created_at"))
        .values("m")
        .annotate(
            total=Count("id"),
            applications=Count("id", filter=Q(initiator=IntentInitiator.EXPERT)),
            accepted=Count("id", filter=Q(state=IntentState.ACCEPTED)),
        )
    ):
        months.setdefault(f"{row['m']:%Y-%m}", empty()).update(
            invitations=row["total"], applications=row["applications"], intents=row["accepted"]
        )
    for key, entry in months.items():
        entry["projects"] = projects.get(f"month:{key}", 0)
    rows = list(by_industry.values())
    totals = {k: sum(r[k] for r in rows) for k in empty()}
    return {
        "by_industry": rows,
        "by_month": [{"label": k, **v} for k, v in sorted(months.items())],
        "totals": totals,
    }
