"""Private helpers shared by the subsidies services (one place, never copied): the check that an
amount is a non-negative sum exact to the fen, and the checks of a payment's date and reference.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import PolicyError
from core.money import non_negative

from ..exceptions import SubsidyError


def _amount(value, *, label: str) -> Decimal:
    try:
        amount = non_negative(value, label=label)
    except PolicyError as exc:
        raise SubsidyError(str(exc)) from exc
    if amount != amount.quantize(Decimal("0.01")):
        raise SubsidyError(_("%(label)s最多保留两位小数（精确到分）。") % {"label": label})
    return amount


def _paid_reference(reference, paid_on, *, missing: str, error: type[SubsidyError] = SubsidyError) -> str:
    """The reference of a payment made on `paid_on`, stripped; `error` with the message `missing` when
    there is none, and when the date is missing or after today."""
    reference = (reference or "").strip()
    if not reference:
        raise error(missing)
    if paid_on is None:
        raise error(_("请填写支付日期。"))
    if paid_on > timezone.localdate():
        raise error(_("支付日期不能晚于今天。"))
    return reference
