from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from core.navigation import MenuItem, Panel, register_menu, register_panel

from .enums import ChangeRequestState, EligibilityResult, ExceptionDecision, NominationState


def _nominator_panel(user) -> dict:
    from .selectors import institution_of, nomination_list

    counts = dict(nomination_list(user).values_list("state").annotate(n=Count("id")).order_by())
    return {
        "institution": institution_of(user),
        "counts": [(label, counts.get(value, 0)) for value, label in NominationState.choices],
    }


def _commission_panel(user) -> dict:
    from .models import Expert, ExpertChangeRequest, Nomination

    submitted = Nomination.objects.filter(state=NominationState.SUBMITTED)
    return {
        "submitted": submitted.count(),
        "exceptions": submitted.filter(eligibility=EligibilityResult.EXCEPTION,
                                       exception_decision=ExceptionDecision.PENDING).count(),
        "changes": ExpertChangeRequest.objects.filter(state=ChangeRequestState.PENDING).count(),
        "pool": Expert.objects.filter(in_pool=True).count(),
    }


def _expert_panel(user) -> dict:
    from .selectors import expert_for_user

    return {"expert": expert_for_user(user)}


register_menu(
    MenuItem(_("专家推荐"), "experts:nomination-list", roles=frozenset({Role.NOMINATOR}), order=10),
    MenuItem(_("推荐审核"), "experts:nomination-list", roles=frozenset({Role.COMMISSION}), order=10),
    MenuItem(_("专家人才库"), "experts:expert-list", roles=frozenset({Role.COMMISSION, Role.NOMINATOR}), order=11),
    MenuItem(_("信息变更审核"), "experts:changerequest-list", roles=frozenset({Role.COMMISSION}), order=12),
    MenuItem(_("推荐单位管理"), "experts:institution-list", roles=frozenset({Role.COMMISSION}), order=13),
    MenuItem(_("我的专家信息"), "experts:expert-me", roles=frozenset({Role.EXPERT}), order=10),
)
register_panel(
    Panel(role=Role.NOMINATOR, template="experts/partials/_panel_nominator.html", context=_nominator_panel,
          order=10),
    Panel(role=Role.COMMISSION, template="experts/partials/_panel_commission.html", context=_commission_panel,
          order=10),
    Panel(role=Role.EXPERT, template="experts/partials/_panel_expert.html", context=_expert_panel, order=10),
)
