"""HTTP only: parse, check permission, call one service or selector, render.

Objects are always fetched from a selector filtered by what the user may see, so another enterprise's
or expert's record is a 404; actions are then checked with django-rules permissions (403 without).

One module per page group; every view is re-exported here (enterprises/urls.py names them as `views.X`)."""

from .demands import (
    DemandApplyView,
    DemandCloseView,
    DemandCreateView,
    DemandDetailView,
    DemandInviteView,
    DemandListView,
    DemandPublishView,
    DemandRecommendedView,
    DemandUpdateView,
    ExpertProfileView,
)
from .enterprises import (
    EnterpriseDetailView,
    EnterpriseEvidenceView,
    EnterpriseListView,
    EnterpriseRegisterView,
    EnterpriseRejectView,
    EnterpriseResubmitView,
    EnterpriseUpdateView,
    EnterpriseVerifyView,
    MemberAddView,
    MyEnterpriseView,
)
from .events import (
    EventAttendanceView,
    EventCreateView,
    EventDetailView,
    EventInviteView,
    EventLinkView,
    EventListView,
    FunnelView,
)
from .intents import (
    IntentAcceptView,
    IntentDeclineView,
    IntentDetailView,
    IntentInServiceView,
    IntentListView,
    IntentWithdrawView,
)

__all__ = [
    "DemandApplyView",
    "DemandCloseView",
    "DemandCreateView",
    "DemandDetailView",
    "DemandInviteView",
    "DemandListView",
    "DemandPublishView",
    "DemandRecommendedView",
    "DemandUpdateView",
    "EnterpriseDetailView",
    "EnterpriseEvidenceView",
    "EnterpriseListView",
    "EnterpriseRegisterView",
    "EnterpriseRejectView",
    "EnterpriseResubmitView",
    "EnterpriseUpdateView",
    "EnterpriseVerifyView",
    "EventAttendanceView",
    "EventCreateView",
    "EventDetailView",
    "EventInviteView",
    "EventLinkView",
    "EventListView",
    "ExpertProfileView",
    "FunnelView",
    "IntentAcceptView",
    "IntentDeclineView",
    "IntentDetailView",
    "IntentInServiceView",
    "IntentListView",
    "IntentWithdrawView",
    "MemberAddView",
    "MyEnterpriseView",
]
