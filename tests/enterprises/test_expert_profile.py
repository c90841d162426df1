"""Issue 16 item 6 and issue 17 item 3 through the pages: the enterprise opens an expert's public profile
from the recommendations and invites with a message; the score is 0–100 with a legend; reasons are
distinct; 申请对接 is not offered where an intent exists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import Role
from enterprises.enums import IntentState
from enterprises.models import Intent
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.enterprises import (
    DemandFactory,
    EnterpriseFactory,
    IntentFactory,
    expert_user,
    make_expert,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    enterprise = EnterpriseFactory(name="甲公司")
    demand = DemandFactory(enterprise=enterprise, title="储能电站电池管理系统优化")
    expert = expert_user(
        name="林书恒", research_fields="储能系统集成；电池管理系统", keywords="锂离子电池，热管理"
    )
    expert.phone = "13812345678"
    expert.save(update_fields=["phone"])
    return enterprise, demand, expert


def test_recommendations_link_the_profile_and_show_the_score_on_a_0_100_scale(client, scene):
    enterprise, demand, expert = scene
    otp_login(client, enterprise.admin_user)
    page = client.get(reverse("enterprises:demand-detail", args=[demand.pk])).content.decode()
    assert f'{reverse("enterprises:expert-profile", args=[expert.pk])}?demand={demand.pk}' in page
    assert "高度匹配 ≥ 80" in page and 'id="match-legend"' in page
    assert "/ 100" in page and "1.35" not in page
    explanation = page[page.index("data-explanation") : page.index("</div>", page.index("data-explanation"))]
    assert explanation.count(">电池管理系统<") == 1


def test_profile_shows_the_public_fields_only(client, scene):
    enterprise, demand, expert = scene
    otp_login(client, enterprise.admin_user)
    response = client.get(reverse("enterprises:expert-profile", args=[expert.pk]), {"demand": demand.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "林书恒" in page and "测试大学" in page and "储能系统集成" in page and "教授" in page
    assert "13812345678" not in page and "138****5678" not in page
    assert expert.id_number_masked not in page
    assert f'<option value="{demand.pk}" selected>' in page


def test_invitation_carries_its_message_to_the_expert(client, scene):
    enterprise, demand, expert = scene
    otp_login(client, enterprise.admin_user)
    url = reverse("enterprises:expert-profile", args=[expert.pk])
    response = client.post(url, {"demand": demand.pk, "message": "希望每月来企业指导两天"})
    intent = Intent.objects.get(demand=demand, expert=expert)
    assert response.status_code == 302 and response["Location"].endswith(f"/intents/{intent.pk}/")
    assert intent.message == "希望每月来企业指导两天" and intent.state == IntentState.PENDING
    otp_login(client, expert.user)
    page = client.get(reverse("enterprises:intent-detail", args=[intent.pk])).content.decode()
    assert "希望每月来企业指导两天" in page
    # invited already: the demand is no longer offered on the profile
    otp_login(client, enterprise.admin_user)
    assert 'id="invite"' not in client.get(url).content.decode()


def test_profile_is_404_for_others_and_for_experts_outside_the_pool(client, scene):
    enterprise, demand, expert = scene
    outsider = make_expert(name="未入库", in_pool=False)
    otp_login(client, enterprise.admin_user)
    assert client.get(reverse("enterprises:expert-profile", args=[outsider.pk])).status_code == 404
    for role in (Role.EXPERT, Role.NOMINATOR, Role.REVIEWER, Role.WORKING_GROUP):
        otp_login(client, UserFactory(roles=[role]))
        assert client.get(reverse("enterprises:expert-profile", args=[expert.pk])).status_code == 404
    # another enterprise cannot invite for this enterprise's demand
    other = EnterpriseFactory(name="乙公司")
    otp_login(client, other.admin_user)
    url = reverse("enterprises:expert-profile", args=[expert.pk])
    client.post(url, {"demand": demand.pk, "message": "x"})
    assert not Intent.objects.filter(demand=demand).exists()


def test_apply_is_not_offered_where_an_intent_exists(client, scene):
    _enterprise, demand, expert = scene
    otp_login(client, expert.user)
    url = reverse("enterprises:demand-detail", args=[demand.pk])
    assert 'id="apply-btn"' in client.get(url).content.decode()
    IntentFactory(demand=demand, expert=expert)
    page = client.get(url).content.decode()
    assert 'id="apply-btn"' not in page and 'id="intent-exists"' in page


def test_expert_sees_the_score_and_legend_too(client, scene):
    _enterprise, _demand, expert = scene
    otp_login(client, expert.user)
    page = client.get(reverse("enterprises:demand-recommended")).content.decode()
    assert 'id="match-legend"' in page and "/ 100" in page


def test_registration_form_puts_the_enterprise_name_under_the_enterprise_heading(client):
    page = client.get(reverse("enterprises:register")).content.decode()
    account, enterprise = page.index('id="account-heading"'), page.index('id="enterprise-heading"')
    assert account < page.index('name="username"') < page.index('name="phone"') < enterprise
    assert enterprise < page.index('name="name"') < page.index('name="uscc"')
    assert enterprise < page.index('name="contact_phone"')


def test_the_enterprise_reaches_the_profile_from_its_intent(client, scene):
    enterprise, demand, expert = scene
    intent = IntentFactory(demand=demand, expert=expert)
    otp_login(client, enterprise.admin_user)
    page = client.get(reverse("enterprises:intent-detail", args=[intent.pk])).content.decode()
    assert reverse("enterprises:expert-profile", args=[expert.pk]) in page


def test_an_unverified_enterprise_does_not_browse_the_pool(client, scene):
    _enterprise, _demand, expert = scene
    unverified = EnterpriseFactory(name="丙公司", state="registered")
    otp_login(client, unverified.admin_user)
    assert client.get(reverse("enterprises:expert-profile", args=[expert.pk])).status_code == 404
