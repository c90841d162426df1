from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from core.navigation import MenuItem, Panel, register_menu, register_panel

register_menu(
    MenuItem(_("我的企业"), "enterprises:enterprise-mine", roles=frozenset({Role.ENTERPRISE}), order=20),
    MenuItem(
        _("企业需求"),
        "enterprises:demand-list",
        roles=frozenset({Role.ENTERPRISE, Role.COMMISSION}),
        order=30,
    ),
    MenuItem(_("需求大厅"), "enterprises:demand-list", roles=frozenset({Role.EXPERT}), order=30),
    MenuItem(_("为我推荐"), "enterprises:demand-recommended", roles=frozenset({Role.EXPERT}), order=31),
    MenuItem(
        _("对接意向"),
        "enterprises:intent-list",
        roles=frozenset({Role.ENTERPRISE, Role.EXPERT, Role.COMMISSION}),
        order=35,
    ),
    MenuItem(_("企业认证"), "enterprises:enterprise-list", roles=frozenset({Role.COMMISSION}), order=25),
    MenuItem(
        _("对接会"),
        "enterprises:event-list",
        roles=frozenset(
            {
                Role.COMMISSION,
                Role.ENTERPRISE,
                Role.EXPERT,
                Role.TALENT_OFFICE,
                Role.FINANCE,
                Role.NOMINATOR,
                Role.WORKING_GROUP,
            }
        ),
        order=40,
    ),
    MenuItem(_("对接漏斗"), "enterprises:funnel", roles=frozenset({Role.COMMISSION}), order=45),
)


def _enterprise_panel(user) -> dict:
    from .enums import DemandState, IntentState
    from .models import Intent
    from .rules import membership

    member = membership(user)
    if member is None:
        return {"enterprise": None}
    enterprise = member.enterprise
    return {
        "enterprise": enterprise,
        "published": enterprise.demands.filter(state=DemandState.PUBLISHED).count(),
        "pending": Intent.objects.filter(demand__enterprise=enterprise, state=IntentState.PENDING).count(),
        "accepted": Intent.objects.filter(demand__enterprise=enterprise, state=IntentState.ACCEPTED).count(),
    }


def _expert_panel(user) -> dict:
    from .enums import IntentState
    from .rules import expert_of

    expert = expert_of(user)
    if expert is None:
        return {"expert": None}
    return {
        "expert": expert,
        "pending": expert.intents.filter(state=IntentState.PENDING).count(),
        "accepted": expert.intents.filter(state=IntentState.ACCEPTED).count(),
    }


def _commission_panel(user) -> dict:
    from .enums import DemandState, EnterpriseState, IntentState
    from .models import Demand, Enterprise, Intent

    return {
        "to_verify": Enterprise.objects.filter(state=EnterpriseState.REGISTERED).count(),
        "published": Demand.objects.filter(state=DemandState.PUBLISHED).count(),
        "pending": Intent.objects.filter(state=IntentState.PENDING).count(),
        "accepted": Intent.objects.filter(state=IntentState.ACCEPTED).count(),
    }


register_panel(
    Panel(
        role=Role.ENTERPRISE,
        template="enterprises/partials/_panel_enterprise.html",
        context=_enterprise_panel,
        order=10,
    ),
    Panel(
        role=Role.EXPERT, template="enterprises/partials/_panel_expert.html", context=_expert_panel, order=30
    ),
    Panel(
        role=Role.COMMISSION,
        template="enterprises/partials/_panel_commission.html",
        context=_commission_panel,
        order=30,
    ),
)
