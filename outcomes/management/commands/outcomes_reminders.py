from core.management.base import DatedCommand
from outcomes.services import reminders_send


class Command(DatedCommand):
    help = "发送季度成果填报提醒（每季度每人一次） / Send the quarterly reminders to report outcomes."

    def handle(self, *args, **options):
        sent = reminders_send(as_of=options["date"])
        self.stdout.write(f"sent {sent} notification(s)")
