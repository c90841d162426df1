"""Mail that never breaks the action that caused it (issue 18 item 2).

`mail_queue(subject, body, recipients)` is called inside the transaction of a business action; after the
commit the message goes to the Celery task `core.mail.mail_send`, which retries with exponential backoff
(30 s, 60 s, … up to an hour, jittered, 8 attempts) while the SMTP server is down. In the embedded
default (no broker, tasks inline) it is sent inline, once, and a failure is logged instead of raised —
the user's saved action is never turned into a 500 by the mail server. When the broker itself is down,
the message is tried inline once as well. The callback is registered `robust`, so the other after-commit
work of the same transaction (documents, other mails) still runs whatever happens here.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger("core.mail")

MAX_RETRIES = 8


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
)
def mail_send(self, subject: str, body: str, recipients: list[str]) -> int:
    """Send one message (a worker task: an SMTP failure raises and Celery retries with backoff)."""
    return send_mail(subject, body, None, recipients, fail_silently=False)


def mail_send_now(subject: str, body: str, recipients: list[str]) -> bool:
    """One inline attempt; a failure is logged (with the recipients' count, not their addresses)."""
    try:
        send_mail(subject, body, None, recipients, fail_silently=False)
    except Exception:  # any backend error: SMTP, DNS, TLS, timeouts
        logger.exception("邮件发送失败（%s 位收件人，主题：%s）", len(recipients), subject)
        return False
    return True


def mail_deliver(subject: str, body: str, recipients: list[str]) -> None:
    """Hand the message to the worker, or send it inline in the embedded default; never raises."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        mail_send_now(subject, body, recipients)
        return
    try:
        mail_send.delay(subject, body, recipients)
    except Exception:  # the broker is down: one inline attempt rather than nothing
        logger.exception("邮件任务无法排队，改为直接发送一次")
        mail_send_now(subject, body, recipients)


def mail_queue(subject, body, recipients) -> None:
    """Send after the current transaction commits (now when there is none)."""
    subject, body, recipients = str(subject), str(body), [str(r) for r in recipients if r]
    if not recipients:
        return
    transaction.on_commit(lambda: mail_deliver(subject, body, recipients), robust=True)
