"""The work list's one action of its own: the commission's reminder (催办) to an enterprise whose matching
allowance payment is overdue for confirmation."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit
from core.exceptions import PolicyError
from core.notifications import Msg, notification_send


def matching_remind(*, allowance, by, ip_address: str | None = None) -> int:
    """Remind every member of the enterprise to pay and confirm one matching allowance month; at most one
    reminder per month and day (a second click the same day sends nothing). Returns the reminders sent."""
    if allowance.confirmed_on is not None:
        raise PolicyError(_("该月配套生活补助已确认，无需催办。"))
    appointment = allowance.appointment
    today = timezone.localdate()
    title = Msg(
        gettext_lazy("请确认企业配套生活补助：%(expert)s 第%(n)d个月"),
        expert=appointment.expert.name,
        n=allowance.month,
    )
    body = Msg(
        gettext_lazy(
            "区科委提醒：%(expert)s 第%(n)d个月（%(start)s 至 %(end)s）的企业配套生活补助 %(amount)s 元"
            "已于 %(due)s 到期，请支付后在平台确认。"
        ),
        expert=appointment.expert.name,
        n=allowance.month,
        start=allowance.period_start.isoformat(),
        end=allowance.period_end.isoformat(),
        amount=allowance.amount,
        due=allowance.due_on.isoformat(),
    )
    sent = 0
    with transaction.atomic():
        for member in appointment.enterprise.members.select_related("user"):
            note = notification_send(
                recipient=member.user,
                title=title,
                body=body,
                link=reverse("subsidies:enterprise-money") + "#matching-table",
                dedupe_key=f"matching-remind:{allowance.pk}:{today.isoformat()}",
            )
            sent += note is not None
        audit(
            by,
            "allowancepayment.remind",
            allowance,
            summary=_("催办企业确认配套生活补助：%(enterprise)s")
            % {"enterprise": appointment.enterprise.name},
            data={"sent": sent},
            ip_address=ip_address,
        )
    return sent
