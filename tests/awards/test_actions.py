"""Issue 22: the cycle and application pages post each action to its own view. A return without a reason
is shown at the reason field (the page again, nothing written); each action keeps its access rule: the
cycle's steps are commission staff's (404 to anybody else), an application another user may not see is a
404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import Role
from awards.enums import ApplicationState, CycleState
from awards.models import AwardApplication, AwardCycle
from tests.factories import awards as af
from tests.factories.accounts import UserFactory
from tests.field_errors import error_at_field

pytestmark = pytest.mark.django_db

CYCLE_ACTIONS = ["open", "review", "assign", "close", "approve", "publish", "batch", "certificates"]


def test_a_return_without_reason_is_shown_at_its_field(client, otp_login):
    cycle = af.cycle()
    application = af.apply(cycle, af.completed())
    otp_login(client, af.staff())
    response = client.post(reverse("awards:application-return", args=[application.pk]), {"reason": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert error_at_field(page, "reason_form-reason") == "退回时请填写理由。"
    assert "；" not in page
    assert AwardApplication.objects.get(pk=application.pk).state == ApplicationState.SUBMITTED
    client.post(reverse("awards:application-return", args=[application.pk]), {"reason": "佐证材料不全"})
    assert AwardApplication.objects.get(pk=application.pk).state == ApplicationState.RETURNED


@pytest.mark.parametrize("action", ["confirm", "submit", "return"])
def test_another_users_application_is_404(client, action):
    application = af.apply(af.cycle(), af.completed())
    other = af.completed()
    url = reverse(f"awards:application-{action}", args=[application.pk])
    for user in (af.enterprise_user(other), other.expert.user):
        client.force_login(user)
        assert client.post(url, {"reason": "x"}).status_code == 404
    assert AwardApplication.objects.get(pk=application.pk).state == ApplicationState.SUBMITTED


@pytest.mark.parametrize("action", CYCLE_ACTIONS)
def test_every_cycle_action_is_404_to_anybody_but_staff(client, otp_login, action):
    cycle = af.cycle()
    project = af.completed()
    url = reverse(f"awards:cycle-{action}", args=[cycle.pk])
    for user in (af.enterprise_user(project), project.expert.user, UserFactory(roles=[Role.FINANCE])):
        otp_login(client, user)
        assert client.post(url, {"confirmed": "1"}).status_code == 404
    assert AwardCycle.objects.get(pk=cycle.pk).state == CycleState.OPEN


def test_the_decision_page_posts_the_suggestion_to_its_own_view(client, otp_login):
    staff, cycle, _projects = af.published(publish=False)
    AwardCycle.objects.filter(pk=cycle.pk).update(state=CycleState.CLOSED)  # the levels may be chosen
    otp_login(client, staff)
    page = client.get(reverse("awards:decision", args=[cycle.pk])).content.decode()
    assert f'formaction="{reverse("awards:decision-autofill", args=[cycle.pk])}"' in page


def test_a_return_by_the_enterprise_is_refused_with_a_message(client):
    project = af.completed()
    application = af.apply(af.cycle(), project)
    client.force_login(af.enterprise_user(project))
    url = reverse("awards:application-return", args=[application.pk])
    response = client.post(url, {"reason": ""}, follow=True)
    page = response.content.decode()
    assert "只有区科委工作人员可以办理年度评选" in page and "invalid-feedback" not in page
    assert AwardApplication.objects.get(pk=application.pk).state == ApplicationState.SUBMITTED
