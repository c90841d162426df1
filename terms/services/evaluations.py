"""The term-end evaluation (任职评价): the panel (with the review rounds' conflict rule), grading, declared
conflicts and replacements, the final opinion PDF, and the service certificate.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit
from core.documents import document_current, document_issue
from core.models import DocumentKind, IssuedDocument
from core.notifications import Msg, notification_send
from core.workflow import transition
from projects.enums import AppointmentState

from .. import policy, selectors
from ..enums import EVALUATION_TRANSITIONS, EvaluationState, Grade
from ..exceptions import TermsError
from ..models import Evaluation, PanelMember
from ._common import _link, _lock_appointment, _notify, _today


def _refuse_conflicts(appointment, reviewers) -> None:
    """TermsError naming every reviewer with a conflict of interest (the rules of review rounds) and why."""
    from .. import integration

    conflicts = integration.panel_conflicts(appointment, reviewers)
    if conflicts:
        raise TermsError(
            _("以下评价专家存在利益冲突，不能参加评价：%(names)s")
            % {"names": "；".join(f"{u}（{why}）" for u, why in conflicts)}
        )


def evaluation_create(*, appointment, reviewers, by) -> Evaluation:
    """Staff form the panel. A reviewer with a conflict of interest (the rules of review rounds) is
    refused with the reason; at least one reviewer is needed."""
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
        _refuse_conflicts(locked, reviewers)
        evaluation = Evaluation.objects.create(appointment=locked, created_by=by)
        evaluation.transitions.create(from_state="", to_state=EvaluationState.FORMING, actor=by)
        PanelMember.objects.bulk_create(PanelMember(evaluation=evaluation, reviewer=r) for r in reviewers)
        audit(by, "evaluation.create", evaluation, summary=f"{len(reviewers)} reviewers")
    return evaluation


def _ask_to_grade(member: PanelMember) -> None:
    """Ask the reviewer of a panel seat on a grading evaluation for the grade."""
    notification_send(
        recipient=member.reviewer.user,
        title=Msg(gettext_lazy("请对科技副总服务期进行任职评价")),
        link=reverse("terms:panel-grade", args=[member.pk]),
        dedupe_key=f"terms:panel:{member.pk}",
    )


def evaluation_open(*, evaluation: Evaluation, by) -> Evaluation:
    """The panel starts grading; each member is notified."""
    with transaction.atomic():
        locked = transition(evaluation, to=EvaluationState.GRADING, by=by, allowed=EVALUATION_TRANSITIONS)
        for member in locked.members.filter(withdrawn_at__isnull=True).select_related("reviewer__user"):
            _ask_to_grade(member)
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
    from .. import integration

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
                _ask_to_grade(replacement)
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
    with transaction.atomic():
        locked = (
            Evaluation.objects.select_for_update()
            .select_related("appointment__project")
            .get(pk=evaluation.pk)
        )
        if locked.state not in (EvaluationState.FORMING, EvaluationState.GRADING):
            raise TermsError(_("该任职评价已出具意见，不能再调整评价组"))
        if locked.members.filter(reviewer=reviewer).exists():
            raise TermsError(_("%(name)s 已在（或曾在）该评价组中") % {"name": reviewer.name})
        _refuse_conflicts(locked.appointment, [reviewer])
        member = PanelMember.objects.create(evaluation=locked, reviewer=reviewer)
        audit(by, "evaluation.add_member", locked, summary=str(reviewer))
        if locked.state == EvaluationState.GRADING:
            _ask_to_grade(member)
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
        from ..pdf import evaluation_opinion_context

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
            _certificate_issue(appointment, by=by, reissue=True)
        link = _link(appointment)
        title = Msg(
            gettext_lazy("任职评价意见已出具：%(expert)s，评价等级“%(grade)s”"),
            expert=appointment.expert.name,
            grade=Grade(grade).label,
        )
        _notify(selectors.expert_users(appointment.expert), title=title, link=link)
        _notify(selectors.institution_users(appointment.expert.institution), title=title, link=link)
    return doc


def _certificate_issue(appointment, *, by, reissue: bool = False) -> IssuedDocument:
    from ..pdf import service_certificate_context

    return document_issue(
        kind=DocumentKind.SERVICE_CERTIFICATE,
        subject=appointment,
        title=_("科技副总任职证明"),
        template_name="terms/pdf/service_certificate.html",
        context=service_certificate_context(appointment),
        by=by,
        reissue=reissue,
    )


def service_certificate_issue(*, appointment, by) -> IssuedDocument:
    """The 任职证明 (policy 五(一)2), once the term has ended or was terminated; idempotent."""
    if appointment.state == AppointmentState.ACTIVE:
        raise TermsError(_("任职证明在服务期结束后出具"))
    return _certificate_issue(appointment, by=by)
