"""Item 2 — login lockout keyed on username + IP (等保 2.0 8.1.4.1 b; ASVS 2.2.1)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.seed import DEMO_PASSWORD
from core.models import AuditEvent
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
IP = "198.51.100.20"


def _post(client, username, password, ip=IP):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail(client, username, times, ip=IP):
    return [_post(client, username, "Wrong#Pass123", ip).status_code for _ in range(times)]


@pytest.fixture
def expert(db):
    return UserFactory(username="zj_lock", roles=[Role.EXPERT])


def test_five_failures_are_answered_normally_and_the_sixth_locks(client, expert):
    assert _fail(client, "zj_lock", 5) == [200] * 5
    assert not AuditEvent.objects.filter(action="login.lockout").exists()
    sixth = _post(client, "zj_lock", "Wrong#Pass123")
    assert sixth.status_code == 429
    assert "已被锁定30分钟" in sixth.content.decode()
    # Locked: even the right password is refused now.
    assert _post(client, "zj_lock", DEMO_PASSWORD).status_code == 429
    lockout = AuditEvent.objects.filter(action="login.lockout").first()
    assert (lockout.ip_address, lockout.data["username"]) == (IP, "zj_lock")


def test_lockout_is_per_username_and_ip_pair(client, expert):
    UserFactory(username="zj_other", roles=[Role.EXPERT])
    _fail(client, "zj_lock", 6)
    assert _post(client, "zj_lock", DEMO_PASSWORD).status_code == 429
    # Same user from another address, and another user from the same address, are not locked.
    assert _post(client, "zj_lock", DEMO_PASSWORD, ip="198.51.100.99").status_code == 302
    client.logout()
    assert _post(client, "zj_other", DEMO_PASSWORD).status_code == 302


def _age_attempts(minutes):
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes))


@pytest.mark.parametrize(("minutes_ago", "locked"), [(29, True), (31, False)])
def test_the_lock_lasts_30_minutes(client, expert, minutes_ago, locked):
    _fail(client, "zj_lock", 6)
    _age_attempts(minutes_ago)
    assert _post(client, "zj_lock", DEMO_PASSWORD).status_code == (429 if locked else 302)


@pytest.mark.parametrize(("minutes_ago", "locks"), [(14, True), (16, False)])
def test_failures_count_within_15_minutes(client, expert, minutes_ago, locks):
    _fail(client, "zj_lock", 5)
    _age_attempts(minutes_ago)
    assert _post(client, "zj_lock", "Wrong#Pass123").status_code == (429 if locks else 200)
    failures = AccessAttempt.objects.get(username="zj_lock").failures_since_start
    assert failures == (6 if locks else 1)


def test_a_lock_survives_another_pairs_failure(client, expert):
    """Cleaning up one pair's stale failures must not release another pair's lock."""
    _fail(client, "zj_lock", 6)
    _age_attempts(20)  # locked 20 minutes ago: 10 minutes still to go
    _fail(client, "nobody", 1, ip="203.0.113.1")
    assert _post(client, "zj_lock", DEMO_PASSWORD).status_code == 429


def test_security_admin_unlocks_and_it_is_audited(client, otp_login, expert):
    _fail(client, "zj_lock", 6)
    admin = UserFactory(roles=[Role.SECURITY_ADMIN])
    otp_login(client, admin)
    page = client.get(reverse("accounts:lockout-list"))
    assert page.status_code == 200
    attempts = page.context["attempts"]
    assert [(a.username, a.ip_address) for a in attempts] == [("zj_lock", IP)]
    response = client.post(reverse("accounts:lockout-list"), {"attempt": attempts[0].pk})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(action="login.unlock")
    assert (event.actor, event.data) == (admin, {"username": "zj_lock", "ip": IP})
    client.logout()
    assert _post(client, "zj_lock", DEMO_PASSWORD).status_code == 302


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.COMMISSION])
def test_only_the_security_admin_may_unlock(client, otp_login, expert, role):
    _fail(client, "zj_lock", 6)
    attempt = AccessAttempt.objects.get()
    otp_login(client, UserFactory(roles=[role]))
    assert client.get(reverse("accounts:lockout-list")).status_code == 403
    assert client.post(reverse("accounts:lockout-list"), {"attempt": attempt.pk}).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert AuditEvent.objects.filter(action="access.denied").count() == 2
