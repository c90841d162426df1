"""The main list queries are answered from indexes, not by reading the big tables (issue 11).

A few thousand generated rows (bench data generator), fresh statistics (ANALYZE), and PostgreSQL's own
plan choice — no `enable_seqscan = off` — for one page of: the talent pool (filtered page 1 and a deep
keyset page), the enterprises list, the appointments list and an expert's allowance payments.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from accounts.enums import Role
from core.pagination import _seek
from enterprises.selectors import enterprise_list
from experts.models import Expert
from experts.selectors import pool_list
from subsidies.models import AllowancePayment
from terms.selectors import appointment_list
from tests.factories.accounts import UserFactory

BIG = {
    "experts_expert",
    "experts_nomination",
    "enterprises_enterprise",
    "projects_project",
    "projects_appointment",
    "subsidies_allowancepayment",
}

pytestmark = pytest.mark.django_db


def plan_nodes(queryset) -> list[dict]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    return nodes


@pytest.fixture
def big_data(db):
    """Rows inserted by the test's own transaction count for ANALYZE: the plans see real statistics."""
    call_command("generate_bench_data", experts=4000, enterprises=1000, appointments=1000)
    with connection.cursor() as cursor:
        for table in sorted(BIG):
            cursor.execute(f"ANALYZE {table}")


def queries():
    user = UserFactory(roles=[Role.COMMISSION])
    discipline = (
        Expert.objects.filter(in_pool=True)
        .values("discipline")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["discipline"]
    )
    pool = pool_list(user)
    boundary = pool.order_by("name", "id").values_list("name", "id")[2000]
    expert = Expert.objects.filter(appointments__isnull=False).first()
    return {
        "pool, filtered page 1": (
            pool.filter(discipline=discipline).order_by("name", "id")[:21],
            "experts_expert",
        ),
        "pool, keyset page 100": (
            pool.filter(_seek(("name", "id"), boundary, forward=True)).order_by("name", "id")[:21],
            "experts_expert",
        ),
        "pool, by admission": (pool.order_by("-admitted_at", "-id")[:21], "experts_expert"),
        "enterprises": (enterprise_list(user=user)[:30], "enterprises_enterprise"),
        "appointments": (appointment_list(user=user)[:20], "projects_appointment"),
        "allowance payments": (
            AllowancePayment.objects.filter(appointment__expert=expert)
            .select_related("payment", "appointment__enterprise")
            .order_by("-period_start", "kind")[:50],
            "subsidies_allowancepayment",
        ),
    }


def test_main_list_queries_use_indexes_and_never_scan_a_big_table(big_data):
    assert Expert.objects.count() == 4000
    for label, (queryset, main_table) in queries().items():
        nodes = plan_nodes(queryset)
        scans = [
            (n["Node Type"], n.get("Relation Name"), n.get("Index Name"))
            for n in nodes
            if "Relation Name" in n
        ]
        seq = [s for s in scans if s[0] == "Seq Scan" and s[1] in BIG]
        assert not seq, f"{label}: sequential scan of {seq} in {scans}"
        on_main = [s for s in scans if s[1] == main_table]
        assert on_main and all("Index" in s[0] for s in on_main), f"{label}: {scans}"
