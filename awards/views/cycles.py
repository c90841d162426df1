"""Staff: the award cycles — the index, the cycle's form and page (open, review, assign, close, approve,
publish, payment batch, certificates: one view per action), the export, nominating a project."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.enums import Role
from core.actions import ActionView
from core.audit import audit
from core.confirm import ConfirmRow, confirmation_page, confirmation_required, money_rows
from core.exports import xlsx_bytes
from core.http import client_ip
from projects.views import RoleRequiredMixin, StaffMixin

from .. import selectors, services
from ..enums import CycleState, PrizeLevel
from ..forms import CycleForm, RubricForm
from ..models import AwardCycle
from ._common import ERRORS, ApplicationFormView, _cycle

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


# --- the cycle page's actions: one view each -------------------------------------------------------------


class CycleActionView(StaffMixin, ActionView):
    """Commission staff: one step of a cycle; a refusal is a message on the cycle's page."""

    refusals = ERRORS
    detail_url_name = "awards:cycle-detail"

    def get_object(self):
        return _cycle(self.kwargs["pk"])


def _warn_short(request, result) -> None:
    """Applications left without enough reviewers free of conflicts of interest (after an assignment)."""
    if result.short:
        messages.warning(
            request,
            _("%(n)d项申报的无利益冲突评审专家不足，请补充评审专家库后重新分配。") % {"n": len(result.short)},
        )


class CycleOpenView(CycleActionView):
    def act(self, cycle, form):
        services.cycle_open(cycle=cycle, by=self.request.user)
        return _("已开始接受申报。")


class CycleReviewView(CycleActionView):
    """Close the applications and assign the reviewers."""

    def act(self, cycle, form):
        _warn_short(self.request, services.cycle_review_start(cycle=cycle, by=self.request.user))
        return _("申报已截止，评审专家已分配。")


class CycleAssignView(CycleActionView):
    def act(self, cycle, form):
        _warn_short(self.request, services.cycle_assign(cycle=cycle, by=self.request.user))
        return _("已补充分配评审专家。")


class CycleCloseView(CycleActionView):
    def act(self, cycle, form):
        services.cycle_close(cycle=cycle, by=self.request.user)
        return _("评审已结束，得分与排名已计算。")


class CycleApproveView(CycleActionView):
    """审定: the prizes commit the budget (`override_reason` when over the year's balance)."""

    def act(self, cycle, form):
        reason = self.request.POST.get("override_reason", "")
        services.cycle_approve(cycle=cycle, by=self.request.user, override_reason=reason)
        return _("评选结果已审定，奖金已占用预算并生成付款。")


class CycleBatchView(CycleActionView):
    def act(self, cycle, form):
        services.cycle_payment_batch(cycle=cycle, by=self.request.user)
        return _("已生成奖金支付批次，请提交财政审核。")


class ConfirmedCycleActionView(CycleActionView):
    """An irreversible step, asked once more (the prizes by level, the certificates, the total in figures
    and capitals) while the cycle is in `confirm_state`; in any other state the service refuses it."""

    confirm_state = ""
    title = question = button = ""

    def act(self, cycle, form):
        if cycle.state == self.confirm_state and confirmation_required(self.request):
            return _cycle_confirmation(self.request, cycle, self.title, self.question, self.button)
        return self.perform(cycle)

    def perform(self, cycle):
        raise NotImplementedError


class CyclePublishView(ConfirmedCycleActionView):
    """Publish the results (and issue the certificates with them)."""

    confirm_state = CycleState.DECIDED
    title, button = gettext_lazy("确认公布获奖名单"), gettext_lazy("确认公布")
    question = gettext_lazy("公布后获奖名单向社会公开、通知获奖专家并生成获奖证书，不能撤回。确认公布？")

    def perform(self, cycle):
        services.cycle_publish(cycle=cycle, by=self.request.user)
        return _("评选结果已公布，获奖证书正在生成。")


class CycleCertificatesView(ConfirmedCycleActionView):
    """Issue the certificates again."""

    confirm_state = CycleState.PUBLISHED
    title, button = gettext_lazy("确认生成获奖证书"), gettext_lazy("确认生成")
    question = gettext_lazy("将为以下获奖项目生成（或重新生成）带编号和验证二维码的获奖证书。确认生成？")

    def perform(self, cycle):
        services.certificates_issue(cycle=cycle, by=self.request.user)
        return _("获奖证书已生成。")


def _cycle_confirmation(request, cycle, title, question, button):
    awards = list(cycle.awards.select_related("expert").order_by("level", "id"))
    total = sum((a.amount for a in awards), Decimal("0"))
    rows = [ConfirmRow(_("年度评选"), cycle.title)]
    for level, label in PrizeLevel.choices:
        names = [a.expert.name for a in awards if a.level == level]
        if names:
            rows.append(ConfirmRow(f"{label}（{len(names)}）", "、".join(names)))
    rows += [ConfirmRow(_("获奖证书"), _("%(n)d 份") % {"n": len(awards)}), *money_rows(_("奖金合计"), total)]
    detail = reverse("awards:cycle-detail", args=[cycle.pk])
    return confirmation_page(
        request,
        title=str(title),
        question=str(question),
        rows=rows,
        button=str(button),
        cancel_url=detail,
        breadcrumbs=[(cycle.title, detail)],
    )


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


class NominateView(StaffMixin, ApplicationFormView):
    nominate = True

    def load(self, pk, project_id):
        cycle = _cycle(pk)
        completion = next(
            (c for c in selectors.nomination_candidates(cycle) if c.project_id == project_id), None
        )
        if completion is None:
            raise Http404
        return cycle, completion.project

    def save(self, **data):
        return services.application_nominate(**data)

    def done(self, cycle, result):
        messages.success(self.request, _("已提名该项目参加评选。"))
        return redirect("awards:cycle-detail", cycle.pk)
