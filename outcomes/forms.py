"""Forms of service outcomes. The rules themselves are checked by the services (a refused action shows
the service's message); the forms parse and state the upload limits."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import RowLabelledFormSet, UploadLimitsMixin
from core.uploads import DocumentValidator

from .enums import Level
from .kinds import FIELDS
from .models import OutcomeKind
from .policy import EVIDENCE_KINDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OutcomeForm(UploadLimitsMixin, forms.Form):
    kind = forms.ModelChoiceField(label=_("成果类型"), queryset=OutcomeKind.objects.none())
    title = forms.CharField(label=_("成果名称"), max_length=200)
    identifier = forms.CharField(
        label=_("编号"),
        max_length=80,
        required=False,
        help_text=_("专利号、软件著作权登记号、技术合同登记号等；同一编号的成果只能计入一个服务期。"),
    )
    level = forms.ChoiceField(label=_("级别"), choices=[("", "—"), *Level.choices], required=False)
    quantity = forms.IntegerField(label=_("数量"), initial=1)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=14, decimal_places=2, required=False)
    achieved_on = forms.DateField(label=_("取得日期"), widget=DATE)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("证明材料"),
        required=False,
        validators=[DocumentValidator(EVIDENCE_KINDS)],
        help_text=_("证书、合同、通知等的PDF或扫描件（JPEG/PNG）。"),
    )

    def __init__(self, *args, kinds=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = (
            kinds if kinds is not None else OutcomeKind.objects.filter(is_active=True)
        )
        if editing:
            del self.fields["kind"]


class OverrideForm(forms.Form):
    met = forms.TypedChoiceField(
        label=_("是否达成"), choices=[("1", _("已达成")), ("0", _("未达成"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("调整理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TargetForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("成果类型"), queryset=OutcomeKind.objects.filter(is_active=True), required=False
    )
    quantity = forms.IntegerField(label=_("目标数量"), required=False)
    amount = forms.DecimalField(label=_("目标金额（元）"), max_digits=14, decimal_places=2, required=False)


TargetFormSet = forms.formset_factory(TargetForm, formset=RowLabelledFormSet, extra=3, max_num=30)


class KindForm(forms.ModelForm):
    class Meta:
        model = OutcomeKind
        fields = [*FIELDS, "is_active", "order"]


class AwardOutcomesForm(forms.Form):
    outcomes = forms.ModelMultipleChoiceField(
        label=_("附带的已核实成果"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcomes"].queryset = queryset
        self.fields["outcomes"].label_from_instance = lambda o: (
            f"{o.kind.name} · {o.title}" + (f"（{o.identifier}）" if o.identifier else "")
        )
