"""The work lists of the programme's parties: nominating institutions, experts, enterprises and reviewers."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from core.navigation import WorkGroup, WorkItem

from ..policy import time_limit
from ._common import _group, _keep, _local, _url, _yuan
from .outcomes import outcome_groups


def nominator_worklist(user) -> list[WorkGroup]:
    from experts.enums import NominationState
    from experts.selectors import nomination_list

    mine = nomination_list(user).select_related("expert")
    return _keep(
        _group(
            "nomination-revise",
            _("退回修改的推荐"),
            _url("experts:nomination-list", state=NominationState.RETURNED),
            mine.filter(state=NominationState.RETURNED),
            lambda n: WorkItem(
                subject=n.expert.name,
                action=_("按退回理由修改后重新提交"),
                url=reverse("experts:nomination-detail", args=[n.pk]),
                deadline=time_limit("nomination-revise", _local(n.updated_at)),
            ),
            ("updated_at", "pk"),
        ),
        _group(
            "nomination-draft",
            _("未提交的推荐草稿"),
            _url("experts:nomination-list", state=NominationState.DRAFT),
            mine.filter(state=NominationState.DRAFT),
            lambda n: WorkItem(
                subject=n.expert.name,
                action=_("完善并提交推荐"),
                url=reverse("experts:nomination-detail", args=[n.pk]),
            ),
            ("created_at", "pk"),
        ),
    )


def expert_worklist(user) -> list[WorkGroup]:
    from enterprises.enums import IntentInitiator, IntentState
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
        _group(
            "intent-answer",
            _("待回复的企业邀请"),
            _url("enterprises:intent-list", state=IntentState.PENDING),
            Intent.objects.filter(
                expert=expert, state=IntentState.PENDING, initiator=IntentInitiator.ENTERPRISE
            ).select_related("demand__enterprise"),
            lambda i: WorkItem(
                subject=f"{i.demand.enterprise.name}：{i.demand.title}",
                action=_("接受或婉拒邀请"),
                url=reverse("enterprises:intent-detail", args=[i.pk]),
                deadline=_local(i.expires_at),
            ),
            ("expires_at", "pk"),
        ),
        _group(
            "project-confirm",
            _("待确认的合作项目申报"),
            reverse("projects:project-list"),
            Project.objects.filter(
                expert=expert, state__in=EDITABLE_STATES, expert_confirmed_at__isnull=True
            ).select_related("enterprise"),
            lambda p: WorkItem(
                subject=f"{p.title}（{p.enterprise.name}）",
                action=_("核对并确认申报内容"),
                url=reverse("projects:project-detail", args=[p.pk]),
                deadline=time_limit("project-confirm", _local(p.updated_at)),
            ),
            ("updated_at", "pk"),
        ),
        _group(
            "report-confirm",
            _("待确认的服务期满总结报告"),
            reverse("terms:appointment-list"),
            TermReport.objects.filter(
                appointment__expert=expert, state=ReportState.AWAITING_EXPERT
            ).select_related("appointment__enterprise"),
            lambda t: WorkItem(
                subject=t.appointment.enterprise.name,
                action=_("确认并联合提交总结报告"),
                url=reverse("terms:appointment-detail", args=[t.appointment_id]) + "#report",
                deadline=time_limit("report-confirm", _local(t.updated_at)),
            ),
            ("updated_at", "pk"),
        ),
        _group(
            "bank-account",
            _("未登记收款银行账户"),
            reverse("subsidies:my-allowances"),
            missing_account,
            lambda a: WorkItem(
                subject=a.enterprise.name,
                action=_("登记银行账户，以便发放人才生活补贴"),
                url=reverse("subsidies:my-allowances") + "#bank-account",
                deadline=time_limit("bank-account", a.start_date),
            ),
            ("start_date", "pk"),
        ),
    )


def enterprise_worklist(user) -> list[WorkGroup]:
    from dateutil.relativedelta import relativedelta

    from enterprises.enums import IntentInitiator, IntentState
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
    return _keep(
        *outcome_groups(user, Role.ENTERPRISE),
        _group(
            "intent-answer",
            _("待回复的专家对接申请"),
            _url("enterprises:intent-list", state=IntentState.PENDING),
            Intent.objects.filter(
                demand__enterprise=enterprise, state=IntentState.PENDING, initiator=IntentInitiator.EXPERT
            ).select_related("expert", "demand"),
            lambda i: WorkItem(
                subject=f"{i.expert.name} → {i.demand.title}",
                action=_("接受或婉拒对接申请"),
                url=reverse("enterprises:intent-detail", args=[i.pk]),
                deadline=_local(i.expires_at),
            ),
            ("expires_at", "pk"),
        ),
        _group(
            "project-revise",
            _("待提交或退回修改的合作项目"),
            reverse("projects:project-list"),
            Project.objects.filter(enterprise=enterprise)
            .filter(
                Q(state=ProjectState.RETURNED)
                | Q(state=ProjectState.DRAFT, expert_confirmed_at__isnull=False)
            )
            .select_related("expert"),
            lambda p: WorkItem(
                subject=f"{p.title}（{p.expert.name}）",
                action=_("修改后重新提交") if p.state == ProjectState.RETURNED else _("专家已确认，提交申报"),
                url=reverse("projects:project-detail", args=[p.pk]),
                deadline=time_limit("project-revise", _local(p.updated_at)),
            ),
            ("updated_at", "pk"),
        ),
        _group(
            "agreement-upload",
            _("已备案待上传合作协议"),
            reverse("projects:project-list"),
            Project.objects.filter(enterprise=enterprise, state=ProjectState.FILED).select_related(
                "expert", "filing"
            ),
            lambda p: WorkItem(
                subject=f"{p.title}（{p.expert.name}）",
                action=_("签订并上传合作协议"),
                url=reverse("projects:project-detail", args=[p.pk]) + "#agreement",
                deadline=time_limit("agreement-upload", p.filing.filed_on),
            ),
            ("updated_at", "pk"),
        ),
        _group(
            "matching-confirm",
            _("待确认的企业配套生活补助"),
            reverse("subsidies:enterprise-money") + "#matching-table",
            AllowancePayment.objects.filter(
                appointment__enterprise=enterprise,
                kind=AllowanceKind.MATCHING,
                confirmed_on__isnull=True,
                due_on__lte=today,
            ).select_related("appointment__expert"),
            lambda m: WorkItem(
                subject=_("%(expert)s 第%(n)d个月") % {"expert": m.appointment.expert.name, "n": m.month},
                action=_("支付并确认配套生活补助"),
                url=reverse("subsidies:enterprise-money") + "#matching-table",
                deadline=time_limit("matching-confirm", m.due_on),
                note=_yuan(m.amount),
            ),
            ("due_on", "appointment_id", "month"),
        ),
        _group(
            "report-draft",
            _("待提交的服务期满总结报告"),
            reverse("terms:appointment-list"),
            Appointment.objects.filter(
                enterprise=enterprise,
                state__in=(AppointmentState.ACTIVE, AppointmentState.ENDED),
                end_date__lte=today + relativedelta(days=30),
            )
            .exclude(Exists(report_open))
            .select_related("expert"),
            lambda a: WorkItem(
                subject=a.expert.name,
                action=_("起草并提交总结报告"),
                url=reverse("terms:report-edit", args=[a.pk]),
                deadline=time_limit("report-draft", a.end_date),
            ),
            ("end_date", "pk"),
        ),
    )


def reviewer_worklist(user) -> list[WorkGroup]:
    from awards.enums import CycleState, SheetState
    from awards.models import AwardSheet
    from projects.enums import AssignmentState, RoundState
    from projects.models import ReviewAssignment
    from terms.selectors import panel_assignments

    return _keep(
        _group(
            "review-score",
            _("待评分的合作项目"),
            reverse("projects:review-list"),
            ReviewAssignment.objects.filter(
                reviewer__user=user, state=AssignmentState.ASSIGNED, round__state=RoundState.OPEN
            ).select_related("project", "round"),
            lambda a: WorkItem(
                subject=a.project.title,
                action=_("评分并提交评审意见"),
                url=reverse("projects:review-sheet", args=[a.pk]),
                deadline=_local(a.round.deadline),
            ),
            ("round__deadline", "pk"),
        ),
        _group(
            "award-score",
            _("待评分的年度评选申报"),
            reverse("awards:review-list"),
            AwardSheet.objects.filter(
                reviewer__user=user, state=SheetState.ASSIGNED, cycle__state=CycleState.REVIEW
            ).select_related("application__project", "cycle"),
            lambda s: WorkItem(
                subject=s.application.project.title,
                action=_("评分并提交评审意见"),
                url=reverse("awards:review-sheet", args=[s.pk]),
                deadline=_local(s.cycle.score_deadline),
            ),
            ("cycle__score_deadline", "pk"),
        ),
        _group(
            "panel-grade",
            _("待评定的任职评价"),
            reverse("terms:panel-list"),
            panel_assignments(user=user).filter(submitted_at__isnull=True),
            lambda m: WorkItem(
                subject=f"{m.evaluation.appointment.expert.name}（{m.evaluation.appointment.enterprise.name}）",
                action=_("评定等级并填写评价意见"),
                url=reverse("terms:panel-grade", args=[m.pk]),
                deadline=time_limit("report-confirm", _local(m.evaluation.updated_at)),
            ),
            ("evaluation__created_at", "pk"),
        ),
    )
