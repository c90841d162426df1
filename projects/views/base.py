"""What the views of the projects app share (and the terms, awards, credit and outcomes views import): the
role rule, the staff rule and the one-action view every workflow button posts to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from accounts.enums import Role
from core.workflow import TransitionError
from credit.exceptions import CreditError

from ..exceptions import ProjectError

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


def detail_url(project) -> str:
    return reverse("projects:project-detail", args=[project.pk])


class ActionView(View):
    """One workflow action (a button of a page), POST only, at its own URL.

    The role rule is the mixin the action is combined with; `get_object` loads the record from what the
    user may see (another user's record is a 404) and `perform` calls one service. An action with a form
    (`form_class`) checks it first: invalid input, or the service's refusal, shows the page again with the
    bound form (`form_invalid`), so each error stands at its field and what was typed is kept. An action
    without a form answers a refusal with a message on its page. On success: `success_message` and back to
    `get_success_url()`. `perform` may answer instead (a confirmation page, core.confirm)."""

    http_method_names = ["post"]
    form_class = None
    success_message = ""
    errors: tuple[type[Exception], ...] = ERRORS

    def get_object(self):  # pragma: no cover - each action implements it
        raise NotImplementedError

    def get_success_url(self) -> str:  # pragma: no cover - each action implements it
        raise NotImplementedError

    def perform(self, form):  # pragma: no cover - each action implements it
        raise NotImplementedError

    def form_invalid(self, form):  # pragma: no cover - each action with a form implements it
        raise NotImplementedError

    def get_form(self):
        if self.form_class is None:
            return None
        return self.form_class(self.request.POST, self.request.FILES)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        if form is not None and not form.is_valid():
            return self.form_invalid(form)
        try:
            response = self.perform(form)
        except self.errors as error:
            if form is None:
                messages.error(request, str(error))
                return redirect(self.get_success_url())
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if response is not None:
            return response
        if self.success_message:
            messages.success(request, self.success_message)
        return redirect(self.get_success_url())
