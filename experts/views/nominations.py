"""Nominations: the institution's list and form, the staff queue, the nomination page, submitting."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.enums import Role
from core.actions import ReasonForm, action_form
from core.exports import Column, XlsxExportMixin
from core.http import client_ip
from core.uploads import serve_upload
from core.workflow import TransitionError
from credit.selectors import credit_alerts
from privacy.models import ConsentKind
from privacy.services import consent_record
from privacy.services import has_current_consent as consent_given

from .. import selectors, services
from ..enums import EDITABLE_STATES, NominationState
from ..exceptions import NominationError
from ..filters import NominationFilter
from ..forms import AchievementFormSet, NominationForm, achievements_from, add_achievement_row, without_errors
from ._common import NominatorMixin, RoleRequiredMixin, _query_string

#: The staff decision's reason field (experts.views.decisions)
DECISION_FORM = {"label": gettext_lazy("理由/意见")}


class NominationListView(XlsxExportMixin, RoleRequiredMixin, ListView):
    """The institution's nominations, or the staff queue (staff see every institution's)."""

    export_title = gettext_lazy("专家推荐")
    export_filename = "nominations"
    export_columns = [
        Column(gettext_lazy("姓名"), "expert.name"),
        Column(gettext_lazy("推荐单位"), "institution.name"),
        Column(gettext_lazy("学科"), "expert.discipline.name"),
        Column(gettext_lazy("职称"), "expert.title"),
        Column(gettext_lazy("状态"), "state"),
        Column(gettext_lazy("资格审查结果"), "eligibility"),
        Column(gettext_lazy("提交时间"), "submitted_at"),
        Column(gettext_lazy("入库决定时间"), "decided_at"),
    ]

    roles = (Role.NOMINATOR, Role.COMMISSION)
    template_name = "experts/nomination_list.html"
    context_object_name = "nominations"
    paginate_by = 20

    def get_queryset(self):
        qs = selectors.nomination_list(self.request.user)
        params = self.request.GET.copy()
        if self.request.user.has_role(Role.COMMISSION) and "state" not in params:
            params["state"] = NominationState.SUBMITTED
        if "o" not in params:
            params["o"] = "-submitted" if self.request.user.has_role(Role.COMMISSION) else "-updated"
        self.sort = params["o"]
        self.filterset = NominationFilter(params, queryset=qs, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset
        ctx["sort"] = self.sort
        ctx["query_string"] = _query_string(self.request)
        ctx["is_staff_queue"] = self.request.user.has_role(Role.COMMISSION)
        return ctx


class NominationFormMixin:
    template_name = "experts/nomination_form.html"

    def render_form(self, form, formset, nomination=None):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "formset": formset,
                "nomination": nomination,
                "institution": getattr(self, "institution", None),
            },
        )


class NominationCreateView(NominatorMixin, NominationFormMixin, View):
    def get(self, request):
        return self.render_form(NominationForm(), AchievementFormSet(prefix="ach"))

    def post(self, request):
        if request.POST.get("add_row"):
            data = add_achievement_row(request.POST)
            form, formset = NominationForm(data), AchievementFormSet(data, prefix="ach")
            without_errors(form, formset)
            return self.render_form(form, formset)
        form = NominationForm(request.POST, request.FILES)
        formset = AchievementFormSet(request.POST, prefix="ach")
        if form.is_valid() and not form.cleaned_data["personal_data_consent"]:
            form.add_error("personal_data_consent", _("请确认已向专家告知并取得其同意后再录入其个人信息。"))
        if not (form.is_valid() and formset.is_valid()):
            messages.error(request, _("请按提示修改标红的内容；已填写的内容已保留。"))
            return self.render_form(form, formset)
        try:
            nomination = services.nomination_create(
                institution=self.institution,
                by=request.user,
                data=form.service_data(),
                id_number=form.cleaned_data["id_number"],
                achievements=achievements_from(formset),
                files=form.service_files(),
            )
        except NominationError as exc:
            form.add_error(None, str(exc))
            return self.render_form(form, formset)
        if not consent_given(nomination.expert, ConsentKind.NOMINATION):
            consent_record(
                expert=nomination.expert,
                kind=ConsentKind.NOMINATION,
                by=request.user,
                ip_address=client_ip(request),
            )
        messages.success(request, _("推荐草稿已保存。"))
        return redirect("experts:nomination-detail", nomination.pk)


class NominationUpdateView(NominatorMixin, NominationFormMixin, View):
    def get_nomination(self, pk):
        nomination = selectors.nomination_get(self.request.user, pk)
        if nomination.state not in EDITABLE_STATES:
            messages.error(
                self.request,
                _("推荐当前为“%(state)s”，不能修改。") % {"state": nomination.get_state_display()},
            )
            return nomination, redirect("experts:nomination-detail", nomination.pk)
        return nomination, None

    def get(self, request, pk):
        nomination, blocked = self.get_nomination(pk)
        if blocked:
            return blocked
        form = NominationForm(instance=nomination.expert, nomination=nomination)
        return self.render_form(
            form, AchievementFormSet(instance=nomination.expert, prefix="ach"), nomination
        )

    def post(self, request, pk):
        nomination, blocked = self.get_nomination(pk)
        if blocked:
            return blocked
        if request.POST.get("add_row"):
            data = add_achievement_row(request.POST)
            form = NominationForm(data, instance=nomination.expert, nomination=nomination)
            formset = AchievementFormSet(data, instance=nomination.expert, prefix="ach")
            without_errors(form, formset)
            return self.render_form(form, formset, nomination)
        form = NominationForm(request.POST, request.FILES, instance=nomination.expert, nomination=nomination)
        formset = AchievementFormSet(request.POST, instance=nomination.expert, prefix="ach")
        if not (form.is_valid() and formset.is_valid()):
            messages.error(request, _("请按提示修改标红的内容；已填写的内容已保留。"))
            return self.render_form(form, formset, nomination)
        try:
            services.nomination_update(
                nomination=nomination,
                by=request.user,
                data=form.service_data(),
                id_number=form.cleaned_data.get("id_number") or None,
                achievements=achievements_from(formset),
                files=form.service_files(),
            )
        except NominationError as exc:
            form.add_error(None, str(exc))
            return self.render_form(form, formset, nomination)
        messages.success(request, _("推荐已保存。"))
        return redirect("experts:nomination-detail", nomination.pk)


class NominationDetailView(RoleRequiredMixin, TemplateView):
    roles = (Role.NOMINATOR, Role.COMMISSION)
    template_name = "experts/nomination_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        nomination = selectors.nomination_detail_get(self.request.user, kwargs["pk"])
        user = self.request.user
        can_edit = user.has_perm("experts.change_nomination", nomination)
        ctx.update(
            nomination=nomination,
            expert=nomination.expert,
            can_edit=can_edit,
            # the nominator while the draft is theirs to edit (its form shows it anyway); core.phones
            full_phones=can_edit,
            can_decide=user.has_perm("experts.decide_nomination", nomination),
            # the decision's reason, shared by its buttons (each posts to its own view, .decisions)
            decision_form=kwargs.get("decision_form")
            or action_form(ReasonForm, "decision_form", **DECISION_FORM),
            # 信用提示 for staff deciding (the expert's and the institution's records), never the nominator
            credit_alerts=credit_alerts(
                experts=[nomination.expert_id], institutions=[nomination.institution_id]
            )
            if user.has_perm("experts.decide_nomination", nomination)
            else None,
            reasons=[(code, text) for code, text in nomination.eligibility_reasons.items()],
            return_reason=next(
                (
                    t.reason
                    for t in reversed(nomination.transitions.all())
                    if t.to_state == NominationState.RETURNED
                ),
                "",
            ),
        )
        return ctx


class NominationSubmitView(NominatorMixin, View):
    def post(self, request, pk):
        nomination = selectors.nomination_get(request.user, pk)
        try:
            nomination = services.nomination_submit(nomination=nomination, by=request.user)
        except (NominationError, TransitionError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("推荐已提交，资格审查结果见下方。"))
        return redirect("experts:nomination-detail", pk)


class NominationFileView(RoleRequiredMixin, View):
    roles = (Role.NOMINATOR, Role.COMMISSION)

    def get(self, request, pk):
        nomination = selectors.nomination_get(request.user, pk)
        return serve_upload(
            nomination.recommendation_letter, download_name=f"{nomination.expert.name}-推荐函"
        )
