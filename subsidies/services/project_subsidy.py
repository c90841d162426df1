"""An appointment's money terms and its project subsidy (SPEC §5): the setup when the appointment is
made (policy version, subsidy, instalments, budget bookings), re-planning the instalments, and after an
early termination the suspension of the unpaid instalments and the commission's decision on them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.exceptions import PolicyError
from core.money import format_cny
from core.workflow import transition

from ..enums import (
    INSTALMENT_TRANSITIONS,
    BudgetCategory,
    InstalmentState,
    PayeeKind,
    SuspensionOutcome,
)
from ..exceptions import SubsidyError
from ..golive import go_live_date
from ..models import AppointmentTerms, Payment, ProjectSubsidy, SubsidyInstalment, SubsidySuspensionDecision
from ..policy import instalment_settled_outside, settled_outside_count
from ._common import _amount
from .allowances import _allowance_book, allowance_commitments
from .batches import _take_out_of_batch
from .budgets import budget_commit
from .payments import payment_delete, payment_update


def appointment_setup(*, appointment, by) -> ProjectSubsidy:
    """Record the money terms of a new appointment (contract with projects, see docs/contracts):

    the policy version in force today, the project subsidy from `project.approved_funding` with
    policy.project_subsidy (one instalment paid to the enterprise, re-plannable by staff), and the
    bookings against the budget: the subsidy in the year the term starts, the district allowances of
    the whole term in the years their months fall due. Idempotent: a second call returns the subsidy.
    """
    from ..policy import project_subsidy
    from ..selectors import policy_version_in_force

    project = appointment.project
    with transaction.atomic():
        existing = ProjectSubsidy.objects.filter(appointment=appointment).first()
        if existing is not None:
            return existing
        version = policy_version_in_force(timezone.localdate())
        AppointmentTerms.objects.get_or_create(appointment=appointment, defaults={"policy_version": version})
        try:
            amount = project_subsidy(
                project.approved_funding,
                social_science=project.subsidy_social_science,
                rate=version.project_subsidy_rate,
                cap=version.project_subsidy_cap,
                social_science_cap=version.social_science_cap,
            )
        except PolicyError as exc:
            raise SubsidyError(str(exc)) from exc
        year = appointment.start_date.year
        go_live = go_live_date()
        try:
            with transaction.atomic():
                subsidy = ProjectSubsidy.objects.create(
                    appointment=appointment,
                    expert=appointment.expert,
                    enterprise=appointment.enterprise,
                    term_start=appointment.start_date,
                    policy_version=version,
                    approved_funding=project.approved_funding,
                    social_science=project.subsidy_social_science,
                    amount=amount,
                    budget_year=year,
                    created_by=by,
                )
        except IntegrityError as exc:
            raise SubsidyError(
                _("该专家在本服务期内已获得一个合作项目资金补贴（政策规定一个服务期内仅可获得一个）。")
            ) from exc
        _instalments_create(subsidy, [(amount, appointment.start_date)], by=by)
        # What was settled outside the portal before it went live is not booked against its budget.
        if not instalment_settled_outside(appointment.start_date, go_live):
            budget_commit(
                year=year,
                category=BudgetCategory.SUBSIDY,
                amount=amount,
                by=by,
                source=subsidy,
                description=_("项目资金补贴：%(e)s") % {"e": appointment.enterprise},
                defer_override=True,
            )
        _allowance_book(
            appointment,
            allowance_commitments(
                appointment.start_date,
                appointment.months,
                version.monthly_allowance,
                skip=settled_outside_count(appointment.start_date, appointment.months, go_live),
            ),
            description=_("人才生活补贴：%(x)s") % {"x": appointment.expert},
            by=by,
        )
        audit(by, "projectsubsidy.create", subsidy, summary=f"{amount}", data={"policy": version.code})
    return subsidy


def _instalments_create(subsidy: ProjectSubsidy, plan, *, by) -> None:
    """The instalments and their Payments; an instalment due before the go-live date was settled outside
    the portal (SPEC §5): recorded without a Payment, so it is never due and never in a batch."""
    go_live = go_live_date()
    for number, (amount, due_on) in enumerate(plan, start=1):
        if instalment_settled_outside(due_on, go_live):
            SubsidyInstalment.objects.create(
                subsidy=subsidy, number=number, amount=amount, due_on=due_on, settled_outside=True
            )
            continue
        payment = Payment.objects.create(
            category=BudgetCategory.SUBSIDY,
            budget_year=subsidy.budget_year,
            payee_kind=PayeeKind.ENTERPRISE,
            payee_name=subsidy.enterprise.name,
            enterprise=subsidy.enterprise,
            amount=amount,
            due_on=due_on,
            created_by=by,
            purpose=(_("项目资金补贴（第%(n)s期）") % {"n": number}) if len(plan) > 1 else _("项目资金补贴"),
        )
        SubsidyInstalment.objects.create(
            subsidy=subsidy, number=number, amount=amount, due_on=due_on, payment=payment
        )


def subsidy_instalments_set(*, subsidy: ProjectSubsidy, plan: list[tuple[Decimal, date]], by) -> None:
    """Re-plan the project subsidy's instalments; their sum must equal the subsidy to the fen, and no
    instalment may already be in a batch or paid."""
    if not plan:
        raise SubsidyError(_("请至少填写一期。"))
    amounts = [_amount(a, label=_("分期金额")) for a, _d in plan]
    if any(a == 0 for a in amounts):
        raise SubsidyError(_("每期金额须大于零。"))
    total = sum(amounts, Decimal("0.00"))
    if total != subsidy.amount:
        raise SubsidyError(
            _("各期金额合计 %(sum)s，与补贴金额 %(amount)s 不一致。")
            % {"sum": format_cny(total), "amount": format_cny(subsidy.amount)}
        )
    with transaction.atomic():
        ProjectSubsidy.objects.select_for_update().get(pk=subsidy.pk)
        current = list(subsidy.instalments.select_related("payment"))
        if any(i.state != InstalmentState.SCHEDULED for i in current):
            raise SubsidyError(_("该补贴有暂停支付或已取消的分期，不能重新分期。"))
        if any(i.payment and (i.payment.batch_id or i.payment.paid_on) for i in current):
            raise SubsidyError(_("已有分期编入支付批次或已支付，不能重新分期。"))
        payments = [i.payment_id for i in current if i.payment_id]
        subsidy.instalments.all().delete()
        Payment.objects.filter(pk__in=payments).delete()
        _instalments_create(subsidy, list(zip(amounts, [d for _a, d in plan], strict=True)), by=by)
        audit(by, "projectsubsidy.instalments", subsidy, data={"plan": [[str(a), str(d)] for a, d in plan]})


# --- project subsidy after early termination (SPEC §5) ---------------------------------------------------


def subsidy_suspend_after_termination(*, appointment, by) -> list[int]:
    """Suspend the unpaid instalments of a terminated appointment's project subsidy until the commission
    decides (subsidy_suspension_decide): each leaves the due list (taken out of its draft batch first).
    An instalment in a submitted or approved batch cannot be suspended: SubsidyError, nothing changed —
    finance returns the batch first, or it is paid and the decision concerns the rest. Idempotent;
    returns the instalment ids suspended now."""
    subsidy = ProjectSubsidy.objects.filter(appointment=appointment).first()
    if subsidy is None:
        return []
    suspended = []
    with transaction.atomic():
        ProjectSubsidy.objects.select_for_update().get(pk=subsidy.pk)
        terminated_on = type(appointment).objects.get(pk=appointment.pk).terminated_on
        reason = _("聘任提前终止（终止日期 %(d)s），未支付的项目资金补贴暂停支付，待区科委决定") % {
            "d": f"{terminated_on:%Y-%m-%d}" if terminated_on else "—"
        }
        instalments = (
            subsidy.instalments.select_related("payment__batch")
            .filter(state=InstalmentState.SCHEDULED)
            .order_by("number")
        )
        for inst in instalments:
            payment = inst.payment
            if payment is None or payment.paid_on is not None:
                continue
            _take_out_of_batch(
                payment,
                by=by,
                refusal=_(
                    "项目资金补贴第%(n)s期已在支付批次 %(batch)s（%(state)s）中，不能暂停支付；"
                    "请先由财政退回该批次后再登记终止。"
                ),
                n=inst.number,
            )
            transition(
                inst, to=InstalmentState.SUSPENDED, by=by, allowed=INSTALMENT_TRANSITIONS, reason=reason
            )
            suspended.append(inst.pk)
        if suspended:
            audit(
                by,
                "projectsubsidy.suspend",
                subsidy,
                summary=reason,
                data={"instalments": suspended, "appointment": appointment.pk},
            )
    return suspended


def subsidy_suspension_decide(
    *, subsidy: ProjectSubsidy, outcome: str, reason: str, by, amount=None
) -> SubsidySuspensionDecision:
    """The commission decides on the suspended instalments (SPEC §5), with a reason:

    - keep: they are due again as planned;
    - reduce: what is still to be paid becomes `amount` (more than 0, less than the suspended total) — the
      earliest suspended instalment carries it, the later ones are cancelled;
    - cancel: none of them is paid (their unpaid payments are deleted).

    The subsidy's amount and its budget commitment follow (the difference is released from the budget
    year of the subsidy); the decision is recorded, audited and shown in the appointment's history.
    Bad input raises SubsidyError and changes nothing."""
    reason = (reason or "").strip()
    if outcome not in SuspensionOutcome.values:
        raise SubsidyError(_("请选择决定：维持、核减或取消。"))
    if not reason:
        raise SubsidyError(_("请填写决定理由。"))
    with transaction.atomic():
        locked = ProjectSubsidy.objects.select_for_update().select_related("enterprise").get(pk=subsidy.pk)
        suspended = list(
            locked.instalments.select_related("payment")
            .filter(state=InstalmentState.SUSPENDED)
            .order_by("number")
        )
        if not suspended:
            raise SubsidyError(_("该项目资金补贴没有暂停支付的分期，无需决定。"))
        total = sum((i.amount for i in suspended), Decimal("0.00"))
        if outcome == SuspensionOutcome.REDUCE:
            if amount in (None, ""):
                raise SubsidyError(_("核减时请填写核减后的支付金额。"))
            if isinstance(amount, str):
                try:
                    amount = Decimal(amount.strip().replace(",", ""))
                except ArithmeticError:
                    raise SubsidyError(_("核减后的支付金额请填写数字。")) from None
            target = _amount(amount, label=_("核减后的支付金额"))
            if not Decimal("0") < target < total:
                raise SubsidyError(
                    _("核减后的支付金额须大于0且小于暂停支付的金额 %(total)s；维持或取消请选择相应决定。")
                    % {"total": format_cny(total)}
                )
        elif outcome == SuspensionOutcome.KEEP:
            target = total
        else:
            target = Decimal("0.00")
        label = SuspensionOutcome(outcome).label
        note = _("区科委决定：%(outcome)s。%(reason)s") % {"outcome": label, "reason": reason}
        for index, inst in enumerate(suspended):
            if outcome == SuspensionOutcome.KEEP:
                transition(
                    inst, to=InstalmentState.SCHEDULED, by=by, allowed=INSTALMENT_TRANSITIONS, reason=note
                )
            elif outcome == SuspensionOutcome.REDUCE and index == 0:
                if inst.payment_id:
                    payment_update(payment=inst.payment, amount=target, by=by)
                transition(
                    inst,
                    to=InstalmentState.SCHEDULED,
                    by=by,
                    allowed=INSTALMENT_TRANSITIONS,
                    reason=note,
                    changes={"amount": target},
                )
            else:
                payment = inst.payment
                transition(
                    inst,
                    to=InstalmentState.CANCELLED,
                    by=by,
                    allowed=INSTALMENT_TRANSITIONS,
                    reason=note,
                    changes={"payment": None},
                )
                if payment is not None:
                    payment_delete(payment=payment, by=by)
        released = total - target
        if released:
            locked.amount -= released
            locked.save(update_fields=["amount"])
            budget_commit(
                year=locked.budget_year,
                category=BudgetCategory.SUBSIDY,
                amount=-released,
                by=by,
                source=locked,
                description=_("项目资金补贴（提前终止，%(outcome)s）：%(e)s")
                % {"outcome": label, "e": locked.enterprise},
            )
        decision = SubsidySuspensionDecision.objects.create(
            subsidy=locked,
            outcome=outcome,
            suspended_amount=total,
            amount=target,
            reason=reason,
            decided_by=by,
        )
        audit(
            by,
            "projectsubsidy.suspension_decide",
            locked,
            summary=f"{label} {target}",
            data={
                "outcome": outcome,
                "suspended": str(total),
                "amount": str(target),
                "released": str(released),
                "reason": reason,
            },
        )
    subsidy.amount = locked.amount
    return decision
