"""Outcomes reported by either side of a term: who acts for which side, reporting and changing an
outcome (evidence, identifier claimed by one term only, the reporting window), its confirmation or
dispute by the other side and its verification by the commission, and the completion block while
an outcome is pending.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from core.audit import audit
from core.notifications import Msg, UserText
from core.uploads import DocumentValidator
from core.workflow import transition
from projects.models import Appointment
from terms import selectors as term_selectors

from .. import policy
from ..enums import CLAIMING_STATES, OUTCOME_TRANSITIONS, PENDING_STATES, OutcomeAction, OutcomeState, Side
from ..exceptions import OutcomeError
from ..models import Outcome, OutcomeKind
from ._common import _completed, _notify, _today, term_end


def _link(outcome) -> str:
    return reverse("outcomes:outcome-detail", args=[outcome.pk])


def user_sides(user, appointment) -> frozenset:
    sides = set()
    if user.has_role(Role.ENTERPRISE) and appointment.enterprise.members.filter(user=user).exists():
        sides.add(Side.ENTERPRISE)
    if user.has_role(Role.EXPERT) and appointment.expert.user_id == user.pk:
        sides.add(Side.EXPERT)
    return frozenset(sides)


def actor_for(user, outcome) -> policy.Actor:
    return policy.Actor(
        sides=user_sides(user, outcome.appointment),
        staff=user.has_role(Role.COMMISSION),
        reporter=outcome.reported_by_id == user.pk,
    )


def _other_side_users(outcome):
    appointment = outcome.appointment
    if outcome.side == Side.ENTERPRISE:
        return term_selectors.expert_users(appointment.expert)
    return term_selectors.enterprise_users(appointment.enterprise)


def _reporter_side_users(outcome):
    appointment = outcome.appointment
    if outcome.side == Side.ENTERPRISE:
        return term_selectors.enterprise_users(appointment.enterprise)
    return term_selectors.expert_users(appointment.expert)


def _check_evidence(evidence) -> None:
    if not evidence:
        return
    try:
        DocumentValidator(policy.EVIDENCE_KINDS)(evidence)
    except ValidationError as exc:
        raise OutcomeError(" ".join(exc.messages)) from exc
    if hasattr(evidence, "seek"):
        evidence.seek(0)


def _identifier_key(kind: OutcomeKind, identifier: str) -> str:
    return policy.normalise_identifier(identifier, patent=kind.is_patent)


def _check_identifier_free(kind: OutcomeKind, key: str, *, exclude_pk: int | None = None) -> None:
    if not key:
        return
    taken = Outcome.objects.filter(kind=kind, identifier_key=key, state__in=CLAIMING_STATES)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    other = taken.select_related("appointment__expert", "appointment__enterprise").first()
    if other is not None:
        raise OutcomeError(
            _(
                "编号“%(id)s”的%(kind)s已由%(expert)s（%(enterprise)s）的服务期填报，同一成果只能计入一个服务期"
            )
            % {
                "id": other.identifier,
                "kind": kind.name,
                "expert": other.appointment.expert.name,
                "enterprise": other.appointment.enterprise.name,
            }
        )


def _check_window(appointment, achieved_on: date) -> None:
    """policy.check_reporting_window of an outcome of `appointment` achieved on `achieved_on`, today."""
    policy.check_reporting_window(
        achieved_on=achieved_on,
        term_start=appointment.start_date,
        term_end=term_end(appointment),
        today=_today(),
        completed=_completed(appointment),
    )


def _clean(
    *, appointment, kind, side, title, identifier, level, quantity, amount, achieved_on, description,
    evidence, has_evidence: bool,
) -> dict:
    """The checked values of an outcome being reported or corrected (OutcomeError otherwise): its fields
    as they are stored, with the identifier's key."""
    if not kind.is_active:
        raise OutcomeError(_("该成果类型已停用"))
    _check_window(appointment, achieved_on)
    identifier = (identifier or "").strip()
    policy.check_values(
        kind.rules,
        side=side,
        identifier=identifier,
        level=level,
        quantity=quantity,
        amount=amount,
        has_evidence=has_evidence,
    )
    _check_evidence(evidence)
    return {
        "title": title.strip(),
        "identifier": identifier,
        "identifier_key": _identifier_key(kind, identifier),
        "level": level or "",
        "quantity": quantity,
        "amount": amount,
        "achieved_on": achieved_on,
        "description": (description or "").strip(),
    }


def _save_evidence(outcome: Outcome, evidence) -> None:
    if evidence:
        outcome.evidence.save(getattr(evidence, "name", "evidence.pdf"), evidence, save=False)


@contextmanager
def _identifier_claimed_once():
    """A write of an outcome; when another term claimed the same identifier meanwhile (the database's
    unique index), OutcomeError."""
    try:
        yield
    except IntegrityError as exc:
        raise OutcomeError(_("该编号的成果已由其他服务期填报，同一成果只能计入一个服务期")) from exc


def outcome_report(
    *,
    appointment,
    by,
    kind: OutcomeKind,
    title: str,
    achieved_on: date,
    identifier: str = "",
    level: str = "",
    quantity: int = 1,
    amount=None,
    description: str = "",
    evidence=None,
) -> Outcome:
    """The enterprise or the expert of `appointment` reports an outcome; the other side is asked to
    confirm it."""
    sides = user_sides(by, appointment)
    if not sides:
        raise OutcomeError(_("只有该服务期的企业或专家可以填报成果"))
    side = Side.ENTERPRISE if Side.ENTERPRISE in sides else Side.EXPERT
    if not (title or "").strip():
        raise OutcomeError(_("请填写成果名称"))
    values = _clean(
        appointment=appointment,
        kind=kind,
        side=side,
        title=title,
        identifier=identifier,
        level=level,
        quantity=quantity,
        amount=amount,
        achieved_on=achieved_on,
        description=description,
        evidence=evidence,
        has_evidence=bool(evidence),
    )
    with _identifier_claimed_once(), transaction.atomic():
        Appointment.objects.select_for_update().get(pk=appointment.pk)
        _check_identifier_free(kind, values["identifier_key"])
        outcome = Outcome(appointment=appointment, kind=kind, side=side, reported_by=by, **values)
        _save_evidence(outcome, evidence)
        outcome.save()
        outcome.transitions.create(from_state="", to_state=OutcomeState.AWAITING_CONFIRMATION, actor=by)
        audit(by, "outcome.report", outcome, summary=f"{kind.name} · {outcome.title}")
        _notify(
            _other_side_users(outcome),
            title=Msg(gettext_lazy("请确认合作方填报的成果：%(title)s"), title=outcome.title),
            link=_link(outcome),
        )
    return outcome


def outcome_update(
    *,
    outcome: Outcome,
    by,
    title: str,
    achieved_on: date,
    identifier: str = "",
    level: str = "",
    quantity: int = 1,
    amount=None,
    description: str = "",
    evidence=None,
) -> Outcome:
    """The reporting side corrects a returned outcome (then resubmits it)."""
    actor = actor_for(by, outcome)
    if not actor.reporter and outcome.side not in actor.sides:
        raise OutcomeError(_("只有填报方可以修改成果"))
    if outcome.state != OutcomeState.RETURNED:
        raise OutcomeError(_("只有被退回的成果可以修改"))
    values = _clean(
        appointment=outcome.appointment,
        kind=outcome.kind,
        side=outcome.side,
        title=title,
        identifier=identifier,
        level=level,
        quantity=quantity,
        amount=amount,
        achieved_on=achieved_on,
        description=description,
        evidence=evidence,
        has_evidence=bool(evidence) or bool(outcome.evidence),
    )
    with _identifier_claimed_once(), transaction.atomic():
        locked = Outcome.objects.select_for_update().get(pk=outcome.pk)
        if locked.state != OutcomeState.RETURNED:
            raise OutcomeError(_("只有被退回的成果可以修改"))
        _check_identifier_free(outcome.kind, values["identifier_key"], exclude_pk=locked.pk)
        for name, value in values.items():
            setattr(locked, name, value)
        _save_evidence(locked, evidence)
        locked.save()
        audit(by, "outcome.update", locked, summary=locked.title)
    return locked


def outcome_act(*, outcome: Outcome, action: str, by, reason: str = "") -> Outcome:
    """One step of the workflow (outcomes.enums.OUTCOME_TRANSITIONS) by `by`: the other side confirms or
    disputes, staff verify / return / reject (never their own side's report), the reporting side
    resubmits or withdraws. Checked again on the locked row."""
    action = OutcomeAction(action)
    reason = (reason or "").strip()
    actor = actor_for(by, outcome)
    policy.check_action(
        action=action, state=outcome.state, reporter_side=outcome.side, actor=actor, reason=reason
    )
    to = policy.action_target(action)
    changes: dict = {}
    if action == OutcomeAction.CONFIRM:
        changes = {"confirmed_by": by}
    elif action == OutcomeAction.VERIFY:
        changes = {"verified_by": by, "verified_on": _today()}
    elif action == OutcomeAction.RESUBMIT:
        changes = {"confirmed_by": None}
    with transaction.atomic():
        current = Outcome.objects.select_for_update().select_related("appointment").get(pk=outcome.pk)
        policy.check_action(
            action=action, state=current.state, reporter_side=current.side, actor=actor, reason=reason
        )
        if action == OutcomeAction.RESUBMIT:
            _check_window(current.appointment, current.achieved_on)
            if current.kind.evidence_required and not current.evidence:
                raise OutcomeError(_("该类成果需上传证明材料"))
        locked = transition(
            current, to=to, by=by, allowed=OUTCOME_TRANSITIONS, reason=reason, changes=changes
        )
        title, link = locked.title, _link(locked)
        note = UserText(reason) if reason else ""
        if action == OutcomeAction.CONFIRM:
            _notify(
                term_selectors.staff_users(),
                title=Msg(gettext_lazy("成果待核实：%(title)s"), title=title),
                link=link,
            )
        elif action == OutcomeAction.RESUBMIT:
            _notify(
                _other_side_users(locked),
                title=Msg(gettext_lazy("请确认合作方填报的成果：%(title)s"), title=title),
                link=link,
            )
        elif action in (OutcomeAction.DISPUTE, OutcomeAction.RETURN):
            _notify(
                _reporter_side_users(locked),
                title=Msg(gettext_lazy("成果被退回：%(title)s"), title=title),
                body=note,
                link=link,
            )
        elif action in (OutcomeAction.VERIFY, OutcomeAction.REJECT):
            users = {u.pk: u for u in [*_reporter_side_users(locked), *_other_side_users(locked)]}
            text = (
                gettext_lazy("成果已核实：%(title)s")
                if action == OutcomeAction.VERIFY
                else gettext_lazy("成果未予认定：%(title)s")
            )
            _notify(users.values(), title=Msg(text, title=title), body=note, link=link)
    outcome.state = locked.state
    return locked


# --- completion block ------------------------------------------------------------------------------------


def check_completion_allowed(appointment) -> None:
    """The term cannot be completed (结题) while an outcome is awaiting confirmation or verification."""
    pending = Outcome.objects.filter(appointment_id=appointment.pk, state__in=PENDING_STATES).count()
    if pending:
        raise OutcomeError(_("该服务期还有 %(n)d 项成果待确认或待核实，处理完毕后才能结题") % {"n": pending})
