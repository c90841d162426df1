"""The money of an appointment (needs projects.Appointment): the terms it was approved under, its project
subsidy with instalments and suspension decisions, and its monthly living allowances."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import Authored, Created, StateTransition

from ..enums import AllowanceKind, InstalmentState, SuspensionOutcome
from ._common import MONEY
from .budget import PolicyVersion
from .payments import Payment


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
    created_at = Created.created_at_field(_("记录时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("聘任资金条款")

    def __str__(self) -> str:
        return f"{self.appointment_id} · {self.policy_version.code}"


class ProjectSubsidy(Authored, Created):
    """The project subsidy (policy 五(二)1): from the approved funds, paid to the enterprise, optionally
    in instalments. One per expert per service term — enforced by the database (policy 五(二)4)."""

    appointment = models.OneToOneField(
        "projects.Appointment", on_delete=models.PROTECT, related_name="project_subsidy",
        verbose_name=_("聘任"),
    )
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, related_name="project_subsidies", verbose_name=_("专家")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="project_subsidies",
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
    created_by = Authored.created_by_field(_("登记人"))
    created_at = Created.created_at_field(_("登记时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("项目资金补贴")
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
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="instalment",
        verbose_name=_("付款"),
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=InstalmentState.choices, default=InstalmentState.SCHEDULED
    )

    class Meta:
        verbose_name = verbose_name_plural = _("补贴分期")
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


SubsidyInstalmentTransition = StateTransition.table_for(
    SubsidyInstalment, _("补贴分期"), _("补贴分期状态变更")
)


class SubsidySuspensionDecision(models.Model):
    """The commission's decision on the suspended instalments of a terminated appointment's subsidy (SPEC
    §5): keep them, reduce what is still to be paid to an amount, or cancel them — always with a reason."""

    subsidy = models.ForeignKey(
        ProjectSubsidy, on_delete=models.PROTECT, related_name="suspension_decisions",
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
        verbose_name = verbose_name_plural = _("暂停补贴决定")
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
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("确认人"),
    )
    created_at = Created.created_at_field(_("生成时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("生活补贴")
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
