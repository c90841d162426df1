"""The outcome groups (issue 21) shown in three roles' work lists: outcomes to verify (commission staff), to
confirm (the other side of the appointment) and returned (the reporting side).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.enums import Role
from core.navigation import WorkGroup

from ._common import _tasks, _url


def _outcome_group(kind: str, label: str, queryset: QuerySet, action: str, state: str) -> WorkGroup | None:
    return _tasks(
        kind, label, _url("outcomes:outcome-list", state=state),
        queryset.select_related("kind", "appointment__expert", "appointment__enterprise"), "updated_at",
        subject=lambda o: f"{o.kind.name}：{o.title}（{o.appointment.expert.name}）",
        action=action,
        url=lambda o: reverse("outcomes:outcome-detail", args=[o.pk]),
    )


def outcome_groups(user, role: str) -> list[WorkGroup | None]:
    """待核实的成果 (commission staff), 待确认的成果 (the other side of the appointment), 被退回的成果
    (the reporting side) — for the work list of `role`."""
    from outcomes.enums import OutcomeState, Side
    from outcomes.models import Outcome

    if role == Role.COMMISSION:
        return [
            _outcome_group(
                "outcome-verify",
                _("待核实的成果"),
                Outcome.objects.filter(state=OutcomeState.AWAITING_VERIFICATION).exclude(reported_by=user),
                _("核实成果及证明材料"),
                OutcomeState.AWAITING_VERIFICATION,
            )
        ]
    if role == Role.EXPERT:
        mine, side, other = Q(appointment__expert__user=user), Side.EXPERT, Side.ENTERPRISE
    else:
        mine, side, other = Q(appointment__enterprise__members__user=user), Side.ENTERPRISE, Side.EXPERT
    return [
        _outcome_group(
            "outcome-confirm",
            _("待确认的成果"),
            Outcome.objects.filter(mine, side=other, state=OutcomeState.AWAITING_CONFIRMATION),
            _("确认合作方填报的成果"),
            OutcomeState.AWAITING_CONFIRMATION,
        ),
        _outcome_group(
            "outcome-revise",
            _("被退回的成果"),
            Outcome.objects.filter(mine, side=side, state=OutcomeState.RETURNED),
            _("补充材料后重新提交，或撤回"),
            OutcomeState.RETURNED,
        ),
    ]
