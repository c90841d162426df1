from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """An amount with thousands separators and two decimals: 3000000 → "3,000,000.00"."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"
