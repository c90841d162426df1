from datetime import date

from django.core.management.base import BaseCommand

from terms.services import appointments_end_due


class Command(BaseCommand):
    help = "结束已届满的服务期（可重复执行） / End appointments whose term is over (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, **options):
        ended = appointments_end_due(as_of=options["date"])
        self.stdout.write(f"ended {len(ended)} appointment(s)")
