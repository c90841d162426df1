"""Item 8 — PIPL: personal numbers masked by default, pages with personal data not cached, and a
documented data inventory (PIPL arts. 51, 55; 等保 2.0 8.1.4.11 personal information protection)."""

from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse

from accounts.enums import Role
from core.identifiers import mask_bank_account, mask_id_number, mask_phone
from tests.factories.accounts import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("func", "value", "masked"),
    [
        (mask_id_number, "110101199003071234", "110***********1234"),
        (mask_id_number, "11010119900307123x", "110***********123X"),
        (mask_phone, "13812345678", "138****5678"),
        (mask_phone, "010-8979 1234", "010******1234"),
        (mask_phone, "12345", "*****"),
        (mask_bank_account, "6222 0212 3456 7890 123", "**** **** 0123"),
        (mask_bank_account, "1234", "****"),
    ],
)
def test_masking(func, value, masked):
    assert func(value) == masked


def test_template_filters_mask_by_default():
    rendered = Template(
        "{% load privacy %}{{ id|mask_id }} {{ phone|mask_phone }} {{ bank|mask_bank }} [{{ none|mask_id }}]"
    ).render(Context({"id": "110101199003071234", "phone": "13812345678", "bank": "6222021234567890123"}))
    assert rendered == "110***********1234 138****5678 **** **** 0123 []"


@pytest.mark.django_db
def test_user_admin_list_shows_phone_numbers_masked(client, otp_login):
    UserFactory(username="qy_phone", phone="13812345678", roles=[Role.ENTERPRISE])
    otp_login(client, UserFactory(roles=[Role.SYSTEM_ADMIN]))
    body = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "138****5678" in body
    assert "13812345678" not in body


@pytest.mark.django_db
def test_pages_for_a_logged_in_user_are_not_stored_by_caches(client):
    user = UserFactory(roles=[Role.EXPERT])
    client.force_login(user)
    response = client.get(reverse("core:role-home", args=[Role.EXPERT]))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_redirects_of_the_security_gate_are_not_cached_either(client):
    client.force_login(UserFactory(roles=[Role.COMMISSION]))
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


def test_security_doc_has_the_data_inventory_and_the_mapping_table():
    doc = (ROOT / "docs" / "SECURITY.md").read_text()
    assert "## 个人信息清单" in doc
    for field in ("full_name", "phone", "email", "id_number", "bank_account", "ip_address"):
        assert f"`{field}`" in doc, field
    for module in sorted((ROOT / "tests" / "security").glob("test_*.py")):
        assert f"tests/security/{module.name}" in doc, module.name
