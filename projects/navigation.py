from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from core.navigation import MenuItem, Panel, register_menu, register_panel

from .enums import ProjectState, RoundState


def _counts(user) -> dict:
    from .selectors import project_list

    return dict(project_list(user=user).values_list("state").annotate(n=Count("id")).order_by())


def _commission_panel(user) -> dict:
    from .models import ReviewRound
    from .selectors import appointments_active

    counts = _counts(user)
    return {
        "submitted": counts.get(ProjectState.SUBMITTED, 0),
        "reviewed": counts.get(ProjectState.REVIEWED, 0),
        "to_appoint": counts.get(ProjectState.AGREEMENT_SIGNED, 0),
        # 聘任中 = appointments in service, as on the terms panel and the dashboard (one selector)
        "appointed": appointments_active().count(),
        "open_rounds": ReviewRound.objects.filter(state__in=(RoundState.DRAFT, RoundState.OPEN)).count(),
    }


def _party_panel(user) -> dict:
    from .selectors import project_list

    return {"projects": list(project_list(user=user)[:5])}


def _reviewer_panel(user) -> dict:
    from .selectors import open_sheet_count, reviewer_assignment_list

    return {"open": open_sheet_count(user), "total": reviewer_assignment_list(user=user).count()}


def _talent_panel(user) -> dict:
    from .selectors import filing_candidates

    counts = _counts(user)
    return {"candidates": filing_candidates().count(), "filed": counts.get(ProjectState.FILED, 0)}


register_menu(
    MenuItem(_("合作项目"), "projects:project-list", roles=frozenset({Role.COMMISSION}), order=30),
    MenuItem(_("评审批次"), "projects:round-list", roles=frozenset({Role.COMMISSION}), order=31),
    MenuItem(_("合作项目申报"), "projects:project-list", roles=frozenset({Role.ENTERPRISE}), order=30),
    MenuItem(_("我的合作项目"), "projects:project-list", roles=frozenset({Role.EXPERT}), order=30),
    MenuItem(_("我的评审任务"), "projects:review-list", roles=frozenset({Role.REVIEWER}), order=10),
    MenuItem(_("立项项目备案"), "projects:filing-list", roles=frozenset({Role.TALENT_OFFICE}), order=10),
    MenuItem(_("已立项项目"), "projects:project-list", roles=frozenset({Role.TALENT_OFFICE}), order=11),
    MenuItem(_("立项公示"), "projects:notice", public=True, order=95),
)
register_panel(
    Panel(
        role=Role.COMMISSION,
        template="projects/partials/_panel_commission.html",
        context=_commission_panel,
        order=30,
    ),
    Panel(
        role=Role.ENTERPRISE, template="projects/partials/_panel_party.html", context=_party_panel, order=30
    ),
    Panel(role=Role.EXPERT, template="projects/partials/_panel_party.html", context=_party_panel, order=30),
    Panel(
        role=Role.REVIEWER,
        template="projects/partials/_panel_reviewer.html",
        context=_reviewer_panel,
        order=10,
    ),
    Panel(
        role=Role.TALENT_OFFICE,
        template="projects/partials/_panel_talent.html",
        context=_talent_panel,
        order=10,
    ),
)
