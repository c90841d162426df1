"""The talent office's record filing (备案) of approved projects, and the public notice (公示) where anyone
may object to an approved project."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.enums import Role
from core.http import int_params
from credit.enums import DecisionPoint
from credit.overrides import posted_override
from credit.selectors import credit_alerts

from .. import selectors, services
from ..enums import ProjectState
from ..forms import FilingForm, ObjectionForm
from ..models import Project
from .base import ERRORS, RoleRequiredMixin
from .projects import project_page


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
                        posted_override(
                            request,
                            decision=DecisionPoint.PROJECT_FILING,
                            target=project,
                            experts=[project.expert_id],
                            enterprises=[project.enterprise_id],
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
            return project_page(request, from_project, filing_form=form)
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
