"""HTTP for the programme's money: budgets (staff, finance), payments and payment batches (staff prepare,
finance approve/pay/export), the payees' own pages, staff's project subsidies. A user without the
right — or asking for a record they may not see — gets a 404.

One module per page group; every view is re-exported here (subsidies/urls.py names them as `views.X`)."""

from .batches import (
    BatchAddView,
    BatchApproveView,
    BatchDetailView,
    BatchExportView,
    BatchListView,
    BatchPayView,
    BatchRemoveView,
    BatchReturnView,
    BatchStatementView,
    BatchSubmitView,
)
from .budgets import BudgetDetailView, BudgetEditView, BudgetListView, CommitmentOverrideView
from .payees import EnterpriseMoneyView, MatchingConfirmView, MyAllowanceListView
from .payments import PaymentAddToBatchView, PaymentDueListView, PaymentReverseView
from .subsidies import (
    SUSPENSION_FORM_SESSION_KEY,
    MatchingOverdueListView,
    SubsidyDetailView,
    SubsidyListView,
    SubsidySuspensionDecideView,
)

__all__ = [
    "SUSPENSION_FORM_SESSION_KEY",
    "BatchAddView",
    "BatchApproveView",
    "BatchDetailView",
    "BatchExportView",
    "BatchListView",
    "BatchPayView",
    "BatchRemoveView",
    "BatchReturnView",
    "BatchStatementView",
    "BatchSubmitView",
    "BudgetDetailView",
    "BudgetEditView",
    "BudgetListView",
    "CommitmentOverrideView",
    "EnterpriseMoneyView",
    "MatchingConfirmView",
    "MatchingOverdueListView",
    "MyAllowanceListView",
    "PaymentAddToBatchView",
    "PaymentDueListView",
    "PaymentReverseView",
    "SubsidyDetailView",
    "SubsidyListView",
    "SubsidySuspensionDecideView",
]
