"""Issue 16 item 3: publishing an award cycle (certificates follow) and issuing certificates ask for
confirmation with the prizes and their total in figures and capitals; nothing changes until confirmed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import Role
from awards.enums import CycleState
from awards.models import AwardCycle
from core.models import IssuedDocument
from tests.factories import awards as af
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_publish_asks_for_confirmation_with_the_prize_total(client, otp_login):
    staff, cycle, _projects = af.published(publish=False)
    assert cycle.state == CycleState.DECIDED
    otp_login(client, staff)
    url = reverse("awards:cycle-publish", args=[cycle.pk])
    ask = client.post(url)
    page = ask.content.decode()
    assert ask.status_code == 200
    assert "确认公布获奖名单" in page and "一等奖" in page and "二等奖" in page
    assert "¥300,000.00" in page and "叁拾万元整" in page
    assert AwardCycle.objects.get(pk=cycle.pk).state == CycleState.DECIDED
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert AwardCycle.objects.get(pk=cycle.pk).state == CycleState.PUBLISHED


def test_certificates_ask_for_confirmation(client, otp_login):
    staff, cycle, _projects = af.published()
    otp_login(client, staff)
    url = reverse("awards:cycle-certificates", args=[cycle.pk])
    before = IssuedDocument.objects.count()
    ask = client.post(url)
    assert ask.status_code == 200 and "确认生成获奖证书" in ask.content.decode()
    assert IssuedDocument.objects.count() == before


def test_publish_by_a_stranger_is_404(client, otp_login):
    _staff, cycle, _projects = af.published(publish=False)
    otp_login(client, UserFactory(roles=[Role.FINANCE]))
    url = reverse("awards:cycle-publish", args=[cycle.pk])
    assert client.post(url, {"confirmed": "1"}).status_code in (403, 404)
    assert AwardCycle.objects.get(pk=cycle.pk).state == CycleState.DECIDED
