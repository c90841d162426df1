"""HTTP for cooperation projects: parse, check permission (querysets filtered by what the user may see, so
a foreign record is a 404), call one service or selector, render."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.enums import Role
from core.confirm import ConfirmRow, confirmation_page, confirmation_required
from core.exports import Column, XlsxExportMixin
from core.http import int_params
from core.sorting import sort_queryset
from core.uploads import serve_upload
from core.workflow import TransitionError
from credit.enums import DecisionPoint
from credit.exceptions import CreditError
from credit.selectors import credit_alerts
from credit.services import credit_override
from enterprises.enums import IntentState
from enterprises.models import Intent

from . import exports, selectors, services
from .enums import BUDGET_LINES, AssignmentState, ProjectState, RoundState
from .exceptions import ProjectError
from .forms import (
    AcceptForm,
    AgreementForm,
    AppointForm,
    DecisionForm,
    FilingForm,
    ObjectionForm,
    ObjectionResolveForm,
    ProjectForm,
    ReasonForm,
    RoundForm,
    ScoreSheetForm,
    SwapForm,
)
from .models import Objection, Project, ReviewAssignment, ReviewRound
from .rules import is_enterprise_member

ERRORS = (ProjectError, TransitionError, CreditError)


class RoleRequiredMixin(LoginRequiredMixin):
    """Logged-in users holding one of `roles`; anybody else gets a 404 (SPEC §2)."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.roles and not request.user.has_role(*self.roles):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class StaffMixin(RoleRequiredMixin):
    roles = (Role.COMMISSION,)


def _detail(project) -> str:
    return reverse("projects:project-detail", args=[project.pk])


# --- projects ----------------------------------------------------------------------------------------


# The columns the project list sorts by (`?o=`, core.sorting).
PROJECT_SORTS = {
    "title": "title",
    "enterprise": "enterprise__name",
    "expert": "expert__name",
    "round": "round__name",
    "funds": "total_funds",
}


class ProjectListView(XlsxExportMixin, RoleRequiredMixin, View):
    roles = (Role.COMMISSION, Role.ENTERPRISE, Role.EXPERT, Role.TALENT_OFFICE)
    export_title = gettext_lazy("合作项目")
    export_filename = "projects"
    all_export_columns = [
        Column(gettext_lazy("项目名称"), "title"),
        Column(gettext_lazy("申报企业"), "enterprise.name"),
        Column(gettext_lazy("专家"), "expert.name"),
        Column(gettext_lazy("推荐单位"), "expert.institution.name"),
        Column(gettext_lazy("技术领域"), "technical_field"),
        Column(gettext_lazy("项目总经费（元）"), "total_funds"),
        Column(gettext_lazy("核定项目经费（元）"), "approved_funding"),
        Column(gettext_lazy("状态"), "state"),
        Column(gettext_lazy("评审批次"), "round.name"),
        Column(gettext_lazy("评审得分"), "review_score"),
        Column(gettext_lazy("提交时间"), "submitted_at"),
    ]

    @property
    def export_columns(self):
        """The review score is the commission's (the project page shows it to staff only): the other
        roles' export leaves it out."""
        if self.request.user.has_role(Role.COMMISSION):
            return self.all_export_columns
        return [c for c in self.all_export_columns if c.value != "review_score"]

    def get_queryset(self):
        request = self.request
        state = request.GET.get("state", "")
        search = request.GET.get("q", "").strip()
        round_id = request.GET.get("round", "")
        qs = selectors.project_list(
            user=request.user,
            state=state if state in ProjectState.values else None,
            search=search,
            round_id=int(round_id) if round_id.isdigit() else None,
        )
        year = request.GET.get("year", "")
        if year.isdigit():  # the dashboard's funnel: projects submitted (申报) in that year
            qs = qs.filter(submitted_at__year=int(year))
        qs, self.sort = sort_queryset(request.GET, qs, PROJECT_SORTS)
        return qs

    def get(self, request):
        state = request.GET.get("state", "")
        search = request.GET.get("q", "").strip()
        qs = self.get_queryset()
        page = Paginator(qs, 20).get_page(request.GET.get("page"))
        intents = []
        if request.user.has_role(Role.ENTERPRISE):
            membership = getattr(request.user, "enterprise_membership", None)
            if membership is not None:
                intents = list(
                    Intent.objects.filter(
                        demand__enterprise_id=membership.enterprise_id, state=IntentState.ACCEPTED
                    )
                    .exclude(projects__isnull=False)
                    .select_related("expert", "demand")[:20]
                )
        params = request.GET.copy()
        params.pop("page", None)
        return render(
            request,
            "projects/project_list.html",
            {
                "page_obj": page,
                "projects": page.object_list,
                "states": ProjectState.choices,
                "state": state,
                "q": search,
                "intents": intents,
                "sort": self.sort,
                "query_string": params.urlencode(),
            },
        )


class ProjectCreateView(RoleRequiredMixin, View):
    roles = (Role.ENTERPRISE,)

    def _intent(self, request, intent_id):
        membership = getattr(request.user, "enterprise_membership", None)
        if membership is None:
            raise Http404
        return get_object_or_404(
            Intent.objects.select_related("demand", "expert"),
            pk=intent_id,
            demand__enterprise_id=membership.enterprise_id,
            state=IntentState.ACCEPTED,
        )

    def get(self, request, intent_id):
        intent = self._intent(request, intent_id)
        form = ProjectForm(
            initial={
                "title": intent.demand.title,
                "technical_field": intent.demand.technical_field,
                "position": intent.demand.position,
            }
        )
        return render(request, "projects/project_form.html", {"form": form, "intent": intent})

    def post(self, request, intent_id):
        intent = self._intent(request, intent_id)
        form = ProjectForm(request.POST, request.FILES)
        if form.is_valid():
            data = {
                k: v
                for k, v in form.cleaned_data.items()
                if k not in ("cooperation_plan", "qualification_file")
            }
            files = {k: form.cleaned_data.get(k) for k in ("cooperation_plan", "qualification_file")}
            try:
                project = services.project_create(intent=intent, by=request.user, data=data, files=files)
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("项目已保存为草稿，请通知专家确认后提交。"))
                return redirect(_detail(project))
        return render(request, "projects/project_form.html", {"form": form, "intent": intent})


class ProjectUpdateView(RoleRequiredMixin, View):
    roles = (Role.ENTERPRISE,)

    def _project(self, request, pk):
        project = selectors.project_get(user=request.user, pk=pk)
        if not request.user.has_perm("projects.change_project", project):
            raise Http404
        return project

    def get(self, request, pk):
        project = self._project(request, pk)
        return render(
            request, "projects/project_form.html", {"form": ProjectForm(instance=project), "project": project}
        )

    def post(self, request, pk):
        project = self._project(request, pk)
        form = ProjectForm(request.POST, request.FILES, instance=Project.objects.get(pk=project.pk))
        if form.is_valid():
            data = {
                k: v
                for k, v in form.cleaned_data.items()
                if k not in ("cooperation_plan", "qualification_file")
            }
            files = {k: request.FILES.get(k) for k in ("cooperation_plan", "qualification_file")}
            try:
                services.project_update(project=project, by=request.user, data=data, files=files)
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("修改已保存。"))
                return redirect(_detail(project))
        return render(request, "projects/project_form.html", {"form": form, "project": project})


FILING_STATES = (ProjectState.APPROVED, ProjectState.NOTICED)


def _appoint_form(project) -> AppointForm:
    """The appointment form: the start date, pre-filled with the requested start but never earlier than
    the record-filing and signing dates; its help names the earliest date and the policy's term length."""
    earliest = services.appointment_earliest_start(project)
    initial = project.requested_start
    if earliest is not None and (initial is None or initial < earliest):
        initial = earliest
    try:
        months = services.appointment_term_months()
    except ProjectError:
        months = None
    return AppointForm(initial={"start_date": initial}, earliest=earliest, months=months)


class ProjectDetailView(RoleRequiredMixin, View):
    roles = (Role.COMMISSION, Role.ENTERPRISE, Role.EXPERT, Role.TALENT_OFFICE)

    def get(self, request, pk, filing_form=None):
        project = selectors.project_get(user=request.user, pk=pk)
        user = request.user
        is_staff = user.has_role(Role.COMMISSION)
        # the talent office records the filing on the project's own page (issue 16: from its work list)
        if filing_form is None and user.has_role(Role.TALENT_OFFICE) and project.state in FILING_STATES:
            filing_form = FilingForm(initial={"filed_on": timezone.localdate()})
        context = {
            "project": project,
            "transitions": project.transitions.select_related("actor"),
            "budget": [(label, getattr(project, name)) for name, label in BUDGET_LINES],
            "expected_subsidy": ProjectForm(instance=project).expected_subsidy(),
            "can_edit": user.has_perm("projects.change_project", project),
            "can_confirm": user.has_perm("projects.confirm_project", project),
            "is_staff": is_staff,
            "accept_form": AcceptForm() if is_staff and project.state == ProjectState.SUBMITTED else None,
            "reason_form": ReasonForm(),
            "decision_form": DecisionForm(
                initial={
                    "approved_funding": project.total_funds,
                    "social_science": "1" if project.social_science else "0",
                }
            )
            if is_staff
            and project.state == ProjectState.REVIEWED
            and project.round
            and project.round.state == RoundState.CLOSED
            else None,
            "agreement_form": AgreementForm()
            if project.state == ProjectState.FILED and (is_staff or is_enterprise_member(user, project))
            else None,
            "appoint_form": _appoint_form(project)
            if is_staff and project.state == ProjectState.AGREEMENT_SIGNED
            else None,
            "objections": project.objections.all() if is_staff else (),
            "resolve_form": ObjectionResolveForm(),
            "appointment": getattr(project, "appointment", None)
            if project.state in (ProjectState.APPOINTED, ProjectState.COMPLETED, ProjectState.TERMINATED)
            else None,
            "last_return": project.transitions.filter(to_state=ProjectState.RETURNED).last(),
            "filing_form": filing_form,
            # 信用提示 beside the filing form (the talent office decides)
            "credit_alerts": credit_alerts(experts=[project.expert_id], enterprises=[project.enterprise_id])
            if filing_form is not None
            else None,
        }
        if context["appointment"] is not None:
            from .letters import appointment_letters

            context["letters"] = appointment_letters(context["appointment"])
        return render(request, "projects/project_detail.html", context)


class ProjectActionView(RoleRequiredMixin, View):
    """POST-only workflow buttons on the project page: confirm, submit, return, accept, decide, agreement,
    appoint. Each calls one service; errors come back as a message, nothing changed."""

    roles = (Role.COMMISSION, Role.ENTERPRISE, Role.EXPERT)

    def post(self, request, pk, action):
        project = selectors.project_get(user=request.user, pk=pk)
        user = request.user
        try:
            if action == "confirm":
                services.project_confirm(project=project, by=user)
                messages.success(request, _("已确认申报内容。"))
            elif action == "submit":
                services.project_submit(project=project, by=user)
                messages.success(request, _("项目已提交形式审查。"))
            elif action == "return":
                form = ReasonForm(request.POST)
                form.is_valid()
                services.project_return(project=project, by=user, reason=form.cleaned_data.get("reason", ""))
                messages.success(request, _("已退回企业修改。"))
            elif action == "accept":
                form = AcceptForm(request.POST)
                if not form.is_valid():
                    raise ProjectError(_("请选择评审批次。"))
                services.project_accept(project=project, round=form.cleaned_data["round"], by=user)
                messages.success(request, _("已受理并加入评审批次。"))
            elif action == "decide":
                form = DecisionForm(request.POST)
                if not form.is_valid():
                    raise ProjectError(_("请选择立项决定并检查核定经费。"))
                services.project_decide(
                    project=project,
                    by=user,
                    approve=form.cleaned_data["approve"],
                    reason=form.cleaned_data["reason"],
                    approved_funding=form.cleaned_data["approved_funding"],
                    social_science=form.cleaned_data["social_science"],
                )
                messages.success(request, _("立项决定已记录。"))
            elif action == "agreement":
                form = AgreementForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise ProjectError("；".join(e for errors in form.errors.values() for e in errors))
                services.agreement_upload(
                    project=project,
                    by=user,
                    file=form.cleaned_data["file"],
                    signed_on=form.cleaned_data["signed_on"],
                )
                messages.success(request, _("合作协议已上传。"))
            elif action == "appoint":
                form = AppointForm(request.POST)
                if not form.is_valid():
                    raise ProjectError(_("请填写有效的聘期开始日期。"))
                if project.state == ProjectState.AGREEMENT_SIGNED and confirmation_required(request):
                    return _appoint_confirmation(request, project, form)
                services.appointment_create(
                    project=project, by=user, start_date=form.cleaned_data["start_date"]
                )
                messages.success(request, _("已聘任，聘书正在生成。"))
            else:
                raise Http404
        except ERRORS as error:
            messages.error(request, str(error))
        return redirect(_detail(project))


def _appoint_confirmation(request, project, form):
    """Appointing starts the term and issues both letters (聘书): shown once more before it happens."""
    from .policy import term_end

    start = form.cleaned_data["start_date"]
    try:  # the policy version's term length, as appointment_create will use it
        months = services.appointment_term_months()
        end = term_end(start, months).isoformat()
    except (*ERRORS, ValueError):  # the service refuses with its own message after confirmation
        months, end = "—", "—"
    detail = _detail(project)
    return confirmation_page(
        request,
        title=_("确认聘任并签发聘书"),
        question=_("聘任后服务期开始计算，系统将签发科技副总聘书和企业任职聘书，不能撤销。确认聘任？"),
        rows=[
            ConfirmRow(_("合作项目"), project.title),
            ConfirmRow(_("专家"), project.expert.name),
            ConfirmRow(_("企业"), project.enterprise.name),
            ConfirmRow(_("聘期"), f"{start.isoformat()} — {end}（{months} {_('个月')}）", strong=True),
        ],
        button=_("确认聘任"),
        cancel_url=detail,
        breadcrumbs=[(_("合作项目"), reverse("projects:project-list")), (project.title, detail)],
    )


class ProjectFileView(RoleRequiredMixin, View):
    """Attachments of a project (cooperation plan, qualifications, agreement) behind the same access rule."""

    roles = (Role.COMMISSION, Role.ENTERPRISE, Role.EXPERT, Role.TALENT_OFFICE)

    def get(self, request, pk, field):
        project = selectors.project_get(user=request.user, pk=pk)
        if field == "plan":
            return serve_upload(project.cooperation_plan, download_name=f"{project.title}-合作方案")
        if field == "qualification":
            return serve_upload(project.qualification_file, download_name=f"{project.title}-企业资质")
        if field == "agreement" and hasattr(project, "agreement"):
            return serve_upload(project.agreement.file, download_name=f"{project.title}-合作协议")
        raise Http404


class LetterDownloadView(RoleRequiredMixin, View):
    roles = (Role.COMMISSION, Role.ENTERPRISE, Role.EXPERT, Role.TALENT_OFFICE)

    def get(self, request, pk, kind):
        from .letters import appointment_letters

        project = selectors.project_get(user=request.user, pk=pk)
        appointment = getattr(project, "appointment", None)
        if appointment is None:
            raise Http404
        doc = next((d for d in appointment_letters(appointment) if d.kind == kind), None)
        if doc is None:
            raise Http404
        response = HttpResponse(doc.open(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{doc.serial}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


# --- review rounds (staff) ----------------------------------------------------------------------------


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
    from .models import Reviewer

    return Reviewer.objects.filter(active=True).values_list("pk", flat=True)


class RoundActionView(StaffMixin, View):
    def post(self, request, pk, action):
        round = get_object_or_404(ReviewRound, pk=pk)
        try:
            if action == "assign":
                with transaction.atomic():
                    result = services.round_assign(round=round, by=request.user)
                    credit_override(
                        decision=DecisionPoint.REVIEWER_ASSIGNMENT, target=round, by=request.user,
                        reason=request.POST.get("credit_reason", ""),
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
                    _("已分配 %(n)d 人次，评审专家工作量差 %(s)d。")
                    % {"n": len(result.pairs()), "s": result.spread},
                )
            elif action == "open":
                services.round_open(round=round, by=request.user)
                messages.success(request, _("评审已开始，已通知评审专家。"))
            elif action == "close":
                services.round_close(round=round, by=request.user)
                messages.success(request, _("评审已结束，得分和排名已生成。"))
            elif action == "decide":
                services.round_decide(round=round, by=request.user)
                messages.success(request, _("立项结果已发布。"))
            elif action == "letters":
                if round.state == RoundState.DECIDED and confirmation_required(request):
                    return _letters_confirmation(request, round)
                from .tasks import dispatch as run_task
                from .tasks import round_letters_task

                ReviewRound.objects.filter(pk=round.pk).update(
                    letters_started_at=timezone.now(), letters_finished_at=None, letters_done=0
                )
                run_task(round_letters_task, round.pk, request.user.pk)
                messages.success(request, _("聘书生成任务已启动。"))
            else:
                raise Http404
        except ERRORS as error:
            messages.error(request, str(error))
        return redirect("projects:round-detail", round.pk)


def _letters_confirmation(request, round):
    from .models import Appointment

    n = Appointment.objects.filter(project__round=round).count()
    detail = reverse("projects:round-detail", args=[round.pk])
    return confirmation_page(
        request,
        title=_("确认批量生成聘书"),
        question=_("将为本批次已聘任的项目生成（或重新生成）带编号和验证二维码的聘书（每项两份）。确认生成？"),
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
                    credit_override(
                        decision=DecisionPoint.REVIEWER_ASSIGNMENT, target=new, by=request.user,
                        reason=request.POST.get("credit_reason", ""), reviewers=[new.reviewer_id],
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


class ObjectionResolveView(StaffMixin, View):
    def post(self, request, pk):
        objection = get_object_or_404(Objection.objects.select_related("project"), pk=pk)
        form = ObjectionResolveForm(request.POST)
        if form.is_valid():
            try:
                services.objection_resolve(
                    objection=objection,
                    by=request.user,
                    upheld=form.cleaned_data["upheld"],
                    resolution=form.cleaned_data["resolution"],
                )
                messages.success(request, _("异议已处理。"))
            except ERRORS as error:
                messages.error(request, str(error))
        else:
            messages.error(request, _("请选择处理结果并填写处理意见。"))
        return redirect(
            request.POST.get("next") or reverse("projects:round-detail", args=[objection.project.round_id])
        )


# --- reviewers ----------------------------------------------------------------------------------------


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
        return ScoreSheetForm(
            data, criteria=criteria, submit=submit, opinion_required=round.opinion_required
        )

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


# --- talent office ------------------------------------------------------------------------------------


class FilingListView(RoleRequiredMixin, View):
    roles = (Role.TALENT_OFFICE,)

    def get(self, request, form=None):
        candidates = selectors.filing_candidates()
        return render(
            request,
            "projects/filing_list.html",
            {
                "candidates": candidates,
                # 信用提示: active records of the candidates' experts and enterprises
                "credit_alerts": credit_alerts(
                    experts=candidates.values_list("expert_id", flat=True),
                    enterprises=candidates.values_list("enterprise_id", flat=True),
                ),
                "form": form or FilingForm(),
                "filed": selectors.project_list(user=request.user)
                .filter(filing__isnull=False)
                .select_related("filing")[:50],
                "today": timezone.localdate(),
            },
        )

    def post(self, request):
        form = FilingForm(request.POST)
        ids = int_params(request.POST.getlist("projects"))
        # sent from one project's page: back to that page, with the form and its errors on failure
        from_project = ids[0] if request.POST.get("from") == "project" and len(ids) == 1 else None
        if form.is_valid():
            projects = list(selectors.filing_candidates().filter(pk__in=ids))
            try:
                with transaction.atomic():
                    for project in projects:
                        credit_override(
                            decision=DecisionPoint.PROJECT_FILING, target=project, by=request.user,
                            reason=request.POST.get("credit_reason", ""),
                            experts=[project.expert_id], enterprises=[project.enterprise_id],
                        )
                    services.filing_record(
                        projects=projects,
                        by=request.user,
                        number=form.cleaned_data["number"],
                        filed_on=form.cleaned_data["filed_on"],
                    )
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已备案 %(n)d 个项目。") % {"n": len(projects)})
                if from_project is not None:
                    return redirect("projects:project-detail", pk=from_project)
                return redirect("projects:filing-list")
        if from_project is not None:
            view = ProjectDetailView()
            view.setup(request, pk=from_project)
            return view.get(request, from_project, filing_form=form)
        return self.get(request, form=form)


# --- public notice ------------------------------------------------------------------------------------


class NoticeView(View):
    """The public notice page (公示): approved projects of rounds whose notice is running. No login."""

    def get(self, request, form=None, done=False):
        today = timezone.localdate()
        projects = [
            p for p in selectors.noticed_projects() if p.round.notice_start <= today <= p.round.notice_end
        ]
        return render(
            request,
            "projects/notice.html",
            {
                "projects": projects,
                "form": form or ObjectionForm(),
                "done": done,
                "selected": request.POST.get("project"),
            },
        )

    def post(self, request):
        form = ObjectionForm(request.POST)
        project = Project.objects.filter(
            pk=request.POST.get("project") or 0, state=ProjectState.NOTICED
        ).first()
        if form.is_valid():
            if project is None:
                form.add_error(None, _("请选择公示中的项目。"))
            else:
                try:
                    services.objection_create(
                        project=project,
                        name=form.cleaned_data["name"],
                        contact=form.cleaned_data["contact"],
                        content=form.cleaned_data["content"],
                    )
                except ERRORS as error:
                    form.add_error(None, str(error))
                else:
                    return self.get(request, done=True)
        return self.get(request, form=form)
