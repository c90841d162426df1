"""Issue 16 item 1: the work list (待办) of each role — items name the object and the action, carry the
办理时限, open where the action is done, and disappear when done; notifications read as done; the OTP page
shows no menu and no bell; the commission's 催办."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from core.exceptions import PolicyError
from core.models import Notification
from core.navigation import worklist_for
from experts import services as expert_services
from experts.enums import NominationState
from tests.factories import experts as ef
from tests.factories.accounts import UserFactory
from worklist import policy
from worklist.selectors import WORKLISTS

pytestmark = pytest.mark.django_db


# --- policy ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "start", "deadline"),
    [
        ("nomination-decide", date(2026, 1, 1), date(2026, 1, 16)),
        ("support-arrange", date(2026, 2, 26), date(2026, 3, 3)),
        ("batch-approve", date(2026, 12, 30), date(2027, 1, 4)),
    ],
)
def test_time_limit_counts_calendar_days_from_the_start(kind, start, deadline):
    assert policy.time_limit(kind, start) == deadline


def test_time_limit_of_an_unknown_kind_is_refused():
    with pytest.raises(PolicyError):
        policy.time_limit("nothing", date(2026, 1, 1))


@pytest.mark.parametrize(
    ("deadline", "overdue"), [(date(2026, 5, 9), True), (date(2026, 5, 10), False), (None, False)]
)
def test_a_task_is_overdue_the_day_after_its_last_day(deadline, overdue):
    assert policy.is_overdue(deadline, date(2026, 5, 10)) is overdue


def test_every_role_has_a_work_list():
    assert set(WORKLISTS) == set(Role)


# --- the commission's nominations: appear, link, disappear ----------------------------------------------


def _submitted_nomination(name="郑凯"):
    by = ef.nominator()
    nomination = ef.make_nomination(by=by, name=name)
    return expert_services.nomination_submit(nomination=nomination, by=by), by


def _group(groups, kind):
    return next((g for g in groups if g.kind == kind), None)


def test_a_submitted_nomination_is_on_the_commission_list_until_admitted(django_capture_on_commit_callbacks):
    staff = UserFactory(roles=[Role.COMMISSION])
    nomination, _by = _submitted_nomination()
    group = _group(worklist_for(staff, Role.COMMISSION), "nomination-decide")
    assert group.count == 1
    assert group.url == reverse("experts:nomination-list") + "?state=submitted"
    (item,) = group.items
    assert item.subject.startswith("郑凯（")
    assert item.action == "审核推荐，决定是否入库"
    assert item.url == reverse("experts:nomination-detail", args=[nomination.pk])
    assert item.deadline == timezone.localdate() + timedelta(days=15)

    nomination.refresh_from_db()
    if nomination.state == NominationState.SUBMITTED:
        with django_capture_on_commit_callbacks(execute=True):
            expert_services.nomination_admit(nomination=nomination, by=staff, reason="符合条件", invite=False)
    assert _group(worklist_for(staff, Role.COMMISSION), "nomination-decide") is None


def test_the_commission_list_costs_the_same_queries_with_more_tasks(django_assert_max_num_queries):
    staff = UserFactory(roles=[Role.COMMISSION])
    _submitted_nomination("甲")
    # one query per kind of task (issue 21 added 待核实的成果 and the credit group)
    with django_assert_max_num_queries(17) as first:
        worklist_for(staff, Role.COMMISSION)
    for name in ("乙", "丙", "丁", "戊", "己", "庚"):
        _submitted_nomination(name)
    with django_assert_max_num_queries(len(first.captured_queries)):
        groups = worklist_for(staff, Role.COMMISSION)
    group = _group(groups, "nomination-decide")
    assert group.count == 7 and len(group.items) == 5


@pytest.mark.parametrize("role", list(Role))
def test_every_role_list_is_a_few_queries(role, django_assert_max_num_queries):
    user = UserFactory(roles=[role])
    with django_assert_max_num_queries(17):
        worklist_for(user, role)


# --- the landing page -----------------------------------------------------------------------------------


def test_the_landing_page_shows_the_list_with_links_and_deadline(client, otp_login):
    staff = UserFactory(roles=[Role.COMMISSION])
    nomination, _by = _submitted_nomination()
    otp_login(client, staff)
    html = client.get(reverse("core:role-home", args=["commission"])).content.decode()
    assert 'id="worklist"' in html
    assert reverse("experts:nomination-detail", args=[nomination.pk]) in html
    assert "办理时限" in html
    assert 'href="/experts/nominations/?state=submitted"' in html  # the count is a link


def test_a_nominator_sees_returned_nominations_and_drafts(client):
    by = ef.nominator()
    draft = ef.make_nomination(by=by, name="李文博")
    client.force_login(by)
    html = client.get(reverse("core:role-home", args=["nominator"])).content.decode()
    assert "完善并提交推荐" in html
    assert reverse("experts:nomination-detail", args=[draft.pk]) in html


def test_a_role_with_nothing_to_do_is_told_so(client):
    user = UserFactory(roles=[Role.EXPERT])
    client.force_login(user)
    html = client.get(reverse("core:role-home", args=["expert"])).content.decode()
    assert "暂无待办事项" in html


# --- notifications read as done -------------------------------------------------------------------------


def test_the_nomination_notification_reads_as_done_once_admitted(client, otp_login):
    staff = UserFactory(roles=[Role.COMMISSION])
    nomination, _by = _submitted_nomination()
    note = Notification.objects.get(recipient=staff)
    assert note.title.startswith("新的专家推荐：郑凯")
    otp_login(client, staff)
    html = client.get(reverse("core:notification-list")).content.decode()
    assert "待办理" in html and "已办结" not in html
    note.refresh_from_db()
    assert note.read_at is None

    nomination.refresh_from_db()
    expert_services.nomination_admit(nomination=nomination, by=staff, reason="符合条件", invite=False)
    html = client.get(reverse("core:role-home", args=["commission"])).content.decode()
    assert "已办结" in html
    note.refresh_from_db()
    assert note.read_at is not None  # the bell no longer counts it


# --- before the second factor ----------------------------------------------------------------------------


def test_the_otp_page_shows_no_menu_and_no_bell(client):
    staff = UserFactory(roles=[Role.COMMISSION])
    Notification.objects.create(recipient=staff, title="未读通知")
    client.force_login(staff)
    response = client.get(reverse("accounts:otp-setup"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("core:notification-list") not in html
    assert reverse("experts:nomination-list") not in html
    assert 'class="nav-link"' not in html


def test_after_the_second_factor_the_menu_and_bell_are_back(client, otp_login):
    staff = UserFactory(roles=[Role.COMMISSION])
    otp_login(client, staff)
    html = client.get(reverse("core:role-home", args=["commission"])).content.decode()
    assert reverse("core:notification-list") in html
    assert reverse("experts:nomination-list") in html


# --- 催办 ------------------------------------------------------------------------------------------------


def _overdue_matching():
    from subsidies.enums import AllowanceKind
    from subsidies.models import AllowancePayment
    from tests.factories import subsidies as sf

    sf.ensure_reference_data()
    ent, ent_user = sf.enterprise()
    appt = sf.appointment(ent=ent, start=date(2025, 3, 1))
    start, end = date(2025, 3, 1), date(2025, 3, 31)
    allowance = AllowancePayment.objects.create(
        appointment=appt,
        month=1,
        kind=AllowanceKind.MATCHING,
        amount="2000.00",
        period_start=start,
        period_end=end,
        due_on=date(2025, 4, 1),
        budget_year=2025,
    )
    return allowance, ent_user


def test_the_commission_reminds_the_enterprise_once_a_day(
    client, otp_login, django_capture_on_commit_callbacks
):
    allowance, ent_user = _overdue_matching()
    staff = UserFactory(roles=[Role.COMMISSION])
    group = _group(worklist_for(staff, Role.COMMISSION), "matching-remind")
    assert group.items[0].remind_url == reverse("worklist:matching-remind", args=[allowance.pk])
    assert group.items[0].note == "2,000.00 元"
    otp_login(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(group.items[0].remind_url)
    assert response.status_code == 302
    note = Notification.objects.get(recipient=ent_user)
    assert note.title.startswith("请确认企业配套生活补助")
    assert note.link == reverse("subsidies:enterprise-money") + "#matching-table"
    assert len(mail.outbox) == (1 if ent_user.email else 0)
    client.post(group.items[0].remind_url)
    assert Notification.objects.filter(recipient=ent_user).count() == 1


def test_only_the_commission_may_remind(client):
    allowance, ent_user = _overdue_matching()
    client.force_login(ent_user)
    assert client.post(reverse("worklist:matching-remind", args=[allowance.pk])).status_code == 403


def test_the_enterprise_sees_the_month_to_confirm_in_yuan():
    _allowance, ent_user = _overdue_matching()
    group = _group(worklist_for(ent_user, Role.ENTERPRISE), "matching-confirm")
    assert group.count == 1
    assert group.items[0].note == "2,000.00 元"
    assert group.items[0].url == reverse("subsidies:enterprise-money") + "#matching-table"
    assert group.items[0].deadline < timezone.localdate()  # overdue: marked on the page


# --- item 10: links use the request's host when SITE_URL is not set ------------------------------------


def test_mail_links_use_the_request_host_when_site_url_is_empty(
    client, otp_login, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["kjfz.example.cn"]
    allowance, ent_user = _overdue_matching()
    ent_user.email = "finance@ent.example.cn"
    ent_user.save(update_fields=["email"])
    otp_login(client, UserFactory(roles=[Role.COMMISSION]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("worklist:matching-remind", args=[allowance.pk]), HTTP_HOST="kjfz.example.cn:8123"
        )
    (message,) = mail.outbox
    assert "http://kjfz.example.cn:8123/subsidies/enterprise/#matching-table" in message.body


def test_site_url_wins_when_set_and_the_fallback_serves_outside_a_request(settings):
    from core.http import FALLBACK_SITE_URL, site_url

    settings.SITE_URL = "https://kjfz.changping.gov.cn"
    assert site_url() == "https://kjfz.changping.gov.cn"
    settings.SITE_URL = ""
    assert site_url() == FALLBACK_SITE_URL == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("unit", "first"),
    [("rcj", "人才库专家 0 人"), ("czj", "本年已支付 0.00 元"), ("rsj", "累计聘任 0 人次")],
)
def test_the_working_group_sees_its_units_figures(unit, first):
    user = UserFactory(roles=[Role.WORKING_GROUP], working_group_unit=unit)
    (group,) = worklist_for(user, Role.WORKING_GROUP)
    assert group.figure == "在聘科技副总 0 人"
    assert group.items[0].subject == first
    assert group.items[0].url == reverse("dashboard:index")
