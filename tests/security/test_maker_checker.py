"""Maker-checker on payment batches (issue 9 item 8; 等保 8.1.4.2 separation of duties): whoever created a
batch cannot approve it, even holding both the commission and the finance role; another finance user can."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import Role
from subsidies import services
from subsidies.exceptions import PaymentError
from subsidies.models import PaymentBatch
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.subsidies import PaymentFactory

pytestmark = pytest.mark.django_db


def _submitted_by(user):
    batch = services.batch_create(title="2026年5月人才生活补贴", year=2026, by=user)
    services.batch_add_payments(batch=batch, payments=[PaymentFactory()], by=user)
    services.batch_submit(batch=batch, by=user)
    batch.refresh_from_db()
    return batch


def test_the_creator_of_a_batch_cannot_approve_it():
    both = UserFactory(roles=[Role.COMMISSION, Role.FINANCE])
    batch = _submitted_by(both)
    with pytest.raises(PaymentError, match="批次的创建人不能审核本批次"):
        services.batch_approve(batch=batch, by=both)
    batch.refresh_from_db()
    assert batch.state == "submitted"
    other = UserFactory(roles=[Role.FINANCE])
    services.batch_approve(batch=batch, by=other)
    batch.refresh_from_db()
    assert batch.state == "approved"


def test_the_approve_button_refuses_the_creator_with_a_chinese_message(client):
    both = UserFactory(roles=[Role.COMMISSION, Role.FINANCE])
    batch = _submitted_by(both)
    otp_login(client, both)
    r = client.post(
        reverse("subsidies:batch-action", args=[batch.pk, "approve"]), {"confirmed": "1"}, follow=True
    )
    assert "批次的创建人不能审核本批次" in r.content.decode()
    assert PaymentBatch.objects.get(pk=batch.pk).state == "submitted"


def test_seed_demo_batches_are_created_and_approved_by_different_people():
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    released = PaymentBatch.objects.filter(state__in=["approved", "paid"])
    assert released.exists()
    for batch in released:
        approver = batch.transitions.get(to_state="approved").actor_id
        assert approver != batch.created_by_id
