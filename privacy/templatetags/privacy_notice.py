from django import template

from privacy import notice as _notice

register = template.Library()


@register.simple_tag
def privacy_notice():
    """The current personal-information notice (privacy.notice)."""
    return _notice
