"""Notify a user: an in-portal notification plus an email, sent after the transaction commits."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .http import site_url
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
        transaction.on_commit(
            lambda: send_mail(str(title), message, None, [recipient.email], fail_silently=False)
        )
    return note
