"""Item 5 — 三员分立 (等保 2.0 8.1.4.2 c/d: separation of the system, security and audit administrators;
ASVS 4.1.3 least privilege) and no superuser in daily use."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.enums import ADMIN_ROLES, Role
from accounts.models import User, UserRole
from core.audit import audit
from core.models import AuditEvent
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

AUDIT_LIST = reverse("core:audit-list")
AUDIT_EXPORT = reverse("core:audit-export")
LOCKOUTS = reverse("accounts:lockout-list")
ADMIN_AUDIT = reverse("admin:core_auditevent_changelist")
ADMIN_ROLE_ADD = reverse("admin:accounts_userrole_add")
ADMIN_ROLE_LIST = reverse("admin:accounts_userrole_changelist")
ADMIN_USER_LIST = reverse("admin:accounts_user_changelist")

# page → expected status for each administrator (and a commission staff member for contrast)
AUD, SEC, SYS, COM = Role.AUDIT_ADMIN, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN, Role.COMMISSION
MATRIX = {
    AUDIT_LIST: {AUD: 200, SEC: 403, SYS: 403, COM: 403},
    AUDIT_EXPORT: {AUD: 200, SEC: 403, SYS: 403, COM: 403},
    LOCKOUTS: {AUD: 403, SEC: 200, SYS: 403, COM: 403},
    ADMIN_AUDIT: {AUD: 200, SEC: 403, SYS: 403, COM: 403},
    ADMIN_ROLE_ADD: {AUD: 403, SEC: 200, SYS: 403, COM: 403},
    ADMIN_ROLE_LIST: {AUD: 403, SEC: 200, SYS: 200, COM: 403},
    ADMIN_USER_LIST: {AUD: 403, SEC: 200, SYS: 200, COM: 403},
}


@pytest.mark.parametrize("url", list(MATRIX))
@pytest.mark.parametrize("role", [AUD, SEC, SYS, COM])
def test_each_administrator_reaches_only_their_duty(client, otp_login, url, role):
    otp_login(client, UserFactory(roles=[role]))
    assert client.get(url).status_code == MATRIX[url][role]


@pytest.mark.parametrize("url", [AUDIT_LIST, AUDIT_EXPORT, LOCKOUTS])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_system_admin_cannot_grant_roles_security_admin_can(client, otp_login):
    target = UserFactory()
    otp_login(client, UserFactory(roles=[Role.SYSTEM_ADMIN]))
    assert client.post(ADMIN_ROLE_ADD, {"user": target.pk, "role": Role.FINANCE}).status_code == 403
    assert not target.roles.exists()
    security = UserFactory(roles=[Role.SECURITY_ADMIN])
    otp_login(client, security)
    response = client.post(ADMIN_ROLE_ADD, {"user": target.pk, "role": Role.FINANCE}, REMOTE_ADDR="10.20.0.5")
    assert response.status_code == 302
    assert list(target.roles.values_list("role", flat=True)) == [Role.FINANCE]
    event = AuditEvent.objects.get(action="role.grant")
    assert (event.actor, event.ip_address, event.data) == (security, "10.20.0.5", {"role": "finance"})


def test_security_admin_cannot_make_someone_hold_two_administrator_roles(client, otp_login):
    target = UserFactory(roles=[Role.AUDIT_ADMIN])
    otp_login(client, UserFactory(roles=[Role.SECURITY_ADMIN]))
    response = client.post(ADMIN_ROLE_ADD, {"user": target.pk, "role": Role.SYSTEM_ADMIN})
    assert response.status_code == 200
    assert "三员分立" in response.content.decode()
    assert list(target.roles.values_list("role", flat=True)) == [Role.AUDIT_ADMIN]


def test_system_admin_cannot_make_a_superuser_or_grant_permissions(client, otp_login):
    target = UserFactory(username="qy_target", roles=[Role.ENTERPRISE])
    otp_login(client, UserFactory(roles=[Role.SYSTEM_ADMIN]))
    response = client.post(
        reverse("admin:accounts_user_change", args=[target.pk]),
        {
            "username": "qy_target", "full_name": "陈思远", "email": "c@example.cn", "phone": "13800138000",
            "working_group_unit": "", "is_active": "on",
            "is_superuser": "on", "is_staff": "on", "user_permissions": ["1"], "groups": ["1"],
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.is_superuser, target.is_staff, target.full_name) == (False, False, "陈思远")
    assert not target.user_permissions.exists()


def test_seed_demo_creates_no_superuser_and_three_separate_administrators():
    call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(is_superuser=True, is_active=True).exists()
    assert not User.objects.filter(is_staff=True).exists()
    holders = {
        role: list(UserRole.objects.filter(role=role).values_list("user", flat=True)) for role in ADMIN_ROLES
    }
    assert all(len(users) == 1 for users in holders.values())
    assert len({users[0] for users in holders.values()}) == 3


def test_a_superuser_without_a_role_is_not_let_into_the_admin(client):
    boss = User.objects.create_superuser("root", "root@example.cn", "Root#2026changping")
    client.force_login(boss)
    assert client.get("/admin/").status_code == 302
    assert client.get(AUDIT_LIST).status_code == 403


def test_audit_log_page_filters_and_paginates(client, otp_login, django_assert_max_num_queries):
    actor = UserFactory(username="kw_filter")
    for n in range(60):
        audit(actor, "nomination.submit", summary=f"#{n}", ip_address="10.0.0.1")
    audit(None, "login.failure", summary="x", ip_address="10.0.0.2")
    otp_login(client, UserFactory(roles=[Role.AUDIT_ADMIN]))
    with django_assert_max_num_queries(12):
        page = client.get(AUDIT_LIST, {"actor": "kw_filter"})
    assert page.status_code == 200
    assert page.context["paginator"].count == 60
    assert len(page.context["events"]) == 50
    assert client.get(AUDIT_LIST, {"ip_address": "10.0.0.2"}).context["paginator"].count == 1
    assert client.get(AUDIT_LIST, {"action": "login."}).context["paginator"].count >= 1
