"""The nightly credit job: scheduled in beat, registered with Celery, and the same as the command."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from config.celery import app
from credit import tasks
from credit.enums import CreditState
from credit.models import CreditRecord
from tests.factories import credit as cf
from tests.factories import terms as tf


def test_nightly_job_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["credit-nightly"]
    assert entry["task"] == "credit.tasks.credit_nightly"
    assert entry["task"] in app.tasks


@pytest.mark.django_db
def test_task_and_command_expire_and_propose(capsys):
    appt = tf.appointment()
    long_ago = timezone.localdate() - timedelta(days=400)
    old = cf.record(appt.expert, state=CreditState.CONFIRMED, occurred_on=long_ago)
    assert tasks.credit_nightly() == {"proposed": 0, "expired": 1}
    assert CreditRecord.objects.get(pk=old.pk).state == CreditState.EXPIRED
    call_command("credit_nightly", "--date", timezone.localdate().isoformat())
    assert "proposed 0, expired 0" in capsys.readouterr().out
