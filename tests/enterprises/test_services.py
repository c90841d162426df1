"""Registration, verification, members, demands and every intent transition (and the forbidden ones),
expiry and the notifications each step sends."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.enums import Role
from core.models import Notification
from core.workflow import TransitionError
from enterprises import services
from enterprises.enums import DemandState, EnterpriseState, IntentInitiator, IntentState
from enterprises.exceptions import EnterpriseError
from enterprises.models import Demand, Enterprise, EnterpriseMember, Intent
from tests.factories.accounts import UserFactory
from tests.factories.enterprises import (
    DemandFactory,
    EnterpriseFactory,
    IntentFactory,
    expert_user,
    industry,
    make_uscc,
)

pytestmark = pytest.mark.django_db


def enterprise_data(**over):
    data = {
        "name": "北京昌能储能技术有限公司",
        "uscc": make_uscc(),
        "registered_address": "北京市昌平区能源东路16号",
        "in_changping": True,
        "industry": industry("advanced_energy"),
        "qualifications": ["high_tech"],
        "size": "medium",
        "employee_count": 240,
        "rd_staff_count": 75,
        "contact_name": "刘昌能",
        "contact_phone": "010-69710001",
        "contact_email": "liu@example.cn",
    }
    data.update(over)
    return data


def register(**over):
    return services.enterprise_register(
        username=over.pop("username", "qy_liu"),
        password="Xk9#pqrTuv2w",
        full_name="刘昌能",
        email="liu@example.cn",
        phone="13800000000",
        data=enterprise_data(**over),
    )


# --- registration and verification -------------------------------------------------------------------


def test_registration_creates_user_enterprise_and_admin_membership(django_user):
    staff = django_user(roles=[Role.COMMISSION])
    user, enterprise = register()
    assert enterprise.state == EnterpriseState.REGISTERED
    assert user.has_role(Role.ENTERPRISE)
    member = EnterpriseMember.objects.get(user=user)
    assert (member.enterprise, member.is_admin) == (enterprise, True)
    assert [(t.from_state, t.to_state) for t in enterprise.transitions.all()] == [("", "registered")]
    assert Notification.objects.filter(recipient=staff, title__contains="新企业注册待认证").count() == 1


@pytest.mark.parametrize("code", ["91110114MA01TY8K30", "12345", "91110114MA01TY8K3I", ""])
def test_invalid_credit_code_is_refused_and_nothing_is_created(code):
    with pytest.raises(EnterpriseError, match="统一社会信用代码"):
        register(uscc=code)
    assert Enterprise.objects.count() == 0
    assert not EnterpriseMember.objects.exists()


def test_duplicate_credit_code_is_refused_and_the_first_enterprise_is_unchanged():
    _user, first = register()
    with pytest.raises(EnterpriseError, match="已被其他企业注册"):
        register(username="qy_other", name="另一家公司", uscc=first.uscc.lower())
    assert Enterprise.objects.count() == 1
    first.refresh_from_db()
    assert first.name == "北京昌能储能技术有限公司"


def test_weak_password_is_refused():
    with pytest.raises(EnterpriseError):
        services.enterprise_register(
            username="qy_x",
            password="123",
            full_name="x",
            email="x@example.cn",
            phone="1",
            data=enterprise_data(),
        )
    assert Enterprise.objects.count() == 0


def test_verify_notifies_the_enterprise(django_user, django_capture_on_commit_callbacks):
    staff = django_user(roles=[Role.COMMISSION])
    user, enterprise = register()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_verify(enterprise=enterprise, by=staff)
    enterprise.refresh_from_db()
    assert enterprise.state == EnterpriseState.VERIFIED and enterprise.verified_at is not None
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "认证已通过" in mail.outbox[0].subject


def test_reject_requires_a_reason_and_records_it(django_user):
    staff = django_user(roles=[Role.COMMISSION])
    _user, enterprise = register()
    with pytest.raises(EnterpriseError, match="原因"):
        services.enterprise_reject(enterprise=enterprise, by=staff, reason="  ")
    assert Enterprise.objects.get(pk=enterprise.pk).state == EnterpriseState.REGISTERED
    services.enterprise_reject(enterprise=enterprise, by=staff, reason="营业执照与名称不一致")
    enterprise.refresh_from_db()
    assert (enterprise.state, enterprise.rejection_reason) == (
        EnterpriseState.REJECTED,
        "营业执照与名称不一致",
    )
    assert enterprise.transitions.last().reason == "营业执照与名称不一致"


def test_rejected_enterprise_resubmits_and_verified_cannot_be_verified_again(django_user):
    staff = django_user(roles=[Role.COMMISSION])
    user, enterprise = register()
    services.enterprise_reject(enterprise=enterprise, by=staff, reason="资料不全")
    services.enterprise_resubmit(enterprise=enterprise, by=user)
    assert Enterprise.objects.get(pk=enterprise.pk).state == EnterpriseState.REGISTERED
    services.enterprise_verify(enterprise=enterprise, by=staff)
    for action in (services.enterprise_verify, services.enterprise_resubmit):
        with pytest.raises(TransitionError):
            action(enterprise=enterprise, by=staff)
    with pytest.raises(TransitionError):
        services.enterprise_reject(enterprise=enterprise, by=staff, reason="x")
    assert Enterprise.objects.get(pk=enterprise.pk).state == EnterpriseState.VERIFIED


def test_verified_enterprise_cannot_change_its_credit_code_itself():
    enterprise = EnterpriseFactory()
    with pytest.raises(EnterpriseError, match="联系区科委"):
        services.enterprise_update(
            enterprise=enterprise, by=enterprise.admin_user, data={"uscc": make_uscc()}
        )
    services.enterprise_update(enterprise=enterprise, by=enterprise.admin_user, data={"rd_staff_count": 30})
    assert Enterprise.objects.get(pk=enterprise.pk).rd_staff_count == 30


# --- members -----------------------------------------------------------------------------------------


COLLEAGUE_PASSWORD = "Xk9#pqrTuv2w"


def add_colleague(enterprise, by, name: str):
    """`by` adds the colleague qy_<name> to the enterprise, with COLLEAGUE_PASSWORD."""
    return services.enterprise_member_add(
        enterprise=enterprise, by=by, username=f"qy_{name}", password=COLLEAGUE_PASSWORD, full_name=name,
        email=f"{name}@example.cn",
    )


def test_admin_adds_a_colleague_with_the_enterprise_role():
    enterprise = EnterpriseFactory()
    member = add_colleague(enterprise, enterprise.admin_user, "colleague")
    assert member.enterprise == enterprise and member.is_admin is False
    assert member.user.has_role(Role.ENTERPRISE)
    assert member.user.check_password(COLLEAGUE_PASSWORD)


def test_non_admin_and_unverified_enterprise_cannot_add_colleagues():
    enterprise = EnterpriseFactory()
    colleague = UserFactory(roles=[Role.ENTERPRISE])
    EnterpriseMember.objects.create(enterprise=enterprise, user=colleague)
    with pytest.raises(EnterpriseError, match="企业管理员"):
        add_colleague(enterprise, colleague, "y")
    pending = EnterpriseFactory(state=EnterpriseState.REGISTERED)
    with pytest.raises(EnterpriseError, match="认证"):
        add_colleague(pending, pending.admin_user, "z")
    assert EnterpriseMember.objects.count() == 3


# --- demands -----------------------------------------------------------------------------------------


def demand_data(**over):
    data = {
        "title": "储能电池管理系统优化",
        "technical_field": "电化学储能",
        "keywords": "储能，电池管理系统",
        "industry": industry("advanced_energy"),
        "position": "vp",
        "description": "优化储能电站电池管理系统",
        "expected_work": "指导研发",
        "deadline": timezone.localdate() + timedelta(days=30),
    }
    data.update(over)
    return data


def test_unverified_enterprise_can_do_nothing_else():
    enterprise = EnterpriseFactory(state=EnterpriseState.REGISTERED)
    with pytest.raises(EnterpriseError, match="尚未通过区科委认证"):
        services.demand_create(enterprise=enterprise, by=enterprise.admin_user, data=demand_data())
    assert Demand.objects.count() == 0


def test_demand_is_stored_with_tokens_and_goes_draft_published_closed():
    enterprise = EnterpriseFactory()
    demand = services.demand_create(enterprise=enterprise, by=enterprise.admin_user, data=demand_data())
    assert demand.state == DemandState.DRAFT
    assert demand.tokens["keywords"] == ["储能", "电池管理系统"]
    services.demand_publish(demand=demand, by=enterprise.admin_user)
    assert demand.published_at is not None
    services.demand_close(demand=demand, by=enterprise.admin_user, reason="已解决")
    assert [(t.from_state, t.to_state) for t in demand.transitions.all()] == [
        ("", "draft"),
        ("draft", "published"),
        ("published", "closed"),
    ]
    with pytest.raises(TransitionError):
        services.demand_publish(demand=demand, by=enterprise.admin_user)


def test_demand_past_its_deadline_cannot_be_published():
    enterprise = EnterpriseFactory()
    demand = services.demand_create(
        enterprise=enterprise,
        by=enterprise.admin_user,
        data=demand_data(deadline=timezone.localdate() - timedelta(days=1)),
    )
    with pytest.raises(EnterpriseError, match="截止日期"):
        services.demand_publish(demand=demand, by=enterprise.admin_user)
    assert Demand.objects.get(pk=demand.pk).state == DemandState.DRAFT


def test_published_demands_past_deadline_are_closed_by_the_job():
    old = DemandFactory(deadline=timezone.localdate() - timedelta(days=1))
    current = DemandFactory()
    assert services.demand_close_past_deadline() == 1
    assert Demand.objects.get(pk=old.pk).state == DemandState.CLOSED
    assert Demand.objects.get(pk=current.pk).state == DemandState.PUBLISHED


# --- intents -----------------------------------------------------------------------------------------


@pytest.fixture
def pair():
    demand = DemandFactory()
    expert = expert_user(name="林书恒", research_fields="储能")
    return demand, expert


def test_invitation_is_pending_and_notifies_the_expert(pair, django_capture_on_commit_callbacks):
    demand, expert = pair
    with django_capture_on_commit_callbacks(execute=True):
        intent = services.intent_invite(
            demand=demand, expert=expert, by=demand.enterprise.admin_user, message="诚邀"
        )
    assert (intent.state, intent.initiator) == (IntentState.PENDING, IntentInitiator.ENTERPRISE)
    assert intent.expires_at == pytest.approx(
        intent.created_at + timedelta(days=14), abs=timedelta(seconds=5)
    )
    note = Notification.objects.get(recipient=expert.user)
    assert note.title == f"{demand.enterprise.name}邀请您对接需求“{demand.title}”"
    assert note.link == f"/enterprises/intents/{intent.pk}/"
    assert [m.to for m in mail.outbox] == [[expert.user.email]]


def test_application_notifies_every_enterprise_member(pair, django_capture_on_commit_callbacks):
    demand, expert = pair
    colleague = UserFactory(roles=[Role.ENTERPRISE])
    EnterpriseMember.objects.create(enterprise=demand.enterprise, user=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        services.intent_apply(demand=demand, expert=expert, by=expert.user, message="申请")
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        demand.enterprise.admin_user.pk,
        colleague.pk,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [demand.enterprise.admin_user.email, colleague.email]
    )


# (initiator, acting side, action) → resulting state, or the error
ALLOWED = [
    (IntentInitiator.ENTERPRISE, "expert", "accept", IntentState.ACCEPTED),
    (IntentInitiator.ENTERPRISE, "expert", "decline", IntentState.DECLINED),
    (IntentInitiator.ENTERPRISE, "enterprise", "withdraw", IntentState.WITHDRAWN),
    (IntentInitiator.EXPERT, "enterprise", "accept", IntentState.ACCEPTED),
    (IntentInitiator.EXPERT, "enterprise", "decline", IntentState.DECLINED),
    (IntentInitiator.EXPERT, "expert", "withdraw", IntentState.WITHDRAWN),
]
FORBIDDEN_SIDE = [
    (IntentInitiator.ENTERPRISE, "enterprise", "accept"),
    (IntentInitiator.ENTERPRISE, "enterprise", "decline"),
    (IntentInitiator.ENTERPRISE, "expert", "withdraw"),
    (IntentInitiator.EXPERT, "expert", "accept"),
    (IntentInitiator.EXPERT, "expert", "decline"),
    (IntentInitiator.EXPERT, "enterprise", "withdraw"),
]
SERVICE = {
    "accept": services.intent_accept,
    "decline": services.intent_decline,
    "withdraw": services.intent_withdraw,
}


def _open(pair, initiator):
    demand, expert = pair
    if initiator == IntentInitiator.ENTERPRISE:
        return services.intent_invite(demand=demand, expert=expert, by=demand.enterprise.admin_user)
    return services.intent_apply(demand=demand, expert=expert, by=expert.user)


def _admin(enterprise):
    return enterprise.members.get(is_admin=True).user


def _actor(intent, side):
    return _admin(intent.demand.enterprise) if side == "enterprise" else intent.expert.user


@pytest.mark.parametrize(("initiator", "side", "action", "state"), ALLOWED)
def test_allowed_intent_transitions_notify_the_other_side(
    pair, initiator, side, action, state, django_capture_on_commit_callbacks
):
    intent = _open(pair, initiator)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        SERVICE[action](intent=intent, by=_actor(intent, side), side=side, note="说明")
    intent.refresh_from_db()
    assert intent.state == state and intent.response_note == "说明" and intent.responded_at is not None
    assert [(t.from_state, t.to_state) for t in intent.transitions.all()] == [
        ("", "pending"),
        ("pending", state),
    ]
    other = intent.expert.user if side == "enterprise" else _admin(intent.demand.enterprise)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [other.pk]
    assert [m.to for m in mail.outbox if "对接意向" in m.subject] == [[other.email]]


@pytest.mark.parametrize(("initiator", "side", "action"), FORBIDDEN_SIDE)
def test_the_wrong_side_cannot_act(pair, initiator, side, action):
    intent = _open(pair, initiator)
    with pytest.raises(EnterpriseError):
        SERVICE[action](intent=intent, by=_actor(intent, side), side=side)
    assert Intent.objects.get(pk=intent.pk).state == IntentState.PENDING


def test_a_stranger_cannot_act(pair):
    intent = _open(pair, IntentInitiator.ENTERPRISE)
    with pytest.raises(EnterpriseError, match="当事方"):
        services.intent_accept(intent=intent, by=UserFactory(), side=None)


@pytest.mark.parametrize(
    "final", [IntentState.ACCEPTED, IntentState.DECLINED, IntentState.WITHDRAWN, IntentState.EXPIRED]
)
@pytest.mark.parametrize("action", ["accept", "decline", "withdraw"])
def test_nothing_moves_a_closed_intent(pair, final, action):
    """A second accept, accepting a withdrawn or expired invitation …: refused, nothing changes."""
    intent = IntentFactory(demand=pair[0], expert=pair[1], state=final)
    side = "expert" if action != "withdraw" else "enterprise"
    with pytest.raises(TransitionError, match="不能变更为"):
        SERVICE[action](intent=intent, by=_actor(intent, side), side=side)
    intent.refresh_from_db()
    assert intent.state == final and intent.transitions.count() == 0


def test_an_invitation_past_its_expiry_cannot_be_accepted_before_the_job_ran(pair):
    intent = _open(pair, IntentInitiator.ENTERPRISE)
    later = intent.expires_at + timedelta(minutes=1)
    with pytest.raises(EnterpriseError, match=r"已于.*过期"):
        services.intent_accept(intent=intent, by=intent.expert.user, side="expert", now=later)
    assert Intent.objects.get(pk=intent.pk).state == IntentState.PENDING


def test_expiry_job_expires_once_and_tells_both_sides(pair, django_capture_on_commit_callbacks):
    demand, expert = pair
    old = services.intent_invite(
        demand=demand, expert=expert, by=demand.enterprise.admin_user, now=timezone.now() - timedelta(days=15)
    )
    fresh = IntentFactory(demand=DemandFactory(enterprise=demand.enterprise), expert=expert)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.intent_expire_due() == 1
    assert services.intent_expire_due() == 0
    assert Intent.objects.get(pk=old.pk).state == IntentState.EXPIRED
    assert Intent.objects.get(pk=fresh.pk).state == IntentState.PENDING
    assert old.transitions.last().actor is None
    assert sorted(Notification.objects.values_list("recipient", flat=True)) == sorted(
        [demand.enterprise.admin_user.pk, expert.user.pk]
    )
    assert len(mail.outbox) == 2


def test_inviting_a_serving_expert_is_refused(pair):
    demand, expert = pair
    IntentFactory(expert=expert, state=IntentState.ACCEPTED, in_service=True)
    with pytest.raises(EnterpriseError, match="正在担任科技副总"):
        services.intent_invite(demand=demand, expert=expert, by=demand.enterprise.admin_user)
    assert not Intent.objects.filter(demand=demand).exists()


def test_a_second_open_intent_for_the_same_pair_is_refused(pair):
    demand, expert = pair
    _open(pair, IntentInitiator.ENTERPRISE)
    with pytest.raises(EnterpriseError, match="不能重复发起"):
        services.intent_apply(demand=demand, expert=expert, by=expert.user)
    assert Intent.objects.filter(demand=demand).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadline": timezone.localdate() - timedelta(days=1)}, "截止日期"),
        ({"state": DemandState.DRAFT, "published_at": None}, "未处于发布状态"),
        ({"state": DemandState.CLOSED}, "未处于发布状态"),
    ],
)
def test_no_intent_on_a_demand_that_is_closed_unpublished_or_past_deadline(pair, change, message):
    demand, expert = pair
    Demand.objects.filter(pk=demand.pk).update(**change)
    demand.refresh_from_db()
    with pytest.raises(EnterpriseError, match=message):
        services.intent_apply(demand=demand, expert=expert, by=expert.user)
    assert not Intent.objects.exists()


def test_experts_not_in_the_pool_cannot_be_invited(pair):
    demand, _expert = pair
    outsider = expert_user(name="未入库", in_pool=False)
    with pytest.raises(EnterpriseError, match="尚未入库"):
        services.intent_invite(demand=demand, expert=outsider, by=demand.enterprise.admin_user)


def test_in_service_only_for_an_accepted_intent(pair, django_user):
    staff = django_user(roles=[Role.COMMISSION])
    intent = _open(pair, IntentInitiator.ENTERPRISE)
    with pytest.raises(EnterpriseError, match="已接受"):
        services.intent_set_in_service(intent=intent, by=staff, in_service=True)
    services.intent_accept(intent=intent, by=intent.expert.user, side="expert")
    services.intent_set_in_service(intent=intent, by=staff, in_service=True)
    assert Intent.objects.get(pk=intent.pk).in_service is True


# --- events ------------------------------------------------------------------------------------------


def test_event_invite_attendance_and_resulting_intent(pair, django_user, django_capture_on_commit_callbacks):
    staff = django_user(roles=[Role.COMMISSION])
    demand, expert = pair
    event = services.event_create(
        by=staff, data={"title": "医药健康专场", "held_on": timezone.localdate(), "location": "未来科学城"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.event_invite(event=event, by=staff, enterprises=[demand.enterprise], experts=[expert])
            == 2
        )
    assert (
        services.event_invite(event=event, by=staff, enterprises=[demand.enterprise], experts=[expert]) == 0
    )
    assert Notification.objects.filter(title__contains="医药健康专场").count() == 2
    expert_row = event.participants.get(expert=expert)
    services.event_attendance(event=event, by=staff, attended_ids={expert_row.pk})
    assert list(event.participants.filter(attended=True)) == [expert_row]
    intent = _open(pair, IntentInitiator.EXPERT)
    services.event_link_intent(event=event, intent=intent, by=staff)
    assert Intent.objects.get(pk=intent.pk).event == event
    stranger = IntentFactory(demand=DemandFactory())
    with pytest.raises(EnterpriseError, match="邀请名单"):
        services.event_link_intent(event=event, intent=stranger, by=staff)
