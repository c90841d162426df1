"""A signed-in commission user for the page benchmarks: the test client in-process, or a session cookie for
an HTTP load generator. The second factor is marked passed in the session exactly as django_otp.login
does after a verified code (see tests/factories/accounts.otp_login)."""

from __future__ import annotations

BENCH_USERNAME = "bench_commission"


def commission_user():
    from django.utils import timezone

    from accounts.enums import Role
    from accounts.models import User, UserRole

    user, created = User.objects.get_or_create(
        username=BENCH_USERNAME,
        defaults={
            "full_name": "基准测试",
            "email": "bench@example.cn",
            "password_changed_at": timezone.now(),
        },
    )
    if not created:
        User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
        user.refresh_from_db()
    UserRole.objects.get_or_create(user=user, role=Role.COMMISSION)
    user.__dict__.pop("role_set", None)
    return user


def signed_in_client(user=None):
    """A django.test.Client logged in as the commission user with the OTP step passed."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = user or commission_user()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def session_cookie(client) -> str:
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
