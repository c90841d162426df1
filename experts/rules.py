"""Object-level permissions of the talent pool (django-rules). Lists apply the same relationships in
experts.selectors; tests check that both agree."""

from __future__ import annotations

import rules

from accounts.enums import Role

from .enums import EDITABLE_STATES, NominationState


def _institution_id(user):
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.NOMINATOR):
        return None
    membership = getattr(user, "_experts_membership", None)
    if membership is None:
        from .models import InstitutionMember

        membership = InstitutionMember.objects.filter(user=user).values_list("institution_id", flat=True).first()
        user._experts_membership = membership or 0
    return membership or None


@rules.predicate
def is_commission(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.COMMISSION))


@rules.predicate
def is_nominator(user) -> bool:
    return _institution_id(user) is not None


@rules.predicate
def is_institution_member(user, obj) -> bool:
    """The user is a nominator of the institution that owns `obj` (a Nomination or an Expert)."""
    institution_id = _institution_id(user)
    return obj is not None and institution_id is not None and obj.institution_id == institution_id


@rules.predicate
def is_the_expert(user, expert) -> bool:
    return expert is not None and getattr(user, "is_authenticated", False) and expert.user_id == user.pk \
        and user.has_role(Role.EXPERT)


@rules.predicate
def can_be_edited(user, nomination) -> bool:
    return nomination is not None and nomination.state in EDITABLE_STATES


@rules.predicate
def can_be_decided(user, nomination) -> bool:
    return nomination is not None and nomination.state == NominationState.SUBMITTED


rules.add_perm("experts.view_nomination", is_commission | is_institution_member)
rules.add_perm("experts.change_nomination", is_institution_member & can_be_edited)
rules.add_perm("experts.submit_nomination", is_institution_member & can_be_edited)
rules.add_perm("experts.decide_nomination", is_commission & can_be_decided)
rules.add_perm("experts.add_nomination", is_nominator)
rules.add_perm("experts.view_expert", is_commission | is_institution_member | is_the_expert)
rules.add_perm("experts.edit_own_profile", is_the_expert)
rules.add_perm("experts.view_pool", is_commission | is_nominator)
rules.add_perm("experts.manage_institutions", is_commission)
