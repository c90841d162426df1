"""Private helpers shared by the subsidies services (one place, never copied): the check that an
amount is a non-negative sum exact to the fen.
"""

from __future__ import annotations

from decimal import Decimal

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
