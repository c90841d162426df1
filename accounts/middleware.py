"""One gate for every authenticated request (after django_otp's OTPMiddleware):

1. absolute session limit: a session older than SESSION_ABSOLUTE_SECONDS (12 h) since login ends, and
   one not renewed for SESSION_COOKIE_AGE (30 minutes idle, core.sessions) too;
2. two-factor: a user holding a role of OTP_REQUIRED_ROLES reaches no page before a verified TOTP or
   recovery code — without a confirmed device they are sent to enrolment, otherwise to verification;
3. password age: a staff-side user whose password is older than PASSWORD_MAX_AGE_DAYS (or was set by
   an administrator and never changed) is sent to the password change page;
4. `Cache-Control: no-store` on every response to a logged-in user (pages may carry personal data).

Tests log staff users in with the `otp_login` fixture of tests/conftest.py (docs/DEVELOPING.md).
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from core.audit import audit
from core.http import client_ip
from core.sessions import idle_expired

from .enums import OTP_REQUIRED_ROLES, STAFF_SIDE_ROLES
from .signals import LOGIN_AT_SESSION_KEY

#: Views reachable before the second factor (and before a forced password change).
OTP_EXEMPT_VIEWS = frozenset({
    "accounts:login", "accounts:logout", "accounts:otp-verify", "accounts:otp-setup",
    "set_language", "admin:logout", "core:index",
})
PASSWORD_EXEMPT_VIEWS = OTP_EXEMPT_VIEWS | {"accounts:password-change"}
#: Data-version scope of the second-factor devices (core.dataversion).
OTP_SCOPE = "otp-devices"


def _view_name(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def needs_otp(user) -> bool:
    return user.has_role(*OTP_REQUIRED_ROLES)


def password_expired(user, now=None) -> bool:
    if not user.has_role(*STAFF_SIDE_ROLES):
        return False
    if user.password_changed_at is None:
        return True
    return user.password_changed_at < (now or timezone.now()) - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


class _CheckedDevice:
    """The verified device as django_otp's middleware checks it (its owner, confirmed), from the cache;
    any other attribute loads the device itself (no secret is ever cached)."""

    def __init__(self, persistent_id: str, user_id: int, confirmed: bool):
        self.persistent_id, self.user_id, self.confirmed = persistent_id, user_id, confirmed

    def __getattr__(self, name):
        device = self.__dict__.get("_device")
        if device is None:
            from django_otp.models import Device

            device = self.__dict__["_device"] = Device.from_persistent_id(self.persistent_id)
        if device is None:
            raise AttributeError(name)
        return getattr(device, name)


class OTPMiddleware(DjangoOTPMiddleware):
    """django_otp's OTPMiddleware, reading the session's device (owner, confirmed) from the cache per data
    version of the device tables instead of one query a request (issue 20): enrolment, reset or deletion
    of any device moves the version (core.dataversion, registered in AccountsConfig.ready)."""

    def _device_from_persistent_id(self, persistent_id: str):
        if not settings.CACHE_OTP_DEVICE:
            return super()._device_from_persistent_id(persistent_id)
        from core import dataversion

        def load():
            device = super(OTPMiddleware, self)._device_from_persistent_id(persistent_id)
            return None if device is None else (device.user_id, bool(device.confirmed))

        found = dataversion.cached(OTP_SCOPE, f"device:{persistent_id}", load)
        return None if found is None else _CheckedDevice(persistent_id, *found)


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self.gate(request, user)
            if response is not None:
                add_never_cache_headers(response)
                return response
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response

    def gate(self, request, user):
        login_at = request.session.get(LOGIN_AT_SESSION_KEY)
        now = timezone.now()
        if login_at is None or now.timestamp() - login_at > settings.SESSION_ABSOLUTE_SECONDS:
            audit(user, "session.expire", user, summary=user.username, ip_address=client_ip(request))
            logout(request)
            messages.info(request, _("登录已超过12小时，请重新登录。"))
            return redirect(settings.LOGIN_URL)
        if idle_expired(request.session, now.timestamp()):
            # 30 minutes since the session was last renewed (core.sessions): the store ends such a session
            # itself; this holds the rule whatever the store. Only this session ends.
            request.session.flush()
            request.user = AnonymousUser()
            return redirect(settings.LOGIN_URL)
        view_name = _view_name(request)
        if view_name in OTP_EXEMPT_VIEWS:
            return None
        if needs_otp(user) and not user.is_verified():
            from django_otp import user_has_device

            target = "accounts:otp-verify" if user_has_device(user, confirmed=True) else "accounts:otp-setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        if view_name not in PASSWORD_EXEMPT_VIEWS and password_expired(user, now):
            messages.warning(request, _("您的密码已超过90天未修改（或为初始密码），请先修改密码。"))
            return redirect("accounts:password-change")
        return None
