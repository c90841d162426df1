"""`manage.py audit_purge --before YYYY-MM-DD`: delete audit records older than a date at least 180 days
ago (refused otherwise); the chain stays verifiable from the anchor it records."""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.audit_chain import AuditPurgeRefused, audit_purge


class Command(BaseCommand):
    help = "Purge audit records created before a date (at least 180 days ago)."

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="YYYY-MM-DD (local time, start of day)")

    def handle(self, *args, before, **options):
        try:
            day = datetime.strptime(before, "%Y-%m-%d").date()
        except ValueError as exc:
            raise CommandError("--before: YYYY-MM-DD") from exc
        moment = timezone.make_aware(datetime.combine(day, time.min))
        try:
            deleted = audit_purge(before=moment)
        except AuditPurgeRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{deleted}")
