"""`{% load awards_tags %}{% award_history expert=expert %}` (or `enterprise=…`): the published prizes
panel that the expert and enterprise pages include (one line in their templates)."""

from django import template

register = template.Library()


@register.inclusion_tag("awards/partials/_history.html")
def award_history(*, expert=None, enterprise=None):
    from awards.selectors import awards_of

    if expert is None and enterprise is None:
        return {"awards": []}
    return {
        "awards": list(awards_of(expert=expert, enterprise=enterprise)),
        "show_enterprise": expert is not None,
    }
