"""Writes: registration, verification, members, demands, the two-way choice and matchmaking events.

Every step checks its rules on locked rows, writes its transition/audit records and schedules
notifications and index refreshes after commit. A refused step raises EnterpriseError (or
core.workflow.TransitionError) with a message the user can read, and changes nothing."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from accounts.models import User
from accounts.services import role_grant
from core.audit import audit
from core.exceptions import PolicyError
from core.identifiers import is_valid_uscc
from core.notifications import Msg, UserText, notification_send
from core.workflow import transition

from . import policy
from .enums import (
    DEMAND_TRANSITIONS,
    ENTERPRISE_TRANSITIONS,
    INTENT_TRANSITIONS,
    DemandState,
    EnterpriseState,
    IntentInitiator,
    IntentState,
    VerificationGround,
)
from .exceptions import EnterpriseError
from .models import (
    Demand,
    Enterprise,
    EnterpriseMember,
    EventParticipant,
    Intent,
    MatchmakingEvent,
)

ENTERPRISE_FIELDS = (
    "name",
    "uscc",
    "registered_address",
    "in_changping",
    "changping_address",
    "changping_evidence",
    "industry",
    "qualifications",
    "size",
    "employee_count",
    "rd_staff_count",
    "description",
    "contact_name",
    "contact_phone",
    "contact_email",
)
DEMAND_FIELDS = (
    "title",
    "description",
    "technical_field",
    "keywords",
    "industry",
    "position",
    "expected_work",
    "deadline",
)


def intent_expiry_days() -> int:
    return getattr(settings, "ENTERPRISE_INTENT_EXPIRY_DAYS", policy.DEFAULT_INTENT_EXPIRY_DAYS)


# --- enterprises -------------------------------------------------------------------------------------


def check_uscc(code: str, *, exclude_pk: int | None = None) -> str:
    """The code upper-cased, or EnterpriseError when it is malformed or already registered."""
    code = (code or "").strip().upper()
    if not is_valid_uscc(code):
        raise EnterpriseError(_("统一社会信用代码“%(code)s”无效：应为18位，且校验位正确。") % {"code": code})
    taken = Enterprise.objects.filter(uscc=code)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise EnterpriseError(_("统一社会信用代码“%(code)s”已被其他企业注册。") % {"code": code})
    return code


def _commission_users():
    return User.objects.filter(roles__role=Role.COMMISSION, is_active=True).distinct()


def _notify_enterprise(
    enterprise: Enterprise, *, title: Msg, body: Msg | UserText = "", link: str = "", dedupe: str = ""
):
    for member in enterprise.members.select_related("user"):
        notification_send(
            recipient=member.user,
            title=title,
            body=body,
            link=link,
            dedupe_key=f"{dedupe}:{member.user_id}" if dedupe else "",
        )


def enterprise_register(
    *, username: str, password: str, full_name: str, email: str, phone: str, data: dict
) -> tuple[User, Enterprise]:
    """Public sign-up: a new user, their enterprise (state registered) and the user as its administrator."""
    data = {k: data[k] for k in ENTERPRISE_FIELDS if k in data}
    data["uscc"] = check_uscc(data.get("uscc", ""))
    if User.objects.filter(username=username).exists():
        raise EnterpriseError(_("用户名“%(u)s”已被使用，请换一个。") % {"u": username})
    if Enterprise.objects.filter(name=data.get("name", "")).exists():
        raise EnterpriseError(
            _("企业“%(n)s”已注册；如需加入，请联系该企业的管理员添加账号。") % {"n": data["name"]}
        )
    try:
        with transaction.atomic():
            user = User(username=username, full_name=full_name, email=email, phone=phone)
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise EnterpriseError(" ".join(exc.messages)) from exc
            user.set_password(password)
            user.password_changed_at = timezone.now()
            user.save()
            enterprise = Enterprise.objects.create(**data)
            EnterpriseMember.objects.create(enterprise=enterprise, user=user, is_admin=True, added_by=user)
            role_grant(user=user, role=Role.ENTERPRISE, by=None)
            enterprise.transitions.create(from_state="", to_state=EnterpriseState.REGISTERED, actor=user)
            audit(user, "enterprise.register", enterprise, summary=enterprise.name)
            link = reverse("enterprises:enterprise-detail", args=[enterprise.pk])
            for staff in _commission_users():
                notification_send(
                    recipient=staff,
                    title=Msg(gettext_lazy("新企业注册待认证：%(n)s"), n=enterprise.name),
                    link=link,
                    dedupe_key=f"enterprise-registered:{enterprise.pk}:{enterprise.transitions.count()}",
                )
    except IntegrityError as exc:
        raise EnterpriseError(_("注册未成功：企业名称或统一社会信用代码已被注册。")) from exc
    return user, enterprise


def enterprise_update(*, enterprise: Enterprise, by, data: dict) -> Enterprise:
    """Change the enterprise's data; name and credit code only while it is not verified."""
    data = {k: v for k, v in data.items() if k in ENTERPRISE_FIELDS}
    if enterprise.state == EnterpriseState.VERIFIED:
        for locked in ("name", "uscc"):
            if locked in data and data[locked] != getattr(enterprise, locked):
                raise EnterpriseError(_("已认证企业的名称和统一社会信用代码不能自行修改，请联系区科委。"))
            data.pop(locked, None)
    if "uscc" in data:
        data["uscc"] = check_uscc(data["uscc"], exclude_pk=enterprise.pk)
    try:
        with transaction.atomic():
            for name, value in data.items():
                setattr(enterprise, name, value)
            enterprise.save()
            audit(by, "enterprise.update", enterprise, summary=enterprise.name)
    except IntegrityError as exc:
        enterprise.refresh_from_db()
        raise EnterpriseError(_("保存未成功：企业名称或统一社会信用代码已被其他企业注册。")) from exc
    return enterprise


def enterprise_verification_ground(enterprise: Enterprise) -> str | None:
    """The ground on which `enterprise` may be verified as a Changping enterprise (policy.verification_ground
    over its stored data)."""
    return policy.verification_ground(
        uscc=enterprise.uscc,
        changping_address=enterprise.changping_address,
        has_evidence=bool(enterprise.changping_evidence),
    )


def enterprise_verify(
    *, enterprise: Enterprise, by, confirm_evidence: bool = False, reason: str = ""
) -> Enterprise:
    """Verify a Changping enterprise (SPEC §4): its credit code's division code is 110114, or it shows an
    operating address in 昌平 and an uploaded document that staff confirm explicitly (`confirm_evidence`)
    with a `reason`. Anything else is refused with a message naming 昌平, nothing changed."""
    if not is_valid_uscc(enterprise.uscc):
        raise EnterpriseError(_("该企业的统一社会信用代码校验不通过，不能认证。"))
    reason = (reason or "").strip()
    ground = enterprise_verification_ground(enterprise)
    code = policy.division_code(enterprise.uscc)
    if ground is None:
        raise EnterpriseError(
            _(
                "只有昌平区科技型企业可以认证：该企业统一社会信用代码的行政区划码（第3–8位）为%(code)s，"
                "不是昌平区（110114），也没有提供在昌平区的经营地址和证明材料。"
            )
            % {"code": code}
        )
    if ground == VerificationGround.CHANGPING_EVIDENCE and not (confirm_evidence and reason):
        raise EnterpriseError(
            _(
                "该企业统一社会信用代码的行政区划码为%(code)s，不是昌平区（110114）；依据其在昌平区经营的"
                "证明材料认证时，须勾选确认已核实材料并填写理由。"
            )
            % {"code": code}
        )
    if ground == VerificationGround.DIVISION_CODE:
        reason = ""
    with transaction.atomic():
        transition(
            enterprise,
            to=EnterpriseState.VERIFIED,
            by=by,
            allowed=ENTERPRISE_TRANSITIONS,
            reason=reason,
            changes={
                "verified_at": timezone.now(),
                "rejection_reason": "",
                "verification_ground": ground,
                "verification_reason": reason,
            },
        )
        _notify_enterprise(
            enterprise,
            title=Msg(gettext_lazy("企业认证已通过：%(n)s"), n=enterprise.name),
            body=Msg(gettext_lazy("贵企业已通过区科委认证，可以发布需求、邀请专家。")),
            link=reverse("enterprises:enterprise-detail", args=[enterprise.pk]),
        )
    return enterprise


def enterprise_reject(*, enterprise: Enterprise, by, reason: str) -> Enterprise:
    reason = (reason or "").strip()
    if not reason:
        raise EnterpriseError(_("请填写未通过认证的原因。"))
    with transaction.atomic():
        transition(
            enterprise,
            to=EnterpriseState.REJECTED,
            by=by,
            allowed=ENTERPRISE_TRANSITIONS,
            reason=reason,
            changes={"rejection_reason": reason},
        )
        _notify_enterprise(
            enterprise,
            title=Msg(gettext_lazy("企业认证未通过：%(n)s"), n=enterprise.name),
            body=UserText(reason),
            link=reverse("enterprises:enterprise-detail", args=[enterprise.pk]),
        )
    return enterprise


def enterprise_resubmit(*, enterprise: Enterprise, by) -> Enterprise:
    """A rejected enterprise, after correcting its data, asks for verification again."""
    with transaction.atomic():
        transition(enterprise, to=EnterpriseState.REGISTERED, by=by, allowed=ENTERPRISE_TRANSITIONS)
        link = reverse("enterprises:enterprise-detail", args=[enterprise.pk])
        for staff in _commission_users():
            notification_send(
                recipient=staff,
                title=Msg(gettext_lazy("企业重新提交认证：%(n)s"), n=enterprise.name),
                link=link,
            )
    return enterprise


def enterprise_member_add(
    *,
    enterprise: Enterprise,
    by,
    username: str,
    password: str,
    full_name: str,
    email: str,
    phone: str = "",
    position: str = "",
) -> EnterpriseMember:
    """The enterprise administrator adds a colleague (a new login with the enterprise role)."""
    if not EnterpriseMember.objects.filter(enterprise=enterprise, user=by, is_admin=True).exists():
        raise EnterpriseError(_("只有企业管理员可以添加同事账号。"))
    if enterprise.state != EnterpriseState.VERIFIED:
        raise EnterpriseError(_("企业通过认证后才能添加同事账号。"))
    if User.objects.filter(username=username).exists():
        raise EnterpriseError(_("用户名“%(u)s”已被使用，请换一个。") % {"u": username})
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise EnterpriseError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save()
        member = EnterpriseMember.objects.create(
            enterprise=enterprise, user=user, position=position, added_by=by
        )
        role_grant(user=user, role=Role.ENTERPRISE, by=by)
        audit(by, "enterprise.member_add", enterprise, summary=username)
        notification_send(
            recipient=user,
            title=Msg(gettext_lazy("您已加入企业“%(n)s”的平台账号"), n=enterprise.name),
            body=Msg(
                gettext_lazy("用户名：%(u)s。初始密码由企业管理员告知，首次登录后请修改密码。"), u=username
            ),
            link=reverse("accounts:login"),
        )
    return member


def _require_verified(enterprise: Enterprise) -> None:
    if enterprise.state != EnterpriseState.VERIFIED:
        raise EnterpriseError(_("企业尚未通过区科委认证，暂不能办理此项业务。"))


# --- demands -----------------------------------------------------------------------------------------


def _refresh_demand_index() -> None:
    from .indexing import schedule_index_rebuild

    schedule_index_rebuild("demands")


def _tokenize_demand(demand: Demand) -> None:
    from .matching import demand_fields, tokenize_fields

    demand.tokens = tokenize_fields(demand_fields(demand))


def demand_create(*, enterprise: Enterprise, by, data: dict) -> Demand:
    _require_verified(enterprise)
    demand = Demand(enterprise=enterprise, created_by=by, **{k: data[k] for k in DEMAND_FIELDS if k in data})
    _tokenize_demand(demand)
    with transaction.atomic():
        demand.save()
        demand.transitions.create(from_state="", to_state=DemandState.DRAFT, actor=by)
        audit(by, "demand.create", demand, summary=demand.title)
    return demand


def demand_update(*, demand: Demand, by, data: dict, today: date | None = None) -> Demand:
    _require_verified(demand.enterprise)
    if demand.state == DemandState.CLOSED:
        raise EnterpriseError(_("需求已关闭，不能修改。"))
    today = today or timezone.localdate()
    if demand.state == DemandState.PUBLISHED and "deadline" in data:
        try:
            policy.check_demand_open(data["deadline"], today)
        except PolicyError as exc:
            raise EnterpriseError(str(exc)) from exc
    with transaction.atomic():
        for name in DEMAND_FIELDS:
            if name in data:
                setattr(demand, name, data[name])
        _tokenize_demand(demand)
        demand.save()
        audit(by, "demand.update", demand, summary=demand.title)
        if demand.state == DemandState.PUBLISHED:
            _refresh_demand_index()
    return demand


def demand_publish(*, demand: Demand, by, today: date | None = None) -> Demand:
    _require_verified(demand.enterprise)
    try:
        policy.check_demand_open(demand.deadline, today or timezone.localdate())
    except PolicyError as exc:
        raise EnterpriseError(str(exc)) from exc
    with transaction.atomic():
        transition(
            demand,
            to=DemandState.PUBLISHED,
            by=by,
            allowed=DEMAND_TRANSITIONS,
            changes={"published_at": timezone.now()},
        )
        _refresh_demand_index()
    return demand


def demand_close(*, demand: Demand, by, reason: str = "") -> Demand:
    with transaction.atomic():
        transition(
            demand,
            to=DemandState.CLOSED,
            by=by,
            allowed=DEMAND_TRANSITIONS,
            reason=reason,
            changes={"closed_at": timezone.now()},
        )
        _refresh_demand_index()
    return demand


def demand_close_past_deadline(*, today: date | None = None) -> int:
    """Close published demands whose deadline has passed (scheduled daily); returns how many."""
    today = today or timezone.localdate()
    closed = 0
    for demand in Demand.objects.filter(state=DemandState.PUBLISHED, deadline__lt=today):
        with transaction.atomic():
            transition(
                demand,
                to=DemandState.CLOSED,
                by=None,
                allowed=DEMAND_TRANSITIONS,
                reason=_("截止日期已过，系统自动关闭"),
                changes={"closed_at": timezone.now()},
            )
        closed += 1
    if closed:
        _refresh_demand_index()
    return closed


# --- intents (two-way choice) ------------------------------------------------------------------------


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
    from .matching import is_serving

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
    from .matching import is_serving

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


# --- matchmaking events ------------------------------------------------------------------------------


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
