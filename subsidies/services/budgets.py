"""Budgets and commitments (SPEC §5): the yearly budget per category, bookings against it (over the
remaining budget only with a recorded override reason, or flagged for one when automatic) and staff
overrides of those flagged bookings.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit
from core.money import format_cny

from ..enums import BudgetCategory
from ..exceptions import BudgetExceeded, SubsidyError
from ..models import Budget, BudgetCommitment, BudgetLine
from ..selectors import budget_remaining
from ._common import _amount


def budget_save(*, year: int, amounts: Mapping[str, Decimal], note: str = "", by) -> Budget:
    """Create or update the budget of `year` with an amount per category (BudgetCategory values)."""
    clean = {}
    for category, value in amounts.items():
        label = BudgetCategory(category).label
        clean[category] = _amount(value, label=str(label))
    with transaction.atomic():
        budget, created = Budget.objects.select_for_update().get_or_create(
            year=year, defaults={"note": note, "created_by": by}
        )
        if not created and note != budget.note:
            budget.note = note
            budget.save(update_fields=["note", "updated_at"])
        for category, amount in clean.items():
            BudgetLine.objects.update_or_create(budget=budget, category=category, defaults={"amount": amount})
        audit(by, "budget.save", budget, summary=f"{year}", data={k: str(v) for k, v in clean.items()})
    return budget


def budget_commit(
    *,
    year: int,
    category: str,
    amount: Decimal,
    description: str,
    by,
    source=None,
    override_reason: str = "",
    defer_override: bool = False,
) -> BudgetCommitment:
    """Book `amount` against `year`'s budget for `category`.

    Over the remaining budget, the commitment needs an explicit `override_reason` (recorded with who
    gave it); without one BudgetExceeded is raised and nothing is booked — unless `defer_override`
    (automatic bookings such as appointment_setup), which books it flagged as awaiting a staff override.
    A negative amount is a release and is always accepted.
    """
    category = BudgetCategory(category)
    try:
        amount = Decimal(amount) if not isinstance(amount, float) else None
    except ArithmeticError:
        amount = None
    if amount is None or not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise SubsidyError(_("金额须为精确到分的数值。"))
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        # Commitments to one year are serialised on the budget row, so two cannot both use the rest.
        Budget.objects.select_for_update().filter(year=year).first()
        remaining = budget_remaining(year, category)
        over = amount > 0 and amount > remaining
        if over and not override_reason and not defer_override:
            raise BudgetExceeded(
                _(
                    "%(year)s年度“%(category)s”预算余额为 %(remaining)s，本次占用 %(amount)s 超出余额；"
                    "如确需超预算，请填写理由后确认。"
                )
                % {
                    "year": year,
                    "category": category.label,
                    "remaining": format_cny(remaining),
                    "amount": format_cny(amount),
                },
                remaining=remaining,
            )
        commitment = BudgetCommitment.objects.create(
            year=year,
            category=category,
            amount=amount,
            description=description[:200],
            source_type=source._meta.label_lower if source is not None else "",
            source_id=str(source.pk) if source is not None else "",
            over_budget=over,
            override_reason=override_reason if over else "",
            override_by=by if over and override_reason else None,
            created_by=by,
        )
        audit(
            by,
            "budget.commit",
            commitment,
            summary=f"{year} {category} {amount}",
            data={"over_budget": over, "override_reason": commitment.override_reason},
        )
    return commitment


def budget_commitment_override(*, commitment: BudgetCommitment, reason: str, by) -> BudgetCommitment:
    """Staff accept an automatic over-budget commitment, giving the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise SubsidyError(_("请填写超预算确认理由。"))
    with transaction.atomic():
        locked = BudgetCommitment.objects.select_for_update().get(pk=commitment.pk)
        if not locked.awaiting_override:
            raise SubsidyError(_("该预算占用无需或已完成超预算确认。"))
        locked.override_reason, locked.override_by = reason, by
        locked.save(update_fields=["override_reason", "override_by"])
        audit(by, "budget.override", locked, summary=reason)
    commitment.override_reason, commitment.override_by = reason, by
    return locked
