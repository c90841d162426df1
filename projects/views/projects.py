"""The project pages: the list (and its export), filing and editing an application, the project page
with its workflow cards (each card posts to its own action view, projects.views.actions) and the
project's attachments and letters."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.enums import Role
from core.documents import document_response
from core.exports import Column, XlsxExportMixin
from core.sorting import sort_queryset
from core.uploads import serve_upload
from credit.selectors import credit_alerts
from enterprises.enums import IntentState
from enterprises.models import Intent

from .. import selectors, services
from ..enums import BUDGET_LINES, ProjectState, RoundState
from ..exceptions import ProjectError
from ..forms import (
    AcceptForm,
    AgreementForm,
    AppointForm,
    DecisionForm,
    FilingForm,
    ObjectionResolveForm,
    ProjectForm,
    ReturnForm,
)
from ..models import Project
from ..rules import is_enterprise_member
from .base import ERRORS, RoleRequiredMixin, detail_url

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
                return redirect(detail_url(project))
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
                return redirect(detail_url(project))
        return render(request, "projects/project_form.html", {"form": form, "project": project})


FILING_STATES = (ProjectState.APPROVED, ProjectState.NOTICED)


def appoint_form(project, data=None) -> AppointForm:
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
    return AppointForm(data, initial={"start_date": initial}, earliest=earliest, months=months)


def _forms(user, project) -> dict:
    """The workflow cards' forms the user is shown in the project's state (None: no card)."""
    is_staff = user.has_role(Role.COMMISSION)
    formal_check = is_staff and project.state == ProjectState.SUBMITTED
    deciding = (
        is_staff
        and project.state == ProjectState.REVIEWED
        and project.round
        and project.round.state == RoundState.CLOSED
    )
    filed = project.state == ProjectState.FILED and (is_staff or is_enterprise_member(user, project))
    # the talent office records the filing on the project's own page (issue 16: from its work list)
    filing = user.has_role(Role.TALENT_OFFICE) and project.state in FILING_STATES
    return {
        "accept_form": AcceptForm() if formal_check else None,
        "return_form": ReturnForm() if formal_check else None,
        "decision_form": DecisionForm(
            initial={
                "approved_funding": project.total_funds,
                "social_science": "1" if project.social_science else "0",
            }
        )
        if deciding
        else None,
        "agreement_form": AgreementForm() if filed else None,
        "appoint_form": appoint_form(project)
        if is_staff and project.state == ProjectState.AGREEMENT_SIGNED
        else None,
        "filing_form": FilingForm(initial={"filed_on": timezone.localdate()}) if filing else None,
    }


def project_page(request, pk, **bound):
    """The project page. `bound`: the form an action of the page was posted with and refused (by its
    context name, e.g. decision_form=…), shown in place of the empty one with each error at its field
    and what was typed kept."""
    project = selectors.project_get(user=request.user, pk=pk)
    user = request.user
    is_staff = user.has_role(Role.COMMISSION)
    context = {
        "project": project,
        "transitions": project.transitions.select_related("actor"),
        "budget": [(label, getattr(project, name)) for name, label in BUDGET_LINES],
        "expected_subsidy": ProjectForm(instance=project).expected_subsidy(),
        "can_edit": user.has_perm("projects.change_project", project),
        "can_confirm": user.has_perm("projects.confirm_project", project),
        "is_staff": is_staff,
        **_forms(user, project),
        **bound,
        "objections": project.objections.all() if is_staff else (),
        "resolve_form": ObjectionResolveForm(),
        "appointment": getattr(project, "appointment", None)
        if project.state in (ProjectState.APPOINTED, ProjectState.COMPLETED, ProjectState.TERMINATED)
        else None,
        "last_return": project.transitions.filter(to_state=ProjectState.RETURNED).last(),
    }
    # 信用提示 beside the filing form (the talent office decides)
    context["credit_alerts"] = (
        credit_alerts(experts=[project.expert_id], enterprises=[project.enterprise_id])
        if context["filing_form"] is not None
        else None
    )
    if context["appointment"] is not None:
        from ..letters import appointment_letters

        context["letters"] = appointment_letters(context["appointment"])
    return render(request, "projects/project_detail.html", context)


class ProjectDetailView(RoleRequiredMixin, View):
    roles = (Role.COMMISSION, Role.ENTERPRISE, Role.EXPERT, Role.TALENT_OFFICE)

    def get(self, request, pk):
        return project_page(request, pk)


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
        from ..letters import appointment_letters

        project = selectors.project_get(user=request.user, pk=pk)
        appointment = getattr(project, "appointment", None)
        if appointment is None:
            raise Http404
        doc = next((d for d in appointment_letters(appointment) if d.kind == kind), None)
        if doc is None:
            raise Http404
        return document_response(doc, private=True)
