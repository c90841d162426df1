"""What the views of the service term share (and outcomes.views imports): the role rule, the appointment
rule (the appointment from what the user may see, plus a rules permission on it), the form page of one
action, the one-button action view (core.actions.ActionView) and the term's timeline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from accounts.enums import Role
from projects.enums import AppointmentState
from projects.views.base import RoleRequiredMixin, WorkflowActionView

from .. import selectors
from ..policy import term_timeline

LIST_ROLES = (Role.COMMISSION, Role.TALENT_OFFICE, Role.ENTERPRISE, Role.EXPERT, Role.NOMINATOR)

__all__ = [
    "LIST_ROLES",
    "ActionFormView",
    "AppointmentMixin",
    "RoleRequiredMixin",
    "TermActionView",
    "query_string",
    "timeline",
]


def query_string(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class AppointmentMixin(LoginRequiredMixin):
    """Loads `self.appointment` from what the user may see; `permission` (a rules permission on the
    appointment) must hold too — otherwise 404."""

    permission: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.appointment = selectors.appointment_get(user=request.user, pk=kwargs["pk"])
        except ObjectDoesNotExist:
            raise Http404 from None
        if self.permission and not request.user.has_perm(self.permission, self.appointment):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def detail_url(self) -> str:
        return reverse("terms:appointment-detail", args=[self.appointment.pk])


class ActionFormView(AppointmentMixin, FormView):
    """A form that calls one service; a refused action shows its message and keeps what was typed."""

    template_name = "terms/action_form.html"
    title = ""
    success_message = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(appointment=self.appointment, title=self.title, **kwargs)

    def perform(self, form):  # pragma: no cover - each subclass implements it
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValueError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.detail_url()


class TermActionView(WorkflowActionView):
    """A button of a service-term page (core.actions.ActionView as projects.views.base.WorkflowActionView
    configures it): the terms services refuse with a ValueError (TermsError and the workflow's
    TransitionError are ones)."""

    refusals = (ValueError,)


def timeline(appointment, today):
    return term_timeline(
        start_date=appointment.start_date,
        months=appointment.months,
        end_date=appointment.end_date,
        as_of=today,
        terminated_on=appointment.terminated_on if appointment.state == AppointmentState.TERMINATED else None,
        base_months=selectors.base_term_months(appointment),
    )
