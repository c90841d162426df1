"""Budgets, commitments, payments and batches (SPEC §5): every transition, the forbidden ones, bad input."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.enums import Role
from core.workflow import TransitionError
from subsidies import services
from subsidies.enums import TRANSITIONS, BudgetCategory, PaymentBatchState
from subsidies.exceptions import BudgetExceeded, PaymentError, SubsidyError
from subsidies.models import BankAccount, BudgetCommitment, Payment, PaymentBatch, PolicyVersion
from subsidies.selectors import budget_summary, policy_version_in_force
from tests.factories.accounts import UserFactory
from tests.factories.subsidies import PaymentBatchFactory, PaymentFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def staff():
    return UserFactory(roles=[Role.COMMISSION])


@pytest.fixture
def finance():
    return UserFactory(roles=[Role.FINANCE])


# --- policy versions ----------------------------------------------------------------------------------


def test_policy_2_0_seeded_by_migration():
    v = PolicyVersion.objects.get(code="2.0")
    assert (v.project_subsidy_rate, v.project_subsidy_cap, v.social_science_cap) == (
        D("0.5000"),
        D("300000.00"),
        D("100000.00"),
    )
    assert (v.monthly_allowance, v.enterprise_matching, v.term_months) == (D("2000.00"), D("2000.00"), 24)
    assert v.management_fee_ceiling_rate == D("0.0500")
    assert v.award_amounts == {1: D("200000.00"), 2: D("100000.00"), 3: D("50000.00")}


def test_policy_version_in_force_by_effective_date():
    v3 = PolicyVersion.objects.create(
        code="3.0",
        title="3.0",
        effective_from=date(2027, 7, 1),
        project_subsidy_rate=D("0.4"),
        project_subsidy_cap=D("400000"),
        social_science_cap=D("120000"),
        monthly_allowance=D("2500"),
        enterprise_matching=D("2500"),
        term_months=36,
        management_fee_ceiling_rate=D("0.03"),
        award_first=D("1"),
        award_second=D("1"),
        award_third=D("1"),
    )
    assert policy_version_in_force(date(2027, 6, 30)).code == "2.0"
    assert policy_version_in_force(date(2027, 7, 1)) == v3
    with pytest.raises(PolicyVersion.DoesNotExist):
        policy_version_in_force(date(2022, 12, 31))


# --- budgets --------------------------------------------------------------------------------------------


def test_budget_summary_committed_paid_remaining(staff):
    services.budget_save(
        year=2026,
        amounts={"subsidy": D("3000000.00"), "allowance": D("1200000.00"), "award": D("650000.00")},
        by=staff,
    )
    services.budget_commit(
        year=2026, category="subsidy", amount=D("300000.00"), description="项目A", by=staff
    )
    services.budget_commit(year=2026, category="allowance", amount=D("48000.00"), description="A", by=staff)
    services.budget_commit(
        year=2026, category="allowance", amount=D("-6000.00"), description="提前终止", by=staff
    )
    paid = PaymentFactory(
        amount=D("2000.00"), category="allowance", paid_on=date(2026, 4, 3), bank_reference="R1"
    )
    PaymentFactory(amount=D("2000.00"), category="allowance")  # not paid: not counted
    services.payment_reverse(payment=paid, reason="重复支付", by=staff, on=date(2026, 4, 10))
    PaymentFactory(amount=D("4000.00"), category="allowance", paid_on=date(2026, 5, 3), bank_reference="R2")
    rows = {r.category: r for r in budget_summary(2026)}
    assert (
        rows["subsidy"].budget,
        rows["subsidy"].committed,
        rows["subsidy"].paid,
        rows["subsidy"].remaining,
    ) == (D("3000000.00"), D("300000.00"), D("0.00"), D("2700000.00"))
    assert (rows["allowance"].committed, rows["allowance"].paid, rows["allowance"].remaining) == (
        D("42000.00"),
        D("4000.00"),
        D("1158000.00"),
    )
    assert rows["award"].remaining == D("650000.00")


def test_budget_save_updates_lines_and_refuses_bad_amounts(staff):
    services.budget_save(year=2026, amounts={"subsidy": D("100.00")}, by=staff)
    services.budget_save(year=2026, amounts={"subsidy": D("200.00")}, by=staff)
    assert budget_summary(2026)[0].budget == D("200.00")
    for bad, message in [
        (D("-1"), "项目资金补贴不能为负数"),
        (D("1.001"), "项目资金补贴最多保留两位小数（精确到分）。"),
        (1.5, "项目资金补贴须为精确的十进制数值"),
    ]:
        with pytest.raises(SubsidyError) as exc:
            services.budget_save(year=2026, amounts={"subsidy": bad}, by=staff)
        assert str(exc.value) == message
    assert budget_summary(2026)[0].budget == D("200.00")


def test_commitment_over_remaining_needs_override_reason(staff):
    services.budget_save(year=2026, amounts={"subsidy": D("500000.00")}, by=staff)
    services.budget_commit(year=2026, category="subsidy", amount=D("300000.00"), description="A", by=staff)
    with pytest.raises(BudgetExceeded) as exc:
        services.budget_commit(
            year=2026, category="subsidy", amount=D("200000.01"), description="B", by=staff
        )
    assert str(exc.value) == (
        "2026年度“项目资金补贴”预算余额为 ¥200,000.00，本次占用 ¥200,000.01 超出余额；"
        "如确需超预算，请填写理由后确认。"
    )
    assert exc.value.remaining == D("200000.00")
    assert BudgetCommitment.objects.count() == 1
    # Exactly the remainder is fine; over it with a reason is recorded as an override.
    services.budget_commit(year=2026, category="subsidy", amount=D("200000.00"), description="B", by=staff)
    c = services.budget_commit(
        year=2026,
        category="subsidy",
        amount=D("0.01"),
        description="C",
        by=staff,
        override_reason="追加预算已报批",
    )
    assert (c.over_budget, c.override_reason, c.override_by) == (True, "追加预算已报批", staff)
    assert budget_summary(2026)[0].remaining == D("-0.01")


def test_deferred_override_then_staff_accept(staff):
    c = services.budget_commit(
        year=2027, category="subsidy", amount=D("1.00"), description="A", by=None, defer_override=True
    )
    assert c.awaiting_override
    with pytest.raises(SubsidyError, match="请填写超预算确认理由"):
        services.budget_commitment_override(commitment=c, reason=" ", by=staff)
    services.budget_commitment_override(commitment=c, reason="年中调整预算", by=staff)
    c.refresh_from_db()
    assert not c.awaiting_override and c.override_by == staff
    with pytest.raises(SubsidyError, match="无需或已完成"):
        services.budget_commitment_override(commitment=c, reason="再次", by=staff)


def test_override_without_reason_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetCommitment.objects.create(
            year=2026,
            category="subsidy",
            amount=1,
            description="x",
            over_budget=True,
            override_by=UserFactory(),
        )


# --- bank accounts -----------------------------------------------------------------------------------------


def test_bank_account_encrypted_at_rest(staff):
    acct = services.bank_account_save(
        payee_kind="expert",
        holder_name="张明远",
        bank_name="中国银行北京昌平支行",
        account_number="6217 0000 1234 5678 901",
        by=staff,
    )
    with connection.cursor() as cur:
        cur.execute("SELECT account_number FROM subsidies_bankaccount WHERE id = %s", [acct.pk])
        stored = cur.fetchone()[0]
    assert "6217" not in stored and stored.startswith("gAAAA")
    assert BankAccount.objects.get(pk=acct.pk).account_number == "6217000012345678901"
    assert acct.masked_number == "****8901"


@pytest.mark.parametrize("number", ["1234", "6217abc000123456", "1" * 31])
def test_bank_account_invalid_number(staff, number):
    with pytest.raises(SubsidyError, match="银行账号须为8至30位数字"):
        services.bank_account_save(
            payee_kind="expert", holder_name="张", bank_name="中行", account_number=number, by=staff
        )
    assert BankAccount.objects.count() == 0


# --- payments --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (D("-0.01"), "金额不能为负数"),
        ("abc", "金额须为精确的十进制数值"),
        (D("1.005"), "金额最多保留两位小数（精确到分）。"),
    ],
)
def test_payment_create_bad_amount(staff, amount, message):
    with pytest.raises(SubsidyError) as exc:
        services.payment_create(
            category="award",
            budget_year=2026,
            payee_kind="expert",
            payee_name="张明远",
            amount=amount,
            purpose="一等奖",
            due_on=date(2026, 12, 1),
            by=staff,
        )
    assert str(exc.value) == message
    assert Payment.objects.count() == 0


def test_amount_non_negative_in_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentFactory(amount=D("-1.00"))


def test_paid_payment_never_edited_or_deleted_by_services(staff):
    p = PaymentFactory(paid_on=date(2026, 4, 3), bank_reference="R1")
    with pytest.raises(PaymentError, match="已支付的款项不能修改或删除"):
        services.payment_update(payment=p, amount=D("1.00"), by=staff)
    with pytest.raises(PaymentError, match="已支付的款项不能修改或删除"):
        services.payment_delete(payment=p, by=staff)
    p.refresh_from_db()
    assert p.amount == D("2000.00")


def test_paid_payment_never_edited_or_deleted_in_database():
    p = PaymentFactory(paid_on=date(2026, 4, 3), bank_reference="R1")
    with pytest.raises(IntegrityError, match="never edited or deleted"), transaction.atomic():
        Payment.objects.filter(pk=p.pk).update(amount=D("1.00"))
    with pytest.raises(IntegrityError, match="never edited or deleted"), transaction.atomic():
        Payment.objects.filter(pk=p.pk).delete()
    assert Payment.objects.get(pk=p.pk).amount == D("2000.00")


def test_unpaid_payment_update_and_delete(staff):
    p = PaymentFactory()
    services.payment_update(payment=p, amount=D("1999.99"), purpose="更正金额", by=staff)
    p.refresh_from_db()
    assert (p.amount, p.purpose) == (D("1999.99"), "更正金额")
    services.payment_delete(payment=p, by=staff)
    assert not Payment.objects.filter(pk=p.pk).exists()


def test_reversal_links_original_once(staff):
    p = PaymentFactory(paid_on=date(2026, 4, 3), bank_reference="R1")
    with pytest.raises(PaymentError, match="请填写冲正原因"):
        services.payment_reverse(payment=p, reason="", by=staff)
    r = services.payment_reverse(payment=p, reason="金额有误", by=staff, on=date(2026, 4, 20))
    assert (r.reversal_of, r.amount, r.signed_amount, r.paid_on, r.purpose) == (
        p,
        D("2000.00"),
        D("-2000.00"),
        date(2026, 4, 20),
        "冲正：人才生活补贴",
    )
    with pytest.raises(PaymentError, match="已冲正，不能重复冲正"):
        services.payment_reverse(payment=p, reason="再次", by=staff)
    with pytest.raises(PaymentError, match="冲正记录本身不能再冲正"):
        services.payment_reverse(payment=r, reason="再次", by=staff)
    with pytest.raises(PaymentError, match="未支付的款项无需冲正"):
        services.payment_reverse(payment=PaymentFactory(), reason="x", by=staff)


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


def test_budget_category_labels():
    assert [str(c.label) for c in BudgetCategory] == ["项目资金补贴", "人才生活补贴", "年度评选奖励"]


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
    services.bank_account_save(
        payee_kind="expert",
        holder_name="专家",
        bank_name="工行",
        account_number="6222020000001",
        by=staff,
        expert=appt.expert,
    )
    services.bank_account_save(
        payee_kind="enterprise",
        holder_name="企业",
        bank_name="工行",
        account_number="6222020000002",
        by=staff,
        enterprise=appt.enterprise,
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
