"""`{{ t|state_name:"from" }}` / `{{ t|state_name }}`: a recorded transition's state as its label (项目的
"submitted" → 已提交), from the subject model's `state` choices — no query per row."""

from django import template
from django.core.exceptions import FieldDoesNotExist

register = template.Library()


@register.filter
def state_name(transition, which: str = "to") -> str:
    value = getattr(transition, f"{which}_state", "")
    if not value:
        return "—"
    subject = transition._meta.get_field("subject").related_model
    try:
        choices = dict(subject._meta.get_field("state").flatchoices)
    except FieldDoesNotExist:  # a subject without a `state` field: show the code
        return value
    return str(choices.get(value, value))
