"""Pages of the credit record: each role's access (another subject's record is a 404, a proposal is not
shown to its subject yet), staff transitions and the subject's objection through the pages, the talent
office read-only, filters, navigation, and query-count guards on the lists."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from core.navigation import menu_for
from credit import services
from credit.enums import CreditState, ObjectionState, Polarity
from credit.models import CreditRecord
from tests.factories import credit as cf
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.factories.accounts import UserFactory, otp_login

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def appt():
    return tf.appointment()


@pytest.fixture
def staff(client):
    user = pf.commission()
    otp_login(client, user)
    return user


def test_staff_notify_then_confirm_through_the_page(client, appt, staff):
    rec = cf.record(appt.enterprise)
    detail = reverse("credit:record-detail", args=[rec.pk])
    page = client.get(detail).content.decode()
    assert "告知主体" in page and "测试事实" in page
    client.post(reverse("credit:record-notify", args=[rec.pk]))
    rec.refresh_from_db()
    assert rec.state == CreditState.NOTIFIED
    response = client.post(reverse("credit:record-confirm", args=[rec.pk]), follow=True)
    assert "期满后才能确认" in response.content.decode()
    rec.refresh_from_db()
    assert rec.state == CreditState.NOTIFIED
    client.post(reverse("credit:record-dismiss", args=[rec.pk]), {"reason": ""})
    assert CreditRecord.objects.get(pk=rec.pk).state == CreditState.NOTIFIED  # a reason is required
    client.post(reverse("credit:record-dismiss", args=[rec.pk]), {"reason": "事实不成立"})
    assert CreditRecord.objects.get(pk=rec.pk).state == CreditState.DISMISSED


def test_unknown_action_is_404(client, appt, staff):
    rec = cf.record(appt.enterprise)
    assert client.post(f"/credit/{rec.pk}/delete/").status_code == 404


def test_subject_sees_and_objects_to_its_own_record(client, appt):
    user = tf.enterprise_user(appt)
    mine = cf.record(appt.enterprise, state=CreditState.NOTIFIED)
    mine.objection_deadline = TODAY + timedelta(days=5)
    mine.save(update_fields=["objection_deadline"])
    proposal = cf.record(appt.enterprise)  # not yet checked by staff: not the subject's business yet
    other = cf.record(tf.enterprise(), state=CreditState.CONFIRMED)
    client.force_login(user)
    listing = client.get(reverse("credit:record-mine")).content.decode()
    assert reverse("credit:record-detail", args=[mine.pk]) in listing
    assert reverse("credit:record-detail", args=[proposal.pk]) not in listing
    assert client.get(reverse("credit:record-detail", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("credit:record-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("credit:record-list")).status_code == 404
    page = client.get(reverse("credit:record-detail", args=[mine.pk])).content.decode()
    assert "提出异议" in page and "流转记录" not in page
    client.post(reverse("credit:objection-file", args=[mine.pk]), {"content": "已按时支付，有银行回单"})
    assert mine.objections.get().state == ObjectionState.OPEN
    assert client.post(reverse("credit:objection-file", args=[other.pk]), {"content": "x"}).status_code == 404
    assert client.post(reverse("credit:record-confirm", args=[mine.pk])).status_code == 404


def test_staff_resolve_objection_through_the_page(client, appt, staff):
    rec = services.credit_notify(record=cf.record(appt.expert), by=staff, today=TODAY)
    objection = services.objection_file(record=rec, by=appt.expert.user, content="有误", today=TODAY)
    url = reverse("credit:objection-resolve", args=[objection.pk])
    client.post(url, {"decision": "upheld", "resolution": "异议属实"})
    objection.refresh_from_db()
    assert objection.state == ObjectionState.UPHELD
    assert CreditRecord.objects.get(pk=rec.pk).state == CreditState.DISMISSED


def test_talent_office_reads_only(client, appt):
    rec = cf.record(appt.enterprise, state=CreditState.CONFIRMED)
    user = pf.talent_office()
    otp_login(client, user)
    assert client.get(reverse("credit:record-list")).status_code == 200
    page = client.get(reverse("credit:record-detail", args=[rec.pk])).content.decode()
    assert "信用修复" not in page and "撤销记录" not in page
    response = client.post(reverse("credit:record-revoke", args=[rec.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert CreditRecord.objects.get(pk=rec.pk).state == CreditState.CONFIRMED


@pytest.mark.parametrize("role", [Role.FINANCE, Role.WORKING_GROUP, Role.SECURITY_ADMIN])
def test_other_roles_see_nothing(client, appt, role):
    rec = cf.record(appt.enterprise, state=CreditState.CONFIRMED)
    user = UserFactory(roles=[role])
    otp_login(client, user)
    assert client.get(reverse("credit:record-list")).status_code == 404
    assert client.get(reverse("credit:record-detail", args=[rec.pk])).status_code == 404


def test_anonymous_redirected(client, appt):
    rec = cf.record(appt.enterprise, state=CreditState.CONFIRMED)
    assert client.get(reverse("credit:record-detail", args=[rec.pk])).status_code == 302


def test_list_filters(client, appt, staff):
    neg = cf.record(appt.enterprise, state=CreditState.CONFIRMED)
    pos = cf.record(appt.expert, state=CreditState.CONFIRMED, polarity=Polarity.POSITIVE)
    page = client.get(reverse("credit:record-list"), {"polarity": "positive"}).content.decode()
    assert reverse("credit:record-detail", args=[pos.pk]) in page
    assert reverse("credit:record-detail", args=[neg.pk]) not in page
    page = client.get(reverse("credit:record-list"), {"subject_kind": "enterprise", "state": "bogus"}).content
    assert reverse("credit:record-detail", args=[neg.pk]) in page.decode()
    assert reverse("credit:record-detail", args=[pos.pk]) not in page.decode()


def test_menu_items():
    labels = lambda user: [str(i["label"]) for i in menu_for(user)]  # noqa: E731
    assert "信用记录" in labels(UserFactory(roles=[Role.COMMISSION]))
    assert "信用记录" in labels(UserFactory(roles=[Role.TALENT_OFFICE]))
    assert "我的信用记录" in labels(UserFactory(roles=[Role.EXPERT]))
    assert "信用记录" not in labels(UserFactory(roles=[Role.FINANCE]))


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _records(n, subjects):
    for i in range(n):
        cf.record(subjects[i % len(subjects)], state=CreditState.CONFIRMED)


def test_list_query_count_does_not_grow(client, appt, staff):
    subjects = [appt.expert, appt.enterprise, pf.reviewer(), appt.expert.institution]
    _records(4, subjects)
    url = reverse("credit:record-list")
    client.get(url)
    first = _count(client, url)
    _records(8, subjects)
    assert _count(client, url) == first
    assert first <= 14


def test_own_list_query_count_does_not_grow(client, appt):
    client.force_login(tf.enterprise_user(appt))
    _records(3, [appt.enterprise])
    url = reverse("credit:record-mine")
    client.get(url)
    first = _count(client, url)
    _records(6, [appt.enterprise])
    assert _count(client, url) == first


def test_commission_worklist_lists_credit_tasks(appt):
    from worklist.selectors import commission_worklist

    staff = pf.commission()
    proposal = cf.record(appt.enterprise)
    window_open = cf.record(appt.expert, state=CreditState.NOTIFIED)
    window_open.objection_deadline = TODAY + timedelta(days=3)
    window_open.save(update_fields=["objection_deadline"])
    due = cf.record(appt.expert, state=CreditState.NOTIFIED)  # window ended 10 days ago
    objected = services.credit_notify(record=cf.record(appt.enterprise), by=staff, today=TODAY)
    services.objection_file(record=objected, by=tf.enterprise_user(appt), content="有误", today=TODAY)
    group = next(g for g in commission_worklist(staff) if g.kind == "credit")
    actions = {item.url: item.action for item in group.items}
    assert group.count == 3
    assert actions == {
        reverse("credit:record-detail", args=[proposal.pk]): "核实事实，告知主体或不予记录",
        reverse("credit:record-detail", args=[due.pk]): "异议期已满，确认信用记录",
        reverse("credit:record-detail", args=[objected.pk]): "处理主体提出的异议",
    }


@pytest.mark.parametrize(
    ("name", "state"),
    [("dismiss", CreditState.PROPOSED), ("repair", CreditState.CONFIRMED), ("revoke", CreditState.CONFIRMED)],
)
def test_a_missing_reason_is_shown_at_its_field(client, appt, staff, name, state):
    from tests.field_errors import error_at_field

    rec = cf.record(appt.enterprise, state=state)
    response = client.post(reverse(f"credit:record-{name}", args=[rec.pk]), {"reason": "  "})
    assert response.status_code == 200  # the page again, nothing written
    page = response.content.decode()
    assert error_at_field(page, f"{name}_form-reason") == "请填写理由。"
    assert "；" not in page.split('id="credit-actions"', 1)[1].split("</form>", 1)[0]
    assert CreditRecord.objects.get(pk=rec.pk).state == state


@pytest.mark.parametrize("name", ["notify", "confirm", "dismiss", "repair", "revoke"])
def test_every_record_action_is_404_to_the_subject_and_to_other_roles(client, appt, name):
    rec = cf.record(appt.enterprise, state=CreditState.NOTIFIED)
    url = reverse(f"credit:record-{name}", args=[rec.pk])
    client.force_login(tf.enterprise_user(appt))
    assert client.post(url, {"reason": "x"}).status_code == 404
    otp_login(client, pf.talent_office())
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert CreditRecord.objects.get(pk=rec.pk).state == CreditState.NOTIFIED
