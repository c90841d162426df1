"""Scheduled work: intent expiry (beat job and management command) and the index rebuild task, inline
and on a real Celery worker against Redis."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from config.celery import app
from enterprises import matching, tasks
from enterprises.enums import DemandState, IntentState
from enterprises.models import Demand, Intent
from tests.factories.enterprises import DemandFactory, IntentFactory, expert_user, make_expert


def test_expiry_job_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["enterprises-expire-intents"]
    assert entry["task"] == "enterprises.tasks.intents_expire"
    assert entry["task"] in app.tasks


@pytest.mark.django_db
def test_intents_expire_task_expires_and_closes():
    expert = expert_user(name="专家甲")
    stale = IntentFactory(expert=expert, expires_at=timezone.now() - timedelta(hours=1))
    live = IntentFactory(expert=expert, demand=DemandFactory())
    old_demand = DemandFactory(deadline=timezone.localdate() - timedelta(days=2))
    assert tasks.intents_expire() == 1
    assert Intent.objects.get(pk=stale.pk).state == IntentState.EXPIRED
    assert Intent.objects.get(pk=live.pk).state == IntentState.PENDING
    assert Demand.objects.get(pk=old_demand.pk).state == DemandState.CLOSED


@pytest.mark.django_db
def test_expire_intents_command():
    IntentFactory(expires_at=timezone.now() - timedelta(days=1))
    out = StringIO()
    call_command("expire_intents", stdout=out)
    assert out.getvalue().strip() == "expired intents: 1; closed demands: 0"
    call_command("expire_intents", stdout=out)
    assert out.getvalue().strip().endswith("expired intents: 0; closed demands: 0")


@pytest.mark.django_db
def test_rebuild_matching_index_command():
    make_expert("林书恒", research_fields="储能", index=False)
    out = StringIO()
    call_command("rebuild_matching_index", "--retokenize", stdout=out)
    assert out.getvalue().splitlines() == ["re-segmented: 1", "experts: 1 documents", "demands: 0 documents"]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_worker_rebuilds_the_index_and_this_process_picks_it_up(redis_celery):
    cache.clear()
    matching._local.clear()
    make_expert("林书恒", research_fields="储能系统集成")
    assert tasks.matching_index_rebuild.delay("experts").get(timeout=30) == 1
    version = cache.get(matching._version_key("experts"))
    assert version is not None
    assert len(matching.get_index("experts")) == 1  # loaded from the blob the worker stored
    assert matching._local["experts"][0] == version
