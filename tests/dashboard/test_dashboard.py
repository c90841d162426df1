"""The staff dashboard: its figures with known data, equal to the counts of the lists they link to; a
constant, small number of queries; who may see it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.enums import Role
from dashboard.charts import Bar, Chart, bar_svg
from projects.models import Appointment
from tests.factories import projects as pf
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

LINKED = (
    "experts_by_kind",
    "experts_by_discipline",
    "enterprises_by_industry",
    "funnel",
    "projects_by_state",
    "projects_by_round",
    "appointments",
)


def _figures(response, key) -> dict[str, int]:
    return {r.label: r.count for r in response.context["s"][key]["rows"]}


def _list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.context["page_obj"]
    if hasattr(page, "count_exact"):  # the talent pool's keyset page carries its own (capped) count
        assert page.count_exact, url
        return page.count
    return page.paginator.count


def test_dashboard_figures_with_known_data(known, verified_client):
    client = verified_client(known["staff"])
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    kinds = _figures(response, "experts_by_kind")
    # 3 known pool experts + the 3 of the appointments (a 985 test university each); not the one outside
    assert kinds["在库专家合计"] == 6
    assert (kinds["985高校"], kinds["211高校"], kinds["知名三甲医院"], kinds["新型研发机构"]) == (5, 2, 1, 0)
    # this year: the 6 pool experts admitted now; one enterprise verified now (the others carry no date)
    new = _figures(response, "year_new")
    assert new["新入库专家"] == 6 and new["新认证企业"] == 1
    started = sum(a.start_date.year == known["year"] for a in Appointment.objects.all())
    assert new["新聘任科技副总"] == started
    funnel = _figures(response, "funnel")
    assert funnel["申报合作项目"] == 3
    assert funnel["达成合作意向"] == funnel["对接意向"] - 1
    states = _figures(response, "projects_by_state")
    assert states["已受理"] == 2 and states["已提交"] == 1
    assert _figures(response, "projects_by_round") == {known["round"].name: 2}
    assert list(_figures(response, "appointments").values()) == [2, 1]
    allowance = next(m for m in response.context["s"]["money"]["rows"] if m.category == "allowance")
    assert (allowance.budget, allowance.committed, allowance.paid) == (
        Decimal("500000.00"),
        Decimal("48000.00"),
        Decimal("2000.00"),
    )
    assert allowance.remaining == Decimal("452000.00")
    industries = response.context["s"]["enterprises_by_industry"]["rows"]
    leading = [r for r in industries if r.highlight]
    assert leading and sum(r.count for r in leading) == 2
    assert sum(r.count for r in industries) == 3  # the registered, unverified enterprise is not counted
    html = response.content.decode()
    assert "<svg" in html and "主导产业" in html and "<script>" not in html  # no inline script


def test_dashboard_figures_equal_the_linked_lists(known, verified_client):
    """Each figure's link opens the list filtered as the figure counts: same number of rows."""
    client = verified_client(known["staff"])
    response = client.get(reverse("dashboard:index"))
    checked = 0
    for key in LINKED:
        for row in response.context["s"][key]["rows"]:
            assert row.url, (key, row.label)
            assert _list_count(client, row.url) == row.count, (key, row.label, row.url)
            checked += 1
    assert checked > 20


def test_dashboard_year_selection(known, verified_client):
    client = verified_client(known["staff"])
    last_year = known["year"] - 1
    response = client.get(reverse("dashboard:index"), {"year": last_year})
    assert response.context["year"] == last_year
    assert _figures(response, "funnel")["申报合作项目"] == 0
    assert response.context["s"]["money"]["rows"][0].budget == 0
    assert client.get(reverse("dashboard:index"), {"year": "abc"}).context["year"] == known["year"]


def test_dashboard_query_count_is_constant(known, verified_client, django_assert_max_num_queries):
    client = verified_client(known["staff"])
    # 28 for the sections, 5 for the headline's year before (issue 16 item 8)
    with django_assert_max_num_queries(33) as first:
        client.get(reverse("dashboard:index"))
    for _ in range(3):
        pf.project(state="submitted")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("dashboard:index"))


@pytest.mark.parametrize(
    ("role", "status", "links"),
    [
        (Role.COMMISSION, 200, True),
        (Role.WORKING_GROUP, 200, False),
        (Role.FINANCE, 200, False),
        (Role.TALENT_OFFICE, 200, False),
        (Role.ENTERPRISE, 403, None),
        (Role.EXPERT, 403, None),
        (Role.REVIEWER, 403, None),
    ],
)
def test_dashboard_roles(known, verified_client, role, status, links):
    client = verified_client(UserFactory(roles=[role]))
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == status
    if status == 200:
        rows = response.context["s"]["funnel"]["rows"]
        assert all(bool(r.url) == links for r in rows)


def test_dashboard_is_in_the_menu_and_on_the_landing_page(known, verified_client):
    client = verified_client(UserFactory(roles=[Role.WORKING_GROUP]))
    response = client.get(reverse("core:role-home", args=[Role.WORKING_GROUP]))
    assert reverse("dashboard:index") in response.content.decode()


def test_bar_svg_escapes_links_and_highlights():
    svg = bar_svg(Chart("标题<x>", [Bar("医药<健康>", [5], "/l?a=1&b=2", highlight=True), Bar("其他", [0])]))
    assert "医药&lt;健康&gt;" in svg and "<健康>" not in svg
    assert 'href="/l?a=1&amp;b=2"' in svg
    assert 'fill="#c0392b"' in svg  # the highlighted (leading industry) bar
    assert svg.count("<rect") == 2
