"""`manage.py verify_audit`: walk the audit log's hash chain; exit status 1 naming each gap or edit."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.audit_chain import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (a gap or an edited record fails)."

    def handle(self, *args, **options):
        report = verify_chain()
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(
                _("审计日志校验失败：%(n)s 处问题（已检查 %(checked)s 条）。")
                % {"n": len(report.problems), "checked": report.checked}
            )
        message = _("审计日志校验通过：%(checked)s 条记录，哈希链完整。") % {"checked": report.checked}
        self.stdout.write(message)
