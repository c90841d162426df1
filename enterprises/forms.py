from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PhoneField, UploadLimitsMixin
from core.identifiers import is_valid_uscc

from .enums import Qualification
from .models import Demand, Enterprise, Industry, MatchmakingEvent
from .services import ENTERPRISE_FIELDS


class EnterpriseForm(UploadLimitsMixin, forms.ModelForm):
    qualifications = forms.MultipleChoiceField(
        label=_("企业资质"),
        choices=Qualification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Enterprise
        fields = ENTERPRISE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"contact_phone": PhoneField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = Industry.objects.filter(active=True)
        self.fields["industry"].help_text = _("标注“主导产业”的为昌平区主导产业")
        if self.instance.pk and self.instance.is_verified:
            for name in ("name", "uscc"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("已认证企业如需修改，请联系区科委")

    def clean_uscc(self):
        code = (self.cleaned_data.get("uscc") or "").strip().upper()
        if not is_valid_uscc(code):
            raise forms.ValidationError(_("统一社会信用代码无效：应为18位数字或大写字母，且校验位正确。"))
        taken = Enterprise.objects.filter(uscc=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("该统一社会信用代码已被其他企业注册。"))
        return code

    def clean(self):
        data = super().clean()
        employees, rd = data.get("employee_count"), data.get("rd_staff_count")
        if employees and rd is not None and rd > employees:
            self.add_error("rd_staff_count", _("研发人员数不能多于职工人数。"))
        return data


class EnterpriseRegisterForm(EnterpriseForm):
    username = forms.CharField(label=_("登录用户名"), max_length=150, help_text=_("字母、数字或 @.+-_"))
    full_name = forms.CharField(label=_("您的姓名"), max_length=60)
    email = forms.EmailField(label=_("您的电子邮箱"))
    phone = PhoneField(label=_("您的手机号码"), max_length=20)
    password1 = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput, help_text=_("至少10位，不要过于简单")
    )
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput)

    field_order = [
        "username",
        "full_name",
        "email",
        "phone",
        "password1",
        "password2",
        *ENTERPRISE_FIELDS,
    ]

    ACCOUNT_FIELDS = ("username", "full_name", "email", "phone", "password1", "password2")

    def account_fields(self):
        """The registrant's login (账号信息), in order."""
        return [self[name] for name in self.ACCOUNT_FIELDS]

    def enterprise_fields(self):
        """Everything about the enterprise (企业信息), 企业名称 first."""
        return [field for field in self if field.name not in self.ACCOUNT_FIELDS]

    def clean_username(self):
        from accounts.models import User

        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("该用户名已被使用，请换一个。"))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class VerifyForm(forms.Form):
    """Staff verify an enterprise; on Changping evidence (not the credit code) they confirm it explicitly."""

    confirm_evidence = forms.BooleanField(label=_("已核实该企业在昌平区的经营地址和证明材料"), required=False)
    reason = forms.CharField(label=_("确认理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, evidence: bool = False, **kwargs):
        """`evidence`: verified on its Changping evidence, so both fields are required (SPEC §4)."""
        super().__init__(*args, **kwargs)
        if evidence:
            for name, message in (
                ("confirm_evidence", _("请勾选确认已核实该企业在昌平区的经营地址和证明材料。")),
                ("reason", _("请填写确认理由。")),
            ):
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = message


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("登录用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    email = forms.EmailField(label=_("电子邮箱"))
    phone = PhoneField(label=_("手机号码"), max_length=20, required=False)
    position = forms.CharField(label=_("职务"), max_length=60, required=False)
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput, help_text=_("至少10位；请线下告知同事")
    )


class DemandForm(forms.ModelForm):
    class Meta:
        model = Demand
        fields = [
            "title",
            "technical_field",
            "keywords",
            "industry",
            "position",
            "description",
            "expected_work",
            "deadline",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "expected_work": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = Industry.objects.filter(active=True)


class MessageForm(forms.Form):
    message = forms.CharField(label=_("留言"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EventForm(forms.ModelForm):
    class Meta:
        model = MatchmakingEvent
        fields = ["title", "held_on", "location", "industry", "description"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class EventInviteForm(forms.Form):
    enterprises = forms.ModelMultipleChoiceField(
        label=_("邀请企业"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    experts = forms.ModelMultipleChoiceField(
        label=_("邀请专家"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, **kwargs):
        from experts.models import Expert

        from .enums import EnterpriseState

        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = Enterprise.objects.filter(state=EnterpriseState.VERIFIED)
        self.fields["experts"].queryset = Expert.objects.filter(in_pool=True).select_related("institution")


class FunnelFilterForm(forms.Form):
    start = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    industry = forms.ChoiceField(label=_("行业"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", _("全部行业"))] + [
            (i.code, str(i)) for i in Industry.objects.order_by("order")
        ]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data
