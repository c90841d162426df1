"""Who may do what with the programme's money (SPEC §2): django-rules predicates and permissions."""

from __future__ import annotations

import rules

from accounts.enums import Role

from .enums import PaymentBatchState


@rules.predicate
def is_commission(user) -> bool:
    return user.is_authenticated and user.has_role(Role.COMMISSION)


@rules.predicate
def is_finance(user) -> bool:
    return user.is_authenticated and user.has_role(Role.FINANCE)


@rules.predicate
def is_expert(user) -> bool:
    return user.is_authenticated and user.has_role(Role.EXPERT)


@rules.predicate
def is_enterprise_user(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ENTERPRISE)


@rules.predicate
def batch_is_draft(user, batch) -> bool:
    return batch is not None and batch.state == PaymentBatchState.DRAFT


@rules.predicate
def batch_is_submitted(user, batch) -> bool:
    return batch is not None and batch.state == PaymentBatchState.SUBMITTED


@rules.predicate
def batch_is_approved(user, batch) -> bool:
    return batch is not None and batch.state == PaymentBatchState.APPROVED


@rules.predicate
def batch_is_released(user, batch) -> bool:
    """Approved or paid: the batch's content is final and its documents may be produced."""
    return batch is not None and batch.state in (PaymentBatchState.APPROVED, PaymentBatchState.PAID)


rules.add_perm("subsidies.view_budget", is_commission | is_finance)
rules.add_perm("subsidies.set_budget", is_commission | is_finance)
rules.add_perm("subsidies.commit_budget", is_commission)
rules.add_perm("subsidies.view_batches", is_commission | is_finance)
rules.add_perm("subsidies.manage_batches", is_commission)
rules.add_perm("subsidies.edit_batch", is_commission & batch_is_draft)
rules.add_perm("subsidies.submit_batch", is_commission & batch_is_draft)
rules.add_perm("subsidies.approve_batch", is_finance & batch_is_submitted)
rules.add_perm("subsidies.return_batch", is_finance & batch_is_submitted)
rules.add_perm("subsidies.pay_batch", is_finance & batch_is_approved)
# Bank accounts appear only in the export, and only for finance (SPEC §2).
rules.add_perm("subsidies.export_batch", is_finance & batch_is_released)
rules.add_perm("subsidies.batch_statement", (is_commission | is_finance) & batch_is_released)
rules.add_perm("subsidies.reverse_payment", is_commission)
rules.add_perm("subsidies.decide_suspension", is_commission)
rules.add_perm("subsidies.view_own_allowances", is_expert)
rules.add_perm("subsidies.view_enterprise_money", is_enterprise_user)
