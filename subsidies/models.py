"""Money of the programme (SPEC §5): policy versions, annual budgets, payments and payment batches."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Authored, Created, StateTransition, Timestamped, created_at_field, created_by_field

from .crypto import EncryptedCharField
from .enums import (
    AllowanceKind,
    BudgetCategory,
    InstalmentState,
    PayeeKind,
    PaymentBatchState,
    SuspensionOutcome,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 5, "decimal_places": 4}


class PolicyVersion(models.Model):
    """The programme's money parameters from an effective date on (policy 2.0 is seeded by a migration).

    An appointment keeps the version in force on the day it was approved (AppointmentTerms), so a
    later version changes nothing for past appointments.
    """

    code = models.CharField(_("政策版本"), max_length=20, unique=True)
    title = models.CharField(_("政策名称"), max_length=200)
    effective_from = models.DateField(_("生效日期"), unique=True)
    project_subsidy_rate = models.DecimalField(_("项目资金补贴比例"), **RATE)
    project_subsidy_cap = models.DecimalField(_("项目资金补贴上限"), **MONEY)
    social_science_cap = models.DecimalField(_("社会人文科学项目补贴上限"), **MONEY)
    monthly_allowance = models.DecimalField(_("人才生活补贴（每月）"), **MONEY)
    enterprise_matching = models.DecimalField(_("企业配套生活补助（每月）"), **MONEY)
    term_months = models.PositiveSmallIntegerField(_("服务期（月）"))
    # Extension for a major breakthrough (SPEC §4: any limit on extensions is a policy-version parameter).
    # The defaults are policy 2.0's values (migration 0008 sets them on 2.0 explicitly).
    extension_request_max_months = models.PositiveSmallIntegerField(_("单次延期最长月数"), default=12)
    term_max_months = models.PositiveSmallIntegerField(_("服务期含延期最长月数"), default=36)
    management_fee_ceiling_rate = models.DecimalField(_("管理费上限比例"), **RATE)
    award_first = models.DecimalField(_("一等奖奖金"), **MONEY)
    award_second = models.DecimalField(_("二等奖奖金"), **MONEY)
    award_third = models.DecimalField(_("三等奖奖金"), **MONEY)

    class Meta:
        verbose_name = _("政策参数版本")
        verbose_name_plural = _("政策参数版本")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project_subsidy_rate__gte=0, project_subsidy_rate__lte=1)
                & Q(management_fee_ceiling_rate__gte=0, management_fee_ceiling_rate__lte=1),
                name="policyversion_rates_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=Q(
                    project_subsidy_cap__gte=0,
                    social_science_cap__gte=0,
                    monthly_allowance__gte=0,
                    enterprise_matching__gte=0,
                    award_first__gte=0,
                    award_second__gte=0,
                    award_third__gte=0,
                    term_months__gte=1,
                ),
                name="policyversion_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(extension_request_max_months__gte=1, term_max_months__gte=F("term_months")),
                name="policyversion_extension_limits_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}（{self.effective_from:%Y-%m-%d}）"

    @property
    def award_amounts(self) -> dict[int, Decimal]:
        return {1: self.award_first, 2: self.award_second, 3: self.award_third}


class Budget(Authored, Timestamped):
    """The district's budget for the programme in one year (policy 六(一)2: 区财政每年安排资金预算)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("年度预算")
        verbose_name_plural = _("年度预算")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="budget_year_plausible"),
        ]

    def __str__(self) -> str:
        return _("%(year)s年度预算") % {"year": self.year}


class BudgetLine(models.Model):
    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="lines", verbose_name=_("年度预算")
    )
    category = models.CharField(_("科目"), max_length=20, choices=BudgetCategory.choices)
    amount = models.DecimalField(_("预算金额"), **MONEY)

    class Meta:
        verbose_name = _("预算科目")
        verbose_name_plural = _("预算科目")
        ordering = ["budget", "category"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "category"], name="budgetline_unique_category"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budgetline_amount_non_negative"),
            models.CheckConstraint(
                condition=Q(category__in=BudgetCategory.values), name="budgetline_category_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget.year} {self.get_category_display()}"


class BudgetCommitment(Authored, Created):
    """An amount booked against a year's budget category (a subsidy, a term's allowances, an award).

    A negative amount is a release (e.g. the allowance months a termination will not pay). A commitment
    that exceeded the remaining budget when it was booked carries `over_budget` and, once staff accept
    it, the override reason and who gave it.
    """

    year = models.PositiveSmallIntegerField(_("预算年度"), db_index=True)
    category = models.CharField(_("科目"), max_length=20, choices=BudgetCategory.choices)
    amount = models.DecimalField(_("金额"), **MONEY)
    description = models.CharField(_("事项"), max_length=200)
    source_type = models.CharField(_("来源类型"), max_length=60, blank=True)
    source_id = models.CharField(_("来源编号"), max_length=40, blank=True)
    over_budget = models.BooleanField(_("超出预算余额"), default=False)
    override_reason = models.TextField(_("超预算确认理由"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("超预算确认人"),
    )
    created_by = created_by_field(_("登记人"))
    created_at = created_at_field(_("登记时间"))

    class Meta:
        verbose_name = _("预算占用")
        verbose_name_plural = _("预算占用")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=BudgetCategory.values), name="budgetcommitment_category_valid"
            ),
            # An accepted over-budget commitment always says why.
            models.CheckConstraint(
                condition=Q(override_by__isnull=True) | ~Q(override_reason=""),
                name="budgetcommitment_override_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["source_type", "source_id"], name="commitment_source_idx")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_category_display()} {self.amount}"

    @property
    def awaiting_override(self) -> bool:
        return self.over_budget and self.override_by_id is None


class BankAccount(models.Model):
    """A payee's bank account. The account number is encrypted at rest and appears only in the bank
    export of a batch that finance handles (SPEC §2, §7)."""

    payee_kind = models.CharField(_("收款方类型"), max_length=20, choices=PayeeKind.choices)
    expert = models.OneToOneField(
        "experts.Expert",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_account",
        verbose_name=_("专家"),
    )
    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_account",
        verbose_name=_("企业"),
    )
    holder_name = models.CharField(_("户名"), max_length=100)
    bank_name = models.CharField(_("开户银行"), max_length=100)
    account_number = EncryptedCharField(_("银行账号"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("银行账户")
        verbose_name_plural = _("银行账户")
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
        verbose_name = _("支付批次")
        verbose_name_plural = _("支付批次")
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


class PaymentBatchTransition(StateTransition):
    subject = models.ForeignKey(
        PaymentBatch, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("支付批次")
    )

    class Meta(StateTransition.Meta):
        verbose_name = _("支付批次状态变更")
        verbose_name_plural = _("支付批次状态变更")


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
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("支付批次款项变更")
        verbose_name_plural = _("支付批次款项变更")
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
        "experts.Expert",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("收款专家"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("收款企业"),
    )
    bank_account = models.ForeignKey(
        BankAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("收款账户"),
    )
    amount = models.DecimalField(_("金额"), **MONEY)
    purpose = models.CharField(_("用途"), max_length=200)
    due_on = models.DateField(_("应付日期"))
    batch = models.ForeignKey(
        PaymentBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("支付批次"),
    )
    paid_on = models.DateField(_("支付日期"), null=True, blank=True)
    bank_reference = models.CharField(_("银行流水号"), max_length=60, blank=True)
    allowance = models.OneToOneField(
        "subsidies.AllowancePayment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment",
        verbose_name=_("生活补贴月份"),
    )
    reversal_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name=_("冲正的原款项"),
    )
    note = models.TextField(_("备注"), blank=True)
    created_by = created_by_field(_("登记人"))
    created_at = created_at_field(_("登记时间"))

    class Meta:
        verbose_name = _("付款")
        verbose_name_plural = _("付款")
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


# --- appointment money (needs projects.Appointment) ----------------------------------------------------


class AppointmentTerms(Created):
    """The money terms an appointment was approved under, and how far its allowances were generated.

    `policy_version` is the version in force on the appointment's approval (SPEC §5: a later policy does
    not touch past appointments). The generation watermark (`allowance_months`, `allowance_next_end`,
    and the appointment's `months`/`terminated_on` as last seen) lets a rerun skip, in SQL, every
    appointment that is already up to date; correctness never depends on it — the unique constraint on
    AllowancePayment does that.
    """

    appointment = models.OneToOneField(
        "projects.Appointment", on_delete=models.PROTECT, related_name="subsidy_terms", verbose_name=_("聘任")
    )
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("适用政策版本")
    )
    allowance_months = models.PositiveSmallIntegerField(_("已生成补贴月数"), default=0)
    allowance_next_end = models.DateField(_("下一服务月末日"), null=True, blank=True)
    months_seen = models.PositiveSmallIntegerField(_("服务期月数（生成时）"), null=True, blank=True)
    terminated_on_seen = models.DateField(_("终止日期（生成时）"), null=True, blank=True)
    created_at = created_at_field(_("记录时间"))

    class Meta:
        verbose_name = _("聘任资金条款")
        verbose_name_plural = _("聘任资金条款")

    def __str__(self) -> str:
        return f"{self.appointment_id} · {self.policy_version.code}"


class ProjectSubsidy(Authored, Created):
    """The project subsidy (policy 五(二)1): from the approved funds, paid to the enterprise, optionally
    in instalments. One per expert per service term — enforced by the database (policy 五(二)4)."""

    appointment = models.OneToOneField(
        "projects.Appointment",
        on_delete=models.PROTECT,
        related_name="project_subsidy",
        verbose_name=_("聘任"),
    )
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, related_name="project_subsidies", verbose_name=_("专家")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="project_subsidies",
        verbose_name=_("企业"),
    )
    term_start = models.DateField(_("服务期开始日期"))
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("适用政策版本")
    )
    approved_funding = models.DecimalField(_("核定项目经费"), **MONEY)
    social_science = models.BooleanField(_("社会人文科学领域项目"), default=False)
    amount = models.DecimalField(_("补贴金额"), **MONEY)
    budget_year = models.PositiveSmallIntegerField(_("预算年度"))
    created_by = created_by_field(_("登记人"))
    created_at = created_at_field(_("登记时间"))

    class Meta:
        verbose_name = _("项目资金补贴")
        verbose_name_plural = _("项目资金补贴")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "term_start"], name="projectsubsidy_one_per_expert_term"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0, approved_funding__gte=0),
                name="projectsubsidy_amounts_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.amount}"


class SubsidyInstalment(models.Model):
    subsidy = models.ForeignKey(
        ProjectSubsidy, on_delete=models.CASCADE, related_name="instalments", verbose_name=_("项目资金补贴")
    )
    number = models.PositiveSmallIntegerField(_("期次"))
    amount = models.DecimalField(_("金额"), **MONEY)
    due_on = models.DateField(_("计划支付日期"))
    # Due before the deployment's go-live date: paid outside the portal (SPEC §5) — no Payment, no batch.
    settled_outside = models.BooleanField(_("上线前已在平台外结清"), default=False, db_default=False)
    payment = models.OneToOneField(
        Payment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instalment",
        verbose_name=_("付款"),
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=InstalmentState.choices, default=InstalmentState.SCHEDULED
    )

    class Meta:
        verbose_name = _("补贴分期")
        verbose_name_plural = _("补贴分期")
        ordering = ["subsidy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["subsidy", "number"], name="instalment_unique_number"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="instalment_amount_non_negative"),
            models.CheckConstraint(condition=Q(number__gte=1), name="instalment_number_from_one"),
            models.CheckConstraint(
                condition=Q(state__in=InstalmentState.values), name="instalment_state_valid"
            ),
            # A cancelled instalment has no payment left to make.
            models.CheckConstraint(
                condition=~Q(state=InstalmentState.CANCELLED) | Q(payment__isnull=True),
                name="instalment_cancelled_has_no_payment",
            ),
            models.CheckConstraint(
                condition=Q(settled_outside=False) | Q(payment__isnull=True),
                name="instalment_settled_outside_unpaid_here",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subsidy_id}-{self.number} {self.amount}"


class SubsidyInstalmentTransition(StateTransition):
    subject = models.ForeignKey(
        SubsidyInstalment, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("补贴分期")
    )

    class Meta(StateTransition.Meta):
        verbose_name = _("补贴分期状态变更")
        verbose_name_plural = _("补贴分期状态变更")


class SubsidySuspensionDecision(models.Model):
    """The commission's decision on the suspended instalments of a terminated appointment's subsidy (SPEC
    §5): keep them, reduce what is still to be paid to an amount, or cancel them — always with a reason."""

    subsidy = models.ForeignKey(
        ProjectSubsidy,
        on_delete=models.PROTECT,
        related_name="suspension_decisions",
        verbose_name=_("项目资金补贴"),
    )
    outcome = models.CharField(_("决定"), max_length=10, choices=SuspensionOutcome.choices)
    suspended_amount = models.DecimalField(_("暂停支付金额"), **MONEY)
    amount = models.DecimalField(_("决定支付金额"), **MONEY)
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("决定人")
    )
    decided_at = models.DateTimeField(_("决定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("暂停补贴决定")
        verbose_name_plural = _("暂停补贴决定")
        ordering = ["subsidy", "decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=SuspensionOutcome.values), name="suspension_outcome_valid"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="suspension_decision_has_reason"),
            models.CheckConstraint(
                condition=Q(amount__gte=0, amount__lte=F("suspended_amount")),
                name="suspension_amount_within_suspended",
            ),
            models.CheckConstraint(
                condition=(Q(outcome=SuspensionOutcome.KEEP) & Q(amount=F("suspended_amount")))
                | (Q(outcome=SuspensionOutcome.CANCEL) & Q(amount=0))
                | (
                    Q(outcome=SuspensionOutcome.REDUCE)
                    & Q(amount__gt=0)
                    & Q(amount__lt=F("suspended_amount"))
                ),
                name="suspension_amount_matches_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subsidy_id} {self.outcome} {self.amount}"


class AllowancePayment(Created):
    """One month's living allowance of an appointment (policy 五(二)2): the district's payment to the
    expert, or the enterprise's matching obligation, which the enterprise confirms with a reference.

    Unique per (appointment, month, kind): generation may run twice, concurrently or after a crash.
    """

    appointment = models.ForeignKey(
        "projects.Appointment", on_delete=models.PROTECT, related_name="allowances", verbose_name=_("聘任")
    )
    month = models.PositiveSmallIntegerField(_("服务月序号"))
    kind = models.CharField(_("类别"), max_length=20, choices=AllowanceKind.choices)
    amount = models.DecimalField(_("金额"), **MONEY)
    period_start = models.DateField(_("服务月开始"))
    period_end = models.DateField(_("服务月结束"))
    due_on = models.DateField(_("应付日期"))
    budget_year = models.PositiveSmallIntegerField(_("预算年度"))
    # The month ended before the deployment's go-live date: settled outside the portal (SPEC §5). Kept
    # for the histories and the annual report; never due — no Payment, no batch, no confirmation.
    settled_outside = models.BooleanField(_("上线前已在平台外结清"), default=False, db_default=False)
    confirmed_on = models.DateField(_("企业确认支付日期"), null=True, blank=True)
    confirmation_reference = models.CharField(_("企业支付凭证号"), max_length=60, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    created_at = created_at_field(_("生成时间"))

    class Meta:
        verbose_name = _("生活补贴")
        verbose_name_plural = _("生活补贴")
        ordering = ["appointment", "month", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "month", "kind"], name="allowance_unique_month_kind"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allowance_amount_non_negative"),
            models.CheckConstraint(condition=Q(month__gte=1), name="allowance_month_from_one"),
            models.CheckConstraint(condition=Q(kind__in=AllowanceKind.values), name="allowance_kind_valid"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="allowance_period_ordered"
            ),
            # Only the enterprise's matching obligation is confirmed, always with date and reference.
            models.CheckConstraint(
                condition=Q(confirmed_on__isnull=True, confirmation_reference="")
                | (
                    Q(kind=AllowanceKind.MATCHING)
                    & Q(confirmed_on__isnull=False)
                    & ~Q(confirmation_reference="")
                ),
                name="allowance_confirmation_complete",
            ),
            models.CheckConstraint(
                condition=Q(settled_outside=False) | Q(confirmed_on__isnull=True),
                name="allowance_settled_outside_not_confirmed",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "confirmed_on", "due_on"], name="allowance_matching_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_id} #{self.month} {self.get_kind_display()}"
