"""python manage.py generate_bench_data --experts 50000 --enterprises 10000 --appointments 10000 [--reset]

Province-scale data for `make bench` (bench/generate.py). Refuses a database that already holds experts or
enterprises unless --reset, which empties the data tables first (reference tables stay).
"""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "生成基准测试数据（专家、企业、聘任；批量写入）。"

    def add_arguments(self, parser):
        parser.add_argument("--experts", type=int, default=50_000)
        parser.add_argument("--enterprises", type=int, default=10_000)
        parser.add_argument("--appointments", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=20261125)
        parser.add_argument("--reset", action="store_true", help="先清空已有的业务数据（参考数据保留）")
        parser.add_argument(
            "--skip-if-present", action="store_true", help="已有专家数据时不做任何事（make bench 使用）"
        )
        parser.add_argument("--no-allowances", action="store_true", help="不生成津贴发放记录")

    def handle(self, *args, **options):
        from bench.generate import BenchDataError, generate, is_empty

        if options["skip_if_present"] and not options["reset"] and not is_empty():
            self.stdout.write("bench data already present: nothing generated (use --reset to regenerate)")
            return
        try:
            summary = generate(
                experts=options["experts"],
                enterprises=options["enterprises"],
                appointments=options["appointments"],
                seed=options["seed"],
                reset_first=options["reset"],
                allowances=not options["no_allowances"],
                log=lambda line: self.stdout.write(line),
            )
        except BenchDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.experts} experts, {summary.enterprises} enterprises, {summary.appointments} "
                f"appointments, {summary.allowances} allowance rows ({summary.seconds})"
            )
        )
