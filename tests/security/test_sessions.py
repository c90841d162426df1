"""Item 3 — session management (等保 2.0 8.1.4.1 c/d; ASVS 3.2.1, 3.3.1–3.3.4)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import UserSession
from accounts.seed import DEMO_PASSWORD
from accounts.services import user_deactivate
from accounts.signals import LOGIN_AT_SESSION_KEY
from core.models import AuditEvent
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("core:role-home", args=[Role.EXPERT.value])


def _logged_in(client) -> bool:
    return client.get(HOME).status_code == 200


@pytest.fixture
def expert(db):
    return UserFactory(username="zj_session", roles=[Role.EXPERT])


def _two_clients(user):
    first, second = Client(), Client()
    for c in (first, second):
        assert c.login(username=user.username, password=DEMO_PASSWORD)
    assert _logged_in(first) and _logged_in(second)
    return first, second


def test_idle_timeout_is_30_minutes_renewed_at_most_once_a_minute():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # issue 20: the session row is renewed by activity at most once a minute (core.sessions)
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_TOUCH_SECONDS == 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600


def _session_writes(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert _logged_in(client)
    return sum(1 for q in ctx.captured_queries if q["sql"].startswith("UPDATE \"django_session\""))


def test_a_request_within_a_minute_of_the_last_renewal_writes_no_session(client, expert):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.login(username="zj_session", password=DEMO_PASSWORD)
        assert _session_writes(client) == 1  # the first page after login renews it
        expiry = Session.objects.get().expire_date
        clock.shift(timedelta(seconds=50))
        assert _session_writes(client) == 0
        assert Session.objects.get().expire_date == expiry
        clock.shift(timedelta(seconds=15))  # 65 s after the renewal
        assert _session_writes(client) == 1
        assert Session.objects.get().expire_date == expiry + timedelta(seconds=65)


def test_idle_31_minutes_is_logged_out_even_when_the_last_touch_was_skipped(client, expert):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.login(username="zj_session", password=DEMO_PASSWORD)
        assert _logged_in(client)  # renewed now
        clock.shift(timedelta(seconds=59))
        assert _session_writes(client) == 0  # active, but not renewed
        clock.shift(timedelta(minutes=31))  # idle 31 minutes after that last request
        assert not _logged_in(client)


def test_the_idle_rule_holds_whatever_the_store_says(client, expert):
    """The last renewal is also checked by accounts.middleware (a store that kept the row too long)."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.login(username="zj_session", password=DEMO_PASSWORD)
        assert _logged_in(client)
        Session.objects.update(expire_date=timezone.now() + timedelta(hours=2))
        clock.shift(timedelta(minutes=31))
        response = client.get(HOME)
        assert response.status_code == 302
        assert not _logged_in(client)


def test_active_user_stays_logged_in_past_30_minutes(client, expert):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.login(username="zj_session", password=DEMO_PASSWORD)
        for _ in range(8):  # a request every 5 minutes for 40 minutes
            clock.shift(timedelta(minutes=5))
            assert _logged_in(client)


def test_every_request_writes_the_session_when_the_interval_is_zero(client, expert, settings):
    settings.SESSION_TOUCH_SECONDS = 0
    client.login(username="zj_session", password=DEMO_PASSWORD)
    assert _session_writes(client) == 1
    assert _session_writes(client) == 1


def test_an_idle_session_past_its_expiry_is_gone(client, expert):
    client.login(username="zj_session", password=DEMO_PASSWORD)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    if settings.SESSION_ENGINE.endswith("cached_db"):
        # the cached copy lives no longer than the idle limit; Redis drops it then, as here
        from django.contrib.sessions.backends.cached_db import KEY_PREFIX
        from django.core.cache import cache

        key = cache.make_key(KEY_PREFIX + client.session.session_key)
        assert 0 < cache._cache.get_client(key).ttl(key) <= settings.SESSION_COOKIE_AGE
        cache.delete(KEY_PREFIX + client.session.session_key)
    assert not _logged_in(client)


def test_sessions_are_read_from_the_shared_cache_and_written_to_the_database(client, expert):
    """Issue 20: no session query a request; revoking a session (another device, deactivation) still ends
    it at once, as it deletes the cached copy with the row."""
    assert settings.SESSION_ENGINE.endswith("cached_db")  # tests run with Redis, as production
    client.login(username="zj_session", password=DEMO_PASSWORD)
    assert Session.objects.count() == 1
    assert _logged_in(client)
    with CaptureQueriesContext(connection) as ctx:
        assert _logged_in(client)
    assert [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"]] == []
    user_deactivate(user=expert, by=None)
    assert not _logged_in(client)


def test_each_request_pushes_the_idle_expiry_forward(client, expert):
    client.login(username="zj_session", password=DEMO_PASSWORD)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    assert _logged_in(client)
    expiry = Session.objects.get().expire_date
    assert expiry > timezone.now() + timedelta(minutes=29)


@pytest.mark.parametrize(("hours_ago", "still_in"), [(11.9, True), (12.1, False)])
def test_absolute_session_limit_is_12_hours(client, expert, hours_ago, still_in):
    client.login(username="zj_session", password=DEMO_PASSWORD)
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = int((timezone.now() - timedelta(hours=hours_ago)).timestamp())
    session.save()
    response = client.get(HOME)
    if still_in:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:login")
        assert AuditEvent.objects.filter(action="session.expire", actor=expert).count() == 1
        assert not _logged_in(client)


def test_session_key_rotates_at_login(client, expert):
    anonymous = client.session
    anonymous["marker"] = "before-login"
    anonymous.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("accounts:login"), {"username": "zj_session", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert list(UserSession.objects.filter(user=expert).values_list("session_key", flat=True)) == [after]


def test_logout_ends_all_the_users_sessions(expert):
    first, second = _two_clients(expert)
    assert UserSession.objects.filter(user=expert).count() == 2
    first.post(reverse("accounts:logout"))
    assert not _logged_in(first)
    assert not _logged_in(second)
    assert not UserSession.objects.filter(user=expert).exists()
    assert AuditEvent.objects.get(action="logout").data == {"sessions_ended": 2}


def test_password_change_ends_the_other_sessions_and_keeps_this_one(expert):
    first, second = _two_clients(expert)
    new = "Zj#2027changping"
    response = first.post(
        reverse("accounts:password-change"),
        {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert _logged_in(first)
    assert not _logged_in(second)
    # The kept session stays registered under its new key, so a later logout ends it too.
    assert list(UserSession.objects.filter(user=expert).values_list("session_key", flat=True)) == [
        first.cookies[settings.SESSION_COOKIE_NAME].value
    ]
    event = AuditEvent.objects.get(action="user.password_change")
    assert event.data == {"sessions_ended": 1}


def test_deactivation_ends_all_sessions_at_once(expert):
    first, second = _two_clients(expert)
    admin = UserFactory(roles=[Role.SYSTEM_ADMIN])
    user_deactivate(user=expert, by=admin, ip_address="10.1.2.3")
    assert not _logged_in(first) and not _logged_in(second)
    assert Session.objects.count() == 0
    expert.refresh_from_db()
    assert expert.is_active is False
    event = AuditEvent.objects.get(action="user.deactivate")
    assert (event.actor, event.ip_address, event.data) == (admin, "10.1.2.3", {"sessions_ended": 2})
    assert not Client().login(username="zj_session", password=DEMO_PASSWORD)


def test_system_admin_deactivates_in_the_admin_and_sessions_end(otp_login, expert):
    first, _second = _two_clients(expert)
    admin_client = Client()
    admin = UserFactory(roles=[Role.SYSTEM_ADMIN])
    otp_login(admin_client, admin)
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate_users", "_selected_action": [expert.pk]},
    )
    assert response.status_code == 302
    assert not _logged_in(first)
    assert AuditEvent.objects.filter(action="user.deactivate", actor=admin).count() == 1


def test_a_password_set_by_the_system_admin_ends_sessions_and_must_be_changed(otp_login):
    staff = UserFactory(username="kw_reset", roles=[Role.COMMISSION])
    staff_client = Client()
    otp_login(staff_client, staff)
    assert staff_client.get(reverse("core:role-home", args=[Role.COMMISSION])).status_code == 200
    admin_client = Client()
    admin = UserFactory(roles=[Role.SYSTEM_ADMIN])
    otp_login(admin_client, admin)
    new = "Kw#2027changping"
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[staff.pk]),
        {"password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert staff_client.get(reverse("core:role-home", args=[Role.COMMISSION])).status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(new) and staff.password_changed_at is None
    event = AuditEvent.objects.get(action="user.password_reset")
    assert (event.actor, event.data) == (admin, {"sessions_ended": 1})


def test_logging_in_again_starts_the_idle_clock_again(client, expert):
    """A login on a browser whose earlier session is still stored (in the cache, or not yet cleared) keeps
    that session's data: its old renewal time must not log the user out on the next request."""
    from core.sessions import TOUCH_KEY

    client.login(username="zj_session", password=DEMO_PASSWORD)
    session = client.session
    session[TOUCH_KEY] = int((timezone.now() - timedelta(hours=2)).timestamp())
    session.save()
    assert not _logged_in(client)  # idle for two hours: out
    client.login(username="zj_session", password=DEMO_PASSWORD)
    session = client.session
    session[TOUCH_KEY] = int((timezone.now() - timedelta(hours=2)).timestamp())
    session.save()
    client.force_login(expert)  # a login on that same session
    assert _logged_in(client)
