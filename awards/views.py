"""HTTP of the annual awards: parse, check the role (querysets filtered by what the user may see, so a
foreign record is a 404), call one service or selector, render."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.enums import Role
from core.audit import audit
from core.confirm import ConfirmRow, confirmation_page, confirmation_required, money_rows
from core.documents import document_current
from core.exports import xlsx_bytes
from core.http import client_ip
from core.models import DocumentKind
from core.uploads import serve_upload
from core.workflow import TransitionError
from credit.enums import DecisionPoint
from credit.exceptions import CreditError
from credit.selectors import credit_alerts
from credit.services import credit_override
from projects.models import Project
from projects.views import RoleRequiredMixin, StaffMixin, sheet_confirmation, sheet_total

from . import selectors, services
from .enums import EDITABLE_STATES, ApplicationState, CycleState, PrizeLevel, SheetState
from .exceptions import AwardError
from .forms import ApplicationForm, CycleForm, DecisionForm, ReasonForm, RubricForm, ScoreSheetForm
from .models import Award, AwardCycle

ERRORS = (AwardError, TransitionError, CreditError)


def _cycle(pk) -> AwardCycle:
    return get_object_or_404(AwardCycle.objects.select_related("policy_version"), pk=pk)


# --- index (staff: cycles; enterprise / expert: open cycles and own applications) -----------------------


class IndexView(RoleRequiredMixin, View):
    roles = (Role.COMMISSION, Role.ENTERPRISE, Role.EXPERT)

    def get(self, request):
        user = request.user
        ctx = {
            "is_staff": user.has_role(Role.COMMISSION),
            "cycles": selectors.cycle_list() if user.has_role(Role.COMMISSION) else [],
            "applications": selectors.application_list(user=user).order_by("-cycle__year", "pk")[:50],
            "open_cycles": [],
        }
        if user.has_role(Role.ENTERPRISE):
            ctx["open_cycles"] = [
                (c, selectors.eligible_projects(user=user, cycle=c)) for c in selectors.open_cycles()
            ]
        return render(request, "awards/index.html", ctx)


# --- staff: cycles --------------------------------------------------------------------------------------


class CycleCreateView(StaffMixin, View):
    def get(self, request, form=None):
        return render(request, "awards/cycle_form.html", {"form": form or CycleForm()})

    def post(self, request):
        form = CycleForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "year"}
            try:
                cycle = services.cycle_create(by=request.user, year=form.cleaned_data["year"], data=data)
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("年度评选已创建，请核对评审指标后开始申报。"))
                return redirect("awards:cycle-detail", cycle.pk)
        return self.get(request, form=form)


class CycleUpdateView(StaffMixin, View):
    def _render(self, request, cycle, form=None, rubric_form=None):
        rubric = "\n".join(f"{c.name} {c.max_points:g}" for c in cycle.criteria.all())
        return render(
            request,
            "awards/cycle_form.html",
            {
                "cycle": cycle,
                "form": form or CycleForm(instance=cycle),
                "rubric_form": rubric_form or RubricForm(initial={"rubric": rubric}),
            },
        )

    def get(self, request, pk):
        return self._render(request, _cycle(pk))

    def post(self, request, pk):
        cycle = _cycle(pk)
        if "rubric" in request.POST:
            rubric_form = RubricForm(request.POST)
            if rubric_form.is_valid():
                try:
                    services.rubric_set(
                        cycle=cycle, by=request.user, criteria=rubric_form.cleaned_data["rubric"]
                    )
                except ERRORS as error:
                    rubric_form.add_error(None, str(error))
                else:
                    messages.success(request, _("评审指标已保存。"))
                    return redirect("awards:cycle-detail", cycle.pk)
            return self._render(request, cycle, rubric_form=rubric_form)
        form = CycleForm(request.POST, instance=AwardCycle.objects.get(pk=cycle.pk))
        if form.is_valid():
            try:
                services.cycle_update(cycle=cycle, by=request.user, data=form.cleaned_data)
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("评选设置已保存。"))
                return redirect("awards:cycle-detail", cycle.pk)
        return self._render(request, cycle, form=form)


class CycleDetailView(StaffMixin, View):
    def get(self, request, pk):
        cycle = _cycle(pk)
        applications = list(
            selectors.application_list(user=request.user, cycle=cycle)
            .prefetch_related("sheets__reviewer")
            .order_by("rank", "pk")
        )
        results = selectors.cycle_results(cycle) if cycle.state == CycleState.REVIEW else []
        return render(
            request,
            "awards/cycle_detail.html",
            {
                "cycle": cycle,
                "criteria": list(cycle.criteria.all()),
                "applications": applications,
                "results": results,
                "candidates": selectors.nomination_candidates(cycle)
                if cycle.state == CycleState.OPEN
                else [],
                "awards": list(
                    cycle.awards.select_related("expert", "payment__batch", "application__project")
                ),
                "transitions": cycle.transitions.select_related("actor"),
                "amounts": cycle.amounts,
            },
        )


CYCLE_ACTIONS = {
    "open": (lambda c, u, p: services.cycle_open(cycle=c, by=u), _("已开始接受申报。")),
    "review": (lambda c, u, p: services.cycle_review_start(cycle=c, by=u), _("申报已截止，评审专家已分配。")),
    "assign": (lambda c, u, p: services.cycle_assign(cycle=c, by=u), _("已补充分配评审专家。")),
    "close": (lambda c, u, p: services.cycle_close(cycle=c, by=u), _("评审已结束，得分与排名已计算。")),
    "approve": (
        lambda c, u, p: services.cycle_approve(cycle=c, by=u, override_reason=p.get("override_reason", "")),
        _("评选结果已审定，奖金已占用预算并生成付款。"),
    ),
    "publish": (
        lambda c, u, p: services.cycle_publish(cycle=c, by=u),
        _("评选结果已公布，获奖证书正在生成。"),
    ),
    "batch": (
        lambda c, u, p: services.cycle_payment_batch(cycle=c, by=u),
        _("已生成奖金支付批次，请提交财政审核。"),
    ),
    "certificates": (lambda c, u, p: services.certificates_issue(cycle=c, by=u), _("获奖证书已生成。")),
}


#: Irreversible cycle actions asked once more: publishing the results (and issuing the certificates with
#: them), issuing the certificates again.
CONFIRMED_CYCLE_ACTIONS = {"publish": CycleState.DECIDED, "certificates": CycleState.PUBLISHED}


def _cycle_confirmation(request, cycle, action):
    """The confirmation page of publishing / issuing certificates; None when the cycle is not in the state
    the action needs (the service then refuses it with its own message)."""
    if cycle.state != CONFIRMED_CYCLE_ACTIONS[action]:
        return None
    awards = list(cycle.awards.select_related("expert").order_by("level", "id"))
    total = sum((a.amount for a in awards), Decimal("0"))
    rows = [ConfirmRow(_("年度评选"), cycle.title)]
    for level, label in PrizeLevel.choices:
        names = [a.expert.name for a in awards if a.level == level]
        if names:
            rows.append(ConfirmRow(f"{label}（{len(names)}）", "、".join(names)))
    rows += [ConfirmRow(_("获奖证书"), _("%(n)d 份") % {"n": len(awards)}), *money_rows(_("奖金合计"), total)]
    detail = reverse("awards:cycle-detail", args=[cycle.pk])
    if action == "publish":
        title, button = _("确认公布获奖名单"), _("确认公布")
        question = _("公布后获奖名单向社会公开、通知获奖专家并生成获奖证书，不能撤回。确认公布？")
    else:
        title, button = _("确认生成获奖证书"), _("确认生成")
        question = _("将为以下获奖项目生成（或重新生成）带编号和验证二维码的获奖证书。确认生成？")
    return confirmation_page(
        request,
        title=title,
        question=question,
        rows=rows,
        button=button,
        cancel_url=detail,
        breadcrumbs=[(cycle.title, detail)],
    )


class CycleActionView(StaffMixin, View):
    def post(self, request, pk, action):
        cycle = _cycle(pk)
        if action not in CYCLE_ACTIONS:
            raise Http404
        call, done = CYCLE_ACTIONS[action]
        if action in CONFIRMED_CYCLE_ACTIONS and confirmation_required(request):
            page = _cycle_confirmation(request, cycle, action)
            if page is not None:
                return page
        try:
            result = call(cycle, request.user, request.POST)
        except ERRORS as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
            short = getattr(result, "short", None)
            if short:
                messages.warning(
                    request,
                    _("%(n)d项申报的无利益冲突评审专家不足，请补充评审专家库后重新分配。")
                    % {"n": len(short)},
                )
        return redirect("awards:cycle-detail", cycle.pk)


class DecisionView(StaffMixin, View):
    """Prize levels within the quotas; a tie at a quota line is shown and must be chosen explicitly."""

    def _render(self, request, cycle, form=None):
        applications, tie = selectors.decision_rows(cycle)
        form = form or DecisionForm(applications=applications, initial={"reason": cycle.decision_reason})
        return render(
            request,
            "awards/decision.html",
            {
                "cycle": cycle,
                "form": form,
                "rows": form.bound_rows(),
                "tie": tie,
                "editable": cycle.state == CycleState.CLOSED,
                # 信用提示: active records of the applications' experts and enterprises
                "credit_alerts": credit_alerts(
                    experts=[a.expert_id for a in applications],
                    enterprises=[a.enterprise_id for a in applications],
                ),
                "quotas": [
                    (label, cycle.quotas[level])
                    for level, label in ((1, _("一等奖")), (2, _("二等奖")), (3, _("三等奖")))
                ],
            },
        )

    def get(self, request, pk):
        return self._render(request, _cycle(pk))

    def post(self, request, pk):
        cycle = _cycle(pk)
        if request.POST.get("action") == "autofill":
            try:
                services.decision_autofill(cycle=cycle, by=request.user)
            except ERRORS as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("已按排名和名额生成评定建议，请核对后保存。"))
            return redirect("awards:decision", cycle.pk)
        applications, _tie = selectors.decision_rows(cycle)
        form = DecisionForm(request.POST, applications=applications)
        if form.is_valid():
            levels = form.levels()
            winners = [a for a in applications if levels.get(a.pk) not in (None, "")]
            try:
                with transaction.atomic():
                    services.decision_set(
                        cycle=cycle, by=request.user, levels=levels, reason=form.cleaned_data["reason"]
                    )
                    credit_override(
                        decision=DecisionPoint.AWARD_ELIGIBILITY, target=cycle, by=request.user,
                        reason=request.POST.get("credit_reason", ""),
                        experts=[a.expert_id for a in winners],
                        enterprises=[a.enterprise_id for a in winners],
                    )
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("评定结果已保存，审定后生效。"))
                return redirect("awards:cycle-detail", cycle.pk)
        return self._render(request, cycle, form=form)


class CycleExportView(StaffMixin, View):
    """The cycle's applications as .xlsx (core.exports.xlsx_bytes; formula cells neutralised)."""

    def get(self, request, pk):
        cycle = _cycle(pk)
        rows = []
        for a in selectors.application_list(user=request.user, cycle=cycle).prefetch_related("award"):
            award = getattr(a, "award", None)
            rows.append(
                [
                    a.rank or "",
                    a.project.title,
                    a.enterprise.name,
                    a.expert.name,
                    a.get_source_display(),
                    a.get_state_display(),
                    a.score if a.score is not None else "",
                    a.get_proposed_level_display() or "",
                    award.amount if award else "",
                    f"{a.completion.accepted_on:%Y-%m-%d}",
                    a.summary,
                ]
            )
        header = [
            _("排名"),
            _("项目名称"),
            _("企业"),
            _("专家"),
            _("申报方式"),
            _("状态"),
            _("得分"),
            _("评定等级"),
            _("奖金（元）"),
            _("结题日期"),
            _("成果总结"),
        ]
        content = xlsx_bytes(str(cycle.year), header, rows)
        audit(request.user, "awardcycle.export", cycle, ip_address=client_ip(request))
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="awards-{cycle.year}.xlsx"'
        return response


class NominateView(StaffMixin, View):
    def _project(self, cycle, project_id):
        completion = next(
            (c for c in selectors.nomination_candidates(cycle) if c.project_id == project_id), None
        )
        if completion is None:
            raise Http404
        return completion.project

    def get(self, request, pk, project_id, form=None):
        cycle = _cycle(pk)
        project = self._project(cycle, project_id)
        return render(
            request,
            "awards/application_form.html",
            {"cycle": cycle, "project": project, "form": form or ApplicationForm(), "nominate": True},
        )

    def post(self, request, pk, project_id):
        cycle = _cycle(pk)
        project = self._project(cycle, project_id)
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.application_nominate(
                    cycle=cycle,
                    project=project,
                    by=request.user,
                    data=form.cleaned_data,
                    evidence_file=form.cleaned_data.get("evidence_file"),
                )
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已提名该项目参加评选。"))
                return redirect("awards:cycle-detail", cycle.pk)
        return self.get(request, pk, project_id, form=form)


# --- applications ---------------------------------------------------------------------------------------


class ApplicationCreateView(RoleRequiredMixin, View):
    """The enterprise applies with a completed project. Any project id may be posted: the service checks
    that it is the enterprise's and completed in the cycle's year (a clear message, nothing created)."""

    roles = (Role.ENTERPRISE,)

    def _get(self, request, pk, project_id):
        cycle = get_object_or_404(AwardCycle, pk=pk, state=CycleState.OPEN)
        membership = getattr(request.user, "enterprise_membership", None)
        if membership is None:
            raise Http404
        project = get_object_or_404(Project, pk=project_id, enterprise_id=membership.enterprise_id)
        return cycle, project

    def get(self, request, pk, project_id, form=None):
        cycle, project = self._get(request, pk, project_id)
        return render(
            request,
            "awards/application_form.html",
            {"cycle": cycle, "project": project, "form": form or ApplicationForm()},
        )

    def post(self, request, pk, project_id):
        cycle, project = self._get(request, pk, project_id)
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                application = services.application_create(
                    cycle=cycle,
                    project=project,
                    by=request.user,
                    data=form.cleaned_data,
                    evidence_file=form.cleaned_data.get("evidence_file"),
                )
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("申报已保存，请专家确认后提交。"))
                return redirect("awards:application-detail", application.pk)
        return render(
            request,
            "awards/application_form.html",
            {"cycle": cycle, "project": project, "form": form},
            status=200,
        )


def _application(request, pk):
    return get_object_or_404(selectors.application_list(user=request.user), pk=pk)


class ApplicationDetailView(RoleRequiredMixin, View):
    roles = (Role.COMMISSION, Role.ENTERPRISE, Role.EXPERT)

    def get(self, request, pk):
        application = _application(request, pk)
        user = request.user
        is_enterprise = services.enterprise_id_of(user) == application.enterprise_id
        award = Award.objects.filter(application=application).select_related("cycle").first()
        certificate = None
        if award is not None and award.cycle.state == CycleState.PUBLISHED:
            certificate = document_current(kind=DocumentKind.AWARD_CERTIFICATE, subject=award)
        return render(
            request,
            "awards/application_detail.html",
            {
                "application": application,
                "is_staff": user.has_role(Role.COMMISSION),
                "can_edit": is_enterprise and application.state in EDITABLE_STATES,
                "can_confirm": application.expert.user_id == user.pk
                and application.state in EDITABLE_STATES
                and application.expert_confirmed_at is None,
                "can_submit": is_enterprise and application.state in EDITABLE_STATES,
                "can_return": user.has_role(Role.COMMISSION)
                and application.state == ApplicationState.SUBMITTED
                and application.cycle.state == CycleState.OPEN,
                "award": award
                if award is not None
                and (award.cycle.state == CycleState.PUBLISHED or user.has_role(Role.COMMISSION))
                else None,
                "certificate": certificate,
                "reason_form": ReasonForm(),
                "transitions": application.transitions.select_related("actor"),
            },
        )


class ApplicationUpdateView(RoleRequiredMixin, View):
    roles = (Role.ENTERPRISE,)

    def get(self, request, pk, form=None):
        application = _application(request, pk)
        if services.enterprise_id_of(request.user) != application.enterprise_id:
            raise Http404
        if application.state not in EDITABLE_STATES:
            messages.info(request, _("申报已提交，不能修改。"))
            return redirect("awards:application-detail", application.pk)
        return render(
            request,
            "awards/application_form.html",
            {
                "cycle": application.cycle,
                "project": application.project,
                "application": application,
                "form": form or ApplicationForm(instance=application),
            },
        )

    def post(self, request, pk):
        application = _application(request, pk)
        form = ApplicationForm(request.POST, request.FILES, instance=application)
        if form.is_valid():
            try:
                services.application_update(
                    application=application,
                    by=request.user,
                    data=form.cleaned_data,
                    evidence_file=request.FILES.get("evidence_file"),
                )
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("申报已保存，需专家重新确认后提交。"))
                return redirect("awards:application-detail", application.pk)
        return self.get(request, pk, form=form)


APPLICATION_ACTIONS = {
    "confirm": (lambda a, u, p: services.application_confirm(application=a, by=u), _("已确认申报内容。")),
    "submit": (lambda a, u, p: services.application_submit(application=a, by=u), _("申报已提交。")),
    "return": (
        lambda a, u, p: services.application_return(application=a, by=u, reason=p.get("reason", "")),
        _("申报已退回修改。"),
    ),
}


class ApplicationActionView(RoleRequiredMixin, View):
    roles = (Role.COMMISSION, Role.ENTERPRISE, Role.EXPERT)

    def post(self, request, pk, action):
        application = _application(request, pk)
        if action not in APPLICATION_ACTIONS:
            raise Http404
        call, done = APPLICATION_ACTIONS[action]
        try:
            call(application, request.user, request.POST)
        except ERRORS as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
        return redirect("awards:application-detail", application.pk)


class EvidenceFileView(RoleRequiredMixin, View):
    roles = (Role.COMMISSION, Role.ENTERPRISE, Role.EXPERT, Role.REVIEWER)

    def get(self, request, pk):
        if request.user.has_role(Role.REVIEWER) and not request.user.has_role(Role.COMMISSION):
            sheet = selectors.reviewer_sheet_list(user=request.user).filter(application_id=pk).first()
            application = sheet.application if sheet is not None else None
        else:
            application = selectors.application_list(user=request.user).filter(pk=pk).first()
        if application is None or not application.evidence_file:
            raise Http404
        return serve_upload(application.evidence_file, download_name=f"{application.project.title}-佐证材料")


class CertificateView(RoleRequiredMixin, View):
    """The award certificate PDF: staff, the expert and the enterprise of a published prize."""

    roles = (Role.COMMISSION, Role.ENTERPRISE, Role.EXPERT)

    def get(self, request, pk):
        visible = selectors.application_list(user=request.user).values("pk")
        award = get_object_or_404(
            Award.objects.select_related(
                "cycle", "expert__institution", "enterprise", "application__project"
            ),
            pk=pk,
            application__in=visible,
            cycle__state=CycleState.PUBLISHED,
        )
        try:
            doc = services.certificate_issue(award=award, by=request.user)
        except ERRORS as error:
            messages.error(request, str(error))
            return redirect("awards:application-detail", award.application_id)
        response = HttpResponse(doc.open(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{doc.serial}.pdf"'
        return response


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


# --- public results -------------------------------------------------------------------------------------


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
