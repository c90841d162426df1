"""Demands: the lists, the enterprise's form, the demand page (publish, close, invite an expert, apply —
one view per action), an expert's public profile, the expert's recommended demands."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from core.actions import ActionView, action_form
from core.exports import Column, XlsxExportMixin
from core.http import int_param
from core.sorting import sort_queryset

from .. import selectors, services
from ..enums import DemandState, EnterpriseState, IntentState
from ..exceptions import EnterpriseError
from ..forms import DemandForm, MessageForm
from ..models import Industry
from ..rules import expert_of, is_commission, is_verified_enterprise_user, membership
from ._common import REFUSED, PortalFormView, PortalView, _in_year, _query_string, _require

# The columns the list sorts by (`?o=` / `?o=-`, core.sorting; the headers are {% sort_th %} links).
DEMAND_SORTS = {
    "title": "title",
    "enterprise": "enterprise__name",
    "industry": "industry__name",
    "deadline": "deadline",
    "state": "state",
}


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


class DemandCreateView(PortalFormView):
    form_class = DemandForm
    permission = "enterprises.add_demand"
    title = _("新建需求")
    success_message = _("需求已保存为草稿，确认无误后请发布。")
    success_url_name = "enterprises:demand-detail"

    def dispatch(self, request, *args, **kwargs):
        notice = _unverified_notice(request) if request.user.is_authenticated else None
        return notice or super().dispatch(request, *args, **kwargs)

    def save(self, form):
        return services.demand_create(
            enterprise=membership(self.request.user).enterprise, by=self.request.user, data=form.cleaned_data
        )


class DemandUpdateView(PortalFormView):
    form_class = DemandForm
    permission = "enterprises.change_demand"
    title = _("修改需求")
    form_edits_object = True
    success_message = _("需求已保存。")
    success_url_name = "enterprises:demand-detail"

    def get_object(self):
        return _demand_or_404(self.request.user, self.kwargs["pk"])

    def save(self, form):
        try:
            services.demand_update(demand=self.object, by=self.request.user, data=form.cleaned_data)
        except EnterpriseError:
            self.object.refresh_from_db()  # the form's page shows the demand as stored
            raise
        return self.object


class DemandDetailView(PortalView, TemplateView):
    template_name = "enterprises/demand_detail.html"

    def get_context_data(self, **kwargs):
        from experts.models import Expert

        from ..matching import demand_text, expert_recommendations

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
        has_open_intent = (
            bool(expert)
            and demand.intents.filter(
                expert=expert, state__in=[IntentState.PENDING, IntentState.ACCEPTED]
            ).exists()
        )
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
            message_form=kwargs.get("message_form") or action_form(MessageForm, "message_form"),
            past_deadline=demand.deadline < timezone.localdate(),
        )
        return ctx


class DemandActionView(PortalView, ActionView):
    """One action on a demand the user may see (404 otherwise) that needs `permission` on it (403
    without)."""

    permission = ""
    refusals = REFUSED
    page_view = DemandDetailView
    detail_url_name = "enterprises:demand-detail"

    def get_object(self):
        return _demand_or_404(self.request.user, self.kwargs["pk"])

    def check_permission(self, demand):
        _require(self.request.user, self.permission, demand)


class DemandPublishView(DemandActionView):
    permission = "enterprises.change_demand"

    def act(self, demand, form):
        services.demand_publish(demand=demand, by=self.request.user)
        return _("需求已发布，专家库中的专家可以看到并申请。")


class DemandCloseView(DemandActionView):
    permission = "enterprises.change_demand"

    def act(self, demand, form):
        services.demand_close(demand=demand, by=self.request.user, reason=self.request.POST.get("reason", ""))
        return _("需求已关闭。")


class DemandInviteView(DemandActionView):
    """The enterprise invites a recommended expert (`expert`) of the pool."""

    permission = "enterprises.invite_expert"

    def act(self, demand, form):
        from experts.models import Expert

        request = self.request
        expert = get_object_or_404(
            Expert.objects.filter(in_pool=True), pk=int_param(request.POST.get("expert")) or 0
        )
        services.intent_invite(
            demand=demand, expert=expert, by=request.user, message=request.POST.get("message", "")
        )
        return _("已向%(n)s发出邀请。") % {"n": expert.name}


class DemandApplyView(DemandActionView):
    """An expert of the pool applies, with an optional message."""

    permission = "enterprises.apply_demand"
    form_class = MessageForm
    form_name = "message_form"

    def act(self, demand, form):
        user = self.request.user
        services.intent_apply(
            demand=demand, expert=expert_of(user), by=user, message=form.cleaned_data["message"]
        )
        return _("已提交对接申请，请等待企业回复。")


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
        from ..matching import demand_recommendations, demand_text
        from ..models import Demand

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
