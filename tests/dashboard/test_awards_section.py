"""The awards section of the dashboard and the report read the awards app through the AWARDS HOOK
(dashboard.hooks.award_summary → awards.selectors.award_summary), with real decided awards."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import awards as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided_cycle():
    """A 2025 cycle decided with a first and a second prize (as tests/awards does it)."""
    staff, cycle, _projects = af.published(totals=("90", "80", "70"), quotas=(1, 1, 0), publish=False)
    return staff, cycle


def test_awards_by_year_on_the_dashboard_and_in_the_report(decided_cycle, verified_client):
    staff, cycle = decided_cycle
    client = verified_client(staff)
    section = client.get(reverse("dashboard:index")).context["s"]["awards"]
    assert [(r.label, r.count, r.extra["amount"]) for r in section["rows"]] == [
        (str(cycle.year), 2, D("300000.00"))
    ]
    assert section["rows"][0].url.startswith(reverse("awards:index"))
    response = client.get(reverse("dashboard:report", args=["xlsx"]), {"year": cycle.year})
    sheet = load_workbook(io.BytesIO(response.content))["评选奖励"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[2], D(str(r[3]))) for r in rows] == [
        (cycle.year, 1, D("200000.00")),
        (cycle.year, 1, D("100000.00")),
    ]
