from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from core.audit import audit
from core.http import client_ip, local_next
from core.qr import qr_svg
from core.views import RoleRequiredMixin

from .enums import Role
from .forms import LoginForm, OTPEnrolForm, OTPTokenForm
from .lockout import locked_attempts
from .models import UserSession
from .otp import base32_secret, otp_enrol_confirm, totp_device_pending
from .services import lockout_release, session_end_one, sessions_end, user_password_changed


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session (new key), see update_session_auth_hash
        user_password_changed(
            user=self.request.user, keep_session=self.request.session.session_key,
            ip_address=client_ip(self.request),
        )
        messages.success(self.request, _("密码已修改，您在其他设备上的登录已全部退出。"))
        return response


def lockout_response(request, credentials=None, *args, **kwargs):
    """What django-axes answers to a locked username+IP (HTTP 429)."""
    return render(request, "accounts/lockout.html", status=429)


class _NextMixin:
    def next_url(self) -> str:
        return local_next(self.request, default=reverse("core:home"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)


class OTPVerifyView(_NextMixin, FormView):
    """Second step of login: a TOTP code (each usable once) or a recovery code."""

    template_name = "accounts/otp_verify.html"
    form_class = OTPTokenForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        if request.user.is_verified():
            return redirect(self.next_url())
        if not user_has_device(request.user, confirmed=True):
            return redirect(f"{reverse('accounts:otp-setup')}?{urlencode({'next': self.next_url()})}")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        user = self.request.user
        device = match_token(user, form.cleaned_data["token"].replace(" ", ""))
        if device is None:
            audit(None, "login.otp_failure", user, summary=user.username, ip_address=client_ip(self.request))
            form.add_error("token", _("动态口令错误、已过期或已使用过，请重新输入。"))
            return self.form_invalid(form)
        otp_login(self.request, device)
        audit(user, "login.otp", user, summary=user.username, data={"device": device.persistent_id},
              ip_address=client_ip(self.request))
        return redirect(self.next_url())


class OTPSetupView(_NextMixin, FormView):
    """Enrolment: scan the QR code, confirm one code, receive recovery codes (shown once)."""

    template_name = "accounts/otp_setup.html"
    form_class = OTPEnrolForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
            # Replacing a device needs the current second factor first.
            query = urlencode({"next": reverse("accounts:otp-setup")})
            return redirect(f"{reverse('accounts:otp-verify')}?{query}")
        self.device = totp_device_pending(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            qr_svg=qr_svg(self.device.config_url, box_size=8), secret=base32_secret(self.device), **kwargs
        )

    def form_valid(self, form):
        if not self.device.verify_token(form.cleaned_data["token"]):
            form.add_error("token", _("动态口令不正确，请确认手机时间准确后重新输入。"))
            return self.form_invalid(form)
        request = self.request
        codes = otp_enrol_confirm(user=request.user, device=self.device, ip_address=client_ip(request))
        otp_login(request, self.device)
        context = {"codes": codes, "next": self.next_url()}
        return render(request, "accounts/otp_recovery_codes.html", context)


class LockoutListView(RoleRequiredMixin, TemplateView):
    """The security administrator sees locked username+IP pairs and unlocks them."""

    roles = frozenset({Role.SECURITY_ADMIN})
    template_name = "accounts/lockout_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(attempts=list(locked_attempts()[:200]), **kwargs)

    def post(self, request):
        attempt = locked_attempts().filter(pk=request.POST.get("attempt")).first()
        if attempt is None:
            messages.error(request, _("该锁定记录不存在或已过期。"))
        else:
            with transaction.atomic():
                lockout_release(username=attempt.username, ip=attempt.ip_address, by=request.user,
                                ip_address=client_ip(request))
            messages.success(request, _("已解除 %(u)s（%(ip)s）的登录锁定。") % {
                "u": attempt.username, "ip": attempt.ip_address})
        return redirect("accounts:lockout-list")


class SessionListView(LoginRequiredMixin, TemplateView):
    """The user's own logged-in sessions (time, address), with a button to end any other one or all
    others (ASVS 3.3.4)."""

    template_name = "accounts/session_list.html"

    def get_context_data(self, **kwargs):
        sessions = UserSession.objects.filter(user=self.request.user).order_by("-created_at")
        return super().get_context_data(
            sessions=sessions, current=self.request.session.session_key, **kwargs
        )

    def post(self, request):
        current = request.session.session_key
        if request.POST.get("all_others"):
            n = sessions_end(user=request.user, keep=current)
            audit(request.user, "session.end", request.user, summary=f"others: {n}",
                  ip_address=client_ip(request))
            messages.success(request, _("已结束其他 %(n)s 个会话。") % {"n": n})
            return redirect("accounts:session-list")
        pk = request.POST.get("session", "")
        own = UserSession.objects.filter(user=request.user, pk=pk if pk.isdigit() else 0).first()
        if own is not None and own.session_key == current:
            messages.error(request, _("当前会话请通过“退出登录”结束。"))
        elif own is None or not session_end_one(user=request.user, session_pk=own.pk,
                                                ip_address=client_ip(request)):
            messages.error(request, _("该会话不存在或已结束。"))
        else:
            messages.success(request, _("已结束该会话。"))
        return redirect("accounts:session-list")
