"""The payees' own money pages: the expert's allowances and payments, the enterprise's subsidies and its
matching obligations (with their confirmation), and each one's bank account."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.actions import action_form, error_text

from .. import selectors, services
from ..exceptions import SubsidyError
from ..forms import BankAccountForm, MatchingConfirmForm
from ..models import BankAccount
from ._common import PermMixin


class MyAllowanceListView(PermMixin, View):
    """The expert's own allowances and payments (SPEC §2: only their own records)."""

    permission = "subsidies.view_own_allowances"
    template_name = "subsidies/my_allowances.html"

    def get(self, request, form=None):
        expert = selectors.expert_of(request.user)
        return render(
            request,
            self.template_name,
            {
                "expert": expert,
                "allowances": selectors.expert_allowances(request.user)[:120],
                "payments": selectors.expert_payments(request.user)[:120],
                "account": getattr(expert, "bank_account", None) if expert else None,
                "form": form or BankAccountForm(),
            },
        )

    def post(self, request):
        expert = selectors.expert_of(request.user)
        if expert is None:
            raise Http404
        return _bank_account_post(request, self, payee_kind="expert", owner={"expert": expert})


def _bank_account_post(request, view, *, payee_kind, owner):
    form = BankAccountForm(request.POST)
    if form.is_valid():
        try:
            services.bank_account_save(
                account=BankAccount.objects.filter(**owner).first(),
                payee_kind=payee_kind,
                by=request.user,
                **form.cleaned_data,
                **({} if BankAccount.objects.filter(**owner).exists() else owner),
            )
        except SubsidyError as exc:
            form.add_error("account_number", str(exc))
        else:
            messages.success(request, _("收款账户已保存。"))
            return redirect(request.path)
    return view.get(request, form=form)


class EnterpriseMoneyView(PermMixin, View):
    """The enterprise's project subsidies and its matching obligations, with confirmation."""

    permission = "subsidies.view_enterprise_money"
    template_name = "subsidies/enterprise_money.html"

    def get(self, request, form=None, confirm_form=None, confirm_pk=None):
        ent = selectors.enterprise_of(request.user)
        return render(
            request,
            self.template_name,
            {
                "enterprise": ent,
                "subsidies": selectors.enterprise_subsidies(request.user),
                "matching": selectors.enterprise_matching(request.user)[:200],
                "account": getattr(ent, "bank_account", None) if ent else None,
                "form": form or BankAccountForm(),
                "confirm_form": confirm_form,
                "confirm_pk": confirm_pk,
                "today": timezone.localdate(),
            },
        )

    def post(self, request):
        ent = selectors.enterprise_of(request.user)
        if ent is None:
            raise Http404
        return _bank_account_post(request, self, payee_kind="enterprise", owner={"enterprise": ent})


class MatchingConfirmView(PermMixin, View):
    permission = "subsidies.view_enterprise_money"

    def post(self, request, pk):
        """Invalid input: the page again, the errors at the row's fields; a refusal: a message above it
        (what was typed kept either way)."""
        allowance = get_object_or_404(selectors.enterprise_matching(request.user), pk=pk)
        form = action_form(MatchingConfirmForm, f"confirm-{allowance.pk}", request.POST)
        if form.is_valid():
            try:
                services.matching_confirm(allowance=allowance, by=request.user, **form.cleaned_data)
            except SubsidyError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("已确认第%(n)s个服务月的配套生活补助。") % {"n": allowance.month})
                return redirect("subsidies:enterprise-money")
        view = EnterpriseMoneyView()
        view.setup(request)
        return view.get(request, confirm_form=form, confirm_pk=allowance.pk)
