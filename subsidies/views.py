"""HTTP for the programme's money: budgets (staff, finance), payment batches (staff prepare, finance
approve/pay/export). A user without the right — or asking for a batch they may not see — gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.audit import audit
from core.confirm import ConfirmRow, confirmation_page, confirmation_required, money_rows
from core.exports import Column, XlsxExportMixin
from core.http import int_param, int_params
from core.sorting import sort_queryset
from core.workflow import TransitionError

from . import selectors, services
from .enums import BudgetCategory, PaymentBatchState
from .exceptions import BudgetExceeded, SubsidyError
from .exports import batch_bank_export
from .forms import (
    BankAccountForm,
    BatchForm,
    BatchPayForm,
    BudgetForm,
    CommitmentForm,
    InstalmentPlanForm,
    MatchingConfirmForm,
    PaymentForm,
    ReasonForm,
    SuspensionDecisionForm,
)
from .models import BudgetCommitment, Payment


class PermMixin(LoginRequiredMixin):
    """Check a django-rules permission (optionally on an object); failing it is a 404."""

    permission: str = ""

    def check(self, perm: str | None = None, obj=None) -> None:
        if not self.request.user.has_perm(perm or self.permission, obj):
            raise Http404

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.permission:
            self.check()
        return super().dispatch(request, *args, **kwargs)


def _error(request, exc) -> None:
    messages.error(request, str(exc.messages[0] if isinstance(exc, ValidationError) else exc))


# --- budgets --------------------------------------------------------------------------------------------


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


class CommitmentOverrideView(PermMixin, View):
    permission = "subsidies.commit_budget"

    def post(self, request, pk):
        commitment = get_object_or_404(BudgetCommitment, pk=pk)
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                services.budget_commitment_override(
                    commitment=commitment, reason=form.cleaned_data["reason"], by=request.user
                )
                messages.success(request, _("已确认超预算占用。"))
            except SubsidyError as exc:
                _error(request, exc)
        else:
            messages.error(request, _("请填写超预算确认理由。"))
        return redirect("subsidies:budget-detail", year=commitment.year)


# --- payments -------------------------------------------------------------------------------------------


# The columns the money lists sort by (`?o=`, core.sorting).
PAYMENT_DUE_SORTS = {"payee": "payee_name", "category": "category", "due": "due_on", "amount": "amount"}
BATCH_SORTS = {
    "number": "number",
    "title": "title",
    "year": "year",
    "state": "state",
    "count": "payment_count",
    "total": "payment_total",
}
SUBSIDY_SORTS = {
    "enterprise": "enterprise__name",
    "expert": "expert__name",
    "term_start": "term_start",
    "approved": "approved_funding",
    "amount": "amount",
}


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
        from .models import PaymentBatch

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
        from .models import PaymentBatch

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
            _error(request, exc)
            return redirect("subsidies:payment-due")
        messages.success(request, _("已加入 %(n)s 笔款项。") % {"n": n})
        return redirect("subsidies:batch-detail", pk=batch.pk)


class PaymentReverseView(PermMixin, View):
    permission = "subsidies.reverse_payment"

    def post(self, request, pk):
        payment = get_object_or_404(Payment, pk=pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写冲正原因。"))
        else:
            try:
                services.payment_reverse(payment=payment, reason=form.cleaned_data["reason"], by=request.user)
                messages.success(request, _("已登记冲正记录。"))
            except SubsidyError as exc:
                _error(request, exc)
        if payment.batch_id:
            return redirect("subsidies:batch-detail", pk=payment.batch_id)
        return redirect("subsidies:payment-due")


# --- batches --------------------------------------------------------------------------------------------


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
        from django.core.paginator import Paginator

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
        from django.core.paginator import Paginator

        page = Paginator(selectors.batch_list(request.user), 20).get_page(1)
        return render(
            request,
            self.template_name,
            {"page_obj": page, "batches": page.object_list, "form": form, "can_manage": True},
        )


class BatchDetailView(PermMixin, View):
    permission = "subsidies.view_batches"
    template_name = "subsidies/batch_detail.html"

    def get(self, request, pk, pay_form=None):
        batch = selectors.batch_get(request.user, pk)
        count, total = selectors.batch_totals(batch)
        user = request.user
        return render(
            request,
            self.template_name,
            {
                "batch": batch,
                "payments": selectors.batch_payments(batch),
                "count": count,
                "total": total,
                "transitions": batch.transitions.select_related("actor"),
                "pay_form": pay_form or BatchPayForm(initial={"paid_on": timezone.localdate()}),
                "perms_batch": {
                    name: user.has_perm(f"subsidies.{name}", batch)
                    for name in (
                        "edit_batch",
                        "submit_batch",
                        "approve_batch",
                        "return_batch",
                        "pay_batch",
                        "export_batch",
                        "batch_statement",
                        "reverse_payment",
                    )
                },
            },
        )


class BatchActionView(PermMixin, View):
    """POST one action on a batch: add/remove payments, submit, approve, return, pay."""

    permission = "subsidies.view_batches"
    PERMS = {
        "add": "edit_batch",
        "remove": "edit_batch",
        "submit": "submit_batch",
        "approve": "approve_batch",
        "return": "return_batch",
        "pay": "pay_batch",
    }

    def post(self, request, pk, action):
        batch = selectors.batch_get(request.user, pk)
        if action not in self.PERMS:
            raise Http404
        self.check(f"subsidies.{self.PERMS[action]}", batch)
        try:
            if action == "add":
                ids = int_params(request.POST.getlist("payment"))
                payments = selectors.payment_due_list().filter(pk__in=ids)
                if not ids:
                    raise SubsidyError(_("请至少选择一笔款项。"))
                n = services.batch_add_payments(batch=batch, payments=payments, by=request.user)
                messages.success(request, _("已加入 %(n)s 笔款项。") % {"n": n})
            elif action == "remove":
                payment = get_object_or_404(batch.payments.all(), pk=request.POST.get("payment") or 0)
                services.batch_remove_payment(batch=batch, payment=payment, by=request.user)
                messages.success(request, _("已移出款项。"))
            elif action == "submit":
                services.batch_submit(batch=batch, by=request.user)
                messages.success(request, _("批次已提交财政审核。"))
            elif action == "approve":
                if confirmation_required(request):
                    return _batch_confirmation(
                        request, batch, title=_("确认审核通过支付批次"),
                        question=_("审核通过后，批次将交付支付，不能再修改其中的款项。确认审核通过以下批次？"),
                        button=_("确认审核通过"),
                    )
                services.batch_approve(batch=batch, by=request.user)
                messages.success(request, _("批次已审核通过。"))
            elif action == "return":
                services.batch_return(batch=batch, reason=request.POST.get("reason", ""), by=request.user)
                messages.success(request, _("批次已退回经办人。"))
            elif action == "pay":
                form = BatchPayForm(request.POST)
                if not form.is_valid():
                    for errors in form.errors.values():
                        messages.error(request, errors[0])
                    return _detail(request, pk, pay_form=form)
                if confirmation_required(request):
                    return _batch_confirmation(
                        request, batch, title=_("确认登记支付"),
                        question=_("登记支付后，款项记为已付，不能修改或删除（更正只能冲正）。确认以下批次已支付？"),
                        button=_("确认已支付"),
                        extra=[
                            ConfirmRow(_("支付日期"), form.cleaned_data["paid_on"].isoformat()),
                            ConfirmRow(_("银行流水号"), form.cleaned_data["bank_reference"]),
                        ],
                    )
                services.batch_mark_paid(
                    batch=batch,
                    paid_on=form.cleaned_data["paid_on"],
                    bank_reference=form.cleaned_data["bank_reference"],
                    by=request.user,
                )
                messages.success(request, _("已登记支付。"))
        except (SubsidyError, TransitionError) as exc:
            _error(request, exc)
            if action == "pay":
                return _detail(request, pk, pay_form=BatchPayForm(request.POST))
        return redirect("subsidies:batch-detail", pk=batch.pk)


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


def _detail(request, pk, *, pay_form):
    """Re-render the batch page with the payment form as the user filled it (nothing typed is lost)."""
    view = BatchDetailView()
    view.setup(request, pk=pk)
    return view.get(request, pk, pay_form=pay_form)


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
        response = HttpResponse(doc.open(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{doc.serial}.pdf"'
        return response


# --- expert and enterprise -------------------------------------------------------------------------------


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
    from .models import BankAccount

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
        allowance = get_object_or_404(selectors.enterprise_matching(request.user), pk=pk)
        form = MatchingConfirmForm(request.POST)
        if form.is_valid():
            try:
                services.matching_confirm(allowance=allowance, by=request.user, **form.cleaned_data)
            except SubsidyError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已确认第%(n)s个服务月的配套生活补助。") % {"n": allowance.month})
                return redirect("subsidies:enterprise-money")
        for errors in form.errors.values():
            messages.error(request, errors[0])
        view = EnterpriseMoneyView()
        view.setup(request)
        return view.get(request, confirm_form=form, confirm_pk=allowance.pk)


# --- staff: project subsidies, overdue matching ------------------------------------------------------------


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
        from django.core.paginator import Paginator

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
        from django.core.paginator import Paginator

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
    page). A refusal comes back as a message on that page with what was typed (nothing written)."""

    permission = "subsidies.decide_suspension"

    def post(self, request, pk):
        subsidy = get_object_or_404(selectors.subsidy_list(), pk=pk)
        back = reverse("terms:appointment-detail", args=[subsidy.appointment_id]) + "#subsidy-suspension"
        form = SuspensionDecisionForm(request.POST)
        try:
            if not form.is_valid():
                raise SubsidyError(
                    "；".join(str(e) for errors in form.errors.values() for e in errors)
                    or _("请检查填写的内容。")
                )
            decision = services.subsidy_suspension_decide(
                subsidy=subsidy,
                outcome=form.cleaned_data["outcome"],
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except SubsidyError as exc:
            _error(request, exc)
            request.session[SUSPENSION_FORM_SESSION_KEY] = {
                "subsidy": subsidy.pk,
                "data": {k: request.POST.get(k, "") for k in ("outcome", "amount", "reason")},
            }
            return redirect(back)
        messages.success(
            request,
            _("已记录区科委决定：%(outcome)s，支付 %(amount)s 元。")
            % {"outcome": decision.get_outcome_display(), "amount": f"{decision.amount:,.2f}"},
        )
        return redirect(back)
