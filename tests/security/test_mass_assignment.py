"""Item 7 — mass assignment (ASVS 5.1.2; 等保 2.0 8.1.4.2): whatever a POST carries, fields a role may not
set (state, amounts, enterprise, expert, owner, created_by …) are ignored. Two layers: every ModelForm
lists its fields explicitly and the forms outside users fill carry none of the forbidden ones; and the
main forms, posted with extra fields, keep the server's values."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from enterprises.models import Demand
from experts.models import Expert, Nomination
from projects.models import Project
from subsidies.models import PaymentBatch
from tests.app_forms import form_classes
from tests.factories import projects as pf
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.experts import PDF, InstitutionFactory, nominator, profile_edit_data

pytestmark = pytest.mark.django_db

APPS = ("accounts", "core", "experts", "enterprises", "projects", "terms", "subsidies", "awards")

# Fields no form filled by the outside roles (nominator, expert, enterprise) may carry: workflow state,
# ownership, decisions and money decided by the government side.
FORBIDDEN = {
    "state",
    "created_by",
    "owner",
    "user",
    "enterprise",
    "expert",
    "appointment",
    "round",
    "approved_funding",
    "decided_by",
    "in_pool",
    "admitted_at",
    "control_total",
    "control_count",
    "id_number_hash",
    "id_number_encrypted",
    "requested_by",
    "drafted_by",
    "confirmed_by",
    "batch",
    "paid_on",
    "published_at",
}
OUTSIDE_FORMS = {
    "experts.forms.NominationForm",
    "experts.forms.ProfileForm",
    "experts.forms.AchievementForm",
    "enterprises.forms.DemandForm",
    "enterprises.forms.EnterpriseForm",
    "enterprises.forms.EnterpriseRegisterForm",
    "projects.forms.ProjectForm",
    "projects.forms.ObjectionForm",
    "terms.forms.MedicalRequestForm",
    "terms.forms.HousingRequestForm",
    "terms.forms.ExtensionRequestForm",
    "terms.forms.TermReportForm",
    "terms.forms.AppointmentContactForm",
    "subsidies.forms.MatchingConfirmForm",
}


def _forms():
    for cls in form_classes(APPS):
        yield f"{cls.__module__}.{cls.__name__}", cls


def test_every_model_form_lists_its_fields():
    for label, cls in _forms():
        if issubclass(cls, forms.BaseModelForm):
            meta = cls._meta
            assert meta.fields not in (None, forms.ALL_FIELDS), f"{label}: list the fields, no '__all__'"
            assert not meta.exclude, f"{label}: list the fields instead of `exclude`"


def test_forms_of_outside_users_carry_no_forbidden_field():
    found = dict(_forms())
    assert set(found) >= OUTSIDE_FORMS, OUTSIDE_FORMS - set(found)
    for label in OUTSIDE_FORMS:
        carried = FORBIDDEN & set(found[label].base_fields)
        assert not carried, f"{label} lets the user set {sorted(carried)}"


# --- the main forms, posted with fields they do not have ---------------------------------------------


def test_nomination_create_ignores_state_institution_and_owner(client):
    from tests.experts.test_views import form_post

    member, other_institution, other_user = (
        nominator(InstitutionFactory()),
        InstitutionFactory(),
        UserFactory(),
    )
    otp_login(client, member)
    letter = SimpleUploadedFile("推荐函.pdf", PDF, content_type="application/pdf")
    data = form_post(recommendation_letter=letter)
    data.update(
        state="admitted",
        institution=other_institution.pk,
        created_by=other_user.pk,
        in_pool="on",
        admitted_at="2020-01-01",
        user=other_user.pk,
        exception_decided_by=other_user.pk,
    )
    response = client.post(reverse("experts:nomination-create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    nomination = Nomination.objects.get()
    assert nomination.state == "draft"
    assert nomination.institution_id == member.institution_membership.institution_id
    assert nomination.created_by_id == member.pk and nomination.exception_decided_by_id is None
    expert = nomination.expert
    assert (expert.in_pool, expert.admitted_at, expert.user_id) == (False, None, None)
    assert expert.institution_id != other_institution.pk


def test_expert_profile_edit_ignores_pool_user_and_identity_fields(client):
    expert = pf.expert()
    before = Expert.objects.values("in_pool", "admitted_at", "id_number_hash", "user_id").get(pk=expert.pk)
    otp_login(client, expert.user)
    data = profile_edit_data(
        expert,
        phone="13700000000",
        in_pool="",
        admitted_at="",
        id_number_hash="forged",
        user=UserFactory().pk,
    )
    response = client.post(reverse("experts:expert-profile-edit"), data)
    assert response.status_code == 302
    after = Expert.objects.values("in_pool", "admitted_at", "id_number_hash", "user_id", "phone").get(
        pk=expert.pk
    )
    assert after.pop("phone") == "13700000000"  # the allowed field did change
    assert after == before


def test_demand_create_ignores_enterprise_and_state(client):
    ent, user = pf.enterprise()
    other, _other_user = pf.enterprise()
    client.force_login(user)
    data = {
        "title": "储能电池管理系统优化",
        "technical_field": "储能",
        "keywords": "电池,管理",
        "industry": ent.industry_id,
        "position": Demand._meta.get_field("position").choices[0][0],
        "description": "需要储能方向专家",
        "expected_work": "指导电池管理系统开发",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "enterprise": other.pk,
        "state": "published",
        "created_by": _other_user.pk,
        "published_at": "2020-01-01",
    }
    response = client.post(reverse("enterprises:demand-create"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    demand = Demand.objects.get()
    assert (demand.enterprise_id, demand.state, demand.created_by_id) == (ent.pk, "draft", user.pk)
    assert demand.published_at is None


def test_project_create_ignores_state_money_decisions_and_parties(client):
    intent = pf.intent()
    user = intent.demand.enterprise.members.first().user
    other_ent, _u = pf.enterprise()
    other_expert = pf.expert()
    otp_login(client, user)
    data = pf.filing_data()
    data.update(
        social_science="False",
        cooperation_plan=pf.plan_file(),
        state="appointed",
        approved_funding="999999.00",
        enterprise=other_ent.pk,
        expert=other_expert.pk,
        decided_by=user.pk,
        round="1",
    )
    response = client.post(reverse("projects:project-create", args=[intent.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get()
    assert project.state == "draft" and project.approved_funding is None and project.decided_by_id is None
    assert (project.enterprise_id, project.expert_id) == (intent.demand.enterprise_id, intent.expert_id)
    assert project.round_id is None


def test_batch_create_ignores_state_control_totals_and_creator(client):
    staff, someone = UserFactory(roles=[Role.COMMISSION]), UserFactory(roles=[Role.FINANCE])
    otp_login(client, staff)
    response = client.post(
        reverse("subsidies:batch-list"),
        {
            "title": "2026年第九批",
            "year": "2026",
            "state": "approved",
            "created_by": someone.pk,
            "control_total": "1.00",
            "control_count": "1",
            "paid_on": "2026-01-01",
        },
    )
    assert response.status_code == 302
    batch = PaymentBatch.objects.get()
    assert (batch.state, batch.created_by_id, batch.control_total, batch.paid_on) == (
        "draft",
        staff.pk,
        None,
        None,
    )
    assert batch.control_count is None or batch.control_count == 0
    assert Decimal("1.00") != batch.control_total
