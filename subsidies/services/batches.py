"""Payment batches (SPEC §5): staff create a draft, put due payments in or take them out and submit it
with its control totals; finance returns it, approves it (maker-checker, 等保 8.1.4.2) and records it
paid; the batch statement PDF for the finance bureau.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import audit
from core.money import format_cny
from core.workflow import transition

from ..enums import NOT_EDITABLE_PAID, TRANSITIONS, InstalmentState, PaymentBatchState
from ..exceptions import PaymentError, SubsidyError
from ..models import Payment, PaymentBatch, PaymentBatchChange, SubsidyInstalment
from ..selectors import batch_maker_roles, batch_totals
from ._common import _paid_reference
from .bank import default_bank_account


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


def batch_remove_payment(*, batch: PaymentBatch, payment: Payment, by) -> None:
    with transaction.atomic():
        locked = _lock_draft(batch)
        updated = Payment.objects.filter(pk=payment.pk, batch=locked, paid_on__isnull=True).update(batch=None)
        if not updated:
            raise PaymentError(_("该款项不在本批次中。"))
        locked.changes.create(action=PaymentBatchChange.Action.REMOVE, payments=[payment.pk], actor=by)
        audit(by, "paymentbatch.remove", locked, data={"payment": payment.pk})


def _take_out_of_batch(payment: Payment, *, by, refusal: str, **params) -> None:
    """Take an unpaid payment that is to be withdrawn or suspended out of its batch, if it is in one. A
    batch past its draft does not change: SubsidyError(`refusal` % {"batch": …, "state": …, **params})."""
    if not payment.batch_id:
        return
    if payment.batch.state != PaymentBatchState.DRAFT:
        raise SubsidyError(
            refusal % {**params, "batch": payment.batch.number, "state": payment.batch.get_state_display()}
        )
    batch_remove_payment(batch=payment.batch, payment=payment, by=by)


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
    reference = _paid_reference(bank_reference, paid_on, missing=_("请填写银行流水号。"), error=PaymentError)
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
                    seal(
                        ISSUER_NAME,
                        submitted.created_at if submitted else None,
                        role=f"经办：{submitted.actor if submitted and submitted.actor else ''}",
                    ),
                    seal(
                        FINANCE_BUREAU,
                        approved.created_at if approved else None,
                        role=f"审核：{approved.actor if approved and approved.actor else ''}",
                    ),
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
