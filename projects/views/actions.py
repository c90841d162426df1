"""The workflow buttons of the project page, one view per action, each at its own URL with its own role
rule (projects:project-confirm, -submit, -return, -accept, -decide, -agreement, -appoint). The project is
loaded from what the user may see, so another user's project is a 404. A refused form shows the project
page again with the errors at their fields (projects.views.projects.project_page)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from core.confirm import ConfirmRow, confirmation_page, confirmation_required

from .. import selectors, services
from ..enums import ProjectState
from ..forms import AcceptForm, AgreementForm, DecisionForm, ReturnForm
from .base import ERRORS, RoleRequiredMixin, WorkflowActionView, detail_url
from .projects import appoint_form, project_page


class ProjectActionView(RoleRequiredMixin, WorkflowActionView):
    """An action of the project page. `form_name`: the page's context name of the action's form (the
    bound form shown there when it is refused)."""

    def get_object(self):
        self.project = selectors.project_get(user=self.request.user, pk=self.kwargs["pk"])
        return self.project

    def success_url(self, obj) -> str:
        return detail_url(obj)

    def page(self, obj, **forms):
        return project_page(self.request, obj.pk, **forms)


class ProjectConfirmView(ProjectActionView):
    """The expert confirms what the enterprise filed (before it can be submitted)."""

    roles = (Role.EXPERT,)
    success_message = gettext_lazy("已确认申报内容。")

    def act(self, obj, form):
        services.project_confirm(project=self.project, by=self.request.user)


class ProjectSubmitView(ProjectActionView):
    """The enterprise submits the application (again, after a return) to the formal check."""

    roles = (Role.ENTERPRISE,)
    success_message = gettext_lazy("项目已提交形式审查。")

    def act(self, obj, form):
        services.project_submit(project=self.project, by=self.request.user)


class ProjectReturnView(ProjectActionView):
    """The formal check failed: back to the enterprise with the reason."""

    roles = (Role.COMMISSION,)
    form_class = ReturnForm
    form_name = "return_form"
    success_message = gettext_lazy("已退回企业修改。")

    def act(self, obj, form):
        reason = form.cleaned_data["reason"]
        services.project_return(project=self.project, by=self.request.user, reason=reason)


class ProjectAcceptView(ProjectActionView):
    """The formal check passed: the application joins a review round."""

    roles = (Role.COMMISSION,)
    form_class = AcceptForm
    form_name = "accept_form"
    success_message = gettext_lazy("已受理并加入评审批次。")

    def act(self, obj, form):
        services.project_accept(project=self.project, round=form.cleaned_data["round"], by=self.request.user)


class ProjectDecideView(ProjectActionView):
    """Staff approve or reject after the round closed, confirming or correcting the category."""

    roles = (Role.COMMISSION,)
    form_class = DecisionForm
    form_name = "decision_form"
    success_message = gettext_lazy("立项决定已记录。")

    def act(self, obj, form):
        # the form's fields are the decision's: approve, reason, approved_funding, social_science
        services.project_decide(project=obj, by=self.request.user, **form.cleaned_data)


class ProjectAgreementView(ProjectActionView):
    """The enterprise (or staff) uploads the signed cooperation agreement."""

    roles = (Role.COMMISSION, Role.ENTERPRISE)
    form_class = AgreementForm
    form_name = "agreement_form"
    success_message = gettext_lazy("合作协议已上传。")

    def act(self, obj, form):
        # the form's fields are the upload's: file, signed_on
        services.agreement_upload(project=obj, by=self.request.user, **form.cleaned_data)


class ProjectAppointView(ProjectActionView):
    """Staff appoint: the term starts and both letters are issued, after a confirmation page (the first
    POST writes nothing; the confirmed one repeats the fields with confirmed=1)."""

    roles = (Role.COMMISSION,)
    form_name = "appoint_form"
    success_message = gettext_lazy("已聘任，聘书正在生成。")

    def get_form(self):
        return appoint_form(self.project, self.request.POST)

    def act(self, obj, form):
        if self.project.state == ProjectState.AGREEMENT_SIGNED and confirmation_required(self.request):
            return _appoint_confirmation(self.request, self.project, form)
        services.appointment_create(
            project=self.project, by=self.request.user, start_date=form.cleaned_data["start_date"]
        )
        return None


def _appoint_confirmation(request, project, form):
    """Appointing starts the term and issues both letters (聘书): shown once more before it happens."""
    from ..policy import term_end

    start = form.cleaned_data["start_date"]
    try:  # the policy version's term length, as appointment_create will use it
        months = services.appointment_term_months()
        end = term_end(start, months).isoformat()
    except (*ERRORS, ValueError):  # the service refuses with its own message after confirmation
        months, end = "—", "—"
    detail = detail_url(project)
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
