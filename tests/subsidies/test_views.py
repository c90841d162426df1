"""Pages of the subsidies app: role access (everyone else gets 404), forms keeping input, exports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import Role
from core.models import AuditEvent, IssuedDocument
from subsidies import services
from subsidies.models import BudgetCommitment, Payment, PaymentBatch
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.subsidies import BankAccountFactory, PaymentFactory
from tests.field_errors import error_at_field

pytestmark = pytest.mark.django_db
D = Decimal


def login(client, user):
    otp_login(client, user)  # staff-side roles pass the second factor (issue 9)
    return client


OTHER_ROLES = [
    Role.EXPERT,
    Role.ENTERPRISE,
    Role.NOMINATOR,
    Role.REVIEWER,
    Role.TALENT_OFFICE,
    Role.WORKING_GROUP,
    Role.SYSTEM_ADMIN,
]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_money_pages_are_404_for_other_roles(client, staff, role):
    batch = services.batch_create(title="批次", year=2026, by=staff)
    login(client, UserFactory(roles=[role]))
    for url in [
        reverse("subsidies:budget-list"),
        reverse("subsidies:budget-detail", args=[2026]),
        reverse("subsidies:budget-create"),
        reverse("subsidies:payment-due"),
        reverse("subsidies:batch-list"),
        reverse("subsidies:batch-detail", args=[batch.pk]),
        reverse("subsidies:batch-export", args=[batch.pk]),
        reverse("subsidies:batch-statement", args=[batch.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("subsidies:batch-submit", args=[batch.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("subsidies:batch-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_budget_create_and_summary(client, staff):
    login(client, staff)
    bad = client.post(
        reverse("subsidies:budget-create"),
        {"year": "2026", "subsidy": "-1", "allowance": "abc", "award": "650000.00", "note": "区财政"},
    )
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "金额不能为负数。" in body and "请输入数字金额" in body
    assert 'value="650000.00"' in body and "区财政" in body  # nothing typed is lost
    ok = client.post(
        reverse("subsidies:budget-create"),
        {"year": "2026", "subsidy": "3000000", "allowance": "1200000", "award": "650000", "note": ""},
    )
    assert ok.status_code == 302 and ok["Location"] == reverse("subsidies:budget-detail", args=[2026])
    page = client.get(reverse("subsidies:budget-list")).content.decode()
    assert "3,000,000.00" in page and "1,200,000.00" in page


def test_commitment_over_budget_warns_then_override(client, staff):
    services.budget_save(year=2026, amounts={"award": D("100000.00")}, by=staff)
    login(client, staff)
    url = reverse("subsidies:budget-detail", args=[2026])
    data = {
        "category": "award",
        "amount": "200000.00",
        "description": "2026年度一等奖",
        "override_reason": "",
    }
    warned = client.post(url, data)
    body = warned.content.decode()
    assert 'id="over-budget-warning"' in body and "预算余额为 ¥100,000.00" in body
    assert "2026年度一等奖" in body  # the form keeps what was typed
    assert BudgetCommitment.objects.count() == 0
    done = client.post(url, {**data, "override_reason": "经区政府批准追加"})
    assert done.status_code == 302
    c = BudgetCommitment.objects.get()
    assert (c.over_budget, c.override_reason, c.override_by) == (True, "经区政府批准追加", staff)


def test_commitment_post_is_404_for_finance(client, finance):
    login(client, finance)
    url = reverse("subsidies:budget-detail", args=[2026])
    assert client.get(url).status_code == 200
    assert client.post(url, {"category": "award", "amount": "1", "description": "x"}).status_code == 404


def test_batch_list_query_count(client, staff, django_assert_max_num_queries):
    for i in range(12):
        b = PaymentBatch.objects.create(number=f"ZF-2026-{i:04d}", title=f"批次{i}", year=2026)
        PaymentFactory(batch=b)
    login(client, staff)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("subsidies:batch-list"))
    assert response.content.decode().count("ZF-2026-") == 12


def test_payment_due_and_batch_detail_query_count(client, staff, django_assert_max_num_queries):
    batch = services.batch_create(title="批次", year=2026, by=staff)
    for _ in range(15):
        PaymentFactory()
        PaymentFactory(batch=batch)
    login(client, staff)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("subsidies:payment-due")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("subsidies:batch-detail", args=[batch.pk])).status_code == 200


def test_finance_does_not_see_draft_batches(client, staff, finance):
    draft = services.batch_create(title="草稿", year=2026, by=staff)
    login(client, finance)
    assert client.get(reverse("subsidies:batch-detail", args=[draft.pk])).status_code == 404
    assert "草稿" not in client.get(reverse("subsidies:batch-list")).content.decode()


def test_batch_workflow_through_pages(client, staff, finance):
    acct = BankAccountFactory(
        holder_name="张明远", bank_name="中国工商银行北京昌平支行", account_number="6222020200112233445"
    )
    p1 = PaymentFactory(
        bank_account=acct, payee_name="张明远", amount=D("2000.00"), purpose="2026年3月人才生活补贴"
    )
    p2 = PaymentFactory(
        bank_account=BankAccountFactory(holder_name="北京天元生物科技有限公司", payee_kind="enterprise"),
        payee_name="北京天元生物科技有限公司",
        amount=D("298000.00"),
        purpose="项目资金补贴",
        category="subsidy",
        payee_kind="enterprise",
    )
    login(client, staff)
    r = client.post(reverse("subsidies:batch-list"), {"title": "2026年第一批", "year": "2026"})
    batch = PaymentBatch.objects.get()
    assert r["Location"] == reverse("subsidies:batch-detail", args=[batch.pk])
    client.post(reverse("subsidies:batch-add", args=[batch.pk]), {"payment": [p1.pk, p2.pk]})
    assert set(batch.payments.values_list("pk", flat=True)) == {p1.pk, p2.pk}
    client.post(reverse("subsidies:batch-submit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == "submitted"
    # Staff cannot approve, export or see bank account numbers.
    assert client.post(reverse("subsidies:batch-approve", args=[batch.pk])).status_code == 404
    page = client.get(reverse("subsidies:batch-detail", args=[batch.pk])).content.decode()
    assert "6222020200112233445" not in page and "****3445" in page

    login(client, finance)
    assert (
        client.get(reverse("subsidies:batch-export", args=[batch.pk])).status_code == 404
    )  # not approved yet
    # Approving asks first: the total in figures and in capitals; nothing changes until confirmed.
    ask = client.post(reverse("subsidies:batch-approve", args=[batch.pk]))
    page = ask.content.decode()
    assert ask.status_code == 200
    assert "¥300,000.00" in page and "叁拾万元整" in page and 'name="confirmed" value="1"' in page
    batch.refresh_from_db()
    assert batch.state == "submitted"
    client.post(reverse("subsidies:batch-approve", args=[batch.pk]), {"confirmed": "1"})
    batch.refresh_from_db()
    assert batch.state == "approved"
    # Marking paid: bad input keeps what was typed, changes nothing.
    bad = client.post(
        reverse("subsidies:batch-pay", args=[batch.pk]),
        {"paid_on": "2026-13-40", "bank_reference": "ICBC-20260403-0001"},
    )
    assert bad.status_code == 200
    assert error_at_field(bad.content.decode(), "pay_form-paid_on") == "请输入有效日期，例如 2026-04-03。"
    assert "ICBC-20260403-0001" in bad.content.decode()
    batch.refresh_from_db()
    assert batch.state == "approved"
    today = timezone.localdate()
    paying = {"paid_on": today.isoformat(), "bank_reference": "ICBC-20260403-0001"}
    ask = client.post(reverse("subsidies:batch-pay", args=[batch.pk]), paying)
    page = ask.content.decode()
    assert "叁拾万元整" in page and "ICBC-20260403-0001" in page
    assert 'name="bank_reference" value="ICBC-20260403-0001"' in page
    batch.refresh_from_db()
    assert batch.state == "approved"
    client.post(reverse("subsidies:batch-pay", args=[batch.pk]), {**paying, "confirmed": "1"})
    batch.refresh_from_db()
    assert (batch.state, batch.paid_on) == ("paid", today)
    again = client.post(
        reverse("subsidies:batch-pay", args=[batch.pk]),
        {"paid_on": today.isoformat(), "bank_reference": "OTHER"},
    )
    assert again.status_code == 404  # no longer payable
    assert Payment.objects.filter(bank_reference="ICBC-20260403-0001").count() == 2

    export = client.get(reverse("subsidies:batch-export", args=[batch.pk]))
    assert export.status_code == 200
    ws = load_workbook(BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows[0] == ["序号", "收款方", "开户银行", "银行账号", "金额（元）", "金额大写", "用途"]
    assert rows[1][1:] == [
        "北京天元生物科技有限公司",
        "中国工商银行北京昌平支行",
        p2.bank_account.account_number,
        298000,
        "贰拾玖万捌仟元整",
        "项目资金补贴",
    ]
    assert rows[2][1:] == [
        "张明远",
        "中国工商银行北京昌平支行",
        "6222020200112233445",
        2000,
        "贰仟元整",
        "2026年3月人才生活补贴",
    ]
    assert rows[3][1:6] == ["合计 2 笔", None, None, 300000, "叁拾万元整"]
    assert AuditEvent.objects.filter(action="paymentbatch.export", actor=finance).count() == 1

    pdf = client.get(reverse("subsidies:batch-statement", args=[batch.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    doc = IssuedDocument.objects.get(superseded_at__isnull=True)
    assert doc.title == f"支付批次清单 {batch.number}（已支付）" and doc.serial == batch.number  # one number
    # Asking again returns the same document.
    client.get(reverse("subsidies:batch-statement", args=[batch.pk]))
    assert IssuedDocument.objects.count() == 1


def test_statement_reissued_when_batch_paid(staff, finance):
    batch = services.batch_create(title="批次", year=2026, by=staff)
    services.batch_add_payments(batch=batch, payments=[PaymentFactory(amount=D("300000.00"))], by=staff)
    services.batch_submit(batch=batch, by=staff)
    services.batch_approve(batch=batch, by=finance)
    batch.refresh_from_db()
    first = services.batch_statement(batch=batch, by=finance)
    assert first.title.endswith("（已审核）")
    services.batch_mark_paid(batch=batch, paid_on=timezone.localdate(), bank_reference="R9", by=finance)
    batch.refresh_from_db()
    second = services.batch_statement(batch=batch, by=finance)
    first.refresh_from_db()
    assert first.serial == batch.number and second.serial == f"{batch.number}-2"
    assert first.superseded_at is not None
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(second.open())).pages)
    assert "叁拾万元整" in text and "R9" in text


def test_reverse_paid_payment_through_page(client, staff):
    batch = PaymentBatch.objects.create(
        number="ZF-2026-0009",
        title="x",
        year=2026,
        state="paid",
        paid_on=date(2026, 4, 3),
        bank_reference="R1",
    )
    p = PaymentFactory(batch=batch, paid_on=date(2026, 4, 3), bank_reference="R1")
    login(client, staff)
    client.post(reverse("subsidies:payment-reverse", args=[p.pk]), {"reason": "收款人信息有误"})
    assert Payment.objects.get(reversal_of=p).note == "收款人信息有误"


def test_add_due_payments_to_batch_from_due_page(client, staff):
    batch = services.batch_create(title="批次", year=2026, by=staff)
    p1, p2 = PaymentFactory(), PaymentFactory()
    login(client, staff)
    none = client.post(reverse("subsidies:payment-add-to-batch"), {"batch": batch.pk}, follow=True)
    assert "请至少选择一笔款项" in none.content.decode()
    r = client.post(reverse("subsidies:payment-add-to-batch"), {"batch": batch.pk, "payment": [p1.pk, p2.pk]})
    assert r["Location"] == reverse("subsidies:batch-detail", args=[batch.pk])
    assert batch.payments.count() == 2


def _submitted_batch(staff):
    batch = services.batch_create(title="批次", year=2026, by=staff)
    payment = PaymentFactory(bank_account=BankAccountFactory(), amount=D("2000.00"))
    services.batch_add_payments(batch=batch, payments=Payment.objects.filter(pk=payment.pk), by=staff)
    return services.batch_submit(batch=batch, by=staff)


def test_a_return_without_reason_is_shown_at_its_field(client, staff, finance):
    batch = _submitted_batch(staff)
    login(client, finance)
    response = client.post(reverse("subsidies:batch-return", args=[batch.pk]), {"reason": " "})
    assert response.status_code == 200  # the batch page again, nothing written
    page = response.content.decode()
    assert error_at_field(page, "return_form-reason") == "请填写退回原因。"
    assert "；" not in page.split('id="return-form"', 1)[1].split("</form>", 1)[0]
    batch.refresh_from_db()
    assert batch.state == "submitted"
    client.post(reverse("subsidies:batch-return", args=[batch.pk]), {"reason": "金额有误"})
    batch.refresh_from_db()
    assert batch.state == "draft"


def test_an_invalid_payment_is_shown_at_its_fields(client, staff, finance):
    batch = _submitted_batch(staff)
    services.batch_approve(batch=batch, by=finance)
    login(client, finance)
    url = reverse("subsidies:batch-pay", args=[batch.pk])
    response = client.post(url, {"paid_on": "", "bank_reference": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert error_at_field(page, "pay_form-paid_on") and error_at_field(page, "pay_form-bank_reference")
    assert "；" not in page
    batch.refresh_from_db()
    assert batch.state == "approved"


# Each batch action × a user it is not for: 404, as for a batch the user may not see.
BATCH_ACTIONS = ["add", "remove", "submit", "approve", "return", "pay"]


@pytest.mark.parametrize("action", BATCH_ACTIONS)
def test_every_batch_action_is_404_without_its_permission(client, staff, finance, action):
    draft = services.batch_create(title="草稿", year=2026, by=staff)
    submitted = _submitted_batch(staff)
    url = reverse(f"subsidies:batch-{action}", args=[submitted.pk])
    for role in (Role.EXPERT, Role.ENTERPRISE, Role.TALENT_OFFICE):
        login(client, UserFactory(roles=[role]))
        assert client.post(url, {"reason": "x"}).status_code == 404, role
    login(client, finance)  # a draft batch is not finance's to see, whatever the action
    draft_url = reverse(f"subsidies:batch-{action}", args=[draft.pk])
    assert client.post(draft_url, {"reason": "x"}).status_code == 404
    # staff prepare (add, remove, submit) but never approve, return or pay; finance the other way round
    login(client, staff if action in ("approve", "return", "pay") else finance)
    assert client.post(url, {"reason": "x", "confirmed": "1"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
