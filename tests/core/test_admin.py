"""Every model in the admin has filters and search, speaks Chinese, and opens for the roles it names."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.enums import Role
from tests.factories.accounts import UserFactory

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
IDS = [model._meta.label for model, _ in ADMINS]


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_every_model_admin_has_filters_and_search(model, model_admin):
    assert model_admin.list_filter, f"{model._meta.label} has no list_filter"
    assert model_admin.search_fields, f"{model._meta.label} has no search_fields"


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_changelist_opens_in_chinese_for_its_roles(client, otp_login, model, model_admin):
    roles = sorted(model_admin.view_roles | model_admin.change_roles)
    assert roles, f"{model._meta.label}: no role may view it"
    otp_login(client, UserFactory(roles=[roles[0]]))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert "管理后台" in response.content.decode()


@pytest.mark.django_db
def test_admin_refuses_users_without_an_admin_role(client):
    client.force_login(UserFactory(roles=[Role.ENTERPRISE]))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_audit_log_is_visible_to_the_audit_admin_only(client, otp_login):
    url = reverse("admin:core_auditevent_changelist")
    for role, status in [(Role.AUDIT_ADMIN, 200), (Role.SYSTEM_ADMIN, 403), (Role.COMMISSION, 403)]:
        otp_login(client, UserFactory(roles=[role]))
        assert client.get(url).status_code == status, role
