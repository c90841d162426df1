"""The two-way choice (双向选择): an enterprise invites an expert or an expert applies to a demand,
the other side accepts or declines, the initiator withdraws, unanswered intents expire, and staff
mark an accepted expert as serving (已到岗服务). Serving experts can be neither invited nor accepted.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit
from core.exceptions import PolicyError
from core.notifications import Msg, UserText, notification_send
from core.workflow import transition

from .. import policy
from ..enums import INTENT_TRANSITIONS, DemandState, IntentInitiator, IntentState
from ..exceptions import EnterpriseError
from ..models import Demand, Intent
from ._common import _notify_enterprise, _require_verified


def intent_expiry_days() -> int:
    return getattr(settings, "ENTERPRISE_INTENT_EXPIRY_DAYS", policy.DEFAULT_INTENT_EXPIRY_DAYS)


def _intent_link(intent: Intent) -> str:
    return reverse("enterprises:intent-detail", args=[intent.pk])


def _notify_side(
    intent: Intent, side: str, *, title: Msg, body: Msg | UserText = "", dedupe: str = ""
) -> None:
    """Notify one side of the intent: the enterprise's members or the expert's login."""
    if side == IntentInitiator.ENTERPRISE:
        _notify_enterprise(
            intent.demand.enterprise, title=title, body=body, link=_intent_link(intent), dedupe=dedupe
        )
    elif intent.expert.user_id:
        notification_send(
            recipient=intent.expert.user,
            title=title,
            body=body,
            link=_intent_link(intent),
            dedupe_key=f"{dedupe}:{intent.expert.user_id}" if dedupe else "",
        )


def _other(side: str) -> str:
    return IntentInitiator.EXPERT if side == IntentInitiator.ENTERPRISE else IntentInitiator.ENTERPRISE


def _check_can_open(demand: Demand, expert, *, now: datetime) -> None:
    from ..matching import is_serving

    _require_verified(demand.enterprise)
    if demand.state != DemandState.PUBLISHED:
        raise EnterpriseError(_("需求“%(t)s”未处于发布状态，不能邀请或申请。") % {"t": demand.title})
    try:
        policy.check_demand_open(demand.deadline, timezone.localdate(now))
    except PolicyError as exc:
        raise EnterpriseError(str(exc)) from exc
    if not expert.in_pool:
        raise EnterpriseError(_("%(n)s尚未入库，不能对接。") % {"n": expert.name})
    if is_serving(expert.pk):
        raise EnterpriseError(
            _("%(n)s正在担任科技副总（服务期内），不能再对接新的需求。") % {"n": expert.name}
        )
    existing = Intent.objects.filter(
        demand=demand, expert=expert, state__in=[IntentState.PENDING, IntentState.ACCEPTED]
    ).first()
    if existing is not None:
        raise EnterpriseError(
            _("%(n)s与需求“%(t)s”已有%(s)s的对接意向，不能重复发起。")
            % {"n": expert.name, "t": demand.title, "s": existing.get_state_display()}
        )


def _intent_open(
    *, demand: Demand, expert, by, initiator: str, message: str, event=None, now: datetime | None = None
) -> Intent:
    now = now or timezone.now()
    with transaction.atomic():
        Demand.objects.select_for_update().get(pk=demand.pk)
        _check_can_open(demand, expert, now=now)
        try:
            with transaction.atomic():
                intent = Intent.objects.create(
                    demand=demand,
                    expert=expert,
                    initiator=initiator,
                    message=message,
                    created_by=by,
                    expires_at=policy.intent_expires_at(now, intent_expiry_days()),
                    event=event,
                )
        except IntegrityError as exc:
            raise EnterpriseError(_("该专家与此需求已有待回复的对接意向。")) from exc
        intent.transitions.create(from_state="", to_state=IntentState.PENDING, actor=by)
        audit(by, f"intent.{initiator}_open", intent, summary=f"{demand.title} · {expert.name}")
        if initiator == IntentInitiator.ENTERPRISE:
            title = Msg(gettext_lazy("%(e)s邀请您对接需求“%(t)s”"), e=demand.enterprise.name, t=demand.title)
        else:
            title = Msg(gettext_lazy("专家%(n)s申请对接需求“%(t)s”"), n=expert.name, t=demand.title)
        _notify_side(intent, _other(initiator), title=title, body=UserText(message or ""))
    return intent


def intent_invite(*, demand: Demand, expert, by, message: str = "", event=None, now=None) -> Intent:
    """The enterprise invites an admitted expert for its published demand."""
    return _intent_open(
        demand=demand,
        expert=expert,
        by=by,
        initiator=IntentInitiator.ENTERPRISE,
        message=message,
        event=event,
        now=now,
    )


def intent_apply(*, demand: Demand, expert, by, message: str = "", event=None, now=None) -> Intent:
    """An admitted expert applies to a published demand."""
    return _intent_open(
        demand=demand,
        expert=expert,
        by=by,
        initiator=IntentInitiator.EXPERT,
        message=message,
        event=event,
        now=now,
    )


def _respond(intent: Intent, *, by, side: str | None, to: str, note: str, now: datetime | None) -> Intent:
    from ..matching import is_serving

    now = now or timezone.now()
    if side is None:
        raise EnterpriseError(_("您不是该对接意向的当事方。"))
    if to == IntentState.WITHDRAWN and side != intent.initiator:
        raise EnterpriseError(_("只有发起方可以撤回。"))
    if to in (IntentState.ACCEPTED, IntentState.DECLINED) and side == intent.initiator:
        raise EnterpriseError(_("发起方不能自己接受或婉拒，请等待对方回复。"))
    with transaction.atomic():
        locked = Intent.objects.select_for_update().get(pk=intent.pk)
        if locked.state == IntentState.PENDING and policy.is_expired(locked.expires_at, now):
            raise EnterpriseError(
                _("该对接意向已于%(d)s过期，不能再处理。")
                % {"d": f"{timezone.localtime(locked.expires_at):%Y-%m-%d %H:%M}"}
            )
        if (
            to == IntentState.ACCEPTED
            and locked.state == IntentState.PENDING
            and is_serving(locked.expert_id)
        ):
            raise EnterpriseError(
                _("%(n)s正在担任科技副总（服务期内），不能接受新的对接。") % {"n": intent.expert.name}
            )
        transition(
            intent,
            to=to,
            by=by,
            allowed=INTENT_TRANSITIONS,
            reason=note,
            changes={"responded_at": now, "response_note": note},
        )
        verb = {
            IntentState.ACCEPTED: gettext_lazy("已接受"),
            IntentState.DECLINED: gettext_lazy("已婉拒"),
            IntentState.WITHDRAWN: gettext_lazy("已撤回"),
        }[to]
        who = intent.demand.enterprise.name if side == IntentInitiator.ENTERPRISE else intent.expert.name
        _notify_side(
            intent,
            _other(side),
            title=Msg(
                gettext_lazy("%(who)s%(verb)s需求“%(t)s”的对接意向"),
                who=who,
                verb=verb,
                t=intent.demand.title,
            ),
            body=UserText(note or ""),
        )
    return intent


def intent_accept(*, intent: Intent, by, side: str | None, note: str = "", now=None) -> Intent:
    return _respond(intent, by=by, side=side, to=IntentState.ACCEPTED, note=note, now=now)


def intent_decline(*, intent: Intent, by, side: str | None, note: str = "", now=None) -> Intent:
    return _respond(intent, by=by, side=side, to=IntentState.DECLINED, note=note, now=now)


def intent_withdraw(*, intent: Intent, by, side: str | None, note: str = "", now=None) -> Intent:
    return _respond(intent, by=by, side=side, to=IntentState.WITHDRAWN, note=note, now=now)


def intent_expire_due(*, now: datetime | None = None) -> int:
    """Mark pending intents past their expiry as expired and tell both sides (scheduled daily and
    available as `manage.py expire_intents`). Idempotent: an intent expires once."""
    now = now or timezone.now()
    count = 0
    for intent in Intent.objects.filter(state=IntentState.PENDING, expires_at__lte=now).select_related(
        "demand__enterprise", "expert"
    ):
        with transaction.atomic():
            locked = Intent.objects.select_for_update().get(pk=intent.pk)
            if locked.state != IntentState.PENDING:
                continue
            transition(
                intent,
                to=IntentState.EXPIRED,
                by=None,
                allowed=INTENT_TRANSITIONS,
                reason=_("超过有效期未回复，系统自动过期"),
            )
            title = Msg(
                gettext_lazy("需求“%(t)s”与%(n)s的对接意向已过期"),
                t=intent.demand.title,
                n=intent.expert.name,
            )
            for side in (IntentInitiator.ENTERPRISE, IntentInitiator.EXPERT):
                _notify_side(intent, side, title=title, dedupe=f"intent-expired:{intent.pk}")
        count += 1
    return count


def intent_set_in_service(*, intent: Intent, by, in_service: bool) -> Intent:
    """Staff mark that the expert of an accepted intent has started serving
    (see matching.serving_expert_ids)."""
    if in_service and intent.state != IntentState.ACCEPTED:
        raise EnterpriseError(_("只有已接受的对接意向可以标记为已到岗服务。"))
    with transaction.atomic():
        Intent.objects.filter(pk=intent.pk).update(in_service=in_service, updated_at=timezone.now())
        intent.in_service = in_service
        audit(by, "intent.in_service", intent, summary=str(in_service))
    # Serving experts are filtered at query time (matching.serving_expert_ids): no index rebuild.
    return intent
