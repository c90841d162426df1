"""HTTP for service outcomes: parse, check permission (querysets filtered by what the user may see, so a
foreign record is a 404), call one service or selector, render.

One module per page group; every view is re-exported here (outcomes/urls.py names them as `views.X`)."""

from .detail import (
    ACTION_VIEWS,
    OutcomeConfirmView,
    OutcomeDetailView,
    OutcomeDisputeView,
    OutcomeRejectView,
    OutcomeResubmitView,
    OutcomeReturnView,
    OutcomeVerifyView,
    OutcomeWithdrawView,
)
from .kinds import KindEditView, KindListView
from .outcomes import OutcomeCreateView, OutcomeEvidenceView, OutcomeListView, OutcomeUpdateView
from .targets import AppointmentOutcomesView, AwardOutcomesView, ProjectTargetsView, TargetOverrideView

__all__ = [
    "ACTION_VIEWS",
    "AppointmentOutcomesView",
    "AwardOutcomesView",
    "KindEditView",
    "KindListView",
    "OutcomeConfirmView",
    "OutcomeCreateView",
    "OutcomeDetailView",
    "OutcomeDisputeView",
    "OutcomeEvidenceView",
    "OutcomeListView",
    "OutcomeRejectView",
    "OutcomeResubmitView",
    "OutcomeReturnView",
    "OutcomeUpdateView",
    "OutcomeVerifyView",
    "OutcomeWithdrawView",
    "ProjectTargetsView",
    "TargetOverrideView",
]
