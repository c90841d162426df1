"""What the awards pages share: the refusals shown as messages, the cycle and application lookups
(another user's application is a 404) and the application form of a project in a cycle."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views import View

from core.workflow import TransitionError
from credit.exceptions import CreditError

from .. import selectors
from ..exceptions import AwardError
from ..forms import ApplicationForm
from ..models import AwardCycle

ERRORS = (AwardError, TransitionError, CreditError)


def _cycle(pk) -> AwardCycle:
    return get_object_or_404(AwardCycle.objects.select_related("policy_version"), pk=pk)


def _application(request, pk):
    return get_object_or_404(selectors.application_list(user=request.user), pk=pk)


class ApplicationFormView(View):
    """The application form of one project in one cycle (the enterprise's own application, the staff's
    nomination). A subclass gives `load(pk, project_id)` → (cycle, project) (else a 404), `save(**data)`
    calling its service and `done(cycle, result)`: the message and the redirect. A refusal of the service
    shows the form again with its message, what was typed kept."""

    template_name = "awards/application_form.html"
    nominate = False

    def load(self, pk, project_id):
        raise NotImplementedError

    def save(self, **data):
        raise NotImplementedError

    def done(self, cycle, result):
        raise NotImplementedError

    def page(self, cycle, project, form):
        context = {"cycle": cycle, "project": project, "form": form}
        if self.nominate:
            context["nominate"] = True
        return render(self.request, self.template_name, context)

    def get(self, request, pk, project_id):
        cycle, project = self.load(pk, project_id)
        return self.page(cycle, project, ApplicationForm())

    def post(self, request, pk, project_id):
        cycle, project = self.load(pk, project_id)
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = self.save(
                    cycle=cycle,
                    project=project,
                    by=request.user,
                    data=form.cleaned_data,
                    evidence_file=form.cleaned_data.get("evidence_file"),
                )
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                return self.done(cycle, result)
        return self.page(cycle, project, form)
