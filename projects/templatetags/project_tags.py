from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """A Decimal amount with thousands separators and 2 places ("500,000.00"); empty for None."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"
