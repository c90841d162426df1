"""The term-end report (总结报告): the enterprise drafts it, the expert confirms it (or returns it), the
commission accepts the project (结题) or returns the report — each step its own view at its own URL
(terms:report-submit, -confirm, -return, -accept)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.uploads import serve_upload

from .. import forms, integration, services
from ..enums import ReportState
from .appointments import appointment_page
from .base import AppointmentMixin, TermActionView


class ReportEditView(AppointmentMixin, TemplateView):
    permission = "terms.draft_report"
    template_name = "terms/report_form.html"

    def _initial(self):
        report = getattr(self.appointment, "term_report", None)
        if report is not None:
            return (
                {"summary": report.summary, "achievements": report.achievements},
                [
                    {"indicator": r.indicator, "target": r.target, "achieved": r.achieved, "met": r.met}
                    for r in report.results.all()
                ],
            )
        from outcomes.selectors import report_rows

        # issue 21: the structured targets first, pre-filled with the verified outcomes, then the free text
        return {}, [*report_rows(self.appointment), *integration.project_indicators(self.appointment.project)]

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            initial, rows = self._initial()
            kwargs["form"] = forms.TermReportForm(initial=initial)
            kwargs["formset"] = forms.IndicatorResultFormSet(initial=rows, prefix="results")
        return super().get_context_data(appointment=self.appointment, **kwargs)

    def post(self, request, pk):
        form = forms.TermReportForm(request.POST, request.FILES)
        formset = forms.IndicatorResultFormSet(request.POST, prefix="results")
        if form.is_valid() and formset.is_valid():
            try:
                services.term_report_save(
                    appointment=self.appointment,
                    by=request.user,
                    summary=form.cleaned_data["summary"],
                    achievements=form.cleaned_data["achievements"],
                    results=[f.cleaned_data for f in formset.forms if f.cleaned_data],
                    attachment=form.cleaned_data.get("attachment"),
                )
                messages.success(request, _("总结报告草稿已保存。"))
                return redirect(self.detail_url())
            except ValueError as exc:
                form.add_error(None, str(exc))
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class ReportActionView(AppointmentMixin, TermActionView):
    """A button of the report on the appointment page (`permission` on the appointment, and `allowed` on
    the report: otherwise 404, as when there is no report). `form_name`: the page's context name of the
    action's form, shown there bound when it is refused."""

    def allowed(self, user, report) -> bool:
        return True

    def get_object(self):
        self.report = getattr(self.appointment, "term_report", None)
        if self.report is None or not self.allowed(self.request.user, self.report):
            raise Http404
        return self.report

    def success_url(self, obj) -> str:
        return self.detail_url()

    def page(self, obj, **forms):
        return appointment_page(self.request, self.appointment, **forms)


class ReportSubmitView(ReportActionView):
    """The enterprise submits its draft to the expert for confirmation."""

    permission = "terms.draft_report"
    success_message = gettext_lazy("总结报告已提交专家确认。")

    def act(self, obj, form):
        services.term_report_submit(report=self.report, by=self.request.user)


class ReportConfirmView(ReportActionView):
    """The expert confirms the report: it goes to the commission as the joint report."""

    permission = "terms.confirm_report"
    success_message = gettext_lazy("您已确认总结报告，报告已联合提交区科委。")

    def act(self, obj, form):
        services.term_report_confirm(report=self.report, by=self.request.user)


class ReportReturnView(ReportActionView):
    """Back to the enterprise with a reason: by the expert while it awaits the expert, by the commission
    once it was submitted."""

    form_class = forms.ReasonForm
    form_name = "reason_form"
    success_message = gettext_lazy("总结报告已退回修改。")

    def allowed(self, user, report) -> bool:
        if report.state == ReportState.AWAITING_EXPERT:
            return user.has_perm("terms.confirm_report", self.appointment)
        if report.state == ReportState.SUBMITTED:
            return user.has_perm("terms.manage_appointment", self.appointment)
        return False

    def act(self, obj, form):
        reason = form.cleaned_data["reason"]
        services.term_report_return(report=self.report, reason=reason, by=self.request.user)


class ReportAcceptView(ReportActionView):
    """The commission accepts the project (结题) after the term ended."""

    permission = "terms.manage_appointment"
    form_class = forms.CompletionForm
    form_name = "completion_form"
    success_message = gettext_lazy("项目已结题验收。")

    def act(self, obj, form):
        services.term_report_accept(report=self.report, by=self.request.user, **form.cleaned_data)


class ReportAttachmentView(AppointmentMixin, View):
    permission = "terms.view_report"

    def get(self, request, pk):
        report = getattr(self.appointment, "term_report", None)
        if report is None:
            raise Http404
        return serve_upload(report.attachment, download_name=_("总结报告附件"))
