from core.management.base import DatedCommand
from terms.services import appointments_end_due


class Command(DatedCommand):
    help = "结束已届满的服务期（可重复执行） / End appointments whose term is over (idempotent)."

    def handle(self, *args, **options):
        ended = appointments_end_due(as_of=options["date"])
        self.stdout.write(f"ended {len(ended)} appointment(s)")
