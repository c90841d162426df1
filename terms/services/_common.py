"""The private helpers the service-term writes share: today's date, the appointment's page link, notifying a
set of users, and locking an appointment row.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from core.notifications import Msg, UserText, notification_send
from projects.models import Appointment


def _today() -> date:
    return timezone.localdate()


def _link(appointment) -> str:
    return reverse("terms:appointment-detail", args=[appointment.pk])


def _notify(users, *, title: Msg, body: Msg | UserText = "", link: str = "", dedupe_key: str = "") -> int:
    sent = 0
    for user in users:
        if notification_send(recipient=user, title=title, body=body, link=link, dedupe_key=dedupe_key):
            sent += 1
    return sent


def _lock_appointment(appointment) -> Appointment:
    return Appointment.objects.select_for_update().get(pk=appointment.pk)
