"""Item 1 — password policy (等保 2.0 8.1.4.1 a; ASVS 2.1.1, 2.1.7) and the 90-day rule for staff."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.enums import STAFF_SIDE_ROLES, Role
from accounts.models import User
from accounts.seed import DEMO_PASSWORD
from accounts.validators import character_classes
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _codes(password, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Ab1!Ab1!x", {"password_too_short"}),  # 9 characters, four classes
        ("Kjfz2026beijing", set()),  # upper, lower, digits
        ("Changping@2026", set()),  # all four
        ("kjfz#2026beijing", set()),  # lower, digits, other
        ("kjfzbeijingchangping", {"password_too_simple"}),  # one class
        ("kjfzbeijing2026", {"password_too_simple"}),  # two classes
        ("KJFZ-BEIJING-CP", {"password_too_simple"}),  # upper + other
        ("Password123", {"password_too_common"}),  # three classes but on the common list
        ("1234567890123", {"password_too_common", "password_entirely_numeric", "password_too_simple"}),
    ],
)
def test_password_rules(password, expected):
    assert _codes(password) == expected


def test_password_similar_to_username_is_refused():
    user = User(username="wangxiaofeng", full_name="王晓峰", email="wangxf@kjw.changping.gov.cn")
    assert _codes("Wangxiaofeng1", user) == {"password_too_similar"}
    assert _codes("Kjfz2026beijing", user) == set()


@pytest.mark.parametrize(
    ("password", "classes"), [("abc", 1), ("aB", 2), ("aB3", 3), ("aB3#", 4), ("密码Ab1", 4), ("", 0)]
)
def test_character_classes(password, classes):
    assert character_classes(password) == classes


def test_password_change_form_refuses_a_weak_password_with_a_chinese_message(client):
    user = UserFactory(roles=[Role.EXPERT])
    client.force_login(user)
    weak = "kjfzbeijing2026"
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": DEMO_PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200
    assert "至少3类" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


@pytest.mark.parametrize("role", sorted(STAFF_SIDE_ROLES))
@pytest.mark.parametrize(("age_days", "sent_to_change"), [(89, False), (91, True), (None, True)])
def test_staff_password_older_than_90_days_must_be_changed(
    client, otp_login, role, age_days, sent_to_change
):
    changed = None if age_days is None else timezone.now() - timedelta(days=age_days)
    user = UserFactory(roles=[role], password_changed_at=changed)
    otp_login(client, user)
    response = client.get(reverse("core:role-home", args=[role]))
    if sent_to_change:
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password-change")
        assert client.get(reverse("accounts:password-change")).status_code == 200
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.EXPERT, Role.ENTERPRISE, Role.NOMINATOR])
def test_outside_users_are_not_forced_to_change(client, role):
    user = UserFactory(roles=[role], password_changed_at=timezone.now() - timedelta(days=400))
    client.force_login(user)
    assert client.get(reverse("core:role-home", args=[role])).status_code == 200


def test_after_the_forced_change_the_staff_user_reaches_the_landing_page(client, otp_login):
    user = UserFactory(roles=[Role.FINANCE], password_changed_at=timezone.now() - timedelta(days=120))
    otp_login(client, user)
    new = "Czj#2027changping"
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get(reverse("core:role-home", args=[Role.FINANCE])).status_code == 200
