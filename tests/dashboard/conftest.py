"""Known data for the dashboard: every figure is asserted as a number and against the list it links to."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.enums import Role
from enterprises.enums import EnterpriseState, IntentState
from enterprises.models import Industry
from experts.models import Institution
from projects.enums import ProjectState
from subsidies import services as money
from subsidies.enums import BudgetCategory
from tests.factories import projects as pf
from tests.factories import subsidies as sf
from tests.factories.accounts import UserFactory


@pytest.fixture
def known(db):
    """3 + 1 pool experts (one outside the pool), 2 leading + 1 other verified enterprises and one not
    verified, intents (accepted / pending), 2 submitted projects in one round, 3 appointments (one ending
    within 90 days, one terminated) and the year's budget with a commitment and a paid payment."""
    today = timezone.localdate()
    year = today.year
    i985 = Institution.objects.create(name="甲大学", is_985=True, is_211=True)
    hospital = Institution.objects.create(name="乙医院", category="hospital", is_hospital_3a=True)
    e1 = pf.expert(institution_obj=i985)
    e2 = pf.expert(institution_obj=i985)
    e3 = pf.expert(institution_obj=hospital)
    outside = pf.expert(institution_obj=hospital)
    outside.in_pool = False
    outside.save(update_fields=["in_pool"])

    leading = Industry.objects.filter(is_leading=True).order_by("pk").first() or pf.industry(leading=True)
    ent_a, _u = pf.enterprise(leading=True)
    ent_b, _u = pf.enterprise(leading=True)
    ent_c, _u = pf.enterprise(leading=False)
    ent_d, _u = pf.enterprise(leading=False)
    ent_a.verified_at = timezone.now()
    ent_a.save(update_fields=["verified_at"])
    ent_d.state = EnterpriseState.REGISTERED
    ent_d.save(update_fields=["state"])

    rnd = pf.review_round(period_start=today, period_end=today + timedelta(days=10))
    p1 = pf.project(state=ProjectState.ACCEPTED, ent=ent_a, exp=e1, round=rnd)
    p2 = pf.project(state=ProjectState.ACCEPTED, ent=ent_b, exp=e2, round=rnd)
    p3 = pf.project(state=ProjectState.SUBMITTED, ent=ent_c, exp=e3)
    pending = pf.intent(ent=ent_a, exp=e3)
    pending.state = IntentState.PENDING
    pending.save(update_fields=["state"])

    sf.appointment(start=today - timedelta(days=700), months=24, ent=ent_a)  # ends within 90 days
    sf.appointment(start=today - timedelta(days=30), months=24, ent=ent_b)
    sf.appointment(
        start=today - timedelta(days=400),
        ent=ent_c,
        state="terminated",
        terminated_on=today - timedelta(days=5),
    )

    staff = UserFactory(roles=[Role.COMMISSION])
    money.budget_save(
        year=year,
        by=staff,
        amounts={
            BudgetCategory.SUBSIDY: Decimal("1000000.00"),
            BudgetCategory.ALLOWANCE: Decimal("500000.00"),
            BudgetCategory.AWARD: Decimal("350000.00"),
        },
    )
    money.budget_commit(
        year=year,
        category=BudgetCategory.ALLOWANCE,
        amount=Decimal("48000.00"),
        description="生活补贴",
        by=staff,
    )
    sf.PaymentFactory(
        budget_year=year, amount=Decimal("2000.00"), paid_on=date(year, 1, 5), bank_reference="YH2026010501"
    )
    return {
        "year": year,
        "staff": staff,
        "projects": [p1, p2, p3],
        "round": rnd,
        "leading": leading,
        "enterprises": [ent_a, ent_b, ent_c, ent_d],
    }
