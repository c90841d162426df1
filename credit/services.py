"""Writes of the credit record: the nightly proposals, staff's notify / confirm / dismiss / repair / revoke,
the subject's objection and its handling, expiry, and the reason stored when staff go ahead with a
decision despite active negative records. Every state change goes through core.workflow.transition
(a transition record and an audit row); every other write is audited here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from accounts.selectors import commission_users
from core.audit import audit
from core.exceptions import PolicyError
from core.notifications import Msg, UserText, notification_send
from core.workflow import transition

from . import policy
from .enums import (
    TRANSITIONS,
    CreditRule,
    CreditState,
    ObjectionState,
    Polarity,
    SubjectKind,
)
from .exceptions import CreditError, CreditReasonRequired
from .models import SUBJECT_FIELDS, CreditObjection, CreditOverride, CreditRecord
from .selectors import credit_alerts, subject_ids_of


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise CreditError(message)


def _staff(by) -> None:
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以处理信用记录。"))


def _reason(reason: str, *, required: bool) -> str:
    try:
        return policy.check_reason(reason, required=required)
    except PolicyError as error:
        raise CreditError(_("请填写理由。")) from error


def _link(record: CreditRecord) -> str:
    return reverse("credit:record-detail", args=[record.pk])


def subject_users(record: CreditRecord) -> list:
    """The active accounts that speak for the record's subject."""
    from accounts.models import User

    kind = record.subject_kind
    if kind == SubjectKind.EXPERT:
        qs = User.objects.filter(expert_profile__pk=record.expert_id)
    elif kind == SubjectKind.REVIEWER:
        qs = User.objects.filter(reviewer_profile__pk=record.reviewer_id)
    elif kind == SubjectKind.ENTERPRISE:
        qs = User.objects.filter(enterprise_membership__enterprise_id=record.enterprise_id)
    else:
        qs = User.objects.filter(institution_membership__institution_id=record.institution_id)
    return list(qs.filter(is_active=True).order_by("pk"))


def _rule(record: CreditRecord):
    """The rule's label, lazy: the notification is rendered in its reader's language."""
    return CreditRule(record.rule).label


def _notify_subject(record: CreditRecord, *, title: Msg, body: Msg | str = "", users=None) -> int:
    users = subject_users(record) if users is None else users
    for user in users:
        notification_send(recipient=user, title=title, body=body, link=_link(record))
    return len(users)




def _move(record: CreditRecord, *, to: str, by, reason: str = "", changes=None) -> CreditRecord:
    return transition(record, to=to, by=by, allowed=TRANSITIONS, reason=reason, changes=changes)


# --- staff --------------------------------------------------------------------------------------------


def credit_notify(*, record: CreditRecord, by, today: date | None = None) -> CreditRecord:
    """Tell the subject (in the portal and by email) and open the objection window."""
    _staff(by)
    today = today or timezone.localdate()
    _require(record.state == CreditState.PROPOSED, _("只有待核实的记录可以告知主体。"))
    _require(
        today >= record.occurred_on,
        _("告知日期不能早于事实发生日期（%(date)s）。") % {"date": record.occurred_on.isoformat()},
    )
    users = subject_users(record)
    _require(bool(users), _("该主体在平台上没有可用账号，无法告知；请核实后不予记录或先为其开通账号。"))
    deadline = policy.objection_deadline(today)
    with transaction.atomic():
        record = _move(
            record, to=CreditState.NOTIFIED, by=by,
            changes={"notified_on": today, "objection_deadline": deadline},
        )
        _notify_subject(
            record,
            users=users,
            title=Msg(gettext_lazy("信用记录告知：%(rule)s"), rule=_rule(record)),
            body=Msg(
                gettext_lazy("平台拟记录：%(conduct)s。如有异议，请于%(deadline)s前在平台提出。"),
                conduct=record.conduct,
                deadline=deadline,
            ),
        )
    return record


def credit_confirm(*, record: CreditRecord, by, today: date | None = None) -> CreditRecord:
    """Confirm after the objection window (or once the subject's objection was handled)."""
    _staff(by)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = CreditRecord.objects.select_for_update().get(pk=record.pk)
        counts = locked.objections.aggregate(
            open=Count("pk", filter=Q(state=ObjectionState.OPEN)),
            handled=Count("pk", filter=~Q(state=ObjectionState.OPEN)),
        )
        blocker = policy.confirm_blocker(
            state=locked.state, deadline=locked.objection_deadline, today=today,
            open_objections=counts["open"], handled_objections=counts["handled"],
        )
        _require(blocker is None, blocker or "")
        record = _move(record, to=CreditState.CONFIRMED, by=by, changes={"confirmed_on": today})
        _notify_subject(
            record,
            title=Msg(gettext_lazy("信用记录已确认：%(rule)s"), rule=_rule(record)),
            body=Msg(gettext_lazy("有效期至%(date)s。"), date=record.valid_until),
        )
    return record


def credit_dismiss(*, record: CreditRecord, by, reason: str) -> CreditRecord:
    """Drop a proposal or a notified record (the facts do not bear it out), with the reason."""
    _staff(by)
    reason = _reason(reason, required=True)
    _require(
        not record.objections.filter(state=ObjectionState.OPEN).exists(),
        _("主体提出的异议尚未处理，请先处理异议。"),
    )
    notified = record.state == CreditState.NOTIFIED
    with transaction.atomic():
        record = _move(record, to=CreditState.DISMISSED, by=by, reason=reason)
        if notified:
            _notify_subject(
                record, title=Msg(gettext_lazy("信用记录不予记录：%(rule)s"), rule=_rule(record))
            )
    return record


def credit_repair(*, record: CreditRecord, by, reason: str) -> CreditRecord:
    """信用修复: the subject has corrected the conduct; a negative record stops counting, with the reason."""
    _staff(by)
    reason = _reason(reason, required=True)
    _require(record.polarity == Polarity.NEGATIVE, _("只有失信记录可以信用修复。"))
    with transaction.atomic():
        record = _move(record, to=CreditState.REPAIRED, by=by, reason=reason)
        _notify_subject(record, title=Msg(gettext_lazy("信用记录已修复：%(rule)s"), rule=_rule(record)))
    return record


def credit_revoke(*, record: CreditRecord, by, reason: str) -> CreditRecord:
    """Withdraw a confirmed record that should not have been confirmed, with the reason."""
    _staff(by)
    reason = _reason(reason, required=True)
    with transaction.atomic():
        record = _move(record, to=CreditState.REVOKED, by=by, reason=reason)
        _notify_subject(record, title=Msg(gettext_lazy("信用记录已撤销：%(rule)s"), rule=_rule(record)))
    return record


def credit_expire(*, today: date | None = None) -> int:
    """Confirmed records past their last day become expired (the nightly job)."""
    today = today or timezone.localdate()
    count = 0
    for record in CreditRecord.objects.filter(state=CreditState.CONFIRMED, valid_until__lt=today):
        with transaction.atomic():
            _move(record, to=CreditState.EXPIRED, by=None, reason=_("有效期届满"))
        count += 1
    return count


# --- the subject's objection --------------------------------------------------------------------------


def objection_file(*, record: CreditRecord, by, content: str, today: date | None = None) -> CreditObjection:
    """The subject objects during the window; staff are told."""
    today = today or timezone.localdate()
    ids = subject_ids_of(by)
    _require(
        getattr(record, f"{record.subject_kind}_id") in ids.get(record.subject_kind, set()),
        _("只能对本人（本单位）的信用记录提出异议。"),
    )
    content = (content or "").strip()
    _require(bool(content), _("请填写异议内容。"))
    blocker = policy.objection_blocker(state=record.state, deadline=record.objection_deadline, today=today)
    _require(blocker is None, blocker or "")
    try:
        with transaction.atomic():
            objection = CreditObjection.objects.create(record=record, content=content, filed_by=by)
            audit(by, "creditobjection.create", record)
            for staff in commission_users():
                notification_send(
                    recipient=staff,
                    title=Msg(gettext_lazy("信用记录收到异议：%(subject)s"), subject=record.subject_name),
                    link=_link(record),
                )
    except IntegrityError as error:
        raise CreditError(_("已有一条异议正在处理，请等待处理结果。")) from error
    return objection


def objection_resolve(*, objection: CreditObjection, by, upheld: bool, resolution: str) -> CreditObjection:
    """Staff handle an objection: upheld dismisses the record; rejected lets staff confirm it."""
    _staff(by)
    resolution = _reason(resolution, required=True)
    with transaction.atomic():
        locked = CreditObjection.objects.select_for_update().get(pk=objection.pk)
        _require(locked.state == ObjectionState.OPEN, _("该异议已处理。"))
        locked.state = ObjectionState.UPHELD if upheld else ObjectionState.REJECTED
        locked.resolution = resolution
        locked.resolved_by = by
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["state", "resolution", "resolved_by", "resolved_at"])
        record = locked.record
        audit(by, "creditobjection.resolve", record, summary=locked.state, data={"reason": resolution})
        if upheld:
            _move(record, to=CreditState.DISMISSED, by=by, reason=_("异议成立：%(r)s") % {"r": resolution})
        notification_send(
            recipient=locked.filed_by,
            title=Msg(
                gettext_lazy("信用记录异议处理结果：%(state)s"), state=ObjectionState(locked.state).label
            ),
            body=UserText(resolution),
            link=_link(record),
        )
    return locked


# --- going ahead despite active negative records (the 信用提示 hooks) ------------------------------------


def credit_override(
    *,
    decision: str,
    target,
    by,
    reason: str,
    experts: Iterable[int | None] = (),
    enterprises: Iterable[int | None] = (),
    reviewers: Iterable[int | None] = (),
    institutions: Iterable[int | None] = (),
    today: date | None = None,
) -> CreditOverride | None:
    """Call inside the decision's transaction, before it. No active negative record: nothing happens. Some:
    a reason is required (CreditReasonRequired otherwise) and stored with the records it answered. A record
    never blocks by itself."""
    alerts = credit_alerts(
        experts=experts, enterprises=enterprises, reviewers=reviewers, institutions=institutions, today=today
    )
    if not alerts.needs_reason:
        return None
    reason = (reason or "").strip()
    if not reason:
        raise CreditReasonRequired(
            _("相关主体有%(n)d条有效的失信记录（见信用提示），继续办理须填写理由。")
            % {"n": len(alerts.negative)}
        )
    with transaction.atomic():
        override = CreditOverride.objects.create(
            decision=decision,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            reason=reason,
            decided_by=by,
        )
        override.records.set(alerts.negative)
        audit(
            by, "creditoverride.create", target, summary=decision,
            data={"reason": reason, "records": [r.pk for r in alerts.negative]},
        )
    return override


# --- the nightly proposals ----------------------------------------------------------------------------


def _label(model) -> str:
    return model._meta.label_lower


def _facts(today: date):
    """(proposal, source, subject id by kind) for every fact the portal holds, rule by rule."""
    from awards.models import Award
    from projects.enums import AppointmentState, AssignmentState, RoundState
    from projects.models import Appointment, ReviewAssignment
    from subsidies.enums import AllowanceKind
    from subsidies.models import AllowancePayment
    from terms.enums import EvaluationState, Grade, ReportState
    from terms.models import Evaluation, Termination
    from terms.policy import REPORT_DUE_DAYS

    # enterprise matching allowance unconfirmed for over N months (one record per appointment)
    cutoff = today - relativedelta(months=policy.MATCHING_UNCONFIRMED_MONTHS)
    late = defaultdict(list)
    appointments = {}
    for row in AllowancePayment.objects.filter(
        kind=AllowanceKind.MATCHING, confirmed_on__isnull=True, settled_outside=False, due_on__lt=cutoff
    ).select_related("appointment").order_by("appointment_id", "month"):
        late[row.appointment_id].append((row.month, row.due_on))
        appointments[row.appointment_id] = row.appointment
    for appointment_id, months in late.items():
        appointment = appointments[appointment_id]
        for p in policy.matching_unconfirmed(unconfirmed=months, as_of=today):
            yield p, appointment, {SubjectKind.ENTERPRISE: appointment.enterprise_id}

    # term-end report overdue
    limit = today - timedelta(days=policy.REPORT_OVERDUE_GRACE_DAYS + REPORT_DUE_DAYS)
    ended = Appointment.objects.filter(state=AppointmentState.ENDED, end_date__lt=limit).exclude(
        term_report__state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED]
    )
    for appointment in ended:
        for p in policy.report_overdue(
            end_date=appointment.end_date, terminated=False, submitted=False, as_of=today
        ):
            yield p, appointment, {SubjectKind.ENTERPRISE: appointment.enterprise_id}

    # early termination with its cause
    for termination in Termination.objects.select_related("appointment"):
        subjects = {
            SubjectKind.EXPERT: termination.appointment.expert_id,
            SubjectKind.ENTERPRISE: termination.appointment.enterprise_id,
        }
        for p in policy.early_termination(terminated_on=termination.terminated_on, reason=termination.reason):
            yield p, termination, subjects

    # evaluation 不合格 / 优秀
    for evaluation in Evaluation.objects.filter(
        state=EvaluationState.FINALISED, grade__in=[Grade.FAIL, Grade.EXCELLENT]
    ).select_related("appointment"):
        finalised_on = evaluation.finalised_on or timezone.localdate(evaluation.updated_at)
        for p in policy.evaluation_result(grade=evaluation.grade, finalised_on=finalised_on):
            yield p, evaluation, {SubjectKind.EXPERT: evaluation.appointment.expert_id}

    # reviewer deadlines missed (the sheet still open after the round's scoring deadline)
    for assignment in ReviewAssignment.objects.filter(
        state=AssignmentState.ASSIGNED,
        round__deadline__lt=timezone.now(),
        round__state__in=[RoundState.OPEN, RoundState.CLOSED, RoundState.DECIDED],
    ).select_related("round"):
        deadline = timezone.localdate(assignment.round.deadline)
        for p in policy.review_deadline_missed(
            deadline=deadline, scored=False, withdrawn=False, round_name=assignment.round.name, as_of=today
        ):
            yield p, assignment, {SubjectKind.REVIEWER: assignment.reviewer_id}

    # award winners
    for award in Award.objects.select_related("cycle"):
        for p in policy.award_winner(
            year=award.cycle.year,
            prize=award.get_level_display(),
            decided_on=timezone.localdate(award.created_at),
        ):
            yield p, award, {SubjectKind.EXPERT: award.expert_id, SubjectKind.ENTERPRISE: award.enterprise_id}


def credit_propose(*, today: date | None = None) -> int:
    """The nightly job: propose a record for every fact that meets a rule and has none yet (exactly once:
    the unique constraint on source, rule and subject kind). A record whose last day has already passed is
    not proposed. Returns the number of records written."""
    today = today or timezone.localdate()
    existing = set(CreditRecord.objects.values_list("rule", "source_type", "source_id", "subject_kind"))
    written = 0
    for proposal, source, subjects in _facts(today):
        subject_id = subjects.get(proposal.subject_kind)
        key = (str(proposal.rule), _label(source), str(source.pk), str(proposal.subject_kind))
        if not subject_id or key in existing or proposal.valid_until < today:
            continue
        try:
            with transaction.atomic():
                record = CreditRecord.objects.create(
                    subject_kind=proposal.subject_kind,
                    **{SUBJECT_FIELDS[proposal.subject_kind] + "_id": subject_id},
                    rule=proposal.rule,
                    conduct=proposal.conduct,
                    basis=proposal.basis,
                    source_type=key[1],
                    source_id=key[2],
                    polarity=proposal.polarity,
                    severity=proposal.severity,
                    occurred_on=proposal.occurred_on,
                    valid_until=proposal.valid_until,
                )
                record.transitions.create(from_state="", to_state=CreditState.PROPOSED, actor=None)
                audit(None, "creditrecord.proposed", record, summary=f"— → {CreditState.PROPOSED}")
        except IntegrityError:
            continue  # proposed meanwhile by a concurrent run
        existing.add(key)
        written += 1
    return written


def credit_nightly(*, today: date | None = None) -> dict[str, int]:
    return {"proposed": credit_propose(today=today), "expired": credit_expire(today=today)}
