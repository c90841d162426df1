"""`manage.py verify_audit`: walk the audit log's hash chain; exit status 1 naming each gap or edit."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.audit_chain import anchor_latest, verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's keyed hash chain (a gap or an edited record fails), against the newest "
        "anchor written outside the database (AUDIT_ANCHOR_DIR, or --anchor FILE)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchor", help="an anchor file (audit-anchor-YYYY-MM-DD.jsonl) or directory")
        parser.add_argument("--no-anchor", action="store_true", help="verify the chain alone")

    def handle(self, *args, **options):
        anchor = None if options["no_anchor"] else anchor_latest(options["anchor"])
        if anchor is not None:
            self.stdout.write(
                _("库外锚点：序号 %(seq)s（%(at)s）") % {"seq": anchor["seq"], "at": anchor.get("at", "")}
            )
        report = verify_chain(anchor=anchor)
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(
                _("审计日志校验失败：%(n)s 处问题（已检查 %(checked)s 条）。")
                % {"n": len(report.problems), "checked": report.checked}
            )
        message = _("审计日志校验通过：%(checked)s 条记录，哈希链完整。") % {"checked": report.checked}
        self.stdout.write(message)
