"""Payment batches: staff prepare (add, remove, submit), finance approve, return or pay and export. One
view per action, each with its own permission on the batch; a batch the user may not see is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.actions import ActionView, ReasonForm, action_form, blank_forms, error_text
from core.audit import audit
from core.confirm import ConfirmRow, confirmation_page, confirmation_required, money_rows
from core.documents import document_response
from core.exports import Column, XlsxExportMixin
from core.http import int_param, int_params
from core.sorting import sort_queryset
from core.workflow import TransitionError

from .. import selectors, services
from ..exceptions import SubsidyError
from ..exports import batch_bank_export
from ..forms import BatchForm, BatchPayForm
from ._common import PermMixin

# The columns the list sorts by (`?o=`, core.sorting).
BATCH_SORTS = {
    "number": "number",
    "title": "title",
    "year": "year",
    "state": "state",
    "count": "payment_count",
    "total": "payment_total",
}
#: The batch page's buttons: each shown when the user holds its permission on the batch.
BATCH_PERMISSIONS = (
    "edit_batch",
    "submit_batch",
    "approve_batch",
    "return_batch",
    "pay_batch",
    "export_batch",
    "batch_statement",
    "reverse_payment",
)


class BatchListView(XlsxExportMixin, PermMixin, View):
    permission = "subsidies.view_batches"
    template_name = "subsidies/batch_list.html"
    export_title = gettext_lazy("支付批次")
    export_filename = "payment-batches"
    export_columns = [
        Column(gettext_lazy("批次编号"), "number"),
        Column(gettext_lazy("批次名称"), "title"),
        Column(gettext_lazy("预算年度"), "year"),
        Column(gettext_lazy("状态"), "state"),
        Column(gettext_lazy("控制笔数"), "control_count"),
        Column(gettext_lazy("控制总额"), "control_total"),
        Column(gettext_lazy("支付日期"), "paid_on"),
        Column(gettext_lazy("银行流水号"), "bank_reference"),
        Column(gettext_lazy("创建时间"), "created_at"),
    ]

    def get_queryset(self):
        qs, self.sort = sort_queryset(self.request.GET, selectors.batch_list(self.request.user), BATCH_SORTS)
        return qs

    def get(self, request):
        page = Paginator(self.get_queryset(), 20).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {
                "page_obj": page,
                "sort": self.sort,
                "batches": page.object_list,
                "form": BatchForm(),
                "can_manage": request.user.has_perm("subsidies.manage_batches"),
            },
        )

    def post(self, request):
        self.check("subsidies.manage_batches")
        form = BatchForm(request.POST)
        if form.is_valid():
            try:
                batch = services.batch_create(
                    title=form.cleaned_data["title"], year=form.cleaned_data["year"], by=request.user
                )
            except SubsidyError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("支付批次 %(n)s 已创建。") % {"n": batch.number})
                return redirect("subsidies:batch-detail", pk=batch.pk)
        page = Paginator(selectors.batch_list(request.user), 20).get_page(1)
        return render(
            request,
            self.template_name,
            {"page_obj": page, "batches": page.object_list, "form": form, "can_manage": True},
        )


class BatchDetailView(PermMixin, View):
    permission = "subsidies.view_batches"

    def get(self, request, pk):
        return _page(request, selectors.batch_get(request.user, pk))


def _page(request, batch, **forms):
    """The batch page; `forms`: an action's bound form (errors at its fields, nothing typed lost)."""
    count, total = selectors.batch_totals(batch)
    user = request.user
    ctx = {
        "batch": batch,
        "payments": selectors.batch_payments(batch),
        "count": count,
        "total": total,
        "transitions": batch.transitions.select_related("actor"),
        "pay_form": action_form(
            BatchPayForm, BatchPayView.form_name, initial={"paid_on": timezone.localdate()}
        ),
        **blank_forms(BatchReturnView),
        "perms_batch": {name: user.has_perm(f"subsidies.{name}", batch) for name in BATCH_PERMISSIONS},
    }
    return render(request, "subsidies/batch_detail.html", {**ctx, **forms})


class BatchActionView(PermMixin, ActionView):
    """One action on a batch the user may see; `action_permission` on the batch, else a 404."""

    permission = "subsidies.view_batches"
    action_permission = ""
    refusals = (SubsidyError, TransitionError)
    detail_url_name = "subsidies:batch-detail"

    def get_object(self):
        return selectors.batch_get(self.request.user, self.kwargs["pk"])

    def check_permission(self, batch):
        self.check(f"subsidies.{self.action_permission}", batch)

    def page(self, batch, **forms):
        return _page(self.request, batch, **forms)


class BatchAddView(BatchActionView):
    """Due payments (`payment`, repeated) into the draft batch."""

    action_permission = "edit_batch"

    def act(self, batch, form):
        ids = int_params(self.request.POST.getlist("payment"))
        if not ids:
            raise SubsidyError(_("请至少选择一笔款项。"))
        payments = selectors.payment_due_list().filter(pk__in=ids)
        n = services.batch_add_payments(batch=batch, payments=payments, by=self.request.user)
        return _("已加入 %(n)s 笔款项。") % {"n": n}


class BatchRemoveView(BatchActionView):
    action_permission = "edit_batch"

    def act(self, batch, form):
        payment = get_object_or_404(batch.payments.all(), pk=int_param(self.request.POST.get("payment")) or 0)
        services.batch_remove_payment(batch=batch, payment=payment, by=self.request.user)
        return _("已移出款项。")


class BatchSubmitView(BatchActionView):
    action_permission = "submit_batch"

    def act(self, batch, form):
        services.batch_submit(batch=batch, by=self.request.user)
        return _("批次已提交财政审核。")


class BatchApproveView(BatchActionView):
    """Finance approve: asked once more (the batch's total in figures and capitals), then approved."""

    action_permission = "approve_batch"

    def act(self, batch, form):
        if confirmation_required(self.request):
            return _batch_confirmation(
                self.request,
                batch,
                title=_("确认审核通过支付批次"),
                question=_("审核通过后，批次将交付支付，不能再修改其中的款项。确认审核通过以下批次？"),
                button=_("确认审核通过"),
            )
        services.batch_approve(batch=batch, by=self.request.user)
        return _("批次已审核通过。")


class BatchReturnView(BatchActionView):
    action_permission = "return_batch"
    form_class = ReasonForm
    form_name = "return_form"
    form_options = {"required": gettext_lazy("请填写退回原因。"), "label": gettext_lazy("退回原因")}

    def act(self, batch, form):
        services.batch_return(batch=batch, reason=form.cleaned_data["reason"], by=self.request.user)
        return _("批次已退回经办人。")


class BatchPayView(BatchActionView):
    """Finance record the payment (date, bank reference): asked once more, then recorded. A refusal shows
    the page again with the form as typed."""

    action_permission = "pay_batch"
    form_class = BatchPayForm
    form_name = "pay_form"

    def act(self, batch, form):
        data = form.cleaned_data
        if confirmation_required(self.request):
            return _batch_confirmation(
                self.request,
                batch,
                title=_("确认登记支付"),
                question=_("登记支付后，款项记为已付，不能修改或删除（更正只能冲正）。确认以下批次已支付？"),
                button=_("确认已支付"),
                extra=[
                    ConfirmRow(_("支付日期"), data["paid_on"].isoformat()),
                    ConfirmRow(_("银行流水号"), data["bank_reference"]),
                ],
            )
        services.batch_mark_paid(
            batch=batch, paid_on=data["paid_on"], bank_reference=data["bank_reference"], by=self.request.user
        )
        return _("已登记支付。")

    def refused(self, batch, form, exc):
        messages.error(self.request, error_text(exc))
        return self.page(batch, pay_form=form)


def _batch_confirmation(request, batch, *, title, question, button, extra=()):
    """The confirmation page of approving or paying a batch: its total in figures and in capitals."""
    count, total = selectors.batch_totals(batch)
    detail = reverse("subsidies:batch-detail", args=[batch.pk])
    return confirmation_page(
        request,
        title=title,
        question=question,
        rows=[
            ConfirmRow(_("批次"), f"{batch.number} {batch.title}"),
            ConfirmRow(_("预算年度"), str(batch.year)),
            ConfirmRow(_("笔数"), _("%(n)d 笔") % {"n": count}),
            *money_rows(_("合计金额"), total),
            *extra,
        ],
        button=button,
        cancel_url=detail,
        breadcrumbs=[(_("支付批次"), reverse("subsidies:batch-list")), (batch.number, detail)],
    )


class BatchExportView(PermMixin, View):
    permission = "subsidies.view_batches"

    def get(self, request, pk):
        batch = selectors.batch_get(request.user, pk)
        self.check("subsidies.export_batch", batch)
        content = batch_bank_export(batch)
        audit(request.user, "paymentbatch.export", batch, summary=batch.number)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{batch.number}.xlsx"'
        return response


class BatchStatementView(PermMixin, View):
    permission = "subsidies.view_batches"

    def get(self, request, pk):
        batch = selectors.batch_get(request.user, pk)
        self.check("subsidies.batch_statement", batch)
        doc = services.batch_statement(batch=batch, by=request.user)
        return document_response(doc)
