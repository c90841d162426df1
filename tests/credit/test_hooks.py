"""The 信用提示 hooks on the decision pages: the panel shows the subjects' active records; with an active
negative record the decision goes ahead only with a reason, which is stored (CreditOverride); without such
a record nothing changes. One test per decision: pool admission, enterprise verification, project filing,
reviewer assignment, award decision."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from credit.enums import CreditState, DecisionPoint, Polarity
from credit.models import CreditOverride
from enterprises.enums import EnterpriseState
from experts import services as expert_services
from experts.enums import NominationState
from experts.models import Nomination
from projects.enums import AssignmentState, ProjectState
from projects.models import Project, ReviewAssignment
from tests.factories import credit as cf
from tests.factories import projects as pf
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.experts import make_nomination, nominator

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(roles=[Role.COMMISSION])
    otp_login(client, user)
    return user


def test_pool_admission(client, staff):
    member = nominator()
    nomination = make_nomination(by=member)
    expert_services.nomination_submit(nomination=nomination, by=member)
    cf.record(nomination.expert, state=CreditState.CONFIRMED)
    detail = client.get(reverse("experts:nomination-detail", args=[nomination.pk])).content.decode()
    assert 'id="credit-alerts"' in detail and 'name="credit_reason"' in detail
    url = reverse("experts:nomination-admit", args=[nomination.pk])
    page = client.post(url, {"confirmed": "1"}).content.decode()
    assert "继续办理须填写理由" in page
    assert Nomination.objects.get(pk=nomination.pk).state == NominationState.SUBMITTED
    client.post(url, {"confirmed": "1", "credit_reason": "已整改到位，同意入库"})
    assert Nomination.objects.get(pk=nomination.pk).state == NominationState.ADMITTED
    override = CreditOverride.objects.get()
    assert (override.decision, override.reason) == (DecisionPoint.POOL_ADMISSION, "已整改到位，同意入库")
    # the nominator never sees the panel
    client.force_login(member)
    page = client.get(reverse("experts:nomination-detail", args=[nomination.pk])).content.decode()
    assert 'id="credit-alerts"' not in page


def test_enterprise_verification(client, staff):
    enterprise = EnterpriseFactory(state=EnterpriseState.REGISTERED)
    cf.record(enterprise, state=CreditState.CONFIRMED)
    detail = client.get(reverse("enterprises:enterprise-detail", args=[enterprise.pk])).content.decode()
    assert 'id="credit-alerts"' in detail
    url = reverse("enterprises:enterprise-verify", args=[enterprise.pk])
    client.post(url, {})
    enterprise.refresh_from_db()
    assert enterprise.state == EnterpriseState.REGISTERED
    client.post(url, {"credit_reason": "欠款已结清"})
    enterprise.refresh_from_db()
    assert enterprise.state == EnterpriseState.VERIFIED
    assert CreditOverride.objects.get().decision == DecisionPoint.ENTERPRISE_VERIFICATION


def test_positive_record_needs_no_reason(client, staff):
    enterprise = EnterpriseFactory(state=EnterpriseState.REGISTERED)
    cf.record(enterprise, state=CreditState.CONFIRMED, polarity=Polarity.POSITIVE)
    detail = client.get(reverse("enterprises:enterprise-detail", args=[enterprise.pk])).content.decode()
    assert 'id="credit-alerts"' in detail and 'name="credit_reason"' not in detail
    client.post(reverse("enterprises:enterprise-verify", args=[enterprise.pk]), {})
    enterprise.refresh_from_db()
    assert enterprise.state == EnterpriseState.VERIFIED
    assert not CreditOverride.objects.exists()


def test_project_filing(client):
    project = pf.project()
    Project.objects.filter(pk=project.pk).update(state=ProjectState.APPROVED)
    cf.record(project.expert, state=CreditState.CONFIRMED)
    user = pf.talent_office()
    otp_login(client, user)
    assert 'id="credit-alerts"' in client.get(reverse("projects:filing-list")).content.decode()
    page = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert 'id="credit-alerts"' in page and 'name="credit_reason"' in page
    data = {"projects": [project.pk], "number": "CPRC-2026-001", "filed_on": timezone.localdate().isoformat()}
    client.post(reverse("projects:filing-list"), data)
    assert Project.objects.get(pk=project.pk).state == ProjectState.APPROVED
    client.post(reverse("projects:filing-list"), {**data, "credit_reason": "专家已说明情况"})
    assert Project.objects.get(pk=project.pk).state == ProjectState.FILED
    override = CreditOverride.objects.get()
    assert (override.decision, override.target_id) == (DecisionPoint.PROJECT_FILING, str(project.pk))


def test_reviewer_assignment(client, staff):
    project = pf.project(state=ProjectState.ACCEPTED)
    reviewers = [pf.reviewer() for _ in range(3)]
    cf.record(reviewers[0], state=CreditState.CONFIRMED)
    url = reverse("projects:round-detail", args=[project.round_id])
    assert 'id="credit-alerts"' in client.get(url).content.decode()
    action = reverse("projects:round-assign", args=[project.round_id])
    client.post(action)
    assert not ReviewAssignment.objects.exists()  # rolled back: the flagged reviewer was chosen
    client.post(action, {"credit_reason": "该专家已补交评分，仍可胜任"})
    assert ReviewAssignment.objects.filter(state=AssignmentState.ASSIGNED).count() == 3
    assert CreditOverride.objects.get().decision == DecisionPoint.REVIEWER_ASSIGNMENT


def test_award_decision(client):
    from awards import services as award_services
    from awards.models import AwardApplication
    from subsidies.services import budget_save
    from tests.factories import awards as af

    by = af.staff()
    cycle, [project] = af.in_review(by, quotas=(1, 0, 0))
    for sheet in cycle.sheets.filter(application__project=project).select_related("reviewer__user"):
        af.submit_sheet(cycle, sheet, "90")
    award_services.cycle_close(cycle=cycle, by=by)
    budget_save(year=cycle.budget_year, amounts={"award": 950000}, by=by)
    application = AwardApplication.objects.get(cycle=cycle)
    cf.record(application.enterprise, state=CreditState.CONFIRMED)
    otp_login(client, by)
    url = reverse("awards:decision", args=[cycle.pk])
    assert 'id="credit-alerts"' in client.get(url).content.decode()
    field = f"level_{application.pk}"
    client.post(url, {"action": "save", field: "1", "reason": ""})
    assert AwardApplication.objects.get(pk=application.pk).proposed_level is None
    client.post(url, {"action": "save", field: "1", "reason": "", "credit_reason": "企业已补发配套补助"})
    assert AwardApplication.objects.get(pk=application.pk).proposed_level == 1
    assert CreditOverride.objects.get().decision == DecisionPoint.AWARD_ELIGIBILITY


def test_no_record_no_reason_needed(client, staff):
    enterprise = EnterpriseFactory(state=EnterpriseState.REGISTERED)
    detail = client.get(reverse("enterprises:enterprise-detail", args=[enterprise.pk])).content.decode()
    assert 'id="credit-alerts"' not in detail
    client.post(reverse("enterprises:enterprise-verify", args=[enterprise.pk]), {})
    enterprise.refresh_from_db()
    assert enterprise.state == EnterpriseState.VERIFIED

