"""Issue 20: the cached pages are never stale after a write. Real commits (a transactional test), so the
caches are stored and shared exactly as between two production requests: each write — an ORM save,
QuerySet.update(), bulk_create, raw SQL, a delete, a committed transaction — is followed by reads of every
cached page as each role that sees it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import Role
from experts.models import Discipline, Expert, Institution
from tests.factories import projects as pf
from tests.factories.accounts import UserFactory, otp_login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DASHBOARD_ROLES = [Role.COMMISSION, Role.TALENT_OFFICE, Role.FINANCE, Role.WORKING_GROUP]
# the first row of the experts-by-kind table: every pool expert
POOL_TOTAL = re.compile(r'data-section="experts_by_kind">.*?<td class="text-end" data-count>(\d+)<', re.S)


def _clients(roles) -> dict:
    clients = {}
    for role in roles:
        client = Client()
        otp_login(client, UserFactory(roles=[role]))
        clients[role] = client
    return clients


def _pool_total(client) -> int:
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    html = response.content.decode()
    found = POOL_TOTAL.search(html)
    assert found, html[html.find('data-section="experts_by_kind"') :][:1500]
    return int(found.group(1))


def _everyone_sees(clients, expected: int) -> None:
    for role, client in clients.items():
        assert _pool_total(client) == expected, role


def test_dashboard_is_cached_and_fresh_after_every_kind_of_write():
    clients = _clients(DASHBOARD_ROLES)
    institution = Institution.objects.create(name="缓存大学", is_985=True)
    base = _pool_total(clients[Role.COMMISSION])
    _everyone_sees(clients, base)
    # warm: the aggregates are not queried again
    with CaptureQueriesContext(connection) as ctx:
        assert _pool_total(clients[Role.FINANCE]) == base
    assert not any("experts_expert" in q["sql"] for q in ctx.captured_queries)
    # the role flags are part of the key: links for the commission only
    commission = clients[Role.COMMISSION].get(reverse("dashboard:index")).content.decode()
    finance = clients[Role.FINANCE].get(reverse("dashboard:index")).content.decode()
    assert "/experts/pool/?institution_kind=" in commission
    assert "/experts/pool/?institution_kind=" not in finance

    expert = pf.expert(institution_obj=institution)  # ORM save
    _everyone_sees(clients, base + 1)
    Expert.objects.filter(pk=expert.pk).update(in_pool=False)  # QuerySet.update()
    _everyone_sees(clients, base)
    with connection.cursor() as cursor:  # raw SQL through Django's cursor
        cursor.execute('UPDATE "experts_expert" SET "in_pool" = true WHERE "id" = %s', [expert.pk])
    _everyone_sees(clients, base + 1)
    with transaction.atomic():  # a transaction: seen once committed
        Expert.objects.filter(pk=expert.pk).update(in_pool=False)
        pf.expert(institution_obj=institution)
    _everyone_sees(clients, base + 1)
    Expert.objects.filter(institution=institution).delete()  # delete
    _everyone_sees(clients, base)


def test_pool_filter_options_follow_their_tables():
    client = _clients([Role.COMMISSION])[Role.COMMISSION]
    institution = Institution.objects.create(name="旧名大学")
    url = reverse("experts:expert-list")
    assert "旧名大学" in client.get(url).content.decode()
    assert "旧名大学" in client.get(url).content.decode()  # warm
    institution.name = "新名大学"
    institution.save()
    page = client.get(url).content.decode()
    assert "新名大学" in page and "旧名大学" not in page
    Institution.objects.filter(pk=institution.pk).update(name="再改名大学")
    page = client.get(url).content.decode()
    assert "再改名大学" in page and "新名大学" not in page
    Discipline.objects.bulk_create([Discipline(code="99902", name="缓存测试学科")])
    assert "缓存测试学科" in client.get(url).content.decode()
    Discipline.objects.filter(code="99902").delete()
    assert "缓存测试学科" not in client.get(url).content.decode()


def test_menu_is_per_role_set_and_language():
    clients = _clients([Role.COMMISSION, Role.FINANCE])
    home = reverse("dashboard:index")
    for _ in range(2):  # cold, then warm
        commission = clients[Role.COMMISSION].get(home).content.decode()
        finance = clients[Role.FINANCE].get(home).content.decode()
        assert 'href="/experts/nominations/"' in commission
        assert 'href="/experts/nominations/"' not in finance
    both = UserFactory(roles=[Role.COMMISSION, Role.FINANCE])
    client = Client()
    otp_login(client, both)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dashboard:index")).content.decode()
    assert 'class="nav-link active" aria-current="page" href="/dashboard/"' in page
    assert 'lang="en"' in page


def test_the_second_factor_device_is_checked_again_after_any_change_to_it():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory(roles=[Role.COMMISSION])
    client = Client()
    device = otp_login(client, user)
    home = reverse("core:role-home", args=[Role.COMMISSION.value])
    assert client.get(home).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(home).status_code == 200
    assert not any("otp_totp_totpdevice" in q["sql"] for q in ctx.captured_queries)  # from the cache
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    response = client.get(home)
    assert response.status_code == 302 and "/otp/" in response["Location"]
    # confirmed again, but the session forgot the device when it was refused: verify again
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    assert client.get(home).status_code == 302
    device = otp_login(client, user)
    assert client.get(home).status_code == 200
    device.delete()
    response = client.get(home)
    assert response.status_code == 302 and "/otp/" in response["Location"]


def _outcomes_counted(client, year: int) -> int:
    """The verified outcomes the dashboard's 服务成果 by-kind table counts for `year`."""
    html = client.get(reverse("dashboard:index"), {"year": year}).content.decode()
    start = html.find('data-section="outcomes_by_kind"')
    assert start >= 0, "no 服务成果 section"
    section = html[start : html.find("data-section=", start + 10)]
    return sum(int(n) for n in re.findall(r"data-count>(\d+)<", section))


def test_dashboard_outcomes_follow_a_verification():
    """An app registered after the dashboard (outcomes, in its own ready()) invalidates the cached page."""
    from tests.factories import outcomes as of
    from tests.factories import terms as tf

    clients = _clients([Role.COMMISSION, Role.FINANCE])
    appt = tf.appointment(start=date(2025, 1, 1))
    before = {role: _outcomes_counted(client, 2025) for role, client in clients.items()}
    of.verified(appt, staff=pf.commission(), achieved_on=date(2025, 9, 1))
    for role, client in clients.items():
        assert _outcomes_counted(client, 2025) == before[role] + 1, role


def _pool_rows(client, query: str = "") -> list[str]:
    response = client.get(reverse("experts:expert-list") + query)
    assert response.status_code == 200
    return re.findall(r'<tr><td><a href="/[^"]*?/\d+/">([^<]+)</a>', response.content.decode())


def test_pool_list_is_cached_per_visibility_and_query_and_fresh_after_writes():
    from experts.models import Achievement, InstitutionMember

    institution = Institution.objects.create(name="缓存大学")
    other = Institution.objects.create(name="别的大学")
    commission, nominator = Client(), Client()
    otp_login(commission, UserFactory(roles=[Role.COMMISSION]))
    nominator_user = UserFactory(roles=[Role.NOMINATOR])
    InstitutionMember.objects.create(institution=institution, user=nominator_user)
    otp_login(nominator, nominator_user)
    mine = pf.expert(institution_obj=institution, name="缓存甲")
    pf.expert(institution_obj=other, name="缓存乙")
    query = "?q=缓存"
    assert sorted(_pool_rows(commission, query)) == ["缓存乙", "缓存甲"]
    assert _pool_rows(nominator, query) == ["缓存甲"]  # the nominator's own entry: its institution only
    # warm: no expert is read again, for either
    with CaptureQueriesContext(connection) as ctx:
        assert sorted(_pool_rows(commission, query)) == ["缓存乙", "缓存甲"]
        assert _pool_rows(nominator, query) == ["缓存甲"]
    assert not any("experts_expert" in q["sql"] for q in ctx.captured_queries)
    # another query string is another entry
    assert _pool_rows(commission, "?q=缓存乙") == ["缓存乙"]

    Expert.objects.filter(pk=mine.pk).update(name="缓存丙")  # an edit shows at once
    assert sorted(_pool_rows(commission, query)) == ["缓存丙", "缓存乙"]
    assert _pool_rows(nominator, query) == ["缓存丙"]
    Expert.objects.filter(pk=mine.pk).update(in_pool=False)  # leaving the pool
    assert _pool_rows(commission, query) == ["缓存乙"]
    assert _pool_rows(nominator, query) == []
    Expert.objects.filter(pk=mine.pk).update(in_pool=True)
    # an achievement title is searched (the search text follows it in the database)
    Achievement.objects.create(expert=mine, kind="patent", title="固态电解质量产工艺", year=2024)
    assert _pool_rows(commission, "?q=固态电解质") == ["缓存丙"]
    # the nominator leaves the institution: its rows go with it
    InstitutionMember.objects.filter(user=nominator_user).delete()
    assert _pool_rows(nominator, query) == []
