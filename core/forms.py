"""Form fields and helpers shared by every app (issue 16 items 9 and 11)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, BaseInlineFormSet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.identifiers import is_valid_phone, normalize_phone

PHONE_HELP = _("手机号码 11 位；固定电话请带区号，如 010-12345678")
PHONE_ERROR = _(
    "请输入有效的电话号码：手机号码为 1 开头的 11 位数字（第二位 3–9），固定电话须带区号，如 010-12345678。"
)


def validate_phone(value: str) -> None:
    """Django validator (forms, admin, services): SPEC §7 phone numbers (core.identifiers.is_valid_phone)."""
    if value and not is_valid_phone(value):
        raise ValidationError(PHONE_ERROR, code="invalid_phone")


class PhoneField(forms.CharField):
    """A phone number field: tidied (normalize_phone) and validated; the format is stated under it.
    Usable directly or as a ModelForm's `field_classes = {"phone": PhoneField}`."""

    default_validators = [validate_phone]

    def __init__(self, *args, **kwargs):
        if not kwargs.get("help_text"):
            kwargs["help_text"] = PHONE_HELP
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_phone(value) if value else value


def upload_limit_text(kinds=None) -> str:
    """"支持 PDF、JPG…，单个文件不超过 10 MB" — the rule every upload field states under it."""
    from django.conf import settings

    from core.uploads import DOCUMENT_TYPES, KIND_LABELS

    allowed = "、".join(KIND_LABELS[k] for k in (kinds or tuple(DOCUMENT_TYPES)))
    return str(_("支持 %(allowed)s，单个文件不超过 %(size)s")) % {
        "allowed": allowed,
        "size": filesizeformat(settings.UPLOAD_MAX_BYTES),
    }


def describe_uploads(form) -> None:
    """Append the accepted types and the size limit to the help text of every file field of `form`
    (the types come from the field's DocumentValidator, if any). Call at the end of a form's __init__."""
    from core.uploads import DocumentValidator

    for field in form.fields.values():
        if not isinstance(field, forms.FileField):
            continue
        kinds = next((v.kinds for v in field.validators if isinstance(v, DocumentValidator)), None)
        text = upload_limit_text(kinds)
        if text not in str(field.help_text or ""):
            field.help_text = f"{field.help_text}（{text}）" if field.help_text else text


class UploadLimitsMixin:
    """A form whose file fields state the accepted types and the size limit (describe_uploads)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe_uploads(self)


class RowLabelsMixin:
    """Formsets drawn as table rows, whose column headings are the only visible labels: every field of
    row N gets an accessible name that says its column and its row, "完成情况（第 2 行）" (WCAG 1.3.1 and
    4.1.2; the visible column heading comes first, so the name contains what is seen, WCAG 2.5.3)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            label = gettext("删除") if name == "DELETE" else str(field.label or name)
            if index is not None:
                label = gettext("%(label)s（第 %(row)s 行）") % {"label": label, "row": index + 1}
            field.widget.attrs["aria-label"] = label


class RowLabelledFormSet(RowLabelsMixin, BaseFormSet):
    pass


class RowLabelledInlineFormSet(RowLabelsMixin, BaseInlineFormSet):
    pass
