"""Reads of the talent pool, always filtered by what the user may see (the relationships of rules.py)."""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404

from accounts.enums import Role
from core.search import bigrams, caseless, contains_lookup, relevance, search_terms

from .enums import KIND_FIELDS, ChangeRequestState
from .models import Expert, ExpertChangeRequest, Institution, InstitutionMember, Nomination


def institution_of(user) -> Institution | None:
    """The institution a nominator belongs to (None for everybody else)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.NOMINATOR):
        return None
    member = InstitutionMember.objects.select_related("institution").filter(user=user).first()
    return member.institution if member else None


def institution_kind_q(kind: str, prefix: str = "") -> Q:
    field = KIND_FIELDS.get(kind)
    return Q(**{f"{prefix}{field}": True}) if field else Q(pk__in=[])


def nomination_list(user) -> QuerySet[Nomination]:
    qs = Nomination.objects.select_related("expert", "expert__discipline", "institution")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.has_role(Role.COMMISSION):
        return qs
    if user.has_role(Role.NOMINATOR):
        return qs.filter(institution__members__user=user)
    return qs.none()


def nomination_get(user, pk) -> Nomination:
    return get_object_or_404(nomination_list(user), pk=pk)


def nomination_detail_get(user, pk) -> Nomination:
    qs = (
        nomination_list(user)
        .select_related("exception_decided_by")
        .prefetch_related("expert__achievements", Prefetch("transitions", queryset=_transitions()))
    )
    return get_object_or_404(qs, pk=pk)


def _transitions():
    from .models import NominationTransition

    return NominationTransition.objects.select_related("actor").order_by("created_at", "id")


def expert_list(user) -> QuerySet[Expert]:
    """Every expert record the user may see: staff all, a nominator its institution's, an expert itself."""
    qs = Expert.objects.select_related("institution", "discipline")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.has_role(Role.COMMISSION):
        return qs
    visible = Q(pk__in=[])
    if user.has_role(Role.NOMINATOR):
        visible |= Q(institution__members__user=user)
    if user.has_role(Role.EXPERT):
        visible |= Q(user=user)
    return qs.filter(visible)


def expert_get(user, pk) -> Expert:
    return get_object_or_404(expert_list(user), pk=pk)


def expert_detail_get(user, pk) -> Expert:
    qs = expert_list(user).prefetch_related(
        "achievements",
        Prefetch(
            "nominations",
            queryset=Nomination.objects.select_related("institution")
            .prefetch_related(Prefetch("transitions", queryset=_transitions()))
            .order_by("created_at", "id"),
        ),
        Prefetch("change_requests", queryset=ExpertChangeRequest.objects.select_related("decided_by")),
    )
    return get_object_or_404(qs, pk=pk)


def pool_list(user, *, q: str = "") -> QuerySet[Expert]:
    """Admitted experts the user may see. With a query (core.search: words, AND, substrings, case
    ignored) the rows carry `relevance` — name over keywords and research fields over the rest of the
    search text (institution, discipline, department, title, achievement titles), then the id. On
    PostgreSQL the GIN index of the text's character bigrams (migration 0005) picks the candidate rows
    and LIKE confirms each longer word; a two-character word without letter case (储能) is the index's
    answer alone (exact for it); a one-character word is confirmed by LIKE alone. Words without letter
    case use a plain LIKE, not UPPER(…) LIKE UPPER(…) (core.search.contains_lookup): the same rows."""
    qs = expert_list(user).filter(in_pool=True)
    terms = search_terms(q)
    if not terms:
        return qs
    for term in terms:
        if connection.vendor == "postgresql" and len(term) > 1:
            qs = qs.filter(
                RawSQL('"experts_expert"."search_grams" @> %s::text[]', (bigrams(term),),
                       output_field=BooleanField())
            )
            if len(term) == 2 and caseless(term):
                # The word is its own one bigram: the index's answer is exact (the bigrams are the lower-
                # cased text's, and case cannot matter), so no row's search text is read to confirm it.
                continue
        qs = qs.filter(**{contains_lookup("search_text", term): term})
    # PostgreSQL cannot estimate how many rows a LIKE on the search text keeps (it guesses one) and then
    # joins the institutions and disciplines by nested loops over every match (40 ms for 2,632 matches of
    # 储能 among 50,000): the page's institutions and disciplines come by two prefetch queries instead.
    qs = qs.select_related(None).prefetch_related("institution", "discipline")
    return qs.annotate(relevance=relevance(POOL_WEIGHTS, terms, exact="name"))


#: How much a query word counts in each field of an expert (see pool_list).
#: (Every match has every word in its search text, so the rest of it adds nothing to the order.)
POOL_WEIGHTS = {"name": 20, "keywords": 8, "research_fields": 8}


def expert_for_user(user) -> Expert | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Expert.objects.select_related("institution", "discipline").filter(user=user).first()


def change_request_list(user) -> QuerySet[ExpertChangeRequest]:
    qs = ExpertChangeRequest.objects.select_related("expert", "expert__institution", "requested_by")
    if getattr(user, "is_authenticated", False) and user.has_role(Role.COMMISSION):
        return qs
    return qs.filter(expert__user=user) if getattr(user, "is_authenticated", False) else qs.none()


def pending_change_requests(user) -> QuerySet[ExpertChangeRequest]:
    return change_request_list(user).filter(state=ChangeRequestState.PENDING)
