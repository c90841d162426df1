"""Nominations and their workflow: the institution drafts, changes and submits a nomination (checked
for eligibility), the commission returns it, rejects it, decides an eligibility exception or admits
the expert to the pool (inviting them to the portal).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import commission_users
from core.audit import audit
from core.exceptions import PolicyError
from core.notifications import Msg, notification_send
from core.workflow import transition

from .. import policy
from ..enums import (
    EDITABLE_STATES,
    OPEN_STATES,
    TRANSITIONS,
    EligibilityResult,
    ExceptionDecision,
    NominationState,
)
from ..exceptions import NominationError
from ..models import Expert, Institution, Nomination
from ._common import PROFILE_FIELDS, _achievements_replace, _check_dates, _refresh_search_text
from .identity import expert_set_id_number, id_number_hash
from .users import expert_invite


def _profile_save(expert: Expert, *, data: dict, files: dict | None, achievements: list[dict] | None) -> None:
    """Write the profile fields of `data` and the uploaded résumé / core-IP evidence to `expert` (its ID
    number set before), then its search text, the row and its achievements."""
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(expert, field, data[field])
    for field, value in (files or {}).items():
        if field in {"resume", "core_ip_evidence"} and value:
            setattr(expert, field, value)
    _refresh_search_text(expert)
    expert.save()
    _achievements_replace(expert, achievements)


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
    expert_set_id_number(expert, id_number)
    _profile_save(expert, data=data, files=files, achievements=achievements)
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
    if id_number and id_number_hash(id_number) != expert.id_number_hash:
        if Expert.objects.filter(id_number_hash=id_number_hash(id_number)).exclude(pk=expert.pk).exists():
            raise NominationError(_("该身份证号码已有专家记录，不能重复。"))
        expert_set_id_number(expert, id_number)
    _profile_save(expert, data=data, files=files, achievements=achievements)
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
        for staff in commission_users():
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
