"""HTTP of the annual awards: parse, check the role (querysets filtered by what the user may see, so a
foreign record is a 404), call one service or selector, render.

One module per page group; every view is re-exported here (awards/urls.py names them as `views.X`)."""

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
