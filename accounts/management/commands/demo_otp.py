"""Print the current TOTP code of the demo users (DEBUG only): logging in to `make run` without a phone."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from accounts.seed import DEMO_TOTP_KEY, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "打印演示账号当前的动态口令（仅 DEBUG） / Print the demo users' current TOTP code (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_otp works only with DEBUG on.")
        code = totp(bytes.fromhex(DEMO_TOTP_KEY))
        self.stdout.write(f"{code:06d}")
        self.stderr.write(f"(secret {DEMO_TOTP_SECRET}; the code changes every 30 s and works once)")
