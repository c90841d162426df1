"""The work list of the commission staff (区科委): nominations, changes, enterprises, projects, review rounds,
objections, terms, payments, annual awards and the credit record.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from core.navigation import WorkGroup, WorkItem

from ..policy import time_limit
from ._common import _group, _keep, _local, _tasks, _url, _yuan
from .outcomes import outcome_groups


def commission_worklist(user) -> list[WorkGroup]:
    from awards.enums import ApplicationState
    from awards.models import AwardApplication
    from enterprises.enums import EnterpriseState
    from enterprises.models import Enterprise
    from experts.enums import ChangeRequestState, NominationState
    from experts.models import ExpertChangeRequest, Nomination
    from projects.enums import AppointmentState, ObjectionState, ProjectState, RoundState
    from projects.models import Appointment, Objection, Project, ReviewRound
    from subsidies.enums import PaymentBatchState
    from subsidies.models import PaymentBatch
    from subsidies.selectors import matching_overdue, payment_due_list
    from terms.enums import ExtensionState, ReportState, SupportState
    from terms.models import Evaluation, ExtensionRequest, SupportRequest, TermReport

    today = timezone.localdate()
    appointment_detail = "terms:appointment-detail"
    return _keep(
        *outcome_groups(user, Role.COMMISSION),
        _tasks(
            "nomination-decide", _("专家推荐待审核"),
            _url("experts:nomination-list", state=NominationState.SUBMITTED),
            Nomination.objects.filter(state=NominationState.SUBMITTED).select_related(
                "expert", "institution"
            ),
            "submitted_at",
            subject=lambda n: f"{n.expert.name}（{n.institution.name}）",
            action=_("审核推荐，决定是否入库"),
            url=lambda n: reverse("experts:nomination-detail", args=[n.pk]),
        ),
        _tasks(
            "changerequest-decide", _("专家信息变更待审核"), reverse("experts:changerequest-list"),
            ExpertChangeRequest.objects.filter(state=ChangeRequestState.PENDING).select_related("expert"),
            "created_at",
            subject=lambda c: c.expert.name,
            action=_("审核信息变更"),
            url=reverse("experts:changerequest-list"),
        ),
        _tasks(
            "enterprise-verify", _("企业待认证"),
            _url("enterprises:enterprise-list", state=EnterpriseState.REGISTERED),
            Enterprise.objects.filter(state=EnterpriseState.REGISTERED),
            "updated_at",
            subject=lambda e: e.name, action=_("核验并认证企业"), url=lambda e: e.get_absolute_url(),
        ),
        _tasks(
            "project-check", _("合作项目待形式审查"),
            _url("projects:project-list", state=ProjectState.SUBMITTED),
            Project.objects.filter(state=ProjectState.SUBMITTED).select_related("enterprise"),
            "submitted_at",
            subject=lambda p: f"{p.title}（{p.enterprise.name}）",
            action=_("形式审查：受理或退回"),
            url=lambda p: reverse("projects:project-detail", args=[p.pk]),
        ),
        _tasks(
            "round-close", _("评审批次待结束评分"), reverse("projects:round-list"),
            ReviewRound.objects.filter(state=RoundState.OPEN), "deadline",
            subject=lambda r: r.name, action=_("评分截止后结束评审"), deadline=lambda r: _local(r.deadline),
            url=lambda r: reverse("projects:round-detail", args=[r.pk]),
        ),
        _tasks(
            "round-decide", _("评审批次待立项决定"), reverse("projects:round-list"),
            ReviewRound.objects.filter(state=RoundState.CLOSED), "deadline",
            subject=lambda r: r.name, action=_("作出立项决定"),
            url=lambda r: reverse("projects:round-detail", args=[r.pk]),
        ),
        _tasks(
            "objection-resolve", _("公示异议待处理"), reverse("projects:round-list"),
            Objection.objects.filter(state=ObjectionState.OPEN).select_related("project"), "created_at",
            subject=lambda o: f"{o.project.title} · {o.objector_name}",
            action=_("核实并处理异议"),
            url=lambda o: reverse("projects:round-detail", args=[o.project.round_id]) + "#objections",
        ),
        _tasks(
            "extension-decide", _("服务期延期申请待审核"), reverse("terms:appointment-list"),
            ExtensionRequest.objects.filter(state=ExtensionState.SUBMITTED).select_related(
                "appointment__expert", "appointment__enterprise"
            ),
            "requested_on",
            subject=lambda x: f"{x.appointment.expert.name}（{x.appointment.enterprise.name}）",
            action=lambda x: _("审核延期 %(n)d 个月") % {"n": x.months},
            url=lambda x: reverse(appointment_detail, args=[x.appointment_id]) + "#extensions",
        ),
        _tasks(
            "support-arrange", _("服务保障申请待安排"),
            _url("terms:support-list", state=SupportState.SUBMITTED),
            SupportRequest.objects.filter(state=SupportState.SUBMITTED).select_related("appointment__expert"),
            "created_at",
            subject=lambda s: f"{s.appointment.expert.name} · {s.get_kind_display()}",
            action=_("安排服务保障"),
            url=lambda s: reverse("terms:support-detail", args=[s.pk]),
        ),
        _tasks(
            "report-accept", _("总结报告待验收结题"), reverse("terms:appointment-list"),
            TermReport.objects.filter(state=ReportState.SUBMITTED).select_related(
                "appointment__expert", "appointment__enterprise"
            ),
            "updated_at",
            subject=lambda t: f"{t.appointment.expert.name}（{t.appointment.enterprise.name}）",
            action=_("验收总结报告并结题"),
            url=lambda t: reverse(appointment_detail, args=[t.appointment_id]) + "#report",
        ),
        _tasks(
            "evaluation-organise", _("期满待组织任职评价"), reverse("terms:appointment-list"),
            Appointment.objects.filter(state=AppointmentState.ENDED)
            .exclude(Exists(Evaluation.objects.filter(appointment=OuterRef("pk"))))
            .select_related("expert", "enterprise"),
            "end_date",
            subject=lambda a: f"{a.expert.name}（{a.enterprise.name}）",
            action=_("组建评价组，组织任职评价"),
            url=lambda a: reverse("terms:evaluation-create", args=[a.pk]),
        ),
        _tasks(
            "payment-batch", _("到期款项待编入支付批次"), reverse("subsidies:payment-due"),
            payment_due_list(), "due_on",
            subject=lambda p: f"{p.payee_name} · {p.purpose}",
            action=_("编入支付批次"),
            url=reverse("subsidies:payment-due"),
            note=lambda p: _yuan(p.amount),
        ),
        _tasks(
            "batch-submit", _("支付批次待提交财政审核"),
            _url("subsidies:batch-list", state=PaymentBatchState.DRAFT),
            PaymentBatch.objects.filter(state=PaymentBatchState.DRAFT), "created_at",
            subject=lambda b: f"{b.number} {b.title}",
            action=_("核对并提交财政审核"),
            url=lambda b: reverse("subsidies:batch-detail", args=[b.pk]),
        ),
        _tasks(
            "matching-remind", _("企业配套生活补助逾期未确认"), reverse("subsidies:matching-overdue"),
            matching_overdue(as_of=today), ("due_on", "appointment_id", "month"),
            subject=lambda m: _("%(enterprise)s · %(expert)s 第%(n)d个月")
            % {
                "enterprise": m.appointment.enterprise.name,
                "expert": m.appointment.expert.name,
                "n": m.month,
            },
            action=_("催办企业确认"),
            url=lambda m: reverse(appointment_detail, args=[m.appointment_id]),
            deadline=lambda m: time_limit("matching-confirm", m.due_on),
            note=lambda m: _yuan(m.amount),
            remind_url=lambda m: reverse("worklist:matching-remind", args=[m.pk]),
        ),
        _tasks(
            "award-check", _("年度评选申报待审查"), reverse("awards:index"),
            AwardApplication.objects.filter(state=ApplicationState.SUBMITTED).select_related("expert"),
            "submitted_at",
            subject=lambda a: f"{a.expert.name}",
            action=_("审查评选申报"),
            url=lambda a: reverse("awards:application-detail", args=[a.pk]),
        ),
        _credit_group(today),
    )


def _credit_group(today) -> WorkGroup | None:
    """The credit record (issue 21 item 5), in one query: proposals to check, objections to handle, and
    records whose objection window has passed (信用记录待确认)."""
    from credit.enums import CreditState, ObjectionState
    from credit.models import CreditObjection, CreditRecord

    def item(r) -> WorkItem:
        if r.state == CreditState.PROPOSED:
            kind, action, start = "credit-check", _("核实事实，告知主体或不予记录"), _local(r.created_at)
        elif r.has_open_objection:
            kind, action, start = "credit-objection", _("处理主体提出的异议"), r.notified_on
        else:
            kind, action, start = "credit-confirm", _("异议期已满，确认信用记录"), r.objection_deadline
        return WorkItem(
            subject=f"{r.subject_name}（{r.get_rule_display()}）",
            action=action,
            url=reverse("credit:record-detail", args=[r.pk]),
            deadline=time_limit(kind, start),
        )

    open_objection = CreditObjection.objects.filter(record=OuterRef("pk"), state=ObjectionState.OPEN)
    return _group(
        "credit",
        _("信用记录待核实、待确认"),
        reverse("credit:record-list"),
        CreditRecord.objects.annotate(has_open_objection=Exists(open_objection))
        .filter(
            Q(state=CreditState.PROPOSED)
            | Q(state=CreditState.NOTIFIED, has_open_objection=True)
            | Q(state=CreditState.NOTIFIED, objection_deadline__lt=today)
        )
        .select_related("expert", "enterprise", "reviewer", "institution"),
        item,
        ("created_at", "pk"),
    )
