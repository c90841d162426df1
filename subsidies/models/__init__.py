"""Money of the programme (SPEC §5), one module per sub-domain:

- budget: policy versions (the money parameters) and the district's annual budgets with their commitments;
- payments: payees' bank accounts, payments and the payment batches finance approves and pays;
- appointment_money: an appointment's money terms, project subsidy (instalments, suspension decisions)
  and monthly living allowances.

Every model is imported here: `from subsidies.models import Payment` and Django's registry see them all.
"""

from .appointment_money import (
    AllowancePayment,
    AppointmentTerms,
    ProjectSubsidy,
    SubsidyInstalment,
    SubsidyInstalmentTransition,
    SubsidySuspensionDecision,
)
from .budget import Budget, BudgetCommitment, BudgetLine, PolicyVersion
from .payments import BankAccount, Payment, PaymentBatch, PaymentBatchChange, PaymentBatchTransition

__all__ = [
    "AllowancePayment",
    "AppointmentTerms",
    "BankAccount",
    "Budget",
    "BudgetCommitment",
    "BudgetLine",
    "Payment",
    "PaymentBatch",
    "PaymentBatchChange",
    "PaymentBatchTransition",
    "PolicyVersion",
    "ProjectSubsidy",
    "SubsidyInstalment",
    "SubsidyInstalmentTransition",
    "SubsidySuspensionDecision",
]
