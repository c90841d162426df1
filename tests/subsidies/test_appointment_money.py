"""appointment_setup (contract with projects), project subsidy and instalments, enterprise matching."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from subsidies import services
from subsidies.allowances import allowances_generate
from subsidies.exceptions import SubsidyError
from subsidies.models import AllowancePayment, AppointmentTerms, BudgetCommitment, ProjectSubsidy
from subsidies.selectors import budget_summary, matching_overdue
from tests.factories.subsidies import appointment

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.mark.parametrize(
    ("funding", "social", "amount"),
    [
        (D("599999.99"), False, D("300000.00")),
        (D("500000.00"), False, D("250000.00")),
        (D("200000.00"), True, D("100000.00")),
        (D("0.01"), False, D("0.01")),
    ],
)
def test_appointment_setup_creates_subsidy(staff, funding, social, amount):
    appt = appointment(start=date(2026, 3, 1), approved_funding=funding, social_science=social)
    subsidy = services.appointment_setup(appointment=appt, by=staff)
    assert (
        subsidy.amount,
        subsidy.enterprise,
        subsidy.expert,
        subsidy.budget_year,
        subsidy.policy_version.code,
    ) == (amount, appt.enterprise, appt.expert, 2026, "2.0")
    assert AppointmentTerms.objects.get(appointment=appt).policy_version.code == "2.0"
    inst = list(subsidy.instalments.select_related("payment"))
    assert [(i.number, i.amount, i.due_on, i.payment.amount, i.payment.enterprise) for i in inst] == [
        (1, amount, date(2026, 3, 1), amount, appt.enterprise)
    ]
    # Idempotent.
    assert services.appointment_setup(appointment=appt, by=staff) == subsidy
    assert ProjectSubsidy.objects.count() == 1


def test_appointment_setup_books_budget(staff):
    services.budget_save(year=2026, amounts={"subsidy": D("1000000"), "allowance": D("100000")}, by=staff)
    appt = appointment(start=date(2026, 3, 1), approved_funding=D("600000.00"))
    services.appointment_setup(appointment=appt, by=staff)
    # Months 1..10 fall due in 2026 (month 10 ends 2026-12-31, due 2027-01-01 → 2027): months 1-9 in 2026.
    commitments = sorted(BudgetCommitment.objects.values_list("year", "category", "amount", "over_budget"))
    assert commitments == [
        (2026, "allowance", D("18000.00"), False),
        (2026, "subsidy", D("300000.00"), False),
        (2027, "allowance", D("24000.00"), True),  # no 2027 budget yet: awaiting a staff override
        (2028, "allowance", D("6000.00"), True),
    ]
    rows = {r.category: r for r in budget_summary(2026)}
    assert rows["subsidy"].remaining == D("700000.00") and rows["allowance"].remaining == D("82000.00")


def test_one_project_subsidy_per_expert_term_in_database(staff):
    appt = appointment(start=date(2026, 3, 1))
    s = services.appointment_setup(appointment=appt, by=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectSubsidy.objects.create(
            appointment=appointment(start=date(2028, 1, 1)),
            expert=appt.expert,
            enterprise=appt.enterprise,
            term_start=date(2026, 3, 1),
            policy_version=s.policy_version,
            approved_funding=1,
            amount=1,
            budget_year=2026,
        )


def test_instalments_must_add_up(staff):
    appt = appointment(start=date(2026, 3, 1), approved_funding=D("500000.00"))
    subsidy = services.appointment_setup(appointment=appt, by=staff)
    with pytest.raises(SubsidyError) as exc:
        services.subsidy_instalments_set(
            subsidy=subsidy,
            by=staff,
            plan=[(D("100000.00"), date(2026, 3, 1)), (D("149999.99"), date(2026, 9, 1))],
        )
    assert str(exc.value) == "各期金额合计 ¥249,999.99，与补贴金额 ¥250,000.00 不一致。"
    with pytest.raises(SubsidyError, match="分期金额不能为负数"):
        services.subsidy_instalments_set(
            subsidy=subsidy, by=staff, plan=[(D("-1"), date(2026, 3, 1)), (D("250001"), date(2026, 9, 1))]
        )
    assert subsidy.instalments.count() == 1
    services.subsidy_instalments_set(
        subsidy=subsidy,
        by=staff,
        plan=[(D("150000.00"), date(2026, 3, 1)), (D("100000.00"), date(2027, 3, 1))],
    )
    assert list(
        subsidy.instalments.values_list("number", "amount", "payment__amount", "payment__purpose")
    ) == [
        (1, D("150000.00"), D("150000.00"), "项目资金补贴（第1期）"),
        (2, D("100000.00"), D("100000.00"), "项目资金补贴（第2期）"),
    ]
    assert appt.enterprise.payments.count() == 2


def test_instalments_locked_once_batched(staff):
    appt = appointment(start=date(2026, 3, 1))
    subsidy = services.appointment_setup(appointment=appt, by=staff)
    batch = services.batch_create(title="补贴", year=2026, by=staff)
    services.batch_add_payments(batch=batch, payments=[subsidy.instalments.get().payment], by=staff)
    with pytest.raises(SubsidyError, match="已有分期编入支付批次或已支付"):
        services.subsidy_instalments_set(subsidy=subsidy, by=staff, plan=[(subsidy.amount, date(2026, 4, 1))])


def test_batch_takes_payees_bank_account(staff):
    appt = appointment(start=date(2026, 3, 1))
    acct = services.bank_account_save(
        payee_kind="enterprise",
        enterprise=appt.enterprise,
        holder_name="企业",
        bank_name="北京银行昌平支行",
        account_number="20000012345678901",
        by=staff,
    )
    subsidy = services.appointment_setup(appointment=appt, by=staff)
    batch = services.batch_create(title="补贴", year=2026, by=staff)
    payment = subsidy.instalments.get().payment
    services.batch_add_payments(batch=batch, payments=[payment], by=staff)
    payment.refresh_from_db()
    assert payment.bank_account == acct


def _matching(as_of=date(2025, 6, 1)):
    appt = appointment(start=date(2025, 3, 1))
    allowances_generate(as_of=as_of)
    return appt, AllowancePayment.objects.filter(appointment=appt, kind="matching").order_by("month")


def test_matching_confirm(staff):
    appt, matching = _matching()
    user = appt.enterprise.members.first().user
    m1 = matching[0]
    services.matching_confirm(
        allowance=m1, confirmed_on=date(2025, 4, 5), reference="企业转账20250405", by=user
    )
    m1.refresh_from_db()
    assert (m1.confirmed_on, m1.confirmation_reference, m1.confirmed_by) == (
        date(2025, 4, 5),
        "企业转账20250405",
        user,
    )
    with pytest.raises(SubsidyError, match="已确认，不能重复确认"):
        services.matching_confirm(allowance=m1, confirmed_on=date(2025, 4, 6), reference="x", by=user)


@pytest.mark.parametrize(
    ("confirmed_on", "reference", "message"),
    [
        (date(2025, 4, 5), " ", "请填写支付凭证号。"),
        (None, "R", "请填写支付日期。"),
        (date(2025, 2, 1), "R", "支付日期不能早于该服务月开始日期。"),
    ],
)
def test_matching_confirm_bad_input(staff, confirmed_on, reference, message):
    _appt, matching = _matching()
    with pytest.raises(SubsidyError) as exc:
        services.matching_confirm(
            allowance=matching[0], confirmed_on=confirmed_on, reference=reference, by=staff
        )
    assert str(exc.value) == message
    assert not AllowancePayment.objects.filter(confirmed_on__isnull=False).exists()


def test_matching_confirm_future_date_and_district_refused(staff):
    appt, matching = _matching()
    with pytest.raises(SubsidyError, match="支付日期不能晚于今天"):
        services.matching_confirm(
            allowance=matching[0],
            confirmed_on=timezone.localdate() + timedelta(days=1),
            reference="R",
            by=staff,
        )
    district = AllowancePayment.objects.filter(appointment=appt, kind="district").first()
    with pytest.raises(SubsidyError, match="只有企业配套生活补助需要企业确认"):
        services.matching_confirm(allowance=district, confirmed_on=date(2025, 4, 5), reference="R", by=staff)


def test_unconfirmed_matching_older_than_a_month_is_flagged(staff):
    _appt, matching = _matching(as_of=date(2025, 7, 1))  # months 1-3 due 04-01, 05-01, 06-01
    services.matching_confirm(allowance=matching[0], confirmed_on=date(2025, 4, 5), reference="R", by=staff)
    flagged = matching_overdue(as_of=date(2025, 7, 1))
    # due 05-01 is older than a month on 07-01; due 06-01 is exactly a month old: not yet.
    assert [(a.month, a.due_on) for a in flagged] == [(2, date(2025, 5, 1))]
    assert [a.month for a in matching_overdue(as_of=date(2025, 7, 2))] == [2, 3]
