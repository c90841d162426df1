from django.core.management.base import BaseCommand

from enterprises.services import demand_close_past_deadline, intent_expire_due


class Command(BaseCommand):
    help = (
        "过期未回复的对接意向并关闭已过截止日期的需求 / Expire pending intents, close past-deadline demands."
    )

    def handle(self, *args, **options):
        expired = intent_expire_due()
        closed = demand_close_past_deadline()
        self.stdout.write(f"expired intents: {expired}; closed demands: {closed}")
