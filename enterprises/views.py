"""HTTP only: parse, check permission, call one service or selector, render.

Objects are always fetched from a selector filtered by what the user may see, so another enterprise's
or expert's record is a 404; actions are then checked with django-rules permissions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView, TemplateView, View

from core.exports import Column, XlsxExportMixin
from core.http import int_param, int_params
from core.phones import sees_full_phones
from core.sorting import sort_queryset
from core.uploads import serve_upload
from core.workflow import TransitionError
from credit.enums import DecisionPoint
from credit.exceptions import CreditError
from credit.selectors import credit_alerts
from credit.services import credit_override

from . import policy, selectors, services
from .enums import DemandState, EnterpriseState, IntentAction, IntentState
from .exceptions import EnterpriseError
from .forms import (
    DemandForm,
    EnterpriseForm,
    EnterpriseRegisterForm,
    EventForm,
    EventInviteForm,
    FunnelFilterForm,
    MemberAddForm,
    MessageForm,
    NoteForm,
    ReasonForm,
    VerifyForm,
)
from .models import Enterprise, Industry, MatchmakingEvent
from .rules import expert_of, intent_side, is_commission, is_verified_enterprise_user, membership

REFUSED = (EnterpriseError, TransitionError)


def _query_string(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


class PortalView(LoginRequiredMixin):
    """Login required; unverified enterprise users get a clear explanation instead of a bare 403."""


# --- registration and enterprise ---------------------------------------------------------------------


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


def _enterprise_or_404(user, pk: int) -> Enterprise:
    return get_object_or_404(selectors.enterprise_list(user=user), pk=pk)


def _own_enterprise(user, enterprise) -> bool:
    member = membership(user)
    return member is not None and member.enterprise_id == enterprise.pk


def _in_year(qs, request, field: str):
    """`?year=YYYY` (the dashboard's links): rows whose `field` falls in that year."""
    year = request.GET.get("year", "")
    return qs.filter(**{f"{field}__year": int(year)}) if year.isdigit() else qs


# The columns each list sorts by (`?o=` / `?o=-`, core.sorting; the headers are {% sort_th %} links).
ENTERPRISE_SORTS = {"name": "name", "industry": "industry__name", "state": "state", "created": "created_at"}
DEMAND_SORTS = {
    "title": "title",
    "enterprise": "enterprise__name",
    "industry": "industry__name",
    "deadline": "deadline",
    "state": "state",
}
INTENT_SORTS = {
    "demand": "demand__title",
    "expert": "expert__name",
    "state": "state",
    "created": "created_at",
    "expires": "expires_at",
}
EVENT_SORTS = {"held_on": "held_on", "title": "title"}


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
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            enterprise=enterprise,
            members=enterprise.members.select_related("user"),
            transitions=enterprise.transitions.select_related("actor"),
            reject_form=ReasonForm(),
            verify_form=kwargs.get("verify_form") or VerifyForm(),
            is_staff=is_commission(self.request.user),
            full_phones=sees_full_phones(user, owner=_own_enterprise(user, enterprise)),  # core.phones
            ground=services.enterprise_verification_ground(enterprise),
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


class EnterpriseUpdateView(PortalView, FormView):
    template_name = "enterprises/form.html"
    form_class = EnterpriseForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.enterprise = _enterprise_or_404(request.user, kwargs["pk"])
        _require(request.user, "enterprises.change_enterprise", self.enterprise)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.enterprise}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("修改企业信息"), "back": self.enterprise}

    def form_valid(self, form):
        try:
            services.enterprise_update(
                enterprise=self.enterprise, by=self.request.user, data=form.cleaned_data
            )
        except EnterpriseError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("企业信息已保存。"))
        return redirect("enterprises:enterprise-detail", self.enterprise.pk)


class EnterpriseActionView(PortalView, View):
    """POST verify / reject (staff) or resubmit (enterprise administrator)."""

    def post(self, request, pk, action):
        enterprise = _enterprise_or_404(request.user, pk)
        try:
            if action == "verify":
                _require(request.user, "enterprises.verify_enterprise", enterprise)
                form = VerifyForm(request.POST)
                form.is_valid()
                try:
                    with transaction.atomic():
                        credit_override(
                            decision=DecisionPoint.ENTERPRISE_VERIFICATION,
                            target=enterprise,
                            by=request.user,
                            reason=request.POST.get("credit_reason", ""), enterprises=[enterprise.pk],
                        )
                        services.enterprise_verify(
                            enterprise=enterprise,
                            by=request.user,
                            confirm_evidence=bool(form.cleaned_data.get("confirm_evidence")),
                            reason=form.cleaned_data.get("reason", ""),
                        )
                except (EnterpriseError, CreditError) as exc:
                    # The page again with the refusal and what staff typed (nothing lost).
                    messages.error(request, str(exc))
                    view = EnterpriseDetailView()
                    view.setup(request, pk=pk)
                    return view.render_to_response(view.get_context_data(pk=pk, verify_form=form))
                messages.success(request, _("已认证：%(n)s") % {"n": enterprise.name})
            elif action == "reject":
                _require(request.user, "enterprises.verify_enterprise", enterprise)
                form = ReasonForm(request.POST)
                services.enterprise_reject(
                    enterprise=enterprise,
                    by=request.user,
                    reason=form.data.get("reason", ""),
                )
                messages.success(request, _("已退回：%(n)s") % {"n": enterprise.name})
            elif action == "resubmit":
                _require(request.user, "enterprises.change_enterprise", enterprise)
                services.enterprise_resubmit(enterprise=enterprise, by=request.user)
                messages.success(request, _("已重新提交认证。"))
            else:
                raise Http404
        except REFUSED as exc:
            messages.error(request, str(exc))
        return redirect("enterprises:enterprise-detail", enterprise.pk)


class MemberAddView(PortalView, FormView):
    template_name = "enterprises/form.html"
    form_class = MemberAddForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.enterprise = _enterprise_or_404(request.user, kwargs["pk"])
        _require(request.user, "enterprises.manage_members", self.enterprise)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("添加同事账号"), "back": self.enterprise}

    def form_valid(self, form):
        try:
            services.enterprise_member_add(
                enterprise=self.enterprise, by=self.request.user, **form.cleaned_data
            )
        except EnterpriseError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("已添加同事账号。"))
        return redirect("enterprises:enterprise-detail", self.enterprise.pk)


# --- demands -----------------------------------------------------------------------------------------


def _demand_or_404(user, pk: int):
    return get_object_or_404(selectors.demand_list(user=user), pk=pk)


def _unverified_notice(request) -> HttpResponseRedirect | None:
    member = membership(request.user)
    if (
        member is not None
        and member.enterprise.state != EnterpriseState.VERIFIED
        and not is_commission(request.user)
    ):
        messages.warning(request, _("企业尚未通过区科委认证，暂不能发布需求或对接专家。"))
        return redirect("enterprises:enterprise-detail", member.enterprise_id)
    return None


class DemandListView(XlsxExportMixin, PortalView, ListView):
    export_title = _("需求")
    export_filename = "demands"
    export_columns = [
        Column(_("需求名称"), "title"),
        Column(_("企业"), "enterprise.name"),
        Column(_("所属行业"), "industry.name"),
        Column(_("技术领域"), "technical_field"),
        Column(_("拟聘岗位"), "position"),
        Column(_("截止日期"), "deadline"),
        Column(_("状态"), "state"),
        Column(_("发布时间"), "published_at"),
    ]
    template_name = "enterprises/demand_list.html"
    context_object_name = "demands"
    paginate_by = 30

    def get(self, request, *args, **kwargs):
        return _unverified_notice(request) or super().get(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        if not (is_commission(user) or membership(user) or expert_of(user)):
            raise Http404
        qs = selectors.demand_list(
            user=user,
            state=self.request.GET.get("state", ""),
            industry=self.request.GET.get("industry", ""),
            q=self.request.GET.get("q", ""),
        )
        qs = _in_year(qs, self.request, "published_at")
        qs, self.sort = sort_queryset(self.request.GET, qs, DEMAND_SORTS)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            sort=self.sort,
            states=DemandState.choices,
            industries=Industry.objects.filter(active=True),
            can_add=self.request.user.has_perm("enterprises.add_demand"),
            is_expert=expert_of(self.request.user) is not None,
            query_string=_query_string(self.request),
        )
        return ctx


class DemandCreateView(PortalView, FormView):
    template_name = "enterprises/form.html"
    form_class = DemandForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        notice = _unverified_notice(request)
        if notice:
            return notice
        _require(request.user, "enterprises.add_demand")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("新建需求")}

    def form_valid(self, form):
        try:
            demand = services.demand_create(
                enterprise=membership(self.request.user).enterprise,
                by=self.request.user,
                data=form.cleaned_data,
            )
        except EnterpriseError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("需求已保存为草稿，确认无误后请发布。"))
        return redirect("enterprises:demand-detail", demand.pk)


class DemandUpdateView(PortalView, FormView):
    template_name = "enterprises/form.html"
    form_class = DemandForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.demand = _demand_or_404(request.user, kwargs["pk"])
        _require(request.user, "enterprises.change_demand", self.demand)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.demand}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("修改需求"), "back": self.demand}

    def form_valid(self, form):
        try:
            services.demand_update(demand=self.demand, by=self.request.user, data=form.cleaned_data)
        except EnterpriseError as exc:
            self.demand.refresh_from_db()
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("需求已保存。"))
        return redirect("enterprises:demand-detail", self.demand.pk)


class DemandDetailView(PortalView, TemplateView):
    template_name = "enterprises/demand_detail.html"

    def get_context_data(self, **kwargs):
        from experts.models import Expert

        from .matching import demand_text, expert_recommendations

        user = self.request.user
        demand = _demand_or_404(user, kwargs["pk"])
        ctx = super().get_context_data(**kwargs)
        is_owner = user.has_perm("enterprises.change_demand", demand)
        recommendations = []
        if (is_owner or is_commission(user)) and demand.state == DemandState.PUBLISHED:
            recs = expert_recommendations(demand)
            experts = Expert.objects.select_related("institution", "discipline").in_bulk([r.id for r in recs])
            open_ids = set(
                demand.intents.filter(state__in=[IntentState.PENDING, IntentState.ACCEPTED]).values_list(
                    "expert_id", flat=True
                )
            )
            text = demand_text(demand)
            recommendations = [
                {
                    "rec": r,
                    "expert": experts[r.id],
                    "has_intent": r.id in open_ids,
                    "reasons": r.reasons(text),
                }
                for r in recs
                if r.id in experts
            ]
        expert = expert_of(user)
        has_open_intent = bool(expert) and demand.intents.filter(
            expert=expert, state__in=[IntentState.PENDING, IntentState.ACCEPTED]
        ).exists()
        ctx.update(
            demand=demand,
            is_owner=is_owner,
            is_staff=is_commission(user),
            recommendations=recommendations,
            intents=selectors.intent_list(user=user, demand=demand),
            transitions=demand.transitions.select_related("actor"),
            expert=expert,
            # 申请对接 is not offered where an invitation or application is already open or accepted
            can_apply=bool(expert)
            and not has_open_intent
            and user.has_perm("enterprises.apply_demand", demand),
            has_open_intent=has_open_intent,
            message_form=MessageForm(),
            past_deadline=demand.deadline < timezone.localdate(),
        )
        return ctx


class DemandActionView(PortalView, View):
    """POST publish / close (enterprise), invite an expert (enterprise), apply (expert)."""

    def post(self, request, pk, action):
        from experts.models import Expert

        demand = _demand_or_404(request.user, pk)
        message = request.POST.get("message", "")
        try:
            if action == "publish":
                _require(request.user, "enterprises.change_demand", demand)
                services.demand_publish(demand=demand, by=request.user)
                messages.success(request, _("需求已发布，专家库中的专家可以看到并申请。"))
            elif action == "close":
                _require(request.user, "enterprises.change_demand", demand)
                services.demand_close(demand=demand, by=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("需求已关闭。"))
            elif action == "invite":
                _require(request.user, "enterprises.invite_expert", demand)
                expert = get_object_or_404(
                    Expert.objects.filter(in_pool=True), pk=request.POST.get("expert") or 0
                )
                services.intent_invite(demand=demand, expert=expert, by=request.user, message=message)
                messages.success(request, _("已向%(n)s发出邀请。") % {"n": expert.name})
            elif action == "apply":
                _require(request.user, "enterprises.apply_demand", demand)
                services.intent_apply(
                    demand=demand, expert=expert_of(request.user), by=request.user, message=message
                )
                messages.success(request, _("已提交对接申请，请等待企业回复。"))
            else:
                raise Http404
        except REFUSED as exc:
            messages.error(request, str(exc))
        return redirect("enterprises:demand-detail", demand.pk)


class ExpertProfileView(PortalView, View):
    """An admitted expert's public profile for enterprises (and staff): institution, title, disciplines,
    research fields, keywords, achievements — never the ID number, phone, e-mail or bank account. A
    verified enterprise invites the expert from here with a message for one of its open demands.
    Anyone else, or an expert not in the pool, gets a 404."""

    template_name = "enterprises/expert_profile.html"

    def _expert(self, request, pk):
        from experts.models import Expert

        # staff, or a verified enterprise (an unverified one does not browse the pool yet)
        if not (is_commission(request.user) or is_verified_enterprise_user(request.user)):
            raise Http404
        return get_object_or_404(
            Expert.objects.filter(in_pool=True)
            .select_related("institution", "discipline")
            .prefetch_related("achievements"),
            pk=pk,
        )

    def _open_demands(self, request, expert):
        """The enterprise's published, open demands without a pending or accepted intent of this expert."""
        if not request.user.has_perm("enterprises.invite_expert"):
            return []
        busy = expert.intents.filter(state__in=[IntentState.PENDING, IntentState.ACCEPTED]).values(
            "demand_id"
        )
        return list(
            selectors.demand_list(user=request.user, state=DemandState.PUBLISHED)
            .filter(deadline__gte=timezone.localdate())
            .exclude(pk__in=busy)
        )

    def _render(self, request, expert, form=None, status=200):
        demands = self._open_demands(request, expert)
        chosen = request.POST.get("demand") or request.GET.get("demand") or ""
        intents = selectors.intent_list(user=request.user).filter(expert=expert)
        return render(
            request,
            self.template_name,
            {
                "expert": expert,
                "demands": demands,
                "chosen": str(chosen),
                "form": form or MessageForm(),
                "intents": intents if not is_commission(request.user) else intents.none(),
            },
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, self._expert(request, pk))

    def post(self, request, pk):
        expert = self._expert(request, pk)
        form = MessageForm(request.POST)
        demand = next(
            (d for d in self._open_demands(request, expert) if str(d.pk) == request.POST.get("demand")), None
        )
        if demand is None or not form.is_valid():
            messages.error(request, _("请选择要邀请专家对接的需求。"))
            return self._render(request, expert, form)
        try:
            intent = services.intent_invite(
                demand=demand, expert=expert, by=request.user, message=form.cleaned_data["message"]
            )
        except REFUSED as exc:
            messages.error(request, str(exc))
            return self._render(request, expert, form)
        messages.success(request, _("已向%(n)s发出邀请。") % {"n": expert.name})
        return redirect("enterprises:intent-detail", intent.pk)


class DemandRecommendedView(PortalView, TemplateView):
    """For an expert: published demands ranked for their profile, with the explanation."""

    template_name = "enterprises/demand_recommended.html"

    def get_context_data(self, **kwargs):
        from .matching import demand_recommendations, demand_text
        from .models import Demand

        expert = expert_of(self.request.user)
        if expert is None:
            raise Http404
        recs = demand_recommendations(expert)
        demands = Demand.objects.select_related("enterprise", "industry").in_bulk([r.id for r in recs])
        return {
            **super().get_context_data(**kwargs),
            "expert": expert,
            "recommendations": [
                {"rec": r, "demand": demands[r.id], "reasons": r.reasons(demand_text(demands[r.id]))}
                for r in recs
                if r.id in demands
            ],
        }


# --- intents -----------------------------------------------------------------------------------------


class IntentListView(XlsxExportMixin, PortalView, ListView):
    export_title = _("对接意向")
    export_filename = "intents"
    export_columns = [
        Column(_("需求"), "demand.title"),
        Column(_("企业"), "demand.enterprise.name"),
        Column(_("专家"), "expert.name"),
        Column(_("推荐单位"), "expert.institution.name"),
        Column(_("发起方"), "initiator"),
        Column(_("状态"), "state"),
        Column(_("对接会"), "event.title"),
        Column(_("发起时间"), "created_at"),
        Column(_("回复时间"), "responded_at"),
    ]
    template_name = "enterprises/intent_list.html"
    context_object_name = "intents"
    paginate_by = 30

    def get_queryset(self):
        user = self.request.user
        if not (is_commission(user) or membership(user) or expert_of(user)):
            raise Http404
        qs = selectors.intent_list(user=user, state=self.request.GET.get("state", ""))
        qs = _in_year(qs, self.request, "created_at")
        qs, self.sort = sort_queryset(self.request.GET, qs, INTENT_SORTS)
        return qs

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sort": self.sort,
            "states": IntentState.choices,
            "query_string": _query_string(self.request),
        }


class IntentDetailView(PortalView, TemplateView):
    template_name = "enterprises/intent_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        intent = get_object_or_404(selectors.intent_list(user=user), pk=kwargs["pk"])
        side = intent_side(user, intent)
        return {
            **super().get_context_data(**kwargs),
            "intent": intent,
            "side": side,
            "can_respond": user.has_perm("enterprises.respond_intent", intent),
            "can_withdraw": user.has_perm("enterprises.withdraw_intent", intent),
            "is_staff": is_commission(user),
            "transitions": intent.transitions.select_related("actor"),
            "note_form": NoteForm(),
            "project_filing_url": _project_filing_url(intent),
        }


def _project_filing_url(intent) -> str | None:
    """Hook for the projects app: the URL that starts a project filing from an accepted intent
    (`projects:project-create` with the intent's pk), or None while the projects app does not provide it."""
    from django.urls import NoReverseMatch

    if intent.state != IntentState.ACCEPTED:
        return None
    try:
        return reverse("projects:project-create", args=[intent.pk])
    except NoReverseMatch:
        return None


class IntentActionView(PortalView, View):
    def post(self, request, pk, action):
        user = request.user
        intent = get_object_or_404(selectors.intent_list(user=user), pk=pk)
        note = request.POST.get("note", "")
        try:
            if action == "in-service":
                _require(user, "enterprises.verify_enterprise")
                services.intent_set_in_service(
                    intent=intent, by=user, in_service=request.POST.get("value") == "1"
                )
                messages.success(request, _("已更新到岗服务标记。"))
                return redirect("enterprises:intent-detail", pk)
            action = IntentAction(action) if action in IntentAction.values else None
            if action is None:
                raise Http404
            side = intent_side(user, intent)
            service = {
                IntentAction.ACCEPT: services.intent_accept,
                IntentAction.DECLINE: services.intent_decline,
                IntentAction.WITHDRAW: services.intent_withdraw,
            }[action]
            service(intent=intent, by=user, side=side, note=note)
            messages.success(request, _("对接意向%(a)s。") % {"a": action.label})
        except REFUSED as exc:
            messages.error(request, str(exc))
        return redirect("enterprises:intent-detail", pk)


# --- matchmaking events ------------------------------------------------------------------------------


def _events_for(user):
    qs = selectors.event_list()
    if is_commission(user):
        return qs
    member, expert = membership(user), expert_of(user)
    if member is not None:
        return qs.filter(participants__enterprise_id=member.enterprise_id)
    if expert is not None:
        return qs.filter(participants__expert=expert)
    return qs.none()


class EventListView(XlsxExportMixin, PortalView, ListView):
    export_title = _("对接会")
    export_filename = "events"
    export_columns = [
        Column(_("活动名称"), "title"),
        Column(_("举办日期"), "held_on"),
        Column(_("地点"), "location"),
        Column(_("聚焦行业"), "industry.name"),
        Column(_("参加单位/专家"), "participant_count"),
        Column(_("实际到场"), "attended_count"),
        Column(_("对接意向"), "intent_count"),
    ]
    template_name = "enterprises/event_list.html"
    context_object_name = "events"
    paginate_by = 30

    def get_queryset(self):
        qs, self.sort = sort_queryset(self.request.GET, _events_for(self.request.user), EVENT_SORTS)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "sort": self.sort, "is_staff": is_commission(self.request.user)}


class EventCreateView(PortalView, FormView):
    template_name = "enterprises/form.html"
    form_class = EventForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require(request.user, "enterprises.manage_events")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("新建对接会")}

    def form_valid(self, form):
        event = services.event_create(by=self.request.user, data=form.cleaned_data)
        messages.success(self.request, _("对接会已创建，请邀请企业和专家。"))
        return redirect("enterprises:event-detail", event.pk)


class EventDetailView(PortalView, TemplateView):
    template_name = "enterprises/event_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        event = get_object_or_404(_events_for(user).distinct(), pk=kwargs["pk"])
        is_staff = is_commission(user)
        participants = event.participants.select_related("enterprise", "expert__institution")
        if not is_staff:
            member, expert = membership(user), expert_of(user)
            if member is not None:
                participants = participants.filter(enterprise_id=member.enterprise_id)
            else:
                participants = participants.filter(expert=expert)
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            event=event,
            is_staff=is_staff,
            participants=participants,
            intents=selectors.intent_list(user=user).filter(event=event),
            invite_form=EventInviteForm() if is_staff else None,
            linkable=selectors.intent_list(user=user).filter(event__isnull=True)[:50] if is_staff else [],
        )
        return ctx


class EventActionView(PortalView, View):
    def post(self, request, pk, action):
        _require(request.user, "enterprises.manage_events")
        event = get_object_or_404(MatchmakingEvent, pk=pk)
        try:
            if action == "invite":
                form = EventInviteForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _("请选择有效的企业或专家。"))
                else:
                    n = services.event_invite(
                        event=event,
                        by=request.user,
                        enterprises=form.cleaned_data["enterprises"],
                        experts=form.cleaned_data["experts"],
                    )
                    messages.success(request, _("已邀请%(n)d位参会方。") % {"n": n})
            elif action == "attendance":
                ids = set(int_params(request.POST.getlist("attended")))
                services.event_attendance(event=event, by=request.user, attended_ids=ids)
                messages.success(request, _("到场情况已保存。"))
            elif action == "link":
                intent = get_object_or_404(
                    selectors.intent_list(user=request.user), pk=int_param(request.POST.get("intent")) or 0
                )
                services.event_link_intent(event=event, intent=intent, by=request.user)
                messages.success(request, _("已记录该意向来自本次对接会。"))
            else:
                raise Http404
        except REFUSED as exc:
            messages.error(request, str(exc))
        return redirect("enterprises:event-detail", event.pk)


# --- staff overview ----------------------------------------------------------------------------------


class FunnelView(PortalView, TemplateView):
    template_name = "enterprises/funnel.html"

    def get_context_data(self, **kwargs):
        _require(self.request.user, "enterprises.view_funnel")
        form = FunnelFilterForm(self.request.GET or None)
        filters = {}
        if form.is_bound and form.is_valid():
            filters = {k: v for k, v in form.cleaned_data.items() if v}
        return {**super().get_context_data(**kwargs), "form": form, "funnel": selectors.funnel(**filters)}
