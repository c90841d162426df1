"""django-rules predicates: who may see and do what with enterprises, demands and intents.

Selectors filter lists by the same relationships (enterprises.selectors); tests check both agree."""

from __future__ import annotations

import rules

from accounts.enums import Role

from .enums import DemandState, EnterpriseState, IntentInitiator, IntentState


def membership(user):
    if not getattr(user, "is_authenticated", False):
        return None
    cached = user.__dict__.get("_enterprise_membership")
    if cached is None:
        from .models import EnterpriseMember

        cached = EnterpriseMember.objects.select_related("enterprise").filter(user=user).first() or False
        user.__dict__["_enterprise_membership"] = cached
    return cached or None


def expert_of(user):
    """The admitted expert (入库) whose login `user` is, or None."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.EXPERT):
        return None
    cached = user.__dict__.get("_expert_profile")
    if cached is None:
        from experts.models import Expert

        cached = Expert.objects.select_related("discipline").filter(user=user, in_pool=True).first() or False
        user.__dict__["_expert_profile"] = cached
    return cached or None


def _enterprise_id(obj) -> int | None:
    from .models import Demand, Enterprise, Intent

    if isinstance(obj, Enterprise):
        return obj.pk
    if isinstance(obj, Demand):
        return obj.enterprise_id
    if isinstance(obj, Intent):
        return obj.demand.enterprise_id
    return None


@rules.predicate
def is_commission(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.COMMISSION))


@rules.predicate
def is_enterprise_member(user, obj=None) -> bool:
    member = membership(user)
    if member is None or not user.has_role(Role.ENTERPRISE):
        return False
    return obj is None or _enterprise_id(obj) == member.enterprise_id


@rules.predicate
def is_enterprise_admin(user, obj=None) -> bool:
    member = membership(user)
    return bool(member and member.is_admin and is_enterprise_member(user, obj))


@rules.predicate
def is_verified_enterprise_user(user) -> bool:
    member = membership(user)
    return bool(
        member and user.has_role(Role.ENTERPRISE) and member.enterprise.state == EnterpriseState.VERIFIED
    )


@rules.predicate
def is_pool_expert(user) -> bool:
    return expert_of(user) is not None


@rules.predicate
def is_intent_expert(user, intent) -> bool:
    expert = expert_of(user)
    return bool(expert and intent is not None and intent.expert_id == expert.pk)


@rules.predicate
def is_published_demand(user, demand) -> bool:
    return demand is not None and demand.state == DemandState.PUBLISHED


def intent_side(user, intent) -> str | None:
    """Which side of `intent` the user acts for: "enterprise", "expert" or None."""
    if is_enterprise_member(user, intent) and is_verified_enterprise_user(user):
        return IntentInitiator.ENTERPRISE
    if is_intent_expert(user, intent):
        return IntentInitiator.EXPERT
    return None


@rules.predicate
def can_respond_to_intent(user, intent) -> bool:
    side = intent_side(user, intent)
    return intent.state == IntentState.PENDING and side is not None and side != intent.initiator


@rules.predicate
def can_withdraw_intent(user, intent) -> bool:
    return intent.state == IntentState.PENDING and intent_side(user, intent) == intent.initiator


rules.add_perm("enterprises.view_enterprise", is_commission | is_enterprise_member)
rules.add_perm("enterprises.change_enterprise", is_enterprise_admin)
rules.add_perm("enterprises.verify_enterprise", is_commission)
rules.add_perm("enterprises.manage_members", is_enterprise_admin & is_verified_enterprise_user)
rules.add_perm("enterprises.add_demand", is_verified_enterprise_user)
rules.add_perm(
    "enterprises.view_demand", is_commission | is_enterprise_member | (is_pool_expert & is_published_demand)
)
rules.add_perm("enterprises.change_demand", is_enterprise_member & is_verified_enterprise_user)
rules.add_perm("enterprises.invite_expert", is_enterprise_member & is_verified_enterprise_user)
rules.add_perm("enterprises.apply_demand", is_pool_expert & is_published_demand)
rules.add_perm("enterprises.view_intent", is_commission | is_enterprise_member | is_intent_expert)
rules.add_perm("enterprises.respond_intent", can_respond_to_intent)
rules.add_perm("enterprises.withdraw_intent", can_withdraw_intent)
rules.add_perm("enterprises.manage_events", is_commission)
rules.add_perm("enterprises.view_funnel", is_commission)
