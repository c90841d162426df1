"""Item 4 — TOTP two-factor authentication (等保 2.0 8.1.4.1 d; ASVS 2.7, 2.8)."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import OTP_REQUIRED_ROLES, Role
from accounts.seed import DEMO_PASSWORD
from core.models import AuditEvent
from tests.factories.accounts import UserFactory, otp_device_for

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:otp-verify")
SETUP = reverse("accounts:otp-setup")


def code(device, drift=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def home(role):
    return reverse("core:role-home", args=[role])


def password_login(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("role", list(Role))
def test_which_roles_need_the_second_factor(client, role):
    user = UserFactory(roles=[role])
    client.force_login(user)
    response = client.get(home(role))
    if role in OTP_REQUIRED_ROLES:
        assert response.status_code == 302
        assert response["Location"] == f"{SETUP}?next=%2Fhome%2F{role}%2F"
    else:
        assert response.status_code == 200


def test_the_required_roles_are_the_ones_the_issue_names():
    assert {
        Role.COMMISSION, Role.FINANCE, Role.TALENT_OFFICE, Role.REVIEWER,
        Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN,
    } == OTP_REQUIRED_ROLES


def test_enrolment_with_qr_code_then_recovery_codes_shown_once(client):
    user = UserFactory(roles=[Role.COMMISSION])
    client.force_login(user)
    page = client.get(SETUP)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "<img" not in body  # inline SVG, nothing fetched
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert page.context["secret"] in body
    # A wrong code is refused and nothing is confirmed.
    wrong = client.post(SETUP, {"token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "动态口令不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    # django-otp throttles after a failure (1 s, doubling); the user types again a moment later.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    done = client.post(SETUP, {"token": code(device), "next": home(Role.COMMISSION)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(c in done.content.decode() for c in codes)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(home(Role.COMMISSION)).status_code == 200
    assert AuditEvent.objects.filter(action="otp.enrol", actor=user).count() == 1
    # Shown once: the enrolment page now refuses to run again without a new verification.
    client.logout()
    client.force_login(user)
    assert client.get(SETUP)["Location"].startswith(VERIFY)


def test_login_needs_password_then_code(client):
    user = UserFactory(roles=[Role.FINANCE])
    device = otp_device_for(user)
    response = password_login(client, user)
    assert client.get(response["Location"])["Location"] == f"{VERIFY}?next=%2Fhome%2F"
    assert client.get(home(Role.FINANCE)).status_code == 302
    verified = client.post(VERIFY, {"token": code(device), "next": "/home/"})
    assert verified["Location"] == "/home/"
    assert client.get(home(Role.FINANCE)).status_code == 200
    assert AuditEvent.objects.filter(action="login.otp", actor=user).count() == 1


def test_a_used_code_cannot_be_used_again(client):
    user = UserFactory(roles=[Role.REVIEWER])
    device = otp_device_for(user)
    token = code(device)
    password_login(client, user)
    assert client.post(VERIFY, {"token": token})["Location"] == reverse("core:home")
    other = Client()
    password_login(other, user)
    replay = other.post(VERIFY, {"token": token})
    assert replay.status_code == 200
    assert "已使用过" in replay.content.decode()
    assert other.get(home(Role.REVIEWER)).status_code == 302
    assert AuditEvent.objects.filter(action="login.otp_failure").count() == 1


def test_a_code_from_ten_minutes_ago_is_refused(client):
    user = UserFactory(roles=[Role.COMMISSION])
    device = otp_device_for(user)
    password_login(client, user)
    assert client.post(VERIFY, {"token": code(device, drift=-20)}).status_code == 200
    assert client.get(home(Role.COMMISSION)).status_code == 302


def test_a_recovery_code_works_once(client):
    from accounts.otp import recovery_codes_issue

    user = UserFactory(roles=[Role.SYSTEM_ADMIN])
    otp_device_for(user)
    codes = recovery_codes_issue(user=user)
    password_login(client, user)
    assert client.post(VERIFY, {"token": codes[0]}).status_code == 302
    assert client.get(home(Role.SYSTEM_ADMIN)).status_code == 200
    other = Client()
    password_login(other, user)
    assert other.post(VERIFY, {"token": codes[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_force_login_alone_does_not_pass_the_second_factor_but_the_fixture_does(client, otp_login):
    user = UserFactory(roles=[Role.TALENT_OFFICE])
    client.force_login(user)
    assert client.get(home(Role.TALENT_OFFICE)).status_code == 302
    otp_login(client, user)
    assert client.get(home(Role.TALENT_OFFICE)).status_code == 200


def test_the_second_factor_guards_the_admin_too(client):
    user = UserFactory(roles=[Role.SYSTEM_ADMIN])
    otp_device_for(user)
    client.force_login(user)
    assert client.get("/admin/")["Location"].startswith(VERIFY)


def test_verify_page_does_not_redirect_off_site(client):
    user = UserFactory(roles=[Role.COMMISSION])
    device = otp_device_for(user)
    password_login(client, user)
    response = client.post(VERIFY, {"token": code(device), "next": "https://evil.example.com/"})
    assert response["Location"] == reverse("core:home")


def test_security_admin_resets_a_lost_device(client, otp_login):
    user = UserFactory(roles=[Role.FINANCE])
    otp_device_for(user)
    admin = UserFactory(roles=[Role.SECURITY_ADMIN])
    otp_login(client, admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="otp.reset", actor=admin).count() == 1
