"""Maker-checker on payment batches (SPEC §5, issue 15 item 11; 等保 8.1.4.2 separation of duties): nobody
who created a batch, added payments to it or submitted it may approve it, whatever roles they hold —
judged from the batch's transitions and recorded changes, not only `created_by`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import Role
from subsidies import services
from subsidies.exceptions import PaymentError
from subsidies.models import PaymentBatch, PaymentBatchChange
from subsidies.selectors import batch_maker_roles
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.subsidies import PaymentFactory

pytestmark = pytest.mark.django_db

BOTH = [Role.COMMISSION, Role.FINANCE]


def _batch(*, creator, adder, submitter, returned_by=None):
    batch = services.batch_create(title="2026年5月人才生活补贴", year=2026, by=creator)
    services.batch_add_payments(batch=batch, payments=[PaymentFactory()], by=adder)
    services.batch_submit(batch=batch, by=submitter)
    batch.refresh_from_db()
    return batch


# (who creates, who adds payments, who submits) → the dual-role user's part in it, or None (may approve)
CASES = [
    ("dual", "dual", "dual", "创建人"),
    ("dual", "staff", "staff", "创建人"),
    ("staff", "dual", "staff", "款项加入人"),
    ("staff", "staff", "dual", "提交人"),
    ("staff", "staff", "staff", None),
]


@pytest.mark.parametrize(("creator", "adder", "submitter", "part"), CASES)
def test_a_maker_of_the_batch_cannot_approve_it(creator, adder, submitter, part):
    users = {"dual": UserFactory(roles=BOTH), "staff": UserFactory(roles=[Role.COMMISSION])}
    batch = _batch(creator=users[creator], adder=users[adder], submitter=users[submitter])
    if part is None:
        services.batch_approve(batch=batch, by=users["dual"])
        assert PaymentBatch.objects.get(pk=batch.pk).state == "approved"
        return
    with pytest.raises(PaymentError, match=f"您是本批次的.*{part}.*不能审核本批次"):
        services.batch_approve(batch=batch, by=users["dual"])
    assert PaymentBatch.objects.get(pk=batch.pk).state == "submitted"
    assert not batch.transitions.filter(to_state="approved").exists()
    other = UserFactory(roles=[Role.FINANCE])
    services.batch_approve(batch=batch, by=other)
    assert PaymentBatch.objects.get(pk=batch.pk).state == "approved"


def test_adding_and_removing_payments_is_recorded():
    staff = UserFactory(roles=[Role.COMMISSION])
    dual = UserFactory(roles=BOTH)
    batch = services.batch_create(title="批次", year=2026, by=staff)
    p1, p2 = PaymentFactory(), PaymentFactory()
    services.batch_add_payments(batch=batch, payments=[p1, p2], by=dual)
    services.batch_remove_payment(batch=batch, payment=p2, by=staff)
    assert list(batch.changes.values_list("action", "actor_id", "payments")) == [
        (PaymentBatchChange.Action.ADD, dual.pk, [p1.pk, p2.pk]),
        (PaymentBatchChange.Action.REMOVE, staff.pk, [p2.pk]),
    ]
    assert [str(r) for r in batch_maker_roles(batch)[dual.pk]] == ["款项加入人"]


def test_adders_recorded_only_in_the_audit_log_still_count():
    """Batches from before PaymentBatchChange existed: the audit log's add events name the adder."""
    staff = UserFactory(roles=[Role.COMMISSION])
    dual = UserFactory(roles=BOTH)
    batch = _batch(creator=staff, adder=dual, submitter=staff)
    batch.changes.all().delete()
    with pytest.raises(PaymentError, match="款项加入人"):
        services.batch_approve(batch=batch, by=dual)


def test_a_resubmission_by_another_keeps_the_first_submitter_out():
    staff, dual = UserFactory(roles=[Role.COMMISSION]), UserFactory(roles=BOTH)
    finance = UserFactory(roles=[Role.FINANCE])
    batch = _batch(creator=staff, adder=staff, submitter=dual)
    services.batch_return(batch=batch, reason="金额核对", by=finance)
    services.batch_submit(batch=batch, by=staff)
    with pytest.raises(PaymentError, match="提交人"):
        services.batch_approve(batch=batch, by=dual)


@pytest.mark.parametrize("part", ["creator", "adder", "submitter"])
def test_the_approve_button_refuses_a_dual_role_maker_with_a_chinese_message(client, part):
    dual = UserFactory(roles=BOTH)
    staff = UserFactory(roles=[Role.COMMISSION])
    batch = _batch(
        creator=dual if part == "creator" else staff,
        adder=dual if part == "adder" else staff,
        submitter=dual if part == "submitter" else staff,
    )
    otp_login(client, dual)
    r = client.post(reverse("subsidies:batch-approve", args=[batch.pk]), {"confirmed": "1"}, follow=True)
    assert r.status_code == 200
    assert "不能审核本批次（经办与审核须由不同人员担任）" in r.content.decode()
    assert PaymentBatch.objects.get(pk=batch.pk).state == "submitted"


def test_seed_demo_batches_are_created_and_approved_by_different_people():
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    released = PaymentBatch.objects.filter(state__in=["approved", "paid"])
    assert released.exists()
    for batch in released:
        approver = batch.transitions.get(to_state="approved").actor_id
        assert approver not in batch_maker_roles(batch)
