"""Query-count guards of the staff list pages (issue 11): a page with twice the rows runs the same number
of SQL queries (no N+1), and no more than its bound.

The rows come from the bench data generator (experts with nominations, enterprises, projects,
appointments and their allowance rows) plus a few factories; every count stays below the pages' page
size (20), so that doubling the rows doubles what each page shows.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from core.audit import audit
from core.notifications import Msg, notification_send
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.enterprises import DemandFactory
from tests.factories.subsidies import PaymentBatchFactory, PaymentFactory

# url name, query parameters, bound on the queries of one page
PAGES = [
    ("experts:nomination-list", {"state": "admitted"}, 14),
    ("experts:expert-list", {}, 12),
    ("experts:institution-list", {}, 12),
    ("enterprises:enterprise-list", {}, 14),
    ("enterprises:demand-list", {}, 14),
    ("projects:project-list", {}, 16),
    ("terms:appointment-list", {}, 16),
    ("subsidies:payment-due", {}, 16),
    ("subsidies:batch-list", {}, 14),
    ("projects:round-list", {}, 14),
    ("core:audit-list", {}, 12),
    # + one query per kind of task among the notifications, to settle the unread ones and to mark the
    # page's (worklist: 待办理 / 已办结) — bounded by the kinds registered, never by the rows
    ("core:notification-list", {}, 16),
]
STAFF_ROLES = [Role.COMMISSION, Role.TALENT_OFFICE, Role.FINANCE, Role.AUDIT_ADMIN]


def _world(n: int, user):
    """`n` rows of everything the pages list."""
    from tests.factories.projects import review_round

    call_command("generate_bench_data", experts=n + 5, enterprises=n, appointments=n, stdout=None)
    for i in range(n):
        DemandFactory()
        PaymentBatchFactory()
        PaymentFactory()
        review_round()
        audit(user, "bench.row", None, summary=f"第{i}条")
        notification_send(
            recipient=user, title=Msg(gettext_lazy("新的专家推荐：%(name)s"), name=f"专家{i}"), email=False
        )


def _warm(client, name, params):
    """A first request builds the filter options (core.filters, once per change of their rows)."""
    client.get(reverse(name), params)


def _queries(client, name, params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(name), params)
    assert response.status_code == 200, (name, response.status_code, response.get("Location"))
    return len(ctx.captured_queries), response.content.count(b"<tr") + response.content.count(
        b"list-group-item"
    )


@pytest.fixture
def staff_client(client):
    user = UserFactory(roles=STAFF_ROLES)
    otp_login(client, user)
    client.user = user
    return client


@pytest.mark.django_db
def test_staff_list_pages_run_the_same_queries_for_twice_the_rows(
    staff_client, django_assert_max_num_queries
):
    _world(6, staff_client.user)
    small = {}
    for name, params, _ in PAGES:
        _warm(staff_client, name, params)
        small[name] = _queries(staff_client, name, params)
    from bench.generate import reset

    reset()
    _world(12, staff_client.user)
    for name, params, bound in PAGES:
        _warm(staff_client, name, params)
        with django_assert_max_num_queries(bound, info=name):
            count, rows = _queries(staff_client, name, params)
        assert count == small[name][0], f"{name}: {small[name][0]} queries for fewer rows, {count} for more"
        # more rows shown (a page already full — the reference institutions — stays full)
        assert rows > small[name][1] or rows == small[name][1] >= 20, (name, small[name][1], rows)
