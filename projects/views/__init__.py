"""HTTP for cooperation projects: parse, check permission (querysets filtered by what the user may see, so
a foreign record is a 404), call one service or selector, render. One view per workflow action, each at
its own URL (projects.views.actions, projects.views.rounds).

- base: the role rules and the one-action view (also used by the terms, awards, credit, outcomes views)
- projects: the project list, filing form and project page
- actions: the project page's workflow buttons
- rounds: the review rounds and their buttons
- reviews: the reviewers' score sheets
- filings: the talent office's filing and the public notice
"""

from .actions import (
    ProjectAcceptView,
    ProjectAgreementView,
    ProjectAppointView,
    ProjectConfirmView,
    ProjectDecideView,
    ProjectReturnView,
    ProjectSubmitView,
)
from .base import ERRORS, ActionView, RoleRequiredMixin, StaffMixin, WorkflowActionView
from .filings import FilingListView, NoticeView
from .projects import (
    LetterDownloadView,
    ProjectCreateView,
    ProjectDetailView,
    ProjectFileView,
    ProjectListView,
    ProjectUpdateView,
)
from .reviews import (
    ConflictView,
    ReviewConflictView,
    ReviewFileView,
    ReviewListView,
    ReviewSheetView,
    ScoreSheetView,
)
from .rounds import (
    AssignmentSwapView,
    ObjectionResolveView,
    RoundAssignView,
    RoundCloseView,
    RoundCreateView,
    RoundDecideView,
    RoundDetailView,
    RoundLettersProgressView,
    RoundLettersView,
    RoundListView,
    RoundOpenView,
    RoundResultsExportView,
)

__all__ = [
    "ERRORS",
    "ActionView",
    "AssignmentSwapView",
    "ConflictView",
    "FilingListView",
    "LetterDownloadView",
    "NoticeView",
    "ObjectionResolveView",
    "ProjectAcceptView",
    "ProjectAgreementView",
    "ProjectAppointView",
    "ProjectConfirmView",
    "ProjectCreateView",
    "ProjectDecideView",
    "ProjectDetailView",
    "ProjectFileView",
    "ProjectListView",
    "ProjectReturnView",
    "ProjectSubmitView",
    "ProjectUpdateView",
    "ReviewConflictView",
    "ReviewFileView",
    "ReviewListView",
    "ReviewSheetView",
    "RoleRequiredMixin",
    "RoundAssignView",
    "RoundCloseView",
    "RoundCreateView",
    "RoundDecideView",
    "RoundDetailView",
    "RoundLettersProgressView",
    "RoundLettersView",
    "RoundListView",
    "RoundOpenView",
    "RoundResultsExportView",
    "ScoreSheetView",
    "StaffMixin",
    "WorkflowActionView",
]
