"""An expert's page (with the audited reveal of the ID number and phone), the expert's own profile,
staff's decisions on profile changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.enums import Role
from core.actions import RedirectActionView
from core.exports import Column, XlsxExportMixin
from core.uploads import serve_upload

from .. import selectors, services
from ..enums import CORE_FIELDS
from ..exceptions import NominationError
from ..forms import (
    AchievementFormSet,
    ChangeDecisionForm,
    ProfileForm,
    achievements_from,
    add_achievement_row,
    without_errors,
)
from ._common import RoleRequiredMixin


class ExpertDetailView(LoginRequiredMixin, TemplateView):
    template_name = "experts/expert_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        expert = selectors.expert_detail_get(self.request.user, kwargs["pk"])
        is_self = expert.user_id == self.request.user.pk
        ctx.update(
            expert=expert,
            is_self=is_self,
            full_phones=is_self,  # the expert's own number; staff reveal it (ExpertPhoneView), core.phones
            pending=[c for c in expert.change_requests.all() if c.state == "pending"],
        )
        return ctx


class ExpertIdNumberView(RoleRequiredMixin, View):
    """Staff only: show the full ID number once (POST, audited); everywhere else it is masked."""

    roles = (Role.COMMISSION,)

    def post(self, request, pk):
        view = ExpertDetailView()
        view.setup(request, pk=pk)
        ctx = view.get_context_data(pk=pk)
        ctx["full_id_number"] = services.expert_id_number(ctx["expert"], by=request.user)
        response = render(request, view.template_name, ctx)
        response["Cache-Control"] = "private, no-store"
        return response


class ExpertPhoneView(RoleRequiredMixin, View):
    """Staff only: show the expert's full phone number once (POST, audited), as for the ID number; the
    page shows it masked otherwise (core.phones)."""

    roles = (Role.COMMISSION,)

    def post(self, request, pk):
        view = ExpertDetailView()
        view.setup(request, pk=pk)
        ctx = view.get_context_data(pk=pk)
        services.expert_phone(ctx["expert"], by=request.user)
        ctx.update(full_phones=True, phone_revealed=True)
        response = render(request, view.template_name, ctx)
        response["Cache-Control"] = "private, no-store"
        return response


class ExpertMeView(RoleRequiredMixin, View):
    roles = (Role.EXPERT,)

    def get(self, request):
        expert = selectors.expert_for_user(request.user)
        if expert is None:
            raise Http404
        return redirect("experts:expert-detail", expert.pk)


class ExpertFileView(LoginRequiredMixin, View):
    def get(self, request, pk, field):
        if field not in {"resume", "core_ip_evidence"}:
            raise Http404
        expert = selectors.expert_get(request.user, pk)
        label = _("个人简历") if field == "resume" else _("证明材料")
        return serve_upload(getattr(expert, field), download_name=f"{expert.name}-{label}")


class ExpertProfileEditView(RoleRequiredMixin, View):
    """The expert keeps their profile; core fields go to staff for approval."""

    roles = (Role.EXPERT,)
    template_name = "experts/expert_profile_form.html"

    def get_expert(self):
        expert = selectors.expert_for_user(self.request.user)
        if expert is None:
            raise Http404
        return expert

    def get(self, request):
        expert = self.get_expert()
        return render(
            request,
            self.template_name,
            {
                "form": ProfileForm(instance=expert),
                "formset": AchievementFormSet(instance=expert, prefix="ach"),
                "expert": expert,
                "core_fields": CORE_FIELDS,
            },
        )

    def post(self, request):
        expert = self.get_expert()
        if request.POST.get("add_row"):
            data = add_achievement_row(request.POST)
            form = ProfileForm(data, instance=selectors.expert_for_user(request.user))
            formset = AchievementFormSet(data, instance=expert, prefix="ach")
            without_errors(form, formset)
            return render(
                request,
                self.template_name,
                {"form": form, "formset": formset, "expert": expert, "core_fields": CORE_FIELDS},
            )
        form = ProfileForm(request.POST, instance=selectors.expert_for_user(request.user))
        formset = AchievementFormSet(request.POST, instance=expert, prefix="ach")
        if not (form.is_valid() and formset.is_valid()):
            messages.error(request, _("请按提示修改标红的内容；已填写的内容已保留。"))
            return render(
                request,
                self.template_name,
                {"form": form, "formset": formset, "expert": expert, "core_fields": CORE_FIELDS},
            )
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            change = services.expert_profile_update(
                expert=expert, by=request.user, data=data, achievements=achievements_from(formset)
            )
        except NominationError as exc:
            form.add_error(None, str(exc))
            return render(
                request,
                self.template_name,
                {"form": form, "formset": formset, "expert": expert, "core_fields": CORE_FIELDS},
            )
        if change:
            messages.info(
                request, _("联系方式等已更新；姓名、单位、学科、学位、职称等核心信息的变更已提交区科委审核。")
            )
        else:
            messages.success(request, _("个人信息已更新。"))
        return redirect("experts:expert-detail", expert.pk)


class ChangeRequestListView(XlsxExportMixin, RoleRequiredMixin, ListView):
    roles = (Role.COMMISSION,)
    export_title = gettext_lazy("专家信息变更申请")
    export_filename = "change-requests"
    export_columns = [
        Column(gettext_lazy("专家"), "expert.name"),
        Column(gettext_lazy("推荐单位"), "expert.institution.name"),
        Column(gettext_lazy("状态"), "state"),
        Column(gettext_lazy("申请人"), "requested_by"),
        Column(gettext_lazy("申请时间"), "created_at"),
        Column(gettext_lazy("审核时间"), "decided_at"),
    ]
    template_name = "experts/changerequest_list.html"
    context_object_name = "requests"
    paginate_by = 20

    def get_queryset(self):
        qs = selectors.change_request_list(self.request.user)
        self.show_all = self.request.GET.get("all") == "1"
        return qs if self.show_all else qs.filter(state="pending")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["show_all"] = self.show_all
        ctx["form"] = ChangeDecisionForm()
        return ctx


class ChangeRequestDecideView(RoleRequiredMixin, RedirectActionView):
    roles = (Role.COMMISSION,)
    form_class = ChangeDecisionForm
    invalid_message = gettext_lazy("请选择审核结果。")
    refusals = (NominationError,)
    success_message = gettext_lazy("已处理变更申请。")

    def get_object(self):
        return get_object_or_404(selectors.change_request_list(self.request.user), pk=self.kwargs["pk"])

    def act(self, change, form):
        data = form.cleaned_data
        services.change_request_decide(
            request=change, by=self.request.user, approve=data["approve"], note=data["note"]
        )

    def success_url(self, change):
        return reverse("experts:changerequest-list")
