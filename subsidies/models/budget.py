"""Policy versions (the programme's money parameters) and the district's annual budgets with the
amounts booked against them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import Authored, Created, Timestamped

from ..enums import BudgetCategory
from ._common import MONEY, RATE


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
        verbose_name = verbose_name_plural = _("政策参数版本")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project_subsidy_rate__gte=0, project_subsidy_rate__lte=1)
                & Q(management_fee_ceiling_rate__gte=0, management_fee_ceiling_rate__lte=1),
                name="policyversion_rates_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=Q(
                    project_subsidy_cap__gte=0, social_science_cap__gte=0, monthly_allowance__gte=0,
                    enterprise_matching__gte=0, award_first__gte=0, award_second__gte=0, award_third__gte=0,
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
        verbose_name = verbose_name_plural = _("年度预算")
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
        verbose_name = verbose_name_plural = _("预算科目")
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
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("超预算确认人"),
    )
    created_by = Authored.created_by_field(_("登记人"))
    created_at = Created.created_at_field(_("登记时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("预算占用")
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
