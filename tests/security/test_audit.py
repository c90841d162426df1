"""Item 6 — security events audited with the client's address (等保 2.0 8.1.4.3 a/b), the audit table
append-only in PostgreSQL (8.1.4.3 c), exports audited and formula-safe."""

from io import BytesIO

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from accounts.seed import DEMO_PASSWORD
from core.audit import audit
from core.exports import safe_cell
from core.http import client_ip
from core.models import AuditEvent
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


def _login(client, username, password):
    data = {"username": username, "password": password}
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=IP)


def test_login_success_failure_and_logout_are_audited_with_ip(client):
    user = UserFactory(username="zj_audit", roles=[Role.EXPERT])
    _login(client, "zj_audit", "Wrong#Pass123")
    _login(client, "zj_audit", DEMO_PASSWORD)
    client.post(reverse("accounts:logout"), REMOTE_ADDR=IP)
    rows = list(AuditEvent.objects.order_by("id").values_list("action", "actor", "ip_address", "summary"))
    assert rows == [
        ("login.failure", None, IP, "zj_audit"),
        ("login.success", user.pk, IP, "zj_audit"),
        ("logout", user.pk, IP, "zj_audit"),
    ]


def test_password_change_is_audited_with_ip(client):
    user = UserFactory(roles=[Role.EXPERT])
    client.force_login(user)
    new = "Zj#2027changping"
    client.post(
        reverse("accounts:password-change"),
        {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new}, REMOTE_ADDR=IP,
    )
    event = AuditEvent.objects.get(action="user.password_change")
    assert (event.actor, event.target_id, event.ip_address) == (user, str(user.pk), IP)


def test_role_revoke_is_audited(client, otp_login):
    security = UserFactory(roles=[Role.SECURITY_ADMIN])
    target = UserFactory(roles=[Role.FINANCE])
    grant = target.roles.get()
    otp_login(client, security)
    response = client.post(
        reverse("admin:accounts_userrole_delete", args=[grant.pk]), {"post": "yes"}, REMOTE_ADDR=IP
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="role.revoke")
    assert (event.actor, event.ip_address, event.data) == (security, IP, {"role": "finance"})


def test_audit_export_is_an_audited_formula_safe_xlsx(client, otp_login):
    audit(None, "login.failure", summary="=HYPERLINK(\"http://x\")", ip_address="10.0.0.9")
    auditor = UserFactory(roles=[Role.AUDIT_ADMIN])
    otp_login(client, auditor)
    response = client.get(reverse("core:audit-export"), {"ip_address": "10.0.0.9"}, REMOTE_ADDR=IP)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("时间", "操作人", "操作", "对象类型", "对象编号", "摘要", "IP 地址", "结果")
    assert len(rows) == 2
    assert rows[1][2:] == ("login.failure", None, None, "'=HYPERLINK(\"http://x\")", "10.0.0.9", "failure")
    assert rows[1][0].endswith("+08:00")  # time with zone
    event = AuditEvent.objects.get(action="audit.export")
    assert (event.actor, event.ip_address, event.data["rows"]) == (auditor, IP, 1)


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("+86", "'+86"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("王", "王"), (5, 5)],
)
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "10.0.0.1", "6.6.6.6", "10.0.0.1"),  # no proxy: a client-sent header is ignored
        (1, "10.0.0.1", "6.6.6.6, 198.51.100.4", "198.51.100.4"),  # the proxy appended the real client
        (2, "10.0.0.1", "6.6.6.6, 198.51.100.4, 10.0.0.2", "198.51.100.4"),
        (1, "10.0.0.1", "", "10.0.0.1"),
        (1, "10.0.0.1", "not-an-ip", None),
        (0, "", "", None),
        (0, "2001:db8::1", "", "2001:db8::1"),
    ],
)
def test_client_ip_honours_the_trusted_proxy_count(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
class TestAppendOnly:
    def test_insert_works_update_and_delete_fail(self):
        event = audit(None, "test.event", summary="original")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(summary="changed")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
        event.summary = "changed"
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            event.save()
        refused = pytest.raises(DatabaseError, match="append-only")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent")
        assert AuditEvent.objects.get(pk=event.pk).summary == "original"
