"""Support services during a term (medical services, talent housing): the expert's request, the staff's
arrangement or closing, and withdrawal.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit
from core.notifications import Msg, UserText
from core.workflow import transition
from projects.enums import AppointmentState

from .. import policy, selectors
from ..enums import (
    SUPPORT_STAFF_STATES,
    SUPPORT_TRANSITIONS,
    Beneficiary,
    MedicalService,
    SupportKind,
    SupportState,
)
from ..exceptions import TermsError
from ..models import SupportRequest
from ._common import _notify


def _service(request: SupportRequest) -> Msg:
    """The requested service for a notification, translatable (SupportRequest.service_label's pieces)."""
    if request.kind == SupportKind.MEDICAL:
        return Msg(
            gettext_lazy("%(service)s（%(beneficiary)s）"),
            service=MedicalService(request.medical_service).label,
            beneficiary=Beneficiary(request.beneficiary).label,
        )
    return Msg(SupportKind(request.kind).label)


def support_request_create(
    *,
    appointment,
    kind: str,
    by,
    description: str,
    medical_service: str = "",
    beneficiary: str = "",
    beneficiary_name: str = "",
    owns_housing_in_changping: bool = False,
    declared: bool = False,
    evidence=None,
) -> SupportRequest:
    """The expert (or staff on their behalf) asks for a medical or housing service during the term."""
    if appointment.state != AppointmentState.ACTIVE:
        raise TermsError(_("服务保障仅在服务期内提供"))
    if not (description or "").strip():
        raise TermsError(_("请填写需求说明"))
    if kind == SupportKind.MEDICAL:
        policy.check_medical_request(
            service=medical_service, beneficiary=beneficiary, beneficiary_name=beneficiary_name
        )
    elif kind == SupportKind.HOUSING:
        policy.check_housing_request(owns_housing_in_changping=owns_housing_in_changping, declared=declared)
        if not evidence:
            raise TermsError(_("申请人才公租房请上传证明材料（如无房证明、工作证明）"))
        medical_service = beneficiary = beneficiary_name = ""
    else:
        raise TermsError(_("请选择服务类型"))
    with transaction.atomic():
        request = SupportRequest(
            appointment=appointment,
            kind=kind,
            medical_service=medical_service,
            beneficiary=beneficiary,
            beneficiary_name=beneficiary_name.strip(),
            description=description.strip(),
            no_own_housing_declared=kind == SupportKind.HOUSING and declared,
            requested_by=by,
        )
        if evidence:
            request.evidence.save(getattr(evidence, "name", "evidence.pdf"), evidence, save=False)
        request.save()
        request.transitions.create(from_state="", to_state=SupportState.SUBMITTED, actor=by)
        audit(by, "supportrequest.submitted", request, summary=kind)
        _notify(
            selectors.staff_users(),
            title=Msg(
                gettext_lazy("新的服务保障申请：%(expert)s · %(service)s"),
                expert=appointment.expert.name,
                service=_service(request),
            ),
            link=reverse("terms:support-detail", args=[request.pk]),
        )
    return request


def support_request_transition(*, request: SupportRequest, to: str, by, note: str) -> SupportRequest:
    """Staff arrange the service (what was arranged) or close the request (outcome or reason)."""
    if to not in SUPPORT_STAFF_STATES:
        raise TermsError(_("请选择办理结果：已安排或已办结"))
    if not (note or "").strip():
        raise TermsError(_("请填写安排情况或办结说明"))
    with transaction.atomic():
        locked = transition(
            request,
            to=to,
            by=by,
            allowed=SUPPORT_TRANSITIONS,
            reason=note.strip(),
            changes={"arrangement": note.strip()},
        )
        label = SupportState(to).label
        _notify(
            selectors.expert_users(locked.appointment.expert),
            title=Msg(
                gettext_lazy("您的服务保障申请%(state)s：%(service)s"), state=label, service=_service(locked)
            ),
            body=UserText(note.strip()),
            link=reverse("terms:support-detail", args=[locked.pk]),
        )
    return locked


def support_request_withdraw(*, request: SupportRequest, by, reason: str = "") -> SupportRequest:
    """The expert (or whoever submitted the request) withdraws it while it is still submitted — once
    staff have arranged or closed it, it can no longer be withdrawn. Recorded (transition + audit);
    staff are told."""
    if by.pk not in (request.requested_by_id, request.appointment.expert.user_id):
        raise TermsError(_("只有申请人或科技副总本人可以撤回该申请"))
    with transaction.atomic():
        current = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if current.state != SupportState.SUBMITTED:
            raise TermsError(
                _("该申请当前为“%(state)s”，只能撤回尚未办理的申请") % {"state": current.get_state_display()}
            )
        locked = transition(
            current,
            to=SupportState.WITHDRAWN,
            by=by,
            allowed=SUPPORT_TRANSITIONS,
            reason=(reason or "").strip() or _("申请人撤回"),
        )
        _notify(
            selectors.staff_users(),
            title=Msg(
                gettext_lazy("服务保障申请已撤回：%(expert)s · %(service)s"),
                expert=locked.appointment.expert.name,
                service=_service(locked),
            ),
            body=UserText((reason or "").strip()),
            link=reverse("terms:support-detail", args=[locked.pk]),
        )
    request.state = locked.state
    return locked
