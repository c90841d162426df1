"""The review rounds (commission staff): the list and its export, a new round, the round page with its
buttons — one view per action at its own URL (projects:round-assign, -open, -close, -decide, -letters) —
the letters' progress, the results, swapping a reviewer and resolving an objection to the notice."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.actions import RedirectActionView
from core.confirm import ConfirmRow, confirmation_page, confirmation_required
from core.exports import Column, XlsxExportMixin
from core.http import local_next
from core.sorting import sort_queryset
from credit.enums import DecisionPoint
from credit.overrides import posted_override
from credit.selectors import credit_alerts

from .. import exports, selectors, services
from ..enums import AssignmentState, RoundState
from ..forms import DecisionForm, ObjectionResolveForm, RoundForm, SwapForm
from ..models import Objection, Project, ReviewAssignment, ReviewRound
from .base import ERRORS, StaffMixin, WorkflowActionView


class RoundListView(XlsxExportMixin, StaffMixin, View):
    export_title = gettext_lazy("评审批次")
    export_filename = "review-rounds"
    export_columns = [
        Column(gettext_lazy("批次名称"), "name"),
        Column(gettext_lazy("项目数"), "n_projects"),
        Column(gettext_lazy("评审开始日期"), "period_start"),
        Column(gettext_lazy("评审结束日期"), "period_end"),
        Column(gettext_lazy("评分截止时间"), "deadline"),
        Column(gettext_lazy("每项申请评审专家人数"), "reviewers_per_application"),
        Column(gettext_lazy("立项分数线"), "pass_line"),
        Column(gettext_lazy("状态"), "state"),
    ]

    def get_queryset(self):
        qs, self.sort = sort_queryset(
            self.request.GET,
            selectors.round_list(),
            {"name": "name", "period": ("period_start", "period_end"), "deadline": "deadline"},
        )
        return qs

    def get(self, request):
        rounds = self.get_queryset()
        return render(request, "projects/round_list.html", {"rounds": rounds, "sort": self.sort})


class RoundCreateView(StaffMixin, View):
    def get(self, request):
        return render(request, "projects/round_form.html", {"form": RoundForm()})

    def post(self, request):
        form = RoundForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "rubric"}
            try:
                round = services.round_create(
                    by=request.user, data=data, criteria=form.cleaned_data["rubric"]
                )
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("评审批次已创建。"))
                return redirect("projects:round-detail", round.pk)
        return render(request, "projects/round_form.html", {"form": form})


class RoundDetailView(StaffMixin, View):
    def get(self, request, pk):
        round = get_object_or_404(ReviewRound, pk=pk)
        assignments = list(selectors.round_assignments(round))
        by_project: dict[int, list] = {}
        for a in assignments:
            by_project.setdefault(a.project_id, []).append(a)
        projects = list(round.projects.select_related("enterprise", "expert__institution").order_by("pk"))
        rows = [{"project": p, "assignments": by_project.get(p.pk, [])} for p in projects]
        results = services.round_results(round) if round.state != RoundState.DRAFT else []
        loads: dict[str, int] = {}
        for a in assignments:
            if a.is_active:
                loads[a.reviewer.name] = loads.get(a.reviewer.name, 0) + 1
        return render(
            request,
            "projects/round_detail.html",
            {
                "round": round,
                "rows": rows,
                "results": results,
                "criteria": round.criteria.all(),
                "leniency": services.reviewer_leniency(round) if round.state != RoundState.DRAFT else [],
                "loads": sorted(loads.items()),
                "swap_form": SwapForm(),
                "objections": Objection.objects.filter(project__round=round).select_related("project"),
                "resolve_form": ObjectionResolveForm(),
                "transitions": round.transitions.select_related("actor"),
                "decision_form": DecisionForm(),
                # 信用提示: active records of the reviewers in the pool (assignment never skips them)
                "credit_alerts": credit_alerts(reviewers=_pool_ids()),
            },
        )


def _pool_ids():
    from ..models import Reviewer

    return Reviewer.objects.filter(active=True).values_list("pk", flat=True)


class RoundActionView(StaffMixin, WorkflowActionView):
    """A button of the round page (staff): its service's refusal comes back as a message on the page."""

    detail_url_name = "projects:round-detail"

    def get_object(self):
        self.round = get_object_or_404(ReviewRound, pk=self.kwargs["pk"])
        return self.round


class RoundAssignView(RoundActionView):
    """Assign reviewers to every application of the round (no conflicts of interest, balanced load);
    reviewers with active credit records only with a reason (credit.services.credit_override)."""

    def act(self, obj, form):
        request, round = self.request, self.round
        with transaction.atomic():
            result = services.round_assign(round=round, by=request.user)
            posted_override(
                request,
                decision=DecisionPoint.REVIEWER_ASSIGNMENT,
                target=round,
                reviewers=round.assignments.filter(state=AssignmentState.ASSIGNED).values_list(
                    "reviewer_id", flat=True
                ),
            )
        if result.short:
            titles = dict(Project.objects.filter(pk__in=result.short).values_list("pk", "title"))
            messages.warning(
                request,
                _("以下申请没有足够的无利益冲突评审专家：%(list)s")
                % {"list": "；".join(f"{titles[k]}（缺 {v} 人）" for k, v in result.short.items())},
            )
        messages.success(
            request,
            _("已分配 %(n)d 人次，评审专家工作量差 %(s)d。") % {"n": len(result.pairs()), "s": result.spread},
        )


class RoundOpenView(RoundActionView):
    success_message = gettext_lazy("评审已开始，已通知评审专家。")

    def act(self, obj, form):
        services.round_open(round=self.round, by=self.request.user)


class RoundCloseView(RoundActionView):
    success_message = gettext_lazy("评审已结束，得分和排名已生成。")

    def act(self, obj, form):
        services.round_close(round=self.round, by=self.request.user)


class RoundDecideView(RoundActionView):
    success_message = gettext_lazy("立项结果已发布。")

    def act(self, obj, form):
        services.round_decide(round=self.round, by=self.request.user)


class RoundLettersView(RoundActionView):
    """Generate (or again) the letters of every appointed project of a decided round, in the background,
    after a confirmation page (the first POST writes nothing)."""

    success_message = gettext_lazy("聘书生成任务已启动。")

    def act(self, obj, form):
        round = self.round
        if round.state == RoundState.DECIDED and confirmation_required(self.request):
            return _letters_confirmation(self.request, round)
        from ..tasks import dispatch as run_task
        from ..tasks import round_letters_task

        ReviewRound.objects.filter(pk=round.pk).update(
            letters_started_at=timezone.now(), letters_finished_at=None, letters_done=0
        )
        run_task(round_letters_task, round.pk, self.request.user.pk)
        return None


def _letters_confirmation(request, round):
    from ..models import Appointment

    n = Appointment.objects.filter(project__round=round).count()
    detail = reverse("projects:round-detail", args=[round.pk])
    return confirmation_page(
        request,
        title=_("确认批量生成聘书"),
        question=_(
            "将为本批次已聘任的项目生成（或重新生成）带编号和验证二维码的聘书（每项两份）。确认生成？"
        ),
        rows=[ConfirmRow(_("评审批次"), round.name), ConfirmRow(_("已聘任项目"), _("%(n)d 个") % {"n": n})],
        button=_("确认生成"),
        cancel_url=detail,
        breadcrumbs=[(_("评审批次"), reverse("projects:round-list")), (round.name, detail)],
    )


class RoundLettersProgressView(StaffMixin, View):
    def get(self, request, pk):
        round = get_object_or_404(ReviewRound, pk=pk)
        return JsonResponse(
            {
                "total": round.letters_total,
                "done": round.letters_done,
                "finished": round.letters_finished_at is not None,
                "error": round.letters_error,
            }
        )


class AssignmentSwapView(StaffMixin, View):
    def post(self, request, pk):
        assignment = get_object_or_404(ReviewAssignment.objects.select_related("round", "reviewer"), pk=pk)
        form = SwapForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    new = services.assignment_swap(
                        assignment=assignment,
                        reviewer=form.cleaned_data["reviewer"],
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                    posted_override(
                        request,
                        decision=DecisionPoint.REVIEWER_ASSIGNMENT,
                        target=new,
                        reviewers=[new.reviewer_id],
                    )
                messages.success(request, _("已调换评审专家。"))
            except ERRORS as error:
                messages.error(request, str(error))
        else:
            messages.error(request, _("请选择替换的评审专家。"))
        return redirect("projects:round-detail", assignment.round_id)


class RoundResultsExportView(StaffMixin, View):
    def get(self, request, pk, fmt):
        round = get_object_or_404(ReviewRound, pk=pk)
        if round.state == RoundState.DRAFT:
            raise Http404
        if fmt == "xlsx":
            content = exports.results_xlsx(round)
            response = HttpResponse(content, content_type=exports.XLSX)
            response["Content-Disposition"] = f'attachment; filename="round-{round.pk}-results.xlsx"'
            return response
        if fmt == "pdf":
            response = HttpResponse(exports.results_pdf(round), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="round-{round.pk}-results.pdf"'
            return response
        raise Http404


class ObjectionResolveView(StaffMixin, RedirectActionView):
    form_class = ObjectionResolveForm
    invalid_message = gettext_lazy("请选择处理结果并填写处理意见。")
    refusals = ERRORS
    success_message = gettext_lazy("异议已处理。")

    def get_object(self):
        return get_object_or_404(Objection.objects.select_related("project"), pk=self.kwargs["pk"])

    def act(self, objection, form):
        data = form.cleaned_data
        services.objection_resolve(
            objection=objection, by=self.request.user, upheld=data["upheld"], resolution=data["resolution"]
        )

    def success_url(self, objection):
        back = reverse("projects:round-detail", args=[objection.project.round_id])
        return local_next(self.request, default=back)
