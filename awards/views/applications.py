"""Applications: the enterprise's form, the application page (the expert confirms, the enterprise
submits, staff return — one view per action), the evidence and the certificate."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.enums import Role
from core.actions import ActionView, ReasonForm, blank_forms
from core.documents import document_current, document_response
from core.models import DocumentKind
from core.uploads import serve_upload
from projects.models import Project
from projects.views import RoleRequiredMixin

from .. import selectors, services
from ..enums import EDITABLE_STATES, ApplicationState, CycleState
from ..forms import ApplicationForm
from ..models import Award, AwardCycle
from ._common import ERRORS, ApplicationFormView, _application


class ApplicationCreateView(RoleRequiredMixin, ApplicationFormView):
    """The enterprise applies with a completed project. Any project id may be posted: the service checks
    that it is the enterprise's and completed in the cycle's year (a clear message, nothing created)."""

    roles = (Role.ENTERPRISE,)

    def load(self, pk, project_id):
        cycle = get_object_or_404(AwardCycle, pk=pk, state=CycleState.OPEN)
        membership = getattr(self.request.user, "enterprise_membership", None)
        if membership is None:
            raise Http404
        project = get_object_or_404(Project, pk=project_id, enterprise_id=membership.enterprise_id)
        return cycle, project

    def save(self, **data):
        return services.application_create(**data)

    def done(self, cycle, application):
        messages.success(self.request, _("申报已保存，请专家确认后提交。"))
        return redirect("awards:application-detail", application.pk)


class ApplicationDetailView(RoleRequiredMixin, View):
    roles = (Role.COMMISSION, Role.ENTERPRISE, Role.EXPERT)

    def get(self, request, pk):
        return _page(request, _application(request, pk))


def _page(request, application, **forms):
    """The application's page; `forms`: an action's bound form, its errors at its fields."""
    user = request.user
    is_enterprise = services.enterprise_id_of(user) == application.enterprise_id
    award = Award.objects.filter(application=application).select_related("cycle").first()
    certificate = None
    if award is not None and award.cycle.state == CycleState.PUBLISHED:
        certificate = document_current(kind=DocumentKind.AWARD_CERTIFICATE, subject=award)
    ctx = {
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
        if award is not None and (award.cycle.state == CycleState.PUBLISHED or user.has_role(Role.COMMISSION))
        else None,
        "certificate": certificate,
        **blank_forms(ApplicationReturnView),
        "transitions": application.transitions.select_related("actor"),
    }
    return render(request, "awards/application_detail.html", {**ctx, **forms})


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


class ApplicationActionView(RoleRequiredMixin, ActionView):
    """One step of an application the user may see (404 otherwise); the services check who may take it."""

    roles = (Role.COMMISSION, Role.ENTERPRISE, Role.EXPERT)
    refusals = ERRORS
    detail_url_name = "awards:application-detail"

    def get_object(self):
        return _application(self.request, self.kwargs["pk"])

    def page(self, application, **forms):
        return _page(self.request, application, **forms)


class ApplicationConfirmView(ApplicationActionView):
    """The expert confirms the application's content."""

    def act(self, application, form):
        services.application_confirm(application=application, by=self.request.user)
        return _("已确认申报内容。")


class ApplicationSubmitView(ApplicationActionView):
    def act(self, application, form):
        services.application_submit(application=application, by=self.request.user)
        return _("申报已提交。")


class ApplicationReturnView(ApplicationActionView):
    """Staff send it back for revision, with the reason."""

    form_class = ReasonForm
    form_name = "reason_form"
    form_options = {"required": gettext_lazy("退回时请填写理由。"), "label": gettext_lazy("理由/说明")}

    def refusal(self, application):
        if not self.request.user.has_role(Role.COMMISSION):  # as the service says (awards.services._staff)
            return _("只有区科委工作人员可以办理年度评选。")
        return ""

    def act(self, application, form):
        services.application_return(
            application=application, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        return _("申报已退回修改。")


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
        return document_response(doc)
