"""Forms of the service-term pages: they parse and validate input; the services apply the rules."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from core.forms import PhoneField, RowLabelledFormSet, UploadLimitsMixin
from core.uploads import validate_document
from projects.models import Reviewer

from .enums import Beneficiary, ContactForm, ContactSide, Grade, MedicalService, SupportState
from .models import AppointmentContact, CoManagementRecord
from .policy import MAX_EXTENSION_MONTHS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExtensionRequestForm(UploadLimitsMixin, forms.Form):
    months = forms.IntegerField(
        label=_("申请延长月数"),
        min_value=1,
        max_value=MAX_EXTENSION_MONTHS,
        help_text=_("整月数，1至12个月"),
        error_messages={
            "min_value": _("延期月数须为1至12之间的整月数"),
            "max_value": _("延期月数须为1至12之间的整月数"),
            "invalid": _("延期月数须为整数"),
        },
    )

    def __init__(self, *args, limits: dict | None = None, current_months: int | None = None, **kwargs):
        """`limits`: the appointment's policy version's extension limits (terms.services.extension_limits),
        shown in the help text and enforced by the field."""
        super().__init__(*args, **kwargs)
        if limits is None:
            return
        top, total = limits["max_request_months"], limits["max_term_months"]
        field = self.fields["months"]
        field.max_value = top
        field.validators = [v for v in field.validators if not isinstance(v, MaxValueValidator)]
        field.validators.append(MaxValueValidator(top))
        field.widget.attrs["max"] = top
        message = _("延期月数须为1至%(n)s之间的整月数") % {"n": top}
        field.error_messages.update({"min_value": message, "max_value": message})
        field.help_text = _(
            "整月数，每次1至%(n)s个月；服务期连同延期最长%(total)s个月%(now)s（适用政策规定）"
        ) % {
            "n": top,
            "total": total,
            "now": (_("，目前为%(m)s个月") % {"m": current_months}) if current_months else "",
        }

    reason = forms.CharField(label=_("重大项目突破情况及延期理由"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.FileField(label=_("证明材料"), validators=[validate_document])


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("approve", _("批准")), ("refuse", _("不予批准"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TerminationForm(forms.Form):
    terminated_on = forms.DateField(label=_("终止日期"), widget=DATE)
    reason = forms.CharField(label=_("终止原因"), widget=forms.Textarea(attrs={"rows": 4}))


class CoManagementForm(forms.ModelForm):
    class Meta:
        model = CoManagementRecord
        fields = [
            "held_on",
            "form",
            "participants",
            "topic_thoughts",
            "topic_work",
            "topic_life",
            "summary",
            "follow_up",
            "follow_up_due",
        ]
        widgets = {
            "held_on": DATE,
            "follow_up_due": DATE,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "form": forms.Select(choices=ContactForm.choices),
        }

    def clean(self):
        data = super().clean()
        if not (data.get("topic_thoughts") or data.get("topic_work") or data.get("topic_life")):
            raise forms.ValidationError(_("请至少选择一项沟通内容：思想、工作或生活"))
        return data


class AppointmentContactForm(forms.ModelForm):
    class Meta:
        model = AppointmentContact
        fields = ["side", "name", "position", "phone", "email"]
        widgets = {"side": forms.Select(choices=ContactSide.choices)}
        field_classes = {"phone": PhoneField}


class MedicalRequestForm(forms.Form):
    medical_service = forms.ChoiceField(label=_("服务项目"), choices=MedicalService.choices)
    beneficiary = forms.ChoiceField(label=_("服务对象"), choices=Beneficiary.choices)
    beneficiary_name = forms.CharField(
        label=_("就医人姓名"), max_length=40, required=False, help_text=_("为配偶或子女申请时填写")
    )
    description = forms.CharField(label=_("需求说明"), widget=forms.Textarea(attrs={"rows": 4}))


class HousingRequestForm(UploadLimitsMixin, forms.Form):
    owns_housing_in_changping = forms.BooleanField(label=_("本人在昌平区有自有住房"), required=False)
    declared = forms.BooleanField(label=_("本人声明：在昌平区无自有住房，所填信息真实"), required=False)
    description = forms.CharField(
        label=_("住房需求（位置、面积、入住时间等）"), widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.FileField(
        label=_("证明材料"),
        validators=[validate_document],
        help_text=_("无房证明等"),
    )


class SupportTransitionForm(forms.Form):
    to = forms.ChoiceField(
        label=_("办理结果"),
        choices=[
            (SupportState.ARRANGED, SupportState.ARRANGED.label),
            (SupportState.CLOSED, SupportState.CLOSED.label),
        ],
    )
    note = forms.CharField(label=_("安排情况/办结说明"), widget=forms.Textarea(attrs={"rows": 3}))


class TermReportForm(UploadLimitsMixin, forms.Form):
    summary = forms.CharField(label=_("工作总结"), widget=forms.Textarea(attrs={"rows": 6}))
    achievements = forms.CharField(
        label=_("主要成果"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachment = forms.FileField(label=_("附件"), required=False, validators=[validate_document])


class IndicatorResultForm(forms.Form):
    indicator = forms.CharField(label=_("考核指标"), max_length=200, required=False)
    target = forms.CharField(label=_("预期目标"), max_length=200, required=False)
    achieved = forms.CharField(label=_("完成情况"), max_length=300, required=False)
    met = forms.BooleanField(label=_("已达成"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("indicator", "").strip() and not data.get("achieved", "").strip():
            self.add_error("achieved", _("请填写该指标的完成情况"))
        return data


IndicatorResultFormSet = forms.formset_factory(
    IndicatorResultForm, formset=RowLabelledFormSet, extra=2, max_num=30
)


class ReasonForm(forms.Form):
    """Returning the term-end report (by the expert or the commission)."""

    reason = forms.CharField(
        label=_("退回理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("退回时请填写理由")},
    )


class CompletionForm(forms.Form):
    accepted_on = forms.DateField(
        label=_("结题日期"),
        widget=DATE,
        error_messages=dict.fromkeys(("required", "invalid"), _("请填写有效的结题日期")),
    )
    note = forms.CharField(label=_("验收意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationCreateForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("评价专家"),
        queryset=Reviewer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一名评价专家")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = Reviewer.objects.filter(active=True).select_related("institution")


class PanelGradeForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("评价等级"),
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("评价等级须为优秀、良好、合格或不合格")},
    )
    opinion = forms.CharField(label=_("评价意见"), widget=forms.Textarea(attrs={"rows": 5}))


class EvaluationFinaliseForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("最终评价等级"),
        choices=Grade.choices,
        error_messages={"invalid_choice": _("评价等级须为优秀、良好、合格或不合格")},
    )
    opinion = forms.CharField(label=_("任职评价意见"), widget=forms.Textarea(attrs={"rows": 6}))
    override_reason = forms.CharField(
        label=_("调整理由"),
        required=False,
        help_text=_("最终等级与评价组意见不一致时必填"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SupportWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), required=False, max_length=500)


class PanelConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("回避原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请说明回避原因")},
    )


class PanelMemberAddForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        label=_("增补评价专家"),
        queryset=Reviewer.objects.none(),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        error_messages={"required": _("请选择评价专家"), "invalid_choice": _("请选择评价专家")},
    )

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = (
            Reviewer.objects.filter(active=True)
            .exclude(evaluation_panels__evaluation=evaluation)
            .select_related("institution")
            .order_by("name", "pk")
        )
