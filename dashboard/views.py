"""HTTP for the staff dashboard and the annual programme report."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from accounts.enums import Role
from core import dataversion
from core.audit import audit
from core.http import client_ip
from core.views import RoleRequiredMixin

from . import report
from .enums import ReportState
from .selectors import headline

DASHBOARD_ROLES = frozenset({Role.COMMISSION, Role.TALENT_OFFICE, Role.FINANCE, Role.WORKING_GROUP})
REPORT_ROLES = frozenset({Role.COMMISSION, Role.WORKING_GROUP})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def selected_year(request) -> int:
    """`?year=` when it is a plausible year, else the current year."""
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year + 1 else this_year


class DashboardView(RoleRequiredMixin, TemplateView):
    roles = DASHBOARD_ROLES
    template_name = "dashboard/index.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        year = selected_year(self.request)
        user = self.request.user
        flags = {
            "links": user.has_role(Role.COMMISSION),
            "can_report": user.has_role(*REPORT_ROLES),
            # the budget pages are the commission's and finance's (issue 16 item 12: no link to a closed door)
            "can_see_budget": user.has_role(Role.COMMISSION, Role.FINANCE),
        }

        def body():
            return render_to_string("dashboard/partials/_body.html", self.figures(year, today, **flags))

        if settings.CACHE_DASHBOARD:
            # The same for every user with the same flags; moved on by any write to the apps it reads
            # (core.dataversion, registered in DashboardConfig.ready).
            key = "page:{}:{}:{}:{}".format(
                year, today.isoformat(), get_language(), "".join("1" if v else "0" for v in flags.values())
            )
            html = dataversion.cached("dashboard", key, body)
        else:
            html = body()
        # Our own template's output (autoescaped when rendered), kept as the string it rendered to.
        return super().get_context_data(year=year, body=mark_safe(html), **kwargs)  # nosec B308 B703

    @staticmethod
    def figures(year, today, *, links, can_report, can_see_budget) -> dict:
        s = report.sections(year, today, links=links)
        new = {r.label: r.count for r in s["year_new"]["rows"]}
        figures = headline(
            year=year,
            as_of=today,
            money_rows=s["money"]["rows"],
            in_service=s["appointments"]["rows"][0].count,
            admitted=new[_("新入库专家")],
            new_appointments=new[_("新聘任科技副总")],
        )
        if not links:
            for f in figures:
                f.url = ""
        return {
            "year": year,
            "years": list(range(today.year - 4, today.year + 2)),
            "s": s,
            "headline": figures,
            "can_report": can_report,
            "can_see_budget": can_see_budget,
        }


class AnnualReportView(RoleRequiredMixin, View):
    """The annual programme report for the special working group: PDF or .xlsx (`fmt`)."""

    roles = REPORT_ROLES

    def get(self, request, fmt):
        if fmt not in ("pdf", "xlsx"):
            raise Http404
        year = selected_year(request)
        today = timezone.localdate()
        if fmt == "pdf":
            data, content_type = report.report_pdf(year, today), "application/pdf"
        else:
            data, content_type = report.report_xlsx(year, today), XLSX
        audit(
            request.user,
            "dashboard.report",
            summary=f"{year} {fmt}",
            data={"year": year, "format": fmt},
            ip_address=client_ip(request),
        )
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="programme-report-{year}.{fmt}"'
        return response


# --- the annual report as an issued document (issue 19) ------------------------------------------------


class ReportListView(RoleRequiredMixin, TemplateView):
    """Issued reports (every version, downloadable unchanged) and, for the commission, the drafts."""

    roles = REPORT_ROLES
    template_name = "dashboard/report_list.html"

    def get_context_data(self, **kwargs):
        from .models import AnnualReport

        user = self.request.user
        reports = AnnualReport.objects.select_related("document", "created_by")
        if not user.has_role(Role.COMMISSION):
            reports = reports.filter(state=ReportState.ISSUED)
        this_year = timezone.localdate().year
        return super().get_context_data(
            reports=list(reports),
            can_edit=user.has_role(Role.COMMISSION),
            years=list(range(this_year, this_year - 5, -1)),
            default_year=this_year - 1 if timezone.localdate().month < 7 else this_year,
            **kwargs,
        )


class ReportCreateView(RoleRequiredMixin, View):
    roles = frozenset({Role.COMMISSION})

    def post(self, request):
        from . import services

        raw = request.POST.get("year", "")
        this_year = timezone.localdate().year
        if not raw.isdigit() or not 2000 <= int(raw) <= this_year:
            messages.error(request, _("请选择有效的报告年度。"))
            return redirect("dashboard:report-list")
        draft = services.report_draft_create(year=int(raw), by=request.user)
        return redirect("dashboard:report-edit", pk=draft.pk)


class ReportEditView(RoleRequiredMixin, View):
    """A draft: staff write 存在问题 and 下一步工作, preview the PDF, and issue it."""

    roles = frozenset({Role.COMMISSION})
    template_name = "dashboard/report_edit.html"

    def _render(self, request, report_obj, form, status=200):
        return render(request, self.template_name, {"report": report_obj, "form": form}, status=status)

    def get(self, request, pk):
        from .forms import ReportTextForm
        from .models import AnnualReport

        report_obj = get_object_or_404(AnnualReport, pk=pk)
        return self._render(request, report_obj, ReportTextForm(instance=report_obj))

    def post(self, request, pk):
        from . import services
        from .forms import ReportTextForm
        from .models import AnnualReport

        report_obj = get_object_or_404(AnnualReport, pk=pk)
        form = ReportTextForm(request.POST, instance=report_obj)
        if not form.is_valid():
            return self._render(request, report_obj, form, status=400)
        try:
            report_obj = services.report_draft_save(
                report_obj=report_obj, problems=form.cleaned_data["problems"],
                next_steps=form.cleaned_data["next_steps"], by=request.user,
            )
            if "issue" in request.POST:
                report_obj = services.report_issue(report_obj=report_obj, by=request.user)
                serial = report_obj.document.serial
                messages.success(request, _("报告已印发：%(serial)s") % {"serial": serial})
                return redirect("dashboard:report-list")
        except services.ReportError as error:
            form.add_error(None, str(error))
            return self._render(request, report_obj, form, status=400)
        messages.success(request, _("草稿已保存。"))
        return redirect("dashboard:report-edit", pk=report_obj.pk)


class ReportPreviewView(RoleRequiredMixin, View):
    """The draft as a PDF marked 草稿 (not numbered, not signed)."""

    roles = frozenset({Role.COMMISSION})

    def get(self, request, pk):
        from .models import AnnualReport

        report_obj = get_object_or_404(AnnualReport, pk=pk, state=ReportState.DRAFT)
        today = timezone.localdate()
        figures = report.report_figures(report_obj.year, min(today, today.replace(year=report_obj.year,
                                                                                 month=12, day=31)))
        data = report.report_pdf_bytes(
            figures, problems=report_obj.problems, next_steps=report_obj.next_steps
        )
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="annual-report-{report_obj.year}-draft.pdf"'
        return response


class ReportDownloadView(RoleRequiredMixin, View):
    """An issued report exactly as issued: the stored signed PDF or the stored workbook."""

    roles = REPORT_ROLES

    def get(self, request, pk, fmt):
        from .models import AnnualReport

        report_obj = get_object_or_404(AnnualReport, pk=pk, state=ReportState.ISSUED)
        if fmt == "pdf":
            data, content_type = report_obj.document.open(), "application/pdf"
        elif fmt == "xlsx":
            with report_obj.xlsx.open("rb") as handle:
                data = handle.read()
            content_type = XLSX
        else:
            raise Http404
        audit(request.user, "annualreport.download", report_obj,
              summary=f"{report_obj.document.serial} {fmt}", ip_address=client_ip(request))
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="annual-report-{report_obj.year}-v{report_obj.version}.{fmt}"'
        )
        return response
