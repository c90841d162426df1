"""Issue 16 items 3 and 9: admitting to the pool asks for confirmation; 准予入库 is offered only when the
nomination is admissible; an ineligible nomination's refusal names the rules that failed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from experts import services
from experts.models import Nomination
from tests.factories.accounts import otp_login
from tests.factories.experts import EXCEPTION_CASE, InstitutionFactory, nominator, submitted_nomination

pytestmark = pytest.mark.django_db

ADMIT = 'id="decision-admit"'


@pytest.fixture
def member():
    return nominator(InstitutionFactory(name="甲大学"))


def test_admit_asks_for_confirmation_and_writes_only_when_confirmed(client, member, staff):
    nomination = submitted_nomination(member, name="王确认")
    otp_login(client, staff)
    url = reverse("experts:nomination-admit", args=[nomination.pk])
    assert ADMIT in client.get(reverse("experts:nomination-detail", args=[nomination.pk])).content.decode()
    ask = client.post(url, {"reason": "材料齐全"})
    page = ask.content.decode()
    assert ask.status_code == 200
    assert "确认准予入库" in page and "王确认" in page and "甲大学" in page and "材料齐全" in page
    assert 'name="confirmed" value="1"' in page and f'action="{url}"' in page
    nomination.refresh_from_db()
    assert nomination.state == "submitted" and not nomination.expert.in_pool
    done = client.post(url, {"reason": "材料齐全", "confirmed": "1"})
    assert done.status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == "admitted" and nomination.expert.in_pool


def test_admit_by_a_stranger_is_404_and_writes_nothing(client, member):
    nomination = submitted_nomination(member)
    otp_login(client, nominator(InstitutionFactory(name="乙大学")))
    url = reverse("experts:nomination-admit", args=[nomination.pk])
    assert client.post(url, {"confirmed": "1"}).status_code == 404
    assert Nomination.objects.get(pk=nomination.pk).state == "submitted"


def test_ineligible_nomination_is_not_offered_admission_and_the_refusal_names_the_failed_rule(
    client, member, staff
):
    # The institution qualifies (211); the expert has neither a doctorate nor a senior title.
    nomination = submitted_nomination(member, name="赵硕士", degree="master", title_level="none")
    assert nomination.eligibility == "ineligible"
    otp_login(client, staff)
    detail = client.get(reverse("experts:nomination-detail", args=[nomination.pk])).content.decode()
    assert ADMIT not in detail and "admit-unavailable" in detail
    response = client.post(
        reverse("experts:nomination-admit", args=[nomination.pk]),
        {"confirmed": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert "学位或职称" in page and "专家既无博士学位" in page
    assert "推荐单位条件不可放宽" not in page  # the institution is not to blame
    assert Nomination.objects.get(pk=nomination.pk).state == "submitted"


def test_exception_is_offered_admission_only_after_approval(client, member, staff):
    nomination = submitted_nomination(member, **EXCEPTION_CASE)
    assert nomination.eligibility == "exception"
    otp_login(client, staff)
    detail_url = reverse("experts:nomination-detail", args=[nomination.pk])
    assert ADMIT not in client.get(detail_url).content.decode()
    services.nomination_exception_decide(nomination=nomination, by=staff, approve=True, note="同意放宽")
    page = client.get(detail_url).content.decode()
    assert ADMIT in page
    ask = client.post(reverse("experts:nomination-admit", args=[nomination.pk]), {}).content.decode()
    assert "放宽审批" in ask and "已批准" in ask
