"""Issue 22: the outcome page posts each action to its own view. A missing reason (dispute, return,
reject) is shown at the action's reason field — the page again, nothing written; another user's outcome
is a 404 for every action, as it was."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from outcomes import services
from outcomes.enums import OutcomeState
from outcomes.models import Outcome
from tests.factories import outcomes as of
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.factories.accounts import otp_login
from tests.field_errors import error_at_field

pytestmark = pytest.mark.django_db

ACTIONS = ["confirm", "dispute", "verify", "return", "reject", "resubmit", "withdraw"]


@pytest.fixture
def appt(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tf.appointment(start=date(2025, 3, 1))


@pytest.mark.parametrize(
    ("action", "state"), [("dispute", "reported"), ("return", "confirmed"), ("reject", "confirmed")]
)
def test_a_missing_reason_is_shown_at_the_actions_field(client, appt, action, state):
    outcome = of.report(appt)  # by the enterprise: the expert confirms or disputes, staff verify
    if state == "confirmed":
        services.outcome_act(outcome=outcome, action="confirm", by=tf.expert_user(appt))
        otp_login(client, pf.commission())
    else:
        otp_login(client, tf.expert_user(appt))
    before = Outcome.objects.get(pk=outcome.pk).state
    response = client.post(reverse(f"outcomes:outcome-{action}", args=[outcome.pk]), {"reason": " "})
    assert response.status_code == 200
    page = response.content.decode()
    assert error_at_field(page, f"{action}_form-reason") == "请填写理由"
    assert "；" not in page
    assert Outcome.objects.get(pk=outcome.pk).state == before
    client.post(reverse(f"outcomes:outcome-{action}", args=[outcome.pk]), {"reason": "材料与事实不符"})
    assert Outcome.objects.get(pk=outcome.pk).state != before


def test_the_page_offers_each_action_at_its_own_url(client, appt):
    outcome = of.report(appt)
    otp_login(client, tf.expert_user(appt))
    page = client.get(reverse("outcomes:outcome-detail", args=[outcome.pk])).content.decode()
    assert f'action="{reverse("outcomes:outcome-confirm", args=[outcome.pk])}"' in page
    assert f'action="{reverse("outcomes:outcome-dispute", args=[outcome.pk])}"' in page
    assert reverse("outcomes:outcome-verify", args=[outcome.pk]) not in page  # staff's, not the expert's


@pytest.mark.parametrize("action", ACTIONS)
def test_another_users_outcome_is_404_for_every_action(client, appt, action):
    outcome = of.report(appt)
    stranger = tf.appointment(start=date(2025, 3, 1))
    for user in (tf.enterprise_user(stranger), tf.expert_user(stranger), tf.nominator(stranger)):
        otp_login(client, user)
        assert (
            client.post(reverse(f"outcomes:outcome-{action}", args=[outcome.pk]), {"reason": "x"}).status_code
            == 404
        )
    assert Outcome.objects.get(pk=outcome.pk).state == OutcomeState.AWAITING_CONFIRMATION


def test_an_action_refused_to_the_user_is_a_message_not_a_missing_reason(client, appt):
    outcome = of.report(appt)
    services.outcome_act(outcome=outcome, action="confirm", by=tf.expert_user(appt))
    otp_login(client, tf.expert_user(appt))  # not staff: may not return it, reason or none
    response = client.post(reverse("outcomes:outcome-return", args=[outcome.pk]), {"reason": ""}, follow=True)
    page = response.content.decode()
    assert "只有区科委工作人员可以核实成果" in page and "invalid-feedback" not in page
    assert Outcome.objects.get(pk=outcome.pk).state == OutcomeState.AWAITING_VERIFICATION
