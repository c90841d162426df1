"""Masked display of personal numbers (PIPL): {% load privacy %} {{ expert.id_number|mask_id }};
{{ expert.phone|phone_shown:full_phones }} shows the number in full only when the view says the reader
may see it (core.phones.sees_full_phones)."""

from django import template

from core.identifiers import mask_bank_account, mask_id_number, mask_phone
from core.phones import phone_shown

register = template.Library()


@register.filter
def mask_id(value) -> str:
    return mask_id_number(str(value)) if value else ""


@register.filter(name="mask_phone")
def mask_phone_filter(value) -> str:
    return mask_phone(str(value)) if value else ""


@register.filter(name="phone_shown")
def phone_shown_filter(value, full=False) -> str:
    return phone_shown(str(value) if value else "", bool(full))


@register.filter
def mask_bank(value) -> str:
    return mask_bank_account(str(value)) if value else ""
