from datetime import date

from django.core.management.base import BaseCommand

from outcomes.services import reminders_send


class Command(BaseCommand):
    help = "发送季度成果填报提醒（每季度每人一次） / Send the quarterly reminders to report outcomes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, **options):
        sent = reminders_send(as_of=options["date"])
        self.stdout.write(f"sent {sent} notification(s)")
