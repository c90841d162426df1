"""Masked display of personal numbers (PIPL): {% load privacy %} {{ expert.id_number|mask_id }}."""

from django import template

from core.identifiers import mask_bank_account, mask_id_number, mask_phone

register = template.Library()


@register.filter
def mask_id(value) -> str:
    return mask_id_number(str(value)) if value else ""


@register.filter(name="mask_phone")
def mask_phone_filter(value) -> str:
    return mask_phone(str(value)) if value else ""


@register.filter
def mask_bank(value) -> str:
    return mask_bank_account(str(value)) if value else ""
