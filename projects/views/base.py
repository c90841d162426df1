"""What the views of the projects app share (and the terms, awards, credit and outcomes views import): the
role rule, the staff rule and the one-action view every workflow button posts to."""

from __future__ import annotations

from django.urls import reverse

from accounts.enums import Role
from core.actions import ActionView
from core.views import RoleHiddenMixin
from core.workflow import TransitionError
from credit.exceptions import CreditError

from ..exceptions import ProjectError

ERRORS = (ProjectError, TransitionError, CreditError)


RoleRequiredMixin = RoleHiddenMixin  # logged-in holders of `roles`; anybody else gets a 404


class StaffMixin(RoleRequiredMixin):
    roles = (Role.COMMISSION,)


def detail_url(project) -> str:
    return reverse("projects:project-detail", args=[project.pk])


class WorkflowActionView(ActionView):
    """A workflow button of the project, round and term pages (core.actions.ActionView): POST only, at its
    own URL; the role rule is the mixin it is combined with. An action with a form checks it first: invalid
    input, or the service's refusal, shows the page again with the bound form (its forms keep Django's
    ids), so each error stands at its field and what was typed is kept. An action without a form answers a
    refusal with a message on its page."""

    http_method_names = ["post"]
    named_ids = False
    refused_on_form = True
    refusals: tuple[type[Exception], ...] = ERRORS
