"""Payments (staff): the payments due and not yet in a batch, putting them into a draft batch, reversals."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.actions import RedirectActionView, error_text
from core.exports import Column, XlsxExportMixin
from core.http import int_param, int_params
from core.sorting import sort_queryset

from .. import selectors, services
from ..enums import BudgetCategory, PaymentBatchState
from ..exceptions import SubsidyError
from ..forms import PaymentForm, ReasonForm
from ..models import Payment, PaymentBatch
from ._common import PermMixin

# The columns the list sorts by (`?o=`, core.sorting).
PAYMENT_DUE_SORTS = {"payee": "payee_name", "category": "category", "due": "due_on", "amount": "amount"}


class PaymentDueListView(XlsxExportMixin, PermMixin, View):
    """Staff: payments due and not yet in a batch; choose some and put them into a draft batch."""

    permission = "subsidies.manage_batches"
    template_name = "subsidies/payment_due_list.html"
    export_title = gettext_lazy("待支付款项")
    export_filename = "payments-due"
    export_columns = [
        Column(gettext_lazy("科目"), "category"),
        Column(gettext_lazy("预算年度"), "budget_year"),
        Column(gettext_lazy("收款方类型"), "payee_kind"),
        Column(gettext_lazy("收款方"), "payee_name"),
        Column(gettext_lazy("金额"), "amount"),
        Column(gettext_lazy("用途"), "purpose"),
        Column(gettext_lazy("应付日期"), "due_on"),
    ]

    def get_queryset(self):
        qs, self.sort = sort_queryset(self.request.GET, selectors.payment_due_list(), PAYMENT_DUE_SORTS)
        return qs

    def context(self, form=None):

        return {
            "payments": self.get_queryset()[:500],
            "sort": self.sort,
            "drafts": PaymentBatch.objects.filter(state=PaymentBatchState.DRAFT),
            "form": form or PaymentForm(initial={"budget_year": timezone.localdate().year}),
        }

    def get(self, request):
        return render(request, self.template_name, self.context())

    def post(self, request):
        form = PaymentForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.payment_create(
                    category=d["category"],
                    budget_year=d["budget_year"],
                    payee_kind="expert" if d["category"] != BudgetCategory.SUBSIDY else "enterprise",
                    payee_name=d["payee_name"],
                    amount=d["amount"],
                    purpose=d["purpose"],
                    due_on=d["due_on"],
                    by=request.user,
                )
            except SubsidyError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("款项已登记。"))
                return redirect("subsidies:payment-due")
        return render(request, self.template_name, self.context(form))


class PaymentAddToBatchView(PermMixin, View):
    """The due-payments page's form: the chosen payments into the chosen draft batch."""

    permission = "subsidies.manage_batches"

    def post(self, request):

        pk = int_param(request.POST.get("batch")) or 0
        batch = get_object_or_404(PaymentBatch, pk=pk, state=PaymentBatchState.DRAFT)
        ids = int_params(request.POST.getlist("payment"))
        try:
            if not ids:
                raise SubsidyError(_("请至少选择一笔款项。"))
            n = services.batch_add_payments(
                batch=batch, payments=selectors.payment_due_list().filter(pk__in=ids), by=request.user
            )
        except SubsidyError as exc:
            messages.error(request, error_text(exc))
            return redirect("subsidies:payment-due")
        messages.success(request, _("已加入 %(n)s 笔款项。") % {"n": n})
        return redirect("subsidies:batch-detail", pk=batch.pk)


class PaymentReverseView(PermMixin, RedirectActionView):
    permission = "subsidies.reverse_payment"
    form_class = ReasonForm
    invalid_message = gettext_lazy("请填写冲正原因。")
    refusals = (SubsidyError,)
    success_message = gettext_lazy("已登记冲正记录。")

    def get_object(self):
        return get_object_or_404(Payment, pk=self.kwargs["pk"])

    def act(self, payment, form):
        services.payment_reverse(payment=payment, reason=form.cleaned_data["reason"], by=self.request.user)

    def success_url(self, payment):
        if payment.batch_id:
            return reverse("subsidies:batch-detail", kwargs={"pk": payment.batch_id})
        return reverse("subsidies:payment-due")
