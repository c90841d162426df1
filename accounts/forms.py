from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。请注意区分大小写。"),
        "inactive": _("该账号已停用，请联系区科委。"),
    }


OTP_INPUT_ATTRS = {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label=_("动态口令或恢复码"), max_length=16, strip=True,
        widget=forms.TextInput(attrs=OTP_INPUT_ATTRS),
        help_text=_("输入身份验证器应用显示的6位动态口令；手机丢失时可输入一个恢复码。"),
    )


class OTPEnrolForm(forms.Form):
    token = forms.CharField(
        label=_("动态口令"), min_length=6, max_length=6, strip=True,
        widget=forms.TextInput(attrs=OTP_INPUT_ATTRS),
        help_text=_("用身份验证器应用扫描二维码后，输入其显示的6位动态口令。"),
    )
