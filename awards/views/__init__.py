"""HTTP of the annual awards (cycles, applications, review sheets, decision, publication); one module
per page group, each view re-exported here for awards/urls.py. How a view is built: docs/DEVELOPING.md."""

from .applications import (
    ApplicationConfirmView,
    ApplicationCreateView,
    ApplicationDetailView,
    ApplicationReturnView,
    ApplicationSubmitView,
    ApplicationUpdateView,
    CertificateView,
    EvidenceFileView,
)
from .cycles import (
    CycleApproveView,
    CycleAssignView,
    CycleBatchView,
    CycleCertificatesView,
    CycleCloseView,
    CycleCreateView,
    CycleDetailView,
    CycleExportView,
    CycleOpenView,
    CyclePublishView,
    CycleReviewView,
    CycleUpdateView,
    IndexView,
    NominateView,
)
from .decision import (
    DecisionAutofillView,
    DecisionView,
)
from .reviews import (
    ResultsView,
    ReviewConflictView,
    ReviewListView,
    ReviewSheetView,
)

__all__ = [
    "ApplicationConfirmView",
    "ApplicationCreateView",
    "ApplicationDetailView",
    "ApplicationReturnView",
    "ApplicationSubmitView",
    "ApplicationUpdateView",
    "CertificateView",
    "CycleApproveView",
    "CycleAssignView",
    "CycleBatchView",
    "CycleCertificatesView",
    "CycleCloseView",
    "CycleCreateView",
    "CycleDetailView",
    "CycleExportView",
    "CycleOpenView",
    "CyclePublishView",
    "CycleReviewView",
    "CycleUpdateView",
    "DecisionAutofillView",
    "DecisionView",
    "EvidenceFileView",
    "IndexView",
    "NominateView",
    "ResultsView",
    "ReviewConflictView",
    "ReviewListView",
    "ReviewSheetView",
]
