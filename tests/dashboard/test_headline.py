"""Issue 16 item 8 — one figure, one name, one number: the dashboard opens with its headline figures
(在聘人数, 资金执行率, the year's new appointments and pool experts against the year before), each
chart's table folded under the chart in <details>, the budget's columns named as on the budget page
(已占用, 余额), and the commission's two landing panels give the same 聘任中."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from projects.enums import AppointmentState, ProjectState
from projects.models import Appointment
from tests.factories import subsidies as sf
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _headline(response) -> dict[str, object]:
    return {f.label: f for f in response.context["headline"]}


def test_the_dashboard_opens_with_the_headline_figures(known, verified_client):
    client = verified_client(known["staff"])
    response = client.get(reverse("dashboard:index"))
    page = response.content.decode()
    figures = _headline(response)
    assert list(figures) == ["在聘人数", "资金执行率", "新聘任科技副总", "新入库专家"]
    active = Appointment.objects.filter(state=AppointmentState.ACTIVE).count()
    assert figures["在聘人数"].value == str(active)
    # the figure links to the list that shows the same number
    listed = client.get(figures["在聘人数"].url).context["page_obj"].paginator.count
    assert listed == active
    # 2,000.00 paid of a 1,850,000.00 budget
    assert figures["资金执行率"].value == "0.1%"
    assert "已支付 2,000.00 元 / 预算 1,850,000.00 元" in figures["资金执行率"].note
    assert figures["资金执行率"].change == "上年无预算"
    new = {r.label: r.count for r in response.context["s"]["year_new"]["rows"]}
    assert figures["新入库专家"].value == str(new["新入库专家"]) == "6"
    assert figures["新入库专家"].change == "同比 +6"
    # the headline comes before the first chart
    assert page.index('id="headline"') < page.index('id="chart-year_new"')


def test_year_on_year_in_figures_and_percent(known, verified_client):
    today = timezone.localdate()
    # two appointments that started last year: this year's count against 2
    for _ in range(2):
        sf.appointment(start=today.replace(year=today.year - 1, month=6, day=1))
    client = verified_client(known["staff"])
    figures = _headline(client.get(reverse("dashboard:index")))
    now = Appointment.objects.filter(start_date__year=today.year).count()
    before = Appointment.objects.filter(start_date__year=today.year - 1).count()
    assert before >= 2
    diff = now - before
    percent = (Decimal(diff) * 100 / before).quantize(Decimal("0.1"))
    sign = "+" if diff > 0 else ""
    assert figures["新聘任科技副总"].change == f"同比 {sign}{diff}（{sign}{percent}%）"


def test_each_chart_table_is_folded_under_its_chart(known, verified_client):
    page = verified_client(known["staff"]).get(reverse("dashboard:index")).content.decode()
    sections = re.findall(r'<section class="card[^"]*" id="chart-([a-z_]+)">(.*?)</section>', page, re.S)
    assert len(sections) >= 9
    for key, body in sections:
        chart, _sep, rest = body.partition("<details")
        assert "<svg" in chart, key
        assert "figure-table" in rest and "figure-table" not in chart, key
        assert "<summary" in rest, key


def test_the_budget_columns_have_one_name(known, verified_client):
    client = verified_client(known["staff"])
    dashboard = client.get(reverse("dashboard:index")).content.decode()
    budget = client.get(reverse("subsidies:budget-detail", args=[known["year"]])).content.decode()
    for page in (dashboard, budget):
        assert "已占用" in page and "已承诺" not in page
    assert "剩余" not in dashboard


def test_the_commission_landing_panels_agree_on_the_appointments_in_service(verified_client):
    """A project stays 已聘任 after its term ended (until 结题): it used to count as 聘任中 on the
    projects panel while the terms panel counted the appointments in service."""
    today = timezone.localdate()
    sf.appointment(start=today - timedelta(days=30))
    ended = sf.appointment(start=today - timedelta(days=800), state=AppointmentState.ENDED)
    assert ended.project.state == ProjectState.APPOINTED
    client = verified_client(UserFactory(roles=[Role.COMMISSION]))
    page = client.get(reverse("core:role-home", args=["commission"])).content.decode()
    figures = re.findall(r"聘任中<span[^>]*>(\d+)</span>", page)
    assert figures == ["1", "1"], figures
