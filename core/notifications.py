"""Notify a user: an in-portal notification plus an email, sent after the transaction commits (core.mail:
a Celery task with retries; a mail outage never fails the action)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .http import site_url
from .mail import mail_queue
from .models import Notification


def notification_send(*, recipient, title: str, body: str = "", link: str = "", dedupe_key: str = "",
                      email: bool = True) -> Notification | None:
    """Create the notification; returns None when a reminder with the same dedupe_key was already sent."""
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=recipient, title=str(title), body=str(body), link=link, dedupe_key=dedupe_key
            )
    except IntegrityError:
        if dedupe_key:
            return None
        raise
    if email and recipient.email:
        url = f"{site_url()}{link}" if link else site_url()
        message = f"{body}\n\n{url}" if body else url
        mail_queue(title, message, [recipient.email])
    return note
