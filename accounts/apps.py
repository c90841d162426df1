from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号与角色")

    def ready(self) -> None:
        from core import dataversion

        from . import signals  # noqa: F401 (connects the login/logout/lockout receivers)
        from .middleware import OTP_SCOPE

        # The session's second-factor device is checked from the cache while no device changes (issue 20).
        dataversion.register(OTP_SCOPE, "otp_totp", "otp_static")
