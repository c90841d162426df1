"""HTTP for the service term: parse, check permission (querysets filtered by what the user may see, so a
foreign record is a 404), call one service or selector, render. One view per action, each at its own URL.

- base: the role and appointment rules, the form page of one action, the one-button action view
- appointments: the appointment list and page, termination, extension, co-management, contacts
- support: medical and housing support requests
- reports: the term-end report and its steps
- evaluations: the term's evaluation, the panel's grading, the certificate and documents
"""

from .appointments import (
    AppointmentDetailView,
    AppointmentListView,
    AppointmentTerminateView,
    CoManagementCreateView,
    ContactCreateView,
    ContactDeleteView,
    ContactUpdateView,
    ExtensionCreateView,
    ExtensionDecideView,
    ExtensionEvidenceView,
    FollowUpDoneView,
    sees_contact_phones,
)
from .base import LIST_ROLES, ActionFormView, AppointmentMixin, RoleRequiredMixin, TermActionView
from .evaluations import (
    CertificateIssueView,
    DocumentDownloadView,
    EvaluationCreateView,
    EvaluationDetailView,
    EvaluationFinaliseView,
    EvaluationMemberAddView,
    EvaluationOpenView,
    PanelConflictView,
    PanelGradeView,
    PanelListView,
)
from .reports import (
    ReportAcceptView,
    ReportAttachmentView,
    ReportConfirmView,
    ReportEditView,
    ReportReturnView,
    ReportSubmitView,
)
from .support import (
    SupportCreateView,
    SupportDetailView,
    SupportEvidenceView,
    SupportListView,
    SupportWithdrawView,
)

__all__ = [
    "LIST_ROLES",
    "ActionFormView",
    "AppointmentDetailView",
    "AppointmentListView",
    "AppointmentMixin",
    "AppointmentTerminateView",
    "CertificateIssueView",
    "CoManagementCreateView",
    "ContactCreateView",
    "ContactDeleteView",
    "ContactUpdateView",
    "DocumentDownloadView",
    "EvaluationCreateView",
    "EvaluationDetailView",
    "EvaluationFinaliseView",
    "EvaluationMemberAddView",
    "EvaluationOpenView",
    "ExtensionCreateView",
    "ExtensionDecideView",
    "ExtensionEvidenceView",
    "FollowUpDoneView",
    "PanelConflictView",
    "PanelGradeView",
    "PanelListView",
    "ReportAcceptView",
    "ReportAttachmentView",
    "ReportConfirmView",
    "ReportEditView",
    "ReportReturnView",
    "ReportSubmitView",
    "RoleRequiredMixin",
    "SupportCreateView",
    "SupportDetailView",
    "SupportEvidenceView",
    "SupportListView",
    "SupportWithdrawView",
    "TermActionView",
    "sees_contact_phones",
]
