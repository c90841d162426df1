from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from core.navigation import MenuItem, Panel, register_menu, register_panel


def _commission_panel(user) -> dict:
    from projects.enums import AppointmentState
    from projects.models import Appointment
    from projects.selectors import appointments_active

    from .enums import ExtensionState, ReportState, SupportState
    from .models import ExtensionRequest, SupportRequest, TermReport
    from .selectors import appointments_ending_within

    active = appointments_active()
    return {
        "active": active.count(),
        "ending": appointments_ending_within(active, days=90, as_of=timezone.localdate()).count(),
        "extensions": ExtensionRequest.objects.filter(state=ExtensionState.SUBMITTED).count(),
        "supports": SupportRequest.objects.filter(state=SupportState.SUBMITTED).count(),
        "reports": TermReport.objects.filter(state=ReportState.SUBMITTED).count(),
        # ended terms whose project is not completed yet (结题 is the term-end report's acceptance)
        "awaiting_completion": Appointment.objects.filter(
            state=AppointmentState.ENDED, completion__isnull=True
        ).count(),
    }


def _party_panel(user) -> dict:
    from .selectors import appointment_list

    return {"appointments": list(appointment_list(user=user)[:5])}


_PARTIES = frozenset({Role.ENTERPRISE, Role.EXPERT, Role.NOMINATOR})
register_menu(
    MenuItem(
        _("服务期管理"),
        "terms:appointment-list",
        roles=frozenset({Role.COMMISSION, Role.TALENT_OFFICE}),
        order=40,
    ),
    MenuItem(_("服务保障"), "terms:support-list", roles=frozenset({Role.COMMISSION}), order=41),
    MenuItem(_("我的服务期"), "terms:appointment-list", roles=_PARTIES, order=40),
    MenuItem(_("服务保障申请"), "terms:support-list", roles=frozenset({Role.EXPERT}), order=41),
    MenuItem(_("任职评价任务"), "terms:panel-list", roles=frozenset({Role.REVIEWER}), order=40),
)
register_panel(
    Panel(
        role=Role.COMMISSION,
        template="terms/partials/_panel_commission.html",
        context=_commission_panel,
        order=40,
    ),
    Panel(role=Role.ENTERPRISE, template="terms/partials/_panel_party.html", context=_party_panel, order=40),
    Panel(role=Role.EXPERT, template="terms/partials/_panel_party.html", context=_party_panel, order=40),
)
