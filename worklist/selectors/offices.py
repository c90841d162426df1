"""The work lists of the district offices: the talent office (备案), the finance bureau (payment batches) and
the working group's member units (figures, not tasks).
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import WorkingGroupUnit
from core.navigation import WorkGroup, WorkItem

from ..policy import time_limit
from ._common import _keep, _local, _tasks, _url, _yuan


def talent_office_worklist(user) -> list[WorkGroup]:
    from projects.selectors import filing_candidates

    today = timezone.localdate()
    return _keep(
        _tasks(
            "project-file", _("立项项目待备案"), reverse("projects:filing-list"),
            filing_candidates(), "decided_at",
            subject=lambda p: f"{p.title}（{p.enterprise.name}）",
            action=_("录入备案编号和备案日期"),
            url=lambda p: reverse("projects:project-detail", args=[p.pk]) + "#filing",
            deadline=lambda p: time_limit(
                "project-file", (p.round and p.round.notice_end) or _local(p.decided_at) or today
            ),
        ),
    )


def finance_worklist(user) -> list[WorkGroup]:
    from subsidies.enums import PaymentBatchState
    from subsidies.models import PaymentBatch

    def batches(state, kind, label, action):
        queryset = PaymentBatch.objects.filter(state=state).annotate(amount=Sum("payments__amount"))
        return _tasks(
            kind, label, _url("subsidies:batch-list", state=state), queryset, "updated_at",
            subject=lambda b: f"{b.number} {b.title}",
            action=action,
            url=lambda b: reverse("subsidies:batch-detail", args=[b.pk]),
            note=lambda b: _yuan(b.amount or 0),
        )

    return _keep(
        batches(PaymentBatchState.SUBMITTED, "batch-approve", _("支付批次待审核"), _("审核支付批次")),
        batches(PaymentBatchState.APPROVED, "batch-pay", _("支付批次待支付"), _("支付并登记银行流水号")),
    )


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
