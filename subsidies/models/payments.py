"""Payees' bank accounts, payments and the payment batches finance approves and pays (SPEC §5)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Authored, Created, StateTransition, Timestamped

from ..crypto import EncryptedCharField
from ..enums import BudgetCategory, PayeeKind, PaymentBatchState
from ._common import MONEY


class BankAccount(models.Model):
    """A payee's bank account. The account number is encrypted at rest and appears only in the bank
    export of a batch that finance handles (SPEC §2, §7)."""

    payee_kind = models.CharField(_("收款方类型"), max_length=20, choices=PayeeKind.choices)
    expert = models.OneToOneField(
        "experts.Expert", on_delete=models.PROTECT, null=True, blank=True, related_name="bank_account",
        verbose_name=_("专家"),
    )
    enterprise = models.OneToOneField(
        "enterprises.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
        related_name="bank_account", verbose_name=_("企业"),
    )
    holder_name = models.CharField(_("户名"), max_length=100)
    bank_name = models.CharField(_("开户银行"), max_length=100)
    account_number = EncryptedCharField(_("银行账号"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("银行账户")
        constraints = [
            models.CheckConstraint(
                condition=Q(payee_kind__in=PayeeKind.values), name="bankaccount_payee_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.bank_name} {self.masked_number}"

    @property
    def masked_number(self) -> str:
        number = self.account_number or ""
        return f"****{number[-4:]}" if len(number) > 4 else "****"


class PaymentBatch(Authored, Timestamped):
    """Payments grouped by staff, approved and marked paid by finance (SPEC §5)."""

    number = models.CharField(_("批次编号"), max_length=30, unique=True)
    title = models.CharField(_("批次名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("预算年度"))
    state = models.CharField(
        _("状态"), max_length=20, choices=PaymentBatchState.choices, default=PaymentBatchState.DRAFT
    )
    # The control totals fixed when staff submit; approval checks the batch still matches them.
    control_count = models.PositiveIntegerField(_("控制笔数"), null=True, blank=True)
    control_total = models.DecimalField(_("控制总额"), null=True, blank=True, **MONEY)
    paid_on = models.DateField(_("支付日期"), null=True, blank=True)
    bank_reference = models.CharField(_("银行流水号"), max_length=60, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("支付批次")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PaymentBatchState.values), name="paymentbatch_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state=PaymentBatchState.PAID)
                | (Q(paid_on__isnull=False) & ~Q(bank_reference="")),
                name="paymentbatch_paid_has_date_and_reference",
            ),
            models.CheckConstraint(
                condition=Q(control_total__isnull=True) | Q(control_total__gte=0),
                name="paymentbatch_control_total_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


PaymentBatchTransition = StateTransition.table_for(PaymentBatch, _("支付批次"), _("支付批次状态变更"))


class PaymentBatchChange(models.Model):
    """Who put payments into (or took them out of) a batch: with the batch's transitions, the makers whom
    maker-checker (SPEC §5) keeps from approving it."""

    class Action(models.TextChoices):
        ADD = "add", pgettext_lazy("batch change", "加入款项")
        REMOVE = "remove", pgettext_lazy("batch change", "移出款项")

    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.CASCADE, related_name="changes", verbose_name=_("支付批次")
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    payments = models.JSONField(_("款项"), default=list)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("支付批次款项变更")
        ordering = ["batch", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["add", "remove"]), name="paymentbatchchange_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.action} {self.actor_id}"


class Payment(Authored, Created):
    """One payment by the district (a subsidy instalment, a month's living allowance, an award).

    Once paid (`paid_on` set) a row is never edited or deleted: services refuse, and on PostgreSQL a
    trigger refuses too. A correction is a reversing entry (`reversal_of`) booked against the original.
    """

    category = models.CharField(_("科目"), max_length=20, choices=BudgetCategory.choices)
    budget_year = models.PositiveSmallIntegerField(_("预算年度"), db_index=True)
    payee_kind = models.CharField(_("收款方类型"), max_length=20, choices=PayeeKind.choices)
    payee_name = models.CharField(_("收款方"), max_length=100)
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, null=True, blank=True, related_name="payments",
        verbose_name=_("收款专家"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, null=True, blank=True, related_name="payments",
        verbose_name=_("收款企业"),
    )
    bank_account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="payments",
        verbose_name=_("收款账户"),
    )
    amount = models.DecimalField(_("金额"), **MONEY)
    purpose = models.CharField(_("用途"), max_length=200)
    due_on = models.DateField(_("应付日期"))
    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="payments",
        verbose_name=_("支付批次"),
    )
    paid_on = models.DateField(_("支付日期"), null=True, blank=True)
    bank_reference = models.CharField(_("银行流水号"), max_length=60, blank=True)
    allowance = models.OneToOneField(
        "subsidies.AllowancePayment", on_delete=models.PROTECT, null=True, blank=True, related_name="payment",
        verbose_name=_("生活补贴月份"),
    )
    reversal_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal",
        verbose_name=_("冲正的原款项"),
    )
    note = models.TextField(_("备注"), blank=True)
    created_by = Authored.created_by_field(_("登记人"))
    created_at = Created.created_at_field(_("登记时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("付款")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_non_negative"),
            models.CheckConstraint(
                condition=Q(category__in=BudgetCategory.values), name="payment_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(payee_kind__in=PayeeKind.values), name="payment_payee_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | ~Q(bank_reference=""), name="payment_paid_has_reference"
            ),
            # A reversing entry is booked, never sent to the bank in a batch.
            models.CheckConstraint(
                condition=Q(reversal_of__isnull=True) | Q(batch__isnull=True),
                name="payment_reversal_not_batched",
            ),
        ]
        indexes = [models.Index(fields=["batch", "paid_on"], name="payment_batch_paid_idx")]

    def __str__(self) -> str:
        return f"{self.payee_name} {self.amount} {self.purpose}"

    #: Links unique per source item that a reversing entry does not copy.
    REVERSAL_DROPS = ("allowance_id",)

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None

    @property
    def signed_amount(self) -> Decimal:
        return -self.amount if self.reversal_of_id else self.amount
