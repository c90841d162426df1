from core.management.base import DatedCommand
from credit.services import credit_nightly


class Command(DatedCommand):
    help = "生成待核实的信用记录并处理到期记录 / Propose credit records from the facts and expire old ones."

    def handle(self, *args, **options):
        result = credit_nightly(today=options["date"])
        self.stdout.write(f"proposed {result['proposed']}, expired {result['expired']}")
