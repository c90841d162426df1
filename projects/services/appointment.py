"""Appointments: the term's length and earliest start, the appointment with its letters and money terms, the
end of a term (normal or early), the project's completion (结题) and the serving experts for the matching
engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from core.audit import audit
from core.exceptions import PolicyError
from core.notifications import Msg
from core.workflow import transition

from .. import policy
from ..enums import APPOINTMENT_TRANSITIONS, AppointmentState, ProjectState
from ..exceptions import ProjectError
from ..models import Agreement, Appointment, Filing, Project
from ._common import _notify_expert, _project_transition, _require


def appointment_term_months(on: date | None = None) -> int:
    """The term length (service months) of the policy version in force on `on` (default today): SPEC §4,
    staff never choose it; only an approved extension lengthens a term."""
    from subsidies.models import PolicyVersion
    from subsidies.selectors import policy_version_in_force

    on = on or timezone.localdate()
    try:
        return policy_version_in_force(on).term_months
    except PolicyVersion.DoesNotExist:
        raise ProjectError(
            _("%(d)s 没有生效的政策参数版本，无法确定服务期；请先维护政策参数。") % {"d": f"{on:%Y-%m-%d}"}
        ) from None


def appointment_earliest_start(project: Project) -> date | None:
    """The earliest start date of the project's term: not before its record-filing (备案) date nor the
    agreement's signing date (projects.policy.earliest_start)."""
    filing = Filing.objects.filter(project=project).only("filed_on").first()
    agreement = Agreement.objects.filter(project=project).only("signed_on").first()
    return policy.earliest_start(
        filed_on=filing.filed_on if filing else None, signed_on=agreement.signed_on if agreement else None
    )


def _overlapping_appointment(expert_id: int, start: date, end: date) -> Appointment | None:
    """Another appointment of the expert whose days (start to effective end) meet [start, end]."""
    for other in Appointment.objects.filter(expert_id=expert_id, start_date__lte=end).order_by("start_date"):
        if policy.terms_overlap(
            (start, end), (other.start_date, policy.effective_end(other.end_date, other.terminated_on))
        ):
            return other
    return None


def appointment_create(
    *,
    project: Project,
    by,
    start_date: date | None = None,
    issue_letters: bool = True,
) -> Appointment:
    """Staff appoint: the Appointment and, after commit, the two letters (district 科技副总聘书 and the
    enterprise's 企业任职聘书).

    The term's length is the policy version's (`PolicyVersion.term_months`, 24 in policy 2.0), never
    chosen by staff; the start is not before the record-filing date nor the agreement's signing date;
    and the term overlaps no other term of the expert (also a PostgreSQL exclusion constraint)."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以聘任。"))
    _require(project.state == ProjectState.AGREEMENT_SIGNED, _("签订合作协议后才能聘任。"))
    _require(project.approved_funding is not None, _("项目尚未核定经费，不能聘任。"))
    start = start_date or project.requested_start
    try:
        months = appointment_term_months()
        filing = Filing.objects.filter(project=project).first()
        agreement = Agreement.objects.filter(project=project).first()
        policy.check_start_date(
            start,
            filed_on=filing.filed_on if filing else None,
            signed_on=agreement.signed_on if agreement else None,
        )
        end = policy.term_end(start, months)
    except PolicyError as error:
        raise ProjectError(str(error)) from error
    other = Appointment.objects.filter(expert_id=project.expert_id, state=AppointmentState.ACTIVE).first()
    _require(other is None, _("该专家已有聘任中的服务期（%(a)s），同一时间只能有一个聘任。") % {"a": other})
    overlap = _overlapping_appointment(project.expert_id, start, end)
    _require(overlap is None, _overlap_message(overlap, start, end))
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                project=project,
                expert_id=project.expert_id,
                enterprise_id=project.enterprise_id,
                position=project.position,
                start_date=start,
                months=months,
                end_date=end,
                created_by=by,
            )
            appointment.transitions.create(from_state="", to_state=AppointmentState.ACTIVE, actor=by)
            audit(by, "appointment.create", appointment, summary=str(appointment))
            _project_transition(project, to=ProjectState.APPOINTED, by=by)
            _notify_expert(
                project,
                title=Msg(gettext_lazy("您已被聘任为“科技副总”")),
                body=Msg(
                    gettext_lazy("%(expert)s · %(enterprise)s（%(start)s 至 %(end)s）"),
                    expert=appointment.expert.name,
                    enterprise=appointment.enterprise.name,
                    start=appointment.start_date,
                    end=appointment.end_date,
                ),
            )
            if issue_letters:
                appointment_id, by_id = appointment.pk, by.pk
                transaction.on_commit(lambda: _letters_after_commit(appointment_id, by_id))
            # The money terms: policy version in force, project subsidy, budget bookings (subsidies app;
            # imported here because subsidies depends on projects' models).
            from subsidies.exceptions import SubsidyError
            from subsidies.services import appointment_setup

            try:
                appointment_setup(appointment=appointment, by=by)
            except SubsidyError as error:
                raise ProjectError(str(error)) from error
    except IntegrityError as error:
        if "appointment_no_overlap_per_expert" in str(error):
            raise ProjectError(_overlap_message(None, start, end)) from error
        raise ProjectError(_("该专家已有聘任中的服务期，同一时间只能有一个聘任。")) from error
    return appointment


def _overlap_message(other: Appointment | None, start: date, end: date) -> str:
    if other is None:
        return _("该专家在 %(s)s 至 %(e)s 期间已有其他聘任，同一专家的服务期不能重叠。") % {
            "s": f"{start:%Y-%m-%d}",
            "e": f"{end:%Y-%m-%d}",
        }
    last = policy.effective_end(other.end_date, other.terminated_on)
    return _(
        "该专家已有服务期 %(os)s 至 %(oe)s（%(ent)s），与拟聘任的 %(s)s 至 %(e)s 重叠；"
        "同一专家的服务期不能重叠，请从 %(next)s 起聘任。"
    ) % {
        "os": f"{other.start_date:%Y-%m-%d}",
        "oe": f"{last:%Y-%m-%d}",
        "ent": other.enterprise,
        "s": f"{start:%Y-%m-%d}",
        "e": f"{end:%Y-%m-%d}",
        "next": f"{last + timedelta(days=1):%Y-%m-%d}",
    }


def _letters_after_commit(appointment_id: int, by_id: int) -> None:
    from ..tasks import appointment_letters_task, dispatch

    dispatch(appointment_letters_task, appointment_id, by_id)


def appointment_end(
    *, appointment: Appointment, by, terminated_on: date | None = None, reason: str = ""
) -> Appointment:
    """End a term: normally at its end date (ENDED), or early with a date and reason (TERMINATED).

    A term that ends normally leaves the project 已聘任 (APPOINTED, still live: the expert cannot file
    another project before it is completed); the project is completed (结题) only when staff accept the
    term-end report (`project_complete`, called by terms.services.term_report_accept). A terminated term
    makes the project 已终止 (TERMINATED)."""
    _require(by is None or by.has_role(Role.COMMISSION), _("只有区科委工作人员可以终止聘任。"))
    with transaction.atomic():
        if terminated_on is None:
            appointment = transition(
                appointment, to=AppointmentState.ENDED, by=by, allowed=APPOINTMENT_TRANSITIONS, reason=reason
            )
        else:
            _require(bool(reason.strip()), _("提前终止必须填写原因。"))
            _require(
                appointment.start_date <= terminated_on <= appointment.end_date, _("终止日期须在聘期之内。")
            )
            appointment = transition(
                appointment,
                to=AppointmentState.TERMINATED,
                by=by,
                allowed=APPOINTMENT_TRANSITIONS,
                reason=reason,
                changes={"terminated_on": terminated_on},
            )
            _project_transition(appointment.project, to=ProjectState.TERMINATED, by=by, reason=reason)
            # Allowance months after the termination date are withdrawn (or reversed when paid) and their
            # budget bookings released, in this transaction (subsidies app; imported here as in create).
            from subsidies.exceptions import SubsidyError
            from subsidies.services import (
                allowances_withdraw_after_termination,
                subsidy_suspend_after_termination,
            )

            try:
                allowances_withdraw_after_termination(appointment=appointment, by=by)
                subsidy_suspend_after_termination(appointment=appointment, by=by)
            except SubsidyError as error:
                raise ProjectError(str(error)) from error
    return appointment


def project_complete(*, project: Project, by, reason: str = "") -> Project:
    """Completion (结题, SPEC §4: the final report accepted): APPOINTED → COMPLETED, through
    core.workflow (transition record and audit row). Only once the project's term has ended normally;
    the caller (terms.services.term_report_accept) records the Completion in the same transaction."""
    _require(by is not None and by.has_role(Role.COMMISSION), _("只有区科委工作人员可以验收结题。"))
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().filter(project=project).first()
        _require(
            appointment is not None and appointment.state == AppointmentState.ENDED,
            _("服务期届满后方可验收结题。"),
        )
        return _project_transition(project, to=ProjectState.COMPLETED, by=by, reason=reason)


def active_appointment_expert_ids() -> Iterable[int]:
    """Serving experts for the matching engine (registered in apps.ready)."""
    return Appointment.objects.filter(state=AppointmentState.ACTIVE).values_list("expert_id", flat=True)
