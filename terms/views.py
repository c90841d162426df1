"""HTTP for the service term: parse, check permission (querysets filtered by what the user may see, so a
foreign record is a 404), call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.enums import Role
from core.documents import document_current
from core.exports import Column, XlsxExportMixin
from core.models import DocumentKind
from core.phones import FULL_PHONE_ROLES, sees_full_phones
from core.sorting import sort_queryset
from core.uploads import serve_upload
from projects.enums import AppointmentState

from . import forms, integration, selectors, services
from .enums import EvaluationState, ExtensionState, ReportState, SupportKind, SupportState
from .filters import AppointmentFilter
from .models import Evaluation, ExtensionRequest
from .policy import term_timeline
from .rules import is_appointment_enterprise, is_appointment_expert, is_appointment_institution

LIST_ROLES = (Role.COMMISSION, Role.TALENT_OFFICE, Role.ENTERPRISE, Role.EXPERT, Role.NOMINATOR)


def _query_string(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class RoleRequiredMixin(LoginRequiredMixin):
    """Logged-in users holding one of `roles`; anybody else gets a 404 (SPEC §2)."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.roles and not request.user.has_role(*self.roles):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class AppointmentMixin(LoginRequiredMixin):
    """Loads `self.appointment` from what the user may see; `permission` (a rules permission on the
    appointment) must hold too — otherwise 404."""

    permission: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.appointment = selectors.appointment_get(user=request.user, pk=kwargs["pk"])
        except ObjectDoesNotExist:
            raise Http404 from None
        if self.permission and not request.user.has_perm(self.permission, self.appointment):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def detail_url(self) -> str:
        return reverse("terms:appointment-detail", args=[self.appointment.pk])


class ActionFormView(AppointmentMixin, FormView):
    """A form that calls one service; a refused action shows its message and keeps what was typed."""

    template_name = "terms/action_form.html"
    title = ""
    success_message = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(appointment=self.appointment, title=self.title, **kwargs)

    def perform(self, form):  # pragma: no cover - each subclass implements it
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValueError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.detail_url()


# --- appointments -------------------------------------------------------------------------------------


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
            appointment.timeline = _timeline(appointment, today)
        ctx.update(filter=self.filter, is_staff=self.is_staff, sort=self.sort)
        ctx["query_string"] = _query_string(self.request)
        return ctx


def _timeline(appointment, today):
    return term_timeline(
        start_date=appointment.start_date,
        months=appointment.months,
        end_date=appointment.end_date,
        as_of=today,
        terminated_on=appointment.terminated_on if appointment.state == AppointmentState.TERMINATED else None,
        base_months=selectors.base_term_months(appointment),
    )


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


class AppointmentDetailView(AppointmentMixin, TemplateView):
    template_name = "terms/appointment_detail.html"

    def get_context_data(self, **kwargs):
        user, appointment = self.request.user, self.appointment
        can = {
            name: user.has_perm(f"terms.{name}", appointment)
            for name in (
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
        }
        report = getattr(appointment, "term_report", None) if can["view_report"] else None
        evaluation = Evaluation.objects.filter(appointment=appointment).first()
        ctx = super().get_context_data(
            appointment=appointment,
            can=can,
            timeline=_timeline(appointment, timezone.localdate()),
            extensions=appointment.extension_requests.select_related("requested_by", "decided_by")
            if can["view_extension"]
            else [],
            termination=getattr(appointment, "termination", None),
            contacts=appointment.contacts.all(),
            full_phones=sees_contact_phones(user, appointment),
            records=appointment.comanagement_records.select_related("recorded_by")
            if can["view_comanagement"]
            else [],
            supports=appointment.support_requests.all() if can["view_support"] else [],
            report=report,
            results=report.results.all() if report else [],
            evaluation=evaluation,
            completion=getattr(appointment, "completion", None),
            pending_extension=appointment.extension_requests.filter(state=ExtensionState.SUBMITTED).exists(),
            is_active=appointment.state == AppointmentState.ACTIVE,
            is_ended=appointment.state == AppointmentState.ENDED,
            ReportState=ReportState,
            EvaluationState=EvaluationState,
            decision_form=forms.ExtensionDecisionForm(),
            reason_form=forms.ReasonForm(),
            completion_form=forms.CompletionForm(initial={"accepted_on": timezone.localdate()}),
            **kwargs,
        )
        if can["view_documents"]:
            ctx["opinion_doc"] = (
                document_current(kind=DocumentKind.EVALUATION_OPINION, subject=evaluation)
                if evaluation and evaluation.state == EvaluationState.FINALISED
                else None
            )
            ctx["certificate_doc"] = document_current(
                kind=DocumentKind.SERVICE_CERTIFICATE, subject=appointment
            )
        return ctx


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


class ExtensionDecideView(ExtensionMixin, View):
    def post(self, request, pk):
        ext = self.get_request(pk)
        if not request.user.has_perm("terms.manage_appointment", ext.appointment):
            raise Http404
        form = forms.ExtensionDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择审核结果"))
        else:
            try:
                services.extension_request_decide(
                    request=ext,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
                messages.success(request, _("延期申请已审核。"))
            except ValueError as exc:
                messages.error(request, str(exc))
        return redirect("terms:appointment-detail", ext.appointment_id)


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


# --- support services ---------------------------------------------------------------------------------


class SupportCreateView(ActionFormView):
    permission = "terms.request_support"
    success_message = gettext_lazy("服务保障申请已提交。")

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in SupportKind.values:
            raise Http404
        self.kind = kwargs["kind"]
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return forms.MedicalRequestForm if self.kind == SupportKind.MEDICAL else forms.HousingRequestForm

    @property
    def title(self):
        if self.kind == SupportKind.MEDICAL:
            return _("申请医疗保障服务")
        return _("申请人才公租房")

    def perform(self, form):
        services.support_request_create(
            appointment=self.appointment, kind=self.kind, by=self.request.user, **form.cleaned_data
        )


class SupportListView(XlsxExportMixin, RoleRequiredMixin, ListView):
    export_title = gettext_lazy("服务保障申请")
    export_filename = "support-requests"
    export_columns = [
        Column(gettext_lazy("专家"), "appointment.expert.name"),
        Column(gettext_lazy("企业"), "appointment.enterprise.name"),
        Column(gettext_lazy("服务类型"), "kind"),
        Column(gettext_lazy("服务对象"), "beneficiary"),
        Column(gettext_lazy("状态"), "state"),
        Column(gettext_lazy("提交时间"), "created_at"),
    ]
    template_name = "terms/support_list.html"
    context_object_name = "requests"
    paginate_by = 20
    roles = (Role.COMMISSION, Role.EXPERT)

    def get_queryset(self):
        qs = selectors.support_request_list(user=self.request.user)
        state = self.request.GET.get("state")
        if state in SupportState.values:
            qs = qs.filter(state=state)
        qs, self.sort = sort_queryset(
            self.request.GET,
            qs,
            {
                "expert": "appointment__expert__name",
                "enterprise": "appointment__enterprise__name",
                "state": "state",
                "created": "created_at",
            },
        )
        return qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            states=SupportState.choices,
            sort=self.sort,
            current=self.request.GET.get("state", ""),
            query_string=_query_string(self.request),
            **kwargs,
        )


class SupportMixin(LoginRequiredMixin):
    def get_support(self, pk):
        support = selectors.support_request_list(user=self.request.user).filter(pk=pk).first()
        if support is None:
            raise Http404
        return support


class SupportDetailView(SupportMixin, TemplateView):
    template_name = "terms/support_detail.html"

    def get_context_data(self, **kwargs):
        support = self.get_support(kwargs["pk"])
        form = kwargs.pop("form", None) or forms.SupportTransitionForm()
        user = self.request.user
        can_handle = user.has_role(Role.COMMISSION) and support.state in (
            SupportState.SUBMITTED,
            SupportState.ARRANGED,
        )
        can_withdraw = support.state == SupportState.SUBMITTED and user.pk in (
            support.requested_by_id,
            support.appointment.expert.user_id,
        )
        return super().get_context_data(
            support=support,
            form=form,
            can_handle=can_handle,
            can_withdraw=can_withdraw,
            withdraw_form=forms.SupportWithdrawForm(),
            transitions=support.transitions.select_related("actor"),
            **kwargs,
        )

    def post(self, request, pk):
        support = self.get_support(pk)
        if not request.user.has_role(Role.COMMISSION):
            raise Http404
        form = forms.SupportTransitionForm(request.POST)
        if form.is_valid():
            try:
                services.support_request_transition(request=support, by=request.user, **form.cleaned_data)
                messages.success(request, _("服务保障申请已更新。"))
                return redirect("terms:support-detail", pk)
            except ValueError as exc:
                form.add_error(None, str(exc))
        return self.render_to_response(self.get_context_data(pk=pk, form=form))


class SupportWithdrawView(SupportMixin, View):
    """The expert (or whoever submitted it) withdraws a request nobody has acted on yet."""

    def post(self, request, pk):
        support = self.get_support(pk)
        form = forms.SupportWithdrawForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            services.support_request_withdraw(request=support, by=request.user, reason=reason)
            messages.success(request, _("服务保障申请已撤回。"))
        except ValueError as exc:
            messages.error(request, str(exc))
        return redirect("terms:support-detail", pk)


class SupportEvidenceView(SupportMixin, View):
    def get(self, request, pk):
        support = self.get_support(pk)
        return serve_upload(support.evidence, download_name=_("服务保障证明材料-%(pk)s") % {"pk": support.pk})


# --- term-end report ----------------------------------------------------------------------------------


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
        return {}, integration.project_indicators(self.appointment.project)

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


class ReportActionView(AppointmentMixin, View):
    """POST: submit (enterprise), confirm / return (expert), accept / return (staff)."""

    def post(self, request, pk, action):
        report = getattr(self.appointment, "term_report", None)
        if report is None:
            raise Http404
        user = request.user
        can = {
            "submit": user.has_perm("terms.draft_report", self.appointment),
            "confirm": user.has_perm("terms.confirm_report", self.appointment),
            "return": (
                report.state == ReportState.AWAITING_EXPERT
                and user.has_perm("terms.confirm_report", self.appointment)
            )
            or (
                report.state == ReportState.SUBMITTED
                and user.has_perm("terms.manage_appointment", self.appointment)
            ),
            "accept": user.has_perm("terms.manage_appointment", self.appointment),
        }
        if not can.get(action):
            raise Http404
        try:
            if action == "submit":
                services.term_report_submit(report=report, by=user)
                messages.success(request, _("总结报告已提交专家确认。"))
            elif action == "confirm":
                services.term_report_confirm(report=report, by=user)
                messages.success(request, _("您已确认总结报告，报告已联合提交区科委。"))
            elif action == "return":
                form = forms.ReasonForm(request.POST)
                if not form.is_valid():
                    raise ValueError(_("退回时请填写理由"))
                services.term_report_return(report=report, reason=form.cleaned_data["reason"], by=user)
                messages.success(request, _("总结报告已退回修改。"))
            else:
                form = forms.CompletionForm(request.POST)
                if not form.is_valid():
                    raise ValueError(_("请填写有效的结题日期"))
                services.term_report_accept(report=report, by=user, **form.cleaned_data)
                messages.success(request, _("项目已结题验收。"))
        except ValueError as exc:
            messages.error(request, str(exc))
        return redirect(self.detail_url())


class ReportAttachmentView(AppointmentMixin, View):
    permission = "terms.view_report"

    def get(self, request, pk):
        report = getattr(self.appointment, "term_report", None)
        if report is None:
            raise Http404
        return serve_upload(report.attachment, download_name=_("总结报告附件"))


# --- evaluation ---------------------------------------------------------------------------------------


class EvaluationCreateView(ActionFormView):
    permission = "terms.manage_appointment"
    form_class = forms.EvaluationCreateForm
    title = gettext_lazy("组建任职评价组")
    success_message = gettext_lazy("评价组已组建。")

    def perform(self, form):
        self.evaluation = services.evaluation_create(
            appointment=self.appointment, by=self.request.user, reviewers=list(form.cleaned_data["reviewers"])
        )

    def get_success_url(self):
        return reverse("terms:evaluation-detail", args=[self.evaluation.pk])


class EvaluationMixin(RoleRequiredMixin):
    roles = (Role.COMMISSION,)

    def get_evaluation(self, pk) -> Evaluation:
        evaluation = (
            Evaluation.objects.select_related(
                "appointment__expert__institution", "appointment__enterprise", "appointment__project"
            )
            .filter(pk=pk)
            .first()
        )
        if evaluation is None:
            raise Http404
        return evaluation


class EvaluationDetailView(EvaluationMixin, TemplateView):
    template_name = "terms/evaluation_detail.html"

    def get_context_data(self, **kwargs):
        evaluation = self.get_evaluation(kwargs["pk"])
        all_members = list(evaluation.members.select_related("reviewer", "replaced_by__reviewer"))
        members = [m for m in all_members if m.serving]
        suggested = (
            services.evaluation_suggested_grade(evaluation)
            if members and all(m.submitted_at for m in members)
            else None
        )
        form = kwargs.pop("form", None) or forms.EvaluationFinaliseForm(
            initial={
                "grade": suggested or "",
                "opinion": "\n\n".join(m.opinion for m in members if m.opinion),
            }
        )
        doc = (
            document_current(kind=DocumentKind.EVALUATION_OPINION, subject=evaluation)
            if evaluation.state == EvaluationState.FINALISED
            else None
        )
        return super().get_context_data(
            evaluation=evaluation,
            members=members,
            withdrawn=[m for m in all_members if not m.serving],
            add_form=kwargs.pop("add_form", None) or forms.PanelMemberAddForm(evaluation=evaluation),
            suggested=suggested,
            form=form,
            appointment=evaluation.appointment,
            doc=doc,
            EvaluationState=EvaluationState,
            **kwargs,
        )

    def post(self, request, pk):
        evaluation = self.get_evaluation(pk)
        if request.POST.get("action") == "add_member":
            add_form = forms.PanelMemberAddForm(request.POST, evaluation=evaluation)
            if add_form.is_valid():
                try:
                    services.panel_member_add(
                        evaluation=evaluation, reviewer=add_form.cleaned_data["reviewer"], by=request.user
                    )
                    messages.success(request, _("评价专家已加入评价组。"))
                    return redirect("terms:evaluation-detail", pk)
                except ValueError as exc:
                    add_form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(pk=pk, add_form=add_form))
        if request.POST.get("action") == "open":
            try:
                services.evaluation_open(evaluation=evaluation, by=request.user)
                messages.success(request, _("已通知评价组成员开始评价。"))
            except ValueError as exc:
                messages.error(request, str(exc))
            return redirect("terms:evaluation-detail", pk)
        form = forms.EvaluationFinaliseForm(request.POST)
        if form.is_valid():
            try:
                services.evaluation_finalise(evaluation=evaluation, by=request.user, **form.cleaned_data)
                messages.success(request, _("任职评价意见已出具，并已通知专家和推荐单位。"))
                return redirect("terms:evaluation-detail", pk)
            except ValueError as exc:
                form.add_error(None, str(exc))
        return self.render_to_response(self.get_context_data(pk=pk, form=form))


class PanelListView(RoleRequiredMixin, ListView):
    template_name = "terms/panel_list.html"
    context_object_name = "assignments"
    roles = (Role.REVIEWER,)

    def get_queryset(self):
        return selectors.panel_assignments(user=self.request.user)


class PanelGradeView(RoleRequiredMixin, FormView):
    template_name = "terms/panel_grade.html"
    form_class = forms.PanelGradeForm
    roles = (Role.REVIEWER,)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.member = selectors.panel_assignments(user=request.user).filter(pk=kwargs["pk"]).first()
            if self.member is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        appointment = self.member.evaluation.appointment
        report = getattr(appointment, "term_report", None)
        return super().get_context_data(
            member=self.member,
            conflict_form=kwargs.pop("conflict_form", None) or forms.PanelConflictForm(),
            appointment=appointment,
            report=report,
            results=report.results.all() if report else [],
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.panel_grade_submit(member=self.member, by=self.request.user, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("评价已提交。"))
        return redirect("terms:panel-list")


class PanelConflictView(PanelGradeView):
    """POST: the panel member declares a conflict of interest and is replaced automatically."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = forms.PanelConflictForm(request.POST)
        if form.is_valid():
            try:
                replacement = services.panel_member_declare_conflict(
                    member=self.member, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                if replacement is not None:
                    messages.success(request, _("已声明回避，系统已自动安排其他评价专家替换。"))
                else:
                    messages.success(request, _("已声明回避，区科委将另行安排评价专家。"))
                return redirect("terms:panel-list")
        self.template_name = PanelGradeView.template_name
        return self.render_to_response(
            self.get_context_data(form=forms.PanelGradeForm(), conflict_form=form)
        )


# --- documents ----------------------------------------------------------------------------------------


class CertificateIssueView(AppointmentMixin, View):
    permission = "terms.issue_certificate"

    def post(self, request, pk):
        try:
            services.service_certificate_issue(appointment=self.appointment, by=request.user)
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect(self.detail_url())
        return redirect("terms:document-download", pk, DocumentKind.SERVICE_CERTIFICATE)


class DocumentDownloadView(AppointmentMixin, View):
    permission = "terms.view_documents"

    def get(self, request, pk, kind):
        if kind == DocumentKind.SERVICE_CERTIFICATE:
            doc = document_current(kind=kind, subject=self.appointment)
        elif kind == DocumentKind.EVALUATION_OPINION:
            evaluation = Evaluation.objects.filter(
                appointment=self.appointment, state=EvaluationState.FINALISED
            ).first()
            doc = document_current(kind=kind, subject=evaluation) if evaluation else None
        else:
            doc = None
        if doc is None:
            raise Http404
        response = HttpResponse(doc.open(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{doc.serial}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response
