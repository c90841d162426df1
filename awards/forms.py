"""Forms of the annual awards (crispy, Chinese labels). The score sheet is the review rounds' form."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import UploadLimitsMixin, describe_uploads
from projects.forms import DATE_WIDGET, LocalDateTimeField, ReasonForm, ScoreSheetForm, parse_rubric

from .enums import CycleState, PrizeLevel
from .models import AwardApplication, AwardCycle
from .services import CYCLE_FIELDS

__all__ = ["ApplicationForm", "CycleForm", "DecisionForm", "ReasonForm", "RubricForm", "ScoreSheetForm"]


class CycleForm(forms.ModelForm):
    year = forms.IntegerField(label=_("评选年度"), min_value=2020, help_text=_("参评项目的结题年度"))

    class Meta:
        model = AwardCycle
        fields = CYCLE_FIELDS
        widgets = {"apply_start": DATE_WIDGET, "apply_end": DATE_WIDGET}
        field_classes = {"score_deadline": LocalDateTimeField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["year"]
            if self.instance.state not in (CycleState.DRAFT, CycleState.OPEN):
                # after the applications closed only the quotas may change (cycle_update)
                for name, field in self.fields.items():
                    if not name.startswith("quota_"):
                        field.disabled = True
        else:
            year = timezone.localdate().year - 1
            self.initial.setdefault("year", year)
            self.initial.setdefault("title", _("%(year)s年度“科技副总”年度评选") % {"year": year})
            self.initial.setdefault("budget_year", timezone.localdate().year)
            self.fields["year"].widget.attrs["max"] = timezone.localdate().year
            self.order_fields(["year", *self.Meta.fields])

    def clean(self):
        data = super().clean()
        start, end = data.get("apply_start"), data.get("apply_end")
        if start and end and end < start:
            self.add_error("apply_end", _("申报截止日期不能早于开始日期。"))
        return data


class RubricForm(forms.Form):
    rubric = forms.CharField(
        label=_("评审指标及满分"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一项：指标名称 空格 满分，例如“经济效益 25”"),
    )

    def clean_rubric(self):
        return parse_rubric(self.cleaned_data["rubric"])


class ApplicationForm(UploadLimitsMixin, forms.ModelForm):
    class Meta:
        model = AwardApplication
        fields = ["summary", "patents", "products", "revenue", "standards", "papers", "evidence_file"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            **{name: forms.Textarea(attrs={"rows": 2}) for name in AwardApplication.EVIDENCE_FIELDS},
            # Not the clearable input: it links the current file by its URL, and private uploads have
            # none (core.uploads.PrivateStorage) — the edit page of an application with evidence crashed.
            "evidence_file": forms.FileInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.evidence_file:
            self.fields["evidence_file"].help_text = _("已上传佐证材料；选择新文件将替换原文件。")
            describe_uploads(self)


class DecisionForm(forms.Form):
    """One prize-level choice per application (blank: no prize) and the reason of the decision."""

    reason = forms.CharField(
        label=_("评定理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("评定结果与排名不一致、或在并列分数之间作出选择时必填"),
    )

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = list(applications)
        choices = [("", _("不获奖")), *PrizeLevel.choices]
        for application in self.applications:
            self.fields[f"level_{application.pk}"] = forms.TypedChoiceField(
                label=application.project.title,
                choices=choices,
                required=False,
                coerce=int,
                empty_value=None,
                initial=application.proposed_level or "",
            )
        self.order_fields([*(f"level_{a.pk}" for a in self.applications), "reason"])

    def levels(self) -> dict[int, int | None]:
        return {a.pk: self.cleaned_data.get(f"level_{a.pk}") for a in self.applications}

    def bound_rows(self):
        return [(a, self[f"level_{a.pk}"]) for a in self.applications]
