"""Matchmaking events (对接会): the list, staff's form and the event page (invite, attendance, link an
intent — one view per action); staff's funnel."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from core.actions import ActionView, action_form
from core.exports import Column, XlsxExportMixin
from core.http import int_param, int_params
from core.sorting import sort_queryset

from .. import selectors, services
from ..forms import EventForm, EventInviteForm, FunnelFilterForm
from ..models import MatchmakingEvent
from ..rules import expert_of, is_commission, membership
from ._common import REFUSED, PortalFormView, PortalView, _require

# The columns the list sorts by (`?o=` / `?o=-`, core.sorting; the headers are {% sort_th %} links).
EVENT_SORTS = {"held_on": "held_on", "title": "title"}


def _events_for(user):
    qs = selectors.event_list()
    if is_commission(user):
        return qs
    member, expert = membership(user), expert_of(user)
    if member is not None:
        return qs.filter(participants__enterprise_id=member.enterprise_id)
    if expert is not None:
        return qs.filter(participants__expert=expert)
    return qs.none()


class EventListView(XlsxExportMixin, PortalView, ListView):
    export_title = _("对接会")
    export_filename = "events"
    export_columns = [
        Column(_("活动名称"), "title"),
        Column(_("举办日期"), "held_on"),
        Column(_("地点"), "location"),
        Column(_("聚焦行业"), "industry.name"),
        Column(_("参加单位/专家"), "participant_count"),
        Column(_("实际到场"), "attended_count"),
        Column(_("对接意向"), "intent_count"),
    ]
    template_name = "enterprises/event_list.html"
    context_object_name = "events"
    paginate_by = 30

    def get_queryset(self):
        qs, self.sort = sort_queryset(self.request.GET, _events_for(self.request.user), EVENT_SORTS)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "sort": self.sort, "is_staff": is_commission(self.request.user)}


class EventCreateView(PortalFormView):
    form_class = EventForm
    permission = "enterprises.manage_events"
    title = _("新建对接会")
    success_message = _("对接会已创建，请邀请企业和专家。")
    success_url_name = "enterprises:event-detail"

    def save(self, form):
        return services.event_create(by=self.request.user, data=form.cleaned_data)


class EventDetailView(PortalView, TemplateView):
    template_name = "enterprises/event_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        event = get_object_or_404(_events_for(user).distinct(), pk=kwargs["pk"])
        is_staff = is_commission(user)
        participants = event.participants.select_related("enterprise", "expert__institution")
        if not is_staff:
            member, expert = membership(user), expert_of(user)
            if member is not None:
                participants = participants.filter(enterprise_id=member.enterprise_id)
            else:
                participants = participants.filter(expert=expert)
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            event=event,
            is_staff=is_staff,
            participants=participants,
            intents=selectors.intent_list(user=user).filter(event=event),
            invite_form=(kwargs.get("invite_form") or action_form(EventInviteForm, "invite_form"))
            if is_staff
            else None,
            linkable=selectors.intent_list(user=user).filter(event__isnull=True)[:50] if is_staff else [],
        )
        return ctx


class EventActionView(PortalView, ActionView):
    """Staff (manage_events; 403 to others): one action on a matchmaking event."""

    refusals = REFUSED
    page_view = EventDetailView
    detail_url_name = "enterprises:event-detail"

    def get_object(self):
        _require(self.request.user, "enterprises.manage_events")
        return get_object_or_404(MatchmakingEvent, pk=self.kwargs["pk"])


class EventInviteView(EventActionView):
    form_class = EventInviteForm
    form_name = "invite_form"

    def act(self, event, form):
        n = services.event_invite(
            event=event,
            by=self.request.user,
            enterprises=form.cleaned_data["enterprises"],
            experts=form.cleaned_data["experts"],
        )
        return _("已邀请%(n)d位参会方。") % {"n": n}


class EventAttendanceView(EventActionView):
    """The participants ticked `attended` were there; the others were not."""

    def act(self, event, form):
        ids = set(int_params(self.request.POST.getlist("attended")))
        services.event_attendance(event=event, by=self.request.user, attended_ids=ids)
        return _("到场情况已保存。")


class EventLinkView(EventActionView):
    """Record that an intent (`intent`) came from this event."""

    def act(self, event, form):
        user = self.request.user
        intent = get_object_or_404(
            selectors.intent_list(user=user), pk=int_param(self.request.POST.get("intent")) or 0
        )
        services.event_link_intent(event=event, intent=intent, by=user)
        return _("已记录该意向来自本次对接会。")


# --- staff overview ----------------------------------------------------------------------------------


class FunnelView(PortalView, TemplateView):
    template_name = "enterprises/funnel.html"

    def get_context_data(self, **kwargs):
        _require(self.request.user, "enterprises.view_funnel")
        form = FunnelFilterForm(self.request.GET or None)
        filters = {}
        if form.is_bound and form.is_valid():
            filters = {k: v for k, v in form.cleaned_data.items() if v}
        return {**super().get_context_data(**kwargs), "form": form, "funnel": selectors.funnel(**filters)}
