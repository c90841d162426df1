"""The work list (待办) of each role: one selector per role, each a handful of queries (one per kind of
task, the count coming from a window function in the same query), feeding one landing-page partial.

Each selector returns `core.navigation.WorkGroup`s, only those with something to do; an item is gone the
moment its task is done because the lists are read live from the records' states.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.enums import Role, WorkingGroupUnit
from core.money import quantize_cny
from core.navigation import WorkGroup, WorkItem

from .policy import time_limit

#: items shown per kind of task; the count links to the list with all of them
LIMIT = 5


def _local(moment):
    return timezone.localdate(moment) if moment is not None else None


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _yuan(amount) -> str:
    """ "300,000.00 元" (amounts in 元 with thousands separators)."""
    return _("%(amount)s 元") % {"amount": f"{quantize_cny(amount):,.2f}"}


def _group(
    kind: str,
    label: str,
    list_url: str,
    queryset: QuerySet,
    item: Callable[[object], WorkItem],
    order: Iterable[str],
) -> WorkGroup | None:
    """One query: the first LIMIT rows in `order`, each carrying the total count of the queryset."""
    rows = list(queryset.annotate(worklist_total=Window(expression=Count("pk"))).order_by(*order)[:LIMIT])
    if not rows:
        return None
    return WorkGroup(
        kind=kind, label=label, count=rows[0].worklist_total, url=list_url, items=tuple(item(r) for r in rows)
    )


def _keep(*groups) -> list[WorkGroup]:
    return [g for g in groups if g is not None]


# --- commission (区科委) ----------------------------------------------------------------------------------


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
    return _keep(
        _group(
            "nomination-decide",
            _("专家推荐待审核"),
            _url("experts:nomination-list", state=NominationState.SUBMITTED),
            Nomination.objects.filter(state=NominationState.SUBMITTED).select_related(
                "expert", "institution"
            ),
            lambda n: WorkItem(
                subject=f"{n.expert.name}（{n.institution.name}）",
                action=_("审核推荐，决定是否入库"),
                url=reverse("experts:nomination-detail", args=[n.pk]),
                deadline=time_limit("nomination-decide", _local(n.submitted_at) or today),
            ),
            ("submitted_at", "pk"),
        ),
        _group(
            "changerequest-decide",
            _("专家信息变更待审核"),
            reverse("experts:changerequest-list"),
            ExpertChangeRequest.objects.filter(state=ChangeRequestState.PENDING).select_related("expert"),
            lambda c: WorkItem(
                subject=c.expert.name,
                action=_("审核信息变更"),
                url=reverse("experts:changerequest-list"),
                deadline=time_limit("changerequest-decide", _local(c.created_at)),
            ),
            ("created_at", "pk"),
        ),
        _group(
            "enterprise-verify",
            _("企业待认证"),
            _url("enterprises:enterprise-list", state=EnterpriseState.REGISTERED),
            Enterprise.objects.filter(state=EnterpriseState.REGISTERED),
            lambda e: WorkItem(
                subject=e.name,
                action=_("核验并认证企业"),
                url=e.get_absolute_url(),
                deadline=time_limit("enterprise-verify", _local(e.updated_at)),
            ),
            ("updated_at", "pk"),
        ),
        _group(
            "project-check",
            _("合作项目待形式审查"),
            _url("projects:project-list", state=ProjectState.SUBMITTED),
            Project.objects.filter(state=ProjectState.SUBMITTED).select_related("enterprise"),
            lambda p: WorkItem(
                subject=f"{p.title}（{p.enterprise.name}）",
                action=_("形式审查：受理或退回"),
                url=reverse("projects:project-detail", args=[p.pk]),
                deadline=time_limit("project-check", _local(p.submitted_at) or today),
            ),
            ("submitted_at", "pk"),
        ),
        _group(
            "round-close",
            _("评审批次待结束评分"),
            reverse("projects:round-list"),
            ReviewRound.objects.filter(state=RoundState.OPEN),
            lambda r: WorkItem(
                subject=r.name,
                action=_("评分截止后结束评审"),
                url=reverse("projects:round-detail", args=[r.pk]),
                deadline=_local(r.deadline),
            ),
            ("deadline", "pk"),
        ),
        _group(
            "round-decide",
            _("评审批次待立项决定"),
            reverse("projects:round-list"),
            ReviewRound.objects.filter(state=RoundState.CLOSED),
            lambda r: WorkItem(
                subject=r.name,
                action=_("作出立项决定"),
                url=reverse("projects:round-detail", args=[r.pk]),
                deadline=time_limit("round-decide", _local(r.deadline)),
            ),
            ("deadline", "pk"),
        ),
        _group(
            "objection-resolve",
            _("公示异议待处理"),
            reverse("projects:round-list"),
            Objection.objects.filter(state=ObjectionState.OPEN).select_related("project"),
            lambda o: WorkItem(
                subject=f"{o.project.title} · {o.objector_name}",
                action=_("核实并处理异议"),
                url=reverse("projects:round-detail", args=[o.project.round_id]) + "#objections",
                deadline=time_limit("objection-resolve", _local(o.created_at)),
            ),
            ("created_at", "pk"),
        ),
        _group(
            "extension-decide",
            _("服务期延期申请待审核"),
            reverse("terms:appointment-list"),
            ExtensionRequest.objects.filter(state=ExtensionState.SUBMITTED).select_related(
                "appointment__expert", "appointment__enterprise"
            ),
            lambda x: WorkItem(
                subject=f"{x.appointment.expert.name}（{x.appointment.enterprise.name}）",
                action=_("审核延期 %(n)d 个月") % {"n": x.months},
                url=reverse("terms:appointment-detail", args=[x.appointment_id]) + "#extensions",
                deadline=time_limit("extension-decide", x.requested_on),
            ),
            ("requested_on", "pk"),
        ),
        _group(
            "support-arrange",
            _("服务保障申请待安排"),
            _url("terms:support-list", state=SupportState.SUBMITTED),
            SupportRequest.objects.filter(state=SupportState.SUBMITTED).select_related("appointment__expert"),
            lambda s: WorkItem(
                subject=f"{s.appointment.expert.name} · {s.get_kind_display()}",
                action=_("安排服务保障"),
                url=reverse("terms:support-detail", args=[s.pk]),
                deadline=time_limit("support-arrange", _local(s.created_at)),
            ),
            ("created_at", "pk"),
        ),
        _group(
            "report-accept",
            _("总结报告待验收结题"),
            reverse("terms:appointment-list"),
            TermReport.objects.filter(state=ReportState.SUBMITTED).select_related(
                "appointment__expert", "appointment__enterprise"
            ),
            lambda t: WorkItem(
                subject=f"{t.appointment.expert.name}（{t.appointment.enterprise.name}）",
                action=_("验收总结报告并结题"),
                url=reverse("terms:appointment-detail", args=[t.appointment_id]) + "#report",
                deadline=time_limit("report-accept", _local(t.updated_at)),
            ),
            ("updated_at", "pk"),
        ),
        _group(
            "evaluation-organise",
            _("期满待组织任职评价"),
            reverse("terms:appointment-list"),
            Appointment.objects.filter(state=AppointmentState.ENDED)
            .exclude(Exists(Evaluation.objects.filter(appointment=OuterRef("pk"))))
            .select_related("expert", "enterprise"),
            lambda a: WorkItem(
                subject=f"{a.expert.name}（{a.enterprise.name}）",
                action=_("组建评价组，组织任职评价"),
                url=reverse("terms:evaluation-create", args=[a.pk]),
                deadline=time_limit("evaluation-organise", a.end_date),
            ),
            ("end_date", "pk"),
        ),
        _group(
            "payment-batch",
            _("到期款项待编入支付批次"),
            reverse("subsidies:payment-due"),
            payment_due_list(),
            lambda p: WorkItem(
                subject=f"{p.payee_name} · {p.purpose}",
                action=_("编入支付批次"),
                url=reverse("subsidies:payment-due"),
                deadline=time_limit("payment-batch", p.due_on),
                note=_yuan(p.amount),
            ),
            ("due_on", "pk"),
        ),
        _group(
            "batch-submit",
            _("支付批次待提交财政审核"),
            _url("subsidies:batch-list", state=PaymentBatchState.DRAFT),
            PaymentBatch.objects.filter(state=PaymentBatchState.DRAFT),
            lambda b: WorkItem(
                subject=f"{b.number} {b.title}",
                action=_("核对并提交财政审核"),
                url=reverse("subsidies:batch-detail", args=[b.pk]),
                deadline=time_limit("batch-submit", _local(b.created_at)),
            ),
            ("created_at", "pk"),
        ),
        _group(
            "matching-remind",
            _("企业配套生活补助逾期未确认"),
            reverse("subsidies:matching-overdue"),
            matching_overdue(as_of=today),
            lambda m: WorkItem(
                subject=_("%(enterprise)s · %(expert)s 第%(n)d个月")
                % {
                    "enterprise": m.appointment.enterprise.name,
                    "expert": m.appointment.expert.name,
                    "n": m.month,
                },
                action=_("催办企业确认"),
                url=reverse("terms:appointment-detail", args=[m.appointment_id]),
                deadline=time_limit("matching-confirm", m.due_on),
                note=_yuan(m.amount),
                remind_url=reverse("worklist:matching-remind", args=[m.pk]),
            ),
            ("due_on", "appointment_id", "month"),
        ),
        _group(
            "award-check",
            _("年度评选申报待审查"),
            reverse("awards:index"),
            AwardApplication.objects.filter(state=ApplicationState.SUBMITTED).select_related("expert"),
            lambda a: WorkItem(
                subject=f"{a.expert.name}",
                action=_("审查评选申报"),
                url=reverse("awards:application-detail", args=[a.pk]),
                deadline=time_limit("award-check", _local(a.submitted_at) or today),
            ),
            ("submitted_at", "pk"),
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


# --- talent office (区人才办) ------------------------------------------------------------------------------


def talent_office_worklist(user) -> list[WorkGroup]:
    from projects.selectors import filing_candidates

    today = timezone.localdate()
    return _keep(
        _group(
            "project-file",
            _("立项项目待备案"),
            reverse("projects:filing-list"),
            filing_candidates(),
            lambda p: WorkItem(
                subject=f"{p.title}（{p.enterprise.name}）",
                action=_("录入备案编号和备案日期"),
                url=reverse("projects:project-detail", args=[p.pk]) + "#filing",
                deadline=time_limit("project-file", p.round.notice_end or _local(p.decided_at) or today)
                if p.round
                else time_limit("project-file", _local(p.decided_at) or today),
            ),
            ("decided_at", "pk"),
        ),
    )


# --- finance (区财政局) ------------------------------------------------------------------------------------


def finance_worklist(user) -> list[WorkGroup]:
    from subsidies.enums import PaymentBatchState
    from subsidies.models import PaymentBatch

    def batches(state, kind, label, action):
        queryset = PaymentBatch.objects.filter(state=state).annotate(amount=Sum("payments__amount"))
        return _group(
            kind,
            label,
            _url("subsidies:batch-list", state=state),
            queryset,
            lambda b: WorkItem(
                subject=f"{b.number} {b.title}",
                action=action,
                url=reverse("subsidies:batch-detail", args=[b.pk]),
                deadline=time_limit(kind, _local(b.updated_at)),
                note=_yuan(b.amount or 0),
            ),
            ("updated_at", "pk"),
        )

    return _keep(
        batches(PaymentBatchState.SUBMITTED, "batch-approve", _("支付批次待审核"), _("审核支付批次")),
        batches(PaymentBatchState.APPROVED, "batch-pay", _("支付批次待支付"), _("支付并登记银行流水号")),
    )


# --- nominator (推荐单位) ----------------------------------------------------------------------------------


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


# --- expert (专家) -----------------------------------------------------------------------------------------


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


# --- enterprise (企业) -------------------------------------------------------------------------------------


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


# --- reviewer (评审专家) -----------------------------------------------------------------------------------


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


# --- working group (专项工作组成员单位) ------------------------------------------------------------


def working_group_worklist(user) -> list[WorkGroup]:
    """Not tasks: the figures the member's unit follows, each a link into the dashboard (two queries).
    Every unit sees the VPs in service and the appointments; the talent bureau also the talent pool, the
    finance bureau the amount paid this year."""
    from experts.models import Expert
    from projects.enums import AppointmentState
    from projects.models import Appointment
    from subsidies.models import Payment

    counts = Appointment.objects.aggregate(
        active=Count("pk", filter=Q(state=AppointmentState.ACTIVE)), total=Count("pk")
    )
    dashboard = reverse("dashboard:index")
    items = []
    if user.working_group_unit == WorkingGroupUnit.TALENT_BUREAU:
        pool = Expert.objects.filter(in_pool=True).count()
        items.append(
            WorkItem(subject=_("人才库专家 %(n)d 人") % {"n": pool}, action=_("查看数据看板"), url=dashboard)
        )
    elif user.working_group_unit == WorkingGroupUnit.FINANCE:
        paid = Payment.objects.filter(paid_on__year=timezone.localdate().year).aggregate(s=Sum("amount"))["s"]
        items.append(
            WorkItem(
                subject=_("本年已支付 %(amount)s") % {"amount": _yuan(paid or 0)},
                action=_("查看数据看板"),
                url=dashboard,
            )
        )
    items += [
        WorkItem(
            subject=_("累计聘任 %(n)d 人次") % {"n": counts["total"]}, action=_("查看数据看板"), url=dashboard
        ),
        WorkItem(
            subject=_("工作报表（Excel）"),
            action=_("下载本年度工作报表"),
            url=reverse("dashboard:report", args=["xlsx"]),
        ),
    ]
    unit = WorkingGroupUnit(user.working_group_unit).label if user.working_group_unit else ""
    return [
        WorkGroup(
            kind="wg-figures",
            label=_("%(unit)s关注的数据") % {"unit": unit} if unit else _("关注的数据"),
            count=counts["active"],
            url=dashboard,
            figure=_("在聘科技副总 %(n)d 人") % {"n": counts["active"]},
            items=tuple(items),
        )
    ]


# --- the three administrators (三员) -----------------------------------------------------------------------


def security_admin_worklist(user) -> list[WorkGroup]:
    from accounts.lockout import locked_attempts
    from core.models import AuditEvent

    since = timezone.now() - timezone.timedelta(days=7)
    groups = [
        _group(
            "lockout-release",
            _("被锁定的登录"),
            reverse("accounts:lockout-list"),
            locked_attempts(),
            lambda a: WorkItem(
                subject=f"{a.username}（{a.ip_address}）",
                action=_("核实后解除锁定"),
                url=reverse("accounts:lockout-list"),
            ),
            ("-attempt_time", "pk"),
        ),
    ]
    events = AuditEvent.objects.filter(
        created_at__gte=since, action__in=("access.denied", "login.failure", "login.lockout")
    ).count()
    groups.append(
        WorkGroup(
            kind="security-events",
            label=_("近7天安全事件"),
            count=events,
            figure=_("%(n)d 次") % {"n": events},
            url=reverse("accounts:lockout-list"),
            items=(
                WorkItem(
                    subject=_("用户账号"), action=_("查看账号"), url=reverse("admin:accounts_user_changelist")
                ),
                WorkItem(
                    subject=_("用户角色"),
                    action=_("授予或收回角色"),
                    url=reverse("admin:accounts_userrole_changelist"),
                ),
            ),
        )
    )
    return _keep(*groups)


def audit_admin_worklist(user) -> list[WorkGroup]:
    from core.models import AuditEvent

    today = timezone.localdate()
    counts = AuditEvent.objects.aggregate(
        today=Count("pk", filter=Q(created_at__date=today)),
        denied=Count("pk", filter=Q(created_at__date=today, action="access.denied")),
    )
    return [
        WorkGroup(
            kind="audit-review",
            label=_("今日审计日志"),
            count=counts["today"],
            figure=_("%(n)d 条") % {"n": counts["today"]},
            url=reverse("core:audit-list"),
            items=(
                WorkItem(
                    subject=_("越权访问 %(n)d 次") % {"n": counts["denied"]},
                    action=_("审阅越权访问记录"),
                    url=_url("core:audit-list", action="access.denied"),
                ),
                WorkItem(subject=_("全部审计日志"), action=_("审阅并导出"), url=reverse("core:audit-list")),
            ),
        )
    ]


def system_admin_worklist(user) -> list[WorkGroup]:
    from accounts.models import User

    inactive = User.objects.filter(is_active=False).count()
    return [
        WorkGroup(
            kind="system-accounts",
            label=_("停用的账号"),
            count=inactive,
            figure=_("%(n)d 个") % {"n": inactive},
            url=reverse("admin:accounts_user_changelist") + "?is_active__exact=0",
            items=(
                WorkItem(
                    subject=_("用户账号"),
                    action=_("新建、停用账号"),
                    url=reverse("admin:accounts_user_changelist"),
                ),
                WorkItem(subject=_("系统管理"), action=_("系统设置与参考数据"), url=reverse("admin:index")),
            ),
        )
    ]


WORKLISTS = {
    Role.COMMISSION: commission_worklist,
    Role.TALENT_OFFICE: talent_office_worklist,
    Role.FINANCE: finance_worklist,
    Role.NOMINATOR: nominator_worklist,
    Role.EXPERT: expert_worklist,
    Role.ENTERPRISE: enterprise_worklist,
    Role.REVIEWER: reviewer_worklist,
    Role.WORKING_GROUP: working_group_worklist,
    Role.SECURITY_ADMIN: security_admin_worklist,
    Role.AUDIT_ADMIN: audit_admin_worklist,
    Role.SYSTEM_ADMIN: system_admin_worklist,
}
