"""HTTP for the staff dashboard and the annual programme report."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from accounts.enums import Role
from core.audit import audit
from core.http import client_ip
from core.views import RoleRequiredMixin

from . import report
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
        links = user.has_role(Role.COMMISSION)
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
        return super().get_context_data(
            year=year,
            years=list(range(today.year - 4, today.year + 2)),
            s=s,
            headline=figures,
            can_report=user.has_role(*REPORT_ROLES),
            **kwargs,
        )


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
