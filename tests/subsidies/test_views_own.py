"""Experts and enterprises see only their own money; staff see subsidies and overdue matching."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.enums import Role
from subsidies import services
from subsidies.allowances import allowances_generate
from subsidies.models import AllowancePayment, BankAccount
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.subsidies import appointment

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def two():
    staff = UserFactory(roles=[Role.COMMISSION])
    a = appointment(start=date(2025, 3, 1), approved_funding=D("500000.00"))
    b = appointment(start=date(2025, 3, 1), approved_funding=D("300000.00"))
    services.appointment_setup(appointment=a, by=staff)
    services.appointment_setup(appointment=b, by=staff)
    allowances_generate(as_of=date(2025, 6, 1))
    return staff, a, b


def test_expert_sees_only_own_allowances(client, two, django_assert_max_num_queries):
    _staff, a, b = two
    otp_login(client, a.expert.user)
    with django_assert_max_num_queries(18):
        page = client.get(reverse("subsidies:my-allowances"))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("2025-03-01 — 2025-03-31") == 2  # month 1: district and matching
    assert body.count("待发放") == 3 and body.count("待企业支付") == 3
    assert b.enterprise.name not in body


def test_enterprise_sees_only_own_subsidy_and_matching(client, two, django_assert_max_num_queries):
    _staff, a, b = two
    user = a.enterprise.members.first().user
    otp_login(client, user)
    with django_assert_max_num_queries(18):
        page = client.get(reverse("subsidies:enterprise-money"))
    body = page.content.decode()
    assert "250,000.00" in body and "150,000.00" not in body
    assert body.count("确认已付") == 3
    assert str(b.expert) not in body


def test_enterprise_confirms_own_matching_and_404_for_other(client, two):
    _staff, a, b = two
    otp_login(client, a.enterprise.members.first().user)
    mine = AllowancePayment.objects.filter(appointment=a, kind="matching", month=1).get()
    theirs = AllowancePayment.objects.filter(appointment=b, kind="matching", month=1).get()
    url = reverse("subsidies:matching-confirm", args=[theirs.pk])
    assert client.post(url, {"confirmed_on": "2025-04-03", "reference": "X"}).status_code == 404
    bad = client.post(
        reverse("subsidies:matching-confirm", args=[mine.pk]),
        {"confirmed_on": "2025-02-01", "reference": "招行转账0403"},
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "支付日期不能早于该服务月开始日期" in body and 'value="招行转账0403"' in body
    ok = client.post(
        reverse("subsidies:matching-confirm", args=[mine.pk]),
        {"confirmed_on": "2025-04-03", "reference": "招行转账0403"},
    )
    assert ok.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.confirmed_on, theirs.confirmed_on) == (date(2025, 4, 3), None)


def test_district_allowance_cannot_be_confirmed_by_enterprise(client, two):
    _staff, a, _b = two
    otp_login(client, a.enterprise.members.first().user)
    district = AllowancePayment.objects.filter(appointment=a, kind="district", month=1).get()
    assert (
        client.post(
            reverse("subsidies:matching-confirm", args=[district.pk]),
            {"confirmed_on": "2025-04-03", "reference": "X"},
        ).status_code
        == 404
    )


def test_expert_registers_bank_account_shown_masked(client, two):
    _staff, a, _b = two
    otp_login(client, a.expert.user)
    bad = client.post(
        reverse("subsidies:my-allowances"),
        {"holder_name": a.expert.name, "bank_name": "中国银行", "account_number": "12ab"},
    )
    assert "银行账号须为8至30位数字" in bad.content.decode() and 'value="中国银行"' in bad.content.decode()
    client.post(
        reverse("subsidies:my-allowances"),
        {
            "holder_name": a.expert.name,
            "bank_name": "中国银行北京昌平支行",
            "account_number": "6217000012345678",
        },
    )
    page = client.get(reverse("subsidies:my-allowances")).content.decode()
    assert "****5678" in page and "6217000012345678" not in page
    client.post(
        reverse("subsidies:my-allowances"),
        {
            "holder_name": a.expert.name,
            "bank_name": "中国银行北京昌平支行",
            "account_number": "6217000099998888",
        },
    )
    assert BankAccount.objects.get(expert=a.expert).account_number == "6217000099998888"
    assert BankAccount.objects.count() == 1


@pytest.mark.parametrize("role", [Role.FINANCE, Role.NOMINATOR, Role.REVIEWER])
def test_own_pages_404_for_other_roles(client, role):
    otp_login(client, UserFactory(roles=[role]))
    assert client.get(reverse("subsidies:my-allowances")).status_code == 404
    assert client.get(reverse("subsidies:enterprise-money")).status_code == 404


def test_staff_subsidy_list_and_instalment_plan(client, two, django_assert_max_num_queries):
    staff, a, _b = two
    otp_login(client, staff)
    with django_assert_max_num_queries(18):
        body = client.get(reverse("subsidies:subsidy-list")).content.decode()
    assert "250,000.00" in body and "150,000.00" in body
    subsidy = a.project_subsidy
    url = reverse("subsidies:subsidy-detail", args=[subsidy.pk])
    bad = client.post(url, {"plan": "100000 2025-03-01\n100000 2025-09-01"})
    assert "各期金额合计 ¥200,000.00，与补贴金额 ¥250,000.00 不一致。" in bad.content.decode()
    assert "100000 2025-09-01" in bad.content.decode()
    client.post(url, {"plan": "150000 2025-03-01\n100000.00 2025-09-01"})
    assert list(subsidy.instalments.values_list("amount", flat=True)) == [D("150000.00"), D("100000.00")]
    assert client.get(reverse("subsidies:subsidy-list"), follow=True).status_code == 200


def test_staff_sees_overdue_matching(client, two):
    staff, _a, _b = two
    allowances_generate(as_of=date(2025, 7, 1))
    otp_login(client, staff)
    body = client.get(reverse("subsidies:subsidy-list")).content.decode()
    # Everything generated up to 2025-07-01 fell due by 2025-06-01, long before today: all 8 unconfirmed.
    assert "逾期一个月未确认的企业配套生活补助 8 笔" in body
    assert reverse("subsidies:matching-overdue") in body


def test_overdue_matching_page_lists_each_month_with_its_reminder(client, two, django_assert_max_num_queries):
    """The work list's 企业配套生活补助逾期未确认 in full: one row per unconfirmed month, its amount, the
    days overdue, the term and a 催办 that comes back to the page; confirmed months are not listed."""
    from subsidies.enums import AllowanceKind
    from subsidies.models import AllowancePayment

    staff, _a, _b = two
    allowances_generate(as_of=date(2025, 7, 1))
    matching = AllowancePayment.objects.filter(kind=AllowanceKind.MATCHING).order_by("due_on", "pk")
    confirmed = matching.first()
    AllowancePayment.objects.filter(pk=confirmed.pk).update(
        confirmed_on=date(2025, 6, 1), confirmation_reference="HD-1"
    )
    otp_login(client, staff)
    url = reverse("subsidies:matching-overdue")
    with django_assert_max_num_queries(14):
        body = client.get(url).content.decode()
    assert "共 7 条" in body
    assert reverse("worklist:matching-remind", args=[confirmed.pk]) not in body
    first = matching.exclude(pk=confirmed.pk).first()
    remind = reverse("worklist:matching-remind", args=[first.pk])
    assert remind in body and "2,000.00" in body
    assert reverse("terms:appointment-detail", args=[first.appointment_id]) in body
    response = client.post(remind, {"next": url + "?o=-amount"})
    assert response.status_code == 302 and response["Location"] == url + "?o=-amount"
    # An outside address in `next` is not followed.
    response = client.post(remind, {"next": "https://evil.example.com/"})
    home = reverse("core:role-home", args=["commission"])
    assert response["Location"] == home
    for junk in ("abc", "-1", "//evil.example.com/x"):
        response = client.post(remind, {"next": junk})
        assert response.status_code == 302 and response["Location"] == home


def test_an_invalid_matching_confirmation_is_shown_at_its_fields(client, two):
    from tests.field_errors import error_at_field

    _staff, a, _b = two
    otp_login(client, a.enterprise.members.first().user)
    mine = AllowancePayment.objects.filter(appointment=a, kind="matching", month=1).get()
    url = reverse("subsidies:matching-confirm", args=[mine.pk])
    bad = client.post(url, {"confirmed_on": "2025-13-40", "reference": ""})
    assert bad.status_code == 200
    page = bad.content.decode()
    assert error_at_field(page, f"confirm-{mine.pk}-confirmed_on") == "请输入有效日期，例如 2026-04-03。"
    assert error_at_field(page, f"confirm-{mine.pk}-reference") == "请填写支付凭证号。"
    assert 'value="2025-13-40"' in page and "；" not in page
    mine.refresh_from_db()
    assert mine.confirmed_on is None
