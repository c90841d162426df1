"""The annual report's life (issue 19 item 3): a draft per year that staff write 存在问题 and 下一步工作
on, issued once — figures frozen, PDF signed and stored, workbook stored — and never changed after; a new
version of the year is a new draft and a new issue (new 文号) that supersedes the earlier one."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.workflow import transition

from . import report
from .enums import TRANSITIONS, ReportState
from .models import AnnualReport


class ReportError(ValueError):
    """A report action that is not possible (a readable message for the page)."""


def report_draft_create(*, year: int, by) -> AnnualReport:
    """The year's draft (the existing one if there is a draft already); the text of the last issued
    version of the year is carried over so a new version starts from it."""
    with transaction.atomic():
        draft = AnnualReport.objects.select_for_update().filter(year=year, state=ReportState.DRAFT).first()
        if draft:
            return draft
        last = AnnualReport.objects.filter(year=year).order_by("-version").first()
        version = (AnnualReport.objects.filter(year=year).aggregate(v=Max("version"))["v"] or 0) + 1
        draft = AnnualReport.objects.create(
            year=year,
            version=version,
            created_by=by,
            problems=last.problems if last else "",
            next_steps=last.next_steps if last else "",
        )
        audit(by, "annualreport.create", draft, summary=str(draft))
    return draft


def report_draft_save(*, report_obj: AnnualReport, problems: str, next_steps: str, by) -> AnnualReport:
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report_obj.pk)
        if locked.state != ReportState.DRAFT:
            raise ReportError(_("报告已印发，不能修改；如需修改请起草新版本。"))
        locked.problems, locked.next_steps = problems.strip(), next_steps.strip()
        locked.save(update_fields=["problems", "next_steps", "updated_at"])
        audit(by, "annualreport.save", locked, summary=str(locked))
    return locked


def report_issue(*, report_obj: AnnualReport, by, as_of=None) -> AnnualReport:
    """Freeze and issue: the figures as of today (or the year's last day, for a past year), the signed PDF
    (a 文号 昌科委报〔年〕n号) and the workbook; the previous issued version is marked superseded."""
    from core.documents import document_issue
    from core.models import DocumentKind, IssuedDocument

    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report_obj.pk)
        if locked.state != ReportState.DRAFT:
            raise ReportError(_("报告已印发。"))
        if not locked.problems.strip() or not locked.next_steps.strip():
            raise ReportError(_("请先填写“存在问题”和“下一步工作”，再印发报告。"))
        today = timezone.localdate()
        as_of = as_of or min(today, today.replace(year=locked.year, month=12, day=31))
        figures = report.report_figures(locked.year, as_of)
        figures["issued_on"] = today.isoformat()
        context = report.report_context(figures, problems=locked.problems, next_steps=locked.next_steps)
        previous = (
            AnnualReport.objects.filter(year=locked.year, state=ReportState.ISSUED)
            .exclude(pk=locked.pk)
            .select_related("document")
            .order_by("-version")
            .first()
        )
        doc = document_issue(
            kind=DocumentKind.ANNUAL_REPORT,
            subject=locked,
            title=report.report_title(locked.year),
            template_name="dashboard/pdf/annual_report.html",
            context=context,
            by=by,
        )
        if previous and previous.document and previous.document.superseded_at is None:
            IssuedDocument.objects.filter(pk=previous.document.pk).update(superseded_at=timezone.now())
        locked.xlsx.save(
            f"annual-report-{locked.year}-v{locked.version}.xlsx",
            ContentFile(report.report_xlsx_from(figures)),
            save=False,
        )
        locked.figures, locked.as_of, locked.document = figures, as_of, doc
        locked.save(update_fields=["figures", "as_of", "document", "xlsx", "updated_at"])
        locked = transition(locked, to=ReportState.ISSUED, by=by, allowed=TRANSITIONS, reason=doc.serial)
    return locked
