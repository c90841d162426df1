"""core.dataversion (issue 20): which statements move which scope, and cached values never outliving a
write — outside a transaction, inside one (private to it), after its commit and after its rollback."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from core import dataversion
from experts.models import Discipline, Institution

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sql", "scopes"),
    [
        ('INSERT INTO "experts_expert" ("name") VALUES (%s)', {"dashboard", "pool"}),
        ('UPDATE "experts_institution" SET "name" = %s',
         {"dashboard", "pool", "choices:experts.institution"}),
        ('DELETE FROM "experts_discipline" WHERE "id" = 1',
         {"dashboard", "pool", "choices:experts.discipline"}),
        ("INSERT INTO subsidies_allowancepayment (x) SELECT 1", {"dashboard"}),
        ('TRUNCATE "core_notification", "experts_expert" CASCADE', {"dashboard", "pool"}),
        ('WITH t AS (SELECT 1) UPDATE "projects_project" SET "state" = %s', {"dashboard"}),
        ('SELECT * FROM "experts_expert" FOR UPDATE', set()),
        ('UPDATE "django_session" SET "session_data" = %s', set()),
        ('INSERT INTO "core_auditevent" ("action") VALUES (%s)', set()),
    ],
)
def test_scopes_written(sql, scopes):
    assert dataversion.scopes_written(sql) == scopes


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return Institution.objects.count()

    return calls, compute


def test_a_write_in_the_transaction_is_seen_by_its_next_read_and_each_further_write_too():
    calls, compute = _counter()
    first = dataversion.cached("dashboard", "t1", compute)
    assert dataversion.cached("dashboard", "t1", compute) == first and len(calls) == 1  # a hit
    Institution.objects.create(name="新大学")  # the test's transaction: uncommitted
    assert dataversion.cached("dashboard", "t1", compute) == first + 1
    assert dataversion.cached("dashboard", "t1", compute) == first + 1 and len(calls) == 2  # private hit
    Institution.objects.filter(name="新大学").update(name="新大学二")
    Institution.objects.create(name="又一所")
    assert dataversion.cached("dashboard", "t1", compute) == first + 2 and len(calls) == 3


def test_bulk_and_raw_writes_move_the_version():
    before = dataversion.version("choices:experts.discipline")
    Discipline.objects.bulk_create([Discipline(code="99901", name="测试学科")])
    with connection.cursor() as cursor:
        cursor.execute('UPDATE "experts_discipline" SET "name" = %s WHERE "code" = %s', ["改名", "99901"])
    Discipline.objects.filter(code="99901").delete()
    assert dataversion.version("choices:experts.discipline") > before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_commit_moves_the_version_again_and_rollback_leaves_nothing_behind():
    calls, compute = _counter()
    base = dataversion.cached("dashboard", "t2", compute)
    seen = {}
    with transaction.atomic():
        Institution.objects.create(name="事务内")
        seen["inside"] = dataversion.version("dashboard")
        assert dataversion.cached("dashboard", "t2", compute) == base + 1  # its own rows, privately
    assert dataversion.version("dashboard") > seen["inside"]  # moved again after the commit
    assert dataversion.cached("dashboard", "t2", compute) == base + 1
    with transaction.atomic():
        Institution.objects.create(name="回滚")
        assert dataversion.cached("dashboard", "t2", compute) == base + 2
        transaction.set_rollback(True)
    n = len(calls)
    assert dataversion.cached("dashboard", "t2", compute) == base + 1  # not the rolled-back figure
    assert dataversion.cached("dashboard", "t2", compute) == base + 1 and len(calls) <= n + 1
    # outside a transaction (autocommit) a write moves it at once
    Institution.objects.filter(name="事务内").delete()
    assert dataversion.cached("dashboard", "t2", compute) == base


def test_a_lost_version_key_starts_beyond_every_old_one():
    from django.core.cache import cache

    old = dataversion.version("dashboard")
    cache.delete(dataversion._key("dashboard"))
    assert dataversion.version("dashboard") > old


def test_an_unreachable_cache_never_fails_a_write_nor_a_read(monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    for name in ("get", "get_many", "incr", "set", "add"):
        monkeypatch.setattr(cache, name, down)
    Institution.objects.create(name="缓存不可用")  # the write goes through
    assert dataversion.cached("dashboard", "t3", Institution.objects.count) >= 1  # computed
    from core.filters import _select_options
    from experts.filters import PoolFilter
    from experts.models import Expert

    form = PoolFilter(data={}, queryset=Expert.objects.none()).form
    assert any("缓存不可用" in html for _v, html, _s in _select_options(form["institution"]))
