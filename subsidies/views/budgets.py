"""Budgets (staff, finance): the year's budget by category, its commitments, the over-budget override."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.actions import RedirectActionView
from core.exports import Column, XlsxExportMixin

from .. import selectors, services
from ..enums import BudgetCategory
from ..exceptions import BudgetExceeded, SubsidyError
from ..forms import BudgetForm, CommitmentForm, ReasonForm
from ..models import BudgetCommitment
from ._common import PermMixin


class BudgetListView(PermMixin, TemplateView):
    permission = "subsidies.view_budget"
    template_name = "subsidies/budget_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        years = list(selectors.budget_list().values_list("year", flat=True))
        ctx["years"] = [(y, selectors.budget_summary(y)) for y in years]
        ctx["can_set"] = self.request.user.has_perm("subsidies.set_budget")
        return ctx


class BudgetEditView(PermMixin, View):
    permission = "subsidies.set_budget"
    template_name = "subsidies/budget_edit.html"

    def get(self, request, year=None):
        initial = {"year": year or timezone.localdate().year}
        if year:
            for row in selectors.budget_summary(year):
                initial[row.category] = row.budget
            budget = selectors.budget_list().filter(year=year).first()
            initial["note"] = budget.note if budget else ""
        return render(request, self.template_name, {"form": BudgetForm(initial=initial), "year": year})

    def post(self, request, year=None):
        form = BudgetForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.budget_save(
                    year=data["year"],
                    note=data["note"],
                    by=request.user,
                    amounts={c.value: data[c.value] for c in BudgetCategory},
                )
            except SubsidyError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("%(year)s年度预算已保存。") % {"year": data["year"]})
                return redirect("subsidies:budget-detail", year=data["year"])
        return render(request, self.template_name, {"form": form, "year": year})


class BudgetDetailView(XlsxExportMixin, PermMixin, View):
    permission = "subsidies.view_budget"
    template_name = "subsidies/budget_detail.html"
    export_title = gettext_lazy("预算承诺")
    export_filename = "budget-commitments"
    export_columns = [
        Column(gettext_lazy("预算年度"), "year"),
        Column(gettext_lazy("科目"), "category"),
        Column(gettext_lazy("金额"), "amount"),
        Column(gettext_lazy("事项"), "description"),
        Column(gettext_lazy("来源类型"), "source_type"),
        Column(gettext_lazy("来源编号"), "source_id"),
        Column(gettext_lazy("超出预算余额"), "over_budget"),
        Column(gettext_lazy("超预算确认理由"), "override_reason"),
        Column(gettext_lazy("登记人"), "created_by"),
    ]

    def get_queryset(self):
        return selectors.commitment_list(self.kwargs["year"])

    def context(self, year, form=None, over=None):
        return {
            "year": year,
            "rows": selectors.budget_summary(year),
            "commitments": selectors.commitment_list(year)[:200],
            "form": form or CommitmentForm(),
            "over": over,
            "can_commit": self.request.user.has_perm("subsidies.commit_budget"),
            "can_set": self.request.user.has_perm("subsidies.set_budget"),
        }

    def get(self, request, year):
        return render(request, self.template_name, self.context(year))

    def post(self, request, year):
        self.check("subsidies.commit_budget")
        form = CommitmentForm(request.POST)
        over = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.budget_commit(
                    year=year,
                    category=data["category"],
                    amount=data["amount"],
                    description=data["description"],
                    by=request.user,
                    override_reason=data["override_reason"],
                )
            except BudgetExceeded as exc:
                over = str(exc)
            except SubsidyError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("预算占用已登记。"))
                return redirect("subsidies:budget-detail", year=year)
        return render(request, self.template_name, self.context(year, form, over))


class CommitmentOverrideView(PermMixin, RedirectActionView):
    permission = "subsidies.commit_budget"
    form_class = ReasonForm
    invalid_message = gettext_lazy("请填写超预算确认理由。")
    refusals = (SubsidyError,)
    success_message = gettext_lazy("已确认超预算占用。")

    def get_object(self):
        return get_object_or_404(BudgetCommitment, pk=self.kwargs["pk"])

    def act(self, commitment, form):
        services.budget_commitment_override(
            commitment=commitment, reason=form.cleaned_data["reason"], by=self.request.user
        )

    def success_url(self, commitment):
        return reverse("subsidies:budget-detail", kwargs={"year": commitment.year})
