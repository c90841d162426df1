"""Demo data for the credit record: the nightly job run on the demo facts (a long-unconfirmed enterprise
matching allowance, an early termination, the award winners), then a few records taken through the
workflow by the demo commission user (王晓峰): confirmed, notified with the window open, notified with the
enterprise's objection waiting, dismissed, and proposals still to check. Idempotent."""

from __future__ import annotations

from datetime import timedelta


def seed(stdout) -> None:
    from django.utils import timezone

    from accounts.models import User

    from . import services
    from .enums import CreditRule, CreditState, ObjectionState, SubjectKind
    from .models import CreditRecord

    proposed = services.credit_propose()
    staff = User.objects.filter(username="kw_wang").first()
    if staff is None:
        stdout.write(f"  credit: {proposed} proposed")
        return
    today = timezone.localdate()

    def first(rule, kind):
        return CreditRecord.objects.filter(rule=rule, subject_kind=kind).order_by("pk").first()

    def notify(record, days_ago):
        if record is not None and record.state == CreditState.PROPOSED and services.subject_users(record):
            # never before the fact itself (the service refuses that)
            when = max(today - timedelta(days=days_ago), record.occurred_on)
            services.credit_notify(record=record, by=staff, today=when)
            record.refresh_from_db()
        return record

    def confirm(record):
        # only once the objection window has passed: a fact of these last days stays notified
        if record is not None and record.state == CreditState.NOTIFIED and record.objection_deadline < today:
            services.credit_confirm(record=record, by=staff, today=today)
        return record

    # the enterprise that has not confirmed its matching payments: confirmed, active (信用提示 shows it)
    confirm(notify(first(CreditRule.MATCHING_UNCONFIRMED, SubjectKind.ENTERPRISE), 15))
    # an early termination agreed by all sides: the expert bears no blame (dismissed) …
    expert_side = first(CreditRule.EARLY_TERMINATION, SubjectKind.EXPERT)
    if expert_side is not None and expert_side.state == CreditState.PROPOSED:
        services.credit_dismiss(
            record=expert_side,
            by=staff,
            reason="经核实，提前终止系企业调整业务方向，经三方协商一致，专家无过错。",
        )
    # … the enterprise was told and objects (the objection waits for staff)
    enterprise_side = notify(first(CreditRule.EARLY_TERMINATION, SubjectKind.ENTERPRISE), 2)
    if enterprise_side is not None and enterprise_side.state == CreditState.NOTIFIED and not (
        enterprise_side.objections.exists()
    ):
        member = enterprise_side.enterprise.members.select_related("user").order_by("pk").first()
        if member is not None:
            services.objection_file(
                record=enterprise_side,
                by=member.user,
                content="提前终止系经企业、专家和推荐单位三方协商一致，企业已按月足额发放配套补助，不应记为失信。",
                today=today,
            )
    # award winners: the first prize confirmed, the next notified, the rest still to check
    winners = list(CreditRecord.objects.filter(rule=CreditRule.AWARD_WINNER).order_by("pk"))
    for record in winners[:2]:
        confirm(notify(record, 15))
    for record in winners[2:4]:
        notify(record, 1)
    counts = {s: CreditRecord.objects.filter(state=s).count() for s in CreditState}
    open_objections = sum(
        1 for r in CreditRecord.objects.filter(objections__state=ObjectionState.OPEN).distinct()
    )
    stdout.write(
        f"  credit: {proposed} proposed now; "
        + ", ".join(f"{s}={n}" for s, n in counts.items() if n)
        + f"; {open_objections} open objection(s)"
    )
