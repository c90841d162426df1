"""Load the demo data: every app's seed step (demo.registry), in their `seed_order`. Idempotent."""

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from demo.registry import seed_steps


class Command(BaseCommand):
    help = "加载演示数据（可重复执行） / Load the demo data (idempotent)."

    def handle(self, *args, **options):
        # The demo accounts share a known password and TOTP secret: never in production. A test database
        # (test_…, created and dropped by the test runner, where DEBUG is forced off) is allowed.
        if not settings.DEBUG and not str(connection.settings_dict["NAME"]).startswith("test_"):
            raise CommandError(
                "seed_demo 只能在开发环境（DEBUG=1）中运行：演示账号的密码和动态口令密钥是公开的。 / "
                "seed_demo runs only with DEBUG=1: the demo accounts have a known password and TOTP secret."
            )
        # The demo's notification mails are kept in memory, not printed (the console backend of DEBUG
        # wrote some 1,400 lines of MIME); the summary says how many there were.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            outbox_before = len(getattr(mail, "outbox", []))
            with transaction.atomic():
                for step in seed_steps():
                    step.run(self.stdout)
                activated = self._let_every_demo_person_log_in()
            mails = len(getattr(mail, "outbox", [])) - outbox_before
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / Demo data ready."))
        self.stdout.write(f"  通知邮件 / notification mails: {mails}（演示中未发送 / not sent in the demo）")
        if activated:
            self.stdout.write(
                f"  其他可登录的演示账号 / further demo logins ({len(activated)}): "
                + "、".join(f"{u.username}（{u.full_name}）" for u in activated)
            )
        from accounts.enums import OTP_REQUIRED_ROLES
        from accounts.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS

        self.stdout.write("\n  演示账号 / demo logins:")
        for username, full_name, _email, roles, _unit in DEMO_USERS:
            label = "、".join(str(r.label) for r in roles)
            otp = "  [TOTP]" if OTP_REQUIRED_ROLES & set(roles) else ""
            self.stdout.write(f"    {username:<10} {full_name:<6} {label}{otp}")
        if settings.DEBUG:
            self.stdout.write(f"  密码 / password (all demo users): {DEMO_PASSWORD}")
            self.stdout.write(
                f"  动态口令密钥 / TOTP secret of the [TOTP] users: {DEMO_TOTP_SECRET}\n"
                "  (add it to an authenticator app, or run `manage.py demo_otp` for the current code)\n"
            )
        else:
            self.stdout.write("  (passwords are printed only when DEBUG is on)\n")

    @staticmethod
    def _let_every_demo_person_log_in() -> list:
        """Demo people who act in the demo but were created by an invitation (admitted experts, e.g. 郑凯)
        have no usable password: give them the demo password so every one of them can log in."""
        from accounts.models import User
        from accounts.seed import DEMO_PASSWORD

        activated = []
        for user in User.objects.filter(is_active=True, roles__isnull=False).distinct().order_by("username"):
            if not user.has_usable_password():
                user.set_password(DEMO_PASSWORD)
                user.password_changed_at = timezone.now()
                user.save(update_fields=["password", "password_changed_at"])
                activated.append(user)
        return activated
