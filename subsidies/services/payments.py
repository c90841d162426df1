"""Single payments (SPEC §5): creating one, changing or deleting an unpaid one that is in no submitted
batch, and booking the reversing entry of a paid one (at most one per payment).
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit

from ..enums import NOT_EDITABLE_PAID, BudgetCategory, PaymentBatchState
from ..exceptions import PaymentError, SubsidyError
from ..models import BankAccount, Payment
from ._common import _amount


def payment_create(
    *,
    category: str,
    budget_year: int,
    payee_kind: str,
    payee_name: str,
    amount,
    purpose: str,
    due_on: date,
    by,
    bank_account: BankAccount | None = None,
    note: str = "",
    **links,
) -> Payment:
    amount = _amount(amount, label=_("金额"))
    if not purpose.strip():
        raise SubsidyError(_("请填写付款用途。"))
    with transaction.atomic():
        payment = Payment.objects.create(
            category=BudgetCategory(category),
            budget_year=budget_year,
            payee_kind=payee_kind,
            payee_name=payee_name,
            bank_account=bank_account,
            amount=amount,
            purpose=purpose.strip(),
            due_on=due_on,
            note=note,
            created_by=by,
            **links,
        )
        audit(by, "payment.create", payment, summary=f"{payee_name} {amount} {purpose}")
    return payment


def _lock_editable(payment: Payment) -> Payment:
    locked = Payment.objects.select_for_update(of=("self",)).select_related("batch").get(pk=payment.pk)
    if locked.paid_on is not None or locked.reversal_of_id:
        raise PaymentError(str(NOT_EDITABLE_PAID))
    if locked.batch_id and locked.batch.state != PaymentBatchState.DRAFT:
        raise PaymentError(_("该款项所在批次已提交，不能修改；请先由财政退回批次。"))
    return locked


def payment_update(
    *,
    payment: Payment,
    by,
    amount=None,
    purpose: str | None = None,
    due_on: date | None = None,
    note: str | None = None,
) -> Payment:
    """Change an unpaid payment that is not in a submitted batch."""
    changes: dict[str, object] = {}
    if amount is not None:
        changes["amount"] = _amount(amount, label=_("金额"))
    if purpose is not None:
        if not purpose.strip():
            raise SubsidyError(_("请填写付款用途。"))
        changes["purpose"] = purpose.strip()
    if due_on is not None:
        changes["due_on"] = due_on
    if note is not None:
        changes["note"] = note
    with transaction.atomic():
        locked = _lock_editable(payment)
        before = {k: str(getattr(locked, k)) for k in changes}
        for k, v in changes.items():
            setattr(locked, k, v)
        locked.save(update_fields=list(changes))
        audit(
            by,
            "payment.update",
            locked,
            data={"before": before, "after": {k: str(v) for k, v in changes.items()}},
        )
    return locked


def payment_delete(*, payment: Payment, by) -> None:
    """Delete an unpaid payment that is in no batch (a mistaken entry)."""
    with transaction.atomic():
        locked = _lock_editable(payment)
        if locked.batch_id:
            raise PaymentError(_("请先将该款项移出批次。"))
        audit(by, "payment.delete", locked, summary=str(locked))
        locked.delete()


def payment_reverse(*, payment: Payment, reason: str, by, on: date | None = None) -> Payment:
    """Book a reversing entry for a paid payment (the correction of SPEC §5); at most one per payment."""
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError(_("请填写冲正原因。"))
    with transaction.atomic():
        original = Payment.objects.select_for_update().get(pk=payment.pk)
        if original.paid_on is None:
            raise PaymentError(_("未支付的款项无需冲正，可直接修改或移出批次。"))
        if original.reversal_of_id:
            raise PaymentError(_("冲正记录本身不能再冲正。"))
        if Payment.objects.filter(reversal_of=original).exists():
            raise PaymentError(_("该款项已冲正，不能重复冲正。"))
        on = on or timezone.localdate()
        fields = {
            f.attname: getattr(original, f.attname)
            for f in Payment._meta.concrete_fields
            if f.name
            not in {
                "id",
                "batch",
                "paid_on",
                "bank_reference",
                "reversal_of",
                "note",
                "created_by",
                "created_at",
                "purpose",
                "due_on",
            }
        }
        # Links that are unique per source item (e.g. an allowance month) stay on the original only.
        for name in getattr(Payment, "REVERSAL_DROPS", ()):
            fields.pop(name, None)
        try:
            with transaction.atomic():
                reversal = Payment.objects.create(
                    **fields,
                    reversal_of=original,
                    purpose=_("冲正：%(purpose)s") % {"purpose": original.purpose},
                    due_on=on,
                    paid_on=on,
                    bank_reference=original.bank_reference,
                    note=reason,
                    created_by=by,
                )
        except IntegrityError as exc:
            raise PaymentError(_("该款项已冲正，不能重复冲正。")) from exc
        audit(by, "payment.reverse", original, summary=reason, data={"reversal": reversal.pk})
    return reversal
