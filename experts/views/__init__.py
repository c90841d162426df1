"""HTTP for the talent pool: parse, check permission (querysets filtered by what the user may see, so a
foreign record is a 404), call one service or selector, render.

One module per page group; every view is re-exported here (experts/urls.py names them as `views.X`)."""

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
