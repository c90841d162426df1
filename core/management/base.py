"""What the apps' scheduled commands share."""

from datetime import date

from django.core.management.base import BaseCommand


class DatedCommand(BaseCommand):
    """A job run as of one day: `--date YYYY-MM-DD`, in options["date"] (None: today)."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
        )
