from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号与角色")
    seed_order = 10  # demo.registry: the demo users come first

    def ready(self) -> None:
        from core import dataversion, phones

        from . import signals  # noqa: F401 (connects the login/logout/lockout receivers)
        from .enums import Role
        from .middleware import OTP_SCOPE

        # The session's second-factor device is checked from the cache while no device changes (issue 20).
        dataversion.register(OTP_SCOPE, "otp_totp", "otp_static")
        # Who sees phone numbers in full (core.phones): commission staff.
        phones.FULL_PHONE_ROLES.add(Role.COMMISSION)
