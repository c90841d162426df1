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
from django.utils.translation import gettext_lazy
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


class ReviewerMixin(RoleRequiredMixin):
    """A reviewer's own sheet (review rounds here, award cycles in awards.views.reviews): `get_sheet(pk)`
    finds it among the reviewer's (anything else is a 404); `list_url` and `sheet_url` name the reviewer's
    list and the sheet's page; `errors`: the service's refusals."""

    roles = (Role.REVIEWER,)
    errors: tuple[type[Exception], ...] = ERRORS
    list_url = ""
    sheet_url = ""

    def get_sheet(self, pk):
        raise NotImplementedError


class ScoreSheetView(ReviewerMixin, View):
    """The score sheet: save a draft, or submit after a confirmation (each criterion and the total) because
    a submitted sheet is locked. A subclass gives `criteria(sheet)`, `opinion_required(sheet)`,
    `context(sheet, form)` (what is judged), `sheet_title(sheet)`, `save(sheet, **scores)` (the service,
    given by, points, comment and submit), `open_state` (the sheet's state while it may be scored),
    `list_label` (the breadcrumb) and `template_name`."""

    open_state = ""
    list_label = ""
    template_name = ""

    def criteria(self, sheet):
        raise NotImplementedError

    def opinion_required(self, sheet) -> bool:
        return True

    def context(self, sheet, form) -> dict:
        return {}

    def sheet_title(self, sheet) -> str:
        raise NotImplementedError

    def save(self, sheet, **scores) -> None:
        raise NotImplementedError

    def sheet_form(self, sheet, data=None, *, submit=False):
        criteria = list(self.criteria(sheet))
        opinion_required = self.opinion_required(sheet)
        if data is None:
            initial = {f"c{s.criterion_id}": s.points for s in sheet.scores.all()}
            initial["comment"] = sheet.comment
            return ScoreSheetForm(initial=initial, criteria=criteria, opinion_required=opinion_required)
        return ScoreSheetForm(data, criteria=criteria, submit=submit, opinion_required=opinion_required)

    def render_sheet(self, sheet, form=None):
        form = form or self.sheet_form(sheet)
        context = {
            "form": form,
            "running_total": sheet_total(form),
            "max_total": sum((c.max_points for c in form.criteria), Decimal("0")),
            "conflict_form": ReasonForm(),
            "locked": sheet.state != self.open_state,
            **self.context(sheet, form),
        }
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        return self.render_sheet(self.get_sheet(pk))

    def post(self, request, pk):
        sheet = self.get_sheet(pk)
        submit = request.POST.get("action") == "submit"
        form = self.sheet_form(sheet, request.POST, submit=submit)
        if form.is_valid() and request.POST.get("confirm_back"):
            # "返回修改" on the confirmation page: the sheet again, as typed, nothing written.
            return self.render_sheet(sheet, form)
        if form.is_valid():
            if submit and confirmation_required(request):
                url = reverse(self.sheet_url, args=[sheet.pk])
                title = self.sheet_title(sheet)
                return sheet_confirmation(
                    request,
                    form,
                    title=title,
                    sheet_url=url,
                    breadcrumbs=[(self.list_label, reverse(self.list_url)), (title, url)],
                )
            try:
                self.save(
                    sheet,
                    by=request.user,
                    points=form.points(),
                    comment=form.cleaned_data["comment"],
                    submit=submit,
                )
            except self.errors as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("评分已提交。") if submit else _("草稿已保存。"))
                return redirect(self.list_url) if submit else redirect(self.sheet_url, sheet.pk)
        return self.render_sheet(sheet, form)


class ConflictView(ReviewerMixin, View):
    """POST: the reviewer declares a conflict of interest on the sheet, with a reason; `declare(sheet,
    reason)` calls the service, `success_message` says so."""

    success_message = ""

    def declare(self, sheet, reason: str) -> None:
        raise NotImplementedError

    def post(self, request, pk):
        sheet = self.get_sheet(pk)
        form = ReasonForm(request.POST)
        form.is_valid()
        try:
            self.declare(sheet, form.cleaned_data.get("reason", ""))
        except self.errors as error:
            messages.error(request, str(error))
            return redirect(self.sheet_url, sheet.pk)
        messages.success(request, self.success_message)
        return redirect(self.list_url)


class AssignmentMixin:
    """The review rounds' sheet: the reviewer's assignment."""

    list_url = "projects:review-list"
    sheet_url = "projects:review-sheet"

    def get_sheet(self, pk):
        return selectors.reviewer_assignment_get(user=self.request.user, pk=pk)


class ReviewSheetView(AssignmentMixin, ScoreSheetView):
    """The reviewer's score sheet beside what is judged: the application, the expert's public profile and
    achievements, the attachments, the budget lines and the enterprise's demand; each criterion with what
    it judges and what a high or a low score means; the deadline; a running total. Submitting asks for
    confirmation (each criterion and the total) because a submitted sheet is locked."""

    template_name = "projects/review_sheet.html"
    open_state = AssignmentState.ASSIGNED
    list_label = gettext_lazy("我的评审任务")

    def criteria(self, assignment):
        return assignment.round.criteria.all()

    def opinion_required(self, assignment) -> bool:
        return assignment.round.opinion_required

    def sheet_title(self, assignment) -> str:
        return assignment.project.title

    def context(self, assignment, form) -> dict:
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
            "criterion_fields": [form[f"c{c.pk}"] for c in form.criteria],
            "deadline": assignment.round.deadline,
            "past_deadline": timezone.now() > assignment.round.deadline,
            "budget": [(label, getattr(project, name)) for name, label in BUDGET_LINES],
        }

    def save(self, assignment, **scores):
        services.assignment_save_scores(assignment=assignment, **scores)


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


class ReviewConflictView(AssignmentMixin, ConflictView):
    success_message = gettext_lazy("已声明回避，该申请将由其他评审专家评审。")

    def declare(self, assignment, reason):
        services.assignment_declare_conflict(assignment=assignment, by=self.request.user, reason=reason)
