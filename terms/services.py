"""Writes of the service-term app. Each action checks its rule (terms.policy), locks what it changes,
writes its audit row and transition record, and schedules notifications — in one transaction."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit
from core.documents import document_current, document_issue
from core.exceptions import PolicyError
from core.identifiers import mask_phone
from core.models import DocumentKind, IssuedDocument
from core.notifications import Msg, UserText, notification_send
from core.workflow import TransitionError, transition
from projects import services as project_services
from projects.enums import AppointmentState
from projects.exceptions import ProjectError
from projects.models import Appointment

from . import policy, selectors
from .enums import (
    EVALUATION_TRANSITIONS,
    EXTENSION_TRANSITIONS,
    REPORT_TRANSITIONS,
    SUPPORT_STAFF_STATES,
    SUPPORT_TRANSITIONS,
    Beneficiary,
    EvaluationState,
    ExtensionState,
    Grade,
    MedicalService,
    Party,
    ReminderKind,
    ReportState,
    SupportKind,
    SupportState,
)
from .exceptions import TermsError
from .models import (
    AppointmentContact,
    CoManagementRecord,
    Completion,
    Evaluation,
    ExtensionRequest,
    IndicatorResult,
    PanelMember,
    SupportRequest,
    Termination,
    TermReport,
)


def _today() -> date:
    return timezone.localdate()


def _link(appointment) -> str:
    return reverse("terms:appointment-detail", args=[appointment.pk])


def _notify(users, *, title: Msg, body: Msg | UserText = "", link: str = "", dedupe_key: str = "") -> int:
    sent = 0
    for user in users:
        if notification_send(recipient=user, title=title, body=body, link=link, dedupe_key=dedupe_key):
            sent += 1
    return sent


def _service(request: SupportRequest) -> Msg:
    """The requested service for a notification, translatable (SupportRequest.service_label's pieces)."""
    if request.kind == SupportKind.MEDICAL:
        return Msg(
            gettext_lazy("%(service)s（%(beneficiary)s）"),
            service=MedicalService(request.medical_service).label,
            beneficiary=Beneficiary(request.beneficiary).label,
        )
    return Msg(SupportKind(request.kind).label)


def _lock_appointment(appointment) -> Appointment:
    return Appointment.objects.select_for_update().get(pk=appointment.pk)


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


def _appointment_set_state(appointment, *, to: str, by, reason: str, terminated_on: date | None = None):
    """End a term through the projects app's one appointment-transition service (core.workflow: the
    transition record and audit row; it also moves the project's state)."""
    return project_services.appointment_end(
        appointment=appointment,
        by=by,
        reason=reason,
        terminated_on=terminated_on if to == AppointmentState.TERMINATED else None,
    )


# --- extension ----------------------------------------------------------------------------------------


def extension_limits(appointment) -> dict[str, int]:
    """The extension limits of the appointment's policy version, as policy.check_extension takes them."""
    from subsidies.selectors import appointment_policy_version

    version = appointment_policy_version(appointment)
    return {
        "max_request_months": version.extension_request_max_months,
        "max_term_months": version.term_max_months,
    }


def extension_request_create(*, appointment, months: int, reason: str, evidence, by) -> ExtensionRequest:
    """The enterprise asks to extend the term by whole months, with evidence of a major breakthrough."""
    if not (reason or "").strip():
        raise TermsError(_("请说明重大项目突破情况及延期理由"))
    if not evidence:
        raise TermsError(_("请上传重大项目突破的证明材料"))
    today = _today()
    with transaction.atomic():
        locked = _lock_appointment(appointment)
        policy.check_extension(
            active=locked.state == AppointmentState.ACTIVE,
            end_date=locked.end_date,
            current_months=locked.months,
            months=months,
            requested_on=today,
            **extension_limits(locked),
        )
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
                policy.check_extension(
                    active=appointment.state == AppointmentState.ACTIVE,
                    end_date=appointment.end_date,
                    current_months=appointment.months,
                    months=request.months,
                    requested_on=request.requested_on,
                    **extension_limits(appointment),
                )
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


# --- termination and term end --------------------------------------------------------------------------


def appointment_terminate(*, appointment, terminated_on: date, reason: str, by) -> Appointment:
    """Staff end the term early: date and reason; the project is not completed (no 结题)."""
    with transaction.atomic():
        locked = _lock_appointment(appointment)
        policy.check_termination(
            active=locked.state == AppointmentState.ACTIVE,
            start_date=locked.start_date,
            end_date=locked.end_date,
            terminated_on=terminated_on,
            reason=reason,
            today=_today(),
        )
        Termination.objects.create(
            appointment=locked, terminated_on=terminated_on, reason=reason.strip(), recorded_by=by
        )
        for pending in locked.extension_requests.filter(state=ExtensionState.SUBMITTED):
            transition(
                pending,
                to=ExtensionState.WITHDRAWN,
                by=by,
                allowed=EXTENSION_TRANSITIONS,
                reason=_("服务期已提前终止"),
            )
        locked = _appointment_set_state(
            locked, to=AppointmentState.TERMINATED, by=by, reason=reason.strip(), terminated_on=terminated_on
        )
        _notify(
            selectors.party_users(locked, {Party.ENTERPRISE, Party.EXPERT}),
            title=Msg(gettext_lazy("服务期已提前终止（%(date)s）"), date=terminated_on),
            body=UserText(reason.strip()),
            link=_link(locked),
        )
    appointment.refresh_from_db()
    return appointment


def appointments_end_due(*, as_of: date | None = None, by=None) -> list[int]:
    """The scheduled job: active appointments whose last day is past become ENDED. Idempotent and safe
    to run concurrently (each row is locked and checked again). Returns the ids it ended."""
    as_of = as_of or _today()
    ended = []
    for pk in selectors.appointments_due_to_end(as_of).values_list("pk", flat=True):
        with transaction.atomic():
            locked = Appointment.objects.select_for_update().filter(pk=pk).first()
            if (
                locked is None
                or locked.state != AppointmentState.ACTIVE
                or not policy.is_term_over(locked.end_date, as_of)
                or locked.extension_requests.filter(state=ExtensionState.SUBMITTED).exists()
            ):
                continue
            try:
                _appointment_set_state(locked, to=AppointmentState.ENDED, by=by, reason=_("服务期届满"))
            except (TransitionError, ProjectError):
                continue
            ended.append(pk)
    return ended


# --- co-management ------------------------------------------------------------------------------------


def comanagement_record_create(
    *,
    appointment,
    by,
    held_on: date,
    form: str,
    participants: str,
    topic_thoughts: bool,
    topic_work: bool,
    topic_life: bool,
    summary: str,
    follow_up: str = "",
    follow_up_due: date | None = None,
) -> CoManagementRecord:
    if not (topic_thoughts or topic_work or topic_life):
        raise TermsError(_("请至少选择一项沟通内容：思想、工作或生活"))
    if held_on < appointment.start_date:
        raise TermsError(_("记录日期不能早于服务期开始日期"))
    if held_on > _today():
        raise TermsError(_("记录日期不能晚于今天"))
    with transaction.atomic():
        record = CoManagementRecord.objects.create(
            appointment=appointment,
            held_on=held_on,
            form=form,
            participants=participants.strip(),
            topic_thoughts=topic_thoughts,
            topic_work=topic_work,
            topic_life=topic_life,
            summary=summary.strip(),
            follow_up=follow_up.strip(),
            follow_up_due=follow_up_due,
            recorded_by=by,
        )
        audit(by, "comanagement.create", record, summary=f"{appointment.pk} {held_on}")
    return record


def comanagement_follow_up_done(*, record: CoManagementRecord, by) -> CoManagementRecord:
    """Staff close the follow-up action of a co-management record (once; audited)."""
    if not record.follow_up:
        raise TermsError(_("该记录没有后续事项"))
    with transaction.atomic():
        updated = CoManagementRecord.objects.filter(pk=record.pk, follow_up_done=False).update(
            follow_up_done=True
        )
        if not updated:
            raise TermsError(_("该后续事项已办结"))
        audit(by, "comanagement.follow_up_done", record, summary=record.follow_up[:100])
    record.follow_up_done = True
    return record


def contact_create(
    *, appointment, by, side: str, name: str, position: str, phone: str, email: str = ""
) -> AppointmentContact:
    with transaction.atomic():
        contact = AppointmentContact.objects.create(
            appointment=appointment,
            side=side,
            name=name.strip(),
            position=position.strip(),
            phone=phone.strip(),
            email=email.strip(),
        )
        audit(by, "contact.create", contact, summary=f"{side} {name}")
    return contact


CONTACT_FIELDS = ("side", "name", "position", "phone", "email")


def contact_update(
    *, contact: AppointmentContact, by, side: str, name: str, position: str, phone: str, email: str = ""
) -> AppointmentContact:
    """Staff correct a contact person; the audit row keeps what changed (old → new)."""
    if not (name or "").strip() or not (phone or "").strip():
        raise TermsError(_("请填写联系人姓名和联系电话"))
    new = {
        "side": side,
        "name": name.strip(),
        "position": (position or "").strip(),
        "phone": phone.strip(),
        "email": (email or "").strip(),
    }
    with transaction.atomic():
        locked = AppointmentContact.objects.select_for_update().get(pk=contact.pk)
        changed = {k: [getattr(locked, k), v] for k, v in new.items() if getattr(locked, k) != v}
        if changed:
            for field, (_old, value) in changed.items():
                setattr(locked, field, value)
            locked.save(update_fields=list(changed))
            if "phone" in changed:  # the audit log is kept for years: the numbers only masked (SPEC §7)
                changed["phone"] = [mask_phone(number) for number in changed["phone"]]
            audit(by, "contact.update", locked, summary=f"{locked.side} {locked.name}", data=changed)
    return locked


def contact_delete(*, contact: AppointmentContact, by) -> None:
    with transaction.atomic():
        audit(by, "contact.delete", contact.appointment, summary=f"{contact.side} {contact.name}")
        contact.delete()


# --- support services ---------------------------------------------------------------------------------


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
                _("该申请当前为“%(state)s”，只能撤回尚未办理的申请")
                % {"state": current.get_state_display()}
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


# --- term-end report and completion (结题) -------------------------------------------------------------


def term_report_save(
    *, appointment, by, summary: str, achievements: str, results: list[dict], attachment=None
) -> TermReport:
    """The enterprise creates or edits the draft with the results against the project's indicators."""
    if not (summary or "").strip():
        raise TermsError(_("请填写工作总结"))
    rows = [r for r in results if (r.get("indicator") or "").strip()]
    if not rows:
        raise TermsError(_("请至少填写一项考核指标的完成情况"))
    if any(not (r.get("achieved") or "").strip() for r in rows):
        raise TermsError(_("每项考核指标都需填写完成情况"))
    with transaction.atomic():
        locked = _lock_appointment(appointment)
        policy.check_report_open(
            terminated=locked.state == AppointmentState.TERMINATED, end_date=locked.end_date, as_of=_today()
        )
        report = TermReport.objects.select_for_update().filter(appointment=locked).first()
        if report is None:
            report = TermReport(appointment=locked, drafted_by=by)
        elif report.state != ReportState.DRAFT:
            raise TermsError(_("报告当前为“%(state)s”，不能修改") % {"state": report.get_state_display()})
        report.summary = summary.strip()
        report.achievements = (achievements or "").strip()
        if attachment:
            report.attachment.save(getattr(attachment, "name", "report.pdf"), attachment, save=False)
        report.save()
        report.results.all().delete()
        IndicatorResult.objects.bulk_create(
            IndicatorResult(
                report=report,
                order=i,
                indicator=r["indicator"].strip(),
                target=(r.get("target") or "").strip(),
                achieved=r["achieved"].strip(),
                met=bool(r.get("met")),
            )
            for i, r in enumerate(rows, start=1)
        )
        audit(by, "termreport.save", report, summary=f"{len(rows)} indicators")
    return report


def term_report_submit(*, report: TermReport, by) -> TermReport:
    """The enterprise sends the draft to the expert for confirmation."""
    with transaction.atomic():
        locked = transition(report, to=ReportState.AWAITING_EXPERT, by=by, allowed=REPORT_TRANSITIONS)
        _notify(
            selectors.expert_users(locked.appointment.expert),
            title=Msg(gettext_lazy("服务期满总结报告待您确认")),
            link=_link(locked.appointment),
        )
    return locked


def term_report_confirm(*, report: TermReport, by) -> TermReport:
    """The expert confirms: the report is jointly submitted to staff."""
    with transaction.atomic():
        locked = transition(
            report,
            to=ReportState.SUBMITTED,
            by=by,
            allowed=REPORT_TRANSITIONS,
            changes={"confirmed_by": by, "confirmed_at": timezone.now()},
        )
        _notify(
            selectors.staff_users(),
            title=Msg(
                gettext_lazy("服务期满总结报告已提交：%(expert)s"), expert=locked.appointment.expert.name
            ),
            link=_link(locked.appointment),
        )
    return locked


def term_report_return(*, report: TermReport, reason: str, by) -> TermReport:
    """The expert (before confirming) or staff (before accepting) send the report back for revision."""
    if not (reason or "").strip():
        raise TermsError(_("退回时请填写理由"))
    with transaction.atomic():
        locked = transition(
            report,
            to=ReportState.DRAFT,
            by=by,
            allowed=REPORT_TRANSITIONS,
            reason=reason.strip(),
            changes={"confirmed_by": None, "confirmed_at": None},
        )
        _notify(
            selectors.enterprise_users(locked.appointment.enterprise),
            title=Msg(gettext_lazy("服务期满总结报告被退回修改")),
            body=UserText(reason.strip()),
            link=_link(locked.appointment),
        )
    return locked


def term_report_accept(*, report: TermReport, accepted_on: date, note: str, by) -> Completion:
    """Staff accept the jointly submitted report: the project is completed (结题) on `accepted_on` —
    the report moves to ACCEPTED, the project APPOINTED → COMPLETED (projects.services.project_complete,
    recorded) and the Completion row is written, all in one transaction. Only after the term has ended
    (terms.policy.check_completion)."""
    with transaction.atomic():
        appointment = _lock_appointment(report.appointment)
        policy.check_completion(
            ended=appointment.state == AppointmentState.ENDED,
            end_date=appointment.end_date,
            accepted_on=accepted_on,
            today=_today(),
        )
        locked = transition(
            report, to=ReportState.ACCEPTED, by=by, allowed=REPORT_TRANSITIONS, reason=(note or "").strip()
        )
        try:
            project_services.project_complete(
                project=appointment.project, by=by, reason=(note or "").strip() or _("总结报告验收通过")
            )
        except ProjectError as exc:
            raise TermsError(str(exc)) from exc
        completion = Completion.objects.create(
            project=appointment.project,
            appointment=appointment,
            report=locked,
            accepted_on=accepted_on,
            accepted_by=by,
            note=(note or "").strip(),
        )
        audit(by, "completion.create", completion, summary=f"结题 {accepted_on}")
        _notify(
            selectors.party_users(appointment, {Party.ENTERPRISE, Party.EXPERT}),
            title=Msg(gettext_lazy("合作项目已结题验收（%(date)s）"), date=accepted_on),
            link=_link(appointment),
        )
    return completion


# --- term-end evaluation ------------------------------------------------------------------------------


def evaluation_create(*, appointment, reviewers, by) -> Evaluation:
    """Staff form the panel. A reviewer with a conflict of interest (the rules of review rounds) is
    refused with the reason; at least one reviewer is needed."""
    from . import integration

    reviewers = list(dict.fromkeys(reviewers))
    if not reviewers:
        raise TermsError(_("请至少选择一名评价专家"))
    with transaction.atomic():
        locked = _lock_appointment(appointment)
        policy.check_evaluation_open(
            ended=locked.state == AppointmentState.ENDED,
            terminated=locked.state == AppointmentState.TERMINATED,
        )
        if Evaluation.objects.filter(appointment=locked).exists():
            raise TermsError(_("该服务期已组织任职评价"))
        conflicts = integration.panel_conflicts(locked, reviewers)
        if conflicts:
            raise TermsError(
                _("以下评价专家存在利益冲突，不能参加评价：%(names)s")
                % {"names": "；".join(f"{u}（{why}）" for u, why in conflicts)}
            )
        evaluation = Evaluation.objects.create(appointment=locked, created_by=by)
        evaluation.transitions.create(from_state="", to_state=EvaluationState.FORMING, actor=by)
        PanelMember.objects.bulk_create(PanelMember(evaluation=evaluation, reviewer=r) for r in reviewers)
        audit(by, "evaluation.create", evaluation, summary=f"{len(reviewers)} reviewers")
    return evaluation


def evaluation_open(*, evaluation: Evaluation, by) -> Evaluation:
    """The panel starts grading; each member is notified."""
    with transaction.atomic():
        locked = transition(evaluation, to=EvaluationState.GRADING, by=by, allowed=EVALUATION_TRANSITIONS)
        for member in locked.members.filter(withdrawn_at__isnull=True).select_related("reviewer__user"):
            notification_send(
                recipient=member.reviewer.user,
                title=Msg(gettext_lazy("请对科技副总服务期进行任职评价")),
                link=reverse("terms:panel-grade", args=[member.pk]),
                dedupe_key=f"terms:panel:{member.pk}",
            )
    return locked


def panel_grade_submit(*, member: PanelMember, grade: str, opinion: str, by) -> PanelMember:
    """A panel member grades (优秀/良好/合格/不合格) with an opinion; submitted once, then locked."""
    grade = policy.check_grade(grade)
    if not (opinion or "").strip():
        raise TermsError(_("请填写评价意见"))
    with transaction.atomic():
        locked = (
            PanelMember.objects.select_for_update().select_related("evaluation", "reviewer").get(pk=member.pk)
        )
        if locked.reviewer.user_id != by.pk:
            raise TermsError(_("只能提交本人的评价"))
        if locked.evaluation.state != EvaluationState.GRADING:
            raise TermsError(_("该任职评价当前不在评价阶段"))
        if locked.withdrawn_at is not None:
            raise TermsError(_("您已声明回避，不再参加该评价"))
        if locked.submitted_at is not None:
            raise TermsError(_("评价已提交，不能修改"))
        locked.grade, locked.opinion, locked.submitted_at = grade, opinion.strip(), timezone.now()
        locked.save(update_fields=["grade", "opinion", "submitted_at"])
        audit(by, "evaluation.grade", locked.evaluation, summary=f"{by.pk} {grade}")
    return locked


def panel_member_declare_conflict(*, member: PanelMember, by, reason: str) -> PanelMember | None:
    """A panel member declares a conflict of interest before grading: the member is withdrawn from the
    panel (the row keeps the reason and time) and replaced automatically, as in the review rounds, by
    the conflict-free reviewer with the fewest open evaluation panels, best fit first
    (projects.assignment.replacement_pick; terms.integration.panel_replacement). The replacement is
    notified when the panel is grading. Returns the new member, or None when nobody is available — then
    staff are told to complete the panel by hand."""
    from . import integration

    if not (reason or "").strip():
        raise TermsError(_("请说明回避原因"))
    with transaction.atomic():
        locked = (
            PanelMember.objects.select_for_update()
            .select_related("evaluation__appointment__project", "reviewer")
            .get(pk=member.pk)
        )
        evaluation = Evaluation.objects.select_for_update().get(pk=locked.evaluation_id)
        if locked.reviewer.user_id != by.pk:
            raise TermsError(_("只能对本人参加的评价声明回避"))
        if evaluation.state not in (EvaluationState.FORMING, EvaluationState.GRADING):
            raise TermsError(_("该任职评价已出具意见，不能再声明回避"))
        if locked.withdrawn_at is not None:
            raise TermsError(_("您已声明回避"))
        if locked.submitted_at is not None:
            raise TermsError(_("评价已提交，不能再声明回避"))
        locked.withdrawn_at, locked.conflict_reason = timezone.now(), reason.strip()
        locked.save(update_fields=["withdrawn_at", "conflict_reason"])
        audit(
            by,
            "evaluation.conflict",
            evaluation,
            summary=str(locked.reviewer),
            data={"reason": reason.strip(), "member": locked.pk},
        )
        appointment = evaluation.appointment
        taken = set(evaluation.members.values_list("reviewer_id", flat=True))
        pick = integration.panel_replacement(appointment, exclude_ids=taken)
        replacement = None
        if pick is not None:
            replacement = PanelMember.objects.create(evaluation=evaluation, reviewer=pick)
            locked.replaced_by = replacement
            locked.save(update_fields=["replaced_by"])
            audit(
                None,
                "evaluation.replace",
                evaluation,
                summary=f"{locked.reviewer} → {pick}",
                data={"withdrawn": locked.reviewer_id, "replacement": pick.pk},
            )
            if evaluation.state == EvaluationState.GRADING:
                notification_send(
                    recipient=pick.user,
                    title=Msg(gettext_lazy("请对科技副总服务期进行任职评价")),
                    link=reverse("terms:panel-grade", args=[replacement.pk]),
                    dedupe_key=f"terms:panel:{replacement.pk}",
                )
        else:
            _notify(
                selectors.staff_users(),
                title=Msg(gettext_lazy("任职评价组缺少评价专家：%(expert)s"), expert=appointment.expert.name),
                body=Msg(gettext_lazy("评价专家声明回避后，没有可替换的无利益冲突专家，请手工调整评价组。")),
                link=reverse("terms:evaluation-detail", args=[evaluation.pk]),
            )
    return replacement


def panel_member_add(*, evaluation: Evaluation, reviewer, by) -> PanelMember:
    """Staff add a reviewer to a panel that is not finalised (e.g. after a withdrawal left it short);
    the conflict rule of the review rounds applies and a reviewer once on the panel cannot come back."""
    from . import integration

    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().select_related("appointment__project").get(
            pk=evaluation.pk
        )
        if locked.state not in (EvaluationState.FORMING, EvaluationState.GRADING):
            raise TermsError(_("该任职评价已出具意见，不能再调整评价组"))
        if locked.members.filter(reviewer=reviewer).exists():
            raise TermsError(_("%(name)s 已在（或曾在）该评价组中") % {"name": reviewer.name})
        conflicts = integration.panel_conflicts(locked.appointment, [reviewer])
        if conflicts:
            raise TermsError(
                _("以下评价专家存在利益冲突，不能参加评价：%(names)s")
                % {"names": "；".join(f"{u}（{why}）" for u, why in conflicts)}
            )
        member = PanelMember.objects.create(evaluation=locked, reviewer=reviewer)
        audit(by, "evaluation.add_member", locked, summary=str(reviewer))
        if locked.state == EvaluationState.GRADING:
            notification_send(
                recipient=reviewer.user,
                title=Msg(gettext_lazy("请对科技副总服务期进行任职评价")),
                link=reverse("terms:panel-grade", args=[member.pk]),
                dedupe_key=f"terms:panel:{member.pk}",
            )
    return member


def evaluation_suggested_grade(evaluation: Evaluation) -> Grade | None:
    grades = [m.grade for m in evaluation.members.filter(withdrawn_at__isnull=True) if m.submitted_at]
    return policy.panel_grade(grades) if grades else None


def evaluation_finalise(
    *, evaluation: Evaluation, grade: str, opinion: str, override_reason: str, by
) -> IssuedDocument:
    """Staff finalise: every member has graded; the final grade is the panel's unless a reason is given;
    the 任职评价意见 PDF is issued and the expert and the nominating institution are notified."""
    grade = policy.check_grade(grade)
    if not (opinion or "").strip():
        raise TermsError(_("请填写任职评价意见"))
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        members = list(locked.members.filter(withdrawn_at__isnull=True).select_related("reviewer"))
        if locked.state == EvaluationState.GRADING and any(m.submitted_at is None for m in members):
            raise TermsError(_("尚有评价组成员未提交评价"))
        if locked.state == EvaluationState.GRADING:
            suggested = policy.panel_grade(m.grade for m in members)
            if grade != suggested and not (override_reason or "").strip():
                raise TermsError(
                    _("最终等级与评价组意见（%(grade)s）不一致，请填写调整理由") % {"grade": suggested.label}
                )
        locked = transition(
            locked,
            to=EvaluationState.FINALISED,
            by=by,
            allowed=EVALUATION_TRANSITIONS,
            reason=(override_reason or "").strip(),
            changes={
                "grade": grade,
                "opinion": opinion.strip(),
                "override_reason": (override_reason or "").strip(),
                "finalised_by": by,
                "finalised_on": _today(),
            },
        )
        appointment = locked.appointment
        from .pdf import evaluation_opinion_context, service_certificate_context

        doc = document_issue(
            kind=DocumentKind.EVALUATION_OPINION,
            subject=locked,
            title=_("科技副总任职评价意见"),
            template_name="terms/pdf/evaluation_opinion.html",
            context=evaluation_opinion_context(locked, members),
            by=by,
        )
        # a service certificate issued before the evaluation is re-issued with the grade on it
        if document_current(kind=DocumentKind.SERVICE_CERTIFICATE, subject=appointment):
            document_issue(
                kind=DocumentKind.SERVICE_CERTIFICATE,
                subject=appointment,
                title=_("科技副总任职证明"),
                template_name="terms/pdf/service_certificate.html",
                context=service_certificate_context(appointment),
                by=by,
                reissue=True,
            )
        link = _link(appointment)
        title = Msg(
            gettext_lazy("任职评价意见已出具：%(expert)s，评价等级“%(grade)s”"),
            expert=appointment.expert.name,
            grade=Grade(grade).label,
        )
        _notify(selectors.expert_users(appointment.expert), title=title, link=link)
        _notify(selectors.institution_users(appointment.expert.institution), title=title, link=link)
    return doc


def service_certificate_issue(*, appointment, by) -> IssuedDocument:
    """The 任职证明 (policy 五(一)2), once the term has ended or was terminated; idempotent."""
    from .pdf import service_certificate_context

    if appointment.state == AppointmentState.ACTIVE:
        raise TermsError(_("任职证明在服务期结束后出具"))
    return document_issue(
        kind=DocumentKind.SERVICE_CERTIFICATE,
        subject=appointment,
        title=_("科技副总任职证明"),
        template_name="terms/pdf/service_certificate.html",
        context=service_certificate_context(appointment),
        by=by,
    )


# --- reminders ----------------------------------------------------------------------------------------

REMINDER_TEXT = {
    ReminderKind.TERM_ENDING_90: gettext_lazy(
        "%(expert)s在%(enterprise)s的科技副总服务期将于%(end)s届满（约90天后）。"
    ),
    ReminderKind.TERM_ENDING_30: gettext_lazy(
        "%(expert)s在%(enterprise)s的科技副总服务期将于%(end)s届满（30天内）。"
    ),
    ReminderKind.TERM_ENDING_7: gettext_lazy(
        "%(expert)s在%(enterprise)s的科技副总服务期将于%(end)s届满（7天内）。"
    ),
    ReminderKind.REPORT_DUE: gettext_lazy(
        "服务期已于%(end)s届满，请企业起草、专家确认服务期满总结报告，于%(due)s前提交。"
    ),
    ReminderKind.EVALUATION_DUE: gettext_lazy("%(expert)s的服务期已于%(end)s届满，请组织任职评价。"),
    ReminderKind.MATCHING_UNCONFIRMED: gettext_lazy(
        "%(expert)s第%(month)s个服务月的企业配套生活补助尚未确认支付。"
    ),
}


def reminders_send(*, as_of: date | None = None) -> int:
    """The reminder job (SPEC §9): every reminder due on `as_of` to its audience, each exactly once —
    the notification's dedupe key is unique in the database, so a second run, or two workers at the same
    time, send nothing new. Returns the number of notifications created."""
    as_of = as_of or _today()
    sent = 0
    for row in selectors.appointments_for_reminders(as_of):
        facts = policy.TermFacts(
            end_date=row["end_date"],
            terminated=row["state"] == AppointmentState.TERMINATED,
            report_submitted=row["report_submitted"],
            evaluation_finalised=False,  # the selector leaves finalised evaluations out
        )
        due = policy.reminders_due(facts, as_of)
        if not due:
            continue
        appointment = Appointment.objects.select_related("expert", "enterprise").get(pk=row["pk"])
        for reminder in due:
            params = {
                "expert": appointment.expert.name,
                "enterprise": appointment.enterprise.name,
                "end": appointment.end_date,
                "due": policy.report_due_date(appointment.end_date),
            }
            sent += _notify(
                selectors.party_users(appointment, policy.REMINDER_AUDIENCE[reminder.kind]),
                title=Msg(reminder.kind.label),
                body=Msg(REMINDER_TEXT[reminder.kind], **params),
                link=_link(appointment),
                dedupe_key=reminder.dedupe_key(appointment.pk),
            )
    for item in selectors.matching_payments_unconfirmed(as_of):
        appointment, month = item["appointment"], item["month"]
        reminder = policy.DueReminder(ReminderKind.MATCHING_UNCONFIRMED, item["month_end"])
        sent += _notify(
            selectors.party_users(appointment, policy.REMINDER_AUDIENCE[reminder.kind]),
            title=Msg(reminder.kind.label),
            body=Msg(REMINDER_TEXT[reminder.kind], expert=appointment.expert.name, month=month),
            link=_link(appointment),
            dedupe_key=reminder.dedupe_key(appointment.pk),
        )
    return sent
