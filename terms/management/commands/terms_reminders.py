from datetime import date

from django.core.management.base import BaseCommand

from terms.services import reminders_send


class Command(BaseCommand):
    help = "发送服务期提醒（每条提醒只发一次） / Send the service-term reminders due (each exactly once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, **options):
        sent = reminders_send(as_of=options["date"])
        self.stdout.write(f"sent {sent} notification(s)")
