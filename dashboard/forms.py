from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AnnualReport


class ReportTextForm(forms.ModelForm):
    """存在问题 and 下一步工作: one paragraph a line (each becomes a paragraph of the report)."""

    class Meta:
        model = AnnualReport
        fields = ["problems", "next_steps"]
        widgets = {
            "problems": forms.Textarea(attrs={"rows": 8}),
            "next_steps": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "problems": _("每行一段，印发前必须填写。"),
            "next_steps": _("每行一段，印发前必须填写。"),
        }

    def clean(self):
        data = super().clean()
        for name in ("problems", "next_steps"):
            if len(data.get(name) or "") > 5000:
                self.add_error(name, _("不能超过5000字。"))
        return data
