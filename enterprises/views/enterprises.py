"""Registration and the enterprise: the staff list, the enterprise's page (staff verify or reject it, the
enterprise resubmits — one view per action), its details and colleagues."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView, TemplateView, View

from core.actions import ActionView, ReasonForm, action_form, blank_forms, error_text
from core.exports import Column, XlsxExportMixin
from core.phones import sees_full_phones
from core.sorting import sort_queryset
from core.uploads import serve_upload
from credit.enums import DecisionPoint
from credit.exceptions import CreditError
from credit.overrides import posted_override
from credit.selectors import credit_alerts

from .. import policy, selectors, services
from ..enums import EnterpriseState, VerificationGround
from ..exceptions import EnterpriseError
from ..forms import EnterpriseForm, EnterpriseRegisterForm, MemberAddForm, VerifyForm
from ..rules import is_commission, membership
from ._common import (
    REFUSED,
    PortalFormView,
    PortalView,
    _enterprise_or_404,
    _own_enterprise,
    _query_string,
    _require,
)

# The columns the list sorts by (`?o=` / `?o=-`, core.sorting; the headers are {% sort_th %} links).
ENTERPRISE_SORTS = {"name": "name", "industry": "industry__name", "state": "state", "created": "created_at"}


class EnterpriseRegisterView(FormView):
    template_name = "enterprises/enterprise_register.html"
    form_class = EnterpriseRegisterForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and membership(request.user):
            return redirect("enterprises:enterprise-detail", membership(request.user).enterprise_id)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user, enterprise = services.enterprise_register(
                username=data["username"],
                password=data["password1"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                data=data,
            )
        except EnterpriseError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, _("注册成功。区科委认证通过后，即可发布需求、邀请专家。"))
        return redirect("enterprises:enterprise-detail", enterprise.pk)


class EnterpriseListView(XlsxExportMixin, PortalView, ListView):
    export_title = _("企业")
    export_filename = "enterprises"
    export_columns = [
        Column(_("企业名称"), "name"),
        Column(_("统一社会信用代码"), "uscc"),
        Column(_("所属行业"), "industry.name"),
        Column(_("企业规模"), "size"),
        Column(_("注册地在昌平区"), "in_changping"),
        Column(_("联系人"), "contact_name"),
        Column(_("联系电话"), "contact_phone"),
        Column(_("状态"), "state"),
        Column(_("认证时间"), "verified_at"),
        Column(_("注册时间"), "created_at"),
    ]
    template_name = "enterprises/enterprise_list.html"
    context_object_name = "enterprises"
    paginate_by = 30

    def get_queryset(self):
        _require(self.request.user, "enterprises.verify_enterprise")
        qs = selectors.enterprise_list(
            user=self.request.user, state=self.request.GET.get("state", ""), q=self.request.GET.get("q", "")
        )
        industry = self.request.GET.get("industry", "")
        qs = qs.filter(industry__code=industry) if industry else qs
        qs, self.sort = sort_queryset(self.request.GET, qs, ENTERPRISE_SORTS)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["sort"] = self.sort
        ctx["states"] = EnterpriseState.choices
        ctx["query_string"] = _query_string(self.request)
        return ctx


class MyEnterpriseView(PortalView, View):
    def get(self, request):
        member = membership(request.user)
        if member is None:
            return redirect("enterprises:register")
        return redirect("enterprises:enterprise-detail", member.enterprise_id)


class EnterpriseDetailView(PortalView, TemplateView):
    template_name = "enterprises/enterprise_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        enterprise = _enterprise_or_404(user, kwargs["pk"])
        ground = services.enterprise_verification_ground(enterprise)
        ctx = {
            **blank_forms(EnterpriseRejectView),
            "verify_form": action_form(VerifyForm, "verify_form", **_verify_options(ground)),
            **super().get_context_data(**kwargs),  # an action's bound form (kwargs) over its blank one
        }
        ctx.update(
            enterprise=enterprise,
            members=enterprise.members.select_related("user"),
            transitions=enterprise.transitions.select_related("actor"),
            is_staff=is_commission(self.request.user),
            full_phones=sees_full_phones(user, owner=_own_enterprise(user, enterprise)),  # core.phones
            ground=ground,
            division_code=policy.division_code(enterprise.uscc),
        )
        if ctx["is_staff"] and enterprise.state == EnterpriseState.REGISTERED:
            ctx["credit_alerts"] = credit_alerts(enterprises=[enterprise.pk])  # 信用提示 (a re-registration)
        return ctx


class EnterpriseEvidenceView(PortalView, View):
    """The uploaded evidence of operating in Changping, behind the enterprise's own access rule."""

    def get(self, request, pk):
        enterprise = _enterprise_or_404(request.user, pk)
        return serve_upload(enterprise.changping_evidence, download_name=f"{enterprise.name}-昌平经营证明")


class EnterpriseFormView(PortalFormView):
    """A form on an enterprise the user may see; back to its page."""

    success_url_name = "enterprises:enterprise-detail"

    def get_object(self):
        return _enterprise_or_404(self.request.user, self.kwargs["pk"])


class EnterpriseUpdateView(EnterpriseFormView):
    form_class = EnterpriseForm
    permission = "enterprises.change_enterprise"
    title = _("修改企业信息")
    form_edits_object = True
    success_message = _("企业信息已保存。")

    def save(self, form):
        services.enterprise_update(enterprise=self.object, by=self.request.user, data=form.cleaned_data)
        return self.object


class EnterpriseActionView(PortalView, ActionView):
    """One action on an enterprise the user may see (404 otherwise) that needs `permission` on it (403
    without)."""

    permission = ""
    refusals = REFUSED
    page_view = EnterpriseDetailView
    detail_url_name = "enterprises:enterprise-detail"

    def get_object(self):
        return _enterprise_or_404(self.request.user, self.kwargs["pk"])

    def check_permission(self, enterprise):
        _require(self.request.user, self.permission, enterprise)


def _verify_options(ground) -> dict:
    """Verified on its Changping evidence (not its credit code): staff confirm it and give the reason."""
    return {"evidence": ground == VerificationGround.CHANGPING_EVIDENCE}


class EnterpriseVerifyView(EnterpriseActionView):
    """Staff: verify (认证通过). A refusal shows the page again with what staff typed."""

    permission = "enterprises.verify_enterprise"
    form_class = VerifyForm
    form_name = "verify_form"
    refusals = (*REFUSED, CreditError)

    def form_kwargs(self):
        return _verify_options(services.enterprise_verification_ground(self.object))

    def act(self, enterprise, form):
        request = self.request
        with transaction.atomic():
            posted_override(
                request,
                decision=DecisionPoint.ENTERPRISE_VERIFICATION,
                target=enterprise,
                enterprises=[enterprise.pk],
            )
            services.enterprise_verify(
                enterprise=enterprise,
                by=request.user,
                confirm_evidence=form.cleaned_data["confirm_evidence"],
                reason=form.cleaned_data["reason"],
            )
        return _("已认证：%(n)s") % {"n": enterprise.name}

    def refused(self, enterprise, form, exc):
        messages.error(self.request, error_text(exc))
        return self.page(enterprise, verify_form=form)


class EnterpriseRejectView(EnterpriseActionView):
    """Staff: not verified (不予认证), with the reason."""

    permission = "enterprises.verify_enterprise"
    form_class = ReasonForm
    form_name = "reject_form"
    form_options = {"required": _("请填写未通过认证的原因。"), "label": _("不通过原因")}

    def act(self, enterprise, form):
        services.enterprise_reject(
            enterprise=enterprise, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        return _("已退回：%(n)s") % {"n": enterprise.name}


class EnterpriseResubmitView(EnterpriseActionView):
    """The enterprise's administrator asks again after a rejection."""

    permission = "enterprises.change_enterprise"

    def act(self, enterprise, form):
        services.enterprise_resubmit(enterprise=enterprise, by=self.request.user)
        return _("已重新提交认证。")


class MemberAddView(EnterpriseFormView):
    form_class = MemberAddForm
    permission = "enterprises.manage_members"
    title = _("添加同事账号")
    success_message = _("已添加同事账号。")

    def save(self, form):
        services.enterprise_member_add(enterprise=self.object, by=self.request.user, **form.cleaned_data)
        return self.object
