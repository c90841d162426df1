"""`{% error_summary %}` (base.html): after a failed submit, one summary of every error of the page's
forms at the top of the content, each linking to its field; static/js/portal.js moves the focus to it
(and `autofocus` does where scripts do not run), so keyboard and screen-reader users hear what went
wrong (WCAG 3.3.1, 2.4.3)."""

from __future__ import annotations

from django import forms, template
from django.template.loader import render_to_string

register = template.Library()


def _forms_in(context) -> list:
    """The bound forms and formsets the page renders, each once, in context order."""
    found, seen = [], set()
    for value in context.flatten().values():
        if isinstance(value, forms.BaseForm | forms.BaseFormSet) and value.is_bound and id(value) not in seen:
            seen.add(id(value))
            found.append(value)
    return found


def _form_errors(form) -> list[dict]:
    rows = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        bound = form[name] if field is not None else None
        hidden = field is None or field.widget.is_hidden
        label = "" if hidden else str(field.label or name)
        target = "" if hidden else bound.id_for_label
        rows += [{"label": label, "message": str(message), "target": target} for message in errors]
    return rows


@register.simple_tag(takes_context=True)
def error_summary(context) -> str:
    rows = []
    for item in _forms_in(context):
        if isinstance(item, forms.BaseFormSet):
            rows += [{"label": "", "message": str(m), "target": ""} for m in item.non_form_errors()]
            for form in item.forms:
                rows += _form_errors(form)
        else:
            rows += _form_errors(item)
    if not rows:
        return ""
    return render_to_string("core/partials/_error_summary.html", {"errors": rows})
