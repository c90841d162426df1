"""Issue 18 item 2 — mail outages. Mail goes out after the commit through core.mail: a Celery task with
retries and backoff (inline in the embedded default), never raising into the request; the other
after-commit work of the same transaction still runs. The SMTP server is replaced by a backend that
raises, as a refused connection would."""

from __future__ import annotations

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from core.mail import MAX_RETRIES, mail_queue, mail_send
from core.models import Notification
from core.notifications import Msg, UserText, notification_send
from experts import services
from experts.models import Nomination
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.experts import make_nomination, nominator

RAISING = "tests.core.test_mail.RaisingBackend"


class RaisingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    sent_attempts = 0

    def send_messages(self, email_messages):
        RaisingBackend.sent_attempts += 1
        raise smtplib.SMTPConnectError(421, "Service not available")


@pytest.mark.django_db(transaction=True)
def test_a_mail_outage_does_not_turn_a_saved_action_into_a_500(client, settings, caplog):
    """The commission returns a nomination (the institution's members are mailed): the SMTP server is
    down, yet the page answers as usual, the return is saved, the in-portal notice exists, and the
    failure is logged."""
    settings.EMAIL_BACKEND = RAISING
    member = nominator()
    member.email = "member@example.com"
    member.save(update_fields=["email"])
    staff = UserFactory(roles=[Role.COMMISSION])
    nomination = services.nomination_submit(nomination=make_nomination(by=member), by=member)
    otp_login(client, staff)
    RaisingBackend.sent_attempts = 0
    with caplog.at_level(logging.ERROR, logger="core.mail"):
        response = client.post(
            reverse("experts:nomination-return", args=[nomination.pk]),
            {"reason": "请补充职称证明"},
        )
    assert response.status_code == 302
    assert Nomination.objects.get(pk=nomination.pk).state == "returned"
    assert Notification.objects.filter(recipient=member, title__contains="退回").exists() or (
        Notification.objects.filter(recipient=member).exists()
    )
    assert RaisingBackend.sent_attempts == 1
    assert "邮件发送失败" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_other_after_commit_work_still_runs_when_mail_fails(settings):
    settings.EMAIL_BACKEND = RAISING
    user = UserFactory(email="someone@example.com")
    done = []
    with transaction.atomic():
        transaction.on_commit(lambda: done.append("before"))
        notification_send(recipient=user, title=Msg(gettext_lazy("通知")), body=UserText("正文"))
        mail_queue("另一封", "正文", ["other@example.com"])
        transaction.on_commit(lambda: done.append("after"))
    assert done == ["before", "after"]
    assert Notification.objects.filter(recipient=user).count() == 1


@pytest.mark.django_db(transaction=True)
def test_mail_is_sent_after_commit_and_not_on_rollback(settings):
    user = UserFactory(email="someone@example.com")
    with transaction.atomic():
        notification_send(recipient=user, title=Msg(gettext_lazy("通知")), body=UserText("正文"))
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [["someone@example.com"]]
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_queue("不发", "正文", ["x@example.com"])
        raise RuntimeError
    assert len(mail.outbox) == 1


def test_the_worker_task_retries_with_backoff():
    """With a broker, the task retries any backend error: exponential backoff from 30 s, capped at an
    hour, jittered, MAX_RETRIES attempts."""
    assert mail_send.autoretry_for == (Exception,)
    assert mail_send.max_retries == MAX_RETRIES == 8
    assert mail_send.retry_backoff == 30
    assert mail_send.retry_backoff_max == 3600
    assert mail_send.retry_jitter is True


@pytest.mark.django_db(transaction=True)
def test_with_a_broker_the_mail_goes_to_the_task_and_a_down_broker_falls_back_inline(settings, caplog):
    """CELERY_TASK_ALWAYS_EAGER off and a broker that refuses connections: the message is tried inline
    once (here the locmem backend takes it) and the request goes on."""
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    old = app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_connection_retry_on_startup
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    app.conf.task_always_eager = False
    app.conf.broker_transport_options = {"max_retries": 0}
    try:
        with caplog.at_level(logging.ERROR, logger="core.mail"), transaction.atomic():
            mail_queue("标题", "正文", ["x@example.com"])
    finally:
        app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_connection_retry_on_startup = old
        app.conf.broker_transport_options = {}
    assert [m.subject for m in mail.outbox] == ["标题"]
    assert "无法排队" in caplog.text


def test_the_worker_knows_the_mail_task():
    """A worker imports core.tasks (autodiscovery), which registers core.mail.mail_send."""
    import core.tasks  # noqa: F401
    from config.celery import app

    assert "core.mail.mail_send" in app.tasks
