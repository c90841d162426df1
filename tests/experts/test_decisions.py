"""Issue 22: staff's decision on a nomination, one view per button (admit, return, reject, approve or
refuse the exception). A missing reason is shown at the reason field (the page again, nothing written);
every decision URL is a 404 to anybody but commission staff, as the old single view was."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import Role
from experts import services
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.experts import (
    EXCEPTION_CASE,
    InstitutionFactory,
    make_nomination,
    nominator,
    submitted_nomination,
)
from tests.field_errors import error_at_field

pytestmark = pytest.mark.django_db

ACTIONS = ["admit", "return", "reject", "approve-exception", "refuse-exception"]


@pytest.fixture
def member():
    return nominator(InstitutionFactory(name="甲大学"))


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("return", "退回须填写理由。"),
        ("reject", "不予入库须填写理由。"),
        ("approve-exception", "放宽审批须填写理由。"),
        ("refuse-exception", "放宽审批须填写理由。"),
    ],
)
def test_a_missing_reason_is_shown_at_the_reason_field(client, member, action, message):
    nomination = submitted_nomination(member, **EXCEPTION_CASE)
    otp_login(client, UserFactory(roles=[Role.COMMISSION]))
    response = client.post(
        reverse(f"experts:nomination-{action}", args=[nomination.pk]), {"reason": " ", "credit_reason": "x"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert error_at_field(page, "decision_form-reason") == message
    assert "；" not in page.split('id="decision"', 1)[1].split("</form>", 1)[0]
    nomination.refresh_from_db()
    assert (nomination.state, nomination.exception_decision) == ("submitted", "pending")


def test_a_refusal_is_a_message_and_keeps_the_reason_typed(client, member):
    nomination = make_nomination(by=member)
    services.nomination_submit(nomination=nomination, by=member)  # eligible: no exception to decide
    otp_login(client, UserFactory(roles=[Role.COMMISSION]))
    url = reverse("experts:nomination-approve-exception", args=[nomination.pk])
    page = client.post(url, {"reason": "同意放宽的理由"}).content.decode()
    assert "只有已提交、需放宽审批的推荐才能审批放宽。" in page and "同意放宽的理由" in page


def test_the_buttons_post_to_their_own_views(client, member):
    nomination = submitted_nomination(member, **EXCEPTION_CASE)
    otp_login(client, UserFactory(roles=[Role.COMMISSION]))
    page = client.get(reverse("experts:nomination-detail", args=[nomination.pk])).content.decode()
    for action in ("return", "reject", "approve-exception", "refuse-exception"):
        assert f'formaction="{reverse(f"experts:nomination-{action}", args=[nomination.pk])}"' in page
    client.post(reverse("experts:nomination-refuse-exception", args=[nomination.pk]), {"reason": "条件不符"})
    nomination.refresh_from_db()
    assert nomination.exception_decision == "refused"


@pytest.mark.parametrize("action", ACTIONS)
def test_every_decision_is_404_to_anybody_but_staff(client, member, action):
    nomination = submitted_nomination(member, **EXCEPTION_CASE)
    url = reverse(f"experts:nomination-{action}", args=[nomination.pk])
    for user in (member, nominator(InstitutionFactory(name="乙大学")), UserFactory(roles=[Role.EXPERT])):
        otp_login(client, user)
        assert client.post(url, {"reason": "x", "confirmed": "1"}).status_code == 404
    nomination.refresh_from_db()
    assert (nomination.state, nomination.exception_decision) == ("submitted", "pending")
