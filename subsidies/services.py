"""Writes of the subsidies app (SPEC §5): budgets and commitments, payments, payment batches.

Every service is keyword-only, runs in one transaction, writes its audit row and raises a
SubsidyError (or core.workflow.TransitionError) with a readable Chinese message, changing nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.exceptions import PolicyError
from core.money import format_cny, non_negative
from core.workflow import transition

from .enums import (
    INSTALMENT_TRANSITIONS,
    NOT_EDITABLE_PAID,
    TRANSITIONS,
    AllowanceKind,
    BudgetCategory,
    InstalmentState,
    PayeeKind,
    PaymentBatchState,
    SuspensionOutcome,
)
from .exceptions import BudgetExceeded, PaymentError, SubsidyError
from .golive import go_live_date
from .models import (
    AllowancePayment,
    AppointmentTerms,
    BankAccount,
    Budget,
    BudgetCommitment,
    BudgetLine,
    Payment,
    PaymentBatch,
    PaymentBatchChange,
    ProjectSubsidy,
    SubsidyInstalment,
    SubsidySuspensionDecision,
)
from .policy import instalment_settled_outside, settled_outside_count
from .selectors import batch_maker_roles, batch_totals, budget_remaining


def _amount(value, *, label: str) -> Decimal:
    try:
        amount = non_negative(value, label=label)
    except PolicyError as exc:
        raise SubsidyError(str(exc)) from exc
    if amount != amount.quantize(Decimal("0.01")):
        raise SubsidyError(_("%(label)s最多保留两位小数（精确到分）。") % {"label": label})
    return amount


# --- budgets ----------------------------------------------------------------------------------------


def budget_save(*, year: int, amounts: Mapping[str, Decimal], note: str = "", by) -> Budget:
    """Create or update the budget of `year` with an amount per category (BudgetCategory values)."""
    clean = {}
    for category, value in amounts.items():
        label = BudgetCategory(category).label
        clean[category] = _amount(value, label=str(label))
    with transaction.atomic():
        budget, created = Budget.objects.select_for_update().get_or_create(
            year=year, defaults={"note": note, "created_by": by}
        )
        if not created and note != budget.note:
            budget.note = note
            budget.save(update_fields=["note", "updated_at"])
        for category, amount in clean.items():
            BudgetLine.objects.update_or_create(budget=budget, category=category, defaults={"amount": amount})
        audit(by, "budget.save", budget, summary=f"{year}", data={k: str(v) for k, v in clean.items()})
    return budget


def budget_commit(
    *,
    year: int,
    category: str,
    amount: Decimal,
    description: str,
    by,
    source=None,
    override_reason: str = "",
    defer_override: bool = False,
) -> BudgetCommitment:
    """Book `amount` against `year`'s budget for `category`.

    Over the remaining budget, the commitment needs an explicit `override_reason` (recorded with who
    gave it); without one BudgetExceeded is raised and nothing is booked — unless `defer_override`
    (automatic bookings such as appointment_setup), which books it flagged as awaiting a staff override.
    A negative amount is a release and is always accepted.
    """
    category = BudgetCategory(category)
    try:
        amount = Decimal(amount) if not isinstance(amount, float) else None
    except ArithmeticError:
        amount = None
    if amount is None or not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise SubsidyError(_("金额须为精确到分的数值。"))
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        # Commitments to one year are serialised on the budget row, so two cannot both use the rest.
        Budget.objects.select_for_update().filter(year=year).first()
        remaining = budget_remaining(year, category)
        over = amount > 0 and amount > remaining
        if over and not override_reason and not defer_override:
            raise BudgetExceeded(
                _(
                    "%(year)s年度“%(category)s”预算余额为 %(remaining)s，本次占用 %(amount)s 超出余额；"
                    "如确需超预算，请填写理由后确认。"
                )
                % {
                    "year": year,
                    "category": category.label,
                    "remaining": format_cny(remaining),
                    "amount": format_cny(amount),
                },
                remaining=remaining,
            )
        commitment = BudgetCommitment.objects.create(
            year=year,
            category=category,
            amount=amount,
            description=description[:200],
            source_type=source._meta.label_lower if source is not None else "",
            source_id=str(source.pk) if source is not None else "",
            over_budget=over,
            override_reason=override_reason if over else "",
            override_by=by if over and override_reason else None,
            created_by=by,
        )
        audit(
            by,
            "budget.commit",
            commitment,
            summary=f"{year} {category} {amount}",
            data={"over_budget": over, "override_reason": commitment.override_reason},
        )
    return commitment


def budget_commitment_override(*, commitment: BudgetCommitment, reason: str, by) -> BudgetCommitment:
    """Staff accept an automatic over-budget commitment, giving the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise SubsidyError(_("请填写超预算确认理由。"))
    with transaction.atomic():
        locked = BudgetCommitment.objects.select_for_update().get(pk=commitment.pk)
        if not locked.awaiting_override:
            raise SubsidyError(_("该预算占用无需或已完成超预算确认。"))
        locked.override_reason, locked.override_by = reason, by
        locked.save(update_fields=["override_reason", "override_by"])
        audit(by, "budget.override", locked, summary=reason)
    commitment.override_reason, commitment.override_by = reason, by
    return locked


# --- bank accounts ------------------------------------------------------------------------------------


def bank_account_save(
    *,
    account: BankAccount | None = None,
    payee_kind: str,
    holder_name: str,
    bank_name: str,
    account_number: str,
    by,
    **owner,
) -> BankAccount:
    """Create or update a payee's bank account (the number is validated, then stored encrypted)."""
    number = "".join(account_number.split())
    if not number.isdigit() or not 8 <= len(number) <= 30:
        raise SubsidyError(_("银行账号须为8至30位数字。"))
    if not holder_name.strip() or not bank_name.strip():
        raise SubsidyError(_("请填写户名和开户银行。"))
    with transaction.atomic():
        if account is None:
            account = BankAccount(payee_kind=payee_kind, **owner)
        account.holder_name, account.bank_name, account.account_number = (
            holder_name.strip(),
            bank_name.strip(),
            number,
        )
        account.save()
        # The number itself never goes into the audit log.
        audit(by, "bankaccount.save", account, summary=f"{account.holder_name} {account.masked_number}")
    return account


# --- payments -------------------------------------------------------------------------------------------


def payment_create(
    *,
    category: str,
    budget_year: int,
    payee_kind: str,
    payee_name: str,
    amount,
    purpose: str,
    due_on: date,
    by,
    bank_account: BankAccount | None = None,
    note: str = "",
    **links,
) -> Payment:
    amount = _amount(amount, label=_("金额"))
    if not purpose.strip():
        raise SubsidyError(_("请填写付款用途。"))
    with transaction.atomic():
        payment = Payment.objects.create(
            category=BudgetCategory(category),
            budget_year=budget_year,
            payee_kind=payee_kind,
            payee_name=payee_name,
            bank_account=bank_account,
            amount=amount,
            purpose=purpose.strip(),
            due_on=due_on,
            note=note,
            created_by=by,
            **links,
        )
        audit(by, "payment.create", payment, summary=f"{payee_name} {amount} {purpose}")
    return payment


def _lock_editable(payment: Payment) -> Payment:
    locked = Payment.objects.select_for_update(of=("self",)).select_related("batch").get(pk=payment.pk)
    if locked.paid_on is not None or locked.reversal_of_id:
        raise PaymentError(str(NOT_EDITABLE_PAID))
    if locked.batch_id and locked.batch.state != PaymentBatchState.DRAFT:
        raise PaymentError(_("该款项所在批次已提交，不能修改；请先由财政退回批次。"))
    return locked


def payment_update(
    *,
    payment: Payment,
    by,
    amount=None,
    purpose: str | None = None,
    due_on: date | None = None,
    note: str | None = None,
) -> Payment:
    """Change an unpaid payment that is not in a submitted batch."""
    changes: dict[str, object] = {}
    if amount is not None:
        changes["amount"] = _amount(amount, label=_("金额"))
    if purpose is not None:
        if not purpose.strip():
            raise SubsidyError(_("请填写付款用途。"))
        changes["purpose"] = purpose.strip()
    if due_on is not None:
        changes["due_on"] = due_on
    if note is not None:
        changes["note"] = note
    with transaction.atomic():
        locked = _lock_editable(payment)
        before = {k: str(getattr(locked, k)) for k in changes}
        for k, v in changes.items():
            setattr(locked, k, v)
        locked.save(update_fields=list(changes))
        audit(
            by,
            "payment.update",
            locked,
            data={"before": before, "after": {k: str(v) for k, v in changes.items()}},
        )
    return locked


def payment_delete(*, payment: Payment, by) -> None:
    """Delete an unpaid payment that is in no batch (a mistaken entry)."""
    with transaction.atomic():
        locked = _lock_editable(payment)
        if locked.batch_id:
            raise PaymentError(_("请先将该款项移出批次。"))
        audit(by, "payment.delete", locked, summary=str(locked))
        locked.delete()


def payment_reverse(*, payment: Payment, reason: str, by, on: date | None = None) -> Payment:
    """Book a reversing entry for a paid payment (the correction of SPEC §5); at most one per payment."""
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError(_("请填写冲正原因。"))
    with transaction.atomic():
        original = Payment.objects.select_for_update().get(pk=payment.pk)
        if original.paid_on is None:
            raise PaymentError(_("未支付的款项无需冲正，可直接修改或移出批次。"))
        if original.reversal_of_id:
            raise PaymentError(_("冲正记录本身不能再冲正。"))
        if Payment.objects.filter(reversal_of=original).exists():
            raise PaymentError(_("该款项已冲正，不能重复冲正。"))
        on = on or timezone.localdate()
        fields = {
            f.attname: getattr(original, f.attname)
            for f in Payment._meta.concrete_fields
            if f.name
            not in {
                "id",
                "batch",
                "paid_on",
                "bank_reference",
                "reversal_of",
                "note",
                "created_by",
                "created_at",
                "purpose",
                "due_on",
            }
        }
        # Links that are unique per source item (e.g. an allowance month) stay on the original only.
        for name in getattr(Payment, "REVERSAL_DROPS", ()):
            fields.pop(name, None)
        try:
            with transaction.atomic():
                reversal = Payment.objects.create(
                    **fields,
                    reversal_of=original,
                    purpose=_("冲正：%(purpose)s") % {"purpose": original.purpose},
                    due_on=on,
                    paid_on=on,
                    bank_reference=original.bank_reference,
                    note=reason,
                    created_by=by,
                )
        except IntegrityError as exc:
            raise PaymentError(_("该款项已冲正，不能重复冲正。")) from exc
        audit(by, "payment.reverse", original, summary=reason, data={"reversal": reversal.pk})
    return reversal


# --- payment batches ------------------------------------------------------------------------------------


def batch_create(*, title: str, year: int, by) -> PaymentBatch:
    if not title.strip():
        raise PaymentError(_("请填写批次名称。"))
    with transaction.atomic():
        for _attempt in range(5):
            n = PaymentBatch.objects.filter(year=year).count() + 1
            try:
                with transaction.atomic():
                    batch = PaymentBatch.objects.create(
                        number=f"ZF-{year}-{n:04d}", title=title.strip(), year=year, created_by=by
                    )
                break
            except IntegrityError:
                continue
        else:  # pragma: no cover - five concurrent creations in a row
            raise PaymentError(_("批次编号冲突，请重试。"))
        batch.transitions.create(from_state="", to_state=PaymentBatchState.DRAFT, actor=by)
        audit(by, "paymentbatch.create", batch, summary=batch.number)
    return batch


def _lock_draft(batch: PaymentBatch) -> PaymentBatch:
    locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.state != PaymentBatchState.DRAFT:
        raise PaymentError(_("只有草稿状态的批次可以调整款项。"))
    return locked


def batch_add_payments(*, batch: PaymentBatch, payments: Iterable[Payment], by) -> int:
    """Put due payments (unpaid, in no batch, not reversing entries) into a draft batch."""
    ids = [p.pk for p in payments]
    with transaction.atomic():
        locked = _lock_draft(batch)
        rows = list(Payment.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        for p in rows:
            if p.paid_on is not None or p.reversal_of_id:
                raise PaymentError(str(NOT_EDITABLE_PAID))
            if p.batch_id and p.batch_id != locked.pk:
                raise PaymentError(_("款项“%(p)s”已在其他批次中。") % {"p": p})
            if SubsidyInstalment.objects.filter(payment=p).exclude(state=InstalmentState.SCHEDULED).exists():
                raise PaymentError(
                    _("款项“%(p)s”所属的项目资金补贴已暂停支付，须待区科委作出决定后才能编入批次。")
                    % {"p": p}
                )
        for p in rows:
            if p.bank_account_id is None:
                p.bank_account = default_bank_account(p)
            p.batch = locked
            p.save(update_fields=["batch", "bank_account"])
        if rows:
            locked.changes.create(
                action=PaymentBatchChange.Action.ADD, payments=[p.pk for p in rows], actor=by
            )
        audit(by, "paymentbatch.add", locked, summary=f"+{len(rows)}", data={"payments": ids})
    return len(rows)


def default_bank_account(payment: Payment) -> BankAccount | None:
    """The payee's current bank account (the expert's or the enterprise's), if one is on file."""
    if payment.expert_id:
        owner = {"expert_id": payment.expert_id}
    elif payment.enterprise_id:
        owner = {"enterprise_id": payment.enterprise_id}
    else:
        return None
    return BankAccount.objects.filter(**owner).first()


def batch_remove_payment(*, batch: PaymentBatch, payment: Payment, by) -> None:
    with transaction.atomic():
        locked = _lock_draft(batch)
        updated = Payment.objects.filter(pk=payment.pk, batch=locked, paid_on__isnull=True).update(batch=None)
        if not updated:
            raise PaymentError(_("该款项不在本批次中。"))
        locked.changes.create(action=PaymentBatchChange.Action.REMOVE, payments=[payment.pk], actor=by)
        audit(by, "paymentbatch.remove", locked, data={"payment": payment.pk})


def batch_submit(*, batch: PaymentBatch, by) -> PaymentBatch:
    """Staff submit a draft batch to finance; its count and total become the control totals."""
    with transaction.atomic():
        locked = _lock_draft(batch)
        payments = list(locked.payments.all())
        if not payments:
            raise PaymentError(_("批次中没有款项，不能提交。"))
        missing = [p.payee_name for p in payments if p.bank_account_id is None]
        if missing:
            raise PaymentError(
                _("以下收款方缺少银行账户，不能提交：%(names)s") % {"names": "、".join(sorted(set(missing)))}
            )
        count, total = batch_totals(locked)
        return transition(
            locked,
            to=PaymentBatchState.SUBMITTED,
            by=by,
            allowed=TRANSITIONS,
            changes={"control_count": count, "control_total": total},
        )


def batch_return(*, batch: PaymentBatch, reason: str, by) -> PaymentBatch:
    """Finance sends a submitted batch back to staff with a reason."""
    if not (reason or "").strip():
        raise PaymentError(_("请填写退回原因。"))
    return transition(
        batch,
        to=PaymentBatchState.DRAFT,
        by=by,
        allowed=TRANSITIONS,
        reason=reason.strip(),
        changes={"control_count": None, "control_total": None},
    )


def batch_approve(*, batch: PaymentBatch, by) -> PaymentBatch:
    """Finance approves a submitted batch; an unbalanced one (changed since submission) is refused.

    Maker-checker (SPEC §5, 等保 8.1.4.2): nobody who created the batch, added payments to it or submitted
    it may approve it, whatever roles they hold — judged from the batch's transitions and recorded
    changes (batch_maker_roles), not only `created_by`.
    """
    with transaction.atomic():
        locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        roles = batch_maker_roles(locked).get(getattr(by, "pk", None))
        if roles:
            raise PaymentError(
                _(
                    "您是本批次的%(roles)s，不能审核本批次（经办与审核须由不同人员担任），请由另一位财政人员审核。"
                )
                % {"roles": "、".join(str(r) for r in roles)}
            )
        if locked.state == PaymentBatchState.SUBMITTED:
            count, total = batch_totals(locked)
            if (count, total) != (locked.control_count, locked.control_total):
                raise PaymentError(
                    _("批次不平衡：提交时为 %(cc)s 笔、%(ct)s，现为 %(n)s 笔、%(t)s；请退回经办人核对。")
                    % {
                        "cc": locked.control_count,
                        "ct": format_cny(locked.control_total or 0),
                        "n": count,
                        "t": format_cny(total),
                    }
                )
        return transition(locked, to=PaymentBatchState.APPROVED, by=by, allowed=TRANSITIONS)


def batch_mark_paid(*, batch: PaymentBatch, paid_on: date, bank_reference: str, by) -> PaymentBatch:
    """Finance records that the bank paid an approved batch (date and bank reference)."""
    reference = (bank_reference or "").strip()
    if not reference:
        raise PaymentError(_("请填写银行流水号。"))
    if paid_on is None:
        raise PaymentError(_("请填写支付日期。"))
    if paid_on > timezone.localdate():
        raise PaymentError(_("支付日期不能晚于今天。"))
    with transaction.atomic():
        locked = transition(
            batch,
            to=PaymentBatchState.PAID,
            by=by,
            allowed=TRANSITIONS,
            changes={"paid_on": paid_on, "bank_reference": reference},
        )
        if paid_on < locked.created_at.date():
            raise PaymentError(_("支付日期不能早于批次创建日期。"))
        locked.payments.filter(paid_on__isnull=True).update(paid_on=paid_on, bank_reference=reference)
    batch.paid_on, batch.bank_reference = paid_on, reference
    return locked


FINANCE_BUREAU = "北京市昌平区财政局"


def _statement_version(batch: PaymentBatch) -> int:
    from core.models import DocumentKind, IssuedDocument

    issued = IssuedDocument.objects.filter(
        kind=DocumentKind.BATCH_STATEMENT, subject_type=batch._meta.label_lower, subject_id=str(batch.pk)
    ).count()
    return issued + 1


def batch_statement(*, batch: PaymentBatch, by):
    """The batch statement PDF (totals in figures and in Chinese capitals) as an IssuedDocument.

    Issued when first asked for once the batch is approved; re-issued (new serial, the old one marked
    superseded) when the state changed since, so the paid statement carries the date and bank reference.
    """
    from core.documents import ISSUER_NAME, document_current, document_issue, official_context, seal
    from core.models import DocumentKind
    from core.money import to_chinese_capital

    if batch.state not in (PaymentBatchState.APPROVED, PaymentBatchState.PAID):
        raise PaymentError(_("批次审核通过后才能出具支付清单。"))
    title = _("支付批次清单 %(number)s（%(state)s）") % {
        "number": batch.number,
        "state": batch.get_state_display(),
    }
    current = document_current(kind=DocumentKind.BATCH_STATEMENT, subject=batch)
    if current is not None and current.title == title:
        return current
    payments = list(batch.payments.order_by("payee_name", "due_on", "id"))
    for p in payments:
        p.amount_display = f"{p.amount:,.2f}"
    count, total = batch_totals(batch)
    transitions = batch.transitions.select_related("actor").order_by("created_at", "id")
    acts = {t.to_state: t for t in transitions}  # the last submission and approval
    submitted, approved = acts.get(PaymentBatchState.SUBMITTED), acts.get(PaymentBatchState.APPROVED)
    return document_issue(
        kind=DocumentKind.BATCH_STATEMENT,
        subject=batch,
        title=title,
        template_name="subsidies/pdf/batch_statement.html",
        context={
            **official_context(
                mark_lines=[ISSUER_NAME],
                addressee=FINANCE_BUREAU,
                seals=[
                    seal(ISSUER_NAME, submitted.created_at if submitted else None,
                         role=f"经办：{submitted.actor if submitted and submitted.actor else ''}"),
                    seal(FINANCE_BUREAU, approved.created_at if approved else None,
                         role=f"审核：{approved.actor if approved and approved.actor else ''}"),
                ],
                attachment_titles=[_("支付明细表（%(count)s笔）") % {"count": count}],
                printed_on=batch.paid_on or (approved.created_at if approved else None),
            ),
            "batch": batch,
            "payments": payments,
            "count": count,
            "total_display": f"{total:,.2f}",
            "total_capital": to_chinese_capital(total),
        },
        # one number: the batch's own (a re-issue after payment gets the batch number with a version)
        serial=batch.number if current is None else f"{batch.number}-{_statement_version(batch)}",
        by=by,
        reissue=current is not None,
    )


# --- appointments: terms, project subsidy, allowances ---------------------------------------------------


def appointment_setup(*, appointment, by) -> ProjectSubsidy:
    """Record the money terms of a new appointment (contract with projects, see docs/contracts):

    the policy version in force today, the project subsidy from `project.approved_funding` with
    policy.project_subsidy (one instalment paid to the enterprise, re-plannable by staff), and the
    bookings against the budget: the subsidy in the year the term starts, the district allowances of
    the whole term in the years their months fall due. Idempotent: a second call returns the subsidy.
    """
    from .policy import project_subsidy
    from .selectors import policy_version_in_force

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
        for y, total in allowance_commitments(
            appointment.start_date,
            appointment.months,
            version.monthly_allowance,
            skip=settled_outside_count(appointment.start_date, appointment.months, go_live),
        ).items():
            budget_commit(
                year=y,
                category=BudgetCategory.ALLOWANCE,
                amount=total,
                by=by,
                source=appointment,
                description=_("人才生活补贴：%(x)s") % {"x": appointment.expert},
                defer_override=True,
            )
        audit(by, "projectsubsidy.create", subsidy, summary=f"{amount}", data={"policy": version.code})
    return subsidy


def appointment_extension_book(*, appointment, previous_months: int, by) -> dict[int, Decimal]:
    """Book an approved extension against the budget (SPEC §4): the district allowances of the months
    beyond `previous_months` up to the appointment's `months`, each in the budget year its month falls
    due, like appointment_setup books the term. Over the remaining budget the booking is flagged for a
    staff override. Returns year → amount booked (nothing without AppointmentTerms: no money set up)."""
    from .selectors import appointment_policy_version

    if not AppointmentTerms.objects.filter(appointment=appointment).exists():
        return {}
    monthly = appointment_policy_version(appointment).monthly_allowance
    before = allowance_commitments(appointment.start_date, previous_months, monthly)
    after = allowance_commitments(appointment.start_date, appointment.months, monthly)
    booked = {}
    with transaction.atomic():
        for year in sorted(after):
            delta = after[year] - before.get(year, Decimal("0.00"))
            if delta <= 0:
                continue
            budget_commit(
                year=year,
                category=BudgetCategory.ALLOWANCE,
                amount=delta,
                by=by,
                source=appointment,
                description=_("人才生活补贴（延期%(n)s个月）：%(x)s")
                % {"n": appointment.months - previous_months, "x": appointment.expert},
                defer_override=True,
            )
            booked[year] = delta
    return booked


def allowance_commitments(start: date, months: int, monthly: Decimal, *, skip: int = 0) -> dict[int, Decimal]:
    """The district allowance of a whole term, per budget year of each month's due date; the first `skip`
    months (settled outside the portal before it went live) are left out."""
    from .policy import service_month

    out: dict[int, Decimal] = {}
    for n in range(skip + 1, months + 1):
        due = service_month(start, n)[1] + timedelta(days=1)
        out[due.year] = out.get(due.year, Decimal("0.00")) + monthly
    return out


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


def matching_confirm(
    *, allowance: AllowancePayment, confirmed_on: date, reference: str, by
) -> AllowancePayment:
    """The enterprise confirms it paid a month's matching allowance (date and reference)."""
    reference = (reference or "").strip()
    if not reference:
        raise SubsidyError(_("请填写支付凭证号。"))
    if confirmed_on is None:
        raise SubsidyError(_("请填写支付日期。"))
    if confirmed_on > timezone.localdate():
        raise SubsidyError(_("支付日期不能晚于今天。"))
    with transaction.atomic():
        locked = AllowancePayment.objects.select_for_update().get(pk=allowance.pk)
        if locked.kind != AllowanceKind.MATCHING:
            raise SubsidyError(_("只有企业配套生活补助需要企业确认。"))
        if locked.settled_outside:
            raise SubsidyError(_("该月在平台上线前已在平台外结清，无需在平台确认。"))
        if locked.confirmed_on is not None:
            raise SubsidyError(_("该月配套生活补助已确认，不能重复确认。"))
        if confirmed_on < locked.period_start:
            raise SubsidyError(_("支付日期不能早于该服务月开始日期。"))
        locked.confirmed_on, locked.confirmation_reference, locked.confirmed_by = confirmed_on, reference, by
        locked.save(update_fields=["confirmed_on", "confirmation_reference", "confirmed_by"])
        audit(by, "allowance.confirm", locked, summary=f"{confirmed_on} {reference}")
    return locked


def allowance_payables_prepare(*, through: date | None = None, by=None) -> int:
    """Create the district's Payment for every generated district allowance due by `through` that has
    none yet (these are what staff put into batches). Idempotent: Payment.allowance is unique."""
    through = through or timezone.localdate()
    created = 0
    with transaction.atomic():
        pending = (
            AllowancePayment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                kind=AllowanceKind.DISTRICT, due_on__lte=through, payment__isnull=True, settled_outside=False
            )
            .select_related("appointment__expert")
            .order_by("pk")
        )
        objs = []
        for a in pending:
            expert = a.appointment.expert
            objs.append(
                Payment(
                    category=BudgetCategory.ALLOWANCE,
                    budget_year=a.budget_year,
                    payee_kind=PayeeKind.EXPERT,
                    payee_name=expert.name,
                    expert=expert,
                    allowance=a,
                    amount=a.amount,
                    due_on=a.due_on,
                    purpose=_("人才生活补贴（%(s)s至%(e)s，第%(n)s个服务月）")
                    % {"s": f"{a.period_start:%Y-%m-%d}", "e": f"{a.period_end:%Y-%m-%d}", "n": a.month},
                    created_by=by,
                )
            )
        before = Payment.objects.filter(allowance__isnull=False).count()
        Payment.objects.bulk_create(objs, ignore_conflicts=True)
        created = Payment.objects.filter(allowance__isnull=False).count() - before
    return created


# --- early termination ------------------------------------------------------------------------------------


@dataclass
class TerminationWithdrawal:
    """What allowances_withdraw_after_termination changed (all empty when there was nothing to do)."""

    withdrawn: list[tuple[int, str]] = field(default_factory=list)  # (month, kind) rows deleted
    reversed: list[int] = field(default_factory=list)  # reversing Payment ids booked
    kept_confirmed: list[int] = field(default_factory=list)  # matching months the enterprise confirmed
    released: dict[int, Decimal] = field(default_factory=dict)  # budget year → (negative) release

    @property
    def changed(self) -> bool:
        return bool(self.withdrawn or self.reversed or self.released)


def allowances_withdraw_after_termination(*, appointment, by) -> TerminationWithdrawal:
    """Follow an early termination through (SPEC §5: only months completed before the termination date
    are paid): every allowance month no longer payable under policy.payable_months(..., ended_on=
    terminated_on) is withdrawn — the row is deleted together with its unpaid Payment (taken out of its
    draft batch first) — or, when its district payment was already paid, a reversing entry is booked
    (the row stays with its paid payment). A matching month the enterprise already confirmed stays as
    the record of what it paid. The allowance bookings of the months no longer payable are released
    from the budget. A payment in a submitted or approved batch cannot be withdrawn: SubsidyError,
    nothing changed. Idempotent; every change is audited.
    """
    from .policy import payable_months

    result = TerminationWithdrawal()
    with transaction.atomic():
        locked = type(appointment).objects.select_for_update().get(pk=appointment.pk)
        ended_on = locked.terminated_on
        if ended_on is None:
            return result
        # Every month completed by the termination date, the last day served (SPEC §5).
        keep = payable_months(
            locked.start_date, locked.months, as_of=ended_on + timedelta(days=1), ended_on=ended_on
        )
        reason = _("聘任提前终止（终止日期 %(d)s），该服务月不予发放") % {"d": f"{ended_on:%Y-%m-%d}"}
        rows = list(
            AllowancePayment.objects.select_for_update()
            .filter(appointment=locked)
            .exclude(month__in=keep)
            .order_by("month", "kind")
        )
        payments = {
            p.allowance_id: p
            for p in Payment.objects.select_for_update(of=("self",))
            .select_related("batch")
            .filter(allowance__in=rows)
        }
        for row in rows:
            payment = payments.get(row.pk)
            if payment is not None and payment.paid_on is not None:
                if not Payment.objects.filter(reversal_of=payment).exists():
                    result.reversed.append(payment_reverse(payment=payment, reason=reason, by=by).pk)
                continue
            if row.confirmed_on is not None:
                result.kept_confirmed.append(row.month)
                continue
            if payment is not None:
                if payment.batch_id and payment.batch.state != PaymentBatchState.DRAFT:
                    raise SubsidyError(
                        _(
                            "终止日期后的第%(n)s个服务月人才生活补贴已在支付批次 %(batch)s（%(state)s）中，"
                            "不能撤回；请先由财政退回该批次，或待该批次支付后再登记终止（届时自动冲正）。"
                        )
                        % {
                            "n": row.month,
                            "batch": payment.batch.number,
                            "state": payment.batch.get_state_display(),
                        }
                    )
                if payment.batch_id:
                    batch_remove_payment(batch=payment.batch, payment=payment, by=by)
                payment_delete(payment=payment, by=by)
            audit(
                by,
                "allowance.withdraw",
                row,
                summary=f"{locked.pk} #{row.month} {row.kind} {row.amount}",
                data={
                    "appointment": locked.pk,
                    "month": row.month,
                    "kind": row.kind,
                    "amount": str(row.amount),
                },
            )
            row.delete()
            result.withdrawn.append((row.month, row.kind))
        # The generation watermark never counts a month that is no longer payable.
        AppointmentTerms.objects.filter(appointment=locked, allowance_months__gt=len(keep)).update(
            allowance_months=len(keep), allowance_next_end=None
        )
        result.released = _allowance_bookings_release(locked, payable=len(keep), by=by)
        if result.changed:
            audit(
                by,
                "appointment.allowances_withdraw",
                locked,
                summary=reason,
                data={
                    "terminated_on": ended_on.isoformat(),
                    "withdrawn": [[m, k] for m, k in result.withdrawn],
                    "reversals": result.reversed,
                    "kept_confirmed_matching": result.kept_confirmed,
                    "released": {str(y): str(a) for y, a in result.released.items()},
                },
            )
    return result


def _allowance_bookings_release(appointment, *, payable: int, by) -> dict[int, Decimal]:
    """Release the appointment's allowance bookings (made by appointment_setup for the whole term) down to
    the `payable` months, per budget year; what was already released is counted, so this is idempotent."""
    terms = AppointmentTerms.objects.select_related("policy_version").filter(appointment=appointment).first()
    if terms is None:
        return {}
    booked = dict(
        BudgetCommitment.objects.filter(
            source_type=appointment._meta.label_lower,
            source_id=str(appointment.pk),
            category=BudgetCategory.ALLOWANCE,
        )
        .values("year")
        .annotate(s=Sum("amount"))
        .values_list("year", "s")
    )
    target = allowance_commitments(
        appointment.start_date,
        payable,
        terms.policy_version.monthly_allowance,
        skip=settled_outside_count(appointment.start_date, payable, go_live_date()),
    )
    released = {}
    for year in sorted(booked):
        delta = target.get(year, Decimal("0.00")) - booked[year]
        if delta < 0:
            budget_commit(
                year=year,
                category=BudgetCategory.ALLOWANCE,
                amount=delta,
                by=by,
                source=appointment,
                description=_("人才生活补贴（提前终止释放）：%(x)s") % {"x": appointment.expert},
            )
            released[year] = delta
    return released


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
            if payment.batch_id and payment.batch.state != PaymentBatchState.DRAFT:
                raise SubsidyError(
                    _(
                        "项目资金补贴第%(n)s期已在支付批次 %(batch)s（%(state)s）中，不能暂停支付；"
                        "请先由财政退回该批次后再登记终止。"
                    )
                    % {
                        "n": inst.number,
                        "batch": payment.batch.number,
                        "state": payment.batch.get_state_display(),
                    }
                )
            if payment.batch_id:
                batch_remove_payment(batch=payment.batch, payment=payment, by=by)
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
