from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.exceptions import PolicyError
from core.forms import UploadLimitsMixin, validate_phone
from core.identifiers import normalize_phone
from core.uploads import DocumentValidator
from subsidies.policy import project_subsidy

from . import policy
from .enums import BUDGET_LINES
from .models import Project, Reviewer, ReviewRound
from .services import FILING_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
BUDGET_FIELDS = [name for name, _label in BUDGET_LINES]


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as the browser's datetime-local input sends it (or typed as 2025-03-01 17:00)."""

    widget = DATETIME_WIDGET

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **kwargs)


class ProjectForm(UploadLimitsMixin, forms.ModelForm):
    """The filing: content, position, start, budget lines and attachments. The budget rules are checked
    here (for the message beside the fields) and again in the service and the database."""

    class Meta:
        model = Project
        fields = [*FILING_FIELDS, "cooperation_plan", "qualification_file"]
        widgets = {
            "social_science": forms.RadioSelect,
            "requested_start": DATE_WIDGET,
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "content": forms.Textarea(attrs={"rows": 4}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "schedule": forms.Textarea(attrs={"rows": 4}),
            # private uploads have no public URL: a plain file input (ClearableFileInput would link it)
            "cooperation_plan": forms.FileInput,
            "qualification_file": forms.FileInput,
        }

    def clean_requested_start(self):
        value = self.cleaned_data["requested_start"]
        if value and value < timezone.localdate():
            raise ValidationError(_("拟聘任开始日期不能早于今天。"))
        return value

    def clean(self):
        data = super().clean()
        total = data.get("total_funds")
        if total is None or any(data.get(name) is None for name in BUDGET_FIELDS):
            return data
        try:
            policy.check_budget(total, {name: data[name] for name in BUDGET_FIELDS})
        except PolicyError as error:
            field = "budget_management_fee" if "管理费" in str(error) else "total_funds"
            self.add_error(field, str(error))
        return data

    def expected_subsidy(self) -> Decimal | None:
        """The district project subsidy the filing would get (subsidies.policy.project_subsidy)."""
        source = self.cleaned_data if hasattr(self, "cleaned_data") else None
        instance = self.instance
        total = (source or {}).get("total_funds") or instance.total_funds
        social = (source or {}).get("social_science", instance.social_science)
        if not total:
            return None
        try:
            return project_subsidy(total, social_science=bool(social))
        except PolicyError:
            return None


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由/说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReturnForm(ReasonForm):
    """Returning an application to the enterprise: the reason is sent to it, so it is required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["reason"].error_messages["required"] = _("退回时必须填写退回原因。")


class AcceptForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("加入评审批次"),
        queryset=ReviewRound.objects.none(),
        error_messages=dict.fromkeys(("required", "invalid_choice"), _("请选择评审批次。")),
    )

    def __init__(self, *args, **kwargs):
        from .enums import RoundState

        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = ReviewRound.objects.filter(
            state__in=(RoundState.DRAFT, RoundState.OPEN)
        )


def parse_rubric(text: str) -> list[tuple[str, Decimal]]:
    """A rubric typed one criterion a line, "name points" (e.g. "经济效益 25"): [(name, points)], or a
    ValidationError naming the first bad line. Review rounds and award cycles."""
    criteria = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _sep, points = line.rpartition(" ")
        try:
            value = Decimal(points)
        except InvalidOperation:
            raise ValidationError(_("第%(n)d行格式不对：应为“指标名称 满分”。") % {"n": number}) from None
        if not name.strip() or not value.is_finite() or value <= 0:
            raise ValidationError(
                _("第%(n)d行格式不对：应为“指标名称 满分”，满分大于0。") % {"n": number}
            )
        criteria.append((name.strip(), value))
    if not criteria:
        raise ValidationError(_("至少需要一项评审指标。"))
    if len({name for name, _v in criteria}) != len(criteria):
        raise ValidationError(_("评审指标名称不能重复。"))
    return criteria


class RoundForm(forms.ModelForm):
    rubric = forms.CharField(
        label=_("评审指标及满分"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一项：指标名称 空格 满分，例如“技术创新性 30”"),
    )

    class Meta:
        model = ReviewRound
        fields = [
            "name",
            "period_start",
            "period_end",
            "deadline",
            "reviewers_per_application",
            "pass_line",
            "leading_industry_bonus",
            "opinion_required",
            "uses_notice",
            "notice_days",
        ]
        widgets = {"period_start": DATE_WIDGET, "period_end": DATE_WIDGET}
        field_classes = {"deadline": LocalDateTimeField}

    def __init__(self, *args, **kwargs):
        from .enums import DEFAULT_RUBRIC

        super().__init__(*args, **kwargs)
        self.initial.setdefault("rubric", "\n".join(f"{name} {points:g}" for name, points in DEFAULT_RUBRIC))

    def clean_rubric(self):
        return parse_rubric(self.cleaned_data["rubric"])

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("结束日期不能早于开始日期。"))
        return data


class ScoreSheetForm(forms.Form):
    """One field per criterion of the round (max from the rubric, what it judges and what a high or a low
    score means as help text) plus the opinion. With submit=True every criterion must be scored (each
    blank one is flagged) and, when the round says so, the opinion filled in."""

    comment = forms.CharField(label=_("评审意见"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, criteria=(), submit=False, opinion_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.submit = submit
        self.opinion_required = opinion_required
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（{_('满分')} {criterion.max_points:g}）",
                required=False,
                min_value=0,
                max_value=criterion.max_points,
                decimal_places=2,
                max_digits=5,
                help_text=_criterion_help(criterion),
                widget=forms.NumberInput(
                    attrs={"step": "0.5", "data-criterion": "1", "data-max": f"{criterion.max_points:g}"}
                ),
            )
        if opinion_required:
            self.fields["comment"].label = _("评审意见（必填）")
        self.order_fields([*(f"c{c.pk}" for c in self.criteria), "comment"])

    def clean(self):
        data = super().clean()
        if self.submit:
            for criterion in self.criteria:
                name = f"c{criterion.pk}"
                if name not in self.errors and data.get(name) is None:
                    self.add_error(name, _("提交前请为此项评分。"))
            if self.opinion_required and not (data.get("comment") or "").strip():
                self.add_error("comment", _("本批次要求填写评审意见。"))
        return data

    def points(self) -> dict[int, Decimal | None]:
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.criteria}


def _criterion_help(criterion) -> str:
    parts = [
        (None, getattr(criterion, "description", "")),
        (_("高分"), getattr(criterion, "high_means", "")),
        (_("低分"), getattr(criterion, "low_means", "")),
    ]
    return format_html_join(
        SafeString("<br>"),  # a constant separator
        "{}{}",
        ((f"{label}：" if label else "", text) for label, text in parts if text),
    )


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("立项决定"),
        coerce=lambda v: v == "1",
        choices=(("1", _("立项")), ("0", _("不予立项"))),
        widget=forms.RadioSelect,
    )
    approved_funding = forms.DecimalField(
        label=_("核定项目经费（元）"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    social_science = forms.TypedChoiceField(
        label=_("核定项目类别"),
        coerce=lambda v: v == "1",
        choices=(("0", _("自然科学与工程技术类")), ("1", _("社会科学与人文类"))),
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
        help_text=_("立项时确认或更正企业申报的类别；社会科学与人文类项目补贴上限为10万元"),
    )
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("决定与分数线不一致时必须填写"),
    )


class SwapForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("替换为"), queryset=Reviewer.objects.filter(active=True))
    reason = forms.CharField(label=_("原因"), required=False)


class ObjectionForm(forms.Form):
    name = forms.CharField(label=_("姓名/单位"), max_length=60)
    contact = forms.CharField(
        label=_("联系方式"), max_length=100, help_text=_("电话或电子邮箱，仅供工作人员核实")
    )
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean_contact(self):
        """An e-mail address or a phone number (SPEC §7), so that staff can reach the objector."""
        value = self.cleaned_data["contact"].strip()
        if "@" in value:
            validate_email(value)
            return value
        validate_phone(value)
        return normalize_phone(value)


class ObjectionResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("处理结果"),
        coerce=lambda v: v == "1",
        choices=(("0", _("异议不成立")), ("1", _("异议成立，撤销立项"))),
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}))


class FilingForm(forms.Form):
    number = forms.CharField(label=_("备案编号"), max_length=60)
    filed_on = forms.DateField(label=_("备案日期"), widget=DATE_WIDGET)


class AgreementForm(UploadLimitsMixin, forms.Form):
    file = forms.FileField(
        label=_("签订的合作协议（PDF 或扫描件）"), validators=[DocumentValidator(("pdf", "jpeg", "png"))]
    )
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE_WIDGET)


class AppointForm(forms.Form):
    """Staff set the start date only: the term's length is the policy version's (SPEC §4)."""

    start_date = forms.DateField(
        label=_("聘期开始日期"),
        widget=DATE_WIDGET,
        error_messages=dict.fromkeys(("required", "invalid"), _("请填写有效的聘期开始日期。")),
    )

    def __init__(self, *args, earliest=None, months=None, **kwargs):
        super().__init__(*args, **kwargs)
        hints = []
        if earliest is not None:
            hints.append(
                _("不早于备案日期和合作协议签订日期，最早 %(date)s") % {"date": f"{earliest:%Y-%m-%d}"}
            )
        if months is not None:
            hints.append(
                _("服务期按现行政策为 %(months)s 个月，仅可经批准延期延长") % {"months": months}
            )
        self.fields["start_date"].help_text = "；".join(str(h) for h in hints)
