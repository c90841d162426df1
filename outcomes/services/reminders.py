"""The quarterly reminder to both sides of a term in its reporting window to report their outcomes."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy

from core.notifications import Msg
from projects.enums import AppointmentState
from projects.models import Appointment
from terms import selectors as term_selectors

from .. import policy
from ._common import _notify, _today, term_end


def reminders_send(*, as_of: date | None = None) -> int:
    """Remind the enterprise and the expert of every term in its reporting window to report outcomes,
    once a quarter: the notification's dedupe key (unique per recipient in the database) makes a second
    run, or two workers at once, send nothing. Returns the number of notifications created."""
    from terms.models import Completion

    as_of = as_of or _today()
    sent = 0
    completed = set(Completion.objects.values_list("appointment_id", flat=True))
    earliest = as_of - timedelta(days=policy.GRACE_DAYS)
    appointments = (
        Appointment.objects.filter(
            state__in=[AppointmentState.ACTIVE, AppointmentState.ENDED, AppointmentState.TERMINATED],
            start_date__lte=as_of,
        )
        .filter(end_date__gte=earliest)
        .select_related("expert", "enterprise")
    )
    for appointment in appointments:
        quarter = policy.quarterly_reminder_due(
            today=as_of,
            term_start=appointment.start_date,
            term_end=term_end(appointment),
            completed=appointment.pk in completed,
        )
        if quarter is None:
            continue
        link = reverse("outcomes:outcome-create", args=[appointment.pk])
        users = {
            u.pk: u
            for u in [
                *term_selectors.enterprise_users(appointment.enterprise),
                *term_selectors.expert_users(appointment.expert),
            ]
        }
        sent += _notify(
            [users[k] for k in sorted(users)],
            title=gettext_lazy("请填报本季度的服务成果"),
            body=Msg(
                gettext_lazy(
                    "%(expert)s在%(enterprise)s的服务期内取得的专利、技术合同、新产品等成果，请及时填报并上传证明材料。"
                ),
                expert=appointment.expert.name,
                enterprise=appointment.enterprise.name,
            ),
            link=link,
            dedupe_key=f"outcomes:quarterly:{appointment.pk}:{quarter}",
        )
    return sent
