"""A real Celery worker, against Redis, runs a task and its result comes back."""

import os
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.tasks import purge_expired_sessions


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_worker_runs_task_against_redis(redis_celery):
    past = timezone.now() - timedelta(days=1)
    Session.objects.create(session_key="expired-one", session_data="x", expire_date=past)
    future = timezone.now() + timedelta(days=1)
    Session.objects.create(session_key="still-valid", session_data="x", expire_date=future)
    result = purge_expired_sessions.delay()
    assert result.get(timeout=30) == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["still-valid"]


def test_tasks_run_inline_without_broker(settings):
    from django.conf import settings as conf

    if not os.environ.get("CELERY_BROKER_URL"):
        assert conf.CELERY_TASK_ALWAYS_EAGER is True
