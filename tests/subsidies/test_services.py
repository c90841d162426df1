"""Policy versions, budgets and commitments, bank accounts and payments (SPEC §5): every rule, bad input
(the payment batches are in test_batches.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from subsidies import services
from subsidies.enums import BudgetCategory
from subsidies.exceptions import BudgetExceeded, PaymentError, SubsidyError
from subsidies.models import BankAccount, BudgetCommitment, Payment, PolicyVersion
from subsidies.selectors import budget_summary, policy_version_in_force
from tests.factories.accounts import UserFactory
from tests.factories.subsidies import PaymentFactory, policy_version

pytestmark = pytest.mark.django_db
D = Decimal


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
    v3 = policy_version("3.0", date(2027, 7, 1), monthly_allowance=D("2500"), term_months=36)
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


def test_budget_category_labels():
    assert [str(c.label) for c in BudgetCategory] == ["项目资金补贴", "人才生活补贴", "年度评选奖励"]
