"""The appointments (service terms): the list and its export, the appointment page, early termination,
extension requests, co-management records and contact persons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.enums import Role
from core.actions import RedirectActionView
from core.documents import document_current
from core.exports import Column, XlsxExportMixin
from core.models import DocumentKind
from core.phones import FULL_PHONE_ROLES, sees_full_phones
from core.sorting import sort_queryset
from core.uploads import serve_upload
from projects.enums import AppointmentState

from .. import forms, selectors, services
from ..enums import EvaluationState, ExtensionState, ReportState
from ..filters import AppointmentFilter
from ..models import Evaluation, ExtensionRequest
from ..rules import is_appointment_enterprise, is_appointment_expert, is_appointment_institution
from .base import LIST_ROLES, ActionFormView, AppointmentMixin, RoleRequiredMixin, query_string, timeline

# The columns the appointment list sorts by (`?o=`, core.sorting).
APPOINTMENT_SORTS = {
    "expert": "expert__name",
    "institution": "expert__institution__name",
    "enterprise": "enterprise__name",
    "term": ("start_date", "end_date"),
    "state": "state",
}


class AppointmentListView(XlsxExportMixin, RoleRequiredMixin, ListView):
    export_title = gettext_lazy("聘任")
    export_filename = "appointments"
    export_columns = [
        Column(gettext_lazy("专家"), "expert.name"),
        Column(gettext_lazy("推荐单位"), "expert.institution.name"),
        Column(gettext_lazy("企业"), "enterprise.name"),
        Column(gettext_lazy("聘任岗位"), "position"),
        Column(gettext_lazy("合作项目"), "project.title"),
        Column(gettext_lazy("聘期开始日期"), "start_date"),
        Column(gettext_lazy("服务期（月）"), "months"),
        Column(gettext_lazy("聘期结束日期"), "end_date"),
        Column(gettext_lazy("状态"), "state"),
        Column(gettext_lazy("终止日期"), "terminated_on"),
    ]
    template_name = "terms/appointment_list.html"
    context_object_name = "appointments"
    paginate_by = 20
    roles = LIST_ROLES

    def get_queryset(self):
        qs = selectors.appointment_list(user=self.request.user)
        self.is_staff = self.request.user.has_role(Role.COMMISSION, Role.TALENT_OFFICE)
        self.filter = None
        if self.is_staff:
            self.filter = AppointmentFilter(self.request.GET or None, queryset=qs, as_of=timezone.localdate())
            if self.filter.is_bound and self.filter.is_valid():
                qs = self.filter.qs
        qs, self.sort = sort_queryset(self.request.GET, qs, APPOINTMENT_SORTS)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for appointment in ctx["appointments"]:
            appointment.timeline = timeline(appointment, today)
        ctx.update(filter=self.filter, is_staff=self.is_staff, sort=self.sort)
        ctx["query_string"] = query_string(self.request)
        return ctx


def sees_contact_phones(user, appointment) -> bool:
    """The contact persons' phones in full (core.phones): commission staff and the appointment's parties —
    its expert, enterprise and nominating institution, who co-manage the term — but not a reader of every
    appointment (the talent office) as such. Anyone else who reached the page (selectors.
    appointment_visibility) is a party, so the common cases cost no query."""
    if sees_full_phones(user):
        return True
    if not user.has_role(*(set(selectors.READ_ALL_ROLES) - FULL_PHONE_ROLES)):
        return True
    return any(
        party(user, appointment)
        for party in (is_appointment_expert, is_appointment_enterprise, is_appointment_institution)
    )


PERMISSIONS = (
    "manage_appointment",
    "request_extension",
    "view_extension",
    "view_comanagement",
    "request_support",
    "view_support",
    "draft_report",
    "confirm_report",
    "view_report",
    "view_documents",
    "issue_certificate",
)


def appointment_context(user, appointment, **bound) -> dict:
    """The appointment page's context. `bound`: the form a button of the page was posted with and refused
    (by its context name, e.g. reason_form=…), shown in place of the empty one with each error at its
    field and what was typed kept."""
    can = {name: user.has_perm(f"terms.{name}", appointment) for name in PERMISSIONS}
    report = getattr(appointment, "term_report", None) if can["view_report"] else None
    evaluation = Evaluation.objects.filter(appointment=appointment).first()
    ctx = {
        "appointment": appointment,
        "can": can,
        "timeline": timeline(appointment, timezone.localdate()),
        "extensions": appointment.extension_requests.select_related("requested_by", "decided_by")
        if can["view_extension"]
        else [],
        "termination": getattr(appointment, "termination", None),
        "contacts": appointment.contacts.all(),
        "full_phones": sees_contact_phones(user, appointment),
        "records": appointment.comanagement_records.select_related("recorded_by")
        if can["view_comanagement"]
        else [],
        "supports": appointment.support_requests.all() if can["view_support"] else [],
        "report": report,
        "results": report.results.all() if report else [],
        "evaluation": evaluation,
        "completion": getattr(appointment, "completion", None),
        "pending_extension": appointment.extension_requests.filter(state=ExtensionState.SUBMITTED).exists(),
        "is_active": appointment.state == AppointmentState.ACTIVE,
        "is_ended": appointment.state == AppointmentState.ENDED,
        "ReportState": ReportState,
        "EvaluationState": EvaluationState,
        "decision_form": forms.ExtensionDecisionForm(),
        "reason_form": forms.ReasonForm(),
        "completion_form": forms.CompletionForm(initial={"accepted_on": timezone.localdate()}),
        **bound,
    }
    if can["view_documents"]:
        ctx["opinion_doc"] = (
            document_current(kind=DocumentKind.EVALUATION_OPINION, subject=evaluation)
            if evaluation and evaluation.state == EvaluationState.FINALISED
            else None
        )
        ctx["certificate_doc"] = document_current(kind=DocumentKind.SERVICE_CERTIFICATE, subject=appointment)
    return ctx


def appointment_page(request, appointment, **bound):
    """The appointment page again, with a refused form of one of its buttons (appointment_context)."""
    return render(
        request, "terms/appointment_detail.html", appointment_context(request.user, appointment, **bound)
    )


class AppointmentDetailView(AppointmentMixin, TemplateView):
    template_name = "terms/appointment_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**appointment_context(self.request.user, self.appointment), **kwargs)


class AppointmentTerminateView(ActionFormView):
    """Early termination in two steps that work without JavaScript (and under the CSP): the date and
    reason are checked and the page shows which service months will and will not be paid (SPEC §5: the
    termination date is the last day served); only the second POST, with `confirm`, terminates. "返回修改"
    shows the form again with what was typed."""

    permission = "terms.manage_appointment"
    form_class = forms.TerminationForm
    title = gettext_lazy("提前终止服务期")
    success_message = gettext_lazy("服务期已提前终止。")
    confirm_template_name = "terms/appointment_terminate_confirm.html"

    def form_valid(self, form):
        if "edit" in self.request.POST:
            return self.form_invalid(form)
        if "confirm" in self.request.POST:
            return super().form_valid(form)
        try:
            preview = selectors.termination_preview(appointment=self.appointment, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        context = self.get_context_data(form=form, preview=preview)
        context["title"] = _("确认提前终止服务期")
        return self.response_class(
            request=self.request,
            template=[self.confirm_template_name],
            context=context,
            using=self.template_engine,
        )

    def perform(self, form):
        services.appointment_terminate(
            appointment=self.appointment, by=self.request.user, **form.cleaned_data
        )


# --- extension ----------------------------------------------------------------------------------------


class ExtensionCreateView(ActionFormView):
    permission = "terms.request_extension"
    form_class = forms.ExtensionRequestForm
    title = gettext_lazy("申请延长服务期")
    success_message = gettext_lazy("延期申请已提交，请等待区科委审核。")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "limits": services.extension_limits(self.appointment),
            "current_months": self.appointment.months,
        }

    def perform(self, form):
        services.extension_request_create(
            appointment=self.appointment, by=self.request.user, **form.cleaned_data
        )


class ExtensionMixin(LoginRequiredMixin):
    def get_request(self, pk) -> ExtensionRequest:
        request = selectors.extension_request_list(user=self.request.user).filter(pk=pk).first()
        if request is None or not self.request.user.has_perm("terms.view_extension", request.appointment):
            raise Http404
        return request


class ExtensionDecideView(ExtensionMixin, RedirectActionView):
    form_class = forms.ExtensionDecisionForm
    invalid_message = gettext_lazy("请选择审核结果")
    refusals = (ValueError,)
    success_message = gettext_lazy("延期申请已审核。")

    def get_object(self):
        return self.get_request(self.kwargs["pk"])

    def check_permission(self, ext):
        if not self.request.user.has_perm("terms.manage_appointment", ext.appointment):
            raise Http404

    def act(self, ext, form):
        data = form.cleaned_data
        services.extension_request_decide(
            request=ext, approve=data["decision"] == "approve", note=data["note"], by=self.request.user
        )

    def success_url(self, ext):
        return reverse("terms:appointment-detail", args=[ext.appointment_id])


class ExtensionEvidenceView(ExtensionMixin, View):
    def get(self, request, pk):
        ext = self.get_request(pk)
        return serve_upload(ext.evidence, download_name=_("延期证明材料-%(pk)s") % {"pk": ext.pk})


# --- co-management and contacts -------------------------------------------------------------------------


class CoManagementCreateView(ActionFormView):
    permission = "terms.manage_appointment"
    form_class = forms.CoManagementForm
    title = gettext_lazy("新增走访/谈话记录")
    success_message = gettext_lazy("共同管理记录已保存。")

    def get_initial(self):
        return {"held_on": timezone.localdate()}

    def perform(self, form):
        services.comanagement_record_create(
            appointment=self.appointment, by=self.request.user, **form.cleaned_data
        )


class ContactCreateView(ActionFormView):
    permission = "terms.manage_appointment"
    form_class = forms.AppointmentContactForm
    title = gettext_lazy("新增联系人")
    success_message = gettext_lazy("联系人已保存。")

    def perform(self, form):
        services.contact_create(appointment=self.appointment, by=self.request.user, **form.cleaned_data)


class ContactUpdateView(ActionFormView):
    permission = "terms.manage_appointment"
    form_class = forms.AppointmentContactForm
    title = gettext_lazy("修改联系人")
    success_message = gettext_lazy("联系人已更新。")

    def dispatch(self, request, *args, **kwargs):
        self.contact_pk = kwargs["contact_pk"]
        return super().dispatch(request, *args, **kwargs)

    def get_contact(self):
        contact = self.appointment.contacts.filter(pk=self.contact_pk).first()
        if contact is None:
            raise Http404
        return contact

    def get_initial(self):
        contact = self.get_contact()
        return {name: getattr(contact, name) for name in services.CONTACT_FIELDS}

    def perform(self, form):
        services.contact_update(contact=self.get_contact(), by=self.request.user, **form.cleaned_data)


class FollowUpDoneView(AppointmentMixin, View):
    """Staff close a co-management record's follow-up action."""

    permission = "terms.manage_appointment"

    def post(self, request, pk, record_pk):
        record = self.appointment.comanagement_records.filter(pk=record_pk).first()
        if record is None:
            raise Http404
        try:
            services.comanagement_follow_up_done(record=record, by=request.user)
            messages.success(request, _("后续事项已办结。"))
        except ValueError as exc:
            messages.error(request, str(exc))
        return redirect(self.detail_url() + "#comanagement")


class ContactDeleteView(AppointmentMixin, View):
    permission = "terms.manage_appointment"

    def post(self, request, pk, contact_pk):
        contact = self.appointment.contacts.filter(pk=contact_pk).first()
        if contact is None:
            raise Http404
        services.contact_delete(contact=contact, by=request.user)
        messages.success(request, _("联系人已删除。"))
        return redirect(self.detail_url())
