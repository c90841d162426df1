"""Payment batches (SPEC §5): the workflow, every transition and the forbidden ones, bad input; and the
paid rows the database refuses to change (issue 15 item 12)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.workflow import TransitionError
from subsidies import services
from subsidies.enums import TRANSITIONS, PaymentBatchState
from subsidies.exceptions import PaymentError
from subsidies.models import Payment, PaymentBatch
from tests.factories.subsidies import PaymentBatchFactory, PaymentFactory

pytestmark = pytest.mark.django_db
D = Decimal


# --- batches ---------------------------------------------------------------------------------------------


def _submitted_batch(staff, n=2):
    batch = services.batch_create(title="2026年4月人才生活补贴", year=2026, by=staff)
    payments = [PaymentFactory() for _ in range(n)]
    services.batch_add_payments(batch=batch, payments=payments, by=staff)
    services.batch_submit(batch=batch, by=staff)
    batch.refresh_from_db()
    return batch, payments


def test_batch_full_workflow(staff, finance):
    batch, _payments = _submitted_batch(staff)
    assert batch.number == "ZF-2026-0001"
    assert (batch.state, batch.control_count, batch.control_total) == ("submitted", 2, D("4000.00"))
    services.batch_approve(batch=batch, by=finance)
    today = timezone.localdate()
    services.batch_mark_paid(batch=batch, paid_on=today, bank_reference="ICBC20260403001", by=finance)
    batch.refresh_from_db()
    assert (batch.state, batch.paid_on, batch.bank_reference) == ("paid", today, "ICBC20260403001")
    assert (
        list(Payment.objects.filter(batch=batch).values_list("paid_on", "bank_reference"))
        == [(today, "ICBC20260403001")] * 2
    )
    assert [(t.from_state, t.to_state) for t in batch.transitions.all()] == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "approved"),
        ("approved", "paid"),
    ]
    with pytest.raises(TransitionError, match="当前为“已支付”，不能变更为“已支付”"):
        services.batch_mark_paid(batch=batch, paid_on=today, bank_reference="X", by=finance)
    batch.refresh_from_db()
    assert batch.bank_reference == "ICBC20260403001"


ALL_STATES = list(PaymentBatchState)


@pytest.mark.parametrize("source", ALL_STATES)
@pytest.mark.parametrize("target", ALL_STATES)
def test_batch_transition_table(staff, finance, source, target):
    from core.workflow import transition

    batch = PaymentBatchFactory(
        state=source,
        paid_on=date(2026, 1, 1) if source == "paid" else None,
        bank_reference="R" if source == "paid" else "",
    )
    changes = {"paid_on": date(2026, 1, 2), "bank_reference": "R2"} if target == "paid" else {}
    if target in TRANSITIONS[source]:
        transition(batch, to=target, by=finance, allowed=TRANSITIONS, changes=changes)
        batch.refresh_from_db()
        assert batch.state == target
    else:
        with pytest.raises(TransitionError):
            transition(batch, to=target, by=finance, allowed=TRANSITIONS, changes=changes)
        batch.refresh_from_db()
        assert batch.state == source


def test_batch_unbalanced_is_not_approved(staff, finance):
    batch, payments = _submitted_batch(staff)
    # Someone changes an amount behind the services' back after submission.
    Payment.objects.filter(pk=payments[0].pk).update(amount=D("2000.01"))
    with pytest.raises(PaymentError) as exc:
        services.batch_approve(batch=batch, by=finance)
    assert str(exc.value) == (
        "批次不平衡：提交时为 2 笔、¥4,000.00，现为 2 笔、¥4,000.01；请退回经办人核对。"
    )
    batch.refresh_from_db()
    assert batch.state == "submitted"
    services.batch_return(batch=batch, reason="金额与提交时不符", by=finance)
    batch.refresh_from_db()
    assert (batch.state, batch.control_total) == ("draft", None)


def test_batch_submit_refuses_empty_or_missing_account(staff):
    batch = services.batch_create(title="空批次", year=2026, by=staff)
    with pytest.raises(PaymentError, match="批次中没有款项"):
        services.batch_submit(batch=batch, by=staff)
    services.batch_add_payments(
        batch=batch, payments=[PaymentFactory(bank_account=None, payee_name="李四")], by=staff
    )
    with pytest.raises(PaymentError, match="以下收款方缺少银行账户，不能提交：李四"):
        services.batch_submit(batch=batch, by=staff)
    batch.refresh_from_db()
    assert batch.state == "draft"


def test_batch_payments_locked_after_submission(staff):
    batch, payments = _submitted_batch(staff)
    with pytest.raises(PaymentError, match="批次已提交"):
        services.payment_update(payment=payments[0], amount=D("1.00"), by=staff)
    with pytest.raises(PaymentError, match="只有草稿状态的批次可以调整款项"):
        services.batch_add_payments(batch=batch, payments=[PaymentFactory()], by=staff)
    with pytest.raises(PaymentError, match="只有草稿状态的批次可以调整款项"):
        services.batch_remove_payment(batch=batch, payment=payments[0], by=staff)


def test_batch_add_refuses_payment_in_other_batch_or_paid(staff):
    b1 = services.batch_create(title="一", year=2026, by=staff)
    b2 = services.batch_create(title="二", year=2026, by=staff)
    assert b2.number == "ZF-2026-0002"
    p = PaymentFactory()
    services.batch_add_payments(batch=b1, payments=[p], by=staff)
    with pytest.raises(PaymentError, match="已在其他批次中"):
        services.batch_add_payments(batch=b2, payments=[p], by=staff)
    paid = PaymentFactory(paid_on=date(2026, 1, 5), bank_reference="R")
    with pytest.raises(PaymentError, match="已支付的款项不能修改"):
        services.batch_add_payments(batch=b2, payments=[paid], by=staff)
    services.batch_remove_payment(batch=b1, payment=p, by=staff)
    p.refresh_from_db()
    assert p.batch is None


def test_mark_paid_bad_input(staff, finance):
    batch, _ = _submitted_batch(staff)
    services.batch_approve(batch=batch, by=finance)
    with pytest.raises(PaymentError, match="请填写银行流水号"):
        services.batch_mark_paid(batch=batch, paid_on=timezone.localdate(), bank_reference=" ", by=finance)
    with pytest.raises(PaymentError, match="支付日期不能晚于今天"):
        services.batch_mark_paid(
            batch=batch, paid_on=timezone.localdate() + timedelta(days=1), bank_reference="R", by=finance
        )
    with pytest.raises(PaymentError, match="支付日期不能早于批次创建日期"):
        services.batch_mark_paid(batch=batch, paid_on=date(2020, 1, 1), bank_reference="R", by=finance)
    batch.refresh_from_db()
    assert (batch.state, batch.paid_on) == ("approved", None)
    assert not Payment.objects.filter(paid_on__isnull=False).exists()


def test_paid_batch_check_constraint():
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.create(number="X", title="x", year=2026, state="paid")


# --- paid rows immutable in the database (issue 15 item 12) -----------------------------------------------


def _paid_allowance_rows(staff, finance):
    """A district allowance month with its paid payment, a confirmed matching month, a paid batch and
    a paid subsidy instalment, all built through the services."""
    from subsidies.models import AllowancePayment, SubsidyInstalment
    from tests.factories.subsidies import appointment

    appt = appointment(start=date(2025, 3, 1))
    subsidy = services.appointment_setup(appointment=appt, by=staff)
    from subsidies.allowances import allowances_generate

    allowances_generate(as_of=date(2025, 6, 15))
    services.allowance_payables_prepare(through=date(2025, 6, 15), by=staff)
    district = AllowancePayment.objects.get(appointment=appt, month=1, kind="district")
    matching = AllowancePayment.objects.get(appointment=appt, month=1, kind="matching")
    services.matching_confirm(allowance=matching, confirmed_on=date(2025, 4, 5), reference="QY001", by=staff)
    instalment = SubsidyInstalment.objects.get(subsidy=subsidy)
    for payee_kind, holder_name, account_number, payee in (
        ("expert", "专家", "6222020000001", {"expert": appt.expert}),
        ("enterprise", "企业", "6222020000002", {"enterprise": appt.enterprise}),
    ):
        services.bank_account_save(
            payee_kind=payee_kind, holder_name=holder_name, bank_name="工行", account_number=account_number,
            by=staff, **payee,
        )
    batch = services.batch_create(title="批次", year=2025, by=staff)
    services.batch_add_payments(batch=batch, payments=[district.payment, instalment.payment], by=staff)
    services.batch_submit(batch=batch, by=staff)
    services.batch_approve(batch=batch, by=finance)
    services.batch_mark_paid(batch=batch, paid_on=timezone.localdate(), bank_reference="ICBC1", by=finance)
    return {"district": district, "matching": matching, "instalment": instalment, "batch": batch}


PAID_ROW_SQL = [
    ("district", "UPDATE subsidies_allowancepayment SET amount = 1 WHERE id = %s"),
    ("district", "DELETE FROM subsidies_allowancepayment WHERE id = %s"),
    ("matching", "UPDATE subsidies_allowancepayment SET confirmation_reference = 'X' WHERE id = %s"),
    ("matching", "DELETE FROM subsidies_allowancepayment WHERE id = %s"),
    ("instalment", "UPDATE subsidies_subsidyinstalment SET amount = 1 WHERE id = %s"),
    ("instalment", "DELETE FROM subsidies_subsidyinstalment WHERE id = %s"),
    ("batch", "UPDATE subsidies_paymentbatch SET bank_reference = 'X' WHERE id = %s"),
    ("batch", "UPDATE subsidies_paymentbatch SET state = 'approved' WHERE id = %s"),
    ("batch", "DELETE FROM subsidies_paymentbatch WHERE id = %s"),
]


@pytest.mark.parametrize(("row", "sql"), PAID_ROW_SQL)
def test_paid_rows_refused_by_sql(staff, finance, row, sql):
    rows = _paid_allowance_rows(staff, finance)
    obj = rows[row]
    before = type(obj).objects.filter(pk=obj.pk).values().get()
    with (
        pytest.raises(IntegrityError, match="never edited or deleted"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute(sql, [obj.pk])
    assert type(obj).objects.filter(pk=obj.pk).values().get() == before


def test_unpaid_rows_still_change_in_sql(staff):
    """The triggers refuse only paid rows: an unpaid month, instalment and draft batch may change."""
    from subsidies.models import AllowancePayment, SubsidyInstalment
    from tests.factories.subsidies import appointment

    appt = appointment(start=date(2025, 3, 1))
    services.appointment_setup(appointment=appt, by=staff)
    from subsidies.allowances import allowances_generate

    allowances_generate(as_of=date(2025, 6, 15))
    batch = services.batch_create(title="批次", year=2025, by=staff)
    row = AllowancePayment.objects.filter(appointment=appt).first()
    instalment = SubsidyInstalment.objects.get(subsidy__appointment=appt)
    with connection.cursor() as cur:
        cur.execute("UPDATE subsidies_allowancepayment SET amount = 1999 WHERE id = %s", [row.pk])
        cur.execute("UPDATE subsidies_subsidyinstalment SET amount = amount WHERE id = %s", [instalment.pk])
        cur.execute("UPDATE subsidies_paymentbatch SET title = '改名' WHERE id = %s", [batch.pk])
    row.refresh_from_db()
    assert row.amount == D("1999.00")
    assert PaymentBatch.objects.get(pk=batch.pk).title == "改名"
