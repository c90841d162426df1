from django import template

from experts.enums import NominationState

register = template.Library()


@register.filter
def nomination_state_label(value: str) -> str:
    """The Chinese label of a nomination state code ("—" for the empty state before a draft exists)."""
    if not value:
        return "—"
    try:
        return NominationState(value).label
    except ValueError:
        return value
