from core.management.base import DatedCommand
from terms.services import reminders_send


class Command(DatedCommand):
    help = "发送服务期提醒（每条提醒只发一次） / Send the service-term reminders due (each exactly once)."

    def handle(self, *args, **options):
        sent = reminders_send(as_of=options["date"])
        self.stdout.write(f"sent {sent} notification(s)")
