"""Extensions of a term: the policy version's limits, the enterprise's request with its evidence, the staff
decision (the end date and the extension months' allowances move) and withdrawal.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit
from core.exceptions import PolicyError
from core.notifications import Msg, UserText
from core.workflow import transition
from projects.enums import AppointmentState
from projects.models import Appointment

from .. import policy, selectors
from ..enums import EXTENSION_TRANSITIONS, ExtensionState, Party
from ..exceptions import TermsError
from ..models import ExtensionRequest
from ._common import _link, _lock_appointment, _notify, _today


def _appointment_fields_update(appointment, *, by, action: str, summary: str, **fields) -> Appointment:
    """A locked update of an appointment's fields plus an audit row (no state change)."""
    for name, value in fields.items():
        setattr(appointment, name, value)
    update_fields = list(fields)
    if any(f.name == "updated_at" for f in Appointment._meta.fields):
        update_fields.append("updated_at")
    appointment.save(update_fields=update_fields)
    audit(
        by,
        action,
        appointment,
        summary=summary,
        data={k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()},
    )
    return appointment


def extension_limits(appointment) -> dict[str, int]:
    """The extension limits of the appointment's policy version, as policy.check_extension takes them."""
    from subsidies.selectors import appointment_policy_version

    version = appointment_policy_version(appointment)
    return {
        "max_request_months": version.extension_request_max_months,
        "max_term_months": version.term_max_months,
    }


def _check_extension(appointment, *, months: int, requested_on: date) -> None:
    """policy.check_extension of extending the locked `appointment` by `months` (PolicyError otherwise)."""
    policy.check_extension(
        active=appointment.state == AppointmentState.ACTIVE,
        end_date=appointment.end_date,
        current_months=appointment.months,
        months=months,
        requested_on=requested_on,
        **extension_limits(appointment),
    )


def extension_request_create(*, appointment, months: int, reason: str, evidence, by) -> ExtensionRequest:
    """The enterprise asks to extend the term by whole months, with evidence of a major breakthrough."""
    if not (reason or "").strip():
        raise TermsError(_("请说明重大项目突破情况及延期理由"))
    if not evidence:
        raise TermsError(_("请上传重大项目突破的证明材料"))
    today = _today()
    with transaction.atomic():
        locked = _lock_appointment(appointment)
        _check_extension(locked, months=months, requested_on=today)
        if locked.extension_requests.filter(state=ExtensionState.SUBMITTED).exists():
            raise TermsError(_("该服务期已有待审核的延期申请，请等待审核结果"))
        request = ExtensionRequest(
            appointment=locked,
            months=months,
            reason=reason.strip(),
            requested_on=today,
            requested_by=by,
            previous_end_date=locked.end_date,
        )
        request.evidence.save(getattr(evidence, "name", "evidence.pdf"), evidence, save=False)
        request.save()
        request.transitions.create(from_state="", to_state=ExtensionState.SUBMITTED, actor=by)
        audit(by, "extensionrequest.submitted", request, summary=f"+{months}")
        _notify(
            selectors.staff_users(),
            title=Msg(
                gettext_lazy("新的服务期延期申请：%(expert)s（%(enterprise)s）"),
                expert=locked.expert.name,
                enterprise=locked.enterprise.name,
            ),
            body=Msg(gettext_lazy("申请延长 %(months)s 个月，请审核。"), months=months),
            link=_link(locked),
        )
    return request


def extension_request_decide(*, request: ExtensionRequest, approve: bool, note: str, by) -> ExtensionRequest:
    """Staff approve (the end date moves) or refuse (with a reason) an extension request."""
    if not approve and not (note or "").strip():
        raise TermsError(_("不予批准时请填写理由"))
    with transaction.atomic():
        appointment = _lock_appointment(request.appointment)
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        changes = {"decided_by": by, "decided_at": timezone.now(), "decision_note": (note or "").strip()}
        if approve:
            try:
                _check_extension(appointment, months=request.months, requested_on=request.requested_on)
            except PolicyError as exc:
                raise TermsError(str(exc)) from exc
            months, end = policy.extended_end(appointment.start_date, appointment.months, request.months)
            transition(
                request,
                to=ExtensionState.APPROVED,
                by=by,
                allowed=EXTENSION_TRANSITIONS,
                reason=note or "",
                changes={**changes, "new_end_date": end},
            )
            previous = appointment.end_date
            _appointment_fields_update(
                appointment,
                by=by,
                action="appointment.extend",
                summary=f"{previous} → {end} (+{request.months})",
                months=months,
                end_date=end,
            )
            # The extension months' district allowances are booked in the years they fall in (SPEC §4).
            from subsidies.services import appointment_extension_book

            appointment_extension_book(
                appointment=appointment, previous_months=months - request.months, by=by
            )
            title = Msg(gettext_lazy("服务期延期申请已批准，届满日期调整为%(end)s"), end=end)
        else:
            transition(
                request,
                to=ExtensionState.REFUSED,
                by=by,
                allowed=EXTENSION_TRANSITIONS,
                reason=note,
                changes=changes,
            )
            title = Msg(gettext_lazy("服务期延期申请未获批准"))
        _notify(
            selectors.party_users(appointment, {Party.ENTERPRISE, Party.EXPERT}),
            title=title,
            body=UserText((note or "").strip()),
            link=_link(appointment),
        )
    request.refresh_from_db()
    return request


def extension_request_withdraw(*, request: ExtensionRequest, by) -> ExtensionRequest:
    with transaction.atomic():
        return transition(request, to=ExtensionState.WITHDRAWN, by=by, allowed=EXTENSION_TRANSITIONS)
