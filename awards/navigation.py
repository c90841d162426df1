from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from core.navigation import MenuItem, Panel, register_menu, register_panel


def _commission_panel(user) -> dict:
    from .enums import ApplicationState
    from .models import AwardApplication, AwardCycle

    return {
        "cycles": list(AwardCycle.objects.order_by("-year")[:3]),
        "submitted": AwardApplication.objects.filter(state=ApplicationState.SUBMITTED).count(),
    }


def _party_panel(user) -> dict:
    from .selectors import application_list, open_cycles

    return {
        "applications": list(application_list(user=user).order_by("-cycle__year", "pk")[:5]),
        "open_cycles": list(open_cycles()[:2]),
    }


def _reviewer_panel(user) -> dict:
    from .enums import SheetState
    from .selectors import reviewer_sheet_list

    return {"open": reviewer_sheet_list(user=user).filter(state=SheetState.ASSIGNED).count()}


register_menu(
    MenuItem(_("年度评选"), "awards:index", roles=frozenset({Role.COMMISSION}), order=50),
    MenuItem(_("年度评选"), "awards:index", roles=frozenset({Role.ENTERPRISE, Role.EXPERT}), order=50),
    MenuItem(_("年度评选评审"), "awards:review-list", roles=frozenset({Role.REVIEWER}), order=20),
    MenuItem(_("获奖名单"), "awards:results", public=True, order=96),
)
register_panel(
    Panel(
        role=Role.COMMISSION,
        template="awards/partials/_panel_commission.html",
        context=_commission_panel,
        order=50,
    ),
    Panel(role=Role.ENTERPRISE, template="awards/partials/_panel_party.html", context=_party_panel, order=50),
    Panel(role=Role.EXPERT, template="awards/partials/_panel_party.html", context=_party_panel, order=50),
    Panel(
        role=Role.REVIEWER, template="awards/partials/_panel_reviewer.html", context=_reviewer_panel, order=20
    ),
)
