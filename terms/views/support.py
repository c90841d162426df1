"""Support services (medical care, talent housing) an expert requests during the term: the request, the
list and its export, the request's page where the commission handles it, withdrawal and evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.enums import Role
from core.exports import Column, XlsxExportMixin
from core.sorting import sort_queryset
from core.uploads import serve_upload

from .. import forms, selectors, services
from ..enums import SupportKind, SupportState
from .base import ActionFormView, RoleRequiredMixin, query_string


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
            query_string=query_string(self.request),
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
