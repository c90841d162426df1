from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import Role
from experts import services
from experts.models import Nomination
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.experts import make_nomination, nominator

pytestmark = pytest.mark.django_db
MODELS = ["discipline", "institution", "institutionmember", "expert", "nomination", "expertchangerequest"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelists_load_for_staff(client, model):
    make_nomination()
    otp_login(client, UserFactory(roles=[Role.COMMISSION]))
    response = client.get(reverse(f"admin:experts_{model}_changelist"), {"q": "王"})
    assert response.status_code == 200


def test_admin_admit_action_calls_the_service(client):
    member = nominator()
    nomination = make_nomination(by=member)
    services.nomination_submit(nomination=nomination, by=member)
    staff = UserFactory(roles=[Role.COMMISSION])
    otp_login(client, staff)
    client.post(
        reverse("admin:experts_nomination_changelist"),
        {"action": "admit", "_selected_action": [nomination.pk]},
    )
    nomination.refresh_from_db()
    assert nomination.state == "admitted"
    assert nomination.transitions.order_by("id").last().actor == staff


def test_admin_admit_action_on_a_draft_reports_the_error(client):
    nomination = make_nomination()
    otp_login(client, UserFactory(roles=[Role.COMMISSION]))
    response = client.post(
        reverse("admin:experts_nomination_changelist"),
        {"action": "admit", "_selected_action": [nomination.pk]},
        follow=True,
    )
    assert "不能变更为" in response.content.decode()
    assert Nomination.objects.get(pk=nomination.pk).state == "draft"


def test_admin_is_closed_to_nominators(client):
    otp_login(client, nominator())
    response = client.get(reverse("admin:experts_nomination_changelist"))
    assert response.status_code == 302
