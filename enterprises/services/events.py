"""Matchmaking events (对接活动): creating one, inviting enterprises and experts, recording attendance
and linking an intent that came out of the event.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit
from core.notifications import Msg, notification_send

from ..exceptions import EnterpriseError
from ..models import EventParticipant, Intent, MatchmakingEvent
from ._common import _notify_enterprise


def event_create(*, by, data: dict) -> MatchmakingEvent:
    with transaction.atomic():
        event = MatchmakingEvent.objects.create(created_by=by, **data)
        audit(by, "event.create", event, summary=event.title)
    return event


def event_invite(*, event: MatchmakingEvent, by, enterprises=(), experts=()) -> int:
    """Invite enterprises and experts to the event (already invited ones are skipped); returns how many
    were added. Each invitee is notified."""
    added = 0
    link = reverse("enterprises:event-detail", args=[event.pk])
    title = Msg(
        gettext_lazy("邀请您参加对接会：%(t)s（%(d)s，%(l)s）"),
        t=event.title,
        d=f"{event.held_on:%Y-%m-%d}",
        l=event.location,
    )
    with transaction.atomic():
        for enterprise in enterprises:
            _p, created = EventParticipant.objects.get_or_create(event=event, enterprise=enterprise)
            if created:
                added += 1
                _notify_enterprise(enterprise, title=title, link=link, dedupe=f"event:{event.pk}")
        for expert in experts:
            _p, created = EventParticipant.objects.get_or_create(event=event, expert=expert)
            if created:
                added += 1
                if expert.user_id:
                    notification_send(
                        recipient=expert.user,
                        title=title,
                        link=link,
                        dedupe_key=f"event:{event.pk}:{expert.user_id}",
                    )
        audit(by, "event.invite", event, summary=f"+{added}")
    return added


def event_attendance(*, event: MatchmakingEvent, by, attended_ids: set[int]) -> None:
    """Record who attended: participants in `attended_ids` attended, the others did not."""
    with transaction.atomic():
        event.participants.filter(pk__in=attended_ids).update(attended=True)
        event.participants.exclude(pk__in=attended_ids).update(attended=False)
        audit(by, "event.attendance", event, summary=f"{len(attended_ids)}")


def event_link_intent(*, event: MatchmakingEvent, intent: Intent, by) -> Intent:
    """Record that `intent` came out of the event (its enterprise or expert must have been invited)."""
    invited = (
        event.participants.filter(enterprise_id=intent.demand.enterprise_id).exists()
        or event.participants.filter(expert_id=intent.expert_id).exists()
    )
    if not invited:
        raise EnterpriseError(_("该意向的企业和专家都不在本次对接会的邀请名单中。"))
    with transaction.atomic():
        Intent.objects.filter(pk=intent.pk).update(event=event)
        intent.event = event
        audit(by, "event.link_intent", event, summary=str(intent.pk))
    return intent
