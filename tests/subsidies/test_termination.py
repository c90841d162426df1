"""Early termination follows through on the money (SPEC §5: only months completed before the
termination date are paid): projects.services.appointment_end →
subsidies.services.allowances_withdraw_after_termination."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import AuditEvent
from projects import services as project_services
from projects.exceptions import ProjectError
from subsidies import services
from subsidies.allowances import allowances_generate
from subsidies.models import AllowancePayment, AppointmentTerms, BudgetCommitment, Payment
from subsidies.selectors import budget_summary
from tests.factories.subsidies import BankAccountFactory, appointment

pytestmark = pytest.mark.django_db
D = Decimal
START = date(2025, 1, 1)  # month n runs 2025-n-01 .. end of 2025-n; months 1..5 are past on 2025-06-02
GENERATED_ON = date(2025, 6, 2)
TERMINATED_ON = date(2025, 3, 15)  # in month 3: months 1 and 2 stay payable


def _batch(payments, *, to: str, staff, finance):
    """Put `payments` into a new batch and move it to state `to` (draft/submitted/approved/paid)."""
    batch = services.batch_create(title="人才生活补贴", year=2025, by=staff)
    services.batch_add_payments(batch=batch, payments=payments, by=staff)
    if to in ("submitted", "approved", "paid"):
        services.batch_submit(batch=batch, by=staff)
    if to in ("approved", "paid"):
        services.batch_approve(batch=batch, by=finance)
    if to == "paid":
        services.batch_mark_paid(
            batch=batch, paid_on=timezone.localdate(), bank_reference="ICBC-T1", by=finance
        )
    return batch


def _term(staff, finance, *, late_state: str):
    """An appointment with budgets, 5 generated months; months 1-2 paid, month 3's matching confirmed by
    the enterprise, and the district payments of months 3-5 in `late_state`."""
    for year in (2025, 2026, 2027):
        services.budget_save(year=year, amounts={"allowance": D("100000.00")}, by=staff)
    appt = appointment(start=START, months=24)
    BankAccountFactory(expert=appt.expert)
    services.appointment_setup(appointment=appt, by=staff)
    assert allowances_generate(as_of=GENERATED_ON).created == 10
    assert services.allowance_payables_prepare(through=GENERATED_ON, by=staff) == 5
    by_month = {p.allowance.month: p for p in Payment.objects.filter(allowance__appointment=appt)}
    _batch([by_month[1], by_month[2]], to="paid", staff=staff, finance=finance)
    late = [by_month[3], by_month[4], by_month[5]]
    if late_state == "no payment":
        for p in late:
            services.payment_delete(payment=p, by=staff)
    elif late_state != "unbatched":
        _batch(late, to=late_state, staff=staff, finance=finance)
    services.matching_confirm(
        allowance=AllowancePayment.objects.get(appointment=appt, month=3, kind="matching"),
        confirmed_on=date(2025, 4, 2),
        reference="ENT-2025-03",
        by=staff,
    )
    return appt


def _allowance_rows(appt):
    return list(
        AllowancePayment.objects.filter(appointment=appt)
        .order_by("month", "kind")
        .values_list("month", "kind", "payment__paid_on", "confirmation_reference")
    )


def _committed(year):
    return next(r for r in budget_summary(year) if r.category == "allowance")


@pytest.mark.parametrize(
    ("late_state", "district_3_5_kept", "reversals"),
    [
        # unpaid months are withdrawn: the row and its payment go, out of a draft batch first
        ("no payment", False, 0),
        ("unbatched", False, 0),
        ("draft", False, 0),
        # paid months keep their row and paid payment, and get a reversing entry each
        ("paid", True, 3),
    ],
)
def test_termination_withdraws_or_reverses_months_after_it(
    staff, finance, late_state, district_3_5_kept, reversals
):
    appt = _term(staff, finance, late_state=late_state)
    today = timezone.localdate()
    before_1_2 = list(
        Payment.objects.filter(allowance__appointment=appt, allowance__month__lte=2)
        .order_by("pk")
        .values_list("pk", "amount", "paid_on", "bank_reference", "batch_id")
    )
    assert len(before_1_2) == 2
    paid_2025_before = _committed(2025).paid

    project_services.appointment_end(
        appointment=appt, by=staff, terminated_on=TERMINATED_ON, reason="企业经营调整"
    )

    late_district = [(m, "district", today if district_3_5_kept else None, "") for m in (3, 4, 5)]
    expected = [
        (1, "district", today, ""),
        (1, "matching", None, ""),
        (2, "district", today, ""),
        (2, "matching", None, ""),
        # the enterprise's confirmed month 3 stays as the record of what it paid
        (3, "matching", None, "ENT-2025-03"),
    ]
    if district_3_5_kept:
        expected += late_district
    assert _allowance_rows(appt) == sorted(expected)
    # months 1-2 untouched
    assert (
        list(
            Payment.objects.filter(allowance__appointment=appt, allowance__month__lte=2)
            .order_by("pk")
            .values_list("pk", "amount", "paid_on", "bank_reference", "batch_id")
        )
        == before_1_2
    )
    revs = list(
        Payment.objects.filter(reversal_of__allowance__appointment=appt)
        .order_by("reversal_of__allowance__month")
        .values_list("reversal_of__allowance__month", "amount", "paid_on", "batch_id", "budget_year")
    )
    assert revs == [(m, D("2000.00"), today, None, 2025) for m in (3, 4, 5)][:reversals]
    if reversals:
        assert Payment.objects.filter(reversal_of__isnull=False, allowance__isnull=False).count() == 0
    else:
        # no payment of months 3-5 is left anywhere (nor in the draft batch)
        assert Payment.objects.filter(expert=appt.expert, paid_on__isnull=True).count() == 0
    # budget to the fen: only months 1-2 stay committed; paid = months 1-2 (reversals net out)
    row_2025 = _committed(2025)
    assert (row_2025.committed, row_2025.paid, row_2025.remaining) == (
        D("4000.00"),
        D("4000.00"),
        D("96000.00"),
    )
    assert paid_2025_before == (D("10000.00") if late_state == "paid" else D("4000.00"))
    assert (_committed(2026).committed, _committed(2027).committed) == (D("0.00"), D("0.00"))
    assert AuditEvent.objects.filter(action="allowance.withdraw").count() == (2 if district_3_5_kept else 5)
    assert AuditEvent.objects.filter(action="payment.reverse").count() == reversals
    assert (
        AuditEvent.objects.filter(action="appointment.allowances_withdraw", target_id=str(appt.pk)).count()
        == 1
    )
    assert AppointmentTerms.objects.get(appointment=appt).allowance_months == 2

    # The generator creates nothing for months >= 3 afterwards; rerunning the withdrawal changes nothing.
    assert allowances_generate(as_of=date(2025, 12, 1)).created == 0
    snapshot = (
        _allowance_rows(appt),
        Payment.objects.count(),
        BudgetCommitment.objects.count(),
        AuditEvent.objects.count(),
    )
    again = services.allowances_withdraw_after_termination(appointment=appt, by=staff)
    assert (again.changed, again.withdrawn, again.reversed, again.released) == (False, [], [], {})
    assert again.kept_confirmed == [3]
    assert (
        _allowance_rows(appt),
        Payment.objects.count(),
        BudgetCommitment.objects.count(),
        AuditEvent.objects.count(),
    ) == snapshot


@pytest.mark.parametrize(("late_state", "label"), [("submitted", "已提交"), ("approved", "已审核")])
def test_termination_refused_while_a_late_month_is_with_finance(staff, finance, late_state, label):
    appt = _term(staff, finance, late_state=late_state)
    rows_before, commitments_before = _allowance_rows(appt), BudgetCommitment.objects.count()
    with pytest.raises(ProjectError) as exc:
        project_services.appointment_end(
            appointment=appt, by=staff, terminated_on=TERMINATED_ON, reason="企业经营调整"
        )
    assert str(exc.value).startswith(
        f"终止日期后的第3个服务月人才生活补贴已在支付批次 ZF-2025-0002（{label}）中"
    )
    appt.refresh_from_db()
    assert (appt.state, appt.terminated_on) == ("active", None)
    assert _allowance_rows(appt) == rows_before
    assert BudgetCommitment.objects.count() == commitments_before


def test_termination_before_generation_only_releases_the_budget(staff):
    services.budget_save(year=2025, amounts={"allowance": D("100000.00")}, by=staff)
    appt = appointment(start=START, months=24)
    services.appointment_setup(appointment=appt, by=staff)
    assert _committed(2025).committed == D("22000.00")  # months 1-11 fall due in 2025
    project_services.appointment_end(
        appointment=appt, by=staff, terminated_on=TERMINATED_ON, reason="个人原因"
    )
    assert AllowancePayment.objects.filter(appointment=appt).count() == 0
    assert AuditEvent.objects.filter(action="allowance.withdraw").count() == 0
    assert sorted(BudgetCommitment.objects.filter(amount__lt=0).values_list("year", "amount")) == [
        (2025, D("-18000.00")),
        (2026, D("-24000.00")),
        (2027, D("-2000.00")),
    ]
    assert _committed(2025).committed == D("4000.00")
    # Generation afterwards pays exactly the months completed before the termination date.
    assert allowances_generate(as_of=GENERATED_ON).created == 4
    assert [m for m, *_ in _allowance_rows(appt)] == [1, 1, 2, 2]


def test_termination_without_money_terms_changes_nothing(staff):
    """An appointment made before the subsidies app (no bookings, no rows): nothing to withdraw or release."""
    appt = appointment(start=START, months=24)
    audits = AuditEvent.objects.count()
    result = services.allowances_withdraw_after_termination(appointment=appt, by=staff)  # not terminated
    assert not result.changed
    project_services.appointment_end(
        appointment=appt, by=staff, terminated_on=TERMINATED_ON, reason="个人原因"
    )
    assert BudgetCommitment.objects.count() == 0 and AllowancePayment.objects.count() == 0
    assert not AuditEvent.objects.filter(
        action__in=["allowance.withdraw", "budget.commit", "appointment.allowances_withdraw"]
    ).exists()
    assert AuditEvent.objects.count() > audits  # the termination itself is audited


def test_generation_that_lagged_behind_the_termination_catches_up(staff):
    """Terminated in month 3 while only month 1 was generated: the watermark is not moved, month 2 follows."""
    appt = appointment(start=START, months=24)
    services.appointment_setup(appointment=appt, by=staff)
    allowances_generate(as_of=date(2025, 2, 2))
    project_services.appointment_end(
        appointment=appt, by=staff, terminated_on=TERMINATED_ON, reason="个人原因"
    )
    assert [m for m, *_ in _allowance_rows(appt)] == [1, 1]
    assert allowances_generate(as_of=GENERATED_ON).created == 2
    assert [m for m, *_ in _allowance_rows(appt)] == [1, 1, 2, 2]
