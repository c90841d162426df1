"""Cooperation intents: the lists and the intent page (accept, decline, withdraw, staff's 到岗服务 mark —
one view per action)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from core.actions import ActionView, action_form
from core.exports import Column, XlsxExportMixin
from core.sorting import sort_queryset

from .. import selectors, services
from ..enums import IntentAction, IntentState
from ..forms import NoteForm
from ..rules import expert_of, intent_side, is_commission, membership
from ._common import REFUSED, PortalView, _in_year, _query_string, _require

# The columns the list sorts by (`?o=` / `?o=-`, core.sorting; the headers are {% sort_th %} links).
INTENT_SORTS = {
    "demand": "demand__title",
    "expert": "expert__name",
    "state": "state",
    "created": "created_at",
    "expires": "expires_at",
}


class IntentListView(XlsxExportMixin, PortalView, ListView):
    export_title = _("对接意向")
    export_filename = "intents"
    export_columns = [
        Column(_("需求"), "demand.title"),
        Column(_("企业"), "demand.enterprise.name"),
        Column(_("专家"), "expert.name"),
        Column(_("推荐单位"), "expert.institution.name"),
        Column(_("发起方"), "initiator"),
        Column(_("状态"), "state"),
        Column(_("对接会"), "event.title"),
        Column(_("发起时间"), "created_at"),
        Column(_("回复时间"), "responded_at"),
    ]
    template_name = "enterprises/intent_list.html"
    context_object_name = "intents"
    paginate_by = 30

    def get_queryset(self):
        user = self.request.user
        if not (is_commission(user) or membership(user) or expert_of(user)):
            raise Http404
        qs = selectors.intent_list(user=user, state=self.request.GET.get("state", ""))
        qs = _in_year(qs, self.request, "created_at")
        qs, self.sort = sort_queryset(self.request.GET, qs, INTENT_SORTS)
        return qs

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sort": self.sort,
            "states": IntentState.choices,
            "query_string": _query_string(self.request),
        }


class IntentDetailView(PortalView, TemplateView):
    template_name = "enterprises/intent_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        intent = get_object_or_404(selectors.intent_list(user=user), pk=kwargs["pk"])
        side = intent_side(user, intent)
        return {
            **super().get_context_data(**kwargs),
            "intent": intent,
            "side": side,
            "can_respond": user.has_perm("enterprises.respond_intent", intent),
            "can_withdraw": user.has_perm("enterprises.withdraw_intent", intent),
            "is_staff": is_commission(user),
            "transitions": intent.transitions.select_related("actor"),
            "note_form": kwargs.get("note_form") or action_form(NoteForm, "note_form"),
            "project_filing_url": _project_filing_url(intent),
        }


def _project_filing_url(intent) -> str | None:
    """Hook for the projects app: the URL that starts a project filing from an accepted intent
    (`projects:project-create` with the intent's pk), or None while the projects app does not provide it."""
    from django.urls import NoReverseMatch

    if intent.state != IntentState.ACCEPTED:
        return None
    try:
        return reverse("projects:project-create", args=[intent.pk])
    except NoReverseMatch:
        return None


class IntentActionView(PortalView, ActionView):
    """One action on an intent the user may see (404 otherwise); the services check the user's side."""

    refusals = REFUSED
    page_view = IntentDetailView
    detail_url_name = "enterprises:intent-detail"

    def get_object(self):
        return get_object_or_404(selectors.intent_list(user=self.request.user), pk=self.kwargs["pk"])


class IntentInServiceView(IntentActionView):
    """Staff mark (`value=1`) or unmark the expert as serving at the enterprise (到岗服务); 403 to others."""

    def check_permission(self, intent):
        _require(self.request.user, "enterprises.verify_enterprise")

    def act(self, intent, form):
        services.intent_set_in_service(
            intent=intent, by=self.request.user, in_service=self.request.POST.get("value") == "1"
        )
        return _("已更新到岗服务标记。")


class IntentRespondView(IntentActionView):
    """The other side accepts or declines, the initiating side withdraws (the subclasses), with a note."""

    action = IntentAction.ACCEPT
    respond = staticmethod(services.intent_accept)
    form_class = NoteForm
    form_name = "note_form"

    def act(self, intent, form):
        user = self.request.user
        self.respond(intent=intent, by=user, side=intent_side(user, intent), note=form.cleaned_data["note"])
        return _("对接意向%(a)s。") % {"a": self.action.label}


class IntentAcceptView(IntentRespondView):
    action = IntentAction.ACCEPT
    respond = staticmethod(services.intent_accept)


class IntentDeclineView(IntentRespondView):
    action = IntentAction.DECLINE
    respond = staticmethod(services.intent_decline)


class IntentWithdrawView(IntentRespondView):
    action = IntentAction.WITHDRAW
    respond = staticmethod(services.intent_withdraw)
