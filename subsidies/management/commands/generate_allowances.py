"""python manage.py generate_allowances [--as-of YYYY-MM-DD] — the monthly living allowance run (SPEC §9)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from subsidies.allowances import allowances_generate
from subsidies.services import allowance_payables_prepare


class Command(BaseCommand):
    help = (
        "生成已完成服务月的人才生活补贴和企业配套生活补助（可重复执行） / Generate monthly living allowances."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="截至日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--chunk", type=int, default=2000, help="每个事务处理的聘任数（默认 2000）")

    def handle(self, *args, as_of=None, chunk=2000, **options):
        day = None
        if as_of:
            try:
                day = date.fromisoformat(as_of)
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{as_of}") from exc
        summary = allowances_generate(as_of=day, chunk=max(1, chunk))
        self.stdout.write(str(summary))
        prepared = allowance_payables_prepare(through=summary.as_of)
        self.stdout.write(f"待支付款项：新登记 {prepared} 笔区级生活补贴")
