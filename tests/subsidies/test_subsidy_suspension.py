"""Project subsidy after early termination (SPEC §5, issue 15 item 5): the unpaid instalments of a terminated
appointment are suspended until the commission decides — keep, reduce to an amount, or cancel — with a
reason; the budget commitment follows; the decision is audited and shown on the appointment page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from core.models import AuditEvent
from projects import services as project_services
from projects.exceptions import ProjectError
from subsidies import services
from subsidies.enums import BudgetCategory
from subsidies.exceptions import PaymentError, SubsidyError
from subsidies.models import (
    BudgetCommitment,
    Payment,
    ProjectSubsidy,
    SubsidyInstalment,
    SubsidySuspensionDecision,
)
from subsidies.selectors import payment_due_list
from tests.factories import terms as tf
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.subsidies import BankAccountFactory
from tests.field_errors import error_at_field

pytestmark = pytest.mark.django_db
D = Decimal


def _appointment(staff, *, plan=None):
    """A 2025-03-01 term whose project subsidy is 250,000.00 (approved funding 500,000.00), optionally
    re-planned in instalments."""
    appt = tf.appointment(start=date(2025, 3, 1), staff=staff)
    subsidy = ProjectSubsidy.objects.get(appointment=appt)
    if plan:
        services.subsidy_instalments_set(subsidy=subsidy, plan=plan, by=staff)
    return appt, subsidy


def _terminate(appt, staff, on=date(2025, 3, 1)):
    project_services.appointment_end(appointment=appt, by=staff, terminated_on=on, reason="企业经营困难")
    appt.refresh_from_db()


def _subsidy_booked(subsidy) -> Decimal:
    return BudgetCommitment.objects.filter(
        source_type="subsidies.projectsubsidy", source_id=str(subsidy.pk), category=BudgetCategory.SUBSIDY
    ).aggregate(s=Sum("amount"))["s"]


def test_termination_suspends_the_unpaid_instalments(media, staff):
    appt, subsidy = _appointment(staff)
    assert subsidy.amount == D("250000.00")
    inst = SubsidyInstalment.objects.get(subsidy=subsidy)
    assert inst.payment in payment_due_list()
    _terminate(appt, staff)
    inst.refresh_from_db()
    assert inst.state == "suspended"
    assert inst.payment not in payment_due_list()
    assert inst.transitions.get().reason.startswith("聘任提前终止（终止日期 2025-03-01）")
    assert _subsidy_booked(subsidy) == D("250000.00")  # booked until the commission decides
    batch = services.batch_create(title="补贴批次", year=2025, by=staff)
    with pytest.raises(PaymentError, match="已暂停支付，须待区科委作出决定"):
        services.batch_add_payments(batch=batch, payments=[inst.payment], by=staff)
    assert not batch.payments.exists()
    assert AuditEvent.objects.filter(action="projectsubsidy.suspend", target_id=str(subsidy.pk)).exists()


# outcome, amount → instalment state and amount, payment left (amount or None), subsidy amount, booked
DECISIONS = [
    ("keep", None, "scheduled", "250000.00", "250000.00", "250000.00", "250000.00"),
    ("reduce", "100000.00", "scheduled", "100000.00", "100000.00", "100000.00", "100000.00"),
    ("cancel", None, "cancelled", "250000.00", None, "0.00", "0.00"),
]


@pytest.mark.parametrize(("outcome", "amount", "state", "inst_amount", "paid", "total", "booked"), DECISIONS)
def test_the_commission_decides(media, staff, outcome, amount, state, inst_amount, paid, total, booked):
    appt, subsidy = _appointment(staff)
    _terminate(appt, staff)
    decision = services.subsidy_suspension_decide(
        subsidy=subsidy, outcome=outcome, amount=amount, reason="按实际服务情况处理", by=staff
    )
    inst = SubsidyInstalment.objects.select_related("payment").get(subsidy=subsidy)
    assert (inst.state, inst.amount) == (state, D(inst_amount))
    assert (inst.payment.amount if inst.payment else None) == (D(paid) if paid else None)
    assert (inst.payment in payment_due_list()) == (paid is not None)
    subsidy.refresh_from_db()
    assert subsidy.amount == D(total)
    assert _subsidy_booked(subsidy) == D(booked)
    assert (decision.outcome, decision.suspended_amount, decision.amount) == (
        outcome,
        D("250000.00"),
        D(total),
    )
    event = AuditEvent.objects.get(action="projectsubsidy.suspension_decide")
    assert event.data["outcome"] == outcome and event.data["reason"] == "按实际服务情况处理"
    assert inst.transitions.last().reason.startswith("区科委决定：")
    with pytest.raises(SubsidyError, match="没有暂停支付的分期"):
        services.subsidy_suspension_decide(subsidy=subsidy, outcome="keep", reason="再次", by=staff)


BAD = [
    ("keep", None, "", "请填写决定理由"),
    ("maybe", None, "理由", "请选择决定"),
    ("reduce", None, "理由", "核减时请填写核减后的支付金额"),
    ("reduce", "0.00", "理由", "须大于0且小于暂停支付的金额 ¥250,000.00"),
    ("reduce", "250000.00", "理由", "须大于0且小于暂停支付的金额"),
    ("reduce", "300000.00", "理由", "须大于0且小于暂停支付的金额"),
    ("reduce", "1.001", "理由", "精确到分"),
]


@pytest.mark.parametrize(("outcome", "amount", "reason", "message"), BAD)
def test_bad_decisions_change_nothing(media, staff, outcome, amount, reason, message):
    appt, subsidy = _appointment(staff)
    _terminate(appt, staff)
    with pytest.raises(SubsidyError, match=message):
        services.subsidy_suspension_decide(
            subsidy=subsidy, outcome=outcome, amount=amount, reason=reason, by=staff
        )
    inst = SubsidyInstalment.objects.get(subsidy=subsidy)
    assert (inst.state, inst.amount, inst.payment.amount) == ("suspended", D("250000.00"), D("250000.00"))
    assert not SubsidySuspensionDecision.objects.exists()
    assert _subsidy_booked(subsidy) == D("250000.00")


def test_reduce_over_several_instalments_keeps_the_paid_one(media, staff):
    appt, subsidy = _appointment(
        staff,
        plan=[
            (D("100000.00"), date(2025, 3, 1)),
            (D("80000.00"), date(2025, 9, 1)),
            (D("70000.00"), date(2026, 3, 1)),
        ],
    )
    first = SubsidyInstalment.objects.get(subsidy=subsidy, number=1)
    BankAccountFactory(payee_kind="enterprise", enterprise=appt.enterprise)
    batch = services.batch_create(title="补贴第1期", year=2025, by=staff)
    services.batch_add_payments(batch=batch, payments=[first.payment], by=staff)
    services.batch_submit(batch=batch, by=staff)
    finance = UserFactory(roles=[Role.FINANCE])
    services.batch_approve(batch=batch, by=finance)
    services.batch_mark_paid(batch=batch, paid_on=timezone.localdate(), bank_reference="ICBC-S1", by=finance)
    _terminate(appt, staff, on=date(2025, 6, 30))
    states = dict(SubsidyInstalment.objects.filter(subsidy=subsidy).values_list("number", "state"))
    assert states == {1: "scheduled", 2: "suspended", 3: "suspended"}
    services.subsidy_suspension_decide(
        subsidy=subsidy, outcome="reduce", amount="40000.00", reason="服务约4个月，按比例核减", by=staff
    )
    rows = {
        i.number: (i.state, i.amount, i.payment.amount if i.payment else None)
        for i in SubsidyInstalment.objects.filter(subsidy=subsidy).select_related("payment")
    }
    assert rows == {
        1: ("scheduled", D("100000.00"), D("100000.00")),
        2: ("scheduled", D("40000.00"), D("40000.00")),
        3: ("cancelled", D("70000.00"), None),
    }
    subsidy.refresh_from_db()
    assert subsidy.amount == D("140000.00")
    assert _subsidy_booked(subsidy) == D("140000.00")


def test_an_instalment_in_a_submitted_batch_blocks_the_termination(media, staff):
    appt, subsidy = _appointment(staff)
    inst = SubsidyInstalment.objects.get(subsidy=subsidy)
    BankAccountFactory(payee_kind="enterprise", enterprise=appt.enterprise)
    batch = services.batch_create(title="补贴", year=2025, by=staff)
    services.batch_add_payments(batch=batch, payments=[inst.payment], by=staff)
    services.batch_submit(batch=batch, by=staff)
    with pytest.raises(ProjectError, match=r"已在支付批次 .*（已提交）中，不能暂停支付"):
        _terminate(appt, staff)
    appt.refresh_from_db()
    inst.refresh_from_db()
    assert (appt.state, inst.state) == ("active", "scheduled")


def test_an_instalment_in_a_draft_batch_leaves_it(media, staff):
    appt, subsidy = _appointment(staff)
    inst = SubsidyInstalment.objects.get(subsidy=subsidy)
    batch = services.batch_create(title="补贴", year=2025, by=staff)
    services.batch_add_payments(batch=batch, payments=[inst.payment], by=staff)
    _terminate(appt, staff)
    assert Payment.objects.get(pk=inst.payment_id).batch_id is None
    assert SubsidyInstalment.objects.get(pk=inst.pk).state == "suspended"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE subsidies_subsidyinstalment SET state = 'cancelled' WHERE id = %s",  # still has its payment
        "UPDATE subsidies_subsidyinstalment SET state = 'paused' WHERE id = %s",
    ],
)
def test_instalment_state_constraints_in_sql(media, staff, sql):
    _appt, subsidy = _appointment(staff)
    inst = SubsidyInstalment.objects.get(subsidy=subsidy)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, [inst.pk])
    assert SubsidyInstalment.objects.get(pk=inst.pk).state == "scheduled"


@pytest.mark.parametrize(
    ("outcome", "suspended", "amount", "reason"),
    [
        ("keep", "100", "90", "x"),
        ("cancel", "100", "1", "x"),
        ("reduce", "100", "100", "x"),
        ("keep", "100", "100", ""),
    ],
)
def test_decision_constraints_in_sql(media, staff, outcome, suspended, amount, reason):
    _appt, subsidy = _appointment(staff)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO subsidies_subsidysuspensiondecision "
            "(subsidy_id, outcome, suspended_amount, amount, reason, decided_by_id, decided_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, now())",
            [subsidy.pk, outcome, suspended, amount, reason, staff.pk],
        )
    assert not SubsidySuspensionDecision.objects.exists()


# --- the appointment page ------------------------------------------------------------------------------


def test_the_appointment_page_decides_and_shows_the_history(client, media, staff):
    appt, subsidy = _appointment(staff)
    _terminate(appt, staff)
    otp_login(client, staff)
    page_url = reverse("terms:appointment-detail", args=[appt.pk])
    page = client.get(page_url).content.decode()
    assert "暂停支付金额 250,000.00 元，请作出决定" in page and "暂停支付（待区科委决定）" in page
    url = reverse("subsidies:subsidy-suspension-decide", args=[subsidy.pk])
    r = client.post(url, {"outcome": "reduce", "amount": "", "reason": "服务不足一个月"}, follow=True)
    html = r.content.decode()
    assert error_at_field(html, "id_amount") == "核减时请填写核减后的支付金额。"
    assert "服务不足一个月" in html  # what was typed is kept
    assert SubsidyInstalment.objects.get(subsidy=subsidy).state == "suspended"
    r = client.post(url, {"outcome": "cancel", "amount": "", "reason": "服务不足一个月"}, follow=True)
    html = r.content.decode()
    assert "已记录区科委决定：取消未支付补贴，支付 0.00 元。" in html
    assert "区科委决定 取消未支付补贴" in html and "服务不足一个月" in html
    assert "请作出决定" not in html
    assert SubsidyInstalment.objects.get(subsidy=subsidy).state == "cancelled"


def test_an_empty_decision_shows_each_error_at_its_field(client, media, staff):
    appt, subsidy = _appointment(staff)
    _terminate(appt, staff)
    otp_login(client, staff)
    url = reverse("subsidies:subsidy-suspension-decide", args=[subsidy.pk])
    html = client.post(url, {"outcome": "", "amount": "abc", "reason": ""}, follow=True).content.decode()
    assert error_at_field(html, "id_outcome") == "请选择决定：维持、核减或取消。"
    assert error_at_field(html, "id_amount") == "请填写数字金额。"
    assert error_at_field(html, "id_reason") == "请填写决定理由。"
    assert 'value="abc"' in html  # what was typed is kept
    assert "；" not in html.split('id="subsidy-suspension"', 1)[1].split("</form>", 1)[0]
    assert SubsidyInstalment.objects.get(subsidy=subsidy).state == "suspended"


def test_the_card_is_hidden_from_other_roles_and_while_nothing_was_suspended(client, media, staff):
    appt, _subsidy = _appointment(staff)
    otp_login(client, staff)
    assert (
        "subsidy-suspension"
        not in client.get(reverse("terms:appointment-detail", args=[appt.pk])).content.decode()
    )
    _terminate(appt, staff)
    client.force_login(tf.enterprise_user(appt))
    page = client.get(reverse("terms:appointment-detail", args=[appt.pk]))
    assert "subsidy-suspension" not in page.content.decode()
