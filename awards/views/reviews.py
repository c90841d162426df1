"""Reviewers: their sheets (score, save, submit after a confirmation) and declaring a conflict of
interest; the public result lists."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.enums import Role
from projects.views import ConflictView, RoleRequiredMixin, ScoreSheetView

from .. import selectors, services
from ..enums import SheetState
from ._common import ERRORS

# --- reviewers ------------------------------------------------------------------------------------------


class ReviewListView(RoleRequiredMixin, View):
    roles = (Role.REVIEWER,)

    def get(self, request):
        return render(
            request, "awards/review_list.html", {"sheets": selectors.reviewer_sheet_list(user=request.user)}
        )


class SheetMixin:
    """The award cycles' sheet: the reviewer's own."""

    errors = ERRORS
    list_url = "awards:review-list"
    sheet_url = "awards:review-sheet"

    def get_sheet(self, pk):
        return get_object_or_404(selectors.reviewer_sheet_list(user=self.request.user), pk=pk)


class ReviewSheetView(SheetMixin, ScoreSheetView):
    template_name = "awards/review_sheet.html"
    open_state = SheetState.ASSIGNED
    list_label = gettext_lazy("年度评选评审")

    def criteria(self, sheet):
        return sheet.cycle.criteria.all()

    def sheet_title(self, sheet) -> str:
        return sheet.application.project.title

    def context(self, sheet, form) -> dict:
        return {
            "sheet": sheet,
            "application": sheet.application,
            "past_deadline": timezone.now() > sheet.cycle.score_deadline,
        }

    def save(self, sheet, **scores):
        services.sheet_save(sheet=sheet, **scores)


class ReviewConflictView(SheetMixin, ConflictView):
    success_message = gettext_lazy("已声明回避，该申报将由其他评审专家评审。")

    def declare(self, sheet, reason):
        services.sheet_declare_conflict(sheet=sheet, by=self.request.user, reason=reason)


class ResultsView(View):
    """Public: the published result lists (names, projects, prizes — no personal numbers). No login."""

    def get(self, request, year=None):
        cycles = list(selectors.published_cycles())
        if year is not None:
            cycle = next((c for c in cycles if c.year == year), None)
            if cycle is None:
                raise Http404
        else:
            cycle = cycles[0] if cycles else None
        return render(
            request,
            "awards/results.html",
            {
                "cycle": cycle,
                "cycles": cycles,
                "awards": list(selectors.published_awards(cycle)) if cycle else [],
            },
        )
