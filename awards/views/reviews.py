"""Reviewers: their sheets (score, save, submit after a confirmation) and declaring a conflict of
interest; the public result lists."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.enums import Role
from core.confirm import confirmation_required
from projects.views import RoleRequiredMixin, sheet_confirmation, sheet_total

from .. import selectors, services
from ..enums import SheetState
from ..forms import ReasonForm, ScoreSheetForm
from ._common import ERRORS

# --- reviewers ------------------------------------------------------------------------------------------


class ReviewListView(RoleRequiredMixin, View):
    roles = (Role.REVIEWER,)

    def get(self, request):
        return render(
            request, "awards/review_list.html", {"sheets": selectors.reviewer_sheet_list(user=request.user)}
        )


class ReviewSheetView(RoleRequiredMixin, View):
    roles = (Role.REVIEWER,)

    def _sheet(self, request, pk):
        return get_object_or_404(selectors.reviewer_sheet_list(user=request.user), pk=pk)

    def _render(self, request, sheet, form=None):
        criteria = list(sheet.cycle.criteria.all())
        if form is None:
            initial = {f"c{s.criterion_id}": s.points for s in sheet.scores.all()}
            initial["comment"] = sheet.comment
            form = ScoreSheetForm(initial=initial, criteria=criteria, opinion_required=True)
        return render(
            request,
            "awards/review_sheet.html",
            {
                "sheet": sheet,
                "application": sheet.application,
                "form": form,
                "conflict_form": ReasonForm(),
                "locked": sheet.state != SheetState.ASSIGNED,
                "running_total": sheet_total(form),
                "max_total": sum((c.max_points for c in form.criteria), Decimal("0")),
                "past_deadline": timezone.now() > sheet.cycle.score_deadline,
            },
        )

    def get(self, request, pk):
        return self._render(request, self._sheet(request, pk))

    def post(self, request, pk):
        sheet = self._sheet(request, pk)
        submit = request.POST.get("action") == "submit"
        form = ScoreSheetForm(
            request.POST, criteria=list(sheet.cycle.criteria.all()), submit=submit, opinion_required=True
        )
        if form.is_valid() and request.POST.get("confirm_back"):
            return self._render(request, sheet, form)  # 返回修改: the sheet as typed, nothing written
        if form.is_valid():
            if submit and confirmation_required(request):
                url = reverse("awards:review-sheet", args=[sheet.pk])
                title = sheet.application.project.title
                return sheet_confirmation(
                    request,
                    form,
                    title=title,
                    sheet_url=url,
                    breadcrumbs=[(_("年度评选评审"), reverse("awards:review-list")), (title, url)],
                )
            try:
                services.sheet_save(
                    sheet=sheet,
                    by=request.user,
                    points=form.points(),
                    comment=form.cleaned_data["comment"],
                    submit=submit,
                )
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("评分已提交。") if submit else _("草稿已保存。"))
                return redirect("awards:review-list") if submit else redirect("awards:review-sheet", sheet.pk)
        return self._render(request, sheet, form)


class ReviewConflictView(RoleRequiredMixin, View):
    roles = (Role.REVIEWER,)

    def post(self, request, pk):
        sheet = get_object_or_404(selectors.reviewer_sheet_list(user=request.user), pk=pk)
        form = ReasonForm(request.POST)
        form.is_valid()
        try:
            services.sheet_declare_conflict(
                sheet=sheet, by=request.user, reason=form.cleaned_data.get("reason", "")
            )
        except ERRORS as error:
            messages.error(request, str(error))
            return redirect("awards:review-sheet", sheet.pk)
        messages.success(request, _("已声明回避，该申报将由其他评审专家评审。"))
        return redirect("awards:review-list")


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
