from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import BudgetCategory, SuspensionOutcome

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


class MatchingConfirmForm(forms.Form):
    confirmed_on = forms.DateField(
        label=_("支付日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请输入有效日期，例如 2026-04-03。"), "required": _("请填写支付日期。")},
    )
    reference = forms.CharField(
        label=_("支付凭证号"), max_length=60, error_messages={"required": _("请填写支付凭证号。")}
    )


class BankAccountForm(forms.Form):
    holder_name = forms.CharField(label=_("户名"), max_length=100)
    bank_name = forms.CharField(label=_("开户银行"), max_length=100)
    account_number = forms.CharField(
        label=_("银行账号"), max_length=40, help_text=_("账号加密保存，页面上只显示后四位。")
    )


class InstalmentPlanForm(forms.Form):
    """Up to four instalments, one per line: 金额 日期 (e.g. "150000.00 2026-03-01")."""

    plan = forms.CharField(
        label=_("分期计划"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一期：金额 计划支付日期，例如 150000.00 2026-03-01"),
    )

    def clean_plan(self):
        from datetime import date as _date
        from decimal import Decimal as _D
        from decimal import InvalidOperation

        lines = [ln.split() for ln in self.cleaned_data["plan"].splitlines() if ln.strip()]
        plan = []
        for i, parts in enumerate(lines, start=1):
            if len(parts) != 2:
                raise forms.ValidationError(_("第%(n)s行格式应为“金额 日期”。") % {"n": i})
            try:
                amount = _D(parts[0].replace(",", ""))
                day = _date.fromisoformat(parts[1])
            except (InvalidOperation, ValueError) as exc:
                raise forms.ValidationError(_("第%(n)s行的金额或日期无效。") % {"n": i}) from exc
            plan.append((amount, day))
        return plan


class SuspensionDecisionForm(forms.Form):
    """The commission's decision on a terminated appointment's suspended subsidy (SPEC §5)."""

    outcome = forms.ChoiceField(
        label=_("决定"),
        choices=SuspensionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择决定：维持、核减或取消。")},
    )
    amount = forms.DecimalField(
        label=_("核减后的支付金额（元）"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("仅在核减时填写：暂停支付部分今后实际支付的金额"),
        error_messages={
            "invalid": _("请填写数字金额。"),
            "max_decimal_places": _("金额最多保留两位小数（精确到分）。"),
        },
    )
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写决定理由。")},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == SuspensionOutcome.REDUCE
            and data.get("amount") is None
            and "amount" not in self.errors
        ):
            self.add_error("amount", _("核减时请填写核减后的支付金额。"))
        return data
