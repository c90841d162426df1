"""Pages: registration, object-level access (another enterprise's or expert's record is a 404, lists
never leak), bad input keeps what was typed, query-count guards, the explanation shown with each
recommendation, the staff funnel."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from accounts.seed import DEMO_PASSWORD
from enterprises.enums import DemandState, EnterpriseState, IntentInitiator, IntentState
from enterprises.models import Demand, Enterprise, EnterpriseMember, Intent
from enterprises.selectors import demand_list, intent_list
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.enterprises import (
    DemandFactory,
    EnterpriseFactory,
    IntentFactory,
    expert_user,
    industry,
    make_expert,
    make_uscc,
)

pytestmark = pytest.mark.django_db


def login(client, user):
    otp_login(client, user)
    return client


@pytest.fixture
def world():
    """Two verified enterprises with demands and intents, two experts, one staff member."""
    a, b = EnterpriseFactory(name="甲公司"), EnterpriseFactory(name="乙公司")
    expert_a = expert_user(
        name="林书恒", research_fields="储能系统集成；电池管理系统", keywords="锂离子电池，热管理"
    )
    expert_b = expert_user(
        name="郑凯", discipline="机械工程", research_fields="机器视觉", keywords="缺陷检测"
    )
    demand_a = DemandFactory(enterprise=a)
    demand_b = DemandFactory(enterprise=b, title="乙的需求")
    draft_b = DemandFactory(enterprise=b, title="乙的草稿", state=DemandState.DRAFT, published_at=None)
    intent_a = IntentFactory(demand=demand_a, expert=expert_a)
    intent_b = IntentFactory(demand=demand_b, expert=expert_b)
    staff = UserFactory(roles=[Role.COMMISSION])
    return locals()


# --- registration ------------------------------------------------------------------------------------


def registration_post(**over):
    data = {
        "username": "qy_new",
        "full_name": "刘昌能",
        "email": "liu@example.cn",
        "phone": "13800000000",
        "password1": "Xk9#pqrTuv2w",
        "password2": "Xk9#pqrTuv2w",
        "name": "北京昌能储能技术有限公司",
        "uscc": make_uscc(),
        "registered_address": "北京市昌平区能源东路16号",
        "in_changping": "on",
        "industry": industry("advanced_energy").pk,
        "qualifications": ["high_tech", "tech_sme"],
        "size": "medium",
        "employee_count": "240",
        "rd_staff_count": "75",
        "description": "",
        "contact_name": "刘昌能",
        "contact_phone": "010-69710001",
        "contact_email": "liu@example.cn",
    }
    data.update(over)
    return data


def test_registration_page_is_public_and_marks_leading_industries(client):
    response = client.get(reverse("enterprises:register"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "医药健康（主导产业）" in body and "信息技术（主导产业）" not in body


def test_registration_creates_the_enterprise_and_logs_in(client):
    response = client.post(reverse("enterprises:register"), registration_post())
    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:enterprise-detail", args=[enterprise.pk])
    assert enterprise.qualifications == ["high_tech", "tech_sme"]
    page = client.get(response["Location"])
    assert "正在等待区科委认证" in page.content.decode()


@pytest.mark.parametrize(
    ("code", "message"),
    [("91110114MA01TY8K30", "统一社会信用代码无效"), ("ABC", "统一社会信用代码无效")],
)
def test_invalid_credit_code_is_explained_and_what_was_typed_is_kept(client, code, message):
    response = client.post(reverse("enterprises:register"), registration_post(uscc=code))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="北京昌能储能技术有限公司"' in body and 'value="北京市昌平区能源东路16号"' in body
    assert Enterprise.objects.count() == 0


def test_duplicate_credit_code_is_explained(client):
    existing = EnterpriseFactory()
    response = client.post(reverse("enterprises:register"), registration_post(uscc=existing.uscc))
    assert response.status_code == 200
    assert "该统一社会信用代码已被其他企业注册" in response.content.decode()
    assert Enterprise.objects.count() == 1


def test_rd_staff_above_employees_is_refused(client):
    response = client.post(reverse("enterprises:register"), registration_post(rd_staff_count="500"))
    assert "研发人员数不能多于职工人数" in response.content.decode()
    assert Enterprise.objects.count() == 0


# --- unverified enterprises --------------------------------------------------------------------------


def test_unverified_enterprise_is_sent_back_with_an_explanation(client):
    enterprise = EnterpriseFactory(state=EnterpriseState.REGISTERED)
    login(client, enterprise.admin_user)
    for url in (reverse("enterprises:demand-create"), reverse("enterprises:demand-list")):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == reverse(
            "enterprises:enterprise-detail", args=[enterprise.pk]
        )
        assert "企业尚未通过区科委认证" in response.content.decode()
    assert client.get(reverse("enterprises:member-add", args=[enterprise.pk])).status_code == 403


# --- object-level access -----------------------------------------------------------------------------


def test_another_enterprises_records_are_404(client, world):
    login(client, world["a"].admin_user)
    for url in (
        reverse("enterprises:enterprise-detail", args=[world["b"].pk]),
        reverse("enterprises:enterprise-update", args=[world["b"].pk]),
        reverse("enterprises:demand-detail", args=[world["demand_b"].pk]),
        reverse("enterprises:demand-update", args=[world["demand_b"].pk]),
        reverse("enterprises:intent-detail", args=[world["intent_b"].pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("enterprises:demand-close", args=[world["demand_b"].pk]))
    assert response.status_code == 404
    assert Demand.objects.get(pk=world["demand_b"].pk).state == DemandState.PUBLISHED


def test_another_experts_intent_and_unpublished_demands_are_404(client, world):
    login(client, world["expert_a"].user)
    assert client.get(reverse("enterprises:intent-detail", args=[world["intent_b"].pk])).status_code == 404
    assert client.get(reverse("enterprises:demand-detail", args=[world["draft_b"].pk])).status_code == 404
    assert client.get(reverse("enterprises:demand-detail", args=[world["demand_b"].pk])).status_code == 200
    response = client.post(reverse("enterprises:intent-accept", args=[world["intent_b"].pk]))
    assert response.status_code == 404
    assert Intent.objects.get(pk=world["intent_b"].pk).state == IntentState.PENDING


def test_users_without_a_side_see_nothing(client, world):
    login(client, UserFactory(roles=[Role.REVIEWER]))
    assert client.get(reverse("enterprises:demand-list")).status_code == 404
    assert client.get(reverse("enterprises:intent-detail", args=[world["intent_a"].pk])).status_code == 404
    assert client.get(reverse("enterprises:funnel")).status_code == 403
    assert client.get(reverse("enterprises:enterprise-list")).status_code == 403


def test_lists_never_leak(client, world):
    login(client, world["a"].admin_user)
    demands = client.get(reverse("enterprises:demand-list")).context["demands"]
    assert [d.pk for d in demands] == [world["demand_a"].pk]
    intents = client.get(reverse("enterprises:intent-list")).context["intents"]
    assert [i.pk for i in intents] == [world["intent_a"].pk]
    login(client, world["expert_b"].user)
    intents = client.get(reverse("enterprises:intent-list")).context["intents"]
    assert [i.pk for i in intents] == [world["intent_b"].pk]
    shown = {d.pk for d in client.get(reverse("enterprises:demand-list")).context["demands"]}
    assert shown == {world["demand_a"].pk, world["demand_b"].pk}  # published ones, not the draft


def test_selectors_and_permissions_agree(world):
    users = [
        world["a"].admin_user,
        world["b"].admin_user,
        world["expert_a"].user,
        world["expert_b"].user,
        world["staff"],
        UserFactory(),
    ]
    past = DemandFactory(enterprise=world["b"], deadline=timezone.localdate() - timedelta(days=3))
    for user in users:
        user = type(user).objects.get(pk=user.pk)
        listed = set(demand_list(user=user).values_list("pk", flat=True))
        for demand in Demand.objects.all():
            assert user.has_perm("enterprises.view_demand", demand) == (demand.pk in listed), (user, demand)
        intents = set(intent_list(user=user).values_list("pk", flat=True))
        for intent in Intent.objects.all():
            assert user.has_perm("enterprises.view_intent", intent) == (intent.pk in intents), (user, intent)
    assert past.pk not in set(demand_list(user=world["expert_a"].user).values_list("pk", flat=True))


# --- query-count guards ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "enterprises:demand-list",
        "enterprises:intent-list",
        "enterprises:enterprise-list",
        "enterprises:event-list",
    ],
)
def test_list_views_keep_a_constant_number_of_queries(client, world, url_name, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, world["staff"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url_name))
    for _ in range(8):
        IntentFactory(demand=DemandFactory(enterprise=world["b"]), expert=world["expert_b"])
        EnterpriseFactory()
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse(url_name)).status_code == 200
    assert len(few) <= 14


# --- recommendations and intents through the pages ---------------------------------------------------


def test_demand_page_shows_ranked_experts_with_their_explanation(client, world):
    make_expert("吴俊", discipline="化学", research_fields="有机合成")
    login(client, world["a"].admin_user)
    response = client.get(reverse("enterprises:demand-detail", args=[world["demand_a"].pk]))
    items = response.context["recommendations"]
    assert [i["expert"].name for i in items] == ["林书恒"]
    assert items[0]["has_intent"] is True
    body = response.content.decode()
    assert "电池管理系统</span>" in body and "学科与行业对口" in body and "昌平区主导产业" in body


def test_enterprise_invites_and_expert_accepts_through_the_pages(client, world):
    login(client, world["a"].admin_user)
    response = client.post(
        reverse("enterprises:demand-invite", args=[world["demand_a"].pk]),
        {"expert": world["expert_b"].pk, "message": "诚邀"},
        follow=True,
    )
    assert "已向郑凯发出邀请" in response.content.decode()
    intent = Intent.objects.get(demand=world["demand_a"], expert=world["expert_b"])
    assert intent.initiator == IntentInitiator.ENTERPRISE
    login(client, world["expert_b"].user)
    response = client.post(reverse("enterprises:intent-accept", args=[intent.pk]), follow=True)
    assert "对接意向接受" in response.content.decode()
    assert "双方已达成合作意向" in response.content.decode()
    response = client.post(reverse("enterprises:intent-accept", args=[intent.pk]), follow=True)
    assert "不能变更为" in response.content.decode()  # a second accept: refused with a message
    assert Intent.objects.get(pk=intent.pk).transitions.count() == 2  # opened, accepted: nothing more


def test_expert_applies_and_the_enterprise_cannot_accept_its_own_invitation(client, world):
    login(client, world["expert_b"].user)
    client.post(reverse("enterprises:demand-apply", args=[world["demand_a"].pk]), {"message": "申请"})
    applied = Intent.objects.get(demand=world["demand_a"], expert=world["expert_b"])
    assert applied.initiator == IntentInitiator.EXPERT
    login(client, world["a"].admin_user)
    page = client.get(reverse("enterprises:intent-detail", args=[world["intent_a"].pk]))
    assert page.context["can_respond"] is False and page.context["can_withdraw"] is True
    client.post(reverse("enterprises:intent-accept", args=[world["intent_a"].pk]))
    assert Intent.objects.get(pk=world["intent_a"].pk).state == IntentState.PENDING


def test_applying_past_the_deadline_is_refused(client, world):
    Demand.objects.filter(pk=world["demand_b"].pk).update(deadline=timezone.localdate() - timedelta(days=1))
    login(client, world["expert_a"].user)
    response = client.post(reverse("enterprises:demand-apply", args=[world["demand_b"].pk]))
    assert response.status_code == 404  # a past-deadline demand is no longer shown to the pool
    assert not Intent.objects.filter(demand=world["demand_b"], expert=world["expert_a"]).exists()


def test_expert_sees_recommended_demands_with_explanation(client, world):
    login(client, world["expert_a"].user)
    response = client.get(reverse("enterprises:demand-recommended"))
    titles = [i["demand"].title for i in response.context["recommendations"]]
    assert set(titles) == {world["demand_a"].title, "乙的需求"}
    assert "电池管理系统" in response.content.decode()


# --- staff -------------------------------------------------------------------------------------------


def test_staff_verifies_and_a_reject_without_reason_changes_nothing(client, world):
    pending = EnterpriseFactory(state=EnterpriseState.REGISTERED)
    login(client, world["staff"])
    response = client.post(
        reverse("enterprises:enterprise-reject", args=[pending.pk]), {"reason": ""}, follow=True
    )
    assert "请填写未通过认证的原因" in response.content.decode()
    assert Enterprise.objects.get(pk=pending.pk).state == EnterpriseState.REGISTERED
    client.post(reverse("enterprises:enterprise-verify", args=[pending.pk]))
    assert Enterprise.objects.get(pk=pending.pk).state == EnterpriseState.VERIFIED


def test_enterprise_user_cannot_verify_itself(client):
    pending = EnterpriseFactory(state=EnterpriseState.REGISTERED)
    login(client, pending.admin_user)
    assert client.post(reverse("enterprises:enterprise-verify", args=[pending.pk])).status_code == 403
    assert Enterprise.objects.get(pk=pending.pk).state == EnterpriseState.REGISTERED


def test_funnel_counts_by_industry_and_month(client, world):
    Intent.objects.filter(pk=world["intent_a"].pk).update(state=IntentState.ACCEPTED)
    login(client, world["staff"])
    response = client.get(reverse("enterprises:funnel"))
    funnel = response.context["funnel"]
    energy = next(r for r in funnel["by_industry"] if r["label"] == "先进能源")
    assert (energy["demands"], energy["invitations"], energy["intents"], energy["projects"]) == (2, 2, 1, 0)
    month = timezone.localdate().strftime("%Y-%m")
    assert funnel["by_month"] == [
        {"label": month, "demands": 2, "invitations": 2, "applications": 0, "intents": 1, "projects": 0}
    ]
    filtered = client.get(reverse("enterprises:funnel"), {"industry": "medicine_health"}).context["funnel"]
    assert filtered["totals"]["demands"] == 0
    bad = client.get(reverse("enterprises:funnel"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert "起始日期不能晚于截止日期" in bad.content.decode()


def test_member_add_page_for_the_admin(client, world):
    login(client, world["a"].admin_user)
    response = client.post(
        reverse("enterprises:member-add", args=[world["a"].pk]),
        {
            "username": "qy_colleague",
            "full_name": "同事",
            "email": "c@example.cn",
            "password": "Xk9#pqrTuv2w",
        },
    )
    assert response.status_code == 302
    assert EnterpriseMember.objects.filter(enterprise=world["a"], user__username="qy_colleague").exists()


def test_event_pages(client, world):
    login(client, world["staff"])
    response = client.post(
        reverse("enterprises:event-create"),
        {"title": "先进能源专场", "held_on": timezone.localdate().isoformat(), "location": "未来科学城"},
    )
    event_url = response["Location"]
    pk = int(event_url.rstrip("/").split("/")[-1])
    client.post(
        reverse("enterprises:event-invite", args=[pk]),
        {"enterprises": [world["a"].pk], "experts": [world["expert_a"].pk]},
    )
    assert client.get(event_url).context["participants"].count() == 2
    login(client, world["b"].admin_user)  # not invited
    assert client.get(event_url).status_code == 404
    login(client, world["a"].admin_user)
    assert client.get(event_url).status_code == 200


# --- the demo data ------------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    with open("/dev/null", "w") as sink:
        call_command("seed_demo", stdout=sink)


def test_demo_pages_render_for_each_side(client, demo):
    client.login(username="qy_chen", password=DEMO_PASSWORD)
    mine = client.get(reverse("enterprises:enterprise-mine"), follow=True)
    assert "北京天源生物医药科技有限公司" in mine.content.decode()
    demand = Demand.objects.get(title="抗体偶联药物（ADC）连接子工艺放大")
    page = client.get(reverse("enterprises:demand-detail", args=[demand.pk]))
    assert [i["expert"].name for i in page.context["recommendations"]][:1] == ["高雅婷"]
    accepted = Intent.objects.get(expert__name="张明远", state=IntentState.ACCEPTED)
    assert accepted.demand.enterprise.name == "北京天源生物医药科技有限公司"
    client.login(username="zj_zhang", password=DEMO_PASSWORD)
    assert client.get(reverse("enterprises:intent-detail", args=[accepted.pk])).status_code == 200
    assert client.get(reverse("enterprises:demand-recommended")).status_code == 200
    otp_login(client, User.objects.get(username="kw_wang"))
    for name in ("enterprise-list", "demand-list", "intent-list", "event-list", "funnel"):
        assert client.get(reverse(f"enterprises:{name}")).status_code == 200, name
    assert set(Intent.objects.values_list("state", flat=True)) == set(IntentState.values)
    assert set(Demand.objects.values_list("state", flat=True)) == set(DemandState.values)
    assert set(Enterprise.objects.values_list("state", flat=True)) == set(EnterpriseState.values)
