"""Form helpers shared by the apps."""

from __future__ import annotations

from django.forms import BaseFormSet, BaseInlineFormSet
from django.utils.translation import gettext as _


class RowLabelsMixin:
    """Formsets drawn as table rows, whose column headings are the only visible labels: every field of
    row N gets an accessible name that says its column and its row, "完成情况（第 2 行）" (WCAG 1.3.1 and
    4.1.2; the visible column heading comes first, so the name contains what is seen, WCAG 2.5.3)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            label = _("删除") if name == "DELETE" else str(field.label or name)
            if index is not None:
                label = _("%(label)s（第 %(row)s 行）") % {"label": label, "row": index + 1}
            field.widget.attrs["aria-label"] = label


class RowLabelledFormSet(RowLabelsMixin, BaseFormSet):
    pass


class RowLabelledInlineFormSet(RowLabelsMixin, BaseInlineFormSet):
    pass
