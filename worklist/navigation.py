"""Registers each role's work list and the task checks that tell whether a notification's task is done
(see core/navigation.py)."""

from __future__ import annotations

from accounts.enums import Role
from core.navigation import register_task_check, register_worklist

from .selectors import WORKLISTS

for _role, _selector in WORKLISTS.items():
    register_worklist(_role, _selector)


def _open(model_path: str, **filters):
    def check(pks: set[int]) -> set[int]:
        from django.apps import apps

        model = apps.get_model(model_path)
        return set(model.objects.filter(pk__in=pks, **filters).values_list("pk", flat=True))

    return check


def _project_open_for_enterprise(pks: set[int]) -> set[int]:
    from django.db.models import Q

    from projects.enums import ProjectState
    from projects.models import Project

    return set(
        Project.objects.filter(pk__in=pks)
        .filter(
            Q(state__in=(ProjectState.RETURNED, ProjectState.FILED))
            | Q(state=ProjectState.DRAFT, expert_confirmed_at__isnull=False)
        )
        .values_list("pk", flat=True)
    )


def _appointment_open_for_staff(pks: set[int]) -> set[int]:
    from django.db.models import Q

    from projects.models import Appointment
    from terms.enums import ExtensionState, ReportState

    return set(
        Appointment.objects.filter(pk__in=pks)
        .filter(
            Q(extension_requests__state=ExtensionState.SUBMITTED)
            | Q(term_report__state=ReportState.SUBMITTED)
        )
        .values_list("pk", flat=True)
    )


register_task_check(
    Role.COMMISSION, "experts:nomination-detail", _open("experts.Nomination", state="submitted")
)
register_task_check(
    Role.COMMISSION, "enterprises:enterprise-detail", _open("enterprises.Enterprise", state="registered")
)
register_task_check(Role.COMMISSION, "projects:project-detail", _open("projects.Project", state="submitted"))
register_task_check(
    Role.COMMISSION, "projects:round-detail", _open("projects.ReviewRound", state__in=("open", "closed"))
)
register_task_check(Role.COMMISSION, "terms:support-detail", _open("terms.SupportRequest", state="submitted"))
register_task_check(Role.COMMISSION, "terms:appointment-detail", _appointment_open_for_staff)
register_task_check(Role.COMMISSION, "subsidies:batch-detail", _open("subsidies.PaymentBatch", state="draft"))
register_task_check(
    Role.NOMINATOR, "experts:nomination-detail", _open("experts.Nomination", state__in=("draft", "returned"))
)
register_task_check(
    Role.TALENT_OFFICE,
    "projects:project-detail",
    _open("projects.Project", state__in=("approved", "noticed")),
)
register_task_check(
    Role.FINANCE,
    "subsidies:batch-detail",
    _open("subsidies.PaymentBatch", state__in=("submitted", "approved")),
)
register_task_check(
    Role.EXPERT,
    "projects:project-detail",
    _open("projects.Project", state__in=("draft", "returned"), expert_confirmed_at__isnull=True),
)
register_task_check(Role.ENTERPRISE, "projects:project-detail", _project_open_for_enterprise)
register_task_check(
    Role.ENTERPRISE,
    "enterprises:intent-detail",
    _open("enterprises.Intent", state="pending", initiator="expert"),
)
register_task_check(
    Role.REVIEWER, "projects:review-sheet", _open("projects.ReviewAssignment", state="assigned")
)
register_task_check(Role.REVIEWER, "awards:review-sheet", _open("awards.AwardSheet", state="assigned"))
register_task_check(Role.REVIEWER, "terms:panel-grade", _open("terms.PanelMember", submitted_at__isnull=True))
