"""ASVS 3.3.4 — users see their logged-in sessions and end any other one (or all others); ending a
session deletes it from the session store at once and is audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.enums import Role
from accounts.models import UserSession
from core.models import AuditEvent
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _logged_in(user, ip):
    client = Client(REMOTE_ADDR=ip)
    client.force_login(user)
    return client


def test_user_sees_and_ends_another_of_their_sessions():
    user = UserFactory(roles=[Role.ENTERPRISE])
    laptop, phone, third = (_logged_in(user, ip) for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3"))
    page = laptop.get(reverse("accounts:session-list")).content.decode()
    assert page.count("结束会话") == 2 and "当前会话" in page
    phone_row = UserSession.objects.get(session_key=phone.session.session_key)
    response = laptop.post(reverse("accounts:session-list"), {"session": phone_row.pk}, follow=True)
    assert "已结束该会话" in response.content.decode()
    assert phone.get(reverse("core:notification-list")).status_code == 302  # logged out at once
    assert laptop.get(reverse("core:notification-list")).status_code == 200
    assert AuditEvent.objects.filter(action="session.end", actor=user).count() == 1
    # The current session is not ended from here; "all others" ends the rest.
    mine = UserSession.objects.get(session_key=laptop.session.session_key)
    laptop.post(reverse("accounts:session-list"), {"session": mine.pk})
    assert laptop.get(reverse("core:notification-list")).status_code == 200
    laptop.post(reverse("accounts:session-list"), {"all_others": "1"})
    assert third.get(reverse("core:notification-list")).status_code == 302
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        laptop.session.session_key
    ]


def test_another_users_session_cannot_be_ended():
    owner, other = UserFactory(roles=[Role.EXPERT]), UserFactory(roles=[Role.EXPERT])
    victim = _logged_in(owner, "203.0.113.5")
    attacker = _logged_in(other, "203.0.113.6")
    row = UserSession.objects.get(user=owner)
    response = attacker.post(reverse("accounts:session-list"), {"session": row.pk}, follow=True)
    assert "该会话不存在或已结束" in response.content.decode()
    assert victim.get(reverse("core:notification-list")).status_code == 200
    assert (
        str(row.pk)
        not in attacker.get(reverse("accounts:session-list"))
        .content.decode()
        .split('name="session" value="')[1:2]
    )
