"""The work lists of the three administrators (三员): security, audit and system."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.navigation import WorkGroup, WorkItem

from ._common import _group, _keep, _url


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
