"""Writes of the talent pool: nominations and their workflow, the pool, the expert's profile.

Every state change goes through core.workflow.transition (row lock, transition record, audit event);
mail goes out after commit.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from accounts.models import User
from accounts.services import role_grant
from core.audit import audit
from core.crypto import blind_index, decrypt, encrypt
from core.exceptions import PolicyError
from core.http import site_url
from core.identifiers import birth_date_from_id, is_valid_id_number, mask_id_number
from core.mail import mail_queue
from core.notifications import Msg, UserText, notification_send
from core.workflow import transition

from . import policy
from .enums import (
    CORE_FIELDS,
    EDITABLE_STATES,
    FREE_FIELDS,
    OPEN_STATES,
    TRANSITIONS,
    ChangeRequestState,
    EligibilityResult,
    ExceptionDecision,
    NominationState,
)
from .exceptions import NominationError
from .models import Achievement, Discipline, Expert, ExpertChangeRequest, Institution, Nomination

ID_PURPOSE = "id_number"
#: Expert fields a nomination form or import row may set.
PROFILE_FIELDS = (
    "name",
    "gender",
    "phone",
    "email",
    "department",
    "discipline",
    "research_fields",
    "keywords",
    "degree",
    "title",
    "title_level",
    "work_start",
    "core_ip",
    "core_ip_description",
)


# ID numbers -----------------------------------------------------------------------------------------


def id_number_hash(id_number: str) -> str:
    return blind_index(id_number, purpose=ID_PURPOSE)


def expert_set_id_number(expert: Expert, id_number: str) -> None:
    """Set the encrypted number, its blind index, the masked form and the birth date (not saved)."""
    code = id_number.strip().upper()
    if not is_valid_id_number(code):
        raise NominationError(
            _("身份证号码“%(code)s”无效（位数、出生日期或校验位不正确）。") % {"code": mask_id_number(code)}
        )
    expert.id_number_encrypted = encrypt(code)
    expert.id_number_hash = id_number_hash(code)
    expert.id_number_masked = mask_id_number(code)
    expert.birth_date = birth_date_from_id(code)


def expert_id_number(expert: Expert, *, by) -> str:
    """The full ID number, for a role that needs it; every read is audited."""
    audit(by, "expert.id_number_view", expert)
    return decrypt(expert.id_number_encrypted)


def expert_phone(expert: Expert, *, by) -> str:
    """The full phone number shown to staff on the expert's page (core.phones); every reveal is audited."""
    audit(by, "expert.phone_view", expert)
    return expert.phone


def search_text_for(
    expert: Expert, institution: Institution, discipline: Discipline, achievement_titles=()
) -> str:
    """The talent pool's search text, as the PostgreSQL trigger of experts migration 0005 writes it
    (there the trigger is the only source; this fills the column on SQLite, the embedded demo)."""
    parts = [
        expert.name,
        expert.keywords,
        expert.research_fields,
        expert.department,
        expert.title,
        " ".join(p.strip() for p in (institution.name, institution.short_name) if p and p.strip()),
        discipline.name,
        " ".join(t.strip() for t in achievement_titles if t and t.strip()),
    ]
    return " ".join(p.strip() for p in parts if p and p.strip())


def _refresh_search_text(expert: Expert) -> None:
    expert.search_text = search_text_for(expert, expert.institution, expert.discipline)


def _check_dates(work_start: date | None, *, today: date) -> None:
    if work_start and work_start > today:
        raise NominationError(_("首次参加工作日期不能晚于今天。"))


# Nominations ----------------------------------------------------------------------------------------


def _achievements_replace(expert: Expert, achievements: list[dict] | None) -> None:
    if achievements is None:
        return
    expert.achievements.all().delete()
    Achievement.objects.bulk_create(
        [Achievement(expert=expert, order=i, **row) for i, row in enumerate(achievements)]
    )
    if connection.vendor != "postgresql":  # PostgreSQL's trigger has already done this
        titles = [row.get("title", "") for row in achievements]
        expert.search_text = search_text_for(expert, expert.institution, expert.discipline, titles)
        Expert.objects.filter(pk=expert.pk).update(search_text=expert.search_text)


@transaction.atomic
def nomination_create(
    *,
    institution: Institution,
    by,
    data: dict,
    id_number: str,
    achievements: list[dict] | None = None,
    files: dict | None = None,
) -> Nomination:
    """A new draft nomination of the person with `id_number` (or the existing draft of that person,
    updated: a person has at most one nomination in progress)."""
    _check_dates(data.get("work_start"), today=timezone.localdate())
    digest = id_number_hash(id_number.strip())
    expert = Expert.objects.select_for_update().filter(id_number_hash=digest).first()
    if expert is not None:
        if expert.institution_id != institution.pk:
            raise NominationError(_("该身份证号码的专家已由其他推荐单位推荐，不能重复推荐。"))
        if expert.in_pool:
            raise NominationError(_("该专家已入库，无需再次推荐。"))
        open_nomination = expert.nominations.filter(state__in=OPEN_STATES).first()
        if open_nomination is not None:
            return nomination_update(
                nomination=open_nomination, by=by, data=data, achievements=achievements, files=files
            )
    else:
        expert = Expert(institution=institution)
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(expert, field, data[field])
    expert_set_id_number(expert, id_number)
    for field, value in (files or {}).items():
        if field in {"resume", "core_ip_evidence"} and value:
            setattr(expert, field, value)
    _refresh_search_text(expert)
    expert.save()
    _achievements_replace(expert, achievements)
    nomination = Nomination.objects.create(
        institution=institution,
        expert=expert,
        created_by=by,
        declaration=bool(data.get("declaration")),
        exception_justification=data.get("exception_justification", ""),
        recommendation_letter=(files or {}).get("recommendation_letter") or "",
    )
    nomination.transitions.create(
        from_state="", to_state=NominationState.DRAFT, actor=by, reason=_("创建推荐草稿")
    )
    audit(by, "nomination.create", nomination, summary=expert.name)
    return nomination


@transaction.atomic
def nomination_update(
    *,
    nomination: Nomination,
    by,
    data: dict,
    id_number: str | None = None,
    achievements: list[dict] | None = None,
    files: dict | None = None,
) -> Nomination:
    """Change a draft or returned nomination (and the expert's profile it carries)."""
    nomination = Nomination.objects.select_for_update().select_related("expert").get(pk=nomination.pk)
    if nomination.state not in EDITABLE_STATES:
        raise NominationError(
            _("推荐当前为“%(state)s”，不能修改。") % {"state": nomination.get_state_display()}
        )
    _check_dates(data.get("work_start"), today=timezone.localdate())
    expert = nomination.expert
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(expert, field, data[field])
    if id_number and id_number_hash(id_number) != expert.id_number_hash:
        if Expert.objects.filter(id_number_hash=id_number_hash(id_number)).exclude(pk=expert.pk).exists():
            raise NominationError(_("该身份证号码已有专家记录，不能重复。"))
        expert_set_id_number(expert, id_number)
    for field, value in (files or {}).items():
        if field in {"resume", "core_ip_evidence"} and value:
            setattr(expert, field, value)
    _refresh_search_text(expert)
    expert.save()
    _achievements_replace(expert, achievements)
    update = ["updated_at"]
    for field in ("declaration", "exception_justification"):
        if field in data:
            setattr(nomination, field, data[field])
            update.append(field)
    if (files or {}).get("recommendation_letter"):
        nomination.recommendation_letter = files["recommendation_letter"]
        update.append("recommendation_letter")
    nomination.save(update_fields=update)
    audit(by, "nomination.update", nomination, summary=expert.name)
    return nomination


def nomination_eligibility(nomination: Nomination, *, as_of: date) -> policy.Eligibility:
    expert = nomination.expert
    institution = nomination.institution
    dfc = set(institution.double_first_class_disciplines.values_list("name", flat=True))
    return policy.check_eligibility(
        institution_kinds=institution.kinds,
        discipline=expert.discipline.name,
        double_first_class=dfc,
        degree=expert.degree,
        title_level=expert.title_level,
        work_start=expert.work_start,
        as_of=as_of,
        core_ip=expert.core_ip,
    )


def nomination_submit(*, nomination: Nomination, by, as_of: date | None = None) -> Nomination:
    """Submit (or resubmit) a nomination: completeness checks, then check_eligibility as of the
    nomination date; its result and reasons are stored with the nomination."""
    as_of = as_of or timezone.localdate()
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update()
            .select_related("expert", "expert__discipline", "institution")
            .get(pk=nomination.pk)
        )
        if nomination.state not in EDITABLE_STATES:
            raise NominationError(
                _("推荐当前为“%(state)s”，不能提交。") % {"state": nomination.get_state_display()}
            )
        problems = []
        if not nomination.declaration:
            problems.append(_("请勾选推荐单位承诺（政治素质、身体健康、责任心）。"))
        if not nomination.recommendation_letter:
            problems.append(_("请上传盖章签字的推荐函。"))
        try:
            result = nomination_eligibility(nomination, as_of=as_of)
        except PolicyError as exc:
            raise NominationError(str(exc)) from exc
        if result.needs_exception:
            if not nomination.exception_justification.strip():
                problems.append(_("专家不满足学历/职称或工作年限条件，申请放宽须填写放宽理由。"))
            if not nomination.expert.core_ip_evidence:
                problems.append(_("申请放宽须上传核心知识产权或成熟科技成果的证明材料。"))
        if problems:
            raise NominationError(" ".join(str(p) for p in problems))
        if result.eligible:
            outcome, decision = EligibilityResult.ELIGIBLE, ExceptionDecision.NONE
        elif result.needs_exception:
            outcome, decision = EligibilityResult.EXCEPTION, ExceptionDecision.PENDING
        else:
            outcome, decision = EligibilityResult.INELIGIBLE, ExceptionDecision.NONE
        reason = "；".join(result.reasons[code] for code in result.failures) or _("资格审查：符合条件")
        nomination = transition(
            nomination,
            to=NominationState.SUBMITTED,
            by=by,
            allowed=TRANSITIONS,
            reason=reason,
            changes={
                "submitted_at": timezone.now(),
                "nominated_on": as_of,
                "eligibility": outcome,
                "eligibility_failures": list(result.failures),
                "eligibility_reasons": dict(result.reasons),
                "exception_decision": decision,
                "exception_decided_by": None,
                "exception_decided_at": None,
                "exception_decision_note": "",
            },
        )
        for staff in _commission_users():
            notification_send(
                recipient=staff,
                title=Msg(gettext_lazy("新的专家推荐：%(name)s"), name=nomination.expert.name),
                body=Msg(
                    gettext_lazy("%(institution)s提交了专家推荐，请审核。"),
                    institution=nomination.institution.name,
                ),
                link=reverse("experts:nomination-detail", args=[nomination.pk]),
                email=False,
            )
    return nomination


def _commission_users():
    return User.objects.filter(roles__role=Role.COMMISSION, is_active=True).distinct()


def _require_reason(reason: str, action: str) -> str:
    reason = str(reason or "").strip()
    if not reason:
        raise NominationError(_("%(action)s须填写理由。") % {"action": action})
    return reason


def _notify_institution(nomination: Nomination, title: Msg, body: Msg) -> None:
    link = reverse("experts:nomination-detail", args=[nomination.pk])
    for member in nomination.institution.members.select_related("user"):
        notification_send(recipient=member.user, title=title, body=body, link=link)


def nomination_return(*, nomination: Nomination, by, reason: str) -> Nomination:
    reason = _require_reason(reason, _("退回"))
    with transaction.atomic():
        nomination = transition(
            nomination, to=NominationState.RETURNED, by=by, allowed=TRANSITIONS, reason=reason
        )
        _notify_institution(
            nomination,
            Msg(gettext_lazy("专家推荐被退回修改：%(name)s"), name=nomination.expert.name),
            Msg(gettext_lazy("退回理由：%(reason)s"), reason=reason),
        )
    return nomination


def nomination_reject(*, nomination: Nomination, by, reason: str) -> Nomination:
    reason = _require_reason(reason, _("不予入库"))
    with transaction.atomic():
        nomination = transition(
            nomination,
            to=NominationState.REJECTED,
            by=by,
            allowed=TRANSITIONS,
            reason=reason,
            changes={"decided_at": timezone.now()},
        )
        _notify_institution(
            nomination,
            Msg(gettext_lazy("专家推荐未获入库：%(name)s"), name=nomination.expert.name),
            Msg(gettext_lazy("理由：%(reason)s"), reason=reason),
        )
    return nomination


@transaction.atomic
def nomination_exception_decide(*, nomination: Nomination, by, approve: bool, note: str) -> Nomination:
    """Staff's explicit decision on the exception path (放宽), with its author and time recorded."""
    note = _require_reason(note, _("放宽审批"))
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.state != NominationState.SUBMITTED or nomination.eligibility != EligibilityResult.EXCEPTION:
        raise NominationError(_("只有已提交、需放宽审批的推荐才能审批放宽。"))
    nomination.exception_decision = ExceptionDecision.APPROVED if approve else ExceptionDecision.REFUSED
    nomination.exception_decided_by = by
    nomination.exception_decided_at = timezone.now()
    nomination.exception_decision_note = note
    nomination.save(
        update_fields=[
            "exception_decision",
            "exception_decided_by",
            "exception_decided_at",
            "exception_decision_note",
            "updated_at",
        ]
    )
    audit(
        by,
        "nomination.exception_" + ("approve" if approve else "refuse"),
        nomination,
        summary=note[:200],
        data={"note": note},
    )
    return nomination


def nomination_admit(*, nomination: Nomination, by, reason: str = "", invite: bool = True) -> Nomination:
    """Admit the expert into the pool (入库): only an eligible nomination, or one whose exception staff
    approved. The expert gets a login and an invitation email with a one-time set-password link."""
    with transaction.atomic():
        current = Nomination.objects.select_for_update().select_related("expert").get(pk=nomination.pk)
        if current.state == NominationState.SUBMITTED:
            if current.eligibility == EligibilityResult.INELIGIBLE:
                failed = "；".join(
                    f"{policy.RULE_LABELS.get(code, code)}：{text}"
                    for code, text in (current.eligibility_reasons or {}).items()
                )
                message = _("资格审查未通过，不能入库。未满足的条件：%(rules)s") % {"rules": failed or "—"}
                if "institution" in (current.eligibility_reasons or {}):  # policy 二: never an exception
                    message += _("（推荐单位条件不可放宽）")
                raise NominationError(message)
            if (
                current.eligibility == EligibilityResult.EXCEPTION
                and current.exception_decision != ExceptionDecision.APPROVED
            ):
                raise NominationError(_("该推荐须先经区科委批准放宽条件，才能入库。"))
            if current.eligibility not in {EligibilityResult.ELIGIBLE, EligibilityResult.EXCEPTION}:
                raise NominationError(_("该推荐尚未进行资格审查，不能入库。"))
        now = timezone.now()
        nomination = transition(
            current,
            to=NominationState.ADMITTED,
            by=by,
            allowed=TRANSITIONS,
            reason=str(reason or _("准予入库")),
            changes={"decided_at": now},
        )
        expert = Expert.objects.select_for_update().get(pk=nomination.expert_id)
        expert.in_pool = True
        expert.admitted_at = now
        expert.save(update_fields=["in_pool", "admitted_at", "updated_at"])
        audit(by, "expert.admit", expert, summary=expert.name)
        if invite:
            expert_invite(expert=expert, by=by)
        _notify_institution(
            nomination,
            Msg(gettext_lazy("专家已入库：%(name)s"), name=expert.name),
            Msg(gettext_lazy("区科委已准予该专家入库。")),
        )
    return nomination


def _username_for(expert: Expert) -> str:
    base = f"expert{expert.pk}"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}_{n}"
    return candidate


@transaction.atomic
def expert_invite(*, expert: Expert, by) -> User:
    """Give the expert a login (or reuse theirs), grant Role.EXPERT, and email a one-time link to set
    the password (Django's password-reset token: void once the password is set or after
    PASSWORD_RESET_TIMEOUT)."""
    user = expert.user
    if user is None:
        user = User(
            username=_username_for(expert), full_name=expert.name, email=expert.email, phone=expert.phone
        )
        user.set_unusable_password()
        user.save()
        expert.user = user
        expert.save(update_fields=["user", "updated_at"])
    role_grant(user=user, role=Role.EXPERT, by=by)
    audit(by, "expert.invite", expert, summary=user.username)
    if user.email:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = site_url() + reverse("experts:invite-confirm", args=[uid, token])
        days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
        subject = _("昌平区“科技副总”专家人才库：入库通知及账号激活")
        body = _(
            "%(name)s 您好：\n\n您已入选昌平区“科技副总”专家人才库。"
            "请通过以下链接设置登录密码（链接仅可使用一次，%(days)s天内有效）：\n\n%(link)s\n\n登录用户名：%(username)s\n\n昌平区科学技术委员会"
        ) % {"name": expert.name, "link": link, "username": user.username, "days": days}
        mail_queue(subject, body, [user.email])
    return user


# The expert's own profile -------------------------------------------------------------------------------


def _display(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


@transaction.atomic
def expert_profile_update(
    *, expert: Expert, by, data: dict, achievements: list[dict] | None = None
) -> ExpertChangeRequest | None:
    """The expert keeps their profile: contact data, fields and keywords change at once; changes of
    core fields (CORE_FIELDS) become a change request that staff approve. Returns that request."""
    expert = Expert.objects.select_for_update().select_related("institution", "discipline").get(pk=expert.pk)
    _check_dates(data.get("work_start"), today=timezone.localdate())
    changed_free = []
    for field in FREE_FIELDS:
        if field in data and getattr(expert, field) != data[field]:
            setattr(expert, field, data[field])
            changed_free.append(field)
    _refresh_search_text(expert)
    expert.save()
    _achievements_replace(expert, achievements)
    if changed_free or achievements is not None:
        audit(by, "expert.profile_update", expert, data={"fields": changed_free})
    changes = {}
    for field in CORE_FIELDS:
        if field not in data:
            continue
        old, new = getattr(expert, field), data[field]
        if _display(old) != _display(new):
            changes[field] = {
                "old": _display(old),
                "new": _display(new),
                "old_label": str(old if old is not None else ""),
                "new_label": str(new if new is not None else ""),
                "field_label": str(Expert._meta.get_field(field).verbose_name),
            }
    if not changes:
        return None
    request = ExpertChangeRequest.objects.filter(expert=expert, state=ChangeRequestState.PENDING).first()
    if request is None:
        request = ExpertChangeRequest.objects.create(expert=expert, changes=changes, requested_by=by)
    else:
        request.changes = {**request.changes, **changes}
        request.save(update_fields=["changes"])
    audit(by, "expert.change_request", expert, data={"fields": sorted(changes)})
    for staff in _commission_users():
        notification_send(
            recipient=staff,
            title=Msg(gettext_lazy("专家信息变更待审核：%(name)s"), name=expert.name),
            link=reverse("experts:changerequest-list"),
            email=False,
            dedupe_key=f"experts.changerequest.{request.pk}",
        )
    return request


def _parse(field: str, raw: str):
    if raw == "":
        return None if field in {"work_start", "birth_date"} else ""
    if field in {"work_start", "birth_date"}:
        return date.fromisoformat(raw)
    if field == "core_ip":
        return raw == "True"
    if field == "institution":
        return Institution.objects.get(pk=int(raw))
    if field == "discipline":
        return Discipline.objects.get(pk=int(raw))
    return raw


@transaction.atomic
def change_request_decide(
    *, request: ExpertChangeRequest, by, approve: bool, note: str = ""
) -> ExpertChangeRequest:
    request = ExpertChangeRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ChangeRequestState.PENDING:
        raise NominationError(_("该变更申请已处理。"))
    if not approve and not note.strip():
        raise NominationError(_("不予通过须填写理由。"))
    expert = Expert.objects.select_for_update().get(pk=request.expert_id)
    if approve:
        for field, change in request.changes.items():
            if field in CORE_FIELDS:
                setattr(expert, field, _parse(field, change["new"]))
        expert.institution = Institution.objects.get(pk=expert.institution_id)
        expert.discipline = Discipline.objects.get(pk=expert.discipline_id)
        _refresh_search_text(expert)
        expert.save()
    request.state = ChangeRequestState.APPROVED if approve else ChangeRequestState.REJECTED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit(
        by,
        "expert.change_request_" + ("approve" if approve else "reject"),
        expert,
        data={"fields": sorted(request.changes), "note": note},
    )
    if expert.user_id:
        notification_send(
            recipient=expert.user,
            title=gettext_lazy("信息变更申请已通过") if approve else gettext_lazy("信息变更申请未通过"),
            body=UserText(note or ""),
            link=reverse("experts:expert-me"),
        )
    return request


# Institutions ---------------------------------------------------------------------------------------


@transaction.atomic
def institution_member_set(*, user: User, institution: Institution, by, position: str = ""):
    """Make `user` a nominator of `institution` (a user belongs to one institution)."""
    from .models import InstitutionMember

    member, _created = InstitutionMember.objects.update_or_create(
        user=user, defaults={"institution": institution, "position": position}
    )
    role_grant(user=user, role=Role.NOMINATOR, by=by)
    audit(by, "institution.member_set", institution, summary=user.username)
    return member
