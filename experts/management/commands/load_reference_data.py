from django.core.management.base import BaseCommand
from django.db import transaction

from experts.models import Discipline, Institution
from experts.reference import load_reference_data


class Command(BaseCommand):
    help = "载入学科目录、高校（985/211/双一流/驻昌）、科研院所和医院参考数据（只新增，不覆盖已有记录）"

    def handle(self, *args, **options):
        with transaction.atomic():
            report = load_reference_data(Discipline, Institution)
        self.stdout.write(f"新增：{report}")
        for item in report.skipped:
            self.stdout.write(self.style.WARNING(f"未识别的学科，已跳过：{item}"))
