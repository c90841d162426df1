"""Staff: the project subsidies (instalment plans; the commission's decision on a terminated term's
suspended subsidy) and the enterprises' overdue matching allowances."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.actions import error_text
from core.exports import Column, XlsxExportMixin
from core.sorting import sort_queryset

from .. import selectors, services
from ..exceptions import SubsidyError
from ..forms import InstalmentPlanForm, SuspensionDecisionForm
from ._common import PermMixin

# The columns the lists sort by (`?o=`, core.sorting).
SUBSIDY_SORTS = {
    "enterprise": "enterprise__name",
    "expert": "expert__name",
    "term_start": "term_start",
    "approved": "approved_funding",
    "amount": "amount",
}


class SubsidyListView(XlsxExportMixin, PermMixin, View):
    permission = "subsidies.manage_batches"
    template_name = "subsidies/subsidy_list.html"
    export_title = gettext_lazy("项目资金补贴")
    export_filename = "project-subsidies"
    export_columns = [
        Column(gettext_lazy("专家"), "expert.name"),
        Column(gettext_lazy("企业"), "enterprise.name"),
        Column(gettext_lazy("服务期开始日期"), "term_start"),
        Column(gettext_lazy("核定项目经费"), "approved_funding"),
        Column(gettext_lazy("社会人文科学领域项目"), "social_science"),
        Column(gettext_lazy("补贴金额"), "amount"),
        Column(gettext_lazy("预算年度"), "budget_year"),
        Column(gettext_lazy("登记时间"), "created_at"),
    ]

    def get_queryset(self):
        qs = selectors.subsidy_list().order_by("-created_at", "-id")
        qs, self.sort = sort_queryset(self.request.GET, qs, SUBSIDY_SORTS)
        return qs

    def get(self, request):
        page = Paginator(self.get_queryset(), 30).get_page(request.GET.get("page"))
        overdue_count = selectors.matching_overdue(as_of=timezone.localdate()).count()
        return render(
            request,
            self.template_name,
            {
                "page_obj": page,
                "sort": self.sort,
                "subsidies": page.object_list,
                "overdue_count": overdue_count,
            },
        )


MATCHING_OVERDUE_SORTS = {
    "enterprise": "appointment__enterprise__name",
    "expert": "appointment__expert__name",
    "due": ("due_on", "appointment_id", "month"),
    "amount": "amount",
}


class MatchingOverdueListView(XlsxExportMixin, PermMixin, View):
    """Staff: every enterprise matching-allowance month unconfirmed more than a month after it fell due
    (the work list's 企业配套生活补助逾期未确认 in full), with the term and the reminder (催办) per row."""

    permission = "subsidies.manage_batches"
    template_name = "subsidies/matching_overdue_list.html"
    export_title = gettext_lazy("逾期未确认的企业配套生活补助")
    export_filename = "matching-overdue"
    export_columns = [
        Column(gettext_lazy("企业"), "appointment.enterprise.name"),
        Column(gettext_lazy("专家"), "appointment.expert.name"),
        Column(gettext_lazy("服务月份"), "month"),
        Column(gettext_lazy("所属期间开始"), "period_start"),
        Column(gettext_lazy("所属期间结束"), "period_end"),
        Column(gettext_lazy("应付日期"), "due_on"),
        Column(gettext_lazy("金额"), "amount"),
    ]

    def get_queryset(self):
        qs = selectors.matching_overdue(as_of=timezone.localdate())
        qs, self.sort = sort_queryset(self.request.GET, qs, MATCHING_OVERDUE_SORTS)
        return qs

    def get(self, request):
        today = timezone.localdate()
        page = Paginator(self.get_queryset(), 50).get_page(request.GET.get("page"))
        rows = [(a, (today - a.due_on).days) for a in page.object_list]
        return render(
            request,
            self.template_name,
            {"page_obj": page, "sort": self.sort, "rows": rows, "remind_next": request.get_full_path()},
        )


class SubsidyDetailView(PermMixin, View):
    permission = "subsidies.manage_batches"
    template_name = "subsidies/subsidy_detail.html"

    def get(self, request, pk, form=None):
        subsidy = get_object_or_404(selectors.subsidy_list(), pk=pk)
        initial = "\n".join(f"{i.amount} {i.due_on:%Y-%m-%d}" for i in subsidy.instalments.all())
        return render(
            request,
            self.template_name,
            {
                "subsidy": subsidy,
                "allowance_history": selectors.appointment_allowance_history(subsidy.appointment),
                "form": form or InstalmentPlanForm(initial={"plan": initial}),
            },
        )

    def post(self, request, pk):
        subsidy = get_object_or_404(selectors.subsidy_list(), pk=pk)
        form = InstalmentPlanForm(request.POST)
        if form.is_valid():
            try:
                services.subsidy_instalments_set(
                    subsidy=subsidy, plan=form.cleaned_data["plan"], by=request.user
                )
            except SubsidyError as exc:
                form.add_error("plan", str(exc))
            else:
                messages.success(request, _("分期计划已保存。"))
                return redirect("subsidies:subsidy-detail", pk=pk)
        return self.get(request, pk, form=form)


#: Where the appointment page's suspension form keeps what staff typed when the decision was refused.
SUSPENSION_FORM_SESSION_KEY = "subsidies:suspension-form"


class SubsidySuspensionDecideView(PermMixin, View):
    """POST the commission's decision on a terminated appointment's suspended subsidy (from the appointment
    page). Invalid input or a refusal comes back to that page with what was typed (nothing written): the
    form's errors at their fields (subsidies_money.subsidy_suspension binds it again), a refusal as a
    message."""

    permission = "subsidies.decide_suspension"

    def post(self, request, pk):
        subsidy = get_object_or_404(selectors.subsidy_list(), pk=pk)
        back = reverse("terms:appointment-detail", args=[subsidy.appointment_id]) + "#subsidy-suspension"
        form = SuspensionDecisionForm(request.POST)
        if form.is_valid():
            try:
                decision = services.subsidy_suspension_decide(
                    subsidy=subsidy,
                    outcome=form.cleaned_data["outcome"],
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except SubsidyError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(
                    request,
                    _("已记录区科委决定：%(outcome)s，支付 %(amount)s 元。")
                    % {"outcome": decision.get_outcome_display(), "amount": f"{decision.amount:,.2f}"},
                )
                return redirect(back)
        request.session[SUSPENSION_FORM_SESSION_KEY] = {
            "subsidy": subsidy.pk,
            "data": {k: request.POST.get(k, "") for k in ("outcome", "amount", "reason")},
        }
        return redirect(back)
