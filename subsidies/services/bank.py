"""Payees' bank accounts: saving an expert's or an enterprise's account (the number validated, stored
encrypted and never written to the audit log) and the account a payment goes to by default.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit

from ..exceptions import SubsidyError
from ..models import BankAccount, Payment


def bank_account_save(
    *,
    account: BankAccount | None = None,
    payee_kind: str,
    holder_name: str,
    bank_name: str,
    account_number: str,
    by,
    **owner,
) -> BankAccount:
    """Create or update a payee's bank account (the number is validated, then stored encrypted)."""
    number = "".join(account_number.split())
    if not number.isdigit() or not 8 <= len(number) <= 30:
        raise SubsidyError(_("银行账号须为8至30位数字。"))
    if not holder_name.strip() or not bank_name.strip():
        raise SubsidyError(_("请填写户名和开户银行。"))
    with transaction.atomic():
        if account is None:
            account = BankAccount(payee_kind=payee_kind, **owner)
        account.holder_name, account.bank_name, account.account_number = (
            holder_name.strip(),
            bank_name.strip(),
            number,
        )
        account.save()
        # The number itself never goes into the audit log.
        audit(by, "bankaccount.save", account, summary=f"{account.holder_name} {account.masked_number}")
    return account


def default_bank_account(payment: Payment) -> BankAccount | None:
    """The payee's current bank account (the expert's or the enterprise's), if one is on file."""
    if payment.expert_id:
        owner = {"expert_id": payment.expert_id}
    elif payment.enterprise_id:
        owner = {"enterprise_id": payment.enterprise_id}
    else:
        return None
    return BankAccount.objects.filter(**owner).first()
