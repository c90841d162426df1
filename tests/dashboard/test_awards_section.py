"""The awards section of the dashboard and the report read the awards app through the AWARDS HOOK
(dashboard.hooks.award_summary → awards.selectors.award_summary), with real decided awards."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards import services
from subsidies.enums import BudgetCategory
from subsidies.services import budget_save
from tests.factories import awards as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided_cycle():
    """A 2025 cycle decided with a first and a second prize (as tests/awards does it)."""
    staff = af.staff()
    cycle = af.cycle(by=staff, quotas=(1, 1, 0), reviewers_per_application=3)
    projects = [af.completed() for _ in range(3)]
    for project in projects:
        af.apply(cycle, project)
    af.reviewers(4)
    cycle = af.review(cycle, staff)
    for project, total in zip(projects, ("90", "80", "70"), strict=True):
        for sheet in cycle.sheets.filter(application__project=project).select_related("reviewer__user"):
            points, left = {}, D(total)
            for criterion in cycle.criteria.all():
                points[criterion.pk] = min(criterion.max_points, left)
                left -= points[criterion.pk]
            services.sheet_save(sheet=sheet, by=sheet.reviewer.user, points=points, comment="好", submit=True)
    services.cycle_close(cycle=cycle, by=staff)
    budget_save(year=cycle.budget_year, amounts={BudgetCategory.AWARD: D("950000.00")}, by=staff)
    services.decision_autofill(cycle=cycle, by=staff)
    services.cycle_approve(cycle=cycle, by=staff)
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
