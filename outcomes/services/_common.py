"""What the outcome services share (one place, never copied): today's date, notifying a set of users,
a term's last day and whether the term is completed (结题).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from core.notifications import Msg, UserText, notification_send
from projects.enums import AppointmentState


def _today() -> date:
    return timezone.localdate()


def _notify(users, *, title: Msg, body: Msg | UserText = "", link: str = "", dedupe_key: str = "") -> int:
    return sum(
        1
        for user in users
        if notification_send(recipient=user, title=title, body=body, link=link, dedupe_key=dedupe_key)
    )


def term_end(appointment) -> date:
    """The term's last day: the termination date of a terminated term, else its end date."""
    if appointment.state == AppointmentState.TERMINATED and appointment.terminated_on:
        return appointment.terminated_on
    return appointment.end_date


def _completed(appointment) -> bool:
    from terms.models import Completion

    return Completion.objects.filter(appointment_id=appointment.pk).exists()
