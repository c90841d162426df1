"""States and kinds of the subsidies app (SPEC §5): budget categories, payees, payment batches."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BudgetCategory(models.TextChoices):
    """What an amount is booked as against the district's annual budget (policy 五(二), 六(一)2)."""

    SUBSIDY = "subsidy", pgettext_lazy("budget category", "项目资金补贴")
    ALLOWANCE = "allowance", pgettext_lazy("budget category", "人才生活补贴")
    AWARD = "award", pgettext_lazy("budget category", "年度评选奖励")


class PayeeKind(models.TextChoices):
    EXPERT = "expert", pgettext_lazy("payee kind", "专家")
    ENTERPRISE = "enterprise", pgettext_lazy("payee kind", "企业")


class AllowanceKind(models.TextChoices):
    """The two monthly amounts of policy 五(二)2."""

    DISTRICT = "district", pgettext_lazy("allowance kind", "区人才生活补贴")
    MATCHING = "matching", pgettext_lazy("allowance kind", "企业配套生活补助")


class PaymentBatchState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("batch state", "草稿")
    SUBMITTED = "submitted", pgettext_lazy("batch state", "已提交")
    APPROVED = "approved", pgettext_lazy("batch state", "已审核")
    PAID = "paid", pgettext_lazy("batch state", "已支付")


TRANSITIONS = {
    PaymentBatchState.DRAFT: {PaymentBatchState.SUBMITTED},
    # Finance may send a submitted batch back to staff (e.g. unbalanced) instead of approving it.
    PaymentBatchState.SUBMITTED: {PaymentBatchState.APPROVED, PaymentBatchState.DRAFT},
    PaymentBatchState.APPROVED: {PaymentBatchState.PAID},
    PaymentBatchState.PAID: set(),
}


class InstalmentState(models.TextChoices):
    """A project-subsidy instalment (SPEC §5): scheduled (due on its date, paid through a batch); suspended
    when the appointment was terminated early, until the commission decides; cancelled by that decision."""

    SCHEDULED = "scheduled", pgettext_lazy("instalment state", "按计划支付")
    SUSPENDED = "suspended", pgettext_lazy("instalment state", "暂停支付（待区科委决定）")
    CANCELLED = "cancelled", pgettext_lazy("instalment state", "已取消")


INSTALMENT_TRANSITIONS = {
    InstalmentState.SCHEDULED: {InstalmentState.SUSPENDED},
    InstalmentState.SUSPENDED: {InstalmentState.SCHEDULED, InstalmentState.CANCELLED},
    InstalmentState.CANCELLED: set(),
}


class SuspensionOutcome(models.TextChoices):
    """The commission's decision on a terminated appointment's suspended subsidy instalments."""

    KEEP = "keep", pgettext_lazy("suspension outcome", "维持原补贴")
    REDUCE = "reduce", pgettext_lazy("suspension outcome", "核减至指定金额")
    CANCEL = "cancel", pgettext_lazy("suspension outcome", "取消未支付补贴")


#: Wording reused by forms and services.
NOT_EDITABLE_PAID = _("已支付的款项不能修改或删除；如需更正，请登记冲正记录。")
