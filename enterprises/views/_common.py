"""What the matchmaking pages share: login, the permission check (a 403 for a right the user lacks),
the enterprise lookup (another enterprise's record is a 404), list helpers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView

from core.workflow import TransitionError

from .. import selectors
from ..exceptions import EnterpriseError
from ..models import Enterprise
from ..rules import membership

REFUSED = (EnterpriseError, TransitionError)


def _query_string(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


class PortalView(LoginRequiredMixin):
    """Login required; unverified enterprise users get a clear explanation instead of a bare 403."""


class PortalFormView(PortalView, FormView):
    """A page of one form (enterprises/form.html headed by `title`) that needs `permission` (403 without),
    on the record `get_object()` finds for the URL (another's is a 404; none for a new record), whose page
    is the way back. `form_edits_object`: the form edits that record. `save(form)` calls the service and
    returns the record to show next (its page `success_url_name`, with `success_message`); a refusal of
    the service shows the form again with its message, what was typed kept."""

    template_name = "enterprises/form.html"
    permission = ""
    title = ""
    form_edits_object = False
    success_message = ""
    success_url_name = ""
    object = None

    def get_object(self):
        return None

    def save(self, form):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_object()
        _require(request.user, self.permission, self.object)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_edits_object:
            kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        context = {**super().get_context_data(**kwargs), "title": self.title}
        if self.object is not None:
            context["back"] = self.object
        return context

    def form_valid(self, form):
        try:
            saved = self.save(form)
        except EnterpriseError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.success_url_name, saved.pk)


def _enterprise_or_404(user, pk: int) -> Enterprise:
    return get_object_or_404(selectors.enterprise_list(user=user), pk=pk)


def _own_enterprise(user, enterprise) -> bool:
    member = membership(user)
    return member is not None and member.enterprise_id == enterprise.pk


def _in_year(qs, request, field: str):
    """`?year=YYYY` (the dashboard's links): rows whose `field` falls in that year."""
    year = request.GET.get("year", "")
    return qs.filter(**{f"{field}__year": int(year)}) if year.isdigit() else qs
