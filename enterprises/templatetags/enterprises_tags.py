from django import template

from ..enums import DemandState, EnterpriseState, IntentState

register = template.Library()

_ENUMS = {"enterprise": EnterpriseState, "demand": DemandState, "intent": IntentState}


@register.filter
def state_label(value: str, kind: str) -> str:
    """The Chinese label of a stored state code ("verified" → "已认证"); "—" for the initial empty state."""
    if not value:
        return "—"
    enum = _ENUMS[kind]
    return str(enum(value).label) if value in enum.values else value
