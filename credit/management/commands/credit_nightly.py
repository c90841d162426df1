from datetime import date

from django.core.management.base import BaseCommand

from credit.services import credit_nightly


class Command(BaseCommand):
    help = "生成待核实的信用记录并处理到期记录 / Propose credit records from the facts and expire old ones."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, **options):
        result = credit_nightly(today=options["date"])
        self.stdout.write(f"proposed {result['proposed']}, expired {result['expired']}")
