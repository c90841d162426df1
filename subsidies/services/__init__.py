"""Writes of the subsidies app (SPEC §5): budgets and commitments, payments, payment batches.

Every service is keyword-only, runs in one transaction, writes its audit row and raises a
SubsidyError (or core.workflow.TransitionError) with a readable Chinese message, changing nothing.

The services live by sub-domain and are all importable from here (`from subsidies.services import
budget_commit`): `budgets` (budgets and commitments), `bank` (payees' bank accounts), `payments`
(single payments and reversals), `batches` (payment batches, maker-checker, the batch statement),
`project_subsidy` (an appointment's money terms, the project subsidy's instalments, their suspension
after an early termination), `allowances` (the allowances' budget bookings and Payments, the matching
confirmation, the withdrawal after an early termination); private helpers they share sit in `_common`.
"""

from __future__ import annotations

from .allowances import (
    TerminationWithdrawal,
    allowance_commitments,
    allowance_payables_prepare,
    allowances_withdraw_after_termination,
    appointment_extension_book,
    matching_confirm,
)
from .bank import bank_account_save, default_bank_account
from .batches import (
    FINANCE_BUREAU,
    batch_add_payments,
    batch_approve,
    batch_create,
    batch_mark_paid,
    batch_remove_payment,
    batch_return,
    batch_statement,
    batch_submit,
)
from .budgets import budget_commit, budget_commitment_override, budget_save
from .payments import payment_create, payment_delete, payment_reverse, payment_update
from .project_subsidy import (
    appointment_setup,
    subsidy_instalments_set,
    subsidy_suspend_after_termination,
    subsidy_suspension_decide,
)

__all__ = [
    "FINANCE_BUREAU",
    "TerminationWithdrawal",
    "allowance_commitments",
    "allowance_payables_prepare",
    "allowances_withdraw_after_termination",
    "appointment_extension_book",
    "appointment_setup",
    "bank_account_save",
    "batch_add_payments",
    "batch_approve",
    "batch_create",
    "batch_mark_paid",
    "batch_remove_payment",
    "batch_return",
    "batch_statement",
    "batch_submit",
    "budget_commit",
    "budget_commitment_override",
    "budget_save",
    "default_bank_account",
    "matching_confirm",
    "payment_create",
    "payment_delete",
    "payment_reverse",
    "payment_update",
    "subsidy_instalments_set",
    "subsidy_suspend_after_termination",
    "subsidy_suspension_decide",
]
