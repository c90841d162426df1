from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import PhoneField, RowLabelledInlineFormSet, UploadLimitsMixin
from core.identifiers import is_valid_id_number
from core.uploads import DocumentValidator

from .enums import CORE_FIELDS, FREE_FIELDS, KIND_FIELDS, AchievementKind
from .models import Achievement, Discipline, Expert, Institution
from .services import PROFILE_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
XLSX_ONLY = DocumentValidator(("xlsx",))


def _past_date(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))
    return value


class NominationForm(UploadLimitsMixin, forms.ModelForm):
    """The expert's profile plus the nomination's own fields, for a draft."""

    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=18,
        min_length=18,
        help_text=_("18位居民身份证号码，系统加密保存"),
    )
    declaration = forms.BooleanField(
        label=_("本单位承诺：被推荐专家政治素质过硬、身体健康、责任心强，所填信息真实准确。"), required=False
    )
    # PIPL: the nominating institution confirms it told the expert and obtained consent (privacy app).
    personal_data_consent = forms.BooleanField(
        label=_(
            "本单位已向专家告知《个人信息处理告知书》并取得其同意（含身份证号码等敏感个人信息的单独同意）。"
        ),
        required=False,
    )
    exception_justification = forms.CharField(
        label=_("放宽条件理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "专家不满足学历/职称或工作年限条件、但拥有昌平区企业急需的核心知识产权或成熟科技成果时填写。"
        ),
    )
    recommendation_letter = forms.FileField(
        label=_("推荐函（盖章签字）"), required=False, validators=[DocumentValidator()]
    )

    class Meta:
        model = Expert
        fields = [*PROFILE_FIELDS, "resume", "core_ip_evidence"]
        field_classes = {"phone": PhoneField}
        widgets = {
            "work_start": DATE_WIDGET,
            "research_fields": forms.Textarea(attrs={"rows": 2}),
            "keywords": forms.TextInput(),
            "core_ip_description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, nomination=None, **kwargs):
        self.nomination = nomination
        super().__init__(*args, **kwargs)
        self.fields["discipline"].queryset = Discipline.objects.filter(active=True)
        if nomination is not None:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("已保存：%(masked)s；如需更正请重新填写完整号码") % {
                "masked": nomination.expert.id_number_masked
            }
            self.initial.setdefault("declaration", nomination.declaration)
            self.initial.setdefault("exception_justification", nomination.exception_justification)

    def clean_id_number(self):
        code = (self.cleaned_data.get("id_number") or "").strip().upper()
        if code and not is_valid_id_number(code):
            raise ValidationError(_("身份证号码无效：请检查位数、出生日期和最后一位校验码。"))
        return code

    def clean_work_start(self):
        return _past_date(self.cleaned_data.get("work_start"))

    def clean(self):
        data = super().clean()
        born = None
        code = data.get("id_number")
        if code:
            from core.identifiers import birth_date_from_id

            born = birth_date_from_id(code)
        elif self.nomination is not None:
            born = self.nomination.expert.birth_date
        work_start = data.get("work_start")
        if born and work_start and work_start <= born:
            self.add_error("work_start", _("首次参加工作日期不能早于出生日期。"))
        return data

    def service_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in PROFILE_FIELDS}
        data["declaration"] = self.cleaned_data["declaration"]
        data["exception_justification"] = self.cleaned_data["exception_justification"]
        return data

    def service_files(self) -> dict:
        return {
            f: self.cleaned_data.get(f)
            for f in ("resume", "core_ip_evidence", "recommendation_letter")
            if self.cleaned_data.get(f) and f in self.files
        }


class AchievementForm(forms.ModelForm):
    """One row of the achievements table. A blank row is simply ignored, so no field is marked required;
    a row that is started needs its category and its title."""

    class Meta:
        model = Achievement
        fields = ["kind", "title", "year", "detail"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year and year > timezone.localdate().year:
            raise ValidationError(_("年份不能晚于今年。"))
        return year

    def clean(self):
        data = super().clean()
        if data.get("DELETE"):
            return data
        started = any(data.get(f) for f in ("kind", "title", "year", "detail"))
        if started and not data.get("kind"):
            self.add_error("kind", _("请选择成果类别。"))
        if started and not (data.get("title") or "").strip():
            self.add_error("title", _("请填写成果名称。"))
        return data


#: One blank row to start with; "增加一行" adds more (static/js/formset_rows.js, or without JavaScript
#: the add_row submit button handled by add_achievement_row).
AchievementFormSet = forms.inlineformset_factory(
    Expert,
    Achievement,
    form=AchievementForm,
    formset=RowLabelledInlineFormSet,
    extra=1,
    can_delete=True,
    max_num=50,
)


def add_achievement_row(data, prefix: str = "ach"):
    """The POST data with one more row in the achievements formset (the no-JavaScript 增加一行)."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key) or 0)
    except ValueError:
        total = 0
    data[key] = str(min(max(total, 0) + 1, AchievementFormSet.max_num))
    return data


def without_errors(*forms_or_formsets) -> None:
    """Render bound forms as typed without validating them (the page after 增加一行 shows no errors for
    fields the user has not reached yet)."""
    from django.forms.utils import ErrorDict, ErrorList

    for item in forms_or_formsets:
        if isinstance(item, forms.BaseFormSet):
            item._non_form_errors = ErrorList()
            item._errors = []
            for form in item.forms:
                form._errors = ErrorDict()
        else:
            item._errors = ErrorDict()


def achievements_from(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        if form.cleaned_data.get("DELETE") or not form.cleaned_data.get("title"):
            continue
        rows.append({k: form.cleaned_data.get(k) for k in ("kind", "title", "year", "detail")})
    return rows


class ImportForm(UploadLimitsMixin, forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"), validators=[XLSX_ONLY])
    # PIPL: as NominationForm.personal_data_consent, for every expert in the file.
    personal_data_consent = forms.BooleanField(
        label=_(
            "本单位已向文件中的每位专家告知《个人信息处理告知书》并取得其同意"
            "（含身份证号码等敏感个人信息的单独同意）。"
        ),
        required=False,
    )

    def clean_personal_data_consent(self):
        if not self.cleaned_data.get("personal_data_consent"):
            raise forms.ValidationError(
                _("请确认已向文件中的每位专家告知并取得其同意后再导入其个人信息；未导入任何数据。")
            )
        return True


class ProfileForm(UploadLimitsMixin, forms.ModelForm):
    """The expert's own profile; CORE_FIELDS go to staff for approval."""

    class Meta:
        model = Expert
        fields = [f for f in PROFILE_FIELDS if f in CORE_FIELDS or f in FREE_FIELDS] + ["institution"]
        widgets = NominationForm.Meta.widgets
        field_classes = {"phone": PhoneField}

    def clean_work_start(self):
        return _past_date(self.cleaned_data.get("work_start"))


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = [
            "name",
            "short_name",
            "category",
            *KIND_FIELDS.values(),
            "changping_campus",
            "double_first_class_disciplines",
            "dfc_self_determined",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "notes",
            "active",
        ]
        widgets = {"double_first_class_disciplines": forms.SelectMultiple(attrs={"size": 10})}
        field_classes = {"contact_phone": PhoneField}


class ChangeDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", _("通过")), ("0", _("不予通过"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


ACHIEVEMENT_KINDS = AchievementKind
