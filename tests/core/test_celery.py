"""A real Celery worker, against Redis, runs a task and its result comes back."""

import os
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.sessions.models import Session
from django.utils import timezone

from config.celery import app
from core.tasks import purge_expired_sessions


def _reset_connections(app):
    """Forget the result backend and broker pools cached while tasks ran eagerly earlier in the run."""
    app._local.__dict__.pop("backend", None)
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture
def redis_celery():
    url = os.environ["REDIS_URL"]
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    _reset_connections(app)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            yield app
    finally:
        app.conf.update(saved)
        _reset_connections(app)


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
