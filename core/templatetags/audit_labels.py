"""The audit log in words (core.audit_labels): `{{ event|audit_sentence }}`, `{{ event|audit_summary }}`."""

from django import template

from core.audit_labels import event_sentence, summary_label

register = template.Library()


@register.filter
def audit_sentence(event) -> str:
    return event_sentence(event)


@register.filter
def audit_summary(event) -> str:
    return summary_label(event)
