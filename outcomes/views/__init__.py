"""HTTP of service outcomes (reporting, confirmation, verification, targets, outcome kinds); one module
per page group, each view re-exported here for outcomes/urls.py."""

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
