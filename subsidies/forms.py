from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import BudgetCategory

MONEY_MESSAGES = {
    "invalid": _("请输入数字金额，例如 300000.00。"),
    "max_decimal_places": _("金额最多保留两位小数（精确到分）。"),
    "max_digits": _("金额过大。"),
    "min_value": _("金额不能为负数。"),
}


def money_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        error_messages=MONEY_MESSAGES,
        **kwargs,
    )


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    subsidy = money_field(BudgetCategory.SUBSIDY.label)
    allowance = money_field(BudgetCategory.ALLOWANCE.label)
    award = money_field(BudgetCategory.AWARD.label)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommitmentForm(forms.Form):
    category = forms.ChoiceField(label=_("科目"), choices=BudgetCategory.choices)
    amount = money_field(_("金额"))
    description = forms.CharField(label=_("事项"), max_length=200)
    override_reason = forms.CharField(
        label=_("超预算确认理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("仅当占用超出预算余额时需要填写。"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class BatchForm(forms.Form):
    title = forms.CharField(label=_("批次名称"), max_length=200)
    year = forms.IntegerField(
        label=_("预算年度"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )


class BatchPayForm(forms.Form):
    paid_on = forms.DateField(
        label=_("支付日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请输入有效日期，例如 2026-04-03。")},
    )
    bank_reference = forms.CharField(label=_("银行流水号"), max_length=60)


class PaymentForm(forms.Form):
    category = forms.ChoiceField(label=_("科目"), choices=BudgetCategory.choices)
    budget_year = forms.IntegerField(label=_("预算年度"), min_value=2000, max_value=2100)
    payee_name = forms.CharField(label=_("收款方"), max_length=100)
    amount = money_field(_("金额"))
    purpose = forms.CharField(label=_("用途"), max_length=200)
    due_on = forms.DateField(label=_("应付日期"), widget=forms.DateInput(attrs={"type": "date"}))
