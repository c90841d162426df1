"""Issue 22: the enterprise, demand, intent and event pages post each action to its own view. Invalid
input is shown at its field (the page again, nothing written, no message joined with "；"); each action
keeps its access rule: another enterprise's record is a 404, a right the user lacks a 403."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises import services
from enterprises.enums import DemandState, EnterpriseState, IntentState
from enterprises.models import Demand, Enterprise, Intent, MatchmakingEvent
from tests.factories.accounts import otp_login
from tests.factories.enterprises import DemandFactory, EnterpriseFactory, IntentFactory, expert_user
from tests.field_errors import error_at_field

pytestmark = pytest.mark.django_db


def test_a_rejection_without_reason_is_shown_at_its_field(client, staff):
    pending = EnterpriseFactory(state=EnterpriseState.REGISTERED)
    otp_login(client, staff)
    response = client.post(reverse("enterprises:enterprise-reject", args=[pending.pk]), {"reason": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert error_at_field(page, "reject_form-reason") == "请填写未通过认证的原因。"
    assert "；" not in page.split('id="reject-form"', 1)[1].split("</form>", 1)[0]
    assert Enterprise.objects.get(pk=pending.pk).state == EnterpriseState.REGISTERED


def test_an_invalid_invitation_to_an_event_is_shown_at_its_field(client, staff):
    event = services.event_create(by=staff, data={"title": "先进能源专场", "held_on": timezone.localdate()})
    otp_login(client, staff)
    response = client.post(reverse("enterprises:event-invite", args=[event.pk]), {"enterprises": ["999999"]})
    assert response.status_code == 200
    assert "999999" in error_at_field(response.content.decode(), "invite_form-enterprises")
    assert not event.participants.exists()


@pytest.fixture
def world():
    ours, theirs = EnterpriseFactory(name="甲公司"), EnterpriseFactory(name="乙公司")
    demand = DemandFactory(enterprise=theirs, state=DemandState.DRAFT, published_at=None)
    intent = IntentFactory(demand=DemandFactory(enterprise=theirs), expert=expert_user(name="郑凯"))
    return {"ours": ours, "theirs": theirs, "demand": demand, "intent": intent}


@pytest.mark.parametrize("name", ["verify", "reject", "resubmit"])
def test_another_enterprise_is_404_and_a_right_it_lacks_403(client, world, name):
    otp_login(client, world["ours"].admin_user)
    url = reverse(f"enterprises:enterprise-{name}", args=[world["theirs"].pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    own = reverse(f"enterprises:enterprise-{name}", args=[world["ours"].pk])
    assert client.post(own, {"reason": "x"}).status_code == (302 if name == "resubmit" else 403)
    assert Enterprise.objects.get(pk=world["theirs"].pk).state == EnterpriseState.VERIFIED


@pytest.mark.parametrize("name", ["publish", "close", "invite", "apply"])
def test_another_enterprises_demand_is_404(client, world, name):
    otp_login(client, world["ours"].admin_user)
    url = reverse(f"enterprises:demand-{name}", args=[world["demand"].pk])
    assert client.post(url, {"expert": world["intent"].expert_id}).status_code == 404
    assert Demand.objects.get(pk=world["demand"].pk).state == DemandState.DRAFT


@pytest.mark.parametrize("name", ["accept", "decline", "withdraw", "in-service"])
def test_another_enterprises_intent_is_404(client, world, name):
    otp_login(client, world["ours"].admin_user)
    url = reverse(f"enterprises:intent-{name}", args=[world["intent"].pk])
    assert client.post(url, {"value": "1"}).status_code == 404
    assert Intent.objects.get(pk=world["intent"].pk).state == IntentState.PENDING


def test_the_in_service_mark_is_403_to_the_intents_own_sides(client, world):
    otp_login(client, world["theirs"].admin_user)
    url = reverse("enterprises:intent-in-service", args=[world["intent"].pk])
    assert client.post(url, {"value": "1"}).status_code == 403


@pytest.mark.parametrize("name", ["invite", "attendance", "link"])
def test_event_actions_are_403_to_anybody_but_staff(client, world, staff, name):
    event = services.event_create(by=staff, data={"title": "对接会", "held_on": timezone.localdate()})
    otp_login(client, world["ours"].admin_user)
    url = reverse(f"enterprises:event-{name}", args=[event.pk])
    assert (
        client.post(url, {"enterprises": [world["ours"].pk], "intent": world["intent"].pk}).status_code == 403
    )
    assert not MatchmakingEvent.objects.get(pk=event.pk).participants.exists()
