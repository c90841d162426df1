"""The reviewers' pages: their assignments, the score sheet beside what is judged (with its confirmation
before the sheet is locked, shared with the award cycles' sheets), the application's attachments and the
declaration of a conflict of interest."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.enums import Role
from core.confirm import ConfirmRow, confirmation_page, confirmation_required
from core.uploads import serve_upload

from .. import selectors, services
from ..enums import BUDGET_LINES, AssignmentState
from ..forms import ReasonForm, ScoreSheetForm
from .base import ERRORS, RoleRequiredMixin


class ReviewListView(RoleRequiredMixin, View):
    roles = (Role.REVIEWER,)

    def get(self, request):
        return render(
            request,
            "projects/review_list.html",
            {"assignments": selectors.reviewer_assignment_list(user=request.user)},
        )


class ReviewSheetView(RoleRequiredMixin, View):
    """The reviewer's score sheet beside what is judged: the application, the expert's public profile and
    achievements, the attachments, the budget lines and the enterprise's demand; each criterion with what
    it judges and what a high or a low score means; the deadline; a running total. Submitting asks for
    confirmation (each criterion and the total) because a submitted sheet is locked."""

    roles = (Role.REVIEWER,)
    template_name = "projects/review_sheet.html"

    def _form(self, assignment, data=None, *, submit=False):
        round = assignment.round
        criteria = list(round.criteria.all())
        if data is None:
            initial = {f"c{s.criterion_id}": s.points for s in assignment.scores.all()}
            initial["comment"] = assignment.comment
            return ScoreSheetForm(initial=initial, criteria=criteria, opinion_required=round.opinion_required)
        return ScoreSheetForm(data, criteria=criteria, submit=submit, opinion_required=round.opinion_required)

    def _context(self, request, assignment, form=None):
        form = form or self._form(assignment)
        project = assignment.project
        expert = (
            type(project.expert)
            .objects.select_related("institution", "discipline")
            .prefetch_related("achievements")
            .get(pk=project.expert_id)
        )
        demand = project.intent.demand if project.intent_id else None
        return {
            "assignment": assignment,
            "project": project,
            "expert": expert,
            "demand": demand,
            "form": form,
            "criterion_fields": [form[f"c{c.pk}"] for c in form.criteria],
            "running_total": sheet_total(form),
            "max_total": sum((c.max_points for c in form.criteria), Decimal("0")),
            "conflict_form": ReasonForm(),
            "locked": assignment.state != AssignmentState.ASSIGNED,
            "deadline": assignment.round.deadline,
            "past_deadline": timezone.now() > assignment.round.deadline,
            "budget": [(label, getattr(project, name)) for name, label in BUDGET_LINES],
        }

    def get(self, request, pk):
        assignment = selectors.reviewer_assignment_get(user=request.user, pk=pk)
        return render(request, self.template_name, self._context(request, assignment))

    def post(self, request, pk):
        assignment = selectors.reviewer_assignment_get(user=request.user, pk=pk)
        submit = request.POST.get("action") == "submit"
        form = self._form(assignment, request.POST, submit=submit)
        if form.is_valid() and request.POST.get("confirm_back"):
            # "返回修改" on the confirmation page: the sheet again, as typed, nothing written.
            return render(request, self.template_name, self._context(request, assignment, form))
        if form.is_valid():
            if submit and confirmation_required(request):
                return self._confirmation(request, assignment, form)
            try:
                services.assignment_save_scores(
                    assignment=assignment,
                    by=request.user,
                    points=form.points(),
                    comment=form.cleaned_data["comment"],
                    submit=submit,
                )
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("评分已提交。") if submit else _("草稿已保存。"))
                return redirect(
                    "projects:review-list" if submit else "projects:review-sheet",
                    *(() if submit else (assignment.pk,)),
                )
        return render(request, self.template_name, self._context(request, assignment, form), status=200)

    def _confirmation(self, request, assignment, form):
        sheet = reverse("projects:review-sheet", args=[assignment.pk])
        return sheet_confirmation(
            request,
            form,
            title=assignment.project.title,
            sheet_url=sheet,
            breadcrumbs=[
                (_("我的评审任务"), reverse("projects:review-list")),
                (assignment.project.title, sheet),
            ],
        )


def _points(value: Decimal) -> str:
    """30.00 → "30", 27.50 → "27.5" (how points are read aloud)."""
    return f"{value.normalize():f}"


def sheet_confirmation(request, form, *, title: str, sheet_url: str, breadcrumbs):
    """The confirmation page of a score sheet's final submission (review rounds and award cycles): each
    criterion with its points, the total and the opinion; 返回修改 brings the sheet back as typed."""
    points = form.points()
    total = sum((v for v in points.values() if v is not None), Decimal("0"))
    maximum = sum((c.max_points for c in form.criteria), Decimal("0"))
    comment = form.cleaned_data["comment"].strip()
    return confirmation_page(
        request,
        title=_("确认提交评分表"),
        question=_("评分表提交后锁定，不能再修改。确认提交对“%(title)s”的以下评分？") % {"title": title},
        rows=[
            *(
                ConfirmRow(f"{c.name}（{_('满分')} {_points(c.max_points)}）", _points(points[c.pk]))
                for c in form.criteria
            ),
            ConfirmRow(_("总分"), f"{_points(total)} / {_points(maximum)}", strong=True),
            ConfirmRow(_("评审意见"), comment or _("（未填写）")),
        ],
        button=_("确认提交"),
        back_button=_("返回修改"),
        cancel_url=sheet_url,
        breadcrumbs=breadcrumbs,
    )


def sheet_total(form) -> Decimal:
    """The sum of the points on the sheet as shown (typed values when bound), for the no-JS total."""
    total = Decimal("0")
    for criterion in form.criteria:
        name = f"c{criterion.pk}"
        raw = form.data.get(name) if form.is_bound else form.initial.get(name)
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            continue
        if value.is_finite() and value >= 0:
            total += value
    return total


class ReviewFileView(RoleRequiredMixin, View):
    """The application's attachments for its assigned reviewer, while the assignment is active in an open
    round (the same filter as the sheet: any other assignment, or anybody else, is a 404)."""

    roles = (Role.REVIEWER,)

    def get(self, request, pk, field):
        project = selectors.reviewer_assignment_get(user=request.user, pk=pk).project
        if field == "plan":
            return serve_upload(project.cooperation_plan, download_name=f"{project.title}-合作方案")
        if field == "qualification":
            return serve_upload(project.qualification_file, download_name=f"{project.title}-企业资质")
        if field == "core_ip_evidence":
            # the expert's core IP evidence is judged; the résumé (personal data) is not shared
            expert = project.expert
            return serve_upload(expert.core_ip_evidence, download_name=f"{expert.name}-成果证明")
        raise Http404


class ReviewConflictView(RoleRequiredMixin, View):
    roles = (Role.REVIEWER,)

    def post(self, request, pk):
        assignment = selectors.reviewer_assignment_get(user=request.user, pk=pk)
        form = ReasonForm(request.POST)
        form.is_valid()
        try:
            services.assignment_declare_conflict(
                assignment=assignment, by=request.user, reason=form.cleaned_data.get("reason", "")
            )
        except ERRORS as error:
            messages.error(request, str(error))
            return redirect("projects:review-sheet", assignment.pk)
        messages.success(request, _("已声明回避，该申请将由其他评审专家评审。"))
        return redirect("projects:review-list")
