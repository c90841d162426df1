"""HTTP of the talent pool (nominations and their decisions, the pool list and search, experts' pages,
institutions); one module per page group, each view re-exported here for experts/urls.py."""

from .decisions import (
    NominationAdmitView,
    NominationApproveExceptionView,
    NominationRefuseExceptionView,
    NominationRejectView,
    NominationReturnView,
)
from .experts import (
    ChangeRequestDecideView,
    ChangeRequestListView,
    ExpertDetailView,
    ExpertFileView,
    ExpertIdNumberView,
    ExpertMeView,
    ExpertPhoneView,
    ExpertProfileEditView,
)
from .institutions import InstitutionEditView, InstitutionListView, InviteConfirmView
from .nomination_import import NominationImportTemplateView, NominationImportView
from .nominations import (
    NominationCreateView,
    NominationDetailView,
    NominationFileView,
    NominationListView,
    NominationSubmitView,
    NominationUpdateView,
)
from .pool import POOL_PHONE_ROLES, ExpertListView

__all__ = [
    "POOL_PHONE_ROLES",
    "ChangeRequestDecideView",
    "ChangeRequestListView",
    "ExpertDetailView",
    "ExpertFileView",
    "ExpertIdNumberView",
    "ExpertListView",
    "ExpertMeView",
    "ExpertPhoneView",
    "ExpertProfileEditView",
    "InstitutionEditView",
    "InstitutionListView",
    "InviteConfirmView",
    "NominationAdmitView",
    "NominationApproveExceptionView",
    "NominationCreateView",
    "NominationDetailView",
    "NominationFileView",
    "NominationImportTemplateView",
    "NominationImportView",
    "NominationListView",
    "NominationRefuseExceptionView",
    "NominationRejectView",
    "NominationReturnView",
    "NominationSubmitView",
    "NominationUpdateView",
]
