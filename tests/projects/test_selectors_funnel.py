"""The matching funnel's last step counts the projects filed, through the provider projects registers."""

import pytest
from django.utils import timezone

from enterprises.selectors import funnel
from projects.enums import ProjectState
from tests.factories import projects as pf

pytestmark = pytest.mark.django_db


def test_funnel_counts_filed_projects_by_industry_and_month(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    submitted = pf.project(state=ProjectState.SUBMITTED)
    pf.project(state=ProjectState.DRAFT)  # a draft was never filed
    result = funnel()
    code = submitted.intent.demand.industry.code
    row = next(r for r in result["by_industry"] if r["label"] == submitted.intent.demand.industry.name)
    assert row["projects"] == 1
    month = timezone.localdate().strftime("%Y-%m")
    assert next(m for m in result["by_month"] if m["label"] == month)["projects"] == 1
    assert result["totals"]["projects"] == 1
    assert funnel(industry=code)["totals"]["projects"] == 1
