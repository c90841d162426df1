"""The work lists of the programme's parties: nominating institutions, experts, enterprises and reviewers."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from core.navigation import WorkGroup

from ..policy import time_limit
from ._common import _keep, _local, _tasks, _url, _yuan
from .outcomes import outcome_groups


def nominator_worklist(user) -> list[WorkGroup]:
    from experts.enums import NominationState
    from experts.selectors import nomination_list

    mine = nomination_list(user).select_related("expert")

    def detail(n):
        return reverse("experts:nomination-detail", args=[n.pk])

    return _keep(
        _tasks(
            "nomination-revise", _("退回修改的推荐"),
            _url("experts:nomination-list", state=NominationState.RETURNED),
            mine.filter(state=NominationState.RETURNED), "updated_at",
            subject=lambda n: n.expert.name, action=_("按退回理由修改后重新提交"), url=detail,
        ),
        _tasks(
            "nomination-draft", _("未提交的推荐草稿"),
            _url("experts:nomination-list", state=NominationState.DRAFT),
            mine.filter(state=NominationState.DRAFT), "created_at",
            subject=lambda n: n.expert.name, action=_("完善并提交推荐"), url=detail, deadline=lambda n: None,
        ),
    )


def expert_worklist(user) -> list[WorkGroup]:
    from enterprises.enums import IntentInitiator
    from enterprises.models import Intent
    from experts.models import Expert
    from projects.enums import EDITABLE_STATES, AppointmentState
    from projects.models import Appointment, Project
    from subsidies.models import BankAccount
    from terms.enums import ReportState
    from terms.models import TermReport

    expert = Expert.objects.filter(user=user).first()
    if expert is None:
        return []
    missing_account = (
        Appointment.objects.filter(expert=expert, state=AppointmentState.ACTIVE)
        .exclude(Exists(BankAccount.objects.filter(expert=expert)))
        .select_related("enterprise")
    )
    return _keep(
        *outcome_groups(user, Role.EXPERT),
        _intent_group(
            _("待回复的企业邀请"),
            Intent.objects.filter(expert=expert, initiator=IntentInitiator.ENTERPRISE).select_related(
                "demand__enterprise"
            ),
            subject=lambda i: f"{i.demand.enterprise.name}：{i.demand.title}",
            action=_("接受或婉拒邀请"),
        ),
        _tasks(
            "project-confirm", _("待确认的合作项目申报"), reverse("projects:project-list"),
            Project.objects.filter(
                expert=expert, state__in=EDITABLE_STATES, expert_confirmed_at__isnull=True
            ).select_related("enterprise"),
            "updated_at",
            subject=lambda p: f"{p.title}（{p.enterprise.name}）",
            action=_("核对并确认申报内容"),
            url=lambda p: reverse("projects:project-detail", args=[p.pk]),
        ),
        _tasks(
            "report-confirm", _("待确认的服务期满总结报告"), reverse("terms:appointment-list"),
            TermReport.objects.filter(
                appointment__expert=expert, state=ReportState.AWAITING_EXPERT
            ).select_related("appointment__enterprise"),
            "updated_at",
            subject=lambda t: t.appointment.enterprise.name,
            action=_("确认并联合提交总结报告"),
            url=lambda t: reverse("terms:appointment-detail", args=[t.appointment_id]) + "#report",
        ),
        _tasks(
            "bank-account", _("未登记收款银行账户"), reverse("subsidies:my-allowances"),
            missing_account, "start_date",
            subject=lambda a: a.enterprise.name,
            action=_("登记银行账户，以便发放人才生活补贴"),
            url=reverse("subsidies:my-allowances") + "#bank-account",
        ),
    )


def enterprise_worklist(user) -> list[WorkGroup]:
    from dateutil.relativedelta import relativedelta

    from enterprises.enums import IntentInitiator
    from enterprises.models import Enterprise, Intent
    from projects.enums import AppointmentState, ProjectState
    from projects.models import Appointment, Project
    from subsidies.enums import AllowanceKind
    from subsidies.models import AllowancePayment
    from terms.enums import ReportState
    from terms.models import TermReport

    enterprise = Enterprise.objects.filter(members__user=user).first()
    if enterprise is None:
        return []
    today = timezone.localdate()
    report_open = TermReport.objects.filter(appointment=OuterRef("pk")).exclude(state=ReportState.DRAFT)
    project_list = reverse("projects:project-list")
    matching_table = reverse("subsidies:enterprise-money") + "#matching-table"
    return _keep(
        *outcome_groups(user, Role.ENTERPRISE),
        _intent_group(
            _("待回复的专家对接申请"),
            Intent.objects.filter(
                demand__enterprise=enterprise, initiator=IntentInitiator.EXPERT
            ).select_related("expert", "demand"),
            subject=lambda i: f"{i.expert.name} → {i.demand.title}",
            action=_("接受或婉拒对接申请"),
        ),
        _tasks(
            "project-revise", _("待提交或退回修改的合作项目"), project_list,
            Project.objects.filter(enterprise=enterprise)
            .filter(
                Q(state=ProjectState.RETURNED)
                | Q(state=ProjectState.DRAFT, expert_confirmed_at__isnull=False)
            )
            .select_related("expert"),
            "updated_at",
            subject=lambda p: f"{p.title}（{p.expert.name}）",
            action=lambda p: (
                _("修改后重新提交") if p.state == ProjectState.RETURNED else _("专家已确认，提交申报")
            ),
            url=lambda p: reverse("projects:project-detail", args=[p.pk]),
        ),
        _tasks(
            "agreement-upload", _("已备案待上传合作协议"), project_list,
            Project.objects.filter(enterprise=enterprise, state=ProjectState.FILED).select_related(
                "expert", "filing"
            ),
            "updated_at",
            subject=lambda p: f"{p.title}（{p.expert.name}）",
            action=_("签订并上传合作协议"),
            url=lambda p: reverse("projects:project-detail", args=[p.pk]) + "#agreement",
            deadline=lambda p: time_limit("agreement-upload", p.filing.filed_on),
        ),
        _tasks(
            "matching-confirm", _("待确认的企业配套生活补助"), matching_table,
            AllowancePayment.objects.filter(
                appointment__enterprise=enterprise,
                kind=AllowanceKind.MATCHING,
                confirmed_on__isnull=True,
                due_on__lte=today,
            ).select_related("appointment__expert"),
            ("due_on", "appointment_id", "month"),
            subject=lambda m: _("%(expert)s 第%(n)d个月")
            % {"expert": m.appointment.expert.name, "n": m.month},
            action=_("支付并确认配套生活补助"),
            url=matching_table,
            note=lambda m: _yuan(m.amount),
        ),
        _tasks(
            "report-draft", _("待提交的服务期满总结报告"), reverse("terms:appointment-list"),
            Appointment.objects.filter(
                enterprise=enterprise,
                state__in=(AppointmentState.ACTIVE, AppointmentState.ENDED),
                end_date__lte=today + relativedelta(days=30),
            )
            .exclude(Exists(report_open))
            .select_related("expert"),
            "end_date",
            subject=lambda a: a.expert.name,
            action=_("起草并提交总结报告"),
            url=lambda a: reverse("terms:report-edit", args=[a.pk]),
        ),
    )


def reviewer_worklist(user) -> list[WorkGroup]:
    from awards.enums import CycleState, SheetState
    from awards.models import AwardSheet
    from projects.enums import AssignmentState, RoundState
    from projects.models import ReviewAssignment
    from terms.selectors import panel_assignments

    return _keep(
        _tasks(
            "review-score", _("待评分的合作项目"), reverse("projects:review-list"),
            ReviewAssignment.objects.filter(
                reviewer__user=user, state=AssignmentState.ASSIGNED, round__state=RoundState.OPEN
            ).select_related("project", "round"),
            "round__deadline",
            subject=lambda a: a.project.title,
            action=_("评分并提交评审意见"),
            url=lambda a: reverse("projects:review-sheet", args=[a.pk]),
            deadline=lambda a: _local(a.round.deadline),
        ),
        _tasks(
            "award-score", _("待评分的年度评选申报"), reverse("awards:review-list"),
            AwardSheet.objects.filter(
                reviewer__user=user, state=SheetState.ASSIGNED, cycle__state=CycleState.REVIEW
            ).select_related("application__project", "cycle"),
            "cycle__score_deadline",
            subject=lambda s: s.application.project.title,
            action=_("评分并提交评审意见"),
            url=lambda s: reverse("awards:review-sheet", args=[s.pk]),
            deadline=lambda s: _local(s.cycle.score_deadline),
        ),
        _tasks(
            "panel-grade", _("待评定的任职评价"), reverse("terms:panel-list"),
            panel_assignments(user=user).filter(submitted_at__isnull=True),
            "evaluation__created_at",
            subject=lambda m: (
                f"{m.evaluation.appointment.expert.name}（{m.evaluation.appointment.enterprise.name}）"
            ),
            action=_("评定等级并填写评价意见"),
            url=lambda m: reverse("terms:panel-grade", args=[m.pk]),
            deadline=lambda m: time_limit("report-confirm", _local(m.evaluation.updated_at)),
        ),
    )


def _intent_group(label: str, intents, *, subject, action) -> WorkGroup | None:
    """The pending intents (对接意向) the other side started, due when they expire."""
    from enterprises.enums import IntentState

    return _tasks(
        "intent-answer", label, _url("enterprises:intent-list", state=IntentState.PENDING),
        intents.filter(state=IntentState.PENDING), "expires_at",
        subject=subject, action=action, deadline=lambda i: _local(i.expires_at),
        url=lambda i: reverse("enterprises:intent-detail", args=[i.pk]),
    )
