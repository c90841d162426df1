"""Two-factor authentication with django-otp: enrolment of a TOTP device, recovery codes, QR as SVG."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit

from .services import sessions_end

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


def totp_device_pending(user) -> TOTPDevice:
    """The user's unconfirmed TOTP device being enrolled (created on first call, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def base32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


def otp_enrol_confirm(*, user, device: TOTPDevice, ip_address: str | None = None) -> list[str]:
    """Confirm `device` (its token was verified), replace older devices and issue fresh recovery codes.
    Returns the recovery codes: they are shown once and stored only as single-use static tokens."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_issue(user=user)
        audit(user, "otp.enrol", user, summary=user.username, ip_address=ip_address)
    return codes


def recovery_codes_issue(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def otp_reset(*, user, by, ip_address: str | None = None) -> None:
    """Remove a user's second factor (lost phone and recovery codes): they enrol again at next login."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        sessions_end(user=user)
        audit(by, "otp.reset", user, summary=user.username, ip_address=ip_address)
